//! Line items into sums: each reader (CSV, Parquet) hands every line item to a [`Tally`] as a
//! [`Row`]; the tally applies the [`Plan`] (period, charge, cost, group) and adds the cost
//! exactly into its group. One tally per thread; tallies merge at the end.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use super::detect::{Amortized, CostExpr, Needed, Plan, Source};
use crate::money::{Amount, AmountError, Sum};
use crate::query::{Amounts, Charge, CostQuery, CostRow, Date, Granularity, Period};

/// One line item, as a reader sees it. Slots are the plan's.
pub trait Row {
    /// The text of a slot; `None` when the value is null (an empty CSV field, an unquoted
    /// `NULL`, a Parquet null).
    fn text(&self, slot: usize) -> Option<&[u8]>;
    /// A slot read as an amount.
    fn amount(&self, slot: usize) -> Result<Option<Amount>, AmountError>;
    /// A slot read as a day; `Err` when it is not one.
    fn day(&self, slot: usize) -> Result<Option<Date>, ()>;
    /// A key of a map slot (a JSON object in CSV; a map in Parquet).
    fn map_get(&self, slot: usize, keys: &[String]) -> Result<Option<Cow<'_, [u8]>>, String>;
}

/// Why a line item could not be counted; the reader adds the file, line and column.
#[derive(Debug)]
pub struct RowError {
    pub slot: Option<usize>,
    pub message: String,
}

impl RowError {
    fn at(slot: usize, message: impl Into<String>) -> RowError {
        RowError { slot: Some(slot), message: message.into() }
    }
}

/// What decides whether and where a line item counts.
#[derive(Clone, Debug)]
pub struct Filter {
    pub period: Option<Period>,
    pub granularity: Granularity,
    pub exclude: [bool; 4],
    /// Only line items of these environments (the `env` dimension's index and its values).
    pub envs: Option<(usize, FxHashSet<Vec<u8>>)>,
}

impl Filter {
    pub fn new(query: &CostQuery) -> Filter {
        let mut exclude = [false; 4];
        for charge in &query.exclude {
            exclude[*charge as usize] = true;
        }
        let envs = query.envs.as_ref().and_then(|names| {
            let set = names.iter().map(|n| n.as_bytes().to_vec()).collect();
            query.env_dimension().map(|i| (i, set))
        });
        Filter { period: query.period.map(|r| r.period), granularity: query.granularity, exclude, envs }
    }

    /// The key of the bucket `day` falls in.
    pub fn bucket_key(&self, day: Date) -> i32 {
        match self.granularity {
            Granularity::Period => 0,
            Granularity::Daily => day.days(),
            Granularity::Monthly => day.first_of_month().days(),
        }
    }

    /// The bucket a key stands for, within the period (or the data's span, with none given).
    fn bucket(&self, key: i32, span: Period) -> Period {
        let whole = self.period.unwrap_or(span);
        match self.granularity {
            Granularity::Period => whole,
            Granularity::Daily => Period::new(Date::from_days(key), Date::from_days(key)),
            Granularity::Monthly => {
                let first = Date::from_days(key);
                match self.period {
                    Some(p) => p.bucket_of(Granularity::Monthly, first.max(p.start)),
                    None => Period::new(first, first.last_of_month()),
                }
            }
        }
    }
}

/// A group's sums, by [`Charge`].
pub type Sums = [Sum; 4];

#[derive(Clone, Debug, Default)]
struct Acc {
    sums: Sums,
}

/// Sums by group, for one thread.
#[derive(Default)]
pub struct Tally {
    groups: FxHashMap<Box<[u8]>, Acc>,
    key: Vec<u8>,
    /// The first and last day counted.
    pub span: Option<(Date, Date)>,
    /// The first and last day of every line item read, in the period or not.
    pub seen: Option<(Date, Date)>,
    /// Line items seen in the period (counted or not).
    pub line_items: u64,
    /// Per dimension: whether any line item had a value (a tag no line item has is reported).
    pub found: Vec<bool>,
    /// The last date text parsed, and its day: exports are mostly in time order.
    last_date: Vec<u8>,
    last_day: Option<Date>,
    values: Vec<Vec<u8>>,
}

