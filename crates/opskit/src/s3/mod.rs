//! Objects in S3, as the tools address them: `s3://bucket/prefix` locations and a client that
//! works against AWS and against emulators alike. Reading lives in [`read`].

pub mod read;

use std::fmt;

use aws_config::SdkConfig;

use crate::error::{Error, Result};

/// `s3://bucket/key-or-prefix`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Url {
    pub bucket: String,
    /// The key, or the prefix of the keys meant (may be empty: the whole bucket).
    pub key: String,
}

impl S3Url {
    /// Whether `text` is meant as an S3 location (it starts with `s3://`).
    pub fn is_s3(text: &str) -> bool {
        text.starts_with("s3://")
    }

    pub fn parse(text: &str) -> Result<S3Url> {
        let rest = text.strip_prefix("s3://").ok_or_else(|| {
            Error::usage(format!("`{text}` is not an S3 location")).with_hint("write it as s3://BUCKET/PREFIX")
        })?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = (3..=63).contains(&bucket.len())
            && bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.'));
        if !valid {
            return Err(Error::usage(format!("`{text}`: `{bucket}` is not a valid S3 bucket name"))
                .with_hint("bucket names are 3 to 63 lowercase letters, digits, `-` and `.`"));
        }
        Ok(S3Url { bucket: bucket.to_owned(), key: key.to_owned() })
    }
}

impl fmt::Display for S3Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// An S3 client from `sdk`. Path-style addressing when calls go to a custom endpoint (an
/// emulator or a VPC endpoint on an IP address), where `bucket.host` would not resolve.
pub fn client(sdk: &SdkConfig) -> aws_sdk_s3::Client {
    let custom_endpoint =
        sdk.endpoint_url().is_some() || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some_and(|v| !v.is_empty());
    crate::aws_client!(aws_sdk_s3, sdk, force_path_style(custom_endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = S3Url::parse("s3://my-bucket/cur/2026/").unwrap();
        assert_eq!((u.bucket.as_str(), u.key.as_str()), ("my-bucket", "cur/2026/"));
        assert_eq!(u.to_string(), "s3://my-bucket/cur/2026/");
        assert_eq!(S3Url::parse("s3://bucket").unwrap().key, "");
        assert_eq!(S3Url::parse("s3://Bad_Bucket/x").unwrap_err().exit(), crate::Exit::Usage);
        assert!(S3Url::parse("/local/path").is_err());
        assert!(S3Url::is_s3("s3://b/k") && !S3Url::is_s3("./s3:/x"));
    }
}
