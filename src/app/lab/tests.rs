//! The policy lab in the model: the access check, the template picker, the edit round trip,
//! and what a re-issue with a new policy does to the panes and the listing.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use super::LabView;
use crate::access_check::{Answer, Probe};
use crate::app::tests::{
    at, generation_of, info, key, list_request, page, running, settings_with, special, t0,
};
use crate::app::{App, Effect, Keymap, Msg};
use crate::credentials::{CredentialRequest, Mode};
use crate::keymap::Key;
use crate::policy::diff::Change;
use crate::policy::{PolicyError, SessionPolicy};

/// A running app whose root shows a folder and two keys.
fn browsing() -> App {
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: page(&["docs/"], &["a.txt", "b.txt"], None),
        },
        at(1),
    );
    app
}

fn issued_policy(effects: &[Effect]) -> Option<SessionPolicy> {
    effects.iter().find_map(|e| match e {
        Effect::IssueCredentials {
            request: CredentialRequest::Federated { policy, .. },
            ..
        } => Some(policy.clone()),
        _ => None,
    })
}

const LIST_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::demo-bucket"}]}"#;

#[test]
fn the_access_check_asks_for_the_selected_object_and_fills_in_the_answers() {
    let mut app = browsing();
    app.update(special(Key::Down), at(2)); // a.txt (the folder comes first)
    let fx = app.update(key('A'), at(2));
    let Some(Effect::CheckAccess {
        request,
        generation,
        bucket,
        probes,
    }) = fx.first().cloned()
    else {
        panic!("no CheckAccess in {fx:?}");
    };
    assert_eq!(Some(generation), app.session.active_generation());
    assert_eq!(bucket, "demo-bucket");
    assert_eq!(
        probes,
        [
            Probe::HeadObject {
                key: "a.txt".into()
            },
            Probe::ListPrefix {
                prefix: String::new()
            }
        ]
    );
    // A stale answer (another request) changes nothing.
    app.update(
        Msg::AccessChecked {
            request: crate::app::RequestId(request.0 + 100),
            answers: vec![Ok(()), Ok(())],
        },
        at(3),
    );
    let Some(LabView::Access { check, .. }) = &app.lab.view else {
        panic!("no access view");
    };
    assert!(!check.answered());
    app.update(
        Msg::AccessChecked {
            request,
            answers: vec![Err(crate::app::tests::refused("Access Denied")), Ok(())],
        },
        at(3),
    );
    let Some(LabView::Access { check, .. }) = &app.lab.view else {
        panic!("no access view");
    };
    assert_eq!(
        check.rows[0].answer,
        Some(Answer::Denied {
            code: "AccessDenied".into()
        })
    );
    assert_eq!(check.rows[1].answer, Some(Answer::Allowed { note: None }));
    // The default policy allows reading: S3's refusal differs from the prediction.
    assert_eq!(check.rows[0].agrees(), Some(false));
    assert_eq!(check.rows[1].agrees(), Some(true));
    // Keys other than its own are swallowed; Esc closes it.
    assert!(app.update(key('j'), at(4)).is_empty());
    assert!(app.lab.view.is_some());
    app.update(special(Key::Esc), at(4));
    assert!(app.lab.view.is_none());
}

#[test]
fn the_access_check_of_a_folder_lists_it_and_waits_for_a_session() {
    let mut app = browsing();
    let fx = app.update(key('A'), at(2));
    assert!(matches!(
        &fx[..],
        [Effect::CheckAccess { probes, .. }]
            if probes == &[Probe::ListPrefix { prefix: "docs/".into() }]
    ));
    // `A` again asks again, with a new request id.
    let again = app.update(key('A'), at(3));
    let id = |fx: &[Effect]| match fx {
        [Effect::CheckAccess { request, .. }] => *request,
        _ => panic!("{fx:?}"),
    };
    assert_ne!(id(&fx), id(&again));
    // Before any credentials there is nothing to ask with.
    let (mut fresh, _) = App::new(settings_with(|_| {}), Keymap::default(), t0());
    assert!(fresh.update(key('A'), t0()).is_empty());
    assert!(fresh.lab.view.is_none());
    assert!(
        fresh
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("no credentials yet")
    );
}

