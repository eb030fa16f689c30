//! Commands that change parameters: set, unset, rollback, import, promote.
//!
//! Multi-key writes report every key (written with its version, or failed with why), and a
//! re-run finishes the job: writes are idempotent overwrites.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use opskit::error::warn;
use opskit::output::Emitter;
use opskit::{Error, Exit, Result};

use crate::app::{ChangeRecord, Envctl};
use crate::store::{Kind, Param};

/// One key to write.
pub struct KeyWrite {
    pub key: String,
    pub value: String,
    pub kind: Kind,
    pub action: &'static str,
}

/// Write keys concurrently and emit one record per key. Fails (after reporting every key) when
/// any key failed, with the first failure's exit code.
pub async fn write_keys<W: Write>(
    app: &Envctl<'_>,
    out: &mut Emitter<W>,
    env: &str,
    writes: &[KeyWrite],
) -> anyhow::Result<()> {
    // Values Parameter Store would refuse stop the whole write before any of it happens.
    for w in writes {
        app.store.check_value(&format!("{env}: {}", w.key), &w.value)?;
    }
    if app.ctx.dry_run {
        for w in writes {
            out.emit(&ChangeRecord::new(env, &w.key, w.action, "planned"))?;
        }
        return Ok(());
    }
    let items: Vec<(String, String, Kind)> =
        writes.iter().map(|w| (app.layout.name(env, &w.key), w.value.clone(), w.kind)).collect();
    // A handful of keys is done before a bar could be read.
    let quiet = app.ctx.quiet || items.len() <= 10;
    let progress = opskit::progress::bar(Some(items.len() as u64), &format!("writing to {env}"), false, quiet);
    let outcomes = app.store.put_many(&items, true, || progress.inc(1)).await;
    progress.finish_and_clear();
    let mut first_failure: Option<Error> = None;
    let mut failed = 0;
    for (w, outcome) in writes.iter().zip(outcomes) {
        let mut record = ChangeRecord::new(env, &w.key, w.action, "written");
        match outcome {
            Ok(version) => record.version = Some(version),
            Err(e) => {
                record.status = "failed";
                record.error = Some(e.to_string());
                failed += 1;
                first_failure.get_or_insert(e);
            }
        }
        out.emit(&record)?;
    }
    if let Some(first) = first_failure {
        let mut err = Error::new(
            first.exit(),
            format!("{env}: {failed} of {} keys were not written (the others were): {first}", writes.len()),
        );
        if let Some(hint) = first.hint() {
            err = err.with_hint(hint);
        } else {
            err = err.with_hint("run the same command again to finish: writes are idempotent");
        }
        return Err(err.into());
    }
    Ok(())
}

/// Where a value comes from. Never argv.
enum Source {
    Stdin,
    File(PathBuf),
}

pub struct SetArgs<'a> {
    pub env: &'a str,
    pub specs: &'a [String],
    pub from_file: Option<&'a Path>,
    pub kind: Kind,
    pub if_version: Option<i64>,
}

