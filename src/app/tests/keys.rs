//! Every key in the README's key table does what the table says (the model's side; the
//! terminal's side is `tests/tui_e2e.rs`), and the survivors of planted bugs: stale answers,
//! repeated expiry, late failures of old generations.

use crate::app::listing::{NextPage, Retry};
use crate::app::*;
use crate::bucket::{Cursor, Etag, ListPage, ObjectEntry, PageRequest, StorageClass};
use crate::cli::Options;
use crate::credentials::SessionInfo;
use crate::failure::{AwsFailure, ErrorKind};
use crate::keymap::{Key, KeyPress};
use chrono::TimeZone;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn at(secs: i64) -> DateTime<Utc> {
    t0() + TimeDelta::seconds(secs)
}

fn settings() -> Settings {
    let opts = Options {
        bucket: Some("demo-bucket".into()),
        user: Some("alice".into()),
        role_arn: Some("arn:aws:iam::123456789012:role/S3Reader".into()),
        ..Options::default()
    };
    Settings::resolve_text(&opts, "", "test.toml").unwrap()
}

fn info(mode: Mode, issued: DateTime<Utc>, lifetime: i64) -> SessionInfo {
    SessionInfo {
        mode,
        principal_arn: "arn".into(),
        access_key_id: "ASIAABCDEFGHIJKLWXYZ".into(),
        issued_at: issued,
        expires_at: issued + TimeDelta::seconds(lifetime),
        packed_policy_percent: None,
        server_date: None,
        region: None,
    }
}

fn press(k: Key) -> Msg {
    Msg::KeyPressed(KeyPress::plain(k))
}

fn ch(c: char) -> Msg {
    press(Key::Char(c))
}

fn ctrl(c: char) -> Msg {
    Msg::KeyPressed(KeyPress::ctrl(c))
}

