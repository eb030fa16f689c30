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

/// A string literal's content, decoded into `out`.
pub fn decode_string(raw: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(raw.len());
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
    // What needs no escape goes in whole, between the bytes that do (most fakes have none).
    let mut rest = value;
    while let Some(at) = rest.iter().position(|b| matches!(b, 0 | b'\'' | b'"' | b'\\' | b'\n' | b'\r' | 0x1a)) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(match rest[at] {
            0 => b"\\0",
            b'\'' => b"\\'",
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            _ => b"\\Z",
        });
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
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
    loop {
        let j = i + memchr::memchr3(b'\'', b',', b')', &line[i..])?;
        if line[j] != b'\'' {
            return Some(j);
        }
        i = string_end(line, j)?;
    }
}

/// The `)` that closes the tuple holding the value at `start`.
fn tuple_end(line: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    loop {
        let j = i + memchr::memchr2(b'\'', b')', &line[i..])?;
        if line[j] == b')' {
            return Some(j);
        }
        i = string_end(line, j)?;
    }
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
    Insert(Insert),
}

/// An INSERT statement being read: its table, its plan, and the tuples counted so far.
struct Insert {
    table: String,
    plan: Option<TablePlan>,
    rows: u64,
}

pub struct MysqlFilter<'a> {
    sanitizer: Option<&'a Sanitizer>,
    state: State,
    /// Column names of each table, from its `CREATE TABLE`.
    columns: HashMap<String, Vec<String>>,
    /// Each table's plan, made at its first INSERT.
    plans: HashMap<String, Option<TablePlan>>,
    /// Reused for each rewritten line, decoded value and fake (not allocated per row).
    line: Vec<u8>,
    decoded: Vec<u8>,
    fake: String,
}

impl<'a> MysqlFilter<'a> {
    pub fn new(sanitizer: Option<&'a Sanitizer>) -> MysqlFilter<'a> {
        MysqlFilter {
            sanitizer,
            state: State::Normal,
            columns: HashMap::new(),
            plans: HashMap::new(),
            line: Vec::new(),
            decoded: Vec::new(),
            fake: String::new(),
        }
    }

    fn plan_for(&mut self, table: &str) -> Option<TablePlan> {
        if let Some(plan) = self.plans.get(table) {
            return plan.clone();
        }
        let sanitizer = self.sanitizer?;
        let columns = self
            .columns
            .get(table)
            .cloned()
            .or_else(|| sanitizer.catalog.table(table).map(|t| t.columns.iter().map(|c| c.name.clone()).collect()));
        let plan = columns.and_then(|columns| sanitizer.plan(table, &columns));
        self.plans.insert(table.to_owned(), plan.clone());
        plan
    }

    /// Count the tuples on one line of an INSERT's values and write it, rewritten when the
    /// table has a plan; at the statement's end, its count goes to the stats.
    fn values(&mut self, body: &[u8], mut insert: Insert, out: &mut dyn Write, stats: &mut Stats) -> io::Result<()> {
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "malformed INSERT in the dump");
        if let (Some(plan), Some(sanitizer)) = (&insert.plan, self.sanitizer) {
            let rewritten = &mut self.line;
            rewritten.clear();
            let last = plan.last_changed();
            let mut i = 0;
            let mut copied = 0;
            while let Some(n) = memchr::memchr2(b'(', b'\'', &body[i..]) {
                i += n;
                if body[i] == b'\'' {
                    i = string_end(body, i).ok_or_else(bad)?;
                    continue;
                }
                insert.rows += 1;
                let mut column = 0;
                i += 1;
                loop {
                    let end = value_end(body, i).ok_or_else(bad)?;
                    if let Some(col) = plan.column(column) {
                        rewritten.extend_from_slice(&body[copied..i]);
                        replace(sanitizer, col, &body[i..end], rewritten, &mut self.decoded, &mut self.fake);
                        copied = end;
                    }
                    column += 1;
                    i = end + 1;
                    if body[end] == b')' {
                        break;
                    }
                    if column > last {
                        // Nothing after this changes: on to the tuple's end in one search.
                        i = tuple_end(body, i).ok_or_else(bad)? + 1;
                        break;
                    }
                }
            }
            rewritten.extend_from_slice(&body[copied..]);
            out.write_all(rewritten)?;
        } else {
            // Only counted: outside a string, a `(` opens a tuple.
            let mut i = 0;
            while let Some(n) = memchr::memchr2(b'(', b'\'', &body[i..]) {
                i += n;
                if body[i] == b'(' {
                    insert.rows += 1;
                    i += 1;
                } else {
                    i = string_end(body, i).ok_or_else(bad)?;
                }
            }
            out.write_all(body)?;
        }
        if body.trim_ascii_end().ends_with(b";") {
            *stats.rows.entry(insert.table).or_default() += insert.rows;
        } else {
            self.state = State::Insert(insert);
        }
        Ok(())
    }
}

