//! Against a hostile (or broken) endpoint: terminal escapes in every string it sends, pagination
//! that would loop, answers that never come or never end, a lying clock, redirects. sts3 must
//! not panic, hang, loop, print a raw escape, or believe the impossible.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{TimeDelta, TimeZone, Utc};
use common::hostile::{Hostile, Object, S3Answer, StsAnswer};
use common::sts3;
use std::process::Output;
use std::time::Duration;

/// `sts3 list` against `h` with long-term-looking base keys and short timeouts; `extra` args.
fn list(h: &Hostile, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[timeouts]\nconnect_secs = 2\nattempt_secs = 2\n").unwrap();
    let mut cmd = sts3();
    cmd.env("HOME", dir.path())
        .env("AWS_CONFIG_FILE", dir.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE01")
        .env("AWS_SECRET_ACCESS_KEY", "base-secret-key")
        .args(["list", "-b", "b-1", "-u", "alice", "-r", "us-east-1"])
        .args([
            "--endpoint-url",
            &h.url,
            "--config",
            config.to_str().unwrap(),
        ])
        .args(extra);
    cmd.output().unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// No byte or character that a terminal would act on, from anywhere in the output.
fn assert_inert(out: &Output) {
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let shown = String::from_utf8_lossy(bytes);
        for c in shown.chars() {
            assert!(
                c == '\n' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
                "{name} holds {c:?}:\n{shown}"
            );
        }
    }
}

/// The TUI against `h` in tmux, with long-term-looking base keys; `extra` args.
fn tui(h: &Hostile, extra: &[&str]) -> common::tmux::Tmux {
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE01".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "base-secret-key".to_string()),
        ("TERM", "xterm-256color".to_string()),
    ];
    let mut args = vec![
        "-b",
        "b-1",
        "-u",
        "alice",
        "-r",
        "us-east-1",
        "--endpoint-url",
        &h.url,
    ];
    args.extend_from_slice(extra);
    common::tmux::Tmux::start(env!("CARGO_BIN_EXE_sts3"), &args, &env, 120, 32)
}

const OSC52: &str = "\u{1b}]52;c;cHduZWQ=\u{7}";
const CLEAR: &str = "\u{1b}[2J";

#[test]
fn escapes_in_listing_strings_and_the_principal_are_printed_escaped() {
    // As XML character references (which the SDK's parser decodes) and raw.
    for (esc, bel, must_parse) in [("&#x1b;", "&#x7;", true), ("\u{1b}", "\u{7}", false)] {
        let mut sts = StsAnswer::good();
        if let StsAnswer::Credentials { arn, .. } = &mut sts {
            *arn = format!("arn:aws:sts::1:federated-user/a{esc}]2;pwned{bel}");
        }
        let page = S3Answer::Page {
            objects: vec![Object {
                key: "evil%1B%5D52%3Bc%3Bx%07name%E2%80%AEtxt.exe".into(),
                etag: format!("\"{esc}]52;c;cHduZWQ={bel}\""),
                storage_class: format!("STANDARD{esc}[2J"),
            }],
            truncated: false,
            next_token: None,
        };
        let h = Hostile::start(sts, page);
        for json in [false, true] {
            let out = list(&h, if json { &["--json"] } else { &[] });
            assert_inert(&out);
            let (stdout, stderr) = text(&out);
            assert!(!must_parse || out.status.success(), "{stderr}");
            if out.status.success() && !json {
                assert!(
                    stdout.contains("evil\\u{1b}]52;c;x\\u{7}name\\u{202e}txt.exe => \"\\u{1b}]52;c;cHduZWQ=\\u{7}\""),
                    "{stdout}"
                );
                assert!(
                    stdout.contains("federated-user/a\\u{1b}]2;pwned\\u{7}"),
                    "{stdout}"
                );
            } else if !out.status.success() {
                // A raw escape is not XML: then the answer is refused, never shown raw.
                assert!(stderr.contains("could not be read"), "{stderr}");
            }
        }
    }
}

