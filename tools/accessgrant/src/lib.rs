//! accessgrant: time-limited, approved, audited access for developers to dev and staging,
//! whose expiry IAM itself enforces.

mod app;
mod clock;
mod commands;
mod grant;
mod iam;
mod identity_center;
mod ledger;
mod policy;
mod principal;
mod record;
mod settings;
mod transition;

use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand};
use opskit::permissions::Permission;
use opskit::{CommonCommand, Context, Exit, Globals, Tool};

use crate::app::AccessGrant;
use crate::commands::{ask, connect, decide, read, revoke, sweep};

const AFTER_HELP: &str = "\
Grants live in the ledger bucket of [accessgrant] in opskit.toml: grants/<id>.json (each grant's
state, changed only with S3 conditional writes) and audit/ (one object per event, never
rewritten). Every attached policy ends itself: aws:CurrentTime must be before the expiry.

Examples:
  accessgrant request --role debug -e staging --for 2h --reason \"INC-123: checkout 500s\"
  accessgrant approve 0k3x9a7qzp
  accessgrant ls --pending
  accessgrant connect 0k3x9a7qzp
  accessgrant ls --expired | accessgrant revoke -
  accessgrant audit --since 30d -o csv > evidence.csv
  accessgrant sweep                 # from cron: expired grants, orphaned policies

Tests move the clock with ACCESSGRANT_NOW=2026-11-27T16:00:00Z (debug builds only; release
builds ignore it).";

#[derive(Debug, Parser)]
#[command(name = "accessgrant", version, about, propagate_version = true, after_long_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    globals: Globals,
    #[command(subcommand)]
    command: Command,
}

/// The environment of `request` and `policy`, which take it from -e/--env only.
fn environment(ctx: &Context, command: &str) -> opskit::Result<String> {
    if ctx.env_name().is_none() {
        return Err(opskit::Error::usage(format!("{command} needs an environment"))
            .with_hint("name it with -e ENV (--env ENV, or OPSKIT_ENV)"));
    }
    ctx.env_arg(None)
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    settings::parse_duration(text)
        .ok_or_else(|| format!("`{text}` is not a duration of a minute or more (30m, 2h, 1h30m)"))
}

