//! Terminal setup and restore, on every way out: `leave` on a normal exit, `Drop` on an early
//! return, and a panic hook (installed before the first frame) that restores the terminal
//! before the panic message prints, so the message is readable and the shell usable.

use crossterm::cursor::Show;
use crossterm::execute;
use ratatui::DefaultTerminal;
use std::ops::{Deref, DerefMut};

pub(crate) struct Terminal {
    inner: DefaultTerminal,
    restored: bool,
}

/// Raw mode off, main screen back, cursor shown. Safe to call more than once.
fn restore() {
    let _ = ratatui::try_restore();
    let _ = execute!(std::io::stdout(), Show);
}

impl Terminal {
    pub(crate) fn enter() -> std::io::Result<Self> {
        let inner = ratatui::try_init()?;
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        Ok(Self {
            inner,
            restored: false,
        })
    }

    pub(crate) fn leave(mut self) -> std::io::Result<()> {
        self.restored = true;
        ratatui::try_restore()?;
        execute!(std::io::stdout(), Show)
    }
}

impl Deref for Terminal {
    type Target = DefaultTerminal;
    fn deref(&self) -> &DefaultTerminal {
        &self.inner
    }
}

impl DerefMut for Terminal {
    fn deref_mut(&mut self) -> &mut DefaultTerminal {
        &mut self.inner
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if !self.restored {
            restore();
        }
    }
}
