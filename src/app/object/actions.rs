//! What keys and answers do to the object actions: open the detail or a preview (asking S3 in
//! the background, stale answers dropped), save the object (asking before an existing file is
//! replaced; resuming after the credentials are refreshed), sign a URL no longer-lived than
//! the session. Failures go through the one failure policy, as pages do.

use super::{Content, Download, ObjectView, Outcome, Phase, Presigned, ViewFailure, ViewKind};
use crate::app::listing::Entry;
use crate::app::{App, Effect, Input, Level, ObjectFetch, RequestId};
use crate::failure::{Attempt, AwsFailure, ErrorKind, Recovery, recovery};
use crate::keymap::{Action, Key, KeyPress};
use crate::object::download::{file_name, progress_text};
use crate::object::preview::Preview;
use crate::object::{ObjectDetail, PresignError, validity};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Credential refreshes one download may ask for.
const DOWNLOAD_REFRESHES: u32 = 2;

/// How long a download's end stays said in the status bar.
const OUTCOME_NOTICE_SECS: i64 = 8;

impl App {
    /// The object the keys act on: the open view's, else the selected row's (objects only).
    fn target_key(&self) -> Option<String> {
        if let Some(view) = &self.object.view {
            return Some(view.key.clone());
        }
        match self.listing.selected() {
            Some(Entry::Object(o)) => Some(o.key.to_string()),
            _ => None,
        }
    }

    /// Why the session policy of the credentials in use refuses reading `key`, if it does.
    fn refusal(&self, key: &str) -> Option<String> {
        self.settings
            .session_policy(self.session.mode())?
            .refusal_hint("s3:GetObject", self.listing.bucket(), key)
    }

    pub(crate) fn next_id(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }

    /// Keys while the presigned-URL popup or an object view is open; `None` lets the key
    /// through to the global keys (quit, help, modes, refresh, cancel...).
    pub(crate) fn on_object_key(
        &mut self,
        press: KeyPress,
        action: Option<Action>,
        now: DateTime<Utc>,
    ) -> Option<Vec<Effect>> {
        if self.object.presigned.is_some() {
            if matches!(press.key, Key::Esc | Key::Enter | Key::Char('q')) {
                self.object.presigned = None;
            }
            return Some(Vec::new());
        }
        let view = self.object.view.as_mut()?;
        if press.key == Key::Esc || action == Some(Action::Parent) {
            self.object.view = None;
            return Some(Vec::new());
        }
        let page = self.listing.rows().height().max(1);
        let step: Option<isize> = match action {
            Some(Action::Up) => Some(-1),
            Some(Action::Down) => Some(1),
            Some(Action::PageUp) => Some(-isize::try_from(page).unwrap_or(1)),
            Some(Action::PageDown) => Some(isize::try_from(page).unwrap_or(1)),
            Some(Action::Top) => Some(isize::MIN / 2),
            Some(Action::Bottom) => Some(isize::MAX / 2),
            _ => None,
        };
        if let Some(step) = step {
            let last = view.line_count().saturating_sub(page);
            view.scroll = view.scroll.saturating_add_signed(step).min(last);
            return Some(Vec::new());
        }
        match action {
            Some(Action::Wrap) => {
                view.wrap = !view.wrap;
                Some(Vec::new())
            }
            Some(Action::Preview) if view.kind == ViewKind::Detail => {
                let key = view.key.clone();
                Some(self.open_view(&key, ViewKind::Preview))
            }
            Some(Action::Reload) => Some(self.fetch_view()),
            Some(Action::Download) => Some(self.start_download(now)),
            Some(Action::Presign) => Some(self.presign(now)),
            Some(
                Action::Quit
                | Action::Help
                | Action::RefreshCredentials
                | Action::ModeFederated
                | Action::ModeRole
                | Action::ModeSession
                | Action::ModeCycle
                | Action::Cancel
                | Action::Suspend,
            ) => None,
            _ => Some(Vec::new()),
        }
    }

    /// `Enter` on an object, `p` on an object.
    pub(crate) fn open_selected_object(&mut self, kind: ViewKind) -> Vec<Effect> {
        match self.listing.selected() {
            Some(Entry::Object(o)) => {
                let key = o.key.to_string();
                self.open_view(&key, kind)
            }
            _ => Vec::new(),
        }
    }

    fn open_view(&mut self, key: &str, kind: ViewKind) -> Vec<Effect> {
        self.object.view = Some(ObjectView::new(key, kind));
        self.fetch_view()
    }

