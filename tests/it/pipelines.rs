//! DESIGN.md's "How the tools chain": each pipeline run through a real `sh` with real `jq`,
//! against the emulator and the real databases, asserting the state it leaves (what is in SSM,
//! S3, IAM, the database), not just its exit code.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::db::PgDb;
use crate::support::{Sandbox, bin, stderr_of, stdout_of, unique};

/// Run `script` with `sh -c`, the tools on PATH.
fn sh(sb: &Sandbox, script: &str) -> Output {
    let tools = bin("envctl").parent().expect("the target dir").to_owned();
    let path =
        format!("{}:{}", tools.display(), sb.var("PATH").map(|p| p.to_string_lossy().into_owned()).unwrap_or_default());
    let out = sb.command("sh").env("PATH", path).args(["-c", &format!("set -e\n{script}")]).output().unwrap();
    assert!(out.status.success(), "`{script}` exited {:?}: {}", out.status.code(), stderr_of(&out));
    out
}

fn ssm_names(sb: &Sandbox, path: &str) -> Vec<String> {
    let out = sb.aws_cli().args(["ssm", "get-parameters-by-path", "--recursive", "--path", path]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["Parameters"].as_array().unwrap().iter().map(|p| p["Name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn reaping_temporary_environments_through_ls_and_rm() {
    let (sb, app) = Sandbox::project();
    sb.tool("envctl").args(["set", "staging", "K"]).write_stdin("v").assert().success();
    sb.tool("envctl").args(["copy", "staging", "demo-old", "--ttl", "1s"]).assert().success();
    sb.tool("envctl").args(["copy", "staging", "demo-new", "--ttl", "1h"]).assert().success();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    sh(&sb, "envctl ls --expired | envctl rm --yes -");
    assert!(ssm_names(&sb, &format!("/{app}/demo-old")).is_empty(), "the expired environment's parameters are gone");
    assert_eq!(ssm_names(&sb, &format!("/{app}/demo-new")).len(), 1, "the other one stays");
    assert!(ssm_names(&sb, &format!("/opskit/{app}/envs")).iter().all(|n| !n.ends_with("/demo-old")));
}

#[test]
fn dumping_the_environment_on_stdin_and_restoring_the_first_listed_dump() {
    let (sb, app) = Sandbox::project();
    let mut sb = sb;
    sb.set("DBDUMP_KEY", "pipeline key");
    let source = PgDb::new();
    source.sql("CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 25) g;");
    sb.tool("envctl").args(["set", "staging", "DATABASE_URL"]).write_stdin(source.url()).assert().success();
    let store = sb.path().join("dumps");
    let store = store.display();
    sh(&sb, &format!("envctl show staging | dbdump --store '{store}' create -"));
    let dumps = Path::new(&store.to_string()).join(&app).join("staging");
    assert_eq!(std::fs::read_dir(&dumps).unwrap().count(), 1, "one dump filed under {app}/staging");
    let target = PgDb::new();
    sh(
        &sb,
        &format!(
            "dbdump --store '{store}' ls --env staging | jq -s 'first' | dbdump --store '{store}' restore - --to {}",
            target.url()
        ),
    );
    assert_eq!(target.sql("SELECT count(*), max(body) FROM notes").trim(), "25|note 9");
}

#[test]
fn ses_dns_records_through_jq() {
    let sb = Sandbox::aws();
    let domain = format!("{}.example.gov", unique("mail"));
    sb.tool("sesconfig").args(["setup", &domain]).output().unwrap();
    let records: Vec<Value> =
        serde_json::from_slice(&sb.tool("sesconfig").args(["dns", &domain, "-o", "json"]).output().unwrap().stdout)
            .unwrap();
    assert!(records.len() >= 5, "{records:?}");
    let out = sh(&sb, &format!("sesconfig dns {domain} -o json | jq -r '.[] | \"\\(.name) \\(.type) \\(.value)\"'"));
    let lines: Vec<String> = stdout_of(&out).lines().map(str::to_owned).collect();
    let expected: Vec<String> = records
        .iter()
        .map(|r| {
            format!("{} {} {}", r["name"].as_str().unwrap(), r["type"].as_str().unwrap(), r["value"].as_str().unwrap())
        })
        .collect();
    assert_eq!(lines, expected);
}

/// Every tool's `-o csv`, read back by a CSV parser: a header, then rows of the same width whose
/// `kind` column says what they are.
#[test]
fn every_tools_csv_reads_back() {
    let (mut sb, _) = Sandbox::project();
    sb.set("DBDUMP_KEY", "k");
    sb.tool("envctl").args(["set", "dev", "QUOTED", "--type", "plain"]).write_stdin("a, \"b\"\nc").assert().success();
    let db = PgDb::new();
    db.sql("CREATE TABLE t (id int)");
    let store = sb.path().join("dumps");
    sb.tool("dbdump").arg("--store").arg(&store).args(["-e", "dev", "create", "--url", &db.url()]).assert().success();
    let domain = format!("{}.example.gov", unique("csv"));
    sb.tool("sesconfig").args(["setup", &domain]).output().unwrap();
    let store = store.display().to_string();
    for (tool, args, kind) in [
        ("envctl", vec!["get", "dev"], "param"),
        ("envctl", vec!["ls"], "env"),
        ("dbdump", vec!["--store", store.as_str(), "-e", "dev", "ls"], "dump"),
        ("sesconfig", vec!["dns", domain.as_str()], "dns_record"),
        ("envctl", vec!["doctor"], "identity"),
    ] {
        let out = sb.tool(tool).args(&args).args(["-o", "csv"]).output().unwrap();
        assert!(out.status.success(), "{tool} {args:?}: {}", stderr_of(&out));
        let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(headers.get(0), Some("kind"), "{tool} {args:?}");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert!(!rows.is_empty(), "{tool} {args:?}");
        assert!(rows.iter().all(|r| r.len() == headers.len() && r.get(0) == Some(kind)), "{tool} {args:?}");
        if tool == "envctl" && args[0] == "get" {
            let value = headers.iter().position(|h| h == "value").unwrap();
            assert_eq!(rows[0].get(value), Some("a, \"b\"\nc"), "quoting survives");
        }
    }
}
