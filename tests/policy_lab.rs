//! The policy lab against the real local service, which enforces session policies, `s3:prefix`
//! conditions and explicit denies: `sts3 policy check` asks S3 and compares each answer with
//! what the session policy predicts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::service;
use std::process::Output;
use sts3::policy::templates;

fn check(policy: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("policy.json");
    std::fs::write(&file, policy).unwrap();
    let s = service();
    common::command(&s.endpoint, "policy")
        .arg("check")
        .arg("--policy")
        .arg(&file)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The table row for `call`, its columns split on runs of two spaces.
fn row(out: &Output, call: &str) -> Vec<String> {
    let text = stdout(out);
    let line = text
        .lines()
        .find(|l| l.starts_with(call))
        .unwrap_or_else(|| panic!("no {call} row in:\n{text}"));
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

fn template(name: &str, prefix: &str) -> String {
    let s = service();
    templates::built_in(&s.bucket, prefix)
        .into_iter()
        .find(|t| t.name == name)
        .unwrap()
        .policy
        .unwrap()
        .pretty()
        .to_string()
}

#[test]
fn a_list_only_session_may_list_but_not_read_as_predicted() {
    let out = check(&template("list only", ""), &["docs/guide.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        row(&out, "HeadObject"),
        [
            "HeadObject docs/guide.md",
            "s3:GetObject",
            "✗ no statement allows it",
            "✗ denied (AccessDenied)"
        ]
    );
    assert_eq!(
        row(&out, "ListObjectsV2"),
        [
            "ListObjectsV2 prefix docs/",
            "s3:ListBucket",
            "✓ allowed by statement 1",
            "✓ allowed"
        ]
    );
    // The writes are predicted, and never sent: a check changes nothing.
    assert_eq!(
        row(&out, "PutObject"),
        [
            "PutObject docs/guide.md",
            "s3:PutObject",
            "✗ no statement allows it",
            "· not sent"
        ]
    );
    assert_eq!(
        row(&out, "DeleteObject")[1..],
        ["s3:DeleteObject", "✗ no statement allows it", "· not sent"]
    );
    assert!(stdout(&out).contains(
        "all 2 answers match the session policy's prediction; the writes are predicted only"
    ));
    assert!(stdout(&out).contains("federated-user/alice"));
}

#[test]
fn the_prefix_template_lists_the_folder_and_not_the_root() {
    let policy = template("read-only under docs/", "docs/");
    let inside = check(&policy, &["--prefix", "docs/"]);
    assert_eq!(inside.status.code(), Some(0), "{}", stdout(&inside));
    assert_eq!(row(&inside, "ListObjectsV2")[3], "✓ allowed");
    let root = check(&policy, &["--prefix", ""]);
    assert_eq!(root.status.code(), Some(0), "{}", stdout(&root));
    assert_eq!(
        row(&root, "ListObjectsV2"),
        [
            "ListObjectsV2 the root",
            "s3:ListBucket",
            "✗ no statement allows it",
            "✗ denied (AccessDenied)"
        ]
    );
    let read = check(&policy, &["docs/notes.txt"]);
    assert_eq!(row(&read, "HeadObject")[3], "✓ allowed");
    // A read-write session is predicted to write the folder; the check still sends no write.
    let writer = check(
        &template("read-write under docs/", "docs/"),
        &["docs/notes.txt"],
    );
    assert_eq!(writer.status.code(), Some(0), "{}", stdout(&writer));
    assert_eq!(row(&writer, "PutObject")[3], "· not sent");
    assert!(row(&writer, "PutObject")[2].starts_with("✓ allowed by statement"));
    assert!(row(&writer, "DeleteObject")[2].starts_with("✓ allowed by statement"));
    assert_eq!(
        row(&check(&policy, &["docs/notes.txt"]), "HeadObject")[3],
        "✓ allowed"
    );
}

#[test]
fn an_explicit_deny_on_a_sub_prefix_is_named_and_s3_agrees() {
    let bucket = &service().bucket;
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[
            {{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::{bucket}"}},
            {{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{bucket}/*"}},
            {{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::{bucket}/docs/with space/*"}}]}}"#
    );
    let denied = check(&policy, &["docs/with space/notes (draft).txt"]);
    assert_eq!(denied.status.code(), Some(0), "{}", stdout(&denied));
    assert_eq!(
        row(&denied, "HeadObject")[2..],
        ["✗ denied by statement 3", "✗ denied (AccessDenied)"]
    );
    let beside = check(&policy, &["docs/notes.txt"]);
    assert_eq!(
        row(&beside, "HeadObject")[2..],
        ["✓ allowed by statement 2", "✓ allowed"]
    );
}

#[test]
fn a_prediction_s3_does_not_keep_exits_1_and_says_why() {
    // The role's own policy allows GetObject and ListBucket only: a session policy that also
    // allows tagging cannot give the role more.
    let s = service();
    let bucket = &s.bucket;
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[
            {{"Effect":"Allow","Action":["s3:GetObject","s3:GetObjectTagging"],"Resource":"arn:aws:s3:::{bucket}/*"}},
            {{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::{bucket}"}}]}}"#
    );
    let out = check(
        &policy,
        &[
            "--mode",
            "assumed-role",
            "--role-arn",
            &s.role_arn,
            "docs/tagged.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(
        row(&out, "GetObjectTagging")[2..],
        ["✓ allowed by statement 1", "✗ denied (AccessDenied)"]
    );
    let text = stdout(&out);
    assert!(
        text.contains("≠ S3 refused what the session policy allows"),
        "{text}"
    );
    assert!(text.contains("1 of 3 answers differ"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not every answer is the predicted one"));
    // The same as JSON, for scripts.
    let json = check(
        &policy,
        &[
            "--mode",
            "assumed-role",
            "--role-arn",
            &s.role_arn,
            "docs/tagged.csv",
            "--json",
        ],
    );
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["matches"], false);
    assert_eq!(v["checks"][2]["call"], "GetObjectTagging");
    assert_eq!(v["checks"][2]["predicted"], "allowed");
    assert_eq!(v["checks"][2]["answer"], "denied");
    assert_eq!(v["checks"][2]["matches"], false);
    assert_eq!(v["checks"][0]["matches"], true);
}

#[test]
fn a_bad_policy_file_stops_before_any_request() {
    let out = check("{\"Version\": \"2012-10-17\",", &["docs/guide.md"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 1"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn an_object_over_16_mib_is_checked_like_any_other() {
    // A HEAD answer's Content-Length is the object's size, not a body to read: the 16 MiB cap
    // on answers must not refuse it.
    let s = service();
    let key = "scratch/over-16-mib.bin";
    common::put_object(key, vec![7u8; 17 * 1024 * 1024]);
    let bucket = &s.bucket;
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[
            {{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::{bucket}"}},
            {{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{bucket}/*"}}]}}"#
    );
    let out = check(&policy, &[key]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        row(&out, "HeadObject")[2..],
        ["✓ allowed by statement 2", "✓ allowed"],
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("BadAnswer"), "{}", stdout(&out));
}