    /// Asks for the open view's content (again).
    fn fetch_view(&mut self) -> Vec<Effect> {
        let Some(generation) = self.session.active_generation() else {
            return Vec::new(); // the view asks once credentials are in use
        };
        let request = self.next_id();
        let max_bytes = self.settings.objects.preview_bytes;
        let bucket = self.listing.bucket().to_string();
        let Some(view) = self.object.view.as_mut() else {
            return Vec::new();
        };
        view.in_flight = Some((request, generation));
        view.awaiting_credentials = false;
        let what = match view.kind {
            ViewKind::Detail => ObjectFetch::Detail,
            ViewKind::Preview => ObjectFetch::Preview { max_bytes },
        };
        vec![Effect::FetchObject {
            request,
            generation,
            bucket,
            key: view.key.clone(),
            what,
        }]
    }

    /// The open view for answers to `request`, if it still waits for them.
    fn view_for(&mut self, request: RequestId) -> Option<&mut ObjectView> {
        self.object
            .view
            .as_mut()
            .filter(|v| v.in_flight.is_some_and(|(r, _)| r == request))
    }

    pub(crate) fn on_detail(
        &mut self,
        request: RequestId,
        detail: Box<ObjectDetail>,
    ) -> Vec<Effect> {
        if let Some(view) = self.view_for(request) {
            view.in_flight = None;
            view.failure = None;
            view.content = Some(Content::Detail(detail));
        }
        Vec::new()
    }

    pub(crate) fn on_preview(
        &mut self,
        request: RequestId,
        bytes: &[u8],
        size: u64,
    ) -> Vec<Effect> {
        if let Some(view) = self.view_for(request) {
            view.in_flight = None;
            view.failure = None;
            view.content = Some(Content::Preview(Preview::of(&view.key, size, bytes)));
        }
        Vec::new()
    }

    pub(crate) fn on_object_failed(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if let Some(p) = self
            .object
            .presigned
            .as_mut()
            .filter(|p| p.request == request)
        {
            p.failure = Some(failure);
            return Vec::new();
        }
        let active = self.session.active_generation();
        let expired = self.session.is_expired(now);
        let issuing = self.session.is_issuing();
        let hint = (failure.kind == ErrorKind::AccessDenied)
            .then(|| self.target_key().and_then(|k| self.refusal(&k)))
            .flatten();
        let Some(view) = self.view_for(request) else {
            return Vec::new();
        };
        let signed_with = view.in_flight.map(|(_, g)| g);
        view.in_flight = None;
        let attempt = Attempt {
            session_expired: expired,
            signed_with_replaced: active.zip(signed_with).is_some_and(|(a, s)| a > s),
            refresh_used: view.refresh_used,
            ..Attempt::default()
        };
        let decision = recovery(&failure, attempt);
        view.failure = Some(ViewFailure { failure, hint });
        match decision {
            Recovery::RetryNow => self.fetch_view(),
            Recovery::RefreshThenRetry => {
                view.refresh_used = true;
                view.awaiting_credentials = true;
                if issuing {
                    return Vec::new();
                }
                self.issue(self.session.mode(), now)
            }
            Recovery::RetryAfter(_) | Recovery::WaitForUser => Vec::new(),
        }
    }

    /// New credentials are in use: what waited for them asks again.
    pub(crate) fn object_actions_after_credentials(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self
            .object
            .view
            .as_ref()
            .is_some_and(|v| v.awaiting_credentials)
        {
            effects.extend(self.fetch_view());
        }
        if let Some(generation) = self.session.active_generation()
            && let Some(d) = self.object.download.as_mut()
            && let Phase::Running {
                stalled: Some(_),
                retry_at: None,
                ..
            } = &d.phase
        {
            d.generation = generation;
            effects.push(Effect::ResumeDownload { request: d.request });
        }
        effects
    }

    /// `r` with an object view's failure on screen: whether new credentials should ask again.
    pub(crate) fn view_awaits_credentials(&mut self, now: DateTime<Utc>) {
        let expired = self.session.is_expired(now);
        if let Some(view) = self.object.view.as_mut()
            && let Some(f) = &view.failure
            && f.failure.credentials_may_help(expired)
        {
            view.awaiting_credentials = true;
        }
    }

    // ---------- download ----------

    /// `s`: save the object under its name in the download folder (asking first if a file
    /// of that name is there).
    pub(crate) fn start_download(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(key) = self.target_key() else {
            return Vec::new();
        };
        if self.object.download.is_some() {
            self.notify("a download is running; x cancels it", Level::Warn, now);
            return Vec::new();
        }
        let Some(generation) = self.session.active_generation() else {
            self.notify("no credentials yet; wait for the session", Level::Warn, now);
            return Vec::new();
        };
        let Some(name) = file_name(&key) else {
            self.notify(
                format!(
                    "{} has no file name to save it under",
                    crate::escape::printable(&key)
                ),
                Level::Error,
                now,
            );
            return Vec::new();
        };
        let path = self.settings.objects.download_dir.join(name);
        let request = self.next_id();
        self.object.download = Some(Download {
            request,
            key,
            path: path.clone(),
            phase: Phase::Checking,
            refreshes: 0,
            transient: 0,
            generation,
        });
        self.object.outcome = None;
        vec![Effect::CheckDownloadTarget { request, path }]
    }

