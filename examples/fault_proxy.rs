//! The test suite's fault proxy (tests/common/proxy.rs) as a small program, for
//! `scripts/demo --expired`: the first session token STS issues through it is genuinely
//! expired (re-signed with the service's key), and the refresh that follows is slowed down a
//! little, so the inline `ExpiredToken` error and the recovery can be watched.
//!
//! With `--latency-ms N` it injects nothing but adds N ms to every request, as a far-away
//! region's round trip would (`scripts/bench` measures `sts3 list --parallel` behind it).
//! `--stream` before it passes S3's answers on as their bytes come, as a link does, instead of
//! whole once all are in (`scripts/bench --get`: a 64 MiB part held back until its last byte
//! is not what a far-away link does).
//!
//! With `--short-lived-secs N` every session STS issues through it lives N seconds (token and
//! `Expiration`), so `scripts/bench --serve` can watch `sts3 exec` refresh under load.
//!
//! Usage: fault_proxy [--stream] [--latency-ms N | --short-lived-secs N] UPSTREAM_URL SIGNING_KEY_BASE64
//! — prints `URL=...` and runs until killed.
#![allow(clippy::expect_used, dead_code)]

#[path = "../tests/common/canned.rs"]
mod canned;
#[path = "../tests/common/proxy.rs"]
mod proxy;

use proxy::{FaultProxy, StsStep};
use std::io::Write;
use std::time::Duration;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let stream = args.first().is_some_and(|a| a == "--stream");
    if stream {
        args.remove(0);
    }
    let mut latency = None;
    let mut short_lived = None;
    let flag = args.first().cloned();
    if let Some(flag @ ("--latency-ms" | "--short-lived-secs")) = flag.as_deref() {
        let n = args.get(1).and_then(|n| n.parse::<u64>().ok());
        let Some(n) = n else {
            eprintln!("fault_proxy: {flag} needs a number");
            std::process::exit(2);
        };
        if flag == "--latency-ms" {
            latency = Some(Duration::from_millis(n));
        } else {
            short_lived = Some(Duration::from_secs(n));
        }
        args.drain(..2);
    }
    let [upstream, key] = args.as_slice() else {
        eprintln!(
            "usage: fault_proxy [--stream] [--latency-ms N | --short-lived-secs N] UPSTREAM_URL SIGNING_KEY_BASE64"
        );
        std::process::exit(2);
    };
    let proxy = FaultProxy::start(upstream, key);
    proxy.set(|f| {
        if let Some(latency) = latency {
            f.latency = latency;
            f.stream_through = stream;
        } else if let Some(life) = short_lived {
            for _ in 0..10_000 {
                f.sts_script.push_back(StsStep::ShortLived(life));
            }
        } else {
            f.sts_script.push_back(StsStep::ExpireToken);
            f.sts_script
                .push_back(StsStep::Delay(Duration::from_secs(4)));
        }
    });
    println!("URL={}", proxy.url);
    std::io::stdout().flush().expect("stdout");
    loop {
        std::thread::park(); // until killed
    }
}
