//! Validated settings for one run ("high args"): flags, environment and config merged once,
//! before any work starts, so the rest of a tool never sees half-checked input.

use std::collections::HashMap;
use std::io::{self, IsTerminal};
use std::time::Duration;

use aws_config::SdkConfig;
use serde::Serialize;

use crate::aws::{self, AwsSettings};
use crate::cli::Globals;
use crate::config::Config;
use crate::env_vars;
use crate::environment::{Environment, validate_name};
use crate::error::{Error, Result};
use crate::output::{Emitter, Format, Style};

/// `--endpoint-url` must be an http(s) URL with a host, or every call would fail later with a
/// misleading "could not reach".
fn validate_endpoint(url: &str) -> Result<()> {
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    if host.is_none_or(|h| h.is_empty() || h.starts_with('/') || h.contains(char::is_whitespace)) {
        return Err(Error::usage(format!("invalid --endpoint-url `{url}`: expected http(s)://HOST[:PORT]")));
    }
    Ok(())
}

fn validate_region(region: &str) -> Result<()> {
    let valid = !region.is_empty() && region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid { Ok(()) } else { Err(Error::config(format!("invalid AWS region `{region}` (like us-east-1)"))) }
}

pub struct Context {
    pub tool: &'static str,
    pub config: Config,
    app: Option<String>,
    env: Option<String>,
    pub format: Format,
    pub color: bool,
    /// Tables show whole values (`--wide`).
    pub wide: bool,
    pub dry_run: bool,
    pub yes: bool,
    pub quiet: bool,
    flags: AwsSettings,
    /// The tool's IAM actions per command, for `doctor`.
    pub permissions: &'static [crate::permissions::Permission],
    /// One `SdkConfig` per distinct set of settings, built on first use.
    sdks: tokio::sync::Mutex<HashMap<AwsSettings, SdkConfig>>,
}

/// Where each AWS setting of an environment came from, as `doctor` reports it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SettingSources {
    pub profile: String,
    pub region: String,
    pub role_arn: String,
    pub credentials: String,
}

impl Context {
    pub fn new(tool: &'static str, globals: &Globals) -> Result<Context> {
        let config = Config::load(globals.config.as_deref())?;
        let app = globals.app.clone().or_else(|| config.app.clone());
        if let Some(app) = &app {
            validate_name("app", app)?;
        }
        if let Some(env) = &globals.env {
            validate_name("environment", env)?;
        }
        if let Some(url) = &globals.endpoint_url {
            validate_endpoint(url)?;
        }
        if let Some(region) = &globals.region {
            validate_region(region).map_err(|e| Error::usage(e.to_string()))?;
        }
        let timeout = match std::env::var(env_vars::OPSKIT_TIMEOUT).ok().filter(|v| !v.is_empty()) {
            Some(text) => Some(humantime::parse_duration(&text).ok().filter(|d| !d.is_zero()).ok_or_else(|| {
                Error::config(format!("{}=`{text}`: use a duration such as 30s or 2m", env_vars::OPSKIT_TIMEOUT))
            })?),
            None => config.timeout,
        };
        let flags = AwsSettings {
            profile: globals.profile.clone(),
            region: globals.region.clone(),
            endpoint_url: globals.endpoint_url.clone(),
            role_arn: globals.role_arn.clone(),
            timeout,
        };
        let format = globals.output.unwrap_or_else(Format::default_for_stdout);
        let color = !globals.no_color && !crate::log::no_color_env() && io::stdout().is_terminal();
        let ctx = Context {
            tool,
            config,
            app,
            env: globals.env.clone(),
            format,
            color,
            wide: globals.wide,
            dry_run: globals.dry_run,
            yes: globals.yes,
            quiet: globals.quiet > 0,
            flags,
            permissions: &[],
            sdks: tokio::sync::Mutex::new(HashMap::new()),
        };
        // Settings that are wrong for every command fail now, not at the first AWS call.
        ctx.aws_settings(ctx.env.as_deref())?;
        Ok(ctx)
    }

    /// The application name, required by commands that address its resources.
    pub fn app(&self) -> Result<&str> {
        self.app.as_deref().ok_or_else(|| {
            Error::config("no application name")
                .with_hint("pass --app NAME, set OPSKIT_APP, or put `app = \"NAME\"` in opskit.toml")
        })
    }

    pub fn app_if_known(&self) -> Option<&str> {
        self.app.as_deref()
    }

    /// The environment named with `-e`/`OPSKIT_ENV`, if any.
    pub fn env_name(&self) -> Option<&str> {
        self.env.as_deref()
    }

