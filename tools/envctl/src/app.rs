//! What every envctl command stands on: the layout of names, the store and registry of each
//! environment (an environment may live in its own account and region), and environments —
//! declared in opskit.toml, temporary (with metadata in SSM), or found by their parameters.

use std::collections::BTreeMap;
use std::time::SystemTime;

use opskit::environment::{Tier, validate_name};
use opskit::output::Record;
use opskit::params::{CHAMBER_TEMPLATE, ParamLayout, validate_key};
use opskit::registry::{EnvMeta, Incomplete, Registry};
use opskit::{Context, Environment, Error, Result};
use serde::Serialize;

use crate::store::{Param, Settings, Store, Values};

pub struct Envctl<'a> {
    pub ctx: &'a Context,
    pub layout: ParamLayout,
    /// Empty in chamber mode, where there is no app level.
    pub app: String,
    pub chamber: bool,
    settings: Settings,
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
    /// A bulk write into it did not finish: it may lack keys.
    pub incomplete: bool,
    /// The command that completes it, when incomplete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finish: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_names: Option<Vec<String>>,
}

impl Record for EnvRecord {
    const KIND: &'static str = "env";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "app",
        "name",
        "tier",
        "keys",
        "owner",
        "created",
        "expires",
        "source",
        "expired",
        "declared",
        "incomplete",
        "finish",
        "key_names",
    ];
}

/// One key's part in a change (or one environment's, for `rm`): planned, written, failed.
#[derive(Serialize)]
pub struct ChangeRecord {
    pub kind: &'static str,
    pub env: String,
    pub key: Option<String>,
    pub action: &'static str,
    pub status: &'static str,
    pub version: Option<i64>,
    /// Keys affected, for a change to a whole environment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Record for ChangeRecord {
    const KIND: &'static str = "change";
    const COLUMNS: &'static [&'static str] = &["kind", "env", "key", "action", "status", "version", "keys", "error"];
}

impl ChangeRecord {
    pub fn new(env: &str, key: &str, action: &'static str, status: &'static str) -> ChangeRecord {
        ChangeRecord {
            kind: "change",
            env: env.into(),
            key: Some(key.into()),
            action,
            status,
            version: None,
            keys: None,
            error: None,
        }
    }
}

