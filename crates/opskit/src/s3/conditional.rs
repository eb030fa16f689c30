//! Small objects as records that several people update at once: read with the ETag they were
//! read at, write only if nobody wrote in between (`If-Match`), or only if nothing is there yet
//! (`If-None-Match: *`). A lost condition is an answer the caller acts on (re-read, re-apply,
//! write again), not an error: S3 says 412 Precondition Failed, or 409 when another conditional
//! write to the same key is in flight.

use aws_sdk_s3::Client;
use aws_sdk_s3::operation::get_object::GetObjectError;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ServerSideEncryption;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::PutOptions;
use crate::aws::from_sdk;
use crate::error::{Error, Result};

/// An object's bytes and the ETag they were read at.
#[derive(Clone, Debug)]
pub struct Versioned {
    pub bytes: Vec<u8>,
    pub etag: String,
}

/// What must hold for a conditional write to happen.
#[derive(Clone, Copy, Debug)]
pub enum Precondition<'a> {
    /// The key holds nothing yet (`If-None-Match: *`).
    Absent,
    /// The key still holds the version with this ETag (`If-Match`).
    Unchanged(&'a str),
}

/// How a conditional write ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// Written; the new version's ETag.
    Done { etag: String },
    /// Someone else wrote first (or the key exists, for [`Precondition::Absent`]): nothing was written.
    Lost,
}

/// A small object with its ETag; `None` when there is no such key.
pub async fn get_versioned(client: &Client, bucket: &str, key: &str) -> Result<Option<Versioned>> {
    let what = || format!("reading s3://{bucket}/{key}");
    let out = match client.get_object().bucket(bucket).key(key).send().await {
        Ok(out) => out,
        Err(err) if err.as_service_error().is_some_and(GetObjectError::is_no_such_key) => return Ok(None),
        Err(err) => return Err(from_sdk(&err, &what())),
    };
    let etag = out.e_tag.clone().ok_or_else(|| Error::unavailable(format!("{}: S3 returned no ETag", what())))?;
    let body = out.body.collect().await.map_err(|e| Error::unavailable(format!("{}: {e}", what())))?;
    Ok(Some(Versioned { bytes: body.into_bytes().to_vec(), etag }))
}

/// Write `body` to `key` only if `precondition` holds.
pub async fn put_conditional(
    client: &Client,
    bucket: &str,
    key: &str,
    body: Vec<u8>,
    precondition: Precondition<'_>,
    options: &PutOptions,
) -> Result<Written> {
    let mut put = client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(body))
        .set_content_type(options.content_type.clone());
    put = match precondition {
        Precondition::Absent => put.if_none_match("*"),
        Precondition::Unchanged(etag) => put.if_match(etag),
    };
    if let Some(kms) = &options.kms_key_id {
        put = put.server_side_encryption(ServerSideEncryption::AwsKms).ssekms_key_id(kms);
    }
    match put.send().await {
        Ok(out) => {
            let etag = out
                .e_tag
                .ok_or_else(|| Error::unavailable(format!("writing s3://{bucket}/{key}: S3 returned no ETag")))?;
            Ok(Written::Done { etag })
        }
        Err(err) if lost_condition(err.raw_response().map(|r| r.status().as_u16()), err.code()) => {
            tracing::debug!(bucket, key, "conditional write lost");
            Ok(Written::Lost)
        }
        Err(err) => Err(from_sdk(&err, &format!("writing s3://{bucket}/{key}"))),
    }
}

/// 412 Precondition Failed, or 409 ConditionalRequestConflict (another conditional write to the
/// key is in flight): either way, someone else's write came first.
fn lost_condition(status: Option<u16>, code: Option<&str>) -> bool {
    matches!(status, Some(412)) || matches!(code, Some("PreconditionFailed" | "ConditionalRequestConflict"))
}

#[cfg(test)]
mod tests {
    use super::lost_condition;

    #[test]
    fn lost_conditions() {
        assert!(lost_condition(Some(412), Some("PreconditionFailed")));
        assert!(lost_condition(Some(412), None));
        assert!(lost_condition(Some(409), Some("ConditionalRequestConflict")));
        assert!(!lost_condition(Some(409), Some("OperationAborted")));
        assert!(!lost_condition(Some(404), Some("NoSuchKey")));
        assert!(!lost_condition(Some(403), Some("AccessDenied")));
    }
}
