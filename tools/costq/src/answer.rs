//! From a source's rows to the records printed: environments with no cost shown at zero, the
//! previous period joined in (`--compare`), the largest groups kept and the rest summed as
//! `other` (`--top`), totals per period (`--total`) and for the table's last line.

use std::collections::BTreeMap;

use opskit::Error;
use serde_json::{Map, Value};

use crate::money::Money;
use crate::query::{Amounts, Charge, CostQuery, CostRow, Costs, Granularity, Period};
use crate::record::{CostRecord, percent};

/// How the answer is shaped.
#[derive(Clone, Copy, Debug, Default)]
pub struct Shaping {
    pub top: Option<usize>,
    pub total: bool,
}

/// One line of the answer before it is a record.
#[derive(Clone, Debug)]
struct Entry {
    index: usize,
    bucket: Period,
    group: Vec<String>,
    currency: String,
    amounts: Amounts,
    previous: Option<Amounts>,
    estimated: bool,
    other_groups: Option<usize>,
}

/// The records, and the grand totals per currency (amounts, previous) for a table's last line.
pub struct Answer {
    pub records: Vec<CostRecord>,
    pub totals: Vec<(String, Amounts, Option<Amounts>)>,
    pub buckets: usize,
}

fn overflow() -> Error {
    Error::data("a total too large to hold exactly")
}

/// The buckets of a query's period, or of the rows when the period is the data's own.
fn buckets(query: &CostQuery, rows: &[CostRow], span: Option<Period>) -> Vec<Period> {
    if let Some(r) = query.period {
        return r.period.buckets(query.granularity);
    }
    let mut found: Vec<Period> = rows.iter().map(|r| r.bucket).collect();
    if found.is_empty()
        && let Some(span) = span
    {
        found.push(span);
    }
    found.sort();
    found.dedup();
    found
}

type Key = (usize, Vec<String>, String);

impl Entry {
    fn new(index: usize, bucket: Period, group: Vec<String>, currency: String) -> Entry {
        Entry {
            index,
            bucket,
            group,
            currency,
            amounts: Amounts::default(),
            previous: None,
            estimated: false,
            other_groups: None,
        }
    }

    /// Add another entry's amounts (and previous amounts) into this one.
    fn absorb(&mut self, other: &Entry) -> Result<(), Error> {
        self.amounts = self.amounts.checked_add(&other.amounts).ok_or_else(overflow)?;
        self.previous = match (self.previous, other.previous) {
            (Some(mine), Some(theirs)) => Some(mine.checked_add(&theirs).ok_or_else(overflow)?),
            (mine, theirs) => mine.or(theirs),
        };
        self.estimated |= other.estimated;
        Ok(())
    }
}

/// The rows by bucket, group and currency; environments named on stdin that cost nothing are
/// still answered, with zero.
fn entries_of(query: &CostQuery, rows: Vec<CostRow>, buckets: &[Period]) -> Result<BTreeMap<Key, Entry>, Error> {
    let mut entries: BTreeMap<Key, Entry> = BTreeMap::new();
    for row in rows {
        let Some(index) = buckets.iter().position(|b| *b == row.bucket) else { continue };
        let entry = entries
            .entry((index, row.group.clone(), row.currency.clone()))
            .or_insert_with(|| Entry::new(index, row.bucket, row.group.clone(), row.currency.clone()));
        entry.amounts = entry.amounts.checked_add(&row.amounts).ok_or_else(overflow)?;
        entry.estimated |= row.estimated;
    }
    if let (Some(envs), Some(dim)) = (&query.envs, query.env_dimension())
        && query.dims.len() == 1
    {
        let currency = entries.values().next().map_or_else(|| "USD".to_owned(), |e| e.currency.clone());
        for (index, bucket) in buckets.iter().enumerate() {
            // A zero is as final as the bucket's other amounts: estimated while they are.
            let estimated = entries.iter().any(|((i, _, _), e)| *i == index && e.estimated);
            for env in envs {
                let mut group = vec![String::new(); query.dims.len()];
                group[dim].clone_from(env);
                if !entries.keys().any(|(i, g, _)| *i == index && *g == group) {
                    let mut entry = Entry::new(index, *bucket, group.clone(), currency.clone());
                    entry.estimated = estimated;
                    entries.insert((index, group, currency.clone()), entry);
                }
            }
        }
    }
    Ok(entries)
}