fn issued(fx: &[Effect]) -> Generation {
    fx.iter()
        .find_map(|e| match e {
            Effect::IssueCredentials { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("an IssueCredentials effect")
}

fn listed(fx: &[Effect]) -> Option<(RequestId, Option<String>, String)> {
    fx.iter().find_map(|e| match e {
        Effect::ListPage { request, page, .. } => Some((
            *request,
            page.continuation_token.clone(),
            page.prefix.clone(),
        )),
        _ => None,
    })
}

fn objects(keys: &[String]) -> Vec<ObjectEntry> {
    keys.iter()
        .map(|k| {
            ObjectEntry::new(
                k.clone(),
                1,
                None,
                Etag::parse("\"e\""),
                StorageClass::Unknown,
            )
        })
        .collect()
}

/// A federated session (1 h) with `folders` and 50 keys loaded, complete, and 10 rows on
/// screen.
fn browsing(folders: &[&str]) -> App {
    let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
    let g = issued(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    let (id, _, _) = listed(&fx).unwrap();
    let keys: Vec<String> = (0..50).map(|i| format!("k{i:02}")).collect();
    app.lay_out(Layout {
        list_rows: 10,
        policy_rows: 5,
        ..Layout::default()
    });
    app.update(
        Msg::PageLoaded {
            request: id,
            page: ListPage {
                prefixes: folders.iter().map(|f| (*f).to_string()).collect(),
                objects: objects(&keys),
                next_token: None,
            },
        },
        t0(),
    );
    app
}

fn cursor(app: &App) -> usize {
    app.listing.rows().cursor()
}

#[test]
fn movement_keys_move_by_one_a_page_and_to_the_ends() {
    let mut app = browsing(&[]);
    for (keys, want) in [
        (vec![ch('j')], 1),
        (vec![press(Key::Down)], 2),
        (vec![ch('k')], 1),
        (vec![press(Key::Up)], 0),
        (vec![press(Key::PageDown)], 10),
        (vec![ctrl('d')], 20),
        (vec![press(Key::PageUp)], 10),
        (vec![ctrl('u')], 0),
        (vec![ch('G')], 49),
        (vec![ch('g')], 0),
        (vec![press(Key::End)], 49),
        (vec![press(Key::Home)], 0),
    ] {
        for k in keys.clone() {
            app.update(k, at(1));
        }
        assert_eq!(cursor(&app), want, "after {keys:?}");
    }
}

#[test]
fn open_and_parent_keys() {
    for open in [press(Key::Enter), press(Key::Right), ch('l')] {
        let mut app = browsing(&["a/"]);
        let fx = app.update(open.clone(), at(1));
        let (_, _, prefix) = listed(&fx).unwrap_or_else(|| panic!("{open:?} opens"));
        assert_eq!(prefix, "a/", "{open:?}");
        for parent in [press(Key::Backspace), press(Key::Left), ch('h')] {
            let mut inside = browsing(&["a/"]);
            inside.update(open.clone(), at(1));
            let fx = inside.update(parent.clone(), at(2));
            let (_, _, prefix) = listed(&fx).unwrap_or_else(|| panic!("{parent:?} goes up"));
            assert_eq!(prefix, "", "{parent:?}");
        }
    }
    // Enter on an object opens nothing.
    let mut app = browsing(&[]);
    assert!(listed(&app.update(press(Key::Enter), at(1))).is_none());
}

#[test]
fn movement_keys_scroll_the_policy_pane_when_it_has_the_focus() {
    let mut app = browsing(&[]);
    app.update(press(Key::Tab), at(1));
    app.update(press(Key::Tab), at(1));
    assert_eq!(app.focus, Focus::Policy);
    app.update(ch('j'), at(1));
    assert_eq!(app.policy.scroll, 1);
    app.update(press(Key::Down), at(1));
    assert_eq!(app.policy.scroll, 2);
    app.update(ch('k'), at(1));
    assert_eq!(app.policy.scroll, 1);
    app.update(ch('G'), at(1));
    let last = u16::try_from(app.policy.lines.len() - 5).unwrap();
    assert_eq!(app.policy.scroll, last, "the last full page of 5 lines");
    app.update(ch('g'), at(1));
    assert_eq!(app.policy.scroll, 0);
    assert_eq!(cursor(&app), 0, "the object list did not move");
}

#[test]
fn reload_refresh_mode_and_suspend_keys() {
    let mut app = browsing(&[]);
    let (_, token, _) = listed(&app.update(ctrl('r'), at(1))).expect("C-r reloads");
    assert_eq!(token, None, "from the first page");
    let mut app = browsing(&[]);
    let fx = app.update(ch('r'), at(1));
    assert_eq!(app.session.target_mode(), Mode::Federated);
    assert!(
        matches!(fx[..], [Effect::IssueCredentials { .. }]),
        "r refreshes"
    );
    for (key, mode) in [
        ('a', Mode::AssumedRole),
        ('t', Mode::SessionToken),
        ('f', Mode::Federated),
    ] {
        let mut app = browsing(&[]);
        if mode == Mode::Federated {
            app.update(ch('a'), at(1));
        }
        let fx = app.update(ch(key), at(2));
        assert!(
            matches!(&fx[..], [Effect::IssueCredentials { request, .. }] if request.mode() == mode),
            "{key}: {fx:?}"
        );
    }
    let mut app = browsing(&[]);
    assert_eq!(app.update(ctrl('z'), at(1)), vec![Effect::Suspend]);
}

#[test]
fn a_stale_page_failure_does_not_touch_the_request_in_flight() {
    let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
    let g = issued(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    let (old, _, _) = listed(&fx).unwrap();
    let (new, _, _) = listed(&app.update(ctrl('r'), at(1))).unwrap();
    assert_ne!(old, new);
    let fx = app.update(
        Msg::PageFailed {
            request: old,
            failure: AwsFailure::from_service(Some("ExpiredToken"), None, Some(400)),
        },
        at(2),
    );
    assert!(fx.is_empty(), "{fx:?}");
    assert!(
        app.listing.error().is_none(),
        "no error shown for an old request"
    );
    assert_eq!(app.listing.in_flight().map(|f| f.id), Some(new));
}

#[test]
fn a_second_expiry_later_in_the_same_listing_refreshes_by_itself_again() {
    let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
    let g1 = issued(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: g1,
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    let expired = AwsFailure::from_service(Some("ExpiredToken"), None, Some(400));
    let page = |n: usize, next: Option<&str>| ListPage {
        prefixes: vec![],
        objects: objects(&[format!("k{n}")]),
        next_token: next.map(str::to_string),
    };
    let (mut id, _, _) = listed(&fx).unwrap();
    let mut generation = g1;
    for round in 0..3 {
        // The page fails: one refresh by itself, then the page again.
        let fx = app.update(
            Msg::PageFailed {
                request: id,
                failure: expired.clone(),
            },
            at(10 * round + 1),
        );
        let g = issued(&fx);
        assert!(g > generation, "round {round}: a new refresh");
        generation = g;
        let fx = app.update(
            Msg::CredentialsIssued {
                generation: g,
                info: info(Mode::Federated, at(10 * round + 2), 3600),
            },
            at(10 * round + 2),
        );
        let (retry, _, _) = listed(&fx).expect("the page again");
        // It loads; then the next page is asked for (the cursor is near the end).
        let fx = app.update(
            Msg::PageLoaded {
                request: retry,
                page: page(usize::try_from(round).unwrap(), Some("more")),
            },
            at(10 * round + 3),
        );
        id = listed(&fx).expect("the next page").0;
    }
}

#[test]
fn a_late_failure_of_an_old_generation_is_dropped_after_two_switches() {
    let mut app = browsing(&[]);
    let g_role = issued(&app.update(ch('a'), at(1)));
    let g_session = issued(&app.update(ch('t'), at(2)));
    assert!(g_session > g_role);
    // The role request's failure arrives late: nothing changes.
    let before_error = app.session.last_error().cloned();
    let fx = app.update(
        Msg::CredentialsFailed {
            generation: g_role,
            failure: AwsFailure::new(ErrorKind::Network, None, "late"),
        },
        at(3),
    );
    assert!(fx.is_empty());
    assert_eq!(app.session.last_error().cloned(), before_error);
    assert_eq!(
        app.session.issuing().map(|(m, _)| m),
        Some(Mode::SessionToken)
    );
    assert!(app.notice.as_ref().is_none_or(|n| !n.text.contains("late")));
}

#[test]
fn page_retries_back_off_to_a_minute_and_no_more() {
    let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
    let g = issued(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: info(Mode::Federated, t0(), 36_000),
        },
        t0(),
    );
    let (mut id, _, _) = listed(&fx).unwrap();
    let down = AwsFailure::new(ErrorKind::Network, None, "refused");
    let mut now = at(1);
    let mut waits = Vec::new();
    for _ in 0..8 {
        app.update(
            Msg::PageFailed {
                request: id,
                failure: down.clone(),
            },
            now,
        );
        let Retry::At(next) = app.listing.error().unwrap().failed.retry else {
            panic!("retried by itself");
        };
        waits.push((next - now).num_seconds());
        now = next;
        id = listed(&app.update(Msg::Tick, now)).expect("retried").0;
    }
    assert_eq!(waits, [5, 10, 20, 40, 60, 60, 60, 60]);
}

#[test]
fn typing_a_filter_esc_clears_and_ctrl_keys_are_not_typed() {
    let mut app = browsing(&[]);
    app.update(ch('/'), at(1));
    app.update(ch('k'), at(1));
    app.update(ch('0'), at(1));
    app.update(ctrl('x'), at(1));
    app.update(
        Msg::KeyPressed(KeyPress {
            key: Key::Char('y'),
            ctrl: false,
            alt: true,
        }),
        at(1),
    );
    assert_eq!(
        app.listing.rows().filter(),
        "k0",
        "ctrl-x and alt-y are not typed"
    );
    app.update(press(Key::Backspace), at(1));
    assert_eq!(app.listing.rows().filter(), "k");
    app.update(press(Key::Esc), at(1));
    assert!(app.input.is_none(), "esc closes the filter line");
    assert_eq!(app.listing.rows().filter(), "", "and clears the filter");
    // With a filter kept (Enter), other keys do their own thing and leave it alone.
    app.update(ch('/'), at(2));
    app.update(ch('4'), at(2));
    app.update(press(Key::Enter), at(2));
    assert!(app.input.is_none());
    app.update(ch('j'), at(2));
    assert_eq!(
        app.listing.rows().filter(),
        "4",
        "j moves, it does not clear the filter"
    );
    app.update(press(Key::Esc), at(2));
    assert_eq!(app.listing.rows().filter(), "", "esc clears it");
}

#[test]
fn the_mfa_prompt_takes_six_digits_only_and_esc_cancels_it() {
    let opts = Options {
        bucket: Some("demo-bucket".into()),
        user: Some("alice".into()),
        mode: Some(Mode::SessionToken),
        mfa_serial: Some("arn:aws:iam::1:mfa/alice".into()),
        ..Options::default()
    };
    let s = Settings::resolve_text(&opts, "", "test.toml").unwrap();
    let (mut app, _) = App::new(s, Keymap::default(), t0());
    let code = |app: &App| match &app.input {
        Some(Input::Mfa { code, .. }) => code.clone(),
        other => panic!("{other:?}"),
    };
    for c in "1x2y34567".chars() {
        app.update(ch(c), at(1));
    }
    assert_eq!(code(&app), "123456", "digits only, six at most");
    app.update(press(Key::Backspace), at(1));
    assert_eq!(code(&app), "12345");
    app.update(press(Key::Esc), at(1));
    assert!(app.input.is_none(), "esc cancels");
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("MFA prompt cancelled")
    );
}

#[test]
fn retry_notices_tell_throttling_from_server_errors() {
    let mut app = browsing(&[]);
    for (status, text) in [
        (429, "S3 is throttling (HTTP 429); retrying…"),
        (503, "S3 is throttling (HTTP 503); retrying…"),
        (500, "S3 had an error (HTTP 500); retrying…"),
    ] {
        app.update(Msg::RequestRetrying { status }, at(1));
        assert_eq!(app.notice.as_ref().unwrap().text, text);
    }
}

#[test]
fn cycling_through_usable_modes_says_nothing_of_skipping() {
    let mut app = browsing(&[]);
    app.update(ch('m'), at(1));
    assert!(
        app.notice
            .as_ref()
            .is_none_or(|n| !n.text.contains("skipped")),
        "{:?}",
        app.notice
    );
}

/// A federated session for alice, with no role ARN set (`m` skips role mode).
fn without_a_role() -> App {
    let opts = Options {
        bucket: Some("demo-bucket".into()),
        user: Some("alice".into()),
        ..Options::default()
    };
    let s = Settings::resolve_text(&opts, "", "test.toml").unwrap();
    let (mut app, fx) = App::new(s, Keymap::default(), t0());
    app.update(
        Msg::CredentialsIssued {
            generation: issued(&fx),
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    app
}

#[test]
fn a_skipped_mode_is_said_even_over_an_earlier_notice() {
    let mut app = without_a_role();
    app.update(ch('f'), at(1)); // "already in federated mode"
    app.update(ch('m'), at(2));
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("skipped assumed role mode"),
        "{:?}",
        app.notice
    );
}

#[test]
fn the_skipped_modes_stay_said_when_the_switch_s_credentials_arrive() {
    let mut app = without_a_role();
    let fx = app.update(ch('m'), at(2)); // role mode has no ARN: session-token mode next
    app.update(
        Msg::CredentialsIssued {
            generation: issued(&fx),
            info: info(Mode::SessionToken, at(2), 3600),
        },
        at(3),
    );
    let text = &app.notice.as_ref().unwrap().text;
    assert!(
        text.starts_with("credentials switched to session token mode · skipped assumed role mode"),
        "{text}"
    );
    // Said once: the next switch says only its own.
    let fx = app.update(ch('f'), at(4));
    app.update(
        Msg::CredentialsIssued {
            generation: issued(&fx),
            info: info(Mode::Federated, at(4), 3600),
        },
        at(5),
    );
    let text = &app.notice.as_ref().unwrap().text;
    assert_eq!(text, "credentials switched to federated mode");
}

/// A session whose refreshes fail `n` times, then `r`: the next failure waits 5 s again.
#[test]
fn r_forgets_the_failures_so_far() {
    let mut app = browsing(&[]);
    let refused = AwsFailure::new(ErrorKind::Network, None, "refused");
    let mut now = at(3300);
    for _ in 0..3 {
        let g = issued(&app.update(Msg::Tick, now));
        app.update(
            Msg::CredentialsFailed {
                generation: g,
                failure: refused.clone(),
            },
            now,
        );
        now = app.session.next_due().unwrap();
    }
    assert_eq!(now, at(3300 + 5 + 10 + 20), "backed off three times");
    let g = issued(&app.update(ch('r'), at(3301)));
    app.update(
        Msg::CredentialsFailed {
            generation: g,
            failure: refused,
        },
        at(3302),
    );
    assert_eq!(
        app.session.next_due(),
        Some(at(3302 + 5)),
        "back to 5 s after r"
    );
}

#[test]
fn a_cancelled_mfa_prompt_for_a_due_refresh_is_not_asked_again_by_itself() {
    let opts = Options {
        bucket: Some("demo-bucket".into()),
        user: Some("alice".into()),
        mode: Some(Mode::SessionToken),
        mfa_serial: Some("arn:aws:iam::1:mfa/alice".into()),
        mfa_code: Some("123456".into()),
        ..Options::default()
    };
    let s = Settings::resolve_text(&opts, "", "test.toml").unwrap();
    let (mut app, fx) = App::new(s, Keymap::default(), t0());
    app.update(
        Msg::CredentialsIssued {
            generation: issued(&fx),
            info: info(Mode::SessionToken, t0(), 3600),
        },
        t0(),
    );
    // The refresh is due: the one-time code is used up, so a new one is asked for.
    assert!(app.update(Msg::Tick, at(3300)).is_empty());
    assert!(matches!(app.input, Some(Input::Mfa { .. })));
    app.update(press(Key::Esc), at(3301));
    assert!(app.input.is_none());
    assert!(app.update(Msg::Tick, at(3302)).is_empty());
    assert!(app.input.is_none(), "not asked again until r");
    app.update(ch('r'), at(3303));
    assert!(matches!(app.input, Some(Input::Mfa { .. })), "r asks");
}

#[test]
fn r_keeps_a_passing_failure_retrying_by_itself() {
    let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: issued(&fx),
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    let (id, _, _) = listed(&fx).unwrap();
    app.update(
        Msg::PageFailed {
            request: id,
            failure: AwsFailure::new(ErrorKind::Network, None, "refused"),
        },
        at(1),
    );
    assert_eq!(app.listing.error().unwrap().failed.retry, Retry::At(at(6)));
    app.update(ch('r'), at(2));
    assert_eq!(
        app.listing.error().unwrap().failed.retry,
        Retry::At(at(6)),
        "new credentials do not help an outage: the page still retries by itself"
    );
}

#[test]
fn r_after_the_automatic_refresh_was_used_retries_the_page_with_the_new_credentials() {
    let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: issued(&fx),
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    let expired = AwsFailure::from_service(Some("ExpiredToken"), None, Some(400));
    let (id, _, _) = listed(&fx).unwrap();
    let g = issued(&app.update(
        Msg::PageFailed {
            request: id,
            failure: expired.clone(),
        },
        at(1),
    ));
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: info(Mode::Federated, at(1), 3600),
        },
        at(1),
    );
    let (id, _, _) = listed(&fx).unwrap();
    app.update(
        Msg::PageFailed {
            request: id,
            failure: expired,
        },
        at(2),
    );
    assert_eq!(
        app.listing.error().unwrap().failed.retry,
        Retry::ByUser,
        "it waits for the user"
    );
    let g = issued(&app.update(ch('r'), at(3)));
    assert_eq!(
        app.listing.error().unwrap().failed.retry,
        Retry::AfterCredentials
    );
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: info(Mode::Federated, at(3), 3600),
        },
        at(3),
    );
    assert!(
        listed(&fx).is_some(),
        "the page again, with the new credentials: {fx:?}"
    );
}

#[test]
fn a_reload_walks_pages_to_the_selected_key_even_far_from_the_end() {
    let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: issued(&fx),
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    let first: Vec<String> = (0..300).map(|i| format!("a{i:03}")).collect();
    let (id, _, _) = listed(&fx).unwrap();
    app.update(
        Msg::PageLoaded {
            request: id,
            page: ListPage {
                prefixes: vec![],
                objects: objects(&first),
                next_token: Some("a299".into()),
            },
        },
        at(1),
    );
    // The cursor is at the top, far from the end: no look-ahead. Reload with a2 selected.
    app.update(ch('j'), at(1));
    app.update(ch('j'), at(1));
    let (id, _, _) = listed(&app.update(ctrl('r'), at(2))).unwrap();
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: ListPage {
                prefixes: vec![],
                objects: objects(&first[3..]),
                next_token: Some("a299".into()),
            },
        },
        at(3),
    );
    assert!(
        listed(&fx).is_some(),
        "a002 is not on the first page: the next page is asked for at once"
    );
}

