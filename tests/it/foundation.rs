//! The shared layer's promises, tested through envctl against the emulator and the fake
//! endpoint: the right account and region, no secret echoed, no endless hang, every AWS
//! failure its own exit code, safety settings the user's home cannot lower, complete output
//! when part of a write fails.

use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::support::fake::{FakeEndpoint, Reply, Request};
use crate::support::{Sandbox, one_line_error, stderr_of, stdout_of};

/// The same project, its AWS calls sent to `fake` with fast retries.
fn against(fake: &FakeEndpoint) -> (Sandbox, String) {
    let (mut sb, app) = Sandbox::project();
    sb.set("AWS_ENDPOINT_URL", &fake.url).set("AWS_RETRY_MODE", "standard").set("AWS_MAX_ATTEMPTS", "3");
    (sb, app)
}

fn run(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    sb.tool("envctl").args(args).output().unwrap()
}

// 1. Calls go to the account and region the user meant.

#[test]
fn an_explicit_profile_signs_with_its_own_keys_even_when_the_environment_has_keys() {
    let fake = FakeEndpoint::always(Reply::ok_json(&json!({"Parameters": []})));
    let (mut sb, _) = against(&fake);
    sb.write(".aws/credentials", "[ops]\naws_access_key_id = AKIAPROFILEKEY\naws_secret_access_key = s\n");
    sb.write(".aws/config", "[profile ops]\nregion = eu-north-1\n");
    sb.set("AWS_ACCESS_KEY_ID", "AKIAENVKEY");
    let _ = run(&sb, &["--profile", "ops", "get", "dev"]);
    let signed: Vec<_> = fake.requests().iter().filter_map(Request::signed_by).collect();
    assert!(!signed.is_empty());
    assert!(signed.iter().all(|(key, _, _)| key == "AKIAPROFILEKEY"), "{signed:?}");

    // The same profile named in opskit.toml for the environment.
    let (sb, app) = against(&fake);
    sb.write(".aws/credentials", "[ops]\naws_access_key_id = AKIAFROMCONFIG\naws_secret_access_key = s\n");
    sb.write("opskit.toml", &format!("app = \"{app}\"\n[envs.dev]\ntier = \"dev\"\nprofile = \"ops\"\n"));
    let before = fake.requests().len();
    let _ = run(&sb, &["get", "dev"]);
    let keys: Vec<String> =
        fake.requests()[before..].iter().filter_map(Request::signed_by).map(|(k, _, _)| k).collect();
    assert!(!keys.is_empty() && keys.iter().all(|k| k == "AKIAFROMCONFIG"), "{keys:?}");
}

#[test]
fn a_profile_that_does_not_exist_is_a_config_error_naming_it() {
    let (sb, _) = Sandbox::project();
    sb.write(".aws/config", "[profile real]\nregion = us-east-1\n");
    let out = run(&sb, &["--profile", "typo", "get", "dev"]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr_of(&out));
    let err = one_line_error("envctl", &out);
    assert!(err.contains("AWS profile `typo` does not exist") && err.contains("define: real"), "{err}");
}

#[test]
fn an_environments_region_beats_the_ambient_aws_region() {
    let fake = FakeEndpoint::always(Reply::ok_json(&json!({"Parameters": []})));
    let (mut sb, app) = against(&fake);
    sb.set("AWS_REGION", "us-east-1");
    sb.write(
        "opskit.toml",
        &format!(
            "app = \"{app}\"\n[envs.staging]\ntier = \"staging\"\nregion = \"eu-west-1\"\n[envs.dev]\ntier = \"dev\"\n"
        ),
    );
    let _ = sb.tool("envctl").args(["set", "staging", "K"]).write_stdin("v").output().unwrap();
    let regions: Vec<String> = fake.requests().iter().filter_map(Request::signed_by).map(|(_, r, _)| r).collect();
    assert!(!regions.is_empty() && regions.iter().all(|r| r == "eu-west-1"), "{regions:?}");
    // dev declares none: the ambient region; a flag beats both.
    let before = fake.requests().len();
    let _ = run(&sb, &["--region", "ap-south-1", "get", "staging"]);
    assert!(fake.requests()[before..].iter().filter_map(Request::signed_by).all(|(_, r, _)| r == "ap-south-1"));
}

