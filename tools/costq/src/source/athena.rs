//! Athena, for exports too big for one machine: the same question as SQL over the export's
//! table (the legacy CUR Athena integration, a CUR 2.0 table, or a FOCUS table), told apart by
//! its columns (`SHOW COLUMNS`, a free DDL query). StartQueryExecution, polling, and
//! GetQueryResults page by page; `--print-sql` shows the query instead of running it.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use aws_sdk_athena::Client;
use aws_sdk_athena::types::{QueryExecutionContext, QueryExecutionState, ResultConfiguration};
use opskit::aws::AwsResultExt;
use opskit::{Context, Error};

use super::export::detect::tag_column;
use crate::money::Amount;
use crate::query::{Amounts, Charge, CostQuery, CostRow, Costs, Date, Dimension, Granularity, Metric};

/// How long a query may run before costq stops waiting (Athena goes on; its id is printed).
const QUERY_DEADLINE: Duration = Duration::from_mins(30);

/// The kind of table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableShape {
    /// The legacy CUR Athena integration: snake_case columns, `resource_tags_user_<key>`.
    Cur,
    /// CUR 2.0: `resource_tags` and `product` maps.
    Cur2,
    /// FOCUS 1.0 (Athena lower-cases column names: `billedcost`).
    Focus,
}

impl TableShape {
    pub fn detect(columns: &[String]) -> Option<TableShape> {
        let has = |c: &str| columns.iter().any(|x| x == c);
        if has("billedcost") {
            Some(TableShape::Focus)
        } else if has("line_item_unblended_cost") && has("resource_tags") {
            Some(TableShape::Cur2)
        } else if has("line_item_unblended_cost") {
            Some(TableShape::Cur)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            TableShape::Cur => "cur",
            TableShape::Cur2 => "cur2",
            TableShape::Focus => "focus",
        }
    }
}

pub struct Athena {
    client: Client,
    database: String,
    table: String,
    workgroup: Option<String>,
    output_location: Option<String>,
}

/// `"name"`: an SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'`: an SQL string.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The SQL for `query` over a table of `shape` with `columns`.
pub fn sql(shape: TableShape, columns: &[String], table: &str, query: &CostQuery) -> Result<String, Error> {
    let has = |c: &str| columns.iter().any(|x| x == c);
    let period = query.period.ok_or_else(|| Error::internal("Athena needs a period"))?.period;
    let (date, currency, kind) = match shape {
        TableShape::Focus => ("chargeperiodstart", "billingcurrency", "chargecategory"),
        _ => ("line_item_usage_start_date", "line_item_currency_code", "line_item_line_item_type"),
    };
    let require = |c: &str, why: &str| -> Result<String, Error> {
        if has(c) { Ok(ident(c)) } else { Err(Error::data(format!("{table} has no column `{c}` ({why})"))) }
    };
    let cost = cost_sql(shape, query.metric, &require)?;
    let mut select = vec![match query.granularity {
        Granularity::Period => format!("DATE {}", literal(&period.start.to_string())),
        Granularity::Monthly => format!("CAST(date_trunc('month', {}) AS date)", ident(date)),
        Granularity::Daily => format!("CAST(date_trunc('day', {}) AS date)", ident(date)),
    }];
    let mut dims = Vec::new();
    for dim in &query.dims {
        let expr = dim_sql(shape, dim, columns, &require)?;
        dims.push(expr.clone());
        select.push(format!("COALESCE({expr}, '')"));
    }
    select.push(format!("COALESCE({}, '')", ident(currency)));
    let charge = match shape {
        TableShape::Focus => format!(
            "CASE {} WHEN 'Credit' THEN 'credits' WHEN 'Adjustment' THEN 'refunds' WHEN 'Tax' THEN 'tax' ELSE 'usage' END",
            ident(kind)
        ),
        _ => format!(
            "CASE {} WHEN 'Credit' THEN 'credits' WHEN 'Refund' THEN 'refunds' WHEN 'Tax' THEN 'tax' ELSE 'usage' END",
            ident(kind)
        ),
    };
    if query.split {
        require(kind, "for --split")?;
        select.push(charge.clone());
    }
    select.push(format!("CAST(SUM(CAST({cost} AS DECIMAL(38, 10))) AS VARCHAR)"));
    let mut filters = vec![
        format!("{} >= TIMESTAMP {}", ident(date), literal(&format!("{} 00:00:00", period.start))),
        format!("{} < TIMESTAMP {}", ident(date), literal(&format!("{} 00:00:00", period.end_exclusive()))),
    ];
    // Partitions, so Athena reads (and bills) only the months asked.
    let months: Vec<Date> =
        period.buckets(Granularity::Monthly).into_iter().map(|b| b.start.first_of_month()).collect();
    if has("year") && has("month") {
        let parts: Vec<String> = months
            .iter()
            .map(|m| {
                format!(
                    "(\"year\" = {} AND \"month\" = {})",
                    literal(&m.year().to_string()),
                    literal(&m.month().to_string())
                )
            })
            .collect();
        filters.push(format!("({})", parts.join(" OR ")));
    } else if has("billing_period") {
        let parts: Vec<String> = months.iter().map(|m| literal(&m.month_text())).collect();
        filters.push(format!("\"billing_period\" IN ({})", parts.join(", ")));
    }
    if !query.exclude.is_empty() {
        require(kind, "for --exclude")?;
        let excluded: Vec<String> = query.exclude.iter().map(|c| literal(c.as_str())).collect();
        filters.push(format!("{charge} NOT IN ({})", excluded.join(", ")));
    }
    if let (Some(envs), Some(i)) = (&query.envs, query.env_dimension()) {
        let names: Vec<String> = envs.iter().map(String::as_str).map(literal).collect();
        filters.push(format!("{} IN ({})", dims[i], names.join(", ")));
    }
    let groups: Vec<String> = (1..select.len()).map(|i| i.to_string()).collect();
    let mut text = String::new();
    let _ = writeln!(text, "SELECT {}", select.join(",\n       "));
    let _ = writeln!(text, "FROM {table}");
    let _ = writeln!(text, "WHERE {}", filters.join("\n  AND "));
    let _ = write!(text, "GROUP BY {}", groups.join(", "));
    Ok(text)
}

