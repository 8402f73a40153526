use super::*;
use serde_json::json;

fn list_only() -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}
    ]})
}

fn read_bucket() -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    ]})
}

fn under_docs() -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
         "Condition": {"StringLike": {"s3:prefix": ["docs/", "docs/*"]}}},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/docs/*"}
    ]})
}

fn root_and_home() -> Value {
    json!({"Statement": {"Effect": "Allow", "Action": "s3:ListBucket",
        "Resource": "arn:aws:s3:::b", "Condition": {"StringEquals": {"S3:Prefix": ["", "home/"]}}}})
}

fn all_but_deep() -> Value {
    json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "NoDeep", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/deep/*"}
    ]})
}

fn not_fields() -> Value {
    json!({"Statement": [
        {"Effect": "Allow", "NotAction": "s3:Delete*", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "NotResource": "arn:aws:s3:::secret"}
    ]})
}

fn middle_wildcards() -> Value {
    json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:Get*Tagging", "Resource": "arn:aws:s3:::b/*/reports/*.csv"},
        {"Effect": "Allow", "Action": "S3:GETOBJECT", "Resource": "arn:aws:s3:::b/logs/20??/*"}
    ]})
}

fn other_conditions() -> Value {
    json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
         "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"},
        {"Effect": "Deny", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
         "Condition": {"StringLike": {"s3:delimiter": "/"}}},
        {"Effect": "Allow", "Action": "s3:GetObjectTagging", "Resource": "arn:aws:s3:::b/*",
         "Condition": {"StringLike": {"s3:prefix": "x/*"}, "Bool": {"aws:SecureTransport": "true"}}}
    ]})
}

fn deny_below_prefix() -> Value {
    json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"},
        {"Effect": "Deny", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
         "Condition": {"StringLike": {"s3:prefix": "private/*"}}}
    ]})
}

/// A name, a policy, an action, a resource, the `s3:prefix`, and the decision.
type Row = (
    &'static str,
    Value,
    &'static str,
    &'static str,
    Option<&'static str>,
    Decision,
);

const GET: &str = "s3:GetObject";
const LIST: &str = "s3:ListBucket";
const TAGS: &str = "s3:GetObjectTagging";
const BUCKET: &str = "arn:aws:s3:::b";

fn allowed(statement: usize) -> Decision {
    Decision::Allowed { statement }
}

fn denied(statement: usize) -> Decision {
    Decision::Denied { statement }
}

fn conditional(statement: usize, condition: &str) -> Decision {
    Decision::Conditional {
        statement,
        condition: condition.to_string(),
    }
}

#[test]
fn the_evaluator_agrees_with_iam_on_a_table_of_requests() {
    #[rustfmt::skip]
    let rows: Vec<Row> = vec![
        ("list-only lists", list_only(), LIST, BUCKET, Some(""), allowed(1)),
        ("list-only reads nothing", list_only(), GET, "arn:aws:s3:::b/a.txt", None, Decision::NotAllowed),
        ("list-only is for its bucket", list_only(), LIST, "arn:aws:s3:::other", Some(""), Decision::NotAllowed),
        ("bucket ARN is not an object ARN", list_only(), LIST, "arn:aws:s3:::b/x", Some(""), Decision::NotAllowed),
        ("read-only reads", read_bucket(), GET, "arn:aws:s3:::b/docs/a.txt", None, allowed(2)),
        ("read-only lists any prefix", read_bucket(), LIST, BUCKET, Some("docs/"), allowed(1)),
        ("read-only does not tag", read_bucket(), TAGS, "arn:aws:s3:::b/a", None, Decision::NotAllowed),
        ("read-only does not write", read_bucket(), "s3:PutObject", "arn:aws:s3:::b/a", None, Decision::NotAllowed),
        ("actions fold case", read_bucket(), "S3:getobject", "arn:aws:s3:::b/a", None, allowed(2)),
        ("resources do not fold case", under_docs(), GET, "arn:aws:s3:::b/Docs/a", None, Decision::NotAllowed),
        ("prefix condition: the folder", under_docs(), LIST, BUCKET, Some("docs/"), allowed(1)),
        ("prefix condition: below it", under_docs(), LIST, BUCKET, Some("docs/2024/"), allowed(1)),
        ("prefix condition: the root", under_docs(), LIST, BUCKET, Some(""), Decision::NotAllowed),
        ("prefix condition: a sibling", under_docs(), LIST, BUCKET, Some("docsx/"), Decision::NotAllowed),
        ("prefix condition: no prefix key", under_docs(), LIST, BUCKET, None, Decision::NotAllowed),
        ("prefix-scoped read inside", under_docs(), GET, "arn:aws:s3:::b/docs/a.txt", None, allowed(2)),
        ("prefix-scoped read outside", under_docs(), GET, "arn:aws:s3:::b/a.txt", None, Decision::NotAllowed),
        ("StringEquals: the root", root_and_home(), LIST, BUCKET, Some(""), allowed(1)),
        ("StringEquals: exact folder", root_and_home(), LIST, BUCKET, Some("home/"), allowed(1)),
        ("StringEquals has no wildcards", root_and_home(), LIST, BUCKET, Some("home/x/"), Decision::NotAllowed),
        ("StringEquals: literal star", root_and_home(), LIST, BUCKET, Some("*"), Decision::NotAllowed),
        ("explicit deny wins", all_but_deep(), GET, "arn:aws:s3:::b/deep/k", None, denied(2)),
        ("deny only where it says", all_but_deep(), GET, "arn:aws:s3:::b/shallow/k", None, allowed(1)),
        ("allow-all covers other actions", all_but_deep(), "s3:PutObject", "arn:aws:s3:::b/deep/k", None, allowed(1)),
        ("NotAction allows the rest", not_fields(), GET, "arn:aws:s3:::b/a", None, allowed(1)),
        ("NotAction excludes its actions", not_fields(), "s3:DeleteObject", "arn:aws:s3:::b/a", None, Decision::NotAllowed),
        ("NotResource allows the rest", not_fields(), LIST, BUCKET, Some(""), allowed(2)),
        ("NotResource excludes its resources", not_fields(), LIST, "arn:aws:s3:::secret", Some(""), Decision::NotAllowed),
        ("star in the middle of a resource", middle_wildcards(), TAGS, "arn:aws:s3:::b/x/y/reports/q1.csv", None, allowed(1)),
        ("star in the middle of an action", middle_wildcards(), "s3:GetObjectVersionTagging", "arn:aws:s3:::b/a/reports/q.csv", None, allowed(1)),
        ("middle star needs the rest", middle_wildcards(), TAGS, "arn:aws:s3:::b/x/reports/q1.txt", None, Decision::NotAllowed),
        ("question marks are one character", middle_wildcards(), GET, "arn:aws:s3:::b/logs/2024/a", None, allowed(2)),
        ("question marks are not two", middle_wildcards(), GET, "arn:aws:s3:::b/logs/202/a", None, Decision::NotAllowed),
        ("unknown condition on an allow", other_conditions(), GET, "arn:aws:s3:::b/a", None, conditional(1, "IpAddress")),
        ("unknown key under a known operator", other_conditions(), LIST, BUCKET, Some(""), conditional(3, "StringLike on s3:delimiter")),
        ("one unknown operator among known ones", other_conditions(), TAGS, "arn:aws:s3:::b/x/a", Some("x/a"), conditional(4, "Bool")),
        ("a prefix condition can rule a statement out", other_conditions(), TAGS, "arn:aws:s3:::b/a", None, Decision::NotAllowed),
        ("conditional deny below a prefix", deny_below_prefix(), LIST, BUCKET, Some("private/x/"), denied(2)),
        ("conditional deny elsewhere", deny_below_prefix(), LIST, BUCKET, Some("public/"), allowed(1)),
        ("no statements", json!({}), GET, "arn:aws:s3:::b/a", None, Decision::NotAllowed),
    ];
    assert!(rows.len() >= 30);
    for (name, policy, action, resource, prefix, want) in rows {
        let request = Request {
            action,
            resource,
            prefix,
        };
        assert_eq!(evaluate(&policy, &request), want, "{name}");
    }
}

#[test]
fn decisions_read_as_sentences_and_say_whether_they_allow() {
    assert_eq!(allowed(2).to_string(), "allowed by statement 2");
    assert_eq!(denied(3).to_string(), "denied by statement 3");
    assert_eq!(Decision::NotAllowed.to_string(), "no statement allows it");
    assert_eq!(
        conditional(1, "IpAddress").to_string(),
        "statement 1 has a condition (IpAddress): not evaluated"
    );
    assert_eq!(allowed(1).allows(), Some(true));
    assert_eq!(denied(1).allows(), Some(false));
    assert_eq!(Decision::NotAllowed.allows(), Some(false));
    assert_eq!(conditional(1, "x").allows(), None);
}

#[test]
fn the_first_deciding_statement_is_named() {
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:List*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": BUCKET},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}
    ]});
    assert_eq!(evaluate(&policy, &Request::new(LIST, BUCKET)), denied(4));
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:List*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": BUCKET}
    ]});
    assert_eq!(evaluate(&policy, &Request::new(LIST, BUCKET)), allowed(1));
}

#[test]
fn an_allow_with_an_unknown_condition_still_loses_to_a_certain_deny() {
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
    ]});
    assert_eq!(
        evaluate(&policy, &Request::new(GET, "arn:aws:s3:::b/a")),
        denied(2)
    );
    // And a certain allow beside an unsure deny is unsure.
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    ]});
    assert_eq!(
        evaluate(&policy, &Request::new(GET, "arn:aws:s3:::b/a")),
        conditional(2, "Bool")
    );
}

#[test]
fn malformed_conditions_are_reported_not_guessed() {
    let request = Request {
        action: LIST,
        resource: BUCKET,
        prefix: Some(""),
    };
    for (condition, named) in [
        (json!("x"), "a condition that is not an object"),
        (json!({"StringLike": "x"}), "StringLike"),
        (
            json!({"StringLike": {"s3:prefix": 5}}),
            "StringLike on s3:prefix",
        ),
    ] {
        let policy = json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": condition}]});
        assert_eq!(evaluate(&policy, &request), conditional(1, named));
    }
}

#[test]
fn statements_without_the_fields_or_effect_match_nothing() {
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Resource": "*"},
        {"Action": "*", "Resource": "*"},
        {"Effect": "Maybe", "Action": "*", "Resource": "*"}
    ]});
    assert_eq!(
        evaluate(&policy, &Request::new(GET, "arn:aws:s3:::b/a")),
        Decision::NotAllowed
    );
}

#[test]
fn wildcards_match_as_iam_reads_them() {
    let obj = "arn:aws:s3:::b/docs/a.txt";
    assert!(wildcard("*", ""));
    assert!(wildcard("arn:aws:s3:::b/*", obj));
    assert!(wildcard("arn:aws:s3:::b/docs/?.txt", obj));
    assert!(!wildcard("arn:aws:s3:::b/docs/??.txt", obj));
    assert!(wildcard("s3:get*", "s3:getobject"));
    assert!(wildcard("a*b*c", "aXXbYYc"));
    assert!(!wildcard("a*b*c", "aXXbYY"));
    assert!(!wildcard("arn:aws:s3:::b", "arn:aws:s3:::b/x"));
    assert!(wildcard("**", "x"));
}