#[test]
fn escapes_in_error_codes_and_messages_are_printed_escaped() {
    let h = Hostile::start(
        StsAnswer::good(),
        S3Answer::Error {
            status: 403,
            code: "AccessDenied&#x1b;[2J".into(),
            message: format!("denied &#x1b;]52;c;cHduZWQ=&#x7; and {}", "x"),
        },
    );
    let out = list(&h, &[]);
    assert_inert(&out);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("AccessDenied\\u{1b}[2J: denied \\u{1b}]52;c;cHduZWQ=\\u{7} and x"),
        "{stderr}"
    );
}

#[test]
fn an_access_key_from_sts_with_a_control_character_is_refused() {
    let mut sts = StsAnswer::good();
    if let StsAnswer::Credentials { access_key, .. } = &mut sts {
        *access_key = "ASIAEVIL&#x1b;[31m".into();
    }
    let h = Hostile::start(sts, S3Answer::Hang);
    let out = list(&h, &[]);
    assert_inert(&out);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "Caught exception issuing federated credentials: BadAnswer: the access key in STS's answer contains a control character; check that the endpoint is really STS\n"
    );
    assert_eq!(h.list_requests(), 0, "nothing was signed with it");
}

#[test]
fn a_control_character_in_the_base_access_key_is_bad_input() {
    let h = Hostile::start(StsAnswer::good(), S3Answer::Hang);
    let mut cmd = sts3();
    cmd.env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE01\r")
        .env("AWS_SECRET_ACCESS_KEY", "base-secret-key")
        .args(["list", "-b", "b-1", "--endpoint-url", &h.url]);
    let out = cmd.output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "sts3: the access key from the environment (AWS_ACCESS_KEY_ID) contains a control character (a CRLF file?); set it again without it\n"
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(h.requests().is_empty(), "before any network call");
}

fn page_with_token(token: Option<&str>) -> S3Answer {
    S3Answer::Page {
        objects: vec![Object::plain("a"), Object::plain("b")],
        truncated: true,
        next_token: token.map(str::to_string),
    }
}

#[test]
fn a_repeated_continuation_token_stops_the_listing_instead_of_looping() {
    let h = Hostile::start(StsAnswer::good(), page_with_token(Some("same")));
    let out = list(&h, &[]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("sent back the continuation token it was given (\"same\"); stopping instead of listing the same page forever"),
        "{stderr}"
    );
    assert_eq!(
        h.list_requests(),
        2,
        "the first page, then the one that repeated"
    );
}

fn page(keys: &[&str], token: &str) -> S3Answer {
    S3Answer::Page {
        objects: keys.iter().map(|k| Object::plain(k)).collect(),
        truncated: true,
        next_token: Some(token.into()),
    }
}

#[test]
fn tokens_that_cycle_or_pages_that_repeat_or_go_back_stop_the_listing() {
    let cases = [
        // A, B, A, B …: each token differs from the one sent, the keys come again.
        (
            "cycling tokens",
            vec![page(&["a", "b"], "A"), page(&["a", "b"], "B")],
            "\"a\" after \"b\"",
        ),
        // A new token every page, the same keys.
        (
            "counting tokens",
            vec![
                page(&["a", "b"], "1"),
                page(&["a", "b"], "2"),
                page(&["a", "b"], "3"),
            ],
            "\"a\" after \"b\"",
        ),
        // The second page goes back before the first.
        (
            "keys going back",
            vec![page(&["m", "n"], "X"), page(&["c", "d"], "Y")],
            "\"c\" after \"n\"",
        ),
        // Out of order within one page.
        (
            "a page out of order",
            vec![page(&["b", "a"], "Z")],
            "\"a\" after \"b\"",
        ),
    ];
    for (what, answers, said) in cases {
        let h = Hostile::start(StsAnswer::good(), S3Answer::Cycle(answers));
        let out = list(&h, &[]);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "BadAnswer: S3 at {} listed {said}: keys went back or came again; stopping instead of listing the same keys forever",
                h.url
            )),
            "{what}: {stderr}"
        );
        assert!(
            h.list_requests() <= 3,
            "{what}: {} requests",
            h.list_requests()
        );
        // The parallel engine too (its ranges start after cuts, so the entry it names differs).
        let out = list(&h, &["--parallel", "4"]);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{what} --parallel: {stderr}");
        assert!(
            stderr.contains(
                "keys went back or came again; stopping instead of listing the same keys forever"
            ),
            "{what} --parallel: {stderr}"
        );
    }
}

