//! One object over the listing: its detail or a preview (text, highlighted JSON, hex), in the
//! object pane's place, with its failure inline and the way out; and the presigned-URL popup.

use super::policy::token_line;
use super::{AskAgain, Clock, failed_lines, is_focused, key_name, pane_block, spinner, theme};
use crate::app::fetch::Fetch;
use crate::app::object::{Content, ObjectView, Presigned, ViewKind};
use crate::app::{App, Focus};
use crate::escape::printable;
use crate::keymap::Action;
use crate::object::preview::Body;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// The object pane showing `view`.
pub(crate) fn render_view(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    view: &ObjectView,
    clock: Clock,
) {
    let what = match (view.kind, view.content.got()) {
        (ViewKind::Detail, _) => " Detail ".to_string(),
        (ViewKind::Preview, Some(Content::Preview(p))) => {
            format!(" Preview · {} · {} ", p.extent(), p.kind())
        }
        (ViewKind::Preview, _) => " Preview ".to_string(),
    };
    let mut title = Line::from(vec![
        Span::styled(what, theme::title()),
        Span::raw(format!(
            "s3://{}/{} ",
            app.listing.bucket(),
            printable(&view.key)
        )),
    ]);
    if let Some(version) = &view.version {
        title.push_span(Span::styled(
            format!("· version {} ", super::keep_head(&printable(version), 14)),
            theme::key_hint(),
        ));
    }
    let mut hints = vec![format!("{} back", key_name(app, Action::Parent))];
    if view.kind == ViewKind::Detail {
        hints.push(format!("{} preview", key_name(app, Action::Preview)));
    } else {
        hints.push(format!("{} wrap", key_name(app, Action::Wrap)));
        if !view.wrap {
            hints.push(format!(
                "{}/{} sideways",
                key_name(app, Action::ScrollLeft),
                key_name(app, Action::ScrollRight)
            ));
        }
    }
    hints.push(format!("{} save", key_name(app, Action::Download)));
    hints.push(format!("{} URL", key_name(app, Action::Presign)));
    let footer = Line::from(Span::styled(
        format!(" {} ", hints.join(" · ")),
        theme::key_hint(),
    ));
    let block = pane_block(title, is_focused(app, Focus::Objects)).title_bottom(footer);
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    // Saving this object failed: said here, where `s` was pressed, not behind the view.
    let failed_here = matches!(
        &app.object.outcome,
        Some(crate::app::object::Outcome::Failed { key, .. }) if *key == view.key
    );
    if failed_here && inner.height > 4 {
        let [body, failure] = ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Min(1),
            ratatui::layout::Constraint::Length(3),
        ])
        .areas(inner);
        render_save_failed(frame, failure, app);
        inner = body;
    }
    // Only the rows on screen are built (a 16 MiB preview has hundreds of thousands of
    // lines): from the first shown, as many as the pane has rows (a wrapped line takes one
    // or more).
    let rows = usize::from(inner.height);
    let lines = view_lines(
        app,
        view,
        clock,
        view.scroll..view.scroll.saturating_add(rows),
    );
    let mut paragraph = Paragraph::new(lines);
    if view.wrap || view.content.got().is_none() {
        paragraph = paragraph.wrap(Wrap { trim: false });
    } else {
        paragraph = paragraph.scroll((0, u16::try_from(view.hscroll).unwrap_or(u16::MAX)));
    }
    frame.render_widget(paragraph, inner);
}

/// The lines of `view` in `shown` (line numbers).
fn view_lines<'a>(
    app: &App,
    view: &'a ObjectView,
    clock: Clock,
    shown: std::ops::Range<usize>,
) -> Vec<Line<'a>> {
    // The lines in `shown` of `all`, each made a `Line` by `line`.
    fn window<'a, T: 'a>(
        all: &'a [T],
        shown: &std::ops::Range<usize>,
        line: impl Fn(&'a T) -> Line<'a>,
    ) -> Vec<Line<'a>> {
        let end = shown.end.min(all.len());
        let start = shown.start.min(end);
        all[start..end].iter().map(line).collect()
    }
    if let Some(failed) = view.content.failed() {
        let ask = AskAgain {
            action: Action::Reload,
            word: "ask again",
            then: "asking again",
        };
        return failed_lines(app, failed, &ask, clock);
    }
    match view.content.got() {
        None => vec![Line::from(Span::styled(
            format!("{} loading…", spinner(clock.now)),
            theme::dim(),
        ))],
        Some(Content::Detail(detail)) => {
            let lines = detail.lines(clock.tz);
            let width = lines
                .iter()
                .map(|(l, _)| l.chars().count())
                .max()
                .unwrap_or(0);
            lines
                .into_iter()
                .skip(shown.start)
                .map(|(label, value)| {
                    Line::from(vec![
                        Span::styled(format!("{label:<width$}  "), theme::label()),
                        Span::raw(value),
                    ])
                })
                .collect()
        }
        Some(Content::Preview(p)) => match &p.body {
            Body::Empty => vec![Line::from(Span::styled(
                "(empty) a zero-byte object",
                theme::dim(),
            ))],
            Body::FolderMarker => vec![Line::from(Span::styled(
                "(folder marker) a zero-byte object whose key ends in /",
                theme::dim(),
            ))],
            Body::Text(lines) => window(lines, &shown, |l| Line::from(l.as_str())),
            Body::Hex(lines) => window(lines, &shown, |l| {
                Line::from(Span::styled(l.as_str(), theme::dim()))
            }),
            Body::Json(lines) => window(lines, &shown, |tokens| token_line(tokens)),
        },
    }
}

