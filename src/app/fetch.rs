//! One request's life, the same for every feature that asks S3 something and shows the answer
//! in place (a page of the listing, an object's detail or preview, a presigned URL, the bucket
//! picker's list, the access check): waiting for credentials → asking (signed with one
//! credential generation) → got, or failed. A failure keeps how it is tried again and its run
//! of failures, and [`Failed::way_out`] is the one answer to "what can the user do now" that
//! every view draws the same way. What to do about a failure is [`decide`]d in one place, on
//! top of [`crate::failure::recovery`].

use crate::app::{Generation, RequestId};
use crate::failure::{Attempt, AwsFailure, Recovery, recovery};
use chrono::{DateTime, Utc};

/// Where one request is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Fetch<T> {
    /// Not asked: no credentials yet (it asks once they come).
    #[default]
    Waiting,
    /// On its way, signed with the credentials of `generation`; `streak` is the run of
    /// failures it asks again after (it ends with an answer).
    Asking {
        id: RequestId,
        generation: Generation,
        streak: Streak,
    },
    Got(T),
    Failed(Failed),
}

/// How a failed request is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// By itself at this time (passing trouble).
    At(DateTime<Utc>),
    /// When new credentials arrive (they are being issued).
    AfterCredentials,
    /// When the user asks.
    ByUser,
}

/// A run of failures of the same request, until one succeeds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Streak {
    /// Passing failures in a row (network, throttling, 5xx), for the backoff.
    pub(crate) transient: u32,
    /// Automatic credential refreshes used.
    pub(crate) refreshes: u32,
    /// The one region hint followed (a server naming region after region is not followed
    /// round the world).
    pub(crate) region_followed: bool,
}

/// A failed request, shown in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failed {
    pub(crate) failure: AwsFailure,
    pub(crate) retry: Retry,
    pub(crate) streak: Streak,
    /// Why the session policy refuses it, when the failure is a refusal the policy explains.
    pub(crate) hint: Option<String>,
}

/// What the user can do about a failure, as every view says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WayOut {
    /// New credentials are on their way; it asks again when they come.
    Refreshing,
    /// It tries again by itself at this time (or now, by the retry key).
    RetryingAt(DateTime<Utc>),
    /// New credentials may let it through: the refresh key.
    Refresh,
    /// Ask again: the feature's retry key.
    AskAgain,
}

/// What the session is doing, as far as a failed request is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SessionNow {
    /// The generation of the credentials in use, if any.
    pub(crate) active: Option<Generation>,
    /// The countdown has reached zero (on the server's clock).
    pub(crate) expired: bool,
    /// New credentials are being issued.
    pub(crate) issuing: bool,
}

/// What the request's owner does next about a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Nothing now: it waits for its time, for credentials already on their way, or for the
    /// user.
    Wait,
    /// Ask again now, with the credentials in use (the failed request was signed with older
    /// ones).
    AskNow,
    /// Issue new credentials; the request asks again when they come.
    Issue,
}

/// The one decision about a failed request signed with `signed_with`: how it is shown, and
/// what to do next. `refreshes_allowed` is how many automatic credential refreshes the request
/// may ask for in one run of failures (one for a read; a long download may ask for more).
pub(crate) fn decide(
    failure: AwsFailure,
    mut streak: Streak,
    signed_with: Generation,
    session: SessionNow,
    refreshes_allowed: u32,
    now: DateTime<Utc>,
) -> (Failed, Next) {
    let attempt = Attempt {
        session_expired: session.expired,
        signed_with_replaced: session.active.is_some_and(|g| g > signed_with),
        refresh_used: streak.refreshes >= refreshes_allowed,
        transient_before: streak.transient,
    };
    let (retry, next) = match recovery(&failure, attempt) {
        Recovery::RetryAfter(wait) => {
            streak.transient += 1;
            (Retry::At(now + wait), Next::Wait)
        }
        Recovery::RetryNow => (Retry::ByUser, Next::AskNow),
        Recovery::RefreshThenRetry => {
            streak.refreshes += 1;
            let next = if session.issuing {
                Next::Wait // the credentials on their way ask again
            } else {
                Next::Issue
            };
            (Retry::AfterCredentials, next)
        }
        Recovery::WaitForUser => (Retry::ByUser, Next::Wait),
    };
    let failed = Failed {
        failure,
        retry,
        streak,
        hint: None,
    };
    (failed, next)
}

impl Failed {
    /// A failure shown as it is, for the user to act on (nothing retries it by itself).
    pub(crate) fn shown(failure: AwsFailure) -> Self {
        Self {
            failure,
            retry: Retry::ByUser,
            streak: Streak::default(),
            hint: None,
        }
    }

