//! The HTML report: what a stakeholder looks at — the period's total against the previous
//! period, a stacked daily chart by service, the top movers, and the tables. One file that
//! needs nothing else to show (no network at view time): styles, data and the script that draws
//! the chart are inside it.

mod html;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use self::html::render;
use crate::money::Money;
use crate::query::{CostRow, Date, Period};

/// Services drawn apart in the chart; the rest are drawn together as `other`.
pub const CHART_SERIES: usize = 8;
/// Rows of the top movers table.
pub const MOVERS: usize = 5;

/// One row of a table: the group's values, this period's amount, the previous period's.
#[derive(Clone, Debug)]
pub struct Line {
    pub group: Vec<String>,
    pub amount: Money,
    pub previous: Money,
}

impl Line {
    pub fn delta(&self) -> Money {
        self.amount.checked_sub(self.previous).unwrap_or_default()
    }
}

/// A table of the report.
#[derive(Clone, Debug)]
pub struct Table {
    pub title: String,
    pub headings: Vec<String>,
    pub lines: Vec<Line>,
}

/// Everything the page shows.
#[derive(Clone, Debug)]
pub struct Report {
    pub title: String,
    pub period: Period,
    pub previous: Period,
    pub source: String,
    pub metric: String,
    pub currency: String,
    pub estimated: bool,
    pub total: Money,
    pub previous_total: Money,
    pub days: Vec<Date>,
    /// (service, amount each day), the largest first, `other` last.
    pub series: Vec<(String, Vec<Decimal>)>,
    pub movers: Vec<Line>,
    pub tables: Vec<Table>,
    pub as_of: Date,
}

/// The chart's series: each service's daily amounts, the [`CHART_SERIES`] largest apart.
pub fn daily_series(rows: &[CostRow], period: Period) -> Vec<(String, Vec<Decimal>)> {
    let days = usize::try_from(period.days()).unwrap_or(0);
    let mut by_service: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
    for row in rows {
        let Ok(i) = usize::try_from(row.bucket.start.days() - period.start.days()) else { continue };
        if i >= days {
            continue;
        }
        let service = row.group.first().cloned().unwrap_or_default();
        by_service.entry(service).or_insert_with(|| vec![Decimal::ZERO; days])[i] += row.amounts.total().0;
    }
    let mut ranked: Vec<(String, Vec<Decimal>)> = by_service.into_iter().collect();
    ranked.sort_by(|a, b| {
        let (sa, sb): (Decimal, Decimal) = (a.1.iter().sum(), b.1.iter().sum());
        sb.cmp(&sa).then_with(|| a.0.cmp(&b.0))
    });
    if ranked.len() > CHART_SERIES {
        let rest = ranked.split_off(CHART_SERIES - 1);
        let mut other = vec![Decimal::ZERO; days];
        for (_, values) in rest {
            for (o, v) in other.iter_mut().zip(values) {
                *o += v;
            }
        }
        ranked.push(("other".into(), other));
    }
    ranked
}

/// Lines of a table: current and previous amounts by group, the largest first.
pub fn lines(current: &[CostRow], previous: &[CostRow]) -> Vec<Line> {
    let mut by_group: BTreeMap<Vec<String>, (Decimal, Decimal)> = BTreeMap::new();
    for row in current {
        by_group.entry(row.group.clone()).or_default().0 += row.amounts.total().0;
    }
    for row in previous {
        by_group.entry(row.group.clone()).or_default().1 += row.amounts.total().0;
    }
    let mut out: Vec<Line> = by_group
        .into_iter()
        .map(|(group, (a, p))| Line { group, amount: Money::new(a), previous: Money::new(p) })
        .collect();
    out.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.group.cmp(&b.group)));
    out
}

/// The lines that moved most against the previous period (either way).
pub fn movers(lines: &[Line]) -> Vec<Line> {
    let mut moved: Vec<Line> = lines.iter().filter(|l| !l.delta().is_zero()).cloned().collect();
    moved.sort_by(|a, b| b.delta().0.abs().cmp(&a.delta().0.abs()).then_with(|| a.group.cmp(&b.group)));
    moved.truncate(MOVERS);
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Amounts, Charge};

    fn row(day: &str, service: &str, amount: i64) -> CostRow {
        let d = Date::parse(day).unwrap();
        CostRow {
            bucket: Period::new(d, d),
            group: vec![service.into()],
            currency: "USD".into(),
            amounts: Amounts::of(Charge::Usage, Decimal::from(amount)),
            estimated: false,
        }
    }

    #[test]
    fn series_keep_the_largest_services_and_group_the_rest() {
        let period = Period::new(Date::parse("2026-09-01").unwrap(), Date::parse("2026-09-02").unwrap());
        let mut rows: Vec<CostRow> = (0..10).map(|i| row("2026-09-01", &format!("s{i}"), 10 + i)).collect();
        rows.push(row("2026-09-02", "s9", 5));
        let series = daily_series(&rows, period);
        assert_eq!(series.len(), CHART_SERIES);
        assert_eq!(series[0], ("s9".into(), vec![Decimal::from(19), Decimal::from(5)]));
        assert_eq!(series.last().unwrap().0, "other");
        assert_eq!(series.last().unwrap().1[0], Decimal::from(10 + 11 + 12), "s0, s1 and s2");
    }

    #[test]
    fn movers_are_the_largest_changes_either_way() {
        let now = vec![row("2026-09-01", "EC2", 100), row("2026-09-01", "S3", 10)];
        let before = vec![row("2026-08-01", "EC2", 95), row("2026-08-01", "Lambda", 40)];
        let all = lines(&now, &before);
        let moved: Vec<String> = movers(&all).iter().map(|l| l.group[0].clone()).collect();
        assert_eq!(moved, ["Lambda", "S3", "EC2"]);
    }
}
