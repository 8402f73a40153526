//! `s` on marked objects, or on a folder: many objects saved into the download folder at once,
//! each at its path below the folder shown (a folder keeps its name), in the background while
//! the listing stays usable. A folder is listed first; every key is predicted by the session
//! policy, then the count and size are asked about (`y`). The status bar counts objects and
//! bytes as they come; `x` cancels all (no `.part` is left). A file of the object's size
//! already there is kept as complete, one of another size is never replaced; a refused request
//! stalls every object until new credentials are in (one refresh for all).

use super::ctx::{Ctx, Prompt, Step, uri};
use super::fetch::Streak;
use super::listing::Entry;
use super::{Effect, Generation, Level, RequestId};
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};
use crate::object::download::Split;
use crate::object::tree::{Place, Tally, place};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Credential refreshes one run of failures may ask for.
const SAVE_REFRESHES: u32 = 2;

/// Where a batch of saves is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SavePhase {
    /// The folder's objects are being listed.
    Listing(RequestId),
    /// Asking whether to go on.
    Asking,
    /// Running; its answers come for this request.
    Running(RequestId),
    /// A request was refused: waiting for new credentials.
    Stalled(RequestId),
}

/// How one object of a batch went, as the shell tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SaveOutcome {
    /// Saved, this many bytes.
    Saved(u64),
    /// A file of its size was there: kept as complete.
    Present,
    /// A file of another size is there: not replaced.
    Differs,
    Failed(String),
}

/// Many objects saved into one folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SaveBatch {
    pub(crate) bucket: String,
    /// (key, where below the download folder, size), in key order.
    pub(crate) items: Vec<(String, PathBuf, u64)>,
    /// The folder saved (listed first), or none for the marked objects.
    pub(crate) folder: Option<String>,
    /// The download folder.
    pub(crate) dir: PathBuf,
    pub(crate) phase: SavePhase,
    generation: Generation,
    streak: Streak,
    pub(crate) tally: Tally,
    /// Files of another size that were there (not replaced).
    differs: u64,
    /// Bytes of the objects saved.
    saved_bytes: u64,
    /// The first failure, by key: named at the end.
    first_failure: Option<(String, String)>,
    started: chrono::DateTime<chrono::Utc>,
    signed_with: String,
}

impl SaveBatch {
    /// Whether `request`'s answers are this batch's: it was started with it (and may be
    /// stalled).
    fn answers(&self, request: RequestId) -> bool {
        matches!(self.phase, SavePhase::Running(r) | SavePhase::Stalled(r) if r == request)
    }

    /// `3 objects (1.2 KiB)`.
    pub(crate) fn what(&self) -> String {
        let bytes = self.items.iter().map(|(.., size)| size).sum();
        format!(
            "{} ({})",
            crate::object::detail::counted(self.items.len(), "object"),
            crate::bucket::human_size(bytes)
        )
    }

    /// The folder they go into, printable.
    pub(crate) fn target(&self) -> String {
        crate::escape::printable(&self.dir.display().to_string()).into_owned()
    }

    /// `12 of 40 objects · 3.4 MiB · 1.2 MiB/s into DIR · x cancels`.
    fn progress(&self, now: chrono::DateTime<chrono::Utc>) -> String {
        let elapsed = (now - self.started).to_std().unwrap_or_default();
        format!(
            "saving {} into {} · x cancels",
            self.tally.progress(elapsed),
            self.target()
        )
    }

    /// The line said at the end (`cancelled`: by the user), and its level.
    fn summary(&self, cancelled: bool) -> (String, Level) {
        // The bytes of the objects saved (those that failed midway told some too).
        let saved = Tally {
            bytes: self.saved_bytes,
            ..self.tally
        };
        let mut text = saved.summary(&self.target());
        if self.differs > 0 {
            let _ = write!(
                text,
                "; {} kept: a file of another size is there",
                crate::object::detail::counted(
                    usize::try_from(self.differs).unwrap_or(usize::MAX),
                    "object"
                )
            );
        }
        if let Some((key, why)) = &self.first_failure {
            let _ = write!(text, " (first: {}: {why})", uri(&self.bucket, key));
        }
        if cancelled {
            let left = self.items.len() as u64 - self.tally.done() - self.differs;
            text = format!("cancelled, {left} not saved: {text}");
        }
        let level = if self.tally.failed > 0 {
            Level::Error
        } else if cancelled || self.differs > 0 {
            Level::Warn
        } else {
            Level::Info
        };
        (text, level)
    }
}