#[test]
fn a_template_re_issues_with_its_policy_shows_the_diff_and_reloads() {
    let mut app = browsing();
    let mut fx = app.update(key('T'), at(2));
    assert!(fx.is_empty(), "no policies folder in these settings");
    let Some(LabView::Templates { items, selected }) = &app.lab.view else {
        panic!("no picker");
    };
    assert_eq!(*selected, 0);
    assert_eq!(items[0].name, "list only");
    app.update(special(Key::Esc), at(2));
    app.config.policies_dir = Some("/p".into());
    fx = app.update(key('T'), at(2));
    assert_eq!(fx, [Effect::ReadUserPolicies { dir: "/p".into() }]);
    app.update(
        Msg::UserPoliciesRead {
            files: vec![("mine.json".into(), LIST_ONLY.into())],
        },
        at(2),
    );
    let Some(LabView::Templates { items, .. }) = &app.lab.view else {
        panic!("no picker");
    };
    let last = items.len() - 1;
    assert_eq!(items[last].name, "mine.json");
    let selected = |app: &App| match &app.lab.view {
        Some(LabView::Templates { selected, .. }) => *selected,
        other => panic!("{other:?}"),
    };
    // Down twice and back once: the second template; home: the first; other keys: nothing.
    app.update(key('j'), at(3));
    app.update(key('j'), at(3));
    app.update(key('k'), at(3));
    assert_eq!(selected(&app), 1);
    app.update(key('g'), at(3));
    assert_eq!(selected(&app), 0);
    assert!(app.update(key('x'), at(3)).is_empty(), "only Enter chooses");
    assert!(app.lab.view.is_some());
    // End: the user's file.
    app.update(special(Key::End), at(3));
    let fx = app.update(special(Key::Enter), at(3));
    let generation = generation_of(&fx);
    assert_eq!(
        issued_policy(&fx),
        Some(SessionPolicy::parse(LIST_ONLY).unwrap())
    );
    assert!(app.lab.view.is_none());
    let diff = app.policy.diff.clone().expect("a diff");
    assert!(
        diff.iter()
            .any(|(c, l)| *c == Change::Removed && l.contains("s3:GetObject"))
    );
    assert!(diff.iter().any(|(c, _)| *c == Change::Same));
    assert!(
        diff.iter()
            .all(|(c, l)| *c != Change::Added || !l.contains("s3:GetObject"))
    );
    // The listing reloads under the new session.
    let fx = app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::Federated, at(4), 3600),
        },
        at(4),
    );
    let (_, req) = list_request(&fx);
    assert_eq!(req.prefix, "");
    assert!(app.policy.diff.is_some(), "shown until the next key");
    app.update(key('j'), at(5));
    assert!(app.policy.diff.is_none());
    // A refresh later does not reload again.
    let fx = app.update(key('r'), at(6));
    let generation = generation_of(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::Federated, at(6), 3600),
        },
        at(6),
    );
    assert!(
        fx.iter().all(|e| !matches!(e, Effect::ListPage { .. })),
        "{fx:?}"
    );
}

#[test]
fn a_template_that_is_not_a_policy_says_why_and_session_tokens_carry_none() {
    let mut app = browsing();
    app.config.policies_dir = Some("/p".into());
    app.update(key('T'), at(2));
    app.update(
        Msg::UserPoliciesRead {
            files: vec![("broken.json".into(), "{".into())],
        },
        at(2),
    );
    app.update(special(Key::End), at(3));
    let fx = app.update(special(Key::Enter), at(3));
    assert!(fx.is_empty());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("that template cannot be used: policy is not valid JSON")
    );
    // Session tokens carry no session policy: the lab says so instead of opening.
    let settings = settings_with(|o| o.mode = Some(Mode::SessionToken));
    let (mut st, _) = App::new(settings, Keymap::default(), t0());
    assert!(st.update(key('T'), t0()).is_empty());
    assert!(st.update(key('e'), t0()).is_empty());
    assert!(st.lab.view.is_none());
    assert!(
        st.notice
            .as_ref()
            .unwrap()
            .text
            .contains("carries no session policy")
    );
}

#[test]
fn an_edit_round_trip_validates_offers_another_try_and_re_issues() {
    let mut app = browsing();
    let fx = app.update(key('e'), at(2));
    let current = app.target.policy.pretty().to_string();
    assert_eq!(
        fx,
        [Effect::EditPolicy {
            text: current.clone()
        }]
    );
    // While the editor is open a second `e` does nothing.
    assert!(app.update(key('e'), at(2)).is_empty());
    // Saved without a change: nothing to do.
    let fx = app.update(
        Msg::PolicyEdited {
            result: Ok(format!("{current}\n")),
        },
        at(3),
    );
    assert!(fx.is_empty());
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "the policy was not changed"
    );
    // Saved broken: shown with where, and `e` edits that text again.
    app.update(key('e'), at(4));
    let broken = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}".to_string();
    let fx = app.update(
        Msg::PolicyEdited {
            result: Ok(broken.clone()),
        },
        at(5),
    );
    assert!(fx.is_empty());
    let Some(LabView::Invalid { text, error }) = &app.lab.view else {
        panic!("no invalid view");
    };
    assert_eq!(text, &broken);
    assert!(
        matches!(error, PolicyError::Syntax { line: 4, .. }),
        "{error:?}"
    );
    assert!(
        app.update(key('j'), at(5)).is_empty(),
        "keys wait for e or Esc"
    );
    let fx = app.update(key('e'), at(6));
    assert_eq!(fx, [Effect::EditPolicy { text: broken }]);
    assert!(app.lab.view.is_none());
    // Saved valid: re-issued with it.
    let fx = app.update(
        Msg::PolicyEdited {
            result: Ok(LIST_ONLY.into()),
        },
        at(7),
    );
    assert_eq!(
        issued_policy(&fx),
        Some(SessionPolicy::parse(LIST_ONLY).unwrap())
    );
    assert_eq!(app.target.policy, SessionPolicy::parse(LIST_ONLY).unwrap());
    assert!(app.policy.diff.is_some());
    // The editor failed: said, nothing changed.
    app.update(key('e'), at(8));
    let fx = app.update(
        Msg::PolicyEdited {
            result: Err("the editor \"nope\" ended with exit status: 127".into()),
        },
        at(9),
    );
    assert!(fx.is_empty());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("the policy was not changed: the editor")
    );
    // Esc discards an invalid edit.
    app.update(key('e'), at(10));
    app.update(
        Msg::PolicyEdited {
            result: Ok("[]".into()),
        },
        at(11),
    );
    assert!(app.lab.view.is_some());
    app.update(special(Key::Esc), at(12));
    assert!(app.lab.view.is_none());
    assert_eq!(app.target.policy, SessionPolicy::parse(LIST_ONLY).unwrap());
}

