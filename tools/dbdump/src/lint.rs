//! Which columns need a rule and lack one: personal-looking by name, by sampled content, or (with
//! `policy = "strict"`) any column at all. `lint` prints these; `create` refuses a prod-tier dump
//! while there are any; `rules init` turns them into a rules file.

use opskit::Result;
use opskit::finding::Finding;

use crate::engine::{Catalog, Client, ColumnKind, Table};
use crate::sanitize::detect::{self, Suspicion};
use crate::sanitize::rules::{Policy, Rules, Transform};
use crate::source::Engine;

/// A column that needs a rule.
#[derive(Clone, Debug)]
pub struct Gap {
    pub table: String,
    pub column: String,
    /// Why it looks personal; `None` under the strict policy for an ordinary column.
    pub suspicion: Option<Suspicion>,
}

impl Gap {
    pub fn name(&self) -> String {
        format!("{}.{}", self.table, self.column)
    }

    pub fn suggested(&self) -> Transform {
        self.suspicion.as_ref().map_or(Transform::Keep, |s| s.suggested.clone())
    }

    pub fn finding(&self) -> Finding {
        let (check, found) = match &self.suspicion {
            Some(s) => (format!("personal_{}", s.check), format!("no rule; {}", s.detail)),
            None => ("no_rule".to_owned(), "no rule (policy = \"strict\" needs one for every column)".to_owned()),
        };
        let suggested = self.suggested();
        let rule = crate::commands::inspect::rule_toml(&suggested);
        Finding::fail(check, self.name()).expected(format!("a rule, such as `{}`", suggested.name())).found(found).hint(
            format!(
                "add `{} = {rule}` under [tables.{}.columns] (`dbdump rules init` writes them all)",
                self.column, self.table
            ),
        )
    }
}

/// Values sampled from each table for content checks.
pub const SAMPLE_ROWS: usize = 200;

/// The columns that need a rule and have none, in the tables a dump would read (`tables`:
/// all when empty). Tables whose data is skipped need none.
pub fn gaps(client: &Client, catalog: &Catalog, rules: &Rules, tables: &[String]) -> Result<Vec<Gap>> {
    let mut gaps = Vec::new();
    for table in &catalog.tables {
        if !tables.is_empty() && !tables.contains(&table.name) {
            continue;
        }
        let spec = rules.tables.get(&table.name);
        if spec.is_some_and(|s| s.skip_data) {
            continue;
        }
        let unruled: Vec<&crate::engine::Column> =
            table.columns.iter().filter(|c| spec.is_none_or(|s| !s.columns.contains_key(&c.name))).collect();
        if unruled.is_empty() {
            continue;
        }
        let sampled = sample(client, table, &unruled)?;
        for (column, values) in unruled.iter().zip(sampled) {
            let suspicion = detect::by_name(column).or_else(|| detect::by_content(&values));
            if suspicion.is_some() || rules.policy == Policy::Strict {
                gaps.push(Gap { table: table.name.clone(), column: column.name.clone(), suspicion });
            }
        }
    }
    Ok(gaps)
}

/// Up to [`SAMPLE_ROWS`] non-null values of each text-like column (others get none).
fn sample(client: &Client, table: &Table, columns: &[&crate::engine::Column]) -> Result<Vec<Vec<String>>> {
    let text: Vec<usize> =
        (0..columns.len()).filter(|i| matches!(columns[*i].kind, ColumnKind::Text | ColumnKind::Other)).collect();
    let mut out = vec![Vec::new(); columns.len()];
    if text.is_empty() {
        return Ok(out);
    }
    let quote = |name: &str| match client.engine() {
        Engine::Postgres => format!("{}::text", crate::engine::postgres::quote_ident(name)),
        Engine::Mysql => format!("CAST({} AS CHAR)", crate::engine::mysql::quote_ident(name)),
    };
    let list: Vec<String> = text.iter().map(|i| quote(&columns[*i].name)).collect();
    let sql = format!("SELECT {} FROM {} LIMIT {SAMPLE_ROWS}", list.join(", "), table.sql_name);
    for row in client.query(&sql)? {
        for (slot, value) in text.iter().zip(row) {
            if let Some(value) = value {
                out[*slot].push(value);
            }
        }
    }
    Ok(out)
}
