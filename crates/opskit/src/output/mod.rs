//! The output layer: every record a tool prints goes through one [`Emitter`].
//!
//! stdout carries data only. `json` is one array, `ndjson` one object a line, `csv`/`tsv`
//! flatten nested fields to dotted names under a header declared by the record kinds, `table`
//! is for people: one table per kind, aligned by display width, cut to the terminal, `kind`
//! left out, secret fields masked, colour only on a terminal.
//!
//! Output always completes: an emitter dropped without [`Emitter::finish`] (a command failing
//! half-way) still closes its JSON array and prints its tables, so the records of what was done
//! reach the reader before the error line.

mod flatten;
mod table;

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};

use serde::Serialize;
use serde_json::{Map, Value};

pub use flatten::flatten;
pub use table::Style;

/// `-o, --output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people (the default on a terminal).
    Table,
    /// One JSON array.
    Json,
    /// One JSON object a line (the default when stdout is not a terminal).
    Ndjson,
    /// Comma-separated, nested fields flattened to dotted names.
    Csv,
    /// Tab-separated, nested fields flattened to dotted names.
    Tsv,
}

impl Format {
    /// The default: a table for a person at a terminal, NDJSON for a pipe or a file.
    pub fn default_for_stdout() -> Format {
        if io::stdout().is_terminal() { Format::Table } else { Format::Ndjson }
    }
}

/// A kind of record a tool prints. `COLUMNS` are its csv/tsv columns in order (dotted names for
/// nested fields), every field it can have, so that a CSV's header never depends on which
/// record came first and a failed item's `error` has its column. A column `group.*` stands for
/// nested fields known only at run time, given to [`Emitter::columns`]. Debug builds check
/// every emitted field against the list.
pub trait Record: Serialize {
    const KIND: &'static str;
    const COLUMNS: &'static [&'static str];
}

/// stdout was closed by the reader (`| head`): the one broken pipe that ends a tool quietly
/// with exit 0. A broken pipe to anything else (a child process) is a real failure.
#[derive(Debug)]
pub struct OutputClosed;

impl std::fmt::Display for OutputClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the output was closed")
    }
}

impl std::error::Error for OutputClosed {}

/// Writing stdout failed for another reason than its reader leaving (a full disk): exit 73.
#[derive(Debug)]
pub struct OutputFailed(pub io::Error);

impl std::fmt::Display for OutputFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write to stdout: {}", self.0)
    }
}

impl std::error::Error for OutputFailed {}

/// An error writing stdout, as the tools report it: a closed pipe ends quietly (exit 0), any
/// other failure names stdout (exit 73).
pub fn stdout_error(err: io::Error) -> io::Error {
    output_error(err)
}

fn output_error(err: io::Error) -> io::Error {
    match err.kind() {
        io::ErrorKind::BrokenPipe => io::Error::new(io::ErrorKind::BrokenPipe, OutputClosed),
        kind if err.get_ref().is_some_and(|e| e.is::<OutputFailed>() || e.is::<OutputClosed>()) => {
            io::Error::new(kind, err.into_inner().map_or_else(|| "output error".to_owned(), |e| e.to_string()))
        }
        kind => io::Error::new(kind, OutputFailed(err)),
    }
}

/// Write bytes that are a command's data (an exported file, say) to stdout.
pub fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(bytes).and_then(|()| stdout.flush()).map_err(output_error)
}

/// What a table shows in place of a secret.
pub const MASK: &str = "********";

/// How a table lays records out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One row per record, one column per field.
    Rows,
    /// One `field  value` line per field: for a command that prints a single record.
    Detail,
}

/// Turns a table's rows of one kind into a few lines (a bulk write's "wrote 306 keys").
pub type Summary = Box<dyn Fn(&[Map<String, Value>]) -> String>;

/// Writes records in the chosen format. Call [`Emitter::finish`] at the end to see write
/// errors; dropping it finishes too, best effort.
pub struct Emitter<W: Write> {
    sink: Option<Sink<W>>,
    format: Format,
    layout: Layout,
    style: Style,
    masked: Vec<String>,
    count: usize,
    /// csv/tsv: the declared columns; the header once written.
    columns: Vec<String>,
    header_written: bool,
    dropped_columns: bool,
    /// table: rows wait here, by kind in order of first appearance, until widths are known.
    tables: Vec<(String, Vec<Map<String, Value>>)>,
    summaries: BTreeMap<String, Summary>,
    /// table: the columns a person needs, by kind (all with `--wide`).
    brief: BTreeMap<String, Vec<String>>,
    /// table: columns aligned to the right (amounts), by kind.
    right: BTreeMap<String, Vec<String>>,
    /// table: last lines under the rows (totals), by kind.
    footers: BTreeMap<String, Vec<Map<String, Value>>>,
    on_empty: Option<String>,
}

enum Sink<W: Write> {
    Raw(W),
    Delimited(Box<csv::Writer<W>>),
}

