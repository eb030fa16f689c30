//! The SES operations the emulator lacks (SESv2 MAIL FROM, GetAccount, suppression, event
//! destinations), answered by the SDK's own test utilities (aws-smithy-mocks) with responses
//! shaped as the SESv2 API reference documents them. Every test here is named for them.

use aws_sdk_sesv2::Client as V2;
use aws_sdk_sesv2::operation::get_account::GetAccountOutput;
use aws_sdk_sesv2::operation::get_configuration_set_event_destinations::GetConfigurationSetEventDestinationsOutput;
use aws_sdk_sesv2::operation::get_email_identity::GetEmailIdentityOutput;
use aws_sdk_sesv2::operation::put_account_suppression_attributes::PutAccountSuppressionAttributesOutput;
use aws_sdk_sesv2::operation::put_email_identity_mail_from_attributes::PutEmailIdentityMailFromAttributesOutput;
use aws_sdk_sesv2::types::{
    AccountDetails, BehaviorOnMxFailure, DkimAttributes, DkimSigningAttributesOrigin, DkimStatus, EventDestination,
    EventType, IdentityType, MailFromAttributes, MailFromDomainStatus, ReviewDetails, ReviewStatus, SendQuota,
    SnsDestination, SuppressionAttributes, SuppressionListReason, VerificationStatus,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};

use crate::checks;
use crate::domain::Domain;
use crate::identity::Ses;
use crate::records::Status;
use crate::settings::MxFailure;

const DOMAIN: &str = "example.gov";
const TOKENS: [&str; 3] = ["tok1", "tok2", "tok3"];

/// SES over mocked clients; SES v1 answers nothing (a call to it fails the test).
fn ses(rules: &[&Rule]) -> Ses {
    let v2 = mock_client!(aws_sdk_sesv2, RuleMode::MatchAny, rules);
    let v1 = mock_client!(aws_sdk_ses, RuleMode::MatchAny, &[] as &[&Rule]);
    Ses::from_clients(v2, v1, "us-east-1")
}

/// GetEmailIdentity for a verified Easy DKIM domain with MAIL FROM set, as AWS answers it.
fn verified_identity(mail_from_status: MailFromDomainStatus) -> Rule {
    mock!(V2::get_email_identity).match_requests(|r| r.email_identity() == Some(DOMAIN)).then_output(move || {
        GetEmailIdentityOutput::builder()
            .identity_type(IdentityType::Domain)
            .verified_for_sending_status(true)
            .verification_status(VerificationStatus::Success)
            .feedback_forwarding_status(true)
            .dkim_attributes(
                DkimAttributes::builder()
                    .signing_enabled(true)
                    .status(DkimStatus::Success)
                    .signing_attributes_origin(DkimSigningAttributesOrigin::AwsSes)
                    .set_tokens(Some(TOKENS.iter().map(|t| (*t).to_owned()).collect()))
                    .build(),
            )
            .mail_from_attributes(
                MailFromAttributes::builder()
                    .mail_from_domain(format!("bounce.{DOMAIN}"))
                    .mail_from_domain_status(mail_from_status.clone())
                    .behavior_on_mx_failure(BehaviorOnMxFailure::UseDefaultValue)
                    .build()
                    .unwrap(),
            )
            .configuration_set_name("casetracker")
            .build()
    })
}

fn account(production: bool) -> Rule {
    mock!(V2::get_account).then_output(move || {
        GetAccountOutput::builder()
            .production_access_enabled(production)
            .sending_enabled(true)
            .enforcement_status("HEALTHY")
            .dedicated_ip_auto_warmup_enabled(false)
            .send_quota(SendQuota::builder().max24_hour_send(200.0).max_send_rate(1.0).sent_last24_hours(12.0).build())
            .suppression_attributes(
                SuppressionAttributes::builder()
                    .suppressed_reasons(SuppressionListReason::Bounce)
                    .suppressed_reasons(SuppressionListReason::Complaint)
                    .build(),
            )
            .details(
                AccountDetails::builder()
                    .review_details(ReviewDetails::builder().status(ReviewStatus::Pending).case_id("case-8123").build())
                    .build(),
            )
            .build()
    })
}

