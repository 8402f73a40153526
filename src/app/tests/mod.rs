//! `update` tests: messages in at fixed times, state and effects out. No runtime, no network.

use super::listing::Retry;
use super::session::{MIN_REFRESH_SECS, Phase, Plan};
use super::*;
use crate::bucket::{Etag, ListPage, ObjectEntry, PageRequest, StorageClass};
use crate::cli::Options;
use crate::credentials::{CredentialRequest, SessionInfo};
use crate::failure::{AwsFailure, ErrorKind};
use crate::keymap::{Key, KeyPress};
use chrono::TimeZone;

pub(crate) const ROLE: &str = "arn:aws:iam::123456789012:role/S3Reader";

pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

pub(crate) fn at(secs: i64) -> DateTime<Utc> {
    t0() + TimeDelta::seconds(secs)
}

pub(crate) fn settings_with(f: impl FnOnce(&mut Options)) -> Settings {
    let mut opts = Options {
        bucket: Some("demo-bucket".into()),
        user: Some("alice".into()),
        role_arn: Some(ROLE.into()),
        page_size: Some(3),
        ..Options::default()
    };
    f(&mut opts);
    Settings::resolve_text(&opts, "", "test.toml").unwrap()
}

fn app() -> (App, Vec<Effect>) {
    App::new(settings_with(|_| {}), Keymap::default(), t0())
}

pub(crate) fn info(mode: Mode, issued: DateTime<Utc>, lifetime_secs: i64) -> SessionInfo {
    SessionInfo {
        mode,
        principal_arn: format!("arn:aws:sts::1:{}", mode.flag()),
        access_key_id: "ASIAABCDEFGHIJKLWXYZ".into(),
        issued_at: issued,
        expires_at: issued + TimeDelta::seconds(lifetime_secs),
        packed_policy_percent: None,
        server_date: None,
        region: None,
    }
}

pub(crate) fn key(c: char) -> Msg {
    Msg::KeyPressed(KeyPress::plain(Key::Char(c)))
}

pub(crate) fn special(k: Key) -> Msg {
    Msg::KeyPressed(KeyPress::plain(k))
}

pub(crate) fn obj(key: &str) -> ObjectEntry {
    ObjectEntry::new(key, 10, None, Etag::parse("\"e\""), StorageClass::Unknown)
}

pub(crate) fn page(prefixes: &[&str], keys: &[&str], next: Option<&str>) -> ListPage {
    ListPage {
        prefixes: prefixes.iter().map(|p| (*p).to_string()).collect(),
        objects: keys.iter().map(|k| obj(k)).collect(),
        next_token: next.map(str::to_string),
    }
}

pub(crate) fn generation_of(effects: &[Effect]) -> Generation {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::IssueCredentials { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("an IssueCredentials effect")
}

pub(crate) fn list_request(effects: &[Effect]) -> (RequestId, PageRequest) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::ListPage { request, page, .. } => Some((*request, page.clone())),
            _ => None,
        })
        .expect("a ListPage effect")
}

/// An app with an active federated session (1 h) and the first page of the root loaded.
pub(crate) fn running() -> (App, RequestId) {
    let (mut app, fx) = app();
    let generation = generation_of(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    assert_eq!(fx[0], Effect::UseCredentials { generation });
    let (id, req) = list_request(&fx);
    assert_eq!(req.continuation_token, None);
    (app, id)
}

/// `opener` (the key that opens a prompt), `text` typed, then Enter: its effects.
pub(crate) fn prompted(app: &mut App, opener: char, text: &str) -> Vec<Effect> {
    let _ = app.update(key(opener), at(2));
    for c in text.chars() {
        let _ = app.update(key(c), at(2));
    }
    app.update(special(Key::Enter), at(2))
}

/// The notice shown; panics when there is none.
pub(crate) fn notice(app: &App) -> &str {
    &app.notice.as_ref().expect("a notice").text
}

/// S3's refusal (`AccessDenied`) with `message`.
pub(crate) fn refused(message: &str) -> AwsFailure {
    AwsFailure::new(ErrorKind::AccessDenied, Some("AccessDenied"), message)
}

/// A running app whose root shows `folders` and `keys`, with a session policy that may write
/// (the `read-write` template, as if attached from the lab).
pub(crate) fn writable(folders: &[&str], keys: &[&str]) -> App {
    let (mut app, request) = running();
    let _ = app.update(
        Msg::PageLoaded {
            request,
            page: page(folders, keys, None),
        },
        at(1),
    );
    app.target.policy =
        crate::policy::templates::by_name("read-write", app.listing.bucket(), "").unwrap();
    app.target.policy_from_file = true;
    app
}

#[test]
fn start_issues_credentials_for_the_configured_mode() {
    let (app, fx) = app();
    assert_eq!(fx.len(), 1);
    match &fx[0] {
        Effect::IssueCredentials {
            generation,
            request,
        } => {
            assert_eq!(*generation, Generation(1));
            assert_eq!(request.mode(), Mode::Federated);
            assert!(request.policy().unwrap().compact().contains("demo-bucket"));
        }
        other => panic!("{other:?}"),
    }
    assert!(app.session.is_issuing());
    assert!(
        app.listing.in_flight().is_none(),
        "no listing before credentials"
    );
}

#[test]
fn credentials_then_first_page_then_state() {
    let (mut app, id) = running();
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&["big/", "docs/"], &["README.md"], Some("README.md")),
        },
        at(1),
    );
    // Three rows loaded and more available: the cursor is within LOOKAHEAD, so the next page
    // is requested right away.
    let (_, next) = list_request(&fx);
    assert_eq!(next.continuation_token.as_deref(), Some("README.md"));
    let keys: Vec<&str> = app.listing.rows().keys();
    assert_eq!(keys, ["big/", "docs/", "README.md"]);
    assert_eq!(app.listing.rows().key_count(), 1);
    assert!(!app.listing.complete());
}

