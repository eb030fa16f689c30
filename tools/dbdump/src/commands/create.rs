//! `dbdump create`: read the schema, check the rules (fail-closed on prod), then stream the
//! engine's own dump through the sanitiser and zstd into the store, the manifest last.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use opskit::{Error, Exit, Tier};

use crate::app::{DbDump, SourceArgs};
use crate::engine::{Catalog, Client, postgres};
use crate::manifest::{Details, DumpRecord, Manifest, new_id};
use crate::pipeline::{self, Part};
use crate::sanitize::Sanitizer;
use crate::sanitize::rules::Rules;
use crate::source::{Engine, Source};

pub struct CreateArgs {
    pub source: SourceArgs,
    pub rules: Option<PathBuf>,
    pub tables: Vec<String>,
    pub exclude_tables: Vec<String>,
    pub schema_only: bool,
    pub no_sanitise: bool,
    pub reason: Option<String>,
}

pub async fn create(app: &DbDump<'_>, args: CreateArgs) -> anyhow::Result<Exit> {
    match (args.no_sanitise, &args.reason) {
        (true, None) => {
            return Err(Error::usage("--no-sanitise needs --reason \"…\": the manifest records why").into());
        }
        (false, Some(_)) => return Err(Error::usage("--reason goes with --no-sanitise").into()),
        _ => {}
    }
    let source = app.source(&args.source).await?;
    let client = Client::new(source.url.clone());
    // --no-sanitise copies the data as it is (a move between servers): the rules, written for
    // the schema they sanitise, are neither checked against this database nor applied.
    let (rules, text) = if args.no_sanitise { (Rules::default(), None) } else { app.rules(args.rules.as_deref())? };
    let catalog = DbDump::catalog(&client, &rules, text.as_deref())?;
    let tables = selected_tables(&catalog, &args.tables, &args.exclude_tables)?;
    let sanitised = !args.no_sanitise && fail_closed(&client, &catalog, &rules, &source, &tables, args.schema_only)?;

    let key = if args.no_sanitise || rules.is_empty() { None } else { Some(sanitising_key(app).await?) };
    let sanitizer =
        key.as_ref().map(|k| Arc::new(Sanitizer::new(rules.clone(), catalog.clone(), k.expose().as_bytes())));
    let store = app.store().await?;
    let now = SystemTime::now();
    let id = new_id(now);
    let location = store.location(&source.app, &source.env, &id);
    if app.ctx.dry_run {
        opskit::error::note(&format!(
            "would dump {} table{} of {} to {location} ({})",
            tables.len(),
            if tables.len() == 1 { "" } else { "s" },
            source.url.display(),
            if sanitizer.is_some() { "sanitised" } else { "not sanitised" }
        ));
        let mut out = app.ctx.emitter();
        out.emit(&DumpRecord::incomplete(&id, &source.app, &source.env, location))?;
        out.finish()?;
        return Ok(Exit::Success);
    }
    let creator = creator(app, &source, store.is_s3()).await;
    let mut holder = None;
    let commands = dump_commands(&client, &catalog, &rules, &args, &tables, &mut holder)?;
    let writer = store.create(&source.app, &source.env, &id).await?;
    opskit::interrupt::catch();
    let progress = opskit::progress::bar(None, "dumping", true, app.ctx.quiet);
    let (writer, dumped) =
        pipeline::dump(commands, source.url.engine, sanitizer.clone(), writer, progress.clone()).await;
    progress.finish_and_clear();
    drop(holder);
    let dumped = match dumped {
        Ok(d) => d,
        Err(e) => {
            if let Err(abort) = writer.abort().await {
                opskit::error::warn(&format!("could not clean up the partial dump: {abort}"));
            }
            return Err(e.into());
        }
    };
    writer.finish().await?;
    // Every table the dump holds, with 0 rows where its data was skipped (or not dumped).
    let mut rows = dumped.stats.rows.clone();
    for table in &tables {
        rows.entry(table.clone()).or_insert(0);
    }
    let manifest = Manifest {
        id: id.clone(),
        app: source.app.clone(),
        env: source.env.clone(),
        details: Details {
            engine: source.url.engine,
            server_version: catalog.server_version.clone(),
            created: humantime::format_rfc3339_seconds(now).to_string(),
            creator,
            size: dumped.size,
            sql_bytes: dumped.stats.bytes_out,
            sha256: dumped.sha256,
            sanitised,
            no_sanitise_reason: args.reason.clone(),
            rules_hash: (!rules.is_empty()).then(|| rules.hash()),
            key_fingerprint: sanitizer.as_ref().map(|s| s.key_fingerprint()),
            schema_hash: catalog.schema_hash(),
            schema_only: args.schema_only,
            database: source.url.database.clone(),
            source: format!("{} ({})", source.origin, source.url.display()),
            tool: format!("dbdump {}", env!("CARGO_PKG_VERSION")),
            tables: rows,
        },
    };
    store.put_manifest(&manifest).await?;
    let mut out = app
        .ctx
        .emitter()
        .columns(DumpRecord::fixed_columns().chain(manifest.details.tables.keys().map(|t| format!("tables.{t}"))))
        .brief::<DumpRecord>(DumpRecord::BRIEF);
    out.emit(&DumpRecord::of(&manifest, location))?;
    out.finish()?;
    Ok(Exit::Success)
}

