//! Regions through `update`: a redirect naming the bucket's region switches S3 there once and
//! asks for the page again; the picker changes the base region and re-issues.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use crate::app::tests::{at, generation_of, key, list_request, running, special};
use crate::app::{App, Effect, Msg};
use crate::failure::{AwsFailure, ErrorKind};
use crate::keymap::{Key, KeyPress};

fn redirect(region: &str) -> AwsFailure {
    let mut f = AwsFailure::new(
        ErrorKind::Redirected,
        Some("PermanentRedirect"),
        "S3 redirected to region eu-central-1",
    );
    f.status = Some(301);
    f.region = Some(region.to_string());
    f
}

#[test]
fn a_redirect_switches_s3_to_the_buckets_region_once_and_retries() {
    let (mut app, request) = running();
    let fx = app.update(
        Msg::PageFailed {
            request,
            failure: redirect("eu-central-1"),
        },
        at(1),
    );
    assert_eq!(
        fx[0],
        Effect::SetS3Region {
            region: Some("eu-central-1".into())
        }
    );
    let (retry, page) = list_request(&fx);
    assert_eq!(page.bucket, "demo-bucket");
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "bucket demo-bucket is in eu-central-1; switched"
    );
    assert_eq!(app.s3_region().as_deref(), Some("eu-central-1"));
    // The same region again: no loop; the failure stays, for the user.
    let fx = app.update(
        Msg::PageFailed {
            request: retry,
            failure: redirect("eu-central-1"),
        },
        at(2),
    );
    assert!(
        fx.iter().all(|e| !matches!(e, Effect::SetS3Region { .. })),
        "{fx:?}"
    );
    assert!(
        fx.iter().all(|e| !matches!(e, Effect::ListPage { .. })),
        "{fx:?}"
    );
    assert!(app.listing.error().is_some());
}

#[test]
fn a_server_naming_region_after_region_is_followed_once_then_shown() {
    // us-east-1 → eu-west-1 → eu-west-2 → …: one switch, then the failure in place, and one
    // history line however often it is said.
    let (mut app, request) = running();
    let fx = app.update(
        Msg::PageFailed {
            request,
            failure: redirect("eu-west-1"),
        },
        at(1),
    );
    let (retry, _) = list_request(&fx);
    let fx = app.update(
        Msg::PageFailed {
            request: retry,
            failure: redirect("eu-west-2"),
        },
        at(2),
    );
    assert!(
        fx.iter()
            .all(|e| !matches!(e, Effect::SetS3Region { .. } | Effect::ListPage { .. })),
        "{fx:?}"
    );
    assert_eq!(
        app.s3_region().as_deref(),
        Some("eu-west-1"),
        "not followed"
    );
    let error = app.listing.error().expect("shown in place");
    assert_eq!(error.failed.failure.region.as_deref(), Some("eu-west-2"));
    let switches = app
        .history
        .newest_first()
        .filter(|e| e.text.contains("switched"))
        .count();
    assert_eq!(switches, 1);
}

#[test]
fn the_region_picker_moves_sts_and_s3_and_re_issues() {
    let (mut app, _) = running();
    app.update(Msg::KeyPressed(KeyPress::ctrl('g')), at(1));
    assert!(app.regions.is_some());
    for c in "eu-c".chars() {
        app.update(key(c), at(1));
    }
    assert_eq!(
        app.regions.as_ref().unwrap().choices(),
        ["eu-central-1", "eu-central-2"]
    );
    app.update(special(Key::Down), at(1));
    let fx = app.update(special(Key::Enter), at(2));
    assert!(app.regions.is_none());
    assert_eq!(app.target.base.region.as_deref(), Some("eu-central-2"));
    assert_eq!(fx[0], Effect::SetS3Region { region: None });
    match &fx[1] {
        Effect::SetBases { bases } => assert!(
            bases
                .iter()
                .all(|(_, b)| b.region.as_deref() == Some("eu-central-2"))
        ),
        other => panic!("{other:?}"),
    }
    generation_of(&fx);
    // A typed name that is no region is refused; a plausible one is used.
    app.update(Msg::KeyPressed(KeyPress::ctrl('g')), at(3));
    for c in "Not A Region".chars() {
        app.update(key(c), at(3));
    }
    assert!(app.update(special(Key::Enter), at(3)).is_empty());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("is not a region name")
    );
    app.update(special(Key::Esc), at(3));
    app.update(Msg::KeyPressed(KeyPress::ctrl('g')), at(4));
    for c in "local-1".chars() {
        app.update(key(c), at(4));
    }
    app.update(special(Key::Enter), at(4));
    assert_eq!(app.target.base.region.as_deref(), Some("local-1"));
    let _: &App = &app;
}
