//! A grant: who asked, for whom, what access where and for how long, why, who approved, and its
//! state (pending → active → expired | revoked | denied), with its whole history of events. The
//! ledger copies those events to the append-only audit log. What can happen to a grant is in
//! `transition`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use opskit::Tier;
use serde::{Deserialize, Serialize};

use crate::principal::{GranteeType, Principal, sso_person};
use crate::settings::{Access, Backend};

/// Ids are ten characters of Crockford's base32 (no i, l, o, u): six of seconds since 2024 (so
/// ids sort by creation) and four random ones. Short enough to type, and `accessgrant-<id>`
/// stays within Identity Center's 32 characters for a permission set's name.
pub const ID_LEN: usize = 10;
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const ID_EPOCH: u64 = 1_704_067_200;

pub fn new_id(now: SystemTime) -> String {
    let seconds = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()).saturating_sub(ID_EPOCH);
    let seconds = usize::try_from(seconds.min((1 << 30) - 1)).unwrap_or(0);
    let mut id = String::with_capacity(ID_LEN);
    for shift in (0..6).rev() {
        id.push(char::from(ALPHABET[(seconds >> (shift * 5)) & 31]));
    }
    for _ in 0..4 {
        id.push(char::from(ALPHABET[fastrand::usize(..32)]));
    }
    id
}

/// When an id was made (to the second), from its first six characters.
pub fn id_seconds(id: &str) -> Option<SystemTime> {
    if !is_id(id) {
        return None;
    }
    let seconds = id
        .bytes()
        .take(6)
        .try_fold(0u64, |acc, b| ALPHABET.iter().position(|a| *a == b).map(|v| acc * 32 + v as u64))?;
    UNIX_EPOCH.checked_add(Duration::from_secs(ID_EPOCH + seconds))
}

pub fn is_id(text: &str) -> bool {
    text.len() == ID_LEN && text.bytes().all(|b| ALPHABET.contains(&b))
}

/// RFC 3339 to the second: the grant's times, as IAM's conditions take them.
pub fn stamp(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// RFC 3339 to the millisecond: when events happened.
pub fn stamp_millis(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
}

pub fn parse_stamp(text: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339(text).ok()
}

pub fn human(d: Duration) -> String {
    humantime::format_duration(d).to_string()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Pending,
    Active,
    Expired,
    Revoked,
    Denied,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Active => "active",
            State::Expired => "expired",
            State::Revoked => "revoked",
            State::Denied => "denied",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Requested,
    Approved,
    Denied,
    Activated,
    Extended,
    Revoked,
    Expired,
    Connected,
    Swept,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Requested => "requested",
            EventKind::Approved => "approved",
            EventKind::Denied => "denied",
            EventKind::Activated => "activated",
            EventKind::Extended => "extended",
            EventKind::Revoked => "revoked",
            EventKind::Expired => "expired",
            EventKind::Connected => "connected",
            EventKind::Swept => "swept",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub by: String,
    pub at: String,
}

/// An extension asked for and waiting for its approvals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub duration_seconds: u64,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    #[serde(default)]
    pub approvals: Vec<Approval>,
}

/// A grant as the ledger keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    pub id: String,
    pub app: String,
    pub env: String,
    pub tier: Tier,
    pub role: String,
    pub state: State,
    #[serde(default)]
    pub break_glass: bool,
    /// Who asked, as STS said.
    pub requester: String,
    /// Who gets the access: an IAM user's or role's ARN, or an Identity Center user name.
    pub grantee: String,
    pub grantee_type: GranteeType,
    /// The Identity Center user id of the grantee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grantee_id: Option<String>,
    /// The environment's AWS account.
    pub account: String,
    pub backend: Backend,
    pub reason: String,
    pub ticket: Option<String>,
    pub duration_seconds: u64,
    pub approvals_required: u32,
    #[serde(default)]
    pub approvals: Vec<Approval>,
    pub requested_at: String,
    pub activated_at: Option<String>,
    pub expires_at: Option<String>,
    pub ended_at: Option<String>,
    pub ended_by: Option<String>,
    pub end_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Extension>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_set_arn: Option<String>,
    pub access: Access,
}

/// One thing that happened to a grant: a line of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    #[serde(default = "audit_kind")]
    pub kind: String,
    pub at: String,
    /// What happened (`event` in records).
    #[serde(rename = "event")]
    pub happened: EventKind,
    /// The grant's id (for an orphaned policy swept, the policy's name).
    pub grant: String,
    /// The event's number in the grant's history, from 1 (0: an event of no grant).
    pub seq: u32,
    pub app: String,
    pub env: Option<String>,
    pub role: Option<String>,
    pub tier: Option<Tier>,
    /// Who did it, as STS said.
    pub actor: String,
    pub grantee: Option<String>,
    pub break_glass: bool,
    pub reason: Option<String>,
    pub ticket: Option<String>,
    pub duration_seconds: Option<u64>,
    pub expires_at: Option<String>,
    pub detail: Option<String>,
}

