//! docs/cookbook.md, run: each recipe's one `sh` block is taken from the doc by its heading (so
//! the doc cannot drift from what is tested), run with `sh -e` against the real backends (moto,
//! PostgreSQL, MariaDB, NSD) with the tools, the AWS CLI and jq on PATH and only the variables
//! the recipe says to set, and the state it leaves is checked: files written and parsed, what is
//! in S3, SSM, IAM and the databases, and the exit codes of the gates.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Output;
use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::accessgrant::{NOW, World, id, ok, record};
use crate::costq::{day_text, dec};
use crate::pipelines::{ce_answer, first_of_month, month_of, today};
use crate::support::aws::venv;
use crate::support::aws::{in_own_account, seed_ce};
use crate::support::db::{MariaDb, PgDb};
use crate::support::dns::{DnsServer, PARENT, Zone};
use crate::support::fake::{FakeEndpoint, Reply};
use crate::support::{Sandbox, bin, root, stderr_of, stdout_of, unique};

/// The recipes, in the cookbook's order: each has a test below.
const RECIPES: [&str; 8] = [
    "Nightly sanitised dump from cron",
    "CI drift gate between staging and prod",
    "Monthly HTML cost report for stakeholders",
    "Budget gate in CI",
    "Weekly access-audit export for auditors",
    "Reaping expired demo environments",
    "SES go-live checklist",
    "MariaDB to RDS move with dbdump compare",
];

fn cookbook() -> String {
    std::fs::read_to_string(root().join("docs/cookbook.md")).expect("docs/cookbook.md")
}

/// The text under `## heading`, up to the next `## `.
fn section(heading: &str) -> String {
    let doc = cookbook();
    let title = format!("## {heading}");
    let mut lines = doc.lines().skip_while(|l| *l != title);
    assert!(lines.next().is_some(), "docs/cookbook.md has no `{title}`");
    lines.take_while(|l| !l.starts_with("## ")).flat_map(|l| [l, "\n"]).collect()
}

/// The fenced blocks of `lang` in `text`.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim_end() == format!("```{lang}") {
            out.push(lines.by_ref().take_while(|l| l.trim_end() != "```").flat_map(|l| [l, "\n"]).collect());
        }
    }
    out
}

/// The one `sh` block of the recipe under `## heading`.
fn recipe(heading: &str) -> String {
    let mut found = blocks(&section(heading), "sh");
    assert_eq!(found.len(), 1, "`## {heading}` has one ```sh block, not {}", found.len());
    found.remove(0)
}

/// A script's commands, one a line: comments and blank lines left out, continued lines joined.
fn commands(script: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut continued = false;
    for line in script.lines() {
        let trimmed = line.trim();
        if !continued && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        let text = trimmed.trim_end_matches('\\').trim_end();
        if continued {
            let last = out.last_mut().unwrap();
            last.push(' ');
            last.push_str(text);
        } else {
            out.push(text.to_owned());
        }
        continued = trimmed.ends_with('\\');
    }
    out
}

/// Run `script` with `sh -e` in the sandbox (its directory is the checkout), with the tools, the
/// AWS CLI and jq on PATH, and `vars` set: the exit code is the test's to judge.
fn run(sb: &Sandbox, script: &str, vars: &[(&str, &str)]) -> Output {
    let tools = bin("envctl").parent().expect("the target dir").to_owned();
    let path = format!(
        "{}:{}:{}",
        tools.display(),
        venv().join("bin").display(),
        sb.var("PATH").map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
    );
    let mut cmd = sb.command("sh");
    cmd.env("PATH", path).args(["-e", "-c", script]);
    // The AWS CLI (v1) reads its region from AWS_DEFAULT_REGION only.
    if let Some(region) = sb.var("AWS_REGION") {
        cmd.env("AWS_DEFAULT_REGION", region);
    }
    cmd.envs(vars.iter().copied());
    cmd.output().unwrap()
}

fn succeeded(out: &Output, what: &str) {
    assert!(out.status.success(), "{what} exited {:?}: {}", out.status.code(), stderr_of(out));
}

/// NDJSON on stdout, whatever the exit code.
fn ndjson(out: &Output) -> Vec<Value> {
    stdout_of(out).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

fn kinds<'a>(records: &'a [Value], kind: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["kind"] == kind).collect()
}

