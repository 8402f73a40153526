//! The session pane's state: the active session, the one being issued, the refresh schedule,
//! and the last failure.

use super::Generation;
use crate::failure::AwsFailure;
use crate::session::{Mode, SessionInfo};
use chrono::{DateTime, Utc};

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
}

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
        }
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.info.as_ref().is_some_and(|i| i.is_expired(now))
    }

    /// The mode a key press would switch to, or is switching to.
    pub fn target_mode(&self) -> Mode {
        self.issuing.map_or(self.mode, |(m, _)| m)
    }
}
