//! accessgrant against the emulator's IAM, STS and S3, each test in an AWS account of its own,
//! people as IAM users with their own access keys (so STS says who each is), and the AWS CLI
//! reading back what accessgrant wrote: the policies in IAM, the grants and the audit log in S3.
//! Time is moved with ACCESSGRANT_NOW, never slept.

use std::process::Output;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::aws::{Account, Keys};
use crate::support::{Sandbox, stderr_of, stdout_of, unique};

/// The time most tests take as now.
pub const NOW: &str = "2030-01-01T10:00:00Z";

pub const DEBUG_ROLE: &str = r#"
[accessgrant.roles.debug]
description = "SSM shell on the environment's instances"
actions = ["ssm:StartSession", "ssm:TerminateSession"]
resources = ["arn:aws:ec2:*:*:instance/*"]
conditions = { "StringEquals" = { "ssm:resourceTag/env" = "{env}", "ssm:resourceTag/app" = "{app}" } }
max_duration = "4h"
approvals = { dev = 0, staging = 1, prod = 2 }
"#;

/// One test's world: its own account, ledger bucket and app; alice asks, bob approves.
pub struct World {
    pub sb: Sandbox,
    pub account: Account,
    pub app: String,
    pub bucket: String,
    pub alice: Keys,
    pub bob: Keys,
}

impl World {
    pub fn new() -> World {
        World::with_roles(DEBUG_ROLE, "")
    }

    /// `roles`: [accessgrant.roles.*] tables; `settings`: more keys of [accessgrant].
    pub fn with_roles(roles: &str, settings: &str) -> World {
        World::build(roles, settings, &[])
    }

    /// A world whose ledger bucket has S3 Object Lock: every version kept, in compliance mode,
    /// for a day.
    pub fn object_locked() -> World {
        World::build(DEBUG_ROLE, "", &["--object-lock-enabled-for-bucket"])
    }

    fn build(roles: &str, settings: &str, bucket_flags: &[&str]) -> World {
        let sb = Sandbox::aws();
        let account = Account::new(&sb);
        let app = unique("shop");
        let bucket = unique("ledger");
        // Independent AWS CLI calls at once: each costs the CLI's start-up.
        let (alice, bob) = std::thread::scope(|s| {
            let made = s.spawn(|| {
                account
                    .cli(&sb)
                    .args(["s3api", "create-bucket", "--bucket", &bucket])
                    .args(bucket_flags)
                    .output()
                    .unwrap()
            });
            let alice = s.spawn(|| account.user(&sb, "alice"));
            let bob = account.user(&sb, "bob");
            let made = made.join().unwrap();
            assert!(made.status.success(), "{}", stderr_of(&made));
            (alice.join().unwrap(), bob)
        });
        let world = World { sb, account, app, bucket, alice, bob };
        if !bucket_flags.is_empty() {
            let lock = r#"{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":1}}}"#;
            ok(&world
                .cli()
                .args([
                    "s3api",
                    "put-object-lock-configuration",
                    "--bucket",
                    &world.bucket,
                    "--object-lock-configuration",
                    lock,
                ])
                .output()
                .unwrap());
        }
        world.configure(roles, settings);
        world
    }

    pub fn configure(&self, roles: &str, settings: &str) {
        self.configure_approvers(&["bob"], roles, settings);
    }

    /// The config, with these users (by name) as `approvers`.
    pub fn configure_approvers(&self, approvers: &[&str], roles: &str, settings: &str) {
        let approvers: Vec<String> = approvers.iter().map(|a| format!("\"{}\"", self.arn(a))).collect();
        self.sb.write(
            "opskit.toml",
            &format!(
                "app = \"{}\"\n[envs.dev]\ntier = \"dev\"\n[envs.staging]\ntier = \"staging\"\n[envs.prod]\ntier = \"prod\"\n\n[accessgrant]\nbucket = \"{}\"\napprovers = [{}]\napprover_groups = [\"leads\"]\n{settings}\n{roles}",
                self.app,
                self.bucket,
                approvers.join(", ")
            ),
        );
    }

    /// Another person of the account.
    pub fn user(&self, name: &str) -> Keys {
        self.account.user(&self.sb, name)
    }

    /// A person who approves by being in the `leads` group.
    pub fn lead(&self, name: &str) -> Keys {
        let keys = self.user(name);
        let _ = self.cli().args(["iam", "create-group", "--group-name", "leads"]).output().unwrap();
        ok(&self
            .cli()
            .args(["iam", "add-user-to-group", "--group-name", "leads", "--user-name", name])
            .output()
            .unwrap());
        keys
    }

    /// accessgrant as `who`, at [`NOW`].
    pub fn ag(&self, who: &Keys) -> assert_cmd::Command {
        self.ag_at(who, NOW)
    }

    /// accessgrant as `who`, at `now`.
    pub fn ag_at(&self, who: &Keys, now: &str) -> assert_cmd::Command {
        let mut cmd = self.sb.tool("accessgrant");
        who.apply(&mut cmd).env("ACCESSGRANT_NOW", now);
        cmd
    }

    /// The AWS CLI as the account's administrator.
    pub fn cli(&self) -> assert_cmd::Command {
        self.account.cli(&self.sb)
    }

