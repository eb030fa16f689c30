//! Commands that only read: ls, show, get, history, diff, export.

use std::collections::BTreeMap;
use std::time::SystemTime;

use opskit::output::{Format, Layout, MASK};
use opskit::{Error, Exit};
use serde::Serialize;

use crate::app::Envctl;
use crate::formats::{self, ExportFormat};
use crate::store::Param;

pub async fn ls(app: &Envctl<'_>, expired_only: bool) -> anyhow::Result<Exit> {
    let mut out = app.ctx.emitter();
    for record in app.environments().await? {
        if !expired_only || record.expired {
            out.emit(&record)?;
        }
    }
    out.finish()?;
    Ok(Exit::Success)
}

pub async fn show(app: &Envctl<'_>, env: &str) -> anyhow::Result<Exit> {
    app.resolve(env).await?;
    let path = app.layout.env_path(env);
    let (meta, names) = if app.chamber {
        (None, app.store.names(&path).await?)
    } else {
        tokio::try_join!(app.registry.get(env), app.store.names(&path))?
    };
    let mut record = app.record(env, meta.as_ref(), names.len(), SystemTime::now());
    record.key_names = Some(names.iter().map(|n| app.key_of(env, n).to_owned()).collect());
    let mut out = app.ctx.emitter().layout(Layout::Detail);
    out.emit(&record)?;
    out.finish()?;
    Ok(Exit::Success)
}

#[derive(Serialize)]
struct ParamRecord<'a> {
    kind: &'static str,
    env: &'a str,
    key: &'a str,
    name: &'a str,
    r#type: &'static str,
    version: i64,
    last_modified: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modified_by: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    labels: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
}

/// Emit parameters; values appear only with `reveal` (a table shows a mask in their place).
fn emit_params(app: &Envctl<'_>, env: &str, kind: &'static str, params: &[Param], reveal: bool) -> anyhow::Result<()> {
    let table = app.ctx.format == Format::Table;
    let mut out = app.ctx.emitter();
    if !reveal {
        out = out.mask(["value"]);
    }
    for p in params {
        out.emit(&ParamRecord {
            kind,
            env,
            key: app.key_of(env, &p.name),
            name: &p.name,
            r#type: p.kind.as_str(),
            version: p.version,
            last_modified: p.last_modified.as_deref(),
            modified_by: p.modified_by.as_deref(),
            labels: &p.labels,
            value: if reveal { p.value.as_deref() } else { table.then_some(MASK) },
        })?;
    }
    out.finish()?;
    Ok(())
}

pub async fn get(app: &Envctl<'_>, env: &str, keys: &[String], reveal: bool) -> anyhow::Result<Exit> {
    let params = if keys.is_empty() {
        app.params(env, reveal).await?
    } else {
        let names = keys.iter().map(|k| app.name(env, k)).collect::<opskit::Result<Vec<_>>>()?;
        let (found, missing) = app.store.get_many(&names, reveal).await?;
        if found.is_empty() {
            app.resolve(env).await?;
        }
        if !missing.is_empty() {
            let keys: Vec<&str> = missing.iter().map(|n| app.key_of(env, n)).collect();
            return Err(Error::not_found(format!("{env}: no key {}", keys.join(", "))).into());
        }
        found
    };
    emit_params(app, env, "param", &params, reveal)?;
    Ok(Exit::Success)
}

pub async fn history(app: &Envctl<'_>, env: &str, key: &str, reveal: bool) -> anyhow::Result<Exit> {
    let name = app.name(env, key)?;
    app.resolve(env).await?;
    let versions =
        app.store.history(&name, reveal).await.map_err(|e| {
            if e.exit() == Exit::NotFound { Error::not_found(format!("{env}: no key {key}")) } else { e }
        })?;
    emit_params(app, env, "param_version", &versions, reveal)?;
    Ok(Exit::Success)
}

#[derive(Serialize)]
struct DiffRecord<'a> {
    kind: &'static str,
    key: &'a str,
    status: &'static str,
    a: &'a str,
    b: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    a_value: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    b_value: Option<&'a str>,
}

/// Keys only in one side, and keys whose values (or types) differ. Exit 1 when there are any.
pub async fn diff(
    app: &Envctl<'_>,
    (a, b): (&str, &str),
    keys_only: bool,
    ignore: &[String],
    reveal: bool,
) -> anyhow::Result<Exit> {
    let decrypt = !keys_only;
    let (pa, pb) = tokio::try_join!(app.params(a, decrypt), app.params(b, decrypt))?;
    let index = |env: &str, params: Vec<Param>| -> BTreeMap<String, Param> {
        params
            .into_iter()
            .map(|p| (app.key_of(env, &p.name).to_owned(), p))
            .filter(|(k, _)| !ignore.contains(k))
            .collect()
    };
    let (ma, mb) = (index(a, pa), index(b, pb));
    let mut keys: Vec<&String> = ma.keys().chain(mb.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = app.ctx.emitter();
    for key in keys {
        let (va, vb) = (ma.get(key), mb.get(key));
        let status = match (va, vb) {
            (Some(_), None) => "only_in_a",
            (None, Some(_)) => "only_in_b",
            (Some(x), Some(y)) if !keys_only && (x.value != y.value || x.kind != y.kind) => "differs",
            _ => continue,
        };
        let (a_value, b_value) = if reveal {
            (va.and_then(|p| p.value.as_deref()), vb.and_then(|p| p.value.as_deref()))
        } else {
            (None, None)
        };
        out.emit(&DiffRecord { kind: "diff", key, status, a, b, a_value, b_value })?;
    }
    let differs = out.count() > 0;
    out.finish()?;
    Ok(if differs { Exit::No } else { Exit::Success })
}

pub async fn export(app: &Envctl<'_>, env: &str, format: ExportFormat) -> anyhow::Result<Exit> {
    let params = app.params(env, true).await?;
    let pairs: Vec<(String, String)> =
        params.into_iter().map(|p| (app.key_of(env, &p.name).to_owned(), p.value.unwrap_or_default())).collect();
    let text = formats::export(env, format, &pairs)?;
    opskit::output::write_stdout(text.as_bytes())?;
    Ok(Exit::Success)
}
