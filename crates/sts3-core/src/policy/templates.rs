//! Ready session policies for the policy lab's picker, each built for the bucket and folder
//! being browsed, plus the user's own files.

use super::{Policy, PolicyError, SessionPolicy};
use serde_json::json;

/// One choice in the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// `read-only under docs/`.
    pub name: String,
    /// What it allows, in a few words.
    pub about: String,
    /// The policy, or why the user's file is not one.
    pub policy: Result<SessionPolicy, PolicyError>,
}

impl Template {
    fn built(
        name: impl Into<String>,
        about: impl Into<String>,
        policy: Result<SessionPolicy, PolicyError>,
    ) -> Self {
        Self {
            name: name.into(),
            about: about.into(),
            policy,
        }
    }
}

/// The built-in templates by the names `sts3 exec --template` takes, in the picker's order,
/// and whether each needs a folder (`--prefix`).
pub const NAMES: [(&str, bool); 7] = [
    ("list-only", false),
    ("read-only", false),
    ("read-only-prefix", true),
    ("list-only-prefix", true),
    ("read-write", false),
    ("read-write-prefix", true),
    ("deny-all", false),
];

/// What a session that writes may do to the objects, besides reading them (and their older
/// versions, to restore one; and archived objects, restored): put (in one request or in parts),
/// delete, and clean up unfinished uploads. Deleting a version for good (`s3:DeleteObjectVersion`) is not in it.
pub const WRITE_ACTIONS: [&str; 7] = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:RestoreObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
];

/// Why `sts3 exec --template` cannot use a template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error(
        "no template is called {0:?}; use one of list-only, read-only, read-only-prefix, list-only-prefix, read-write, read-write-prefix, deny-all"
    )]
    Unknown(String),
    #[error("template {0} is for a folder; pass --prefix FOLDER/ with it")]
    NeedsPrefix(&'static str),
    #[error("template {name}: {error}")]
    Policy {
        name: &'static str,
        error: PolicyError,
    },
}

/// The built-in templates for `bucket`, and for `prefix` when it is not the root.
pub fn built_in(bucket: &str, prefix: &str) -> Vec<Template> {
    NAMES
        .iter()
        .filter_map(|(name, _)| make(name, bucket, prefix))
        .collect()
}

/// The policy of built-in template `name` for `bucket` and `prefix`.
pub fn by_name(name: &str, bucket: &str, prefix: &str) -> Result<SessionPolicy, TemplateError> {
    let Some((known, needs_prefix)) = NAMES.iter().find(|(n, _)| *n == name) else {
        return Err(TemplateError::Unknown(name.to_string()));
    };
    if *needs_prefix && prefix.is_empty() {
        return Err(TemplateError::NeedsPrefix(known));
    }
    make(known, bucket, prefix)
        .ok_or(TemplateError::NeedsPrefix(known))?
        .policy
        .map_err(|error| TemplateError::Policy { name: known, error })
}

/// Template `name` for `bucket` and `prefix` (`None`: it is for a folder, and there is none).
fn make(name: &str, bucket: &str, prefix: &str) -> Option<Template> {
    let bucket_arn = format!("arn:aws:s3:::{bucket}");
    Some(match name {
        "list-only" => Template::built(
            "list only",
            format!("list {bucket}; read no object"),
            Policy::for_bucket(bucket, false).build(),
        ),
        "read-only" => Template::built(
            "read-only bucket",
            format!("list and read all of {bucket} (the default)"),
            Policy::for_bucket(bucket, true).build(),
        ),
        "read-only-prefix" if !prefix.is_empty() => Template::built(
            format!("read-only under {prefix}"),
            format!("list and read {prefix} and below; nothing else"),
            under_prefix(&bucket_arn, prefix, true),
        ),
        "list-only-prefix" if !prefix.is_empty() => Template::built(
            format!("list-only under {prefix}"),
            format!("list {prefix} and below; read no object"),
            under_prefix(&bucket_arn, prefix, false),
        ),
        "read-write" => Template::built(
            "read-write bucket",
            format!("list, read, write and delete all of {bucket}"),
            Policy::new()
                .allow(
                    [
                        "s3:ListBucket",
                        "s3:ListBucketMultipartUploads",
                        "s3:GetBucketVersioning",
                        "s3:ListBucketVersions",
                    ],
                    [bucket_arn.clone()],
                )
                .allow(WRITE_ACTIONS, [format!("{bucket_arn}/*")])
                .build(),
        ),
        "read-write-prefix" if !prefix.is_empty() => Template::built(
            format!("read-write under {prefix}"),
            format!("list, read, write and delete {prefix} and below; nothing else"),
            read_write_under(&bucket_arn, prefix),
        ),
        "deny-all" => Template::built(
            "deny all",
            "nothing at all: every S3 call is refused",
            SessionPolicy::parse(
                &json!({"Version": super::POLICY_VERSION, "Statement": [
                    {"Effect": "Deny", "Action": "*", "Resource": "*"}
                ]})
                .to_string(),
            ),
        ),
        _ => return None,
    })
}

/// `s3:ListBucket` on the bucket only where `s3:prefix` is `prefix` or below it, and (when
/// `read`) `s3:GetObject` on the keys below it.
/// (A very long prefix can make it too large for STS: then the picker shows that error.)
fn under_prefix(bucket_arn: &str, prefix: &str, read: bool) -> Result<SessionPolicy, PolicyError> {
    let mut statements = vec![json!({
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": bucket_arn,
        "Condition": {"StringLike": {"s3:prefix": [prefix, format!("{prefix}*")]}}
    })];
    if read {
        statements.push(json!({
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": format!("{bucket_arn}/{prefix}*")
        }));
    }
    let value = json!({"Version": super::POLICY_VERSION, "Statement": statements});
    SessionPolicy::parse(&value.to_string())
}

/// What `read-only-prefix` allows, and writing and deleting the keys below `prefix` too.
fn read_write_under(bucket_arn: &str, prefix: &str) -> Result<SessionPolicy, PolicyError> {
    let value = json!({"Version": super::POLICY_VERSION, "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:ListBucketVersions"],
            "Resource": bucket_arn,
            "Condition": {"StringLike": {"s3:prefix": [prefix, format!("{prefix}*")]}}
        },
        {
            "Effect": "Allow",
            "Action": WRITE_ACTIONS,
            "Resource": format!("{bucket_arn}/{prefix}*")
        },
        // Whether a delete keeps versions: a question about the bucket, with no prefix.
        {
            "Effect": "Allow",
            "Action": "s3:GetBucketVersioning",
            "Resource": bucket_arn
        }
    ]});
    SessionPolicy::parse(&value.to_string())
}

/// The user's own policy files (`name`, contents), in name order, as templates.
pub fn user_files(files: &[(String, String)]) -> Vec<Template> {
    files
        .iter()
        .map(|(name, text)| Template {
            name: name.clone(),
            about: "your file".to_string(),
            policy: SessionPolicy::parse(text),
        })
        .collect()
}

#[cfg(test)]
mod tests;
