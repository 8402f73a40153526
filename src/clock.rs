//! The one place that reads the system clock. Everything else receives `now` as a parameter.

use chrono::{DateTime, Utc};

/// Wall-clock time now.
#[allow(clippy::disallowed_methods)] // this is the sanctioned reader
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Monotonic time now, for the event loop's timers.
#[allow(clippy::disallowed_methods)]
pub fn instant() -> std::time::Instant {
    std::time::Instant::now()
}

/// The local zone's offset from UTC now, for showing times.
pub fn local_offset() -> chrono::FixedOffset {
    use chrono::Offset;
    chrono::Local::now().offset().fix()
}
