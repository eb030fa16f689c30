//! costq as a person and a script use it: the query with no command word, its records (exact
//! money, declared columns), tables that end with a total line, usage errors. Shared helpers for
//! the other costq test files live here.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Output;
use std::str::FromStr;

use predicates::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::exports::{Shape, generate};
use crate::support::{Sandbox, stderr_of, stdout_of};

pub fn ok(out: &Output) -> &Output {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), stderr_of(out));
    out
}

/// NDJSON records on stdout.
pub fn records(out: &Output) -> Vec<Value> {
    stdout_of(ok(out)).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .normalize()
}

/// A record's amount, exactly as printed.
pub fn amount(record: &Value) -> Decimal {
    dec(&record["amount"].to_string())
}

/// group value (joined with ` | ` for several dimensions) → amount, from cost records.
pub fn by_group(records: &[Value], fields: &[&str]) -> BTreeMap<String, Decimal> {
    let mut out = BTreeMap::new();
    for r in records.iter().filter(|r| r["kind"] == "cost" && r.get("total").is_none()) {
        let key = fields
            .iter()
            .map(|f| r["group"][*f].as_str().unwrap_or_else(|| panic!("no group.{f} in {r}")))
            .collect::<Vec<_>>()
            .join(" | ");
        *out.entry(key).or_insert(Decimal::ZERO) += amount(r);
    }
    out.into_iter().map(|(k, v)| (k, v.normalize())).collect()
}

