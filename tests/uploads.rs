//! Multipart uploads against the real local service (SeaweedFS checks each part's CRC32C and
//! answers the whole object's ETag and composite checksum), through the fault proxy, which
//! counts the parts: a file of several parts comes back byte for byte; an expired token and a
//! cut connection halfway resume with one refresh and store each part once; Ctrl-C aborts the
//! upload; an upload that could not even be aborted is said, listed by `sts3 uploads` and
//! removed by `--abort`; a folder of awkward names lands under the right keys.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, S3Step};
use common::{command, service};
use std::path::{Path, PathBuf};
use std::process::Output;
use sts3::object::upload::{PartSums, Whole};

const MIB: usize = 1024 * 1024;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A session policy that may list the bucket and its unfinished uploads, and read, write,
/// delete and abort under `prefix`.
fn uploader_policy(dir: &Path, prefix: &str) -> PathBuf {
    let bucket = &service().bucket;
    let path = dir.join("uploader.json");
    std::fs::write(
        &path,
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
             "Resource": format!("arn:aws:s3:::{bucket}")},
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
             "Resource": format!("arn:aws:s3:::{bucket}/{prefix}*")}
        ]})
        .to_string(),
    )
    .unwrap();
    path
}

fn run(endpoint: &str, sub: &str, policy: &Path, args: &[&str]) -> Output {
    command(endpoint, sub)
        .arg("--policy")
        .arg(policy)
        .args(args)
        .output()
        .unwrap()
}

/// `len` bytes no compressor or dedup could shorten, the same each run.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[3]
        })
        .collect()
}

use common::sha256_hex as sha256;

