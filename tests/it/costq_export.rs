//! costq over billing export files — generated ones with real quirks and the real public
//! samples — checked against DuckDB over the same files, to the cent (exactly, in fact), for
//! every `--by`; CSV, CSV.gz and Parquet alike; and every kind of bad file refused with its
//! file, line and column.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;

use crate::costq::{amount, by_group, costq, dec, export, ok, records};
use crate::support::exports::{Shape, duckdb, duckdb_all, generate, sql_text, to_parquet, to_parquet_with};
use crate::support::{Sandbox, stderr_of, stdout_of};

/// The `--by` dimensions, with each shape's DuckDB expression for them (over CSV read as text,
/// empty and `NULL` as null).
fn dimensions(shape: Shape) -> Vec<(&'static str, &'static str, &'static str)> {
    // (--by, group field, SQL)
    match shape {
        Shape::Cur => vec![
            ("service", "service", "COALESCE(\"product/ProductName\", \"lineItem/ProductCode\")"),
            ("account", "account", "\"lineItem/UsageAccountId\""),
            ("region", "region", "\"product/region\""),
            ("usage-type", "usage_type", "\"lineItem/UsageType\""),
            ("operation", "operation", "\"lineItem/Operation\""),
            ("charge-type", "charge_type", "\"lineItem/LineItemType\""),
            ("tag:team", "tag:team", "\"resourceTags/user:team\""),
            ("tag:aws:createdBy", "tag:aws:createdBy", "\"resourceTags/aws:createdBy\""),
            ("env", "env", "\"resourceTags/user:env\""),
        ],
        Shape::Cur2 => vec![
            ("service", "service", "COALESCE(json_extract_string(product, '$.product_name'), line_item_product_code)"),
            ("account", "account", "line_item_usage_account_id"),
            ("region", "region", "product_region_code"),
            ("usage-type", "usage_type", "line_item_usage_type"),
            ("operation", "operation", "line_item_operation"),
            ("charge-type", "charge_type", "line_item_line_item_type"),
            ("tag:team", "tag:team", "json_extract_string(resource_tags, '$.user_team')"),
            ("env", "env", "json_extract_string(resource_tags, '$.user_env')"),
        ],
        Shape::Focus => vec![
            ("service", "service", "\"ServiceName\""),
            ("account", "account", "\"SubAccountId\""),
            ("region", "region", "\"RegionId\""),
            ("usage-type", "usage_type", "\"x_UsageType\""),
            ("operation", "operation", "\"x_Operation\""),
            ("charge-type", "charge_type", "\"ChargeCategory\""),
            ("tag:team", "tag:team", "json_extract_string(\"Tags\", '$.team')"),
            ("env", "env", "json_extract_string(\"Tags\", '$.env')"),
        ],
    }
}

fn date_column(shape: Shape) -> &'static str {
    match shape {
        Shape::Cur => "\"lineItem/UsageStartDate\"",
        Shape::Cur2 => "line_item_usage_start_date",
        Shape::Focus => "\"ChargePeriodStart\"",
    }
}

fn cost_sql(shape: Shape, metric: &str) -> String {
    let d = |c: &str| format!("CAST({c} AS DECIMAL(38, 12))");
    match (shape, metric) {
        (Shape::Focus, "unblended") => d("\"BilledCost\""),
        (Shape::Focus, "amortized") => d("\"EffectiveCost\""),
        (Shape::Cur, "unblended") => d("\"lineItem/UnblendedCost\""),
        (Shape::Cur, "blended") => d("\"lineItem/BlendedCost\""),
        (Shape::Cur2, "unblended") => d("line_item_unblended_cost"),
        (Shape::Cur2, "net-unblended") => d("line_item_net_unblended_cost"),
        (Shape::Cur | Shape::Cur2, "amortized") => {
            let (kind, usage, sp, total, used, ri, upfront, recurring, arn) = if shape == Shape::Cur {
                (
                    "\"lineItem/LineItemType\"",
                    "\"lineItem/UnblendedCost\"",
                    "\"savingsPlan/SavingsPlanEffectiveCost\"",
                    "\"savingsPlan/TotalCommitmentToDate\"",
                    "\"savingsPlan/UsedCommitment\"",
                    "\"reservation/EffectiveCost\"",
                    "\"reservation/UnusedAmortizedUpfrontFeeForBillingPeriod\"",
                    "\"reservation/UnusedRecurringFee\"",
                    "\"reservation/ReservationARN\"",
                )
            } else {
                (
                    "line_item_line_item_type",
                    "line_item_unblended_cost",
                    "savings_plan_savings_plan_effective_cost",
                    "savings_plan_total_commitment_to_date",
                    "savings_plan_used_commitment",
                    "reservation_effective_cost",
                    "reservation_unused_amortized_upfront_fee_for_billing_period",
                    "reservation_unused_recurring_fee",
                    "reservation_reservation_a_r_n",
                )
            };
            format!(
                "CASE {kind} WHEN 'SavingsPlanCoveredUsage' THEN {} WHEN 'SavingsPlanRecurringFee' THEN COALESCE({}, 0) - COALESCE({}, 0) \
                 WHEN 'SavingsPlanNegation' THEN 0 WHEN 'SavingsPlanUpfrontFee' THEN 0 WHEN 'DiscountedUsage' THEN {} \
                 WHEN 'RIFee' THEN COALESCE({}, 0) + COALESCE({}, 0) \
                 ELSE CASE WHEN {kind} = 'Fee' AND {arn} IS NOT NULL THEN 0 ELSE {} END END",
                d(sp),
                d(total),
                d(used),
                d(ri),
                d(upfront),
                d(recurring),
                d(usage)
            )
        }
        other => panic!("no reference SQL for {other:?}"),
    }
}

