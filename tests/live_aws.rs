//! The AWS layer against the real local S3+STS service (SeaweedFS; moto for GetSessionToken).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::TimeDelta;
use common::canned::{CannedServer, S3_EXPIRED_TOKEN, S3_INVALID_TOKEN};
use common::{base_config, service, sorted};
use sts3::aws::Clients;
use sts3::bucket::{ListPage, PageRequest};
use sts3::credentials::{CredentialRequest, Mode};
use sts3::failure::ErrorKind;
use sts3::policy::{Policy, SessionPolicy};

fn federated(policy: SessionPolicy, secs: u32) -> CredentialRequest {
    CredentialRequest::Federated {
        name: "alice".into(),
        policy,
        duration_secs: secs,
    }
}

fn page(
    bucket: &str,
    prefix: &str,
    token: Option<String>,
    max_keys: i32,
    folders: bool,
) -> PageRequest {
    PageRequest {
        bucket: bucket.into(),
        prefix: prefix.into(),
        continuation_token: token,
        token_after: None,
        start_after: None,
        max_keys,
        folders,
    }
}

async fn federated_clients(policy: SessionPolicy) -> Clients {
    let s = service();
    let clients = Clients::new(&s.config().await, true);
    let issued = clients
        .sts
        .issue(&federated(policy, 900), sts3::clock::now())
        .await
        .unwrap();
    clients.slot.install(1, &issued.secret);
    clients
}

#[tokio::test]
async fn list_only_session_policy_denies_get_object() {
    let s = service();
    let list_only = Policy::new()
        .allow(["s3:ListBucket"], [format!("arn:aws:s3:::{}", s.bucket)])
        .build()
        .unwrap();
    let clients = federated_clients(list_only).await;
    let listed = clients
        .s3
        .list_page(&page(&s.bucket, "", None, 5, false))
        .await
        .unwrap();
    assert_eq!(listed.objects.len(), 5, "ListBucket is allowed");
    let err = clients
        .s3
        .first_bytes(&s.bucket, "README.md", None, 64)
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::AccessDenied, "{err}");
    assert_eq!(err.code.as_deref(), Some("AccessDenied"));
    assert_eq!(err.status, Some(403));
    let err = clients
        .s3
        .head(&s.bucket, "README.md", None)
        .await
        .unwrap_err();
    assert_eq!(
        err.code.as_deref(),
        Some("AccessDenied"),
        "HEAD's code, learnt from a one-byte GET: {err}"
    );

    // The default bucket policy allows reading, so the same call succeeds with it.
    let clients = federated_clients(Policy::for_bucket(&s.bucket, true).build().unwrap()).await;
    let (bytes, size) = clients
        .s3
        .first_bytes(&s.bucket, "README.md", None, 64)
        .await
        .unwrap();
    assert_eq!(&bytes[..9], b"README.md");
    assert_eq!(bytes.len(), 64, "no more than asked for");
    assert!(size > 64);
    // HeadObject too, whose refusal has no body to carry the code: sts3 asks again to learn it.
    let detail = clients
        .s3
        .head(&s.bucket, "docs/tagged.csv", None)
        .await
        .unwrap();
    assert_eq!(detail.size, 23);
    assert_eq!(detail.content_type.as_deref(), Some("text/csv"));
    assert_eq!(detail.cache_control.as_deref(), Some("max-age=60"));
    assert_eq!(
        detail.metadata,
        [
            ("owner".to_string(), "alice".to_string()),
            ("team".to_string(), "data-eng".to_string())
        ]
    );
}

#[tokio::test]
async fn federated_mode_issues_and_lists() {
    let s = service();
    let clients = Clients::new(&s.config().await, true);
    let before = sts3::clock::now();
    let issued = clients
        .sts
        .issue(
            &federated(Policy::for_bucket(&s.bucket, true).build().unwrap(), 1800),
            before,
        )
        .await
        .unwrap();
    assert_eq!(issued.info.mode, Mode::Federated);
    assert_eq!(
        issued.info.principal_arn,
        "arn:aws:sts::000000000000:federated-user/alice"
    );
    let lifetime = issued.info.expires_at - before;
    assert!(
        (lifetime - TimeDelta::seconds(1800)).num_seconds().abs() <= 5,
        "expiry is what STS returned for 1800s: {lifetime}"
    );
    assert!(issued.info.access_key_id.starts_with("ASIA"));
    let server_date = issued
        .info
        .server_date
        .expect("STS's Date header is recorded");
    assert!(
        (server_date - before).num_seconds().abs() <= 5,
        "same clock here: {server_date}"
    );
    assert_eq!(issued.secret.expires_at, issued.info.expires_at);
    clients.slot.install(7, &issued.secret);
    assert_eq!(clients.slot.generation(), Some(7));
    let listed = clients
        .s3
        .list_page(&page(&s.bucket, "", None, 1000, true))
        .await
        .unwrap();
    assert!(listed.prefixes.contains(&"big/".to_string()));
}

