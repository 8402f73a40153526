//! Where the listing of one prefix is in its life: not started, fetching a page, more to load,
//! complete, or failed (and how it will be retried). Counters that belong to a run of failures
//! live inside the states that have one, so a loaded page forgets them by construction.

use crate::app::fetch::{Failed, Streak};
use crate::app::{Generation, RequestId};
use crate::bucket::Cursor;
use chrono::{DateTime, Utc};

/// A page request on its way (a page is more than one [`crate::app::fetch::Fetch`]: it has a
/// place in the listing and may be a walk of many).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageFetch {
    pub(crate) id: RequestId,
    pub(crate) generation: Generation,
    /// Where it lists from (`None`: the first page); for a walk to the end, after the last
    /// entry it has handed on, so a failure goes on from there.
    pub(crate) token: Option<Cursor>,
    /// Every page to the end over several chains of requests (`G`), not one page.
    pub(crate) walk: bool,
}

/// A failed page, shown in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageFailure {
    pub(crate) failed: Failed,
    /// Where to resume from.
    pub(crate) token: Option<Cursor>,
}

/// Which page comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NextPage {
    First,
    /// The page from this cursor.
    From(Cursor),
}

impl NextPage {
    pub(crate) fn token(self) -> Option<Cursor> {
        match self {
            NextPage::First => None,
            NextPage::From(token) => Some(token),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Load {
    /// Nothing asked yet (credentials are not there yet, or the listing just started over).
    #[default]
    Unstarted,
    /// A page is on its way.
    Fetching {
        fetch: PageFetch,
        streak: Streak,
    },
    /// Pages loaded; more from this cursor.
    More {
        from: Cursor,
    },
    /// Every page loaded.
    Complete,
    Failed(PageFailure),
}

impl Load {
    /// The next page to ask for, if one is due: nothing in flight, no error, more to load.
    pub(crate) fn next_page(&self) -> Option<NextPage> {
        match self {
            Load::Unstarted => Some(NextPage::First),
            Load::More { from } => Some(NextPage::From(from.clone())),
            Load::Fetching { .. } | Load::Complete | Load::Failed(_) => None,
        }
    }

    pub(crate) fn fetching(&self) -> Option<&PageFetch> {
        match self {
            Load::Fetching { fetch, .. } => Some(fetch),
            _ => None,
        }
    }

    pub(crate) fn failure(&self) -> Option<&PageFailure> {
        match self {
            Load::Failed(failure) => Some(failure),
            _ => None,
        }
    }

    pub(crate) fn is_complete(&self) -> bool {
        matches!(self, Load::Complete)
    }

    /// When the failed page is retried by itself.
    pub(crate) fn retry_at(&self) -> Option<DateTime<Utc>> {
        self.failure()?.failed.retry_at()
    }
}
