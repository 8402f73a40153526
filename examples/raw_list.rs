//! The plain AWS SDK for Rust listing a bucket, for `scripts/bench --peers` to hold
//! `sts3 list` against: GetFederationToken with the same policy sts3 attaches, then the SDK's
//! ListObjectsV2 paginator, printing `key => etag` lines as `sts3 list` does.
//!
//! Usage: raw_list ENDPOINT REGION BUCKET (base credentials from AWS_ACCESS_KEY_ID and
//! AWS_SECRET_ACCESS_KEY).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use aws_config::BehaviorVersion;
use std::io::{BufWriter, Write};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(endpoint), Some(region), Some(bucket)) = (args.next(), args.next(), args.next())
    else {
        eprintln!("usage: raw_list ENDPOINT REGION BUCKET");
        std::process::exit(2);
    };
    let base = aws_config::defaults(BehaviorVersion::latest())
        .region(aws_config::Region::new(region))
        .endpoint_url(&endpoint)
        .load()
        .await;
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::{bucket}"}},{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{bucket}/*"}}]}}"#
    );
    let issued = aws_sdk_sts::Client::new(&base)
        .get_federation_token()
        .name("alice")
        .policy(policy)
        .duration_seconds(3600)
        .send()
        .await
        .expect("GetFederationToken");
    let c = issued.credentials().expect("credentials");
    let creds = aws_credential_types::Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        None,
        "raw_list",
    );
    let config = aws_sdk_s3::config::Builder::from(&base)
        .credentials_provider(creds)
        .force_path_style(true)
        .build();
    let client = aws_sdk_s3::Client::from_conf(config);
    let mut pages = client
        .list_objects_v2()
        .bucket(&bucket)
        .into_paginator()
        .send();
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut count = 0u64;
    while let Some(page) = pages.next().await {
        let page = page.expect("ListObjectsV2");
        for o in page.contents() {
            writeln!(
                out,
                "{} => {}",
                o.key().unwrap_or_default(),
                o.e_tag().unwrap_or_default()
            )
            .unwrap();
            count += 1;
        }
    }
    writeln!(out, "No. of Objects = {count}").unwrap();
    out.flush().unwrap();
}
