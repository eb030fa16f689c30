//! Config discovery, merging and its errors, seen through `doctor` (which reports what it found).

use predicates::prelude::*;
use serde_json::Value;

use crate::support::Sandbox;

const PROJECT: &str = "app = \"casetracker\"\nregion = \"us-east-1\"\n\n[envs.dev]\ntier = \"dev\"\n[envs.staging]\ntier = \"staging\"\n[envs.prod]\n";

fn doctor_json(sb: &Sandbox, args: &[&str]) -> Value {
    let out = sb.tool("envctl").args(args).args(["doctor", "-o", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(records.len(), 1);
    records[0].clone()
}

#[test]
fn project_file_is_found_from_a_subdirectory() {
    let sb = Sandbox::aws();
    let file = sb.write("repo/opskit.toml", PROJECT);
    std::fs::create_dir_all(sb.path().join("repo/src/deep")).unwrap();
    let mut cmd = sb.tool("envctl");
    let out = cmd
        .current_dir(sb.path().join("repo/src/deep"))
        .args(["-e", "staging", "doctor", "-o", "ndjson"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rec: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rec["config_files"], serde_json::json!([file.display().to_string()]));
    assert_eq!(rec["app"], "casetracker");
    assert_eq!(rec["env"], "staging");
    assert_eq!(rec["tier"], "staging");
}

#[test]
fn an_environment_without_a_tier_is_prod() {
    let sb = Sandbox::aws();
    sb.write("opskit.toml", PROJECT);
    assert_eq!(doctor_json(&sb, &["-e", "prod"])["tier"], "prod");
}

#[test]
fn later_sources_win_project_then_user_then_env_var_then_flag() {
    let mut sb = Sandbox::aws();
    sb.unset("AWS_REGION");
    sb.write(
        "opskit.toml",
        "app = \"from-project\"\nregion = \"eu-west-1\"\n[envs.dev]\ntier = \"dev\"\nregion = \"eu-west-2\"\n",
    );
    let rec = doctor_json(&sb, &["-e", "dev"]);
    assert_eq!((rec["app"].as_str(), rec["region"].as_str()), (Some("from-project"), Some("eu-west-2")));
    // The user's config wins over the project's, key by key, inside [envs.*] too, for what
    // differs per machine.
    let user = sb.write(".config/opskit/config.toml", "[envs.dev]\nregion = \"ap-south-1\"\n");
    let rec = doctor_json(&sb, &["-e", "dev"]);
    assert_eq!(
        (rec["app"].as_str(), rec["region"].as_str(), rec["tier"].as_str()),
        (Some("from-project"), Some("ap-south-1"), Some("dev"))
    );
    assert_eq!(rec["sources"]["region"], format!("{} [envs.dev]", user.display()));
    assert_eq!(
        rec["config_files"],
        serde_json::json!([sb.path().join("opskit.toml").display().to_string(), user.display().to_string()])
    );
    // Then the environment variable, then the flag.
    sb.set("OPSKIT_APP", "from-env");
    assert_eq!(doctor_json(&sb, &[])["app"], "from-env");
    assert_eq!(doctor_json(&sb, &["--app", "from-flag"])["app"], "from-flag");
}

#[test]
fn per_environment_region_applies_under_the_flag() {
    let mut sb = Sandbox::aws();
    sb.unset("AWS_REGION");
    sb.write(
        "opskit.toml",
        "app = \"a\"\nregion = \"us-east-1\"\n[envs.dev]\ntier = \"dev\"\nregion = \"eu-central-1\"\n",
    );
    assert_eq!(doctor_json(&sb, &[])["region"], "us-east-1");
    assert_eq!(doctor_json(&sb, &["-e", "dev"])["region"], "eu-central-1");
    assert_eq!(doctor_json(&sb, &["-e", "dev", "--region", "ap-south-1"])["region"], "ap-south-1");
}

#[test]
fn explicit_config_must_exist() {
    let sb = Sandbox::aws();
    sb.tool("envctl")
        .args(["--config", "nope.toml", "doctor"])
        .assert()
        .code(78)
        .stdout("")
        .stderr(predicate::str::starts_with("envctl: error: config file nope.toml not found\n  hint: "));
}

#[test]
fn explicit_config_replaces_discovery() {
    let mut sb = Sandbox::aws();
    sb.write("opskit.toml", "app = \"found\"\n");
    let other = sb.write("elsewhere/ops.toml", "app = \"named\"\n");
    sb.set("OPSKIT_CONFIG", other.as_os_str());
    assert_eq!(doctor_json(&sb, &[])["app"], "named");
}

#[test]
fn typo_in_a_key_names_file_and_line() {
    let sb = Sandbox::aws();
    sb.write("opskit.toml", "app = \"a\"\n\n[envs.dev]\ntier = \"dev\"\nprofle = \"x\"\n");
    let out = sb.tool("costq").arg("doctor").output().unwrap();
    assert_eq!(out.status.code(), Some(78));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("costq: error: "), "{err}");
    assert!(err.contains("opskit.toml:5: unknown field `profle`, expected one of"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn malformed_toml_names_the_line() {
    let sb = Sandbox::aws();
    sb.write("opskit.toml", "app = \"a\"\nregion = us-east-1\n");
    sb.tool("dbdump").arg("doctor").assert().code(78).stderr(predicate::str::contains("opskit.toml:2:"));
}

#[test]
fn unknown_environment_is_not_found_with_the_known_ones() {
    let sb = Sandbox::aws();
    sb.write("opskit.toml", PROJECT);
    sb.tool("envctl").args(["-e", "stagin", "doctor"]).assert().code(66).stdout("").stderr(
        predicate::str::contains("environment `stagin` is not declared")
            .and(predicate::str::contains("did you mean `staging`?")),
    );
    // A temporary environment's name is no typo: reported, with its tier from its name.
    let out = sb.tool("envctl").args(["-e", "demo-42", "doctor"]).output().unwrap();
    assert!(out.status.success());
    let rec: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((rec["env"].as_str(), rec["tier"].as_str()), (Some("demo-42"), Some("prod")));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: environment `demo-42` is not declared"));
}

#[test]
fn invalid_names_are_usage_errors() {
    let sb = Sandbox::aws();
    sb.tool("envctl")
        .args(["--app", "a/b", "doctor"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid app name `a/b`"));
}