fn destinations(events: &'static [EventType]) -> Rule {
    mock!(V2::get_configuration_set_event_destinations)
        .match_requests(|r| r.configuration_set_name() == Some("casetracker"))
        .then_output(move || {
            GetConfigurationSetEventDestinationsOutput::builder()
                .event_destinations(
                    EventDestination::builder()
                        .name("sesconfig-bounces-complaints")
                        .enabled(true)
                        .set_matching_event_types(Some(events.to_vec()))
                        .sns_destination(
                            SnsDestination::builder()
                                .topic_arn("arn:aws:sns:us-east-1:123456789012:ses")
                                .build()
                                .unwrap(),
                        )
                        .build()
                        .unwrap(),
                )
                .build()
        })
}

fn domain() -> Domain {
    Domain::parse(DOMAIN).unwrap()
}

#[tokio::test]
async fn aws_smithy_mocks_mail_from_is_put_with_the_mx_failure_behaviour() {
    let put = mock!(V2::put_email_identity_mail_from_attributes)
        .match_requests(|r| {
            r.email_identity() == Some(DOMAIN)
                && r.mail_from_domain() == Some("bounce.example.gov")
                && r.behavior_on_mx_failure() == Some(&BehaviorOnMxFailure::RejectMessage)
        })
        .then_output(|| PutEmailIdentityMailFromAttributesOutput::builder().build());
    let ses = ses(&[&put]);
    let mail_from = domain().mail_from(Some("bounce.example.gov")).unwrap();
    ses.put_mail_from(&domain(), &mail_from, MxFailure::RejectMessage).await.unwrap();
    assert_eq!(put.num_calls(), 1);
}

#[tokio::test]
async fn aws_smithy_mocks_suppression_is_put_for_bounces_and_complaints() {
    let put = mock!(V2::put_account_suppression_attributes)
        .match_requests(|r| r.suppressed_reasons() == [SuppressionListReason::Bounce, SuppressionListReason::Complaint])
        .then_output(|| PutAccountSuppressionAttributesOutput::builder().build());
    ses(&[&put]).suppress_bounces_and_complaints().await.unwrap();
    assert_eq!(put.num_calls(), 1);
}

/// SESv2 returns the tokens (as real AWS does): SES v1 is not asked (its mock has no rules).
#[tokio::test]
async fn aws_smithy_mocks_a_fully_set_up_identity_passes_every_ses_check() {
    let (identity, account, destinations) = (
        verified_identity(MailFromDomainStatus::Success),
        account(true),
        destinations(&[EventType::Bounce, EventType::Complaint]),
    );
    let ses = ses(&[&identity, &account, &destinations]);
    let record = ses.require_identity(&domain()).await.unwrap();
    assert_eq!(record.dkim_tokens, TOKENS);
    assert_eq!(record.mail_from.as_deref(), Some("bounce.example.gov"));
    let mail_from = domain().mail_from(Some("bounce.example.gov")).unwrap();
    let (findings, unsupported) = checks::ses(&ses, &record, &mail_from).await.unwrap();
    assert!(unsupported.is_empty());
    let statuses: Vec<(&str, Status)> = findings.iter().map(|f| (f.check.as_str(), f.status)).collect();
    assert_eq!(
        statuses,
        [
            ("identity_verified", Status::Ok),
            ("dkim_signing", Status::Ok),
            ("mail_from", Status::Ok),
            ("configuration_set", Status::Ok),
            ("sandbox", Status::Ok),
        ]
    );
}

