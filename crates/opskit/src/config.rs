//! `opskit.toml`: discovery, validation and merging.
//!
//! Sources, later wins, key by key: the project's `opskit.toml` (found from the working directory
//! upwards, committed with the application), then the user's own config
//! (`~/.config/opskit/config.toml`, for what differs on their machine, such as profile names),
//! then `OPSKIT_*` variables and flags (applied by [`crate::Context`]). `--config PATH` names
//! the one file to read instead.
//!
//! The project decides what safety rests on: `app` and every environment's `tier`. The user's
//! file may repeat them but not change them (nor lower a tier the project leaves to the
//! environment's name), so a home directory cannot retarget every project or turn prod into dev.
//! Unknown keys are errors naming the file and line, so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::env_vars;
use crate::environment::{EnvConfig, Environment, Tier};
use crate::error::{Error, Result};

pub const PROJECT_FILE: &str = "opskit.toml";
/// Where an environment's parameters live in SSM Parameter Store.
pub const DEFAULT_PARAM_PREFIX: &str = "/{app}/{env}";
/// The AWS tag that marks an environment's resources.
pub const DEFAULT_ENV_TAG: &str = "env";

/// The merged configuration of all files found.
#[derive(Debug, Default)]
pub struct Config {
    pub app: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
    pub role_arn: Option<String>,
    pub param_prefix: Option<String>,
    pub env_tag: Option<String>,
    /// `timeout`: the overall deadline of one AWS call, retries included.
    pub timeout: Option<std::time::Duration>,
    pub envs: BTreeMap<String, EnvConfig>,
    /// The files read, least specific first.
    files: Vec<SourceFile>,
    /// Which file set each value (`region`, `envs.staging.profile`, …), for `doctor`.
    origins: BTreeMap<String, PathBuf>,
}

/// Which part a file plays: the project's (it decides app and tiers) or the user's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Project,
    User,
}

#[derive(Debug)]
struct SourceFile {
    path: PathBuf,
    text: String,
}

/// One file's contents, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    app: Option<String>,
    region: Option<String>,
    profile: Option<String>,
    role_arn: Option<String>,
    param_prefix: Option<String>,
    env_tag: Option<String>,
    timeout: Option<String>,
    #[serde(skip)]
    timeout_parsed: Option<std::time::Duration>,
    #[serde(default)]
    envs: BTreeMap<String, EnvConfig>,
    // Tool sections are checked by their own tool (`Config::section`), so one tool's new key
    // doesn't break the others; here they are only allowed to exist.
    #[allow(dead_code)]
    dbdump: Option<IgnoredAny>,
    #[allow(dead_code)]
    envctl: Option<IgnoredAny>,
    #[allow(dead_code)]
    costq: Option<IgnoredAny>,
    #[allow(dead_code)]
    accessgrant: Option<IgnoredAny>,
    #[allow(dead_code)]
    sesconfig: Option<IgnoredAny>,
}

