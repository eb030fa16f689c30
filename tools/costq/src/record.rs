//! The records costq prints: `cost`, `forecast`, `budget`, `anomaly`, `report`. Money is a
//! JSON number written from an exact decimal, with its `currency`.

use opskit::output::Record;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::money::Money;
use crate::query::Date;

/// The cost of one group in one period.
#[derive(Clone, Debug, Serialize)]
pub struct CostRecord {
    pub kind: &'static str,
    pub start: Date,
    /// The last day counted (inclusive).
    pub end: Date,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub group: Map<String, Value>,
    pub amount: Money,
    pub currency: String,
    pub metric: &'static str,
    pub estimated: bool,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refunds: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax: Option<Money>,
    /// With `--compare`: the previous equal period's amount, the change, and the change in
    /// percent (`null` when the previous amount was zero).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta_pct: Option<Value>,
    /// The groups `--top` summed into this `other` record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_groups: Option<usize>,
    /// A `--total` record: every group of its period.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub total: bool,
}

impl Record for CostRecord {
    const KIND: &'static str = "cost";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "start",
        "end",
        "group.*",
        "amount",
        "currency",
        "metric",
        "estimated",
        "source",
        "usage",
        "credits",
        "refunds",
        "tax",
        "previous",
        "delta",
        "delta_pct",
        "other_groups",
        "total",
    ];
}

/// The money fields of a cost record, in the order tables show them.
pub const MONEY_FIELDS: [&str; 7] = ["amount", "usage", "credits", "refunds", "tax", "previous", "delta"];

impl CostRecord {
    /// The same record as a table shows it: money rounded to cents, percentages to one decimal.
    #[must_use]
    pub fn for_table(mut self) -> CostRecord {
        let cents = Money::round_cents;
        self.amount = cents(self.amount);
        for field in
            [&mut self.usage, &mut self.credits, &mut self.refunds, &mut self.tax, &mut self.previous, &mut self.delta]
        {
            *field = field.map(cents);
        }
        self
    }
}

/// A percentage as a JSON number with one decimal (`null` when undefined).
pub fn percent(numerator: Money, denominator: Money) -> Value {
    if denominator.is_zero() {
        return Value::Null;
    }
    let pct = (numerator.0 * rust_decimal::Decimal::ONE_HUNDRED).checked_div(denominator.0.abs()).map(|p| {
        let mut p = p.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        p.rescale(1);
        p
    });
    pct.map_or(Value::Null, |p| serde_json::to_value(Money::new(p)).unwrap_or(Value::Null))
}

/// Cost Explorer's forecast to the end of the month.
#[derive(Clone, Debug, Serialize)]
pub struct ForecastRecord {
    pub kind: &'static str,
    pub start: Date,
    pub end: Date,
    /// The forecast for the rest of the month (from `start`).
    pub amount: Money,
    pub lower: Option<Money>,
    pub upper: Option<Money>,
    /// The prediction interval of `lower`..`upper`, in percent.
    pub interval: i32,
    /// Spent in the month so far, and that plus the forecast: the month's expected total.
    pub actual_to_date: Money,
    pub projected: Money,
    pub currency: String,
    pub metric: &'static str,
    pub source: &'static str,
}

impl Record for ForecastRecord {
    const KIND: &'static str = "forecast";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "start",
        "end",
        "amount",
        "lower",
        "upper",
        "interval",
        "actual_to_date",
        "projected",
        "currency",
        "metric",
        "source",
    ];
}

/// `check --budget`: spend (and the forecast) against a budget.
#[derive(Clone, Debug, Serialize)]
pub struct BudgetRecord {
    pub kind: &'static str,
    pub start: Date,
    pub end: Date,
    pub amount: Money,
    pub budget: Money,
    /// What was compared with the budget: the spend, or with `--forecast` the projected total.
    pub checked: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projected: Option<Money>,
    /// The budget less what was checked (negative when exceeded).
    pub remaining: Money,
    pub exceeded: bool,
    pub currency: String,
    pub metric: &'static str,
    pub estimated: bool,
    pub source: String,
}

impl Record for BudgetRecord {
    const KIND: &'static str = "budget";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "start",
        "end",
        "amount",
        "budget",
        "checked",
        "forecast",
        "projected",
        "remaining",
        "exceeded",
        "currency",
        "metric",
        "estimated",
        "source",
    ];
}

/// A day whose cost departs from its group's trailing baseline.
#[derive(Clone, Debug, Serialize)]
pub struct AnomalyRecord {
    pub kind: &'static str,
    pub date: Date,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub group: Map<String, Value>,
    pub amount: Money,
    /// The median of the trailing baseline days.
    pub baseline: Money,
    pub delta: Money,
    pub delta_pct: Value,
    /// How many robust standard deviations (1.4826 × MAD) the day is from the baseline.
    pub score: Money,
    pub direction: &'static str,
    pub currency: String,
    pub metric: &'static str,
    pub source: String,
}

impl Record for AnomalyRecord {
    const KIND: &'static str = "anomaly";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "date",
        "group.*",
        "amount",
        "baseline",
        "delta",
        "delta_pct",
        "score",
        "direction",
        "currency",
        "metric",
        "source",
    ];
}

/// The HTML report written.
#[derive(Clone, Debug, Serialize)]
pub struct ReportRecord {
    pub kind: &'static str,
    pub path: String,
    pub start: Date,
    pub end: Date,
    pub amount: Money,
    pub currency: String,
    pub services: usize,
    pub source: String,
}

impl Record for ReportRecord {
    const KIND: &'static str = "report";
    const COLUMNS: &'static [&'static str] =
        &["kind", "path", "start", "end", "amount", "currency", "services", "source"];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Money {
        Money::new(text.parse().unwrap())
    }

    #[test]
    fn percentages_have_one_decimal_and_null_for_zero() {
        assert_eq!(percent(m("5"), m("20")).to_string(), "25.0");
        assert_eq!(percent(m("-1"), m("3")).to_string(), "-33.3");
        assert_eq!(percent(m("5"), m("0")), Value::Null);
        assert_eq!(percent(m("5"), m("-10")).to_string(), "50.0");
    }
}
