//! Putting a local file or folder into the folder shown (`U`): its path typed in the status bar
//! (Tab completes it), predicted by the session policy first (a refusal is said, and nothing is
//! sent), then sent with `If-None-Match: *`; a key that exists is asked about (`o`
//! overwrites, any other key keeps it); its row comes into the listing once it is there.
//! A folder's files are listed first (by the shell, which alone reads the disk), each key
//! predicted, and their count and size asked about (`y` puts them); they go a few at once,
//! the status line counting files and bytes, existing keys kept, and each failure said.
//! A multipart upload whose request is refused mid-way (an expired token) stalls: the model
//! decides as for a download (new credentials, then it resumes with the parts S3 lacks; or
//! it gives up, and the engine aborts it).

use super::ctx::{Ctx, Prompt, Step, Written, uri, with};
use super::fetch::Streak;
use super::msg::Generation;
use super::{App, Effect, Input, Level, RequestId};
use crate::bucket::{Etag, ObjectEntry, StorageClass};
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};
use crate::object::upload::Landed;
use chrono::{DateTime, Utc};
use std::fmt::Write as _;

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
    /// A folder's files, once listed.
    pub(crate) folder: Option<FolderPut>,
}

impl Upload {
    /// Whether `request`'s answers are this upload's: it was sent with it (and may be stalled).
    fn answers(&self, request: RequestId) -> bool {
        matches!(self.phase, Phase::Sent(r) | Phase::Stalled(r) if r == request)
    }
}

/// A folder being put: its files and how far they went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FolderPut {
    /// (key, local path, size), in the order listed.
    pub(crate) files: Vec<(String, std::path::PathBuf, u64)>,
    pub(crate) bytes: u64,
    pub(crate) skipped_links: u64,
    pub(crate) done_files: usize,
    pub(crate) done_bytes: u64,
    /// `x` stopped it: the files under way finish, no new one starts.
    pub(crate) stopped: bool,
}

impl FolderPut {
    /// `12 files (3.4 MiB)`.
    fn what(&self) -> String {
        format!(
            "{} ({})",
            files(self.files.len()),
            crate::bucket::human_size(self.bytes)
        )
    }
}

