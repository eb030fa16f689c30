//! What can happen to a grant: approve, deny, revoke, expire, extend, connect. Each is a pure
//! function of the grant as last read, the person acting and the time, so the ledger can apply it
//! again to a newer version when someone else wrote first. Each returns the grant as it would be
//! (with the events it adds to its history) and what IAM must then look like.

use std::time::{Duration, SystemTime};

use opskit::{Error, Result};

use crate::grant::{Approval, EventKind, Extension, Grant, GrantDoc, State, human, stamp};
use crate::principal::Principal;

/// Who is acting, and whether the config makes them an approver.
pub struct Actor<'a> {
    pub who: &'a Principal,
    pub approver: bool,
}

/// What IAM (or Identity Center) must look like after a transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Iam {
    /// Nothing to change.
    Keep,
    /// The grant's policy, with its current expiry, attached (again).
    Attach,
    /// No policy of the grant's left.
    Detach,
    /// Detached, and for a role, its older sessions denied the access.
    Revoke,
}

pub enum Outcome {
    /// The grant changed: write it, then its new events; `note` says what happened.
    Changed { doc: Box<GrantDoc>, iam: Iam, note: String },
    /// Nothing to write, and why; IAM made to match the grant all the same.
    Unchanged { note: String, iam: Iam },
}

/// How an extension is bounded.
pub struct ExtendRules {
    pub max_duration: Duration,
    pub approvals: u32,
}

impl GrantDoc {
    fn end(&mut self, state: State, actor: &str, reason: Option<&str>, now: SystemTime) {
        let g = &mut self.grant;
        g.state = state;
        g.ended_at = Some(stamp(now));
        g.ended_by = Some(actor.to_owned());
        g.end_reason = reason.map(str::to_owned);
        g.extension = None;
    }

    fn changed(self, iam: Iam, note: String) -> Outcome {
        Outcome::Changed { doc: Box::new(self), iam, note }
    }

    fn refuse_final(&self, what: &str, now: SystemTime) -> Error {
        let g = &self.grant;
        let state = g.state_at(now);
        let when = match state {
            State::Expired => g.expires_at.clone(),
            _ => g.ended_at.clone(),
        }
        .map_or_else(String::new, |t| format!(" at {t}"));
        Error::usage(format!("grant {} is {}{when}: nothing to {what}", g.id, state.as_str()))
            .with_hint("`accessgrant request` asks for a new grant")
    }

    /// An approver approves the grant, or its pending extension. Enough distinct approvals
    /// activate it (or apply the extension).
    pub fn approve(&self, actor: &Actor<'_>, now: SystemTime) -> Result<Outcome> {
        let g = &self.grant;
        let me = actor.who;
        if !actor.approver {
            return Err(Error::no_perm(format!("{me} is not an approver: grant {} needs one", g.id))
                .with_hint("approvers are `approvers` and the members of `approver_groups` in [accessgrant]"));
        }
        match g.state_at(now) {
            State::Pending => {
                if g.involves(me) {
                    return Err(self_approval(&g.id));
                }
                if g.approvals.iter().any(|a| Grant::person_of(&a.by) == me.person()) {
                    return Ok(Outcome::Unchanged {
                        note: format!(
                            "you already approved grant {} ({} of {} approvals); it needs another approver",
                            g.id,
                            g.approvals.len(),
                            g.approvals_required
                        ),
                        iam: Iam::Keep,
                    });
                }
                let mut doc = self.clone();
                doc.grant.approvals.push(Approval { by: me.arn().to_owned(), at: stamp(now) });
                let (count, needed) = (doc.grant.approvals.len(), doc.grant.approvals_required);
                doc.record(EventKind::Approved, me.arn(), now, |e| e.detail = Some(format!("{count} of {needed}")));
                if count >= usize::try_from(needed).unwrap_or(usize::MAX) {
                    doc.activate(me.arn(), now);
                    let note =
                        format!("grant {} is active until {}", g.id, doc.grant.expires_at.clone().unwrap_or_default());
                    return Ok(doc.changed(Iam::Attach, note));
                }
                let note = format!("approved grant {} ({count} of {needed}); it needs another approver", g.id);
                Ok(doc.changed(Iam::Keep, note))
            }
            State::Active => {
                let Some(ext) = &g.extension else {
                    return Ok(Outcome::Unchanged {
                        note: format!(
                            "grant {} is already active (until {})",
                            g.id,
                            g.expires_at.as_deref().unwrap_or("?")
                        ),
                        iam: Iam::Keep,
                    });
                };
                if g.involves(me) || Grant::person_of(&ext.requested_by) == me.person() {
                    return Err(self_approval(&g.id));
                }
                if ext.approvals.iter().any(|a| Grant::person_of(&a.by) == me.person()) {
                    return Ok(Outcome::Unchanged {
                        note: format!("you already approved the extension of grant {}", g.id),
                        iam: Iam::Keep,
                    });
                }
                let mut doc = self.clone();
                let by = Duration::from_secs(ext.duration_seconds);
                let mut ext = ext.clone();
                ext.approvals.push(Approval { by: me.arn().to_owned(), at: stamp(now) });
                let (count, needed) = (ext.approvals.len(), g.approvals_required);
                doc.record(EventKind::Approved, me.arn(), now, |e| {
                    e.detail = Some(format!("extension by {} ({count} of {needed})", human(by)));
                });
                if count >= usize::try_from(needed).unwrap_or(usize::MAX) {
                    doc.grant.extension = None;
                    doc.apply_extension(&ext.reason, by, me.arn(), now);
                    let note = format!(
                        "grant {} is extended until {}",
                        g.id,
                        doc.grant.expires_at.clone().unwrap_or_default()
                    );
                    return Ok(doc.changed(Iam::Attach, note));
                }
                doc.grant.extension = Some(ext);
                let note = format!("approved the extension of grant {} ({count} of {needed})", g.id);
                Ok(doc.changed(Iam::Keep, note))
            }
            _ => Err(self.refuse_final("approve", now)),
        }
    }

