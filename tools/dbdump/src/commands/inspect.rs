//! Commands that read a live database and change nothing: `lint`, `rules init`, `compare`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use opskit::finding::{Finding, Status};
use opskit::{Error, Exit};

use crate::app::{DbDump, SourceArgs};
use crate::engine::{Catalog, Client, Table, mysql};
use crate::lint;
use crate::sanitize::rules::Transform;
use crate::source::{self, Engine};

pub async fn lint(app: &DbDump<'_>, source: &SourceArgs, rules_file: Option<&std::path::Path>) -> anyhow::Result<Exit> {
    let source = app.source(source).await?;
    let client = Client::new(source.url.clone());
    let (rules, text) = app.rules(rules_file)?;
    let catalog = DbDump::catalog(&client, &rules, text.as_deref())?;
    let gaps = lint::gaps(&client, &catalog, &rules, &[])?;
    let mut out = app.ctx.emitter().on_empty("no column needs a rule");
    for gap in &gaps {
        out.emit(&gap.finding())?;
    }
    out.finish()?;
    Ok(if gaps.is_empty() { Exit::Success } else { Exit::No })
}

/// A rule as TOML: `"email"`, `{ rule = "mask", first = 0, last = 4 }`.
pub fn rule_toml(rule: &Transform) -> String {
    match rule {
        Transform::DateShift { days } => format!("{{ rule = \"date_shift\", days = {days} }}"),
        Transform::Mask { first, last } => format!("{{ rule = \"mask\", first = {first}, last = {last} }}"),
        Transform::Constant { value } => {
            format!("{{ rule = \"constant\", value = {} }}", toml::Value::String(value.clone()))
        }
        other => format!("\"{}\"", other.name()),
    }
}

/// `rules init`: a rules file with a suggested rule for every column lint would flag.
pub async fn rules_init(app: &DbDump<'_>, source: &SourceArgs) -> anyhow::Result<Exit> {
    let source = app.source(source).await?;
    let client = Client::new(source.url.clone());
    let catalog = client.catalog()?;
    let gaps = lint::gaps(&client, &catalog, &crate::sanitize::rules::Rules::default(), &[])?;
    let mut text = format!(
        "# dbdump rules for {} ({}), drafted by `dbdump rules init`: check each one.\n# Rules: {}.\n",
        source.url.display(),
        source.origin,
        Transform::NAMES.join(", ")
    );
    let mut by_table: BTreeMap<&str, Vec<&lint::Gap>> = BTreeMap::new();
    for gap in &gaps {
        by_table.entry(&gap.table).or_default().push(gap);
    }
    for (table, gaps) in by_table {
        let _ = writeln!(text, "\n[tables.{}.columns]", toml_key(table));
        for gap in gaps {
            let why = gap.suspicion.as_ref().map_or("", |s| s.detail.as_str());
            let _ = writeln!(text, "{} = {}  # {why}", toml_key(&gap.column), rule_toml(&gap.suggested()));
        }
    }
    if gaps.is_empty() {
        text.push_str("\n# Nothing looks personal: no rule is needed.\n");
    }
    opskit::output::write_stdout(text.as_bytes())?;
    Ok(Exit::Success)
}

/// A TOML key, quoted when it has to be.
fn toml_key(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        key.to_owned()
    } else {
        toml::Value::String(key.to_owned()).to_string()
    }
}

/// Per-table row count and an order-independent checksum of the rows' content.
fn table_digests(client: &Client, catalog: &Catalog) -> opskit::Result<BTreeMap<String, (u64, String)>> {
    let mut out = BTreeMap::new();
    for table in &catalog.tables {
        let sql = digest_sql(client.engine(), table);
        let row = client.query(&sql)?.into_iter().next().unwrap_or_default();
        let count = row.first().cloned().flatten().and_then(|c| c.parse().ok()).unwrap_or(0);
        let sum = row.get(1).cloned().flatten().unwrap_or_else(|| "0".into());
        out.insert(table.name.clone(), (count, sum));
    }
    Ok(out)
}