/// A generated export written into the sandbox.
pub fn export(sb: &Sandbox, name: &str, shape: Shape, rows: usize, seed: u64) -> PathBuf {
    sb.write(name, &generate(shape, rows, seed, false))
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01.
pub fn day_text(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn costq(sb: &Sandbox, args: &[&str]) -> Output {
    sb.tool("costq").args(args).output().unwrap()
}

#[test]
fn the_query_is_the_default_command_and_prints_exact_numbers() {
    let sb = Sandbox::new();
    let file = export(&sb, "cur.csv", Shape::Cur, 400, 7);
    let out = costq(&sb, &["--source", file.to_str().unwrap(), "--by", "service"]);
    let lines = stdout_of(ok(&out));
    for line in lines.lines() {
        assert!(
            line.starts_with(
                "{\"kind\":\"cost\",\"start\":\"2024-01-01\",\"end\":\"2024-02-29\",\"group\":{\"service\":"
            ),
            "{line}"
        );
        // Money as JSON numbers from exact decimals: no float noise, no exponent.
        let amount = line.split("\"amount\":").nth(1).unwrap().split(',').next().unwrap();
        assert!(amount.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-'), "{amount}");
    }
    assert_eq!(stderr_of(&out), "", "files cost nothing to read: nothing to say");
}

#[test]
fn tables_round_to_cents_align_and_end_with_a_total_line() {
    let sb = Sandbox::new();
    let file = export(&sb, "cur.csv", Shape::Cur, 300, 3);
    let out = costq(&sb, &["--source", file.to_str().unwrap(), "--by", "service", "-o", "table", "--total"]);
    let text = stdout_of(ok(&out));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("SERVICE ") && lines[0].ends_with("AMOUNT"), "{text}");
    let last = lines.last().unwrap();
    assert!(last.starts_with("total"), "the last line is the total: {text}");
    // Amounts are right-aligned with two decimals: every line ends at the same column.
    let width = lines[0].len();
    for line in &lines[1..] {
        assert_eq!(line.chars().count(), width, "aligned: {text}");
        let cell = line.rsplit(' ').next().unwrap();
        assert!(cell.split('.').nth(1).is_some_and(|c| c.len() == 2), "cents: {line}");
    }
    // The total line is the exact total, rounded once (not the sum of rounded rows).
    let json = records(&costq(&sb, &["--source", file.to_str().unwrap(), "--total"]));
    let exact = amount(json.last().unwrap());
    assert_eq!(last.rsplit(' ').next().unwrap(), exact.round_dp(2).to_string());
}

#[test]
fn csv_has_the_declared_columns_with_the_group_spelled_out() {
    let sb = Sandbox::new();
    let file = export(&sb, "focus.csv", Shape::Focus, 200, 5);
    let out = costq(&sb, &["--source", file.to_str().unwrap(), "--by", "service,tag:team", "-o", "csv", "--split"]);
    let text = stdout_of(ok(&out));
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "kind,start,end,group.service,group.tag:team,amount,currency,metric,estimated,source,usage,credits,refunds,tax,previous,delta,delta_pct,other_groups,total"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let teams: Vec<String> = reader.records().map(|r| r.unwrap()[4].to_owned()).collect();
    assert!(teams.iter().any(|t| t == "platform, core") && teams.iter().any(|t| t == "data \"lake\""), "{teams:?}");
}

#[test]
fn usage_errors_name_what_to_fix() {
    let sb = Sandbox::new();
    for (args, message) in [
        (&["--by", "servce"][..], "unknown --by dimension `servce`"),
        (&["--month", "2026-13"], "--month `2026-13` is not a month"),
        (&["--from", "2026-02-01", "--to", "2026-01-31"], "--from 2026-02-01 is after --to 2026-01-31"),
        (&["--month", "2099-01"], "--month 2099-01 is in the future"),
        (&["--source", "athena"], "--source athena needs --database and --table"),
        (&["--by", "service", "check", "--budget", "5"], "the query's options go without a command word"),
        (&["chekc"], "did you mean `check`?"),
    ] {
        let out = costq(&sb, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        let err = stderr_of(&out);
        assert!(err.starts_with("costq: error: ") && err.contains(message), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
    sb.tool("costq").args(["--month", "--last-month"]).assert().code(2);
}

#[test]
fn top_keeps_the_largest_groups_and_total_adds_a_record() {
    let sb = Sandbox::new();
    let file = export(&sb, "cur2.csv", Shape::Cur2, 500, 11);
    let all = records(&costq(&sb, &["--source", file.to_str().unwrap(), "--by", "usage-type"]));
    let top =
        records(&costq(&sb, &["--source", file.to_str().unwrap(), "--by", "usage-type", "--top", "3", "--total"]));
    assert_eq!(top.len(), 5, "three groups, other, total: {top:?}");
    let mut amounts: Vec<Decimal> = all.iter().map(amount).collect();
    amounts.sort_by(|a, b| b.cmp(a));
    assert_eq!(top[..3].iter().map(amount).collect::<Vec<_>>(), amounts[..3]);
    assert_eq!(top[3]["group"]["usage_type"], "other");
    assert_eq!(top[3]["other_groups"], all.len() - 3);
    assert_eq!(amount(&top[3]), amounts[3..].iter().sum::<Decimal>().normalize());
    assert_eq!(top[4]["total"], true);
    assert_eq!(amount(&top[4]), amounts.iter().sum::<Decimal>().normalize());
    assert!(top[4].get("group").is_none());
}

#[test]
fn a_help_shows_the_query_flags_and_the_commands() {
    Sandbox::new().tool("costq").arg("--help").assert().success().stdout(
        predicate::str::contains("--last-month")
            .and(predicate::str::contains("--by <DIM>"))
            .and(predicate::str::contains("check"))
            .and(predicate::str::contains("anomalies"))
            .and(predicate::str::contains("report")),
    );
}

#[test]
fn the_budget_gate_reads_exports_too_and_its_table_shows_cents() {
    let sb = Sandbox::new();
    let file = export(&sb, "cur.csv", Shape::Cur, 300, 17);
    let exact = amount(&records(&costq(&sb, &["--source", file.to_str().unwrap()]))[0]);
    let budget = (exact - Decimal::ONE).round_dp(2).to_string();
    let out = costq(&sb, &["check", "--budget", &budget, "--source", file.to_str().unwrap(), "-o", "table"]);
    assert_eq!(out.status.code(), Some(1), "over budget: {}", stderr_of(&out));
    let text = stdout_of(&out);
    let shown = text.lines().find(|l| l.starts_with("amount")).unwrap().split_whitespace().nth(1).unwrap();
    assert_eq!(shown, exact.round_dp(2).to_string(), "{text}");
    let under =
        costq(&sb, &["check", "--budget", &(exact + Decimal::ONE).to_string(), "--source", file.to_str().unwrap()]);
    assert_eq!(under.status.code(), Some(0), "{}", stderr_of(&under));
    let record: Value = serde_json::from_str(stdout_of(&under).trim()).unwrap();
    assert_eq!((record["exceeded"].clone(), dec(&record["amount"].to_string())), (Value::Bool(false), exact));
}
