//! The policy pane's state: the session policy attached to the active session, highlighted once
//! (not every frame), its size against the STS limit, and the scroll position.

use crate::credentials::Mode;
use crate::highlight::TokenLine;
use crate::policy::diff::Change;
use crate::policy::{SESSION_POLICY_MAX_CHARS, SessionPolicy};
use crate::settings::Target;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PolicyState {
    /// A sentence above the JSON (role ARN, or why there is no policy).
    pub(crate) note: Option<String>,
    pub(crate) lines: Vec<TokenLine>,
    /// Characters used, when a policy is attached.
    pub(crate) size: Option<usize>,
    pub(crate) limit: usize,
    /// STS's packed-policy utilization, when reported.
    pub(crate) packed_percent: Option<i32>,
    pub(crate) scroll: u16,
    /// What the last re-issue changed, shown instead of the policy until the next key.
    pub(crate) diff: Option<Vec<(Change, String)>>,
    /// Lines the pane shows (from the layout; 0 until known).
    height: usize,
}

impl PolicyState {
    /// What `mode` attaches, given the target.
    pub(crate) fn for_mode(target: &Target, mode: Mode) -> Self {
        let policy = target.session_policy(mode);
        let note = match mode {
            Mode::Federated => None,
            Mode::AssumedRole => {
                let role = target.role_arn.as_deref().unwrap_or("(no role ARN set)");
                Some(if policy.is_some() {
                    format!("role {role}, scoped down by:")
                } else {
                    format!("role {role}; no session policy: the role's own permissions apply")
                })
            }
            Mode::SessionToken => Some(
                "no session policy: a session token carries the caller's own permissions"
                    .to_string(),
            ),
        };
        Self::build(note, policy)
    }

    fn build(note: Option<String>, policy: Option<&SessionPolicy>) -> Self {
        Self {
            note,
            lines: policy.map(SessionPolicy::highlighted).unwrap_or_default(),
            size: policy.map(SessionPolicy::size),
            limit: SESSION_POLICY_MAX_CHARS,
            packed_percent: None,
            scroll: 0,
            diff: None,
            height: 0,
        }
    }

    /// The pane now shows `height` lines.
    pub(crate) fn set_height(&mut self, height: usize) {
        self.height = height;
        self.scroll_by(0);
    }

    /// Keeps the height when the policy shown changes.
    pub(crate) fn replace(&mut self, next: PolicyState) {
        let height = self.height;
        *self = next;
        self.set_height(height);
    }

    /// Scrolls the JSON, never past its last full page (the note above it stays).
    pub(crate) fn scroll_by(&mut self, delta: i32) {
        let json_height = self
            .height
            .saturating_sub(usize::from(self.note.is_some()))
            .max(1);
        let last_page = self.lines.len().saturating_sub(json_height);
        let max = u16::try_from(last_page).unwrap_or(u16::MAX);
        let next = i32::from(self.scroll)
            .saturating_add(delta)
            .clamp(0, i32::from(max));
        self.scroll = u16::try_from(next).unwrap_or(0);
    }
}