#[test]
fn stale_page_is_dropped() {
    let (mut app, id) = running();
    // Open a folder: a new request replaces the first.
    app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&["a/"], &[], None),
        },
        at(1),
    );
    let fx = app.update(special(Key::Enter), at(2));
    let (new_id, req) = list_request(&fx);
    assert_eq!(req.prefix, "a/");
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["stale"], None),
        },
        at(3),
    );
    assert!(fx.is_empty());
    assert!(
        app.listing.rows().len() == 0,
        "the old prefix's page was dropped"
    );
    app.update(
        Msg::PageLoaded {
            request: new_id,
            page: page(&[], &["a/x"], None),
        },
        at(3),
    );
    assert_eq!(app.listing.rows().keys()[0], "a/x");
    // A failure for an old request is dropped too.
    let fx = app.update(
        Msg::PageFailed {
            request: id,
            failure: AwsFailure::new(ErrorKind::Network, None, "x"),
        },
        at(4),
    );
    assert!(fx.is_empty() && app.listing.error().is_none());
}

#[test]
fn pages_load_on_demand_near_the_end_only() {
    let mut s = settings_with(|o| o.page_size = Some(1000));
    s.config.page_size = 1000;
    let (mut app, fx) = App::new(s, Keymap::default(), t0());
    let g = generation_of(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    let (id, _) = list_request(&fx);
    let keys: Vec<String> = (0..1000).map(|i| format!("k{i:04}")).collect();
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &refs, Some("k0999")),
        },
        at(1),
    );
    assert!(fx.is_empty(), "cursor at the top: no second page yet");
    for _ in 0..899 {
        assert!(app.update(special(Key::Down), at(2)).is_empty());
    }
    let fx = app.update(special(Key::Down), at(2));
    let (_, req) = list_request(&fx);
    assert_eq!(req.continuation_token.as_deref(), Some("k0999"));
    assert_eq!(
        app.listing.rows().cursor(),
        900,
        "LOOKAHEAD rows before the end"
    );
    // While that page is in flight, moving does not ask again.
    assert!(app.update(special(Key::Down), at(2)).is_empty());
}

#[test]
fn bottom_key_walks_to_the_end_of_a_prefix() {
    let (mut app, id) = running();
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["a", "b", "c"], Some("c")),
        },
        at(1),
    );
    // Only three rows loaded: the cursor is already near the end, so the next page is asked for.
    let (id2, req) = list_request(&fx);
    assert_eq!(req.continuation_token.as_deref(), Some("c"));
    app.update(
        Msg::PageLoaded {
            request: id2,
            page: page(&[], &["d", "e"], None),
        },
        at(2),
    );
    assert!(app.listing.complete());
    assert!(
        app.update(key('G'), at(3)).is_empty(),
        "complete: nothing more to load"
    );
    assert_eq!(app.listing.selected().unwrap().key(), "e");
    app.update(key('g'), at(3));
    assert_eq!(app.listing.selected().unwrap().key(), "a");
}

#[test]
fn refresh_is_scheduled_at_expiry_minus_margin() {
    for (lifetime, due) in [(3600, 3300), (900, 600), (7200, 6900)] {
        let s = settings_with(|o| o.duration = Some(u32::try_from(lifetime).unwrap()));
        let (mut app, fx) = App::new(s, Keymap::default(), t0());
        let g = generation_of(&fx);
        let fx = app.update(
            Msg::CredentialsIssued {
                generation: g,
                info: info(Mode::Federated, t0(), lifetime),
            },
            t0(),
        );
        assert_eq!(app.session.clock_offset(), TimeDelta::zero());
        assert_eq!(
            app.session.phase(),
            Phase::Waiting(Plan::Refresh { at: at(due) }),
            "lifetime {lifetime}"
        );
        // The page arrives: no spinner, so the next wake-up is the refresh.
        let (id, _) = list_request(&fx);
        app.update(
            Msg::PageLoaded {
                request: id,
                page: page(&[], &["a"], None),
            },
            t0(),
        );
        assert_eq!(app.next_deadline(at(due - 1)), at(due));
        assert!(app.update(Msg::Tick, at(due - 1)).is_empty());
        let fx = app.update(Msg::Tick, at(due));
        let g2 = generation_of(&fx);
        assert_eq!(g2, Generation(g.0 + 1));
        assert!(
            app.update(Msg::Tick, at(due + 1)).is_empty(),
            "no second refresh while one is in flight"
        );
        // The refreshed session replaces the old one without reloading the listing.
        let fx = app.update(
            Msg::CredentialsIssued {
                generation: g2,
                info: info(Mode::Federated, at(due), lifetime),
            },
            at(due),
        );
        assert_eq!(fx, vec![Effect::UseCredentials { generation: g2 }]);
        assert_eq!(app.session.refresh_count(), 1);
        assert_eq!(
            app.notice.as_ref().unwrap().text,
            "credentials refreshed (federated mode)"
        );
    }
}

