//! Environments as wholes: copy (the temporary demo/test environment workflow), rm, reap.

use std::time::{Duration, SystemTime};

use opskit::error::warn;
use opskit::prompt::PlanItem;
use opskit::registry::EnvMeta;
use opskit::{Error, Exit, Secret, Tier};

use super::write::{Bulk, KeyWrite, change_emitter, write_keys};
use crate::app::{ChangeRecord, Envctl};
use crate::store::Values;

pub struct CopyArgs<'a> {
    pub src: &'a str,
    pub dst: &'a str,
    pub ttl: Option<Duration>,
    pub owner: Option<String>,
    pub tier: Tier,
    pub set: &'a [String],
    pub force: bool,
}

/// The longest TTL: a temporary environment meant to outlive this is not temporary.
const MAX_TTL: Duration = Duration::from_hours(10 * 366 * 24);

pub fn parse_ttl(text: &str) -> Result<Duration, String> {
    let ttl = humantime::parse_duration(text).map_err(|e| format!("{e} (examples: 72h, 3d, 90m)"))?;
    if ttl > MAX_TTL {
        return Err("at most 10 years; leave --ttl out for an environment that does not expire".into());
    }
    Ok(ttl)
}

/// `--set KEY=@FILE` values, read up front. A spec is never repeated in a message: a mistyped
/// `--set KEY=value` holds the value itself.
fn overrides(app: &Envctl<'_>, dst: &str, specs: &[String]) -> opskit::Result<Vec<(String, Secret)>> {
    let mut overrides = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let not_shown = |why: &str| {
            Error::usage(format!("--set number {} {why} (not shown: it may hold a value)", i + 1))
                .with_hint("use --set KEY=@FILE; values never go on the command line")
        };
        let (key, path) = spec.split_once("=@").ok_or_else(|| not_shown("is not KEY=@FILE"))?;
        app.name(dst, key).map_err(|_| not_shown("does not start with a valid key"))?;
        let value = std::fs::read_to_string(path).map_err(|e| Error::not_found(format!("cannot read {path}: {e}")))?;
        overrides.push((key.to_owned(), Secret::from(value)));
    }
    Ok(overrides)
}

/// Metadata first, then the keys: a copy interrupted half-way is still a registered temporary
/// environment with a TTL (so `reap` removes it), marked incomplete until running the copy again
/// with `--force` finishes it.
pub async fn copy(app: &Envctl<'_>, args: CopyArgs<'_>) -> anyhow::Result<Exit> {
    let (src, dst) = (args.src, args.dst);
    if app.chamber {
        return Err(Error::usage(
            "copy creates a temporary environment; chamber's layout has no place for its metadata",
        )
        .into());
    }
    opskit::environment::validate_name("environment", dst)?;
    let overrides = overrides(app, dst, args.set)?;
    app.resolve(src).await?;
    let dst_path = app.layout.env_path(dst);
    let (registry, store) = (app.registry(dst).await?, app.store(dst).await?);
    let (existing_meta, existing_names) = tokio::try_join!(registry.get(dst), store.names(&dst_path))?;
    let exists = existing_meta.is_some() || !existing_names.is_empty();
    if exists && !args.force {
        return Err(Error::cant_create(format!("environment `{dst}` already exists ({} keys)", existing_names.len()))
            .with_hint(format!("pick another name, or pass --force to replace its contents with a copy of {src}"))
            .into());
    }
    let declared_tier = app.ctx.config.environment(dst).map(|e| e.tier);
    let existing_tier = declared_tier.or(existing_meta.as_ref().map(|m| m.tier));
    if declared_tier == Some(Tier::Prod) || (exists && existing_tier.unwrap_or_else(|| Tier::infer(dst)) == Tier::Prod)
    {
        return Err(Error::usage(format!("refusing to copy over `{dst}`: it is a prod-tier environment")).into());
    }
    let params = app.params(src, Values::All).await?;
    let mut writes: Vec<KeyWrite> = params
        .into_iter()
        .map(|p| KeyWrite {
            key: app.key_of(src, &p.name).to_owned(),
            value: p.value.unwrap_or_default(),
            kind: p.kind,
            action: "copy",
        })
        .collect();
    for (key, value) in overrides {
        match writes.iter_mut().find(|w| w.key == key) {
            Some(w) => w.value = value,
            None => writes.push(KeyWrite { key, value, kind: crate::store::Kind::Secure, action: "copy" }),
        }
    }
    // Every value is checked before anything changes, so a bad one leaves no half-made copy.
    for w in &writes {
        store.check_value(&format!("{dst}: {}", w.key), &w.value)?;
    }
    let stale: Vec<String> =
        existing_names.into_iter().filter(|n| !writes.iter().any(|w| app.key_of(dst, n) == w.key)).collect();
    if exists && !app.ctx.dry_run {
        let stale_keys: Vec<&str> = stale.iter().map(|n| app.key_of(dst, n)).collect();
        let items: Vec<PlanItem<'_>> = stale_keys
            .iter()
            .map(|k| PlanItem { action: "delete", name: k })
            .chain(writes.iter().map(|w| PlanItem { action: "copy", name: &w.key }))
            .collect();
        app.ctx.confirm_plan(
            &format!("{src} → the existing environment {dst}:"),
            &items,
            &format!("replace the contents of `{dst}` with a copy of {src} ({} keys deleted)", stale.len()),
        )?;
    }
    let now = SystemTime::now();
    let expires = match args.ttl {
        Some(ttl) => Some(now.checked_add(ttl).ok_or_else(|| Error::usage("--ttl is too long"))?),
        None => None,
    };
    let meta = EnvMeta {
        tier: args.tier,
        owner: args.owner.or_else(|| std::env::var("USER").ok()),
        created: humantime::format_rfc3339_seconds(now).to_string(),
        expires: expires.map(|t| humantime::format_rfc3339_seconds(t).to_string()),
        source: Some(src.to_owned()),
    };
    let mut out = change_emitter(app, true).declare::<crate::app::EnvRecord>();
    let mut again = format!("envctl copy {src} {dst} --force");
    if let Some(ttl) = args.ttl {
        again = format!("{again} --ttl {}", humantime::format_duration(ttl));
    }
    let bulk =
        Bulk { operation: format!("copy from {src}"), finish: again, undo: Some(format!("envctl rm {dst} --yes")) };
    if !app.ctx.dry_run {
        registry.put(dst, &meta).await?;
        store.delete_many(&stale).await?;
    }
    for name in &stale {
        let status = if app.ctx.dry_run { "planned" } else { "deleted" };
        out.emit(&ChangeRecord::new(dst, app.key_of(dst, name), "delete", status))?;
    }
    write_keys(app, &mut out, dst, &writes, Some(&bulk)).await?;
    out.emit(&app.record(dst, Some(&meta), None, writes.len(), now))?;
    out.finish()?;
    Ok(Exit::Success)
}

