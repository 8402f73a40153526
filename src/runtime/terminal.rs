//! Terminal setup and restore. `ratatui::try_init` installs a panic hook that restores the
//! terminal before the panic message prints; `Drop` restores it on every other way out.

use ratatui::DefaultTerminal;
use std::ops::{Deref, DerefMut};

pub struct Terminal {
    inner: DefaultTerminal,
    restored: bool,
}

impl Terminal {
    pub fn enter() -> std::io::Result<Self> {
        Ok(Self {
            inner: ratatui::try_init()?,
            restored: false,
        })
    }

    pub fn leave(mut self) -> std::io::Result<()> {
        self.restored = true;
        ratatui::try_restore()
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
            let _ = ratatui::try_restore();
        }
    }
}
