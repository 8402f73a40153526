//! Session policies: a small builder, a validator for hand-written JSON, the compact text sent to
//! STS and the pretty text shown to people, and the size check against the STS limit.

pub mod access;
pub mod diff;
pub mod templates;

use crate::highlight::{TokenLine, highlight};

use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use thiserror::Error;

/// AWS's limit on the plain text of an inline session policy, in characters.
pub const SESSION_POLICY_MAX_CHARS: usize = 2048;

/// The only policy language version AWS accepts for session policies worth writing today.
pub const POLICY_VERSION: &str = "2012-10-17";

/// Why a session policy cannot be used. Each message names the problem and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolicyError {
    #[error(
        "policy is not valid JSON at line {line}, column {column}: {reason}; fix the JSON syntax"
    )]
    Syntax {
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("policy must be a JSON object with \"Version\" and \"Statement\"")]
    NotAnObject,
    #[error("policy has no \"Version\"; add \"Version\": \"{POLICY_VERSION}\"")]
    MissingVersion,
    #[error("policy \"Version\" is {0:?}; use \"{POLICY_VERSION}\"")]
    BadVersion(String),
    #[error(
        "policy has no \"Statement\"; add at least one statement with Effect, Action and Resource"
    )]
    MissingStatement,
    #[error("policy \"Statement\" is empty; add at least one statement")]
    EmptyStatement,
    #[error("statement {index} is not a JSON object")]
    StatementNotObject { index: usize },
    #[error("statement {index} has Effect {got}; use \"Allow\" or \"Deny\"")]
    BadEffect { index: usize, got: String },
    #[error("statement {index} has no \"Action\" or \"NotAction\"; name the actions it covers")]
    MissingAction { index: usize },
    #[error(
        "statement {index} has no \"Resource\" or \"NotResource\"; name the resources it covers"
    )]
    MissingResource { index: usize },
    #[error("statement {index}: \"{field}\" must be a string or a list of strings")]
    BadList { index: usize, field: &'static str },
    #[error(
        "policy is {size} characters, over the STS limit of {limit}; remove statements or use wildcards"
    )]
    TooLarge { size: usize, limit: usize },
}

/// A builder in the spirit of the Ruby SDK's `AWS::STS::Policy`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Statement {
    effect: &'static str,
    actions: Vec<String>,
    resources: Vec<String>,
}

