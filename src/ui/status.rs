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

pub(crate) fn render(frame: &mut Frame, area: Rect, app: &App, clock: Clock) {
    // A line being typed is always on top (`App::top`): its own prompt.
    let line = if let Some(prompt) = prompt_line(app) {
        prompt
    } else if let Some(notice) = &app.notice {
        let style = match notice.level {
            Level::Info => theme::ok(),
            Level::Warn => theme::warn(),
            Level::Error => theme::error(),
        };
        // Cut with `…` where the line ends: never a word cut off without a sign.
        let text = super::keep_head(&notice.text, usize::from(area.width));
        Line::from(Span::styled(text, style))
    } else if let Some(progress) = app.object.download_status(clock.now) {
        let text = super::keep_head(&progress, usize::from(area.width));
        Line::from(Span::styled(text, theme::key_hint()))
    } else {
        hints(app, usize::from(area.width))
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The line being typed, or the question asked, when one is (it is on top: `App::top`).
fn prompt_line(app: &App) -> Option<Line<'static>> {
    let input = app.input.as_ref()?;
    Some(match input {
        Input::Overwrite => overwrite_prompt(app),
        Input::ConfirmQuit => confirm_quit_prompt(),
        Input::ConfirmDelete => confirm_delete_prompt(app, app.deletes.asking()?),
        Input::Upload { text } => upload_prompt(app, text),
        Input::ConfirmPut => confirm_put_prompt(app, app.uploads.exists()?),
        Input::Filter { text } => Line::from(vec![
            Span::styled("/", theme::key_hint()),
            Span::raw(text.clone()),
            Span::styled("▏", theme::key_hint()),
            Span::styled("  ⏎ keep · esc clear", theme::dim()),
        ]),
        Input::Mfa { .. } => return None,
    })
}

/// `U`: the folder the file goes into, the path typed so far, the keys.
fn upload_prompt(app: &App, text: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!(
                "put into s3://{}/{}: ",
                app.listing.bucket(),
                crate::escape::printable(app.listing.prefix())
            ),
            theme::key_hint(),
        ),
        Span::raw(crate::escape::printable(text).into_owned()),
        Span::styled("▏", theme::key_hint()),
        Span::styled("  ⏎ put · tab completes · esc cancels", theme::dim()),
    ])
}

/// The key being put exists: overwrite it?
fn confirm_put_prompt(app: &App, key: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!(
                "s3://{}/{} exists: ",
                app.listing.bucket(),
                crate::escape::printable(key)
            ),
            theme::warn(),
        ),
        Span::styled(
            "o overwrites it · any other key keeps it",
            theme::key_hint(),
        ),
    ])
}

/// `D`: the object named whole (its key's end kept if the line is short), then the keys.
fn confirm_delete_prompt(app: &App, key: &str) -> Line<'static> {
    let uri = format!(
        "s3://{}/{}",
        app.listing.bucket(),
        crate::escape::printable(key)
    );
    Line::from(vec![
        Span::styled(format!("delete {uri}? "), theme::warn()),
        Span::styled("y deletes · any other key keeps it", theme::key_hint()),
    ])
}

/// Quitting would stop sharing the session: asked first.
fn confirm_quit_prompt() -> Line<'static> {
    Line::from(vec![
        Span::styled(
            "sharing the session: quit and stop sharing? ",
            theme::warn(),
        ),
        Span::styled("q/y quit · esc stay", theme::key_hint()),
    ])
}

/// `report.pdf exists: o overwrite · k keep both as report (1).pdf · c cancel · in ~/Downloads`:
/// the keys before the folder, so at 80 columns the choice is whole and only the folder is cut.
fn overwrite_prompt(app: &App) -> Line<'static> {
    use crate::app::object::Phase;
    let Some(d) = &app.object.download else {
        return Line::default();
    };
    let Phase::Asking { keep_both } = &d.phase else {
        return Line::default();
    };
    let name = |p: &std::path::Path| {
        crate::escape::printable(&p.file_name().unwrap_or_default().to_string_lossy()).into_owned()
    };
    let folder = d.path.parent().unwrap_or(std::path::Path::new("."));
    Line::from(vec![
        Span::styled(format!("{} exists: ", name(&d.path)), theme::warn()),
        Span::styled("o", theme::key_hint()),
        Span::raw(" overwrite · "),
        Span::styled("k", theme::key_hint()),
        Span::raw(format!(" keep both as {} · ", name(keep_both))),
        Span::styled("c", theme::key_hint()),
        Span::raw(" cancel"),
        Span::styled(
            format!(
                " · in {}",
                crate::escape::printable(&folder.display().to_string())
            ),
            theme::dim(),
        ),
    ])
}

fn hints(app: &App, width: usize) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (action, label) in HINTS {
        let Some(key) = app.keymap.first_key(action) else {
            continue;
        };
        let key = key.to_string();
        // "k label   ": the key, a space, the label, three spaces.
        let len = key.chars().count() + label.chars().count() + 4;
        if used + len > width {
            break;
        }
        used += len;
        spans.push(Span::styled(key, theme::key_hint()));
        spans.push(Span::styled(format!(" {label}   "), theme::dim()));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Options;
    use crate::keymap::Keymap;
    use crate::settings::Settings;
    use chrono::TimeZone;

    #[test]
    fn hints_fill_the_width_and_stop_before_a_cut_one() {
        let opts = Options {
            bucket: Some("b-1".into()),
            user: Some("alice".into()),
            ..Options::default()
        };
        let settings = Settings::resolve_text(&opts, "", "t.toml").unwrap();
        let now = chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let (app, _) = App::new(settings, Keymap::default(), now);
        let shown = |width| -> String {
            hints(&app, width)
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect()
        };
        // "q quit   " is 9 characters and "? help   " 9 more.
        assert_eq!(shown(18), "q quit   ? help   ");
        assert_eq!(
            shown(17),
            "q quit   ",
            "a hint that does not fit whole is left out"
        );
        assert_eq!(shown(9), "q quit   ");
        assert_eq!(shown(8), "");
    }
}
