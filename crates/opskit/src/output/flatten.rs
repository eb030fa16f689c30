//! Dotted flattening for csv/tsv and tables: `{"group": {"service": "S3"}}` → `group.service`.

use serde_json::{Map, Value};

/// Flatten an object to `(dotted.name, text)` pairs, in field order. Arrays become their JSON
/// text (a cell holds one value); `null` becomes the empty string.
pub fn flatten(object: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(object.len());
    walk(&mut String::new(), object, &mut out);
    out
}

fn walk(prefix: &mut String, object: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (key, value) in object {
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(key);
        match value {
            Value::Object(inner) if !inner.is_empty() => walk(prefix, inner, out),
            other => out.push((prefix.clone(), cell(other))),
        }
        prefix.truncate(len);
    }
}

/// A scalar's text as a cell shows it.
pub(super) fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) | Value::Object(_) => value.to_string(),
    }
}
