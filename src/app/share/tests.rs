//! Sharing the session in the model: `S` starts the endpoint and shows the line (copied), the
//! answers are counted and listed, `!` runs a shell (sharing first when needed), the popup's
//! keys, a failed start, quitting asks first, and the refresh moves earlier while sharing.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use super::{Endpoint, State};
use crate::app::layers::Layer;
use crate::app::session::Phase;
use crate::app::tests::{at, key, running, special};
use crate::app::{App, Effect, Input, Msg};
use crate::keymap::Key;

fn endpoint() -> Endpoint {
    Endpoint {
        url: "http://127.0.0.1:4711/credentials".to_string(),
        env_file: "/tmp/sts3-share-x/env".to_string(),
    }
}

/// A running app that shares its session.
fn sharing() -> App {
    let (mut app, _) = running();
    let fx = app.update(key('S'), at(1));
    let [
        Effect::StartSharing {
            region: None,
            endpoint_url: None,
            key,
        },
    ] = &fx[..]
    else {
        panic!("the test's settings name no region: {fx:?}");
    };
    assert!(
        key.starts_with("mode=federated bucket=demo-bucket user=alice "),
        "{key}"
    );
    assert_eq!(app.share.state, State::Starting);
    let fx = app.update(
        Msg::SharingStarted {
            result: Ok(endpoint()),
        },
        at(2),
    );
    assert_eq!(
        fx,
        [Effect::CopyToClipboard {
            text: ". /tmp/sts3-share-x/env".to_string()
        }],
        "the line to paste, copied"
    );
    app
}

#[test]
fn s_shares_shows_the_line_and_the_answers_are_counted_and_listed() {
    let mut app = sharing();
    assert_eq!(app.top(), Layer::Shared);
    assert!(
        app.history
            .newest_first()
            .any(|e| e.text == "sharing the session on http://127.0.0.1:4711/credentials")
    );
    app.update(Msg::CredentialsServed, at(5));
    app.update(Msg::CredentialsServed, at(7));
    app.update(Msg::ServeRefused, at(8));
    let s = app.share.sharing().unwrap();
    assert_eq!((s.served, s.refused, s.last), (2, 1, Some(at(7))));
    let texts: Vec<(&str, u32)> = app
        .history
        .newest_first()
        .map(|e| (e.text.as_str(), e.times))
        .collect();
    assert_eq!(
        texts[..2],
        [
            (
                "refused a request for the shared session: no token or a wrong one",
                1
            ),
            ("handed the session to a tool", 2)
        ]
    );
    // Esc closes the popup, S shows it again; the sharing goes on.
    app.update(special(Key::Esc), at(9));
    assert_eq!(app.top(), Layer::Listing);
    assert!(app.update(key('S'), at(10)).is_empty());
    assert_eq!(app.top(), Layer::Shared);
    assert_eq!(
        app.update(key('y'), at(11)),
        [Effect::CopyToClipboard {
            text: ". /tmp/sts3-share-x/env".to_string()
        }]
    );
}

#[test]
fn x_in_the_popup_stops_sharing_and_says_what_was_served() {
    let mut app = sharing();
    app.update(Msg::CredentialsServed, at(5));
    let fx = app.update(key('x'), at(6));
    assert_eq!(fx, [Effect::StopSharing]);
    assert_eq!(app.share.state, State::Off);
    assert_eq!(app.top(), Layer::Listing);
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "stopped sharing the session (1 handed out, 0 refused)"
    );
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        "stopped sharing the session (1 handed out, 0 refused)",
        "and listed"
    );
    app.update(Msg::CredentialsServed, at(7));
    assert!(
        app.share.sharing().is_none(),
        "a late answer counts nothing"
    );
    assert_eq!(
        app.update(key('q'), at(8)),
        [Effect::Quit],
        "q quits at once"
    );
}

#[test]
fn a_shell_waits_for_the_endpoint_and_runs_when_it_is_up() {
    let (mut app, _) = running();
    let fx = app.update(key('!'), at(1));
    assert!(matches!(fx[..], [Effect::StartSharing { .. }]), "{fx:?}");
    assert_eq!(app.update(key('!'), at(1)), [], "starting already");
    let fx = app.update(
        Msg::SharingStarted {
            result: Ok(endpoint()),
        },
        at(2),
    );
    assert_eq!(fx.last(), Some(&Effect::RunShell));
    assert!(!app.share.popup, "the shell instead of the popup");
    assert_eq!(app.update(key('!'), at(3)), [Effect::RunShell]);
    app.update(
        Msg::ShellEnded {
            result: Ok("exit status: 0".into()),
        },
        at(4),
    );
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "back from the shell (exit status: 0)"
    );
}

