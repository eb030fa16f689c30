//! The sandbox (sandbox/sandbox.sh) as a newcomer meets it: started by its one command, the
//! README's tour run on it at a terminal, printing what the README says it prints, then
//! examples/Makefile's targets run against it, each checked by the state it leaves.
//!
//! One test, because a sandbox is one organisation (its database names are fixed) and the
//! Makefile's `db-refresh` restores the dump the tour made.

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

use crate::support::aws::venv;
use crate::support::db::pg_sql;
use crate::support::pty::Pty;
use crate::support::{Sandbox, bin, root, stderr_of, stdout_of};

/// A running sandbox; stopped (its emulator and databases gone) when dropped.
struct Running {
    sb: Sandbox,
    script: PathBuf,
}

impl Running {
    fn up() -> Running {
        let mut sb = Sandbox::new();
        let tools = bin("envctl").parent().expect("the target dir").to_owned();
        let path = format!("{}:{}", tools.display(), sb.var("PATH").unwrap().to_string_lossy());
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let state = sb.path().join("sandbox");
        sb.set("PATH", path)
            .set("OPSKIT_VENV", venv())
            .set("OPSKIT_SANDBOX_PORT", port.to_string())
            .set("OPSKIT_SANDBOX_DIR", state);
        let script = root().join("sandbox/sandbox.sh");
        let out = sb.command(&script).arg("up").output().unwrap();
        let mut running = Running { sb, script };
        assert!(out.status.success(), "sandbox.sh up: {}", stderr_of(&out));
        // Apply the printed lines as `eval` would.
        for line in stdout_of(&out).lines() {
            if let Some(names) = line.strip_prefix("unset ") {
                for name in names.split_whitespace() {
                    running.sb.unset(name);
                }
            } else if let Some((name, value)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) {
                running.sb.set(name, value);
            } else {
                panic!("sandbox.sh up printed a line that is not for eval: {line:?}");
            }
        }
        running
    }

    fn sh(&self, script: &str) -> Output {
        self.sb.command("sh").args(["-c", script]).output().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.sb.command(&self.script).arg("down").output();
    }
}

/// The README's tour: each `$ command` in the ```console blocks of "Try it without an AWS
/// account", with the lines after it as its output.
fn tour() -> Vec<(String, Vec<String>)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme.split("\n## Try it without an AWS account").nth(1).expect("the README's tour section");
    let section = section.split("\n## ").next().unwrap();
    let mut steps: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_block = false;
    for line in section.lines() {
        if line.starts_with("```") {
            in_block = line == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            steps.push((cmd.to_owned(), Vec::new()));
        } else if let Some((_, out)) = steps.last_mut() {
            out.push(line.to_owned());
        }
    }
    steps
}

/// What a terminal shows at the end: escape sequences applied (a line redrawn after `\r` shows
/// its last drawing), blank lines dropped.
fn final_screen(raw: &str) -> Vec<String> {
    let mut text = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ params final-byte; anything else: ESC and one byte.
            if chars.next_if_eq(&'[').is_some() {
                for p in chars.by_ref() {
                    if ('@'..='~').contains(&p) {
                        break;
                    }
                }
            } else {
                chars.next();
            }
        } else {
            text.push(c);
        }
    }
    text.split('\n')
        .map(|l| l.trim_end_matches('\r').rsplit('\r').next().unwrap_or("").trim_end().to_owned())
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// Whether a line the terminal shows is the line the README shows, allowing for what changes
/// from run to run: a README token that mixes letters and digits over 8 or more characters (an
/// id, a key, a timestamp, a hash) stands for any token; other numbers may differ in their
/// digits (and thousands separators) but not their shape; column widths follow the values.
fn same_line(readme: &str, shown: &str) -> bool {
    let (want, got) = (tokens(readme), tokens(shown));
    want.len() == got.len()
        && want.iter().zip(&got).all(|(w, g)| {
            let digits = w.chars().any(|c| c.is_ascii_digit());
            let letters = w.chars().any(|c| c.is_ascii_alphabetic());
            (digits && letters && w.chars().count() >= 8) || digit_shape(w) == digit_shape(g)
        })
}