pub async fn set(app: &Envctl<'_>, args: SetArgs<'_>) -> anyhow::Result<Exit> {
    let env = args.env;
    let mut sources = Vec::new();
    for spec in args.specs {
        let (key, source) = match spec.split_once('=') {
            Some((key, file)) => match file.strip_prefix('@') {
                Some(path) => (key, Source::File(path.into())),
                None => {
                    return Err(Error::usage(format!("refusing `{key}=…`: values never go on the command line"))
                        .with_hint(format!(
                            "argv is visible in `ps` and shell history; use `envctl set {env} {key}` with the value on stdin, or {key}=@FILE"
                        ))
                        .into());
                }
            },
            None => (spec.as_str(), args.from_file.map_or(Source::Stdin, |p| Source::File(p.to_path_buf()))),
        };
        app.name(env, key)?;
        sources.push((key.to_owned(), source));
    }
    let bare = args.specs.iter().filter(|s| !s.contains('=')).count();
    if bare > 1 {
        return Err(Error::usage("only one key can take its value from stdin (or --from-file)")
            .with_hint("give the others as KEY=@FILE")
            .into());
    }
    if args.from_file.is_some() && bare != 1 {
        return Err(Error::usage("--from-file needs exactly one KEY without =@FILE").into());
    }
    if args.if_version.is_some() && sources.len() != 1 {
        return Err(Error::usage("--if-version works on one key at a time").into());
    }
    app.resolve(env).await?;
    let mut writes = Vec::with_capacity(sources.len());
    for (key, source) in sources {
        let value = read_value(&key, &source)?;
        writes.push(KeyWrite { key, value, kind: args.kind, action: "set" });
    }
    let mut out = app.ctx.emitter();
    match args.if_version {
        Some(expected) if !app.ctx.dry_run => {
            let w = &writes[0];
            let version = set_if_version(app, env, w, expected).await?;
            let mut record = ChangeRecord::new(env, &w.key, "set", "written");
            record.version = Some(version);
            out.emit(&record)?;
        }
        _ => write_keys(app, &mut out, env, &writes).await?,
    }
    out.finish()?;
    Ok(Exit::Success)
}

fn read_value(key: &str, source: &Source) -> Result<String> {
    match source {
        Source::File(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                let what = format!("cannot read the value of {key} from {}: {e}", path.display());
                if e.kind() == io::ErrorKind::NotFound { Error::not_found(what) } else { Error::data(what) }
            })?;
            String::from_utf8(bytes)
                .map_err(|_| Error::data(format!("{}: not UTF-8 text (Parameter Store holds text)", path.display())))
        }
        Source::Stdin => {
            let read_error = |e: io::Error| Error::data(format!("cannot read the value of {key} from stdin: {e}"));
            if io::stdin().is_terminal() {
                // Typed at a terminal: not echoed, so it stays off the screen and out of scrollback.
                return rpassword::prompt_password(format!("value for {key}: ")).map_err(read_error);
            }
            let mut value = String::new();
            io::stdin().lock().read_to_string(&mut value).map_err(read_error)?;
            // `echo value | envctl set` should store `value`, as `read` would.
            if value.ends_with('\n') {
                value.pop();
                if value.ends_with('\r') {
                    value.pop();
                }
            }
            Ok(value)
        }
    }
}

/// A write that only lands on the version the caller last saw. Parameter Store has no
/// conditional put, so: check the version, write, and check that ours is the next one. If
/// another writer slipped in between, put their value back on top and report the conflict.
async fn set_if_version(app: &Envctl<'_>, env: &str, w: &KeyWrite, expected: i64) -> Result<i64> {
    let name = app.layout.name(env, &w.key);
    let current = app.store.get(&name, None, false).await?.map_or(0, |p| p.version);
    let conflict = |msg: String| {
        Error::temp_fail(msg)
            .with_hint(format!("look at `envctl history {env} {}` and retry with the current version", w.key))
    };
    if current != expected {
        return Err(conflict(format!(
            "{env}: {} is at version {current}, not {expected}: someone changed it meanwhile",
            w.key
        )));
    }
    let version = app.store.put(&name, &w.value, w.kind, expected != 0).await.map_err(|e| {
        if expected == 0 && e.exit() == Exit::CantCreate {
            conflict(format!("{env}: {} was created by someone else meanwhile", w.key))
        } else {
            e
        }
    })?;
    if version == expected + 1 {
        return Ok(version);
    }
    // Someone wrote between our check and our write. Undo ours by putting back the version
    // just before it, but only while ours is still the latest: a newer write is left alone.
    let current = app.store.get(&name, None, false).await?.map(|p| p.version);
    let undone = if current == Some(version) {
        match app.store.get(&name, Some(version - 1), true).await? {
            Some(before) => {
                app.store.put(&name, before.value.as_deref().unwrap_or_default(), before.kind, true).await?;
                "this write was undone (the value before it is current again)"
            }
            None => "this write could not be undone: the version before it is gone",
        }
    } else {
        "a newer write has landed since; it was left as it is"
    };
    Err(conflict(format!(
        "{env}: {} changed while this write was in flight (it became version {version}, not {}); {undone}",
        w.key,
        expected + 1
    )))
}

