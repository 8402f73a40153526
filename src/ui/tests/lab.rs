//! Snapshots of the policy lab over the listing — the access check (asking, answered, with a
//! difference explained), the template picker, an edit that did not validate — and the policy
//! pane's diff after a re-issue, each reached through `update`, at 80x24 and 120x40.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use super::{app_with, at, draw, root_page, screen_text};
use crate::app::{App, Effect, Msg};
use crate::credentials::Mode;
use crate::failure::{AwsFailure, ErrorKind};
use crate::keymap::{Key, KeyPress};

const SIZES: [(u16, u16); 3] = [(40, 12), (80, 24), (120, 40)];

const LIST_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::sts3-demo"}]}"#;

fn press(app: &mut App, key: Key) -> Vec<Effect> {
    app.update(Msg::KeyPressed(KeyPress::plain(key)), at(1))
}

fn snapshots(app: &mut App, name: &str) {
    for (w, h) in SIZES {
        let t = draw(app, at(2), w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
    }
}

/// The access check of README.md (after the four folders), asked and not yet answered.
fn checking() -> (App, crate::app::RequestId) {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    for _ in 0..4 {
        press(&mut app, Key::Char('j'));
    }
    let fx = press(&mut app, Key::Char('A'));
    let [Effect::CheckAccess { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    (app, *request)
}

#[test]
fn access_check_asking_then_answered() {
    let (mut app, request) = checking();
    let text = screen_text(&draw(&mut app, at(2), 120, 40));
    assert!(text.contains("asking S3"), "{text}");
    assert!(text.contains("HeadObject README.md"), "{text}");
    app.update(
        Msg::AccessChecked {
            request,
            answers: vec![
                Err(AwsFailure::new(
                    ErrorKind::AccessDenied,
                    Some("AccessDenied"),
                    "Access Denied",
                )),
                Ok(()),
            ],
        },
        at(2),
    );
    snapshots(&mut app, "access_check");
    let text = screen_text(&draw(&mut app, at(2), 120, 40));
    assert!(
        text.contains("≠ S3 refused what the session policy allows"),
        "{text}"
    );
    assert!(
        text.contains("1 of 2 answers differ from the prediction"),
        "{text}"
    );
}

#[test]
fn access_check_with_an_expired_token_offers_the_refresh() {
    let (mut app, request) = checking();
    let expired = || {
        Err(AwsFailure::new(
            ErrorKind::ExpiredToken,
            Some("ExpiredToken"),
            "expired",
        ))
    };
    app.update(
        Msg::AccessChecked {
            request,
            answers: vec![expired(), expired()],
        },
        at(2),
    );
    let text = screen_text(&draw(&mut app, at(2), 120, 40));
    assert!(text.contains("? ExpiredToken"), "{text}");
    assert!(
        text.contains("r refreshes the credentials; then A asks again"),
        "{text}"
    );
}

#[test]
fn template_picker() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    press(&mut app, Key::Char('T'));
    press(&mut app, Key::Char('j'));
    snapshots(&mut app, "templates");
}

#[test]
fn an_invalid_edit_shows_where() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    press(&mut app, Key::Char('e'));
    let broken = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}";
    app.update(
        Msg::PolicyEdited {
            result: Ok(broken.into()),
        },
        at(2),
    );
    snapshots(&mut app, "invalid_edit");
}

#[test]
fn the_policy_pane_shows_the_change_until_the_next_key() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    press(&mut app, Key::Char('e'));
    app.update(
        Msg::PolicyEdited {
            result: Ok(LIST_ONLY.into()),
        },
        at(2),
    );
    snapshots(&mut app, "policy_diff");
    press(&mut app, Key::Char('j'));
    let text = screen_text(&draw(&mut app, at(2), 120, 40));
    assert!(!text.contains("· changed"), "{text}");
}

#[test]
fn answers_are_green_when_allowed_and_red_when_denied() {
    use ratatui::style::Color;
    let (mut app, request) = checking();
    app.update(
        Msg::AccessChecked {
            request,
            answers: vec![
                Err(AwsFailure::new(
                    ErrorKind::AccessDenied,
                    Some("AccessDenied"),
                    "Access Denied",
                )),
                Ok(()),
            ],
        },
        at(2),
    );
    let t = draw(&mut app, at(2), 120, 40);
    let buffer = t.backend().buffer();
    let marks: Vec<(char, Color)> = (0..buffer.area.height)
        .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .filter_map(|(x, y)| {
            let cell = &buffer[(x, y)];
            let c = cell.symbol().chars().next()?;
            matches!(c, '✓' | '✗').then_some((c, cell.fg))
        })
        .collect();
    assert!(marks.len() >= 4, "{marks:?}");
    for (mark, colour) in marks {
        let want = if mark == '✓' {
            Color::Green
        } else {
            Color::Red
        };
        assert_eq!(colour, want, "{mark}");
    }
}

