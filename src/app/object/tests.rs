//! Object actions through `update`: detail and preview with stale answers dropped and one
//! refresh on an expired token, the download's questions, stalls and resumes, presigned URLs
//! bounded by the session, sort orders, and the mouse.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use super::{Content, Outcome, ViewKind};
use crate::app::tests::{at, generation_of, info, key, list_request, page, running, special, t0};
use crate::app::{
    App, Area, Effect, Generation, Input, Keymap, Layout, MouseInput, Msg, ObjectFetch, RequestId,
    Settings,
};
use crate::bucket::{Etag, ListPage, ObjectEntry, StorageClass};
use crate::cli::Options;
use crate::credentials::Mode;
use crate::failure::{AwsFailure, ErrorKind};
use crate::keymap::Key;
use crate::object::ObjectDetail;
use chrono::TimeDelta;
use std::path::PathBuf;

fn expired() -> AwsFailure {
    AwsFailure::new(
        ErrorKind::ExpiredToken,
        Some("ExpiredToken"),
        "The provided token has expired.",
    )
}

fn cut() -> AwsFailure {
    AwsFailure::new(ErrorKind::Network, None, "connection reset")
}

/// A running app (federated, 1 h, page size 3) whose root shows `keys` (no folders, no more
/// pages), with `config` as the config file's text.
fn with_objects(config: &str, keys: &[&str]) -> App {
    let opts = Options {
        bucket: Some("demo-bucket".into()),
        user: Some("alice".into()),
        page_size: Some(3),
        ..Options::default()
    };
    let settings = Settings::resolve_text(&opts, config, "test.toml").unwrap();
    let (mut app, fx) = App::new(settings, Keymap::default(), t0());
    let generation = generation_of(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    let (request, _) = list_request(&fx);
    app.update(
        Msg::PageLoaded {
            request,
            page: page(&[], keys, None),
        },
        at(1),
    );
    app
}

fn fetch_of(effects: &[Effect]) -> (RequestId, Generation, String, ObjectFetch) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchObject {
                request,
                generation,
                key,
                what,
                ..
            } => Some((*request, *generation, key.clone(), *what)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a FetchObject effect in {effects:?}"))
}

fn detail(key: &str) -> Box<ObjectDetail> {
    Box::new(ObjectDetail {
        key: key.into(),
        size: 10,
        ..ObjectDetail::default()
    })
}

fn issues(effects: &[Effect]) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::IssueCredentials { .. }))
}

fn renew(app: &mut App, effects: &[Effect], secs: i64) -> Vec<Effect> {
    let generation = generation_of(effects);
    app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::Federated, at(secs), 3600),
        },
        at(secs),
    )
}

#[test]
fn enter_on_an_object_opens_its_detail_and_a_stale_answer_is_dropped() {
    let mut app = with_objects("", &["a.txt", "b.json", "c.bin"]);
    app.update(special(Key::Down), at(2));
    let fx = app.update(special(Key::Enter), at(2));
    let (first, generation, k, what) = fetch_of(&fx);
    assert_eq!(
        (k.as_str(), what, generation),
        ("b.json", ObjectFetch::Detail, Generation(1))
    );
    // Back to the listing, then the detail again: the first answer is now stale.
    app.update(special(Key::Esc), at(3));
    assert!(app.object.view.is_none());
    assert_eq!(app.listing.rows().cursor(), 1, "the cursor stays");
    let (second, ..) = fetch_of(&app.update(special(Key::Enter), at(4)));
    assert_ne!(first, second);
    app.update(
        Msg::DetailLoaded {
            request: first,
            detail: detail("stale"),
        },
        at(5),
    );
    let view = app.object.view.as_ref().unwrap();
    assert_eq!(view.content.got(), None, "the stale answer is dropped");
    assert_eq!(view.content.asking().map(|(r, _)| r), Some(second));
    app.update(
        Msg::DetailLoaded {
            request: second,
            detail: detail("b.json"),
        },
        at(5),
    );
    let view = app.object.view.as_ref().unwrap();
    assert_eq!(view.content.got(), Some(&Content::Detail(detail("b.json"))));
    assert_eq!(view.content.asking(), None);
    // Backspace (parent) also goes back, with the listing's pages intact.
    app.update(special(Key::Backspace), at(6));
    assert!(app.object.view.is_none());
    assert_eq!(app.listing.rows().len(), 3);
    assert_eq!(app.listing.prefix(), "", "⌫ left the view, not the folder");
}

#[test]
fn enter_on_a_folder_still_opens_the_folder() {
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: page(&["docs/"], &["a.txt"], None),
        },
        at(1),
    );
    let fx = app.update(special(Key::Enter), at(2));
    assert!(app.object.view.is_none());
    assert_eq!(list_request(&fx).1.prefix, "docs/");
}