pub async fn unset(app: &Envctl<'_>, env: &str, keys: &[String]) -> anyhow::Result<Exit> {
    let names = keys.iter().map(|k| app.name(env, k)).collect::<Result<Vec<_>>>()?;
    let environment = app.resolve(env).await?;
    if environment.tier == opskit::Tier::Prod && !app.ctx.dry_run {
        app.ctx.confirm(&format!("delete {} keys from the prod-tier environment {env}", keys.len()))?;
    }
    let mut out = app.ctx.emitter();
    if app.ctx.dry_run {
        for key in keys {
            out.emit(&ChangeRecord::new(env, key, "unset", "planned"))?;
        }
        out.finish()?;
        return Ok(Exit::Success);
    }
    let missing = app.store.delete_many(&names).await?;
    for (key, name) in keys.iter().zip(&names) {
        let status = if missing.contains(name) { "missing" } else { "deleted" };
        out.emit(&ChangeRecord::new(env, key, "unset", status))?;
    }
    out.finish()?;
    if !missing.is_empty() {
        let keys: Vec<&str> = missing.iter().map(|n| app.key_of(env, n)).collect();
        return Err(Error::not_found(format!("{env}: no key {} (the others were deleted)", keys.join(", "))).into());
    }
    Ok(Exit::Success)
}

pub async fn rollback(app: &Envctl<'_>, env: &str, key: &str, to: i64) -> anyhow::Result<Exit> {
    let name = app.name(env, key)?;
    app.resolve(env).await?;
    let old = app.store.get(&name, Some(to), true).await?.ok_or_else(|| {
        Error::not_found(format!("{env}: {key} has no version {to}"))
            .with_hint(format!("see `envctl history {env} {key}`"))
    })?;
    let mut out = app.ctx.emitter();
    let write =
        KeyWrite { key: key.to_owned(), value: old.value.unwrap_or_default(), kind: old.kind, action: "rollback" };
    write_keys(app, &mut out, env, &[write]).await?;
    out.finish()?;
    Ok(Exit::Success)
}

/// What `import` and `promote` would change, key by key. An existing key keeps its type when
/// `keep_type` (import: a file has no types), else takes the incoming one (promote); either
/// way a key is unchanged only when what would be written is what is there.
fn plan(incoming: Vec<(String, String, Kind)>, current: &BTreeMap<String, Param>, keep_type: bool) -> Vec<KeyWrite> {
    let mut writes = Vec::new();
    for (key, value, kind) in incoming {
        match current.get(&key) {
            Some(p) => {
                let kind = if keep_type { p.kind } else { kind };
                if p.value.as_deref() != Some(value.as_str()) || p.kind != kind {
                    writes.push(KeyWrite { key, value, kind, action: "update" });
                }
            }
            None => writes.push(KeyWrite { key, value, kind, action: "create" }),
        }
    }
    writes
}

fn by_key(app: &Envctl<'_>, env: &str, params: Vec<Param>) -> BTreeMap<String, Param> {
    params.into_iter().map(|p| (app.key_of(env, &p.name).to_owned(), p)).collect()
}