    /// What the user can do now: the one rule every view draws.
    pub(crate) fn way_out(&self, session: SessionNow) -> WayOut {
        match self.retry {
            Retry::AfterCredentials if session.issuing => WayOut::Refreshing,
            Retry::At(at) => WayOut::RetryingAt(at),
            _ if self.failure.credentials_may_help(session.expired) => WayOut::Refresh,
            _ => WayOut::AskAgain,
        }
    }

    /// When it is tried again by itself, if it is.
    pub(crate) fn retry_at(&self) -> Option<DateTime<Utc>> {
        match self.retry {
            Retry::At(at) => Some(at),
            Retry::AfterCredentials | Retry::ByUser => None,
        }
    }

    /// `r` was pressed with this failure on screen: whether the new credentials should ask
    /// again (they may let it through), or it stays for the user.
    pub(crate) fn on_refresh_asked(&mut self, session_expired: bool) {
        if self.failure.credentials_may_help(session_expired) {
            self.retry = Retry::AfterCredentials;
        } else if self.retry == Retry::AfterCredentials {
            self.retry = Retry::ByUser;
        }
    }
}

impl<T> Fetch<T> {
    /// A first request, on its way.
    pub(crate) fn asked(id: RequestId, generation: Generation) -> Self {
        Fetch::Asking {
            id,
            generation,
            streak: Streak::default(),
        }
    }

    /// Asks (again) under `id`, keeping the run of failures it asks again after.
    pub(crate) fn ask(&mut self, id: RequestId, generation: Generation) {
        *self = Fetch::Asking {
            id,
            generation,
            streak: self.streak(),
        };
    }

    /// The request on its way, if one is.
    pub(crate) fn asking(&self) -> Option<(RequestId, Generation)> {
        match self {
            Fetch::Asking { id, generation, .. } => Some((*id, *generation)),
            _ => None,
        }
    }

    /// Whether `id` is the request this one waits for (answers to others are stale).
    pub(crate) fn is_asking(&self, id: RequestId) -> bool {
        self.asking().is_some_and(|(asked, _)| asked == id)
    }

    pub(crate) fn got(&self) -> Option<&T> {
        match self {
            Fetch::Got(value) => Some(value),
            _ => None,
        }
    }

    pub(crate) fn failed(&self) -> Option<&Failed> {
        match self {
            Fetch::Failed(failed) => Some(failed),
            _ => None,
        }
    }

    pub(crate) fn failed_mut(&mut self) -> Option<&mut Failed> {
        match self {
            Fetch::Failed(failed) => Some(failed),
            _ => None,
        }
    }

    /// The run of failures this request is in (none once it got an answer).
    pub(crate) fn streak(&self) -> Streak {
        match self {
            Fetch::Asking { streak, .. } => *streak,
            Fetch::Failed(failed) => failed.streak,
            Fetch::Waiting | Fetch::Got(_) => Streak::default(),
        }
    }

    /// Whether it asks again when new credentials come: it waits for its first ones, or a
    /// failure waits for a refresh.
    pub(crate) fn awaits_credentials(&self) -> bool {
        match self {
            Fetch::Waiting => true,
            Fetch::Failed(f) => f.retry == Retry::AfterCredentials,
            Fetch::Asking { .. } | Fetch::Got(_) => false,
        }
    }

    /// The request `id` failed, for a read shown in place (a view, a page of versions): the
    /// failure decided as every request's is (one credential refresh), with `hint`, and not
    /// asked again by itself after passing trouble (the user sees it and retries). What to do
    /// next; `None` for a stale answer.
    pub(crate) fn fail_in_place(
        &mut self,
        id: RequestId,
        failure: AwsFailure,
        hint: Option<String>,
        (session, now): (SessionNow, DateTime<Utc>),
    ) -> Option<Next> {
        let (_, signed_with) = self.asking().filter(|(asked, _)| *asked == id)?;
        let (mut failed, next) = decide(failure, self.streak(), signed_with, session, 1, now);
        failed.hint = hint;
        if failed.failure.is_transient() {
            failed.retry = Retry::ByUser;
        }
        *self = Fetch::Failed(failed);
        Some(next)
    }

