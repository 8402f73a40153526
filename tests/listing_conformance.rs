//! The listing engines against two implementations of S3: SeaweedFS (which shaped the parallel
//! planner: it passes over folder `a/` for `StartAfter=a`) and moto, which answers differently
//! in places. A bucket of awkward keys (`a` beside `a/`, `..`, `%2F`, empty segments, unicode,
//! a control character, a 1,000-byte key, 2,500 keys in one folder) must list every key once,
//! serially and with 2 and 8 requests at once, on both; so a planner assumption that holds on
//! one server only is caught. moto lists in S3's byte order; SeaweedFS folder by folder, which
//! one chain prints as it comes and several chains merge into S3's order.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{service, sts3};

const BUCKET: &str = "awkward-keys";

/// Keys S3 takes and a file system cannot hold together: a key beside a folder of the same
/// name (`a` and `a/`, `a/b` and `a/b/c`), empty and dot segments. moto takes them; SeaweedFS
/// keeps objects as files (ExistingObjectIsFile, InvalidRequest), so only moto's bucket has them.
const S3_ONLY_KEYS: [&str; 8] = ["a", "a/b", "a//b", ".", "..", "a/./b", "a/../b", "../x"];

/// Keys that trip planners and parsers up (with [`S3_ONLY_KEYS`] when `all`), in S3's order.
fn awkward_keys(all: bool) -> Vec<String> {
    let mut keys: Vec<String> = [
        "a/",
        "a/b/",
        "a/b/c",
        "a/x",
        "a-b",
        "a.b",
        "a0",
        "%2F",
        "a%2Fb",
        "a+b",
        "a b",
        "a=b&c",
        "ä",
        "日本/語",
        "🎉/party",
        "trailing ",
        "tab\there",
        "z",
        "zz/",
        "zz/a",
        "~",
    ]
    .iter()
    .map(|k| (*k).to_string())
    .collect();
    if all {
        keys.extend(S3_ONLY_KEYS.iter().map(|k| (*k).to_string()));
    }
    // 1,000 bytes, in segments of at most 200 (SeaweedFS keeps each as a file name: one over
    // 255 bytes is KeyTooLongError there).
    keys.push(format!("long/{}", vec!["k".repeat(198); 5].join("/")));
    // Enough keys under one folder for the planner to cut it into ranges.
    keys.extend((0..2500).map(|i| format!("many/{i:05x}")));
    keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    keys
}

/// `keys` in SeaweedFS's order: by path segment (`a/x` before `a b`, where S3's byte order
/// puts `a b` first: the space sorts before `/`).
fn by_segments(mut keys: Vec<String>) -> Vec<String> {
    keys.sort_by(|a, b| a.split('/').cmp(b.split('/')));
    keys
}

/// Creates the bucket at `config`'s service and puts every key in it.
fn seed(config: &aws_config::SdkConfig, dots: bool) {
    use futures_util::StreamExt;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let client = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .force_path_style(true)
            .build(),
    );
    rt.block_on(async {
        // Already there from another test of this run: the keys are the same.
        let _ = client.create_bucket().bucket(BUCKET).send().await;
        let puts = awkward_keys(dots).into_iter().map(|key| {
            let client = client.clone();
            async move {
                client
                    .put_object()
                    .bucket(BUCKET)
                    .key(&key)
                    .body(Vec::from(key.as_bytes()).into())
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("put {key:?}: {e:?}"));
            }
        });
        // 16 at once: moto's server takes no more connections than that in time.
        futures_util::stream::iter(puts)
            .buffer_unordered(16)
            .collect::<Vec<()>>()
            .await;
    });
}

/// The keys `sts3 list --json` prints with `extra` flags, in order.
fn listed(extra: &[&str], env: &[(&str, &str)], endpoint: &str, mode: &str) -> Vec<String> {
    let s = service();
    let out = sts3()
        .envs(s.env())
        .envs(env.iter().copied())
        .args([
            "list", "-b", BUCKET, "-u", "alice", "--json", "--mode", mode,
        ])
        .args(["--endpoint-url", endpoint])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{extra:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["type"] == "object").then(|| v["key"].as_str().unwrap().to_string())
        })
        .collect()
}

/// Whether `got` is `expected`, said with where they part when not.
fn same(got: &[String], expected: &[String], what: &str) {
    if got != expected {
        let missing: Vec<&String> = expected.iter().filter(|k| !got.contains(k)).collect();
        let extra_keys: Vec<&String> = got.iter().filter(|k| !expected.contains(k)).collect();
        panic!(
            "{what}: {} listed, {} expected; missing {missing:?}, not seeded {extra_keys:?}, first difference at {:?}",
            got.len(),
            expected.len(),
            got.iter().zip(expected).position(|(a, b)| a != b)
        );
    }
}
#[test]
fn seaweedfs_lists_awkward_keys_each_once_with_every_engine() {
    let s = service();
    let rt = tokio::runtime::Runtime::new().unwrap();
    seed(&rt.block_on(s.config()), false);
    let keys = awkward_keys(false);
    // One chain of requests prints what the server sends, in its order: SeaweedFS lists folder
    // by folder (a quirk: `a/x` before `a b`), which sts3 accepts as an order of its own.
    let serial = listed(&[], &[], &s.endpoint, "federated");
    same(&serial, &by_segments(keys.clone()), "SeaweedFS, one chain");
    // Several chains are merged in S3's key order.
    for n in ["2", "8"] {
        let parallel = listed(&["--parallel", n], &[], &s.endpoint, "federated");
        same(&parallel, &keys, &format!("SeaweedFS, --parallel {n}"));
    }
}

#[test]
fn moto_lists_awkward_keys_in_s3_order_with_every_engine() {
    let s = service();
    let rt = tokio::runtime::Runtime::new().unwrap();
    seed(&rt.block_on(s.moto_config()), true);
    // moto's STS gives session tokens (session mode) for its own test keys.
    let env = [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ];
    let keys = awkward_keys(true);
    for extra in [&[][..], &["--parallel", "2"], &["--parallel", "8"]] {
        let got = listed(extra, &env, &s.moto_endpoint, "session");
        same(&got, &keys, &format!("moto {extra:?}"));
    }
}
