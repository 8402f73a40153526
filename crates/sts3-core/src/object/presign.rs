//! How long a presigned URL works. A URL signed with temporary credentials stops working when
//! the session expires, whatever its `X-Amz-Expires` says; so sts3 signs for no longer than the
//! session has left, and says which bound applies.

use chrono::{DateTime, TimeDelta, Utc};
use thiserror::Error;

/// SigV4's longest presigned validity: 7 days.
pub const MAX_SECS: u64 = 604_800;

/// The validity a URL gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    /// What goes into `X-Amz-Expires`.
    pub secs: u64,
    /// When the URL stops working.
    pub until: DateTime<Utc>,
    /// The session ends first: the request was cut to its expiry.
    pub capped_by_session: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PresignError {
    #[error(
        "--expires {0} is out of range; pass --expires between 1 and {MAX_SECS} seconds (7 days)"
    )]
    OutOfRange(u64),
    #[error(
        "the session has expired, so a URL signed with it would not work; refresh the credentials first"
    )]
    SessionOver,
}

/// The validity of a URL asked to last `requested_secs` from `now` (on the server's clock),
/// signed with a session that ends at `session_expires`.
pub fn validity(
    requested_secs: u64,
    now: DateTime<Utc>,
    session_expires: DateTime<Utc>,
) -> Result<Validity, PresignError> {
    if requested_secs == 0 || requested_secs > MAX_SECS {
        return Err(PresignError::OutOfRange(requested_secs));
    }
    // Whole seconds left; a URL valid for less than one second is of no use.
    let left = u64::try_from((session_expires - now).num_seconds()).unwrap_or(0);
    if left == 0 {
        return Err(PresignError::SessionOver);
    }
    let capped_by_session = left < requested_secs;
    let secs = requested_secs.min(left);
    Ok(Validity {
        secs,
        until: now + TimeDelta::seconds(i64::try_from(secs).unwrap_or(i64::MAX)),
        capped_by_session,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, h, m, s).unwrap()
    }

    #[test]
    fn a_url_never_outlives_the_session() {
        let v = validity(3600, at(14, 0, 0), at(14, 46, 19)).unwrap();
        assert_eq!(v.secs, 46 * 60 + 19);
        assert_eq!(v.until, at(14, 46, 19));
        assert!(v.capped_by_session);
    }

    #[test]
    fn a_url_within_the_session_keeps_what_was_asked() {
        let v = validity(600, at(14, 0, 0), at(14, 46, 19)).unwrap();
        assert_eq!(
            (v.secs, v.until, v.capped_by_session),
            (600, at(14, 10, 0), false)
        );
        // Exactly the time left is not a cut.
        let v = validity(2779, at(14, 0, 0), at(14, 46, 19)).unwrap();
        assert_eq!((v.secs, v.capped_by_session), (2779, false));
        let v = validity(2780, at(14, 0, 0), at(14, 46, 19)).unwrap();
        assert_eq!((v.secs, v.capped_by_session), (2779, true));
    }

    #[test]
    fn out_of_range_and_expired_sessions_are_refused() {
        let later = at(23, 0, 0);
        assert_eq!(
            validity(0, at(14, 0, 0), later),
            Err(PresignError::OutOfRange(0))
        );
        assert_eq!(
            validity(MAX_SECS + 1, at(14, 0, 0), later),
            Err(PresignError::OutOfRange(MAX_SECS + 1))
        );
        assert!(validity(MAX_SECS, at(14, 0, 0), at(14, 0, 0) + TimeDelta::days(8)).is_ok());
        assert_eq!(
            validity(60, at(14, 0, 0), at(14, 0, 0)),
            Err(PresignError::SessionOver)
        );
        assert_eq!(
            validity(60, at(14, 0, 1), at(14, 0, 0)),
            Err(PresignError::SessionOver)
        );
        assert_eq!(
            validity(
                60,
                at(14, 0, 0),
                at(14, 0, 0) + TimeDelta::milliseconds(900)
            ),
            Err(PresignError::SessionOver),
            "less than a second left"
        );
    }
}
