//! `costq anomalies`: days whose cost departs from the group's trailing baseline. Each day of
//! each group is compared with the median of the days before it; the spread is the median
//! absolute deviation (as a robust standard deviation, × 1.4826), never less than 5% of the
//! median, so one quiet day does not make every cent an anomaly. Exit 1 when any is found.

use std::collections::BTreeMap;

use clap::Args;
use opskit::{Context, Exit};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::args::{self, GroupArgs, MoneyArgs, SourceArgs};
use crate::money::Money;
use crate::query::period::{PeriodSpec, resolve};
use crate::query::{CostQuery, Date, Dimension, Granularity, Period};
use crate::record::{AnomalyRecord, percent};
use crate::source::{self, Source};

#[derive(Args, Clone, Debug)]
pub struct AnomalyArgs {
    /// The days to look at, ending yesterday
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub days: u32,
    #[command(flatten)]
    pub group: GroupArgs,
    /// How many days before each day make its baseline
    #[arg(long, value_name = "N", default_value_t = 14)]
    pub baseline: u32,
    /// How far from the baseline a day must be, in robust standard deviations
    #[arg(long, value_name = "SCORE", default_value = "3")]
    pub threshold: Decimal,
    /// The smallest change worth reporting, in the costs' currency
    #[arg(long, value_name = "AMOUNT", default_value = "1")]
    pub min_delta: Decimal,
    /// Compute the days as if today were DATE [default: today, UTC]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub money: MoneyArgs,
    #[command(flatten)]
    pub source: SourceArgs,
}

/// An anomaly found in one series.
#[derive(Debug, PartialEq, Eq)]
pub struct Finding {
    pub day: usize,
    pub amount: Decimal,
    pub baseline: Decimal,
    pub score: Decimal,
}

fn median(values: &mut [Decimal]) -> Decimal {
    values.sort();
    let n = values.len();
    if n == 0 {
        Decimal::ZERO
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / Decimal::TWO
    }
}

/// The anomalous days of `series` (one amount a day), looking at the days from `first` on, each
/// against the `baseline` days before it.
pub fn find(series: &[Decimal], first: usize, baseline: usize, threshold: Decimal, min_delta: Decimal) -> Vec<Finding> {
    let mut found = Vec::new();
    let floor = Decimal::new(1, 2);
    let five_percent = Decimal::new(5, 2);
    let consistency = Decimal::new(14826, 4);
    for day in first.max(1)..series.len() {
        let window = &series[day.saturating_sub(baseline)..day];
        let mut values = window.to_vec();
        let center = median(&mut values);
        let mut deviations: Vec<Decimal> = window.iter().map(|v| (*v - center).abs()).collect();
        let mad = median(&mut deviations);
        let spread = (mad * consistency).max(center.abs() * five_percent).max(floor);
        let delta = series[day] - center;
        let score = delta / spread;
        if delta.abs() >= min_delta && score.abs() >= threshold {
            found.push(Finding { day, amount: series[day], baseline: center, score: score.round_dp(1) });
        }
    }
    found
}

