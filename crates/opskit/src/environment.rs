//! The environment model: dev, staging, prod, demo-42 … and the tier that safety rules key off.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How careful tools must be with an environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Dev,
    Staging,
    Prod,
}

impl Tier {
    /// The tier an environment gets when the config doesn't say: from a conventional name, and
    /// otherwise `prod`, because a forgotten tier must never make destructive commands easier.
    pub fn infer(name: &str) -> Tier {
        match name {
            "dev" | "development" | "test" => Tier::Dev,
            "staging" | "stage" => Tier::Staging,
            _ => Tier::Prod,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Dev => "dev",
            Tier::Staging => "staging",
            Tier::Prod => "prod",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `[envs.<name>]` as written in `opskit.toml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvConfig {
    pub tier: Option<Tier>,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub role_arn: Option<String>,
}

/// An environment a command acts on.
#[derive(Clone, Debug)]
pub struct Environment {
    pub name: String,
    pub tier: Tier,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub role_arn: Option<String>,
}

impl Environment {
    /// An environment opskit.toml does not declare (temporary, or found by its parameters).
    pub fn undeclared(name: &str, tier: Tier) -> Environment {
        Environment { name: name.to_owned(), tier, profile: None, region: None, role_arn: None }
    }

    pub fn declared(name: &str, config: &EnvConfig) -> Environment {
        Environment {
            name: name.to_owned(),
            tier: config.tier.unwrap_or_else(|| Tier::infer(name)),
            profile: config.profile.clone(),
            region: config.region.clone(),
            role_arn: config.role_arn.clone(),
        }
    }
}

/// App and environment names become path segments (`/<app>/<env>/KEY`) and tag values, so
/// they are limited to what SSM accepts in a path segment.
pub fn validate_name(what: &str, name: &str) -> Result<()> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || name.len() > 128 || !name.chars().all(ok_char) || name.starts_with('.') {
        return Err(Error::usage(format!(
            "invalid {what} name `{name}`: use letters, digits, `-`, `_` and `.` (at most 128)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_defaults_to_the_safest() {
        assert_eq!(Tier::infer("dev"), Tier::Dev);
        assert_eq!(Tier::infer("staging"), Tier::Staging);
        assert_eq!(Tier::infer("prod"), Tier::Prod);
        assert_eq!(Tier::infer("customer-a"), Tier::Prod);
    }

    #[test]
    fn names() {
        assert!(validate_name("environment", "demo-42").is_ok());
        assert!(validate_name("environment", "a.b_c").is_ok());
        assert!(validate_name("environment", "").is_err());
        assert!(validate_name("environment", "a/b").is_err());
        assert!(validate_name("environment", "..").is_err());
        assert!(validate_name("environment", "a b").is_err());
    }
}
