//! How a feature takes part in the model without owning it: it keeps its own state, reads the
//! rest through a [`Ctx`] (the time, the session, the bucket shown, the session policy, the
//! config; nothing it can change), and answers with a [`Step`]: its effects, and what it asks
//! of the model (new credentials, a line in the status bar, the prompt). `App` only builds the
//! context and applies the step, so a feature's transitions are its own, in one place.

use super::fetch::SessionNow;
use super::listing::{Entry, Listing};
use super::session::SessionState;
use super::{Effect, Level, RequestId};
use crate::credentials::SessionInfo;
use crate::policy::SessionPolicy;
use crate::settings::{Config, Target};
use chrono::{DateTime, Utc};
use std::cell::Cell;

/// The model's request ids: every request gets a new one, so an answer to an old one is told
/// apart.
#[derive(Debug, Default)]
pub(crate) struct RequestIds(Cell<u64>);

impl RequestIds {
    /// A new id.
    pub(crate) fn next(&self) -> RequestId {
        let id = self.0.get() + 1;
        self.0.set(id);
        RequestId(id)
    }
}

/// The action reading an object needs: `s3:GetObjectVersion` for a given version.
pub(crate) fn read_action(version: bool) -> &'static str {
    if version {
        "s3:GetObjectVersion"
    } else {
        "s3:GetObject"
    }
}

/// `s3://BUCKET/KEY`, printable.
pub(crate) fn uri(bucket: &str, key: &str) -> String {
    format!("s3://{bucket}/{}", crate::escape::printable(key))
}

/// What a feature reads of the rest of the model.
pub(crate) struct Ctx<'a> {
    pub(crate) now: DateTime<Utc>,
    pub(crate) session: SessionNow,
    /// The credentials in use, if any.
    pub(crate) info: Option<&'a SessionInfo>,
    /// The server's time now (the credentials' expiry is on its clock).
    pub(crate) server_now: DateTime<Utc>,
    /// The bucket shown.
    pub(crate) bucket: &'a str,
    /// The folder shown.
    pub(crate) prefix: &'a str,
    /// The row the cursor is on, if any.
    pub(crate) selected: Option<Entry<'a>>,
    /// The object the cursor is on, if it is on one.
    pub(crate) selected_object: Option<&'a str>,
    /// The version of it the cursor is on, in the versions view (`None`: the latest).
    pub(crate) selected_version: Option<&'a str>,
    /// The objects marked (`space`, `V`).
    pub(crate) marks: &'a super::listing::marks::Marks,
    /// Lines a view over the listing shows at once.
    pub(crate) page: usize,
    /// The session policy the credentials in use carry.
    pub(crate) policy: Option<&'a SessionPolicy>,
    pub(crate) config: &'a Config,
    pub(crate) ids: &'a RequestIds,
    /// The region S3 requests go to, when known.
    pub(crate) region: Option<String>,
    /// The custom S3/STS endpoint of the mode in use, if any.
    pub(crate) endpoint_url: Option<String>,
    /// What names the session in use for sharing (`Target::share_key`).
    pub(crate) share_key: String,
    /// The objects given an SSE-C key (`K`).
    pub(crate) keys_given: &'a super::customer_key::KeysGiven,
}

