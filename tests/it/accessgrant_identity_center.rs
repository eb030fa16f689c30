//! `backend = "identity-center"` against the emulator's SSO admin and identity store: a grant
//! is a permission set `accessgrant-<id>` with the same expiring inline policy, assigned to the
//! user in the environment's account, and gone on revoke, expiry or sweep. (The asynchronous
//! statuses the emulator always reports as done are tested with the SDK's mocks, in
//! `identity_center::sdk_mock_tests`.)

use serde_json::Value;

use crate::accessgrant::{DEBUG_ROLE, World, fails, id, ok, record, records};

struct Center {
    w: World,
    instance: String,
    user_id: String,
}

const USER: &str = "dana@example.org";

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&ok(out).stdout).unwrap()
}

impl Center {
    fn new() -> Center {
        let w = World::with_roles(DEBUG_ROLE, "backend = \"identity-center\"");
        let instances = json(&w.cli().args(["sso-admin", "list-instances"]).output().unwrap());
        let instance = instances["Instances"][0]["InstanceArn"].as_str().unwrap().to_owned();
        let store = instances["Instances"][0]["IdentityStoreId"].as_str().unwrap().to_owned();
        let user = json(
            &w.cli()
                .args(["identitystore", "create-user", "--identity-store-id", &store, "--user-name", USER])
                .args(["--display-name", "Dana", "--name", "GivenName=Dana,FamilyName=Example"])
                .output()
                .unwrap(),
        );
        let user_id = user["UserId"].as_str().unwrap().to_owned();
        Center { w, instance, user_id }
    }

    /// Permission sets by name → ARN.
    fn sets(&self) -> Vec<(String, String)> {
        let listed = json(
            &self
                .w
                .cli()
                .args(["sso-admin", "list-permission-sets", "--instance-arn", &self.instance])
                .output()
                .unwrap(),
        );
        listed["PermissionSets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|arn| {
                let arn = arn.as_str().unwrap();
                let set = json(
                    &self
                        .w
                        .cli()
                        .args([
                            "sso-admin",
                            "describe-permission-set",
                            "--instance-arn",
                            &self.instance,
                            "--permission-set-arn",
                            arn,
                        ])
                        .output()
                        .unwrap(),
                );
                (set["PermissionSet"]["Name"].as_str().unwrap().to_owned(), arn.to_owned())
            })
            .collect()
    }

    fn set(&self, name: &str) -> Option<String> {
        self.sets().into_iter().find(|(n, _)| n == name).map(|(_, arn)| arn)
    }

    fn inline_policy(&self, arn: &str) -> Value {
        let out = json(
            &self
                .w
                .cli()
                .args([
                    "sso-admin",
                    "get-inline-policy-for-permission-set",
                    "--instance-arn",
                    &self.instance,
                    "--permission-set-arn",
                    arn,
                ])
                .output()
                .unwrap(),
        );
        serde_json::from_str(out["InlinePolicy"].as_str().unwrap()).unwrap()
    }

    fn assigned(&self, arn: &str) -> Vec<String> {
        let out = json(
            &self
                .w
                .cli()
                .args([
                    "sso-admin",
                    "list-account-assignments",
                    "--instance-arn",
                    &self.instance,
                    "--account-id",
                    &self.w.account.id,
                    "--permission-set-arn",
                    arn,
                ])
                .output()
                .unwrap(),
        );
        out["AccountAssignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["PrincipalId"].as_str().unwrap().to_owned())
            .collect()
    }

    fn request(&self, duration: &str) -> Value {
        record(
            &self
                .w
                .ag(&self.w.alice)
                .args(["request", "--role", "debug", "-e", "dev", "--for", duration, "--reason", "INC-3", "--to", USER])
                .output()
                .unwrap(),
        )
    }
}