/// The object's SHA-256, read back with `sts3 get`.
fn read_back_sha(policy: &Path, key: &str) -> String {
    let out = run(&service().endpoint, "get", policy, &[key, "-o", "-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    sha256(&out.stdout)
}

/// How many requests of the proxy's log start with `what` and were answered `answer`.
fn count(proxy: &FaultProxy, what: &str, answer: &str) -> usize {
    proxy
        .log()
        .iter()
        .filter(|l| l.starts_with(what) && l.contains(answer))
        .count()
}

/// How the proxy's log names part `n` of the object at `key_path`.
fn part_label(key_path: &str, n: usize) -> String {
    format!("PUT {key_path}?x-id=UploadPart&partNumber={n}&")
}

/// The parts stored (passed to the service and answered 200), by number.
fn parts_stored(proxy: &FaultProxy, key_path: &str) -> Vec<usize> {
    (1..=20)
        .map(|n| {
            proxy
                .log()
                .iter()
                .filter(|l| l.starts_with(&part_label(key_path, n)) && l.ends_with("-> 200 OK"))
                .count()
        })
        .collect()
}

/// The proxy saw the first issue and one refresh: two STS calls.
fn assert_one_refresh(proxy: &FaultProxy) {
    let sts_calls = proxy
        .log()
        .iter()
        .filter(|l| l.starts_with("POST / "))
        .count();
    assert_eq!(sts_calls, 2, "one refresh: {:#?}", proxy.log());
}

/// The TUI on the fault proxy in `prefix` (`seen.txt` there), with 5 MiB parts, the request
/// labelled `fault` answered `ExpiredToken` once, and `U` given `path`.
fn tui_puts(
    proxy: &FaultProxy,
    (policy, prefix): (&Path, &str),
    fault: String,
    path: &Path,
    width: u16,
) -> common::tmux::Tmux {
    common::put_objects(&[format!("{prefix}seen.txt")]);
    let config = policy.with_file_name("config.toml");
    std::fs::write(&config, "part_size_mib = 5\n").unwrap();
    proxy.set(|f| f.s3_once.push((fault, S3Step::EXPIRED_TOKEN)));
    let tmux = common::start_tui_in(
        &proxy.url,
        policy,
        prefix,
        &["--config", config.to_str().unwrap()],
        width,
    );
    tmux.wait_for("seen.txt", std::time::Duration::from_mins(1));
    tmux.keys(&["U"]);
    tmux.type_text(path.to_str().unwrap());
    tmux.keys(&["Enter"]);
    tmux
}

#[test]
fn a_file_of_several_parts_goes_up_in_parts_and_comes_back_byte_identical() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("uploads-parts-{}/", std::process::id());
    let policy = uploader_policy(dir.path(), prefix);
    let bytes = noise(23 * MIB);
    let file = dir.path().join("big.bin");
    std::fs::write(&file, &bytes).unwrap();
    let uri = format!("s3://{}/{prefix}", s.bucket);
    let out = run(
        &proxy.url,
        "put",
        &policy,
        &["--part-size", "5", file.to_str().unwrap(), &uri],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let key_path = format!("/{}/{prefix}big.bin", s.bucket);
    assert_eq!(
        parts_stored(&proxy, &key_path)[..6],
        [1, 1, 1, 1, 1, 0],
        "five parts of 5 MiB, each once: {:#?}",
        proxy.log()
    );
    assert_eq!(
        count(&proxy, &format!("POST {key_path}?uploads"), "-> 200"),
        1
    );
    assert_eq!(
        count(&proxy, &format!("POST {key_path}?uploadId="), "-> 200"),
        1
    );
    assert_eq!(
        read_back_sha(&policy, &format!("{prefix}big.bin")),
        sha256(&bytes)
    );
    assert!(
        text(&out.stderr).contains("put 1 file (24,117,248 bytes)"),
        "{}",
        text(&out.stderr)
    );
    // S3 holds the object's CRC32C: the composite of the five parts' that went with them.
    let (rt, admin) = common::admin_s3();
    let head = rt
        .block_on(
            admin
                .head_object()
                .bucket(&s.bucket)
                .key(format!("{prefix}big.bin"))
                .checksum_mode(aws_sdk_s3::types::ChecksumMode::Enabled)
                .send(),
        )
        .unwrap();
    let parts: Vec<PartSums> = bytes.chunks(5 * MIB).map(PartSums::of).collect();
    assert_eq!(parts.len(), 5);
    assert_eq!(
        head.checksum_crc32_c(),
        Some(Whole::of(&parts).checksum.as_str())
    );
}

#[test]
fn a_download_in_parts_is_checked_against_the_composite_checksum_and_a_flipped_bit_is_caught() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("uploads-checked-{}/", std::process::id());
    let policy = uploader_policy(dir.path(), prefix);
    let bytes = noise(12 * MIB);
    let file = dir.path().join("big.bin");
    std::fs::write(&file, &bytes).unwrap();
    let uri = format!("s3://{}/{prefix}big.bin", s.bucket);
    let args = ["--part-size", "5", file.to_str().unwrap(), &uri];
    let out = run(&s.endpoint, "put", &policy, &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Ranged GETs of 5 MiB through the proxy; the second part's body has a bit flipped, as a
    // bad disk or middlebox would, under the right ETag and length. (Picked by its range: the
    // HeadObject of the checksum goes out beside the parts, in no set order.)
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let second = format!("{prefix}big.bin?x-id=GetObject range=bytes=5242880-");
    proxy.set(|f| f.s3_once.push((second, S3Step::Corrupt)));
    let into = tempfile::tempdir().unwrap();
    let get = [
        "--part-size",
        "5",
        &uri,
        "-o",
        into.path().to_str().unwrap(),
    ];
    let out = run(&proxy.url, "get", &policy, &get);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "the bytes do not match the object's CRC32C of 3 parts checksum S3 keeps (its ETag \""
        ) && stderr.contains("-3\"); the download is corrupt"),
        "{stderr}"
    );
    assert_eq!(proxy.count("corrupt"), 1, "{:#?}", proxy.log());
    assert_eq!(
        common::files_in(into.path()),
        Vec::<String>::new(),
        "nothing saved"
    );
    // The same download with every bit as sent: saved. Each download asked S3 for the
    // checksum and for part 1's length, once.
    let out = run(&proxy.url, "get", &policy, &get);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        sha256(&std::fs::read(into.path().join("big.bin")).unwrap()),
        sha256(&bytes)
    );
    let key_path = format!("/{}/{prefix}big.bin", s.bucket);
    // (S3 answers a part's HeadObject 206 Partial Content.)
    let part_one = format!("HEAD {key_path}?partNumber=1");
    assert_eq!(count(&proxy, &part_one, "-> 206"), 2, "{:#?}", proxy.log());
    assert_eq!(
        count(&proxy, &format!("HEAD {key_path} "), "-> 200"),
        2,
        "{:#?}",
        proxy.log()
    );
}

