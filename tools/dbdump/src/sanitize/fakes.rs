//! Deterministic fakes. Every fake is drawn from a keyed pseudorandom function of the real value
//! (and the kind of fake), so the same person gets the same fake email in every table and in
//! both engines, joins and unique constraints survive, and nobody without the key can go back.

use std::hash::Hasher as _;

use siphasher::sip128::{Hasher128 as _, SipHasher24};

/// What a fake is drawn from: 128 pseudorandom bits of one value.
pub type Digest = [u8; 16];

/// What a digest is drawn for. Each kind's digests are unrelated to the others' (a value's
/// email fake says nothing about its name fake): the kind's name and a 0 byte go before the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Hash,
    Email,
    Name,
    FirstName,
    LastName,
    Phone,
    Address,
    DateShift,
    Uuid,
}

impl Kind {
    const ALL: [Kind; 9] = [
        Kind::Hash,
        Kind::Email,
        Kind::Name,
        Kind::FirstName,
        Kind::LastName,
        Kind::Phone,
        Kind::Address,
        Kind::DateShift,
        Kind::Uuid,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Hash => "hash",
            Kind::Email => "email",
            Kind::Name => "name",
            Kind::FirstName => "first_name",
            Kind::LastName => "last_name",
            Kind::Phone => "phone",
            Kind::Address => "address",
            Kind::DateShift => "date_shift",
            Kind::Uuid => "uuid",
        }
    }
}

/// The sanitising key, as the 128-bit key of SipHash-2-4 (with its 128-bit output): a keyed
/// function made for short inputs, about a quarter of the cost of HMAC-SHA256 at these lengths
/// (a dump draws one for every sanitised value, millions of them).
#[derive(Clone)]
pub struct Keyed {
    k0: u64,
    k1: u64,
    /// For each kind, the hash state with its prefix already absorbed: a digest only adds the value.
    prefixed: [SipHasher24; Kind::ALL.len()],
}

impl Keyed {
    /// The SipHash key is derived from `key` of any length by SHA-256, domain-separated.
    pub fn new(key: &[u8]) -> Keyed {
        use sha2::Digest as _;
        let mut hasher = sha2::Sha256::new();
        hasher.update(b"opskit dbdump fakes\0");
        hasher.update(key);
        let k = hasher.finalize();
        let word = |at: usize| u64::from_le_bytes(k[at..at + 8].try_into().expect("8 bytes"));
        let (k0, k1) = (word(0), word(8));
        let prefixed = Kind::ALL.map(|kind| prefixed(k0, k1, kind.name()));
        Keyed { k0, k1, prefixed }
    }

    /// 16 bytes drawn from `value` for the fake `kind`.
    pub fn digest(&self, kind: Kind, value: &[u8]) -> Digest {
        debug_assert_eq!(Kind::ALL[kind as usize], kind);
        let mut h = self.prefixed[kind as usize];
        h.write(value);
        h.finish128().as_bytes()
    }

    /// A key's fingerprint, safe to record: two dumps with the same fingerprint share fakes.
    pub fn fingerprint(&self) -> String {
        let mut h = prefixed(self.k0, self.k1, "fingerprint");
        h.write(b"opskit dbdump");
        hex::encode(&h.finish128().as_bytes()[..8])
    }
}

/// The hash state after a kind's prefix.
fn prefixed(k0: u64, k1: u64, kind: &str) -> SipHasher24 {
    let mut h = SipHasher24::new_with_keys(k0, k1);
    h.write(kind.as_bytes());
    h.write(&[0]);
    h
}

