//! Hardening against the world around sts3: closed pipes, no terminal, a profile named next to
//! keys in the environment.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{list_command, service, sts3};
use std::io::{BufRead, BufReader};
use std::process::Stdio;

#[test]
fn a_reader_that_goes_away_ends_sts3_list_quietly() {
    let s = service();
    // `sts3 list | head -1`: read one line, then close the pipe.
    let mut child = list_command(&s.endpoint)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("Policy: "), "{first}");
    assert_eq!(out.status.code(), Some(0), "quietly, not 101 or 1");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "no 'Broken pipe'");
}

#[test]
fn a_closed_stderr_does_not_panic() {
    let s = service();
    // `sts3 list -b no-such-bucket 2>&1 | head -0`: the error has nowhere to go.
    let mut child = sts3()
        .envs(s.env())
        .args([
            "list",
            "-b",
            "no-such-bucket-x",
            "--endpoint-url",
            &s.endpoint,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the failure's code, no panic (101)"
    );
}

#[test]
fn the_tui_without_a_terminal_says_to_use_sts3_list() {
    let s = service();
    let out = sts3()
        .envs(s.env())
        .args(["-b", &s.bucket, "--endpoint-url", &s.endpoint])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "sts3: the TUI needs a terminal; use `sts3 list` for scripts (see sts3 list --help)\n"
    );
    assert!(out.stdout.is_empty(), "no escape codes into a file");
}

#[test]
fn a_named_profile_wins_over_keys_in_the_environment_and_a_missing_one_is_an_error() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &credentials,
        format!(
            "[browse]\r\naws_access_key_id = {}\r\naws_secret_access_key = {}\r\n",
            s.access_key, s.secret_key
        ),
    )
    .unwrap();
    let run = |profile: &str| {
        sts3()
            .env("HOME", dir.path())
            .env("AWS_CONFIG_FILE", dir.path().join("none"))
            .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_REGION", &s.region)
            .env("AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG1")
            .env("AWS_SECRET_ACCESS_KEY", "wrong-secret")
            .args(["list", "-b", &s.bucket, "-u", "alice", "--limit", "1"])
            .args(["--endpoint-url", &s.endpoint, "--profile", profile])
            .output()
            .unwrap()
    };
    // The profile's keys (from a CRLF file) sign, not the wrong ones in the environment.
    let out = run("browse");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run("does-not-exist");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Caught exception issuing federated credentials: NoCredentials: AWS profile \"does-not-exist\" was not found or has no credentials; check --profile / AWS_PROFILE and ~/.aws/config\n"
    );
}

/// Whether a screen captured with its attributes (`capture-pane -e`) sets any colour.
fn has_colour(styled: &str) -> bool {
    styled.split("\u{1b}[").skip(1).any(|seq| {
        let params = seq.split('m').next().unwrap_or_default();
        params.split(';').any(|p| {
            matches!(
                p.parse::<u16>(),
                Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
            )
        })
    })
}

#[test]
fn no_color_draws_without_colours() {
    let s = service();
    for (no_color, coloured) in [(None, true), (Some("1"), false)] {
        let env: Vec<(&'static str, String)> = no_color
            .map(|v| vec![("NO_COLOR", v.to_string())])
            .unwrap_or_default();
        let tmux = common::start_tui(&s.endpoint, &[], &env, 100, 30);
        tmux.wait_for("all 3 keys loaded", std::time::Duration::from_secs(20));
        let styled = tmux.screen_with_escapes();
        assert_eq!(
            has_colour(&styled),
            coloured,
            "NO_COLOR={no_color:?}: {styled:?}"
        );
        tmux.quit();
    }
}

/// `sts3 list --profile NAME` with `config` as the AWS config file, whose scripts are in
/// `dir`, and an attempt's time of 2 s.
fn list_with_profile(dir: &std::path::Path, profile: &str) -> std::process::Output {
    let config = dir.join("sts3.toml");
    std::fs::write(&config, "[timeouts]\nattempt_secs = 2\n").unwrap();
    sts3()
        .env("HOME", dir)
        .env("AWS_CONFIG_FILE", dir.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .args([
            "list",
            "-b",
            "some-bucket",
            "-u",
            "alice",
            "--profile",
            profile,
        ])
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap()
}

#[test]
fn a_profile_without_credentials_says_why_for_what_it_is() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = |name: &str, body: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.display().to_string()
    };
    let fails = script(
        "fails.sh",
        "printf 'boom: \\033[31mno token\\n' >&2\nexit 3",
    );
    let hangs = script("hangs.sh", "exec sleep 20");
    std::fs::write(
        dir.path().join("aws-config"),
        format!(
            "[profile sso1]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = us-east-1\n\n\
             [profile fails]\ncredential_process = {fails}\nregion = us-east-1\n\n\
             [profile hangs]\ncredential_process = {hangs}\nregion = us-east-1\n"
        ),
    )
    .unwrap();
    let said = |profile: &str| {
        let out = list_with_profile(dir.path(), profile);
        assert_eq!(out.status.code(), Some(1), "{profile}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert_eq!(
        said("sso1"),
        "Caught exception issuing federated credentials: NoCredentials: AWS profile \"sso1\" signs in with SSO and has no valid token; run `aws sso login --profile sso1`\n"
    );
    // The process's own words, its escape sequence escaped.
    assert_eq!(
        said("fails"),
        "Caught exception issuing federated credentials: NoCredentials: the credential_process of AWS profile \"fails\" failed: Error retrieving credentials: external process exited with code exit status: 3. Stderr: boom: \\u{1b}[31mno token\n"
    );
    let started = sts3::clock::instant();
    assert_eq!(
        said("hangs"),
        "Caught exception issuing federated credentials: Timeout: the base credentials of AWS profile \"hangs\" did not come within 2 s ([timeouts] attempt_secs); its credential_process has not returned\n"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "bounded, not forever: {:?}",
        started.elapsed()
    );
}