#[test]
fn a_clock_far_ahead_is_measured_shown_and_never_loops() {
    let (mut app, fx) = app();
    let g = generation_of(&fx);
    // We asked for 3600 s; the server says the session ends 3600 s after *its* now, which is
    // two hours behind ours.
    let server_now = t0() - TimeDelta::hours(2);
    // As the AWS layer reports it: asked at our t0; the server's Date says two hours earlier
    // and the session ends 3600 s after that.
    let mut answer = info(Mode::Federated, t0(), 3600);
    answer.expires_at = server_now + TimeDelta::seconds(3600);
    answer.server_date = Some(server_now);
    app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: answer,
        },
        t0(),
    );
    assert_eq!(app.session.clock_offset(), TimeDelta::hours(2));
    let issued = app.session.info().unwrap();
    assert_eq!(
        issued.issued_at, server_now,
        "issue time on the server's clock too"
    );
    assert_eq!(issued.lifetime(), TimeDelta::seconds(3600));
    assert!(
        !app.session.is_expired(t0()),
        "expiry is judged on the server's clock"
    );
    assert_eq!(app.session.remaining(t0()), Some(TimeDelta::seconds(3600)));
    assert_eq!(
        app.session.phase(),
        Phase::Waiting(Plan::Refresh { at: at(3300) }),
        "planned on the server's clock"
    );
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "local clock 2h00m00s ahead of STS; times follow the server's clock"
    );
    // Even if the measure were wrong, refreshes are at least MIN_REFRESH_SECS apart.
    let g2 = generation_of(&app.update(key('r'), at(1)));
    app.update(
        Msg::CredentialsIssued {
            generation: g2,
            info: info(Mode::Federated, server_now, 60),
        },
        at(2),
    );
    assert_eq!(
        app.session.phase(),
        Phase::Waiting(Plan::Refresh {
            at: at(2 + MIN_REFRESH_SECS)
        })
    );
    assert!(app.update(Msg::Tick, at(3)).is_empty());
}

#[test]
fn failed_refresh_retries_with_backoff_and_keeps_the_listing() {
    let (mut app, id) = running();
    app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["a", "b"], None),
        },
        at(1),
    );
    let fx = app.update(Msg::Tick, at(3300));
    let g = generation_of(&fx);
    let fail = AwsFailure::new(
        ErrorKind::Network,
        None,
        "cannot reach the endpoint: refused",
    );
    app.update(
        Msg::CredentialsFailed {
            generation: g,
            failure: fail.clone(),
        },
        at(3301),
    );
    assert_eq!(
        app.session.phase(),
        Phase::Waiting(Plan::Retry {
            failures: 1,
            at: at(3306)
        })
    );
    assert!(app.session.last_error().unwrap().text.contains("refused"));
    assert_eq!(app.listing.rows().len(), 2, "listing stays on screen");
    assert!(app.update(Msg::Tick, at(3305)).is_empty());
    let g2 = generation_of(&app.update(Msg::Tick, at(3306)));
    app.update(
        Msg::CredentialsFailed {
            generation: g2,
            failure: fail,
        },
        at(3307),
    );
    assert_eq!(
        app.session.phase(),
        Phase::Waiting(Plan::Retry {
            failures: 2,
            at: at(3317)
        }),
        "doubled"
    );
    // r retries at once and resets the backoff.
    let g3 = generation_of(&app.update(key('r'), at(3308)));
    app.update(
        Msg::CredentialsIssued {
            generation: g3,
            info: info(Mode::Federated, at(3308), 3600),
        },
        at(3309),
    );
    assert!(matches!(
        app.session.phase(),
        Phase::Waiting(Plan::Refresh { .. })
    ));
    assert!(app.session.last_error().is_none());
}

#[test]
fn mode_switch_issues_a_new_generation_and_drops_the_old_ones_answers() {
    let (mut app, id) = running();
    app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&["x/"], &["a"], None),
        },
        at(1),
    );
    let fx = app.update(key('a'), at(2));
    let role_gen = match &fx[..] {
        [
            Effect::IssueCredentials {
                generation,
                request,
            },
        ] => {
            assert_eq!(request.mode(), Mode::AssumedRole);
            *generation
        }
        other => panic!("{other:?}"),
    };
    // Then m cycles on from the mode being switched to: role → session.
    let fx = app.update(key('m'), at(3));
    let session_gen = generation_of(&fx);
    assert!(session_gen > role_gen);
    // The role answer arrives late: dropped, nothing changes.
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: role_gen,
            info: info(Mode::AssumedRole, at(3), 3600),
        },
        at(4),
    );
    assert!(fx.is_empty());
    assert_eq!(app.session.mode(), Mode::Federated);
    // The session-token answer is used; the panes update and the prefix reloads.
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: session_gen,
            info: info(Mode::SessionToken, at(4), 3600),
        },
        at(4),
    );
    assert_eq!(
        fx[0],
        Effect::UseCredentials {
            generation: session_gen
        }
    );
    let (_, req) = list_request(&fx);
    assert_eq!(req.prefix, "");
    assert_eq!(app.session.mode(), Mode::SessionToken);
    assert_eq!(
        app.session.info().unwrap().principal_arn,
        "arn:aws:sts::1:session"
    );
    assert!(
        app.policy
            .note
            .as_ref()
            .unwrap()
            .contains("caller's own permissions")
    );
    assert!(app.policy.lines.is_empty());
    assert_eq!(app.session.refresh_count(), 0);
}

