//! costq against Cost Explorer: moto's, its results seeded through moto's own API in an account
//! of each test's own (an assumed role); the fake endpoint where moto cannot answer (throttling,
//! DataUnavailable, the forecast) and to see exactly what was asked.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::costq::{amount, by_group, dec, ok, records};
use crate::support::aws::{ce_answer as answer, in_own_account as in_account, seed_ce as seed};
use crate::support::fake::{FakeEndpoint, Reply, Request};
use crate::support::{Sandbox, stderr_of, stdout_of, unique};

/// A sandbox whose AWS calls are moto's in an account of the test's own.
fn costq(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    sb.tool("costq").args(["--as-of", "2026-11-27"]).args(args).output().unwrap()
}

#[test]
fn costs_by_service_are_exact_and_the_run_says_what_asking_cost() {
    let (sb, account) = in_account();
    seed(
        &account,
        &[answer(
            "2026-09-01",
            "2026-10-01",
            false,
            &[(&["Amazon Simple Storage Service"], "12.3400000000"), (&["AWS Lambda"], "0.0000001234")],
            None,
        )],
    );
    let out = costq(&sb, &["--month", "2026-09", "--by", "service"]);
    let text = stdout_of(ok(&out));
    assert!(text.contains("\"amount\":12.3400000000,"), "exact, with the source's precision: {text}");
    assert!(text.contains("\"amount\":0.0000001234,"), "{text}");
    let recs = records(&out);
    assert_eq!(recs[0]["start"], "2026-09-01");
    assert_eq!(recs[0]["end"], "2026-09-30", "the inclusive end, though Cost Explorer's is 2026-10-01");
    assert_eq!(recs[0]["source"], "ce");
    assert_eq!(recs[0]["estimated"], false);
    assert_eq!(stderr_of(&out), "costq: 1 Cost Explorer request ($0.01)\n");
}

#[test]
fn tag_groups_are_parsed_and_untagged_is_shown_as_such() {
    let (sb, account) = in_account();
    seed(
        &account,
        &[answer(
            "2026-09-01",
            "2026-10-01",
            false,
            &[(&["env$prod"], "100"), (&["env$"], "7.5"), (&["env$qa east"], "1.25")],
            None,
        )],
    );
    let out = costq(&sb, &["--month", "2026-09", "--by", "env", "-o", "json"]);
    let recs: Vec<Value> = serde_json::from_slice(&ok(&out).stdout).unwrap();
    let envs: Vec<&str> = recs.iter().map(|r| r["group"]["env"].as_str().unwrap()).collect();
    assert_eq!(envs, ["prod", "", "qa east"]);
    let table = costq(&sb, &["--month", "2026-09", "--by", "env", "-o", "table"]);
    let text = stdout_of(ok(&table));
    assert!(text.contains("(untagged)") && text.lines().last().unwrap().starts_with("total"), "{text}");
}

#[test]
fn every_page_is_read() {
    let (sb, account) = in_account();
    seed(
        &account,
        &[
            answer("2026-10-01", "2026-11-01", false, &[(&["Amazon EC2"], "1.50")], Some("page-2")),
            answer("2026-10-01", "2026-11-01", false, &[(&["AWS Lambda"], "2.25")], None),
        ],
    );
    let out = costq(&sb, &["--last-month", "--by", "service"]);
    assert_eq!(
        by_group(&records(&out), &["service"]),
        BTreeMap::from([("AWS Lambda".into(), dec("2.25")), ("Amazon EC2".into(), dec("1.5"))])
    );
    assert!(stderr_of(&out).contains("2 Cost Explorer requests ($0.02)"), "{}", stderr_of(&out));
}

#[test]
fn closed_periods_come_from_the_cache_and_open_ones_never_do() {
    let (mut sb, account) = in_account();
    seed(
        &account,
        &[
            answer("2026-08-01", "2026-09-01", false, &[(&["Amazon EC2"], "40.00")], None),
            answer("2026-11-01", "2026-11-28", true, &[(&["Amazon EC2"], "3.00")], None),
        ],
    );
    let first = costq(&sb, &["--month", "2026-08", "--by", "service"]);
    assert!(stderr_of(&first).contains("1 Cost Explorer request ($0.01)"));
    let open = costq(&sb, &["--month", "--by", "service"]);
    assert_eq!(records(&open)[0]["estimated"], true);
    // Now every Cost Explorer request would fail: the closed month is answered from the cache
    // alone. (The same identity asks: the same role, through the same AWS_ENDPOINT_URL.)
    let refuse = FakeEndpoint::always(Reply::json_error(500, "InternalServerError", "not this time"));
    sb.set("AWS_ENDPOINT_URL_COST_EXPLORER", &refuse.url).set("AWS_MAX_ATTEMPTS", "1");
    let cached = costq(&sb, &["--month", "2026-08", "--by", "service"]);
    assert_eq!(records(&cached), records(&first));
    assert_eq!(stderr_of(&cached), "costq: 0 Cost Explorer requests ($0.00); 1 answered from the cache\n");
    assert!(refuse.requests().is_empty(), "nothing was asked: {:?}", refuse.requests());
    // The month under way is asked every time; --no-cache asks even for a closed one.
    assert_eq!(costq(&sb, &["--month", "--by", "service"]).status.code(), Some(69));
    assert_eq!(costq(&sb, &["--month", "2026-08", "--by", "service", "--no-cache"]).status.code(), Some(69));
    assert!(!refuse.requests().is_empty());
}