impl<'a> Ctx<'a> {
    /// The context of the model's parts (given one by one, so the feature itself can be
    /// borrowed mutably beside it).
    pub(crate) fn of(
        session: &'a SessionState,
        (listing, versions, keys_given): (
            &'a Listing,
            &'a super::versions::Versions,
            &'a super::customer_key::KeysGiven,
        ),
        target: &'a Target,
        config: &'a Config,
        ids: &'a RequestIds,
        now: DateTime<Utc>,
    ) -> Self {
        let selected = listing.selected();
        // In the versions view, the version the cursor is on (none on a folder or a marker).
        let (selected_object, selected_version) = match (versions.shown(), selected) {
            (Some(_), _) => versions
                .selected()
                .map_or((None, None), |(k, v)| (Some(k), Some(v))),
            (None, Some(Entry::Object(o))) => (Some(&*o.key), None),
            (None, _) => (None, None),
        };
        Self {
            now,
            session: session.now(now),
            info: session.info(),
            server_now: session.server_now(now),
            bucket: listing.bucket(),
            prefix: listing.folder(),
            selected,
            selected_object,
            selected_version,
            marks: &listing.marks,
            page: listing.rows().height().max(1),
            policy: target.session_policy(session.mode()),
            config,
            ids,
            region: target
                .s3_region
                .clone()
                .or_else(|| target.base_for(session.mode()).region),
            endpoint_url: target.base_for(session.mode()).endpoint_url,
            share_key: target.share_key(session.mode(), listing.bucket()),
            keys_given,
        }
    }

    /// ` (signed with ASIA…7422)`: which credentials a write is sent with, for the history
    /// (the session pane shows the same masked key).
    pub(crate) fn signed_with(&self) -> String {
        self.info
            .map(|i| format!(" (signed with {})", i.masked_access_key()))
            .unwrap_or_default()
    }

    /// `s3://BUCKET/KEY` for `key` in the bucket shown, printable.
    pub(crate) fn uri(&self, key: &str) -> String {
        uri(self.bucket, key)
    }

    /// Every object under `folder` listed before acting on it (`to`: `delete`, `copy`, ...):
    /// the request, said in the status bar.
    pub(crate) fn list_folder(
        &self,
        (request, generation): (RequestId, super::Generation),
        folder: &str,
        to: &str,
    ) -> Step {
        Step {
            effects: vec![Effect::ListUnder {
                request,
                generation,
                bucket: self.bucket.to_string(),
                prefix: folder.to_string(),
                chains: super::at_once(self.config),
            }],
            notice: Some((
                format!("listing {} to {to} it…", self.uri(folder)),
                Level::Info,
                None,
            )),
            ..Step::default()
        }
    }

    /// A long transfer's answer to one of its requests refused (the one decision,
    /// [`super::fetch::decide`], on its `streak` and the `generation` it signs with, allowing
    /// `refreshes` in a run of failures): go on now (`resume`: signed with older credentials,
    /// or a wait the engine had; it signs with those in use from now), after new credentials
    /// (asked for, and said: `what` goes on then), once those on their way arrive, or give up
    /// (`give_up`). And whether it now waits for credentials.
    pub(crate) fn stalled(
        &self,
        failure: crate::failure::AwsFailure,
        (streak, generation): (&mut super::fetch::Streak, &mut super::Generation),
        (refreshes, what): (u32, &str),
        (resume, give_up): (Effect, Effect),
    ) -> (Step, bool) {
        use super::fetch::{Next, Retry};
        let (failed, next) = super::fetch::decide(
            failure,
            *streak,
            *generation,
            self.session,
            refreshes,
            self.now,
        );
        *streak = failed.streak;
        let (step, waits) = match (next, failed.retry) {
            (Next::AskNow, _) | (Next::Wait, Retry::At(_)) => (Step::effects(vec![resume]), false),
            (Next::Issue, _) => (
                Step {
                    issue: true,
                    notice: Some((
                        format!("{}: new credentials, then {what} goes on", failed.failure),
                        Level::Warn,
                        None,
                    )),
                    ..Step::default()
                },
                true,
            ),
            (Next::Wait, Retry::AfterCredentials) => (Step::default(), true),
            (Next::Wait, Retry::ByUser) => (Step::effects(vec![give_up]), false),
        };
        if !waits {
            *generation = self.session.active.unwrap_or(*generation);
        }
        (step, waits)
    }

