//! The session's lifecycle: the active session (if any), the one being issued, the refresh
//! plan, failures and the clock offset. One enum says where the lifecycle is ([`Phase`]); the
//! transitions are the intent-named methods below, so no other file pokes at its fields.

mod issue;

pub(crate) use issue::clock_offset_text;

use super::Generation;
use crate::credentials::schedule::{refresh_at, served_refresh_at};
use crate::credentials::{ClockReading, Mode, SessionInfo};
use crate::failure::AwsFailure;
use crate::failure::backoff;
use chrono::{DateTime, TimeDelta, Utc};

/// The shortest time between an issue and the next planned refresh.
pub(crate) const MIN_REFRESH_SECS: i64 = 30;

/// What happens next when nothing is in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Nothing is planned (no session yet, or a prompt was cancelled).
    Nothing,
    /// The active session is refreshed at this time.
    Refresh { at: DateTime<Utc> },
    /// The last `failures` attempts failed; the next one is at `at`.
    Retry { failures: u32, at: DateTime<Utc> },
}

/// Where the lifecycle is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Nothing in flight; `Plan` says what comes next.
    Waiting(Plan),
    /// A request for `mode` is in flight (the newest generation) since `since`. `failures` is
    /// the count of failed attempts before it; `fallback` is the plan to go back to if it was a
    /// switch to another mode and fails.
    Issuing {
        mode: Mode,
        since: DateTime<Utc>,
        failures: u32,
        fallback: Plan,
    },
}

/// The credentials in use, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Active {
    generation: Generation,
    info: SessionInfo,
}

/// A failure to show in the session pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SessionError {
    pub(crate) mode: Mode,
    pub(crate) text: String,
    pub(crate) at: DateTime<Utc>,
}

/// What an accepted answer changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Accepted {
    /// The first session of the run.
    pub(crate) first: bool,
    /// The session is of another mode than the one before (or the first).
    pub(crate) mode_changed: bool,
    /// What the answer's `Date` said of our clock.
    pub(crate) clock: ClockReading,
}

/// What a failed issue was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IssueFailed {
    /// A refresh (or the first issue) of the current mode: retried after `wait`.
    Refresh { wait: TimeDelta },
    /// A switch to `mode` failed; the active session stays.
    Switch { mode: Mode },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SessionState {
    /// The mode of the active session (or of the first one being issued).
    mode: Mode,
    active: Option<Active>,
    phase: Phase,
    /// The newest generation asked for; answers for older ones are dropped.
    latest: Generation,
    /// Successful refreshes of the active mode.
    refresh_count: u32,
    last_error: Option<SessionError>,
    /// How far the local clock is ahead of the server's (negative: behind), measured at the
    /// last issue; zero when within [`crate::credentials::CLOCK_TOLERANCE_SECS`].
    clock_offset: TimeDelta,
    /// The session is served to other tools: refreshed early enough that every set handed out
    /// has the time their SDKs want left.
    serving: bool,
}

impl SessionState {
    pub(crate) fn new(mode: Mode) -> Self {
        Self {
            mode,
            active: None,
            phase: Phase::Waiting(Plan::Nothing),
            latest: Generation(0),
            refresh_count: 0,
            last_error: None,
            clock_offset: TimeDelta::zero(),
            serving: false,
        }
    }

    pub(crate) fn mode(&self) -> Mode {
        self.mode
    }

    pub(crate) fn info(&self) -> Option<&SessionInfo> {
        self.active.as_ref().map(|a| &a.info)
    }

    /// The generation whose credentials sign requests now.
    pub(crate) fn active_generation(&self) -> Option<Generation> {
        self.active.as_ref().map(|a| a.generation)
    }

    /// The newest generation asked for.
    #[cfg(test)]
    pub(crate) fn latest(&self) -> Generation {
        self.latest
    }

    #[cfg(test)]
    pub(crate) fn phase(&self) -> Phase {
        self.phase
    }

    pub(crate) fn refresh_count(&self) -> u32 {
        self.refresh_count
    }

