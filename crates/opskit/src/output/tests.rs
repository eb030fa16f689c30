use serde_json::json;

use super::*;

fn render(format: Format, records: &[Value], mask: &[&str], layout: Layout) -> String {
    let mut buf = Vec::new();
    let mut e = Emitter::new(&mut buf, format, Style::default()).mask(mask.iter().copied()).layout(layout);
    for r in records {
        e.emit_value(r.clone()).unwrap();
    }
    e.finish().unwrap();
    String::from_utf8(buf).unwrap()
}

#[derive(serde::Serialize)]
struct Change {
    kind: &'static str,
    key: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
}

impl Record for Change {
    const KIND: &'static str = "change";
    const COLUMNS: &'static [&'static str] = &["kind", "key", "status", "error"];
}

fn change(key: &'static str, error: Option<&'static str>) -> Change {
    Change { kind: "change", key, status: if error.is_some() { "failed" } else { "written" }, error }
}

fn params() -> Vec<Value> {
    vec![
        json!({"kind": "param", "name": "DB_URL", "value": "postgres://u:p@h/db", "version": 3}),
        json!({"kind": "param", "name": "LOG_LEVEL", "value": "debug", "version": 12}),
    ]
}

#[test]
fn ndjson_is_one_object_a_line_kind_first() {
    let out = render(Format::Ndjson, &params(), &[], Layout::Rows);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("{\"kind\":\"param\""));
}

#[test]
fn json_is_one_array_even_when_empty() {
    let out = render(Format::Json, &params(), &[], Layout::Rows);
    let parsed: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed, params());
    assert_eq!(render(Format::Json, &[], &[], Layout::Rows), "[]\n");
}

#[test]
fn table_aligns_drops_kind_and_masks() {
    let out = render(Format::Table, &params(), &["value"], Layout::Rows);
    assert_eq!(out, "NAME       VALUE     VERSION\nDB_URL     ********  3\nLOG_LEVEL  ********  12\n");
}

#[test]
fn table_shows_control_characters_escaped() {
    let out = render(Format::Table, &[json!({"kind": "x", "a": "line1\nline2"})], &[], Layout::Rows);
    assert_eq!(out, "A\nline1\\nline2\n");
}

#[test]
fn csv_columns_are_the_declared_ones_whatever_comes_first() {
    let mut buf = Vec::new();
    let mut e = Emitter::new(&mut buf, Format::Csv, Style::default());
    e.emit(&change("A", None)).unwrap();
    e.emit(&change("B", Some("denied"))).unwrap();
    e.finish().unwrap();
    assert_eq!(String::from_utf8(buf).unwrap(), "kind,key,status,error\nchange,A,written,\nchange,B,failed,denied\n");
}

#[test]
fn an_emitter_dropped_half_way_still_completes_its_output() {
    for (format, expected) in [
        (Format::Json, "[\n{\"kind\":\"change\",\"key\":\"A\",\"status\":\"written\"}\n]\n"),
        (Format::Table, "KEY  STATUS\nA    written\n"),
        (Format::Csv, "kind,key,status,error\nchange,A,written,\n"),
    ] {
        let mut buf = Vec::new();
        {
            let mut e = Emitter::new(&mut buf, format, Style::default());
            e.emit(&change("A", None)).unwrap();
            // No finish: the command failed here.
        }
        assert_eq!(String::from_utf8(buf).unwrap(), expected, "{format:?}");
    }
    let mut buf = Vec::new();
    Emitter::new(&mut buf, Format::Csv, Style::default()).declare::<Change>().finish().unwrap();
    assert_eq!(String::from_utf8(buf).unwrap(), "kind,key,status,error\n", "an empty CSV keeps its header");
}

#[test]
fn one_table_per_kind_and_summaries() {
    let records = [
        json!({"kind": "change", "key": "A", "status": "written"}),
        json!({"kind": "env", "name": "demo", "keys": 2}),
        json!({"kind": "change", "key": "B", "status": "written"}),
    ];
    let out = render(Format::Table, &records, &[], Layout::Rows);
    assert_eq!(out, "KEY  STATUS\nA    written\nB    written\n\nNAME  KEYS\ndemo  2\n");
    let mut buf = Vec::new();
    let mut e = Emitter::new(&mut buf, Format::Table, Style::default())
        .summarise("change", |rows| format!("wrote {} keys", rows.len()));
    for r in records {
        e.emit_value(r).unwrap();
    }
    e.finish().unwrap();
    assert_eq!(String::from_utf8(buf).unwrap(), "wrote 2 keys\n\nNAME  KEYS\ndemo  2\n");
}

