//! What every service client gets on top of the `SdkConfig`: HTTP 429 retried as throttling
//! whatever the body says, and the endpoint of the last request remembered for messages.
//! Tools build clients with [`crate::aws_client!`], so no client goes without them.

use std::sync::Mutex;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{BeforeTransmitInterceptorContextRef, InterceptorContext};
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
            .interceptor($crate::aws::RecordEndpoint);
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

/// Remembers where each request goes (host only: paths and queries can carry names).
#[derive(Debug, Clone, Copy)]
pub struct RecordEndpoint;

impl Intercept for RecordEndpoint {
    fn name(&self) -> &'static str {
        "opskit: record the endpoint"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
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
        *LAST_ENDPOINT.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(endpoint);
        Ok(())
    }
}
