//! envctl: per-environment configuration and secrets in SSM Parameter Store, and temporary
//! demo/test environments with a TTL.

mod app;
mod commands;
mod formats;
mod store;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};
use opskit::{CommonCommand, Context, Exit, Globals, Tier, Tool};

use crate::app::Envctl;
use crate::commands::{exec, lifecycle, read, write};
use crate::formats::ExportFormat;
use crate::store::Kind;

#[derive(Debug, Parser)]
#[command(name = "envctl", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    globals: Globals,

    /// Use chamber's layout, /<service>/<key>: the service stands in for ENV, and there is no app
    #[arg(long, global = true)]
    chamber: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the app's environments: declared, temporary, and any holding parameters
    Ls {
        /// Only temporary environments past their TTL
        #[arg(long)]
        expired: bool,
    },
    /// One environment: metadata and key names, no values
    Show { env: String },
    /// Parameters of an environment (values only with --reveal)
    Get {
        env: String,
        /// Keys to get (default: all)
        keys: Vec<String>,
        /// Show values (tables mask them, JSON leaves them out, without it)
        #[arg(long)]
        reveal: bool,
    },
    /// Set parameters. Values come from stdin or files, never from the command line
    #[command(
        after_help = "Examples:\n  printf %s \"$TOKEN\" | envctl set staging API_TOKEN\n  envctl set staging TLS_CERT=@cert.pem TLS_KEY=@key.pem"
    )]
    Set(SetArgs),
    /// Delete parameters
    Unset {
        env: String,
        #[arg(required = true)]
        keys: Vec<String>,
    },
    /// Versions of a parameter: who changed it, and when
    History {
        env: String,
        key: String,
        /// Show each version's value
        #[arg(long)]
        reveal: bool,
    },
    /// Make an earlier version of a parameter current again (as a new version)
    Rollback {
        env: String,
        key: String,
        /// The version to bring back
        #[arg(long, value_name = "N")]
        to: i64,
    },
    /// Compare two environments: keys only in one, and keys whose values differ (exit 1 when any)
    Diff {
        a: String,
        b: String,
        /// Compare key names only, not values
        #[arg(long)]
        keys_only: bool,
        /// Leave this key out of the comparison (repeatable)
        #[arg(long, value_name = "KEY")]
        ignore: Vec<String>,
        /// Show both values of each differing key
        #[arg(long)]
        reveal: bool,
    },
    /// Print an environment's parameters as a dotenv, JSON, shell, tfvars, YAML or CSV file
    Export {
        env: String,
        #[arg(long, value_enum, default_value_t = ExportFormat::Dotenv)]
        format: ExportFormat,
    },
    /// Apply a dotenv or JSON file to an environment: shows the changes, applies them with --yes
    Import {
        env: String,
        /// The file, or - for stdin
        file: String,
        /// Also delete keys that the file does not have
        #[arg(long)]
        prune: bool,
        /// Type of new keys
        #[arg(long = "type", value_enum, default_value_t = Kind::Secure)]
        kind: Kind,
    },
    /// Run a command with an environment's parameters in its environment
    Exec {
        env: String,
        /// Give the command only the parameters, none of envctl's own environment
        #[arg(long)]
        pristine: bool,
        /// Let parameters replace variables that are already set (by default those win)
        #[arg(long = "override")]
        override_: bool,
        /// The command and its arguments, after --
        #[arg(last = true, required = true, value_name = "CMD")]
        command: Vec<OsString>,
    },
    /// Create a temporary environment as a copy of another
    Copy(CopyArgs),
    /// Delete environments: every parameter and their metadata (- reads env records from stdin)
    Rm {
        #[arg(required = true, value_name = "ENV")]
        envs: Vec<String>,
        /// Allow deleting a prod-tier environment (with --yes)
        #[arg(long)]
        force: bool,
    },
    /// Delete every temporary environment past its TTL, and say what was deleted
    Reap,
    /// Copy chosen keys (default: every key that is new or different) from one environment to another
    Promote { src: String, dst: String, keys: Vec<String> },
    #[command(flatten)]
    Common(CommonCommand),
}

