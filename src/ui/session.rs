//! The session pane: mode, principal, masked key, times, the live countdown and its gauge, the
//! refresh plan and the last error.

use super::{Clock, is_focused, keep_tail, pane_block, spinner, theme};
use crate::app::session::Plan;
use crate::app::{App, Focus};
use crate::credentials::format_hms;
use crate::settings::RefreshSettings;
use chrono::TimeDelta;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

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

pub(crate) fn render(frame: &mut Frame, area: Rect, app: &App, clock: Clock) {
    let s = &app.session;
    let inner_width = usize::from(area.width.saturating_sub(2));
    let value_width = inner_width.saturating_sub(LABEL_WIDTH);
    let mut lines = Vec::new();
    let mut mode = vec![Span::styled(s.mode().label().to_string(), theme::title())];
    if let Some((target, _)) = s.issuing() {
        let what = if target == s.mode() && s.info().is_some() {
            " refreshing…".to_string()
        } else if target == s.mode() {
            " issuing…".to_string()
        } else {
            format!(" → switching to {target}…")
        };
        mode.push(Span::styled(
            format!(" {}{what}", spinner(clock.now)),
            theme::warn(),
        ));
    }
    mode.insert(
        0,
        Span::styled(format!("{:<LABEL_WIDTH$}", "Mode"), theme::label()),
    );
    lines.push(Line::from(mode));
    match s.info() {
        None => lines.push(row("", Span::styled("no credentials yet", theme::dim()))),
        Some(info) => {
            lines.push(row(
                "Principal",
                keep_tail(&info.principal_arn, value_width),
            ));
            lines.push(row("Key", info.masked_access_key()));
            lines.push(row("Issued", clock.local(info.issued_at)));
            lines.push(row("Expires", clock.local(info.expires_at)));
            let left = s.remaining(clock.now).unwrap_or_default();
            let style = countdown_style(left, &app.settings.refresh);
            let countdown = if s.is_expired(clock.now) {
                "EXPIRED ".to_string()
            } else {
                format!("{} ", format_hms(left))
            };
            let bar_width = value_width.saturating_sub(countdown.chars().count());
            let mut spans = vec![
                Span::styled(format!("{:<LABEL_WIDTH$}", "Left"), theme::label()),
                Span::styled(countdown, style),
            ];
            spans.extend(gauge(left, info.lifetime(), bar_width, style));
            lines.push(Line::from(spans));
        }
    }
    // With a measured offset every time here is on the server's clock (the Clock line says so).
    let server = |t: chrono::DateTime<chrono::Utc>| clock.local_time(t - s.clock_offset());
    let refresh = match s.shown_plan() {
        Plan::Retry { failures, at } => format!("retry {} (try {})", server(at), failures + 1),
        Plan::Refresh { at } => format!("at {} · {} done", server(at), s.refresh_count()),
        Plan::Nothing => format!("– · {} done", s.refresh_count()),
    };
    lines.push(row("Refresh", refresh));
    if s.clock_offset() != TimeDelta::zero() {
        let text = crate::app::clock_offset_text(s.clock_offset());
        lines.push(row("Clock", Span::styled(text, theme::warn())));
    }
    if let Some(err) = s.last_error() {
        let text = format!("{}: {}", err.mode, err.text);
        lines.push(row("Error", Span::styled(text, theme::error())));
    }
    let title = Line::from(Span::styled(" Session ", theme::title()));
    let block = pane_block(title, is_focused(app, Focus::Session));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
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
