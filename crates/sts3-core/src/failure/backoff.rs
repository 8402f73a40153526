//! How long to wait before trying again after failures in a row: doubled each time, capped.

use chrono::TimeDelta;

/// First retry after a failure, doubled each time up to [`BACKOFF_MAX_SECS`].
pub const BACKOFF_BASE_SECS: i64 = 5;
pub const BACKOFF_MAX_SECS: i64 = 300;

/// The wait before retry number `failures` (1-based).
pub fn backoff(failures: u32) -> TimeDelta {
    let exp = failures.saturating_sub(1).min(16);
    TimeDelta::seconds((BACKOFF_BASE_SECS << exp).min(BACKOFF_MAX_SECS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let secs: Vec<i64> = (1..=8).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 80, 160, 300, 300]);
        assert_eq!(backoff(1000).num_seconds(), 300);
    }
}
