//! Colours that carry meaning, in one place.

use ratatui::style::{Color, Modifier, Style};

pub(crate) fn ok() -> Style {
    Style::new().fg(Color::Green)
}
pub(crate) fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}
pub(crate) fn danger() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub(crate) fn error() -> Style {
    Style::new().fg(Color::Red)
}
pub(crate) fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub(crate) fn label() -> Style {
    Style::new().fg(Color::Gray)
}
pub(crate) fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub(crate) fn focus_border() -> Style {
    Style::new().fg(Color::Cyan)
}
pub(crate) fn folder() -> Style {
    Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD)
}
pub(crate) fn cursor() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
pub(crate) fn key_hint() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
pub(crate) fn json_key() -> Style {
    Style::new().fg(Color::Cyan)
}
pub(crate) fn json_string() -> Style {
    Style::new().fg(Color::Green)
}
pub(crate) fn json_number() -> Style {
    Style::new().fg(Color::Magenta)
}
pub(crate) fn json_literal() -> Style {
    Style::new().fg(Color::Yellow)
}
