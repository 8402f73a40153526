//! Secrets (secret access keys, session tokens, the base secret key) never reach the log file,
//! the screen, `--json` output, error messages or a panic message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, S3Step};
use common::service;
use std::path::Path;
use std::time::Duration;

const T: Duration = Duration::from_secs(25);

/// Everything the user or a log reader could see, labelled by where it was seen.
type Seen = Vec<(String, String)>;

/// A full TUI session: browse, switch mode, refresh, an expired token, help, then a panic.
fn tui_session(proxy: &FaultProxy, log: &Path, seen: &mut Seen) {
    let env = [
        ("STS3_LOG_FILE", log.display().to_string()),
        ("STS3_DEBUG_PANIC_KEY", "1".into()),
        ("RUST_BACKTRACE", "1".into()),
    ];
    let tmux = common::start_tui(&proxy.url, &["-d"], &env, 120, 40);
    let mut step = |label: &str, keys: &[&str], until: &str| {
        tmux.keys(keys);
        seen.push((label.to_string(), tmux.wait_for(until, T)));
    };
    step("first screen", &[], "all 3 keys loaded");
    step("big/", &["Enter"], "1,000 keys loaded");
    step("role mode", &["a"], "S3BrowseRole/assumerole");
    step("refreshed", &["r"], "credentials refreshed");
    proxy.set(|f| {
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::EXPIRED_TOKEN, 4));
    });
    step("expired", &["C-r"], "r: refresh credentials");
    step("help", &["Tab", "?"], "show or hide this help");
    tmux.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(300)); // a lone Escape, not Alt-F12
    tmux.keys(&["F12"]);
    assert_eq!(tmux.exit_status(T), 101);
    let history = tmux.history();
    assert!(
        history.contains("forced panic"),
        "the panic message is on screen"
    );
    seen.push(("panic and backtrace".into(), history));
    proxy.set(|f| f.s3_script.clear());
}

/// `sts3 list` as text and JSON, and its error output.
fn headless(proxy: &FaultProxy, log: &Path, seen: &mut Seen) {
    let list = |extra: &[&str]| {
        common::list_command(&proxy.url)
            .env("STS3_LOG_FILE", log)
            .args(["-d", "--prefix", "reports/"])
            .args(extra)
            .output()
            .unwrap()
    };
    for extra in [&[][..], &["--json"][..]] {
        let out = list(extra);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        seen.push((
            format!("list {extra:?} stdout"),
            String::from_utf8_lossy(&out.stdout).into(),
        ));
        seen.push((
            format!("list {extra:?} stderr"),
            String::from_utf8_lossy(&out.stderr).into(),
        ));
    }
    proxy.set(|f| {
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::EXPIRED_TOKEN, 10));
    });
    let out = list(&[]);
    assert_eq!(out.status.code(), Some(1));
    seen.push((
        "list error".into(),
        String::from_utf8_lossy(&out.stderr).into(),
    ));
}

#[test]
fn no_secret_reaches_logs_screens_output_errors_or_panics() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sts3.log");
    let mut seen = Seen::new();
    tui_session(&proxy, &log, &mut seen);
    headless(&proxy, &log, &mut seen);

    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("credentials issued"),
        "the debug log was written:\n{log_text}"
    );
    assert!(log_text.contains("page loaded"));
    seen.push(("debug log".into(), log_text));

    let mut secrets = proxy.issued_secrets();
    assert!(
        secrets.len() >= 10,
        "at least five credential sets were issued: {}",
        secrets.len()
    );
    assert!(secrets.iter().all(|s| s.len() >= 16));
    secrets.push(s.secret_key.clone());
    for (place, text) in &seen {
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "a secret reached {place}");
            // Not even a recognisable piece of one: 12 characters from its middle and its end
            // (a session token's start is the constant header of a JWT, shared by all).
            let chars: Vec<char> = secret.chars().collect();
            for start in [chars.len() / 2 - 6, chars.len() - 12] {
                let piece: String = chars[start..start + 12].iter().collect();
                assert!(!text.contains(&piece), "part of a secret reached {place}");
            }
        }
    }
    // The SDK's own debug and trace events (signing details among them) are not logged.
    let log_text = std::fs::read_to_string(&log).unwrap();
    for line in log_text.lines() {
        let mut words = line.split_whitespace().skip(1);
        let (level, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        if level == "DEBUG" || level == "TRACE" {
            assert!(
                target.starts_with("sts3::"),
                "an event that is not sts3's: {line}"
            );
        }
    }
}