#[tokio::test]
async fn assumed_role_mode_issues_and_lists() {
    let s = service();
    let clients = Clients::new(&s.config().await, true);
    let request = CredentialRequest::AssumedRole {
        role_arn: s.role_arn.clone(),
        session_name: "assumerole-s3-list".into(),
        policy: None,
        duration_secs: 900,
        external_id: Some("ext-123".into()),
        mfa: None,
    };
    let before = sts3::clock::now();
    let issued = clients.sts.issue(&request, before).await.unwrap();
    assert_eq!(issued.info.mode, Mode::AssumedRole);
    assert_eq!(
        issued.info.principal_arn,
        "arn:aws:sts::000000000000:assumed-role/S3BrowseRole/assumerole-s3-list"
    );
    assert!(
        ((issued.info.expires_at - before) - TimeDelta::seconds(900))
            .num_seconds()
            .abs()
            <= 5
    );
    clients.slot.install(1, &issued.secret);
    let listed = clients
        .s3
        .list_page(&page(&s.bucket, "reports/", None, 1000, false))
        .await
        .unwrap();
    let keys: Vec<_> = listed.objects.iter().map(|o| &*o.key).collect();
    assert_eq!(
        keys,
        [
            "reports/q1/summary.csv",
            "reports/q2/summary.csv",
            "reports/q3/summary.csv",
            "reports/q4/summary.csv"
        ]
    );
}

#[tokio::test]
async fn session_token_mode_issues_and_lists_against_moto() {
    let s = service();
    let clients = Clients::new(&s.moto_config().await, true);
    let request = CredentialRequest::SessionToken {
        duration_secs: 900,
        mfa: None,
    };
    let before = sts3::clock::now();
    let issued = clients.sts.issue(&request, before).await.unwrap();
    assert_eq!(issued.info.mode, Mode::SessionToken);
    // The session carries the caller's own identity.
    assert_eq!(
        issued.info.principal_arn,
        "arn:aws:sts::123456789012:user/moto"
    );
    assert!(
        ((issued.info.expires_at - before) - TimeDelta::seconds(900))
            .num_seconds()
            .abs()
            <= 5
    );
    clients.slot.install(1, &issued.secret);
    let listed = clients
        .s3
        .list_page(&page(&s.bucket, "", None, 1000, false))
        .await
        .unwrap();
    assert_eq!(listed.objects.len(), s.moto_keys);
}

#[tokio::test]
async fn pagination_of_2500_keys_gives_three_pages_each_key_once_in_order() {
    let s = service();
    let clients = federated_clients(Policy::for_bucket(&s.bucket, true).build().unwrap()).await;
    let mut pages: Vec<ListPage> = Vec::new();
    let mut token = None;
    loop {
        let p = clients
            .s3
            .list_page(&page(&s.bucket, "big/", token, 1000, true))
            .await
            .unwrap();
        token = p.next_token.clone();
        pages.push(p);
        if token.is_none() {
            break;
        }
        assert!(pages.len() < 10, "runaway pagination");
    }
    assert_eq!(
        pages.iter().map(|p| p.objects.len()).collect::<Vec<_>>(),
        [1000, 1000, 500]
    );
    let keys: Vec<String> = pages
        .iter()
        .flat_map(|p| p.objects.iter().map(|o| o.key.to_string()))
        .collect();
    let expected: Vec<String> = (0..2500).map(|n| format!("big/item-{n:05}.json")).collect();
    assert_eq!(keys, expected, "every key once, in S3 order");
}

#[tokio::test]
async fn delimiter_listing_gives_folders_and_unicode_keys_round_trip() {
    let s = service();
    let clients = federated_clients(Policy::for_bucket(&s.bucket, true).build().unwrap()).await;
    let root = clients
        .s3
        .list_page(&page(&s.bucket, "", None, 1000, true))
        .await
        .unwrap();
    assert_eq!(
        root.prefixes,
        [
            "big/", "deep/", "docs/", "logs/", "photos/", "reports/", "unicode/"
        ]
    );
    let top: Vec<_> = root.objects.iter().map(|o| &*o.key).collect();
    assert_eq!(top, ["README.md", "index.html", "robots.txt"]);
    assert!(root.next_token.is_none());

    let uni = clients
        .s3
        .list_page(&page(&s.bucket, "unicode/", None, 1000, true))
        .await
        .unwrap();
    assert_eq!(uni.prefixes, ["unicode/Ünïcødé/", "unicode/日本語/"]);
    let keys: Vec<String> = uni.objects.iter().map(|o| o.key.to_string()).collect();
    assert_eq!(
        keys,
        sorted(vec![
            "unicode/naïve café.txt".into(),
            "unicode/emoji 🎉 party.txt".into()
        ])
    );
    let nested = clients
        .s3
        .list_page(&page(&s.bucket, "unicode/日本語/", None, 1000, true))
        .await
        .unwrap();
    assert_eq!(&*nested.objects[0].key, "unicode/日本語/ファイル.txt");
    let spaced = clients
        .s3
        .list_page(&page(&s.bucket, "docs/with space/", None, 1000, true))
        .await
        .unwrap();
    let keys: Vec<_> = spaced.objects.iter().map(|o| &*o.key).collect();
    assert_eq!(
        keys,
        [
            "docs/with space/notes (draft).txt",
            "docs/with space/report final.pdf"
        ]
    );
    let o = &spaced.objects[1];
    assert!(o.size > 0 && o.etag.raw().starts_with('"') && o.last_modified().is_some());
}

