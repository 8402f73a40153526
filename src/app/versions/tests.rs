//! The versions view in the model: opened by `v` (predicted first), paged on demand, stale
//! answers dropped, a refused page issuing new credentials once, folders and the parent, the
//! object keys on a version, and `z` restoring a version or undeleting a key after a `y`.

use crate::app::layers::Layer;
use crate::app::tests::{at, key, notice, refused, special, writable};
use crate::app::{App, Effect, Input, Msg, ObjectFetch, RequestId};
use crate::bucket::{
    Etag, ObjectEntry, StorageClass, VersionCursor, VersionEntry, VersionPage, VersionRequest,
};
use crate::failure::{AwsFailure, ErrorKind};
use crate::keymap::Key;

fn version(key: &str, id: &str, latest: bool) -> VersionEntry {
    VersionEntry::version(
        ObjectEntry::new(key, 7, None, Etag::parse("\"e\""), StorageClass::Standard),
        id,
        latest,
    )
}

fn marker(key: &str, id: &str) -> VersionEntry {
    VersionEntry::marker(key, None, id, true)
}

fn vpage(prefixes: &[&str], versions: Vec<VersionEntry>, next: Option<&str>) -> VersionPage {
    VersionPage {
        prefixes: prefixes.iter().map(|p| (*p).to_string()).collect(),
        versions,
        next: next.map(|k| VersionCursor {
            key_marker: k.to_string(),
            version_id_marker: "m".into(),
        }),
    }
}

/// The versions page asked for in `fx`.
fn asked(fx: &[Effect]) -> Option<(RequestId, VersionRequest)> {
    fx.iter().find_map(|e| match e {
        Effect::ListVersions { request, page, .. } => Some((*request, page.clone())),
        _ => None,
    })
}

/// A running app that may list and restore versions (the read-write template), with the
/// versions view open on the root: the first page's request.
fn opened() -> (App, RequestId) {
    let mut app = writable(&["docs/"], &["a.txt"]);
    let fx = app.update(key('v'), at(2));
    let (request, page) = asked(&fx).expect("the first page is asked");
    assert_eq!(page.prefix, "");
    assert_eq!(page.from, None);
    assert!(page.folders);
    assert_eq!(app.top(), Layer::Versions);
    (app, request)
}

/// `docs/`, then `a.txt`: a delete marker over two versions, then `b.txt`'s one.
fn shown() -> App {
    let (mut app, request) = opened();
    let fx = app.update(
        Msg::VersionsListed {
            request,
            result: Ok(vpage(
                &["docs/"],
                vec![
                    marker("a.txt", "m1"),
                    version("a.txt", "v2", false),
                    version("a.txt", "v1", false),
                    version("b.txt", "b1", true),
                ],
                None,
            )),
        },
        at(3),
    );
    assert_eq!(asked(&fx), None, "every page is in");
    app
}

fn ids(app: &App) -> Vec<String> {
    use crate::app::versions::Row;
    app.versions
        .shown()
        .unwrap()
        .rows
        .iter()
        .map(|r| match r {
            Row::Folder(p) => p.clone(),
            Row::Version(v) => v.version_id.to_string(),
        })
        .collect()
}

#[test]
fn a_session_policy_that_may_not_list_versions_is_said_and_nothing_is_sent() {
    let (mut app, _) = crate::app::tests::running();
    let fx = app.update(key('v'), at(2));
    assert_eq!(asked(&fx), None);
    assert!(
        notice(&app).contains("does not allow s3:ListBucketVersions")
            && notice(&app).contains("nothing was sent"),
        "{}",
        notice(&app)
    );
    assert_eq!(app.top(), Layer::Listing);
}

#[test]
fn rows_come_in_key_order_with_folders_and_each_key_s_versions_newest_first() {
    let app = shown();
    // `docs/` sorts after the keys, by bytes.
    assert_eq!(ids(&app), ["m1", "v2", "v1", "b1", "docs/"]);
    let view = app.versions.shown().unwrap();
    assert_eq!(view.counts(), (3, 1));
    assert!(view.complete);
}

