//! Reading: every object under a prefix (all pages), an object's bytes, an object streamed into
//! a writer.

use std::io::Write;

use aws_sdk_s3::Client;

use crate::aws::AwsResultExt;
use crate::error::{Error, Result};

/// An object found by [`list`].
#[derive(Clone, Debug)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
    /// RFC 3339 UTC.
    pub last_modified: Option<String>,
}

/// Every object under `prefix` in `bucket`, all pages, in key order.
pub async fn list(client: &Client, bucket: &str, prefix: &str) -> Result<Vec<ObjectInfo>> {
    list_after(client, bucket, prefix, None).await
}

/// [`list`], from the first key after `start_after` on (S3 skips the earlier ones itself: a
/// log keyed by time is read from a date without listing its past).
pub async fn list_after(
    client: &Client,
    bucket: &str,
    prefix: &str,
    start_after: Option<&str>,
) -> Result<Vec<ObjectInfo>> {
    let mut pages = client
        .list_objects_v2()
        .bucket(bucket)
        .prefix(prefix)
        .set_start_after(start_after.map(str::to_owned))
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.aws_context(format_args!("listing s3://{bucket}/{prefix}"))?;
        for object in page.contents.unwrap_or_default() {
            out.push(ObjectInfo {
                key: object.key.unwrap_or_default(),
                size: object.size.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
                last_modified: object
                    .last_modified
                    .and_then(|t| t.fmt(aws_sdk_s3::primitives::DateTimeFormat::DateTime).ok()),
            });
        }
    }
    Ok(out)
}

/// A small object's bytes (a manifest).
pub async fn get_bytes(client: &Client, bucket: &str, key: &str) -> Result<Vec<u8>> {
    let out = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .aws_context(format_args!("reading s3://{bucket}/{key}"))?;
    let body = out.body.collect().await.map_err(|e| Error::unavailable(format!("reading s3://{bucket}/{key}: {e}")))?;
    Ok(body.into_bytes().to_vec())
}

/// Stream an object into `sink`, chunk by chunk (memory stays flat whatever its size); returns
/// the bytes written.
pub async fn get_to(client: &Client, bucket: &str, key: &str, sink: &mut impl Write) -> Result<u64> {
    let what = || format!("reading s3://{bucket}/{key}");
    let mut out = client.get_object().bucket(bucket).key(key).send().await.aws_context(what())?;
    let mut written = 0u64;
    while let Some(chunk) = out.body.try_next().await.map_err(|e| Error::unavailable(format!("{}: {e}", what())))? {
        sink.write_all(&chunk).map_err(|e| Error::cant_create(format!("{}: writing it out: {e}", what())))?;
        written += chunk.len() as u64;
    }
    Ok(written)
}
