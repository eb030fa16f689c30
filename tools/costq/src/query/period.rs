//! Periods as people say them (`--month`, `--last-month`, `--from/--to`, `--days N`), turned
//! into inclusive date ranges once, from one "today" (UTC); buckets within them; the previous
//! equal period; and Cost Explorer's exclusive end, which only the Cost Explorer source sees.

use opskit::Error;

use super::date::Date;

/// An inclusive range of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub start: Date,
    /// The last day counted (inclusive).
    pub end: Date,
}

impl Period {
    pub fn new(start: Date, end: Date) -> Period {
        debug_assert!(start <= end, "{start} > {end}");
        Period { start, end }
    }

    pub fn days(self) -> i32 {
        self.end.days() - self.start.days() + 1
    }

    /// The day after the last: Cost Explorer's and Athena's exclusive end.
    pub fn end_exclusive(self) -> Date {
        self.end.add_days(1)
    }

    pub fn contains(self, day: Date) -> bool {
        self.start <= day && day <= self.end
    }

    /// The buckets of `granularity` that cover the period, in order.
    pub fn buckets(self, granularity: Granularity) -> Vec<Period> {
        match granularity {
            Granularity::Period => vec![self],
            Granularity::Daily => (0..self.days()).map(|i| self.start.add_days(i)).map(|d| Period::new(d, d)).collect(),
            Granularity::Monthly => {
                let mut out = Vec::new();
                let mut start = self.start;
                while start <= self.end {
                    let end = start.last_of_month().min(self.end);
                    out.push(Period::new(start, end));
                    start = end.add_days(1);
                }
                out
            }
        }
    }

    /// The bucket of `granularity` that `day` falls in, within this period.
    pub fn bucket_of(self, granularity: Granularity, day: Date) -> Period {
        match granularity {
            Granularity::Period => self,
            Granularity::Daily => Period::new(day, day),
            Granularity::Monthly => {
                Period::new(day.first_of_month().max(self.start), day.last_of_month().min(self.end))
            }
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.start == self.end { write!(f, "{}", self.start) } else { write!(f, "{} to {}", self.start, self.end) }
    }
}

/// How a period is split into records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Granularity {
    /// One record per group for the whole period (the default).
    Period,
    /// One per calendar month (`--monthly`).
    Monthly,
    /// One per day (`--daily`).
    Daily,
}

/// What the user asked for, before "today" turns it into dates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeriodSpec {
    /// `--month` alone (and the default): this month, to date.
    ThisMonth,
    /// `--month YYYY-MM`.
    Month(Date),
    /// `--last-month`.
    LastMonth,
    /// `--from A --to B`, both inclusive.
    Range(Date, Date),
    /// `--days N`: the N days ending yesterday.
    Days(u32),
}

/// A period resolved against today, with what its "previous equal period" is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub period: Period,
    /// The period is the current month so far (its end is today).
    pub month_to_date: bool,
    /// Whole calendar months: the previous period is the month(s) before.
    whole_months: bool,
}

impl Resolved {
    /// The previous equal period, for `--compare`: the month before a whole month; the same
    /// days at the start of the month before for a month to date (its end clamped to that
    /// month's last day); otherwise the same number of days just before.
    pub fn previous(self) -> Period {
        let p = self.period;
        if self.whole_months {
            return Period::new(p.start.add_months(-1), p.start.add_days(-1));
        }
        if self.month_to_date {
            let start = p.start.add_months(-1);
            let end = start.add_days(p.days() - 1).min(start.last_of_month());
            return Period::new(start, end);
        }
        Period::new(p.start.add_days(-p.days()), p.start.add_days(-1))
    }
}

