//! The global flags every tool shares, and the `main` every tool runs.

use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, Args, Parser};

use crate::context::Context;
use crate::env_vars as ev;
use crate::error::{self, Outcome};
use crate::exit::Exit;
use crate::output::Format;

/// Global flags: identical spelling and meaning in every tool (DESIGN.md, "Conventions").
#[derive(Args, Clone, Debug, Default)]
pub struct Globals {
    /// Application name [default: `app` in opskit.toml]
    #[arg(long, global = true, value_name = "NAME", env = ev::OPSKIT_APP, hide_env_values = true, help_heading = "Global options")]
    pub app: Option<String>,

    /// Environment (dev, staging, prod, demo-42, …)
    #[arg(short = 'e', long = "env", global = true, value_name = "NAME", env = ev::OPSKIT_ENV, hide_env_values = true, help_heading = "Global options")]
    pub env: Option<String>,

    /// AWS profile
    #[arg(long, global = true, value_name = "NAME", env = ev::AWS_PROFILE, hide_env_values = true, help_heading = "Global options")]
    pub profile: Option<String>,

    /// AWS region
    #[arg(long, global = true, value_name = "NAME", env = ev::AWS_REGION, hide_env_values = true, help_heading = "Global options")]
    pub region: Option<String>,

    /// Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads
    /// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
    #[arg(long, global = true, value_name = "URL", help_heading = "Global options")]
    pub endpoint_url: Option<String>,

    /// Assume this IAM role for every AWS call
    #[arg(long, global = true, value_name = "ARN", env = ev::OPSKIT_ROLE_ARN, hide_env_values = true, help_heading = "Global options")]
    pub role_arn: Option<String>,

    /// Output format [default: table on a terminal, ndjson otherwise]
    #[arg(short = 'o', long, global = true, value_name = "FMT", env = ev::OPSKIT_OUTPUT, hide_env_values = true, help_heading = "Global options")]
    pub output: Option<Format>,

    /// Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]
    #[arg(long, global = true, value_name = "PATH", env = ev::OPSKIT_CONFIG, hide_env_values = true, help_heading = "Global options")]
    pub config: Option<PathBuf>,

    /// Less on stderr (-q: errors only)
    #[arg(short, long, global = true, action = ArgAction::Count, conflicts_with = "verbose", help_heading = "Global options")]
    pub quiet: u8,

    /// More on stderr (-v, -vv, -vvv); RUST_LOG overrides
    #[arg(short, long, global = true, action = ArgAction::Count, help_heading = "Global options")]
    pub verbose: u8,

    /// No colour (also when NO_COLOR is set or stdout is not a terminal)
    #[arg(long, global = true, help_heading = "Global options")]
    pub no_color: bool,

    /// Say what would change, change nothing
    #[arg(long, global = true, help_heading = "Global options")]
    pub dry_run: bool,

    /// Confirm destructive actions (required when there is no terminal to ask)
    #[arg(short = 'y', long, global = true, help_heading = "Global options")]
    pub yes: bool,
}

/// A tool: its parsed command line and what it does with it.
pub trait Tool: Parser {
    const NAME: &'static str;

    fn globals(&self) -> &Globals;

    /// Do the work. `Ok` carries the exit code for answers like "differences found" (1).
    fn run(self, ctx: Context) -> impl Future<Output = anyhow::Result<Exit>>;
}

/// The whole life of a tool's process: parse, validate, run, report.
pub fn main<T: Tool>() -> ExitCode {
    install_panic_hook(T::NAME);
    let cli = match T::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(T::NAME, &err),
    };
    crate::log::init(cli.globals());
    let ctx = match Context::new(T::NAME, cli.globals()) {
        Ok(ctx) => ctx,
        Err(err) => {
            let err = anyhow::Error::from(err);
            error::report(T::NAME, &err);
            return exit_code(&err);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            error::report(T::NAME, &anyhow::anyhow!("cannot start the async runtime: {e}"));
            return Exit::Internal.into();
        }
    };
    match runtime.block_on(cli.run(ctx)) {
        Ok(exit) => exit.into(),
        Err(err) => {
            if !matches!(error::classify(&err), Outcome::BrokenPipe) {
                error::report(T::NAME, &err);
            }
            exit_code(&err)
        }
    }
}

fn exit_code(err: &anyhow::Error) -> ExitCode {
    match error::classify(err) {
        Outcome::BrokenPipe => ExitCode::SUCCESS,
        Outcome::Failed(exit) => exit.into(),
    }
}

/// clap's errors, reduced to our one-line shape; help and version print as clap prints them.
fn usage_error(tool: &str, err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        // A closed stdout (`--help | head`) is not worth a word; clap ignores it and exits 0.
        err.exit();
    }
    let rendered = err.render().to_string();
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let message = lines.next().unwrap_or("invalid usage").trim_start_matches("error: ");
    let tip = lines.find_map(|l| l.strip_prefix("tip: "));
    let usage = rendered.lines().find_map(|l| l.strip_prefix("Usage: ")).unwrap_or(tool);
    let sub = usage.split_whitespace().take_while(|w| !w.starts_with(['[', '<', '-'])).collect::<Vec<_>>().join(" ");
    let hint = tip.map_or_else(|| format!("see `{sub} --help`"), str::to_owned);
    let err = anyhow::Error::from(error::Error::usage(message).with_hint(hint));
    error::report(tool, &err);
    Exit::Usage.into()
}

/// A panic is a bug: one line saying so, exit 70, no backtrace dump.
fn install_panic_hook(tool: &'static str) {
    std::panic::set_hook(Box::new(move |info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let err = anyhow::Error::from(
            error::Error::internal(format!("internal error: {what}{place}"))
                .with_hint("this is a bug in opskit; please report it with the command you ran"),
        );
        error::report(tool, &err);
        std::process::exit(i32::from(Exit::Internal.code()));
    }));
}

/// Subcommands every tool has, flattened into each tool's own subcommand enum.
#[derive(clap::Subcommand, Clone, Debug)]
pub enum CommonCommand {
    /// Check credentials, region, endpoint, config file and environment (run this first when
    /// something is off)
    Doctor(crate::doctor::DoctorArgs),
}

impl CommonCommand {
    pub async fn run(self, ctx: &Context) -> anyhow::Result<Exit> {
        match self {
            CommonCommand::Doctor(args) => crate::doctor::run(ctx, &args).await,
        }
    }
}