/// The batch of saves, if one is under way.
#[derive(Debug, Default)]
pub(crate) struct Saves {
    batch: Option<SaveBatch>,
}

impl Saves {
    /// A batch is listed, asked about or running.
    pub(crate) fn is_busy(&self) -> bool {
        self.batch.is_some()
    }

    /// The batch the prompt asks about, while it asks.
    pub(crate) fn asking(&self) -> Option<&SaveBatch> {
        self.batch.as_ref().filter(|b| b.phase == SavePhase::Asking)
    }

    /// `s` with marks (they are asked about), or on a folder (it is listed first).
    pub(crate) fn start(&mut self, ctx: &Ctx<'_>) -> Step {
        if self.batch.is_some() {
            return Step::say("objects are being saved; x cancels them", Level::Warn);
        }
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let mut batch = SaveBatch {
            bucket: ctx.bucket.to_string(),
            items: Vec::new(),
            folder: None,
            dir: ctx.config.objects.download_dir.clone(),
            phase: SavePhase::Asking,
            generation,
            streak: Streak::default(),
            tally: Tally::default(),
            differs: 0,
            saved_bytes: 0,
            first_failure: None,
            started: ctx.now,
            signed_with: String::new(),
        };
        if !ctx.marks.is_empty() {
            return self.ask(batch, ctx.marks.entries(), ctx);
        }
        let Some(Entry::Folder(folder)) = ctx.selected else {
            return Step::default();
        };
        let request = ctx.ids.next();
        batch.folder = Some(folder.to_string());
        batch.phase = SavePhase::Listing(request);
        self.batch = Some(batch);
        ctx.list_folder((request, generation), folder, "save")
    }

    /// The folder's objects were listed: predicted and asked about.
    pub(crate) fn on_listed_under(
        &mut self,
        request: RequestId,
        result: Result<Vec<(String, u64)>, AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(batch) = self
            .batch
            .take_if(|b| b.phase == SavePhase::Listing(request))
        else {
            return Step::default();
        };
        let folder = uri(&batch.bucket, batch.folder.as_deref().unwrap_or_default());
        match result {
            Ok(objects) => self.ask(batch, objects, ctx),
            Err(failure) => Step::say(format!("{folder} was not listed: {failure}"), Level::Error),
        }
    }

    /// Each object's place below the download folder (the folder shown's paths kept; a key
    /// that cannot be saved inside it refused, said), every key predicted, then the prompt.
    fn ask(&mut self, mut batch: SaveBatch, objects: Vec<(String, u64)>, ctx: &Ctx<'_>) -> Step {
        for (key, size) in objects {
            match place(ctx.prefix, &key) {
                Place::File(relative) => batch.items.push((key, relative, size)),
                Place::Folder => {}
                Place::Refused(why) => {
                    return Step::say(
                        format!("nothing saved: {}: {why}", uri(&batch.bucket, &key)),
                        Level::Warn,
                    );
                }
            }
        }
        if batch.items.is_empty() {
            return Step::say("nothing to save: no objects there", Level::Info);
        }
        if let Some(why) = batch
            .items
            .iter()
            .find_map(|(key, ..)| ctx.refusal(key, false))
        {
            return Step::say(
                format!("{why}; nothing was saved (T offers templates)"),
                Level::Warn,
            );
        }
        batch.phase = SavePhase::Asking;
        self.batch = Some(batch);
        Step {
            prompt: Some(Prompt::ConfirmSaveMany),
            ..Step::default()
        }
    }

