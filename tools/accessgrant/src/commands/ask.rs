//! Asking for access: `request` (pending, or active at once where the tier needs no approval,
//! or break-glass) and `extend`.

use std::time::Duration;

use opskit::s3::Written;
use opskit::{Error, Exit, Result};

use super::{grant_emitter, reason};
use crate::app::{AccessGrant, check_id};
use crate::grant::{Approval, EventKind, Grant, GrantDoc, State, human, new_id, stamp};
use crate::policy;
use crate::principal::{GranteeType, Principal, SSO_ROLE_PREFIX, parse_grantee};
use crate::record::GrantRecord;
use crate::settings::Backend;
use crate::transition::ExtendRules;

pub struct RequestArgs {
    pub role: String,
    pub env: String,
    pub duration: Duration,
    pub reason: String,
    pub ticket: Option<String>,
    pub to: Option<String>,
    pub break_glass: bool,
}

/// Who gets the access: `--to`, else the requester.
struct Grantee {
    name: String,
    kind: GranteeType,
    id: Option<String>,
}

pub async fn request(app: &AccessGrant<'_>, args: RequestArgs) -> anyhow::Result<Exit> {
    let reason = reason(&args.reason, "a grant")?;
    let environment = app.environment(&args.env)?;
    let role = app.settings.role(&args.role)?;
    check_duration(app, role, args.duration, args.break_glass)?;
    let caller = app.caller().await?.clone();
    let account = app.account_of(&environment.name).await?;
    let grantee = resolve_grantee(app, args.to.as_deref(), &caller, &environment.name, &account).await?;
    let access = role.access(&app.app, &environment.name);
    // Every expiry has the same length: the size is known now, before anyone approves.
    policy::check_size(&role.name, grantee.kind, &policy::allow(&access, app.now))?;
    let required = if args.break_glass { 0 } else { role.approvals.for_tier(environment.tier) };
    let grant = Grant {
        id: new_id(app.now),
        app: app.app.clone(),
        env: environment.name.clone(),
        tier: environment.tier,
        role: role.name.clone(),
        state: State::Pending,
        break_glass: args.break_glass,
        requester: caller.arn().to_owned(),
        grantee: grantee.name,
        grantee_type: grantee.kind,
        grantee_id: grantee.id,
        account,
        backend: app.settings.backend,
        reason: reason.clone(),
        ticket: args.ticket.clone(),
        duration_seconds: args.duration.as_secs(),
        approvals_required: required,
        approvals: if args.break_glass {
            vec![Approval { by: caller.arn().to_owned(), at: stamp(app.now) }]
        } else {
            Vec::new()
        },
        requested_at: stamp(app.now),
        activated_at: None,
        expires_at: None,
        ended_at: None,
        ended_by: None,
        end_reason: None,
        extension: None,
        permission_set_arn: None,
        access,
    };
    let mut doc = GrantDoc::new(grant);
    let (duration, ticket) = (args.duration.as_secs(), args.ticket);
    doc.record(EventKind::Requested, caller.arn(), app.now, |e| {
        e.reason = Some(reason);
        e.ticket = ticket;
        e.duration_seconds = Some(duration);
        e.detail = args.break_glass.then(|| "break-glass: self-approved".to_owned());
    });
    if required == 0 {
        doc.activate(caller.arn(), app.now);
    }
    let mut out = grant_emitter(app, [&doc.grant]);
    if app.ctx.dry_run {
        out.emit(&GrantRecord::new(&doc.grant, app.now))?;
        out.finish()?;
        opskit::error::note(&format!(
            "dry run: grant {} would be {}; nothing was written",
            doc.grant.id,
            doc.grant.state.as_str()
        ));
        return Ok(Exit::Success);
    }
    create(app, &mut doc).await?;
    out.emit(&GrantRecord::new(&doc.grant, app.now))?;
    out.finish()?;
    announce(app, &doc);
    Ok(Exit::Success)
}

/// What happened, for the person (stderr): active until when, or who must approve.
fn announce(app: &AccessGrant<'_>, doc: &GrantDoc) {
    let g = &doc.grant;
    if g.break_glass {
        opskit::error::warn(&format!(
            "BREAK-GLASS: grant {} is active without approval until {}; it is flagged for review in `ls` and the audit log",
            g.id,
            app.until(doc)
        ));
    } else if g.state == State::Active {
        opskit::error::note(&format!(
            "grant {} is active until {}: {} on {}",
            g.id,
            app.until(doc),
            g.policy_name(),
            g.grantee
        ));
    } else {
        opskit::error::note(&format!(
            "grant {} is pending: {} tier needs {} distinct approval{}; an approver runs `accessgrant approve {}`",
            g.id,
            g.tier,
            g.approvals_required,
            if g.approvals_required == 1 { "" } else { "s" },
            g.id
        ));
    }
}

