//! Object versions against the real local service (SeaweedFS keeps versions and makes delete
//! markers as S3 does): `sts3 list --versions` lists every version and delete marker newest
//! first, page by page; `get` and `presign --version-id` read a given version; a session
//! policy that does not allow listing versions is said before anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::service;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A session policy that may list `bucket` and its versions and read every version.
fn version_reader(dir: &Path, bucket: &str) -> PathBuf {
    let path = dir.join("versions.json");
    std::fs::write(
        &path,
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:ListBucketVersions"],
             "Resource": format!("arn:aws:s3:::{bucket}")},
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
             "Resource": format!("arn:aws:s3:::{bucket}/*")}
        ]})
        .to_string(),
    )
    .unwrap();
    path
}

/// `sts3 SUB -b BUCKET` as alice with `policy`, plus `args`.
fn run(sub: &str, bucket: &str, policy: &Path, args: &[&str]) -> Output {
    let s = service();
    common::sts3()
        .envs(s.env())
        .args([
            sub,
            "-b",
            bucket,
            "-u",
            "alice",
            "--endpoint-url",
            &s.endpoint,
        ])
        .arg("--policy")
        .arg(policy)
        .args(args)
        .output()
        .unwrap()
}

/// The JSON lines of `out` that are entries (not the session or the summary).
fn entries(out: &Output) -> Vec<serde_json::Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "version" || v["type"] == "delete_marker")
        .collect()
}

/// A new versioned bucket where `docs/a.txt` was written three times (`first`, `second`,
/// `third`), then deleted: the version ids, oldest first, and the delete marker's last.
fn three_versions_and_a_marker(bucket: &str) -> Vec<String> {
    let (rt, admin) = common::versioned_bucket(bucket);
    let mut ids = Vec::new();
    rt.block_on(async {
        for body in ["first", "second", "third"] {
            let put = admin
                .put_object()
                .bucket(bucket)
                .key("docs/a.txt")
                .body(Vec::from(body.as_bytes()).into())
                .send()
                .await
                .unwrap();
            ids.push(put.version_id().unwrap().to_string());
        }
        let marker = admin
            .delete_object()
            .bucket(bucket)
            .key("docs/a.txt")
            .send()
            .await
            .unwrap();
        assert_eq!(marker.delete_marker(), Some(true));
        ids.push(marker.version_id().unwrap().to_string());
    });
    ids
}

