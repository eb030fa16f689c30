//! File formats for `export` and `import`, each quoting values so that any value — quotes,
//! newlines, `$`, `=`, unicode, empty — survives the trip. dotenv has no standard: how each
//! reader (sh, python-dotenv, Node's dotenv) reads a line is in `dotenv.rs`, and each value is
//! written in a quoting its readers take back exactly.

mod dotenv;

use std::fmt::Write as _;

use opskit::{Error, Result};
use serde_json::Value;

pub use self::dotenv::Dialect;
use crate::app::as_variables;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// KEY='value' lines, quoted so that sh, python-dotenv and Node's dotenv read each value back
    /// exactly (--dialect picks one reader); keys as they are
    Dotenv,
    /// One JSON object, keys as they are
    Json,
    /// export KEY='value' lines for `eval` or `source` (POSIX sh quoting)
    Shell,
    /// Terraform variables: key = "value" (HCL escapes, ${ and %{ doubled)
    Tfvars,
    /// "key": "value" lines (YAML double-quoted scalars)
    Yaml,
    /// key,value with a header (RFC 4180 quoting)
    Csv,
}

/// Render `(key, value)` pairs of environment `env` in `format` (`dialect`: for dotenv).
pub fn export(env: &str, format: ExportFormat, dialect: Dialect, params: &[(String, String)]) -> Result<String> {
    let mut out = String::new();
    match format {
        ExportFormat::Dotenv => {
            // Keys as they are (`db/url` too), so `import` brings the same keys back.
            for (key, value) in params {
                let line = dotenv::line(key, value, dialect);
                if !line.unread_by.is_empty() {
                    opskit::error::warn(&format!(
                        "{env}: {key} will not read back exactly in {} ({}); --dialect picks the reader to write for",
                        line.unread_by.join(", "),
                        line.why
                    ));
                }
                out.push_str(&line.text);
                out.push('\n');
            }
        }
        ExportFormat::Shell => {
            for (var, value) in as_variables(env, params)? {
                let _ = writeln!(out, "export {var}='{}'", value.replace('\'', "'\\''"));
            }
        }
        ExportFormat::Tfvars => {
            for (var, value) in as_variables(env, params)? {
                let _ = writeln!(out, "{var} = \"{}\"", hcl_escape(&value));
            }
        }
        ExportFormat::Json => {
            let object: serde_json::Map<String, Value> =
                params.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
            out = serde_json::to_string_pretty(&object).map_err(|e| Error::internal(e.to_string()))?;
            out.push('\n');
        }
        ExportFormat::Yaml => {
            for (key, value) in params {
                let _ = writeln!(out, "{}: {}", Value::String(key.clone()), Value::String(value.clone()));
            }
        }
        ExportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let mut write = |row: [&str; 2]| writer.write_record(row).map_err(|e| Error::internal(e.to_string()));
            write(["key", "value"])?;
            for (key, value) in params {
                write([key, value])?;
            }
            let bytes = writer.into_inner().map_err(|e| Error::internal(e.to_string()))?;
            out = String::from_utf8(bytes).map_err(|e| Error::internal(e.to_string()))?;
        }
    }
    Ok(out)
}

fn hcl_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Template sequences: `${` and `%{` are written `$${` and `%%{`.
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Parse an import file: a JSON object, or dotenv. Values keep every byte the file gives them.
pub fn parse_import(source: &str, text: &str) -> Result<Vec<(String, String)>> {
    let pairs =
        if text.trim_start().starts_with('{') { parse_json(source, text)? } else { parse_dotenv(source, text)? };
    let mut seen = std::collections::BTreeSet::new();
    if let Some((key, _)) = pairs.iter().find(|(key, _)| !seen.insert(key.as_str())) {
        return Err(Error::data(format!("{source}: `{key}` is set more than once")));
    }
    Ok(pairs)
}

fn parse_json(source: &str, text: &str) -> Result<Vec<(String, String)>> {
    let object: serde_json::Map<String, Value> =
        serde_json::from_str(text).map_err(|e| Error::data(format!("{source}: malformed JSON: {e}")))?;
    object
        .into_iter()
        .map(|(key, value)| {
            let value = match value {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => {
                    return Err(Error::data(format!(
                        "{source}: `{key}` is {}; values must be strings, numbers or booleans",
                        if other.is_null() { "null" } else { "nested" }
                    )));
                }
            };
            Ok((key, value))
        })
        .collect()
}

fn parse_dotenv(source: &str, text: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut lines = text.split('\n').enumerate().peekable();
    while let Some((index, raw)) = lines.next() {
        let line_no = index + 1;
        let err = |why: &str| Error::data(format!("{source}:{line_no}: {why}"));
        let line = raw.trim_end_matches('\r').trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map_or(line, str::trim_start);
        let (key, rest) = line.split_once('=').ok_or_else(|| err("expected KEY=VALUE"))?;
        let key = key.trim_end();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c)) {
            return Err(err(&format!("invalid key `{key}`")));
        }
        let rest = rest.trim_start();
        let value = if rest.starts_with(['"', '\'', '`']) {
            // A quoted value may continue over the following lines until its closing quote.
            let mut body = rest.to_owned();
            let (value, tail) = loop {
                if let Some(found) = quoted_word(&body).map_err(|e| err(&e))? {
                    break found;
                }
                let Some((_, next)) = lines.next() else {
                    return Err(err(&format!("unterminated quoted value of `{key}`")));
                };
                body.push('\n');
                body.push_str(next);
            };
            let tail = tail.trim();
            if !(tail.is_empty() || tail.starts_with('#')) {
                return Err(err(&format!("unexpected text after the quoted value of `{key}`")));
            }
            value
        } else {
            let value = rest.find(" #").map_or(rest, |i| &rest[..i]);
            value.trim_end_matches('\r').trim_end().to_owned()
        };
        out.push((key.to_owned(), value));
    }
    Ok(out)
}

