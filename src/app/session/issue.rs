//! The credential lifecycle as the model sees it: asking STS (or the user, for an MFA code),
//! taking an answer in, measuring the clock, planning the refresh, and backing off after
//! failures.

use super::SessionError;
use crate::app::{App, Effect, Generation, Input, Level, MIN_REFRESH_SECS, policy::PolicyState};
use crate::failure::AwsFailure;
use crate::credentials::schedule::{backoff, refresh_at};
use crate::credentials::{Mode, SessionInfo};
use chrono::{DateTime, TimeDelta, Utc};

impl App {
    /// Asks STS for credentials in `mode` (or asks for an MFA code first).
    pub(crate) fn issue(&mut self, mode: Mode, now: DateTime<Utc>) -> Vec<Effect> {
        if self.settings.needs_mfa(mode) && self.settings.mfa_code.is_none() {
            self.input = Some(Input::Mfa {
                mode,
                code: String::new(),
                error: None,
            });
            return Vec::new();
        }
        let code = self.settings.mfa_code.take();
        self.issue_with(mode, code.as_deref(), now)
    }

    pub(crate) fn issue_with(
        &mut self,
        mode: Mode,
        mfa_code: Option<&str>,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        match self.settings.request_for(mode, mfa_code) {
            Ok(request) => {
                self.session.latest = Generation(self.session.latest.0 + 1);
                self.session.issuing = Some((mode, now));
                self.session.retry_at = None;
                vec![Effect::IssueCredentials {
                    generation: self.session.latest,
                    request,
                }]
            }
            Err(e) => {
                self.session.last_error = Some(SessionError {
                    mode,
                    text: e.to_string(),
                    at: now,
                });
                self.notify(format!("cannot use {mode} mode: {e}"), Level::Error, now);
                Vec::new()
            }
        }
    }

    pub(crate) fn on_issued(
        &mut self,
        generation: Generation,
        mut info: SessionInfo,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if generation != self.session.latest {
            return Vec::new(); // an older request's answer
        }
        let mode_changed = info.mode != self.session.mode || self.session.active.is_none();
        let first = self.session.active.is_none();
        self.session.refresh_count = if mode_changed {
            0
        } else {
            self.session.refresh_count + 1
        };
        self.session.mode = info.mode;
        self.session.measure_clock(&info);
        // Keep the session on one clock: the server's.
        info.issued_at -= self.session.clock_offset;
        // Planned on the server's clock; never sooner than MIN_REFRESH_SECS from now, so a
        // clock far off can never turn into a loop of STS calls.
        let planned =
            refresh_at(&info, self.settings.refresh.margin_secs) + self.session.clock_offset;
        self.session.refresh_at = Some(planned.max(now + TimeDelta::seconds(MIN_REFRESH_SECS)));
        self.session.issuing = None;
        self.session.failures = 0;
        self.session.retry_at = None;
        self.session.last_error = None;
        self.session.active = Some(generation);
        if mode_changed {
            self.policy = PolicyState::for_mode(&self.settings, info.mode);
        }
        self.policy.packed_percent = info.packed_policy_percent;
        if self.session.clock_offset == TimeDelta::zero() {
            if !first {
                let what = if mode_changed {
                    "switched to"
                } else {
                    "refreshed"
                };
                self.notify(
                    format!("credentials {what} {} mode", info.mode),
                    Level::Info,
                    now,
                );
            }
        } else {
            let text = clock_offset_text(self.session.clock_offset);
            self.notify(
                format!("{text}; times follow the server's clock"),
                Level::Warn,
                now,
            );
        }
        self.session.info = Some(info);
        let mut effects = vec![Effect::UseCredentials { generation }];
        if mode_changed {
            effects.extend(self.reload());
        } else if self
            .objects
            .error
            .as_ref()
            .is_some_and(|e| e.awaiting_credentials)
        {
            effects.extend(self.retry_failed_page());
        }
        effects
    }

    pub(crate) fn on_issue_failed(
        &mut self,
        generation: Generation,
        failure: &AwsFailure,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if generation != self.session.latest {
            return Vec::new();
        }
        let Some((mode, _)) = self.session.issuing.take() else {
            return Vec::new();
        };
        self.session.last_error = Some(SessionError::aws(mode, failure, now));
        if mode == self.session.mode {
            // A refresh (or the first issue) failed: try again with backoff.
            self.session.failures += 1;
            let wait = backoff(self.session.failures);
            self.session.retry_at = Some(now + wait);
            self.notify(
                format!(
                    "credential refresh failed: {failure}; retrying in {}s",
                    wait.num_seconds()
                ),
                Level::Error,
                now,
            );
        } else {
            self.notify(
                format!("could not switch to {mode} mode: {failure}"),
                Level::Error,
                now,
            );
        }
        Vec::new()
    }
}

/// `local clock 2h00m05s ahead of STS`.
pub fn clock_offset_text(offset: TimeDelta) -> String {
    let secs = offset.num_seconds();
    let a = secs.abs();
    let side = if secs >= 0 { "ahead of" } else { "behind" };
    format!(
        "local clock {}h{:02}m{:02}s {side} STS",
        a / 3600,
        (a / 60) % 60,
        a % 60
    )
}
