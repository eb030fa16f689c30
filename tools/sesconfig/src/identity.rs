//! The one file that talks to SES: SESv2 for everything it has, SES v1 only for the DKIM tokens
//! of an Easy DKIM identity when SESv2 returns none (real AWS answers both for the same
//! identity; an emulator may answer only the latter).
//!
//! An endpoint without an operation (an emulator, a partition that lacks it) answers HTTP 404
//! or 501 without an AWS error code; that is [`Failure::Unsupported`], so `setup` can do every
//! step it can and name the ones it could not.

use aws_sdk_sesv2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sesv2::types::{
    BehaviorOnMxFailure, CloudWatchDestination, CloudWatchDimensionConfiguration, ContactLanguage,
    DimensionValueSource, EventBridgeDestination, EventDestinationDefinition, EventType, MailType, SnsDestination,
    SuppressionListReason,
};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use opskit::Error;
use opskit::aws::AwsResultExt;

use crate::domain::Domain;
use crate::records::{AccountRecord, IdentityRecord};
use crate::settings::{Events, MxFailure};

/// The name of the event destination setup creates in the configuration set.
pub const EVENT_DESTINATION: &str = "sesconfig-bounces-complaints";

/// Why an SES call did not do its work.
#[derive(Debug)]
pub enum Failure {
    /// The endpoint has no such operation.
    Unsupported {
        api: &'static str,
        endpoint: String,
    },
    Error(Error),
}

impl From<Failure> for Error {
    fn from(failure: Failure) -> Error {
        match failure {
            Failure::Unsupported { api, endpoint } => unsupported_error(api, &endpoint),
            Failure::Error(e) => e,
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Error(e)
    }
}

pub fn unsupported_error(api: &str, endpoint: &str) -> Error {
    Error::unavailable(format!("{endpoint} does not support the SES operation {api}"))
        .with_hint("an emulator or partition without it: run against AWS itself for this step")
}

pub type SesResult<T> = Result<T, Failure>;

/// An SDK error as a [`Failure`]: an operation the endpoint lacks, or our error for the rest.
fn failure<E>(err: &SdkError<E, HttpResponse>, api: &'static str, what: &str) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let status = err.raw_response().map(|r| r.status().as_u16());
    let code = err.code().filter(|c| !c.is_empty() && *c != "Unknown");
    if matches!(status, Some(404 | 501)) && code.is_none() {
        let endpoint = opskit::aws::last_endpoint().unwrap_or_else(|| "the endpoint".into());
        return Failure::Unsupported { api, endpoint };
    }
    Failure::Error(opskit::aws::from_sdk(err, what))
}

fn is_not_found<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    err.code().is_some_and(|c| c == "NotFoundException")
}

/// SESv2's `AlreadyExistsException` (SES v1 and some emulators say
/// `ConfigurationSetAlreadyExistsException`).
fn is_already_exists<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    err.code().is_some_and(|c| c.ends_with("AlreadyExistsException"))
}

/// A configuration set's event destination, as far as check needs it.
#[derive(Clone, Debug)]
pub struct Destination {
    pub name: String,
    pub enabled: bool,
    pub events: Vec<String>,
}

impl Destination {
    /// Whether it sends both bounces and complaints somewhere.
    pub fn covers_bounces_and_complaints(&self) -> bool {
        self.enabled && ["BOUNCE", "COMPLAINT"].iter().all(|e| self.events.iter().any(|x| x == e))
    }
}

/// SES in one region.
pub struct Ses {
    v2: aws_sdk_sesv2::Client,
    v1: aws_sdk_ses::Client,
    region: String,
}

impl Ses {
    pub fn new(sdk: &aws_config::SdkConfig) -> Ses {
        // opskit refuses to build an SdkConfig without a region, so there always is one.
        let region = sdk.region().map(ToString::to_string).unwrap_or_default();
        Ses { v2: opskit::aws_client!(aws_sdk_sesv2, sdk), v1: opskit::aws_client!(aws_sdk_ses, sdk), region }
    }