#[test]
fn a_short_first_page_asks_the_next_at_once() {
    let (mut app, request) = opened();
    let fx = app.update(
        Msg::VersionsListed {
            request,
            result: Ok(vpage(&[], vec![version("a", "1", true)], Some("a"))),
        },
        at(3),
    );
    let (_, page) = asked(&fx).expect("fewer rows than the lookahead: the next page");
    assert_eq!(page.from.unwrap().key_marker, "a");
}

/// The answer to `request`: 150 versions (`k000`..`k149`), more to come after them; its
/// effects.
fn a_page_of_150(app: &mut App, request: RequestId) -> Vec<Effect> {
    let many: Vec<VersionEntry> = (0..150)
        .map(|i| version(&format!("k{i:03}"), "v", true))
        .collect();
    app.update(
        Msg::VersionsListed {
            request,
            result: Ok(vpage(&[], many, Some("k149"))),
        },
        at(3),
    )
}

#[test]
fn pages_load_as_the_cursor_nears_the_end_and_stale_answers_are_dropped() {
    let (mut app, request) = opened();
    // A page of 150 rows: the cursor is far from its end, so no more is asked.
    let fx = a_page_of_150(&mut app, request);
    assert_eq!(asked(&fx), None, "on demand only");
    // A stale answer changes nothing.
    let _ = app.update(
        Msg::VersionsListed {
            request,
            result: Ok(vpage(&[], vec![version("zzz", "x", true)], None)),
        },
        at(3),
    );
    assert_eq!(app.versions.shown().unwrap().rows.len(), 150);
    // To the end: the next page is asked from where the last one stopped.
    let fx = app.update(special(Key::End), at(4));
    let (next, page) = asked(&fx).expect("the next page");
    assert_eq!(
        page.from,
        Some(VersionCursor {
            key_marker: "k149".into(),
            version_id_marker: "m".into()
        })
    );
    // Moving while it is on its way asks nothing more.
    assert_eq!(asked(&app.update(key('k'), at(4))), None);
    let _ = app.update(
        Msg::VersionsListed {
            request: next,
            result: Ok(vpage(&[], vec![version("k150", "v", true)], None)),
        },
        at(5),
    );
    let view = app.versions.shown().unwrap();
    assert_eq!((view.rows.len(), view.complete, view.pages), (151, true, 2));
    assert_eq!(asked(&app.update(special(Key::End), at(6))), None);
}

#[test]
fn an_expired_token_issues_new_credentials_once_and_the_page_asks_again() {
    let (mut app, request) = opened();
    let expired = AwsFailure::new(
        ErrorKind::ExpiredToken,
        Some("ExpiredToken"),
        "The provided token has expired.",
    );
    let fx = app.update(
        Msg::VersionsListed {
            request,
            result: Err(expired),
        },
        at(3),
    );
    let Some(Effect::IssueCredentials { generation, .. }) = fx
        .iter()
        .find(|e| matches!(e, Effect::IssueCredentials { .. }))
    else {
        panic!("new credentials: {fx:?}");
    };
    assert!(app.versions.shown().unwrap().page.failed().is_some());
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: *generation,
            info: crate::app::tests::info(crate::credentials::Mode::Federated, at(3), 3600),
        },
        at(3),
    );
    let (_, page) = asked(&fx).expect("asked again with the new credentials");
    assert_eq!(page.from, None);
}

#[test]
fn a_refused_page_says_which_statement_and_ctrl_r_asks_again() {
    let (mut app, request) = opened();
    let fx = app.update(
        Msg::VersionsListed {
            request,
            result: Err(refused("Access Denied")),
        },
        at(3),
    );
    assert_eq!(asked(&fx), None, "not asked again by itself");
    let failed = app.versions.shown().unwrap().page.failed().unwrap();
    assert_eq!(failed.failure.kind, ErrorKind::AccessDenied);
    let fx = app.update(Msg::KeyPressed(crate::keymap::KeyPress::ctrl('r')), at(4));
    assert!(asked(&fx).is_some(), "ctrl-r retries the page");
}

