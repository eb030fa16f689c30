//! `sesconfig dns`: every record the domain needs, as records, a zone-file snippet or Terraform.

use opskit::Exit;
use opskit::output::write_stdout;

use crate::app::App;
use crate::dns::ResolverAddr;
use crate::records::DnsRecord;
use crate::required;
use crate::settings::DmarcPolicy;

/// `dns --format`: the records in a DNS tool's own language instead of opskit records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordFormat {
    /// A zone-file snippet (BIND master file syntax)
    Bind,
    /// A Terraform `locals` list for any DNS provider's record resource
    Terraform,
}

pub struct DnsArgs<'a> {
    pub domain: Option<&'a str>,
    pub mail_from: Option<&'a str>,
    pub format: Option<RecordFormat>,
    pub resolver: Option<ResolverAddr>,
    pub dmarc_policy: Option<DmarcPolicy>,
    pub dmarc_rua: Option<&'a str>,
}

pub async fn dns(app: &App<'_>, args: &DnsArgs<'_>) -> anyhow::Result<Exit> {
    let domain = app.domain(args.domain)?;
    let mail_from = app.mail_from(&domain, args.mail_from)?;
    let ses = app.ses().await?;
    let identity = ses.require_identity(&domain).await?;
    warn_without_tokens(&identity);
    let dmarc = app.dmarc_to_publish(&domain, args.resolver, args.dmarc_policy, args.dmarc_rua).await?;
    let records = required::records(&domain, &identity.dkim_tokens, &mail_from, ses.region(), &dmarc);
    match args.format {
        Some(RecordFormat::Bind) => write_stdout(required::bind(&records).as_bytes())?,
        Some(RecordFormat::Terraform) => write_stdout(required::terraform(&domain, &records).as_bytes())?,
        None => emit_records(app, &records)?,
    }
    Ok(Exit::Success)
}

pub fn emit_records(app: &App<'_>, records: &[DnsRecord]) -> anyhow::Result<()> {
    let mut out = app.ctx.emitter().brief::<DnsRecord>(&["name", "type", "value", "purpose"]);
    for r in records {
        out.emit(r)?;
    }
    out.finish()?;
    Ok(())
}

/// DKIM records come from Easy DKIM's tokens; say so when there are none to make them of.
pub fn warn_without_tokens(identity: &crate::records::IdentityRecord) {
    if !identity.dkim_tokens.is_empty() {
        return;
    }
    let why = match identity.dkim_origin.as_deref() {
        Some("EXTERNAL") => "it signs with your own key (bring-your-own DKIM): publish its public key yourself",
        _ => "SES has not generated them yet",
    };
    opskit::error::warn(&format!("no DKIM records for {}: {why}", identity.domain));
}
