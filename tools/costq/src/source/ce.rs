//! Cost Explorer (GetCostAndUsage, GetCostForecast): the one file that talks to it.
//!
//! A query becomes as few requests as Cost Explorer's limits allow: one (a page at a time)
//! grouped by exactly the `--by` dimensions; `--split` adds the record type where a grouping
//! slot is free, and otherwise makes one filtered request per charge type; more than two
//! dimensions (Cost Explorer groups by at most two) are answered by listing the values of the
//! others and one filtered request per value — never by dropping a dimension. Each request costs
//! $0.01: every run says how many it made (on stderr, even when it fails), `--dry-run` says
//! it first, and answers for closed periods come from the local cache.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};

use aws_sdk_costexplorer::Client;
use aws_sdk_costexplorer::operation::get_cost_and_usage::GetCostAndUsageError;
use aws_sdk_costexplorer::operation::get_cost_forecast::GetCostForecastError;
use aws_sdk_costexplorer::types::{
    DateInterval, DimensionValues, Expression, GroupDefinition, GroupDefinitionType, MatchOption, TagValues,
};
use opskit::{Context, Error};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::cache::Cache;
use crate::money::Amount;
use crate::query::{Amounts, Charge, CostQuery, CostRow, Costs, Date, Dimension, Granularity, Metric, Period};

/// What one Cost Explorer request costs (USD).
pub const REQUEST_PRICE_CENTS: u32 = 1;
/// Cost Explorer's limit on GroupBy.
const MAX_GROUPS: usize = 2;
/// The dimensions costq answers with filtered requests beyond Cost Explorer's two.
const MAX_DIMENSIONS: usize = 4;

/// A filter, in a form that can be compared and cached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Filter {
    And(Vec<Filter>),
    Not(Box<Filter>),
    Dimension {
        key: String,
        values: Vec<String>,
    },
    Tag {
        key: String,
        values: Vec<String>,
    },
    /// Resources without the tag.
    TagAbsent {
        key: String,
    },
}

impl Filter {
    fn all(mut parts: Vec<Filter>) -> Option<Filter> {
        match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Filter::And(parts)),
        }
    }

    fn record_types(types: &[&str]) -> Filter {
        Filter::Dimension { key: "RECORD_TYPE".into(), values: types.iter().map(|t| (*t).to_owned()).collect() }
    }

    fn to_sdk(&self) -> Expression {
        match self {
            Filter::And(parts) => {
                Expression::builder().set_and(Some(parts.iter().map(Filter::to_sdk).collect())).build()
            }
            Filter::Not(inner) => Expression::builder().not(inner.to_sdk()).build(),
            Filter::Dimension { key, values } => Expression::builder()
                .dimensions(
                    DimensionValues::builder().key(key.as_str().into()).set_values(Some(values.clone())).build(),
                )
                .build(),
            Filter::Tag { key, values } => Expression::builder()
                .tags(TagValues::builder().key(key).set_values(Some(values.clone())).build())
                .build(),
            Filter::TagAbsent { key } => Expression::builder()
                .tags(TagValues::builder().key(key).match_options(MatchOption::Absent).build())
                .build(),
        }
    }
}

/// How results are grouped: Cost Explorer's (type, key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Group {
    tag: bool,
    key: String,
}

impl Group {
    fn of(dim: &Dimension) -> Group {
        let dimension = |key: &str| Group { tag: false, key: key.to_owned() };
        match dim {
            Dimension::Service => dimension("SERVICE"),
            Dimension::Account => dimension("LINKED_ACCOUNT"),
            Dimension::Region => dimension("REGION"),
            Dimension::UsageType => dimension("USAGE_TYPE"),
            Dimension::Operation => dimension("OPERATION"),
            Dimension::ChargeType => dimension("RECORD_TYPE"),
            Dimension::Tag(key) | Dimension::Env { tag: key } => Group { tag: true, key: key.clone() },
        }
    }

    /// The filter selecting one value of this group.
    fn only(&self, value: &str) -> Filter {
        match (self.tag, value.is_empty()) {
            (true, true) => Filter::TagAbsent { key: self.key.clone() },
            (true, false) => Filter::Tag { key: self.key.clone(), values: vec![value.to_owned()] },
            (false, _) => Filter::Dimension { key: self.key.clone(), values: vec![value.to_owned()] },
        }
    }