    /// A command's own ENV argument merged with `-e`/`OPSKIT_ENV`: either fills the other; both
    /// given and different is a usage error; neither is one too.
    pub fn env_arg(&self, given: Option<&str>) -> Result<String> {
        match (given, self.env.as_deref()) {
            (Some(given), Some(global)) if given != global => Err(Error::usage(format!(
                "two environments given: `{given}` as the argument and `{global}` with -e/OPSKIT_ENV"
            ))
            .with_hint("give one of them (unset OPSKIT_ENV, or leave out the argument)")),
            (Some(name), _) | (None, Some(name)) => {
                validate_name("environment", name)?;
                Ok(name.to_owned())
            }
            (None, None) => Err(Error::usage("no environment given")
                .with_hint("name it as the command's ENV argument, or with -e ENV (or OPSKIT_ENV)")),
        }
    }

    /// A command's two environment arguments (`diff A B`, `copy SRC DST`): `-e`/OPSKIT_ENV
    /// fills the first when only one is given; given with both, it must name the first.
    pub fn env_pair(&self, first: &str, second: Option<&str>) -> Result<(String, String)> {
        match second {
            Some(second) => {
                validate_name("environment", second)?;
                Ok((self.env_arg(Some(first))?, second.to_owned()))
            }
            None if self.env.is_some() => {
                validate_name("environment", first)?;
                Ok((self.env_arg(None)?, first.to_owned()))
            }
            None => Err(Error::usage(format!("only one environment given (`{first}`); this command takes two"))
                .with_hint("name both, or the first with -e ENV (or OPSKIT_ENV)")),
        }
    }

    /// The environment selected with `-e`: as declared in the config, else with the tier its
    /// name implies.
    pub fn environment(&self) -> Option<Environment> {
        self.env.as_deref().map(|name| {
            self.config.environment(name).unwrap_or_else(|| Environment::undeclared(name, crate::Tier::infer(name)))
        })
    }

    /// A declared environment by name; unknown names are "not found" with the known ones listed.
    pub fn declared_environment(&self, name: &str) -> Result<Environment> {
        validate_name("environment", name)?;
        self.config.environment(name).ok_or_else(|| {
            let known: Vec<&str> = self.config.envs.keys().map(String::as_str).collect();
            let hint = match (self.config.file(), known.is_empty()) {
                (None, _) => "no opskit.toml found: create one with [envs.NAME] tables, or pass --config".to_owned(),
                (Some(file), true) => format!("{} declares no environments: add [envs.{name}]", file.display()),
                (Some(file), false) => format!("{} declares: {}", file.display(), known.join(", ")),
            };
            Error::not_found(format!("environment `{name}` is not declared")).with_hint(hint)
        })
    }

    /// The AWS settings for calls about `env` (or for no environment): for each of profile,
    /// region and role, the flag; then the environment's own settings in opskit.toml; then the
    /// top-level config; then (left to the SDK) the ambient AWS variables and profile.
    pub fn aws_settings(&self, env: Option<&str>) -> Result<AwsSettings> {
        let per_env = env.and_then(|name| self.config.envs.get(name));
        let pick = |flag: &Option<String>, of_env: Option<&Option<String>>, top: &Option<String>| {
            flag.clone().or_else(|| of_env.cloned().flatten()).or_else(|| top.clone())
        };
        let settings = AwsSettings {
            profile: pick(&self.flags.profile, per_env.map(|e| &e.profile), &self.config.profile),
            region: pick(&self.flags.region, per_env.map(|e| &e.region), &self.config.region),
            endpoint_url: self.flags.endpoint_url.clone(),
            role_arn: pick(&self.flags.role_arn, per_env.map(|e| &e.role_arn), &self.config.role_arn),
            timeout: self.flags.timeout,
        };
        if let Some(region) = &settings.region
            && self.flags.region.is_none()
        {
            validate_region(region).map_err(|e| {
                let file = self.config.file().map_or_else(String::new, |f| format!("{}: ", f.display()));
                Error::config(format!("{file}{e}"))
            })?;
        }
        Ok(settings)
    }