/// Replace the sandbox's opskit.toml with the project's plus `extra`.
fn add_config(sb: &Sandbox, extra: &str) {
    let path = sb.path().join("opskit.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n{extra}")).unwrap();
}

fn cli_ok(cmd: &mut assert_cmd::Command) -> Vec<u8> {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "aws: {}", stderr_of(&out));
    out.stdout
}

#[test]
fn every_recipe_has_one_sh_block_and_a_test() {
    let doc = cookbook();
    let headings: Vec<&str> = doc.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    assert_eq!(headings, RECIPES, "a recipe added or renamed needs its test here");
    for heading in RECIPES {
        let script = recipe(heading);
        assert!(!commands(&script).is_empty(), "`{heading}`");
        // Each parses as sh.
        let check = std::process::Command::new("sh").args(["-n", "-c", &script]).output().unwrap();
        assert!(check.status.success(), "`{heading}`: {}", String::from_utf8_lossy(&check.stderr));
    }
}

#[test]
fn nightly_dump_recipe_files_a_sanitised_dump_and_prunes_only_old_surplus_dumps() {
    let section = section("Nightly sanitised dump from cron");
    let crontab = blocks(&section, "crontab");
    assert_eq!(crontab.len(), 1, "one crontab block");
    let entries: Vec<&str> = crontab[0].lines().filter(|l| !l.trim_start().starts_with('#')).collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let fields: Vec<&str> = entries[0].split_whitespace().collect();
    assert!(fields.len() > 5 && fields[..5].iter().all(|f| f.chars().all(|c| c.is_ascii_digit() || c == '*')));

    let (sb, app) = Sandbox::project();
    let db = PgDb::new();
    db.sql(
        "CREATE TABLE people (id int PRIMARY KEY, email text UNIQUE, full_name text, plan text);
         INSERT INTO people SELECT g, 'person' || g || '@example.org', 'Person ' || g, 'basic' FROM generate_series(1, 20) g;",
    );
    sb.tool("envctl").args(["set", "staging", "DATABASE_URL"]).write_stdin(db.url()).assert().success();
    // The key in SSM, the rules as `rules init` drafts them, the store a directory: opskit.toml's.
    let key = format!("/{app}/dbdump-key");
    cli_ok(sb.aws_cli().args([
        "ssm",
        "put-parameter",
        "--type",
        "SecureString",
        "--value",
        "nightly key",
        "--name",
        &key,
    ]));
    let rules = sb.tool("dbdump").args(["rules", "init", "-e", "staging"]).output().unwrap();
    succeeded(&rules, "rules init");
    sb.write("dbdump-rules.toml", &stdout_of(&rules));
    let store = sb.path().join("dumps");
    add_config(
        &sb,
        &format!(
            "[dbdump]\nstore = \"{}\"\nrules = \"dbdump-rules.toml\"\nkey_parameter = \"{key}\"\n",
            store.display()
        ),
    );
    // A dump from earlier today; older ones made from it with their dates moved back: in
    // staging, old ones among the newest 7 and beyond them; in dev, young ones beyond the 7.
    let first = sb.tool("dbdump").args(["create", "-e", "staging"]).output().unwrap();
    succeeded(&first, "the first create");
    let first: Value = serde_json::from_str(stdout_of(&first).trim()).unwrap();
    let template = store.join(&app).join("staging").join(first["id"].as_str().unwrap());
    let manifest: Value = serde_json::from_slice(&std::fs::read(template.join("manifest.json")).unwrap()).unwrap();
    let mut aged: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (env, ages) in [("staging", &[1, 2, 40, 45, 50, 55, 60, 65, 70][..]), ("dev", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]
    {
        for days in ages {
            let day = day_text(today() - days);
            let dump_id = format!("{}T120000Z-{days:06x}", day.replace('-', ""));
            let copy = store.join(&app).join(env).join(&dump_id);
            std::fs::create_dir_all(&copy).unwrap();
            std::fs::copy(template.join("data.sql.zst"), copy.join("data.sql.zst")).unwrap();
            let mut m = manifest.clone();
            m["id"] = json!(dump_id);
            m["env"] = json!(env);
            m["created"] = json!(format!("{day}T12:00:00Z"));
            std::fs::write(copy.join("manifest.json"), serde_json::to_vec_pretty(&m).unwrap()).unwrap();
            aged.insert((env.to_owned(), dump_id), *days);
        }
    }
    let listed = |env: &str| -> BTreeSet<String> {
        std::fs::read_dir(store.join(&app).join(env))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect()
    };
    let before = (listed("staging"), listed("dev"));
    assert_eq!((before.0.len(), before.1.len()), (10, 10));

    let out = run(&sb, &recipe("Nightly sanitised dump from cron"), &[]);
    succeeded(&out, "the recipe");
    let records = ndjson(&out);
    let dumps = kinds(&records, "dump");
    assert_eq!(dumps.len(), 1, "{records:#?}");
    let new_id = dumps[0]["id"].as_str().unwrap().to_owned();
    assert_eq!((dumps[0]["env"].as_str(), dumps[0]["sanitised"].as_bool()), (Some("staging"), Some(true)));
    // Staging keeps its newest 7 (the new one, today's, 1, 2, 40, 45 and 50 days old), old or
    // not, and loses those beyond them that are over 30 days old. Dev keeps all ten: the three
    // beyond its newest 7 are younger than 30 days.
    let doomed: BTreeSet<String> =
        aged.iter().filter(|((env, _), d)| env == "staging" && **d > 50).map(|((_, i), _)| i.clone()).collect();
    assert_eq!(doomed.len(), 4);
    let deleted: BTreeSet<String> = kinds(&records, "change")
        .iter()
        .filter(|c| c["action"] == "prune" && c["status"] == "deleted")
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(deleted, doomed);
    let mut expected: BTreeSet<String> = before.0.difference(&doomed).cloned().collect();
    expected.insert(new_id.clone());
    assert_eq!(listed("staging"), expected, "what is left of staging's dumps");
    assert_eq!(listed("dev"), before.1, "dev's dumps are all kept");
    // The new dump is staging's rows, sanitised: nobody's real email or name is in it.
    let sql = sb.tool("dbdump").args(["cat", &new_id, "-e", "staging"]).output().unwrap();
    succeeded(&sql, "cat");
    let sql = stdout_of(&sql);
    let copy = sql.find("COPY public.people").unwrap_or_else(|| panic!("{sql}"));
    let rows: Vec<&str> = sql[copy..].lines().skip(1).take_while(|l| *l != "\\.").collect();
    assert_eq!(rows.len(), 20, "{sql}");
    for n in 1..=20 {
        assert!(!sql.contains(&format!("person{n}@example.org")), "person{n}'s email is in the dump");
        assert!(!sql.contains(&format!("Person {n}\t")), "person{n}'s name is in the dump");
    }
    assert!(rows.iter().all(|r| r.ends_with("\tbasic")), "kept columns stay: {rows:?}");
}

#[test]
fn drift_gate_recipe_passes_when_only_ignored_keys_differ_and_fails_naming_the_drift() {
    let (sb, _) = Sandbox::project();
    let set = |env: &str, key: &str, value: &str| {
        sb.tool("envctl").args(["set", env, key]).write_stdin(value.to_owned()).assert().success();
    };
    set("staging", "FEATURE_FLAGS", "search,export");
    set("prod", "FEATURE_FLAGS", "search,export");
    set("staging", "DATABASE_URL", "postgres://staging-db/app");
    set("prod", "DATABASE_URL", "postgres://prod-db/app");
    set("staging", "LOG_LEVEL", "debug");
    set("prod", "LOG_LEVEL", "warning");
    let script = recipe("CI drift gate between staging and prod");
    // The keys the recipe ignores do differ: without them, the same diff fails.
    let all = sb.tool("envctl").args(["diff", "staging", "prod"]).output().unwrap();
    assert_eq!(all.status.code(), Some(1), "{}", stderr_of(&all));
    let out = run(&sb, &script, &[]);
    assert_eq!(out.status.code(), Some(0), "only ignored keys differ: {}{}", stdout_of(&out), stderr_of(&out));
    assert!(ndjson(&out).is_empty(), "{}", stdout_of(&out));

    set("prod", "FEATURE_FLAGS", "search");
    set("staging", "NEW_SETTING", "on");
    let out = run(&sb, &script, &[]);
    assert_eq!(out.status.code(), Some(1), "drift: {}", stderr_of(&out));
    let found: BTreeSet<(String, String)> = ndjson(&out)
        .iter()
        .map(|d| (d["key"].as_str().unwrap().to_owned(), d["status"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        found,
        BTreeSet::from([
            ("FEATURE_FLAGS".to_owned(), "differs".to_owned()),
            ("NEW_SETTING".to_owned(), "only_in_a".to_owned())
        ])
    );
    assert!(!stdout_of(&out).contains("search"), "values are not printed: {}", stdout_of(&out));
}

/// The value of `attribute` in the first element after `marker`.
fn attribute_after<'a>(html: &'a str, marker: &str, attribute: &str) -> &'a str {
    let rest = &html[html.find(marker).unwrap_or_else(|| panic!("no `{marker}` in the page"))..];
    let start = rest.find(&format!("{attribute}=\"")).unwrap() + attribute.len() + 2;
    &rest[start..start + rest[start..].find('"').unwrap()]
}

#[test]
fn monthly_report_recipe_writes_last_months_page_with_its_totals_and_uploads_it() {
    let (sb, account) = in_own_account();
    let bucket = unique("reports");
    cli_ok(sb.aws_cli().args(["s3api", "create-bucket", "--bucket", &bucket]));
    let this_month = first_of_month(today());
    let last = first_of_month(this_month - 1);
    let (before, _) = month_of(last - 1);
    // Last month, day by day (what the chart draws), then the month before by service.
    let mut days = Vec::new();
    let mut total = Decimal::ZERO;
    for (i, day) in (last..this_month).enumerate() {
        let ec2 = format!("{}.{:02}", 10 + i % 3, i);
        let mut groups =
            vec![("Amazon Elastic Compute Cloud - Compute", ec2.as_str()), ("Amazon Simple Storage Service", "0.5")];
        if i == 3 {
            groups.push(("AWS Lambda", "0.0000001234"));
        }
        total += groups.iter().map(|(_, a)| dec(a)).sum::<Decimal>();
        let answer = ce_answer(&day_text(day), &day_text(day + 1), false, &groups);
        days.push(answer["ResultsByTime"][0].clone());
    }
    let previous = [("Amazon Elastic Compute Cloud - Compute", "250.10"), ("Amazon Simple Storage Service", "14.9")];
    let previous_total: Decimal = previous.iter().map(|(_, a)| dec(a)).sum();
    seed_ce(
        &account,
        &[
            json!({"ResultsByTime": days, "DimensionValueAttributes": []}),
            ce_answer(&before, &day_text(last), false, &previous),
        ],
    );

    let out = run(&sb, &recipe("Monthly HTML cost report for stakeholders"), &[("REPORTS_BUCKET", &bucket)]);
    succeeded(&out, "the recipe");
    let month = &day_text(last)[..7];
    let name = format!("aws-costs-{month}.html");
    let html = std::fs::read_to_string(sb.path().join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(dec(attribute_after(&html, "id=\"total\"", "data-amount")), total.normalize());
    assert_eq!(dec(attribute_after(&html, "id=\"previous-total\"", "data-amount")), previous_total.normalize());
    let report = kinds(&ndjson(&out), "report").into_iter().next().cloned().expect("the report record");
    assert_eq!(
        (report["start"].as_str(), report["end"].as_str(), report["services"].as_u64()),
        (Some(day_text(last).as_str()), Some(day_text(this_month - 1).as_str()), Some(3))
    );
    assert_eq!(dec(&report["amount"].to_string()), total.normalize());
    assert!(stderr_of(&out).contains("2 Cost Explorer requests ($0.02)"), "{}", stderr_of(&out));
    // Where stakeholders read it: the same page in the bucket.
    let uploaded = cli_ok(sb.aws_cli().args(["s3", "cp", &format!("s3://{bucket}/costs/{name}"), "-"]));
    assert_eq!(String::from_utf8(uploaded).unwrap(), html);
}

#[test]
fn budget_gate_recipe_with_a_fake_cost_explorer_forecast_exits_1_only_over_budget() {
    let script = recipe("Budget gate in CI");
    let words: Vec<&str> = script.split_whitespace().collect();
    let budget = dec(words[words.iter().position(|w| *w == "--budget").expect("--budget") + 1]);
    let spend = (budget * Decimal::new(6, 1)).round_dp(2);
    let (start, next) = month_of(today());
    let today_text = day_text(today());
    let tomorrow = day_text(today() + 1);
    // Over by a cent, then exactly at the budget (not over).
    for (forecast, code, exceeded) in [(budget - spend + Decimal::new(1, 2), 1, true), (budget - spend, 0, false)] {
        // moto has no GetCostForecast: this fake answers both calls in AWS's documented shapes.
        let (usage, forecast_text) = (
            json!({"ResultsByTime": [{"TimePeriod": {"Start": start, "End": tomorrow}, "Total": {"UnblendedCost": {"Amount": spend.to_string(), "Unit": "USD"}}, "Groups": [], "Estimated": true}]}),
            forecast.to_string(),
        );
        let period = json!({"Start": today_text, "End": next});
        let fake = FakeEndpoint::with(move |r| match r.operation() {
            "GetCostAndUsage" => Reply::ok_json(&usage),
            "GetCostForecast" => Reply::ok_json(&json!({
                "Total": {"Amount": forecast_text, "Unit": "USD"},
                "ForecastResultsByTime": [{"TimePeriod": period, "MeanValue": forecast_text,
                    "PredictionIntervalLowerBound": "0", "PredictionIntervalUpperBound": forecast_text}]
            })),
            _ => Reply::json_error(400, "UnknownOperationException", "not this fake's"),
        });
        let mut sb = Sandbox::aws();
        sb.set("AWS_ENDPOINT_URL", &fake.url);
        let out = run(&sb, &script, &[]);
        assert_eq!(out.status.code(), Some(code), "forecast {forecast}: {}", stderr_of(&out));
        let rec = kinds(&ndjson(&out), "budget").into_iter().next().cloned().expect("the budget record");
        assert_eq!(rec["checked"], "projected");
        assert_eq!(rec["exceeded"], json!(exceeded), "{rec}");
        assert_eq!(dec(&rec["projected"].to_string()), (spend + forecast).normalize(), "{rec}");
        assert_eq!(dec(&rec["budget"].to_string()), budget.normalize());
        assert_eq!(dec(&rec["amount"].to_string()), spend.normalize(), "{rec}");
        assert_eq!(dec(&rec["forecast"].to_string()), forecast.normalize(), "{rec}");
        assert_eq!(dec(&rec["remaining"].to_string()), (budget - spend - forecast).normalize(), "{rec}");
        let asked: Vec<Value> = fake
            .requests()
            .iter()
            .filter(|r| r.operation() == "GetCostForecast")
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect();
        assert_eq!(asked.len(), 1);
        assert_eq!(asked[0]["TimePeriod"], json!({"Start": today_text, "End": next}), "today to the month's end");
    }
}

#[test]
fn weekly_audit_recipe_exports_the_last_seven_days_events_as_csv() {
    let mut w = World::new();
    let reason = "debug, \"checkout\" 500s";
    // Nine days ago: outside the week.
    let old = id(&record(
        &w.ag_at(&w.alice, "2029-12-23T10:00:00Z")
            .args(["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", "old"])
            .output()
            .unwrap(),
    ));
    // Two days ago: asked, approved, revoked; and an hour ago.
    let staged = id(&record(
        &w.ag_at(&w.alice, "2029-12-30T10:00:00Z")
            .args([
                "request", "--role", "debug", "-e", "staging", "--for", "1h", "--reason", reason, "--ticket", "INC-42",
            ])
            .output()
            .unwrap(),
    ));
    ok(&w.ag_at(&w.bob, "2029-12-30T10:05:00Z").args(["approve", &staged]).output().unwrap());
    ok(&w.ag_at(&w.alice, "2029-12-30T10:30:00Z").args(["revoke", &staged, "--reason", "fixed"]).output().unwrap());
    let recent = id(&record(
        &w.ag_at(&w.alice, "2030-01-01T09:00:00Z")
            .args(["request", "--role", "debug", "-e", "dev", "--for", "2h", "--reason", "INC-43"])
            .output()
            .unwrap(),
    ));
    let bob = w.bob.clone();
    w.sb.set("AWS_ACCESS_KEY_ID", &bob.access_key_id)
        .set("AWS_SECRET_ACCESS_KEY", &bob.secret_access_key)
        .set("ACCESSGRANT_NOW", NOW);

    let out = run(&w.sb, &recipe("Weekly access-audit export for auditors"), &[]);
    succeeded(&out, "the recipe");
    let name = format!("access-audit-{}.csv", day_text(today()));
    let text = std::fs::read_to_string(w.sb.path().join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&header[..5], ["kind", "at", "event", "grant", "seq"], "{header:?}");
    let rows: Vec<BTreeMap<String, String>> =
        reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_owned)).collect()).collect();
    let got: Vec<(String, String)> = rows.iter().map(|r| (r["event"].clone(), r["grant"].clone())).collect();
    // The week's events, as the ledger stores them (seven days back from NOW).
    let log = w.audit_log();
    assert!(log.iter().any(|e| e["grant"] == old.as_str()), "the older events are in the log");
    let expected: Vec<(String, String)> = log
        .iter()
        .filter(|e| e["at"].as_str().unwrap() >= "2029-12-25T10:00:00")
        .map(|e| (e["event"].as_str().unwrap().to_owned(), e["grant"].as_str().unwrap().to_owned()))
        .collect();
    let ids = |events: &[(String, String)]| events.iter().map(|(_, g)| g.clone()).collect::<BTreeSet<_>>();
    assert_eq!(ids(&expected), BTreeSet::from([staged.clone(), recent.clone()]));
    assert_eq!(got, expected);
    assert_eq!(
        got.iter().filter(|(_, g)| *g == staged).map(|(e, _)| e.as_str()).collect::<Vec<_>>(),
        ["requested", "approved", "activated", "revoked"]
    );
    let asked = rows.iter().find(|r| r["grant"] == staged && r["event"] == "requested").unwrap();
    assert_eq!((asked["reason"].as_str(), asked["ticket"].as_str()), (reason, "INC-42"), "quoting survives");
}

