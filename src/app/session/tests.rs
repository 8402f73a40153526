//! The session lifecycle on its own: each transition and the plan it leaves.

use super::*;
use chrono::TimeZone;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn at(secs: i64) -> DateTime<Utc> {
    t0() + TimeDelta::seconds(secs)
}

fn info(mode: Mode, issued: DateTime<Utc>, lifetime: i64) -> SessionInfo {
    SessionInfo {
        mode,
        principal_arn: "arn".into(),
        access_key_id: "ASIAABCDEFGHIJKLWXYZ".into(),
        issued_at: issued,
        expires_at: issued + TimeDelta::seconds(lifetime),
        packed_policy_percent: None,
        server_date: None,
        region: None,
    }
}

fn failure() -> AwsFailure {
    AwsFailure::new(crate::failure::ErrorKind::Network, None, "refused")
}

#[test]
fn issue_accept_plan_and_refresh() {
    let mut s = SessionState::new(Mode::Federated);
    assert_eq!(s.phase(), Phase::Waiting(Plan::Nothing));
    let g1 = s.begin_issue(Mode::Federated, t0());
    assert_eq!(s.issuing(), Some((Mode::Federated, t0())));
    let accepted = s.accept(g1, info(Mode::Federated, t0(), 3600), 300, true, t0());
    assert!(accepted.first && accepted.mode_changed);
    assert_eq!(s.phase(), Phase::Waiting(Plan::Refresh { at: at(3300) }));
    assert_eq!(s.active_generation(), Some(g1));
    assert!(!s.is_due(at(3299)) && s.is_due(at(3300)));
    let g2 = s.begin_issue(Mode::Federated, at(3300));
    assert!(
        !s.is_due(at(4000)),
        "nothing is due while a request is in flight"
    );
    assert_eq!(s.shown_plan(), Plan::Refresh { at: at(3300) });
    let accepted = s.accept(
        g2,
        info(Mode::Federated, at(3300), 3600),
        300,
        true,
        at(3300),
    );
    assert!(!accepted.first && !accepted.mode_changed);
    assert_eq!(s.refresh_count(), 1);
}

#[test]
fn failures_back_off_and_a_success_forgets_them() {
    let mut s = SessionState::new(Mode::Federated);
    s.begin_issue(Mode::Federated, t0());
    let mut waits = Vec::new();
    let mut now = t0();
    for _ in 0..4 {
        match s.fail(&failure(), now) {
            Some(IssueFailed::Refresh { wait }) => waits.push(wait.num_seconds()),
            other => panic!("{other:?}"),
        }
        let Phase::Waiting(Plan::Retry { at, .. }) = s.phase() else {
            panic!("{:?}", s.phase())
        };
        now = at;
        s.begin_issue(Mode::Federated, now);
    }
    assert_eq!(waits, [5, 10, 20, 40]);
    assert!(s.last_error().is_some());
    let g = s.latest();
    s.accept(g, info(Mode::Federated, now, 3600), 300, true, now);
    assert!(s.last_error().is_none());
    s.begin_issue(Mode::Federated, now);
    match s.fail(&failure(), now) {
        Some(IssueFailed::Refresh { wait }) => assert_eq!(wait.num_seconds(), 5),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_failed_switch_goes_back_to_the_plan_it_interrupted() {
    let mut s = SessionState::new(Mode::Federated);
    let g = s.begin_issue(Mode::Federated, t0());
    s.accept(g, info(Mode::Federated, t0(), 3600), 300, true, t0());
    // The refresh fails and waits to retry; the user switches mode meanwhile.
    s.clear_plan();
    s.begin_issue(Mode::Federated, at(3300));
    s.fail(&failure(), at(3300));
    let retrying = s.phase();
    assert!(matches!(
        retrying,
        Phase::Waiting(Plan::Retry { failures: 1, .. })
    ));
    s.begin_issue(Mode::AssumedRole, at(3301));
    assert_eq!(s.target_mode(), Mode::AssumedRole);
    assert_eq!(
        s.fail(&failure(), at(3302)),
        Some(IssueFailed::Switch {
            mode: Mode::AssumedRole
        })
    );
    assert_eq!(s.phase(), retrying, "the retry is still planned");
    assert_eq!(s.mode(), Mode::Federated);
}

#[test]
fn only_the_newest_generation_is_latest() {
    let mut s = SessionState::new(Mode::Federated);
    let g1 = s.begin_issue(Mode::Federated, t0());
    let g2 = s.begin_issue(Mode::AssumedRole, t0());
    assert!(!s.is_latest(g1) && s.is_latest(g2));
    assert!(s.fail(&failure(), t0()).is_some());
    assert!(
        s.fail(&failure(), t0()).is_none(),
        "nothing in flight any more"
    );
}

#[test]
fn the_clock_offset_is_measured_from_the_servers_date() {
    let mut s = SessionState::new(Mode::Federated);
    let g = s.begin_issue(Mode::Federated, t0());
    let mut i = info(Mode::Federated, t0(), 3600);
    i.server_date = Some(t0() - TimeDelta::hours(2));
    s.accept(g, i, 300, true, t0());
    assert_eq!(s.clock_offset(), TimeDelta::hours(2));
    assert_eq!(
        s.remaining(t0()),
        Some(TimeDelta::hours(3)),
        "on the server's clock"
    );
    assert!(!s.is_expired(t0() + TimeDelta::hours(2)));
    let g = s.begin_issue(Mode::Federated, t0());
    let mut i = info(Mode::Federated, t0(), 3600);
    i.server_date = Some(t0() - TimeDelta::seconds(59));
    s.accept(g, i, 300, true, t0());
    assert_eq!(
        s.clock_offset(),
        TimeDelta::zero(),
        "latency is not an offset"
    );
}
