//! The TUI model: `App::update(msg, now) -> Vec<Effect>`. Synchronous and deterministic: no
//! tokio, no AWS SDK, no terminal. Messages are past-tense facts; effects are commands for the
//! runtime. Every request carries a [`RequestId`] and every credential set a [`Generation`];
//! answers for old ones are dropped.

pub mod keymap;
mod keys;
pub mod objects;
pub mod policy_pane;
pub mod session_pane;
#[cfg(test)]
mod tests;

use crate::config::Settings;
use crate::failure::{AwsFailure, ErrorKind};
use crate::listing::{ListPage, PageRequest};
use crate::session::schedule::{backoff, refresh_at};
use crate::session::{CredentialRequest, Mode, SessionInfo};
use chrono::{DateTime, TimeDelta, Utc};
use keymap::{KeyPress, Keymap};
use objects::{InFlight, InlineError, ObjectsState};
use policy_pane::PolicyState;
use session_pane::{SessionError, SessionState};

/// Identifies one page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Identifies one issued set of credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Generation(pub u64);

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    KeyPressed(KeyPress),
    Resized {
        width: u16,
        height: u16,
    },
    /// Time passed (a deadline was reached, or the loop woke up).
    Tick,
    CredentialsIssued {
        generation: Generation,
        info: SessionInfo,
    },
    CredentialsFailed {
        generation: Generation,
        failure: AwsFailure,
    },
    PageLoaded {
        request: RequestId,
        page: ListPage,
    },
    PageFailed {
        request: RequestId,
        failure: AwsFailure,
    },
    /// The SDK got a throttling or server error (HTTP `status`) and is about to retry.
    RequestRetrying {
        status: u16,
    },
}

/// What the runtime should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Call STS; answer with `CredentialsIssued` or `CredentialsFailed` for `generation`.
    IssueCredentials {
        generation: Generation,
        request: CredentialRequest,
    },
    /// Sign requests from now on with the credentials issued for `generation`.
    UseCredentials {
        generation: Generation,
    },
    /// Fetch one page; a newer `ListPage` replaces (aborts) an older one.
    ListPage {
        request: RequestId,
        page: PageRequest,
    },
    Quit,
}

/// Which pane keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Objects,
    Session,
    Policy,
}

/// A transient message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub level: Level,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// A line being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Filter {
        text: String,
    },
    Mfa {
        mode: Mode,
        code: String,
        error: Option<String>,
    },
}

/// How long notices stay up.
pub const NOTICE_SECS: i64 = 4;

/// The shortest time between an issue and the next planned refresh.
pub const MIN_REFRESH_SECS: i64 = 30;

/// The longest wait between automatic retries of a page that failed for a passing reason.
pub const PAGE_RETRY_MAX_SECS: i64 = 60;

pub struct App {
    pub settings: Settings,
    pub keymap: Keymap,
    pub focus: Focus,
    pub session: SessionState,
    pub policy: PolicyState,
    pub objects: ObjectsState,
    pub help_visible: bool,
    pub notice: Option<Notice>,
    pub input: Option<Input>,
    pub size: (u16, u16),
    next_request: u64,
}

impl App {
    /// The model at start-up, and the effects that get it going (issuing credentials).
    pub fn new(settings: Settings, keymap: Keymap, now: DateTime<Utc>) -> (Self, Vec<Effect>) {
        let mode = settings.mode;
        let mut app = Self {
            policy: PolicyState::for_mode(&settings, mode),
            objects: ObjectsState::new(&settings.bucket, &settings.prefix, settings.page_size),
            session: SessionState::new(mode),
            keymap,
            settings,
            focus: Focus::Objects,
            help_visible: false,
            notice: None,
            input: None,
            size: (80, 24),
            next_request: 0,
        };
        let effects = app.issue(mode, now);
        (app, effects)
    }

    pub fn update(&mut self, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
        let mut effects = match msg {
            Msg::KeyPressed(press) => self.on_key(press, now),
            Msg::Resized { width, height } => {
                self.size = (width, height);
                Vec::new()
            }
            Msg::Tick => Vec::new(),
            Msg::CredentialsIssued { generation, info } => self.on_issued(generation, info, now),
            Msg::CredentialsFailed {
                generation,
                failure,
            } => self.on_issue_failed(generation, &failure, now),
            Msg::PageLoaded { request, page } => self.on_page(request, page),
            Msg::PageFailed { request, failure } => self.on_page_failed(request, failure, now),
            Msg::RequestRetrying { status } => {
                let what = if status == 429 || status == 503 {
                    "is throttling"
                } else {
                    "had an error"
                };
                self.notify(
                    format!("S3 {what} (HTTP {status}); retrying…"),
                    Level::Warn,
                    now,
                );
                Vec::new()
            }
        };
        effects.extend(self.on_time(now));
        effects
    }

    /// When the loop must wake up next: the countdown's next second, a refresh, a retry, a
    /// notice expiring, or a spinner frame.
    pub fn next_deadline(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut next = now + TimeDelta::seconds(1);
        if let Some(info) = &self.session.info {
            let left = info.expires_at - self.session.server_now(now);
            if left > TimeDelta::zero() {
                let frac = left - TimeDelta::seconds(left.num_seconds());
                if frac > TimeDelta::zero() {
                    next = next.min(now + frac);
                }
            }
        }
        if self.objects.in_flight.is_some() || self.session.issuing.is_some() {
            next = next.min(now + TimeDelta::milliseconds(100));
        }
        let candidates = [
            self.session.refresh_at,
            self.session.retry_at,
            self.objects.error.as_ref().and_then(|e| e.retry_at),
            self.notice.as_ref().map(|n| n.until),
        ];
        for t in candidates.into_iter().flatten() {
            next = next.min(t.max(now));
        }
        next
    }

