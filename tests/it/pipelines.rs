//! DESIGN.md's "How the tools chain": each pipeline run through a real `sh` with real `jq`,
//! against the emulator and the real databases, asserting the state it leaves (what is in SSM,
//! S3, IAM, the database), not just its exit code.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::accessgrant::{World, id, ok, record};
use crate::costq::{by_group, dec, records};
use crate::support::aws::{self, in_own_account, seed_ce};
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

/// Today, UTC, in days since 1970-01-01 (the tools' "this month" without `--as-of`).
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    i64::try_from(secs / 86_400).unwrap()
}

/// The first day of the month `day` is in, and the first day of the next (Cost Explorer's
/// exclusive end), as `YYYY-MM-DD`.
pub fn month_of(day: i64) -> (String, String) {
    let text = crate::costq::day_text(day);
    let (y, m): (i64, i64) = (text[..4].parse().unwrap(), text[5..7].parse().unwrap());
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    (format!("{y:04}-{m:02}-01"), format!("{ny:04}-{nm:02}-01"))
}

/// The day number of the first day of the month `day` is in.
pub fn first_of_month(day: i64) -> i64 {
    let text = crate::costq::day_text(day);
    day - (text[8..10].parse::<i64>().unwrap() - 1)
}

/// A Cost Explorer answer whose groups have one key each.
pub fn ce_answer(start: &str, end: &str, estimated: bool, groups: &[(&str, &str)]) -> Value {
    let groups: Vec<(&[&str], &str)> =
        groups.iter().map(|(key, amount)| (std::slice::from_ref(key), *amount)).collect();
    aws::ce_answer(start, end, estimated, &groups, None)
}

#[test]
fn every_listed_environment_gets_its_cost_this_month_zero_included() {
    let (sb, account) = in_own_account();
    let app = unique("app");
    sb.write(
        "opskit.toml",
        &format!("app = \"{app}\"\n[envs.dev]\ntier = \"dev\"\n[envs.staging]\ntier = \"staging\"\n[envs.prod]\ntier = \"prod\"\n"),
    );
    // A temporary environment is listed (and costs) too.
    sb.tool("envctl").args(["set", "staging", "K"]).write_stdin("v").assert().success();
    sb.tool("envctl").args(["copy", "staging", "demo-7", "--ttl", "1h"]).assert().success();
    let listed: Vec<String> = records(&sb.tool("envctl").arg("ls").output().unwrap())
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed.len(), 4, "dev, staging, prod and demo-7: {listed:?}");
    let (start, end) = month_of(today());
    let seeded = [("prod", "321.5000000001"), ("dev", "12.25"), ("demo-7", "0.0000001234")];
    let groups: Vec<(String, &str)> = seeded.iter().map(|(env, amount)| (format!("env${env}"), *amount)).collect();
    let groups: Vec<(&str, &str)> = groups.iter().map(|(k, a)| (k.as_str(), *a)).collect();
    seed_ce(&account, &[ce_answer(&start, &end, true, &groups)]);

    let out = sh(&sb, "envctl ls | costq --month --by env -");
    let costs = records(&out);
    assert!(costs.iter().all(|r| r["kind"] == "cost" && r["start"] == start.as_str()), "{costs:#?}");
    let mut envs: Vec<&str> = costs.iter().map(|r| r["group"]["env"].as_str().unwrap()).collect();
    envs.sort_unstable();
    let mut expected_envs: Vec<&str> = listed.iter().map(String::as_str).collect();
    expected_envs.sort_unstable();
    assert_eq!(envs, expected_envs, "one cost record per environment listed");
    for env in &listed {
        let record = costs.iter().find(|r| r["group"]["env"] == env.as_str()).unwrap();
        assert_eq!(record["estimated"], true, "a month to date is estimated, a zero in it too: {record}");
        match seeded.iter().find(|(e, _)| e == env) {
            // Exact: the amount as Cost Explorer gave it, digit for digit.
            Some((_, amount)) => assert_eq!(record["amount"].to_string(), *amount, "{env}: {record}"),
            None => assert_eq!(dec(&record["amount"].to_string()), Decimal::ZERO, "{env} costs nothing: {record}"),
        }
    }
}

#[test]
fn services_over_100_through_jq_are_exactly_those_over_100() {
    let (sb, account) = in_own_account();
    let (start, end) = month_of(today());
    let seeded = [
        ("Amazon Elastic Compute Cloud - Compute", "1523.47"),
        ("Amazon Relational Database Service", "100.0000001"),
        ("Amazon Simple Storage Service", "100.00"),
        ("AWS Support (Business)", "100.01"),
        ("AWS Lambda", "99.99"),
        ("Amazon CloudWatch", "0.0000001234"),
        ("Savings Plans for AWS Compute usage", "-150.00"),
    ];
    seed_ce(&account, &[ce_answer(&start, &end, true, &seeded)]);
    let out = sh(&sb, "costq --month --by service | jq 'select(.amount > 100)'");
    // jq pretty-prints: a stream of JSON values, not one a line.
    let picked: Vec<Value> =
        serde_json::Deserializer::from_slice(&out.stdout).into_iter::<Value>().map(Result::unwrap).collect();
    let got = by_group(&picked, &["service"]);
    let expected: BTreeMap<String, Decimal> = seeded
        .iter()
        .filter(|(_, amount)| dec(amount) > Decimal::from(100))
        .map(|(service, amount)| ((*service).to_owned(), dec(amount)))
        .collect();
    assert_eq!(expected.len(), 3, "the seed has services on both sides of 100");
    assert_eq!(got, expected);
    assert_eq!(picked.len(), expected.len(), "one record each: {picked:#?}");
}