/// The sum of a hash of every row: equal sums, equal contents (whatever the row order).
fn digest_sql(engine: Engine, table: &Table) -> String {
    match engine {
        Engine::Postgres => format!(
            "SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0) FROM {} t",
            table.sql_name
        ),
        Engine::Mysql => {
            let columns: Vec<String> = table
                .columns
                .iter()
                .map(|c| format!("COALESCE(HEX(CAST({} AS BINARY)), 'N')", mysql::quote_ident(&c.name)))
                .collect();
            format!(
                "SELECT COUNT(*), COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(CONCAT_WS('|', {})), 1, 15), 16, 10) AS UNSIGNED)), 0) FROM {}",
                columns.join(", "),
                table.sql_name
            )
        }
    }
}

/// One side of `compare`: a URL (no password in it), or an environment's name, whose
/// `DATABASE_URL` parameter (password included) says where its database is, so two servers
/// with different passwords compare without either password in argv.
async fn compared(app: &DbDump<'_>, side: &str) -> opskit::Result<source::DbUrl> {
    if side.contains("://") {
        return source::from_flag(side);
    }
    let lookup = source::Lookup { url_key: app.settings.url_key.as_deref().unwrap_or("DATABASE_URL") };
    Ok(source::from_environment(app.ctx, app.app()?, &app.environment(side), &lookup).await?.url)
}

/// `compare SRC DST`: every table's rows and content, a finding each; exit 1 on any difference.
pub async fn compare(app: &DbDump<'_>, src: &str, dst: &str) -> anyhow::Result<Exit> {
    let (src, dst) = (compared(app, src).await?, compared(app, dst).await?);
    if src.engine != dst.engine {
        return Err(Error::usage(format!(
            "compare reads two databases of one engine; these are {} and {}",
            src.engine.as_str(),
            dst.engine.as_str()
        ))
        .into());
    }
    let (a, b) = (Client::new(src.clone()), Client::new(dst.clone()));
    let (ca, cb) = (a.catalog()?, b.catalog()?);
    let (da, db) = (table_digests(&a, &ca)?, table_digests(&b, &cb)?);
    let mut names: Vec<&String> = da.keys().chain(db.keys()).collect();
    names.sort();
    names.dedup();
    let mut failed = false;
    let mut out = app.ctx.emitter();
    for name in names {
        let finding = match (da.get(name), db.get(name)) {
            (Some(x), None) | (None, Some(x)) => {
                let (side, other) =
                    if da.contains_key(name) { ("source", "destination") } else { ("destination", "source") };
                Finding::new("table", name, Status::Fail)
                    .expected(format!("the table in both ({} rows in the {side})", x.0))
                    .found(format!("missing from the {other}"))
            }
            (Some((rows_a, sum_a)), Some((rows_b, sum_b))) => {
                let columns =
                    |c: &Catalog| c.table(name).map(|t| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>());
                if columns(&ca) != columns(&cb) {
                    Finding::new("columns", name, Status::Fail)
                        .expected(columns(&ca).unwrap_or_default().join(", "))
                        .found(columns(&cb).unwrap_or_default().join(", "))
                } else if rows_a != rows_b {
                    Finding::new("rows", name, Status::Fail).expected(rows_a.to_string()).found(rows_b.to_string())
                } else if sum_a != sum_b {
                    Finding::new("content", name, Status::Fail)
                        .expected(format!("{rows_a} rows, checksum {sum_a}"))
                        .found(format!("{rows_b} rows, checksum {sum_b}"))
                        .hint("the same number of rows, but some differ")
                } else {
                    Finding::new("content", name, Status::Ok)
                        .expected(format!("{rows_a} rows"))
                        .found(format!("{rows_b} rows, same content"))
                }
            }
            (None, None) => unreachable!("listed from one of the two"),
        };
        failed |= finding.status == Status::Fail;
        out.emit(&finding)?;
    }
    out.finish()?;
    Ok(if failed { Exit::No } else { Exit::Success })
}
