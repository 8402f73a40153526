//! `s`: one download at a time, saved under the object's name in the download folder (asking
//! before an existing file is replaced), its progress in the status bar, its stalls decided as
//! every request's failure is ([`crate::app::fetch::decide`]): resumed by itself after passing
//! trouble, after new credentials when they may help, or ended with the reason in the pane.

use super::{Download, ObjectActions, Outcome, Phase};
use crate::app::ctx::{Ctx, Prompt, Step};
use crate::app::fetch::{Failed, Next, Retry, Streak, decide};
use crate::app::{Effect, Level, RequestId};
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};
use crate::object::download::{Split, file_name, progress_text};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// Credential refreshes one download may ask for.
const DOWNLOAD_REFRESHES: u32 = 2;

/// How long a download's end stays said in the status bar.
const OUTCOME_NOTICE_SECS: i64 = 8;

impl ObjectActions {
    /// `s`: save the object under its name in the download folder (asking first if a file
    /// of that name is there).
    pub(crate) fn start_download(&mut self, ctx: &Ctx<'_>) -> Step {
        let Some((key, version)) = self.target(ctx) else {
            return Step::default();
        };
        if self.download.is_some() {
            return Step::say("a download is running; x cancels it", Level::Warn);
        }
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let Some(name) = file_name(&key) else {
            return Step::say(
                format!(
                    "{} has no file name to save it under",
                    crate::escape::printable(&key)
                ),
                Level::Error,
            );
        };
        let path = ctx.config.objects.download_dir.join(name);
        let request = ctx.ids.next();
        self.download = Some(Download {
            request,
            key,
            version,
            path: path.clone(),
            phase: Phase::Checking,
            streak: Streak::default(),
            generation,
        });
        self.outcome = None;
        Step::effects(vec![Effect::CheckDownloadTarget { request, path }])
    }

    fn download_for(&mut self, request: RequestId) -> Option<&mut Download> {
        self.download.as_mut().filter(|d| d.request == request)
    }

    /// Whether a file stands where the download would go (and the name that keeps both).
    pub(crate) fn on_target_checked(
        &mut self,
        request: RequestId,
        exists: bool,
        keep_both: PathBuf,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(d) = self.download_for(request) else {
            return Step::default();
        };
        if d.phase != Phase::Checking {
            return Step::default();
        }
        if exists {
            d.phase = Phase::Asking { keep_both };
            return Step {
                prompt: Some(Prompt::Overwrite),
                ..Step::default()
            };
        }
        self.run_download(None, ctx).into()
    }

    /// Starts the checked (or confirmed) download, to `path` instead when given.
    fn run_download(&mut self, path: Option<PathBuf>, ctx: &Ctx<'_>) -> Vec<Effect> {
        let Some(d) = self.download.as_mut() else {
            return Vec::new();
        };
        if let Some(path) = path {
            d.path = path;
        }
        if let Some(g) = ctx.session.active {
            d.generation = g;
        }
        d.phase = Phase::Running {
            received: 0,
            size: 0,
            started: ctx.now,
            stalled: None,
        };
        vec![Effect::Download {
            request: d.request,
            generation: d.generation,
            bucket: ctx.bucket.to_string(),
            key: d.key.clone(),
            version: d.version.clone(),
            path: d.path.clone(),
            split: Split {
                part_size: ctx.config.objects.part_size,
                parallel: crate::app::at_once(ctx.config),
            },
        }]
    }