    fn apply_extension(&mut self, reason: &str, by: Duration, actor: &str, now: SystemTime) {
        let g = &mut self.grant;
        let expires = g.expires().unwrap_or(now) + by;
        g.expires_at = Some(stamp(expires));
        g.duration_seconds += by.as_secs();
        let expires_at = g.expires_at.clone();
        self.record(EventKind::Extended, actor, now, |e| {
            e.reason = Some(reason.to_owned());
            e.duration_seconds = Some(by.as_secs());
            e.expires_at = expires_at;
        });
    }

    /// An approver denies the request (or its pending extension), saying why.
    pub fn deny(&self, actor: &Actor<'_>, reason: &str, now: SystemTime) -> Result<Outcome> {
        let g = &self.grant;
        let me = actor.who;
        if !actor.approver {
            return Err(Error::no_perm(format!("{me} is not an approver: only approvers deny grants"))
                .with_hint("`accessgrant revoke` withdraws your own request"));
        }
        match g.state_at(now) {
            State::Pending => {
                let mut doc = self.clone();
                doc.end(State::Denied, me.arn(), Some(reason), now);
                doc.record(EventKind::Denied, me.arn(), now, |e| e.reason = Some(reason.to_owned()));
                Ok(doc.changed(Iam::Detach, format!("denied grant {}", g.id)))
            }
            State::Active if g.extension.is_some() => {
                let mut doc = self.clone();
                let by = doc.grant.extension.take().map_or(0, |x| x.duration_seconds);
                doc.record(EventKind::Denied, me.arn(), now, |e| {
                    e.reason = Some(reason.to_owned());
                    e.detail = Some(format!("extension by {}", human(Duration::from_secs(by))));
                });
                Ok(doc.changed(Iam::Keep, format!("denied the extension of grant {}; it still ends at its time", g.id)))
            }
            State::Active => Err(Error::usage(format!("grant {} is already active: deny applies to requests", g.id))
                .with_hint(format!("`accessgrant revoke {}` ends it now", g.id))),
            _ => Err(self.refuse_final("deny", now)),
        }
    }