/// The presigned URL, whole, over the screen (for copying by hand when OSC 52 is not there):
/// the full width with no side borders, so a mouse selection of the URL's lines picks up
/// nothing else; it scrolls when the URL is longer than the screen, and its keys stay in the
/// bottom border.
pub(crate) fn render_presigned(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    p: &Presigned,
    clock: Clock,
) {
    let lines = presigned_lines(app, p, clock);
    let width = usize::from(area.width).max(1);
    let needed: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    let height = u16::try_from(needed + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup = Rect {
        y: area.y + (area.height - height) / 2,
        height,
        ..area
    };
    let shown = usize::from(height.saturating_sub(2));
    let scroll = p.scroll.min(needed.saturating_sub(shown));
    let more = if scroll + shown < needed {
        " ↓ more ·"
    } else {
        ""
    };
    let keys = format!("{more} esc or enter closes ");
    let block = Block::new()
        .borders(Borders::TOP | Borders::BOTTOM)
        .border_type(ratatui::widgets::BorderType::Thick)
        .border_style(theme::focus_border())
        .title(Line::from(Span::styled(" Presigned URL ", theme::title())))
        .title_bottom(Line::from(Span::styled(keys, theme::key_hint())));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        popup,
    );
}

/// The popup's text: the object, how long the URL is valid, a warning, and the URL itself (or
/// why signing failed).
fn presigned_lines(app: &App, p: &Presigned, clock: Clock) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        Span::styled("Object  ", theme::label()),
        Span::raw(format!(
            "s3://{}/{}",
            app.listing.bucket(),
            printable(&p.key)
        )),
    ])];
    let until = clock.local_time(p.validity.until);
    let left = crate::credentials::format_hms(
        (p.validity.until - clock.now).max(chrono::TimeDelta::zero()),
    );
    let validity = if p.validity.capped_by_session {
        format!("until {until} (the session's expiry, in {left})")
    } else {
        format!("until {until} (in {left})")
    };
    lines.push(Line::from(vec![
        Span::styled("Valid   ", theme::label()),
        Span::raw(validity),
    ]));
    if let Some(w) = &p.warning {
        lines.push(Line::from(Span::styled(format!("⚠ {w}"), theme::warn())));
    }
    lines.push(Line::from(""));
    match &p.url {
        Fetch::Failed(f) => lines.push(Line::from(Span::styled(
            format!("✗ {}", f.failure),
            theme::danger(),
        ))),
        Fetch::Got(url) => {
            lines.push(Line::from(Span::styled(
                "copied to the clipboard (OSC 52); the whole URL:",
                theme::dim(),
            )));
            lines.push(Line::from(printable(url).into_owned()));
        }
        Fetch::Waiting | Fetch::Asking { .. } => lines.push(Line::from(Span::styled(
            format!("{} signing…", spinner(clock.now)),
            theme::dim(),
        ))),
    }
    lines
}

/// A download that failed, where the listing's failure would be, with its way out.
pub(super) fn render_save_failed(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(crate::app::object::Outcome::Failed {
        key,
        message,
        refresh_may_help,
    }) = &app.object.outcome
    {
        let key_of = |action| super::key_name(app, action);
        let mut way_out = Vec::new();
        if *refresh_may_help {
            way_out.push(format!(
                "{}: refresh credentials",
                key_of(Action::RefreshCredentials)
            ));
        }
        way_out.push(format!("{}: try again", key_of(Action::Download)));
        let lines = vec![
            Line::from(Span::styled(
                format!("✗ saving {} failed: {message}", printable(key)),
                theme::danger(),
            )),
            Line::from(Span::styled(
                format!("  {}", way_out.join(" · ")),
                theme::key_hint(),
            )),
        ];
        super::render_failure(frame, area, lines);
    }
}