impl Policy {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an `Allow` statement.
    #[must_use]
    pub fn allow<A, R>(self, actions: A, resources: R) -> Self
    where
        A: IntoIterator,
        A::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        self.statement("Allow", actions, resources)
    }

    /// Adds a `Deny` statement.
    #[must_use]
    pub fn deny<A, R>(self, actions: A, resources: R) -> Self
    where
        A: IntoIterator,
        A::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        self.statement("Deny", actions, resources)
    }

    fn statement<A, R>(mut self, effect: &'static str, actions: A, resources: R) -> Self
    where
        A: IntoIterator,
        A::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        self.statements.push(Statement {
            effect,
            actions: actions.into_iter().map(Into::into).collect(),
            resources: resources.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// The default least-privilege policy for browsing one bucket: list it, and (optionally)
    /// read its objects.
    pub fn for_bucket(bucket: &str, allow_get_object: bool) -> Self {
        let policy = Self::new().allow(["s3:ListBucket"], [format!("arn:aws:s3:::{bucket}")]);
        if allow_get_object {
            policy.allow(["s3:GetObject"], [format!("arn:aws:s3:::{bucket}/*")])
        } else {
            policy
        }
    }

    /// The policy of a session that picks a bucket: list the buckets (`s3:ListAllMyBuckets`), and
    /// `s3:ListBucket` on any bucket so that services which show only listable buckets (and the
    /// check that a typed bucket exists) work; no object can be read.
    pub fn for_bucket_picker() -> Self {
        Self::new()
            .allow(["s3:ListAllMyBuckets"], ["*"])
            .allow(["s3:ListBucket"], ["arn:aws:s3:::*"])
    }

    pub fn to_value(&self) -> Value {
        let statements: Vec<Value> = self
            .statements
            .iter()
            .map(|s| {
                json!({
                    "Effect": s.effect,
                    "Action": one_or_many(&s.actions),
                    "Resource": one_or_many(&s.resources),
                })
            })
            .collect();
        json!({ "Version": POLICY_VERSION, "Statement": statements })
    }

    /// Validates the built policy (sizes can still be exceeded by long lists).
    pub fn build(&self) -> Result<SessionPolicy, PolicyError> {
        SessionPolicy::from_value(&self.to_value())
    }
}

fn one_or_many(items: &[String]) -> Value {
    match items {
        [one] => Value::String(one.clone()),
        many => Value::Array(many.iter().cloned().map(Value::String).collect()),
    }
}

/// A validated session policy, in the exact compact form sent to STS and a pretty form for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPolicy {
    value: Value,
    compact: String,
    pretty: String,
}

impl SessionPolicy {
    /// Parses and validates hand-written policy JSON (from `--policy FILE`).
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        let value: Value = serde_json::from_str(text).map_err(|e| PolicyError::Syntax {
            line: e.line(),
            column: e.column(),
            reason: syntax_reason(&e),
        })?;
        Self::from_value(&value)
    }

    fn from_value(value: &Value) -> Result<Self, PolicyError> {
        validate(value)?;
        let compact = value.to_string();
        let size = compact.chars().count();
        if size > SESSION_POLICY_MAX_CHARS {
            return Err(PolicyError::TooLarge {
                size,
                limit: SESSION_POLICY_MAX_CHARS,
            });
        }
        let pretty = serde_json::to_string_pretty(value).unwrap_or_else(|_| compact.clone());
        Ok(Self {
            value: value.clone(),
            compact,
            pretty,
        })
    }

    /// The exact text attached to the STS request.
    pub fn compact(&self) -> &str {
        &self.compact
    }

    /// Indented JSON for display.
    pub fn pretty(&self) -> &str {
        &self.pretty
    }

    /// What the policy says of `request` (see [`access::evaluate`]).
    pub fn evaluate(&self, request: &access::Request<'_>) -> access::Decision {
        access::evaluate(&self.value, request)
    }

    /// Why `action` on s3://`bucket`/`key` would be refused, if this policy is the reason: the
    /// hint shown with an `AccessDenied`.
    pub fn refusal_hint(&self, action: &str, bucket: &str, key: &str) -> Option<String> {
        self.refusal_hint_on(action, &format!("arn:aws:s3:::{bucket}/{key}"))
    }

    /// Why this policy refuses `action` on the bucket itself (`arn:aws:s3:::BUCKET`: listing
    /// its unfinished uploads, its versioning), if it does.
    pub fn bucket_refusal_hint(&self, action: &str, bucket: &str) -> Option<String> {
        self.refusal_hint_on(action, &format!("arn:aws:s3:::{bucket}"))
    }

    fn refusal_hint_on(&self, action: &str, resource: &str) -> Option<String> {
        let resource = resource.to_string();
        let shown = crate::escape::printable(&resource);
        match self.evaluate(&access::Request::new(action, &resource)) {
            access::Decision::Allowed { .. } | access::Decision::Conditional { .. } => None,
            access::Decision::NotAllowed => Some(format!(
                "the session policy does not allow {action} on {shown}"
            )),
            access::Decision::Denied { statement } => Some(format!(
                "the session policy denies {action} on {shown} (statement {statement})"
            )),
        }
    }

    /// Why listing `bucket` under `prefix` (`s3:ListBucket` with the `s3:prefix` key) would be
    /// refused, if this policy is the reason, and the first built-in template that allows it:
    /// the hint shown with a listing's `AccessDenied`.
    pub fn list_refusal_hint(&self, bucket: &str, prefix: &str) -> Option<String> {
        let resource = format!("arn:aws:s3:::{bucket}");
        let request = access::Request {
            action: "s3:ListBucket",
            resource: &resource,
            prefix: Some(prefix),
        };
        let place = if prefix.is_empty() {
            format!("s3://{bucket}/")
        } else {
            format!("s3://{bucket}/{}", crate::escape::printable(prefix))
        };
        let why = match self.evaluate(&request) {
            access::Decision::Allowed { .. } | access::Decision::Conditional { .. } => {
                return None;
            }
            access::Decision::NotAllowed => {
                format!("the session policy does not allow s3:ListBucket on {place}")
            }
            access::Decision::Denied { statement } => format!(
                "the session policy denies s3:ListBucket on {place} (statement {statement})"
            ),
        };
        let allows = templates::built_in(bucket, prefix).into_iter().find(|t| {
            t.policy
                .as_ref()
                .is_ok_and(|p| p.evaluate(&request).allows() == Some(true))
        });
        Some(match allows {
            Some(t) => format!("{why}; the template \"{}\" allows it", t.name),
            None => why,
        })
    }

    /// Why S3 refused `action` on s3://`bucket`/`key` with `failure`, when this policy explains
    /// it: the hint shown with an `AccessDenied` (other failures have other causes).
    pub fn why_refused(
        &self,
        failure: &crate::failure::AwsFailure,
        action: &str,
        bucket: &str,
        key: &str,
    ) -> Option<String> {
        if failure.kind != crate::failure::ErrorKind::AccessDenied {
            return None;
        }
        self.refusal_hint(action, bucket, key)
    }

    /// The pretty text as lines of highlighted tokens.
    pub fn highlighted(&self) -> Vec<TokenLine> {
        highlight(&self.value)
    }

    /// Characters counted against [`SESSION_POLICY_MAX_CHARS`].
    pub fn size(&self) -> usize {
        self.compact.chars().count()
    }
}

