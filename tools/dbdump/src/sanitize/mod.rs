//! Sanitising a dump as it streams: the rules (which column gets which fake), the fakes
//! themselves, what looks personal, and the two engines' stream formats.

pub mod detect;
pub mod fakes;
pub mod mysqlinsert;
pub mod pgcopy;
pub mod rules;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

use self::fakes::{Digest, Keyed, Kind};
use self::rules::{Rules, Transform};
use crate::engine::{Catalog, ColumnKind};
use crate::source::Engine;

/// What a stream filter counts.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Rows per table.
    pub rows: BTreeMap<String, u64>,
    /// Bytes the dump tool wrote.
    pub bytes_in: u64,
    /// Bytes after sanitising.
    pub bytes_out: u64,
}

/// How one column of a table is rewritten.
#[derive(Clone, Debug)]
pub struct ColumnPlan {
    pub transform: Transform,
    pub kind: ColumnKind,
    pub max_len: Option<usize>,
    pub unique: bool,
}

/// How a table's rows are rewritten: a plan per column position (`None`: untouched).
#[derive(Clone, Debug)]
pub struct TablePlan {
    columns: Vec<Option<ColumnPlan>>,
}

impl TablePlan {
    pub fn column(&self, index: usize) -> Option<&ColumnPlan> {
        self.columns.get(index).and_then(Option::as_ref)
    }

    /// The position of the last column that changes (a plan changes at least one).
    pub fn last_changed(&self) -> usize {
        self.columns.iter().rposition(Option::is_some).unwrap_or(0)
    }
}

/// The rules and the key, ready to rewrite values.
pub struct Sanitizer {
    pub rules: Rules,
    pub catalog: Catalog,
    key: Keyed,
}

impl Sanitizer {
    pub fn new(rules: Rules, catalog: Catalog, key: &[u8]) -> Sanitizer {
        Sanitizer { rules, catalog, key: Keyed::new(key) }
    }

    pub fn key_fingerprint(&self) -> String {
        self.key.fingerprint()
    }

    /// The plan for `table` whose rows carry `columns` in this order; `None` when no column of
    /// it changes.
    pub fn plan(&self, table: &str, columns: &[String]) -> Option<TablePlan> {
        let rules = self.rules.tables.get(table)?;
        let live = self.catalog.table(table);
        let columns: Vec<Option<ColumnPlan>> = columns
            .iter()
            .map(|name| {
                let transform = rules.columns.get(name)?;
                if *transform == Transform::Keep {
                    return None;
                }
                let column = live.and_then(|t| t.column(name));
                Some(ColumnPlan {
                    transform: transform.clone(),
                    kind: column.map_or(ColumnKind::Text, |c| c.kind),
                    max_len: column.and_then(|c| c.max_len),
                    unique: column.is_some_and(|c| c.unique),
                })
            })
            .collect();
        columns.iter().any(Option::is_some).then_some(TablePlan { columns })
    }

