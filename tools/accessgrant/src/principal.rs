//! Who someone is to AWS, from an ARN: an IAM user, an IAM role, a session of a role (what STS
//! says for an assumed role, IAM Identity Center users included), or something else (the root
//! user, a federated user). Approval rules compare *people*, so a principal also says which
//! person it stands for.

use std::fmt;

use opskit::{Error, Result};

/// Roles IAM Identity Center creates for its permission sets: their sessions are named after the
/// signed-in user, so there the session name tells people apart.
pub const SSO_ROLE_PREFIX: &str = "AWSReservedSSO_";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    User {
        account: String,
        name: String,
        arn: String,
    },
    Role {
        account: String,
        name: String,
        arn: String,
    },
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    Session {
        account: String,
        role: String,
        session: String,
        arn: String,
    },
    /// The root user, a federated user, anything else: it can request, never approve.
    Other {
        arn: String,
    },
}

impl Principal {
    /// Parse an IAM or STS ARN. `user/NAME` and `role/NAME` paths keep only the name (IAM names
    /// are unique in an account whatever their path).
    pub fn parse(arn: &str) -> Result<Principal> {
        let invalid = || {
            Error::usage(format!("`{arn}` is not an IAM principal ARN"))
                .with_hint("use arn:aws:iam::ACCOUNT:user/NAME or arn:aws:iam::ACCOUNT:role/NAME")
        };
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let [scheme, _partition, service, _region, account, resource] = parts.as_slice() else {
            return Err(invalid());
        };
        if *scheme != "arn" || account.is_empty() {
            return Err(invalid());
        }
        let (account, arn_owned) = ((*account).to_owned(), arn.to_owned());
        let last = |path: &str| path.rsplit('/').next().unwrap_or_default().to_owned();
        let principal = match (*service, resource.split_once('/')) {
            ("iam", Some(("user", path))) if !path.is_empty() => {
                Principal::User { account, name: last(path), arn: arn_owned }
            }
            ("iam", Some(("role", path))) if !path.is_empty() => {
                Principal::Role { account, name: last(path), arn: arn_owned }
            }
            ("sts", Some(("assumed-role", rest))) => match rest.split_once('/') {
                Some((role, session)) if !role.is_empty() && !session.is_empty() => {
                    Principal::Session { account, role: role.to_owned(), session: session.to_owned(), arn: arn_owned }
                }
                _ => return Err(invalid()),
            },
            ("iam" | "sts", _) => Principal::Other { arn: arn_owned },
            _ => return Err(invalid()),
        };
        Ok(principal)
    }

    pub fn arn(&self) -> &str {
        match self {
            Principal::User { arn, .. }
            | Principal::Role { arn, .. }
            | Principal::Session { arn, .. }
            | Principal::Other { arn } => arn,
        }
    }

    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::User { account, .. } | Principal::Role { account, .. } | Principal::Session { account, .. } => {
                Some(account)
            }
            Principal::Other { .. } => None,
        }
    }

    /// The person behind the principal, for "no self-approval" and "distinct approvers": a
    /// user is themselves; a session of an Identity Center role is its user (the session name);
    /// any other role session is the role, whatever the session is called, because whoever can
    /// assume a role can name the session as they like.
    pub fn person(&self) -> String {
        match self {
            Principal::User { account, name, .. } => format!("{account}:user/{name}"),
            Principal::Role { account, name, .. } => format!("{account}:role/{name}"),
            // Identity Center users are the organisation's, not an account's.
            Principal::Session { role, session, .. } if role.starts_with(SSO_ROLE_PREFIX) => sso_person(session),
            Principal::Session { account, role, .. } => format!("{account}:role/{role}"),
            Principal::Other { arn } => arn.clone(),
        }
    }

    /// Whether this caller is the principal an `approvers` entry names: the same user; any
    /// session of a named role; or exactly a named session.
    pub fn is(&self, entry: &Principal) -> bool {
        match (self, entry) {
            (Principal::User { account: a, name: n, .. }, Principal::User { account, name, .. })
            | (Principal::Role { account: a, name: n, .. }, Principal::Role { account, name, .. }) => {
                a == account && n == name
            }
            (Principal::Session { account: a, role: r, .. }, Principal::Role { account, name, .. }) => {
                a == account && r == name
            }
            (
                Principal::Session { account: a, role: r, session: s, .. },
                Principal::Session { account, role, session, .. },
            ) => a == account && r == role && s == session,
            _ => false,
        }
    }

    /// The IAM user or role that carries inline policies for this principal.
    pub fn policy_holder(&self) -> Option<(GranteeType, &str)> {
        match self {
            Principal::User { name, .. } => Some((GranteeType::User, name)),
            Principal::Role { name, .. } | Principal::Session { role: name, .. } => Some((GranteeType::Role, name)),
            Principal::Other { .. } => None,
        }
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.arn())
    }
}

