//! `[accessgrant]` in opskit.toml: the ledger bucket, who may approve, the backend, and the
//! roles that can be granted. Checked whole before a command does anything, and every mistake
//! names its file and line, so a typo never grants more (or less) than was meant.

use std::collections::BTreeMap;
use std::time::Duration;

use opskit::config::Section;
use opskit::{Context, Error, Result, Tier};
use serde::Deserialize;
use serde_json::{Map, Value};
use toml::Spanned;

use crate::principal::{Principal, valid_iam_name};

/// The longest grant a role may allow: longer is not temporary access.
pub const LONGEST_GRANT: Duration = Duration::from_hours(7 * 24);
/// A break-glass grant's maximum when `break_glass_max` does not say.
pub const BREAK_GLASS_MAX: Duration = Duration::from_hours(1);
/// Distinct approvers a prod-tier grant needs at the least, whatever the config says.
pub const PROD_MIN_APPROVALS: u32 = 2;

/// Where grants take effect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    /// An inline policy on the IAM user or role.
    #[default]
    Iam,
    /// A permission set of IAM Identity Center, assigned to the user in the environment's account.
    IdentityCenter,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    bucket: Spanned<String>,
    #[serde(default)]
    approvers: Vec<Spanned<String>>,
    #[serde(default)]
    approver_groups: Vec<Spanned<String>>,
    #[serde(default)]
    backend: Backend,
    break_glass_max: Option<Spanned<String>>,
    identity_center: Option<IdentityCenterSettings>,
    #[serde(default)]
    roles: BTreeMap<String, Spanned<RawRole>>,
}

/// `[accessgrant.identity_center]`: which Identity Center instance, and the account of each
/// environment (by default the account the environment's credentials are in).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityCenterSettings {
    /// `arn:aws:sso:::instance/ssoins-…` [default: the only instance ListInstances shows].
    pub instance_arn: Option<String>,
    /// `d-…` [default: the instance's].
    pub identity_store_id: Option<String>,
    #[serde(default)]
    pub accounts: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    description: Option<String>,
    actions: Option<Spanned<Vec<Spanned<String>>>>,
    resources: Option<Spanned<Vec<Spanned<String>>>>,
    conditions: Option<Spanned<toml::Table>>,
    max_duration: Spanned<String>,
    approvals: Spanned<Approvals>,
}

/// Distinct approvers each tier needs (every tier must be given).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Approvals {
    pub dev: u32,
    pub staging: u32,
    pub prod: u32,
}

impl Approvals {
    pub fn for_tier(self, tier: Tier) -> u32 {
        match tier {
            Tier::Dev => self.dev,
            Tier::Staging => self.staging,
            Tier::Prod => self.prod,
        }
    }
}

/// `[accessgrant]`, checked.
#[derive(Clone, Debug)]
pub struct Settings {
    pub bucket: String,
    pub approvers: Vec<Principal>,
    pub approver_groups: Vec<String>,
    pub backend: Backend,
    pub break_glass_max: Duration,
    pub identity_center: IdentityCenterSettings,
    pub roles: BTreeMap<String, Role>,
}

/// A role that can be granted, as configured (placeholders not yet filled in).
#[derive(Clone, Debug)]
pub struct Role {
    pub name: String,
    pub description: Option<String>,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub conditions: Map<String, Value>,
    pub max_duration: Duration,
    pub approvals: Approvals,
}

/// What a grant allows: a role's statement with `{app}` and `{env}` filled in. Kept in the
/// grant itself, so what approvers approved is what gets attached, whatever the config says later.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Access {
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub conditions: Map<String, Value>,
}

impl Role {
    /// The role's access in `env` of `app`.
    pub fn access(&self, app: &str, env: &str) -> Access {
        let fill = |s: &str| fill(s, app, env);
        Access {
            actions: self.actions.iter().map(|a| fill(a)).collect(),
            resources: self.resources.iter().map(|r| fill(r)).collect(),
            conditions: fill_value(&Value::Object(self.conditions.clone()), app, env)
                .as_object()
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// `{app}` and `{env}` replaced; IAM's own `${aws:…}` variables are left alone.
pub fn fill(text: &str, app: &str, env: &str) -> String {
    text.replace("{app}", app).replace("{env}", env)
}

fn fill_value(value: &Value, app: &str, env: &str) -> Value {
    match value {
        Value::String(s) => Value::String(fill(s, app, env)),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill_value(v, app, env)).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (fill(k, app, env), fill_value(v, app, env))).collect())
        }
        other => other.clone(),
    }
}