#[test]
fn a_truncated_listing_without_a_token_is_an_error_not_a_short_listing() {
    for token in [None, Some("")] {
        let h = Hostile::start(StsAnswer::good(), page_with_token(token));
        let out = list(&h, &[]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{token:?}: {stdout}{stderr}");
        assert!(
            stderr.contains("said more keys follow (IsTruncated) but sent no continuation token"),
            "{stderr}"
        );
        assert!(
            !stdout.contains("No. of Objects"),
            "no summary of a partial listing"
        );
        assert_eq!(h.list_requests(), 1);
    }
}

#[test]
fn an_answer_that_is_not_list_objects_xml_is_an_error() {
    let h = Hostile::start(
        StsAnswer::good(),
        S3Answer::Raw {
            status: 200,
            body: "<html><body>Welcome to our captive portal</body></html>".into(),
        },
    );
    let out = list(&h, &[]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr,
        format!(
            "Caught exception accessing bucket b-1: BadAnswer: the answer from S3 at {} (HTTP 200) could not be read as ListObjectsV2 XML; check that the endpoint is right\n",
            h.url
        )
    );
}

#[test]
fn answers_that_never_come_time_out() {
    for (sts, s3, what) in [
        (
            StsAnswer::Hang,
            S3Answer::Hang,
            "issuing federated credentials",
        ),
        (StsAnswer::good(), S3Answer::Hang, "accessing bucket b-1"),
    ] {
        let h = Hostile::start(sts, s3);
        let started = sts3::clock::instant();
        let out = list(&h, &[]);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.starts_with(&format!("Caught exception {what}: Timeout: ")),
            "{stderr}"
        );
        assert!(stderr.contains("did not answer in time"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "bounded: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_ten_mebibyte_error_message_is_cut_to_a_line() {
    let h = Hostile::start(
        StsAnswer::good(),
        S3Answer::Error {
            status: 500,
            code: "InternalError".into(),
            message: "x".repeat(10 * 1024 * 1024),
        },
    );
    let out = list(&h, &[]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.len() < 1300, "{} bytes", stderr.len());
    assert!(stderr.trim_end().ends_with('…'), "cut visibly");
}

#[test]
fn an_answer_larger_than_any_page_is_refused_before_it_is_read() {
    let h = Hostile::start(
        StsAnswer::good(),
        S3Answer::Raw {
            status: 200,
            body: "<ListBucketResult>".to_string() + &" ".repeat(17 * 1024 * 1024),
        },
    );
    let out = list(&h, &[]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the answer is 17825810 bytes, more than the 16777216 any real one can be"),
        "{stderr}"
    );
}

#[test]
fn an_implausible_sts_date_is_not_believed() {
    for year in [1970, 2100] {
        let mut sts = StsAnswer::good();
        if let StsAnswer::Credentials { date, .. } = &mut sts {
            *date = Some(Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).unwrap());
        }
        let page = S3Answer::Page {
            objects: vec![Object::plain("a")],
            truncated: false,
            next_token: None,
        };
        let h = Hostile::start(sts, page);
        let out = list(&h, &[]);
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{stderr}");
        assert_eq!(
            stderr,
            format!(
                "sts3: warning: STS's clock said {year}-01-01 00:00:00 UTC (its Date header); that cannot be right\n"
            )
        );
        assert!(
            stdout.contains("(in 00:59:5") || stdout.contains("(in 01:00:00)"),
            "{stdout}"
        );
    }
}

#[test]
fn an_expiration_no_sts_session_can_have_is_refused() {
    // Year 9999 was blamed on STS's Date and counted down as 69890523:55:54.
    let far = chrono::Utc
        .with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
        .unwrap();
    let mut sts = StsAnswer::good();
    if let StsAnswer::Credentials { expires, .. } = &mut sts {
        *expires = far;
    }
    let h = Hostile::start(sts, S3Answer::Hang);
    let out = list(&h, &[]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "Caught exception issuing federated credentials: BadAnswer: STS's answer says the credentials expire at 9999-12-31 23:59:59 UTC (its Expiration), more than 36 hours away, longer than any STS session lasts; check that the endpoint is really STS\n"
    );
    assert_eq!(h.list_requests(), 0, "nothing was signed with them");
}

#[test]
fn credentials_expired_on_arrival_are_warned_of() {
    let mut sts = StsAnswer::good();
    let expired = sts3::clock::now() - TimeDelta::minutes(5);
    if let StsAnswer::Credentials { expires, .. } = &mut sts {
        *expires = expired;
    }
    let h = Hostile::start(
        sts,
        S3Answer::Page {
            objects: vec![],
            truncated: false,
            next_token: None,
        },
    );
    let out = list(&h, &[]);
    let (_, stderr) = text(&out);
    assert!(
        stderr.contains(&format!(
            "sts3: warning: the credentials STS issued expire at {}, already past",
            expired.format("%Y-%m-%d %H:%M:%S UTC")
        )),
        "{stderr}"
    );
}

#[test]
fn a_redirect_says_where_to_and_why_it_is_not_followed() {
    let h = Hostile::start(
        StsAnswer::good(),
        S3Answer::Redirect {
            region: "eu-central-1".into(),
        },
    );
    let out = list(&h, &[]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr,
        format!(
            "Caught exception accessing bucket b-1: PermanentRedirect: S3 at {} redirected to region eu-central-1 (sts3 does not follow redirects with signed requests; check the region or endpoint)\n",
            h.url
        )
    );
}

#[test]
fn the_tui_shows_hostile_strings_escaped_and_never_runs_them() {
    let mut sts = StsAnswer::good();
    if let StsAnswer::Credentials { arn, .. } = &mut sts {
        *arn = "arn:aws:sts::1:federated-user/a&#x1b;]2;pwned&#x7;".into();
    }
    let page = S3Answer::Page {
        objects: vec![Object {
            key: "clip%1B%5D52%3Bc%3BcHduZWQ%3D%07board".into(),
            etag: "\"&#x1b;]52;c;cHduZWQ=&#x7;\"".into(),
            storage_class: "STANDARD".into(),
        }],
        truncated: false,
        next_token: None,
    };
    let h = Hostile::start(sts, page);
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE01".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "base-secret-key".to_string()),
        ("TERM", "xterm-256color".to_string()),
    ];
    let args = [
        "-b",
        "b-1",
        "-u",
        "alice",
        "-r",
        "us-east-1",
        "--endpoint-url",
        &h.url,
    ];
    let tmux = common::tmux::Tmux::start(env!("CARGO_BIN_EXE_sts3"), &args, &env, 120, 32);
    let screen = tmux.wait_for("all 1 key loaded", Duration::from_secs(20));
    assert!(
        screen.contains("clip\\u{1b}]52;c;cHduZWQ=\\u{7}board"),
        "{screen}"
    );
    let styled = tmux.screen_with_escapes();
    assert!(
        !styled.contains("\u{1b}]"),
        "no OSC reached the pane:\n{styled:?}"
    );
    assert!(!styled.contains(CLEAR) && !styled.contains(OSC52));
    assert!(
        tmux.buffers().trim().is_empty(),
        "the clipboard was not written: {}",
        tmux.buffers()
    );
    assert!(
        !tmux.pane_format("#{pane_title}").contains("pwned"),
        "the title was not set"
    );
    tmux.quit();
}

#[test]
fn the_tui_shows_a_hung_listing_as_a_timeout_and_retries() {
    let h = Hostile::start(StsAnswer::good(), S3Answer::Hang);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[timeouts]\nconnect_secs = 1\nattempt_secs = 1\n").unwrap();
    let tmux = tui(&h, &["--config", config.to_str().unwrap()]);
    let screen = tmux.wait_for("did not answer in time", Duration::from_secs(30));
    assert!(screen.contains("✗ Timeout"), "{screen}");
    assert!(
        screen.contains("retrying in"),
        "retried by itself: {screen}"
    );
    assert!(
        !screen.contains("loading…"),
        "no spinner over an error: {screen}"
    );
    tmux.quit();
}

#[test]
fn the_debug_log_is_private_and_holds_server_text_escaped() {
    use std::os::unix::fs::PermissionsExt;
    let h = Hostile::start(
        StsAnswer::good(),
        S3Answer::Error {
            status: 403,
            code: "AccessDenied".into(),
            message: "no &#x1b;]0;title&#x7;".into(),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("new-dir").join("sts3.log");
    let mut cmd = sts3();
    cmd.env("STS3_LOG_FILE", &log)
        .env("HOME", dir.path())
        .env("AWS_CONFIG_FILE", dir.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE01")
        .env("AWS_SECRET_ACCESS_KEY", "base-secret-key")
        .args(["list", "-d", "-b", "b-1", "-u", "alice", "-r", "us-east-1"])
        .args(["--endpoint-url", &h.url]);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&log), 0o600, "the log file");
    assert_eq!(mode(log.parent().unwrap()), 0o700, "its directory");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("no \\u{1b}]0;title\\u{7}"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no raw escape for `tail -f` to replay"
    );
}

#[test]
fn a_wait_for_sts_is_said_on_a_terminal_in_place_and_in_a_file_once() {
    let h = Hostile::start(StsAnswer::Hang, S3Answer::Hang);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    // Three attempts of 5 s: the wait is said before the timeout ends it.
    std::fs::write(&config, "[timeouts]\nconnect_secs = 1\nattempt_secs = 5\n").unwrap();
    let host = h.url.trim_start_matches("http://").to_string();
    // On a terminal: a line that counts the seconds, gone when the answer (a timeout) comes.
    let mut args = vec!["list", "--config", config.to_str().unwrap()];
    args.extend(["-b", "b-1", "-u", "alice", "-r", "us-east-1"]);
    args.extend(["--endpoint-url", &h.url]);
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE01".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "base-secret-key".to_string()),
        ("HOME", dir.path().display().to_string()),
        (
            "AWS_CONFIG_FILE",
            dir.path().join("none").display().to_string(),
        ),
    ];
    let tmux = common::tmux::Tmux::start(env!("CARGO_BIN_EXE_sts3"), &args, &env, 160, 10);
    let screen = tmux.wait_for(
        &format!("sts3: waiting for STS at {host} · 4 s"),
        Duration::from_secs(20),
    );
    assert!(!screen.contains("· 2 s"), "updated in place: {screen}");
    let screen = tmux.wait_for("did not answer in time", Duration::from_secs(30));
    assert!(!screen.contains("waiting for STS"), "removed: {screen}");
    // Into a file: one line, once.
    let out = sts3()
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .args(&args)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(
        lines[0],
        format!("sts3: still waiting for STS at {host} after 10 s")
    );
    assert!(lines[1].contains("did not answer in time"), "{stderr}");
}
