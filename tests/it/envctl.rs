//! envctl against the moto server, cross-checked with the AWS CLI.

use std::collections::BTreeMap;
use std::process::Output;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{Sandbox, stderr_of, stdout_of, unique};

fn ok(out: &Output) -> &Output {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), stderr_of(out));
    out
}

fn records(out: &Output) -> Vec<Value> {
    stdout_of(ok(out)).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn set(sb: &Sandbox, env: &str, key: &str, value: &str) {
    ok(&sb.tool("envctl").args(["set", env, key]).write_stdin(value).output().unwrap());
}

/// key → value, as envctl reads it.
fn values(sb: &Sandbox, env: &str) -> BTreeMap<String, String> {
    records(&sb.tool("envctl").args(["get", env, "--reveal"]).output().unwrap())
        .into_iter()
        .map(|r| (r["key"].as_str().unwrap().to_owned(), r["value"].as_str().unwrap().to_owned()))
        .collect()
}

/// name → value, as the AWS CLI reads it.
fn aws_values(sb: &Sandbox, path: &str) -> BTreeMap<String, String> {
    let out = sb
        .aws_cli()
        .args(["ssm", "get-parameters-by-path", "--recursive", "--with-decryption", "--path", path])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&ok(&out).stdout).unwrap();
    v["Parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["Name"].as_str().unwrap().to_owned(), p["Value"].as_str().unwrap().to_owned()))
        .collect()
}

fn hostile() -> Vec<(&'static str, &'static str)> {
    vec![
        ("QUOTES", "it's \"quoted\" `back`"),
        ("NEWLINES", "line1\nline2\n\nline4"),
        ("DOLLAR", "$HOME ${PATH} $(id) %{x}"),
        ("EQUALS", "a=b==c"),
        ("UNICODE", "ünïcødé ✓ 日本語 🚀"),
        ("BACKSLASH", "C:\\dir\\new\\"),
        ("SPACES", "  padded  "),
        ("HASH", "v # not a comment"),
        ("MixedCase.key-1", "case kept"),
    ]
}

#[test]
fn set_and_get_mask_values_unless_revealed() {
    let (sb, app) = Sandbox::project();
    set(&sb, "dev", "DB_PASSWORD", "hunter2\n");
    let out = sb.tool("envctl").args(["get", "dev", "-o", "table"]).output().unwrap();
    let table = stdout_of(ok(&out));
    assert!(table.contains("DB_PASSWORD") && table.contains("********") && !table.contains("hunter2"), "{table}");
    let rec = &records(&sb.tool("envctl").args(["get", "dev"]).output().unwrap())[0];
    assert_eq!(rec["kind"], "param");
    assert_eq!(rec["name"], format!("/{app}/dev/DB_PASSWORD"));
    assert_eq!(rec["type"], "secure");
    assert!(rec.get("value").is_none(), "no value without --reveal: {rec}");
    // One trailing newline from stdin is dropped, as `read` would.
    assert_eq!(values(&sb, "dev")["DB_PASSWORD"], "hunter2");
}

#[test]
fn values_never_come_from_argv() {
    let (sb, _) = Sandbox::project();
    sb.tool("envctl").args(["set", "dev", "TOKEN=abc123"]).assert().code(2).stderr(
        predicate::str::contains("values never go on the command line").and(predicate::str::contains("abc123").not()),
    );
    let file = sb.write("cert.pem", "-----BEGIN-----\nabc\n-----END-----\n");
    ok(&sb.tool("envctl").args(["set", "dev", &format!("CERT=@{}", file.display())]).output().unwrap());
    // Files keep every byte, trailing newline included.
    assert_eq!(values(&sb, "dev")["CERT"], "-----BEGIN-----\nabc\n-----END-----\n");
}

#[test]
fn many_named_keys_are_read_in_batches_of_ten() {
    let (sb, _) = Sandbox::project();
    let json: serde_json::Map<String, Value> =
        (0..25).map(|i| (format!("K{i:02}"), Value::String(format!("v{i}")))).collect();
    let file = sb.write("in.json", &Value::Object(json).to_string());
    ok(&sb.tool("envctl").args(["import", "dev", file.to_str().unwrap(), "--yes"]).output().unwrap());
    let keys: Vec<String> = (0..25).rev().map(|i| format!("K{i:02}")).collect();
    let got = records(&sb.tool("envctl").args(["get", "dev", "--reveal"]).args(&keys).output().unwrap());
    assert_eq!(got.len(), 25);
    assert!(got.iter().enumerate().all(|(i, r)| r["key"] == format!("K{i:02}") && r["value"] == format!("v{i}")));
}

#[test]
fn missing_key_is_66_naming_it() {
    let (sb, _) = Sandbox::project();
    set(&sb, "dev", "PRESENT", "x");
    sb.tool("envctl")
        .args(["get", "dev", "PRESENT", "ABSENT"])
        .assert()
        .code(66)
        .stdout("")
        .stderr(predicate::str::starts_with("envctl: error: dev: no key ABSENT\n"));
}

#[test]
fn unknown_environment_is_66() {
    let (sb, _) = Sandbox::project();
    sb.tool("envctl")
        .args(["get", "nosuch"])
        .assert()
        .code(66)
        .stderr(predicate::str::contains("environment `nosuch` not found"));
}

#[test]
fn what_envctl_writes_the_aws_cli_reads_and_the_reverse() {
    let (sb, app) = Sandbox::project();
    for (key, value) in hostile() {
        set(&sb, "staging", key, value);
    }
    let theirs = aws_values(&sb, &format!("/{app}/staging"));
    let expected: BTreeMap<String, String> =
        hostile().into_iter().map(|(k, v)| (format!("/{app}/staging/{k}"), v.to_owned())).collect();
    assert_eq!(theirs, expected);

    let name = format!("/{app}/dev/db/primary/url");
    let out = sb
        .aws_cli()
        .args(["ssm", "put-parameter", "--type", "SecureString", "--name", &name, "--value", "postgres://u:p@h/db"])
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(values(&sb, "dev")["db/primary/url"], "postgres://u:p@h/db");
}

#[test]
fn pagination_keeps_every_key_of_a_deep_hierarchy() {
    let (sb, app) = Sandbox::project();
    // 1,050 keys, several levels deep, with `.`, `-` and `_` in their names, through import.
    let mut json = serde_json::Map::new();
    for i in 0..1050 {
        let key = match i % 3 {
            0 => format!("svc-{}/db.pool_{i}", i % 7),
            1 => format!("a/b/c/d/e/key_{i}"),
            _ => format!("FLAT.key-{i}"),
        };
        json.insert(key, Value::String(format!("value {i}")));
    }
    let file = sb.write("big.json", &Value::Object(json.clone()).to_string());
    let out =
        sb.tool("envctl").args(["import", "dev", file.to_str().unwrap(), "--type", "plain", "--yes"]).output().unwrap();
    let written = records(&out);
    assert_eq!(written.len(), 1050);
    assert!(written.iter().all(|r| r["status"] == "written"));

    let ours = values(&sb, "dev");
    assert_eq!(ours.len(), 1050, "no key lost or duplicated over 105 pages");
    for (key, value) in &json {
        assert_eq!(ours.get(key).map(String::as_str), value.as_str(), "{key}");
    }
    assert_eq!(aws_values(&sb, &format!("/{app}/dev")).len(), 1050);
    let ls = records(&sb.tool("envctl").arg("ls").output().unwrap());
    let dev = ls.iter().find(|r| r["name"] == "dev").unwrap();
    assert_eq!(dev["keys"], 1050);
}

#[test]
fn diff_is_a_drift_gate() {
    let (sb, _) = Sandbox::project();
    for (env, k, v) in
        [("dev", "SAME", "1"), ("staging", "SAME", "1"), ("dev", "CHANGED", "a"), ("staging", "CHANGED", "b")]
    {
        set(&sb, env, k, v);
    }
    set(&sb, "dev", "ONLY_DEV", "x");
    set(&sb, "staging", "ONLY_STAGING", "y");
    let out = sb.tool("envctl").args(["diff", "dev", "staging"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff: Vec<(String, String)> = stdout_of(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|r| (r["key"].as_str().unwrap().to_owned(), r["status"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        diff,
        [("CHANGED", "differs"), ("ONLY_DEV", "only_in_a"), ("ONLY_STAGING", "only_in_b")]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert!(!stdout_of(&out).contains("a_value") && !stdout_of(&out).contains("\"b\"}"), "values hidden");

    let revealed = stdout_of(&sb.tool("envctl").args(["diff", "dev", "staging", "--reveal"]).output().unwrap());
    assert!(revealed.contains("\"a_value\":\"a\"") && revealed.contains("\"b_value\":\"b\""), "{revealed}");
    // Keys only: CHANGED is no longer a difference.
    let keys_only = stdout_of(&sb.tool("envctl").args(["diff", "dev", "staging", "--keys-only"]).output().unwrap());
    assert_eq!(keys_only.lines().count(), 2);
    sb.tool("envctl")
        .args(["diff", "dev", "staging", "--ignore", "CHANGED", "--ignore", "ONLY_DEV", "--ignore", "ONLY_STAGING"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn export_import_round_trips_hostile_values_in_every_format() {
    let (sb, _) = Sandbox::project();
    for (key, value) in hostile() {
        set(&sb, "dev", key, value);
    }
    let expected = values(&sb, "dev");
    let export =
        |format: &str| stdout_of(ok(&sb.tool("envctl").args(["export", "dev", "--format", format]).output().unwrap()));

    // dotenv and JSON come back in through import, keys and values byte for byte.
    for (format, env) in [("dotenv", "staging"), ("json", "prod")] {
        let file = sb.write(&format!("export.{format}"), &export(format));
        ok(&sb.tool("envctl").args(["import", env, file.to_str().unwrap(), "--yes"]).output().unwrap());
        assert_eq!(values(&sb, env), expected, "{format}");
    }
    let as_var = |k: &str| k.replace(['.', '-', '/'], "_");

    // The other formats are checked by their real readers.
    let shell = sb.write("export.sh", &export("shell"));
    for (key, value) in &expected {
        let out = sb
            .command("sh")
            .args(["-c", &format!(". '{}' && printf %s \"${}\"", shell.display(), as_var(key))])
            .output()
            .unwrap();
        assert_eq!(stdout_of(ok(&out)), *value, "shell: {key}");
    }
    let python = crate::support::aws::venv().join("bin/python");
    for (format, reader) in [
        ("yaml", "import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))"),
        (
            "csv",
            "import sys, json, csv; print(json.dumps({r['key']: r['value'] for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))}))",
        ),
    ] {
        let file = sb.write(&format!("export.{format}"), &export(format));
        let out = sb.command(&python).args(["-c", reader, file.to_str().unwrap()]).output().unwrap();
        let parsed: BTreeMap<String, String> = serde_json::from_str(&stdout_of(ok(&out))).unwrap();
        assert_eq!(parsed, expected, "{format}");
    }
    let tfvars = export("tfvars");
    assert!(tfvars.contains("DOLLAR = \"$HOME $${PATH} $(id) %%{x}\""), "{tfvars}");
    assert!(tfvars.contains("NEWLINES = \"line1\\nline2\\n\\nline4\""), "{tfvars}");
}

#[test]
fn import_shows_the_plan_and_writes_only_with_yes() {
    let (sb, _) = Sandbox::project();
    set(&sb, "dev", "KEEP", "same");
    set(&sb, "dev", "OLD", "gone soon");
    let file = sb.write("in.env", "KEEP=same\nNEW=fresh\n");
    // Without --yes and without a terminal to ask, a script is refused rather than told "ok".
    sb.tool("envctl")
        .args(["import", "dev", file.to_str().unwrap(), "--prune"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("refusing to apply 2 changes to dev without confirmation"));
    let plan = records(
        &sb.tool("envctl").args(["import", "dev", file.to_str().unwrap(), "--prune", "--dry-run"]).output().unwrap(),
    );
    let planned: Vec<(&str, &str)> =
        plan.iter().map(|r| (r["key"].as_str().unwrap(), r["action"].as_str().unwrap())).collect();
    assert_eq!(planned, [("NEW", "create"), ("OLD", "delete")]);
    assert!(plan.iter().all(|r| r["status"] == "planned"));
    assert_eq!(values(&sb, "dev").len(), 2, "nothing written without --yes");

    ok(&sb
        .tool("envctl")
        .args(["import", "dev", "-", "--prune", "--yes"])
        .write_stdin("KEEP=same\nNEW=fresh\n")
        .output()
        .unwrap());
    let now = values(&sb, "dev");
    assert_eq!(now.keys().collect::<Vec<_>>(), ["KEEP", "NEW"]);

    let bad = sb.write("bad.env", "GOOD=1\nthis is not dotenv\n");
    sb.tool("envctl")
        .args(["import", "dev", bad.to_str().unwrap(), "--yes"])
        .assert()
        .code(65)
        .stderr(predicate::str::contains("bad.env:2: expected KEY=VALUE"));
}

#[test]
fn exec_passes_parameters_and_the_exit_code() {
    let (sb, _) = Sandbox::project();
    set(&sb, "dev", "GREETING", "hello $USER\nworld");
    set(&sb, "dev", "db/url", "postgres://x");
    set(&sb, "dev", "HOME", "/from/ssm");
    let out = sb
        .tool("envctl")
        .args(["exec", "dev", "--", "sh", "-c", "printf '%s|%s|%s' \"$GREETING\" \"$db_url\" \"$HOME\"; exit 7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    // Existing variables win by default (HOME is the sandbox's).
    assert_eq!(stdout_of(&out), format!("hello $USER\nworld|postgres://x|{}", sb.path().display()));
    let out = sb
        .tool("envctl")
        .args(["exec", "dev", "--override", "--", "sh", "-c", "printf %s \"$HOME\""])
        .output()
        .unwrap();
    assert_eq!(stdout_of(ok(&out)), "/from/ssm");
    let out = sb.tool("envctl").args(["exec", "dev", "--pristine", "--", "env"]).output().unwrap();
    let mut vars: Vec<String> = stdout_of(ok(&out))
        .lines()
        .filter(|l| l.contains('='))
        .map(|l| l.split('=').next().unwrap().to_owned())
        .collect();
    vars.sort();
    assert_eq!(vars, ["GREETING", "HOME", "db_url"]);
    sb.tool("envctl")
        .args(["exec", "dev", "--", "no-such-command-xyz"])
        .assert()
        .code(127)
        .stderr(predicate::str::contains("cannot run no-such-command-xyz"));
}

#[test]
fn exec_forwards_signals_to_the_command() {
    let (sb, _) = Sandbox::project();
    set(&sb, "dev", "X", "1");
    let mut child = sb.std_command(crate::support::bin("envctl"));
    let mut child = child
        .args(["exec", "dev", "--", "sh", "-c", "trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    assert_eq!(line, "ready\n");
    #[allow(unsafe_code, clippy::cast_possible_wrap)]
    // SAFETY: sending a signal to our own child.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    assert_eq!(child.wait().unwrap().code(), Some(42), "SIGTERM reached the command and its exit code came back");
}

#[test]
fn temporary_environments_copy_ttl_and_reap() {
    let (sb, app) = Sandbox::project();
    set(&sb, "staging", "API_URL", "https://staging");
    set(&sb, "staging", "SECRET", "s");
    let override_file = sb.write("url", "https://demo");
    let out = sb
        .tool("envctl")
        .args([
            "copy",
            "staging",
            "demo-1",
            "--ttl",
            "1s",
            "--owner",
            "alice",
            "--set",
            &format!("API_URL=@{}", override_file.display()),
        ])
        .output()
        .unwrap();
    let recs = records(&out);
    let env = recs.last().unwrap();
    assert_eq!(
        (env["kind"].as_str(), env["name"].as_str(), env["owner"].as_str(), env["source"].as_str()),
        (Some("env"), Some("demo-1"), Some("alice"), Some("staging"))
    );
    assert_eq!(values(&sb, "demo-1")["API_URL"], "https://demo");
    ok(&sb.tool("envctl").args(["copy", "staging", "demo-2", "--ttl", "72h"]).output().unwrap());
    // The metadata is plain SSM, readable by anyone.
    let meta = aws_values(&sb, &format!("/opskit/{app}/envs"));
    assert_eq!(meta.len(), 2);

    sb.tool("envctl")
        .args(["copy", "staging", "demo-1"])
        .assert()
        .code(73)
        .stderr(predicate::str::contains("already exists"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let expired = records(&sb.tool("envctl").args(["ls", "--expired"]).output().unwrap());
    assert_eq!(expired.iter().map(|r| r["name"].as_str().unwrap()).collect::<Vec<_>>(), ["demo-1"]);

    let dry = records(&sb.tool("envctl").args(["reap", "--dry-run"]).output().unwrap());
    assert_eq!(dry[0]["status"], "planned");
    assert_eq!(values(&sb, "demo-1").len(), 2, "dry run changed nothing");
    // It deletes as rm does: without --yes and without a terminal to ask, nothing is deleted.
    sb.tool("envctl").arg("reap").assert().code(2).stderr(predicate::str::contains("pass --yes"));
    assert_eq!(values(&sb, "demo-1").len(), 2, "an unconfirmed reap changed nothing");
    let reaped = records(&sb.tool("envctl").args(["reap", "--yes"]).output().unwrap());
    assert_eq!((reaped.len(), reaped[0]["env"].as_str(), reaped[0]["keys"].as_u64()), (1, Some("demo-1"), Some(2)));
    let names: Vec<String> = records(&sb.tool("envctl").arg("ls").output().unwrap())
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["demo-2", "dev", "prod", "staging"]);
    assert!(aws_values(&sb, &format!("/{app}/demo-1")).is_empty());
}

#[test]
fn rm_reads_env_records_from_stdin_and_guards_prod() {
    let (sb, _) = Sandbox::project();
    set(&sb, "staging", "K", "v");
    set(&sb, "prod", "K", "v");
    ok(&sb.tool("envctl").args(["copy", "staging", "demo-rm", "--ttl", "1s"]).output().unwrap());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let listing = stdout_of(ok(&sb.tool("envctl").args(["ls", "--expired"]).output().unwrap()));
    // Without --yes and without a terminal, nothing is deleted.
    sb.tool("envctl")
        .args(["rm", "-"])
        .write_stdin(listing.clone())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    let out = sb.tool("envctl").args(["rm", "--yes", "-"]).write_stdin(listing).output().unwrap();
    assert_eq!(records(&out)[0]["env"], "demo-rm");

    sb.tool("envctl").args(["rm", "--yes", "prod"]).assert().code(2).stderr(predicate::str::contains("prod-tier"));
    assert_eq!(values(&sb, "prod").len(), 1);
    sb.tool("envctl")
        .args(["rm", "--yes", "-"])
        .write_stdin("{\"kind\":\"cost\",\"amount\":3}\n")
        .assert()
        .code(65)
        .stderr(predicate::str::contains("record 1 is a `cost` record; envctl rm takes `env` records"));
    sb.tool("envctl")
        .args(["rm", "--yes", "-"])
        .write_stdin("{\"kind\":\"env\",\"name\":")
        .assert()
        .code(65)
        .stderr(predicate::str::contains("record 1: malformed JSON"));
}

#[test]
fn concurrent_if_version_writes_let_exactly_one_win() {
    let (sb, _) = Sandbox::project();
    set(&sb, "dev", "COUNTER", "0");
    let spawn = |value: &str| {
        let mut cmd = sb.tool("envctl");
        cmd.args(["set", "dev", "COUNTER", "--if-version", "1"]).write_stdin(value.to_owned());
        std::thread::spawn(move || cmd.output().unwrap())
    };
    let (a, b) = (spawn("from-a"), spawn("from-b"));
    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    let codes = [a.status.code(), b.status.code()];
    assert!(codes.contains(&Some(0)) && codes.contains(&Some(75)), "{codes:?}: {} / {}", stderr_of(&a), stderr_of(&b));
    let winner = if a.status.success() { "from-a" } else { "from-b" };
    assert_eq!(values(&sb, "dev")["COUNTER"], winner);
    // A stale version is refused outright.
    sb.tool("envctl").args(["set", "dev", "COUNTER", "--if-version", "1"]).write_stdin("late").assert().code(75);
    assert_eq!(values(&sb, "dev")["COUNTER"], winner);
}

#[test]
fn history_and_rollback() {
    let (sb, _) = Sandbox::project();
    for v in ["one", "two", "three"] {
        set(&sb, "dev", "K", v);
    }
    let history = records(&sb.tool("envctl").args(["history", "dev", "K"]).output().unwrap());
    assert_eq!(history.iter().map(|r| r["version"].as_i64().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(history.iter().all(|r| r["kind"] == "param_version" && r.get("value").is_none()));
    let revealed = records(&sb.tool("envctl").args(["history", "dev", "K", "--reveal"]).output().unwrap());
    assert_eq!(revealed[0]["value"], "one");
    let out = records(&sb.tool("envctl").args(["rollback", "dev", "K", "--to", "1"]).output().unwrap());
    assert_eq!(out[0]["version"], 4);
    assert_eq!(values(&sb, "dev")["K"], "one");
    sb.tool("envctl").args(["rollback", "dev", "K", "--to", "99"]).assert().code(66);
    sb.tool("envctl").args(["history", "dev", "NOPE"]).assert().code(66);
}

#[test]
fn unset_reports_each_key() {
    let (sb, _) = Sandbox::project();
    set(&sb, "dev", "A", "1");
    set(&sb, "dev", "B", "2");
    let out = sb.tool("envctl").args(["unset", "dev", "A", "MISSING"]).output().unwrap();
    assert_eq!(out.status.code(), Some(66));
    let statuses: Vec<String> = stdout_of(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["deleted", "missing"]);
    assert_eq!(values(&sb, "dev").keys().collect::<Vec<_>>(), ["B"]);
}

#[test]
fn promote_copies_the_difference() {
    let (sb, _) = Sandbox::project();
    set(&sb, "dev", "SAME", "x");
    set(&sb, "staging", "SAME", "x");
    set(&sb, "dev", "NEW_FLAG", "on");
    set(&sb, "dev", "OTHER", "o");
    let only = records(&sb.tool("envctl").args(["promote", "dev", "staging", "NEW_FLAG"]).output().unwrap());
    assert_eq!(only.len(), 1);
    let all = records(&sb.tool("envctl").args(["promote", "dev", "staging"]).output().unwrap());
    assert_eq!(all.iter().map(|r| r["key"].as_str().unwrap()).collect::<Vec<_>>(), ["OTHER"]);
    assert_eq!(values(&sb, "staging"), values(&sb, "dev"));
    sb.tool("envctl").args(["promote", "dev", "prod"]).assert().code(2).stderr(predicate::str::contains("--yes"));
}

#[test]
fn chamber_layout_reads_and_writes_service_paths() {
    let sb = Sandbox::aws();
    let service = unique("svc");
    ok(&sb
        .aws_cli()
        .args([
            "ssm",
            "put-parameter",
            "--type",
            "SecureString",
            "--name",
            &format!("/{service}/db_password"),
            "--value",
            "pw",
        ])
        .output()
        .unwrap());
    let rec = &records(&sb.tool("envctl").args(["--chamber", "get", &service, "--reveal"]).output().unwrap())[0];
    assert_eq!((rec["key"].as_str(), rec["value"].as_str()), (Some("db_password"), Some("pw")));
    ok(&sb.tool("envctl").args(["--chamber", "set", &service, "Api_Key"]).write_stdin("k").output().unwrap());
    assert!(aws_values(&sb, &format!("/{service}")).contains_key(&format!("/{service}/Api_Key")), "case kept");
}

#[test]
fn empty_values_are_refused_before_anything_is_written() {
    let (sb, _) = Sandbox::project();
    let file = sb.write("in.env", "A=1\nB=\n");
    sb.tool("envctl")
        .args(["import", "dev", file.to_str().unwrap(), "--yes"])
        .assert()
        .code(65)
        .stderr(predicate::str::contains("dev: B: the value is empty"));
    assert!(values(&sb, "dev").is_empty(), "A was not written either");
}

#[test]
fn large_values_need_a_tier_that_holds_them() {
    let (sb, app) = Sandbox::project();
    let big = "x".repeat(5000);
    sb.tool("envctl")
        .args(["set", "dev", "BIG"])
        .write_stdin(big.clone())
        .assert()
        .code(65)
        .stderr(predicate::str::contains("5000 bytes").and(predicate::str::contains("intelligent-tiering")));
    sb.write(
        "opskit.toml",
        &format!("app = \"{app}\"\n[envs.dev]\ntier = \"dev\"\n[envctl]\ntier = \"intelligent-tiering\"\n"),
    );
    set(&sb, "dev", "BIG", &big);
    assert_eq!(values(&sb, "dev")["BIG"], big);
}

#[test]
fn dry_run_changes_nothing() {
    let (sb, _) = Sandbox::project();
    set(&sb, "dev", "KEEP", "1");
    set(&sb, "dev", "OLD", "2");
    set(&sb, "staging", "S", "3");
    let before = (values(&sb, "dev"), values(&sb, "staging"));
    let file = sb.write("in.env", "KEEP=changed\nNEW=x\n");
    let file = file.to_str().unwrap();
    for args in [
        &["--dry-run", "set", "dev", "NEW"][..],
        &["--dry-run", "unset", "dev", "KEEP"],
        &["--dry-run", "rollback", "dev", "KEEP", "--to", "1"],
        &["--dry-run", "--yes", "import", "dev", file, "--prune"],
        &["--dry-run", "promote", "staging", "dev"],
        &["--dry-run", "copy", "staging", "dev-copy"],
        &["--dry-run", "--yes", "rm", "staging"],
    ] {
        let out = sb.tool("envctl").args(args).write_stdin("value").output().unwrap();
        let planned = records(&out);
        assert!(
            !planned.is_empty() && planned.iter().all(|r| r["kind"] == "env" || r["status"] == "planned"),
            "{args:?}: {planned:?}"
        );
    }
    assert_eq!((values(&sb, "dev"), values(&sb, "staging")), before);
    sb.tool("envctl").args(["get", "dev-copy"]).assert().code(66);
}

#[test]
fn copy_over_an_existing_environment_needs_force_and_confirmation() {
    let (sb, _) = Sandbox::project();
    set(&sb, "staging", "A", "new");
    ok(&sb.tool("envctl").args(["copy", "staging", "demo-f"]).output().unwrap());
    set(&sb, "demo-f", "EXTRA", "x");
    sb.tool("envctl")
        .args(["copy", "staging", "demo-f", "--force"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    let out = records(&sb.tool("envctl").args(["copy", "staging", "demo-f", "--force", "--yes"]).output().unwrap());
    assert!(out.iter().any(|r| r["key"] == "EXTRA" && r["action"] == "delete" && r["status"] == "deleted"), "{out:?}");
    assert_eq!(values(&sb, "demo-f").keys().collect::<Vec<_>>(), ["A"]);
    sb.tool("envctl")
        .args(["copy", "staging", "prod", "--force", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("prod-tier"));
}

#[test]
fn secrets_never_reach_stderr_with_rust_log_trace() {
    let (sb, _) = Sandbox::project();
    let secret = "trace-S3CRET-9876";
    for (args, stdin) in [
        (&["set", "dev", "TOKEN"][..], secret),
        (&["get", "dev", "--reveal"], ""),
        (&["history", "dev", "TOKEN", "--reveal"], ""),
        (&["export", "dev"], ""),
        (&["exec", "dev", "--", "true"], ""),
    ] {
        let out = sb.tool("envctl").env("RUST_LOG", "trace").args(args).write_stdin(stdin).output().unwrap();
        ok(&out);
        assert!(stderr_of(&out).lines().count() > 10, "{args:?}: RUST_LOG=trace logs");
        assert!(!stderr_of(&out).contains(secret), "{args:?} logged the secret");
    }
}

#[test]
fn secrets_never_reach_stderr_even_at_trace_level() {
    let (sb, _) = Sandbox::project();
    let secret = "s3cr3t-VALUE-4242";
    let out = sb.tool("envctl").args(["-vvv", "set", "dev", "TOKEN"]).write_stdin(secret).output().unwrap();
    ok(&out);
    assert!(!out.stderr.is_empty(), "-vvv logs something");
    assert!(!stderr_of(&out).contains(secret));
    for args in [
        &["-vvv", "get", "dev", "--reveal"][..],
        &["-vvv", "export", "dev"],
        &["-vvv", "diff", "dev", "staging", "--reveal"],
    ] {
        let out = sb.tool("envctl").args(args).output().unwrap();
        assert!(stdout_of(&out).contains(secret), "{args:?} prints it on stdout");
        assert!(!stderr_of(&out).contains(secret), "{args:?} logged the secret");
    }
}

// A new user's first minutes (pipes; the terminal's part is in terminal.rs).

#[test]
fn the_first_key_of_a_new_environment_creates_it_and_says_so() {
    // No opskit.toml: only --app.
    let sb = Sandbox::aws();
    let app = unique("casetracker");
    let out = sb.tool("envctl").args(["--app", &app, "set", "dev", "API_TOKEN"]).write_stdin("x").output().unwrap();
    ok(&out);
    assert!(
        stderr_of(&out).contains("envctl: created environment `dev` (tier dev) with its first key"),
        "{}",
        stderr_of(&out)
    );
    let out = sb
        .tool("envctl")
        .args(["--app", &app, "import", "staging", "-", "--yes"])
        .write_stdin("A=1\n")
        .output()
        .unwrap();
    ok(&out);
    assert!(stderr_of(&out).contains("created environment `staging`"), "{}", stderr_of(&out));
    // A likely typo of an existing environment is refused, with a hint that works.
    let out = sb.tool("envctl").args(["--app", &app, "set", "stagnig", "K"]).write_stdin("v").output().unwrap();
    assert_eq!(out.status.code(), Some(66));
    assert_eq!(
        stderr_of(&out),
        "envctl: error: environment `stagnig` does not exist; did you mean `staging`?\n  hint: to create `stagnig` as a new environment, run the command again with --create\n"
    );
    ok(&sb.tool("envctl").args(["--app", &app, "set", "stagnig", "K", "--create"]).write_stdin("v").output().unwrap());
    // A numbered series is not a typo.
    ok(&sb.tool("envctl").args(["--app", &app, "set", "demo-1", "K"]).write_stdin("v").output().unwrap());
    ok(&sb.tool("envctl").args(["--app", &app, "set", "demo-2", "K"]).write_stdin("v").output().unwrap());
    let names: Vec<String> = records(&sb.tool("envctl").args(["--app", &app, "ls"]).output().unwrap())
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["demo-1", "demo-2", "dev", "staging", "stagnig"]);
    // A missing environment's hint names commands that work from here.
    sb.tool("envctl").args(["--app", &app, "get", "qa"]).assert().code(66).stderr(predicate::str::contains(
        "hint: `envctl ls` lists the environments; start this one with `envctl set qa KEY`",
    ));
}

#[test]
fn dash_e_and_opskit_env_fill_an_omitted_environment() {
    let (mut sb, _) = Sandbox::project();
    set(&sb, "dev", "K", "dev-value");
    set(&sb, "staging", "K", "staging-value");
    let value = |out: Output| records(&out)[0]["value"].as_str().unwrap().to_owned();
    assert_eq!(value(sb.tool("envctl").args(["-e", "dev", "get", "--reveal"]).output().unwrap()), "dev-value");
    assert_eq!(value(sb.tool("envctl").args(["-e", "dev", "get", "K", "--reveal"]).output().unwrap()), "dev-value");
    assert_eq!(
        value(sb.tool("envctl").args(["-e", "dev", "get", "dev", "K", "--reveal"]).output().unwrap()),
        "dev-value"
    );
    let out = sb.tool("envctl").args(["-e", "staging", "diff", "dev"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(records_of(&out)[0]["a"], "staging");
    sb.set("OPSKIT_ENV", "staging");
    assert_eq!(value(sb.tool("envctl").args(["get", "--reveal"]).output().unwrap()), "staging-value");
    ok(&sb.tool("envctl").arg("set").arg("NEW").write_stdin("n").output().unwrap());
    assert_eq!(values(&sb, "staging")["NEW"], "n");
    // Both given and different: a usage error, not a silent choice.
    sb.tool("envctl").args(["get", "dev"]).assert().code(2).stderr(predicate::str::contains(
        "two environments given: `dev` as the argument and `staging` with -e/OPSKIT_ENV",
    ));
}

fn records_of(out: &Output) -> Vec<Value> {
    stdout_of(out).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn set_keeps_a_keys_type_and_plain_values_are_shown_without_reveal() {
    let (sb, _) = Sandbox::project();
    ok(&sb.tool("envctl").args(["set", "dev", "LOG_LEVEL", "--type", "plain"]).write_stdin("info").output().unwrap());
    set(&sb, "dev", "LOG_LEVEL", "debug");
    set(&sb, "dev", "TOKEN", "t0ken");
    let got = records(&sb.tool("envctl").args(["get", "dev"]).output().unwrap());
    let by_key = |k: &str| got.iter().find(|r| r["key"] == k).unwrap().clone();
    assert_eq!(
        (by_key("LOG_LEVEL")["type"].as_str(), by_key("LOG_LEVEL")["value"].as_str()),
        (Some("plain"), Some("debug"))
    );
    assert_eq!(by_key("TOKEN")["type"], "secure");
    assert!(by_key("TOKEN").get("value").is_none(), "secure values still need --reveal");
    let table = stdout_of(ok(&sb.tool("envctl").args(["get", "dev", "-o", "table"]).output().unwrap()));
    assert!(table.contains("debug") && table.contains("********") && !table.contains("t0ken"), "{table}");
    // An explicit --type still changes it.
    ok(&sb.tool("envctl").args(["set", "dev", "LOG_LEVEL", "--type", "secure"]).write_stdin("x").output().unwrap());
    let got = records(&sb.tool("envctl").args(["get", "dev", "LOG_LEVEL"]).output().unwrap());
    assert_eq!(got[0]["type"], "secure");
}

#[test]
fn empty_results_say_so_on_stderr_in_tables() {
    let (sb, _) = Sandbox::project();
    set(&sb, "dev", "K", "v");
    set(&sb, "staging", "K", "v");
    let out = sb.tool("envctl").args(["diff", "dev", "staging", "-o", "table"]).output().unwrap();
    assert_eq!(
        (out.status.code(), stdout_of(&out), stderr_of(&out)),
        (Some(0), String::new(), "envctl: no differences\n".to_owned())
    );
    let out = sb.tool("envctl").args(["promote", "dev", "staging"]).output().unwrap();
    assert_eq!(stderr_of(ok(&out)), "envctl: nothing to promote: staging already has dev's values\n");
    let out = sb.tool("envctl").args(["ls", "--expired", "-o", "table"]).output().unwrap();
    assert_eq!(stderr_of(ok(&out)), "envctl: no expired environments\n");
}

#[test]
fn show_lists_key_names_one_per_line() {
    let (sb, _) = Sandbox::project();
    set(&sb, "dev", "A_KEY", "1");
    set(&sb, "dev", "B_KEY", "2");
    let out = stdout_of(ok(&sb.tool("envctl").args(["show", "dev", "-o", "table"]).output().unwrap()));
    assert!(out.contains("key_names   A_KEY\n            B_KEY\n"), "{out}");
}

#[test]
fn an_interrupted_copy_stops_cleanly_says_how_to_finish_and_stays_marked_until_finished() {
    let (sb, app) = Sandbox::project();
    let keys = 600;
    let json: serde_json::Map<String, Value> =
        (0..keys).map(|i| (format!("K{i:04}"), Value::String(format!("v{i}")))).collect();
    let file = sb.write("big.json", &Value::Object(json).to_string());
    ok(&sb
        .tool("envctl")
        .args(["import", "staging", file.to_str().unwrap(), "--yes", "--type", "plain"])
        .output()
        .unwrap());

    let mut cmd = sb.std_command(crate::support::bin("envctl"));
    cmd.args(["-v", "copy", "staging", "demo-int", "--ttl", "1h"]);
    // Ctrl-C once the writing has begun.
    let (out, rest) =
        crate::support::signal_when(cmd, "writing parameters", std::time::Duration::from_millis(150), libc::SIGINT);
    assert_eq!(out.status.code(), Some(130), "{rest}");
    let error = rest.lines().find(|l| l.starts_with("envctl: error: ")).unwrap_or_else(|| panic!("{rest}"));
    assert!(error.contains(&format!("of {keys} keys written to demo-int; it is marked incomplete")), "{error}");
    assert!(
        rest.contains("hint: finish with `envctl copy staging demo-int --force --ttl 1h`, or undo it with `envctl rm demo-int --yes`"),
        "{rest}"
    );
    let changes: Vec<Value> = records_of(&out);
    let not_started = changes.iter().filter(|r| r["status"] == "not_started").count();
    let written = changes.iter().filter(|r| r["status"] == "written").count();
    assert!(not_started > 0 && written > 0 && written + not_started == keys, "{written} + {not_started}");
    let listed = |sb: &Sandbox| {
        records(&sb.tool("envctl").arg("ls").output().unwrap()).into_iter().find(|r| r["name"] == "demo-int").unwrap()
    };
    let entry = listed(&sb);
    assert_eq!(entry["incomplete"], true);
    assert_eq!(entry["finish"], "envctl copy staging demo-int --force --ttl 1h");
    assert_eq!(aws_values(&sb, &format!("/{app}/demo-int")).len(), written);

    ok(&sb.tool("envctl").args(["copy", "staging", "demo-int", "--force", "--ttl", "1h", "--yes"]).output().unwrap());
    let entry = listed(&sb);
    assert_eq!((entry["incomplete"].as_bool(), entry["keys"].as_u64()), (Some(false), Some(keys as u64)));
}

/// `(key, value)` pairs read from a dotenv file by a real reader.
fn read_dotenv(sb: &Sandbox, reader: &str, file: &std::path::Path) -> BTreeMap<String, String> {
    let venv = crate::support::aws::venv();
    let out = match reader {
        "python-dotenv" => sb
            .command(venv.join("bin/python"))
            .args(["-c", "import sys, json; from dotenv import dotenv_values; print(json.dumps(dotenv_values(sys.argv[1])))"])
            .arg(file)
            .output()
            .unwrap(),
        "Node's dotenv" => sb
            .command("node")
            .env("NODE_PATH", venv.join("node/node_modules"))
            .args(["-e", "const fs = require('fs'); console.log(JSON.stringify(require('dotenv').parse(fs.readFileSync(process.argv[1]))))"])
            .arg(file)
            .output()
            .unwrap(),
        _ => {
            // sh: source it with every assignment exported, and print the environment.
            let out = sb.command("sh").args(["-c", "set -a; . \"$1\"; env -0", "sh"]).arg(file).output().unwrap();
            let text = stdout_of(ok(&out));
            return text
                .split('\0')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
        }
    };
    serde_json::from_str(&stdout_of(ok(&out))).unwrap()
}

#[test]
fn dotenv_exports_read_back_exactly_in_sh_python_dotenv_and_nodes_dotenv() {
    let (sb, _) = Sandbox::project();
    let readable = [
        ("DOLLAR", "dollar $HOME and $(id) and $"),
        ("QUOTED", "a \"quoted\" value"),
        ("BACKSLASH", "back\\slash and C:\\new\\dir"),
        ("APOSTROPHE", "it's"),
        ("MULTILINE", "-----BEGIN KEY-----\nabc\n-----END KEY-----"),
        ("HASH", "v # not a comment"),
        ("SPACES", "  padded  "),
        ("UNICODE", "ünïcødé ✓ 日本語 🚀"),
        ("EQUALS", "a=b==c"),
    ];
    // No quoting reads these back in all three: the export names each, and the reader.
    // (python-dotenv expands `${X}` however it is quoted.)
    let unportable =
        [("BOTH_QUOTES", "it's \"both\" $HOME"), ("DOUBLE_BACKSLASH", "a\\\\b"), ("DOLLAR_BRACE", "dollar ${X}")];
    for (key, value) in readable.iter().chain(&unportable) {
        set(&sb, "dev", key, value);
    }
    let out = sb.tool("envctl").args(["export", "dev", "--format", "dotenv"]).output().unwrap();
    let file = sb.write("app.env", &stdout_of(ok(&out)));
    let warnings = stderr_of(&out);
    for (key, _) in &unportable {
        assert!(
            warnings.contains(&format!("envctl: warning: dev: {key} will not read back exactly in ")),
            "{warnings}"
        );
    }
    assert_eq!(warnings.lines().count(), unportable.len(), "{warnings}");
    for reader in ["sh", "python-dotenv", "Node's dotenv"] {
        let got = read_dotenv(&sb, reader, &file);
        for (key, value) in readable {
            assert_eq!(got.get(key).map(String::as_str), Some(value), "{reader}: {key}");
        }
        for (key, value) in unportable {
            let named = warnings.lines().any(|l| l.contains(&format!(" {key} ")) && l.contains(reader));
            let exact = got.get(key).map(String::as_str) == Some(value);
            assert!(exact || named, "{reader}: {key} is neither read back nor named: {warnings}");
        }
    }
    // --dialect writes for one reader, exactly (what it cannot hold at all is named).
    for (dialect, reader) in [("sh", "sh"), ("python", "python-dotenv"), ("node", "Node's dotenv")] {
        let out = sb.tool("envctl").args(["export", "dev", "--dialect", dialect]).output().unwrap();
        let warnings = stderr_of(ok(&out));
        let expected = if dialect == "python" {
            "envctl: warning: dev: DOLLAR_BRACE will not read back exactly in python-dotenv (no quoting holds this value for it); --dialect picks the reader to write for\n"
        } else {
            ""
        };
        assert_eq!(warnings, expected, "{dialect}");
        let file = sb.write(&format!("{dialect}.env"), &stdout_of(&out));
        let got = read_dotenv(&sb, reader, &file);
        for (key, value) in readable.iter().chain(&unportable).filter(|(k, _)| !warnings.contains(&format!(" {k} "))) {
            assert_eq!(got.get(*key).map(String::as_str), Some(*value), "{dialect}: {key}");
        }
    }
    // And import reads the portable file back as it was.
    let portable = sb.write("portable.env", &stdout_of(&sb.tool("envctl").args(["export", "dev"]).output().unwrap()));
    ok(&sb.tool("envctl").args(["import", "staging", portable.to_str().unwrap(), "--yes"]).output().unwrap());
    assert_eq!(values(&sb, "staging"), values(&sb, "dev"));
}