/// The previous period's amounts beside each entry, bucket by bucket; groups that cost only
/// then are kept, at zero now.
fn join_previous(
    query: &CostQuery,
    entries: &mut BTreeMap<Key, Entry>,
    previous: Costs,
    period: Period,
    buckets: &[Period],
) -> Result<(), Error> {
    let previous_buckets = period.buckets(query.granularity);
    for entry in entries.values_mut() {
        entry.previous = Some(Amounts::default());
    }
    for row in previous.rows {
        let index = if query.granularity == Granularity::Period {
            Some(0)
        } else {
            previous_buckets.iter().position(|b| *b == row.bucket)
        };
        let Some(index) = index.filter(|i| *i < buckets.len()) else { continue };
        let entry = entries.entry((index, row.group.clone(), row.currency.clone())).or_insert_with(|| {
            let mut entry = Entry::new(index, buckets[index], row.group.clone(), row.currency.clone());
            entry.previous = Some(Amounts::default());
            entry
        });
        let before = entry.previous.unwrap_or_default();
        entry.previous = Some(before.checked_add(&row.amounts).ok_or_else(overflow)?);
    }
    Ok(())
}

/// An entry as a record.
fn record(query: &CostQuery, source: &str, entry: &Entry, group: Map<String, Value>, total: bool) -> CostRecord {
    let split = |c: Charge| query.split.then(|| entry.amounts.get(c));
    let (previous, delta, delta_pct) = match entry.previous {
        Some(prev) => {
            let (now, before) = (entry.amounts.total(), prev.total());
            let delta = now.checked_sub(before).unwrap_or(Money::ZERO);
            (Some(before), Some(delta), Some(percent(delta, before)))
        }
        None => (None, None, None),
    };
    CostRecord {
        kind: "cost",
        start: entry.bucket.start,
        end: entry.bucket.end,
        group,
        amount: entry.amounts.total(),
        currency: entry.currency.clone(),
        metric: query.metric.as_str(),
        estimated: entry.estimated,
        source: source.to_owned(),
        usage: split(Charge::Usage),
        credits: split(Charge::Credits),
        refunds: split(Charge::Refunds),
        tax: split(Charge::Tax),
        previous,
        delta,
        delta_pct,
        other_groups: entry.other_groups,
        total,
    }
}

pub fn assemble(
    query: &CostQuery,
    costs: Costs,
    previous: Option<(Costs, Period)>,
    shaping: Shaping,
) -> Result<Answer, Error> {
    let buckets = buckets(query, &costs.rows, costs.span);
    let mut entries = entries_of(query, costs.rows, &buckets)?;
    let compared = previous.is_some();
    if let Some((previous, period)) = previous {
        join_previous(query, &mut entries, previous, period, &buckets)?;
    }
    let mut entries: Vec<Entry> = entries.into_values().collect();
    if let Some(n) = shaping.top {
        entries = keep_top(entries, n, query.dims.len())?;
    }
    // Per bucket: the largest first, `other` last.
    entries.sort_by_key(|e| {
        (e.index, e.other_groups.is_some(), std::cmp::Reverse(e.amounts.total()), e.group.clone(), e.currency.clone())
    });
    let fields = query.group_fields();
    let mut records = Vec::new();
    let mut totals: Vec<Entry> = Vec::new();
    for (index, in_bucket) in entries.chunk_by(|a, b| a.index == b.index).map(|c| (c[0].index, c)) {
        let mut bucket_totals: Vec<Entry> = Vec::new();
        for entry in in_bucket {
            let group: Map<String, Value> =
                fields.iter().cloned().zip(entry.group.iter().map(|v| Value::String(v.clone()))).collect();
            records.push(record(query, &costs.source, entry, group, false));
            match bucket_totals.iter_mut().find(|t| t.currency == entry.currency) {
                Some(total) => total.absorb(entry)?,
                None => bucket_totals.push(Entry { group: Vec::new(), other_groups: None, ..entry.clone() }),
            }
        }
        debug_assert!(bucket_totals.iter().all(|t| t.index == index));
        for bucket_total in bucket_totals {
            if shaping.total {
                records.push(record(query, &costs.source, &bucket_total, Map::new(), true));
            }
            match totals.iter_mut().find(|t| t.currency == bucket_total.currency) {
                Some(total) => total.absorb(&bucket_total)?,
                None => totals.push(bucket_total),
            }
        }
    }
    let totals = totals
        .into_iter()
        .map(|t| (t.currency, t.amounts, if compared { Some(t.previous.unwrap_or_default()) } else { None }))
        .collect();
    Ok(Answer { records, totals, buckets: buckets.len() })
}

