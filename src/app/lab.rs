//! The policy lab: edit the session policy in `$EDITOR` (`e`), pick a template (`T`), re-issue
//! the credentials with it and show the change as a diff; and the access check (`A`): what S3
//! answers for the selected object or folder beside what the session policy predicts.

use super::ctx::{Ctx, Step, with};
use super::fetch::Fetch;
use super::listing::Entry;
use super::policy::PolicyState;
use super::{App, Effect, Level, RequestId};
use crate::access_check::{Answer, Check, Target};
use crate::credentials::Mode;
use crate::failure::AwsFailure;
use crate::keymap::{Action, Key, KeyPress};
use crate::policy::templates::{self, Template};
use crate::policy::{Policy, PolicyError, SessionPolicy, diff};
use chrono::{DateTime, Utc};

/// What the lab shows over the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LabView {
    /// The access check: its rows, and the request for S3's answers (one per row, each an
    /// answer of its own, so the request as a whole only ever gets them).
    Access { check: Check, answers: Fetch<()> },
    /// The template picker.
    Templates {
        items: Vec<Template>,
        selected: usize,
    },
    /// An edited policy that is not valid: edit it again or discard it.
    Invalid { text: String, error: PolicyError },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Lab {
    pub(crate) view: Option<LabView>,
    /// The editor is open (its answer is awaited).
    editing: bool,
}

/// What a key in the lab asks of the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LabAsk {
    /// Moved, closed, or ignored: nothing more.
    Nothing,
    Quit,
    /// Ask S3 again (`A` in the access check).
    CheckAgain,
    /// Edit the text again (`e` on an invalid edit).
    Edit,
    /// Re-issue with the chosen template's policy, or say why it cannot be used.
    Use(Result<SessionPolicy, String>),
}

impl Lab {
    /// `A`: asks S3 what the session may do to the selected object or folder (the folder shown
    /// when nothing is selected).
    pub(crate) fn check_access(&mut self, ctx: &Ctx<'_>) -> Step {
        if ctx.bucket.is_empty() {
            return Step::say("no bucket open yet: b picks one", Level::Warn);
        }
        let Some(generation) = ctx.session.active else {
            return Step::say(
                "no credentials yet: the access check waits for a session",
                Level::Warn,
            );
        };
        let target = match ctx.selected {
            Some(Entry::Object(o)) => Target::Object(o.key.to_string()),
            Some(Entry::Folder(p)) => Target::Prefix(p.to_string()),
            None => Target::Prefix(ctx.prefix.to_string()),
        };
        let check = Check::new(ctx.bucket, target, ctx.policy);
        let request = ctx.ids.next();
        let probes = check.sent().map(|r| r.probe.clone()).collect();
        let bucket = check.bucket.clone();
        self.view = Some(LabView::Access {
            check,
            answers: Fetch::asked(request, generation),
        });
        Step::effects(vec![Effect::CheckAccess {
            request,
            generation,
            bucket,
            probes,
        }])
    }

    /// S3's answers to the access check arrived (dropped unless they are the ones awaited).
    pub(crate) fn on_access_checked(
        &mut self,
        request: RequestId,
        answers: Vec<Result<(), AwsFailure>>,
    ) {
        if let Some(LabView::Access {
            check,
            answers: asked,
        }) = self.view.as_mut()
            && asked.answer(request, ())
        {
            for (row, answer) in check.sent_mut().zip(answers) {
                row.answer = Some(Answer::of(answer));
            }
        }
    }

    /// Keys while a lab view is open (`None` when none is): Esc or the parent key closes it,
    /// the template picker moves and chooses, the others ask again.
    pub(crate) fn on_key(&mut self, press: KeyPress, action: Option<Action>) -> Option<LabAsk> {
        let view = self.view.as_mut()?;
        if press.key == Key::Esc || action == Some(Action::Parent) {
            self.view = None;
            return Some(LabAsk::Nothing);
        }
        if action == Some(Action::Quit) {
            return Some(LabAsk::Quit);
        }
        Some(match view {
            LabView::Access { .. } if action == Some(Action::AccessCheck) => LabAsk::CheckAgain,
            LabView::Invalid { .. } if action == Some(Action::EditPolicy) => LabAsk::Edit,
            LabView::Templates { items, selected } => {
                let last = items.len().saturating_sub(1);
                match action {
                    Some(Action::Up) => *selected = selected.saturating_sub(1),
                    Some(Action::Down) => *selected = (*selected + 1).min(last),
                    Some(Action::Top) => *selected = 0,
                    Some(Action::Bottom) => *selected = last,
                    _ if press.key == Key::Enter => {
                        if let Some(t) = items.get(*selected) {
                            return Some(LabAsk::Use(t.policy.clone().map_err(|e| e.to_string())));
                        }
                    }
                    _ => {}
                }
                LabAsk::Nothing
            }
            LabView::Access { .. } | LabView::Invalid { .. } => LabAsk::Nothing,
        })
    }
}

