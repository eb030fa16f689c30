//! `connect`: open the SSM shell (or port forward) a grant allows, through the AWS CLI's
//! `ssm start-session` and its Session Manager plugin, as the grantee. The connection is in the
//! audit log before it opens: no session goes unrecorded.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;

use aws_credential_types::provider::ProvideCredentials;
use opskit::{Error, Exit};

use crate::app::{AccessGrant, check_id, identify};
use crate::grant::State;
use crate::principal::{Principal, SSO_ROLE_PREFIX};
use crate::settings::Access;

pub const PLUGIN: &str = "session-manager-plugin";
const PLUGIN_INSTALL: &str =
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html";
/// SSM's document for a port forward to a host the instance reaches.
const PORT_FORWARD_DOCUMENT: &str = "AWS-StartPortForwardingSessionToRemoteHost";

pub struct ConnectArgs {
    pub id: String,
    pub target: Option<String>,
    pub port_forward: Option<(String, u16)>,
    pub local_port: Option<u16>,
}

/// `--port-forward HOST:PORT`.
pub fn parse_forward(text: &str) -> Result<(String, u16), String> {
    let (host, port) = text.rsplit_once(':').ok_or("expected HOST:PORT, such as db.internal:5432")?;
    let port: u16 = port.parse().map_err(|_| format!("`{port}` is not a port number"))?;
    if host.is_empty() || port == 0 {
        return Err("expected HOST:PORT, such as db.internal:5432".into());
    }
    Ok((host.to_owned(), port))
}

/// The instance a grant names, when it names exactly one (`arn:aws:ec2:…:instance/i-…`).
fn target_of(access: &Access) -> Option<String> {
    let mut ids = access.resources.iter().filter_map(|r| {
        let id = r.strip_prefix("arn:")?.rsplit_once(":instance/")?.1;
        (!id.is_empty() && !id.contains(['*', '?'])).then(|| id.to_owned())
    });
    let first = ids.next()?;
    ids.next().is_none().then_some(first)
}

/// A program on PATH, as the shell finds it.
fn on_path(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|p| p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}

pub async fn connect(app: &AccessGrant<'_>, args: ConnectArgs) -> anyhow::Result<Exit> {
    check_id(&args.id)?;
    let doc = app.read(&args.id).await?;
    let g = &doc.grant;
    match g.state_at(app.now) {
        State::Active => {}
        State::Pending => return Err(Error::usage(format!("grant {} is still waiting for approval", g.id)).into()),
        state => {
            return Err(Error::usage(format!("grant {} is {}: it gives no access", g.id, state.as_str()))
                .with_hint("`accessgrant request` asks for a new grant")
                .into());
        }
    }
    let sdk = app.ctx.sdk_for(&g.env).await?;
    let who = identify(&sdk, &format!("asking STS who you are in {}", g.env)).await?;
    if !g.is_grantee(&who) {
        return Err(Error::no_perm(format!("grant {} is for {}; you are {who}", g.id, g.grantee))
            .with_hint("connect with the grantee's credentials (--profile, or AWS_PROFILE)")
            .into());
    }
    if g.grantee_type == crate::principal::GranteeType::IdentityCenterUser
        && let Principal::Session { role, .. } = &who
        && !role.starts_with(&format!("{SSO_ROLE_PREFIX}{}_", g.policy_name()))
    {
        opskit::error::warn(&format!(
            "you are signed in with the permission set of {role}, not the grant's: use a profile with sso_role_name = {}",
            g.policy_name()
        ));
    }
    let Some(target) = args.target.clone().or_else(|| target_of(&g.access)) else {
        return Err(Error::usage(format!("grant {} allows more than one instance: name one with --target", g.id))
            .with_hint("--target i-0123456789abcdef0 (an instance or managed node id)")
            .into());
    };
    let aws = on_path("aws").ok_or_else(|| {
        Error::unavailable("the AWS CLI (`aws`) is not installed or not on PATH: connect runs `aws ssm start-session`")
            .with_hint(
                "install the AWS CLI: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
            )
    })?;
    if on_path(PLUGIN).is_none() {
        return Err(Error::unavailable(format!(
            "the Session Manager plugin (`{PLUGIN}`) is not installed or not on PATH: `aws ssm start-session` needs it"
        ))
        .with_hint(format!("install it from {PLUGIN_INSTALL} (Debian and Ubuntu: the session-manager-plugin .deb there), then run connect again"))
        .into());
    }
    let mut words: Vec<String> = vec!["ssm".into(), "start-session".into(), "--target".into(), target.clone()];
    if let Some((host, port)) = &args.port_forward {
        let local = args.local_port.unwrap_or(*port);
        let parameters = serde_json::json!({
            "host": [host],
            "portNumber": [port.to_string()],
            "localPortNumber": [local.to_string()],
        });
        words.extend([
            "--document-name".into(),
            PORT_FORWARD_DOCUMENT.into(),
            "--parameters".into(),
            parameters.to_string(),
        ]);
    }
    if let Some(region) = sdk.region() {
        words.extend(["--region".into(), region.to_string()]);
    }
    if let Some(url) = app.ctx.aws_settings(Some(&g.env))?.endpoint_url {
        words.extend(["--endpoint-url".into(), url]);
    }
    if app.ctx.dry_run {
        opskit::error::note(&format!("dry run: would record `connected` and run: aws {}", words.join(" ")));
        return Ok(Exit::Success);
    }
    // The CLI signs as the identity just checked, whatever its own configuration says.
    let credentials = sdk
        .credentials_provider()
        .ok_or_else(|| Error::no_perm("no AWS credentials to hand to the AWS CLI"))?
        .provide_credentials()
        .await
        .map_err(|e| opskit::aws::from_credentials(&e, "getting credentials for the AWS CLI"))?;
    let applied = app.apply(&args.id, |doc| doc.connect(&who, &target, app.now)).await?;
    opskit::error::note(&format!("{} (until {})", applied.note, app.until(&applied.doc)));
    let mut cmd = Command::new(aws);
    cmd.args(&words)
        .env_remove("AWS_PROFILE")
        .env("AWS_ACCESS_KEY_ID", credentials.access_key_id())
        .env("AWS_SECRET_ACCESS_KEY", credentials.secret_access_key());
    match credentials.session_token() {
        Some(token) => cmd.env("AWS_SESSION_TOKEN", token),
        None => cmd.env_remove("AWS_SESSION_TOKEN"),
    };
    // The session takes over this process: its exit code and every signal are the session's.
    let err = cmd.exec();
    Err(Error::unavailable(format!("cannot run the AWS CLI: {err}")).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_instance_is_the_target() {
        let access = |resources: &[&str]| Access {
            actions: vec![],
            resources: resources.iter().map(|r| (*r).to_owned()).collect(),
            conditions: serde_json::Map::new(),
        };
        assert_eq!(target_of(&access(&["arn:aws:ec2:us-east-1:111:instance/i-0abc"])).as_deref(), Some("i-0abc"));
        assert_eq!(target_of(&access(&["arn:aws:ec2:*:*:instance/*"])), None);
        assert_eq!(
            target_of(&access(&["arn:aws:ec2:us-east-1:111:instance/i-1", "arn:aws:ec2:us-east-1:111:instance/i-2"])),
            None
        );
        assert_eq!(target_of(&access(&["*"])), None);
    }

    #[test]
    fn port_forwards() {
        assert_eq!(parse_forward("db.internal:5432").unwrap(), ("db.internal".to_owned(), 5432));
        assert!(parse_forward("db.internal").is_err());
        assert!(parse_forward(":5432").is_err());
        assert!(parse_forward("h:0").is_err());
    }
}
