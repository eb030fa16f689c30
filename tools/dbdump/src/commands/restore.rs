//! `restore` and `cat`: fetch a dump, verify it against its manifest before a byte reaches a
//! server, decompress, and feed it to `psql` (one transaction: any error rolls it all back) or
//! `mariadb` (whose DDL cannot roll back: a database dbdump created is dropped on failure).

use opskit::{Error, Exit, Tier};
use serde::Serialize;

use crate::app::DbDump;
use crate::engine::Client;
use crate::pipeline;
use crate::source::{self, Engine};

pub struct RestoreArgs {
    pub which: String,
    pub to: String,
    pub to_env: Option<String>,
    pub clean: bool,
    pub no_portable: bool,
}

#[derive(Serialize)]
struct Restored {
    kind: &'static str,
    id: String,
    app: String,
    env: String,
    to: String,
    database: String,
    created_database: bool,
    sql_bytes: u64,
    tables: usize,
    rows: u64,
}

impl opskit::output::Record for Restored {
    const KIND: &'static str = "restore";
    const COLUMNS: &'static [&'static str] =
        &["kind", "id", "app", "env", "to", "database", "created_database", "sql_bytes", "tables", "rows"];
}

pub async fn restore(app: &DbDump<'_>, args: RestoreArgs) -> anyhow::Result<Exit> {
    let target = source::from_flag(&args.to)?;
    if let Some(env) = &args.to_env {
        let environment = app.environment(env);
        if environment.tier == Tier::Prod {
            return Err(Error::usage(format!("refusing to restore into `{env}`: it is a prod-tier environment"))
                .with_hint("dbdump restores into local, dev and staging databases")
                .into());
        }
    }
    let store = app.store().await?;
    let dump = app.find(&store, &args.which).await?;
    let manifest = dump.manifest.clone().ok_or_else(|| {
        Error::data(format!("dump {} is incomplete (it has no manifest): it cannot be restored", dump.id))
            .with_hint("`dbdump ls --all` shows incomplete dumps")
    })?;
    if manifest.details.engine != target.engine {
        return Err(Error::usage(format!(
            "dump {} is a {} dump; --to names a {} database",
            dump.id,
            manifest.details.engine.as_str(),
            target.engine.as_str()
        ))
        .into());
    }
    let client = Client::new(target.clone());
    let exists = client.database_exists()?;
    if exists {
        let tables = client.table_count()?;
        if tables > 0 && !args.clean {
            return Err(Error::cant_create(format!("{} already holds {tables} tables", target.display()))
                .with_hint("restore into an empty or new database, or pass --clean to drop and recreate it")
                .into());
        }
    }
    if app.ctx.dry_run {
        opskit::error::note(&format!(
            "would restore dump {} ({} bytes of SQL) into {}{}",
            dump.id,
            manifest.details.sql_bytes,
            target.display(),
            if exists && args.clean { " after dropping it" } else { "" }
        ));
        return Ok(Exit::Success);
    }
    if exists && args.clean {
        app.ctx.confirm(&format!("drop and recreate {}", target.display()))?;
    }
    // Verified before anything reaches the server.
    let fetched = store.fetch_verified(&dump).await?;
    let created = !exists || args.clean;
    if exists && args.clean {
        client.drop_database()?;
    }
    if created {
        client.create_database()?;
    }
    opskit::interrupt::catch();
    let mut cmd = client.client_command()?;
    match target.engine {
        Engine::Postgres => {
            cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"]);
            // psql's notices of a clean restore are not worth a line each.
            cmd.env("PGOPTIONS", "-c client_min_messages=warning");
        }
        Engine::Mysql => {
            cmd.args(["--batch", "--default-character-set=utf8mb4", "--database", &target.database]);
        }
    }
    let fed = pipeline::restore(fetched.path().to_path_buf(), target.engine, !args.no_portable, Some(cmd)).await;
    let sql_bytes = match fed {
        Ok(bytes) => bytes,
        Err(e) => {
            // A database dbdump made is not left behind: PostgreSQL rolled the restore back,
            // MariaDB could not (its DDL commits), so either way it goes.
            if created {
                let _ = client.drop_database();
            }
            return Err(e.context(format!("restoring {} into {}", dump.id, target.display())));
        }
    };
    let mut out = app.ctx.emitter().brief::<Restored>(&["id", "env", "database", "tables", "rows", "created_database"]);
    out.emit(&Restored {
        kind: "restore",
        id: dump.id.clone(),
        app: dump.app.clone(),
        env: dump.env.clone(),
        to: target.display(),
        database: target.database.clone(),
        created_database: created,
        sql_bytes,
        tables: manifest.details.tables.len(),
        rows: manifest.details.tables.values().sum(),
    })?;
    out.finish()?;
    Ok(Exit::Success)
}

/// `cat`: the verified, decompressed SQL on stdout.
pub async fn cat(app: &DbDump<'_>, which: &str) -> anyhow::Result<Exit> {
    let store = app.store().await?;
    let dump = app.find(&store, which).await?;
    let engine = dump.manifest.as_ref().map_or(Engine::Postgres, |m| m.details.engine);
    let fetched = store.fetch_verified(&dump).await?;
    pipeline::restore(fetched.path().to_path_buf(), engine, false, None).await?;
    Ok(Exit::Success)
}
