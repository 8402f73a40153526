//! Acting on one object from the command line, against the real local service (and the fault
//! proxy in front of it): `sts3 get` streams, resumes and checks; `sts3 presign` signs URLs no
//! longer-lived than the session; a list-only session policy is named as the reason for a
//! refusal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, S3Step, StsStep};
use common::{files_in, service};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Output, Stdio};
use std::time::Duration;

fn get(endpoint: &str, args: &[&str]) -> Output {
    common::command(endpoint, "get")
        .args(args)
        .output()
        .unwrap()
}

fn presign(endpoint: &str, args: &[&str]) -> Output {
    common::command(endpoint, "presign")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

use common::sha256_hex;

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A plain HTTP GET of `url` (http://127.0.0.1:PORT/...): status and body.
fn http_get(url: &str) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, path) = rest.split_at(rest.find('/').expect("a path"));
    let mut stream = TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = text(&answer[..split]);
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = answer[split + 4..].to_vec();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    (status, if chunked { dechunk(&body) } else { body })
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(text(&body[..line_end]).trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 2 + size + 2..];
    }
}

/// The `X-Amz-Expires` of a presigned URL.
fn expires_of(url: &str) -> u64 {
    let at = url.find("X-Amz-Expires=").expect("X-Amz-Expires") + "X-Amz-Expires=".len();
    url[at..].split('&').next().unwrap().parse().unwrap()
}

