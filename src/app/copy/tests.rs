//! Copying and moving in the model: the destination typed (starting as the object's name),
//! resolved against the folder shown, predicted by the policy, sent, an existing destination
//! asked about, and the rows changed in place.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use super::destination;
use crate::app::layers::Layer;
use crate::app::tests::{self, at, key, notice, running, special};
use crate::app::{App, Effect, Input, Msg, RequestId};
use crate::failure::AwsFailure;
use crate::keymap::Key;
use crate::object::Copied;
use crate::object::upload::Landed;

/// A running app whose root (listed whole) shows `docs/`, `a.txt`, `b.txt`, the cursor on
/// `a.txt`, with a session that may write.
fn writable() -> App {
    let mut app = tests::writable(&["docs/"], &["a.txt", "b.txt"]);
    app.update(key('j'), at(1));
    app
}

/// `C` (or `R`), the prompt's text replaced by `to`, Enter: the effects.
fn copy_to(app: &mut App, command: char, to: &str) -> Vec<Effect> {
    app.update(key(command), at(2));
    for _ in 0..40 {
        app.update(special(Key::Backspace), at(2));
    }
    for c in to.chars() {
        app.update(key(c), at(2));
    }
    app.update(special(Key::Enter), at(3))
}

fn copied(size: u64, source_kept: Option<AwsFailure>) -> Copied {
    Copied {
        landed: Landed {
            size,
            etag: Some("\"9a0364b9e99bb480dd25e1f0284c8555\"".into()),
        },
        source_kept,
    }
}

#[test]
fn a_destination_is_under_the_folder_shown_from_the_root_with_a_slash_and_keeps_the_name() {
    assert_eq!(
        destination("docs/", "docs/a.txt", "b.txt"),
        Ok("docs/b.txt".into())
    );
    assert_eq!(
        destination("docs/", "docs/a.txt", "old/"),
        Ok("docs/old/a.txt".into())
    );
    assert_eq!(
        destination("docs/", "docs/a.txt", "/x/y.txt"),
        Ok("x/y.txt".into())
    );
    assert_eq!(destination("docs/", "docs/a.txt", "/"), Ok("a.txt".into()));
    assert_eq!(destination("", "a.txt", " b "), Ok("b".into()));
    assert_eq!(
        destination("docs/", "docs/a.txt", "  "),
        Err("type where it goes")
    );
    assert_eq!(
        destination("docs/", "docs/a.txt", "a.txt"),
        Err("another key than its own")
    );
    assert_eq!(
        destination("", "a", "x/../b"),
        Err("a key without . or .. parts")
    );
    assert_eq!(
        destination("", "a", "b\u{7}"),
        Err("a name without control characters")
    );
    let long = "k".repeat(1025);
    assert_eq!(
        destination("", "a", &long),
        Err("a key of at most 1,024 bytes")
    );
    assert_eq!(
        destination("", "a", &"k".repeat(1024)),
        Ok("k".repeat(1024))
    );
}

