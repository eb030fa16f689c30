//! Ending access: `revoke` (now, by a person) and `sweep` (on time, from cron: grants past their
//! expiry marked expired, and any `accessgrant-*` policy or permission set that no active grant
//! accounts for removed and reported — nothing else is touched).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use opskit::{Error, Exit, Result};

use super::{event_emitter, grant_emitter};
use crate::app::{AccessGrant, check_id, holder};
use crate::grant::{Event, EventKind, Grant, GrantDoc, State, parse_stamp, stamp_millis};
use crate::iam::Attached;
use crate::ledger::Ledger;
use crate::policy::{self, LONGEST_SESSION, Named};
use crate::principal::GranteeType;
use crate::record::GrantRecord;
use crate::settings::Backend;

/// How far back sweep checks that every event of a grant's history is in the audit log.
const REPAIR_WINDOW: Duration = Duration::from_hours(30 * 24);
/// A policy for a grant the ledger does not (yet) know is left alone this young: it may belong
/// to a request being written this very moment.
const TOO_NEW: Duration = Duration::from_mins(10);

pub async fn revoke(app: &AccessGrant<'_>, ids: &[String], reason: Option<&str>) -> anyhow::Result<Exit> {
    let ids = opskit::input::names_or_stdin(ids, "accessgrant revoke", &["grant"], "id", Some(&app.app))?;
    for id in &ids {
        check_id(id)?;
    }
    let reason = reason.map(|r| super::reason(r, "a revocation")).transpose()?;
    let actor = app.actor().await?;
    // Read first, so a CSV's columns are known before the first row.
    let mut docs = Vec::new();
    for id in &ids {
        docs.push(app.read(id).await?);
    }
    let mut out = grant_emitter(app, docs.iter().map(|d| &d.grant)).on_empty("no grants to revoke");
    for id in &ids {
        let applied = app.apply(id, |doc| doc.revoke(&actor, reason.as_deref(), app.now)).await?;
        out.emit(&GrantRecord::new(&applied.doc.grant, app.now))?;
        opskit::error::note(&applied.note);
    }
    out.finish()?;
    Ok(Exit::Success)
}

/// Where policies may be: each distinct account (AWS settings) of the app's environments.
async fn scopes(app: &AccessGrant<'_>) -> Result<Vec<(String, crate::iam::Iam)>> {
    let mut seen = Vec::new();
    let mut scopes = Vec::new();
    for env in app.ctx.config.envs.keys() {
        let settings = app.ctx.aws_settings(Some(env))?;
        if seen.contains(&settings) {
            continue;
        }
        seen.push(settings);
        scopes.push((env.clone(), app.iam(env).await?));
    }
    if scopes.is_empty() {
        scopes.push((String::new(), crate::iam::Iam::new(&app.ctx.sdk().await?)));
    }
    Ok(scopes)
}

/// Why a policy (or permission set) called `name` on `holder` is not accounted for by an
/// active grant; `None` when it is, or when it may be a grant being activated right now.
fn unaccounted(
    name: &str,
    on: Option<(GranteeType, &str)>,
    grants: &HashMap<&str, &Grant>,
    app: &AccessGrant<'_>,
) -> Option<String> {
    let on_grantee = |g: &Grant| match on {
        None => true,
        Some((kind, name)) => holder(g).is_ok_and(|(k, n)| k == kind && n == name),
    };
    match policy::parse_name(name)? {
        Named::Unknown => Some("no grant is called that".to_owned()),
        Named::Grant(id) => match grants.get(id) {
            None if id_is_recent(id, app) => None,
            None => Some(format!("no grant {id} in the ledger")),
            Some(g) if !on_grantee(g) => Some(format!("grant {id} is for {}", g.grantee)),
            Some(g) => match g.state_at(app.now) {
                State::Active => None,
                // An approval may be attaching it this moment; a policy left by one that
                // failed half-way ends by its own condition.
                State::Pending => None,
                state => Some(format!("grant {id} is {}", state.as_str())),
            },
        },
        Named::Revocation(id) => match grants.get(id) {
            Some(g) if g.state == State::Revoked && on_grantee(g) => {
                let ended = g.ended_at.as_deref().and_then(parse_stamp)?;
                (ended + LONGEST_SESSION <= app.now)
                    .then(|| format!("no session older than the revocation of {id} can be alive any more"))
            }
            _ => Some(format!("grant {id} is not a revoked grant of this holder")),
        },
    }
}

