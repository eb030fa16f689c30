//! dbdump: sanitised dumps of an environment's MariaDB/MySQL or PostgreSQL database, streamed
//! to S3 or a directory, listed, restored and compared.

mod app;
mod commands;
mod engine;
mod lint;
mod manifest;
mod pipeline;
mod sanitize;
mod source;
mod store;

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};
use opskit::permissions::Permission;
use opskit::{CommonCommand, Context, Exit, Globals, Tool};

use crate::app::{DbDump, SourceArgs};
use crate::commands::{catalog, create, inspect, restore};

#[derive(Debug, Parser)]
#[command(name = "dbdump", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    globals: Globals,

    /// Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else
    /// ~/.local/share/opskit/dumps]
    #[arg(long, global = true, value_name = "LOC")]
    store: Option<String>,

    #[command(subcommand)]
    command: Command,
}

/// Which database to read.
#[derive(Debug, Args, Clone, Default)]
struct SourceFlags {
    /// The database: postgres://, postgresql://, mysql:// or mariadb:// (no password in it: use
    /// PGPASSWORD, ~/.pgpass or MYSQL_PWD) [default: the -e environment's DATABASE_URL]
    #[arg(long, value_name = "URL", conflicts_with = "rds_instance")]
    url: Option<String>,
    /// An RDS instance: endpoint, port and engine from DescribeDBInstances
    #[arg(long, value_name = "ID")]
    rds_instance: Option<String>,
    /// The database name (with --rds-instance, or to override the URL's)
    #[arg(long, value_name = "NAME")]
    database: Option<String>,
    /// The database user (with --rds-instance: default its master user)
    #[arg(long, value_name = "USER")]
    user: Option<String>,
    /// Sign in with an RDS IAM authentication token instead of a password
    #[arg(long)]
    iam_auth: bool,
}

