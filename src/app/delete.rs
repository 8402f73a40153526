//! Deleting (`D`): the marked objects, or the one under the cursor when none is marked, or the
//! folder under the cursor (every object under it, at any depth, listed first). Predicted by
//! the session policy first (a refusal is said, naming the key, and nothing is sent), then
//! confirmed: `y` for a few objects, the bucket's name typed for a folder or for more than
//! `delete_type_name_above` (a single key press never deletes a folder or many), then
//! DeleteObjects in batches of 1,000; the rows deleted leave the listing (no reload), and
//! every key S3 refused is said with why.

use super::ctx::{Ctx, Prompt, Step, Written, uri};
use super::listing::Entry;
use super::{Effect, Level, RequestId};
use crate::bucket::human_size;
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};
use crate::object::Deleted;
use crate::object::detail::thousands;

/// Where a deletion is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Phase {
    /// The folder's objects are being listed, for this request.
    Listing(RequestId),
    /// The prompt asks whether to delete.
    Asking,
    /// Sent; the answer comes for this request.
    Sent(RequestId),
}

/// What is to be deleted: keys in key order, their bytes, in which bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Deletion {
    /// The bucket the keys are in (the one shown when `D` was pressed).
    pub(crate) bucket: String,
    pub(crate) keys: Vec<String>,
    pub(crate) bytes: u64,
    /// The folder deleted whole, when it is one: its prefix.
    pub(crate) folder: Option<String>,
    pub(crate) phase: Phase,
    /// Which credentials the deletion was sent with, for the history (empty until sent).
    pub(crate) signed_with: String,
}

impl Deletion {
    /// `s3://b/k` for one key, `3 objects (12.0 KiB)` for more, `folder s3://b/docs/ (3
    /// objects, 12.0 KiB)` for a folder.
    pub(crate) fn what(&self) -> String {
        let uri = |key: &str| uri(&self.bucket, key);
        let count = |n: usize| crate::object::detail::counted(n, "object");
        match (&self.folder, self.keys.as_slice()) {
            (Some(folder), keys) => format!(
                "folder {} ({}, {})",
                uri(folder),
                count(keys.len()),
                human_size(self.bytes)
            ),
            (None, [key]) => uri(key),
            (None, keys) => format!("{} ({})", count(keys.len()), human_size(self.bytes)),
        }
    }

    /// Whether the bucket's name must be typed to confirm: always for a folder, and for more
    /// than `above` objects.
    pub(crate) fn typed(&self, above: usize) -> bool {
        self.folder.is_some() || self.keys.len() > above
    }

    /// Where the keys' names start: in the folder deleted, else at the folder shown.
    pub(crate) fn names_from<'a>(&'a self, shown: &'a str) -> &'a str {
        self.folder.as_deref().unwrap_or(shown)
    }
}

/// The one deletion under way, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Deletes {
    pub(crate) current: Option<Deletion>,
}

/// Why the session policy refuses deleting some of `keys`, said, when it does.
fn refused(keys: &[String], ctx: &Ctx<'_>) -> Option<Step> {
    let policy = ctx.policy?;
    let refusals: Vec<String> = keys
        .iter()
        .filter_map(|k| policy.refusal_hint("s3:DeleteObject", ctx.bucket, k))
        .collect();
    let why = refusals.first()?;
    let of = if keys.len() > 1 {
        format!(" ({} of {} refused)", refusals.len(), keys.len())
    } else {
        String::new()
    };
    Some(Step::say(
        format!("{why}{of}; nothing was sent (T offers read-write templates)"),
        Level::Warn,
    ))
}

