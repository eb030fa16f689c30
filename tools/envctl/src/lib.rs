//! envctl: per-environment configuration and secrets in SSM Parameter Store, and temporary
//! demo/test environments with a TTL.

mod app;
mod commands;
mod formats;
mod store;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};
use opskit::permissions::Permission;
use opskit::{CommonCommand, Context, Exit, Globals, Tier, Tool};

use crate::app::Envctl;
use crate::commands::{exec, lifecycle, read, write};
use crate::formats::{Dialect, ExportFormat};
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
    Show {
        /// [default: -e/OPSKIT_ENV]
        env: Option<String>,
    },
    /// Parameters of an environment (secure values only with --reveal)
    Get {
        /// [default: -e/OPSKIT_ENV]
        env: Option<String>,
        /// Keys to get (default: all)
        keys: Vec<String>,
        /// Show the values of secure parameters too (plain ones are always shown)
        #[arg(long)]
        reveal: bool,
    },
    /// Set parameters, creating the environment if it is new. Values come from stdin, a
    /// prompt at a terminal, or files, never from the command line
    #[command(
        after_help = "Examples:\n  printf %s \"$TOKEN\" | envctl set staging API_TOKEN\n  envctl set staging TLS_CERT=@cert.pem TLS_KEY=@key.pem\n  envctl set dev API_TOKEN          # asks for the value, without echo"
    )]
    Set(SetArgs),
    /// Delete parameters
    Unset {
        /// [default: -e/OPSKIT_ENV]
        env: Option<String>,
        keys: Vec<String>,
    },
    /// Versions of a parameter: who changed it, and when
    History {
        /// [default: -e/OPSKIT_ENV]
        env: Option<String>,
        key: Option<String>,
        /// Show each version's value, secure ones too
        #[arg(long)]
        reveal: bool,
    },
    /// Make an earlier version of a parameter current again (as a new version)
    Rollback {
        /// [default: -e/OPSKIT_ENV]
        env: Option<String>,
        key: Option<String>,
        /// The version to bring back
        #[arg(long, value_name = "N")]
        to: i64,
    },
    /// Compare two environments: keys only in one, and keys whose values differ (exit 1 when any)
    Diff {
        /// The first environment [default: -e/OPSKIT_ENV]
        a: String,
        b: Option<String>,
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
        /// [default: -e/OPSKIT_ENV]
        env: Option<String>,
        #[arg(long, value_enum, default_value_t = ExportFormat::Dotenv)]
        format: ExportFormat,
        /// dotenv: quote for every reader (portable), or for one: sh, python (python-dotenv), node (dotenv)
        #[arg(long, value_enum, default_value_t = Dialect::Portable)]
        dialect: Dialect,
    },
    /// Apply a dotenv or JSON file to an environment (created if new): shows the changes,
    /// applies them when confirmed or with --yes
    Import {
        /// [default: -e/OPSKIT_ENV]
        env: Option<String>,
        /// The file, or - for stdin
        file: Option<String>,
        /// Also delete keys that the file does not have
        #[arg(long)]
        prune: bool,
        /// Type of new keys [default: secure]
        #[arg(long = "type", value_enum)]
        kind: Option<Kind>,
        /// Create the environment even though its name is close to an existing one's
        #[arg(long)]
        create: bool,
    },
    /// Run a command with an environment's parameters in its environment
    Exec {
        /// [default: -e/OPSKIT_ENV]
        env: Option<String>,
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
        /// [default: -e/OPSKIT_ENV]
        #[arg(value_name = "ENV")]
        envs: Vec<String>,
        /// Allow deleting a prod-tier environment (with --yes)
        #[arg(long)]
        force: bool,
    },
    /// Delete every temporary environment past its TTL, and say what was deleted
    Reap,
    /// Copy chosen keys (default: every key that is new or different) from one environment to another
    Promote {
        /// The source [default: -e/OPSKIT_ENV]
        src: String,
        dst: Option<String>,
        keys: Vec<String>,
    },
    #[command(flatten)]
    Common(CommonCommand),
}