fn audit_kind() -> String {
    "audit".to_owned()
}

impl opskit::output::Record for Event {
    const KIND: &'static str = "audit";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "at",
        "event",
        "grant",
        "seq",
        "app",
        "env",
        "role",
        "tier",
        "actor",
        "grantee",
        "break_glass",
        "reason",
        "ticket",
        "duration_seconds",
        "expires_at",
        "detail",
    ];
}

/// A grant with its whole history: the ledger's object for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrantDoc {
    #[serde(flatten)]
    pub grant: Grant,
    #[serde(default)]
    pub events: Vec<Event>,
}
impl Grant {
    pub fn expires(&self) -> Option<SystemTime> {
        self.expires_at.as_deref().and_then(parse_stamp)
    }

    /// The state as of `now`: an active grant past its expiry is expired, whether or not a
    /// sweep has marked it yet (IAM already stopped allowing it).
    pub fn state_at(&self, now: SystemTime) -> State {
        match (self.state, self.expires()) {
            (State::Active, Some(t)) if t <= now => State::Expired,
            (state, _) => state,
        }
    }

    pub fn duration(&self) -> Duration {
        Duration::from_secs(self.duration_seconds)
    }

    pub fn policy_name(&self) -> String {
        crate::policy::name(&self.id)
    }

    /// The person behind an ARN (see `Principal::person`).
    pub fn person_of(arn: &str) -> String {
        Principal::parse(arn).map_or_else(|_| arn.to_owned(), |p| p.person())
    }

    pub fn requester_person(&self) -> String {
        Grant::person_of(&self.requester)
    }

    pub fn grantee_person(&self) -> String {
        match self.grantee_type {
            GranteeType::IdentityCenterUser => sso_person(&self.grantee),
            _ => Grant::person_of(&self.grantee),
        }
    }

    /// Whether `who` is the grantee: the user, a session of the role, the Identity Center user.
    pub fn is_grantee(&self, who: &Principal) -> bool {
        match self.grantee_type {
            GranteeType::IdentityCenterUser => who.person() == self.grantee_person(),
            _ => Principal::parse(&self.grantee).is_ok_and(|g| who.is(&g)),
        }
    }

    /// Whether `who` asked for this grant or holds it.
    pub fn involves(&self, who: &Principal) -> bool {
        who.person() == self.requester_person() || self.is_grantee(who)
    }
}

impl GrantDoc {
    pub fn new(grant: Grant) -> GrantDoc {
        GrantDoc { grant, events: Vec::new() }
    }

    /// Append an event of this grant (numbered after the last), filled in by `fill`.
    pub fn record(&mut self, event: EventKind, actor: &str, now: SystemTime, fill: impl FnOnce(&mut Event)) {
        let g = &self.grant;
        let seq = self.events.last().map_or(0, |e| e.seq) + 1;
        let mut e = Event {
            kind: audit_kind(),
            at: stamp_millis(now),
            happened: event,
            grant: g.id.clone(),
            seq,
            app: g.app.clone(),
            env: Some(g.env.clone()),
            role: Some(g.role.clone()),
            tier: Some(g.tier),
            actor: actor.to_owned(),
            grantee: Some(g.grantee.clone()),
            break_glass: g.break_glass,
            reason: None,
            ticket: None,
            duration_seconds: None,
            expires_at: None,
            detail: None,
        };
        fill(&mut e);
        self.events.push(e);
    }

    /// Activate now: the access lasts its duration from this moment.
    pub fn activate(&mut self, actor: &str, now: SystemTime) {
        let g = &mut self.grant;
        g.state = State::Active;
        g.activated_at = Some(stamp(now));
        let expires = stamp(now + g.duration());
        g.expires_at = Some(expires.clone());
        let duration = g.duration_seconds;
        self.record(EventKind::Activated, actor, now, |e| {
            e.duration_seconds = Some(duration);
            e.expires_at = Some(expires);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> SystemTime {
        parse_stamp(text).unwrap()
    }

    #[test]
    fn ids_sort_by_time_and_are_recognised() {
        let a = new_id(t("2026-01-01T00:00:00Z"));
        let b = new_id(t("2026-01-01T00:00:01Z"));
        assert!(is_id(&a) && is_id(&b), "{a} {b}");
        assert!(a[..6] < b[..6]);
        assert_eq!(id_seconds(&b), Some(t("2026-01-01T00:00:01Z")));
        assert!(!is_id("0k3x9a7qzi"), "no i");
        assert!(!is_id("short"));
    }
}
