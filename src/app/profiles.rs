//! The profile picker (`P`): the profiles of the AWS CLI's config and credentials files (name,
//! kind, region, role), filtered as you type. Choosing one re-resolves the base credentials and
//! re-issues the current mode (role mode for a role profile); the old profile's late answers
//! are dropped by their generation, as for a mode switch.

use super::picker::{Picker, Typed};
use super::policy::PolicyState;
use super::{App, Effect, Level};
use crate::credentials::Mode;
use crate::settings::profiles::{ProfileSummary, summaries};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProfilePicker {
    pub(crate) typed: Typed,
    pub(crate) profiles: Vec<ProfileSummary>,
}

impl ProfilePicker {
    /// The profiles whose name, kind, region or role match the filter.
    pub(crate) fn choices(&self) -> Vec<&ProfileSummary> {
        self.profiles
            .iter()
            .filter(|p| {
                self.typed.matches(&p.name)
                    || self.typed.matches(p.kind)
                    || p.region.as_deref().is_some_and(|r| self.typed.matches(r))
                    || p.role_arn.as_deref().is_some_and(|r| self.typed.matches(r))
            })
            .collect()
    }
}

impl Picker for ProfilePicker {
    fn typed(&mut self) -> &mut Typed {
        &mut self.typed
    }

    fn names(&self, _recent: &[String]) -> Vec<String> {
        self.choices().into_iter().map(|p| p.name.clone()).collect()
    }

    /// Only a listed profile can be used: a typed name that matches none does nothing.
    fn typed_name(&self, _typed: &str) -> Option<Result<String, String>> {
        None
    }
}

impl App {
    /// `P`: the picker over the profiles of the AWS files.
    pub(crate) fn open_profile_picker(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let profiles = summaries(&self.config.profile_files);
        if profiles.is_empty() {
            self.notify(
                format!(
                    "no profiles in {} or {}",
                    self.config.profile_files.config_path,
                    self.config.profile_files.credentials_path
                ),
                Level::Warn,
                now,
            );
            return Vec::new();
        }
        self.profiles = Some(ProfilePicker {
            typed: Typed::default(),
            profiles,
        });
        Vec::new()
    }

    /// Re-resolves the base credentials from profile `name` and re-issues.
    pub(crate) fn use_profile(&mut self, name: &str, now: DateTime<Utc>) -> Vec<Effect> {
        let is_role = match self.target.use_profile(&self.config.profile_files, name) {
            Ok(is_role) => is_role,
            Err(e) => {
                self.notify(format!("cannot use profile {name}: {e}"), Level::Error, now);
                return Vec::new();
            }
        };
        self.profiles = None;
        let mode = if is_role {
            Mode::AssumedRole
        } else {
            self.session.target_mode()
        };
        self.history.record(
            now,
            Level::Info,
            format!("switched to profile {name} ({mode} mode)"),
        );
        self.reissue_from_new_bases(mode, now)
    }

    /// After the base options changed (a profile, a region): new clients, `mode`'s credentials
    /// issued anew, the policy pane for `mode`, and the listing reloaded when they arrive.
    pub(crate) fn reissue_from_new_bases(&mut self, mode: Mode, now: DateTime<Utc>) -> Vec<Effect> {
        self.policy
            .replace(PolicyState::for_mode(&self.target, mode));
        let bases = Mode::ALL
            .into_iter()
            .map(|m| (m, self.target.base_for(m)))
            .collect();
        let mut effects = vec![Effect::SetBases { bases }];
        self.reload_on_issue = true;
        effects.extend(self.issue(mode, now));
        effects
    }
}

#[cfg(test)]
mod tests;
