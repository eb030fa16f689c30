//! The HTML report, opened in a real headless browser (Chromium from Debian's packages, which
//! tests/backends.sh installs): the chart is drawn by the page's own script, and the totals the
//! page shows are the records' totals.

use std::collections::BTreeMap;
use std::process::Command;

use rust_decimal::Decimal;

use crate::costq::{amount, by_group, costq, dec, export, ok, records};
use crate::support::exports::Shape;
use crate::support::{Sandbox, stderr_of};

/// The page's DOM after its scripts ran, as Chromium serialises it.
fn rendered(sb: &Sandbox, page: &std::path::Path) -> String {
    let profile = sb.path().join("chromium-profile");
    let out = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .env("HOME", sb.path())
        .output()
        .expect("chromium (tests/backends.sh installs Debian's package)");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The value of `attribute` in the first element that has `marker` before it.
fn attribute_after<'a>(dom: &'a str, marker: &str, attribute: &str) -> &'a str {
    let at = dom.find(marker).unwrap_or_else(|| panic!("no `{marker}` in the page"));
    let rest = &dom[at..];
    let start = rest.find(&format!("{attribute}=\"")).unwrap() + attribute.len() + 2;
    &rest[start..start + rest[start..].find('"').unwrap()]
}

/// first cell text → exact amount, for each body row of the table with `id`.
fn table_rows(dom: &str, id: &str) -> BTreeMap<String, Decimal> {
    let start = dom.find(&format!("<table id=\"{id}\"")).unwrap_or_else(|| panic!("no table {id}"));
    let table = &dom[start..start + dom[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let first = &row[row.find("<td>").unwrap() + 4..row.find("</td>").unwrap()];
            let amount = attribute_after(row, "class=\"num amount\"", "data-amount");
            (first.replace("&amp;", "&"), dec(amount))
        })
        .collect()
}

#[test]
fn the_report_opens_in_a_browser_with_the_chart_drawn_and_the_records_totals() {
    let sb = Sandbox::new();
    let file = export(&sb, "cur.csv", Shape::Cur, 2000, 91);
    let source = file.to_str().unwrap();
    let page = sb.path().join("costs.html");
    let period = ["--month", "2024-02", "--as-of", "2026-11-27"];
    let out = sb
        .tool("costq")
        .args(["report", "--source", source, "--html", page.to_str().unwrap(), "--by", "account"])
        .args(period)
        .output()
        .unwrap();
    let written = records(&out);
    assert_eq!(written[0]["kind"], "report");
    assert!(stderr_of(&out).contains("wrote "), "{}", stderr_of(&out));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("src=") && !html.contains("href=") && !html.contains("@import"),
        "self-contained: nothing loaded at view time"
    );

    let dom = rendered(&sb, &page);
    assert_eq!(attribute_after(&dom, "<svg id=\"chart\"", "data-drawn"), "true", "the page's script drew the chart");
    // The chart draws the seven services that cost most apart, the rest as `other`.
    let by_service = by_group(
        &records(&costq(&sb, &[&["--source", source, "--by", "service"][..], &period].concat())),
        &["service"],
    );
    let mut ranked: Vec<(&String, &Decimal)> = by_service.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let apart: Vec<&str> = ranked.iter().take(if ranked.len() > 8 { 7 } else { 8 }).map(|(s, _)| s.as_str()).collect();
    let daily = records(&costq(&sb, &[&["--source", source, "--daily", "--by", "service"][..], &period].concat()));
    let mut series: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    for r in &daily {
        let service = r["group"]["service"].as_str().unwrap();
        let name = if apart.contains(&service) { service } else { "other" };
        *series.entry((r["start"].as_str().unwrap().to_owned(), name.to_owned())).or_default() += amount(r);
    }
    let nonzero = series.values().filter(|v| !v.is_zero()).count();
    assert_eq!(dom.matches("class=\"bar\"").count(), nonzero, "a bar for every day and service with a cost");
    assert_eq!(attribute_after(&dom, "<svg id=\"chart\"", "data-bars"), nonzero.to_string());
    assert!(dom.contains("<span class=\"swatch\""), "a legend");

    // The page's totals are the records'.
    let feb = records(&costq(&sb, &[&["--source", source, "--by", "service", "--total"][..], &period].concat()));
    let total = amount(feb.iter().find(|r| r["total"] == true).unwrap());
    assert_eq!(dec(attribute_after(&dom, "id=\"total\"", "data-amount")), total);
    assert_eq!(dec(&written[0]["amount"].to_string()), total);
    let jan = records(&costq(&sb, &["--source", source, "--month", "2024-01", "--as-of", "2026-11-27", "--total"]));
    assert_eq!(dec(attribute_after(&dom, "id=\"previous-total\"", "data-amount")), amount(&jan[0]));
    assert_eq!(table_rows(&dom, "table-0"), by_group(&feb, &["service"]), "the table by service");
    let accounts = records(&costq(&sb, &[&["--source", source, "--by", "account"][..], &period].concat()));
    assert_eq!(table_rows(&dom, "table-1"), by_group(&accounts, &["account"]), "the table by account");
    let shown = dom.find("id=\"total\"").map(|i| &dom[i..i + 120]).unwrap();
    assert!(shown.contains(&format!("{} USD", grouped(total))), "shown rounded to cents: {shown}");
    ok(&out);
}

/// `1,234.57`, as the page shows money.
fn grouped(amount: Decimal) -> String {
    let cents = amount.round_dp(2);
    let text = format!("{cents:.2}");
    let (whole, fraction) = text.split_once('.').unwrap();
    let digits: Vec<char> = whole.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) && *c != '-' && digits[i - 1] != '-' {
            out.push(',');
        }
        out.push(*c);
    }
    format!("{out}.{fraction}")
}