    /// A group key as Cost Explorer returns it: tags come as `Key$value` (`Key$` untagged).
    fn value(&self, key: &str) -> String {
        if self.tag { key.split_once('$').map_or(key, |(_, v)| v).to_owned() } else { key.to_owned() }
    }
}

/// One GetCostAndUsage question (all its pages): also the cache key, with the identity.
#[derive(Clone, Debug, Serialize)]
struct Request {
    start: String,
    /// Exclusive, as Cost Explorer takes it.
    end: String,
    daily: bool,
    metric: &'static str,
    group_by: Vec<Group>,
    filter: Option<Filter>,
}

/// One time bucket of an answer, as cached.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct TimeResult {
    start: String,
    end: String,
    estimated: bool,
    /// (amount, unit) when nothing was grouped.
    total: Option<(String, String)>,
    /// (keys, amount, unit) per group.
    groups: Vec<(Vec<String>, String, String)>,
}

/// A forecast to the end of the month, with its 80% prediction interval.
#[derive(Clone, Debug)]
pub struct Forecast {
    pub period: Period,
    pub mean: Decimal,
    pub lower: Option<Decimal>,
    pub upper: Option<Decimal>,
    pub currency: String,
    pub interval: i32,
}

pub struct CostExplorer {
    client: Client,
    cache: Option<Cache>,
    /// Read answers from the cache (not with --no-cache, which still refreshes it).
    read_cache: bool,
    identity: String,
    requests: AtomicU32,
    cached: AtomicU32,
}

impl CostExplorer {
    pub async fn new(ctx: &Context, use_cache: bool) -> Result<CostExplorer, Error> {
        let sdk = ctx.sdk().await?;
        let client = opskit::aws_client!(aws_sdk_costexplorer, &sdk);
        let identity = identity(ctx, &sdk).await;
        Ok(CostExplorer {
            client,
            cache: Cache::open(),
            read_cache: use_cache,
            identity,
            requests: AtomicU32::new(0),
            cached: AtomicU32::new(0),
        })
    }

    /// A client built elsewhere (tests with the SDK's own mocks).
    #[cfg(test)]
    pub fn with_client(client: Client) -> CostExplorer {
        CostExplorer {
            client,
            cache: None,
            read_cache: false,
            identity: String::new(),
            requests: AtomicU32::new(0),
            cached: AtomicU32::new(0),
        }
    }

    pub fn requests(&self) -> u32 {
        self.requests.load(Ordering::Relaxed)
    }

    /// What a query will ask, for `--dry-run`: (requests at least, whether more may follow).
    pub fn plan(query: &CostQuery) -> Result<(u32, String), Error> {
        check_dimensions(query)?;
        let passes = u32::try_from(charge_passes(query).len()).unwrap_or(1);
        let extra: Vec<String> = query.dims.iter().skip(MAX_GROUPS).map(ToString::to_string).collect();
        if extra.is_empty() {
            Ok((passes, String::new()))
        } else {
            Ok((
                1 + passes,
                format!(
                    ", then {passes} more for each value of {} (Cost Explorer groups by two at most)",
                    extra.join(" and ")
                ),
            ))
        }
    }

