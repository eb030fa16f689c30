use serde_json::json;

use super::*;

fn render(format: Format, records: &[Value], mask: &[&str], layout: Layout) -> String {
    let mut buf = Vec::new();
    let mut e = Emitter::new(&mut buf, format, false).mask(mask.iter().copied()).layout(layout);
    for r in records {
        e.emit(r).unwrap();
    }
    e.finish().unwrap();
    String::from_utf8(buf).unwrap()
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
