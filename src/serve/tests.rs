//! The endpoint over a real loopback socket, with a raw client: the token, the method, the
//! refresh a client waits for, and clients that send too much or too slowly.

use super::*;
use crate::credentials::Secret;
use chrono::TimeZone;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN: &str = "0123456789abcdef";

fn creds(key: &str) -> Arc<SecretCredentials> {
    Arc::new(SecretCredentials {
        access_key_id: key.into(),
        secret_access_key: Secret::new("secret"),
        session_token: Secret::new("token"),
        expires_at: chrono::Utc.with_ymd_and_hms(2026, 12, 5, 3, 0, 0).unwrap(),
    })
}

async fn serving(key: &str) -> (Endpoint, watch::Sender<Served>) {
    serving_told(key, None).await
}

async fn serving_told(key: &str, tell: Option<Tell>) -> (Endpoint, watch::Sender<Served>) {
    let (tx, rx) = watch::channel(Served {
        credentials: Some(creds(key)),
        refreshing: false,
    });
    (start(TOKEN.into(), rx, tell).await.unwrap(), tx)
}

/// Sends `request` as it is and reads the answer to the end (the server closes: HTTP/1.0
/// style `Connection: close`).
async fn raw(endpoint: &Endpoint, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(endpoint.addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn get(authorization: Option<&str>) -> Vec<u8> {
    let auth = authorization.map_or_else(String::new, |a| format!("Authorization: {a}\r\n"));
    format!("GET /credentials HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n").into_bytes()
}

#[tokio::test]
async fn only_a_get_with_the_token_is_answered_with_the_set() {
    let (endpoint, _tx) = serving("ASIAFIRST").await;
    let answer = raw(&endpoint, &get(Some(TOKEN))).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"AccessKeyId\":\"ASIAFIRST\""), "{answer}");
    assert!(answer.contains("\"Token\":\"token\""), "{answer}");
    for refused in [get(None), get(Some("0123456789abcdeX")), get(Some("short"))] {
        let answer = raw(&endpoint, &refused).await;
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
        assert!(!answer.contains("secret"), "no credentials in a refusal");
    }
    let post = format!(
        "POST /credentials HTTP/1.1\r\nHost: x\r\nAuthorization: {TOKEN}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let answer = raw(&endpoint, post.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    assert_eq!(endpoint.counts.served.load(Ordering::Relaxed), 1);
    assert_eq!(endpoint.counts.refused.load(Ordering::Relaxed), 4);
}

#[tokio::test]
async fn a_client_asking_while_a_refresh_is_due_gets_the_new_set() {
    let (endpoint, tx) = serving("ASIAOLD").await;
    tx.send_modify(|s| s.refreshing = true);
    let asking = tokio::spawn({
        let addr = endpoint.addr;
        async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream.write_all(&get(Some(TOKEN))).await.unwrap();
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer).await;
            String::from_utf8_lossy(&answer).into_owned()
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!asking.is_finished(), "it waits for the refresh");
    tx.send_modify(|s| {
        s.credentials = Some(creds("ASIANEW"));
        s.refreshing = false;
    });
    let answer = asking.await.unwrap();
    assert!(answer.contains("\"AccessKeyId\":\"ASIANEW\""), "{answer}");
}

#[tokio::test]
async fn with_nothing_to_serve_it_says_so_without_credentials() {
    let (tx, rx) = watch::channel(Served::default());
    let endpoint = start(TOKEN.into(), rx, None).await.unwrap();
    let answer = raw(&endpoint, &get(Some(TOKEN))).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    drop(tx);
}

#[tokio::test]
async fn a_head_too_large_is_refused_and_the_connection_closed() {
    let (endpoint, _tx) = serving("ASIA").await;
    let mut request = b"GET /credentials HTTP/1.1\r\nHost: x\r\n".to_vec();
    for i in 0..2000 {
        request.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "y".repeat(20)).as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    let answer = raw(&endpoint, &request).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "refused, not served: {answer:.80}"
    );
    assert_eq!(endpoint.counts.served.load(Ordering::Relaxed), 0);
}

#[tokio::test(start_paused = true)]
async fn a_client_that_sends_its_head_too_slowly_is_cut_off() {
    let (endpoint, _tx) = serving("ASIA").await;
    let mut stream = TcpStream::connect(endpoint.addr).await.unwrap();
    stream
        .write_all(b"GET /credentials HTTP/1.1\r\nHo")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        Duration::from_secs(HEAD_SECS + 5),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "the server closed it within its head timeout");
    assert!(!String::from_utf8_lossy(&answer).contains("AccessKeyId"));
}

#[test]
fn tokens_compare_whole_and_are_new_each_time() {
    assert!(same(b"abc", b"abc"));
    assert!(!same(b"abc", b"abd"));
    assert!(!same(b"abc", b"abcd"));
    assert!(!same(b"", b"a"));
    let (a, b) = (new_token().unwrap(), new_token().unwrap());
    assert_eq!(a.len(), 64);
    assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(a, b);
}

#[tokio::test]
async fn every_request_answered_is_told_as_served_or_refused() {
    let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = heard.clone();
    let tell: Tell = Arc::new(move |a| log.lock().unwrap().push(a));
    let (endpoint, tx) = serving_told("ASIAFIRST", Some(tell)).await;
    raw(&endpoint, &get(Some(TOKEN))).await;
    raw(&endpoint, &get(None)).await;
    tx.send_modify(|s| s.credentials = None);
    let answer = raw(&endpoint, &get(Some(TOKEN))).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert_eq!(
        *heard.lock().unwrap(),
        [Answered::Served, Answered::Refused],
        "nothing handed out, nothing refused: not told"
    );
}
