//! Commands that only read: ls, show, get, history, diff, export.

use std::collections::BTreeMap;
use std::time::SystemTime;

use opskit::output::{Format, Layout, MASK, Record};
use opskit::{Error, Exit};
use serde::Serialize;

use crate::app::Envctl;
use crate::formats::{self, Dialect, ExportFormat};
use crate::store::{Kind, Param, Values};

pub async fn ls(app: &Envctl<'_>, expired_only: bool) -> anyhow::Result<Exit> {
    let empty = if expired_only { "no expired environments" } else { "no environments" };
    let mut out = app
        .ctx
        .emitter()
        .brief::<crate::app::EnvRecord>(&[
            "name",
            "tier",
            "keys",
            "owner",
            "expires",
            "expired",
            "incomplete",
            "source",
        ])
        .on_empty(empty);
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
    let store = app.store(env).await?;
    let (meta, incomplete, names) = if app.chamber {
        (None, None, store.names(&path).await?)
    } else {
        let registry = app.registry(env).await?;
        let (meta, incomplete, names) = tokio::try_join!(registry.get(env), registry.incomplete(), store.names(&path))?;
        (meta, incomplete.get(env).cloned(), names)
    };
    let mut record = app.record(env, meta.as_ref(), incomplete.as_ref(), names.len(), SystemTime::now());
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

/// A parameter, or (as `param_version`) one version of one.
macro_rules! param_record {
    ($name:ident, $kind:literal) => {
        #[derive(Serialize)]
        struct $name<'a>(ParamRecord<'a>);
        impl Record for $name<'_> {
            const KIND: &'static str = $kind;
            const COLUMNS: &'static [&'static str] =
                &["kind", "env", "key", "name", "type", "version", "last_modified", "modified_by", "labels", "value"];
        }
    };
}
param_record!(ParamOut, "param");
/// What a person scanning parameters needs (`--wide` shows the rest).
const PARAM_BRIEF: &[&str] = &["key", "type", "version", "last_modified", "value"];
param_record!(VersionOut, "param_version");

/// Parameters as records. Plain values are not secrets and always appear; secure ones only
/// with `reveal` (a table shows a mask in their place, JSON leaves them out).
fn param_records<'a>(
    app: &'a Envctl<'_>,
    env: &'a str,
    kind: &'static str,
    params: &'a [Param],
    reveal: bool,
) -> impl Iterator<Item = ParamRecord<'a>> {
    let table = app.ctx.format == Format::Table;
    params.iter().map(move |p| {
        let hidden = p.kind == Kind::Secure && !reveal;
        ParamRecord {
            kind,
            env,
            key: app.key_of(env, &p.name),
            name: &p.name,
            r#type: p.kind.as_str(),
            version: p.version,
            last_modified: p.last_modified.as_deref(),
            modified_by: p.modified_by.as_deref(),
            labels: &p.labels,
            value: if hidden { table.then_some(MASK) } else { p.value.as_ref().map(opskit::Secret::expose) },
        }
    })
}

/// Plain values always, secure ones when revealed.
fn values_for(reveal: bool) -> Values {
    if reveal { Values::All } else { Values::Plain }
}

pub async fn get(app: &Envctl<'_>, env: &str, keys: &[String], reveal: bool) -> anyhow::Result<Exit> {
    let params = if keys.is_empty() {
        app.params(env, values_for(reveal)).await?
    } else {
        let names = keys.iter().map(|k| app.name(env, k)).collect::<opskit::Result<Vec<_>>>()?;
        let (found, missing) = app.store(env).await?.get_many(&names, values_for(reveal)).await?;
        if found.is_empty() {
            app.resolve(env).await?;
        }
        if !missing.is_empty() {
            let keys: Vec<&str> = missing.iter().map(|n| app.key_of(env, n)).collect();
            return Err(Error::not_found(format!("{env}: no key {}", keys.join(", ")))
                .with_hint(format!("`envctl get {env}` lists its keys; `envctl set {env} KEY` adds one"))
                .into());
        }
        found
    };
    let mut out = app.ctx.emitter().brief::<ParamOut<'_>>(PARAM_BRIEF).on_empty(&format!("{env} has no parameters"));
    for record in param_records(app, env, "param", &params, reveal) {
        out.emit(&ParamOut(record))?;
    }
    out.finish()?;
    Ok(Exit::Success)
}

pub async fn history(app: &Envctl<'_>, env: &str, key: &str, reveal: bool) -> anyhow::Result<Exit> {
    let name = app.name(env, key)?;
    app.resolve(env).await?;
    let versions = app.store(env).await?.history(&name, values_for(reveal)).await.map_err(|e| {
        if e.exit() == Exit::NotFound {
            Error::not_found(format!("{env}: no key {key}")).with_hint(format!("`envctl get {env}` lists its keys"))
        } else {
            e
        }
    })?;
    let mut out = app.ctx.emitter().brief::<VersionOut<'_>>(&[
        "version",
        "type",
        "last_modified",
        "modified_by",
        "labels",
        "value",
    ]);
    for record in param_records(app, env, "param_version", &versions, reveal) {
        out.emit(&VersionOut(record))?;
    }
    out.finish()?;
    Ok(Exit::Success)
}

impl Record for DiffRecord<'_> {
    const KIND: &'static str = "diff";
    const COLUMNS: &'static [&'static str] = &["kind", "key", "status", "a", "b", "a_value", "b_value"];
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
    let values = if keys_only { Values::None } else { Values::All };
    let (pa, pb) = tokio::try_join!(app.params(a, values), app.params(b, values))?;
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
    let mut out = app.ctx.emitter().on_empty("no differences");
    for key in keys {
        let (va, vb) = (ma.get(key), mb.get(key));
        let status = match (va, vb) {
            (Some(_), None) => "only_in_a",
            (None, Some(_)) => "only_in_b",
            (Some(x), Some(y)) if !keys_only && (x.value != y.value || x.kind != y.kind) => "differs",
            _ => continue,
        };
        let (a_value, b_value) = if reveal {
            fn shown(p: Option<&Param>) -> Option<&str> {
                p.and_then(|p| p.value.as_ref()).map(opskit::Secret::expose)
            }
            (shown(va), shown(vb))
        } else {
            (None, None)
        };
        out.emit(&DiffRecord { kind: "diff", key, status, a, b, a_value, b_value })?;
    }
    let differs = out.count() > 0;
    out.finish()?;
    Ok(if differs { Exit::No } else { Exit::Success })
}

pub async fn export(app: &Envctl<'_>, env: &str, format: ExportFormat, dialect: Dialect) -> anyhow::Result<Exit> {
    let params = app.params(env, Values::All).await?;
    let pairs: Vec<(String, String)> = params
        .into_iter()
        .map(|p| (app.key_of(env, &p.name).to_owned(), p.value.map(opskit::Secret::into_exposed).unwrap_or_default()))
        .collect();
    let text = formats::export(env, format, dialect, &pairs)?;
    opskit::output::write_stdout(text.as_bytes())?;
    Ok(Exit::Success)
}