/// Show the plan; apply it when confirmed. Returns false when it was only shown.
fn confirmed<W: Write>(
    app: &Envctl<'_>,
    out: &mut Emitter<W>,
    env: &str,
    writes: &[KeyWrite],
    deletes: &[String],
) -> anyhow::Result<bool> {
    if app.ctx.dry_run {
        // write_keys reports the planned writes; the deletes are reported here.
        for key in deletes {
            out.emit(&ChangeRecord::new(env, key, "delete", "planned"))?;
        }
        return Ok(false);
    }
    if app.ctx.yes {
        return Ok(true);
    }
    for w in writes {
        out.emit(&ChangeRecord::new(env, &w.key, w.action, "planned"))?;
    }
    for key in deletes {
        out.emit(&ChangeRecord::new(env, key, "delete", "planned"))?;
    }
    if writes.is_empty() && deletes.is_empty() {
        return Ok(false);
    }
    if app.ctx.can_ask() {
        out.flush()?;
        app.ctx.confirm(&format!("apply {} changes to {env}", writes.len() + deletes.len()))?;
        return Ok(true);
    }
    warn(
        app.ctx.tool,
        &format!("nothing written to {env}: pass --yes to apply these {} changes", writes.len() + deletes.len()),
    );
    Ok(false)
}

pub async fn import(app: &Envctl<'_>, env: &str, file: &str, prune: bool, kind: Kind) -> anyhow::Result<Exit> {
    let (source, text) = if file == "-" {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text).map_err(|e| Error::data(format!("stdin: {e}")))?;
        ("stdin".to_owned(), text)
    } else {
        let text = std::fs::read_to_string(file).map_err(|e| Error::not_found(format!("cannot read {file}: {e}")))?;
        (file.to_owned(), text)
    };
    let incoming = crate::formats::parse_import(&source, &text)?;
    for (key, _) in &incoming {
        app.name(env, key)?;
    }
    app.resolve(env).await?;
    let current = by_key(app, env, app.params(env, true).await?);
    let deletes: Vec<String> = if prune {
        current.keys().filter(|k| !incoming.iter().any(|(i, _)| i == *k)).cloned().collect()
    } else {
        Vec::new()
    };
    let writes = plan(incoming.into_iter().map(|(k, v)| (k, v, kind)).collect(), &current, true);
    let mut out = app.ctx.emitter();
    if app.ctx.dry_run {
        write_keys(app, &mut out, env, &writes).await?;
    }
    if confirmed(app, &mut out, env, &writes, &deletes)? {
        write_keys(app, &mut out, env, &writes).await?;
        if !deletes.is_empty() {
            let names: Vec<String> = deletes.iter().map(|k| app.layout.name(env, k)).collect();
            app.store.delete_many(&names).await?;
            for key in &deletes {
                out.emit(&ChangeRecord::new(env, key, "delete", "deleted"))?;
            }
        }
    }
    out.finish()?;
    Ok(Exit::Success)
}

pub async fn promote(app: &Envctl<'_>, src: &str, dst: &str, keys: &[String]) -> anyhow::Result<Exit> {
    for key in keys {
        app.name(src, key)?;
    }
    let (_, target) = tokio::try_join!(app.resolve(src), app.resolve(dst))?;
    let (from, to) = tokio::try_join!(app.params(src, true), app.params(dst, true))?;
    let (from, to) = (by_key(app, src, from), by_key(app, dst, to));
    if let Some(missing) = keys.iter().find(|k| !from.contains_key(*k)) {
        return Err(Error::not_found(format!("{src}: no key {missing}")).into());
    }
    let chosen = from
        .into_iter()
        .filter(|(k, _)| keys.is_empty() || keys.contains(k))
        .map(|(k, p)| (k, p.value.unwrap_or_default(), p.kind))
        .collect();
    let writes = plan(chosen, &to, false);
    if target.tier == opskit::Tier::Prod && !app.ctx.dry_run && !writes.is_empty() {
        app.ctx.confirm(&format!("write {} keys to the prod-tier environment {dst}", writes.len()))?;
    }
    let mut out = app.ctx.emitter();
    write_keys(app, &mut out, dst, &writes).await?;
    out.finish()?;
    Ok(Exit::Success)
}
