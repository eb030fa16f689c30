//! Parameter Store, as envctl uses it: paged and batched the way SSM's limits demand, with
//! independent calls run concurrently within a bound.
//!
//! SSM limits this file is built around: GetParametersByPath returns at most 10 a page (and may
//! return an empty page that still has a NextToken); GetParameters and DeleteParameters take at
//! most 10 names; the account shares about 40 requests a second, so concurrency is bounded and
//! the SDK's adaptive retry slows down when throttled.

use aws_sdk_ssm::Client;
use aws_sdk_ssm::error::ProvideErrorMetadata;
use aws_sdk_ssm::primitives::{DateTime, DateTimeFormat};
use aws_sdk_ssm::types::{ParameterTier, ParameterType};
use futures_util::stream::{self, StreamExt, TryStreamExt};
use opskit::aws::AwsResultExt;
use opskit::{Error, Result, Secret};
use serde::Deserialize;

/// Requests in flight at once: well inside SSM's shared per-account rate.
pub const CONCURRENCY: usize = 8;
/// SSM's batch size for GetParameters and DeleteParameters.
const BATCH: usize = 10;
/// The largest value a standard-tier parameter holds.
pub const STANDARD_MAX_BYTES: usize = 4096;
/// The largest value an advanced-tier parameter holds.
pub const ADVANCED_MAX_BYTES: usize = 8192;

/// How a parameter is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// SecureString, encrypted with KMS.
    Secure,
    /// String.
    Plain,
    /// StringList (read as text; envctl never writes one).
    #[value(skip)]
    List,
}

impl Kind {
    fn from_sdk(t: Option<&ParameterType>) -> Kind {
        match t {
            Some(ParameterType::SecureString) => Kind::Secure,
            Some(ParameterType::StringList) => Kind::List,
            _ => Kind::Plain,
        }
    }

    fn to_sdk(self) -> ParameterType {
        match self {
            Kind::Secure => ParameterType::SecureString,
            Kind::Plain => ParameterType::String,
            Kind::List => ParameterType::StringList,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Secure => "secure",
            Kind::Plain => "plain",
            Kind::List => "list",
        }
    }
}

/// `[envctl]` in opskit.toml.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// KMS key for SecureString values (default: the account's `alias/aws/ssm`).
    pub kms_key_id: Option<String>,
    /// `standard` (default), `advanced` or `intelligent-tiering`: values over 4 KB need one of
    /// the latter two.
    pub tier: Option<String>,
}

/// Which values a read brings back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Values {
    /// Names and metadata only.
    None,
    /// Values of plain (String) parameters, which are not secrets; secure ones stay out and
    /// are never decrypted.
    Plain,
    /// Every value, secure ones decrypted.
    All,
}

impl Values {
    fn decrypt(self) -> bool {
        self == Values::All
    }

    /// Whether a parameter of `kind` read this way keeps its value.
    pub fn keeps(self, kind: Kind) -> bool {
        match self {
            Values::None => false,
            Values::Plain => kind != Kind::Secure,
            Values::All => true,
        }
    }
}

/// One parameter (or one version of one).
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub kind: Kind,
    /// Present only when asked for (see [`Values`]).
    pub value: Option<Secret>,
    pub version: i64,
    pub last_modified: Option<String>,
    pub modified_by: Option<String>,
    pub labels: Vec<String>,
}

fn rfc3339(t: Option<&DateTime>) -> Option<String> {
    t.and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
}