#[test]
fn a_clock_set_back_moves_the_offset_and_the_plan_with_it() {
    let mut app = browsing(&[]);
    let before = app.session.next_due().unwrap();
    app.update(
        Msg::ClockSteppedBack {
            by: TimeDelta::seconds(-960),
        },
        at(100) - TimeDelta::seconds(960),
    );
    assert_eq!(app.session.clock_offset(), TimeDelta::seconds(-960));
    assert_eq!(
        app.session.next_due(),
        Some(before - TimeDelta::seconds(960))
    );
    assert_eq!(
        app.session.remaining(at(100) - TimeDelta::seconds(960)),
        Some(TimeDelta::seconds(3500)),
        "the countdown goes on"
    );
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("local clock was set back")
    );
}

#[test]
fn a_mode_that_cannot_be_used_leaves_the_current_refresh_planned() {
    let mut app = without_a_role();
    let planned = app.session.next_due();
    assert!(planned.is_some());
    assert!(app.update(ch('a'), at(1)).is_empty(), "no role ARN");
    assert_eq!(
        app.session.next_due(),
        planned,
        "the federated refresh stays planned"
    );
}

#[test]
fn unlikely_answers_are_said_in_the_session_pane() {
    let cases = [
        (
            Some(Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap()),
            3600,
            "STS's clock said 1970-01-01 00:00:00 UTC",
        ),
        (None, 30, "the credentials STS issued expire in 30s"),
        (None, 0, "the credentials STS issued already expired"),
        (None, -60, "the credentials STS issued already expired"),
    ];
    for (date, lifetime, said) in cases {
        let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
        let mut i = info(Mode::Federated, t0(), lifetime);
        i.server_date = date;
        app.update(
            Msg::CredentialsIssued {
                generation: issued(&fx),
                info: i,
            },
            t0(),
        );
        let error = app
            .session
            .last_error()
            .map(|e| e.text.clone())
            .unwrap_or_default();
        assert!(error.starts_with(said), "{said:?}: {error}");
    }
    // A plausible answer says nothing.
    let app = browsing(&[]);
    assert!(app.session.last_error().is_none());
}

