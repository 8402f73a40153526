//! `z` on an archived object (GLACIER, DEEP_ARCHIVE, or Intelligent-Tiering, whose archive
//! tiers only S3 knows): asks S3 for a readable copy (RestoreObject) for `restore_days` (the
//! config's, 7 by default), at the tier chosen by a key in the prompt, each tier with its
//! usual wait said; predicted by the session policy first (`s3:RestoreObject`). The detail
//! (Enter) shows where the restore stands.

use super::ctx::{Ctx, Prompt, Step, uri};
use super::listing::Entry;
use super::{Effect, Level, RequestId};
use crate::aws::RestoreAsked;
use crate::bucket::StorageClass;
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress};
use crate::object::archive::{self, Tier};

/// The object asked about, or being restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asked {
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) class: StorageClass,
    /// Days the restored copy lasts (the config's `restore_days`).
    pub(crate) days: u32,
    /// The request on its way, once a tier is chosen.
    sending: Option<(RequestId, Tier)>,
    signed_with: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Unarchive {
    pub(crate) current: Option<Asked>,
}

/// The key that picks each tier in the prompt.
pub(crate) fn tier_key(tier: Tier) -> char {
    match tier {
        Tier::Expedited => 'e',
        Tier::Standard => 's',
        Tier::Bulk => 'b',
    }
}

impl Unarchive {
    /// `z` on an object in the listing: asks which tier, when it is archived and the session
    /// policy allows a restore.
    pub(crate) fn ask(&mut self, ctx: &Ctx<'_>) -> Step {
        let Some(Entry::Object(object)) = ctx.selected else {
            return Step::say(
                "z restores an archived object here, and versions in the versions view (v)",
                Level::Info,
            );
        };
        let class = object.storage_class.clone();
        let maybe = archive::is_archived(&class) || class == StorageClass::IntelligentTiering;
        if !maybe {
            let name = class
                .name()
                .map_or_else(|| "STANDARD".into(), std::borrow::Cow::into_owned);
            return Step::say(
                format!(
                    "{} is in {name}, not archived: nothing to restore",
                    ctx.uri(&object.key)
                ),
                Level::Info,
            );
        }
        if self.current.is_some() {
            return Step::say("a restore is on its way", Level::Info);
        }
        if let Some(why) = ctx
            .policy
            .and_then(|p| p.refusal_hint("s3:RestoreObject", ctx.bucket, &object.key))
        {
            return Step::say(
                format!("{why}; nothing was sent (T offers read-write templates)"),
                Level::Warn,
            );
        }
        self.current = Some(Asked {
            bucket: ctx.bucket.to_string(),
            key: object.key.to_string(),
            class,
            days: ctx.config.objects.restore_days,
            sending: None,
            signed_with: String::new(),
        });
        Step {
            prompt: Some(Prompt::ConfirmUnarchive),
            ..Step::default()
        }
    }

    /// What the prompt asks about, while it asks.
    pub(crate) fn asking(&self) -> Option<&Asked> {
        self.current.as_ref().filter(|a| a.sending.is_none())
    }

    /// The tiers the prompt offers for the object asked about, each with its key and wait.
    pub(crate) fn offered(asked: &Asked) -> Vec<(char, Tier, &'static str)> {
        Tier::ALL
            .into_iter()
            .filter_map(|t| Some((tier_key(t), t, t.typical_wait(&asked.class)?)))
            .collect()
    }

    /// A key at the prompt: a tier's sends the restore, any other keeps it as it is.
    pub(crate) fn on_tier_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let Some(asked) = self.current.as_mut().filter(|a| a.sending.is_none()) else {
            return Step::default();
        };
        let chosen = match press.key {
            Key::Char(c) if !press.ctrl && !press.alt => Self::offered(asked)
                .into_iter()
                .find(|(k, ..)| *k == c)
                .map(|(_, tier, wait)| (tier, wait)),
            _ => None,
        };
        let (Some((tier, wait)), Some(generation)) = (chosen, ctx.session.active) else {
            self.current = None;
            return Step::say("nothing was asked of S3", Level::Info);
        };
        let request = ctx.ids.next();
        asked.sending = Some((request, tier));
        asked.signed_with = ctx.signed_with();
        Step {
            effects: vec![Effect::RestoreObject {
                request,
                generation,
                bucket: asked.bucket.clone(),
                key: asked.key.clone(),
                days: asked.days,
                tier,
            }],
            notice: Some((
                format!(
                    "asking S3 to restore {} ({}, usually {wait})…",
                    uri(&asked.bucket, &asked.key),
                    tier.name()
                ),
                Level::Info,
                None,
            )),
            ..Step::default()
        }
    }

    /// S3 answered: said, and in the history.
    pub(crate) fn on_answer(
        &mut self,
        request: RequestId,
        result: Result<RestoreAsked, AwsFailure>,
    ) -> Step {
        let Some(asked) = self
            .current
            .take_if(|a| a.sending.is_some_and(|(r, _)| r == request))
        else {
            return Step::default();
        };
        let Some((_, tier)) = asked.sending else {
            return Step::default();
        };
        let place = uri(&asked.bucket, &asked.key);
        let (text, level) = match result {
            Ok(RestoreAsked::Started) => (
                format!(
                    "restore asked: {place}, {}: usually {}, then readable for {} days",
                    tier.name(),
                    tier.typical_wait(&asked.class).unwrap_or("hours"),
                    asked.days
                ),
                Level::Info,
            ),
            Ok(RestoreAsked::InProgress) => (
                format!("a restore of {place} was asked for already: it is in progress"),
                Level::Info,
            ),
            Err(failure) => (
                format!("the restore of {place} was not asked: {failure}"),
                Level::Error,
            ),
        };
        Step {
            history: Some((format!("{text}{}", asked.signed_with), level)),
            notice: Some((text, level, Some(10))),
            ..Step::default()
        }
    }
}

#[cfg(test)]
mod tests;