fn tokens(line: &str) -> Vec<String> {
    line.split_whitespace()
        .map(|t| {
            let b = t.as_bytes();
            t.char_indices()
                .filter(|&(i, c)| {
                    !(c == ',' && i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit))
                })
                .map(|(_, c)| c)
                .collect()
        })
        .collect()
}

/// Each run of digits as one `0`.
fn digit_shape(token: &str) -> String {
    let mut s = String::new();
    let mut in_digits = false;
    for c in token.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                s.push('0');
            }
            in_digits = true;
        } else {
            s.push(c);
            in_digits = false;
        }
    }
    s
}

#[test]
fn the_readme_tour_and_the_makefile_targets_run_on_the_sandbox() {
    let sandbox = Running::up();
    let sb = &sandbox.sb;

    // The tour, at a terminal 100 columns wide.
    let steps = tour();
    assert!(steps.len() >= 8, "the tour has a command or two per tool: {steps:?}");
    let mut mismatches = Vec::new();
    for (cmd, expected) in &steps {
        let mut command = sb.std_command("sh");
        command.args(["-c", cmd]).env("TERM", "xterm").env("COLUMNS", "100");
        let (_, screen) = Pty::spawn(command, 100).finish();
        let shown = final_screen(&screen);
        let want: Vec<&String> = expected.iter().filter(|l| !l.trim().is_empty()).collect();
        if want.len() != shown.len() || !want.iter().zip(&shown).all(|(w, g)| same_line(w, g)) {
            mismatches.push(format!(
                "$ {cmd}\n--- the README says:\n{}\n--- the terminal shows:\n{}",
                expected.join("\n"),
                shown.join("\n")
            ));
        }
    }
    assert!(mismatches.is_empty(), "the tour differs from the README:\n\n{}", mismatches.join("\n\n"));

    makefile_targets(&sandbox);
}

fn make(sandbox: &Running, args: &[&str]) -> Output {
    let makefile = root().join("examples/Makefile");
    sandbox.sb.command("make").arg("-s").arg("-f").arg(makefile).args(args).output().unwrap()
}

fn ok(out: Output, what: &str) -> Output {
    assert!(out.status.success(), "{what} exited {:?}: {}", out.status.code(), stderr_of(&out));
    out
}

