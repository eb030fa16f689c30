//! Tables for people: aligned columns, `kind` left out (every row has the same one), secrets
//! masked, control characters made visible so one value can't break the layout.

use std::io::{self, Write};

use serde_json::{Map, Value};

use super::{MASK, flatten};

pub(super) struct Style<'a> {
    pub color: bool,
    pub masked: &'a [String],
}

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

impl Style<'_> {
    fn cell(&self, key: &str, text: String) -> String {
        if !text.is_empty() && self.masked.iter().any(|m| m == key) {
            return MASK.to_owned();
        }
        if text.chars().any(char::is_control) {
            return text.chars().flat_map(char::escape_default).collect();
        }
        text
    }
}

fn visible_rows(rows: &[Map<String, Value>], style: &Style<'_>) -> (Vec<String>, Vec<Vec<(String, String)>>) {
    let mut columns: Vec<String> = Vec::new();
    let rows: Vec<Vec<(String, String)>> = rows
        .iter()
        .map(|row| {
            flatten(row)
                .into_iter()
                .filter(|(k, _)| k != "kind")
                .map(|(k, v)| {
                    let v = style.cell(&k, v);
                    (k, v)
                })
                .collect()
        })
        .collect();
    for row in &rows {
        for (k, _) in row {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    (columns, rows)
}

fn width(s: &str) -> usize {
    s.chars().count()
}

pub(super) fn rows(out: &mut impl Write, rows: &[Map<String, Value>], style: &Style<'_>) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let (columns, rows) = visible_rows(rows, style);
    let header: Vec<String> = columns.iter().map(|c| c.to_uppercase()).collect();
    let grid: Vec<Vec<&str>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| {
                    row.iter().find(|(k, _)| k == c).map_or("-", |(_, v)| if v.is_empty() { "-" } else { v.as_str() })
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| grid.iter().map(|r| width(r[i])).chain([width(&header[i])]).max().unwrap_or(0))
        .collect();
    let line = |out: &mut dyn Write, cells: &[&str], bold: bool| -> io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.extend(std::iter::repeat_n(' ', widths[i] - width(cell) + 2));
            }
        }
        if bold && style.color { writeln!(out, "{BOLD}{text}{RESET}") } else { writeln!(out, "{text}") }
    };
    line(out, &header.iter().map(String::as_str).collect::<Vec<_>>(), true)?;
    for row in &grid {
        line(out, row, false)?;
    }
    Ok(())
}

pub(super) fn detail(out: &mut impl Write, rows: &[Map<String, Value>], style: &Style<'_>) -> io::Result<()> {
    let (_, rows) = visible_rows(rows, style);
    for (n, row) in rows.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let pad = row.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
        for (key, value) in row {
            let value = if value.is_empty() { "-" } else { value };
            let gap = " ".repeat(pad - width(key) + 2);
            if style.color {
                writeln!(out, "{BOLD}{key}{RESET}{gap}{value}")?;
            } else {
                writeln!(out, "{key}{gap}{value}")?;
            }
        }
    }
    Ok(())
}
