//! accessgrant over time and under contention: sweeping (expired grants, orphaned and tampered
//! policies), approvals racing each other, the audit log as evidence, break-glass, and
//! connecting through the AWS CLI's `ssm start-session`.

use std::collections::BTreeSet;
use std::process::Stdio;

use serde_json::{Value, json};

use crate::accessgrant::{World, fails, id, ok, record, records};
use crate::support::fake::{FakeEndpoint, Reply};
use crate::support::{stderr_of, stdout_of};

fn put_policy(w: &World, user: &str, name: &str, document: &Value) {
    ok(&w
        .cli()
        .args([
            "iam",
            "put-user-policy",
            "--user-name",
            user,
            "--policy-name",
            name,
            "--policy-document",
            &document.to_string(),
        ])
        .output()
        .unwrap());
}

fn anything() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"}]})
}

#[test]
fn sweep_removes_exactly_the_expired_and_orphaned_policies_and_nothing_else() {
    let w = World::new();
    let carol = w.user("carol");
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
    ok(&w
        .cli()
        .args(["iam", "create-role", "--role-name", "debugger", "--assume-role-policy-document", trust])
        .output()
        .unwrap());
    let live = id(&w.request("dev", "4h")); // until 14:00
    let due = id(&w.request("dev", "1h")); // until 11:00
    let denied = id(&w.request("staging", "1h"));
    ok(&w.ag(&w.bob).args(["deny", &denied, "--reason", "no"]).output().unwrap());
    let role_grant = id(&record(
        &w.ag(&w.alice)
            .args(["request", "--role", "debug", "-e", "dev", "--for", "4h", "--reason", "x", "--to", "role/debugger"])
            .output()
            .unwrap(),
    ));
    ok(&w.ag_at(&w.alice, "2030-01-01T10:30:00Z").args(["revoke", &role_grant]).output().unwrap());
    // Drift: policies no active grant accounts for, one changed by hand, one of someone else's.
    put_policy(&w, "carol", "accessgrant-0000000000", &anything()); // no such grant, made long ago
    put_policy(&w, "carol", "accessgrant-manual", &anything()); // no grant is called that
    put_policy(&w, "alice", &format!("accessgrant-{denied}"), &anything()); // the grant was denied
    put_policy(&w, "carol", &format!("accessgrant-{live}"), &anything()); // a live grant, but alice's
    put_policy(&w, "carol", "keep-me", &anything()); // not accessgrant's
    put_policy(&w, "alice", &format!("accessgrant-{live}"), &anything()); // its expiry taken out
    let names = |user: &str| w.policy_names("user", user).into_iter().collect::<BTreeSet<_>>();
    let before = (names("alice"), names("carol"));

    // A dry run says what it would do and changes nothing.
    let at = "2030-01-01T12:00:00Z";
    let planned = records(&w.ag_at(&carol, at).args(["sweep", "--dry-run"]).output().unwrap());
    assert_eq!(planned.len(), 6, "{planned:#?}");
    assert_eq!((names("alice"), names("carol")), before);
    assert_eq!(w.object(&format!("grants/{due}.json"))["state"], "active");

    let out = w.ag_at(&carol, at).args(["sweep"]).output().unwrap();
    let events = records(&out);
    let mut done: Vec<(String, String, String)> = events
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap().to_owned(),
                e["grant"].as_str().unwrap().to_owned(),
                e["grantee"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    done.sort();
    let mut expected = vec![
        ("expired".to_owned(), due.clone(), w.arn("alice")),
        ("swept".to_owned(), "0000000000".to_owned(), "user/carol".to_owned()),
        ("swept".to_owned(), "accessgrant-manual".to_owned(), "user/carol".to_owned()),
        ("swept".to_owned(), denied.clone(), "user/alice".to_owned()),
        ("swept".to_owned(), live.clone(), "user/carol".to_owned()),
        ("swept".to_owned(), live.clone(), "user/alice".to_owned()),
    ];
    expected.sort();
    assert_eq!(done, expected);
    let restored = events.iter().find(|e| e["grant"] == live.as_str() && e["grantee"] == "user/alice").unwrap();
    assert!(restored["detail"].as_str().unwrap().starts_with("restored the policy"), "{restored}");
    // Exactly those: the live grant's policy (as the grant has it), the unrelated policy and the
    // revoked role grant's deny for older sessions stay.
    assert_eq!(names("alice"), BTreeSet::from([format!("accessgrant-{live}")]));
    assert_eq!(names("carol"), BTreeSet::from(["keep-me".to_owned()]));
    let policy = w.policy("user", "alice", &format!("accessgrant-{live}")).unwrap();
    assert_eq!(policy["Statement"][0]["Condition"]["DateLessThan"]["aws:CurrentTime"], "2030-01-01T14:00:00Z");
    assert_eq!(w.policy_names("role", "debugger"), [format!("accessgrant-{role_grant}-revoke")]);
    assert_eq!(w.object(&format!("grants/{due}.json"))["state"], "expired");
    assert_eq!(w.audit_log().iter().filter(|e| e["event"] == "swept").count(), 5);

    // From cron, again: nothing left to do, and it says so only on a terminal.
    let out = w.ag_at(&carol, at).args(["sweep"]).output().unwrap();
    assert_eq!(stdout_of(ok(&out)), "");
    // Half a day after the revocation, its deny has nothing left to do; the live grant expired.
    let late = records(&w.ag_at(&carol, "2030-01-01T22:31:00Z").args(["sweep"]).output().unwrap());
    let late: BTreeSet<(String, String)> = late
        .iter()
        .map(|e| (e["event"].as_str().unwrap().to_owned(), e["grant"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(late, BTreeSet::from([("expired".to_owned(), live.clone()), ("swept".to_owned(), role_grant.clone())]));
    assert!(w.policy_names("role", "debugger").is_empty());
    assert!(names("alice").is_empty());
}

#[test]
fn a_policy_being_attached_right_now_is_not_swept() {
    let w = World::new();
    // A pending grant whose approval is attaching its policy at this moment looks the same as
    // one whose approval failed half-way: either way the policy ends by itself, so sweep leaves it.
    let pending = id(&w.request("staging", "1h"));
    put_policy(&w, "alice", &format!("accessgrant-{pending}"), &anything());
    // A grant made this very minute is not in the ledger yet when its policy is attached.
    let fresh = format!("accessgrant-{}zzzz", &pending[..6]);
    put_policy(&w, "alice", &fresh, &anything());
    let out = w.ag(&w.alice).args(["sweep"]).output().unwrap();
    assert_eq!(stdout_of(ok(&out)), "");
    assert_eq!(w.policy_names("user", "alice").len(), 2);
}

/// Run `accessgrant approve ID` as each of `approvers` at once; their exit codes.
fn race(w: &World, gid: &str, approvers: &[(&crate::support::aws::Keys, &str)]) -> Vec<i32> {
    let children: Vec<std::process::Child> = approvers
        .iter()
        .map(|(keys, now)| {
            let mut cmd = w.sb.std_command(crate::support::bin("accessgrant"));
            cmd.args(["approve", gid])
                .env("AWS_ACCESS_KEY_ID", &keys.access_key_id)
                .env("AWS_SECRET_ACCESS_KEY", &keys.secret_access_key)
                .env("ACCESSGRANT_NOW", now)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr_of(&out));
            out.status.code().unwrap()
        })
        .collect()
}

#[test]
fn racing_approvals_settle_to_one_consistent_state() {
    let w = World::new();
    let carol = w.lead("carol");
    let (bob_now, carol_now) = ("2030-01-01T10:05:00Z", "2030-01-01T10:05:07Z");
    let racers = [(&w.bob, bob_now), (&carol, carol_now)];
    // prod needs both: neither approval may be lost, and the grant activates once.
    for _ in 0..3 {
        let gid = id(&w.request("prod", "1h"));
        race(&w, &gid, &racers);
        let stored = w.object(&format!("grants/{gid}.json"));
        assert_eq!(stored["state"], "active");
        let by: BTreeSet<&str> =
            stored["approvals"].as_array().unwrap().iter().map(|a| a["by"].as_str().unwrap()).collect();
        assert_eq!(by, BTreeSet::from([w.arn("bob").as_str(), w.arn("carol").as_str()]));
        let kinds: Vec<String> = w
            .audit_log()
            .iter()
            .filter(|e| e["grant"] == gid.as_str())
            .map(|e| e["event"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(kinds.iter().filter(|k| *k == "approved").count(), 2, "{kinds:?}");
        assert_eq!(kinds.iter().filter(|k| *k == "activated").count(), 1, "{kinds:?}");
        // IAM holds what the ledger says.
        let policy = w.policy("user", "alice", &format!("accessgrant-{gid}")).unwrap();
        assert_eq!(policy["Statement"][0]["Condition"]["DateLessThan"]["aws:CurrentTime"], stored["expires_at"]);
    }
    // staging needs one: both cannot win; one approval activates it, the other is told.
    for _ in 0..3 {
        let gid = id(&w.request("staging", "1h"));
        race(&w, &gid, &racers);
        let stored = w.object(&format!("grants/{gid}.json"));
        assert_eq!(stored["state"], "active");
        assert_eq!(stored["approvals"].as_array().unwrap().len(), 1, "{stored}");
        let events = stored["events"].as_array().unwrap();
        assert_eq!(
            events.iter().map(|e| e["event"].as_str().unwrap()).collect::<Vec<_>>(),
            ["requested", "approved", "activated"]
        );
        assert_eq!(events.iter().map(|e| e["seq"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
        let winner_now = if stored["approvals"][0]["by"] == w.arn("bob").as_str() { bob_now } else { carol_now };
        assert_eq!(stored["activated_at"], winner_now);
        let policy = w.policy("user", "alice", &format!("accessgrant-{gid}")).unwrap();
        assert_eq!(
            policy["Statement"][0]["Condition"]["DateLessThan"]["aws:CurrentTime"], stored["expires_at"],
            "the loser's attach did not stick"
        );
    }
}

#[test]
fn the_audit_log_has_one_event_per_action_in_order_and_nothing_rewrites_it() {
    // The ledger's bucket with Object Lock: what is written stays as written.
    let w = World::object_locked();
    let at = |t: &str| format!("2030-01-01T{t}Z");
    let gid = id(&record(
        &w.ag_at(&w.alice, &at("10:00:00"))
            .args([
                "request", "--role", "debug", "-e", "staging", "--for", "1h", "--reason", "INC-9", "--ticket", "INC-9",
            ])
            .output()
            .unwrap(),
    ));
    ok(&w.ag_at(&w.bob, &at("10:05:00")).args(["approve", &gid]).output().unwrap());
    ok(&w
        .ag_at(&w.alice, &at("10:10:00"))
        .args(["extend", &gid, "--for", "30m", "--reason", "more"])
        .output()
        .unwrap());
    ok(&w.ag_at(&w.bob, &at("10:15:00")).args(["approve", &gid]).output().unwrap());
    ok(&w.ag_at(&w.alice, &at("10:20:00")).args(["revoke", &gid, "--reason", "fixed"]).output().unwrap());
    ok(&w.ag_at(&w.alice, &at("10:21:00")).args(["revoke", &gid]).output().unwrap()); // no action: no event
    let other = id(&w.request("dev", "1h"));

    let events = records(&w.ag_at(&w.bob, &at("10:30:00")).args(["audit", "--grant", &gid]).output().unwrap());
    let got: Vec<(&str, &str, u64, &str)> = events
        .iter()
        .map(|e| {
            (
                e["at"].as_str().unwrap(),
                e["event"].as_str().unwrap(),
                e["seq"].as_u64().unwrap(),
                e["actor"].as_str().unwrap(),
            )
        })
        .collect();
    let (alice, bob) = (w.arn("alice"), w.arn("bob"));
    assert_eq!(
        got,
        [
            ("2030-01-01T10:00:00.000Z", "requested", 1, alice.as_str()),
            ("2030-01-01T10:05:00.000Z", "approved", 2, bob.as_str()),
            ("2030-01-01T10:05:00.000Z", "activated", 3, bob.as_str()),
            ("2030-01-01T10:10:00.000Z", "requested", 4, alice.as_str()),
            ("2030-01-01T10:15:00.000Z", "approved", 5, bob.as_str()),
            ("2030-01-01T10:15:00.000Z", "extended", 6, bob.as_str()),
            ("2030-01-01T10:20:00.000Z", "revoked", 7, alice.as_str()),
        ]
    );
    assert_eq!(events[0]["ticket"], "INC-9");
    assert_eq!(events[5]["expires_at"], "2030-01-01T11:35:00Z");
    assert!(events.iter().all(|e| e["kind"] == "audit" && e["app"] == w.app.as_str()));
    // Every event object was written once and never again; the grant itself changed five times.
    let versions: Value = serde_json::from_slice(
        &ok(&w.cli().args(["s3api", "list-object-versions", "--bucket", &w.bucket]).output().unwrap()).stdout,
    )
    .unwrap();
    let mut per_key: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for v in versions["Versions"].as_array().unwrap() {
        *per_key.entry(v["Key"].as_str().unwrap().to_owned()).or_default() += 1;
    }
    let audit_keys: Vec<_> = per_key.iter().filter(|(k, _)| k.starts_with("audit/")).collect();
    assert_eq!(audit_keys.len(), 9, "{per_key:?}");
    assert!(audit_keys.iter().all(|(_, n)| **n == 1), "{per_key:?}");
    assert_eq!(per_key[&format!("grants/{gid}.json")], 5);
    // And the bucket itself refuses to let an event go.
    let (key, count) = audit_keys[0];
    assert_eq!(*count, 1);
    let version =
        versions["Versions"].as_array().unwrap().iter().find(|v| v["Key"] == key.as_str()).unwrap()["VersionId"]
            .as_str()
            .unwrap()
            .to_owned();
    let (_, err) = fails(
        &w.cli()
            .args(["s3api", "delete-object", "--bucket", &w.bucket, "--key", key, "--version-id", &version])
            .output()
            .unwrap(),
    );
    assert!(err.contains("AccessDenied"), "{err}");
    // Since a time, or a duration back from now.
    let since = |arg: &str| -> Vec<String> {
        records(&w.ag_at(&w.bob, &at("10:30:00")).args(["audit", "--since", arg, "--grant", &gid]).output().unwrap())
            .iter()
            .map(|e| e["event"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(since("2030-01-01T10:12:00Z"), ["approved", "extended", "revoked"]);
    assert_eq!(since("15m"), ["approved", "extended", "revoked"]);
    assert_eq!(fails(&w.ag(&w.bob).args(["audit", "--since", "last tuesday"]).output().unwrap()).0, 2);
    // For auditors: CSV with a header declared by the record kind, every event a row.
    let out = w.ag_at(&w.bob, &at("10:30:00")).args(["audit", "-o", "csv"]).output().unwrap();
    let text = stdout_of(ok(&out));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(&header[..5], ["kind", "at", "event", "grant", "seq"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 9);
    let grants: BTreeSet<&str> = rows.iter().map(|r| r.get(3).unwrap()).collect();
    assert_eq!(grants, BTreeSet::from([gid.as_str(), other.as_str()]));
}

#[test]
fn break_glass_is_self_approved_short_and_loud() {
    let w = World::with_roles(crate::accessgrant::DEBUG_ROLE, "break_glass_max = \"45m\"");
    let (code, err) = fails(
        &w.ag(&w.alice)
            .args(["request", "--role", "debug", "-e", "prod", "--for", "1h", "--reason", "outage", "--break-glass"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("at most 45m"), "{err}");
    let out = w
        .ag(&w.alice)
        .args(["request", "--role", "debug", "-e", "prod", "--for", "30m", "--reason", "outage", "--break-glass"])
        .output()
        .unwrap();
    let g = record(&out);
    assert!(stderr_of(&out).contains("warning: BREAK-GLASS: grant"), "{}", stderr_of(&out));
    assert_eq!(
        (g["state"].as_str(), g["break_glass"].as_bool(), g["approvals"].as_str()),
        (Some("active"), Some(true), Some("self"))
    );
    assert_eq!(g["approved_by"], json!([w.arn("alice")]));
    assert!(w.policy("user", "alice", &format!("accessgrant-{}", id(&g))).is_some());
    let out = w.ag(&w.bob).args(["ls", "-o", "table"]).output().unwrap();
    let table = stdout_of(ok(&out));
    assert!(table.starts_with("ID  ") && table.contains("BREAK_GLASS"), "{table}");
    assert!(table.lines().nth(1).unwrap().contains("true"), "{table}");
    assert!(
        stderr_of(&out).contains(&format!("BREAK-GLASS: 1 self-approved grant in effect, to review: {}", id(&g))),
        "{}",
        stderr_of(&out)
    );
    // Once it is over, the table still marks it; stderr no longer calls for attention.
    let out = w.ag_at(&w.bob, "2030-01-01T11:00:00Z").args(["ls", "-o", "table"]).output().unwrap();
    assert!(stdout_of(ok(&out)).contains("BREAK_GLASS"), "{}", stdout_of(&out));
    assert!(!stderr_of(&out).contains("BREAK-GLASS"), "{}", stderr_of(&out));
    let out = w.ag(&w.bob).args(["audit"]).output().unwrap();
    let events = records(&out);
    assert!(events.iter().all(|e| e["break_glass"] == true));
    assert_eq!(events[0]["detail"], "break-glass: self-approved");
    assert!(stderr_of(&out).contains("BREAK-GLASS"), "{}", stderr_of(&out));
    let (code, err) =
        fails(&w.ag(&w.alice).args(["extend", &id(&g), "--for", "10m", "--reason", "x"]).output().unwrap());
    assert_eq!(code, 2);
    assert!(err.contains("break-glass"), "{err}");
}

/// A Session Manager plugin stand-in: `--version` answers like the real one; a session records
/// its arguments and the session the AWS CLI handed it. (AWS distributes the plugin itself
/// outside any package index the tests may install from.)
fn plugin(w: &World) -> std::path::PathBuf {
    let path = w.sb.write(
        "bin/session-manager-plugin",
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 1.2.707.0; exit 0; fi\nprintf '%s\\n' \"$@\" > \"$HOME/plugin-args\"\nprintf '%s' \"$AWS_SSM_START_SESSION_RESPONSE\" > \"$HOME/plugin-session\"\n",
    );
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    path.parent().unwrap().to_path_buf()
}

fn path_with(dirs: &[&std::path::Path]) -> String {
    let venv = crate::support::aws::venv().join("bin");
    dirs.iter()
        .map(|d| d.display().to_string())
        .chain([venv.display().to_string(), "/usr/bin:/bin".to_owned()])
        .collect::<Vec<_>>()
        .join(":")
}

#[test]
fn connect_says_how_to_install_the_session_manager_plugin() {
    let w = World::new();
    let gid = id(&w.request("dev", "1h"));
    let out = w
        .ag(&w.alice)
        .env("PATH", path_with(&[]))
        .args(["connect", &gid, "--target", "i-0123456789abcdef0"])
        .output()
        .unwrap();
    let (code, err) = fails(&out);
    assert_eq!(code, 69, "{err}");
    assert!(err.contains("Session Manager plugin (`session-manager-plugin`) is not installed"), "{err}");
    assert!(err.contains("hint: install it from https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html"), "{err}");
    assert!(!w.audit_log().iter().any(|e| e["event"] == "connected"), "nothing recorded");
    // Only the grantee, only an active grant, and a target to go to.
    let bin = plugin(&w);
    let (code, err) = fails(
        &w.ag(&w.bob).env("PATH", path_with(&[&bin])).args(["connect", &gid, "--target", "i-1"]).output().unwrap(),
    );
    assert_eq!(code, 77, "{err}");
    assert!(err.contains(&format!("grant {gid} is for {}", w.arn("alice"))), "{err}");
    let (code, err) = fails(&w.ag(&w.alice).env("PATH", path_with(&[&bin])).args(["connect", &gid]).output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("name one with --target"), "{err}");
    let (code, _) = fails(
        &w.ag_at(&w.alice, "2030-01-01T11:00:00Z")
            .env("PATH", path_with(&[&bin]))
            .args(["connect", &gid, "--target", "i-1"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 2, "expired");
}

#[test]
fn connect_records_the_session_then_hands_over_to_the_aws_cli() {
    let w = World::new();
    let gid = id(&w.request("dev", "1h"));
    let bin = plugin(&w);
    // SSM's StartSession answered as AWS documents it (the emulator has no SSM sessions).
    let ssm = FakeEndpoint::always(Reply::ok_json(&json!({
        "SessionId": "alice-0a1b2c3d4e5f",
        "TokenValue": "AAEAAbcd",
        "StreamUrl": "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/alice-0a1b2c3d4e5f?role=publish_subscribe",
    })));
    let out = w
        .ag(&w.alice)
        .env("PATH", path_with(&[&bin]))
        .env("AWS_ENDPOINT_URL_SSM", &ssm.url)
        .args([
            "connect",
            &gid,
            "--target",
            "i-0123456789abcdef0",
            "--port-forward",
            "db.internal:5432",
            "--local-port",
            "15432",
        ])
        .output()
        .unwrap();
    ok(&out);
    let connected = w.audit_log().into_iter().find(|e| e["event"] == "connected").expect("recorded");
    assert_eq!(connected["actor"], w.arn("alice"));
    assert_eq!(connected["detail"], "target i-0123456789abcdef0");
    let requests = ssm.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].operation(), "StartSession");
    assert_eq!(requests[0].signed_by().unwrap().0, w.alice.access_key_id, "the CLI signs as the grantee");
    let body: Value = serde_json::from_str(&requests[0].body).unwrap();
    assert_eq!(body["Target"], "i-0123456789abcdef0");
    assert_eq!(body["DocumentName"], "AWS-StartPortForwardingSessionToRemoteHost");
    assert_eq!(
        body["Parameters"],
        json!({"host": ["db.internal"], "portNumber": ["5432"], "localPortNumber": ["15432"]})
    );
    let args = std::fs::read_to_string(w.sb.path().join("plugin-args")).unwrap();
    assert!(args.lines().any(|l| l == "StartSession"), "{args}");
    let session: Value =
        serde_json::from_str(&std::fs::read_to_string(w.sb.path().join("plugin-session")).unwrap()).unwrap();
    assert_eq!(session["SessionId"], "alice-0a1b2c3d4e5f");
}
