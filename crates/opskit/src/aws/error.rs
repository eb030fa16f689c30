//! SDK errors as sentences and exit codes: AccessDenied names the denied action, an expired
//! SSO session gives the exact `aws sso login` line, throttling exits 75, and an unreachable
//! endpoint exits 69 naming it.

use std::error::Error as StdError;
use std::fmt::Display;

use aws_credential_types::provider::error::CredentialsError;
use aws_runtime::retries::classifiers::{THROTTLING_ERRORS, TRANSIENT_ERRORS};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::Error;

/// `.aws_context("reading /app/dev")?` on any SDK call's result.
pub trait AwsResultExt<T> {
    fn aws_context(self, what: impl Display) -> Result<T, Error>;
}

impl<T, E> AwsResultExt<T> for Result<T, SdkError<E, HttpResponse>>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    fn aws_context(self, what: impl Display) -> Result<T, Error> {
        self.map_err(|err| from_sdk(&err, &what.to_string()))
    }
}

/// Turn an SDK error from doing `what` into our error. The SDK's own retry classification and
/// the HTTP status decide the class first (throttled, denied, unavailable, refused), then the
/// error code refines it (not found, already exists, expired credentials): a service's refusal
/// is never reported as our bug.
pub fn from_sdk<E>(err: &SdkError<E, HttpResponse>, what: &str) -> Error
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    classify(err, what, None)
}

/// [`from_sdk`] for a call made by a client opskit did not build (STS inside AssumeRole), whose
/// endpoint was not recorded: named from `AWS_ENDPOINT_URL_<SERVICE>` and the configuration.
fn classify<E>(err: &SdkError<E, HttpResponse>, what: &str, service: Option<&str>) -> Error
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    let endpoint = || match service {
        Some(service) => std::env::var(format!("AWS_ENDPOINT_URL_{}", service.to_ascii_uppercase()))
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| super::endpoint_for_display(&super::AwsSettings::default()))
            .unwrap_or_else(|| format!("AWS {}", service.to_ascii_uppercase())),
        None => endpoint(),
    };
    if let Some(creds) = find_source::<CredentialsError>(err) {
        return credentials_error(what, creds);
    }
    match err {
        SdkError::ServiceError(_) | SdkError::ResponseError(_) => {
            let status = err.raw_response().map(|r| r.status().as_u16());
            let code = err.code().filter(|c| !c.is_empty() && *c != "Unknown");
            let message = err.message().map(str::trim).filter(|m| !m.is_empty());
            // A response the SDK could not read (a success it cannot parse, a body cut short)
            // says nothing about the request: the service's answer is what is wrong.
            let unreadable = matches!(err, SdkError::ResponseError(_)) && status.is_none_or(|s| s < 300);
            if code.is_none() && (status.is_none() || unreadable) {
                return Error::unavailable(format!("{what}: unreadable response from {}: {}", endpoint(), chain(err)));
            }
            let action = err
                .raw_response()
                .and_then(|r| r.headers().get(super::client::DENIED_ACTION_HEADER))
                .map(str::to_owned);
            service_error(what, code, message, status, action.as_deref(), &endpoint())
        }
        SdkError::TimeoutError(_) => Error::unavailable(format!("{what}: no answer from {} in time", endpoint()))
            .with_hint(
                "check the network and the endpoint; the deadline is `timeout` in opskit.toml or OPSKIT_TIMEOUT",
            ),
        SdkError::DispatchFailure(failure) => {
            let why = if failure.is_timeout() { "timed out".to_owned() } else { root_cause(err) };
            Error::unavailable(format!("{what}: could not reach {}: {why}", endpoint()))
                .with_hint("check the network, the endpoint URL and the region; opskit already retried")
        }
        SdkError::ConstructionFailure(_) => Error::config(format!("{what}: cannot build the request: {}", chain(err)))
            .with_hint("check --region, --endpoint-url and the AWS profile's settings"),
        _ => Error::internal(format!("{what}: {}", chain(err))),
    }
}

/// Where calls went: the last request's endpoint, else the configured one, else "AWS".
fn endpoint() -> String {
    super::last_endpoint()
        .or_else(|| super::endpoint_for_display(&super::AwsSettings::default()))
        .unwrap_or_else(|| "AWS".into())
}

/// Error codes meaning the credentials are expired or not valid (as opposed to lacking a
/// permission).
const CREDENTIAL_CODES: &[&str] = &[
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "IncompleteSignature",
    "InvalidAccessKeyId",
    "TokenRefreshRequired",
    "MissingAuthenticationToken",
];

/// Codes meaning someone else changed the thing meanwhile: safe to run again.
const CONFLICT_CODES: &[&str] = &[
    "ConcurrentModificationException",
    "ConcurrentModification",
    "TooManyUpdates",
    "OperationAborted",
    "ConditionalCheckFailedException",
    "PreconditionFailed",
    "ConflictException",
];