    /// From clients built elsewhere (tests build them over the SDK's mocks).
    #[cfg(test)]
    pub fn from_clients(v2: aws_sdk_sesv2::Client, v1: aws_sdk_ses::Client, region: &str) -> Ses {
        Ses { v2, v1, region: region.to_owned() }
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// The domain's identity in this region, or `None` when there is none.
    pub async fn identity(&self, domain: &Domain) -> SesResult<Option<IdentityRecord>> {
        let what = format!("reading the SES identity {domain} in {}", self.region);
        let out = match self.v2.get_email_identity().email_identity(domain.as_str()).send().await {
            Ok(out) => out,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => return Err(failure(&e, "GetEmailIdentity", &what)),
        };
        let dkim = out.dkim_attributes();
        let origin = dkim.and_then(|d| d.signing_attributes_origin()).map(|o| o.as_str().to_owned());
        let easy_dkim = origin.as_deref().is_none_or(|o| o == "AWS_SES" || o.starts_with("AWS_SES_"));
        // With bring-your-own DKIM the "token" is the selector of a key SES does not publish:
        // there are no CNAMEs to make of it.
        let mut tokens: Vec<String> =
            if easy_dkim { dkim.map(|d| d.tokens().to_vec()).unwrap_or_default() } else { Vec::new() };
        if tokens.is_empty() && easy_dkim {
            tokens = self.dkim_tokens_v1(domain).await?;
        }
        let mail_from = out.mail_from_attributes();
        Ok(Some(IdentityRecord {
            kind: "identity",
            domain: domain.to_string(),
            region: self.region.clone(),
            verified: out.verified_for_sending_status(),
            verification_status: out.verification_status().map(|s| s.as_str().to_owned()),
            dkim_signing: dkim.is_some_and(aws_sdk_sesv2::types::DkimAttributes::signing_enabled),
            dkim_status: dkim.and_then(|d| d.status()).map(|s| s.as_str().to_owned()),
            dkim_origin: origin,
            dkim_tokens: tokens,
            mail_from: mail_from.map(|m| m.mail_from_domain().to_owned()).filter(|m| !m.is_empty()),
            mail_from_status: mail_from.map(|m| m.mail_from_domain_status().as_str().to_owned()),
            configuration_set: out.configuration_set_name().map(str::to_owned),
        }))
    }

    /// The identity, or "not found" naming the region.
    pub async fn require_identity(&self, domain: &Domain) -> Result<IdentityRecord, Error> {
        self.identity(domain).await?.ok_or_else(|| {
            Error::not_found(format!("no SES identity for {domain} in {}", self.region)).with_hint(format!(
                "create it with `sesconfig setup {domain}`, or pass --region for the region it is in"
            ))
        })
    }

    /// SES v1's DKIM tokens for an Easy DKIM identity.
    async fn dkim_tokens_v1(&self, domain: &Domain) -> SesResult<Vec<String>> {
        let what = format!("reading the DKIM tokens of {domain} (SES v1 GetIdentityDkimAttributes)");
        let out = self
            .v1
            .get_identity_dkim_attributes()
            .identities(domain.as_str())
            .send()
            .await
            .map_err(|e| failure(&e, "GetIdentityDkimAttributes", &what))?;
        Ok(out.dkim_attributes().get(domain.as_str()).map(|a| a.dkim_tokens().to_vec()).unwrap_or_default())
    }

    /// Create the identity with Easy DKIM; `false` when it already existed.
    pub async fn create_identity(&self, domain: &Domain) -> SesResult<bool> {
        let what = format!("creating the SES identity {domain} in {}", self.region);
        match self.v2.create_email_identity().email_identity(domain.as_str()).send().await {
            Ok(_) => Ok(true),
            Err(e) if is_already_exists(&e) => Ok(false),
            Err(e) => Err(failure(&e, "CreateEmailIdentity", &what)),
        }
    }

    pub async fn put_mail_from(&self, domain: &Domain, mail_from: &Domain, on_failure: MxFailure) -> SesResult<()> {
        let behaviour = match on_failure {
            MxFailure::UseDefaultValue => BehaviorOnMxFailure::UseDefaultValue,
            MxFailure::RejectMessage => BehaviorOnMxFailure::RejectMessage,
        };
        self.v2
            .put_email_identity_mail_from_attributes()
            .email_identity(domain.as_str())
            .mail_from_domain(mail_from.as_str())
            .behavior_on_mx_failure(behaviour)
            .send()
            .await
            .map_err(|e| {
                failure(&e, "PutEmailIdentityMailFromAttributes", &format!("setting MAIL FROM of {domain}"))
            })?;
        Ok(())
    }

    /// Create the configuration set; `false` when it already existed.
    pub async fn create_configuration_set(&self, name: &str) -> SesResult<bool> {
        match self.v2.create_configuration_set().configuration_set_name(name).send().await {
            Ok(_) => Ok(true),
            Err(e) if is_already_exists(&e) => Ok(false),
            Err(e) => Err(failure(&e, "CreateConfigurationSet", &format!("creating the configuration set {name}"))),
        }
    }

    pub async fn event_destinations(&self, set: &str) -> SesResult<Vec<Destination>> {
        let out = self.v2.get_configuration_set_event_destinations().configuration_set_name(set).send().await.map_err(
            |e| {
                failure(&e, "GetConfigurationSetEventDestinations", &format!("reading the event destinations of {set}"))
            },
        )?;
        Ok(out
            .event_destinations()
            .iter()
            .map(|d| Destination {
                name: d.name().to_owned(),
                enabled: d.enabled(),
                events: d.matching_event_types().iter().map(|t| t.as_str().to_owned()).collect(),
            })
            .collect())
    }

    /// Bounces and complaints of `set` to `events`; `false` when the destination existed.
    pub async fn create_event_destination(&self, set: &str, events: &Events, account: &str) -> SesResult<bool> {
        let mut definition = EventDestinationDefinition::builder()
            .enabled(true)
            .matching_event_types(EventType::Bounce)
            .matching_event_types(EventType::Complaint);
        definition = match events {
            Events::Sns(arn) => definition.sns_destination(
                SnsDestination::builder().topic_arn(arn).build().map_err(|e| Error::internal(e.to_string()))?,
            ),
            Events::EventBridge => definition.event_bridge_destination(
                EventBridgeDestination::builder()
                    .event_bus_arn(format!("arn:aws:events:{}:{account}:event-bus/default", self.region))
                    .build()
                    .map_err(|e| Error::internal(e.to_string()))?,
            ),
            Events::CloudWatch => definition.cloud_watch_destination(
                CloudWatchDestination::builder()
                    .dimension_configurations(
                        CloudWatchDimensionConfiguration::builder()
                            .dimension_name("ConfigurationSet")
                            .dimension_value_source(DimensionValueSource::MessageTag)
                            .default_dimension_value(set)
                            .build()
                            .map_err(|e| Error::internal(e.to_string()))?,
                    )
                    .build()
                    .map_err(|e| Error::internal(e.to_string()))?,
            ),
        };
        match self
            .v2
            .create_configuration_set_event_destination()
            .configuration_set_name(set)
            .event_destination_name(EVENT_DESTINATION)
            .event_destination(definition.build())
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if is_already_exists(&e) => Ok(false),
            Err(e) => Err(failure(
                &e,
                "CreateConfigurationSetEventDestination",
                &format!("creating the event destination of {set}"),
            )),
        }
    }