#[test]
fn a_command_spanning_two_environments_uses_each_ones_region() {
    // The emulator keeps each region's parameters apart, as AWS does.
    let (mut sb, app) = Sandbox::project();
    sb.unset("AWS_REGION");
    sb.write(
        "opskit.toml",
        &format!(
            "app = \"{app}\"\nregion = \"us-east-1\"\n[envs.staging]\ntier = \"staging\"\nregion = \"eu-west-1\"\n[envs.dev]\ntier = \"dev\"\nregion = \"us-west-2\"\n"
        ),
    );
    for (env, region, value) in [("staging", "eu-west-1", "s"), ("dev", "us-west-2", "d")] {
        let out = sb
            .aws_cli()
            .args(["--region", region, "ssm", "put-parameter", "--type", "String"])
            .args(["--name", &format!("/{app}/{env}/K"), "--value", value])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr_of(&out));
    }
    let out = run(&sb, &["diff", "staging", "dev", "--reveal"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let diff: Value = serde_json::from_str(stdout_of(&out).trim()).unwrap();
    assert_eq!(
        (diff["key"].as_str(), diff["a_value"].as_str(), diff["b_value"].as_str()),
        (Some("K"), Some("s"), Some("d"))
    );
    // doctor says where each setting came from.
    let rec: Value = serde_json::from_slice(&run(&sb, &["-e", "staging", "doctor"]).stdout).unwrap();
    assert_eq!(rec["region"], "eu-west-1");
    assert_eq!(rec["sources"]["region"], format!("{} [envs.staging]", sb.path().join("opskit.toml").display()));
}

#[test]
fn global_flag_ids_cannot_collide_with_a_commands_arguments() {
    for (tool, cmd) in xtask::tools() {
        assert_eq!(opskit::cli::id_collisions(&cmd), Vec::<String>::new(), "{tool}");
    }
    // A command that would collide is caught.
    let bad = clap::Command::new("t")
        .arg(clap::Arg::new("opskit-env").long("env").global(true))
        .subcommand(clap::Command::new("x").arg(clap::Arg::new("opskit-env").index(1)));
    assert_eq!(opskit::cli::id_collisions(&bad).len(), 1 + opskit::cli::GLOBAL_IDS.len() - 1);
}

// 2. No secret in an error message.

#[test]
fn a_refused_argument_that_may_be_a_value_is_never_echoed() {
    let (sb, _) = Sandbox::project();
    for (args, secret) in [
        (&["set", "dev", "API_TOKEN", "c2VjcmV0LXRva2Vu=="][..], "c2VjcmV0LXRva2Vu"),
        (&["set", "dev", "s3cr+t"], "s3cr+t"),
        (&["set", "dev", "API_TOKEN", "hunter2"], "hunter2"),
        (&["copy", "dev", "d", "--set", "DB_PASSWORD=hunter2"], "hunter2"),
        (&["ls", "hunter2"], "hunter2"),
    ] {
        let out = sb.tool("envctl").args(args).write_stdin("").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        let err = one_line_error("envctl", &out);
        assert!(!err.contains(secret), "{args:?} echoed it: {err}");
    }
}

// 3. No endless hang.

#[test]
fn an_endpoint_that_never_answers_ends_in_69_naming_it() {
    let fake = FakeEndpoint::always(Reply::Silence);
    let (mut sb, _) = against(&fake);
    sb.set("OPSKIT_TIMEOUT", "2s");
    let started = Instant::now();
    let out = run(&sb, &["get", "dev"]);
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(69), "{}", stderr_of(&out));
    assert!(one_line_error("envctl", &out).contains(&fake.url), "{}", stderr_of(&out));
}

#[test]
fn aws_max_attempts_is_honoured() {
    for attempts in ["1", "4"] {
        let fake = FakeEndpoint::always(Reply::json_error(500, "InternalServerError", "boom"));
        let (mut sb, _) = against(&fake);
        sb.set("AWS_MAX_ATTEMPTS", attempts);
        assert_eq!(run(&sb, &["get", "dev"]).status.code(), Some(69));
        assert_eq!(fake.requests().len().to_string(), attempts);
    }
    let (mut sb, _) = Sandbox::project();
    sb.set("AWS_MAX_ATTEMPTS", "lots");
    let out = run(&sb, &["get", "dev"]);
    assert_eq!(out.status.code(), Some(78));
    assert!(one_line_error("envctl", &out).contains("AWS_MAX_ATTEMPTS=`lots`"));
}

// 4. Every AWS failure its exit code.

