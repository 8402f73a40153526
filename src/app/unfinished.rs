//! The multipart uploads begun under the folder shown and never completed (`M`): S3 keeps, and
//! bills, their parts, and no listing shows them. Listed in an overlay (predicted first:
//! `s3:ListBucketMultipartUploads` on the bucket); `D` there aborts them all after a `y`
//! (predicted: `s3:AbortMultipartUpload` on each key), and each one S3 refused is said.

use super::ctx::{Ctx, Prompt, Step, uri};
use super::{Effect, Level, RequestId};
use crate::failure::AwsFailure;
use crate::keymap::{Action, Key, KeyPress};
use crate::object::detail::thousands;
use crate::object::upload::Unfinished;

/// Where the overlay is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Being listed, for this request (nothing shown yet).
    Listing(RequestId),
    /// Shown.
    Shown,
    /// The prompt asks whether to abort them all.
    Asking,
    /// Being aborted, for this request.
    Aborting(RequestId),
}

/// The unfinished uploads of one folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Leftovers {
    pub(crate) bucket: String,
    pub(crate) prefix: String,
    pub(crate) uploads: Vec<Unfinished>,
    pub(crate) phase: Phase,
    /// The first line shown.
    pub(crate) scroll: usize,
    /// Which credentials the abort was sent with, for the history.
    signed_with: String,
}

impl Leftovers {
    /// `3 unfinished uploads under s3://b/docs/`.
    pub(crate) fn what(&self) -> String {
        format!("{} under {}", self.count(), self.place())
    }

    /// `3 unfinished uploads`.
    pub(crate) fn count(&self) -> String {
        crate::object::detail::counted(self.uploads.len(), "unfinished upload")
    }