impl Tally {
    pub fn new(dims: usize) -> Tally {
        Tally { found: vec![false; dims], values: vec![Vec::new(); dims], ..Tally::default() }
    }

    /// Count one line item.
    pub fn add<R: Row>(&mut self, row: &R, plan: &Plan, filter: &Filter) -> Result<(), RowError> {
        let day = self.day(row, plan.date)?;
        self.seen = Some(widen(self.seen, day, day));
        if let Some(period) = filter.period
            && !period.contains(day)
        {
            return Ok(());
        }
        self.line_items += 1;
        let kind = plan.charge.and_then(|slot| row.text(slot));
        let charge = plan.shape.charge(kind);
        if filter.exclude[charge as usize] {
            return Ok(());
        }
        let amount = cost(row, &plan.cost, kind)?;
        for (i, sources) in plan.dims.iter().enumerate() {
            let value = dimension(row, sources)?;
            self.values[i].clear();
            if let Some(v) = value {
                self.values[i].extend_from_slice(&v);
                self.found[i] |= !v.is_empty();
            }
        }
        if let Some((dim, names)) = &filter.envs
            && !names.contains(&self.values[*dim])
        {
            return Ok(());
        }
        self.span = Some(widen(self.span, day, day));
        let currency = plan.currency.and_then(|slot| row.text(slot)).unwrap_or(b"");
        make_key(&mut self.key, filter.bucket_key(day), currency, self.values.iter().map(Vec::as_slice));
        let acc = match self.groups.get_mut(self.key.as_slice()) {
            Some(acc) => acc,
            None => self.groups.entry(self.key.as_slice().into()).or_default(),
        };
        if let Some(amount) = amount {
            acc.sums[charge as usize].add(amount);
        }
        Ok(())
    }

    /// Add the sums of a group a reader counted its own way (by dictionary keys, say).
    pub fn add_sums<'v>(&mut self, bucket: i32, currency: &[u8], values: impl Iterator<Item = &'v [u8]>, sums: &Sums) {
        make_key(&mut self.key, bucket, currency, values);
        let acc = self.groups.entry(self.key.as_slice().into()).or_default();
        for (a, b) in acc.sums.iter_mut().zip(sums) {
            a.merge(b);
        }
    }

    /// A reader's own count of the days it read (`seen`) and of those it counted (`span`).
    pub fn add_days(&mut self, seen: Option<(Date, Date)>, counted: Option<(Date, Date)>) {
        if let Some((a, b)) = seen {
            self.seen = Some(widen(self.seen, a, b));
        }
        if let Some((a, b)) = counted {
            self.span = Some(widen(self.span, a, b));
        }
    }

    fn day<R: Row>(&mut self, row: &R, slot: usize) -> Result<Date, RowError> {
        let text = row.text(slot);
        if let (Some(text), Some(day)) = (text, self.last_day)
            && text.len() >= 10
            && text[..10] == self.last_date[..]
        {
            return Ok(day);
        }
        match row.day(slot) {
            Ok(Some(day)) => {
                if let Some(text) = text.filter(|t| t.len() >= 10) {
                    self.last_date.clear();
                    self.last_date.extend_from_slice(&text[..10]);
                    self.last_day = Some(day);
                }
                Ok(day)
            }
            Ok(None) => Err(RowError::at(slot, "no date: every line item needs its usage start date")),
            Err(()) => {
                let shown = text.map(|t| String::from_utf8_lossy(t).into_owned()).unwrap_or_default();
                Err(RowError::at(slot, format!("`{shown}` is not a date (expected YYYY-MM-DD…)")))
            }
        }
    }

    pub fn merge(&mut self, other: Tally) {
        for (key, acc) in other.groups {
            let mine = self.groups.entry(key).or_default();
            for (a, b) in mine.sums.iter_mut().zip(&acc.sums) {
                a.merge(b);
            }
        }
        if let Some((a, b)) = other.span {
            self.span = Some(widen(self.span, a, b));
        }
        if let Some((a, b)) = other.seen {
            self.seen = Some(widen(self.seen, a, b));
        }
        self.line_items += other.line_items;
        for (a, b) in self.found.iter_mut().zip(other.found) {
            *a |= b;
        }
    }

    /// The rows, bucketed; an overflowing sum is an error naming its group.
    pub fn into_rows(self, filter: &Filter) -> Result<Vec<CostRow>, opskit::Error> {
        let span = self.span.map_or_else(
            || filter.period.unwrap_or(Period::new(Date::from_days(0), Date::from_days(0))),
            |(a, b)| Period::new(a, b),
        );
        let mut rows = Vec::with_capacity(self.groups.len());
        for (key, acc) in self.groups {
            let (bucket, currency, group) = decode(&key);
            let mut amounts = Amounts::default();
            for charge in Charge::ALL {
                let total = acc.sums[charge as usize].amount().and_then(Amount::to_decimal).ok_or_else(|| {
                    opskit::Error::data(format!("the sum for {} is too large to hold exactly", group.join(", ")))
                })?;
                amounts.add_to(charge, total);
            }
            rows.push(CostRow { bucket: filter.bucket(bucket, span), group, currency, amounts, estimated: false });
        }
        Ok(rows)
    }
}

