//! The listing as the app drives it: asking for pages on demand, taking them in, dropping stale
//! answers, and doing what [`crate::app::fetch::decide`]s about a failed page (a retry by
//! itself, one credential refresh, or waiting for the user).

use super::{Failed, Retry};
use crate::app::fetch::decide;
use crate::app::{App, Effect, RequestId};
use crate::bucket::ListPage;
use crate::failure::AwsFailure;
use chrono::{DateTime, Utc};

/// Which page to ask for.
#[derive(Clone, Copy)]
enum Which {
    Next,
    /// Every page from the next one to the end.
    Walk,
    FailedAgain,
}

impl App {
    /// New credentials are in use: the listing starts over if they were issued for a new
    /// bucket, policy, profile, region or mode, else a page that waited for them asks again.
    pub(crate) fn listing_after_credentials(&mut self) -> Vec<Effect> {
        if std::mem::take(&mut self.reload_on_issue) {
            self.reload()
        } else if self.listing.awaits_credentials() {
            self.retry_failed_page()
        } else {
            Vec::new()
        }
    }

    /// Starts the listing of the current prefix over, keeping the rows on screen (and the
    /// selection) until the first new page replaces them.
    pub(crate) fn reload(&mut self) -> Vec<Effect> {
        self.listing.begin_reload();
        self.request_page()
    }

    /// Requests the next page of the current prefix, if one is due and credentials are ready.
    pub(crate) fn request_page(&mut self) -> Vec<Effect> {
        self.fetch(Which::Next)
    }

    /// `G`: to the real end of the listing, loading every page back to back.
    pub(crate) fn walk_to_end(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.listing.start_walk(now);
        if self.listing.walk().is_some() {
            self.fetch(Which::Walk)
        } else {
            Vec::new()
        }
    }

    /// Requests another page when the cursor is near the end of what is loaded.
    pub(crate) fn load_more_if_near_end(&mut self) -> Vec<Effect> {
        if self.listing.wants_more() {
            self.request_page()
        } else {
            Vec::new()
        }
    }

    /// Asks for the failed page again (with the credentials in use now).
    pub(crate) fn retry_failed_page(&mut self) -> Vec<Effect> {
        self.fetch(Which::FailedAgain)
    }

    fn fetch(&mut self, which: Which) -> Vec<Effect> {
        let Some(generation) = self.session.active_generation() else {
            return Vec::new();
        };
        if self.listing.bucket().is_empty() {
            return Vec::new(); // no bucket yet: the picker chooses one
        }
        // A new id whether or not a page is due: ids need only be unique.
        let request = self.ids.next();
        let page = match which {
            Which::Next => self.listing.begin_next(request, generation),
            Which::Walk => self.listing.begin_walk(request, generation),
            Which::FailedAgain => self.listing.begin_retry(request, generation),
        };
        let Some(page) = page else {
            return Vec::new();
        };
        if self.listing.in_flight().is_some_and(|f| f.walk) {
            return vec![Effect::WalkListing {
                request,
                generation,
                page,
                chains: self.walk_chains,
            }];
        }
        vec![Effect::ListPage {
            request,
            generation,
            page,
        }]
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
        if !self.listing.page_loaded(request, page) {
            return Vec::new();
        }
        self.note_page_arrived(now);
        if self.listing.walk().is_some() {
            return self.fetch(Which::Walk); // the rest at once (after a failed page, say)
        }
        if self.listing.keep_reselecting() {
            return self.request_page(); // keep going until the selected key is back
        }
        self.load_more_if_near_end()
    }

    pub(crate) fn on_page_failed(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let Some((fetch, mut streak)) = self.listing.take_failed(request) else {
            return Vec::new();
        };
        // The bucket is in another region: S3 from there, and the page again, once; a second
        // hint for the same page is shown where it failed.
        if let Some(region) = failure.region.clone()
            && self.s3_region().as_deref() != Some(region.as_str())
            && !streak.region_followed
        {
            streak.region_followed = true;
            let failed = Failed {
                failure,
                retry: Retry::ByUser,
                streak,
                hint: None,
            };
            self.listing.fail(failed, fetch.token);
            let mut effects = self.switch_s3_region(&region, now);
            effects.extend(self.retry_failed_page());
            return effects;
        }
        let session = self.session.now(now);
        let code = failure.code_or_kind();
        let (failed, next) = decide(failure, streak, fetch.generation, session, 1, now);
        if failed.retry == Retry::AfterCredentials {
            self.note_recovery_started(code, now);
        }
        self.listing.fail(failed, fetch.token);
        self.after_failure(next, Self::retry_failed_page, now)
    }
}