#[test]
fn enter_opens_a_folder_and_the_parent_goes_back_up() {
    let mut app = shown();
    let _ = app.update(special(Key::End), at(4));
    let fx = app.update(special(Key::Enter), at(4));
    let (_, page) = asked(&fx).expect("the folder's versions");
    assert_eq!(page.prefix, "docs/");
    assert_eq!(app.versions.shown().unwrap().folder, "docs/");
    let fx = app.update(special(Key::Backspace), at(5));
    assert_eq!(asked(&fx).unwrap().1.prefix, "");
    // Esc closes the view; the listing is as it was.
    let _ = app.update(special(Key::Esc), at(6));
    assert_eq!(app.top(), Layer::Listing);
    assert_eq!(app.listing.folder(), "");
}

#[test]
fn the_object_keys_act_on_the_version_selected() {
    let mut app = shown();
    let _ = app.update(key('j'), at(4)); // v2
    let fx = app.update(key('p'), at(4));
    assert!(
        fx.iter().any(|e| matches!(e,
            Effect::FetchObject { key, version: Some(v), what: ObjectFetch::Preview { .. }, .. }
                if key == "a.txt" && v == "v2")),
        "{fx:?}"
    );
    assert_eq!(app.top(), Layer::Object, "the preview over the versions");
    let _ = app.update(special(Key::Esc), at(5));
    assert_eq!(app.top(), Layer::Versions, "back to the versions");
    let fx = app.update(key('u'), at(5));
    assert!(
        fx.iter().any(|e| matches!(e,
            Effect::Presign { key, version: Some(v), .. } if key == "a.txt" && v == "v2")),
        "{fx:?}"
    );
    let _ = app.update(special(Key::Esc), at(5)); // the URL's popup
    assert_eq!(app.top(), Layer::Versions);
    let fx = app.update(special(Key::Enter), at(5));
    assert!(
        fx.iter().any(|e| matches!(e,
            Effect::FetchObject { key, version: Some(v), what: ObjectFetch::Detail, .. }
                if key == "a.txt" && v == "v2")),
        "Enter: the version's detail: {fx:?}"
    );
    let _ = app.update(special(Key::Esc), at(5));
    let fx = app.update(key('s'), at(5));
    assert!(
        matches!(fx.first(), Some(Effect::CheckDownloadTarget { .. })),
        "{fx:?}"
    );
    let download = app.object.download.as_ref().expect("a download");
    assert_eq!(
        (download.key.as_str(), download.version.as_deref()),
        ("a.txt", Some("v2"))
    );
    // A delete marker has nothing to show.
    let mut app = shown();
    let fx = app.update(special(Key::Enter), at(4));
    assert!(!fx.iter().any(|e| matches!(e, Effect::FetchObject { .. })));
    assert!(notice(&app).contains("a delete marker has no content"));
    assert_eq!(app.top(), Layer::Versions);
    let fx = app.update(key('p'), at(4));
    assert!(!fx.iter().any(|e| matches!(e, Effect::FetchObject { .. })));
    assert!(notice(&app).contains("a delete marker has no content"));
    // The listing's writes are not for this view.
    let _ = app.update(key('D'), at(4));
    assert!(notice(&app).contains("v goes back"), "{}", notice(&app));
    assert_eq!(app.input, None);
}

#[test]
fn z_on_an_older_version_asks_then_copies_it_over_the_key() {
    let mut app = shown();
    let _ = app.update(key('j'), at(4));
    let _ = app.update(key('j'), at(4)); // v1
    assert!(app.update(key('z'), at(4)).is_empty());
    assert_eq!(app.input, Some(Input::ConfirmRestore));
    // Any other key: nothing changes.
    let fx = app.update(key('n'), at(4));
    assert!(fx.is_empty());
    assert_eq!(notice(&app), "nothing was changed");
    let _ = app.update(key('z'), at(4));
    let fx = app.update(key('y'), at(5));
    assert_eq!(
        notice(&app),
        "make version v1 of s3://demo-bucket/a.txt current (a copy of it)…"
    );
    let Some(Effect::RestoreVersion {
        request,
        key: k,
        version,
        undelete,
        ..
    }) = fx.first()
    else {
        panic!("{fx:?}");
    };
    assert_eq!(
        (k.as_str(), version.as_str(), *undelete),
        ("a.txt", "v1", false)
    );
    // Done: said, in the history, and the versions listed again.
    let fx = app.update(
        Msg::VersionRestored {
            request: *request,
            result: Ok(()),
        },
        at(6),
    );
    assert!(asked(&fx).is_some(), "the versions again: {fx:?}");
    assert_eq!(
        notice(&app),
        "made version v1 of s3://demo-bucket/a.txt current"
    );
    assert!(
        app.history
            .newest_first()
            .any(|e| e.text.contains("made version v1"))
    );
}

