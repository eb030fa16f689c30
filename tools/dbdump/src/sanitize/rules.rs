//! The rules file: a rule per `table.column`, and per table `skip_data` and `where`.
//!
//! ```toml
//! policy = "strict"                 # every column needs a rule (default: personal-looking ones)
//!
//! [tables.users.columns]
//! email = "email"
//! full_name = "name"
//! phone = { rule = "mask", last = 4 }
//! dob = { rule = "date_shift", days = 30 }
//! plan = { rule = "constant", value = "basic" }
//!
//! [tables.users]
//! where = "created_at > now() - interval '90 days'"
//!
//! [tables.audit_log]
//! skip_data = true
//! ```
//!
//! Errors name the file and line; a table, a column or a rule that does not exist, or a rule a
//! column's type cannot hold, is refused before anything runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use opskit::{Error, Result};
use serde::Deserialize;
use toml::Spanned;

use crate::engine::{Catalog, Column, ColumnKind};

/// What to do with a column's values.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Transform {
    Keep,
    Null,
    Redact,
    Hash,
    Email,
    Name,
    FirstName,
    LastName,
    Phone,
    Address,
    DateShift { days: u32 },
    Mask { first: usize, last: usize },
    Constant { value: String },
    Uuid,
}

impl Transform {
    pub const NAMES: [&'static str; 14] = [
        "keep",
        "null",
        "redact",
        "hash",
        "email",
        "name",
        "first_name",
        "last_name",
        "phone",
        "address",
        "date_shift",
        "mask",
        "constant",
        "uuid",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Transform::Keep => "keep",
            Transform::Null => "null",
            Transform::Redact => "redact",
            Transform::Hash => "hash",
            Transform::Email => "email",
            Transform::Name => "name",
            Transform::FirstName => "first_name",
            Transform::LastName => "last_name",
            Transform::Phone => "phone",
            Transform::Address => "address",
            Transform::DateShift { .. } => "date_shift",
            Transform::Mask { .. } => "mask",
            Transform::Constant { .. } => "constant",
            Transform::Uuid => "uuid",
        }
    }

    /// Why a column cannot take this rule, if it cannot.
    fn unfit_for(&self, column: &Column) -> Option<String> {
        use ColumnKind as K;
        let kind = column.kind;
        let fits = match self {
            Transform::Keep | Transform::Constant { .. } => true,
            Transform::Null => column.nullable,
            Transform::Redact => matches!(kind, K::Text | K::Json | K::Binary | K::Other),
            Transform::Hash => matches!(kind, K::Text | K::Integer | K::Decimal | K::Other),
            Transform::Email
            | Transform::Name
            | Transform::FirstName
            | Transform::LastName
            | Transform::Phone
            | Transform::Address
            | Transform::Mask { .. } => matches!(kind, K::Text | K::Other),
            Transform::DateShift { .. } => matches!(kind, K::Date | K::Timestamp | K::Text),
            Transform::Uuid => matches!(kind, K::Uuid | K::Text),
        };
        if !fits {
            return Some(if matches!(self, Transform::Null) {
                "the column is NOT NULL".to_owned()
            } else {
                format!("a {} column cannot hold it", column.data_type)
            });
        }
        // Rules that give many rows one value break a unique constraint.
        let collapses = matches!(self, Transform::Redact | Transform::Constant { .. } | Transform::Mask { .. })
            || (matches!(self, Transform::Null) && !column.nullable);
        (column.unique && collapses).then(|| "the column is unique and this rule gives rows the same value".to_owned())
    }
}

/// `policy`: which columns need a rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// Columns that look personal (by name or content) need a rule.
    #[default]
    Personal,
    /// Every column needs a rule (`keep` included).
    Strict,
}

/// The rules of one table.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct TableRules {
    pub columns: BTreeMap<String, Transform>,
    pub skip_data: bool,
    pub r#where: Option<String>,
}