/// The person an Identity Center user name stands for.
pub fn sso_person(user_name: &str) -> String {
    format!("sso-user/{user_name}")
}

/// What a grant's policy is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GranteeType {
    /// An IAM user (inline policy up to 2,048 characters).
    User,
    /// An IAM role (inline policy up to 10,240 characters).
    Role,
    /// A user of IAM Identity Center (a permission set assigned to them).
    IdentityCenterUser,
}

impl GranteeType {
    pub fn as_str(self) -> &'static str {
        match self {
            GranteeType::User => "user",
            GranteeType::Role => "role",
            GranteeType::IdentityCenterUser => "identity-center-user",
        }
    }
}

/// `--to`: an ARN, or `user/NAME` / `role/NAME` in the environment's account.
pub fn parse_grantee(text: &str, account: &str) -> Result<Principal> {
    if text.starts_with("arn:") {
        let principal = Principal::parse(text)?;
        return match principal {
            Principal::User { .. } | Principal::Role { .. } => Ok(principal),
            _ => Err(Error::usage(format!("--to {text}: grants go to an IAM user or role")).with_hint(
                "use arn:aws:iam::ACCOUNT:user/NAME, arn:aws:iam::ACCOUNT:role/NAME, user/NAME or role/NAME",
            )),
        };
    }
    match text.split_once('/') {
        Some((kind @ ("user" | "role"), name)) if valid_iam_name(name) => {
            Principal::parse(&format!("arn:aws:iam::{account}:{kind}/{name}"))
        }
        _ => Err(Error::usage(format!("--to `{text}`: expected user/NAME, role/NAME or an IAM ARN"))
            .with_hint("the grantee is an IAM user or role in the environment's account")),
    }
}

/// IAM user, role and group names: letters, digits and `+=,.@_-`, at most 128 (64 for roles).
pub fn valid_iam_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 128 && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_users_roles_and_sessions() {
        let u = Principal::parse("arn:aws:iam::111:user/team/alice").unwrap();
        assert_eq!(u, Principal::User { account: "111".into(), name: "alice".into(), arn: u.arn().into() });
        assert_eq!(u.person(), "111:user/alice");
        let s = Principal::parse("arn:aws:sts::111:assumed-role/Dev/bob-laptop").unwrap();
        assert_eq!(s.person(), "111:role/Dev", "a plain role's sessions are one person");
        let sso =
            Principal::parse("arn:aws:sts::111:assumed-role/AWSReservedSSO_Admin_0123/carol@example.org").unwrap();
        assert_eq!(sso.person(), "sso-user/carol@example.org");
        assert!(matches!(Principal::parse("arn:aws:iam::111:root").unwrap(), Principal::Other { .. }));
        assert!(Principal::parse("alice").is_err());
        assert!(Principal::parse("arn:aws:s3:::bucket").is_err());
        assert!(Principal::parse("arn:aws:sts::111:assumed-role/Dev").is_err());
    }

    #[test]
    fn approver_entries_match_callers() {
        let p = |arn: &str| Principal::parse(arn).unwrap();
        let alice = p("arn:aws:iam::111:user/alice");
        assert!(alice.is(&p("arn:aws:iam::111:user/path/alice")));
        assert!(!alice.is(&p("arn:aws:iam::222:user/alice")));
        let session = p("arn:aws:sts::111:assumed-role/Leads/bob");
        assert!(session.is(&p("arn:aws:iam::111:role/Leads")));
        assert!(session.is(&p("arn:aws:sts::111:assumed-role/Leads/bob")));
        assert!(!session.is(&p("arn:aws:sts::111:assumed-role/Leads/eve")));
        assert!(!session.is(&p("arn:aws:iam::111:user/bob")));
    }

    #[test]
    fn grantees() {
        let g = parse_grantee("user/bob", "111").unwrap();
        assert_eq!(g.arn(), "arn:aws:iam::111:user/bob");
        assert_eq!(parse_grantee("role/Debug", "111").unwrap().policy_holder(), Some((GranteeType::Role, "Debug")));
        assert!(parse_grantee("bob", "111").is_err());
        assert!(parse_grantee("user/b b", "111").is_err());
        assert!(parse_grantee("arn:aws:sts::111:assumed-role/R/s", "111").is_err());
    }
}
