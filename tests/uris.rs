//! `s3://bucket/key` URIs wherever a bucket and a key are asked for, as in the AWS CLI and
//! s5cmd: `sts3 list s3://b/prefix/`, `-b s3://b/prefix/`, and `get`, `presign` and
//! `policy check` with `s3://b/key`, each doing what the flags do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{service, sts3};
use std::process::Output;

fn run(args: &[&str]) -> Output {
    let s = service();
    let mut cmd = sts3();
    cmd.envs(s.env())
        .args(args)
        .args(["-u", "alice", "--endpoint-url", &s.endpoint]);
    cmd.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The listing without the session's header (its key and expiry differ run to run).
fn listing(out: &Output) -> Vec<String> {
    text(&out.stdout)
        .lines()
        .filter(|l| l.contains(" => ") || l.starts_with("No. of Objects"))
        .map(str::to_string)
        .collect()
}

#[test]
fn list_takes_a_uri_or_a_b_uri_as_it_takes_b_and_prefix() {
    let s = service();
    let flags = run(&["list", "-b", &s.bucket, "--prefix", "docs/"]);
    assert!(flags.status.success(), "{}", text(&flags.stderr));
    let uri = format!("s3://{}/docs/", s.bucket);
    for args in [vec!["list", uri.as_str()], vec!["-b", uri.as_str(), "list"]] {
        let out = run(&args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert_eq!(listing(&out), listing(&flags), "{args:?}");
    }
    let listed = listing(&flags).join("\n");
    assert!(listed.contains("docs/notes.txt"));
    assert!(!listed.contains("README.md"), "the folder only");
}

#[test]
fn get_presign_and_policy_check_take_s3_uris_for_their_key() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let uri = format!("s3://{}/docs/notes.txt", s.bucket);
    let out = run(&["get", &uri, "-o", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        std::fs::read_to_string(dir.path().join("notes.txt"))
            .unwrap()
            .starts_with("Release notes")
    );
    let out = run(&["presign", &uri]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!("/{}/docs/notes.txt?", s.bucket)),
        "{}",
        text(&out.stdout)
    );
    let out = run(&["policy", "check", &uri, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("docs/notes.txt"),
        "{}",
        text(&out.stdout)
    );
}
