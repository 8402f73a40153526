//! Archived objects on moto's S3 (it enforces GLACIER and DEEP_ARCHIVE: a read answers
//! `InvalidObjectState` until a restore, which it finishes at once, and it keeps
//! `x-amz-restore`): `sts3 get` says the object is archived and how to restore it; `sts3
//! restore` asks S3 with the days given and says where it stands; the session policy is asked
//! first.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::service;
use std::process::Output;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `key` put on moto's S3 in `class`, holding `body`.
fn archived(key: &str, class: &str, body: &str) {
    use aws_sdk_s3::types::StorageClass;
    let s = service();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = aws_sdk_s3::Client::new(&rt.block_on(s.moto_config()));
    rt.block_on(
        client
            .put_object()
            .bucket(&s.bucket)
            .key(key)
            .storage_class(StorageClass::from(class))
            .body(Vec::from(body.as_bytes()).into())
            .send(),
    )
    .unwrap();
}

/// `sts3 SUB ARGS` against moto in session-token mode.
fn on_moto(sub: &str, args: &[&str]) -> Output {
    let s = service();
    common::sts3()
        .envs(s.env())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args([sub, "--mode", "session", "--endpoint-url", &s.moto_endpoint])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn an_archived_object_says_so_and_is_read_once_restored_for_the_days_asked() {
    let s = service();
    let key = format!("cold-{}/report.csv", std::process::id());
    let uri = format!("s3://{}/{key}", s.bucket);
    archived(&key, "GLACIER", "a,b\n1,2\n");
    let out = on_moto("get", &[&uri, "-o", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim_end(),
        format!(
            "Caught exception accessing {uri}: InvalidObjectState: The operation is not valid for the object's storage class; the object is archived: it cannot be read until it is restored; sts3 restore {uri} asks S3 for a readable copy"
        )
    );
    let asked = sts3::clock::now();
    let out = on_moto("restore", &[&uri, "--days", "3", "--tier", "bulk"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.starts_with(&format!("restored: {uri} can be read until ")),
        "{said}"
    );
    // moto makes the copy at once, for the days asked.
    let (rt, client) = {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let client = aws_sdk_s3::Client::new(&rt.block_on(s.moto_config()));
        (rt, client)
    };
    let head = rt
        .block_on(client.head_object().bucket(&s.bucket).key(&key).send())
        .unwrap();
    let restore = sts3::object::archive::Restore::parse(head.restore().unwrap()).unwrap();
    let sts3::object::archive::Restore::Until(Some(until)) = restore else {
        panic!("{restore:?}");
    };
    let days = (until - asked).num_hours();
    assert!((71..=73).contains(&days), "three days: {days} hours");
    let out = on_moto("get", &[&uri, "-o", "-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "a,b\n1,2\n");
}

#[test]
fn bad_restores_are_said_before_or_by_s3() {
    let s = service();
    let out = on_moto("restore", &["s3://bkt/k", "--days", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--days 0 is out of range; pass --days between 1 and 30000"),
        "{}",
        text(&out.stderr)
    );
    let out = on_moto("restore", &["s3://bkt/k", "--tier", "fast"]);
    assert_eq!(out.status.code(), Some(2));
    // An object that is not archived: S3's answer, and what it means.
    let key = format!("warm-{}/a.txt", std::process::id());
    archived(&key, "STANDARD", "x");
    let out = on_moto("restore", &[&format!("s3://{}/{key}", s.bucket)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("InvalidObjectState")
            && text(&out.stderr).contains("the object is not archived"),
        "{}",
        text(&out.stderr)
    );
    // The default federated policy reads only: refused before anything is sent.
    let out = common::command(&s.endpoint, "restore")
        .arg("docs/a.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!(
            "the session policy does not allow s3:RestoreObject on arn:aws:s3:::{}/docs/a.txt; nothing was sent",
            s.bucket
        )),
        "{}",
        text(&out.stderr)
    );
}