const FIRST: [&str; 64] = [
    "Ada", "Alan", "Alice", "Amara", "Anton", "Aria", "Ben", "Bianca", "Carlos", "Chen", "Chloe", "Dana", "David",
    "Diego", "Elena", "Emil", "Erin", "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jade", "Jonas",
    "Julia", "Kai", "Kenji", "Lara", "Leo", "Lina", "Luca", "Maya", "Milo", "Nadia", "Noah", "Nora", "Omar", "Olga",
    "Paul", "Priya", "Quinn", "Rafael", "Rosa", "Sami", "Sara", "Sofia", "Tariq", "Tess", "Theo", "Uma", "Victor",
    "Vera", "Wen", "Will", "Xena", "Yara", "Yusuf", "Zoe", "Zane", "Iris", "Oscar", "Mira",
];
const LAST: [&str; 64] = [
    "Abbott",
    "Adeyemi",
    "Alvarez",
    "Bauer",
    "Becker",
    "Brooks",
    "Castro",
    "Chowdhury",
    "Cohen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Fontaine",
    "Garcia",
    "Gupta",
    "Hansen",
    "Haddad",
    "Ito",
    "Jansen",
    "Kaur",
    "Keller",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lee",
    "Lopez",
    "Martin",
    "Meyer",
    "Moreau",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Park",
    "Patel",
    "Petrov",
    "Quinn",
    "Rossi",
    "Russo",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith",
    "Tanaka",
    "Taylor",
    "Torres",
    "Usman",
    "Varga",
    "Vogel",
    "Wagner",
    "Walker",
    "Weber",
    "Wong",
    "Yamada",
    "Young",
    "Zhang",
    "Ziegler",
    "Mbeki",
    "Novotny",
    "Ortega",
    "Reyes",
    "Sousa",
];
const STREETS: [&str; 32] = [
    "Oak", "Maple", "Cedar", "Elm", "Pine", "Birch", "Willow", "Aspen", "Harbor", "Lake", "Hill", "River", "Park",
    "Meadow", "Forest", "Spring", "Sunset", "Ridge", "Valley", "Mill", "Church", "Market", "Station", "Garden",
    "Orchard", "Bridge", "Castle", "Chapel", "Quarry", "Rose", "Summit", "Union",
];
const SUFFIXES: [&str; 4] = ["St", "Ave", "Rd", "Ln"];
const CITIES: [&str; 32] = [
    "Springfield",
    "Riverton",
    "Fairview",
    "Greenville",
    "Kingston",
    "Lakeside",
    "Milford",
    "Newport",
    "Oakridge",
    "Pinehurst",
    "Redwood",
    "Salem",
    "Ashford",
    "Brookfield",
    "Clayton",
    "Dover",
    "Easton",
    "Franklin",
    "Georgetown",
    "Hillsboro",
    "Jackson",
    "Lincoln",
    "Madison",
    "Marion",
    "Norwood",
    "Oxford",
    "Preston",
    "Rockport",
    "Shelby",
    "Trenton",
    "Westfield",
    "Yorktown",
];

fn pick<'a>(list: &[&'a str], byte: u8) -> &'a str {
    list[usize::from(byte) % list.len()]
}

// Every fake is appended to `out`: a dump makes millions of them, so none allocates its own.

/// Cut what was appended to `out` since `start` to at most `max` characters.
pub fn fit(out: &mut String, start: usize, max: Option<usize>) {
    if let Some(max) = max
        && out.len() - start > max
        && let Some((cut, _)) = out[start..].char_indices().nth(max)
    {
        out.truncate(start + cut);
    }
}

pub fn first_name(d: &Digest, out: &mut String) {
    out.push_str(pick(&FIRST, d[0]));
}

pub fn last_name(d: &Digest, out: &mut String) {
    out.push_str(pick(&LAST, d[1]));
}

pub fn full_name(d: &Digest, out: &mut String) {
    first_name(d, out);
    out.push(' ');
    last_name(d, out);
}

/// Lowercase hex of `bytes`, appended.
pub fn push_hex(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
}

/// `ada.lee.3f9a2c81d0@example.com`: 40 bits of the digest keep distinct inputs distinct. Too
/// long for the column, the readable part goes first.
pub fn email(d: &Digest, max: Option<usize>, out: &mut String) {
    let start = out.len();
    out.push_str(pick(&FIRST, d[0]));
    out.push('.');
    out.push_str(pick(&LAST, d[1]));
    out[start..].make_ascii_lowercase();
    out.push('.');
    push_hex(&d[2..7], out);
    out.push_str("@example.com");
    if max.is_some_and(|m| out.len() - start > m) {
        out.truncate(start);
        push_hex(&d[2..10], out);
        out.push_str("@example.com");
        fit(out, start, max);
    }
}

/// The value's own shape with every digit replaced: `+1 (555) 010-4477` stays that long and
/// punctuated.
pub fn phone(d: &Digest, original: &str, out: &mut String) {
    // A leading `+CC ` (the country code, then a separator) stays, so fakes dial like the
    // originals; every other digit is drawn.
    let code = original.strip_prefix('+').map_or(0, |rest| 1 + rest.bytes().take_while(u8::is_ascii_digit).count());
    let (kept, original) = if code > 1 && code < original.len() { original.split_at(code) } else { ("", original) };
    out.push_str(kept);
    let mut n = 0usize;
    out.extend(original.chars().map(|c| {
        if c.is_ascii_digit() {
            let digit = char::from(b'0' + d[n % d.len()] % 10);
            n += 1;
            digit
        } else {
            c
        }
    }));
}

