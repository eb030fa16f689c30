//! `envctl exec ENV -- CMD ARGS…`: run a command with an environment's parameters as
//! environment variables. envctl replaces itself with CMD (execvp), so CMD's exit code and
//! every signal reach CMD directly, exactly as if it had been started on its own.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::process::Command;

use opskit::{Error, Exit};

use crate::app::{Envctl, as_variables};

pub async fn exec(
    app: &Envctl<'_>,
    env: &str,
    command: &[OsString],
    pristine: bool,
    override_: bool,
) -> anyhow::Result<Exit> {
    let params = app.params(env, crate::store::Values::All).await?;
    let pairs: Vec<(String, opskit::Secret)> =
        params.into_iter().map(|p| (app.key_of(env, &p.name).to_owned(), p.value.unwrap_or_default())).collect();
    let vars = as_variables(env, &pairs)?;
    let (program, args) = command.split_first().ok_or_else(|| Error::usage("no command given after --"))?;
    // CMD is looked up in envctl's own PATH, even when the child is to see none of it.
    let mut cmd = Command::new(find_program(program));
    cmd.args(args);
    if pristine {
        cmd.env_clear();
    }
    for (var, value) in vars {
        if pristine || override_ || std::env::var_os(&var).is_none() {
            cmd.env(var, value.expose());
        }
    }
    let err = cmd.exec();
    // Only reached when CMD could not be started; 127 and 126 as env(1) and the shells use.
    let code = if err.kind() == std::io::ErrorKind::NotFound { 127 } else { 126 };
    let err = anyhow::Error::from(Error::not_found(format!("cannot run {}: {err}", program.to_string_lossy())));
    opskit::error::report(app.ctx.tool, &err);
    std::process::exit(code);
}

/// A bare command name resolved against PATH, as the shell would; anything else as given.
fn find_program(program: &OsString) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let given = std::path::PathBuf::from(program);
    if given.components().count() != 1 {
        return given;
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|p| p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
        .unwrap_or(given)
}
