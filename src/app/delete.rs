//! Deleting (`D`): the marked objects, or the one under the cursor when none is marked.
//! Predicted by the session policy first (a refusal is said, naming the key, and nothing is
//! sent), then confirmed: `y` for a few objects, the bucket's name typed for more than
//! [`TYPED_FROM`] (a single key press never deletes many), then DeleteObjects in batches of
//! 1,000; the listing reloads, and every key S3 refused is said with why.

use super::ctx::{Ctx, Prompt, Step};
use super::listing::Entry;
use super::{Effect, Level, RequestId};
use crate::bucket::human_size;
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};
use crate::object::detail::thousands;

/// More objects than this are confirmed by typing the bucket's name.
pub(crate) const TYPED_FROM: usize = 10;

/// Where a deletion is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Phase {
    /// The prompt asks whether to delete.
    Asking,
    /// Sent; the answer comes for this request.
    Sent(RequestId),
}

/// What is to be deleted: keys in key order, their bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Deletion {
    pub(crate) keys: Vec<String>,
    pub(crate) bytes: u64,
    pub(crate) phase: Phase,
}

impl Deletion {
    /// `s3://b/k` for one key in `bucket`, `3 objects (12.0 KiB)` for more.
    pub(crate) fn what(&self, bucket: &str) -> String {
        match self.keys.as_slice() {
            [key] => format!("s3://{bucket}/{}", crate::escape::printable(key)),
            keys => format!(
                "{} objects ({})",
                thousands(keys.len() as u64),
                human_size(self.bytes)
            ),
        }
    }

    /// Whether the bucket's name must be typed to confirm.
    pub(crate) fn typed(&self) -> bool {
        self.keys.len() > TYPED_FROM
    }
}

/// The one deletion under way, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Deletes {
    pub(crate) current: Option<Deletion>,
}

impl Deletes {
    /// `D`: the marked objects, else the one under the cursor, asked about first (when the
    /// policy allows each).
    pub(crate) fn ask(&mut self, ctx: &Ctx<'_>) -> Step {
        let (keys, bytes) = if !ctx.marks.is_empty() {
            (ctx.marks.keys(), ctx.marks.bytes())
        } else if let Some(Entry::Object(o)) = ctx.selected {
            (vec![o.key.to_string()], o.size)
        } else {
            return Step::say(
                "D deletes the marked objects (space marks one, V all in view), or the one under the cursor (a folder: sts3 rm --recursive)",
                Level::Info,
            );
        };
        if let Some(policy) = ctx.policy {
            let refusals: Vec<String> = keys
                .iter()
                .filter_map(|k| policy.refusal_hint("s3:DeleteObject", ctx.bucket, k))
                .collect();
            if let Some(why) = refusals.first() {
                let of = if keys.len() > 1 {
                    format!(" ({} of {} refused)", refusals.len(), keys.len())
                } else {
                    String::new()
                };
                return Step::say(
                    format!("{why}{of}; nothing was sent (T offers read-write templates)"),
                    Level::Warn,
                );
            }
        }
        if matches!(
            self.current,
            Some(Deletion {
                phase: Phase::Sent(_),
                ..
            })
        ) {
            return Step::say("a deletion is on its way; wait for it", Level::Warn);
        }
        let deletion = Deletion {
            keys,
            bytes,
            phase: Phase::Asking,
        };
        let prompt = if deletion.typed() {
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
        self.confirmed(typed == ctx.bucket, why, ctx)
    }

    /// Sends the deletion asked about when `yes`, else keeps everything and says so (`why`).
    fn confirmed(&mut self, yes: bool, why: &str, ctx: &Ctx<'_>) -> Step {
        let Some(mut deletion) = self.current.take().filter(|d| d.phase == Phase::Asking) else {
            return Step::default();
        };
        let what = deletion.what(ctx.bucket);
        let Some(generation) = ctx.session.active.filter(|_| yes) else {
            return Step::say(format!("kept {what}{why}"), Level::Info);
        };
        let request = ctx.ids.next();
        deletion.phase = Phase::Sent(request);
        let keys = deletion.keys.clone();
        self.current = Some(deletion);
        Step {
            effects: vec![Effect::DeleteObjects {
                request,
                generation,
                bucket: ctx.bucket.to_string(),
                keys,
            }],
            notice: Some((format!("deleting {what}…"), Level::Info, None)),
            ..Step::default()
        }
    }

    /// S3 answered: gone (the listing reloads, the marks are forgotten), or which keys it
    /// refused and why, each named.
    pub(crate) fn on_deleted(
        &mut self,
        request: RequestId,
        result: Result<Vec<(String, AwsFailure)>, AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(deletion) = self.current.take() else {
            return Step::default();
        };
        if deletion.phase != Phase::Sent(request) {
            self.current = Some(deletion);
            return Step::default();
        }
        let why = |failure: &AwsFailure, key: &str| {
            ctx.policy
                .and_then(|p| p.why_refused(failure, "s3:DeleteObject", ctx.bucket, key))
                .map(|w| format!(" ({w})"))
                .unwrap_or_default()
        };
        let what = deletion.what(ctx.bucket);
        let some_went = match &result {
            Ok(refused) => refused.len() < deletion.keys.len(),
            Err(_) => false,
        };
        let (text, level, history) = match result {
            Ok(refused) if refused.is_empty() => {
                let text = format!("deleted {what}");
                (text.clone(), Level::Info, text)
            }
            Ok(refused) => {
                let listed: Vec<String> = refused
                    .iter()
                    .map(|(key, failure)| {
                        format!("{}: {failure}{}", ctx.uri(key), why(failure, key))
                    })
                    .collect();
                let done = deletion.keys.len() - refused.len();
                let text = format!(
                    "deleted {} of {}; {} refused: {}",
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
            reload: some_went,
            forget_marks: some_went,
            history: Some((history, level)),
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