#[test]
fn mode_without_its_settings_says_so_and_keeps_the_session() {
    let (mut app, fx) = App::new(
        settings_with(|o| o.role_arn = None),
        Keymap::default(),
        t0(),
    );
    let g = generation_of(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    let fx = app.update(key('a'), at(1));
    assert!(fx.is_empty());
    let err = app.session.last_error().unwrap();
    assert_eq!(err.mode, Mode::AssumedRole);
    assert!(
        err.text.starts_with("assumed-role mode needs a role ARN"),
        "{}",
        err.text
    );
    assert_eq!(app.session.mode(), Mode::Federated);
    assert!(app.notice.as_ref().unwrap().text.contains("--role-arn"));
}

#[test]
fn failed_switch_keeps_the_active_session_without_retrying() {
    let (mut app, _) = running();
    let g = generation_of(&app.update(key('t'), at(1)));
    let failure = AwsFailure::from_service(Some("AccessDenied"), Some("not allowed"), Some(403));
    app.update(
        Msg::CredentialsFailed {
            generation: g,
            failure,
        },
        at(2),
    );
    assert_eq!(app.session.mode(), Mode::Federated);
    assert!(
        matches!(app.session.phase(), Phase::Waiting(Plan::Refresh { .. })),
        "the active session's refresh stays planned; the switch is not retried"
    );
    assert!(
        app.session
            .last_error()
            .unwrap()
            .text
            .contains("AccessDenied")
    );
}

#[test]
fn expired_token_shows_inline_refreshes_once_and_retries_keeping_keys() {
    let (mut app, id) = running();
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["a", "b", "c"], Some("c")),
        },
        at(1),
    );
    let (id2, _) = list_request(&fx);
    let expired = AwsFailure::from_service(
        Some("ExpiredToken"),
        Some("The provided token has expired."),
        Some(400),
    );
    let fx = app.update(
        Msg::PageFailed {
            request: id2,
            failure: expired.clone(),
        },
        at(2),
    );
    let g2 = generation_of(&fx);
    let err = app.listing.error().unwrap();
    assert_eq!(err.failed.failure.code.as_deref(), Some("ExpiredToken"));
    assert_eq!(err.failed.retry, Retry::AfterCredentials);
    assert_eq!(
        err.token,
        Some(crate::bucket::Cursor::Token {
            token: "c".into(),
            after: Some("c".into())
        })
    );
    assert_eq!(app.listing.rows().len(), 3, "loaded keys kept");
    // New credentials arrive: use them, then retry the failed page from its token.
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: g2,
            info: info(Mode::Federated, at(3), 3600),
        },
        at(3),
    );
    assert_eq!(fx[0], Effect::UseCredentials { generation: g2 });
    let (id3, req) = list_request(&fx);
    assert_eq!(req.continuation_token.as_deref(), Some("c"));
    assert!(app.listing.error().is_none());
    // The retry fails the same way: no second refresh, no loop.
    let fx = app.update(
        Msg::PageFailed {
            request: id3,
            failure: expired,
        },
        at(4),
    );
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(app.listing.error().unwrap().failed.retry, Retry::ByUser);
    assert_eq!(app.listing.rows().len(), 3);
}

/// Fails every refresh from the planned one on, until the next retry is due only after
/// `until`; returns the time of that retry.
fn refreshes_failing_until(app: &mut App, until: i64) -> DateTime<Utc> {
    let refused = AwsFailure::new(ErrorKind::Network, None, "refused");
    let mut now = at(3300);
    loop {
        let g = generation_of(&app.update(Msg::Tick, now));
        app.update(
            Msg::CredentialsFailed {
                generation: g,
                failure: refused.clone(),
            },
            now,
        );
        let Phase::Waiting(Plan::Retry { at: next, .. }) = app.session.phase() else {
            panic!("{:?}", app.session.phase());
        };
        if next > at(until) {
            return next;
        }
        now = next;
    }
}

#[test]
fn credential_rejection_after_countdown_reached_zero_counts_as_expiry() {
    let (mut app, id) = running();
    // The refresh keeps failing, so at 3601 s the session has run out and nothing is due.
    let next_retry = refreshes_failing_until(&mut app, 3601);
    assert!(
        app.update(Msg::Tick, at(3601)).is_empty(),
        "nothing due by itself"
    );
    // SeaweedFS answers an expired token with 403 InvalidAccessKeyId; plain 403 without a
    // body (HEAD) after expiry must be read the same way.
    let denied = AwsFailure::from_service(None, None, Some(403));
    let fx = app.update(
        Msg::PageFailed {
            request: id,
            failure: denied.clone(),
        },
        at(3601),
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::IssueCredentials { .. })),
        "the denial itself asks for new credentials before the retry at {next_retry}: {fx:?}"
    );
    assert_eq!(
        app.listing.error().unwrap().failed.retry,
        Retry::AfterCredentials
    );
    // Before expiry, the same 403 is a plain permission problem.
    let (mut app, id) = running();
    let fx = app.update(
        Msg::PageFailed {
            request: id,
            failure: denied,
        },
        at(10),
    );
    assert!(fx.is_empty());
    assert_eq!(
        app.listing.error().unwrap().failed.failure.kind,
        ErrorKind::AccessDenied
    );
}

