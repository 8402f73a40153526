//! The TUI model: `App::update(msg, now) -> Vec<Effect>`. Synchronous and deterministic: no
//! tokio, no AWS SDK, no terminal. Messages are past-tense facts; effects are commands for the
//! runtime. Every request carries a [`RequestId`] and every credential set a [`Generation`];
//! answers for old ones are dropped.

mod input;
pub mod objects;
pub mod policy;
pub mod session;

pub use session::clock_offset_text;
#[cfg(test)]
mod tests;

use crate::settings::Settings;
use crate::failure::AwsFailure;
use crate::bucket::{ListPage, PageRequest};
use crate::credentials::{CredentialRequest, Mode, SessionInfo};
use chrono::{DateTime, TimeDelta, Utc};
use crate::keymap::{KeyPress, Keymap};
use objects::ObjectsState;
use policy::PolicyState;
use session::SessionState;

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

    pub(crate) fn next_id(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }

    pub(crate) fn notify(&mut self, text: impl Into<String>, level: Level, now: DateTime<Utc>) {
        self.notice = Some(Notice {
            text: text.into(),
            level,
            until: now + TimeDelta::seconds(NOTICE_SECS),
        });
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
}
