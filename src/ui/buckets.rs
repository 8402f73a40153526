//! The bucket picker in the object pane's place: the filter being typed, the buckets the session
//! may list (or why it may not), then the recent ones, the chosen one marked.

use super::{Clock, is_focused, pane_block, spinner, theme};
use crate::app::buckets::{BucketPicker, Listed};
use crate::app::{App, Focus};
use crate::escape::printable;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    picker: &BucketPicker,
    clock: Clock,
) {
    let title = Line::from(Span::styled(" Buckets ", theme::title()));
    let hints = " type to filter, or a bucket's name · ⏎ open · ↑/↓ choose · esc back ";
    let block = pane_block(title, is_focused(app, Focus::Objects))
        .title_bottom(Line::from(Span::styled(hints, theme::key_hint())));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![
        Line::from(vec![
            Span::styled("› ", theme::key_hint()),
            Span::raw(printable(&picker.filter).into_owned()),
            Span::styled("▏", theme::dim()),
        ]),
        match &picker.listed {
            Listed::Waiting => Line::from(Span::styled(
                "waiting for credentials to list the buckets…",
                theme::dim(),
            )),
            Listed::Asking(_) => Line::from(Span::styled(
                format!("{} asking S3 for the buckets…", spinner(clock.now)),
                theme::dim(),
            )),
            Listed::Names(names) => Line::from(Span::styled(
                format!(
                    "{} bucket{} this session may list",
                    names.len(),
                    if names.len() == 1 { "" } else { "s" }
                ),
                theme::dim(),
            )),
            Listed::Refused(failure) => Line::from(Span::styled(
                format!(
                    "✗ this session may not list buckets ({}); type a bucket's name",
                    failure.code_or_kind()
                ),
                theme::warn(),
            )),
        },
    ];
    let choices = picker.choices(&app.settings.recent_buckets);
    let room = usize::from(inner.height).saturating_sub(lines.len());
    let first = picker.selected.saturating_sub(room.saturating_sub(1));
    for (i, choice) in choices.iter().enumerate().skip(first).take(room) {
        let here = i == picker.selected;
        let mut spans = vec![Span::styled(
            format!(
                "{}{}",
                if here { "▸ " } else { "  " },
                printable(&choice.name)
            ),
            if here {
                theme::cursor()
            } else {
                ratatui::style::Style::default()
            },
        )];
        if choice.recent {
            spans.push(Span::styled("  recent", theme::dim()));
        }
        lines.push(Line::from(spans));
    }
    if choices.is_empty() && !picker.filter.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("⏎ opens {}", printable(picker.filter.trim())),
            theme::dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