#[test]
fn z_on_the_latest_version_or_a_folder_sends_nothing() {
    let mut app = shown();
    let _ = app.update(key('j'), at(4));
    let _ = app.update(key('j'), at(4));
    let _ = app.update(key('j'), at(4)); // b1, the latest
    assert!(app.update(key('z'), at(4)).is_empty());
    assert_eq!(notice(&app), "this is the current version already");
    let _ = app.update(key('j'), at(4)); // docs/
    assert!(app.update(key('z'), at(4)).is_empty());
    assert!(notice(&app).contains("works on a version"));
    assert_eq!(app.input, None);
}

#[test]
fn undelete_is_predicted_and_the_way_out_named() {
    // The read-write template does not delete versions for good.
    let mut app = shown();
    assert!(app.update(key('z'), at(4)).is_empty());
    assert!(
        notice(&app).contains("does not allow s3:DeleteObjectVersion")
            && notice(&app).contains("copies that one back instead"),
        "{}",
        notice(&app)
    );
    assert_eq!(app.input, None);
    // A policy that allows it: asked, then the marker goes, and the listing takes the key in.
    app.target.policy = crate::policy::SessionPolicy::parse(
        &serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
        ]})
        .to_string(),
    )
    .unwrap();
    let _ = app.update(key('z'), at(4));
    assert_eq!(app.input, Some(Input::ConfirmRestore));
    let fx = app.update(key('y'), at(5));
    let Some(Effect::RestoreVersion {
        request,
        version,
        undelete: true,
        ..
    }) = fx.first()
    else {
        panic!("{fx:?}");
    };
    assert_eq!(version, "m1");
    let request = *request;
    // The listing had only a.txt's row gone; the undelete brings it back in place.
    app.listing
        .take_written("demo-bucket", &["a.txt".into()], Vec::new());
    assert_eq!(app.listing.rows().row_of("a.txt"), None);
    let _ = app.update(
        Msg::VersionRestored {
            request,
            result: Ok(()),
        },
        at(6),
    );
    assert_eq!(notice(&app), "undeleted s3://demo-bucket/a.txt");
    let row = app
        .listing
        .rows()
        .row_of("a.txt")
        .expect("back in the listing");
    let Some(crate::app::listing::Entry::Object(o)) = app.listing.rows().visible_entry(row) else {
        panic!("an object");
    };
    assert_eq!(o.size, 7, "as the version under the marker, not the marker");
}