#[derive(Debug, Args)]
struct SetArgs {
    /// [default: -e/OPSKIT_ENV]
    env: Option<String>,
    /// KEY (value from stdin, the prompt, or --from-file) or KEY=@FILE
    #[arg(value_name = "KEY")]
    keys: Vec<String>,
    /// Read the value of the one bare KEY from this file
    #[arg(long, value_name = "PATH")]
    from_file: Option<PathBuf>,
    /// Stored encrypted (secure: SecureString) or not (plain: String) [default: an existing
    /// key keeps its type; new keys are secure]
    #[arg(long = "type", value_enum)]
    kind: Option<Kind>,
    /// Refuse (exit 75) unless the key is still at version N (0: must not exist yet)
    #[arg(long, value_name = "N")]
    if_version: Option<i64>,
    /// Create the environment even though its name is close to an existing one's
    #[arg(long)]
    create: bool,
}

#[derive(Debug, Args)]
struct CopyArgs {
    /// The source [default: -e/OPSKIT_ENV]
    src: String,
    dst: Option<String>,
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
    /// Replace the contents of an existing DST, or finish an interrupted copy
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

/// A required positional that `-e` may have shifted away.
fn required(value: Option<String>, what: &str, usage: &str) -> opskit::Result<String> {
    value.ok_or_else(|| {
        opskit::Error::usage(format!("missing {what} (usage: {usage})"))
            .with_hint(format!("see `{} --help`", usage.split(" [").next().unwrap_or(usage)))
    })
}

/// The IAM actions each command calls (`envctl doctor --iam-policy` prints them as a policy).
/// SecureString values use KMS: the account's `aws/ssm` key needs no IAM grant, a key of your
/// own (`[envctl] kms_key_id`) does.
const PERMISSIONS: &[Permission] = &{
    const FIND: [&str; 3] = ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParametersByPath"];
    const READ: [&str; 5] =
        ["ssm:DescribeParameters", "ssm:GetParameter", "ssm:GetParametersByPath", "ssm:GetParameters", "kms:Decrypt"];
    const WRITE: [&str; 9] = [
        "ssm:DescribeParameters",
        "ssm:GetParameter",
        "ssm:GetParametersByPath",
        "ssm:GetParameters",
        "kms:Decrypt",
        "ssm:PutParameter",
        "ssm:DeleteParameter",
        "ssm:DeleteParameters",
        "kms:Encrypt",
    ];
    [
        Permission { command: "ls", actions: &FIND },
        Permission { command: "show", actions: &FIND },
        Permission { command: "get", actions: &READ },
        Permission { command: "set", actions: &WRITE },
        Permission { command: "unset", actions: &WRITE },
        Permission {
            command: "history",
            actions: &[
                "ssm:DescribeParameters",
                "ssm:GetParameter",
                "ssm:GetParametersByPath",
                "ssm:GetParameterHistory",
                "kms:Decrypt",
            ],
        },
        Permission { command: "rollback", actions: &WRITE },
        Permission { command: "diff", actions: &READ },
        Permission { command: "export", actions: &READ },
        Permission { command: "import", actions: &WRITE },
        Permission { command: "exec", actions: &READ },
        Permission { command: "copy", actions: &WRITE },
        Permission { command: "rm", actions: &WRITE },
        Permission { command: "reap", actions: &WRITE },
        Permission { command: "promote", actions: &WRITE },
    ]
};

impl Tool for Cli {
    const NAME: &'static str = "envctl";
    const PERMISSIONS: &'static [Permission] = PERMISSIONS;

    fn globals(&self) -> &Globals {
        &self.globals
    }

