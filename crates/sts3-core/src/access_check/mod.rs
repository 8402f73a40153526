//! The access check: what to ask S3 about one object or folder, what the session policy
//! predicts for each question, and whether S3's answers agree. Pure: the asking is done by the
//! caller (the TUI's runtime, or `sts3 policy check`). Writes (`PutObject`, `DeleteObject`) are
//! predicted and never sent: a check must not change the bucket, and S3 has no write that is
//! authorised but does nothing.

use crate::escape::printable;
use crate::failure::{AwsFailure, ErrorKind};
use crate::policy::SessionPolicy;
use crate::policy::access::{Decision, Request};
use serde_json::{Value, json};
use std::fmt::Write as _;

/// What is checked: one object, or a folder (a prefix; `""` is the bucket's root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Object(String),
    Prefix(String),
}

/// One question put to S3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// `HeadObject`: may the session `s3:GetObject` the key?
    HeadObject { key: String },
    /// A one-key `ListObjectsV2` under the prefix: may it `s3:ListBucket` there?
    ListPrefix { prefix: String },
    /// `GetObjectTagging`: may it `s3:GetObjectTagging` the key?
    GetObjectTagging { key: String },
    /// `PutObject`, predicted only: may it write the key?
    PutObject { key: String },
    /// `DeleteObject`, predicted only: may it delete the key?
    DeleteObject { key: String },
}

impl Probe {
    /// The S3 call.
    pub fn call(&self) -> &'static str {
        match self {
            Probe::HeadObject { .. } => "HeadObject",
            Probe::ListPrefix { .. } => "ListObjectsV2",
            Probe::GetObjectTagging { .. } => "GetObjectTagging",
            Probe::PutObject { .. } => "PutObject",
            Probe::DeleteObject { .. } => "DeleteObject",
        }
    }

    /// Whether the call is sent to S3: a write is predicted only.
    pub fn sent(&self) -> bool {
        !matches!(self, Probe::PutObject { .. } | Probe::DeleteObject { .. })
    }

    /// The IAM action the call needs.
    pub fn action(&self) -> &'static str {
        match self {
            Probe::HeadObject { .. } => "s3:GetObject",
            Probe::ListPrefix { .. } => "s3:ListBucket",
            Probe::GetObjectTagging { .. } => "s3:GetObjectTagging",
            Probe::PutObject { .. } => "s3:PutObject",
            Probe::DeleteObject { .. } => "s3:DeleteObject",
        }
    }

    /// The resource the action is on.
    pub fn resource(&self, bucket: &str) -> String {
        match self {
            Probe::HeadObject { key }
            | Probe::GetObjectTagging { key }
            | Probe::PutObject { key }
            | Probe::DeleteObject { key } => format!("arn:aws:s3:::{bucket}/{key}"),
            Probe::ListPrefix { .. } => format!("arn:aws:s3:::{bucket}"),
        }
    }

    /// What the call is about, for people: the key, or `prefix docs/` (`the root`).
    pub fn subject(&self) -> String {
        match self {
            Probe::HeadObject { key }
            | Probe::GetObjectTagging { key }
            | Probe::PutObject { key }
            | Probe::DeleteObject { key } => printable(key).into_owned(),
            Probe::ListPrefix { prefix } if prefix.is_empty() => "the root".to_string(),
            Probe::ListPrefix { prefix } => format!("prefix {}", printable(prefix)),
        }
    }

    /// What the session policy says of this call.
    pub fn predict(&self, bucket: &str, policy: &SessionPolicy) -> Decision {
        let resource = self.resource(bucket);
        let prefix = match self {
            Probe::ListPrefix { prefix } => Some(prefix.as_str()),
            _ => None,
        };
        policy.evaluate(&Request {
            action: self.action(),
            resource: &resource,
            prefix,
        })
    }
}

/// The questions for `target`: for an object its read, a listing of its folder, and its tags
/// when the policy mentions tagging; for a folder, its listing. Then the writes, predicted
/// only: the object's, or the folder's own key's (the console's `docs/` object), none for the
/// root.
pub fn plan(target: &Target, policy: Option<&SessionPolicy>) -> Vec<Probe> {
    let mut probes = reads(target, policy);
    let written = match target {
        Target::Object(key) | Target::Prefix(key) => key,
    };
    if !written.is_empty() {
        probes.push(Probe::PutObject {
            key: written.clone(),
        });
        probes.push(Probe::DeleteObject {
            key: written.clone(),
        });
    }
    probes
}

