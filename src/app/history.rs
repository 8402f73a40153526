//! The session's history: every issue, refresh, expiry, credential failure, automatic recovery
//! and switch, with its time, kept in memory for the `L` overlay (newest first). Only codes,
//! modes, ARNs and times go in: never a secret.

use super::{App, Level};
use crate::app::Generation;
use chrono::{DateTime, Utc};
use std::collections::VecDeque;

/// Events kept; older ones are dropped.
pub(crate) const HISTORY_MAX: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    /// When it last happened.
    pub(crate) at: DateTime<Utc>,
    pub(crate) level: Level,
    pub(crate) text: String,
    /// How many times in a row it happened (a burst is one line, not a flood that pushes out
    /// what came before).
    pub(crate) times: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct History {
    events: VecDeque<Event>,
    /// The overlay is shown.
    pub(crate) visible: bool,
    /// Its first line shown.
    pub(crate) scroll: usize,
    /// A page failed with this code and new credentials were asked for to retry it.
    recovering: Option<String>,
    /// The credentials whose expiry is already recorded.
    expiry_noted: Option<Generation>,
}

impl History {
    pub(crate) fn record(&mut self, at: DateTime<Utc>, level: Level, text: impl Into<String>) {
        let text = text.into();
        if let Some(last) = self.events.back_mut()
            && last.level == level
            && last.text == text
        {
            last.at = at;
            last.times = last.times.saturating_add(1);
            return;
        }
        if self.events.len() == HISTORY_MAX {
            self.events.pop_front();
        }
        self.events.push_back(Event {
            at,
            level,
            text,
            times: 1,
        });
    }

    /// Newest first.
    pub(crate) fn newest_first(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().rev()
    }

    pub(crate) fn len(&self) -> usize {
        self.events.len()
    }
}

impl App {
    /// A page failed with `code` and new credentials were asked for to retry it.
    pub(crate) fn note_recovery_started(&mut self, code: String, now: DateTime<Utc>) {
        self.history.record(
            now,
            Level::Warn,
            format!("{code} on a page: issuing new credentials to retry it"),
        );
        self.history.recovering = Some(code);
    }

    /// A page arrived: if it was the retry of a recovery, that recovery worked; say so for a
    /// few seconds (it is quick enough to go unseen otherwise).
    pub(crate) fn note_page_arrived(&mut self, now: DateTime<Utc>) {
        if let Some(code) = self.history.recovering.take() {
            let text = format!("recovered: {code} → new credentials → page retried");
            self.history.record(now, Level::Info, text.clone());
            self.notify(text, Level::Info, now);
        }
    }

    /// Records the expiry of the credentials in use, once.
    pub(crate) fn note_expiry(&mut self, now: DateTime<Utc>) {
        let Some(generation) = self.session.active_generation() else {
            return;
        };
        if self.session.is_expired(now) && self.history.expiry_noted != Some(generation) {
            self.history.expiry_noted = Some(generation);
            let mode = self.session.mode();
            self.history
                .record(now, Level::Error, format!("the {mode} session expired"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_history_keeps_the_newest_and_lists_them_first() {
        let t = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
        let mut h = History::default();
        for i in 0..HISTORY_MAX + 5 {
            h.record(t, Level::Info, format!("event {i}"));
        }
        assert_eq!(h.len(), HISTORY_MAX);
        let texts: Vec<&str> = h.newest_first().map(|e| e.text.as_str()).collect();
        assert_eq!(texts[0], format!("event {}", HISTORY_MAX + 4));
        assert_eq!(texts[HISTORY_MAX - 1], "event 5");
    }

    #[test]
    fn the_same_event_in_a_row_is_one_line_with_a_count() {
        let t = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
        let mut h = History::default();
        h.record(t, Level::Info, "first");
        for i in 0..5000 {
            h.record(t + chrono::TimeDelta::seconds(i), Level::Warn, "again");
        }
        h.record(t, Level::Error, "again");
        let events: Vec<(&str, Level, u32)> = h
            .newest_first()
            .map(|e| (e.text.as_str(), e.level, e.times))
            .collect();
        assert_eq!(
            events,
            [
                ("again", Level::Error, 1),
                ("again", Level::Warn, 5000),
                ("first", Level::Info, 1)
            ]
        );
        let burst = h.newest_first().nth(1).unwrap();
        assert_eq!(
            burst.at,
            t + chrono::TimeDelta::seconds(4999),
            "the latest time"
        );
    }
}