#[test]
fn p_previews_the_configured_first_bytes_and_from_the_detail_too() {
    let mut app = with_objects("preview_bytes = 1000\n", &["a.txt"]);
    let (request, _, k, what) = fetch_of(&app.update(key('p'), at(2)));
    assert_eq!(
        (k.as_str(), what),
        ("a.txt", ObjectFetch::Preview { max_bytes: 1000 })
    );
    app.update(
        Msg::PreviewLoaded {
            request,
            bytes: b"hello\nworld\n".to_vec(),
            size: 12,
        },
        at(3),
    );
    assert_eq!(app.object.view.as_ref().unwrap().line_count(), 2);
    // From the detail, p switches to the preview of the same object.
    app.update(special(Key::Esc), at(4));
    app.update(special(Key::Enter), at(4));
    assert_eq!(app.object.view.as_ref().unwrap().kind, ViewKind::Detail);
    let (_, _, k, what) = fetch_of(&app.update(key('p'), at(5)));
    assert_eq!(
        (k.as_str(), what),
        ("a.txt", ObjectFetch::Preview { max_bytes: 1000 })
    );
    assert_eq!(app.object.view.as_ref().unwrap().kind, ViewKind::Preview);
    // w toggles wrapping.
    app.update(key('w'), at(6));
    assert!(app.object.view.as_ref().unwrap().wrap);
    app.update(key('w'), at(6));
    assert!(!app.object.view.as_ref().unwrap().wrap);
}

#[test]
fn a_preview_scrolls_within_its_lines() {
    let mut app = with_objects("", &["a.txt"]);
    app.lay_out(Layout {
        list_rows: 5,
        ..Layout::default()
    });
    let (request, ..) = fetch_of(&app.update(key('p'), at(2)));
    let text = (0..20)
        .map(|i| format!("line {i}"))
        .collect::<Vec<_>>()
        .join("\n");
    app.update(
        Msg::PreviewLoaded {
            request,
            bytes: text.into_bytes(),
            size: 200,
        },
        at(3),
    );
    let scroll = |app: &App| app.object.view.as_ref().unwrap().scroll;
    app.update(special(Key::Down), at(4));
    assert_eq!(scroll(&app), 1);
    app.update(special(Key::PageDown), at(4));
    assert_eq!(scroll(&app), 6);
    app.update(special(Key::End), at(4));
    assert_eq!(scroll(&app), 15, "the last screenful, not past it");
    app.update(special(Key::PageDown), at(4));
    assert_eq!(scroll(&app), 15);
    app.update(special(Key::Up), at(4));
    assert_eq!(scroll(&app), 14);
    app.update(special(Key::PageUp), at(4));
    assert_eq!(scroll(&app), 9);
    app.update(special(Key::Home), at(4));
    assert_eq!(scroll(&app), 0);
    app.update(special(Key::Up), at(4));
    assert_eq!(scroll(&app), 0);
}

#[test]
fn an_expired_token_on_a_view_is_refreshed_and_asked_again_once() {
    let mut app = with_objects("", &["a.txt"]);
    let (request, ..) = fetch_of(&app.update(special(Key::Enter), at(2)));
    let fx = app.update(
        Msg::ObjectFailed {
            request,
            failure: expired(),
        },
        at(3),
    );
    assert!(issues(&fx), "{fx:?}");
    let fx = renew(&mut app, &fx, 4);
    let (again, generation, ..) = fetch_of(&fx);
    assert_eq!(generation, Generation(2), "signed with the new credentials");
    // Expired again: shown, not a loop.
    let fx = app.update(
        Msg::ObjectFailed {
            request: again,
            failure: expired(),
        },
        at(5),
    );
    assert!(!issues(&fx), "one automatic refresh per view: {fx:?}");
    let view = app.object.view.as_ref().unwrap();
    assert_eq!(
        view.content.failed().unwrap().failure.kind,
        ErrorKind::ExpiredToken
    );
    // r refreshes and the view asks again with the new credentials.
    let fx = app.update(key('r'), at(6));
    assert!(issues(&fx));
    let (_, generation, ..) = fetch_of(&renew(&mut app, &fx, 7));
    assert_eq!(generation, Generation(3));
}

#[test]
fn access_denied_names_the_session_policy_when_it_lacks_get_object() {
    let mut app = with_objects("allow_get_object = false\n", &["a.txt"]);
    let (request, ..) = fetch_of(&app.update(key('p'), at(2)));
    let fx = app.update(
        Msg::ObjectFailed {
            request,
            failure: crate::app::tests::refused("Access Denied"),
        },
        at(3),
    );
    assert!(!issues(&fx), "a denial is not refreshed away");
    let failure = app
        .object
        .view
        .as_ref()
        .unwrap()
        .content
        .failed()
        .cloned()
        .unwrap();
    assert_eq!(failure.failure.code.as_deref(), Some("AccessDenied"));
    assert_eq!(
        failure.hint.as_deref(),
        Some("the session policy does not allow s3:GetObject on arn:aws:s3:::demo-bucket/a.txt")
    );
    assert_eq!(app.listing.rows().len(), 1, "the listing stays");

    // With GetObject allowed, the denial comes from elsewhere: no hint.
    let mut app = with_objects("allow_get_object = true\n", &["a.txt"]);
    let (request, ..) = fetch_of(&app.update(key('p'), at(2)));
    app.update(
        Msg::ObjectFailed {
            request,
            failure: crate::app::tests::refused("Access Denied"),
        },
        at(3),
    );
    let failure = app
        .object
        .view
        .as_ref()
        .unwrap()
        .content
        .failed()
        .cloned()
        .unwrap();
    assert_eq!(failure.hint, None);
}