/// Delete environments. Asks (or needs `--yes`); a prod-tier environment also needs `--force`.
pub async fn rm(app: &Envctl<'_>, envs: &[String], force: bool) -> anyhow::Result<Exit> {
    let app_name = (!app.chamber).then_some(app.app.as_str());
    let envs = opskit::input::names_or_stdin(envs, "envctl rm", &["env"], "name", app_name)?;
    let mut targets = Vec::new();
    for env in &envs {
        let environment = app.resolve(env).await?;
        if environment.tier == Tier::Prod && !(force && app.ctx.yes) {
            return Err(Error::usage(format!("refusing to delete `{env}`: it is a prod-tier environment"))
                .with_hint("pass both --force and --yes if you really mean it")
                .into());
        }
        targets.push(env.as_str());
    }
    remove(app, &targets).await?;
    Ok(Exit::Success)
}

/// Delete environments whole, once confirmed (at a terminal, or by `--yes`; a dry run only
/// says what it would delete).
async fn remove(app: &Envctl<'_>, envs: &[&str]) -> anyhow::Result<()> {
    if !app.ctx.dry_run && !envs.is_empty() {
        let items: Vec<PlanItem<'_>> = envs.iter().map(|t| PlanItem { action: "delete", name: t }).collect();
        let plural = if envs.len() == 1 { "" } else { "s" };
        app.ctx.confirm_plan(
            &format!("every parameter of these environment{plural} would be deleted:"),
            &items,
            &format!("delete environment{plural} {}", envs.join(", ")),
        )?;
    }
    let mut out = change_emitter(app, true).on_empty("nothing to remove");
    for env in envs {
        let store = app.store(env).await?;
        let names = store.names(&app.layout.env_path(env)).await?;
        let status = if app.ctx.dry_run {
            "planned"
        } else {
            // Keys first: should this be interrupted, the metadata still names the environment
            // and the next `rm` or `reap` finishes it.
            store.delete_many(&names).await?;
            if !app.chamber {
                app.registry(env).await?.delete(env).await?;
            }
            "deleted"
        };
        let mut record = ChangeRecord::new(env, "", "rm", status);
        record.key = None;
        record.keys = Some(names.len());
        out.emit(&record)?;
    }
    out.finish()?;
    Ok(())
}

/// Remove every expired temporary environment and say what was removed. It deletes as `rm`
/// does, so it asks as `rm` does: at a terminal, or `--yes` (from cron).
pub async fn reap(app: &Envctl<'_>) -> anyhow::Result<Exit> {
    let now = SystemTime::now();
    let metas = app.registry_home().await?.list().await?;
    let mut expired = Vec::new();
    for (env, meta) in &metas {
        if !meta.is_expired(now) {
            continue;
        }
        if meta.tier == Tier::Prod || app.ctx.config.environment(env).is_some() {
            warn(&format!("not reaping `{env}`: it is declared in opskit.toml or prod-tier; use `envctl rm`"));
            continue;
        }
        expired.push(env.as_str());
    }
    remove(app, &expired).await?;
    Ok(Exit::Success)
}