#[test]
fn each_kind_of_failure_has_its_exit_code_and_the_services_message() {
    for (reply, code, says, requests) in [
        (Reply::Status(429, String::new()), 75, "429", 3),
        (Reply::Status(403, String::new()), 77, "403", 1),
        (Reply::json_error(400, "LimitExceededException", "slow down please"), 75, "slow down please", 3),
        (Reply::json_error(400, "BrandNewRefusalException", "the service says no"), 65, "the service says no", 1),
        (Reply::json_error(502, "BrandNewOutageException", "upstream down"), 69, "upstream down", 3),
        (
            Reply::json_error(
                400,
                "AccessDeniedException",
                "User: arn:aws:iam::1:user/x is not authorized to perform: ssm:DescribeParameters on resource: *",
            ),
            77,
            "ssm:DescribeParameters",
            1,
        ),
        (Reply::Close, 69, "could not reach", 3),
    ] {
        let fake = FakeEndpoint::always(reply.clone());
        let (sb, _) = against(&fake);
        let out = run(&sb, &["get", "dev"]);
        assert_eq!(out.status.code(), Some(code), "{reply:?}: {}", stderr_of(&out));
        let err = one_line_error("envctl", &out);
        assert!(err.contains(says), "{reply:?}: {err}");
        assert_eq!(fake.requests().len(), requests, "{reply:?}: attempts");
    }
}

#[test]
fn assume_role_failures_are_classified_too() {
    let role = "arn:aws:iam::123456789012:role/debug";
    // STS refusing the connection: unavailable, not a login problem.
    let (mut sb, _) = Sandbox::project();
    sb.set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1").set("AWS_MAX_ATTEMPTS", "2");
    let out = run(&sb, &["--role-arn", role, "get", "dev"]);
    assert_eq!(out.status.code(), Some(69), "{}", stderr_of(&out));
    assert!(!one_line_error("envctl", &out).contains("sso login"));
    // STS 503.
    let sts = FakeEndpoint::always(Reply::xml_error(503, "ServiceUnavailable", "try later"));
    sb.set("AWS_ENDPOINT_URL_STS", &sts.url);
    let out = run(&sb, &["--role-arn", role, "get", "dev"]);
    assert_eq!(out.status.code(), Some(69), "{}", stderr_of(&out));
    // Denied: one line, the denied action named, no Rust debug output.
    let sts = FakeEndpoint::always(Reply::xml_error(
        403,
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/debug",
    ));
    sb.set("AWS_ENDPOINT_URL_STS", &sts.url);
    let out = run(&sb, &["--role-arn", role, "get", "dev"]);
    assert_eq!(out.status.code(), Some(77), "{}", stderr_of(&out));
    let err = one_line_error("envctl", &out);
    assert!(err.contains("assuming the role") && err.contains("`sts:AssumeRole` was denied"), "{err}");
}

// 5. Safety settings cannot be lowered from a user's home.

#[test]
fn the_users_config_cannot_lower_a_tier_or_change_the_app() {
    let (sb, _) = Sandbox::project();
    sb.write(".config/opskit/config.toml", "[envs.prod]\ntier = \"dev\"\n");
    let out = run(&sb, &["rm", "prod", "--dry-run"]);
    assert_eq!(out.status.code(), Some(78));
    let err = one_line_error("envctl", &out);
    assert!(err.contains("config.toml:1:") && err.contains("opskit.toml says `prod`"), "{err}");
    sb.write(".config/opskit/config.toml", "app = \"elsewhere\"\n");
    let out = run(&sb, &["ls"]);
    assert_eq!(out.status.code(), Some(78));
    assert!(one_line_error("envctl", &out).contains("`app = \"elsewhere\"` in the user config is refused"));
}

// 6 and 7: scripts never "succeed" having done nothing; partial failure keeps its report.

/// A fake SSM where environment `dev` is empty and every PutParameter succeeds except those of
/// keys whose name holds `FAIL`.
fn ssm_failing_some_puts() -> FakeEndpoint {
    FakeEndpoint::with(|r| match r.operation() {
        "PutParameter" if r.body.contains("FAIL") => {
            Reply::json_error(400, "ParameterPatternMismatchException", "this name is refused")
        }
        "PutParameter" => Reply::ok_json(&json!({"Version": 1, "Tier": "Standard"})),
        "DeleteParameter" => Reply::ok_json(&json!({})),
        _ => Reply::ok_json(&json!({"Parameters": []})),
    })
}

