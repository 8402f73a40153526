//! The status bar: a notice when there is one (on more lines when it is longer than the bar),
//! the filter being typed, else key hints generated from the keymap.

use super::{Clock, theme};
use crate::app::delete::Deletion;
use crate::app::{App, Input, Level};
use crate::keymap::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
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
    let width = usize::from(area.width);
    // A line being typed is always on top (`App::top`): its own prompt.
    let text = if let Some(prompt) = prompt_line(app, width) {
        Text::from(fit(prompt, width))
    } else if let Some((lines, level)) = notice_lines(app, width, usize::from(area.height)) {
        let style = match level {
            Level::Info => theme::ok(),
            Level::Warn => theme::warn(),
            Level::Error => theme::error(),
        };
        lines
            .into_iter()
            .map(|l| Line::from(Span::styled(l, style)))
            .collect::<Text>()
    } else if let Some(progress) = app.object.download_status(clock.now) {
        let text = super::keep_head(&progress, width);
        Text::from(Line::from(Span::styled(text, theme::key_hint())))
    } else {
        Text::from(hints(app, width))
    };
    frame.render_widget(Paragraph::new(text), area);
}

/// The most lines a notice takes. One longer than the bar goes on below, where a line cut at
/// the bar's end lost what ends it, often the way out (`T offers read-write templates`).
const NOTICE_LINES: usize = 3;

/// Lines the status bar takes in a terminal of `width` × `height`: a notice's (see
/// [`notice_lines`]) unless a prompt is up, else one. Only rows beyond the smallest terminal go
/// to a notice, so the panes never have less room than there (where the countdown comes first).
pub(crate) fn height(app: &App, width: u16, height: u16) -> u16 {
    let width = usize::from(width);
    if prompt_line(app, width).is_some() {
        return 1;
    }
    let room = usize::from(height.saturating_sub(super::MIN_HEIGHT)) + 1;
    notice_lines(app, width, room)
        .and_then(|(lines, _)| u16::try_from(lines.len()).ok())
        .unwrap_or(1)
}

/// The notice in lines of at most `width`, broken between words (shown when no prompt is up).
/// Past [`NOTICE_LINES`], or `room`, it is cut, and a line too long (a word wider than the bar)
/// too, with `…` where: never a word cut off without a sign.
fn notice_lines(app: &App, width: usize, room: usize) -> Option<(Vec<String>, Level)> {
    let notice = app.notice.as_ref()?;
    let mut lines = super::word_wrap(&notice.text, width);
    let most = NOTICE_LINES.min(room).max(1);
    if lines.len() > most {
        lines.truncate(most);
        if let Some(last) = lines.last_mut() {
            last.push_str(" …");
        }
    }
    let lines = lines.iter().map(|l| super::keep_head(l, width)).collect();
    Some((lines, notice.level))
}

/// A prompt wider than the bar loses the end of its last part (the keys' hint), with `…` where
/// it is cut: never a word cut off without a sign.
fn fit(mut line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let Some(last) = line.spans.pop() else {
        return line;
    };
    let room = width.saturating_sub(line.width());
    if room > 1 {
        line.spans.push(Span::styled(
            super::keep_head(&last.content, room),
            last.style,
        ));
    }
    line
}