/// A value written as sh writes words: quoted pieces side by side (`'it'\''s'`), `'…'` and
/// `` `…` `` taken as they are, `"…"` with `\n \r \t \\ \" \$ \'` escapes, `\x` outside
/// quotes meaning `x`. Returns the value and the text after it, or `None` when a quote is still
/// open at the end of `body` (the value goes on over the next line).
fn quoted_word(body: &str) -> std::result::Result<Option<(String, String)>, String> {
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            '\'' | '`' | '"' => {
                chars.next();
                let mut piece = String::new();
                let mut closed = false;
                while let Some((_, d)) = chars.next() {
                    if d == c {
                        closed = true;
                        break;
                    }
                    if d == '\\' && c == '"' {
                        piece.push(d);
                        match chars.next() {
                            Some((_, e)) => piece.push(e),
                            None => return Ok(None),
                        }
                        continue;
                    }
                    piece.push(d);
                }
                if !closed {
                    return Ok(None);
                }
                value.push_str(&if c == '"' { unescape(&piece)? } else { piece });
            }
            '\\' => {
                chars.next();
                match chars.next() {
                    Some((_, d)) => value.push(d),
                    None => return Ok(None),
                }
            }
            c if c.is_whitespace() || c == '#' => return Ok(Some((value, body[i..].to_owned()))),
            c => {
                chars.next();
                value.push(c);
            }
        }
    }
    Ok(Some((value, String::new())))
}

fn unescape(value: &str) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(c @ ('\\' | '"' | '$' | '\'')) => out.push(c),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => return Err("a value ends in a lone backslash".into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile() -> Vec<(String, String)> {
        [
            ("QUOTES", "it's \"quoted\""),
            ("NEWLINES", "line1\nline2\r\nline3\n"),
            ("DOLLAR", "$HOME ${X} $$ %{y}"),
            ("EQUALS", "a=b=c"),
            ("UNICODE", "ünïcødé ✓ 日本"),
            ("EMPTY", ""),
            ("HASH", "value # not a comment"),
            ("BACKSLASH", "C:\\path\\n\\"),
            ("SPACES", "  padded  "),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    #[test]
    fn dotenv_round_trips_hostile_values() {
        let text = export("dev", ExportFormat::Dotenv, Dialect::Sh, &hostile()).unwrap();
        assert_eq!(parse_import("x.env", &text).unwrap(), hostile());
    }

    #[test]
    fn json_round_trips_hostile_values() {
        let text = export("dev", ExportFormat::Json, Dialect::Portable, &hostile()).unwrap();
        assert_eq!(parse_import("x.json", &text).unwrap(), hostile());
    }

    #[test]
    fn dotenv_as_people_write_it() {
        let text =
            "# comment\n\nexport A=1\nB = two words # trailing comment\nC='single $X \\n'\nD=\"multi\nline\"\nE=\n";
        let parsed = parse_import("f", text).unwrap();
        assert_eq!(
            parsed,
            [("A", "1"), ("B", "two words"), ("C", "single $X \\n"), ("D", "multi\nline"), ("E", "")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn dotenv_errors_name_the_line() {
        assert_eq!(parse_import("f.env", "A=1\nnot a pair\n").unwrap_err().to_string(), "f.env:2: expected KEY=VALUE");
        assert!(parse_import("f.env", "A=\"open\n").unwrap_err().to_string().starts_with("f.env:1: unterminated"));
        assert!(parse_import("f.json", "{\"A\": {\"b\": 1}}").unwrap_err().to_string().contains("`A` is nested"));
    }

    #[test]
    fn duplicate_keys_are_refused() {
        assert_eq!(parse_import("f.env", "A=1\nA=2\n").unwrap_err().to_string(), "f.env: `A` is set more than once");
    }

    #[test]
    fn dotenv_keeps_hierarchical_keys() {
        let params = [("db/primary.url".to_owned(), "x".to_owned())];
        let text = export("dev", ExportFormat::Dotenv, Dialect::Portable, &params).unwrap();
        assert_eq!(text, "db/primary.url='x'\n");
        assert_eq!(parse_import("f", &text).unwrap(), params);
    }

    #[test]
    fn shell_quoting() {
        let text = export("dev", ExportFormat::Shell, Dialect::Portable, &[("K".into(), "it's $x".into())]).unwrap();
        assert_eq!(text, "export K='it'\\''s $x'\n");
    }

    #[test]
    fn tfvars_escapes_templates() {
        let text = export("dev", ExportFormat::Tfvars, Dialect::Portable, &[("k".into(), "${a} %{b} \"q\"\n".into())])
            .unwrap();
        assert_eq!(text, "k = \"$${a} %%{b} \\\"q\\\"\\n\"\n");
    }

    #[test]
    fn yaml_and_csv() {
        let params = [("a/b".to_owned(), "x: \"y\"\n".to_owned())];
        assert_eq!(
            export("dev", ExportFormat::Yaml, Dialect::Portable, &params).unwrap(),
            "\"a/b\": \"x: \\\"y\\\"\\n\"\n"
        );
        assert_eq!(
            export("dev", ExportFormat::Csv, Dialect::Portable, &params).unwrap(),
            "key,value\na/b,\"x: \"\"y\"\"\n\"\n"
        );
    }
}
