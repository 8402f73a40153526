//! The listing's paging, its own transitions: asking for pages on demand, taking them in,
//! dropping stale answers, and doing what [`crate::app::fetch::decide`]s about a failed page
//! (a retry by itself, one credential refresh, or waiting for the user). It reads the rest of
//! the model through a [`Paging`] context and asks the model for the rest with a [`Step`];
//! the `App` methods at the end only build the one and apply the other.

use super::{Failed, Listing, Retry};
use crate::app::ctx::{RequestIds, Step, with};
use crate::app::fetch::{Next, SessionNow, decide};
use crate::app::{App, Effect, Generation, RequestId};
use crate::bucket::ListPage;
use crate::failure::{AwsFailure, ErrorKind};
use chrono::{DateTime, Utc};

/// What the paging reads of the rest of the model.
pub(crate) struct Paging<'a> {
    pub(crate) now: DateTime<Utc>,
    /// The credentials in use (none yet: nothing is asked).
    pub(crate) generation: Option<Generation>,
    pub(crate) session: SessionNow,
    /// The region S3 requests go to now, when known.
    pub(crate) s3_region: Option<String>,
    /// Requests at once when `G` lists every page.
    pub(crate) chains: usize,
    pub(crate) ids: &'a RequestIds,
    /// The session policy attached, if one is: a refusal it explains is said with why.
    pub(crate) policy: Option<&'a crate::policy::SessionPolicy>,
}

/// A [`Paging`] context of `app`'s parts (a macro, so the listing can be borrowed beside it).
macro_rules! paging {
    ($app:expr, $now:expr) => {
        Paging {
            now: $now,
            generation: $app.session.active_generation(),
            session: $app.session.now($now),
            s3_region: $app.s3_region(),
            chains: $app.walk_chains,
            ids: &$app.ids,
            policy: $app.target.session_policy($app.session.mode()),
        }
    };
}

/// Which page to ask for.
#[derive(Clone, Copy)]
pub(crate) enum Which {
    Next,
    /// Every page from the next one to the end.
    Walk,
    FailedAgain,
}

impl Listing {
    /// Asks for a page, if one is due and credentials are in use.
    pub(crate) fn ask(&mut self, which: Which, ctx: &Paging<'_>) -> Vec<Effect> {
        let Some(generation) = ctx.generation else {
            return Vec::new();
        };
        if self.bucket().is_empty() {
            return Vec::new(); // no bucket yet: the picker chooses one
        }
        // A new id whether or not a page is due: ids need only be unique.
        let request = ctx.ids.next();
        let page = match which {
            Which::Next => self.begin_next(request, generation),
            Which::Walk => self.begin_walk(request, generation),
            Which::FailedAgain => self.begin_retry(request, generation),
        };
        let walk = self.in_flight().is_some_and(|f| f.walk);
        let ask = |page| {
            if walk {
                Effect::WalkListing {
                    request,
                    generation,
                    page,
                    chains: ctx.chains,
                }
            } else {
                Effect::ListPage {
                    request,
                    generation,
                    page,
                }
            }
        };
        page.map(ask).into_iter().collect()
    }

    /// Asks for the next page when the cursor is near the end of what is loaded.
    pub(crate) fn ask_if_near_end(&mut self, ctx: &Paging<'_>) -> Vec<Effect> {
        if self.wants_more() {
            self.ask(Which::Next, ctx)
        } else {
            Vec::new()
        }
    }

    /// A page arrived: what to ask for next, or `None` when it was a stale answer.
    pub(crate) fn on_page(
        &mut self,
        request: RequestId,
        page: ListPage,
        ctx: &Paging<'_>,
    ) -> Option<Vec<Effect>> {
        if !self.page_loaded(request, page) {
            return None;
        }
        Some(if self.walk().is_some() {
            self.ask(Which::Walk, ctx) // the rest at once (after a failed page, say)
        } else if self.keep_reselecting() {
            self.ask(Which::Next, ctx) // keep going until the selected key is back
        } else {
            self.ask_if_near_end(ctx)
        })
    }

