//! The account: `status`, `request-production`, `send-test`.

use opskit::output::{Layout, Record};
use opskit::{Error, Exit};
use serde::Serialize;

use crate::app::App;
use crate::identity::ProductionRequest;
use crate::records::MessageRecord;

pub async fn status(app: &App<'_>) -> anyhow::Result<Exit> {
    let ses = app.ses().await?;
    let account = ses.account().await.map_err(Error::from)?;
    let mut out = app.ctx.emitter().layout(Layout::Detail);
    out.emit(&account)?;
    out.finish()?;
    if account.access == "sandbox" {
        opskit::error::note(
            "in the sandbox: mail goes only to verified addresses; `sesconfig request-production` asks for more",
        );
    }
    Ok(Exit::Success)
}

/// The production-access request, as drafted or sent.
#[derive(Serialize)]
struct RequestRecord<'a> {
    kind: &'static str,
    region: &'a str,
    mail_type: &'static str,
    website_url: &'a str,
    use_case: &'a str,
    contacts: &'a [String],
    submitted: bool,
}

impl Record for RequestRecord<'_> {
    const KIND: &'static str = "production_request";
    const COLUMNS: &'static [&'static str] =
        &["kind", "region", "mail_type", "website_url", "use_case", "contacts", "submitted"];
}

pub struct RequestArgs<'a> {
    pub website: &'a str,
    pub use_case: &'a str,
    pub marketing: bool,
    pub contacts: &'a [String],
}

pub async fn request_production(app: &App<'_>, args: &RequestArgs<'_>) -> anyhow::Result<Exit> {
    if !(args.website.starts_with("https://") || args.website.starts_with("http://")) {
        return Err(Error::usage(format!("--website `{}` is not an http(s) URL", args.website)).into());
    }
    if args.use_case.trim().len() < 20 {
        return Err(Error::usage("--use-case is too short: say what you send, to whom, and how you handle bounces")
            .with_hint("AWS reviews the text; a sentence or three is usual")
            .into());
    }
    let ses = app.ses().await?;
    let submit = app.ctx.yes && !app.ctx.dry_run;
    if submit {
        ses.request_production(&ProductionRequest {
            website: args.website,
            use_case: args.use_case,
            marketing: args.marketing,
            contacts: args.contacts,
        })
        .await
        .map_err(Error::from)?;
    }
    let record = RequestRecord {
        kind: RequestRecord::KIND,
        region: ses.region(),
        mail_type: if args.marketing { "MARKETING" } else { "TRANSACTIONAL" },
        website_url: args.website,
        use_case: args.use_case,
        contacts: args.contacts,
        submitted: submit,
    };
    let mut out = app.ctx.emitter().layout(Layout::Detail);
    out.emit(&record)?;
    out.finish()?;
    if submit {
        opskit::error::note(&format!(
            "submitted: AWS answers within a day; `sesconfig status` shows the review in {}",
            ses.region()
        ));
    } else {
        opskit::error::note("draft only: pass --yes to submit it");
    }
    Ok(Exit::Success)
}

pub async fn send_test(app: &App<'_>, from: &str, to: &str, config_set: Option<&str>) -> anyhow::Result<Exit> {
    for (flag, address) in [("--from", from), ("--to", to)] {
        let valid = address.split_once('@').is_some_and(|(local, host)| {
            !local.is_empty() && crate::domain::Domain::parse(host).is_ok() && !address.contains(char::is_whitespace)
        });
        if !valid {
            return Err(Error::usage(format!("{flag} `{address}` is not an email address")).into());
        }
    }
    let set = app.configuration_set(config_set);
    if app.ctx.dry_run {
        opskit::error::note(&format!(
            "dry run: would send one test message from {from} to {to} (SendEmail, configuration set {})",
            set.as_deref().unwrap_or("none")
        ));
        return Ok(Exit::Success);
    }
    let ses = app.ses().await?;
    let message_id = ses.send_test(from, to, set.as_deref()).await.map_err(Error::from)?;
    let mut out = app.ctx.emitter();
    out.emit(&MessageRecord {
        kind: "message",
        message_id,
        from: from.to_owned(),
        to: to.to_owned(),
        configuration_set: set,
    })?;
    out.finish()?;
    Ok(Exit::Success)
}
