//! What every dbdump command stands on: `[dbdump]` settings, the store, the database a command
//! reads (a URL, an environment, an RDS instance, records on stdin), the rules, and finding a
//! dump by id, `latest` or a `dump` record.

use std::path::{Path, PathBuf};

use opskit::{Context, Environment, Error, Result, Secret, Tier};
use serde::Deserialize;

use crate::engine::{Catalog, Client};
use crate::sanitize::rules::{self, Rules};
use crate::source::{self, Lookup, Source};
use crate::store::{Listed, Store, StoreSettings};

/// `[dbdump]` in opskit.toml.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `DIR` or `s3://bucket/prefix` (default: the user's data dir).
    pub store: Option<String>,
    /// The parameter holding an environment's database URL (default `DATABASE_URL`).
    pub url_key: Option<String>,
    /// A rules file (relative to opskit.toml), or the rules themselves.
    pub rules: Option<RulesSetting>,
    /// SSE-KMS key for dumps in S3.
    pub kms_key_id: Option<String>,
    /// SSM parameter (SecureString) holding the sanitising key; `DBDUMP_KEY` overrides it.
    pub key_parameter: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum RulesSetting {
    File(PathBuf),
    Inline(toml::Table),
}

/// The environment variable holding the sanitising key.
pub const KEY_VAR: &str = "DBDUMP_KEY";

/// Where the database to read is, from the flags.
#[derive(Clone, Debug, Default)]
pub struct SourceArgs {
    pub url: Option<String>,
    pub rds_instance: Option<String>,
    pub database: Option<String>,
    pub user: Option<String>,
    pub iam_auth: bool,
    /// `-`: `env` records on stdin.
    pub stdin: bool,
}

pub struct DbDump<'a> {
    pub ctx: &'a Context,
    pub settings: Settings,
    store_flag: Option<String>,
}

impl<'a> DbDump<'a> {
    pub fn new(ctx: &'a Context, store_flag: Option<String>) -> Result<DbDump<'a>> {
        let settings = ctx.config.section::<Settings>("dbdump")?.unwrap_or_default();
        Ok(DbDump { ctx, settings, store_flag })
    }

    pub async fn store(&self) -> Result<Store> {
        let location = self.store_flag.as_deref().or(self.settings.store.as_deref());
        Store::open(self.ctx, location, &StoreSettings { kms_key_id: self.settings.kms_key_id.clone() }).await
    }

    /// The app whose dumps a command lists: `--app` or opskit.toml's.
    pub fn app(&self) -> Result<&str> {
        self.ctx.app()
    }

    /// The environment named with `-e`, declared or not (its tier from its name then).
    pub fn environment(&self, name: &str) -> Environment {
        self.ctx.config.environment(name).unwrap_or_else(|| Environment::undeclared(name, Tier::infer(name)))
    }

    /// The database a command reads, and where its dumps are filed.
    pub async fn source(&self, args: &SourceArgs) -> Result<Source> {
        let lookup = Lookup { url_key: self.settings.url_key.as_deref().unwrap_or("DATABASE_URL") };
        let given = [args.url.is_some(), args.rds_instance.is_some(), args.stdin].iter().filter(|x| **x).count();
        if given > 1 {
            return Err(Error::usage("give one database: --url, --rds-instance or - (env records on stdin)"));
        }
        let env = self.ctx.env_name().map(|n| self.environment(n));
        let mut source = if args.stdin {
            let record = env_record()?;
            let app = record
                .0
                .or_else(|| self.ctx.app_if_known().map(str::to_owned))
                .ok_or_else(|| Error::data("stdin: the env record names no app").with_hint("pass --app NAME"))?;
            let environment = self.environment(&record.1);
            source::from_environment(self.ctx, &app, &environment, &lookup).await?
        } else if let Some(url) = &args.url {
            let mut url = source::from_flag(url)?;
            if let Some(db) = &args.database {
                url.database.clone_from(db);
            }
            source::adhoc(url, self.ctx.app_if_known(), env.as_ref())
        } else if let Some(instance) = &args.rds_instance {
            let url = source::from_rds(
                self.ctx,
                instance,
                env.as_ref().map(|e| e.name.as_str()),
                args.database.as_deref(),
                args.user.as_deref(),
            )
            .await?;
            let mut s = source::adhoc(url, self.ctx.app_if_known(), env.as_ref());
            s.origin = format!("RDS {instance}");
            s.via_aws = true;
            s
        } else if let Some(env) = &env {
            source::from_environment(self.ctx, self.app()?, env, &lookup).await?
        } else {
            return Err(Error::usage("no database given").with_hint(
                "name an environment with -e ENV (its DATABASE_URL parameter), or give --url URL, --rds-instance ID, or - (env records on stdin)",
            ));
        };
        if args.user.is_some() && args.rds_instance.is_none() {
            source.url.user.clone_from(&args.user);
        }
        if args.iam_auth {
            let env = (source.env != "adhoc").then_some(source.env.clone());
            source.url.password = Some(source::iam_token(self.ctx, env.as_deref(), &source.url).await?);
        }
        Ok(source)
    }

    /// The rules: `--rules FILE`, else `[dbdump] rules`; none at all is an empty set.
    pub fn rules(&self, flag: Option<&Path>) -> Result<(Rules, Option<String>)> {
        if let Some(path) = flag {
            let text = std::fs::read_to_string(path).map_err(|e| {
                let what = format!("cannot read the rules file {}: {e}", path.display());
                if e.kind() == std::io::ErrorKind::NotFound { Error::not_found(what) } else { Error::data(what) }
            })?;
            return Ok((rules::parse(path, &text)?, Some(text)));
        }
        match &self.settings.rules {
            None => Ok((Rules::default(), None)),
            Some(RulesSetting::File(path)) => {
                let base = self.ctx.config.file().and_then(Path::parent).unwrap_or(Path::new("."));
                let path = base.join(path);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Error::config(format!("[dbdump] rules: cannot read {}: {e}", path.display())))?;
                Ok((rules::parse(&path, &text)?, Some(text)))
            }
            Some(RulesSetting::Inline(table)) => {
                let text = toml::to_string(table).map_err(|e| Error::internal(e.to_string()))?;
                let origin = self.ctx.config.file().map_or_else(|| PathBuf::from("opskit.toml"), Path::to_path_buf);
                Ok((rules::parse(&origin.join("[dbdump.rules]"), &text)?, None))
            }
        }
    }

