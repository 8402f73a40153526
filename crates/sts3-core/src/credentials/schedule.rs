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
}
