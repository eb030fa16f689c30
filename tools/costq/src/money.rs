//! Money: exact decimals from the text a source wrote (`0.0000008`, `1.2E-7`, `-12.50`), summed
//! exactly, and printed as JSON numbers with the source's precision — never through a float.
//!
//! [`Amount`] is the hot-path type (an `i128` mantissa and a scale, parsed straight from bytes
//! and added without allocation); [`Money`] is what records carry ([`rust_decimal::Decimal`],
//! serialized as a JSON number written from its text).

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// The largest scale kept (as `rust_decimal` holds): digits beyond 10⁻²⁸ are rounded away.
pub const MAX_SCALE: u32 = 28;

/// An exact decimal: `mantissa × 10^-scale`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Amount {
    mantissa: i128,
    scale: u32,
}

/// Why a text is not an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    NotANumber,
    TooLarge,
}

const POW10: [i128; 39] = {
    let mut table = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

impl Amount {
    pub const ZERO: Amount = Amount { mantissa: 0, scale: 0 };

    /// Parse a decimal as exports write them: optional sign, digits, optional fraction,
    /// optional exponent (`1.2E-7`); spaces around are allowed. `Ok(None)` for an empty field.
    pub fn parse(text: &[u8]) -> Result<Option<Amount>, AmountError> {
        let text = text.trim_ascii();
        if text.is_empty() {
            return Ok(None);
        }
        let (negative, rest) = match text[0] {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let mut mantissa: i128 = 0;
        let mut digits = 0u32;
        let mut frac = 0u32;
        let mut seen_point = false;
        let mut i = 0;
        while i < rest.len() {
            let c = rest[i];
            match c {
                b'0'..=b'9' => {
                    if mantissa == 0 && c == b'0' {
                        // Leading zeros carry no precision, only scale.
                    } else {
                        digits += 1;
                        if digits > 38 {
                            return Err(AmountError::TooLarge);
                        }
                    }
                    mantissa = mantissa * 10 + i128::from(c - b'0');
                    if seen_point {
                        frac += 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                b'e' | b'E' => break,
                _ => return Err(AmountError::NotANumber),
            }
            i += 1;
        }
        let had_digits = rest[..i].iter().any(u8::is_ascii_digit);
        if !had_digits {
            return Err(AmountError::NotANumber);
        }
        let mut exponent: i64 = 0;
        if i < rest.len() {
            let exp = &rest[i + 1..];
            let (exp_negative, exp_digits) = match exp.first() {
                Some(b'-') => (true, &exp[1..]),
                Some(b'+') => (false, &exp[1..]),
                _ => (false, exp),
            };
            if exp_digits.is_empty() || exp_digits.len() > 4 || !exp_digits.iter().all(u8::is_ascii_digit) {
                return Err(AmountError::NotANumber);
            }
            exponent = exp_digits.iter().fold(0i64, |n, c| n * 10 + i64::from(c - b'0'));
            if exp_negative {
                exponent = -exponent;
            }
        }
        let mut scale = i64::from(frac) - exponent;
        if scale < 0 {
            let up = u32::try_from(-scale).map_err(|_| AmountError::TooLarge)?;
            mantissa = mantissa
                .checked_mul(*POW10.get(up as usize).ok_or(AmountError::TooLarge)?)
                .ok_or(AmountError::TooLarge)?;
            scale = 0;
        }
        let mut amount = Amount { mantissa: if negative { -mantissa } else { mantissa }, scale: 0 };
        let scale = u32::try_from(scale).map_err(|_| AmountError::TooLarge)?;
        if scale > MAX_SCALE {
            amount.mantissa = div_round(amount.mantissa, scale - MAX_SCALE);
            amount.scale = MAX_SCALE;
        } else {
            amount.scale = scale;
        }
        Ok(Some(amount))
    }

    /// The shortest decimal that reads back as `value` (how Parquet exports' doubles were
    /// meant), exactly.
    pub fn from_f64(value: f64) -> Result<Amount, AmountError> {
        if !value.is_finite() {
            return Err(AmountError::NotANumber);
        }
        if let Some(mantissa) = ten_decimals(value) {
            let zeros = trailing_zeros(mantissa);
            return Ok(Amount { mantissa: i128::from(mantissa) / POW10[zeros as usize], scale: 10 - zeros });
        }
        let mut buffer = ryu::Buffer::new();
        let text = buffer.format_finite(value);
        // ryu writes whole numbers as `5.0`: the `.0` is not a digit the source had.
        let text = text.strip_suffix(".0").unwrap_or(text);
        Amount::parse(text.as_bytes()).map(Option::unwrap_or_default)
    }

    pub fn from_i128_scale(mantissa: i128, scale: u32) -> Amount {
        if scale > MAX_SCALE {
            Amount { mantissa: div_round(mantissa, scale - MAX_SCALE), scale: MAX_SCALE }
        } else {
            Amount { mantissa, scale }
        }
    }

    fn rescaled(self, scale: u32) -> Option<i128> {
        debug_assert!(scale >= self.scale);
        self.mantissa.checked_mul(POW10[(scale - self.scale) as usize])
    }

    /// `self + other`, exactly (`None` past 38 digits).
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        if self.scale == other.scale {
            return Some(Amount { mantissa: self.mantissa.checked_add(other.mantissa)?, scale: self.scale });
        }
        let scale = self.scale.max(other.scale);
        Some(Amount { mantissa: self.rescaled(scale)?.checked_add(other.rescaled(scale)?)?, scale })
    }

    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        self.checked_add(Amount { mantissa: other.mantissa.checked_neg()?, scale: other.scale })
    }

    /// As a `Decimal` (96-bit mantissa): digits past its range are rounded off the scale.
    pub fn to_decimal(self) -> Option<Decimal> {
        let (mut mantissa, mut scale) = (self.mantissa, self.scale);
        loop {
            if let Ok(d) = Decimal::try_from_i128_with_scale(mantissa, scale) {
                return Some(d);
            }
            if scale == 0 {
                return None;
            }
            mantissa = div_round(mantissa, 1);
            scale -= 1;
        }
    }
}

/// `m / 10^places`, rounded half away from zero.
fn div_round(m: i128, places: u32) -> i128 {
    let divisor = POW10[places.min(38) as usize];
    let (q, r) = (m / divisor, m % divisor);
    if r.abs() * 2 >= divisor { q + m.signum() } else { q }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_decimal() {
            Some(d) => write!(f, "{d}"),
            None => write!(f, "{}e-{}", self.mantissa, self.scale),
        }
    }
}

/// 5^k's inverse modulo 2⁶⁴, and `u64::MAX / 5^k`, for k ≤ 10: `m` is a multiple of 5^k exactly
/// when `m × inverse ≤ MAX / 5^k` (Granlund and Montgomery's test).
const INVERSE_POW5: [u64; 11] = {
    let mut table = [1u64; 11];
    let (mut k, mut d) = (0, 1u64);
    while k < 11 {
        // Newton's iteration doubles the correct low bits each step: 3 → 6 → … → 96 ≥ 64.
        let mut x = d;
        let mut i = 0;
        while i < 5 {
            x = x.wrapping_mul(2u64.wrapping_sub(d.wrapping_mul(x)));
            i += 1;
        }
        table[k] = x;
        k += 1;
        d *= 5;
    }
    table
};
const MAX_OVER_POW5: [u64; 11] = {
    let mut table = [u64::MAX; 11];
    let (mut k, mut d) = (0, 1u64);
    while k < 11 {
        table[k] = u64::MAX / d;
        k += 1;
        d *= 5;
    }
    table
};

/// Whether `magnitude` is a multiple of 10^k (k ≤ 10): of 2^k (its trailing bits) and of 5^k
/// (times the inverse, no more than MAX / 5^k), with no division and no branch on `k`.
#[inline]
fn multiple_of_pow10(magnitude: u64, k: u32) -> bool {
    (magnitude.trailing_zeros() >= k) & (magnitude.wrapping_mul(INVERSE_POW5[k as usize]) <= MAX_OVER_POW5[k as usize])
}

/// A double as `mantissa × 10⁻¹⁰`, when a decimal of at most ten places reads back as it (as
/// exports write costs): then that decimal, without its trailing zeros, is the shortest that
/// does. Exact: `mantissa / 10¹⁰` has both operands exact and IEEE division correctly rounded,
/// and below 10¹⁵ (ulp ≤ ¼) the product's rounding cannot pick the wrong integer.
#[inline]
pub fn ten_decimals(value: f64) -> Option<i64> {
    const TEN_DECIMALS: f64 = 1e10;
    let scaled = value * TEN_DECIMALS;
    // NaN and infinities fail this too.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    if !(scaled.abs() < 1.0e15) {
        return None;
    }
    // Round half away from zero, without a branch on the sign; `scaled ± 0.5` is exact below 2⁵⁰.
    #[allow(clippy::cast_possible_truncation)]
    let mantissa = (scaled + 0.5f64.copysign(scaled)) as i64;
    #[allow(clippy::cast_precision_loss)]
    let back = mantissa as f64 / TEN_DECIMALS;
    (back.to_bits() == value.to_bits()).then_some(mantissa)
}

