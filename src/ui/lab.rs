//! The policy lab in the object pane's place: the access check's table (S3's answers beside
//! the session policy's predictions), the template picker with a preview of the chosen policy,
//! and an edited policy that did not validate, with where and the way out.

use super::policy::token_line;
use super::{Clock, is_focused, key_name, pane_block, spinner, theme};
use crate::access_check::{Answer, Check, Target};
use crate::app::lab::LabView;
use crate::app::{App, Focus};
use crate::escape::printable;
use crate::highlight::TokenLine;
use crate::keymap::Action;
use crate::policy::PolicyError;
use crate::policy::templates::Template;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// The object pane showing a lab view.
pub(crate) fn render(frame: &mut Frame, area: Rect, app: &App, view: &LabView, clock: Clock) {
    match view {
        LabView::Access { check, .. } => render_access(frame, area, app, check, clock),
        LabView::Templates { items, selected } => {
            render_templates(frame, area, app, items, *selected);
        }
        LabView::Invalid { text, error } => render_invalid(frame, area, app, text, error),
    }
}

fn footer(hints: &[String]) -> Line<'static> {
    Line::from(Span::styled(
        format!(" {} ", hints.join(" · ")),
        theme::key_hint(),
    ))
}

/// A table line with its ✓ green and its ✗ red.
fn marked(line: &str) -> Line<'_> {
    let mut spans = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find(['✓', '✗']) {
        let (before, after) = rest.split_at(i);
        if !before.is_empty() {
            spans.push(Span::raw(before));
        }
        let mark = after.chars().next().unwrap_or('✓');
        let style = if mark == '✓' {
            theme::ok()
        } else {
            theme::error()
        };
        spans.push(Span::styled(&after[..mark.len_utf8()], style));
        rest = &after[mark.len_utf8()..];
    }
    if !rest.is_empty() {
        spans.push(Span::raw(rest));
    }
    Line::from(spans)
}

fn render_access(frame: &mut Frame, area: Rect, app: &App, check: &Check, clock: Clock) {
    let what = match &check.target {
        Target::Object(key) => printable(key).into_owned(),
        Target::Prefix(prefix) => printable(prefix).into_owned(),
    };
    let title = Line::from(vec![
        Span::styled(" Access check ", theme::title()),
        Span::raw(format!("s3://{}/{what} ", check.bucket)),
    ]);
    let hints = [
        format!("{} ask again", key_name(app, Action::AccessCheck)),
        "esc back".to_string(),
    ];
    let block = pane_block(title, is_focused(app, Focus::Objects)).title_bottom(footer(&hints));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let table = check.table();
    let lines = access_lines(app, check, &table, inner.width, clock);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The access check's text: as whom, the table of what S3 answered beside what the policy
/// predicts (`table`), and the summary (the sentences wrapped at `width`, the table's rows not).
fn access_lines<'a>(
    app: &App,
    check: &Check,
    table: &'a [String],
    width: u16,
    clock: Clock,
) -> Vec<Line<'a>> {
    let mode = app.session.mode();
    let principal = app
        .session
        .info()
        .map_or_else(String::new, |i| printable(&i.principal_arn).into_owned());
    let policy = match app.target.session_policy(mode) {
        Some(p) => format!("its session policy ({} chars)", p.size()),
        None => "no session policy".to_string(),
    };
    let width = usize::from(width).max(20);
    let prose = |text: &str, style: Style| -> Vec<Line<'static>> {
        super::word_wrap(text, width)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, style)))
            .collect()
    };
    let mut lines = prose(
        &format!("As {principal} · {mode} mode · {policy}"),
        Style::default(),
    );
    // The verdict before the table, so that a short screen shows it first.
    if check.answered() {
        lines.extend(access_summary(app, check, &prose));
    } else {
        lines.push(Line::from(Span::styled(
            format!("{} asking S3…", spinner(clock.now)),
            theme::dim(),
        )));
    }
    lines.push(Line::from(""));
    for (i, line) in table.iter().enumerate() {
        if i == 0 {
            lines.push(Line::from(Span::styled(line.as_str(), theme::label())));
        } else if line.starts_with("  ≠") {
            lines.extend(prose(line, theme::warn()));
        } else {
            lines.push(marked(line));
        }
    }
    lines
}

/// What the answers say as a whole, and the way out when the credentials were refused.
fn access_summary(
    app: &App,
    check: &Check,
    prose: &dyn Fn(&str, Style) -> Vec<Line<'static>>,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let style = if check.all_agree() {
        theme::ok()
    } else {
        theme::warn()
    };
    lines.extend(prose(&check.summary(), style));
    let expired = check.rows.iter().any(|r| {
        matches!(&r.answer, Some(Answer::Other { failure }) if failure.is_credential_rejection())
    });
    if expired {
        lines.push(Line::from(Span::styled(
            format!(
                "{} refreshes the credentials; then {} asks again",
                key_name(app, Action::RefreshCredentials),
                key_name(app, Action::AccessCheck)
            ),
            theme::key_hint(),
        )));
    }
    lines
}

