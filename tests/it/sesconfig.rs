//! sesconfig against the moto server for the SES APIs it has (identities, configuration sets,
//! sending), the AWS CLI as a second client, and a real DNS server (NSD) for what DNS holds.
//! Where moto lacks an operation (SESv2 event destinations, default configuration set, MAIL
//! FROM, suppression, GetAccount, PutAccountDetails), the tool's own behaviour against such an
//! endpoint is what is tested here: every step it can, each missing one named, exit 69. The
//! responses of those operations are tested with aws-smithy-mocks in tools/sesconfig.

use std::process::Output;

use serde_json::Value;

use crate::support::dns::{DnsServer, PARENT, Zone};
use crate::support::{Sandbox, stderr_of, stdout_of, unique};

const UNSUPPORTED_ON_MOTO: [&str; 4] = [
    "CreateConfigurationSetEventDestination",
    "PutEmailIdentityConfigurationSetAttributes",
    "PutEmailIdentityMailFromAttributes",
    "PutAccountSuppressionAttributes",
];

fn domain() -> String {
    format!("{}.{PARENT}", unique("ses"))
}

fn records(out: &Output) -> Vec<Value> {
    stdout_of(out).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

fn of_kind<'a>(records: &'a [Value], kind: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["kind"] == kind).collect()
}

