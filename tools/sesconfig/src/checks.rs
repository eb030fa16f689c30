//! The checks: each expected DNS record against live DNS, and the SES side (identity, DKIM,
//! MAIL FROM, configuration set, sandbox), one [`Finding`] each, saying what is wrong and how to
//! fix it.

use opskit::Error;

use crate::dns::dmarc::Dmarc;
use crate::dns::{Answer, Delegation, Dns, spf};
use crate::domain::Domain;
use crate::identity::{Failure, Ses};
use crate::records::{DnsRecord, Finding, IdentityRecord, Purpose};
use crate::required::{feedback_host, feedback_region};
use crate::settings::DmarcPolicy;

/// The SES operations a check could not ask about (the endpoint lacks them).
pub type Unsupported = Vec<&'static str>;

/// The finding for `--authoritative`'s delegation check.
pub fn delegation(domain: &Domain, d: &Delegation, source: &str) -> Finding {
    let servers = d.name_servers.join(", ");
    if d.delegated {
        Finding::ok("delegation", domain.as_str())
            .expected(format!("{domain} served by its zone's name servers"))
            .found(format!("zone {} at {servers}", d.zone))
    } else {
        Finding::fail("delegation", domain.as_str())
            .expected(format!("{domain} delegated to the name servers that hold its records"))
            .found(format!("{domain} does not exist at {source}: the zone is not delegated"))
            .hint(format!(
                "add NS records for {domain} in {} (or at the registrar) naming the name servers of the zone you created",
                d.zone
            ))
    }
}

/// Check every expected record against DNS, adding a finding each to `findings` (so those made
/// before a DNS failure are kept and printed).
pub async fn dns_records(
    dns: &Dns,
    domain: &Domain,
    expected: &[DnsRecord],
    findings: &mut Vec<Finding>,
) -> Result<(), Error> {
    let mail_from =
        expected.iter().find(|r| r.purpose() == Some(Purpose::MailFromMx) || r.purpose() == Some(Purpose::MailFromSpf));
    for record in expected {
        let finding = match record.purpose() {
            Some(Purpose::Dkim) => dkim(dns, domain, record).await?,
            Some(Purpose::MailFromMx) => mail_from_mx(dns, domain, record).await?,
            Some(Purpose::MailFromSpf) => mail_from_spf(dns, domain, record).await?,
            Some(Purpose::Dmarc) => {
                let (finding, parsed) = dmarc(dns, domain, record).await?;
                findings.push(finding);
                if let Some(parsed) = parsed {
                    findings.push(alignment(domain, mail_from.map(|r| r.name.as_str()), &parsed));
                }
                continue;
            }
            None => continue,
        };
        findings.push(finding);
    }
    Ok(())
}

/// `name` with the domain appended again: what a DNS console makes of a full name typed into a
/// field that appends the zone.
/// The console appends its zone, which is the domain or one of its ancestors: each candidate.
fn doubled_names(name: &str, domain: &Domain) -> Vec<String> {
    let mut out = Vec::new();
    let mut zone = Some(domain.clone());
    while let Some(current) = zone.filter(|z| z.as_str().contains('.')) {
        out.push(format!("{name}.{current}"));
        zone = current.parent();
    }
    out
}

/// What was appended to `expected` to make `found` (`tok.dkim.amazonses.com.example.gov` →
/// `example.gov`).
fn appended<'a>(found: &'a str, expected: &str) -> Option<&'a str> {
    found.strip_prefix(expected)?.strip_prefix('.')
}

async fn dkim(dns: &Dns, domain: &Domain, record: &DnsRecord) -> Result<Finding, Error> {
    let expected = crate::domain::normalise(&record.value);
    let base = Finding::fail("dkim", &record.name).expected(format!("CNAME {expected}"));
    Ok(match dns.cname(&record.name).await? {
        Answer::Records(targets) => {
            let found = targets[0].clone();
            if found == expected {
                Finding::ok("dkim", &record.name).expected(format!("CNAME {expected}")).found(format!("CNAME {found}"))
            } else if let Some(zone) = appended(&found, &expected) {
                base.found(format!("CNAME {found}")).hint(format!(
                    "the domain is doubled in the value: enter it with a final dot ({expected}.) so the DNS console does not append {zone}"
                ))
            } else {
                base.found(format!("CNAME {found}"))
                    .hint(format!("point {} at {expected} (it points elsewhere)", record.name))
            }
        }
        Answer::NoData => base
            .found("no CNAME (the name has other records)")
            .hint(format!("replace what is at {} with a CNAME to {expected}", record.name)),
        Answer::NxDomain => {
            for at in doubled_names(&record.name, domain) {
                if let Answer::Records(targets) = dns.cname(&at).await? {
                    let zone = at.strip_prefix(&format!("{}.", record.name)).unwrap_or(domain.as_str());
                    return Ok(base.found(format!("CNAME {} at {at}", targets[0])).hint(format!(
                        "the domain is doubled in the name: the record is at {at}; enter the name as {} (the console appends {zone})",
                        record.name.strip_suffix(&format!(".{zone}")).unwrap_or(&record.name)
                    )));
                }
            }
            base.found("missing").hint(format!("create the CNAME {} → {expected}", record.name))
        }
    })
}