/// A session, and the request for its first page.
fn first_of_many() -> (App, RequestId) {
    let (mut app, fx) = App::new(settings(), Keymap::default(), t0());
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: issued(&fx),
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    let (id, _, _) = listed(&fx).unwrap();
    (app, id)
}

/// The app with the first 500 keys of many on screen (at 1 s).
fn first_page_of_many() -> App {
    let (mut app, id) = first_of_many();
    app.update(
        Msg::PageLoaded {
            request: id,
            page: numbered(0, 500, false),
        },
        at(1),
    );
    app
}

fn numbered(page: usize, per_page: usize, last: bool) -> ListPage {
    let keys: Vec<String> = (0..per_page)
        .map(|i| format!("k{:05}", page * per_page + i))
        .collect();
    ListPage {
        prefixes: vec![],
        objects: objects(&keys),
        next_token: (!last).then(|| keys.last().unwrap().clone()),
    }
}

/// The walk to the end an effect list starts: its id, where it lists from, how many at once.
fn walked(fx: &[Effect]) -> Option<(RequestId, PageRequest, usize)> {
    fx.iter().find_map(|e| match e {
        Effect::WalkListing {
            request,
            page,
            chains,
            ..
        } => Some((*request, page.clone(), *chains)),
        _ => None,
    })
}