fn check_of(effects: &[Effect]) -> (RequestId, PathBuf) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::CheckDownloadTarget { request, path } => Some((*request, path.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a CheckDownloadTarget in {effects:?}"))
}

fn download_of(effects: &[Effect]) -> (RequestId, Generation, PathBuf) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Download {
                request,
                generation,
                path,
                ..
            } => Some((*request, *generation, path.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a Download in {effects:?}"))
}

/// `s` on the first object, in `/dl`, with a file of that name already there or not.
fn start(app: &mut App, exists: bool) -> (RequestId, Vec<Effect>) {
    let (request, path) = check_of(&app.update(key('s'), at(2)));
    assert_eq!(path, PathBuf::from("/dl/a.txt"));
    let fx = app.update(
        Msg::DownloadTargetChecked {
            request,
            exists,
            keep_both: PathBuf::from("/dl/a (1).txt"),
        },
        at(2),
    );
    (request, fx)
}

const DL: &str = "download_dir = \"/dl\"\n";

#[test]
fn a_download_into_a_free_name_starts_at_once() {
    let mut app = with_objects(DL, &["a.txt"]);
    let (request, fx) = start(&mut app, false);
    assert_eq!(
        download_of(&fx),
        (request, Generation(1), PathBuf::from("/dl/a.txt"))
    );
    app.update(
        Msg::DownloadProgressed {
            request,
            received: 500,
            size: 1000,
        },
        at(4),
    );
    let status = app.object.download_status(at(4)).unwrap();
    assert!(
        status.starts_with("↓ a.txt 500 B of 1000 B (50%)"),
        "{status}"
    );
    assert!(status.ends_with("· x cancels"), "{status}");
    app.update(
        Msg::DownloadFinished {
            request,
            result: Ok(1000),
        },
        at(5),
    );
    assert_eq!(app.object.download, None);
    assert_eq!(
        app.object.outcome,
        Some(Outcome::Saved {
            path: PathBuf::from("/dl/a.txt"),
            bytes: 1000
        })
    );
    assert_eq!(app.notice.as_ref().unwrap().text, "saved /dl/a.txt");
}

#[test]
fn an_existing_file_is_asked_about_overwrite_keep_both_or_cancel() {
    // Keep both.
    let mut app = with_objects(DL, &["a.txt"]);
    let (request, fx) = start(&mut app, true);
    assert!(
        fx.is_empty(),
        "nothing is written before the answer: {fx:?}"
    );
    assert_eq!(app.input, Some(Input::Overwrite));
    // Another key keeps asking.
    assert!(app.update(key('z'), at(3)).is_empty());
    assert_eq!(app.input, Some(Input::Overwrite));
    let fx = app.update(key('k'), at(3));
    assert_eq!(download_of(&fx).2, PathBuf::from("/dl/a (1).txt"));
    assert_eq!(download_of(&fx).0, request);
    assert_eq!(app.input, None);

    // Overwrite.
    let mut app = with_objects(DL, &["a.txt"]);
    start(&mut app, true);
    let fx = app.update(key('o'), at(3));
    assert_eq!(download_of(&fx).2, PathBuf::from("/dl/a.txt"));

    // Cancel, with c or Esc: nothing runs.
    for k in [Key::Char('c'), Key::Esc] {
        let mut app = with_objects(DL, &["a.txt"]);
        start(&mut app, true);
        let fx = app.update(special(k), at(3));
        assert!(fx.is_empty(), "{fx:?}");
        assert_eq!(app.object.download, None);
        assert_eq!(
            app.object.outcome,
            Some(Outcome::Cancelled {
                key: "a.txt".into()
            })
        );
    }
}

#[test]
fn a_second_download_waits_for_the_first() {
    let mut app = with_objects(DL, &["a.txt", "b.txt"]);
    let (request, _) = start(&mut app, false);
    app.update(special(Key::Down), at(3));
    assert!(app.update(key('s'), at(3)).is_empty());
    assert_eq!(app.object.download.as_ref().unwrap().request, request);
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "a download is running; x cancels it"
    );
}

#[test]
fn x_and_esc_cancel_the_download_and_its_late_answers_are_dropped() {
    for k in [Key::Char('x'), Key::Esc] {
        let mut app = with_objects(DL, &["a.txt"]);
        let (request, _) = start(&mut app, false);
        let fx = app.update(special(k), at(3));
        assert_eq!(fx, vec![Effect::CancelDownload { request }]);
        assert_eq!(
            app.object.outcome,
            Some(Outcome::Cancelled {
                key: "a.txt".into()
            })
        );
        app.update(
            Msg::DownloadFinished {
                request,
                result: Ok(5),
            },
            at(4),
        );
        assert_eq!(
            app.object.outcome,
            Some(Outcome::Cancelled {
                key: "a.txt".into()
            }),
            "a late end of a cancelled download changes nothing"
        );
    }
}

#[test]
fn an_expired_token_mid_download_refreshes_then_resumes_and_gives_up_after_two() {
    let mut app = with_objects(DL, &["a.txt"]);
    let (request, _) = start(&mut app, false);
    let stall = |app: &mut App, secs| {
        app.update(
            Msg::DownloadStalled {
                request,
                failure: expired(),
            },
            at(secs),
        )
    };
    let fx = stall(&mut app, 10);
    assert!(issues(&fx));
    let status = app.object.download_status(at(10)).unwrap();
    assert!(
        status.contains("refreshing credentials, then resuming"),
        "{status}"
    );
    let fx = renew(&mut app, &fx, 11);
    assert!(fx.contains(&Effect::ResumeDownload { request }), "{fx:?}");
    assert_eq!(
        app.object.download.as_ref().unwrap().generation,
        Generation(2)
    );
    // Progress clears the stall.
    app.update(
        Msg::DownloadProgressed {
            request,
            received: 10,
            size: 100,
        },
        at(12),
    );
    assert!(
        !app.object
            .download_status(at(12))
            .unwrap()
            .contains("refreshing")
    );
    // The second refresh is allowed too...
    let fx = stall(&mut app, 20);
    assert!(issues(&fx));
    renew(&mut app, &fx, 21);
    // ...the third expiry gives up, says why and removes the .part.
    let fx = stall(&mut app, 30);
    assert_eq!(fx, vec![Effect::CancelDownload { request }]);
    match &app.object.outcome {
        Some(Outcome::Failed {
            key,
            message,
            refresh_may_help,
        }) => {
            assert_eq!(key, "a.txt");
            assert!(message.contains("ExpiredToken"), "{message}");
            assert!(refresh_may_help, "r is offered");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_download_signed_with_replaced_credentials_resumes_at_once() {
    let mut app = with_objects(DL, &["a.txt"]);
    let (request, _) = start(&mut app, false);
    // r: new credentials arrive while the body is streaming with the old ones.
    let fx = app.update(key('r'), at(5));
    renew(&mut app, &fx, 6);
    let fx = app.update(
        Msg::DownloadStalled {
            request,
            failure: expired(),
        },
        at(7),
    );
    assert_eq!(fx, vec![Effect::ResumeDownload { request }]);
    assert_eq!(
        app.object.download.as_ref().unwrap().generation,
        Generation(2)
    );
}

#[test]
fn a_cut_connection_resumes_after_a_backoff_without_a_refresh() {
    let mut app = with_objects(DL, &["a.txt"]);
    let (request, _) = start(&mut app, false);
    let fx = app.update(
        Msg::DownloadStalled {
            request,
            failure: cut(),
        },
        at(10),
    );
    assert!(fx.is_empty(), "{fx:?}");
    let at_ = app.object.retry_at().expect("a retry time");
    assert!(
        at_ > at(10) && at_ <= at(10) + TimeDelta::seconds(60),
        "{at_}"
    );
    assert!(app.next_deadline(at(10)) <= at_);
    assert!(
        app.object
            .download_status(at(10))
            .unwrap()
            .contains("resuming in"),
        "{:?}",
        app.object.download_status(at(10))
    );
    assert!(
        app.update(Msg::Tick, at_ - TimeDelta::milliseconds(1))
            .is_empty()
    );
    let fx = app.update(Msg::Tick, at_);
    assert_eq!(fx, vec![Effect::ResumeDownload { request }]);
    assert_eq!(app.object.retry_at(), None);
}

#[test]
fn a_denied_download_stops_with_the_policy_hint() {
    let mut app = with_objects(&format!("{DL}allow_get_object = false\n"), &["a.txt"]);
    let (request, _) = start(&mut app, false);
    let fx = app.update(
        Msg::DownloadStalled {
            request,
            failure: crate::app::tests::refused("Access Denied"),
        },
        at(3),
    );
    assert_eq!(fx, vec![Effect::CancelDownload { request }]);
    match &app.object.outcome {
        Some(Outcome::Failed {
            message,
            refresh_may_help,
            ..
        }) => {
            assert!(
                message.ends_with(
                    "; the session policy does not allow s3:GetObject on arn:aws:s3:::demo-bucket/a.txt"
                ),
                "{message}"
            );
            assert!(!refresh_may_help, "new credentials would not help");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(app.listing.rows().len(), 1, "the listing stays");
}

#[test]
fn a_failed_download_says_why() {
    let mut app = with_objects(DL, &["a.txt"]);
    let (request, _) = start(&mut app, false);
    app.update(
        Msg::DownloadFinished {
            request,
            result: Err("the object changed during the download".into()),
        },
        at(3),
    );
    assert_eq!(
        app.object.outcome,
        Some(Outcome::Failed {
            key: "a.txt".into(),
            message: "the object changed during the download".into(),
            refresh_may_help: false,
        })
    );
    // It concerns its key: it goes with Esc, or a reload (and another folder).
    app.update(special(Key::Esc), at(4));
    assert_eq!(app.object.outcome, None, "Esc");
    app.object.outcome = Some(Outcome::Failed {
        key: "a.txt".into(),
        message: "m".into(),
        refresh_may_help: false,
    });
    let fx = app.update(Msg::KeyPressed(crate::keymap::KeyPress::ctrl('r')), at(5));
    assert_eq!(app.object.outcome, None, "a reload");
    assert!(
        fx.iter().any(|e| matches!(e, Effect::ListPage { .. })),
        "{fx:?}"
    );
}

fn presign_of(effects: &[Effect]) -> (RequestId, u64) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Presign { request, secs, .. } => Some((*request, *secs)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a Presign in {effects:?}"))
}

#[test]
fn a_presigned_url_is_bounded_by_the_session_and_copied() {
    // presign_secs 3600 with 3,500 s of session left: the session's expiry bounds it.
    let mut app = with_objects("", &["a.txt"]);
    let (request, secs) = presign_of(&app.update(key('u'), at(100)));
    assert_eq!(secs, 3500);
    let p = app.object.presigned.as_ref().unwrap();
    assert!(p.validity.capped_by_session);
    assert_eq!(p.validity.until, at(3600));
    // A stale URL is dropped; the right one is shown and copied.
    assert!(
        app.update(
            Msg::Presigned {
                request: RequestId(request.0 + 100),
                url: "stale".into()
            },
            at(101)
        )
        .is_empty()
    );
    let fx = app.update(
        Msg::Presigned {
            request,
            url: "http://u".into(),
        },
        at(101),
    );
    assert_eq!(
        fx,
        vec![Effect::CopyToClipboard {
            text: "http://u".into()
        }]
    );
    assert_eq!(
        app.object
            .presigned
            .as_ref()
            .unwrap()
            .url
            .got()
            .map(String::as_str),
        Some("http://u")
    );
    // Any of Esc, Enter or q closes the popup; other keys do nothing under it.
    assert!(app.update(key('j'), at(102)).is_empty());
    assert!(app.object.presigned.is_some());
    app.update(special(Key::Esc), at(102));
    assert!(app.object.presigned.is_none());

    // Within the session: what was asked.
    let mut app = with_objects("presign_secs = 600\n", &["a.txt"]);
    let (_, secs) = presign_of(&app.update(key('u'), at(100)));
    assert_eq!(secs, 600);
    assert!(
        !app.object
            .presigned
            .as_ref()
            .unwrap()
            .validity
            .capped_by_session
    );
}

#[test]
fn no_url_is_signed_with_an_expired_session_and_a_list_only_policy_warns() {
    let mut app = with_objects("", &["a.txt"]);
    // (The planned refresh is overdue by then, so credentials are being issued.)
    let fx = app.update(key('u'), at(3600));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Presign { .. })),
        "{fx:?}"
    );
    assert!(app.object.presigned.is_none());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("the session has expired"),
        "{:?}",
        app.notice
    );

    let mut app = with_objects("allow_get_object = false\n", &["a.txt"]);
    app.update(key('u'), at(10));
    assert_eq!(
        app.object.presigned.as_ref().unwrap().warning.as_deref(),
        Some(
            "the session policy does not allow s3:GetObject on arn:aws:s3:::demo-bucket/a.txt; the URL will be refused"
        )
    );
}

fn entry(key: &str, size: u64, minute: i64) -> ObjectEntry {
    ObjectEntry::new(
        key,
        size,
        Some(t0() + TimeDelta::minutes(minute)),
        Etag::parse("\"e\""),
        StorageClass::Unknown,
    )
}

fn shown(app: &App) -> Vec<String> {
    let rows = app.listing.rows();
    (0..rows.visible_len())
        .map(|i| match rows.visible_entry(i).unwrap() {
            crate::app::listing::Entry::Folder(f) => f.to_string(),
            crate::app::listing::Entry::Object(o) => o.key.to_string(),
        })
        .collect()
}

#[test]
fn o_cycles_every_order_with_folders_first_and_merges_later_pages() {
    let (mut app, request) = running();
    let fx = app.update(
        Msg::PageLoaded {
            request,
            page: ListPage {
                prefixes: vec!["f/".into(), "g/".into()],
                objects: vec![entry("a", 30, 2), entry("b", 10, 3), entry("c", 20, 1)],
                next_token: Some("c".into()),
            },
        },
        at(1),
    );
    let (next, _) = list_request(&fx);
    let orders = [
        ("sorted by name ↓", vec!["g/", "f/", "c", "b", "a"]),
        ("sorted by size ↑", vec!["f/", "g/", "b", "c", "a"]),
        ("sorted by size ↓", vec!["f/", "g/", "a", "c", "b"]),
        ("sorted by last modified ↑", vec!["f/", "g/", "c", "a", "b"]),
        ("sorted by last modified ↓", vec!["f/", "g/", "b", "a", "c"]),
        ("sorted by name", vec!["f/", "g/", "a", "b", "c"]),
    ];
    for (notice, order) in orders {
        app.update(key('o'), at(2));
        assert_eq!(shown(&app), order, "{notice}");
        let text = &app.notice.as_ref().unwrap().text;
        assert!(text.starts_with(notice.trim_end_matches(" ↑")), "{text}");
        assert!(
            text.ends_with("the 3 loaded keys only; more available"),
            "{text}"
        );
    }
    // Size ↓, then the next page lands in order.
    app.update(key('o'), at(3));
    app.update(key('o'), at(3));
    app.update(key('o'), at(3));
    assert_eq!(app.listing.rows().sort().label(), "size ↓");
    app.update(
        Msg::PageLoaded {
            request: next,
            page: ListPage {
                prefixes: vec![],
                objects: vec![entry("d", 25, 0), entry("e", 5, 0)],
                next_token: None,
            },
        },
        at(4),
    );
    assert_eq!(shown(&app), ["f/", "g/", "a", "d", "c", "b", "e"]);
    app.update(key('o'), at(5));
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "sorted by last modified ↑"
    );
}

#[test]
fn the_cursor_follows_the_selected_object_when_the_order_changes() {
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: ListPage {
                prefixes: vec![],
                objects: vec![entry("a", 30, 2), entry("b", 10, 3), entry("c", 20, 1)],
                next_token: None,
            },
        },
        at(1),
    );
    app.update(special(Key::Down), at(2)); // b
    app.update(key('o'), at(2)); // name ↓: c b a
    assert_eq!(app.listing.rows().cursor(), 1);
    app.update(key('o'), at(2)); // size ↑: b c a
    assert_eq!(app.listing.rows().cursor(), 0);
    assert!(matches!(
        app.listing.selected(),
        Some(crate::app::listing::Entry::Object(o)) if &*o.key == "b"
    ));
}

