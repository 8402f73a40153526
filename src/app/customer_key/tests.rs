//! `K` in the model: the prompt for an object's SSE-C key, masked unless it names a file; the
//! key handed to the runtime; the view asking again with it; the refusals that follow said.

use super::{GivenKey, Masked};
use crate::app::tests::{at, key, notice, page, running, special};
use crate::app::{App, Effect, Input, Msg, RequestId};
use crate::failure::AwsFailure;
use crate::keymap::Key;

/// A running app whose root lists `docs/`, `a.bin` and `b.bin`.
fn listed() -> App {
    let (mut app, request) = running();
    let _ = app.update(
        Msg::PageLoaded {
            request,
            page: page(&["docs/"], &["a.bin", "b.bin"], None),
        },
        at(1),
    );
    app
}

/// Types `text` at the prompt open.
fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        let fx = app.update(key(c), at(2));
        assert!(fx.is_empty(), "{fx:?}");
    }
}

/// The key given, as the runtime is asked to take it.
fn given(fx: &[Effect]) -> Option<(&str, &str, &GivenKey)> {
    fx.iter().find_map(|e| match e {
        Effect::GiveCustomerKey { bucket, key, given } => {
            Some((bucket.as_str(), key.as_str(), given))
        }
        _ => None,
    })
}

/// The detail or preview asked for, and its request.
fn fetched(fx: &[Effect]) -> Option<(RequestId, &str)> {
    fx.iter().find_map(|e| match e {
        Effect::FetchObject { request, key, .. } => Some((*request, key.as_str())),
        _ => None,
    })
}

fn missing_key() -> AwsFailure {
    AwsFailure::from_service(
        Some("InvalidRequest"),
        Some(
            "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
        ),
        Some(400),
    )
}

#[test]
fn k_asks_for_the_key_masked_and_hands_it_to_the_runtime() {
    let mut app = listed();
    let _ = app.update(special(Key::Down), at(1)); // docs/ → a.bin
    assert!(app.update(key('K'), at(2)).is_empty());
    assert!(matches!(&app.input, Some(Input::CustomerKey { key, .. }) if key == "a.bin"));
    typed(&mut app, "secret-key");
    let Some(Input::CustomerKey { text, .. }) = &app.input else {
        panic!("the prompt stays while typing");
    };
    assert_eq!(text.shown(), "••••••••••");
    assert_eq!(
        format!("{:?}", app.input),
        "Some(CustomerKey { key: \"a.bin\", text: Masked(<redacted>) })"
    );
    let _ = app.update(special(Key::Backspace), at(2));
    let fx = app.update(special(Key::Enter), at(2));
    let (bucket, object, secret) = given(&fx).expect("the key handed on");
    assert_eq!((bucket, object), ("demo-bucket", "a.bin"));
    assert!(
        matches!(secret, GivenKey::Typed(line) if line.secret() == "secret-ke"),
        "{secret:?}"
    );
    assert_eq!(app.input, None);
}

#[test]
fn at_a_path_names_a_file_shown_as_typed_and_tab_completes_it() {
    let mut app = listed();
    let _ = app.update(special(Key::Down), at(1));
    let _ = app.update(special(Key::Down), at(1)); // b.bin
    let _ = app.update(key('K'), at(2));
    // Tab before the line names a file: nothing to complete.
    assert!(app.update(special(Key::Tab), at(2)).is_empty());
    typed(&mut app, "@~/ke");
    let fx = app.update(special(Key::Tab), at(2));
    assert_eq!(
        fx,
        vec![Effect::CompletePath {
            text: "~/ke".into()
        }]
    );
    let _ = app.update(
        Msg::PathCompleted {
            text: "~/keys/".into(),
        },
        at(2),
    );
    typed(&mut app, "b");
    let Some(Input::CustomerKey { text, .. }) = &app.input else {
        panic!("the prompt stays");
    };
    assert_eq!(text.shown(), "@~/keys/b");
    let fx = app.update(special(Key::Enter), at(2));
    let (_, object, secret) = given(&fx).expect("the file handed on");
    assert_eq!(object, "b.bin");
    assert_eq!(secret, &GivenKey::File("~/keys/b".into()));
    assert!(!matches!(secret, GivenKey::Typed(_)));
}

#[test]
fn a_completion_for_another_prompt_leaves_a_typed_key_alone() {
    let mut app = listed();
    let _ = app.update(special(Key::Down), at(1));
    let _ = app.update(key('K'), at(2));
    typed(&mut app, "abc");
    let _ = app.update(
        Msg::PathCompleted {
            text: "/tmp/x".into(),
        },
        at(2),
    );
    let Some(Input::CustomerKey { text, .. }) = &app.input else {
        panic!("the prompt stays");
    };
    assert_eq!(text, &Masked::new("abc"));
}

#[test]
fn nothing_typed_or_esc_gives_nothing_and_k_needs_an_object() {
    let mut app = listed();
    // The cursor on docs/: a folder has no key.
    assert!(app.update(key('K'), at(2)).is_empty());
    assert_eq!(app.input, None);
    assert_eq!(notice(&app), "an SSE-C key is an object's: K on the object");
    let _ = app.update(special(Key::Down), at(2));
    for line in ["", "@"] {
        let _ = app.update(key('K'), at(3));
        typed(&mut app, line);
        assert!(app.update(special(Key::Enter), at(3)).is_empty());
        assert_eq!(
            notice(&app),
            "no key given: type or paste it, or @FILE to read it from a file"
        );
        assert_eq!(app.input, None);
    }
    let _ = app.update(key('K'), at(4));
    typed(&mut app, "abc");
    assert!(app.update(special(Key::Esc), at(4)).is_empty());
    assert_eq!((notice(&app), &app.input), ("no key given", &None));
    // An empty folder: nothing selected.
    let (mut empty, request) = running();
    let _ = empty.update(
        Msg::PageLoaded {
            request,
            page: page(&[], &[], None),
        },
        at(1),
    );
    let _ = empty.update(key('K'), at(2));
    assert_eq!(empty.input, None);
    assert_eq!(notice(&empty), "no object here to give a key for");
}