    /// Make `set` the identity's default configuration set.
    pub async fn set_default_configuration_set(&self, domain: &Domain, set: &str) -> SesResult<()> {
        self.v2
            .put_email_identity_configuration_set_attributes()
            .email_identity(domain.as_str())
            .configuration_set_name(set)
            .send()
            .await
            .map_err(|e| {
                failure(
                    &e,
                    "PutEmailIdentityConfigurationSetAttributes",
                    &format!("making {set} the default configuration set of {domain}"),
                )
            })?;
        Ok(())
    }

    /// Account-level suppression of addresses that bounce or complain.
    pub async fn suppress_bounces_and_complaints(&self) -> SesResult<()> {
        self.v2
            .put_account_suppression_attributes()
            .suppressed_reasons(SuppressionListReason::Bounce)
            .suppressed_reasons(SuppressionListReason::Complaint)
            .send()
            .await
            .map_err(|e| failure(&e, "PutAccountSuppressionAttributes", "setting account-level suppression"))?;
        Ok(())
    }

    pub async fn account(&self) -> SesResult<AccountRecord> {
        let what = format!("reading the SES account in {}", self.region);
        let out = self.v2.get_account().send().await.map_err(|e| failure(&e, "GetAccount", &what))?;
        let quota = out.send_quota();
        let review = out.details().and_then(|d| d.review_details());
        Ok(AccountRecord {
            kind: "account",
            region: self.region.clone(),
            access: if out.production_access_enabled() { "production" } else { "sandbox" }.to_owned(),
            sending_enabled: out.sending_enabled(),
            enforcement_status: out.enforcement_status().map(str::to_owned),
            max_24_hour_send: quota.map(aws_sdk_sesv2::types::SendQuota::max24_hour_send),
            max_send_rate: quota.map(aws_sdk_sesv2::types::SendQuota::max_send_rate),
            sent_last_24_hours: quota.map(aws_sdk_sesv2::types::SendQuota::sent_last24_hours),
            suppressed_reasons: out
                .suppression_attributes()
                .map(|s| s.suppressed_reasons().iter().map(|r| r.as_str().to_owned()).collect())
                .unwrap_or_default(),
            review_status: review.and_then(|r| r.status()).map(|s| s.as_str().to_owned()),
            review_case_id: review.and_then(|r| r.case_id()).map(str::to_owned),
        })
    }