/// `action`: the IAM action the call is authorised as, when the service refused it.
fn service_error(
    what: &str,
    code: Option<&str>,
    message: Option<&str>,
    status: Option<u16>,
    action: Option<&str>,
    endpoint: &str,
) -> Error {
    let sentence = match (code, message) {
        (Some(code), Some(message)) => format!("{what}: {code}: {message}"),
        (Some(code), None) => format!("{what}: {code}"),
        (None, Some(message)) => format!("{what}: HTTP {}: {message}", status_text(status)),
        (None, None) => format!("{what}: HTTP {}", status_text(status)),
    };
    let code_is = |list: &[&str]| code.is_some_and(|c| list.contains(&c));
    let status = status.unwrap_or(0);

    // The SDK's classification and the status first.
    if code_is(THROTTLING_ERRORS) || status == 429 {
        return Error::temp_fail(sentence)
            .with_hint("AWS is throttling this account's requests; opskit retried; wait a little and run it again");
    }
    if code_is(CREDENTIAL_CODES) {
        return Error::no_perm(sentence).with_hint(login_hint(&super::profile_in_use()));
    }
    let denied_code = code.is_some_and(|c| {
        c.starts_with("AccessDenied") || matches!(c, "UnauthorizedOperation" | "AuthorizationError" | "Forbidden")
    });
    if denied_code || status == 401 || status == 403 {
        let hint = message.and_then(denied_action).or(action).map_or_else(
            || "your identity lacks the IAM permission for this call; run `doctor` to see who you are".to_owned(),
            |action| format!("the IAM action `{action}` was denied: ask for it to be allowed for your role"),
        );
        return Error::no_perm(sentence).with_hint(hint);
    }
    if code_is(CONFLICT_CODES) || status == 409 || status == 412 {
        return Error::temp_fail(sentence).with_hint("someone else changed it meanwhile; run it again");
    }
    if code_is(TRANSIENT_ERRORS) || status >= 500 {
        return Error::unavailable(format!("{sentence} (from {endpoint})"))
            .with_hint("the service failed after opskit's retries; try again later");
    }
    // Then the code refines a refusal.
    match code {
        Some(c) if c.contains("NotFound") || c.starts_with("NoSuch") => Error::not_found(sentence),
        Some(c) if c.ends_with("AlreadyExists") || c.ends_with("AlreadyExistsException") => {
            Error::cant_create(sentence)
        }
        _ if status == 404 => Error::not_found(sentence),
        // Any other refusal is the service saying the request is wrong for it: bad input.
        _ => Error::data(sentence),
    }
}

fn status_text(status: Option<u16>) -> String {
    match status {
        Some(403) => "403 Forbidden".into(),
        Some(429) => "429 Too Many Requests".into(),
        Some(code) => code.to_string(),
        None => "error".into(),
    }
}

/// Turn a failure to get credentials (outside an SDK call) into our error.
pub fn from_credentials(err: &CredentialsError, what: &str) -> Error {
    credentials_error(what, err)
}

fn credentials_error(what: &str, err: &CredentialsError) -> Error {
    // Getting credentials can itself be an AWS call (AssumeRole): its refusal, throttling or
    // unreachable endpoint means what it means anywhere else.
    if let Some(sts) = find_source::<AssumeRoleSdkError>(err) {
        return classify(sts, &format!("{what}: assuming the role"), Some("sts"));
    }
    let profile = super::profile_in_use();
    let detail = chain(err);
    match err {
        CredentialsError::CredentialsNotLoaded(_) => {
            Error::no_perm(format!("{what}: no AWS credentials found")).with_hint(login_hint(&profile))
        }
        CredentialsError::ProviderTimedOut(_) => {
            Error::unavailable(format!("{what}: getting AWS credentials timed out: {detail}"))
                .with_hint("check the network; SSO and role credentials are fetched from AWS")
        }
        CredentialsError::InvalidConfiguration(_) => {
            Error::config(format!("{what}: the AWS credentials are misconfigured: {detail}"))
                .with_hint("check the profile in ~/.aws/config; `doctor` shows which is in use")
        }
        _ => {
            let lower = detail.to_ascii_lowercase();
            let sentence = format!("{what}: AWS credentials are not usable: {detail}");
            if lower.contains("dispatch failure") || lower.contains("connection refused") || lower.contains("timed out")
            {
                Error::unavailable(sentence)
                    .with_hint("check the network; SSO and role credentials are fetched from AWS")
            } else if lower.contains("throttl") {
                Error::temp_fail(sentence)
                    .with_hint("AWS is throttling this account's requests; wait a little and run it again")
            } else if lower.contains("accessdenied") {
                let hint = denied_action(&detail).map_or_else(
                    || {
                        "your identity is not allowed to get these credentials: check the role's trust policy"
                            .to_owned()
                    },
                    |action| {
                        format!("the IAM action `{action}` was denied: ask for it to be allowed for your identity")
                    },
                );
                Error::no_perm(sentence).with_hint(hint)
            } else {
                Error::no_perm(sentence).with_hint(login_hint_for(&profile, &detail))
            }
        }
    }
}

