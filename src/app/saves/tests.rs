//! Saving many objects in the model: `s` with marks or on a folder (listed first), each
//! object's place below the download folder, the policy's prediction, the question, the
//! progress and the summary, a stall renewed once, and `x` cancelling.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use super::SaveOutcome;
use crate::app::layers::Layer;
use crate::app::tests::{self, at, key, notice};
use crate::app::{App, Effect, Level, Msg, RequestId};
use crate::failure::{AwsFailure, ErrorKind};
use std::path::PathBuf;

/// A running app whose root shows `docs/`, `a.txt` and `b.txt` (10 bytes each), saving into
/// `/dl`, the cursor on `docs/`.
fn app() -> App {
    let mut app = tests::writable(&["docs/"], &["a.txt", "b.txt"]);
    app.config.objects.download_dir = PathBuf::from("/dl");
    app
}

/// `s`, then `y`: the request and the items of the `SaveObjects` sent.
fn sent(app: &mut App) -> (RequestId, Vec<(String, PathBuf, u64)>) {
    assert_eq!(app.top(), Layer::ConfirmSaveMany);
    let fx = app.update(key('y'), at(3));
    let [
        Effect::SaveObjects {
            request,
            items,
            dir,
            split,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(dir, &PathBuf::from("/dl"));
    assert_eq!(split.part_size, app.config.objects.part_size);
    (*request, items.clone())
}

fn saved(app: &mut App, request: RequestId, key: &str, outcome: SaveOutcome) {
    app.update(
        Msg::ObjectSaved {
            request,
            key: key.into(),
            outcome,
        },
        at(5),
    );
}

fn expired() -> AwsFailure {
    AwsFailure::new(ErrorKind::ExpiredToken, Some("ExpiredToken"), "expired")
}

#[test]
fn s_with_marks_asks_then_saves_them_counting_bytes_and_what_was_there() {
    let mut app = app();
    app.update(key('j'), at(1)); // on a.txt
    app.update(key(' '), at(1));
    app.update(key(' '), at(1)); // a.txt and b.txt marked
    assert_eq!(app.update(key('s'), at(2)), []);
    let batch = app.saves.asking().expect("asked");
    assert_eq!(batch.what(), "2 objects (20 B)");
    assert_eq!(batch.target(), "/dl");
    app.update(key('n'), at(2));
    assert_eq!(notice(&app), "nothing saved");
    assert!(!app.saves.is_busy());
    app.update(key('s'), at(2));
    let ctrl_y = Msg::KeyPressed(crate::keymap::KeyPress::ctrl('y'));
    assert_eq!(app.update(ctrl_y, at(2)), [], "Ctrl-y is not y");
    assert!(!app.saves.is_busy());
    app.update(key('s'), at(2));
    let (request, items) = sent(&mut app);
    assert_eq!(
        items,
        [
            ("a.txt".into(), PathBuf::from("a.txt"), 10),
            ("b.txt".into(), PathBuf::from("b.txt"), 10)
        ]
    );
    assert_eq!(
        notice(&app),
        "saving 0 of 2 objects · 0 B · 0 B/s into /dl · x cancels"
    );
    app.update(Msg::SaveProgressed { request, bytes: 8 }, at(5));
    app.update(
        Msg::SaveProgressed {
            request: RequestId(request.0 + 7),
            bytes: 1000,
        },
        at(5),
    );
    assert_eq!(
        notice(&app),
        "saving 0 of 2 objects · 8 B · 4 B/s into /dl · x cancels",
        "another request's bytes are not counted"
    );
    saved(&mut app, request, "a.txt", SaveOutcome::Saved(10));
    saved(&mut app, request, "b.txt", SaveOutcome::Present);
    assert!(
        notice(&app).starts_with("saving 2 of 2 objects"),
        "{}",
        notice(&app)
    );
    app.update(Msg::SavesFinished { request }, at(6));
    assert_eq!(
        notice(&app),
        "saved 1 object (10 B) to /dl; 1 already there (same size)"
    );
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Info);
    assert!(!app.saves.is_busy());
    assert!(app.history.newest_first().next().unwrap().text.starts_with(
        "saved 1 object (10 B) to /dl; 1 already there (same size) (signed with ASIA"
    ));
}

#[test]
fn s_on_a_folder_lists_it_keeps_its_name_and_says_failures_and_files_kept() {
    let mut app = app(); // on docs/
    let fx = app.update(key('s'), at(2));
    let [
        Effect::ListUnder {
            request, prefix, ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(prefix, "docs/");
    assert_eq!(notice(&app), "listing s3://demo-bucket/docs/ to save it…");
    app.update(
        Msg::ListedUnder {
            request: *request,
            result: Ok(vec![
                ("docs/sub/".into(), 0),
                ("docs/sub/y".into(), 2),
                ("docs/x".into(), 1),
                ("docs/z".into(), 4),
            ]),
        },
        at(3),
    );
    assert_eq!(
        app.saves.asking().unwrap().what(),
        "3 objects (7 B)",
        "the marker is no object"
    );
    let (request, items) = sent(&mut app);
    assert_eq!(
        items,
        [
            ("docs/sub/y".into(), PathBuf::from("docs/sub/y"), 2),
            ("docs/x".into(), PathBuf::from("docs/x"), 1),
            ("docs/z".into(), PathBuf::from("docs/z"), 4),
        ]
    );
    saved(
        &mut app,
        request,
        "docs/z",
        SaveOutcome::Failed("disk full".into()),
    );
    saved(
        &mut app,
        request,
        "docs/x",
        SaveOutcome::Failed("no".into()),
    );
    saved(&mut app, request, "docs/sub/y", SaveOutcome::Differs);
    app.update(Msg::SavesFinished { request }, at(6));
    assert_eq!(
        notice(&app),
        "saved 0 objects (0 B) to /dl; 2 failed; 1 object kept: a file of another size is there (first: s3://demo-bucket/docs/x: no)"
    );
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Error);
}

#[test]
fn what_the_policy_refuses_or_what_cannot_be_saved_inside_is_said_and_nothing_is_sent() {
    let mut app = app();
    app.target.policy = crate::policy::SessionPolicy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::demo-bucket/*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::demo-bucket/docs/secret/*"}]}"#,
    )
    .unwrap();
    let fx = app.update(key('s'), at(2));
    let [Effect::ListUnder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    let listed = |request| Msg::ListedUnder {
        request,
        result: Ok(vec![("docs/a".into(), 1), ("docs/secret/b".into(), 1)]),
    };
    assert_eq!(app.update(listed(*request), at(3)), []);
    assert_eq!(
        notice(&app),
        "the session policy denies s3:GetObject on arn:aws:s3:::demo-bucket/docs/secret/b (statement 2); nothing was saved (T offers templates)"
    );
    assert_eq!(app.input, None);
    assert!(!app.saves.is_busy());
    // A key that would leave the download folder.
    let fx = app.update(key('s'), at(4));
    let [Effect::ListUnder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::ListedUnder {
            request: *request,
            result: Ok(vec![("docs/../../etc/x".into(), 1)]),
        },
        at(5),
    );
    assert_eq!(
        notice(&app),
        "nothing saved: s3://demo-bucket/docs/../../etc/x: its path has an empty, `.` or `..` part"
    );
    // An empty folder, and a listing that failed.
    let fx = app.update(key('s'), at(6));
    let [Effect::ListUnder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::ListedUnder {
            request: *request,
            result: Ok(vec![]),
        },
        at(7),
    );
    assert_eq!(notice(&app), "nothing to save: no objects there");
    let fx = app.update(key('s'), at(8));
    let [Effect::ListUnder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::ListedUnder {
            request: *request,
            result: Err(tests::refused("no")),
        },
        at(9),
    );
    assert_eq!(
        notice(&app),
        "s3://demo-bucket/docs/ was not listed: AccessDenied: no"
    );
}

#[test]
fn an_expired_token_stalls_the_saves_until_new_credentials_and_a_refusal_gives_up() {
    let mut app = app();
    app.update(key('s'), at(2));
    let fx = app.update(key('s'), at(2));
    assert_eq!(fx, [], "one batch at a time");
    assert_eq!(notice(&app), "objects are being saved; x cancels them");
    let request = match &app.saves.batch.as_ref().unwrap().phase {
        super::SavePhase::Listing(r) => *r,
        other => panic!("{other:?}"),
    };
    app.update(
        Msg::ListedUnder {
            request,
            result: Ok(vec![("docs/x".into(), 1)]),
        },
        at(3),
    );
    let (request, _) = sent(&mut app);
    let fx = app.update(
        Msg::SavesStalled {
            request: RequestId(request.0 + 5),
            failure: expired(),
        },
        at(4),
    );
    assert_eq!(fx, [], "another request's stall changes nothing");
    let fx = app.update(
        Msg::SavesStalled {
            request,
            failure: expired(),
        },
        at(4),
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::IssueCredentials { .. })),
        "{fx:?}"
    );
    assert!(
        !fx.contains(&Effect::ResumeSaves { request }),
        "not before the credentials"
    );
    assert_eq!(
        notice(&app),
        "ExpiredToken: expired: new credentials, then saving goes on"
    );
    // A second object's stall while they are issued waits for the same credentials.
    let again = app.update(
        Msg::SavesStalled {
            request,
            failure: expired(),
        },
        at(4),
    );
    assert!(
        !again
            .iter()
            .any(|e| matches!(e, Effect::IssueCredentials { .. })),
        "one refresh for all: {again:?}"
    );
    let generation = tests::generation_of(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation,
            info: tests::info(crate::credentials::Mode::Federated, at(5), 3600),
        },
        at(5),
    );
    assert!(fx.contains(&Effect::ResumeSaves { request }), "{fx:?}");
    let fx = app.update(
        Msg::SavesStalled {
            request,
            failure: tests::refused("no"),
        },
        at(6),
    );
    assert_eq!(fx, [Effect::GiveUpSaves { request }], "no credentials help");
}

#[test]
fn x_cancels_the_saves_and_says_what_was_saved_and_what_not() {
    let mut app = app();
    app.update(key('j'), at(1));
    app.update(key(' '), at(1));
    app.update(key(' '), at(1));
    app.update(key('s'), at(2));
    let (request, _) = sent(&mut app);
    saved(&mut app, request, "a.txt", SaveOutcome::Saved(10));
    let fx = app.update(key('x'), at(6));
    assert_eq!(fx, [Effect::CancelSaves { request }]);
    assert_eq!(
        notice(&app),
        "cancelled, 1 not saved: saved 1 object (10 B) to /dl"
    );
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Warn);
    assert!(!app.saves.is_busy());
    // Late answers of the cancelled saves change nothing.
    saved(&mut app, request, "b.txt", SaveOutcome::Saved(10));
    app.update(Msg::SavesFinished { request }, at(7));
    assert!(notice(&app).starts_with("cancelled"), "{}", notice(&app));
    // Cancelled while the folder is listed: nothing was started.
    app.update(key('k'), at(8));
    app.update(key('k'), at(8)); // back on docs/
    app.listing.marks.clear();
    let fx = app.update(key('s'), at(8));
    let [Effect::ListUnder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(app.update(key('x'), at(9)), []);
    assert_eq!(notice(&app), "nothing saved");
    app.update(
        Msg::ListedUnder {
            request: *request,
            result: Ok(vec![("docs/x".into(), 1)]),
        },
        at(10),
    );
    assert_eq!(app.input, None, "the late listing asks nothing");
}

#[test]
fn files_of_another_size_are_kept_and_said_as_a_warning_and_a_cancel_does_not_count_them_twice() {
    let mut app = app(); // on docs/
    let fx = app.update(key('s'), at(2));
    let [Effect::ListUnder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::ListedUnder {
            request: *request,
            result: Ok(vec![
                ("docs/a".into(), 1),
                ("docs/b".into(), 1),
                ("docs/c".into(), 1),
                ("docs/d".into(), 1),
            ]),
        },
        at(3),
    );
    let (request, _) = sent(&mut app);
    saved(&mut app, request, "docs/a", SaveOutcome::Differs);
    saved(&mut app, request, "docs/b", SaveOutcome::Saved(1));
    app.update(key('x'), at(6));
    assert_eq!(
        notice(&app),
        "cancelled, 2 not saved: saved 1 object (1 B) to /dl; 1 object kept: a file of another size is there"
    );
    // Not cancelled, nothing failed: a file kept is a warning still.
    let fx = app.update(key('s'), at(7));
    let [Effect::ListUnder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::ListedUnder {
            request: *request,
            result: Ok(vec![("docs/a".into(), 1)]),
        },
        at(8),
    );
    let (request, _) = sent(&mut app);
    saved(&mut app, request, "docs/a", SaveOutcome::Differs);
    app.update(Msg::SavesFinished { request }, at(9));
    assert_eq!(
        notice(&app),
        "saved 0 objects (0 B) to /dl; 1 object kept: a file of another size is there"
    );
    assert_eq!(app.notice.as_ref().unwrap().level, Level::Warn);
}
