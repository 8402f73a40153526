//! What the pickers (buckets, profiles) share: a filter typed as you go and a chosen line.

use crate::keymap::{Key, KeyPress};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Typed {
    pub(crate) filter: String,
    pub(crate) selected: usize,
}

/// What a key did to a picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PickerKey {
    /// Typed, moved, or ignored.
    Handled,
    /// Enter: open the chosen line (or what was typed).
    Chose,
    /// Esc: close the picker.
    Closed,
}

impl Typed {
    /// Letters go to the filter (and choose the first line again), the arrows move within
    /// `count` lines.
    pub(crate) fn on_key(&mut self, press: KeyPress, count: usize) -> PickerKey {
        match press.key {
            Key::Esc => return PickerKey::Closed,
            Key::Enter => return PickerKey::Chose,
            Key::Up => self.selected = self.selected.saturating_sub(1),
            Key::Down => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            Key::Backspace => {
                self.filter.pop();
                self.selected = 0;
            }
            Key::Char(c) if !press.ctrl && !press.alt => {
                self.filter.push(c);
                self.selected = 0;
            }
            _ => {}
        }
        PickerKey::Handled
    }

    /// Whether `text` matches the filter (case-insensitively).
    pub(crate) fn matches(&self, text: &str) -> bool {
        text.to_lowercase().contains(&self.filter.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_filter_arrows_move_and_modified_keys_do_not_type() {
        let mut t = Typed::default();
        assert_eq!(
            t.on_key(KeyPress::plain(Key::Char('a')), 3),
            PickerKey::Handled
        );
        assert_eq!(t.on_key(KeyPress::ctrl('x'), 3), PickerKey::Handled);
        let alt = KeyPress {
            key: Key::Char('y'),
            ctrl: false,
            alt: true,
        };
        t.on_key(alt, 3);
        assert_eq!(t.filter, "a", "ctrl and alt keys are not text");
        t.on_key(KeyPress::plain(Key::Down), 3);
        t.on_key(KeyPress::plain(Key::Down), 3);
        t.on_key(KeyPress::plain(Key::Down), 3);
        assert_eq!(t.selected, 2, "no further than the last line");
        t.on_key(KeyPress::plain(Key::Char('b')), 3);
        assert_eq!((t.filter.as_str(), t.selected), ("ab", 0));
        t.on_key(KeyPress::plain(Key::Down), 3);
        t.on_key(KeyPress::plain(Key::Backspace), 3);
        assert_eq!((t.filter.as_str(), t.selected), ("a", 0));
        assert!(t.matches("A-bucket"), "case-insensitive");
        assert!(!t.matches("bucket"));
        assert_eq!(t.on_key(KeyPress::plain(Key::Enter), 3), PickerKey::Chose);
        assert_eq!(t.on_key(KeyPress::plain(Key::Esc), 3), PickerKey::Closed);
    }
}