    /// [`Ctx::stalled`] for a write (an upload, a copy or move) sent as `request`: it goes on
    /// with `ResumeWrite`, and gives up with `GiveUpWrite`.
    pub(crate) fn write_stalled(
        &self,
        failure: crate::failure::AwsFailure,
        signed: (&mut super::fetch::Streak, &mut super::Generation),
        (refreshes, what): (u32, &str),
        request: RequestId,
    ) -> (Step, bool) {
        let resume_or_not = (
            Effect::ResumeWrite { request },
            Effect::GiveUpWrite { request },
        );
        self.stalled(failure, signed, (refreshes, what), resume_or_not)
    }

    /// Why the session policy refuses reading `key` (`version`: a given version of it), if
    /// it does.
    pub(crate) fn refusal(&self, key: &str, version: bool) -> Option<String> {
        self.policy?
            .refusal_hint(read_action(version), self.bucket, key)
    }

    /// Why S3 refused reading `key` (`version`: a given version of it) with `failure`, and
    /// the way on: an archived object (`z` restores it), one encrypted with a customer key
    /// (SSE-C: `K` gives it), one read with a key that may be wrong, or the session policy's
    /// reason.
    pub(crate) fn why_refused(
        &self,
        failure: &crate::failure::AwsFailure,
        key: &str,
        version: bool,
    ) -> Option<String> {
        if failure.code.as_deref() == Some("InvalidObjectState") {
            return Some(crate::object::archive::archived_note(
                None,
                "z asks S3 for a readable copy",
            ));
        }
        if crate::object::sse_c::key_missing(failure) {
            return Some(crate::object::sse_c::missing_note(
                "K gives its key (typed or @FILE)",
            ));
        }
        let keyed = self
            .keys_given
            .contains(&(self.bucket.to_string(), key.to_string()));
        if crate::object::sse_c::maybe_wrong_key(failure, keyed) {
            return Some(crate::object::sse_c::wrong_key_note("K gives another"));
        }
        self.policy?
            .why_refused(failure, read_action(version), self.bucket, key)
    }
}

/// The line being typed, as a feature asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prompt {
    /// Ask whether to overwrite the download's file, keep both, or cancel.
    Overwrite,
    /// Ask whether to delete the object (or the few marked).
    ConfirmDelete,
    /// Many objects to delete: ask for the bucket's name typed.
    TypeBucketToDelete,
    /// The key being put exists: ask whether to overwrite it.
    ConfirmOverwriteKey,
    /// A copy's destination exists: ask whether to overwrite it.
    ConfirmCopyOverwrite,
    /// Ask whether to abort the unfinished uploads shown.
    ConfirmAbort,
    /// Ask whether to put the folder's files listed.
    ConfirmFolderPut,
    /// Ask whether to copy or move the many objects.
    ConfirmCopyMany,
    /// Ask whether to save the many objects.
    ConfirmSaveMany,
    /// Ask whether to make a version current again, or undelete a key.
    ConfirmRestore,
    /// Ask at which tier to restore an archived object.
    ConfirmUnarchive,
}

/// What a feature's transition answers: its effects, and what it asks of the model.
#[derive(Debug, Default)]
pub(crate) struct Step {
    pub(crate) effects: Vec<Effect>,
    /// New credentials are needed (what waits for them asks again when they come).
    pub(crate) issue: bool,
    /// A line for the status bar, and for how many seconds (the usual time when `None`).
    pub(crate) notice: Option<(String, Level, Option<i64>)>,
    pub(crate) prompt: Option<Prompt>,
    /// A line for the session history (`L`).
    pub(crate) history: Option<(String, Level)>,
    /// A write changed what the listing shows: its rows are taken in without a reload.
    pub(crate) written: Option<Written>,
    /// The bucket is in this region: S3 requests go there from now on (before the effects).
    pub(crate) follow_region: Option<String>,
    /// The marks have served (the objects they named are deleted): forget them.
    pub(crate) forget_marks: bool,
    /// A request failed with this code and new credentials are asked for to retry it: noted
    /// in the history, and said when it recovers.
    pub(crate) recovering: Option<String>,
}

