//! The billing export files themselves — legacy CUR, CUR 2.0 and FOCUS 1.0, as CSV, CSV.gz or
//! Parquet, in a file, a directory or under an S3 prefix — read without any API charge. Each
//! file is streamed and parsed in parallel ([`csv`], [`parquet`]) into exact sums.

pub mod csv;
pub mod detect;
pub mod manifest;
pub mod parquet;
pub mod tally;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use opskit::s3;
use opskit::{Context, Error};

use self::csv::Scanned;
use self::detect::Plan;
use self::tally::{Filter, Tally};
use crate::query::{CostQuery, Costs, Dimension, Period};

/// Where the export files are.
#[derive(Clone, Debug)]
pub enum Location {
    Local(PathBuf),
    S3(s3::Location),
}

impl Location {
    pub fn parse(text: &str) -> Result<Location, Error> {
        match s3::Location::parse(text) {
            Some(url) => Ok(Location::S3(url?)),
            None => Ok(Location::Local(PathBuf::from(text))),
        }
    }
}

/// One export file to read.
#[derive(Clone, Debug)]
struct ExportFile {
    /// As messages name it: the path, or `s3://bucket/key`.
    name: String,
    local: Option<PathBuf>,
    s3_key: Option<String>,
    parquet: bool,
}

/// Whether a file name is one of the data files of an export.
fn is_data_file(name: &str) -> Option<bool> {
    let extension = Path::new(name).extension()?.to_str()?;
    if extension.eq_ignore_ascii_case("parquet") {
        Some(true)
    } else if extension.eq_ignore_ascii_case("csv") || extension.eq_ignore_ascii_case("gz") {
        Some(false)
    } else {
        None
    }
}

pub struct Exports {
    location: Location,
    workers: usize,
}

impl Exports {
    pub fn new(location: Location) -> Exports {
        let workers = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Exports { location, workers }
    }

    pub fn describe(&self) -> String {
        match &self.location {
            Location::Local(p) => p.display().to_string(),
            Location::S3(u) => u.to_string(),
        }
    }

    /// The data files to read, in name order.
    async fn files(&self, ctx: &Context) -> Result<(Vec<ExportFile>, Option<aws_sdk_s3::Client>), Error> {
        match &self.location {
            Location::Local(path) => {
                let meta = std::fs::metadata(path).map_err(|e| {
                    Error::not_found(format!("{}: {e}", path.display())).with_hint(
                        "--source takes an export file, a directory of them, s3://bucket/prefix, ce or athena",
                    )
                })?;
                let mut files = Vec::new();
                if meta.is_dir() {
                    let mut manifests = Vec::new();
                    walk(path, &mut files, &mut manifests)
                        .map_err(|e| Error::not_found(format!("{}: {e}", path.display())))?;
                    let manifests = manifests
                        .into_iter()
                        .map(|(folder, file)| {
                            let text = std::fs::read_to_string(&file)
                                .map_err(|e| Error::not_found(format!("{}: {e}", file.display())))?;
                            manifest::parse(&folder, &text).map_err(|e| Error::data(format!("{}: {e}", file.display())))
                        })
                        .collect::<Result<Vec<_>, Error>>()?;
                    files = current_versions(files, &manifests);
                } else {
                    let parquet = is_data_file(&path.to_string_lossy()).unwrap_or(false) || has_parquet_magic(path);
                    files.push(ExportFile {
                        name: path.display().to_string(),
                        local: Some(path.clone()),
                        s3_key: None,
                        parquet,
                    });
                }
                files.sort_by(|a, b| a.name.cmp(&b.name));
                Ok((files, None))
            }
            Location::S3(url) => {
                let client = s3::client(&ctx.sdk().await?);
                let objects = s3::list(&client, &url.bucket, &url.prefix).await?;
                let mut manifests = Vec::new();
                for object in &objects {
                    let Some(folder) = manifest::folder_of(&object.key) else { continue };
                    let name = format!("s3://{}/{}", url.bucket, object.key);
                    let mut reader = s3::open(&client, &url.bucket, &object.key).await?;
                    let text = blocking(move || {
                        let mut text = String::new();
                        reader.read_to_string(&mut text).map_err(|e| Error::unavailable(format!("{name}: {e}")))?;
                        Ok(text)
                    })
                    .await?;
                    let name = format!("s3://{}/{}", url.bucket, object.key);
                    manifests.push(manifest::parse(&folder, &text).map_err(|e| Error::data(format!("{name}: {e}")))?);
                }
                let files = objects
                    .into_iter()
                    .filter_map(|o| {
                        let parquet = is_data_file(&o.key)?;
                        Some(ExportFile {
                            name: format!("s3://{}/{}", url.bucket, o.key),
                            local: None,
                            s3_key: Some(o.key),
                            parquet,
                        })
                    })
                    .collect();
                Ok((current_versions(files, &manifests), Some(client)))
            }
        }
    }

