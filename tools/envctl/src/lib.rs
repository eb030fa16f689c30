//! envctl: per-environment configuration and secrets in SSM Parameter Store, and temporary
//! demo/test environments with a TTL.

use clap::{CommandFactory, Parser, Subcommand};
use opskit::{CommonCommand, Context, Exit, Globals, Tool};

#[derive(Debug, Parser)]
#[command(name = "envctl", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    globals: Globals,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Common(CommonCommand),
}

impl Tool for Cli {
    const NAME: &'static str = "envctl";

    fn globals(&self) -> &Globals {
        &self.globals
    }

    async fn run(self, ctx: Context) -> anyhow::Result<Exit> {
        match self.command {
            Command::Common(common) => common.run(&ctx).await,
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
