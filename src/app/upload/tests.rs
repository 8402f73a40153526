//! Putting a file in the model: the path typed (Tab asks for completion), predicted by the
//! policy, sent with If-None-Match, an existing key asked about, its row taken in (no reload).
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use crate::app::layers::Layer;
use crate::app::tests::{self, at, key, notice, page, running, special};
use crate::app::{App, Effect, Input, Msg, RequestId};
use crate::failure::{AwsFailure, ErrorKind};
use crate::keymap::Key;
use crate::object::upload::Landed;

/// A running app in `docs/` (listed whole: `docs/a.txt`, `docs/z.txt`), with a session that
/// may write.
fn writable() -> App {
    let mut app = tests::writable(&["docs/"], &["a.txt"]);
    let fx = app.update(special(Key::Enter), at(1)); // into docs/
    let (request, _) = tests::list_request(&fx);
    app.update(
        Msg::PageLoaded {
            request,
            page: page(&[], &["docs/a.txt", "docs/z.txt"], None),
        },
        at(1),
    );
    app
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c), at(2));
    }
}

/// `U`, the path, Enter: the Upload effect's request.
fn put(app: &mut App, path: &str) -> RequestId {
    app.config.objects.part_size = 16 * 1024 * 1024;
    app.update(key('U'), at(2));
    typed(app, path);
    let fx = app.update(special(Key::Enter), at(3));
    match &fx[..] {
        [
            Effect::Upload {
                request,
                key,
                path: p,
                only_new: true,
                part_size,
                ..
            },
        ] => {
            assert_eq!((key.as_str(), p.as_str()), ("docs/r.pdf", path));
            // The config's part_size_mib, as sts3 put's.
            assert_eq!(*part_size, 16 * 1024 * 1024);
            *request
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn u_asks_for_a_path_tab_asks_for_completion_and_esc_cancels() {
    let mut app = writable();
    app.update(key('U'), at(2));
    assert_eq!(app.top(), Layer::UploadPath);
    typed(&mut app, "~/re");
    assert_eq!(
        app.update(special(Key::Tab), at(2)),
        [Effect::CompletePath {
            text: "~/re".into()
        }]
    );
    app.update(
        Msg::PathCompleted {
            text: "~/reports/".into(),
        },
        at(2),
    );
    assert_eq!(
        app.input,
        Some(Input::Upload {
            text: "~/reports/".into()
        })
    );
    app.update(special(Key::Backspace), at(2));
    for modified in [
        crate::keymap::KeyPress::ctrl('x'),
        crate::keymap::KeyPress {
            key: Key::Char('y'),
            ctrl: false,
            alt: true,
        },
    ] {
        app.update(Msg::KeyPressed(modified), at(2));
    }
    assert_eq!(
        app.input,
        Some(Input::Upload {
            text: "~/reports".into()
        }),
        "ctrl and alt keys are not text"
    );
    app.update(special(Key::Esc), at(2));
    assert_eq!(app.input, None);
    assert_eq!(app.top(), Layer::Listing);
}

#[test]
fn a_file_goes_into_the_folder_shown_and_its_row_comes_in_place() {
    let mut app = writable();
    let request = put(&mut app, "/tmp/r.pdf");
    assert_eq!(
        notice(&app),
        "putting /tmp/r.pdf as s3://demo-bucket/docs/r.pdf…"
    );
    let fx = app.update(
        Msg::Uploaded {
            request,
            result: Ok(Landed {
                size: 42,
                etag: Some("\"9a0364b9e99bb480dd25e1f0284c8555\"".into()),
            }),
        },
        at(4),
    );
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::ListPage { .. })),
        "no reload: {fx:?}"
    );
    assert_eq!(
        app.listing.rows().visible_keys(),
        ["docs/a.txt", "docs/r.pdf", "docs/z.txt"]
    );
    let Some(crate::app::listing::Entry::Object(r)) = app.listing.rows().visible_entry(1) else {
        panic!("an object row");
    };
    assert_eq!(r.size, 42);
    assert_eq!(r.etag.to_string(), "\"9a0364b9e99bb480dd25e1f0284c8555\"");
    assert_eq!(
        r.last_modified(),
        Some(app.session.server_now(at(4))),
        "written now, on the server's clock"
    );
    assert_eq!(
        notice(&app),
        "put /tmp/r.pdf as s3://demo-bucket/docs/r.pdf (42 bytes)"
    );
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        "put /tmp/r.pdf as s3://demo-bucket/docs/r.pdf (42 bytes) (signed with ASIA…WXYZ)",
        "and listed, with the credentials that signed it"
    );
    assert!(app.uploads.current.is_none());
}