/// `1 file`, `1,000 files`.
fn files(n: usize) -> String {
    crate::object::detail::counted(n, "file")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Sent; the answer comes for this request.
    Sent(RequestId),
    /// A request of it was refused; it waits for new credentials to resume.
    Stalled(RequestId),
    /// The key exists: asking whether to overwrite it.
    Exists,
    /// A folder's files are listed: asking whether to put them.
    ConfirmFolder,
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
        let name = path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        if name.is_empty() || name == "." || name == ".." {
            return Step::say(
                "U puts a file or a folder: type its path, ending in its name",
                Level::Info,
            );
        }
        if self.current.is_some() {
            return Step::say("an upload is on its way; wait for it", Level::Warn);
        }
        let key = format!("{}{name}", ctx.prefix);
        // A file goes as `key`, a folder's files under `key/` (each predicted once listed).
        let refused = |key: &str| {
            ctx.policy
                .and_then(|p| p.refusal_hint("s3:PutObject", ctx.bucket, key))
        };
        let as_file = refused(&key);
        if let Some(why) = as_file
            .as_ref()
            .filter(|_| refused(&format!("{key}/")).is_some())
        {
            return refusal(why);
        }
        let mut step = self.send(path.to_string(), (ctx.bucket.to_string(), key), true, ctx);
        for effect in &mut step.effects {
            if let Effect::Upload { folder_only, .. } = effect {
                *folder_only = as_file.is_some();
            }
        }
        step
    }

    /// The path is a file where only a folder's files may go (`folder_only`): the policy's
    /// refusal of the file's key is said; nothing was sent.
    pub(crate) fn on_file(&mut self, request: RequestId, ctx: &Ctx<'_>) -> Step {
        let Some(upload) = self.current.take_if(|u| u.phase == Phase::Sent(request)) else {
            return Step::default();
        };
        let why = ctx
            .policy
            .and_then(|p| p.refusal_hint("s3:PutObject", &upload.bucket, &upload.key))
            .unwrap_or_else(|| format!("{} may not be put", uri(&upload.bucket, &upload.key)));
        refusal(&why)
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
            folder: None,
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
                folder_only: false,
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
        let Some(upload) = self.current.take_if(|u| u.answers(request)) else {
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
        let (step, waits) = ctx.write_stalled(
            failure,
            (&mut upload.streak, &mut upload.generation),
            (UPLOAD_REFRESHES, "the upload"),
            request,
        );
        if waits {
            upload.phase = Phase::Stalled(request);
        }
        step
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
        Step::effects(vec![Effect::ResumeWrite { request }])
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

    /// The shell found a folder at the path: its files' keys are predicted, and their count
    /// and size asked about (none to put is said).
    pub(crate) fn on_folder(
        &mut self,
        request: RequestId,
        files: Vec<(String, std::path::PathBuf, u64)>,
        skipped_links: u64,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(upload) = self.current.take_if(|u| u.phase == Phase::Sent(request)) else {
            return Step::default();
        };
        if files.is_empty() {
            return Step::say(
                format!(
                    "{} holds no files to put{}",
                    upload.path,
                    links_passed_over(skipped_links)
                ),
                Level::Info,
            );
        }
        let refusal = ctx.policy.and_then(|p| {
            files
                .iter()
                .find_map(|(key, ..)| p.refusal_hint("s3:PutObject", &upload.bucket, key))
        });
        if let Some(why) = refusal {
            return self::refusal(&why);
        }
        let bytes = files.iter().map(|(.., size)| size).sum();
        self.current = Some(Upload {
            key: format!("{}/", upload.key),
            phase: Phase::ConfirmFolder,
            folder: Some(FolderPut {
                files,
                bytes,
                skipped_links,
                done_files: 0,
                done_bytes: 0,
                stopped: false,
            }),
            ..upload
        });
        Step {
            prompt: Some(Prompt::ConfirmFolderPut),
            ..Step::default()
        }
    }

    /// The key typed at "put the folder's files?": `y` puts them, any other keeps them.
    pub(crate) fn on_folder_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let Some(mut upload) = self.current.take_if(|u| u.phase == Phase::ConfirmFolder) else {
            return Step::default();
        };
        let Some(folder) = upload.folder.as_ref() else {
            return Step::default();
        };
        if press.key != Key::Char('y') || press.ctrl || press.alt {
            return Step::say(format!("nothing put from {}", upload.path), Level::Info);
        }
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let request = ctx.ids.next();
        let text = format!(
            "putting {} from {} into {}…",
            folder.what(),
            upload.path,
            uri(&upload.bucket, &upload.key)
        );
        let effect = Effect::UploadFolder {
            request,
            generation,
            bucket: upload.bucket.clone(),
            files: folder
                .files
                .iter()
                .map(|(key, path, _)| (key.clone(), path.clone()))
                .collect(),
            part_size: ctx.config.objects.part_size,
        };
        upload.phase = Phase::Sent(request);
        upload.generation = generation;
        upload.signed_with = ctx.signed_with();
        self.current = Some(upload);
        Step {
            effects: vec![effect],
            notice: Some((text, Level::Info, None)),
            ..Step::default()
        }
    }

    /// Bytes of the folder's upload went, or a file is done: the status line counts them.
    pub(crate) fn on_progressed(&mut self, request: RequestId, sent: Option<u64>) -> Step {
        let Some(upload) = self.current.as_mut().filter(|u| u.answers(request)) else {
            return Step::default();
        };
        let Some(folder) = upload.folder.as_mut() else {
            return Step::default();
        };
        match sent {
            Some(bytes) => folder.done_bytes += bytes,
            None => folder.done_files += 1,
        }
        let text = format!(
            "putting {}: {} of {} files, {} of {}…",
            upload.path,
            crate::object::detail::thousands(folder.done_files as u64),
            crate::object::detail::thousands(folder.files.len() as u64),
            crate::bucket::human_size(folder.done_bytes.min(folder.bytes)),
            crate::bucket::human_size(folder.bytes)
        );
        Step {
            notice: Some((text, Level::Info, None)),
            ..Step::default()
        }
    }

    /// `x` while a folder's files go: no new one starts, those under way finish (a stalled
    /// folder gives up: its files waiting fail).
    pub(crate) fn stop_folder(&mut self) -> Option<Step> {
        let upload = self.current.as_mut()?;
        let folder = upload.folder.as_mut().filter(|f| !f.stopped)?;
        let (Phase::Sent(request) | Phase::Stalled(request)) = upload.phase else {
            return None;
        };
        folder.stopped = true;
        let mut effects = vec![Effect::StopBatch { request }];
        if upload.phase == Phase::Stalled(request) {
            effects.push(Effect::GiveUpWrite { request });
        }
        Some(Step {
            effects,
            notice: Some((
                "stopping: the files under way finish, no new one starts".into(),
                Level::Warn,
                None,
            )),
            ..Step::default()
        })
    }

    /// The folder's files went: those stored come into the listing; those kept (they exist)
    /// and those that failed are said, the first failure named.
    pub(crate) fn on_folder_uploaded(
        &mut self,
        request: RequestId,
        results: Vec<(String, Result<Landed, AwsFailure>)>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(upload) = self.current.take_if(|u| u.answers(request)) else {
            return Step::default();
        };
        let (mut stored, mut kept, mut failed) = (Vec::new(), 0, Vec::new());
        for (key, result) in results {
            match result {
                Ok(landed) => stored.push((key, landed)),
                Err(f) if f.is_precondition_failed() => kept += 1,
                Err(f) => failed.push((key, f)),
            }
        }
        stored.sort_by(|a, b| a.0.cmp(&b.0));
        failed.sort_by(|a, b| a.0.cmp(&b.0));
        let bytes = stored.iter().map(|(_, l)| l.size).sum();
        let target = uri(&upload.bucket, &upload.key);
        let mut text = if stored.is_empty() {
            format!("nothing put from {} into {target}", upload.path)
        } else {
            format!(
                "put {} ({}) from {} into {target}",
                files(stored.len()),
                crate::bucket::human_size(bytes),
                upload.path,
            )
        };
        if kept > 0 {
            let _ = write!(
                text,
                "; {} kept: they exist (sts3 put --force overwrites)",
                files(kept)
            );
        }
        let level = match failed.as_slice() {
            [] => Level::Info,
            [(key, why), rest @ ..] => {
                let more = if rest.is_empty() { "" } else { ", …" };
                let _ = write!(
                    text,
                    "; {} failed: {}: {why}{more}",
                    files(failed.len()),
                    uri(&upload.bucket, key)
                );
                Level::Error
            }
        };
        let links = upload.folder.as_ref().map_or(0, |f| f.skipped_links);
        text.push_str(&links_passed_over(links));
        if let Some(folder) = upload.folder.as_ref().filter(|f| f.stopped) {
            let answered = stored.len() + kept + failed.len();
            let left = folder.files.len().saturating_sub(answered);
            let _ = write!(text, "; stopped: {} not sent", files(left));
        }
        let added = stored
            .into_iter()
            .map(|(key, landed)| {
                let entry = ObjectEntry::new(
                    key.as_str(),
                    landed.size,
                    Some(ctx.server_now),
                    Etag::parse(landed.etag.as_deref().unwrap_or_default()),
                    StorageClass::default(),
                );
                (key, Some(entry))
            })
            .collect();
        Step {
            written: Some(Written {
                bucket: upload.bucket.clone(),
                gone: Vec::new(),
                added,
            }),
            history: Some((format!("{text}{}", upload.signed_with), level)),
            notice: Some((text, level, None)),
            ..Step::default()
        }
    }

    /// The folder whose files the prompt asks about: its path, target and what goes.
    pub(crate) fn folder_asking(&self) -> Option<(&str, String, String)> {
        let upload = self
            .current
            .as_ref()
            .filter(|u| u.phase == Phase::ConfirmFolder)?;
        let folder = upload.folder.as_ref()?;
        Some((
            upload.path.as_str(),
            uri(&upload.bucket, &upload.key),
            folder.what(),
        ))
    }

    /// The key the prompt asks about, while it asks.
    pub(crate) fn exists(&self) -> Option<&str> {
        self.current
            .as_ref()
            .filter(|u| u.phase == Phase::Exists)
            .map(|u| u.key.as_str())
    }
}

/// The session policy refuses the put: why, and that nothing was sent.
fn refusal(why: &str) -> Step {
    Step::say(
        format!("{why}; nothing was sent (T offers read-write templates)"),
        Level::Warn,
    )
}

/// `; 2 symbolic links passed over`, when any were.
fn links_passed_over(n: u64) -> String {
    match n {
        0 => String::new(),
        1 => "; 1 symbolic link passed over".to_string(),
        n => format!(
            "; {} symbolic links passed over",
            crate::object::detail::thousands(n)
        ),
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
