//! `cargo xtask gen` writes the generated docs; `cargo xtask check` fails when they are stale.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace");
    let mut out = std::io::stdout().lock();
    let result = match std::env::args().nth(1).as_deref() {
        Some("gen") => xtask::write(root).map(|changed| {
            for path in &changed {
                let _ = writeln!(out, "wrote {}", path.display());
            }
            let _ = writeln!(out, "{} generated files changed", changed.len());
            true
        }),
        Some("check") => xtask::stale(root).map(|stale| {
            for path in &stale {
                let _ = writeln!(out, "stale: {}", path.display());
            }
            stale.is_empty()
        }),
        _ => {
            let _ = writeln!(std::io::stderr(), "usage: cargo xtask gen | check");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            let _ = writeln!(std::io::stderr(), "generated docs are stale: run `cargo xtask gen`");
            ExitCode::FAILURE
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
