//! Views: they read the model and `now` and draw. No I/O, no changes to the model. Where
//! things go is decided once, in [`layout`].

mod lab;
mod layout;
mod listing;
mod object;
mod overlays;
mod pickers;
mod policy;
mod session;
mod status;
pub(crate) mod theme;
mod versions;

pub(crate) use layout::{MIN_HEIGHT, MIN_WIDTH, Screen, layout_of, screen};

use crate::app::layers::Layer;
use crate::app::{App, Focus};
use chrono::{DateTime, FixedOffset, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

/// What a frame needs besides the model: the time, and the local zone to show times in.
#[derive(Clone, Copy)]
pub(crate) struct Clock {
    pub(crate) now: DateTime<Utc>,
    pub(crate) tz: FixedOffset,
}

impl Clock {
    /// `t` in local time, `YYYY-MM-DD HH:MM:SS`.
    pub(crate) fn local(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }

    pub(crate) fn local_short(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    pub(crate) fn local_date(&self, t: DateTime<Utc>) -> chrono::NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }

    pub(crate) fn local_time(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.tz).format("%H:%M:%S").to_string()
    }
}

/// Draws the whole screen.
pub(crate) fn render(frame: &mut Frame, app: &App, clock: Clock) {
    let area = frame.area();
    let Some(screen) = screen(area, app) else {
        too_small(frame, area);
        return;
    };
    session::render(frame, screen.session, app, clock);
    policy::render(frame, screen.policy, app);
    listing::render(frame, &screen, app, clock);
    status::render(frame, screen.status, app, clock);
    match (app.popup(), &app.object.presigned) {
        (Some(Layer::Mfa), _) => overlays::render_mfa(frame, area, app, clock),
        (Some(Layer::Help), _) => overlays::render(frame, area, app),
        (Some(Layer::History), _) => overlays::render_history(frame, area, app, clock),
        (Some(Layer::Unfinished), _) => overlays::render_unfinished(frame, area, app, clock),
        (Some(Layer::Presigned), Some(p)) => object::render_presigned(frame, area, app, p, clock),
        (Some(Layer::Shared), _) => overlays::render_shared(frame, area, app),
        _ => {}
    }
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

/// The key bound to `action`, for the hints beside errors and views (`?` when none is).
pub(crate) fn key_name(app: &App, action: crate::keymap::Action) -> String {
    app.keymap
        .first_key(action)
        .map_or_else(|| "?".to_string(), |k| k.to_string())
}

/// How a feature asks again, for [`failed_lines`]: its key, the word for it, and what happens
/// when new credentials come.
pub(crate) struct AskAgain {
    pub(crate) action: crate::keymap::Action,
    pub(crate) word: &'static str,
    pub(crate) then: &'static str,
}

/// A failed request in place, the same in every pane: the failure (its AWS code first), why the
/// session policy refuses it when it does, and the way out.
pub(crate) fn failed_lines(
    app: &App,
    failed: &crate::app::fetch::Failed,
    ask: &AskAgain,
    clock: Clock,
) -> Vec<Line<'static>> {
    use ratatui::text::Span;
    let way_out = way_out_text(app, failed, ask, clock);
    let mut lines = vec![Line::from(Span::styled(
        format!("✗ {}", failed.failure),
        theme::danger(),
    ))];
    if let Some(hint) = &failed.hint {
        lines.push(Line::from(Span::styled(
            format!("  {hint}"),
            theme::error(),
        )));
    }
    lines.push(Line::from(Span::styled(
        format!("  {way_out}"),
        theme::key_hint(),
    )));
    lines
}