/// Write the fake for one SQL literal; `decoded` and `fake` are scratch space.
fn replace(
    sanitizer: &Sanitizer,
    column: &ColumnPlan,
    literal: &[u8],
    out: &mut Vec<u8>,
    decoded: &mut Vec<u8>,
    fake: &mut String,
) {
    let value = if literal == b"NULL" {
        None
    } else if let Some(start) = memchr::memchr(b'\'', literal) {
        let raw = &literal[start + 1..literal.len() - 1];
        if memchr::memchr2(b'\\', b'\'', raw).is_none() {
            Some(raw)
        } else {
            decode_string(raw, decoded);
            Some(decoded.as_slice())
        }
    } else {
        Some(literal)
    };
    fake.clear();
    let present = sanitizer.apply(column, value, fake);
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
                    out.write_all(&line[..head])?;
                    return self.values(&line[head..], Insert { table, plan, rows: 0 }, out, stats);
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
            State::Insert(_) => {
                let State::Insert(insert) = std::mem::replace(&mut self.state, State::Normal) else {
                    unreachable!("matched above")
                };
                self.values(line, insert, out, stats)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_decode_and_encode() {
        let mut decoded = Vec::new();
        decode_string(br"it\'s a \\ b\nc''d", &mut decoded);
        assert_eq!(decoded, b"it's a \\ b\nc'd");
        let mut out = Vec::new();
        encode_value(Some(b"it's\n\\"), ColumnKind::Text, &mut out);
        assert_eq!(out, br"'it\'s\n\\'");
        out.clear();
        encode_value(Some(b"42"), ColumnKind::Integer, &mut out);
        assert_eq!(out, b"42");
    }

    #[test]
    fn values_that_need_escapes_get_them_wherever_they_are() {
        let mut out = Vec::new();
        for (value, literal) in [
            (&b""[..], &br"''"[..]),
            (b"plain", br"'plain'"),
            (b"'", br"'\''"),
            (b"a\0b'c\"d\\e\nf\rg\x1ah", br#"'a\0b\'c\"d\\e\nf\rg\Zh'"#),
            (b"\\\\", br"'\\\\'"),
            (b"end\n", br"'end\n'"),
        ] {
            out.clear();
            encode_value(Some(value), ColumnKind::Text, &mut out);
            assert_eq!(out, literal, "{:?}", String::from_utf8_lossy(value));
            let mut decoded = Vec::new();
            decode_string(&out[1..out.len() - 1], &mut decoded);
            assert_eq!(decoded, value);
        }
    }

    #[test]
    fn a_tuple_ends_at_its_own_parenthesis() {
        let line = br"(1,'a)b',NULL,'it\'s (x)',0xFF),(2)";
        assert_eq!(tuple_end(line, 1), Some(30));
        assert_eq!(&line[..31], br"(1,'a)b',NULL,'it\'s (x)',0xFF)");
        assert_eq!(tuple_end(line, 33), Some(34));
        assert_eq!(tuple_end(br"(1,'never closed)", 1), None);
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