/// `PRIORITY HOST` → (priority, host).
fn parse_mx(value: &str) -> (Option<u16>, String) {
    match value.split_once(char::is_whitespace) {
        Some((p, h)) => (p.trim().parse().ok(), crate::domain::normalise(h)),
        None => (None, crate::domain::normalise(value)),
    }
}

async fn mail_from_mx(dns: &Dns, domain: &Domain, record: &DnsRecord) -> Result<Finding, Error> {
    let (_, host) = parse_mx(&record.value);
    let region = feedback_region(&host).unwrap_or("?").to_owned();
    let base = Finding::fail("mail_from_mx", &record.name).expected(format!("MX 10 {host}"));
    Ok(match dns.mx(&record.name).await? {
        Answer::Records(found) => {
            let shown = found.iter().map(|(p, h)| format!("MX {p} {h}")).collect::<Vec<_>>().join(", ");
            if found.iter().any(|(_, h)| *h == host) {
                Finding::ok("mail_from_mx", &record.name).expected(format!("MX 10 {host}")).found(shown)
            } else if let Some(other) = found.iter().find_map(|(_, h)| feedback_region(h)) {
                base.found(shown).hint(format!(
                    "wrong region: the MX names {other}, but the identity sends from {region}; point it at {}",
                    feedback_host(&region)
                ))
            } else if let Some(zone) = found.iter().find_map(|(_, h)| appended(h, &host)) {
                base.found(shown).hint(format!(
                    "the domain is doubled in the value: enter {host}. with a final dot so the console does not append {zone}"
                ))
            } else {
                base.found(shown).hint(format!("SES receives bounces only at {host}: replace the MX"))
            }
        }
        Answer::NoData | Answer::NxDomain => {
            for at in doubled_names(&record.name, domain) {
                if !dns.mx(&at).await?.records().is_empty() {
                    return Ok(base.found(format!("MX at {at}")).hint(format!(
                        "the domain is doubled in the name: enter the name so that the record lands at {}",
                        record.name
                    )));
                }
            }
            base.found("missing").hint(format!("create MX 10 {host} at {}", record.name))
        }
    })
}

async fn mail_from_spf(dns: &Dns, domain: &Domain, record: &DnsRecord) -> Result<Finding, Error> {
    let report = spf::evaluate(dns, &record.name).await?;
    let base = Finding::fail("spf", &record.name).expected(record.value.clone());
    let Some(found) = report.record.clone() else {
        for at in doubled_names(&record.name, domain) {
            if !spf::spf_records(dns.txt(&at).await?.records()).is_empty() {
                return Ok(base.found(format!("SPF at {at}")).hint(format!(
                    "the domain is doubled in the name: enter the name so that the record lands at {}",
                    record.name
                )));
            }
        }
        return Ok(base.found("missing").hint(format!("create TXT \"{}\" at {}", record.value, record.name)));
    };
    let summary = format!("{found} ({} DNS lookups)", report.lookups);
    Ok(if !report.errors.is_empty() {
        base.found(summary).hint(report.errors.join("; "))
    } else if !report.includes_ses {
        base.found(summary).hint(format!("SES is not authorised: add include:{} to the record", spf::SES_INCLUDE))
    } else if !report.warnings.is_empty() {
        Finding::warn("spf", &record.name)
            .expected(record.value.clone())
            .found(summary)
            .hint(report.warnings.join("; "))
    } else {
        Finding::ok("spf", &record.name).expected(record.value.clone()).found(summary)
    })
}

/// The DMARC records among TXT records (RFC 7489 6.6.3: those starting `v=DMARC1`).
fn dmarc_records(txt: &[String]) -> Vec<&String> {
    txt.iter().filter(|t| t.trim_start().get(..8).is_some_and(|p| p.eq_ignore_ascii_case("v=dmarc1"))).collect()
}