#[derive(Debug, Args)]
struct SetArgs {
    env: String,
    /// KEY (value from stdin, or --from-file) or KEY=@FILE
    #[arg(required = true, value_name = "KEY")]
    keys: Vec<String>,
    /// Read the value of the one bare KEY from this file
    #[arg(long, value_name = "PATH")]
    from_file: Option<PathBuf>,
    /// Stored encrypted (SecureString) or not (String)
    #[arg(long = "type", value_enum, default_value_t = Kind::Secure)]
    kind: Kind,
    /// Refuse (exit 75) unless the key is still at version N (0: must not exist yet)
    #[arg(long, value_name = "N")]
    if_version: Option<i64>,
}

#[derive(Debug, Args)]
struct CopyArgs {
    src: String,
    dst: String,
    /// Time to live, after which `envctl reap` deletes it (72h, 3d, 90m)
    #[arg(long, value_parser = lifecycle::parse_ttl)]
    ttl: Option<std::time::Duration>,
    /// Who owns it [default: $USER]
    #[arg(long)]
    owner: Option<String>,
    /// Tier of the new environment
    #[arg(long, value_parser = parse_tier, default_value = "dev")]
    tier: Tier,
    /// Replace or add a key in the copy (repeatable)
    #[arg(long, value_name = "KEY=@FILE")]
    set: Vec<String>,
    /// Replace the contents of an existing DST
    #[arg(long)]
    force: bool,
}

fn parse_tier(text: &str) -> Result<Tier, String> {
    match text {
        "dev" => Ok(Tier::Dev),
        "staging" => Ok(Tier::Staging),
        "prod" => Ok(Tier::Prod),
        _ => Err("use dev, staging or prod".into()),
    }
}

impl Tool for Cli {
    const NAME: &'static str = "envctl";

    fn globals(&self) -> &Globals {
        &self.globals
    }

    async fn run(self, ctx: Context) -> anyhow::Result<Exit> {
        let command = match self.command {
            Command::Common(common) => return common.run(&ctx).await,
            command => command,
        };
        let app = Envctl::new(&ctx, self.chamber).await?;
        let app = &app;
        match command {
            Command::Ls { expired } => read::ls(app, expired).await,
            Command::Show { env } => read::show(app, &env).await,
            Command::Get { env, keys, reveal } => read::get(app, &env, &keys, reveal).await,
            Command::History { env, key, reveal } => read::history(app, &env, &key, reveal).await,
            Command::Diff { a, b, keys_only, ignore, reveal } => {
                read::diff(app, (&a, &b), keys_only, &ignore, reveal).await
            }
            Command::Export { env, format } => read::export(app, &env, format).await,
            Command::Set(a) => {
                let args = write::SetArgs {
                    env: &a.env,
                    specs: &a.keys,
                    from_file: a.from_file.as_deref(),
                    kind: a.kind,
                    if_version: a.if_version,
                };
                write::set(app, args).await
            }
            Command::Unset { env, keys } => write::unset(app, &env, &keys).await,
            Command::Rollback { env, key, to } => write::rollback(app, &env, &key, to).await,
            Command::Import { env, file, prune, kind } => write::import(app, &env, &file, prune, kind).await,
            Command::Promote { src, dst, keys } => write::promote(app, &src, &dst, &keys).await,
            Command::Exec { env, pristine, override_, command } => {
                exec::exec(app, &env, &command, pristine, override_).await
            }
            Command::Copy(a) => {
                let args = lifecycle::CopyArgs {
                    src: &a.src,
                    dst: &a.dst,
                    ttl: a.ttl,
                    owner: a.owner,
                    tier: a.tier,
                    set: &a.set,
                    force: a.force,
                };
                lifecycle::copy(app, args).await
            }
            Command::Rm { envs, force } => lifecycle::rm(app, &envs, force).await,
            Command::Reap => lifecycle::reap(app).await,
            Command::Common(_) => unreachable!("handled above"),
        }
    }
}

/// The clap command: parsing, man pages and completions all come from it.
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_cli() {
        super::command().debug_assert();
    }
}
