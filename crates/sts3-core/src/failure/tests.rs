//! Classification, messages, and the recovery table: every `ErrorKind` in every situation.

use super::*;
use strum::IntoEnumIterator;

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
    assert!(f.is_credential_rejection());
    let head = AwsFailure::from_service(None, None, Some(403));
    assert_eq!(head.to_string(), "AccessDenied: access denied (HTTP 403)");
}

/// What each kind leads to, in each situation a request can fail in. One row per kind; the
/// columns are (session expired?, signed with replaced credentials?, refresh used?).
#[test]
fn recovery_for_every_kind_and_situation() {
    use Recovery::{RefreshThenRetry as Refresh, RetryNow as Now, WaitForUser as Wait};
    let after = |secs| Recovery::RetryAfter(TimeDelta::seconds(secs));
    // (live, -, -), (expired, -, -), (live, replaced, -), (live, -, used), (expired, -, used)
    let expected = |kind: ErrorKind| -> [Recovery; 5] {
        match kind {
            ErrorKind::ExpiredToken | ErrorKind::CredentialsRejected => {
                [Refresh, Refresh, Now, Wait, Wait]
            }
            // Only an expired session turns a denial into a credential problem.
            ErrorKind::AccessDenied => [Wait, Refresh, Wait, Wait, Wait],
            ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Throttled | ErrorKind::Server => {
                [after(5), after(5), after(5), after(5), after(5)]
            }
            ErrorKind::NoSuchBucket
            | ErrorKind::ClockSkew
            | ErrorKind::InvalidRequest
            | ErrorKind::NoCredentials
            | ErrorKind::WrongBaseCredentials
            | ErrorKind::BadAnswer
            | ErrorKind::Redirected
            | ErrorKind::Other => [Wait; 5],
        }
    };
    let situations = [
        Attempt::default(),
        Attempt {
            session_expired: true,
            ..Attempt::default()
        },
        Attempt {
            signed_with_replaced: true,
            ..Attempt::default()
        },
        Attempt {
            refresh_used: true,
            ..Attempt::default()
        },
        Attempt {
            session_expired: true,
            refresh_used: true,
            ..Attempt::default()
        },
    ];
    for kind in ErrorKind::iter() {
        // A code-bearing answer, so the bodiless-400 rule below does not apply here.
        let failure = AwsFailure {
            kind,
            code: Some("Code".into()),
            message: "m".into(),
            status: Some(403),
            region: None,
        };
        let got = situations.map(|a| recovery(&failure, a));
        assert_eq!(got, expected(kind), "{kind:?}");
    }
}

#[test]
fn a_bodiless_400_counts_as_expiry_only_once_the_session_ran_out() {
    // S3 answers HEAD with no body: an expired token is a bare 400.
    let head = AwsFailure::from_service(None, None, Some(400));
    assert_eq!(head.kind, ErrorKind::InvalidRequest);
    assert!(!head.credentials_may_help(false));
    assert!(head.credentials_may_help(true));
    let with_code = AwsFailure::from_service(Some("InvalidArgument"), None, Some(400));
    assert!(!with_code.credentials_may_help(true));
}

#[test]
fn passing_failures_back_off_doubling_up_to_a_minute() {
    let failure = AwsFailure::new(ErrorKind::Network, None, "refused");
    let waits: Vec<i64> = (0..8)
        .map(|before| {
            match recovery(
                &failure,
                Attempt {
                    transient_before: before,
                    ..Attempt::default()
                },
            ) {
                Recovery::RetryAfter(w) => w.num_seconds(),
                other => panic!("{other:?}"),
            }
        })
        .collect();
    assert_eq!(waits, [5, 10, 20, 40, 60, 60, 60, 60]);
}

#[test]
fn only_reachability_and_missing_credentials_may_hide_base_credentials() {
    let hiding: Vec<ErrorKind> = ErrorKind::iter()
        .filter(|k| AwsFailure::new(*k, None, "m").may_hide_base_credentials())
        .collect();
    assert_eq!(
        hiding,
        [
            ErrorKind::Network,
            ErrorKind::Timeout,
            ErrorKind::NoCredentials
        ]
    );
}

#[test]
fn bodiless_answers_are_classified_by_status() {
    for (status, kind) in [
        (403, ErrorKind::AccessDenied),
        (404, ErrorKind::NoSuchBucket),
        (429, ErrorKind::Throttled),
        (503, ErrorKind::Throttled),
        (500, ErrorKind::Server),
        (400, ErrorKind::InvalidRequest),
        (418, ErrorKind::Other),
    ] {
        assert_eq!(classify(None, Some(status)), kind, "{status}");
    }
    assert_eq!(
        AwsFailure::from_service(None, None, Some(404)).to_string(),
        "NoSuchBucket: not found (HTTP 404)"
    );
    assert_eq!(
        AwsFailure::from_service(None, None, Some(500)).to_string(),
        "Server: the service answered with an error (HTTP 500)"
    );
}

#[test]
fn a_message_and_what_follows_it_are_joined_without_a_stray_full_stop() {
    assert_eq!(
        and_then("AccessDenied: Access Denied.", "the policy says why"),
        "AccessDenied: Access Denied; the policy says why"
    );
    assert_eq!(and_then("plain ", "more"), "plain; more");
}

#[test]
fn a_missing_key_is_told_by_its_code_or_by_a_bodiless_404() {
    assert!(AwsFailure::from_service(Some("NoSuchKey"), None, Some(404)).is_not_found());
    assert!(AwsFailure::from_service(Some("NoSuchKey"), None, None).is_not_found());
    assert!(AwsFailure::from_service(None, None, Some(404)).is_not_found());
    assert!(!AwsFailure::from_service(Some("AccessDenied"), None, Some(403)).is_not_found());
    assert!(!AwsFailure::from_service(None, None, Some(412)).is_not_found());
}
