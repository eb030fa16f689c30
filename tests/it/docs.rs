//! Generated docs stay true to the code: man pages, completions and the README's tables.

use crate::support::root;

#[test]
fn generated_docs_are_up_to_date() {
    let stale = xtask::stale(root()).expect("render docs");
    assert!(stale.is_empty(), "stale generated files: {stale:?}; run `cargo xtask gen` and commit");
}

#[test]
fn readme_test_command_is_what_ci_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(readme.contains("```sh\ntests/run.sh\n```"), "README names the test command");
    assert!(ci.lines().any(|l| l.trim_start().starts_with("tests/run.sh")), ".ci/run runs the README's test command");
}
