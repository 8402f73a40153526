//! `z` on an archived object in the model: the tier asked for with each wait, the restore
//! sent with it, predicted by the session policy, and S3's answer said.

use crate::app::tests::{at, key, notice, running};
use crate::app::{App, Effect, Input, Msg, RequestId};
use crate::aws::RestoreAsked;
use crate::bucket::{Etag, ListPage, ObjectEntry, StorageClass};
use crate::object::archive::Tier;

/// A running app whose root lists `cold.csv` (GLACIER), `deep.csv` (DEEP_ARCHIVE) and
/// `warm.csv` (STANDARD), as a session that may restore (`read-write`) when `may`.
fn listed(may: bool) -> App {
    let (mut app, request) = running();
    let object = |key: &str, class| ObjectEntry::new(key, 3, None, Etag::parse("\"e\""), class);
    let _ = app.update(
        Msg::PageLoaded {
            request,
            page: ListPage {
                prefixes: Vec::new(),
                objects: vec![
                    object("cold.csv", StorageClass::Glacier),
                    object("deep.csv", StorageClass::DeepArchive),
                    object("warm.csv", StorageClass::Standard),
                ],
                next_token: None,
            },
        },
        at(1),
    );
    if may {
        app.target.policy =
            crate::policy::templates::by_name("read-write", app.listing.bucket(), "").unwrap();
        app.target.policy_from_file = true;
    }
    app
}

fn sent(fx: &[Effect]) -> Option<(RequestId, String, u32, Tier)> {
    fx.iter().find_map(|e| match e {
        Effect::RestoreObject {
            request,
            key,
            days,
            tier,
            ..
        } => Some((*request, key.clone(), *days, *tier)),
        _ => None,
    })
}

#[test]
fn z_asks_the_tier_and_the_restore_goes_with_it() {
    let mut app = listed(true);
    assert!(app.update(key('z'), at(2)).is_empty());
    assert_eq!(app.input, Some(Input::ConfirmUnarchive));
    let fx = app.update(key('b'), at(2));
    let (request, k, days, tier) = sent(&fx).expect("the restore");
    assert_eq!((k.as_str(), days, tier), ("cold.csv", 7, Tier::Bulk));
    assert!(
        notice(&app).contains("Bulk, usually 5-12 hours"),
        "{}",
        notice(&app)
    );
    // A late answer to another request is dropped.
    let _ = app.update(
        Msg::RestoreAnswered {
            request: RequestId(9999),
            result: Ok(RestoreAsked::Started),
        },
        at(3),
    );
    assert!(app.unarchive.current.is_some());
    let _ = app.update(
        Msg::RestoreAnswered {
            request,
            result: Ok(RestoreAsked::Started),
        },
        at(3),
    );
    assert_eq!(
        notice(&app),
        "restore asked: s3://demo-bucket/cold.csv, Bulk: usually 5-12 hours, then readable for 7 days"
    );
    assert!(app.unarchive.current.is_none());
    assert!(app.history.newest_first().any(|e| {
        e.text
            .starts_with("restore asked: s3://demo-bucket/cold.csv")
    }));
}

#[test]
fn the_days_are_the_configs() {
    let mut app = listed(true);
    app.config.objects.restore_days = 3;
    let _ = app.update(key('z'), at(2));
    let (request, _, days, _) = sent(&app.update(key('s'), at(2))).unwrap();
    assert_eq!(days, 3);
    let _ = app.update(
        Msg::RestoreAnswered {
            request,
            result: Ok(RestoreAsked::Started),
        },
        at(3),
    );
    assert!(
        notice(&app).ends_with("then readable for 3 days"),
        "{}",
        notice(&app)
    );
}

#[test]
fn deep_archive_offers_no_expedited_tier_and_another_key_asks_nothing() {
    let mut app = listed(true);
    let _ = app.update(key('j'), at(2)); // deep.csv
    let _ = app.update(key('z'), at(2));
    let asked = app.unarchive.asking().unwrap();
    let offered: Vec<char> = crate::app::unarchive::Unarchive::offered(asked)
        .iter()
        .map(|(k, ..)| *k)
        .collect();
    assert_eq!(offered, ['s', 'b']);
    let fx = app.update(key('e'), at(2));
    assert_eq!(sent(&fx), None);
    assert_eq!(notice(&app), "nothing was asked of S3");
    assert!(app.unarchive.current.is_none());
    // A tier's letter with ctrl or alt is not that tier.
    for press in [
        crate::keymap::KeyPress::ctrl('s'),
        crate::keymap::KeyPress {
            key: crate::keymap::Key::Char('s'),
            ctrl: false,
            alt: true,
        },
    ] {
        let _ = app.update(key('z'), at(2));
        assert_eq!(sent(&app.update(Msg::KeyPressed(press), at(2))), None);
        assert_eq!(notice(&app), "nothing was asked of S3");
    }
    // Standard is there.
    let _ = app.update(key('z'), at(2));
    let (_, k, _, tier) = sent(&app.update(key('s'), at(2))).unwrap();
    assert_eq!((k.as_str(), tier), ("deep.csv", Tier::Standard));
}