#[test]
fn a_long_invalid_edit_shows_the_bad_line_in_red() {
    use ratatui::style::Color;
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    press(&mut app, Key::Char('e'));
    let mut text: Vec<String> = (1..=39).map(|i| format!("  \"k{i}\": {i},")).collect();
    text.insert(0, "{".into());
    text.push("  \"bad\" 1".into()); // line 41: a missing colon
    text.extend((42..=60).map(|i| format!("  \"k{i}\": {i},")));
    app.update(
        Msg::PolicyEdited {
            result: Ok(text.join("\n")),
        },
        at(2),
    );
    let t = draw(&mut app, at(2), 80, 24);
    let screen = screen_text(&t);
    assert!(screen.contains("at line 41"), "{screen}");
    assert!(
        screen.contains("  41   \"bad\" 1"),
        "the bad line is shown: {screen}"
    );
    assert!(
        screen.contains("  40 "),
        "with the lines before it: {screen}"
    );
    assert!(!screen.contains("   1 {"), "not from the top: {screen}");
    let first = screen
        .lines()
        .find_map(|l| {
            l.trim_start_matches(['"', '┃'])
                .trim_start()
                .split(' ')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .unwrap();
    assert_eq!(
        first, 37,
        "the bad line in the middle of the 9 shown: {screen}"
    );
    assert_eq!(super::fg_at(t.backend().buffer(), "\"bad\" 1"), Color::Red);
    assert_ne!(
        super::fg_at(t.backend().buffer(), "\"k39\": 39,"),
        Color::Red
    );
}

/// `b` opens the bucket picker; its ListBuckets answers `result`.
fn pick_buckets(app: &mut App, result: Result<Vec<String>, AwsFailure>) {
    let fx = press(app, Key::Char('b'));
    let Some(Effect::ListBuckets { request, .. }) = fx.first().cloned() else {
        panic!("{fx:?}");
    };
    app.update(Msg::BucketsListed { request, result }, at(2));
}

#[test]
fn the_bucket_picker_lists_filters_and_says_when_listing_is_refused() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.recent_buckets = vec!["old-logs".into()];
    pick_buckets(
        &mut app,
        Ok(vec!["sts3-demo".into(), "empty-bucket".into()]),
    );
    snapshots(&mut app, "bucket_picker");
    press(&mut app, Key::Char('o'));
    press(&mut app, Key::Char('l'));
    let text = screen_text(&draw(&mut app, at(2), 100, 30));
    assert!(text.contains("› ol▏"), "{text}");
    assert!(text.contains("▸ old-logs  recent"), "{text}");
    assert!(!text.contains("sts3-demo "), "filtered out: {text}");
    // Refused: said, and typing still works.
    press(&mut app, Key::Esc);
    pick_buckets(
        &mut app,
        Err(AwsFailure::new(
            ErrorKind::AccessDenied,
            Some("AccessDenied"),
            "Access Denied",
        )),
    );
    for c in "new-bucket".chars() {
        press(&mut app, Key::Char(c));
    }
    let text = screen_text(&draw(&mut app, at(2), 100, 30));
    assert!(
        text.contains("✗ this session may not list buckets (AccessDenied); type a bucket's name"),
        "{text}"
    );
    assert!(text.contains("⏎ opens new-bucket"), "{text}");
}

#[test]
fn the_profile_and_region_pickers_show_their_choices_and_the_cursor() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    app.config.profile_files.config = "[profile dev]\nregion = eu-west-1\n[profile auditor]\nrole_arn = arn:aws:iam::1:role/Auditor\nsource_profile = dev\n".into();
    app.target.base.profile = Some("dev".into());
    press(&mut app, Key::Char('P'));
    press(&mut app, Key::Down);
    let text = screen_text(&draw(&mut app, at(2), 100, 30));
    let line = |needle: &str| -> String {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle} in {text}"))
            .to_string()
    };
    assert!(line("auditor").contains("  auditor  role"), "{text}");
    assert!(
        line("arn:aws:iam::1:role/Auditor").contains("auditor"),
        "{text}"
    );
    assert!(
        line("dev ").contains("▸ dev      other   eu-west-1"),
        "{text}"
    );
    assert!(line("dev ").contains("(in use)"), "{text}");
    assert!(!line("auditor").contains("(in use)"), "{text}");
    press(&mut app, Key::Esc);
    app.update(Msg::KeyPressed(KeyPress::ctrl('g')), at(1));
    for c in "eu-west-".chars() {
        press(&mut app, Key::Char(c));
    }
    press(&mut app, Key::Down);
    let text = screen_text(&draw(&mut app, at(2), 100, 30));
    assert!(text.contains("Regions"), "{text}");
    assert!(text.contains("  eu-west-1 "), "{text}");
    assert!(text.contains("▸ eu-west-2"), "{text}");
    assert!(!text.contains("⏎ uses"), "{text}");
    for c in "local".chars() {
        press(&mut app, Key::Char(c));
    }
    let text = screen_text(&draw(&mut app, at(2), 100, 30));
    assert!(text.contains("⏎ uses eu-west-local"), "{text}");
}

#[test]
fn an_empty_bucket_list_with_no_filter_offers_nothing_to_open() {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    pick_buckets(&mut app, Ok(Vec::new()));
    let text = screen_text(&draw(&mut app, at(2), 100, 30));
    assert!(text.contains("0 buckets this session may list"), "{text}");
    assert!(!text.contains("⏎ opens"), "{text}");
}
