//! Reading: every object under a prefix (all pages), an object's bytes, an object streamed into
//! a writer, and an object's body as a plain blocking [`std::io::Read`] that streams — a few
//! chunks in memory however large the object — so that synchronous parsers (CSV, gzip) on their
//! own threads read S3 as they read a file. A body cut off mid-stream is resumed from where it
//! stopped, pinned to the same version.

use std::io::{self, Write};

use aws_sdk_s3::Client;
use bytes::Bytes;
use tokio::sync::mpsc;

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

/// Chunks of a body waiting for the reader: bounds the memory one open object holds.
const CHUNKS_AHEAD: usize = 8;
/// Times a body cut off mid-stream is resumed before the read fails.
const RESUMES: u32 = 3;

/// One object's body, read as it arrives. Must be opened inside a Tokio runtime (a task streams
/// the body); read it from a thread that is not one of the runtime's (`spawn_blocking`, or a
/// thread of its own), since reading blocks.
pub struct ObjectReader {
    chunks: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
    done: bool,
}

/// Open `key` in `bucket` for reading: the request is made now (a missing object or a denied
/// read fails here, not at the first read).
pub async fn open(client: &Client, bucket: &str, key: &str) -> Result<ObjectReader> {
    let what = format!("reading s3://{bucket}/{key}");
    let first = client.get_object().bucket(bucket).key(key).send().await.aws_context(&what)?;
    let etag = first.e_tag.clone();
    let (tx, rx) = mpsc::channel(CHUNKS_AHEAD);
    let (client, bucket, key) = (client.clone(), bucket.to_owned(), key.to_owned());
    tokio::spawn(async move {
        let mut body = first.body;
        let mut offset: u64 = 0;
        let mut resumes = 0;
        loop {
            match body.next().await {
                None => return,
                Some(Ok(chunk)) => {
                    offset += chunk.len() as u64;
                    if tx.send(Ok(chunk)).await.is_err() {
                        return; // the reader is gone
                    }
                }
                Some(Err(err)) if resumes < RESUMES => {
                    resumes += 1;
                    tracing::info!("s3://{bucket}/{key}: body cut off at byte {offset} ({err}); resuming");
                    let mut request = client.get_object().bucket(&bucket).key(&key).range(format!("bytes={offset}-"));
                    if let Some(etag) = &etag {
                        request = request.if_match(etag);
                    }
                    match request.send().await.aws_context(&what) {
                        Ok(rest) => body = rest.body,
                        Err(e) => {
                            let _ = tx.send(Err(io::Error::other(e))).await;
                            return;
                        }
                    }
                }
                Some(Err(err)) => {
                    let message = format!("{what}: the connection failed at byte {offset}: {err}");
                    let _ = tx.send(Err(io::Error::other(Error::unavailable(message)))).await;
                    return;
                }
            }
        }
    });
    Ok(ObjectReader { chunks: rx, current: Bytes::new(), done: false })
}

impl io::Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            if self.done {
                return Ok(0);
            }
            match self.chunks.blocking_recv() {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                None => self.done = true,
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// Copy `key` into `dest` (for formats read from the end, such as Parquet), returning the bytes
/// written.
pub async fn download(client: &Client, bucket: &str, key: &str, dest: &mut tokio::fs::File) -> Result<u64> {
    use tokio::io::AsyncWriteExt;
    let what = format!("reading s3://{bucket}/{key}");
    let mut body = client.get_object().bucket(bucket).key(key).send().await.aws_context(&what)?.body;
    let mut written = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| Error::unavailable(format!("{what}: {e}")))?;
        dest.write_all(&chunk)
            .await
            .map_err(|e| Error::cant_create(format!("{what}: writing a temporary copy: {e}")))?;
        written += chunk.len() as u64;
    }
    dest.flush().await.map_err(|e| Error::cant_create(format!("{what}: writing a temporary copy: {e}")))?;
    Ok(written)
}
