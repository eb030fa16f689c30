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
///
/// Their ids carry an `opskit-` prefix, so a subcommand's own argument (envctl's `ENV`
/// positional, say) can never be merged into one of them by clap; `GLOBAL_IDS` lists them for
/// the test that checks it. `--profile` and `--region` read no environment variable here:
/// `AWS_PROFILE` and `AWS_REGION` are the ambient settings, which an environment's own settings
/// in opskit.toml override (the SDK reads them where nothing else decided).
#[derive(Args, Clone, Debug, Default)]
pub struct Globals {
    /// Application name [default: `app` in opskit.toml]
    #[arg(id = "opskit-app", long = "app", global = true, value_name = "NAME", env = ev::OPSKIT_APP, hide_env_values = true, help_heading = "Global options")]
    pub app: Option<String>,

    /// Environment (dev, staging, prod, demo-42, …); fills a command's ENV argument when omitted
    #[arg(id = "opskit-env", short = 'e', long = "env", global = true, value_name = "NAME", env = ev::OPSKIT_ENV, hide_env_values = true, help_heading = "Global options")]
    pub env: Option<String>,

    /// AWS profile [default: the environment's in opskit.toml, then AWS_PROFILE]
    #[arg(
        id = "opskit-profile",
        long = "profile",
        global = true,
        value_name = "NAME",
        help_heading = "Global options"
    )]
    pub profile: Option<String>,

    /// AWS region [default: the environment's in opskit.toml, then AWS_REGION, then the profile's]
    #[arg(id = "opskit-region", long = "region", global = true, value_name = "NAME", help_heading = "Global options")]
    pub region: Option<String>,

    /// Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads
    /// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
    #[arg(
        id = "opskit-endpoint-url",
        long = "endpoint-url",
        global = true,
        value_name = "URL",
        help_heading = "Global options"
    )]
    pub endpoint_url: Option<String>,

    /// Assume this IAM role for every AWS call
    #[arg(id = "opskit-role-arn", long = "role-arn", global = true, value_name = "ARN", env = ev::OPSKIT_ROLE_ARN, hide_env_values = true, help_heading = "Global options")]
    pub role_arn: Option<String>,

    /// Output format [default: table on a terminal, ndjson otherwise]
    #[arg(id = "opskit-output", short = 'o', long = "output", global = true, value_name = "FMT", env = ev::OPSKIT_OUTPUT, hide_env_values = true, help_heading = "Global options")]
    pub output: Option<Format>,

    /// Tables: show whole values instead of cutting them to the terminal's width
    #[arg(id = "opskit-wide", long = "wide", global = true, help_heading = "Global options")]
    pub wide: bool,

    /// Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]
    #[arg(id = "opskit-config", long = "config", global = true, value_name = "PATH", env = ev::OPSKIT_CONFIG, hide_env_values = true, help_heading = "Global options")]
    pub config: Option<PathBuf>,

    /// Less on stderr (-q: errors only)
    #[arg(id = "opskit-quiet", short = 'q', long = "quiet", global = true, action = ArgAction::Count, conflicts_with = "opskit-verbose", help_heading = "Global options")]
    pub quiet: u8,

    /// More on stderr (-v, -vv, -vvv); RUST_LOG overrides
    #[arg(id = "opskit-verbose", short = 'v', long = "verbose", global = true, action = ArgAction::Count, help_heading = "Global options")]
    pub verbose: u8,

    /// No colour (also when NO_COLOR is set or stdout is not a terminal)
    #[arg(id = "opskit-no-color", long = "no-color", global = true, help_heading = "Global options")]
    pub no_color: bool,

    /// Say what would change, change nothing
    #[arg(id = "opskit-dry-run", long = "dry-run", global = true, help_heading = "Global options")]
    pub dry_run: bool,

    /// Confirm destructive actions (required when there is no terminal to ask)
    #[arg(id = "opskit-yes", short = 'y', long = "yes", global = true, help_heading = "Global options")]
    pub yes: bool,
}

/// The ids of the global flags (see [`Globals`]).
pub const GLOBAL_IDS: [&str; 14] = [
    "opskit-app",
    "opskit-env",
    "opskit-profile",
    "opskit-region",
    "opskit-endpoint-url",
    "opskit-role-arn",
    "opskit-output",
    "opskit-wide",
    "opskit-config",
    "opskit-quiet",
    "opskit-verbose",
    "opskit-no-color",
    "opskit-dry-run",
    "opskit-yes",
];

/// Arguments of `cmd` or its subcommands that share an id with a global flag without being it
/// (clap would merge their values), and global flags missing from `cmd`. Empty for a
/// well-formed tool; each tool's `verify_cli` test asserts it.
pub fn id_collisions(cmd: &clap::Command) -> Vec<String> {
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if GLOBAL_IDS.contains(&id) && !arg.is_global_set() {
                out.push(format!("{path}: argument `{id}` takes a global flag's id"));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }
    let mut cmd = cmd.clone();
    cmd.build();
    let mut out: Vec<String> = GLOBAL_IDS
        .iter()
        .filter(|id| !cmd.get_arguments().any(|a| a.get_id() == **id && a.is_global_set()))
        .map(|id| format!("{}: the global flag `{id}` is missing", cmd.get_name()))
        .collect();
    walk(&cmd, cmd.get_name(), &mut out);
    out
}

/// A tool: its parsed command line and what it does with it.
pub trait Tool: Parser {
    const NAME: &'static str;

    /// The IAM actions each command calls (see [`crate::permissions`]).
    const PERMISSIONS: &'static [crate::permissions::Permission] = &[];

