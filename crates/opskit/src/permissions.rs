//! Least privilege: the IAM actions each command of a tool calls, and the two things `doctor`
//! does with them: print the policy a role needs (`--iam-policy`), and ask IAM's policy
//! simulator whether the caller holds it (`--check-permissions`), naming each missing action
//! before a long job fails half-way.
//!
//! Each tool keeps one table, [`crate::Tool::PERMISSIONS`], beside its commands; a test runs
//! every command under a user holding exactly the printed policy, with the emulator enforcing
//! IAM, so the table cannot drift from the code.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::finding::{Finding, Status};

/// The IAM actions one command calls.
#[derive(Clone, Copy, Debug)]
pub struct Permission {
    /// The command as typed after the tool's name (`set`, `rules init`).
    pub command: &'static str,
    pub actions: &'static [&'static str],
}

/// `doctor` itself: who the caller is (GetCallerIdentity needs no permission).
const DOCTOR: Permission = Permission { command: "doctor", actions: &[] };

/// The permissions of `commands` (every command when empty); an unknown command is a usage
/// error naming the known ones.
pub fn select<'a>(tool: &str, table: &'a [Permission], commands: &[String]) -> Result<Vec<&'a Permission>> {
    if commands.is_empty() {
        return Ok(table.iter().collect());
    }
    commands
        .iter()
        .map(|wanted| {
            table.iter().find(|p| p.command == wanted).ok_or_else(|| {
                let known: Vec<&str> = table.iter().map(|p| p.command).collect();
                Error::usage(format!("{tool} has no command `{wanted}`"))
                    .with_hint(format!("its commands: {}", known.join(", ")))
            })
        })
        .collect()
}

/// Every distinct action of `permissions`, sorted.
pub fn actions(permissions: &[&Permission]) -> Vec<&'static str> {
    let set: BTreeSet<&'static str> = permissions.iter().flat_map(|p| p.actions.iter().copied()).collect();
    set.into_iter().collect()
}