fn cost_sql(
    shape: TableShape,
    metric: Metric,
    require: &dyn Fn(&str, &str) -> Result<String, Error>,
) -> Result<String, Error> {
    let why = format!("the cost for --metric {}", metric.as_str().replace('_', "-"));
    match (shape, metric) {
        (TableShape::Focus, Metric::Unblended | Metric::NetUnblended) => require("billedcost", &why),
        (TableShape::Focus, Metric::Amortized | Metric::NetAmortized) => require("effectivecost", &why),
        (TableShape::Focus, Metric::Blended) => Err(Error::usage("FOCUS tables have no blended cost")
            .with_hint("use --metric unblended (BilledCost) or --metric amortized (EffectiveCost)")),
        (_, Metric::Unblended) => require("line_item_unblended_cost", &why),
        (_, Metric::NetUnblended) => require("line_item_net_unblended_cost", &why),
        (_, Metric::Blended) => require("line_item_blended_cost", &why),
        (_, Metric::Amortized | Metric::NetAmortized) => {
            let net = metric == Metric::NetAmortized;
            let n = |plain: &str, netted: &str| if net { netted.to_owned() } else { plain.to_owned() };
            let usage = require(&n("line_item_unblended_cost", "line_item_net_unblended_cost"), &why)?;
            let sp = require(
                &n("savings_plan_savings_plan_effective_cost", "savings_plan_net_savings_plan_effective_cost"),
                &why,
            )?;
            let total = require("savings_plan_total_commitment_to_date", &why)?;
            let used = require("savings_plan_used_commitment", &why)?;
            let ri = require(&n("reservation_effective_cost", "reservation_net_effective_cost"), &why)?;
            let upfront = require(
                &n(
                    "reservation_unused_amortized_upfront_fee_for_billing_period",
                    "reservation_net_unused_amortized_upfront_fee_for_billing_period",
                ),
                &why,
            )?;
            let recurring =
                require(&n("reservation_unused_recurring_fee", "reservation_net_unused_recurring_fee"), &why)?;
            let arn = require("reservation_reservation_a_r_n", &why)?;
            Ok(format!(
                "CASE line_item_line_item_type WHEN 'SavingsPlanCoveredUsage' THEN {sp} WHEN 'SavingsPlanRecurringFee' THEN {total} - {used} WHEN 'SavingsPlanNegation' THEN 0 WHEN 'SavingsPlanUpfrontFee' THEN 0 WHEN 'DiscountedUsage' THEN {ri} WHEN 'RIFee' THEN {upfront} + {recurring} ELSE CASE WHEN line_item_line_item_type = 'Fee' AND {arn} <> '' THEN 0 ELSE {usage} END END"
            ))
        }
    }
}

