//! The session pane: mode, principal, masked key, times, the live countdown and its gauge, the
//! refresh plan, where the session comes from, and the last error in full. When the pane is
//! short, rows are kept by importance (the countdown first), and shown in their usual order.

use super::{Clock, is_focused, keep_account, pane_block, spinner, theme};
use crate::app::session::Plan;
use crate::app::{App, Focus};
use crate::credentials::format_hms;
use crate::settings::RefreshSettings;
use chrono::TimeDelta;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const LABEL_WIDTH: usize = 10;

/// The countdown's colour: green, yellow under `warn_secs`, red under `danger_secs`.
pub(crate) fn countdown_style(left: TimeDelta, refresh: &RefreshSettings) -> Style {
    let secs = left.num_seconds();
    if secs <= 0 || secs < i64::from(refresh.danger_secs) {
        theme::danger()
    } else if secs < i64::from(refresh.warn_secs) {
        theme::warn()
    } else {
        theme::ok()
    }
}

fn row<'a>(label: &'a str, value: impl Into<Span<'a>>) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<LABEL_WIDTH$}"), theme::label()),
        value.into(),
    ])
}

/// One row (or, for an error, several lines) and how much it matters: lower is kept first.
struct Row<'a> {
    rank: u8,
    lines: Vec<Line<'a>>,
}

pub(crate) fn render(frame: &mut Frame, area: Rect, app: &App, clock: Clock) {
    let inner_height = usize::from(area.height.saturating_sub(2));
    let inner_width = usize::from(area.width.saturating_sub(2));
    let rows = rows(app, clock, inner_width);
    let lines = fit(rows, inner_height);
    let title = Line::from(Span::styled(" Session ", theme::title()));
    let block = pane_block(title, is_focused(app, Focus::Session));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// How many lines the pane would like inside its border at `inner_width` (to show everything,
/// the whole error included).
pub(crate) fn wanted_lines(app: &App, inner_width: u16) -> u16 {
    use chrono::Offset;
    // Times only change what the lines say, not how many there are.
    let clock = Clock {
        now: chrono::DateTime::UNIX_EPOCH,
        tz: chrono::Utc.fix(),
    };
    let lines: usize = rows(app, clock, usize::from(inner_width))
        .iter()
        .map(|r| r.lines.len())
        .sum();
    u16::try_from(lines).unwrap_or(u16::MAX)
}

/// The rows in display order, each with its rank.
fn rows(app: &App, clock: Clock, inner_width: usize) -> Vec<Row<'static>> {
    let s = &app.session;
    let value_width = inner_width.saturating_sub(LABEL_WIDTH);
    let one = |rank, line| Row {
        rank,
        lines: vec![line],
    };
    let mut rows = vec![one(1, mode_row(app, clock))];
    // A slow answer says where it is waited for, and for how long.
    if let Some((target, since)) = s.issuing() {
        let waited = (clock.now - since).num_seconds();
        if waited >= WAIT_SAID_AFTER_SECS {
            let text = format!("STS at {} · {waited} s", app.target.sts_place(target));
            rows.push(one(1, row("Waiting", Span::styled(text, theme::warn()))));
        }
    }
    match s.info() {
        None => rows.push(one(
            2,
            row("", Span::styled("no credentials yet", theme::dim())),
        )),
        Some(info) => {
            rows.push(one(
                4,
                row("Principal", keep_account(&info.principal_arn, value_width)),
            ));
            rows.push(one(7, row("Key", info.masked_access_key())));
            rows.push(one(8, row("Issued", clock.local(info.issued_at))));
            rows.push(one(6, row("Expires", clock.local(info.expires_at))));
            rows.push(one(0, left_row(app, clock, value_width)));
        }
    }
    rows.push(one(2, row("Refresh", refresh_text(app, clock))));
    if let Some(profile) = &app.target.role_profile {
        let base = app.target.base.profile.as_deref().map_or_else(
            || "the environment's keys".to_string(),
            |p| format!("profile {p}"),
        );
        rows.push(one(
            5,
            row("Profile", format!("{profile} (role profile; base: {base})")),
        ));
    }
    let place = app.target.place(s.mode(), app.shown_region().as_deref());
    rows.push(one(5, row("Where", super::keep_head(&place, value_width))));
    if let Some(text) = shared_text(app, clock, value_width) {
        rows.push(one(3, row("Shared", Span::styled(text, theme::key_hint()))));
    }
    // Requester pays: every read is charged to this account.
    if app.payer == crate::app::Payer::Requester {
        let text = super::keep_head("reads charged to you (requester pays)", value_width);
        rows.push(one(5, row("Charged", Span::styled(text, theme::warn()))));
    }
    if s.clock_offset() != TimeDelta::zero() {
        let text = crate::app::clock_offset_text(s.clock_offset());
        rows.push(one(4, row("Clock", Span::styled(text, theme::warn()))));
    }
    if let Some(err) = s.last_error() {
        let text = format!("{}: {}", err.mode, err.text);
        rows.push(Row {
            rank: 3,
            lines: wrapped(
                "Error",
                &text,
                value_width.saturating_sub(1).max(10),
                theme::error(),
            ),
        });
    }
    rows
}