/// The `n` groups costing most over the whole period (every bucket, every currency), and the
/// rest summed per bucket and currency as `other`.
fn keep_top(entries: Vec<Entry>, n: usize, dims: usize) -> Result<Vec<Entry>, Error> {
    let mut by_group: BTreeMap<&Vec<String>, rust_decimal::Decimal> = BTreeMap::new();
    for e in &entries {
        *by_group.entry(&e.group).or_default() += e.amounts.total().0;
    }
    let mut ranked: Vec<(&Vec<String>, rust_decimal::Decimal)> = by_group.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    if ranked.len() <= n {
        return Ok(entries);
    }
    let kept: Vec<Vec<String>> = ranked.iter().take(n).map(|(g, _)| (*g).clone()).collect();
    let others = ranked.len() - n;
    let mut out = Vec::new();
    let mut other: BTreeMap<(usize, String), Entry> = BTreeMap::new();
    for e in entries {
        if kept.contains(&e.group) {
            out.push(e);
            continue;
        }
        let slot = other.entry((e.index, e.currency.clone())).or_insert_with(|| Entry {
            group: vec!["other".to_owned(); dims],
            amounts: Amounts::default(),
            previous: e.previous.map(|_| Amounts::default()),
            estimated: false,
            other_groups: Some(others),
            ..e.clone()
        });
        slot.amounts = slot.amounts.checked_add(&e.amounts).ok_or_else(overflow)?;
        if let (Some(a), Some(b)) = (slot.previous, e.previous) {
            slot.previous = Some(a.checked_add(&b).ok_or_else(overflow)?);
        }
        slot.estimated |= e.estimated;
    }
    out.extend(other.into_values());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use rust_decimal::Decimal;

    use super::*;
    use crate::query::period::{PeriodSpec, resolve};
    use crate::query::{Date, Dimension, Metric};

    fn query(dims: Vec<Dimension>) -> CostQuery {
        let period =
            resolve(&PeriodSpec::Month(Date::parse("2026-09-01").unwrap()), Date::parse("2026-11-27").unwrap())
                .unwrap()
                .0;
        CostQuery {
            period: Some(period),
            granularity: Granularity::Period,
            dims,
            metric: Metric::Unblended,
            split: false,
            exclude: BTreeSet::new(),
            envs: None,
        }
    }

    fn row(q: &CostQuery, service: &str, amount: &str) -> CostRow {
        CostRow {
            bucket: q.period.unwrap().period,
            group: vec![service.to_owned()],
            currency: "USD".into(),
            amounts: Amounts::of(Charge::Usage, amount.parse::<Decimal>().unwrap()),
            estimated: false,
        }
    }

    #[test]
    fn top_keeps_the_largest_and_sums_the_rest_as_other() {
        let q = query(vec![Dimension::Service]);
        let rows =
            vec![row(&q, "EC2", "100.50"), row(&q, "S3", "7.25"), row(&q, "Lambda", "0.10"), row(&q, "RDS", "40")];
        let costs = Costs { rows, source: "ce".into(), span: None };
        let answer = assemble(&q, costs, None, Shaping { top: Some(2), total: true }).unwrap();
        let shown: Vec<(String, String)> = answer
            .records
            .iter()
            .map(|r| {
                (r.group.get("service").and_then(Value::as_str).unwrap_or("TOTAL").to_owned(), r.amount.to_string())
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("EC2".into(), "100.50".into()),
                ("RDS".into(), "40".into()),
                ("other".into(), "7.35".into()),
                ("TOTAL".into(), "147.85".into())
            ]
        );
        assert_eq!(answer.records[2].other_groups, Some(2));
        assert!(answer.records[3].total);
        assert_eq!(answer.totals[0].1.total().to_string(), "147.85");
    }

    #[test]
    fn compare_joins_the_previous_period_and_keeps_groups_that_vanished() {
        let q = query(vec![Dimension::Service]);
        let now = Costs { rows: vec![row(&q, "EC2", "120"), row(&q, "S3", "5")], source: "ce".into(), span: None };
        let before =
            Costs { rows: vec![row(&q, "EC2", "100"), row(&q, "Lambda", "3")], source: "ce".into(), span: None };
        let previous = q.period.unwrap().previous();
        let answer = assemble(&q, now, Some((before, previous)), Shaping::default()).unwrap();
        let lambda = answer.records.iter().find(|r| r.group["service"] == "Lambda").unwrap();
        assert_eq!((lambda.amount.to_string(), lambda.previous.unwrap().to_string()), ("0".into(), "3".into()));
        assert_eq!(lambda.delta_pct.as_ref().unwrap().to_string(), "-100.0");
        let s3 = answer.records.iter().find(|r| r.group["service"] == "S3").unwrap();
        assert_eq!(s3.delta_pct, Some(Value::Null), "new this period: no percentage");
        let ec2 = answer.records.iter().find(|r| r.group["service"] == "EC2").unwrap();
        assert_eq!(ec2.delta_pct.as_ref().unwrap().to_string(), "20.0");
    }

    #[test]
    fn environments_from_stdin_without_cost_are_zero() {
        let mut q = query(vec![Dimension::Env { tag: "env".into() }]);
        q.envs = Some(vec!["dev".into(), "demo-7".into()]);
        let costs = Costs { rows: vec![row(&q, "dev", "12.5")], source: "ce".into(), span: None };
        let answer = assemble(&q, costs, None, Shaping::default()).unwrap();
        let envs: Vec<(String, String)> = answer
            .records
            .iter()
            .map(|r| (r.group["env"].as_str().unwrap().to_owned(), r.amount.to_string()))
            .collect();
        assert_eq!(envs, [("dev".into(), "12.5".into()), ("demo-7".into(), "0".into())]);
    }
}
