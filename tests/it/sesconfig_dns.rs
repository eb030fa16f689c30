//! `sesconfig check` against a real authoritative DNS server (NSD) serving the zones a team gets
//! wrong in the usual ways, with the expected records on stdin (`check -`: no AWS call, no
//! credentials). Each zone gives the right finding and exit code, and the SPF and DMARC verdicts
//! agree with checkdmarc's on the same zones.

use std::process::Output;

use serde_json::{Value, json};

use crate::support::dns::{DnsServer, PARENT, Zone, checkdmarc};
use crate::support::{Sandbox, stderr_of, stdout_of, unique};

const TOKENS: [&str; 3] =
    ["tok1abcdefghijklmnopqrstuvwxyz", "tok2abcdefghijklmnopqrstuvwxyz", "tok3abcdefghijklmnopqrstuvwxyz"];

/// A fresh domain under the test TLD.
fn domain() -> String {
    format!("{}.{PARENT}", unique("d"))
}

/// The records `sesconfig dns` prints for `domain` in us-east-1 with the test tokens.
fn expected(domain: &str) -> Vec<Value> {
    let mut out: Vec<Value> = TOKENS
        .iter()
        .map(|t| {
            json!({"kind": "dns_record", "name": format!("{t}._domainkey.{domain}"), "type": "CNAME",
                   "value": format!("{t}.dkim.amazonses.com"), "ttl": 1800, "purpose": "dkim"})
        })
        .collect();
    out.push(json!({"kind": "dns_record", "name": format!("mail.{domain}"), "type": "MX",
                    "value": "10 feedback-smtp.us-east-1.amazonses.com", "ttl": 1800, "purpose": "mail_from_mx"}));
    out.push(json!({"kind": "dns_record", "name": format!("mail.{domain}"), "type": "TXT",
                    "value": "v=spf1 include:amazonses.com ~all", "ttl": 1800, "purpose": "mail_from_spf"}));
    out.push(json!({"kind": "dns_record", "name": format!("_dmarc.{domain}"), "type": "TXT",
                    "value": "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.gov", "ttl": 1800, "purpose": "dmarc"}));
    out
}

fn ndjson(records: &[Value]) -> String {
    records.iter().map(|r| r.to_string() + "\n").collect()
}

/// Which parts of the correct zone to leave as they are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    DkimMissing,
    DoubledName,
    DoubledValue,
    MxWrongRegion,
    Spf11Lookups,
    DmarcMalformed,
    DmarcMissing,
}

/// The zone as a team publishes it, with one fault.
fn zone(domain: &str, fault: Fault) -> Zone {
    publish(Zone::new(domain), "", domain, fault)
}

/// The records of `domain` added to zone `z`, their names relative to it with `suffix`
/// (`""` when `domain` is the zone's apex, `".app"` for app.<zone>).
fn publish(mut z: Zone, suffix: &str, domain: &str, fault: Fault) -> Zone {
    for (i, t) in TOKENS.iter().enumerate() {
        let target = format!("{t}.dkim.amazonses.com.");
        z = match (fault, i) {
            (Fault::DkimMissing, 1) => z,
            // A full name typed where the console appends the zone.
            (Fault::DoubledName, 0) => z.record(&format!("{t}._domainkey.{domain}"), "CNAME", &target),
            // A value typed without its final dot: the zone is appended to it.
            (Fault::DoubledValue, 2) => {
                z.record(&format!("{t}._domainkey{suffix}"), "CNAME", &format!("{t}.dkim.amazonses.com"))
            }
            _ => z.record(&format!("{t}._domainkey{suffix}"), "CNAME", &target),
        };
    }
    let region = if fault == Fault::MxWrongRegion { "eu-west-1" } else { "us-east-1" };
    let mail = format!("mail{suffix}");
    z = z.record(&mail, "MX", &format!("10 feedback-smtp.{region}.amazonses.com."));
    if fault == Fault::Spf11Lookups {
        // amazonses.com (1) + s1 (1) + s1's nine includes (9) = 11.
        let nine: Vec<String> = (1..=9).map(|i| format!("include:n{i}.{domain}")).collect();
        let nine = nine.join(" ");
        z = z
            .txt("mail", &format!("v=spf1 include:amazonses.com include:s1.{domain} ~all"))
            .txt("s1", &format!("v=spf1 {nine} -all"));
        for i in 1..=9 {
            z = z.txt(&format!("n{i}{suffix}"), &format!("v=spf1 ip4:192.0.2.{i} -all"));
        }
    } else {
        z = z.txt(&mail, "v=spf1 include:amazonses.com ~all");
    }
    match fault {
        Fault::DmarcMissing => z,
        Fault::DmarcMalformed => z.txt(&format!("_dmarc{suffix}"), "v=DMARC1; p=block; rua=dmarc@example.gov"),
        _ => z.txt(&format!("_dmarc{suffix}"), "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.gov"),
    }
}