/// Whether an id was made in the last few minutes (ids begin with their creation time).
fn id_is_recent(id: &str, app: &AccessGrant<'_>) -> bool {
    let seconds = crate::grant::id_seconds(id);
    let earliest = app.now.checked_sub(TOO_NEW).unwrap_or(app.now);
    seconds.is_some_and(|t| t >= earliest)
}

struct Sweep<'s, 'a> {
    app: &'s AccessGrant<'a>,
    actor: String,
    events: Vec<Event>,
    failures: Vec<Error>,
}

impl Sweep<'_, '_> {
    fn event(&self, grant: Option<&Grant>, subject: &str, env: &str, holder: &str, why: String, what: String) -> Event {
        Event {
            kind: "audit".into(),
            at: stamp_millis(self.app.now),
            event: EventKind::Swept,
            grant: subject.to_owned(),
            seq: 0,
            app: self.app.app.clone(),
            env: grant.map(|g| g.env.clone()).or_else(|| (!env.is_empty()).then(|| env.to_owned())),
            role: grant.map(|g| g.role.clone()),
            tier: grant.map(|g| g.tier),
            actor: self.actor.clone(),
            grantee: Some(holder.to_owned()),
            break_glass: grant.is_some_and(|g| g.break_glass),
            reason: Some(why),
            ticket: None,
            duration_seconds: None,
            expires_at: grant.and_then(|g| g.expires_at.clone()),
            detail: Some(what),
        }
    }

    fn failed(&mut self, err: Error) {
        opskit::error::warn(&err.to_string());
        self.failures.push(err);
    }

    async fn record(&mut self, ledger: &Ledger, event: Event) {
        if !self.app.ctx.dry_run
            && let Err(e) = ledger.append(std::slice::from_ref(&event)).await
        {
            self.failed(e);
        }
        self.events.push(event);
    }
}