impl Config {
    /// Find and read the config files. `explicit` is `--config`/`OPSKIT_CONFIG`: that file alone,
    /// and it must exist.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let paths = if let Some(path) = explicit {
            if !path.is_file() {
                return Err(Error::config(format!("config file {} not found", path.display()))
                    .with_hint(format!("check the path given with --config or {}", env_vars::OPSKIT_CONFIG)));
            }
            vec![(path.to_path_buf(), Role::Project)]
        } else {
            let cwd = std::env::current_dir().ok();
            let project = cwd.as_deref().and_then(find_project_file).map(|p| (p, Role::Project));
            let user = user_config_path().filter(|p| p.is_file()).map(|p| (p, Role::User));
            project.into_iter().chain(user).collect()
        };
        let mut config = Config::default();
        for (path, role) in paths {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::config(format!("cannot read config file {}: {e}", path.display())))?;
            config.read(path, text, role)?;
        }
        Ok(config)
    }

    /// Parse one document as the project's file, as [`Config::load`] does (for tests and tools).
    pub fn from_str(path: &Path, text: &str) -> Result<Config> {
        let mut config = Config::default();
        config.read(path.to_path_buf(), text.to_owned(), Role::Project)?;
        Ok(config)
    }

    fn read(&mut self, path: PathBuf, text: String, role: Role) -> Result<()> {
        let file = parse_file(&path, &text)?;
        if role == Role::User {
            self.check_user_file(&path, &text, &file)?;
        }
        self.merge(&path, file);
        self.files.push(SourceFile { path, text });
        Ok(())
    }

    /// The user's file may not change the app or an environment's tier (DESIGN.md, "Config").
    fn check_user_file(&self, path: &Path, text: &str, file: &FileConfig) -> Result<()> {
        let project = self.files.last().map(|f| f.path.display().to_string());
        if let Some(app) = &file.app
            && self.app.as_ref() != Some(app)
        {
            let why = match (&self.app, &project) {
                (Some(ours), Some(p)) => format!("{p} says `{ours}`"),
                _ => "the app is decided by the project's opskit.toml".to_owned(),
            };
            let err = Error::config(format!("`app = \"{app}\"` in the user config is refused: {why}"));
            return Err(config_error(path, text, "app", &err)
                .with_hint("remove `app` from the user config; pass --app or OPSKIT_APP for a one-off"));
        }
        for (name, env) in &file.envs {
            let Some(tier) = env.tier else { continue };
            let decided = self.envs.get(name).and_then(|e| e.tier);
            let project_tier = decided.unwrap_or_else(|| Tier::infer(name));
            if tier != project_tier {
                let why = match (decided, &project) {
                    (Some(t), Some(p)) => format!("{p} says `{t}`"),
                    _ => format!("an environment the project does not declare is `{project_tier}` by its name"),
                };
                let err =
                    Error::config(format!("`[envs.{name}] tier = \"{tier}\"` in the user config is refused: {why}"));
                return Err(config_error(path, text, &format!("[envs.{name}]"), &err).with_hint(
                    "tiers are decided in the project's committed opskit.toml; remove `tier` from the user config",
                ));
            }
        }
        Ok(())
    }

    fn merge(&mut self, path: &Path, file: FileConfig) {
        let mut later = |slot: &mut Option<String>, value: Option<String>, key: String| {
            if value.is_some() {
                *slot = value;
                self.origins.insert(key, path.to_path_buf());
            }
        };
        later(&mut self.app, file.app, "app".into());
        later(&mut self.region, file.region, "region".into());
        later(&mut self.profile, file.profile, "profile".into());
        later(&mut self.role_arn, file.role_arn, "role_arn".into());
        later(&mut self.param_prefix, file.param_prefix, "param_prefix".into());
        later(&mut self.env_tag, file.env_tag, "env_tag".into());
        for (name, env) in file.envs {
            let slot = self.envs.entry(name.clone()).or_default();
            later(&mut slot.profile, env.profile, format!("envs.{name}.profile"));
            later(&mut slot.region, env.region, format!("envs.{name}.region"));
            later(&mut slot.role_arn, env.role_arn, format!("envs.{name}.role_arn"));
            if env.tier.is_some() {
                slot.tier = env.tier;
            }
        }
        if let Some(timeout) = file.timeout_parsed {
            self.timeout = Some(timeout);
        }
    }

    /// The file that set a value (`region`, `envs.staging.profile`), if any did.
    pub fn origin(&self, key: &str) -> Option<&Path> {
        self.origins.get(key).map(PathBuf::as_path)
    }

    /// The files that were read, in the order they were applied.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    /// The last file applied, if any.
    pub fn file(&self) -> Option<&Path> {
        self.files().last()
    }

    /// A declared environment, with its tier resolved.
    pub fn environment(&self, name: &str) -> Option<Environment> {
        self.envs.get(name).map(|c| Environment::declared(name, c))
    }

    pub fn param_prefix(&self) -> &str {
        self.param_prefix.as_deref().unwrap_or(DEFAULT_PARAM_PREFIX)
    }

    pub fn env_tag(&self) -> &str {
        self.env_tag.as_deref().unwrap_or(DEFAULT_ENV_TAG)
    }

    /// A tool's own section (`[dbdump]`, …), validated by the tool's type: unknown keys and bad
    /// values are errors naming file and line. The section is taken whole from the last file
    /// that has one (the user's config over the project's).
    pub fn section<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        Ok(self.section_located::<T>(name)?.map(|s| s.value))
    }

    /// [`Config::section`], with the file it was read from: a tool checking what serde cannot
    /// (a value that must not be empty, two values that must agree) names file and line too,
    /// from the spans of the values it keeps as `toml::Spanned`.
    pub fn section_located<T: DeserializeOwned>(&self, name: &str) -> Result<Option<Section<T>>> {
        for file in self.files.iter().rev() {
            let parsed = toml::Deserializer::parse(&file.text)
                .and_then(|de| SectionSeed::<T> { name, _type: PhantomData }.deserialize(de));
            match parsed {
                Ok(Some(value)) => {
                    return Ok(Some(Section { value, path: file.path.clone(), text: file.text.clone() }));
                }
                Ok(None) => {}
                Err(e) => return Err(located(&file.path, &file.text, &e)),
            }
        }
        Ok(None)
    }
}

/// A tool's section of a config file, with the file it came from.
#[derive(Debug)]
pub struct Section<T> {
    pub value: T,
    path: PathBuf,
    text: String,
}

