//! The policy lab in the real TUI, in tmux, against the real local service (which enforces
//! session policies and `s3:prefix` conditions): the editor round trip with `EDITOR` set to a
//! script that rewrites the file (valid JSON, then not), the terminal taken back after it, the
//! diff shown, the access check agreeing with S3, and a folder-scoped template that lists the
//! folder and not the root.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::service;
use common::tmux::Tmux;
use std::path::Path;
use std::time::Duration;

const T: Duration = Duration::from_secs(20);

/// An editor that records what it was given (the file's text, its mode and its folder's) and
/// writes `valid.json` over it the first time, broken JSON after.
fn editor_script(dir: &Path) -> String {
    let bucket = &service().bucket;
    std::fs::write(
        dir.join("valid.json"),
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::{bucket}"}}]}}"#
        ),
    )
    .unwrap();
    let state = dir.display();
    let script = dir.join("editor.sh");
    std::fs::write(
        &script,
        format!(
            r#"#!/bin/sh
n=$(cat "{state}/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "{state}/count"
echo "$1" > "{state}/path"
stat -c %a "$1" > "{state}/file_mode"
stat -c %a "$(dirname "$1")" > "{state}/dir_mode"
cp "$1" "{state}/seen-$n.json"
if [ "$n" = 1 ]; then cat "{state}/valid.json" > "$1"
else printf '{{\n  "Version": "2012-10-17",\n  "Statement": [\n' > "$1"; fi
"#
        ),
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .unwrap();
    script.display().to_string()
}

use std::process::Command;

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .trim()
        .to_string()
}

fn start(extra_env: &[(&'static str, String)]) -> Tmux {
    let s = service();
    let tmux = common::start_tui(&s.endpoint, &[], extra_env, 120, 40);
    tmux.wait_for("all 3 keys loaded, 7 folders", T);
    tmux
}

#[test]
fn an_edited_policy_is_re_issued_shown_as_a_diff_and_checked_against_s3() {
    let dir = tempfile::tempdir().unwrap();
    let editor = editor_script(dir.path());
    let tmux = start(&[("EDITOR", editor), ("VISUAL", String::new())]);
    tmux.keys(&["e"]);
    let screen = tmux.wait_for("· changed", T);
    // The editor had the policy in use, in a private file, removed after.
    assert!(read(dir.path(), "seen-1.json").contains("s3:GetObject"));
    assert_eq!(read(dir.path(), "file_mode"), "600");
    assert_eq!(read(dir.path(), "dir_mode"), "700");
    assert!(
        !Path::new(&read(dir.path(), "path")).exists(),
        "temp file left behind"
    );
    // The screen is sts3's again, with the change shown in the policy pane.
    assert!(screen.contains("┌ Session"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.contains("│-") && l.contains("\"s3:GetObject\"")),
        "{screen}"
    );
    // Re-issued (not counted as a refresh) and listed again under the new session.
    let screen = tmux.wait_until("re-issued and reloaded", T, |s| {
        s.contains("re-issued for the new target")
            && s.contains("0 done")
            && s.contains("all 3 keys loaded, 7 folders")
    });
    let key_row = |screen: &str| {
        screen
            .lines()
            .find(|l| l.contains("│Key "))
            .and_then(|l| l.split_whitespace().nth(1))
            .map_or_else(|| panic!("no Key row in {screen}"), str::to_string)
    };
    let reissued_key = key_row(&screen);
    assert!(screen.contains("118/2048 chars"), "{screen}");
    // The access check on README.md (after the seven folders): S3 agrees with the policy.
    for _ in 0..7 {
        tmux.keys(&["j"]);
    }
    tmux.wait_for("8/10", T);
    tmux.keys(&["A"]);
    let screen = tmux.wait_for("answers match", T);
    let row = |call: &str| {
        screen
            .lines()
            .find(|l| l.contains(call))
            .unwrap_or_else(|| panic!("no {call} in {screen}"))
            .to_string()
    };
    assert!(
        row("HeadObject README.md").contains("✗ no statement allows it  ✗ denied (AccessDenied)"),
        "{screen}"
    );
    assert!(
        row("ListObjectsV2 the root").contains("✓ allowed by statement 1  ✓ allowed"),
        "{screen}"
    );
    assert!(screen.contains("all 2 answers match the session policy's prediction"));
    // And a preview is refused, in place.
    // (Waiting for its own words: the access check just closed says AccessDenied too.)
    tmux.keys(&["Escape"]);
    tmux.keys(&["p"]);
    let screen = tmux.wait_for("does not allow s3:GetObject", T);
    assert!(screen.contains("AccessDenied"), "{screen}");
    // The second edit saves broken JSON: shown with where, then discarded.
    tmux.keys(&["Escape"]);
    tmux.keys(&["e"]);
    let screen = tmux.wait_for("The edited policy is not valid", T);
    assert!(screen.contains("not valid JSON at line 4"), "{screen}");
    assert!(screen.contains("e edit it again"), "{screen}");
    tmux.keys(&["Escape"]);
    let screen = tmux.wait_for("Objects s3://", T);
    assert!(
        screen.contains("118/2048 chars"),
        "the session keeps its policy: {screen}"
    );
    assert_eq!(
        key_row(&screen),
        reissued_key,
        "no second re-issue: the same credentials"
    );
}

#[test]
fn a_folder_template_lists_the_folder_and_not_the_root() {
    let tmux = start(&[]);
    tmux.keys(&["j", "j", "Enter"]);
    tmux.wait_for("all 6 keys loaded, 1 folder", T);
    tmux.keys(&["T"]);
    tmux.wait_for("read-only under docs/", T);
    tmux.keys(&["j", "j"]);
    tmux.wait_for("▸ read-only under docs/", T);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_until("re-issued and reloaded", T, |s| {
        s.contains("re-issued for the new target") && s.contains("all 6 keys loaded, 1 folder")
    });
    assert!(screen.contains("s3:prefix"), "{screen}");
    tmux.keys(&["h"]);
    let screen = tmux.wait_for("AccessDenied", T);
    assert!(screen.contains("Objects s3://sts3-demo/ "), "{screen}");
    // The access check of the root says why, and S3 agrees.
    tmux.keys(&["A"]);
    let screen = tmux.wait_for("answer matches", T);
    assert!(
        screen.lines().any(|l| l.contains("ListObjectsV2 the root")
            && l.contains("✗ no statement allows it  ✗ denied (AccessDenied)")),
        "{screen}"
    );
}