#[derive(Debug, Args)]
struct RequestArgs {
    /// The role to grant, from [accessgrant.roles] (the environment comes from -e/--env)
    #[arg(long, value_name = "ROLE")]
    role: String,
    /// How long the access lasts once active (at most the role's max_duration)
    #[arg(long = "for", value_name = "DURATION", value_parser = parse_duration)]
    duration: Duration,
    /// Why: for the approvers and the audit log
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// A ticket or incident to link
    #[arg(long, value_name = "ID")]
    ticket: Option<String>,
    /// Grant it to this IAM user or role (user/NAME, role/NAME or an ARN; with Identity Center,
    /// a user name) [default: you]
    #[arg(long, value_name = "PRINCIPAL")]
    to: Option<String>,
    /// Emergency access without approval: self-approved, short (break_glass_max, default 1h),
    /// flagged in `ls` and the audit log
    #[arg(long)]
    break_glass: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ask for access: pending, or active at once where the tier needs no approval
    #[command(
        after_help = "Examples:\n  accessgrant request --role debug -e staging --for 2h --reason \"INC-123\" --ticket INC-123\n  accessgrant request --role debug -e prod --for 30m --reason \"outage\" --break-glass"
    )]
    Request(RequestArgs),
    /// Approve a pending grant (or its pending extension); enough distinct approvals activate it
    Approve {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Deny a pending grant (or its pending extension)
    Deny {
        #[arg(value_name = "ID")]
        id: String,
        /// Why, for the requester and the audit log
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// List the app's grants (all of them, or those in the given states; -e ENV for one environment)
    Ls {
        /// Active grants
        #[arg(long)]
        active: bool,
        /// Grants waiting for approval
        #[arg(long)]
        pending: bool,
        /// Grants past their expiry
        #[arg(long)]
        expired: bool,
        /// Only grants you asked for or hold
        #[arg(long)]
        mine: bool,
    },
    /// One grant, in full
    Show {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// End grants now and remove their access (idempotent; - reads grant records from stdin)
    Revoke {
        #[arg(value_name = "ID", required = true)]
        ids: Vec<String>,
        /// Why, for the audit log
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Ask for more time on an active grant (approved again where the tier needs approvals)
    Extend {
        #[arg(value_name = "ID")]
        id: String,
        /// How much longer
        #[arg(long = "for", value_name = "DURATION", value_parser = parse_duration)]
        duration: Duration,
        /// Why, for the approvers and the audit log
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Mark expired grants, remove their access, and remove any accessgrant-* policy no active
    /// grant accounts for (safe to run from cron)
    Sweep,
    /// The event log, in order, as evidence (-o csv for auditors)
    Audit {
        /// From this long ago (30d, 12h) or this date (2026-11-01) on [default: everything]
        #[arg(long, value_name = "WHEN", value_parser = read::parse_since)]
        since: Option<read::Since>,
        /// Only this grant's events
        #[arg(long, value_name = "ID")]
        grant: Option<String>,
    },
    /// Open the SSM shell (or a port forward) an active grant allows, as its grantee, with the
    /// AWS CLI's `ssm start-session` (needs the Session Manager plugin); recorded as `connected`
    Connect {
        #[arg(value_name = "ID")]
        id: String,
        /// The instance or managed node [default: the one the grant names, if it names one]
        #[arg(long, value_name = "ID")]
        target: Option<String>,
        /// Forward a local port to HOST:PORT as the instance reaches it
        #[arg(long, value_name = "HOST:PORT", value_parser = connect::parse_forward)]
        port_forward: Option<(String, u16)>,
        /// The local port of the forward [default: the remote port]
        #[arg(long, value_name = "N", requires = "port_forward")]
        local_port: Option<u16>,
    },
    /// Print the IAM policy a grant of ROLE in the -e environment would attach
    Policy {
        #[arg(value_name = "ROLE")]
        role: String,
        /// The grant's duration [default: the role's max_duration]
        #[arg(long = "for", value_name = "DURATION", value_parser = parse_duration)]
        duration: Option<Duration>,
    },
    #[command(flatten)]
    Common(CommonCommand),
}

/// The IAM actions each command calls (`accessgrant doctor --iam-policy` prints them as a
/// policy): the ledger in S3, and the grants' inline policies in IAM for the default backend.
/// `backend:identity-center` adds what the Identity Center backend calls. `connect` needs no
/// more: the session it opens is the grant's own access.
const PERMISSIONS: &[Permission] = &{
    const READ: [&str; 2] = ["s3:ListBucket", "s3:GetObject"];
    const ACTIVATE: [&str; 11] = [
        "s3:ListBucket",
        "s3:GetObject",
        "s3:PutObject",
        "iam:ListGroupsForUser",
        "iam:GetUser",
        "iam:GetRole",
        "iam:PutUserPolicy",
        "iam:PutRolePolicy",
        "iam:GetUserPolicy",
        "iam:GetRolePolicy",
        "iam:DeleteUserPolicy",
    ];
    [
        Permission { command: "request", actions: &ACTIVATE },
        Permission { command: "approve", actions: &ACTIVATE },
        Permission {
            command: "deny",
            actions: &["s3:ListBucket", "s3:GetObject", "s3:PutObject", "iam:ListGroupsForUser"],
        },
        Permission { command: "ls", actions: &READ },
        Permission { command: "show", actions: &READ },
        Permission { command: "audit", actions: &READ },
        Permission { command: "policy", actions: &[] },
        Permission { command: "connect", actions: &["s3:ListBucket", "s3:GetObject", "s3:PutObject"] },
        Permission { command: "extend", actions: &ACTIVATE },
        Permission {
            command: "revoke",
            actions: &[
                "s3:ListBucket",
                "s3:GetObject",
                "s3:PutObject",
                "iam:DeleteUserPolicy",
                "iam:DeleteRolePolicy",
                "iam:PutRolePolicy",
            ],
        },
        Permission {
            command: "sweep",
            actions: &[
                "s3:ListBucket",
                "s3:GetObject",
                "s3:PutObject",
                "iam:ListUsers",
                "iam:ListRoles",
                "iam:ListUserPolicies",
                "iam:ListRolePolicies",
                "iam:GetUserPolicy",
                "iam:GetRolePolicy",
                "iam:PutUserPolicy",
                "iam:PutRolePolicy",
                "iam:DeleteUserPolicy",
                "iam:DeleteRolePolicy",
            ],
        },
        Permission {
            command: "backend:identity-center",
            actions: &[
                "sso:ListInstances",
                "identitystore:GetUserId",
                "sso:ListPermissionSets",
                "sso:DescribePermissionSet",
                "sso:CreatePermissionSet",
                "sso:PutInlinePolicyToPermissionSet",
                "sso:ProvisionPermissionSet",
                "sso:DescribePermissionSetProvisioningStatus",
                "sso:CreateAccountAssignment",
                "sso:DescribeAccountAssignmentCreationStatus",
                "sso:ListAccountAssignments",
                "sso:ListAccountsForProvisionedPermissionSet",
                "sso:DeleteAccountAssignment",
                "sso:DescribeAccountAssignmentDeletionStatus",
                "sso:DeletePermissionSet",
            ],
        },
    ]
};

impl Tool for Cli {
    const NAME: &'static str = "accessgrant";
    const PERMISSIONS: &'static [Permission] = PERMISSIONS;

    fn globals(&self) -> &Globals {
        &self.globals
    }

    async fn run(self, ctx: Context) -> anyhow::Result<Exit> {
        let command = match self.command {
            Command::Common(common) => return common.run(&ctx).await,
            command => command,
        };
        let app = AccessGrant::new(&ctx)?;
        let app = &app;
        match command {
            Command::Request(a) => {
                let args = ask::RequestArgs {
                    role: a.role,
                    env: environment(&ctx, "accessgrant request")?,
                    duration: a.duration,
                    reason: a.reason,
                    ticket: a.ticket,
                    to: a.to,
                    break_glass: a.break_glass,
                };
                Box::pin(ask::request(app, args)).await
            }
            Command::Approve { id } => Box::pin(decide::approve(app, &id)).await,
            Command::Deny { id, reason } => Box::pin(decide::deny(app, &id, &reason)).await,
            Command::Ls { active, pending, expired, mine } => {
                read::ls(app, read::Filter { active, pending, expired, mine }).await
            }
            Command::Show { id } => read::show(app, &id).await,
            Command::Revoke { ids, reason } => Box::pin(revoke::revoke(app, &ids, reason.as_deref())).await,
            Command::Extend { id, duration, reason } => Box::pin(ask::extend(app, &id, duration, &reason)).await,
            Command::Sweep => Box::pin(sweep::sweep(app)).await,
            Command::Audit { since, grant } => read::audit(app, since, grant.as_deref()).await,
            Command::Connect { id, target, port_forward, local_port } => {
                Box::pin(connect::connect(app, connect::ConnectArgs { id, target, port_forward, local_port })).await
            }
            Command::Policy { role, duration } => {
                read::policy(app, &role, &environment(&ctx, "accessgrant policy")?, duration)
            }
            Command::Common(_) => unreachable!("handled above"),
        }
    }
}

/// The clap command: parsing, man pages and completions all come from it.
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_cli() {
        super::command().debug_assert();
        assert_eq!(opskit::cli::id_collisions(&super::command()), Vec::<String>::new());
    }
}