    pub async fn costs(&self, ctx: &Context, query: &CostQuery) -> Result<Costs, Error> {
        let (files, client) = self.files(ctx).await?;
        if files.is_empty() {
            return Err(Error::not_found(format!("no export files in {}", self.describe()))
                .with_hint("costq reads .csv, .csv.gz and .parquet files of a CUR, CUR 2.0 or FOCUS export"));
        }
        let filter = Filter::new(query);
        let mut tally = Tally::new(query.dims.len());
        let mut shapes = BTreeSet::new();
        let mut plans: Vec<(String, Plan)> = Vec::new();
        for file in &files {
            let started = Instant::now();
            let scanned = self.scan(file, client.as_ref(), query).await?;
            tracing::info!(
                "{}: {} {} lines in {:.2}s",
                file.name,
                scanned.shape.as_str(),
                scanned.lines,
                started.elapsed().as_secs_f64()
            );
            shapes.insert(scanned.shape.as_str());
            if files.len() > 1 {
                for tag in &scanned.plan.missing_tags {
                    opskit::error::note(&format!(
                        "{}: no column for the tag `{tag}`: its line items count as untagged",
                        file.name
                    ));
                }
            }
            tally.merge(scanned.tally);
            plans.push((file.name.clone(), scanned.plan));
        }
        check_tags(query, &tally, &plans)?;
        let seen = tally.seen;
        let span = tally.span.map(|(a, b)| Period::new(a, b));
        let rows = tally.into_rows(&filter)?;
        if rows.is_empty()
            && let (Some(period), Some((first, last))) = (query.period, seen)
        {
            opskit::error::note(&format!("no line items in {}: the export holds {} to {}", period.period, first, last));
        }
        let source =
            if shapes.len() == 1 { shapes.pop_first().unwrap_or("export").to_owned() } else { "export".to_owned() };
        Ok(Costs { rows, source, span: query.period.is_none().then_some(span).flatten() })
    }