    async fn run(self, ctx: Context) -> anyhow::Result<Exit> {
        let command = match self.command {
            Command::Common(common) => return common.run(&ctx).await,
            command => command,
        };
        let app = Envctl::new(&ctx, self.chamber)?;
        let app = &app;
        match command {
            Command::Ls { expired } => read::ls(app, expired).await,
            Command::Show { env } => read::show(app, &ctx.env_arg(env.as_deref())?).await,
            Command::Get { env, keys, reveal } => {
                let (env, keys) = app.env_and_rest(env, keys, None)?;
                read::get(app, &env, &keys, reveal).await
            }
            Command::History { env, key, reveal } => {
                let (env, rest) = app.env_and_rest(env, key.into_iter().collect(), Some(1))?;
                let key = required(rest.into_iter().next(), "<KEY>", "envctl history [ENV] <KEY>")?;
                read::history(app, &env, &key, reveal).await
            }
            Command::Diff { a, b, keys_only, ignore, reveal } => {
                let (a, b) = ctx.env_pair(&a, b.as_deref())?;
                Box::pin(read::diff(app, (&a, &b), keys_only, &ignore, reveal)).await
            }
            Command::Export { env, format, dialect } => {
                read::export(app, &ctx.env_arg(env.as_deref())?, format, dialect).await
            }
            Command::Set(a) => {
                let (env, specs) = app.env_and_rest(a.env, a.keys, None)?;
                if specs.is_empty() {
                    return Err(opskit::Error::usage("missing <KEY> (usage: envctl set [ENV] <KEY>...)")
                        .with_hint("see `envctl set --help`")
                        .into());
                }
                let args = write::SetArgs {
                    env: &env,
                    specs: &specs,
                    from_file: a.from_file.as_deref(),
                    kind: a.kind,
                    if_version: a.if_version,
                    create: a.create,
                };
                write::set(app, args).await
            }
            Command::Unset { env, keys } => {
                let (env, keys) = app.env_and_rest(env, keys, None)?;
                if keys.is_empty() {
                    return Err(opskit::Error::usage("missing <KEY> (usage: envctl unset [ENV] <KEY>...)")
                        .with_hint("see `envctl unset --help`")
                        .into());
                }
                write::unset(app, &env, &keys).await
            }
            Command::Rollback { env, key, to } => {
                let (env, rest) = app.env_and_rest(env, key.into_iter().collect(), Some(1))?;
                let key = required(rest.into_iter().next(), "<KEY>", "envctl rollback [ENV] <KEY> --to <N>")?;
                write::rollback(app, &env, &key, to).await
            }
            Command::Import { env, file, prune, kind, create } => {
                let (env, rest) = app.env_and_rest(env, file.into_iter().collect(), Some(1))?;
                let file = required(rest.into_iter().next(), "<FILE>", "envctl import [ENV] <FILE>")?;
                write::import(app, &env, &file, write::ImportOptions { prune, kind, create }).await
            }
            Command::Promote { src, dst, keys } => {
                let (src, dst) = ctx.env_pair(&src, dst.as_deref())?;
                Box::pin(write::promote(app, &src, &dst, &keys)).await
            }
            Command::Exec { env, pristine, override_, command } => {
                exec::exec(app, &ctx.env_arg(env.as_deref())?, &command, pristine, override_).await
            }
            Command::Copy(a) => {
                let (src, dst) = ctx.env_pair(&a.src, a.dst.as_deref())?;
                let args = lifecycle::CopyArgs {
                    src: &src,
                    dst: &dst,
                    ttl: a.ttl,
                    owner: a.owner,
                    tier: a.tier,
                    set: &a.set,
                    force: a.force,
                };
                lifecycle::copy(app, args).await
            }
            Command::Rm { envs, force } => {
                let envs = if envs.is_empty() { vec![ctx.env_arg(None)?] } else { envs };
                lifecycle::rm(app, &envs, force).await
            }
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
        assert_eq!(opskit::cli::id_collisions(&super::command()), Vec::<String>::new());
    }
}