/// The IAM policy document granting `permissions`: one statement per command, so a reader sees
/// which command needs what.
pub fn policy(tool: &str, permissions: &[&Permission]) -> Value {
    let statements: Vec<Value> = permissions
        .iter()
        .filter(|p| !p.actions.is_empty())
        .map(|p| {
            let sid: String = format!("{tool} {}", p.command)
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let mut chars = w.chars();
                    chars.next().map(|c| c.to_ascii_uppercase()).into_iter().chain(chars).collect::<String>()
                })
                .collect();
            json!({"Sid": sid, "Effect": "Allow", "Action": p.actions, "Resource": "*"})
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The IAM principal to simulate for a caller: an assumed-role session stands for its role.
pub fn principal(caller_arn: &str) -> String {
    match caller_arn.split_once(":assumed-role/") {
        Some((head, rest)) => {
            let role = rest.split('/').next().unwrap_or(rest);
            format!("{}:role/{role}", head.replacen(":sts:", ":iam:", 1))
        }
        None => caller_arn.to_owned(),
    }
}

/// Ask IAM's policy simulator about each action for `principal`: a finding each, `fail` for
/// any the principal does not hold, naming the commands that need it.
pub async fn check(iam: &aws_sdk_iam::Client, principal: &str, permissions: &[&Permission]) -> Result<Vec<Finding>> {
    use crate::aws::AwsResultExt;
    let wanted = actions(permissions);
    let mut decisions: Vec<(String, String)> = Vec::new();
    for chunk in wanted.chunks(100) {
        let mut marker = None;
        loop {
            let out = iam
                .simulate_principal_policy()
                .policy_source_arn(principal)
                .set_action_names(Some(chunk.iter().map(|a| (*a).to_owned()).collect()))
                .set_marker(marker.take())
                .send()
                .await
                .aws_context(format_args!("asking IAM's policy simulator about {principal}"))?;
            for result in out.evaluation_results.unwrap_or_default() {
                decisions.push((result.eval_action_name, result.eval_decision.as_str().to_owned()));
            }
            match out.marker {
                Some(next) if out.is_truncated => marker = Some(next),
                _ => break,
            }
        }
    }
    Ok(wanted
        .iter()
        .map(|action| {
            let decision = decisions.iter().find(|(a, _)| a == action).map_or("not evaluated", |(_, d)| d.as_str());
            let needed_by: Vec<&str> =
                permissions.iter().filter(|p| p.actions.contains(action)).map(|p| p.command).collect();
            let status = if decision == "allowed" { Status::Ok } else { Status::Fail };
            let finding = Finding::new("permission", *action, status).expected("allowed").found(decision);
            if status == Status::Fail {
                finding.hint(format!(
                    "needed by: {}; ask for `{action}` to be allowed for {principal}",
                    needed_by.join(", ")
                ))
            } else {
                finding
            }
        })
        .collect())
}

/// The doctor's own entry, added to every tool's table.
pub fn with_doctor(table: &'static [Permission]) -> Vec<Permission> {
    table.iter().copied().chain(std::iter::once(DOCTOR)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[Permission] = &[
        Permission { command: "get", actions: &["ssm:GetParameters", "ssm:DescribeParameters"] },
        Permission { command: "set", actions: &["ssm:PutParameter", "ssm:GetParameters"] },
    ];

    #[test]
    fn policies_have_a_statement_per_command_and_actions_once_each() {
        let chosen = select("envctl", TABLE, &[]).unwrap();
        let doc = policy("envctl", &chosen);
        assert_eq!(doc["Statement"][1]["Sid"], "EnvctlSet");
        assert_eq!(doc["Statement"][0]["Action"], json!(["ssm:GetParameters", "ssm:DescribeParameters"]));
        assert_eq!(actions(&chosen), ["ssm:DescribeParameters", "ssm:GetParameters", "ssm:PutParameter"]);
        let err = select("envctl", TABLE, &["gte".to_owned()]).unwrap_err();
        assert_eq!(err.to_string(), "envctl has no command `gte`");
    }

    #[test]
    fn an_assumed_role_session_is_simulated_as_its_role() {
        assert_eq!(principal("arn:aws:sts::123456789012:assumed-role/Dev/alice"), "arn:aws:iam::123456789012:role/Dev");
        assert_eq!(principal("arn:aws:iam::123456789012:user/bob"), "arn:aws:iam::123456789012:user/bob");
    }

    /// moto has no policy simulator: the SDK's own mocks answer as IAM's documented
    /// SimulatePrincipalPolicy response does.
    #[tokio::test]
    async fn aws_smithy_mocks_simulator_answers_name_each_missing_action() {
        use aws_sdk_iam::operation::simulate_principal_policy::SimulatePrincipalPolicyOutput;
        use aws_sdk_iam::types::{EvaluationResult, PolicyEvaluationDecisionType};
        use aws_smithy_mocks::{RuleMode, mock, mock_client};
        let result = |action: &str, decision| {
            EvaluationResult::builder().eval_action_name(action).eval_decision(decision).build().unwrap()
        };
        let rule = mock!(aws_sdk_iam::Client::simulate_principal_policy).then_output(move || {
            SimulatePrincipalPolicyOutput::builder()
                .evaluation_results(result("ssm:DescribeParameters", PolicyEvaluationDecisionType::Allowed))
                .evaluation_results(result("ssm:GetParameters", PolicyEvaluationDecisionType::Allowed))
                .evaluation_results(result("ssm:PutParameter", PolicyEvaluationDecisionType::ImplicitDeny))
                .is_truncated(false)
                .build()
        });
        let iam = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&rule]);
        let chosen = select("envctl", TABLE, &[]).unwrap();
        let findings = check(&iam, "arn:aws:iam::123456789012:user/dev", &chosen).await.unwrap();
        let failed: Vec<&Finding> = findings.iter().filter(|f| f.status == Status::Fail).collect();
        assert_eq!(failed.len(), 1);
        assert_eq!((failed[0].name.as_str(), failed[0].found.as_deref()), ("ssm:PutParameter", Some("implicitDeny")));
        assert!(failed[0].hint.as_deref().unwrap().starts_with("needed by: set;"));
    }
}
