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

use self::fakes::{Digest, Keyed};
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
        // Checked the quick way first: nearly every value is valid UTF-8.
        let text = std::str::from_utf8(value).map_or_else(|_| String::from_utf8_lossy(value), Cow::Borrowed);
        let digest = |kind: &str| {
            // An email is the same person whatever its case and surrounding spaces.
            if kind == "email" && (text.trim().len() != text.len() || text.chars().any(char::is_uppercase)) {
                self.key.digest(kind, text.trim().to_lowercase().as_bytes())
            } else {
                self.key.digest(kind, value)
            }
        };
        let (start, max) = (out.len(), column.max_len);
        match &column.transform {
            Transform::Keep => out.push_str(&text),
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
                ColumnKind::Integer | ColumnKind::Decimal => fakes::hash_number(&digest("hash"), out),
                _ => fakes::hash_text(&digest("hash"), max, out),
            },
            Transform::Email => fakes::email(&digest("email"), max, out),
            Transform::Name => self.unique_text(column, &digest("name"), fakes::full_name, out),
            Transform::FirstName => self.unique_text(column, &digest("first_name"), fakes::first_name, out),
            Transform::LastName => self.unique_text(column, &digest("last_name"), fakes::last_name, out),
            Transform::Phone => fakes::phone(&digest("phone"), &text, out),
            Transform::Address => self.unique_text(column, &digest("address"), fakes::address, out),
            Transform::DateShift { days } => fakes::date_shift(&digest("date_shift"), &text, *days, out),
            Transform::Mask { first, last } => fakes::mask(&text, *first, *last, out),
            Transform::Constant { value } => {
                out.push_str(value);
                fakes::fit(out, start, max);
            }
            Transform::Uuid => fakes::uuid(&digest("uuid"), out),
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

/// Stream `input` through `filter` into `out`, line by line, with flat memory (one line at a
/// time, however long). `stop` sees the counts after each line and says whether to give up (an
/// interrupt); it may show progress.
pub fn stream(
    input: &mut impl BufRead,
    out: &mut dyn Write,
    filter: &mut dyn LineFilter,
    stats: &mut Stats,
    stop: &dyn Fn(&Stats) -> bool,
) -> io::Result<()> {
    let mut line = Vec::with_capacity(64 * 1024);
    let mut counted = CountingWriter { inner: out, count: 0 };
    loop {
        line.clear();
        let n = input.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        stats.bytes_in += n as u64;
        filter.line(&line, &mut counted, stats)?;
        stats.bytes_out = counted.count;
        if stop(stats) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
    }
    stats.bytes_out = counted.count;
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
