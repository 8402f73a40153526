//! The unfinished uploads in the model: predicted, listed, shown in an overlay (or none
//! said), aborted all after a `y`, each refusal said.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use crate::app::layers::Layer;
use crate::app::tests::{self, at, key, notice, running, special};
use crate::app::{App, Effect, Input, Msg, RequestId};
use crate::keymap::Key;
use crate::object::upload::Unfinished;

fn upload(key: &str, id: &str) -> Unfinished {
    Unfinished {
        key: key.into(),
        upload_id: id.into(),
        initiated: Some(at(0)),
    }
}

/// A writable app, `M` pressed and answered with `uploads`.
fn listed(uploads: Vec<Unfinished>) -> App {
    let mut app = tests::writable(&["docs/"], &["a.txt"]);
    let fx = app.update(key('M'), at(2));
    let [
        Effect::ListUnfinished {
            request,
            bucket,
            prefix,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!((bucket.as_str(), prefix.as_str()), ("demo-bucket", ""));
    assert_eq!(
        notice(&app),
        "listing the unfinished uploads under s3://demo-bucket/…"
    );
    let request = *request;
    assert_eq!(
        app.update(
            Msg::UnfinishedListed {
                request: RequestId(request.0 + 100),
                result: Ok(uploads.clone())
            },
            at(3)
        ),
        [],
        "another request's answer changes nothing"
    );
    assert_eq!(app.top(), Layer::Listing);
    app.update(
        Msg::UnfinishedListed {
            request,
            result: Ok(uploads),
        },
        at(3),
    );
    app
}

#[test]
fn m_lists_them_in_an_overlay_and_d_then_y_aborts_them_all() {
    let mut app = listed(vec![upload("big.iso", "id-1"), upload("docs/x", "id-2")]);
    assert_eq!(app.top(), Layer::Unfinished);
    assert_eq!(app.leftovers.shown().unwrap().uploads.len(), 2);
    // Movement scrolls; it stops at the last line.
    for _ in 0..5 {
        app.update(key('j'), at(4));
    }
    assert_eq!(app.leftovers.shown().unwrap().scroll, 1);
    app.update(key('k'), at(4));
    assert_eq!(app.leftovers.shown().unwrap().scroll, 0);
    app.update(key('G'), at(4));
    assert_eq!(app.leftovers.shown().unwrap().scroll, 1, "G: the last");
    app.update(key('g'), at(4));
    assert_eq!(app.leftovers.shown().unwrap().scroll, 0, "g: the first");
    app.update(key('D'), at(4));
    assert_eq!(app.input, Some(Input::ConfirmAbort));
    assert_eq!(app.top(), Layer::ConfirmAbort);
    // Any other key keeps them, and the overlay stays.
    assert_eq!(app.update(key('n'), at(5)), []);
    assert_eq!(
        notice(&app),
        "kept 2 unfinished uploads under s3://demo-bucket/"
    );
    assert_eq!(app.top(), Layer::Unfinished);
    app.update(key('D'), at(6));
    let fx = app.update(key('y'), at(6));
    let [
        Effect::AbortUploads {
            request, uploads, ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(
        uploads,
        &[
            ("big.iso".to_string(), "id-1".to_string()),
            ("docs/x".to_string(), "id-2".to_string())
        ]
    );
    assert_eq!(
        notice(&app),
        "aborting 2 unfinished uploads under s3://demo-bucket/…"
    );
    app.update(
        Msg::UploadsAborted {
            request: *request,
            refused: Vec::new(),
        },
        at(7),
    );
    assert_eq!(
        notice(&app),
        "aborted 2 unfinished uploads under s3://demo-bucket/"
    );
    assert_eq!(app.top(), Layer::Listing, "the overlay closed");
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        "aborted 2 unfinished uploads under s3://demo-bucket/ (signed with ASIA…WXYZ)"
    );
}

#[test]
fn none_is_said_and_esc_closes_the_overlay() {
    let app = listed(Vec::new());
    assert_eq!(app.top(), Layer::Listing);
    assert_eq!(
        notice(&app),
        "no unfinished multipart uploads under s3://demo-bucket/"
    );
    let mut app = listed(vec![upload("a", "1")]);
    app.update(special(Key::Esc), at(4));
    assert_eq!(app.top(), Layer::Listing);
    let mut app = listed(vec![upload("a", "1")]);
    app.update(key('M'), at(4));
    assert_eq!(app.top(), Layer::Listing, "M closes it too");
}

#[test]
fn each_refused_abort_is_named() {
    let mut app = listed(vec![upload("a", "1"), upload("b", "2"), upload("c", "3")]);
    app.update(key('D'), at(4));
    let fx = app.update(key('y'), at(4));
    let [Effect::AbortUploads { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::UploadsAborted {
            request: *request,
            refused: vec![
                ("b".into(), tests::refused("one")),
                ("c".into(), tests::refused("two")),
            ],
        },
        at(5),
    );
    assert_eq!(
        notice(&app),
        "aborted 1 of 3 unfinished uploads under s3://demo-bucket/; 2 refused: s3://demo-bucket/b: AccessDenied: one"
    );
    assert!(app.history.newest_first().next().unwrap().text.contains(
        "all refused: s3://demo-bucket/b: AccessDenied: one; s3://demo-bucket/c: AccessDenied: two"
    ));
}

#[test]
fn what_the_policy_refuses_is_said_and_nothing_is_sent() {
    // The default session policy reads only: it may not list multipart uploads.
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: tests::page(&[], &["a.txt"], None),
        },
        at(1),
    );
    assert_eq!(app.update(key('M'), at(2)), []);
    assert!(
        notice(&app).contains("s3:ListBucketMultipartUploads"),
        "{}",
        notice(&app)
    );
    assert!(notice(&app).ends_with("nothing was sent (T offers read-write templates)"));
    // A session that may list them but not abort them is told before anything is sent.
    let mut app = listed(vec![upload("a", "1")]);
    app.target.policy = crate::policy::SessionPolicy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucketMultipartUploads","Resource":"arn:aws:s3:::demo-bucket"}]}"#,
    )
    .unwrap();
    assert_eq!(app.update(key('D'), at(4)), []);
    assert_eq!(app.input, None);
    assert!(
        notice(&app).contains("s3:AbortMultipartUpload")
            && notice(&app).contains("(1 of 1 refused)"),
        "{}",
        notice(&app)
    );
}

#[test]
fn a_listing_s3_refuses_is_said_with_its_code() {
    let mut app = tests::writable(&[], &["a.txt"]);
    let fx = app.update(key('M'), at(2));
    let [Effect::ListUnfinished { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::UnfinishedListed {
            request: *request,
            result: Err(tests::refused("Access Denied")),
        },
        at(3),
    );
    assert!(
        notice(&app).starts_with(
            "the unfinished uploads under s3://demo-bucket/ were not listed: AccessDenied"
        ),
        "{}",
        notice(&app)
    );
    assert_eq!(app.top(), Layer::Listing);
}

#[test]
fn one_refused_abort_is_named_once() {
    let mut app = listed(vec![upload("a", "1"), upload("b", "2")]);
    app.update(key('D'), at(4));
    let fx = app.update(key('y'), at(4));
    let [Effect::AbortUploads { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::UploadsAborted {
            request: *request,
            refused: vec![("b".into(), tests::refused("one"))],
        },
        at(5),
    );
    assert_eq!(
        notice(&app),
        "aborted 1 of 2 unfinished uploads under s3://demo-bucket/; 1 refused: s3://demo-bucket/b: AccessDenied: one"
    );
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        format!("{} (signed with ASIA…WXYZ)", notice(&app)),
        "not listed a second time"
    );
}