async fn dmarc(dns: &Dns, domain: &Domain, record: &DnsRecord) -> Result<(Finding, Option<Dmarc>), Error> {
    let wanted = Dmarc::parse(&record.value).map_or(DmarcPolicy::None, |d| d.policy());
    let base = Finding::fail("dmarc", &record.name).expected(record.value.clone());
    let txt = dns.txt(&record.name).await?;
    Ok(match dmarc_records(txt.records()).as_slice() {
        [] => {
            for at in doubled_names(&record.name, domain) {
                if !dmarc_records(dns.txt(&at).await?.records()).is_empty() {
                    let finding = base.found(format!("DMARC at {at}")).hint(format!(
                        "the domain is doubled in the name: enter the name so that the record lands at {}",
                        record.name
                    ));
                    return Ok((finding, None));
                }
            }
            // RFC 7489 6.6.3: receivers fall back to the organizational domain's policy.
            match organizational_policy(dns, domain).await? {
                Some((at, published, parsed)) => {
                    let policy = parsed.get("sp").unwrap_or_else(|| parsed.get("p").unwrap_or("none")).to_owned();
                    let finding = Finding::ok("dmarc", &record.name)
                        .expected(record.value.clone())
                        .found(format!("none here; {at} covers subdomains: {published}"))
                        .hint(format!(
                            "subdomains get {at}'s policy ({policy}); publish {} for a policy of its own",
                            record.name
                        ));
                    (finding, Some(parsed))
                }
                None => {
                    (base.found("missing").hint(format!("create TXT \"{}\" at {}", record.value, record.name)), None)
                }
            }
        }
        [one] => match Dmarc::parse(one) {
            Err(why) => (base.found((*one).clone()).hint(format!("malformed, so receivers ignore it: {why}")), None),
            Ok(parsed) if parsed.policy() < wanted => (
                Finding::warn("dmarc", &record.name).expected(record.value.clone()).found((*one).clone()).hint(
                    format!(
                        "the policy p={} is weaker than the p={} asked for",
                        parsed.policy().as_str(),
                        wanted.as_str()
                    ),
                ),
                Some(parsed),
            ),
            Ok(parsed) => {
                (Finding::ok("dmarc", &record.name).expected(record.value.clone()).found((*one).clone()), Some(parsed))
            }
        },
        many => (
            base.found(many.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" | "))
                .hint("more than one DMARC record: receivers ignore them all; keep one"),
            None,
        ),
    })
}

/// The DMARC record of an ancestor of `domain` (up to the last two labels), as receivers look
/// for the organizational domain's: where it is, its text, and the record.
async fn organizational_policy(dns: &Dns, domain: &Domain) -> Result<Option<(String, String, Dmarc)>, Error> {
    let mut parent = domain.parent();
    while let Some(current) = parent.filter(|p| p.as_str().contains('.')) {
        let name = current.child("_dmarc");
        let txt = dns.txt(&name).await?;
        if let [one] = dmarc_records(txt.records()).as_slice()
            && let Ok(parsed) = Dmarc::parse(one)
        {
            return Ok(Some((name, (*one).clone(), parsed)));
        }
        parent = current.parent();
    }
    Ok(None)
}

/// DMARC passes on SPF only when the MAIL FROM domain aligns with the From domain: relaxed
/// alignment (the default) accepts SES's MAIL FROM subdomain, strict (`aspf=s`) never does.
fn alignment(domain: &Domain, mail_from: Option<&str>, dmarc: &Dmarc) -> Finding {
    let name = domain.child("_dmarc");
    let Some(mail_from) = mail_from else {
        return Finding::warn("dmarc_alignment", name)
            .expected("a custom MAIL FROM subdomain")
            .found("no MAIL FROM records to check")
            .hint(
                "without a custom MAIL FROM, SPF passes for amazonses.com and never aligns: only DKIM carries DMARC",
            );
    };
    if dmarc.strict_spf() {
        Finding::warn("dmarc_alignment", name)
            .expected(format!("aspf=r (relaxed): {mail_from} aligns with {domain}"))
            .found("aspf=s (strict)")
            .hint(format!(
                "with aspf=s SPF never aligns ({mail_from} ≠ {domain}); only DKIM carries DMARC: drop aspf=s"
            ))
    } else {
        Finding::ok("dmarc_alignment", name)
            .expected(format!("{mail_from} aligned with {domain}"))
            .found(format!("relaxed SPF alignment: {mail_from} aligns with {domain}"))
    }
}