/// The line being typed, or the question asked, when one is (it is on top: `App::top`).
fn prompt_line(app: &App, width: usize) -> Option<Line<'static>> {
    let input = app.input.as_ref()?;
    Some(match input {
        Input::Overwrite => overwrite_prompt(app),
        Input::ConfirmQuit => confirm_quit_prompt(),
        Input::ConfirmDelete => {
            let deletion = app.deletes.asking()?;
            kept_note(
                app,
                deletion,
                confirm_delete_prompt(app, deletion, width),
                width,
            )
        }
        Input::TypeToDelete { text } => {
            let deletion = app.deletes.asking()?;
            let line = type_to_delete_prompt(app, deletion, text, width);
            kept_note(app, deletion, line, width)
        }
        Input::Upload { text } => {
            let keys = ["  ⏎ put · tab completes · esc cancels", "  ⏎ · tab · esc"];
            folder_line_prompt(app, "put into", text, keys, width)
        }
        Input::ConfirmPut => confirm_put_prompt(app, app.uploads.exists()?, width),
        Input::GoTo { text } => {
            let keys = [
                "  ⏎ go · s3://b/p/, /from/root/, rel/, a partial name · esc cancels",
                "  ⏎ · esc",
            ];
            folder_line_prompt(app, "go to", text, keys, width)
        }
        Input::NewFolder { text } => {
            let keys = ["  ⏎ makes it · esc cancels", "  ⏎ · esc"];
            folder_line_prompt(app, "new folder in", text, keys, width)
        }
        Input::CopyTo { from, text, moving } => {
            let (verb, keys) = if *moving {
                (
                    "move",
                    ["  ⏎ moves it · /… from the root · esc cancels", "  ⏎ · esc"],
                )
            } else {
                (
                    "copy",
                    [
                        "  ⏎ copies it · /… from the root · esc cancels",
                        "  ⏎ · esc",
                    ],
                )
            };
            let name = crate::escape::printable(from.rsplit('/').next().unwrap_or(from));
            folder_line_prompt(app, &format!("{verb} {name} to"), text, keys, width)
        }
        Input::ConfirmCopy => confirm_put_prompt(app, &app.copies.exists()?.to, width),
        Input::CopyManyTo { text, moving } => copy_many_prompt(app, text, *moving, width),
        Input::ConfirmCopyMany => confirm_copy_many_prompt(app.copies.batch_asking()?, width),
        Input::ConfirmSaveMany => {
            let batch = app.saves.asking()?;
            let keys = ["y saves them · any other key keeps them", "[y/N]"];
            let head = format!("save {} into ", batch.what());
            let fixed = head.chars().count() + 2;
            let (place, keys) = fit_name(&batch.target(), fixed, keys, width);
            Line::from(vec![
                Span::styled(format!("{head}{place}? "), theme::warn()),
                Span::styled(keys, theme::key_hint()),
            ])
        }
        Input::ConfirmFolderPut => {
            let (_, target, what) = app.uploads.folder_asking()?;
            confirm_folder_put_prompt(&target, &what, width)
        }
        Input::ConfirmRestore => confirm_restore_prompt(app, width)?,
        Input::ConfirmUnarchive => confirm_unarchive_prompt(app, width)?,
        Input::CustomerKey { key, text } => customer_key_prompt(app, key, &text.shown(), width),
        Input::ConfirmAbort => {
            let keys = ["y aborts · any other key keeps them", "[y/N]"];
            let left = app.leftovers.asking()?;
            // How many always shows; the folder keeps its end.
            let head = format!("abort {} under ", left.count());
            let tail = " (their parts go)? ";
            let fixed = head.chars().count() + tail.chars().count();
            let (place, keys) = fit_name(&left.place(), fixed, keys, width);
            Line::from(vec![
                Span::styled(format!("{head}{place}{tail}"), theme::warn()),
                Span::styled(keys, theme::key_hint()),
            ])
        }
        Input::Filter { text } => Line::from(vec![
            Span::styled("/", theme::key_hint()),
            Span::raw(text.clone()),
            Span::styled("▏", theme::key_hint()),
            Span::styled("  ⏎ keep · esc clear", theme::dim()),
        ]),
        Input::Mfa { .. } => return None,
    })
}

/// A question naming an object, on a line of `width`: the name whole if it fits beside the
/// rest (`fixed` characters) and the long keys; else its end (the useful part of a key) in
/// what the short keys leave; the keys are never cut.
fn fit_name(
    name: &str,
    fixed: usize,
    keys: [&'static str; 2],
    width: usize,
) -> (String, &'static str) {
    /// Less of a name than this says nothing: the long keys give way first.
    const NAME_MIN: usize = 12;
    let [long, short] = keys;
    let room = |keys: &str| width.saturating_sub(fixed + keys.chars().count());
    let n = name.chars().count();
    if n <= room(long) {
        return (name.to_string(), long);
    }
    if room(long) >= NAME_MIN {
        return (super::keep_tail(name, room(long)), long);
    }
    (super::keep_tail(name, room(short).max(1)), short)
}

/// `C`/`R` with marks or on a folder: the folder they go to, typed.
fn copy_many_prompt(app: &App, text: &str, moving: bool, width: usize) -> Line<'static> {
    let (verb, keys) = if moving {
        (
            "move",
            [
                "  ⏎ moves them · /… from the root · esc cancels",
                "  ⏎ · esc",
            ],
        )
    } else {
        (
            "copy",
            [
                "  ⏎ copies them · /… from the root · esc cancels",
                "  ⏎ · esc",
            ],
        )
    };
    let what = match (app.listing.marks.len(), app.listing.selected()) {
        (0, Some(folder)) => crate::escape::printable(app.listing.relative(folder)).into_owned(),
        (n, _) => crate::object::detail::counted(n, "marked object"),
    };
    folder_line_prompt(app, &format!("{verb} {what} to"), text, keys, width)
}