#[test]
fn a_dry_run_says_what_it_would_cost_before_asking_anything() {
    let fake = FakeEndpoint::always(Reply::json_error(500, "InternalServerError", "should not be asked"));
    let mut sb = Sandbox::aws();
    sb.set("AWS_ENDPOINT_URL", &fake.url);
    let out = costq(&sb, &["--dry-run", "--month", "2026-09", "--by", "service", "--compare"]);
    assert!(ok(&out).stdout.is_empty());
    assert_eq!(
        stderr_of(&out),
        "costq: would make at least 2 Cost Explorer requests ($0.02), more if answers span pages; closed periods may come from the cache instead\n"
    );
    let out = costq(&sb, &["--dry-run", "--month", "2026-09", "--by", "service,account,env"]);
    assert!(
        stderr_of(&out).contains("at least 2 Cost Explorer requests ($0.02), then 1 more for each value of env"),
        "{}",
        stderr_of(&out)
    );
    assert!(fake.requests().is_empty());
}

/// The body of each Cost Explorer request the fake was asked.
fn asked(fake: &FakeEndpoint) -> Vec<Value> {
    fake.requests()
        .iter()
        .filter(|r| r.operation().starts_with("GetCost"))
        .map(|r: &Request| serde_json::from_str(&r.body).unwrap())
        .collect()
}

fn empty_answer() -> Reply {
    Reply::ok_json(&json!({"ResultsByTime": [], "DimensionValueAttributes": []}))
}

#[test]
fn cost_explorer_gets_an_exclusive_end_and_exactly_the_groups_and_filters_asked() {
    let fake = FakeEndpoint::always(empty_answer());
    let mut sb = Sandbox::aws();
    sb.set("AWS_ENDPOINT_URL", &fake.url);
    for (args, start, end) in [
        (&["--month", "2024-02"][..], "2024-02-01", "2024-03-01"),
        (&["--from", "2024-02-28", "--to", "2024-02-29"], "2024-02-28", "2024-03-01"),
        (&["--month", "2025-12"], "2025-12-01", "2026-01-01"),
        (&["--days", "7"], "2026-11-20", "2026-11-27"),
    ] {
        ok(&costq(&sb, args));
        let body = asked(&fake).pop().unwrap();
        assert_eq!(
            (body["TimePeriod"]["Start"].as_str().unwrap(), body["TimePeriod"]["End"].as_str().unwrap()),
            (start, end),
            "{args:?}"
        );
    }
    // The first day of a month, when this month has no data yet: one day asked, a clear empty answer.
    let out = sb.tool("costq").args(["--as-of", "2026-12-01", "--by", "service"]).output().unwrap();
    assert!(ok(&out).stdout.is_empty());
    assert!(stderr_of(&out).contains("no costs for 2026-12-01"), "{}", stderr_of(&out));
    let body = asked(&fake).pop().unwrap();
    assert_eq!(body["TimePeriod"], json!({"Start": "2026-12-01", "End": "2026-12-02"}));

    ok(&costq(&sb, &["--month", "2026-09", "--by", "service", "--by", "tag:team", "--exclude", "credits,tax"]));
    let body = asked(&fake).pop().unwrap();
    assert_eq!(body["GroupBy"], json!([{"Type": "DIMENSION", "Key": "SERVICE"}, {"Type": "TAG", "Key": "team"}]));
    assert_eq!(body["Filter"], json!({"Not": {"Dimensions": {"Key": "RECORD_TYPE", "Values": ["Credit", "Tax"]}}}));
    assert_eq!(body["Metrics"], json!(["UnblendedCost"]));

    // --split with a free slot groups by the record type too.
    ok(&costq(&sb, &["--month", "2026-09", "--by", "account", "--split", "--metric", "net-amortized"]));
    let body = asked(&fake).pop().unwrap();
    assert_eq!(
        body["GroupBy"],
        json!([{"Type": "DIMENSION", "Key": "LINKED_ACCOUNT"}, {"Type": "DIMENSION", "Key": "RECORD_TYPE"}])
    );
    assert_eq!(body["Metrics"], json!(["NetAmortizedCost"]));
    // Without one: a request per charge type.
    let before = asked(&fake).len();
    let out = costq(&sb, &["--month", "2026-09", "--by", "service,region", "--split"]);
    assert!(stderr_of(&out).contains("4 Cost Explorer requests ($0.04)"), "{}", stderr_of(&out));
    let filters: Vec<Value> = asked(&fake)[before..].iter().map(|b| b["Filter"].clone()).collect();
    assert_eq!(
        filters,
        [
            json!({"Not": {"Dimensions": {"Key": "RECORD_TYPE", "Values": ["Credit", "Refund", "Tax"]}}}),
            json!({"Dimensions": {"Key": "RECORD_TYPE", "Values": ["Credit"]}}),
            json!({"Dimensions": {"Key": "RECORD_TYPE", "Values": ["Refund"]}}),
            json!({"Dimensions": {"Key": "RECORD_TYPE", "Values": ["Tax"]}}),
        ]
    );
}

