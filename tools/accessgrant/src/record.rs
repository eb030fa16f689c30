//! The `grant` record every command prints: a grant as of now (an active grant past its expiry
//! shows as expired), flat enough for a CSV, with what it allows.

use std::time::{Duration, SystemTime};

use opskit::Tier;
use opskit::output::Record;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::grant::{Grant, State, human};

#[derive(Serialize)]
pub struct GrantRecord<'a> {
    kind: &'static str,
    id: &'a str,
    app: &'a str,
    env: &'a str,
    tier: Tier,
    role: &'a str,
    state: State,
    break_glass: bool,
    requester: &'a str,
    grantee: &'a str,
    /// `user/alice`, `role/debugger`, or the Identity Center user name: the grantee, short.
    grantee_name: String,
    grantee_type: &'static str,
    reason: &'a str,
    ticket: Option<&'a str>,
    duration: String,
    duration_seconds: u64,
    approvals_required: u32,
    /// `1/2`: distinct approvals so far, of those the tier needs (`self` for break-glass).
    approvals: String,
    approved_by: Vec<&'a str>,
    requested_at: &'a str,
    activated_at: Option<&'a str>,
    expires_at: Option<&'a str>,
    /// Seconds of access left, for an active grant.
    remaining_seconds: Option<u64>,
    ended_at: Option<&'a str>,
    ended_by: Option<&'a str>,
    end_reason: Option<&'a str>,
    account: &'a str,
    backend: crate::settings::Backend,
    policy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    extension: Option<ExtensionRecord<'a>>,
    actions: &'a [String],
    resources: &'a [String],
    #[serde(skip_serializing_if = "Map::is_empty")]
    conditions: &'a Map<String, Value>,
}

#[derive(Serialize)]
struct ExtensionRecord<'a> {
    duration: String,
    duration_seconds: u64,
    reason: &'a str,
    requested_by: &'a str,
    approved_by: Vec<&'a str>,
}

impl Record for GrantRecord<'_> {
    const KIND: &'static str = "grant";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "id",
        "app",
        "env",
        "tier",
        "role",
        "state",
        "break_glass",
        "requester",
        "grantee",
        "grantee_name",
        "grantee_type",
        "reason",
        "ticket",
        "duration",
        "duration_seconds",
        "approvals_required",
        "approvals",
        "approved_by",
        "requested_at",
        "activated_at",
        "expires_at",
        "remaining_seconds",
        "ended_at",
        "ended_by",
        "end_reason",
        "account",
        "backend",
        "policy",
        "extension.duration",
        "extension.duration_seconds",
        "extension.reason",
        "extension.requested_by",
        "extension.approved_by",
        "actions",
        "resources",
        // Condition operators and keys differ by role: the columns of the grants at hand.
        "conditions.*",
    ];
}

/// The columns a person scanning grants needs; `break_glass` joins them when a grant is one.
pub fn brief<'g>(grants: impl IntoIterator<Item = &'g Grant>) -> Vec<&'static str> {
    let glass = grants.into_iter().any(|g| g.break_glass);
    let mut columns = vec!["id", "state"];
    if glass {
        columns.push("break_glass");
    }
    columns.extend(["env", "role", "grantee_name", "approvals", "expires_at", "reason"]);
    columns
}

impl<'a> GrantRecord<'a> {
    pub fn new(g: &'a Grant, now: SystemTime) -> GrantRecord<'a> {
        let state = g.state_at(now);
        let remaining = (state == State::Active)
            .then(|| g.expires().and_then(|t| t.duration_since(now).ok()).map(|d| d.as_secs()))
            .flatten();
        GrantRecord {
            kind: "grant",
            id: &g.id,
            app: &g.app,
            env: &g.env,
            tier: g.tier,
            role: &g.role,
            state,
            break_glass: g.break_glass,
            requester: &g.requester,
            grantee: &g.grantee,
            grantee_name: crate::app::holder(g)
                .map_or_else(|_| g.grantee.clone(), |(kind, name)| format!("{}/{name}", kind.as_str())),
            grantee_type: g.grantee_type.as_str(),
            reason: &g.reason,
            ticket: g.ticket.as_deref(),
            duration: human(g.duration()),
            duration_seconds: g.duration_seconds,
            approvals_required: g.approvals_required,
            approvals: if g.break_glass {
                "self".to_owned()
            } else {
                format!("{}/{}", g.approvals.len(), g.approvals_required)
            },
            approved_by: g.approvals.iter().map(|a| a.by.as_str()).collect(),
            requested_at: &g.requested_at,
            activated_at: g.activated_at.as_deref(),
            expires_at: g.expires_at.as_deref(),
            remaining_seconds: remaining,
            ended_at: g.ended_at.as_deref().or(if state == State::Expired { g.expires_at.as_deref() } else { None }),
            ended_by: g.ended_by.as_deref(),
            end_reason: g.end_reason.as_deref(),
            account: &g.account,
            backend: g.backend,
            policy: g.policy_name(),
            extension: g.extension.as_ref().map(|x| ExtensionRecord {
                duration: human(Duration::from_secs(x.duration_seconds)),
                duration_seconds: x.duration_seconds,
                reason: &x.reason,
                requested_by: &x.requested_by,
                approved_by: x.approvals.iter().map(|a| a.by.as_str()).collect(),
            }),
            actions: &g.access.actions,
            resources: &g.access.resources,
            conditions: &g.access.conditions,
        }
    }
}

/// The csv/tsv columns of these grants: the fixed ones, then their conditions'
/// (`conditions.StringEquals.ssm:resourceTag/env`).
pub fn columns<'g>(grants: impl IntoIterator<Item = &'g Grant>) -> Vec<String> {
    let mut columns: Vec<String> =
        GrantRecord::COLUMNS.iter().filter(|c| !c.ends_with(".*")).map(|c| (*c).to_owned()).collect();
    for grant in grants {
        let nested = Map::from_iter([("conditions".to_owned(), Value::Object(grant.access.conditions.clone()))]);
        for (column, _) in opskit::output::flatten(&nested) {
            if column != "conditions" && !columns.contains(&column) {
                columns.push(column);
            }
        }
    }
    columns
}
