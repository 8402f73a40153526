//! The one place that reads the system clock. Everything else receives `now` as a parameter;
//! the runtime receives a [`WallClock`], so its tests can run on tokio's paused time.

use chrono::{DateTime, Utc};

/// Where the runtime gets wall-clock time from.
pub(crate) trait WallClock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SystemClock;

impl WallClock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        now()
    }
}

/// Wall-clock time now.
#[allow(clippy::disallowed_methods)] // this is the sanctioned reader
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Monotonic time now, for timing in tests and benchmarks.
#[allow(clippy::disallowed_methods)]
pub fn instant() -> std::time::Instant {
    std::time::Instant::now()
}

/// The local zone's offset from UTC now, for showing times.
pub(crate) fn local_offset() -> chrono::FixedOffset {
    use chrono::Offset;
    chrono::Local::now().offset().fix()
}
