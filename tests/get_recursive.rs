//! `sts3 get --recursive` against the real local service: every object under a folder at its
//! path below it (a large one in ranged parts), byte-identical; a re-run fetches only what is
//! missing and keeps what differs unless `--force`; `--include`/`--exclude` pick by the path
//! below the folder; an expired token mid-folder is renewed once for every object in flight; a
//! small object is asked whole and checked by the checksum its answer carries (a flipped bit is
//! caught as such); a symbolic link inside the target folder is never written through; and keys
//! that would leave the folder (`..`, empty parts; moto stores them, SeaweedFS does not) are
//! refused, nothing is written outside.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, S3Step, StsStep};
use common::{service, sha256_hex};
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A new folder of objects under `scratch/`, its prefix and each key's path below it with its
/// bytes: small files at three depths, a name with a space and non-ASCII, an 11 MiB object (in
/// parts with `--part-size 5`), and a folder marker (nothing to save).
fn tree() -> (String, Vec<(&'static str, Vec<u8>)>) {
    static N: AtomicU32 = AtomicU32::new(0);
    let prefix = format!(
        "scratch/tree-{}-{}/",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let big: Vec<u8> = (0..11 * 1024 * 1024u32)
        .map(|i| i.wrapping_mul(2_654_435_761).to_le_bytes()[2])
        .collect();
    let files = vec![
        ("a.txt", b"alpha\n".to_vec()),
        ("sub/b.csv", b"x,y\n1,2\n".to_vec()),
        ("sub/deep/c.csv", b"c\n".repeat(300)),
        ("with space/é+%.txt", "ünïcode\n".as_bytes().to_vec()),
        ("big.bin", big),
    ];
    for (path, bytes) in &files {
        common::put_object(&format!("{prefix}{path}"), bytes.clone());
    }
    common::put_object(&format!("{prefix}empty-folder/"), Vec::new());
    (prefix, files)
}

fn get_tree(endpoint: &str, prefix: &str, dir: &Path, extra: &[&str]) -> Output {
    common::command(endpoint, "get")
        .args([
            "--recursive",
            &format!("s3://{}/{prefix}", service().bucket),
            "-o",
            dir.to_str().unwrap(),
            "--part-size",
            "5",
        ])
        .args(extra)
        .output()
        .unwrap()
}

/// Every file under `dir`, by its path below it, with its SHA-256.
fn saved(dir: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, at: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((relative, sha256_hex(&std::fs::read(&path).unwrap())));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn expected(files: &[(&str, Vec<u8>)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = files
        .iter()
        .map(|(path, bytes)| ((*path).to_string(), sha256_hex(bytes)))
        .collect();
    out.sort();
    out
}

fn last_line(out: &Output) -> String {
    text(&out.stderr)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn every_object_lands_at_its_path_and_a_rerun_fetches_only_what_is_missing() {
    let (prefix, files) = tree();
    let dir = tempfile::tempdir().unwrap();
    let out = get_tree(&service().endpoint, &prefix, dir.path(), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        saved(dir.path()),
        expected(&files),
        "byte-identical, in place"
    );
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 5, "one line an object: {stdout}");
    let uri = format!("s3://{}/{prefix}", service().bucket);
    assert!(
        stdout.contains(&format!(
            "download: {uri}sub/deep/c.csv to {}/sub/deep/c.csv\n",
            dir.path().display()
        )),
        "{stdout}"
    );
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    assert_eq!(
        last_line(&out),
        format!(
            "sts3: saved 5 objects ({}) to {}",
            sts3::bucket::human_size(total as u64),
            dir.path().display()
        )
    );
    assert!(
        !dir.path().join("empty-folder").exists(),
        "a marker is no file"
    );

    // One file gone, one changed: the gone one is fetched, the changed one kept and said.
    std::fs::remove_file(dir.path().join("sub/b.csv")).unwrap();
    std::fs::write(dir.path().join("a.txt"), "mine, longer\n").unwrap();
    let again = get_tree(&service().endpoint, &prefix, dir.path(), &[]);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again.stderr));
    let stderr = text(&again.stderr);
    assert!(
        stderr.contains(&format!(
            "sts3: {uri}a.txt: {}/a.txt exists with another size; --force replaces it\n",
            dir.path().display()
        )),
        "{stderr}"
    );
    assert_eq!(
        last_line(&again),
        format!(
            "sts3: saved 1 object (8 B) to {}; 3 already there (same size); 1 failed",
            dir.path().display()
        )
    );
    assert_eq!(
        text(&again.stdout),
        format!(
            "download: {uri}sub/b.csv to {}/sub/b.csv\n",
            dir.path().display()
        )
    );
    assert_eq!(
        std::fs::read(dir.path().join("a.txt")).unwrap(),
        b"mine, longer\n"
    );

    let forced = get_tree(&service().endpoint, &prefix, dir.path(), &["--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert_eq!(saved(dir.path()), expected(&files));
    assert!(last_line(&forced).ends_with("; 4 already there (same size)"));
}

#[test]
fn include_and_exclude_pick_keys_by_their_path_below_the_folder() {
    let (prefix, _) = tree();
    let dir = tempfile::tempdir().unwrap();
    let out = get_tree(
        &service().endpoint,
        &prefix,
        dir.path(),
        &[
            "--include",
            "*.csv",
            "--include",
            "a.*",
            "--exclude",
            "sub/deep/*",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let names: Vec<String> = saved(dir.path()).into_iter().map(|(p, _)| p).collect();
    assert_eq!(names, ["a.txt", "sub/b.csv"]);
}

#[test]
fn an_expired_token_mid_folder_is_renewed_once_for_every_object_in_flight() {
    let (prefix, files) = tree();
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    // The listing passes; the first two GetObjects (at the same time) are told the token
    // expired. The new credentials take a second to come, so every object's first request is
    // out before any is asked again (a retry is never the second refused request).
    proxy.set(|f| {
        f.s3_script
            .extend([S3Step::Pass, S3Step::EXPIRED_TOKEN, S3Step::EXPIRED_TOKEN]);
        f.sts_script
            .extend([StsStep::Pass, StsStep::Delay(Duration::from_secs(1))]);
    });
    let dir = tempfile::tempdir().unwrap();
    let out = get_tree(&proxy.url, &prefix, dir.path(), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(saved(dir.path()), expected(&files));
    assert_eq!(proxy.count("injected 400"), 2, "{:#?}", proxy.log());
    assert_eq!(
        proxy.count("POST / ->"),
        2,
        "one refresh: {:#?}",
        proxy.log()
    );
}

#[test]
fn small_objects_are_asked_whole_and_a_flipped_bit_is_caught_by_their_checksum() {
    static N: AtomicU32 = AtomicU32::new(0);
    let prefix = format!(
        "scratch/small-{}-{}/",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("one.bin", vec![1; 3000]),
        ("two.bin", vec![2; 4000]),
        ("three.bin", vec![3; 5000]),
    ];
    for (path, bytes) in &files {
        let put = common::put_object(&format!("{prefix}{path}"), bytes.clone());
        assert!(
            put.checksum_crc32().is_some() || put.checksum_crc32_c().is_some(),
            "the SDK's put keeps a checksum: {put:?}"
        );
    }
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    // The listing passes; one GetObject's body has a bit flipped under the right length.
    proxy.set(|f| f.s3_script.extend([S3Step::Pass, S3Step::Corrupt]));
    let dir = tempfile::tempdir().unwrap();
    let out = get_tree(&proxy.url, &prefix, dir.path(), &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(proxy.count("corrupt"), 1, "{:#?}", proxy.log());
    assert!(
        stderr.contains("the bytes do not match the object's CRC32")
            && stderr.contains("checksum S3 keeps (its ETag \"")
            && stderr.contains("the download is corrupt"),
        "{stderr}"
    );
    // Each asked whole: no range, so the answer carries the checksum.
    let gets: Vec<String> = proxy
        .log()
        .into_iter()
        .filter(|l| l.starts_with("GET ") && l.contains(".bin"))
        .collect();
    assert_eq!(gets.len(), 3, "{gets:#?}");
    assert!(
        gets.iter()
            .all(|l| !l.contains("range=") && l.contains("x-amz-checksum-mode=ENABLED")),
        "{gets:#?}"
    );
    // The two others are saved; the corrupt one is not, and left no .part. A re-run gets it.
    assert_eq!(saved(dir.path()).len(), 2, "{:?}", saved(dir.path()));
    let out = get_tree(&proxy.url, &prefix, dir.path(), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(saved(dir.path()), expected(&files));
}

#[test]
fn a_symbolic_link_inside_the_folder_is_never_written_through() {
    let (prefix, _) = tree();
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("sub")).unwrap();
    let out = get_tree(&service().endpoint, &prefix, dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr
            .matches("sub is a symbolic link; sts3 does not write through it")
            .count(),
        2,
        "{stderr}"
    );
    assert!(last_line(&out).ends_with("; 2 failed"), "{stderr}");
    assert!(
        std::fs::read_dir(elsewhere.path())
            .unwrap()
            .next()
            .is_none(),
        "nothing written where the link points"
    );
    assert!(dir.path().join("a.txt").is_file());
}

#[test]
fn keys_that_would_leave_the_folder_are_refused_and_nothing_is_written_outside() {
    let s = service();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = aws_sdk_s3::Client::new(&rt.block_on(s.moto_config()));
    let prefix = format!("escape-{}/", std::process::id());
    for key in ["ok.txt", "../../outside.txt", "a//b.txt", "./dot.txt"] {
        rt.block_on(
            client
                .put_object()
                .bucket(&s.bucket)
                .key(format!("{prefix}{key}"))
                .body(b"x".to_vec().into())
                .send(),
        )
        .unwrap();
    }
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("in");
    let out = common::sts3()
        .envs(s.env())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args([
            "get",
            "--recursive",
            &format!("s3://{}/{prefix}", s.bucket),
            "-o",
            dir.to_str().unwrap(),
            "--mode",
            "session",
            "--endpoint-url",
            &s.moto_endpoint,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr
            .matches("its path has an empty, `.` or `..` part: not saved")
            .count(),
        3,
        "{stderr}"
    );
    assert_eq!(
        common::files_in(parent.path()),
        ["in"],
        "nothing beside the folder"
    );
    assert_eq!(common::files_in(&dir), ["ok.txt"]);
}
