//! An S3 store: data streamed as a multipart upload (aborted on any failure or interrupt), the
//! manifest put last with `If-None-Match: *`.

use std::collections::BTreeMap;

use futures_util::{StreamExt, TryStreamExt};
use opskit::s3::{Location, PutOptions, StreamingUpload};
use opskit::{Error, Result};

use super::local::TempFile;
use super::{DATA, Fetched, Listed, MANIFEST};
use crate::manifest::Manifest;

pub struct S3Store {
    client: aws_sdk_s3::Client,
    location: Location,
    kms_key_id: Option<String>,
}

impl S3Store {
    pub fn new(client: aws_sdk_s3::Client, location: Location, kms_key_id: Option<String>) -> S3Store {
        S3Store { client, location, kms_key_id }
    }

    fn key(&self, path: &str) -> String {
        self.location.key(path)
    }

    pub fn url(&self, path: &str) -> String {
        self.location.url(&self.key(path))
    }

    fn options(&self, content_type: &str) -> PutOptions {
        PutOptions { kms_key_id: self.kms_key_id.clone(), content_type: Some(content_type.to_owned()) }
    }

    pub async fn create(&self, app: &str, env: &str, id: &str) -> Result<StreamingUpload> {
        let key = self.key(&format!("{app}/{env}/{id}/{DATA}"));
        StreamingUpload::start(&self.client, &self.location.bucket, &key, &self.options("application/zstd")).await
    }

    pub async fn put_manifest(&self, manifest: &Manifest, body: Vec<u8>) -> Result<()> {
        let key = self.key(&format!("{}/{}/{}/{MANIFEST}", manifest.app, manifest.env, manifest.id));
        opskit::s3::put_bytes(&self.client, &self.location.bucket, &key, body, &self.options("application/json")).await
    }

    pub async fn list(&self, app: &str, env: Option<&str>) -> Result<Vec<Listed>> {
        let prefix = match env {
            Some(env) => self.key(&format!("{app}/{env}/")),
            None => self.key(&format!("{app}/")),
        };
        let objects = opskit::s3::list(&self.client, &self.location.bucket, &prefix).await?;
        // <prefix>/<app>/<env>/<id>/<file>: group by (env, id).
        let base = self.key(&format!("{app}/"));
        let mut dumps: BTreeMap<(String, String), bool> = BTreeMap::new();
        for object in &objects {
            let Some(rest) = object.key.strip_prefix(&base) else { continue };
            let parts: Vec<&str> = rest.split('/').collect();
            if let [env, id, file] = parts.as_slice() {
                let has_manifest = dumps.entry(((*env).to_owned(), (*id).to_owned())).or_insert(false);
                *has_manifest |= *file == MANIFEST;
            }
        }
        let bucket = self.location.bucket.clone();
        futures_util::stream::iter(dumps)
            .map(|((env, id), has_manifest)| {
                let (client, bucket) = (self.client.clone(), bucket.clone());
                let key = self.key(&format!("{app}/{env}/{id}/{MANIFEST}"));
                let location = self.url(&format!("{app}/{env}/{id}/{DATA}"));
                async move {
                    let manifest = if has_manifest {
                        let bytes = opskit::s3::get_bytes(&client, &bucket, &key).await?;
                        Some(
                            serde_json::from_slice::<Manifest>(&bytes)
                                .map_err(|e| Error::data(format!("s3://{bucket}/{key}: malformed manifest: {e}")))?,
                        )
                    } else {
                        None
                    };
                    Ok::<_, Error>(Listed { app: app.to_owned(), env, id, manifest, location })
                }
            })
            .buffered(8)
            .try_collect()
            .await
    }

    pub async fn fetch(&self, dump: &Listed) -> Result<Fetched> {
        let key = self.key(&format!("{}/{}/{}/{DATA}", dump.app, dump.env, dump.id));
        let (temp, file) = TempFile::create(&format!("{}.sql.zst", dump.id))?;
        let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
        opskit::s3::get_to(&self.client, &self.location.bucket, &key, &mut writer).await?;
        std::io::Write::flush(&mut writer)
            .map_err(|e| Error::cant_create(format!("writing {}: {e}", temp.path().display())))?;
        Ok(Fetched::Temporary(temp))
    }

    pub async fn remove(&self, dump: &Listed) -> Result<()> {
        // The manifest first: an interrupted removal leaves an incomplete dump.
        for file in [MANIFEST, DATA] {
            let key = self.key(&format!("{}/{}/{}/{file}", dump.app, dump.env, dump.id));
            self.client
                .delete_object()
                .bucket(&self.location.bucket)
                .key(&key)
                .send()
                .await
                .map_err(|e| opskit::aws::from_sdk(&e, &format!("deleting s3://{}/{key}", self.location.bucket)))?;
        }
        Ok(())
    }
}
