//! When to refresh: before expiry by a margin (a third of the lifetime for short sessions). The
//! backoff after failures is `failure::backoff`'s.

use super::SessionInfo;
use chrono::{DateTime, TimeDelta, Utc};

/// How long before expiry to refresh: `margin`, but at most a third of the lifetime.
pub fn refresh_lead(lifetime: TimeDelta, margin_secs: u32) -> TimeDelta {
    TimeDelta::seconds(i64::from(margin_secs)).min(lifetime / 3)
}

/// When to refresh `info`.
pub fn refresh_at(info: &SessionInfo, margin_secs: u32) -> DateTime<Utc> {
    info.expires_at - refresh_lead(info.lifetime(), margin_secs)
}

/// Seconds before expiry the AWS SDKs start to find served credentials stale (botocore
/// refreshes 15 minutes before, and refuses a set with less than 10 left), plus a minute.
pub const SERVED_LEAD_SECS: i64 = 16 * 60;

/// When a session served to other tools is refreshed: early enough that the set handed out
/// always has [`SERVED_LEAD_SECS`] left (or `margin_secs`, if more), but never in the first
/// half of its life (a short session cannot meet the SDKs' wish; [`too_short_to_serve`]).
pub fn served_refresh_at(info: &SessionInfo, margin_secs: u32) -> DateTime<Utc> {
    let lead =
        TimeDelta::seconds(SERVED_LEAD_SECS.max(i64::from(margin_secs))).min(info.lifetime() / 2);
    info.expires_at - lead
}

/// Whether a session of this life hands out sets the SDKs find stale before the refresh
/// (shorter than twice [`SERVED_LEAD_SECS`]).
pub fn too_short_to_serve(lifetime: TimeDelta) -> bool {
    lifetime < TimeDelta::seconds(2 * SERVED_LEAD_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Mode;
    use chrono::TimeZone;

    fn info(lifetime_secs: i64) -> SessionInfo {
        let issued = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
        SessionInfo {
            mode: Mode::Federated,
            principal_arn: String::new(),
            access_key_id: String::new(),
            issued_at: issued,
            expires_at: issued + TimeDelta::seconds(lifetime_secs),
            packed_policy_percent: None,
            server_date: None,
            region: None,
        }
    }

    #[test]
    fn refresh_at_expiry_minus_margin_for_several_durations() {
        // (lifetime, margin) -> seconds after issue
        for (lifetime, margin, expected) in [
            (3600, 300, 3300),       // 1 h: 5 min before
            (129_600, 300, 129_300), // 36 h: 5 min before
            (900, 300, 600),         // 15 min: a third is 5 min
            (600, 300, 400),         // 10 min: a third (200 s) before
            (60, 300, 40),           // very short: a third
            (3600, 900, 2700),       // configured 15 min margin
        ] {
            let i = info(lifetime);
            assert_eq!(
                (refresh_at(&i, margin) - i.issued_at).num_seconds(),
                expected,
                "lifetime {lifetime} margin {margin}"
            );
        }
    }

    #[test]
    fn a_served_session_is_refreshed_16_minutes_before_expiry_or_at_half_life() {
        for (lifetime, margin, expected) in [
            (3600, 300, 3600 - 960),   // 1 h: 16 min before, more than the TUI's 5
            (3600, 1200, 3600 - 1200), // a larger margin wins
            (1800, 300, 900),          // 30 min: half its life
            (900, 300, 450),           // 15 min: half its life
        ] {
            let i = info(lifetime);
            assert_eq!(
                (served_refresh_at(&i, margin) - i.issued_at).num_seconds(),
                expected,
                "lifetime {lifetime}, margin {margin}"
            );
        }
        assert!(too_short_to_serve(TimeDelta::seconds(1919)));
        assert!(!too_short_to_serve(TimeDelta::seconds(1920)));
    }
}
