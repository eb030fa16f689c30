//! `sesconfig setup` and `teardown`: the SES side of a domain, created (or updated) step by
//! step, idempotently, and removed again.
//!
//! Against an endpoint that lacks an operation, setup does every step it can, names each one it
//! could not, and exits 69 at the end, after printing the DNS records.

use opskit::prompt::PlanItem;
use opskit::{Error, Exit};

use crate::app::App;
use crate::dns::ResolverAddr;
use crate::domain::Domain;
use crate::identity::{Failure, Ses, SesResult};
use crate::records::{DnsRecord, IdentityRecord, Step, StepStatus};
use crate::required;
use crate::settings::{DmarcPolicy, Events, MxFailure};

pub struct SetupArgs<'a> {
    pub domain: Option<&'a str>,
    pub mail_from: Option<&'a str>,
    pub dmarc_policy: Option<DmarcPolicy>,
    pub dmarc_rua: Option<&'a str>,
    pub config_set: Option<&'a str>,
    pub events: Option<Events>,
    pub mx_failure: Option<MxFailure>,
    pub resolver: Option<ResolverAddr>,
}

/// One step of the plan: what it is for, the API operation, what it acts on.
struct Planned {
    step: &'static str,
    api: &'static str,
    target: String,
}

fn step(p: &Planned, status: StepStatus, detail: Option<String>) -> Step {
    Step { kind: "step", part: p.step, api: p.api, target: p.target.clone(), status, detail }
}

pub async fn setup(app: &App<'_>, args: SetupArgs<'_>) -> anyhow::Result<Exit> {
    let domain = app.domain(args.domain)?;
    let mail_from = app.mail_from(&domain, args.mail_from)?;
    let set = app.configuration_set(args.config_set);
    let events = match (&args.events, &app.settings.events) {
        (Some(e), _) => Some(e.clone()),
        (None, Some(text)) => Some(Events::parse(text).map_err(|e| Error::config(format!("[sesconfig] events: {e}")))?),
        (None, None) => None,
    };
    if events.is_some() && set.is_none() {
        return Err(Error::usage("--events needs a configuration set to attach them to")
            .with_hint("add --config-set NAME (or `configuration_set` in [sesconfig])")
            .into());
    }
    // A configuration set without a destination would leave bounces unhandled: EventBridge's
    // default bus exists in every account.
    let events = set.as_ref().map(|_| events.unwrap_or(Events::EventBridge));
    let target = Target {
        domain: &domain,
        mail_from: &mail_from,
        set: set.as_deref(),
        events: events.as_ref(),
        mx_failure: args.mx_failure.or(app.settings.mail_from_mx_failure).unwrap_or_default(),
    };
    let rua = app.dmarc_rua(args.dmarc_rua)?;
    let plan = plan(&target);

    let mut out = app
        .ctx
        .emitter()
        .brief::<Step>(&["part", "api", "target", "status", "detail"])
        .brief::<IdentityRecord>(&["domain", "region", "verified", "dkim_status", "mail_from", "configuration_set"])
        .brief::<DnsRecord>(&["name", "type", "value", "purpose"]);
    if app.ctx.dry_run {
        for p in &plan {
            out.emit(&step(p, StepStatus::Planned, None))?;
        }
        out.finish()?;
        opskit::error::note(&format!(
            "dry run: {} API calls planned, nothing changed; the DNS records are printed once the identity exists",
            plan.len()
        ));
        return Ok(Exit::Success);
    }

    let ses = app.ses().await?;
    let before = ses.identity(&domain).await.map_err(Error::from)?;
    let account_id = match target.events {
        Some(Events::EventBridge) => Some(crate::identity::account_id(&app.ctx.sdk().await?).await?),
        _ => None,
    };
    let mut unsupported: Vec<&'static str> = Vec::new();
    for p in &plan {
        tracing::info!(api = p.api, target = %p.target, "setup step");
        match perform(&ses, p, &target, before.as_ref(), account_id.as_deref()).await {
            Ok((status, detail)) => out.emit(&step(p, status, detail))?,
            Err(Failure::Unsupported { api, endpoint }) => {
                unsupported.push(api);
                out.emit(&step(p, StepStatus::Unsupported, Some(format!("{endpoint} has no {api}"))))?;
            }
            Err(Failure::Error(e)) => {
                out.emit(&step(p, StepStatus::Failed, Some(e.to_string())))?;
                return Err(e.into());
            }
        }
    }

    // The identity as SES now has it, and the DNS records to create.
    let identity = ses.require_identity(&domain).await?;
    out.emit(&identity)?;
    crate::commands::dns::warn_without_tokens(&identity);
    let dmarc = app.dmarc_to_publish(&domain, args.resolver, args.dmarc_policy, rua.as_deref()).await?;
    for record in required::records(&domain, &identity.dkim_tokens, &mail_from, ses.region(), &dmarc) {
        out.emit(&record)?;
    }
    out.finish()?;
    if !unsupported.is_empty() {
        return Err(Error::unavailable(format!(
            "setup of {domain} incomplete: the endpoint does not support {}",
            unsupported.join(", ")
        ))
        .with_hint("every other step was done; run setup against AWS itself to finish (it is idempotent)")
        .into());
    }
    opskit::error::note(&format!(
        "set up {domain} in {}; create the DNS records above, then `sesconfig check {domain}`",
        ses.region()
    ));
    Ok(Exit::Success)
}

/// What the steps act on.
struct Target<'a> {
    domain: &'a Domain,
    mail_from: &'a Domain,
    set: Option<&'a str>,
    events: Option<&'a Events>,
    mx_failure: MxFailure,
}