impl App {
    /// `T`: the templates for the bucket and the folder shown, then the user's own files.
    pub(crate) fn open_templates(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if !self.may_attach_policy(now) {
            return Vec::new();
        }
        let items = templates::built_in(self.listing.bucket(), self.listing.folder());
        self.lab.view = Some(LabView::Templates { items, selected: 0 });
        match &self.config.policies_dir {
            Some(dir) => vec![Effect::ReadUserPolicies { dir: dir.clone() }],
            None => Vec::new(),
        }
    }

    /// The user's policy files arrived: they join the picker, if it is still open.
    pub(crate) fn on_user_policies(&mut self, files: &[(String, String)]) -> Vec<Effect> {
        if let Some(LabView::Templates { items, .. }) = self.lab.view.as_mut() {
            items.extend(templates::user_files(files));
        }
        Vec::new()
    }

    /// `e`: the session policy in the user's editor (or the text that failed to validate).
    pub(crate) fn edit_policy(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if self.lab.editing || !self.may_attach_policy(now) {
            return Vec::new();
        }
        let text = match self.lab.view.take() {
            Some(LabView::Invalid { text, .. }) => text,
            _ => self.current_policy_text(),
        };
        self.lab.editing = true;
        vec![Effect::EditPolicy { text }]
    }

    /// The editor closed: the new text, or why there is none.
    pub(crate) fn on_policy_edited(
        &mut self,
        result: Result<String, String>,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        self.lab.editing = false;
        let text = match result {
            Ok(text) => text,
            Err(why) => {
                self.notify(
                    format!("the policy was not changed: {why}"),
                    Level::Error,
                    now,
                );
                return Vec::new();
            }
        };
        if text.trim() == self.current_policy_text().trim() {
            self.notify("the policy was not changed", Level::Info, now);
            return Vec::new();
        }
        match SessionPolicy::parse(&text) {
            Ok(policy) => self.apply_policy(policy, now),
            Err(error) => {
                self.lab.view = Some(LabView::Invalid { text, error });
                Vec::new()
            }
        }
    }

    /// Keys while a lab view is open; `None` when none is.
    pub(crate) fn on_lab_key(
        &mut self,
        press: KeyPress,
        action: Option<Action>,
        now: DateTime<Utc>,
    ) -> Option<Vec<Effect>> {
        Some(match self.lab.on_key(press, action)? {
            LabAsk::Nothing => Vec::new(),
            LabAsk::Quit => vec![Effect::Quit],
            LabAsk::CheckAgain => with!(self.lab, now, Lab::check_access),
            LabAsk::Edit => self.edit_policy(now),
            LabAsk::Use(Ok(policy)) => self.apply_policy(policy, now),
            LabAsk::Use(Err(e)) => {
                let text = format!("that template cannot be used: {e}");
                self.notify(text, Level::Error, now);
                Vec::new()
            }
        })
    }

    /// Whether the mode being used can carry a session policy; says why not when it cannot.
    fn may_attach_policy(&mut self, now: DateTime<Utc>) -> bool {
        if self.listing.bucket().is_empty() {
            self.notify("no bucket open yet: b picks one", Level::Warn, now);
            return false;
        }
        if self.session.target_mode() == Mode::SessionToken {
            self.notify(
                "session-token mode carries no session policy; switch to federated (f) or role (a) mode to scope one",
                Level::Warn,
                now,
            );
            return false;
        }
        true
    }

    /// The pretty text of the policy the mode in use attaches (the bucket's default when it
    /// attaches none yet, as a starting point).
    fn current_policy_text(&self) -> String {
        match self.target.session_policy(self.session.target_mode()) {
            Some(p) => p.pretty().to_string(),
            None => Policy::for_bucket(self.listing.bucket(), true)
                .build()
                .map(|p| p.pretty().to_string())
                .unwrap_or_default(),
        }
    }

    /// Re-issues the mode's credentials with `policy`; the policy pane shows what changed until
    /// the next key, and the listing reloads under the new session.
    fn apply_policy(&mut self, policy: SessionPolicy, now: DateTime<Utc>) -> Vec<Effect> {
        if !self.may_attach_policy(now) {
            return Vec::new();
        }
        let mode = self.session.target_mode();
        let before = self
            .target
            .session_policy(mode)
            .map(|p| p.pretty().to_string())
            .unwrap_or_default();
        let changes = diff::diff_lines(&before, policy.pretty());
        self.target.policy = policy;
        self.target.policy_from_file = true;
        let mut pane = PolicyState::for_mode(&self.target, mode);
        pane.diff = Some(changes);
        self.policy.replace(pane);
        self.lab.view = None;
        self.object.view = None;
        self.reload_on_issue = true;
        let text = format!("re-issuing {mode} credentials with the new session policy");
        self.history.record(now, Level::Info, text.clone());
        self.notify(text, Level::Info, now);
        self.issue(mode, now)
    }
}

#[cfg(test)]
mod tests;