impl<T> Section<T> {
    /// The file the section was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A config error about the value at `span` (a `toml::Spanned` value's span): `path:line: message`.
    pub fn error_at(&self, span: std::ops::Range<usize>, message: impl fmt::Display) -> Error {
        Error::config(format!("{}:{}: {message}", self.path.display(), line_of(&self.text, span.start)))
    }
}

fn parse_file(path: &Path, text: &str) -> Result<FileConfig> {
    let mut file: FileConfig = toml::from_str(text).map_err(|e| located(path, text, &e))?;
    if let Some(timeout) = &file.timeout {
        let parsed = humantime::parse_duration(timeout)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| Error::config(format!("timeout = \"{timeout}\": use a duration such as 30s or 2m")))
            .map_err(|e| config_error(path, text, "timeout", &e))?;
        file.timeout_parsed = Some(parsed);
    }
    if let Some(app) = &file.app {
        crate::environment::validate_name("app", app).map_err(|e| config_error(path, text, "app", &e))?;
    }
    for name in file.envs.keys() {
        crate::environment::validate_name("environment", name)
            .map_err(|e| config_error(path, text, &format!("[envs.{name}]"), &e))?;
    }
    Ok(file)
}

/// A config error naming the line where `needle` first appears.
fn config_error(path: &Path, text: &str, needle: &str, err: &Error) -> Error {
    let offset = text.find(needle).unwrap_or(0);
    Error::config(format!("{}:{}: {err}", path.display(), line_of(text, offset)))
}

/// A TOML error as one line: `path:line: message`.
fn located(path: &Path, text: &str, err: &toml::de::Error) -> Error {
    let line = err.span().map_or(String::new(), |span| format!(":{}", line_of(text, span.start)));
    Error::config(format!("{}{line}: {}", path.display(), err.message().trim()))
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// `$XDG_CONFIG_HOME/opskit/config.toml`, else `~/.config/opskit/config.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os(env_vars::XDG_CONFIG_HOME)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("opskit").join("config.toml"))
}

fn find_project_file(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|dir| dir.join(PROJECT_FILE)).find(|p| p.is_file())
}