/// At most the role's maximum, and for break-glass at most `break_glass_max` too.
fn check_duration(
    app: &AccessGrant<'_>,
    role: &crate::settings::Role,
    duration: Duration,
    break_glass: bool,
) -> Result<()> {
    let (max, whose) = if break_glass {
        (role.max_duration.min(app.settings.break_glass_max), "a break-glass grant".to_owned())
    } else {
        (role.max_duration, format!("role `{}`", role.name))
    };
    if duration > max {
        return Err(Error::usage(format!(
            "--for {} is longer than {whose} allows: at most {}",
            human(duration),
            human(max)
        ))
        .with_hint(format!("ask for {} or less; `accessgrant extend` adds time later", human(max))));
    }
    Ok(())
}

/// Write a new grant: access first when it is active at once, then the grant (only where no
/// grant is), then its events.
async fn create(app: &AccessGrant<'_>, doc: &mut GrantDoc) -> Result<()> {
    let ledger = app.ledger().await?;
    if ledger.read(&doc.grant.id).await?.is_some() {
        return Err(Error::temp_fail(format!("grant id {} was just taken", doc.grant.id)).with_hint("run it again"));
    }
    let active = doc.grant.state == State::Active;
    if active {
        app.attach(doc).await?;
    }
    if ledger.write(doc, None).await? == Written::Lost {
        // Taken between the check and the write (ids are random within a second: all but
        // impossible). A policy attached for it ends by itself, and sweep removes it.
        return Err(Error::temp_fail(format!("grant id {} was just taken", doc.grant.id)).with_hint("run it again"));
    }
    ledger.append(&doc.events).await.map_err(|e| {
        Error::new(e.exit(), format!("grant {} is recorded, but writing its audit events failed: {e}", doc.grant.id))
            .with_hint("`accessgrant sweep` writes missing audit events from the grants' own history")
    })
}

async fn resolve_grantee(
    app: &AccessGrant<'_>,
    to: Option<&str>,
    caller: &Principal,
    env: &str,
    account: &str,
) -> Result<Grantee> {
    if app.settings.backend == Backend::IdentityCenter {
        let name = match (to, caller) {
            (Some(name), _) => name.to_owned(),
            (None, Principal::Session { role, session, .. }) if role.starts_with(SSO_ROLE_PREFIX) => session.clone(),
            (None, _) => {
                return Err(Error::usage(format!("{caller} is not signed in through IAM Identity Center"))
                    .with_hint("name the Identity Center user with --to USER_NAME"));
            }
        };
        let id = app.identity_center().await?.user_id(&name).await?;
        return Ok(Grantee { name, kind: GranteeType::IdentityCenterUser, id: Some(id) });
    }
    let principal = match to {
        Some(text) => parse_grantee(text, account)?,
        None => match caller {
            Principal::User { .. } => caller.clone(),
            Principal::Session { role, .. } if role.starts_with(SSO_ROLE_PREFIX) => {
                return Err(Error::usage(format!(
                    "{caller} is an IAM Identity Center session: its role takes no inline policy"
                ))
                .with_hint(
                    "set backend = \"identity-center\" in [accessgrant], or name an IAM user or role with --to",
                ));
            }
            Principal::Session { account: a, role, .. } => {
                opskit::error::warn(&format!("the grant goes to the role {role}: every session of it gets the access"));
                Principal::parse(&format!("arn:aws:iam::{a}:role/{role}"))?
            }
            _ => {
                return Err(Error::usage(format!("{caller} cannot hold a grant's policy"))
                    .with_hint("name an IAM user or role with --to"));
            }
        },
    };
    if principal.account() != Some(account) {
        return Err(Error::usage(format!(
            "{principal} is in account {}, but {env} is in account {account}",
            principal.account().unwrap_or("?")
        ))
        .with_hint("name a user or role of the environment's account with --to user/NAME or role/NAME"));
    }
    let (kind, name) =
        principal.policy_holder().ok_or_else(|| Error::usage(format!("{principal} cannot hold a policy")))?;
    let arn = app.iam(env).await?.arn_of(kind, name).await?;
    Ok(Grantee { name: arn, kind, id: None })
}

pub async fn extend(app: &AccessGrant<'_>, id: &str, by: Duration, reason_text: &str) -> anyhow::Result<Exit> {
    check_id(id)?;
    let reason = reason(reason_text, "an extension")?;
    let current = app.read(id).await?;
    let role = app.settings.role(&current.grant.role)?;
    let rules = ExtendRules { max_duration: role.max_duration, approvals: current.grant.approvals_required };
    let actor = app.actor().await?;
    let applied = app.apply(id, |doc| doc.extend(&actor, by, &reason, &rules, app.now)).await?;
    let mut out = grant_emitter(app, [&applied.doc.grant]);
    out.emit(&GrantRecord::new(&applied.doc.grant, app.now))?;
    out.finish()?;
    opskit::error::note(&applied.note);
    Ok(Exit::Success)
}
