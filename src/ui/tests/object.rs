//! Snapshots of one object over the listing — its detail, the three kinds of preview, a
//! download's progress and the presigned-URL popup — each reached by driving `update` the way
//! the runtime does, at 80x24 and 120x40.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use super::{app_with, at, draw, fg_at, root_page, screen_text};
use crate::app::{App, Effect, Msg, RequestId};
use crate::credentials::Mode;
use crate::failure::{AwsFailure, ErrorKind};
use crate::keymap::{Key, KeyPress};
use crate::object::ObjectDetail;
use chrono::TimeZone;
use std::path::PathBuf;

const SIZES: [(u16, u16); 3] = [(40, 12), (80, 24), (120, 40)];

fn press(app: &mut App, key: Key) -> Vec<Effect> {
    app.update(Msg::KeyPressed(KeyPress::plain(key)), at(1))
}

/// The root listing with the cursor on README.md (after the four folders).
fn on_an_object() -> App {
    let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
    for _ in 0..4 {
        press(&mut app, Key::Char('j'));
    }
    app
}

fn request_of(effects: &[Effect]) -> RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchObject { request, .. }
            | Effect::Presign { request, .. }
            | Effect::CheckDownloadTarget { request, .. } => Some(*request),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a request in {effects:?}"))
}

fn snapshots(app: &mut App, name: &str) {
    for (w, h) in SIZES {
        let t = draw(app, at(2), w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
    }
}

#[test]
fn detail() {
    let mut app = on_an_object();
    let request = request_of(&press(&mut app, Key::Enter));
    let detail = ObjectDetail {
        key: "README.md".into(),
        size: 5_423,
        last_modified: Some(chrono::Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()),
        etag: Some("\"7bf84bcea775a67fd1c6b482521b0af2\"".into()),
        content_type: Some("text/markdown".into()),
        cache_control: Some("max-age=60".into()),
        storage_class: Some("STANDARD".into()),
        server_side_encryption: Some("aws:kms".into()),
        kms_key_id: Some("arn:aws:kms:us-east-1:000000000000:key/1234abcd".into()),
        metadata: vec![
            ("owner".into(), "alice".into()),
            ("team".into(), "data\u{1b}[31m".into()),
        ],
        ..ObjectDetail::default()
    };
    app.update(
        Msg::DetailLoaded {
            request,
            detail: Box::new(detail),
        },
        at(1),
    );
    snapshots(&mut app, "detail");
    let text = screen_text(&draw(&mut app, at(2), 120, 40));
    assert!(text.contains("x-amz-meta-team   data\\u{1b}[31m"), "{text}");
}

fn preview(bytes: &[u8], size: u64) -> App {
    let mut app = on_an_object();
    let request = request_of(&press(&mut app, Key::Char('p')));
    app.update(
        Msg::PreviewLoaded {
            request,
            bytes: bytes.to_vec(),
            size,
        },
        at(1),
    );
    app
}

#[test]
fn preview_of_text_cut_at_preview_bytes() {
    let text = "# sts3 demo\n\nTemporary credentials, a \u{7} bell and a tab\there.\n\
        A line long enough to need wrapping when the pane is narrow: lorem ipsum dolor sit amet, consectetur adipiscing elit.\n";
    let mut app = preview(text.as_bytes(), 3 * 1024 * 1024 * 1024);
    snapshots(&mut app, "preview_text");
    let screen = screen_text(&draw(&mut app, at(2), 80, 24));
    assert!(screen.contains("first 179 B of 3.0 GiB"), "{screen}");
    // w wraps the long line: its tail comes onto the screen.
    assert!(!screen.contains("adipiscing"), "{screen}");
    press(&mut app, Key::Char('w'));
    let screen = screen_text(&draw(&mut app, at(2), 80, 24));
    assert!(screen.contains("adipiscing"), "{screen}");
}

#[test]
fn a_long_preview_reaches_its_last_line_wrapped_or_not_and_scrolls_sideways() {
    use std::fmt::Write as _;
    // 70,000 lines: past what a u16 scroll offset reaches; the last one long.
    let mut text = String::new();
    for i in 0..70_000 {
        writeln!(text, "line {i}").unwrap();
    }
    writeln!(text, "the last line {}the end", "x".repeat(200)).unwrap();
    let mut app = preview(text.as_bytes(), text.len() as u64);
    draw(&mut app, at(2), 80, 24); // the pane's height is known from the first frame
    press(&mut app, Key::End);
    let screen = screen_text(&draw(&mut app, at(2), 80, 24));
    assert!(screen.contains("line 69999"), "{screen}");
    assert!(screen.contains("the last line xxx"), "{screen}");
    assert!(!screen.contains("the end"), "not wrapped: cut at the edge");
    assert!(screen.contains("</> sideways"), "{screen}");
    // > moves 8 columns at a time, no further than the widest line allows.
    for _ in 0..40 {
        press(&mut app, Key::Char('>'));
    }
    let screen = screen_text(&draw(&mut app, at(2), 80, 24));
    assert!(screen.contains("the end"), "{screen}");
    assert!(!screen.contains("line 69999"), "{screen}");
    press(&mut app, Key::Char('<'));
    // The widest line is 221 characters: > stops with its last 8 in view.
    assert_eq!(app.object.view.as_ref().unwrap().hscroll, 221 - 8 - 8);
    // Wrapped, the last line can come to the top and be read whole.
    press(&mut app, Key::Char('w'));
    assert_eq!(app.object.view.as_ref().unwrap().hscroll, 0);
    press(&mut app, Key::Char('>'));
    assert_eq!(
        app.object.view.as_ref().unwrap().hscroll,
        0,
        "wrapped lines do not move sideways"
    );
    press(&mut app, Key::End);
    let screen = screen_text(&draw(&mut app, at(2), 80, 24));
    assert!(screen.contains("the end"), "{screen}");
    assert_eq!(app.object.view.as_ref().unwrap().scroll, 70_000);
}

#[test]
fn preview_of_json_is_pretty_and_highlighted() {
    let json = br#"{"name":"sts3","tags":["s3","sts"],"size":3,"nested":{"ok":true,"none":null}}"#;
    let mut app = preview(json, json.len() as u64);
    snapshots(&mut app, "preview_json");
    // Highlighted as the policy pane is: keys, strings and literals each in their colour.
    let t = draw(&mut app, at(2), 120, 40);
    let key = fg_at(t.backend().buffer(), "\"name\"");
    let string = fg_at(t.backend().buffer(), "\"sts3\"");
    let literal = fg_at(t.backend().buffer(), "true");
    assert_ne!(key, string);
    assert_ne!(string, literal);
}

#[test]
fn preview_of_binary_is_a_hex_dump() {
    let bytes: Vec<u8> = (0u8..=255).cycle().take(200).collect();
    let mut app = preview(&bytes, 3 * 1024 * 1024);
    snapshots(&mut app, "preview_hex");
}

#[test]
fn a_denied_preview_says_why_in_place() {
    let mut app = on_an_object();
    let request = request_of(&press(&mut app, Key::Char('p')));
    app.update(
        Msg::ObjectFailed {
            request,
            failure: AwsFailure::new(
                ErrorKind::AccessDenied,
                Some("AccessDenied"),
                "Access Denied",
            ),
        },
        at(1),
    );
    let text = screen_text(&draw(&mut app, at(2), 120, 40));
    assert!(text.contains("✗ AccessDenied: Access Denied"), "{text}");
    assert!(text.contains("C-r: ask again"), "{text}");
    assert!(
        text.contains("README.md"),
        "the listing is still underneath: {text}"
    );
}

#[test]
fn download_progress_in_the_status_bar() {
    let mut app = on_an_object();
    let request = request_of(&press(&mut app, Key::Char('s')));
    app.update(
        Msg::DownloadTargetChecked {
            request,
            exists: false,
            keep_both: PathBuf::from("README (1).md"),
        },
        at(1),
    );
    app.update(
        Msg::DownloadProgressed {
            request,
            received: 3 * 1024 * 1024,
            size: 12 * 1024 * 1024,
        },
        at(2),
    );
    snapshots(&mut app, "download_progress");
}

#[test]
fn the_overwrite_question() {
    let mut app = on_an_object();
    let request = request_of(&press(&mut app, Key::Char('s')));
    app.update(
        Msg::DownloadTargetChecked {
            request,
            exists: true,
            keep_both: PathBuf::from("/home/u/Downloads/README (1).md"),
        },
        at(1),
    );
    let text = screen_text(&draw(&mut app, at(2), 120, 40));
    assert!(text.contains("README (1).md"), "{text}");
    // At 80 columns the whole choice shows; only the folder may be cut.
    let text = screen_text(&draw(&mut app, at(2), 80, 24));
    let status = text.lines().last().unwrap_or_default();
    assert!(
        status.starts_with(
            "\"README.md exists: o overwrite · k keep both as README (1).md · c cancel · in "
        ),
        "{text}"
    );
}

#[test]
fn presign_popup() {
    let mut app = on_an_object();
    let request = request_of(&press(&mut app, Key::Char('u')));
    app.update(
        Msg::Presigned {
            request,
            url: "http://127.0.0.1:8333/sts3-demo/README.md?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA17654EEBCF9A6364%2F20261123%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261123T090001Z&X-Amz-Expires=3599&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef&X-Amz-Security-Token=eyJhbGciOiJIUzI1NiJ9.e30.sig".into(),
        },
        at(1),
    );
    snapshots(&mut app, "presign_popup");
    let text = screen_text(&draw(&mut app, at(2), 120, 40));
    assert!(text.contains("(the session's expiry"), "{text}");
    // No side borders: the URL's rows hold nothing but the URL.
    let row = text
        .lines()
        .find(|l| l.contains("X-Amz-Algorithm"))
        .unwrap();
    assert!(row.starts_with("\"http://127.0.0.1:8333/"), "{row:?}");
    // At 40x12 it does not fit: the keys stay, j scrolls to the URL's end, and then no more.
    let text = screen_text(&draw(&mut app, at(2), 40, 12));
    assert!(text.contains("↓ more · esc or enter closes"), "{text}");
    assert!(!text.contains("e30.sig"), "{text}");
    for _ in 0..20 {
        press(&mut app, Key::Char('j'));
    }
    let text = screen_text(&draw(&mut app, at(2), 40, 12));
    assert!(text.contains("e30.sig"), "the URL's end: {text}");
    assert!(text.contains(" esc or enter closes"), "{text}");
    assert!(!text.contains("↓ more"), "{text}");
    press(&mut app, Key::Char('k'));
    assert!(app.object.presigned.is_some(), "scrolling keeps it open");
}

#[test]
fn a_denied_view_does_not_claim_a_refresh_will_fix_it() {
    let mut app = on_an_object();
    let request = request_of(&press(&mut app, Key::Char('p')));
    app.update(
        Msg::ObjectFailed {
            request,
            failure: AwsFailure::new(
                ErrorKind::AccessDenied,
                Some("AccessDenied"),
                "Access Denied",
            ),
        },
        at(1),
    );
    // r renews the credentials, but a denial before expiry is not waiting for them.
    press(&mut app, Key::Char('r'));
    assert!(app.session.is_issuing());
    let text = screen_text(&draw(&mut app, at(2), 120, 40));
    assert!(text.contains("C-r: ask again"), "{text}");
    assert!(
        !text.contains("refreshing credentials, then asking again"),
        "{text}"
    );
}

#[test]
fn the_layout_says_on_which_screen_line_the_first_row_is() {
    for (w, h) in [(80, 24), (120, 40), (60, 20)] {
        let (mut app, _) = app_with(Mode::Federated, 3600, Some(root_page()));
        let t = draw(&mut app, at(2), w, h);
        let layout = crate::ui::layout_of(ratatui::layout::Rect::new(0, 0, w, h), &app);
        let text = screen_text(&t);
        let line = text.lines().position(|l| l.contains("big/")).unwrap();
        assert_eq!(usize::from(layout.first_row), line, "{w}x{h}");
    }
}

#[test]
fn an_sse_c_preview_says_k_and_the_key_prompt_masks_what_is_typed() {
    let mut app = on_an_object();
    let request = request_of(&press(&mut app, Key::Char('p')));
    app.update(
        Msg::ObjectFailed {
            request,
            failure: AwsFailure::from_service(
                Some("InvalidRequest"),
                Some("The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object."),
                Some(400),
            ),
        },
        at(1),
    );
    press(&mut app, Key::Char('K'));
    for c in "s3cr3t".chars() {
        press(&mut app, Key::Char(c));
    }
    snapshots(&mut app, "sse_c_key_prompt");
    let text = screen_text(&draw(&mut app, at(2), 120, 40));
    assert!(!text.contains("s3cr3t"), "{text}");
    assert!(
        text.contains("SSE-C key of s3://sts3-demo/README.md: ••••••▏"),
        "{text}"
    );
    assert!(text.contains("K gives its key (typed or @FILE)"), "{text}");
    // Where the long keys fit only beside the whole name, both show.
    let text = screen_text(&draw(&mut app, at(2), 100, 30));
    assert!(
        text.contains("SSE-C key of s3://sts3-demo/README.md: ••••••▏  ⏎ gives it · @FILE reads a file · esc cancels"),
        "{text}"
    );
    // A file's path is shown as typed.
    for _ in 0..6 {
        press(&mut app, Key::Backspace);
    }
    for c in "@~/k.bin".chars() {
        press(&mut app, Key::Char(c));
    }
    let text = screen_text(&draw(&mut app, at(2), 80, 24));
    assert!(text.contains(": @~/k.bin▏"), "{text}");
    // Too narrow for the keys' hint whole: it is cut with a sign, the path kept.
    let text = screen_text(&draw(&mut app, at(2), 40, 12));
    let last = text.lines().last().unwrap();
    assert!(
        last.contains("SSE-C key of …: @~/k.bin▏  ⏎ · @file · …"),
        "{last:?}"
    );
}
