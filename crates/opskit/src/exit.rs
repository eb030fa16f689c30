//! The exit-code table shared by every opskit tool (DESIGN.md, "Exit codes").
//!
//! The codes follow BSD `sysexits.h` where a code exists for the meaning, so scripts that
//! already know `EX_NOINPUT` or `EX_TEMPFAIL` need nothing new.

use std::process::ExitCode;

/// Why a tool ended. Every error carries one; `main` turns it into the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success,
    /// The answer is "no": a diff found differences, a check found problems.
    No,
    /// Usage error: bad flags or arguments (clap's own code).
    Usage,
    /// Bad input data: a malformed record, dotenv, CSV or rules file.
    DataErr,
    /// Not found: environment, key, dump, grant, identity.
    NotFound,
    /// A service is unavailable, after retries.
    Unavailable,
    /// Internal error: a bug in opskit.
    Internal,
    /// Could not create the output (file, object).
    CantCreate,
    /// Temporary failure: throttled or a conflicting write; safe to retry.
    TempFail,
    /// Permission denied, or no or expired credentials.
    NoPerm,
    /// Configuration error.
    Config,
    /// Stopped by Ctrl-C or SIGTERM (cleanly, saying what was done), as shells count it: 128 + 2.
    Interrupted,
}

impl Exit {
    /// Every exit code, in the order the docs list them.
    pub const ALL: [Exit; 12] = [
        Exit::Success,
        Exit::No,
        Exit::Usage,
        Exit::DataErr,
        Exit::NotFound,
        Exit::Unavailable,
        Exit::CantCreate,
        Exit::TempFail,
        Exit::NoPerm,
        Exit::Config,
        Exit::Internal,
        Exit::Interrupted,
    ];

    pub const fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::No => 1,
            Exit::Usage => 2,
            Exit::DataErr => 65,
            Exit::NotFound => 66,
            Exit::Unavailable => 69,
            Exit::Internal => 70,
            Exit::CantCreate => 73,
            Exit::TempFail => 75,
            Exit::NoPerm => 77,
            Exit::Config => 78,
            Exit::Interrupted => 130,
        }
    }

    /// What the code means, as the README and man pages say it.
    pub const fn meaning(self) -> &'static str {
        match self {
            Exit::Success => "success",
            Exit::No => "the answer is \"no\": a diff found differences, a check found problems, a budget was exceeded",
            Exit::Usage => "usage error: unknown flag, missing or invalid argument",
            Exit::DataErr => "bad input data: malformed record, dotenv, CSV or rules file",
            Exit::NotFound => "not found: environment, key, dump, grant, identity",
            Exit::Unavailable => "a service is unavailable (after retries)",
            Exit::Internal => "internal error (a bug: please report it)",
            Exit::CantCreate => "could not create the output (file, object)",
            Exit::TempFail => "temporary failure: throttled or conflicting write; safe to retry",
            Exit::NoPerm => "permission denied, or no or expired credentials",
            Exit::Config => "configuration error",
            Exit::Interrupted => {
                "interrupted (Ctrl-C or SIGTERM): stopped cleanly, saying what was done and how to finish"
            }
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}
