//! Writing an object of unknown length as a stream: a multipart upload fed through
//! [`std::io::Write`] from a blocking thread (a compressor, a child process's output), parts
//! uploaded a few at a time while the next ones fill. Memory stays at a few parts whatever the
//! object's size. Any failure, or [`StreamingUpload::abort`], aborts the multipart upload, so
//! no half-written object (nor its invisible parts) is left behind; the object appears only on
//! [`StreamingUpload::finish`], and never over an existing one.

use std::io::{self, Write};

use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, ServerSideEncryption};
use bytes::Bytes;
use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::aws::AwsResultExt;
use crate::error::{Error, Result};

/// S3's smallest part (but the last).
const MIN_PART: usize = 5 * 1024 * 1024;
/// The first parts' size; it doubles every 1,000 parts, so 10,000 parts hold terabytes while a
/// small object needs no more than one part's memory.
const FIRST_PART: usize = 8 * 1024 * 1024;
const _: () = assert!(FIRST_PART >= MIN_PART, "every part but the last must be at least 5 MiB");
/// Parts uploading at once while the next fills.
const PARTS_IN_FLIGHT: usize = 3;

/// How an object is stored.
#[derive(Clone, Debug, Default)]
pub struct PutOptions {
    /// SSE-KMS with this key (ARN, id or alias); S3's default encryption otherwise.
    pub kms_key_id: Option<String>,
    pub content_type: Option<String>,
}

/// What [`StreamingUpload::finish`] made.
#[derive(Clone, Debug)]
pub struct Uploaded {
    pub bucket: String,
    pub key: String,
    pub size: u64,
    pub parts: usize,
}

/// The part size for part number `n` (1-based).
fn part_size(n: usize) -> usize {
    FIRST_PART << ((n.saturating_sub(1)) / 1000).min(9)
}

/// An object being written. Use it as a `Write` from a blocking thread, then `finish` or
/// `abort` it from async code.
pub struct StreamingUpload {
    bucket: String,
    key: String,
    buffer: Vec<u8>,
    parts_sent: usize,
    size: u64,
    tx: Option<mpsc::Sender<(i32, Bytes)>>,
    task: Option<JoinHandle<Result<Vec<CompletedPart>>>>,
    client: Client,
    upload_id: String,
}

impl StreamingUpload {
    /// Start a multipart upload of `key`.
    pub async fn start(client: &Client, bucket: &str, key: &str, options: &PutOptions) -> Result<StreamingUpload> {
        let mut create =
            client.create_multipart_upload().bucket(bucket).key(key).set_content_type(options.content_type.clone());
        if let Some(kms) = &options.kms_key_id {
            create = create.server_side_encryption(ServerSideEncryption::AwsKms).ssekms_key_id(kms);
        }
        let created = create.send().await.aws_context(format_args!("starting the upload of s3://{bucket}/{key}"))?;
        let upload_id = created
            .upload_id
            .ok_or_else(|| Error::unavailable(format!("s3://{bucket}/{key}: S3 returned no upload id")))?;
        tracing::debug!(bucket, key, "multipart upload started");
        let (tx, rx) = mpsc::channel::<(i32, Bytes)>(1);
        let task = tokio::spawn(upload_parts(client.clone(), bucket.to_owned(), key.to_owned(), upload_id.clone(), rx));
        Ok(StreamingUpload {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            buffer: Vec::with_capacity(FIRST_PART),
            parts_sent: 0,
            size: 0,
            tx: Some(tx),
            task: Some(task),
            client: client.clone(),
            upload_id,
        })
    }