    /// Ask AWS for production access.
    pub async fn request_production(&self, request: &ProductionRequest<'_>) -> SesResult<()> {
        let mut call = self
            .v2
            .put_account_details()
            .mail_type(if request.marketing { MailType::Marketing } else { MailType::Transactional })
            .website_url(request.website)
            .use_case_description(request.use_case)
            .contact_language(ContactLanguage::En)
            .production_access_enabled(true);
        for address in request.contacts {
            call = call.additional_contact_email_addresses(address);
        }
        call.send().await.map_err(|e| failure(&e, "PutAccountDetails", "requesting production access"))?;
        Ok(())
    }

    /// Send one test message; its message id.
    pub async fn send_test(&self, from: &str, to: &str, set: Option<&str>) -> SesResult<String> {
        use aws_sdk_sesv2::types::{Body, Content, Destination as To, EmailContent, Message};
        let text =
            |s: &str| Content::builder().data(s).charset("UTF-8").build().map_err(|e| Error::internal(e.to_string()));
        let message = Message::builder()
            .subject(text("sesconfig test message")?)
            .body(Body::builder().text(text("A test message sent by `sesconfig send-test`.")?).build())
            .build();
        let out = self
            .v2
            .send_email()
            .from_email_address(from)
            .destination(To::builder().to_addresses(to).build())
            .content(EmailContent::builder().simple(message).build())
            .set_configuration_set_name(set.map(str::to_owned))
            .send()
            .await
            .map_err(|e| failure(&e, "SendEmail", &format!("sending a test message from {from}")))?;
        Ok(out.message_id().unwrap_or_default().to_owned())
    }

    /// Delete the identity; `false` when there was none.
    pub async fn delete_identity(&self, domain: &Domain) -> SesResult<bool> {
        match self.v2.delete_email_identity().email_identity(domain.as_str()).send().await {
            Ok(_) => Ok(true),
            Err(e) if is_not_found(&e) => Ok(false),
            Err(e) => Err(failure(&e, "DeleteEmailIdentity", &format!("deleting the SES identity {domain}"))),
        }
    }

    /// Delete the configuration set (and its event destinations); `false` when there was none.
    pub async fn delete_configuration_set(&self, name: &str) -> SesResult<bool> {
        match self.v2.delete_configuration_set().configuration_set_name(name).send().await {
            Ok(_) => Ok(true),
            Err(e) if is_not_found(&e) => Ok(false),
            Err(e) => Err(failure(&e, "DeleteConfigurationSet", &format!("deleting the configuration set {name}"))),
        }
    }
}

/// What `request-production` asks for.
pub struct ProductionRequest<'a> {
    pub website: &'a str,
    pub use_case: &'a str,
    pub marketing: bool,
    pub contacts: &'a [String],
}

/// The account the credentials belong to (for the default event bus's ARN).
pub async fn account_id(sdk: &aws_config::SdkConfig) -> Result<String, Error> {
    let sts = opskit::aws_client!(aws_sdk_sts, sdk);
    let who = sts.get_caller_identity().send().await.aws_context("asking STS for the account id")?;
    Ok(who.account().unwrap_or_default().to_owned())
}
