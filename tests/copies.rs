//! `sts3 cp` and `sts3 mv` within S3, against the real local service: a move keeps the content
//! type and metadata (by CopyObject, and by UploadPartCopy above the single-copy limit, which
//! the tests lower); a recursive copy keeps the paths; `--dry-run` sends no write; an existing
//! destination is kept; a session that may only list is refused before any request.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::FaultProxy;
use common::{command, service};
use std::path::{Path, PathBuf};
use std::process::Output;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A session policy that may list the bucket and read, write and delete under `prefix`.
fn mover_policy(dir: &Path, prefix: &str) -> PathBuf {
    let bucket = &service().bucket;
    let path = dir.join("mover.json");
    std::fs::write(
        &path,
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": format!("arn:aws:s3:::{bucket}")},
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
             "Resource": format!("arn:aws:s3:::{bucket}/{prefix}*")}
        ]})
        .to_string(),
    )
    .unwrap();
    path
}

fn run(endpoint: &str, sub: &str, policy: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = command(endpoint, sub);
    cmd.arg("--policy").arg(policy).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// An S3 client with the service's own keys, for what sts3 does not write (metadata).
fn client(rt: &tokio::runtime::Runtime) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&rt.block_on(service().config()))
            .force_path_style(true)
            .build(),
    )
}

/// Puts `body` as `key` with a content type and one metadata entry.
fn put_with_metadata(rt: &tokio::runtime::Runtime, key: &str, body: Vec<u8>) {
    rt.block_on(
        client(rt)
            .put_object()
            .bucket(&service().bucket)
            .key(key)
            .content_type("application/x-sts3-test")
            .metadata("owner", "alice")
            .body(body.into())
            .send(),
    )
    .unwrap();
}

/// `(content type, owner metadata, size)` of `key`, or `None` when it is not there.
fn described(rt: &tokio::runtime::Runtime, key: &str) -> Option<(String, String, i64)> {
    let head = rt
        .block_on(
            client(rt)
                .head_object()
                .bucket(&service().bucket)
                .key(key)
                .send(),
        )
        .ok()?;
    Some((
        head.content_type().unwrap_or_default().to_string(),
        head.metadata()
            .and_then(|m| m.get("owner").cloned())
            .unwrap_or_default(),
        head.content_length().unwrap_or_default(),
    ))
}

#[test]
fn a_move_keeps_the_type_and_metadata_and_removes_the_source() {
    let s = service();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("copies-mv-{}/", std::process::id());
    let policy = mover_policy(dir.path(), prefix);
    put_with_metadata(&rt, &format!("{prefix}a.dat"), b"abc".to_vec());
    let from = format!("s3://{}/{prefix}a.dat", s.bucket);
    let to = format!("s3://{}/{prefix}renamed.dat", s.bucket);
    let out = run(&s.endpoint, "mv", &policy, &[&from, &to], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("move: {from} to {to}\n"));
    assert_eq!(described(&rt, &format!("{prefix}a.dat")), None);
    assert_eq!(
        described(&rt, &format!("{prefix}renamed.dat")),
        Some(("application/x-sts3-test".into(), "alice".into(), 3))
    );
}