/// The DKIM tokens as the AWS CLI reads them (SES v1), for the same identity.
fn cli_tokens(sb: &Sandbox, domain: &str) -> Vec<String> {
    let out = sb.aws_cli().args(["ses", "get-identity-dkim-attributes", "--identities", domain]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["DkimAttributes"][domain]["DkimTokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect()
}

fn identity_exists(sb: &Sandbox, domain: &str) -> bool {
    sb.aws_cli().args(["sesv2", "get-email-identity", "--email-identity", domain]).output().unwrap().status.success()
}

/// A DNS server with no zone of the domain: lookups of an existing DMARC record find nothing,
/// at once (the system's resolver is never asked in tests).
fn empty_dns() -> DnsServer {
    DnsServer::start(&[])
}

fn setup(sb: &Sandbox, dns: &DnsServer, domain: &str, extra: &[&str]) -> Output {
    sb.tool("sesconfig")
        .args(["setup", domain, "--resolver", &dns.addr(), "-o", "ndjson"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn setup_does_every_step_moto_has_names_the_others_and_exits_69() {
    let sb = Sandbox::aws();
    let dns = empty_dns();
    let d = domain();
    let set = unique("set");
    let out = setup(
        &sb,
        &dns,
        &d,
        &["--config-set", &set, "--dmarc-policy", "quarantine", "--dmarc-rua", &format!("mailto:dmarc@{d}")],
    );
    assert_eq!(out.status.code(), Some(69), "{}", stderr_of(&out));
    let recs = records(&out);
    let steps: Vec<(&str, &str)> =
        of_kind(&recs, "step").iter().map(|s| (s["api"].as_str().unwrap(), s["status"].as_str().unwrap())).collect();
    assert_eq!(
        steps,
        [
            ("CreateEmailIdentity", "done"),
            ("CreateConfigurationSet", "done"),
            ("CreateConfigurationSetEventDestination", "unsupported"),
            ("PutEmailIdentityConfigurationSetAttributes", "unsupported"),
            ("PutEmailIdentityMailFromAttributes", "unsupported"),
            ("PutAccountSuppressionAttributes", "unsupported"),
        ]
    );
    // What it did, the AWS CLI sees.
    assert!(identity_exists(&sb, &d));
    let cs = sb.aws_cli().args(["sesv2", "get-configuration-set", "--configuration-set-name", &set]).output().unwrap();
    assert!(cs.status.success(), "{}", stderr_of(&cs));
    // It still ends with the identity as SES has it and the DNS records, the DKIM CNAMEs from
    // the tokens SES has.
    let tokens = cli_tokens(&sb, &d);
    assert_eq!(tokens.len(), 3);
    let identity = of_kind(&recs, "identity");
    assert_eq!(identity.len(), 1);
    assert_eq!(identity[0]["domain"], d.as_str());
    assert_eq!(identity[0]["region"], "us-east-1");
    assert_eq!(identity[0]["dkim_tokens"], serde_json::json!(tokens));
    let dns_records = of_kind(&recs, "dns_record");
    let cnames: Vec<&str> =
        dns_records.iter().filter(|r| r["purpose"] == "dkim").map(|r| r["value"].as_str().unwrap()).collect();
    assert_eq!(cnames, tokens.iter().map(|t| format!("{t}.dkim.amazonses.com")).collect::<Vec<_>>());
    let dmarc = dns_records.iter().find(|r| r["purpose"] == "dmarc").unwrap();
    assert_eq!(dmarc["value"], format!("v=DMARC1; p=quarantine; rua=mailto:dmarc@{d}"));
    let err = stderr_of(&out);
    assert_eq!(
        err.lines().next().unwrap(),
        format!(
            "sesconfig: error: setup of {d} incomplete: the endpoint does not support {}",
            UNSUPPORTED_ON_MOTO.join(", ")
        )
    );
    assert!(err.lines().nth(1).unwrap().starts_with("  hint: every other step was done"), "{err}");
}

#[test]
fn setup_again_changes_nothing_it_already_did() {
    let sb = Sandbox::aws();
    let dns = empty_dns();
    let d = domain();
    let set = unique("set");
    assert_eq!(setup(&sb, &dns, &d, &["--config-set", &set]).status.code(), Some(69));
    let tokens = cli_tokens(&sb, &d);
    let again = setup(&sb, &dns, &d, &["--config-set", &set]);
    assert_eq!(again.status.code(), Some(69), "{}", stderr_of(&again));
    let recs = records(&again);
    let steps: Vec<(&str, &str)> = of_kind(&recs, "step")
        .iter()
        .take(2)
        .map(|s| (s["part"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(steps, [("identity", "unchanged"), ("configuration_set", "unchanged")]);
    assert_eq!(cli_tokens(&sb, &d), tokens, "the identity was not made anew");
}

#[test]
fn setup_dry_run_lists_the_calls_and_changes_nothing() {
    let sb = Sandbox::aws();
    let d = domain();
    let out = sb
        .tool("sesconfig")
        .args(["--dry-run", "setup", &d, "--config-set", "x", "--events", "cloudwatch", "-o", "ndjson"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let recs = records(&out);
    assert!(recs.iter().all(|r| r["kind"] == "step" && r["status"] == "planned"), "{recs:#?}");
    let apis: Vec<&str> = recs.iter().map(|r| r["api"].as_str().unwrap()).collect();
    assert_eq!(apis[0], "CreateEmailIdentity");
    assert_eq!(apis.len(), 6);
    assert!(recs[2]["target"].as_str().unwrap().contains("CloudWatch"), "{:#}", recs[2]);
    assert!(!identity_exists(&sb, &d), "a dry run created the identity");
}

#[test]
fn dns_takes_tokens_from_ses_v1_when_sesv2_has_none_and_the_mx_from_the_region() {
    let mut sb = Sandbox::aws();
    sb.set("AWS_REGION", "eu-west-1");
    let dns = empty_dns();
    let d = domain();
    setup(&sb, &dns, &d, &[]);
    // SESv2 (as moto answers it) has no tokens; SES v1 has them for the same identity.
    let v2 = sb.aws_cli().args(["sesv2", "get-email-identity", "--email-identity", &d]).output().unwrap();
    let v2: Value = serde_json::from_slice(&v2.stdout).unwrap();
    assert!(v2["DkimAttributes"].get("Tokens").is_none_or(|t| t.as_array().unwrap().is_empty()));
    let out = sb
        .tool("sesconfig")
        .args(["dns", &d, "--mail-from", &format!("bounce.{d}"), "--resolver", &dns.addr()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let recs = records(&out);
    let tokens = cli_tokens(&sb, &d);
    let names: Vec<String> =
        recs.iter().filter(|r| r["purpose"] == "dkim").map(|r| r["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, tokens.iter().map(|t| format!("{t}._domainkey.{d}")).collect::<Vec<_>>());
    let mx = recs.iter().find(|r| r["purpose"] == "mail_from_mx").unwrap();
    assert_eq!(mx["name"], format!("bounce.{d}"));
    assert_eq!(mx["value"], "10 feedback-smtp.eu-west-1.amazonses.com");
    assert!(recs.iter().all(|r| r["ttl"] == 1800 && r.as_object().unwrap().keys().next().unwrap() == "kind"));
}

#[test]
fn dns_keeps_an_existing_stricter_dmarc_policy() {
    let sb = Sandbox::aws();
    let d = domain();
    let existing = Zone::new(&d).txt("_dmarc", "v=DMARC1; p=reject; adkim=s; rua=mailto:old@example.gov");
    let dns = DnsServer::start(&[existing]);
    setup(&sb, &dns, &d, &[]);
    let out = sb
        .tool("sesconfig")
        .args(["dns", &d, "--dmarc-policy", "none", "--dmarc-rua", "mailto:new@example.gov", "--resolver", &dns.addr()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let dmarc = records(&out).into_iter().find(|r| r["purpose"] == "dmarc").unwrap();
    assert_eq!(dmarc["value"], "v=DMARC1; p=reject; adkim=s; rua=mailto:old@example.gov,mailto:new@example.gov");
}

/// `dns --format bind` is a zone NSD loads; checked there against SES's own expectations, every
/// DNS check passes; and `dns -o json | check -` agrees.
#[test]
fn bind_output_served_by_nsd_passes_check_and_the_json_pipeline_agrees() {
    let sb = Sandbox::aws();
    let d = domain();
    let setup_dns = empty_dns();
    setup(&sb, &setup_dns, &d, &[]);
    let bind =
        sb.tool("sesconfig").args(["dns", &d, "--format", "bind", "--resolver", &setup_dns.addr()]).output().unwrap();
    assert_eq!(bind.status.code(), Some(0), "{}", stderr_of(&bind));
    let snippet = stdout_of(&bind);
    assert_eq!(snippet.lines().count(), 6, "{snippet}");
    let server = DnsServer::start(&[Zone::new(&d).raw(&snippet)]);
    let out = sb.tool("sesconfig").args(["check", &d, "--resolver", &server.addr(), "-o", "ndjson"]).output().unwrap();
    let findings = records(&out);
    let dns_checks = ["dkim", "mail_from_mx", "spf", "dmarc", "dmarc_alignment"];
    let dns_findings: Vec<&Value> =
        findings.iter().filter(|f| dns_checks.contains(&f["check"].as_str().unwrap())).collect();
    assert_eq!(dns_findings.len(), 7, "{findings:#?}");
    assert!(dns_findings.iter().all(|f| f["status"] == "ok"), "{dns_findings:#?}");
    // moto's identity is not verified and has no MAIL FROM: check says so (exit 1), and the
    // sandbox check it cannot make (no GetAccount) is a warning naming the operation.
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let status =
        |check: &str| findings.iter().find(|f| f["check"] == check).unwrap()["status"].as_str().unwrap().to_owned();
    assert_eq!(status("identity_verified"), "fail");
    assert_eq!(status("mail_from"), "fail");
    assert_eq!(status("configuration_set"), "fail");
    let sandbox = findings.iter().find(|f| f["check"] == "sandbox").unwrap();
    assert_eq!(sandbox["status"], "warn");
    assert!(sandbox["found"].as_str().unwrap().ends_with("has no GetAccount"), "{sandbox}");
    // The same records through a pipe, no AWS on the checking side.
    let bin = crate::support::bin("sesconfig");
    let pipeline = format!(
        "set -o pipefail; '{bin}' dns {d} -o json --resolver {r} | env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_ENDPOINT_URL '{bin}' check {d} - --resolver {r} -o ndjson",
        bin = bin.display(),
        r = server.addr()
    );
    let out = sb.command("bash").args(["-c", &pipeline]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(records(&out).len(), 7);
    // DESIGN.md's chain: the records as name, type and value lines for a DNS console.
    let jq = format!(
        "set -o pipefail; '{}' dns {d} -o json --resolver {} | jq -r '.[] | \"\\(.name) \\(.type) \\(.value)\"'",
        bin.display(),
        server.addr()
    );
    let out = sb.command("bash").args(["-c", &jq]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let lines: Vec<String> = stdout_of(&out).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[5], format!("_dmarc.{d} TXT v=DMARC1; p=none"));
}

#[test]
fn an_identity_missing_in_the_region_is_66() {
    let mut sb = Sandbox::aws();
    let dns = empty_dns();
    let d = domain();
    setup(&sb, &dns, &d, &[]);
    sb.set("AWS_REGION", "ap-southeast-2");
    let resolver = dns.addr();
    for args in
        [&["dns", &d, "--resolver", &resolver][..], &["check", &d, "--resolver", &resolver], &["teardown", &d, "--yes"]]
    {
        let out = sb.tool("sesconfig").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(66), "{args:?}: {}", stderr_of(&out));
        assert_eq!(
            stderr_of(&out),
            format!(
                "sesconfig: error: no SES identity for {d} in ap-southeast-2\n  hint: create it with `sesconfig setup {d}`, or pass --region for the region it is in\n"
            )
        );
    }
}

#[test]
fn a_mail_from_outside_the_domain_is_a_usage_error_before_any_call() {
    // No AWS settings at all: the flag is refused before anything is asked.
    let sb = Sandbox::new();
    for cmd in ["dns", "check", "setup"] {
        let out =
            sb.tool("sesconfig").args([cmd, "example.gov", "--mail-from", "bounce.example.org"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", stderr_of(&out));
        assert_eq!(
            stderr_of(&out),
            "sesconfig: error: MAIL FROM domain `bounce.example.org` is not a subdomain of `example.gov`: SES requires one (like bounce.example.gov)\n"
        );
    }
}

/// SES's count of messages sent in the last 24 hours (this test is the only one that sends).
fn sent_last_24_hours(sb: &Sandbox) -> f64 {
    let out = sb.aws_cli().args(["ses", "get-send-quota"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let quota: Value = serde_json::from_slice(&out.stdout).unwrap();
    quota["SentLast24Hours"].as_f64().unwrap()
}

#[test]
fn send_test_goes_through_the_configuration_set_and_prints_the_message_id() {
    let sb = Sandbox::aws();
    let dns = empty_dns();
    let d = domain();
    let set = unique("set");
    setup(&sb, &dns, &d, &["--config-set", &set]);
    let sent_before = sent_last_24_hours(&sb);
    let out = sb
        .tool("sesconfig")
        .args([
            "send-test",
            "--from",
            &format!("noreply@{d}"),
            "--to",
            "dev@example.org",
            "--config-set",
            &set,
            "-o",
            "ndjson",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let message = &records(&out)[0];
    assert_eq!(message["kind"], "message");
    assert_eq!(message["configuration_set"], set.as_str());
    let id = message["message_id"].as_str().unwrap();
    assert!(!id.is_empty());
    // SES counts what it accepted: read through SES v1 by the AWS CLI, an independent client.
    assert!((sent_last_24_hours(&sb) - sent_before - 1.0).abs() < 0.5, "one more message sent");
    let bad =
        sb.tool("sesconfig").args(["send-test", "--from", "noreply", "--to", "dev@example.org"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(stderr_of(&bad), "sesconfig: error: --from `noreply` is not an email address\n");
}

#[test]
fn teardown_asks_then_removes_the_identity_and_configuration_set() {
    let sb = Sandbox::aws();
    let dns = empty_dns();
    let d = domain();
    let set = unique("set");
    setup(&sb, &dns, &d, &["--config-set", &set]);
    // No terminal to ask and no --yes: refused, nothing deleted.
    let out = sb.tool("sesconfig").args(["teardown", &d, "--config-set", &set]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out)
            .starts_with(&format!("sesconfig: error: refusing to delete SES sending for {d} without confirmation"))
    );
    assert!(identity_exists(&sb, &d));
    let out =
        sb.tool("sesconfig").args(["teardown", &d, "--config-set", &set, "--yes", "-o", "ndjson"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let steps: Vec<(String, String)> = records(&out)
        .iter()
        .map(|s| (s["api"].as_str().unwrap().to_owned(), s["status"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        steps,
        [("DeleteEmailIdentity".into(), "done".into()), ("DeleteConfigurationSet".into(), "done".into())]
    );
    assert!(!identity_exists(&sb, &d));
    let cs = sb.aws_cli().args(["sesv2", "get-configuration-set", "--configuration-set-name", &set]).output().unwrap();
    assert!(!cs.status.success(), "the configuration set is still there");
}

#[test]
fn status_and_request_production_against_an_endpoint_without_them_are_69() {
    let sb = Sandbox::aws();
    let out = sb.tool("sesconfig").arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(69));
    assert!(
        stderr_of(&out).starts_with(&format!(
            "sesconfig: error: {} does not support the SES operation GetAccount\n",
            crate::support::aws::moto_endpoint()
        )),
        "{}",
        stderr_of(&out)
    );
    let use_case = "Password resets and case notifications to registered users; bounces suppressed.";
    // A draft asks nothing of AWS that can fail.
    let out = sb
        .tool("sesconfig")
        .args([
            "request-production",
            "--website",
            "https://casetracker.example.gov",
            "--use-case",
            use_case,
            "-o",
            "ndjson",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let draft = &records(&out)[0];
    assert_eq!(draft["kind"], "production_request");
    assert_eq!(draft["submitted"], false);
    assert_eq!(draft["mail_type"], "TRANSACTIONAL");
    assert!(stderr_of(&out).contains("draft only: pass --yes to submit it"));
    let out = sb
        .tool("sesconfig")
        .args(["request-production", "--website", "https://casetracker.example.gov", "--use-case", use_case, "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(69));
    assert!(stderr_of(&out).contains("does not support the SES operation PutAccountDetails"), "{}", stderr_of(&out));
}

/// What a person sees after setup at a terminal: the steps, then the records to create.
#[test]
fn setup_tables_at_a_terminal() {
    let sb = Sandbox::aws();
    let dns = empty_dns();
    let d = domain();
    let mut cmd = sb.std_command(crate::support::bin("sesconfig"));
    cmd.args(["setup", &d, "--resolver", &dns.addr(), "--no-color"]);
    let (status, screen) = crate::support::pty::Pty::spawn(cmd, 160).finish();
    assert_eq!(status.code(), Some(69), "{screen}");
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[0].split_whitespace().eq(["PART", "API", "TARGET", "STATUS", "DETAIL"]), "{screen}");
    assert!(lines[1].starts_with("identity ") && lines[1].contains(" done "), "{screen}");
    let identity_header = lines.iter().position(|l| l.starts_with("DOMAIN")).unwrap_or_else(|| panic!("{screen}"));
    assert!(lines[identity_header].split_whitespace().eq(["DOMAIN", "REGION", "VERIFIED", "DKIM_STATUS"]), "{screen}");
    assert!(lines[identity_header + 1].starts_with(&d), "{screen}");
    let dns_header = lines.iter().position(|l| l.starts_with("NAME")).unwrap_or_else(|| panic!("{screen}"));
    assert!(lines[dns_header].split_whitespace().eq(["NAME", "TYPE", "VALUE", "PURPOSE"]), "{screen}");
    assert_eq!(
        lines[dns_header + 1..].iter().take_while(|l| !l.is_empty() && !l.starts_with("sesconfig:")).count(),
        6,
        "{screen}"
    );
    assert!(lines.iter().all(|l| l.chars().count() <= 160), "{screen}");
}

/// teardown at a terminal: the plan, then the question; no keeps everything (exit 1), yes
/// deletes.
#[test]
fn teardown_at_a_terminal_shows_the_plan_and_asks() {
    let sb = Sandbox::aws();
    let dns = empty_dns();
    let d = domain();
    setup(&sb, &dns, &d, &[]);
    let spawn = || {
        let mut cmd = sb.std_command(crate::support::bin("sesconfig"));
        cmd.args(["teardown", &d, "--no-color"]);
        crate::support::pty::Pty::spawn(cmd, 120)
    };
    let mut pty = spawn();
    let screen = pty.wait_for("[y/N]");
    assert!(screen.contains(&format!("sesconfig teardown {d} in us-east-1:")), "{screen}");
    assert!(screen.contains(&format!("delete identity  {d}")), "{screen}");
    pty.send(b"n\n");
    let (status, screen) = pty.finish();
    assert_eq!(status.code(), Some(1), "{screen}");
    assert!(screen.contains(&format!("did not delete SES sending for {d}: not confirmed")), "{screen}");
    assert!(identity_exists(&sb, &d));
    let mut pty = spawn();
    pty.wait_for("[y/N]");
    pty.send(b"y\n");
    let (status, screen) = pty.finish();
    assert_eq!(status.code(), Some(0), "{screen}");
    assert!(!identity_exists(&sb, &d));
}

#[test]
fn bad_setup_flags_are_usage_errors() {
    let sb = Sandbox::new();
    for (args, message) in [
        (
            &["--events", "sns:bounces"][..],
            "invalid value 'sns:bounces' for '--events <DEST>': `bounces` is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)",
        ),
        (
            &["--events", "kinesis"],
            "invalid value 'kinesis' for '--events <DEST>': `kinesis`: use sns:ARN, eventbridge or cloudwatch",
        ),
        (&["--events", "eventbridge"], "--events needs a configuration set to attach them to"),
        (
            &["--dmarc-rua", "dmarc@example.gov"],
            "invalid value 'dmarc@example.gov' for '--dmarc-rua <URI>': `dmarc@example.gov`: DMARC report addresses are mailto: URIs (mailto:dmarc@example.gov)",
        ),
    ] {
        let out = sb.tool("sesconfig").args(["setup", "example.gov"]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        assert_eq!(stderr_of(&out).lines().next().unwrap(), format!("sesconfig: error: {message}"), "{args:?}");
    }
}
