//! What costs are grouped by (`--by`): the dimensions every source knows, each source mapping
//! them to its own names (Cost Explorer's `SERVICE`, CUR's `product/ProductName`, FOCUS's
//! `ServiceName`, …).

use std::fmt;

use opskit::Error;

/// One `--by` dimension.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    Service,
    Account,
    Region,
    UsageType,
    Operation,
    /// The record or line item type (Usage, Tax, Credit, Refund, …).
    ChargeType,
    /// A cost allocation tag.
    Tag(String),
    /// The environment tag (`env_tag` in opskit.toml, `env` by default).
    Env {
        tag: String,
    },
}

/// The names `--by` accepts, for help and errors.
pub const NAMES: &str = "service, account, region, usage-type, operation, charge-type, tag:KEY, env";

impl Dimension {
    /// Parse one `--by` value; `env_tag` is the tag that marks environments.
    pub fn parse(text: &str, env_tag: &str) -> Result<Dimension, Error> {
        let dim = match text {
            "service" => Dimension::Service,
            "account" => Dimension::Account,
            "region" => Dimension::Region,
            "usage-type" | "usage_type" => Dimension::UsageType,
            "operation" => Dimension::Operation,
            "charge-type" | "charge_type" | "record-type" => Dimension::ChargeType,
            "env" => Dimension::Env { tag: env_tag.to_owned() },
            _ => match text.strip_prefix("tag:") {
                Some("") => {
                    return Err(Error::usage("--by tag: needs a tag key").with_hint("for example --by tag:team"));
                }
                Some(key) => Dimension::Tag(key.to_owned()),
                None => {
                    let hint = opskit::suggest::closest(text, NAMES.split(", ")).first().map_or_else(
                        || format!("the dimensions are: {NAMES}"),
                        |near| format!("did you mean `{near}`? (the dimensions are: {NAMES})"),
                    );
                    return Err(Error::usage(format!("unknown --by dimension `{text}`")).with_hint(hint));
                }
            },
        };
        Ok(dim)
    }

    /// The field name in records' `group` (`service`, `usage_type`, `tag:team`, `env`).
    pub fn field(&self) -> String {
        match self {
            Dimension::Service => "service".into(),
            Dimension::Account => "account".into(),
            Dimension::Region => "region".into(),
            Dimension::UsageType => "usage_type".into(),
            Dimension::Operation => "operation".into(),
            Dimension::ChargeType => "charge_type".into(),
            Dimension::Tag(key) => format!("tag:{key}"),
            Dimension::Env { .. } => "env".into(),
        }
    }

    /// The tag key behind this dimension, if it is a tag.
    pub fn tag_key(&self) -> Option<&str> {
        match self {
            Dimension::Tag(key) | Dimension::Env { tag: key } => Some(key),
            _ => None,
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dimension::UsageType => f.write_str("usage-type"),
            Dimension::ChargeType => f.write_str("charge-type"),
            other => f.write_str(&other.field()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_dimension() {
        assert_eq!(Dimension::parse("service", "env").unwrap(), Dimension::Service);
        assert_eq!(Dimension::parse("usage-type", "env").unwrap().field(), "usage_type");
        assert_eq!(Dimension::parse("tag:cost center", "env").unwrap(), Dimension::Tag("cost center".into()));
        assert_eq!(Dimension::parse("tag:aws:createdBy", "env").unwrap().field(), "tag:aws:createdBy");
        assert_eq!(Dimension::parse("env", "environment").unwrap().tag_key(), Some("environment"));
        let err = Dimension::parse("servce", "env").unwrap_err();
        assert_eq!(err.exit(), opskit::Exit::Usage);
        assert!(err.hint().unwrap().starts_with("did you mean `service`?"), "{:?}", err.hint());
        assert!(Dimension::parse("tag:", "env").is_err());
    }
}
