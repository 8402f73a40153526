//! The credential lifecycle as the app drives it: asking STS (or the user, for an MFA code),
//! taking an answer in, and what a new session means for the other panes.

use super::{Accepted, IssueFailed};
use crate::app::{App, Effect, Generation, Input, Level, policy::PolicyState};
use crate::credentials::{ClockReading, Mode, SessionInfo};
use crate::failure::AwsFailure;
use chrono::{DateTime, TimeDelta, Utc};

/// Credentials that expire sooner than this after they arrive are worth a warning.
const EXPIRING_SECS: i64 = 60;

impl App {
    /// Asks STS for credentials in `mode` (or asks for an MFA code first).
    pub(crate) fn issue(&mut self, mode: Mode, now: DateTime<Utc>) -> Vec<Effect> {
        if self.target.needs_mfa(mode) && self.first_mfa_code.is_none() {
            // The settings must allow the mode before a code is worth asking for.
            if let Err(e) = self.target.request_for(mode, None) {
                return self.cannot_use(mode, &e.in_app(), now);
            }
            self.session.clear_plan();
            self.input = Some(Input::Mfa {
                mode,
                code: String::new(),
                error: None,
            });
            return Vec::new();
        }
        let code = self.first_mfa_code.take();
        self.issue_with(mode, code.as_deref(), now)
    }

    pub(crate) fn issue_with(
        &mut self,
        mode: Mode,
        mfa_code: Option<&str>,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        match self.target.request_for(mode, mfa_code) {
            Ok(request) => {
                let generation = self.session.begin_issue(mode, now);
                vec![Effect::IssueCredentials {
                    generation,
                    request,
                }]
            }
            Err(e) => self.cannot_use(mode, &e.in_app(), now),
        }
    }

    fn cannot_use(&mut self, mode: Mode, why: &str, now: DateTime<Utc>) -> Vec<Effect> {
        if mode == self.session.mode() {
            self.session.clear_plan(); // a due refresh that cannot be made is not retried
        }
        self.session.record_error(mode, why.to_string(), now);
        self.notify(format!("cannot use {mode} mode: {why}"), Level::Error, now);
        Vec::new()
    }

    pub(crate) fn on_issued(
        &mut self,
        generation: Generation,
        info: SessionInfo,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if !self.session.is_latest(generation) {
            return Vec::new(); // an older request's answer
        }
        let mode = info.mode;
        let packed = info.packed_policy_percent;
        let principal = crate::escape::printable(&info.principal_arn).into_owned();
        // Issued for a new bucket, policy or profile: a re-issue, not a refresh.
        let reissued = self.reload_on_issue;
        let accepted = self.session.accept(
            generation,
            info,
            self.config.refresh.margin_secs,
            !reissued,
            now,
        );
        self.say_issued(&accepted, reissued, mode, &principal, now);
        self.warn_of_unlikely_answers(accepted.clock, now);
        if accepted.mode_changed {
            self.policy
                .replace(PolicyState::for_mode(&self.target, mode));
        }
        self.policy.packed_percent = packed;
        // Another mode's session may see another bucket: the listing starts over.
        self.reload_on_issue |= accepted.mode_changed;
        let mut effects = vec![Effect::UseCredentials { generation }];
        effects.extend(self.credentials_arrived(now));
        effects
    }

    pub(crate) fn on_issue_failed(
        &mut self,
        generation: Generation,
        failure: &AwsFailure,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if !self.session.is_latest(generation) {
            return Vec::new();
        }
        let mode = self.session.target_mode();
        self.history.record(
            now,
            Level::Error,
            format!("issuing {mode} credentials failed: {failure}"),
        );
        let text = match self.session.fail(failure, now) {
            Some(IssueFailed::Refresh { wait }) => crate::failure::and_then(
                &format!("credential refresh failed: {failure}"),
                &format!("retrying in {}s", wait.num_seconds()),
            ),
            Some(IssueFailed::Switch { mode }) => {
                format!("could not switch to {mode} mode: {failure}")
            }
            None => return Vec::new(),
        };
        self.notify(text, Level::Error, now);
        Vec::new()
    }
}

impl App {
    /// New credentials, in the history and (but the first) in the status bar; a clock offset
    /// measured is said instead.
    fn say_issued(
        &mut self,
        accepted: &Accepted,
        reissued: bool,
        mode: Mode,
        principal: &str,
        now: DateTime<Utc>,
    ) {
        let what = if accepted.first {
            "issued"
        } else if accepted.mode_changed {
            "switched to"
        } else if reissued {
            "re-issued"
        } else {
            "refreshed"
        };
        self.history.record(
            now,
            Level::Info,
            format!("{what} {mode} credentials for {principal}"),
        );
        let offset = self.session.clock_offset();
        if offset != TimeDelta::zero() {
            let text = clock_offset_text(offset);
            self.notify(
                format!("{text}; times follow the server's clock"),
                Level::Warn,
                now,
            );
        } else if !accepted.first {
            let mut text = if accepted.mode_changed {
                format!("credentials switched to {mode} mode")
            } else if reissued {
                format!("credentials re-issued for the new target ({mode} mode)")
            } else {
                format!("credentials refreshed ({mode} mode)")
            };
            if self.share.is_on() {
                // Decided: shared tools follow the browser (one session, one target).
                text.push_str("; tools sharing the session get these from now on");
            }
            if let Some(skipped) = self.skipped.take().filter(|_| accepted.mode_changed) {
                text = format!("{text} · {skipped}");
            }
            self.notify(text, Level::Info, now);
        }
    }

    /// Says so in the session pane, until the next issue, when an answer cannot be right: a
    /// `Date` far off, or credentials that are expired (or nearly) on arrival.
    fn warn_of_unlikely_answers(&mut self, clock: ClockReading, now: DateTime<Utc>) {
        let mode = self.session.mode();
        if let ClockReading::Implausible(date) = clock {
            self.session.record_error(
                mode,
                format!(
                    "STS's clock said {} (its Date header); that cannot be right, so sts3 keeps to this computer's clock",
                    date.format("%Y-%m-%d %H:%M:%S UTC")
                ),
                now,
            );
        }
        let server_now = self.session.server_now(now);
        let Some(info) = self.session.info() else {
            return;
        };
        if info.expires_within(server_now, EXPIRING_SECS) {
            let left = (info.expires_at - server_now).num_seconds();
            let when = if left <= 0 {
                "already expired".to_string()
            } else {
                format!("expire in {left}s")
            };
            let text = format!(
                "the credentials STS issued {when} ({}); check the endpoint and this computer's clock",
                info.expires_at.format("%Y-%m-%d %H:%M:%S UTC")
            );
            self.session.record_error(mode, text, now);
        }
    }

    /// The local clock was stepped back by `-by` while time went on (someone fixed it, or NTP
    /// did): the session stays on the server's clock and the refresh keeps its real moment.
    pub(crate) fn on_clock_stepped(&mut self, by: TimeDelta, now: DateTime<Utc>) -> Vec<Effect> {
        self.session.clock_stepped(by);
        let text = clock_offset_text(self.session.clock_offset());
        self.notify(
            format!("the local clock was set back; {text}; times follow the server's clock"),
            Level::Warn,
            now,
        );
        Vec::new()
    }
}

/// `local clock 2h00m05s ahead of STS`.
pub(crate) fn clock_offset_text(offset: TimeDelta) -> String {
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