/// The questions sent to S3 for `target`.
fn reads(target: &Target, policy: Option<&SessionPolicy>) -> Vec<Probe> {
    match target {
        Target::Object(key) => {
            let folder = crate::bucket::folder_of(key);
            let mut probes = vec![
                Probe::HeadObject { key: key.clone() },
                Probe::ListPrefix {
                    prefix: folder.to_string(),
                },
            ];
            let tagging = policy.is_some_and(|p| {
                p.compact()
                    .to_ascii_lowercase()
                    .contains("s3:getobjecttagging")
            });
            if tagging {
                probes.push(Probe::GetObjectTagging { key: key.clone() });
            }
            probes
        }
        Target::Prefix(prefix) => vec![Probe::ListPrefix {
            prefix: prefix.clone(),
        }],
    }
}

/// What S3 answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// It let the call through (`note`: e.g. the key does not exist, which S3 says only to a
    /// caller it let in).
    Allowed { note: Option<String> },
    /// It refused it: `AccessDenied` (or `Forbidden` without a code).
    Denied { code: String },
    /// Something else went wrong: the check says nothing of the permission.
    Other { failure: AwsFailure },
}

impl Answer {
    /// S3's answer to a call, from its result.
    pub fn of(result: Result<(), AwsFailure>) -> Self {
        match result {
            Ok(()) => Answer::Allowed { note: None },
            Err(f) if f.kind == ErrorKind::AccessDenied => Answer::Denied {
                code: f.code.unwrap_or_else(|| "Forbidden".to_string()),
            },
            Err(f) if f.is_not_found() => Answer::Allowed {
                note: Some("no such key".to_string()),
            },
            Err(failure) => Answer::Other { failure },
        }
    }

    /// Whether S3 let it through: `None` for other errors.
    pub fn allows(&self) -> Option<bool> {
        match self {
            Answer::Allowed { .. } => Some(true),
            Answer::Denied { .. } => Some(false),
            Answer::Other { .. } => None,
        }
    }
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Allowed { note: None } => f.write_str("✓ allowed"),
            Answer::Allowed { note: Some(note) } => write!(f, "✓ allowed ({note})"),
            Answer::Denied { code } => write!(f, "✗ denied ({code})"),
            Answer::Other { failure } => write!(f, "? {}", failure.code_or_kind()),
        }
    }
}

/// One question, its prediction and (once asked) S3's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub probe: Probe,
    /// `None`: there is no session policy to predict from.
    pub prediction: Option<Decision>,
    pub answer: Option<Answer>,
}

impl Row {
    /// Whether the answer is the predicted one: `None` while either is unknown.
    pub fn agrees(&self) -> Option<bool> {
        let predicted = self.prediction.as_ref()?.allows()?;
        let answered = self.answer.as_ref()?.allows()?;
        Some(predicted == answered)
    }

    /// The prediction, for people: `✓ allowed by statement 2`.
    pub fn predicted_text(&self) -> String {
        match &self.prediction {
            None => "· no session policy".to_string(),
            Some(d) => {
                let mark = match d.allows() {
                    Some(true) => '✓',
                    Some(false) => '✗',
                    None => '?',
                };
                format!("{mark} {d}")
            }
        }
    }

    /// Why the answer differs from the prediction, when it does.
    pub fn why_differs(&self) -> Option<&'static str> {
        match (self.agrees()?, self.answer.as_ref()?.allows()?) {
            (true, _) => None,
            (false, false) => Some(
                "S3 refused what the session policy allows: a session may do only what both the session policy and the caller's (or role's) own policies allow, and a bucket policy can deny it too",
            ),
            (false, true) => Some(
                "S3 allowed what the session policy does not: a bucket policy that names this session's ARN can grant more, or the service does not enforce session policies",
            ),
        }
    }
}

/// A whole check: the bucket, the rows in asking order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub bucket: String,
    pub target: Target,
    pub rows: Vec<Row>,
}

impl Check {
    /// The rows for `target`, predicted from `policy` and not yet asked.
    pub fn new(bucket: &str, target: Target, policy: Option<&SessionPolicy>) -> Self {
        let rows = plan(&target, policy)
            .into_iter()
            .map(|probe| Row {
                prediction: policy.map(|p| probe.predict(bucket, p)),
                probe,
                answer: None,
            })
            .collect();
        Self {
            bucket: bucket.to_string(),
            target,
            rows,
        }
    }