    /// The answer to `id` came: kept if `id` is the request this one waits for.
    pub(crate) fn answer(&mut self, id: RequestId, value: T) -> bool {
        if !self.is_asking(id) {
            return false;
        }
        *self = Fetch::Got(value);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::ErrorKind;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, 12, 0, 0).unwrap()
    }

    fn session(active: u64, expired: bool, issuing: bool) -> SessionNow {
        SessionNow {
            active: Some(Generation(active)),
            expired,
            issuing,
        }
    }

    fn failure(kind: ErrorKind) -> AwsFailure {
        AwsFailure::new(kind, None, "x")
    }

    #[test]
    fn passing_trouble_waits_its_backoff_and_counts_the_streak() {
        let streak = Streak {
            transient: 2,
            ..Streak::default()
        };
        let (failed, next) = decide(
            failure(ErrorKind::Network),
            streak,
            Generation(1),
            session(1, false, false),
            1,
            now(),
        );
        assert_eq!(next, Next::Wait);
        assert_eq!(failed.streak.transient, 3);
        assert_eq!(
            failed.retry,
            Retry::At(now() + crate::failure::backoff(3)),
            "the third failure in a row waits the third backoff"
        );
        assert_eq!(
            failed.way_out(session(1, false, false)),
            WayOut::RetryingAt(now() + crate::failure::backoff(3))
        );
    }

    #[test]
    fn an_expired_token_issues_once_then_waits_for_the_user() {
        let expired = failure(ErrorKind::ExpiredToken);
        let (failed, next) = decide(
            expired.clone(),
            Streak::default(),
            Generation(1),
            session(1, true, false),
            1,
            now(),
        );
        assert_eq!((failed.retry, next), (Retry::AfterCredentials, Next::Issue));
        assert_eq!(failed.streak.refreshes, 1);
        assert_eq!(
            failed.way_out(session(1, true, true)),
            WayOut::Refreshing,
            "while the credentials are issued"
        );
        // While issuing, it waits for the ones on their way instead of asking for more.
        let (_, next) = decide(
            expired.clone(),
            Streak::default(),
            Generation(1),
            session(1, true, true),
            1,
            now(),
        );
        assert_eq!(next, Next::Wait);
        // The one refresh is used: the user decides.
        let (failed, next) = decide(
            expired.clone(),
            failed.streak,
            Generation(1),
            session(1, true, false),
            1,
            now(),
        );
        assert_eq!((failed.retry, next), (Retry::ByUser, Next::Wait));
        assert_eq!(failed.way_out(session(1, true, false)), WayOut::Refresh);
        // A download may ask twice.
        let (_, next) = decide(
            expired,
            Streak {
                refreshes: 1,
                ..Streak::default()
            },
            Generation(1),
            session(1, true, false),
            2,
            now(),
        );
        assert_eq!(next, Next::Issue);
    }

    #[test]
    fn a_refusal_signed_with_replaced_credentials_asks_again_now() {
        let (failed, next) = decide(
            failure(ErrorKind::ExpiredToken),
            Streak::default(),
            Generation(1),
            session(2, false, false),
            1,
            now(),
        );
        assert_eq!(next, Next::AskNow);
        assert_eq!(failed.streak.refreshes, 0, "no refresh was used");
    }

    #[test]
    fn a_plain_refusal_is_asked_again_by_the_user() {
        let (failed, next) = decide(
            failure(ErrorKind::NoSuchBucket),
            Streak::default(),
            Generation(1),
            session(1, false, false),
            1,
            now(),
        );
        assert_eq!((failed.retry, next), (Retry::ByUser, Next::Wait));
        assert_eq!(failed.way_out(session(1, false, false)), WayOut::AskAgain);
    }

    #[test]
    fn r_makes_a_refusal_new_credentials_may_fix_wait_for_them_and_nothing_else() {
        let mut failed = decide(
            failure(ErrorKind::AccessDenied),
            Streak::default(),
            Generation(1),
            session(1, false, false),
            1,
            now(),
        )
        .0;
        failed.on_refresh_asked(false);
        assert_eq!(failed.retry, Retry::ByUser, "a live session's denial stays");
        failed.on_refresh_asked(true);
        assert_eq!(
            failed.retry,
            Retry::AfterCredentials,
            "an expired session's denial may be the expiry"
        );
        failed.failure = failure(ErrorKind::NoSuchBucket);
        failed.on_refresh_asked(true);
        assert_eq!(failed.retry, Retry::ByUser);
    }

    #[test]
    fn only_the_request_asked_for_is_answered() {
        let mut fetch: Fetch<u8> = Fetch::asked(RequestId(2), Generation(1));
        assert!(!fetch.awaits_credentials() && fetch.is_asking(RequestId(2)));
        assert!(!fetch.answer(RequestId(1), 7), "a stale answer is dropped");
        assert_eq!(fetch.got(), None);
        assert!(fetch.answer(RequestId(2), 7));
        assert_eq!(fetch.got(), Some(&7));
        assert!(!fetch.answer(RequestId(2), 8), "answered once");
        assert!(Fetch::<u8>::Waiting.awaits_credentials());
    }

    #[test]
    fn asking_again_keeps_the_run_of_failures_and_an_answer_ends_it() {
        let (failed, _) = decide(
            failure(ErrorKind::ExpiredToken),
            Streak::default(),
            Generation(1),
            session(1, true, false),
            1,
            now(),
        );
        let mut fetch: Fetch<u8> = Fetch::Failed(failed);
        fetch.ask(RequestId(3), Generation(2));
        assert_eq!(fetch.streak().refreshes, 1, "the refresh stays used");
        assert_eq!(fetch.asking(), Some((RequestId(3), Generation(2))));
        assert!(fetch.answer(RequestId(3), 1));
        assert_eq!(fetch.streak(), Streak::default());
    }
}