#[test]
fn expiry_while_asleep_is_noticed_on_the_next_tick() {
    let (mut app, _) = running();
    // The wall clock jumps two hours: the refresh is long overdue.
    let fx = app.update(Msg::Tick, at(7200));
    assert!(matches!(fx[..], [Effect::IssueCredentials { .. }]));
    assert!(app.session.is_expired(at(7200)));
}

#[test]
fn page_failure_with_replaced_credentials_retries_without_refreshing() {
    let (mut app, id) = running();
    // Credentials were refreshed while the page was in flight.
    let g2 = generation_of(&app.update(key('r'), at(1)));
    app.update(
        Msg::CredentialsIssued {
            generation: g2,
            info: info(Mode::Federated, at(1), 3600),
        },
        at(1),
    );
    let expired = AwsFailure::from_service(Some("ExpiredToken"), None, Some(400));
    let fx = app.update(
        Msg::PageFailed {
            request: id,
            failure: expired,
        },
        at(2),
    );
    let (_, req) = list_request(&fx);
    assert_eq!(req.continuation_token, None);
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::IssueCredentials { .. }))
    );
}

#[test]
fn keys_map_to_effects() {
    let (mut app, _) = running();
    assert_eq!(app.update(key('q'), at(1)), vec![Effect::Quit]);
    assert_eq!(
        app.update(Msg::KeyPressed(KeyPress::ctrl('c')), at(1)),
        vec![Effect::Quit]
    );
    app.update(key('?'), at(1));
    assert!(app.help_visible);
    assert!(
        app.update(key('q'), at(1)).is_empty(),
        "q closes help first"
    );
    assert!(!app.help_visible);
    app.update(special(Key::Tab), at(1));
    assert_eq!(app.focus, Focus::Session);
    app.update(special(Key::BackTab), at(1));
    assert_eq!(app.focus, Focus::Objects);
    assert!(app.update(key('f'), at(1)).is_empty(), "already federated");
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .starts_with("already in federated mode")
    );
}

#[test]
fn filter_typing_enter_and_escape() {
    let (mut app, id) = running();
    app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["alpha", "beta", "gamma"], None),
        },
        at(1),
    );
    app.update(key('/'), at(1));
    for c in "ET".chars() {
        app.update(key(c), at(1));
    }
    assert_eq!(app.listing.rows().visible_len(), 1);
    assert_eq!(app.listing.selected().unwrap().key(), "beta");
    assert!(
        app.update(key('q'), at(1)).is_empty(),
        "typing q filters, it does not quit"
    );
    app.update(special(Key::Backspace), at(1));
    app.update(special(Key::Enter), at(1));
    assert!(app.input.is_none());
    assert_eq!(app.listing.rows().filter(), "ET");
    app.update(special(Key::Esc), at(1));
    assert_eq!(app.listing.rows().visible_len(), 3);
}

#[test]
fn reload_keeps_rows_until_the_first_new_page_and_after_a_failure() {
    let (mut app, id) = running();
    app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&["a/"], &["k1", "k2"], None),
        },
        at(1),
    );
    app.update(special(Key::Down), at(1));
    let (id2, req) = list_request(&app.update(Msg::KeyPressed(KeyPress::ctrl('r')), at(2)));
    assert_eq!(req.continuation_token, None);
    assert_eq!(app.listing.rows().len(), 3, "old rows stay while reloading");
    let denied = AwsFailure::from_service(Some("AccessDenied"), Some("Access Denied."), Some(403));
    app.update(
        Msg::PageFailed {
            request: id2,
            failure: denied,
        },
        at(3),
    );
    assert_eq!(app.listing.rows().len(), 3, "a failed reload loses nothing");
    // ctrl-r again retries from the start and the new page replaces the old rows.
    let (id3, req) = list_request(&app.update(Msg::KeyPressed(KeyPress::ctrl('r')), at(4)));
    assert_eq!(req.continuation_token, None);
    app.update(
        Msg::PageLoaded {
            request: id3,
            page: page(&["a/"], &["k1", "k3"], None),
        },
        at(5),
    );
    let keys: Vec<&str> = app.listing.rows().keys();
    assert_eq!(keys, ["a/", "k1", "k3"]);
    assert_eq!(
        app.listing.selected().unwrap().key(),
        "k1",
        "selection kept"
    );
}