/// A whole rule set, validated.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Rules {
    pub policy: Policy,
    pub tables: BTreeMap<String, TableRules>,
    /// Where they came from, for messages.
    #[serde(skip)]
    pub origin: Option<PathBuf>,
}

impl Rules {
    #[cfg(test)]
    pub fn column(&self, table: &str, column: &str) -> Option<&Transform> {
        self.tables.get(table).and_then(|t| t.columns.get(column))
    }

    /// A digest of the rules (recorded in each dump's manifest).
    pub fn hash(&self) -> String {
        use sha2::Digest;
        let text = serde_json::to_string(self).expect("rules serialize");
        hex::encode(sha2::Sha256::digest(text.as_bytes()))
    }

    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    policy: Option<Policy>,
    #[serde(default)]
    tables: BTreeMap<String, Spanned<TableFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    columns: BTreeMap<String, Spanned<RuleSpec>>,
    skip_data: Option<bool>,
    r#where: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RuleSpec {
    Name(String),
    Full(RuleTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleTable {
    rule: String,
    first: Option<usize>,
    last: Option<usize>,
    days: Option<u32>,
    value: Option<String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parse a rules document. `path` names it in errors.
pub fn parse(path: &Path, text: &str) -> Result<Rules> {
    let at = |offset: usize, why: String| Error::data(format!("{}:{}: {why}", path.display(), line_of(text, offset)));
    let file: RulesFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| s.start);
        at(line, e.message().trim().to_owned())
    })?;
    let mut rules =
        Rules { policy: file.policy.unwrap_or_default(), tables: BTreeMap::new(), origin: Some(path.to_owned()) };
    for (table, spec) in file.tables {
        let start = spec.span().start;
        let spec = spec.into_inner();
        if spec.skip_data.is_some_and(|s| s) && spec.r#where.is_some() {
            return Err(at(start, format!("table `{table}`: `skip_data` and `where` together make no sense")));
        }
        let mut columns = BTreeMap::new();
        for (column, rule) in spec.columns {
            let offset = rule.span().start;
            let transform =
                transform(rule.into_inner()).map_err(|why| at(offset, format!("`{table}.{column}`: {why}")))?;
            columns.insert(column, transform);
        }
        rules
            .tables
            .insert(table, TableRules { columns, skip_data: spec.skip_data.unwrap_or(false), r#where: spec.r#where });
    }
    Ok(rules)
}

fn transform(spec: RuleSpec) -> std::result::Result<Transform, String> {
    let (name, table) = match spec {
        RuleSpec::Name(name) => (name, None),
        RuleSpec::Full(table) => (table.rule.clone(), Some(table)),
    };
    let param = |get: fn(&RuleTable) -> bool| table.as_ref().is_some_and(get);
    let unexpected = |what: &str| format!("`{name}` takes no `{what}`");
    let t = match name.as_str() {
        "keep" => Transform::Keep,
        "null" => Transform::Null,
        "redact" => Transform::Redact,
        "hash" => Transform::Hash,
        "email" => Transform::Email,
        "name" => Transform::Name,
        "first_name" => Transform::FirstName,
        "last_name" => Transform::LastName,
        "phone" => Transform::Phone,
        "address" => Transform::Address,
        "uuid" => Transform::Uuid,
        "date_shift" => Transform::DateShift { days: table.as_ref().and_then(|t| t.days).unwrap_or(30) },
        "mask" => Transform::Mask {
            first: table.as_ref().and_then(|t| t.first).unwrap_or(0),
            last: table.as_ref().and_then(|t| t.last).unwrap_or(4),
        },
        "constant" => Transform::Constant {
            value: table.as_ref().and_then(|t| t.value.clone()).ok_or("`constant` needs a `value`")?,
        },
        other => {
            return Err(format!("unknown rule `{other}`; the rules are: {}", Transform::NAMES.join(", ")));
        }
    };
    if param(|t| t.days.is_some()) && !matches!(t, Transform::DateShift { .. }) {
        return Err(unexpected("days"));
    }
    if param(|t| t.first.is_some() || t.last.is_some()) && !matches!(t, Transform::Mask { .. }) {
        return Err(unexpected("first/last"));
    }
    if param(|t| t.value.is_some()) && !matches!(t, Transform::Constant { .. }) {
        return Err(unexpected("value"));
    }
    Ok(t)
}

/// Check every rule against the live schema: the table and column exist, and the column can
/// hold what the rule writes. The text is searched for the line to name.
pub fn check_against(rules: &Rules, catalog: &Catalog, text: Option<&str>) -> Result<()> {
    let place = |needle: &str| {
        let file = rules.origin.as_ref().map_or_else(|| "rules".to_owned(), |p| p.display().to_string());
        match text.and_then(|t| t.find(needle).map(|o| line_of(t, o))) {
            Some(line) => format!("{file}:{line}"),
            None => file,
        }
    };
    for (table, spec) in &rules.tables {
        let Some(live) = catalog.table(table) else {
            let known: Vec<&str> = catalog.tables.iter().map(|t| t.name.as_str()).collect();
            let near = opskit::suggest::closest(table, known.iter().copied());
            let hint = near
                .first()
                .map_or_else(|| format!("the tables are: {}", known.join(", ")), |n| format!("did you mean `{n}`?"));
            return Err(Error::data(format!("{}: there is no table `{table}`", place(&format!("tables.{table}"))))
                .with_hint(hint));
        };
        for (column, transform) in &spec.columns {
            let Some(live_column) = live.column(column) else {
                let near = opskit::suggest::closest(column, live.columns.iter().map(|c| c.name.as_str()));
                let hint = near.first().map_or_else(
                    || {
                        format!(
                            "its columns are: {}",
                            live.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                        )
                    },
                    |n| format!("did you mean `{n}`?"),
                );
                return Err(Error::data(format!(
                    "{}: table `{table}` has no column `{column}`",
                    place(&format!("{column} ="))
                ))
                .with_hint(hint));
            };
            if let Some(why) = transform.unfit_for(live_column) {
                return Err(Error::data(format!(
                    "{}: `{table}.{column}` cannot take `{}`: {why}",
                    place(&format!("{column} =")),
                    transform.name()
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Rules> {
        parse(Path::new("rules.toml"), text)
    }

    #[test]
    fn parses_rules_with_parameters() {
        let r = p("policy = \"strict\"\n[tables.users.columns]\nemail = \"email\"\nphone = { rule = \"mask\", last = 2 }\n[tables.logs]\nskip_data = true\n").unwrap();
        assert_eq!(r.policy, Policy::Strict);
        assert_eq!(r.column("users", "email"), Some(&Transform::Email));
        assert_eq!(r.column("users", "phone"), Some(&Transform::Mask { first: 0, last: 2 }));
        assert!(r.tables["logs"].skip_data);
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = p("[tables.users.columns]\nemail = \"email\"\nssn = \"scramble\"\n").unwrap_err().to_string();
        assert!(err.starts_with("rules.toml:3: `users.ssn`: unknown rule `scramble`"), "{err}");
        let err = p("[tables.users.columns]\nx = { rule = \"keep\", days = 3 }\n").unwrap_err().to_string();
        assert!(err.starts_with("rules.toml:2:") && err.contains("`keep` takes no `days`"), "{err}");
        let err = p("[tables.users]\ncolums = {}\n").unwrap_err().to_string();
        assert!(err.starts_with("rules.toml:2:") && err.contains("unknown field `colums`"), "{err}");
    }

    #[test]
    fn the_hash_changes_with_the_rules() {
        let a = p("[tables.t.columns]\nc = \"email\"\n").unwrap();
        let b = p("[tables.t.columns]\nc = \"name\"\n").unwrap();
        assert_ne!(a.hash(), b.hash());
        assert_eq!(a.hash(), p("[tables.t.columns]\nc = \"email\"\n").unwrap().hash());
    }
}
