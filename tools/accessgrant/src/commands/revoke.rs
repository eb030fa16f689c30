//! Ending access now: `revoke`, by a person (the requester, the grantee or an approver).
//! `sweep` ends it on time.

use opskit::Exit;

use super::grant_emitter;
use crate::app::{AccessGrant, check_id};
use crate::record::GrantRecord;

pub async fn revoke(app: &AccessGrant<'_>, ids: &[String], reason: Option<&str>) -> anyhow::Result<Exit> {
    let ids = opskit::input::names_or_stdin(ids, "accessgrant revoke", &["grant"], "id", Some(&app.app))?;
    for id in &ids {
        check_id(id)?;
    }
    let reason = reason.map(|r| super::reason(r, "a revocation")).transpose()?;
    let actor = app.actor().await?;
    // Read first, so a CSV's columns are known before the first row.
    let mut docs = Vec::new();
    for id in &ids {
        docs.push(app.read(id).await?);
    }
    let mut out = grant_emitter(app, docs.iter().map(|d| &d.grant)).on_empty("no grants to revoke");
    for id in &ids {
        let applied = app.apply(id, |doc| doc.revoke(&actor, reason.as_deref(), app.now)).await?;
        out.emit(&GrantRecord::new(&applied.doc.grant, app.now))?;
        opskit::error::note(&applied.note);
    }
    out.finish()?;
    Ok(Exit::Success)
}
