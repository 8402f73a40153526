//! `s`: one download at a time, saved under the object's name in the download folder (asking
//! before an existing file is replaced), its progress in the status bar, its stalls decided as
//! every request's failure is ([`crate::app::fetch::decide`]): resumed by itself after passing
//! trouble, after new credentials when they may help, or ended with the reason in the pane.

use super::{Download, Outcome, Phase};
use crate::app::fetch::{Failed, Next, Retry, Streak, decide};
use crate::app::{App, Effect, Input, Level, RequestId};
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};
use crate::object::download::{file_name, progress_text};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Credential refreshes one download may ask for.
const DOWNLOAD_REFRESHES: u32 = 2;

/// How long a download's end stays said in the status bar.
const OUTCOME_NOTICE_SECS: i64 = 8;

impl App {
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
        let path = self.config.objects.download_dir.join(name);
        let request = self.next_id();
        self.object.download = Some(Download {
            request,
            key,
            path: path.clone(),
            phase: Phase::Checking,
            streak: Streak::default(),
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
                ..
            } = &mut d.phase
        {
            *r = received;
            *s = size;
            *stalled = None;
            d.streak.transient = 0;
        }
        Vec::new()
    }

    pub(crate) fn on_download_stalled(
        &mut self,
        request: RequestId,
        failure: &AwsFailure,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let session = self.session_now(now);
        let hint = self
            .object
            .download
            .as_ref()
            .filter(|d| d.request == request)
            .and_then(|d| self.why_refused(failure, &d.key));
        let Some(d) = self.download_for(request) else {
            return Vec::new();
        };
        let Phase::Running { stalled, .. } = &mut d.phase else {
            return Vec::new();
        };
        let (mut failed, next) = decide(
            failure.clone(),
            d.streak,
            d.generation,
            session,
            DOWNLOAD_REFRESHES,
            now,
        );
        failed.hint = hint;
        d.streak = failed.streak;
        let key = d.key.clone();
        match next {
            Next::AskNow => {
                if let Some(a) = session.active {
                    d.generation = a;
                }
                vec![Effect::ResumeDownload { request }]
            }
            Next::Issue => {
                *stalled = Some(failed);
                self.issue(self.session.mode(), now)
            }
            Next::Wait if failed.retry != Retry::ByUser => {
                *stalled = Some(failed); // by itself later, or when the credentials come
                Vec::new()
            }
            Next::Wait => {
                self.object.download = None;
                self.download_failed(key, &failed, session.expired);
                vec![Effect::CancelDownload { request }]
            }
        }
    }

    /// The download ended with `failed`: said in the object pane, with why the session policy
    /// refuses it when it does, and whether new credentials may help.
    fn download_failed(&mut self, key: String, failed: &Failed, session_expired: bool) {
        let text = failed.failure.to_string();
        let message = match &failed.hint {
            Some(h) => format!("{text}; {h}"),
            None => text,
        };
        self.object.outcome = Some(Outcome::Failed {
            key,
            message,
            refresh_may_help: failed.failure.credentials_may_help(session_expired),
        });
    }

    /// A stalled download whose wait is over tries again.
    pub(crate) fn resume_due_download(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if self.download_retry_at().is_some_and(|at| at <= now) {
            return self.resume_download();
        }
        Vec::new()
    }

    /// New credentials are in use: a download stalled for them resumes.
    pub(crate) fn resume_download_after_credentials(&mut self) -> Vec<Effect> {
        let waits = match self.object.download.as_ref().map(|d| &d.phase) {
            Some(Phase::Running {
                stalled: Some(failed),
                ..
            }) => failed.retry == Retry::AfterCredentials,
            _ => false,
        };
        if waits {
            return self.resume_download();
        }
        Vec::new()
    }

    /// The stalled download asks again, with the credentials in use now (its stall stays said
    /// until bytes come).
    fn resume_download(&mut self) -> Vec<Effect> {
        let active = self.session.active_generation();
        let Some(d) = self.object.download.as_mut() else {
            return Vec::new();
        };
        if let Phase::Running {
            stalled: Some(failed),
            ..
        } = &mut d.phase
        {
            failed.retry = Retry::ByUser;
        }
        if let Some(a) = active {
            d.generation = a;
        }
        vec![Effect::ResumeDownload { request: d.request }]
    }

    /// When a stalled download tries again by itself.
    pub(crate) fn download_retry_at(&self) -> Option<DateTime<Utc>> {
        match self.object.download.as_ref().map(|d| &d.phase) {
            Some(Phase::Running {
                stalled: Some(failed),
                ..
            }) => match failed.retry {
                Retry::At(at) => Some(at),
                Retry::AfterCredentials | Retry::ByUser => None,
            },
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
                if let Some(failed) = stalled {
                    let how = match failed.retry {
                        Retry::AfterCredentials => {
                            "refreshing credentials, then resuming".to_string()
                        }
                        Retry::At(at) => {
                            format!("resuming in {}s", (at - now).num_seconds().max(0))
                        }
                        Retry::ByUser => "resuming".to_string(),
                    };
                    format!("↓ {name} · {}; {how} · x cancels", failed.failure)
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
}