impl Deletes {
    /// `D`: the marked objects, else the object under the cursor, asked about first (when the
    /// policy allows each); a folder under the cursor is listed first.
    pub(crate) fn ask(&mut self, ctx: &Ctx<'_>) -> Step {
        if self
            .current
            .as_ref()
            .is_some_and(|d| d.phase != Phase::Asking)
        {
            return Step::say("a deletion is on its way; wait for it", Level::Warn);
        }
        let (keys, bytes) = if !ctx.marks.is_empty() {
            (ctx.marks.keys(), ctx.marks.bytes())
        } else if let Some(Entry::Object(o)) = ctx.selected {
            (vec![o.key.to_string()], o.size)
        } else if let Some(Entry::Folder(prefix)) = ctx.selected {
            return self.list_folder(prefix, ctx);
        } else {
            return Step::say(
                "D deletes the marked objects (space marks one, V all in view), the object or the folder under the cursor",
                Level::Info,
            );
        };
        if let Some(refusal) = refused(&keys, ctx) {
            return refusal;
        }
        self.ask_about(
            Deletion {
                bucket: ctx.bucket.to_string(),
                keys,
                bytes,
                folder: None,
                phase: Phase::Asking,
                signed_with: String::new(),
            },
            ctx,
        )
    }

    /// The prompt for `deletion`: `y`, or the bucket's name typed.
    fn ask_about(&mut self, deletion: Deletion, ctx: &Ctx<'_>) -> Step {
        let prompt = if deletion.typed(ctx.config.objects.delete_type_name_above) {
            Prompt::TypeBucketToDelete
        } else {
            Prompt::ConfirmDelete
        };
        self.current = Some(deletion);
        Step {
            prompt: Some(prompt),
            ..Step::default()
        }
    }

    /// `D` on a folder: every object under it is listed first, to be counted and predicted.
    fn list_folder(&mut self, prefix: &str, ctx: &Ctx<'_>) -> Step {
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let request = ctx.ids.next();
        self.current = Some(Deletion {
            bucket: ctx.bucket.to_string(),
            keys: Vec::new(),
            bytes: 0,
            folder: Some(prefix.to_string()),
            phase: Phase::Listing(request),
            signed_with: String::new(),
        });
        ctx.list_folder((request, generation), prefix, "delete")
    }

    /// The folder's objects were listed: predicted, then asked about (the bucket's name typed).
    pub(crate) fn on_listed_under(
        &mut self,
        request: RequestId,
        result: Result<Vec<(String, u64)>, AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(mut deletion) = self.current.take_if(|d| d.phase == Phase::Listing(request))
        else {
            return Step::default();
        };
        let folder = deletion.folder.clone().unwrap_or_default();
        let uri = uri(&deletion.bucket, &folder);
        let objects = match result {
            Ok(objects) if objects.is_empty() => {
                return Step::say(format!("nothing under {uri} to delete"), Level::Info);
            }
            Ok(objects) => objects,
            Err(failure) => {
                let why = ctx
                    .policy
                    .and_then(|p| p.why_refused(&failure, "s3:ListBucket", &deletion.bucket, ""))
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default();
                return Step::say(
                    format!("{uri} not deleted: listing it failed: {failure}{why}"),
                    Level::Error,
                );
            }
        };
        deletion.bytes = objects.iter().map(|(_, size)| size).sum();
        deletion.keys = objects.into_iter().map(|(key, _)| key).collect();
        if let Some(refusal) = refused(&deletion.keys, ctx) {
            return refusal;
        }
        deletion.phase = Phase::Asking;
        self.ask_about(deletion, ctx)
    }

