//! Reading: `ls`, `show`, `audit` (the event log as evidence) and `policy` (what a grant would
//! attach).

use std::time::{Duration, SystemTime};

use opskit::output::Layout;
use opskit::{Error, Exit};

use super::{event_emitter, grant_emitter, warn_break_glass};
use crate::app::{AccessGrant, check_id};
use crate::grant::{Grant, State, human};
use crate::policy;
use crate::record::GrantRecord;

/// `ls` filters: any of the states (all grants when none), and grants of the caller.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter {
    pub active: bool,
    pub pending: bool,
    pub expired: bool,
    pub mine: bool,
}

impl Filter {
    fn states(self) -> Vec<State> {
        let mut states = Vec::new();
        if self.active {
            states.push(State::Active);
        }
        if self.pending {
            states.push(State::Pending);
        }
        if self.expired {
            states.push(State::Expired);
        }
        states
    }
}

pub async fn ls(app: &AccessGrant<'_>, filter: Filter) -> anyhow::Result<Exit> {
    let stored = app.ledger().await?.grants().await?;
    let me = if filter.mine { Some(app.caller().await?) } else { None };
    let states = filter.states();
    let env = app.ctx.env_name();
    let grants: Vec<&Grant> = stored
        .iter()
        .map(|s| &s.doc.grant)
        .filter(|g| g.app == app.app && env.is_none_or(|e| g.env == e))
        .filter(|g| states.is_empty() || states.contains(&g.state_at(app.now)))
        .filter(|g| me.is_none_or(|me| me.person() == g.requester_person() || g.is_grantee(me)))
        .collect();
    let empty = match (states.as_slice(), filter.mine) {
        ([], false) => "no grants".to_owned(),
        ([], true) => "no grants of yours".to_owned(),
        (states, mine) => format!(
            "no {} grants{}",
            states.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" or "),
            if mine { " of yours" } else { "" }
        ),
    };
    let mut out = grant_emitter(app, grants.iter().copied()).on_empty(&empty);
    for g in &grants {
        out.emit(&GrantRecord::new(g, app.now))?;
    }
    out.finish()?;
    warn_break_glass(grants.iter().copied(), app.now);
    Ok(Exit::Success)
}

pub async fn show(app: &AccessGrant<'_>, id: &str) -> anyhow::Result<Exit> {
    check_id(id)?;
    let doc = app.read(id).await?;
    let mut out = grant_emitter(app, [&doc.grant]).layout(Layout::Detail);
    out.emit(&GrantRecord::new(&doc.grant, app.now))?;
    out.finish()?;
    warn_break_glass([&doc.grant], app.now);
    Ok(Exit::Success)
}

/// `--since`: a duration back from now (`30d`), or a time (`2026-11-01`, RFC 3339).
#[derive(Clone, Copy, Debug)]
pub enum Since {
    Ago(Duration),
    At(SystemTime),
}

pub fn parse_since(text: &str) -> Result<Since, String> {
    if let Ok(ago) = humantime::parse_duration(text) {
        return Ok(Since::Ago(ago));
    }
    let full = if text.len() == 10 { format!("{text}T00:00:00Z") } else { text.to_owned() };
    humantime::parse_rfc3339_weak(&full)
        .map(Since::At)
        .map_err(|_| format!("`{text}` is neither a duration (30d, 12h) nor a date (2026-11-01, 2026-11-01T09:00:00Z)"))
}

pub async fn audit(app: &AccessGrant<'_>, since: Option<Since>, grant: Option<&str>) -> anyhow::Result<Exit> {
    if let Some(id) = grant {
        check_id(id)?;
    }
    let since = since.map(|s| match s {
        Since::Ago(ago) => app.now.checked_sub(ago).unwrap_or(SystemTime::UNIX_EPOCH),
        Since::At(at) => at,
    });
    let env = app.ctx.env_name();
    let events: Vec<_> = app
        .ledger()
        .await?
        .events(since)
        .await?
        .into_iter()
        .filter(|e| e.app == app.app)
        .filter(|e| env.is_none_or(|env| e.env.as_deref() == Some(env)))
        .filter(|e| grant.is_none_or(|id| e.grant == id))
        .collect();
    let mut out = event_emitter(app, &events).on_empty("no events");
    for event in &events {
        out.emit(event)?;
    }
    out.finish()?;
    let mut glass: Vec<&str> = events.iter().filter(|e| e.break_glass).map(|e| e.grant.as_str()).collect();
    glass.dedup();
    if !glass.is_empty() {
        opskit::error::warn(&format!("BREAK-GLASS: events of self-approved grants to review: {}", glass.join(", ")));
    }
    Ok(Exit::Success)
}

/// Print the policy a grant of `role` in `env` would attach, expiring `duration` from now.
pub fn policy(app: &AccessGrant<'_>, role: &str, env: &str, duration: Option<Duration>) -> anyhow::Result<Exit> {
    let environment = app.environment(env)?;
    let role = app.settings.role(role)?;
    let duration = duration.unwrap_or(role.max_duration);
    if duration > role.max_duration {
        return Err(Error::usage(format!(
            "--for {} is longer than role `{}` allows: at most {}",
            human(duration),
            role.name,
            human(role.max_duration)
        ))
        .into());
    }
    let document = policy::allow(&role.access(&app.app, &environment.name), app.now + duration);
    let text = serde_json::to_string_pretty(&document).map_err(|e| Error::internal(e.to_string()))?;
    opskit::output::write_stdout(format!("{text}\n").as_bytes())?;
    if let Some(description) = &role.description {
        opskit::error::note(&format!("role {}: {description}", role.name));
    }
    let size = policy::size(&document);
    let fits = |limit: usize| if size <= limit { "fits" } else { "does NOT fit" };
    opskit::error::note(&format!(
        "{size} characters: {} a user's inline policies ({}), {} a role's ({}); it expires {} after activation",
        fits(policy::USER_INLINE_LIMIT),
        policy::USER_INLINE_LIMIT,
        fits(policy::ROLE_INLINE_LIMIT),
        policy::ROLE_INLINE_LIMIT,
        human(duration)
    ));
    Ok(Exit::Success)
}