    /// The requester, the grantee or an approver ends the grant now. Idempotent: a grant that
    /// has already ended is left as it is (and its policy made sure to be gone).
    pub fn revoke(&self, actor: &Actor<'_>, reason: Option<&str>, now: SystemTime) -> Result<Outcome> {
        let g = &self.grant;
        let me = actor.who;
        if !actor.approver && !g.involves(me) {
            return Err(Error::no_perm(format!("{me} may not revoke grant {}", g.id))
                .with_hint("its requester, its grantee and the approvers may"));
        }
        let mut doc = self.clone();
        match g.state_at(now) {
            State::Pending => {
                doc.end(State::Revoked, me.arn(), reason, now);
                doc.record(EventKind::Revoked, me.arn(), now, |e| e.reason = reason.map(str::to_owned));
                Ok(doc.changed(Iam::Detach, format!("withdrew grant {} (it was pending)", g.id)))
            }
            State::Active => {
                doc.end(State::Revoked, me.arn(), reason, now);
                doc.record(EventKind::Revoked, me.arn(), now, |e| e.reason = reason.map(str::to_owned));
                Ok(doc.changed(Iam::Revoke, format!("revoked grant {}", g.id)))
            }
            State::Expired if g.state == State::Active => {
                doc.mark_expired(me.arn(), now);
                Ok(doc.changed(Iam::Detach, format!("grant {} had expired; marked expired", g.id)))
            }
            state => Ok(Outcome::Unchanged {
                note: format!("grant {} is already {}", g.id, state.as_str()),
                iam: Iam::Detach,
            }),
        }
    }

    fn mark_expired(&mut self, actor: &str, now: SystemTime) {
        let at = self.grant.expires_at.clone();
        self.end(State::Expired, actor, None, now);
        self.grant.ended_at.clone_from(&at);
        self.record(EventKind::Expired, actor, now, |e| e.expires_at = at);
    }

    /// Mark a grant past its expiry as expired (sweep).
    pub fn expire(&self, actor: &str, now: SystemTime) -> Outcome {
        let g = &self.grant;
        if g.state == State::Active && g.state_at(now) == State::Expired {
            let mut doc = self.clone();
            doc.mark_expired(actor, now);
            return Outcome::Changed {
                doc: Box::new(doc),
                iam: Iam::Detach,
                note: format!("grant {} expired at {}", g.id, g.expires_at.as_deref().unwrap_or("?")),
            };
        }
        Outcome::Unchanged { note: format!("grant {} is {}", g.id, g.state_at(now).as_str()), iam: Iam::Keep }
    }

    /// The requester or grantee asks for more time: approved again where the tier needs it.
    pub fn extend(
        &self,
        actor: &Actor<'_>,
        by: Duration,
        reason: &str,
        rules: &ExtendRules,
        now: SystemTime,
    ) -> Result<Outcome> {
        let g = &self.grant;
        let me = actor.who;
        if !g.involves(me) {
            return Err(Error::no_perm(format!("{me} may not extend grant {}", g.id))
                .with_hint("its requester or its grantee may ask for an extension"));
        }
        if g.state_at(now) != State::Active {
            return Err(self.refuse_final("extend", now));
        }
        if g.break_glass {
            return Err(Error::usage(format!("grant {} is break-glass: it is not extended", g.id))
                .with_hint("request a grant, approved as the tier needs"));
        }
        if let Some(ext) = &g.extension {
            return Err(Error::usage(format!(
                "an extension of grant {} by {} is already waiting for approval",
                g.id,
                human(Duration::from_secs(ext.duration_seconds))
            ))
            .with_hint("an approver approves or denies it first"));
        }
        let expires = g.expires().unwrap_or(now);
        let ahead = (expires + by).duration_since(now).unwrap_or_default();
        if by > rules.max_duration || ahead > rules.max_duration {
            return Err(Error::usage(format!(
                "extending grant {} by {} would leave {} of access; role `{}` allows at most {}",
                g.id,
                human(by),
                human(ahead),
                g.role,
                human(rules.max_duration)
            ))
            .with_hint("extend it by less, or closer to its end"));
        }
        let mut doc = self.clone();
        if rules.approvals == 0 {
            doc.apply_extension(reason, by, me.arn(), now);
            let note = format!("grant {} is extended until {}", g.id, doc.grant.expires_at.clone().unwrap_or_default());
            return Ok(doc.changed(Iam::Attach, note));
        }
        doc.grant.extension = Some(Extension {
            duration_seconds: by.as_secs(),
            reason: reason.to_owned(),
            requested_by: me.arn().to_owned(),
            requested_at: stamp(now),
            approvals: Vec::new(),
        });
        doc.record(EventKind::Requested, me.arn(), now, |e| {
            e.reason = Some(reason.to_owned());
            e.duration_seconds = Some(by.as_secs());
            e.detail = Some(format!("extension by {}", human(by)));
        });
        let note = format!(
            "the extension of grant {} by {} needs {} approval{}: an approver runs `accessgrant approve {}`",
            g.id,
            human(by),
            rules.approvals,
            if rules.approvals == 1 { "" } else { "s" },
            g.id
        );
        Ok(doc.changed(Iam::Keep, note))
    }