#[test]
fn a_write_that_fails_for_some_keys_still_reports_every_key_in_every_format() {
    let fake = ssm_failing_some_puts();
    let (sb, _) = against(&fake);
    let file = sb.write("in.env", "A=1\nB_FAIL=2\nC=3\n");
    for format in ["json", "csv", "table"] {
        let out =
            sb.tool("envctl").args(["import", "dev", file.to_str().unwrap(), "--yes", "-o", format]).output().unwrap();
        assert_eq!(out.status.code(), Some(65), "{format}: {}", stderr_of(&out));
        let err = one_line_error("envctl", &out);
        assert!(err.contains("1 of 3 keys were not written (2 were)") && err.contains("this name is refused"), "{err}");
        assert!(!err.contains("run the same command again"), "a permanent refusal is not to be retried: {err}");
        let text = stdout_of(&out);
        match format {
            "json" => {
                let records: Vec<Value> = serde_json::from_str(&text).expect("a closed JSON array");
                let failed: Vec<&Value> = records.iter().filter(|r| r["status"] == "failed").collect();
                assert_eq!((records.len(), failed.len(), failed[0]["key"].as_str()), (3, 1, Some("B_FAIL")));
            }
            "csv" => {
                let mut reader = csv::Reader::from_reader(text.as_bytes());
                let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
                assert_eq!(header, ["kind", "env", "key", "action", "status", "version", "keys", "error"]);
                let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
                assert_eq!(rows.len(), 3);
                assert!(rows[1][7].contains("this name is refused"), "{text}");
            }
            _ => assert!(text.contains("dev: 2 written, 1 failed (first failure: B_FAIL:"), "{text}"),
        }
    }
}

#[test]
fn import_without_yes_or_a_terminal_refuses_instead_of_exiting_0() {
    let fake = ssm_failing_some_puts();
    let (sb, _) = against(&fake);
    let out = sb.tool("envctl").args(["import", "dev", "-"]).write_stdin("A=1\n").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(one_line_error("envctl", &out).contains("--yes"));
    assert!(fake.requests().iter().all(|r| r.operation() != "PutParameter"), "nothing written");
}

// 8. One bad entry does not break listing.

#[test]
fn a_malformed_registry_entry_is_skipped_with_a_warning_naming_it() {
    let (sb, app) = Sandbox::project();
    sb.tool("envctl").args(["set", "dev", "K"]).write_stdin("v").assert().success();
    sb.tool("envctl").args(["copy", "dev", "demo-ok", "--ttl", "1h"]).assert().success();
    let bad = format!("/opskit/{app}/envs/demo-bad");
    let out = sb
        .aws_cli()
        .args(["ssm", "put-parameter", "--type", "String", "--name", &bad, "--value", "{not json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = run(&sb, &["ls"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("\"name\":\"demo-ok\""));
    assert!(stderr_of(&out).starts_with("envctl: warning: skipping `demo-bad`:"), "{}", stderr_of(&out));
    // -q silences warnings.
    assert_eq!(stderr_of(&run(&sb, &["-q", "ls"])), "");
}

// 9. Small things.

#[test]
fn a_full_disk_on_stdout_is_73_naming_stdout() {
    let (sb, _) = Sandbox::project();
    sb.tool("envctl").args(["set", "dev", "K", "--type", "plain"]).write_stdin("v").assert().success();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = sb.std_command(crate::support::bin("envctl")).args(["get", "dev"]).stdout(full).output().unwrap();
    assert_eq!(out.status.code(), Some(73));
    assert!(
        one_line_error("envctl", &out).contains("cannot write to stdout: No space left on device"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn an_invalid_timeout_is_a_config_error() {
    let (mut sb, _) = Sandbox::project();
    sb.write("opskit.toml", "app = \"a\"\ntimeout = \"soon\"\n");
    let out = run(&sb, &["ls"]);
    assert_eq!(out.status.code(), Some(78));
    assert!(one_line_error("envctl", &out).contains("opskit.toml:2: timeout = \"soon\""));
    sb.write("opskit.toml", "app = \"a\"\n");
    sb.set("OPSKIT_TIMEOUT", "never");
    let out = run(&sb, &["ls"]);
    assert_eq!(out.status.code(), Some(78));
    assert!(predicate::str::contains("OPSKIT_TIMEOUT=`never`").eval(&stderr_of(&out)));
}