    fn next_id(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }

    fn notify(&mut self, text: impl Into<String>, level: Level, now: DateTime<Utc>) {
        self.notice = Some(Notice {
            text: text.into(),
            level,
            until: now + TimeDelta::seconds(NOTICE_SECS),
        });
    }

    /// Asks STS for credentials in `mode` (or asks for an MFA code first).
    fn issue(&mut self, mode: Mode, now: DateTime<Utc>) -> Vec<Effect> {
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

    fn issue_with(
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

    fn on_issued(
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

    fn on_issue_failed(
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

    /// Refreshes and retries that are due, notices that expired.
    fn on_time(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if self.notice.as_ref().is_some_and(|n| n.until <= now) {
            self.notice = None;
        }
        let mut effects = Vec::new();
        let page_retry_due = self
            .objects
            .error
            .as_ref()
            .and_then(|e| e.retry_at)
            .is_some_and(|t| t <= now);
        if page_retry_due && self.objects.in_flight.is_none() {
            effects.extend(self.retry_failed_page());
        }
        let idle = self.session.issuing.is_none() && !matches!(self.input, Some(Input::Mfa { .. }));
        let refresh_due =
            self.session.refresh_at.is_some_and(|t| t <= now) && self.session.retry_at.is_none();
        let retry_due = self.session.retry_at.is_some_and(|t| t <= now);
        if idle && (refresh_due || retry_due) {
            self.session.refresh_at = None;
            effects.extend(self.issue(self.session.mode, now));
        }
        effects
    }

    /// Starts the listing of the current prefix over, keeping the rows on screen (and the
    /// selection) until the first new page replaces them.
    fn reload(&mut self) -> Vec<Effect> {
        self.objects.select_after_load = self.objects.selected().map(|e| e.key().to_string());
        self.objects.begin_reload();
        self.request_page()
    }

    /// Requests the next page of the current prefix, if one is due and credentials are ready.
    fn request_page(&mut self) -> Vec<Effect> {
        let Some(generation) = self.session.active else {
            return Vec::new();
        };
        let Some(page) = self.objects.next_request() else {
            return Vec::new();
        };
        let id = self.next_id();
        self.objects.in_flight = Some(InFlight {
            id,
            generation,
            token: page.continuation_token.clone(),
        });
        vec![Effect::ListPage { request: id, page }]
    }

    /// Requests another page when the cursor is near the end of what is loaded.
    fn load_more_if_near_end(&mut self) -> Vec<Effect> {
        if self.objects.started && self.objects.wants_more() {
            self.request_page()
        } else {
            Vec::new()
        }
    }

    fn retry_failed_page(&mut self) -> Vec<Effect> {
        let Some(error) = self.objects.error.take() else {
            return Vec::new();
        };
        let Some(generation) = self.session.active else {
            self.objects.error = Some(error);
            return Vec::new();
        };
        let id = self.next_id();
        let page = self.objects.request_from(error.token.clone());
        self.objects.in_flight = Some(InFlight {
            id,
            generation,
            token: error.token,
        });
        vec![Effect::ListPage { request: id, page }]
    }

    fn on_page(&mut self, request: RequestId, page: ListPage) -> Vec<Effect> {
        if !self.objects.page_loaded(request, page) {
            return Vec::new();
        }
        if self.objects.select_after_load.is_some() {
            if self.objects.pages_loaded < objects::RESELECT_MAX_PAGES {
                return self.request_page(); // keep going until the selected key is back
            }
            self.objects.select_after_load = None;
        }
        self.load_more_if_near_end()
    }

    fn on_page_failed(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let Some(flight) = self.objects.in_flight.clone().filter(|f| f.id == request) else {
            return Vec::new();
        };
        self.objects.in_flight = None;
        // A credential rejection once the countdown reached zero is an expiry, whatever the code.
        let credential_problem = failure.is_credential_problem()
            || (failure.kind == ErrorKind::AccessDenied && self.session.is_expired(now));
        let transient = matches!(
            failure.kind,
            ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Throttled | ErrorKind::Server
        );
        let attempts = self.objects.transient_failures + u32::from(transient);
        self.objects.transient_failures = attempts;
        let max_wait = TimeDelta::seconds(PAGE_RETRY_MAX_SECS);
        self.objects.error = Some(InlineError {
            failure,
            token: flight.token,
            awaiting_credentials: false,
            // Outages and throttling pass: try again by ourselves, backing off.
            retry_at: transient.then(|| now + backoff(attempts).min(max_wait)),
        });
        if !credential_problem {
            return Vec::new();
        }
        if self.session.active.is_some_and(|g| g > flight.generation) {
            // Signed with credentials that have since been replaced: just try again.
            return self.retry_failed_page();
        }
        if self.objects.auto_refresh_used {
            return Vec::new(); // one automatic refresh per failure, never a loop
        }
        self.objects.auto_refresh_used = true;
        if let Some(error) = &mut self.objects.error {
            error.awaiting_credentials = true;
        }
        if self.session.issuing.is_some() {
            return Vec::new();
        }
        self.issue(self.session.mode, now)
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