    /// The grantee opens a session the grant allows.
    pub fn connect(&self, who: &Principal, target: &str, now: SystemTime) -> Result<Outcome> {
        let g = &self.grant;
        if g.state_at(now) != State::Active {
            return Err(match g.state_at(now) {
                State::Pending => Error::usage(format!("grant {} is still pending approval", g.id)),
                _ => self.refuse_final("connect with", now),
            });
        }
        let mut doc = self.clone();
        doc.record(EventKind::Connected, who.arn(), now, |e| e.detail = Some(format!("target {target}")));
        Ok(doc.changed(Iam::Keep, format!("connecting to {target} with grant {}", g.id)))
    }
}

fn self_approval(id: &str) -> Error {
    Error::no_perm(format!("you cannot approve grant {id}: it is yours (requested by or for you)"))
        .with_hint("another approver must approve it")
}

#[cfg(test)]
mod tests {
    use opskit::Tier;

    use super::*;
    use crate::grant::parse_stamp;
    use crate::principal::GranteeType;
    use crate::settings::{Access, Backend};

    fn t(text: &str) -> SystemTime {
        parse_stamp(text).unwrap()
    }

    fn p(arn: &str) -> Principal {
        Principal::parse(arn).unwrap()
    }

    fn pending(required: u32) -> GrantDoc {
        let grant = Grant {
            id: "0k3x9a7qzp".into(),
            app: "shop".into(),
            env: "prod".into(),
            tier: Tier::Prod,
            role: "debug".into(),
            state: State::Pending,
            break_glass: false,
            requester: "arn:aws:iam::111:user/alice".into(),
            grantee: "arn:aws:iam::111:user/alice".into(),
            grantee_type: GranteeType::User,
            grantee_id: None,
            account: "111".into(),
            backend: Backend::Iam,
            reason: "INC-1".into(),
            ticket: None,
            duration_seconds: 7200,
            approvals_required: required,
            approvals: Vec::new(),
            requested_at: "2026-11-27T10:00:00Z".into(),
            activated_at: None,
            expires_at: None,
            ended_at: None,
            ended_by: None,
            end_reason: None,
            extension: None,
            permission_set_arn: None,
            access: Access {
                actions: vec!["ssm:StartSession".into()],
                resources: vec!["*".into()],
                conditions: serde_json::Map::default(),
            },
        };
        let mut doc = GrantDoc::new(grant);
        doc.record(EventKind::Requested, "arn:aws:iam::111:user/alice", t("2026-11-27T10:00:00Z"), |_| {});
        doc
    }

    fn changed(outcome: Result<Outcome>) -> (GrantDoc, Iam) {
        match outcome.unwrap() {
            Outcome::Changed { doc, iam, .. } => (*doc, iam),
            Outcome::Unchanged { note, .. } => panic!("unchanged: {note}"),
        }
    }

