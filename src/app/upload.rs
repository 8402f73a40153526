//! Putting a local file into the folder shown (`U`): its path typed in the status bar (Tab
//! completes it), predicted by the session policy first (a refusal is said, and nothing is
//! sent), then one PutObject with `If-None-Match: *`; a key that exists is asked about (`o`
//! overwrites, any other key keeps it); its row comes into the listing once it is there.
//! A multipart upload whose request is refused mid-way (an expired token) stalls: the model
//! decides as for a download (new credentials, then it resumes with the parts S3 lacks; or
//! it gives up, and the engine aborts it).

use super::ctx::{Ctx, Prompt, Step, Written, uri, with};
use super::fetch::{Next, Retry, Streak, decide};
use super::msg::Generation;
use super::{App, Effect, Input, Level, RequestId};
use crate::bucket::{Etag, ObjectEntry, StorageClass};
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};
use crate::object::upload::Landed;
use chrono::{DateTime, Utc};

/// The one upload under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Upload {
    /// The local path as typed.
    pub(crate) path: String,
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) phase: Phase,
    /// Which credentials it was sent with, for the history.
    pub(crate) signed_with: String,
    /// The credentials its requests are signed with now, and its failures in a row.
    pub(crate) generation: Generation,
    pub(crate) streak: Streak,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Sent; the answer comes for this request.
    Sent(RequestId),
    /// A request of it was refused; it waits for new credentials to resume.
    Stalled(RequestId),
    /// The key exists: asking whether to overwrite it.
    Exists,
}

/// Credential refreshes one upload may ask for in a run of failures (a long one outlives
/// several sets).
const UPLOAD_REFRESHES: u32 = 2;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Uploads {
    pub(crate) current: Option<Upload>,
}

impl Uploads {
    /// Enter at the path prompt: the file goes into the folder shown under its name.
    pub(crate) fn start(&mut self, path: &str, ctx: &Ctx<'_>) -> Step {
        let path = path.trim();
        let name = path.rsplit('/').next().unwrap_or_default();
        if name.is_empty() || name == "." || name == ".." {
            return Step::say(
                "U puts one file: type its path (a folder: sts3 put)",
                Level::Info,
            );
        }
        if self.current.is_some() {
            return Step::say("an upload is on its way; wait for it", Level::Warn);
        }
        let key = format!("{}{name}", ctx.prefix);
        if let Some(why) = ctx
            .policy
            .and_then(|p| p.refusal_hint("s3:PutObject", ctx.bucket, &key))
        {
            return Step::say(
                format!("{why}; nothing was sent (T offers read-write templates)"),
                Level::Warn,
            );
        }
        self.send(path.to_string(), (ctx.bucket.to_string(), key), true, ctx)
    }

    fn send(
        &mut self,
        path: String,
        (bucket, key): (String, String),
        only_new: bool,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let request = ctx.ids.next();
        let text = format!("putting {path} as {}…", uri(&bucket, &key));
        self.current = Some(Upload {
            path: path.clone(),
            bucket: bucket.clone(),
            key: key.clone(),
            phase: Phase::Sent(request),
            signed_with: ctx.signed_with(),
            generation,
            streak: Streak::default(),
        });
        Step {
            effects: vec![Effect::Upload {
                request,
                generation,
                bucket,
                key,
                path,
                only_new,
                part_size: ctx.config.objects.part_size,
            }],
            notice: Some((text, Level::Info, None)),
            ..Step::default()
        }
    }

    /// S3 answered: the object is there (its row comes into the listing), it existed (asked),
    /// or why not.
    pub(crate) fn on_uploaded(
        &mut self,
        request: RequestId,
        result: Result<Landed, AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(upload) = self
            .current
            .take_if(|u| matches!(u.phase, Phase::Sent(r) | Phase::Stalled(r) if r == request))
        else {
            return Step::default();
        };
        let target = uri(&upload.bucket, &upload.key);
        let (text, level, written) = match result {
            Ok(landed) => {
                let entry = ObjectEntry::new(
                    upload.key.as_str(),
                    landed.size,
                    Some(ctx.server_now),
                    Etag::parse(landed.etag.as_deref().unwrap_or_default()),
                    StorageClass::default(),
                );
                let written = Written {
                    bucket: upload.bucket.clone(),
                    gone: Vec::new(),
                    added: vec![(upload.key.clone(), Some(entry))],
                };
                (
                    format!("put {} as {target} ({} bytes)", upload.path, landed.size),
                    Level::Info,
                    Some(written),
                )
            }
            Err(failure) if failure.is_precondition_failed() => {
                self.current = Some(Upload {
                    phase: Phase::Exists,
                    ..upload
                });
                return Step {
                    prompt: Some(Prompt::ConfirmOverwriteKey),
                    ..Step::default()
                };
            }
            Err(failure) => (
                format!("{} not put: {failure}", upload.path),
                Level::Error,
                None,
            ),
        };
        Step {
            written,
            history: Some((format!("{text}{}", upload.signed_with), level)),
            notice: Some((text, level, None)),
            ..Step::default()
        }
    }

