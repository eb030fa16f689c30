//! Validated settings for one run ("high args"): flags, environment and config merged once,
//! before any work starts, so the rest of a tool never sees half-checked input.

use std::io::{self, BufRead, IsTerminal, Write};

use aws_config::SdkConfig;
use tokio::sync::OnceCell;

use crate::aws::{self, AwsSettings};
use crate::cli::Globals;
use crate::config::Config;
use crate::environment::{Environment, validate_name};
use crate::error::{Error, Result};
use crate::output::{Emitter, Format};

/// `--endpoint-url` must be an http(s) URL with a host, or every call would fail later with a
/// misleading "could not reach".
fn validate_endpoint(url: &str) -> Result<()> {
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    if host.is_none_or(|h| h.is_empty() || h.starts_with('/') || h.contains(char::is_whitespace)) {
        return Err(Error::usage(format!("invalid --endpoint-url `{url}`: expected http(s)://HOST[:PORT]")));
    }
    Ok(())
}

pub struct Context {
    pub tool: &'static str,
    pub config: Config,
    app: Option<String>,
    env: Option<String>,
    pub format: Format,
    pub color: bool,
    pub dry_run: bool,
    pub yes: bool,
    pub quiet: bool,
    aws: AwsSettings,
    sdk: OnceCell<SdkConfig>,
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
        let env_config = globals.env.as_deref().and_then(|name| config.environment(name));
        let pick = |flag: &Option<String>, per_env: Option<&Option<String>>, top: &Option<String>| {
            flag.clone().or_else(|| per_env.and_then(Clone::clone)).or_else(|| top.clone())
        };
        let aws = AwsSettings {
            profile: pick(&globals.profile, env_config.as_ref().map(|e| &e.profile), &config.profile),
            region: pick(&globals.region, env_config.as_ref().map(|e| &e.region), &config.region),
            endpoint_url: globals.endpoint_url.clone(),
            role_arn: pick(&globals.role_arn, env_config.as_ref().map(|e| &e.role_arn), &config.role_arn),
        };
        if let Some(region) = &aws.region {
            let valid =
                !region.is_empty() && region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                let err = format!("invalid AWS region `{region}` (like us-east-1)");
                return Err(if globals.region.is_some() { Error::usage(err) } else { Error::config(err) });
            }
        }
        let format = globals.output.unwrap_or_else(Format::default_for_stdout);
        let color = !globals.no_color && !crate::log::no_color_env() && io::stdout().is_terminal();
        Ok(Context {
            tool,
            config,
            app,
            env: globals.env.clone(),
            format,
            color,
            dry_run: globals.dry_run,
            yes: globals.yes,
            quiet: globals.quiet > 0,
            aws,
            sdk: OnceCell::new(),
        })
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

    /// The environment selected with `-e`, which must be declared in the config.
    pub fn environment(&self) -> Result<Option<Environment>> {
        self.env.as_deref().map(|name| self.declared_environment(name)).transpose()
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

    pub fn aws_settings(&self) -> &AwsSettings {
        &self.aws
    }

    /// The process's one `SdkConfig`, built on first use.
    pub async fn sdk(&self) -> Result<&SdkConfig> {
        self.sdk.get_or_try_init(|| aws::load(&self.aws)).await
    }

    /// An emitter on stdout in the chosen format.
    pub fn emitter(&self) -> Emitter<io::BufWriter<io::Stdout>> {
        Emitter::stdout(self.format, self.color)
    }

    /// Whether there is a person at a terminal to ask.
    pub fn can_ask(&self) -> bool {
        io::stdin().is_terminal() && io::stderr().is_terminal()
    }

    /// Ask before a destructive action: `--yes` confirms; at a terminal the user is asked;
    /// without one the action is refused, so a script never deletes by accident.
    pub fn confirm(&self, action: &str) -> Result<()> {
        if self.yes {
            return Ok(());
        }
        if !self.can_ask() {
            return Err(Error::usage(format!("refusing to {action} without confirmation"))
                .with_hint("pass --yes (-y) to confirm; there is no terminal to ask"));
        }
        let mut stderr = io::stderr().lock();
        let _ = write!(stderr, "{}: {action}? [y/N] ", self.tool);
        let _ = stderr.flush();
        let mut answer = String::new();
        io::stdin().lock().read_line(&mut answer).map_err(|e| Error::usage(format!("cannot read the answer: {e}")))?;
        if matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
            Ok(())
        } else {
            Err(Error::usage(format!("did not {action}: not confirmed")))
        }
    }
}