/// What a write changed in a bucket, for the listing to take in.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub(crate) bucket: String,
    /// Keys deleted (and a folder deleted whole: its prefix).
    pub(crate) gone: Vec<String>,
    /// Keys written, each with its entry when it is an object.
    pub(crate) added: Vec<(String, Option<crate::bucket::ObjectEntry>)>,
}

impl Step {
    pub(crate) fn effects(effects: Vec<Effect>) -> Self {
        Self {
            effects,
            ..Self::default()
        }
    }

    /// Nothing to do but say `text`.
    pub(crate) fn say(text: impl Into<String>, level: Level) -> Self {
        Self {
            notice: Some((text.into(), level, None)),
            ..Self::default()
        }
    }
}

impl Step {
    /// What a failed read does `next`: nothing now, `ask` again now, or new credentials.
    pub(crate) fn after_failure(
        next: super::fetch::Next,
        ask: impl FnOnce() -> Vec<Effect>,
    ) -> Self {
        match next {
            super::fetch::Next::Wait => Self::default(),
            super::fetch::Next::AskNow => Self::effects(ask()),
            super::fetch::Next::Issue => Self {
                issue: true,
                ..Self::default()
            },
        }
    }
}

impl From<()> for Step {
    fn from((): ()) -> Self {
        Self::default()
    }
}

impl From<Vec<Effect>> for Step {
    fn from(effects: Vec<Effect>) -> Self {
        Self::effects(effects)
    }
}

/// A [`Ctx`] of `app`'s parts (a macro, so the borrow of each part is its own).
macro_rules! ctx {
    // For the versions view's own transitions: it is borrowed apart, so none is selected.
    ($app:expr, $now:expr, without_versions) => {
        $crate::app::ctx::Ctx::of(
            &$app.session,
            (
                &$app.listing,
                &$crate::app::versions::NONE,
                &$app.keys_given,
            ),
            &$app.target,
            &$app.config,
            &$app.ids,
            $now,
        )
    };
    ($app:expr, $now:expr) => {
        $crate::app::ctx::Ctx::of(
            &$app.session,
            (&$app.listing, &$app.versions, &$app.keys_given),
            &$app.target,
            &$app.config,
            &$app.ids,
            $now,
        )
    };
}
pub(crate) use ctx;

/// Runs a feature's transition with a [`Ctx`] of the model's other parts and applies the
/// [`Step`] it returns: `with!(self.deletes, now, Deletes::ask)`. A macro, so the feature's
/// borrow and the context's are apart.
macro_rules! with {
    ($app:ident . versions, $now:expr, $transition:expr) => {{
        let ctx = $crate::app::ctx::ctx!($app, $now, without_versions);
        let step = $crate::app::ctx::run(&mut $app.versions, &ctx, $transition);
        $app.apply(step, $now)
    }};
    ($app:ident . $feature:ident, $now:expr, $transition:expr) => {{
        let ctx = $crate::app::ctx::ctx!($app, $now);
        let step = $crate::app::ctx::run(&mut $app.$feature, &ctx, $transition);
        $app.apply(step, $now)
    }};
}
pub(crate) use with;

/// [`with!`]'s call of the transition (a function, so a closure's argument types are known).
pub(crate) fn run<F, S: Into<Step>>(
    feature: &mut F,
    ctx: &Ctx<'_>,
    transition: impl FnOnce(&mut F, &Ctx<'_>) -> S,
) -> Step {
    transition(feature, ctx).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_gets_a_new_id() {
        let ids = RequestIds::default();
        assert_eq!(
            [ids.next(), ids.next(), ids.next()],
            [RequestId(1), RequestId(2), RequestId(3)]
        );
    }

    #[test]
    fn a_step_of_effects_or_of_words_asks_nothing_else() {
        let step = Step::from(vec![Effect::Quit]);
        assert_eq!(
            (step.effects.len(), step.issue, step.prompt),
            (1, false, None)
        );
        let step = Step::say("hello", Level::Warn);
        assert!(step.effects.is_empty() && !step.issue);
        assert_eq!(step.notice, Some(("hello".to_string(), Level::Warn, None)));
    }
}
