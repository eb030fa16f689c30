//! costq against Athena (moto's, its query results seeded through moto's own API, in an account
//! of the test's own): the table's shape told from its columns, the SQL, the results.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use crate::costq::{by_group, dec, ok, records};
use crate::support::aws::{in_own_account as in_account, moto_api};
use crate::support::fake::{FakeEndpoint, Reply};
use crate::support::{Sandbox, one_line_error, stderr_of, stdout_of};

/// Queue Athena results: each query started takes the next.
fn seed(account: &str, results: Vec<Vec<Vec<&str>>>) {
    let results: Vec<Value> = results
        .into_iter()
        .map(|rows| {
            json!({"rows": rows.iter().map(|r| json!({"Data": r.iter().map(|v| json!({"VarCharValue": v})).collect::<Vec<_>>()})).collect::<Vec<_>>()})
        })
        .collect();
    moto_api(
        "/moto-api/static/athena/query-results",
        &json!({"account_id": account, "region": "us-east-1", "results": results}),
    );
}

const LEGACY_CUR_COLUMNS: [&str; 9] = [
    "line_item_usage_start_date",
    "line_item_currency_code",
    "line_item_unblended_cost",
    "line_item_line_item_type",
    "product_product_name",
    "line_item_product_code",
    "resource_tags_user_env",
    "year",
    "month",
];

