//! Every key in the README's key table, typed into the real binary in tmux: each reaches its
//! action through the terminal's own encoding (crossterm's parsing included). The model's side
//! of each action is tested in `src/app/tests_keys.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::service;
use common::tmux::Tmux;
use std::time::Duration;

const T: Duration = Duration::from_secs(20);

/// The cursor's place in the object pane's footer (`12/1000`), whether the pane has the focus
/// (`┗`) or not (`└`); `None` while the screen is caught mid-frame (tmux may be read between
/// two writes of one frame).
fn position(screen: &str) -> Option<usize> {
    screen
        .lines()
        .rev()
        .filter(|l| l.starts_with('┗') || l.starts_with('└'))
        .find_map(|footer| {
            let field = footer.split_whitespace().rev().find(|w| {
                w.contains('/') && w.chars().next().is_some_and(|c| c.is_ascii_digit())
            })?;
            field.split('/').next()?.parse().ok()
        })
}

/// The cursor's place once a whole frame is on screen.
fn settled_position(tmux: &Tmux) -> usize {
    let screen = tmux.wait_until("a whole frame", T, |s| position(s).is_some());
    position(&screen).unwrap()
}

/// Types `keys` and waits until the cursor is at `want`.
fn moves_to(tmux: &Tmux, keys: &[&str], want: usize) {
    tmux.keys(keys);
    tmux.wait_until(&format!("{keys:?} to reach row {want}"), T, |s| {
        position(s) == Some(want)
    });
}

#[test]
fn every_key_in_the_table_reaches_its_action() {
    let s = service();
    let tmux = common::start_tui(&s.endpoint, &[], &[], 100, 30);
    tmux.wait_for("all 3 keys loaded, 7 folders", T);
    // Into big/ (the first row): Enter.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("1,000 keys loaded · more available", T);
    let page = {
        let body = screen
            .lines()
            .filter(|l| l.starts_with('┃') && l.contains("item-"))
            .count();
        assert!(body > 5, "{screen}");
        body
    };
    moves_to(&tmux, &["j"], 2);
    moves_to(&tmux, &["Down"], 3);
    moves_to(&tmux, &["k"], 2);
    moves_to(&tmux, &["Up"], 1);
    moves_to(&tmux, &["PageDown"], 1 + page);
    moves_to(&tmux, &["C-d"], 1 + 2 * page);
    moves_to(&tmux, &["PageUp"], 1 + page);
    moves_to(&tmux, &["C-u"], 1);
    tmux.keys(&["End"]);
    tmux.wait_until("End to reach the loaded end", T, |s| {
        position(s).is_some_and(|p| p >= 1000)
    });
    moves_to(&tmux, &["Home"], 1);
    tmux.keys(&["G"]);
    tmux.wait_until("G to reach the loaded end", T, |s| {
        position(s).is_some_and(|p| p >= 1000)
    });
    moves_to(&tmux, &["g"], 1);
    // Up a level: Backspace, Left and h; into a folder: Enter, Right and l.
    for (up, into) in [("BSpace", "Right"), ("Left", "l"), ("h", "Enter")] {
        tmux.keys(&[up]);
        tmux.wait_until(&format!("{up} to go up"), T, |s| {
            s.contains("s3://sts3-demo/ ") && s.contains("all 3 keys loaded")
        });
        moves_to(&tmux, &["g"], 1);
        tmux.keys(&[into]);
        tmux.wait_for("s3://sts3-demo/big/", T);
    }
    // Tab and BackTab move the focus: movement keys then scroll the other pane instead.
    tmux.keys(&["Tab", "Tab", "j"]);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        settled_position(&tmux),
        1,
        "j scrolled the policy pane, not the list"
    );
    tmux.keys(&["BTab", "BTab", "j"]);
    tmux.wait_until("the focus back on the list", T, |s| position(s) == Some(2));
    // ? opens and closes the help.
    tmux.keys(&["?"]);
    tmux.wait_for("show or hide this help", T);
    tmux.keys(&["?"]);
    tmux.wait_until("the help closed", T, |s| {
        !s.contains("show or hide this help")
    });
    // / filters; Escape clears.
    tmux.keys(&["/", "0", "0", "0", "0", "7"]);
    tmux.wait_for("filter \"00007\": 1 of 1000", T);
    tmux.keys(&["Escape"]);
    tmux.wait_until("the filter cleared", T, |s| !s.contains("filter \""));
    // C-r reloads the listing; r refreshes the credentials.
    tmux.keys(&["C-r"]);
    tmux.wait_for("1,000 keys loaded · more available", T);
    tmux.keys(&["r"]);
    tmux.wait_for("credentials refreshed (federated mode)", T);
    // f says so (already federated); a, t, f and m switch modes. (Session-token mode is
    // refused by this service, which has no GetSessionToken: the attempt shows the key worked.)
    tmux.keys(&["f"]);
    tmux.wait_for("already in federated mode", T);
    tmux.keys(&["a"]);
    tmux.wait_for("Role/assumerole-s3-list", T);
    tmux.keys(&["t"]);
    tmux.wait_for("Error     session token:", T);
    tmux.keys(&["f"]);
    tmux.wait_for("federated-user/alice", T);
    tmux.keys(&["m"]);
    tmux.wait_for("Role/assumerole-s3-list", T);
    // C-z suspends (the process stops); SIGCONT brings it back.
    let pid = tmux.program_pid("sts3").expect("sts3's pid");
    tmux.keys(&["C-z"]);
    let stat = || std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let deadline = sts3::clock::instant() + T;
    while !stat().contains(") T ") {
        assert!(sts3::clock::instant() < deadline, "C-z stops sts3");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::process::Command::new("kill")
        .args(["-CONT", &pid.to_string()])
        .status()
        .unwrap();
    tmux.wait_for("s3://sts3-demo/big/", T);
    // q quits (C-c is in tests/terminal_restore.rs).
    tmux.quit();
}

#[test]
fn colon_goes_to_a_path_or_lists_what_starts_with_a_name() {
    let s = service();
    let tmux = common::start_tui(&s.endpoint, &[], &[], 100, 30);
    tmux.wait_for("all 3 keys loaded, 7 folders", T);
    // `:` goes to a path: a partial name lists the keys that start with it (S3 matches
    // prefixes only), names shown from their folder.
    tmux.keys(&[":"]);
    tmux.wait_for("go to s3://sts3-demo/: ", T);
    tmux.type_text("/photos/2024/01/IMG_2024010");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("all 8 keys loaded", T);
    assert!(
        screen.contains("s3://sts3-demo/photos/2024/01/ · names starting with “IMG_2024010”"),
        "{screen}"
    );
    assert!(screen.contains("┃IMG_20240108.jpg"), "{screen}");
    // A URI, and .. from the folder shown.
    tmux.keys(&[":"]);
    tmux.type_text("s3://sts3-demo/docs/");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Objects s3://sts3-demo/docs/ ", T);
    tmux.keys(&[":"]);
    tmux.type_text("../reports/");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Objects s3://sts3-demo/reports/ ", T);
    tmux.quit();
}
