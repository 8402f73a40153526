//! The `sts3 list` binary against the real local service, compared with the AWS CLI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{root, service, sts3};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    let s = service();
    let mut cmd = sts3();
    cmd.envs(s.env()).args(args);
    cmd.output().expect("run sts3")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Control characters as `sts3 list` prints them (`\u{1b}`); the AWS CLI's JSON has them raw.
fn escape(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn list_matches_aws_cli_keys_etags_and_count() {
    let s = service();
    let out = run(&[
        "list",
        "-b",
        &s.bucket,
        "-u",
        "alice",
        "--endpoint-url",
        &s.endpoint,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let ours: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| l.split_once(" => "))
        .map(|(k, e)| (k.to_string(), e.to_string()))
        .collect();
    assert!(
        text.ends_with(&format!("No. of Objects = {}\n", s.seeded_keys)),
        "{text}"
    );

    let cli = Command::new(root().join(".venv/bin/aws"))
        .envs(s.env())
        .args([
            "--endpoint-url",
            &s.endpoint,
            "s3api",
            "list-objects-v2",
            "--bucket",
            &s.bucket,
            "--output",
            "json",
        ])
        .output()
        .expect("run the AWS CLI from .venv");
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    let theirs: Vec<(String, String)> = json["Contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                escape(o["Key"].as_str().unwrap()),
                o["ETag"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(theirs.len(), s.seeded_keys);
    assert_eq!(ours, theirs, "same keys, same ETags, same order");
}

#[test]
fn list_prints_policy_and_session_summary_first() {
    let s = service();
    let out = run(&[
        "list",
        "-b",
        &s.bucket,
        "-u",
        "bob",
        "--endpoint-url",
        &s.endpoint,
        "--limit",
        "3",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "Policy: {{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::{b}\"}},{{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::{b}/*\"}}]}}",
            b = s.bucket
        )
    );
    assert_eq!(lines[1], "Mode: federated");
    assert_eq!(
        lines[2],
        "Principal: arn:aws:sts::000000000000:federated-user/bob"
    );
    assert!(lines[3].starts_with("Access key: ASIA…"), "{}", lines[3]);
    assert!(lines[4].starts_with("Expires: "), "{}", lines[4]);
    assert_eq!(
        &lines[5..],
        [
            "README.md => \"7bf84bcea775a67fd1c6b482521b0af2\"",
            "big/item-00000.json => \"ac3892f081a8e5b7d62421d17c22e76a\"",
            "big/item-00001.json => \"98e66a829369fc12ce9251bb618e6c96\"",
            "No. of Objects = 3"
        ]
    );
}

#[test]
fn role_mode_limit_50_like_the_assume_role_example() {
    let s = service();
    let out = run(&[
        "list",
        "-b",
        &s.bucket,
        "--mode",
        "role",
        "--role-arn",
        &s.role_arn,
        "--endpoint-url",
        &s.endpoint,
        "--limit",
        "50",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        !text.contains("Policy:"),
        "no session policy in role mode by default"
    );
    assert!(text.contains(
        "Principal: arn:aws:sts::000000000000:assumed-role/S3BrowseRole/assumerole-s3-list"
    ));
    assert_eq!(text.lines().filter(|l| l.contains(" => ")).count(), 50);
    assert!(text.ends_with("No. of Objects = 50\n"));
}

#[test]
fn json_output_is_one_object_per_line() {
    let s = service();
    let out = run(&[
        "list",
        "-b",
        &s.bucket,
        "-u",
        "alice",
        "--endpoint-url",
        &s.endpoint,
        "--prefix",
        "docs/",
        "--folders",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let values: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(values[0]["type"], "session");
    assert_eq!(
        values[0]["principal"],
        "arn:aws:sts::000000000000:federated-user/alice"
    );
    assert_eq!(values[0]["policy"]["Version"], "2012-10-17");
    assert_eq!(
        values[1],
        serde_json::json!({"type": "prefix", "prefix": "docs/with space/"})
    );
    let objects = &values[2..values.len() - 1];
    assert!(objects.iter().all(|v| v["type"] == "object"));
    let keys: Vec<&str> = objects.iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "docs/blob.bin",
            "docs/config.json",
            "docs/guide.md",
            "docs/large.bin",
            "docs/notes.txt",
            "docs/tagged.csv"
        ]
    );
    assert!(objects.iter().all(|v| v["size"].as_i64().unwrap() > 0));
    assert_eq!(
        values.last().unwrap(),
        &serde_json::json!({"type": "summary", "objects": 6})
    );
}

#[test]
fn session_mode_against_moto() {
    let s = service();
    let mut cmd = sts3();
    cmd.envs(s.env())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args([
            "list",
            "-b",
            &s.bucket,
            "--mode",
            "session",
            "--endpoint-url",
            &s.moto_endpoint,
        ]);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Mode: session token\nPrincipal: arn:aws:sts::123456789012:user/moto\n"),
        "{text}"
    );
    assert!(text.ends_with(&format!("No. of Objects = {}\n", s.moto_keys)));
}

#[test]
fn unknown_bucket_prints_caught_exception_and_fails() {
    let s = service();
    let out = run(&[
        "list",
        "-b",
        "no-such-bucket",
        "-u",
        "alice",
        "--endpoint-url",
        &s.endpoint,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "Caught exception accessing bucket no-such-bucket: NoSuchBucket: The specified bucket does not exist\n"
    );
}

#[test]
fn out_of_range_duration_is_rejected_before_any_network_call() {
    // The endpoint is unreachable: if sts3 called it, the error would be a network one.
    let out = run(&[
        "list",
        "-b",
        "some-bucket",
        "--duration",
        "100",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "sts3: duration 100s is out of range for federated mode (900-129600s); pass --duration within it\n"
    );
}

#[test]
fn invalid_policy_file_is_rejected_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.json");
    std::fs::write(&path, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}\n").unwrap();
    let out = run(&[
        "list",
        "-b",
        "some-bucket",
        "--policy",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "sts3: policy file {}: policy is not valid JSON at line 4, column 24: ",
            path.display()
        )),
        "{err}"
    );
}

/// The `key => etag` lines of a listing (the header and the summary left out).
fn listed_lines(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .filter(|l| l.contains(" => "))
        .map(str::to_string)
        .collect()
}

#[test]
fn parallel_listing_prints_exactly_the_serial_listing() {
    let s = service();
    let base = [
        "list",
        "-b",
        &s.bucket,
        "-u",
        "alice",
        "--endpoint-url",
        &s.endpoint,
    ];
    let serial = run(&base);
    assert!(serial.status.success(), "{}", stderr(&serial));
    let expected = listed_lines(&serial);
    assert_eq!(expected.len(), s.seeded_keys);
    for n in ["2", "8", "64"] {
        let mut args = base.to_vec();
        args.extend(["--parallel", n]);
        let parallel = run(&args);
        assert!(parallel.status.success(), "{}", stderr(&parallel));
        assert_eq!(
            listed_lines(&parallel),
            expected,
            "--parallel {n}: same keys, same order"
        );
        assert!(stdout(&parallel).ends_with(&format!("No. of Objects = {}\n", s.seeded_keys)));
    }
    let mut args = base.to_vec();
    args.extend(["--parallel", "4", "--limit", "1234"]);
    let limited = run(&args);
    assert_eq!(
        listed_lines(&limited),
        expected[..1234].to_vec(),
        "--limit too"
    );
}

#[test]
fn long_lines_are_the_aws_clis_ls_lines_and_summarize_totals_the_size() {
    let s = service();
    let out = run(&[
        "list",
        &format!("s3://{}/docs/", s.bucket),
        "-u",
        "alice",
        "--endpoint-url",
        &s.endpoint,
        "--long",
        "--summarize",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let ours: Vec<&str> = text.lines().filter(|l| l.contains(" docs/")).collect();
    let cli = Command::new(root().join(".venv/bin/aws"))
        .envs(s.env())
        .env("TZ", std::env::var("TZ").unwrap_or_default())
        .args(["--endpoint-url", &s.endpoint, "s3", "ls"])
        .arg(format!("s3://{}/docs/", s.bucket))
        .args(["--recursive", "--summarize"])
        .output()
        .expect("run the AWS CLI from .venv");
    assert!(cli.status.success(), "{}", stderr(&cli));
    let theirs = stdout(&cli);
    let their_lines: Vec<&str> = theirs.lines().filter(|l| l.contains(" docs/")).collect();
    assert!(ours.len() >= 5, "{text}");
    assert_eq!(ours, their_lines, "the same lines as aws s3 ls --recursive");
    let total: u64 = theirs
        .lines()
        .find_map(|l| l.trim().strip_prefix("Total Size: "))
        .unwrap()
        .parse()
        .unwrap();
    let ours_total = text
        .lines()
        .find_map(|l| l.strip_prefix("Total Size = "))
        .unwrap();
    assert!(
        ours_total.starts_with(&format!("{} bytes (", thousands(total))),
        "{ours_total} vs {total}"
    );
    assert!(
        text.ends_with(&format!("No. of Objects = {}\n", ours.len())),
        "{text}"
    );
}

/// `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