fn walk_page(app: &mut App, id: RequestId, page: ListPage, done: bool, t: i64) -> Vec<Effect> {
    app.update(
        Msg::WalkPage {
            request: id,
            page,
            done,
        },
        at(t),
    )
}

#[test]
fn g_walks_every_page_from_the_next_one_and_ends_on_the_last_key() {
    let mut app = first_page_of_many();
    app.lay_out(Layout {
        list_rows: 10,
        policy_rows: 5,
        ..Layout::default()
    });
    let fx = app.update(ch('G'), at(1));
    let (id, page, chains) = walked(&fx).expect("the walk at once");
    assert!(listed(&fx).is_none(), "no single page besides");
    assert_eq!(page.continuation_token.as_deref(), Some("k00499"));
    assert_eq!(chains, crate::app::AT_ONCE);
    assert!(app.listing.walk().is_some());
    for page in 1..=5 {
        let fx = walk_page(&mut app, id, numbered(page, 500, true), false, 2);
        assert!(fx.is_empty(), "the walk lists by itself");
        assert_eq!(
            cursor(&app),
            500 * (page + 1) - 1,
            "the cursor follows the end"
        );
        assert!(app.listing.walk().is_some() && !app.listing.complete());
    }
    // A stale walk's page changes nothing.
    walk_page(
        &mut app,
        RequestId(id.0 + 1),
        numbered(9, 500, true),
        false,
        3,
    );
    assert_eq!(app.listing.rows().key_count(), 3000);
    walk_page(&mut app, id, ListPage::default(), true, 3);
    assert!(app.listing.complete() && app.listing.walk().is_none());
    assert_eq!(app.listing.rows().key_count(), 3000);
}

