//! What every envctl command stands on: the store, the layout of names, and environments —
//! declared in opskit.toml, temporary (with metadata in SSM), or found by their parameters.

use std::collections::BTreeMap;
use std::time::SystemTime;

use opskit::environment::{Tier, validate_name};
use opskit::params::{CHAMBER_TEMPLATE, ParamLayout, validate_key};
use opskit::registry::{EnvMeta, Registry};
use opskit::{Context, Environment, Error, Result};
use serde::Serialize;

use crate::store::{Param, Settings, Store};

pub struct Envctl<'a> {
    pub ctx: &'a Context,
    pub store: Store,
    pub registry: Registry,
    pub layout: ParamLayout,
    /// Empty in chamber mode, where there is no app level.
    pub app: String,
    pub chamber: bool,
}

/// An environment as `ls` and `show` report it.
#[derive(Serialize)]
pub struct EnvRecord {
    pub kind: &'static str,
    pub app: Option<String>,
    pub name: String,
    pub tier: Tier,
    pub keys: usize,
    pub owner: Option<String>,
    pub created: Option<String>,
    pub expires: Option<String>,
    pub source: Option<String>,
    pub expired: bool,
    pub declared: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_names: Option<Vec<String>>,
}

/// One key's part in a change: planned, written, failed.
#[derive(Serialize)]
pub struct ChangeRecord {
    pub kind: &'static str,
    pub env: String,
    pub key: String,
    pub action: &'static str,
    pub status: &'static str,
    pub version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl ChangeRecord {
    pub fn new(env: &str, key: &str, action: &'static str, status: &'static str) -> ChangeRecord {
        ChangeRecord { kind: "change", env: env.into(), key: key.into(), action, status, version: None, error: None }
    }
}

impl<'a> Envctl<'a> {
    pub async fn new(ctx: &'a Context, chamber: bool) -> Result<Envctl<'a>> {
        let (app, template) = if chamber {
            (String::new(), CHAMBER_TEMPLATE.to_owned())
        } else {
            (ctx.app()?.to_owned(), ctx.config.param_prefix().to_owned())
        };
        let layout = ParamLayout::new(&template, &app)?;
        let settings = ctx.config.section::<Settings>("envctl")?.unwrap_or_default();
        let ssm = aws_sdk_ssm::Client::new(ctx.sdk().await?);
        let registry = Registry::new(ssm.clone(), &app);
        Ok(Envctl { ctx, store: Store::new(ssm, settings)?, registry, layout, app, chamber })
    }

    pub fn name(&self, env: &str, key: &str) -> Result<String> {
        validate_key(key)?;
        Ok(self.layout.name(env, key))
    }

    /// The key part of a full parameter name in `env`.
    pub fn key_of<'n>(&self, env: &str, name: &'n str) -> &'n str {
        let prefix = self.layout.env_path(env);
        name.strip_prefix(&prefix).and_then(|k| k.strip_prefix('/')).unwrap_or(name)
    }

    /// An environment that must exist: declared, temporary, or holding parameters.
    pub async fn resolve(&self, env: &str) -> Result<Environment> {
        validate_name("environment", env)?;
        if let Some(declared) = self.ctx.config.environment(env) {
            return Ok(declared);
        }
        let found = |tier| Environment { name: env.to_owned(), tier, profile: None, region: None, role_arn: None };
        if self.chamber {
            return Ok(found(Tier::infer(env)));
        }
        if let Some(meta) = self.registry.get(env).await? {
            return Ok(found(meta.tier));
        }
        if self.store.has_any(&self.layout.env_path(env)).await? {
            return Ok(found(Tier::infer(env)));
        }
        Err(Error::not_found(format!("environment `{env}` not found in app `{}`", self.app)).with_hint(format!(
            "it is not declared in opskit.toml, has no metadata and no parameters under {}; create it with `envctl copy SRC {env}`",
            self.layout.env_path(env)
        )))
    }

    /// Every parameter of an environment that must exist, values only when `decrypt`. An
    /// environment with parameters plainly exists, so the existence check costs a request only
    /// when there are none.
    pub async fn params(&self, env: &str, decrypt: bool) -> Result<Vec<Param>> {
        validate_name("environment", env)?;
        let params = self.store.list(&self.layout.env_path(env), decrypt).await?;
        if params.is_empty() {
            self.resolve(env).await?;
        }
        Ok(params)
    }

    /// Every environment of the app: declared ones, temporary ones, and any that have parameters.
    pub async fn environments(&self) -> Result<Vec<EnvRecord>> {
        let (metas, names) = if self.chamber {
            (BTreeMap::new(), self.store.names(self.layout.root()).await?)
        } else {
            tokio::try_join!(self.registry.list(), self.store.names(self.layout.root()))?
        };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for name in &names {
            if let Some((env, _)) = self.layout.split(name) {
                *counts.entry(env.to_owned()).or_default() += 1;
            }
        }
        let mut all: Vec<String> = counts.keys().chain(metas.keys()).cloned().collect();
        if !self.chamber {
            all.extend(self.ctx.config.envs.keys().cloned());
        }
        all.sort();
        all.dedup();
        let now = SystemTime::now();
        Ok(all
            .into_iter()
            .map(|name| {
                let keys = counts.get(&name).copied().unwrap_or(0);
                self.record(&name, metas.get(&name), keys, now)
            })
            .collect())
    }

    pub fn record(&self, name: &str, meta: Option<&EnvMeta>, keys: usize, now: SystemTime) -> EnvRecord {
        let declared = if self.chamber { None } else { self.ctx.config.environment(name) };
        let tier = declared.as_ref().map(|d| d.tier).or(meta.map(|m| m.tier)).unwrap_or_else(|| Tier::infer(name));
        EnvRecord {
            kind: "env",
            app: (!self.chamber).then(|| self.app.clone()),
            name: name.to_owned(),
            tier,
            keys,
            owner: meta.and_then(|m| m.owner.clone()),
            created: meta.map(|m| m.created.clone()),
            expires: meta.and_then(|m| m.expires.clone()),
            source: meta.and_then(|m| m.source.clone()),
            expired: meta.is_some_and(|m| m.is_expired(now)),
            declared: declared.is_some(),
            key_names: None,
        }
    }
}

/// A parameter key as an environment variable name (dotenv, shell, tfvars, exec): `/`, `.` and
/// `-` become `_`; case is kept exactly.
pub fn var_name(key: &str) -> String {
    let mut name: String = key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// `(variable, value)` pairs, refusing two keys that would become the same variable.
pub fn as_variables(env: &str, params: &[(String, String)]) -> Result<Vec<(String, String)>> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::with_capacity(params.len());
    for (key, value) in params {
        let var = var_name(key);
        if let Some(other) = seen.insert(var.clone(), key) {
            return Err(Error::data(format!("{env}: keys `{other}` and `{key}` both become the variable {var}"))
                .with_hint("rename one of them, or use --format json, which keeps keys as they are"));
        }
        out.push((var, value.clone()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names() {
        assert_eq!(var_name("DB_URL"), "DB_URL");
        assert_eq!(var_name("db/primary.url-ro"), "db_primary_url_ro");
        assert_eq!(var_name("1password"), "_1password");
        let clash = as_variables("dev", &[("a.b".into(), "1".into()), ("a_b".into(), "2".into())]);
        assert!(clash.unwrap_err().to_string().contains("both become the variable a_b"));
    }
}
