//! The session pane's state: the active session, the one being issued, the refresh schedule,
//! and the last failure.

mod issue;

pub use issue::clock_offset_text;

use super::Generation;
use crate::failure::AwsFailure;
use crate::credentials::{Mode, SessionInfo};
use chrono::{DateTime, TimeDelta, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    /// The mode of the active session (or of the first one being issued).
    pub mode: Mode,
    pub info: Option<SessionInfo>,
    /// The newest generation asked for; answers for older ones are dropped.
    pub latest: Generation,
    /// The generation whose credentials sign requests now.
    pub active: Option<Generation>,
    /// A request is in flight, for this mode, since this time.
    pub issuing: Option<(Mode, DateTime<Utc>)>,
    pub refresh_at: Option<DateTime<Utc>>,
    /// Successful refreshes of the active mode.
    pub refresh_count: u32,
    /// Failed attempts in a row, and when to try again.
    pub failures: u32,
    pub retry_at: Option<DateTime<Utc>>,
    pub last_error: Option<SessionError>,
    /// How far the local clock is ahead of the server's (negative: behind), measured at the
    /// last issue; zero when within [`CLOCK_TOLERANCE_SECS`].
    pub clock_offset: TimeDelta,
}

/// Offsets smaller than this are network latency, not a wrong clock.
pub const CLOCK_TOLERANCE_SECS: i64 = 60;

/// A failure to show in the session pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionError {
    pub mode: Mode,
    pub text: String,
    pub at: DateTime<Utc>,
}

impl SessionError {
    pub fn aws(mode: Mode, failure: &AwsFailure, at: DateTime<Utc>) -> Self {
        Self {
            mode,
            text: failure.to_string(),
            at,
        }
    }
}

impl SessionState {
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            info: None,
            latest: Generation(0),
            active: None,
            issuing: None,
            refresh_at: None,
            refresh_count: 0,
            failures: 0,
            retry_at: None,
            last_error: None,
            clock_offset: TimeDelta::zero(),
        }
    }

    /// The server's time, from ours and the measured offset. Expiry is the server's notion.
    pub fn server_now(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.clock_offset
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        let server_now = self.server_now(now);
        self.info.as_ref().is_some_and(|i| i.is_expired(server_now))
    }

    /// Time left on the server's clock, never negative.
    pub fn remaining(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        let server_now = self.server_now(now);
        self.info.as_ref().map(|i| i.remaining(server_now))
    }

    /// Measures the clock offset from an answer: the server's `Date` against our clock when we
    /// asked. Without a `Date` there is nothing to measure by, and none is assumed.
    pub fn measure_clock(&mut self, info: &SessionInfo) {
        let offset = info
            .server_date
            .map_or(TimeDelta::zero(), |server| info.issued_at - server);
        self.clock_offset = if offset.num_seconds().abs() < CLOCK_TOLERANCE_SECS {
            TimeDelta::zero()
        } else {
            offset
        };
    }

    /// The mode a key press would switch to, or is switching to.
    pub fn target_mode(&self) -> Mode {
        self.issuing.map_or(self.mode, |(m, _)| m)
    }
}
