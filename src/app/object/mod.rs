//! Acting on the selected object: its detail or a preview over the listing (the listing, its
//! cursor and its pages stay as they are underneath), one download at a time with its
//! progress, and a presigned URL in a popup. The state lives here; what keys and answers do
//! to it is in `actions`.

mod actions;
#[cfg(test)]
mod tests;

use crate::app::{Generation, RequestId};
use crate::failure::AwsFailure;
use crate::object::preview::Preview;
use crate::object::{ObjectDetail, Validity};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// What the view over the listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ViewKind {
    Detail,
    Preview,
}

/// What has arrived for the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Content {
    Detail(Box<ObjectDetail>),
    Preview(Preview),
}

/// A failed request for the view, and why, when the session policy is the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ViewFailure {
    pub(crate) failure: AwsFailure,
    pub(crate) hint: Option<String>,
}

/// An object's detail or preview, over the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectView {
    pub(crate) key: String,
    pub(crate) kind: ViewKind,
    /// The request in flight, and the credentials it was signed with.
    pub(crate) in_flight: Option<(RequestId, Generation)>,
    pub(crate) content: Option<Content>,
    pub(crate) failure: Option<ViewFailure>,
    /// This view's one automatic credential refresh has been used.
    pub(crate) refresh_used: bool,
    /// Waiting for new credentials to ask again.
    pub(crate) awaiting_credentials: bool,
    /// The first line shown.
    pub(crate) scroll: usize,
    /// Long lines wrap (previews).
    pub(crate) wrap: bool,
}

impl ObjectView {
    fn new(key: &str, kind: ViewKind) -> Self {
        Self {
            key: key.to_string(),
            kind,
            in_flight: None,
            content: None,
            failure: None,
            refresh_used: false,
            awaiting_credentials: false,
            scroll: 0,
            wrap: false,
        }
    }

    /// Lines of content (for scrolling).
    pub(crate) fn line_count(&self) -> usize {
        match &self.content {
            // The count does not depend on the zone.
            Some(Content::Detail(d)) => d.lines(chrono::Offset::fix(&chrono::Utc)).len(),
            Some(Content::Preview(p)) => p.line_count(),
            None => 0,
        }
    }
}

/// Where a download is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Looking whether the file exists.
    Checking,
    /// The file exists: overwrite, keep both (under `keep_both`), or cancel?
    Asking { keep_both: PathBuf },
    Running {
        received: u64,
        size: u64,
        started: DateTime<Utc>,
        /// Why it stalled, while it waits to resume.
        stalled: Option<String>,
        /// When it tries again by itself, if it does.
        retry_at: Option<DateTime<Utc>>,
    },
}

/// The one download at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Download {
    pub(crate) request: RequestId,
    pub(crate) key: String,
    pub(crate) path: PathBuf,
    pub(crate) phase: Phase,
    /// Credential refreshes this download has asked for.
    pub(crate) refreshes: u32,
    /// Failures in a row that were retried by themselves.
    pub(crate) transient: u32,
    /// The generation its requests are signed with now.
    pub(crate) generation: Generation,
}

/// How the last download ended, shown in the object pane until the next one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Saved {
        path: PathBuf,
        bytes: u64,
    },
    Failed {
        key: String,
        message: String,
        /// New credentials may let it through (an expired session's refusal).
        refresh_may_help: bool,
    },
    Cancelled {
        key: String,
    },
}

/// A presigned URL being signed, or shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Presigned {
    pub(crate) request: RequestId,
    pub(crate) key: String,
    pub(crate) validity: Validity,
    /// The URL, once signed.
    pub(crate) url: Option<String>,
    /// Why the URL will be refused, when the session policy says so.
    pub(crate) warning: Option<String>,
    pub(crate) failure: Option<AwsFailure>,
}

/// Everything the object actions keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ObjectActions {
    pub(crate) view: Option<ObjectView>,
    pub(crate) download: Option<Download>,
    pub(crate) outcome: Option<Outcome>,
    pub(crate) presigned: Option<Presigned>,
}

impl ObjectActions {
    /// The download, if it is running (not checking or asking).
    pub(crate) fn running(&self) -> Option<&Download> {
        self.download
            .as_ref()
            .filter(|d| matches!(d.phase, Phase::Running { .. }))
    }
}
