//! The fault suite: `sts3 list` and the TUI through the fault proxy in front of the real local
//! service. Loopback only; every wait is bounded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, S3Step};
use common::service;
use common::tmux::Tmux;
use std::process::Output;
use std::time::Duration;

const T: Duration = Duration::from_secs(25);
const STS_CALL: &str = "POST / ->";
const LIST_CALL: &str = "list-type=2";

fn proxy() -> FaultProxy {
    let s = service();
    FaultProxy::start(&s.endpoint, &s.signing_key)
}

fn list(proxy: &FaultProxy, extra: &[&str]) -> Output {
    common::list_command(&proxy.url)
        .args(extra)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn tui(proxy: &FaultProxy) -> Tmux {
    common::start_tui(&proxy.url, &[], &[], 110, 32)
}

/// The server's time has whole seconds, so the reported skew is good to a second.
fn assert_skew_near(text: &str, expected_secs: i64) {
    let flat = text.replace(['\n', '┃'], "");
    let at = flat.find("clock is ").expect("a skew figure") + "clock is ".len();
    let figure: String = flat[at..].chars().take_while(|c| *c != ' ').collect();
    let (m, s) = figure.trim_end_matches('s').split_once('m').expect("XmYYs");
    let secs = m.parse::<i64>().unwrap() * 60 + s.parse::<i64>().unwrap();
    assert!(
        (secs - expected_secs).abs() <= 1,
        "reported {figure}, expected about {expected_secs}s"
    );
}

// ---------- sts3 list ----------

#[test]
fn list_rides_out_throttling_and_server_errors() {
    let p = proxy();
    p.set(|f| {
        f.s3_script
            .extend([S3Step::SLOW_DOWN, S3Step::INTERNAL_ERROR]);
    });
    let out = list(&p, &["--prefix", "reports/"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("No. of Objects = 4\n"));
    assert_eq!(p.count("injected 503"), 1);
    assert_eq!(p.count("injected 500"), 1);
    assert_eq!(p.count(LIST_CALL), 3, "two retried attempts, then success");
}

#[test]
fn list_gives_up_after_the_sdks_bounded_retries() {
    let p = proxy();
    p.set(|f| {
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::SLOW_DOWN, 10));
    });
    let out = list(&p, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "Caught exception accessing bucket sts3-demo: SlowDown: Please reduce your request rate.\n"
    );
    assert_eq!(
        p.count(LIST_CALL),
        3,
        "standard retry mode: 3 attempts, no more"
    );
}

#[test]
fn list_refreshes_once_on_expired_token_and_never_loops() {
    let p = proxy();
    p.set(|f| f.s3_script.push_back(S3Step::EXPIRED_TOKEN));
    let out = list(&p, &["--prefix", "reports/"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(
        "ExpiredToken: The provided token has expired; issuing new credentials and retrying"
    ));
    assert_eq!(p.count(STS_CALL), 2, "one refresh");

    let p = proxy();
    p.set(|f| {
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::EXPIRED_TOKEN, 10));
    });
    let out = list(&p, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).ends_with("Caught exception accessing bucket sts3-demo: ExpiredToken: The provided token has expired.\n"));
    assert_eq!(p.count(STS_CALL), 2, "one refresh, then it stops");
    assert_eq!(p.count(LIST_CALL), 2, "one retry, then it stops");
}

/// The keys a listing printed, in order.
fn keys_of(out: &Output) -> Vec<String> {
    text(&out.stdout)
        .lines()
        .filter(|l| l.contains(" => "))
        .map(str::to_string)
        .collect()
}

#[test]
fn parallel_listing_refreshes_once_when_several_folders_expire_together() {
    let serial = list(&proxy(), &[]);
    assert!(serial.status.success(), "{}", text(&serial.stderr));

    // The folder level passes; the first three folders listed side by side are all told
    // their token expired. One refresh serves them all, and nothing is lost or doubled.
    let p = proxy();
    p.set(|f| {
        f.s3_script.push_back(S3Step::Pass);
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::EXPIRED_TOKEN, 3));
    });
    let out = list(&p, &["--parallel", "4"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(keys_of(&out), keys_of(&serial), "same keys, same order");
    assert_eq!(p.count("injected 400"), 3);
    assert_eq!(p.count(STS_CALL), 2, "one refresh for all three folders");

    // A token that stays refused: one refresh, then the listing stops with the code.
    let p = proxy();
    p.set(|f| {
        f.s3_script.push_back(S3Step::Pass);
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::EXPIRED_TOKEN, 40));
    });
    let out = list(&p, &["--parallel", "4"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).ends_with(
        "Caught exception accessing bucket sts3-demo: ExpiredToken: The provided token has expired.\n"
    ));
    assert_eq!(p.count(STS_CALL), 2, "one refresh, then it stops");
    assert!(
        p.count(LIST_CALL) <= 1 + 4 + 4,
        "the level, the first round of folders, their retries: {}",
        p.count(LIST_CALL)
    );
}

