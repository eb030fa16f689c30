//! S3 as the tools use it: `s3://bucket/prefix` locations, listing and reading objects as
//! streams (a body cut off mid-way resumed where it stopped), writing an object of unknown
//! length as a stream (a multipart upload that a failure or an interrupt aborts, so nothing
//! half-written is left behind), and small objects updated by several writers at once with
//! conditional writes.

mod conditional;
mod read;
mod upload;

pub use conditional::{Precondition, Versioned, Written, get_versioned, put_conditional};
pub use read::{ObjectInfo, ObjectReader, download, get_bytes, get_to, list, list_after, open};
pub use upload::{PutOptions, StreamingUpload, Uploaded, put_bytes};

use aws_config::SdkConfig;

use crate::error::{Error, Result};

/// `s3://bucket/prefix`, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub bucket: String,
    /// The key or key prefix as written, without a leading `/`; may be empty (the whole bucket).
    /// A trailing `/` is kept: `s3://b/cur/` means the folder, `s3://b/cur` every key from `cur`.
    pub prefix: String,
}

impl Location {
    /// Parse `s3://bucket[/prefix]`; `None` when `text` is not an S3 URL at all.
    pub fn parse(text: &str) -> Option<Result<Location>> {
        let rest = text.strip_prefix("s3://")?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = (3..=63).contains(&bucket.len())
            && bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        if !valid {
            return Some(Err(Error::usage(format!(
                "invalid S3 location `{text}`: the bucket name must be 3-63 lowercase letters, digits, `-` or `.`"
            ))));
        }
        Some(Ok(Location { bucket: bucket.to_owned(), prefix: prefix.trim_start_matches('/').to_owned() }))
    }

    /// The key of `path` under the prefix, taken as a folder.
    pub fn key(&self, path: &str) -> String {
        match self.prefix.as_str() {
            "" => path.to_owned(),
            folder if folder.ends_with('/') => format!("{folder}{path}"),
            folder => format!("{folder}/{path}"),
        }
    }

    /// `s3://bucket/key` for messages and records.
    pub fn url(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.prefix.is_empty() {
            write!(f, "s3://{}", self.bucket)
        } else {
            write!(f, "s3://{}/{}", self.bucket, self.prefix)
        }
    }
}

/// An S3 client for `sdk`. Path-style addressing when calls go to a custom endpoint (an
/// emulator, a VPC endpoint by IP), where `bucket.host` would not resolve.
pub fn client(sdk: &SdkConfig) -> aws_sdk_s3::Client {
    let custom = sdk.endpoint_url().is_some()
        || ["AWS_ENDPOINT_URL_S3", crate::env_vars::AWS_ENDPOINT_URL]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
    crate::aws_client!(aws_sdk_s3, sdk, force_path_style(custom))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        let l = Location::parse("s3://my-bucket/dumps/team/").unwrap().unwrap();
        assert_eq!((l.bucket.as_str(), l.prefix.as_str()), ("my-bucket", "dumps/team/"));
        assert_eq!(l.key("a/b"), "dumps/team/a/b");
        assert_eq!(l.to_string(), "s3://my-bucket/dumps/team/");
        assert_eq!(Location::parse("s3://my-bucket/dumps").unwrap().unwrap().key("a"), "dumps/a");
        let bare = Location::parse("s3://my-bucket").unwrap().unwrap();
        assert_eq!(bare.key("x"), "x");
        assert!(Location::parse("/tmp/dumps").is_none());
        assert!(Location::parse("s3://No_Such").unwrap().is_err());
    }
}
