//! Whole-screen snapshots at fixed sizes and times, and exact styles where colour carries
//! meaning.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use super::{Clock, render};
use crate::app::{App, Effect, Generation, Msg, RequestId};
use crate::bucket::{ListPage, ObjectEntry};
use crate::cli::Options;
use crate::credentials::{Mode, SessionInfo};
use crate::failure::AwsFailure;
use crate::keymap::{Key, KeyPress, Keymap};
use crate::settings::Settings;
use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

pub(super) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn settings() -> Settings {
    let opts = Options {
        bucket: Some("sts3-demo".into()),
        user: Some("alice".into()),
        role_arn: Some("arn:aws:iam::000000000000:role/S3BrowseRole".into()),
        ..Options::default()
    };
    Settings::resolve_text(&opts, "", "test.toml").unwrap()
}

fn session(mode: Mode, lifetime: i64) -> SessionInfo {
    let principal = match mode {
        Mode::Federated => "arn:aws:sts::000000000000:federated-user/alice",
        Mode::AssumedRole => {
            "arn:aws:sts::000000000000:assumed-role/S3BrowseRole/assumerole-s3-list"
        }
        Mode::SessionToken => "arn:aws:sts::123456789012:user/moto",
    };
    SessionInfo {
        mode,
        principal_arn: principal.into(),
        access_key_id: "ASIA17654EEBCF9A6364".into(),
        issued_at: t0(),
        expires_at: t0() + TimeDelta::seconds(lifetime),
        packed_policy_percent: None,
        server_date: None,
        region: None,
    }
}

fn object(key: &str, size: u64) -> ObjectEntry {
    ObjectEntry::new(
        key,
        size,
        Some(t0() - TimeDelta::days(3)),
        "\"7bf84bcea775a67fd1c6b482521b0af2\"".into(),
        crate::bucket::StorageClass::Standard,
    )
}

pub(super) fn root_page() -> ListPage {
    ListPage {
        prefixes: ["big/", "docs/", "photos/", "unicode/"]
            .map(String::from)
            .to_vec(),
        objects: vec![
            object("README.md", 5_423),
            object("index.html", 17_820),
            object("naïve café.txt", 19_150),
            object("evil\u{1b}[31mkey", 3),
        ],
        next_token: Some("robots.txt".into()),
    }
}

/// An app with a session of `lifetime` seconds issued at t0 and the root page loaded.
pub(super) fn app_with(
    mode: Mode,
    lifetime: i64,
    page: Option<ListPage>,
) -> (App, Option<RequestId>) {
    let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
    let generation = match &fx[0] {
        Effect::IssueCredentials { generation, .. } => *generation,
        other => panic!("{other:?}"),
    };
    let mut fx = app.update(
        Msg::CredentialsIssued {
            generation: Generation(generation.0),
            info: session(Mode::Federated, lifetime),
        },
        t0(),
    );
    if mode != Mode::Federated {
        let fx2 = app.update(
            Msg::KeyPressed(KeyPress::plain(Key::Char(match mode {
                Mode::AssumedRole => 'a',
                _ => 't',
            }))),
            t0(),
        );
        let Effect::IssueCredentials { generation, .. } = &fx2[0] else {
            panic!()
        };
        fx = app.update(
            Msg::CredentialsIssued {
                generation: *generation,
                info: session(mode, lifetime),
            },
            t0(),
        );
        app.update(
            Msg::Tick,
            t0() + TimeDelta::seconds(crate::app::NOTICE_SECS),
        );
    }
    let request = fx.iter().find_map(|e| match e {
        Effect::ListPage { request, .. } => Some(*request),
        _ => None,
    });
    let mut pending = request;
    if let (Some(id), Some(page)) = (request, page) {
        let fx = app.update(Msg::PageLoaded { request: id, page }, t0());
        pending = fx.iter().find_map(|e| match e {
            Effect::ListPage { request, .. } => Some(*request),
            _ => None,
        });
    }
    (app, pending)
}

/// Fails every credential request from `from` seconds on (a refresh, then its retries) until
/// the next retry is planned after `until` seconds.
fn fail_refreshes_until(app: &mut App, from: i64, until: i64) {
    let refused = AwsFailure::new(
        crate::failure::ErrorKind::Network,
        None,
        "cannot reach STS at http://127.0.0.1:8333: Connection refused (os error 111)",
    );
    let mut now = at(from);
    loop {
        let fx = app.update(Msg::Tick, now);
        let Some(Effect::IssueCredentials { generation, .. }) = fx.first() else {
            panic!("a request at {now}: {fx:?}");
        };
        app.update(
            Msg::CredentialsFailed {
                generation: *generation,
                failure: refused.clone(),
            },
            now,
        );
        match app.session.next_due() {
            Some(next) if next <= at(until) => now = next,
            _ => return,
        }
    }
}

/// Draws `app` as the runtime does at `now`: woken at that time (what came due starts), the
/// list's height from the layout, then the frame.
pub(super) fn draw(
    app: &mut App,
    now: DateTime<Utc>,
    width: u16,
    height: u16,
) -> Terminal<TestBackend> {
    let _ = app.update(Msg::Tick, now);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let layout = super::layout_of(ratatui::layout::Rect::new(0, 0, width, height), app);
    app.lay_out(layout);
    let clock = Clock {
        now,
        tz: FixedOffset::east_opt(0).unwrap(),
    };
    terminal.draw(|f| render(f, app, clock)).unwrap();
    terminal
}

pub(super) fn at(secs: i64) -> DateTime<Utc> {
    t0() + TimeDelta::seconds(secs)
}

/// Where `text` starts in the buffer.
pub(super) fn find(buffer: &Buffer, text: &str) -> (u16, u16) {
    let width = buffer.area.width;
    for y in 0..buffer.area.height {
        let row: String = (0..width)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        if let Some(byte) = row.find(text) {
            let x = row[..byte].chars().count();
            return (u16::try_from(x).unwrap(), y);
        }
    }
    panic!("{text:?} not on screen:\n{buffer:?}");
}

pub(super) fn fg_at(buffer: &Buffer, text: &str) -> Color {
    let (x, y) = find(buffer, text);
    let colours: Vec<Color> = (0..u16::try_from(text.chars().count()).unwrap())
        .map(|i| buffer[(x + i, y)].fg)
        .collect();
    assert!(
        colours.windows(2).all(|w| w[0] == w[1]),
        "{text:?} is one colour: {colours:?}"
    );
    colours[0]
}

#[test]
fn more_than_an_hour_left() {
    let (mut app, _) = app_with(Mode::Federated, 7200, Some(root_page()));
    for (w, h) in [(80, 24), (120, 40)] {
        let t = draw(&mut app, at(10), w, h);
        insta::assert_snapshot!(format!("hour_left_{w}x{h}"), t.backend());
        assert_eq!(fg_at(t.backend().buffer(), "01:59:50"), Color::Green);
    }
}

#[test]
fn four_minutes_left_is_yellow() {
    let (mut app, _) = app_with(Mode::AssumedRole, 900, Some(root_page()));
    for (w, h) in [(80, 24), (120, 40)] {
        let t = draw(&mut app, at(660), w, h);
        insta::assert_snapshot!(format!("four_minutes_{w}x{h}"), t.backend());
        assert_eq!(fg_at(t.backend().buffer(), "00:04:00"), Color::Yellow);
    }
}

#[test]
fn thirty_seconds_left_is_red() {
    let (mut app, _) = app_with(Mode::SessionToken, 900, Some(root_page()));
    // The refresh (planned at 600 s) keeps failing: the countdown goes on.
    fail_refreshes_until(&mut app, 600, 870);
    for (w, h) in [(80, 24), (120, 40)] {
        let t = draw(&mut app, at(870), w, h);
        insta::assert_snapshot!(format!("thirty_seconds_{w}x{h}"), t.backend());
        assert_eq!(fg_at(t.backend().buffer(), "00:00:30"), Color::Red);
    }
}