/// The layout of a 80x24 screen: session and policy panes on top, the objects pane below
/// (its first row on screen line 12, 10 rows).
fn laid_out(app: &mut App) {
    app.lay_out(Layout {
        list_rows: 10,
        policy_rows: 8,
        session: Area {
            x: 0,
            y: 0,
            width: 40,
            height: 10,
        },
        policy: Area {
            x: 40,
            y: 0,
            width: 40,
            height: 10,
        },
        objects: Area {
            x: 0,
            y: 10,
            width: 80,
            height: 13,
        },
        first_row: 12,
    });
}

fn click(column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseInput::Click { column, row })
}

#[test]
fn a_click_selects_a_row_or_focuses_a_pane_and_a_double_click_opens() {
    let keys: Vec<String> = (0..30).map(|i| format!("k{i:02}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut app = with_objects("", &keys);
    laid_out(&mut app);
    assert!(app.update(click(5, 15), at(2)).is_empty());
    assert_eq!(app.listing.rows().cursor(), 3);
    assert!(app.object.view.is_none(), "one click selects only");
    // A click on the header line, or below the rows, selects nothing.
    app.update(click(5, 11), at(3));
    app.update(click(5, 22), at(3));
    assert_eq!(app.listing.rows().cursor(), 3);
    // A click in the policy pane focuses it.
    app.update(click(50, 3), at(4));
    assert_eq!(app.focus, crate::app::Focus::Policy);
    // Two clicks on the same row within 400 ms open it; slower ones do not.
    app.update(click(5, 16), at(5));
    app.update(click(5, 16), at(5) + TimeDelta::milliseconds(401));
    assert!(app.object.view.is_none());
    let fx = app.update(click(5, 16), at(5) + TimeDelta::milliseconds(700));
    assert_eq!(fetch_of(&fx).2, "k04");
    assert_eq!(app.focus, crate::app::Focus::Objects);
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let keys: Vec<String> = (0..30).map(|i| format!("k{i:02}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut app = with_objects("", &keys);
    laid_out(&mut app);
    app.update(
        Msg::Mouse(MouseInput::ScrollDown { column: 5, row: 14 }),
        at(2),
    );
    assert_eq!(app.listing.rows().cursor(), 3);
    app.update(
        Msg::Mouse(MouseInput::ScrollUp { column: 5, row: 14 }),
        at(2),
    );
    assert_eq!(app.listing.rows().cursor(), 0);
    // Over the policy pane, the policy scrolls and the listing does not.
    app.update(
        Msg::Mouse(MouseInput::ScrollDown { column: 50, row: 4 }),
        at(3),
    );
    assert_eq!(app.listing.rows().cursor(), 0);
    assert_eq!(app.policy.scroll, 3);
    assert_eq!(
        app.focus,
        crate::app::Focus::Objects,
        "the wheel does not move focus"
    );
    // Outside every pane (the footer line), nothing moves.
    app.update(
        Msg::Mouse(MouseInput::ScrollDown { column: 5, row: 23 }),
        at(4),
    );
    assert_eq!(app.listing.rows().cursor(), 0);
}

#[test]
fn mouse_off_in_the_config_is_read() {
    let app = with_objects("mouse = false\n", &["a"]);
    assert!(!app.config.mouse);
    let app = with_objects("", &["a"]);
    assert!(app.config.mouse, "on by default");
}

#[test]
fn browsing_and_mode_keys_keep_working_during_a_download() {
    let mut app = with_objects(DL, &["a.txt", "b.txt", "c.txt"]);
    let (request, _) = start(&mut app, false);
    app.update(special(Key::Down), at(3));
    assert_eq!(app.listing.rows().cursor(), 1);
    let fx = app.update(key('t'), at(4));
    assert!(issues(&fx), "the mode switch is asked for: {fx:?}");
    assert_eq!(
        app.object.download.as_ref().map(|d| d.request),
        Some(request),
        "the download goes on"
    );
    assert!(app.object.download_status(at(4)).is_some());
}

#[test]
fn the_mouse_is_ignored_under_help_a_prompt_or_the_url_popup() {
    let keys: Vec<String> = (0..30).map(|i| format!("k{i:02}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let wheel = Msg::Mouse(MouseInput::ScrollDown { column: 5, row: 14 });
    // Each alone is enough.
    let mut app = with_objects("", &keys);
    laid_out(&mut app);
    app.update(key('?'), at(2));
    app.update(click(5, 15), at(2));
    app.update(wheel.clone(), at(2));
    assert_eq!(app.listing.rows().cursor(), 0, "under the help");

    let mut app = with_objects("", &keys);
    laid_out(&mut app);
    app.update(key('/'), at(2));
    app.update(click(5, 15), at(2));
    app.update(wheel.clone(), at(2));
    assert_eq!(app.listing.rows().cursor(), 0, "while the filter is typed");

    let mut app = with_objects("", &keys);
    laid_out(&mut app);
    app.update(key('u'), at(2));
    assert!(app.object.presigned.is_some());
    app.update(click(5, 15), at(2));
    app.update(wheel, at(2));
    assert_eq!(app.listing.rows().cursor(), 0, "under the URL popup");
}

#[test]
fn with_an_object_view_open_the_wheel_scrolls_it_and_a_click_leaves_the_listing_be() {
    let keys: Vec<String> = (0..30).map(|i| format!("k{i:02}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut app = with_objects("", &keys);
    laid_out(&mut app);
    let (request, ..) = fetch_of(&app.update(key('p'), at(2)));
    let text = (0..40)
        .map(|i| format!("line {i}"))
        .collect::<Vec<_>>()
        .join("\n");
    app.update(
        Msg::PreviewLoaded {
            request,
            bytes: text.into_bytes(),
            size: 400,
        },
        at(3),
    );
    app.update(
        Msg::Mouse(MouseInput::ScrollDown { column: 5, row: 14 }),
        at(4),
    );
    assert_eq!(app.object.view.as_ref().unwrap().scroll, 3);
    assert_eq!(
        app.listing.rows().cursor(),
        0,
        "the listing underneath stays"
    );
    app.update(click(5, 16), at(5));
    assert_eq!(app.listing.rows().cursor(), 0);
    assert!(app.object.view.is_some());
}

#[test]
fn a_click_on_the_first_row_selects_it() {
    let keys: Vec<String> = (0..30).map(|i| format!("k{i:02}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut app = with_objects("", &keys);
    laid_out(&mut app);
    app.update(special(Key::Down), at(2));
    app.update(click(5, 12), at(3));
    assert_eq!(app.listing.rows().cursor(), 0);
    // The last row on screen (12 + 10 - 1), and not the border below it.
    app.update(click(5, 21), at(4));
    assert_eq!(app.listing.rows().cursor(), 9);
}

#[test]
fn an_area_holds_its_cells_and_not_its_edges_beyond() {
    let area = Area {
        x: 2,
        y: 10,
        width: 80,
        height: 13,
    };
    assert!(area.contains(2, 10));
    assert!(area.contains(81, 22));
    assert!(!area.contains(82, 15), "one past the right edge");
    assert!(!area.contains(5, 23), "one past the bottom edge");
    assert!(!area.contains(1, 15));
    assert!(!area.contains(5, 9));
}

#[test]
fn the_loop_wakes_often_while_a_view_loads_or_a_download_runs() {
    let soon = |app: &App, now| app.next_deadline(now) <= now + TimeDelta::milliseconds(100);
    let mut app = with_objects(DL, &["a.txt"]);
    assert!(!soon(&app, at(4)), "idle: the countdown's next second");
    app.update(key('p'), at(4));
    assert!(soon(&app, at(4)), "a preview on its way: the spinner turns");

    let mut app = with_objects(DL, &["a.txt"]);
    start(&mut app, false);
    assert!(
        soon(&app, at(4)),
        "a download runs: its rate and time left move"
    );
}

#[test]
fn keys_in_a_view_act_on_its_object() {
    let mut app = with_objects(DL, &["a.txt", "b.json"]);
    app.update(special(Key::Down), at(2));
    let (first, ..) = fetch_of(&app.update(special(Key::Enter), at(2)));
    // ctrl-r asks again.
    let fx = app.update(Msg::KeyPressed(crate::keymap::KeyPress::ctrl('r')), at(3));
    let (again, _, k, what) = fetch_of(&fx);
    assert_ne!(again, first);
    assert_eq!((k.as_str(), what), ("b.json", ObjectFetch::Detail));
    // s saves the viewed object; u signs a URL for it.
    let (_, path) = check_of(&app.update(key('s'), at(4)));
    assert_eq!(path, PathBuf::from("/dl/b.json"));
    app.update(key('u'), at(5));
    assert_eq!(app.object.presigned.as_ref().unwrap().key, "b.json");
    app.update(special(Key::Esc), at(5));
    // p in a preview does not fetch it again.
    app.update(key('p'), at(6));
    assert_eq!(app.object.view.as_ref().unwrap().kind, ViewKind::Preview);
    assert!(app.update(key('p'), at(6)).is_empty());
}

#[test]
fn only_access_denied_gets_the_policy_hint() {
    let mut app = with_objects("allow_get_object = false\n", &["a.txt"]);
    let (request, ..) = fetch_of(&app.update(key('p'), at(2)));
    app.update(
        Msg::ObjectFailed {
            request,
            failure: AwsFailure::new(ErrorKind::Server, Some("InternalError"), "oops"),
        },
        at(3),
    );
    assert_eq!(
        app.object
            .view
            .as_ref()
            .unwrap()
            .content
            .failed()
            .unwrap()
            .hint,
        None
    );
}

#[test]
fn access_denied_after_the_countdown_reached_zero_refreshes_the_view() {
    let mut app = with_objects("", &["a.txt"]);
    let (request, ..) = fetch_of(&app.update(key('p'), at(2)));
    app.update(
        Msg::ObjectFailed {
            request,
            failure: crate::app::tests::refused("Access Denied"),
        },
        at(3601),
    );
    let view = app.object.view.as_ref().unwrap();
    assert!(
        view.content.streak().refreshes == 1 && view.content.awaits_credentials(),
        "{view:?}"
    );
}

#[test]
fn a_view_signed_with_replaced_credentials_asks_again_at_once() {
    let mut app = with_objects("", &["a.txt"]);
    let (request, ..) = fetch_of(&app.update(key('p'), at(2)));
    let fx = app.update(key('r'), at(3));
    renew(&mut app, &fx, 4);
    let fx = app.update(
        Msg::ObjectFailed {
            request,
            failure: expired(),
        },
        at(5),
    );
    assert!(!issues(&fx), "no second refresh: {fx:?}");
    let (_, generation, ..) = fetch_of(&fx);
    assert_eq!(generation, Generation(2));
    assert_eq!(
        app.object.view.as_ref().unwrap().content.streak().refreshes,
        0,
        "no refresh was used"
    );
}

#[test]
fn cuts_in_a_row_back_off_longer_each_time() {
    let mut app = with_objects(DL, &["a.txt"]);
    let (request, _) = start(&mut app, false);
    let mut waits = Vec::new();
    let mut now = at(10);
    for _ in 0..3 {
        app.update(
            Msg::DownloadStalled {
                request,
                failure: cut(),
            },
            now,
        );
        let retry = app.object.retry_at().unwrap();
        waits.push(retry - now);
        now = retry;
        assert_eq!(
            app.update(Msg::Tick, now),
            vec![Effect::ResumeDownload { request }]
        );
    }
    assert!(waits[0] < waits[1] && waits[1] < waits[2], "{waits:?}");
    // Progress resets the count.
    app.update(
        Msg::DownloadProgressed {
            request,
            received: 1,
            size: 10,
        },
        now,
    );
    app.update(
        Msg::DownloadStalled {
            request,
            failure: cut(),
        },
        now,
    );
    assert_eq!(app.object.retry_at().unwrap() - now, waits[0]);
}

#[test]
fn a_failed_signing_shows_in_the_popup_and_a_stale_one_does_not() {
    let mut app = with_objects("", &["a.txt"]);
    let (request, _) = presign_of(&app.update(key('u'), at(10)));
    let failure = AwsFailure::new(ErrorKind::Other, None, "cannot sign");
    app.update(
        Msg::ObjectFailed {
            request: RequestId(request.0 + 50),
            failure: failure.clone(),
        },
        at(11),
    );
    assert_eq!(app.object.presigned.as_ref().unwrap().url.failed(), None);
    app.update(
        Msg::ObjectFailed {
            request,
            failure: failure.clone(),
        },
        at(11),
    );
    assert_eq!(
        app.object
            .presigned
            .as_ref()
            .unwrap()
            .url
            .failed()
            .map(|f| &f.failure),
        Some(&failure)
    );
}

/// Opens a picker or an overlay.
type Open = fn(&mut App);

#[test]
fn the_mouse_leaves_the_listing_alone_under_every_picker_and_overlay() {
    let keys: Vec<String> = (0..30).map(|i| format!("k{i:02}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let opens: [(&str, Open); 5] = [
        ("access check", |app| {
            app.update(key('A'), at(2));
        }),
        ("history", |app| {
            app.update(key('L'), at(2));
        }),
        ("buckets", |app| {
            app.update(key('b'), at(2));
        }),
        ("profiles", |app| {
            app.config.profile_files.config = "[profile p]\nregion = x\n".into();
            app.update(key('P'), at(2));
        }),
        ("regions", |app| {
            app.update(Msg::KeyPressed(crate::keymap::KeyPress::ctrl('g')), at(2));
        }),
    ];
    for (what, open) in opens {
        let mut app = with_objects("", &keys);
        laid_out(&mut app);
        open(&mut app);
        let scroll = Msg::Mouse(MouseInput::ScrollDown { column: 5, row: 15 });
        assert!(app.update(scroll, at(3)).is_empty(), "{what}");
        assert!(app.update(click(5, 15), at(3)).is_empty(), "{what}");
        assert_eq!(app.listing.rows().cursor(), 0, "{what}");
    }
}

#[test]
fn y_copies_the_s3_uri_and_shift_y_the_arn_of_the_entry() {
    let mut app = with_objects("", &["a b.txt", "c.txt"]);
    let copied = |fx: Vec<Effect>| match fx.as_slice() {
        [Effect::CopyToClipboard { text }] => text.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        copied(app.update(key('y'), at(2))),
        "s3://demo-bucket/a b.txt",
        "the key exactly, as the AWS CLI takes it"
    );
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("copied s3://demo-bucket/a b.txt (OSC 52)")
    );
    app.update(key('j'), at(3));
    assert_eq!(
        copied(app.update(key('Y'), at(4))),
        "arn:aws:s3:::demo-bucket/c.txt"
    );
    // With an object's view open, its object.
    app.update(key('k'), at(5));
    app.update(special(Key::Enter), at(6));
    app.update(key('j'), at(7)); // scrolls the view, the object stays
    assert_eq!(
        copied(app.update(key('y'), at(8))),
        "s3://demo-bucket/a b.txt"
    );
}

#[test]
fn a_failed_save_goes_when_another_folder_opens() {
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: page(&["docs/"], &["a.txt"], None),
        },
        at(1),
    );
    app.object.outcome = Some(Outcome::Failed {
        key: "a.txt".into(),
        message: "m".into(),
        refresh_may_help: false,
    });
    app.update(special(Key::Enter), at(2));
    assert_eq!(app.listing.prefix(), "docs/");
    assert_eq!(app.object.outcome, None);
}
