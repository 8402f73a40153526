//! AWS failures as a small domain enum, with the AWS error code and message kept, and the one
//! place that decides what a failure means: is it passing, can new credentials fix it, and so
//! what to do next ([`recovery`]). The TUI and the headless commands both ask here. The
//! SDK-facing half (turning an `SdkError` into this) lives in `aws::error`; this half is pure.

use crate::escape;
use chrono::TimeDelta;
use std::fmt;

mod backoff;
pub use backoff::{BACKOFF_BASE_SECS, BACKOFF_MAX_SECS, backoff};

/// What kind of failure, as far as what to do next is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
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
    /// The base credentials cannot make this call (temporary ones where STS wants an IAM
    /// user's long-term keys).
    WrongBaseCredentials,
    /// A server-side error.
    Server,
    /// The service sent sts3 elsewhere (another region or endpoint).
    Redirected,
    /// An answer sts3 cannot use: not the XML it should be, a pagination that would loop,
    /// values that cannot be right (a broken or hostile endpoint).
    BadAnswer,
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
    /// The region the service says the bucket is in (`x-amz-bucket-region` on a redirect or a
    /// region error), when it said one.
    pub region: Option<String>,
}

/// The longest wait between automatic retries of a request that failed for a passing reason.
pub const RETRY_MAX_SECS: i64 = 60;

/// What to do about a failed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Passing trouble: try again by itself after this wait.
    RetryAfter(TimeDelta),
    /// It was signed with credentials that have since been replaced: try again now.
    RetryNow,
    /// New credentials may fix it: issue them (once), then try again.
    RefreshThenRetry,
    /// Show it and wait for the user.
    WaitForUser,
}

/// What the caller knows about the failed request, for [`recovery`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attempt {
    /// The session's countdown has reached zero (on the server's clock).
    pub session_expired: bool,
    /// The request was signed with credentials older than the ones now in use.
    pub signed_with_replaced: bool,
    /// This request's one automatic credential refresh has already been used.
    pub refresh_used: bool,
    /// Passing failures in a row before this one.
    pub transient_before: u32,
}

/// The one decision: what to do about `failure` in the situation `attempt` describes.
pub fn recovery(failure: &AwsFailure, attempt: Attempt) -> Recovery {
    if failure.is_transient() {
        let wait = backoff(attempt.transient_before + 1).min(TimeDelta::seconds(RETRY_MAX_SECS));
        return Recovery::RetryAfter(wait);
    }
    if !failure.credentials_may_help(attempt.session_expired) {
        return Recovery::WaitForUser;
    }
    if attempt.signed_with_replaced {
        Recovery::RetryNow
    } else if attempt.refresh_used {
        Recovery::WaitForUser // one automatic refresh per failure, never a loop
    } else {
        Recovery::RefreshThenRetry
    }
}

impl AwsFailure {
    /// A failure in sts3's words (which may quote a server's: the message is escaped and
    /// capped like any text from outside).
    pub fn new(kind: ErrorKind, code: Option<&str>, message: impl AsRef<str>) -> Self {
        Self {
            kind,
            code: code.map(escape::capped),
            message: escape::capped(message.as_ref()),
            status: None,
            region: None,
        }
    }

    /// A failure from a service answer: classified by its code and HTTP status. The code and
    /// message are the server's: escaped for a terminal, and the message cut at 1 KiB.
    pub fn from_service(code: Option<&str>, message: Option<&str>, status: Option<u16>) -> Self {
        let kind = classify(code, status);
        let message = message
            .filter(|m| !m.is_empty())
            .map_or_else(|| default_message(kind, status), escape::capped);
        Self {
            kind,
            code: code.map(escape::capped),
            message,
            status,
            region: None,
        }
    }

    /// S3's answer to a conditional write whose condition failed (`If-None-Match: *` on a key
    /// that exists).
    pub fn is_precondition_failed(&self) -> bool {
        self.code.as_deref() == Some("PreconditionFailed") || self.status == Some(412)
    }

    /// S3's answer about a key that is not there (`NoSuchKey`; HeadObject has no body, so only
    /// its 404).
    pub fn is_not_found(&self) -> bool {
        self.code.as_deref() == Some("NoSuchKey") || self.status == Some(404)
    }

    /// The code to show: the AWS code, or a name for the kind when the service sent none.
    pub fn code_or_kind(&self) -> String {
        self.code
            .clone()
            .unwrap_or_else(|| format!("{:?}", self.kind))
    }

    /// Passing trouble (the network, a timeout, throttling, a server error): worth trying again
    /// by itself after a wait.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Throttled | ErrorKind::Server
        )
    }

    /// The service rejected the credentials themselves (expired, malformed, unknown).
    pub fn is_credential_rejection(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::ExpiredToken | ErrorKind::CredentialsRejected
        )
    }

    /// Whether new credentials may fix it: the service rejected the credentials, or the
    /// session has run out and the answer is one an expired session gets (a 403, or a bodiless
    /// 400 as S3 gives HEAD requests).
    pub fn credentials_may_help(&self, session_expired: bool) -> bool {
        let expiry_shaped = self.kind == ErrorKind::AccessDenied
            || (self.code.is_none() && self.status == Some(400));
        self.is_credential_rejection() || (session_expired && expiry_shaped)
    }

    /// Whether missing or unusable base credentials may be behind it (the SDK reports a
    /// provider with nothing to give as a dispatch failure), so they are worth checking before
    /// blaming the network.
    pub fn may_hide_base_credentials(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Network | ErrorKind::NoCredentials | ErrorKind::Timeout
        )
    }
}

impl fmt::Display for AwsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code_or_kind(), self.message)
    }
}

impl std::error::Error for AwsFailure {}

/// Whether an HTTP status says the service is throttling (429, or 503 as S3's `SlowDown`),
/// rather than failing.
/// `said; more`: a message (AWS's often end in `.`) and what follows it, without `.;`.
pub fn and_then(said: &str, more: &str) -> String {
    format!("{}; {more}", said.trim_end().trim_end_matches('.'))
}

pub fn is_throttling_status(status: u16) -> bool {
    matches!(status, 429 | 503)
}

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
            Some(s) if is_throttling_status(s) => ErrorKind::Throttled,
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
mod tests;