    async fn scan(
        &self,
        file: &ExportFile,
        client: Option<&aws_sdk_s3::Client>,
        query: &CostQuery,
    ) -> Result<Scanned, Error> {
        let (name, workers, query) = (file.name.clone(), self.workers, query.clone());
        if let Some(path) = &file.local {
            let path = path.clone();
            let parquet = file.parquet;
            return blocking(move || {
                if parquet {
                    parquet::scan(&path, &name, &query, workers)
                } else {
                    let input = std::fs::File::open(&path).map_err(|e| Error::not_found(format!("{name}: {e}")))?;
                    csv::scan(csv::decoded(Box::new(input), &name)?, &name, &query, workers)
                }
            })
            .await;
        }
        let (Some(client), Some(key), Location::S3(url)) = (client, &file.s3_key, &self.location) else {
            return Err(Error::internal("an S3 file without its client"));
        };
        if file.parquet {
            // Parquet is read from its end: a temporary local copy, deleted when done.
            let temp = tempfile::NamedTempFile::new()
                .map_err(|e| Error::cant_create(format!("a temporary copy of {name}: {e}")))?;
            let mut dest =
                tokio::fs::File::from_std(temp.reopen().map_err(|e| Error::cant_create(format!("{name}: {e}")))?);
            s3::download(client, &url.bucket, key, &mut dest).await?;
            drop(dest);
            return blocking(move || {
                let result = parquet::scan(temp.path(), &name, &query, workers);
                drop(temp);
                result
            })
            .await;
        }
        let reader = s3::open(client, &url.bucket, key).await?;
        blocking(move || {
            let input: Box<dyn Read + Send> = Box::new(reader);
            csv::scan(csv::decoded(input, &name)?, &name, &query, workers)
        })
        .await
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T, Error> + Send + 'static) -> Result<T, Error> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::internal(format!("a reading thread failed: {e}")))?
}

/// The files to read: each billing period's current version only, where its manifest says.
fn current_versions(files: Vec<ExportFile>, manifests: &[manifest::Manifest]) -> Vec<ExportFile> {
    let before = files.len();
    let kept: Vec<ExportFile> =
        files.into_iter().filter(|f| manifest::keeps(manifests, f.s3_key.as_deref().unwrap_or(&f.name))).collect();
    if kept.len() < before {
        let left = before - kept.len();
        opskit::error::note(&format!(
            "left out {left} file{} of older report versions (each billing period's manifest names its current files)",
            if left == 1 { "" } else { "s" }
        ));
    }
    kept
}

/// Data files under `dir`, and manifests (the data folder each governs, and its path).
fn walk(dir: &Path, out: &mut Vec<ExportFile>, manifests: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let text = path.to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() {
            walk(&path, out, manifests)?;
        } else if let Some(folder) = manifest::folder_of(&text) {
            manifests.push((folder, path.clone()));
        } else if let Some(parquet) = is_data_file(&entry.file_name().to_string_lossy()) {
            out.push(ExportFile { name: path.display().to_string(), local: Some(path), s3_key: None, parquet });
        }
    }
    Ok(())
}

fn has_parquet_magic(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok() && &magic == b"PAR1"
}

/// A tag no line item carries is an error, not a silent "untagged" total: it is misspelled,
/// or not activated as a cost allocation tag.
fn check_tags(query: &CostQuery, tally: &Tally, plans: &[(String, Plan)]) -> Result<(), Error> {
    if tally.line_items == 0 {
        return Ok(());
    }
    for (i, dim) in query.dims.iter().enumerate() {
        let Some(key) = dim.tag_key() else { continue };
        if tally.found[i] {
            continue;
        }
        let files: Vec<&str> = plans.iter().map(|(f, _)| f.as_str()).collect();
        let shown = if files.len() == 1 { files[0].to_owned() } else { format!("{} files", files.len()) };
        let what = if matches!(dim, Dimension::Env { .. }) {
            format!("the environment tag `{key}`")
        } else {
            format!("the tag `{key}`")
        };
        let mut err = Error::data(format!("{shown}: no line item has {what}"));
        let known = known_tags(plans);
        err = if known.is_empty() {
            err.with_hint(
                "tag keys are case-sensitive; a tag appears in exports only once activated as a cost allocation tag",
            )
        } else {
            err.with_hint(format!("the tag columns are: {}", known.join(", ")))
        };
        return Err(err);
    }
    Ok(())
}

/// The legacy CUR tag columns of the files read (`resourceTags/user:env` → `user:env`).
fn known_tags(plans: &[(String, Plan)]) -> Vec<String> {
    let tags: BTreeSet<&str> = plans.iter().flat_map(|(_, p)| p.tag_columns.iter().map(String::as_str)).collect();
    tags.into_iter().map(str::to_owned).collect()
}
