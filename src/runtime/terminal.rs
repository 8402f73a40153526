//! Terminal setup and restore, on every way out: `leave` on a normal exit, `Drop` on an early
//! return, and a panic hook (installed before the first frame) that restores the terminal
//! before the panic message prints, so the message is readable and the shell usable. The
//! screen is left exactly once whichever of these runs first: a second "leave the alternate
//! screen" would move the cursor back up and let the shell prompt overwrite the message.

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::backend::CrosstermBackend;
use std::io::Write;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Duration;

/// Whether sts3 holds the terminal (raw mode, alternate screen, hidden cursor) right now.
static HELD: AtomicBool = AtomicBool::new(false);

/// Held while a frame is written and while the terminal is given back, so that neither cuts
/// into the other: a panic on another thread restores the terminal between two frames, and no
/// frame (which hides the cursor) reaches the shell after it.
static SCREEN: Mutex<()> = Mutex::new(());

/// The terminal as ratatui draws on it: a frame is kept until it is flushed, then written
/// whole, and only while sts3 holds the terminal.
pub(crate) type Screen = ratatui::Terminal<CrosstermBackend<FrameWriter>>;

#[derive(Default)]
pub(crate) struct FrameWriter {
    frame: Vec<u8>,
}

impl Write for FrameWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.frame.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _screen = SCREEN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let written = if HELD.load(Ordering::SeqCst) {
            let mut out = std::io::stdout().lock();
            out.write_all(&self.frame).and_then(|()| out.flush())
        } else {
            Ok(()) // given back: nothing more is drawn
        };
        self.frame.clear();
        written
    }
}

/// The screen lock, waiting a little for a frame being written (a panic in the middle of one
/// must not wait forever: then the terminal is restored without it).
fn screen_briefly() -> Option<MutexGuard<'static, ()>> {
    for _ in 0..100 {
        match SCREEN.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => return Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
    None
}

/// Whether sts3 captures the mouse (`mouse = true`), to release it on the way out.
static MOUSE: AtomicBool = AtomicBool::new(false);

pub(crate) struct Terminal {
    inner: Screen,
}

/// Raw mode off, main screen back, cursor shown; only if sts3 holds the terminal, so at most
/// once per `enter`.
fn restore() -> std::io::Result<()> {
    let _screen = screen_briefly();
    if !HELD.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    let raw = disable_raw_mode();
    if MOUSE.load(Ordering::SeqCst) {
        execute!(std::io::stdout(), DisableMouseCapture)?;
    }
    execute!(std::io::stdout(), LeaveAlternateScreen, Show)?;
    raw
}

/// Takes the mouse if sts3 is to capture it.
fn capture_mouse() -> std::io::Result<()> {
    if MOUSE.load(Ordering::SeqCst) {
        execute!(std::io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

impl Terminal {
    /// Takes the terminal. (Not `ratatui::init`: its own panic hook would leave the screen a
    /// second time.)
    pub(crate) fn enter(mouse: bool) -> std::io::Result<Self> {
        enable_raw_mode()?;
        HELD.store(true, Ordering::SeqCst);
        MOUSE.store(mouse, Ordering::SeqCst);
        let entered = execute!(std::io::stdout(), EnterAlternateScreen)
            .and_then(|()| capture_mouse())
            .and_then(|()| ratatui::Terminal::new(CrosstermBackend::new(FrameWriter::default())));
        let inner = match entered {
            Ok(inner) => inner,
            Err(e) => {
                let _ = restore();
                return Err(e);
            }
        };
        // A panic anywhere (the loop, or a background task on another thread) ends sts3: the
        // terminal is given back once, the message printed, and the process exits, never
        // leaving a loop drawing over the shell.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = restore();
            previous(info);
            std::process::exit(101);
        }));
        Ok(Self { inner })
    }

    /// Gives the terminal back, reporting what went wrong doing so.
    pub(crate) fn leave(self) -> std::io::Result<()> {
        let result = restore();
        drop(self); // its own restore now finds nothing to do
        result
    }
}

/// Ctrl-Z or SIGTSTP: gives the terminal back, stops the process (as the shell expects), and
/// takes the terminal again when the shell continues it (`fg`, SIGCONT). The caller redraws.
pub(crate) fn suspend() -> std::io::Result<()> {
    restore()?;
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    // Continued.
    enable_raw_mode()?;
    HELD.store(true, Ordering::SeqCst);
    execute!(std::io::stdout(), EnterAlternateScreen, Hide)?;
    capture_mouse()
}