pub fn address(d: &Digest, out: &mut String) {
    push_number(u32::from(u16::from_le_bytes([d[3], d[4]]) % 9000 + 100), 1, out);
    for (separator, part) in [(" ", pick(&STREETS, d[5])), (" ", pick(&SUFFIXES, d[6])), (", ", pick(&CITIES, d[7]))] {
        out.push_str(separator);
        out.push_str(part);
    }
}

/// `n` in decimal, zero-padded to at least `width` (at most 10) digits, appended (without `fmt`'s
/// machinery: a dump formats millions of these).
fn push_number(mut n: u32, width: usize, out: &mut String) {
    let mut digits = [b'0'; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + u8::try_from(n % 10).expect("a digit");
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let from = at.min(digits.len().saturating_sub(width));
    out.push_str(std::str::from_utf8(&digits[from..]).expect("ASCII digits"));
}

/// 32 hex characters (128 bits), cut to fit.
pub fn hash_text(d: &Digest, max: Option<usize>, out: &mut String) {
    let start = out.len();
    push_hex(d, out);
    fit(out, start, max);
}

/// A number from the digest for an integer column (fits a 32-bit signed integer).
pub fn hash_number(d: &Digest, out: &mut String) {
    push_number(u32::from_le_bytes([d[0], d[1], d[2], d[3]]) % 1_000_000_000, 1, out);
}

/// A version 4 UUID's layout, drawn from the digest.
pub fn uuid(d: &Digest, out: &mut String) {
    let mut b = *d;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    for (i, range) in [0..4, 4..6, 6..8, 8..10, 10..16].into_iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        push_hex(&b[range], out);
    }
}

/// Keep the first `first` and last `last` characters, `*` between.
pub fn mask(value: &str, first: usize, last: usize, out: &mut String) {
    let n = value.chars().count();
    out.extend(value.chars().enumerate().map(|(i, c)| if i < first || i + last >= n { c } else { '*' }));
}

/// The date (`YYYY-MM-DD…`) moved by up to `days` either way, the rest of the value (a time, a
/// zone) kept; anything else (`infinity`) unchanged.
pub fn date_shift(d: &Digest, value: &str, days: u32, out: &mut String) {
    use std::fmt::Write as _;
    let Some((y, m, day, rest)) = parse_date(value) else {
        out.push_str(value);
        return;
    };
    let (y, m, day) = shifted(d, (y, m, day), days);
    match u32::try_from(y) {
        Ok(y) => push_number(y, 4, out),
        Err(_) => {
            let _ = write!(out, "{y:04}");
        }
    }
    for (n, separator) in [(m, "-"), (day, "-")] {
        out.push_str(separator);
        push_number(n, 2, out);
    }
    out.push_str(rest);
}

/// A civil date moved by the digest's offset, up to `days` either way.
fn shifted(d: &Digest, (y, m, day): (i64, u32, u32), days: u32) -> (i64, u32, u32) {
    let span = i64::from(days) * 2 + 1;
    let offset = i64::from(u32::from_le_bytes([d[8], d[9], d[10], d[11]])) % span - i64::from(days);
    civil_from_days(days_from_civil(y, m, day) + offset)
}

