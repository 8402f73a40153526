//! The bucket picker through `update`: the start screen without a bucket, ListBuckets once
//! there are credentials, filtering, recent buckets, a refusal that still lets a name be
//! typed, and a federated session re-issued scoped to the chosen bucket.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use crate::app::fetch::Fetch;
use crate::app::tests::{at, generation_of, info, key, list_request, running, special, t0};
use crate::app::{App, Effect, Generation, Keymap, Msg, RequestId};
use crate::cli::Options;
use crate::credentials::{CredentialRequest, Mode};
use crate::failure::{AwsFailure, ErrorKind};
use crate::keymap::Key;
use crate::policy::Policy;
use crate::settings::Settings;

fn without_bucket(mode: Mode) -> (App, Generation) {
    let opts = Options {
        user: Some("alice".into()),
        role_arn: Some("arn:aws:iam::123456789012:role/R".into()),
        mode: Some(mode),
        ..Options::default()
    };
    let mut settings = Settings::resolve_text(&opts, "", "test.toml").unwrap();
    settings.config.recent_buckets = vec!["old-logs".into(), "alpha-data".into()];
    let (app, fx) = App::new(settings, Keymap::default(), t0());
    (app, generation_of(&fx))
}

fn issued_policy(effects: &[Effect]) -> Option<crate::policy::SessionPolicy> {
    effects.iter().find_map(|e| match e {
        Effect::IssueCredentials {
            request: CredentialRequest::Federated { policy, .. },
            ..
        } => Some(policy.clone()),
        _ => None,
    })
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c), at(2));
    }
}

/// Credentials arrive for the app's first issue; returns the effects.
fn credentials(app: &mut App, generation: Generation, mode: Mode) -> Vec<Effect> {
    app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(mode, t0(), 3600),
        },
        at(1),
    )
}

fn buckets_request(effects: &[Effect]) -> RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::ListBuckets { request, .. } => Some(*request),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no ListBuckets in {effects:?}"))
}

#[test]
fn without_a_bucket_the_picker_lists_buckets_with_a_list_only_session() {
    let opts = Options {
        user: Some("alice".into()),
        ..Options::default()
    };
    let settings = Settings::resolve_text(&opts, "", "test.toml").unwrap();
    let (mut app, fx) = App::new(settings, Keymap::default(), t0());
    let generation = generation_of(&fx);
    // The picker's session may list buckets and read nothing.
    assert_eq!(
        issued_policy(&fx),
        Some(Policy::for_bucket_picker().build().unwrap())
    );
    assert_eq!(app.buckets.as_ref().unwrap().listed, Fetch::Waiting);
    let fx = credentials(&mut app, generation, Mode::Federated);
    assert!(
        fx.iter().all(|e| !matches!(e, Effect::ListPage { .. })),
        "no bucket: no listing: {fx:?}"
    );
    let request = buckets_request(&fx);
    app.update(
        Msg::BucketsListed {
            request,
            result: Ok(vec![
                "alpha-data".into(),
                "beta-logs".into(),
                "gamma".into(),
            ]),
        },
        at(2),
    );
    assert!(
        app.history
            .newest_first()
            .all(|e| !e.text.starts_with("ListBuckets answered")),
        "every name is valid: nothing to say"
    );
    // Filter as you type (case-insensitively), Enter opens the selected one.
    type_text(&mut app, "LOG");
    let picker = app.buckets.as_ref().unwrap();
    let names: Vec<String> = picker
        .choices(&app.recent_buckets)
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["beta-logs"]);
    let fx = app.update(special(Key::Enter), at(3));
    assert!(app.buckets.is_none());
    assert_eq!(app.listing.bucket(), "beta-logs");
    // Re-issued, scoped to the bucket; remembered as recent.
    assert_eq!(
        issued_policy(&fx),
        Some(Policy::for_bucket("beta-logs", true).build().unwrap())
    );
    assert!(fx.contains(&Effect::RememberBuckets {
        names: vec!["beta-logs".into()]
    }));
    let generation = generation_of(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::Federated, at(4), 3600),
        },
        at(4),
    );
    let (_, req) = list_request(&fx);
    assert_eq!(req.bucket, "beta-logs");
    assert_eq!(req.prefix, "");
}

#[test]
fn listed_names_that_are_not_bucket_names_are_left_out_and_said() {
    let (mut app, generation) = without_bucket(Mode::Federated);
    let fx = credentials(&mut app, generation, Mode::Federated);
    app.update(
        Msg::BucketsListed {
            request: buckets_request(&fx),
            result: Ok(vec![
                "alpha-data".into(),
                "evil\ninjected-line".into(),
                "\u{1b}]52;c;x\u{7}".into(),
                "gamma".into(),
            ]),
        },
        at(2),
    );
    assert_eq!(
        app.buckets.as_ref().unwrap().listed,
        Fetch::Got(vec!["alpha-data".into(), "gamma".into()])
    );
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        "ListBuckets answered 2 names that are not valid bucket names; left out"
    );
}

#[test]
fn one_name_left_out_is_said_in_the_singular() {
    let (mut app, generation) = without_bucket(Mode::Federated);
    let fx = credentials(&mut app, generation, Mode::Federated);
    app.update(
        Msg::BucketsListed {
            request: buckets_request(&fx),
            result: Ok(vec!["Not_Valid".into(), "gamma".into()]),
        },
        at(2),
    );
    assert_eq!(
        app.history.newest_first().next().unwrap().text,
        "ListBuckets answered 1 name that is not a valid bucket name; left out"
    );
}

