//! A bucket in another region, in the real TUI through the fault proxy in front of the local
//! service: S3 answers `301 PermanentRedirect` with `x-amz-bucket-region`; sts3 sends S3
//! requests to that region from then on (the retry is signed for it, seen at the proxy), lists
//! the bucket, and says so in the status bar and the history. The region picker (`ctrl-g`)
//! then changes the region STS and S3 are called in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, S3Step};
use common::service;
use std::time::Duration;

const T: Duration = Duration::from_secs(20);

#[test]
fn a_redirect_to_another_region_is_followed_and_said() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    proxy.set(|f| f.s3_script.push_back(S3Step::Redirect("eu-central-1")));
    let tmux = common::start_tui(&proxy.url, &[], &[], 120, 40);
    let screen = tmux.wait_for("all 3 keys loaded, 7 folders", T);
    assert!(
        screen.contains("bucket sts3-demo is in eu-central-1; switched"),
        "{screen}"
    );
    let regions = proxy.s3_signing_regions();
    assert_eq!(regions[0], s.region, "the first request: the base region");
    assert_eq!(regions[1], "eu-central-1", "the retry: the bucket's region");
    assert!(
        proxy
            .log()
            .iter()
            .any(|l| l.contains("injected 301 to eu-central-1")),
        "{:?}",
        proxy.log()
    );
    tmux.keys(&["L"]);
    let screen = tmux.wait_for("Session history", T);
    assert!(
        screen.contains("bucket sts3-demo is in eu-central-1; switched"),
        "{screen}"
    );
    tmux.keys(&["Escape"]);
    // The region picker: STS and S3 in another region, re-issued and listed again.
    tmux.keys(&["C-g"]);
    tmux.wait_for("Regions", T);
    for c in "ap-northeast-3".chars() {
        tmux.keys(&[&c.to_string()]);
    }
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until("re-issued in the new region", T, |s| {
        s.contains("re-issued for the new target") && s.contains("all 3 keys loaded, 7 folders")
    });
    assert!(!screen.contains("Regions"), "{screen}");
    let last = proxy.s3_signing_regions().last().cloned().unwrap();
    assert_eq!(last, "ap-northeast-3");
    tmux.quit();
}
