//! Views: they read the model and `now` and draw. No I/O, no changes to the model (the object
//! list's scroll offset, kept in a `Cell`, excepted).

mod objects;
mod overlays;
mod policy;
mod session;
mod status;
pub mod theme;

use crate::app::{App, Focus, Input};
use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

/// The smallest usable terminal.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Below this width the panes stack vertically.
pub const STACK_BELOW: u16 = 70;

/// What a frame needs besides the model: the time, and the local zone to show times in.
#[derive(Clone, Copy)]
pub struct Clock {
    pub now: DateTime<Utc>,
    pub tz: FixedOffset,
}

impl Clock {
    /// `t` in local time, `YYYY-MM-DD HH:MM:SS`.
    pub fn local(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }

    pub fn local_short(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    pub fn local_time(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz).format("%H:%M:%S").to_string()
    }
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App, clock: Clock) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    let [main, status_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    let (session_area, policy_area, objects_area) = panes(main);
    session::render(frame, session_area, app, clock);
    policy::render(frame, policy_area, app);
    objects::render(frame, objects_area, app, clock);
    status::render(frame, status_area, app, clock);
    if let Some(Input::Mfa { .. }) = &app.input {
        overlays::render_mfa(frame, area, app);
    } else if app.help_visible {
        overlays::render(frame, area, app);
    }
}

/// Session and policy side by side above the objects; stacked when narrow.
fn panes(main: Rect) -> (Rect, Rect, Rect) {
    if main.width < STACK_BELOW {
        let policy_height = if main.height >= 30 { 8 } else { 4 };
        let [s, p, o] = Layout::vertical([
            Constraint::Length(9),
            Constraint::Length(policy_height),
            Constraint::Min(5),
        ])
        .areas(main);
        return (s, p, o);
    }
    let top_height = if main.height >= 36 { 12 } else { 10 };
    let [top, objects] =
        Layout::vertical([Constraint::Length(top_height), Constraint::Min(5)]).areas(main);
    let [s, p] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    (s, p, objects)
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "terminal too small: {}x{}, sts3 needs at least {MIN_WIDTH}x{MIN_HEIGHT}",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(theme::warn())
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// A pane's frame, highlighted when focused.
pub(crate) fn pane_block(title: Line<'_>, focused: bool) -> Block<'_> {
    let style = if focused {
        theme::focus_border()
    } else {
        Style::default()
    };
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(style)
        .title(title)
}

pub(crate) fn is_focused(app: &App, pane: Focus) -> bool {
    app.focus == pane
}

/// Shortens `text` to `width` characters, keeping its end (the useful part of an ARN).
pub(crate) fn keep_tail(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width || width == 0 {
        return text.to_string();
    }
    let tail: String = text.chars().skip(n - width + 1).collect();
    format!("…{tail}")
}

/// Shortens `text` to `width` characters, keeping its start.
pub(crate) fn keep_head(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width || width == 0 {
        return text.to_string();
    }
    let head: String = text.chars().take(width - 1).collect();
    format!("{head}…")
}

/// A braille spinner frame for `now`.
pub(crate) fn spinner(now: DateTime<Utc>) -> char {
    const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let tick = usize::try_from(now.timestamp_subsec_millis() / 100).unwrap_or(0);
    FRAMES[tick % FRAMES.len()]
}

#[cfg(test)]
mod tests;