    /// The answer to "the file exists": `o` overwrites, `k` keeps both, `c` or Esc cancels.
    pub(crate) fn on_overwrite_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let keep_both = match self.download.as_ref().map(|d| &d.phase) {
            Some(Phase::Asking { keep_both }) => keep_both.clone(),
            _ => return Step::default(),
        };
        match press.key {
            Key::Char('o') => self.run_download(None, ctx).into(),
            Key::Char('k') => self.run_download(Some(keep_both), ctx).into(),
            Key::Char('c') | Key::Esc => {
                let key = self.download.take().map(|d| d.key).unwrap_or_default();
                self.outcome = Some(Outcome::Cancelled { key });
                Step::default()
            }
            _ => Step {
                prompt: Some(Prompt::Overwrite), // still asking
                ..Step::default()
            },
        }
    }

    pub(crate) fn on_progress(&mut self, request: RequestId, received: u64, size: u64) {
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
    }

    /// The download broke off and its resume was refused: resumed now, by itself later, after
    /// new credentials, or ended with the reason.
    pub(crate) fn on_stalled(
        &mut self,
        request: RequestId,
        failure: &AwsFailure,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(d) = self.download_for(request) else {
            return Step::default();
        };
        let hint = ctx.why_refused(failure, &d.key, d.version.is_some());
        let Phase::Running { stalled, .. } = &mut d.phase else {
            return Step::default();
        };
        let (mut failed, next) = decide(
            failure.clone(),
            d.streak,
            d.generation,
            ctx.session,
            DOWNLOAD_REFRESHES,
            ctx.now,
        );
        failed.hint = hint;
        d.streak = failed.streak;
        match next {
            Next::AskNow => {
                if let Some(a) = ctx.session.active {
                    d.generation = a;
                }
                Step::effects(vec![Effect::ResumeDownload { request }])
            }
            Next::Issue => {
                *stalled = Some(failed);
                Step {
                    issue: true,
                    ..Step::default()
                }
            }
            Next::Wait if failed.retry != Retry::ByUser => {
                *stalled = Some(failed); // by itself later, or when the credentials come
                Step::default()
            }
            Next::Wait => {
                let key = d.key.clone();
                self.download = None;
                self.download_failed(key, &failed, ctx.session.expired);
                Step::effects(vec![Effect::CancelDownload { request }])
            }
        }
    }

    /// The download ended with `failed`: said in the object pane, with why the session policy
    /// refuses it when it does, and whether new credentials may help.
    fn download_failed(&mut self, key: String, failed: &Failed, session_expired: bool) {
        let text = failed.failure.to_string();
        let message = match &failed.hint {
            Some(h) => crate::failure::and_then(&text, h),
            None => text,
        };
        self.outcome = Some(Outcome::Failed {
            key,
            message,
            refresh_may_help: failed.failure.credentials_may_help(session_expired),
        });
    }

    /// A stalled download whose wait is over tries again.
    pub(crate) fn resume_due(&mut self, ctx: &Ctx<'_>) -> Vec<Effect> {
        if self.retry_at().is_some_and(|at| at <= ctx.now) {
            return self.resume(ctx);
        }
        Vec::new()
    }

    /// New credentials are in use: a download stalled for them resumes.
    pub(super) fn resume_after_credentials(&mut self, ctx: &Ctx<'_>) -> Vec<Effect> {
        let waits = match self.download.as_ref().map(|d| &d.phase) {
            Some(Phase::Running {
                stalled: Some(failed),
                ..
            }) => failed.retry == Retry::AfterCredentials,
            _ => false,
        };
        if waits {
            return self.resume(ctx);
        }
        Vec::new()
    }

    /// The stalled download asks again, with the credentials in use now (its stall stays said
    /// until bytes come).
    fn resume(&mut self, ctx: &Ctx<'_>) -> Vec<Effect> {
        let Some(d) = self.download.as_mut() else {
            return Vec::new();
        };
        if let Phase::Running {
            stalled: Some(failed),
            ..
        } = &mut d.phase
        {
            failed.retry = Retry::ByUser;
        }
        if let Some(a) = ctx.session.active {
            d.generation = a;
        }
        vec![Effect::ResumeDownload { request: d.request }]
    }

    /// When a stalled download tries again by itself.
    pub(crate) fn retry_at(&self) -> Option<DateTime<Utc>> {
        match self.download.as_ref().map(|d| &d.phase) {
            Some(Phase::Running {
                stalled: Some(failed),
                ..
            }) => failed.retry_at(),
            _ => None,
        }
    }

    /// The download ended: saved (said in the status bar a while), or why not.
    pub(crate) fn on_finished(&mut self, request: RequestId, result: Result<u64, String>) -> Step {
        let Some(d) = self.download_for(request).cloned() else {
            return Step::default();
        };
        self.download = None;
        match result {
            Ok(bytes) => {
                let text = format!(
                    "saved {}",
                    crate::escape::printable(&d.path.display().to_string())
                );
                self.outcome = Some(Outcome::Saved {
                    path: d.path,
                    bytes,
                });
                Step {
                    notice: Some((text, Level::Info, Some(OUTCOME_NOTICE_SECS))),
                    ..Step::default()
                }
            }
            Err(message) => {
                self.outcome = Some(Outcome::Failed {
                    key: d.key,
                    message,
                    refresh_may_help: false,
                });
                Step::default()
            }
        }
    }

    /// A failed save said under the listing goes: it concerns its key, and the user moved on
    /// (another folder, a reload, Esc). Whether there was one.
    pub(crate) fn forget_failed_save(&mut self) -> bool {
        self.outcome
            .take_if(|o| matches!(o, Outcome::Failed { .. }))
            .is_some()
    }

    /// `x` (or Esc with nothing else to close): stop the download, remove its `.part`.
    pub(crate) fn cancel_download(&mut self) -> Step {
        let Some(d) = self.download.take() else {
            return Step::default();
        };
        self.outcome = Some(Outcome::Cancelled { key: d.key });
        Step::effects(vec![Effect::CancelDownload { request: d.request }])
    }

    /// The status bar's line for the running download.
    pub(crate) fn download_status(&self, now: DateTime<Utc>) -> Option<String> {
        let d = self.download.as_ref()?;
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
            } => {
                if let Some(failed) = stalled {
                    let how = resuming(failed.retry, now);
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
/// How a stalled download goes on.
fn resuming(retry: Retry, now: DateTime<Utc>) -> String {
    match retry {
        Retry::AfterCredentials => "refreshing credentials, then resuming".to_string(),
        Retry::At(at) => format!("resuming in {}s", (at - now).num_seconds().max(0)),
        Retry::ByUser => "resuming".to_string(),
    }
}
