//! The pickers in the object pane's place: buckets (the filter being typed, the buckets the
//! session may list or why it may not, then the recent ones) and profiles (name, kind, region,
//! role), the chosen line marked.

use super::{Clock, is_focused, pane_block, spinner, theme};
use crate::app::buckets::BucketPicker;
use crate::app::fetch::Fetch;
use crate::app::profiles::ProfilePicker;
use crate::app::region::RegionPicker;
use crate::app::{App, Focus};
use crate::escape::printable;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(crate) fn render_buckets(
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
        filter_line(&picker.typed.filter),
        match &picker.listed {
            Fetch::Waiting => Line::from(Span::styled(
                "waiting for credentials to list the buckets…",
                theme::dim(),
            )),
            Fetch::Asking { .. } => Line::from(Span::styled(
                format!("{} asking S3 for the buckets…", spinner(clock.now)),
                theme::dim(),
            )),
            Fetch::Got(names) => Line::from(Span::styled(
                format!(
                    "{} bucket{} this session may list",
                    names.len(),
                    if names.len() == 1 { "" } else { "s" }
                ),
                theme::dim(),
            )),
            Fetch::Failed(failed) => Line::from(Span::styled(
                format!(
                    "✗ this session may not list buckets ({}); type a bucket's name",
                    failed.failure.code_or_kind()
                ),
                theme::warn(),
            )),
        },
    ];
    let choices = picker.choices(&app.recent_buckets);
    let room = usize::from(inner.height).saturating_sub(lines.len());
    for (choice, here) in in_view(&choices, picker.typed.selected, room) {
        let mut spans = vec![chosen(here, &printable(&choice.name))];
        if choice.recent {
            spans.push(Span::styled("  recent", theme::dim()));
        }
        lines.push(Line::from(spans));
    }
    lines.extend(typed_choice(
        choices.is_empty(),
        &picker.typed.filter,
        "opens",
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The choices that fit in `room` lines, the chosen one kept in view, each with whether it is
/// the chosen one.
fn in_view<T>(choices: &[T], selected: usize, room: usize) -> impl Iterator<Item = (&T, bool)> {
    let first = selected.saturating_sub(room.saturating_sub(1));
    choices
        .iter()
        .enumerate()
        .skip(first)
        .take(room)
        .map(move |(i, c)| (c, i == selected))
}

/// A choice's first column: marked and highlighted when it is the chosen one.
fn chosen(here: bool, text: &str) -> Span<'static> {
    if here {
        Span::styled(format!("▸ {text}"), theme::cursor())
    } else {
        Span::raw(format!("  {text}"))
    }
}

/// When nothing matches what was typed, what `⏎` does with it (`opens NAME`).
fn typed_choice(nothing_matches: bool, filter: &str, verb: &str) -> Option<Line<'static>> {
    (nothing_matches && !filter.is_empty()).then(|| {
        Line::from(Span::styled(
            format!("⏎ {verb} {}", printable(filter.trim())),
            theme::dim(),
        ))
    })
}

/// The filter being typed.
fn filter_line(filter: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled("› ", theme::key_hint()),
        Span::raw(printable(filter).into_owned()),
        Span::styled("▏", theme::dim()),
    ])
}

pub(crate) fn render_profiles(frame: &mut Frame, area: Rect, app: &App, picker: &ProfilePicker) {
    let title = Line::from(vec![
        Span::styled(" Profiles ", theme::title()),
        Span::raw(format!(
            "{} ",
            printable(&app.config.profile_files.config_path)
        )),
    ]);
    let hints = " type to filter · ⏎ use it (re-issues the session) · ↑/↓ choose · esc back ";
    let block = pane_block(title, is_focused(app, Focus::Objects))
        .title_bottom(Line::from(Span::styled(hints, theme::key_hint())));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let choices = picker.choices();
    let name_width = choices
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(0);
    let current = app
        .target
        .role_profile
        .as_deref()
        .or(app.target.base.profile.as_deref());
    let mut lines = vec![filter_line(&picker.typed.filter)];
    let room = usize::from(inner.height).saturating_sub(1);
    for (p, here) in in_view(&choices, picker.typed.selected, room) {
        let mut spans = vec![
            chosen(here, &format!("{:<name_width$}", printable(&p.name))),
            Span::styled(format!("  {:<7}", p.kind), theme::label()),
            Span::styled(
                format!(" {:<14}", p.region.as_deref().unwrap_or("")),
                theme::dim(),
            ),
        ];
        if let Some(role) = &p.role_arn {
            spans.push(Span::raw(format!(" {}", printable(role))));
        }
        if current == Some(p.name.as_str()) {
            spans.push(Span::styled("  (in use)", theme::ok()));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(crate) fn render_regions(frame: &mut Frame, area: Rect, app: &App, picker: &RegionPicker) {
    let now_in = app
        .shown_region()
        .unwrap_or_else(|| "the AWS chain's region".to_string());
    let title = Line::from(vec![
        Span::styled(" Regions ", theme::title()),
        Span::raw(format!("now {} ", printable(&now_in))),
    ]);
    let hints =
        " type to filter, or a region's name · ⏎ call STS and S3 there · ↑/↓ choose · esc back ";
    let block = pane_block(title, is_focused(app, Focus::Objects))
        .title_bottom(Line::from(Span::styled(hints, theme::key_hint())));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let choices = picker.choices();
    let mut lines = vec![filter_line(&picker.typed.filter)];
    let room = usize::from(inner.height).saturating_sub(1);
    for (region, here) in in_view(&choices, picker.typed.selected, room) {
        lines.push(Line::from(chosen(here, region)));
    }
    lines.extend(typed_choice(
        choices.is_empty(),
        &picker.typed.filter,
        "uses",
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
