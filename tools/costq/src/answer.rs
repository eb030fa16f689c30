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

pub fn assemble(query: &CostQuery, costs: Costs, previous: Option<(Costs, Period)>, shaping: Shaping) -> Result<Answer, Error> {
    let current_buckets = buckets(query, &costs.rows, costs.span);
    let index_of = |list: &[Period], b: Period| list.iter().position(|x| *x == b);
    let mut entries: BTreeMap<(usize, Vec<String>, String), Entry> = BTreeMap::new();
    for row in costs.rows {
        let Some(index) = index_of(&current_buckets, row.bucket) else {
            // A bucket outside the period (a source that rounds to months): its own index.
            continue;
        };
        let key = (index, row.group.clone(), row.currency.clone());
        let entry = entries.entry(key).or_insert_with(|| Entry {
            index,
            bucket: row.bucket,
            group: row.group.clone(),
            currency: row.currency.clone(),
            amounts: Amounts::default(),
            previous: None,
            estimated: false,
            other_groups: None,
        });
        entry.amounts = entry.amounts.checked_add(&row.amounts).ok_or_else(overflow)?;
        entry.estimated |= row.estimated;
    }
    // Environments named on stdin that cost nothing are still answered: with zero.
    if let (Some(envs), Some(dim)) = (&query.envs, query.env_dimension())
        && query.dims.len() == 1
    {
        let currency = entries.values().next().map_or_else(|| "USD".to_owned(), |e| e.currency.clone());
        for (index, bucket) in current_buckets.iter().enumerate() {
            for env in envs {
                let mut group = vec![String::new(); query.dims.len()];
                group[dim].clone_from(env);
                if !entries.keys().any(|(i, g, _)| *i == index && *g == group) {
                    entries.insert(
                        (index, group.clone(), currency.clone()),
                        Entry { index, bucket: *bucket, group, currency: currency.clone(), amounts: Amounts::default(), previous: None, estimated: false, other_groups: None },
                    );
                }
            }
        }
    }
    let compared = previous.is_some();
    if let Some((prev, prev_period)) = previous {
        let prev_buckets = prev_period.buckets(query.granularity);
        for entry in entries.values_mut() {
            entry.previous = Some(Amounts::default());
        }
        for row in prev.rows {
            let index = if query.granularity == Granularity::Period { Some(0) } else { index_of(&prev_buckets, row.bucket) };
            let Some(index) = index.filter(|i| *i < current_buckets.len()) else { continue };
            let key = (index, row.group.clone(), row.currency.clone());
            let entry = entries.entry(key).or_insert_with(|| Entry {
                index,
                bucket: current_buckets[index],
                group: row.group.clone(),
                currency: row.currency.clone(),
                amounts: Amounts::default(),
                previous: Some(Amounts::default()),
                estimated: false,
                other_groups: None,
            });
            let before = entry.previous.unwrap_or_default();
            entry.previous = Some(before.checked_add(&row.amounts).ok_or_else(overflow)?);
        }
    }
    let mut entries: Vec<Entry> = entries.into_values().collect();
    if let Some(n) = shaping.top {
        entries = keep_top(entries, n, query.dims.len())?;
    }
    // Per bucket: the largest first, `other` last.
    entries.sort_by(|a, b| {
        (a.index, a.other_groups.is_some(), std::cmp::Reverse(a.amounts.total()), &a.group, &a.currency).cmp(&(
            b.index,
            b.other_groups.is_some(),
            std::cmp::Reverse(b.amounts.total()),
            &b.group,
            &b.currency,
        ))
    });
    let record = |entry: &Entry, group: Map<String, Value>, total: bool| -> CostRecord {
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
            source: costs.source.clone(),
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
    };
    let fields = query.group_fields();
    let mut records = Vec::new();
    let mut totals: Vec<(String, Amounts, Option<Amounts>)> = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let index = entries[i].index;
        let mut bucket_totals: Vec<Entry> = Vec::new();
        while i < entries.len() && entries[i].index == index {
            let e = &entries[i];
            let group: Map<String, Value> = fields.iter().cloned().zip(e.group.iter().map(|v| Value::String(v.clone()))).collect();
            records.push(record(e, group, false));
            match bucket_totals.iter_mut().find(|t| t.currency == e.currency) {
                Some(t) => {
                    t.amounts = t.amounts.checked_add(&e.amounts).ok_or_else(overflow)?;
                    t.previous = match (t.previous, e.previous) {
                        (Some(a), Some(b)) => Some(a.checked_add(&b).ok_or_else(overflow)?),
                        (a, b) => a.or(b),
                    };
                    t.estimated |= e.estimated;
                }
                None => bucket_totals.push(Entry { group: Vec::new(), other_groups: None, ..e.clone() }),
            }
            i += 1;
        }
        for t in bucket_totals {
            if shaping.total {
                records.push(record(&t, Map::new(), true));
            }
            match totals.iter_mut().find(|(c, _, _)| *c == t.currency) {
                Some((_, amounts, prev)) => {
                    *amounts = amounts.checked_add(&t.amounts).ok_or_else(overflow)?;
                    *prev = match (*prev, t.previous) {
                        (Some(a), Some(b)) => Some(a.checked_add(&b).ok_or_else(overflow)?),
                        (a, b) => a.or(b),
                    };
                }
                None => totals.push((t.currency.clone(), t.amounts, t.previous)),
            }
        }
    }
    if compared {
        for (_, _, prev) in &mut totals {
            prev.get_or_insert_with(Amounts::default);
        }
    }
    Ok(Answer { records, totals, buckets: current_buckets.len() })
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
        let period = resolve(&PeriodSpec::Month(Date::parse("2026-09-01").unwrap()), Date::parse("2026-11-27").unwrap()).unwrap().0;
        CostQuery { period: Some(period), granularity: Granularity::Period, dims, metric: Metric::Unblended, split: false, exclude: BTreeSet::new(), envs: None }
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
        let rows = vec![row(&q, "EC2", "100.50"), row(&q, "S3", "7.25"), row(&q, "Lambda", "0.10"), row(&q, "RDS", "40")];
        let costs = Costs { rows, source: "ce".into(), span: None };
        let answer = assemble(&q, costs, None, Shaping { top: Some(2), total: true }).unwrap();
        let shown: Vec<(String, String)> = answer
            .records
            .iter()
            .map(|r| (r.group.get("service").and_then(Value::as_str).unwrap_or("TOTAL").to_owned(), r.amount.to_string()))
            .collect();
        assert_eq!(shown, [("EC2".into(), "100.50".into()), ("RDS".into(), "40".into()), ("other".into(), "7.35".into()), ("TOTAL".into(), "147.85".into())]);
        assert_eq!(answer.records[2].other_groups, Some(2));
        assert!(answer.records[3].total);
        assert_eq!(answer.totals[0].1.total().to_string(), "147.85");
    }

    #[test]
    fn compare_joins_the_previous_period_and_keeps_groups_that_vanished() {
        let q = query(vec![Dimension::Service]);
        let now = Costs { rows: vec![row(&q, "EC2", "120"), row(&q, "S3", "5")], source: "ce".into(), span: None };
        let before = Costs { rows: vec![row(&q, "EC2", "100"), row(&q, "Lambda", "3")], source: "ce".into(), span: None };
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
        let envs: Vec<(String, String)> = answer.records.iter().map(|r| (r.group["env"].as_str().unwrap().to_owned(), r.amount.to_string())).collect();
        assert_eq!(envs, [("dev".into(), "12.5".into()), ("demo-7".into(), "0".into())]);
    }
}