    pub fn arn(&self, user: &str) -> String {
        self.account.user_arn(user)
    }

    /// alice asks for `role` in `env`; the grant record.
    pub fn request(&self, env: &str, duration: &str) -> Value {
        record(
            &self
                .ag(&self.alice)
                .args([
                    "request",
                    "--role",
                    "debug",
                    "-e",
                    env,
                    "--for",
                    duration,
                    "--reason",
                    "INC-7: checkout errors",
                ])
                .output()
                .unwrap(),
        )
    }

    /// An inline policy as the AWS CLI reads it (it URL-decodes IAM's documents); `None` when
    /// IAM has no such policy.
    pub fn policy(&self, kind: &str, holder: &str, name: &str) -> Option<Value> {
        let (op, flag) =
            if kind == "user" { ("get-user-policy", "--user-name") } else { ("get-role-policy", "--role-name") };
        let out = self.cli().args(["iam", op, flag, holder, "--policy-name", name]).output().unwrap();
        if !out.status.success() {
            assert!(stderr_of(&out).contains("NoSuchEntity"), "{}", stderr_of(&out));
            return None;
        }
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        Some(v["PolicyDocument"].clone())
    }

    /// Names of a user's or role's inline policies.
    pub fn policy_names(&self, kind: &str, holder: &str) -> Vec<String> {
        let (op, flag) =
            if kind == "user" { ("list-user-policies", "--user-name") } else { ("list-role-policies", "--role-name") };
        let v: Value =
            serde_json::from_slice(&ok(&self.cli().args(["iam", op, flag, holder]).output().unwrap()).stdout).unwrap();
        v["PolicyNames"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_owned()).collect()
    }

    /// An object of the ledger, as the AWS CLI reads it.
    pub fn object(&self, key: &str) -> Value {
        let out = self.cli().args(["s3", "cp", &format!("s3://{}/{key}", self.bucket), "-"]).output().unwrap();
        serde_json::from_slice(&ok(&out).stdout).unwrap()
    }

    /// The keys of the ledger under `prefix`, in order.
    pub fn keys(&self, prefix: &str) -> Vec<String> {
        let out = self
            .cli()
            .args(["s3api", "list-objects-v2", "--bucket", &self.bucket, "--prefix", prefix])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&ok(&out).stdout).unwrap_or_default();
        v["Contents"]
            .as_array()
            .map(|c| c.iter().map(|o| o["Key"].as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    }

    /// The audit log's events, as stored, in key order (copied down in one AWS CLI call).
    pub fn audit_log(&self) -> Vec<Value> {
        let dir = tempfile::tempdir_in(self.sb.path()).unwrap();
        let from = format!("s3://{}/audit/", self.bucket);
        ok(&self
            .cli()
            .args(["s3", "cp", "--recursive", "--only-show-errors", &from])
            .arg(dir.path())
            .output()
            .unwrap());
        let mut files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files.iter().map(|f| serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap()).collect()
    }

    /// `(event, grant)` of each stored event.
    pub fn audit_kinds(&self) -> Vec<(String, String)> {
        self.audit_log()
            .iter()
            .map(|e| (e["event"].as_str().unwrap().to_owned(), e["grant"].as_str().unwrap().to_owned()))
            .collect()
    }
}

pub fn ok(out: &Output) -> &Output {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), stderr_of(out));
    out
}

pub fn records(out: &Output) -> Vec<Value> {
    stdout_of(ok(out)).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

pub fn record(out: &Output) -> Value {
    let mut all = records(out);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

/// The exit code and stderr of a command that must fail.
pub fn fails(out: &Output) -> (i32, String) {
    assert!(!out.status.success(), "expected a failure: {}", stdout_of(out));
    (out.status.code().unwrap(), stderr_of(out))
}

pub fn id(grant: &Value) -> String {
    grant["id"].as_str().unwrap().to_owned()
}

#[test]
fn a_dev_grant_is_active_at_once_with_a_policy_that_ends_itself_and_iam_accepts() {
    let w = World::new();
    let g = w.request("dev", "2h");
    assert_eq!(g["kind"], "grant");
    assert_eq!(g["state"], "active");
    assert_eq!(g["requester"], w.arn("alice"));
    assert_eq!(g["grantee"], w.arn("alice"));
    assert_eq!(g["activated_at"], "2030-01-01T10:00:00Z");
    assert_eq!(g["expires_at"], "2030-01-01T12:00:00Z");
    assert_eq!(g["duration_seconds"], 7200);
    // IAM holds the policy, as the AWS CLI reads it: {app} and {env} filled in, and the expiry
    // as its own condition.
    let name = format!("accessgrant-{}", id(&g));
    let policy = w.policy("user", "alice", &name).expect("the grant's policy is attached");
    let statement = &policy["Statement"][0];
    assert_eq!(statement["Effect"], "Allow");
    assert_eq!(statement["Action"], serde_json::json!(["ssm:StartSession", "ssm:TerminateSession"]));
    assert_eq!(statement["Condition"]["StringEquals"]["ssm:resourceTag/env"], "dev");
    assert_eq!(statement["Condition"]["StringEquals"]["ssm:resourceTag/app"], w.app.as_str());
    assert_eq!(statement["Condition"]["DateLessThan"]["aws:CurrentTime"], "2030-01-01T12:00:00Z");
    // `policy` prints exactly what a grant attaches.
    let printed = w.ag(&w.alice).args(["policy", "debug", "-e", "dev", "--for", "2h"]).output().unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&ok(&printed).stdout).unwrap(), policy);
    assert!(stderr_of(&printed).contains("fits a user's inline policies (2048)"), "{}", stderr_of(&printed));
    // The ledger holds the grant and its events, as the AWS CLI reads them.
    let stored = w.object(&format!("grants/{}.json", id(&g)));
    assert_eq!(stored["state"], "active");
    assert_eq!(stored["events"].as_array().unwrap().len(), 2);
    assert_eq!(w.audit_kinds(), [("requested".into(), id(&g)), ("activated".into(), id(&g))]);
}