    pub(crate) fn last_error(&self) -> Option<&SessionError> {
        self.last_error.as_ref()
    }

    pub(crate) fn clock_offset(&self) -> TimeDelta {
        self.clock_offset
    }

    /// The mode being issued, and since when.
    pub(crate) fn issuing(&self) -> Option<(Mode, DateTime<Utc>)> {
        match self.phase {
            Phase::Issuing { mode, since, .. } => Some((mode, since)),
            Phase::Waiting(_) => None,
        }
    }

    pub(crate) fn is_issuing(&self) -> bool {
        self.issuing().is_some()
    }

    /// The mode a key press would switch to, or is switching to.
    pub(crate) fn target_mode(&self) -> Mode {
        self.issuing().map_or(self.mode, |(m, _)| m)
    }

    /// The plan shown in the pane: while a request is in flight, the refresh it may fall back
    /// to (a retry is replaced by the request itself).
    pub(crate) fn shown_plan(&self) -> Plan {
        match self.phase {
            Phase::Waiting(plan) => plan,
            Phase::Issuing {
                fallback: Plan::Refresh { at },
                ..
            } => Plan::Refresh { at },
            Phase::Issuing { .. } => Plan::Nothing,
        }
    }

    /// When the next planned refresh or retry is due, if one is planned.
    pub(crate) fn next_due(&self) -> Option<DateTime<Utc>> {
        match self.phase {
            Phase::Waiting(Plan::Refresh { at } | Plan::Retry { at, .. }) => Some(at),
            _ => None,
        }
    }

