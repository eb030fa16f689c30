//! Tables for people: aligned by display width (CJK and emoji take two columns), cut to the
//! terminal's width with `…` unless `--wide`, `kind` left out (every row of a table has the
//! same one), columns empty in every row left out, secrets masked, control characters made
//! visible so one value can't break the layout.

use std::io::{self, IsTerminal, Write};

use serde_json::{Map, Value};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::flatten::cell as flatten_cell;
use super::{MASK, flatten};

/// How tables are drawn.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
    /// The width to fit in; `None`: no limit (`--wide`, or not a terminal).
    pub width: Option<usize>,
    /// `--wide`: every column, whole values.
    pub wide: bool,
}

impl Style {
    /// For stdout: its terminal's width unless `wide` or stdout is not a terminal.
    pub fn for_stdout(color: bool, wide: bool) -> Style {
        let width = if wide || !io::stdout().is_terminal() {
            None
        } else {
            rustix::termios::tcgetwinsize(io::stdout()).ok().map(|w| usize::from(w.ws_col)).filter(|w| *w > 0)
        };
        Style { color, width, wide }
    }
}

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";
/// The narrowest a cut column gets (a masked secret still shows whole).
const MIN_COLUMN: usize = MASK.len();

fn cell(masked: &[String], key: &str, text: String) -> String {
    if !text.is_empty() && masked.iter().any(|m| m == key) {
        return MASK.to_owned();
    }
    if text.chars().any(char::is_control) {
        return text.chars().flat_map(char::escape_default).collect();
    }
    text
}

fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` display columns, ending in `…` when cut.
fn cut(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Column widths that fit `limit` (with two spaces between columns): the widest columns give
/// way first, none below [`MIN_COLUMN`] (or its natural width).
fn fit(mut widths: Vec<usize>, limit: Option<usize>) -> Vec<usize> {
    let Some(limit) = limit else { return widths };
    let gaps = 2 * widths.len().saturating_sub(1);
    while widths.iter().sum::<usize>() + gaps > limit {
        let Some((i, &w)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else { break };
        if w <= MIN_COLUMN {
            break;
        }
        widths[i] = w - 1;
    }
    widths
}

/// How one kind's rows are laid out, besides the style.
#[derive(Default)]
pub(super) struct Columns<'a> {
    /// Fields shown as [`MASK`].
    pub masked: &'a [String],
    /// The columns a person needs, in order (all of them with `--wide`, or when empty).
    pub brief: &'a [String],
    /// Columns aligned to the right.
    pub right: &'a [String],
    /// Last lines (totals), their fields named as the columns are.
    pub footer: &'a [Map<String, Value>],
}

pub(super) fn rows(
    out: &mut impl Write,
    rows: &[Map<String, Value>],
    style: &Style,
    spec: &Columns<'_>,
) -> io::Result<()> {
    let (masked, brief) = (spec.masked, spec.brief);
    let flat: Vec<Vec<(String, String)>> = rows
        .iter()
        .map(|row| {
            flatten(row)
                .into_iter()
                .filter(|(k, _)| k != "kind")
                .map(|(k, v)| {
                    let v = cell(masked, &k, v);
                    (k, v)
                })
                .collect()
        })
        .collect();
    // Columns in order of appearance (or the brief ones, in their order), leaving out those
    // empty in every row.
    let mut columns: Vec<String> = Vec::new();
    for row in &flat {
        for (k, v) in row {
            if !v.is_empty() && !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    if !style.wide && !brief.is_empty() {
        columns = brief.iter().filter(|b| columns.contains(b)).cloned().collect();
    }
    if columns.is_empty() {
        return Ok(());
    }
    // A nested field is headed by its own name (`group.service` → SERVICE) unless two would
    // share one.
    let last = |c: &str| c.rsplit('.').next().unwrap_or(c).to_owned();
    let header: Vec<String> = columns
        .iter()
        .map(|c| {
            let short = last(c);
            let shared = columns.iter().filter(|o| last(o) == short).count() > 1;
            if shared { c.to_uppercase() } else { short.to_uppercase() }
        })
        .collect();
    let grid: Vec<Vec<&str>> = flat
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
    let footer: Vec<Vec<String>> = spec
        .footer
        .iter()
        .map(|line| {
            let flat = flatten(line);
            columns
                .iter()
                .map(|c| flat.iter().find(|(k, _)| k == c).map(|(_, v)| v.clone()).unwrap_or_default())
                .collect()
        })
        .collect();
    let natural: Vec<usize> = (0..columns.len())
        .map(|i| {
            let footer_width = footer.iter().map(|f| width(&f[i])).max().unwrap_or(0);
            grid.iter().map(|r| width(r[i])).chain([width(&header[i]), footer_width]).max().unwrap_or(0)
        })
        .collect();
    let widths = fit(natural, style.width);
    let right: Vec<bool> = columns.iter().map(|c| spec.right.contains(c)).collect();
    let line = |out: &mut dyn Write, cells: &[&str], bold: bool| -> io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let shown = cut(cell, widths[i]);
            let pad = widths[i].saturating_sub(width(&shown));
            if right[i] {
                text.extend(std::iter::repeat_n(' ', pad));
                text.push_str(&shown);
            } else {
                text.push_str(&shown);
                if i + 1 < cells.len() {
                    text.extend(std::iter::repeat_n(' ', pad));
                }
            }
            if i + 1 < cells.len() {
                text.push_str("  ");
            }
        }
        if bold && style.color { writeln!(out, "{BOLD}{text}{RESET}") } else { writeln!(out, "{text}") }
    };
    line(out, &header.iter().map(String::as_str).collect::<Vec<_>>(), true)?;
    for row in &grid {
        line(out, row, false)?;
    }
    for footer in &footer {
        line(out, &footer.iter().map(String::as_str).collect::<Vec<_>>(), true)?;
    }
    Ok(())
}

/// One `field  value` line per field; a list of names is shown one per line, not as JSON.
pub(super) fn detail(
    out: &mut impl Write,
    rows: &[Map<String, Value>],
    style: &Style,
    masked: &[String],
) -> io::Result<()> {
    for (n, row) in rows.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let mut lines: Vec<(String, Vec<String>)> = Vec::new();
        for (key, value) in row.iter().filter(|(k, _)| *k != "kind") {
            match value {
                Value::Array(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => {
                    let items: Vec<String> = items.iter().map(|i| cell(masked, key, flatten_cell(i))).collect();
                    lines.push((key.clone(), if items.is_empty() { vec!["-".into()] } else { items }));
                }
                Value::Object(_) => {
                    let nested = Map::from_iter([(key.clone(), value.clone())]);
                    for (k, v) in flatten(&nested) {
                        let v = cell(masked, &k, v);
                        lines.push((k, vec![if v.is_empty() { "-".into() } else { v }]));
                    }
                }
                other => {
                    let v = cell(masked, key, flatten_cell(other));
                    lines.push((key.clone(), vec![if v.is_empty() { "-".into() } else { v }]));
                }
            }
        }
        let pad = lines.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
        let room = style.width.map(|w| w.saturating_sub(pad + 2).max(MIN_COLUMN));
        for (key, values) in &lines {
            for (i, value) in values.iter().enumerate() {
                let value = room.map_or_else(|| value.clone(), |r| cut(value, r));
                let label = if i == 0 { key.as_str() } else { "" };
                let gap = " ".repeat(pad - width(label) + 2);
                if style.color && i == 0 {
                    writeln!(out, "{BOLD}{label}{RESET}{gap}{value}")?;
                } else {
                    writeln!(out, "{label}{gap}{value}")?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_counts_display_width() {
        assert_eq!(cut("abcdef", 6), "abcdef");
        assert_eq!(cut("abcdefg", 6), "abcde…");
        assert_eq!(cut("日本語テキスト", 7), "日本語…");
        assert_eq!(width("日本"), 4);
    }

    #[test]
    fn fit_shrinks_the_widest_first() {
        assert_eq!(fit(vec![10, 40, 5], Some(40)), vec![10, 21, 5]);
        assert_eq!(fit(vec![10, 40, 5], None), vec![10, 40, 5]);
        assert_eq!(fit(vec![30, 30], Some(10)), vec![8, 8], "not below the minimum");
    }
}
