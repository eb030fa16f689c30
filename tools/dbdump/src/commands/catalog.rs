//! The dumps in a store: `ls`, `rm`, `prune`.

use std::time::{Duration, SystemTime};

use opskit::{Error, Exit};
use serde::Serialize;

use crate::app::DbDump;
use crate::manifest::DumpRecord;
use crate::store::Listed;

fn record(dump: &Listed) -> DumpRecord {
    match &dump.manifest {
        Some(m) => DumpRecord::of(m, dump.location.clone()),
        None => DumpRecord::incomplete(&dump.id, &dump.app, &dump.env, dump.location.clone()),
    }
}

/// Print dumps; CSV gets a `tables.<name>` column for every table any of them has.
fn emit(app: &DbDump<'_>, dumps: &[Listed], empty: &str) -> anyhow::Result<()> {
    let mut tables: Vec<String> =
        dumps.iter().filter_map(|d| d.manifest.as_ref()).flat_map(|m| m.details.tables.keys().cloned()).collect();
    tables.sort();
    tables.dedup();
    let mut out = app
        .ctx
        .emitter()
        .columns(DumpRecord::fixed_columns().chain(tables.iter().map(|t| format!("tables.{t}"))))
        .brief::<DumpRecord>(DumpRecord::BRIEF)
        .on_empty(empty);
    for dump in dumps {
        out.emit(&record(dump))?;
    }
    out.finish()?;
    Ok(())
}

pub async fn ls(app: &DbDump<'_>, all: bool) -> anyhow::Result<Exit> {
    let store = app.store().await?;
    let dumps: Vec<Listed> =
        store.list(app.app()?, app.ctx.env_name()).await?.into_iter().filter(|d| all || d.manifest.is_some()).collect();
    emit(app, &dumps, if all { "no dumps" } else { "no complete dumps (`--all` shows incomplete ones)" })?;
    Ok(Exit::Success)
}

#[derive(Serialize)]
struct Removed {
    kind: &'static str,
    id: String,
    app: String,
    env: String,
    action: &'static str,
    status: &'static str,
}

impl opskit::output::Record for Removed {
    const KIND: &'static str = "change";
    const COLUMNS: &'static [&'static str] = &["kind", "id", "app", "env", "action", "status"];
}

async fn remove(
    app: &DbDump<'_>,
    store: &crate::store::Store,
    dumps: &[Listed],
    action: &'static str,
) -> anyhow::Result<()> {
    let mut out = app.ctx.emitter();
    for dump in dumps {
        let status = if app.ctx.dry_run {
            "planned"
        } else {
            store.remove(dump).await?;
            "deleted"
        };
        out.emit(&Removed {
            kind: "change",
            id: dump.id.clone(),
            app: dump.app.clone(),
            env: dump.env.clone(),
            action,
            status,
        })?;
    }
    out.finish()?;
    Ok(())
}

/// `rm ID…|-`.
pub async fn rm(app: &DbDump<'_>, ids: &[String]) -> anyhow::Result<Exit> {
    let store = app.store().await?;
    let targets: Vec<Listed> = if ids.iter().any(|i| i == "-") {
        if ids.len() > 1 {
            return Err(Error::usage("`-` (read dump records from stdin) cannot be mixed with ids").into());
        }
        let mut found = Vec::new();
        for record in opskit::input::stdin() {
            let record = record?;
            record.expect_kind("dbdump rm", &["dump"])?;
            let (app_name, env, id) = (record.str("app")?, record.str("env")?, record.str("id")?);
            let dump = store.list(app_name, Some(env)).await?.into_iter().find(|d| d.id == id).ok_or_else(|| {
                Error::not_found(format!("stdin: record {}: no dump `{id}` of `{app_name}/{env}`", record.number))
            })?;
            found.push(dump);
        }
        found
    } else {
        let all = store.list(app.app()?, app.ctx.env_name()).await?;
        let mut found = Vec::new();
        for id in ids {
            found.push(all.iter().find(|d| d.id == *id).cloned().ok_or_else(|| {
                Error::not_found(format!("no dump `{id}`")).with_hint("`dbdump ls --all` lists the dumps")
            })?);
        }
        found
    };
    if !app.ctx.dry_run && !targets.is_empty() {
        let items: Vec<opskit::prompt::PlanItem<'_>> =
            targets.iter().map(|d| opskit::prompt::PlanItem { action: "delete", name: &d.id }).collect();
        let plural = if targets.len() == 1 { "" } else { "s" };
        app.ctx.confirm_plan(
            "these dumps would be deleted:",
            &items,
            &format!("delete {} dump{plural}", targets.len()),
        )?;
    }
    remove(app, &store, &targets, "rm").await?;
    Ok(Exit::Success)
}

/// `prune --keep-last N --older-than D`: delete dumps beyond the newest N (per environment)
/// that are also older than D; incomplete dumps older than D go too.
pub async fn prune(app: &DbDump<'_>, keep_last: Option<usize>, older_than: Option<Duration>) -> anyhow::Result<Exit> {
    if keep_last.is_none() && older_than.is_none() {
        return Err(Error::usage("prune needs --keep-last N, --older-than DURATION, or both").into());
    }
    let store = app.store().await?;
    let now = SystemTime::now();
    let dumps = store.list(app.app()?, app.ctx.env_name()).await?;
    let age = |d: &Listed| {
        let created = d.manifest.as_ref().map_or_else(|| id_time(&d.id), |m| m.details.created.clone());
        humantime::parse_rfc3339(&created).ok().and_then(|t| now.duration_since(t).ok()).unwrap_or_default()
    };
    let mut doomed = Vec::new();
    let mut envs: Vec<&str> = dumps.iter().map(|d| d.env.as_str()).collect();
    envs.sort_unstable();
    envs.dedup();
    for env in envs {
        let complete: Vec<&Listed> = dumps.iter().filter(|d| d.env == env && d.manifest.is_some()).collect();
        let keep = keep_last.unwrap_or(0).min(complete.len());
        for dump in &complete[..complete.len() - keep] {
            if older_than.is_none_or(|limit| age(dump) > limit) {
                doomed.push((*dump).clone());
            }
        }
        for dump in dumps.iter().filter(|d| d.env == env && d.manifest.is_none()) {
            if older_than.is_some_and(|limit| age(dump) > limit) {
                doomed.push(dump.clone());
            }
        }
    }
    if !app.ctx.dry_run && !doomed.is_empty() {
        let items: Vec<opskit::prompt::PlanItem<'_>> =
            doomed.iter().map(|d| opskit::prompt::PlanItem { action: "delete", name: &d.id }).collect();
        app.ctx.confirm_plan("prune would delete:", &items, &format!("delete {} dumps", doomed.len()))?;
    }
    if doomed.is_empty() {
        opskit::error::note("nothing to prune");
    }
    remove(app, &store, &doomed, "prune").await?;
    Ok(Exit::Success)
}

/// The creation time in an id (`20261127T141530Z-…`) as RFC 3339, for dumps without a manifest.
fn id_time(id: &str) -> String {
    let stamp = id.split('-').next().unwrap_or_default();
    if stamp.len() != 16 {
        return String::new();
    }
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &stamp[..4],
        &stamp[4..6],
        &stamp[6..8],
        &stamp[9..11],
        &stamp[11..13],
        &stamp[13..15]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn id_times() {
        assert_eq!(super::id_time("20261127T141530Z-a1b2c3"), "2026-11-27T14:15:30Z");
        assert_eq!(super::id_time("junk"), "");
    }
}
