//! Acting on objects in the real TUI, in tmux, against the real local S3+STS service (through
//! the fault proxy where bytes are counted or faults forced): open a folder, the detail (equal
//! to what the AWS CLI's head-object says), the three kinds of preview (a ranged GET of
//! preview_bytes, never the whole object), a download that lands byte-identical — also through a
//! cut connection and an expired token — and a presigned URL copied with OSC 52 that fetches
//! the object. Under a list-only session policy, the refusals show in place and the listing
//! stays.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::proxy::{FaultProxy, S3Step};
use common::tmux::Tmux;
use common::{root, service};
use md5::{Digest as _, Md5};
use sha2::Sha256;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const T: Duration = Duration::from_secs(20);

/// A config file in `dir` that saves downloads into `dir/downloads`, plus `extra` lines.
fn config(dir: &Path, extra: &str) -> String {
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "download_dir = {:?}\n{extra}",
            downloads.display().to_string()
        ),
    )
    .unwrap();
    path.display().to_string()
}

/// The TUI on `endpoint` with `config`, opened on docs/ (the third folder of the root).
fn open_docs(endpoint: &str, config: &str) -> Tmux {
    let tmux = common::start_tui(endpoint, &["--config", config], &[], 120, 40);
    tmux.wait_for("all 3 keys loaded, 7 folders", T);
    tmux.keys(&["j", "j", "Enter"]);
    let screen = tmux.wait_for("all 6 keys loaded, 1 folder", T);
    assert!(screen.contains("s3://sts3-demo/docs/"), "{screen}");
    tmux
}

/// Moves the cursor onto `name` (a row of docs/: with space/, blob.bin, config.json,
/// guide.md, large.bin, notes.txt, tagged.csv).
fn select(tmux: &Tmux, name: &str) {
    let rows = [
        "with space/",
        "blob.bin",
        "config.json",
        "guide.md",
        "large.bin",
        "notes.txt",
        "tagged.csv",
    ];
    let at = rows.iter().position(|r| *r == name).unwrap();
    tmux.keys(&["g"]);
    for _ in 0..at {
        tmux.keys(&["j"]);
    }
    tmux.wait_for(&format!("{}/7", at + 1), T);
}

/// The value after `label` on the detail view's line for it.
fn field(screen: &str, label: &str) -> Option<String> {
    screen.lines().find_map(|line| {
        let inner = line.trim_start_matches('┃');
        let rest = inner.strip_prefix(label)?;
        rest.starts_with("  ")
            .then(|| rest.trim().trim_end_matches('┃').trim().to_string())
    })
}