fn dim_sql(
    shape: TableShape,
    dim: &Dimension,
    columns: &[String],
    require: &dyn Fn(&str, &str) -> Result<String, Error>,
) -> Result<String, Error> {
    let has = |c: &str| columns.iter().any(|x| x == c);
    let why = format!("for --by {dim}");
    let first = |names: &[&str]| -> Result<String, Error> {
        let found: Vec<String> = names.iter().filter(|n| has(n)).map(|n| format!("NULLIF({}, '')", ident(n))).collect();
        match found.len() {
            0 => require(names[0], &why),
            1 => Ok(found[0].clone()),
            _ => Ok(format!("COALESCE({})", found.join(", "))),
        }
    };
    match (shape, dim) {
        (TableShape::Focus, Dimension::Service) => first(&["servicename"]),
        (TableShape::Focus, Dimension::Account) => first(&["subaccountid"]),
        (TableShape::Focus, Dimension::Region) => first(&["regionid"]),
        (TableShape::Focus, Dimension::UsageType) => first(&["x_usagetype"]),
        (TableShape::Focus, Dimension::Operation) => first(&["x_operation"]),
        (TableShape::Focus, Dimension::ChargeType) => first(&["chargecategory"]),
        (TableShape::Focus, Dimension::Tag(key) | Dimension::Env { tag: key }) => {
            require("tags", &why)?;
            Ok(format!(
                "COALESCE(element_at(\"tags\", {}), element_at(\"tags\", {}))",
                literal(key),
                literal(&format!("user:{key}"))
            ))
        }
        (TableShape::Cur2, Dimension::Service) => {
            require("line_item_product_code", &why)?;
            if has("product") {
                Ok("COALESCE(NULLIF(element_at(\"product\", 'product_name'), ''), \"line_item_product_code\")".into())
            } else {
                first(&["line_item_product_code"])
            }
        }
        (TableShape::Cur2, Dimension::Region) => first(&["product_region_code"]),
        (TableShape::Cur2, Dimension::Tag(key) | Dimension::Env { tag: key }) => {
            require("resource_tags", &why)?;
            let wanted = key.strip_prefix("user:").unwrap_or(key);
            Ok(format!("element_at(\"resource_tags\", {})", literal(&format!("user_{wanted}"))))
        }
        (TableShape::Cur, Dimension::Service) => first(&["product_product_name", "line_item_product_code"]),
        (TableShape::Cur, Dimension::Region) => first(&["product_region_code", "product_region"]),
        (TableShape::Cur, Dimension::Tag(key) | Dimension::Env { tag: key }) => {
            let column = tag_column(key);
            if has(&column) {
                Ok(ident(&column))
            } else {
                let tags: Vec<&str> =
                    columns.iter().map(String::as_str).filter(|c| c.starts_with("resource_tags_")).collect();
                Err(Error::data(format!("the table has no column `{column}` for the tag `{key}`")).with_hint(
                    if tags.is_empty() {
                        "a tag appears in the CUR only once activated as a cost allocation tag".to_owned()
                    } else {
                        format!("the tag columns are: {}", tags.join(", "))
                    },
                ))
            }
        }
        (_, Dimension::Account) => first(&["line_item_usage_account_id"]),
        (_, Dimension::UsageType) => first(&["line_item_usage_type"]),
        (_, Dimension::Operation) => first(&["line_item_operation"]),
        (_, Dimension::ChargeType) => first(&["line_item_line_item_type"]),
    }
}

impl Athena {
    pub async fn new(
        ctx: &Context,
        database: String,
        table: String,
        workgroup: Option<String>,
        output_location: Option<String>,
    ) -> Result<Athena, Error> {
        let client = opskit::aws_client!(aws_sdk_athena, &ctx.sdk().await?);
        // A query left running goes on scanning (and charging): Ctrl-C stops it first.
        opskit::interrupt::catch();
        Ok(Athena { client, database, table, workgroup, output_location })
    }

    fn table_name(&self) -> String {
        format!("{}.{}", ident(&self.database), ident(&self.table))
    }