type AssumeRoleSdkError = SdkError<aws_sdk_sts::operation::assume_role::AssumeRoleError, HttpResponse>;

fn login_hint_for(profile: &str, detail: &str) -> String {
    if detail.to_ascii_lowercase().contains("sso") {
        return format!("your SSO session has expired or is missing: run `aws sso login --profile {profile}`");
    }
    login_hint(profile)
}

fn login_hint(profile: &str) -> String {
    format!(
        "refresh your credentials: `aws sso login --profile {profile}` for SSO profiles, or set AWS_PROFILE / AWS_ACCESS_KEY_ID; `doctor` shows what is in use"
    )
}

/// The action in "... is not authorized to perform: ssm:GetParameter on resource: ...".
fn denied_action(message: &str) -> Option<&str> {
    let rest = &message[message.find("perform: ")? + "perform: ".len()..];
    let action = rest.split(|c: char| c.is_whitespace() || c == ',').next()?;
    action.contains(':').then_some(action)
}

fn find_source<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut cause: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cause {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        cause = e.source();
    }
    None
}

/// Every cause's own message, outermost first, each once: Display only, never Debug, so no
/// Rust structure dumps reach the user.
pub(crate) fn chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cause = Some(err);
    while let Some(e) = cause {
        let text = e.to_string();
        if !text.is_empty() && !parts.last().is_some_and(|last| last.contains(&text)) {
            parts.push(text);
        }
        cause = e.source();
    }
    parts.join(": ")
}

/// The innermost cause ("Connection refused (os error 111)"), which is the useful part of a
/// dispatch failure.
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denied_action_is_extracted() {
        let m = "User: arn:aws:iam::123:user/dev is not authorized to perform: ssm:GetParametersByPath on resource: arn:aws:ssm:us-east-1:123:parameter/app/dev because no identity-based policy allows the ssm:GetParametersByPath action";
        assert_eq!(denied_action(m), Some("ssm:GetParametersByPath"));
        assert_eq!(denied_action("Access Denied"), None);
    }

    #[test]
    fn codes_and_statuses_map_to_exit_codes() {
        use crate::exit::Exit;
        let e = |code: Option<&str>, status: u16| service_error("x", code, None, Some(status), None, "e").exit();
        assert_eq!(e(Some("AccessDeniedException"), 400), Exit::NoPerm);
        assert_eq!(e(Some("ExpiredTokenException"), 400), Exit::NoPerm);
        assert_eq!(e(Some("ThrottlingException"), 400), Exit::TempFail);
        assert_eq!(e(Some("LimitExceededException"), 400), Exit::TempFail);
        assert_eq!(e(Some("ParameterNotFound"), 400), Exit::NotFound);
        assert_eq!(e(Some("NoSuchBucket"), 404), Exit::NotFound);
        assert_eq!(e(Some("ValidationException"), 400), Exit::DataErr);
        assert_eq!(e(Some("InternalServerError"), 500), Exit::Unavailable);
        assert_eq!(e(None, 429), Exit::TempFail);
        assert_eq!(e(None, 403), Exit::NoPerm);
        assert_eq!(e(None, 503), Exit::Unavailable);
        assert_eq!(e(Some("SomethingNewException"), 400), Exit::DataErr);
        assert_eq!(e(Some("SomethingNewException"), 502), Exit::Unavailable);
        assert_eq!(e(Some("PreconditionFailed"), 412), Exit::TempFail);
    }

    #[test]
    fn a_success_the_sdk_cannot_read_is_the_services_fault() {
        use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
        use aws_smithy_runtime_api::http::StatusCode;
        use aws_smithy_types::body::SdkBody;
        let raw = HttpResponse::new(StatusCode::try_from(200).unwrap(), SdkBody::from("{\"SessionDuration\": 3600}"));
        let err: SdkError<GetCallerIdentityError, HttpResponse> = SdkError::response_error("expected a string", raw);
        let e = from_sdk(&err, "describing it");
        assert_eq!(e.exit(), crate::exit::Exit::Unavailable);
        assert!(e.to_string().starts_with("describing it: unreadable response from "), "{e}");
        assert!(e.to_string().ends_with("expected a string"), "{e}");
    }

    #[test]
    fn sso_hint_names_the_profile() {
        assert_eq!(
            login_hint_for("casetracker-dev", "the SSO token has expired"),
            "your SSO session has expired or is missing: run `aws sso login --profile casetracker-dev`"
        );
    }
}
