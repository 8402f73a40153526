//! AWS failures as a small domain enum, with the AWS error code and message kept. The SDK-facing
//! half (turning an `SdkError` into this) lives in `aws::error`; this half is pure.

use std::fmt;

/// What kind of failure, as far as what to do next is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The session token has expired: refresh credentials.
    ExpiredToken,
    /// The credentials were rejected (malformed token, unknown key, bad signature).
    CredentialsRejected,
    /// Signed correctly but not allowed.
    AccessDenied,
    NoSuchBucket,
    /// Slow down / throttled / service unavailable.
    Throttled,
    /// The local clock is too far from the server's.
    ClockSkew,
    /// Could not connect, or the connection broke.
    Network,
    Timeout,
    /// The request itself was invalid (bad parameter, malformed policy...).
    InvalidRequest,
    /// No base credentials could be found to call STS with.
    NoCredentials,
    /// A server-side error.
    Server,
    Other,
}

/// An AWS call that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsFailure {
    pub kind: ErrorKind,
    /// The AWS error code (`ExpiredToken`, `AccessDenied`...), when the service sent one.
    pub code: Option<String>,
    pub message: String,
    pub status: Option<u16>,
}

impl AwsFailure {
    pub fn new(kind: ErrorKind, code: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: code.map(str::to_string),
            message: message.into(),
            status: None,
        }
    }

    /// A failure from a service answer: classified by its code and HTTP status.
    pub fn from_service(code: Option<&str>, message: Option<&str>, status: Option<u16>) -> Self {
        let kind = classify(code, status);
        let message = message
            .filter(|m| !m.is_empty())
            .map_or_else(|| default_message(kind, status), str::to_string);
        Self {
            kind,
            code: code.map(str::to_string),
            message,
            status,
        }
    }

    /// The code to show: the AWS code, or a name for the kind when the service sent none.
    pub fn code_or_kind(&self) -> String {
        self.code
            .clone()
            .unwrap_or_else(|| format!("{:?}", self.kind))
    }

    /// Whether new credentials could fix it.
    pub fn is_credential_problem(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::ExpiredToken | ErrorKind::CredentialsRejected
        )
    }
}

impl fmt::Display for AwsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code_or_kind(), self.message)
    }
}

impl std::error::Error for AwsFailure {}

/// Maps an AWS error code (and, for bodiless answers like HEAD, the HTTP status) to a kind.
pub fn classify(code: Option<&str>, status: Option<u16>) -> ErrorKind {
    match code {
        Some("ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired") => {
            ErrorKind::ExpiredToken
        }
        Some(
            "InvalidToken"
            | "InvalidAccessKeyId"
            | "SignatureDoesNotMatch"
            | "InvalidClientTokenId"
            | "UnrecognizedClientException"
            | "IncompleteSignature"
            | "MissingAuthenticationToken",
        ) => ErrorKind::CredentialsRejected,
        Some("AccessDenied" | "AccessDeniedException" | "AllAccessDisabled") => {
            ErrorKind::AccessDenied
        }
        Some("NoSuchBucket") => ErrorKind::NoSuchBucket,
        Some(
            "SlowDown"
            | "Throttling"
            | "ThrottlingException"
            | "RequestLimitExceeded"
            | "ServiceUnavailable"
            | "TooManyRequestsException",
        ) => ErrorKind::Throttled,
        Some("RequestTimeTooSkewed" | "RequestExpired") => ErrorKind::ClockSkew,
        Some("InternalError" | "InternalFailure" | "ServiceFailure") => ErrorKind::Server,
        Some(
            "InvalidParameterValue"
            | "MalformedPolicyDocument"
            | "PackedPolicyTooLarge"
            | "ValidationError"
            | "InvalidArgument"
            | "InvalidBucketName"
            | "MissingParameter",
        ) => ErrorKind::InvalidRequest,
        Some(_) => ErrorKind::Other,
        None => match status {
            Some(403) => ErrorKind::AccessDenied,
            Some(404) => ErrorKind::NoSuchBucket,
            Some(429 | 503) => ErrorKind::Throttled,
            Some(s) if s >= 500 => ErrorKind::Server,
            Some(400) => ErrorKind::InvalidRequest,
            _ => ErrorKind::Other,
        },
    }
}

fn default_message(kind: ErrorKind, status: Option<u16>) -> String {
    let status = status.map_or_else(String::new, |s| format!(" (HTTP {s})"));
    match kind {
        ErrorKind::AccessDenied => format!("access denied{status}"),
        ErrorKind::NoSuchBucket => format!("not found{status}"),
        _ => format!("the service answered with an error{status}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_codes() {
        assert_eq!(
            classify(Some("ExpiredToken"), Some(400)),
            ErrorKind::ExpiredToken
        );
        assert_eq!(
            classify(Some("InvalidToken"), Some(400)),
            ErrorKind::CredentialsRejected
        );
        assert_eq!(
            classify(Some("InvalidAccessKeyId"), Some(403)),
            ErrorKind::CredentialsRejected
        );
        assert_eq!(
            classify(Some("SignatureDoesNotMatch"), Some(403)),
            ErrorKind::CredentialsRejected
        );
        assert_eq!(
            classify(Some("AccessDenied"), Some(403)),
            ErrorKind::AccessDenied
        );
        assert_eq!(
            classify(Some("NoSuchBucket"), Some(404)),
            ErrorKind::NoSuchBucket
        );
        assert_eq!(classify(Some("SlowDown"), Some(503)), ErrorKind::Throttled);
        assert_eq!(
            classify(Some("RequestTimeTooSkewed"), Some(403)),
            ErrorKind::ClockSkew
        );
        assert_eq!(
            classify(Some("InternalError"), Some(500)),
            ErrorKind::Server
        );
        assert_eq!(classify(None, Some(403)), ErrorKind::AccessDenied);
        assert_eq!(classify(None, Some(500)), ErrorKind::Server);
        assert_eq!(classify(Some("Weird"), Some(400)), ErrorKind::Other);
    }

    #[test]
    fn display_keeps_code_and_message() {
        let f = AwsFailure::from_service(
            Some("ExpiredToken"),
            Some("The provided token has expired."),
            Some(400),
        );
        assert_eq!(
            f.to_string(),
            "ExpiredToken: The provided token has expired."
        );
        assert!(f.is_credential_problem());
        let head = AwsFailure::from_service(None, None, Some(403));
        assert_eq!(head.to_string(), "AccessDenied: access denied (HTTP 403)");
    }
}