    /// Where each setting for `env` came from (for `doctor`).
    pub fn setting_sources(&self, env: Option<&str>) -> SettingSources {
        let from = |flag: &Option<String>, flag_name: &str, key: &str, ambient: &[&str]| -> String {
            if flag.is_some() {
                return format!("flag {flag_name}");
            }
            if let Some(env) = env
                && let Some(file) = self.config.origin(&format!("envs.{env}.{key}"))
            {
                return format!("{} [envs.{env}]", file.display());
            }
            if let Some(file) = self.config.origin(key) {
                return file.display().to_string();
            }
            ambient
                .iter()
                .find(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
                .map_or_else(String::new, |v| (*v).to_owned())
        };
        let mut region = from(&self.flags.region, "--region", "region", &["AWS_REGION", "AWS_DEFAULT_REGION"]);
        let profile = from(&self.flags.profile, "--profile", "profile", &["AWS_PROFILE"]);
        let mut role_arn = from(&self.flags.role_arn, "--role-arn", "role_arn", &[]);
        if role_arn.is_empty() && std::env::var_os(env_vars::OPSKIT_ROLE_ARN).is_some() {
            env_vars::OPSKIT_ROLE_ARN.clone_into(&mut role_arn);
        }
        let named_profile = !profile.is_empty() && profile != "AWS_PROFILE";
        if region.is_empty() {
            region = "the AWS profile or instance metadata".into();
        }
        let var = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
        let base = if named_profile {
            "the profile's own credentials".to_owned()
        } else if var("AWS_ACCESS_KEY_ID") {
            "environment (AWS_ACCESS_KEY_ID)".to_owned()
        } else if var("AWS_PROFILE") {
            "the profile in AWS_PROFILE".to_owned()
        } else if var("AWS_WEB_IDENTITY_TOKEN_FILE") {
            "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)".to_owned()
        } else {
            "the default profile, container or instance metadata".to_owned()
        };
        let credentials = if role_arn.is_empty() { base } else { format!("assumed role over {base}") };
        SettingSources {
            profile: if profile.is_empty() { "none (default)".into() } else { profile },
            region,
            role_arn: if role_arn.is_empty() { "none".into() } else { role_arn },
            credentials,
        }
    }

    /// The `SdkConfig` for calls that concern no particular environment, or the one named with
    /// `-e` when given.
    pub async fn sdk(&self) -> Result<SdkConfig> {
        self.sdk_for_settings(self.aws_settings(self.env.as_deref())?).await
    }

    /// The `SdkConfig` for calls about `env`: its own profile, region and role when opskit.toml
    /// gives them, so a command spanning two environments can span two accounts.
    pub async fn sdk_for(&self, env: &str) -> Result<SdkConfig> {
        self.sdk_for_settings(self.aws_settings(Some(env))?).await
    }

    async fn sdk_for_settings(&self, settings: AwsSettings) -> Result<SdkConfig> {
        let mut sdks = self.sdks.lock().await;
        if let Some(sdk) = sdks.get(&settings) {
            return Ok(sdk.clone());
        }
        let sdk = aws::load(&settings).await?;
        sdks.insert(settings, sdk.clone());
        Ok(sdk)
    }

    /// An emitter on stdout in the chosen format.
    pub fn emitter(&self) -> Emitter<io::BufWriter<io::Stdout>> {
        Emitter::stdout(self.format, Style::for_stdout(self.color, self.wide))
    }

    /// Whether there is a person at a terminal to ask.
    pub fn can_ask(&self) -> bool {
        io::stdin().is_terminal() && io::stderr().is_terminal()
    }

    /// Ask before a destructive action: `--yes` confirms; at a terminal the user is asked (and
    /// declining is the answer "no", exit 1); without one the action is refused, so a script
    /// never deletes by accident.
    pub fn confirm(&self, action: &str) -> Result<()> {
        if self.yes {
            return Ok(());
        }
        if !self.can_ask() {
            return Err(Error::usage(format!("refusing to {action} without confirmation"))
                .with_hint("pass --yes (-y) to confirm; there is no terminal to ask"));
        }
        if crate::prompt::yes_no(&format!("{}: {action}?", self.tool))? {
            Ok(())
        } else {
            Err(Error::new(crate::Exit::No, format!("did not {action}: not confirmed")))
        }
    }

    /// Show the plan (at a terminal), then ask as [`Context::confirm`] does: the question is
    /// about something the person has seen. `--yes` skips both.
    pub fn confirm_plan(&self, title: &str, items: &[crate::prompt::PlanItem<'_>], action: &str) -> Result<()> {
        if !self.yes && self.can_ask() {
            crate::prompt::show_plan(title, items);
        }
        self.confirm(action)
    }

    /// The overall deadline of one AWS call.
    pub fn timeout(&self) -> Duration {
        self.flags.timeout.unwrap_or(aws::DEFAULT_TIMEOUT)
    }
}