#[test]
fn more_groupings_than_cost_explorer_allows_become_filtered_requests() {
    let (sb, account) = in_account();
    seed(
        &account,
        &[
            // Listing the third dimension's values.
            answer("2026-09-01", "2026-10-01", false, &[(&["env$prod"], "110"), (&["env$"], "5")], None),
            // Untagged (sorted first), then prod: each grouped by the first two.
            answer("2026-09-01", "2026-10-01", false, &[(&["AWS Lambda", "111122223333"], "5")], None),
            answer(
                "2026-09-01",
                "2026-10-01",
                false,
                &[(&["Amazon EC2", "111122223333"], "100"), (&["Amazon EC2", "444455556666"], "10")],
                None,
            ),
        ],
    );
    let out = costq(&sb, &["--month", "2026-09", "--by", "service", "--by", "account", "--by", "env"]);
    let got = by_group(&records(&out), &["service", "account", "env"]);
    assert_eq!(
        got,
        BTreeMap::from([
            ("AWS Lambda | 111122223333 | ".to_owned(), dec("5")),
            ("Amazon EC2 | 111122223333 | prod".to_owned(), dec("100")),
            ("Amazon EC2 | 444455556666 | prod".to_owned(), dec("10")),
        ])
    );
    assert!(stderr_of(&out).contains("3 Cost Explorer requests ($0.03)"), "{}", stderr_of(&out));
    let too_many = costq(&sb, &["--month", "2026-09", "--by", "service,account,env,region,operation"]);
    assert_eq!(too_many.status.code(), Some(2));
    assert!(stderr_of(&too_many).contains("read the billing export instead"), "{}", stderr_of(&too_many));
}

#[test]
fn compare_asks_for_the_previous_equal_period() {
    let (sb, account) = in_account();
    seed(
        &account,
        &[
            answer("2026-11-01", "2026-11-28", true, &[(&["Amazon EC2"], "120"), (&["AWS Lambda"], "4")], None),
            answer("2026-10-01", "2026-10-28", false, &[(&["Amazon EC2"], "100"), (&["Amazon S3"], "9")], None),
        ],
    );
    let out = costq(&sb, &["--by", "service", "--compare"]);
    let recs = records(&out);
    let ec2 = recs.iter().find(|r| r["group"]["service"] == "Amazon EC2").unwrap();
    assert_eq!(
        (amount(ec2), dec(&ec2["previous"].to_string()), dec(&ec2["delta"].to_string())),
        (dec("120"), dec("100"), dec("20"))
    );
    assert_eq!(ec2["delta_pct"].to_string(), "20.0");
    let s3 = recs.iter().find(|r| r["group"]["service"] == "Amazon S3").unwrap();
    assert_eq!(amount(s3), Decimal::ZERO, "gone this month, still shown");
    let lambda = recs.iter().find(|r| r["group"]["service"] == "AWS Lambda").unwrap();
    assert_eq!(lambda["delta_pct"], Value::Null, "new this month");
    assert!(stderr_of(&out).contains("2 Cost Explorer requests"));
}