/// Copy or move the many objects? How many and how much always show; the folder keeps its
/// end.
fn confirm_copy_many_prompt(batch: &crate::app::copy::Batch, width: usize) -> Line<'static> {
    let keys = if batch.moving {
        ["y moves them · any other key keeps them", "[y/N]"]
    } else {
        ["y copies them · any other key keeps them", "[y/N]"]
    };
    let head = format!("{} {} to ", batch.verb(), batch.what());
    let fixed = head.chars().count() + 2;
    let (place, keys) = fit_name(&batch.target(), fixed, keys, width);
    Line::from(vec![
        Span::styled(format!("{head}{place}? "), theme::warn()),
        Span::styled(keys, theme::key_hint()),
    ])
}

/// Put the folder's files? How many and how much always show; the destination keeps its end.
fn confirm_folder_put_prompt(target: &str, what: &str, width: usize) -> Line<'static> {
    let keys = ["y puts · any other key keeps them", "[y/N]"];
    let head = format!("put {what} into ");
    let fixed = head.chars().count() + 2;
    let (place, keys) = fit_name(target, fixed, keys, width);
    Line::from(vec![
        Span::styled(format!("{head}{place}? "), theme::warn()),
        Span::styled(keys, theme::key_hint()),
    ])
}

/// `s3://bucket/key` of `key` in the bucket shown, escaped.
fn uri(app: &App, key: &str) -> String {
    crate::app::ctx::uri(app.listing.bucket(), key)
}

/// A line typed about the folder shown (`U`'s path, `N`'s name, `:`'s path): `{what}
/// s3://b/folder/: TEXT▏ keys`, the folder giving way before the text and the keys.
fn folder_line_prompt(
    app: &App,
    what: &str,
    text: &str,
    keys: [&'static str; 2],
    width: usize,
) -> Line<'static> {
    let text = crate::escape::printable(text).into_owned();
    // `what`, a space, ": ", the text, the cursor.
    let fixed = what.chars().count() + 1 + 2 + text.chars().count() + 1;
    let (folder, keys) = fit_name(&uri(app, app.listing.folder()), fixed, keys, width);
    Line::from(vec![
        Span::styled(format!("{what} {folder}: "), theme::key_hint()),
        Span::raw(text),
        Span::styled("▏", theme::key_hint()),
        Span::styled(keys, theme::dim()),
    ])
}

/// `K`: the object's SSE-C key, drawn masked (a file's path as typed).
fn customer_key_prompt(app: &App, key: &str, shown: &str, width: usize) -> Line<'static> {
    let keys = [
        "  ⏎ gives it · @FILE reads a file · esc cancels",
        "  ⏎ · @file · esc",
    ];
    // "SSE-C key of ", ": ", the text, the cursor.
    let fixed = 13 + 2 + shown.chars().count() + 1;
    let (name, keys) = fit_name(&uri(app, key), fixed, keys, width);
    Line::from(vec![
        Span::styled(format!("SSE-C key of {name}: "), theme::key_hint()),
        Span::raw(shown.to_string()),
        Span::styled("▏", theme::key_hint()),
        Span::styled(keys, theme::dim()),
    ])
}

/// The key being put exists: overwrite it?
fn confirm_put_prompt(app: &App, key: &str, width: usize) -> Line<'static> {
    let keys = ["o overwrites it · any other key keeps it", "o overwrites"];
    // " exists: "
    let (name, keys) = fit_name(&uri(app, key), 9, keys, width);
    Line::from(vec![
        Span::styled(format!("{name} exists: "), theme::warn()),
        Span::styled(keys, theme::key_hint()),
    ])
}