#[test]
fn an_expired_token_and_a_cut_connection_halfway_resume_with_one_refresh_and_store_each_part_once()
{
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("uploads-resume-{}/", std::process::id());
    let policy = uploader_policy(dir.path(), prefix);
    let bytes = noise(22 * MIB);
    let file = dir.path().join("big.bin");
    std::fs::write(&file, &bytes).unwrap();
    let key_path = format!("/{}/{prefix}big.bin", s.bucket);
    proxy.set(|f| {
        // Part 2 is stored but its answer lost, as often as the SDK tries (3 times); part 4
        // meets an expired token.
        for _ in 0..3 {
            f.s3_once
                .push((part_label(&key_path, 2), S3Step::DropAnswer));
        }
        f.s3_once
            .push((part_label(&key_path, 4), S3Step::EXPIRED_TOKEN));
    });
    let uri = format!("s3://{}/{prefix}big.bin", s.bucket);
    let out = run(
        &proxy.url,
        "put",
        &policy,
        &[
            "--part-size",
            "5",
            "--parallel",
            "1",
            file.to_str().unwrap(),
            &uri,
        ],
    );
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("ExpiredToken"), "{stderr}");
    assert!(
        stderr.contains("of 5 parts are stored, sending the others"),
        "{stderr}"
    );
    assert_one_refresh(&proxy);
    assert_eq!(
        parts_stored(&proxy, &key_path)[..6],
        [1, 0, 1, 1, 1, 0],
        "each part stored and answered once: {:#?}",
        proxy.log()
    );
    assert_eq!(
        count(&proxy, &part_label(&key_path, 2), "answer dropped"),
        3,
        "part 2 sent by the SDK's tries only, never again once S3 listed it: {:#?}",
        proxy.log()
    );
    assert_eq!(
        count(&proxy, &format!("GET {key_path}?x-id=ListParts"), "-> 200"),
        2,
        "the parts held asked after each failure: {:#?}",
        proxy.log()
    );
    assert_eq!(
        read_back_sha(&policy, &format!("{prefix}big.bin")),
        sha256(&bytes)
    );
}

/// An 11 MiB put whose part 2 is refused (`AccessDenied`), and its abort too when
/// `abort_refused`: what the run said, and where.
struct Refused {
    proxy: FaultProxy,
    _dir: tempfile::TempDir,
    policy: PathBuf,
    uri: String,
    key_path: String,
    out: Output,
}

fn put_refused_at_part_2(name: &str, abort_refused: bool) -> Refused {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("uploads-{name}-{}/", std::process::id());
    let policy = uploader_policy(dir.path(), prefix);
    let file = dir.path().join(format!("{name}.bin"));
    std::fs::write(&file, noise(11 * MIB)).unwrap();
    let key_path = format!("/{}/{prefix}{name}.bin", s.bucket);
    proxy.set(|f| {
        f.s3_once
            .push((part_label(&key_path, 2), S3Step::ACCESS_DENIED));
        if abort_refused {
            f.s3_once.push((
                format!("DELETE {key_path}?x-id=AbortMultipartUpload"),
                S3Step::ACCESS_DENIED,
            ));
        }
    });
    let uri = format!("s3://{}/{prefix}", s.bucket);
    let out = run(
        &proxy.url,
        "put",
        &policy,
        &["--part-size", "5", file.to_str().unwrap(), &uri],
    );
    Refused {
        proxy,
        _dir: dir,
        policy,
        uri,
        key_path,
        out,
    }
}

#[test]
fn an_upload_that_fails_and_cannot_be_aborted_is_said_listed_and_removed_by_uploads_abort() {
    let s = service();
    // The folder holds the policy file: kept to the end.
    let Refused {
        _dir,
        policy,
        uri,
        out,
        ..
    } = put_refused_at_part_2("left", true);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("S3 still holds the parts sent (aborting failed: AccessDenied")
            && stderr.contains(&format!("sts3 uploads --abort {uri}left.bin removes them")),
        "{stderr}"
    );

    let listed = run(&s.endpoint, "uploads", &policy, &[&uri]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let lines = text(&listed.stdout);
    assert_eq!(lines.lines().count(), 1, "{lines}");
    assert!(lines.contains(&format!("  {uri}left.bin  ")), "{lines}");

    let dry = run(
        &s.endpoint,
        "uploads",
        &policy,
        &[&uri, "--abort", "--dry-run"],
    );
    assert!(text(&dry.stdout).contains(&format!("(dry run) abort: {uri}left.bin ")));
    let aborted = run(&s.endpoint, "uploads", &policy, &[&uri, "--abort"]);
    assert!(aborted.status.success(), "{}", text(&aborted.stderr));
    assert!(text(&aborted.stdout).contains(&format!("abort: {uri}left.bin ")));
    let again = run(&s.endpoint, "uploads", &policy, &[&uri]);
    assert_eq!(text(&again.stdout), "");
    assert!(
        text(&again.stderr).contains(&format!("no unfinished multipart uploads under {uri}")),
        "{}",
        text(&again.stderr)
    );
}

