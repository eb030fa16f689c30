//! `sesconfig check`: one finding per check, exit 1 when any fails.

use opskit::input::Record as InputRecord;
use opskit::{Error, Exit};

use crate::app::App;
use crate::checks;
use crate::dns::{Dns, ResolverAddr};
use crate::domain::{Domain, normalise};
use crate::records::{DnsRecord, Finding, Purpose, Status};
use crate::required;

pub struct CheckArgs<'a> {
    pub domain: Option<&'a str>,
    /// `-`: the expected records come from stdin, and only DNS is checked (no AWS call).
    pub from_stdin: bool,
    pub mail_from: Option<&'a str>,
    pub resolver: Option<ResolverAddr>,
    pub authoritative: bool,
}

pub async fn check(app: &App<'_>, args: &CheckArgs<'_>) -> anyhow::Result<Exit> {
    let domain = app.domain(args.domain)?;
    // Everything that can be wrong with the input is found before the first query.
    let expected = if args.from_stdin {
        Expected::Records(read_expected(&domain, opskit::input::stdin())?)
    } else {
        Expected::FromSes { mail_from: app.mail_from(&domain, args.mail_from)? }
    };
    let resolver = Dns::new(args.resolver)?;
    let mut findings = Vec::new();
    let mut unsupported = Vec::new();
    // Findings are printed once all are made, or, when a DNS or AWS call fails part-way,
    // those made before it, then the error.
    let result =
        run_checks(app, args.authoritative, &domain, resolver, expected, &mut findings, &mut unsupported).await;
    let mut out = app.ctx.emitter().brief::<Finding>(&["check", "name", "status", "found", "hint"]);
    for finding in &findings {
        out.emit(finding)?;
    }
    out.finish()?;
    let asked = result?;
    let failed = findings.iter().filter(|f| f.status == Status::Fail).count();
    let warned = findings.iter().filter(|f| f.status == Status::Warn).count();
    if failed > 0 {
        opskit::error::note(&format!(
            "{failed} of {} checks failed ({warned} warnings); DNS asked: {asked}",
            findings.len()
        ));
        return Ok(Exit::No);
    }
    if !unsupported.is_empty() {
        return Err(Error::unavailable(format!(
            "{} not checked: the endpoint lacks {}",
            unsupported.len(),
            unsupported.join(", ")
        ))
        .with_hint("the other checks passed; run against AWS itself for these")
        .into());
    }
    opskit::error::note(&format!("all {} checks passed ({warned} warnings); DNS asked: {asked}", findings.len()));
    Ok(Exit::Success)
}

/// Where the expected records come from.
enum Expected {
    /// `check -`: records on stdin; DNS only.
    Records(Vec<DnsRecord>),
    /// The identity in SES, and the SES checks too.
    FromSes { mail_from: Domain },
}

/// Every check; returns who was asked about DNS.
async fn run_checks(
    app: &App<'_>,
    authoritative: bool,
    domain: &Domain,
    resolver: Dns,
    expected: Expected,
    findings: &mut Vec<Finding>,
    unsupported: &mut Vec<&'static str>,
) -> Result<String, Error> {
    let dns = if authoritative {
        let (authority, delegation) = resolver.authoritative(domain).await?;
        findings.push(checks::delegation(domain, &delegation, authority.source()));
        authority
    } else {
        resolver
    };
    let mail_from = match expected {
        Expected::Records(records) => {
            checks::dns_records(&dns, domain, &records, findings).await?;
            return Ok(dns.source().to_owned());
        }
        Expected::FromSes { mail_from } => mail_from,
    };
    let ses = app.ses().await?;
    let identity = ses.require_identity(domain).await?;
    let dmarc = crate::dns::dmarc::Dmarc::merged(None, app.dmarc_policy(None), None);
    let expected = required::records(domain, &identity.dkim_tokens, &mail_from, ses.region(), &dmarc);
    checks::dns_records(&dns, domain, &expected, findings).await?;
    let (ses_findings, missing) = checks::ses(&ses, &identity, &mail_from).await?;
    findings.extend(ses_findings);
    unsupported.extend(missing);
    Ok(dns.source().to_owned())
}