#[test]
fn a_failed_start_is_said_and_leaves_sharing_off() {
    let (mut app, _) = running();
    app.update(key('S'), at(1));
    app.update(
        Msg::SharingStarted {
            result: Err("Address already in use".into()),
        },
        at(2),
    );
    assert_eq!(app.share.state, State::Off);
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "cannot share the session: Address already in use"
    );
    assert_eq!(app.update(key('q'), at(3)), [Effect::Quit]);
}

#[test]
fn an_endpoint_that_starts_after_it_was_stopped_is_stopped() {
    let mut app = sharing();
    app.update(key('x'), at(3));
    app.update(key('S'), at(4));
    app.update(key('x'), at(4)); // no popup yet: x is the download's cancel, nothing here
    app.share.stop();
    let fx = app.update(
        Msg::SharingStarted {
            result: Ok(endpoint()),
        },
        at(5),
    );
    assert_eq!(fx, [Effect::StopSharing]);
    assert_eq!(app.share.state, State::Off);
}

#[test]
fn quitting_while_sharing_asks_first() {
    let mut app = sharing();
    app.update(special(Key::Esc), at(3));
    assert_eq!(app.update(key('q'), at(4)), []);
    assert_eq!(app.input, Some(Input::ConfirmQuit));
    assert_eq!(app.top(), Layer::ConfirmQuit);
    app.update(special(Key::Esc), at(5));
    assert_eq!(app.input, None, "esc stays");
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "still sharing the session"
    );
    app.update(key('q'), at(6));
    assert_eq!(app.update(key('y'), at(7)), [Effect::Quit]);
}

#[test]
fn sharing_moves_the_refresh_to_when_a_served_session_needs_it() {
    // A 1-hour session: alone refreshed 5 minutes before expiry (the default margin), shared
    // 16 minutes before, so every set handed out has what botocore wants left.
    let (mut app, _) = running();
    let planned = |app: &App| match app.session.phase() {
        Phase::Waiting(crate::app::session::Plan::Refresh { at }) => at,
        other => panic!("{other:?}"),
    };
    assert_eq!(planned(&app), at(3600 - 300));
    app.update(key('S'), at(1));
    assert_eq!(planned(&app), at(3600 - 300), "not before it is up");
    app.update(
        Msg::SharingStarted {
            result: Ok(endpoint()),
        },
        at(2),
    );
    assert_eq!(planned(&app), at(3600 - 16 * 60));
    app.update(key('x'), at(3));
    assert!(!app.session.is_serving());
    // No longer shared: the next session is refreshed by the margin again.
    let fx = app.update(key('r'), at(4));
    let generation = crate::app::tests::generation_of(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation,
            info: crate::app::tests::info(crate::credentials::Mode::Federated, at(5), 3600),
        },
        at(5),
    );
    assert_eq!(planned(&app), at(5 + 3600 - 300));
}

#[test]
fn new_credentials_while_sharing_rename_the_share_for_sts3_credentials() {
    use crate::app::tests::{generation_of, info};
    use crate::credentials::Mode;
    let mut app = sharing();
    app.update(special(Key::Esc), at(3));
    let fx = app.update(key('r'), at(4));
    let generation = generation_of(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::Federated, at(5), 3600),
        },
        at(5),
    );
    let renamed: Vec<&str> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::ShareTarget { key } => Some(key.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(renamed.len(), 1, "{fx:?}");
    assert!(renamed[0].starts_with("mode=federated bucket=demo-bucket "));
    app.update(key('S'), at(6));
    app.update(key('x'), at(6));
    assert!(!app.share.is_on());
    let fx = app.update(key('r'), at(7));
    let generation = generation_of(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::Federated, at(8), 3600),
        },
        at(8),
    );
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::ShareTarget { .. })),
        "not sharing: nothing to rename"
    );
}

#[test]
fn the_popup_keeps_its_keys_to_itself() {
    let mut app = sharing();
    assert_eq!(app.update(key('j'), at(3)), []);
    assert_eq!(app.top(), Layer::Shared, "another key leaves it open");
    app.update(key('S'), at(4));
    assert_eq!(app.top(), Layer::Listing, "S closes it too");
    app.update(key('S'), at(5));
    assert_eq!(app.update(key('!'), at(6)), [Effect::RunShell]);
    assert_eq!(app.top(), Layer::Listing, "the shell instead of the popup");
}