    pub async fn costs(&self, query: &CostQuery) -> Result<Costs, Error> {
        check_dimensions(query)?;
        let period = query.period.map(|r| r.period).ok_or_else(|| Error::internal("Cost Explorer needs a period"))?;
        let base = base_filter(query);
        let main: Vec<Group> = query.dims.iter().take(MAX_GROUPS).map(Group::of).collect();
        let extra: Vec<Group> = query.dims.iter().skip(MAX_GROUPS).map(Group::of).collect();
        let request = |group_by: Vec<Group>, filter: Option<Filter>| Request {
            start: period.start.to_string(),
            end: period.end_exclusive().to_string(),
            daily: query.granularity == Granularity::Daily,
            metric: query.metric.ce_name(),
            group_by,
            filter,
        };
        // Values of the dimensions past Cost Explorer's two: one request grouped by them alone.
        let combos: Vec<Vec<String>> = if extra.is_empty() {
            vec![Vec::new()]
        } else {
            let listing = self.fetch(&request(extra.clone(), base.clone())).await?;
            let mut combos: Vec<Vec<String>> = listing
                .iter()
                .flat_map(|r| r.groups.iter())
                .map(|(keys, _, _)| extra.iter().zip(keys).map(|(g, k)| g.value(k)).collect())
                .collect();
            combos.sort();
            combos.dedup();
            combos
        };
        let split_by_record_type =
            query.split && main.len() < MAX_GROUPS && !query.dims.contains(&Dimension::ChargeType);
        let charge_dim = query.dims.iter().position(|d| *d == Dimension::ChargeType);
        let mut rows: BTreeMap<(Period, Vec<String>, String), (Amounts, bool)> = BTreeMap::new();
        for combo in &combos {
            for pass in charge_passes(query) {
                let mut parts: Vec<Filter> = base.iter().cloned().collect();
                parts.extend(extra.iter().zip(combo).map(|(g, v)| g.only(v)));
                if let Some(charge) = pass {
                    parts.push(charge_filter(charge));
                }
                let mut group_by = main.clone();
                if split_by_record_type {
                    group_by.push(Group { tag: false, key: "RECORD_TYPE".into() });
                }
                let results = self.fetch(&request(group_by.clone(), Filter::all(parts))).await?;
                for result in results {
                    let bucket = bucket(&result, period, query.granularity)?;
                    let mut add = |group: Vec<String>, charge: Charge, amount: &str, unit: &str| -> Result<(), Error> {
                        let amount = exact(amount)?;
                        let entry = rows.entry((bucket, group, unit.to_owned())).or_default();
                        entry.0.add_to(charge, amount).ok_or_else(|| Error::data("a cost too large to sum exactly"))?;
                        entry.1 |= result.estimated;
                        Ok(())
                    };
                    if group_by.is_empty() {
                        if let Some((amount, unit)) = &result.total {
                            add(Vec::new(), Charge::Usage, amount, unit)?;
                        }
                        continue;
                    }
                    for (keys, amount, unit) in &result.groups {
                        let mut group: Vec<String> = main.iter().zip(keys).map(|(g, k)| g.value(k)).collect();
                        group.extend(combo.iter().cloned());
                        let charge = if split_by_record_type {
                            keys.get(main.len()).map_or(Charge::Usage, |k| Charge::of_line_item_type(k.as_bytes()))
                        } else if let Some(i) = charge_dim.filter(|_| query.split) {
                            Charge::of_line_item_type(group[i].as_bytes())
                        } else {
                            pass.unwrap_or(Charge::Usage)
                        };
                        add(group, charge, amount, unit)?;
                    }
                }
            }
        }
        let rows = rows
            .into_iter()
            .map(|((bucket, group, currency), (amounts, estimated))| CostRow {
                bucket,
                group,
                currency,
                amounts,
                estimated,
            })
            .collect();
        Ok(Costs { rows, source: "ce".into(), span: None })
    }

    /// One question, all its pages: from the cache when it holds the answer, else asked (and
    /// cached when every bucket is final).
    async fn fetch(&self, request: &Request) -> Result<Vec<TimeResult>, Error> {
        let key = (&self.identity, request);
        if self.read_cache
            && let Some(cache) = &self.cache
            && let Some(hit) = cache.get::<_, Vec<TimeResult>>(&key)
        {
            self.cached.fetch_add(1, Ordering::Relaxed);
            return Ok(hit);
        }
        let mut results = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut call = self
                .client
                .get_cost_and_usage()
                .time_period(interval(&request.start, &request.end)?)
                .granularity(if request.daily {
                    aws_sdk_costexplorer::types::Granularity::Daily
                } else {
                    aws_sdk_costexplorer::types::Granularity::Monthly
                })
                .metrics(request.metric)
                .set_group_by(Some(
                    request
                        .group_by
                        .iter()
                        .map(|g| {
                            GroupDefinition::builder()
                                .r#type(if g.tag { GroupDefinitionType::Tag } else { GroupDefinitionType::Dimension })
                                .key(&g.key)
                                .build()
                        })
                        .collect(),
                ))
                .set_next_page_token(token.clone());
            if let Some(filter) = &request.filter {
                call = call.filter(filter.to_sdk());
            }
            self.requests.fetch_add(1, Ordering::Relaxed);
            let out = call.send().await.map_err(|e| usage_error(&e, request))?;
            for r in out.results_by_time() {
                let metric =
                    |m: Option<&std::collections::HashMap<String, aws_sdk_costexplorer::types::MetricValue>>| {
                        m.and_then(|m| m.get(request.metric))
                            .map(|v| (v.amount().unwrap_or("0").to_owned(), v.unit().unwrap_or("").to_owned()))
                    };
                let period = r.time_period();
                results.push(TimeResult {
                    start: period.map(|p| p.start().to_owned()).unwrap_or_default(),
                    end: period.map(|p| p.end().to_owned()).unwrap_or_default(),
                    estimated: r.estimated(),
                    total: metric(r.total()),
                    groups: r
                        .groups()
                        .iter()
                        .filter_map(|g| {
                            let (amount, unit) = metric(g.metrics())?;
                            Some((g.keys().to_vec(), amount, unit))
                        })
                        .collect(),
                });
            }
            token = out.next_page_token().filter(|t| !t.is_empty()).map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        if !results.is_empty()
            && results.iter().all(|r| !r.estimated)
            && let Some(cache) = &self.cache
        {
            cache.put(&key, &results);
        }
        Ok(results)
    }

