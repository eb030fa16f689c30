//! The harness every process test uses: the built binaries, an isolated environment per test,
//! and the real backends (the moto server, the AWS CLI, PostgreSQL, MariaDB, an authoritative
//! DNS server).

#![allow(dead_code)] // each test module uses a different part of the harness

pub mod aws;
pub mod db;
pub mod dns;
pub mod exports;
pub mod fake;
pub mod pty;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use tempfile::TempDir;

pub const TOOLS: [&str; 5] = ["dbdump", "envctl", "costq", "accessgrant", "sesconfig"];

/// The workspace root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A built tool binary. `cargo test` does not build other packages' binaries: tests/run.sh
/// runs `cargo build --workspace --bins` first.
pub fn bin(tool: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps");
    let path = dir.join(tool);
    assert!(
        path.is_file(),
        "{} is not built: run tests/run.sh (or `cargo build --workspace --bins` first)",
        path.display()
    );
    path
}

/// A unique name for this test's things (app, bucket, database), so tests share backends
/// without sharing state.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// A test's private world: a temporary HOME and working directory, and nothing of the
/// developer's own AWS or opskit settings.
pub struct Sandbox {
    pub dir: TempDir,
    vars: Vec<(String, OsString)>,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::Builder::new().prefix("opskit-test-").tempdir().expect("temp dir");
        let home = dir.path().to_path_buf();
        let vars = vec![
            ("HOME".into(), home.clone().into()),
            ("XDG_CONFIG_HOME".into(), home.join(".config").into()),
            ("PATH".into(), std::env::var_os("PATH").unwrap_or_default()),
            ("LANG".into(), "C.UTF-8".into()),
            // An empty AWS world: no profile files, no instance metadata.
            ("AWS_CONFIG_FILE".into(), home.join(".aws/config").into()),
            ("AWS_SHARED_CREDENTIALS_FILE".into(), home.join(".aws/credentials").into()),
            ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ];
        Sandbox { dir, vars }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Set a variable for every command this sandbox runs.
    pub fn set(&mut self, key: &str, value: impl Into<OsString>) -> &mut Self {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_owned(), value.into()));
        self
    }

    pub fn var(&self, key: &str) -> Option<&OsString> {
        self.vars.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn unset(&mut self, key: &str) -> &mut Self {
        self.vars.retain(|(k, _)| k != key);
        self
    }

    /// Write a file under the sandbox and return its path.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Any program, run in the sandbox with only the sandbox's environment.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        Command::from_std(self.std_command(program))
    }

    /// The same as a plain `std` command, for a test that must spawn and signal it.
    pub fn std_command(&self, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        cmd.env_clear().current_dir(self.path());
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        cmd
    }

    /// One of our tools.
    pub fn tool(&self, tool: &str) -> Command {
        self.command(bin(tool))
    }
}

/// Run `cmd`, wait until its stderr shows `needle` (it runs with `-v` or more), let it go on
/// for `after`, send it `signal`, and wait for its end: its output, and its whole stderr.
pub fn signal_when(
    mut cmd: std::process::Command,
    needle: &str,
    after: std::time::Duration,
    signal: i32,
) -> (std::process::Output, String) {
    use std::io::{BufRead, Read};
    let mut child =
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("spawn");
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("piped"));
    let mut seen = String::new();
    while !seen.contains(needle) {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).expect("read stderr") > 0, "stderr ended before `{needle}`: {seen}");
        seen.push_str(&line);
    }
    std::thread::sleep(after);
    #[allow(unsafe_code, clippy::cast_possible_wrap)]
    // SAFETY: a signal to our own child.
    unsafe {
        libc::kill(child.id() as i32, signal);
    }
    stderr.read_to_string(&mut seen).expect("read stderr");
    (child.wait_with_output().expect("wait"), seen)
}

/// The one-line error `tool` wrote (perhaps with a hint line), with no debug output: its stderr.
pub fn one_line_error(tool: &str, out: &std::process::Output) -> String {
    let err = stderr_of(out);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[0].starts_with(&format!("{tool}: error: ")), "{err}");
    assert!(lines.len() <= 2 && lines.get(1).is_none_or(|l| l.starts_with("  hint: ")), "{err}");
    assert!(
        !err.contains("Error {") && !err.contains("ErrorMetadata") && !err.contains("SdkError"),
        "no debug output: {err}"
    );
    err
}

/// stderr of a finished command, as text.
pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}