pub async fn run(ctx: &Context, args: AnomalyArgs) -> anyhow::Result<Exit> {
    let settings = args::settings(ctx)?;
    let spec = args.source.spec(&settings)?;
    let mut dims = args.group.dimensions(ctx.config.env_tag())?;
    if dims.is_empty() {
        dims.push(Dimension::Service);
    }
    let today = args.as_of.as_deref().map_or_else(
        || Ok(Date::today()),
        |d| Date::parse(d).ok_or_else(|| opskit::Error::usage(format!("--as-of `{d}` is not a date"))),
    )?;
    if args.days == 0 {
        return Err(opskit::Error::usage("--days needs at least 1").into());
    }
    let window = resolve(&PeriodSpec::Days(args.days), today)?.0.period;
    let baseline = i32::try_from(args.baseline.clamp(1, 365)).unwrap_or(14);
    let whole = Period::new(window.start.add_days(-baseline), window.end);
    let (resolved, _) = resolve(&PeriodSpec::Range(whole.start, whole.end), today)?;
    let query = CostQuery {
        period: Some(resolved),
        granularity: Granularity::Daily,
        dims,
        metric: args.money.metric,
        split: false,
        exclude: args.money.excluded(),
        envs: None,
    };
    if ctx.dry_run {
        opskit::error::note(&source::dry_run_note(&spec, &query, 1, 0)?);
        return Ok(Exit::Success);
    }
    let source = Source::open(ctx, &spec).await?;
    let costs = source.costs(ctx, &query).await?;
    let days = usize::try_from(whole.days()).unwrap_or(0);
    let mut series: BTreeMap<(Vec<String>, String), Vec<Decimal>> = BTreeMap::new();
    for row in &costs.rows {
        let index = usize::try_from(row.bucket.start.days() - whole.start.days()).unwrap_or(usize::MAX);
        if index >= days {
            continue;
        }
        let values =
            series.entry((row.group.clone(), row.currency.clone())).or_insert_with(|| vec![Decimal::ZERO; days]);
        values[index] += row.amounts.total().0;
    }
    let first = usize::try_from(baseline).unwrap_or(14);
    let fields = query.group_fields();
    let mut records = Vec::new();
    for ((group, currency), values) in &series {
        for f in find(values, first, first, args.threshold, args.min_delta) {
            let delta = Money::new(f.amount - f.baseline);
            let group: Map<String, Value> =
                fields.iter().cloned().zip(group.iter().map(|v| Value::String(v.clone()))).collect();
            records.push(AnomalyRecord {
                kind: "anomaly",
                date: whole.start.add_days(i32::try_from(f.day).unwrap_or(0)),
                group,
                amount: Money::new(f.amount),
                baseline: Money::new(f.baseline),
                delta,
                delta_pct: percent(delta, Money::new(f.baseline)),
                score: Money::new(f.score),
                direction: if delta.0.is_sign_negative() { "down" } else { "up" },
                currency: currency.clone(),
                metric: query.metric.as_str(),
                source: costs.source.clone(),
            });
        }
    }
    records.sort_by_key(|r| (r.date, std::cmp::Reverse(r.delta.0.abs())));
    let group_columns: Vec<String> = fields.iter().map(|f| format!("group.{f}")).collect();
    let mut brief: Vec<&str> = vec!["date"];
    brief.extend(group_columns.iter().map(String::as_str));
    brief.extend(["amount", "baseline", "delta", "delta_pct", "score"]);
    let columns: Vec<String> = <AnomalyRecord as opskit::output::Record>::COLUMNS
        .iter()
        .flat_map(|c| if *c == "group.*" { group_columns.clone() } else { vec![(*c).to_owned()] })
        .collect();
    let mut out = ctx
        .emitter()
        .columns(columns)
        .brief::<AnomalyRecord>(&brief)
        .align_right::<AnomalyRecord>(&["amount", "baseline", "delta", "delta_pct", "score"])
        .on_empty(&format!("no anomalies in {window}"));
    let found = !records.is_empty();
    for record in records {
        out.emit(&record)?;
    }
    out.finish()?;
    Ok(if found { Exit::No } else { Exit::Success })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: &[i64]) -> Vec<Decimal> {
        values.iter().map(|v| Decimal::from(*v)).collect()
    }

    #[test]
    fn a_spike_is_found_and_noise_is_not() {
        let mut days = series(&[100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100, 102, 98]);
        days.extend(series(&[101, 99, 250, 100]));
        let found = find(&days, 14, 14, Decimal::from(3), Decimal::ONE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].day, 16);
        assert_eq!(found[0].baseline, Decimal::from(100));
        assert!(found[0].score > Decimal::from(10));
    }

    #[test]
    fn a_drop_is_found_and_small_changes_are_ignored() {
        let mut days = series(&[50; 14]);
        days.push(Decimal::ZERO);
        days.push(Decimal::new(5050, 2));
        let found = find(&days, 14, 14, Decimal::from(3), Decimal::ONE);
        assert_eq!(found.len(), 1);
        assert!(found[0].score.is_sign_negative());
        // A flat baseline of cents: a change below --min-delta is not reported.
        let cents = vec![Decimal::new(1, 2); 15].into_iter().chain([Decimal::new(9, 2)]).collect::<Vec<_>>();
        assert!(find(&cents, 14, 14, Decimal::from(3), Decimal::ONE).is_empty());
    }
}