pub async fn sweep(app: &AccessGrant<'_>) -> anyhow::Result<Exit> {
    let ledger = app.ledger().await?;
    let actor = app.caller().await?.arn().to_owned();
    let mut sweep = Sweep { app, actor: actor.clone(), events: Vec::new(), failures: Vec::new() };
    // Policies first, then grants: a policy attached for an activation is then either seen
    // with its grant active, or left as pending/too new (see `unaccounted`).
    let uses = |backend: Backend, docs: &[crate::ledger::Stored]| {
        app.settings.backend == backend
            || docs.iter().any(|s| s.doc.grant.app == app.app && s.doc.grant.backend == backend)
    };
    let early = ledger.grants().await?;
    let mut attached: Vec<(String, Attached)> = Vec::new();
    if uses(Backend::Iam, &early) {
        for (env, iam) in scopes(app).await? {
            attached.extend(iam.accessgrant_policies().await?.into_iter().map(|a| (env.clone(), a)));
        }
    }
    let sets = if uses(Backend::IdentityCenter, &early) {
        app.identity_center().await?.accessgrant_sets().await?
    } else {
        Vec::new()
    };
    let stored = ledger.grants().await?;

    // Grants past their expiry: marked expired, their access removed.
    let mut latest: BTreeMap<String, GrantDoc> = stored.into_iter().map(|s| (s.doc.grant.id.clone(), s.doc)).collect();
    let due: Vec<String> = latest
        .values()
        .filter(|d| {
            d.grant.app == app.app && d.grant.state == State::Active && d.grant.state_at(app.now) == State::Expired
        })
        .map(|d| d.grant.id.clone())
        .collect();
    let expiring: Vec<String> = due.clone();
    for id in due {
        match app.apply(&id, |doc| Ok(doc.expire(&actor, app.now))).await {
            Ok(applied) => {
                sweep.events.extend(applied.events.iter().cloned());
                latest.insert(id, applied.doc);
            }
            Err(e) => sweep.failed(e),
        }
    }

    // Policies and permission sets no active grant accounts for.
    let grants: HashMap<&str, &Grant> = latest.values().map(|d| (d.grant.id.as_str(), &d.grant)).collect();
    let mut removals = Vec::new();
    for (env, a) in &attached {
        // The policy of a grant this sweep expired: its expiry removed it (or, in a dry run, would).
        let expired_here = match policy::parse_name(&a.policy) {
            Some(Named::Grant(id)) => {
                expiring.iter().any(|e| e == id)
                    && grants.get(id).is_some_and(|g| holder(g).is_ok_and(|(k, n)| k == a.holder_type && n == a.holder))
            }
            _ => false,
        };
        if expired_here {
            continue;
        }
        if let Some(why) = unaccounted(&a.policy, Some((a.holder_type, &a.holder)), &grants, app) {
            removals.push((env.clone(), a.clone(), why));
        }
    }
    let set_removals: Vec<(String, String, String)> = sets
        .into_iter()
        .filter_map(|(name, arn)| unaccounted(&name, None, &grants, app).map(|why| (name, arn, why)))
        .collect();
    let subject_of = |name: &str| match policy::parse_name(name) {
        Some(Named::Grant(id) | Named::Revocation(id)) => id.to_owned(),
        _ => name.to_owned(),
    };
    let scopes: HashMap<String, crate::iam::Iam> = scopes(app).await?.into_iter().collect();
    for (env, a, why) in removals {
        let subject = subject_of(&a.policy);
        let grant = grants.get(subject.as_str()).copied();
        let removed = if app.ctx.dry_run {
            Ok(true)
        } else {
            match scopes.get(&env) {
                Some(iam) => iam.delete(a.holder_type, &a.holder, &a.policy).await,
                None => Ok(false),
            }
        };
        match removed {
            Ok(true) => {
                let what = format!("removed the policy {} from {}", a.policy, a.holder_path());
                let event = sweep.event(grant, &subject, &env, &a.holder_path(), why, what);
                sweep.record(ledger, event).await;
            }
            Ok(false) => {}
            Err(e) => sweep.failed(e),
        }
    }
    // Policies of active grants changed outside accessgrant (an expiry taken out, more
    // actions put in): put back as the grant has them.
    for (env, a) in &attached {
        let Some(Named::Grant(id)) = policy::parse_name(&a.policy) else { continue };
        let (Some(g), Some(iam)) = (grants.get(id), scopes.get(env)) else { continue };
        let Some(expires) = g.expires() else { continue };
        if g.backend != Backend::Iam
            || g.state_at(app.now) != State::Active
            || unaccounted(&a.policy, Some((a.holder_type, &a.holder)), &grants, app).is_some()
        {
            continue;
        }
        let expected = policy::allow(&g.access, expires);
        match iam.get(a.holder_type, &a.holder, &a.policy).await {
            Ok(Some(found)) if found != expected => {
                if !app.ctx.dry_run
                    && let Err(e) = iam.put(a.holder_type, &a.holder, &a.policy, &expected).await
                {
                    sweep.failed(e);
                    continue;
                }
                let what = format!("restored the policy {} on {} to the grant's", a.policy, a.holder_path());
                let event = sweep.event(
                    Some(g),
                    id,
                    env,
                    &a.holder_path(),
                    "it had been changed outside accessgrant".into(),
                    what,
                );
                sweep.record(ledger, event).await;
            }
            Ok(_) => {}
            Err(e) => sweep.failed(e),
        }
    }
    for (name, arn, why) in set_removals {
        let subject = subject_of(&name);
        let grant = grants.get(subject.as_str()).copied();
        let removed =
            if app.ctx.dry_run { Ok(true) } else { app.identity_center().await?.remove(&name, Some(&arn)).await };
        match removed {
            Ok(true) => {
                let what = format!("removed the permission set {name} and its assignments");
                let holder = grant.map_or_else(String::new, |g| g.grantee.clone());
                let event = sweep.event(grant, &subject, "", &holder, why, what);
                sweep.record(ledger, event).await;
            }
            Ok(false) => {}
            Err(e) => sweep.failed(e),
        }
    }

    // Events a failure kept out of the audit log, written from the grants' own history.
    if !app.ctx.dry_run {
        let since = app.now.checked_sub(REPAIR_WINDOW);
        match ledger.logged(since).await {
            Ok(logged) => {
                let missing: Vec<Event> = latest
                    .values()
                    .filter(|d| d.grant.app == app.app)
                    .flat_map(|d| &d.events)
                    .filter(|e| since.is_none_or(|s| parse_stamp(&e.at).is_some_and(|t| t >= s)))
                    .filter(|e| !logged.contains(&Ledger::event_key(e)))
                    .cloned()
                    .collect();
                if !missing.is_empty() {
                    match ledger.append(&missing).await {
                        Ok(()) => {
                            opskit::error::note(&format!("wrote {} audit events missing from the log", missing.len()))
                        }
                        Err(e) => sweep.failed(e),
                    }
                }
            }
            Err(e) => sweep.failed(e),
        }
    }

    let mut out = event_emitter(app).on_empty("nothing to sweep");
    for event in &sweep.events {
        out.emit(event)?;
    }
    out.finish()?;
    if app.ctx.dry_run && !sweep.events.is_empty() {
        opskit::error::note("dry run: nothing was changed; these are the events a sweep would write");
    }
    match sweep.failures.into_iter().next() {
        Some(first) => Err(first.into()),
        None => Ok(Exit::Success),
    }
}
