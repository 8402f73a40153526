//! The status bar: a notice when there is one, the filter being typed, else key hints generated
//! from the keymap.

use super::{Clock, theme};
use crate::app::{App, Input, Level};
use crate::keymap::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The actions hinted in the status bar, with their short labels.
const HINTS: [(Action, &str); 9] = [
    (Action::Quit, "quit"),
    (Action::Help, "help"),
    (Action::Open, "open"),
    (Action::Parent, "up"),
    (Action::Filter, "filter"),
    (Action::RefreshCredentials, "refresh"),
    (Action::ModeCycle, "mode"),
    (Action::FocusNext, "pane"),
    (Action::Reload, "reload"),
];

pub(crate) fn render(frame: &mut Frame, area: Rect, app: &App, _clock: Clock) {
    let line = if let Some(Input::Filter { text }) = &app.input {
        Line::from(vec![
            Span::styled("/", theme::key_hint()),
            Span::raw(text.clone()),
            Span::styled("▏", theme::key_hint()),
            Span::styled("  ⏎ keep · esc clear", theme::dim()),
        ])
    } else if let Some(notice) = &app.notice {
        let style = match notice.level {
            Level::Info => theme::ok(),
            Level::Warn => theme::warn(),
            Level::Error => theme::error(),
        };
        Line::from(Span::styled(notice.text.clone(), style))
    } else {
        hints(app, usize::from(area.width))
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn hints(app: &App, width: usize) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (action, label) in HINTS {
        let Some(key) = app.keymap.first_key(action) else {
            continue;
        };
        let key = key.to_string();
        let len = key.chars().count() + label.len() + 3;
        if used + len > width {
            break;
        }
        used += len;
        spans.push(Span::styled(key, theme::key_hint()));
        spans.push(Span::styled(format!(" {label}   "), theme::dim()));
    }
    Line::from(spans)
}