fn columns_result(columns: &[&'static str]) -> Vec<Vec<&'static str>> {
    columns.iter().map(|c| vec![*c]).collect()
}

#[test]
fn print_sql_shows_the_query_for_the_tables_shape() {
    let (sb, account) = in_account();
    seed(&account, vec![columns_result(&LEGACY_CUR_COLUMNS)]);
    let out = sb
        .tool("costq")
        .args(["--as-of", "2026-11-27", "--source", "athena", "--database", "cur", "--table", "report", "--print-sql"])
        .args(["--from", "2026-08-15", "--to", "2026-09-30", "--by", "service,env", "--exclude", "tax"])
        .output()
        .unwrap();
    let sql = stdout_of(ok(&out));
    for part in [
        "FROM \"cur\".\"report\"",
        "COALESCE(COALESCE(NULLIF(\"product_product_name\", ''), NULLIF(\"line_item_product_code\", '')), '')",
        "COALESCE(\"resource_tags_user_env\", '')",
        "\"line_item_usage_start_date\" >= TIMESTAMP '2026-08-15 00:00:00'",
        "\"line_item_usage_start_date\" < TIMESTAMP '2026-10-01 00:00:00'",
        "((\"year\" = '2026' AND \"month\" = '8') OR (\"year\" = '2026' AND \"month\" = '9'))",
        "NOT IN ('tax')",
        "CAST(SUM(CAST(\"line_item_unblended_cost\" AS DECIMAL(38, 10))) AS VARCHAR)",
        "GROUP BY 1, 2, 3, 4;",
    ] {
        assert!(sql.contains(part), "`{part}` missing from:\n{sql}");
    }
}

#[test]
fn results_are_read_page_by_page_into_records() {
    let (sb, account) = in_account();
    seed(
        &account,
        vec![
            columns_result(&LEGACY_CUR_COLUMNS),
            vec![
                vec!["_col0", "_col1", "_col2", "_col3", "_col4"],
                vec!["2026-09-01", "Amazon Elastic Compute Cloud", "prod", "USD", "1234.5678901234"],
                vec!["2026-09-01", "Amazon Elastic Compute Cloud", "", "USD", "0.0000000010"],
                vec!["2026-09-01", "AWS Lambda", "dev", "USD", "-2.5000000000"],
            ],
        ],
    );
    let out = sb
        .tool("costq")
        .args([
            "--as-of",
            "2026-11-27",
            "--source",
            "athena",
            "--database",
            "cur",
            "--table",
            "report",
            "--month",
            "2026-09",
            "--by",
            "service,env",
        ])
        .output()
        .unwrap();
    let recs = records(&out);
    assert_eq!(
        by_group(&recs, &["service", "env"]),
        BTreeMap::from([
            ("AWS Lambda | dev".to_owned(), dec("-2.5")),
            ("Amazon Elastic Compute Cloud | ".to_owned(), dec("0.000000001")),
            ("Amazon Elastic Compute Cloud | prod".to_owned(), dec("1234.5678901234")),
        ])
    );
    assert_eq!(recs[0]["source"], "athena:cur");
    assert!(stdout_of(&out).contains("\"amount\":1234.5678901234,"));
}

#[test]
fn a_focus_table_and_a_missing_tag_column() {
    let (sb, account) = in_account();
    let focus = [
        "chargeperiodstart",
        "billingcurrency",
        "billedcost",
        "effectivecost",
        "chargecategory",
        "servicename",
        "tags",
    ];
    seed(&account, vec![columns_result(&focus), columns_result(&LEGACY_CUR_COLUMNS)]);
    let base = [
        "--as-of",
        "2026-11-27",
        "--source",
        "athena",
        "--database",
        "exports",
        "--table",
        "focus",
        "--print-sql",
        "--month",
        "2026-09",
    ];
    let out = sb.tool("costq").args(base).args(["--metric", "amortized", "--by", "tag:team"]).output().unwrap();
    let sql = stdout_of(ok(&out));
    assert!(sql.contains("SUM(CAST(\"effectivecost\" AS DECIMAL(38, 10)))"), "{sql}");
    assert!(sql.contains("element_at(\"tags\", 'team')"), "{sql}");
    let out = sb.tool("costq").args(base).args(["--by", "tag:team"]).output().unwrap();
    assert_eq!(out.status.code(), Some(65), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("no column `resource_tags_user_team` for the tag `team`"), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("hint: the tag columns are: resource_tags_user_env"), "{}", stderr_of(&out));
}

/// A fake Athena: `SHOW COLUMNS` answers a legacy CUR table; the cost query runs for two polls
/// and then ends as `end` says (a state and its reason).
fn athena_ending(end: &'static str, reason: &'static str) -> FakeEndpoint {
    let started = Arc::new(AtomicUsize::new(0));
    let polls = Arc::new(AtomicUsize::new(0));
    FakeEndpoint::with(move |r| match r.operation() {
        "StartQueryExecution" => {
            let n = started.fetch_add(1, Ordering::SeqCst);
            Reply::ok_json(&json!({"QueryExecutionId": format!("q{n}")}))
        }
        "GetQueryExecution" => {
            let id = serde_json::from_str::<Value>(&r.body).unwrap()["QueryExecutionId"].as_str().unwrap().to_owned();
            // q0 is SHOW COLUMNS; the cost query runs for two polls.
            let state = if id == "q0" {
                "SUCCEEDED"
            } else if polls.fetch_add(1, Ordering::SeqCst) >= 2 {
                end
            } else {
                "RUNNING"
            };
            Reply::ok_json(
                &json!({"QueryExecution": {"QueryExecutionId": id, "Status": {"State": state, "StateChangeReason": reason}}}),
            )
        }
        "StopQueryExecution" => Reply::ok_json(&json!({})),
        "GetQueryResults" => Reply::ok_json(
            &json!({"ResultSet": {"Rows": LEGACY_CUR_COLUMNS.iter().map(|c| json!({"Data": [{"VarCharValue": c}]})).collect::<Vec<_>>()}}),
        ),
        _ => Reply::json_error(400, "UnknownOperationException", "no"),
    })
}

fn athena_costq(fake: &FakeEndpoint) -> std::process::Output {
    let mut sb = Sandbox::aws();
    sb.set("AWS_ENDPOINT_URL", &fake.url).set("AWS_MAX_ATTEMPTS", "1");
    sb.tool("costq")
        .args(["--as-of", "2026-11-27", "--source", "athena", "--database", "cur", "--table", "report"])
        .args(["--month", "2026-09", "--by", "service"])
        .output()
        .unwrap()
}

#[test]
fn a_failed_or_cancelled_query_says_why_after_polling() {
    for (end, reason, exit) in [
        ("FAILED", "COLUMN_NOT_FOUND: line 1:8: Column 'line_item_unblended_cost' cannot be resolved", 65),
        ("CANCELLED", "Query cancelled by user", 65),
    ] {
        let fake = athena_ending(end, reason);
        let out = athena_costq(&fake);
        assert_eq!(out.status.code(), Some(exit), "{end}: {}", stderr_of(&out));
        let err = one_line_error("costq", &out);
        assert!(err.contains(&format!("Athena query q1 failed: {reason}")), "{err}");
        assert!(err.contains("hint: --print-sql shows the query costq ran"), "{err}");
        assert!(stdout_of(&out).is_empty(), "no partial records");
        let polls = fake.requests().iter().filter(|r| r.operation() == "GetQueryExecution").count();
        assert!(polls >= 4, "the running query was polled until it ended: {polls} polls");
        assert!(!fake.requests().iter().any(|r| r.operation() == "GetQueryResults" && r.body.contains("q1")));
    }
}

#[test]
fn athena_refusing_the_query_is_one_line_with_the_right_exit_code() {
    for (reply, exit, says) in [
        (Reply::json_error(400, "TooManyRequestsException", "Rate exceeded"), 75, "TooManyRequestsException"),
        (
            Reply::json_error(
                400,
                "AccessDeniedException",
                "User is not authorized to perform: athena:StartQueryExecution",
            ),
            77,
            "athena:StartQueryExecution",
        ),
        (Reply::json_error(400, "InvalidRequestException", "Database cur does not exist"), 65, "does not exist"),
        (Reply::json_error(500, "InternalServerException", "boom"), 69, "InternalServerException"),
    ] {
        let fake = FakeEndpoint::always(reply);
        let out = athena_costq(&fake);
        assert_eq!(out.status.code(), Some(exit), "{says}: {}", stderr_of(&out));
        assert!(one_line_error("costq", &out).contains(says), "{}", stderr_of(&out));
        assert_eq!(fake.requests().len(), 1, "AWS_MAX_ATTEMPTS=1: asked once");
    }
}

#[test]
fn ctrl_c_stops_the_running_query_before_costq_ends() {
    // The cost query never ends by itself.
    let fake = athena_ending("RUNNING", "");
    let mut sb = Sandbox::aws();
    sb.set("AWS_ENDPOINT_URL", &fake.url).set("AWS_MAX_ATTEMPTS", "1");
    let mut cmd = sb.std_command(crate::support::bin("costq"));
    cmd.args(["-v", "--as-of", "2026-11-27", "--source", "athena", "--database", "cur", "--table", "report"])
        .args(["--month", "2026-09", "--by", "service"]);
    let (out, stderr) = crate::support::signal_when(
        cmd,
        "Athena query started id=\"q1\"",
        std::time::Duration::from_millis(300),
        libc::SIGINT,
    );
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("costq: error: interrupted: Athena query q1 stopped"), "{stderr}");
    let stops: Vec<String> =
        fake.requests().iter().filter(|r| r.operation() == "StopQueryExecution").map(|r| r.body.clone()).collect();
    assert_eq!(stops.len(), 1, "{stops:?}");
    assert!(stops[0].contains("\"q1\""), "{stops:?}");
    assert!(stdout_of(&out).is_empty());
}
