//! Billing export files for costq's tests, made here with the quirks real exports carry, and
//! DuckDB (from the test virtualenv) as the independent engine that sums them.
//!
//! The files are legacy CUR, CUR 2.0 and FOCUS 1.0 CSV: quoted commas, quotes and newlines in
//! descriptions, empty costs, scientific notation, negative credits and refunds, tax lines,
//! amortization line types, two billing periods around a leap day, tag values with spaces,
//! commas, quotes and accents, untagged line items. Deterministic for a seed.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use super::aws::venv;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Cur,
    Cur2,
    Focus,
}

/// SplitMix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap()]
    }

    /// A percentage check: true `pct` times in 100.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

pub const SERVICES: [(&str, &str); 8] = [
    ("Amazon Elastic Compute Cloud", "AmazonEC2"),
    ("Amazon Simple Storage Service", "AmazonS3"),
    ("Amazon Relational Database Service", "AmazonRDS"),
    ("AWS Lambda", "AWSLambda"),
    ("Amazon CloudFront", "AmazonCloudFront"),
    ("Amazon DynamoDB", "AmazonDynamoDB"),
    ("AWS Key Management Service", "awskms"),
    ("Amazon Virtual Private Cloud", "AmazonVPC"),
];
const ACCOUNTS: [&str; 3] = ["111122223333", "444455556666", "777788889999"];
const REGIONS: [&str; 4] = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"];
pub const ENVS: [&str; 5] = ["prod", "staging", "qa east", "dev", ""];
pub const TEAMS: [&str; 5] = ["platform, core", "data \"lake\"", "équipe données", "web team", ""];
const TYPES: [(&str, u64); 10] = [
    ("Usage", 62),
    ("Tax", 6),
    ("Credit", 5),
    ("Refund", 3),
    ("DiscountedUsage", 6),
    ("RIFee", 3),
    ("SavingsPlanCoveredUsage", 6),
    ("SavingsPlanRecurringFee", 3),
    ("SavingsPlanNegation", 3),
    ("Fee", 3),
];