    fn download_for(&mut self, request: RequestId) -> Option<&mut Download> {
        self.object
            .download
            .as_mut()
            .filter(|d| d.request == request)
    }

    pub(crate) fn on_download_target(
        &mut self,
        request: RequestId,
        exists: bool,
        keep_both: PathBuf,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let Some(d) = self.download_for(request) else {
            return Vec::new();
        };
        if d.phase != Phase::Checking {
            return Vec::new();
        }
        if exists {
            d.phase = Phase::Asking { keep_both };
            self.input = Some(Input::Overwrite);
            return Vec::new();
        }
        self.run_download(None, now)
    }

    /// Starts the checked (or confirmed) download, to `path` instead when given.
    fn run_download(&mut self, path: Option<PathBuf>, now: DateTime<Utc>) -> Vec<Effect> {
        let bucket = self.listing.bucket().to_string();
        let generation = self.session.active_generation();
        let Some(d) = self.object.download.as_mut() else {
            return Vec::new();
        };
        if let Some(path) = path {
            d.path = path;
        }
        if let Some(g) = generation {
            d.generation = g;
        }
        d.phase = Phase::Running {
            received: 0,
            size: 0,
            started: now,
            stalled: None,
            retry_at: None,
        };
        vec![Effect::Download {
            request: d.request,
            generation: d.generation,
            bucket,
            key: d.key.clone(),
            path: d.path.clone(),
        }]
    }

    /// The answer to "the file exists": `o` overwrites, `k` keeps both, `c` or Esc cancels.
    pub(crate) fn on_overwrite_key(&mut self, press: KeyPress, now: DateTime<Utc>) -> Vec<Effect> {
        let keep_both = match self.object.download.as_ref().map(|d| &d.phase) {
            Some(Phase::Asking { keep_both }) => keep_both.clone(),
            _ => return Vec::new(),
        };
        match press.key {
            Key::Char('o') => self.run_download(None, now),
            Key::Char('k') => self.run_download(Some(keep_both), now),
            Key::Char('c') | Key::Esc => {
                let key = self
                    .object
                    .download
                    .take()
                    .map(|d| d.key)
                    .unwrap_or_default();
                self.object.outcome = Some(Outcome::Cancelled { key });
                Vec::new()
            }
            _ => {
                self.input = Some(Input::Overwrite); // still asking
                Vec::new()
            }
        }
    }

    pub(crate) fn on_download_progress(
        &mut self,
        request: RequestId,
        received: u64,
        size: u64,
    ) -> Vec<Effect> {
        if let Some(d) = self.download_for(request)
            && let Phase::Running {
                received: r,
                size: s,
                stalled,
                retry_at,
                ..
            } = &mut d.phase
        {
            *r = received;
            *s = size;
            *stalled = None;
            *retry_at = None;
            d.transient = 0;
        }
        Vec::new()
    }

    pub(crate) fn on_download_stalled(
        &mut self,
        request: RequestId,
        failure: &AwsFailure,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let expired = self.session.is_expired(now);
        let active = self.session.active_generation();
        let issuing = self.session.is_issuing();
        let Some(d) = self.download_for(request) else {
            return Vec::new();
        };
        let attempt = Attempt {
            session_expired: expired,
            signed_with_replaced: active.is_some_and(|a| a > d.generation),
            refresh_used: d.refreshes >= DOWNLOAD_REFRESHES,
            transient_before: d.transient,
        };
        let decision = recovery(failure, attempt);
        let text = failure.to_string();
        let Phase::Running {
            stalled, retry_at, ..
        } = &mut d.phase
        else {
            return Vec::new();
        };
        match decision {
            Recovery::RetryNow => {
                if let Some(a) = active {
                    d.generation = a;
                }
                vec![Effect::ResumeDownload { request }]
            }
            Recovery::RefreshThenRetry => {
                d.refreshes += 1;
                *stalled = Some(format!("{text}; refreshing credentials, then resuming"));
                *retry_at = None;
                if issuing {
                    return Vec::new();
                }
                self.issue(self.session.mode(), now)
            }
            Recovery::RetryAfter(wait) => {
                d.transient += 1;
                *stalled = Some(format!("{text}; resuming in {}s", wait.num_seconds()));
                *retry_at = Some(now + wait);
                Vec::new()
            }
            Recovery::WaitForUser => {
                let key = d.key.clone();
                let refresh_may_help = failure.credentials_may_help(expired);
                let hint = (failure.kind == ErrorKind::AccessDenied)
                    .then(|| self.refusal(&key))
                    .flatten();
                self.object.download = None;
                let message = match hint {
                    Some(h) => format!("{text}; {h}"),
                    None => text,
                };
                self.object.outcome = Some(Outcome::Failed {
                    key,
                    message,
                    refresh_may_help,
                });
                vec![Effect::CancelDownload { request }]
            }
        }
    }

