//! Where the listing of one prefix is in its life: not started, fetching a page, more to load,
//! complete, or failed (and how it will be retried). Counters that belong to a run of failures
//! live inside the states that have one, so a loaded page forgets them by construction.

use crate::app::{Generation, RequestId};
use crate::bucket::Cursor;
use crate::failure::AwsFailure;
use chrono::{DateTime, Utc};

/// A page request on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fetch {
    pub(crate) id: RequestId,
    pub(crate) generation: Generation,
    /// Where it lists from (`None`: the first page); for a walk to the end, after the last
    /// entry it has handed on, so a failure goes on from there.
    pub(crate) token: Option<Cursor>,
    /// Every page to the end over several chains of requests (`G`), not one page.
    pub(crate) walk: bool,
}

/// A run of failures of the same page, until one succeeds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Streak {
    /// Passing failures in a row (network, throttling, 5xx), for the backoff.
    pub(crate) transient: u32,
    /// The one automatic credential refresh has been used.
    pub(crate) refresh_used: bool,
    /// The one region hint followed (a server naming region after region is not followed
    /// round the world).
    pub(crate) region_followed: bool,
}

/// How a failed page will be tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// By itself at this time (passing trouble).
    At(DateTime<Utc>),
    /// When new credentials arrive (they are being issued).
    AfterCredentials,
    /// When the user asks.
    ByUser,
}

/// A failed page, shown in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageFailure {
    pub(crate) failure: AwsFailure,
    /// Where to resume from.
    pub(crate) token: Option<Cursor>,
    pub(crate) retry: Retry,
    pub(crate) streak: Streak,
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
        fetch: Fetch,
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

    pub(crate) fn fetching(&self) -> Option<&Fetch> {
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
        match self {
            Load::Failed(PageFailure {
                retry: Retry::At(at),
                ..
            }) => Some(*at),
            _ => None,
        }
    }
}