#[test]
fn a_refused_restore_is_said_with_the_failure() {
    let mut app = shown();
    let _ = app.update(key('j'), at(4));
    let _ = app.update(key('z'), at(4));
    let fx = app.update(key('y'), at(5));
    let Some(Effect::RestoreVersion { request, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    let request = *request;
    // A late answer for another request is dropped.
    let _ = app.update(
        Msg::VersionRestored {
            request: RequestId(9999),
            result: Ok(()),
        },
        at(6),
    );
    assert!(app.versions.shown().unwrap().restore.is_some());
    let _ = app.update(
        Msg::VersionRestored {
            request,
            result: Err(refused("Access Denied")),
        },
        at(6),
    );
    assert!(
        notice(&app).starts_with("could not make version v2 of s3://demo-bucket/a.txt current"),
        "{}",
        notice(&app)
    );
    assert!(app.versions.shown().unwrap().restore.is_none());
    assert!(
        app.history
            .newest_first()
            .any(|e| e.text.starts_with("could not make version v2")),
        "in the history too"
    );
}

#[test]
fn the_view_hides_when_another_bucket_is_shown() {
    let mut app = shown();
    app.listing.open_bucket("other-bucket", "");
    assert_eq!(app.top(), Layer::Listing);
}

#[test]
fn movement_keys_move_the_cursor_and_v_closes_the_view() {
    let mut app = shown();
    app.listing.set_height(2);
    let cursor = |app: &App| app.versions.shown().unwrap().cursor;
    let _ = app.update(special(Key::End), at(4));
    assert_eq!(cursor(&app), 4);
    let _ = app.update(key('k'), at(4));
    assert_eq!(cursor(&app), 3, "up");
    let _ = app.update(special(Key::PageUp), at(4));
    assert_eq!(cursor(&app), 1, "a page up");
    let _ = app.update(special(Key::PageDown), at(4));
    assert_eq!(cursor(&app), 3, "a page down");
    let _ = app.update(special(Key::Home), at(4));
    assert_eq!(cursor(&app), 0, "the top");
    let _ = app.update(key('v'), at(4));
    assert_eq!(app.top(), Layer::Listing);
    assert!(app.versions.shown().is_none());
}

/// A view of 150 rows with the cursor back at the top while page 2 is on its way: its
/// request.
fn second_page_asked() -> (App, RequestId) {
    let (mut app, request) = opened();
    let _ = a_page_of_150(&mut app, request);
    let fx = app.update(special(Key::End), at(4));
    let (second, _) = asked(&fx).unwrap();
    let _ = app.update(special(Key::Home), at(4));
    (app, second)
}

fn expired() -> AwsFailure {
    AwsFailure::new(
        ErrorKind::ExpiredToken,
        Some("ExpiredToken"),
        "The provided token has expired.",
    )
}

/// New credentials for the issue among `fx`: their effects.
fn issued(app: &mut App, fx: &[Effect], secs: i64) -> Vec<Effect> {
    let Some(Effect::IssueCredentials { generation, .. }) = fx
        .iter()
        .find(|e| matches!(e, Effect::IssueCredentials { .. }))
    else {
        panic!("no issue in {fx:?}");
    };
    app.update(
        Msg::CredentialsIssued {
            generation: *generation,
            info: crate::app::tests::info(crate::credentials::Mode::Federated, at(secs), 3600),
        },
        at(secs),
    )
}

#[test]
fn a_page_that_waits_for_credentials_asks_when_they_come_and_an_idle_one_does_not() {
    // Page 2 refused for an expired token, the cursor far from the end: it still asks.
    let (mut app, second) = second_page_asked();
    let fx = app.update(
        Msg::VersionsListed {
            request: second,
            result: Err(expired()),
        },
        at(5),
    );
    let fx = issued(&mut app, &fx, 6);
    let (_, page) = asked(&fx).expect("the failed page asks with the new credentials");
    assert_eq!(page.from.unwrap().key_marker, "k149");
    // An idle view far from its end asks nothing when credentials come.
    let (mut app, request) = opened();
    let _ = a_page_of_150(&mut app, request);
    let fx = app.update(key('r'), at(4));
    assert_eq!(asked(&issued(&mut app, &fx, 5)), None);
}

#[test]
fn r_after_the_refresh_was_used_lets_the_new_credentials_ask_again() {
    let (mut app, request) = opened();
    let fx = app.update(
        Msg::VersionsListed {
            request,
            result: Err(expired()),
        },
        at(3),
    );
    let fx = issued(&mut app, &fx, 4);
    let (again, _) = asked(&fx).unwrap();
    // Refused again: the one automatic refresh is used, the user decides.
    let fx = app.update(
        Msg::VersionsListed {
            request: again,
            result: Err(expired()),
        },
        at(5),
    );
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::IssueCredentials { .. })),
        "{fx:?}"
    );
    let fx = app.update(key('r'), at(6));
    assert!(
        asked(&issued(&mut app, &fx, 7)).is_some(),
        "r: the page asks again"
    );
}