    /// The forecast from `today` to the end of its month (GetCostForecast).
    pub async fn forecast(&self, query: &CostQuery, today: Date) -> Result<Forecast, Error> {
        const INTERVAL: i32 = 80;
        let period = Period::new(today, today.last_of_month());
        let metric = match query.metric {
            Metric::Unblended => aws_sdk_costexplorer::types::Metric::UnblendedCost,
            Metric::NetUnblended => aws_sdk_costexplorer::types::Metric::NetUnblendedCost,
            Metric::Amortized => aws_sdk_costexplorer::types::Metric::AmortizedCost,
            Metric::NetAmortized => aws_sdk_costexplorer::types::Metric::NetAmortizedCost,
            Metric::Blended => aws_sdk_costexplorer::types::Metric::BlendedCost,
        };
        let mut call = self
            .client
            .get_cost_forecast()
            .time_period(interval(&period.start.to_string(), &period.end_exclusive().to_string())?)
            .metric(metric)
            .granularity(aws_sdk_costexplorer::types::Granularity::Monthly)
            .prediction_interval_level(INTERVAL);
        if let Some(filter) = base_filter(query) {
            call = call.filter(filter.to_sdk());
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        let out = call.send().await.map_err(|e| forecast_error(&e))?;
        let total = out.total().ok_or_else(|| Error::unavailable("Cost Explorer's forecast came without a total"))?;
        let mean = exact(total.amount().unwrap_or("0"))?;
        let bound =
            |f: fn(&aws_sdk_costexplorer::types::ForecastResult) -> Option<&str>| -> Result<Option<Decimal>, Error> {
                let mut sum: Option<Decimal> = None;
                for r in out.forecast_results_by_time() {
                    if let Some(v) = f(r) {
                        sum = Some(sum.unwrap_or_default() + exact(v)?);
                    }
                }
                Ok(sum)
            };
        Ok(Forecast {
            period,
            mean,
            lower: bound(aws_sdk_costexplorer::types::ForecastResult::prediction_interval_lower_bound)?,
            upper: bound(aws_sdk_costexplorer::types::ForecastResult::prediction_interval_upper_bound)?,
            currency: total.unit().unwrap_or("USD").to_owned(),
            interval: INTERVAL,
        })
    }
}

impl Drop for CostExplorer {
    /// Every run says what it asked and what that cost, even when it fails part-way.
    fn drop(&mut self) {
        let (requests, cached) = (self.requests(), self.cached.load(Ordering::Relaxed));
        if requests == 0 && cached == 0 {
            return;
        }
        let mut note =
            format!("{requests} Cost Explorer request{} ({})", if requests == 1 { "" } else { "s" }, dollars(requests));
        if cached > 0 {
            let _ = write!(note, "; {cached} answered from the cache");
        }
        opskit::error::note(&note);
    }
}

/// `$0.03` for 3 requests.
pub fn dollars(requests: u32) -> String {
    let cents = requests * REQUEST_PRICE_CENTS;
    format!("${}.{:02}", cents / 100, cents % 100)
}

fn check_dimensions(query: &CostQuery) -> Result<(), Error> {
    if query.dims.len() > MAX_DIMENSIONS {
        return Err(Error::usage(format!(
            "Cost Explorer groups by at most {MAX_GROUPS} dimensions; costq answers up to {MAX_DIMENSIONS} with filtered requests, and {} were asked",
            query.dims.len()
        ))
        .with_hint("read the billing export instead (--source FILE|DIR|s3://bucket/prefix, or --source athena): any number of groupings"));
    }
    Ok(())
}

/// What every request of a query filters on: excluded charges, the environments on stdin.
fn base_filter(query: &CostQuery) -> Option<Filter> {
    let mut parts = Vec::new();
    let excluded: Vec<&str> = query.exclude.iter().flat_map(|c| c.record_types().iter().copied()).collect();
    if !excluded.is_empty() {
        parts.push(Filter::Not(Box::new(Filter::record_types(&excluded))));
    }
    if let (Some(envs), Some(i)) = (&query.envs, query.env_dimension())
        && let Some(tag) = query.dims[i].tag_key()
    {
        parts.push(Filter::Tag { key: tag.to_owned(), values: envs.clone() });
    }
    Filter::all(parts)
}

/// The passes of one question: a single unfiltered one, or — with `--split` and no free
/// grouping slot — one per charge type (usage being everything but credits, refunds and tax).
fn charge_passes(query: &CostQuery) -> Vec<Option<Charge>> {
    let slots_full = query.dims.len() >= MAX_GROUPS;
    if query.split && slots_full && !query.dims.contains(&Dimension::ChargeType) {
        Charge::ALL.into_iter().filter(|c| !query.excludes(*c)).map(Some).collect()
    } else {
        vec![None]
    }
}

fn charge_filter(charge: Charge) -> Filter {
    match charge {
        Charge::Usage => Filter::Not(Box::new(Filter::record_types(&["Credit", "Refund", "Tax"]))),
        other => Filter::record_types(other.record_types()),
    }
}

fn interval(start: &str, end: &str) -> Result<DateInterval, Error> {
    DateInterval::builder().start(start).end(end).build().map_err(|e| Error::internal(e.to_string()))
}

fn exact(text: &str) -> Result<Decimal, Error> {
    Amount::parse(text.as_bytes())
        .ok()
        .flatten()
        .and_then(Amount::to_decimal)
        .ok_or_else(|| Error::unavailable(format!("Cost Explorer returned `{text}` as an amount")))
}

/// The bucket of one result: the period (summing months), a month within it, or a day.
fn bucket(result: &TimeResult, period: Period, granularity: Granularity) -> Result<Period, Error> {
    if granularity == Granularity::Period {
        return Ok(period);
    }
    let start = Date::parse(&result.start)
        .ok_or_else(|| Error::unavailable(format!("Cost Explorer returned the date `{}`", result.start)))?;
    let end = Date::parse(&result.end).map_or(start, |e| e.add_days(-1)).max(start);
    Ok(match granularity {
        Granularity::Daily => Period::new(start, start),
        _ => Period::new(start.max(period.start), end.min(period.end)),
    })
}

fn usage_error(err: &aws_sdk_costexplorer::error::SdkError<GetCostAndUsageError>, request: &Request) -> Error {
    let end = Date::parse(&request.end).map_or_else(|| request.end.clone(), |d| d.add_days(-1).to_string());
    let what = format!("asking Cost Explorer for {} to {end}", request.start);
    match err.as_service_error() {
        Some(e) if e.is_data_unavailable_exception() => {
            Error::not_found(format!("{what}: Cost Explorer has no data for this period (DataUnavailable)")).with_hint(
                "Cost Explorer keeps 13 months of daily and monthly data (38 months of monthly data once multi-year data is enabled), and shows nothing until about 24 hours after it is first enabled; older periods are in the billing exports: --source FILE|DIR|s3://bucket/prefix",
            )
        }
        Some(e) if e.is_bill_expiration_exception() => {
            Error::not_found(format!("{what}: the bill for this period has expired from Cost Explorer"))
                .with_hint("read the billing export instead: --source FILE|DIR|s3://bucket/prefix")
        }
        _ => opskit::aws::from_sdk(err, &what),
    }
}

fn forecast_error(err: &aws_sdk_costexplorer::error::SdkError<GetCostForecastError>) -> Error {
    match err.as_service_error() {
        Some(e) if e.is_data_unavailable_exception() => Error::not_found(
            "asking Cost Explorer for a forecast: not enough cost history to forecast (DataUnavailable)",
        )
        .with_hint(
            "Cost Explorer forecasts from past spend; a new account, or a filter matching little, has too little",
        ),
        _ => opskit::aws::from_sdk(err, "asking Cost Explorer for a forecast"),
    }
}

/// Whose answers a cached entry holds: the endpoint, and the role, profile or access key that
/// asked (a profile or role keeps its answers across sessions; bare keys by key).
async fn identity(ctx: &Context, sdk: &aws_types::SdkConfig) -> String {
    use aws_credential_types::provider::ProvideCredentials;
    let settings = ctx.aws_settings(ctx.env_name()).unwrap_or_default();
    let endpoint = opskit::aws::endpoint_for_display(&settings).unwrap_or_default();
    let who = if let Some(role) = &settings.role_arn {
        format!("role:{role}")
    } else if let Some(profile) =
        settings.profile.clone().or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
    {
        format!("profile:{profile}")
    } else {
        match sdk.credentials_provider() {
            Some(p) => p.provide_credentials().await.map(|c| format!("key:{}", c.access_key_id())).unwrap_or_default(),
            None => String::new(),
        }
    };
    format!("{endpoint} {who}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_groups_are_parsed() {
        let g = Group { tag: true, key: "env".into() };
        assert_eq!(g.value("env$prod"), "prod");
        assert_eq!(g.value("env$"), "");
        assert_eq!(g.value("env$a$b"), "a$b");
        assert_eq!(Group { tag: false, key: "SERVICE".into() }.value("Amazon S3"), "Amazon S3");
        assert_eq!(g.only(""), Filter::TagAbsent { key: "env".into() });
    }

    /// moto has no GetCostForecast: the SDK's own mocks answer with AWS's documented shape.
    #[tokio::test]
    async fn forecast_with_smithy_mocks_sums_the_interval_exactly() {
        use aws_sdk_costexplorer::operation::get_cost_forecast::GetCostForecastOutput;
        use aws_sdk_costexplorer::types::{ForecastResult, MetricValue};
        use aws_smithy_mocks::{RuleMode, mock, mock_client};

        let rule = mock!(Client::get_cost_forecast)
            .match_requests(|r| {
                r.time_period().map(|p| (p.start(), p.end())) == Some(("2024-02-28", "2024-03-01"))
                    && r.metric() == Some(&aws_sdk_costexplorer::types::Metric::AmortizedCost)
                    && r.prediction_interval_level() == Some(80)
                    && r.filter().and_then(|f| f.not()).is_some()
            })
            .then_output(|| {
                let day = |start: &str, end: &str, mean: &str, low: &str, high: &str| {
                    ForecastResult::builder()
                        .time_period(DateInterval::builder().start(start).end(end).build().unwrap())
                        .mean_value(mean)
                        .prediction_interval_lower_bound(low)
                        .prediction_interval_upper_bound(high)
                        .build()
                };
                GetCostForecastOutput::builder()
                    .total(MetricValue::builder().amount("30.0000000001").unit("USD").build())
                    .forecast_results_by_time(day("2024-02-28", "2024-02-29", "10.0000000001", "9.1", "11.2"))
                    .forecast_results_by_time(day("2024-02-29", "2024-03-01", "20", "18.25", "22.5"))
                    .build()
            });
        let client = mock_client!(aws_sdk_costexplorer, RuleMode::MatchAny, [&rule]);
        let ce = CostExplorer::with_client(client);
        let today = Date::parse("2024-02-28").unwrap();
        let (period, _) = crate::query::period::resolve(&crate::query::PeriodSpec::ThisMonth, today).unwrap();
        let query = CostQuery {
            period: Some(period),
            granularity: Granularity::Period,
            dims: Vec::new(),
            metric: Metric::Amortized,
            split: false,
            exclude: [Charge::Tax].into_iter().collect(),
            envs: None,
        };
        let forecast = ce.forecast(&query, today).await.unwrap();
        assert_eq!(forecast.period, Period::new(today, Date::parse("2024-02-29").unwrap()), "to the leap day");
        assert_eq!(forecast.mean.to_string(), "30.0000000001");
        assert_eq!(forecast.lower.unwrap().to_string(), "27.35");
        assert_eq!(forecast.upper.unwrap().to_string(), "33.7");
        assert_eq!(forecast.interval, 80);
        assert_eq!(rule.num_calls(), 1);
        assert_eq!(ce.requests(), 1, "a forecast request is paid for too");
    }

    #[test]
    fn request_prices() {
        assert_eq!(dollars(1), "$0.01");
        assert_eq!(dollars(123), "$1.23");
    }
}