impl Settings {
    /// `[accessgrant]` from the config; its absence is a config error saying what to add.
    pub fn load(ctx: &Context) -> Result<Settings> {
        let Some(section) = ctx.config.section_located::<RawSettings>("accessgrant")? else {
            let file = ctx.config.file().map_or_else(|| "opskit.toml".to_owned(), |f| f.display().to_string());
            return Err(Error::config(format!("{file} has no [accessgrant] section")).with_hint(
                "add [accessgrant] with `bucket = \"…\"` (the ledger) and an [accessgrant.roles.NAME] table; see `man accessgrant`",
            ));
        };
        Settings::check(&section)
    }

    fn check(section: &Section<RawSettings>) -> Result<Settings> {
        let raw = &section.value;
        let at = |span: std::ops::Range<usize>, message: String| section.error_at(span, message);
        let bucket = raw.bucket.get_ref();
        if opskit::s3::Location::parse(&format!("s3://{bucket}")).is_none_or(|l| l.is_err()) || bucket.contains('/') {
            return Err(at(
                raw.bucket.span(),
                format!("bucket = \"{bucket}\": not an S3 bucket name (3-63 lowercase letters, digits, `-`, `.`)"),
            ));
        }
        let mut approvers = Vec::new();
        for entry in &raw.approvers {
            let principal = Principal::parse(entry.get_ref()).ok().filter(|p| !matches!(p, Principal::Other { .. }));
            approvers.push(principal.ok_or_else(|| {
                at(
                    entry.span(),
                    format!("approvers: `{}` is not the ARN of an IAM user, role or role session", entry.get_ref()),
                )
            })?);
        }
        for group in &raw.approver_groups {
            if !valid_iam_name(group.get_ref()) {
                return Err(at(
                    group.span(),
                    format!("approver_groups: `{}` is not an IAM group name", group.get_ref()),
                ));
            }
        }
        let break_glass_max = match &raw.break_glass_max {
            None => BREAK_GLASS_MAX,
            Some(text) => parse_duration(text.get_ref()).filter(|d| *d <= LONGEST_GRANT).ok_or_else(|| {
                at(text.span(), format!("break_glass_max = \"{}\": use a duration such as 30m or 1h", text.get_ref()))
            })?,
        };
        let mut roles = BTreeMap::new();
        for (name, role) in &raw.roles {
            roles.insert(name.clone(), check_role(section, name, role)?);
        }
        Ok(Settings {
            bucket: bucket.clone(),
            approvers,
            approver_groups: raw.approver_groups.iter().map(|g| g.get_ref().clone()).collect(),
            backend: raw.backend,
            break_glass_max,
            identity_center: raw.identity_center.clone().unwrap_or_default(),
            roles,
        })
    }

    /// A configured role, or "not found" listing the ones there are.
    pub fn role(&self, name: &str) -> Result<&Role> {
        self.roles.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.roles.keys().map(String::as_str).collect();
            let hint = match opskit::suggest::closest(name, known.iter().copied()).first() {
                Some(near) => format!("did you mean `{near}`?"),
                None if known.is_empty() => "add an [accessgrant.roles.NAME] table to opskit.toml".to_owned(),
                None => format!("the configured roles are: {}", known.join(", ")),
            };
            Error::not_found(format!("no role `{name}` in [accessgrant.roles]")).with_hint(hint)
        })
    }
}

