//! Deciding on requests: `approve` and `deny`. The approver is whoever STS says is calling; the
//! config says who may; a grant's own requester and grantee may not. At a terminal, `approve`
//! first shows what is being approved and asks.

use std::time::Duration;

use opskit::prompt::PlanItem;
use opskit::{Exit, Result};

use super::{grant_emitter, reason};
use crate::app::{AccessGrant, check_id};
use crate::grant::{GrantDoc, State, human};
use crate::record::GrantRecord;

pub async fn approve(app: &AccessGrant<'_>, id: &str) -> anyhow::Result<Exit> {
    check_id(id)?;
    let actor = app.actor().await?;
    if !app.ctx.dry_run && !app.ctx.yes && app.ctx.can_ask() {
        confirm(app, &app.read(id).await?)?;
    }
    let applied = app.apply(id, |doc| doc.approve(&actor, app.now)).await?;
    let mut out = grant_emitter(app, [&applied.doc.grant]);
    out.emit(&GrantRecord::new(&applied.doc.grant, app.now))?;
    out.finish()?;
    opskit::error::note(&applied.note);
    Ok(Exit::Success)
}

/// Show a person what they are about to approve (who, what, where, for how long, why), and ask.
fn confirm(app: &AccessGrant<'_>, doc: &GrantDoc) -> Result<()> {
    let g = &doc.grant;
    let what = match (&g.extension, g.state) {
        (Some(x), State::Active) => format!(
            "{} more (until then {})",
            human(Duration::from_secs(x.duration_seconds)),
            g.expires_at.as_deref().unwrap_or("?")
        ),
        _ => format!("{} from approval", human(g.duration())),
    };
    let why = match &g.extension {
        Some(x) => x.reason.clone(),
        None => g.reason.clone(),
    };
    let conditions = if g.access.conditions.is_empty() {
        "-".to_owned()
    } else {
        serde_json::Value::Object(g.access.conditions.clone()).to_string()
    };
    let lines = [
        ("requested by", g.requester.clone()),
        ("for", g.grantee.clone()),
        ("role", format!("{} in {} ({} tier)", g.role, g.env, g.tier)),
        ("lasting", what),
        ("reason", why),
        ("ticket", g.ticket.clone().unwrap_or_else(|| "-".into())),
        ("actions", g.access.actions.join(", ")),
        ("resources", g.access.resources.join(", ")),
        ("conditions", conditions),
        ("approvals", format!("{} of {} so far", g.approvals.len(), g.approvals_required)),
    ];
    let items: Vec<PlanItem<'_>> = lines.iter().map(|(action, name)| PlanItem { action, name }).collect();
    let title = if g.extension.is_some() {
        format!("grant {} asks for an extension:", g.id)
    } else {
        format!("grant {} asks for:", g.id)
    };
    app.ctx.confirm_plan(&title, &items, &format!("approve grant {}", g.id))
}

pub async fn deny(app: &AccessGrant<'_>, id: &str, reason_text: &str) -> anyhow::Result<Exit> {
    check_id(id)?;
    let reason = reason(reason_text, "a denial")?;
    let actor = app.actor().await?;
    let applied = app.apply(id, |doc| doc.deny(&actor, &reason, app.now)).await?;
    let mut out = grant_emitter(app, [&applied.doc.grant]);
    out.emit(&GrantRecord::new(&applied.doc.grant, app.now))?;
    out.finish()?;
    opskit::error::note(&applied.note);
    Ok(Exit::Success)
}
