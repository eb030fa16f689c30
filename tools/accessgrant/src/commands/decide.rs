//! Deciding on requests: `approve` and `deny`. The approver is whoever STS says is calling; the
//! config says who may; a grant's own requester and grantee may not.

use opskit::Exit;

use super::{grant_emitter, reason};
use crate::app::{AccessGrant, check_id};
use crate::record::GrantRecord;

pub async fn approve(app: &AccessGrant<'_>, id: &str) -> anyhow::Result<Exit> {
    check_id(id)?;
    let actor = app.actor().await?;
    let applied = app.apply(id, |doc| doc.approve(&actor, app.now)).await?;
    let mut out = grant_emitter(app, [&applied.doc.grant]);
    out.emit(&GrantRecord::new(&applied.doc.grant, app.now))?;
    out.finish()?;
    opskit::error::note(&applied.note);
    Ok(Exit::Success)
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
