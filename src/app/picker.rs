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