#[test]
fn c_starts_with_the_object_s_name_and_copies_it_where_typed_its_row_in_place() {
    let mut app = writable();
    app.update(key('C'), at(2));
    assert_eq!(app.top(), Layer::CopyTo);
    assert_eq!(
        app.input,
        Some(Input::CopyTo {
            from: "a.txt".into(),
            text: "a.txt".into(),
            moving: false,
        }),
        "the prompt starts as its name, to be edited"
    );
    app.update(special(Key::Esc), at(2));
    assert_eq!(app.input, None);
    let fx = copy_to(&mut app, 'C', "c.txt");
    let [
        Effect::CopyObject {
            request,
            bucket,
            from,
            to,
            only_new: true,
            moving: false,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(
        (bucket.as_str(), from.as_str(), to.as_str()),
        ("demo-bucket", "a.txt", "c.txt")
    );
    assert_eq!(
        notice(&app),
        "copying s3://demo-bucket/a.txt to s3://demo-bucket/c.txt…"
    );
    let request = *request;
    assert_eq!(
        app.update(
            Msg::ObjectCopied {
                request: RequestId(request.0 + 100),
                result: Ok(copied(5, None))
            },
            at(4)
        ),
        [],
        "another request's answer changes nothing"
    );
    let fx = app.update(
        Msg::ObjectCopied {
            request,
            result: Ok(copied(5, None)),
        },
        at(4),
    );
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::ListPage { .. })),
        "no reload"
    );
    assert_eq!(
        app.listing.rows().visible_keys(),
        ["docs/", "a.txt", "b.txt", "c.txt"]
    );
    assert_eq!(
        notice(&app),
        "copied s3://demo-bucket/a.txt to s3://demo-bucket/c.txt"
    );
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        "copied s3://demo-bucket/a.txt to s3://demo-bucket/c.txt (signed with ASIA…WXYZ)"
    );
}