/// What the endpoint that shares the session did: sets served, requests refused, the last
/// one served, and the key that shows how to use it when it fits in `width`; `None` when the
/// session is not shared.
fn shared_text(app: &App, clock: Clock, width: usize) -> Option<String> {
    use crate::app::share::State;
    let sharing = match &app.share.state {
        State::Off => return None,
        State::Starting => return Some("starting…".to_string()),
        State::On(sharing) => sharing,
    };
    let mut parts = vec![match sharing.served {
        0 => "nothing served yet".to_string(),
        n => format!("served {n}"),
    }];
    if sharing.refused > 0 {
        parts.push(format!("refused {}", sharing.refused));
    }
    // What fits, most telling first: the last time served, then the key that shows how.
    let extras = [
        sharing
            .last
            .map(|t| format!("last {}", clock.local_time(t))),
        Some(format!(
            "{}: how",
            super::key_name(app, crate::keymap::Action::Share)
        )),
    ];
    Some(joined_within(parts, extras.into_iter().flatten(), width))
}

/// `parts` joined with ` · `, and each of `extras` in turn while the line stays within
/// `width` characters.
fn joined_within(
    mut parts: Vec<String>,
    extras: impl Iterator<Item = String>,
    width: usize,
) -> String {
    for extra in extras {
        let longer = format!("{} · {extra}", parts.join(" · "));
        if longer.chars().count() > width {
            break;
        }
        parts.push(extra);
    }
    parts.join(" · ")
}

/// When the next refresh (or retry) is, and how many were done.
fn refresh_text(app: &App, clock: Clock) -> String {
    let s = &app.session;
    // With a measured offset every time here is on the server's clock (the Clock line says so).
    // A time not today carries its date.
    let server = |t: chrono::DateTime<chrono::Utc>| {
        let t = t - s.clock_offset();
        if clock.local_date(t) == clock.local_date(clock.now) {
            clock.local_time(t)
        } else {
            clock.local(t)
        }
    };
    match s.shown_plan() {
        Plan::Retry { failures, at } => format!("retry {} (try {})", server(at), failures + 1),
        Plan::Refresh { at } => format!("at {} · {} done", server(at), s.refresh_count()),
        Plan::Nothing => format!("– · {} done", s.refresh_count()),
    }
}

/// An issue in flight this long says where it waits.
const WAIT_SAID_AFTER_SECS: i64 = 3;

fn mode_row(app: &App, clock: Clock) -> Line<'static> {
    let s = &app.session;
    let mut spans = vec![
        Span::styled(format!("{:<LABEL_WIDTH$}", "Mode"), theme::label()),
        Span::styled(s.mode().label().to_string(), theme::title()),
    ];
    if let Some((target, _)) = s.issuing() {
        let what = if target == s.mode() && s.info().is_some() {
            " refreshing…".to_string()
        } else if target == s.mode() {
            " issuing…".to_string()
        } else {
            format!(" → switching to {target}…")
        };
        spans.push(Span::styled(
            format!(" {}{what}", spinner(clock.now)),
            theme::warn(),
        ));
    }
    Line::from(spans)
}

fn left_row(app: &App, clock: Clock, value_width: usize) -> Line<'static> {
    let s = &app.session;
    let left = s.remaining(clock.now).unwrap_or_default();
    let style = countdown_style(left, &app.config.refresh);
    let countdown = if s.is_expired(clock.now) {
        "EXPIRED ".to_string()
    } else {
        format!("{} ", format_hms(left))
    };
    let bar_width = value_width.saturating_sub(countdown.chars().count());
    let lifetime = s
        .info()
        .map(crate::credentials::SessionInfo::lifetime)
        .unwrap_or_default();
    let mut spans = vec![
        Span::styled(format!("{:<LABEL_WIDTH$}", "Left"), theme::label()),
        Span::styled(countdown, style),
    ];
    spans.extend(gauge(left, lifetime, bar_width, style));
    Line::from(spans)
}