struct Checked {
    out: Output,
    findings: Vec<Value>,
}

impl Checked {
    fn code(&self) -> Option<i32> {
        self.out.status.code()
    }

    fn finding(&self, check: &str, name: &str) -> &Value {
        self.findings
            .iter()
            .find(|f| f["check"] == check && f["name"] == name)
            .unwrap_or_else(|| panic!("no {check} finding for {name} in {:#?}", self.findings))
    }

    fn status(&self, check: &str, name: &str) -> &str {
        self.finding(check, name)["status"].as_str().unwrap()
    }

    fn failed(&self) -> Vec<(String, String)> {
        self.findings
            .iter()
            .filter(|f| f["status"] == "fail")
            .map(|f| (f["check"].as_str().unwrap().to_owned(), f["name"].as_str().unwrap().to_owned()))
            .collect()
    }
}

/// `sesconfig check DOMAIN - --resolver SERVER` with the expected records on stdin, in a
/// sandbox without any AWS settings (check - makes no AWS call).
fn check(server: &DnsServer, domain: &str, extra: &[&str]) -> Checked {
    let sb = Sandbox::new();
    let out = sb
        .tool("sesconfig")
        .args(["check", domain, "-", "--resolver", &server.addr(), "-o", "ndjson"])
        .args(extra)
        .write_stdin(ndjson(&expected(domain)))
        .output()
        .unwrap();
    let findings = stdout_of(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    Checked { out, findings }
}

/// Our SPF and DMARC verdicts are checkdmarc's on the same zone.
fn agrees_with_checkdmarc(server: &DnsServer, domain: &str, c: &Checked) {
    let ((spf_valid, spf_error), (dmarc_valid, dmarc_error)) = checkdmarc(server, &format!("mail.{domain}"), domain);
    let ours_spf = c.status("spf", &format!("mail.{domain}")) != "fail";
    let ours_dmarc = c.status("dmarc", &format!("_dmarc.{domain}")) != "fail";
    assert_eq!(
        ours_spf,
        spf_valid,
        "SPF: checkdmarc says {spf_valid} ({spf_error}); we say {:#}",
        c.finding("spf", &format!("mail.{domain}"))
    );
    assert_eq!(
        ours_dmarc,
        dmarc_valid,
        "DMARC: checkdmarc says {dmarc_valid} ({dmarc_error}); we say {:#}",
        c.finding("dmarc", &format!("_dmarc.{domain}"))
    );
}

#[test]
fn correct_zone_passes_every_check_and_checkdmarc_agrees() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::None)]);
    let c = check(&server, &d, &[]);
    assert_eq!(c.code(), Some(0), "{}", stderr_of(&c.out));
    assert_eq!(c.failed(), Vec::<(String, String)>::new());
    // Three DKIM CNAMEs, MX, SPF, DMARC, DMARC alignment.
    assert_eq!(c.findings.len(), 7, "{:#?}", c.findings);
    assert!(c.findings.iter().all(|f| f["status"] == "ok"), "{:#?}", c.findings);
    let spf = c.finding("spf", &format!("mail.{d}"));
    assert_eq!(spf["found"], "v=spf1 include:amazonses.com ~all (1 DNS lookups)");
    assert!(stderr_of(&c.out).contains("all 7 checks passed"), "{}", stderr_of(&c.out));
    agrees_with_checkdmarc(&server, &d, &c);
}

