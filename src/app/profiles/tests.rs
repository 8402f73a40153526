//! The profile picker through `update`: the AWS files' profiles, filtered; a role profile
//! re-issues in role mode with its role and its source as the base; a keys profile becomes the
//! base of the current mode; the old session's late answers are dropped.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use crate::app::tests::{at, generation_of, info, key, list_request, running, special};
use crate::app::{App, Effect, Msg};
use crate::credentials::{CredentialRequest, Mode};
use crate::keymap::Key;
use crate::settings::profiles::ProfileFiles;

fn with_profiles() -> App {
    let (mut app, request) = running();
    app.update(
        Msg::PageLoaded {
            request,
            page: crate::app::tests::page(&[], &["a"], None),
        },
        at(1),
    );
    app.config.profile_files = ProfileFiles {
        config: "[profile dev]\nregion = eu-west-1\n[profile auditor]\nrole_arn = arn:aws:iam::111122223333:role/Auditor\nsource_profile = dev\nrole_session_name = audit\n[profile broken]\nrole_arn = arn:aws:iam::1:role/B\n".into(),
        credentials: "[dev]\naws_access_key_id = AKID\naws_secret_access_key = s\n".into(),
        config_path: "/h/.aws/config".into(),
        credentials_path: "/h/.aws/credentials".into(),
        too_large: None,
    };
    app
}

fn bases_of(effects: &[Effect]) -> Vec<(Mode, Option<String>)> {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::SetBases { bases } => {
                Some(bases.iter().map(|(m, b)| (*m, b.profile.clone())).collect())
            }
            _ => None,
        })
        .expect("a SetBases effect")
}

#[test]
fn a_role_profile_re_issues_in_role_mode_from_its_source() {
    let mut app = with_profiles();
    let old = app.session.active_generation().unwrap();
    assert!(app.update(key('P'), at(2)).is_empty());
    let names: Vec<String> = app
        .profiles
        .as_ref()
        .unwrap()
        .choices()
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["auditor", "broken", "dev"]);
    for c in "aud".chars() {
        app.update(key(c), at(2));
    }
    assert_eq!(app.profiles.as_ref().unwrap().choices().len(), 1);
    let fx = app.update(special(Key::Enter), at(3));
    assert!(app.profiles.is_none());
    assert_eq!(
        bases_of(&fx),
        [
            (Mode::Federated, Some("dev".into())),
            (Mode::AssumedRole, Some("dev".into())),
            (Mode::SessionToken, Some("dev".into())),
        ]
    );
    let request = fx.iter().find_map(|e| match e {
        Effect::IssueCredentials { request, .. } => Some(request.clone()),
        _ => None,
    });
    match request {
        Some(CredentialRequest::AssumedRole {
            role_arn,
            session_name,
            ..
        }) => {
            assert_eq!(role_arn, "arn:aws:iam::111122223333:role/Auditor");
            assert_eq!(session_name, "audit");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(app.target.role_profile.as_deref(), Some("auditor"));
    // A late page of the old session is dropped; the new session lists again.
    let generation = generation_of(&fx);
    assert!(generation > old);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::AssumedRole, at(4), 3600),
        },
        at(4),
    );
    assert_eq!(list_request(&fx).1.bucket, "demo-bucket");
    assert!(
        app.history
            .newest_first()
            .any(|e| e.text == "switched to profile auditor (assumed role mode)")
    );
}

#[test]
fn a_keys_profile_becomes_the_base_of_the_current_mode_and_a_broken_one_is_refused() {
    let mut app = with_profiles();
    app.update(key('P'), at(2));
    for c in "dev".chars() {
        app.update(key(c), at(2));
    }
    let fx = app.update(special(Key::Enter), at(3));
    assert_eq!(bases_of(&fx)[0], (Mode::Federated, Some("dev".into())));
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::IssueCredentials {
            request: CredentialRequest::Federated { .. },
            ..
        }
    )));
    assert_eq!(app.target.role_profile, None);
    // A role profile without a source: said, nothing changes.
    app.update(key('P'), at(5));
    for c in "broken".chars() {
        app.update(key(c), at(5));
    }
    let fx = app.update(special(Key::Enter), at(6));
    assert!(fx.is_empty());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("cannot use profile broken: profile broken has role_arn but neither")
    );
    assert!(app.profiles.is_some(), "the picker stays to choose another");
    app.update(special(Key::Esc), at(7));
    assert!(app.profiles.is_none());
    // No profiles at all: said instead of an empty picker.
    app.config.profile_files = ProfileFiles::default();
    app.update(key('P'), at(8));
    assert!(app.profiles.is_none());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("no profiles in")
    );
}

#[test]
fn the_filter_matches_a_profiles_name_kind_region_or_role() {
    let mut app = with_profiles();
    app.update(key('P'), at(2));
    let found = |app: &App| -> Vec<String> {
        app.profiles
            .as_ref()
            .unwrap()
            .choices()
            .iter()
            .map(|p| p.name.clone())
            .collect()
    };
    for (typed, want) in [
        ("eu-west", vec!["dev"]),
        ("role/audit", vec!["auditor"]),
        ("keys", vec!["dev"]),
    ] {
        for _ in 0..20 {
            app.update(special(Key::Backspace), at(2));
        }
        for c in typed.chars() {
            app.update(key(c), at(2));
        }
        assert_eq!(found(&app), want, "{typed}");
    }
}
