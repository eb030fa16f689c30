//! The IAM policies a grant attaches. Each carries its own end: `aws:CurrentTime` must be before
//! the expiry, so IAM stops allowing the access on time even when nothing else runs. A revoked
//! role grant also gets a deny for the sessions issued before the revocation
//! (`aws:TokenIssueTime`), which itself ends once no such session can still be alive.

use std::time::{Duration, SystemTime};

use opskit::{Error, Result};
use serde_json::{Value, json};

use crate::principal::GranteeType;
use crate::settings::Access;

/// IAM's limit on a user's inline policies, in characters (whitespace not counted).
pub const USER_INLINE_LIMIT: usize = 2_048;
/// IAM's limit on a role's inline policies (an Identity Center permission set becomes a role's).
pub const ROLE_INLINE_LIMIT: usize = 10_240;
/// The longest a role session can last (12 hours): after that, no session issued before a
/// revocation is alive, and its deny has nothing left to do.
pub const LONGEST_SESSION: Duration = Duration::from_hours(12);

const PREFIX: &str = "accessgrant-";
const REVOKE_SUFFIX: &str = "-revoke";

/// `accessgrant-<id>`: the grant's policy (and, with Identity Center, its permission set).
pub fn name(id: &str) -> String {
    format!("{PREFIX}{id}")
}

/// `accessgrant-<id>-revoke`: the deny a revoked role grant leaves for older sessions.
pub fn revoke_name(id: &str) -> String {
    format!("{PREFIX}{id}{REVOKE_SUFFIX}")
}

/// What an `accessgrant-*` name is.
#[derive(Debug, PartialEq, Eq)]
pub enum Named<'a> {
    Grant(&'a str),
    Revocation(&'a str),
    /// `accessgrant-` and then something no grant is called.
    Unknown,
}

/// `None` for names that are not accessgrant's at all.
pub fn parse_name(name: &str) -> Option<Named<'_>> {
    let rest = name.strip_prefix(PREFIX)?;
    let (id, revocation) = match rest.strip_suffix(REVOKE_SUFFIX) {
        Some(id) => (id, true),
        None => (rest, false),
    };
    Some(match (crate::grant::is_id(id), revocation) {
        (true, false) => Named::Grant(id),
        (true, true) => Named::Revocation(id),
        (false, _) => Named::Unknown,
    })
}

/// RFC 3339 to the second, as IAM's date conditions take it.
pub fn timestamp(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// The grant's policy: the access, only before `expires`. Nothing else in it depends on the
/// grant, so `accessgrant policy` shows exactly what a grant attaches.
pub fn allow(access: &Access, expires: SystemTime) -> Value {
    let mut condition = access.conditions.clone();
    let until = json!({ "aws:CurrentTime": timestamp(expires) });
    match condition.get_mut("DateLessThan").and_then(Value::as_object_mut) {
        Some(existing) => existing.extend(until.as_object().cloned().unwrap_or_default()),
        None => {
            condition.insert("DateLessThan".into(), until);
        }
    }
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": access.actions,
            "Resource": access.resources,
            "Condition": condition,
        }]
    })
}

/// After revoking a role grant: the same access denied to every session of the role issued
/// before `revoked`, for as long as such a session can live.
pub fn deny_older_sessions(access: &Access, revoked: SystemTime) -> Value {
    let mut condition = access.conditions.clone();
    let before = json!({
        "aws:TokenIssueTime": timestamp(revoked),
        "aws:CurrentTime": timestamp(revoked + LONGEST_SESSION),
    });
    match condition.get_mut("DateLessThan").and_then(Value::as_object_mut) {
        Some(existing) => existing.extend(before.as_object().cloned().unwrap_or_default()),
        None => {
            condition.insert("DateLessThan".into(), before);
        }
    }
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Deny",
            "Action": access.actions,
            "Resource": access.resources,
            "Condition": condition,
        }]
    })
}

/// The size IAM counts: characters, whitespace left out.
pub fn size(policy: &Value) -> usize {
    policy.to_string().chars().filter(|c| !c.is_whitespace()).count()
}

pub fn limit(grantee: GranteeType) -> usize {
    match grantee {
        GranteeType::User => USER_INLINE_LIMIT,
        GranteeType::Role | GranteeType::IdentityCenterUser => ROLE_INLINE_LIMIT,
    }
}