fn render_templates(frame: &mut Frame, area: Rect, app: &App, items: &[Template], selected: usize) {
    let title = Line::from(vec![
        Span::styled(" Policy templates ", theme::title()),
        Span::raw(format!(
            "for s3://{}/{} ",
            app.listing.bucket(),
            printable(app.listing.folder())
        )),
    ]);
    let hints = [
        "⏎ re-issue with it".to_string(),
        format!(
            "{}/{} choose",
            key_name(app, Action::Down),
            key_name(app, Action::Up)
        ),
        "esc back".to_string(),
    ];
    let block = pane_block(title, is_focused(app, Focus::Objects)).title_bottom(footer(&hints));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = items
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(12, 40)
        + 4;
    let [list, preview] = Layout::horizontal([
        Constraint::Length(u16::try_from(width).unwrap_or(40)),
        Constraint::Min(10),
    ])
    .areas(inner);
    let first = selected.saturating_sub(usize::from(list.height.saturating_sub(1)));
    frame.render_widget(
        Paragraph::new(template_names(items, selected))
            .scroll((u16::try_from(first).unwrap_or(0), 0)),
        list,
    );
    if let Some(chosen) = items.get(selected) {
        let tokens = chosen
            .policy
            .as_ref()
            .map(crate::policy::SessionPolicy::highlighted)
            .unwrap_or_default();
        let fit = usize::from(preview.height.saturating_sub(2));
        frame.render_widget(
            Paragraph::new(template_lines(chosen, &tokens, fit)).wrap(Wrap { trim: false }),
            preview,
        );
    }
}

/// The templates' names, the selected one under the cursor, a broken one marked.
fn template_names(items: &[Template], selected: usize) -> Vec<Line<'static>> {
    items
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let here = i == selected;
            let cursor = if here { '▸' } else { ' ' };
            let mark = if t.policy.is_err() { '✗' } else { ' ' };
            let text = format!("{cursor}{mark}{}", printable(&t.name));
            if here {
                Line::from(Span::styled(text, theme::cursor()))
            } else {
                Line::from(text)
            }
        })
        .collect()
}

/// A template: what it is for, its size, and the first `fit` lines of its highlighted `tokens`
/// (or why it is broken).
fn template_lines<'a>(chosen: &Template, tokens: &'a [TokenLine], fit: usize) -> Vec<Line<'a>> {
    // Named, so it is never read as the row it stands beside (the first).
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("▸ {}: ", printable(&chosen.name)), theme::label()),
        Span::styled(printable(&chosen.about).into_owned(), theme::dim()),
    ])];
    match &chosen.policy {
        Ok(policy) => {
            lines.push(Line::from(Span::styled(
                format!(
                    "{} chars of {}",
                    policy.size(),
                    crate::policy::SESSION_POLICY_MAX_CHARS
                ),
                theme::dim(),
            )));
            lines.extend(tokens.iter().take(fit).map(|t| token_line(t)));
        }
        Err(e) => lines.push(Line::from(Span::styled(format!("✗ {e}"), theme::danger()))),
    }
    lines
}

/// Up to `fit` lines of `text`, numbered, around the line the error is on (when it names one),
/// that line marked.
fn numbered(text: &str, error: &PolicyError, fit: usize) -> Vec<Line<'static>> {
    let bad_line = match error {
        PolicyError::Syntax { line, .. } => Some(*line),
        _ => None,
    };
    let first = bad_line.map_or(0, |l| l.saturating_sub(fit / 2 + 1));
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate().skip(first).take(fit) {
        let n = i + 1;
        let style = if Some(n) == bad_line {
            theme::error()
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{n:>4} "), theme::dim()),
            Span::styled(printable(line).into_owned(), style),
        ]));
    }
    lines
}

fn render_invalid(frame: &mut Frame, area: Rect, app: &App, text: &str, error: &PolicyError) {
    let title = Line::from(Span::styled(
        " The edited policy is not valid ",
        theme::title(),
    ));
    let hints = [
        format!("{} edit it again", key_name(app, Action::EditPolicy)),
        "esc discard (the session keeps its policy)".to_string(),
    ];
    let block = pane_block(title, is_focused(app, Focus::Objects)).title_bottom(footer(&hints));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![
        Line::from(Span::styled(format!("✗ {error}"), theme::danger())),
        Line::from(""),
    ];
    let fit = usize::from(inner.height).saturating_sub(lines.len());
    lines.extend(numbered(text, error, fit));
    frame.render_widget(Paragraph::new(lines), inner);
}
