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
fn doubled(name: &str, domain: &Domain) -> String {
    format!("{name}.{domain}")
}

async fn dkim(dns: &Dns, domain: &Domain, record: &DnsRecord) -> Result<Finding, Error> {
    let expected = crate::domain::normalise(&record.value);
    let base = Finding::fail("dkim", &record.name).expected(format!("CNAME {expected}"));
    Ok(match dns.cname(&record.name).await? {
        Answer::Records(targets) => {
            let found = targets[0].clone();
            if found == expected {
                Finding::ok("dkim", &record.name).expected(format!("CNAME {expected}")).found(format!("CNAME {found}"))
            } else if found == doubled(&expected, domain) {
                base.found(format!("CNAME {found}")).hint(format!(
                    "the domain is doubled in the value: enter it with a final dot ({expected}.) so the DNS console does not append {domain}"
                ))
            } else {
                base.found(format!("CNAME {found}"))
                    .hint(format!("point {} at {expected} (it points elsewhere)", record.name))
            }
        }
        Answer::NoData => base.found("no CNAME (the name has other records)").hint(format!(
            "replace what is at {} with a CNAME to {expected}",
            record.name
        )),
        Answer::NxDomain => match dns.cname(&doubled(&record.name, domain)).await? {
            Answer::Records(targets) => base
                .found(format!("CNAME {} at {}", targets[0], doubled(&record.name, domain)))
                .hint(format!(
                    "the domain is doubled in the name: the record is at {}; enter the name as {} (the console appends {domain})",
                    doubled(&record.name, domain),
                    record.name.strip_suffix(&format!(".{domain}")).unwrap_or(&record.name)
                )),
            _ => base.found("missing").hint(format!("create the CNAME {} → {expected}", record.name)),
        },
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
            } else if found.iter().any(|(_, h)| *h == doubled(&host, domain)) {
                base.found(shown).hint(format!("the domain is doubled in the value: enter {host}. with a final dot"))
            } else {
                base.found(shown).hint(format!("SES receives bounces only at {host}: replace the MX"))
            }
        }
        Answer::NoData | Answer::NxDomain => match dns.mx(&doubled(&record.name, domain)).await? {
            Answer::Records(_) => base
                .found(format!("MX at {}", doubled(&record.name, domain)))
                .hint(format!("the domain is doubled in the name: enter the name without {domain}")),
            _ => base.found("missing").hint(format!("create MX 10 {host} at {}", record.name)),
        },
    })
}

async fn mail_from_spf(dns: &Dns, domain: &Domain, record: &DnsRecord) -> Result<Finding, Error> {
    let report = spf::evaluate(dns, &record.name).await?;
    let base = Finding::fail("spf", &record.name).expected(record.value.clone());
    let Some(found) = report.record.clone() else {
        let at_doubled = dns.txt(&doubled(&record.name, domain)).await?;
        return Ok(if spf::spf_records(at_doubled.records()).is_empty() {
            base.found("missing").hint(format!("create TXT \"{}\" at {}", record.value, record.name))
        } else {
            base.found(format!("SPF at {}", doubled(&record.name, domain)))
                .hint(format!("the domain is doubled in the name: enter the name without {domain}"))
        });
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
            let at_doubled = dns.txt(&doubled(&record.name, domain)).await?;
            let finding = if dmarc_records(at_doubled.records()).is_empty() {
                base.found("missing").hint(format!("create TXT \"{}\" at {}", record.value, record.name))
            } else {
                base.found(format!("DMARC at {}", doubled(&record.name, domain)))
                    .hint(format!("the domain is doubled in the name: enter the name as _dmarc (without {domain})"))
            };
            (finding, None)
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
            .found(identity.verification_status.clone().unwrap_or_else(|| "not verified".into()))
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