/// How many of a ten-decimal mantissa's places are trailing zeros (ten for zero).
fn trailing_zeros(mantissa: i64) -> u32 {
    let mut zeros = 0;
    while zeros < 10 && multiple_of_pow10(mantissa.unsigned_abs(), zeros + 1) {
        zeros += 1;
    }
    zeros
}

/// A sum of [`ten_decimals`] mantissas: one integer addition each. Its scale is the largest its
/// addends had, as [`Sum`]'s is.
#[derive(Clone, Copy, Debug)]
pub struct TenDecimalSum {
    total: i128,
    /// The fewest trailing zeros among the addends (ten before any).
    zeros: u32,
}

impl Default for TenDecimalSum {
    fn default() -> TenDecimalSum {
        TenDecimalSum { total: 0, zeros: 10 }
    }
}

impl TenDecimalSum {
    #[inline]
    pub fn add(&mut self, mantissa: i64) {
        self.total += i128::from(mantissa);
        let keeps = multiple_of_pow10(mantissa.unsigned_abs(), self.zeros);
        if !keeps {
            self.zeros = trailing_zeros(mantissa).min(self.zeros);
        }
    }

    /// The sum, at the largest scale an addend had (zero at scale 0 before any).
    pub fn amount(self) -> Amount {
        Amount { mantissa: self.total / POW10[self.zeros as usize], scale: 10 - self.zeros }
    }
}