/// Deserializes only the named top-level table of a document, skipping the rest, so that errors
/// inside it keep their position in the file.
struct SectionSeed<'a, T> {
    name: &'a str,
    _type: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for SectionSeed<'_, T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, de: D) -> std::result::Result<Option<T>, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for SectionSeed<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a TOML document")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Option<T>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.name {
                found = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::environment::Tier;

    fn parse(text: &str) -> Result<Config> {
        Config::from_str(Path::new("opskit.toml"), text)
    }

    #[test]
    fn reads_the_design_example() {
        let c = parse(
            "app = \"casetracker\"\nregion = \"us-east-1\"\n\n[envs.dev]\ntier = \"dev\"\nprofile = \"casetracker-dev\"\n[envs.staging]\ntier = \"staging\"\n[envs.prod]\ntier = \"prod\"\n\n[dbdump]\nstore = \"s3://x\"\n",
        )
        .unwrap();
        assert_eq!(c.app.as_deref(), Some("casetracker"));
        let dev = c.environment("dev").unwrap();
        assert_eq!(dev.tier, Tier::Dev);
        assert_eq!(dev.profile.as_deref(), Some("casetracker-dev"));
        assert_eq!(c.environment("prod").unwrap().tier, Tier::Prod);
        assert!(c.environment("qa").is_none());
        assert_eq!(c.param_prefix(), "/{app}/{env}");
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let err = parse("app = \"x\"\nregoin = \"us-east-1\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("opskit.toml:2: unknown field `regoin`"), "{msg}");
        assert_eq!(err.exit(), crate::Exit::Config);
    }

    #[test]
    fn unknown_key_in_an_env_names_its_line() {
        let msg = parse("[envs.dev]\ntier = \"dev\"\n\n[envs.prod]\ntire = \"prod\"\n").unwrap_err().to_string();
        assert!(msg.starts_with("opskit.toml:5: unknown field `tire`"), "{msg}");
    }

    #[test]
    fn bad_tier_is_an_error() {
        let msg = parse("[envs.dev]\ntier = \"production\"\n").unwrap_err().to_string();
        assert!(msg.contains("opskit.toml:2:") && msg.contains("production"), "{msg}");
    }

    #[test]
    fn malformed_toml_names_the_line() {
        let msg = parse("app = \"x\"\n\n[envs.dev\n").unwrap_err().to_string();
        assert!(msg.starts_with("opskit.toml:3:"), "{msg}");
    }

    #[test]
    fn bad_env_name_is_an_error() {
        let msg = parse("[envs.\"dev/x\"]\ntier = \"dev\"\n").unwrap_err().to_string();
        assert!(msg.starts_with("opskit.toml:1:"), "{msg}");
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DumpSection {
        store: String,
    }

    #[test]
    fn tool_sections_are_validated_by_their_tool_with_lines() {
        let c = parse("app = \"x\"\n[dbdump]\nstore = \"s3://b\"\n").unwrap();
        assert_eq!(c.section::<DumpSection>("dbdump").unwrap().unwrap().store, "s3://b");
        assert!(c.section::<DumpSection>("costq").unwrap().is_none());
        let c = parse("app = \"x\"\n\n[dbdump]\nstore = \"s3://b\"\nstroe = 1\n").unwrap();
        let msg = c.section::<DumpSection>("dbdump").unwrap_err().to_string();
        assert!(msg.starts_with("opskit.toml:5: unknown field `stroe`"), "{msg}");
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Spanned {
        names: toml::Spanned<Vec<String>>,
    }

    #[test]
    fn a_located_section_names_the_line_of_a_value() {
        let c = parse("app = \"x\"\n[costq]\n\nnames = []\n").unwrap();
        let section = c.section_located::<Spanned>("costq").unwrap().unwrap();
        assert_eq!(section.path(), Path::new("opskit.toml"));
        let err = section.error_at(section.value.names.span(), "at least one name");
        assert_eq!(err.to_string(), "opskit.toml:4: at least one name");
        assert_eq!(err.exit(), crate::Exit::Config);
    }

    #[test]
    fn unknown_tool_section_is_an_error() {
        let msg = parse("[dbdmp]\nstore = \"x\"\n").unwrap_err().to_string();
        assert!(msg.contains("unknown field `dbdmp`"), "{msg}");
    }

    #[test]
    fn later_files_win() {
        let mut c = Config::default();
        let text = "app = \"a\"\nregion = \"eu-west-1\"\n[envs.dev]\ntier = \"dev\"";
        c.read("opskit.toml".into(), text.into(), Role::Project).unwrap();
        let user = "region = \"us-east-1\"\n[envs.prod]\ntier = \"prod\"\n[envs.dev]\nprofile = \"mine\"";
        c.read("user.toml".into(), user.into(), Role::User).unwrap();
        assert_eq!(c.app.as_deref(), Some("a"));
        assert_eq!(c.region.as_deref(), Some("us-east-1"));
        assert_eq!(c.origin("region"), Some(Path::new("user.toml")));
        assert_eq!(c.origin("app"), Some(Path::new("opskit.toml")));
        assert_eq!(c.envs.len(), 2);
        // Environments merge field by field: the tier stays, the profile is the later file's.
        let dev = c.environment("dev").unwrap();
        assert_eq!((dev.tier, dev.profile.as_deref()), (Tier::Dev, Some("mine")));
        assert_eq!(c.origin("envs.dev.profile"), Some(Path::new("user.toml")));
    }

    fn with_user(project: &str, user: &str) -> Result<Config> {
        let mut c = Config::default();
        c.read("opskit.toml".into(), project.into(), Role::Project)?;
        c.read("user.toml".into(), user.into(), Role::User)?;
        Ok(c)
    }

    #[test]
    fn the_user_file_cannot_change_the_app_or_lower_a_tier() {
        let err = with_user("app = \"a\"\n", "\napp = \"b\"\n").unwrap_err();
        assert_eq!(err.exit(), crate::Exit::Config);
        assert!(
            err.to_string()
                .starts_with("user.toml:2: `app = \"b\"` in the user config is refused: opskit.toml says `a`"),
            "{err}"
        );
        let err = with_user("[envs.prod]\ntier = \"prod\"\n", "[envs.prod]\ntier = \"dev\"\n").unwrap_err();
        assert!(
            err.to_string().contains("tier = \"dev\"` in the user config is refused: opskit.toml says `prod`"),
            "{err}"
        );
        // Undeclared by the project, prod is prod by its name.
        let err = with_user("app = \"a\"\n", "[envs.prod]\ntier = \"dev\"\n").unwrap_err();
        assert!(err.to_string().contains("is `prod` by its name"), "{err}");
        // Repeating the project's values, and adding per-machine settings, is fine.
        let c = with_user(
            "app = \"a\"\n[envs.prod]\ntier = \"prod\"\n",
            "app = \"a\"\n[envs.prod]\ntier = \"prod\"\nprofile = \"p\"\n[envs.demo]\nregion = \"eu-west-1\"\n",
        )
        .unwrap();
        assert_eq!(c.environment("prod").unwrap().profile.as_deref(), Some("p"));
        assert_eq!(c.environment("demo").unwrap().tier, Tier::Prod);
    }

    #[test]
    fn timeout_is_a_duration() {
        assert_eq!(parse("timeout = \"90s\"\n").unwrap().timeout, Some(std::time::Duration::from_secs(90)));
        let err = parse("app = \"x\"\ntimeout = \"soon\"\n").unwrap_err().to_string();
        assert!(err.starts_with("opskit.toml:2: timeout = \"soon\""), "{err}");
    }
}
