//! What every service client gets on top of the `SdkConfig`: HTTP 429 retried as throttling
//! whatever the body says; the endpoint of the last request remembered for messages; each call
//! logged (`debug`) as the IAM action it is authorised as, and a refusal tagged with that action
//! so the error names it even when the service's message does not (S3's "Access Denied").
//! Tools build clients with [`crate::aws_client!`], so no client goes without them.

use std::sync::Mutex;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextMut, BeforeTransmitInterceptorContextRef, InterceptorContext,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Build a service client from an `SdkConfig` with opskit's classifier and interceptor:
/// `opskit::aws_client!(aws_sdk_ssm, &sdk)`, or with more config builder calls after it:
/// `opskit::aws_client!(aws_sdk_s3, &sdk, force_path_style(true))`.
#[macro_export]
macro_rules! aws_client {
    ($krate:ident, $sdk:expr $(, $method:ident ( $($arg:expr),* ))* $(,)?) => {{
        let builder = $krate::config::Builder::from($sdk)
            .retry_classifier($crate::aws::ThrottledStatus)
            .interceptor($crate::aws::Annotate);
        $krate::Client::from_conf(builder $( .$method($($arg),*) )* .build())
    }};
}

/// HTTP 429 is "too many requests" whatever the body holds; the SDK only recognises throttling
/// by error code, so an empty-bodied 429 would otherwise fail at once.
#[derive(Debug, Clone, Copy)]
pub struct ThrottledStatus;

impl ClassifyRetry for ThrottledStatus {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        match ctx.response() {
            Some(response) if response.status().as_u16() == 429 => RetryAction::throttling_error(),
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "opskit: HTTP 429 is throttling"
    }
}

static LAST_ENDPOINT: Mutex<Option<String>> = Mutex::new(None);

/// `scheme://host[:port]` of the last request sent: "could not reach" names it.
pub fn last_endpoint() -> Option<String> {
    LAST_ENDPOINT.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
}

/// The response header a refusal is tagged with: the IAM action the refused call needed.
pub(crate) const DENIED_ACTION_HEADER: &str = "x-opskit-iam-action";

/// The IAM action an SDK operation is authorised as: `<signing name>:<operation>`, except
/// where IAM names a service's operations otherwise (S3's listings and multipart parts).
pub fn iam_action(signing_name: &str, operation: &str) -> String {
    let action = match (signing_name, operation) {
        ("s3", "ListObjectsV2" | "ListObjects" | "HeadBucket") => "ListBucket",
        ("s3", "ListObjectVersions") => "ListBucketVersions",
        ("s3", "ListMultipartUploads") => "ListBucketMultipartUploads",
        ("s3", "HeadObject" | "GetObjectAttributes") => "GetObject",
        ("s3", "CreateMultipartUpload" | "UploadPart" | "CompleteMultipartUpload" | "UploadPartCopy") => "PutObject",
        ("s3", "AbortMultipartUpload") => "AbortMultipartUpload",
        ("s3", "DeleteObjects") => "DeleteObject",
        _ => operation,
    };
    format!("{signing_name}:{action}")
}

fn action_of(cfg: &ConfigBag) -> Option<String> {
    let operation = cfg.load::<Metadata>()?;
    let signing_name = cfg.load::<aws_types::SigningName>()?;
    Some(iam_action(signing_name.as_ref(), operation.name()))
}

/// Remembers where each request goes (host only: paths and queries can carry names), logs the
/// call, and tags a 401/403 answer with the action refused.
#[derive(Debug, Clone, Copy)]
pub struct Annotate;

impl Intercept for Annotate {
    fn name(&self) -> &'static str {
        "opskit: endpoint, action and refusal"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let uri = context.request().uri();
        let endpoint = match uri.find("://") {
            Some(i) => {
                let rest = &uri[i + 3..];
                let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
                format!("{}{}", &uri[..i + 3], &rest[..host_end])
            }
            None => uri.to_owned(),
        };
        if let Some(action) = action_of(cfg) {
            tracing::debug!("calling {action} at {endpoint}");
        }
        *LAST_ENDPOINT.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(endpoint);
        Ok(())
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let status = context.response().status().as_u16();
        if matches!(status, 401 | 403)
            && let Some(action) = action_of(cfg)
        {
            context.response_mut().headers_mut().insert(DENIED_ACTION_HEADER, action);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::iam_action;

    #[test]
    fn operations_are_named_as_iam_authorises_them() {
        assert_eq!(iam_action("ssm", "PutParameter"), "ssm:PutParameter");
        assert_eq!(iam_action("ses", "GetEmailIdentity"), "ses:GetEmailIdentity");
        assert_eq!(iam_action("s3", "UploadPart"), "s3:PutObject");
        assert_eq!(iam_action("s3", "ListObjectsV2"), "s3:ListBucket");
        assert_eq!(iam_action("s3", "HeadObject"), "s3:GetObject");
    }
}
