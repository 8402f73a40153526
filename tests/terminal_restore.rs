//! The terminal is given back after every way out: q, Ctrl-C, SIGTERM, and a panic (a forced
//! one, in a debug-only code path). Checked in the same pty: the alternate screen is off, the
//! cursor is visible, and `stty` shows canonical mode and echo back on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::service;
use common::tmux::Tmux;
use std::time::Duration;

const T: Duration = Duration::from_secs(20);

fn start() -> Tmux {
    let s = service();
    let env = [
        ("STS3_DEBUG_PANIC_KEY", "1".into()),
        ("RUST_BACKTRACE", "0".into()),
    ];
    let tmux = common::start_tui(&s.endpoint, &[], &env, 100, 30);
    tmux.record_output();
    tmux.wait_for("all 3 keys loaded", T);
    let state = tmux.pane_format("#{alternate_on} #{cursor_flag}");
    assert_eq!(
        state, "1 0",
        "the TUI runs on the alternate screen, cursor hidden"
    );
    tmux
}

fn assert_restored(tmux: &Tmux) {
    // tmux parses the pane's last output asynchronously: give it a moment to catch up.
    let deadline = sts3::clock::instant() + Duration::from_secs(3);
    let state = loop {
        let state = tmux.pane_format("#{alternate_on} #{cursor_flag}");
        if state == "0 1" || sts3::clock::instant() > deadline {
            break state;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(state, "0 1", "alternate screen left, cursor visible");
    // Left exactly once: a second "leave" moves the cursor back up over what was printed.
    let raw = tmux.raw_output();
    let leaves = raw.windows(8).filter(|w| w == b"\x1b[?1049l").count();
    assert_eq!(leaves, 1, "the alternate screen is left once");
    let stty = tmux.stty_after_exit();
    let flags: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "icrnl", "opost", "isig"] {
        assert!(flags.contains(&flag), "{flag} is back on:\n{stty}");
        let off = format!("-{flag}");
        assert!(!flags.contains(&off.as_str()), "{flag} still off:\n{stty}");
    }
}

#[test]
fn restored_after_q() {
    let tmux = start();
    tmux.keys(&["q"]);
    assert_eq!(tmux.exit_status(T), 0);
    assert_restored(&tmux);
}

#[test]
fn restored_after_ctrl_c() {
    let tmux = start();
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.exit_status(T), 0);
    assert_restored(&tmux);
}

#[test]
fn restored_after_sigterm() {
    let tmux = start();
    let pid = tmux.program_pid("sts3").expect("sts3's pid");
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert_eq!(tmux.exit_status(T), 0, "a clean exit on SIGTERM");
    assert_restored(&tmux);
}

#[test]
fn restored_after_a_panic_and_the_message_is_readable() {
    let tmux = start();
    tmux.keys(&["F12"]);
    assert_eq!(
        tmux.exit_status(T),
        101,
        "a panic exits with Rust's panic code"
    );
    assert_restored(&tmux);
    let screen = tmux.screen();
    assert!(
        screen.contains("forced panic (debug build, STS3_DEBUG_PANIC_KEY)"),
        "{screen}"
    );
}
