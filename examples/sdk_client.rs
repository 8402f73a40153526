//! A Rust AWS SDK program as `sts3 exec`'s command, for `tests/exec.rs`: with nothing but the
//! SDK's default chain (which finds the served session on the endpoint), it lists the bucket
//! `sdk_client BUCKET SECONDS` four times a second for that long and prints, as JSON, how many
//! calls worked, how many failed (and the first failure), and how many distinct sets it used.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::disallowed_methods)]

use aws_config::BehaviorVersion;
use aws_credential_types::provider::ProvideCredentials;
use std::collections::HashSet;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bucket = &args[0];
    let secs: f64 = args[1].parse().expect("SECONDS");
    let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    );
    let provider = config
        .credentials_provider()
        .expect("a credentials provider");
    let (mut ok, mut failed, mut first_failure) = (0u32, 0u32, None);
    let mut keys = HashSet::new();
    let end = Instant::now() + Duration::from_secs_f64(secs);
    while Instant::now() < end {
        match s3.list_objects_v2().bucket(bucket).max_keys(1).send().await {
            Ok(_) => ok += 1,
            Err(e) => {
                failed += 1;
                first_failure.get_or_insert_with(|| format!("{e:?}"));
            }
        }
        if let Ok(c) = provider.provide_credentials().await {
            keys.insert(c.access_key_id().to_string());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    println!(
        "{}",
        serde_json::json!({"ok": ok, "failed": failed, "first_failure": first_failure, "sets": keys.len()})
    );
}