/// `D`: the object named whole (its key's end kept if the line is short), then the keys; a
/// few marked ones counted, with the first names.
fn confirm_delete_prompt(app: &App, deletion: &Deletion, width: usize) -> Line<'static> {
    let keys = ["y deletes · any other key keeps it", "[y/N]"];
    // "delete " and "? "
    let (name, keys) = if deletion.keys.len() == 1 {
        fit_name(&deletion.what(), 9, keys, width)
    } else {
        // How many and how much always show; the first names take what is left.
        let what = deletion.what();
        let fixed = 9 + what.chars().count() + 2;
        let room = |keys: &str| width.saturating_sub(fixed + keys.chars().count());
        let keys = if room(keys[0]) >= 12 {
            keys[0]
        } else {
            keys[1]
        };
        let names = super::keep_head(&first_names(app, deletion), room(keys).max(1));
        (format!("{what}: {names}"), keys)
    };
    Line::from(vec![
        Span::styled(format!("delete {name}? "), theme::warn()),
        Span::styled(keys, theme::key_hint()),
    ])
}

/// Many objects: what goes (how many, how much, the first names), and the bucket's name asked
/// for, typed. The question and the name typed always show; what goes is cut to what is left.
fn type_to_delete_prompt(
    app: &App,
    deletion: &Deletion,
    text: &str,
    width: usize,
) -> Line<'static> {
    let text = crate::escape::printable(text).into_owned();
    let ask = format!("type {} to confirm: ", deletion.bucket);
    let fixed = ask.chars().count() + text.chars().count() + 1;
    // How many and how much stay whole as long as they fit (the keys' words give way first);
    // the first names take what is left.
    let head = format!("delete {}", deletion.what());
    let keys = ["  ⏎ deletes · esc keeps them", "  ⏎ · esc"]
        .into_iter()
        .find(|keys| fixed + keys.chars().count() + head.chars().count() + 2 <= width)
        .unwrap_or("  ⏎ · esc");
    let room = width.saturating_sub(fixed + keys.chars().count());
    let names_room = room.saturating_sub(head.chars().count() + " ()? ".len());
    let what = if names_room >= 8 {
        let names = super::keep_head(&first_names(app, deletion), names_room);
        format!("{head} ({names})? ")
    } else {
        super::keep_head(&format!("{head}? "), room.max(12))
    };
    Line::from(vec![
        Span::styled(what, theme::warn()),
        Span::styled(ask, theme::warn()),
        Span::raw(text),
        Span::styled("▏", theme::key_hint()),
        Span::styled(keys, theme::dim()),
    ])
}

/// A delete's question with what the bucket keeps said after it (`versioned: every version is
/// kept`), when the bucket's versioning is known and the line has room for it whole.
fn kept_note(
    app: &App,
    deletion: &Deletion,
    mut line: Line<'static>,
    width: usize,
) -> Line<'static> {
    let Some(note) = app.versioning.of(&deletion.bucket).delete_note() else {
        return line;
    };
    let note = format!("{note} · ");
    if line.width() + note.chars().count() <= width {
        line.spans.insert(1, Span::styled(note, theme::dim()));
    }
    line
}

/// The first three names of a deletion, from the folder deleted or else the folder shown (a
/// folder's own `docs/` object is not named), then `…`.
fn first_names(app: &App, deletion: &Deletion) -> String {
    let folder = deletion.names_from(app.listing.folder());
    let shown: Vec<&String> = deletion.keys.iter().filter(|k| *k != folder).collect();
    let mut names: Vec<String> = shown
        .iter()
        .take(3)
        .map(|k| crate::escape::printable(k.strip_prefix(folder).unwrap_or(k)).into_owned())
        .collect();
    if shown.len() > 3 {
        names.push("…".into());
    }
    names.join(", ")
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

/// `restore s3://b/k (GLACIER) for 7 days? e expedited 1-5 minutes · s standard 3-5 hours · b
/// bulk 5-12 hours · else no`; narrower, the waits go first, then the place shrinks.
fn confirm_unarchive_prompt(app: &App, width: usize) -> Option<Line<'static>> {
    use crate::app::unarchive::Unarchive;
    let asked = app.unarchive.asking()?;
    let offered = Unarchive::offered(asked);
    let long: Vec<String> = offered
        .iter()
        .map(|(k, t, wait)| format!("{k} {} {wait}", t.name().to_lowercase()))
        .collect();
    let short: Vec<String> = offered
        .iter()
        .map(|(k, t, _)| format!("{k} {}", t.name().to_lowercase()))
        .collect();
    let class = asked.class.name().unwrap_or_default().into_owned();
    let head = "restore ";
    let tail = format!(" ({class}) for {} days? ", asked.days);
    let with_waits = format!("{} · else no", long.join(" · "));
    let keys = if head.len() + tail.chars().count() + with_waits.chars().count() + 12 <= width {
        with_waits
    } else {
        short.join(" · ")
    };
    let fixed = head.len() + tail.chars().count() + keys.chars().count();
    let place = crate::app::ctx::uri(&asked.bucket, &asked.key);
    // Too narrow for a name: the question and its keys alone, so the keys always show.
    let (question, keys) = match width.checked_sub(fixed) {
        Some(room) if room >= 8 => (
            format!("{head}{}{tail}", super::keep_tail(&place, room)),
            keys,
        ),
        _ => {
            let tiny: Vec<String> = offered
                .iter()
                .map(|(k, t, _)| {
                    let word = match t {
                        crate::object::archive::Tier::Expedited => "exp",
                        crate::object::archive::Tier::Standard => "std",
                        crate::object::archive::Tier::Bulk => "bulk",
                    };
                    format!("{k} {word}")
                })
                .collect();
            (format!("restore {class}? "), tiny.join(" · "))
        }
    };
    Some(Line::from(vec![
        Span::styled(question, theme::warn()),
        Span::styled(keys, theme::key_hint()),
    ]))
}

