//! Overlays: the help listing every binding (from the keymap), the session history, and the
//! MFA code prompt.

use super::{Clock, theme};
use crate::app::{App, Input, Level};
use crate::keymap::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub(crate) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let rows: Vec<(String, String)> = app
        .keymap
        .bindings()
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(ToString::to_string).collect();
            (keys.join(" "), b.help.clone())
        })
        .collect();
    let key_width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(keys, help)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<key_width$}  "), theme::key_hint()),
                Span::raw(help),
            ])
        })
        .collect();
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = centered(area, 64, height);
    // When it does not fit, it scrolls (the model keeps the wish, this clamps it).
    let shown = usize::from(popup.height.saturating_sub(2));
    let scroll = app.help_scroll.min(lines.len().saturating_sub(shown));
    let footer = if lines.len() > shown {
        format!(
            " esc/?/q close · j/k scroll · {}-{} of {} ",
            scroll + 1,
            scroll + shown,
            lines.len()
        )
    } else {
        " esc/?/q close ".to_string()
    };
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme::focus_border())
        .title(Span::styled(" Keys ", theme::title()))
        .title_bottom(Span::styled(footer, theme::dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        popup,
    );
}

/// The shared session's popup: the line to paste in another shell (copied already), what it
/// does, and the keys. The line stands alone on its row, so a mouse selection takes it whole.
pub(crate) fn render_shared(frame: &mut Frame, area: Rect, app: &App) {
    let Some(sharing) = app.share.sharing() else {
        return;
    };
    let lines = shared_lines(sharing);
    let width = area.width.saturating_sub(4).clamp(20, 100).min(area.width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let needed: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let height = u16::try_from(needed + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    let footer = shared_footer(app);
    let block = Block::bordered()
        .border_style(theme::focus_border())
        .title(Span::styled(" Sharing the session ", theme::title()))
        .title_bottom(Span::styled(footer, theme::dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// The popup's keys.
fn shared_footer(app: &App) -> String {
    let key = |action| super::key_name(app, action);
    format!(
        " {} shell here · {} copy again · {} stop sharing · esc close ",
        key(Action::Shell),
        key(Action::CopyUri),
        key(Action::Cancel)
    )
}

/// The popup's text: the line, what it does, where the endpoint is.
fn shared_lines(sharing: &crate::app::share::Sharing) -> Vec<Line<'static>> {
    vec![
        Line::from(Span::styled(
            "Paste this in another shell (it is on the clipboard):",
            theme::label(),
        )),
        Line::from(""),
        Line::from(Span::raw(sharing.endpoint.source_line())),
        Line::from(""),
        Line::from(Span::styled(
            "The AWS CLI, Terraform and the AWS SDKs there then use this session, refreshed \
             as sts3 refreshes it, following a switch of mode, profile or bucket. Only a \
             process that can read the token file is served.",
            theme::dim(),
        )),
        Line::from(""),
        Line::from(Span::styled(
            format!("Endpoint  {}", sharing.endpoint.url),
            theme::dim(),
        )),
    ]
}

/// The MFA prompt: for a refresh, how long the session has left; the code masked.
pub(crate) fn render_mfa(frame: &mut Frame, area: Rect, app: &App, clock: Clock) {
    let Some(Input::Mfa { mode, code, error }) = &app.input else {
        return;
    };
    let serial = app.target.mfa_serial.clone().unwrap_or_default();
    let s = &app.session;
    let heading = match s.info() {
        Some(info) if info.mode == *mode => {
            let left = (info.expires_at - s.server_now(clock.now)).max(chrono::TimeDelta::zero());
            let left = crate::credentials::format_hms(left);
            Line::from(Span::styled(
                format!("MFA code needed to refresh · {left} left"),
                theme::warn(),
            ))
        }
        _ => Line::from(format!("{mode} mode needs a code from MFA device")),
    };
    // The digits are never drawn: one dot each.
    let masked: String = "•".repeat(code.chars().count());
    let mut lines = vec![
        heading,
        Line::from(Span::styled(serial, theme::label())),
        Line::from(vec![
            Span::raw("code: "),
            Span::styled(format!("{masked:_<6}"), theme::key_hint()),
        ]),
    ];
    if let Some(e) = error {
        lines.push(Line::from(Span::styled(e.clone(), theme::error())));
    }
    let popup = centered(area, 60, 7);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme::warn())
        .title(Span::styled(" MFA ", theme::title()))
        .title_bottom(Span::styled(" ⏎ submit · esc cancel ", theme::dim()));
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        popup,
    );
}

/// The session history, newest first, each event with its local time.
/// The unfinished multipart uploads of the folder shown (`M`): when each began (local date and
/// time),
/// its name, its id; `D` aborts them all.
pub(crate) fn render_unfinished(frame: &mut Frame, area: Rect, app: &App, clock: Clock) {
    let Some(left) = app.leftovers.shown() else {
        return;
    };
    let width = area.width.saturating_sub(8).max(40);
    let inner = usize::from(width.min(area.width).saturating_sub(2));
    let said = "S3 keeps, and bills, their parts; no listing shows them.";
    let lines: Vec<Line> = std::iter::once(Line::from(Span::styled(
        super::keep_head(said, inner),
        theme::dim(),
    )))
    .chain(left.uploads.iter().map(|u| {
        let when = u
            .initiated
            .map_or_else(|| " ".repeat(16), |t| clock.local_short(t));
        let name = crate::escape::printable(u.key.strip_prefix(&left.prefix).unwrap_or(&u.key))
            .into_owned();
        let id = crate::escape::printable(&u.upload_id).into_owned();
        let room = inner.saturating_sub(when.chars().count() + 2);
        Line::from(vec![
            Span::styled(format!("{when}  "), theme::dim()),
            Span::raw(super::keep_head(&format!("{name}  "), room)),
            Span::styled(
                super::keep_head(&id, room.saturating_sub(name.chars().count() + 2)),
                theme::dim(),
            ),
        ])
    }))
    .collect();
    let footer = format!(
        " D aborts them all · esc/M close · j/k scroll · {} ",
        left.uploads.len()
    );
    let title = format!(" Unfinished uploads under {} ", left.place());
    list_popup(frame, area, (title, footer), lines, left.scroll);
}

/// A popup of `lines` over most of `area`, scrolled to `scroll` (no further than its last
/// line can come), with its title and footer.
fn list_popup(
    frame: &mut Frame,
    area: Rect,
    (title, footer): (String, String),
    lines: Vec<Line<'_>>,
    scroll: usize,
) {
    let width = area.width.saturating_sub(8).max(40);
    let height = area.height.saturating_sub(4).max(5);
    let popup = centered(area, width, height);
    let shown = usize::from(popup.height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(shown));
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme::focus_border())
        .title(Span::styled(title, theme::title()))
        .title_bottom(Span::styled(footer, theme::dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        popup,
    );
}

pub(crate) fn render_history(frame: &mut Frame, area: Rect, app: &App, clock: Clock) {
    let h = &app.history;
    let width = area.width.saturating_sub(8).max(40);
    let inner = usize::from(width.min(area.width).saturating_sub(2));
    let lines: Vec<Line> = h
        .newest_first()
        .map(|e| {
            let style = match e.level {
                Level::Info => ratatui::style::Style::default(),
                Level::Warn => theme::warn(),
                Level::Error => theme::error(),
            };
            let time = format!("{}  ", clock.local_time(e.at));
            let times = if e.times > 1 {
                format!(" (×{})", e.times)
            } else {
                String::new()
            };
            // Cut with `…` so the end of a long line is seen to be missing.
            let room = inner.saturating_sub(time.chars().count() + times.chars().count());
            Line::from(vec![
                Span::styled(time, theme::dim()),
                Span::styled(super::keep_head(&e.text, room), style),
                Span::styled(times, theme::dim()),
            ])
        })
        .collect();
    let footer = format!(
        " esc/L close · j/k scroll · {} event{} ",
        h.len(),
        if h.len() == 1 { "" } else { "s" }
    );
    let body = if lines.is_empty() {
        vec![Line::from(Span::styled("nothing yet", theme::dim()))]
    } else {
        lines
    };
    let title = " Session history (newest first) ".to_string();
    list_popup(frame, area, (title, footer), body, h.scroll);
}