#[test]
fn a_copy_above_the_single_copy_limit_goes_in_parts_and_keeps_the_type_and_metadata() {
    let s = service();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("copies-parts-{}/", std::process::id());
    let policy = mover_policy(dir.path(), prefix);
    let body: Vec<u8> = (0..11 * 1024 * 1024_u32)
        .map(|i| i.to_le_bytes()[1])
        .collect();
    put_with_metadata(&rt, &format!("{prefix}big.dat"), body.clone());
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let from = format!("s3://{}/{prefix}big.dat", s.bucket);
    let to = format!("s3://{}/{prefix}copy/", s.bucket);
    let out = run(
        &proxy.url,
        "cp",
        &policy,
        &[&from, &to],
        &[("STS3_TEST_COPY_SINGLE_MAX", "1048576")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let part_copies = proxy
        .log()
        .iter()
        .filter(|l| l.contains("x-id=UploadPartCopy") && l.ends_with("-> 200 OK"))
        .count();
    assert_eq!(part_copies, 2, "11 MiB in 8 MiB parts: {:#?}", proxy.log());
    assert_eq!(
        described(&rt, &format!("{prefix}copy/big.dat")),
        Some((
            "application/x-sts3-test".into(),
            "alice".into(),
            11 * 1024 * 1024
        ))
    );
    let back = run(
        &s.endpoint,
        "get",
        &policy,
        &[&format!("{prefix}copy/big.dat"), "-o", "-"],
        &[],
    );
    assert!(back.stdout == body, "the copy is the same bytes");
}

#[test]
fn a_recursive_copy_keeps_the_paths_dry_run_writes_nothing_and_an_existing_key_is_kept() {
    let s = service();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("copies-rec-{}/", std::process::id());
    let policy = mover_policy(dir.path(), prefix);
    for key in ["src/a.txt", "src/deep/b.txt"] {
        put_with_metadata(&rt, &format!("{prefix}{key}"), key.as_bytes().to_vec());
    }
    let from = format!("s3://{}/{prefix}src/", s.bucket);
    let to = format!("s3://{}/{prefix}dst/", s.bucket);
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dry = run(
        &proxy.url,
        "cp",
        &policy,
        &["--recursive", "--dry-run", &from, &to],
        &[],
    );
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert_eq!(
        text(&dry.stdout),
        format!(
            "(dry run) copy: {from}a.txt to {to}a.txt\n(dry run) copy: {from}deep/b.txt to {to}deep/b.txt\n"
        )
    );
    let writes: Vec<String> = proxy
        .log()
        .into_iter()
        .filter(|l| l.starts_with("PUT") || l.starts_with("DELETE"))
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
    assert_eq!(described(&rt, &format!("{prefix}dst/a.txt")), None);

    let out = run(
        &s.endpoint,
        "cp",
        &policy,
        &["--recursive", &from, &to],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(described(&rt, &format!("{prefix}dst/deep/b.txt")).is_some());
    let again = run(
        &s.endpoint,
        "cp",
        &policy,
        &["--recursive", &from, &to],
        &[],
    );
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stderr).contains(&format!(
            "kept {to}a.txt: it exists (--force overwrites it)"
        )),
        "{}",
        text(&again.stderr)
    );
}

#[test]
fn a_move_the_session_policy_refuses_is_said_before_any_request() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("copies-refused-{}/", std::process::id());
    let policy = mover_policy(dir.path(), prefix);
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let from = format!("s3://{}/{prefix}a.txt", s.bucket);
    let outside = format!("s3://{}/elsewhere/a.txt", s.bucket);
    let out = run(&proxy.url, "mv", &policy, &[&from, &outside], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        format!(
            "sts3: the session policy does not allow s3:PutObject on arn:aws:s3:::{}/elsewhere/a.txt; nothing was sent. Use a session policy that allows it: --template read-write (or read-write-prefix with --prefix), or --policy FILE\n",
            s.bucket
        )
    );
    assert!(proxy.log().is_empty(), "{:?}", proxy.log());
}

#[test]
fn a_folder_with_objects_in_it_is_neither_copied_nor_moved_without_recursive() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let to = format!("s3://{}/copies-folder-{}/", s.bucket, std::process::id());
    for (sub, verb, done) in [("cp", "copy", "copied"), ("mv", "move", "moved")] {
        let out = command(&proxy.url, sub)
            .args(["--template", "read-write", "docs/", &to])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert_eq!(
            text(&out.stderr),
            format!(
                "sts3: s3://{}/docs/ is a folder with objects in it; nothing was {done}. Pass \
                 --recursive to {verb} every object under it\n",
                s.bucket
            )
        );
    }
    let log = proxy.log();
    assert!(
        log.iter().filter(|l| l.contains("max-keys=1")).count() == 2
            && !log
                .iter()
                .any(|l| l.starts_with("PUT") || l.starts_with("DELETE")),
        "a listing each, nothing copied or deleted: {log:?}"
    );
}