#[test]
fn one_dkim_cname_missing_is_named_alone() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::DkimMissing)]);
    let c = check(&server, &d, &[]);
    assert_eq!(c.code(), Some(1), "{}", stderr_of(&c.out));
    let missing = format!("{}._domainkey.{d}", TOKENS[1]);
    assert_eq!(c.failed(), vec![("dkim".to_owned(), missing.clone())]);
    assert_eq!(c.finding("dkim", &missing)["found"], "missing");
    assert_eq!(c.status("dkim", &format!("{}._domainkey.{d}", TOKENS[0])), "ok");
    assert!(stderr_of(&c.out).contains("1 of 7 checks failed"), "{}", stderr_of(&c.out));
    agrees_with_checkdmarc(&server, &d, &c);
}

#[test]
fn domain_doubled_in_a_name_is_found_and_named() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::DoubledName)]);
    let c = check(&server, &d, &[]);
    assert_eq!(c.code(), Some(1), "{}", stderr_of(&c.out));
    let name = format!("{}._domainkey.{d}", TOKENS[0]);
    assert_eq!(c.failed(), vec![("dkim".to_owned(), name.clone())]);
    let f = c.finding("dkim", &name);
    assert_eq!(f["found"], format!("CNAME {}.dkim.amazonses.com at {name}.{d}", TOKENS[0]));
    assert!(f["hint"].as_str().unwrap().contains("doubled in the name"), "{f}");
    agrees_with_checkdmarc(&server, &d, &c);
}

#[test]
fn domain_doubled_in_a_value_is_found_and_named() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::DoubledValue)]);
    let c = check(&server, &d, &[]);
    assert_eq!(c.code(), Some(1), "{}", stderr_of(&c.out));
    let name = format!("{}._domainkey.{d}", TOKENS[2]);
    assert_eq!(c.failed(), vec![("dkim".to_owned(), name.clone())]);
    let f = c.finding("dkim", &name);
    assert_eq!(f["found"], format!("CNAME {}.dkim.amazonses.com.{d}", TOKENS[2]));
    assert!(f["hint"].as_str().unwrap().contains("doubled in the value"), "{f}");
    agrees_with_checkdmarc(&server, &d, &c);
}

#[test]
fn mail_from_mx_in_the_wrong_region() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::MxWrongRegion)]);
    let c = check(&server, &d, &[]);
    assert_eq!(c.code(), Some(1), "{}", stderr_of(&c.out));
    let name = format!("mail.{d}");
    assert_eq!(c.failed(), vec![("mail_from_mx".to_owned(), name.clone())]);
    let f = c.finding("mail_from_mx", &name);
    assert_eq!(f["found"], "MX 10 feedback-smtp.eu-west-1.amazonses.com");
    assert!(
        f["hint"]
            .as_str()
            .unwrap()
            .starts_with("wrong region: the MX names eu-west-1, but the identity sends from us-east-1"),
        "{f}"
    );
    agrees_with_checkdmarc(&server, &d, &c);
}

#[test]
fn spf_with_11_lookups_fails_as_checkdmarc_says() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::Spf11Lookups)]);
    let c = check(&server, &d, &[]);
    assert_eq!(c.code(), Some(1), "{}", stderr_of(&c.out));
    let name = format!("mail.{d}");
    assert_eq!(c.failed(), vec![("spf".to_owned(), name.clone())]);
    let f = c.finding("spf", &name);
    assert!(f["found"].as_str().unwrap().ends_with("(11 DNS lookups)"), "{f}");
    assert!(
        f["hint"].as_str().unwrap().starts_with("11 DNS lookups (through includes and redirects): more than the 10"),
        "{f}"
    );
    agrees_with_checkdmarc(&server, &d, &c);
}