#[test]
fn the_requester_is_who_sts_says_never_a_flag() {
    let w = World::new();
    let out = w
        .ag(&w.bob)
        .args(["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", "x", "--requester", "alice"])
        .output()
        .unwrap();
    assert_eq!(fails(&out).0, 2);
    // bob asks for alice: bob is the requester, alice the grantee.
    let g = record(
        &w.ag(&w.bob)
            .args([
                "request",
                "--role",
                "debug",
                "-e",
                "dev",
                "--for",
                "1h",
                "--reason",
                "pairing",
                "--to",
                "user/alice",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(
        (g["requester"].as_str(), g["grantee"].as_str()),
        (Some(w.arn("bob").as_str()), Some(w.arn("alice").as_str()))
    );
    assert!(w.policy("user", "alice", &format!("accessgrant-{}", id(&g))).is_some());
    assert!(w.policy_names("user", "bob").is_empty());
    let requested = &w.audit_log()[0];
    assert_eq!(
        (requested["event"].as_str(), requested["actor"].as_str()),
        (Some("requested"), Some(w.arn("bob").as_str()))
    );
    // A grantee that does not exist is not found, and nothing is written.
    let out = w
        .ag(&w.bob)
        .args(["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", "x", "--to", "user/nobody"])
        .output()
        .unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 66, "{err}");
    assert!(err.contains("no IAM user `nobody`"), "{err}");
    assert_eq!(w.keys("grants/").len(), 1);
}

#[test]
fn no_grant_without_a_reason_and_none_longer_than_the_role_allows() {
    let w = World::new();
    let base = ["request", "--role", "debug", "-e", "dev"];
    let out = w.ag(&w.alice).args(base).args(["--for", "1h"]).output().unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 2);
    assert!(err.contains("--reason"), "{err}");
    let out = w.ag(&w.alice).args(base).args(["--for", "1h", "--reason", "   "]).output().unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 2);
    assert!(err.contains("needs a reason"), "{err}");
    let out = w.ag(&w.alice).args(base).args(["--for", "5h", "--reason", "long"]).output().unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 2);
    assert!(err.contains("at most 4h"), "names the maximum: {err}");
    let out = w.ag(&w.alice).args(base).args(["--for", "90m", "--reason", "fire", "--break-glass"]).output().unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 2);
    assert!(err.contains("break-glass") && err.contains("at most 1h"), "{err}");
    let out = w
        .ag(&w.alice)
        .args(["request", "--role", "debgu", "-e", "dev", "--for", "1h", "--reason", "x"])
        .output()
        .unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 66);
    assert!(err.contains("did you mean `debug`?"), "{err}");
    let out = w
        .ag(&w.alice)
        .args(["request", "--role", "debug", "-e", "qa", "--for", "1h", "--reason", "x"])
        .output()
        .unwrap();
    assert_eq!(fails(&out).0, 66, "an environment opskit.toml does not declare");
    let (code, err) =
        fails(&w.ag(&w.alice).args(["request", "--role", "debug", "--for", "1h", "--reason", "x"]).output().unwrap());
    assert_eq!(code, 2);
    assert!(
        err.contains("accessgrant request needs an environment") && err.contains("hint: name it with -e ENV"),
        "{err}"
    );
    assert!(w.keys("").is_empty(), "nothing was written: {:?}", w.keys(""));
    assert!(w.policy_names("user", "alice").is_empty());
}