#[test]
fn throttling_exits_75_and_missing_data_is_explained() {
    let throttled = FakeEndpoint::always(Reply::json_error(400, "LimitExceededException", "Rate exceeded"));
    let mut sb = Sandbox::aws();
    sb.set("AWS_ENDPOINT_URL", &throttled.url).set("AWS_RETRY_MODE", "standard").set("AWS_MAX_ATTEMPTS", "2");
    let out = costq(&sb, &["--month", "2026-09", "--by", "service"]);
    assert_eq!(out.status.code(), Some(75), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("costq: 1 Cost Explorer request ($0.01)\ncostq: error: asking Cost Explorer for 2026-09-01 to 2026-09-30: LimitExceededException"), "{err}");
    assert!(err.contains("hint: AWS is throttling"), "{err}");
    assert_eq!(throttled.requests().len(), 2, "retried once");

    let unavailable = FakeEndpoint::always(Reply::json_error(400, "DataUnavailableException", "Data is not available"));
    sb.set("AWS_ENDPOINT_URL", &unavailable.url);
    let out = costq(&sb, &["--month", "2024-01", "--by", "service"]);
    assert_eq!(out.status.code(), Some(66), "{}", stderr_of(&out));
    let err = stderr_of(&out);
    assert!(err.contains("Cost Explorer has no data for this period (DataUnavailable)"), "{err}");
    assert!(err.contains("hint: Cost Explorer keeps 13 months"), "{err}");
}

#[test]
fn the_budget_gate_exits_1_over_budget_and_prints_the_record_either_way() {
    let (sb, account) = in_account();
    seed(&account, &[answer("2026-10-01", "2026-11-01", false, &[], None)]);
    // A total without groups comes as `Total`.
    let total = json!({"ResultsByTime": [{"TimePeriod": {"Start": "2026-10-01", "End": "2026-11-01"}, "Total": {"UnblendedCost": {"Amount": "4999.995", "Unit": "USD"}}, "Groups": [], "Estimated": false}]});
    let (sb2, account2) = in_account();
    seed(&account2, &[total]);
    let under = sb2
        .tool("costq")
        .args(["check", "--budget", "5000", "--last-month", "--as-of", "2026-11-27"])
        .output()
        .unwrap();
    assert_eq!(under.status.code(), Some(0), "{}", stderr_of(&under));
    let rec: Value = serde_json::from_str(stdout_of(&under).trim()).unwrap();
    assert_eq!(rec["kind"], "budget");
    assert_eq!(
        (rec["amount"].to_string(), rec["budget"].to_string(), rec["exceeded"].clone()),
        ("4999.995".into(), "5000".into(), json!(false))
    );
    let over = sb2
        .tool("costq")
        .args(["check", "--budget", "4999.99", "--last-month", "--as-of", "2026-11-27"])
        .output()
        .unwrap();
    assert_eq!(over.status.code(), Some(1), "{}", stderr_of(&over));
    let rec: Value = serde_json::from_str(stdout_of(&over).trim()).unwrap();
    assert_eq!((rec["exceeded"].clone(), rec["remaining"].to_string()), (json!(true), "-0.005".into()));
    assert!(stderr_of(&over).contains("over budget: 5000.00 USD against 4999.99 USD"));
    // An empty month is zero spend, under any budget.
    let empty =
        sb.tool("costq").args(["check", "--budget", "1", "--last-month", "--as-of", "2026-11-27"]).output().unwrap();
    assert_eq!(empty.status.code(), Some(0), "{}", stderr_of(&empty));
}