#[test]
fn reload_walks_back_to_the_selected_key_within_a_bound() {
    let (mut app, id) = running();
    app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["a", "b", "c"], Some("c")),
        },
        at(1),
    );
    // (the arrival asked for page 2 because the cursor is near the end; load it)
    let id2 = app.listing.in_flight().unwrap().id;
    app.update(
        Msg::PageLoaded {
            request: id2,
            page: page(&[], &["d"], None),
        },
        at(1),
    );
    app.update(key('G'), at(1));
    let (mut id, _) = list_request(&app.update(Msg::KeyPressed(KeyPress::ctrl('r')), at(2)));
    // Page 1 lacks "d": the next page is asked for at once, whatever the cursor.
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["a", "b", "c"], Some("c")),
        },
        at(3),
    );
    id = list_request(&fx).0;
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["d"], None),
        },
        at(3),
    );
    assert!(fx.is_empty());
    assert_eq!(app.listing.selected().unwrap().key(), "d");
    // Never more than RESELECT_MAX_PAGES pages.
    // "d" is not on any of these pages.
    let mut fx = app.update(Msg::KeyPressed(KeyPress::ctrl('r')), at(4));
    let mut pages = 0;
    while let Some((rid, _)) = fx.iter().find_map(|e| match e {
        Effect::ListPage { request, page, .. } => Some((*request, page.clone())),
        _ => None,
    }) {
        pages += 1;
        assert!(pages <= listing::RESELECT_MAX_PAGES + 1, "runaway");
        fx = app.update(
            Msg::PageLoaded {
                request: rid,
                page: page(&[], &[&format!("k{pages:03}")], Some("t")),
            },
            at(4),
        );
        if pages >= listing::RESELECT_MAX_PAGES {
            break;
        }
    }
    assert_eq!(pages, listing::RESELECT_MAX_PAGES);
    assert!(!app.listing.reselecting());
}

#[test]
fn going_up_reselects_the_folder_we_left() {
    let (mut app, id) = running();
    app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&["a/", "b/"], &[], None),
        },
        at(1),
    );
    app.update(special(Key::Down), at(1));
    let (id2, req) = list_request(&app.update(special(Key::Enter), at(1)));
    assert_eq!(req.prefix, "b/");
    app.update(
        Msg::PageLoaded {
            request: id2,
            page: page(&[], &["b/1"], None),
        },
        at(2),
    );
    let (id3, req) = list_request(&app.update(key('h'), at(3)));
    assert_eq!(req.prefix, "");
    app.update(
        Msg::PageLoaded {
            request: id3,
            page: page(&["a/", "b/"], &[], None),
        },
        at(4),
    );
    assert_eq!(app.listing.selected().unwrap().key(), "b/");
    assert!(
        app.update(key('h'), at(5)).is_empty(),
        "already at the root"
    );
}

#[test]
fn mfa_prompt_collects_a_code_before_issuing() {
    let s = settings_with(|o| {
        o.mode = Some(Mode::SessionToken);
        o.mfa_serial = Some("arn:aws:iam::1:mfa/alice".into());
    });
    let (mut app, fx) = App::new(s, Keymap::default(), t0());
    assert!(fx.is_empty());
    assert!(matches!(
        app.input,
        Some(Input::Mfa {
            mode: Mode::SessionToken,
            ..
        })
    ));
    for c in "12a345".chars() {
        app.update(key(c), at(1));
    }
    app.update(special(Key::Enter), at(1));
    match &app.input {
        Some(Input::Mfa { error: Some(e), .. }) => assert!(e.contains("6 digits"), "{e}"),
        other => panic!("{other:?}"),
    }
    for c in "123456".chars() {
        app.update(key(c), at(2));
    }
    let fx = app.update(special(Key::Enter), at(2));
    match &fx[..] {
        [
            Effect::IssueCredentials {
                request: CredentialRequest::SessionToken { mfa: Some(m), .. },
                ..
            },
        ] => {
            assert_eq!(m.code, "123456");
        }
        other => panic!("{other:?}"),
    }
    assert!(app.input.is_none());
}

#[test]
fn next_deadline_follows_the_countdown_and_spinner() {
    let (mut app, fx) = app();
    // Issuing: spinner frames every 100 ms.
    assert_eq!(app.next_deadline(t0()), t0() + TimeDelta::milliseconds(100));
    let g = generation_of(&fx);
    let mut i = info(Mode::Federated, t0(), 3600);
    i.expires_at += TimeDelta::milliseconds(250);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: i,
        },
        t0(),
    );
    // A page in flight turns the spinner; once it is in, only the countdown is left.
    assert_eq!(app.next_deadline(t0()), t0() + TimeDelta::milliseconds(100));
    let (id, _) = list_request(&fx);
    app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["a"], None),
        },
        t0(),
    );
    // The displayed second changes 250 ms from now.
    assert_eq!(app.next_deadline(t0()), t0() + TimeDelta::milliseconds(250));
    assert_eq!(
        app.next_deadline(at(1) + TimeDelta::milliseconds(250)),
        at(2) + TimeDelta::milliseconds(250)
    );
}