#[test]
fn staging_needs_an_approver_who_is_not_the_requester() {
    let w = World::new();
    let dave = w.user("dave");
    let g = w.request("staging", "1h");
    assert_eq!((g["state"].as_str(), g["approvals"].as_str()), (Some("pending"), Some("0/1")));
    let name = format!("accessgrant-{}", id(&g));
    assert!(w.policy("user", "alice", &name).is_none(), "no access before approval");
    // Not an approver.
    let (code, err) = fails(&w.ag(&dave).args(["approve", &id(&g)]).output().unwrap());
    assert_eq!(code, 77, "{err}");
    assert!(err.contains("not an approver"), "{err}");
    // An approver approving their own request.
    w.configure_approvers(&["bob", "alice"], DEBUG_ROLE, "");
    let (code, err) = fails(&w.ag(&w.alice).args(["approve", &id(&g)]).output().unwrap());
    assert_eq!(code, 77, "{err}");
    assert!(err.contains("it is yours"), "{err}");
    assert!(w.policy("user", "alice", &name).is_none());
    // A dry run says what would happen and does nothing.
    let planned = w.ag(&w.bob).args(["approve", &id(&g), "--dry-run"]).output().unwrap();
    assert_eq!(record(&planned)["state"], "active");
    assert!(stderr_of(&planned).contains("dry run: nothing changed"), "{}", stderr_of(&planned));
    assert_eq!(w.object(&format!("grants/{}.json", id(&g)))["state"], "pending");
    assert!(w.policy("user", "alice", &name).is_none());
    let approved = record(&w.ag_at(&w.bob, "2030-01-01T10:30:00Z").args(["approve", &id(&g)]).output().unwrap());
    assert_eq!(approved["state"], "active");
    assert_eq!(approved["approved_by"], serde_json::json!([w.arn("bob")]));
    assert_eq!(approved["expires_at"], "2030-01-01T11:30:00Z", "the hour counts from activation");
    let policy = w.policy("user", "alice", &name).expect("attached on approval");
    assert_eq!(policy["Statement"][0]["Condition"]["DateLessThan"]["aws:CurrentTime"], "2030-01-01T11:30:00Z");
}

#[test]
fn prod_needs_two_distinct_approvers() {
    let w = World::new();
    let carol = w.lead("carol");
    let g = w.request("prod", "30m");
    let gid = id(&g);
    let once = record(&w.ag(&w.bob).args(["approve", &gid]).output().unwrap());
    assert_eq!((once["state"].as_str(), once["approvals"].as_str()), (Some("pending"), Some("1/2")));
    // The same approver twice counts once.
    let out = w.ag(&w.bob).args(["approve", &gid]).output().unwrap();
    let again = record(&out);
    assert_eq!(again["approvals"], "1/2");
    assert!(stderr_of(&out).contains("already approved"), "{}", stderr_of(&out));
    assert!(w.policy("user", "alice", &format!("accessgrant-{gid}")).is_none());
    // carol approves as a member of approver_groups.
    let twice = record(&w.ag(&carol).args(["approve", &gid]).output().unwrap());
    assert_eq!(twice["state"], "active");
    assert_eq!(twice["approved_by"], serde_json::json!([w.arn("bob"), w.arn("carol")]));
    assert!(w.policy("user", "alice", &format!("accessgrant-{gid}")).is_some());
    let kinds: Vec<String> = w.audit_kinds().into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds, ["requested", "approved", "approved", "activated"]);
}

#[test]
fn deny_ends_a_request_with_its_reason() {
    let w = World::new();
    let dave = w.user("dave");
    let gid = id(&w.request("staging", "1h"));
    assert_eq!(fails(&w.ag(&w.bob).args(["deny", &gid]).output().unwrap()).0, 2, "deny needs --reason");
    assert_eq!(fails(&w.ag(&dave).args(["deny", &gid, "--reason", "no"]).output().unwrap()).0, 77);
    let denied = record(&w.ag(&w.bob).args(["deny", &gid, "--reason", "use the read-only role"]).output().unwrap());
    assert_eq!(denied["state"], "denied");
    assert_eq!(denied["end_reason"], "use the read-only role");
    assert_eq!(denied["ended_by"], w.arn("bob"));
    let (code, err) = fails(&w.ag(&w.bob).args(["approve", &gid]).output().unwrap());
    assert_eq!(code, 2);
    assert!(err.contains("is denied"), "{err}");
    assert!(w.policy_names("user", "alice").is_empty());
    let denial = w.audit_log().pop().unwrap();
    assert_eq!((denial["event"].as_str(), denial["reason"].as_str()), (Some("denied"), Some("use the read-only role")));
}

#[test]
fn revocation_removes_access_and_is_idempotent() {
    let w = World::new();
    let dave = w.user("dave");
    let gid = id(&w.request("dev", "2h"));
    let name = format!("accessgrant-{gid}");
    assert!(w.policy("user", "alice", &name).is_some());
    let (code, _) = fails(&w.ag(&dave).args(["revoke", &gid]).output().unwrap());
    assert_eq!(code, 77, "someone else's grant");
    assert!(w.policy("user", "alice", &name).is_some());
    let revoked = record(&w.ag(&w.alice).args(["revoke", &gid, "--reason", "done"]).output().unwrap());
    assert_eq!(revoked["state"], "revoked");
    assert!(w.policy("user", "alice", &name).is_none(), "access removed");
    let events = w.audit_log().len();
    // Again: nothing changes, nothing new in the log, success.
    let out = w.ag(&w.bob).args(["revoke", &gid]).output().unwrap();
    assert_eq!(record(&out)["state"], "revoked");
    assert!(stderr_of(&out).contains("already revoked"), "{}", stderr_of(&out));
    assert_eq!(w.audit_log().len(), events);
    // A policy someone put back by hand goes too: revoke makes sure.
    let document = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"}]});
    ok(&w
        .cli()
        .args([
            "iam",
            "put-user-policy",
            "--user-name",
            "alice",
            "--policy-name",
            &name,
            "--policy-document",
            &document.to_string(),
        ])
        .output()
        .unwrap());
    ok(&w.ag(&w.alice).args(["revoke", &gid]).output().unwrap());
    assert!(w.policy("user", "alice", &name).is_none());
    let kinds: Vec<String> = w.audit_kinds().into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds, ["requested", "activated", "revoked"]);
}

