//! MariaDB/MySQL dumps, rewritten as they stream: the tuples of `INSERT INTO `t` VALUES …`
//! statements of tables with rules have their columns replaced; every other byte passes through
//! untouched. Tuples are counted per table either way.
//!
//! The dump tools escape newlines inside strings, so a tuple never spans lines; an extended
//! INSERT puts its tuples on one line (mysqldump) or one a line (mariadb-dump 10.11+), and
//! both are read the same way. Column order comes from the `CREATE TABLE` before the data.

use std::collections::HashMap;
use std::io::{self, Write};

use super::{ColumnPlan, LineFilter, Sanitizer, Stats, TablePlan};
use crate::engine::ColumnKind;

/// A string literal's content, decoded.
pub fn decode_string(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b == b'\'' && raw.get(i + 1) == Some(&b'\'') {
            out.push(b'\'');
            i += 2;
            continue;
        }
        if b != b'\\' || i + 1 == raw.len() {
            out.push(b);
            i += 1;
            continue;
        }
        out.push(match raw[i + 1] {
            b'0' => 0,
            b'b' => 8,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'Z' => 0x1a,
            other => other,
        });
        i += 2;
    }
    out
}

/// A value as a SQL literal: NULL, a bare number for numeric columns, else a quoted string.
pub fn encode_value(value: Option<&[u8]>, kind: ColumnKind, out: &mut Vec<u8>) {
    let Some(value) = value else {
        out.extend_from_slice(b"NULL");
        return;
    };
    if matches!(kind, ColumnKind::Integer | ColumnKind::Decimal)
        && !value.is_empty()
        && value.iter().all(|b| b.is_ascii_digit() || b"-.".contains(b))
    {
        out.extend_from_slice(value);
        return;
    }
    out.push(b'\'');
    for &b in value {
        match b {
            0 => out.extend_from_slice(b"\\0"),
            b'\'' => out.extend_from_slice(b"\\'"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x1a => out.extend_from_slice(b"\\Z"),
            b => out.push(b),
        }
    }
    out.push(b'\'');
}

/// The end of the quoted string starting at `start` (the index just past its closing quote).
fn string_end(line: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        let j = i + memchr::memchr2(b'\'', b'\\', &line[i..])?;
        if line[j] == b'\\' {
            i = j + 2;
            continue;
        }
        if line.get(j + 1) == Some(&b'\'') {
            i = j + 2;
            continue;
        }
        return Some(j + 1);
    }
}

