//! install.sh: binaries, man pages and completions under a prefix; idempotent; clear failures.
//! The tests install the debug binaries this test run built (`--from`), so they cost no
//! release build; CI runs the full `./install.sh` once.

use predicates::prelude::*;

use crate::support::{Sandbox, TOOLS, bin, root, stderr_of, stdout_of};

fn install(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    let from = bin("envctl").parent().unwrap().to_path_buf();
    sb.command(root().join("install.sh")).arg("--from").arg(from).args(args).output().unwrap()
}

#[test]
fn installs_binaries_man_pages_and_completions_idempotently() {
    let sb = Sandbox::new();
    let prefix = sb.path().join("prefix");
    let prefix_arg = prefix.to_str().unwrap();
    for _ in 0..2 {
        let out = install(&sb, &["--prefix", prefix_arg]);
        assert!(out.status.success(), "{}", stderr_of(&out));
        let text = stdout_of(&out);
        assert!(text.contains("installed: dbdump, envctl, costq, accessgrant, sesconfig"), "{text}");
        assert!(text.contains(&format!("export PATH=\"{}/bin:$PATH\"", prefix.display())), "{text}");
    }
    for tool in TOOLS {
        for file in [
            format!("bin/{tool}"),
            format!("share/man/man1/{tool}.1"),
            format!("share/man/man1/{tool}-doctor.1"),
            format!("share/bash-completion/completions/{tool}"),
            format!("share/zsh/site-functions/_{tool}"),
            format!("share/fish/vendor_completions.d/{tool}.fish"),
        ] {
            assert!(prefix.join(&file).is_file(), "{file} not installed");
        }
        sb.command(prefix.join("bin").join(tool)).arg("--version").assert().success();
    }
    let leftovers: Vec<_> = std::fs::read_dir(prefix.join("bin"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn installs_a_subset() {
    let sb = Sandbox::new();
    let prefix = sb.path().join("p");
    let out = install(&sb, &["--prefix", prefix.to_str().unwrap(), "--tools", "envctl,costq"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let mut installed: Vec<String> =
        std::fs::read_dir(prefix.join("bin")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    installed.sort();
    assert_eq!(installed, ["costq", "envctl"]);
}

#[test]
fn unknown_tool_is_refused() {
    let sb = Sandbox::new();
    let out = install(&sb, &["--prefix", sb.path().to_str().unwrap(), "--tools", "envctl,nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).starts_with("install.sh: error: unknown tool 'nope'"), "{}", stderr_of(&out));
}

#[test]
fn missing_cargo_is_a_clear_error() {
    let mut sb = Sandbox::new();
    sb.set("PATH", "/usr/bin:/bin");
    sb.command(root().join("install.sh")).args(["--prefix", sb.path().to_str().unwrap()]).assert().code(69).stderr(
        predicate::str::starts_with("install.sh: error: cargo not found")
            .and(predicate::str::contains("hint: install Rust with rustup")),
    );
}