#[test]
fn revoking_a_role_grant_denies_the_sessions_issued_before() {
    let w = World::new();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
    ok(&w
        .cli()
        .args(["iam", "create-role", "--role-name", "debugger", "--assume-role-policy-document", trust])
        .output()
        .unwrap());
    let g = record(
        &w.ag(&w.alice)
            .args(["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", "x", "--to", "role/debugger"])
            .output()
            .unwrap(),
    );
    assert_eq!(g["grantee_type"], "role");
    let gid = id(&g);
    assert!(w.policy("role", "debugger", &format!("accessgrant-{gid}")).is_some());
    ok(&w.ag_at(&w.alice, "2030-01-01T10:20:00Z").args(["revoke", &gid]).output().unwrap());
    assert!(w.policy("role", "debugger", &format!("accessgrant-{gid}")).is_none());
    let deny = w.policy("role", "debugger", &format!("accessgrant-{gid}-revoke")).expect("older sessions denied");
    let statement = &deny["Statement"][0];
    assert_eq!(statement["Effect"], "Deny");
    assert_eq!(statement["Action"], serde_json::json!(["ssm:StartSession", "ssm:TerminateSession"]));
    assert_eq!(statement["Condition"]["DateLessThan"]["aws:TokenIssueTime"], "2030-01-01T10:20:00Z");
    assert_eq!(statement["Condition"]["DateLessThan"]["aws:CurrentTime"], "2030-01-01T22:20:00Z");
    assert_eq!(statement["Condition"]["StringEquals"]["ssm:resourceTag/env"], "dev");
}

#[test]
fn a_policy_too_large_for_a_user_is_refused_at_request_time() {
    let instances: Vec<String> =
        (0..40).map(|i| format!("\"arn:aws:ec2:us-east-1:123456789012:instance/i-{i:017}\"")).collect();
    let role = format!(
        "[accessgrant.roles.fleet]\nactions = [\"ssm:StartSession\"]\nresources = [{}]\nmax_duration = \"1h\"\napprovals = {{ dev = 0, staging = 1, prod = 2 }}\n",
        instances.join(", ")
    );
    let w = World::with_roles(&role, "");
    let out = w
        .ag(&w.alice)
        .args(["request", "--role", "fleet", "-e", "dev", "--for", "1h", "--reason", "x"])
        .output()
        .unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 78, "{err}");
    assert!(err.contains("IAM allows 2048 for an inline policy on a user"), "{err}");
    assert!(w.keys("").is_empty());
    // A role takes 10,240: the same grant fits there, and IAM accepts it.
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
    ok(&w
        .cli()
        .args(["iam", "create-role", "--role-name", "fleet-ops", "--assume-role-policy-document", trust])
        .output()
        .unwrap());
    let g = record(
        &w.ag(&w.alice)
            .args(["request", "--role", "fleet", "-e", "dev", "--for", "1h", "--reason", "x", "--to", "role/fleet-ops"])
            .output()
            .unwrap(),
    );
    let policy = w.policy("role", "fleet-ops", &format!("accessgrant-{}", id(&g))).unwrap();
    assert_eq!(policy["Statement"][0]["Resource"].as_array().unwrap().len(), 40);
}

#[test]
fn config_mistakes_name_file_and_line() {
    let w = World::new();
    for (roles, line, says) in [
        (
            DEBUG_ROLE.replace("actions = [\"ssm:StartSession\", \"ssm:TerminateSession\"]\n", ""),
            15,
            "[accessgrant.roles.debug] has no actions",
        ),
        (DEBUG_ROLE.replace("staging = 1, ", ""), 21, "missing field `staging`"),
        (format!("{DEBUG_ROLE}sesion = \"x\"\n"), 22, "unknown field `sesion`"),
        (DEBUG_ROLE.replace("prod = 2", "prod = 1"), 21, "prod needs at least 2 distinct approvers"),
        (DEBUG_ROLE.replace("\"4h\"", "\"forever\""), 20, "max_duration"),
    ] {
        w.configure(&roles, "");
        let (code, err) = fails(&w.ag(&w.alice).args(["ls"]).output().unwrap());
        assert_eq!(code, 78, "{err}");
        assert!(
            err.starts_with(&format!("accessgrant: error: {}:{line}: ", w.sb.path().join("opskit.toml").display())),
            "line {line}: {err}"
        );
        assert!(err.contains(says), "{says}: {err}");
    }
    w.sb.write("opskit.toml", &format!("app = \"{}\"\n", w.app));
    let (code, err) = fails(&w.ag(&w.alice).args(["ls"]).output().unwrap());
    assert_eq!(code, 78);
    assert!(err.contains("no [accessgrant] section"), "{err}");
}