fn check_role(section: &Section<RawSettings>, name: &str, role: &Spanned<RawRole>) -> Result<Role> {
    let at = |span: std::ops::Range<usize>, message: String| {
        section.error_at(span, format!("[accessgrant.roles.{name}] {message}"))
    };
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') || name.is_empty() {
        return Err(at(role.span(), "role names are letters, digits, `-` and `_`".to_owned()));
    }
    let raw = role.get_ref();
    let list = |field: &Option<Spanned<Vec<Spanned<String>>>>, what: &str, example: &str| -> Result<Vec<String>> {
        match field {
            None => Err(at(role.span(), format!("has no {what} (for example {what} = [\"{example}\"])"))),
            Some(items) if items.get_ref().is_empty() => Err(at(items.span(), format!("{what} is empty"))),
            Some(items) => Ok(items.get_ref().iter().map(|i| i.get_ref().clone()).collect()),
        }
    };
    let actions = list(&raw.actions, "actions", "ssm:StartSession")?;
    let resources = list(&raw.resources, "resources", "*")?;
    for action in raw.actions.iter().flat_map(Spanned::get_ref) {
        if !valid_action(action.get_ref()) {
            return Err(at(
                action.span(),
                format!("actions: `{}` is not an IAM action (service:Action, wildcards allowed)", action.get_ref()),
            ));
        }
    }
    for resource in raw.resources.iter().flat_map(Spanned::get_ref) {
        let text = resource.get_ref();
        if text != "*" && !text.starts_with("arn:") {
            return Err(at(resource.span(), format!("resources: `{text}` is neither `*` nor an ARN")));
        }
    }
    let conditions = match &raw.conditions {
        None => Map::new(),
        Some(table) => {
            check_conditions(table.get_ref()).map_err(|why| at(table.span(), format!("conditions: {why}")))?
        }
    };
    for item in raw.actions.iter().chain(&raw.resources).flat_map(Spanned::get_ref) {
        if let Some(word) = unknown_placeholder(item.get_ref()) {
            return Err(at(item.span(), format!("unknown placeholder `{{{word}}}` (use {{app}} or {{env}})")));
        }
    }
    if let Some(table) = &raw.conditions
        && let Some(word) = unknown_placeholder(&Value::Object(conditions.clone()).to_string())
    {
        return Err(at(table.span(), format!("conditions: unknown placeholder `{{{word}}}` (use {{app}} or {{env}})")));
    }
    let max_duration = parse_duration(raw.max_duration.get_ref()).filter(|d| *d <= LONGEST_GRANT).ok_or_else(|| {
        at(
            raw.max_duration.span(),
            format!("max_duration = \"{}\": use a duration from 1m to 7d, such as 4h", raw.max_duration.get_ref()),
        )
    })?;
    let approvals = *raw.approvals.get_ref();
    if approvals.prod < PROD_MIN_APPROVALS {
        return Err(at(
            raw.approvals.span(),
            format!(
                "approvals: prod = {} but prod needs at least {PROD_MIN_APPROVALS} distinct approvers",
                approvals.prod
            ),
        ));
    }
    Ok(Role {
        name: name.to_owned(),
        description: raw.description.clone(),
        actions,
        resources,
        conditions,
        max_duration,
        approvals,
    })
}

/// A duration of at least a minute, in whole seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    humantime::parse_duration(text)
        .ok()
        .filter(|d| *d >= Duration::from_mins(1))
        .map(|d| Duration::from_secs(d.as_secs()))
}

/// `service:Action` with IAM's wildcards, or `*`.
fn valid_action(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    let Some((service, name)) = action.split_once(':') else { return false };
    !service.is_empty()
        && service.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
}

/// IAM conditions: `{ Operator = { key = value | [values] } }`, and never `aws:CurrentTime`,
/// which is the grant's own expiry.
fn check_conditions(table: &toml::Table) -> std::result::Result<Map<String, Value>, String> {
    let mut out = Map::new();
    for (operator, keys) in table {
        let Some(keys) = keys.as_table() else {
            return Err(format!("`{operator}` must be a table of condition keys"));
        };
        let mut inner = Map::new();
        for (key, value) in keys {
            if key.eq_ignore_ascii_case("aws:CurrentTime") {
                return Err("`aws:CurrentTime` is set by accessgrant itself (the grant's expiry)".to_owned());
            }
            let scalar = |v: &toml::Value| match v {
                toml::Value::String(s) => Some(Value::String(s.clone())),
                toml::Value::Boolean(b) => Some(Value::Bool(*b)),
                toml::Value::Integer(i) => Some(Value::from(*i)),
                _ => None,
            };
            let value = match value {
                toml::Value::Array(items) => items.iter().map(scalar).collect::<Option<Vec<_>>>().map(Value::Array),
                other => scalar(other),
            }
            .ok_or_else(|| format!("`{operator}.{key}` must be a string, boolean, number, or a list of them"))?;
            inner.insert(key.clone(), value);
        }
        out.insert(operator.clone(), Value::Object(inner));
    }
    Ok(out)
}

