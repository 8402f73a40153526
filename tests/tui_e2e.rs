//! The real sts3 binary in tmux against the real local S3+STS service, read back from the screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, StsStep};
use common::service;
use common::tmux::Tmux;
use std::time::Duration;

const T: Duration = Duration::from_secs(20);

fn start(endpoint: &str, width: u16, height: u16) -> Tmux {
    common::start_tui(endpoint, &[], &[], width, height)
}

/// The `hh:mm:ss` after `Left` in the session pane.
fn countdown(screen: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.contains("Left "))
        .expect("a Left line");
    let at = line.find("Left").unwrap() + 4;
    line[at..].trim_start().chars().take(8).collect()
}

#[test]
fn browse_countdown_paging_and_mode_switch() {
    let s = service();
    let tmux = start(&s.endpoint, 120, 40);
    let first = tmux.wait_for("all 3 keys loaded, 7 folders", T);
    assert!(first.contains("federated-user/alice"), "{first}");
    assert!(first.contains("s3://sts3-demo/"));
    assert!(first.contains("README.md") && first.contains("unicode/"));

    // The countdown ticks: two captures a few seconds apart differ in the seconds.
    let a = countdown(&first);
    std::thread::sleep(Duration::from_millis(2500));
    let b = countdown(&tmux.screen());
    assert_ne!(a, b, "countdown did not move");
    assert!(a.starts_with("00:1") && b.starts_with("00:1"), "{a} {b}");

    // Open big/ (the first row) and page to its end on demand.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("1,000 keys loaded · more available", T);
    assert!(screen.contains("s3://sts3-demo/big/"), "{screen}");
    assert!(screen.contains("item-00000.json"));
    let end = tmux.wait_until("the end of big/", Duration::from_secs(40), |screen| {
        let done = screen.contains("all 2,500 keys loaded") && screen.contains("item-02499.json");
        if !done {
            tmux.keys(&["G"]);
        }
        done
    });
    assert!(!end.contains("item-00000.json"));

    // Switch mode by key: the principal becomes the assumed role (its account kept, the middle
    // of the ARN cut at this width).
    tmux.keys(&["a"]);
    let role = tmux.wait_for("000000000000:…le/S3BrowseRole/assumerole-s3-list", T);
    assert!(role.contains("assumed role"), "{role}");
    assert!(role.contains("the role's own permissions apply"), "{role}");
    // The current prefix was reloaded with the new credentials, back to the same key.
    let reloaded = tmux.wait_until("the reload to reach the selected key", T, |s| {
        s.contains("all 2,500 keys loaded") && s.contains("item-02499.json")
    });
    assert!(reloaded.contains("s3://sts3-demo/big/"), "{reloaded}");

    tmux.quit();
}

#[test]
fn aws_expired_token_is_shown_inline_then_recovered() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    // The first token is genuine but already expired; the refresh it triggers is slow, so the
    // error stays on screen long enough to read.
    proxy.set(|f| {
        f.sts_script.push_back(StsStep::ExpireToken);
        f.sts_script
            .push_back(StsStep::Delay(Duration::from_secs(4)));
    });
    let tmux = start(&proxy.url, 100, 30);
    let err = tmux.wait_for("ExpiredToken: The provided token has expired.", T);
    assert!(
        err.contains("refreshing credentials, then retrying this page"),
        "{err}"
    );
    let ok = tmux.wait_for("all 3 keys loaded, 7 folders", T);
    assert!(!ok.contains("ExpiredToken: The provided token"), "{ok}");
    // The recovery is said for a few seconds (it is quick enough to go unseen otherwise).
    assert!(
        ok.contains("recovered: ExpiredToken → new credentials → page retried"),
        "{ok}"
    );
    assert!(ok.contains("README.md"));
    let log = proxy.log();
    assert!(
        log.iter()
            .any(|l| l.contains("-> 400 Bad Request (was 403 Forbidden)")),
        "{log:?}"
    );
    tmux.quit();
}

#[test]
fn rejection_after_countdown_reached_zero_is_shown_and_recovered() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    // SeaweedFS's own answer (403 InvalidAccessKeyId), not AWS's: no translation.
    proxy.set(|f| {
        f.aws_token_errors = false;
        f.sts_script
            .push_back(StsStep::ShortLived(Duration::from_secs(12)));
    });
    let tmux = start(&proxy.url, 100, 30);
    tmux.wait_for("all 3 keys loaded, 7 folders", T);
    // From now on STS is unreachable: the planned refresh fails and the session runs out.
    proxy.set(|f| f.sts_down = true);
    let expired = tmux.wait_for("EXPIRED", Duration::from_secs(30));
    assert!(
        expired.contains("README.md"),
        "the listing stays on screen:\n{expired}"
    );
    tmux.keys(&["C-r"]);
    let err = tmux.wait_for("InvalidAccessKeyId", T);
    assert!(
        err.contains("README.md"),
        "a failed reload keeps the listing:\n{err}"
    );
    // Just after a failed automatic retry, STS is back: r refreshes now (not the next
    // automatic retry, planned seconds later) and the failed page is retried. The retry is
    // at least 6 s away (the second one, 10 s after the first), and nothing is being issued
    // when r is pressed: a loaded fresh-clone run once recovered only at the retry.
    let retry_at = planned_retry_at_least(&tmux, chrono::TimeDelta::seconds(6));
    proxy.set(|f| f.sts_down = false);
    tmux.keys(&["r"]);
    let ok = tmux.wait_until("recovery", T, |s| {
        s.contains("all 3 keys loaded")
            && !s.contains("InvalidAccessKeyId")
            && !s.contains("EXPIRED")
    });
    let recovered_at = chrono::Local::now().naive_local().time();
    assert!(
        recovered_at < retry_at,
        "recovered at {recovered_at}, before the automatic retry at {retry_at}: r did it"
    );
    assert!(ok.contains("00:14:"), "a fresh 15-minute session:\n{ok}");
    tmux.quit();
}

/// The session pane's planned retry (`retry HH:MM:SS`), waiting until it is at least `margin`
/// away, so a recovery before it cannot be the automatic retry's.
fn planned_retry_at_least(
    tmux: &common::tmux::Tmux,
    margin: chrono::TimeDelta,
) -> chrono::NaiveTime {
    let deadline = sts3::clock::instant() + T;
    loop {
        let screen = tmux.screen();
        let retry = screen.lines().find_map(|l| {
            let at = l.split("retry ").nth(1)?.get(..8)?;
            chrono::NaiveTime::parse_from_str(at, "%H:%M:%S").ok()
        });
        let now = chrono::Local::now().naive_local().time();
        // And nothing on its way: r is ignored while credentials are being issued (a page
        // failing after C-r may have set that off), and the hint says so.
        if let Some(at) = retry
            && at - now >= margin
            && screen.contains("r: refresh credentials")
        {
            return at;
        }
        assert!(
            sts3::clock::instant() < deadline,
            "no retry planned far enough:\n{screen}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
