//! Where dumps are kept: a directory, or `s3://bucket/prefix`. Either way a dump is
//! `<prefix>/<app>/<env>/<id>/data.sql.zst` and `manifest.json`, the manifest written last and
//! never over another: a dump without one is incomplete.

mod local;
mod s3;

use std::io::Write;
use std::path::PathBuf;

use opskit::{Context, Error, Result};

use crate::manifest::Manifest;

pub const DATA: &str = "data.sql.zst";
pub const MANIFEST: &str = "manifest.json";

/// A store.
pub enum Store {
    Local(local::LocalStore),
    S3(s3::S3Store),
}

/// A dump found in a store; `manifest` is `None` for an incomplete one.
#[derive(Clone, Debug)]
pub struct Listed {
    pub app: String,
    pub env: String,
    pub id: String,
    pub manifest: Option<Manifest>,
    /// Where its data is, as a user would name it.
    pub location: String,
}

/// The data object of a dump being written. `Write` from a blocking thread, then
/// [`ObjectWriter::finish`] or [`ObjectWriter::abort`].
pub enum ObjectWriter {
    Local(local::LocalWriter),
    S3(opskit::s3::StreamingUpload),
}

impl Write for ObjectWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            ObjectWriter::Local(w) => w.write(buf),
            ObjectWriter::S3(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            ObjectWriter::Local(w) => w.flush(),
            ObjectWriter::S3(w) => w.flush(),
        }
    }
}

impl ObjectWriter {
    /// Make the object appear (never over an existing one).
    pub async fn finish(self) -> Result<()> {
        match self {
            ObjectWriter::Local(w) => w.finish(),
            ObjectWriter::S3(w) => w.finish().await.map(|_| ()),
        }
    }

    /// Remove every trace of it (an S3 multipart upload is aborted).
    pub async fn abort(self) -> Result<()> {
        match self {
            ObjectWriter::Local(w) => {
                w.abort();
                Ok(())
            }
            ObjectWriter::S3(w) => w.abort().await,
        }
    }
}

/// `[dbdump] store` and the rest of the section that concerns storage.
pub struct StoreSettings {
    pub kms_key_id: Option<String>,
}

impl Store {
    /// `DIR` or `s3://bucket/prefix`; with neither, the user's data dir.
    pub async fn open(ctx: &Context, location: Option<&str>, settings: &StoreSettings) -> Result<Store> {
        let Some(location) = location else {
            return Ok(Store::Local(local::LocalStore::new(default_dir()?)));
        };
        match opskit::s3::Location::parse(location) {
            Some(parsed) => {
                let sdk = ctx.sdk().await?;
                Ok(Store::S3(s3::S3Store::new(opskit::s3::client(&sdk), parsed?, settings.kms_key_id.clone())))
            }
            None => Ok(Store::Local(local::LocalStore::new(PathBuf::from(location)))),
        }
    }

    pub fn is_s3(&self) -> bool {
        matches!(self, Store::S3(_))
    }

    /// Where a dump's data goes, for messages and records.
    pub fn location(&self, app: &str, env: &str, id: &str) -> String {
        match self {
            Store::Local(s) => s.dir(app, env, id).join(DATA).display().to_string(),
            Store::S3(s) => s.url(&format!("{app}/{env}/{id}/{DATA}")),
        }
    }

    pub async fn create(&self, app: &str, env: &str, id: &str) -> Result<ObjectWriter> {
        match self {
            Store::Local(s) => s.create(app, env, id).map(ObjectWriter::Local),
            Store::S3(s) => s.create(app, env, id).await.map(ObjectWriter::S3),
        }
    }

    /// Write the manifest: the dump is complete from here on.
    pub async fn put_manifest(&self, manifest: &Manifest) -> Result<()> {
        let body = serde_json::to_vec_pretty(manifest).map_err(|e| Error::internal(e.to_string()))?;
        match self {
            Store::Local(s) => s.put_manifest(manifest, &body),
            Store::S3(s) => s.put_manifest(manifest, body).await,
        }
    }

    /// Every dump of `app` (of `env` only, when given), oldest first.
    pub async fn list(&self, app: &str, env: Option<&str>) -> Result<Vec<Listed>> {
        let mut dumps = match self {
            Store::Local(s) => s.list(app, env)?,
            Store::S3(s) => s.list(app, env).await?,
        };
        dumps.sort_by(|a, b| {
            (a.manifest.as_ref().map(|m| m.details.created.clone()), &a.id)
                .cmp(&(b.manifest.as_ref().map(|m| m.details.created.clone()), &b.id))
        });
        Ok(dumps)
    }

    /// The dump's data as a local file whose SHA-256 matched the manifest's; `None` for an
    /// S3 object downloaded into a temporary file that goes away with the returned guard.
    pub async fn fetch_verified(&self, dump: &Listed) -> Result<Fetched> {
        let manifest = dump.manifest.as_ref().ok_or_else(|| {
            Error::data(format!("dump {} is incomplete (it has no manifest): it cannot be restored", dump.id))
                .with_hint("`dbdump ls --all` shows incomplete dumps; `dbdump rm ID` removes one")
        })?;
        let fetched = match self {
            Store::Local(s) => s.fetch(dump)?,
            Store::S3(s) => s.fetch(dump).await?,
        };
        let (size, sha) = local::digest(fetched.path())?;
        let expected = &manifest.details;
        if size != expected.size || sha != expected.sha256 {
            return Err(Error::data(format!(
                "dump {} is corrupted: its data is {size} bytes with SHA-256 {}…, the manifest says {} bytes and {}…",
                dump.id,
                &sha[..12],
                expected.size,
                &expected.sha256[..12.min(expected.sha256.len())]
            ))
            .with_hint("take a new dump; nothing was restored from this one"));
        }
        Ok(fetched)
    }

    pub async fn remove(&self, dump: &Listed) -> Result<()> {
        match self {
            Store::Local(s) => s.remove(dump),
            Store::S3(s) => s.remove(dump).await,
        }
    }
}

/// A dump's data on local disk, verified.
pub enum Fetched {
    /// The store's own file.
    InPlace(PathBuf),
    /// A download, deleted when dropped.
    Temporary(local::TempFile),
}

impl Fetched {
    pub fn path(&self) -> &std::path::Path {
        match self {
            Fetched::InPlace(p) => p,
            Fetched::Temporary(t) => t.path(),
        }
    }
}

/// `$XDG_DATA_HOME/opskit/dumps`, else `~/.local/share/opskit/dumps`.
fn default_dir() -> Result<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .ok_or_else(|| Error::config("no store: set HOME or XDG_DATA_HOME, or pass --store DIR"))?;
    Ok(base.join("opskit").join("dumps"))
}
