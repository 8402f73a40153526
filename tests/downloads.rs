//! Where `sts3 get` writes, against the real local service: a `.part` is always a new file sts3
//! created (a planted symlink or hard link is refused, never followed), a leftover one is
//! replaced and said, a FIFO or a device given with `-o … --force` is written into and never
//! replaced, a symlink target is refused, a name too long for `NAME.part` is still saved, and
//! Ctrl-C, SIGTERM and SIGHUP stop a download mid-body and remove its `.part`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, Faults, S3Step};
use common::{files_in, service};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use tempfile::TempDir;

const KEY: &str = "docs/notes.txt";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn get(args: &[&str]) -> Output {
    common::command(&service().endpoint, "get")
        .args(args)
        .output()
        .unwrap()
}

/// The object's bytes, as `sts3 get -o -` prints them.
fn notes() -> Vec<u8> {
    let out = get(&[KEY, "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    out.stdout
}

/// A file outside the download folder that a planted link points to.
fn victim() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("victim.txt");
    std::fs::write(&path, "precious\n").unwrap();
    (dir, path)
}

#[test]
fn a_symlink_planted_at_the_part_file_is_not_followed() {
    let (_keep, victim) = victim();
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("notes.txt.part");
    std::os::unix::fs::symlink(&victim, &part).unwrap();
    let out = get(&[KEY, "-o", dir.path().to_str().unwrap()]);
    assert_eq!(
        text(&out.stderr),
        format!(
            "sts3: cannot write {}: it exists and is a symbolic link; sts3 writes only a .part it \
             creates: remove it, or save elsewhere\n",
            part.display()
        )
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert_eq!(
        files_in(dir.path()),
        ["notes.txt.part"],
        "the link left alone"
    );
    assert!(part.symlink_metadata().unwrap().file_type().is_symlink());
}

#[test]
fn a_hard_link_at_the_part_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let part = dir.path().join("notes.txt.part");
    std::fs::hard_link(&victim, &part).unwrap();
    let out = get(&[KEY, "-o", dir.path().to_str().unwrap()]);
    assert_eq!(
        text(&out.stderr),
        format!(
            "sts3: cannot write {}: it exists and has other hard links; sts3 writes only a .part \
             it creates: remove it, or save elsewhere\n",
            part.display()
        )
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
}

#[test]
fn a_part_file_left_by_an_earlier_download_is_replaced_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("notes.txt.part");
    std::fs::write(&part, vec![b'x'; 100_000]).unwrap();
    let out = get(&[KEY, "-o", dir.path().to_str().unwrap()]);
    let target = dir.path().join("notes.txt");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "sts3: replacing {}, left by an earlier download\nsts3: saved s3://",
            part.display()
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&target).unwrap(), notes());
    assert_eq!(files_in(dir.path()), ["notes.txt"]);
}

#[test]
fn a_fifo_given_with_force_is_written_into_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let fifo = fifo.clone();
        std::thread::spawn(move || tx.send(std::fs::read(fifo).unwrap()));
    }
    let out = get(&[KEY, "-o", fifo.to_str().unwrap(), "--force"]);
    // Had the FIFO been replaced, its reader would wait for a writer forever.
    let got = rx
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("nothing written into the FIFO: {}", text(&out.stderr)));
    let expected = notes();
    assert_eq!(
        text(&out.stderr),
        format!(
            "sts3: wrote s3://{}/{KEY} into {} ({} bytes)\n",
            service().bucket,
            fifo.display(),
            expected.len()
        )
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(got, expected);
    assert!(fifo.symlink_metadata().unwrap().file_type().is_fifo());
    assert_eq!(files_in(dir.path()), ["pipe"], "no .part beside it");
}