#[test]
fn malformed_dmarc_says_why() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::DmarcMalformed)]);
    let c = check(&server, &d, &[]);
    assert_eq!(c.code(), Some(1), "{}", stderr_of(&c.out));
    let name = format!("_dmarc.{d}");
    assert_eq!(c.failed(), vec![("dmarc".to_owned(), name.clone())]);
    let f = c.finding("dmarc", &name);
    assert_eq!(f["found"], "v=DMARC1; p=block; rua=dmarc@example.gov");
    assert!(f["hint"].as_str().unwrap().contains("p=block: expected none or quarantine or reject"), "{f}");
    agrees_with_checkdmarc(&server, &d, &c);
}

#[test]
fn missing_dmarc_fails() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::DmarcMissing)]);
    let c = check(&server, &d, &[]);
    assert_eq!(c.code(), Some(1), "{}", stderr_of(&c.out));
    let name = format!("_dmarc.{d}");
    assert_eq!(c.failed(), vec![("dmarc".to_owned(), name.clone())]);
    assert_eq!(c.finding("dmarc", &name)["found"], "missing");
    agrees_with_checkdmarc(&server, &d, &c);
}

/// The zone is right at the DNS provider, but the parent never delegated to it: the world's
/// name servers do not know the domain, and --authoritative says so.
#[test]
fn zone_not_delegated_is_said_with_authoritative() {
    let d = domain();
    let provider = DnsServer::start(&[zone(&d, Fault::None)]);
    let world = DnsServer::start(&[zone(&d, Fault::None).undelegated()]);
    // At the provider's server, every record is right.
    assert_eq!(check(&provider, &d, &[]).code(), Some(0));
    // Asked as the world asks, through the zone's own name servers: not delegated.
    let c = check(&world, &d, &["--authoritative"]);
    assert_eq!(c.code(), Some(1), "{}", stderr_of(&c.out));
    let f = c.finding("delegation", &d);
    assert_eq!(f["status"], "fail");
    assert!(f["found"].as_str().unwrap().contains("does not exist at sestest's name servers"), "{f}");
    assert!(f["found"].as_str().unwrap().contains("the zone is not delegated"), "{f}");
    assert!(c.findings.iter().filter(|f| f["check"] == "dkim").all(|f| f["found"] == "missing"));
    agrees_with_checkdmarc(&world, &d, &c);
}

#[test]
fn authoritative_asks_the_zones_own_name_servers() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::None)]);
    let c = check(&server, &d, &["--authoritative"]);
    assert_eq!(c.code(), Some(0), "{}", stderr_of(&c.out));
    let f = c.finding("delegation", &d);
    assert_eq!(f["status"], "ok");
    assert_eq!(f["found"], format!("zone {d} at ns.{d}"));
    assert!(
        stderr_of(&c.out).contains(&format!("DNS asked: {d}'s name servers ({})", server.ip)),
        "{}",
        stderr_of(&c.out)
    );
}

#[test]
fn an_unreachable_resolver_is_69_naming_its_address() {
    let d = domain();
    let sb = Sandbox::new();
    let out = sb
        .tool("sesconfig")
        .args(["check", &d, "-", "--resolver", "127.0.0.1:9"])
        .write_stdin(ndjson(&expected(&d)))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(69), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.starts_with("sesconfig: error: DNS: no usable answer from 127.0.0.1:9 for "), "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
}

