use super::*;
use crate::failure::{AwsFailure, ErrorKind};

fn policy(text: &str) -> SessionPolicy {
    SessionPolicy::parse(text).unwrap()
}

fn list_only() -> SessionPolicy {
    policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}]}"#,
    )
}

fn denied() -> Answer {
    Answer::of(Err(AwsFailure::new(
        ErrorKind::AccessDenied,
        Some("AccessDenied"),
        "Access Denied",
    )))
}

fn allowed() -> Answer {
    Answer::of(Ok(()))
}

#[test]
fn an_object_is_checked_for_reading_and_listing_its_folder() {
    let check = Check::new(
        "b",
        Target::Object("docs/a.txt".to_string()),
        Some(&list_only()),
    );
    let probes: Vec<_> = check.rows.iter().map(|r| r.probe.clone()).collect();
    assert_eq!(
        probes,
        vec![
            Probe::HeadObject {
                key: "docs/a.txt".to_string()
            },
            Probe::ListPrefix {
                prefix: "docs/".to_string()
            },
            Probe::PutObject {
                key: "docs/a.txt".to_string()
            },
            Probe::DeleteObject {
                key: "docs/a.txt".to_string()
            },
        ]
    );
    assert_eq!(check.rows[0].prediction, Some(Decision::NotAllowed));
    assert_eq!(
        check.rows[1].prediction,
        Some(Decision::Allowed { statement: 1 })
    );
    // A key at the root lists the root.
    assert_eq!(
        plan(&Target::Object("a".to_string()), None)[1],
        Probe::ListPrefix {
            prefix: String::new()
        }
    );
}

