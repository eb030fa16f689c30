//! costq: what AWS costs, by service, account, tag and environment — from Cost Explorer, the
//! billing export files (CUR, CUR 2.0, FOCUS) and Athena — with a budget gate, anomalies and an
//! HTML report.
//!
//! The query is the default command (`costq --month --by service`): no subcommand word, so
//! `costq --month | jq` works as written; `check`, `anomalies`, `report` and `doctor` are
//! subcommands beside it.

mod answer;
mod args;
mod commands;
mod money;
mod query;
mod record;
mod report;
mod source;

use clap::{CommandFactory, Parser, Subcommand};
use opskit::permissions::Permission;
use opskit::{CommonCommand, Context, Exit, Globals, Tool};

use crate::commands::{anomalies, check, query as query_command, report as report_command};

#[derive(Debug, Parser)]
#[command(
    name = "costq",
    version,
    about,
    propagate_version = true,
    after_help = "Examples:\n  costq --month --by service                 # this month so far, by service\n  costq --last-month --by account --by env --top 10\n  costq --month 2026-09 --by tag:team --compare\n  costq --source ./cur/ --by service         # billing export files, no API charges\n  envctl ls | costq --month --by env -        # what each environment costs\n  costq check --budget 5000 --forecast        # exit 1 when over budget"
)]
pub struct Cli {
    #[command(flatten)]
    globals: Globals,
    #[command(flatten)]
    query: query_command::QueryArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Exit 1 when the period's spend (or, with --forecast, the month's projected total)
    /// exceeds a budget; prints the record either way
    Check(check::CheckArgs),
    /// Days whose cost departs from the trailing baseline, per group (exit 1 when any)
    Anomalies(anomalies::AnomalyArgs),
    /// Write a self-contained HTML report: a daily chart by service, top movers, tables
    Report(report_command::ReportArgs),
    #[command(flatten)]
    Common(CommonCommand),
}

/// The IAM actions each command calls (`costq doctor --iam-policy` prints them as a policy).
/// `query` is the default command (no command word). Cost Explorer is the default source; the
/// others have entries of their own to add: `source:s3` (billing export files in S3) and
/// `source:athena` (Athena reads the export's Glue table and writes results to S3 with the
/// caller's permissions, so those are listed though costq does not call them itself).
const PERMISSIONS: &[Permission] = &[
    Permission { command: "query", actions: &["ce:GetCostAndUsage", "ce:GetCostForecast"] },
    Permission { command: "check", actions: &["ce:GetCostAndUsage", "ce:GetCostForecast"] },
    Permission { command: "anomalies", actions: &["ce:GetCostAndUsage"] },
    Permission { command: "report", actions: &["ce:GetCostAndUsage", "ce:GetCostForecast"] },
    Permission { command: "source:s3", actions: &["s3:ListBucket", "s3:GetObject"] },
    Permission {
        command: "source:athena",
        actions: &[
            "athena:StartQueryExecution",
            "athena:GetQueryExecution",
            "athena:GetQueryResults",
            "athena:StopQueryExecution",
            "glue:GetDatabase",
            "glue:GetTable",
            "glue:GetPartitions",
            "s3:GetBucketLocation",
            "s3:ListBucket",
            "s3:GetObject",
            "s3:PutObject",
            "s3:AbortMultipartUpload",
        ],
    },
];

impl Tool for Cli {
    const NAME: &'static str = "costq";
    const PERMISSIONS: &'static [Permission] = PERMISSIONS;

    fn globals(&self) -> &Globals {
        &self.globals
    }

    async fn run(self, ctx: Context) -> anyhow::Result<Exit> {
        self.check_query_flags()?;
        match self.command {
            // Boxed: reading S3 exports makes these futures large.
            None => Box::pin(query_command::run(&ctx, self.query)).await,
            Some(Command::Check(args)) => Box::pin(check::run(&ctx, args)).await,
            Some(Command::Anomalies(args)) => Box::pin(anomalies::run(&ctx, args)).await,
            Some(Command::Report(args)) => Box::pin(report_command::run(&ctx, args)).await,
            Some(Command::Common(common)) => common.run(&ctx).await,
        }
    }
}

impl Cli {
    /// The query's options belong to the query: before a subcommand they would be silently
    /// ignored (`costq --by service check …`), so they are refused.
    fn check_query_flags(&self) -> Result<(), opskit::Error> {
        let Some(command) = &self.command else { return Ok(()) };
        if self.query == query_command::QueryArgs::default() {
            return Ok(());
        }
        let name = match command {
            Command::Check(_) => "check",
            Command::Anomalies(_) => "anomalies",
            Command::Report(_) => "report",
            Command::Common(_) => "doctor",
        };
        Err(opskit::Error::usage(format!("the query's options go without a command word, not before `{name}`"))
            .with_hint(format!("put {name}'s own options after it: `costq {name} --help` lists them")))
    }
}

/// The clap command: parsing, man pages and completions all come from it.
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Cli;

    #[test]
    fn verify_cli() {
        super::command().debug_assert();
        assert_eq!(opskit::cli::id_collisions(&super::command()), Vec::<String>::new());
    }

    #[test]
    fn the_query_needs_no_command_word() {
        let cli = Cli::try_parse_from(["costq", "--month", "--by", "service", "-"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.query.group.by, ["service"]);
        assert_eq!(cli.query.input.as_deref(), Some("-"));
        let cli = Cli::try_parse_from(["costq", "--month", "2026-09", "--by", "service,tag:team"]).unwrap();
        assert_eq!(cli.query.period.month.as_deref(), Some("2026-09"));
        assert_eq!(cli.query.group.by, ["service", "tag:team"]);
        let cli = Cli::try_parse_from(["costq", "-o", "json", "check", "--budget", "5000", "--last-month"]).unwrap();
        assert!(cli.command.is_some());
        let stray = Cli::try_parse_from(["costq", "--by", "service", "check", "--budget", "1"]).unwrap();
        assert!(stray.check_query_flags().is_err(), "query flags are not check's");
        let fine = Cli::try_parse_from(["costq", "-q", "--dry-run", "check", "--budget", "1", "--month"]).unwrap();
        assert!(fine.check_query_flags().is_ok());
        assert!(Cli::try_parse_from(["costq", "chekc"]).is_err());
        assert!(Cli::try_parse_from(["costq", "--month", "--last-month"]).is_err(), "one period");
        assert!(Cli::try_parse_from(["costq", "--from", "2026-01-01"]).is_err(), "--from needs --to");
    }
}
