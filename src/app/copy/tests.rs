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
    // A folder, or nothing typed, is said too.
    app.update(key('k'), at(2));
    assert_eq!(app.update(key('C'), at(2)), []);
    assert_eq!(app.input, None);
    assert!(notice(&app).starts_with("C copies the object under the cursor"));
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