fn syntax_reason(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C" to its message; we report those separately.
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(idx) => full[..idx].to_string(),
        None => full,
    }
}

fn validate(value: &Value) -> Result<(), PolicyError> {
    let obj = value.as_object().ok_or(PolicyError::NotAnObject)?;
    match obj.get("Version") {
        None => return Err(PolicyError::MissingVersion),
        Some(Value::String(v)) if v == POLICY_VERSION || v == "2008-10-17" => {}
        Some(other) => return Err(PolicyError::BadVersion(describe(other))),
    }
    let statements: Vec<&Value> = match obj.get("Statement") {
        None => return Err(PolicyError::MissingStatement),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
    };
    if statements.is_empty() {
        return Err(PolicyError::EmptyStatement);
    }
    for (i, statement) in statements.into_iter().enumerate() {
        validate_statement(i + 1, statement)?;
    }
    Ok(())
}

fn validate_statement(index: usize, statement: &Value) -> Result<(), PolicyError> {
    let st: &Map<String, Value> = statement
        .as_object()
        .ok_or(PolicyError::StatementNotObject { index })?;
    match st.get("Effect") {
        Some(Value::String(e)) if e == "Allow" || e == "Deny" => {}
        Some(other) => {
            return Err(PolicyError::BadEffect {
                index,
                got: describe(other),
            });
        }
        None => {
            return Err(PolicyError::BadEffect {
                index,
                got: "missing".to_string(),
            });
        }
    }
    check_list(
        index,
        st,
        "Action",
        "NotAction",
        PolicyError::MissingAction { index },
    )?;
    check_list(
        index,
        st,
        "Resource",
        "NotResource",
        PolicyError::MissingResource { index },
    )
}

fn check_list(
    index: usize,
    st: &Map<String, Value>,
    field: &'static str,
    not_field: &'static str,
    missing: PolicyError,
) -> Result<(), PolicyError> {
    let (name, value) = match (st.get(field), st.get(not_field)) {
        (Some(v), _) => (field, v),
        (None, Some(v)) => (not_field, v),
        (None, None) => return Err(missing),
    };
    let ok = match value {
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_string),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(PolicyError::BadList { index, field: name })
    }
}

