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

fn kill(tmux: &Tmux, signal: &str) -> u32 {
    let pid = tmux.program_pid("sts3").expect("sts3's pid");
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal}");
    pid
}

#[test]
fn restored_after_sigterm() {
    let tmux = start();
    kill(&tmux, "TERM");
    assert_eq!(tmux.exit_status(T), 0, "a clean exit on SIGTERM");
    assert_restored(&tmux);
}

#[test]
fn restored_after_an_external_sigint() {
    let tmux = start();
    kill(&tmux, "INT");
    assert_eq!(tmux.exit_status(T), 0, "a clean exit on SIGINT");
    assert_restored(&tmux);
}

#[test]
fn restored_after_sigquit() {
    let tmux = start();
    kill(&tmux, "QUIT");
    assert_eq!(tmux.exit_status(T), 0, "a clean exit on SIGQUIT");
    assert_restored(&tmux);
}

/// The process state letter from /proc (`T` when stopped).
fn process_state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(") ")
        .next()
        .and_then(|rest| rest.chars().next())
        .unwrap_or('?')
}

fn wait_for_state(pid: u32, want: char) {
    let deadline = sts3::clock::instant() + T;
    while process_state(pid) != want {
        assert!(
            sts3::clock::instant() < deadline,
            "process {pid} never reached state {want}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sigtstp_gives_the_terminal_back_and_sigcont_takes_it_again() {
    let tmux = start();
    let pid = kill(&tmux, "TSTP");
    wait_for_state(pid, 'T');
    // Stopped, with the screen, the cursor and the terminal modes given back.
    let deadline = sts3::clock::instant() + Duration::from_secs(3);
    while tmux.pane_format("#{alternate_on} #{cursor_flag}") != "0 1" {
        assert!(
            sts3::clock::instant() < deadline,
            "the screen is left while stopped"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    kill(&tmux, "CONT");
    wait_for_state(pid, 'S');
    tmux.wait_until("the TUI drawn again", T, |s| {
        s.contains("all 3 keys loaded")
    });
    assert_eq!(
        tmux.pane_format("#{alternate_on}"),
        "1",
        "back on the alternate screen"
    );
    tmux.keys(&["q"]);
    assert_eq!(tmux.exit_status(T), 0);
    wait_screen_given_back(&tmux, "at the end");
}

/// Waits until the pane is off the alternate screen with the cursor shown.
fn wait_screen_given_back(tmux: &Tmux, when: &str) {
    let deadline = sts3::clock::instant() + Duration::from_secs(3);
    while tmux.pane_format("#{alternate_on} #{cursor_flag}") != "0 1" {
        assert!(
            sts3::clock::instant() < deadline,
            "screen given back {when}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn restored_after_a_panic_in_a_background_task() {
    let tmux = start();
    tmux.keys(&["F11"]);
    assert_eq!(
        tmux.exit_status(T),
        101,
        "a panic on another thread ends the process, with the panic code"
    );
    assert_restored(&tmux);
    let screen = tmux.screen();
    assert!(
        screen.contains("forced panic in a background task"),
        "{screen}"
    );
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
