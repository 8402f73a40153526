//! Terminal events as model messages.

use crate::app::{MouseInput, Msg};
use crate::keymap::{Key, KeyPress};
use crossterm::event::{
    Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

/// The message for a terminal event; `None` for events the app does not care about. A resize
/// needs no message: the next frame lays the screen out anew.
pub(crate) fn terminal_msg(event: &TermEvent) -> Option<Msg> {
    match event {
        TermEvent::Resize(..) => Some(Msg::Tick),
        TermEvent::Key(k) if k.kind != KeyEventKind::Release => {
            let key = match k.code {
                KeyCode::Char(c) => Key::Char(c),
                KeyCode::Enter => Key::Enter,
                KeyCode::Esc => Key::Esc,
                KeyCode::Tab => Key::Tab,
                KeyCode::BackTab => Key::BackTab,
                KeyCode::Backspace => Key::Backspace,
                KeyCode::Delete => Key::Delete,
                KeyCode::Up => Key::Up,
                KeyCode::Down => Key::Down,
                KeyCode::Left => Key::Left,
                KeyCode::Right => Key::Right,
                KeyCode::Home => Key::Home,
                KeyCode::End => Key::End,
                KeyCode::PageUp => Key::PageUp,
                KeyCode::PageDown => Key::PageDown,
                KeyCode::F(n) => Key::F(n),
                _ => return None,
            };
            Some(Msg::KeyPressed(KeyPress {
                key,
                ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
                alt: k.modifiers.contains(KeyModifiers::ALT),
            }))
        }
        TermEvent::Mouse(m) => {
            let (column, row) = (m.column, m.row);
            let input = match m.kind {
                MouseEventKind::ScrollUp => MouseInput::ScrollUp { column, row },
                MouseEventKind::ScrollDown => MouseInput::ScrollDown { column, row },
                MouseEventKind::Down(MouseButton::Left) => MouseInput::Click { column, row },
                _ => return None,
            };
            Some(Msg::Mouse(input))
        }
        _ => None,
    }
}
