//! The report as one self-contained HTML page: styles and the chart's script inline, the data
//! as JSON inside it, every text escaped. The tables carry each amount's exact value in a
//! `data-amount` attribute, beside the rounded one shown.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde_json::json;

use super::{Line, Report, Table};
use crate::money::Money;
use crate::record::percent;

/// Text for HTML content and attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `1234567.891` → `1,234,567.89`.
fn grouped(m: Money) -> String {
    let cents = m.cents();
    let (sign, digits) = cents.strip_prefix('-').map_or(("", cents.as_str()), |d| ("-", d));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}.{fraction}")
}

fn money_cell(class: &str, m: Money) -> String {
    format!("<td class=\"num {class}\" data-amount=\"{}\">{}</td>", m, grouped(m))
}

fn pct_cell(delta: Money, previous: Money) -> String {
    let text = match percent(delta, previous) {
        serde_json::Value::Null => "new".to_owned(),
        p => format!("{p}%"),
    };
    format!("<td class=\"num pct\">{}</td>", esc(&text))
}

fn table(out: &mut String, id: &str, t: &Table, currency: &str, total: Option<Money>) {
    let _ = write!(out, "<section><h2>{}</h2><table id=\"{id}\"><thead><tr>", esc(&t.title));
    for h in &t.headings {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    let _ = write!(out, "<th class=\"num\">{currency}</th>", currency = esc(currency));
    out.push_str(
        "<th class=\"num\">previous</th><th class=\"num\">change</th><th class=\"num\">%</th></tr></thead><tbody>",
    );
    for line in &t.lines {
        row(out, line, t.headings.len());
    }
    out.push_str("</tbody>");
    if let Some(total) = total {
        let previous: Decimal = t.lines.iter().map(|l| l.previous.0).sum();
        let previous = Money::new(previous);
        let delta = total.checked_sub(previous).unwrap_or_default();
        let _ = write!(
            out,
            "<tfoot><tr class=\"total\"><th colspan=\"{}\">total</th>{}{}{}{}</tr></tfoot>",
            t.headings.len(),
            money_cell("amount", total),
            money_cell("previous", previous),
            money_cell("delta", delta),
            pct_cell(delta, previous)
        );
    }
    out.push_str("</table></section>");
}

fn row(out: &mut String, line: &Line, columns: usize) {
    out.push_str("<tr>");
    for i in 0..columns {
        let value = line.group.get(i).map_or("", String::as_str);
        let shown = if value.is_empty() { "(untagged)" } else { value };
        let _ = write!(out, "<td>{}</td>", esc(shown));
    }
    let delta = line.delta();
    out.push_str(&money_cell("amount", line.amount));
    out.push_str(&money_cell("previous", line.previous));
    out.push_str(&money_cell("delta", delta));
    out.push_str(&pct_cell(delta, line.previous));
    out.push_str("</tr>");
}

/// The page.
pub fn render(r: &Report) -> String {
    let data = json!({
        "currency": r.currency,
        "days": r.days.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "series": r.series.iter().map(|(name, values)| json!({
            "name": name,
            "values": values.iter().map(ToString::to_string).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    // Inside <script>, `<` is written as \u003c so no value can close the element.
    let data = data.to_string().replace('<', "\\u003c");
    let delta = r.total.checked_sub(r.previous_total).unwrap_or_default();
    let mut out = String::with_capacity(64 << 10);
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="costq {version}">
<title>{title}</title>
<style>{STYLE}</style></head>
<body><header><h1>{title}</h1>
<p class="meta">{source} · {metric} cost · {currency} · as of {as_of}{estimated}</p></header>
<section class="summary">
<div class="figure"><span class="label">this period</span><span class="big" id="total" data-amount="{total_exact}">{total} {currency}</span><span class="label">{period}</span></div>
<div class="figure"><span class="label">previous period</span><span class="big" id="previous-total" data-amount="{previous_exact}">{previous} {currency}</span><span class="label">{previous_period}</span></div>
<div class="figure"><span class="label">change</span><span class="big {direction}" id="change" data-amount="{delta_exact}">{delta} {currency}</span><span class="label">{pct}</span></div>
</section>
<section><h2>Daily cost by service</h2>
<figure><svg id="chart" role="img" aria-label="Stacked daily cost by service" viewBox="0 0 960 340" preserveAspectRatio="xMidYMid meet"></svg>
<figcaption id="legend"></figcaption></figure></section>
"#,
        version = env!("CARGO_PKG_VERSION"),
        title = esc(&r.title),
        source = esc(&r.source),
        metric = esc(&r.metric.replace('_', " ")),
        currency = esc(&r.currency),
        as_of = r.as_of,
        estimated = if r.estimated { " · includes estimated costs (the month is not closed)" } else { "" },
        total_exact = r.total,
        total = grouped(r.total),
        period = esc(&r.period.to_string()),
        previous_exact = r.previous_total,
        previous = grouped(r.previous_total),
        previous_period = esc(&r.previous.to_string()),
        direction = if delta.0.is_sign_negative() { "down" } else { "up" },
        delta_exact = delta,
        delta = grouped(delta),
        pct = esc(&match percent(delta, r.previous_total) {
            serde_json::Value::Null => "no previous cost".to_owned(),
            p => format!("{p}%"),
        }),
    );
    let movers = Table {
        title: "Top movers against the previous period".into(),
        headings: vec!["service".into()],
        lines: r.movers.clone(),
    };
    if movers.lines.is_empty() {
        out.push_str(
            "<section><h2>Top movers against the previous period</h2><p class=\"meta\">no changes</p></section>",
        );
    } else {
        table(&mut out, "movers", &movers, &r.currency, None);
    }
    for (i, t) in r.tables.iter().enumerate() {
        let total = Money::new(t.lines.iter().map(|l| l.amount.0).sum());
        table(&mut out, &format!("table-{i}"), t, &r.currency, Some(total));
    }
    let _ = write!(
        out,
        "<footer>costq {version} · {groups} · generated from {source}</footer>\n<script type=\"application/json\" id=\"report-data\">{data}</script>\n<script>{SCRIPT}</script>\n</body></html>\n",
        version = env!("CARGO_PKG_VERSION"),
        groups = esc(&r.tables.iter().map(|t| t.title.as_str()).collect::<Vec<_>>().join(" · ")),
        source = esc(&r.source),
    );
    out
}

const STYLE: &str = r"
:root { --fg: #1d2330; --muted: #5b6577; --line: #dde2ea; --up: #b3261e; --down: #1b7f3b; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', sans-serif; color: var(--fg); margin: 0 auto; max-width: 1040px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta, .label, footer { color: var(--muted); font-size: 13px; }
.summary { display: flex; gap: 16px; flex-wrap: wrap; margin-top: 16px; }
.figure { flex: 1 1 220px; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; display: flex; flex-direction: column; }
.big { font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; }
.big.up { color: var(--up); } .big.down { color: var(--down); }
figure { margin: 0; } svg { width: 100%; height: auto; display: block; }
#legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 13px; margin-top: 6px; }
#legend span.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); font-size: 13px; }
.num { text-align: right; white-space: nowrap; }
tfoot th, tfoot td { font-weight: 700; color: var(--fg); border-top: 2px solid var(--fg); border-bottom: none; }
footer { margin-top: 32px; }
.axis text { fill: #5b6577; font-size: 11px; } .axis line { stroke: #dde2ea; }
@media print { body { padding: 0; } }
";

/// Draws the stacked daily chart from the page's data into the SVG (positive costs stacked up
/// from zero, credits and refunds down), and marks it drawn with the number of bars.
const SCRIPT: &str = r"
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var svg = document.getElementById('chart');
  var NS = 'http://www.w3.org/2000/svg';
  var colors = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#9c755f', '#bab0ac'];
  var W = 960, H = 340, left = 64, right = 12, top = 12, bottom = 34;
  var days = data.days, n = days.length;
  var up = [], down = [];
  for (var i = 0; i < n; i++) {
    var p = 0, m = 0;
    data.series.forEach(function (s) { var v = Number(s.values[i]); if (v > 0) p += v; else m += v; });
    up.push(p); down.push(m);
  }
  var max = Math.max.apply(null, up.concat([0])), min = Math.min.apply(null, down.concat([0]));
  if (max === min) max = min + 1;
  function y(v) { return top + (max - v) / (max - min) * (H - top - bottom); }
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    (parent || svg).appendChild(e);
    return e;
  }
  var axis = el('g', { 'class': 'axis' });
  for (var t = 0; t <= 4; t++) {
    var v = min + (max - min) * t / 4, yy = y(v);
    el('line', { x1: left, x2: W - right, y1: yy, y2: yy }, axis);
    var label = el('text', { x: left - 6, y: yy + 4, 'text-anchor': 'end' }, axis);
    label.textContent = v.toLocaleString('en-US', { maximumFractionDigits: v < 10 ? 2 : 0 });
  }
  var slot = (W - left - right) / Math.max(n, 1), bar = Math.max(1, slot * 0.78);
  var step = Math.ceil(n / 10);
  for (var d = 0; d < n; d += step) {
    var tx = el('text', { x: left + d * slot + slot / 2, y: H - 12, 'text-anchor': 'middle' }, axis);
    tx.textContent = days[d].slice(5);
  }
  var bars = 0;
  for (var i = 0; i < n; i++) {
    var pos = 0, neg = 0, x = left + i * slot + (slot - bar) / 2;
    data.series.forEach(function (s, k) {
      var v = Number(s.values[i]);
      if (!v) return;
      var from = v > 0 ? pos : neg, to = from + v;
      if (v > 0) pos = to; else neg = to;
      var r = el('rect', { 'class': 'bar', x: x, width: bar, y: Math.min(y(from), y(to)), height: Math.max(0.5, Math.abs(y(from) - y(to))), fill: colors[k % colors.length], 'data-day': days[i], 'data-service': s.name, 'data-amount': s.values[i] });
      el('title', {}, r).textContent = days[i] + ' · ' + s.name + ': ' + v.toFixed(2) + ' ' + data.currency;
      bars++;
    });
  }
  el('line', { x1: left, x2: W - right, y1: y(0), y2: y(0), stroke: '#1d2330' });
  var legend = document.getElementById('legend');
  data.series.forEach(function (s, k) {
    var item = document.createElement('span');
    var swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colors[k % colors.length];
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(s.name));
    legend.appendChild(item);
  });
  svg.setAttribute('data-bars', String(bars));
  svg.setAttribute('data-drawn', 'true');
})();
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Date, Period};

    #[test]
    fn amounts_are_grouped_and_text_is_escaped() {
        assert_eq!(grouped(Money::new("1234567.891".parse().unwrap())), "1,234,567.89");
        assert_eq!(grouped(Money::new("-1234.5".parse().unwrap())), "-1,234.50");
        assert_eq!(grouped(Money::new("12".parse().unwrap())), "12.00");
        assert_eq!(esc("<b a=\"x\">&'"), "&lt;b a=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn the_page_is_self_contained_and_its_data_cannot_close_the_script() {
        let day = Date::parse("2026-09-01").unwrap();
        let report = Report {
            title: "AWS costs".into(),
            period: Period::new(day, day),
            previous: Period::new(day.add_days(-1), day.add_days(-1)),
            source: "cur".into(),
            metric: "unblended".into(),
            currency: "USD".into(),
            estimated: false,
            total: Money::new(Decimal::from(5)),
            previous_total: Money::ZERO,
            days: vec![day],
            series: vec![("</script><b>".into(), vec![Decimal::from(5)])],
            movers: Vec::new(),
            tables: vec![Table {
                title: "Cost by service".into(),
                headings: vec!["service".into()],
                lines: vec![Line {
                    group: vec!["</script><b>".into()],
                    amount: Money::new(Decimal::from(5)),
                    previous: Money::ZERO,
                }],
            }],
            as_of: day,
        };
        let page = render(&report);
        assert_eq!(page.matches("</script>").count(), 2, "only the two script elements close");
        assert!(page.contains("&lt;/script&gt;&lt;b&gt;"));
        assert!(!page.contains("src=") && !page.contains("href="), "nothing loaded from elsewhere");
        assert!(page.contains("id=\"total\" data-amount=\"5\""));
    }
}
