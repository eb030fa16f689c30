//! Tests with the SDK's own test utilities (aws-smithy-mocks), for what the emulator does not do:
//! asynchronous requests that are still in progress, or fail. Responses are shaped as AWS
//! documents them (`Status` IN_PROGRESS → SUCCEEDED | FAILED with a `FailureReason`).

use aws_sdk_ssoadmin::Client as Admin;
use aws_sdk_ssoadmin::operation::create_account_assignment::CreateAccountAssignmentOutput;
use aws_sdk_ssoadmin::operation::create_permission_set::CreatePermissionSetOutput;
use aws_sdk_ssoadmin::operation::describe_account_assignment_creation_status::DescribeAccountAssignmentCreationStatusOutput;
use aws_sdk_ssoadmin::operation::describe_permission_set_provisioning_status::DescribePermissionSetProvisioningStatusOutput;
use aws_sdk_ssoadmin::operation::list_account_assignments::ListAccountAssignmentsOutput;
use aws_sdk_ssoadmin::operation::provision_permission_set::ProvisionPermissionSetOutput;
use aws_sdk_ssoadmin::operation::put_inline_policy_to_permission_set::PutInlinePolicyToPermissionSetOutput;
use aws_sdk_ssoadmin::types::{AccountAssignment, AccountAssignmentOperationStatus, PermissionSetProvisioningStatus};
use aws_smithy_mocks::{RuleMode, mock, mock_client};

use super::*;

const INSTANCE: &str = "arn:aws:sso:::instance/ssoins-1111111111111111";
const SET: &str = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222";

fn store() -> aws_sdk_identitystore::Client {
    mock_client!(aws_sdk_identitystore, [])
}

fn assignment_status(status: StatusValues, failure: Option<&str>) -> AccountAssignmentOperationStatus {
    AccountAssignmentOperationStatus::builder()
        .status(status)
        .request_id("req-1")
        .permission_set_arn(SET)
        .target_id("111122223333")
        .set_failure_reason(failure.map(str::to_owned))
        .build()
}

