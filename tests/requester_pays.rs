//! Requester pays, through the fault proxy acting as such a bucket in front of the real
//! service (neither local service enforces it; S3 answers 403 `AccessDenied` to a request that
//! does not agree to pay): a refusal the session policy does not explain says how to agree;
//! `--requester-pays` and `requester_pays = "always"` send every read with
//! `x-amz-request-payer: requester`, and it goes through; "never" says nothing of it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::FaultProxy;
use common::service;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const HINT: &str = "if the bucket is requester pays, --requester-pays (or requester_pays = \"always\") agrees to pay for the requests";

#[test]
fn a_requester_pays_bucket_is_read_once_the_requests_agree_to_pay() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    proxy.set(|f| f.requester_pays = true);
    // Not agreed: refused, and the way on said.
    let out = common::list_command(&proxy.url)
        .args(["--prefix", "docs/", "--limit", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!("AccessDenied: Access Denied; {HINT}")),
        "{}",
        text(&out.stderr)
    );
    let out = common::command(&proxy.url, "get")
        .args(["docs/notes.txt", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(HINT), "{}", text(&out.stderr));
    // Agreed: the listing and the object come, every S3 request saying so.
    let before = proxy.log().len();
    let out = common::list_command(&proxy.url)
        .args(["--prefix", "docs/", "--limit", "1", "--requester-pays"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = common::command(&proxy.url, "get")
        .args(["docs/notes.txt", "-o", "-", "--requester-pays"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!out.stdout.is_empty());
    let s3: Vec<String> = proxy.log()[before..]
        .iter()
        .filter(|l| l.starts_with("GET") || l.starts_with("HEAD"))
        .cloned()
        .collect();
    assert!(!s3.is_empty());
    assert!(
        s3.iter()
            .all(|l| l.contains("x-amz-request-payer=requester")),
        "{s3:?}"
    );
    // The config file says the same; "never" says nothing of it.
    let dir = tempfile::tempdir().unwrap();
    for (value, ok) in [("always", true), ("never", false)] {
        let config = dir.path().join(format!("{value}.toml"));
        std::fs::write(&config, format!("requester_pays = \"{value}\"\n")).unwrap();
        let out = common::list_command(&proxy.url)
            .args(["--prefix", "docs/", "--limit", "1", "--config"])
            .arg(&config)
            .output()
            .unwrap();
        assert_eq!(out.status.success(), ok, "{value}: {}", text(&out.stderr));
        assert!(!text(&out.stderr).contains(HINT), "{value}");
    }
}

#[test]
fn in_the_tui_dollar_agrees_to_pay_and_the_listing_comes() {
    use std::time::Duration;
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    proxy.set(|f| f.requester_pays = true);
    let tui = common::start_tui(&proxy.url, &[], &[], 120, 40);
    let screen = tui.wait_for("requester pays? $: agree to pay", Duration::from_secs(20));
    assert!(screen.contains("AccessDenied"), "{screen}");
    tui.keys(&["$"]);
    let screen = tui.wait_for("docs/", Duration::from_secs(20));
    assert!(
        screen.contains("Charged   reads charged to you (requester pays)"),
        "{screen}"
    );
    let listed: Vec<String> = proxy
        .log()
        .into_iter()
        .filter(|l| l.starts_with("GET") && l.contains("list-type=2"))
        .collect();
    assert!(
        listed
            .last()
            .is_some_and(|l| l.contains("x-amz-request-payer=requester")),
        "{listed:?}"
    );
    tui.quit();
}