#[test]
fn expired_with_inline_expired_token_error() {
    let (mut app, pending) = app_with(Mode::Federated, 900, Some(root_page()));
    let expired = AwsFailure::from_service(
        Some("ExpiredToken"),
        Some("The provided token has expired."),
        Some(400),
    );
    app.update(
        Msg::PageFailed {
            request: pending.unwrap(),
            failure: expired,
        },
        at(960),
    );
    // The refresh it triggered is failing too (the base credentials are unreachable).
    let generation = app.session.latest();
    app.update(
        Msg::CredentialsFailed {
            generation,
            failure: AwsFailure::new(
                crate::failure::ErrorKind::Network,
                None,
                "cannot reach the endpoint: Connection refused (os error 111)",
            ),
        },
        at(961),
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let t = draw(&mut app, at(962), w, h);
        insta::assert_snapshot!(format!("expired_error_{w}x{h}"), t.backend());
        let buffer = t.backend().buffer();
        assert_eq!(fg_at(buffer, "EXPIRED"), Color::Red);
        assert_eq!(
            fg_at(buffer, "✗ ExpiredToken: The provided token has expired."),
            Color::Red
        );
        assert_eq!(fg_at(buffer, "r: refresh credentials"), Color::Cyan);
    }
}

#[test]
fn loading_first_page() {
    let (mut app, _) = app_with(Mode::Federated, 3600, None);
    for (w, h) in [(80, 24), (120, 40)] {
        let t = draw(&mut app, at(1), w, h);
        insta::assert_snapshot!(format!("loading_{w}x{h}"), t.backend());
    }
}

#[test]
fn empty_bucket() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(ListPage::default()));
    for (w, h) in [(80, 24), (120, 40)] {
        let t = draw(&mut app, at(1), w, h);
        insta::assert_snapshot!(format!("empty_{w}x{h}"), t.backend());
    }
}

#[test]
fn help_overlay() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('?'))), at(1));
    for (w, h) in [(80, 24), (120, 40)] {
        let t = draw(&mut app, at(1), w, h);
        insta::assert_snapshot!(format!("help_{w}x{h}"), t.backend());
    }
    // At 80x24 it does not fit: it scrolls to its last binding, and no further.
    for _ in 0..40 {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('j'))), at(1));
    }
    let text = format!("{}", draw(&mut app, at(1), 80, 24).backend());
    assert!(
        text.contains("a preview's long lines: scroll right"),
        "{text}"
    );
    assert!(text.contains("j/k scroll · 31-52 of 52"), "{text}");
    assert!(
        !text.contains("q C-c     quit"),
        "scrolled past the first line"
    );
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('k'))), at(1));
    assert_eq!(
        app.help_scroll, 39,
        "the model keeps the wish; the view clamps"
    );
}

#[test]
fn narrow_terminal_stacks_panes() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    let t = draw(&mut app, at(5), 60, 20);
    insta::assert_snapshot!("narrow_60x20", t.backend());
}

#[test]
fn too_small_terminal_says_so() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    for (w, h, small) in [
        (30, 8, true),
        (39, 12, true),
        (40, 11, true),
        (40, 12, false),
    ] {
        let t = draw(&mut app, at(5), w, h);
        let text = format!("{}", t.backend());
        assert_eq!(
            text.contains(&format!("terminal too small: {w}x{h}")),
            small,
            "{w}x{h}:\n{text}"
        );
    }
}

#[test]
fn countdown_colour_thresholds_follow_settings() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    // Yellow under 5 minutes, red under 1: exactly 300 s is still green, exactly 60 s yellow.
    for (secs_left, colour) in [
        (301, Color::Green),
        (300, Color::Green),
        (299, Color::Yellow),
        (61, Color::Yellow),
        (60, Color::Yellow),
        (59, Color::Red),
    ] {
        let t = draw(&mut app, at(3600 - secs_left), 120, 40);
        let shown = crate::credentials::format_hms(TimeDelta::seconds(secs_left));
        assert_eq!(
            fg_at(t.backend().buffer(), &shown),
            colour,
            "{secs_left}s left"
        );
    }
    app.config.refresh.warn_secs = 900;
    let t = draw(&mut app, at(3600 - 600), 120, 40);
    assert_eq!(
        fg_at(t.backend().buffer(), "00:10:00"),
        Color::Yellow,
        "configurable"
    );
}

/// The names in the object list, top to bottom, as drawn.
fn listed_names(t: &Terminal<TestBackend>) -> Vec<String> {
    let text = format!("{}", t.backend());
    text.lines()
        .filter_map(|l| {
            let name = l.trim_matches('"').trim_start_matches('┃').trim_start();
            name.starts_with("key-")
                .then(|| name.split_whitespace().next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn page_down_moves_by_exactly_the_rows_on_screen_in_every_layout() {
    let keys: Vec<String> = (0..300).map(|i| format!("key-{i:03}")).collect();
    let many = ListPage {
        prefixes: vec![],
        objects: keys.iter().map(|k| object(k, 1)).collect(),
        next_token: None,
    };
    for (w, h, with_error) in [
        (80, 24, false),
        (60, 20, false),
        (60, 34, false),
        (120, 40, false),
        (100, 36, false),
        (80, 24, true),
    ] {
        let (mut app, _) = app_with(Mode::Federated, 3600, Some(many.clone()));
        if with_error {
            // A reload that fails keeps the rows and shows the error under them.
            reload_refused(&mut app, at(1));
        }
        let first = listed_names(&draw(&mut app, at(2), w, h));
        let rows = first.len();
        assert!(rows >= 3, "{w}x{h}: {first:?}");
        app.update(Msg::KeyPressed(KeyPress::plain(Key::PageDown)), at(2));
        app.update(Msg::KeyPressed(KeyPress::plain(Key::PageDown)), at(2));
        let second = listed_names(&draw(&mut app, at(2), w, h));
        assert_eq!(
            app.listing.rows().cursor(),
            2 * rows,
            "{w}x{h} error={with_error}: two pages of {rows} rows"
        );
        assert_eq!(
            second.last().unwrap(),
            &keys[2 * rows],
            "{w}x{h}: the cursor row is the last one shown, no row skipped"
        );
        app.update(Msg::KeyPressed(KeyPress::plain(Key::PageUp)), at(2));
        assert_eq!(
            app.listing.rows().cursor(),
            rows,
            "{w}x{h}: and back by as many"
        );
    }
}

#[test]
fn a_small_terminal_still_shows_the_countdown_first() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    let t = draw(&mut app, at(10), 40, 12);
    let text = format!("{}", t.backend());
    assert!(text.contains("Left      00:59:50"), "{text}");
}

#[test]
fn the_whole_error_is_readable_in_the_session_pane() {
    let (mut app, _) = app_with(Mode::Federated, 900, Some(root_page()));
    let long = "cannot reach STS at http://127.0.0.1:8333: Connection refused (os error 111); check the endpoint, region and network";
    let g =
        generation_of_issue(&app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('r'))), at(5)));
    app.update(
        Msg::CredentialsFailed {
            generation: g,
            failure: AwsFailure::new(crate::failure::ErrorKind::Network, None, long),
        },
        at(6),
    );
    for (w, h) in [(80, 24), (110, 32)] {
        let t = draw(&mut app, at(7), w, h);
        let text = format!("{}", t.backend());
        // The pane's lines joined: every word of the message is there, in order.
        let pane: String = text
            .lines()
            .map(|l| {
                let inner: String = l.trim_matches('"').chars().skip(1).collect();
                let cut = inner.find('│').unwrap_or(inner.len());
                inner[..cut].trim().to_string()
            })
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<&str> = pane.split_whitespace().collect();
        let joined = words.join(" ");
        assert!(
            joined.contains(&format!("Error federated: Network: {long}")),
            "{w}x{h}:\n{text}"
        );
    }
}

