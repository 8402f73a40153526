//! Where the listing of one prefix is in its life: not started, fetching a page, more to load,
//! complete, or failed (and how it will be retried). Counters that belong to a run of failures
//! live inside the states that have one, so a loaded page forgets them by construction.

use crate::app::{Generation, RequestId};
use crate::failure::AwsFailure;
use chrono::{DateTime, Utc};

/// A page request on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetch {
    pub id: RequestId,
    pub generation: Generation,
    /// The continuation token it was asked from (`None`: the first page).
    pub token: Option<String>,
}

/// A run of failures of the same page, until one succeeds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Streak {
    /// Passing failures in a row (network, throttling, 5xx), for the backoff.
    pub transient: u32,
    /// The one automatic credential refresh has been used.
    pub refresh_used: bool,
}

/// How a failed page will be tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// By itself at this time (passing trouble).
    At(DateTime<Utc>),
    /// When new credentials arrive (they are being issued).
    AfterCredentials,
    /// When the user asks.
    ByUser,
}

/// A failed page, shown in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFailure {
    pub failure: AwsFailure,
    /// The continuation token to resume from.
    pub token: Option<String>,
    pub retry: Retry,
    pub streak: Streak,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Load {
    /// Nothing asked yet (credentials are not there yet, or the listing just started over).
    #[default]
    Unstarted,
    /// A page is on its way.
    Fetching {
        fetch: Fetch,
        streak: Streak,
    },
    /// Pages loaded; more from this token.
    More {
        token: String,
    },
    /// Every page loaded.
    Complete,
    Failed(PageFailure),
}

impl Load {
    /// The token of the next page to ask for, if one is due: nothing in flight, no error,
    /// more to load. `Some(None)` is the first page.
    pub fn next_token(&self) -> Option<Option<String>> {
        match self {
            Load::Unstarted => Some(None),
            Load::More { token } => Some(Some(token.clone())),
            Load::Fetching { .. } | Load::Complete | Load::Failed(_) => None,
        }
    }

    pub fn fetching(&self) -> Option<&Fetch> {
        match self {
            Load::Fetching { fetch, .. } => Some(fetch),
            _ => None,
        }
    }

    pub fn failure(&self) -> Option<&PageFailure> {
        match self {
            Load::Failed(failure) => Some(failure),
            _ => None,
        }
    }

    pub fn is_complete(&self) -> bool {
        matches!(self, Load::Complete)
    }

    /// When the failed page is retried by itself.
    pub fn retry_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Load::Failed(PageFailure {
                retry: Retry::At(at),
                ..
            }) => Some(*at),
            _ => None,
        }
    }
}
