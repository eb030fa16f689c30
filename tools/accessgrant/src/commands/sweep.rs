//! `sweep`, from cron: grants past their expiry marked expired (their access removed), any
//! `accessgrant-*` policy or permission set that no active grant accounts for removed and
//! reported, an active grant's policy changed by hand put back, and audit events a failure kept
//! out of the log written. Nothing else is touched.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use opskit::{Error, Exit, Result};

use super::event_emitter;
use crate::app::{AccessGrant, holder};
use crate::grant::{Event, EventKind, Grant, GrantDoc, State, parse_stamp, stamp_millis};
use crate::iam::Attached;
use crate::ledger::Ledger;
use crate::policy::{self, LONGEST_SESSION, Named};
use crate::principal::GranteeType;
use crate::settings::Backend;

/// How far back sweep checks that every event of a grant's history is in the audit log.
const REPAIR_WINDOW: Duration = Duration::from_hours(30 * 24);
/// A policy for a grant the ledger does not (yet) know is left alone this young: it may belong
/// to a request being written this very moment.
const TOO_NEW: Duration = Duration::from_mins(10);

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
                // Pending: an approval may be attaching it this moment; a policy left by one
                // that failed half-way ends by its own condition.
                State::Active | State::Pending => None,
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

/// One sweep: what it found, did, and failed to do (it goes on past a failure, so one stuck
/// policy does not keep every other from being removed; the first failure decides the exit).
struct Sweep<'s, 'a> {
    app: &'s AccessGrant<'a>,
    ledger: &'s Ledger,
    actor: String,
    /// Every grant of the ledger, as this sweep last saw or left it.
    grants: BTreeMap<String, GrantDoc>,
    /// `accessgrant-*` inline policies, with the environment whose account holds them.
    attached: Vec<(String, Attached)>,
    /// `accessgrant-*` permission sets: (name, ARN).
    sets: Vec<(String, String)>,
    /// IAM of each account, by the first environment in it.
    scopes: HashMap<String, crate::iam::Iam>,
    /// Grants this sweep expired (their own expiry removed their access).
    expired: Vec<String>,
    events: Vec<Event>,
    failures: Vec<Error>,
}

impl<'s, 'a> Sweep<'s, 'a> {
    /// Look at everything first: policies, then grants, so a policy attached for an activation
    /// is either seen with its grant active, or left alone as pending or too new.
    async fn look(app: &'s AccessGrant<'a>) -> Result<Sweep<'s, 'a>> {
        let ledger = app.ledger().await?;
        let actor = app.caller().await?.arn().to_owned();
        let early = ledger.grants().await?;
        let uses = |backend: Backend| {
            app.settings.backend == backend
                || early.iter().any(|s| s.doc.grant.app == app.app && s.doc.grant.backend == backend)
        };
        let scopes = scopes(app).await?;
        let mut attached = Vec::new();
        if uses(Backend::Iam) {
            for (env, iam) in &scopes {
                attached.extend(iam.accessgrant_policies().await?.into_iter().map(|a| (env.clone(), a)));
            }
        }
        let sets = if uses(Backend::IdentityCenter) {
            app.identity_center().await?.accessgrant_sets().await?
        } else {
            Vec::new()
        };
        let grants = ledger.grants().await?.into_iter().map(|s| (s.doc.grant.id.clone(), s.doc)).collect();
        Ok(Sweep {
            app,
            ledger,
            actor,
            grants,
            attached,
            sets,
            scopes: scopes.into_iter().collect(),
            expired: Vec::new(),
            events: Vec::new(),
            failures: Vec::new(),
        })
    }

    fn failed(&mut self, err: Error) {
        opskit::error::warn(&err.to_string());
        self.failures.push(err);
    }

