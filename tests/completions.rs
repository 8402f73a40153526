//! `sts3 completions SHELL` and `sts3 man`: real scripts a shell loads and a page `man` reads,
//! printed from the command line's definition alone (a broken config file does not stop them),
//! and quiet when the reader goes away.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};

fn sts3() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sts3"));
    // A config file sts3 would refuse: these commands never read it.
    let config = tempfile::tempdir().unwrap().keep();
    std::fs::create_dir_all(config.join("sts3")).unwrap();
    std::fs::write(config.join("sts3/config.toml"), "not = [valid").unwrap();
    cmd.env("XDG_CONFIG_HOME", &config);
    cmd
}

#[test]
fn bash_loads_the_completion_and_it_offers_the_subcommands() {
    let script = sts3().args(["completions", "bash"]).output().unwrap();
    assert!(script.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sts3.bash");
    std::fs::write(&path, &script.stdout).unwrap();
    // What bash offers after `sts3 ex<TAB>`, and after `sts3 completions <TAB>`.
    let probe = format!(
        "source {}; COMP_WORDS=(sts3 ex); COMP_CWORD=1; _sts3 sts3 ex sts3; echo \"${{COMPREPLY[@]}}\"; \
         COMP_WORDS=(sts3 completions ''); COMP_CWORD=2; _sts3 sts3 '' completions; echo \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    let out = Command::new("bash").arg("-c").arg(probe).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first().copied(), Some("exec"), "{text}");
    for shell in ["bash", "zsh", "fish"] {
        assert!(lines[1].split(' ').any(|w| w == shell), "{text}");
    }
}

#[test]
fn zsh_and_fish_scripts_name_every_subcommand() {
    for shell in ["zsh", "fish"] {
        let out = sts3().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        for sub in [
            "list",
            "get",
            "presign",
            "policy",
            "exec",
            "credentials",
            "man",
        ] {
            assert!(text.contains(sub), "{shell}: {sub} missing");
        }
    }
}

#[test]
fn man_renders_a_page_that_names_the_commands_and_flags() {
    let out = sts3().arg("man").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH sts3 1"), "{page}");
    for word in [
        "\\-\\-bucket",
        "\\-\\-endpoint\\-url",
        "sts3\\-exec",
        "completions",
    ] {
        assert!(page.contains(word), "{word} missing from the page");
    }
}

#[test]
fn a_reader_that_goes_away_is_no_error() {
    let mut child = sts3()
        .args(["completions", "zsh"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // like `| head -0`
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