#[test]
fn the_config_parallel_sets_the_walks_requests_at_once() {
    let mut settings = settings();
    settings.config.list.parallel = Some(3);
    let (app, _) = App::new(settings, Keymap::default(), at(0));
    assert_eq!(app.walk_chains, 3);
}

#[test]
fn esc_or_a_movement_stops_the_walk_and_its_requests() {
    for stop in [press(Key::Esc), ch('k'), press(Key::PageUp), ch('g')] {
        let mut app = first_page_of_many();
        let (id, _, _) = walked(&app.update(ch('G'), at(1))).unwrap();
        walk_page(&mut app, id, numbered(1, 500, true), false, 2);
        let fx = app.update(stop.clone(), at(2));
        assert!(app.listing.walk().is_none(), "{stop:?} stops");
        assert_eq!(
            fx.iter().filter(|e| **e == Effect::StopListing).count(),
            1,
            "{stop:?}: the requests stop: {fx:?}"
        );
        assert!(matches!(fx.first(), Some(Effect::StopListing)), "first");
        let fx = walk_page(&mut app, id, numbered(2, 500, true), false, 3);
        assert!(fx.is_empty());
        assert_eq!(
            app.listing.rows().key_count(),
            1000,
            "{stop:?}: no page after"
        );
        // The listing goes on after the last key loaded (a movement near the end asks at once).
        let from = match app.listing.in_flight() {
            Some(fetch) => fetch.token.clone(),
            None => app.listing.load().next_page().and_then(NextPage::token),
        };
        assert_eq!(from, Some(Cursor::After("k00999".into())), "{stop:?}");
    }
    // Stopped before any page of it came: it goes on from where it would have.
    let mut app = first_page_of_many();
    app.update(ch('G'), at(1));
    assert_eq!(
        app.update(press(Key::Esc), at(2)),
        vec![Effect::StopListing]
    );
    assert_eq!(
        app.listing.load().next_page(),
        Some(NextPage::From(Cursor::Token {
            token: "k00499".into(),
            after: Some("k00499".into())
        }))
    );
}

