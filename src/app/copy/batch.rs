//! Copying or moving many objects at once (`C`, `R` with marks, or on a folder): the folder
//! they go to is typed (relative to the folder shown, `/…` from the root); a folder under the
//! cursor is listed first. Every source and destination is predicted by the session policy,
//! then the count and size are asked about (`y`). They go a few at once, never over an
//! existing key (those are kept and counted), a move deleting each source once its copy is
//! stored; the rows change in place and each failure is counted, the first named.

use super::super::ctx::{Ctx, Prompt, Step, Written, uri};
use super::super::listing::Entry;
use super::super::{Effect, Level, RequestId};
use crate::bucket::{Etag, ObjectEntry, StorageClass, human_size};
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};
use crate::object::Copied;
use crate::object::detail::thousands;
use std::fmt::Write as _;

/// Where a batch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BatchPhase {
    /// The folder's objects are being listed.
    Listing(RequestId),
    /// Asking whether to go on.
    Asking,
    /// Sent; the answers come for this request.
    Sent(RequestId),
}

/// Many objects copied or moved to one folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Batch {
    pub(crate) bucket: String,
    /// (source, destination, size), in key order.
    pub(crate) pairs: Vec<(String, String, u64)>,
    /// The folder copied (listed first), or none for the marked objects.
    pub(crate) folder: Option<String>,
    /// Where they go: a folder's key, ending in `/`.
    pub(crate) to: String,
    pub(crate) moving: bool,
    pub(crate) phase: BatchPhase,
    pub(crate) signed_with: String,
    /// How many have been answered.
    pub(crate) done: usize,
    /// `x` stopped it: the copies under way finish, no new one starts.
    pub(crate) stopped: bool,
}

impl Batch {
    /// `copy` or `move`.
    pub(crate) fn verb(&self) -> &'static str {
        if self.moving { "move" } else { "copy" }
    }

    fn doing(&self) -> &'static str {
        if self.moving { "moving" } else { "copying" }
    }

    fn done(&self) -> &'static str {
        if self.moving { "moved" } else { "copied" }
    }

    /// `3 objects (1.2 KiB)`.
    pub(crate) fn what(&self) -> String {
        let bytes = self.pairs.iter().map(|(.., size)| size).sum();
        format!("{} ({})", objects(self.pairs.len()), human_size(bytes))
    }

    /// The folder they go to, as a URI.
    pub(crate) fn target(&self) -> String {
        uri(&self.bucket, &self.to)
    }
}

fn objects(n: usize) -> String {
    crate::object::detail::counted(n, "object")
}

/// The folder `typed` names, seen from `folder`: `/…` from the root, else under it; it ends in
/// `/`. Or what is wrong with it.
pub(crate) fn target_folder(folder: &str, typed: &str) -> Result<String, &'static str> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("type the folder they go to");
    }
    if typed.chars().any(char::is_control) {
        return Err("a name without control characters");
    }
    let mut to = match typed.strip_prefix('/') {
        Some(from_root) => from_root.to_string(),
        None => format!("{folder}{typed}"),
    };
    if !to.is_empty() && !to.ends_with('/') {
        to.push('/');
    }
    if to.split('/').any(|part| part == "." || part == "..") {
        return Err("a folder without . or .. parts");
    }
    Ok(to)
}

/// Each source under `from` (the folder shown, or the folder copied) and its destination under
/// `to`, keeping its path below `from`.
fn pairs(sources: Vec<(String, u64)>, from: &str, to: &str) -> Vec<(String, String, u64)> {
    sources
        .into_iter()
        .map(|(key, size)| {
            let rest = key.strip_prefix(from).unwrap_or(&key).to_string();
            (key, format!("{to}{rest}"), size)
        })
        .collect()
}

impl super::Copies {
    /// Enter at the folder prompt: the marked objects predicted and asked about, or the folder
    /// under the cursor listed first.
    pub(crate) fn start_batch(&mut self, typed: &str, moving: bool, ctx: &Ctx<'_>) -> Step {
        let verb = if moving { "moved" } else { "copied" };
        let to = match target_folder(ctx.prefix, typed) {
            Ok(to) => to,
            Err(need) => return Step::say(format!("nothing {verb}: {need}"), Level::Warn),
        };
        if self.current.is_some() || self.batch.is_some() {
            return Step::say("a copy is on its way; wait for it", Level::Warn);
        }
        let mut batch = Batch {
            bucket: ctx.bucket.to_string(),
            pairs: Vec::new(),
            folder: None,
            to,
            moving,
            phase: BatchPhase::Asking,
            signed_with: String::new(),
            done: 0,
            stopped: false,
        };
        if !ctx.marks.is_empty() {
            batch.pairs = pairs(ctx.marks.entries(), ctx.prefix, &batch.to);
            return self.ask_batch(batch, ctx);
        }
        let Some(Entry::Folder(folder)) = ctx.selected else {
            return Step::say(
                format!("nothing {verb}: mark objects or pick a folder"),
                Level::Info,
            );
        };
        let folder = folder.to_string();
        if batch.to.starts_with(&folder) {
            return Step::say(
                format!("nothing {verb}: a folder outside the one they come from"),
                Level::Warn,
            );
        }
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let request = ctx.ids.next();
        let step = ctx.list_folder((request, generation), &folder, batch.verb());
        // The folder keeps its name where it goes.
        let name = folder[ctx.prefix.len().min(folder.len())..].to_string();
        batch.to = format!("{}{name}", batch.to);
        batch.folder = Some(folder);
        batch.phase = BatchPhase::Listing(request);
        self.batch = Some(batch);
        step
    }

