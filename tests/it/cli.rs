//! Conventions every tool keeps: help, version, usage errors, exit codes, output on stdout only.

use predicates::prelude::*;

use crate::support::{Sandbox, TOOLS, stderr_of};

#[test]
fn every_tool_has_help_version_and_doctor() {
    let sb = Sandbox::new();
    for tool in TOOLS {
        sb.tool(tool)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("doctor").and(predicate::str::contains("--endpoint-url")))
            .stderr("");
        sb.tool(tool).arg("--version").assert().success().stdout(format!("{tool} {}\n", env!("CARGO_PKG_VERSION")));
        sb.tool(tool).args(["doctor", "--help"]).assert().success().stdout(predicate::str::contains("--region"));
    }
}

#[test]
fn help_into_a_closed_pipe_exits_zero() {
    let sb = Sandbox::new();
    let costq = crate::support::bin("costq");
    sb.command("bash")
        .args(["-c", &format!("set -o pipefail; '{}' --help | head -n 1", costq.display())])
        .assert()
        .success()
        .stdout(predicate::str::contains("AWS cost"));
}

#[test]
fn records_into_a_closed_pipe_end_quietly_with_exit_0() {
    let sb = Sandbox::aws();
    let doctor = crate::support::bin("envctl");
    // The reader is gone before envctl writes its record.
    let out = sb
        .command("bash")
        .args(["-c", &format!("set -o pipefail; {{ sleep 0.5; '{}' doctor -o ndjson; }} | true", doctor.display())])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(stderr_of(&out), "");
}

#[test]
fn bad_endpoint_and_region_are_usage_errors() {
    let sb = Sandbox::aws();
    for args in [&["--endpoint-url", "notaurl"][..], &["--region", "us_east!"]] {
        let out = sb.tool("envctl").args(args).arg("doctor").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        assert_eq!(stderr_of(&out).lines().count(), 1, "{}", stderr_of(&out));
    }
}

#[test]
fn unknown_flag_is_one_line_and_exit_2() {
    let sb = Sandbox::new();
    for args in [&["--bogus"][..], &["doctor", "--bogus"], &["nosuchcommand"], &["-o", "yaml", "doctor"]] {
        let out = sb.tool("envctl").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        crate::support::one_line_error("envctl", &out);
    }
}

#[test]
fn a_bare_tool_lists_its_commands_and_exits_2() {
    Sandbox::new()
        .tool("envctl")
        .assert()
        .code(2)
        .stdout("")
        .stderr("envctl: error: envctl needs a command: ls, show, get, set, unset, history, rollback, diff, export, import, exec, copy, rm, reap, promote, doctor\n  hint: see `envctl --help`\n");
}

/// Each usage error stays one line but says what to fix: what is missing, the possible values,
/// the nearest command, the subcommand's own help.
#[test]
fn usage_errors_carry_claps_detail_in_one_line() {
    let sb = Sandbox::new();
    for (args, message, hint) in [
        (
            &["-o", "yaml", "doctor"][..],
            "invalid value `yaml` for --output <FMT>; possible values: table, json, ndjson, csv, tsv",
            "see `envctl doctor --help`",
        ),
        (&["gte", "dev"], "unknown command `gte` for `envctl`", "did you mean `get`?"),
        (&["diff"], "missing <A> (usage: envctl diff <A> [B])", "see `envctl diff --help`"),
        (
            &["rollback", "dev", "K", "--to", "x"],
            "invalid value 'x' for '--to <N>': invalid digit found in string",
            "see `envctl rollback --help`",
        ),
        (&["get", "--reval"], "unexpected argument `--reval`", "did you mean `--reveal`?"),
        (&["get"], "no environment given", "name it as the command's ENV argument, or with -e ENV (or OPSKIT_ENV)"),
    ] {
        let out = sb.tool("envctl").args(["--app", "a"]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr_of(&out), format!("envctl: error: {message}\n  hint: {hint}\n"), "{args:?}");
    }
}

#[test]
fn quiet_and_verbose_conflict() {
    Sandbox::new().tool("costq").args(["-q", "-v", "doctor"]).assert().code(2);
}