#[tokio::test]
async fn aws_smithy_mocks_pending_mail_from_missing_complaints_and_the_sandbox_are_named() {
    let (identity, account, destinations) =
        (verified_identity(MailFromDomainStatus::Pending), account(false), destinations(&[EventType::Bounce]));
    let ses = ses(&[&identity, &account, &destinations]);
    let record = ses.require_identity(&domain()).await.unwrap();
    // Checked against another MAIL FROM than the one SES has: that is a failure, not a warning.
    let other = domain().mail_from(Some("mail.example.gov")).unwrap();
    let (findings, _) = checks::ses(&ses, &record, &other).await.unwrap();
    let find = |check: &str| findings.iter().find(|f| f.check == check).unwrap();
    assert_eq!(find("mail_from").status, Status::Fail);
    let mail_from = domain().mail_from(Some("bounce.example.gov")).unwrap();
    let (findings, _) = checks::ses(&ses, &record, &mail_from).await.unwrap();
    let find = |check: &str| findings.iter().find(|f| f.check == check).unwrap();
    assert_eq!(find("mail_from").status, Status::Warn);
    assert_eq!(find("mail_from").found.as_deref(), Some("bounce.example.gov (PENDING)"));
    assert_eq!(find("configuration_set").status, Status::Fail, "bounces only: complaints go nowhere");
    let sandbox = find("sandbox");
    assert_eq!(sandbox.status, Status::Fail);
    assert!(sandbox.hint.as_deref().unwrap().contains("sesconfig request-production"));
}

#[tokio::test]
async fn aws_smithy_mocks_get_account_becomes_the_account_record() {
    let account = account(false);
    let record = ses(&[&account]).account().await.unwrap();
    assert_eq!(record.access, "sandbox");
    assert!(record.sending_enabled);
    assert_eq!(record.enforcement_status.as_deref(), Some("HEALTHY"));
    assert_eq!(
        (record.max_24_hour_send, record.max_send_rate, record.sent_last_24_hours),
        (Some(200.0), Some(1.0), Some(12.0))
    );
    assert_eq!(record.suppressed_reasons, ["BOUNCE", "COMPLAINT"]);
    assert_eq!(
        (record.review_status.as_deref(), record.review_case_id.as_deref()),
        (Some("PENDING"), Some("case-8123"))
    );
}

/// Bring-your-own DKIM: SESv2's "token" is the selector of the customer's own key, not a CNAME
/// target; no DKIM records are made of it and SES v1 is not asked.
#[tokio::test]
async fn aws_smithy_mocks_byodkim_selector_is_not_a_cname_token() {
    let identity = mock!(V2::get_email_identity).then_output(|| {
        GetEmailIdentityOutput::builder()
            .identity_type(IdentityType::Domain)
            .verified_for_sending_status(true)
            .dkim_attributes(
                DkimAttributes::builder()
                    .signing_enabled(true)
                    .status(DkimStatus::Success)
                    .signing_attributes_origin(DkimSigningAttributesOrigin::External)
                    .tokens("selector2026")
                    .build(),
            )
            .build()
    });
    let record = ses(&[&identity]).require_identity(&domain()).await.unwrap();
    assert!(record.dkim_tokens.is_empty());
    assert_eq!(record.dkim_origin.as_deref(), Some("EXTERNAL"));
}

/// VerificationStatus SUCCESS beside VerifiedForSendingStatus false (how moto answers): the
/// finding says both, not "expected verified, found SUCCESS".
#[tokio::test]
async fn aws_smithy_mocks_verified_but_not_for_sending_is_named_as_such() {
    let (identity, account, destinations) = (
        verified_identity(MailFromDomainStatus::Success),
        account(true),
        destinations(&[EventType::Bounce, EventType::Complaint]),
    );
    let ses = ses(&[&identity, &account, &destinations]);
    let mut record = ses.require_identity(&domain()).await.unwrap();
    record.verified = false;
    let mail_from = domain().mail_from(Some("bounce.example.gov")).unwrap();
    let (findings, _) = checks::ses(&ses, &record, &mail_from).await.unwrap();
    let verified = findings.iter().find(|f| f.check == "identity_verified").unwrap();
    assert_eq!(verified.status, Status::Fail);
    assert_eq!(verified.found.as_deref(), Some("verification SUCCESS, but not verified for sending"));
}