fn set(arn: Option<&'static str>) -> PermissionSet<'static> {
    PermissionSet { name: "accessgrant-0k3x9a7qzp", description: "test", session: Duration::from_hours(2), arn }
}

#[tokio::test]
async fn sdk_mocks_an_assignment_in_progress_is_followed_until_it_succeeds() {
    let create_set = mock!(Admin::create_permission_set).then_output(|| {
        CreatePermissionSetOutput::builder()
            .permission_set(aws_sdk_ssoadmin::types::PermissionSet::builder().permission_set_arn(SET).build())
            .build()
    });
    let list_sets = mock!(Admin::list_permission_sets)
        .then_output(|| aws_sdk_ssoadmin::operation::list_permission_sets::ListPermissionSetsOutput::builder().build());
    let put = mock!(Admin::put_inline_policy_to_permission_set)
        .match_requests(|r| r.inline_policy().is_some_and(|p| p.contains("aws:CurrentTime")))
        .then_output(|| PutInlinePolicyToPermissionSetOutput::builder().build());
    let none_assigned =
        mock!(Admin::list_account_assignments).then_output(|| ListAccountAssignmentsOutput::builder().build());
    let assign = mock!(Admin::create_account_assignment)
        .match_requests(|r| r.principal_id() == Some("user-1") && r.target_id() == Some("111122223333"))
        .then_output(|| {
            CreateAccountAssignmentOutput::builder()
                .account_assignment_creation_status(assignment_status(StatusValues::InProgress, None))
                .build()
        });
    let status = mock!(Admin::describe_account_assignment_creation_status)
        .match_requests(|r| r.account_assignment_creation_request_id() == Some("req-1"))
        .sequence()
        .output(|| {
            DescribeAccountAssignmentCreationStatusOutput::builder()
                .account_assignment_creation_status(assignment_status(StatusValues::InProgress, None))
                .build()
        })
        .times(2)
        .output(|| {
            DescribeAccountAssignmentCreationStatusOutput::builder()
                .account_assignment_creation_status(assignment_status(StatusValues::Succeeded, None))
                .build()
        })
        .build();
    let admin = mock_client!(
        aws_sdk_ssoadmin,
        RuleMode::MatchAny,
        [&create_set, &list_sets, &put, &none_assigned, &assign, &status]
    );
    let ic = IdentityCenter::with_clients(admin, store(), INSTANCE, Duration::from_mins(1));
    let policy = serde_json::json!({"Statement": [{"Condition": {"DateLessThan": {"aws:CurrentTime": "x"}}}]});
    let arn = ic.attach(&set(None), &policy, "111122223333", "user-1").await.unwrap();
    assert_eq!(arn, SET);
    assert_eq!(status.num_calls(), 3, "asked until it succeeded");
    assert_eq!(assign.num_calls(), 1);
}

#[tokio::test]
async fn sdk_mocks_a_failed_assignment_says_why() {
    let put = mock!(Admin::put_inline_policy_to_permission_set)
        .then_output(|| PutInlinePolicyToPermissionSetOutput::builder().build());
    let none_assigned =
        mock!(Admin::list_account_assignments).then_output(|| ListAccountAssignmentsOutput::builder().build());
    let assign = mock!(Admin::create_account_assignment).then_output(|| {
        CreateAccountAssignmentOutput::builder()
            .account_assignment_creation_status(assignment_status(StatusValues::InProgress, None))
            .build()
    });
    let status = mock!(Admin::describe_account_assignment_creation_status).then_output(|| {
        DescribeAccountAssignmentCreationStatusOutput::builder()
            .account_assignment_creation_status(assignment_status(
                StatusValues::Failed,
                Some("Received a 404 status error: Not supported policy"),
            ))
            .build()
    });
    let admin = mock_client!(aws_sdk_ssoadmin, RuleMode::MatchAny, [&put, &none_assigned, &assign, &status]);
    let ic = IdentityCenter::with_clients(admin, store(), INSTANCE, Duration::from_mins(1));
    let err = ic.attach(&set(Some(SET)), &serde_json::json!({}), "111122223333", "user-1").await.unwrap_err();
    assert_eq!(err.exit(), opskit::Exit::Unavailable);
    assert!(err.to_string().contains("says it failed: Received a 404 status error: Not supported policy"), "{err}");
}

#[tokio::test]
async fn sdk_mocks_a_changed_policy_is_provisioned_again() {
    let put = mock!(Admin::put_inline_policy_to_permission_set)
        .then_output(|| PutInlinePolicyToPermissionSetOutput::builder().build());
    let assigned = mock!(Admin::list_account_assignments).then_output(|| {
        ListAccountAssignmentsOutput::builder()
            .account_assignments(
                AccountAssignment::builder()
                    .principal_id("user-1")
                    .principal_type(PrincipalType::User)
                    .account_id("111122223333")
                    .permission_set_arn(SET)
                    .build(),
            )
            .build()
    });
    let provisioning = |status: StatusValues| {
        PermissionSetProvisioningStatus::builder().status(status).request_id("prov-1").permission_set_arn(SET).build()
    };
    let provision = mock!(Admin::provision_permission_set)
        .match_requests(|r| r.target_type() == Some(&ProvisionTargetType::AllProvisionedAccounts))
        .then_output(move || {
            ProvisionPermissionSetOutput::builder()
                .permission_set_provisioning_status(provisioning(StatusValues::InProgress))
                .build()
        });
    let status = mock!(Admin::describe_permission_set_provisioning_status)
        .match_requests(|r| r.provision_permission_set_request_id() == Some("prov-1"))
        .then_output(move || {
            DescribePermissionSetProvisioningStatusOutput::builder()
                .permission_set_provisioning_status(provisioning(StatusValues::Succeeded))
                .build()
        });
    let assign =
        mock!(Admin::create_account_assignment).then_output(|| CreateAccountAssignmentOutput::builder().build());
    let admin = mock_client!(aws_sdk_ssoadmin, RuleMode::MatchAny, [&put, &assigned, &provision, &status, &assign]);
    let ic = IdentityCenter::with_clients(admin, store(), INSTANCE, Duration::from_mins(1));
    ic.attach(&set(Some(SET)), &serde_json::json!({}), "111122223333", "user-1").await.unwrap();
    assert_eq!((provision.num_calls(), status.num_calls()), (1, 1));
    assert_eq!(assign.num_calls(), 0, "already assigned: provisioned, not assigned again");
}

#[tokio::test]
async fn sdk_mocks_a_request_still_in_progress_at_the_deadline_is_a_temporary_failure() {
    let put = mock!(Admin::put_inline_policy_to_permission_set)
        .then_output(|| PutInlinePolicyToPermissionSetOutput::builder().build());
    let none_assigned =
        mock!(Admin::list_account_assignments).then_output(|| ListAccountAssignmentsOutput::builder().build());
    let assign = mock!(Admin::create_account_assignment).then_output(|| {
        CreateAccountAssignmentOutput::builder()
            .account_assignment_creation_status(assignment_status(StatusValues::InProgress, None))
            .build()
    });
    let status = mock!(Admin::describe_account_assignment_creation_status).then_output(|| {
        DescribeAccountAssignmentCreationStatusOutput::builder()
            .account_assignment_creation_status(assignment_status(StatusValues::InProgress, None))
            .build()
    });
    let admin = mock_client!(aws_sdk_ssoadmin, RuleMode::MatchAny, [&put, &none_assigned, &assign, &status]);
    let ic = IdentityCenter::with_clients(admin, store(), INSTANCE, Duration::from_millis(20));
    let err = ic.attach(&set(Some(SET)), &serde_json::json!({}), "111122223333", "user-1").await.unwrap_err();
    assert_eq!(err.exit(), opskit::Exit::TempFail, "{err}");
}
