//! SPF (RFC 7208) as a sender's setup needs it checked: one record, well formed, authorising
//! SES (`include:amazonses.com`, directly or through other includes), and within the limit of
//! 10 DNS-querying terms, counted through every include and redirect as section 4.6.4 says.

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, Ipv6Addr};

use opskit::Error;

use super::{Answer, Dns};

/// RFC 7208 4.6.4: at most 10 terms that cause DNS queries.
pub const MAX_LOOKUPS: usize = 10;
/// RFC 7208 4.6.4: at most 2 of those may find nothing ("void lookups").
pub const MAX_VOID_LOOKUPS: usize = 2;
/// The include that authorises SES to send for a MAIL FROM domain.
pub const SES_INCLUDE: &str = "amazonses.com";

/// What evaluating a domain's SPF found.
#[derive(Clone, Debug, Default)]
pub struct SpfReport {
    /// The domain's own record, as published.
    pub record: Option<String>,
    /// DNS-querying terms, through includes and redirects.
    pub lookups: usize,
    pub void_lookups: usize,
    /// Whether SES is authorised (`include:amazonses.com` somewhere in the tree).
    pub includes_ses: bool,
    /// What makes the record fail (a permerror, in RFC terms).
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// The `v=spf1` records among a name's TXT records.
pub fn spf_records(txt: &[String]) -> Vec<&String> {
    txt.iter()
        .filter(|t| {
            let lower = t.to_ascii_lowercase();
            lower == "v=spf1" || lower.starts_with("v=spf1 ")
        })
        .collect()
}

/// Evaluate `domain`'s SPF record and everything it includes.
pub async fn evaluate(dns: &Dns, domain: &str) -> Result<SpfReport, Error> {
    let mut report = SpfReport::default();
    let mut seen = BTreeSet::new();
    let records = fetch(dns, domain).await?;
    match records.as_slice() {
        [] => return Ok(report),
        [one] => report.record = Some(one.clone()),
        many => {
            report.record = Some(many[0].clone());
            report.errors.push(format!("{domain} has {} SPF records; RFC 7208 allows one", many.len()));
            return Ok(report);
        }
    }
    let record = report.record.clone().unwrap_or_default();
    walk(dns, domain, &record, &mut report, &mut seen, 0).await?;
    if report.lookups > MAX_LOOKUPS {
        report.errors.insert(
            0,
            format!(
                "{} DNS lookups (through includes and redirects): more than the {MAX_LOOKUPS} RFC 7208 allows",
                report.lookups
            ),
        );
    }
    if report.void_lookups > MAX_VOID_LOOKUPS {
        report.errors.push(format!(
            "{} lookups found nothing: more than the {MAX_VOID_LOOKUPS} RFC 7208 allows",
            report.void_lookups
        ));
    }
    Ok(report)
}

async fn fetch(dns: &Dns, domain: &str) -> Result<Vec<String>, Error> {
    Ok(match dns.txt(domain).await? {
        Answer::Records(txt) => spf_records(&txt).into_iter().cloned().collect(),
        Answer::NoData | Answer::NxDomain => Vec::new(),
    })
}

/// One record's terms; includes and redirects are followed (each counted once where it appears).
async fn walk(
    dns: &Dns,
    domain: &str,
    record: &str,
    report: &mut SpfReport,
    seen: &mut BTreeSet<String>,
    depth: usize,
) -> Result<(), Error> {
    if depth > MAX_LOOKUPS || !seen.insert(domain.to_ascii_lowercase()) {
        report.errors.push(format!("{domain}: include loop"));
        return Ok(());
    }
    let mut redirect = None;
    let mut has_all = false;
    for term in record.split_whitespace().skip(1) {
        let body = term.strip_prefix(['+', '-', '~', '?']).unwrap_or(term);
        let lower = body.to_ascii_lowercase();
        // A modifier is name=value where the name comes before any `:` or `/`.
        if let Some((name, value)) = lower.split_once('=')
            && !name.contains([':', '/'])
        {
            match name {
                "redirect" => redirect = Some(value.to_owned()),
                "exp" => {}
                _ if name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) => {
                    report.warnings.push(format!("{domain}: unknown modifier `{name}` is ignored"));
                }
                _ => report.errors.push(format!("{domain}: `{term}` is not a valid SPF term")),
            }
            continue;
        }
        let (mechanism, argument) = match lower.split_once([':', '/']) {
            Some((m, _)) => (m, lower[m.len()..].trim_start_matches(':')),
            None => (lower.as_str(), ""),
        };
        match mechanism {
            "all" => has_all = true,
            "include" => {
                report.lookups += 1;
                if argument.is_empty() {
                    report.errors.push(format!("{domain}: `include` without a domain"));
                } else if argument.contains('%') {
                    // A macro is expanded per message: nothing to follow here.
                } else {
                    if argument == SES_INCLUDE {
                        report.includes_ses = true;
                    }
                    let target = argument.to_owned();
                    match fetch(dns, &target).await?.as_slice() {
                        [] => {
                            report.void_lookups += 1;
                            report.errors.push(format!("{domain}: include:{target} has no SPF record"));
                        }
                        [one] => Box::pin(walk(dns, &target, one, report, seen, depth + 1)).await?,
                        _ => report.errors.push(format!("{domain}: include:{target} has more than one SPF record")),
                    }
                }
            }
            "a" | "mx" | "exists" => report.lookups += 1,
            "ptr" => {
                report.lookups += 1;
                report.warnings.push(format!("{domain}: `ptr` is slow and discouraged (RFC 7208 5.5)"));
            }
            "ip4" => {
                let ip = argument.split('/').next().unwrap_or_default();
                if ip.parse::<Ipv4Addr>().is_err() {
                    report.errors.push(format!("{domain}: `{term}` is not an IPv4 address or network"));
                }
            }
            "ip6" => {
                let ip = argument.split('/').next().unwrap_or_default();
                if ip.parse::<Ipv6Addr>().is_err() {
                    report.errors.push(format!("{domain}: `{term}` is not an IPv6 address or network"));
                }
            }
            _ => report.errors.push(format!("{domain}: unknown SPF mechanism `{term}`")),
        }
    }
    // RFC 7208 6.1: a redirect is used only when the record has no `all`; used, it counts.
    if let Some(target) = redirect
        && !has_all
        && !target.contains('%')
    {
        report.lookups += 1;
        if target == SES_INCLUDE {
            report.includes_ses = true;
        }
        match fetch(dns, &target).await?.as_slice() {
            [] => {
                report.void_lookups += 1;
                report.errors.push(format!("{domain}: redirect={target} has no SPF record"));
            }
            [one] => Box::pin(walk(dns, &target, one, report, seen, depth + 1)).await?,
            _ => report.errors.push(format!("{domain}: redirect={target} has more than one SPF record")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_spf_records() {
        let txt = vec!["v=spf1 -all".to_owned(), "google-site-verification=x".to_owned(), "v=spf10".to_owned()];
        assert_eq!(spf_records(&txt), vec!["v=spf1 -all"]);
    }
}