#[test]
fn r_moves_the_row_and_a_source_that_stays_is_said() {
    let mut app = writable();
    let fx = copy_to(&mut app, 'R', "z.txt");
    let [
        Effect::CopyObject {
            request,
            moving: true,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(
        notice(&app),
        "moving s3://demo-bucket/a.txt to s3://demo-bucket/z.txt…"
    );
    app.update(
        Msg::ObjectCopied {
            request: *request,
            result: Ok(copied(5, None)),
        },
        at(4),
    );
    assert_eq!(
        app.listing.rows().visible_keys(),
        ["docs/", "b.txt", "z.txt"]
    );
    assert_eq!(
        notice(&app),
        "moved s3://demo-bucket/a.txt to s3://demo-bucket/z.txt"
    );
    // The copy is stored but the source could not be deleted: both rows stay, said.
    assert_eq!(
        app.listing.selected().unwrap().key(),
        "b.txt",
        "the cursor stayed on its row"
    );
    let fx = copy_to(&mut app, 'R', "docs/");
    let [Effect::CopyObject { request, to, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(to, "docs/b.txt", "a folder keeps the name");
    let denied = tests::refused("no");
    app.update(
        Msg::ObjectCopied {
            request: *request,
            result: Ok(copied(5, Some(denied))),
        },
        at(6),
    );
    assert!(app.listing.rows().visible_keys().contains(&"b.txt"));
    assert!(
        notice(&app).starts_with(
            "copied s3://demo-bucket/b.txt to s3://demo-bucket/docs/b.txt, but the source is still there: AccessDenied"
        ),
        "{}",
        notice(&app)
    );
}

#[test]
fn an_existing_destination_is_asked_about_and_o_overwrites_it() {
    let mut app = writable();
    let fx = copy_to(&mut app, 'C', "b.txt");
    let [Effect::CopyObject { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    let exists = AwsFailure::from_service(Some("PreconditionFailed"), None, Some(412));
    app.update(
        Msg::ObjectCopied {
            request: *request,
            result: Err(exists.clone()),
        },
        at(4),
    );
    assert_eq!(app.input, Some(Input::ConfirmCopy));
    assert_eq!(app.top(), Layer::ConfirmCopy);
    let fx = app.update(key('o'), at(5));
    let [
        Effect::CopyObject {
            request,
            only_new: false,
            to,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(to, "b.txt");
    // Asked again, kept this time.
    app.update(
        Msg::ObjectCopied {
            request: *request,
            result: Err(exists),
        },
        at(6),
    );
    assert_eq!(app.update(key('n'), at(7)), []);
    assert_eq!(
        notice(&app),
        "kept s3://demo-bucket/b.txt; s3://demo-bucket/a.txt is where it was"
    );
    assert!(app.copies.current.is_none());
}

#[test]
fn what_the_policy_refuses_is_said_and_nothing_is_sent() {
    // The default session policy reads only.
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: tests::page(&["docs/"], &["a.txt"], None),
        },
        at(1),
    );
    app.update(key('j'), at(1));
    assert_eq!(copy_to(&mut app, 'C', "b.txt"), []);
    assert_eq!(
        notice(&app),
        "the session policy does not allow s3:PutObject on arn:aws:s3:::demo-bucket/b.txt; nothing was sent (T offers read-write templates)"
    );
    // On a folder, the folder it goes to is asked for.
    app.update(key('k'), at(2));
    assert_eq!(app.update(key('C'), at(2)), []);
    assert_eq!(
        app.input,
        Some(Input::CopyManyTo {
            text: String::new(),
            moving: false
        })
    );
    // Esc closes it.
    app.update(special(Key::Esc), at(2));
    assert_eq!(app.input, None);
    // With nothing under the cursor, what C does is said; and nothing typed.
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: tests::page(&[], &[], None),
        },
        at(1),
    );
    assert_eq!(app.update(key('C'), at(2)), []);
    assert_eq!(app.input, None);
    assert_eq!(
        notice(&app),
        "C copies the object under the cursor, the marked ones or a folder"
    );
    let mut app = writable();
    assert_eq!(copy_to(&mut app, 'R', ""), []);
    assert_eq!(notice(&app), "nothing moved: type where it goes");
}

#[test]
fn s3_refusing_the_copy_is_said_with_its_code_and_nothing_changes() {
    let mut app = writable();
    let fx = copy_to(&mut app, 'C', "c.txt");
    let [Effect::CopyObject { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::ObjectCopied {
            request: *request,
            result: Err(tests::refused("Access Denied")),
        },
        at(4),
    );
    assert!(
        notice(&app).starts_with("s3://demo-bucket/a.txt not copied: AccessDenied"),
        "{}",
        notice(&app)
    );
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        format!("{} (signed with ASIA…WXYZ)", notice(&app)),
        "a refusal goes in the history too"
    );
    assert_eq!(
        app.listing.rows().visible_keys(),
        ["docs/", "a.txt", "b.txt"]
    );
    // One at a time.
    let fx = copy_to(&mut app, 'C', "d.txt");
    assert_eq!(fx.len(), 1);
    let fx = copy_to(&mut app, 'C', "e.txt");
    assert_eq!(fx, []);
    assert_eq!(notice(&app), "a copy is on its way; wait for it");
}

#[test]
fn many_objects_go_to_a_folder_under_the_one_shown_or_from_the_root() {
    use super::batch::target_folder;
    assert_eq!(target_folder("docs/", "backup"), Ok("docs/backup/".into()));
    assert_eq!(target_folder("docs/", "backup/"), Ok("docs/backup/".into()));
    assert_eq!(target_folder("docs/", "/x"), Ok("x/".into()));
    assert_eq!(target_folder("docs/", "/"), Ok(String::new()));
    assert_eq!(target_folder("", " a "), Ok("a/".into()));
    assert_eq!(
        target_folder("docs/", ""),
        Err("type the folder they go to")
    );
    assert_eq!(
        target_folder("docs/", "a/../b"),
        Err("a folder without . or .. parts")
    );
    assert_eq!(
        target_folder("docs/", "a\u{1b}b"),
        Err("a name without control characters")
    );
}

/// The batch's effect after `y`: its request, and its pairs.
fn batch_sent(app: &mut App) -> (RequestId, Vec<(String, String)>, bool) {
    assert_eq!(app.top(), Layer::ConfirmCopyMany);
    let fx = app.update(key('y'), at(4));
    let [
        Effect::CopyObjects {
            request,
            pairs,
            moving,
            bucket,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(bucket, "demo-bucket");
    (*request, pairs.clone(), *moving)
}

#[test]
fn c_with_marks_copies_them_to_a_folder_after_a_yes_and_kept_ones_are_counted() {
    let mut app = writable(); // on a.txt
    app.update(key(' '), at(1));
    app.update(key(' '), at(1)); // a.txt and b.txt marked
    let fx = copy_to(&mut app, 'C', "backup");
    assert_eq!(fx, []);
    let batch = app.copies.batch_asking().expect("asked");
    assert_eq!(batch.what(), "2 objects (20 B)");
    assert_eq!(batch.target(), "s3://demo-bucket/backup/");
    // Any other key keeps them.
    app.update(key('n'), at(4));
    assert_eq!(notice(&app), "nothing copied to s3://demo-bucket/backup/");
    assert_eq!(app.copies.batch, None);
    copy_to(&mut app, 'C', "backup");
    let ctrl_y = Msg::KeyPressed(crate::keymap::KeyPress::ctrl('y'));
    assert_eq!(app.update(ctrl_y, at(4)), [], "Ctrl-y is not y");
    assert_eq!(app.copies.batch, None);
    copy_to(&mut app, 'C', "backup");
    let (request, pairs, moving) = batch_sent(&mut app);
    assert!(!moving);
    assert_eq!(
        pairs,
        [
            ("a.txt".to_string(), "backup/a.txt".to_string()),
            ("b.txt".to_string(), "backup/b.txt".to_string())
        ]
    );
    assert_eq!(
        notice(&app),
        "copying 2 objects (20 B) to s3://demo-bucket/backup/…"
    );
    app.update(Msg::CopiesProgressed { request }, at(5));
    assert_eq!(
        notice(&app),
        "copying to s3://demo-bucket/backup/: 1 of 2 objects…"
    );
    app.update(
        Msg::CopiesProgressed {
            request: RequestId(request.0 + 9),
        },
        at(5),
    );
    assert_eq!(
        notice(&app),
        "copying to s3://demo-bucket/backup/: 1 of 2 objects…",
        "another request's progress is not counted"
    );
    app.update(
        Msg::ObjectsCopied {
            request,
            result: Ok(vec![
                (
                    "b.txt".into(),
                    "backup/b.txt".into(),
                    Err(AwsFailure::from_service(
                        Some("PreconditionFailed"),
                        None,
                        Some(412),
                    )),
                ),
                ("a.txt".into(), "backup/a.txt".into(), Ok(copied(10, None))),
            ]),
        },
        at(6),
    );
    assert_eq!(
        notice(&app),
        "copied 1 object (10 B) to s3://demo-bucket/backup/; 1 object kept: their destination exists"
    );
    let rows = app.listing.rows().visible_keys();
    assert!(rows.contains(&"backup/"), "{rows:?}");
    assert!(rows.contains(&"a.txt"), "a copy keeps its source: {rows:?}");
    assert!(app.listing.marks.is_empty(), "the marks served");
    assert!(
        app.history
            .newest_first()
            .next()
            .unwrap()
            .text
            .starts_with("copied 1 object (10 B) to s3://demo-bucket/backup/")
    );
}

#[test]
fn a_batch_that_failed_whole_is_said_and_keeps_the_marks() {
    let mut app = writable(); // on a.txt
    app.update(key(' '), at(1));
    copy_to(&mut app, 'C', "backup");
    let (request, ..) = batch_sent(&mut app);
    app.update(
        Msg::ObjectsCopied {
            request,
            result: Ok(vec![(
                "a.txt".into(),
                "backup/a.txt".into(),
                Err(tests::refused("no")),
            )]),
        },
        at(6),
    );
    assert_eq!(
        notice(&app),
        "nothing copied to s3://demo-bucket/backup/; 1 object failed: s3://demo-bucket/a.txt: AccessDenied: no"
    );
    assert_eq!(app.notice.as_ref().unwrap().level, crate::app::Level::Error);
    assert!(
        app.listing.marks.contains("a.txt"),
        "nothing went: the marks stay"
    );
}

#[test]
fn r_on_a_folder_lists_it_then_moves_it_whole_and_a_source_left_behind_is_said() {
    let mut app = tests::writable(&["docs/"], &["a.txt"]); // the cursor on docs/
    let fx = copy_to(&mut app, 'R', "/archive/");
    let [
        Effect::ListUnder {
            request, prefix, ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(prefix, "docs/");
    app.update(
        Msg::ListedUnder {
            request: *request,
            result: Ok(vec![("docs/x".into(), 1), ("docs/sub/y".into(), 2)]),
        },
        at(4),
    );
    assert_eq!(
        app.copies.batch_asking().unwrap().target(),
        "s3://demo-bucket/archive/docs/"
    );
    let (request, pairs, moving) = batch_sent(&mut app);
    assert!(moving);
    assert_eq!(
        pairs,
        [
            ("docs/x".to_string(), "archive/docs/x".to_string()),
            ("docs/sub/y".to_string(), "archive/docs/sub/y".to_string())
        ]
    );
    app.update(
        Msg::ObjectsCopied {
            request,
            result: Ok(vec![
                (
                    "docs/x".into(),
                    "archive/docs/x".into(),
                    Ok(copied(1, None)),
                ),
                (
                    "docs/sub/y".into(),
                    "archive/docs/sub/y".into(),
                    Ok(copied(2, Some(tests::refused("no")))),
                ),
            ]),
        },
        at(6),
    );
    assert_eq!(
        notice(&app),
        "moved 2 objects (3 B) to s3://demo-bucket/archive/docs/; 1 object still where they were: s3://demo-bucket/docs/sub/y: AccessDenied: no"
    );
    assert_eq!(app.notice.as_ref().unwrap().level, crate::app::Level::Error);
    assert!(app.listing.rows().visible_keys().contains(&"archive/"));
}

#[test]
fn a_batch_the_policy_refuses_or_into_its_own_folder_sends_nothing() {
    let mut app = writable();
    app.update(key(' '), at(1));
    app.target.policy = crate::policy::SessionPolicy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::demo-bucket/*"},{"Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::demo-bucket/locked/*"}]}"#,
    )
    .unwrap();
    assert_eq!(copy_to(&mut app, 'C', "locked"), []);
    assert_eq!(
        notice(&app),
        "the session policy denies s3:PutObject on arn:aws:s3:::demo-bucket/locked/a.txt (statement 2); nothing was sent (T offers read-write templates)"
    );
    assert_eq!(app.input, None);
    // A move needs the sources' delete too.
    assert_eq!(copy_to(&mut app, 'R', "kept"), []);
    assert!(
        notice(&app).starts_with(
            "the session policy does not allow s3:DeleteObject on arn:aws:s3:::demo-bucket/a.txt"
        ),
        "{}",
        notice(&app)
    );
    // A folder into itself.
    let mut app = tests::writable(&["docs/"], &["a.txt"]);
    assert_eq!(copy_to(&mut app, 'C', "/docs/inner"), []);
    assert_eq!(
        notice(&app),
        "nothing copied: a folder outside the one they come from"
    );
}

#[test]
fn a_folder_moved_whole_leaves_the_listing_and_one_with_a_source_left_stays() {
    for (stayed, row_stays) in [(None, false), (Some(tests::refused("no")), true)] {
        let mut app = tests::writable(&["docs/"], &["a.txt"]); // the cursor on docs/
        let fx = copy_to(&mut app, 'R', "/archive/");
        let [Effect::ListUnder { request, .. }] = &fx[..] else {
            panic!("{fx:?}");
        };
        app.update(
            Msg::ListedUnder {
                request: *request,
                result: Ok(vec![("docs/x".into(), 1)]),
            },
            at(4),
        );
        let (request, ..) = batch_sent(&mut app);
        app.update(
            Msg::ObjectsCopied {
                request,
                result: Ok(vec![(
                    "docs/x".into(),
                    "archive/docs/x".into(),
                    Ok(copied(1, stayed)),
                )]),
            },
            at(6),
        );
        let rows = app.listing.rows().visible_keys();
        assert_eq!(rows.contains(&"docs/"), row_stays, "{rows:?}");
        assert!(rows.contains(&"archive/"), "{rows:?}");
    }
}

#[test]
fn an_empty_folder_is_said_the_listing_is_said_and_one_batch_goes_at_a_time() {
    let mut app = tests::writable(&["docs/"], &["a.txt"]); // the cursor on docs/
    let fx = copy_to(&mut app, 'R', "/archive/");
    let [Effect::ListUnder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(notice(&app), "listing s3://demo-bucket/docs/ to move it…");
    app.update(
        Msg::ListedUnder {
            request: *request,
            result: Ok(Vec::new()),
        },
        at(4),
    );
    assert_eq!(notice(&app), "nothing under s3://demo-bucket/docs/ to move");
    assert_eq!(app.copies.batch, None);
    assert_eq!(app.input, None);
    // A batch on its way: another waits, whether many or one.
    copy_to(&mut app, 'C', "/backup/");
    assert!(app.copies.batch.is_some());
    assert_eq!(copy_to(&mut app, 'C', "/other/"), []);
    assert_eq!(notice(&app), "a copy is on its way; wait for it");
    app.update(key('j'), at(5)); // on a.txt
    assert_eq!(copy_to(&mut app, 'C', "b.txt"), []);
    assert_eq!(notice(&app), "a copy is on its way; wait for it");
}

#[test]
fn x_stops_a_batch_the_copies_under_way_finish_and_those_not_made_are_counted() {
    let mut app = writable(); // on a.txt
    app.update(key(' '), at(1));
    app.update(key(' '), at(1));
    copy_to(&mut app, 'C', "backup");
    let (request, ..) = batch_sent(&mut app);
    let fx = app.update(key('x'), at(5));
    assert_eq!(fx, [Effect::StopBatch { request }]);
    assert_eq!(
        notice(&app),
        "stopping: the copies under way finish, no new one starts"
    );
    assert_eq!(app.update(key('x'), at(5)), [], "stopped once");
    app.update(
        Msg::ObjectsCopied {
            request,
            result: Ok(vec![(
                "a.txt".into(),
                "backup/a.txt".into(),
                Ok(copied(10, None)),
            )]),
        },
        at(6),
    );
    assert_eq!(
        notice(&app),
        "copied 1 object (10 B) to s3://demo-bucket/backup/; stopped: 1 object not copied"
    );
}

/// A writable app that sent a batch: `a.txt` marked, copied into `backup/`; its request.
fn a_batch_sent() -> (App, RequestId) {
    let mut app = writable();
    app.update(key(' '), at(1));
    copy_to(&mut app, 'C', "backup");
    let (request, ..) = batch_sent(&mut app);
    (app, request)
}

fn expired() -> AwsFailure {
    AwsFailure::new(
        crate::failure::ErrorKind::ExpiredToken,
        Some("ExpiredToken"),
        "expired",
    )
}

/// A stall of `request` with `failure`: its effects.
fn stalled(app: &mut App, request: RequestId, failure: AwsFailure) -> Vec<Effect> {
    app.update(Msg::WriteStalled { request, failure }, at(5))
}

/// New credentials arrive for the issue in `fx`: their effects.
fn credentials_for(app: &mut App, fx: &[Effect]) -> Vec<Effect> {
    let generation = tests::generation_of(fx);
    app.update(
        Msg::CredentialsIssued {
            generation,
            info: tests::info(crate::credentials::Mode::Federated, at(6), 3600),
        },
        at(6),
    )
}

#[test]
fn an_expired_token_mid_batch_issues_credentials_once_then_the_copies_go_on() {
    let mut app = writable();
    app.update(key(' '), at(1));
    app.update(key(' '), at(1));
    copy_to(&mut app, 'C', "backup");
    let (request, ..) = batch_sent(&mut app);
    assert_eq!(
        stalled(&mut app, RequestId(request.0 + 100), expired()),
        [],
        "another request's stall changes nothing"
    );
    let fx = stalled(&mut app, request, expired());
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::IssueCredentials { .. })),
        "{fx:?}"
    );
    assert!(!fx.contains(&Effect::ResumeWrite { request }), "not yet");
    assert_eq!(
        notice(&app),
        "ExpiredToken: expired: new credentials, then the copy goes on"
    );
    // The other copies under way stall too: the same word answers them, nothing more asked,
    // whatever their failure (a refusal is decided when it comes again, after the word).
    assert_eq!(stalled(&mut app, request, expired()), []);
    assert_eq!(
        stalled(&mut app, request, tests::refused("Access Denied")),
        []
    );
    let fx = credentials_for(&mut app, &fx);
    assert_eq!(
        fx.iter()
            .filter(|e| **e == Effect::ResumeWrite { request })
            .count(),
        1,
        "{fx:?}"
    );
    // Then the batch ends as any other.
    app.update(
        Msg::ObjectsCopied {
            request,
            result: Ok(vec![
                ("a.txt".into(), "backup/a.txt".into(), Ok(copied(10, None))),
                ("b.txt".into(), "backup/b.txt".into(), Ok(copied(10, None))),
            ]),
        },
        at(7),
    );
    assert!(
        notice(&app).starts_with("copied 2 objects (20 B) to "),
        "{}",
        notice(&app)
    );
    // Credentials after the end resume nothing.
    let fx = app.update(key('r'), at(8));
    let fx = credentials_for(&mut app, &fx);
    assert!(!fx.contains(&Effect::ResumeWrite { request }), "{fx:?}");
}

#[test]
fn a_refusal_no_credentials_change_gives_the_copy_up_at_once() {
    let mut app = writable(); // on a.txt
    let fx = copy_to(&mut app, 'C', "c.txt");
    let Some(Effect::CopyObject { request, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    let request = *request;
    let fx = stalled(&mut app, request, tests::refused("Access Denied"));
    assert_eq!(fx, [Effect::GiveUpWrite { request }]);
    // A single copy's expired token waits for credentials as a batch's does.
    let mut app = writable();
    let fx = copy_to(&mut app, 'C', "c.txt");
    let Some(Effect::CopyObject { request, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    let request = *request;
    let fx = stalled(&mut app, request, expired());
    let fx = credentials_for(&mut app, &fx);
    assert!(fx.contains(&Effect::ResumeWrite { request }), "{fx:?}");
}

#[test]
fn x_on_a_batch_waiting_for_credentials_gives_its_copies_up() {
    let (mut app, request) = a_batch_sent();
    stalled(&mut app, request, expired());
    let fx = app.update(key('x'), at(6));
    assert_eq!(
        fx,
        [
            Effect::StopBatch { request },
            Effect::GiveUpWrite { request }
        ]
    );
    // A batch not waiting only stops.
    let (mut app, request) = a_batch_sent();
    assert_eq!(app.update(key('x'), at(6)), [Effect::StopBatch { request }]);
}

#[test]
fn a_batch_answered_while_it_waited_asks_nothing_more_of_the_credentials() {
    let (mut app, request) = a_batch_sent();
    let fx = stalled(&mut app, request, expired());
    // The engine gave up by itself meanwhile: the batch is answered.
    app.update(
        Msg::ObjectsCopied {
            request,
            result: Ok(vec![(
                "a.txt".into(),
                "backup/a.txt".into(),
                Err(expired()),
            )]),
        },
        at(6),
    );
    let fx = credentials_for(&mut app, &fx);
    assert!(!fx.contains(&Effect::ResumeWrite { request }), "{fx:?}");
    // A stall heard after the end is nothing to decide.
    assert_eq!(stalled(&mut app, request, expired()), []);
}
