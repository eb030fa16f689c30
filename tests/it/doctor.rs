//! `doctor` against the moto server, cross-checked with the AWS CLI, and every way it can fail.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::aws::{ACCOUNT, moto_endpoint};
use crate::support::{Sandbox, TOOLS, stderr_of, stdout_of};

fn ndjson(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", stderr_of(out));
    serde_json::from_str(stdout_of(out).trim()).unwrap()
}

#[test]
fn doctor_prints_the_emulators_account_in_every_tool() {
    let sb = Sandbox::aws();
    for tool in TOOLS {
        let out = sb.tool(tool).arg("doctor").output().unwrap();
        let rec = ndjson(&out);
        assert_eq!(rec["kind"], "identity");
        assert_eq!(rec["account"], ACCOUNT);
        assert_eq!(rec["region"], "us-east-1");
        assert_eq!(rec["endpoint"], moto_endpoint());
        assert!(rec["arn"].as_str().unwrap().starts_with(&format!("arn:aws:sts::{ACCOUNT}:")), "{rec}");
        assert!(out.stderr.is_empty(), "stderr: {}", stderr_of(&out));
    }
}

#[test]
fn doctor_agrees_with_the_aws_cli() {
    let sb = Sandbox::aws();
    let ours = ndjson(&sb.tool("envctl").arg("doctor").output().unwrap());
    let out = sb.aws_cli().args(["sts", "get-caller-identity"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let theirs: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ours["account"], theirs["Account"]);
    assert_eq!(ours["arn"], theirs["Arn"]);
    assert_eq!(ours["user_id"], theirs["UserId"]);
}

#[test]
fn endpoint_flag_wins_over_the_environment() {
    let mut sb = Sandbox::aws();
    sb.set("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
    let rec = ndjson(&sb.tool("envctl").args(["--endpoint-url", moto_endpoint(), "doctor"]).output().unwrap());
    assert_eq!(rec["account"], ACCOUNT);
}

#[test]
fn table_output_is_for_people_and_plain_off_a_terminal() {
    let sb = Sandbox::aws();
    let out = sb.tool("envctl").args(["doctor", "-o", "table"]).output().unwrap();
    let text = stdout_of(&out);
    assert!(text.lines().any(|l| l.starts_with("account ") && l.ends_with(ACCOUNT)), "{text}");
    assert!(!text.contains('\x1b') && !text.contains("kind"), "{text}");
}

#[test]
fn csv_and_tsv_have_a_header_and_one_row() {
    let sb = Sandbox::aws();
    for (fmt, sep) in [("csv", ','), ("tsv", '\t')] {
        let text = stdout_of(&sb.tool("envctl").args(["doctor", "-o", fmt]).output().unwrap());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].starts_with(&format!("kind{sep}account{sep}")), "{text}");
        assert!(lines[1].starts_with(&format!("identity{sep}{ACCOUNT}{sep}")), "{text}");
    }
}

#[test]
fn assumed_role_shows_in_the_identity_with_its_expiry() {
    let sb = Sandbox::aws();
    let role = format!("arn:aws:iam::{ACCOUNT}:role/{}", crate::support::unique("debug"));
    let rec = ndjson(&sb.tool("accessgrant").args(["--role-arn", &role, "doctor"]).output().unwrap());
    assert!(rec["arn"].as_str().unwrap().contains(":assumed-role/"), "{rec}");
    assert_eq!(rec["role_arn"], role);
    assert!(rec["credentials_expire"].as_str().unwrap().ends_with('Z'), "{rec}");
    assert!(rec["credentials_expire_in_seconds"].as_u64().unwrap() > 0, "{rec}");
}

#[test]
fn no_credentials_is_77_with_a_hint() {
    let mut sb = Sandbox::aws();
    sb.unset("AWS_ACCESS_KEY_ID").unset("AWS_SECRET_ACCESS_KEY");
    let out = sb.tool("envctl").arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(77), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.starts_with(
            "envctl: error: asking STS who you are (GetCallerIdentity): no AWS credentials found\n  hint: "
        ),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
}

#[test]
fn expired_sso_session_hints_the_exact_login_line() {
    let mut sb = Sandbox::aws();
    sb.unset("AWS_ACCESS_KEY_ID").unset("AWS_SECRET_ACCESS_KEY").set("AWS_PROFILE", "casetracker-dev");
    sb.write(
        ".aws/config",
        "[profile casetracker-dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Developer\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    // What `aws sso login` leaves behind, long expired: the cache file is named after the
    // SHA-1 of the session name.
    sb.write(
        ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
        "{\"accessToken\": \"expired-token\", \"expiresAt\": \"2020-01-01T00:00:00Z\", \"region\": \"us-east-1\", \"startUrl\": \"https://corp.awsapps.com/start\"}",
    );
    let out = sb.tool("envctl").arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(77), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains(
            "  hint: your SSO session has expired or is missing: run `aws sso login --profile casetracker-dev`"
        ),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_role_that_cannot_be_assumed_is_77_not_a_debug_dump() {
    let mut sb = Sandbox::aws();
    // Credentials with no access at all: the STS endpoint refuses them.
    sb.set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1");
    let out = sb.tool("envctl").args(["--role-arn", "arn:aws:iam::123456789012:role/x", "doctor"]).output().unwrap();
    let err = stderr_of(&out);
    assert!(matches!(out.status.code(), Some(77 | 69)), "{err}");
    assert!(err.lines().count() <= 2 && !err.contains("{ "), "{err}");
}

#[test]
fn unreachable_endpoint_is_69_naming_it() {
    let mut sb = Sandbox::aws();
    sb.set("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
    let out = sb.tool("sesconfig").arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(69), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.starts_with(
            "sesconfig: error: asking STS who you are (GetCallerIdentity): could not reach http://127.0.0.1:1"
        ),
        "{err}"
    );
    assert!(!err.contains("DispatchFailure") && !err.contains("{ "), "no Rust debug output: {err}");
}

#[test]
fn no_region_is_a_config_error() {
    let mut sb = Sandbox::aws();
    sb.unset("AWS_REGION");
    sb.tool("costq").arg("doctor").assert().code(78).stderr(predicate::str::contains("no AWS region configured"));
}