impl<'a> Envctl<'a> {
    pub fn new(ctx: &'a Context, chamber: bool) -> Result<Envctl<'a>> {
        let (app, template) = if chamber {
            (String::new(), CHAMBER_TEMPLATE.to_owned())
        } else {
            (ctx.app()?.to_owned(), ctx.config.param_prefix().to_owned())
        };
        let layout = ParamLayout::new(&template, &app)?;
        let settings = ctx.config.section::<Settings>("envctl")?.unwrap_or_default();
        settings.validate()?;
        Ok(Envctl { ctx, layout, app, chamber, settings })
    }

    async fn ssm(&self, env: Option<&str>) -> Result<aws_sdk_ssm::Client> {
        let sdk = match env {
            Some(env) => self.ctx.sdk_for(env).await?,
            None => self.ctx.sdk().await?,
        };
        Ok(opskit::aws_client!(aws_sdk_ssm, &sdk))
    }

    /// The parameters of `env`, in its own account and region.
    pub async fn store(&self, env: &str) -> Result<Store> {
        Ok(Store::new(self.ssm(Some(env)).await?, self.settings.clone()))
    }

    /// Where `env`'s metadata and marks are kept (beside its parameters).
    pub async fn registry(&self, env: &str) -> Result<Registry> {
        Ok(Registry::new(self.ssm(Some(env)).await?, &self.app))
    }

    /// The parameters and registry of the app where no environment says otherwise (for `ls`).
    async fn home(&self) -> Result<(Store, Registry)> {
        let ssm = self.ssm(None).await?;
        Ok((Store::new(ssm.clone(), self.settings.clone()), Registry::new(ssm, &self.app)))
    }

    /// The registry of the app's temporary environments (for `reap`).
    pub async fn registry_home(&self) -> Result<Registry> {
        Ok(self.home().await?.1)
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

    /// A command's environment and the positionals after it, merged with `-e`/OPSKIT_ENV:
    /// without `-e` the first positional is the environment; with it, the first positional is
    /// the environment only when it names the same one (or, being a declared environment or
    /// more than `max_rest` allows, clearly meant to be one: then two differing environments are
    /// a usage error), and otherwise the positionals are the rest.
    pub fn env_and_rest(
        &self,
        first: Option<String>,
        rest: Vec<String>,
        max_rest: Option<usize>,
    ) -> Result<(String, Vec<String>)> {
        let Some(global) = self.ctx.env_name() else {
            return Ok((self.ctx.env_arg(first.as_deref())?, rest));
        };
        match first {
            None => Ok((self.ctx.env_arg(None)?, rest)),
            Some(first) => {
                let meant_as_env = first == global
                    || max_rest.is_some_and(|max| rest.len() + 1 > max)
                    || (!self.chamber && self.ctx.config.envs.contains_key(&first));
                if meant_as_env {
                    Ok((self.ctx.env_arg(Some(&first))?, rest))
                } else {
                    Ok((self.ctx.env_arg(None)?, std::iter::once(first).chain(rest).collect()))
                }
            }
        }
    }

    /// The environment `env` as it stands: declared, temporary, or holding parameters; `None`
    /// when it does not exist.
    pub async fn lookup(&self, env: &str) -> Result<Option<Environment>> {
        validate_name("environment", env)?;
        if let Some(declared) = self.ctx.config.environment(env) {
            return Ok(Some(declared));
        }
        let found = |tier| Environment::undeclared(env, tier);
        if self.chamber {
            return Ok(Some(found(Tier::infer(env))));
        }
        if let Some(meta) = self.registry(env).await?.get(env).await? {
            return Ok(Some(found(meta.tier)));
        }
        if self.store(env).await?.has_any(&self.layout.env_path(env)).await? {
            return Ok(Some(found(Tier::infer(env))));
        }
        Ok(None)
    }

    /// An environment that must exist.
    pub async fn resolve(&self, env: &str) -> Result<Environment> {
        self.lookup(env).await?.ok_or_else(|| {
            Error::not_found(format!("environment `{env}` not found in app `{}`", self.app)).with_hint(format!(
                "`envctl ls` lists the environments; start this one with `envctl set {env} KEY` (value on stdin) or `envctl copy SRC {env}`"
            ))
        })
    }

    /// An environment a write may create: one that exists, or a new one, unless its name is a
    /// likely typo of an existing environment's (`stagnig`) and `create` was not given. Returns
    /// whether it is new.
    pub async fn resolve_or_new(&self, env: &str, create: bool) -> Result<(Environment, bool)> {
        if let Some(existing) = self.lookup(env).await? {
            return Ok((existing, false));
        }
        if !create {
            let known = self.environments().await?;
            if let Some(near) = known.iter().map(|e| e.name.as_str()).find(|k| likely_typo(env, k)) {
                return Err(Error::not_found(format!("environment `{env}` does not exist; did you mean `{near}`?"))
                    .with_hint(format!(
                        "to create `{env}` as a new environment, run the command again with --create"
                    )));
            }
        }
        Ok((Environment::undeclared(env, Tier::infer(env)), true))
    }

    /// Every parameter of an environment that must exist. An environment with parameters
    /// plainly exists, so the existence check costs a request only when there are none.
    pub async fn params(&self, env: &str, values: Values) -> Result<Vec<Param>> {
        validate_name("environment", env)?;
        let params = self.store(env).await?.list(&self.layout.env_path(env), values).await?;
        if params.is_empty() {
            self.resolve(env).await?;
        }
        Ok(params)
    }

    /// Every environment of the app: declared ones, temporary ones, and any that have parameters.
    /// Declared environments kept in another account or region are counted there.
    pub async fn environments(&self) -> Result<Vec<EnvRecord>> {
        let (store, registry) = self.home().await?;
        let (metas, names, incomplete) = if self.chamber {
            (BTreeMap::new(), store.names(self.layout.root()).await?, BTreeMap::new())
        } else {
            tokio::try_join!(registry.list(), store.names(self.layout.root()), registry.incomplete())?
        };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for name in &names {
            if let Some((env, _)) = self.layout.split(name) {
                *counts.entry(env.to_owned()).or_default() += 1;
            }
        }
        let mut all: Vec<String> = counts.keys().chain(metas.keys()).chain(incomplete.keys()).cloned().collect();
        let home = self.ctx.aws_settings(None)?;
        if !self.chamber {
            for env in self.ctx.config.envs.keys() {
                all.push(env.clone());
                if self.ctx.aws_settings(Some(env))? != home {
                    let names = self.store(env).await?.names(&self.layout.env_path(env)).await?;
                    counts.insert(env.clone(), names.len());
                }
            }
        }
        all.sort();
        all.dedup();
        let now = SystemTime::now();
        Ok(all
            .into_iter()
            .map(|name| {
                let keys = counts.get(&name).copied().unwrap_or(0);
                self.record(&name, metas.get(&name), incomplete.get(&name), keys, now)
            })
            .collect())
    }

    pub fn record(
        &self,
        name: &str,
        meta: Option<&EnvMeta>,
        incomplete: Option<&Incomplete>,
        keys: usize,
        now: SystemTime,
    ) -> EnvRecord {
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
            incomplete: incomplete.is_some(),
            finish: incomplete.map(|i| i.finish.clone()),
            key_names: None,
        }
    }
}

/// Whether `new` looks like a mistyped `existing`, and not merely another number in a series
/// (`demo-1`, `demo-2`).
fn likely_typo(new: &str, existing: &str) -> bool {
    let strip = |s: &str| s.chars().filter(|c| !c.is_ascii_digit()).collect::<String>();
    let numbered = strip(new) == strip(existing) && new != strip(new);
    !numbered && opskit::suggest::is_typo_of(new, existing)
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
pub fn as_variables<V: Clone>(env: &str, params: &[(String, V)]) -> Result<Vec<(String, V)>> {
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
        let clash = as_variables("dev", &[("a.b".to_owned(), "1"), ("a_b".to_owned(), "2")]);
        assert!(clash.unwrap_err().to_string().contains("both become the variable a_b"));
    }

    #[test]
    fn typos_are_near_names_but_not_numbered_series() {
        assert!(likely_typo("stagnig", "staging"));
        assert!(likely_typo("stagin", "staging"));
        assert!(likely_typo("prd", "prod"));
        assert!(!likely_typo("demo-2", "demo-1"));
        assert!(!likely_typo("qa", "staging"));
        assert!(!likely_typo("staging", "staging"));
        assert!(!likely_typo("demo", "dev"));
    }
}