#[test]
fn expired_grants_listed_and_piped_into_revoke_lose_their_policy_and_are_marked_expired() {
    let mut w = World::new();
    let expired = id(&w.request("dev", "1h")); // at 10:00, until 11:00
    let live = id(&w.request("dev", "4h")); // until 14:00
    let later = "2030-01-01T12:00:00Z";
    let keys = w.alice.clone();
    w.sb.set("AWS_ACCESS_KEY_ID", &keys.access_key_id)
        .set("AWS_SECRET_ACCESS_KEY", &keys.secret_access_key)
        .set("ACCESSGRANT_NOW", later);
    let out = sh(&w.sb, "accessgrant ls --expired | accessgrant revoke -");
    let ended = records(&out);
    assert_eq!(ended.iter().map(id).collect::<Vec<_>>(), [expired.as_str()], "{ended:#?}");
    // IAM, as the AWS CLI sees it: the expired grant's policy is gone, the live one's is not.
    assert_eq!(w.policy_names("user", "alice"), [format!("accessgrant-{live}")]);
    // The ledger: the expired grant ended at its expiry, as expired (not revoked), the live one
    // untouched; the audit log says so once.
    let stored = w.object(&format!("grants/{expired}.json"));
    assert_eq!(stored["state"], "expired");
    assert_eq!(stored["ended_at"], stored["expires_at"]);
    assert_eq!(stored["expires_at"], "2030-01-01T11:00:00Z");
    assert_eq!(w.object(&format!("grants/{live}.json"))["state"], "active");
    let ends: Vec<(String, String)> =
        w.audit_kinds().into_iter().filter(|(event, _)| event == "expired" || event == "revoked").collect();
    assert_eq!(ends, [("expired".to_owned(), expired.clone())]);
    // Again: nothing is expired-and-unmarked any more, and `ls --expired` still lists it, so the
    // pipeline is idempotent.
    let again = records(&sh(&w.sb, "accessgrant ls --expired | accessgrant revoke -"));
    assert_eq!(again.iter().map(|g| (id(g), g["state"].clone())).collect::<Vec<_>>(), [(expired, json!("expired"))]);
    assert_eq!(w.audit_kinds().iter().filter(|(event, _)| event == "expired").count(), 1);
    assert_eq!(w.policy_names("user", "alice"), [format!("accessgrant-{live}")]);
}

/// A CSV's header and rows, every row as wide as the header.
fn read_csv(out: &Output) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(ok(out).stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), header.len(), "{r:?}");
            header.iter().cloned().zip(r.iter().map(str::to_owned)).collect()
        })
        .collect();
    (header, rows)
}

/// costq's and accessgrant's `-o csv`, read back by a CSV parser: the declared header, and
/// values with commas and quotes intact.
#[test]
fn costq_and_accessgrant_csv_reads_back() {
    let (sb, account) = in_own_account();
    let seeded = [("Amazon Elastic Compute Cloud - Compute", "12.3400000000"), ("Savings Plans, \"Compute\"", "-3.5")];
    seed_ce(&account, &[ce_answer("2026-09-01", "2026-10-01", false, &seeded)]);
    let out = sb.tool("costq").args(["--month", "2026-09", "--by", "service", "-o", "csv"]).output().unwrap();
    let (header, rows) = read_csv(&out);
    assert_eq!(&header[..4], ["kind", "start", "end", "group.service"], "{header:?}");
    assert!(header.contains(&"amount".to_owned()) && header.contains(&"currency".to_owned()), "{header:?}");
    assert_eq!(rows.len(), seeded.len());
    for (service, amount) in seeded {
        let row = rows.iter().find(|r| r["group.service"] == service).unwrap_or_else(|| panic!("{service}: {rows:?}"));
        assert_eq!((row["kind"].as_str(), row["amount"].as_str()), ("cost", amount));
        assert_eq!((row["start"].as_str(), row["end"].as_str()), ("2026-09-01", "2026-09-30"));
    }

    let w = World::new();
    let reason = "debug, \"checkout\" 500s";
    let grant = record(
        &w.ag(&w.alice)
            .args(["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", reason, "--ticket", "INC-7"])
            .output()
            .unwrap(),
    );
    let gid = id(&grant);
    let (header, rows) = read_csv(&w.ag(&w.alice).args(["ls", "-o", "csv"]).output().unwrap());
    assert_eq!(&header[..7], ["kind", "id", "app", "env", "tier", "role", "state"], "{header:?}");
    assert!(header.contains(&"conditions.StringEquals.ssm:resourceTag/env".to_owned()), "{header:?}");
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!((row["kind"].as_str(), row["id"].as_str(), row["state"].as_str()), ("grant", gid.as_str(), "active"));
    assert_eq!(row["reason"], reason, "quoting survives");
    assert_eq!(row["conditions.StringEquals.ssm:resourceTag/env"], "dev");
    let (header, rows) = read_csv(&w.ag(&w.bob).args(["audit", "-o", "csv"]).output().unwrap());
    assert_eq!(&header[..5], ["kind", "at", "event", "grant", "seq"], "{header:?}");
    let events: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r["kind"].as_str(), r["event"].as_str(), r["grant"].as_str())).collect();
    assert_eq!(events, [("audit", "requested", gid.as_str()), ("audit", "activated", gid.as_str())]);
    assert_eq!(rows[0]["reason"], reason, "quoting survives");
    assert_eq!(rows[0]["ticket"], "INC-7");
}