    /// The key typed at the yes-or-no prompt: `y` deletes, any other keeps.
    pub(crate) fn on_confirm_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let yes = press.key == Key::Char('y') && !press.ctrl && !press.alt;
        self.confirmed(yes, "", ctx)
    }

    /// Enter (or Esc: `typed` empty) at the prompt for the bucket's name: the exact name
    /// deletes, anything else keeps.
    pub(crate) fn on_name_typed(&mut self, typed: &str, ctx: &Ctx<'_>) -> Step {
        let why = if typed.is_empty() {
            ""
        } else {
            " (that is not the bucket's name)"
        };
        let bucket = self.asking().map(|d| d.bucket.clone()).unwrap_or_default();
        self.confirmed(!bucket.is_empty() && typed == bucket, why, ctx)
    }

    /// Sends the deletion asked about when `yes`, else keeps everything and says so (`why`).
    fn confirmed(&mut self, yes: bool, why: &str, ctx: &Ctx<'_>) -> Step {
        let Some(mut deletion) = self.current.take().filter(|d| d.phase == Phase::Asking) else {
            return Step::default();
        };
        let what = deletion.what();
        let Some(generation) = ctx.session.active.filter(|_| yes) else {
            return Step::say(format!("kept {what}{why}"), Level::Info);
        };
        let request = ctx.ids.next();
        deletion.phase = Phase::Sent(request);
        deletion.signed_with = ctx.signed_with();
        let keys = deletion.keys.clone();
        let deletion_bucket = deletion.bucket.clone();
        self.current = Some(deletion);
        Step {
            effects: vec![Effect::DeleteObjects {
                request,
                generation,
                bucket: deletion_bucket,
                keys,
            }],
            notice: Some((format!("deleting {what}…"), Level::Info, None)),
            ..Step::default()
        }
    }

    /// S3 answered: gone (the rows leave the listing, the marks are forgotten), or which keys it
    /// refused and why, each named.
    pub(crate) fn on_deleted(
        &mut self,
        request: RequestId,
        result: Result<Deleted, AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(deletion) = self.current.take_if(|d| d.phase == Phase::Sent(request)) else {
            return Step::default();
        };
        let bucket = deletion.bucket.as_str();
        let why = |failure: &AwsFailure, key: &str| {
            ctx.policy
                .and_then(|p| p.why_refused(failure, "s3:DeleteObject", bucket, key))
                .map(|w| format!(" ({w})"))
                .unwrap_or_default()
        };
        let what = deletion.what();
        // What went leaves the listing: every key but those refused, and a folder when all
        // of it went.
        let written = match &result {
            Ok(deleted) if deleted.refused.len() < deletion.keys.len() => {
                let refused: std::collections::HashSet<&str> =
                    deleted.refused.iter().map(|(k, _)| k.as_str()).collect();
                let mut gone: Vec<String> = deletion
                    .keys
                    .iter()
                    .filter(|k| !refused.contains(k.as_str()))
                    .cloned()
                    .collect();
                if refused.is_empty() {
                    gone.extend(deletion.folder.clone());
                }
                Some(Written {
                    bucket: deletion.bucket.clone(),
                    gone,
                    added: Vec::new(),
                })
            }
            _ => None,
        };
        let some_went = written.is_some();
        // On a versioned bucket nothing was lost: said after what was deleted.
        let markers = match &result {
            Ok(deleted) => deleted
                .marker_note()
                .map(|note| format!("; {note}"))
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        let (text, level, history) = match result.map(|d| d.refused) {
            Ok(refused) if refused.is_empty() => {
                let text = format!("deleted {what}{markers}");
                (text.clone(), Level::Info, text)
            }
            Ok(refused) => {
                let listed: Vec<String> = refused
                    .iter()
                    .map(|(key, failure)| {
                        format!("{}: {failure}{}", uri(bucket, key), why(failure, key))
                    })
                    .collect();
                let done = deletion.keys.len() - refused.len();
                let text = format!(
                    "deleted {} of {}; {} refused: {}{markers}",
                    thousands(done as u64),
                    thousands(deletion.keys.len() as u64),
                    thousands(refused.len() as u64),
                    listed[0]
                );
                // Every refusal in the history (L), not hidden in a count.
                let history = format!("{text}; all refused: {}", listed.join("; "));
                (text, Level::Error, history)
            }
            Err(failure) => {
                let key = deletion.keys.first().map_or("", String::as_str);
                let text = format!("{what} not deleted: {failure}{}", why(&failure, key));
                (text.clone(), Level::Error, text)
            }
        };
        Step {
            written,
            forget_marks: some_went,
            history: Some((format!("{history}{}", deletion.signed_with), level)),
            notice: Some((text, level, None)),
            ..Step::default()
        }
    }

    /// What the prompt asks about, while it asks.
    pub(crate) fn asking(&self) -> Option<&Deletion> {
        self.current.as_ref().filter(|d| d.phase == Phase::Asking)
    }
}

#[cfg(test)]
mod tests;