    /// The key typed at "save N objects into …?": `y` starts them, any other keeps them.
    pub(crate) fn on_confirm_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let Some(mut batch) = self.batch.take_if(|b| b.phase == SavePhase::Asking) else {
            return Step::default();
        };
        if press.key != Key::Char('y') || press.ctrl || press.alt {
            return Step::say("nothing saved", Level::Info);
        }
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let request = ctx.ids.next();
        let effect = Effect::SaveObjects {
            request,
            generation,
            bucket: batch.bucket.clone(),
            items: batch
                .items
                .iter()
                .map(|(key, relative, size)| (key.clone(), relative.clone(), *size))
                .collect(),
            dir: batch.dir.clone(),
            split: Split {
                part_size: ctx.config.objects.part_size,
                parallel: super::at_once(ctx.config),
            },
        };
        batch.phase = SavePhase::Running(request);
        batch.generation = generation;
        batch.started = ctx.now;
        batch.tally.listed = batch.items.len() as u64;
        batch.tally.all_listed = true;
        batch.signed_with = ctx.signed_with();
        let text = batch.progress(ctx.now);
        self.batch = Some(batch);
        Step {
            effects: vec![effect],
            notice: Some((text, Level::Info, None)),
            ..Step::default()
        }
    }

    fn running(&mut self, request: RequestId) -> Option<&mut SaveBatch> {
        self.batch.as_mut().filter(|b| b.answers(request))
    }

    /// More bytes came: the status bar counts them.
    pub(crate) fn on_progressed(&mut self, request: RequestId, bytes: u64, ctx: &Ctx<'_>) -> Step {
        let Some(batch) = self.running(request) else {
            return Step::default();
        };
        batch.tally.bytes += bytes;
        Step::say(batch.progress(ctx.now), Level::Info)
    }

    /// One object is saved, kept or failed.
    pub(crate) fn on_saved(
        &mut self,
        request: RequestId,
        key: String,
        outcome: SaveOutcome,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(batch) = self.running(request) else {
            return Step::default();
        };
        match outcome {
            SaveOutcome::Saved(bytes) => {
                batch.tally.saved += 1;
                batch.saved_bytes += bytes;
                // Requests went through: a later refusal may ask for new credentials again.
                batch.streak = Streak::default();
            }
            SaveOutcome::Present => batch.tally.present += 1,
            SaveOutcome::Differs => batch.differs += 1,
            SaveOutcome::Failed(why) => {
                batch.tally.failed += 1;
                let first = batch
                    .first_failure
                    .get_or_insert_with(|| (key.clone(), why.clone()));
                if key < first.0 {
                    *first = (key, why);
                }
            }
        }
        Step::say(batch.progress(ctx.now), Level::Info)
    }

    /// Every object is done: the summary, in the status bar and the history.
    pub(crate) fn on_finished(&mut self, request: RequestId) -> Step {
        let Some(batch) = self.batch.take_if(|b| b.answers(request)) else {
            return Step::default();
        };
        finished(&batch, false)
    }

    /// `x`: the batch stops, its `.part`s go; what is saved stays.
    pub(crate) fn cancel(&mut self) -> Option<Step> {
        let batch = self.batch.take()?;
        let (SavePhase::Running(request) | SavePhase::Stalled(request)) = batch.phase else {
            // Still listing or asking: nothing was started.
            return Some(Step::say("nothing saved", Level::Info));
        };
        let mut step = finished(&batch, true);
        step.effects.push(Effect::CancelSaves { request });
        Some(step)
    }

    /// A request of the batch was refused: resumed at once (signed with older credentials,
    /// or a wait the engine had), after new credentials, or given up.
    pub(crate) fn on_stalled(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(batch) = self.running(request) else {
            return Step::default();
        };
        let (step, waits) = ctx.stalled(
            failure,
            (&mut batch.streak, &mut batch.generation),
            (SAVE_REFRESHES, "saving"),
            (
                Effect::ResumeSaves { request },
                Effect::GiveUpSaves { request },
            ),
        );
        if waits {
            batch.phase = SavePhase::Stalled(request);
        }
        step
    }

    /// New credentials are in: a stalled batch goes on with them.
    pub(crate) fn after_credentials(&mut self, ctx: &Ctx<'_>) -> Step {
        let Some(batch) = self.batch.as_mut() else {
            return Step::default();
        };
        let SavePhase::Stalled(request) = batch.phase else {
            return Step::default();
        };
        batch.phase = SavePhase::Running(request);
        batch.generation = ctx.session.active.unwrap_or(batch.generation);
        Step::effects(vec![Effect::ResumeSaves { request }])
    }
}

/// The end of a batch, said and recorded.
fn finished(batch: &SaveBatch, cancelled: bool) -> Step {
    let (text, level) = batch.summary(cancelled);
    Step {
        history: Some((format!("{text}{}", batch.signed_with), level)),
        notice: Some((text, level, None)),
        ..Step::default()
    }
}

#[cfg(test)]
mod tests;