impl Emitter<io::BufWriter<io::Stdout>> {
    pub fn stdout(format: Format, style: Style) -> Self {
        Emitter::new(io::BufWriter::new(io::stdout()), format, style)
    }
}

impl<W: Write> Emitter<W> {
    pub fn new(out: W, format: Format, style: Style) -> Self {
        let sink = match format {
            Format::Csv | Format::Tsv => {
                let tsv = format == Format::Tsv;
                Sink::Delimited(Box::new(
                    csv::WriterBuilder::new()
                        .delimiter(if tsv { b'\t' } else { b',' })
                        .quote_style(if tsv { csv::QuoteStyle::Never } else { csv::QuoteStyle::Necessary })
                        .from_writer(out),
                ))
            }
            _ => Sink::Raw(out),
        };
        Emitter {
            sink: Some(sink),
            format,
            layout: Layout::Rows,
            style,
            masked: Vec::new(),
            count: 0,
            columns: Vec::new(),
            header_written: false,
            dropped_columns: false,
            tables: Vec::new(),
            summaries: BTreeMap::new(),
            brief: BTreeMap::new(),
            right: BTreeMap::new(),
            footers: BTreeMap::new(),
            on_empty: None,
        }
    }

    #[must_use]
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Fields (dotted names) whose values a table shows as [`MASK`].
    #[must_use]
    pub fn mask<I: IntoIterator<Item = S>, S: Into<String>>(mut self, fields: I) -> Self {
        self.masked.extend(fields.into_iter().map(Into::into));
        self
    }

    /// Declare a record kind this emitter will print, so csv/tsv have its columns whichever
    /// kind comes first.
    #[must_use]
    pub fn declare<R: Record>(self) -> Self {
        self.columns(R::COLUMNS.iter().map(|c| (*c).to_owned()))
    }

    /// Add csv/tsv columns known only at run time (costq's `group.<dimension>`).
    #[must_use]
    pub fn columns<I: IntoIterator<Item = String>>(mut self, columns: I) -> Self {
        for column in columns {
            if !self.columns.contains(&column) {
                self.columns.push(column);
            }
        }
        self
    }

    /// In a table, show records of `kind` as the lines `summary` makes of them (a bulk write's
    /// one-line summary), not a row each; the other formats keep every record.
    #[must_use]
    pub fn summarise(mut self, kind: &str, summary: impl Fn(&[Map<String, Value>]) -> String + 'static) -> Self {
        self.summaries.insert(kind.to_owned(), Box::new(summary));
        self
    }

    /// In a table, show only these columns of records of kind `R` (in this order), unless
    /// `--wide`: what a person scanning the table needs; the other formats keep every field.
    #[must_use]
    pub fn brief<R: Record>(mut self, columns: &[&str]) -> Self {
        self.brief.insert(R::KIND.to_owned(), columns.iter().map(|c| (*c).to_owned()).collect());
        self
    }

    /// In a table, align these columns of records of kind `R` to the right (amounts, counts).
    #[must_use]
    pub fn align_right<R: Record>(mut self, columns: &[&str]) -> Self {
        self.right.insert(R::KIND.to_owned(), columns.iter().map(|c| (*c).to_owned()).collect());
        self
    }

    /// In a table, end the rows of kind `R` with these lines (totals: one per currency, say),
    /// aligned with them; their fields are dotted names as the columns are (`group.service`).
    /// The other formats leave them out: there, a total is a record of its own when the command
    /// prints one.
    pub fn footer<R: Record>(&mut self, lines: Vec<Map<String, Value>>) {
        self.footers.insert(R::KIND.to_owned(), lines);
    }