/// Fail-closed: personal-looking columns without a rule stop a prod-tier dump, and leave any
/// other dump unsanitised (with a warning). Returns whether the dump is sanitised: no such
/// column is left as it was.
fn fail_closed(
    client: &Client,
    catalog: &Catalog,
    rules: &Rules,
    source: &Source,
    tables: &[String],
    schema_only: bool,
) -> opskit::Result<bool> {
    if schema_only || tables.is_empty() {
        return Ok(true);
    }
    let gaps = crate::lint::gaps(client, catalog, rules, tables)?;
    if gaps.is_empty() {
        return Ok(true);
    }
    let names: Vec<String> = gaps.iter().map(crate::lint::Gap::name).collect();
    if source.tier == Tier::Prod {
        let (s, verb) = if gaps.len() == 1 { ("", "looks") } else { ("s", "look") };
        return Err(Error::new(
            Exit::No,
            format!(
                "refusing to dump {} (tier prod): {} column{s} without a rule {verb} personal: {}",
                source.env,
                gaps.len(),
                names.join(", ")
            ),
        )
        .with_hint("add rules (`dbdump rules init` drafts them; `dbdump lint` explains each), or pass --no-sanitise --reason \"…\""));
    }
    opskit::error::warn(&format!(
        "{} (tier {}) is dumped with personal-looking columns left as they are: {}",
        source.env,
        source.tier,
        names.join(", ")
    ));
    Ok(false)
}

/// The tables a dump reads: `--tables` (each must exist), minus `--exclude-tables`.
fn selected_tables(catalog: &Catalog, only: &[String], exclude: &[String]) -> opskit::Result<Vec<String>> {
    for name in only.iter().chain(exclude) {
        if catalog.table(name).is_none() {
            let near = opskit::suggest::closest(name, catalog.tables.iter().map(|t| t.name.as_str()));
            let hint = near
                .first()
                .map_or_else(|| "`dbdump lint` lists the tables".to_owned(), |n| format!("did you mean `{n}`?"));
            return Err(Error::not_found(format!("no table `{name}` in the database")).with_hint(hint));
        }
    }
    Ok(catalog
        .tables
        .iter()
        .map(|t| t.name.clone())
        .filter(|t| (only.is_empty() || only.contains(t)) && !exclude.contains(t))
        .collect())
}

/// The sanitising key, or one drawn for this dump alone (its fakes then match within it).
async fn sanitising_key(app: &DbDump<'_>) -> opskit::Result<opskit::Secret> {
    if let Some((key, from)) = app.key().await? {
        tracing::info!(from, "sanitising key");
        return Ok(key);
    }
    opskit::error::note(&format!(
        "no sanitising key ({} or [dbdump] key_parameter): this dump draws its own, so its fakes match within it but not other dumps'",
        crate::app::KEY_VAR
    ));
    let seed = format!("{:?}:{}:{:?}", SystemTime::now(), std::process::id(), std::thread::current().id());
    Ok(opskit::Secret::new(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(seed.as_bytes()))))
}