#[test]
fn extensions_are_approved_again_where_the_tier_needs_it() {
    let w = World::new();
    let gid = id(&w.request("staging", "2h"));
    ok(&w.ag(&w.bob).args(["approve", &gid]).output().unwrap());
    let name = format!("accessgrant-{gid}");
    let until = |w: &World| {
        w.policy("user", "alice", &name).unwrap()["Statement"][0]["Condition"]["DateLessThan"]["aws:CurrentTime"]
            .clone()
    };
    assert_eq!(until(&w), "2030-01-01T12:00:00Z");
    // More than the role's maximum ahead of now is refused, naming it.
    let (code, err) =
        fails(&w.ag(&w.alice).args(["extend", &gid, "--for", "3h", "--reason", "more"]).output().unwrap());
    assert_eq!(code, 2);
    assert!(err.contains("at most 4h"), "{err}");
    let asked =
        record(&w.ag(&w.alice).args(["extend", &gid, "--for", "1h", "--reason", "still digging"]).output().unwrap());
    assert_eq!(asked["extension"]["duration"], "1h");
    assert_eq!(asked["expires_at"], "2030-01-01T12:00:00Z", "not before it is approved");
    assert_eq!(until(&w), "2030-01-01T12:00:00Z");
    assert_eq!(fails(&w.ag(&w.alice).args(["approve", &gid]).output().unwrap()).0, 77, "not by the one who asked");
    let extended = record(&w.ag(&w.bob).args(["approve", &gid]).output().unwrap());
    assert_eq!(extended["expires_at"], "2030-01-01T13:00:00Z");
    assert!(extended.get("extension").is_none());
    assert_eq!(until(&w), "2030-01-01T13:00:00Z", "IAM's condition moved with it");
    // In dev no approval is needed.
    let dev = id(&w.request("dev", "1h"));
    let now = record(&w.ag(&w.alice).args(["extend", &dev, "--for", "30m", "--reason", "almost"]).output().unwrap());
    assert_eq!(now["expires_at"], "2030-01-01T11:30:00Z");
    let kinds: Vec<String> = w
        .audit_log()
        .iter()
        .filter(|e| e["grant"] == gid.as_str())
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["requested", "approved", "activated", "requested", "approved", "extended"]);
    // An expired grant is not extended.
    let (code, err) = fails(
        &w.ag_at(&w.alice, "2030-01-01T12:00:00Z")
            .args(["extend", &dev, "--for", "30m", "--reason", "x"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("is expired"), "{err}");
}

#[test]
fn ls_filters_by_state_environment_and_person() {
    let w = World::new();
    let carol = w.user("carol");
    let active = id(&w.request("dev", "4h"));
    let short = id(&w.request("dev", "1h"));
    let pending = id(&w.request("staging", "1h"));
    let theirs = id(&record(
        &w.ag(&carol)
            .args(["request", "--role", "debug", "-e", "dev", "--for", "2h", "--reason", "x"])
            .output()
            .unwrap(),
    ));
    let revoked = id(&w.request("dev", "1h"));
    ok(&w.ag(&w.alice).args(["revoke", &revoked]).output().unwrap());
    let later = "2030-01-01T11:30:00Z";
    // Ids sort by the second they were made in; these were all made in the same one.
    let ids = |args: &[&str]| -> Vec<String> {
        let mut ids: Vec<String> =
            records(&w.ag_at(&w.alice, later).args(["ls"]).args(args).output().unwrap()).iter().map(id).collect();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(ids(&[]), sorted(vec![active.clone(), short.clone(), pending.clone(), theirs.clone(), revoked.clone()]));
    assert_eq!(ids(&["--active"]), sorted(vec![active.clone(), theirs.clone()]));
    assert_eq!(ids(&["--pending"]), [pending.as_str()]);
    assert_eq!(ids(&["--expired"]), [short.as_str()], "past its expiry, swept or not");
    assert_eq!(ids(&["--active", "--mine"]), [active.as_str()]);
    assert_eq!(ids(&["-e", "staging"]), [pending.as_str()]);
    let shown = records(&w.ag_at(&w.alice, later).args(["ls", "--expired"]).output().unwrap());
    assert_eq!(shown[0]["state"], "expired");
    let out = w.ag_at(&w.alice, "2030-01-01T10:00:00Z").args(["ls", "--expired", "-o", "table"]).output().unwrap();
    assert_eq!(stdout_of(ok(&out)), "");
    assert_eq!(stderr_of(&out), "accessgrant: no expired grants\n");
    let one = w.ag(&w.alice).args(["show", &pending, "-o", "table"]).output().unwrap();
    let text = stdout_of(ok(&one));
    assert!(text.lines().any(|l| l.starts_with("state ") && l.ends_with("pending")), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("conditions.StringEquals.ssm:resourceTag/env") && l.ends_with("staging")),
        "{text}"
    );
    let (code, _) = fails(&w.ag(&w.alice).args(["show", "0000000000"]).output().unwrap());
    assert_eq!(code, 66);
    let (code, _) = fails(&w.ag(&w.alice).args(["show", "not-an-id"]).output().unwrap());
    assert_eq!(code, 2);
}

#[test]
fn expired_grants_piped_into_revoke_are_ended() {
    let w = World::new();
    let expired = id(&w.request("dev", "1h"));
    let live = id(&w.request("dev", "4h"));
    let later = "2030-01-01T12:00:00Z";
    let bin = crate::support::bin("accessgrant");
    let keys = &w.alice;
    let script = format!("set -o pipefail; '{0}' ls --expired | '{0}' revoke -", bin.display());
    let out =
        w.sb.command("bash")
            .args(["-c", &script])
            .env("AWS_ACCESS_KEY_ID", &keys.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", &keys.secret_access_key)
            .env("ACCESSGRANT_NOW", later)
            .output()
            .unwrap();
    let ended = records(&out);
    assert_eq!(ended.iter().map(id).collect::<Vec<_>>(), [expired.as_str()]);
    assert_eq!(ended[0]["state"], "expired");
    assert!(w.policy("user", "alice", &format!("accessgrant-{expired}")).is_none());
    assert!(w.policy("user", "alice", &format!("accessgrant-{live}")).is_some());
    // Records that are not grants, of another app, or not JSON are refused, naming the record.
    for (input, says) in [
        (
            "{\"kind\":\"env\",\"name\":\"dev\"}\n".to_owned(),
            "record 1 is a `env` record; accessgrant revoke takes `grant` records",
        ),
        (format!("{{\"kind\":\"grant\",\"app\":\"other\",\"id\":\"{live}\"}}\n"), "record 1 belongs to app `other`"),
        (format!("{{\"kind\":\"grant\",\"id\":\"{live}\"}}\n{{\"kind\": grant}}\n"), "record 2: malformed JSON"),
    ] {
        let out = w.ag(&w.alice).args(["revoke", "-"]).write_stdin(input).output().unwrap();
        let (code, err) = fails(&out);
        assert_eq!(code, 65, "{err}");
        assert!(err.contains(says), "{says}: {err}");
    }
    assert!(w.policy("user", "alice", &format!("accessgrant-{live}")).is_some(), "a bad input revokes nothing");
}

#[test]
fn a_denied_iam_call_names_the_action_and_records_nothing() {
    use crate::support::fake::{FakeEndpoint, Reply};
    let w = World::new();
    let fake = FakeEndpoint::with(|r| {
        if r.body.contains("Action=GetUser") {
            Reply::Status(200, "<GetUserResponse><GetUserResult><User><Path>/</Path><UserName>alice</UserName><UserId>AIDA</UserId><Arn>arn:aws:iam::000000000000:user/alice</Arn><CreateDate>2030-01-01T00:00:00Z</CreateDate></User></GetUserResult></GetUserResponse>".into())
        } else {
            Reply::xml_error(
                403,
                "AccessDenied",
                "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: iam:PutUserPolicy on resource: user alice because no identity-based policy allows the iam:PutUserPolicy action",
            )
        }
    });
    let out = w
        .ag(&w.alice)
        .env("AWS_ENDPOINT_URL_IAM", &fake.url)
        .args(["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", "x"])
        .output()
        .unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 77, "{err}");
    assert!(err.contains("the IAM action `iam:PutUserPolicy` was denied"), "{err}");
    assert!(w.keys("").is_empty(), "no grant recorded when its access could not be given");
    // The user's inline policies together too large: IAM's 409 LimitExceeded is no conflict to retry.
    let fake = FakeEndpoint::with(|r| {
        if r.body.contains("Action=GetUser") {
            Reply::Status(200, "<GetUserResponse><GetUserResult><User><Path>/</Path><UserName>alice</UserName><UserId>AIDA</UserId><Arn>arn:aws:iam::000000000000:user/alice</Arn><CreateDate>2030-01-01T00:00:00Z</CreateDate></User></GetUserResult></GetUserResponse>".into())
        } else {
            Reply::xml_error(409, "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user alice")
        }
    });
    let out = w
        .ag(&w.alice)
        .env("AWS_ENDPOINT_URL_IAM", &fake.url)
        .args(["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", "x"])
        .output()
        .unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 73, "{err}");
    assert!(err.contains("has other inline policies: together they may not exceed 2048 characters"), "{err}");
    assert_eq!(fake.requests().iter().filter(|r| r.body.contains("Action=PutUserPolicy")).count(), 1, "not retried");
    // Throttled, after the retries: 75.
    let fake = FakeEndpoint::always(Reply::xml_error(400, "Throttling", "Rate exceeded"));
    let out = w
        .ag(&w.alice)
        .env("AWS_ENDPOINT_URL_IAM", &fake.url)
        .env("AWS_MAX_ATTEMPTS", "2")
        .args(["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", "x"])
        .output()
        .unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 75, "{err}");
    assert_eq!(fake.requests().len(), 2, "retried");
}