#[test]
fn the_pane_says_where_the_session_comes_from_and_the_listing_when_modes_differ() {
    let opts = Options {
        bucket: Some("sts3-demo".into()),
        user: Some("alice".into()),
        endpoint_url: Some("http://user:secret@127.0.0.1:8333".into()),
        ..Options::default()
    };
    let config = "[modes.session]\nendpoint_url = \"http://127.0.0.1:5000\"\n";
    let settings = Settings::resolve_text(&opts, config, "test.toml").unwrap();
    assert!(settings.target.places_differ());
    let (mut app, fx) = App::new(settings, Keymap::default(), t0());
    let Effect::IssueCredentials { generation, .. } = &fx[0] else {
        panic!()
    };
    // No region named: the one the AWS chain resolved for the session is shown.
    app.update(
        Msg::CredentialsIssued {
            generation: *generation,
            info: SessionInfo {
                region: Some("eu-west-1".into()),
                ..session(Mode::Federated, 3600)
            },
        },
        t0(),
    );
    let t = draw(&mut app, at(1), 120, 40);
    let text = format!("{}", t.backend());
    assert!(
        text.contains("Where     eu-west-1 · 127.0.0.1:8333"),
        "{text}"
    );
    assert!(
        text.contains("Objects s3://sts3-demo/ at eu-west-1 · 127.0.0.1:8333"),
        "the listing names its service when another mode has another one: {text}"
    );
    assert!(!text.contains("secret"), "no password on screen: {text}");
    // The same endpoint for every mode: the region still shows, the listing says nothing.
    let (mut plain, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    let text = format!("{}", draw(&mut plain, at(1), 120, 40).backend());
    assert!(text.contains("Where     "), "{text}");
    assert!(!text.contains("Objects s3://sts3-demo/ at"), "{text}");
}

fn generation_of_issue(fx: &[Effect]) -> Generation {
    fx.iter()
        .find_map(|e| match e {
            Effect::IssueCredentials { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("an IssueCredentials effect")
}

#[test]
fn a_failed_folder_open_shows_the_error_where_the_rows_would_be_without_a_spinner() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    let fx = app.update(Msg::KeyPressed(KeyPress::plain(Key::Enter)), at(1)); // big/
    let Some(Effect::ListPage { request, .. }) = fx.first() else {
        panic!("{fx:?}")
    };
    app.update(
        Msg::PageFailed {
            request: *request,
            failure: AwsFailure::from_service(
                Some("AccessDenied"),
                Some("Access Denied"),
                Some(403),
            ),
        },
        at(2),
    );
    for now in [at(2), at(2) + TimeDelta::milliseconds(450)] {
        let t = draw(&mut app, now, 80, 24);
        let text = format!("{}", t.backend());
        assert!(
            !text.contains("loading"),
            "no spinner, nothing is in flight:\n{text}"
        );
        let lines: Vec<&str> = text.lines().collect();
        let header = lines.iter().position(|l| l.contains("┏ Objects")).unwrap();
        assert!(
            lines[header + 1].contains("✗ AccessDenied: Access Denied"),
            "the error is the first thing in the pane:\n{text}"
        );
        assert!(!text.contains("more available"), "{text}");
    }
}

#[test]
fn footers_count_in_words() {
    let one = ListPage {
        prefixes: vec!["a/".into()],
        objects: vec![object("only.txt", 1)],
        next_token: None,
    };
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(one));
    let text = format!("{}", draw(&mut app, at(1), 80, 24).backend());
    assert!(text.contains("all 1 key loaded, 1 folder "), "{text}");
}

#[test]
fn the_policy_pane_scrolls_to_its_last_full_page_and_no_further() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    draw(&mut app, at(1), 80, 24);
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Tab)), at(1));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Tab)), at(1)); // the policy pane
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('G'))), at(1));
    let text = format!("{}", draw(&mut app, at(1), 80, 24).backend());
    let pane: Vec<String> = text
        .lines()
        .skip(1)
        .take(8)
        .map(|l| l.chars().skip(40).collect::<String>())
        .collect();
    assert!(
        pane.last().unwrap().contains('}'),
        "the end is on the last line: {pane:#?}"
    );
    assert!(
        pane.iter()
            .filter(|l| l.trim_matches(['│', '"', ' ']).is_empty())
            .count()
            == 0,
        "a full page, no blank lines: {pane:#?}"
    );
}

#[test]
fn a_refresh_not_today_shows_its_date() {
    // 36 hours: the refresh is planned for the day after tomorrow.
    let (mut app, _) = app_with(Mode::Federated, 129_600, Some(root_page()));
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(text.contains("Refresh   at 2026-11-24 20:55:00"), "{text}");
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(
        text.contains("Refresh   at 09:55:00 "),
        "today: the time alone: {text}"
    );
}

#[test]
fn no_color_draws_without_colours_and_keeps_weight() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    super::theme::set_color(false);
    let t = draw(&mut app, at(10), 80, 24);
    super::theme::set_color(true);
    let buffer = t.backend().buffer();
    let coloured = buffer
        .content()
        .iter()
        .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
        .count();
    assert_eq!(coloured, 0, "no cell has a colour");
    let (x, y) = find(buffer, "Objects");
    assert!(
        buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::BOLD),
        "titles stay bold"
    );
}

#[test]
fn text_is_shortened_keeping_its_head_or_tail() {
    assert_eq!(super::keep_head("abcdef", 4), "abc…");
    assert_eq!(super::keep_head("abcd", 4), "abcd");
    assert_eq!(super::keep_head("abcdef", 0), "abcdef", "no room: as it is");
    assert_eq!(super::keep_tail("abcdef", 4), "…def");
    assert_eq!(super::keep_tail("abc", 0), "abc");
}

#[test]
fn the_spinner_turns_every_tenth_of_a_second() {
    let frame = |ms| super::spinner(t0() + TimeDelta::milliseconds(ms));
    assert_eq!(frame(0), '⠋');
    assert_eq!(frame(99), '⠋');
    assert_eq!(frame(100), '⠙');
    assert_eq!(frame(950), '⠏');
    assert_eq!(frame(1000), '⠋', "round again each second");
}

/// `C-r`, and S3 refuses the reload's first page (`AccessDenied`) at `now`.
fn reload_refused(app: &mut App, now: DateTime<Utc>) {
    let fx = app.update(Msg::KeyPressed(KeyPress::ctrl('r')), at(1));
    let Some(Effect::ListPage { request, .. }) = fx.first() else {
        panic!("{fx:?}")
    };
    app.update(
        Msg::PageFailed {
            request: *request,
            failure: AwsFailure::from_service(Some("AccessDenied"), None, Some(403)),
        },
        now,
    );
}

#[test]
fn a_failed_reload_says_the_rows_are_from_before() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    reload_refused(&mut app, at(2));
    let text = format!("{}", draw(&mut app, at(2), 100, 30).backend());
    assert!(
        text.contains("4 keys, 4 folders from before · the reload failed"),
        "{text}"
    );
    assert!(text.contains("README.md"), "the rows stay: {text}");
}

pub(super) fn screen_text(t: &Terminal<TestBackend>) -> String {
    format!("{}", t.backend())
}

#[test]
fn a_prefix_of_folders_only_is_not_nothing() {
    let folders = ListPage {
        prefixes: vec!["a/".into(), "b/".into()],
        objects: vec![],
        next_token: None,
    };
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(folders));
    let text = screen_text(&draw(&mut app, at(1), 80, 24));
    assert!(text.contains("all 0 keys loaded, 2 folders"), "{text}");
}

#[test]
fn a_kept_filter_stays_in_the_footer() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    for k in [Key::Char('/'), Key::Char('r'), Key::Enter] {
        app.update(Msg::KeyPressed(KeyPress::plain(k)), at(1));
    }
    assert!(app.input.is_none());
    let text = screen_text(&draw(&mut app, at(1), 100, 30));
    assert!(text.contains("filter \"r\": "), "{text}");
    // On the narrowest screen too: it comes before the counts, which are cut first.
    let text = screen_text(&draw(&mut app, at(1), 40, 12));
    assert!(text.contains(" filter \"r\": 1 of 8┛"), "{text}");
}