#[test]
fn a_failure_stops_the_walk_and_the_retry_goes_on_after_the_last_key() {
    let mut app = first_page_of_many();
    let (id, _, _) = walked(&app.update(ch('G'), at(1))).unwrap();
    walk_page(&mut app, id, numbered(1, 500, true), false, 2);
    app.update(
        Msg::PageFailed {
            request: id,
            failure: AwsFailure::from_service(Some("AccessDenied"), None, Some(403)),
        },
        at(2),
    );
    assert!(app.listing.walk().is_none());
    let fx = app.update(ctrl('r'), at(3));
    let Some(Effect::ListPage { page, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    assert_eq!(page.start_after.as_deref(), Some("k00999"));
    assert_eq!(page.continuation_token, None);
}

fn folders(names: &[&str], next: Option<&str>) -> ListPage {
    ListPage {
        prefixes: names.iter().map(|n| (*n).to_string()).collect(),
        objects: vec![],
        next_token: next.map(str::to_string),
    }
}

#[test]
fn a_walk_asked_while_a_page_is_on_its_way_starts_when_it_lands_and_a_folder_comes_once() {
    let (mut app, id) = first_of_many();
    // Two rows: the next page is asked for at once (near the end).
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: folders(&["a/", "b/"], Some("t1")),
        },
        at(1),
    );
    let (id, _, _) = listed(&fx).expect("the look-ahead");
    assert!(
        walked(&app.update(ch('G'), at(1))).is_none(),
        "a page is on its way"
    );
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: folders(&["c/"], Some("t2")),
        },
        at(2),
    );
    let (id, page, _) = walked(&fx).expect("the walk when it lands");
    assert_eq!(page.continuation_token.as_deref(), Some("t2"));
    walk_page(&mut app, id, folders(&["d/"], None), false, 3);
    app.update(press(Key::Esc), at(3));
    let fx = app.update(ch('j'), at(4));
    let (_, token, _) = listed(&fx).expect("the next page from after d/");
    assert_eq!(token, None);
    let fetch = app.listing.in_flight().unwrap().clone();
    assert_eq!(fetch.token, Some(Cursor::After("d/".into())));
    app.update(
        Msg::PageLoaded {
            request: fetch.id,
            page: folders(&["d/", "e/"], None),
        },
        at(5),
    );
    assert_eq!(
        app.listing.rows().keys(),
        vec!["a/", "b/", "c/", "d/", "e/"]
    );
}