    /// The folder's objects were listed: predicted and asked about.
    pub(crate) fn on_listed_under(
        &mut self,
        request: RequestId,
        result: Result<Vec<(String, u64)>, AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(mut batch) = self
            .batch
            .take_if(|b| b.phase == BatchPhase::Listing(request))
        else {
            return Step::default();
        };
        let folder = batch.folder.clone().unwrap_or_default();
        match result {
            Ok(sources) if sources.is_empty() => Step::say(
                format!(
                    "nothing under {} to {}",
                    uri(&batch.bucket, &folder),
                    batch.verb()
                ),
                Level::Info,
            ),
            Ok(sources) => {
                batch.pairs = pairs(sources, &folder, &batch.to);
                batch.phase = BatchPhase::Asking;
                self.ask_batch(batch, ctx)
            }
            Err(failure) => Step::say(
                format!("{} was not listed: {failure}", uri(&batch.bucket, &folder)),
                Level::Error,
            ),
        }
    }

    /// Every source and destination predicted (the first refusal said, nothing sent), then the
    /// prompt.
    fn ask_batch(&mut self, batch: Batch, ctx: &Ctx<'_>) -> Step {
        if let Some(policy) = ctx.policy {
            let refusal = batch.pairs.iter().find_map(|(from, to, _)| {
                let mut asks = vec![("s3:GetObject", from), ("s3:PutObject", to)];
                if batch.moving {
                    asks.push(("s3:DeleteObject", from));
                }
                asks.into_iter()
                    .find_map(|(action, key)| policy.refusal_hint(action, ctx.bucket, key))
            });
            if let Some(why) = refusal {
                return Step::say(
                    format!("{why}; nothing was sent (T offers read-write templates)"),
                    Level::Warn,
                );
            }
        }
        self.batch = Some(batch);
        Step {
            prompt: Some(Prompt::ConfirmCopyMany),
            ..Step::default()
        }
    }

