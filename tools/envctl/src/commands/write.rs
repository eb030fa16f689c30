//! Commands that change parameters: set, unset, rollback, import, promote; and the write path
//! they share.
//!
//! Multi-key writes report every key (written with its version, failed with why, or not
//! started), and a re-run finishes the job: writes are idempotent overwrites. A bulk write marks
//! its environment incomplete until it finishes, and stops cleanly on Ctrl-C or SIGTERM saying
//! what was written and how to finish.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use opskit::error::note;
use opskit::output::Emitter;
use opskit::prompt::PlanItem;
use opskit::registry::Incomplete;
use opskit::{Error, Exit, Result, Secret, Tier};
use serde_json::{Map, Value};

use crate::app::{ChangeRecord, Envctl};
use crate::store::{Kind, Param, Values};

/// One key to write.
pub struct KeyWrite {
    pub key: String,
    pub value: Secret,
    pub kind: Kind,
    pub action: &'static str,
}

/// A write of many keys at once: what it is, and the command that finishes it should it be
/// interrupted.
pub struct Bulk {
    pub operation: String,
    pub finish: String,
    /// The command that takes it back, where there is one.
    pub undo: Option<String>,
}

/// An emitter for change records. Bulk writes show people a summary line per environment
/// instead of a row per key; the records themselves are all there in json/ndjson/csv.
pub fn change_emitter(app: &Envctl<'_>, bulk: bool) -> Emitter<io::BufWriter<io::Stdout>> {
    let out = app.ctx.emitter().declare::<ChangeRecord>();
    if bulk { out.summarise("change", summary) } else { out }
}

/// One environment's part of a summary: the count of each status, and the first failure.
type EnvSummary = (String, Vec<(String, usize)>, Option<String>);

