//! The one place that reads the system clock. Everything else receives `now` as a parameter.

use chrono::{DateTime, TimeDelta, Utc};

/// Wall-clock time now.
#[allow(clippy::disallowed_methods)] // this is the sanctioned reader
pub fn now() -> DateTime<Utc> {
    Utc::now() + debug_jump()
}

/// Debug builds only: seconds added to the clock, read from the file named by
/// `STS3_DEBUG_CLOCK_JUMP_FILE`, so tests can make the wall clock jump as after a suspend.
#[cfg(debug_assertions)]
fn debug_jump() -> TimeDelta {
    std::env::var_os("STS3_DEBUG_CLOCK_JUMP_FILE")
        .and_then(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| text.trim().parse::<i64>().ok())
        .map_or(TimeDelta::zero(), TimeDelta::seconds)
}

#[cfg(not(debug_assertions))]
fn debug_jump() -> TimeDelta {
    TimeDelta::zero()
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