fn parse_date(value: &str) -> Option<(i64, u32, u32, &str)> {
    let bytes = value.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let y: i64 = value.get(..4)?.parse().ok()?;
    let m: u32 = value.get(5..7)?.parse().ok()?;
    let d: u32 = value.get(8..10)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d, &value[10..]))
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).expect("1..=31");
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).expect("1..=12");
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(value: &str) -> Digest {
        Keyed::new(b"test key").digest(Kind::Hash, value.as_bytes())
    }

    /// A fake made into a new string.
    fn made(f: impl FnOnce(&mut String)) -> String {
        let mut out = String::from("prefix:");
        f(&mut out);
        out.strip_prefix("prefix:").expect("appended after what was there").to_owned()
    }

    #[test]
    fn a_digest_is_siphash_of_the_kind_a_zero_and_the_value() {
        // What every earlier dump's fakes were drawn from: the prefix's state, computed once,
        // must not change them.
        let key = Keyed::new(b"test key");
        for kind in Kind::ALL {
            for value in [&b""[..], b"a", b"ada@example.org", b"a value longer than two SipHash blocks"] {
                let mut h = SipHasher24::new_with_keys(key.k0, key.k1);
                h.write(kind.name().as_bytes());
                h.write(&[0]);
                h.write(value);
                assert_eq!(key.digest(kind, value), h.finish128().as_bytes(), "{kind:?} {value:?}");
            }
        }
    }

    #[test]
    fn fakes_are_deterministic_and_keyed() {
        let email_of = |v: &str| made(|o| email(&d(v), None, o));
        assert_eq!(email_of("a@x.org"), email_of("a@x.org"));
        assert_ne!(email_of("a@x.org"), email_of("b@x.org"));
        let other = Keyed::new(b"other key").digest(Kind::Hash, b"a@x.org");
        assert_ne!(email_of("a@x.org"), made(|o| email(&other, None, o)));
        assert!(email_of("a@x.org").ends_with("@example.com"));
        assert!(made(|o| email(&d("a@x.org"), Some(20), o)).len() <= 20);
        assert_eq!(made(|o| hash_text(&d("x"), Some(11), o)).len(), 11);
    }

    #[test]
    fn shapes_are_kept() {
        let p = made(|o| phone(&d("+1 (555) 010-4477"), "+1 (555) 010-4477", o));
        assert_eq!(p.len(), "+1 (555) 010-4477".len());
        assert_eq!(p.chars().filter(char::is_ascii_digit).count(), 11);
        assert!(p.starts_with("+1 (") && &p[4..] != "555) 010-4477", "the country code stays, the rest is drawn: {p}");
        assert!(made(|o| phone(&d("+44 20 7946 0958"), "+44 20 7946 0958", o)).starts_with("+44 "));
        let bare = made(|o| phone(&d("+12025550123"), "+12025550123", o));
        assert!(bare.starts_with('+') && bare != "+12025550123", "no separator: every digit drawn: {bare}");
        assert_eq!(made(|o| mask("4111111111111111", 0, 4, o)), "************1111");
        assert_eq!(made(|o| mask("ab", 2, 4, o)), "ab");
        let u = made(|o| uuid(&d("x"), o));
        assert_eq!((u.len(), &u[14..15], &u[8..9]), (36, "4", "-"));
    }

    #[test]
    fn numbers_are_padded_like_format() {
        for (n, width) in [(0, 1), (7, 2), (12, 2), (123, 2), (5, 4), (2024, 4), (u32::MAX, 1), (42, 10)] {
            assert_eq!(made(|o| push_number(n, width, o)), format!("{n:0width$}"));
        }
        // Dates as `format!` writes them, years before 0 and after 9999 included.
        let mut outside = Vec::new();
        let early = (1..=28).map(|day| (format!("0001-01-{day:02}"), 50_000));
        let others = [("0001-01-01T00:00", 5000), ("9999-12-31", 900_000), ("1999-06-01", 1)];
        for (value, days) in early.chain(others.map(|(v, days)| (v.to_owned(), days))) {
            let value = value.as_str();
            let digest = d(value);
            let (y, m, day, rest) = parse_date(value).unwrap();
            let (y, m, day) = shifted(&digest, (y, m, day), days);
            let shifted = made(|o| date_shift(&digest, value, days, o));
            assert_eq!(shifted, format!("{y:04}-{m:02}-{day:02}{rest}"));
            outside.push(shifted);
        }
        assert!(
            outside.iter().any(|s| s.starts_with('-')) && outside.iter().any(|s| s.find('-') == Some(5)),
            "{outside:?}"
        );
    }

    #[test]
    fn dates_shift_within_the_window_keeping_the_rest() {
        for value in ["2024-02-29", "1999-12-31 23:59:59+00", "2000-01-01"] {
            let shifted = made(|o| date_shift(&d(value), value, 30, o));
            assert_eq!(shifted.len(), value.len());
            assert_eq!(&shifted[10..], &value[10..]);
            let (y, m, dd, _) = parse_date(value).unwrap();
            let (y2, m2, d2, _) = parse_date(&shifted).unwrap();
            assert!((days_from_civil(y, m, dd) - days_from_civil(y2, m2, d2)).abs() <= 30);
        }
        assert_eq!(made(|o| date_shift(&d("infinity"), "infinity", 30, o)), "infinity");
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }
}
