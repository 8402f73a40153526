//! The policy pane: the session policy JSON, highlighted (tokens prepared in `update`), with its
//! size against the STS limit.

use super::{is_focused, pane_block, theme};
use crate::app::{App, Focus};
use crate::highlight::JsonToken;
use crate::policy::diff::Change;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// One highlighted JSON line, borrowing its tokens (the policy pane and JSON previews).
pub(crate) fn token_line(tokens: &[(JsonToken, String)]) -> Line<'_> {
    Line::from(
        tokens
            .iter()
            .map(|(kind, text)| Span::styled(text.as_str(), token_style(*kind)))
            .collect::<Vec<_>>(),
    )
}

pub(crate) fn token_style(kind: JsonToken) -> Style {
    match kind {
        JsonToken::Key => theme::json_key(),
        JsonToken::String => theme::json_string(),
        JsonToken::Number => theme::json_number(),
        JsonToken::Literal => theme::json_literal(),
        JsonToken::Punct => theme::dim(),
        JsonToken::Space => Style::default(),
    }
}

pub(crate) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let p = &app.policy;
    let mut title = vec![Span::styled(" Session policy ", theme::title())];
    // (A policy over the limit is refused before it gets here.)
    if let Some(size) = p.size {
        title.push(Span::styled(
            format!("{size}/{} chars ", p.limit),
            theme::dim(),
        ));
    }
    if let Some(pct) = p.packed_percent {
        title.push(Span::styled(format!("· packed {pct}% "), theme::dim()));
    }
    if let Some(diff) = &p.diff {
        // What the re-issue changed, until the next key.
        title.push(Span::styled("· changed ", theme::warn()));
        let block = pane_block(Line::from(title), is_focused(app, Focus::Policy));
        frame.render_widget(Paragraph::new(diff_lines(diff)).block(block), area);
        return;
    }
    let mut lines: Vec<Line> = Vec::new();
    if let Some(note) = &p.note {
        lines.push(Line::from(Span::styled(note.clone(), theme::label())));
    }
    // Only the lines that fit, borrowing the prepared tokens: a frame copies no policy text.
    let fit = usize::from(area.height.saturating_sub(2));
    lines.extend(
        p.lines
            .iter()
            .skip(usize::from(p.scroll))
            .take(fit)
            .map(|tokens| token_line(tokens)),
    );
    let block = pane_block(Line::from(title), is_focused(app, Focus::Policy));
    let mut paragraph = Paragraph::new(lines).block(block);
    if p.lines.is_empty() {
        paragraph = paragraph.wrap(Wrap { trim: true });
    }
    frame.render_widget(paragraph, area);
}

/// The policy pane's lines while it shows what a re-issue changed: from one line before the
/// first change, so a small pane shows the change and not the unchanged start.
pub(crate) fn diff_lines(diff: &[(Change, String)]) -> Vec<Line<'_>> {
    let first = diff
        .iter()
        .position(|(c, _)| *c != Change::Same)
        .unwrap_or(0)
        .saturating_sub(1);
    diff.iter()
        .skip(first)
        .map(|(change, line)| match change {
            Change::Added => Line::from(Span::styled(format!("+ {line}"), theme::ok())),
            Change::Removed => Line::from(Span::styled(format!("- {line}"), theme::error())),
            Change::Same => Line::from(Span::styled(format!("  {line}"), theme::dim())),
        })
        .collect()
}
