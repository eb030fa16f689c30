//! The one error type that knows its exit code, and the one place errors are printed.

use std::fmt;
use std::io::{self, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::exit::Exit;

/// An error a user can act on: a sentence naming the thing that failed, the exit code that
/// classifies it, and optionally a hint saying what to do.
///
/// Tools return `anyhow::Result`; an `Error` anywhere in the chain decides the exit code and
/// hint, and `anyhow` context added on the way up becomes part of the printed sentence.
#[derive(Debug)]
pub struct Error {
    exit: Exit,
    message: String,
    hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Error { exit, message: message.into(), hint: None }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn exit(&self) -> Exit {
        self.exit
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }
    pub fn data(message: impl Into<String>) -> Self {
        Self::new(Exit::DataErr, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(Exit::NotFound, message)
    }
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(Exit::Unavailable, message)
    }
    pub fn cant_create(message: impl Into<String>) -> Self {
        Self::new(Exit::CantCreate, message)
    }
    pub fn temp_fail(message: impl Into<String>) -> Self {
        Self::new(Exit::TempFail, message)
    }
    pub fn no_perm(message: impl Into<String>) -> Self {
        Self::new(Exit::NoPerm, message)
    }
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(Exit::Config, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Exit::Internal, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// What `main` does with an error that reached it.
pub enum Outcome {
    /// stdout was closed under us (`| head`): not a failure.
    BrokenPipe,
    Failed(Exit),
}

/// Classify an error from a tool's `run`: the exit code from the first [`Error`] in the chain
/// (`Internal` when there is none: an unclassified error is a bug to fix here).
pub fn classify(err: &anyhow::Error) -> Outcome {
    for cause in err.chain() {
        if let Some(inner) = cause.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            if inner.is::<crate::output::OutputClosed>() {
                return Outcome::BrokenPipe;
            }
            if inner.is::<crate::output::OutputFailed>() {
                return Outcome::Failed(Exit::CantCreate);
            }
        }
    }
    let exit = err.chain().find_map(|c| c.downcast_ref::<Error>()).map_or(Exit::Internal, Error::exit);
    Outcome::Failed(exit)
}

/// Print `<tool>: error: <sentence>` and `  hint: <hint>` to stderr, each on one line.
pub fn report(tool: &str, err: &anyhow::Error) {
    let hint = err.chain().find_map(|c| c.downcast_ref::<Error>()).and_then(Error::hint);
    let mut stderr = io::stderr().lock();
    // If stderr itself is gone there is nobody left to tell.
    let _ = writeln!(stderr, "{tool}: error: {}", one_line(&format!("{err:#}")));
    if let Some(hint) = hint {
        let _ = writeln!(stderr, "  hint: {}", one_line(hint));
    }
}

/// The running tool's name and `-q`, set once by `main`, for lines printed from anywhere.
static TOOL: OnceLock<&'static str> = OnceLock::new();
static QUIET: AtomicBool = AtomicBool::new(false);

pub(crate) fn set_reporting(tool: &'static str, quiet: bool) {
    let _ = TOOL.set(tool);
    QUIET.store(quiet, Ordering::Relaxed);
}

fn tool_name() -> &'static str {
    TOOL.get().copied().unwrap_or("opskit")
}

/// Whether `-q` asked for errors only.
pub fn is_quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// `<tool>: warning: <message>` on stderr, unless `-q`.
pub fn warn(message: &str) {
    if !is_quiet() {
        let _ = writeln!(io::stderr().lock(), "{}: warning: {}", tool_name(), one_line(message));
    }
}

/// `<tool>: <message>` on stderr, unless `-q`: what a person should know that is not data
/// (`created environment dev`, `no differences`).
pub fn note(message: &str) {
    if !is_quiet() {
        let _ = writeln!(io::stderr().lock(), "{}: {}", tool_name(), one_line(message));
    }
}

/// Collapse a message onto one line: library errors sometimes carry newlines and indentation.
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn exit_code_comes_from_the_error_under_context() {
        let err = anyhow::Error::from(Error::not_found("key FOO not found")).context("reading staging");
        assert!(matches!(classify(&err), Outcome::Failed(Exit::NotFound)));
        assert_eq!(format!("{err:#}"), "reading staging: key FOO not found");
    }

    #[test]
    fn a_closed_output_is_quiet_but_other_broken_pipes_are_not() {
        let closed = io::Error::new(io::ErrorKind::BrokenPipe, crate::output::OutputClosed);
        let err = anyhow::Error::from(closed).context("writing");
        assert!(matches!(classify(&err), Outcome::BrokenPipe));
        let child = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe)).context("feeding psql");
        assert!(matches!(classify(&child), Outcome::Failed(Exit::Internal)));
    }

    #[test]
    fn unclassified_errors_are_internal() {
        let err = anyhow::anyhow!("surprise");
        assert!(matches!(classify(&err), Outcome::Failed(Exit::Internal)));
    }

    #[test]
    fn messages_are_one_line() {
        assert_eq!(one_line("TOML parse error\n  |\n3 | x"), "TOML parse error | 3 | x");
    }

    #[test]
    fn result_context_keeps_the_code() {
        let r: anyhow::Result<()> = Err(Error::no_perm("denied").into());
        let err = r.context("calling sts").unwrap_err();
        assert!(matches!(classify(&err), Outcome::Failed(Exit::NoPerm)));
    }
}