/// Who made the dump: the AWS identity when AWS is in use, else `user@host`.
async fn creator(app: &DbDump<'_>, source: &Source, s3: bool) -> String {
    let local = || {
        let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
        let host =
            std::fs::read_to_string("/etc/hostname").map_or_else(|_| "localhost".into(), |h| h.trim().to_owned());
        format!("{user}@{host}")
    };
    if !(s3 || source.via_aws) {
        return local();
    }
    let Ok(sdk) = app.ctx.sdk().await else { return local() };
    let sts = opskit::aws_client!(aws_sdk_sts, &sdk);
    match sts.get_caller_identity().send().await {
        Ok(who) => who.arn.unwrap_or_else(local),
        Err(e) => {
            opskit::error::warn(&format!(
                "the creator is recorded as the local user: {}",
                opskit::aws::from_sdk(&e, "asking STS who you are")
            ));
            local()
        }
    }
}

/// The commands whose output, in order, is the dump: the engine's dump tool, then one per
/// table with a `where` subset (its rows only).
fn dump_commands(
    client: &Client,
    catalog: &Catalog,
    rules: &Rules,
    args: &CreateArgs,
    tables: &[String],
    holder: &mut Option<postgres::SnapshotHolder>,
) -> opskit::Result<Vec<Part>> {
    let all = tables.len() == catalog.tables.len();
    let skip: Vec<&str> = rules.tables.iter().filter(|(_, t)| t.skip_data).map(|(n, _)| n.as_str()).collect();
    let subsets: Vec<(&str, &str)> = if args.schema_only {
        Vec::new()
    } else {
        rules
            .tables
            .iter()
            .filter_map(|(n, t)| t.r#where.as_deref().map(|w| (n.as_str(), w)))
            .filter(|(n, _)| tables.iter().any(|t| t == n))
            .collect()
    };
    let sql_name = |name: &str| catalog.table(name).map_or_else(|| name.to_owned(), |t| t.sql_name.clone());
    let what = format!("dumping {}", client.url.display());
    let mut commands = Vec::new();
    match client.engine() {
        Engine::Postgres => {
            let mut cmd = client.dump_command()?;
            cmd.args(["--format=plain", "--no-password", "--encoding=UTF8"]);
            if args.schema_only {
                cmd.arg("--schema-only");
            }
            if !all {
                for t in tables {
                    cmd.arg(format!("--table={}", sql_name(t)));
                }
            }
            for t in skip.iter().chain(subsets.iter().map(|(t, _)| t)) {
                cmd.arg(format!("--exclude-table-data={}", sql_name(t)));
            }
            if subsets.is_empty() {
                commands.push(Part::Command(cmd, what));
            } else {
                // One snapshot for the dump and its subsets: what they read is consistent.
                let held = postgres::SnapshotHolder::hold(client)?;
                cmd.arg(format!("--snapshot={}", held.id()));
                commands.push(Part::Command(cmd, what));
                for (table, condition) in &subsets {
                    let live = catalog.table(table).expect("checked against the catalog");
                    commands.extend(postgres::subset(client, live, condition, held.id())?);
                }
                *holder = Some(held);
            }
        }
        Engine::Mysql => {
            let database = client.url.database.clone();
            let mut cmd = client.dump_command()?;
            cmd.args(["--single-transaction", "--quick", "--hex-blob", "--skip-dump-date", "--routines", "--triggers"]);
            cmd.arg("--default-character-set=utf8mb4");
            if args.schema_only {
                cmd.arg("--no-data");
            }
            for t in skip.iter().chain(subsets.iter().map(|(t, _)| t)) {
                cmd.arg(format!("--ignore-table-data={database}.{t}"));
            }
            cmd.arg(&database);
            if !all {
                cmd.args(tables);
            }
            commands.push(Part::Command(cmd, what));
            for (table, condition) in &subsets {
                let mut cmd = client.dump_command()?;
                cmd.args([
                    "--single-transaction",
                    "--quick",
                    "--hex-blob",
                    "--skip-dump-date",
                    "--no-create-info",
                    "--skip-triggers",
                ]);
                cmd.arg("--default-character-set=utf8mb4");
                cmd.arg(format!("--where={condition}"));
                cmd.args([database.as_str(), table]);
                commands.push(Part::Command(cmd, format!("dumping the subset of {table}")));
            }
        }
    }
    Ok(commands)
}
