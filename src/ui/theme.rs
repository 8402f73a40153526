//! Colours that carry meaning, in one place.

use ratatui::style::{Color, Modifier, Style};

pub fn ok() -> Style {
    Style::new().fg(Color::Green)
}
pub fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}
pub fn danger() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn error() -> Style {
    Style::new().fg(Color::Red)
}
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn label() -> Style {
    Style::new().fg(Color::Gray)
}
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn focus_border() -> Style {
    Style::new().fg(Color::Cyan)
}
pub fn folder() -> Style {
    Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD)
}
pub fn cursor() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
pub fn key_hint() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
pub fn json_key() -> Style {
    Style::new().fg(Color::Cyan)
}
pub fn json_string() -> Style {
    Style::new().fg(Color::Green)
}
pub fn json_number() -> Style {
    Style::new().fg(Color::Magenta)
}
pub fn json_literal() -> Style {
    Style::new().fg(Color::Yellow)
}
