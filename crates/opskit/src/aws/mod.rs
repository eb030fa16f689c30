//! One `SdkConfig` per set of AWS settings a command uses (an environment may live in its own
//! account and region), the clients built from it, and what AWS errors mean to a user.

mod client;
mod error;

use std::sync::Mutex;
use std::time::Duration;

use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::imds::region::ImdsRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::profile::ProfileFileRegionProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::{RetryConfig, RetryMode};
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;

pub use client::{Annotate, ThrottledStatus, iam_action, last_endpoint};
pub use error::{AwsResultExt, from_credentials, from_sdk};

use crate::error::{Error, Result};

/// Attempts per call, throttling included, unless `AWS_MAX_ATTEMPTS` says otherwise. Adaptive
/// retry (unless `AWS_RETRY_MODE` says otherwise) also slows the client down when AWS says it is
/// going too fast, so a burst of work degrades into a slower one instead of errors.
pub const MAX_ATTEMPTS: u32 = 5;
/// The overall deadline of one call, retries included (`timeout` in opskit.toml, OPSKIT_TIMEOUT).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_mins(2);
/// How long to wait for a TCP/TLS connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one attempt waits for the first byte of an answer after sending its request.
const READ_TIMEOUT: Duration = Duration::from_mins(1);

/// Where AWS calls go and as whom, after flags, environment and config are merged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AwsSettings {
    /// A profile named by a flag or opskit.toml: its credentials are used even when
    /// `AWS_ACCESS_KEY_ID` is set, as the AWS CLI does with `--profile`. `AWS_PROFILE` alone is
    /// left to the SDK's default chain (environment keys first), again as the AWS CLI does.
    pub profile: Option<String>,
    pub region: Option<String>,
    /// `--endpoint-url`. `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` are read by the SDK
    /// itself, service by service, so they are not copied here.
    pub endpoint_url: Option<String>,
    pub role_arn: Option<String>,
    /// The overall deadline of one call.
    pub timeout: Option<Duration>,
}

/// Every set of settings a config was built for: error messages name the profile (for the SSO
/// hint) from here.
static IN_USE: Mutex<Vec<AwsSettings>> = Mutex::new(Vec::new());

/// The profile to name in a login hint: the one in use when every config of this process used
/// the same, else the default.
pub(crate) fn profile_in_use() -> String {
    let in_use = IN_USE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut profiles = in_use.iter().map(|s| s.profile.clone().or_else(ambient_profile));
    match profiles.next().flatten() {
        Some(first) if profiles.all(|p| p.as_deref() == Some(first.as_str())) => first,
        _ => ambient_profile().unwrap_or_else(|| "default".into()),
    }
}

fn ambient_profile() -> Option<String> {
    std::env::var(crate::env_vars::AWS_PROFILE).ok().filter(|p| !p.is_empty())
}

/// Build an `SdkConfig`: the SDK's default chains (environment, profiles, SSO, web identity,
/// ECS/IMDS) with our overrides on top, then the role assumed over it.
pub async fn load(settings: &AwsSettings) -> Result<SdkConfig> {
    IN_USE.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(settings.clone());
    let timeout = settings.timeout.unwrap_or(DEFAULT_TIMEOUT);
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        TimeoutConfig::builder()
            .connect_timeout(CONNECT_TIMEOUT.min(timeout))
            .read_timeout(READ_TIMEOUT.min(timeout))
            .operation_timeout(timeout)
            .build(),
    );
    loader = loader.retry_config(retry_config()?);
    if let Some(profile) = &settings.profile {
        check_profile_exists(profile).await?;
        loader = loader.profile_name(profile);
    }
    loader = match &settings.region {
        Some(region) => loader.region(Region::new(region.clone())),
        None => loader.region(region_chain(settings.profile.as_deref())),
    };
    if let Some(url) = &settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(profile) = &settings.profile {
        // The profile's own credentials, not the environment's keys ahead of them.
        let region = match &settings.region {
            Some(region) => Some(Region::new(region.clone())),
            None => region_chain(Some(profile)).region().await,
        };
        let conf = ProviderConfig::without_region().with_region(region);
        let provider = ProfileFileCredentialsProvider::builder().configure(&conf).profile_name(profile).build();
        loader = loader.credentials_provider(provider);
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

/// `AWS_RETRY_MODE` and `AWS_MAX_ATTEMPTS` when set (as every AWS SDK and the CLI read them),
/// else adaptive with [`MAX_ATTEMPTS`].
fn retry_config() -> Result<RetryConfig> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mode = match var("AWS_RETRY_MODE").as_deref() {
        None | Some("adaptive") => RetryMode::Adaptive,
        // `legacy` is the AWS CLI v1's name for what the SDKs call standard.
        Some("standard" | "legacy") => RetryMode::Standard,
        Some(other) => {
            return Err(Error::config(format!("AWS_RETRY_MODE=`{other}`: use standard or adaptive")));
        }
    };
    let attempts = match var("AWS_MAX_ATTEMPTS") {
        None => MAX_ATTEMPTS,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| Error::config(format!("AWS_MAX_ATTEMPTS=`{text}`: use a whole number from 1")))?,
    };
    let config = if mode == RetryMode::Adaptive { RetryConfig::adaptive() } else { RetryConfig::standard() };
    Ok(config.with_max_attempts(attempts))
}

/// A profile named on purpose must exist: falling back to other credentials would send the
/// calls to another account.
async fn check_profile_exists(profile: &str) -> Result<()> {
    use aws_runtime::env_config::file::EnvConfigFiles;
    use aws_types::os_shim_internal::{Env, Fs};
    let files = aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
        .await
        .map_err(|e| Error::config(format!("cannot read the AWS config files: {}", error::chain(&e))))?;
    if files.get_profile(profile).is_some() {
        return Ok(());
    }
    let known: Vec<&str> = files.profiles().collect();
    let hint = if known.is_empty() {
        format!(
            "there are no AWS profiles here: create it with `aws configure sso --profile {profile}` (or `aws configure --profile {profile}`)"
        )
    } else {
        format!("the AWS config files define: {}", known.join(", "))
    };
    Err(Error::config(format!("AWS profile `{profile}` does not exist")).with_hint(hint))
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