/// Refuse a policy IAM would refuse for its size, before anything is asked or written. Every
/// expiry has the same length, so the size is known at request time.
pub fn check_size(role: &str, grantee: GranteeType, policy: &Value) -> Result<usize> {
    let (size, limit) = (size(policy), limit(grantee));
    if size > limit {
        let alternative = match grantee {
            GranteeType::User => " or grant it to a role (10,240)",
            _ => "",
        };
        return Err(Error::config(format!(
            "role `{role}` makes a policy of {size} characters; IAM allows {limit} for an inline policy on a {}",
            grantee.as_str()
        ))
        .with_hint(format!(
            "fewer or shorter actions, resources or conditions in [accessgrant.roles.{role}] (wildcards help){alternative}"
        )));
    }
    Ok(size)
}

/// A policy document as IAM returns it: URL-encoded JSON.
pub fn decode(document: &str) -> Result<Value> {
    let text = percent_encoding::percent_decode_str(document)
        .decode_utf8()
        .map_err(|e| Error::data(format!("a policy document is not UTF-8 once decoded: {e}")))?;
    serde_json::from_str(&text).map_err(|e| Error::data(format!("a policy document is not JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access() -> Access {
        Access {
            actions: vec!["ssm:StartSession".into()],
            resources: vec!["arn:aws:ec2:*:*:instance/*".into()],
            conditions: json!({"StringEquals": {"ssm:resourceTag/env": "dev"}}).as_object().cloned().unwrap(),
        }
    }

    #[test]
    fn every_policy_ends_at_its_expiry() {
        let at = humantime::parse_rfc3339("2026-11-27T16:00:00Z").unwrap();
        let p = allow(&access(), at);
        let statement = &p["Statement"][0];
        assert_eq!(statement["Effect"], "Allow");
        assert_eq!(statement["Condition"]["DateLessThan"]["aws:CurrentTime"], "2026-11-27T16:00:00Z");
        assert_eq!(statement["Condition"]["StringEquals"]["ssm:resourceTag/env"], "dev");
        // An existing DateLessThan keeps its keys.
        let mut a = access();
        a.conditions.insert("DateLessThan".into(), json!({"aws:EpochTime": "1"}));
        let p = allow(&a, at);
        assert_eq!(p["Statement"][0]["Condition"]["DateLessThan"]["aws:EpochTime"], "1");
        assert_eq!(p["Statement"][0]["Condition"]["DateLessThan"]["aws:CurrentTime"], "2026-11-27T16:00:00Z");
    }

    #[test]
    fn a_revocation_denies_older_sessions_for_twelve_hours() {
        let at = humantime::parse_rfc3339("2026-11-27T16:00:00Z").unwrap();
        let p = deny_older_sessions(&access(), at);
        let statement = &p["Statement"][0];
        assert_eq!(statement["Effect"], "Deny");
        assert_eq!(statement["Condition"]["DateLessThan"]["aws:TokenIssueTime"], "2026-11-27T16:00:00Z");
        assert_eq!(statement["Condition"]["DateLessThan"]["aws:CurrentTime"], "2026-11-28T04:00:00Z");
    }

    #[test]
    fn sizes_count_no_whitespace_and_limits_depend_on_the_grantee() {
        assert_eq!(size(&json!({"a": "b c"})), 10, "{{\"a\":\"bc\"}}");
        let mut big = access();
        big.resources = (0..40).map(|i| format!("arn:aws:ec2:us-east-1:123456789012:instance/i-{i:017}")).collect();
        let p = allow(&big, SystemTime::UNIX_EPOCH);
        let err = check_size("debug", GranteeType::User, &p).unwrap_err();
        assert_eq!(err.exit(), opskit::Exit::Config);
        assert!(err.to_string().contains("IAM allows 2048 for an inline policy on a user"), "{err}");
        assert!(check_size("debug", GranteeType::Role, &p).is_ok());
    }

    #[test]
    fn names() {
        assert_eq!(parse_name("accessgrant-0k3x9a7qzp"), Some(Named::Grant("0k3x9a7qzp")));
        assert_eq!(parse_name("accessgrant-0k3x9a7qzp-revoke"), Some(Named::Revocation("0k3x9a7qzp")));
        assert_eq!(parse_name("accessgrant-manual"), Some(Named::Unknown));
        assert_eq!(parse_name("other"), None);
    }

    #[test]
    fn iam_documents_are_url_decoded() {
        let v = decode("%7B%22Version%22%3A%222012-10-17%22%7D").unwrap();
        assert_eq!(v["Version"], "2012-10-17");
    }
}