    /// `s3://b/docs/`: the folder they are under.
    pub(crate) fn place(&self) -> String {
        uri(&self.bucket, &self.prefix)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct UnfinishedUploads {
    pub(crate) current: Option<Leftovers>,
}

impl UnfinishedUploads {
    /// `M`: lists the unfinished uploads under the folder shown.
    pub(crate) fn list(&mut self, ctx: &Ctx<'_>) -> Step {
        if self.current.is_some() {
            return Step::say("the unfinished uploads are on their way", Level::Info);
        }
        if let Some(why) = ctx
            .policy
            .and_then(|p| p.bucket_refusal_hint("s3:ListBucketMultipartUploads", ctx.bucket))
        {
            return Step::say(
                format!("{why}; nothing was sent (T offers read-write templates)"),
                Level::Warn,
            );
        }
        let Some(generation) = ctx.session.active else {
            return Step::say("no credentials yet; wait for the session", Level::Warn);
        };
        let request = ctx.ids.next();
        self.current = Some(Leftovers {
            bucket: ctx.bucket.to_string(),
            prefix: ctx.prefix.to_string(),
            uploads: Vec::new(),
            phase: Phase::Listing(request),
            scroll: 0,
            signed_with: String::new(),
        });
        Step {
            effects: vec![Effect::ListUnfinished {
                request,
                generation,
                bucket: ctx.bucket.to_string(),
                prefix: ctx.prefix.to_string(),
            }],
            notice: Some((
                format!(
                    "listing the unfinished uploads under {}…",
                    ctx.uri(ctx.prefix)
                ),
                Level::Info,
                None,
            )),
            ..Step::default()
        }
    }

    /// S3 listed them: shown, or none said, or why not.
    pub(crate) fn on_listed(
        &mut self,
        request: RequestId,
        result: Result<Vec<Unfinished>, AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(mut left) = self.current.take_if(|l| l.phase == Phase::Listing(request)) else {
            return Step::default();
        };
        let place = uri(&left.bucket, &left.prefix);
        match result {
            Ok(uploads) if uploads.is_empty() => Step::say(
                format!("no unfinished multipart uploads under {place}"),
                Level::Info,
            ),
            Ok(uploads) => {
                left.uploads = uploads;
                left.phase = Phase::Shown;
                self.current = Some(left);
                Step::default()
            }
            Err(failure) => {
                let why = ctx
                    .policy
                    .and_then(|p| {
                        p.why_refused(&failure, "s3:ListBucketMultipartUploads", &left.bucket, "")
                    })
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default();
                Step::say(
                    format!("the unfinished uploads under {place} were not listed: {failure}{why}"),
                    Level::Error,
                )
            }
        }
    }

    /// A key while the overlay shows: Esc or `M` closes, movement scrolls, `D` asks to abort
    /// them all (when the policy allows each).
    pub(crate) fn on_key(
        &mut self,
        press: KeyPress,
        action: Option<Action>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(left) = self.current.as_mut().filter(|l| l.phase == Phase::Shown) else {
            return Step::default();
        };
        let last = left.uploads.len().saturating_sub(1);
        match action {
            _ if press.key == Key::Esc => self.current = None,
            Some(Action::UnfinishedUploads | Action::Quit) => self.current = None,
            Some(Action::Up) => left.scroll = left.scroll.saturating_sub(1),
            Some(Action::Down) => left.scroll = (left.scroll + 1).min(last),
            Some(Action::Top) => left.scroll = 0,
            Some(Action::Bottom) => left.scroll = last,
            Some(Action::Delete) => {
                if let Some(policy) = ctx.policy {
                    let refusals: Vec<String> = left
                        .uploads
                        .iter()
                        .filter_map(|u| {
                            policy.refusal_hint("s3:AbortMultipartUpload", &left.bucket, &u.key)
                        })
                        .collect();
                    if let Some(why) = refusals.first() {
                        return Step::say(
                            format!(
                                "{why} ({} of {} refused); nothing was sent (T offers read-write templates)",
                                refusals.len(),
                                left.uploads.len()
                            ),
                            Level::Warn,
                        );
                    }
                }
                left.phase = Phase::Asking;
                return Step {
                    prompt: Some(Prompt::ConfirmAbort),
                    ..Step::default()
                };
            }
            _ => {}
        }
        Step::default()
    }

    /// The key typed at "abort them?": `y` aborts them all, any other keeps them.
    pub(crate) fn on_confirm_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let Some(left) = self.current.as_mut().filter(|l| l.phase == Phase::Asking) else {
            return Step::default();
        };
        let yes = press.key == Key::Char('y') && !press.ctrl && !press.alt;
        let Some(generation) = ctx.session.active.filter(|_| yes) else {
            left.phase = Phase::Shown;
            return Step::say(format!("kept {}", left.what()), Level::Info);
        };
        let request = ctx.ids.next();
        left.phase = Phase::Aborting(request);
        left.signed_with = ctx.signed_with();
        Step {
            effects: vec![Effect::AbortUploads {
                request,
                generation,
                bucket: left.bucket.clone(),
                uploads: left
                    .uploads
                    .iter()
                    .map(|u| (u.key.clone(), u.upload_id.clone()))
                    .collect(),
            }],
            notice: Some((format!("aborting {}…", left.what()), Level::Info, None)),
            ..Step::default()
        }
    }

    /// S3 answered: each upload aborted but those refused, each said; the overlay closes.
    pub(crate) fn on_aborted(
        &mut self,
        request: RequestId,
        refused: &[(String, AwsFailure)],
    ) -> Step {
        let Some(left) = self
            .current
            .take_if(|l| l.phase == Phase::Aborting(request))
        else {
            return Step::default();
        };
        let what = left.what();
        let (text, level) = match refused.first() {
            None => (format!("aborted {what}"), Level::Info),
            Some((key, failure)) => (
                format!(
                    "aborted {} of {what}; {} refused: {}: {failure}",
                    thousands((left.uploads.len() - refused.len()) as u64),
                    thousands(refused.len() as u64),
                    uri(&left.bucket, key)
                ),
                Level::Error,
            ),
        };
        let all: Vec<String> = refused
            .iter()
            .map(|(key, failure)| format!("{}: {failure}", uri(&left.bucket, key)))
            .collect();
        let history = if all.len() > 1 {
            format!("{text}; all refused: {}", all.join("; "))
        } else {
            text.clone()
        };
        Step {
            history: Some((format!("{history}{}", left.signed_with), level)),
            notice: Some((text, level, None)),
            ..Step::default()
        }
    }

    /// The overlay's uploads, while it shows.
    pub(crate) fn shown(&self) -> Option<&Leftovers> {
        self.current
            .as_ref()
            .filter(|l| matches!(l.phase, Phase::Shown | Phase::Asking | Phase::Aborting(_)))
    }

    /// What the prompt asks about, while it asks.
    pub(crate) fn asking(&self) -> Option<&Leftovers> {
        self.current.as_ref().filter(|l| l.phase == Phase::Asking)
    }
}

#[cfg(test)]
mod tests;