#[tokio::test]
async fn keys_with_control_characters_round_trip_exactly() {
    let s = service();
    let clients = federated_clients(Policy::for_bucket(&s.bucket, true).build().unwrap()).await;
    let listed = clients
        .s3
        .list_page(&page(&s.bucket, "deep/ctrl/", None, 1000, true))
        .await
        .unwrap();
    let keys: Vec<&str> = listed.objects.iter().map(|o| &*o.key).collect();
    assert_eq!(
        keys,
        [
            "deep/ctrl/bell\u{7}tab\there.txt",
            "deep/ctrl/esc\u{1b}[31mred +.txt"
        ]
    );
    // The exact key works for GetObject too.
    let (bytes, size) = clients
        .s3
        .first_bytes(&s.bucket, keys[1], None, 8)
        .await
        .unwrap();
    assert_eq!(bytes, b"deep/ctr");
    assert_eq!(
        size, listed.objects[1].size,
        "the whole size, from Content-Range"
    );
}

#[tokio::test]
async fn nonexistent_bucket_maps_to_no_such_bucket() {
    let clients = federated_clients(
        Policy::for_bucket("no-such-bucket-here", true)
            .build()
            .unwrap(),
    )
    .await;
    let err = clients
        .s3
        .list_page(&page("no-such-bucket-here", "", None, 10, true))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NoSuchBucket, "{err}");
    assert_eq!(
        err.to_string(),
        "NoSuchBucket: The specified bucket does not exist"
    );
}

#[tokio::test]
async fn wrong_secret_maps_to_rejected_credentials() {
    let s = service();
    let config = base_config(&s.endpoint, &s.access_key, "not-the-secret").await;
    let clients = Clients::new(&config, true);
    let err = clients
        .sts
        .issue(
            &federated(Policy::for_bucket(&s.bucket, true).build().unwrap(), 900),
            sts3::clock::now(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::CredentialsRejected, "{err}");
    assert_eq!(err.code.as_deref(), Some("SignatureDoesNotMatch"));
    assert!(err.message.contains("signature"), "{err}");
}

#[tokio::test]
async fn unreachable_endpoint_maps_to_network() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = base_config(&format!("http://127.0.0.1:{port}"), "AKIA0000", "secret").await;
    let clients = Clients::new(&config, true);
    let err = clients
        .sts
        .issue(
            &federated(Policy::for_bucket("b-1", true).build().unwrap(), 900),
            sts3::clock::now(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Network, "{err}");
    assert_eq!(
        err.message,
        format!(
            "cannot reach STS at http://127.0.0.1:{port}: Connection refused (os error 111); \
             check the endpoint, region and network"
        )
    );
}

#[tokio::test]
async fn s3_expired_token_body_maps_to_expired_token() {
    // AWS's recorded answer, parsed by the real SDK through the real HTTP stack.
    let server = CannedServer::start(400, S3_EXPIRED_TOKEN).await;
    let clients = federated_clients(Policy::for_bucket("b-1", true).build().unwrap()).await;
    let config = base_config(&server.url, "AKIA0000", "secret").await;
    let s3 = Clients::new(&config, true);
    // Borrow real (valid) credentials so signing succeeds; the canned server answers anyway.
    let s = service();
    let issued = clients
        .sts
        .issue(
            &federated(Policy::for_bucket(&s.bucket, true).build().unwrap(), 900),
            sts3::clock::now(),
        )
        .await
        .unwrap();
    s3.slot.install(1, &issued.secret);
    let err = s3
        .s3
        .list_page(&page("b-1", "", None, 10, true))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ExpiredToken, "{err}");
    assert_eq!(
        err.to_string(),
        "ExpiredToken: The provided token has expired."
    );
    assert_eq!(err.status, Some(400));
    assert!(err.is_credential_rejection());
    assert_eq!(server.hits(), 1, "ExpiredToken is not retried by the SDK");

    let server = CannedServer::start(400, S3_INVALID_TOKEN).await;
    let config = base_config(&server.url, "AKIA0000", "secret").await;
    let s3 = Clients::new(&config, true);
    s3.slot.install(1, &issued.secret);
    let err = s3
        .s3
        .list_page(&page("b-1", "", None, 10, true))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::CredentialsRejected);
    assert_eq!(err.code.as_deref(), Some("InvalidToken"));
}

#[tokio::test]
async fn s3_call_before_any_credentials_is_a_clear_error() {
    let s = service();
    let clients = Clients::new(&s.config().await, true);
    let err = clients
        .s3
        .list_page(&page(&s.bucket, "", None, 10, true))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NoCredentials, "{err}");
}