/// DuckDB's sums by group for an export CSV, period and filter.
fn reference(file: &Path, shape: Shape, dims: &[&str], metric: &str, filter: &str) -> String {
    let read = format!(
        "read_csv({}, all_varchar = true, header = true, nullstr = ['NULL', ''])",
        sql_text(&file.display().to_string())
    );
    let groups: Vec<String> = dims.iter().map(|d| format!("COALESCE({d}, '')")).collect();
    let keys = if groups.is_empty() { "'total'".to_owned() } else { groups.join(" || ' | ' || ") };
    format!(
        "SELECT {keys} AS k, CAST(COALESCE(SUM({}), 0) AS VARCHAR) FROM {read} WHERE {filter} GROUP BY ALL",
        cost_sql(shape, metric)
    )
}

fn as_map(rows: &[Vec<Option<String>>]) -> BTreeMap<String, Decimal> {
    rows.iter().map(|r| (r[0].clone().unwrap(), dec(r[1].as_deref().unwrap()))).collect()
}

/// The files costq reads in each test: the CSV, the same gzip-compressed, the same as Parquet.
fn three_formats(sb: &Sandbox, shape: Shape, seed: u64) -> (std::path::PathBuf, Vec<std::path::PathBuf>) {
    let name = format!("{shape:?}").to_lowercase();
    let csv = export(sb, &format!("{name}.csv"), shape, 2500, seed);
    let gz = sb.path().join(format!("{name}.csv.gz"));
    let status = std::process::Command::new("gzip")
        .arg("-k")
        .arg("-c")
        .arg(&csv)
        .stdout(std::fs::File::create(&gz).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let parquet = sb.path().join(format!("{name}.parquet"));
    to_parquet(shape, &csv, &parquet);
    (csv.clone(), vec![csv, gz, parquet])
}

fn every_by_equals_duckdb(shape: Shape, seed: u64) {
    let sb = Sandbox::new();
    let (csv, files) = three_formats(&sb, shape, seed);
    let dims = dimensions(shape);
    let mut queries: Vec<String> =
        dims.iter().map(|(_, _, sql)| reference(&csv, shape, &[sql], "unblended", "TRUE")).collect();
    queries.push(reference(&csv, shape, &[dims[1].2, dims[2].2, dims[3].2], "unblended", "TRUE"));
    queries.push(reference(&csv, shape, &[dims[0].2, dims[5].2], "unblended", "TRUE"));
    let expected = duckdb_all(&queries);
    for file in &files {
        for ((by, field, _), want) in dims.iter().zip(&expected) {
            let got = by_group(&records(&costq(&sb, &["--source", file.to_str().unwrap(), "--by", by])), &[field]);
            assert_eq!(got, as_map(want), "{shape:?} {} --by {by}", file.display());
        }
        // Three dimensions at once, and two.
        let three = [dims[1], dims[2], dims[3]];
        let mut args = vec!["--source", file.to_str().unwrap()];
        args.extend(three.iter().flat_map(|(by, _, _)| ["--by", *by]));
        let got = by_group(&records(&costq(&sb, &args)), &three.map(|(_, field, _)| field));
        assert_eq!(got, as_map(&expected[expected.len() - 2]), "{shape:?} {} {args:?}", file.display());
        let got = by_group(
            &records(&costq(&sb, &["--source", file.to_str().unwrap(), "--by", "service", "--by", "charge-type"])),
            &["service", "charge_type"],
        );
        assert_eq!(got, as_map(expected.last().unwrap()), "{shape:?} {} --by service --by charge-type", file.display());
    }
}

#[test]
fn legacy_cur_equals_duckdb_for_every_by_in_csv_gzip_and_parquet() {
    every_by_equals_duckdb(Shape::Cur, 101);
}

#[test]
fn cur2_equals_duckdb_for_every_by_in_csv_gzip_and_parquet() {
    every_by_equals_duckdb(Shape::Cur2, 202);
}

#[test]
fn focus_equals_duckdb_for_every_by_in_csv_gzip_and_parquet() {
    every_by_equals_duckdb(Shape::Focus, 303);
}

#[test]
fn metrics_periods_and_exclusions_equal_duckdb() {
    let sb = Sandbox::new();
    for (shape, seed) in [(Shape::Cur, 11), (Shape::Cur2, 12), (Shape::Focus, 13)] {
        let (csv, files) = three_formats(&sb, shape, seed);
        let date = format!("CAST(substr({}, 1, 10) AS DATE)", date_column(shape));
        let kind = if shape == Shape::Focus { "\"ChargeCategory\"" } else { dimensions(shape)[5].2 };
        let excluded =
            if shape == Shape::Focus { "('Credit', 'Adjustment', 'Tax')" } else { "('Credit', 'Refund', 'Tax')" };
        let service = dimensions(shape)[0].2;
        // (costq arguments, DuckDB metric, filter)
        let mut cases: Vec<(Vec<&str>, &str, String)> = vec![
            (vec!["--metric", "amortized"], "amortized", "TRUE".into()),
            (
                vec!["--month", "2024-02"],
                "unblended",
                format!("{date} BETWEEN DATE '2024-02-01' AND DATE '2024-02-29'"),
            ),
            (
                vec!["--from", "2024-02-28", "--to", "2024-03-01"],
                "unblended",
                format!("{date} BETWEEN DATE '2024-02-28' AND DATE '2024-02-29'"),
            ),
            (vec!["--from", "2024-01-31", "--to", "2024-01-31"], "unblended", format!("{date} = DATE '2024-01-31'")),
            (vec!["--exclude", "credits,refunds,tax"], "unblended", format!("COALESCE({kind}, '') NOT IN {excluded}")),
        ];
        match shape {
            Shape::Cur => cases.push((vec!["--metric", "blended"], "blended", "TRUE".into())),
            Shape::Cur2 => cases.push((vec!["--metric", "net-unblended"], "net-unblended", "TRUE".into())),
            Shape::Focus => {}
        }
        let queries: Vec<String> =
            cases.iter().map(|(_, metric, filter)| reference(&csv, shape, &[service], metric, filter)).collect();
        let expected = duckdb_all(&queries);
        for file in &files {
            for ((args, _, filter), want) in cases.iter().zip(&expected) {
                let mut all = vec!["--source", file.to_str().unwrap(), "--by", "service", "--as-of", "2026-11-27"];
                all.extend(args);
                let got = by_group(&records(&costq(&sb, &all)), &["service"]);
                assert_eq!(got, as_map(want), "{shape:?} {} {args:?} ({filter})", file.display());
            }
        }
    }
}

#[test]
fn split_shows_credits_refunds_and_tax_beside_the_amount() {
    let sb = Sandbox::new();
    let file = export(&sb, "cur.csv", Shape::Cur, 2000, 21);
    let rows = records(&costq(&sb, &["--source", file.to_str().unwrap(), "--by", "account", "--split"]));
    let kinds = "\"lineItem/LineItemType\"";
    let q = |case: &str| {
        format!(
            "SELECT \"lineItem/UsageAccountId\", CAST(SUM(CAST(\"lineItem/UnblendedCost\" AS DECIMAL(38,12))) AS VARCHAR) FROM read_csv({}, all_varchar = true, nullstr = ['']) WHERE {case} GROUP BY 1",
            sql_text(&file.display().to_string())
        )
    };
    let expected = duckdb_all(&[
        q(&format!("{kinds} NOT IN ('Credit', 'Refund', 'Tax')")),
        q(&format!("{kinds} = 'Credit'")),
        q(&format!("{kinds} = 'Refund'")),
        q(&format!("{kinds} = 'Tax'")),
    ]);
    for (field, want) in ["usage", "credits", "refunds", "tax"].iter().zip(&expected) {
        let want: BTreeMap<String, Decimal> =
            want.iter().map(|r| (r[0].clone().unwrap(), dec(r[1].as_deref().unwrap()))).collect();
        let got: BTreeMap<String, Decimal> = rows
            .iter()
            .map(|r| (r["group"]["account"].as_str().unwrap().to_owned(), dec(&r[*field].to_string())))
            .collect();
        assert_eq!(got, want, "{field}");
    }
    for r in &rows {
        let parts: Decimal = ["usage", "credits", "refunds", "tax"].iter().map(|f| dec(&r[*f].to_string())).sum();
        assert_eq!(parts.normalize(), amount(r), "the parts add up to the amount: {r}");
        assert!(dec(&r["credits"].to_string()) < Decimal::ZERO, "credits are negative: {r}");
    }
}

#[test]
fn daily_and_monthly_buckets_include_the_leap_day_and_both_billing_periods() {
    let sb = Sandbox::new();
    let file = export(&sb, "cur2.csv", Shape::Cur2, 3000, 31);
    let path = file.to_str().unwrap();
    let monthly = records(&costq(&sb, &["--source", path, "--monthly"]));
    let spans: Vec<(String, String)> =
        monthly.iter().map(|r| (r["start"].as_str().unwrap().into(), r["end"].as_str().unwrap().into())).collect();
    assert_eq!(spans, [("2024-01-01".into(), "2024-01-31".into()), ("2024-02-01".into(), "2024-02-29".into())]);
    let daily = records(&costq(&sb, &["--source", path, "--daily", "--month", "2024-02", "--as-of", "2026-11-27"]));
    assert_eq!(daily.len(), 29, "every day of February 2024");
    assert_eq!(daily.last().unwrap()["start"], "2024-02-29");
    let want = duckdb_all(&[format!(
        "SELECT substr(line_item_usage_start_date, 1, 10), CAST(SUM(CAST(line_item_unblended_cost AS DECIMAL(38,12))) AS VARCHAR) FROM read_csv({}, all_varchar = true, nullstr = ['']) WHERE substr(line_item_usage_start_date, 1, 7) = '2024-02' GROUP BY 1",
        sql_text(&file.display().to_string())
    )]);
    let got: BTreeMap<String, Decimal> =
        daily.iter().map(|r| (r["start"].as_str().unwrap().to_owned(), amount(r))).collect();
    let want: BTreeMap<String, Decimal> =
        want[0].iter().map(|r| (r[0].clone().unwrap(), dec(r[1].as_deref().unwrap()))).collect();
    assert_eq!(got, want);
    let month_total: Decimal = monthly.iter().filter(|r| r["start"] == "2024-02-01").map(amount).sum();
    assert_eq!(month_total, got.values().sum::<Decimal>().normalize());
}

/// A Parquet export in time order, in many row groups: a row group whose statistics put all its
/// days in the query's period and in one bucket is read without its date column, and one whose
/// product names are never empty without the product codes behind them; any other is read
/// whole. Either way every record (groups, sums, start and end) is the CSV's, and `-vv` says how
/// many row groups the statistics answered for.
#[test]
fn row_groups_whose_statistics_give_their_days_answer_as_the_csv_does() {
    let sb = Sandbox::new();
    for (shape, seed) in [(Shape::Cur, 21), (Shape::Cur2, 22), (Shape::Focus, 23)] {
        let name = format!("{shape:?}").to_lowercase();
        let csv = export(&sb, &format!("{name}-ordered.csv"), shape, 12_000, seed);
        let parquet = sb.path().join(format!("{name}-ordered.parquet"));
        // Legacy CUR: the line items without a product name last, so that most row groups have
        // a name on every line item.
        let names_first = if shape == Shape::Cur { "\"product/ProductName\" IS NULL, " } else { "" };
        let order = format!("ORDER BY {names_first}{}", date_column(shape));
        to_parquet_with(shape, &csv, &parquet, &order, ", ROW_GROUP_SIZE 2048");
        let groups = duckdb(&format!(
            "SELECT count(DISTINCT row_group_id) FROM parquet_metadata({})",
            sql_text(&parquet.display().to_string())
        ))[0][0]
            .clone()
            .unwrap();
        assert!(groups.parse::<u32>().unwrap() > 3, "{shape:?}: {groups} row groups");
        // (arguments, how many row groups the statistics answer for: all, some, none)
        let cases: [(&[&str], &str); 7] = [
            (&["--by", "service"], "all"),
            (&["--by", "service", "--monthly"], "some"),
            (&["--by", "account", "--daily"], "none"),
            (&["--by", "service", "--by", "env", "--month", "2024-02"], "some"),
            (&["--by", "region", "--from", "2024-01-10", "--to", "2024-02-03", "--monthly"], "some"),
            (&["--by", "service", "--exclude", "credits"], "none"),
            (&["--by", "charge-type", "--split"], "all"),
        ];
        for (args, answered) in cases {
            let run = |file: &Path, verbose: &[&str]| {
                let mut all = vec!["--source", file.to_str().unwrap(), "--as-of", "2026-11-27"];
                all.extend(verbose);
                all.extend(args);
                costq(&sb, &all)
            };
            let want = records(&run(&csv, &[]));
            assert!(want.len() > 1, "{shape:?} {args:?}: {want:?}");
            let out = run(&parquet, &["-vv"]);
            assert_eq!(records(&out), want, "{shape:?} {args:?}");
            let said = stderr_of(&out);
            let count = |what: &str, expected: &str| {
                let (known, of) = said
                    .lines()
                    .find_map(|l| l.split_once(what))
                    .and_then(|(head, _)| head.rsplit_once(": ")?.1.split_once(" of "))
                    .unwrap_or_else(|| panic!("{shape:?} {args:?}: no count of row groups in {said}"));
                assert_eq!(of, groups, "{shape:?} {args:?}: {said}");
                let known: u32 = known.parse().unwrap();
                let right = match expected {
                    "all" => known.to_string() == groups,
                    "some" => known > 0 && known.to_string() != groups,
                    _ => known == 0,
                };
                assert!(right, "{shape:?} {args:?}: {what}: {expected} expected, {known} of {groups}");
            };
            count(" row groups read their days from their statistics", answered);
            let by_service = args.contains(&"service");
            let fallbacks = if shape == Shape::Cur && by_service { "some" } else { "none" };
            count(" row groups read no fallback column", fallbacks);
        }
    }
}

#[test]
fn the_real_samples_equal_duckdb() {
    let sb = Sandbox::new();
    let data = crate::support::root().join("../shared/data/cost");
    let cur = data.join("cur-legacy-sample.csv");
    let focus = data.join("focus-1.0-sample.csv");
    assert!(cur.is_file() && focus.is_file(), "the shared samples are missing");
    let read = |f: &Path| {
        format!(
            "read_csv({}, all_varchar = true, header = true, nullstr = ['NULL', ''])",
            sql_text(&f.display().to_string())
        )
    };
    let cases = [
        (
            &cur,
            "service",
            "service",
            "COALESCE(\"product/ProductName\", \"lineItem/ProductCode\")",
            "\"lineItem/UnblendedCost\"",
        ),
        (&cur, "charge-type", "charge_type", "\"lineItem/LineItemType\"", "\"lineItem/UnblendedCost\""),
        (
            &cur,
            "region",
            "region",
            "COALESCE(\"product/regionCode\", \"product/region\")",
            "\"lineItem/UnblendedCost\"",
        ),
        (&cur, "usage-type", "usage_type", "\"lineItem/UsageType\"", "\"lineItem/UnblendedCost\""),
        (&focus, "service", "service", "\"ServiceName\"", "\"BilledCost\""),
        (&focus, "account", "account", "\"SubAccountId\"", "\"BilledCost\""),
        (
            &focus,
            "tag:environment",
            "tag:environment",
            "json_extract_string(\"Tags\", '$.environment')",
            "\"BilledCost\"",
        ),
    ];
    let queries: Vec<String> = cases
        .iter()
        .map(|(file, _, _, dim, cost)| {
            format!(
                "SELECT COALESCE({dim}, ''), CAST(SUM(CAST({cost} AS DECIMAL(38, 12))) AS VARCHAR) FROM {} GROUP BY 1",
                read(file)
            )
        })
        .collect();
    let expected = duckdb_all(&queries);
    for ((file, by, field, _, _), want) in cases.iter().zip(&expected) {
        let got = by_group(&records(&costq(&sb, &["--source", file.to_str().unwrap(), "--by", by])), &[field]);
        assert_eq!(got, as_map(want), "{} --by {by}", file.display());
    }
    // FOCUS's EffectiveCost is the amortized metric.
    let got = records(&costq(&sb, &["--source", focus.to_str().unwrap(), "--metric", "amortized"]));
    let want = duckdb_all(&[format!(
        "SELECT CAST(SUM(CAST(\"EffectiveCost\" AS DECIMAL(38, 12))) AS VARCHAR) FROM {}",
        read(&focus)
    )]);
    assert_eq!(amount(&got[0]), dec(want[0][0][0].as_deref().unwrap()));
}

#[test]
fn a_directory_of_exports_is_read_whole_and_other_files_are_left_alone() {
    let sb = Sandbox::new();
    let a = export(&sb, "exports/2024-01/part-1.csv", Shape::Cur, 700, 41);
    let b = sb.write("exports/2024-02/part-1.csv", &generate(Shape::Cur, 500, 42, true));
    sb.write("exports/2024-01/report-Manifest.json", "{\"reportKeys\": []}");
    let dir = sb.path().join("exports");
    let whole = by_group(&records(&costq(&sb, &["--source", dir.to_str().unwrap(), "--by", "service"])), &["service"]);
    let mut parts =
        by_group(&records(&costq(&sb, &["--source", a.to_str().unwrap(), "--by", "service"])), &["service"]);
    for (k, v) in by_group(&records(&costq(&sb, &["--source", b.to_str().unwrap(), "--by", "service"])), &["service"]) {
        let sum = parts.entry(k).or_insert(Decimal::ZERO);
        *sum = (*sum + v).normalize();
    }
    assert_eq!(whole, parts, "a directory is the sum of its files (CRLF lines too)");
}

#[test]
fn exports_in_s3_are_read_as_they_stream() {
    let sb = Sandbox::aws();
    let bucket = crate::support::unique("costq-cur");
    ok(&sb.aws_cli().args(["s3api", "create-bucket", "--bucket", &bucket]).output().unwrap());
    let (csv, files) = three_formats(&sb, Shape::Cur2, 51);
    for (i, file) in files.iter().enumerate() {
        let key = format!(
            "exports/cur2/data/BILLING_PERIOD=2024-0{}/part-{i}.{}",
            1 + i % 2,
            file.file_name().unwrap().to_str().unwrap().split_once('.').unwrap().1
        );
        ok(&sb.aws_cli().args(["s3", "cp", file.to_str().unwrap(), &format!("s3://{bucket}/{key}")]).output().unwrap());
    }
    ok(&sb
        .aws_cli()
        .args(["s3", "cp", csv.to_str().unwrap(), &format!("s3://{bucket}/exports/cur2/metadata/manifest.json")])
        .output()
        .unwrap());
    let local =
        by_group(&records(&costq(&sb, &["--source", csv.to_str().unwrap(), "--by", "tag:team"])), &["tag:team"]);
    let out = costq(&sb, &["--source", &format!("s3://{bucket}/exports/cur2/"), "--by", "tag:team"]);
    let remote = by_group(&records(&out), &["tag:team"]);
    let tripled: BTreeMap<String, Decimal> =
        local.iter().map(|(k, v)| (k.clone(), (v * Decimal::from(3)).normalize())).collect();
    assert_eq!(remote, tripled, "CSV, CSV.gz and Parquet objects, and not the manifest");
    // A Data Exports manifest for 2024-01 naming only its CSV: the Parquet object there is an
    // older refresh's and is left out; 2024-02, with no manifest, is read whole.
    let manifest = sb.write(
        "cur2-Manifest.json",
        &format!("{{\"dataFiles\": [\"s3://{bucket}/exports/cur2/data/BILLING_PERIOD=2024-01/part-0.csv\"]}}"),
    );
    ok(&sb
        .aws_cli()
        .args(["s3", "cp", manifest.to_str().unwrap()])
        .arg(format!("s3://{bucket}/exports/cur2/metadata/BILLING_PERIOD=2024-01/cur2-Manifest.json"))
        .output()
        .unwrap());
    let out = costq(&sb, &["--source", &format!("s3://{bucket}/exports/cur2/"), "--by", "tag:team"]);
    let doubled: BTreeMap<String, Decimal> =
        local.iter().map(|(k, v)| (k.clone(), (v * Decimal::from(2)).normalize())).collect();
    assert_eq!(by_group(&records(&out), &["tag:team"]), doubled, "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("left out 1 file of older report versions"), "{}", stderr_of(&out));
    let missing = costq(&sb, &["--source", &format!("s3://{bucket}/nothing-here/")]);
    assert_eq!(missing.status.code(), Some(66), "{}", stderr_of(&missing));
    assert!(stderr_of(&missing).contains(&format!("no export files in s3://{bucket}/nothing-here/")));
}

/// A one-line error with exit 65 that contains every `part`.
fn bad(out: &std::process::Output, parts: &[&str]) {
    assert_eq!(out.status.code(), Some(65), "{}", stderr_of(out));
    let err = stderr_of(out);
    assert!(err.starts_with("costq: error: "), "{err}");
    for part in parts {
        assert!(err.contains(part), "`{part}` missing from: {err}");
    }
    assert!(out.stdout.is_empty(), "no partial total: {}", stdout_of(out));
}

#[test]
fn bad_files_are_refused_naming_file_line_and_column() {
    let sb = Sandbox::new();
    let good = generate(Shape::Cur, 300, 61, false);
    let lines: Vec<&str> = good.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let cost_column = header.iter().position(|h| *h == "lineItem/UnblendedCost").unwrap() + 1;

    // A non-numeric cost: named by file, physical line (quoted newlines counted) and column.
    let mut text = String::new();
    let mut physical = 1;
    let mut target_line = 0;
    let mut broken = false;
    for (n, record) in good.split_inclusive('\n').enumerate() {
        if n > 0 && !broken && n > 150 && !record.contains('"') {
            let mut fields: Vec<String> = record.trim_end().split(',').map(str::to_owned).collect();
            fields[cost_column - 1] = "12;5".to_owned();
            text.push_str(&fields.join(","));
            text.push('\n');
            target_line = physical;
            broken = true;
        } else {
            text.push_str(record);
        }
        physical += record.matches('\n').count();
    }
    let file = sb.write("nan.csv", &text);
    bad(
        &costq(&sb, &["--source", file.to_str().unwrap()]),
        &[
            "nan.csv: line ",
            &format!("line {target_line}, column {cost_column} (lineItem/UnblendedCost): `12;5` is not a number"),
        ],
    );

    // A truncated gzip.
    let gz = sb.path().join("cut.csv.gz");
    let full = sb.write("full.csv", &good);
    let out = std::process::Command::new("gzip").arg("-c").arg(&full).output().unwrap();
    std::fs::write(&gz, &out.stdout[..out.stdout.len() * 2 / 3]).unwrap();
    bad(&costq(&sb, &["--source", gz.to_str().unwrap()]), &["cut.csv.gz", "the gzip data ends early", "truncated"]);

    // A half-written CSV: the last line cut in the middle.
    let half = sb.write("half.csv", &good[..good.len() - 40]);
    bad(&costq(&sb, &["--source", half.to_str().unwrap()]), &["half.csv: line ", "fields; the header has 29"]);

    // A quote that never closes.
    let open = sb.write(
        "open.csv",
        "lineItem/UsageStartDate,lineItem/UnblendedCost,lineItem/LineItemDescription\n2024-01-01T00:00:00Z,1.5,fine\n2024-01-02T00:00:00Z,2.5,\"never closed, and the file\nends\n",
    );
    bad(&costq(&sb, &["--source", open.to_str().unwrap()]), &["open.csv: line 3", "a quoted field never closes"]);

    // No cost column for the metric asked.
    let no_cost =
        sb.write("no-cost.csv", "lineItem/UsageStartDate,lineItem/ProductCode\n2024-01-01T00:00:00Z,AmazonS3\n");
    bad(
        &costq(&sb, &["--source", no_cost.to_str().unwrap()]),
        &["no-cost.csv: line 1: there is no column `lineItem/UnblendedCost`"],
    );

    // No known shape.
    let unknown = sb.write("unknown.csv", "date,service,amount\n2024-01-01,S3,1.00\n");
    bad(
        &costq(&sb, &["--source", unknown.to_str().unwrap()]),
        &["unknown.csv: line 1: no known export shape", "date,service,amount"],
    );

    // A tag no line item has.
    let cur = sb.write("cur.csv", &good);
    let out = costq(&sb, &["--source", cur.to_str().unwrap(), "--by", "tag:tema"]);
    bad(&out, &["cur.csv: no line item has the tag `tema`"]);
    assert!(
        stderr_of(&out).contains("hint: the tag columns are: aws:createdBy, user:env, user:team"),
        "{}",
        stderr_of(&out)
    );
    let focus = sb.write("focus.csv", &generate(Shape::Focus, 100, 3, false));
    bad(&costq(&sb, &["--source", focus.to_str().unwrap(), "--by", "tag:Team"]), &["no line item has the tag `Team`"]);

    // An empty file.
    let empty = sb.write("empty.csv", "");
    bad(&costq(&sb, &["--source", empty.to_str().unwrap()]), &["empty.csv: the file is empty"]);

    // Not Parquet at all, though named so.
    let fake = sb.write("fake.parquet", "not parquet");
    bad(&costq(&sb, &["--source", fake.to_str().unwrap()]), &["fake.parquet: not a readable Parquet file"]);

    // Parquet with a line item that has no day, and one whose cost (text here) is no number:
    // the row and the column are named, as for CSV.
    let csv = sb.write("typed.csv", &good);
    let read = format!("read_csv({}, all_varchar = true, header = true)", sql_text(&csv.display().to_string()));
    for (name, column, value, message) in [
        ("no-day.parquet", "lineItem/UsageStartDate", "NULL", "no date: every line item needs its usage start date"),
        ("nan.parquet", "lineItem/UnblendedCost", "'12;5'", "`12;5` is not a number"),
    ] {
        let path = sb.path().join(name);
        duckdb(&format!(
            "COPY (SELECT * EXCLUDE (n) REPLACE (CASE WHEN n = 7 THEN {value} ELSE \"{column}\" END AS \"{column}\") \
             FROM (SELECT row_number() OVER () AS n, * FROM {read})) TO {} (FORMAT parquet)",
            sql_text(&path.display().to_string())
        ));
        let index = duckdb(&format!(
            "SELECT column_index FROM (SELECT row_number() OVER () AS column_index, column_name FROM (DESCRIBE SELECT * FROM {read})) WHERE column_name = '{column}'"
        ));
        let index = index[0][0].clone().unwrap();
        bad(
            &costq(&sb, &["--source", path.to_str().unwrap()]),
            &[&format!("{name}: row 7, column {index} ({column}): {message}")],
        );
    }
}

#[test]
fn a_period_outside_the_data_is_a_clear_empty_result() {
    let sb = Sandbox::new();
    let file = export(&sb, "cur.csv", Shape::Cur, 200, 71);
    let out = costq(&sb, &["--source", file.to_str().unwrap(), "--month", "2023-06", "--as-of", "2026-11-27"]);
    assert!(ok(&out).stdout.is_empty());
    assert!(
        stderr_of(&out)
            .contains("no line items in 2023-06-01 to 2023-06-30: the export holds 2024-01-01 to 2024-02-29"),
        "{}",
        stderr_of(&out)
    );
    let out = costq(&sb, &["--source", file.to_str().unwrap(), "--month", "2099-01"]);
    assert_eq!(out.status.code(), Some(2), "a period in the future is refused: {}", stderr_of(&out));
}

#[test]
fn compare_joins_the_previous_month_of_the_export() {
    let sb = Sandbox::new();
    let file = export(&sb, "focus.csv", Shape::Focus, 1500, 81);
    let path = file.to_str().unwrap();
    let feb = by_group(
        &records(&costq(&sb, &["--source", path, "--by", "service", "--month", "2024-02", "--as-of", "2026-11-27"])),
        &["service"],
    );
    let jan = by_group(
        &records(&costq(&sb, &["--source", path, "--by", "service", "--month", "2024-01", "--as-of", "2026-11-27"])),
        &["service"],
    );
    let compared = records(&costq(
        &sb,
        &["--source", path, "--by", "service", "--month", "2024-02", "--compare", "--as-of", "2026-11-27"],
    ));
    for r in &compared {
        let service = r["group"]["service"].as_str().unwrap();
        let (now, before) = (amount(r), dec(&r["previous"].to_string()));
        assert_eq!(now, feb.get(service).copied().unwrap_or_default().normalize());
        assert_eq!(before, jan.get(service).copied().unwrap_or_default().normalize());
        assert_eq!(dec(&r["delta"].to_string()), (now - before).normalize());
    }
    assert_eq!(
        costq(&sb, &["--source", path, "--compare"]).status.code(),
        Some(2),
        "a whole export has no previous period"
    );
}

/// costq's sums by service for one export file or directory.
fn by_service(sb: &Sandbox, source: &Path) -> BTreeMap<String, Decimal> {
    by_group(&records(&costq(sb, &["--source", source.to_str().unwrap(), "--by", "service"])), &["service"])
}

#[test]
fn only_the_files_a_data_exports_manifest_names_are_read() {
    // CUR 2.0 as Data Exports deliver it with "create new export file": each refresh in a folder
    // of its own under the billing period, the manifest naming the latest one's files.
    let sb = Sandbox::new();
    let data = "exports/cur2/data/BILLING_PERIOD=2024-01";
    let old = export(&sb, &format!("{data}/20240110T0100Z-e1/cur2-00001.csv"), Shape::Cur2, 300, 93);
    let current = export(&sb, &format!("{data}/20240111T0100Z-e2/cur2-00001.csv"), Shape::Cur2, 300, 94);
    let parquet = sb.path().join(format!("{data}/20240111T0100Z-e2/cur2-00002.parquet"));
    to_parquet(Shape::Cur2, &export(&sb, "second-part.csv", Shape::Cur2, 200, 95), &parquet);
    sb.write(
        "exports/cur2/metadata/BILLING_PERIOD=2024-01/cur2-Manifest.json",
        &format!(
            "{{\"executionId\": \"e2\", \"dataFiles\": [\"s3://bucket/{data}/20240111T0100Z-e2/cur2-00001.csv\", \"s3://bucket/{data}/20240111T0100Z-e2/cur2-00002.parquet\"]}}"
        ),
    );
    let dir = sb.path().join("exports");
    let out = costq(&sb, &["--source", dir.to_str().unwrap(), "--by", "service"]);
    let read = by_group(&records(&out), &["service"]);
    let mut want = by_service(&sb, &current);
    for (service, amount) in by_service(&sb, &parquet) {
        *want.entry(service).or_default() += amount;
    }
    let want: BTreeMap<String, Decimal> = want.into_iter().map(|(k, v)| (k, v.normalize())).collect();
    assert_eq!(read, want, "the current execution's two files, and not the older one");
    assert_ne!(read, by_service(&sb, &old));
    assert!(stderr_of(&out).contains("left out 1 file of older report versions"), "{}", stderr_of(&out));
}

#[test]
fn only_the_current_version_of_a_legacy_cur_month_is_read() {
    let sb = Sandbox::new();
    let month = "sync/cur/report/20240101-20240201";
    let old = export(&sb, &format!("{month}/aaaa/report-00001.csv"), Shape::Cur, 300, 91);
    let current = export(&sb, &format!("{month}/bbbb/report-00001.csv"), Shape::Cur, 300, 92);
    sb.write(
        &format!("{month}/report-Manifest.json"),
        "{\"assemblyId\": \"bbbb\", \"reportKeys\": [\"cur/report/20240101-20240201/bbbb/report-00001.csv\"]}",
    );
    let dir = sb.path().join("sync");
    let out = costq(&sb, &["--source", dir.to_str().unwrap(), "--by", "service"]);
    let read = by_group(&records(&out), &["service"]);
    assert_eq!(read, by_service(&sb, &current));
    assert_ne!(read, by_service(&sb, &old));
    assert!(stderr_of(&out).contains("left out 1 file of older report versions"), "{}", stderr_of(&out));
}
