//! Colours that carry meaning, in one place. With `NO_COLOR` set, meaning is carried by
//! weight and reverse video alone (https://no-color.org).

use ratatui::style::{Color, Modifier, Style};
use std::cell::Cell;

thread_local! {
    /// Whether colours are drawn (the thread that draws decides once, at start).
    static COLOR: Cell<bool> = const { Cell::new(true) };
}

/// Turns colours on or off for frames drawn on this thread.
pub(crate) fn set_color(on: bool) {
    COLOR.with(|c| c.set(on));
}

/// Whether `NO_COLOR` asks for no colours.
pub(crate) fn no_color_requested() -> bool {
    asks_for_no_color(std::env::var_os("NO_COLOR").as_deref())
}

/// `NO_COLOR`'s rule (no-color.org): set and not empty.
fn asks_for_no_color(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

fn fg(color: Color) -> Style {
    if COLOR.with(Cell::get) {
        Style::new().fg(color)
    } else {
        Style::new()
    }
}

pub(crate) fn ok() -> Style {
    fg(Color::Green)
}
pub(crate) fn warn() -> Style {
    fg(Color::Yellow)
}
pub(crate) fn danger() -> Style {
    fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub(crate) fn error() -> Style {
    fg(Color::Red)
}
pub(crate) fn dim() -> Style {
    fg(Color::DarkGray)
}
pub(crate) fn label() -> Style {
    fg(Color::Gray)
}
pub(crate) fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub(crate) fn focus_border() -> Style {
    fg(Color::Cyan)
}
pub(crate) fn folder() -> Style {
    fg(Color::Blue).add_modifier(Modifier::BOLD)
}
/// A marked object's name (`space`, `V`).
pub(crate) fn marked() -> Style {
    warn().add_modifier(Modifier::BOLD)
}

pub(crate) fn cursor() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
pub(crate) fn key_hint() -> Style {
    fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
pub(crate) fn json_key() -> Style {
    fg(Color::Cyan)
}
pub(crate) fn json_string() -> Style {
    fg(Color::Green)
}
pub(crate) fn json_number() -> Style {
    fg(Color::Magenta)
}
pub(crate) fn json_literal() -> Style {
    fg(Color::Yellow)
}

#[cfg(test)]
mod tests {
    use super::asks_for_no_color;
    use std::ffi::OsStr;

    #[test]
    fn no_color_is_asked_for_by_any_value_but_empty() {
        assert!(asks_for_no_color(Some(OsStr::new("1"))));
        assert!(
            asks_for_no_color(Some(OsStr::new("false"))),
            "any value, per no-color.org"
        );
        assert!(!asks_for_no_color(Some(OsStr::new(""))));
        assert!(!asks_for_no_color(None));
    }
}