#[test]
fn get_of_a_large_object_is_byte_identical_and_never_overwrites_by_surprise() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let out = get(
        &s.endpoint,
        &[&s.large_key, "-o", dir.path().to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let saved = dir.path().join("large.bin");
    let bytes = std::fs::read(&saved).unwrap();
    assert!(bytes.len() >= 20 * 1024 * 1024);
    assert_eq!(sha256_hex(&bytes), s.large_sha256);
    assert_eq!(files_in(dir.path()), ["large.bin"], "no .part file left");
    assert!(text(&out.stderr).contains("sts3: saved s3://sts3-demo/docs/large.bin to "));

    // Again: refused, the file untouched.
    std::fs::write(&saved, b"mine").unwrap();
    let again = get(&s.endpoint, &[&s.large_key, "-o", saved.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        text(&again.stderr),
        format!(
            "sts3: {} exists; pass --force to overwrite it, or -o another file\n",
            saved.display()
        )
    );
    assert_eq!(std::fs::read(&saved).unwrap(), b"mine");
    let forced = get(
        &s.endpoint,
        &[&s.large_key, "-o", saved.to_str().unwrap(), "--force"],
    );
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert_eq!(sha256_hex(&std::fs::read(&saved).unwrap()), s.large_sha256);
}

#[test]
fn get_to_stdout_writes_the_bytes_alone() {
    let s = service();
    let out = get(&s.endpoint, &[&s.large_key, "-o", "-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(sha256_hex(&out.stdout), s.large_sha256);
}

#[test]
fn a_key_that_is_not_there_says_where_to_look_and_writes_nothing() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    for (key, folder) in [("docs/nope.txt", "docs/"), ("nope.txt", "")] {
        let out = get(&s.endpoint, &[key, "-o", out_dir]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert_eq!(
            text(&out.stderr),
            format!(
                "Caught exception accessing s3://{b}/{key}: NoSuchKey: The specified key does \
                 not exist; sts3 list s3://{b}/{folder} shows the keys there\n",
                b = s.bucket
            )
        );
    }
    assert_eq!(
        files_in(dir.path()),
        Vec::<String>::new(),
        "no file, no .part"
    );
}

/// Where a logged GET's `Range` starts and ends (inclusive).
fn range_of(line: &str) -> (usize, usize) {
    let at = line.find("range=bytes=").expect("a Range header") + "range=bytes=".len();
    let mut ends = line[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .split('-')
        .map(|n| n.parse().unwrap_or(usize::MAX));
    (ends.next().unwrap(), ends.next().unwrap())
}

/// The proxy's log lines of GETs of the large object.
fn gets_of(proxy: &FaultProxy) -> Vec<String> {
    proxy
        .log()
        .into_iter()
        .filter(|l| l.starts_with("GET /sts3-demo/docs/large.bin"))
        .collect()
}

#[test]
fn get_resumes_after_a_cut_and_an_expired_token_without_starting_over() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    // One stream (--parallel 1): the first GET is cut halfway; the request that resumes it is
    // told the token expired.
    proxy.set(|f| {
        f.s3_script
            .extend([S3Step::CutMidBody, S3Step::EXPIRED_TOKEN]);
    });
    let dir = tempfile::tempdir().unwrap();
    let out = get(
        &proxy.url,
        &[
            &s.large_key,
            "-o",
            dir.path().to_str().unwrap(),
            "--parallel",
            "1",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(dir.path().join("large.bin")).unwrap();
    assert_eq!(sha256_hex(&bytes), s.large_sha256, "byte-identical");
    let half = bytes.len() / 2;
    let gets = gets_of(&proxy);
    assert_eq!(gets.len(), 3, "{:#?}", proxy.log());
    assert!(!gets[0].contains("range="), "{}", gets[0]);
    // Where the cut left off: some bytes in, at most the half the proxy sent.
    let (resumed_at, _) = range_of(&gets[1]);
    assert!(
        resumed_at > 0 && resumed_at <= half,
        "{resumed_at} of {half}"
    );
    assert_eq!(
        range_of(&gets[2]).0,
        resumed_at,
        "the retry after the refresh too"
    );
    for resumed in &gets[1..] {
        assert!(resumed.contains("if-match=\""), "{resumed}");
    }
    assert!(
        text(&out.stderr).contains(&format!("resuming with {} bytes in", thousands(resumed_at))),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(proxy.count("POST / ->"), 2, "one refresh");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("ExpiredToken"), "{stderr}");
    assert_eq!(files_in(dir.path()), ["large.bin"]);
}

#[test]
fn get_in_parts_resumes_the_cut_part_and_refreshes_once_for_the_refused_one() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    // 24 MiB in 8 MiB parts: the first part's GET is cut halfway, the next GET (another part,
    // at the same time) is told the token expired.
    proxy.set(|f| {
        f.s3_script
            .extend([S3Step::CutMidBody, S3Step::EXPIRED_TOKEN]);
    });
    let dir = tempfile::tempdir().unwrap();
    let out = get(
        &proxy.url,
        &[
            &s.large_key,
            "-o",
            dir.path().to_str().unwrap(),
            "--part-size",
            "8",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(dir.path().join("large.bin")).unwrap();
    assert_eq!(sha256_hex(&bytes), s.large_sha256, "byte-identical");
    let part = 8 * 1024 * 1024;
    let gets = gets_of(&proxy);
    assert_eq!(
        gets.len(),
        5,
        "3 parts, the cut one and the refused one again: {gets:#?}"
    );
    assert_eq!(range_of(&gets[0]), (0, part - 1), "{}", gets[0]);
    assert!(gets[0].contains("cut mid-body"), "{}", gets[0]);
    assert!(
        !gets[0].contains("if-match"),
        "the first answer gives the ETag: {}",
        gets[0]
    );
    for later in &gets[1..] {
        assert!(later.contains("if-match=\""), "one version: {later}");
    }
    assert!(
        gets[1].contains("injected 400"),
        "the expired token: {}",
        gets[1]
    );
    // Every byte asked for once, but the refused part's and the cut part's rest: the answers
    // that went through tile the object from where the cut left off.
    let (resumed_at, _) = gets[2..]
        .iter()
        .map(|g| range_of(g))
        .find(|(from, _)| *from < part)
        .expect("the cut part resumed");
    assert!(resumed_at > 0 && resumed_at <= part / 2, "{resumed_at}");
    let mut served: Vec<(usize, usize)> = gets[2..].iter().map(|g| range_of(g)).collect();
    served.sort_unstable();
    assert_eq!(
        served,
        [
            (resumed_at, part - 1),
            (part, 2 * part - 1),
            (2 * part, 3 * part - 1)
        ],
        "{gets:#?}"
    );
    assert!(
        served[1..].contains(&range_of(&gets[1])),
        "the refused part asked again"
    );
    assert_eq!(proxy.count("POST / ->"), 2, "one refresh");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("ExpiredToken"), "{stderr}");
    assert_eq!(files_in(dir.path()), ["large.bin"]);
}

#[test]
fn get_stops_when_the_object_changes_mid_download() {
    let s = service();
    let key = "scratch/changing.bin";
    let put = |byte: u8| common::put_object(key, vec![byte; 2 * 1024 * 1024]);
    let first = put(1);
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    // Cut, then hold the resumed request while the object is replaced.
    proxy.set(|f| {
        f.s3_script
            .extend([S3Step::CutMidBody, S3Step::Delay(Duration::from_secs(3))]);
    });
    let dir = tempfile::tempdir().unwrap();
    let child = common::command(&proxy.url, "get")
        .args([key, "-o", dir.path().to_str().unwrap()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = sts3::clock::instant();
    while proxy.count("cut mid-body") == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            proxy.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    put(2);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).ends_with(&format!(
            "sts3: the object changed during the download (its ETag was {}); nothing was kept\n",
            first.e_tag().unwrap()
        )),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(proxy.count("-> 412"), 1, "{:?}", proxy.log());
    assert!(
        files_in(dir.path()).is_empty(),
        "neither the file nor a .part"
    );
}

#[test]
fn a_presigned_url_fetches_the_object_and_never_outlives_the_session() {
    let s = service();
    let out = presign(
        &s.endpoint,
        &["docs/notes.txt", "--expires", "7200", "--duration", "900"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let url = text(&out.stdout);
    assert_eq!(url.lines().count(), 1, "the URL alone: {url}");
    let url = url.trim_end();
    assert!(
        expires_of(url) <= 900,
        "signed for the session's time at most: {url}"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(
            "sts3: warning: asked for 7200 s, but the session ends sooner; the URL is valid until "
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("(the session's expiry, in 00:1"),
        "{stderr}"
    );
    let (status, body) = http_get(url);
    assert_eq!(status, 200);
    let direct = get(&s.endpoint, &["docs/notes.txt", "-o", "-"]);
    assert_eq!(body, direct.stdout);
    assert!(text(&body).starts_with("Release notes"));

    let within = presign(&s.endpoint, &["docs/notes.txt", "--expires", "60"]);
    assert_eq!(expires_of(text(&within.stdout).trim_end()), 60);
    let stderr = text(&within.stderr);
    assert!(
        stderr.starts_with("sts3: valid until ") && stderr.ends_with("(in 00:01:00)\n"),
        "{stderr}"
    );

    // The default (presign_secs, an hour) against a 15-minute session: bounded without a
    // warning, since nobody asked for more.
    let default = presign(&s.endpoint, &["docs/notes.txt", "--duration", "900"]);
    assert!(expires_of(text(&default.stdout).trim_end()) <= 900);
    let stderr = text(&default.stderr);
    assert!(
        stderr.starts_with("sts3: valid until ")
            && stderr.contains("(the session's expiry, in 00:1")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
}

#[test]
fn a_presigned_url_stops_working_when_the_session_expires() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    proxy.set(|f| {
        f.sts_script
            .push_back(StsStep::ShortLived(Duration::from_secs(4)));
    });
    let out = presign(&proxy.url, &["docs/notes.txt", "--expires", "600"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let url = text(&out.stdout).trim_end().to_string();
    assert!(expires_of(&url) <= 4, "{url}");
    assert!(text(&out.stderr).contains("the session's expiry"));
    let (status, _) = http_get(&url);
    assert_eq!(status, 200, "works while the session lasts");
    std::thread::sleep(Duration::from_secs(5));
    let (status, body) = http_get(&url);
    assert!(
        status == 400 || status == 403,
        "refused once the session is over: {status} {}",
        text(&body)
    );
}

#[test]
fn a_list_only_session_policy_is_named_as_the_reason_for_a_refusal() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "allow_get_object = false\n").unwrap();
    let config = config.to_str().unwrap();
    let out = get(
        &s.endpoint,
        &[
            "docs/notes.txt",
            "-o",
            dir.path().to_str().unwrap(),
            "--config",
            config,
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "Caught exception accessing s3://sts3-demo/docs/notes.txt: AccessDenied: Access Denied; \
         the session policy does not allow s3:GetObject on arn:aws:s3:::sts3-demo/docs/notes.txt\n"
    );
    assert_eq!(files_in(dir.path()), ["config.toml"], "no .part left");

    let out = presign(&s.endpoint, &["docs/notes.txt", "--config", config]);
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains(
            "sts3: warning: the session policy does not allow s3:GetObject on arn:aws:s3:::sts3-demo/docs/notes.txt; the URL will be refused"
        ),
        "{}",
        text(&out.stderr)
    );
    let (status, _) = http_get(text(&out.stdout).trim_end());
    assert_eq!(status, 403, "and it is");
}