#[test]
fn nothing_is_asked_of_an_object_that_is_not_archived_or_when_the_policy_refuses() {
    let mut app = listed(true);
    let _ = app.update(key('j'), at(2));
    let _ = app.update(key('j'), at(2)); // warm.csv
    assert!(app.update(key('z'), at(2)).is_empty());
    assert_eq!(
        notice(&app),
        "s3://demo-bucket/warm.csv is in STANDARD, not archived: nothing to restore"
    );
    assert_eq!(app.input, None);
    // The default policy reads only.
    let mut app = listed(false);
    assert!(app.update(key('z'), at(2)).is_empty());
    assert!(
        notice(&app).contains("does not allow s3:RestoreObject")
            && notice(&app).contains("nothing was sent"),
        "{}",
        notice(&app)
    );
    assert_eq!(app.input, None);
}

#[test]
fn a_restore_in_progress_or_refused_is_said() {
    for (result, said) in [
        (
            Ok(RestoreAsked::InProgress),
            "a restore of s3://demo-bucket/cold.csv was asked for already: it is in progress",
        ),
        (
            Err(crate::app::tests::refused("Access Denied")),
            "the restore of s3://demo-bucket/cold.csv was not asked: ",
        ),
    ] {
        let mut app = listed(true);
        let _ = app.update(key('z'), at(2));
        let (request, ..) = sent(&app.update(key('e'), at(2))).unwrap();
        let _ = app.update(Msg::RestoreAnswered { request, result }, at(3));
        assert!(notice(&app).starts_with(said), "{}", notice(&app));
    }
}

#[test]
fn dollar_agrees_to_pay_for_reads_and_asks_the_listing_again_then_takes_it_back() {
    let mut app = listed(true);
    assert_eq!(app.payer, crate::app::Payer::Owner);
    let fx = app.update(key('$'), at(2));
    assert_eq!(fx.first(), Some(&Effect::ChargeRequester { on: true }));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::ListPage { .. })),
        "the listing again: {fx:?}"
    );
    assert_eq!(app.payer, crate::app::Payer::Requester);
    assert!(
        notice(&app).starts_with("reads now agree to pay"),
        "{}",
        notice(&app)
    );
    let fx = app.update(key('$'), at(3));
    assert_eq!(fx.first(), Some(&Effect::ChargeRequester { on: false }));
    assert_eq!(app.payer, crate::app::Payer::Owner);
    assert_eq!(notice(&app), "reads no longer agree to pay for themselves");
}

#[test]
fn a_read_refused_for_an_archive_or_a_customer_key_says_the_way_on() {
    let cases = [
        (
            crate::failure::AwsFailure::from_service(
                Some("InvalidObjectState"),
                Some("The operation is not valid for the object's storage class"),
                Some(403),
            ),
            "the object is archived: it cannot be read until it is restored; z asks S3 for a readable copy",
        ),
        (
            crate::failure::AwsFailure::from_service(
                Some("InvalidArgument"),
                Some(
                    "Requests specifying Server Side Encryption with Customer provided keys must provide the customer key.",
                ),
                Some(400),
            ),
            "the object is encrypted with a customer-provided key (SSE-C); K gives its key (typed or @FILE)",
        ),
    ];
    for (failure, said) in cases {
        let mut app = listed(true);
        let fx = app.update(key('p'), at(2));
        let Some(Effect::FetchObject { request, .. }) = fx.first() else {
            panic!("{fx:?}");
        };
        let _ = app.update(
            Msg::ObjectFailed {
                request: *request,
                failure,
            },
            at(3),
        );
        let view = app.object.view.as_ref().unwrap();
        let failed = view.content.failed().expect("failed in place");
        assert_eq!(failed.hint.as_deref(), Some(said));
    }
}
