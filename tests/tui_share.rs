//! The TUI's `S` and `!` against the real local service: the line it shows makes another
//! shell's AWS CLI list the bucket with the TUI's session (a `[default]` profile with other
//! keys and keys in the environment do not win), the session pane counts it, `!` runs a shell
//! with it and comes back, quitting asks first, and the token's folder goes with sts3.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{root, service};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const T: Duration = Duration::from_secs(30);

fn aws() -> String {
    root().join(".venv/bin/aws").display().to_string()
}

/// The file the popup says to source.
fn env_file(screen: &str) -> PathBuf {
    let line = screen
        .lines()
        .find_map(|l| {
            let at = l.find(". /")?;
            Some(l[at + 2..].split_whitespace().next()?.to_string())
        })
        .unwrap_or_else(|| panic!("no line to paste on screen:\n{screen}"));
    PathBuf::from(line)
}

/// What the endpoint `env_file` points at hands out now.
fn served_now(env_file: &Path) -> serde_json::Value {
    use std::io::{Read, Write};
    let script = std::fs::read_to_string(env_file).unwrap();
    let var = |name: &str| {
        script
            .lines()
            .find_map(|l| l.strip_prefix(&format!("export {name}=")))
            .unwrap()
            .trim_matches('\'')
            .to_string()
    };
    let url = var("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    let token = std::fs::read_to_string(var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")).unwrap();
    let addr = url.trim_start_matches("http://").split('/').next().unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /credentials HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).unwrap()
}

/// How many sets the session pane says were served.
fn served(screen: &str) -> u32 {
    screen
        .split("Shared    served ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// A home whose `~/.aws` has a `[default]` profile with keys the service refuses.
fn other_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    common::write_aws_files(home.path(), "[default]\nregion = us-east-1\n");
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[default]\naws_access_key_id = AKIAOTHEROTHEROTHER0\naws_secret_access_key = other\n",
    )
    .unwrap();
    home
}

/// Another shell, as a user's: its own keys in the environment and in `~/.aws`, then the
/// line sourced, then the AWS CLI.
fn in_another_shell(env_file: &Path, home: &Path, bucket: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            ". {} && {} s3api list-objects-v2 --bucket {bucket} --max-items 2 --output json",
            env_file.display(),
            aws()
        ))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .env("HOME", home)
        .env("AWS_ACCESS_KEY_ID", "AKIAINTHEENVIRONMENT")
        .env("AWS_SECRET_ACCESS_KEY", "wrong")
        .output()
        .unwrap()
}

#[test]
fn another_shell_lists_the_bucket_with_the_shared_session_and_the_pane_counts_it() {
    let s = service();
    let home = other_home();
    let tmux = common::start_tui(
        &s.endpoint,
        &[],
        &[("SHELL", "/bin/sh".to_string())],
        120,
        40,
    );
    tmux.wait_for("loaded", T);
    tmux.keys(&["S"]);
    let screen = tmux.wait_for("Sharing the session", T);
    let env_file = env_file(&screen);
    let mode = |p: &Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    };
    assert_eq!(mode(&env_file), 0o600);
    assert_eq!(mode(env_file.parent().unwrap()), 0o700);

    let out = in_another_shell(&env_file, home.path(), &s.bucket);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("\"Key\""), "{stdout}");

    // credential_process for this very target answers from the TUI: the same set, no new
    // session (and no second MFA prompt, where one is needed).
    let out = common::command(&s.endpoint, "credentials")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let given: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(given["Version"], 1);
    assert_eq!(
        given["AccessKeyId"],
        served_now(&env_file)["AccessKeyId"],
        "the TUI's set"
    );
    assert!(
        given["SessionToken"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );

    tmux.keys(&["Escape"]);
    // The CLI may ask more than once: with 15-minute sessions (the tests') botocore finds
    // every set near its expiry.
    let screen = tmux.wait_for("Shared    served ", T);
    let served_after_one = served(&screen);
    assert!(served_after_one >= 1, "{screen}");

    // `!`: a shell in the TUI's terminal, with the session; exit comes back.
    let out_file = home.path().join("ls.txt");
    tmux.keys(&["!"]);
    tmux.wait_for("exit comes back to sts3", T);
    tmux.keys(&[
        &format!(
            "{} s3 ls s3://{}/ > {}; exit",
            aws(),
            s.bucket,
            out_file.display()
        ),
        "Enter",
    ]);
    tmux.wait_for("back from the shell", T);
    let listed = std::fs::read_to_string(&out_file).unwrap();
    assert!(listed.contains("PRE "), "{listed}");
    tmux.wait_until("the shell's requests counted", T, |s| {
        served(s) > served_after_one
    });
    tmux.keys(&["L"]);
    tmux.wait_for("handed the session to a tool", T);
    tmux.keys(&["Escape"]);

    // Quitting asks first; the folder with the token goes with sts3.
    tmux.keys(&["q"]);
    tmux.wait_for("quit and stop sharing?", T);
    tmux.keys(&["y"]);
    assert_eq!(tmux.exit_status(T), 0);
    assert!(
        !env_file.parent().unwrap().exists(),
        "the token's folder is gone"
    );
}
