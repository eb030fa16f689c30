//! Where an environment's parameters live in SSM Parameter Store: `/<app>/<env>/<KEY>` by
//! default, any template with `{env}` (and usually `{app}`) by config, `/<service>/<key>` for
//! chamber's layout. Keys may be hierarchies (`db/primary/url`) and keep their case exactly.

use crate::error::{Error, Result};

#[derive(Clone, Debug)]
pub struct ParamLayout {
    /// The part before `{env}`, `{app}` filled in: `/casetracker/`.
    root: String,
    /// The part after `{env}`, `{app}` filled in: usually empty.
    suffix: String,
}

/// chamber's layout: `/<service>/<key>`, the service playing the environment.
pub const CHAMBER_TEMPLATE: &str = "/{env}";

impl ParamLayout {
    pub fn new(template: &str, app: &str) -> Result<ParamLayout> {
        let bad = |why: &str| Error::config(format!("param_prefix `{template}`: {why}"));
        if !template.starts_with('/') {
            return Err(bad("must start with `/`"));
        }
        if template.ends_with('/') {
            return Err(bad("must not end with `/`"));
        }
        let filled = template.replace("{app}", app);
        let (root, suffix) = filled.split_once("{env}").ok_or_else(|| bad("must contain `{env}`"))?;
        if suffix.contains("{env}") {
            return Err(bad("must contain `{env}` once"));
        }
        if !(root.ends_with('/') && (suffix.is_empty() || suffix.starts_with('/'))) {
            return Err(bad("`{env}` must be a whole path segment"));
        }
        Ok(ParamLayout { root: root.to_owned(), suffix: suffix.to_owned() })
    }

    /// The path holding one environment's parameters: `/casetracker/staging`.
    pub fn env_path(&self, env: &str) -> String {
        format!("{}{env}{}", self.root, self.suffix)
    }

    /// The full parameter name of a key.
    pub fn name(&self, env: &str, key: &str) -> String {
        format!("{}/{key}", self.env_path(env))
    }

    /// The path under which every environment of the app lives (for discovery).
    pub fn root(&self) -> &str {
        &self.root
    }

    /// `(env, key)` of a parameter name under [`ParamLayout::root`], if it fits the layout.
    pub fn split<'a>(&self, name: &'a str) -> Option<(&'a str, &'a str)> {
        let rest = name.strip_prefix(&self.root)?;
        let (env, rest) = rest.split_once('/')?;
        let key =
            if self.suffix.is_empty() { rest } else { rest.strip_prefix(&self.suffix[1..])?.strip_prefix('/')? };
        (!env.is_empty() && !key.is_empty()).then_some((env, key))
    }
}

/// Keys are SSM name segments: letters, digits, `_ . -`, and `/` between non-empty parts.
pub fn validate_key(key: &str) -> Result<()> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/');
    if key.is_empty()
        || key.len() > 1011
        || !key.chars().all(ok_char)
        || key.starts_with('/')
        || key.ends_with('/')
        || key.contains("//")
    {
        return Err(Error::usage(format!(
            "invalid key `{key}`: use letters, digits, `_`, `.`, `-`, and `/` between parts"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_layout() {
        let l = ParamLayout::new("/{app}/{env}", "casetracker").unwrap();
        assert_eq!(l.env_path("staging"), "/casetracker/staging");
        assert_eq!(l.name("staging", "db/url"), "/casetracker/staging/db/url");
        assert_eq!(l.root(), "/casetracker/");
        assert_eq!(l.split("/casetracker/staging/db/url"), Some(("staging", "db/url")));
        assert_eq!(l.split("/other/staging/x"), None);
        assert_eq!(l.split("/casetracker/staging"), None);
    }

    #[test]
    fn env_in_the_middle() {
        let l = ParamLayout::new("/config/{env}/{app}", "ct").unwrap();
        assert_eq!(l.name("dev", "K"), "/config/dev/ct/K");
        assert_eq!(l.split("/config/dev/ct/K"), Some(("dev", "K")));
        assert_eq!(l.split("/config/dev/other/K"), None);
    }

    #[test]
    fn chamber_layout() {
        let l = ParamLayout::new(CHAMBER_TEMPLATE, "ignored").unwrap();
        assert_eq!(l.name("billing", "db_password"), "/billing/db_password");
    }

    #[test]
    fn bad_templates() {
        for t in ["{app}/{env}", "/{app}/", "/{app}", "/x{env}", "/{env}/{env}"] {
            assert!(ParamLayout::new(t, "a").is_err(), "{t}");
        }
    }

    #[test]
    fn keys() {
        for k in ["DB_URL", "db/primary/url", "a.b-c_d", "MixedCase"] {
            assert!(validate_key(k).is_ok(), "{k}");
        }
        for k in ["", "/x", "x/", "a//b", "a b", "é", "KEY=value"] {
            assert!(validate_key(k).is_err(), "{k}");
        }
    }
}