#[test]
fn tagging_is_asked_only_when_the_policy_mentions_it() {
    let tags = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","S3:GetObjectTagging"],"Resource":"arn:aws:s3:::b/*"}]}"#,
    );
    let probes = plan(&Target::Object("k".to_string()), Some(&tags));
    assert_eq!(
        probes[2],
        Probe::GetObjectTagging {
            key: "k".to_string()
        }
    );
    assert_eq!(probes.len(), 5);
    assert_eq!(
        plan(&Target::Object("k".to_string()), Some(&list_only())).len(),
        4
    );
    assert_eq!(plan(&Target::Object("k".to_string()), None).len(), 4);
}

#[test]
fn a_folder_is_checked_for_listing_with_its_prefix_as_the_condition_key() {
    let scoped = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":"docs/*"}}}]}"#,
    );
    let inside = Check::new("b", Target::Prefix("docs/".to_string()), Some(&scoped));
    assert_eq!(
        inside.rows[0].prediction,
        Some(Decision::Allowed { statement: 1 })
    );
    let root = Check::new("b", Target::Prefix(String::new()), Some(&scoped));
    assert_eq!(root.rows[0].prediction, Some(Decision::NotAllowed));
    assert_eq!(root.rows[0].probe.subject(), "the root");
    assert_eq!(inside.rows[0].probe.subject(), "prefix docs/");
    assert_eq!(inside.rows[0].probe.resource("b"), "arn:aws:s3:::b");
}

#[test]
fn s3_answers_are_read_as_allowed_denied_or_something_else() {
    assert_eq!(allowed().allows(), Some(true));
    assert_eq!(denied().allows(), Some(false));
    assert_eq!(denied().to_string(), "✗ denied (AccessDenied)");
    let forbidden = Answer::of(Err(AwsFailure {
        kind: ErrorKind::AccessDenied,
        code: None,
        message: "403".to_string(),
        status: Some(403),
        region: None,
    }));
    assert_eq!(forbidden.to_string(), "✗ denied (Forbidden)");
    // A missing key is told only to a caller S3 let in.
    let missing = Answer::of(Err(AwsFailure {
        kind: ErrorKind::Other,
        code: None,
        message: "not found".to_string(),
        status: Some(404),
        region: None,
    }));
    assert_eq!(missing.to_string(), "✓ allowed (no such key)");
    let expired = Answer::of(Err(AwsFailure::new(
        ErrorKind::ExpiredToken,
        Some("ExpiredToken"),
        "expired",
    )));
    assert_eq!(expired.allows(), None);
    assert_eq!(expired.to_string(), "? ExpiredToken");
}

#[test]
fn rows_agree_only_when_both_sides_are_known_and_equal() {
    let mut check = Check::new("b", Target::Object("k".to_string()), Some(&list_only()));
    assert!(!check.answered());
    assert_eq!(check.rows[0].agrees(), None);
    check.rows[0].answer = Some(denied());
    check.rows[1].answer = Some(allowed());
    assert!(check.answered());
    assert!(check.all_agree());
    assert_eq!(
        check.summary(),
        "all 2 answers match the session policy's prediction; the writes are predicted only, never sent"
    );
    // S3 refuses the listing the policy allows: the caller's own policies are the reason.
    check.rows[1].answer = Some(denied());
    assert_eq!(check.rows[1].agrees(), Some(false));
    assert!(!check.all_agree());
    assert!(check.rows[1].why_differs().unwrap().contains("both"));
    assert!(
        check
            .summary()
            .starts_with("1 of 2 answers differ from the prediction;")
    );
    // S3 allows a read the policy does not.
    check.rows[0].answer = Some(allowed());
    assert!(
        check.rows[0]
            .why_differs()
            .unwrap()
            .contains("bucket policy")
    );
    assert_eq!(check.rows[0].why_differs(), check.rows[0].why_differs());
    // One row: said in the singular.
    let mut one = Check::new("b", Target::Prefix(String::new()), Some(&list_only()));
    one.rows[0].answer = Some(allowed());
    assert_eq!(
        one.summary(),
        "the answer matches the session policy's prediction"
    );
    // Without a policy nothing is predicted, so nothing agrees.
    let mut none = Check::new("b", Target::Prefix(String::new()), None);
    none.rows[0].answer = Some(allowed());
    assert_eq!(none.rows[0].agrees(), None);
    assert!(!none.all_agree());
    assert!(
        none.summary()
            .starts_with("1 of 1 answer could not be compared")
    );
    assert_eq!(none.rows[0].predicted_text(), "· no session policy");
}

#[test]
fn the_table_aligns_columns_and_explains_differences() {
    let mut check = Check::new("b", Target::Object("k".to_string()), Some(&list_only()));
    check.rows[0].answer = Some(allowed());
    let table = check.table();
    assert_eq!(
        table,
        [
            "CHECK                   ACTION           SESSION POLICY SAYS       S3 SAYS",
            "HeadObject k            s3:GetObject     ✗ no statement allows it  ✓ allowed",
            "  ≠ S3 allowed what the session policy does not: a bucket policy that names this session's ARN can grant more, or the service does not enforce session policies",
            "ListObjectsV2 the root  s3:ListBucket    ✓ allowed by statement 1  … asking",
            "PutObject k             s3:PutObject     ✗ no statement allows it  · not sent",
            "DeleteObject k          s3:DeleteObject  ✗ no statement allows it  · not sent",
        ]
    );
}

#[test]
fn the_json_says_what_was_predicted_and_answered() {
    let mut check = Check::new("b", Target::Object("d/k".to_string()), Some(&list_only()));
    check.rows[0].answer = Some(denied());
    check.rows[1].answer = Some(allowed());
    let v = check.to_json();
    assert_eq!(v["bucket"], "b");
    assert_eq!(v["matches"], true);
    assert_eq!(v["checks"][0]["call"], "HeadObject");
    assert_eq!(v["checks"][0]["resource"], "arn:aws:s3:::b/d/k");
    assert_eq!(v["checks"][0]["predicted"], "denied");
    assert_eq!(v["checks"][0]["answer"], "denied");
    assert_eq!(v["checks"][0]["code"], "AccessDenied");
    assert_eq!(v["checks"][0]["reason"], "no statement allows it");
    assert_eq!(v["checks"][1]["prefix"], "d/");
    assert_eq!(v["checks"][1]["predicted"], "allowed");
    assert_eq!(v["checks"][1]["statement"], 1);
    assert_eq!(v["checks"][1]["matches"], true);
    assert_eq!(v["checks"][0]["prefix"], Value::Null);
}

#[test]
fn writes_are_predicted_and_never_sent_nor_counted_as_answers() {
    let writer = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":"arn:aws:s3:::b"},{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/docs/*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}]}"#,
    );
    let folder = Check::new("b", Target::Prefix("docs/".to_string()), Some(&writer));
    let predicted: Vec<_> = folder.rows.iter().filter(|r| !r.probe.sent()).collect();
    assert_eq!(predicted.len(), 2);
    assert_eq!(predicted[0].probe.call(), "PutObject");
    assert_eq!(predicted[0].probe.action(), "s3:PutObject");
    assert_eq!(predicted[0].probe.resource("b"), "arn:aws:s3:::b/docs/");
    assert_eq!(predicted[0].probe.subject(), "docs/");
    assert_eq!(
        predicted[0].prediction,
        Some(Decision::Allowed { statement: 2 })
    );
    assert_eq!(predicted[1].probe.call(), "DeleteObject");
    assert_eq!(predicted[1].probe.action(), "s3:DeleteObject");
    assert_eq!(
        predicted[1].prediction,
        Some(Decision::Denied { statement: 3 })
    );
    // Only the listing is sent; the root has no key of its own to write.
    assert_eq!(folder.sent().count(), 1);
    assert!(folder.rows[0].probe.sent());
    let root = Check::new("b", Target::Prefix(String::new()), Some(&writer));
    assert_eq!(root.rows.len(), 1);
    // Answering the one sent row answers the check, and it agrees: the writes are no answers.
    let mut folder = folder;
    for row in folder.sent_mut() {
        row.answer = Some(allowed());
    }
    assert!(folder.answered());
    assert!(folder.all_agree());
    assert_eq!(
        folder.summary(),
        "the answer matches the session policy's prediction; the writes are predicted only, never sent"
    );
    assert_eq!(
        root.summary(),
        "1 of 1 answer could not be compared with a prediction (no session policy, a condition not evaluated, or another error)"
    );
    assert_eq!(folder.to_json()["checks"][1]["answer"], "not_sent");
    let unanswered = Check::new("b", Target::Prefix("docs/".to_string()), Some(&writer));
    assert_eq!(
        unanswered.to_json()["checks"][0]["answer"],
        "none",
        "a call sent and not answered yet is not a write's not_sent"
    );
    assert_eq!(folder.to_json()["checks"][0]["answer"], "allowed");
    assert!(folder.table()[2].ends_with("· not sent"));
}