/// `text` after `label`, wrapped at word boundaries to `width`, continuation lines indented.
fn wrapped(label: &str, text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    super::word_wrap(text, width)
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let label = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::styled(format!("{label:<LABEL_WIDTH$}"), theme::label()),
                Span::styled(text, style),
            ])
        })
        .collect()
}

/// Keeps the most important rows that fit in `height` lines, in display order. A row that
/// does not fit whole is cut, its last line ending in `…`.
fn fit(rows: Vec<Row<'static>>, height: usize) -> Vec<Line<'static>> {
    let mut by_rank: Vec<usize> = (0..rows.len()).collect();
    by_rank.sort_by_key(|&i| rows[i].rank);
    let mut room = height;
    let mut kept = vec![0; rows.len()];
    for i in by_rank {
        let take = rows[i].lines.len().min(room);
        kept[i] = take;
        room -= take;
    }
    rows.into_iter()
        .zip(kept)
        .flat_map(|(row, take)| {
            let cut = take < row.lines.len();
            let mut lines: Vec<Line<'static>> = row.lines.into_iter().take(take).collect();
            if cut && let Some(last) = lines.last_mut() {
                last.spans.push(Span::styled("…", theme::dim()));
            }
            lines
        })
        .collect()
}

/// A bar of the time left: `━━━━────`.
fn gauge(left: TimeDelta, lifetime: TimeDelta, width: usize, style: Style) -> Vec<Span<'static>> {
    if width < 4 {
        return Vec::new();
    }
    let total = lifetime.num_seconds().max(1);
    let left = left.num_seconds().clamp(0, total);
    let full = usize::try_from(left * i64::try_from(width).unwrap_or(0) / total).unwrap_or(0);
    vec![
        Span::styled("━".repeat(full), style),
        Span::styled("─".repeat(width - full), theme::dim()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extras_join_while_the_line_fits_exactly() {
        let parts = || vec!["served 1".to_string()];
        let extras = || ["last 09:00:02".to_string(), "S: how".to_string()].into_iter();
        // "served 1 · last 09:00:02" is 24 characters.
        assert_eq!(
            joined_within(parts(), extras(), 24),
            "served 1 · last 09:00:02"
        );
        assert_eq!(joined_within(parts(), extras(), 23), "served 1");
        assert_eq!(
            joined_within(parts(), extras(), 33),
            "served 1 · last 09:00:02 · S: how"
        );
    }

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wrapping_fills_lines_to_the_width_exactly() {
        let lines = wrapped("Error", "aaaa bbbb cc", 9, Style::default());
        assert_eq!(
            text(&lines),
            ["Error     aaaa bbbb", "          cc"],
            "9 characters fit in 9"
        );
        let lines = wrapped("Error", "aaaa bbbb cc", 8, Style::default());
        assert_eq!(text(&lines), ["Error     aaaa", "          bbbb cc"]);
    }

    #[test]
    fn a_row_that_does_not_fit_whole_ends_in_an_ellipsis() {
        let row = |rank, n: usize| Row {
            rank,
            lines: (0..n).map(|i| Line::from(format!("line {i}"))).collect(),
        };
        let shown = text(&fit(vec![row(0, 1), row(1, 3)], 3));
        assert_eq!(shown, ["line 0", "line 0", "line 1…"]);
        let whole = text(&fit(vec![row(0, 1), row(1, 2)], 3));
        assert_eq!(
            whole,
            ["line 0", "line 0", "line 1"],
            "no ellipsis when it fits"
        );
        let by_rank = text(&fit(vec![row(5, 1), row(0, 1)], 1));
        assert_eq!(by_rank.len(), 1, "the more important row is kept");
    }

    #[test]
    fn the_gauge_needs_four_cells() {
        let style = Style::default();
        let full = TimeDelta::seconds(100);
        let cells = |w| {
            gauge(full, full, w, style)
                .iter()
                .map(|s| s.content.chars().count())
                .sum::<usize>()
        };
        assert_eq!(cells(4), 4);
        assert_eq!(cells(3), 0);
        let half = gauge(TimeDelta::seconds(50), full, 10, style);
        assert_eq!(half[0].content, "━━━━━");
        assert_eq!(half[1].content, "─────");
    }
}