    fn globals(&self) -> &Globals;

    /// Do the work. `Ok` carries the exit code for answers like "differences found" (1).
    fn run(self, ctx: Context) -> impl Future<Output = anyhow::Result<Exit>>;
}

/// The whole life of a tool's process: parse, validate, run, report.
pub fn main<T: Tool>() -> ExitCode {
    install_panic_hook(T::NAME);
    let cli = match T::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(T::NAME, &T::command(), &err),
    };
    crate::log::init(cli.globals());
    error::set_reporting(T::NAME, cli.globals().quiet > 0);
    let ctx = match Context::new(T::NAME, cli.globals()) {
        Ok(mut ctx) => {
            ctx.permissions = T::PERMISSIONS;
            ctx
        }
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

/// clap's errors, reduced to our one-line shape, keeping the detail that says what to fix: the
/// missing arguments, the possible values, the commands, the suggestion. Help and version
/// print as clap prints them.
fn usage_error(tool: &str, cmd: &clap::Command, err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // A closed stdout (`--help | head`) is not worth a word; clap ignores it and exits 0.
        err.exit();
    }
    let words: Vec<String> = std::env::args().skip(1).collect();
    let (message, hint) = describe_usage_error(cmd, &words, err);
    let err = anyhow::Error::from(error::Error::usage(message).with_hint(hint));
    error::report(tool, &err);
    Exit::Usage.into()
}

/// The subcommand a command line names (`envctl get …` → `get`'s command), and its path.
fn named_subcommand<'a>(cmd: &'a clap::Command, words: &[String]) -> (&'a clap::Command, String) {
    let mut current = cmd;
    let mut path = cmd.get_name().to_owned();
    for word in words {
        if let Some(sub) = current.find_subcommand(word) {
            path = format!("{path} {}", sub.get_name());
            current = sub;
        }
    }
    (current, path)
}

/// `(message, hint)` for a clap error; `words` are the arguments the tool was given.
fn describe_usage_error(cmd: &clap::Command, words: &[String], err: &clap::Error) -> (String, String) {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let text = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        _ => None,
    };
    let list = |kind| match err.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let rendered = err.render().to_string();
    let (sub, command) = named_subcommand(cmd, words);
    let usage = rendered.lines().find_map(|l| l.trim().strip_prefix("Usage: ")).unwrap_or(&command).trim().to_owned();
    let see_help = format!("see `{command} --help`");
    let commands: Vec<&str> = sub
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(clap::Command::get_name)
        .filter(|n| *n != "help")
        .collect();
    let suggestion = |kind| {
        let s = list(kind);
        (!s.is_empty())
            .then(|| format!("did you mean {}?", s.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(" or ")))
    };
    match err.kind() {
        ErrorKind::MissingRequiredArgument => {
            let missing = list(ContextKind::InvalidArg);
            (format!("missing {} (usage: {usage})", missing.join(" ")), see_help)
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            (format!("{command} needs a command: {}", commands.join(", ")), see_help)
        }
        ErrorKind::InvalidSubcommand => {
            let given = text(ContextKind::InvalidSubcommand).unwrap_or_default();
            let ours = crate::suggest::closest(&given, commands.iter().copied());
            let hint = suggestion(ContextKind::SuggestedSubcommand)
                .or_else(|| ours.first().map(|c| format!("did you mean `{c}`?")))
                .unwrap_or_else(|| format!("the commands are: {}", commands.join(", ")));
            (format!("unknown command `{given}` for `{command}`"), hint)
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = text(ContextKind::InvalidArg).unwrap_or_default();
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            let valid = list(ContextKind::ValidValue);
            let why = rendered.lines().next().and_then(|l| l.split_once(": ").map(|(_, r)| r.to_owned()));
            let mut message = if value.is_empty() {
                format!("{arg} needs a value")
            } else if err.kind() == ErrorKind::ValueValidation {
                // Our own parsers say why (a TTL, a tier): keep their reason.
                why.unwrap_or_else(|| format!("invalid value for {arg}"))
            } else {
                format!("invalid value `{value}` for {arg}")
            };
            if !valid.is_empty() {
                message = format!("{message}; possible values: {}", valid.join(", "));
            }
            (message, suggestion(ContextKind::SuggestedValue).unwrap_or(see_help))
        }
        ErrorKind::UnknownArgument => {
            let arg = text(ContextKind::InvalidArg).unwrap_or_default();
            let hint = suggestion(ContextKind::SuggestedArg)
                .or_else(|| suggestion(ContextKind::SuggestedSubcommand))
                .or_else(|| text(ContextKind::Suggested).map(|s| error::one_line(&s)))
                .unwrap_or(see_help);
            // A stray word may be a value typed where it does not belong (`set dev KEY value`):
            // never echo what may be a secret.
            if arg.starts_with('-') {
                (format!("unexpected argument `{}`", arg.split('=').next().unwrap_or(&arg)), hint)
            } else {
                (format!("unexpected extra argument for `{command}` (not shown: it may be a value)"), hint)
            }
        }
        ErrorKind::ArgumentConflict => {
            let clean = |a: &str| a.trim_end_matches("...").to_owned();
            let arg = clean(&text(ContextKind::InvalidArg).unwrap_or_default());
            let prior: Vec<String> = list(ContextKind::PriorArg).iter().map(|a| clean(a)).collect();
            (format!("{arg} cannot be used with {}", prior.join(", ")), see_help)
        }
        _ => {
            let first = rendered.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("invalid usage");
            (first.trim_start_matches("error: ").to_owned(), see_help)
        }
    }
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