/// `make version 3HL4… of s3://b/k current (a copy of it)? y does it · …`, or `undelete …`.
fn confirm_restore_prompt(app: &App, width: usize) -> Option<Line<'static>> {
    let (bucket, restore) = app.versions.asking()?;
    let keys = ["y does it · any other key changes nothing", "[y/N]"];
    // Narrow, the words shrink so that the keys still show.
    let narrow = width < 60;
    let id = super::keep_head(
        &crate::escape::printable(&restore.version),
        if narrow { 8 } else { 14 },
    );
    let (head, tail) = match (restore.undelete, narrow) {
        (true, true) => ("undelete ".to_string(), "? "),
        (true, false) => ("undelete ".to_string(), " (its delete marker goes)? "),
        (false, true) => (format!("restore {id} of "), "? "),
        (false, false) => (
            format!("make version {id} of "),
            " current (a copy of it)? ",
        ),
    };
    let fixed = head.chars().count() + tail.chars().count();
    let place = crate::app::ctx::uri(bucket, &restore.key);
    let (place, keys) = fit_name(&place, fixed, keys, width);
    Some(Line::from(vec![
        Span::styled(format!("{head}{place}{tail}"), theme::warn()),
        Span::styled(keys, theme::key_hint()),
    ]))
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

    #[test]
    fn a_name_in_a_question_keeps_its_end_and_the_keys_stay_whole() {
        let keys = ["LONG KEYS", "K"];
        // 10 fixed + 9 long keys + the 12 of the name: 31 fits it whole.
        let name = "s3://b/a.txt";
        assert_eq!(
            fit_name(name, 10, keys, 31),
            (name.to_string(), "LONG KEYS")
        );
        let long = "s3://bucket/a/deep/folder/report.pdf";
        // Room for 13 beside the long keys: the end of the name.
        assert_eq!(
            fit_name(long, 10, keys, 32),
            ("…r/report.pdf".to_string(), "LONG KEYS")
        );
        // Room for 12 exactly is still enough for the long keys.
        assert_eq!(
            fit_name(long, 10, keys, 31),
            ("…/report.pdf".to_string(), "LONG KEYS")
        );
        // Room for 11 only: the short keys give the name 19.
        assert_eq!(
            fit_name(long, 10, keys, 30),
            ("…/folder/report.pdf".to_string(), "K")
        );
        // Nothing left: one character, never a cut key.
        assert_eq!(fit_name(long, 10, keys, 5), ("…".to_string(), "K"));
    }

    fn line_text(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_prompt_too_wide_loses_the_end_of_its_last_part_with_a_sign() {
        let line = || Line::from(vec![Span::raw("name: typed▏"), Span::raw("  ⏎ · esc")]);
        assert_eq!(
            line_text(&fit(line(), 21)),
            "name: typed▏  ⏎ · esc",
            "it fits"
        );
        assert_eq!(line_text(&fit(line(), 17)), "name: typed▏  ⏎ …");
        // No room for a sign: the last part goes whole.
        assert_eq!(line_text(&fit(line(), 13)), "name: typed▏");
        assert_eq!(line_text(&fit(line(), 12)), "name: typed▏");
        assert_eq!(line_text(&fit(Line::default(), 0)), "");
    }
}