#[test]
fn transient_page_failures_retry_by_themselves_with_backoff() {
    let (mut app, id) = running();
    app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["a", "b", "c"], Some("c")),
        },
        at(1),
    );
    let id2 = app.listing.in_flight().unwrap().id;
    let down = AwsFailure::new(
        ErrorKind::Network,
        None,
        "cannot reach S3: Connection refused",
    );
    assert!(
        app.update(
            Msg::PageFailed {
                request: id2,
                failure: down.clone()
            },
            at(2)
        )
        .is_empty()
    );
    let err = app.listing.error().unwrap();
    assert_eq!(err.failed.retry, Retry::At(at(7)));
    assert_eq!(app.next_deadline(at(6)), at(7));
    assert!(app.update(Msg::Tick, at(6)).is_empty());
    let (id3, req) = list_request(&app.update(Msg::Tick, at(7)));
    assert_eq!(
        req.continuation_token.as_deref(),
        Some("c"),
        "resumes where it failed"
    );
    app.update(
        Msg::PageFailed {
            request: id3,
            failure: down,
        },
        at(8),
    );
    assert_eq!(
        app.listing.error().unwrap().failed.retry,
        Retry::At(at(18)),
        "backs off"
    );
    assert_eq!(app.listing.rows().len(), 3, "loaded keys kept");
    let (id4, _) = list_request(&app.update(Msg::Tick, at(18)));
    app.update(
        Msg::PageLoaded {
            request: id4,
            page: page(&[], &["d"], None),
        },
        at(19),
    );
    assert!(app.listing.error().is_none());
    assert!(app.listing.complete());
    // A permission problem is not retried by itself.
    let (mut app, id) = running();
    let denied = AwsFailure::from_service(Some("AccessDenied"), Some("Access Denied."), Some(403));
    app.update(
        Msg::PageFailed {
            request: id,
            failure: denied,
        },
        at(2),
    );
    assert_eq!(app.listing.error().unwrap().failed.retry, Retry::ByUser);
    assert!(
        app.update(Msg::Tick, at(600))
            .iter()
            .all(|e| !matches!(e, Effect::ListPage { .. }))
    );
}

#[test]
fn sdk_retries_show_a_transient_notice() {
    let (mut app, _) = running();
    app.update(Msg::RequestRetrying { status: 503 }, at(1));
    let notice = app.notice.clone().unwrap();
    assert_eq!(notice.text, "S3 is throttling (HTTP 503); retrying…");
    assert_eq!(notice.level, Level::Warn);
    app.update(Msg::Tick, at(1 + NOTICE_SECS));
    assert!(app.notice.is_none(), "it goes away by itself");
}

#[test]
fn mode_cycle_skips_modes_whose_settings_are_missing_and_says_so() {
    let (mut app, fx) = App::new(
        settings_with(|o| o.role_arn = None),
        Keymap::default(),
        t0(),
    );
    let g = generation_of(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    // m: role mode lacks its ARN, so session-token mode is next.
    let fx = app.update(key('m'), at(1));
    match &fx[..] {
        [Effect::IssueCredentials { request, .. }] => {
            assert_eq!(request.mode(), Mode::SessionToken);
        }
        other => panic!("{other:?}"),
    }
    let notice = app.notice.clone().unwrap();
    assert!(
        notice.text.starts_with("skipped assumed role mode: assumed-role mode needs a role ARN; set `role_arn` in config.toml"),
        "{}",
        notice.text
    );
    // Pressed again while switching: from session-token mode on, back to federated.
    let fx = app.update(key('m'), at(2));
    assert_eq!(generation_of(&fx).0, g.0 + 2);
    assert_eq!(app.session.target_mode(), Mode::Federated);
}

#[test]
fn a_mode_that_lacks_its_settings_is_refused_before_asking_for_an_mfa_code() {
    let s = settings_with(|o| {
        o.role_arn = None;
        o.mfa_serial = Some("arn:aws:iam::1:mfa/alice".into());
    });
    let (mut app, fx) = App::new(s, Keymap::default(), t0());
    let g = generation_of(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation: g,
            info: info(Mode::Federated, t0(), 3600),
        },
        t0(),
    );
    assert!(app.update(key('a'), at(1)).is_empty());
    assert!(
        app.input.is_none(),
        "no MFA prompt for a mode that cannot be used"
    );
    assert!(
        app.session
            .last_error()
            .unwrap()
            .text
            .starts_with("assumed-role mode needs a role ARN")
    );
    // Session-token mode has what it needs: there the code is asked for.
    app.update(key('t'), at(2));
    assert!(matches!(
        app.input,
        Some(Input::Mfa {
            mode: Mode::SessionToken,
            ..
        })
    ));
}

/// A role session with an MFA device (the first code given at start), issued at t0 for 1 h.
fn mfa_role_session() -> App {
    let s = settings_with(|o| {
        o.mode = Some(Mode::AssumedRole);
        o.mfa_serial = Some("arn:aws:iam::1:mfa/alice".into());
        o.mfa_code = Some("111111".into());
    });
    let (mut app, fx) = App::new(s, Keymap::default(), t0());
    let generation = generation_of(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation,
            info: info(Mode::AssumedRole, t0(), 3600),
        },
        t0(),
    );
    app
}

#[test]
fn a_refresh_with_mfa_asks_for_a_code_at_the_refresh_time_and_sends_it() {
    let mut app = mfa_role_session();
    let due = 3600 - i64::from(app.config.refresh.margin_secs);
    assert!(app.update(Msg::Tick, at(due - 1)).is_empty());
    assert!(app.input.is_none(), "not before the refresh time");
    let fx = app.update(Msg::Tick, at(due));
    assert!(fx.is_empty(), "no request without a code: {fx:?}");
    assert!(matches!(
        app.input,
        Some(Input::Mfa {
            mode: Mode::AssumedRole,
            ..
        })
    ));
    for c in "654321".chars() {
        app.update(key(c), at(due + 5));
    }
    let fx = app.update(special(Key::Enter), at(due + 5));
    match &fx[..] {
        [
            Effect::IssueCredentials {
                request: CredentialRequest::AssumedRole { mfa: Some(m), .. },
                ..
            },
        ] => assert_eq!(m.code, "654321"),
        other => panic!("{other:?}"),
    }
    assert!(app.input.is_none(), "the code is not kept");
}