#[test]
fn an_existing_key_is_asked_about_and_o_overwrites_it() {
    let mut app = writable();
    let request = put(&mut app, "/tmp/r.pdf");
    let exists = AwsFailure::from_service(Some("PreconditionFailed"), None, Some(412));
    app.update(
        Msg::Uploaded {
            request,
            result: Err(exists.clone()),
        },
        at(4),
    );
    assert_eq!(app.top(), Layer::ConfirmPut);
    assert_eq!(app.uploads.exists(), Some("docs/r.pdf"));
    let fx = app.update(key('o'), at(5));
    let [
        Effect::Upload {
            request,
            only_new: false,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    // And asked again, kept this time.
    app.update(
        Msg::Uploaded {
            request: *request,
            result: Err(exists),
        },
        at(6),
    );
    assert_eq!(app.update(key('n'), at(7)), []);
    assert_eq!(notice(&app), "kept s3://demo-bucket/docs/r.pdf");
}

#[test]
fn a_refusal_or_a_failure_is_said_and_nothing_reloads() {
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: page(&[], &["a.txt"], None),
        },
        at(1),
    );
    app.update(key('U'), at(2));
    typed(&mut app, "/tmp/r.pdf");
    assert_eq!(app.update(special(Key::Enter), at(3)), []);
    assert_eq!(
        notice(&app),
        "the session policy does not allow s3:PutObject on arn:aws:s3:::demo-bucket/r.pdf; nothing was sent (T offers read-write templates)"
    );
    let mut app = writable();
    for folder in ["/tmp/", "/tmp/.", ".."] {
        app.update(key('U'), at(2));
        typed(&mut app, folder);
        assert_eq!(app.update(special(Key::Enter), at(3)), [], "{folder}");
        assert_eq!(
            notice(&app),
            "U puts one file: type its path (a folder: sts3 put)"
        );
    }
    let request = put(&mut app, "/tmp/r.pdf");
    let fx = app.update(
        Msg::Uploaded {
            request,
            result: Err(AwsFailure::new(
                ErrorKind::Other,
                None,
                "cannot read /tmp/r.pdf",
            )),
        },
        at(4),
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::ListPage { .. })));
    assert_eq!(
        notice(&app),
        "/tmp/r.pdf not put: Other: cannot read /tmp/r.pdf"
    );
}

fn expired() -> AwsFailure {
    AwsFailure::new(ErrorKind::ExpiredToken, Some("ExpiredToken"), "expired")
}

#[test]
fn an_expired_token_mid_upload_issues_credentials_then_the_upload_goes_on() {
    let mut app = writable();
    let request = put(&mut app, "/tmp/r.pdf");
    let fx = app.update(
        Msg::UploadStalled {
            request: RequestId(request.0 + 100),
            failure: expired(),
        },
        at(4),
    );
    assert_eq!(fx, [], "another request's stall changes nothing");
    let fx = app.update(
        Msg::UploadStalled {
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
        !fx.contains(&Effect::ResumeUpload { request }),
        "not before the credentials"
    );
    assert_eq!(
        notice(&app),
        "ExpiredToken: expired: new credentials, then the upload goes on"
    );
    let generation = tests::generation_of(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation,
            info: tests::info(crate::credentials::Mode::Federated, at(5), 3600),
        },
        at(5),
    );
    assert!(fx.contains(&Effect::ResumeUpload { request }), "{fx:?}");
    // The upload then lands as any other.
    app.update(
        Msg::Uploaded {
            request,
            result: Ok(Landed {
                size: 9,
                etag: None,
            }),
        },
        at(6),
    );
    assert_eq!(
        notice(&app),
        "put /tmp/r.pdf as s3://demo-bucket/docs/r.pdf (9 bytes)"
    );
}

#[test]
fn a_refusal_new_credentials_cannot_help_gives_the_upload_up() {
    let mut app = writable();
    let request = put(&mut app, "/tmp/r.pdf");
    let denied = tests::refused("no");
    let fx = app.update(
        Msg::UploadStalled {
            request,
            failure: denied.clone(),
        },
        at(4),
    );
    assert_eq!(fx, [Effect::GiveUpUpload { request }]);
    // The engine aborts it and answers with why.
    app.update(
        Msg::Uploaded {
            request,
            result: Err(denied),
        },
        at(5),
    );
    assert_eq!(notice(&app), "/tmp/r.pdf not put: AccessDenied: no");
    assert!(app.uploads.current.is_none());
}

#[test]
fn a_stall_of_a_request_signed_with_older_credentials_goes_on_at_once() {
    let mut app = writable();
    let request = put(&mut app, "/tmp/r.pdf");
    // r: new credentials arrive while the parts go with the old ones.
    let fx = app.update(key('r'), at(4));
    let generation = tests::generation_of(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation,
            info: tests::info(crate::credentials::Mode::Federated, at(5), 3600),
        },
        at(5),
    );
    let fx = app.update(
        Msg::UploadStalled {
            request,
            failure: expired(),
        },
        at(6),
    );
    assert_eq!(fx, [Effect::ResumeUpload { request }]);
    // Two refreshes in a run of failures, then it gives up.
    let mut last = Vec::new();
    for secs in 7..12 {
        last = app.update(
            Msg::UploadStalled {
                request,
                failure: expired(),
            },
            at(secs),
        );
        if last.contains(&Effect::GiveUpUpload { request }) {
            break;
        }
        let generation = tests::generation_of(&last);
        app.update(
            Msg::CredentialsIssued {
                generation,
                info: tests::info(crate::credentials::Mode::Federated, at(secs), 3600),
            },
            at(secs),
        );
    }
    assert_eq!(last, [Effect::GiveUpUpload { request }]);
}