#[test]
fn each_inline_error_offers_its_own_way_out() {
    let fail = |failure: AwsFailure, when: i64| {
        let (mut app, pending) = app_with(Mode::Federated, 900, Some(root_page()));
        app.update(
            Msg::PageFailed {
                request: pending.unwrap(),
                failure,
            },
            at(when),
        );
        screen_text(&draw(&mut app, at(when), 100, 30))
    };
    let expired = AwsFailure::from_service(Some("ExpiredToken"), None, Some(400));
    assert!(fail(expired, 10).contains("refreshing credentials, then retrying this page…"));
    let down = AwsFailure::new(crate::failure::ErrorKind::Network, None, "refused");
    assert!(fail(down, 10).contains("retrying in 5s · C-r: retry now"));
    let denied = AwsFailure::from_service(Some("AccessDenied"), None, Some(403));
    let t = fail(denied.clone(), 10);
    assert!(
        t.contains("C-r: retry · requester pays? $: agree to pay"),
        "a refusal the policy does not explain may be a requester-pays bucket's: {t}"
    );
    // requester_pays = "never": nothing said of it.
    let (mut app, pending) = app_with(Mode::Federated, 900, Some(root_page()));
    app.config.requester_pays = crate::settings::RequesterPays::Never;
    app.update(
        Msg::PageFailed {
            request: pending.unwrap(),
            failure: denied.clone(),
        },
        at(10),
    );
    let t = screen_text(&draw(&mut app, at(10), 100, 30));
    assert!(
        t.contains("C-r: retry") && !t.contains("requester pays"),
        "{t}"
    );
    // The same denial once the session ran out (and the refresh then failed): r is the way.
    let (mut app, pending) = app_with(Mode::Federated, 900, Some(root_page()));
    fail_refreshes_until(&mut app, 600, 960);
    app.update(
        Msg::PageFailed {
            request: pending.unwrap(),
            failure: denied,
        },
        at(960),
    );
    let generation = app.session.latest();
    app.update(
        Msg::CredentialsFailed {
            generation,
            failure: AwsFailure::new(crate::failure::ErrorKind::Network, None, "refused"),
        },
        at(960),
    );
    let text = screen_text(&draw(&mut app, at(961), 100, 30));
    assert!(text.contains("r: refresh credentials"), "{text}");
}

#[test]
fn the_mfa_prompt_is_drawn_over_the_screen() {
    let opts = Options {
        bucket: Some("sts3-demo".into()),
        user: Some("alice".into()),
        mode: Some(Mode::SessionToken),
        mfa_serial: Some("arn:aws:iam::123456789012:mfa/alice".into()),
        ..Options::default()
    };
    let settings = Settings::resolve_text(&opts, "", "test.toml").unwrap();
    let (mut app, _) = App::new(settings, Keymap::default(), t0());
    for c in "12".chars() {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(c))), at(1));
    }
    let text = screen_text(&draw(&mut app, at(1), 80, 24));
    assert!(
        text.contains("session token mode needs a code from MFA device"),
        "{text}"
    );
    assert!(
        text.contains("arn:aws:iam::123456789012:mfa/alice"),
        "{text}"
    );
    assert!(
        text.contains("code: ••____"),
        "the digits are masked: {text}"
    );
    let code_line = text.lines().find(|l| l.contains("code:")).unwrap();
    assert!(!code_line.contains(['1', '2']), "{code_line}");
}

#[test]
fn the_mfa_prompt_for_a_refresh_counts_down_to_the_expiry_and_masks_the_code() {
    let opts = Options {
        bucket: Some("sts3-demo".into()),
        user: Some("alice".into()),
        mode: Some(Mode::SessionToken),
        mfa_serial: Some("arn:aws:iam::123456789012:mfa/alice".into()),
        mfa_code: Some("111111".into()),
        ..Options::default()
    };
    let settings = Settings::resolve_text(&opts, "", "test.toml").unwrap();
    let margin = i64::from(settings.config.refresh.margin_secs);
    let (mut app, fx) = App::new(settings, Keymap::default(), t0());
    let generation = generation_of_issue(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation,
            info: session(Mode::SessionToken, 3600),
        },
        t0(),
    );
    // At the refresh time (the margin before the expiry) the code is asked for.
    let due = 3600 - margin;
    app.update(Msg::Tick, at(due));
    for c in "987".chars() {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(c))), at(due));
    }
    let text = screen_text(&draw(&mut app, at(due + 1), 100, 24));
    let left = crate::credentials::format_hms(chrono::TimeDelta::seconds(margin - 1));
    assert!(
        text.contains(&format!("MFA code needed to refresh · {left} left")),
        "{text}"
    );
    assert!(text.contains("code: •••___"), "{text}");
    assert!(!text.contains("987"), "{text}");
}

#[test]
fn policy_tokens_are_coloured_by_kind() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    let t = draw(&mut app, at(1), 120, 40);
    let buffer = t.backend().buffer();
    assert_eq!(fg_at(buffer, "\"Version\""), Color::Cyan, "keys");
    assert_eq!(fg_at(buffer, "\"2012-10-17\""), Color::Green, "strings");
    // Numbers and literals, from a policy file with conditions.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    std::fs::write(
        &file,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":1000},"Bool":{"aws:SecureTransport":true}}}]}"#,
    )
    .unwrap();
    let opts = Options {
        bucket: Some("sts3-demo".into()),
        user: Some("alice".into()),
        policy: Some(file),
        ..Options::default()
    };
    let settings = Settings::resolve_text(&opts, "", "test.toml").unwrap();
    let (mut app, _) = App::new(settings, Keymap::default(), t0());
    draw(&mut app, at(1), 120, 60);
    // The conditions are at the end: scroll the policy pane there.
    for k in [Key::Tab, Key::Tab, Key::Char('G')] {
        app.update(Msg::KeyPressed(KeyPress::plain(k)), at(1));
    }
    let t = draw(&mut app, at(1), 120, 60);
    let buffer = t.backend().buffer();
    assert_eq!(fg_at(buffer, "1000"), Color::Magenta, "numbers");
    assert_eq!(fg_at(buffer, "true"), Color::Yellow, "literals");
}

#[test]
fn the_mode_row_says_what_is_in_flight() {
    let (mut app, _) = App::new(settings(), Keymap::default(), t0());
    let text = screen_text(&draw(&mut app, at(0), 100, 30));
    assert!(text.contains("federated ⠋ issuing…"), "{text}");
    assert!(!text.contains("Waiting "), "not yet: {text}");
    // A slow answer: where it is waited for, and how long.
    let text = screen_text(&draw(&mut app, at(12), 140, 30));
    assert!(
        text.contains("Waiting   STS at the AWS chain's region · 12 s"),
        "{text}"
    );
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('a'))), at(1));
    let text = screen_text(&draw(&mut app, at(1), 100, 30));
    assert!(
        text.contains("federated ⠋ → switching to assumed"),
        "{text}"
    );
}

#[test]
fn with_a_clock_offset_the_refresh_is_shown_on_the_servers_clock() {
    let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
    let Effect::IssueCredentials { generation, .. } = &fx[0] else {
        panic!()
    };
    // Our clock is 2 h ahead: STS issued an hour's session at 07:00 on its clock.
    let mut info = session(Mode::Federated, 3600 - 7200);
    info.server_date = Some(t0() - TimeDelta::hours(2));
    app.update(
        Msg::CredentialsIssued {
            generation: *generation,
            info,
        },
        t0(),
    );
    let text = screen_text(&draw(&mut app, at(1), 120, 40));
    // Issued at 07:00 server time: the refresh at 07:55 on the server's clock, as shown.
    assert!(text.contains("Refresh   at 07:55:00"), "{text}");
}