    #[test]
    fn prod_needs_two_distinct_approvers_and_never_the_requester() {
        let now = t("2026-11-27T11:00:00Z");
        let bob = p("arn:aws:iam::111:user/bob");
        let alice = p("arn:aws:iam::111:user/alice");
        let doc = pending(2);
        let err = doc.approve(&Actor { who: &alice, approver: true }, now).err().unwrap();
        assert_eq!(err.exit(), opskit::Exit::NoPerm);
        let err = doc.approve(&Actor { who: &bob, approver: false }, now).err().unwrap();
        assert_eq!(err.exit(), opskit::Exit::NoPerm);
        let (doc, iam) = changed(doc.approve(&Actor { who: &bob, approver: true }, now));
        assert_eq!((doc.grant.state, iam), (State::Pending, Iam::Keep));
        // The same approver again counts once (as another session of the same user too).
        let bob_again = p("arn:aws:iam::111:user/team/bob");
        assert!(matches!(
            doc.approve(&Actor { who: &bob_again, approver: true }, now).unwrap(),
            Outcome::Unchanged { .. }
        ));
        let carol = p("arn:aws:iam::111:user/carol");
        let (doc, iam) = changed(doc.approve(&Actor { who: &carol, approver: true }, now));
        assert_eq!((doc.grant.state, iam), (State::Active, Iam::Attach));
        assert_eq!(doc.grant.expires_at.as_deref(), Some("2026-11-27T13:00:00Z"), "counted from activation");
        let kinds: Vec<EventKind> = doc.events.iter().map(|e| e.happened).collect();
        assert_eq!(kinds, [EventKind::Requested, EventKind::Approved, EventKind::Approved, EventKind::Activated]);
        assert_eq!(doc.events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4]);
    }

    #[test]
    fn sessions_of_one_plain_role_are_one_person() {
        let now = t("2026-11-27T11:00:00Z");
        let doc = pending(2);
        let s1 = p("arn:aws:sts::111:assumed-role/Leads/one");
        let s2 = p("arn:aws:sts::111:assumed-role/Leads/two");
        let (doc, _) = changed(doc.approve(&Actor { who: &s1, approver: true }, now));
        assert!(matches!(doc.approve(&Actor { who: &s2, approver: true }, now).unwrap(), Outcome::Unchanged { .. }));
    }

    #[test]
    fn expiry_revocation_and_idempotence() {
        let now = t("2026-11-27T11:00:00Z");
        let bob = p("arn:aws:iam::111:user/bob");
        let (doc, _) = changed(pending(1).approve(&Actor { who: &bob, approver: true }, now));
        assert_eq!(doc.grant.state_at(t("2026-11-27T12:59:59Z")), State::Active);
        assert_eq!(doc.grant.state_at(t("2026-11-27T13:00:00Z")), State::Expired);
        assert!(matches!(doc.expire("sweeper", t("2026-11-27T12:00:00Z")), Outcome::Unchanged { .. }));
        let Outcome::Changed { doc: expired, iam, .. } = doc.expire("sweeper", t("2026-11-27T14:00:00Z")) else {
            panic!()
        };
        assert_eq!((expired.grant.state, iam), (State::Expired, Iam::Detach));
        assert_eq!(expired.grant.ended_at.as_deref(), Some("2026-11-27T13:00:00Z"));
        let alice = p("arn:aws:iam::111:user/alice");
        let (revoked, iam) = changed(doc.revoke(&Actor { who: &alice, approver: false }, Some("done"), now));
        assert_eq!((revoked.grant.state, iam), (State::Revoked, Iam::Revoke));
        let again = revoked.revoke(&Actor { who: &alice, approver: false }, None, now).unwrap();
        assert!(matches!(again, Outcome::Unchanged { iam: Iam::Detach, .. }));
        let eve = p("arn:aws:iam::111:user/eve");
        assert_eq!(
            doc.revoke(&Actor { who: &eve, approver: false }, None, now).err().unwrap().exit(),
            opskit::Exit::NoPerm
        );
        assert_eq!(
            revoked.approve(&Actor { who: &bob, approver: true }, now).err().unwrap().exit(),
            opskit::Exit::Usage
        );
    }

    #[test]
    fn extensions_are_bounded_and_approved_again() {
        let now = t("2026-11-27T11:00:00Z");
        let bob = p("arn:aws:iam::111:user/bob");
        let alice = p("arn:aws:iam::111:user/alice");
        let (doc, _) = changed(pending(1).approve(&Actor { who: &bob, approver: true }, now));
        let rules = ExtendRules { max_duration: Duration::from_hours(4), approvals: 1 };
        let me = Actor { who: &alice, approver: false };
        let err = doc.extend(&me, Duration::from_hours(3), "more", &rules, now).err().unwrap();
        assert!(err.to_string().contains("allows at most 4h"), "{err}");
        let (doc, iam) = changed(doc.extend(&me, Duration::from_hours(1), "more", &rules, now));
        assert_eq!((iam, doc.grant.expires_at.as_deref()), (Iam::Keep, Some("2026-11-27T13:00:00Z")));
        assert!(doc.extend(&me, Duration::from_hours(1), "more", &rules, now).is_err(), "one at a time");
        assert_eq!(doc.approve(&me_approver(&alice), now).err().unwrap().exit(), opskit::Exit::NoPerm);
        let (doc, iam) = changed(doc.approve(&Actor { who: &bob, approver: true }, now));
        assert_eq!((iam, doc.grant.expires_at.as_deref()), (Iam::Attach, Some("2026-11-27T14:00:00Z")));
        assert_eq!(doc.events.last().unwrap().happened, EventKind::Extended);
    }

    fn me_approver(who: &Principal) -> Actor<'_> {
        Actor { who, approver: true }
    }
}