    /// The sanitising key: `DBDUMP_KEY`, else `[dbdump] key_parameter` from SSM; `None` when
    /// neither is set (a dump then draws a key of its own).
    pub async fn key(&self) -> Result<Option<(Secret, String)>> {
        if let Some(key) = std::env::var(KEY_VAR).ok().filter(|k| !k.is_empty()) {
            return Ok(Some((Secret::new(key), format!("environment {KEY_VAR}"))));
        }
        let Some(name) = &self.settings.key_parameter else { return Ok(None) };
        let sdk = self.ctx.sdk().await?;
        let ssm = opskit::aws_client!(aws_sdk_ssm, &sdk);
        let out = opskit::aws::AwsResultExt::aws_context(
            ssm.get_parameter().name(name).with_decryption(true).send().await,
            format_args!("reading the sanitising key {name}"),
        )?;
        let value = out
            .parameter
            .and_then(|p| p.value)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Error::config(format!("the sanitising key {name} is empty")))?;
        Ok(Some((Secret::from(value), format!("SSM {name}"))))
    }

    /// The live schema, checked against the rules (tables, columns, types).
    pub fn catalog(client: &Client, rules: &Rules, text: Option<&str>) -> Result<Catalog> {
        let catalog = client.catalog()?;
        rules::check_against(rules, &catalog, text)?;
        Ok(catalog)
    }

    /// A dump by id, `latest` (the newest complete one of `-e ENV`, or of the app), or `-` (a
    /// `dump` record on stdin).
    pub async fn find(&self, store: &Store, which: &str) -> Result<Listed> {
        let (app, env, id) = if which == "-" {
            let mut records = opskit::input::stdin();
            let record = records.next().ok_or_else(|| Error::data("stdin: no dump record"))??;
            record.expect_kind("dbdump", &["dump"])?;
            (record.str("app")?.to_owned(), Some(record.str("env")?.to_owned()), record.str("id")?.to_owned())
        } else {
            (self.app()?.to_owned(), self.ctx.env_name().map(str::to_owned), which.to_owned())
        };
        let dumps = store.list(&app, env.as_deref()).await?;
        let found = if id == "latest" {
            dumps.into_iter().rev().find(|d| d.manifest.is_some())
        } else {
            dumps.into_iter().find(|d| d.id == id)
        };
        found.ok_or_else(|| {
            let scope = env.as_ref().map_or_else(|| format!("app `{app}`"), |e| format!("`{app}/{e}`"));
            let what = if id == "latest" {
                format!("no complete dump of {scope}")
            } else {
                format!("no dump `{id}` of {scope}")
            };
            Error::not_found(what).with_hint("`dbdump ls` lists the dumps (`--all` the incomplete ones too)")
        })
    }
}

/// `(app, env)` from the first `env` record on stdin.
fn env_record() -> Result<(Option<String>, String)> {
    let mut records = opskit::input::stdin();
    let record =
        records.next().ok_or_else(|| Error::data("stdin: no env record (expected `envctl show ENV` output)"))??;
    record.expect_kind("dbdump create", &["env"])?;
    let env = record.str("name")?.to_owned();
    opskit::environment::validate_name("environment", &env)?;
    Ok((record.opt_str("app")?.map(str::to_owned), env))
}