#[test]
fn malformed_records_on_stdin_are_65_naming_the_record() {
    let d = domain();
    let sb = Sandbox::new();
    let mut records = expected(&d);
    records[3]["purpose"] = json!("mx");
    let out = sb
        .tool("sesconfig")
        .args(["check", &d, "-", "--resolver", "127.0.0.1:9"])
        .write_stdin(ndjson(&records))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65), "{}", stderr_of(&out));
    assert_eq!(
        stderr_of(&out),
        "sesconfig: error: stdin: record 4 (`dns_record`): unknown purpose `mx` (one of dkim, mail_from_mx, mail_from_spf, dmarc)\n"
    );
    let out = sb
        .tool("sesconfig")
        .args(["check", &d, "-"])
        .write_stdin("{\"kind\":\"dns_record\",\"name\":")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(stderr_of(&out).starts_with("sesconfig: error: stdin: record 1: malformed JSON"), "{}", stderr_of(&out));
    let out = sb.tool("sesconfig").args(["check", &d, "-"]).write_stdin("{\"kind\":\"finding\"}").output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(stderr_of(&out).contains("record 1 is a `finding` record; sesconfig check takes `dns_record` records"));
    let other = expected("other.sestest");
    let out = sb.tool("sesconfig").args(["check", &d, "-"]).write_stdin(ndjson(&other)).output().unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(
        stderr_of(&out).contains(&format!(
            "record 1 (`dns_record`): `{}._domainkey.other.sestest` is not a name under {d}",
            TOKENS[0]
        )),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn not_a_domain_is_a_usage_error() {
    let sb = Sandbox::new();
    for (bad, why) in [
        ("localhost", "a domain has at least two labels (example.gov)"),
        ("user@example.gov", "it is an email address; give the part after the @"),
        ("exa mple.gov", "labels hold letters, digits and hyphens only"),
    ] {
        let out = sb.tool("sesconfig").args(["check", bad, "-"]).write_stdin("").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert_eq!(stderr_of(&out), format!("sesconfig: error: `{bad}` is not a domain name: {why}\n"));
    }
    let out =
        sb.tool("sesconfig").args(["check", "example.gov", "-", "--resolver", "ns1.example.gov"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("`ns1.example.gov` is not IP[:PORT]"), "{}", stderr_of(&out));
}

/// What a person sees: one table of findings, statuses and hints readable at a terminal.
#[test]
fn findings_table_at_a_terminal() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::MxWrongRegion)]);
    let sb = Sandbox::new();
    let input = sb.write("records.ndjson", &ndjson(&expected(&d)));
    let mut cmd = sb.std_command("sh");
    cmd.args([
        "-c",
        &format!(
            "'{}' check {d} - --resolver {} < '{}'",
            crate::support::bin("sesconfig").display(),
            server.addr(),
            input.display()
        ),
    ]);
    let (status, screen) = crate::support::pty::Pty::spawn(cmd, 200).finish();
    assert_eq!(status.code(), Some(1), "{screen}");
    // The header is bold at a terminal.
    let header = screen.lines().find(|l| l.contains("CHECK")).unwrap_or_else(|| panic!("{screen}"));
    assert!(header.starts_with("\x1b[1mCHECK"), "{header:?}");
    let header = header.trim_start_matches("\x1b[1m").trim_end_matches("\x1b[0m");
    assert!(header.split_whitespace().eq(["CHECK", "NAME", "STATUS", "FOUND", "HINT"]), "{header}");
    let mx = screen.lines().find(|l| l.starts_with("mail_from_mx")).unwrap();
    assert!(mx.contains(" fail ") && mx.contains("wrong region"), "{mx}");
    assert!(screen.contains("1 of 7 checks failed"), "{screen}");
}

/// `[sesconfig]` in opskit.toml names the domain; a key it does not know is an error naming
/// file and line.
#[test]
fn opskit_toml_gives_the_domain_and_unknown_keys_are_refused() {
    let d = domain();
    let server = DnsServer::start(&[zone(&d, Fault::None)]);
    let sb = Sandbox::new();
    sb.write(
        "opskit.toml",
        &format!("app = \"casetracker\"\n\n[sesconfig]\ndomain = \"{d}\"\ndmarc_policy = \"quarantine\"\n"),
    );
    let out = sb
        .tool("sesconfig")
        .args(["check", "-", "--resolver", &server.addr()])
        .write_stdin(ndjson(&expected(&d)))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out).lines().count(), 7);
    sb.write("opskit.toml", "app = \"casetracker\"\n\n[sesconfig]\ndomian = \"example.gov\"\n");
    let out = sb.tool("sesconfig").args(["check", "-"]).write_stdin("").output().unwrap();
    assert_eq!(out.status.code(), Some(78));
    assert!(
        stderr_of(&out).starts_with(&format!(
            "sesconfig: error: {}:4: unknown field `domian`",
            sb.path().join("opskit.toml").display()
        )),
        "{}",
        stderr_of(&out)
    );
}