impl Param {
    fn from_metadata(m: aws_sdk_ssm::types::ParameterMetadata) -> Param {
        Param {
            kind: Kind::from_sdk(m.r#type.as_ref()),
            last_modified: rfc3339(m.last_modified_date.as_ref()),
            modified_by: m.last_modified_user,
            name: m.name.unwrap_or_default(),
            value: None,
            version: m.version,
            labels: Vec::new(),
        }
    }

    fn from_parameter(p: aws_sdk_ssm::types::Parameter, values: Values) -> Param {
        let kind = Kind::from_sdk(p.r#type.as_ref());
        Param {
            kind,
            last_modified: rfc3339(p.last_modified_date.as_ref()),
            name: p.name.unwrap_or_default(),
            value: if values.keeps(kind) { p.value.map(Secret::from) } else { None },
            version: p.version,
            modified_by: None,
            labels: Vec::new(),
        }
    }
}

fn parse_tier(text: &str) -> Option<ParameterTier> {
    match text {
        "standard" => Some(ParameterTier::Standard),
        "advanced" => Some(ParameterTier::Advanced),
        "intelligent-tiering" => Some(ParameterTier::IntelligentTiering),
        _ => None,
    }
}

/// What happened to one key of a multi-key write.
pub type Outcome = std::result::Result<i64, Error>;

pub struct Store {
    ssm: Client,
    settings: Settings,
}

impl Settings {
    /// Refuse a bad `[envctl]` section before any work.
    pub fn validate(&self) -> Result<()> {
        if let Some(tier) = &self.tier {
            parse_tier(tier).ok_or_else(|| {
                Error::config(format!("[envctl] tier = \"{tier}\": use standard, advanced or intelligent-tiering"))
            })?;
        }
        Ok(())
    }
}

impl Store {
    pub fn new(ssm: Client, settings: Settings) -> Store {
        Store { ssm, settings }
    }

    /// Every parameter under `path`, recursively, all pages (empty pages included).
    pub async fn list(&self, path: &str, values: Values) -> Result<Vec<Param>> {
        // DescribeParameters gives up to 50 names a page (no values); each page's names are
        // fetched, 10 a request, while the next page is described, so the critical path is one
        // request per 50 keys plus one, not one per 10 as with GetParametersByPath. A server
        // whose describe pages are no bigger than 10 (the moto emulator's) gains nothing from
        // that and would double the requests: there, values are read page by page instead.
        let context = || format!("listing {path}");
        let mut describe = self.describe(path)?.max_results(50).into_paginator().send();
        let Some(first) = describe.next().await else { return Ok(Vec::new()) };
        let first = first.aws_context(context())?;
        let with_values = values != Values::None;
        if with_values && first.next_token.is_some() && first.parameters().len() <= BATCH {
            return self.list_paged(path, values).await;
        }
        let rest = stream::unfold(describe, |mut pages| async move { pages.next().await.map(|page| (page, pages)) })
            .map(move |page| page.aws_context(context()));
        let pages = stream::once(async { Ok(first) }).chain(rest).map_ok(|page| page.parameters.unwrap_or_default());
        let mut params: Vec<Param> = if with_values {
            // Each page's values are read (get_many: 10 names a request, concurrently) while
            // the next page is described. Plain values need no decryption: only pages with a
            // plain parameter are read when secure values are not wanted.
            let fetched: Vec<Vec<Param>> = pages
                .map_ok(|page| async move {
                    if values == Values::Plain && page.iter().all(|m| Kind::from_sdk(m.r#type.as_ref()) == Kind::Secure)
                    {
                        return Ok(page.into_iter().map(Param::from_metadata).collect());
                    }
                    let names: Vec<String> = page.into_iter().filter_map(|m| m.name).collect();
                    Ok::<_, Error>(self.get_many(&names, values).await?.0)
                })
                .try_buffer_unordered(2)
                .try_collect()
                .await?;
            fetched.concat()
        } else {
            let pages: Vec<Vec<_>> = pages.try_collect().await?;
            pages.into_iter().flatten().map(Param::from_metadata).collect()
        };
        params.sort_by(|a, b| a.name.cmp(&b.name));
        tracing::debug!(path, parameters = params.len(), ?values, "listed");
        Ok(params)
    }

    /// GetParametersByPath, page after page: values come with the names, 10 at a time.
    async fn list_paged(&self, path: &str, values: Values) -> Result<Vec<Param>> {
        let mut pages = self
            .ssm
            .get_parameters_by_path()
            .path(path)
            .recursive(true)
            .with_decryption(values.decrypt())
            .max_results(10)
            .into_paginator()
            .send();
        let mut params = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.aws_context(format_args!("listing {path}"))?;
            params.extend(page.parameters.unwrap_or_default().into_iter().map(|p| Param::from_parameter(p, values)));
        }
        params.sort_by(|a, b| a.name.cmp(&b.name));
        tracing::debug!(path, parameters = params.len(), ?values, "listed page by page");
        Ok(params)
    }

    fn describe(
        &self,
        path: &str,
    ) -> Result<aws_sdk_ssm::operation::describe_parameters::builders::DescribeParametersFluentBuilder> {
        let filter = aws_sdk_ssm::types::ParameterStringFilter::builder()
            .key("Path")
            .option("Recursive")
            .values(path)
            .build()
            .map_err(|e| Error::internal(e.to_string()))?;
        Ok(self.ssm.describe_parameters().parameter_filters(filter))
    }

    /// Names of every parameter under `path`, recursively, 50 a page and no values.
    pub async fn names(&self, path: &str) -> Result<Vec<String>> {
        let mut pages = self.describe(path)?.max_results(50).into_paginator().send();
        let mut names = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.aws_context(format_args!("listing {path}"))?;
            names.extend(page.parameters.unwrap_or_default().into_iter().filter_map(|p| p.name));
        }
        names.sort();
        Ok(names)
    }

    /// Whether anything is stored under `path`: stops at the first page that has a parameter.
    pub async fn has_any(&self, path: &str) -> Result<bool> {
        let mut pages = self.describe(path)?.max_results(50).into_paginator().send();
        while let Some(page) = pages.next().await {
            if !page.aws_context(format_args!("listing {path}"))?.parameters().is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The named parameters, 10 names a request, requests concurrent. Returns the ones found and
    /// the names that do not exist.
    pub async fn get_many(&self, names: &[String], values: Values) -> Result<(Vec<Param>, Vec<String>)> {
        let batches: Vec<(Vec<Param>, Vec<String>)> = stream::iter(names.chunks(BATCH))
            .map(|chunk| self.get_many_once(chunk.to_vec(), values))
            .buffer_unordered(CONCURRENCY)
            .try_collect()
            .await?;
        let (mut found, mut missing) = (Vec::new(), Vec::new());
        for (f, m) in batches {
            found.extend(f);
            missing.extend(m);
        }
        found.sort_by(|a, b| a.name.cmp(&b.name));
        missing.sort();
        Ok((found, missing))
    }

    fn tier(&self) -> Option<ParameterTier> {
        self.settings.tier.as_deref().and_then(parse_tier)
    }

    /// Refuse, before any request, a value Parameter Store would reject.
    pub fn check_value(&self, name: &str, value: &Secret) -> Result<()> {
        if value.is_empty() {
            return Err(Error::data(format!(
                "{name}: the value is empty, and Parameter Store cannot hold an empty value"
            ))
            .with_hint("leave the key out (envctl unset), or store a placeholder"));
        }
        if value.len() > ADVANCED_MAX_BYTES {
            return Err(Error::data(format!(
                "{name}: the value is {} bytes; Parameter Store holds at most {ADVANCED_MAX_BYTES} (advanced tier)",
                value.len()
            ))
            .with_hint("store large values elsewhere (S3, Secrets Manager) and keep their address here"));
        }
        if value.len() > STANDARD_MAX_BYTES && self.tier().is_none_or(|t| t == ParameterTier::Standard) {
            return Err(Error::data(format!(
                "{name}: the value is {} bytes; a standard-tier parameter holds at most {STANDARD_MAX_BYTES}",
                value.len()
            ))
            .with_hint("set `tier = \"intelligent-tiering\"` (or \"advanced\") under [envctl] in opskit.toml; advanced parameters are billed"));
        }
        Ok(())
    }

    /// One GetParameters request (at most 10 names): the parameters found, and the names not.
    async fn get_many_once(&self, names: Vec<String>, values: Values) -> Result<(Vec<Param>, Vec<String>)> {
        let out = self
            .ssm
            .get_parameters()
            .set_names(Some(names))
            .with_decryption(values.decrypt())
            .send()
            .await
            .aws_context("reading parameters")?;
        let found = out.parameters.unwrap_or_default().into_iter().map(|p| Param::from_parameter(p, values));
        Ok((found.collect(), out.invalid_parameters.unwrap_or_default()))
    }

    /// Write one value; returns the new version.
    pub async fn put(&self, name: &str, value: &Secret, kind: Kind, overwrite: bool) -> Result<i64> {
        self.check_value(name, value)?;
        let tier = self.tier();
        let mut put = self
            .ssm
            .put_parameter()
            .name(name)
            .value(value.expose())
            .r#type(kind.to_sdk())
            .overwrite(overwrite)
            .set_tier(tier);
        if kind == Kind::Secure {
            put = put.set_key_id(self.settings.kms_key_id.clone());
        }
        let out = put.send().await.aws_context(format_args!("writing {name}"))?;
        // The name and version only: values never go into a log event.
        tracing::debug!(name, version = out.version, kind = kind.as_str(), "put");
        Ok(out.version)
    }

    /// Write many values concurrently; every key gets its own outcome, in input order. After
    /// Ctrl-C or SIGTERM (when the command catches them) no new request starts: the keys not
    /// started come back as `None`.
    pub async fn put_many(
        &self,
        items: &[(String, Secret, Kind)],
        overwrite: bool,
        on_each: impl Fn(),
    ) -> Vec<Option<Outcome>> {
        tracing::info!(keys = items.len(), concurrency = CONCURRENCY, "writing parameters");
        stream::iter(items)
            .map(|(name, value, kind)| async move {
                if opskit::interrupt::requested() {
                    return None;
                }
                Some(self.put(name, value, *kind, overwrite).await)
            })
            .buffered(CONCURRENCY)
            .inspect(|_| on_each())
            .collect()
            .await
    }

    /// Delete parameters, 10 a request, requests concurrent. Returns the names that did not exist.
    pub async fn delete_many(&self, names: &[String]) -> Result<Vec<String>> {
        tracing::info!(parameters = names.len(), "deleting parameters");
        let batches: Vec<Result<Vec<String>>> = stream::iter(names.chunks(BATCH))
            .map(|chunk| async move {
                let out = self
                    .ssm
                    .delete_parameters()
                    .set_names(Some(chunk.to_vec()))
                    .send()
                    .await
                    .aws_context(format_args!("deleting {}", chunk.join(", ")))?;
                Ok(out.invalid_parameters.unwrap_or_default())
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        // Every batch runs to its end, and a failure says how far the deletion got.
        let failed = batches.iter().filter(|b| b.is_err()).count();
        let mut missing = Vec::new();
        let mut first_error = None;
        for batch in batches {
            match batch {
                Ok(m) => missing.extend(m),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(err) = first_error {
            let attempted_ok = names.len().saturating_sub(failed * BATCH);
            let deleted = attempted_ok.saturating_sub(missing.len());
            return Err(Error::new(
                err.exit(),
                format!("{err} (at least {deleted} of {} parameters were deleted before this failure)", names.len()),
            )
            .with_hint("run the same command again to finish the deletion"));
        }
        Ok(missing)
    }

    /// Every version of a parameter, oldest first.
    pub async fn history(&self, name: &str, values: Values) -> Result<Vec<Param>> {
        let mut pages = self
            .ssm
            .get_parameter_history()
            .name(name)
            .with_decryption(values.decrypt())
            .max_results(50)
            .into_paginator()
            .send();
        let mut versions = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page
                .map_err(|e| failure(&e, name).unwrap_or_else(|| Error::not_found(format!("no parameter {name}"))))?;
            versions.extend(page.parameters.unwrap_or_default().into_iter().map(|h| {
                let kind = Kind::from_sdk(h.r#type.as_ref());
                Param {
                    kind,
                    last_modified: rfc3339(h.last_modified_date.as_ref()),
                    modified_by: h.last_modified_user,
                    labels: h.labels.unwrap_or_default(),
                    name: h.name.unwrap_or_default(),
                    value: if values.keeps(kind) { h.value.map(Secret::from) } else { None },
                    version: h.version,
                }
            }));
        }
        versions.sort_by_key(|p| p.version);
        Ok(versions)
    }

    /// One parameter, optionally at a version; `None` when it does not exist.
    pub async fn get(&self, name: &str, version: Option<i64>, values: Values) -> Result<Option<Param>> {
        let selector = version.map_or_else(|| name.to_owned(), |v| format!("{name}:{v}"));
        match self.ssm.get_parameter().name(&selector).with_decryption(values.decrypt()).send().await {
            Ok(out) => Ok(out.parameter.map(|p| Param::from_parameter(p, values))),
            Err(e) => failure(&e, &selector).map_or(Ok(None), Err),
        }
    }
}

/// `None` for "no such parameter (or version)", our error for any other failure.
fn failure<E>(
    err: &aws_sdk_ssm::error::SdkError<E, aws_sdk_ssm::config::http::HttpResponse>,
    what: &str,
) -> Option<Error>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match err.code() {
        Some("ParameterNotFound" | "ParameterVersionNotFound") => None,
        _ => Some(opskit::aws::from_sdk(err, &format!("reading {what}"))),
    }
}
