//! PostgreSQL's plain dump, rewritten as it streams: rows of `COPY … FROM stdin;` blocks of
//! tables with rules have their columns replaced; every other byte passes through untouched.
//! Rows are counted per table either way.
//!
//! COPY's text format: one row a line, columns separated by tabs, `\N` for NULL, and inside a
//! value `\\`, `\t`, `\n`, `\r`, `\b`, `\f`, `\v`, octal `\ddd` and hex `\xhh` escapes.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{LineFilter, Sanitizer, Stats, TablePlan};

/// A COPY field decoded; `None` is NULL. Borrowed when there is nothing to decode.
pub fn decode_field(field: &[u8]) -> Option<Cow<'_, [u8]>> {
    if field == b"\\N" {
        return None;
    }
    if memchr::memchr(b'\\', field).is_none() {
        return Some(Cow::Borrowed(field));
    }
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let b = field[i];
        if b != b'\\' || i + 1 == field.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let next = field[i + 1];
        i += 2;
        match next {
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut value = u32::from(next - b'0');
                for _ in 0..2 {
                    match field.get(i) {
                        Some(d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(u8::try_from(value & 0xff).expect("masked"));
            }
            b'x' => {
                let mut value = 0u8;
                let mut digits = 0;
                while digits < 2 {
                    match field.get(i).and_then(|d| char::from(*d).to_digit(16)) {
                        Some(d) => {
                            value = value * 16 + u8::try_from(d).expect("a hex digit");
                            i += 1;
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if digits == 0 {
                    out.push(b'x');
                } else {
                    out.push(value);
                }
            }
            other => out.push(other),
        }
    }
    Some(Cow::Owned(out))
}

/// A value as a COPY field.
pub fn encode_field(value: Option<&[u8]>, out: &mut Vec<u8>) {
    let Some(value) = value else {
        out.extend_from_slice(b"\\N");
        return;
    };
    if !value.iter().any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r')) {
        out.extend_from_slice(value);
        return;
    }
    for &b in value {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b => out.push(b),
        }
    }
}

/// An identifier list as pg_dump writes it (`a, "B c", d` split at `,`; `public."x.y"` at `.`).
fn split_identifiers(list: &str, separator: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = list.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' => quoted = !quoted,
            c if c == separator && !quoted => out.push(std::mem::take(&mut current).trim().to_owned()),
            c if quoted || !c.is_whitespace() => current.push(c),
            _ => {}
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

/// `COPY public.users (id, email) FROM stdin;` → (`users`, [`id`, `email`]).
pub fn parse_copy_header(line: &str) -> Option<(String, Vec<String>)> {
    let rest = line.strip_prefix("COPY ")?.trim_end().strip_suffix(" FROM stdin;")?;
    let open = rest.find(" (")?;
    let (table, columns) = (&rest[..open], &rest[open + 2..]);
    let columns = columns.strip_suffix(')')?;
    let parts = split_identifiers(table, '.');
    let name = match parts.as_slice() {
        [schema, table] => crate::engine::postgres::display_name(schema, table),
        [table] => table.clone(),
        _ => return None,
    };
    Some((name, split_identifiers(columns, ',')))
}

enum State {
    Normal,
    /// Inside a COPY block: the table's plan when it has rules.
    Copy {
        table: String,
        plan: Option<TablePlan>,
    },
}

pub struct PgFilter<'a> {
    sanitizer: Option<&'a Sanitizer>,
    state: State,
    /// The rewritten row, and one fake, reused from row to row.
    row: Vec<u8>,
    fake: String,
}

impl<'a> PgFilter<'a> {
    pub fn new(sanitizer: Option<&'a Sanitizer>) -> PgFilter<'a> {
        PgFilter { sanitizer, state: State::Normal, row: Vec::new(), fake: String::new() }
    }
}

impl LineFilter for PgFilter<'_> {
    fn line(&mut self, line: &[u8], out: &mut dyn Write, stats: &mut Stats) -> io::Result<()> {
        match &mut self.state {
            State::Normal => {
                if line.starts_with(b"COPY ")
                    && let Some((table, columns)) = std::str::from_utf8(line).ok().and_then(parse_copy_header)
                {
                    let plan = self.sanitizer.and_then(|s| s.plan(&table, &columns));
                    stats.rows.entry(table.clone()).or_insert(0);
                    self.state = State::Copy { table, plan };
                }
                out.write_all(line)
            }
            State::Copy { table, plan } => {
                if line == b"\\.\n" || line == b"\\." {
                    self.state = State::Normal;
                    return out.write_all(line);
                }
                *stats.rows.get_mut(table.as_str()).expect("entered above") += 1;
                let (Some(plan), Some(sanitizer)) = (plan.as_ref(), self.sanitizer) else { return out.write_all(line) };
                let body = line.strip_suffix(b"\n").unwrap_or(line);
                self.row.clear();
                // Untouched stretches of the row are copied whole; only planned fields are cut out.
                let mut copied = 0;
                let mut field_start = 0;
                let ends = memchr::memchr_iter(b'\t', body).chain(std::iter::once(body.len()));
                for (i, end) in ends.enumerate() {
                    if let Some(column) = plan.column(i) {
                        self.row.extend_from_slice(&body[copied..field_start]);
                        let value = decode_field(&body[field_start..end]);
                        self.fake.clear();
                        let present = sanitizer.apply(column, value.as_deref(), &mut self.fake);
                        encode_field(present.then_some(self.fake.as_bytes()), &mut self.row);
                        copied = end;
                    }
                    field_start = end + 1;
                }
                self.row.extend_from_slice(&body[copied..]);
                self.row.push(b'\n');
                out.write_all(&self.row)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let raw = b"tab\\there\\nnewline \\\\ back \\101\\x41";
        let decoded = decode_field(raw).unwrap();
        assert_eq!(&*decoded, b"tab\there\nnewline \\ back AA");
        let mut out = Vec::new();
        encode_field(Some(b"a\tb\nc\\d"), &mut out);
        assert_eq!(out, b"a\\tb\\nc\\\\d");
        assert_eq!(decode_field(b"\\N"), None);
    }

    #[test]
    fn headers() {
        assert_eq!(
            parse_copy_header("COPY public.people (id, email, \"Full Name\") FROM stdin;\n"),
            Some(("people".into(), vec!["id".into(), "email".into(), "Full Name".into()]))
        );
        assert_eq!(parse_copy_header("COPY audit.log (id) FROM stdin;").unwrap().0, "audit.log");
        assert_eq!(parse_copy_header("COPY public.\"Odd.Table\" (a) FROM stdin;").unwrap().0, "Odd.Table");
    }
}