#[test]
fn a_missing_ledger_bucket_says_how_to_create_it() {
    let w = World::new();
    let text =
        std::fs::read_to_string(w.sb.path().join("opskit.toml")).unwrap().replace(&w.bucket, "no-such-ledger-bucket");
    w.sb.write("opskit.toml", &text);
    let (code, err) = fails(&w.ag(&w.alice).args(["ls"]).output().unwrap());
    assert_eq!(code, 66, "{err}");
    assert!(err.contains("NoSuchBucket"), "{err}");
    assert!(err.contains("hint: create the ledger: `aws s3api create-bucket --bucket no-such-ledger-bucket"), "{err}");
}

#[test]
fn the_emulator_enforces_the_conditional_writes_the_ledger_relies_on() {
    let w = World::new();
    let body = w.sb.write("body", "x");
    let put = |extra: &[&str]| {
        w.cli()
            .args(["s3api", "put-object", "--bucket", &w.bucket, "--key", "k", "--body"])
            .arg(&body)
            .args(extra)
            .output()
            .unwrap()
    };
    let first: Value = serde_json::from_slice(&ok(&put(&["--if-none-match", "*"])).stdout).unwrap();
    let (_, err) = fails(&put(&["--if-none-match", "*"]));
    assert!(err.contains("PreconditionFailed"), "{err}");
    let (_, err) = fails(&put(&["--if-match", "\"0123456789abcdef0123456789abcdef\""]));
    assert!(err.contains("PreconditionFailed"), "{err}");
    ok(&put(&["--if-match", first["ETag"].as_str().unwrap()]));
}