#[test]
fn list_survives_a_connection_cut_mid_body() {
    let p = proxy();
    p.set(|f| f.s3_script.push_back(S3Step::CutMidBody));
    let out = list(&p, &["--prefix", "big/", "--page-size", "1000"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.ends_with("No. of Objects = 2500\n"), "{stdout}");
    assert_eq!(p.count("cut mid-body"), 1);
    let keys: Vec<&str> = stdout.lines().filter(|l| l.contains(" => ")).collect();
    let mut dedup = keys.clone();
    dedup.dedup();
    assert_eq!(keys.len(), dedup.len(), "no key twice after the retry");
}

#[test]
fn list_waits_out_a_slow_answer() {
    let p = proxy();
    p.set(|f| f.s3_script.push_back(S3Step::Delay(Duration::from_secs(2))));
    let out = list(&p, &["--prefix", "reports/"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("No. of Objects = 4\n"));
}

#[test]
fn list_reports_clock_skew_with_the_measured_offset() {
    let p = proxy();
    let twenty_min = chrono::TimeDelta::minutes(20);
    p.set(|f| {
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::Skewed(twenty_min), 10));
    });
    let out = list(&p, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("Caught exception accessing bucket sts3-demo: RequestTimeTooSkewed: this computer's clock is "),
        "{err}"
    );
    assert_skew_near(&err, 20 * 60);
    assert!(err.contains("behind the server's"), "{err}");
    assert!(
        err.trim_end()
            .ends_with("fix the system clock (enable NTP)"),
        "{err}"
    );
}

#[test]
fn list_against_a_stopped_service_says_so() {
    let p = proxy();
    p.set(|f| f.down = true);
    let out = list(&p, &[]);
    assert_eq!(out.status.code(), Some(1));
    // The reset lands either as the OS's error or, when it comes before the client sent its
    // request on the fresh connection, as hyper's: both name the endpoint and the way out.
    let said = |cause: &str| {
        format!(
            "Caught exception issuing federated credentials: Network: cannot reach STS at {}: {cause}; check the endpoint, region and network\n",
            p.url
        )
    };
    let stderr = text(&out.stderr);
    assert!(
        stderr == said("Connection reset by peer (os error 104)")
            || stderr == said("connection was not ready"),
        "{stderr}"
    );
}

// ---------- the TUI ----------

/// The list requests in the proxy's log.
fn list_requests(p: &FaultProxy) -> Vec<String> {
    p.log()
        .into_iter()
        .filter(|l| l.contains(LIST_CALL))
        .collect()
}

/// The TUI in `big/` (2,500 keys) with pages of 200: the first page on screen.
fn tui_in_big(p: &FaultProxy) -> Tmux {
    let tmux = common::start_tui(&p.url, &["--page-size", "200"], &[], 110, 32);
    tmux.wait_for("all 3 keys loaded, 7 folders", T);
    tmux.keys(&["Enter"]); // big/
    tmux.wait_for("200 keys loaded · more available", T);
    tmux
}

#[test]
fn tui_g_lists_a_flat_folder_over_several_chains_each_key_once() {
    let p = proxy();
    let tmux = tui_in_big(&p);
    let before = list_requests(&p).len();
    // A far-away round trip, so chains overlap.
    p.set(|f| f.latency = Duration::from_millis(30));
    tmux.keys(&["G"]);
    // Each key once: a key listed twice would count twice.
    let end = tmux.wait_for("all 2,500 keys loaded", T);
    assert!(end.contains("item-02499.json"), "on the last key:\n{end}");
    let walk: Vec<String> = list_requests(&p).split_off(before);
    let cut = walk
        .iter()
        .filter(|l| l.contains("start-after=big%2F"))
        .count();
    assert!(cut >= 3, "ranges cut at guessed keys: {walk:#?}");
    assert!(
        walk.len() <= 12 + 2 * 8,
        "12 pages and a few empty guesses, not {}: {walk:#?}",
        walk.len()
    );
    tmux.quit();
}