/// A `{word}` that is not ours and not IAM's `${…}`.
fn unknown_placeholder(text: &str) -> Option<String> {
    for (at, _) in text.match_indices('{') {
        if text[..at].ends_with('$') {
            continue;
        }
        let rest = &text[at + 1..];
        let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let word = &rest[..len];
        if len > 0 && rest[len..].starts_with('}') && !matches!(word, "app" | "env") {
            return Some(word.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const BASE: &str =
        "app = \"shop\"\n[accessgrant]\nbucket = \"shop-ledger\"\napprovers = [\"arn:aws:iam::111:user/bob\"]\n";
    const ROLE: &str = "[accessgrant.roles.debug]\ndescription = \"SSM shell\"\nactions = [\"ssm:StartSession\"]\nresources = [\"arn:aws:ec2:*:*:instance/*\"]\nconditions = { \"StringEquals\" = { \"ssm:resourceTag/env\" = \"{env}\" } }\nmax_duration = \"4h\"\napprovals = { dev = 0, staging = 1, prod = 2 }\n";

    fn load(text: &str) -> Result<Settings> {
        let config = opskit::config::Config::from_str(Path::new("opskit.toml"), text)?;
        Settings::check(&config.section_located::<RawSettings>("accessgrant")?.unwrap())
    }

    fn error(text: &str) -> String {
        let err = load(text).unwrap_err();
        assert_eq!(err.exit(), opskit::Exit::Config, "{err}");
        err.to_string()
    }

    #[test]
    fn reads_the_issue_example() {
        let s = load(&format!("{BASE}approver_groups = [\"platform-leads\"]\n{ROLE}")).unwrap();
        assert_eq!(s.bucket, "shop-ledger");
        assert_eq!(s.backend, Backend::Iam);
        assert_eq!(s.break_glass_max, BREAK_GLASS_MAX);
        let role = s.role("debug").unwrap();
        assert_eq!(role.max_duration, Duration::from_hours(4));
        assert_eq!(role.approvals.for_tier(Tier::Staging), 1);
        let access = role.access("shop", "staging");
        assert_eq!(access.conditions["StringEquals"]["ssm:resourceTag/env"], "staging");
        assert_eq!(access.actions, ["ssm:StartSession"]);
        assert!(s.role("debgu").unwrap_err().hint().unwrap().contains("`debug`"));
    }

    #[test]
    fn placeholders_are_filled_everywhere_but_iam_variables_stay() {
        let text = format!(
            "{BASE}[accessgrant.roles.logs]\nactions = [\"logs:Get*\"]\nresources = [\"arn:aws:logs:*:*:log-group:/{{app}}/{{env}}/*\", \"arn:aws:s3:::b/${{aws:username}}/*\"]\nconditions = {{ \"StringEquals\" = {{ \"aws:ResourceTag/{{app}}\" = [\"{{env}}\", \"x\"] }} }}\nmax_duration = \"1h\"\napprovals = {{ dev = 0, staging = 1, prod = 2 }}\n"
        );
        let access = load(&text).unwrap().role("logs").unwrap().access("shop", "dev");
        assert_eq!(access.resources, ["arn:aws:logs:*:*:log-group:/shop/dev/*", "arn:aws:s3:::b/${aws:username}/*"]);
        assert_eq!(access.conditions["StringEquals"]["aws:ResourceTag/shop"], serde_json::json!(["dev", "x"]));
    }

    #[test]
    fn mistakes_name_file_and_line() {
        let e = error(&format!("{BASE}{ROLE}colour = \"red\"\n"));
        assert!(e.starts_with("opskit.toml:12: unknown field `colour`"), "{e}");
        let no_actions = ROLE.replace("actions = [\"ssm:StartSession\"]\n", "");
        let e = error(&format!("{BASE}{no_actions}"));
        assert!(e.starts_with("opskit.toml:") && e.contains("[accessgrant.roles.debug] has no actions"), "{e}");
        let e = error(&format!("{BASE}{}", ROLE.replace("staging = 1, ", "")));
        assert!(e.starts_with("opskit.toml:11: missing field `staging`"), "{e}");
        let e = error(&format!("{BASE}{}", ROLE.replace("[\"ssm:StartSession\"]", "[]")));
        assert!(e.starts_with("opskit.toml:7: [accessgrant.roles.debug] actions is empty"), "{e}");
        let e = error(&format!("{BASE}{}", ROLE.replace("ssm:StartSession", "StartSession")));
        assert!(e.starts_with("opskit.toml:7:") && e.contains("`StartSession` is not an IAM action"), "{e}");
        let e = error(&format!("{BASE}{}", ROLE.replace("prod = 2", "prod = 1")));
        assert!(e.starts_with("opskit.toml:11:") && e.contains("prod needs at least 2"), "{e}");
        let e = error(&format!("{BASE}{}", ROLE.replace("\"4h\"", "\"soon\"")));
        assert!(e.starts_with("opskit.toml:10: [accessgrant.roles.debug] max_duration"), "{e}");
        let e = error(&format!("{BASE}{}", ROLE.replace("{env}", "{environment}")));
        assert!(e.starts_with("opskit.toml:9:") && e.contains("unknown placeholder `{environment}`"), "{e}");
        let e = error(&format!("{BASE}{}", ROLE.replace("ssm:resourceTag/env", "aws:CurrentTime")));
        assert!(e.contains("aws:CurrentTime") && e.starts_with("opskit.toml:9:"), "{e}");
        let e = error(&BASE.replace("arn:aws:iam::111:user/bob", "bob"));
        assert!(e.starts_with("opskit.toml:4: approvers: `bob`"), "{e}");
        let e = error("[accessgrant]\nbucket = \"Bad_Bucket\"\n");
        assert!(e.starts_with("opskit.toml:2: bucket"), "{e}");
        let e = error("[accessgrant]\n");
        assert!(e.contains("missing field `bucket`"), "{e}");
    }
}