#[test]
fn an_upload_that_fails_is_aborted_so_nothing_is_left() {
    let s = service();
    let Refused {
        proxy,
        _dir,
        policy,
        uri,
        key_path,
        out,
    } = put_refused_at_part_2("fail", false);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("AccessDenied"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        count(
            &proxy,
            &format!("DELETE {key_path}?x-id=AbortMultipartUpload"),
            "-> 204"
        ),
        1,
        "{:#?}",
        proxy.log()
    );
    let left = run(&s.endpoint, "uploads", &policy, &[&uri]);
    assert_eq!(text(&left.stdout), "");
}

#[test]
fn ctrl_c_aborts_the_upload_under_way() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("uploads-cancel-{}/", std::process::id());
    let policy = uploader_policy(dir.path(), prefix);
    let file = dir.path().join("c.bin");
    std::fs::write(&file, noise(16 * MIB)).unwrap();
    let key_path = format!("/{}/{prefix}c.bin", s.bucket);
    proxy.set(|f| {
        f.s3_once.push((
            part_label(&key_path, 3),
            S3Step::Delay(std::time::Duration::from_secs(30)),
        ));
    });
    let uri = format!("s3://{}/{prefix}", s.bucket);
    let child = command(&proxy.url, "put")
        .arg("--policy")
        .arg(&policy)
        .args([
            "--part-size",
            "5",
            "--parallel",
            "1",
            file.to_str().unwrap(),
            &uri,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut waited = 0;
    while count(&proxy, &part_label(&key_path, 2), "-> 200") == 0 {
        waited += 1;
        assert!(waited < 600, "{:#?}", proxy.log());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains(&format!("aborted the unfinished upload of {uri}c.bin")),
        "{stderr}"
    );
    let left = run(&s.endpoint, "uploads", &policy, &[&uri]);
    assert_eq!(text(&left.stdout), "", "{}", text(&left.stderr));
}

#[test]
fn a_folder_of_awkward_names_lands_under_the_right_keys() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = &format!("uploads-names-{}/", std::process::id());
    let policy = uploader_policy(dir.path(), prefix);
    let root = dir.path().join("odd dir");
    let names = [
        "a b.txt",
        "ünï çødé.txt",
        "1+1=2.txt",
        "100%.txt",
        "sub/x y+z%20.txt",
    ];
    for name in names {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, name.as_bytes()).unwrap();
    }
    let uri = format!("s3://{}/{prefix}", s.bucket);
    let out = run(&s.endpoint, "put", &policy, &[root.to_str().unwrap(), &uri]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for name in names {
        let key = format!("{prefix}odd dir/{name}");
        let back = run(&s.endpoint, "get", &policy, &[&key, "-o", "-"]);
        assert!(back.status.success(), "{key}: {}", text(&back.stderr));
        assert_eq!(text(&back.stdout), name);
    }
    let listed = run(&s.endpoint, "list", &policy, &[&format!("{uri}odd dir/")]);
    let keys = text(&listed.stdout);
    for name in names {
        assert!(keys.contains(name), "{name} in {keys}");
    }
}

#[test]
fn the_tui_lists_the_unfinished_uploads_of_the_folder_and_aborts_them_after_a_yes() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("uploads-tui-{}/", std::process::id());
    let policy = uploader_policy(dir.path(), &prefix);
    common::put_objects(&[format!("{prefix}seen.txt")]);
    // Two uploads begun and never completed: no listing shows them.
    let (rt, admin) = common::admin_s3();
    for name in ["big.iso", "deep/video.mp4"] {
        rt.block_on(
            admin
                .create_multipart_upload()
                .bucket(&s.bucket)
                .key(format!("{prefix}{name}"))
                .send(),
        )
        .unwrap();
    }
    let tmux = common::start_tui_in(&s.endpoint, &policy, &prefix, &[], 120);
    let t = std::time::Duration::from_secs(30);
    tmux.wait_for("seen.txt", t);
    tmux.keys(&["M"]);
    tmux.wait_for(
        &format!("Unfinished uploads under s3://{}/{prefix}", s.bucket),
        t,
    );
    tmux.wait_for("big.iso", t);
    tmux.wait_for("deep/video.mp4", t);
    tmux.keys(&["D"]);
    tmux.wait_for("abort 2 unfinished uploads under", t);
    tmux.keys(&["y"]);
    tmux.wait_for(
        &format!(
            "aborted 2 unfinished uploads under s3://{}/{prefix}",
            s.bucket
        ),
        t,
    );
    tmux.quit();
    let uri = format!("s3://{}/{prefix}", s.bucket);
    let again = run(&s.endpoint, "uploads", &policy, &[&uri]);
    assert_eq!(text(&again.stdout), "", "S3 holds none any more");
}