    /// The table's columns, lower-case (a DDL query: Athena does not charge for it).
    async fn columns(&self) -> Result<Vec<String>, Error> {
        let sql = format!("SHOW COLUMNS IN {}", self.table_name());
        let rows = self.run(&sql, false).await?;
        let columns: Vec<String> = rows
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty())
            .collect();
        if columns.is_empty() {
            return Err(Error::not_found(format!("table {} has no columns (does it exist?)", self.table_name())));
        }
        Ok(columns)
    }

    /// The SQL for `query`, and the table's shape.
    pub async fn sql(&self, query: &CostQuery) -> Result<(String, TableShape), Error> {
        let columns = self.columns().await?;
        let shape = TableShape::detect(&columns).ok_or_else(|| {
            Error::data(format!(
                "{}: no known export shape (no line_item_unblended_cost, no billedcost column)",
                self.table_name()
            ))
        })?;
        Ok((sql(shape, &columns, &self.table_name(), query)?, shape))
    }

    pub async fn costs(&self, query: &CostQuery) -> Result<Costs, Error> {
        let (sql, shape) = self.sql(query).await?;
        let rows = self.run(&sql, true).await?;
        let period = query.period.ok_or_else(|| Error::internal("Athena needs a period"))?.period;
        let dims = query.dims.len();
        let mut out: Vec<CostRow> = Vec::new();
        for (n, row) in rows.into_iter().enumerate() {
            let value = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
            let bad = |what: &str| Error::unavailable(format!("Athena result row {}: {what}", n + 1));
            let day = Date::parse(&value(0)).ok_or_else(|| bad("no date"))?;
            let bucket = match query.granularity {
                Granularity::Period => period,
                g => period.bucket_of(g, day.max(period.start)),
            };
            let group: Vec<String> = (1..=dims).map(value).collect();
            let currency = value(dims + 1);
            let charge = if query.split {
                match value(dims + 2).as_str() {
                    "credits" => Charge::Credits,
                    "refunds" => Charge::Refunds,
                    "tax" => Charge::Tax,
                    _ => Charge::Usage,
                }
            } else {
                Charge::Usage
            };
            let amount_text = value(dims + 2 + usize::from(query.split));
            let amount = Amount::parse(amount_text.as_bytes())
                .ok()
                .and_then(|a| a.unwrap_or_default().to_decimal())
                .ok_or_else(|| bad(&format!("`{amount_text}` is not an amount")))?;
            match out.iter_mut().find(|r| r.bucket == bucket && r.group == group && r.currency == currency) {
                Some(r) => {
                    r.amounts.add_to(charge, amount).ok_or_else(|| bad("a sum too large"))?;
                }
                None => out.push(CostRow {
                    bucket,
                    group,
                    currency,
                    amounts: Amounts::of(charge, amount),
                    estimated: false,
                }),
            }
        }
        Ok(Costs { rows: out, source: format!("athena:{}", shape.name()), span: None })
    }

    /// Stop a query on the way out (interrupted): the error to end with.
    async fn stop(&self, id: &str) -> Error {
        let stopped = self
            .client
            .stop_query_execution()
            .query_execution_id(id)
            .send()
            .await
            .aws_context(format_args!("stopping Athena query {id}"));
        let said = match stopped {
            Ok(_) => format!("interrupted: Athena query {id} stopped"),
            Err(e) => format!("interrupted: Athena query {id} may still be running ({e})"),
        };
        Error::new(opskit::Exit::Interrupted, said)
    }

    /// Run one query and return its rows (every value a string; `None` for null).
    async fn run(&self, sql: &str, has_header: bool) -> Result<Vec<Vec<Option<String>>>, Error> {
        let mut start = self
            .client
            .start_query_execution()
            .query_string(sql)
            .query_execution_context(QueryExecutionContext::builder().database(&self.database).build());
        if let Some(w) = &self.workgroup {
            start = start.work_group(w);
        }
        if let Some(o) = &self.output_location {
            start = start.result_configuration(ResultConfiguration::builder().output_location(o).build());
        }
        let id = start
            .send()
            .await
            .aws_context("starting an Athena query")?
            .query_execution_id
            .ok_or_else(|| Error::unavailable("Athena started a query without an id"))?;
        tracing::info!(id, "Athena query started");
        let began = Instant::now();
        let mut wait = Duration::from_millis(100);
        loop {
            if opskit::interrupt::requested() {
                return Err(self.stop(&id).await);
            }
            let execution = self
                .client
                .get_query_execution()
                .query_execution_id(&id)
                .send()
                .await
                .aws_context(format_args!("waiting for Athena query {id}"))?;
            let execution =
                execution.query_execution.unwrap_or_else(|| aws_sdk_athena::types::QueryExecution::builder().build());
            let status = execution.status();
            match status.and_then(|s| s.state()) {
                Some(QueryExecutionState::Succeeded) => {
                    if let Some(bytes) = execution
                        .statistics()
                        .and_then(aws_sdk_athena::types::QueryExecutionStatistics::data_scanned_in_bytes)
                        .filter(|b| *b > 0)
                    {
                        // Shown to three decimals: a float is fine for a note.
                        #[allow(clippy::cast_precision_loss)]
                        let gb = bytes as f64 / 1e9;
                        opskit::error::note(&format!(
                            "Athena query {id} scanned {gb:.3} GB (about ${:.4} at $5 a TB)",
                            gb * 5.0 / 1000.0
                        ));
                    }
                    break;
                }
                Some(QueryExecutionState::Failed | QueryExecutionState::Cancelled) => {
                    let reason = status.and_then(|s| s.state_change_reason()).unwrap_or("no reason given");
                    return Err(Error::data(format!("Athena query {id} failed: {reason}"))
                        .with_hint("--print-sql shows the query costq ran"));
                }
                _ => {}
            }
            if began.elapsed() > QUERY_DEADLINE {
                return Err(Error::temp_fail(format!(
                    "Athena query {id} still running after {} minutes",
                    QUERY_DEADLINE.as_secs() / 60
                )));
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(2));
        }
        let mut rows = Vec::new();
        let mut pages = self.client.get_query_results().query_execution_id(&id).into_paginator().send();
        let mut first = true;
        while let Some(page) = pages.next().await {
            let page = page.aws_context(format_args!("reading the results of Athena query {id}"))?;
            let Some(set) = page.result_set else { continue };
            let mut set_rows = set.rows.unwrap_or_default().into_iter();
            if first && has_header {
                set_rows.next();
            }
            first = false;
            for row in set_rows {
                rows.push(row.data.unwrap_or_default().into_iter().map(|d| d.var_char_value).collect());
            }
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::query::period::{PeriodSpec, resolve};

    fn query(dims: Vec<Dimension>, granularity: Granularity) -> CostQuery {
        let period =
            resolve(&PeriodSpec::Month(Date::parse("2026-09-01").unwrap()), Date::parse("2026-11-27").unwrap())
                .unwrap()
                .0;
        CostQuery {
            period: Some(period),
            granularity,
            dims,
            metric: Metric::Unblended,
            split: false,
            exclude: BTreeSet::new(),
            envs: None,
        }
    }

    fn columns(list: &str) -> Vec<String> {
        list.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn legacy_cur_sql_prunes_partitions_and_sums_exactly() {
        let cols = columns(
            "line_item_usage_start_date,line_item_currency_code,line_item_unblended_cost,product_product_name,line_item_product_code,resource_tags_user_env,year,month",
        );
        let text = sql(
            TableShape::Cur,
            &cols,
            "\"cur\".\"report\"",
            &query(vec![Dimension::Service, Dimension::Env { tag: "env".into() }], Granularity::Monthly),
        )
        .unwrap();
        assert!(
            text.contains(
                "COALESCE(COALESCE(NULLIF(\"product_product_name\", ''), NULLIF(\"line_item_product_code\", '')), '')"
            ),
            "{text}"
        );
        assert!(text.contains("SUM(CAST(\"line_item_unblended_cost\" AS DECIMAL(38, 10)))"), "{text}");
        assert!(text.contains("\"line_item_usage_start_date\" < TIMESTAMP '2026-10-01 00:00:00'"), "{text}");
        assert!(text.contains("(\"year\" = '2026' AND \"month\" = '9')"), "{text}");
        assert!(text.ends_with("GROUP BY 1, 2, 3, 4"), "{text}");
        let err = sql(TableShape::Cur, &cols, "t", &query(vec![Dimension::Tag("team".into())], Granularity::Period))
            .unwrap_err();
        assert!(err.to_string().contains("resource_tags_user_team"), "{err}");
    }
}