#[test]
fn a_device_given_with_force_is_written_into_not_replaced() {
    let uid = Command::new("id").arg("-u").output().unwrap();
    if text(&uid.stdout).trim() != "0" {
        // mknod needs root; the FIFO test above covers the same path without it.
        eprintln!(
            "skipped: mknod needs root, and this test runs as uid {}",
            text(&uid.stdout)
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let null = dir.path().join("null");
    let made = Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .status()
        .unwrap();
    assert!(made.success(), "mknod");
    let out = get(&[KEY, "-o", null.to_str().unwrap(), "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        null.symlink_metadata()
            .unwrap()
            .file_type()
            .is_char_device(),
        "still the device"
    );
    assert_eq!(files_in(dir.path()), ["null"]);
}

#[test]
fn a_symlink_given_as_the_target_is_refused_even_with_force() {
    let (_keep, victim) = victim();
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let out = get(&[KEY, "-o", link.to_str().unwrap(), "--force"]);
    assert_eq!(
        text(&out.stderr),
        format!(
            "sts3: {} is a symbolic link; sts3 get replaces only regular files: pass -o another \
             path, or -o - to write to standard output\n",
            link.display()
        )
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
}

#[test]
fn a_name_too_long_for_its_part_file_is_still_saved() {
    let dir = tempfile::tempdir().unwrap();
    let name = "n".repeat(253); // + ".part" is 258 bytes: over NAME_MAX
    let target = dir.path().join(&name);
    let out = get(&[KEY, "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&target).unwrap(), notes());
    assert_eq!(files_in(dir.path()), [name]);
}

#[test]
fn the_saved_message_shows_the_path_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("red\u{1b}[31m\u{202e}txt.exe");
    let out = get(&[KEY, "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(
        said.contains("red\\u{1b}[31m\\u{202e}txt.exe (") && !said.contains('\u{1b}'),
        "{said:?}"
    );
}

/// `sts3 get` of the large object from `endpoint`, stopped by `signal` once its `.part` is
/// `ready`.
fn stopped(endpoint: &str, signal: &str, ready: impl Fn(&Path) -> bool) -> (Output, TempDir) {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let child = common::command(endpoint, "get")
        .args([&s.large_key, "-o", dir.path().to_str().unwrap()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let part = dir.path().join("large.bin.part");
    let started = sts3::clock::instant();
    while !ready(&part) {
        assert!(started.elapsed() < Duration::from_secs(30), "never ready");
        std::thread::sleep(Duration::from_millis(2));
    }
    let sent = Command::new("kill")
        .args(["-s", signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    (child.wait_with_output().unwrap(), dir)
}

/// Stopped once its first bytes are on disk (the body then streams as fast as the local
/// service sends it: always ready).
fn stopped_mid_body(signal: &str) -> (Output, TempDir) {
    stopped(&service().endpoint, signal, |part| {
        std::fs::metadata(part).is_ok_and(|m| m.len() > 0)
    })
}

#[test]
fn ctrl_c_while_the_answer_is_awaited_removes_the_part_file() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    proxy.set(|f| {
        f.s3_script
            .push_back(S3Step::Delay(Duration::from_secs(20)));
    });
    // The .part appears once sts3 listens for Ctrl-C; the GET is then held by the proxy.
    let (out, dir) = stopped(&proxy.url, "INT", Path::exists);
    assert_eq!(out.status.code(), Some(130));
    assert_eq!(
        text(&out.stderr),
        "sts3: cancelled; the partial file was removed\n"
    );
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn ctrl_c_sigterm_and_sighup_stop_a_download_mid_body_and_remove_the_part() {
    for (signal, code, said) in [
        ("INT", 130, "cancelled"),
        ("TERM", 143, "terminated (SIGTERM)"),
        ("HUP", 129, "hung up (SIGHUP)"),
    ] {
        let (out, dir) = stopped_mid_body(signal);
        assert_eq!(
            text(&out.stderr),
            format!("sts3: {said}; the partial file was removed\n"),
            "SIG{signal}"
        );
        assert_eq!(out.status.code(), Some(code), "SIG{signal}");
        assert!(files_in(dir.path()).is_empty(), "SIG{signal}: nothing left");
    }
}

/// `sts3 get` of the large object (large enough for a cut to come mid-stream, after the SDK
/// handed the body on) into a temporary folder through the fault proxy running `steps`; the
/// outcome, the folder, and the proxy (for its log).
fn get_through(steps: Vec<S3Step>) -> (Output, TempDir, FaultProxy) {
    get_through_with(steps, &[])
}

/// [`get_through`] with more arguments (`--parallel 1`: one stream, not ranged parts).
fn get_through_with(steps: Vec<S3Step>, extra: &[&str]) -> (Output, TempDir, FaultProxy) {
    get_behind(|f| f.s3_script.extend(steps), extra)
}

/// `sts3 get` of the large object, with `extra` arguments, through the fault proxy set up by
/// `faults`; the outcome, the folder, and the proxy.
fn get_behind(faults: impl FnOnce(&mut Faults), extra: &[&str]) -> (Output, TempDir, FaultProxy) {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    proxy.set(faults);
    let dir = tempfile::tempdir().unwrap();
    let out = common::command(&proxy.url, "get")
        .args([&s.large_key, "-o", dir.path().to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    (out, dir, proxy)
}

#[test]
fn a_resumed_answer_of_another_version_stops_the_download() {
    // A proxy that ignores If-Match: the resumed answer comes back with another ETag.
    let (out, dir, proxy) = get_through(vec![
        S3Step::CutMidBody,
        S3Step::Rewrite {
            header: "etag",
            value: Some("\"0123456789abcdef0123456789abcdef\""),
            cut: false,
        },
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("sts3: the object changed during the download (its ETag was \""),
        "{stderr}"
    );
    assert!(last.ends_with("); nothing was kept"), "{stderr}");
    assert_eq!(proxy.count("rewritten"), 1, "{:?}", proxy.log());
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn a_cut_download_without_an_etag_is_not_spliced() {
    let (out, dir, proxy) = get_through_with(
        vec![S3Step::Rewrite {
            header: "etag",
            value: None,
            cut: true,
        }],
        &["--parallel", "1"],
    );
    assert_eq!(
        text(&out.stderr),
        "sts3: the download broke off and the server gave the object no ETag, so a resumed download could join two versions of it; nothing was kept: try again\n",
        "{:?}",
        proxy.log()
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(proxy.count("GET"), 1, "no resume: {:?}", proxy.log());
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn a_body_longer_than_the_answer_said_is_stopped() {
    // Content-Range says 10 bytes in all; the body goes on.
    let (out, dir, _proxy) = get_through(vec![S3Step::Rewrite {
        header: "content-range",
        value: Some("bytes 0-9/10"),
        cut: false,
    }]);
    assert_eq!(
        text(&out.stderr),
        "sts3: the server sent more than the 10 bytes the object has; stopped, nothing was kept\n"
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn an_object_without_an_etag_is_not_fetched_in_parts() {
    // Parts of an object without an ETag could not be held to one version (If-Match): the
    // first part's answer without one is dropped and the object comes whole, in one stream.
    let (out, dir, proxy) = get_through(vec![S3Step::Rewrite {
        header: "etag",
        value: None,
        cut: false,
    }]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let gets: Vec<String> = proxy
        .log()
        .into_iter()
        .filter(|l| l.starts_with("GET "))
        .collect();
    assert_eq!(gets.len(), 2, "{gets:#?}");
    assert!(gets[0].contains("range=bytes=0-8388607"), "{}", gets[0]);
    assert!(!gets[1].contains("range="), "{}", gets[1]);
    let bytes = std::fs::read(dir.path().join("large.bin")).unwrap();
    assert_eq!(common::sha256_hex(&bytes), service().large_sha256);
}

#[test]
fn the_benchs_streaming_latency_proxy_passes_the_parts_on_whole_and_unchanged() {
    // The proxy the download bench measures behind: answers passed on as they come.
    let (out, dir, proxy) = get_behind(
        |f| {
            f.stream_through = true;
            f.latency = Duration::from_millis(5);
        },
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(dir.path().join("large.bin")).unwrap();
    assert_eq!(common::sha256_hex(&bytes), service().large_sha256);
    let gets: Vec<String> = proxy
        .log()
        .into_iter()
        .filter(|l| l.starts_with("GET "))
        .collect();
    assert!(gets.len() > 1, "in parts: {gets:#?}");
    assert!(gets.iter().all(|l| l.ends_with(" streamed")), "{gets:#?}");
    assert_eq!(proxy.body_bytes("GET "), 0, "none held whole");
}

#[test]
fn an_object_sent_without_its_length_is_refused() {
    // One stream: a range's answer carries its bounds in Content-Range.
    let (out, dir, proxy) = get_through_with(vec![S3Step::Unsized], &["--parallel", "1"]);
    assert_eq!(
        text(&out.stderr),
        format!(
            "Caught exception accessing s3://{}/{}: BadAnswer: S3 at {} sent the object without its length (no Content-Length); sts3 cannot tell a whole object from a cut one\n",
            service().bucket,
            service().large_key,
            proxy.url
        )
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn a_download_in_parts_that_cannot_renew_keeps_its_parts_and_the_same_command_resumes_them() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    // Five parts of 5 MiB: the first two come whole, the other three meet an expired token,
    // and STS refuses the refresh.
    proxy.set(|f| {
        f.s3_script.extend([
            S3Step::Pass,
            S3Step::Pass,
            S3Step::EXPIRED_TOKEN,
            S3Step::EXPIRED_TOKEN,
            S3Step::EXPIRED_TOKEN,
        ]);
        f.sts_script
            .extend([common::proxy::StsStep::Pass, common::proxy::StsStep::Refuse]);
    });
    let dir = tempfile::tempdir().unwrap();
    let get = |url: &str| {
        common::command(url, "get")
            .args([&s.large_key, "-o", dir.path().to_str().unwrap()])
            .args(["--part-size", "5", "--parallel", "2"])
            .output()
            .unwrap()
    };
    let name = s.large_key.rsplit('/').next().unwrap();
    let part = dir.path().join(format!("{name}.part"));
    let out = get(&proxy.url);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "sts3: {} is kept: the same command again resumes it",
            part.display()
        )),
        "{stderr}"
    );
    assert_eq!(
        files_in(dir.path()),
        [format!("{name}.part"), format!("{name}.part.sts3")]
    );
    // Again, with the service well: only the parts not kept are asked for.
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let out = get(&proxy.url);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "sts3: {}: an earlier download left 2 of 5 parts; resuming with 10,485,760 bytes in",
            part.display()
        )),
        "{stderr}"
    );
    let bytes = std::fs::read(dir.path().join(name)).unwrap();
    assert_eq!(common::sha256_hex(&bytes), s.large_sha256);
    assert_eq!(files_in(dir.path()), [name.to_string()]);
    let gets = proxy
        .log()
        .iter()
        .filter(|l| l.starts_with("GET /"))
        .count();
    assert_eq!(
        gets,
        1 + 3,
        "the first part (size and ETag), then the three not kept: {:#?}",
        proxy.log()
    );
}
