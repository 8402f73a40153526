//! The bucket picker (`b`, and the start screen when no bucket is given): the buckets the
//! session may list, filtered as you type, then the recently opened ones; `Enter` opens the
//! chosen one, or the typed name. When the session may not list buckets it says so and the
//! typed name and the recent ones still work. In federated mode the session policy follows the
//! bucket: the picker's session may only list buckets, the chosen bucket's is scoped to it.

use super::fetch::{Failed, Fetch};
use super::picker::{Picker, Typed};
use super::policy::PolicyState;
use super::{App, Effect, Level, RequestId};
use crate::bucket::valid_bucket_name;
use crate::failure::AwsFailure;
use crate::settings::recent;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BucketPicker {
    pub(crate) typed: Typed,
    /// What ListBuckets said: the names, or why not.
    pub(crate) listed: Fetch<Vec<String>>,
}

/// One line of the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Choice {
    pub(crate) name: String,
    /// Opened lately (and, when listed, not in the list).
    pub(crate) recent: bool,
}

impl BucketPicker {
    /// The listed names matching the filter (case-insensitively), then the recent ones that
    /// match and were not listed.
    pub(crate) fn choices(&self, recent: &[String]) -> Vec<Choice> {
        let matches = |name: &str| self.typed.matches(name);
        let listed: &[String] = self.listed.got().map_or(&[], |names| names);
        let mut out: Vec<Choice> = listed
            .iter()
            .filter(|n| matches(n))
            .map(|n| Choice {
                name: n.clone(),
                recent: false,
            })
            .collect();
        out.extend(
            recent
                .iter()
                .filter(|n| matches(n) && !listed.contains(n))
                .map(|n| Choice {
                    name: n.clone(),
                    recent: true,
                }),
        );
        out
    }
}

/// The names that are bucket names, checked as typed ones are (a server's newline or escape
/// never reaches the recent-buckets file or the screen), and what was left out, in words.
fn valid_names(mut names: Vec<String>) -> (Vec<String>, Option<String>) {
    let listed = names.len();
    names.retain(|n| valid_bucket_name(n));
    let text = match listed - names.len() {
        0 => None,
        1 => Some(
            "ListBuckets answered 1 name that is not a valid bucket name; left out".to_string(),
        ),
        n => Some(format!(
            "ListBuckets answered {n} names that are not valid bucket names; left out"
        )),
    };
    (names, text)
}

impl Picker for BucketPicker {
    fn typed(&mut self) -> &mut Typed {
        &mut self.typed
    }

    fn names(&self, recent: &[String]) -> Vec<String> {
        self.choices(recent).into_iter().map(|c| c.name).collect()
    }

    fn typed_name(&self, typed: &str) -> Option<Result<String, String>> {
        Some(if valid_bucket_name(typed) {
            Ok(typed.to_string())
        } else {
            Err(format!(
                "{typed:?} is not a bucket name; type 3-63 lowercase letters, digits, '.' or '-'"
            ))
        })
    }
}

impl App {
    /// `b`: the picker, asking S3 for the buckets when there are credentials.
    pub(crate) fn open_bucket_picker(&mut self) -> Vec<Effect> {
        self.buckets = Some(BucketPicker {
            typed: Typed::default(),
            listed: Fetch::Waiting,
        });
        self.list_buckets_if_waiting()
    }

    /// Asks for the buckets if the picker waits for credentials and they are there.
    pub(crate) fn list_buckets_if_waiting(&mut self) -> Vec<Effect> {
        let Some(generation) = self.session.active_generation() else {
            return Vec::new();
        };
        if !matches!(
            self.buckets.as_ref().map(|p| &p.listed),
            Some(Fetch::Waiting)
        ) {
            return Vec::new();
        }
        let request = self.next_id();
        if let Some(p) = self.buckets.as_mut() {
            p.listed = Fetch::asked(request, generation);
        }
        vec![Effect::ListBuckets {
            request,
            generation,
        }]
    }

    pub(crate) fn on_buckets_listed(
        &mut self,
        request: RequestId,
        result: Result<Vec<String>, AwsFailure>,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if let Some(p) = self.buckets.as_mut()
            && p.listed.is_asking(request)
        {
            p.listed = match result {
                Ok(names) => {
                    let (names, left_out) = valid_names(names);
                    if let Some(text) = left_out {
                        self.history.record(now, Level::Warn, text);
                    }
                    Fetch::Got(names)
                }
                Err(failure) => Fetch::Failed(Failed::shown(failure)),
            };
            p.typed.selected = 0;
        }
        Vec::new()
    }

    /// Browses `bucket` from its root: remembered as recent; in federated mode (with the default
    /// policy) the session is re-issued scoped to it, else the listing starts at once.
    pub(crate) fn open_bucket(&mut self, bucket: &str, now: DateTime<Utc>) -> Vec<Effect> {
        self.open_bucket_at(bucket, "", now)
    }

    /// Opens `bucket` at `prefix` (`:` with another bucket's `s3://` URI), as the picker does.
    pub(crate) fn open_bucket_at(
        &mut self,
        bucket: &str,
        prefix: &str,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        self.buckets = None;
        self.object.view = None;
        self.lab.view = None;
        self.object.forget_failed_save();
        self.listing.open_bucket(bucket, prefix);
        self.recent_buckets = recent::with_first(&self.recent_buckets, bucket);
        self.history
            .record(now, Level::Info, format!("opened bucket {bucket}"));
        let mut effects = vec![Effect::RememberBuckets {
            names: self.recent_buckets.clone(),
        }];
        let mode = self.session.target_mode();
        let follows = !self.target.policy_from_file;
        if follows
            && let Ok(policy) =
                crate::settings::default_policy(bucket, self.config.objects.allow_get_object)
        {
            self.target.policy = policy;
        }
        self.policy
            .replace(PolicyState::for_mode(&self.target, mode));
        if follows && self.target.session_policy(mode).is_some() {
            // The picker's session may only list buckets: a session scoped to this one.
            self.reload_on_issue = true;
            effects.extend(self.issue(mode, now));
        } else {
            effects.extend(self.reload(now));
        }
        effects
    }
}

#[cfg(test)]
mod tests;