pub fn widen(span: Option<(Date, Date)>, first: Date, last: Date) -> (Date, Date) {
    match span {
        None => (first, last),
        Some((a, b)) => (a.min(first), b.max(last)),
    }
}

/// A group's key: its bucket, currency and dimension values, each part length-prefixed.
fn make_key<'v>(key: &mut Vec<u8>, bucket: i32, currency: &[u8], values: impl Iterator<Item = &'v [u8]>) {
    key.clear();
    key.extend_from_slice(&bucket.to_le_bytes());
    push_part(key, currency);
    for value in values {
        push_part(key, value);
    }
}

fn push_part(key: &mut Vec<u8>, part: &[u8]) {
    key.extend_from_slice(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_le_bytes());
    key.extend_from_slice(part);
}

fn decode(key: &[u8]) -> (i32, String, Vec<String>) {
    let bucket = i32::from_le_bytes(key[..4].try_into().unwrap_or_default());
    let mut parts = Vec::new();
    let mut rest = &key[4..];
    while rest.len() >= 4 {
        let len = u32::from_le_bytes(rest[..4].try_into().unwrap_or_default()) as usize;
        parts.push(String::from_utf8_lossy(&rest[4..4 + len]).into_owned());
        rest = &rest[4 + len..];
    }
    let currency = if parts.is_empty() { String::new() } else { parts.remove(0) };
    (bucket, currency, parts)
}

