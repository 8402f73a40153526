//! MFA at refresh in the real TUI, in tmux, through the fault proxy in front of the local
//! service: a role session with an MFA device cannot refresh without a new code, so sts3 asks
//! for one at the refresh time with the time left, masked; the typed code reaches STS (seen at
//! the proxy) and nowhere else (not the screen, not the debug log); a prompt left alone ends in
//! the inline expiry error, never a prompt after the expiry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, StsStep};
use common::service;
use std::time::Duration;

const T: Duration = Duration::from_secs(40);

#[test]
fn a_refresh_asks_for_the_code_in_time_sends_it_and_shows_it_nowhere() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    // Short sessions, so the refresh (a third of the lifetime before the end, and never
    // sooner than 30 s after the issue) comes soon: at 30 s of 45.
    proxy.set(|f| {
        for _ in 0..3 {
            f.sts_script
                .push_back(StsStep::ShortLived(Duration::from_secs(45)));
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sts3.log");
    let tmux = common::start_tui(
        &proxy.url,
        &[
            "--mode",
            "role",
            "--mfa-serial",
            "arn:aws:iam::000000000000:mfa/alice",
            "-d",
        ],
        &[
            ("STS3_MFA_CODE", "111111".to_string()),
            ("STS3_LOG_FILE", log.display().to_string()),
        ],
        120,
        40,
    );
    tmux.wait_for("all 3 keys loaded, 7 folders", T);
    assert_eq!(
        proxy.token_codes(),
        ["111111"],
        "the first code from STS3_MFA_CODE"
    );
    let screen = tmux.wait_for("MFA code needed to refresh", T);
    assert!(screen.contains("left"), "{screen}");
    assert!(
        !screen.contains("expired"),
        "asked before the expiry: {screen}"
    );
    for c in ["6", "5", "4", "3", "2", "1"] {
        tmux.keys(&[c]);
    }
    let typed = tmux.wait_for("••••••", T);
    assert!(!typed.contains("654321"), "{typed}");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("1 done", T);
    assert_eq!(
        proxy.token_codes(),
        ["111111", "654321"],
        "the typed code reached STS"
    );
    assert!(!screen.contains("654321"), "{screen}");
    // The next refresh asks again; left alone, the session runs out and says so in place.
    tmux.wait_for("MFA code needed to refresh", T);
    let screen = tmux.wait_for("the session expired before an MFA", T);
    assert!(
        !screen.contains("MFA code needed to refresh"),
        "no prompt after the expiry: {screen}"
    );
    assert_eq!(proxy.token_codes().len(), 2, "nothing sent without a code");
    tmux.quit();
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(!log.is_empty());
    for code in ["111111", "654321"] {
        assert!(
            !log.contains(code),
            "the MFA code {code} is in the debug log"
        );
    }
}
