//! The bucket's versioning in the model: asked once per bucket when a page arrives and the
//! session policy allows it, stale and failed answers, and what the delete prompt and the
//! title read of it.

use crate::app::tests::{self, at, list_request, page, running};
use crate::app::{App, Effect, Msg, RequestId};
use crate::bucket::Versioning;

/// A page of the root arrives for the listing's request in `fx`: its effects.
fn page_arrives(app: &mut App, fx: &[Effect], secs: i64) -> Vec<Effect> {
    let (request, _) = list_request(fx);
    app.update(
        Msg::PageLoaded {
            request,
            page: page(&[], &["a.txt"], None),
        },
        at(secs),
    )
}

fn asked(fx: &[Effect]) -> Option<(RequestId, String)> {
    fx.iter().find_map(|e| match e {
        Effect::ReadVersioning {
            request, bucket, ..
        } => Some((*request, bucket.clone())),
        _ => None,
    })
}

/// A running app whose session policy may ask (the read-write template); the first page's
/// effects.
fn may_ask() -> (App, Vec<Effect>) {
    let (mut app, request) = running();
    app.target.policy =
        crate::policy::templates::by_name("read-write", app.listing.bucket(), "").unwrap();
    app.target.policy_from_file = true;
    let fx = app.update(
        Msg::PageLoaded {
            request,
            page: page(&[], &["a.txt"], None),
        },
        at(1),
    );
    (app, fx)
}

#[test]
fn the_first_page_asks_once_and_the_answer_is_kept_for_the_bucket() {
    let (mut app, fx) = may_ask();
    let (request, bucket) = asked(&fx).expect("asked with the first page");
    assert_eq!(bucket, "demo-bucket");
    assert_eq!(app.versioning.of("demo-bucket"), Versioning::Unknown);
    // Another page while asking, and after: not asked again.
    let reload = app.reload(at(2));
    assert_eq!(asked(&page_arrives(&mut app, &reload, 2)), None);
    let _ = app.update(
        Msg::VersioningRead {
            request,
            result: Ok(Versioning::Enabled),
        },
        at(3),
    );
    assert_eq!(app.versioning.of("demo-bucket"), Versioning::Enabled);
    assert_eq!(app.versioning.of("other"), Versioning::Unknown);
    let reload = app.reload(at(4));
    assert_eq!(asked(&page_arrives(&mut app, &reload, 4)), None);
}

#[test]
fn a_policy_that_does_not_allow_it_sends_nothing_until_one_does() {
    // The default session policy lists and reads only.
    let (mut app, request) = running();
    let fx = app.update(
        Msg::PageLoaded {
            request,
            page: page(&[], &["a.txt"], None),
        },
        at(1),
    );
    assert_eq!(asked(&fx), None);
    assert_eq!(app.versioning.of("demo-bucket"), Versioning::Unknown);
    // The lab attaches a policy that allows it: the next page asks.
    app.target.policy =
        crate::policy::templates::by_name("read-write", app.listing.bucket(), "").unwrap();
    app.target.policy_from_file = true;
    let reload = app.reload(at(2));
    assert!(asked(&page_arrives(&mut app, &reload, 2)).is_some());
}

#[test]
fn a_refusal_is_unknown_and_a_stale_answer_is_dropped() {
    let (mut app, fx) = may_ask();
    let (request, _) = asked(&fx).unwrap();
    let _ = app.update(
        Msg::VersioningRead {
            request: RequestId(request.0 + 100),
            result: Ok(Versioning::Enabled),
        },
        at(2),
    );
    assert_eq!(
        app.versioning.of("demo-bucket"),
        Versioning::Unknown,
        "stale"
    );
    let _ = app.update(
        Msg::VersioningRead {
            request,
            result: Err(tests::refused("Access Denied")),
        },
        at(3),
    );
    assert_eq!(app.versioning.of("demo-bucket"), Versioning::Unknown);
    // Answered (refused): not asked again for this bucket.
    let reload = app.reload(at(4));
    assert_eq!(asked(&page_arrives(&mut app, &reload, 4)), None);
}

#[test]
fn another_bucket_is_asked_about_and_an_answer_for_the_last_one_is_dropped() {
    let (mut app, fx) = may_ask();
    let (first, _) = asked(&fx).unwrap();
    let open = app.open_bucket("other", at(2));
    app.target.policy = crate::policy::templates::by_name("read-write", "other", "").unwrap();
    let fx = page_arrives(&mut app, &open, 3);
    let (second, bucket) = asked(&fx).expect("the new bucket is asked about");
    assert_eq!(bucket, "other");
    let _ = app.update(
        Msg::VersioningRead {
            request: first,
            result: Ok(Versioning::Enabled),
        },
        at(4),
    );
    assert_eq!(app.versioning.of("demo-bucket"), Versioning::Unknown);
    assert_eq!(app.versioning.of("other"), Versioning::Unknown);
    let _ = app.update(
        Msg::VersioningRead {
            request: second,
            result: Ok(Versioning::Suspended),
        },
        at(5),
    );
    assert_eq!(app.versioning.of("other"), Versioning::Suspended);
}
