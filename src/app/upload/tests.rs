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
                folder_only: false,
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
    for nameless in ["/tmp/.", "..", "/", "../"] {
        app.update(key('U'), at(2));
        typed(&mut app, nameless);
        assert_eq!(app.update(special(Key::Enter), at(3)), [], "{nameless}");
        assert_eq!(
            notice(&app),
            "U puts a file or a folder: type its path, ending in its name"
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

/// The upload `request` meets an expired token: credentials are issued, and only once they
/// are in does it go on.
fn stalls_until_new_credentials(app: &mut App, request: RequestId) {
    let fx = app.update(
        Msg::WriteStalled {
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
        !fx.contains(&Effect::ResumeWrite { request }),
        "not before the credentials"
    );
    assert_eq!(
        notice(app),
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
    assert!(fx.contains(&Effect::ResumeWrite { request }), "{fx:?}");
}

#[test]
fn an_expired_token_mid_upload_issues_credentials_then_the_upload_goes_on() {
    let mut app = writable();
    let request = put(&mut app, "/tmp/r.pdf");
    let fx = app.update(
        Msg::WriteStalled {
            request: RequestId(request.0 + 100),
            failure: expired(),
        },
        at(4),
    );
    assert_eq!(fx, [], "another request's stall changes nothing");
    stalls_until_new_credentials(&mut app, request);
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
        Msg::WriteStalled {
            request,
            failure: denied.clone(),
        },
        at(4),
    );
    assert_eq!(fx, [Effect::GiveUpWrite { request }]);
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
        Msg::WriteStalled {
            request,
            failure: expired(),
        },
        at(6),
    );
    assert_eq!(fx, [Effect::ResumeWrite { request }]);
    // Two refreshes in a run of failures, then it gives up.
    let mut last = Vec::new();
    for secs in 7..12 {
        last = app.update(
            Msg::WriteStalled {
                request,
                failure: expired(),
            },
            at(secs),
        );
        if last.contains(&Effect::GiveUpWrite { request }) {
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
    assert_eq!(last, [Effect::GiveUpWrite { request }]);
}

/// `U` on a folder's path, and the shell's listing of it (`docs/photos/a.jpg` 100 bytes,
/// `docs/photos/2026/b.jpg` 2,000, one link passed over): the upload's request.
fn folder_listed(app: &mut App) -> RequestId {
    app.update(key('U'), at(2));
    typed(app, "/home/u/photos/");
    let fx = app.update(special(Key::Enter), at(3));
    let [Effect::Upload { request, key, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(key, "docs/photos", "the shell tells a folder from a file");
    let request = *request;
    app.update(
        Msg::UploadIsFolder {
            request,
            files: vec![
                (
                    "docs/photos/2026/b.jpg".into(),
                    "/home/u/photos/2026/b.jpg".into(),
                    2000,
                ),
                (
                    "docs/photos/a.jpg".into(),
                    "/home/u/photos/a.jpg".into(),
                    100,
                ),
            ],
            skipped_links: 1,
        },
        at(4),
    );
    request
}

/// [`folder_listed`], then `y`: the folder's request.
fn folder_sent(app: &mut App) -> RequestId {
    folder_listed(app);
    let fx = app.update(key('y'), at(5));
    let [Effect::UploadFolder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    *request
}

#[test]
fn a_folder_is_asked_about_with_its_count_and_size_and_only_y_puts_it() {
    let mut app = writable();
    folder_listed(&mut app);
    assert_eq!(app.top(), Layer::ConfirmFolderPut);
    let size = crate::bucket::human_size(2100);
    assert_eq!(
        app.uploads.folder_asking(),
        Some((
            "/home/u/photos/",
            "s3://demo-bucket/docs/photos/".to_string(),
            format!("2 files ({size})")
        ))
    );
    assert_eq!(app.update(key('n'), at(5)), []);
    assert_eq!(app.input, None);
    assert_eq!(notice(&app), "nothing put from /home/u/photos/");
    assert_eq!(app.uploads.current, None);
    // Ctrl-y is not y.
    folder_listed(&mut app);
    let ctrl_y = Msg::KeyPressed(crate::keymap::KeyPress::ctrl('y'));
    assert_eq!(app.update(ctrl_y, at(5)), []);
    assert_eq!(notice(&app), "nothing put from /home/u/photos/");

    folder_listed(&mut app);
    let fx = app.update(key('y'), at(5));
    let [
        Effect::UploadFolder {
            bucket,
            files,
            part_size,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(bucket, "demo-bucket");
    assert_eq!(*part_size, app.config.objects.part_size);
    assert_eq!(
        files,
        &[
            (
                "docs/photos/2026/b.jpg".to_string(),
                "/home/u/photos/2026/b.jpg".into()
            ),
            (
                "docs/photos/a.jpg".to_string(),
                "/home/u/photos/a.jpg".into()
            ),
        ]
    );
    assert_eq!(
        notice(&app),
        format!(
            "putting 2 files ({size}) from /home/u/photos/ into s3://demo-bucket/docs/photos/…"
        )
    );
    // Another U waits for this one.
    app.update(key('U'), at(5));
    typed(&mut app, "/tmp/x");
    assert_eq!(app.update(special(Key::Enter), at(5)), []);
    assert_eq!(notice(&app), "an upload is on its way; wait for it");
}

#[test]
fn a_folders_bytes_and_files_are_counted_then_what_went_is_said_and_its_row_comes_in() {
    let mut app = writable();
    let request = folder_sent(&mut app);
    for sent in [Some(100), None, Some(1000)] {
        app.update(Msg::UploadProgressed { request, sent }, at(6));
    }
    // Another request's progress is not this upload's.
    app.update(
        Msg::UploadProgressed {
            request: RequestId(request.0 + 50),
            sent: None,
        },
        at(6),
    );
    assert_eq!(
        notice(&app),
        format!(
            "putting /home/u/photos/: 1 of 2 files, {} of {}…",
            crate::bucket::human_size(1100),
            crate::bucket::human_size(2100)
        )
    );
    app.update(
        Msg::FolderUploaded {
            request,
            results: vec![
                (
                    "docs/photos/a.jpg".into(),
                    Ok(Landed {
                        size: 100,
                        etag: Some("\"e\"".into()),
                    }),
                ),
                (
                    "docs/photos/2026/b.jpg".into(),
                    Err(AwsFailure::from_service(
                        Some("PreconditionFailed"),
                        None,
                        Some(412),
                    )),
                ),
            ],
        },
        at(7),
    );
    assert_eq!(
        notice(&app),
        "put 1 file (100 B) from /home/u/photos/ into s3://demo-bucket/docs/photos/; 1 file kept: they exist (sts3 put --force overwrites); 1 symbolic link passed over"
    );
    assert!(
        app.listing.rows().visible_keys().contains(&"docs/photos/"),
        "the folder's row comes in: {:?}",
        app.listing.rows().visible_keys()
    );
    assert_eq!(app.uploads.current, None);
    assert!(
        app.history
            .newest_first()
            .next()
            .unwrap()
            .text
            .starts_with("put 1 file (100 B)")
    );
}

#[test]
fn a_folder_file_that_fails_is_named_and_the_rest_come_in() {
    let mut app = writable();
    let request = folder_sent(&mut app);
    app.update(
        Msg::FolderUploaded {
            request,
            results: vec![
                ("docs/photos/a.jpg".into(), Err(tests::refused("one"))),
                ("docs/photos/2026/b.jpg".into(), Err(tests::refused("two"))),
            ],
        },
        at(7),
    );
    assert_eq!(
        notice(&app),
        "nothing put from /home/u/photos/ into s3://demo-bucket/docs/photos/; 2 files failed: s3://demo-bucket/docs/photos/2026/b.jpg: AccessDenied: two, …; 1 symbolic link passed over"
    );
    assert_eq!(app.notice.as_ref().unwrap().level, crate::app::Level::Error);
}

#[test]
fn a_folder_the_policy_refuses_one_key_of_or_with_no_files_sends_nothing() {
    let mut app = writable();
    // Only under docs/photos/, and not in its 2026/.
    app.target.policy = crate::policy::SessionPolicy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::demo-bucket/docs/photos/*"},{"Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::demo-bucket/docs/photos/2026/*"}]}"#,
    )
    .unwrap();
    folder_listed(&mut app);
    assert_eq!(app.input, None);
    assert_eq!(
        notice(&app),
        "the session policy denies s3:PutObject on arn:aws:s3:::demo-bucket/docs/photos/2026/b.jpg (statement 2); nothing was sent (T offers read-write templates)"
    );
    assert_eq!(app.uploads.current, None);
    // A file there may not go as docs/photos: the shell says it is a file, and that is said.
    app.update(key('U'), at(2));
    typed(&mut app, "/home/u/photos");
    let fx = app.update(special(Key::Enter), at(3));
    let [
        Effect::Upload {
            request,
            folder_only: true,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(
        app.update(Msg::UploadIsFile { request: *request }, at(4)),
        []
    );
    assert_eq!(
        notice(&app),
        "the session policy does not allow s3:PutObject on arn:aws:s3:::demo-bucket/docs/photos; nothing was sent (T offers read-write templates)"
    );
    assert_eq!(app.uploads.current, None);
    // Refused as a file and as a folder: said at once.
    app.update(key('U'), at(2));
    typed(&mut app, "/home/u/other");
    assert_eq!(app.update(special(Key::Enter), at(3)), []);
    assert_eq!(
        notice(&app),
        "the session policy does not allow s3:PutObject on arn:aws:s3:::demo-bucket/docs/other; nothing was sent (T offers read-write templates)"
    );

    let mut app = writable();
    app.update(key('U'), at(2));
    typed(&mut app, "/home/u/empty");
    let fx = app.update(special(Key::Enter), at(3));
    let [Effect::Upload { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    let fx = app.update(
        Msg::UploadIsFolder {
            request: *request,
            files: Vec::new(),
            skipped_links: 2,
        },
        at(4),
    );
    assert_eq!(fx, []);
    assert_eq!(
        notice(&app),
        "/home/u/empty holds no files to put; 2 symbolic links passed over"
    );
    assert_eq!(app.uploads.current, None);
}

#[test]
fn a_folder_upload_stalls_and_resumes_as_a_file_does() {
    let mut app = writable();
    let request = folder_sent(&mut app);
    stalls_until_new_credentials(&mut app, request);
    // Its files' bytes are still counted, and its end still heard.
    app.update(
        Msg::UploadProgressed {
            request,
            sent: None,
        },
        at(6),
    );
    assert!(notice(&app).contains(": 1 of 2 files"), "{}", notice(&app));
    app.update(
        Msg::FolderUploaded {
            request,
            results: Vec::new(),
        },
        at(7),
    );
    assert_eq!(app.uploads.current, None);
}

#[test]
fn x_stops_a_folder_put_the_files_under_way_finish_and_those_not_sent_are_counted() {
    let mut app = writable();
    assert_eq!(app.update(key('x'), at(5)), [], "nothing to stop yet");
    let request = folder_sent(&mut app);
    let fx = app.update(key('x'), at(6));
    assert_eq!(fx, [Effect::StopBatch { request }]);
    assert_eq!(
        notice(&app),
        "stopping: the files under way finish, no new one starts"
    );
    assert_eq!(app.update(key('x'), at(6)), [], "stopped once");
    app.update(
        Msg::FolderUploaded {
            request,
            results: vec![(
                "docs/photos/a.jpg".into(),
                Ok(Landed {
                    size: 100,
                    etag: Some("\"e\"".into()),
                }),
            )],
        },
        at(7),
    );
    assert_eq!(
        notice(&app),
        "put 1 file (100 B) from /home/u/photos/ into s3://demo-bucket/docs/photos/; 1 symbolic link passed over; stopped: 1 file not sent"
    );
    // Stalled, a stop gives up the files waiting too.
    let request = folder_sent(&mut app);
    stalls_until_new_credentials(&mut app, request);
    app.update(
        Msg::WriteStalled {
            request,
            failure: expired(),
        },
        at(8),
    );
    let fx = app.update(key('x'), at(9));
    assert_eq!(
        fx,
        [
            Effect::StopBatch { request },
            Effect::GiveUpWrite { request }
        ]
    );
}