/// A sum that cannot overflow silently: the first overflow is remembered and reported.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sum {
    total: Amount,
    overflowed: bool,
}

impl Sum {
    pub fn add(&mut self, amount: Amount) {
        match self.total.checked_add(amount) {
            Some(t) => self.total = t,
            None => self.overflowed = true,
        }
    }

    pub fn merge(&mut self, other: &Sum) {
        self.overflowed |= other.overflowed;
        self.add(other.total);
    }

    pub fn amount(&self) -> Option<Amount> {
        (!self.overflowed).then_some(self.total)
    }
}

/// An amount in a record: a JSON number written from the exact decimal's text (the scale kept:
/// `12.3400000000` stays as the source wrote it; no exponent, no float noise).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn new(d: Decimal) -> Money {
        // -0 prints as 0.
        if d.is_zero() { Money(Decimal::new(0, d.scale())) } else { Money(d) }
    }

    /// Rounded to cents, keeping two decimals (`7` → `7.00`).
    #[must_use]
    pub fn round_cents(self) -> Money {
        let mut d = self.0.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        d.rescale(2);
        Money::new(d)
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Rounded to cents with two decimals, as tables show money (`1234.50`).
    pub fn cents(self) -> String {
        self.round_cents().to_string()
    }

    /// Sum of several, exactly (`None` past `Decimal`'s range).
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money::new)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money::new)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // serde_json's arbitrary_precision keeps a Number's text as written.
        let number: serde_json::Number = self.0.to_string().parse().map_err(serde::ser::Error::custom)?;
        number.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str) -> Amount {
        Amount::parse(text.as_bytes()).unwrap().unwrap()
    }

    #[test]
    fn parses_what_exports_write() {
        assert_eq!(a("0.0000008").to_string(), "0.0000008");
        assert_eq!(a("1.2E-7").to_string(), "0.00000012");
        assert_eq!(a("1.5e3").to_string(), "1500");
        assert_eq!(a("-12.50").to_string(), "-12.50");
        assert_eq!(a("+3").to_string(), "3");
        assert_eq!(a(" 4.25 ").to_string(), "4.25");
        assert_eq!(a(".5").to_string(), "0.5");
        assert_eq!(a("7.").to_string(), "7");
        assert_eq!(Amount::parse(b""), Ok(None));
        for bad in ["abc", "1.2.3", "-", "1e", "1e+", "1,5", "$1", "NaN", "1e99999", "."] {
            assert!(Amount::parse(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn sums_exactly_where_floats_drift() {
        let mut sum = Sum::default();
        for _ in 0..10 {
            sum.add(a("0.1"));
        }
        sum.add(a("0.2"));
        assert_eq!(sum.amount().unwrap().to_string(), "1.2");
        let mut sum = Sum::default();
        sum.add(a("0.0000000001"));
        sum.add(a("1e10"));
        sum.add(a("-3.25"));
        assert_eq!(sum.amount().unwrap().to_string(), "9999999996.7500000001");
        assert_eq!(a("5").checked_sub(a("0.25")).unwrap().to_string(), "4.75");
    }

    #[test]
    fn doubles_become_their_shortest_decimal() {
        // The fast path agrees with the shortest representation (ryu) on money-like values.
        let mut state = 88_172_645_463_325_252u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let decimals = u32::try_from(state % 11).unwrap();
            let units = i64::try_from(state % 100_000_000_000).unwrap() - 50_000_000_000;
            let text = format!("{units}e-{decimals}");
            let value: f64 = text.parse().unwrap();
            let shortest = ryu::Buffer::new().format_finite(value).to_owned();
            let expected = Amount::parse(shortest.trim_end_matches(".0").as_bytes()).unwrap().unwrap();
            let got = Amount::from_f64(value).unwrap();
            assert_eq!(got.to_decimal(), expected.to_decimal(), "{value}");
        }
        assert_eq!(Amount::from_f64(0.1).unwrap().to_string(), "0.1");
        assert_eq!(Amount::from_f64(1e-20).unwrap().to_string(), "0.00000000000000000001");
        assert_eq!(Amount::from_f64(1.5e300), Err(AmountError::TooLarge));
        assert_eq!(Amount::from_f64(1.2e-7).unwrap().to_string(), "0.00000012");
        assert_eq!(Amount::from_f64(-5.0).unwrap().to_string(), "-5");
        assert!(Amount::from_f64(f64::NAN).is_err());
    }

    #[test]
    fn a_ten_decimal_sum_equals_the_sum_of_shortest_decimals_scale_and_all() {
        let mut state = 7_215_004_219_838_712_941u64;
        for group in 0..2_000 {
            let (mut fast, mut exact) = (TenDecimalSum::default(), Sum::default());
            // Few decimals in some groups, up to ten in others, so the scale differs by group.
            let most = u32::try_from(group % 11).unwrap();
            for _ in 0..group % 50 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let decimals = u32::try_from(state % u64::from(most + 1)).unwrap();
                let bound = 10i64.pow(decimals + 4);
                let units = i64::try_from(state % u64::try_from(2 * bound).unwrap()).unwrap() - bound;
                let value: f64 = format!("{units}e-{decimals}").parse().unwrap();
                let mantissa = ten_decimals(value).expect("at most ten decimals below 10⁵");
                fast.add(mantissa);
                exact.add(Amount::from_f64(value).unwrap());
            }
            assert_eq!(fast.amount(), exact.amount().unwrap(), "group {group}");
        }
        assert_eq!(ten_decimals(0.1), Some(1_000_000_000));
        assert_eq!(ten_decimals(-2.5), Some(-25_000_000_000));
        assert_eq!(ten_decimals(1e-11), None, "eleven places");
        assert_eq!(ten_decimals(1e200), None);
        assert_eq!(ten_decimals(f64::NAN), None);
        assert_eq!(TenDecimalSum::default().amount(), Amount::ZERO);
        for k in 0..=10u32 {
            let step = 10u64.pow(k);
            for m in (0..3_000u64).chain([step - 1, step, step + 1, 7 * step, 7 * step + step / 2, u64::MAX / 10 * 10])
            {
                assert_eq!(multiple_of_pow10(m, k), m % step == 0, "{m} and 10^{k}");
            }
        }
    }

    #[test]
    fn money_prints_as_a_json_number_with_its_scale() {
        let m = Money::new(a("12.3400000000").to_decimal().unwrap());
        assert_eq!(serde_json::to_string(&m).unwrap(), "12.3400000000");
        let v = serde_json::to_value(m).unwrap();
        assert_eq!(v.to_string(), "12.3400000000");
        assert_eq!(m.cents(), "12.34");
        assert_eq!(Money::new(a("-0.004").to_decimal().unwrap()).cents(), "0.00");
        assert_eq!(Money::new(a("2.345").to_decimal().unwrap()).cents(), "2.35");
        assert_eq!(serde_json::to_string(&Money::new(a("-0.00").to_decimal().unwrap())).unwrap(), "0.00");
    }

    #[test]
    fn scale_past_28_is_rounded() {
        assert_eq!(a("1e-30").to_string(), "0.0000000000000000000000000000");
        assert_eq!(a("1.5e-28").to_string(), "0.0000000000000000000000000002");
    }
}
