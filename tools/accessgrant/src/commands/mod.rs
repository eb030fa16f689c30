//! The commands, by the kind of work they do: asking (request, extend), deciding (approve,
//! deny), ending now (revoke) and on time (sweep), reading (ls, show, audit, policy), and
//! using (connect).

pub mod ask;
pub mod connect;
pub mod decide;
pub mod read;
pub mod revoke;
pub mod sweep;

use std::io;
use std::time::SystemTime;

use opskit::output::{Emitter, Record};
use opskit::{Error, Result};

use crate::app::AccessGrant;
use crate::grant::{Event, Grant, State};
use crate::record::{self, GrantRecord};

/// The longest reason kept (a sentence or a paragraph, not a file).
const LONGEST_REASON: usize = 1000;

/// No grant, denial or extension without a reason a person wrote.
pub fn reason(text: &str, what: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::usage(format!("{what} needs a reason: --reason \"…\" may not be empty"))
            .with_hint("say why, for the approvers and the audit log (an incident or ticket, what you will do)"));
    }
    if text.chars().count() > LONGEST_REASON {
        return Err(Error::usage(format!("--reason is longer than {LONGEST_REASON} characters"))
            .with_hint("link to a ticket with --ticket"));
    }
    Ok(text.to_owned())
}

/// An emitter for grants: brief tables, CSV columns for their conditions.
pub fn grant_emitter<'g>(
    app: &AccessGrant<'_>,
    grants: impl IntoIterator<Item = &'g Grant> + Clone,
) -> Emitter<io::BufWriter<io::Stdout>> {
    app.ctx.emitter().columns(record::columns(grants.clone())).brief::<GrantRecord>(&record::brief(grants))
}

/// An emitter for audit events: brief tables (`break_glass` joins them when an event is one).
pub fn event_emitter<'e>(
    app: &AccessGrant<'_>,
    events: impl IntoIterator<Item = &'e Event>,
) -> Emitter<io::BufWriter<io::Stdout>> {
    let glass = events.into_iter().any(|e| e.break_glass);
    let mut brief = vec!["at", "event", "grant", "actor", "env", "role"];
    if glass {
        brief.push("break_glass");
    }
    brief.extend(["reason", "detail"]);
    app.ctx.emitter().columns(Event::COLUMNS.iter().map(|c| (*c).to_owned())).brief::<Event>(&brief)
}

/// Break-glass grants in effect are said out loud, whatever the output format (ended ones keep
/// their `break_glass` column and their events in the audit log).
pub fn warn_break_glass<'g>(grants: impl IntoIterator<Item = &'g Grant>, now: SystemTime) {
    let ids: Vec<&str> = grants
        .into_iter()
        .filter(|g| g.break_glass && g.state_at(now) == State::Active)
        .map(|g| g.id.as_str())
        .collect();
    if !ids.is_empty() {
        opskit::error::warn(&format!(
            "BREAK-GLASS: {} self-approved grant{} in effect, to review: {}",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" },
            ids.join(", ")
        ));
    }
}
