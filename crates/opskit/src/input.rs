//! The input layer: records on stdin, as another opskit tool (or `jq`) wrote them.
//!
//! A command that acts on named things accepts `-` in place of the names and then reads
//! records: NDJSON, concatenated JSON objects, or one JSON array (or several). Records are
//! numbered from 1 across the stream, and every error names the record.

use std::io::{self, BufReader, Read};

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// One record read from stdin.
#[derive(Clone, Debug)]
pub struct Record {
    /// 1-based position in the input, for error messages.
    pub number: usize,
    pub kind: String,
    pub fields: Map<String, Value>,
}

impl Record {
    /// Refuse a record of a kind this command cannot use (never a silent skip).
    pub fn expect_kind(&self, command: &str, kinds: &[&str]) -> Result<()> {
        if kinds.contains(&self.kind.as_str()) {
            return Ok(());
        }
        let wanted = kinds.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" or ");
        Err(Error::data(format!(
            "stdin: record {} is a `{}` record; {command} takes {wanted} records",
            self.number, self.kind
        )))
    }

    /// A required string field.
    pub fn str(&self, field: &str) -> Result<&str> {
        match self.fields.get(field) {
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(Error::data(format!(
                "stdin: record {} (`{}`): field `{field}` must be a string, not {}",
                self.number,
                self.kind,
                type_name(other)
            ))),
            None => Err(Error::data(format!("stdin: record {} (`{}`) has no `{field}` field", self.number, self.kind))),
        }
    }

    /// An optional string field (absent or `null` is `None`).
    pub fn opt_str(&self, field: &str) -> Result<Option<&str>> {
        match self.fields.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.str(field).map(Some),
        }
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A top-level JSON value of the input: one record, or an array of them.
enum TopLevel {
    One(Value),
    Many(Vec<Value>),
}