#[test]
fn tui_an_expired_token_mid_walk_refreshes_and_the_walk_goes_on_after_the_last_key() {
    let p = proxy();
    let tmux = tui_in_big(&p);
    // The walk's second page from the head (after its first, item-00200 to item-00399) is
    // told its token expired. Requests go out several at once, in no set order, so the fault
    // is aimed by the request's query, not its place in line; a guessed range's failure
    // after the end could be no longer waited for.
    p.set(|f| {
        f.latency = Duration::from_millis(20);
        f.s3_once.push((
            "continuation-token=big%2Fitem-00399.json".into(),
            S3Step::EXPIRED_TOKEN,
        ));
    });
    tmux.keys(&["G"]);
    tmux.wait_for(
        "recovered: ExpiredToken → new credentials → page retried",
        T,
    );
    let resumed = list_requests(&p)
        .into_iter()
        .filter(|l| l.contains("start-after=big%2Fitem-00399.json"))
        .count();
    assert!(resumed >= 1, "goes on after the last key: {:#?}", p.log());
    tmux.keys(&["G"]);
    let end = tmux.wait_for("all 2,500 keys loaded", T);
    assert!(end.contains("item-02499.json"), "{end}");
    assert_eq!(p.count(STS_CALL), 2, "one refresh: {:#?}", p.log());
    tmux.quit();
}

#[test]
fn tui_failure_mid_listing_keeps_loaded_pages_and_resumes_from_its_token() {
    let p = proxy();
    let tmux = tui(&p);
    tmux.wait_for("all 3 keys loaded, 7 folders", T);
    tmux.keys(&["Enter"]); // big/
    tmux.wait_for("1,000 keys loaded · more available", T);
    // The next page fails every attempt the SDK makes.
    p.set(|f| {
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::INTERNAL_ERROR, 3));
    });
    tmux.keys(&["G"]);
    let err = tmux.wait_for("InternalError: We encountered an internal error.", T);
    assert!(
        err.contains("1,000 keys loaded"),
        "loaded pages kept:\n{err}"
    );
    assert!(err.contains("retrying in "), "{err}");
    // It retries by itself and goes on from where it failed.
    tmux.wait_for("2,000 keys loaded", T);
    let resumed = p
        .log()
        .into_iter()
        .filter(|l| l.contains("continuation-token=big%2Fitem-00999.json"))
        .count();
    assert!(
        resumed >= 4,
        "3 failed attempts and the retry used the same token: {:?}",
        p.log()
    );
    tmux.keys(&["G"]);
    tmux.wait_until("the end", T, |s| {
        let done = s.contains("all 2,500 keys loaded") && s.contains("item-02499.json");
        if !done {
            tmux.keys(&["G"]);
        }
        done
    });
    tmux.quit();
}

#[test]
fn tui_shows_an_outage_and_recovers_without_a_restart() {
    let p = proxy();
    let tmux = tui(&p);
    tmux.wait_for("all 3 keys loaded, 7 folders", T);
    p.set(|f| f.down = true);
    tmux.keys(&["C-r"]);
    let down = tmux.wait_for("Connection reset by peer", T);
    assert!(down.contains("README.md"), "the listing stays:\n{down}");
    assert!(down.contains("retrying in "), "{down}");
    p.set(|f| f.down = false);
    let up = tmux.wait_until("recovery", Duration::from_secs(40), |s| {
        s.contains("all 3 keys loaded") && !s.contains("Connection reset")
    });
    assert!(up.contains("README.md"));
    tmux.quit();
}

#[test]
fn tui_keeps_taking_keys_and_counting_down_while_a_request_hangs() {
    let p = proxy();
    let tmux = tui(&p);
    tmux.wait_for("all 3 keys loaded, 7 folders", T);
    p.set(|f| {
        f.s3_script
            .push_back(S3Step::Delay(Duration::from_secs(10)));
    });
    tmux.keys(&["C-r"]);
    let loading = tmux.wait_for("loading page 1", T);
    let before = loading
        .lines()
        .find(|l| l.contains("Left "))
        .unwrap()
        .to_string();
    tmux.keys(&["?"]);
    let help = tmux.wait_for("show or hide this help", Duration::from_secs(3));
    assert!(help.contains("loading page 1"), "still loading:\n{help}");
    tmux.keys(&["Escape"]);
    // The countdown moves while the request hangs (10 s, far longer than this wait).
    let later = tmux.wait_until("the countdown to move", Duration::from_secs(5), |s| {
        s.lines()
            .find(|l| l.contains("Left "))
            .is_some_and(|l| l != before)
    });
    assert!(later.contains("loading page 1"), "{later}");
    tmux.wait_until("the slow page", T, |s| {
        s.contains("all 3 keys loaded") && !s.contains("loading")
    });
    tmux.quit();
}

