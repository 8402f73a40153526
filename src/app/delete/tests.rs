//! Deleting in the model: predicted by the policy, asked, sent, answered (the listing
//! reloads), refused (said with why), kept on any other key, and only one object at a time.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use crate::app::layers::Layer;
use crate::app::tests::{self, at, key, page, running};
use crate::app::{App, Effect, Input, Msg, RequestId};
use crate::failure::{AwsFailure, ErrorKind};

/// A running app whose root shows a folder and two keys, with a session that may write.
fn writable() -> App {
    let mut app = tests::writable(&["docs/"], &["a.txt", "b.txt"]);
    app.update(key('j'), at(1)); // on a.txt
    app
}

fn notice(app: &App) -> &str {
    &app.notice.as_ref().unwrap().text
}

#[test]
fn d_asks_first_and_any_other_key_keeps_the_object() {
    let mut app = writable();
    assert_eq!(app.update(key('D'), at(2)), []);
    assert_eq!(app.input, Some(Input::ConfirmDelete));
    assert_eq!(app.top(), Layer::ConfirmDelete);
    assert_eq!(app.deletes.asking(), Some("a.txt"));
    assert_eq!(app.update(key('n'), at(3)), []);
    assert_eq!(app.input, None);
    assert_eq!(notice(&app), "kept s3://demo-bucket/a.txt");
    assert_eq!(app.deletes.asking(), None);
}

#[test]
fn y_deletes_and_the_listing_reloads() {
    let mut app = writable();
    app.update(key('D'), at(2));
    let fx = app.update(key('y'), at(3));
    let [
        Effect::DeleteObject {
            request,
            bucket,
            key: k,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!((bucket.as_str(), k.as_str()), ("demo-bucket", "a.txt"));
    assert_eq!(notice(&app), "deleting s3://demo-bucket/a.txt…");
    let request = *request;
    assert_eq!(
        app.update(
            Msg::ObjectDeleted {
                request: RequestId(request.0 + 100),
                result: Ok(())
            },
            at(4)
        ),
        [],
        "another request's answer changes nothing"
    );
    let fx = app.update(
        Msg::ObjectDeleted {
            request,
            result: Ok(()),
        },
        at(4),
    );
    assert!(
        fx.iter().any(|e| matches!(e, Effect::ListPage { .. })),
        "reloaded: {fx:?}"
    );
    assert_eq!(notice(&app), "deleted s3://demo-bucket/a.txt");
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        "deleted s3://demo-bucket/a.txt"
    );
}

#[test]
fn a_refusal_is_said_with_its_code_and_nothing_reloads() {
    let mut app = writable();
    app.update(key('D'), at(2));
    let fx = app.update(key('y'), at(3));
    let Effect::DeleteObject { request, .. } = fx[0] else {
        panic!()
    };
    let denied = AwsFailure::new(ErrorKind::AccessDenied, Some("AccessDenied"), "denied");
    let fx = app.update(
        Msg::ObjectDeleted {
            request,
            result: Err(denied),
        },
        at(4),
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::ListPage { .. })));
    assert!(
        notice(&app).starts_with("s3://demo-bucket/a.txt not deleted: AccessDenied"),
        "{}",
        notice(&app)
    );
}

#[test]
fn what_the_policy_refuses_or_is_no_object_is_said_and_never_asked() {
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: page(&["docs/"], &["a.txt"], None),
        },
        at(1),
    );
    // The cursor on the folder.
    app.update(key('D'), at(2));
    assert!(
        notice(&app).starts_with("D deletes one object"),
        "{}",
        notice(&app)
    );
    app.update(key('j'), at(2));
    // The default session policy reads only.
    assert_eq!(app.update(key('D'), at(3)), []);
    assert_eq!(app.input, None);
    assert_eq!(
        notice(&app),
        "the session policy does not allow s3:DeleteObject on arn:aws:s3:::demo-bucket/a.txt; nothing was sent (T offers read-write templates)"
    );
}

#[test]
fn one_deletion_at_a_time() {
    let mut app = writable();
    app.update(key('D'), at(2));
    app.update(key('y'), at(3));
    app.update(key('j'), at(4));
    assert_eq!(app.update(key('D'), at(5)), []);
    assert_eq!(notice(&app), "a deletion is on its way; wait for it");
    assert_eq!(app.input, None);
}