/// Gives the terminal to the user's editor (`$VISUAL`, else `$EDITOR`, else `vi`) with `text`
/// in a private temporary file, and takes it back after: the text saved, or why there is none.
/// The terminal reader stops meanwhile, so every key goes to the editor; the file is 0600 in a
/// 0700 folder of its own and removed whatever happens.
pub(crate) fn edit_in_editor(text: &str) -> Result<String, String> {
    super::keys::pause_reader();
    let left = restore().map_err(|e| format!("cannot give the terminal to the editor: {e}"));
    let result = left.and_then(|()| run_editor(text));
    let back = enable_raw_mode()
        .and_then(|()| {
            HELD.store(true, Ordering::SeqCst);
            execute!(std::io::stdout(), EnterAlternateScreen, Hide)
        })
        .and_then(|()| capture_mouse());
    super::keys::resume_reader();
    back.map_err(|e| format!("cannot take the terminal back: {e}"))?;
    result
}

/// The user's shell (`$SHELL`, else `sh`), run on the terminal while the TUI waits, with the
/// shared session's variables.
pub(crate) struct TerminalShell;

impl super::event_loop::Shell for TerminalShell {
    fn start(
        &mut self,
        vars: &[(&'static str, String)],
        done: tokio::sync::mpsc::UnboundedSender<super::event::Event>,
    ) -> Result<(), String> {
        let shell = user_shell();
        super::keys::pause_reader();
        restore().map_err(|e| format!("cannot give the terminal to the shell: {e}"))?;
        println!(
            "sts3: {shell} with the shared session (the AWS CLI and SDKs here use it); exit comes back to sts3"
        );
        let mut child = match shell_command(&shell, vars).spawn() {
            Ok(child) => child,
            Err(e) => {
                let _ = self.take_back();
                return Err(format!("cannot run {shell}: {e}; set $SHELL"));
            }
        };
        tokio::spawn(async move {
            let result = match child.wait().await {
                Ok(status) => Ok(status.to_string()),
                Err(e) => Err(format!("{shell}: {e}")),
            };
            let msg = crate::app::Msg::ShellEnded { result };
            let _ = done.send(super::event::Event::app(msg));
        });
        Ok(())
    }

    fn take_back(&mut self) -> std::io::Result<()> {
        enable_raw_mode()?;
        HELD.store(true, Ordering::SeqCst);
        execute!(std::io::stdout(), EnterAlternateScreen, Hide)?;
        capture_mouse()?;
        super::keys::resume_reader();
        Ok(())
    }
}

/// The user's shell: `$SHELL`, else `sh`.
fn user_shell() -> String {
    std::env::var("SHELL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "sh".to_string())
}

/// `shell` with the shared session's variables, and without those that would win over them.
fn shell_command(shell: &str, vars: &[(&'static str, String)]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(shell);
    for name in crate::serve::env::REMOVED {
        command.env_remove(name);
    }
    command.envs(vars.iter().cloned()).env("STS3_SHARED", "1");
    command
}

/// The editor's command: `$VISUAL`, else `$EDITOR`, else `vi` (run by the shell, so
/// `code --wait` works as it does for git).
fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

fn run_editor(text: &str) -> Result<String, String> {
    let dir =
        private_dir().map_err(|e| format!("cannot create a private temporary folder: {e}"))?;
    let path = dir.join("session-policy.json");
    let outcome = (|| {
        write_private(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let editor = editor_command();
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$@\""))
            .arg("sh")
            .arg(&path)
            .status()
            .map_err(|e| format!("cannot run the editor {editor:?}: {e}; set $EDITOR"))?;
        if !status.success() {
            return Err(format!(
                "the editor {editor:?} ended with {status}; set $EDITOR to one that works"
            ));
        }
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

/// A new folder only this user can enter, under the temporary folder.
fn private_dir() -> std::io::Result<std::path::PathBuf> {
    use std::os::unix::fs::DirBuilderExt as _;
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let base = std::env::temp_dir();
    loop {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let dir = base.join(format!("sts3-policy-{}-{n}", std::process::id()));
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Puts `text` on the clipboard of the terminal (OSC 52), which also works over SSH and, with
/// `set-clipboard on`, in tmux.
pub(crate) fn copy_to_clipboard(text: &str) {
    use base64::Engine as _;
    use std::io::Write as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07");
    let _ = out.flush();
}

impl Deref for Terminal {
    type Target = Screen;
    fn deref(&self) -> &Screen {
        &self.inner
    }
}

impl DerefMut for Terminal {
    fn deref_mut(&mut self) -> &mut Screen {
        &mut self.inner
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = restore();
    }
}