    /// The fake for one value, appended to `out`; `false` for NULL (nothing appended). Fakes
    /// fit the column's type and length, and a unique column keeps distinct values distinct.
    pub fn apply(&self, column: &ColumnPlan, value: Option<&[u8]>, out: &mut String) -> bool {
        let Some(value) = value else { return false };
        // Only the fakes that keep part of the value read it as text: the others hash its bytes.
        let text = || std::str::from_utf8(value).map_or_else(|_| String::from_utf8_lossy(value), Cow::Borrowed);
        let digest = |kind| self.key.digest(kind, value);
        let (start, max) = (out.len(), column.max_len);
        match &column.transform {
            Transform::Keep => out.push_str(&text()),
            Transform::Null => return false,
            Transform::Redact => match column.kind {
                ColumnKind::Json => out.push_str("{}"),
                ColumnKind::Binary => {}
                _ => {
                    out.push_str("REDACTED");
                    fakes::fit(out, start, max);
                }
            },
            Transform::Hash => match column.kind {
                ColumnKind::Integer | ColumnKind::Decimal => fakes::hash_number(&digest(Kind::Hash), out),
                _ => fakes::hash_text(&digest(Kind::Hash), max, out),
            },
            Transform::Email => fakes::email(&email_digest(&self.key, value), max, out),
            Transform::Name => self.unique_text(column, &digest(Kind::Name), fakes::full_name, out),
            Transform::FirstName => self.unique_text(column, &digest(Kind::FirstName), fakes::first_name, out),
            Transform::LastName => self.unique_text(column, &digest(Kind::LastName), fakes::last_name, out),
            Transform::Phone => fakes::phone(&digest(Kind::Phone), &text(), out),
            Transform::Address => self.unique_text(column, &digest(Kind::Address), fakes::address, out),
            Transform::DateShift { days } => fakes::date_shift(&digest(Kind::DateShift), &text(), *days, out),
            Transform::Mask { first, last } => fakes::mask(&text(), *first, *last, out),
            Transform::Constant { value } => {
                out.push_str(value);
                fakes::fit(out, start, max);
            }
            Transform::Uuid => fakes::uuid(&digest(Kind::Uuid), out),
        }
        true
    }

    /// A fake drawn from a small list, made distinct for a unique column by a digest suffix
    /// (kept whole when the column is too short for both: the readable part goes first).
    fn unique_text(&self, column: &ColumnPlan, digest: &Digest, make: fn(&Digest, &mut String), out: &mut String) {
        let _ = self;
        let start = out.len();
        make(digest, out);
        if column.unique {
            // 48 bits no list fake draws from.
            let suffix = &digest[10..16];
            if column.max_len.is_some_and(|m| out[start..].chars().count() + 1 + 2 * suffix.len() > m) {
                out.truncate(start);
            } else {
                out.push(' ');
            }
            fakes::push_hex(suffix, out);
        }
        fakes::fit(out, start, column.max_len);
    }
}

/// An email's digest: the same person whatever the address's case and surrounding spaces.
fn email_digest(key: &Keyed, value: &[u8]) -> Digest {
    // The quick check first: nearly every address is ASCII, lowercase and trimmed already.
    // (`str::trim`'s ASCII spaces are `is_ascii_whitespace`'s and the vertical tab.)
    let space = |b: &u8| b.is_ascii_whitespace() || *b == 0x0b;
    let plain = value.is_ascii()
        && !value.iter().any(u8::is_ascii_uppercase)
        && !value.first().is_some_and(space)
        && !value.last().is_some_and(space);
    if plain {
        return key.digest(Kind::Email, value);
    }
    let text = String::from_utf8_lossy(value);
    if text.trim().len() != text.len() || text.chars().any(char::is_uppercase) {
        key.digest(Kind::Email, text.trim().to_lowercase().as_bytes())
    } else {
        key.digest(Kind::Email, value)
    }
}

/// One engine's dump format, a line at a time.
pub trait LineFilter {
    fn line(&mut self, line: &[u8], out: &mut dyn Write, stats: &mut Stats) -> io::Result<()>;
}

/// The filter for an engine's dump format (with no sanitizer it only counts rows).
pub fn filter_for(engine: Engine, sanitizer: Option<&Sanitizer>) -> Box<dyn LineFilter + '_> {
    match engine {
        Engine::Postgres => Box::new(pgcopy::PgFilter::new(sanitizer)),
        Engine::Mysql => Box::new(mysqlinsert::MysqlFilter::new(sanitizer)),
    }
}