#[test]
fn three_versions_and_a_delete_marker_are_listed_newest_first_and_each_version_reads_back() {
    let bucket = format!("versions-{}", std::process::id());
    let ids = three_versions_and_a_marker(&bucket);
    let dir = tempfile::tempdir().unwrap();
    let policy = version_reader(dir.path(), &bucket);

    let out = run("list", &bucket, &policy, &["--versions", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = entries(&out);
    let listed_ids: Vec<&str> = listed
        .iter()
        .map(|v| v["version_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed_ids,
        [&ids[3], &ids[2], &ids[1], &ids[0]],
        "the marker, then the versions newest first"
    );
    let kinds: Vec<(&str, bool)> = listed
        .iter()
        .map(|v| (v["type"].as_str().unwrap(), v["latest"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("delete_marker", true),
            ("version", false),
            ("version", false),
            ("version", false)
        ]
    );
    assert!(
        text(&out.stdout).contains(r#"{"type":"summary","versions":3,"delete_markers":1}"#),
        "{}",
        text(&out.stdout)
    );
    // The text lines say the same.
    let out = run("list", &bucket, &policy, &["--versions"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(&format!("docs/a.txt => delete marker {} latest\n", ids[3])),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("No. of Versions = 3\nNo. of Delete Markers = 1\n"),
        "{stdout}"
    );

    // Each version reads back as itself; the key itself is deleted.
    for (id, body) in ids.iter().zip(["first", "second", "third"]) {
        let out = run(
            "get",
            &bucket,
            &policy,
            &["docs/a.txt", "--version-id", id, "-o", "-"],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), body);
    }
    let saved = dir.path().join("a.txt");
    let out = common::sts3()
        .envs(service().env())
        .args(["get", "--endpoint-url", &service().endpoint, "-u", "alice"])
        .arg("--policy")
        .arg(&policy)
        .arg(format!("s3://{bucket}/docs/a.txt"))
        .args(["--version-id", &ids[1], "-o"])
        .arg(&saved)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), "second");
    assert!(
        text(&out.stderr).contains(&format!("(version {})", ids[1])),
        "{}",
        text(&out.stderr)
    );
    let latest = run("get", &bucket, &policy, &["docs/a.txt", "-o", "-"]);
    assert!(!latest.status.success(), "the latest is a delete marker");

    // A presigned URL of the oldest version fetches that version.
    let out = run(
        "presign",
        &bucket,
        &policy,
        &["docs/a.txt", "--version-id", &ids[0]],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let url = text(&out.stdout).trim().to_string();
    assert!(url.contains(&format!("versionId={}", ids[0])), "{url}");
    let fetched = Command::new("curl")
        .args(["-sS", "--fail", &url])
        .output()
        .expect("curl is installed");
    assert!(fetched.status.success(), "{}", text(&fetched.stderr));
    assert_eq!(text(&fetched.stdout), "first");
}

#[test]
fn a_folder_of_2500_versions_is_listed_page_by_page_and_a_limit_stops_it() {
    let bucket = format!("versions-many-{}", std::process::id());
    let (rt, admin) = common::versioned_bucket(&bucket);
    // 25 keys of 100 versions each, 32 requests at once.
    rt.block_on(async {
        let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
        let mut puts = tokio::task::JoinSet::new();
        for k in 0..25 {
            for v in 0..100 {
                let (admin, bucket, gate) = (admin.clone(), bucket.clone(), gate.clone());
                puts.spawn(async move {
                    let _permit = gate.acquire().await.unwrap();
                    admin
                        .put_object()
                        .bucket(bucket)
                        .key(format!("many/k{k:02}"))
                        .body(Vec::from(format!("{v}").as_bytes()).into())
                        .send()
                        .await
                        .unwrap();
                });
            }
        }
        while let Some(done) = puts.join_next().await {
            done.unwrap();
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let policy = version_reader(dir.path(), &bucket);
    let out = run(
        "list",
        &bucket,
        &policy,
        &[
            "--versions",
            "--json",
            "--prefix",
            "many/",
            "--page-size",
            "1000",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = entries(&out);
    assert_eq!(listed.len(), 2500);
    let ids: std::collections::HashSet<&str> = listed
        .iter()
        .map(|v| v["version_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2500, "no version twice across pages");
    // Keys in order, each key's latest first and only once.
    let keys: Vec<&str> = listed.iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "keys in order");
    let latest: Vec<&str> = listed
        .iter()
        .filter(|v| v["latest"] == true)
        .map(|v| v["key"].as_str().unwrap())
        .collect();
    assert_eq!(latest.len(), 25);
    for k in 0..25 {
        let key = format!("many/k{k:02}");
        let first = listed.iter().find(|v| v["key"] == key.as_str()).unwrap();
        assert_eq!(first["latest"], true, "{key}'s latest comes first");
    }
    let out = run(
        "list",
        &bucket,
        &policy,
        &[
            "--versions",
            "--prefix",
            "many/",
            "--page-size",
            "1000",
            "--limit",
            "1500",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).ends_with("No. of Versions = 1500\nNo. of Delete Markers = 0\n"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_session_that_may_not_list_versions_is_told_before_anything_is_sent() {
    let s = service();
    let out = common::list_command(&s.endpoint)
        .arg("--versions")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains(&format!(
            "the session policy does not allow s3:ListBucketVersions on arn:aws:s3:::{}; nothing was sent",
            s.bucket
        )),
        "{}",
        text(&out.stderr)
    );
    // --versions lists one page at a time.
    let out = common::list_command(&s.endpoint)
        .args(["--versions", "--parallel", "4"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot be used with"),
        "{}",
        text(&out.stderr)
    );
}

/// A session policy that may list, read and restore versions of `bucket`, and remove them.
fn version_restorer(dir: &Path, bucket: &str) -> PathBuf {
    let path = dir.join("restorer.json");
    std::fs::write(
        &path,
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow",
             "Action": ["s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketVersioning"],
             "Resource": format!("arn:aws:s3:::{bucket}")},
            {"Effect": "Allow",
             "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject",
                        "s3:DeleteObjectVersion"],
             "Resource": format!("arn:aws:s3:::{bucket}/*")}
        ]})
        .to_string(),
    )
    .unwrap();
    path
}

/// The current content of `key` in `bucket`, or `None` when it is deleted.
fn current(bucket: &str, key: &str) -> Option<String> {
    let (rt, admin) = common::admin_s3();
    rt.block_on(async {
        let out = admin
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .ok()?;
        let bytes = out.body.collect().await.unwrap().into_bytes();
        Some(String::from_utf8_lossy(&bytes).into_owned())
    })
}

#[test]
fn in_the_tui_v_shows_the_versions_z_undeletes_a_key_and_restores_the_oldest_version() {
    use std::time::Duration;
    let bucket = format!("versions-tui-{}", std::process::id());
    let ids = three_versions_and_a_marker(&bucket);
    assert_eq!(current(&bucket, "docs/a.txt"), None, "deleted at first");
    let dir = tempfile::tempdir().unwrap();
    let policy = version_restorer(dir.path(), &bucket);
    let s = service();
    let tui = common::start_tui_on(
        &bucket,
        &s.endpoint,
        &["--policy", policy.to_str().unwrap(), "--prefix", "docs/"],
        &[],
        120,
        40,
    );
    // The listing of docs/ is empty: its only key is deleted. The versions show it.
    tui.wait_for("Objects s3://", Duration::from_secs(20));
    tui.keys(&["v"]);
    let screen = tui.wait_for("3 versions · 1 delete marker", Duration::from_secs(20));
    assert!(screen.contains("deleted"), "{screen}");
    // The oldest version's preview is its own content.
    tui.keys(&["End", "p"]);
    let screen = tui.wait_for("first", Duration::from_secs(20));
    assert!(
        screen.contains(&format!("version {}", &ids[0][..13])),
        "{screen}"
    );
    tui.keys(&["Escape"]);
    // The preview gone before the next key: an Esc followed at once by a key reads as Alt and
    // that key.
    tui.wait_until("the versions again", Duration::from_secs(10), |s| {
        s.contains("┏ Versions") && !s.contains("Preview")
    });
    // Undelete: z on the marker, y; the key is back as the version under it.
    tui.keys(&["Home", "z"]);
    tui.wait_for("undelete s3://", Duration::from_secs(10));
    tui.keys(&["y"]);
    tui.wait_for("undeleted s3://", Duration::from_secs(20));
    assert_eq!(current(&bucket, "docs/a.txt").as_deref(), Some("third"));
    // Restore the oldest: a copy of it becomes the current version.
    let screen = tui.wait_for("3 versions · 0 delete markers", Duration::from_secs(20));
    assert!(!screen.contains(" deleted "), "no marker row: {screen}");
    tui.keys(&["End", "z"]);
    tui.wait_for("current (a copy of it)?", Duration::from_secs(10));
    tui.keys(&["y"]);
    tui.wait_for("made version", Duration::from_secs(20));
    assert_eq!(current(&bucket, "docs/a.txt").as_deref(), Some("first"));
    tui.wait_for("4 versions · 0 delete markers", Duration::from_secs(20));
    // Back in the listing, the key is there again.
    tui.keys(&["v"]);
    let screen = tui.wait_for("Objects s3://", Duration::from_secs(10));
    assert!(screen.contains("a.txt"), "{screen}");
    tui.quit();
}

#[test]
fn cp_copies_a_given_version_and_mv_of_a_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bucket = format!("sts3-vcp-{}", std::process::id());
    let ids = three_versions_and_a_marker(&bucket);
    let policy = dir.path().join("copier.json");
    std::fs::write(
        &policy,
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket",
             "Resource": format!("arn:aws:s3:::{bucket}")},
            {"Effect": "Allow", "Action": ["s3:GetObjectVersion", "s3:PutObject"],
             "Resource": format!("arn:aws:s3:::{bucket}/*")},
            // The destination is looked at before it is written.
            {"Effect": "Allow", "Action": "s3:GetObject",
             "Resource": format!("arn:aws:s3:::{bucket}/copies/*")}
        ]})
        .to_string(),
    )
    .unwrap();
    // The oldest version, though the key is deleted now.
    let out = run(
        "cp",
        &bucket,
        &policy,
        &["docs/a.txt", "copies/first.txt", "--version-id", &ids[0]],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        current(&bucket, "copies/first.txt").as_deref(),
        Some("first")
    );
    assert!(
        text(&out.stdout).contains(&format!(
            "copy: s3://{bucket}/docs/a.txt to s3://{bucket}/copies/first.txt"
        )),
        "{}",
        text(&out.stdout)
    );
    // Where the session may not look first (the destination's HeadObject), S3 refuses, said
    // per key.
    let out = run(
        "cp",
        &bucket,
        &policy,
        &["docs/a.txt", "docs/first.txt", "--version-id", &ids[0]],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains(&format!(
            "sts3: s3://{bucket}/docs/a.txt not copied: AccessDenied"
        )),
        "{}",
        text(&out.stderr)
    );
    // Without a version, the latest is read (a delete marker: nothing to copy), and the
    // session policy, which allows only versions, says so before anything is sent.
    let out = run("cp", &bucket, &policy, &["docs/a.txt", "copies/latest.txt"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("does not allow s3:GetObject on"),
        "{}",
        text(&out.stderr)
    );
    let out = run(
        "mv",
        &bucket,
        &policy,
        &["docs/a.txt", "docs/x.txt", "--version-id", &ids[1]],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "sts3: mv moves the latest version of a key; to copy an older one, sts3 cp --version-id ID, then sts3 rm FROM"
    );
    let out = run(
        "cp",
        &bucket,
        &policy,
        &["docs/", "copy/", "--recursive", "--version-id", &ids[1]],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot be used with"),
        "{}",
        text(&out.stderr)
    );
}