    /// The rows whose call is sent to S3.
    pub fn sent(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.probe.sent())
    }

    /// The rows whose call is sent to S3, to be answered.
    pub fn sent_mut(&mut self) -> impl Iterator<Item = &mut Row> {
        self.rows.iter_mut().filter(|r| r.probe.sent())
    }

    /// Every sent row answered, each as predicted.
    pub fn all_agree(&self) -> bool {
        self.sent().all(|r| r.agrees() == Some(true))
    }

    /// Whether every question sent has its answer.
    pub fn answered(&self) -> bool {
        self.sent().all(|r| r.answer.is_some())
    }

    /// One line on how the answers compare with the predictions (the writes, predicted only,
    /// are not answers).
    pub fn summary(&self) -> String {
        let n = self.sent().count();
        let differ = self.sent().filter(|r| r.agrees() == Some(false)).count();
        let open = self.sent().filter(|r| r.agrees().is_none()).count();
        let plural = if n == 1 { "" } else { "s" };
        let said = match (differ, open) {
            (0, 0) if n == 1 => "the answer matches the session policy's prediction".to_string(),
            (0, 0) => format!("all {n} answers match the session policy's prediction"),
            (0, _) => format!(
                "{open} of {n} answer{plural} could not be compared with a prediction (no session policy, a condition not evaluated, or another error)"
            ),
            _ => format!("{differ} of {n} answer{plural} differ from the prediction"),
        };
        if self.rows.len() > n {
            format!("{said}; the writes are predicted only, never sent")
        } else {
            said
        }
    }

    /// The table as text lines (for `sts3 policy check` and the TUI's overlay).
    pub fn table(&self) -> Vec<String> {
        let cells: Vec<[String; 4]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    format!("{} {}", r.probe.call(), r.probe.subject()),
                    r.probe.action().to_string(),
                    r.predicted_text(),
                    match &r.answer {
                        Some(answer) => answer.to_string(),
                        None if !r.probe.sent() => "· not sent".to_string(),
                        None => "… asking".to_string(),
                    },
                ]
            })
            .collect();
        let header = [
            "CHECK".to_string(),
            "ACTION".to_string(),
            "SESSION POLICY SAYS".to_string(),
            "S3 SAYS".to_string(),
        ];
        let mut widths = [0usize; 4];
        for row in std::iter::once(&header).chain(&cells) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |row: &[String; 4]| {
            let mut out = String::new();
            for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
                if i + 1 == row.len() {
                    out.push_str(cell);
                } else {
                    let _ = write!(out, "{cell:<w$}  ");
                }
            }
            out
        };
        let mut lines = vec![line(&header)];
        for (row, cell) in self.rows.iter().zip(&cells) {
            lines.push(line(cell));
            if let Some(why) = row.why_differs() {
                lines.push(format!("  ≠ {why}"));
            }
        }
        lines
    }

    /// The check as JSON, for scripts.
    pub fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let (predicted, statement) = match &r.prediction {
                    None => ("none", None),
                    Some(d @ (Decision::Allowed { statement } | Decision::Denied { statement })) => {
                        (if d.allows() == Some(true) { "allowed" } else { "denied" }, Some(*statement))
                    }
                    Some(Decision::NotAllowed) => ("denied", None),
                    Some(Decision::Conditional { statement, .. }) => ("unknown", Some(*statement)),
                };
                let (answer, code) = match &r.answer {
                    None if !r.probe.sent() => ("not_sent", None),
                    None => ("none", None),
                    Some(Answer::Allowed { .. }) => ("allowed", None),
                    Some(Answer::Denied { code }) => ("denied", Some(code.clone())),
                    Some(Answer::Other { failure }) => ("error", failure.code.clone()),
                };
                json!({
                    "call": r.probe.call(),
                    "action": r.probe.action(),
                    "resource": r.probe.resource(&self.bucket),
                    "prefix": match &r.probe { Probe::ListPrefix { prefix } => Some(prefix), _ => None },
                    "predicted": predicted,
                    "statement": statement,
                    "reason": r.prediction.as_ref().map(ToString::to_string),
                    "answer": answer,
                    "code": code,
                    "matches": r.agrees(),
                })
            })
            .collect();
        json!({
            "bucket": self.bucket,
            "checks": rows,
            "matches": self.all_agree(),
        })
    }
}

#[cfg(test)]
mod tests;
