//! Copying and moving (`C`, `R`): the object under the cursor to a key typed in the status bar,
//! which starts as the object's own name, so a rename is an edit of it. The key is relative
//! to the folder shown (`/` starts at the root, a trailing `/` keeps the name). Predicted by
//! the session policy first (`s3:GetObject` on the source, `s3:PutObject` on the
//! destination, `s3:DeleteObject` on a move's source), then sent: an existing destination is
//! asked about (`o` overwrites), a move deletes its source once the copy is stored, and the
//! rows change in place.

use super::ctx::{Ctx, Prompt, Step, Written, uri, with};
use super::listing::Entry;
use super::{App, Effect, Input, Level, RequestId};
use crate::bucket::{Etag, ObjectEntry, StorageClass};
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};
use crate::object::Copied;
use chrono::{DateTime, Utc};

pub(crate) mod batch;
mod renewal;
pub(crate) use batch::Batch;

/// Where a copy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Sent; the answer comes for this request.
    Sent(RequestId),
    /// The destination exists: asking whether to overwrite it.
    Exists,
}

/// The one copy or move under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Copy {
    pub(crate) bucket: String,
    pub(crate) from: String,
    pub(crate) to: String,
    /// A move: the source is deleted once the copy is stored.
    pub(crate) moving: bool,
    pub(crate) phase: Phase,
    /// Which credentials it was sent with, for the history.
    pub(crate) signed_with: String,
}

impl Copy {
    fn verb(&self) -> &'static str {
        if self.moving { "move" } else { "copy" }
    }

    fn done(&self) -> &'static str {
        if self.moving { "moved" } else { "copied" }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Copies {
    pub(crate) current: Option<Copy>,
    /// Many objects copied or moved at once.
    pub(crate) batch: Option<Batch>,
    /// How the refused requests of the copy or batch under way go on.
    renewal: Option<renewal::Renewal>,
}

/// The destination key of `typed` for `from`, seen from `folder`: `/…` from the root, else
/// under the folder; a trailing `/` keeps `from`'s name. Or what is wrong with it.
pub(crate) fn destination(folder: &str, from: &str, typed: &str) -> Result<String, &'static str> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("type where it goes");
    }
    if typed.chars().any(char::is_control) {
        return Err("a name without control characters");
    }
    let mut key = match typed.strip_prefix('/') {
        Some(from_root) => from_root.to_string(),
        None => format!("{folder}{typed}"),
    };
    if key.is_empty() || key.ends_with('/') {
        key.push_str(from.rsplit('/').next().unwrap_or(from));
    }
    if key.split('/').any(|part| part == "." || part == "..") {
        return Err("a key without . or .. parts");
    }
    if key.len() > 1024 {
        return Err("a key of at most 1,024 bytes");
    }
    if key == from {
        return Err("another key than its own");
    }
    Ok(key)
}

impl Copies {
    /// Enter at the destination prompt: predicted, then sent.
    pub(crate) fn start(&mut self, from: &str, typed: &str, moving: bool, ctx: &Ctx<'_>) -> Step {
        let verb = if moving { "moved" } else { "copied" };
        let to = match destination(ctx.prefix, from, typed) {
            Ok(to) => to,
            Err(need) => return Step::say(format!("nothing {verb}: {need}"), Level::Warn),
        };
        if self.current.is_some() || self.batch.is_some() {
            return Step::say("a copy is on its way; wait for it", Level::Warn);
        }
        if let Some(policy) = ctx.policy {
            let mut asks = vec![("s3:GetObject", from), ("s3:PutObject", to.as_str())];
            if moving {
                asks.push(("s3:DeleteObject", from));
            }
            if let Some(why) = asks
                .into_iter()
                .find_map(|(action, key)| policy.refusal_hint(action, ctx.bucket, key))
            {
                return Step::say(
                    format!("{why}; nothing was sent (T offers read-write templates)"),
                    Level::Warn,
                );
            }
        }
        let copy = Copy {
            bucket: ctx.bucket.to_string(),
            from: from.to_string(),
            to,
            moving,
            phase: Phase::Exists,
            signed_with: String::new(),
        };
        self.send(copy, true, ctx)
    }

    fn send(&mut self, mut copy: Copy, only_new: bool, ctx: &Ctx<'_>) -> Step {
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let request = ctx.ids.next();
        let text = format!(
            "{}ing {} to {}…",
            copy.verb().trim_end_matches('e'),
            uri(&copy.bucket, &copy.from),
            uri(&copy.bucket, &copy.to)
        );
        copy.phase = Phase::Sent(request);
        copy.signed_with = ctx.signed_with();
        self.renewal = Some(renewal::Renewal::new(request, generation));
        let effect = Effect::CopyObject {
            request,
            generation,
            bucket: copy.bucket.clone(),
            from: copy.from.clone(),
            to: copy.to.clone(),
            only_new,
            moving: copy.moving,
            part_size: ctx.config.objects.part_size,
        };
        self.current = Some(copy);
        Step {
            effects: vec![effect],
            notice: Some((text, Level::Info, None)),
            ..Step::default()
        }
    }