#[test]
fn an_ignored_mfa_prompt_ends_in_the_expiry_not_a_prompt_after_it() {
    let mut app = mfa_role_session();
    let due = 3600 - i64::from(app.config.refresh.margin_secs);
    app.update(Msg::Tick, at(due));
    app.update(key('1'), at(due + 1));
    assert!(app.input.is_some());
    assert!(app.update(Msg::Tick, at(3599)).is_empty());
    assert!(app.input.is_some(), "open while the session lasts");
    let fx = app.update(Msg::Tick, at(3600));
    assert!(fx.is_empty(), "{fx:?}");
    assert!(app.input.is_none(), "never asked after the expiry");
    let err = app.session.last_error().expect("the expiry is said");
    assert!(
        err.text.contains("expired before an MFA code was entered"),
        "{}",
        err.text
    );
    assert!(app.update(Msg::Tick, at(3700)).is_empty());
    assert!(app.input.is_none(), "and not asked again by itself");
    // r asks again.
    app.update(key('r'), at(3701));
    assert!(matches!(app.input, Some(Input::Mfa { .. })));
}

fn history_texts(app: &App) -> Vec<String> {
    app.history.newest_first().map(|e| e.text.clone()).collect()
}

#[test]
fn the_history_records_issues_recoveries_and_the_expiry_and_l_shows_it() {
    let (mut app, id) = running();
    assert_eq!(
        history_texts(&app),
        ["issued federated credentials for arn:aws:sts::1:federated"]
    );
    let fx = app.update(
        Msg::PageLoaded {
            request: id,
            page: page(&[], &["a", "b", "c"], Some("c")),
        },
        at(1),
    );
    let (id2, _) = list_request(&fx);
    let expired = AwsFailure::from_service(
        Some("ExpiredToken"),
        Some("The provided token has expired."),
        Some(400),
    );
    let fx = app.update(
        Msg::PageFailed {
            request: id2,
            failure: expired,
        },
        at(2),
    );
    let g2 = generation_of(&fx);
    let fx = app.update(
        Msg::CredentialsIssued {
            generation: g2,
            info: info(Mode::Federated, at(3), 3600),
        },
        at(3),
    );
    let (id3, _) = list_request(&fx);
    app.update(
        Msg::PageLoaded {
            request: id3,
            page: page(&[], &["d"], None),
        },
        at(4),
    );
    assert_eq!(
        history_texts(&app)[..3],
        [
            "recovered: ExpiredToken → new credentials → page retried",
            "refreshed federated credentials for arn:aws:sts::1:federated",
            "ExpiredToken on a page: issuing new credentials to retry it",
        ]
    );
    // The recovery is also said in the status line for a few seconds.
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "recovered: ExpiredToken → new credentials → page retried"
    );
    // A later page is no recovery.
    let n = app.history.len();
    app.update(Msg::Tick, at(5));
    assert_eq!(app.history.len(), n);
    // A failed refresh, then the expiry, recorded once.
    let fx = app.update(key('r'), at(6));
    let g3 = generation_of(&fx);
    app.update(
        Msg::CredentialsFailed {
            generation: g3,
            failure: AwsFailure::new(ErrorKind::Network, None, "connection refused"),
        },
        at(7),
    );
    assert!(history_texts(&app)[0].starts_with("issuing federated credentials failed: Network"));
    app.update(Msg::Tick, at(3 + 3600));
    app.update(Msg::Tick, at(3 + 3601));
    let expiries = history_texts(&app)
        .iter()
        .filter(|t| *t == "the federated session expired")
        .count();
    assert_eq!(expiries, 1);
    // A mode switch is said as one.
    let fx = app.update(key('a'), at(3 + 3602));
    let ga = generation_of(&fx);
    app.update(
        Msg::CredentialsIssued {
            generation: ga,
            info: info(Mode::AssumedRole, at(3 + 3602), 3600),
        },
        at(3 + 3602),
    );
    assert_eq!(
        history_texts(&app)[0],
        "switched to assumed role credentials for arn:aws:sts::1:role"
    );
    // L shows it; keys scroll it; Esc closes it.
    app.update(key('L'), at(3 + 3602));
    assert!(app.history.visible);
    app.update(key('j'), at(3 + 3602));
    assert_eq!(app.history.scroll, 1);
    app.update(special(Key::PageDown), at(3 + 3602));
    assert_eq!(app.history.scroll, 11);
    app.update(key('k'), at(3 + 3602));
    assert_eq!(app.history.scroll, 10);
    app.update(special(Key::PageUp), at(3 + 3602));
    assert_eq!(app.history.scroll, 0);
    assert_eq!(app.listing.rows().cursor(), 0, "keys go to the overlay");
    app.update(special(Key::Esc), at(3 + 3602));
    assert!(!app.history.visible);
    assert_eq!(app.history.scroll, 0);
}

mod keys;
