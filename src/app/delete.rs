//! Deleting the object under the cursor (`D`): predicted by the session policy first (a
//! refusal is said, and nothing is sent), then asked in the status bar (`y` deletes, any other
//! key keeps it), then one DeleteObjects; the listing reloads when it is gone, and a failure
//! is said with its code and, when the policy explains it, why.

use super::ctx::{Ctx, Prompt, Step};
use super::{Effect, Level, RequestId};
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};

/// Where a deletion is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Phase {
    /// The prompt asks whether to delete.
    Asking,
    /// Sent; the answer comes for this request.
    Sent(RequestId),
}

/// The one deletion under way, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Deletes {
    pub(crate) current: Option<(String, Phase)>,
}

impl Deletes {
    /// `D`: the object under the cursor, asked about first (when the policy allows it).
    pub(crate) fn ask(&mut self, ctx: &Ctx<'_>) -> Step {
        let Some(key) = ctx.selected_object else {
            return Step::say(
                "D deletes one object: put the cursor on one (all under a folder: sts3 rm --recursive)",
                Level::Info,
            );
        };
        if let Some(why) = ctx
            .policy
            .and_then(|p| p.refusal_hint("s3:DeleteObject", ctx.bucket, key))
        {
            return Step::say(
                format!("{why}; nothing was sent (T offers read-write templates)"),
                Level::Warn,
            );
        }
        if matches!(self.current, Some((_, Phase::Sent(_)))) {
            return Step::say("a deletion is on its way; wait for it", Level::Warn);
        }
        self.current = Some((key.to_string(), Phase::Asking));
        Step {
            prompt: Some(Prompt::ConfirmDelete),
            ..Step::default()
        }
    }

    /// The key typed at the prompt: `y` deletes, any other keeps.
    pub(crate) fn on_confirm_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let Some((key, Phase::Asking)) = self.current.take() else {
            return Step::default();
        };
        let uri = ctx.uri(&key);
        let yes = press.key == Key::Char('y') && !press.ctrl && !press.alt;
        let Some(generation) = ctx.session.active.filter(|_| yes) else {
            return Step::say(format!("kept {uri}"), Level::Info);
        };
        let request = ctx.ids.next();
        self.current = Some((key.clone(), Phase::Sent(request)));
        Step {
            effects: vec![Effect::DeleteObject {
                request,
                generation,
                bucket: ctx.bucket.to_string(),
                key,
            }],
            notice: Some((format!("deleting {uri}…"), Level::Info, None)),
            ..Step::default()
        }
    }

    /// S3 answered: gone (the listing reloads), or why not.
    pub(crate) fn on_deleted(
        &mut self,
        request: RequestId,
        result: Result<(), AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some((key, Phase::Sent(sent))) = self.current.take() else {
            return Step::default();
        };
        if sent != request {
            self.current = Some((key, Phase::Sent(sent)));
            return Step::default();
        }
        let uri = ctx.uri(&key);
        let (text, level) = match result {
            Ok(()) => (format!("deleted {uri}"), Level::Info),
            Err(failure) => {
                let why = ctx
                    .policy
                    .and_then(|p| p.why_refused(&failure, "s3:DeleteObject", ctx.bucket, &key))
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default();
                (format!("{uri} not deleted: {failure}{why}"), Level::Error)
            }
        };
        Step {
            reload: level == Level::Info,
            history: Some((text.clone(), level)),
            notice: Some((text, level, None)),
            ..Step::default()
        }
    }

    /// The key the prompt asks about, while it asks.
    pub(crate) fn asking(&self) -> Option<&str> {
        match &self.current {
            Some((key, Phase::Asking)) => Some(key),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