fn describe(value: &Value) -> String {
    let mut out = String::new();
    let _ = write!(out, "{value}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_listing_names_the_place_the_deciding_statement_and_a_template() {
        let docs_only = SessionPolicy::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":"docs/*"}}}]}"#,
        )
        .unwrap();
        assert_eq!(docs_only.list_refusal_hint("b", "docs/"), None);
        assert_eq!(
            docs_only.list_refusal_hint("b", "logs/").as_deref(),
            Some(
                "the session policy does not allow s3:ListBucket on s3://b/logs/; \
                 the template \"list only\" allows it"
            )
        );
        let denied = Policy::for_bucket("b", true)
            .deny(["s3:ListBucket"], ["arn:aws:s3:::b"])
            .build()
            .unwrap();
        assert_eq!(
            denied.list_refusal_hint("b", "").as_deref(),
            Some(
                "the session policy denies s3:ListBucket on s3://b/ (statement 3); \
                 the template \"list only\" allows it"
            )
        );
        // A policy for another bucket: refused, and the templates are made for this one.
        let other = Policy::for_bucket("other", true).build().unwrap();
        assert!(
            other
                .list_refusal_hint("b", "")
                .unwrap()
                .starts_with("the session policy does not allow s3:ListBucket on s3://b/;")
        );
    }

    #[test]
    fn a_refused_write_names_the_resource_the_bucket_or_a_key_and_the_deciding_statement() {
        let uploads = SessionPolicy::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:ListBucketMultipartUploads"],"Resource":"arn:aws:s3:::b"},{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/up/*"}]}"#,
        )
        .unwrap();
        assert_eq!(
            uploads.bucket_refusal_hint("s3:ListBucketMultipartUploads", "b"),
            None
        );
        assert_eq!(
            uploads
                .bucket_refusal_hint("s3:ListBucketMultipartUploads", "c")
                .as_deref(),
            Some(
                "the session policy does not allow s3:ListBucketMultipartUploads on arn:aws:s3:::c"
            )
        );
        assert_eq!(uploads.refusal_hint("s3:PutObject", "b", "up/x"), None);
        assert_eq!(
            uploads
                .refusal_hint("s3:PutObject", "b", "down/x")
                .as_deref(),
            Some("the session policy does not allow s3:PutObject on arn:aws:s3:::b/down/x")
        );
        let denied = Policy::for_bucket("b", true)
            .deny(["s3:ListBucketMultipartUploads"], ["arn:aws:s3:::b"])
            .build()
            .unwrap();
        assert_eq!(
            denied
                .bucket_refusal_hint("s3:ListBucketMultipartUploads", "b")
                .as_deref(),
            Some(
                "the session policy denies s3:ListBucketMultipartUploads on arn:aws:s3:::b (statement 3)"
            )
        );
    }

    #[test]
    fn builder_for_bucket_matches_expected_json() {
        let policy = Policy::for_bucket("photos", true).build().unwrap();
        assert_eq!(
            policy.compact(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::photos"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/*"}]}"#
        );
        assert!(policy.pretty().contains("\n  \"Statement\": [\n"));
    }

    #[test]
    fn builder_list_only_and_multi_action() {
        let p = Policy::new()
            .allow(
                ["s3:ListBucket", "s3:GetBucketLocation"],
                ["arn:aws:s3:::b"],
            )
            .deny(["s3:GetObject"], ["arn:aws:s3:::b/secret/*"])
            .build()
            .unwrap();
        assert_eq!(
            p.compact(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::b"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret/*"}]}"#
        );
    }

    #[test]
    fn parse_keeps_user_key_order_and_compacts() {
        let text = "{\n \"Statement\": {\"Resource\": \"*\", \"Effect\": \"Allow\", \"Action\": \"s3:*\"},\n \"Version\": \"2012-10-17\"\n}";
        let p = SessionPolicy::parse(text).unwrap();
        assert_eq!(
            p.compact(),
            r#"{"Statement":{"Resource":"*","Effect":"Allow","Action":"s3:*"},"Version":"2012-10-17"}"#
        );
        assert_eq!(p.size(), p.compact().len());
    }

    #[test]
    fn invalid_json_reports_line_and_column() {
        let err =
            SessionPolicy::parse("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [,]\n}")
                .unwrap_err();
        match &err {
            PolicyError::Syntax { line, column, .. } => assert_eq!((*line, *column), (3, 17)),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "policy is not valid JSON at line 3, column 17: expected value; fix the JSON syntax"
        );
    }

    #[test]
    fn missing_statement_is_its_own_error() {
        let err = SessionPolicy::parse(r#"{"Version":"2012-10-17"}"#).unwrap_err();
        assert_eq!(err, PolicyError::MissingStatement);
        assert_eq!(
            err.to_string(),
            "policy has no \"Statement\"; add at least one statement with Effect, Action and Resource"
        );
    }

    #[test]
    fn bad_effect_names_statement_and_value() {
        let err = SessionPolicy::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Permit","Action":"s3:*","Resource":"*"}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "statement 2 has Effect \"Permit\"; use \"Allow\" or \"Deny\""
        );
    }

    #[test]
    fn missing_version_action_resource_and_bad_lists() {
        let cases = [
            (r#"{"Statement":[]}"#, PolicyError::MissingVersion),
            (
                r#"{"Version":"2012-10-17","Statement":[]}"#,
                PolicyError::EmptyStatement,
            ),
            (
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}"#,
                PolicyError::MissingAction { index: 1 },
            ),
            (
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}"#,
                PolicyError::MissingResource { index: 1 },
            ),
            (
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[1],"Resource":"*"}}"#,
                PolicyError::BadList {
                    index: 1,
                    field: "Action",
                },
            ),
            ("[1,2]", PolicyError::NotAnObject),
            (
                r#"{"Version":"2020-01-01","Statement":[]}"#,
                PolicyError::BadVersion("\"2020-01-01\"".into()),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(SessionPolicy::parse(text).unwrap_err(), want, "{text}");
        }
    }

    #[test]
    fn oversize_policy_is_rejected_with_sizes() {
        let resources: Vec<String> = (0..200)
            .map(|i| format!("arn:aws:s3:::bucket-{i}/*"))
            .collect();
        let err = Policy::new()
            .allow(["s3:GetObject"], resources)
            .build()
            .unwrap_err();
        match err {
            PolicyError::TooLarge { size, limit } => {
                assert!(size > limit);
                assert_eq!(limit, 2048);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    /// A policy whose compact text is `chars` characters long, padded with `pad` (ASCII or not).
    fn policy_of(chars: usize, pad: char) -> Result<SessionPolicy, PolicyError> {
        let base = Policy::new()
            .allow(["s3:GetObject"], ["arn:aws:s3:::x"])
            .to_value()
            .to_string()
            .chars()
            .count();
        let resource = format!("arn:aws:s3:::x{}", pad.to_string().repeat(chars - base));
        Policy::new().allow(["s3:GetObject"], [resource]).build()
    }

    #[test]
    fn the_limit_is_2048_characters_not_bytes() {
        assert_eq!(policy_of(2048, 'y').unwrap().size(), 2048);
        assert_eq!(
            policy_of(2049, 'y').unwrap_err(),
            PolicyError::TooLarge {
                size: 2049,
                limit: 2048
            }
        );
        // 2,048 characters of which many take two or three bytes: still within the limit.
        let wide = policy_of(2048, 'é').unwrap();
        assert_eq!(wide.size(), 2048);
        assert!(wide.compact().len() > 2048, "more bytes than characters");
        assert!(matches!(
            policy_of(2049, '☃'),
            Err(PolicyError::TooLarge { size: 2049, .. })
        ));
    }

    #[test]
    fn policy_exactly_at_limit_is_accepted() {
        // Pad a resource so the compact text is exactly the limit.
        let base = Policy::new()
            .allow(["s3:GetObject"], ["arn:aws:s3:::x"])
            .to_value()
            .to_string();
        let pad = SESSION_POLICY_MAX_CHARS - base.len();
        let resource = format!("arn:aws:s3:::x{}", "y".repeat(pad));
        let p = Policy::new()
            .allow(["s3:GetObject"], [resource])
            .build()
            .unwrap();
        assert_eq!(p.size(), SESSION_POLICY_MAX_CHARS);
    }
}
