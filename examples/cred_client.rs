//! Clients of `sts3 exec`'s credential endpoint for `scripts/bench --serve`: run as the command
//! sts3 exec starts, `cred_client THREADS SECONDS` asks the endpoint (with the run's token) as
//! fast as each thread can for that long, one connection a request as the SDKs do, and prints
//! each request's latency in ms and how many distinct sets it was handed, as JSON.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::disallowed_methods)]

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let threads: usize = args[0].parse().expect("THREADS");
    let secs: f64 = args[1].parse().expect("SECONDS");
    let url = std::env::var("AWS_CONTAINER_CREDENTIALS_FULL_URI").expect("served by sts3 exec");
    let token = std::fs::read_to_string(
        std::env::var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").expect("the token file"),
    )
    .expect("read the token");
    let rest = url.strip_prefix("http://").expect("http URL");
    let (addr, path) = rest.split_at(rest.find('/').expect("a path"));
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
    );
    let latencies = Arc::new(Mutex::new(Vec::new()));
    // Requests that took over a millisecond: when they started (Unix seconds), and how long,
    // so the bench can tell the ones that waited for a refresh from the others.
    let slow = Arc::new(Mutex::new(Vec::new()));
    let keys = Arc::new(Mutex::new(HashSet::new()));
    let end = Instant::now() + Duration::from_secs_f64(secs);
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (addr, request) = (addr.to_string(), request.clone());
            let (latencies, keys, slow) = (latencies.clone(), keys.clone(), slow.clone());
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                let mut answer = Vec::with_capacity(2048);
                while Instant::now() < end {
                    let start = Instant::now();
                    let wall = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs_f64())
                        .unwrap_or_default();
                    let mut stream = TcpStream::connect(&addr).expect("connect");
                    stream.write_all(request.as_bytes()).expect("send");
                    answer.clear();
                    stream.read_to_end(&mut answer).expect("read");
                    let took = start.elapsed().as_secs_f64() * 1000.0;
                    mine.push(took);
                    if took > 1.0 {
                        slow.lock().unwrap().push((wall, took));
                    }
                    let text = String::from_utf8_lossy(&answer);
                    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
                    if let Some(at) = text.find("\"AccessKeyId\":\"") {
                        let key = &text[at + 15..];
                        let key = &key[..key.find('"').unwrap_or(key.len())];
                        keys.lock().unwrap().insert(key.to_string());
                    }
                }
                latencies.lock().unwrap().extend(mine);
            })
        })
        .collect();
    for w in workers {
        w.join().expect("a client thread");
    }
    let ms = latencies.lock().unwrap();
    let list: Vec<String> = ms.iter().map(|m| format!("{m:.4}")).collect();
    let slow: Vec<String> = slow
        .lock()
        .unwrap()
        .iter()
        .map(|(at, ms)| format!("[{at:.6}, {ms:.4}]"))
        .collect();
    println!(
        "{{\"ms\": [{}], \"sets\": {}, \"slow\": [{}]}}",
        list.join(", "),
        keys.lock().unwrap().len(),
        slow.join(", ")
    );
}