/// `demo-42: 300 written, 6 deleted` (and the first failure, if any).
fn summary(rows: &[Map<String, Value>]) -> String {
    let text = |row: &Map<String, Value>, field: &str| row.get(field).and_then(Value::as_str).unwrap_or("").to_owned();
    let mut by_env: Vec<EnvSummary> = Vec::new();
    for row in rows {
        let env = text(row, "env");
        let status = text(row, "status");
        let i = by_env.iter().position(|(e, _, _)| *e == env).unwrap_or_else(|| {
            by_env.push((env.clone(), Vec::new(), None));
            by_env.len() - 1
        });
        let (_, counts, first_failure) = &mut by_env[i];
        let n = row.get("keys").and_then(Value::as_u64).map_or(1, |k| usize::try_from(k).unwrap_or(usize::MAX));
        match counts.iter_mut().find(|(s, _)| *s == status) {
            Some((_, count)) => *count += n,
            None => counts.push((status.clone(), n)),
        }
        if status == "failed" && first_failure.is_none() {
            *first_failure = Some(format!("{}: {}", text(row, "key"), text(row, "error")));
        }
    }
    by_env
        .into_iter()
        .map(|(env, counts, failure)| {
            let counts: Vec<String> = counts.iter().map(|(status, n)| format!("{n} {status}")).collect();
            let failure = failure.map_or_else(String::new, |f| format!(" (first failure: {f})"));
            format!("{env}: {}{failure}", counts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Write keys concurrently and emit one record per key. Fails (after reporting every key) when
/// any key failed, with the first failure's exit code; when interrupted, with 130 and the
/// command that finishes the job.
pub async fn write_keys<W: Write>(
    app: &Envctl<'_>,
    out: &mut Emitter<W>,
    env: &str,
    writes: &[KeyWrite],
    bulk: Option<&Bulk>,
) -> anyhow::Result<()> {
    let store = app.store(env).await?;
    // Values Parameter Store would refuse stop the whole write before any of it happens.
    for w in writes {
        store.check_value(&format!("{env}: {}", w.key), &w.value)?;
    }
    if app.ctx.dry_run {
        for w in writes {
            out.emit(&ChangeRecord::new(env, &w.key, w.action, "planned"))?;
        }
        return Ok(());
    }
    let registry = match bulk {
        Some(bulk) if !app.chamber => {
            let registry = app.registry(env).await?;
            let mark = Incomplete {
                operation: bulk.operation.clone(),
                started: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
                finish: bulk.finish.clone(),
            };
            registry.mark_incomplete(env, &mark).await?;
            Some(registry)
        }
        _ => None,
    };
    if bulk.is_some() {
        opskit::interrupt::catch();
    }
    let items: Vec<(String, Secret, Kind)> =
        writes.iter().map(|w| (app.layout.name(env, &w.key), w.value.clone(), w.kind)).collect();
    // A handful of keys is done before a bar could be read.
    let quiet = app.ctx.quiet || items.len() <= 10;
    let progress = opskit::progress::bar(Some(items.len() as u64), &format!("writing to {env}"), false, quiet);
    let outcomes = store.put_many(&items, true, || progress.inc(1)).await;
    progress.finish_and_clear();
    let (mut failed, mut skipped) = (0, 0);
    let mut first_failure: Option<Error> = None;
    for (w, outcome) in writes.iter().zip(outcomes) {
        let mut record = ChangeRecord::new(env, &w.key, w.action, "written");
        match outcome {
            Some(Ok(version)) => record.version = Some(version),
            Some(Err(e)) => {
                record.status = "failed";
                record.error = Some(e.to_string());
                failed += 1;
                first_failure.get_or_insert(e);
            }
            None => {
                record.status = "not_started";
                skipped += 1;
            }
        }
        out.emit(&record)?;
    }
    let written = writes.len() - failed - skipped;
    if skipped > 0 {
        let bulk = bulk.expect("only bulk writes stop on a signal");
        let undo = bulk.undo.as_ref().map_or_else(String::new, |u| format!(", or undo it with `{u}`"));
        return Err(Error::new(
            Exit::Interrupted,
            format!("interrupted: {written} of {} keys written to {env}; it is marked incomplete", writes.len()),
        )
        .with_hint(format!("finish with `{}`{undo}", bulk.finish))
        .into());
    }
    if let Some(first) = first_failure {
        let mut err = Error::new(
            first.exit(),
            format!("{env}: {failed} of {} keys were not written ({written} were): {first}", writes.len()),
        );
        let temporary = matches!(first.exit(), Exit::TempFail | Exit::Unavailable);
        if let Some(hint) = first.hint() {
            err = err.with_hint(hint);
        } else if temporary {
            err = err.with_hint("run the same command again to finish: writes are idempotent");
        }
        return Err(err.into());
    }
    if let Some(registry) = registry {
        registry.clear_incomplete(env).await?;
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
    pub kind: Option<Kind>,
    pub if_version: Option<i64>,
    pub create: bool,
}

/// "the 2nd KEY", for messages that must not repeat what was typed.
fn nth_key(n: usize) -> String {
    let suffix = if (11..=13).contains(&(n % 100)) {
        "th"
    } else {
        match n % 10 {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        }
    };
    format!("the {n}{suffix} KEY")
}

/// `KEY` or `KEY=@FILE` specs, checked without ever repeating one: a mistyped command line
/// (`set dev TOKEN c2VjcmV0`, `set dev TOKEN=c2VjcmV0`) may hold a secret.
fn parse_specs(
    app: &Envctl<'_>,
    env: &str,
    specs: &[String],
    from_file: Option<&Path>,
) -> Result<Vec<(String, Source)>> {
    let mut sources = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let which = nth_key(i + 1);
        let (key, source) = match spec.split_once('=') {
            Some((key, file)) => match file.strip_prefix('@') {
                Some(path) => (key, Source::File(path.into())),
                None => {
                    return Err(Error::usage(format!(
                        "{which} has `=` but no `@FILE`: values never go on the command line (not shown: it may be one)"
                    ))
                    .with_hint(format!(
                        "argv is visible in `ps` and shell history; run `envctl set {env} KEY` and give the value on stdin or at the prompt, or use KEY=@FILE"
                    )));
                }
            },
            None => (spec.as_str(), from_file.map_or(Source::Stdin, |p| Source::File(p.to_path_buf()))),
        };
        app.name(env, key).map_err(|_| {
            Error::usage(format!("{which} is not a valid key name (not shown: it may be a value)")).with_hint(
                "keys use letters, digits, `_`, `.`, `-` and `/` between parts; a value goes on stdin, at the prompt, or in a file",
            )
        })?;
        sources.push((key.to_owned(), source));
    }
    Ok(sources)
}

pub async fn set(app: &Envctl<'_>, args: SetArgs<'_>) -> anyhow::Result<Exit> {
    let env = args.env;
    let sources = parse_specs(app, env, args.specs, args.from_file)?;
    let bare = args.specs.iter().filter(|s| !s.contains('=')).count();
    if bare > 1 {
        return Err(Error::usage(format!("{bare} keys would take their value from stdin; only one can"))
            .with_hint("give the others as KEY=@FILE (and check that no value was typed as a key)")
            .into());
    }
    if args.from_file.is_some() && bare != 1 {
        return Err(Error::usage("--from-file needs exactly one KEY without =@FILE").into());
    }
    if args.if_version.is_some() && sources.len() != 1 {
        return Err(Error::usage("--if-version works on one key at a time").into());
    }
    let (environment, new) = app.resolve_or_new(env, args.create).await?;
    let mut values = Vec::with_capacity(sources.len());
    for (key, source) in sources {
        let value = read_value(&key, &source, &environment)?;
        values.push((key, value));
    }
    // A key keeps its type unless --type says otherwise; a new key is secure.
    let existing: BTreeMap<String, Kind> = if args.kind.is_some() || new {
        BTreeMap::new()
    } else {
        let names: Vec<String> = values.iter().map(|(k, _)| app.layout.name(env, k)).collect();
        let (found, _) = app.store(env).await?.get_many(&names, Values::None).await?;
        found.into_iter().map(|p| (app.key_of(env, &p.name).to_owned(), p.kind)).collect()
    };
    let writes: Vec<KeyWrite> = values
        .into_iter()
        .map(|(key, value)| {
            let kind = args.kind.or_else(|| existing.get(&key).copied()).unwrap_or(Kind::Secure);
            KeyWrite { key, value, kind, action: "set" }
        })
        .collect();
    let mut out = change_emitter(app, false);
    match args.if_version {
        Some(expected) if !app.ctx.dry_run => {
            let w = &writes[0];
            let version = set_if_version(app, env, w, expected).await?;
            let mut record = ChangeRecord::new(env, &w.key, "set", "written");
            record.version = Some(version);
            out.emit(&record)?;
        }
        _ => write_keys(app, &mut out, env, &writes, None).await?,
    }
    out.finish()?;
    if new && !app.ctx.dry_run {
        note(&format!("created environment `{env}` (tier {}) with its first key", environment.tier));
    }
    Ok(Exit::Success)
}

fn read_value(key: &str, source: &Source, env: &opskit::Environment) -> Result<Secret> {
    match source {
        Source::File(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                let what = format!("cannot read the value of {key} from {}: {e}", path.display());
                if e.kind() == io::ErrorKind::NotFound { Error::not_found(what) } else { Error::data(what) }
            })?;
            String::from_utf8(bytes)
                .map(Secret::from)
                .map_err(|_| Error::data(format!("{}: not UTF-8 text (Parameter Store holds text)", path.display())))
        }
        Source::Stdin => {
            if io::stdin().is_terminal() {
                // Typed or pasted at a terminal: not echoed, and nothing left over for the shell.
                let prompt = format!(
                    "value for {key} in {} ({} tier; Enter ends it, a pasted multi-line value is read whole): ",
                    env.name, env.tier
                );
                return opskit::prompt::secret(&prompt);
            }
            let mut value = String::new();
            io::stdin()
                .lock()
                .read_to_string(&mut value)
                .map_err(|e| Error::data(format!("cannot read the value of {key} from stdin: {e}")))?;
            // `echo value | envctl set` should store `value`, as `read` would.
            if value.ends_with('\n') {
                value.pop();
                if value.ends_with('\r') {
                    value.pop();
                }
            }
            Ok(Secret::from(value))
        }
    }
}

/// A write that only lands on the version the caller last saw. Parameter Store has no
/// conditional put, so: check the version, write, and check that ours is the next one. If
/// another writer slipped in between, put their value back on top and report the conflict.
async fn set_if_version(app: &Envctl<'_>, env: &str, w: &KeyWrite, expected: i64) -> Result<i64> {
    let store = app.store(env).await?;
    let name = app.layout.name(env, &w.key);
    let current = store.get(&name, None, Values::None).await?.map_or(0, |p| p.version);
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
    let version = store.put(&name, &w.value, w.kind, expected != 0).await.map_err(|e| {
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
    let current = store.get(&name, None, Values::None).await?.map(|p| p.version);
    let undone = if current == Some(version) {
        match store.get(&name, Some(version - 1), Values::All).await? {
            Some(before) => {
                store.put(&name, &before.value.unwrap_or_default(), before.kind, true).await?;
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
    if environment.tier == Tier::Prod && !app.ctx.dry_run {
        let items: Vec<PlanItem<'_>> = keys.iter().map(|k| PlanItem { action: "delete", name: k }).collect();
        let plural = if keys.len() == 1 { "" } else { "s" };
        app.ctx.confirm_plan(
            &format!("the prod-tier environment {env} would lose:"),
            &items,
            &format!("delete {} key{plural} from {env}", keys.len()),
        )?;
    }
    let mut out = change_emitter(app, false);
    if app.ctx.dry_run {
        for key in keys {
            out.emit(&ChangeRecord::new(env, key, "unset", "planned"))?;
        }
        out.finish()?;
        return Ok(Exit::Success);
    }
    let missing = app.store(env).await?.delete_many(&names).await?;
    for (key, name) in keys.iter().zip(&names) {
        let status = if missing.contains(name) { "missing" } else { "deleted" };
        out.emit(&ChangeRecord::new(env, key, "unset", status))?;
    }
    out.finish()?;
    if !missing.is_empty() {
        let keys: Vec<&str> = missing.iter().map(|n| app.key_of(env, n)).collect();
        return Err(Error::not_found(format!("{env}: no key {} (the others were deleted)", keys.join(", ")))
            .with_hint(format!("`envctl get {env}` lists its keys"))
            .into());
    }
    Ok(Exit::Success)
}

pub async fn rollback(app: &Envctl<'_>, env: &str, key: &str, to: i64) -> anyhow::Result<Exit> {
    let name = app.name(env, key)?;
    app.resolve(env).await?;
    let old = app.store(env).await?.get(&name, Some(to), Values::All).await?.ok_or_else(|| {
        Error::not_found(format!("{env}: {key} has no version {to}"))
            .with_hint(format!("see `envctl history {env} {key}`"))
    })?;
    let mut out = change_emitter(app, false);
    let write =
        KeyWrite { key: key.to_owned(), value: old.value.unwrap_or_default(), kind: old.kind, action: "rollback" };
    write_keys(app, &mut out, env, &[write], None).await?;
    out.finish()?;
    Ok(Exit::Success)
}

/// What `import` and `promote` would change, key by key. An existing key keeps its type when
/// `keep_type` (import: a file has no types), else takes the incoming one (promote); either
/// way a key is unchanged only when what would be written is what is there.
fn plan(incoming: Vec<(String, Secret, Kind)>, current: &BTreeMap<String, Param>, keep_type: bool) -> Vec<KeyWrite> {
    let mut writes = Vec::new();
    for (key, value, kind) in incoming {
        match current.get(&key) {
            Some(p) => {
                let kind = if keep_type { p.kind } else { kind };
                if p.value.as_ref() != Some(&value) || p.kind != kind {
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

fn plan_items<'a>(writes: &'a [KeyWrite], deletes: &'a [String]) -> Vec<PlanItem<'a>> {
    writes
        .iter()
        .map(|w| PlanItem { action: w.action, name: &w.key })
        .chain(deletes.iter().map(|k| PlanItem { action: "delete", name: k }))
        .collect()
}

pub struct ImportOptions {
    pub prune: bool,
    pub kind: Option<Kind>,
    pub create: bool,
}

pub async fn import(app: &Envctl<'_>, env: &str, file: &str, opts: ImportOptions) -> anyhow::Result<Exit> {
    let (source, text) = if file == "-" {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text).map_err(|e| Error::data(format!("stdin: {e}")))?;
        ("stdin".to_owned(), text)
    } else {
        let text = std::fs::read_to_string(file).map_err(|e| {
            let what = format!("cannot read {file}: {e}");
            if e.kind() == io::ErrorKind::NotFound { Error::not_found(what) } else { Error::data(what) }
        })?;
        (file.to_owned(), text)
    };
    let incoming = crate::formats::parse_import(&source, &text)?;
    for (key, _) in &incoming {
        app.name(env, key)?;
    }
    let (environment, new) = app.resolve_or_new(env, opts.create).await?;
    let current = if new {
        BTreeMap::new()
    } else {
        by_key(app, env, app.store(env).await?.list(&app.layout.env_path(env), Values::All).await?)
    };
    let deletes: Vec<String> = if opts.prune {
        current.keys().filter(|k| !incoming.iter().any(|(i, _)| i == *k)).cloned().collect()
    } else {
        Vec::new()
    };
    let kind = opts.kind.unwrap_or(Kind::Secure);
    let writes = plan(incoming.into_iter().map(|(k, v)| (k, Secret::from(v), kind)).collect(), &current, true);
    let mut out = change_emitter(app, true);
    if writes.is_empty() && deletes.is_empty() {
        note(&format!("nothing to change: {env} already matches {source}"));
        out.finish()?;
        return Ok(Exit::Success);
    }
    if app.ctx.dry_run {
        write_keys(app, &mut out, env, &writes, None).await?;
        for key in &deletes {
            out.emit(&ChangeRecord::new(env, key, "delete", "planned"))?;
        }
        out.finish()?;
        return Ok(Exit::Success);
    }
    let changes = writes.len() + deletes.len();
    let plural = if changes == 1 { "" } else { "s" };
    app.ctx
        .confirm_plan(
            &format!("{source} → {env} ({} tier{}):", environment.tier, if new { ", a new environment" } else { "" }),
            &plan_items(&writes, &deletes),
            &format!("apply {changes} change{plural} to {env}"),
        )
        .map_err(|e| {
            if e.exit() == Exit::Usage {
                e.with_hint("pass --yes to apply, or --dry-run to list the changes")
            } else {
                e
            }
        })?;
    let again = if file == "-" {
        "the same import again with --yes".to_owned()
    } else {
        format!("envctl import {env} {file} --yes")
    };
    let bulk = Bulk { operation: format!("import of {source}"), finish: again, undo: None };
    write_keys(app, &mut out, env, &writes, Some(&bulk)).await?;
    if !deletes.is_empty() {
        let names: Vec<String> = deletes.iter().map(|k| app.layout.name(env, k)).collect();
        app.store(env).await?.delete_many(&names).await?;
        for key in &deletes {
            out.emit(&ChangeRecord::new(env, key, "delete", "deleted"))?;
        }
    }
    out.finish()?;
    if new {
        note(&format!("created environment `{env}` (tier {})", environment.tier));
    }
    Ok(Exit::Success)
}

pub async fn promote(app: &Envctl<'_>, src: &str, dst: &str, keys: &[String]) -> anyhow::Result<Exit> {
    for key in keys {
        app.name(src, key)?;
    }
    let (_, target) = tokio::try_join!(app.resolve(src), app.resolve(dst))?;
    let (from, to) = tokio::try_join!(app.params(src, Values::All), app.params(dst, Values::All))?;
    let (from, to) = (by_key(app, src, from), by_key(app, dst, to));
    if let Some(missing) = keys.iter().find(|k| !from.contains_key(*k)) {
        return Err(Error::not_found(format!("{src}: no key {missing}"))
            .with_hint(format!("`envctl get {src}` lists its keys"))
            .into());
    }
    let chosen = from
        .into_iter()
        .filter(|(k, _)| keys.is_empty() || keys.contains(k))
        .map(|(k, p)| (k, p.value.unwrap_or_default(), p.kind))
        .collect();
    let writes = plan(chosen, &to, false);
    let mut out = change_emitter(app, true);
    if writes.is_empty() {
        note(&format!("nothing to promote: {dst} already has {src}'s values"));
        out.finish()?;
        return Ok(Exit::Success);
    }
    if target.tier == Tier::Prod && !app.ctx.dry_run {
        let plural = if writes.len() == 1 { "" } else { "s" };
        app.ctx.confirm_plan(
            &format!("{src} → the prod-tier environment {dst}:"),
            &plan_items(&writes, &[]),
            &format!("write {} key{plural} to {dst}", writes.len()),
        )?;
    }
    let bulk = Bulk {
        operation: format!("promote from {src}"),
        finish: format!("envctl promote {src} {dst} --yes"),
        undo: None,
    };
    write_keys(app, &mut out, dst, &writes, Some(&bulk)).await?;
    out.finish()?;
    Ok(Exit::Success)
}