fn makefile_targets(sandbox: &Running) {
    let sb = &sandbox.sb;
    let help = stdout_of(&ok(make(sandbox, &["help"]), "make help"));
    for target in ["db-refresh", "env", "demo-up", "demo-down", "cost", "access-staging", "mail-check"] {
        assert!(help.contains(&format!("make {target} ")), "`make help` lists {target}: {help}");
    }

    // env: .env from dev, readable by the shell, private to its owner.
    ok(make(sandbox, &["env"]), "make env");
    let dotenv = sb.path().join(".env");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&dotenv).unwrap().permissions());
    assert_eq!(mode & 0o077, 0, ".env is private");
    let read_back = stdout_of(&ok(sandbox.sh("set -a; . ./.env; echo \"$LOG_LEVEL $DATABASE_URL\""), "sourcing .env"));
    assert_eq!(read_back.trim(), "debug postgres://postgres@127.0.0.1:5432/casetracker_dev");
    assert!(!sb.path().join(".env.tmp").exists());

    // demo-up / demo-down: a temporary environment with a TTL, then gone.
    let usage = make(sandbox, &["demo-up"]);
    assert!(!usage.status.success() && stderr_of(&usage).contains("NAME=demo-7"), "{}", stderr_of(&usage));
    ok(make(sandbox, &["demo-up", "NAME=demo-7", "DEMO_TTL=3h"]), "make demo-up");
    let envs: Vec<Value> = stdout_of(&ok(sandbox.sh("envctl ls -o json"), "envctl ls"))
        .parse::<Value>()
        .map(|v| v.as_array().unwrap().clone())
        .unwrap();
    let demo = envs.iter().find(|e| e["name"] == "demo-7").unwrap_or_else(|| panic!("demo-7 listed: {envs:?}"));
    assert!(demo["expires"].is_string(), "a TTL: {demo}");
    let level = stdout_of(&ok(sandbox.sh("envctl get demo-7 LOG_LEVEL -o json | jq -r '.[0].value'"), "get"));
    assert_eq!(level.trim(), "info", "copied from staging");
    ok(make(sandbox, &["demo-down", "NAME=demo-7"]), "make demo-down");
    let gone = sandbox.sh("envctl get demo-7");
    assert_eq!(gone.status.code(), Some(66), "{}", stderr_of(&gone));

    // db-refresh: the latest sanitised staging dump (the tour made it) into the local database.
    ok(make(sandbox, &["db-refresh"]), "make db-refresh");
    assert_eq!(pg_sql("casetracker_dev", "SELECT count(*) FROM people").trim(), "2000");
    let real = pg_sql("casetracker_staging", "SELECT email FROM people ORDER BY id LIMIT 50");
    let local = pg_sql("casetracker_dev", "SELECT email FROM people ORDER BY id LIMIT 50");
    assert!(real.lines().zip(local.lines()).all(|(r, l)| r != l), "no real email reaches the laptop");
    ok(make(sandbox, &["db-refresh"]), "make db-refresh again, over the first");

    // cost: this month by service, the same answer as the billing export in the bucket.
    let ce = cost_map(&stdout_of(&ok(make(sandbox, &["cost"]), "make cost")));
    let export = cost_map(&stdout_of(&ok(
        sandbox.sh("costq --month --by service --source s3://casetracker-billing/focus/"),
        "costq",
    )));
    assert_eq!(ce.len(), 7, "{ce:?}");
    assert_eq!(ce, export, "Cost Explorer and the export agree");

    // access-staging: a pending request, as dana, in the ledger.
    let usage = make(sandbox, &["access-staging"]);
    assert!(!usage.status.success() && stderr_of(&usage).contains("REASON="), "{}", stderr_of(&usage));
    let mut dana = sandbox.sb.command("make");
    dana.env("AWS_PROFILE", "dana").arg("-s").arg("-f").arg(root().join("examples/Makefile"));
    let out = dana.args(["access-staging", "REASON=INC-9: slow search", "FOR=1h"]).output().unwrap();
    let grant: Value = serde_json::from_str(stdout_of(&ok(out, "make access-staging")).trim()).unwrap();
    assert_eq!(grant["state"], "pending");
    assert!(grant["requester"].as_str().unwrap().ends_with(":user/dana"), "{grant}");
    let id = grant["id"].as_str().unwrap();
    let aws = sb
        .command(venv().join("bin/aws"))
        .args(["s3", "cp", &format!("s3://casetracker-access-ledger/grants/{id}.json"), "-"])
        .output();
    let stored = stdout_of(&ok(aws.unwrap(), "reading the ledger with the AWS CLI"));
    let stored: Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored["state"], "pending");
    assert_eq!(stored["reason"], "INC-9: slow search");

    // mail-check: the check runs against SES; its DNS is not published (no zone serves
    // casetracker.example.gov), so the DKIM records are reported missing and it exits 1.
    let out = make(sandbox, &["mail-check"]);
    let findings: Vec<Value> = stdout_of(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(
        findings.iter().any(|f| f["check"].as_str().is_some_and(|c| c.starts_with("dkim")) && f["status"] == "fail"),
        "{findings:?}"
    );
    assert_ne!(out.status.code(), Some(0));
}

/// `cost` records as service → amount text.
fn cost_map(ndjson: &str) -> std::collections::BTreeMap<String, String> {
    ndjson
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["kind"] == "cost")
        .map(|r| (r["group"]["service"].as_str().unwrap().to_owned(), r["amount"].to_string()))
        .collect()
}

#[test]
fn the_tour_matcher_allows_ids_and_amounts_but_nothing_else() {
    assert!(same_line("2qfh31d28w  pending  staging", "abcdefghij  pending  staging"));
    assert!(same_line("Amazon RDS  1,965.64", "Amazon RDS   965.10"));
    assert!(!same_line("prod  3077.11", "prod  3077"));
    assert!(!same_line("2qfh31d28w  pending", "2qfh31d28w  active"));
    assert!(!same_line("a b", "a b c"));
    assert_eq!(final_screen("\u{1b}[32m⠁ dumping\r\u{1b}[2KID  ENV\r\nx  dev\r\n\r\n"), ["ID  ENV", "x  dev"]);
}