fn head_object(key: &str) -> serde_json::Value {
    let s = service();
    let out = Command::new(root().join(".venv/bin/aws"))
        .envs(s.env())
        .args([
            "--endpoint-url",
            &s.endpoint,
            "s3api",
            "head-object",
            "--bucket",
            &s.bucket,
            "--key",
            key,
            "--output",
            "json",
        ])
        .output()
        .expect("run the AWS CLI from .venv");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The detail view on `screen` shows what head-object says of `key`.
fn detail_is_head_object(screen: &str, key: &str) {
    let head = head_object(key);
    let size = head["ContentLength"].as_u64().unwrap();
    assert_eq!(
        field(screen, "Size").unwrap(),
        format!("{size} bytes ({size} B)")
    );
    assert_eq!(
        field(screen, "ETag").unwrap(),
        head["ETag"].as_str().unwrap()
    );
    assert_eq!(
        field(screen, "Content type").unwrap(),
        head["ContentType"].as_str().unwrap()
    );
    assert_eq!(
        field(screen, "Cache control").unwrap(),
        head["CacheControl"].as_str().unwrap()
    );
    let metadata = head["Metadata"].as_object().unwrap();
    assert_eq!(metadata.len(), 2, "{metadata:?}");
    for (name, value) in metadata {
        assert_eq!(
            field(screen, &format!("x-amz-meta-{name}")).as_deref(),
            value.as_str(),
            "{screen}"
        );
    }
    assert_eq!(field(screen, "Key").unwrap(), key);
}

#[test]
fn open_a_folder_then_detail_preview_save_and_share_an_object() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let tmux = open_docs(&proxy.url, &config(dir.path(), ""));

    // Detail: what head-object says.
    select(&tmux, "tagged.csv");
    tmux.keys(&["Enter"]);
    detail_is_head_object(&tmux.wait_for("x-amz-meta-team", T), "docs/tagged.csv");

    // p from the detail: the text.
    tmux.keys(&["p"]);
    let screen = tmux.wait_for("Preview · 23 B · text", T);
    assert!(
        screen.contains("┃id,name") && screen.contains("┃2,beta"),
        "{screen}"
    );
    // ⌫ goes back to the listing, cursor where it was.
    tmux.keys(&["BSpace"]);
    tmux.wait_for("7/7", T);

    // JSON, pretty-printed.
    select(&tmux, "config.json");
    tmux.keys(&["p"]);
    let screen = tmux.wait_for("· JSON", T);
    assert!(screen.contains("┃{"), "{screen}");
    assert!(
        screen.lines().any(|l| l.starts_with("┃  \"")),
        "keys indented on their own lines: {screen}"
    );
    tmux.keys(&["BSpace"]);

    // A 3 MiB binary: hex, and only the first 256 KiB crossed the wire.
    select(&tmux, "blob.bin");
    tmux.keys(&["p"]);
    let screen = tmux.wait_for("first 256 KiB of 3.0 MiB · hex", T);
    assert!(screen.contains("┃00000000  "), "{screen}");
    let gets: Vec<String> = proxy
        .log()
        .into_iter()
        .filter(|l| l.starts_with("GET /sts3-demo/docs/blob.bin"))
        .collect();
    assert_eq!(gets.len(), 1, "{gets:?}");
    assert!(gets[0].contains("range=bytes=0-262143"), "{gets:?}");
    let sent = proxy.body_bytes("GET /sts3-demo/docs/blob.bin");
    assert_eq!(sent, 262_144, "preview_bytes and not a byte more");
    tmux.keys(&["BSpace"]);

    // s saves it; the file is the object (its MD5 is its single-part ETag).
    tmux.keys(&["s"]);
    tmux.wait_for("saved ", T);
    let saved = std::fs::read(dir.path().join("downloads/blob.bin")).unwrap();
    let etag = head_object("docs/blob.bin")["ETag"]
        .as_str()
        .unwrap()
        .trim_matches('"')
        .to_string();
    assert_eq!(hex(&Md5::digest(&saved)), etag);
    let names: Vec<String> = std::fs::read_dir(dir.path().join("downloads"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["blob.bin"], "no .part left");

    // s again: the file exists; k keeps both.
    tmux.keys(&["s"]);
    tmux.wait_for("blob (1).bin", T);
    tmux.keys(&["k"]);
    tmux.wait_until("the second copy", T, |_| {
        dir.path().join("downloads/blob (1).bin").exists()
    });

    // u: a URL bounded by the 15-minute session, copied (OSC 52) and shown.
    select(&tmux, "notes.txt");
    tmux.keys(&["u"]);
    let screen = tmux.wait_for("Presigned URL", T);
    assert!(screen.contains("(the session's expiry"), "{screen}");
    tmux.wait_until("the URL in tmux's paste buffer", T, |_| {
        tmux.newest_buffer().starts_with("http")
    });
    let url = tmux.newest_buffer();
    let expires: u64 = url
        .split("X-Amz-Expires=")
        .nth(1)
        .and_then(|r| r.split('&').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(expires <= 900, "{url}");
    assert!(url.contains("X-Amz-Security-Token="), "{url}");
    let fetched = http_get(&url);
    assert!(fetched.starts_with("Release notes"), "{fetched}");
    tmux.keys(&["Enter"]);
    tmux.wait_until("the popup to close", T, |s| !s.contains("Presigned URL"));
    tmux.quit();
}

/// A GET with a plain HTTP client (curl), the way a URL's recipient would fetch it.
fn http_get(url: &str) -> String {
    let out = Command::new("curl")
        .args(["-sS", "--fail", url])
        .output()
        .expect("curl is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_tui_download_resumes_through_a_cut_and_an_expired_token() {
    let s = service();
    let proxy = FaultProxy::start(&s.endpoint, &s.signing_key);
    let dir = tempfile::tempdir().unwrap();
    let tmux = open_docs(&proxy.url, &config(dir.path(), ""));
    select(&tmux, "large.bin");
    let sts_before = proxy.count("POST / ->");
    proxy.set(|f| {
        f.s3_script
            .extend([S3Step::CutMidBody, S3Step::EXPIRED_TOKEN]);
    });
    tmux.keys(&["s"]);
    tmux.wait_until("the download to finish", Duration::from_mins(1), |screen| {
        screen.contains("saved ")
    });
    let bytes = std::fs::read(dir.path().join("downloads/large.bin")).unwrap();
    assert_eq!(
        hex(&Sha256::digest(&bytes)),
        s.large_sha256,
        "byte-identical"
    );
    let log = proxy.log();
    let gets: Vec<&String> = log
        .iter()
        .filter(|l| l.starts_with("GET /sts3-demo/docs/large.bin"))
        .collect();
    // In 8 MiB parts: the first part's GET is cut, the next (another part's) refused; both
    // are asked again, the cut one from where it broke off.
    assert_eq!(gets.len(), 5, "{log:#?}");
    assert!(gets[0].contains("range=bytes=0-8388607 "), "{}", gets[0]);
    for later in &gets[1..] {
        assert!(later.contains("if-match=\""), "one version: {later}");
    }
    let resumed = gets[2..]
        .iter()
        .find(|g| g.contains("-8388607 "))
        .expect("the cut part asked again");
    assert!(
        !resumed.contains("range=bytes=0-"),
        "resumed, not restarted: {resumed}"
    );
    assert_eq!(
        proxy.count("POST / ->") - sts_before,
        1,
        "one refresh: {log:#?}"
    );
    tmux.quit();
}

#[test]
fn under_a_list_only_policy_refusals_show_in_place_and_the_listing_stays() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let tmux = open_docs(
        &s.endpoint,
        &config(dir.path(), "allow_get_object = false\n"),
    );
    let hint =
        "the session policy does not allow s3:GetObject on arn:aws:s3:::sts3-demo/docs/notes.txt";
    select(&tmux, "notes.txt");
    tmux.keys(&["p"]);
    let screen = tmux.wait_for(hint, T);
    assert!(screen.contains("✗ AccessDenied"), "{screen}");
    tmux.keys(&["BSpace"]);
    let screen = tmux.wait_for("all 6 keys loaded, 1 folder", T);
    assert!(screen.contains("notes.txt") && screen.contains("blob.bin"));

    tmux.keys(&["Enter"]);
    tmux.wait_for(hint, T);
    tmux.keys(&["BSpace"]);

    tmux.keys(&["s"]);
    let screen = tmux.wait_for(
        "✗ saving docs/notes.txt failed: AccessDenied: Access Denied; the session policy does not allow s3:GetObject on",
        T,
    );
    assert!(
        screen.contains("arn:aws:s3:::sts3-demo/docs/notes.txt"),
        "{screen}"
    );
    assert!(
        screen.contains("┃  s: try again"),
        "no refresh offered: {screen}"
    );
    assert!(screen.contains("all 6 keys loaded, 1 folder"), "{screen}");
    let names: Vec<_> = std::fs::read_dir(dir.path().join("downloads"))
        .unwrap()
        .collect();
    assert!(names.is_empty(), "nothing saved, no .part: {names:?}");

    tmux.keys(&["u"]);
    let screen = tmux.wait_for("the URL will be refused", T);
    assert!(screen.contains(hint), "{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_until("the popup to close", T, |s| !s.contains("Presigned URL"));
    tmux.quit();
}

#[test]
fn a_missing_download_folder_is_named_with_its_fix() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("download_dir = {:?}\n", missing.display().to_string()),
    )
    .unwrap();
    let tmux = open_docs(&s.endpoint, config.to_str().unwrap());
    select(&tmux, "notes.txt");
    tmux.keys(&["s"]);
    let screen = tmux.wait_for("does not exist; create it, or set", T);
    assert!(
        screen.contains("the download folder")
            && screen.contains("┃download_dir in the config file"),
        "{screen}"
    );
    assert!(!missing.exists(), "nothing created behind the user's back");
    tmux.quit();
}

/// An object's bytes, as `sts3 get -o -` prints them.
fn object_bytes(key: &str) -> Vec<u8> {
    let out = common::command(&service().endpoint, "get")
        .args([key, "-o", "-"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn s_saves_a_folder_and_marked_objects_and_a_second_time_keeps_what_is_there() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let tmux = open_docs(&s.endpoint, &config(dir.path(), ""));
    let downloads = dir.path().join("downloads");
    // A folder: listed, asked about, saved under its name.
    select(&tmux, "with space/");
    tmux.keys(&["s"]);
    tmux.wait_for("save 2 objects (29.3 KiB) into ", T);
    tmux.keys(&["y"]);
    tmux.wait_for("saved 2 objects (29.3 KiB) to ", T);
    for name in ["report final.pdf", "notes (draft).txt"] {
        assert_eq!(
            std::fs::read(downloads.join("with space").join(name)).unwrap(),
            object_bytes(&format!("docs/with space/{name}")),
            "{name}"
        );
    }
    // Marked objects, a large one in ranged parts.
    select(&tmux, "large.bin");
    tmux.keys(&["Space", "Space"]); // large.bin and notes.txt
    tmux.keys(&["s"]);
    tmux.wait_for("save 2 objects (24.0 MiB) into ", T);
    tmux.keys(&["y"]);
    tmux.wait_for("saved 2 objects (24.0 MiB) to ", Duration::from_mins(1));
    let large = std::fs::read(downloads.join("large.bin")).unwrap();
    assert_eq!(hex(&Sha256::digest(&large)), s.large_sha256);
    assert_eq!(
        std::fs::read(downloads.join("notes.txt")).unwrap(),
        object_bytes("docs/notes.txt")
    );
    // Again: what is there with the object's size is kept, not fetched.
    tmux.keys(&["s"]);
    tmux.wait_for("save 2 objects (24.0 MiB) into ", T);
    tmux.keys(&["y"]);
    tmux.wait_for("saved 0 objects (0 B) to ", T);
    let screen = tmux.wait_for("2 already there (same size)", T);
    assert!(!screen.contains(".part"), "{screen}");
    assert!(
        std::fs::read_dir(&downloads).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".part")),
        "no .part left"
    );
    tmux.quit();
}