/// A subdomain without a DMARC record of its own is covered by its organizational domain's
/// (RFC 7489 6.6.3), as receivers and checkdmarc see it.
#[test]
fn a_subdomain_without_dmarc_is_covered_by_the_organizational_domains() {
    let org = domain();
    let app = format!("app.{org}");
    let z =
        publish(Zone::new(&org), ".app", &app, Fault::DmarcMissing).txt("_dmarc", "v=DMARC1; p=reject; sp=quarantine");
    let server = DnsServer::start(&[z]);
    let c = check(&server, &app, &[]);
    assert_eq!(c.code(), Some(0), "{:?} {}", c.failed(), stderr_of(&c.out));
    let f = c.finding("dmarc", &format!("_dmarc.{app}"));
    assert_eq!(f["status"], "ok");
    assert_eq!(f["found"], format!("none here; _dmarc.{org} covers subdomains: v=DMARC1; p=reject; sp=quarantine"));
    assert!(
        f["hint"].as_str().unwrap().starts_with(&format!("subdomains get _dmarc.{org}'s policy (quarantine)")),
        "{f}"
    );
    agrees_with_checkdmarc(&server, &app, &c);
}

/// A subdomain's records kept in its parent's zone: the console appends the parent, and the
/// doubling is found there too.
#[test]
fn doubling_in_a_parent_zone_is_found_for_a_subdomain() {
    let org = domain();
    let (named, valued) = (format!("a.{org}"), format!("b.{org}"));
    let z = publish(Zone::new(&org), ".a", &named, Fault::DoubledName);
    let z = publish(z, ".b", &valued, Fault::DoubledValue);
    let server = DnsServer::start(&[z]);
    let c = check(&server, &named, &[]);
    let name = format!("{}._domainkey.{named}", TOKENS[0]);
    assert_eq!(c.failed(), vec![("dkim".to_owned(), name.clone())], "{}", stderr_of(&c.out));
    let f = c.finding("dkim", &name);
    assert_eq!(f["found"], format!("CNAME {}.dkim.amazonses.com at {name}.{org}", TOKENS[0]));
    assert!(f["hint"].as_str().unwrap().contains(&format!("(the console appends {org})")), "{f}");
    let c = check(&server, &valued, &[]);
    let name = format!("{}._domainkey.{valued}", TOKENS[2]);
    assert_eq!(c.failed(), vec![("dkim".to_owned(), name.clone())], "{}", stderr_of(&c.out));
    let f = c.finding("dkim", &name);
    assert_eq!(f["found"], format!("CNAME {}.dkim.amazonses.com.{org}", TOKENS[2]));
    assert!(f["hint"].as_str().unwrap().ends_with(&format!("does not append {org}")), "{f}");
}

/// Warnings are not failures: a policy weaker than the one asked for, and strict SPF alignment
/// (which SES's MAIL FROM subdomain can never meet), are named, and check still exits 0.
#[test]
fn a_weaker_policy_and_strict_spf_alignment_are_warnings() {
    let d = domain();
    let z = publish(Zone::new(&d), "", &d, Fault::DmarcMissing).txt("_dmarc", "v=DMARC1; p=none; aspf=s");
    let server = DnsServer::start(&[z]);
    let c = check(&server, &d, &[]);
    assert_eq!(c.code(), Some(0), "{}", stderr_of(&c.out));
    let name = format!("_dmarc.{d}");
    assert_eq!(c.status("dmarc", &name), "warn");
    assert_eq!(c.finding("dmarc", &name)["hint"], "the policy p=none is weaker than the p=quarantine asked for");
    let alignment = c.finding("dmarc_alignment", &name);
    assert_eq!(alignment["status"], "warn");
    assert_eq!(alignment["found"], "aspf=s (strict)");
    assert!(stderr_of(&c.out).contains("all 7 checks passed (2 warnings)"), "{}", stderr_of(&c.out));
    agrees_with_checkdmarc(&server, &d, &c);
}