    /// A page failed: shown in place, and asked again as [`decide`] says. A bucket in another
    /// region is followed there once (a second hint for the same page is shown where it
    /// failed).
    pub(crate) fn on_page_failed(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        ctx: &Paging<'_>,
    ) -> Step {
        let Some((fetch, mut streak)) = self.take_failed(request) else {
            return Step::default();
        };
        if let Some(region) = failure.region.clone()
            && ctx.s3_region.as_deref() != Some(region.as_str())
            && !streak.region_followed
        {
            streak.region_followed = true;
            let failed = Failed {
                failure,
                retry: Retry::ByUser,
                streak,
                hint: None,
            };
            self.fail(failed, fetch.token);
            let mut step = Step::effects(self.ask(Which::FailedAgain, ctx));
            step.follow_region = Some(region);
            return step;
        }
        let code = failure.code_or_kind();
        let hint = ctx
            .policy
            .filter(|_| failure.kind == ErrorKind::AccessDenied)
            .and_then(|p| p.list_refusal_hint(self.bucket(), self.prefix()));
        let (mut failed, next) = decide(failure, streak, fetch.generation, ctx.session, 1, ctx.now);
        failed.hint = hint;
        let recovering = failed.retry == Retry::AfterCredentials;
        self.fail(failed, fetch.token);
        let mut step = match next {
            Next::Wait => Step::default(),
            Next::AskNow => Step::effects(self.ask(Which::FailedAgain, ctx)),
            Next::Issue => Step {
                issue: true,
                ..Step::default()
            },
        };
        step.recovering = recovering.then_some(code);
        step
    }
}

/// The model's side: each builds the context, runs the listing's transition and does what it
/// asks.
impl App {
    /// New credentials are in use: the listing starts over if they were issued for a new
    /// bucket, policy, profile, region or mode, else a page that waited for them asks again.
    pub(crate) fn listing_after_credentials(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if std::mem::take(&mut self.reload_on_issue) {
            self.reload(now)
        } else if self.listing.awaits_credentials() {
            self.ask_page(Which::FailedAgain, now)
        } else {
            Vec::new()
        }
    }

    /// Starts the listing of the current prefix over, keeping the rows on screen (and the
    /// selection) until the first new page replaces them.
    pub(crate) fn reload(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.listing.begin_reload();
        self.ask_page(Which::Next, now)
    }

    /// Asks for a page (`which`), if one is due and credentials are ready.
    pub(crate) fn ask_page(&mut self, which: Which, now: DateTime<Utc>) -> Vec<Effect> {
        self.listing.ask(which, &paging!(self, now))
    }

    /// `G`: to the real end of the listing, loading every page back to back.
    pub(crate) fn walk_to_end(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.listing.start_walk(now);
        if self.listing.walk().is_some() {
            self.ask_page(Which::Walk, now)
        } else {
            Vec::new()
        }
    }

    /// Requests another page when the cursor is near the end of what is loaded.
    pub(crate) fn load_more_if_near_end(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.listing.ask_if_near_end(&paging!(self, now))
    }

    /// A page of the walk to the end arrived (`done`: it was the last).
    pub(crate) fn on_walk_page(
        &mut self,
        request: RequestId,
        page: ListPage,
        done: bool,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if self.listing.walk_page_loaded(request, page, done) {
            self.note_page_arrived(now);
        }
        Vec::new()
    }

    pub(crate) fn on_page(
        &mut self,
        request: RequestId,
        page: ListPage,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let Some(mut effects) = self.listing.on_page(request, page, &paging!(self, now)) else {
            return Vec::new();
        };
        self.note_page_arrived(now);
        effects.extend(with!(
            self.versioning,
            now,
            crate::app::versioning::BucketVersioning::ask_if_new
        ));
        effects
    }

    pub(crate) fn on_page_failed(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let step = self
            .listing
            .on_page_failed(request, failure, &paging!(self, now));
        self.apply(step, now)
    }
}
