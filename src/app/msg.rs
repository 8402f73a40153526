//! What goes into the model (messages: past-tense facts) and what comes out (effects: commands
//! for the runtime), with the ids that let stale answers be dropped.

use crate::bucket::{ListPage, PageRequest};
use crate::credentials::{CredentialRequest, SessionInfo};
use crate::failure::AwsFailure;
use crate::keymap::KeyPress;

/// Identifies one page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RequestId(pub u64);

/// Identifies one issued set of credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Generation(pub u64);

/// What the model needs to know of the screen's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Layout {
    /// Rows of entries the object list shows.
    pub(crate) list_rows: u16,
    /// Lines the policy pane shows.
    pub(crate) policy_rows: u16,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Msg {
    KeyPressed(KeyPress),
    /// The screen was laid out anew (by the layout the view draws with).
    LaidOut(Layout),
    /// Time passed (a deadline was reached, or the loop woke up).
    Tick,
    /// The wall clock was set back by this much (a negative span) while time went on.
    ClockSteppedBack {
        by: chrono::TimeDelta,
    },
    CredentialsIssued {
        generation: Generation,
        info: SessionInfo,
    },
    CredentialsFailed {
        generation: Generation,
        failure: AwsFailure,
    },
    PageLoaded {
        request: RequestId,
        page: ListPage,
    },
    PageFailed {
        request: RequestId,
        failure: AwsFailure,
    },
    /// The SDK got a throttling or server error (HTTP `status`) and is about to retry.
    RequestRetrying {
        status: u16,
    },
}

/// What the runtime should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Call STS; answer with `CredentialsIssued` or `CredentialsFailed` for `generation`.
    IssueCredentials {
        generation: Generation,
        request: CredentialRequest,
    },
    /// Sign requests from now on with the credentials issued for `generation`.
    UseCredentials {
        generation: Generation,
    },
    /// Fetch one page with the credentials of `generation` (always preceded by its
    /// `UseCredentials`); answer with `PageLoaded` or `PageFailed` for `request`. A newer
    /// `ListPage` replaces (aborts) an older one.
    ListPage {
        request: RequestId,
        generation: Generation,
        page: PageRequest,
    },
    /// Give the terminal back and stop until continued (Ctrl-Z).
    Suspend,
    Quit,
}
