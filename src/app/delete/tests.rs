//! Deleting in the model: predicted by the policy, asked (y for a few, the bucket's name for
//! many), sent, answered (the listing reloads, the marks go), refused (each key said with
//! why), kept on any other key, and only one deletion at a time.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use crate::app::layers::Layer;
use crate::app::tests::{self, at, key, notice, page, running};
use crate::app::{App, Effect, Input, Msg, RequestId};
use crate::object::Deleted;

/// A running app whose root shows a folder and two keys, with a session that may write.
fn writable() -> App {
    let mut app = tests::writable(&["docs/"], &["a.txt", "b.txt"]);
    app.update(key('j'), at(1)); // on a.txt
    app
}

#[test]
fn d_asks_first_and_any_other_key_keeps_the_object() {
    let mut app = writable();
    assert_eq!(app.update(key('D'), at(2)), []);
    assert_eq!(app.input, Some(Input::ConfirmDelete));
    assert_eq!(app.top(), Layer::ConfirmDelete);
    assert_eq!(
        app.deletes.asking().map(|d| d.keys.clone()),
        Some(vec!["a.txt".to_string()])
    );
    assert_eq!(app.update(key('n'), at(3)), []);
    assert_eq!(app.input, None);
    assert_eq!(notice(&app), "kept s3://demo-bucket/a.txt");
    assert_eq!(app.deletes.asking(), None);
}

#[test]
fn y_deletes_and_the_row_leaves_the_listing_without_a_reload() {
    let mut app = writable();
    app.update(key('D'), at(2));
    let fx = app.update(key('y'), at(3));
    let [
        Effect::DeleteObjects {
            request,
            bucket,
            keys,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(
        (bucket.as_str(), keys.as_slice()),
        ("demo-bucket", &["a.txt".to_string()][..])
    );
    assert_eq!(notice(&app), "deleting s3://demo-bucket/a.txt…");
    let request = *request;
    assert_eq!(
        app.update(
            Msg::ObjectsDeleted {
                request: RequestId(request.0 + 100),
                result: Ok(Deleted::default())
            },
            at(4)
        ),
        [],
        "another request's answer changes nothing"
    );
    let fx = app.update(
        Msg::ObjectsDeleted {
            request,
            result: Ok(Deleted::default()),
        },
        at(4),
    );
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::ListPage { .. })),
        "no reload: {fx:?}"
    );
    let keys = app.listing.rows().visible_keys();
    assert_eq!(keys, ["docs/", "b.txt"]);
    assert_eq!(
        app.listing.rows().cursor(),
        1,
        "the cursor stays on the row, now b.txt"
    );
    assert_eq!(notice(&app), "deleted s3://demo-bucket/a.txt");
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        "deleted s3://demo-bucket/a.txt (signed with ASIA…WXYZ)",
        "the history says which credentials signed it (the session pane's masked key)"
    );
}

#[test]
fn a_refusal_is_said_with_its_code_and_nothing_reloads() {
    let mut app = writable();
    app.update(key('D'), at(2));
    let fx = app.update(key('y'), at(3));
    let Effect::DeleteObjects { request, .. } = fx[0] else {
        panic!()
    };
    let denied = tests::refused("denied");
    let fx = app.update(
        Msg::ObjectsDeleted {
            request,
            result: Err(denied),
        },
        at(4),
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::ListPage { .. })));
    assert!(
        notice(&app).starts_with("s3://demo-bucket/a.txt not deleted: AccessDenied"),
        "{}",
        notice(&app)
    );
}

#[test]
fn what_the_policy_refuses_or_is_no_object_is_said_and_never_asked() {
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: page(&[], &[], None),
        },
        at(1),
    );
    // Nothing under the cursor.
    app.update(key('D'), at(2));
    assert!(
        notice(&app).starts_with("D deletes the marked objects"),
        "{}",
        notice(&app)
    );
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: page(&["docs/"], &["a.txt"], None),
        },
        at(1),
    );
    app.update(key('j'), at(2));
    // The default session policy reads only.
    assert_eq!(app.update(key('D'), at(3)), []);
    assert_eq!(app.input, None);
    assert_eq!(
        notice(&app),
        "the session policy does not allow s3:DeleteObject on arn:aws:s3:::demo-bucket/a.txt; nothing was sent (T offers read-write templates)"
    );
    // A folder is listed (reading is allowed), then refused before anything is asked.
    app.update(key('k'), at(4));
    let fx = app.update(key('D'), at(4));
    let [Effect::ListUnder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    let fx = app.update(
        Msg::ListedUnder {
            request: *request,
            result: Ok(vec![("docs/a".into(), 1), ("docs/b".into(), 2)]),
        },
        at(5),
    );
    assert_eq!(fx, []);
    assert_eq!(app.input, None);
    assert_eq!(
        notice(&app),
        "the session policy does not allow s3:DeleteObject on arn:aws:s3:::demo-bucket/docs/a (2 of 2 refused); nothing was sent (T offers read-write templates)"
    );
}