    /// A request of the upload was refused (not a passing fault: the engine waits those out
    /// itself): resumed now, after new credentials, or given up (the engine then aborts it
    /// and its answer says why).
    pub(crate) fn on_stalled(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(upload) = self
            .current
            .as_mut()
            .filter(|u| u.phase == Phase::Sent(request))
        else {
            return Step::default();
        };
        let (failed, next) = decide(
            failure,
            upload.streak,
            upload.generation,
            ctx.session,
            UPLOAD_REFRESHES,
            ctx.now,
        );
        upload.streak = failed.streak;
        match (next, failed.retry) {
            // Signed with older credentials than those in use, or a wait the engine had.
            (Next::AskNow, _) | (Next::Wait, Retry::At(_)) => {
                upload.generation = ctx.session.active.unwrap_or(upload.generation);
                Step::effects(vec![Effect::ResumeUpload { request }])
            }
            (Next::Issue, _) => {
                upload.phase = Phase::Stalled(request);
                Step {
                    issue: true,
                    notice: Some((
                        format!(
                            "{}: new credentials, then the upload goes on",
                            failed.failure
                        ),
                        Level::Warn,
                        None,
                    )),
                    ..Step::default()
                }
            }
            (Next::Wait, Retry::AfterCredentials) => {
                upload.phase = Phase::Stalled(request);
                Step::default()
            }
            (Next::Wait, Retry::ByUser) => Step::effects(vec![Effect::GiveUpUpload { request }]),
        }
    }

    /// New credentials are in use: an upload stalled for them goes on.
    pub(crate) fn after_credentials(&mut self, ctx: &Ctx<'_>) -> Step {
        let Some(upload) = self
            .current
            .as_mut()
            .filter(|u| matches!(u.phase, Phase::Stalled(_)))
        else {
            return Step::default();
        };
        let Phase::Stalled(request) = upload.phase else {
            return Step::default();
        };
        upload.phase = Phase::Sent(request);
        upload.generation = ctx.session.active.unwrap_or(upload.generation);
        Step::effects(vec![Effect::ResumeUpload { request }])
    }

    /// The key typed at "it exists": `o` overwrites, any other keeps it.
    pub(crate) fn on_exists_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let Some(upload) = self.current.take_if(|u| u.phase == Phase::Exists) else {
            return Step::default();
        };
        if press.key == Key::Char('o') && !press.ctrl && !press.alt {
            return self.send(upload.path, (upload.bucket, upload.key), false, ctx);
        }
        Step::say(
            format!("kept {}", uri(&upload.bucket, &upload.key)),
            Level::Info,
        )
    }

    /// The key the prompt asks about, while it asks.
    pub(crate) fn exists(&self) -> Option<&str> {
        self.current
            .as_ref()
            .filter(|u| u.phase == Phase::Exists)
            .map(|u| u.key.as_str())
    }
}

impl App {
    /// `U`: the path prompt, when there is a folder to put into.
    pub(crate) fn open_upload_prompt(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let prompt = Input::Upload {
            text: String::new(),
        };
        self.ask_in_a_bucket(prompt, now)
    }

    /// A key at the path prompt: text, Backspace, Tab completes, Enter puts, Esc cancels.
    pub(crate) fn on_upload_path_key(
        &mut self,
        press: KeyPress,
        text: String,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if press.key == Key::Tab {
            let effects = vec![Effect::CompletePath { text: text.clone() }];
            self.input = Some(Input::Upload { text });
            return effects;
        }
        let again = |text| Input::Upload { text };
        self.on_line_key(press, text, again, |app, text| {
            with!(app.uploads, now, |u, c| u.start(text, c))
        })
    }
}

#[cfg(test)]
mod tests;