/// The SES side: identity verified, DKIM signing, MAIL FROM associated, default configuration
/// set with a bounce/complaint destination, production access.
pub async fn ses(
    ses: &Ses,
    identity: &IdentityRecord,
    mail_from: &Domain,
) -> Result<(Vec<Finding>, Unsupported), Error> {
    let domain = identity.domain.as_str();
    let mut findings = Vec::new();
    let mut unsupported = Unsupported::new();
    findings.push(if identity.verified {
        Finding::ok("identity_verified", domain).expected("verified").found("verified")
    } else {
        Finding::fail("identity_verified", domain)
            .expected("verified")
            .found(match identity.verification_status.as_deref() {
                // Verification done, sending still refused (SES's VerifiedForSendingStatus).
                Some("SUCCESS") => "verification SUCCESS, but not verified for sending".to_owned(),
                Some(status) => status.to_owned(),
                None => "not verified".to_owned(),
            })
            .hint("publish the DKIM CNAMEs; SES verifies the domain within 72 hours of seeing them")
    });
    findings.push(if identity.dkim_signing {
        Finding::ok("dkim_signing", domain)
            .expected("signing on")
            .found(format!("signing on ({})", identity.dkim_status.as_deref().unwrap_or("status unknown")))
    } else {
        Finding::fail("dkim_signing", domain)
            .expected("signing on")
            .found(format!("signing off ({})", identity.dkim_status.as_deref().unwrap_or("status unknown")))
            .hint("SES turns DKIM signing on when the CNAMEs verify; check the dkim findings")
    });
    findings.push(match (&identity.mail_from, identity.mail_from_status.as_deref()) {
        (Some(found), Some("SUCCESS")) if found == mail_from.as_str() => {
            Finding::ok("mail_from", domain).expected(mail_from.as_str()).found(format!("{found} (SUCCESS)"))
        }
        (Some(found), status) if found == mail_from.as_str() => Finding::warn("mail_from", domain)
            .expected(mail_from.as_str())
            .found(format!("{found} ({})", status.unwrap_or("status unknown")))
            .hint("SES has not yet seen the MAIL FROM MX record; check the mail_from_mx finding"),
        (Some(found), _) => Finding::fail("mail_from", domain).expected(mail_from.as_str()).found(found.clone()).hint(
            format!("run `sesconfig setup {domain} --mail-from {mail_from}` (or check against --mail-from {found})"),
        ),
        (None, _) => Finding::fail("mail_from", domain)
            .expected(mail_from.as_str())
            .found("not set (mail goes out as amazonses.com: SPF never aligns)")
            .hint(format!("run `sesconfig setup {domain} --mail-from {mail_from}`")),
    });
    findings.push(match &identity.configuration_set {
        None => Finding::fail("configuration_set", domain)
            .expected("a default configuration set with a bounce and complaint destination")
            .found("none")
            .hint(format!("run `sesconfig setup {domain} --config-set NAME --events …`")),
        Some(set) => match ses.event_destinations(set).await {
            Ok(destinations)
                if destinations.iter().any(crate::identity::Destination::covers_bounces_and_complaints) =>
            {
                Finding::ok("configuration_set", set.as_str())
                    .expected("bounce and complaint destination")
                    .found(destinations.iter().map(|d| d.name.clone()).collect::<Vec<_>>().join(", "))
            }
            Ok(destinations) => Finding::fail("configuration_set", set.as_str())
                .expected("an enabled destination for BOUNCE and COMPLAINT events")
                .found(if destinations.is_empty() {
                    "no event destinations".to_owned()
                } else {
                    destinations.iter().map(|d| format!("{} {:?}", d.name, d.events)).collect::<Vec<_>>().join(", ")
                })
                .hint(format!("run `sesconfig setup {domain} --config-set {set} --events …`")),
            Err(Failure::Unsupported { api, endpoint }) => {
                unsupported.push(api);
                Finding::warn("configuration_set", set.as_str()).found(format!("not checked: {endpoint} has no {api}"))
            }
            Err(Failure::Error(e)) if e.exit() == opskit::Exit::NotFound => {
                Finding::fail("configuration_set", set.as_str())
                    .expected("the identity's default configuration set")
                    .found("it does not exist")
                    .hint(format!("run `sesconfig setup {domain} --config-set {set}` to create it again"))
            }
            Err(Failure::Error(e)) => return Err(e),
        },
    });
    findings.push(match ses.account().await {
        Ok(account) if account.access == "production" => {
            Finding::ok("sandbox", ses.region()).expected("production access").found("production access")
        }
        Ok(_) => Finding::fail("sandbox", ses.region())
            .expected("production access")
            .found("sandbox: mail goes only to verified addresses, 200 a day")
            .hint("run `sesconfig request-production --website URL --use-case \"…\"`"),
        Err(Failure::Unsupported { api, endpoint }) => {
            unsupported.push(api);
            Finding::warn("sandbox", ses.region()).found(format!("not checked: {endpoint} has no {api}"))
        }
        Err(Failure::Error(e)) => return Err(e),
    });
    Ok((findings, unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubling_candidates_and_what_was_appended() {
        let d = Domain::parse("app.example.gov").unwrap();
        assert_eq!(
            doubled_names("_dmarc.app.example.gov", &d),
            ["_dmarc.app.example.gov.app.example.gov", "_dmarc.app.example.gov.example.gov"]
        );
        assert_eq!(appended("t.dkim.amazonses.com.example.gov", "t.dkim.amazonses.com"), Some("example.gov"));
        assert_eq!(appended("t.dkim.amazonses.com", "t.dkim.amazonses.com"), None);
        assert_eq!(appended("t.dkim.amazonses.comx", "t.dkim.amazonses.com"), None);
    }
}