    /// The key typed at "copy N objects to …?": `y` sends them, any other keeps them.
    pub(crate) fn on_batch_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let Some(mut batch) = self.batch.take_if(|b| b.phase == BatchPhase::Asking) else {
            return Step::default();
        };
        if press.key != Key::Char('y') || press.ctrl || press.alt {
            return Step::say(
                format!("nothing {} to {}", batch.done(), batch.target()),
                Level::Info,
            );
        }
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let request = ctx.ids.next();
        let text = format!("{} {} to {}…", batch.doing(), batch.what(), batch.target());
        let effect = Effect::CopyObjects {
            request,
            generation,
            bucket: batch.bucket.clone(),
            pairs: batch
                .pairs
                .iter()
                .map(|(from, to, _)| (from.clone(), to.clone()))
                .collect(),
            moving: batch.moving,
            part_size: ctx.config.objects.part_size,
        };
        batch.phase = BatchPhase::Sent(request);
        batch.signed_with = ctx.signed_with();
        self.renewal = Some(super::renewal::Renewal::new(request, generation));
        self.batch = Some(batch);
        Step {
            effects: vec![effect],
            notice: Some((text, Level::Info, None)),
            ..Step::default()
        }
    }

    /// One more of the batch was answered: the status line counts them.
    pub(crate) fn on_batch_progressed(&mut self, request: RequestId) -> Step {
        let Some(batch) = self
            .batch
            .as_mut()
            .filter(|b| b.phase == BatchPhase::Sent(request))
        else {
            return Step::default();
        };
        batch.done += 1;
        let text = format!(
            "{} to {}: {} of {}…",
            batch.doing(),
            batch.target(),
            thousands(batch.done as u64),
            objects(batch.pairs.len())
        );
        Step {
            notice: Some((text, Level::Info, None)),
            ..Step::default()
        }
    }

    /// Every copy answered: the rows change in place; those kept (their destination exists),
    /// those that failed and sources a move could not delete are counted, the first named.
    pub(crate) fn on_batch_copied(
        &mut self,
        request: RequestId,
        result: super::super::msg::CopiesAnswer,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(batch) = self.batch.take_if(|b| b.phase == BatchPhase::Sent(request)) else {
            return Step::default();
        };
        let results = match result {
            Ok(results) => results,
            Err(failure) => {
                let text = format!("nothing {}: {failure}", batch.done());
                return Step::say(text, Level::Error);
            }
        };
        let mut tally = Tally::default();
        for (from, to, result) in results {
            tally.count(from, to, result, ctx);
        }
        let (mut text, level) = tally.said(&batch);
        if batch.stopped {
            let answered = tally.added.len() + tally.kept + tally.failed.len();
            let left = batch.pairs.len().saturating_sub(answered);
            let _ = write!(text, "; stopped: {} not {}", objects(left), batch.done());
        }
        let some_went = !tally.added.is_empty();
        // A folder moved whole leaves: its row goes too.
        if let Some(folder) = batch.folder.as_ref().filter(|_| tally.all_went()) {
            tally.gone.push(folder.clone());
        }
        Step {
            written: Some(Written {
                bucket: batch.bucket.clone(),
                gone: if batch.moving { tally.gone } else { Vec::new() },
                added: tally.added,
            }),
            history: Some((format!("{text}{}", batch.signed_with), level)),
            notice: Some((text, level, None)),
            forget_marks: some_went && batch.folder.is_none(),
            ..Step::default()
        }
    }

    /// `x` while a batch goes: no new copy starts, those under way finish (those waiting for
    /// credentials give up).
    pub(crate) fn stop_batch(&mut self) -> Option<Step> {
        let batch = self.batch.as_mut().filter(|b| !b.stopped)?;
        let BatchPhase::Sent(request) = batch.phase else {
            return None;
        };
        batch.stopped = true;
        let what = if batch.moving { "moves" } else { "copies" };
        let mut effects = vec![Effect::StopBatch { request }];
        effects.extend(self.give_up_waiting(request));
        Some(Step {
            effects,
            notice: Some((
                format!("stopping: the {what} under way finish, no new one starts"),
                Level::Warn,
                None,
            )),
            ..Step::default()
        })
    }

    /// The batch the prompt asks about, while it asks.
    pub(crate) fn batch_asking(&self) -> Option<&Batch> {
        self.batch
            .as_ref()
            .filter(|b| b.phase == BatchPhase::Asking)
    }
}

/// What a batch's answers came to.
#[derive(Default)]
struct Tally {
    added: Vec<(String, Option<ObjectEntry>)>,
    /// Sources deleted by a move.
    gone: Vec<String>,
    bytes: u64,
    kept: usize,
    failed: Vec<(String, AwsFailure)>,
    /// Sources a move copied but could not delete.
    stayed: Vec<(String, AwsFailure)>,
}

impl Tally {
    /// Every source went where it was sent, and none stayed.
    fn all_went(&self) -> bool {
        self.kept == 0 && self.failed.is_empty() && self.stayed.is_empty()
    }

    fn count(
        &mut self,
        from: String,
        to: String,
        result: Result<Copied, AwsFailure>,
        ctx: &Ctx<'_>,
    ) {
        match result {
            Ok(copied) => {
                let entry = ObjectEntry::new(
                    to.as_str(),
                    copied.landed.size,
                    Some(ctx.server_now),
                    Etag::parse(copied.landed.etag.as_deref().unwrap_or_default()),
                    StorageClass::default(),
                );
                self.bytes += copied.landed.size;
                self.added.push((to, Some(entry)));
                match copied.source_kept {
                    Some(failure) => self.stayed.push((from, failure)),
                    None => self.gone.push(from),
                }
            }
            Err(f) if f.is_precondition_failed() => self.kept += 1,
            Err(f) => self.failed.push((from, f)),
        }
    }

    /// The line said at the end, and its level.
    fn said(&mut self, batch: &Batch) -> (String, Level) {
        let done = batch.done();
        let mut text = if self.added.is_empty() {
            format!("nothing {done} to {}", batch.target())
        } else {
            format!(
                "{done} {} ({}) to {}",
                objects(self.added.len()),
                human_size(self.bytes),
                batch.target()
            )
        };
        if self.kept > 0 {
            let _ = write!(
                text,
                "; {} kept: their destination exists",
                objects(self.kept)
            );
        }
        let mut level = Level::Info;
        for (list, what) in [
            (&mut self.failed, "failed"),
            (&mut self.stayed, "still where they were"),
        ] {
            list.sort_by(|a, b| a.0.cmp(&b.0));
            if let [(key, why), rest @ ..] = list.as_slice() {
                let more = if rest.is_empty() { "" } else { ", …" };
                let _ = write!(
                    text,
                    "; {} {what}: {}: {why}{more}",
                    objects(list.len()),
                    uri(&batch.bucket, key)
                );
                level = Level::Error;
            }
        }
        (text, level)
    }
}
