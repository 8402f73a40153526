//! The test suite's fault proxy (tests/common/proxy.rs) as a small program, for
//! `scripts/demo --expired`: the first session token STS issues through it is genuinely
//! expired (re-signed with the service's key), and the refresh that follows is slowed down a
//! little, so the inline `ExpiredToken` error and the recovery can be watched.
//!
//! Usage: fault_proxy UPSTREAM_URL SIGNING_KEY_BASE64 — prints `URL=...` and runs until killed.
#![allow(clippy::expect_used, dead_code)]

#[path = "../tests/common/canned.rs"]
mod canned;
#[path = "../tests/common/proxy.rs"]
mod proxy;

use proxy::{FaultProxy, StsStep};
use std::io::Write;
use std::time::Duration;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(upstream), Some(key)) = (args.next(), args.next()) else {
        eprintln!("usage: fault_proxy UPSTREAM_URL SIGNING_KEY_BASE64");
        std::process::exit(2);
    };
    let proxy = FaultProxy::start(&upstream, &key);
    proxy.set(|f| {
        f.sts_script.push_back(StsStep::ExpireToken);
        f.sts_script
            .push_back(StsStep::Delay(Duration::from_secs(4)));
    });
    println!("URL={}", proxy.url);
    std::io::stdout().flush().expect("stdout");
    loop {
        std::thread::park(); // until killed
    }
}