    /// A stalled download whose wait is over tries again.
    pub(crate) fn resume_due_download(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let active = self.session.active_generation();
        if let Some(d) = self.object.download.as_mut()
            && let Phase::Running { retry_at, .. } = &mut d.phase
            && retry_at.is_some_and(|at| at <= now)
        {
            *retry_at = None;
            if let Some(a) = active {
                d.generation = a;
            }
            return vec![Effect::ResumeDownload { request: d.request }];
        }
        Vec::new()
    }

    /// When a stalled download tries again by itself.
    pub(crate) fn download_retry_at(&self) -> Option<DateTime<Utc>> {
        match self.object.download.as_ref().map(|d| &d.phase) {
            Some(Phase::Running { retry_at, .. }) => *retry_at,
            _ => None,
        }
    }

    pub(crate) fn on_download_finished(
        &mut self,
        request: RequestId,
        result: Result<u64, String>,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let Some(d) = self.download_for(request).cloned() else {
            return Vec::new();
        };
        self.object.download = None;
        match result {
            Ok(bytes) => {
                self.notice = Some(crate::app::Notice {
                    text: format!("saved {}", d.path.display()),
                    level: Level::Info,
                    until: now + chrono::TimeDelta::seconds(OUTCOME_NOTICE_SECS),
                });
                self.object.outcome = Some(Outcome::Saved {
                    path: d.path,
                    bytes,
                });
            }
            Err(message) => {
                self.object.outcome = Some(Outcome::Failed {
                    key: d.key,
                    message,
                    refresh_may_help: false,
                });
            }
        }
        Vec::new()
    }

    /// `x` (or Esc with nothing else to close): stop the download, remove its `.part`.
    pub(crate) fn cancel_download(&mut self) -> Vec<Effect> {
        let Some(d) = self.object.download.take() else {
            return Vec::new();
        };
        if matches!(self.input, Some(Input::Overwrite)) {
            self.input = None;
        }
        self.object.outcome = Some(Outcome::Cancelled { key: d.key });
        vec![Effect::CancelDownload { request: d.request }]
    }

    /// The status bar's line for the running download.
    pub(crate) fn download_status(&self, now: DateTime<Utc>) -> Option<String> {
        let d = self.object.download.as_ref()?;
        let name = d
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = crate::escape::printable(&name).into_owned();
        Some(match &d.phase {
            Phase::Checking => format!("↓ {name} · starting"),
            Phase::Asking { .. } => format!("↓ {name} · the file exists"),
            Phase::Running {
                received,
                size,
                started,
                stalled,
                ..
            } => {
                if let Some(why) = stalled {
                    format!("↓ {name} · {why} · x cancels")
                } else {
                    let elapsed = (now - *started).to_std().unwrap_or_default();
                    format!(
                        "↓ {name} {} · x cancels",
                        progress_text(*received, *size, elapsed)
                    )
                }
            }
        })
    }

    // ---------- presign ----------

    /// `u`: a GET URL for the object, valid no longer than the session.
    pub(crate) fn presign(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(key) = self.target_key() else {
            return Vec::new();
        };
        let (Some(generation), Some(info)) =
            (self.session.active_generation(), self.session.info())
        else {
            self.notify("no credentials yet; wait for the session", Level::Warn, now);
            return Vec::new();
        };
        let server_now = self.session.server_now(now);
        let validity = match validity(
            self.settings.objects.presign_secs,
            server_now,
            info.expires_at,
        ) {
            Ok(v) => v,
            Err(e @ (PresignError::SessionOver | PresignError::OutOfRange(_))) => {
                self.notify(format!("{e} (r refreshes)"), Level::Error, now);
                return Vec::new();
            }
        };
        let request = self.next_id();
        let warning = self
            .refusal(&key)
            .map(|why| format!("{why}; the URL will be refused"));
        self.object.presigned = Some(Presigned {
            request,
            key: key.clone(),
            validity,
            url: None,
            warning,
            failure: None,
        });
        vec![Effect::Presign {
            request,
            generation,
            bucket: self.listing.bucket().to_string(),
            key,
            secs: validity.secs,
        }]
    }

    pub(crate) fn on_presigned(&mut self, request: RequestId, url: String) -> Vec<Effect> {
        let Some(p) = self
            .object
            .presigned
            .as_mut()
            .filter(|p| p.request == request)
        else {
            return Vec::new();
        };
        p.url = Some(url.clone());
        vec![Effect::CopyToClipboard { text: url }]
    }
}