#[test]
fn an_identity_center_grant_is_a_permission_set_assigned_then_removed() {
    let c = Center::new();
    let g = c.request("2h");
    assert_eq!(
        (g["state"].as_str(), g["grantee"].as_str(), g["grantee_type"].as_str()),
        (Some("active"), Some(USER), Some("identity-center-user"))
    );
    assert_eq!(g["backend"], "identity-center");
    let name = format!("accessgrant-{}", id(&g));
    let arn = c.set(&name).expect("a permission set named after the grant");
    let described = json(
        &c.w.cli()
            .args(["sso-admin", "describe-permission-set", "--instance-arn", &c.instance, "--permission-set-arn", &arn])
            .output()
            .unwrap(),
    );
    assert_eq!(described["PermissionSet"]["SessionDuration"], "PT2H");
    let policy = c.inline_policy(&arn);
    assert_eq!(policy["Statement"][0]["Condition"]["DateLessThan"]["aws:CurrentTime"], "2030-01-01T12:00:00Z");
    assert_eq!(policy["Statement"][0]["Condition"]["StringEquals"]["ssm:resourceTag/env"], "dev");
    assert_eq!(c.assigned(&arn), [c.user_id.as_str()], "assigned to the user in the environment's account");
    // An extension changes the inline policy, and provisions the set again.
    let extended =
        record(&c.w.ag(&c.w.alice).args(["extend", &id(&g), "--for", "1h", "--reason", "more"]).output().unwrap());
    assert_eq!(extended["expires_at"], "2030-01-01T13:00:00Z");
    assert_eq!(
        c.inline_policy(&arn)["Statement"][0]["Condition"]["DateLessThan"]["aws:CurrentTime"],
        "2030-01-01T13:00:00Z"
    );
    assert_eq!(c.assigned(&arn), [c.user_id.as_str()]);
    // Revoked: the assignment and the set are gone; again changes nothing.
    assert_eq!(record(&c.w.ag(&c.w.alice).args(["revoke", &id(&g)]).output().unwrap())["state"], "revoked");
    assert!(c.set(&name).is_none());
    ok(&c.w.ag(&c.w.alice).args(["revoke", &id(&g)]).output().unwrap());
    // Who gets it: an Identity Center user by name; an IAM user is not signed in through it.
    let (code, err) = fails(
        &c.w.ag(&c.w.alice)
            .args(["request", "--role", "debug", "-e", "dev", "--for", "1h", "--reason", "x"])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not signed in through IAM Identity Center"), "{err}");
    let (code, err) = fails(
        &c.w.ag(&c.w.alice)
            .args([
                "request",
                "--role",
                "debug",
                "-e",
                "dev",
                "--for",
                "1h",
                "--reason",
                "x",
                "--to",
                "nobody@example.org",
            ])
            .output()
            .unwrap(),
    );
    assert_eq!(code, 66, "{err}");
}

#[test]
fn sweep_removes_expired_and_orphaned_permission_sets_only() {
    let c = Center::new();
    let short = c.request("1h");
    let long = c.request("4h");
    for name in ["accessgrant-manual", "ReadOnly"] {
        // With a session duration: without one the emulator reports a number where AWS's
        // model (and so the SDK) has an ISO 8601 string.
        ok(&c
            .w
            .cli()
            .args([
                "sso-admin",
                "create-permission-set",
                "--instance-arn",
                &c.instance,
                "--name",
                name,
                "--session-duration",
                "PT1H",
            ])
            .output()
            .unwrap());
    }
    let events = records(&c.w.ag_at(&c.w.bob, "2030-01-01T12:00:00Z").args(["sweep"]).output().unwrap());
    let mut got: Vec<(String, String)> = events
        .iter()
        .map(|e| (e["event"].as_str().unwrap().to_owned(), e["grant"].as_str().unwrap().to_owned()))
        .collect();
    got.sort();
    assert_eq!(got, [("expired".to_owned(), id(&short)), ("swept".to_owned(), "accessgrant-manual".to_owned())]);
    let mut names: Vec<String> = c.sets().into_iter().map(|(n, _)| n).collect();
    names.sort();
    assert_eq!(names, ["ReadOnly".to_owned(), format!("accessgrant-{}", id(&long))]);
    assert_eq!(c.w.object(&format!("grants/{}.json", id(&short)))["state"], "expired");
}