#[test]
fn help_lists_the_commands_and_the_test_clock() {
    let sb = Sandbox::new();
    sb.tool("accessgrant").arg("--help").assert().success().stdout(
        predicate::str::contains("request")
            .and(predicate::str::contains("approve"))
            .and(predicate::str::contains("sweep"))
            .and(predicate::str::contains("ACCESSGRANT_NOW")),
    );
}

#[test]
fn at_a_terminal_grants_are_a_table_and_notes_say_what_happened() {
    use crate::support::pty::Pty;
    let w = World::new();
    let pending = id(&w.request("staging", "1h"));
    let mut cmd = w.sb.std_command(crate::support::bin("accessgrant"));
    cmd.args(["request", "--role", "debug", "-e", "dev", "--for", "2h", "--reason", "INC-7: checkout errors"])
        .env("AWS_ACCESS_KEY_ID", &w.alice.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &w.alice.secret_access_key)
        .env("ACCESSGRANT_NOW", NOW);
    let (status, screen) = Pty::spawn(cmd, 100).finish();
    assert!(status.success(), "{screen}");
    let screen = screen.replace("\x1b[1m", "").replace("\x1b[0m", "");
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[0].starts_with("ID ") && lines[0].contains("STATE") && lines[0].contains("APPROVALS"), "{screen}");
    assert!(lines[1].contains("active") && lines[1].contains("user/alice") && lines[1].contains("0/0"), "{screen}");
    assert!(lines[1].contains("2030-01-01T12:00:00Z"), "the expiry is never cut: {screen}");
    assert!(screen.contains("is active until 2030-01-01T12:00:00Z (2h from now)"), "{screen}");
    assert!(!screen.contains("{\""), "no JSON at a terminal: {screen}");
    let mut cmd = w.sb.std_command(crate::support::bin("accessgrant"));
    cmd.args(["ls", "--pending"])
        .env("AWS_ACCESS_KEY_ID", &w.bob.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &w.bob.secret_access_key)
        .env("ACCESSGRANT_NOW", NOW);
    let (status, screen) = Pty::spawn(cmd, 80).finish();
    assert!(status.success(), "{screen}");
    let screen = screen.replace("\x1b[1m", "").replace("\x1b[0m", "");
    assert!(screen.lines().nth(1).is_some_and(|l| l.starts_with(&pending) && l.contains("pending")), "{screen}");
    assert!(
        screen.lines().all(|l| unicode_width::UnicodeWidthStr::width(l.trim_end_matches('\r')) <= 80),
        "fits 80 columns: {screen}"
    );
}

#[test]
fn at_a_terminal_an_approver_sees_what_they_approve_and_is_asked() {
    use crate::support::pty::Pty;
    let w = World::new();
    let gid = id(&w.request("staging", "2h"));
    let approve = |answer: &[u8]| {
        let mut cmd = w.sb.std_command(crate::support::bin("accessgrant"));
        cmd.args(["approve", &gid])
            .env("AWS_ACCESS_KEY_ID", &w.bob.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", &w.bob.secret_access_key)
            .env("ACCESSGRANT_NOW", NOW);
        let mut pty = Pty::spawn(cmd, 120);
        let screen = pty.wait_for("[y/N]");
        pty.send(answer);
        let (status, rest) = pty.finish();
        (status, screen, rest)
    };
    let (status, screen, _) = approve(b"n\r");
    assert!(screen.contains(&format!("grant {gid} asks for:")), "{screen}");
    for line in [
        "requested by",
        "role",
        "debug in staging (staging tier)",
        "lasting",
        "2h from approval",
        "INC-7: checkout errors",
        "ssm:StartSession, ssm:TerminateSession",
        "\"ssm:resourceTag/env\":\"staging\"",
    ] {
        assert!(screen.contains(line), "{line}: {screen}");
    }
    assert!(screen.contains(&format!("approve grant {gid}? [y/N]")), "{screen}");
    assert_eq!(status.code(), Some(1), "declined is the answer no");
    assert_eq!(w.object(&format!("grants/{gid}.json"))["state"], "pending");
    let (status, _, screen) = approve(b"y\r");
    assert!(status.success(), "{screen}");
    assert!(screen.contains(&format!("grant {gid} is active until 2030-01-01T12:00:00Z")), "{screen}");
    // Without a terminal there is no one to ask: an approval is explicit, and goes ahead.
}