/// The end of the value starting at `start`: a quoted string (perhaps with a prefix, `_binary'…'`
/// or `b'…'`), or a bare token up to the next `,` or `)`.
fn value_end(line: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    while i < line.len() {
        match line[i] {
            b'\'' => i = string_end(line, i)?,
            b',' | b')' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// `` `name` `` at the start of `text`: the name, and the rest.
fn backquoted(text: &[u8]) -> Option<(String, &[u8])> {
    let rest = text.strip_prefix(b"`")?;
    let mut name = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == b'`' {
            if rest.get(i + 1) == Some(&b'`') {
                name.push(b'`');
                i += 2;
                continue;
            }
            return Some((String::from_utf8_lossy(&name).into_owned(), &rest[i + 1..]));
        }
        name.push(rest[i]);
        i += 1;
    }
    None
}

enum State {
    Normal,
    CreateTable { table: String, columns: Vec<String> },
    Insert { table: String, plan: Option<TablePlan> },
}

pub struct MysqlFilter<'a> {
    sanitizer: Option<&'a Sanitizer>,
    state: State,
    /// Column names of each table, from its `CREATE TABLE`.
    columns: HashMap<String, Vec<String>>,
    line: Vec<u8>,
}

impl<'a> MysqlFilter<'a> {
    pub fn new(sanitizer: Option<&'a Sanitizer>) -> MysqlFilter<'a> {
        MysqlFilter { sanitizer, state: State::Normal, columns: HashMap::new(), line: Vec::new() }
    }

    fn plan_for(&self, table: &str) -> Option<TablePlan> {
        let sanitizer = self.sanitizer?;
        let columns =
            self.columns.get(table).cloned().or_else(|| {
                sanitizer.catalog.table(table).map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
            })?;
        sanitizer.plan(table, &columns)
    }

    /// Count (and, with a plan, rewrite) the tuples on one line of an INSERT's values.
    fn tuples(&mut self, body: &[u8], plan: Option<&TablePlan>, rows: &mut u64) -> io::Result<Vec<u8>> {
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "malformed INSERT in the dump");
        let mut out = Vec::with_capacity(if plan.is_some() { body.len() + 64 } else { 0 });
        let mut i = 0;
        let mut copied = 0;
        while i < body.len() {
            match body[i] {
                b'(' => {
                    *rows += 1;
                    let mut column = 0;
                    i += 1;
                    loop {
                        let end = value_end(body, i).ok_or_else(bad)?;
                        if let (Some(plan), Some(sanitizer)) = (plan, self.sanitizer)
                            && let Some(col) = plan.column(column)
                        {
                            out.extend_from_slice(&body[copied..i]);
                            replace(sanitizer, col, &body[i..end], &mut out);
                            copied = end;
                        }
                        column += 1;
                        i = end + 1;
                        if body[end] == b')' {
                            break;
                        }
                    }
                }
                b'\'' => i = string_end(body, i).ok_or_else(bad)?,
                _ => i += 1,
            }
        }
        if plan.is_some() {
            out.extend_from_slice(&body[copied..]);
        }
        Ok(out)
    }
}

/// Write the fake for one SQL literal.
fn replace(sanitizer: &Sanitizer, column: &ColumnPlan, literal: &[u8], out: &mut Vec<u8>) {
    let value = if literal == b"NULL" {
        None
    } else if let Some(start) = literal.iter().position(|b| *b == b'\'') {
        Some(decode_string(&literal[start + 1..literal.len() - 1]))
    } else {
        Some(literal.to_vec())
    };
    let mut fake = String::new();
    let present = sanitizer.apply(column, value.as_deref(), &mut fake);
    encode_value(present.then_some(fake.as_bytes()), column.kind, out);
}

impl LineFilter for MysqlFilter<'_> {
    fn line(&mut self, line: &[u8], out: &mut dyn Write, stats: &mut Stats) -> io::Result<()> {
        match &mut self.state {
            State::Normal => {
                if let Some(rest) = line.strip_prefix(b"CREATE TABLE ")
                    && let Some((table, _)) = backquoted(rest)
                {
                    self.state = State::CreateTable { table, columns: Vec::new() };
                    return out.write_all(line);
                }
                if let Some(rest) = line.strip_prefix(b"INSERT INTO ")
                    && let Some((table, rest)) = backquoted(rest)
                {
                    let plan = self.plan_for(&table);
                    let values = rest.iter().position(|b| *b == b'(').unwrap_or(rest.len());
                    let head = line.len() - rest.len() + values;
                    let mut rows = stats.rows.get(&table).copied().unwrap_or(0);
                    let rewritten = self.tuples(&line[head..], plan.as_ref(), &mut rows)?;
                    stats.rows.insert(table.clone(), rows);
                    if !line.trim_ascii_end().ends_with(b";") {
                        self.state = State::Insert { table, plan: plan.clone() };
                    }
                    if plan.is_some() {
                        out.write_all(&line[..head])?;
                        return out.write_all(&rewritten);
                    }
                }
                out.write_all(line)
            }
            State::CreateTable { table, columns } => {
                if let Some(rest) = line.strip_prefix(b"  ")
                    && let Some((column, _)) = backquoted(rest)
                {
                    columns.push(column);
                } else if line.starts_with(b")") {
                    let (table, columns) = (std::mem::take(table), std::mem::take(columns));
                    self.columns.insert(table, columns);
                    self.state = State::Normal;
                }
                out.write_all(line)
            }
            State::Insert { table, plan } => {
                let (table, plan) = (table.clone(), plan.clone());
                let mut rows = stats.rows.get(&table).copied().unwrap_or(0);
                let rewritten = self.tuples(line, plan.as_ref(), &mut rows)?;
                stats.rows.insert(table, rows);
                if line.trim_ascii_end().ends_with(b";") {
                    self.state = State::Normal;
                }
                self.line.clear();
                if plan.is_some() { out.write_all(&rewritten) } else { out.write_all(line) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_decode_and_encode() {
        assert_eq!(decode_string(br"it\'s a \\ b\nc''d"), b"it's a \\ b\nc'd");
        let mut out = Vec::new();
        encode_value(Some(b"it's\n\\"), ColumnKind::Text, &mut out);
        assert_eq!(out, br"'it\'s\n\\'");
        out.clear();
        encode_value(Some(b"42"), ColumnKind::Integer, &mut out);
        assert_eq!(out, b"42");
    }

    #[test]
    fn values_end_after_strings_and_tokens() {
        let line = br"(1,'a,b)\'c',NULL,0xFF,b'101')";
        let mut ends = Vec::new();
        let mut i = 1;
        loop {
            let end = value_end(line, i).unwrap();
            ends.push(std::str::from_utf8(&line[i..end]).unwrap().to_owned());
            i = end + 1;
            if line[end] == b')' {
                break;
            }
        }
        assert_eq!(ends, ["1", r"'a,b)\'c'", "NULL", "0xFF", "b'101'"]);
    }
}