#[test]
fn the_cursor_row_alone_is_reversed_and_stays_on_screen_in_a_smaller_frame() {
    let keys: Vec<String> = (0..60).map(|i| format!("key-{i:03}")).collect();
    let many = ListPage {
        prefixes: vec![],
        objects: keys.iter().map(|k| object(k, 1)).collect(),
        next_token: None,
    };
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(many));
    draw(&mut app, at(1), 120, 60);
    for _ in 0..40 {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('j'))), at(1));
    }
    // A frame smaller than the one the model knows of: the view keeps the cursor in sight.
    let mut terminal = Terminal::new(TestBackend::new(120, 24)).unwrap();
    let clock = Clock {
        now: at(1),
        tz: FixedOffset::east_opt(0).unwrap(),
    };
    terminal.draw(|f| render(f, &app, clock)).unwrap();
    let buffer = terminal.backend().buffer();
    let (x, y) = find(buffer, "key-040");
    assert!(
        buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
    let (x, y) = find(buffer, "key-039");
    assert!(
        !buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn colours_carry_their_meaning_on_screen() {
    let (mut app, pending) = app_with(Mode::Federated, 900, Some(root_page()));
    // An error in the session pane (a failed refresh) and one in the object pane.
    fail_refreshes_until(&mut app, 600, 600);
    app.update(
        Msg::PageFailed {
            request: pending.unwrap(),
            failure: AwsFailure::from_service(Some("AccessDenied"), None, Some(403)),
        },
        at(601),
    );
    let t = draw(&mut app, at(601), 120, 40);
    let buffer = t.backend().buffer();
    assert_eq!(
        fg_at(buffer, "Network:"),
        Color::Red,
        "the session pane's error"
    );
    assert_eq!(fg_at(buffer, "Principal"), Color::Gray, "labels");
    assert_eq!(fg_at(buffer, "docs/"), Color::Blue, "folders");
    let (x, y) = find(buffer, "docs/");
    assert!(
        buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::BOLD)
    );
    assert_eq!(fg_at(buffer, "folder"), Color::DarkGray, "dim text");
    let (x, y) = find(buffer, "┏ Objects");
    assert_eq!(buffer[(x, y)].fg, Color::Cyan, "the focused pane's border");
    let (x, y) = find(buffer, "┌ Session");
    assert_eq!(buffer[(x, y)].fg, Color::Reset, "an unfocused one");
    assert_eq!(fg_at(buffer, "C-r: retry"), Color::Cyan, "key hints");
}

#[test]
fn loading_every_page_shows_how_far_and_how_fast() {
    let page = |n: usize, last: bool| ListPage {
        prefixes: vec![],
        objects: (0..1000)
            .map(|i| object(&format!("k{:06}", n * 1000 + i), 1))
            .collect(),
        next_token: (!last).then(|| format!("k{:06}", n * 1000 + 999)),
    };
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(page(0, false)));
    // G starts the walk at 2 s; three more pages by 4 s.
    let fx = app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('G'))), at(2));
    let id = match fx.first() {
        Some(Effect::WalkListing { request, .. }) => *request,
        other => panic!("{other:?}"),
    };
    for n in 1..4 {
        app.update(
            Msg::WalkPage {
                request: id,
                page: page(n, true),
                done: false,
            },
            at(4),
        );
    }
    let text = screen_text(&draw(&mut app, at(4), 140, 30));
    assert!(
        text.contains("loading page 5 · 4,000 keys · 1,500 keys/s · esc stops"),
        "{text}"
    );
}

#[test]
fn the_history_overlay_lists_events_newest_first_with_their_times() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.history.record(at(10), crate::app::Level::Info, "once");
    for s in 20..=30 {
        app.history
            .record(at(s), crate::app::Level::Warn, "ExpiredToken on a page");
    }
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('L'))), at(31));
    let text = screen_text(&draw(&mut app, at(31), 100, 30));
    assert!(text.contains("Session history (newest first)"), "{text}");
    // Eleven times in a row: one line, the latest time, the count.
    let newest = text
        .find("09:00:30  ExpiredToken on a page (×11)")
        .expect(&text);
    let first = text
        .find("09:00:00  issued federated credentials")
        .expect(&text);
    assert!(newest < first, "{text}");
    assert!(text.contains("3 events"), "{text}");
    assert!(
        text.contains("09:00:10  once  "),
        "a single event has no count: {text}"
    );
}

#[test]
fn the_filter_being_typed_shows_in_the_status_line() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('/'))), at(1));
    for c in "rep".chars() {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(c))), at(1));
    }
    let text = screen_text(&draw(&mut app, at(1), 100, 30));
    let status = text.lines().last().unwrap_or_default();
    // (Each line is quoted.)
    assert!(status.starts_with("\"/rep▏  ⏎ keep · esc clear"), "{text}");
}

#[test]
fn the_mfa_prompt_for_a_switch_names_the_mode_not_a_refresh() {
    let opts = Options {
        bucket: Some("sts3-demo".into()),
        user: Some("alice".into()),
        mfa_serial: Some("arn:aws:iam::123456789012:mfa/alice".into()),
        ..Options::default()
    };
    let settings = Settings::resolve_text(&opts, "", "test.toml").unwrap();
    let (mut app, fx) = App::new(settings, Keymap::default(), t0());
    let generation = generation_of_issue(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation,
            info: session(Mode::Federated, 3600),
        },
        t0(),
    );
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('t'))), at(1));
    let text = screen_text(&draw(&mut app, at(1), 100, 24));
    assert!(
        text.contains("session token mode needs a code from MFA device"),
        "{text}"
    );
    assert!(!text.contains("needed to refresh"), "{text}");
}

mod lab;
mod object;
mod versions;

#[test]
fn the_footer_says_how_the_rows_are_sorted_and_that_only_the_loaded_keys_are() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(!text.contains("sorted by"), "by name: nothing said");
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('o'))), at(1));
    app.notice = None; // the notice says it too: the footer is what is looked at
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    let footer = text
        .lines()
        .find(|l| l.trim_start_matches('"').starts_with('┗'));
    assert!(
        footer.is_some_and(|f| f.contains("sorted by name ↓: the 4 loaded keys only")),
        "{text}"
    );
}

#[test]
fn a_failed_download_is_shown_under_the_listing_with_its_way_out() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.object.outcome = Some(crate::app::object::Outcome::Failed {
        key: "index.html".into(),
        message: "ExpiredToken: the token expired".into(),
        refresh_may_help: true,
    });
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(
        text.contains("✗ saving index.html failed: ExpiredToken: the token expired"),
        "{text}"
    );
    assert!(
        text.contains("r: refresh credentials · s: try again"),
        "{text}"
    );
    // On one line, the way out keeps its room and what failed takes the rest.
    let line = |width: u16| {
        let backend = ratatui::backend::TestBackend::new(width, 1);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        let lines = vec![
            ratatui::text::Line::from(
                "✗ saving index.html failed: ExpiredToken: the token expired",
            ),
            ratatui::text::Line::from("  r: refresh credentials · s: try again"),
        ];
        terminal
            .draw(|f| crate::ui::render_failure(f, f.area(), lines))
            .unwrap();
        format!("{}", terminal.backend())
    };
    assert_eq!(
        line(90)
            .lines()
            .next()
            .unwrap()
            .trim_matches('"')
            .trim_end(),
        "✗ saving index.html failed: ExpiredToken: the tok… · r: refresh credentials · s: try again"
    );
    // At 40x12 it takes one line under a row still seen, not the whole pane.
    let text = format!("{}", draw(&mut app, at(1), 40, 12).backend());
    assert!(text.contains("┃big/ "), "{text}");
    assert!(
        text.contains("┃✗ saving index.htm… · r: refresh cred…┃"),
        "{text}"
    );
}

#[test]
fn the_shared_popup_shows_the_line_to_paste_and_the_pane_counts() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('S'))), at(1));
    app.update(
        Msg::SharingStarted {
            result: Ok(crate::app::share::Endpoint {
                url: "http://127.0.0.1:4711/credentials".into(),
                env_file: "/tmp/sts3-share-0123/env".into(),
            }),
        },
        at(1),
    );
    app.update(Msg::CredentialsServed, at(2));
    app.update(Msg::ServeRefused, at(2));
    let text = format!("{}", draw(&mut app, at(2), 120, 40).backend());
    assert!(text.contains("Sharing the session"), "{text}");
    assert!(text.contains("│. /tmp/sts3-share-0123/env "), "{text}");
    // Every line shows, and the popup ends right after the last.
    let lines: Vec<&str> = text.lines().collect();
    let last = lines
        .iter()
        .position(|l| l.contains("Endpoint  http://127.0.0.1:4711/credentials"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(lines[last + 1].contains("x stop sharing"), "{text}");
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Esc)), at(3));
    let text = format!("{}", draw(&mut app, at(3), 120, 40).backend());
    assert!(!text.contains("Sharing the session"), "{text}");
    assert!(
        text.contains("Shared    served 1 · refused 1 · last 09:00:02 · S: how"),
        "{text}"
    );
    // Narrow: what does not fit goes, never the counts.
    let text = format!("{}", draw(&mut app, at(3), 80, 24).backend());
    assert!(
        text.contains("│Shared    served 1 · refused 1     "),
        "{text}"
    );
    // Quitting asks in the status bar.
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('q'))), at(4));
    let text = format!("{}", draw(&mut app, at(4), 120, 40).backend());
    assert!(
        text.contains("sharing the session: quit and stop sharing? q/y quit · esc stay"),
        "{text}"
    );
}

