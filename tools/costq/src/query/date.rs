//! Calendar dates (UTC, proleptic Gregorian) as days since 1970-01-01: what billing periods,
//! buckets and line items are counted in. Small on purpose: parsing, months, and the arithmetic
//! periods need (month ends, leap days), with no time zones to get wrong.

use std::fmt;

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// From a year, month (1-12) and day, when that day exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) || !(1..=9999).contains(&year) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    pub fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Date(i32::try_from(secs.div_euclid(86_400)).unwrap_or(i32::MAX))
    }

    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    pub fn year(self) -> i32 {
        self.ymd().0
    }

    pub fn month(self) -> u32 {
        self.ymd().1
    }

    #[must_use]
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0 + n)
    }

    /// The first day of this date's month.
    #[must_use]
    pub fn first_of_month(self) -> Date {
        let (y, m, _) = self.ymd();
        Date(days_from_civil(y, m, 1))
    }

    /// The last day of this date's month.
    #[must_use]
    pub fn last_of_month(self) -> Date {
        let (y, m, _) = self.ymd();
        Date(days_from_civil(y, m, days_in_month(y, m)))
    }

    /// The first day of the month `n` months after this date's (`n` may be negative).
    #[must_use]
    pub fn add_months(self, n: i32) -> Date {
        let (y, m, _) = self.ymd();
        let index = y * 12 + i32::try_from(m).unwrap_or(1) - 1 + n;
        let (year, month) = (index.div_euclid(12), u32::try_from(index.rem_euclid(12)).unwrap_or(0) + 1);
        Date(days_from_civil(year, month, 1))
    }

    /// `YYYY-MM-DD`, also the first ten characters of an RFC 3339 timestamp
    /// (`2024-09-18T22:00:00Z`, `2024-09-18 22:00:00`).
    pub fn parse(text: &str) -> Option<Date> {
        Date::parse_bytes(text.as_bytes())
    }

    pub fn parse_bytes(b: &[u8]) -> Option<Date> {
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || (b.len() > 10 && !matches!(b[10], b'T' | b' ' | b't')) {
            return None;
        }
        let year = digits(&b[0..4])?;
        let month = digits(&b[5..7])?;
        let day = digits(&b[8..10])?;
        Date::from_ymd(i32::try_from(year).ok()?, month, day)
    }

    /// `YYYY-MM`: the first day of that month.
    pub fn parse_month(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 7 || b[4] != b'-' {
            return None;
        }
        Date::from_ymd(i32::try_from(digits(&b[0..4])?).ok()?, digits(&b[5..7])?, 1)
    }

    /// `YYYY-MM` of this date.
    pub fn month_text(self) -> String {
        let (y, m, _) = self.ymd();
        format!("{y:04}-{m:02}")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's algorithms (days_from_civil / civil_from_days), exact for every
// proleptic Gregorian date.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let m = i32::try_from(m).unwrap_or(1);
    let d = i32::try_from(d).unwrap_or(1);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (y, u32::try_from(m).unwrap_or(1), u32::try_from(d).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn round_trips_every_day_for_four_centuries() {
        let start = d("1900-01-01");
        for n in 0..146_097 {
            let day = start.add_days(n);
            let (y, m, dd) = day.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(day));
        }
        assert_eq!(d("1970-01-01").days(), 0);
    }

    #[test]
    fn leap_days_and_month_ends() {
        assert_eq!(Date::from_ymd(2024, 2, 29).map(|x| x.to_string()).as_deref(), Some("2024-02-29"));
        assert_eq!(Date::from_ymd(2023, 2, 29), None);
        assert_eq!(Date::from_ymd(1900, 2, 29), None, "1900 is not a leap year");
        assert!(Date::from_ymd(2000, 2, 29).is_some(), "2000 is");
        assert_eq!(d("2024-02-10").last_of_month(), d("2024-02-29"));
        assert_eq!(d("2023-02-10").last_of_month(), d("2023-02-28"));
        assert_eq!(d("2024-12-31").add_days(1), d("2025-01-01"));
        assert_eq!(d("2024-03-31").add_months(-1), d("2024-02-01"));
        assert_eq!(d("2024-01-15").add_months(-1), d("2023-12-01"));
        assert_eq!(d("2024-11-30").add_months(2), d("2025-01-01"));
    }

    #[test]
    fn parses_dates_timestamps_and_months() {
        assert_eq!(d("2023-11-01T00:00:00.000Z"), d("2023-11-01"));
        assert_eq!(d("2024-09-18 22:00:00"), d("2024-09-18"));
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::parse("2024-02-30"), None);
        assert_eq!(Date::parse("2024-1-01"), None);
        assert_eq!(Date::parse("2024-01-01x"), None);
        assert_eq!(Date::parse_month("2026-09"), Some(d("2026-09-01")));
        assert_eq!(Date::parse_month("2026-9"), None);
        assert_eq!(d("2026-09-14").month_text(), "2026-09");
    }
}
