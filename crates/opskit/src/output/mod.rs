//! The output layer: every record a tool prints goes through one [`Emitter`].
//!
//! stdout carries data only. `json` is one array, `ndjson` one object a line, `csv`/`tsv`
//! flatten nested fields to dotted names, `table` is for people: aligned, `kind` left out,
//! secret fields masked, colour only on a terminal.

mod flatten;
mod table;

use std::io::{self, IsTerminal, Write};

use serde::Serialize;
use serde_json::{Map, Value};

pub use flatten::flatten;

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

fn output_error(err: io::Error) -> io::Error {
    if err.kind() == io::ErrorKind::BrokenPipe { io::Error::new(io::ErrorKind::BrokenPipe, OutputClosed) } else { err }
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

/// Writes records in the chosen format. Call [`Emitter::finish`] at the end: JSON closes its
/// array there and tables (which must see every row to align them) are printed there.
pub struct Emitter<W: Write> {
    sink: Sink<W>,
    format: Format,
    layout: Layout,
    color: bool,
    masked: Vec<String>,
    count: usize,
    /// csv/tsv: the columns, from the first record.
    header: Vec<String>,
    dropped_columns: bool,
    /// table: rows wait here until every width is known.
    rows: Vec<Map<String, Value>>,
}

enum Sink<W: Write> {
    Raw(W),
    Delimited(Box<csv::Writer<W>>),
}

impl Emitter<io::BufWriter<io::Stdout>> {
    pub fn stdout(format: Format, color: bool) -> Self {
        Emitter::new(io::BufWriter::new(io::stdout()), format, color)
    }
}

impl<W: Write> Emitter<W> {
    pub fn new(out: W, format: Format, color: bool) -> Self {
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
            sink,
            format,
            layout: Layout::Rows,
            color,
            masked: Vec::new(),
            count: 0,
            header: Vec::new(),
            dropped_columns: false,
            rows: Vec::new(),
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

    pub fn format(&self) -> Format {
        self.format
    }

    /// Number of records emitted so far.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Emit one record. It must serialize to a JSON object whose first field is `kind`.
    pub fn emit<R: Serialize + ?Sized>(&mut self, record: &R) -> io::Result<()> {
        self.emit_value(record).map_err(output_error)
    }

    fn emit_value<R: Serialize + ?Sized>(&mut self, record: &R) -> io::Result<()> {
        let value = serde_json::to_value(record).map_err(io::Error::other)?;
        let Value::Object(object) = value else {
            return Err(io::Error::other("internal error: a record must be a JSON object"));
        };
        debug_assert!(object.keys().next().is_some_and(|k| k == "kind"), "records start with `kind`");
        self.count += 1;
        match &mut self.sink {
            Sink::Delimited(writer) => {
                let flat = flatten(&object);
                if self.count == 1 {
                    // The header is the first record's fields: one command's records share a shape.
                    self.header = flat.iter().map(|(k, _)| k.clone()).collect();
                    writer.write_record(&self.header).map_err(csv_io)?;
                }
                let tsv = self.format == Format::Tsv;
                let mut row = vec![String::new(); self.header.len()];
                for (key, value) in flat {
                    match self.header.iter().position(|h| *h == key) {
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
                    self.rows.push(object);
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
        match &mut self.sink {
            Sink::Raw(out) => out.flush(),
            Sink::Delimited(writer) => writer.flush(),
        }
        .map_err(output_error)
    }

    /// Close the output: the JSON array's bracket, the table, the flush.
    pub fn finish(self) -> io::Result<()> {
        self.finish_output().map_err(output_error)
    }

    fn finish_output(self) -> io::Result<()> {
        let mut out = match self.sink {
            Sink::Raw(out) => out,
            Sink::Delimited(writer) => {
                writer.into_inner().map_err(|e| io::Error::new(e.error().kind(), e.to_string()))?
            }
        };
        match self.format {
            Format::Json => out.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?,
            Format::Table => {
                let style = table::Style { color: self.color, masked: &self.masked };
                match self.layout {
                    Layout::Rows => table::rows(&mut out, &self.rows, &style)?,
                    Layout::Detail => table::detail(&mut out, &self.rows, &style)?,
                }
            }
            Format::Csv | Format::Tsv if self.dropped_columns => crate::error::warn(
                "output",
                "some records had fields the first one lacked; they are not in the CSV (-o ndjson shows them)",
            ),
            _ => {}
        }
        out.flush()
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