fn dimension<'r, R: Row>(row: &'r R, sources: &[Source]) -> Result<Option<Cow<'r, [u8]>>, RowError> {
    for source in sources {
        let value = match source {
            Source::Column(slot) => row.text(*slot).map(Cow::Borrowed),
            Source::MapKey { slot, keys } => row.map_get(*slot, keys).map_err(|m| RowError::at(*slot, m))?,
        };
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

fn amount_at<R: Row>(row: &R, slot: usize) -> Result<Option<Amount>, RowError> {
    row.amount(slot).map_err(|e| {
        let shown = row.text(slot).map(|t| String::from_utf8_lossy(t).into_owned()).unwrap_or_default();
        match e {
            AmountError::NotANumber => RowError::at(slot, format!("`{shown}` is not a number")),
            AmountError::TooLarge => RowError::at(slot, format!("`{shown}` is too large an amount")),
        }
    })
}

fn cost<R: Row>(row: &R, expr: &CostExpr, kind: Option<&[u8]>) -> Result<Option<Amount>, RowError> {
    match expr {
        CostExpr::Column(slot) => amount_at(row, *slot),
        CostExpr::Amortized(a) => amortized(row, a, kind.unwrap_or(b"")),
    }
}

/// Cost Explorer's amortized cost of one CUR line item (the formula of AWS's CUR query
/// library): covered usage at its Savings Plan or reservation effective cost, the unused part of
/// commitments and reservation fees, zero for what those already spread.
fn amortized<R: Row>(row: &R, a: &Amortized, kind: &[u8]) -> Result<Option<Amount>, RowError> {
    let needed = |n: &Needed| -> Result<Option<Amount>, RowError> {
        match n {
            Needed::Slot(slot) => amount_at(row, *slot),
            Needed::Missing(name) => Err(RowError {
                slot: None,
                message: format!(
                    "a `{}` line item needs the column `{name}` for amortized cost, and the file has none",
                    String::from_utf8_lossy(kind)
                ),
            }),
        }
    };
    let zero = Amount::ZERO;
    let overflow = || RowError { slot: None, message: "an amount too large to hold exactly".into() };
    match kind {
        b"SavingsPlanCoveredUsage" => needed(&a.sp_effective),
        b"SavingsPlanRecurringFee" => {
            let total = needed(&a.sp_total_commitment)?.unwrap_or(zero);
            let used = needed(&a.sp_used_commitment)?.unwrap_or(zero);
            total.checked_sub(used).map(Some).ok_or_else(overflow)
        }
        b"SavingsPlanNegation" | b"SavingsPlanUpfrontFee" => Ok(Some(zero)),
        b"DiscountedUsage" => needed(&a.ri_effective),
        b"RIFee" => {
            let upfront = needed(&a.ri_unused_upfront)?.unwrap_or(zero);
            let recurring = needed(&a.ri_unused_recurring)?.unwrap_or(zero);
            upfront.checked_add(recurring).map(Some).ok_or_else(overflow)
        }
        b"Fee" if a.ri_arn.and_then(|s| row.text(s)).is_some_and(|arn| !arn.is_empty()) => Ok(Some(zero)),
        _ => needed(&a.usage),
    }
}

/// A value from a flat JSON object (`{"user_env": "prod", "team": "a, \"b\""}`): the first of
/// `keys` (in their order) that the object has. Strings are unescaped; other scalars keep
/// their JSON text; `null` is no value.
pub fn json_get<'a>(text: &'a [u8], keys: &[String]) -> Result<Option<Cow<'a, [u8]>>, String> {
    let mut p = JsonScan { b: text, i: 0 };
    p.ws();
    if p.i == p.b.len() {
        return Ok(None);
    }
    if !p.eat(b'{') {
        return Err("not a JSON object of tags".into());
    }
    let mut best: Option<(usize, Cow<'a, [u8]>)> = None;
    p.ws();
    if p.eat(b'}') {
        return Ok(None);
    }
    loop {
        p.ws();
        let key = p.string()?;
        p.ws();
        if !p.eat(b':') {
            return Err("malformed JSON tags: expected `:`".into());
        }
        p.ws();
        let value = p.value()?;
        if let Some(rank) = keys.iter().position(|k| k.as_bytes() == &*key)
            && best.as_ref().is_none_or(|(r, _)| rank < *r)
        {
            best = value.map(|v| (rank, v));
            if rank == 0 {
                break;
            }
        }
        p.ws();
        if p.eat(b',') {
            continue;
        }
        if p.eat(b'}') {
            break;
        }
        return Err("malformed JSON tags: expected `,` or `}`".into());
    }
    Ok(best.map(|(_, v)| v))
}