#[test]
fn tui_expired_token_refreshes_once_and_never_loops() {
    let p = proxy();
    p.set(|f| {
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::EXPIRED_TOKEN, 10));
    });
    let tmux = tui(&p);
    let screen = tmux.wait_for("r: refresh credentials", T);
    assert!(
        screen.contains("ExpiredToken: The provided token has expired."),
        "{screen}"
    );
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        p.count(STS_CALL),
        2,
        "the first issue and one refresh: {:?}",
        p.log()
    );
    assert_eq!(
        p.count(LIST_CALL),
        2,
        "the first try and one retry: {:?}",
        p.log()
    );
    // The manual way out works once the service answers normally again.
    p.set(|f| f.s3_script.clear());
    tmux.keys(&["r"]);
    tmux.wait_until("recovery", T, |s| {
        s.contains("all 3 keys loaded") && !s.contains("ExpiredToken")
    });
    tmux.quit();
}

#[test]
fn tui_shows_throttling_as_a_passing_notice() {
    let p = proxy();
    p.set(|f| {
        f.s3_script
            .extend([S3Step::SLOW_DOWN, S3Step::Delay(Duration::from_secs(2))]);
    });
    let tmux = tui(&p);
    let notice = tmux.wait_for("S3 is throttling (HTTP 503); retrying…", T);
    assert!(
        !notice.contains("✗"),
        "no error: the retry is still under way"
    );
    let done = tmux.wait_for("all 3 keys loaded, 7 folders", T);
    assert!(!done.contains("✗"));
    tmux.quit();
}

#[test]
fn tui_reports_clock_skew_inline() {
    let p = proxy();
    p.set(|f| {
        f.s3_script.extend(std::iter::repeat_n(
            S3Step::Skewed(chrono::TimeDelta::minutes(-30)),
            3,
        ));
    });
    let tmux = tui(&p);
    let screen = tmux.wait_for("RequestTimeTooSkewed", T);
    assert_skew_near(&screen, 30 * 60);
    assert!(screen.contains("ahead of the server"), "{screen}");
    tmux.quit();
}

#[test]
fn tui_invalid_token_is_shown_with_its_code() {
    let p = proxy();
    p.set(|f| {
        f.s3_script
            .extend(std::iter::repeat_n(S3Step::INVALID_TOKEN, 2));
    });
    let tmux = tui(&p);
    let screen = tmux.wait_for("r: refresh credentials", T);
    assert!(
        screen.contains("InvalidToken: The provided token is malformed or otherwise invalid."),
        "{screen}"
    );
    assert_eq!(p.count(STS_CALL), 2, "one automatic refresh");
    tmux.quit();
}

#[test]
fn tui_access_denied_is_shown_without_refreshing() {
    let p = proxy();
    p.set(|f| f.s3_script.push_back(S3Step::ACCESS_DENIED));
    let tmux = tui(&p);
    let screen = tmux.wait_for("AccessDenied: Access Denied", T);
    assert!(screen.contains("C-r: retry"), "{screen}");
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        p.count(STS_CALL),
        1,
        "permissions are not fixed by new credentials"
    );
    tmux.keys(&["C-r"]);
    tmux.wait_until("retry", T, |s| {
        s.contains("all 3 keys loaded") && !s.contains("AccessDenied")
    });
    tmux.quit();
}

/// `sts3 list` asks for the next page before it writes the one it has, so the round trip
/// overlaps the output. Seen without a clock: nobody reads its stdout, so writing the first
/// page (1,000 JSON lines, more than a pipe holds) blocks — and by then the second page has
/// been asked for, and no third.
#[test]
fn the_next_page_is_asked_for_before_this_one_is_written() {
    use std::io::Read as _;
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let mut child = common::list_command(&proxy.url)
        .args(["--prefix", "big/", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = sts3::clock::instant() + T;
    while proxy.count(LIST_CALL) < 2 {
        assert!(
            sts3::clock::instant() < deadline,
            "the second page was not asked for while the first was being written: {:?}",
            proxy.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        proxy.count(LIST_CALL),
        2,
        "one page ahead, no more: {:?}",
        proxy.log()
    );
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(
        out.lines().filter(|l| l.contains("\"key\":\"big/")).count(),
        2500
    );
    assert_eq!(proxy.count(LIST_CALL), 3);
}

/// With `--limit` inside the first page, no page beyond it is asked for.
#[test]
fn no_page_is_asked_for_beyond_the_limit() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let out = common::list_command(&proxy.url)
        .args(["--prefix", "big/", "--limit", "1000"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(proxy.count(LIST_CALL), 1, "{:?}", proxy.log());
}
