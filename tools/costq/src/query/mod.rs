//! The question every source answers: which period, split how, grouped by what, which cost
//! metric, with or without credits, refunds and tax — and the answer's rows, before they are
//! ranked, compared and printed.

pub mod date;
pub mod dimension;
pub mod period;

use std::collections::BTreeSet;

use rust_decimal::Decimal;

pub use self::date::Date;
pub use self::dimension::Dimension;
pub use self::period::{Granularity, Period, PeriodSpec, Resolved};
use crate::money::Money;

/// `--metric`: which of AWS's cost figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Metric {
    /// What each usage cost at the rate charged (FOCUS: BilledCost)
    #[default]
    Unblended,
    /// Unblended after discounts (FOCUS: BilledCost)
    NetUnblended,
    /// Reservations and Savings Plans spread over the usage they cover (FOCUS: EffectiveCost)
    Amortized,
    /// Amortized after discounts (FOCUS: EffectiveCost)
    NetAmortized,
    /// Averaged over an organisation's accounts
    Blended,
}

impl Metric {
    /// The name in records (`net-amortized` → `net_amortized`).
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Unblended => "unblended",
            Metric::NetUnblended => "net_unblended",
            Metric::Amortized => "amortized",
            Metric::NetAmortized => "net_amortized",
            Metric::Blended => "blended",
        }
    }

    /// Cost Explorer's metric name in GetCostAndUsage.
    pub fn ce_name(self) -> &'static str {
        match self {
            Metric::Unblended => "UnblendedCost",
            Metric::NetUnblended => "NetUnblendedCost",
            Metric::Amortized => "AmortizedCost",
            Metric::NetAmortized => "NetAmortizedCost",
            Metric::Blended => "BlendedCost",
        }
    }
}

/// Kinds of charges `--split` shows apart and `--exclude` leaves out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Charge {
    Usage,
    Credits,
    Refunds,
    Tax,
}

impl Charge {
    pub const ALL: [Charge; 4] = [Charge::Usage, Charge::Credits, Charge::Refunds, Charge::Tax];

