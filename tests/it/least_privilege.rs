//! Least privilege: every command of every tool holds to the policy `<tool> doctor --iam-policy
//! <command>` prints. Two checks, each catching what the other cannot:
//! - each command's AWS calls, as logged (`RUST_LOG=opskit::aws=debug`, one `calling <action>`
//!   line per request), are all actions of that command's own statement;
//! - run as a user holding exactly the tool's printed policy, on an emulator enforcing IAM, no
//!   command is denied, so the table's action names are the ones IAM checks (moto cannot verify
//!   SESv2's signatures, so sesconfig gets the first check only); and one action short, the
//!   command fails with exit 77 naming the action.

use std::collections::BTreeSet;
use std::process::Output;

use serde_json::Value;

use crate::support::aws::enforcing_moto;
use crate::support::db::PgDb;
use crate::support::dns::DnsServer;
use crate::support::exports::{self, Shape};
use crate::support::{Sandbox, stderr_of, unique};

/// The policy `tool doctor --iam-policy [command]` prints.
fn policy_of(tool: &str, command: Option<&str>) -> Value {
    let out = Sandbox::new().tool(tool).args(["doctor", "--iam-policy"]).args(command).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn actions_in(policy: &Value) -> BTreeSet<String> {
    let statements = policy["Statement"].as_array().unwrap();
    statements.iter().flat_map(|s| s["Action"].as_array().unwrap()).map(|a| a.as_str().unwrap().to_owned()).collect()
}

/// The same policy without `action` (and without a statement left with no action).
fn without(mut policy: Value, action: &str) -> Value {
    let statements = policy["Statement"].as_array_mut().unwrap();
    for statement in statements.iter_mut() {
        statement["Action"].as_array_mut().unwrap().retain(|a| a != action);
    }
    statements.retain(|s| !s["Action"].as_array().unwrap().is_empty());
    policy
}

/// A sandbox on the enforcing emulator as a new user holding `policy`, with `config` as its
/// opskit.toml (`{app}` filled in).
fn as_user_with(policy: &Value, config: &str) -> (Sandbox, String) {
    let app = unique("lp");
    let keys = Sandbox::user_with_policy(&unique("user"), &policy.to_string());
    let sb = Sandbox::enforced(&keys);
    sb.write("opskit.toml", &config.replace("{app}", &app));
    (sb, app)
}

/// The administrator, for what the test itself sets up.
fn admin() -> Sandbox {
    Sandbox::enforced(&enforcing_moto().1)
}

/// The command `args` runs: its first word after `-e ENV`, or its first two when the tool's
/// table knows them as one (`rules init`); `query` when it starts with an option (costq's
/// default command has no word).
fn command_of(tool: &str, args: &[&str]) -> String {
    let words: Vec<&str> = match args {
        ["-e", _, rest @ ..] => rest.to_vec(),
        _ => args.to_vec(),
    };
    if words[0].starts_with('-') {
        return "query".to_owned();
    }
    let two = words.iter().take(2).copied().collect::<Vec<_>>().join(" ");
    let known = Sandbox::new().tool(tool).args(["doctor", "--iam-policy", &two]).output().unwrap();
    if known.status.success() { two } else { words[0].to_owned() }
}

/// Run `tool args` and check it: never denied, and every AWS call it made is an action of its
/// own command's statement. Whether it must also succeed is the caller's.
fn checked(sb: &Sandbox, tool: &str, args: &[&str], stdin: &str) -> Output {
    checked_as(sb, tool, &[&command_of(tool, args)], args, stdin)
}

/// [`checked`], against the statements of `commands` together (costq's query with a source's
/// own entry).
fn checked_as(sb: &Sandbox, tool: &str, commands: &[&str], args: &[&str], stdin: &str) -> Output {
    let out =
        sb.tool(tool).env("RUST_LOG", "opskit::aws=debug").args(args).write_stdin(stdin.to_owned()).output().unwrap();
    let stderr = stderr_of(&out);
    assert_ne!(out.status.code(), Some(77), "{tool} {args:?} was denied: {stderr}");
    let command = commands.join(" + ");
    let granted: BTreeSet<String> = commands.iter().flat_map(|c| actions_in(&policy_of(tool, Some(c)))).collect();
    let called: BTreeSet<&str> =
        stderr.lines().filter_map(|l| l.split("calling ").nth(1)).filter_map(|rest| rest.split(' ').next()).collect();
    // GetCallerIdentity is the one call IAM never refuses.
    let ungranted: Vec<&&str> =
        called.iter().filter(|a| **a != "sts:GetCallerIdentity" && !granted.contains(**a)).collect();
    assert!(ungranted.is_empty(), "{tool} {command} called {ungranted:?}, which its policy does not grant");
    out
}

fn succeeds(sb: &Sandbox, tool: &str, args: &[&str], stdin: &str) -> Output {
    let out = checked(sb, tool, args, stdin);
    assert!(out.status.success(), "{tool} {args:?}: {}", stderr_of(&out));
    out
}

/// One action short of the tool's policy, `args` fails with 77 and names the action.
fn one_short(tool: &str, action: &str, config: &str, env: &[(&str, &str)], args: &[&str], stdin: &str) {
    let (mut short, _) = as_user_with(&without(policy_of(tool, None), action), config);
    for (k, v) in env {
        short.set(k, *v);
    }
    let out = short.tool(tool).args(args).write_stdin(stdin.to_owned()).output().unwrap();
    assert_eq!(out.status.code(), Some(77), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains(action), "{}", stderr_of(&out));
}

const PROJECT: &str =
    "app = \"{app}\"\n[envs.dev]\ntier = \"dev\"\n[envs.staging]\ntier = \"staging\"\n[envs.prod]\ntier = \"prod\"\n";

#[test]
fn envctl_needs_no_more_than_its_printed_policy() {
    let (sb, _) = as_user_with(&policy_of("envctl", None), PROJECT);
    let e = |args: &[&str]| succeeds(&sb, "envctl", args, "value");
    e(&["set", "dev", "A"]);
    e(&["set", "dev", "B", "--type", "plain"]);
    e(&["set", "staging", "A"]);
    e(&["ls"]);
    e(&["show", "dev"]);
    e(&["get", "dev", "--reveal"]);
    e(&["history", "dev", "A", "--reveal"]);
    e(&["rollback", "dev", "A", "--to", "1"]);
    checked(&sb, "envctl", &["diff", "dev", "staging"], "");
    e(&["export", "dev"]);
    succeeds(&sb, "envctl", &["import", "dev", "-", "--yes"], "C=3\n");
    e(&["exec", "dev", "--", "true"]);
    e(&["promote", "dev", "staging", "--yes"]);
    e(&["copy", "dev", "demo-lp", "--ttl", "1s"]);
    e(&["unset", "dev", "C"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    e(&["reap", "--yes"]);
    e(&["copy", "dev", "demo-rm"]);
    e(&["rm", "demo-rm", "--yes"]);

    one_short("envctl", "ssm:PutParameter", PROJECT, &[], &["set", "dev", "A"], "v");
}

#[test]
fn dbdump_needs_no_more_than_its_printed_policy() {
    let db = PgDb::new();
    db.sql("CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'one'), (2, 'two');");
    let bucket = unique("lp-dumps");
    let config = format!("{PROJECT}[dbdump]\nstore = \"s3://{bucket}/dumps\"\n");
    let (mut sb, app) = as_user_with(&policy_of("dbdump", None), &config);
    sb.set("DBDUMP_KEY", "key");
    let admin = admin();
    assert!(admin.aws_cli().args(["s3api", "create-bucket", "--bucket", &bucket]).output().unwrap().status.success());
    let url_param = format!("/{app}/staging/DATABASE_URL");
    let put = admin
        .aws_cli()
        .args(["ssm", "put-parameter", "--type", "SecureString", "--name", &url_param, "--value", &db.url()])
        .output()
        .unwrap();
    assert!(put.status.success(), "{}", stderr_of(&put));
    let d = |args: &[&str]| succeeds(&sb, "dbdump", args, "");
    d(&["-e", "staging", "create"]);
    d(&["-e", "staging", "create"]);
    d(&["-e", "staging", "ls"]);
    d(&["-e", "staging", "cat", "latest"]);
    let target = PgDb::new();
    d(&["-e", "staging", "restore", "latest", "--to", &target.url()]);
    checked(&sb, "dbdump", &["-e", "staging", "lint"], "");
    d(&["-e", "staging", "rules", "init"]);
    checked(&sb, "dbdump", &["compare", &db.url(), &target.url()], "");
    // An environment as a side: its DATABASE_URL (password and all) from SSM, not argv.
    checked(&sb, "dbdump", &["compare", "staging", &target.url()], "");
    d(&["-e", "staging", "prune", "--keep-last", "1", "--yes"]);
    let first = sb.tool("dbdump").args(["-e", "staging", "ls"]).output().unwrap();
    let id: Value = serde_json::from_slice(first.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    d(&["-e", "staging", "rm", id["id"].as_str().unwrap(), "--yes"]);

    let url = db.url();
    one_short("dbdump", "s3:PutObject", &config, &[("DBDUMP_KEY", "key")], &["create", "--url", &url, "-e", "dev"], "");
}

#[test]
fn sesconfig_calls_only_what_its_printed_policy_grants() {
    let (sb, _) = Sandbox::project();
    let dns = DnsServer::start(&[]);
    let domain = format!("{}.example.gov", unique("lp"));
    let resolver = dns.addr();
    let s = |args: &[&str]| checked(&sb, "sesconfig", args, "");
    s(&["setup", &domain]);
    succeeds(&sb, "sesconfig", &["dns", &domain], "");
    s(&["check", &domain, "--resolver", &resolver]);
    s(&["status"]);
    s(&["request-production", "--website", "https://example.gov", "--use-case", "notices"]);
    s(&["send-test", "--from", &format!("noreply@{domain}"), "--to", "dev@example.org"]);
    succeeds(&sb, "sesconfig", &["teardown", &domain, "--yes"], "");
}

#[test]
fn costq_needs_no_more_than_its_printed_policy() {
    let (sb, _) = as_user_with(&policy_of("costq", None), PROJECT);
    let q = |args: &[&str]| {
        let mut all = vec!["--as-of", "2026-11-27"];
        all.extend_from_slice(args);
        succeeds(&sb, "costq", &all, "")
    };
    q(&["--month", "2026-09", "--by", "service"]);
    checked(&sb, "costq", &["--as-of", "2026-11-27", "--forecast"], "");
    let report = sb.path().join("costs.html");
    succeeds(
        &sb,
        "costq",
        &["report", "--last-month", "--html", report.to_str().unwrap(), "--as-of", "2026-11-27"],
        "",
    );
    checked(&sb, "costq", &["check", "--budget", "5000", "--as-of", "2026-11-27"], "");
    checked(&sb, "costq", &["anomalies", "--days", "30", "--as-of", "2026-11-27"], "");

    // Billing export files in S3: the query plus `source:s3`.
    let bucket = unique("lp-cur");
    let admin = admin();
    assert!(admin.aws_cli().args(["s3api", "create-bucket", "--bucket", &bucket]).output().unwrap().status.success());
    let csv = sb.write("cur.csv", &exports::generate(Shape::Cur, 50, 7, false));
    let cp = admin
        .aws_cli()
        .args(["s3", "cp", csv.to_str().unwrap(), &format!("s3://{bucket}/cur/2024/cur.csv")])
        .output()
        .unwrap();
    assert!(cp.status.success(), "{}", stderr_of(&cp));
    let source = format!("s3://{bucket}/cur/");
    let out = checked_as(&sb, "costq", &["query", "source:s3"], &["--source", &source, "--by", "service"], "");
    assert!(out.status.success(), "{}", stderr_of(&out));
    // Athena: the query plus `source:athena` (moto answers every query empty: not denied is the test).
    let athena = ["--source", "athena", "--database", "cur", "--table", "report", "--month", "2026-09"];
    checked_as(&sb, "costq", &["query", "source:athena"], &athena, "");

    one_short("costq", "ce:GetCostAndUsage", PROJECT, &[], &["--month", "2026-09", "--as-of", "2026-11-27"], "");
}

#[test]
fn accessgrant_needs_no_more_than_its_printed_policy() {
    let policy = policy_of("accessgrant", None).to_string();
    let (alice_name, bob_name) = (unique("alice"), unique("bob"));
    let alice = Sandbox::enforced(&Sandbox::user_with_policy(&alice_name, &policy));
    let bob = Sandbox::enforced(&Sandbox::user_with_policy(&bob_name, &policy));
    let bucket = unique("lp-ledger");
    let admin = admin();
    assert!(admin.aws_cli().args(["s3api", "create-bucket", "--bucket", &bucket]).output().unwrap().status.success());
    let config = format!(
        "{PROJECT}[accessgrant]\nbucket = \"{bucket}\"\napprovers = [\"arn:aws:iam::123456789012:user/{bob_name}\"]\n\n{}",
        crate::accessgrant::DEBUG_ROLE
    )
    .replace("{app}", &unique("lp"));
    alice.write("opskit.toml", &config);
    bob.write("opskit.toml", &config);
    let id_of = |out: &Output| -> String {
        let record: Value = serde_json::from_slice(&out.stdout).unwrap();
        record["id"].as_str().unwrap().to_owned()
    };
    let a = |args: &[&str]| succeeds(&alice, "accessgrant", args, "");
    let b = |args: &[&str]| succeeds(&bob, "accessgrant", args, "");
    let dev = id_of(&a(&["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", "lp"]));
    let staging = id_of(&a(&["request", "--role", "debug", "-e", "staging", "--for", "1h", "--reason", "lp"]));
    a(&["ls"]);
    a(&["show", &staging]);
    a(&["policy", "debug", "-e", "staging"]);
    b(&["approve", &staging]);
    a(&["extend", &staging, "--for", "30m", "--reason", "more"]);
    b(&["deny", &staging, "--reason", "enough"]);
    a(&["audit"]);
    checked(&alice, "accessgrant", &["connect", &dev], "");
    a(&["revoke", &dev]);
    b(&["sweep"]);

    // One action short: the dev grant cannot be attached, and nothing is recorded.
    let short = without(policy_of("accessgrant", None), "iam:PutUserPolicy").to_string();
    let carol = Sandbox::enforced(&Sandbox::user_with_policy(&unique("carol"), &short));
    carol.write("opskit.toml", &config);
    let out = carol
        .tool("accessgrant")
        .args(["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", "lp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(77), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("iam:PutUserPolicy"), "{}", stderr_of(&out));
}