/// Resolve `spec` on `today`. Periods that start after today are refused; a period that ends
/// after today ends today (with `clamped` set), since no cost exists for the future.
pub fn resolve(spec: &PeriodSpec, today: Date) -> Result<(Resolved, bool), Error> {
    let future = |start: Date, what: String| -> Result<(), Error> {
        if start > today {
            return Err(Error::usage(format!("{what} is in the future: today is {today} (UTC)"))
                .with_hint("costs exist up to today; --as-of DATE computes periods from another day"));
        }
        Ok(())
    };
    let (period, month_to_date, whole_months) = match *spec {
        PeriodSpec::ThisMonth => (Period::new(today.first_of_month(), today), true, false),
        PeriodSpec::Month(first) => {
            future(first, format!("--month {}", first.month_text()))?;
            if first == today.first_of_month() {
                (Period::new(first, today), true, false)
            } else {
                (Period::new(first, first.last_of_month()), false, true)
            }
        }
        PeriodSpec::LastMonth => {
            let first = today.add_months(-1);
            (Period::new(first, first.last_of_month()), false, true)
        }
        PeriodSpec::Range(from, to) => {
            if from > to {
                return Err(Error::usage(format!("--from {from} is after --to {to}"))
                    .with_hint("both dates are inclusive: --from 2026-09-01 --to 2026-09-30 is September"));
            }
            future(from, format!("--from {from}"))?;
            let whole = from == from.first_of_month() && to == to.last_of_month();
            (Period::new(from, to), false, whole && to <= today)
        }
        PeriodSpec::Days(n) => {
            if n == 0 {
                return Err(Error::usage("--days needs at least 1"));
            }
            let n = i32::try_from(n).unwrap_or(i32::MAX).min(10_000);
            (Period::new(today.add_days(-n), today.add_days(-1)), false, false)
        }
    };
    let clamped = period.end > today;
    let period = Period::new(period.start, period.end.min(today));
    Ok((Resolved { period, month_to_date, whole_months: whole_months && !clamped }, clamped))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn p(a: &str, b: &str) -> Period {
        Period::new(d(a), d(b))
    }

    fn at(spec: &PeriodSpec, today: &str) -> Resolved {
        resolve(spec, d(today)).unwrap().0
    }

    #[test]
    fn this_month_is_to_date_and_compares_with_the_same_days_of_the_month_before() {
        let r = at(&PeriodSpec::ThisMonth, "2026-03-30");
        assert_eq!(r.period, p("2026-03-01", "2026-03-30"));
        assert!(r.month_to_date);
        // February has no 30th: the previous period ends with February.
        assert_eq!(r.previous(), p("2026-02-01", "2026-02-28"));
        let leap = at(&PeriodSpec::ThisMonth, "2024-03-29");
        assert_eq!(leap.previous(), p("2024-02-01", "2024-02-29"));
        assert_eq!(at(&PeriodSpec::ThisMonth, "2026-11-14").previous(), p("2026-10-01", "2026-10-14"));
    }

    #[test]
    fn the_first_day_of_a_month_is_a_one_day_period() {
        let r = at(&PeriodSpec::ThisMonth, "2026-12-01");
        assert_eq!(r.period, p("2026-12-01", "2026-12-01"));
        assert_eq!(r.period.end_exclusive(), d("2026-12-02"));
        assert_eq!(r.previous(), p("2026-11-01", "2026-11-01"));
    }

    #[test]
    fn named_and_last_months_are_whole_months() {
        assert_eq!(at(&PeriodSpec::LastMonth, "2024-03-01").period, p("2024-02-01", "2024-02-29"));
        assert_eq!(at(&PeriodSpec::LastMonth, "2026-01-15").period, p("2025-12-01", "2025-12-31"));
        let feb = at(&PeriodSpec::Month(d("2024-02-01")), "2026-11-27");
        assert_eq!(feb.period, p("2024-02-01", "2024-02-29"));
        assert_eq!(feb.period.end_exclusive(), d("2024-03-01"), "Cost Explorer's end is the next day");
        assert_eq!(feb.previous(), p("2024-01-01", "2024-01-31"));
        assert_eq!(at(&PeriodSpec::Month(d("2024-03-01")), "2026-11-27").previous(), p("2024-02-01", "2024-02-29"));
        // The current month named is the month to date.
        assert_eq!(at(&PeriodSpec::Month(d("2026-11-01")), "2026-11-27").period, p("2026-11-01", "2026-11-27"));
    }

    #[test]
    fn ranges_are_inclusive_and_days_end_yesterday() {
        let r = at(&PeriodSpec::Range(d("2024-02-28"), d("2024-03-01")), "2026-11-27");
        assert_eq!(r.period.days(), 3, "28 and 29 February and 1 March");
        assert_eq!(r.previous(), p("2024-02-25", "2024-02-27"));
        let r = at(&PeriodSpec::Days(7), "2026-03-02");
        assert_eq!(r.period, p("2026-02-23", "2026-03-01"));
        assert_eq!(r.previous(), p("2026-02-16", "2026-02-22"));
        let whole = at(&PeriodSpec::Range(d("2026-01-01"), d("2026-02-28")), "2026-11-27");
        assert_eq!(whole.previous(), p("2025-12-01", "2025-12-31"), "whole months compare with the month before");
    }

    #[test]
    fn the_future_is_refused_and_a_period_running_past_today_ends_today() {
        let err = resolve(&PeriodSpec::Month(d("2027-01-01")), d("2026-11-27")).unwrap_err();
        assert_eq!(err.exit(), opskit::Exit::Usage);
        assert!(err.to_string().contains("--month 2027-01 is in the future: today is 2026-11-27"), "{err}");
        assert!(resolve(&PeriodSpec::Range(d("2026-11-28"), d("2026-12-01")), d("2026-11-27")).is_err());
        let (r, clamped) = resolve(&PeriodSpec::Range(d("2026-11-01"), d("2026-11-30")), d("2026-11-27")).unwrap();
        assert!(clamped);
        assert_eq!(r.period, p("2026-11-01", "2026-11-27"));
        assert!(resolve(&PeriodSpec::Range(d("2026-02-02"), d("2026-02-01")), d("2026-11-27")).is_err());
        assert!(resolve(&PeriodSpec::Days(0), d("2026-11-27")).is_err());
    }

    #[test]
    fn buckets_split_at_month_ends() {
        let period = p("2024-01-30", "2024-03-02");
        let months = period.buckets(Granularity::Monthly);
        assert_eq!(
            months,
            vec![p("2024-01-30", "2024-01-31"), p("2024-02-01", "2024-02-29"), p("2024-03-01", "2024-03-02")]
        );
        assert_eq!(period.buckets(Granularity::Daily).len(), 33);
        assert_eq!(period.buckets(Granularity::Period), vec![period]);
        assert_eq!(period.bucket_of(Granularity::Monthly, d("2024-02-29")), p("2024-02-01", "2024-02-29"));
        assert_eq!(period.bucket_of(Granularity::Monthly, d("2024-01-31")), p("2024-01-30", "2024-01-31"));
    }
}