#[test]
fn a_view_refused_for_want_of_a_key_says_k_and_asks_again_once_given() {
    let mut app = listed();
    let _ = app.update(special(Key::Down), at(1));
    let fx = app.update(key('p'), at(2));
    let (request, _) = fetched(&fx).expect("the preview asked for");
    let _ = app.update(
        Msg::ObjectFailed {
            request,
            failure: missing_key(),
        },
        at(3),
    );
    let failed = app.object.view.as_ref().unwrap().content.failed().unwrap();
    assert_eq!(
        failed.hint.as_deref(),
        Some(
            "the object is encrypted with a customer-provided key (SSE-C); K gives its key (typed or @FILE)"
        )
    );
    // K in the view asks for this object's key.
    let _ = app.update(key('K'), at(4));
    assert!(matches!(&app.input, Some(Input::CustomerKey { key, .. }) if key == "a.bin"));
    typed(&mut app, "@key.bin");
    let fx = app.update(special(Key::Enter), at(4));
    assert!(given(&fx).is_some());
    // Taken: said, recorded, and the view asks again.
    let fx = app.update(
        Msg::CustomerKeyTaken {
            bucket: "demo-bucket".into(),
            key: "a.bin".into(),
            result: Ok(()),
        },
        at(5),
    );
    let (again, object) = fetched(&fx).expect("the preview asked again");
    assert_eq!(object, "a.bin");
    assert_ne!(again, request);
    assert_eq!(
        notice(&app),
        "SSE-C key given for s3://demo-bucket/a.bin: its reads carry it (held in memory for this run only)"
    );
    assert!(app.history.newest_first().any(|e| {
        e.text
            .starts_with("SSE-C key given for s3://demo-bucket/a.bin")
    }));
    // Refused with the key: the key may be wrong.
    let _ = app.update(
        Msg::ObjectFailed {
            request: again,
            failure: crate::app::tests::refused("Access Denied"),
        },
        at(6),
    );
    let failed = app.object.view.as_ref().unwrap().content.failed().unwrap();
    assert_eq!(
        failed.hint.as_deref(),
        Some(
            "the SSE-C key given is not the one the object was stored with (K gives another), or the session may not read it"
        )
    );
}

#[test]
fn a_key_for_another_object_or_bucket_asks_nothing_again() {
    let mut app = listed();
    let _ = app.update(special(Key::Down), at(1));
    let _ = app.update(key('p'), at(2));
    for (bucket, object) in [("demo-bucket", "b.bin"), ("other", "a.bin")] {
        let fx = app.update(
            Msg::CustomerKeyTaken {
                bucket: bucket.into(),
                key: object.into(),
                result: Ok(()),
            },
            at(3),
        );
        assert!(fx.is_empty(), "{fx:?}");
        assert!(
            app.keys_given
                .contains(&(bucket.to_string(), object.to_string()))
        );
    }
}

#[test]
fn a_key_not_taken_is_said_with_why_and_nothing_is_asked() {
    let mut app = listed();
    let fx = app.update(
        Msg::CustomerKeyTaken {
            bucket: "demo-bucket".into(),
            key: "a.bin".into(),
            result: Err("the key typed holds 3 bytes; an SSE-C key is 32 bytes (AES-256), raw or base64 on one line".into()),
        },
        at(3),
    );
    assert!(fx.is_empty());
    assert_eq!(
        notice(&app),
        "no key given for s3://demo-bucket/a.bin: the key typed holds 3 bytes; an SSE-C key is 32 bytes (AES-256), raw or base64 on one line (K again)"
    );
    assert_eq!(app.notice.as_ref().unwrap().level, crate::app::Level::Error);
    assert!(app.keys_given.is_empty());
}

#[test]
fn a_url_of_an_object_given_a_key_says_what_it_needs() {
    let mut app = listed();
    let _ = app.update(special(Key::Down), at(1)); // a.bin
    let _ = app.update(key('u'), at(2));
    assert_eq!(app.object.presigned.as_ref().unwrap().warning, None);
    app.object.presigned = None;
    let _ = app.update(
        Msg::CustomerKeyTaken {
            bucket: "demo-bucket".into(),
            key: "a.bin".into(),
            result: Ok(()),
        },
        at(3),
    );
    let _ = app.update(key('u'), at(4));
    assert_eq!(
        app.object.presigned.as_ref().unwrap().warning.as_deref(),
        Some(
            "the object is encrypted with a customer key (SSE-C): the URL reads it only with the key's three x-amz-server-side-encryption-customer-* headers sent along"
        )
    );
    // Another object: no such warning.
    app.object.presigned = None;
    let _ = app.update(special(Key::Down), at(5)); // b.bin
    let _ = app.update(key('u'), at(5));
    assert_eq!(app.object.presigned.as_ref().unwrap().warning, None);
}
