//! `<tool> doctor`: who am I, where do my calls go, which config and environment are in use.
//! The first thing to run when something is off, so it reports everything it can.

use std::time::SystemTime;

use aws_credential_types::provider::ProvideCredentials;
use serde::Serialize;

use crate::aws::{self, AwsResultExt};
use crate::context::{Context, SettingSources};
use crate::error::Error;
use crate::exit::Exit;
use crate::output::{Layout, Record};

/// Check credentials and settings: STS GetCallerIdentity, region, profile, endpoint, config file,
/// environment, and when the credentials expire.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct DoctorArgs {
    /// Print the least IAM policy the named commands need (every command when none is named)
    #[arg(long, value_name = "COMMAND", num_args = 0.., conflicts_with = "check_permissions")]
    iam_policy: Option<Vec<String>>,
    /// Ask IAM's policy simulator whether you hold what the named commands need (every command
    /// when none is named): a finding per action, exit 1 when any is missing
    #[arg(long, value_name = "COMMAND", num_args = 0..)]
    check_permissions: Option<Vec<String>>,
}

#[derive(Serialize)]
struct Identity {
    kind: &'static str,
    account: Option<String>,
    arn: Option<String>,
    user_id: Option<String>,
    region: Option<String>,
    profile: Option<String>,
    endpoint: Option<String>,
    role_arn: Option<String>,
    config_files: Vec<String>,
    app: Option<String>,
    env: Option<String>,
    tier: Option<&'static str>,
    credentials_expire: Option<String>,
    credentials_expire_in_seconds: Option<u64>,
    /// Where each setting came from: flag, opskit.toml (and which environment), or ambient.
    sources: SettingSources,
}

impl Record for Identity {
    const KIND: &'static str = "identity";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "account",
        "arn",
        "user_id",
        "region",
        "profile",
        "endpoint",
        "role_arn",
        "config_files",
        "app",
        "env",
        "tier",
        "credentials_expire",
        "credentials_expire_in_seconds",
        "sources.profile",
        "sources.region",
        "sources.role_arn",
        "sources.credentials",
    ];
}

pub async fn run(ctx: &Context, args: &DoctorArgs) -> anyhow::Result<Exit> {
    let table = crate::permissions::with_doctor(ctx.permissions);
    if let Some(commands) = &args.iam_policy {
        let chosen = crate::permissions::select(ctx.tool, &table, commands)?;
        let mut text = serde_json::to_string_pretty(&crate::permissions::policy(ctx.tool, &chosen))?;
        text.push('\n');
        crate::output::write_stdout(text.as_bytes())?;
        return Ok(Exit::Success);
    }
    if let Some(commands) = &args.check_permissions {
        return check_permissions(ctx, &table, commands).await;
    }
    let environment = ctx.environment();
    if let Some(name) = ctx.env_name()
        && ctx.config.environment(name).is_none()
    {
        let declared = ctx.config.envs.keys().map(String::as_str);
        if let Some(near) = crate::suggest::closest(name, declared).first() {
            return Err(ctx
                .declared_environment(name)
                .unwrap_err()
                .with_hint(format!("did you mean `{near}`?"))
                .into());
        }
        crate::error::warn(&format!(
            "environment `{name}` is not declared in opskit.toml: its tier comes from its name"
        ));
    }
    let sdk = &ctx.sdk().await?;
    let what = "asking STS who you are (GetCallerIdentity)";
    // Sign in once (an AssumeRole or SSO call, perhaps): STS is asked with these credentials,
    // and it is their expiry that is shown.
    let provider = sdk
        .credentials_provider()
        .ok_or_else(|| Error::no_perm(format!("{what}: no AWS credentials provider is configured")))?;
    let credentials = provider.provide_credentials().await.map_err(|e| aws::from_credentials(&e, what))?;
    let expiry = credentials.expiry();
    let sts = crate::aws_client!(aws_sdk_sts, sdk, credentials_provider(credentials));
    let who = sts.get_caller_identity().send().await.aws_context(what)?;
    let settings = ctx.aws_settings(ctx.env_name())?;
    let record = Identity {
        kind: "identity",
        account: who.account,
        arn: who.arn,
        user_id: who.user_id,
        region: sdk.region().map(ToString::to_string),
        profile: settings.profile.clone().or_else(|| std::env::var("AWS_PROFILE").ok()),
        endpoint: aws::endpoint_for_display(&settings),
        role_arn: settings.role_arn.clone(),
        config_files: ctx.config.files().map(|p| p.display().to_string()).collect(),
        app: ctx.app_if_known().map(str::to_owned),
        env: environment.as_ref().map(|e| e.name.clone()),
        tier: environment.as_ref().map(|e| e.tier.as_str()),
        credentials_expire: expiry.map(|t| humantime::format_rfc3339_seconds(t).to_string()),
        credentials_expire_in_seconds: expiry.map(|t| t.duration_since(SystemTime::now()).map_or(0, |d| d.as_secs())),
        sources: ctx.setting_sources(ctx.env_name()),
    };
    let mut out = ctx.emitter().layout(Layout::Detail);
    out.emit(&record)?;
    out.finish()?;
    Ok(Exit::Success)
}

/// `--check-permissions`: the caller (per STS) against the policy simulator, a finding per
/// action.
async fn check_permissions(
    ctx: &Context,
    table: &[crate::permissions::Permission],
    commands: &[String],
) -> anyhow::Result<Exit> {
    let chosen = crate::permissions::select(ctx.tool, table, commands)?;
    let sdk = ctx.sdk().await?;
    let sts = crate::aws_client!(aws_sdk_sts, &sdk);
    let who = sts.get_caller_identity().send().await.aws_context("asking STS who you are (GetCallerIdentity)")?;
    let principal = crate::permissions::principal(who.arn().unwrap_or_default());
    let iam = crate::aws_client!(aws_sdk_iam, &sdk);
    let findings = crate::permissions::check(&iam, &principal, &chosen).await?;
    let missing = findings.iter().any(|f| f.status == crate::finding::Status::Fail);
    let mut out = ctx.emitter().on_empty("the commands named call no AWS API");
    for finding in &findings {
        out.emit(finding)?;
    }
    out.finish()?;
    Ok(if missing { Exit::No } else { Exit::Success })
}
