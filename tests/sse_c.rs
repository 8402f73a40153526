//! SSE-C on the real local service (SeaweedFS refuses to read an object stored with a customer
//! key unless the request carries it): `sts3 get` says what is missing, reads it byte for byte
//! with `--sse-c-key-file` (in parts too), says when the key is not the one, and refuses a key
//! file that holds no key before anything is sent; in the TUI, `K` gives an object's key
//! (a wrong one refused and said so) and its preview, detail and save read with it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::service;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `key` put with the customer key `secret`, holding `body`.
fn put_encrypted(key: &str, secret: &[u8; 32], body: Vec<u8>) {
    let (rt, admin) = common::admin_s3();
    let md5 = {
        use md5::Digest as _;
        STANDARD.encode(md5::Md5::digest(secret))
    };
    rt.block_on(
        admin
            .put_object()
            .bucket(&service().bucket)
            .key(key)
            .sse_customer_algorithm("AES256")
            .sse_customer_key(STANDARD.encode(secret))
            .sse_customer_key_md5(md5)
            .body(body.into())
            .send(),
    )
    .unwrap();
}

#[test]
fn an_sse_c_object_is_read_with_its_key_only_and_said_so_otherwise() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let key = format!("sse-c-{}/big.bin", std::process::id());
    let secret = [0x5au8; 32];
    // Larger than a part: the ranged download carries the key on every part.
    let body: Vec<u8> = (0..(9 * 1024 * 1024u32)).map(|i| (i % 251) as u8).collect();
    put_encrypted(&key, &secret, body.clone());
    let key_file = dir.path().join("key.bin");
    std::fs::write(&key_file, secret).unwrap();
    // The key as base64 text works too.
    let text_file = dir.path().join("key.txt");
    std::fs::write(&text_file, format!("{}\n", STANDARD.encode(secret))).unwrap();
    let get = |extra: &[&str]| {
        common::command(&s.endpoint, "get")
            .arg(&key)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = get(&["-o", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(
            "the object is encrypted with a customer-provided key (SSE-C); pass --sse-c-key-file FILE"
        ),
        "{}",
        text(&out.stderr)
    );
    for file in [&key_file, &text_file] {
        let saved = dir.path().join("big.bin");
        let _ = std::fs::remove_file(&saved);
        let out = get(&[
            "--sse-c-key-file",
            file.to_str().unwrap(),
            "-o",
            saved.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(
            common::sha256_hex(&std::fs::read(&saved).unwrap()),
            common::sha256_hex(&body)
        );
    }
    let wrong = dir.path().join("wrong.bin");
    std::fs::write(&wrong, [0x11u8; 32]).unwrap();
    let out = get(&["--sse-c-key-file", wrong.to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("the SSE-C key given is not the one the object was stored with"),
        "{}",
        text(&out.stderr)
    );
    // The key itself is never said.
    assert!(!text(&out.stderr).contains(&STANDARD.encode([0x11u8; 32])));
    let short = dir.path().join("short.bin");
    std::fs::write(&short, b"0123").unwrap();
    let out = get(&["--sse-c-key-file", short.to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim_end(),
        format!(
            "sts3: {}: the key file holds 4 bytes; an SSE-C key is 32 bytes (AES-256), raw or base64 on one line",
            short.display()
        )
    );
}

#[test]
fn in_the_tui_k_gives_an_objects_key_and_its_preview_detail_and_save_read_with_it() {
    const T: std::time::Duration = std::time::Duration::from_secs(20);
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("sse-c-tui-{}/", std::process::id());
    let secret = [0x3cu8; 32];
    put_encrypted(
        &format!("{prefix}secret.txt"),
        &secret,
        b"the secret text, read with its key\n".to_vec(),
    );
    let right = dir.path().join("right.key");
    std::fs::write(&right, format!("{}\n", STANDARD.encode(secret))).unwrap();
    let wrong = dir.path().join("wrong.key");
    std::fs::write(&wrong, [0x11u8; 32]).unwrap();
    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("download_dir = {:?}\n", downloads.display().to_string()),
    )
    .unwrap();
    let tmux = common::start_tui(
        &s.endpoint,
        &["--prefix", &prefix, "--config", config.to_str().unwrap()],
        &[],
        120,
        40,
    );
    tmux.wait_for("all 1 key loaded", T);
    tmux.keys(&["p"]);
    let screen = tmux.wait_for("K gives its key (typed or @FILE)", T);
    assert!(
        screen.contains("encrypted with a customer-provided key (SSE-C)"),
        "{screen}"
    );
    let give = |file: &std::path::Path| {
        tmux.keys(&["K"]);
        tmux.wait_for("SSE-C key of ", T);
        tmux.type_text(&format!("@{}", file.display()));
        tmux.keys(&["Enter"]);
    };
    // A key that is not the object's: the refusal says so, with the way on.
    give(&wrong);
    tmux.wait_for(
        "the SSE-C key given is not the one the object was stored with (K gives another)",
        T,
    );
    // The right one, from a base64 file: the preview reads.
    give(&right);
    let screen = tmux.wait_for("the secret text, read with its key", T);
    assert!(!screen.contains(&STANDARD.encode(secret)), "{screen}");
    // The detail reads with it too, and says how the object is encrypted.
    tmux.keys(&["BSpace"]);
    tmux.wait_until("the preview closed", T, |s| !s.contains("Preview s3://"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("SSE-C AES256 (a customer-provided key)", T);
    // And a save, byte for byte.
    tmux.keys(&["s"]);
    tmux.wait_for("saved ", T);
    assert_eq!(
        std::fs::read(downloads.join("secret.txt")).unwrap(),
        b"the secret text, read with its key\n"
    );
    // A key typed at the prompt is masked.
    tmux.keys(&["K"]);
    tmux.wait_for("SSE-C key of ", T);
    tmux.type_text("typed-secret");
    let screen = tmux.wait_for("••••••••••••▏", T);
    assert!(!screen.contains("typed-secret"), "{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("no key given", T);
    tmux.quit();
}

#[test]
fn a_folder_of_sse_c_objects_is_saved_with_the_key_given_for_every_one() {
    let s = service();
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("sse-c-tree-{}/", std::process::id());
    let secret = [0x6bu8; 32];
    let bodies = [
        ("a.txt", b"alpha, encrypted".to_vec()),
        ("sub/b.bin", vec![7u8; 70_000]),
    ];
    for (name, body) in &bodies {
        put_encrypted(&format!("{prefix}{name}"), &secret, body.clone());
    }
    let key_file = dir.path().join("key.bin");
    std::fs::write(&key_file, secret).unwrap();
    let get = |out: &std::path::Path, extra: &[&str]| {
        common::command(&s.endpoint, "get")
            .args(["--recursive", &format!("s3://{}/{prefix}", s.bucket), "-o"])
            .arg(out)
            .args(extra)
            .output()
            .unwrap()
    };
    // Without the key, each object is refused and counted.
    let bare = dir.path().join("bare");
    let out = get(&bare, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("2 failed"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        text(&out.stderr)
            .matches("the object is encrypted with a customer-provided key (SSE-C); pass --sse-c-key-file FILE")
            .count(),
        2,
        "each object says the way on: {}",
        text(&out.stderr)
    );
    // Another key: each says it may not be the one.
    let wrong = dir.path().join("wrong.bin");
    std::fs::write(&wrong, [0x11u8; 32]).unwrap();
    let out = get(
        &dir.path().join("wrong"),
        &["--sse-c-key-file", wrong.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("the SSE-C key given is not the one the object was stored with (--sse-c-key-file names another)"),
        "{}",
        text(&out.stderr)
    );
    // With it, every object, byte for byte.
    let keyed = dir.path().join("keyed");
    let out = get(&keyed, &["--sse-c-key-file", key_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for (name, body) in &bodies {
        assert_eq!(&std::fs::read(keyed.join(name)).unwrap(), body, "{name}");
    }
    assert!(!text(&out.stderr).contains(&STANDARD.encode(secret)));
}