#[test]
fn the_tui_s_upload_meets_an_expired_token_refreshes_and_sends_only_the_part_s3_lacks() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("uploads-tui-resume-{}/", std::process::id());
    let policy = uploader_policy(dir.path(), &prefix);
    let bytes = noise(12 * MIB);
    let file = dir.path().join("big.bin");
    std::fs::write(&file, &bytes).unwrap();
    let key_path = format!("/{}/{prefix}big.bin", s.bucket);
    let fault = part_label(&key_path, 2);
    let tmux = tui_puts(&proxy, (&policy, &prefix), fault, &file, 140);
    let t = std::time::Duration::from_mins(1);
    tmux.wait_for(
        &format!(
            "put {} as s3://{}/{prefix}big.bin ({} bytes)",
            file.display(),
            s.bucket,
            12 * MIB
        ),
        t,
    );
    tmux.quit();
    assert_one_refresh(&proxy);
    assert_eq!(
        parts_stored(&proxy, &key_path)[..4],
        [1, 1, 1, 0],
        "each part stored once, the refused one sent again: {:#?}",
        proxy.log()
    );
    assert_eq!(
        count(&proxy, &part_label(&key_path, 2), "injected 400"),
        1,
        "part 2 met the expired token once: {:#?}",
        proxy.log()
    );
    assert_eq!(
        read_back_sha(&policy, &format!("{prefix}big.bin")),
        sha256(&bytes)
    );
}

#[test]
fn the_tui_puts_a_folder_after_a_yes_and_an_expired_token_mid_way_costs_one_refresh() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("uploads-tui-folder-{}/", std::process::id());
    let policy = uploader_policy(dir.path(), &prefix);
    // A folder of small files and one of parts, two levels deep, and a link passed over.
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("sub dir")).unwrap();
    let big = noise(11 * MIB);
    let files: [(&str, Vec<u8>); 4] = [
        ("a.txt", b"alpha".to_vec()),
        ("b.txt", b"beta".to_vec()),
        ("sub dir/caf\u{e9} + 100%.txt", b"gamma".to_vec()),
        ("sub dir/big.bin", big),
    ];
    for (name, bytes) in &files {
        std::fs::write(tree.join(name), bytes).unwrap();
    }
    std::os::unix::fs::symlink(tree.join("a.txt"), tree.join("link.txt")).unwrap();
    let fault = format!("PUT /{}/{prefix}tree/b.txt?", s.bucket);
    let tmux = tui_puts(&proxy, (&policy, &prefix), fault, &tree, 160);
    let t = std::time::Duration::from_mins(1);
    tmux.wait_for(
        &format!(
            "put 4 files (11.0 MiB) into s3://{}/{prefix}tree/? y puts · any other key keeps them",
            s.bucket
        ),
        t,
    );
    tmux.keys(&["y"]);
    tmux.wait_for(
        &format!(
            "put 4 files (11.0 MiB) from {} into s3://{}/{prefix}tree/; 1 symbolic link passed over",
            tree.display(),
            s.bucket
        ),
        t,
    );
    // The folder's row came in without a reload.
    tmux.wait_for("tree/", t);
    tmux.quit();
    assert_one_refresh(&proxy);
    for (name, bytes) in &files {
        assert_eq!(
            read_back_sha(&policy, &format!("{prefix}tree/{name}")),
            sha256(bytes),
            "{name}"
        );
    }
    let uri = format!("s3://{}/{prefix}tree/", s.bucket);
    let listed = run(&s.endpoint, "list", &policy, &[&uri]);
    assert!(
        !text(&listed.stdout).contains("link.txt"),
        "{}",
        text(&listed.stdout)
    );
}