struct JsonScan<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> JsonScan<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn string(&mut self) -> Result<Cow<'a, [u8]>, String> {
        if !self.eat(b'"') {
            return Err("malformed JSON tags: expected a string".into());
        }
        let start = self.i;
        let Some(end) = memchr::memchr2(b'"', b'\\', &self.b[start..]).map(|n| start + n) else {
            return Err("malformed JSON tags: unterminated string".into());
        };
        if self.b[end] == b'"' {
            self.i = end + 1;
            return Ok(Cow::Borrowed(&self.b[start..end]));
        }
        let mut out = self.b[start..end].to_vec();
        self.i = end;
        loop {
            let Some(&c) = self.b.get(self.i) else { return Err("malformed JSON tags: unterminated string".into()) };
            self.i += 1;
            match c {
                b'"' => return Ok(Cow::Owned(out)),
                b'\\' => {
                    let Some(&e) = self.b.get(self.i) else { return Err("malformed JSON tags: bad escape".into()) };
                    self.i += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code) && self.b[self.i..].starts_with(b"\\u") {
                                self.i += 2;
                                let low = self.hex4()?;
                                code = 0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
                            }
                            let ch = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                            out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        _ => return Err("malformed JSON tags: bad escape".into()),
                    }
                }
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.b.get(self.i..self.i + 4).ok_or("malformed JSON tags: bad \\u escape")?;
        self.i += 4;
        let text = std::str::from_utf8(digits).map_err(|_| "malformed JSON tags: bad \\u escape")?;
        u32::from_str_radix(text, 16).map_err(|_| "malformed JSON tags: bad \\u escape".into())
    }

    /// A value: a string (unescaped), a scalar (its text), `null` (none); nested values are
    /// skipped (none).
    fn value(&mut self) -> Result<Option<Cow<'a, [u8]>>, String> {
        match self.b.get(self.i) {
            Some(b'"') => self.string().map(Some),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                while let Some(&c) = self.b.get(self.i) {
                    match c {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Ok(None);
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
                Err("malformed JSON tags: unterminated value".into())
            }
            Some(_) => {
                let start = self.i;
                while self.i < self.b.len()
                    && !matches!(self.b[self.i], b',' | b'}' | b']')
                    && !self.b[self.i].is_ascii_whitespace()
                {
                    self.i += 1;
                }
                let text = &self.b[start..self.i];
                if text.is_empty() {
                    return Err("malformed JSON tags: expected a value".into());
                }
                Ok((text != b"null").then_some(Cow::Borrowed(text)))
            }
            None => Err("malformed JSON tags: expected a value".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| (*s).to_owned()).collect()
    }

    fn get(text: &str, k: &[&str]) -> Option<String> {
        json_get(text.as_bytes(), &keys(k)).unwrap().map(|v| String::from_utf8(v.into_owned()).unwrap())
    }

    #[test]
    fn json_tags() {
        let tags = r#"{"application": "BrightLensMatrix", "environment": "dev", "team": "a, \"b\" \u00e9"}"#;
        assert_eq!(get(tags, &["environment"]).as_deref(), Some("dev"));
        assert_eq!(get(tags, &["team"]).as_deref(), Some("a, \"b\" é"));
        assert_eq!(get(tags, &["nope"]), None);
        assert_eq!(get(r#"{"user:env":"prod","env":"dev"}"#, &["env", "user:env"]).as_deref(), Some("dev"));
        assert_eq!(get(r#"{"user:env":"prod"}"#, &["env", "user:env"]).as_deref(), Some("prod"));
        assert_eq!(get(r#"{"n": 42, "x": null, "o": {"a": [1, "}"]}, "k": "v"}"#, &["n"]).as_deref(), Some("42"));
        assert_eq!(get(r#"{"x": null}"#, &["x"]), None);
        assert_eq!(get(r#"{"o": {"a": [1, "}"]}, "k": "v"}"#, &["k"]).as_deref(), Some("v"));
        assert_eq!(get("", &["x"]), None);
        assert_eq!(get("{}", &["x"]), None);
        assert!(json_get(b"{\"a\" \"b\"}", &keys(&["a"])).is_err());
        assert!(json_get(b"[1]", &keys(&["a"])).is_err());
        assert!(json_get(b"{\"a\": \"b", &keys(&["a"])).is_err());
    }

    #[test]
    fn keys_round_trip() {
        let mut key = 7i32.to_le_bytes().to_vec();
        for part in ["USD", "Amazon S3", "", "a\u{1f}b"] {
            push_part(&mut key, part.as_bytes());
        }
        assert_eq!(decode(&key), (7, "USD".into(), vec!["Amazon S3".into(), String::new(), "a\u{1f}b".into()]));
    }
}