/// Stream `input` through `filter` into `out`, line by line, with flat memory (one read
/// buffer, and one line where a line is longer than what is left of it). Lines are handed on
/// where they lie in the read buffer; only a line cut by the buffer's end is gathered. `stop`
/// sees the counts after each read and says whether to give up (an interrupt); it may show
/// progress.
pub fn stream(
    input: &mut impl BufRead,
    out: &mut dyn Write,
    filter: &mut dyn LineFilter,
    stats: &mut Stats,
    stop: &dyn Fn(&Stats) -> bool,
) -> io::Result<()> {
    let mut counted = CountingWriter { inner: out, count: 0 };
    let mut line = |line: &[u8], stats: &mut Stats| {
        stats.bytes_in += line.len() as u64;
        let written = filter.line(line, &mut counted, stats);
        stats.bytes_out = counted.count;
        written
    };
    // The start of a line the last read cut.
    let mut cut = Vec::new();
    loop {
        let read = input.fill_buf()?;
        if read.is_empty() {
            break;
        }
        let len = read.len();
        let mut rest = read;
        if !cut.is_empty() {
            let Some(end) = memchr::memchr(b'\n', rest) else {
                cut.extend_from_slice(rest);
                input.consume(len);
                continue;
            };
            cut.extend_from_slice(&rest[..=end]);
            line(&cut, stats)?;
            cut.clear();
            rest = &rest[end + 1..];
        }
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', rest) {
            line(&rest[start..=end], stats)?;
            start = end + 1;
        }
        cut.extend_from_slice(&rest[start..]);
        input.consume(len);
        if stop(stats) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
    }
    if !cut.is_empty() {
        line(&cut, stats)?;
    }
    Ok(())
}

struct CountingWriter<'a> {
    inner: &'a mut dyn Write,
    count: u64,
}

impl Write for CountingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines as the filter was handed them.
    struct Lines(Vec<Vec<u8>>);

    impl LineFilter for Lines {
        fn line(&mut self, line: &[u8], out: &mut dyn Write, _: &mut Stats) -> io::Result<()> {
            self.0.push(line.to_vec());
            out.write_all(line)
        }
    }

    #[test]
    fn lines_are_whole_wherever_the_reads_cut_them() {
        let text = b"COPY t (a) FROM stdin;\none\n\nthree\tlong enough to cross reads\n\\.\nno newline at the end";
        let expected: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
        for capacity in [1, 2, 3, 7, 16, 64, 1 << 20] {
            let mut input = io::BufReader::with_capacity(capacity, &text[..]);
            let (mut lines, mut out, mut stats) = (Lines(Vec::new()), Vec::new(), Stats::default());
            stream(&mut input, &mut out, &mut lines, &mut stats, &|_| false).unwrap();
            assert_eq!(lines.0, expected, "reads of {capacity} bytes");
            assert_eq!(
                (out.as_slice(), stats.bytes_in, stats.bytes_out),
                (&text[..], text.len() as u64, text.len() as u64)
            );
        }
        let mut input = io::BufReader::with_capacity(4, &text[..]);
        let stopped = stream(&mut input, &mut Vec::new(), &mut Lines(Vec::new()), &mut Stats::default(), &|_| true);
        assert_eq!(stopped.unwrap_err().kind(), io::ErrorKind::Interrupted);
    }

    #[test]
    fn an_email_is_the_same_person_whatever_its_case_and_spaces() {
        let key = Keyed::new(b"test key");
        let person = email_digest(&key, b"ada@example.org");
        for same in [
            "Ada@Example.org",
            " ada@example.org",
            "ada@example.org\t",
            "\x0bADA@EXAMPLE.ORG\r\n",
            "\u{a0}ada@example.org\u{2003}",
        ] {
            assert_eq!(email_digest(&key, same.as_bytes()), person, "{same:?}");
        }
        for other in ["ada@example.com", "ada@example.org.", "\x1cada@example.org", "ädä@example.org"] {
            assert_ne!(email_digest(&key, other.as_bytes()), person, "{other:?}");
        }
        // Not UTF-8: the bytes as they are (or, with capitals, lowercased as text).
        assert_eq!(email_digest(&key, b"ada\xff@example.org"), key.digest(Kind::Email, b"ada\xff@example.org"));
        assert_eq!(
            email_digest(&key, b"ADA\xff@example.org"),
            email_digest(&key, "ada\u{fffd}@example.org".as_bytes())
        );
    }
}
