//! Drives the real `sts3` binary in tmux: start it in a detached session on a private server,
//! type with `send-keys`, read the screen with `capture-pane`.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

pub struct Tmux {
    socket: String,
    pub session: String,
    dir: tempfile::TempDir,
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Tmux {
    /// Runs `program args` with `env` in a `width`x`height` terminal. When the program exits,
    /// its exit status is written to a file and the pane stays (`remain-on-exit`).
    pub fn start(
        program: &str,
        args: &[&str],
        env: &[(&str, String)],
        width: u16,
        height: u16,
    ) -> Self {
        let dir = tempfile::tempdir().expect("tmux temp dir");
        let name = dir
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("x")
            .replace('.', "");
        let socket = format!("sts3-test-{name}");
        let script = dir.path().join("run.sh");
        let status = dir.path().join("status");
        let mut lines: Vec<String> = vec!["#!/bin/sh".into()];
        lines.extend(env.iter().map(|(k, v)| format!("export {k}={}", quote(v))));
        let command: Vec<String> = std::iter::once(program.to_string())
            .chain(args.iter().map(|a| (*a).to_string()))
            .map(|a| quote(&a))
            .collect();
        lines.push(command.join(" "));
        lines.push("code=$?".into());
        // The terminal settings the program left behind, read in the same pty right after.
        let stty = dir.path().join("stty");
        lines.push(format!(
            "stty -a > {} 2>&1",
            quote(&stty.display().to_string())
        ));
        lines.push(format!(
            "echo $code > {}",
            quote(&status.display().to_string())
        ));
        // Keep the pane alive so its terminal state can still be read (killed on drop).
        lines.push("exec sleep 600".into());
        let text = lines.join("\n") + "\n";
        std::fs::write(&script, text).expect("write run.sh");
        let tmux = Self {
            socket,
            session: "sts3".into(),
            dir,
        };
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "sts3",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            &format!("sh {}", quote(&script.display().to_string())),
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux.run(&["set-option", "-t", "sts3", "remain-on-exit", "on"]);
        // Accept OSC 52 from the program as a paste buffer, as users are told to set it.
        tmux.run(&["set-option", "-s", "set-clipboard", "on"]);
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux is installed (scripts/setup installs it)")
    }

    /// Sends keys in tmux's notation (`Enter`, `BSpace`, `C-c`, `G`...).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "sts3"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types `text` as it is (tmux's literal mode: `s3://` and `..` are no key names).
    #[allow(dead_code)] // not every test file types text
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "sts3", "-l", text]);
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "sts3"]).stdout)
            .into_owned()
    }

    /// Polls the screen until `pred` holds; panics with the last screen after `timeout`.
    pub fn wait_until(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let deadline = sts3::clock::instant() + timeout;
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            assert!(
                sts3::clock::instant() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn wait_for(&self, text: &str, timeout: Duration) -> String {
        self.wait_until(&format!("{text:?}"), timeout, |s| s.contains(text))
    }

    /// The program's exit status once it has exited.
    pub fn exit_status(&self, timeout: Duration) -> i32 {
        let path: PathBuf = self.dir.path().join("status");
        let deadline = sts3::clock::instant() + timeout;
        loop {
            if let Some(code) = std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| t.trim().parse().ok())
            {
                return code;
            }
            assert!(
                sts3::clock::instant() < deadline,
                "sts3 did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Tmux {
    /// Quits with `q` and checks the program exited cleanly.
    pub fn quit(&self) {
        self.keys(&["q"]);
        assert_eq!(
            self.exit_status(Duration::from_secs(20)),
            0,
            "sts3 exits 0 on q"
        );
    }

    /// The screen and everything scrolled off it.
    pub fn history(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-S", "-", "-t", "sts3"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts copying everything the program writes to the terminal into a file, escape
    /// sequences included (read it with [`Tmux::raw_output`]).
    pub fn record_output(&self) {
        let file = self.dir.path().join("raw");
        let command = format!("cat >> {}", quote(&file.display().to_string()));
        let out = self.run(&["pipe-pane", "-o", "-t", "sts3", &command]);
        assert!(out.status.success(), "tmux pipe-pane");
    }

    /// What the program wrote since [`Tmux::record_output`].
    pub fn raw_output(&self) -> Vec<u8> {
        std::fs::read(self.dir.path().join("raw")).unwrap_or_default()
    }

    /// The paste buffers tmux holds (OSC 52 from the program would add one).
    pub fn buffers(&self) -> String {
        String::from_utf8_lossy(&self.run(&["list-buffers"]).stdout).into_owned()
    }

    /// The newest paste buffer's text.
    pub fn newest_buffer(&self) -> String {
        String::from_utf8_lossy(&self.run(&["show-buffer"]).stdout).into_owned()
    }

    /// The screen with its attributes as escape sequences (what tmux would redraw).
    pub fn screen_with_escapes(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-e", "-t", "sts3"]).stdout)
            .into_owned()
    }

    /// `stty -a` as run in the pane right after the program exited.
    pub fn stty_after_exit(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stty")).unwrap_or_default()
    }

    /// A tmux format value for the pane, e.g. `#{alternate_on}`.
    pub fn pane_format(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "sts3", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The process id of `name` among the pane's descendants (the program runs under the
    /// pane's shell and the wrapper script).
    pub fn program_pid(&self, name: &str) -> Option<u32> {
        let mut pending = vec![self.pane_format("#{pane_pid}")];
        while let Some(pid) = pending.pop() {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if comm.trim() == name {
                return pid.parse().ok();
            }
            let out = Command::new("pgrep").args(["-P", &pid]).output().ok()?;
            pending.extend(
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .map(|l| l.trim().to_string()),
            );
        }
        None
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}