    /// A `swept` event: of no grant's history (a policy may have no grant at all).
    fn swept(&self, subject: &str, env: &str, holder: &str, why: String, what: String) -> Event {
        let grant = self.grants.get(subject).map(|d| &d.grant);
        Event {
            kind: "audit".into(),
            at: stamp_millis(self.app.now),
            happened: EventKind::Swept,
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

    async fn record(&mut self, event: Event) {
        if !self.app.ctx.dry_run
            && let Err(e) = self.ledger.append(std::slice::from_ref(&event)).await
        {
            self.failed(e);
        }
        self.events.push(event);
    }

    fn by_id(&self) -> HashMap<&str, &Grant> {
        self.grants.values().map(|d| (d.grant.id.as_str(), &d.grant)).collect()
    }

    /// Grants past their expiry: marked expired, their access removed.
    async fn expire(&mut self) {
        let app = self.app;
        let due: Vec<String> = self
            .grants
            .values()
            .map(|d| &d.grant)
            .filter(|g| g.app == app.app && g.state == State::Active && g.state_at(app.now) == State::Expired)
            .map(|g| g.id.clone())
            .collect();
        for id in due {
            let actor = self.actor.clone();
            match Box::pin(app.apply(&id, |doc| Ok(doc.expire(&actor, app.now)))).await {
                Ok(applied) => {
                    self.events.extend(applied.events);
                    self.grants.insert(id.clone(), applied.doc);
                    self.expired.push(id);
                }
                Err(e) => self.failed(e),
            }
        }
    }

    /// Policies no active grant accounts for: removed.
    async fn remove_orphans(&mut self) {
        let mut removals = Vec::new();
        {
            let grants = self.by_id();
            for (env, a) in &self.attached {
                // The policy of a grant this sweep expired: the expiry removed it (or, in a
                // dry run, would).
                let expired_here = match policy::parse_name(&a.policy) {
                    Some(Named::Grant(id)) => {
                        self.expired.iter().any(|e| e == id)
                            && grants
                                .get(id)
                                .is_some_and(|g| holder(g).is_ok_and(|(k, n)| k == a.holder_type && n == a.holder))
                    }
                    _ => false,
                };
                if expired_here {
                    continue;
                }
                if let Some(why) = unaccounted(&a.policy, Some((a.holder_type, &a.holder)), &grants, self.app) {
                    removals.push((env.clone(), a.clone(), why));
                }
            }
        }
        for (env, a, why) in removals {
            let removed = match (self.app.ctx.dry_run, self.scopes.get(&env)) {
                (true, _) => Ok(true),
                (false, Some(iam)) => iam.delete(a.holder_type, &a.holder, &a.policy).await,
                (false, None) => Ok(false),
            };
            match removed {
                Ok(true) => {
                    let what = format!("removed the policy {} from {}", a.policy, a.holder_path());
                    let event = self.swept(&subject_of(&a.policy), &env, &a.holder_path(), why, what);
                    self.record(event).await;
                }
                Ok(false) => {}
                Err(e) => self.failed(e),
            }
        }
    }

    /// Policies of active grants changed outside accessgrant (an expiry taken out, more
    /// actions put in): put back as the grant has them.
    async fn restore_changed(&mut self) {
        let mut changed = Vec::new();
        let mut errors = Vec::new();
        {
            let grants = self.by_id();
            for (env, a) in &self.attached {
                let Some(Named::Grant(id)) = policy::parse_name(&a.policy) else { continue };
                let (Some(g), Some(iam)) = (grants.get(id), self.scopes.get(env)) else { continue };
                let Some(expires) = g.expires() else { continue };
                if g.backend != Backend::Iam
                    || g.state_at(self.app.now) != State::Active
                    || unaccounted(&a.policy, Some((a.holder_type, &a.holder)), &grants, self.app).is_some()
                {
                    continue;
                }
                let expected = policy::allow(&g.access, expires);
                match iam.get(a.holder_type, &a.holder, &a.policy).await {
                    Ok(Some(found)) if found != expected => changed.push((env.clone(), a.clone(), expected)),
                    Ok(_) => {}
                    Err(e) => errors.push(e),
                }
            }
        }
        for e in errors {
            self.failed(e);
        }
        for (env, a, expected) in changed {
            if !self.app.ctx.dry_run
                && let Some(iam) = self.scopes.get(&env)
                && let Err(e) = iam.put(a.holder_type, &a.holder, &a.policy, &expected).await
            {
                self.failed(e);
                continue;
            }
            let what = format!("restored the policy {} on {} to the grant's", a.policy, a.holder_path());
            let why = "it had been changed outside accessgrant".to_owned();
            let event = self.swept(&subject_of(&a.policy), &env, &a.holder_path(), why, what);
            self.record(event).await;
        }
    }

    /// Permission sets no active grant accounts for: removed with their assignments.
    async fn remove_orphan_sets(&mut self) {
        let removals: Vec<(String, String, String)> = {
            let grants = self.by_id();
            self.sets
                .iter()
                .filter_map(|(name, arn)| {
                    unaccounted(name, None, &grants, self.app).map(|why| (name.clone(), arn.clone(), why))
                })
                .collect()
        };
        for (name, arn, why) in removals {
            let removed = if self.app.ctx.dry_run {
                Ok(true)
            } else {
                match self.app.identity_center().await {
                    Ok(ic) => ic.remove(&name, Some(&arn)).await,
                    Err(e) => Err(e),
                }
            };
            match removed {
                Ok(true) => {
                    let subject = subject_of(&name);
                    let holder = self.grants.get(&subject).map_or_else(String::new, |d| d.grant.grantee.clone());
                    let what = format!("removed the permission set {name} and its assignments");
                    let event = self.swept(&subject, "", &holder, why, what);
                    self.record(event).await;
                }
                Ok(false) => {}
                Err(e) => self.failed(e),
            }
        }
    }

    /// Events a failure kept out of the audit log, written from the grants' own history.
    async fn repair_log(&mut self) {
        if self.app.ctx.dry_run {
            return;
        }
        let since = self.app.now.checked_sub(REPAIR_WINDOW);
        let logged = match self.ledger.logged(since).await {
            Ok(logged) => logged,
            Err(e) => return self.failed(e),
        };
        let missing: Vec<Event> = self
            .grants
            .values()
            .filter(|d| d.grant.app == self.app.app)
            .flat_map(|d| &d.events)
            .filter(|e| since.is_none_or(|s| parse_stamp(&e.at).is_some_and(|t| t >= s)))
            .filter(|e| !logged.contains(&Ledger::event_key(e)))
            .cloned()
            .collect();
        if missing.is_empty() {
            return;
        }
        match self.ledger.append(&missing).await {
            Ok(()) => opskit::error::note(&format!("wrote {} audit events missing from the log", missing.len())),
            Err(e) => self.failed(e),
        }
    }
}

/// The grant a policy or permission set name is about, or the name itself.
fn subject_of(name: &str) -> String {
    match policy::parse_name(name) {
        Some(Named::Grant(id) | Named::Revocation(id)) => id.to_owned(),
        _ => name.to_owned(),
    }
}

pub async fn sweep(app: &AccessGrant<'_>) -> anyhow::Result<Exit> {
    let mut sweep = Box::pin(Sweep::look(app)).await?;
    Box::pin(sweep.expire()).await;
    Box::pin(sweep.remove_orphans()).await;
    Box::pin(sweep.restore_changed()).await;
    Box::pin(sweep.remove_orphan_sets()).await;
    Box::pin(sweep.repair_log()).await;
    let mut out = event_emitter(app, &sweep.events).on_empty("nothing to sweep");
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