#[test]
fn tables_fit_the_width_and_align_wide_characters() {
    let records = [
        json!({"kind": "x", "name": "日本語", "note": "a long value that will not fit in the terminal"}),
        json!({"kind": "x", "name": "ab", "note": "short"}),
    ];
    let mut buf = Vec::new();
    let mut e = Emitter::new(&mut buf, Format::Table, Style { color: false, width: Some(30), wide: false });
    for r in records {
        e.emit_value(r).unwrap();
    }
    e.finish().unwrap();
    let out = String::from_utf8(buf).unwrap();
    assert_eq!(out, "NAME    NOTE\n日本語  a long value that wil…\nab      short\n");
    assert!(out.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 30), "{out}");
}

#[test]
fn columns_empty_in_every_row_are_left_out() {
    let out = render(Format::Table, &[json!({"kind": "x", "a": "1", "b": null})], &[], Layout::Rows);
    assert_eq!(out, "A\n1\n");
}

#[test]
fn detail_shows_lists_one_per_line() {
    let rec = json!({"kind": "env", "name": "dev", "key_names": ["A", "B"]});
    assert_eq!(render(Format::Table, &[rec], &[], Layout::Detail), "name       dev\nkey_names  A\n           B\n");
}

#[test]
fn detail_layout() {
    let out =
        render(Format::Table, &[json!({"kind": "identity", "account": "123", "region": null})], &[], Layout::Detail);
    assert_eq!(out, "account  123\nregion   -\n");
}

#[test]
fn csv_flattens_with_dotted_names_and_quotes() {
    let rec =
        json!({"kind": "cost", "group": {"service": "Amazon S3", "account": "1"}, "amount": 1.5, "note": "a,\"b\""});
    let out = render(Format::Csv, &[rec], &[], Layout::Rows);
    assert_eq!(out, "kind,group.service,group.account,amount,note\ncost,Amazon S3,1,1.5,\"a,\"\"b\"\"\"\n");
}

#[test]
fn tsv_escapes_tabs_and_newlines() {
    let rec = json!({"kind": "x", "v": "a\tb\nc\\d"});
    assert_eq!(render(Format::Tsv, &[rec], &[], Layout::Rows), "kind\tv\nx\ta\\tb\\nc\\\\d\n");
}

#[test]
fn csv_keeps_the_first_records_columns() {
    let out =
        render(Format::Csv, &[json!({"kind": "x", "a": 1}), json!({"kind": "x", "b": 2, "a": 3})], &[], Layout::Rows);
    assert_eq!(out, "kind,a\nx,1\nx,3\n");
}

#[test]
fn arrays_are_one_cell() {
    let out = render(Format::Csv, &[json!({"kind": "env", "keys": ["A", "B"]})], &[], Layout::Rows);
    assert_eq!(out, "kind,keys\nenv,\"[\"\"A\"\",\"\"B\"\"]\"\n");
}

#[derive(serde::Serialize)]
struct Cost {
    kind: &'static str,
    group: Map<String, Value>,
    amount: serde_json::Number,
}

impl Record for Cost {
    const KIND: &'static str = "cost";
    const COLUMNS: &'static [&'static str] = &["kind", "group.*", "amount"];
}

#[test]
fn a_footer_ends_the_table_and_amounts_align_right() {
    let mut buf = Vec::new();
    let mut e = Emitter::new(&mut buf, Format::Table, Style::default()).align_right::<Cost>(&["amount"]);
    for (service, amount) in [("Amazon S3", "1.50"), ("AWS Lambda", "1234.00")] {
        let group = Map::from_iter([("service".to_owned(), json!(service))]);
        e.emit(&Cost { kind: "cost", group, amount: amount.parse().unwrap() }).unwrap();
    }
    e.footer::<Cost>(vec![Map::from_iter([
        ("group.service".to_owned(), json!("total")),
        ("amount".to_owned(), json!("1235.50")),
    ])]);
    e.finish().unwrap();
    assert_eq!(
        String::from_utf8(buf).unwrap(),
        "SERVICE      AMOUNT\nAmazon S3      1.50\nAWS Lambda  1234.00\ntotal       1235.50\n"
    );
    // Other formats have no footer line.
    let mut buf = Vec::new();
    let mut e = Emitter::new(&mut buf, Format::Ndjson, Style::default());
    let group = Map::from_iter([("service".to_owned(), json!("S3"))]);
    e.emit(&Cost { kind: "cost", group, amount: "0.10".parse().unwrap() }).unwrap();
    e.footer::<Cost>(vec![Map::from_iter([("amount".to_owned(), json!("0.10"))])]);
    e.finish().unwrap();
    assert_eq!(String::from_utf8(buf).unwrap(), "{\"kind\":\"cost\",\"group\":{\"service\":\"S3\"},\"amount\":0.10}\n");
}