/// A failure's lines (what failed, why, the way out) in `area`: wrapped when there is room,
/// else on the one line a short pane gives it, each part cut with `…` in turn so the way out
/// still shows.
pub(crate) fn render_failure(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    if area.height > 1 {
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return;
    }
    let width = usize::from(area.width);
    let texts: Vec<String> = lines
        .iter()
        .map(|l| l.to_string().trim().to_string())
        .collect();
    // The way out (last) keeps its room first; what failed takes the rest.
    let way_out = texts.last().cloned().unwrap_or_default();
    let head = texts[..texts.len().saturating_sub(1)].join(" ");
    let head_room = width
        .saturating_sub(way_out.chars().count() + 3)
        .max(width / 2);
    let head = keep_head(&head, head_room);
    let rest = width.saturating_sub(head.chars().count() + 3);
    let line = Line::from(vec![
        Span::styled(head, theme::danger()),
        Span::styled(" · ", theme::dim()),
        Span::styled(keep_head(&way_out, rest), theme::key_hint()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The way out of a failed request, in words and keys.
fn way_out_text(
    app: &App,
    failed: &crate::app::fetch::Failed,
    ask: &AskAgain,
    clock: Clock,
) -> String {
    use crate::app::fetch::WayOut;
    use crate::keymap::Action;
    // The session policy explains the refusal: asking again cannot help, another policy can.
    if failed.hint.is_some() && failed.failure.kind == crate::failure::ErrorKind::AccessDenied {
        return format!(
            "{}: choose a template · {}: edit the policy",
            key_name(app, Action::Templates),
            key_name(app, Action::EditPolicy)
        );
    }
    match failed.way_out(app.session.now(clock.now)) {
        WayOut::Refreshing => format!("refreshing credentials, then {}…", ask.then),
        WayOut::RetryingAt(at) => format!(
            "retrying in {}s · {}: retry now",
            (at - clock.now).num_seconds().max(0),
            key_name(app, ask.action)
        ),
        WayOut::Refresh => format!(
            "{}: refresh credentials",
            key_name(app, Action::RefreshCredentials)
        ),
        // A refusal the session policy does not explain: the bucket may be requester pays.
        WayOut::AskAgain
            if failed.failure.kind == crate::failure::ErrorKind::AccessDenied
                && app.config.requester_pays == crate::settings::RequesterPays::Ask
                && app.payer == crate::app::Payer::Owner =>
        {
            format!(
                "{}: {} · requester pays? {}: agree to pay",
                key_name(app, ask.action),
                ask.word,
                key_name(app, Action::RequesterPays)
            )
        }
        WayOut::AskAgain => format!("{}: {}", key_name(app, ask.action), ask.word),
    }
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

/// An ARN shortened to `width` characters, the account never lost: whole if it fits; else the
/// account and all after it (`123456789012:assumed-role/ROLE/SESSION`: the `arn:aws:sts::`
/// before it says nothing here); else the account, `…` and as much of the end as fits.
pub(crate) fn keep_account(arn: &str, width: usize) -> String {
    /// The end keeps at least this much, or the end alone is shown.
    const TAIL_MIN: usize = 12;
    let fits = |text: &str| text.chars().count() <= width;
    if fits(arn) || width == 0 {
        return arn.to_string();
    }
    let Some((colon, _)) = arn.match_indices(':').nth(4) else {
        return keep_tail(arn, width);
    };
    let account_start = arn[..colon].rfind(':').map_or(0, |c| c + 1);
    let from_account = &arn[account_start..];
    if fits(from_account) {
        return from_account.to_string();
    }
    let (account, rest) = from_account.split_at(colon + 1 - account_start);
    let room = width.saturating_sub(account.chars().count());
    if room > TAIL_MIN {
        return format!("{account}{}", keep_tail(rest, room));
    }
    keep_tail(arn, width)
}

/// Shortens `text` to `width` characters, keeping its start.
/// An object's name cell: `name`, and after it its class when it is archived (read only after
/// a restore, `z`), in the listing and the versions view alike.
pub(crate) fn name_cell<'a>(
    name: Span<'a>,
    class: &crate::bucket::StorageClass,
) -> ratatui::widgets::Cell<'a> {
    match class.name() {
        Some(shown) if crate::object::archive::is_archived(class) => {
            ratatui::widgets::Cell::from(Line::from(vec![
                name,
                Span::styled(format!(" {shown}"), theme::key_hint()),
            ]))
        }
        _ => ratatui::widgets::Cell::from(name),
    }
}

pub(crate) fn keep_head(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width || width == 0 {
        return text.to_string();
    }
    let head: String = text.chars().take(width - 1).collect();
    format!("{head}…")
}

/// `text` in lines of at most `width` characters, broken at spaces (a word longer than the
/// width gets a line of its own).
pub(crate) fn word_wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let Some(current) = lines.last_mut() else {
            break;
        };
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if !current.is_empty() && needed > width {
            lines.push(String::new());
        }
        let Some(current) = lines.last_mut() else {
            break;
        };
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines
}

/// A braille spinner frame for `now`.
pub(crate) fn spinner(now: DateTime<Utc>) -> char {
    const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let tick = usize::try_from(now.timestamp_subsec_millis() / 100).unwrap_or(0);
    FRAMES[tick % FRAMES.len()]
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod shortening {
    use super::keep_account;

    #[test]
    fn a_long_arn_keeps_its_account_and_as_much_of_its_end_as_fits() {
        let arn = "arn:aws:sts::123456789012:assumed-role/S3BrowseRole/assumerole-s3-list";
        assert_eq!(keep_account(arn, 200), arn, "it fits");
        assert_eq!(keep_account(arn, 70), arn, "exactly");
        // Without the `arn:aws:sts::` before the account, all the rest.
        assert_eq!(
            keep_account(arn, 57),
            "123456789012:assumed-role/S3BrowseRole/assumerole-s3-list"
        );
        // The account, and 12 or more of the end.
        assert_eq!(
            keep_account(arn, 56),
            "123456789012:…sumed-role/S3BrowseRole/assumerole-s3-list"
        );
        assert_eq!(keep_account(arn, 26), "123456789012:…role-s3-list");
        // Too narrow for that: the end.
        assert_eq!(keep_account(arn, 25), "…eRole/assumerole-s3-list");
        for width in 1..=80 {
            assert!(keep_account(arn, width).chars().count() <= width, "{width}");
        }
        assert_eq!(keep_account("not an arn at all, long", 10), "…all, long");
    }
}