    /// What a table says on stderr when there is nothing to show (`no environments`).
    #[must_use]
    pub fn on_empty(mut self, message: &str) -> Self {
        self.on_empty = Some(message.to_owned());
        self
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Number of records emitted so far.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Emit one record of a declared kind.
    pub fn emit<R: Record>(&mut self, record: &R) -> io::Result<()> {
        if !self.header_written {
            // `group.*`: nested fields known at run time, declared with `columns`.
            for column in R::COLUMNS.iter().filter(|c| !c.ends_with(".*")) {
                if !self.columns.iter().any(|c| c == column) {
                    self.columns.push((*column).to_owned());
                }
            }
        }
        let value = serde_json::to_value(record).map_err(io::Error::other)?;
        #[cfg(debug_assertions)]
        if let Value::Object(object) = &value {
            assert!(
                object.get("kind").is_some_and(|k| k == R::KIND),
                "a `{}` record says it is {:?}",
                R::KIND,
                object.get("kind")
            );
            for (key, _) in flatten(object) {
                let declared = R::COLUMNS
                    .iter()
                    .any(|c| *c == key || c.strip_suffix('*').is_some_and(|prefix| key.starts_with(prefix)));
                assert!(declared, "`{key}` is missing from the COLUMNS of `{}` records", R::KIND);
            }
        }
        self.emit_value(value)
    }

    /// Emit a record whose shape is known only at run time (it must be an object whose first
    /// field is `kind`); without declared columns, csv/tsv take the first record's fields.
    pub fn emit_value(&mut self, value: Value) -> io::Result<()> {
        self.write_value(value).map_err(output_error)
    }

    fn write_value(&mut self, value: Value) -> io::Result<()> {
        let Value::Object(object) = value else {
            return Err(io::Error::other("internal error: a record must be a JSON object"));
        };
        debug_assert!(object.keys().next().is_some_and(|k| k == "kind"), "records start with `kind`");
        self.count += 1;
        let Some(sink) = self.sink.as_mut() else { return Ok(()) };
        match sink {
            Sink::Delimited(writer) => {
                let flat = flatten(&object);
                if !self.header_written {
                    if self.columns.is_empty() {
                        self.columns = flat.iter().map(|(k, _)| k.clone()).collect();
                    }
                    writer.write_record(&self.columns).map_err(csv_io)?;
                    self.header_written = true;
                }
                let tsv = self.format == Format::Tsv;
                let mut row = vec![String::new(); self.columns.len()];
                for (key, value) in flat {
                    match self.columns.iter().position(|h| *h == key) {
                        Some(i) => row[i] = if tsv { tsv_escape(&value) } else { value },
                        None => self.dropped_columns = true,
                    }
                }
                writer.write_record(&row).map_err(csv_io)
            }
            Sink::Raw(out) => match self.format {
                Format::Json => {
                    out.write_all(if self.count == 1 { b"[\n" } else { b",\n" })?;
                    serde_json::to_writer(&mut *out, &object).map_err(io::Error::from)
                }
                Format::Table => {
                    let kind = object.get("kind").and_then(Value::as_str).unwrap_or_default().to_owned();
                    match self.tables.iter_mut().find(|(k, _)| *k == kind) {
                        Some((_, rows)) => rows.push(object),
                        None => self.tables.push((kind, vec![object])),
                    }
                    Ok(())
                }
                _ => {
                    serde_json::to_writer(&mut *out, &object)?;
                    out.write_all(b"\n")
                }
            },
        }
    }

    /// Push out what is buffered (not a table's rows, which wait for `finish`): before asking
    /// a question, so the person sees what it is about.
    pub fn flush(&mut self) -> io::Result<()> {
        match self.sink.as_mut() {
            Some(Sink::Raw(out)) => out.flush(),
            Some(Sink::Delimited(writer)) => writer.flush(),
            None => Ok(()),
        }
        .map_err(output_error)
    }

    /// Close the output: the JSON array's bracket, the tables, the flush.
    pub fn finish(mut self) -> io::Result<()> {
        self.finish_output().map_err(output_error)
    }

    fn finish_output(&mut self) -> io::Result<()> {
        let Some(sink) = self.sink.take() else { return Ok(()) };
        let mut out = match sink {
            Sink::Raw(out) => out,
            Sink::Delimited(mut writer) => {
                if !self.header_written && !self.columns.is_empty() {
                    writer.write_record(&self.columns).map_err(csv_io)?;
                }
                writer.into_inner().map_err(|e| io::Error::new(e.error().kind(), e.to_string()))?
            }
        };
        match self.format {
            Format::Json => out.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?,
            Format::Table => {
                for (n, (kind, rows)) in self.tables.iter().enumerate() {
                    if n > 0 {
                        writeln!(out)?;
                    }
                    if let Some(summary) = self.summaries.get(kind) {
                        writeln!(out, "{}", summary(rows))?;
                        continue;
                    }
                    match self.layout {
                        Layout::Rows => {
                            let columns = table::Columns {
                                masked: &self.masked,
                                brief: self.brief.get(kind).map_or(&[][..], Vec::as_slice),
                                right: self.right.get(kind).map_or(&[][..], Vec::as_slice),
                                footer: self.footers.get(kind).map_or(&[][..], Vec::as_slice),
                            };
                            table::rows(&mut out, rows, &self.style, &columns)?;
                        }
                        Layout::Detail => table::detail(&mut out, rows, &self.style, &self.masked)?,
                    }
                }
                if self.count == 0
                    && let Some(message) = &self.on_empty
                {
                    crate::error::note(message);
                }
            }
            Format::Csv | Format::Tsv if self.dropped_columns => crate::error::warn(
                "some records had fields outside the CSV's columns; they are not in it (-o ndjson shows them)",
            ),
            _ => {}
        }
        out.flush()
    }
}

impl<W: Write> Drop for Emitter<W> {
    /// A command that fails half-way still completes its output (closed JSON, printed tables)
    /// before the error line; errors here have nowhere better to go.
    fn drop(&mut self) {
        let _ = self.finish_output();
    }
}

fn csv_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// TSV has no quoting: tabs, newlines and backslashes are escaped the way `mysql -B` does.
fn tsv_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
