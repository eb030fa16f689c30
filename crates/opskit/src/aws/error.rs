//! SDK errors as sentences and exit codes: AccessDenied names the denied action, an expired
//! SSO session gives the exact `aws sso login` line, throttling exits 75, and an unreachable
//! endpoint exits 69 naming it.

use std::error::Error as StdError;
use std::fmt::{Debug, Display};

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::Error;
use crate::exit::Exit;

/// `.aws_context("reading /app/dev")?` on any SDK call's result.
pub trait AwsResultExt<T> {
    fn aws_context(self, what: impl Display) -> Result<T, Error>;
}

impl<T, E, R> AwsResultExt<T> for Result<T, SdkError<E, R>>
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: Debug + Send + Sync + 'static,
{
    fn aws_context(self, what: impl Display) -> Result<T, Error> {
        self.map_err(|err| from_sdk(&err, &what.to_string()))
    }
}

/// Turn an SDK error from doing `what` into our error.
pub fn from_sdk<E, R>(err: &SdkError<E, R>, what: &str) -> Error
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: Debug + Send + Sync + 'static,
{
    let settings = super::settings_in_use();
    let profile = settings.and_then(|s| s.profile.clone()).unwrap_or_else(|| "default".into());

    if let Some(creds) = find_source::<CredentialsError>(err) {
        return credentials_error(what, creds, &profile);
    }
    match err {
        SdkError::ServiceError(_) => {
            let code = err.code().unwrap_or("Unknown");
            let message = err.message().unwrap_or("").trim();
            let sentence =
                if message.is_empty() { format!("{what}: {code}") } else { format!("{what}: {code}: {message}") };
            service_error(code, message, sentence, &profile)
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            let endpoint = settings.and_then(super::endpoint_for_display).unwrap_or_else(|| "AWS".into());
            Error::unavailable(format!("{what}: could not reach {endpoint}: {}", root_cause(err)))
                .with_hint("check the network, the endpoint URL and the region; opskit already retried")
        }
        SdkError::ResponseError(_) => {
            Error::unavailable(format!("{what}: unreadable response from AWS: {}", chain(err)))
        }
        SdkError::ConstructionFailure(_) => Error::config(format!("{what}: cannot build the request: {}", chain(err)))
            .with_hint("check --region, --endpoint-url and the AWS profile's settings"),
        _ => Error::internal(format!("{what}: {}", chain(err))),
    }
}

fn service_error(code: &str, message: &str, sentence: String, profile: &str) -> Error {
    match code {
        c if c.starts_with("AccessDenied") || c == "UnauthorizedOperation" || c == "AuthorizationError" => {
            let hint = denied_action(message).map_or_else(
                || "your identity lacks the IAM permission for this call; run `doctor` to see who you are".to_owned(),
                |action| format!("the IAM action `{action}` was denied: ask for it to be allowed for your role"),
            );
            Error::no_perm(sentence).with_hint(hint)
        }
        "ExpiredToken"
        | "ExpiredTokenException"
        | "RequestExpired"
        | "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "SignatureDoesNotMatch"
        | "InvalidSignatureException"
        | "IncompleteSignature"
        | "InvalidAccessKeyId"
        | "TokenRefreshRequired" => Error::no_perm(sentence).with_hint(login_hint(profile)),
        "Throttling"
        | "ThrottlingException"
        | "ThrottledException"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "RequestThrottled"
        | "RequestThrottledException"
        | "SlowDown"
        | "ProvisionedThroughputExceededException"
        | "PriorRequestNotComplete" => Error::temp_fail(sentence)
            .with_hint("AWS is throttling this account's requests; wait a little and run it again"),
        "ConcurrentModificationException"
        | "TooManyUpdates"
        | "OperationAborted"
        | "ConditionalCheckFailedException"
        | "PreconditionFailed" => {
            Error::temp_fail(sentence).with_hint("someone else changed it meanwhile; run it again")
        }
        "ServiceUnavailable"
        | "ServiceUnavailableException"
        | "InternalError"
        | "InternalFailure"
        | "InternalServerError"
        | "InternalServerException"
        | "InternalServiceError" => Error::unavailable(sentence),
        c if c.contains("NotFound") || c.starts_with("NoSuch") => Error::not_found(sentence),
        c if c.ends_with("AlreadyExists") || c.ends_with("AlreadyExistsException") => Error::cant_create(sentence),
        c if c.starts_with("Validation") || c.starts_with("Invalid") || c.starts_with("Malformed") => {
            Error::data(sentence)
        }
        _ => Error::new(Exit::Internal, sentence),
    }
}

/// Turn a failure to get credentials (outside an SDK call) into our error.
pub fn from_credentials(err: &CredentialsError, what: &str) -> Error {
    let profile = super::settings_in_use().and_then(|s| s.profile.clone()).unwrap_or_else(|| "default".into());
    credentials_error(what, err, &profile)
}

fn credentials_error(what: &str, err: &CredentialsError, profile: &str) -> Error {
    let detail = chain(err);
    let sentence = match err {
        CredentialsError::CredentialsNotLoaded(_) => format!("{what}: no AWS credentials found"),
        _ => format!("{what}: AWS credentials are not usable: {detail}"),
    };
    // Getting credentials can itself be an AWS call (AssumeRole, SSO): its refusal or
    // throttling means the same as anywhere else.
    if detail.contains("AccessDenied") {
        let hint = denied_action(&detail).map_or_else(
            || "the role cannot be assumed by your identity: check the role's trust policy".to_owned(),
            |action| format!("the IAM action `{action}` was denied: ask for it to be allowed for your identity"),
        );
        return Error::no_perm(sentence).with_hint(hint);
    }
    if detail.contains("Throttl") {
        return Error::temp_fail(sentence)
            .with_hint("AWS is throttling this account's requests; wait a little and run it again");
    }
    Error::no_perm(sentence).with_hint(login_hint_for(profile, &detail))
}

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
fn chain(err: &(dyn StdError + 'static)) -> String {
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
    fn codes_map_to_exit_codes() {
        let e = |code| service_error(code, "", String::new(), "p").exit();
        assert_eq!(e("AccessDeniedException"), Exit::NoPerm);
        assert_eq!(e("ExpiredTokenException"), Exit::NoPerm);
        assert_eq!(e("ThrottlingException"), Exit::TempFail);
        assert_eq!(e("ParameterNotFound"), Exit::NotFound);
        assert_eq!(e("NoSuchBucket"), Exit::NotFound);
        assert_eq!(e("ValidationException"), Exit::DataErr);
        assert_eq!(e("InternalServerError"), Exit::Unavailable);
    }

    #[test]
    fn sso_hint_names_the_profile() {
        assert_eq!(
            login_hint_for("casetracker-dev", "the SSO token has expired"),
            "your SSO session has expired or is missing: run `aws sso login --profile casetracker-dev`"
        );
    }
}
