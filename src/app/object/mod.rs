//! Acting on the selected object: its detail or a preview over the listing (the listing, its
//! cursor and its pages stay as they are underneath), one download at a time with its
//! progress, and a presigned URL in a popup. The state lives here; what keys and answers do
//! to it is in `view`, `download` and `presign`, each a transition of [`ObjectActions`] that
//! reads the rest of the model through a [`Ctx`] and answers with a [`Step`].

mod download;
mod presign;
#[cfg(test)]
mod tests;
mod view;

use crate::app::ctx::{Ctx, Step};
use crate::app::fetch::{Failed, Fetch, Streak};
use crate::app::{Generation, Msg, RequestId};
use crate::object::preview::Preview;
use crate::object::{ObjectDetail, Validity};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// The object the actions are on: its key, and a given version of it (`None`: the latest).
pub(crate) type Target = (String, Option<String>);

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

/// An object's detail or preview, over the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectView {
    pub(crate) key: String,
    /// A given version of it (the versions view's), or `None`: the latest.
    pub(crate) version: Option<String>,
    pub(crate) kind: ViewKind,
    pub(crate) content: Fetch<Content>,
    /// The first line shown.
    pub(crate) scroll: usize,
    /// Long lines wrap (previews).
    pub(crate) wrap: bool,
    /// The first column shown when long lines do not wrap (`<` and `>`).
    pub(crate) hscroll: usize,
}

impl ObjectView {
    fn new((key, version): Target, kind: ViewKind) -> Self {
        Self {
            key,
            version,
            kind,
            content: Fetch::Waiting,
            scroll: 0,
            wrap: false,
            hscroll: 0,
        }
    }

    /// Lines of content (for scrolling).
    /// The widest line, in characters.
    pub(crate) fn widest(&self) -> usize {
        match self.content.got() {
            Some(Content::Preview(p)) => p.widest(),
            _ => 0,
        }
    }

    pub(crate) fn line_count(&self) -> usize {
        match self.content.got() {
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
        /// Why it stalled and how it resumes, while it waits to.
        stalled: Option<Failed>,
    },
}

/// The one download at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Download {
    pub(crate) request: RequestId,
    pub(crate) key: String,
    /// A given version of it, or `None`: the latest.
    pub(crate) version: Option<String>,
    pub(crate) path: PathBuf,
    pub(crate) phase: Phase,
    /// Its run of failures: refreshes asked for (all of them: a long download may need more
    /// than one), passing failures in a row.
    pub(crate) streak: Streak,
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
    pub(crate) key: String,
    /// A given version of it, or `None`: the latest.
    pub(crate) version: Option<String>,
    pub(crate) validity: Validity,
    /// The URL.
    pub(crate) url: Fetch<String>,
    /// Why the URL will be refused, when the session policy says so.
    pub(crate) warning: Option<String>,
    /// The first row shown when the popup is shorter than its text (the view clamps it).
    pub(crate) scroll: usize,
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

impl ObjectActions {
    /// The object actions' messages: each answered by its transition.
    pub(crate) fn on_msg(&mut self, msg: Msg, ctx: &Ctx<'_>) -> Step {
        match msg {
            Msg::DetailLoaded { request, detail } => self.on_detail(request, detail),
            Msg::PreviewLoaded {
                request,
                bytes,
                size,
            } => self.on_preview(request, &bytes, size),
            Msg::ObjectFailed { request, failure } => return self.on_failed(request, failure, ctx),
            Msg::Presigned { request, url } => return self.on_presigned(request, url).into(),
            Msg::DownloadTargetChecked {
                request,
                exists,
                keep_both,
            } => return self.on_target_checked(request, exists, keep_both, ctx),
            Msg::DownloadProgressed {
                request,
                received,
                size,
            } => self.on_progress(request, received, size),
            Msg::DownloadStalled { request, failure } => {
                return self.on_stalled(request, &failure, ctx);
            }
            Msg::DownloadFinished { request, result } => return self.on_finished(request, result),
            _ => {}
        }
        Step::default()
    }
}
