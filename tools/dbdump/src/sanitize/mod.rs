//! Sanitising a dump as it streams: the rules (which column gets which fake), the fakes
//! themselves, what looks personal, and the two engines' stream formats.

pub mod detect;
pub mod fakes;
pub mod mysqlinsert;
pub mod pgcopy;
pub mod rules;

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

use self::fakes::Keyed;
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

    /// The fake for one value (`None`: NULL). Fakes fit the column's type and length, and a
    /// unique column keeps distinct values distinct.
    pub fn apply(&self, column: &ColumnPlan, value: Option<&[u8]>) -> Option<Vec<u8>> {
        let value = value?;
        let text = String::from_utf8_lossy(value);
        let digest = |kind: &str| {
            // An email is the same person whatever its case.
            if kind == "email" {
                self.key.digest(kind, text.trim().to_lowercase().as_bytes())
            } else {
                self.key.digest(kind, value)
            }
        };
        let max = column.max_len;
        let fake = match &column.transform {
            Transform::Keep => return Some(value.to_vec()),
            Transform::Null => return None,
            Transform::Redact => match column.kind {
                ColumnKind::Json => "{}".to_owned(),
                ColumnKind::Binary => String::new(),
                _ => fakes::fit("REDACTED".to_owned(), max),
            },
            Transform::Hash => match column.kind {
                ColumnKind::Integer | ColumnKind::Decimal => fakes::hash_number(&digest("hash")),
                _ => fakes::hash_text(&digest("hash"), max),
            },
            Transform::Email => fakes::email(&digest("email"), max),
            Transform::Name => self.unique_text(column, fakes::full_name(&digest("name")), &digest("name")),
            Transform::FirstName => {
                self.unique_text(column, fakes::first_name(&digest("first_name")), &digest("first_name"))
            }
            Transform::LastName => {
                self.unique_text(column, fakes::last_name(&digest("last_name")), &digest("last_name"))
            }
            Transform::Phone => fakes::phone(&digest("phone"), &text),
            Transform::Address => self.unique_text(column, fakes::address(&digest("address")), &digest("address")),
            Transform::DateShift { days } => fakes::date_shift(&digest("date_shift"), &text, *days),
            Transform::Mask { first, last } => fakes::mask(&text, *first, *last),
            Transform::Constant { value } => fakes::fit(value.clone(), max),
            Transform::Uuid => fakes::uuid(&digest("uuid")),
        };
        Some(fake.into_bytes())
    }

    /// A fake drawn from a small list, made distinct for a unique column by a digest suffix.
    fn unique_text(&self, column: &ColumnPlan, fake: String, digest: &[u8; 32]) -> String {
        let _ = self;
        let fake = if column.unique { format!("{fake} {}", hex::encode(&digest[20..26])) } else { fake };
        match column.max_len {
            // Cut from the readable part first, keeping the distinguishing suffix.
            Some(max) if column.unique && fake.chars().count() > max => {
                let suffix = hex::encode(&digest[20..26]);
                fakes::fit(suffix, Some(max))
            }
            max => fakes::fit(fake, max),
        }
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