#[test]
fn a_refused_list_still_offers_typing_and_the_recent_buckets() {
    let (mut app, generation) = without_bucket(Mode::AssumedRole);
    let fx = credentials(&mut app, generation, Mode::AssumedRole);
    let request = buckets_request(&fx);
    // A stale answer is dropped.
    app.update(
        Msg::BucketsListed {
            request: RequestId(request.0 + 50),
            result: Ok(vec!["x-bucket".into()]),
        },
        at(2),
    );
    assert!(app.buckets.as_ref().unwrap().listed.is_asking(request));
    let denied = AwsFailure::new(
        ErrorKind::AccessDenied,
        Some("AccessDenied"),
        "Access Denied",
    );
    app.update(
        Msg::BucketsListed {
            request,
            result: Err(denied.clone()),
        },
        at(2),
    );
    let picker = app.buckets.as_ref().unwrap();
    assert_eq!(picker.listed.failed().map(|f| &f.failure), Some(&denied));
    let choices = picker.choices(&app.recent_buckets);
    assert!(choices.iter().all(|c| c.recent));
    assert_eq!(choices.len(), 2);
    // Down, Enter: the second recent bucket; role mode has no session policy: listed at once.
    app.update(special(Key::Down), at(2));
    let fx = app.update(special(Key::Enter), at(3));
    assert_eq!(app.listing.bucket(), "alpha-data");
    let (_, req) = list_request(&fx);
    assert_eq!(req.bucket, "alpha-data");
    assert!(
        fx.iter()
            .all(|e| !matches!(e, Effect::IssueCredentials { .. }))
    );
    assert!(fx.contains(&Effect::RememberBuckets {
        names: vec!["alpha-data".into(), "old-logs".into()]
    }));
    // b, a typed name nobody listed, Enter: opened.
    app.update(key('b'), at(4));
    type_text(&mut app, "typed-bucket");
    let fx = app.update(special(Key::Enter), at(5));
    assert_eq!(app.listing.bucket(), "typed-bucket");
    assert_eq!(list_request(&fx).1.bucket, "typed-bucket");
    // A name S3 would refuse is not opened.
    app.update(key('b'), at(6));
    type_text(&mut app, "Not_A_Bucket");
    assert!(app.update(special(Key::Enter), at(7)).is_empty());
    assert!(app.buckets.is_some());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("is not a bucket name")
    );
    app.update(special(Key::Backspace), at(7));
    assert_eq!(app.buckets.as_ref().unwrap().typed.filter, "Not_A_Bucke");
    app.update(special(Key::Esc), at(8));
    assert!(app.buckets.is_none());
    assert_eq!(app.listing.bucket(), "typed-bucket");
}

#[test]
fn b_opens_the_picker_over_a_bucket_and_esc_keeps_it() {
    let (mut app, _) = running();
    let fx = app.update(key('b'), at(2));
    let request = buckets_request(&fx);
    app.update(
        Msg::BucketsListed {
            request,
            result: Ok(vec!["demo-bucket".into(), "other".into()]),
        },
        at(2),
    );
    app.update(special(Key::Down), at(2));
    app.update(special(Key::Down), at(2));
    assert_eq!(
        app.buckets.as_ref().unwrap().typed.selected,
        1,
        "no further than the last"
    );
    app.update(special(Key::Up), at(2));
    assert_eq!(app.buckets.as_ref().unwrap().typed.selected, 0);
    app.update(special(Key::Esc), at(3));
    assert!(app.buckets.is_none());
    assert_eq!(app.listing.bucket(), "demo-bucket");
    // The lab needs a bucket: without one it says so.
    let (mut none, generation) = without_bucket(Mode::Federated);
    credentials(&mut none, generation, Mode::Federated);
    none.update(special(Key::Esc), at(2));
    assert!(none.notice.as_ref().unwrap().text.contains("b picks one"));
    assert!(none.update(key('A'), at(3)).is_empty());
    assert!(none.update(key('T'), at(3)).is_empty());
    assert!(
        none.notice
            .as_ref()
            .unwrap()
            .text
            .contains("no bucket open yet")
    );
}

#[test]
fn a_policy_of_ones_own_stays_when_the_bucket_changes() {
    let (mut app, _) = running();
    let own = crate::policy::SessionPolicy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
    )
    .unwrap();
    app.target.policy = own.clone();
    app.target.policy_from_file = true;
    app.update(key('b'), at(2));
    for c in "other-bucket".chars() {
        app.update(key(c), at(2));
    }
    let fx = app.update(special(Key::Enter), at(3));
    assert_eq!(app.target.policy, own);
    assert!(
        fx.iter()
            .all(|e| !matches!(e, Effect::IssueCredentials { .. })),
        "no re-issue: {fx:?}"
    );
    assert_eq!(list_request(&fx).1.bucket, "other-bucket");
}

#[test]
fn a_session_re_issued_for_the_chosen_bucket_is_not_counted_as_a_refresh() {
    let (mut app, generation) = without_bucket(Mode::Federated);
    credentials(&mut app, generation, Mode::Federated);
    type_text(&mut app, "beta-logs");
    let fx = app.update(special(Key::Enter), at(3));
    let reissue = generation_of(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation: reissue,
            info: info(Mode::Federated, at(4), 3600),
        },
        at(4),
    );
    assert_eq!(app.session.refresh_count(), 0, "a re-issue, not a refresh");
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("credentials re-issued for the new target (federated mode)")
    );
    assert!(
        app.history
            .newest_first()
            .any(|e| e.text.starts_with("re-issued federated credentials for")),
        "the history names it too"
    );
}
