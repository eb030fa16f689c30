//! PostgreSQL: `pg_dump` and `psql`, the catalog from `information_schema` and `pg_index`.

use std::process::Command;

use opskit::Result;

use super::{Catalog, Client, Column, ColumnKind, Rows, Table};
use crate::sanitize::pgcopy;

/// `"name"`, doubling quotes inside.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A SQL string literal.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Every query goes through `COPY (…) TO STDOUT`: its text format escapes tabs, newlines and
/// backslashes and marks NULL, so any value comes back exactly. Never a password prompt (as
/// `pg_dump --no-password`): queries run side by side, and the password comes from the URL,
/// `PGPASSWORD` or `~/.pgpass`.
pub(super) fn query_args(cmd: &mut Command, sql: &str) {
    cmd.args(["-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-c", &format!("COPY ({sql}) TO STDOUT")]);
}

pub(super) fn parse_rows(out: &[u8]) -> Rows {
    out.split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            line.split(|b| *b == b'\t')
                .map(|field| pgcopy::decode_field(field).map(|v| String::from_utf8_lossy(&v).into_owned()))
                .collect()
        })
        .collect()
}

pub(super) fn exists_sql(database: &str) -> String {
    format!("SELECT 1 FROM pg_database WHERE datname = {}", quote_literal(database))
}

pub(super) const TABLE_COUNT: &str =
    "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')";

const COLUMNS: &str = "SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.udt_name, \
     c.character_maximum_length, c.is_nullable \
     FROM information_schema.columns c JOIN information_schema.tables t \
       ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
     WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema') \
     ORDER BY c.table_schema, c.table_name, c.ordinal_position";

/// Columns under a unique index of their own (primary keys included).
const UNIQUE: &str = "SELECT n.nspname, cl.relname, a.attname FROM pg_index i \
     JOIN pg_class cl ON cl.oid = i.indrelid JOIN pg_namespace n ON n.oid = cl.relnamespace \
     JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = i.indkey[0] \
     WHERE i.indisunique AND i.indnatts = 1 AND n.nspname NOT IN ('pg_catalog', 'information_schema')";

/// The name rules use: `users` in `public`, `audit.log` elsewhere.
pub fn display_name(schema: &str, table: &str) -> String {
    if schema == "public" { table.to_owned() } else { format!("{schema}.{table}") }
}

fn kind(data_type: &str, udt: &str) -> ColumnKind {
    match data_type {
        "character varying" | "character" | "text" | "name" => ColumnKind::Text,
        "smallint" | "integer" | "bigint" => ColumnKind::Integer,
        "numeric" | "real" | "double precision" | "money" => ColumnKind::Decimal,
        "date" => ColumnKind::Date,
        d if d.starts_with("timestamp") => ColumnKind::Timestamp,
        "uuid" => ColumnKind::Uuid,
        "json" | "jsonb" => ColumnKind::Json,
        "bytea" => ColumnKind::Binary,
        "boolean" => ColumnKind::Bool,
        "USER-DEFINED" if udt == "citext" => ColumnKind::Text,
        _ => ColumnKind::Other,
    }
}

pub(super) fn catalog(client: &Client) -> Result<Catalog> {
    let [version, unique, columns] = client.queries(["SELECT current_setting('server_version')", UNIQUE, COLUMNS])?;
    let unique: Vec<(String, String)> = unique
        .into_iter()
        .map(|r| {
            (
                display_name(r[0].as_deref().unwrap_or(""), r[1].as_deref().unwrap_or("")),
                r[2].clone().unwrap_or_default(),
            )
        })
        .collect();
    let mut tables: Vec<Table> = Vec::new();
    for row in columns {
        let text = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
        let (schema, table) = (text(0), text(1));
        let name = display_name(&schema, &table);
        if tables.last().is_none_or(|t| t.name != name) {
            tables.push(Table {
                name: name.clone(),
                sql_name: format!("{}.{}", quote_ident(&schema), quote_ident(&table)),
                columns: Vec::new(),
            });
        }
        let column = text(2);
        let unique = unique.iter().any(|(t, c)| *t == name && *c == column);
        tables.last_mut().expect("pushed above").columns.push(Column {
            kind: kind(&text(3), &text(4)),
            data_type: text(3),
            max_len: text(5).parse().ok(),
            nullable: text(6) == "YES",
            unique,
            name: column,
        });
    }
    Ok(Catalog { server_version: version.first().and_then(|r| r[0].clone()).unwrap_or_default(), tables })
}

/// A transaction held open in `psql` whose snapshot `pg_dump --snapshot` and the subsets read,
/// so everything a dump holds is of one instant. It ends when dropped.
pub struct SnapshotHolder {
    child: std::process::Child,
    id: String,
}

impl SnapshotHolder {
    pub fn hold(client: &Client) -> Result<SnapshotHolder> {
        use std::io::{BufRead, Write};
        let mut cmd = client.client_command()?;
        cmd.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]);
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| opskit::Error::unavailable(format!("cannot run psql: {e}")))?;
        let mut stdin = child.stdin.take().expect("piped");
        stdin
            .write_all(b"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\nSELECT pg_export_snapshot();\n")
            .and_then(|()| stdin.flush())
            .map_err(|e| opskit::Error::unavailable(format!("holding a snapshot: {e}")))?;
        child.stdin = Some(stdin);
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.as_mut().expect("piped"))
            .read_line(&mut line)
            .map_err(|e| opskit::Error::unavailable(format!("holding a snapshot: {e}")))?;
        let id = line.trim().to_owned();
        if id.is_empty() {
            let mut err = String::new();
            let _ = std::io::Read::read_to_string(child.stderr.as_mut().expect("piped"), &mut err);
            let _ = child.kill();
            return Err(super::client_error("exporting a snapshot", &err));
        }
        Ok(SnapshotHolder { child, id })
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Drop for SnapshotHolder {
    fn drop(&mut self) {
        use std::io::Write;
        if let Some(mut stdin) = self.child.stdin.take() {
            let _ = stdin.write_all(b"COMMIT;\n");
        }
        let _ = self.child.wait();
    }
}

/// The rows of `table` that satisfy `condition`, read in the held snapshot, framed as a COPY
/// block (after the dump's own data, which left this table's out).
pub fn subset(client: &Client, table: &Table, condition: &str, snapshot: &str) -> Result<Vec<crate::pipeline::Part>> {
    let columns: Vec<String> = table.columns.iter().map(|c| quote_ident(&c.name)).collect();
    let list = columns.join(", ");
    let mut cmd = client.client_command()?;
    cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1"]);
    cmd.args(["-c", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"]);
    cmd.args(["-c", &format!("SET TRANSACTION SNAPSHOT {}", quote_literal(snapshot))]);
    cmd.args(["-c", &format!("COPY (SELECT {list} FROM {} WHERE {condition}) TO STDOUT", table.sql_name)]);
    cmd.args(["-c", "COMMIT"]);
    Ok(vec![
        crate::pipeline::Part::Text(format!(
            "\n-- dbdump: the rows of {} where {condition}\nCOPY {} ({list}) FROM stdin;\n",
            table.name, table.sql_name
        )),
        crate::pipeline::Part::Command(cmd, format!("dumping the subset of {}", table.name)),
        crate::pipeline::Part::Text("\\.\n\n".to_owned()),
    ])
}