#[test]
fn in_role_mode_the_edited_policy_scopes_the_role_session() {
    let settings = settings_with(|o| o.mode = Some(Mode::AssumedRole));
    let (mut app, fx) = App::new(settings, Keymap::default(), t0());
    let generation = generation_of(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::AssumedRole, t0(), 3600),
        },
        t0(),
    );
    // No session policy yet: the editor starts from the bucket's default.
    let fx = app.update(key('e'), at(1));
    let Some(Effect::EditPolicy { text }) = fx.first() else {
        panic!("{fx:?}");
    };
    assert!(text.contains("arn:aws:s3:::demo-bucket/*"));
    let fx = app.update(
        Msg::PolicyEdited {
            result: Ok(LIST_ONLY.into()),
        },
        at(2),
    );
    let policy = fx.iter().find_map(|e| match e {
        Effect::IssueCredentials {
            request: CredentialRequest::AssumedRole { policy, .. },
            ..
        } => policy.clone(),
        _ => None,
    });
    assert_eq!(policy, Some(SessionPolicy::parse(LIST_ONLY).unwrap()));
    let diff = app.policy.diff.as_ref().unwrap();
    assert!(diff.iter().all(|(c, _)| *c == Change::Added));
}

#[test]
fn q_quits_from_every_lab_view() {
    let mut app = browsing();
    app.update(key('A'), at(2));
    assert_eq!(app.update(key('q'), at(2)), [Effect::Quit]);
    let mut app = browsing();
    app.update(key('T'), at(2));
    assert_eq!(app.update(key('q'), at(2)), [Effect::Quit]);
    let mut app = browsing();
    app.update(key('e'), at(2));
    app.update(
        Msg::PolicyEdited {
            result: Ok("{".into()),
        },
        at(3),
    );
    assert!(matches!(app.lab.view, Some(LabView::Invalid { .. })));
    assert_eq!(app.update(key('q'), at(3)), [Effect::Quit]);
}

#[test]
fn the_labs_keys_are_its_own_and_ask_the_model_for_the_rest() {
    use super::{Lab, LabAsk};
    use crate::keymap::{Action, KeyPress};
    let mut lab = Lab::default();
    assert_eq!(
        lab.on_key(KeyPress::plain(Key::Enter), None),
        None,
        "closed"
    );
    let items = crate::policy::templates::built_in("b", "docs/");
    let second = items[1].policy.clone().unwrap();
    lab.view = Some(LabView::Templates { items, selected: 0 });
    let enter = KeyPress::plain(Key::Enter);
    assert_eq!(
        lab.on_key(KeyPress::plain(Key::Char('j')), Some(Action::Down)),
        Some(LabAsk::Nothing)
    );
    assert_eq!(lab.on_key(enter, None), Some(LabAsk::Use(Ok(second))));
    assert_eq!(
        lab.on_key(KeyPress::plain(Key::Char('q')), Some(Action::Quit)),
        Some(LabAsk::Quit)
    );
    assert_eq!(
        lab.on_key(KeyPress::plain(Key::Char('h')), Some(Action::Parent)),
        Some(LabAsk::Nothing)
    );
    assert_eq!(lab.view, None, "the parent key closes it");
    lab.view = Some(LabView::Invalid {
        text: "{".to_string(),
        error: SessionPolicy::parse("{").unwrap_err(),
    });
    assert_eq!(
        lab.on_key(KeyPress::plain(Key::Char('e')), Some(Action::EditPolicy)),
        Some(LabAsk::Edit)
    );
    assert_eq!(
        lab.on_key(KeyPress::plain(Key::Char('A')), Some(Action::AccessCheck)),
        Some(LabAsk::Nothing),
        "the access check's key asks again only in the access check"
    );
}