    pub fn as_str(self) -> &'static str {
        match self {
            Charge::Usage => "usage",
            Charge::Credits => "credits",
            Charge::Refunds => "refunds",
            Charge::Tax => "tax",
        }
    }

    /// A Cost Explorer record type, or a CUR line item type (`Credit`, `Refund`, `Tax`; every
    /// other type — Usage, Fee, RIFee, DiscountedUsage, SavingsPlan*, … — is usage).
    pub fn of_line_item_type(text: &[u8]) -> Charge {
        match text {
            b"Credit" => Charge::Credits,
            b"Refund" => Charge::Refunds,
            b"Tax" => Charge::Tax,
            _ => Charge::Usage,
        }
    }

    /// A FOCUS ChargeCategory. FOCUS has no refund category: `Adjustment` (refunds and other
    /// after-the-fact corrections) counts as refunds.
    pub fn of_focus_category(text: &[u8]) -> Charge {
        match text {
            b"Credit" => Charge::Credits,
            b"Adjustment" => Charge::Refunds,
            b"Tax" => Charge::Tax,
            _ => Charge::Usage,
        }
    }

    /// The Cost Explorer record types of this kind (for filters).
    pub fn record_types(self) -> &'static [&'static str] {
        match self {
            Charge::Usage => &[],
            Charge::Credits => &["Credit"],
            Charge::Refunds => &["Refund"],
            Charge::Tax => &["Tax"],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What a query asks, validated ("high args"): every source reads this, never clap's structs.
#[derive(Clone, Debug)]
pub struct CostQuery {
    /// `None` only for export files read without a period flag: everything in them.
    pub period: Option<Resolved>,
    pub granularity: Granularity,
    pub dims: Vec<Dimension>,
    pub metric: Metric,
    /// Show usage, credits, refunds and tax apart.
    pub split: bool,
    pub exclude: BTreeSet<Charge>,
    /// Only these environments (from `env` records on stdin); the `env` dimension is grouped.
    pub envs: Option<Vec<String>>,
}

impl CostQuery {
    /// The same question about another period (for `--compare`).
    pub fn for_period(&self, period: Period) -> CostQuery {
        let mut q = self.clone();
        q.period = q.period.map(|r| r.with_period(period));
        q
    }

    pub fn excludes(&self, charge: Charge) -> bool {
        self.exclude.contains(&charge)
    }

    /// The field names of `group`, in `--by` order.
    pub fn group_fields(&self) -> Vec<String> {
        self.dims.iter().map(Dimension::field).collect()
    }

    /// The tag that marks environments, when the query groups by `env`.
    pub fn env_dimension(&self) -> Option<usize> {
        self.dims.iter().position(|d| matches!(d, Dimension::Env { .. }))
    }
}

/// Amounts of one row, by kind of charge (without `--split`, sources may put everything under
/// usage; the total is what counts).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Amounts([Decimal; 4]);

impl Amounts {
    pub fn of(charge: Charge, amount: Decimal) -> Amounts {
        let mut a = Amounts::default();
        a.0[charge.index()] = amount;
        a
    }

    pub fn get(&self, charge: Charge) -> Money {
        Money::new(self.0[charge.index()])
    }

    pub fn total(&self) -> Money {
        Money::new(self.0.iter().sum())
    }

    /// Add `other` in; `None` past `Decimal`'s range.
    #[must_use]
    pub fn checked_add(&self, other: &Amounts) -> Option<Amounts> {
        let mut out = *self;
        for (a, b) in out.0.iter_mut().zip(other.0) {
            *a = a.checked_add(b)?;
        }
        Some(out)
    }

    pub fn add_to(&mut self, charge: Charge, amount: Decimal) -> Option<()> {
        let slot = &mut self.0[charge.index()];
        *slot = slot.checked_add(amount)?;
        Some(())
    }
}

/// One answer row: the cost of one group in one bucket, in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostRow {
    pub bucket: Period,
    /// Values in `--by` order; `""` for a missing tag (untagged).
    pub group: Vec<String>,
    pub currency: String,
    pub amounts: Amounts,
    /// AWS may still change these numbers (the month is not closed).
    pub estimated: bool,
}

/// A source's answer.
#[derive(Clone, Debug, Default)]
pub struct Costs {
    pub rows: Vec<CostRow>,
    /// What answered: `ce`, `athena`, or the export shape (`cur`, `cur2`, `focus`).
    pub source: String,
    /// The days the data covers, when the source knows them and no period was asked (files).
    pub span: Option<Period>,
}

impl Resolved {
    /// This resolution with another period of the same length (the previous one).
    pub fn with_period(self, period: Period) -> Resolved {
        let mut r = self;
        r.period = period;
        r.month_to_date = false;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_from_line_item_types_and_focus_categories() {
        assert_eq!(Charge::of_line_item_type(b"Credit"), Charge::Credits);
        assert_eq!(Charge::of_line_item_type(b"Refund"), Charge::Refunds);
        assert_eq!(Charge::of_line_item_type(b"Tax"), Charge::Tax);
        assert_eq!(Charge::of_line_item_type(b"SavingsPlanCoveredUsage"), Charge::Usage);
        assert_eq!(Charge::of_focus_category(b"Adjustment"), Charge::Refunds);
        assert_eq!(Charge::of_focus_category(b"Purchase"), Charge::Usage);
    }

    #[test]
    fn amounts_add_by_kind() {
        let mut a = Amounts::of(Charge::Usage, Decimal::new(1050, 2));
        a.add_to(Charge::Credits, Decimal::new(-300, 2)).unwrap();
        assert_eq!(a.total().to_string(), "7.50");
        assert_eq!(a.get(Charge::Credits).to_string(), "-3.00");
        let b = a.checked_add(&Amounts::of(Charge::Tax, Decimal::new(1, 0))).unwrap();
        assert_eq!(b.total().to_string(), "8.50");
    }
}