/// A CSV field, quoted when it must be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// A JSON object of the non-empty pairs.
fn json_map(pairs: &[(&str, &str)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String((*v).to_owned())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// An amount as exports write it: up to ten decimals, now and then in scientific notation.
fn amount(rng: &mut Rng, negative: bool) -> String {
    let units = rng.below(50_000_000_000_000); // up to 5,000.0000000000
    let text = format!("{}.{:010}", units / 10_000_000_000, units % 10_000_000_000);
    let text = if negative { format!("-{text}") } else { text };
    if rng.chance(3) {
        // The same value in scientific notation.
        let digits = units.to_string();
        let exp = i32::try_from(digits.len()).unwrap() - 11;
        let (first, rest) = digits.split_at(1);
        let rest = rest.trim_end_matches('0');
        let sign = if negative { "-" } else { "" };
        if rest.is_empty() { format!("{sign}{first}E{exp}") } else { format!("{sign}{first}.{rest}E{exp}") }
    } else {
        text
    }
}

fn header(shape: Shape) -> &'static [&'static str] {
    match shape {
        Shape::Cur => &[
            "identity/LineItemId",
            "bill/BillingPeriodStartDate",
            "bill/PayerAccountId",
            "lineItem/UsageAccountId",
            "lineItem/LineItemType",
            "lineItem/UsageStartDate",
            "lineItem/UsageEndDate",
            "lineItem/ProductCode",
            "lineItem/UsageType",
            "lineItem/Operation",
            "lineItem/UsageAmount",
            "lineItem/CurrencyCode",
            "lineItem/UnblendedCost",
            "lineItem/BlendedCost",
            "lineItem/NetUnblendedCost",
            "lineItem/LineItemDescription",
            "product/ProductName",
            "product/region",
            "pricing/publicOnDemandCost",
            "reservation/ReservationARN",
            "reservation/EffectiveCost",
            "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod",
            "reservation/UnusedRecurringFee",
            "savingsPlan/SavingsPlanEffectiveCost",
            "savingsPlan/TotalCommitmentToDate",
            "savingsPlan/UsedCommitment",
            "resourceTags/aws:createdBy",
            "resourceTags/user:env",
            "resourceTags/user:team",
        ],
        Shape::Cur2 => &[
            "identity_line_item_id",
            "bill_billing_period_start_date",
            "line_item_usage_account_id",
            "line_item_line_item_type",
            "line_item_usage_start_date",
            "line_item_product_code",
            "line_item_usage_type",
            "line_item_operation",
            "line_item_currency_code",
            "line_item_unblended_cost",
            "line_item_blended_cost",
            "line_item_net_unblended_cost",
            "line_item_line_item_description",
            "product",
            "product_region_code",
            "reservation_reservation_a_r_n",
            "reservation_effective_cost",
            "reservation_unused_amortized_upfront_fee_for_billing_period",
            "reservation_unused_recurring_fee",
            "savings_plan_savings_plan_effective_cost",
            "savings_plan_total_commitment_to_date",
            "savings_plan_used_commitment",
            "resource_tags",
        ],
        Shape::Focus => &[
            "BilledCost",
            "BillingCurrency",
            "BillingPeriodStart",
            "ChargeCategory",
            "ChargeClass",
            "ChargeDescription",
            "ChargePeriodEnd",
            "ChargePeriodStart",
            "EffectiveCost",
            "ListCost",
            "RegionId",
            "ServiceName",
            "SubAccountId",
            "Tags",
            "x_UsageType",
            "x_Operation",
        ],
    }
}

/// One generated line item, before a shape's columns are written.
struct Item {
    id: usize,
    month: u64,
    dom: u64,
    hour: u64,
    kind: &'static str,
    name: &'static str,
    code: &'static str,
    account: &'static str,
    region: &'static str,
    env: &'static str,
    team: &'static str,
    cost: String,
    blended: String,
    net: String,
    arn: String,
    /// Reservation effective, unused upfront, unused recurring; Savings Plan effective,
    /// commitment to date, used commitment.
    amortizing: [String; 6],
    description: String,
    usage_type: String,
    operation: String,
    extra: [String; 3],
}

fn item(rng: &mut Rng, id: usize) -> Item {
    let day = rng.below(60); // 2024-01-01 .. 2024-02-29: two billing periods and a leap day
    let (month, dom) = if day < 31 { (1, day + 1) } else { (2, day - 30) };
    let hour = rng.below(24);
    let total_weight: u64 = TYPES.iter().map(|(_, w)| w).sum();
    let mut w = rng.below(total_weight);
    let kind = TYPES
        .iter()
        .find(|(_, weight)| {
            if w < *weight {
                true
            } else {
                w -= weight;
                false
            }
        })
        .map_or("Usage", |(k, _)| *k);
    let (name, code) = *rng.pick(&SERVICES);
    let name = if rng.chance(5) { "" } else { name };
    let account = *rng.pick(&ACCOUNTS);
    let region = if kind == "Tax" { "" } else { *rng.pick(&REGIONS) };
    let env = *rng.pick(&ENVS);
    let team = *rng.pick(&TEAMS);
    let negative = matches!(kind, "Credit" | "Refund" | "SavingsPlanNegation");
    let cost = if rng.chance(1) { String::new() } else { amount(rng, negative) };
    let blended = amount(rng, negative);
    let net = amount(rng, negative);
    let arn = if kind == "RIFee" || kind == "DiscountedUsage" || (kind == "Fee" && rng.chance(50)) {
        format!("arn:aws:ec2:us-east-1:{account}:reserved-instances/{id:08x}")
    } else {
        String::new()
    };
    let mut when = |wanted: bool| if wanted { amount(rng, false) } else { String::new() };
    let amortizing = [
        when(kind == "DiscountedUsage"),
        when(kind == "RIFee"),
        when(kind == "RIFee"),
        when(kind == "SavingsPlanCoveredUsage"),
        when(kind == "SavingsPlanRecurringFee"),
        when(kind == "SavingsPlanRecurringFee"),
    ];
    let description = match rng.below(5) {
        0 => format!("{name}, \"per GB\" charge"),
        1 => format!("{code} usage\nsecond line, with a comma"),
        2 => "$0.023 per GB-month, first 50 TB".to_owned(),
        _ => format!("{kind} for {code}"),
    };
    let usage_type = format!("USE1-{code}-{}", rng.below(4));
    let operation = format!("Op{}", rng.below(3));
    let extra = [rng.below(100).to_string(), amount(rng, negative), amount(rng, false)];
    Item {
        id,
        month,
        dom,
        hour,
        kind,
        name,
        code,
        account,
        region,
        env,
        team,
        cost,
        blended,
        net,
        arn,
        amortizing,
        description,
        usage_type,
        operation,
        extra,
    }
}

/// A line item's fields, for a shape (FOCUS writes null as an unquoted NULL).
fn cells(shape: Shape, it: Item) -> Vec<String> {
    let (month, dom, hour) = (it.month, it.dom, it.hour);
    let start = format!("2024-{month:02}-{dom:02}T{hour:02}:00:00.000Z");
    let end = format!("2024-{month:02}-{dom:02}T{hour:02}:59:59.000Z");
    let period = format!("2024-{month:02}-01T00:00:00.000Z");
    let [ri_effective, ri_upfront, ri_recurring, sp_effective, sp_total, sp_used] = it.amortizing;
    let [usage_amount, effective, list] = it.extra;
    let quoted = |cells: Vec<String>| cells.iter().map(|c| field(c)).collect();
    match shape {
        Shape::Cur => quoted(vec![
            format!("li{:06}", it.id),
            period,
            "999988887777".into(),
            it.account.into(),
            it.kind.into(),
            start,
            end,
            it.code.into(),
            it.usage_type,
            it.operation,
            usage_amount,
            "USD".into(),
            it.cost,
            it.blended,
            it.net,
            it.description,
            it.name.into(),
            it.region.into(),
            list,
            it.arn,
            ri_effective,
            ri_upfront,
            ri_recurring,
            sp_effective,
            sp_total,
            sp_used,
            "AssumedRole:AROA:ci".into(),
            it.env.into(),
            it.team.into(),
        ]),
        Shape::Cur2 => quoted(vec![
            format!("li{:06}", it.id),
            period,
            it.account.into(),
            it.kind.into(),
            start,
            it.code.into(),
            it.usage_type,
            it.operation,
            "USD".into(),
            it.cost,
            it.blended,
            it.net,
            it.description,
            json_map(&[("product_name", it.name), ("region", it.region)]),
            it.region.into(),
            it.arn,
            ri_effective,
            ri_upfront,
            ri_recurring,
            sp_effective,
            sp_total,
            sp_used,
            json_map(&[("user_env", it.env), ("user_team", it.team)]),
        ]),
        Shape::Focus => {
            let category = match it.kind {
                "Tax" => "Tax",
                "Credit" => "Credit",
                "Refund" => "Adjustment",
                "RIFee" | "Fee" | "SavingsPlanRecurringFee" => "Purchase",
                _ => "Usage",
            };
            let null = |s: &str| if s.is_empty() { "NULL".to_owned() } else { field(s) };
            let tags = json_map(&[("env", it.env), ("team", it.team)]);
            vec![
                if it.cost.is_empty() { "NULL".to_owned() } else { it.cost },
                field("USD"),
                field(&format!("2024-{month:02}-01 00:00:00")),
                field(category),
                "NULL".into(),
                field(&it.description),
                field(&format!("2024-{month:02}-{dom:02} {hour:02}:59:59")),
                field(&format!("2024-{month:02}-{dom:02} {hour:02}:00:00")),
                effective,
                list,
                null(it.region),
                field(if it.name.is_empty() { it.code } else { it.name }),
                field(it.account),
                if tags == "{}" { "NULL".into() } else { field(&tags) },
                field(&it.usage_type),
                field(&it.operation),
            ]
        }
    }
}

/// The CSV text of a generated export.
pub fn generate(shape: Shape, rows: usize, seed: u64, crlf: bool) -> String {
    let mut rng = Rng::new(seed);
    let newline = if crlf { "\r\n" } else { "\n" };
    let mut out = header(shape).iter().map(|h| field(h)).collect::<Vec<_>>().join(",");
    out.push_str(newline);
    for id in 0..rows {
        out.push_str(&cells(shape, item(&mut rng, id)).join(","));
        out.push_str(newline);
    }
    out
}

/// The rows of one DuckDB query, every value as text (`None` for NULL).
pub type Rows = Vec<Vec<Option<String>>>;

/// Run queries in one DuckDB process (starting Python and DuckDB takes longer than the queries).
pub fn duckdb_all(queries: &[String]) -> Vec<Rows> {
    const SCRIPT: &str = "import duckdb, json, sys\ncon = duckdb.connect()\nfor q in json.loads(sys.argv[1]):\n    rows = con.execute(q).fetchall()\n    print(json.dumps([[None if v is None else str(v) for v in r] for r in rows]))\n";
    let python = venv().join("bin").join("python");
    let queries_json = serde_json::to_string(queries).unwrap();
    let out = Command::new(&python).args(["-c", SCRIPT, &queries_json]).output().expect("run DuckDB");
    assert!(
        out.status.success(),
        "DuckDB failed on\n{}\n{}",
        queries.join(";\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

pub fn duckdb(sql: &str) -> Rows {
    duckdb_all(&[sql.to_owned()]).remove(0)
}

/// A string literal for DuckDB.
pub fn sql_text(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Write `csv` as Parquet the way AWS does (costs as DOUBLE, days as TIMESTAMP, maps as maps),
/// by DuckDB.
pub fn to_parquet(shape: Shape, csv: &Path, parquet: &Path) {
    to_parquet_with(shape, csv, parquet, "", "");
}

/// [`to_parquet`], the line items in `order` (`ORDER BY …`, or empty) and with DuckDB's COPY
/// `options` (`, ROW_GROUP_SIZE 2048`, or empty).
pub fn to_parquet_with(shape: Shape, csv: &Path, parquet: &Path, order: &str, options: &str) {
    let read = format!(
        "read_csv({}, all_varchar = true, header = true, nullstr = ['NULL', ''])",
        sql_text(&csv.display().to_string())
    );
    let header = duckdb(&format!("SELECT column_name FROM (DESCRIBE SELECT * FROM {read})"));
    let mut select = String::new();
    for row in header {
        let name = row[0].clone().unwrap();
        let quoted = format!("\"{name}\"");
        let expr = if name.ends_with("Cost")
            || name.ends_with("_cost")
            || name.ends_with("Fee")
            || name.ends_with("_fee")
            || name.contains("Commitment")
            || name.contains("commitment")
            || name.ends_with("BillingPeriod")
            || name.ends_with("billing_period")
        {
            format!("CAST({quoted} AS DOUBLE)")
        } else if name.ends_with("Date")
            || name.ends_with("_date")
            || name.starts_with("ChargePeriod")
            || name == "BillingPeriodStart"
        {
            format!("CAST({quoted} AS TIMESTAMP)")
        } else if (shape == Shape::Cur2 && (name == "product" || name == "resource_tags"))
            || (shape == Shape::Focus && name == "Tags")
        {
            format!("CAST(CAST({quoted} AS JSON) AS MAP(VARCHAR, VARCHAR))")
        } else {
            quoted.clone()
        };
        let _ = write!(select, "{}{expr} AS {quoted}", if select.is_empty() { "" } else { ", " });
    }
    duckdb(&format!(
        "COPY (SELECT {select} FROM {read} {order}) TO {} (FORMAT parquet{options})",
        sql_text(&parquet.display().to_string())
    ));
}
