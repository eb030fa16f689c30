//! What only a terminal shows, on a real pseudo-terminal: the secret prompt (Ctrl-D, a pasted
//! multi-line value, nothing left over for the shell), plans shown before questions, tables
//! that fit the width, summaries of bulk writes.

use std::collections::BTreeMap;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::support::pty::Pty;
use crate::support::{Sandbox, bin, stderr_of, stdout_of};

fn values(sb: &Sandbox, env: &str) -> BTreeMap<String, String> {
    let out = sb.tool("envctl").args(["get", env, "--reveal", "-o", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    records
        .into_iter()
        .map(|r| (r["key"].as_str().unwrap().to_owned(), r["value"].as_str().unwrap_or("").to_owned()))
        .collect()
}

/// envctl with these arguments on a pty of `cols` columns.
fn envctl(sb: &Sandbox, args: &[&str], cols: u16) -> Pty {
    let mut cmd = sb.std_command(bin("envctl"));
    cmd.args(args);
    Pty::spawn(cmd, cols)
}

#[test]
fn a_typed_secret_ends_at_ctrl_d_and_the_prompt_names_the_environment_and_tier() {
    let (sb, _) = Sandbox::project();
    let mut pty = envctl(&sb, &["set", "staging", "API_TOKEN"], 120);
    pty.wait_for("value for API_TOKEN in staging (staging tier;");
    pty.send(b"s3cr3t-typed");
    pty.send(b"\x04");
    let (status, screen) = pty.finish();
    assert!(status.success(), "{screen}");
    assert!(!screen.contains("s3cr3t-typed"), "not echoed: {screen}");
    assert_eq!(values(&sb, "staging")["API_TOKEN"], "s3cr3t-typed");
}

#[test]
fn a_pasted_multi_line_value_is_read_whole_and_nothing_reaches_the_shell() {
    let (sb, _) = Sandbox::project();
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
    // A shell that runs envctl, then reads the next line typed: had any pasted line been left
    // over, the shell would read (or run) it.
    let script =
        format!("'{}' set dev TLS_KEY; IFS= read -r next; printf 'next=[%s]\\n' \"$next\"", bin("envctl").display());
    for bracketed in [false, true] {
        let mut cmd = sb.std_command("sh");
        cmd.args(["-c", &script]);
        let mut pty = Pty::spawn(cmd, 120);
        pty.wait_for("value for TLS_KEY in dev");
        if bracketed {
            // A terminal that marks pastes; the person then presses Enter.
            pty.send(format!("\x1b[200~{pem}\n\x1b[201~").as_bytes());
            pty.send(b"\r");
        } else {
            pty.send(format!("{pem}\n").as_bytes());
        }
        pty.wait_for("(4 lines)");
        pty.send(b"typed after\n");
        let (status, screen) = pty.finish();
        assert!(status.success(), "{screen}");
        assert!(screen.contains("next=[typed after]"), "bracketed={bracketed}: {screen}");
        assert!(!screen.contains("MIIEvQ"), "not echoed: {screen}");
        assert_eq!(values(&sb, "dev")["TLS_KEY"], pem, "bracketed={bracketed}");
    }
}

#[test]
fn a_prompt_shows_the_plan_first_and_no_is_exit_1() {
    let (sb, _) = Sandbox::project();
    sb.tool("envctl").args(["set", "prod", "OLD_FLAG"]).write_stdin("1").assert().success();
    let file = sb.write("in.env", "NEW_A=1\nNEW_B=2\n");
    let mut pty = envctl(&sb, &["--no-color", "import", "dev", file.to_str().unwrap()], 100);
    let screen = pty.wait_for("[y/N]");
    let plan = screen.find("create  NEW_A").expect("the plan names the keys");
    assert!(plan < screen.find("apply 2 changes to dev?").unwrap(), "{screen}");
    assert!(screen.contains("create  NEW_B"), "{screen}");
    pty.send(b"n\r");
    let (status, screen) = pty.finish();
    assert_eq!(status.code(), Some(1), "{screen}");
    assert!(values(&sb, "dev").is_empty());

    let mut pty = envctl(&sb, &["--no-color", "unset", "prod", "OLD_FLAG"], 100);
    let screen = pty.wait_for("[y/N]");
    assert!(screen.find("delete  OLD_FLAG").unwrap() < screen.find("delete 1 key from prod?").unwrap(), "{screen}");
    pty.send(b"y\r");
    let (status, screen) = pty.finish();
    assert!(status.success(), "{screen}");
    assert!(values(&sb, "prod").is_empty());
}

#[test]
fn a_long_plan_is_summarised() {
    let (sb, _) = Sandbox::project();
    let lines = (0..45).map(|i| format!("K{i:02}=v")).collect::<Vec<_>>().join("\n");
    let file = sb.write("many.env", &lines);
    let mut pty = envctl(&sb, &["--no-color", "import", "dev", file.to_str().unwrap()], 100);
    let screen = pty.wait_for("[y/N]");
    assert!(screen.contains("create  K19") && !screen.contains("create  K20"), "{screen}");
    assert!(screen.contains("… and 25 more (25 create)"), "{screen}");
    pty.send(b"\x04");
    assert_eq!(pty.finish().0.code(), Some(1), "Ctrl-D at a question is no");
}

#[test]
fn tables_fit_the_terminal_and_bulk_writes_end_with_a_summary() {
    let (sb, _) = Sandbox::project();
    let long = "https://example.com/".to_owned() + &"very-long-path-segment/".repeat(8);
    for (key, value) in [("API_URL", long.as_str()), ("GREETING", "こんにちは世界、長い挨拶の文です"), ("SHORT", "x")]
    {
        sb.tool("envctl").args(["set", "staging", key, "--type", "plain"]).write_stdin(value).assert().success();
    }
    let (_, screen) = envctl(&sb, &["--no-color", "get", "staging"], 60).finish();
    let table: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(table.len() >= 4, "{screen}");
    for line in &table {
        assert!(line.trim_end_matches('\r').width() <= 60, "wider than 60: {line:?}\n{screen}");
    }
    assert!(screen.contains('…'), "long values are cut: {screen}");
    let (_, wide) = envctl(&sb, &["--no-color", "--wide", "get", "staging"], 60).finish();
    assert!(wide.contains(&long), "--wide shows whole values");

    let (status, screen) = envctl(&sb, &["--no-color", "copy", "staging", "demo-tty"], 100).finish();
    assert!(status.success(), "{screen}");
    assert!(screen.contains("demo-tty: 3 written"), "{screen}");
    assert!(!screen.contains("API_URL"), "no row per key: {screen}");
    assert!(screen.contains("NAME") && screen.contains("demo-tty"), "the environment's own table: {screen}");
    // The records are all there for programs.
    let out = sb.tool("envctl").args(["copy", "staging", "demo-pipe", "-o", "json"]).output().unwrap();
    let records: Vec<Value> = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(records.iter().filter(|r| r["kind"] == "change").count(), 3);
}