#[test]
fn a_movement_that_stops_the_walk_also_moves_and_esc_does_only_the_stopping() {
    let mut app = first_page_of_many();
    app.update(ch('G'), at(1));
    let at_end = cursor(&app);
    assert_eq!(at_end, 499);
    app.update(ch('k'), at(2));
    assert!(app.listing.walk().is_none());
    assert_eq!(cursor(&app), 498, "k stopped the walk and moved up");
    assert!(app.notice.is_some(), "the stop is said");

    let mut app = first_page_of_many();
    app.update(ch('G'), at(1));
    app.update(press(Key::Esc), at(2));
    assert!(app.listing.walk().is_none());
    assert_eq!(cursor(&app), 499, "Esc only stops");
}

#[test]
fn the_help_scrolls_by_line_and_by_ten() {
    let mut app = browsing(&["a/"]);
    app.update(ch('?'), at(1));
    for (k, expected) in [
        (Key::PageDown, 10),
        (Key::PageDown, 20),
        (Key::PageUp, 10),
        (Key::Up, 9),
        (Key::Down, 10),
        (Key::PageUp, 0),
        (Key::PageUp, 0),
    ] {
        app.update(press(k), at(1));
        assert_eq!(app.help_scroll, expected, "after {k:?}");
    }
}

#[test]
fn preview_and_presign_on_a_folder_say_what_they_work_on_and_save_lists_it() {
    let mut app = browsing(&["docs/"]);
    let fx = app.update(ch('s'), at(1));
    assert!(
        matches!(&fx[..], [Effect::ListUnder { prefix, .. }] if prefix == "docs/"),
        "s saves the folder's objects, listed first: {fx:?}"
    );
    app.update(ch('x'), at(1)); // not now
    for (c, what) in [('p', "preview"), ('u', "a presigned URL")] {
        let fx = app.update(ch(c), at(1));
        assert!(fx.is_empty(), "{c}: {fx:?}");
        assert_eq!(
            app.notice.as_ref().map(|n| n.text.as_str()),
            Some(format!("{what} works on one object; ⏎ opens the folder").as_str()),
            "{c}"
        );
        assert!(app.object.view.is_none() && app.object.download.is_none());
    }
    // On an object they act as before.
    app.update(press(Key::Down), at(2));
    let fx = app.update(ch('p'), at(2));
    assert!(!fx.is_empty(), "the preview is asked for: {fx:?}");
}
