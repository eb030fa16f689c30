//! The one `SdkConfig` of a process, and what AWS errors mean to a user.

mod error;

use std::sync::OnceLock;

use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::imds::region::ImdsRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileRegionProvider;
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;

pub use error::{AwsResultExt, from_credentials, from_sdk};

use crate::error::{Error, Result};

/// Attempts per call, throttling included; adaptive retry also slows the client down when AWS
/// says it is going too fast, so a burst of work degrades into a slower one instead of errors.
pub const MAX_ATTEMPTS: u32 = 5;

/// Where AWS calls go and as whom, after flags, environment and config are merged.
#[derive(Clone, Debug, Default)]
pub struct AwsSettings {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// `--endpoint-url`. `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` are read by the SDK
    /// itself, service by service, so they are not copied here.
    pub endpoint_url: Option<String>,
    pub role_arn: Option<String>,
}

/// What error messages need to know about the settings (the profile for the SSO hint, the
/// endpoint for "could not reach"), recorded once when the `SdkConfig` is built.
static IN_USE: OnceLock<AwsSettings> = OnceLock::new();

pub(crate) fn settings_in_use() -> Option<&'static AwsSettings> {
    IN_USE.get()
}

/// Build the process's `SdkConfig`: the SDK's default chains (environment, profiles, SSO,
/// web identity, ECS/IMDS) with our overrides on top, then `--role-arn` assumed over it.
pub async fn load(settings: &AwsSettings) -> Result<SdkConfig> {
    let _ = IN_USE.set(settings.clone());
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(MAX_ATTEMPTS));
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    loader = match &settings.region {
        Some(region) => loader.region(Region::new(region.clone())),
        None => loader.region(region_chain(settings.profile.as_deref())),
    };
    if let Some(url) = &settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let sdk = loader.load().await;
    if sdk.region().is_none() {
        return Err(Error::config("no AWS region configured").with_hint(
            "pass --region, set AWS_REGION, add `region = \"...\"` to opskit.toml, or set one in your AWS profile",
        ));
    }
    let Some(role_arn) = &settings.role_arn else {
        return Ok(sdk);
    };
    let provider = AssumeRoleProvider::builder(role_arn).session_name(session_name()).configure(&sdk).build().await;
    Ok(sdk.into_builder().credentials_provider(SharedCredentialsProvider::new(provider)).build())
}

/// The SDK's region chain, except that instance metadata is only asked when credentials are not
/// in the environment: off EC2, an IMDS probe costs seconds of timeouts for nothing.
fn region_chain(profile: Option<&str>) -> RegionProviderChain {
    let mut from_profile = ProfileFileRegionProvider::builder();
    if let Some(profile) = profile {
        from_profile = from_profile.profile_name(profile);
    }
    let chain = RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new()).or_else(from_profile.build());
    if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() {
        chain
    } else {
        chain.or_else(ImdsRegionProvider::builder().build())
    }
}

/// `opskit-<user>`: CloudTrail shows who used an assumed role.
fn session_name() -> String {
    let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "user".into());
    let clean: String = user.chars().filter(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(*c)).take(56).collect();
    format!("opskit-{clean}")
}

/// The endpoint calls go to, for messages: the flag, else `AWS_ENDPOINT_URL`, else AWS itself.
pub fn endpoint_for_display(settings: &AwsSettings) -> Option<String> {
    settings
        .endpoint_url
        .clone()
        .or_else(|| std::env::var(crate::env_vars::AWS_ENDPOINT_URL).ok().filter(|v| !v.is_empty()))
}
