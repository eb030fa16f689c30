//! Temporary environments' metadata (owner, created, expires, source, tier), kept in SSM at
//! `/opskit/<app>/envs/<env>` as a JSON string that envctl writes and every tool can read; and
//! the marks of bulk writes that did not finish, at `/opskit/<app>/incomplete/<env>`, so a
//! half-filled environment never looks like a complete one.

use std::collections::BTreeMap;
use std::time::SystemTime;

use aws_sdk_ssm::Client;
use aws_sdk_ssm::types::ParameterType;
use serde::{Deserialize, Serialize};

use crate::aws::AwsResultExt;
use crate::environment::Tier;
use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvMeta {
    pub tier: Tier,
    pub owner: Option<String>,
    /// RFC 3339 UTC.
    pub created: String,
    /// RFC 3339 UTC; `None` for an environment without a TTL.
    pub expires: Option<String>,
    /// The environment it was copied from.
    pub source: Option<String>,
}

impl EnvMeta {
    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.expires.as_deref().and_then(|e| humantime::parse_rfc3339(e).ok()).is_some_and(|t| t <= now)
    }
}

/// A bulk write into an environment that has not finished (yet, or ever).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incomplete {
    /// What was being done: `copy from staging`, `import of .env`.
    pub operation: String,
    /// RFC 3339 UTC.
    pub started: String,
    /// The command that completes it.
    pub finish: String,
}

pub fn meta_path(app: &str) -> String {
    format!("/opskit/{app}/envs")
}

pub fn meta_name(app: &str, env: &str) -> String {
    format!("{}/{env}", meta_path(app))
}

fn incomplete_path(app: &str) -> String {
    format!("/opskit/{app}/incomplete")
}

/// The registry of one app's temporary environments.
pub struct Registry {
    ssm: Client,
    app: String,
}

impl Registry {
    pub fn new(ssm: Client, app: &str) -> Registry {
        Registry { ssm, app: app.to_owned() }
    }

    pub async fn list(&self) -> Result<BTreeMap<String, EnvMeta>> {
        self.list_under(&meta_path(&self.app)).await
    }

    /// Every JSON entry under `path`, by environment; a malformed one is skipped with a warning
    /// naming it, so one bad entry does not hide every environment.
    async fn list_under<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<BTreeMap<String, T>> {
        let mut out = BTreeMap::new();
        let mut pages =
            self.ssm.get_parameters_by_path().path(path).recursive(false).max_results(10).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.aws_context(format_args!("listing environments under {path}"))?;
            for p in page.parameters.unwrap_or_default() {
                let name = p.name.unwrap_or_default();
                let env = name.rsplit('/').next().unwrap_or_default().to_owned();
                match parse(&name, p.value.as_deref()) {
                    Ok(entry) => {
                        out.insert(env, entry);
                    }
                    Err(e) => crate::error::warn(&format!("skipping `{env}`: {e}")),
                }
            }
        }
        Ok(out)
    }

    /// Environments whose last bulk write did not finish.
    pub async fn incomplete(&self) -> Result<BTreeMap<String, Incomplete>> {
        self.list_under(&incomplete_path(&self.app)).await
    }

    /// Mark `env` as being written in bulk, before the first key is.
    pub async fn mark_incomplete(&self, env: &str, mark: &Incomplete) -> Result<()> {
        self.put_json(&format!("{}/{env}", incomplete_path(&self.app)), mark).await
    }

    /// The bulk write into `env` finished.
    pub async fn clear_incomplete(&self, env: &str) -> Result<()> {
        self.delete_entry(&format!("{}/{env}", incomplete_path(&self.app))).await
    }

    pub async fn get(&self, env: &str) -> Result<Option<EnvMeta>> {
        let name = meta_name(&self.app, env);
        match self.ssm.get_parameter().name(&name).send().await {
            Ok(out) => parse(&name, out.parameter.and_then(|p| p.value).as_deref()).map(Some),
            Err(e)
                if e.as_service_error()
                    .is_some_and(aws_sdk_ssm::operation::get_parameter::GetParameterError::is_parameter_not_found) =>
            {
                Ok(None)
            }
            Err(e) => Err(crate::aws::from_sdk(&e, &format!("reading {name}"))),
        }
    }

    pub async fn put(&self, env: &str, meta: &EnvMeta) -> Result<()> {
        self.put_json(&meta_name(&self.app, env), meta).await
    }

    pub async fn delete(&self, env: &str) -> Result<()> {
        let name = meta_name(&self.app, env);
        tokio::try_join!(self.delete_entry(&name), self.clear_incomplete(env))?;
        Ok(())
    }

    async fn put_json<T: Serialize>(&self, name: &str, entry: &T) -> Result<()> {
        let value = serde_json::to_string(entry).map_err(|e| Error::internal(e.to_string()))?;
        self.ssm
            .put_parameter()
            .name(name)
            .value(value)
            .r#type(ParameterType::String)
            .overwrite(true)
            .send()
            .await
            .aws_context(format_args!("writing {name}"))?;
        Ok(())
    }

    async fn delete_entry(&self, name: &str) -> Result<()> {
        match self.ssm.delete_parameter().name(name).send().await {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error().is_some_and(
                    aws_sdk_ssm::operation::delete_parameter::DeleteParameterError::is_parameter_not_found,
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(crate::aws::from_sdk(&e, &format!("deleting {name}"))),
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, value: Option<&str>) -> Result<T> {
    serde_json::from_str(value.unwrap_or_default())
        .map_err(|e| Error::data(format!("the entry {name} is malformed: {e}")))
}