#[test]
fn history_lines_too_long_for_the_popup_end_in_an_ellipsis_and_keep_their_count() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    let long = format!("a very long event {}the end", "that goes on ".repeat(10));
    app.history
        .record(at(1), crate::app::Level::Warn, long.clone());
    app.history.record(at(2), crate::app::Level::Warn, long);
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('L'))), at(2));
    let text = format!("{}", draw(&mut app, at(2), 80, 24).backend());
    let line = text
        .lines()
        .find(|l| l.contains("a very long event"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("… (×2)"), "{line}");
    assert!(
        line.contains("a very long event that goes on that goes on"),
        "as much as fits: {line}"
    );
    assert!(!line.contains("the end"), "{line}");
}

#[test]
fn a_listing_the_session_policy_refuses_says_why_and_which_template_would_allow_it() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.target.policy = crate::policy::SessionPolicy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::sts3-demo","Condition":{"StringLike":{"s3:prefix":"docs/*"}}}]}"#,
    )
    .unwrap();
    reload_refused(&mut app, at(1));
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(
        text.contains(
            "the session policy does not allow s3:ListBucket on s3://sts3-demo/; the template \"list only\" allows it"
        ),
        "{text}"
    );
    assert!(
        text.contains("T: choose a template · e: edit the policy"),
        "{text}"
    );
    assert!(!text.contains("retry"), "asking again cannot help: {text}");
}

#[test]
fn marked_rows_show_their_sign_the_footer_counts_them_and_many_ask_for_the_name() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.target.policy =
        crate::policy::templates::by_name("read-write", app.listing.bucket(), "").unwrap();
    for _ in 0..4 {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('j'))), at(1));
    }
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(' '))), at(1));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(' '))), at(1));
    let t = draw(&mut app, at(1), 100, 30);
    assert_eq!(fg_at(t.backend().buffer(), "▪ README.md"), Color::Yellow);
    let text = format!("{}", t.backend());
    assert!(text.contains("┃▪ README.md"), "{text}");
    assert!(text.contains("┃▪ index.html"), "{text}");
    assert!(
        text.contains("  2 marked · 22.7 KiB  4 keys loaded"),
        "{text}"
    );
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('D'))), at(1));
    let text = format!("{}", draw(&mut app, at(1), 100, 30).backend());
    assert!(
        text.contains("delete 2 objects (") && text.contains("): README.md, index.html? y deletes"),
        "{text}"
    );
    // Three names are all there are; a fourth is said with …
    let ask = |app: &mut App| {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('n'))), at(1));
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('D'))), at(1));
        format!("{}", draw(app, at(1), 120, 30).backend())
    };
    app.listing.marks.toggle("naïve café.txt", 1);
    let text = ask(&mut app);
    assert!(
        text.contains("README.md, index.html, naïve café.txt? y deletes"),
        "{text}"
    );
    app.listing.marks.toggle("zzz", 1);
    let text = ask(&mut app);
    assert!(
        text.contains("README.md, index.html, naïve café.txt, …? y deletes"),
        "{text}"
    );
    app.listing.marks.toggle("zzz", 1);
    app.listing.marks.toggle("naïve café.txt", 1);
    ask(&mut app);
    // Narrow: how many and how much stay, the names give way.
    let text = format!("{}", draw(&mut app, at(1), 40, 12).backend());
    assert_eq!(
        text.lines().last().unwrap().trim_matches('"').trim_end(),
        "delete 2 objects (22.7 KiB): REA…? [y/N]"
    );
    // Over ten: the bucket's name is asked for.
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Esc)), at(1));
    for i in 0..11 {
        app.listing.marks.toggle(&format!("more/{i}"), 1);
    }
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('D'))), at(1));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('s'))), at(1));
    let text = format!("{}", draw(&mut app, at(1), 160, 30).backend());
    let last = text.lines().last().unwrap();
    assert!(
        last.contains("delete 13 objects (")
            && last.contains("? type sts3-demo to confirm: s▏  ⏎ deletes · esc keeps them"),
        "{last}"
    );
    // At 80 columns the keys' words go, then the names: how many and how much, the question
    // and the name typed stay.
    let text = format!("{}", draw(&mut app, at(1), 80, 24).backend());
    let last = text.lines().last().unwrap().trim_matches('"').trim_end();
    assert_eq!(
        last,
        "delete 13 objects (22.7 KiB) (README.m…)? type sts3-demo to confirm: s▏  ⏎ · esc"
    );
}

/// The app of the delete prompt's test, its bucket's versioning answered `versioning` (asked
/// when a page arrives under a policy that allows it).
pub(super) fn versioned(versioning: crate::bucket::Versioning) -> App {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.target.policy =
        crate::policy::templates::by_name("read-write", app.listing.bucket(), "").unwrap();
    let fx = app.reload(at(1));
    let Some(Effect::ListPage { request, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    let fx = app.update(
        Msg::PageLoaded {
            request: *request,
            page: root_page(),
        },
        at(1),
    );
    let Some(Effect::ReadVersioning { request, .. }) = fx.last() else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::VersioningRead {
            request: *request,
            result: Ok(versioning),
        },
        at(1),
    );
    app
}

#[test]
fn a_versioned_bucket_says_so_in_the_title_and_in_the_delete_prompt_when_it_fits() {
    use crate::bucket::Versioning;
    let mut app = versioned(Versioning::Enabled);
    for _ in 0..4 {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('j'))), at(1));
    }
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('D'))), at(1));
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(
        text.contains("Objects s3://sts3-demo/ · versioned "),
        "{text}"
    );
    let last = text.lines().last().unwrap();
    assert!(
        last.contains(
            "delete s3://sts3-demo/README.md? versioned: every version is kept · y deletes · any other key keeps it"
        ),
        "{text}"
    );
    // Where it does not fit whole, the question is as it was.
    let text = format!("{}", draw(&mut app, at(1), 80, 24).backend());
    let last = text.lines().last().unwrap();
    assert!(
        last.contains("delete s3://sts3-demo/README.md? y deletes · any other key keeps it"),
        "{text}"
    );
    // Never versioned: nothing is said.
    let mut app = versioned(Versioning::Never);
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(text.contains("Objects s3://sts3-demo/ "), "{text}");
    assert!(!text.contains("versioned"), "{text}");
}

#[test]
fn the_delete_prompt_names_the_object_and_the_keys() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.target.policy =
        crate::policy::templates::by_name("read-write", app.listing.bucket(), "").unwrap();
    for _ in 0..4 {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('j'))), at(1));
    }
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('D'))), at(1));
    let text = format!("{}", draw(&mut app, at(1), 80, 24).backend());
    let last = text.lines().last().unwrap();
    assert!(
        last.contains("delete s3://sts3-demo/README.md? y deletes · any other key keeps it"),
        "{text}"
    );
    // At 40 columns the keys stay whole and the name keeps its end.
    let text = format!("{}", draw(&mut app, at(1), 40, 12).backend());
    let last = text.lines().last().unwrap();
    assert_eq!(
        last.trim_matches('"').trim_end(),
        "delete s3://sts3-demo/README.md? [y/N]",
        "{text}"
    );
}

#[test]
fn a_folder_s_delete_prompt_names_it_its_count_and_the_names_inside_it() {
    use crate::app::delete::{Deletion, Phase};
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.deletes.current = Some(Deletion {
        bucket: "sts3-demo".into(),
        keys: ["docs/", "docs/a.txt", "docs/sub/b.txt"]
            .map(String::from)
            .to_vec(),
        bytes: 12,
        folder: Some("docs/".into()),
        phase: Phase::Asking,
        signed_with: String::new(),
    });
    app.input = Some(crate::app::Input::TypeToDelete {
        text: String::new(),
    });
    let text = format!("{}", draw(&mut app, at(1), 140, 40).backend());
    let last = text.lines().last().unwrap().trim_matches('"').trim_end();
    assert_eq!(
        last,
        "delete folder s3://sts3-demo/docs/ (3 objects, 12 B) (a.txt, sub/b.txt)? type sts3-demo to confirm: ▏  ⏎ deletes · esc keeps them"
    );
    // Narrower, the names give way first; the folder and its count stay.
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    let last = text.lines().last().unwrap().trim_matches('"').trim_end();
    assert_eq!(
        last,
        "delete folder s3://sts3-demo/docs/ (3 objects, 12 B)? type sts3-demo to confirm: ▏  ⏎ deletes · esc keeps them"
    );
    // Then the keys' words.
    let text = format!("{}", draw(&mut app, at(1), 100, 30).backend());
    let last = text.lines().last().unwrap().trim_matches('"').trim_end();
    assert_eq!(
        last,
        "delete folder s3://sts3-demo/docs/ (3 objects, 12 B)? type sts3-demo to confirm: ▏  ⏎ · esc"
    );
}

#[test]
fn the_unfinished_uploads_overlay_names_each_and_how_to_abort_them() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.target.policy =
        crate::policy::templates::by_name("read-write", app.listing.bucket(), "").unwrap();
    let fx = app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('M'))), at(1));
    let Some(crate::app::Effect::ListUnfinished { request, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    let upload = |key: &str, id: &str| crate::object::upload::Unfinished {
        key: key.into(),
        upload_id: id.into(),
        initiated: Some(at(0)),
    };
    app.update(
        Msg::UnfinishedListed {
            request: *request,
            result: Ok(vec![
                upload("big.iso", "2~abcdef"),
                upload("docs/video.mp4", "2~ghijkl"),
            ]),
        },
        at(1),
    );
    let text = format!("{}", draw(&mut app, at(1), 100, 30).backend());
    assert!(
        text.contains("Unfinished uploads under s3://sts3-demo/ ")
            && text.contains("S3 keeps, and bills, their parts; no listing shows them."),
        "{text}"
    );
    assert!(text.contains("big.iso  2~abcdef"), "{text}");
    assert!(text.contains("docs/video.mp4  2~ghijkl"), "{text}");
    assert!(
        text.contains("D aborts them all · esc/M close · j/k scroll · 2"),
        "{text}"
    );
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('D'))), at(1));
    let text = format!("{}", draw(&mut app, at(1), 120, 30).backend());
    let last = text.lines().last().unwrap().trim_matches('"').trim_end();
    assert_eq!(
        last,
        "abort 2 unfinished uploads under s3://sts3-demo/ (their parts go)? y aborts · any other key keeps them"
    );
    // Narrower, the keys shorten and stay whole.
    let text = format!("{}", draw(&mut app, at(1), 80, 24).backend());
    let last = text.lines().last().unwrap().trim_matches('"').trim_end();
    assert!(last.ends_with("(their parts go)? [y/N]"), "{last}");
}

#[test]
fn with_nothing_on_its_way_the_listing_says_how_to_get_credentials() {
    let opts = crate::cli::Options {
        bucket: Some("sts3-demo".into()),
        user: Some("alice".into()),
        mode: Some(Mode::SessionToken),
        mfa_serial: Some("arn:aws:iam::1:mfa/alice".into()),
        ..crate::cli::Options::default()
    };
    let s = Settings::resolve_text(&opts, "", "test.toml").unwrap();
    let (mut app, _) = App::new(s, Keymap::default(), t0());
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(
        text.contains("waiting for credentials…"),
        "the prompt is up: {text}"
    );
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Esc)), at(1));
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(text.contains("no credentials: r asks for them"), "{text}");
    assert!(!text.contains("waiting for credentials…"), "{text}");
}

#[test]
fn the_go_to_and_put_prompts_keep_what_is_typed_and_their_keys_on_a_narrow_line() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(':'))), at(1));
    for c in "docs/".chars() {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(c))), at(1));
    }
    assert_eq!(
        status_line(&mut app, 100),
        "go to s3://sts3-demo/: docs/▏  ⏎ go · s3://b/p/, /from/root/, rel/, a partial name · esc cancels"
    );
    assert_eq!(
        status_line(&mut app, 40),
        "go to s3://sts3-demo/: docs/▏  ⏎ · esc"
    );
    for c in "reports/2026/".chars() {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(c))), at(1));
    }
    assert_eq!(
        status_line(&mut app, 40),
        "go to …mo/: docs/reports/2026/▏  ⏎ · esc",
        "the folder gives way to what is typed"
    );
    // The key being put exists: overwrite it?
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Esc)), at(1));
    app.uploads.current = Some(crate::app::upload::Upload {
        path: "/tmp/a.txt".into(),
        bucket: "sts3-demo".into(),
        key: "docs/a.txt".into(),
        phase: crate::app::upload::Phase::Exists,
        signed_with: String::new(),
        generation: crate::app::Generation(1),
        streak: crate::app::fetch::Streak::default(),
        folder: None,
    });
    app.input = Some(crate::app::Input::ConfirmPut);
    assert_eq!(
        status_line(&mut app, 100),
        "s3://sts3-demo/docs/a.txt exists: o overwrites it · any other key keeps it"
    );
    assert_eq!(
        status_line(&mut app, 40),
        "…s3-demo/docs/a.txt exists: o overwrites"
    );
}

#[test]
fn the_many_objects_prompts_keep_how_many_and_how_much_and_the_folders_end() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    // A folder's files: put them? How many and how much stay; the destination keeps its end.
    app.uploads.current = Some(crate::app::upload::Upload {
        path: "/home/u/photos".into(),
        bucket: "sts3-demo".into(),
        signed_with: String::new(),
        generation: crate::app::Generation(1),
        streak: crate::app::fetch::Streak::default(),
        key: "docs/photos/".into(),
        phase: crate::app::upload::Phase::ConfirmFolder,
        folder: Some(crate::app::upload::FolderPut {
            files: vec![
                (
                    "docs/photos/a.jpg".into(),
                    "/home/u/photos/a.jpg".into(),
                    1536,
                ),
                (
                    "docs/photos/b.jpg".into(),
                    "/home/u/photos/b.jpg".into(),
                    1536,
                ),
            ],
            bytes: 3072,
            skipped_links: 0,
            done_files: 0,
            done_bytes: 0,
            stopped: false,
        }),
    });
    app.input = Some(crate::app::Input::ConfirmFolderPut);
    assert_eq!(
        status_line(&mut app, 100),
        "put 2 files (3.0 KiB) into s3://sts3-demo/docs/photos/? y puts · any other key keeps them"
    );
    assert_eq!(
        status_line(&mut app, 40),
        "put 2 files (3.0 KiB) into …otos/? [y/N]"
    );
    // Many objects copied: how many and how much stay; the folder keeps its end.
    app.uploads.current = None;
    app.copies.batch = Some(crate::app::copy::Batch {
        bucket: "sts3-demo".into(),
        pairs: vec![
            ("a.txt".into(), "backup/2026/a.txt".into(), 1536),
            ("b.txt".into(), "backup/2026/b.txt".into(), 1536),
        ],
        folder: None,
        to: "backup/2026/".into(),
        moving: false,
        phase: crate::app::copy::batch::BatchPhase::Asking,
        signed_with: String::new(),
        done: 0,
        stopped: false,
    });
    app.input = Some(crate::app::Input::ConfirmCopyMany);
    assert_eq!(
        status_line(&mut app, 100),
        "copy 2 objects (3.0 KiB) to s3://sts3-demo/backup/2026/? y copies them · any other key keeps them"
    );
    assert_eq!(
        status_line(&mut app, 40),
        "copy 2 objects (3.0 KiB) to …026/? [y/N]"
    );
    // The folder they go to, typed.
    app.copies.batch = None;
    app.input = Some(crate::app::Input::CopyManyTo {
        text: "backup".into(),
        moving: true,
    });
    assert_eq!(
        status_line(&mut app, 120),
        "move big/ to s3://sts3-demo/: backup▏  ⏎ moves them · /… from the root · esc cancels"
    );
}

/// The status bar's line of `app` drawn `w` columns wide, 12 rows high.
fn status_line(app: &mut App, w: u16) -> String {
    let text = format!("{}", draw(app, at(1), w, 12).backend());
    text.lines()
        .last()
        .unwrap()
        .trim_matches('"')
        .trim_end()
        .to_string()
}

#[test]
fn the_save_many_prompt_keeps_how_many_and_how_much_and_the_folder_s_end() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.config.objects.download_dir = "/home/alice/Downloads".into();
    for _ in 0..4 {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Down)), at(1));
    }
    // README.md and index.html marked.
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(' '))), at(1));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(' '))), at(1));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('s'))), at(1));
    assert_eq!(
        status_line(&mut app, 100),
        "save 2 objects (22.7 KiB) into /home/alice/Downloads? y saves them · any other key keeps them"
    );
    assert_eq!(
        status_line(&mut app, 40),
        "save 2 objects (22.7 KiB) into …s? [y/N]"
    );
}

#[test]
fn the_new_folder_prompt_names_where_it_goes_and_keeps_what_is_typed() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('N'))), at(1));
    for c in "reports".chars() {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(c))), at(1));
    }
    assert_eq!(
        status_line(&mut app, 100),
        "new folder in s3://sts3-demo/: reports▏  ⏎ makes it · esc cancels"
    );
    assert_eq!(
        status_line(&mut app, 40),
        "new folder in …-demo/: reports▏  ⏎ · esc"
    );
}

#[test]
fn a_pane_of_six_rows_under_a_failure_shows_it_on_three() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    reload_refused(&mut app, at(1));
    // 80x19: the object pane has 6 rows inside: enough for the failure's 3 lines.
    let screen = crate::ui::layout::screen(ratatui::layout::Rect::new(0, 0, 80, 19), &app).unwrap();
    assert_eq!(screen.objects.height - 2, 6);
    assert_eq!(screen.error.height, 3);
    // One fewer: the failure takes one line.
    let screen = crate::ui::layout::screen(ratatui::layout::Rect::new(0, 0, 80, 18), &app).unwrap();
    assert_eq!(screen.error.height, 1);
}

#[test]
fn the_upload_prompt_names_the_folder_and_the_keys() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('U'))), at(1));
    for c in "~/a.txt".chars() {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(c))), at(1));
    }
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(
        text.lines()
            .last()
            .unwrap()
            .contains("put into s3://sts3-demo/: ~/a.txt▏  ⏎ put · tab completes · esc cancels"),
        "{text}"
    );
    let text = format!("{}", draw(&mut app, at(1), 40, 12).backend());
    assert_eq!(
        text.lines().last().unwrap().trim_matches('"').trim_end(),
        "put into …demo/: ~/a.txt▏  ⏎ · tab · esc",
        "{text}"
    );
}

#[test]
fn a_failed_save_is_said_in_the_view_it_was_asked_from() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    for _ in 0..4 {
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('j'))), at(1));
    }
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('p'))), at(1));
    app.object.outcome = Some(crate::app::object::Outcome::Failed {
        key: "README.md".into(),
        message: "AccessDenied: Access Denied".into(),
        refresh_may_help: false,
    });
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(text.contains(" Preview "), "{text}");
    assert!(
        text.contains("✗ saving README.md failed: AccessDenied: Access Denied"),
        "{text}"
    );
    // Another object's failure is not this view's.
    app.object.outcome = Some(crate::app::object::Outcome::Failed {
        key: "index.html".into(),
        message: "m".into(),
        refresh_may_help: false,
    });
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(!text.contains("✗ saving"), "{text}");
}

/// Row `y` of the screen.
fn row(t: &Terminal<TestBackend>, y: u16) -> String {
    let buffer = t.backend().buffer();
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

#[test]
fn a_notice_longer_than_the_bar_goes_on_below_and_the_list_gives_it_the_lines() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    draw(&mut app, at(1), 100, 24);
    let rows = app.layout().unwrap().list_rows;
    let refused = "the session policy does not allow s3:PutObject on \
                   arn:aws:s3:::demo-bucket/new/report.txt; nothing was sent (T offers \
                   read-write templates)";
    app.notify(refused, crate::app::Level::Error, at(1));
    let t = draw(&mut app, at(1), 100, 24);
    assert_eq!(
        [row(&t, 22).trim_end(), row(&t, 23).trim_end()],
        [
            "the session policy does not allow s3:PutObject on \
             arn:aws:s3:::demo-bucket/new/report.txt; nothing",
            "was sent (T offers read-write templates)",
        ],
        "cut between words, its way out on the screen"
    );
    assert!(row(&t, 21).contains('┗'), "the pane ends just above it");
    assert_eq!(app.layout().unwrap().list_rows, rows - 1);
    // Narrower: three lines (a key is never broken inside).
    let t = draw(&mut app, at(1), 80, 24);
    assert_eq!(
        [row(&t, 22).trim_end(), row(&t, 23).trim_end()],
        [
            "arn:aws:s3:::demo-bucket/new/report.txt; nothing was sent (T offers read-write",
            "templates)",
        ]
    );
    assert_eq!(app.layout().unwrap().list_rows, rows - 2);

    // A prompt is what the bar shows while it is up: one line, the notice under it unseen.
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char('U'))), at(1));
    assert!(app.notice.is_some());
    let t = draw(&mut app, at(1), 80, 24);
    assert!(
        row(&t, 23).starts_with("put into s3://"),
        "{:?}",
        row(&t, 23)
    );
    assert_eq!(app.layout().unwrap().list_rows, rows);
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Esc)), at(1));

    // One that fits is one line, as before.
    app.notify("saved report.txt", crate::app::Level::Info, at(1));
    let t = draw(&mut app, at(1), 80, 24);
    assert_eq!(row(&t, 23).trim_end(), "saved report.txt");
    assert_eq!(app.layout().unwrap().list_rows, rows);

    // Longer than three lines: three, the last saying it is cut; a word wider than the bar
    // is cut too, never past its edge.
    app.notify(
        format!("{refused} {refused}"),
        crate::app::Level::Error,
        at(1),
    );
    let t = draw(&mut app, at(1), 80, 24);
    assert_eq!(app.layout().unwrap().list_rows, rows - 2);
    assert!(row(&t, 23).trim_end().ends_with(" …"), "{:?}", row(&t, 23));
    let long_key = format!("cannot save {}", "k".repeat(100));
    app.notify(long_key, crate::app::Level::Error, at(1));
    let t = draw(&mut app, at(1), 80, 24);
    assert_eq!(row(&t, 22).trim_end(), "cannot save");
    assert_eq!(row(&t, 23), format!("{}…", "k".repeat(79)));

    // The smallest terminal keeps its panes whole (the countdown first): one line there, and
    // only the rows beyond it for more.
    let small = |app: &mut App, height| {
        app.notice = None;
        draw(app, at(1), 40, height);
        let rows = app.layout().unwrap().list_rows;
        app.notify(refused, crate::app::Level::Error, at(1));
        let t = draw(app, at(1), 40, height);
        (rows, app.layout().unwrap().list_rows, t)
    };
    let (before, during, t) = small(&mut app, 12);
    assert_eq!(during, before);
    assert_eq!(
        row(&t, 11).trim_end(),
        "the session policy does not allow …"
    );
    let (_, _, t) = small(&mut app, 13);
    assert_eq!(row(&t, 11).trim_end(), "the session policy does not allow");
    assert_eq!(row(&t, 12).trim_end(), "s3:PutObject on …");

    // Gone after its time: the bar is one line again.
    draw(&mut app, at(1 + crate::app::NOTICE_SECS), 80, 24);
    assert_eq!(app.layout().unwrap().list_rows, rows);
}