thread_local! {
    /// Elements of the array being parsed that parsed well: an error inside an array names its
    /// record by this count.
    static ARRAY_ELEMENTS_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl<'de> serde::Deserialize<'de> for TopLevel {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> std::result::Result<Self, D::Error> {
        struct Top;
        impl<'de> serde::de::Visitor<'de> for Top {
            type Value = TopLevel;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object or an array of objects")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<TopLevel, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Value>()? {
                    items.push(item);
                    ARRAY_ELEMENTS_READ.set(items.len());
                }
                Ok(TopLevel::Many(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> std::result::Result<TopLevel, A::Error> {
                serde::Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(TopLevel::One)
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<TopLevel, E> {
                Ok(TopLevel::One(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<TopLevel, E> {
                Ok(TopLevel::One(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<TopLevel, E> {
                Ok(TopLevel::One(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<TopLevel, E> {
                Ok(TopLevel::One(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<TopLevel, E> {
                Ok(TopLevel::One(Value::String(v.to_owned())))
            }
            fn visit_unit<E>(self) -> std::result::Result<TopLevel, E> {
                Ok(TopLevel::One(Value::Null))
            }
        }
        de.deserialize_any(Top)
    }
}

/// A stream of records. Objects are yielded as they are parsed; a JSON array is read whole and
/// then yielded element by element.
pub struct Records<R: Read> {
    stream: serde_json::StreamDeserializer<'static, serde_json::de::IoRead<R>, TopLevel>,
    pending: std::vec::IntoIter<Value>,
    number: usize,
    failed: bool,
}

/// Records from stdin.
pub fn stdin() -> Records<BufReader<io::Stdin>> {
    Records::new(BufReader::new(io::stdin()))
}

impl<R: Read> Records<R> {
    pub fn new(reader: R) -> Self {
        Records {
            stream: serde_json::Deserializer::from_reader(reader).into_iter(),
            pending: Vec::new().into_iter(),
            number: 0,
            failed: false,
        }
    }

    fn record(&mut self, value: Value) -> Result<Record> {
        self.number += 1;
        let number = self.number;
        let Value::Object(fields) = value else {
            return Err(Error::data(format!("stdin: record {number} is {}, not a JSON object", type_name(&value))));
        };
        let kind = match fields.get("kind") {
            Some(Value::String(kind)) => kind.clone(),
            _ => {
                return Err(Error::data(format!("stdin: record {number} has no `kind` field"))
                    .with_hint("records come from opskit tools (-o ndjson or -o json); each starts with \"kind\""));
            }
        };
        Ok(Record { number, kind, fields })
    }
}

impl<R: Read> Iterator for Records<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        if self.failed {
            return None;
        }
        loop {
            if let Some(value) = self.pending.next() {
                return Some(self.record(value));
            }
            ARRAY_ELEMENTS_READ.set(0);
            match self.stream.next()? {
                Ok(TopLevel::Many(items)) => self.pending = items.into_iter(),
                Ok(TopLevel::One(value)) => return Some(self.record(value)),
                Err(e) => {
                    self.failed = true;
                    if e.is_io() {
                        return Some(Err(Error::data(format!("stdin: cannot read records: {e}"))));
                    }
                    let number = self.number + ARRAY_ELEMENTS_READ.get() + 1;
                    return Some(Err(Error::data(format!("stdin: record {number}: malformed JSON: {e}"))));
                }
            }
        }
    }
}

/// The names a command acts on: the arguments as given, or, when they are exactly `-`, the
/// `field` of each record on stdin (each of one of `kinds`). With `app`, a record that names
/// another app in its `app` field is refused: one app's listing never acts on another's things.
pub fn names_or_stdin(
    args: &[String],
    command: &str,
    kinds: &[&str],
    field: &str,
    app: Option<&str>,
) -> Result<Vec<String>> {
    names_from(args, stdin(), command, kinds, field, app)
}

pub fn names_from<R: Read>(
    args: &[String],
    records: Records<R>,
    command: &str,
    kinds: &[&str],
    field: &str,
    app: Option<&str>,
) -> Result<Vec<String>> {
    if !args.iter().any(|a| a == "-") {
        return Ok(args.to_vec());
    }
    if args.len() > 1 {
        return Err(Error::usage("`-` (read records from stdin) cannot be mixed with names"));
    }
    records
        .map(|r| {
            let r = r?;
            r.expect_kind(command, kinds)?;
            if let (Some(app), Some(theirs)) = (app, r.opt_str("app")?)
                && app != theirs
            {
                return Err(Error::data(format!("stdin: record {} belongs to app `{theirs}`, not `{app}`", r.number)));
            }
            r.str(field).map(str::to_owned)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Result<Record>> {
        Records::new(text.as_bytes()).collect()
    }

    #[test]
    fn ndjson_array_and_concatenated() {
        for text in [
            "{\"kind\":\"env\",\"name\":\"a\"}\n{\"kind\":\"env\",\"name\":\"b\"}\n",
            "[{\"kind\":\"env\",\"name\":\"a\"},\n {\"kind\":\"env\",\"name\":\"b\"}]",
            "{\"kind\":\"env\",\"name\":\"a\"}{\"kind\":\"env\",\"name\":\"b\"}",
            "[{\"kind\":\"env\",\"name\":\"a\"}]\n[{\"kind\":\"env\",\"name\":\"b\"}]\n",
        ] {
            let names: Vec<String> =
                read(text).into_iter().map(|r| r.unwrap().str("name").unwrap().to_owned()).collect();
            assert_eq!(names, ["a", "b"], "{text}");
        }
        assert!(read("").is_empty());
        assert!(read("[]").is_empty());
    }

    #[test]
    fn malformed_json_names_the_record_and_stops() {
        let records = read("{\"kind\":\"env\",\"name\":\"a\"}\n{\"kind\": env}\n{\"kind\":\"env\"}");
        assert_eq!(records.len(), 2);
        let err = records[1].as_ref().unwrap_err();
        assert_eq!(err.exit(), crate::Exit::DataErr);
        assert!(err.to_string().starts_with("stdin: record 2: malformed JSON: expected value at line 2"), "{err}");
    }

    #[test]
    fn malformed_json_inside_an_array_names_the_element() {
        let records =
            read("{\"kind\":\"env\",\"name\":\"a\"}\n[{\"kind\":\"env\"},{\"kind\":\"env\"},{\"kind\": env}]");
        assert_eq!(records.len(), 2);
        let err = records[1].as_ref().unwrap_err().to_string();
        assert!(err.starts_with("stdin: record 4: malformed JSON"), "{err}");
    }

    #[test]
    fn wrong_kind_is_named() {
        let r = read("{\"kind\":\"cost\",\"amount\":1}").remove(0).unwrap();
        let err = r.expect_kind("envctl rm", &["env"]).unwrap_err();
        assert_eq!(err.to_string(), "stdin: record 1 is a `cost` record; envctl rm takes `env` records");
    }

    #[test]
    fn non_objects_and_missing_kind() {
        let err = read("42").remove(0).unwrap_err();
        assert_eq!(err.to_string(), "stdin: record 1 is a number, not a JSON object");
        let err = read("{\"name\":\"a\"}").remove(0).unwrap_err();
        assert_eq!(err.to_string(), "stdin: record 1 has no `kind` field");
    }

    #[test]
    fn fields() {
        let r = read("{\"kind\":\"env\",\"name\":7,\"owner\":null}").remove(0).unwrap();
        assert_eq!(
            r.str("name").unwrap_err().to_string(),
            "stdin: record 1 (`env`): field `name` must be a string, not a number"
        );
        assert_eq!(r.opt_str("owner").unwrap(), None);
        assert!(r.str("missing").unwrap_err().to_string().contains("has no `missing` field"));
    }

    #[test]
    fn names_from_args_or_records() {
        let none = || Records::new(&b""[..]);
        assert_eq!(names_from(&["a".into()], none(), "x", &["env"], "name", None).unwrap(), ["a"]);
        let recs = Records::new(&b"{\"kind\":\"env\",\"name\":\"d\"}"[..]);
        assert_eq!(names_from(&["-".into()], recs, "x", &["env"], "name", Some("a")).unwrap(), ["d"]);
        let other = Records::new(&b"{\"kind\":\"env\",\"app\":\"b\",\"name\":\"d\"}"[..]);
        let err = names_from(&["-".into()], other, "x", &["env"], "name", Some("a")).unwrap_err();
        assert_eq!(err.to_string(), "stdin: record 1 belongs to app `b`, not `a`");
        let mixed = names_from(&["-".into(), "a".into()], none(), "x", &["env"], "name", None);
        assert_eq!(mixed.unwrap_err().exit(), crate::Exit::Usage);
    }
}