#[test]
fn check_with_the_forecast_compares_the_projected_month() {
    // moto has no GetCostForecast: the fake answers both calls with AWS's documented shapes.
    let fake = FakeEndpoint::with(|r| match r.operation() {
        "GetCostAndUsage" => Reply::ok_json(
            &json!({"ResultsByTime": [{"TimePeriod": {"Start": "2026-11-01", "End": "2026-11-28"}, "Total": {"UnblendedCost": {"Amount": "3000.00", "Unit": "USD"}}, "Groups": [], "Estimated": true}]}),
        ),
        "GetCostForecast" => Reply::ok_json(&json!({
            "Total": {"Amount": "412.3456789", "Unit": "USD"},
            "ForecastResultsByTime": [{"TimePeriod": {"Start": "2026-11-27", "End": "2026-12-01"}, "MeanValue": "412.3456789", "PredictionIntervalLowerBound": "380.5", "PredictionIntervalUpperBound": "450.25"}]
        })),
        _ => Reply::json_error(400, "UnknownOperationException", "no"),
    });
    let mut sb = Sandbox::aws();
    sb.set("AWS_ENDPOINT_URL", &fake.url);
    let out =
        sb.tool("costq").args(["check", "--budget", "3400", "--forecast", "--as-of", "2026-11-27"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let rec: Value = serde_json::from_str(stdout_of(&out).trim()).unwrap();
    assert_eq!(rec["checked"], "projected");
    assert_eq!(
        (rec["amount"].to_string(), rec["forecast"].to_string(), rec["projected"].to_string()),
        ("3000.00".into(), "412.3456789".into(), "3412.3456789".into())
    );
    let forecast: Value = fake
        .requests()
        .iter()
        .find(|r| r.operation() == "GetCostForecast")
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .unwrap();
    assert_eq!(forecast["TimePeriod"], json!({"Start": "2026-11-27", "End": "2026-12-01"}));
    assert_eq!(forecast["PredictionIntervalLevel"], 80);
    let query = sb.tool("costq").args(["--as-of", "2026-11-27", "--forecast"]).output().unwrap();
    let recs = records(&query);
    let f = recs.iter().find(|r| r["kind"] == "forecast").unwrap();
    assert_eq!(
        (f["lower"].to_string(), f["upper"].to_string(), f["interval"].to_string()),
        ("380.5".into(), "450.25".into(), "80".into())
    );
    assert!(stderr_of(&query).contains("2 Cost Explorer requests ($0.02)"));
    let past = sb.tool("costq").args(["--as-of", "2026-11-27", "--month", "2026-09", "--forecast"]).output().unwrap();
    assert_eq!(past.status.code(), Some(2), "a closed month has no forecast");
}

#[test]
fn anomalies_are_days_that_depart_from_their_baseline() {
    let (sb, account) = in_account();
    // 44 days: a 14-day baseline, then 30 days; EC2 spikes on 2026-11-20, S3 stays calm.
    let start = 20_740; // 2026-10-14 (days since 1970) .. 2026-11-26: yesterday, as of 2026-11-27
    let mut days = Vec::new();
    for i in 0..44 {
        let day = crate::costq::day_text(start + i);
        let next = crate::costq::day_text(start + i + 1);
        let ec2 = if day == "2026-11-20" {
            "480.00"
        } else if i % 2 == 0 {
            "101.00"
        } else {
            "99.00"
        };
        days.push(json!({"TimePeriod": {"Start": day, "End": next}, "Total": {}, "Estimated": false, "Groups": [
            {"Keys": ["Amazon EC2"], "Metrics": {"UnblendedCost": {"Amount": ec2, "Unit": "USD"}}},
            {"Keys": ["Amazon S3"], "Metrics": {"UnblendedCost": {"Amount": "20.00", "Unit": "USD"}}}
        ]}));
    }
    seed(&account, &[json!({"ResultsByTime": days, "DimensionValueAttributes": []})]);
    let out = sb.tool("costq").args(["anomalies", "--days", "30", "--as-of", "2026-11-27"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "found: {}", stderr_of(&out));
    let found: Vec<Value> = stdout_of(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0]["date"].as_str(), found[0]["group"]["service"].as_str(), found[0]["direction"].as_str()),
        (Some("2026-11-20"), Some("Amazon EC2"), Some("up"))
    );
    assert_eq!(found[0]["baseline"].to_string(), "100.00");
}

#[test]
fn envctl_ls_piped_in_reports_each_environments_cost() {
    let (sb, account) = in_account();
    let app = unique("app");
    sb.write("opskit.toml", &format!("app = \"{app}\"\n[envs.dev]\ntier = \"dev\"\n[envs.staging]\ntier = \"staging\"\n[envs.prod]\ntier = \"prod\"\n"));
    seed(
        &account,
        &[answer("2026-09-01", "2026-10-01", false, &[(&["env$prod"], "321.50"), (&["env$dev"], "12.25")], None)],
    );
    let envctl = crate::support::bin("envctl");
    let costq_bin = crate::support::bin("costq");
    let out = sb
        .command("sh")
        .args([
            "-c",
            &format!(
                "'{}' ls | '{}' --as-of 2026-11-27 --month 2026-09 --by env -",
                envctl.display(),
                costq_bin.display()
            ),
        ])
        .output()
        .unwrap();
    let got = by_group(&records(&out), &["env"]);
    assert_eq!(
        got,
        BTreeMap::from([
            ("dev".to_owned(), dec("12.25")),
            ("prod".to_owned(), dec("321.5")),
            ("staging".to_owned(), Decimal::ZERO)
        ])
    );
    // A record of another kind is refused, naming it.
    let wrong = sb
        .tool("costq")
        .args(["--as-of", "2026-11-27", "--month", "2026-09", "-"])
        .write_stdin("{\"kind\":\"param\",\"key\":\"A\"}\n")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(65));
    assert!(
        stderr_of(&wrong).contains("record 1 is a `param` record; costq takes `env` records"),
        "{}",
        stderr_of(&wrong)
    );
}