/// `dns_record` records from stdin, each checked: a known purpose, the type it needs, a name
/// under the domain. A bad one is an error naming it (exit 65).
pub fn read_expected<R: std::io::Read>(
    domain: &Domain,
    records: opskit::input::Records<R>,
) -> Result<Vec<DnsRecord>, Error> {
    let mut out = Vec::new();
    for record in records {
        let record = record?;
        record.expect_kind("sesconfig check", &["dns_record"])?;
        out.push(expected_record(domain, &record)?);
    }
    if out.is_empty() {
        return Err(Error::data("stdin: no dns_record records to check")
            .with_hint(format!("sesconfig dns {domain} -o json | sesconfig check {domain} -")));
    }
    Ok(out)
}

fn expected_record(domain: &Domain, record: &InputRecord) -> Result<DnsRecord, Error> {
    let n = record.number;
    let bad = |why: String| Error::data(format!("stdin: record {n} (`dns_record`): {why}"));
    let name = normalise(record.str("name")?);
    let rtype = record.str("type")?.to_ascii_uppercase();
    let value = record.str("value")?.to_owned();
    let purpose_text = record.str("purpose")?;
    let purpose = Purpose::parse(purpose_text).ok_or_else(|| {
        bad(format!(
            "unknown purpose `{purpose_text}` (one of {})",
            Purpose::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
        ))
    })?;
    if rtype != purpose.record_type() {
        return Err(bad(format!("a {} record is {}, not {rtype}", purpose.as_str(), purpose.record_type())));
    }
    let within = Domain::parse(&name).is_ok_and(|n| n.is_within(domain) && n != *domain);
    if !within {
        return Err(bad(format!("`{name}` is not a name under {domain}")));
    }
    if value.trim().is_empty() {
        return Err(bad("the value is empty".to_owned()));
    }
    let ttl = match record.fields.get("ttl") {
        None | Some(serde_json::Value::Null) => crate::records::DEFAULT_TTL,
        Some(v) => v
            .as_u64()
            .and_then(|t| u32::try_from(t).ok())
            .ok_or_else(|| bad("ttl must be a whole number of seconds".into()))?,
    };
    let mut out = DnsRecord::new(&name, &rtype, value, purpose);
    out.ttl = ttl;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<DnsRecord>, Error> {
        let d = Domain::parse("example.gov").unwrap();
        read_expected(&d, opskit::input::Records::new(text.as_bytes()))
    }

    #[test]
    fn reads_dns_records_and_names_the_bad_one() {
        let good = r#"{"kind":"dns_record","name":"a._domainkey.example.gov","type":"CNAME","value":"a.dkim.amazonses.com","ttl":1800,"purpose":"dkim"}"#;
        assert_eq!(read(good).unwrap().len(), 1);
        for (text, why) in [
            (r#"{"kind":"finding","name":"x"}"#, "record 2 is a `finding` record"),
            (
                r#"{"kind":"dns_record","name":"x.example.gov","type":"TXT","value":"v","purpose":"dkimm"}"#,
                "unknown purpose `dkimm`",
            ),
            (
                r#"{"kind":"dns_record","name":"x.example.gov","type":"TXT","value":"v","purpose":"dkim"}"#,
                "a dkim record is CNAME, not TXT",
            ),
            (
                r#"{"kind":"dns_record","name":"x.example.org","type":"CNAME","value":"v","purpose":"dkim"}"#,
                "`x.example.org` is not a name under example.gov",
            ),
            (r#"{"kind":"dns_record","type":"CNAME","value":"v","purpose":"dkim"}"#, "has no `name` field"),
        ] {
            let err = read(&format!("{good}\n{text}")).unwrap_err();
            assert_eq!(err.exit(), Exit::DataErr);
            assert!(err.to_string().contains(why) && err.to_string().contains("record 2"), "{err}");
        }
    }
}
