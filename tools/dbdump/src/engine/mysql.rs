//! MariaDB/MySQL: `mariadb-dump`/`mysqldump` and `mariadb`/`mysql`, the catalog from
//! `information_schema`.

use std::process::Command;

use opskit::Result;

use super::{Catalog, Client, Column, ColumnKind, Rows, Table};

/// `` `name` ``, doubling backticks inside.
pub fn quote_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A SQL string literal, MySQL's escaping.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

pub(super) fn query_args(cmd: &mut Command, database: &str, sql: &str) {
    cmd.args(["--batch", "--skip-column-names", "--default-character-set=utf8mb4"]);
    if !database.is_empty() {
        cmd.args(["--database", database]);
    }
    cmd.args(["--execute", sql]);
}

/// `--batch` output: tab-separated, with `\t \n \\ \0` escaped and NULL as the word `NULL`
/// (queries here never select a string `NULL` where a NULL is possible).
pub(super) fn parse_rows(out: &[u8]) -> Rows {
    out.split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            line.split(|b| *b == b'\t')
                .map(|field| (field != b"NULL").then(|| String::from_utf8_lossy(&unescape_batch(field)).into_owned()))
                .collect()
        })
        .collect()
}

fn unescape_batch(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut bytes = field.iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b't') => out.push(b'\t'),
            Some(b'n') => out.push(b'\n'),
            Some(b'0') => out.push(0),
            Some(&other) => out.push(other),
            None => out.push(b'\\'),
        }
    }
    out
}

pub(super) fn exists_sql(database: &str) -> String {
    format!("SELECT 1 FROM information_schema.schemata WHERE schema_name = {}", quote_literal(database))
}

pub(super) const TABLE_COUNT: &str = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()";

const COLUMNS: &str = "SELECT c.table_name, c.column_name, c.data_type, c.character_maximum_length, c.is_nullable, c.column_key, c.column_type \
     FROM information_schema.columns c JOIN information_schema.tables t \
       ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
     WHERE c.table_schema = DATABASE() AND t.table_type = 'BASE TABLE' \
     ORDER BY c.table_name, c.ordinal_position";

/// Columns under a unique index of their own.
const UNIQUE: &str = "SELECT table_name, MIN(column_name) FROM information_schema.statistics \
     WHERE table_schema = DATABASE() AND non_unique = 0 GROUP BY table_name, index_name HAVING COUNT(*) = 1";

fn kind(data_type: &str, column_type: &str) -> ColumnKind {
    match data_type {
        "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "enum" | "set" => ColumnKind::Text,
        "tinyint" if column_type.starts_with("tinyint(1)") => ColumnKind::Bool,
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" | "year" => ColumnKind::Integer,
        "decimal" | "float" | "double" => ColumnKind::Decimal,
        "date" => ColumnKind::Date,
        "datetime" | "timestamp" => ColumnKind::Timestamp,
        "json" => ColumnKind::Json,
        "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" => ColumnKind::Binary,
        "uuid" => ColumnKind::Uuid,
        _ => ColumnKind::Other,
    }
}

pub(super) fn catalog(client: &Client) -> Result<Catalog> {
    let [version, unique, columns] = client.queries(["SELECT VERSION()", UNIQUE, COLUMNS])?;
    let unique: Vec<(String, String)> =
        unique.into_iter().map(|r| (r[0].clone().unwrap_or_default(), r[1].clone().unwrap_or_default())).collect();
    let mut tables: Vec<Table> = Vec::new();
    for row in columns {
        let text = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
        let table = text(0);
        if tables.last().is_none_or(|t| t.name != table) {
            tables.push(Table { name: table.clone(), sql_name: quote_ident(&table), columns: Vec::new() });
        }
        let column = text(1);
        let unique = unique.iter().any(|(t, c)| *t == table && *c == column);
        // MariaDB reports JSON columns as longtext with a json_valid check.
        let data_type = text(2);
        tables.last_mut().expect("pushed above").columns.push(Column {
            kind: kind(&data_type, &text(6)),
            data_type,
            max_len: text(3).parse().ok(),
            nullable: text(4) == "YES",
            unique,
            name: column,
        });
    }
    Ok(Catalog { server_version: version.first().and_then(|r| r[0].clone()).unwrap_or_default(), tables })
}