/// The answer to the folder listing `fx` asked for.
fn listed(fx: &[Effect], objects: &[(&str, u64)]) -> Msg {
    let [Effect::ListUnder { request, .. }] = fx else {
        panic!("{fx:?}");
    };
    Msg::ListedUnder {
        request: *request,
        result: Ok(objects
            .iter()
            .map(|(k, n)| ((*k).to_string(), *n))
            .collect()),
    }
}

fn type_text(app: &mut App, text: &str, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
    for c in text.chars() {
        app.update(key(c), now);
    }
    app.update(crate::app::tests::special(crate::keymap::Key::Enter), now)
}

#[test]
fn a_folder_is_listed_whole_then_deleted_only_once_the_bucket_s_name_is_typed() {
    let mut app = writable();
    app.update(key('k'), at(2)); // on docs/
    let fx = app.update(key('D'), at(2));
    let [
        Effect::ListUnder {
            bucket,
            prefix,
            chains,
            ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}");
    };
    assert_eq!(
        (bucket.as_str(), prefix.as_str(), *chains),
        ("demo-bucket", "docs/", crate::app::AT_ONCE)
    );
    assert_eq!(notice(&app), "listing s3://demo-bucket/docs/ to delete it…");
    assert_eq!(app.input, None, "nothing asked before the count is known");
    // Another D while it lists.
    assert_eq!(app.update(key('D'), at(2)), []);
    assert_eq!(notice(&app), "a deletion is on its way; wait for it");
    // An answer to another request changes nothing.
    let Msg::ListedUnder { request, result } = listed(&fx, &[("docs/x", 1)]) else {
        unreachable!()
    };
    let other = Msg::ListedUnder {
        request: RequestId(request.0 + 100),
        result,
    };
    assert_eq!(app.update(other, at(3)), []);
    assert_eq!(app.input, None);
    let objects = [("docs/", 0), ("docs/a.txt", 5), ("docs/sub/b.txt", 7)];
    assert_eq!(app.update(listed(&fx, &objects), at(3)), []);
    assert_eq!(
        app.input,
        Some(Input::TypeToDelete {
            text: String::new()
        }),
        "a folder always needs the name, however few its objects"
    );
    let deletion = app.deletes.asking().unwrap();
    assert_eq!(
        deletion.what(),
        "folder s3://demo-bucket/docs/ (3 objects, 12 B)"
    );
    assert_eq!(deletion.names_from(""), "docs/");
    // y is a letter here: a single key press never deletes a folder.
    assert_eq!(app.update(key('y'), at(4)), []);
    assert_eq!(app.input, Some(Input::TypeToDelete { text: "y".into() }));
    app.update(crate::app::tests::special(crate::keymap::Key::Esc), at(4));
    assert_eq!(
        notice(&app),
        "kept folder s3://demo-bucket/docs/ (3 objects, 12 B)"
    );
    // Again, with the name typed.
    let fx = app.update(key('D'), at(5));
    app.update(listed(&fx, &objects), at(5));
    let fx = type_text(&mut app, "demo-bucket", at(6));
    let [Effect::DeleteObjects { bucket, keys, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(bucket, "demo-bucket");
    assert_eq!(keys, &["docs/", "docs/a.txt", "docs/sub/b.txt"]);
    assert_eq!(
        notice(&app),
        "deleting folder s3://demo-bucket/docs/ (3 objects, 12 B)…"
    );
}

#[test]
fn a_folder_that_cannot_be_listed_or_holds_nothing_is_said_and_nothing_asked() {
    let mut app = writable();
    app.update(key('k'), at(2));
    let fx = app.update(key('D'), at(2));
    let [Effect::ListUnder { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::ListedUnder {
            request: *request,
            result: Err(tests::refused("Access Denied")),
        },
        at(3),
    );
    assert_eq!(app.input, None);
    assert!(
        notice(&app)
            .starts_with("s3://demo-bucket/docs/ not deleted: listing it failed: AccessDenied"),
        "{}",
        notice(&app)
    );
    let fx = app.update(key('D'), at(4));
    app.update(listed(&fx, &[]), at(4));
    assert_eq!(app.input, None);
    assert_eq!(
        notice(&app),
        "nothing under s3://demo-bucket/docs/ to delete"
    );
}

#[test]
fn the_number_that_asks_for_the_name_is_the_config_s() {
    let mut app = many(3);
    app.config.objects.delete_type_name_above = 2;
    app.update(key(' '), at(1));
    app.update(key(' '), at(1));
    app.update(key('D'), at(2));
    assert_eq!(app.input, Some(Input::ConfirmDelete), "two: y");
    app.update(key('n'), at(2));
    app.update(key(' '), at(3));
    app.update(key('D'), at(3));
    assert_eq!(
        app.input,
        Some(Input::TypeToDelete {
            text: String::new()
        }),
        "three: the name"
    );
    // 0: even one object asks for the name.
    let mut app = writable();
    app.config.objects.delete_type_name_above = 0;
    app.update(key('D'), at(2));
    assert_eq!(
        app.input,
        Some(Input::TypeToDelete {
            text: String::new()
        })
    );
}

#[test]
fn one_deletion_at_a_time() {
    let mut app = writable();
    app.update(key('D'), at(2));
    app.update(key('y'), at(3));
    app.update(key('j'), at(4));
    assert_eq!(app.update(key('D'), at(5)), []);
    assert_eq!(notice(&app), "a deletion is on its way; wait for it");
    assert_eq!(app.input, None);
}

/// A running app whose root shows `n` objects `k000`… (10 bytes each), with a session that may
/// write.
fn many(n: usize) -> App {
    let keys: Vec<String> = (0..n).map(|i| format!("k{i:03}")).collect();
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    tests::writable(&[], &refs)
}

#[test]
fn space_marks_and_moves_on_v_marks_all_and_esc_clears() {
    let mut app = many(5);
    app.update(key(' '), at(1));
    app.update(key(' '), at(1));
    assert_eq!(app.listing.marks.keys(), ["k000", "k001"]);
    assert_eq!(app.listing.rows().cursor(), 2, "moved on");
    app.update(key('V'), at(1));
    assert_eq!(app.listing.marks.len(), 5);
    app.update(key('V'), at(1));
    assert!(app.listing.marks.is_empty(), "all marked: V clears");
    app.update(key(' '), at(1));
    app.update(crate::app::tests::special(crate::keymap::Key::Esc), at(1));
    assert!(app.listing.marks.is_empty(), "esc clears");
}

#[test]
fn a_few_marked_are_asked_with_y_and_deleted_in_one_request() {
    let mut app = many(5);
    for _ in 0..3 {
        app.update(key(' '), at(1));
    }
    app.update(key('D'), at(2));
    assert_eq!(app.input, Some(Input::ConfirmDelete));
    let fx = app.update(key('y'), at(3));
    let [Effect::DeleteObjects { request, keys, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(keys, &["k000", "k001", "k002"]);
    assert_eq!(notice(&app), "deleting 3 objects (30 B)…");
    let request = *request;
    app.update(
        Msg::ObjectsDeleted {
            request,
            result: Ok(Deleted::default()),
        },
        at(4),
    );
    assert_eq!(notice(&app), "deleted 3 objects (30 B)");
    assert!(app.listing.marks.is_empty(), "the marks went with them");
}

#[test]
fn many_marked_need_the_bucket_s_name_typed_and_a_wrong_name_keeps_them() {
    let mut app = many(12);
    app.update(key('V'), at(1));
    app.update(key('D'), at(2));
    assert_eq!(
        app.input,
        Some(Input::TypeToDelete {
            text: String::new()
        })
    );
    assert_eq!(app.top(), Layer::TypeToDelete);
    // y is a letter of a name here, not a yes.
    for c in "demo-bucke".chars() {
        app.update(key(c), at(3));
    }
    let fx = app.update(crate::app::tests::special(crate::keymap::Key::Enter), at(3));
    assert_eq!(fx, []);
    assert_eq!(
        notice(&app),
        "kept 12 objects (120 B) (that is not the bucket's name)"
    );
    assert_eq!(app.listing.marks.len(), 12, "still marked");
    app.update(key('D'), at(4));
    for c in "demo-bucket".chars() {
        app.update(key(c), at(4));
    }
    let fx = app.update(crate::app::tests::special(crate::keymap::Key::Enter), at(4));
    let [Effect::DeleteObjects { keys, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(keys.len(), 12);
    // Esc at the prompt keeps them too, and says nothing of names.
    let mut app = many(12);
    app.update(key('V'), at(1));
    app.update(key('D'), at(2));
    app.update(crate::app::tests::special(crate::keymap::Key::Esc), at(2));
    assert_eq!(notice(&app), "kept 12 objects (120 B)");
}

#[test]
fn every_key_s3_refused_is_named_and_the_rest_are_gone() {
    let mut app = many(5);
    app.update(key('V'), at(1));
    app.update(key('D'), at(2));
    let fx = app.update(key('y'), at(3));
    let Effect::DeleteObjects { request, .. } = fx[0] else {
        panic!()
    };
    let fx = app.update(
        Msg::ObjectsDeleted {
            request,
            result: Ok(Deleted {
                refused: vec![
                    ("k001".into(), tests::refused("one")),
                    ("k002".into(), tests::refused("two")),
                ],
                markers: 0,
            }),
        },
        at(4),
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::ListPage { .. })));
    let keys = app.listing.rows().visible_keys();
    assert_eq!(
        keys,
        ["k001", "k002"],
        "the three that went left; the refused stay"
    );
    assert_eq!(
        notice(&app),
        "deleted 3 of 5; 2 refused: s3://demo-bucket/k001: AccessDenied: one"
    );
    let history = &app.history.newest_first().next().unwrap().text;
    assert!(
        history.ends_with("all refused: s3://demo-bucket/k001: AccessDenied: one; s3://demo-bucket/k002: AccessDenied: two (signed with ASIA…WXYZ)"),
        "{history}"
    );
}

#[test]
fn one_marked_key_the_policy_refuses_stops_them_all() {
    let mut app = many(3);
    app.target.policy = crate::policy::SessionPolicy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::demo-bucket/k00[01]"},{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::demo-bucket/k000"},{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::demo-bucket/k001"}]}"#,
    )
    .unwrap();
    app.update(key('V'), at(1));
    assert_eq!(app.update(key('D'), at(2)), []);
    assert_eq!(app.input, None);
    assert_eq!(
        notice(&app),
        "the session policy does not allow s3:DeleteObject on arn:aws:s3:::demo-bucket/k002 (1 of 3 refused); nothing was sent (T offers read-write templates)"
    );
}

#[test]
fn ten_are_asked_with_y_and_eleven_need_the_name() {
    let mut app = many(11);
    for _ in 0..10 {
        app.update(key(' '), at(1));
    }
    app.update(key('D'), at(2));
    assert_eq!(app.input, Some(Input::ConfirmDelete), "ten: y");
    app.update(key('n'), at(2));
    app.update(key(' '), at(3)); // the eleventh
    app.update(key('D'), at(4));
    assert_eq!(
        app.input,
        Some(Input::TypeToDelete {
            text: String::new()
        }),
        "eleven: the bucket's name"
    );
}

#[test]
fn when_s3_refuses_every_key_nothing_reloads_and_the_marks_stay() {
    let mut app = many(2);
    app.update(key('V'), at(1));
    app.update(key('D'), at(2));
    let fx = app.update(key('y'), at(3));
    let Effect::DeleteObjects { request, .. } = fx[0] else {
        panic!()
    };
    let fx = app.update(
        Msg::ObjectsDeleted {
            request,
            result: Ok(Deleted {
                refused: vec![
                    ("k000".into(), tests::refused("a")),
                    ("k001".into(), tests::refused("b")),
                ],
                markers: 0,
            }),
        },
        at(4),
    );
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::ListPage { .. })),
        "{fx:?}"
    );
    assert_eq!(app.listing.marks.len(), 2, "nothing went: the marks stay");
    assert!(
        notice(&app).starts_with("deleted 0 of 2; 2 refused"),
        "{}",
        notice(&app)
    );
}

#[test]
fn on_a_versioned_bucket_the_delete_markers_are_said_nothing_is_lost() {
    let mut app = many(3);
    app.update(key('V'), at(1));
    let fx = app.update(key('D'), at(2));
    assert_eq!(fx, []);
    let fx = app.update(key('y'), at(3));
    let [Effect::DeleteObjects { request, .. }] = &fx[..] else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::ObjectsDeleted {
            request: *request,
            result: Ok(Deleted {
                refused: vec![],
                markers: 3,
            }),
        },
        at(4),
    );
    assert_eq!(
        notice(&app),
        "deleted 3 objects (30 B); the bucket is versioned: 3 delete markers hide the objects, and every version of them is kept"
    );
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        format!("{} (signed with ASIA…WXYZ)", notice(&app)),
        "and so in the history, with the credentials that signed it"
    );
}