fn ssm_names(sb: &Sandbox, path: &str) -> Vec<String> {
    let v: Value = serde_json::from_slice(&cli_ok(sb.aws_cli().args([
        "ssm",
        "get-parameters-by-path",
        "--recursive",
        "--path",
        path,
    ])))
    .unwrap();
    v["Parameters"].as_array().unwrap().iter().map(|p| p["Name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn reaping_recipe_deletes_expired_demo_environments_and_sweeps_expired_grants() {
    let mut w = World::new();
    // The recipe runs as the account's administrator: envctl's SSM and accessgrant's IAM in the
    // test's own account.
    let admin = w.account.admin.clone();
    w.sb.set("AWS_ACCESS_KEY_ID", &admin.access_key_id)
        .set("AWS_SECRET_ACCESS_KEY", &admin.secret_access_key)
        .set("AWS_SESSION_TOKEN", admin.session_token.clone().unwrap());
    let app = w.app.clone();
    w.sb.tool("envctl").args(["set", "staging", "K"]).write_stdin("v").assert().success();
    w.sb.tool("envctl").args(["copy", "staging", "demo-old", "--ttl", "1s"]).assert().success();
    w.sb.tool("envctl").args(["copy", "staging", "demo-new", "--ttl", "1h"]).assert().success();
    let due = id(&w.request("dev", "1h")); // 10:00 to 11:00
    let live = id(&w.request("dev", "4h")); // to 14:00
    let orphan = "accessgrant-0000000000";
    let anything =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:StartSession","Resource":"*"}]}"#;
    cli_ok(
        w.cli()
            .args(["iam", "put-user-policy", "--user-name", "alice", "--policy-name", orphan])
            .args(["--policy-document", anything]),
    );
    std::thread::sleep(Duration::from_millis(1100));

    let out = run(&w.sb, &recipe("Reaping expired demo environments"), &[("ACCESSGRANT_NOW", "2030-01-01T12:00:00Z")]);
    succeeded(&out, "the recipe");
    assert!(ssm_names(&w.sb, &format!("/{app}/demo-old")).is_empty(), "the expired environment's parameters are gone");
    assert_eq!(ssm_names(&w.sb, &format!("/{app}/demo-new")).len(), 1, "the live one stays");
    let meta = ssm_names(&w.sb, &format!("/opskit/{app}/envs"));
    assert!(
        meta.iter().any(|n| n.ends_with("/demo-new")) && !meta.iter().any(|n| n.ends_with("/demo-old")),
        "{meta:?}"
    );
    // accessgrant sweep: the expired grant marked and its policy gone, the orphan gone, the live
    // grant's policy kept.
    assert_eq!(w.policy_names("user", "alice"), [format!("accessgrant-{live}")]);
    assert_eq!(w.object(&format!("grants/{due}.json"))["state"], "expired");
    assert_eq!(w.object(&format!("grants/{live}.json"))["state"], "active");
    let records = ndjson(&out);
    let swept: BTreeSet<(String, String)> = records
        .iter()
        .filter(|r| r.get("event").is_some())
        .map(|r| (r["event"].as_str().unwrap().to_owned(), r["grant"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        swept,
        BTreeSet::from([("expired".to_owned(), due.clone()), ("swept".to_owned(), "0000000000".to_owned())])
    );
    // Run again: nothing is due, nothing changes.
    let again =
        run(&w.sb, &recipe("Reaping expired demo environments"), &[("ACCESSGRANT_NOW", "2030-01-01T12:00:00Z")]);
    succeeded(&again, "the recipe, again");
    assert_eq!(stdout_of(&again), "");
    assert_eq!(ssm_names(&w.sb, &format!("/{app}/demo-new")).len(), 1);
}

/// SES operations moto lacks that `setup` calls.
const SETUP_UNSUPPORTED_ON_MOTO: [&str; 4] = [
    "CreateConfigurationSetEventDestination",
    "PutEmailIdentityConfigurationSetAttributes",
    "PutEmailIdentityMailFromAttributes",
    "PutAccountSuppressionAttributes",
];

#[test]
fn ses_go_live_recipe_on_moto_sets_up_what_it_can_then_checks_the_published_zone() {
    let sb = Sandbox::aws();
    let domain = format!("{}.{PARENT}", unique("golive"));
    let config_set = unique("set");
    // The world's DNS before the records are published: no zone for the domain.
    let before = DnsServer::start(&[]);
    let resolver = before.addr();
    let vars = [("DOMAIN", domain.as_str()), ("CONFIG_SET", config_set.as_str()), ("RESOLVER", resolver.as_str())];
    let script = recipe("SES go-live checklist");
    let out = run(&sb, &script, &vars);
    // moto lacks four operations setup needs: it does every other step, names each missing one
    // and exits 69, as documented; `sh -e` stops there.
    assert_eq!(out.status.code(), Some(69), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!(
            "setup of {domain} incomplete: the endpoint does not support {}",
            SETUP_UNSUPPORTED_ON_MOTO.join(", ")
        )),
        "{err}"
    );
    assert!(!sb.path().join("ses-records.zone").exists(), "nothing after setup ran");
    // The identity and its DKIM tokens, as the AWS CLI reads them (SES v1, as moto keeps them).
    let identity: Value = serde_json::from_slice(&cli_ok(sb.aws_cli().args([
        "ses",
        "get-identity-dkim-attributes",
        "--identities",
        &domain,
    ])))
    .unwrap();
    let tokens: Vec<&str> = identity["DkimAttributes"][&domain]["DkimTokens"]
        .as_array()
        .unwrap_or_else(|| panic!("{identity}"))
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(tokens.len(), 3, "{identity}");
    cli_ok(sb.aws_cli().args(["sesv2", "get-configuration-set", "--configuration-set-name", &config_set]));

    // The rest of the checklist, a command at a time as the doc has them.
    let steps = commands(&script);
    assert_eq!(steps.len(), 4, "{steps:?}");
    assert!(steps[0].starts_with("sesconfig setup "), "{steps:?}");
    let dns = run(&sb, &steps[1], &vars);
    succeeded(&dns, &steps[1]);
    let zone = std::fs::read_to_string(sb.path().join("ses-records.zone")).expect("the records, for the zone");
    assert_eq!(zone.lines().count(), 6, "{zone}");
    for token in &tokens {
        assert!(zone.contains(&format!("{token}.dkim.amazonses.com.")), "{zone}");
    }
    assert!(zone.contains("v=DMARC1; p=quarantine"), "the policy setup was given: {zone}");
    // Published: NSD serves the snippet as the domain's zone, delegated from its parent.
    let published = DnsServer::start(&[Zone::new(&domain).raw(&zone)]);
    let resolver = published.addr();
    let vars = [("DOMAIN", domain.as_str()), ("CONFIG_SET", config_set.as_str()), ("RESOLVER", resolver.as_str())];
    let check = run(&sb, &steps[2], &vars);
    let findings = ndjson(&check);
    let dns_checks = ["dkim", "mail_from_mx", "spf", "dmarc", "dmarc_alignment"];
    let on_dns: Vec<&Value> = findings.iter().filter(|f| dns_checks.contains(&f["check"].as_str().unwrap())).collect();
    assert_eq!(on_dns.len(), 7, "{findings:#?}");
    assert!(on_dns.iter().all(|f| f["status"] == "ok"), "every published record passes: {on_dns:#?}");
    // On moto's side the identity never verifies (nor signs) and what setup could not do is
    // missing: the checklist fails (exit 1) on exactly those, and the sandbox check moto cannot
    // answer is a warning naming GetAccount.
    assert_eq!(check.status.code(), Some(1), "{}", stderr_of(&check));
    let failed: BTreeSet<&str> =
        findings.iter().filter(|f| f["status"] == "fail").map(|f| f["check"].as_str().unwrap()).collect();
    assert_eq!(
        failed,
        BTreeSet::from(["identity_verified", "dkim_signing", "mail_from", "configuration_set"]),
        "{findings:#?}"
    );
    let sandbox = findings.iter().find(|f| f["check"] == "sandbox").expect("a sandbox finding");
    assert_eq!(sandbox["status"], "warn");
    assert!(sandbox["found"].as_str().unwrap().ends_with("has no GetAccount"), "{sandbox}");
    let status = run(&sb, &steps[3], &vars);
    assert_eq!(status.status.code(), Some(69), "{}", stderr_of(&status));
    assert!(stderr_of(&status).contains("does not support the SES operation GetAccount"), "{}", stderr_of(&status));
}

#[test]
fn mariadb_to_rds_recipe_moves_the_data_unsanitised_and_compare_finds_it_equal() {
    let (sb, app) = Sandbox::project();
    let store = sb.path().join("dumps");
    add_config(&sb, &format!("[dbdump]\nstore = \"{}\"\n", store.display()));
    let old = MariaDb::new();
    old.sql(
        "CREATE TABLE customers (id int PRIMARY KEY, email varchar(100) UNIQUE, name varchar(100), note text);
         INSERT INTO customers SELECT seq, CONCAT('c', seq, '@example.org'), CONCAT('Zoë Ünal ', seq),
             IF(seq % 7 = 0, NULL, CONCAT('it''s, \"quoted\"\\n', seq)) FROM seq_1_to_300;
         CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount decimal(12,4),
             FOREIGN KEY (customer_id) REFERENCES customers (id));
         INSERT INTO orders SELECT seq, 1 + seq % 300, seq / 7 FROM seq_1_to_900;",
    );
    let new = MariaDb::new(); // the RDS instance's empty database
    let vars = [("OLD_DB", old.url()), ("NEW_DB", new.url())];
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let script = recipe("MariaDB to RDS move with dbdump compare");
    let out = run(&sb, &script, &vars);
    succeeded(&out, "the recipe");
    let findings = kinds(&ndjson(&out), "finding").into_iter().cloned().collect::<Vec<_>>();
    let tables: BTreeSet<&str> = findings.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(tables, BTreeSet::from(["customers", "orders"]), "{findings:#?}");
    assert!(findings.iter().all(|f| f["status"] == "ok"), "{findings:#?}");
    // The data, as the MariaDB client reads both.
    for table in ["customers", "orders"] {
        let sql = format!("SELECT * FROM {table} ORDER BY id");
        assert_eq!(old.sql(&sql), new.sql(&sql), "{table}");
    }
    assert_eq!(new.sql("SELECT count(*) FROM orders").trim(), "900");
    // The dump in the store is marked unsanitised, with the reason.
    let dumps: Vec<_> = std::fs::read_dir(store.join(&app).join("prod")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(dumps.len(), 1);
    let manifest: Value = serde_json::from_slice(&std::fs::read(dumps[0].join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["sanitised"], false);
    assert!(!manifest["no_sanitise_reason"].as_str().unwrap_or_default().is_empty(), "{manifest}");
    // The recipe's last step is what stops a bad move: a row lost on the way fails it.
    new.sql("DELETE FROM orders WHERE id = 450");
    let compare = commands(&script).pop().unwrap();
    assert!(compare.starts_with("dbdump compare "), "{compare}");
    let out = run(&sb, &compare, &vars);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let failed: Vec<(String, String)> = ndjson(&out)
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| (f["name"].as_str().unwrap().to_owned(), f["found"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(failed, [("orders".to_owned(), "899".to_owned())]);
}