/// The steps, in order: identity; the configuration set, its event destination and making it
/// the default (when there is one); MAIL FROM; suppression.
fn plan(t: &Target<'_>) -> Vec<Planned> {
    let domain = t.domain;
    let mut plan = vec![Planned { step: "identity", api: "CreateEmailIdentity", target: domain.to_string() }];
    if let Some(set) = t.set {
        plan.push(Planned { step: "configuration_set", api: "CreateConfigurationSet", target: set.to_owned() });
        if let Some(events) = t.events {
            plan.push(Planned {
                step: "event_destination",
                api: "CreateConfigurationSetEventDestination",
                target: format!("{set}: bounces and complaints to {}", events.describe()),
            });
        }
        plan.push(Planned {
            step: "default_configuration_set",
            api: "PutEmailIdentityConfigurationSetAttributes",
            target: format!("{domain} → {set}"),
        });
    }
    plan.push(Planned {
        step: "mail_from",
        api: "PutEmailIdentityMailFromAttributes",
        target: format!("{domain} → {} (on MX failure: {})", t.mail_from, mx_failure_text(t.mx_failure)),
    });
    plan.push(Planned {
        step: "suppression",
        api: "PutAccountSuppressionAttributes",
        target: "account: suppress BOUNCE, COMPLAINT".to_owned(),
    });
    plan
}

fn created(created: bool) -> (StepStatus, Option<String>) {
    if created { (StepStatus::Done, None) } else { (StepStatus::Unchanged, Some("exists".to_owned())) }
}

/// One step. What the identity already has (`before`) is left as it is.
async fn perform(
    ses: &Ses,
    p: &Planned,
    t: &Target<'_>,
    before: Option<&IdentityRecord>,
    account_id: Option<&str>,
) -> SesResult<(StepStatus, Option<String>)> {
    let set = t.set.unwrap_or_default();
    match p.step {
        "identity" if before.is_some() => Ok((StepStatus::Unchanged, Some("exists".to_owned()))),
        "identity" => ses.create_identity(t.domain).await.map(created),
        "configuration_set" => ses.create_configuration_set(set).await.map(created),
        "event_destination" => {
            let events = t.events.expect("planned with events");
            ses.create_event_destination(set, events, account_id.unwrap_or_default()).await.map(created)
        }
        "default_configuration_set" if before.and_then(|i| i.configuration_set.as_deref()) == Some(set) => {
            Ok((StepStatus::Unchanged, Some("already the default".to_owned())))
        }
        "default_configuration_set" => {
            ses.set_default_configuration_set(t.domain, set).await.map(|()| (StepStatus::Done, None))
        }
        "mail_from" if before.and_then(|i| i.mail_from.as_deref()) == Some(t.mail_from.as_str()) => {
            Ok((StepStatus::Unchanged, Some("already set".to_owned())))
        }
        "mail_from" => ses.put_mail_from(t.domain, t.mail_from, t.mx_failure).await.map(|()| (StepStatus::Done, None)),
        "suppression" => ses.suppress_bounces_and_complaints().await.map(|()| (StepStatus::Done, None)),
        other => unreachable!("unplanned step {other}"),
    }
}

fn mx_failure_text(m: MxFailure) -> &'static str {
    match m {
        MxFailure::UseDefaultValue => "send from amazonses.com",
        MxFailure::RejectMessage => "reject",
    }
}

pub async fn teardown(app: &App<'_>, domain: Option<&str>, config_set: Option<&str>) -> anyhow::Result<Exit> {
    let domain: Domain = app.domain(domain)?;
    let set = app.configuration_set(config_set);
    let mut plan = vec![Planned { step: "identity", api: "DeleteEmailIdentity", target: domain.to_string() }];
    if let Some(set) = &set {
        plan.push(Planned { step: "configuration_set", api: "DeleteConfigurationSet", target: set.clone() });
    }
    let mut out = app.ctx.emitter().brief::<Step>(&["part", "api", "target", "status", "detail"]);
    if app.ctx.dry_run {
        for p in &plan {
            out.emit(&step(p, StepStatus::Planned, None))?;
        }
        out.finish()?;
        return Ok(Exit::Success);
    }
    let ses = app.ses().await?;
    // Not found is not found, before anything is asked or deleted.
    ses.require_identity(&domain).await?;
    let items: Vec<PlanItem<'_>> = plan
        .iter()
        .map(|p| PlanItem {
            action: if p.step == "identity" { "delete identity" } else { "delete configuration set" },
            name: &p.target,
        })
        .collect();
    app.ctx.confirm_plan(
        &format!("sesconfig teardown {domain} in {}:", ses.region()),
        &items,
        &format!("delete SES sending for {domain}"),
    )?;
    for p in &plan {
        let result = match p.step {
            "identity" => ses.delete_identity(&domain).await,
            _ => ses.delete_configuration_set(&p.target).await,
        };
        match result {
            Ok(true) => out.emit(&step(p, StepStatus::Done, None))?,
            Ok(false) => out.emit(&step(p, StepStatus::Unchanged, Some("not there".to_owned())))?,
            Err(failure) => {
                let e = Error::from(failure);
                out.emit(&step(p, StepStatus::Failed, Some(e.to_string())))?;
                return Err(e.into());
            }
        }
    }
    out.finish()?;
    opskit::error::note(&format!(
        "removed {domain} from SES in {}; account-level suppression stays (other identities use it); delete the DNS records `sesconfig dns` listed",
        ses.region()
    ));
    Ok(Exit::Success)
}