impl SourceFlags {
    fn into_args(self, stdin: bool) -> SourceArgs {
        SourceArgs {
            url: self.url,
            rds_instance: self.rds_instance,
            database: self.database,
            user: self.user,
            iam_auth: self.iam_auth,
            stdin,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Dump a database, sanitised, into the store (the dump record on stdout)
    #[command(
        after_help = "Examples:\n  dbdump create -e staging\n  envctl show staging | dbdump create -\n  dbdump create --url postgres://app@localhost/app --store ./dumps"
    )]
    Create {
        /// `-`: read the environment from an `env` record on stdin
        #[arg(value_name = "-", value_parser = ["-"])]
        stdin: Option<String>,
        #[command(flatten)]
        source: SourceFlags,
        /// The rules file [default: `[dbdump] rules` in opskit.toml]
        #[arg(long, value_name = "FILE")]
        rules: Option<PathBuf>,
        /// Only these tables (repeatable)
        #[arg(long = "tables", value_name = "TABLE", value_delimiter = ',')]
        tables: Vec<String>,
        /// Leave these tables out (repeatable)
        #[arg(long = "exclude-tables", value_name = "TABLE", value_delimiter = ',')]
        exclude_tables: Vec<String>,
        /// The schema only, no rows
        #[arg(long)]
        schema_only: bool,
        /// Dump the data as it is (a MariaDB→RDS move); needs --reason, which the manifest records
        #[arg(long)]
        no_sanitise: bool,
        /// Why the dump is not sanitised
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// List dumps: the app's, or with -e one environment's (complete ones unless --all)
    Ls {
        /// Also incomplete dumps (no manifest: interrupted or failed)
        #[arg(long)]
        all: bool,
    },
    /// Restore a dump (ID, `latest`, or `-` for a dump record on stdin) into a database
    Restore {
        #[arg(value_name = "ID|latest|-")]
        which: String,
        /// The database to restore into (created if missing; no password in it)
        #[arg(long, value_name = "URL")]
        to: String,
        /// The environment the target belongs to: a prod-tier one is refused
        #[arg(long, value_name = "ENV")]
        to_env: Option<String>,
        /// Drop and recreate a target that already has tables
        #[arg(long)]
        clean: bool,
        /// Keep RDS-only owners, grants, extensions and definers
        #[arg(long)]
        no_portable: bool,
    },
    /// Print a dump's SQL (verified, decompressed) on stdout
    Cat {
        #[arg(value_name = "ID|latest|-")]
        which: String,
    },
    /// Delete dumps (ids, or `-` for dump records on stdin)
    Rm {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
    /// Delete old dumps: beyond the newest N of each environment, older than a duration
    Prune {
        /// Keep this many of the newest complete dumps of each environment
        #[arg(long, value_name = "N")]
        keep_last: Option<usize>,
        /// Only delete dumps older than this (30d, 12h)
        #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
        older_than: Option<std::time::Duration>,
    },
    /// Report every column that looks personal and has no rule (exit 1 when any)
    Lint {
        #[command(flatten)]
        source: SourceFlags,
        /// The rules file [default: `[dbdump] rules` in opskit.toml]
        #[arg(long, value_name = "FILE")]
        rules: Option<PathBuf>,
    },
    /// Rules files
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Compare two databases table by table: rows and content (exit 1 on any difference)
    Compare {
        /// The source: a database URL, or an environment (its DATABASE_URL parameter)
        src: String,
        /// The destination: a database URL, or an environment (its DATABASE_URL parameter)
        dst: String,
    },
    #[command(flatten)]
    Common(CommonCommand),
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// Print a rules file for the live schema, with a suggested rule for every column lint flags
    Init {
        #[command(flatten)]
        source: SourceFlags,
    },
}

/// The IAM actions each command calls (`dbdump doctor --iam-policy` prints them as a policy):
/// the environment's DATABASE_URL and the sanitising key in SSM, RDS instances (and IAM
/// authentication), dumps in S3 (SSE-KMS when configured), who the creator is (STS: no grant).
const PERMISSIONS: &[Permission] = &{
    const SOURCE: [&str; 4] = ["ssm:GetParameter", "kms:Decrypt", "rds:DescribeDBInstances", "rds-db:connect"];
    const READ_STORE: [&str; 3] = ["s3:ListBucket", "s3:GetObject", "kms:Decrypt"];
    const DELETE: [&str; 4] = ["s3:ListBucket", "s3:GetObject", "s3:DeleteObject", "kms:Decrypt"];
    [
        Permission {
            command: "create",
            actions: &[
                "ssm:GetParameter",
                "kms:Decrypt",
                "rds:DescribeDBInstances",
                "rds-db:connect",
                "s3:PutObject",
                "s3:AbortMultipartUpload",
                "kms:GenerateDataKey",
            ],
        },
        Permission { command: "ls", actions: &READ_STORE },
        Permission { command: "restore", actions: &READ_STORE },
        Permission { command: "cat", actions: &READ_STORE },
        Permission { command: "rm", actions: &DELETE },
        Permission { command: "prune", actions: &DELETE },
        Permission { command: "lint", actions: &SOURCE },
        Permission { command: "rules init", actions: &SOURCE },
        // An environment named as a side: its DATABASE_URL parameter.
        Permission { command: "compare", actions: &["ssm:GetParameter", "kms:Decrypt"] },
    ]
};

impl Tool for Cli {
    const NAME: &'static str = "dbdump";
    const PERMISSIONS: &'static [Permission] = PERMISSIONS;

    fn globals(&self) -> &Globals {
        &self.globals
    }

    async fn run(self, ctx: Context) -> anyhow::Result<Exit> {
        let command = match self.command {
            Command::Common(common) => return common.run(&ctx).await,
            command => command,
        };
        let app = DbDump::new(&ctx, self.store)?;
        let app = &app;
        match command {
            Command::Create { stdin, source, rules, tables, exclude_tables, schema_only, no_sanitise, reason } => {
                let args = create::CreateArgs {
                    source: source.into_args(stdin.is_some()),
                    rules,
                    tables,
                    exclude_tables,
                    schema_only,
                    no_sanitise,
                    reason,
                };
                Box::pin(create::create(app, args)).await
            }
            Command::Ls { all } => catalog::ls(app, all).await,
            Command::Restore { which, to, to_env, clean, no_portable } => {
                Box::pin(restore::restore(app, restore::RestoreArgs { which, to, to_env, clean, no_portable })).await
            }
            Command::Cat { which } => restore::cat(app, &which).await,
            Command::Rm { ids } => catalog::rm(app, &ids).await,
            Command::Prune { keep_last, older_than } => catalog::prune(app, keep_last, older_than).await,
            Command::Lint { source, rules } => inspect::lint(app, &source.into_args(false), rules.as_deref()).await,
            Command::Rules(RulesCommand::Init { source }) => inspect::rules_init(app, &source.into_args(false)).await,
            Command::Compare { src, dst } => inspect::compare(app, &src, &dst).await,
            Command::Common(_) => unreachable!("handled above"),
        }
    }
}

/// The clap command: parsing, man pages and completions all come from it.
pub fn command() -> clap::Command {
    Cli::command()
}

/// The sanitiser on its own, for `benches/sanitiser.rs`: the rules, live catalog and key a
/// create would use, over dump SQL already written, on one thread. Not dbdump's interface.
#[doc(hidden)]
pub mod bench {
    use std::io::{self, BufRead, Write};
    use std::path::Path;

    use crate::app::DbDump;
    use crate::engine::Client;
    use crate::sanitize::{self, Sanitizer, Stats, rules};
    use crate::source::{DbUrl, Engine};

    /// A sanitiser ready for one database's dumps.
    pub struct Prepared {
        engine: Engine,
        sanitizer: Sanitizer,
    }

    impl Prepared {
        /// The rules file at `rules_path`, checked against the live schema at `url`, and `key`.
        pub fn new(url: &str, rules_path: &Path, key: &str) -> anyhow::Result<Prepared> {
            let url = DbUrl::parse(url)?;
            let engine = url.engine;
            let client = Client::new(url);
            let text = std::fs::read_to_string(rules_path)?;
            let rules = rules::parse(rules_path, &text)?;
            let catalog = DbDump::catalog(&client, &rules, Some(&text))?;
            Ok(Prepared { engine, sanitizer: Sanitizer::new(rules, catalog, key.as_bytes()) })
        }

        /// Sanitise the dump SQL in `input` into `out`: (bytes read, bytes written).
        pub fn sanitise(&self, input: &mut impl BufRead, out: &mut dyn Write) -> io::Result<(u64, u64)> {
            let mut filter = sanitize::filter_for(self.engine, Some(&self.sanitizer));
            let mut stats = Stats::default();
            sanitize::stream(input, out, filter.as_mut(), &mut stats, &|_| false)?;
            Ok((stats.bytes_in, stats.bytes_out))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_cli() {
        super::command().debug_assert();
        assert_eq!(opskit::cli::id_collisions(&super::command()), Vec::<String>::new());
    }
}