    /// S3 answered: copied (the rows change in place), the destination exists (asked), or
    /// why not; a move whose source could not be deleted says so, the copy kept.
    pub(crate) fn on_copied(
        &mut self,
        request: RequestId,
        result: Result<Copied, AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(copy) = self.current.take_if(|c| c.phase == Phase::Sent(request)) else {
            return Step::default();
        };
        let (from, to) = (uri(&copy.bucket, &copy.from), uri(&copy.bucket, &copy.to));
        let done = copy.done();
        let copied = match result {
            Ok(copied) => copied,
            Err(failure) if failure.is_precondition_failed() => {
                self.current = Some(Copy {
                    phase: Phase::Exists,
                    ..copy
                });
                return Step {
                    prompt: Some(Prompt::ConfirmCopyOverwrite),
                    ..Step::default()
                };
            }
            Err(failure) => {
                let why = ctx
                    .policy
                    .and_then(|p| p.why_refused(&failure, "s3:PutObject", &copy.bucket, &copy.to))
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default();
                let text = format!("{from} not {done}: {failure}{why}");
                return Step {
                    history: Some((format!("{text}{}", copy.signed_with), Level::Error)),
                    notice: Some((text, Level::Error, None)),
                    ..Step::default()
                };
            }
        };
        let entry = ObjectEntry::new(
            copy.to.as_str(),
            copied.landed.size,
            Some(ctx.server_now),
            Etag::parse(copied.landed.etag.as_deref().unwrap_or_default()),
            StorageClass::default(),
        );
        let (text, level, gone) = match (&copied.source_kept, copy.moving) {
            (Some(failure), true) => (
                format!("copied {from} to {to}, but the source is still there: {failure}"),
                Level::Error,
                Vec::new(),
            ),
            (_, true) => (
                format!("moved {from} to {to}"),
                Level::Info,
                vec![copy.from],
            ),
            (_, false) => (format!("copied {from} to {to}"), Level::Info, Vec::new()),
        };
        Step {
            written: Some(Written {
                bucket: copy.bucket,
                gone,
                added: vec![(copy.to, Some(entry))],
            }),
            history: Some((format!("{text}{}", copy.signed_with), level)),
            notice: Some((text, level, None)),
            ..Step::default()
        }
    }

    /// The key typed at "it exists": `o` overwrites, any other keeps it.
    pub(crate) fn on_exists_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let Some(copy) = self.current.take_if(|c| c.phase == Phase::Exists) else {
            return Step::default();
        };
        if press.key == Key::Char('o') && !press.ctrl && !press.alt {
            return self.send(copy, false, ctx);
        }
        Step::say(
            format!(
                "kept {}; {} is where it was",
                uri(&copy.bucket, &copy.to),
                uri(&copy.bucket, &copy.from)
            ),
            Level::Info,
        )
    }

    /// The destination the prompt asks about, while it asks.
    pub(crate) fn exists(&self) -> Option<&Copy> {
        self.current.as_ref().filter(|c| c.phase == Phase::Exists)
    }
}

impl App {
    /// `C` (`moving`: `R`): the destination prompt for the object under the cursor, starting
    /// as its name.
    pub(crate) fn open_copy_prompt(&mut self, moving: bool, now: DateTime<Utc>) -> Vec<Effect> {
        let many = !self.listing.marks.is_empty()
            || matches!(self.listing.selected(), Some(Entry::Folder(_)));
        if many {
            let prompt = Input::CopyManyTo {
                text: String::new(),
                moving,
            };
            return self.ask_in_a_bucket(prompt, now);
        }
        let Some(Entry::Object(o)) = self.listing.selected() else {
            let what = if moving {
                "R moves or renames"
            } else {
                "C copies"
            };
            self.notify(
                format!("{what} the object under the cursor, the marked ones or a folder"),
                Level::Info,
                now,
            );
            return Vec::new();
        };
        let from = o.key.to_string();
        let text = self.listing.relative(Entry::Object(o)).to_string();
        self.ask_in_a_bucket(Input::CopyTo { from, text, moving }, now)
    }

    /// A key at the many objects' folder prompt: text, Backspace, Enter goes on, Esc cancels.
    pub(crate) fn on_copy_many_key(
        &mut self,
        press: KeyPress,
        (mut text, moving): (String, bool),
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        match press.key {
            Key::Esc => Vec::new(),
            Key::Enter => with!(self.copies, now, |k, c| k.start_batch(&text, moving, c)),
            _ => {
                super::input::edit_line(&mut text, press);
                self.input = Some(Input::CopyManyTo { text, moving });
                Vec::new()
            }
        }
    }

    /// A key at the destination prompt: text, Backspace, Enter sends, Esc cancels.
    pub(crate) fn on_copy_to_key(
        &mut self,
        press: KeyPress,
        (from, mut text, moving): (String, String, bool),
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        match press.key {
            Key::Esc => Vec::new(),
            Key::Enter => with!(self.copies, now, |k, c| k.start(&from, &text, moving, c)),
            _ => {
                super::input::edit_line(&mut text, press);
                self.input = Some(Input::CopyTo { from, text, moving });
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests;
