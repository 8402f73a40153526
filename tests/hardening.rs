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
