//! Secrets (secret access keys, session tokens, the base secret key) never reach the log file,
//! the screen, `--json` output, error messages or a panic message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, S3Step};
use common::service;
use common::tmux::Tmux;
use std::time::Duration;

const T: Duration = Duration::from_secs(25);

#[test]
fn no_secret_reaches_logs_screens_output_errors_or_panics() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sts3.log");
    let mut env = s.env();
    env.push(("STS3_LOG_FILE", log.display().to_string()));
    env.push(("STS3_DEBUG_PANIC_KEY", "1".into()));
    env.push(("RUST_BACKTRACE", "1".into()));
    let args = [
        "-d",
        "-b",
        &s.bucket,
        "-u",
        "alice",
        "--endpoint-url",
        &proxy.url,
        "--role-arn",
        &s.role_arn,
        "--duration",
        "900",
    ];
    let mut seen: Vec<(String, String)> = Vec::new();

    // A full session: browse, switch mode, refresh, an expired token, help, then a panic.
    let tmux = Tmux::start(env!("CARGO_BIN_EXE_sts3"), &args, &env, 120, 40);
    seen.push(("first screen".into(), tmux.wait_for("all 3 keys loaded", T)));
    tmux.keys(&["Enter"]);
    seen.push(("big/".into(), tmux.wait_for("1000 keys loaded", T)));
    tmux.keys(&["a"]);
    seen.push((
        "role mode".into(),
        tmux.wait_for("assumed-role/S3BrowseRole", T),
    ));
    tmux.keys(&["r"]);
    seen.push((
        "refreshed".into(),
        tmux.wait_for("credentials refreshed", T),
    ));
    proxy.set(|f| {
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::EXPIRED_TOKEN, 4))
    });
    tmux.keys(&["C-r"]);
    seen.push(("expired".into(), tmux.wait_for("r: refresh credentials", T)));
    tmux.keys(&["Tab", "?"]);
    seen.push(("help".into(), tmux.wait_for("show or hide this help", T)));
    tmux.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(300)); // a lone Escape, not Alt-F12
    tmux.keys(&["F12"]);
    assert_eq!(tmux.exit_status(T), 101);
    seen.push(("panic and backtrace".into(), tmux.history()));
    assert!(
        seen.last().unwrap().1.contains("forced panic"),
        "the panic message is on screen"
    );

    // The headless command, text and JSON, and its error output.
    proxy.set(|f| f.s3_script.clear());
    let list = |extra: &[&str]| {
        let mut cmd = common::sts3();
        cmd.envs(s.env())
            .env("STS3_LOG_FILE", &log)
            .args([
                "list",
                "-d",
                "-b",
                &s.bucket,
                "-u",
                "alice",
                "--endpoint-url",
                &proxy.url,
                "--prefix",
                "reports/",
            ])
            .args(extra);
        cmd.output().unwrap()
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
            .extend(std::iter::repeat_n(S3Step::EXPIRED_TOKEN, 10))
    });
    let out = list(&[]);
    assert_eq!(out.status.code(), Some(1));
    seen.push((
        "list error".into(),
        String::from_utf8_lossy(&out.stderr).into(),
    ));

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
            // Not even a recognisable piece of one.
            let piece: String = secret.chars().take(12).collect();
            assert!(!text.contains(&piece), "part of a secret reached {place}");
        }
    }
}