    /// A planned refresh or retry is due now (and nothing is in flight).
    pub(crate) fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.next_due().is_some_and(|at| at <= now)
    }

    /// Forgets what was planned (a due refresh is being handled).
    pub(crate) fn clear_plan(&mut self) {
        if let Phase::Waiting(plan) = &mut self.phase {
            *plan = Plan::Nothing;
        }
    }

    /// The user asked for new credentials now: failures so far are forgotten.
    pub(crate) fn forget_failures(&mut self) {
        if let Phase::Waiting(Plan::Retry { .. }) = self.phase {
            self.phase = Phase::Waiting(Plan::Nothing);
        }
    }

    /// Starts a request for `mode`; returns its generation.
    pub(crate) fn begin_issue(&mut self, mode: Mode, now: DateTime<Utc>) -> Generation {
        let (failures, fallback) = match self.phase {
            Phase::Waiting(plan @ Plan::Retry { failures, .. }) => (failures, plan),
            Phase::Waiting(plan) => (0, plan),
            Phase::Issuing {
                failures, fallback, ..
            } => (failures, fallback),
        };
        self.latest = Generation(self.latest.0 + 1);
        self.phase = Phase::Issuing {
            mode,
            since: now,
            failures,
            fallback,
        };
        self.latest
    }

    /// Whether an answer for `generation` is the newest one asked for.
    pub(crate) fn is_latest(&self, generation: Generation) -> bool {
        generation == self.latest
    }

    /// Takes in the credentials issued for the newest request: measures the clock, plans the
    /// refresh `margin_secs` before expiry (never sooner than [`MIN_REFRESH_SECS`] from now, so
    /// a clock far off cannot turn into a loop of STS calls). `refresh`: they renew the session
    /// (counted), rather than re-issue it for a new bucket, policy or profile (not counted).
    pub(crate) fn accept(
        &mut self,
        generation: Generation,
        mut info: SessionInfo,
        margin_secs: u32,
        refresh: bool,
        now: DateTime<Utc>,
    ) -> Accepted {
        let first = self.active.is_none();
        let mode_changed = first || info.mode != self.mode;
        self.refresh_count = if mode_changed {
            0
        } else {
            self.refresh_count + u32::from(refresh)
        };
        self.mode = info.mode;
        let clock = info.clock_reading();
        self.clock_offset = match clock {
            ClockReading::Offset(offset) => offset,
            ClockReading::Agrees | ClockReading::Implausible(_) => TimeDelta::zero(),
        };
        // Keep the session on one clock: the server's.
        info.issued_at -= self.clock_offset;
        self.phase = Phase::Waiting(Plan::Refresh {
            at: self.planned_refresh(&info, margin_secs, now),
        });
        self.last_error = None;
        self.active = Some(Active { generation, info });
        Accepted {
            first,
            mode_changed,
            clock,
        }
    }

    /// When to refresh `info` (on the local clock): `margin_secs` before expiry, or earlier
    /// while serving; never sooner than [`MIN_REFRESH_SECS`] from now.
    fn planned_refresh(
        &self,
        info: &SessionInfo,
        margin_secs: u32,
        now: DateTime<Utc>,
    ) -> DateTime<Utc> {
        let on_server = if self.serving {
            served_refresh_at(info, margin_secs)
        } else {
            refresh_at(info, margin_secs)
        };
        (on_server + self.clock_offset).max(now + TimeDelta::seconds(MIN_REFRESH_SECS))
    }

    pub(crate) fn is_serving(&self) -> bool {
        self.serving
    }

    /// Serving to other tools starts (or stops): the planned refresh moves earlier, to when a
    /// served session is refreshed, if it is later than that.
    pub(crate) fn serve(&mut self, on: bool, margin_secs: u32, now: DateTime<Utc>) {
        self.serving = on;
        let Some(active) = &self.active else {
            return;
        };
        let served_at = self.planned_refresh(&active.info, margin_secs, now);
        if let Phase::Waiting(Plan::Refresh { at }) = &mut self.phase
            && served_at < *at
        {
            *at = served_at;
        }
    }

    /// The local clock was stepped by `by` (backwards when negative) while time went on: the
    /// session's times stay on the server's clock, so the offset and the plan move with it.
    pub(crate) fn clock_stepped(&mut self, by: TimeDelta) {
        self.clock_offset += by;
        let shift = |plan: &mut Plan| match plan {
            Plan::Refresh { at } | Plan::Retry { at, .. } => *at += by,
            Plan::Nothing => {}
        };
        match &mut self.phase {
            Phase::Waiting(plan) => shift(plan),
            Phase::Issuing { fallback, .. } => shift(fallback),
        }
    }

    /// Takes in the failure of the newest request. `None` when nothing was in flight.
    pub(crate) fn fail(&mut self, failure: &AwsFailure, now: DateTime<Utc>) -> Option<IssueFailed> {
        let Phase::Issuing {
            mode,
            failures,
            fallback,
            ..
        } = self.phase
        else {
            return None;
        };
        self.record_error(mode, failure.to_string(), now);
        if mode == self.mode {
            let failures = failures + 1;
            let wait = backoff(failures);
            self.phase = Phase::Waiting(Plan::Retry {
                failures,
                at: now + wait,
            });
            Some(IssueFailed::Refresh { wait })
        } else {
            self.phase = Phase::Waiting(fallback);
            Some(IssueFailed::Switch { mode })
        }
    }

    /// Shows a failure in the pane without changing the lifecycle (a mode that lacks its
    /// settings, say).
    pub(crate) fn record_error(&mut self, mode: Mode, text: String, at: DateTime<Utc>) {
        self.last_error = Some(SessionError { mode, text, at });
    }

    /// The server's time, from ours and the measured offset. Expiry is the server's notion.
    pub(crate) fn server_now(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.clock_offset
    }

    /// What the session is doing, as far as a failed request is concerned.
    pub(crate) fn now(&self, now: DateTime<Utc>) -> crate::app::fetch::SessionNow {
        crate::app::fetch::SessionNow {
            active: self.active_generation(),
            expired: self.is_expired(now),
            issuing: self.is_issuing(),
        }
    }

    pub(crate) fn is_expired(&self, now: DateTime<Utc>) -> bool {
        let server_now = self.server_now(now);
        self.info().is_some_and(|i| i.is_expired(server_now))
    }

    /// Time left on the server's clock, never negative.
    pub(crate) fn remaining(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        let server_now = self.server_now(now);
        self.info().map(|i| i.remaining(server_now))
    }
}

#[cfg(test)]
mod tests;