    /// Hand the filled buffer to the uploader (blocking while enough parts are in flight).
    fn send_buffer(&mut self) -> io::Result<()> {
        self.parts_sent += 1;
        let number = i32::try_from(self.parts_sent).map_err(|_| io::Error::other("too many parts"))?;
        let next = part_size(self.parts_sent + 1);
        let part = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(next)));
        let tx = self.tx.as_ref().ok_or_else(|| io::Error::other("the upload is closed"))?;
        tx.blocking_send((number, part)).map_err(|_| {
            io::Error::new(io::ErrorKind::BrokenPipe, format!("the upload of s3://{}/{} failed", self.bucket, self.key))
        })
    }

    /// Upload the last part and complete the object, never over an existing one.
    pub async fn finish(mut self) -> Result<Uploaded> {
        let last = std::mem::take(&mut self.buffer);
        if !last.is_empty() || self.parts_sent == 0 {
            self.parts_sent += 1;
            let number = i32::try_from(self.parts_sent).map_err(|_| Error::internal("too many parts"))?;
            let tx = self.tx.as_ref().ok_or_else(|| Error::internal("the upload is closed"))?;
            if tx.send((number, Bytes::from(last))).await.is_err() {
                return Err(self.failed().await);
            }
        }
        self.tx = None;
        let parts = match self.task.take().expect("finish runs once").await {
            Ok(Ok(parts)) => parts,
            Ok(Err(e)) => return Err(self.aborted(e).await),
            Err(e) => return Err(self.aborted(Error::internal(format!("the upload task failed: {e}"))).await),
        };
        let completed = self
            .client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(&self.key)
            .upload_id(&self.upload_id)
            .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
            .if_none_match("*")
            .send()
            .await
            .aws_context(format_args!("completing s3://{}/{}", self.bucket, self.key));
        if let Err(e) = completed {
            return Err(self.aborted(e).await);
        }
        tracing::debug!(bucket = self.bucket, key = self.key, parts = self.parts_sent, size = self.size, "uploaded");
        Ok(Uploaded { bucket: self.bucket.clone(), key: self.key.clone(), size: self.size, parts: self.parts_sent })
    }

    /// Abort: S3 drops every part uploaded so far.
    pub async fn abort(mut self) -> Result<()> {
        self.tx = None;
        if let Some(task) = self.task.take() {
            task.abort();
        }
        abort_upload(&self.client, &self.bucket, &self.key, &self.upload_id).await
    }

    /// The uploader's error, after it stopped (and aborted the upload).
    async fn failed(&mut self) -> Error {
        self.tx = None;
        match self.task.take() {
            Some(task) => match task.await {
                Ok(Err(e)) => e,
                _ => Error::unavailable(format!("the upload of s3://{}/{} stopped", self.bucket, self.key)),
            },
            None => Error::unavailable(format!("the upload of s3://{}/{} stopped", self.bucket, self.key)),
        }
    }

    /// Abort after `err`, and return it.
    async fn aborted(&mut self, err: Error) -> Error {
        if let Err(abort) = abort_upload(&self.client, &self.bucket, &self.key, &self.upload_id).await {
            crate::error::warn(&format!("could not abort the upload of s3://{}/{}: {abort}", self.bucket, self.key));
        }
        err
    }
}

impl Write for StreamingUpload {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = part_size(self.parts_sent + 1) - self.buffer.len();
        let take = room.min(data.len());
        self.buffer.extend_from_slice(&data[..take]);
        self.size += take as u64;
        if self.buffer.len() >= part_size(self.parts_sent + 1) {
            self.send_buffer()?;
        }
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Parts go when full; the last one goes with `finish`.
        Ok(())
    }
}

async fn abort_upload(client: &Client, bucket: &str, key: &str, upload_id: &str) -> Result<()> {
    client
        .abort_multipart_upload()
        .bucket(bucket)
        .key(key)
        .upload_id(upload_id)
        .send()
        .await
        .aws_context(format_args!("aborting the upload of s3://{bucket}/{key}"))?;
    tracing::debug!(bucket, key, "multipart upload aborted");
    Ok(())
}

/// Upload parts as they come, a few at a time; on the first failure abort the whole upload.
async fn upload_parts(
    client: Client,
    bucket: String,
    key: String,
    upload_id: String,
    rx: mpsc::Receiver<(i32, Bytes)>,
) -> Result<Vec<CompletedPart>> {
    let uploads = tokio_stream_from(rx)
        .map(|(number, body)| {
            let (client, bucket, key, upload_id) = (client.clone(), bucket.clone(), key.clone(), upload_id.clone());
            async move {
                let out = client
                    .upload_part()
                    .bucket(&bucket)
                    .key(&key)
                    .upload_id(&upload_id)
                    .part_number(number)
                    .body(ByteStream::from(body))
                    .send()
                    .await
                    .aws_context(format_args!("uploading part {number} of s3://{bucket}/{key}"))?;
                tracing::trace!(number, "part uploaded");
                Ok::<_, Error>(CompletedPart::builder().part_number(number).set_e_tag(out.e_tag).build())
            }
        })
        .buffer_unordered(PARTS_IN_FLIGHT);
    futures_util::pin_mut!(uploads);
    let mut parts = Vec::new();
    while let Some(part) = uploads.next().await {
        match part {
            Ok(part) => parts.push(part),
            Err(e) => {
                let _ = abort_upload(&client, &bucket, &key, &upload_id).await;
                return Err(e);
            }
        }
    }
    parts.sort_by_key(|p| p.part_number);
    Ok(parts)
}

/// An mpsc receiver as a stream.
fn tokio_stream_from<T: Send + 'static>(rx: mpsc::Receiver<T>) -> impl futures_util::Stream<Item = T> {
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
}

/// A small object in one request, never over an existing one (a manifest written last).
pub async fn put_bytes(client: &Client, bucket: &str, key: &str, body: Vec<u8>, options: &PutOptions) -> Result<()> {
    let mut put = client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body))
        .set_content_type(options.content_type.clone())
        .if_none_match("*");
    if let Some(kms) = &options.kms_key_id {
        put = put.server_side_encryption(ServerSideEncryption::AwsKms).ssekms_key_id(kms);
    }
    put.send().await.aws_context(format_args!("writing s3://{bucket}/{key}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_grow_so_ten_thousand_hold_terabytes() {
        assert_eq!(part_size(1), FIRST_PART);
        assert_eq!(part_size(1000), FIRST_PART);
        assert_eq!(part_size(1001), 2 * FIRST_PART);
        let total: usize = (1..=10_000).map(part_size).sum();
        assert!(total > 4 << 40, "{total}");
        assert!(part_size(10_000) <= 5 << 30, "S3's largest part");
    }
}
