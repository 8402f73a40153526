//! Temporary credentials, without I/O: the three modes, what each needs and accepts (validated
//! before any network call), the issued session as the rest of the app sees it, when to refresh
//! it, and secrets that never print.

pub mod export;
mod request;
pub mod schedule;
mod secret;

pub use request::{CredentialRequest, Mfa, SpecError, validate_duration};
pub use secret::{Secret, SecretCredentials, unsafe_part};

/// Field checks used when building requests from settings.
pub mod checks {
    pub use super::request::{
        validate_external_id as external_id, validate_role_arn as role_arn,
        validate_session_name as session_name, validate_user_name as user_name,
    };
}

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How temporary credentials are obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// STS `GetFederationToken` with a user name and an inline session policy.
    Federated,
    /// STS `AssumeRole` with a role ARN.
    #[serde(rename = "role", alias = "assumed-role")]
    AssumedRole,
    /// STS `GetSessionToken`, optionally with MFA.
    #[serde(rename = "session", alias = "session-token")]
    SessionToken,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Federated, Mode::AssumedRole, Mode::SessionToken];

    /// What the mode does, in a line (the `--mode` flag's help for each value).
    pub fn summary(self) -> &'static str {
        match self {
            Mode::Federated => {
                "STS `GetFederationToken` with a user name and an inline session policy"
            }
            Mode::AssumedRole => "STS `AssumeRole` with a role ARN",
            Mode::SessionToken => "STS `GetSessionToken`, optionally with MFA",
        }
    }

    /// The other name `--mode` and the config file accept for it, besides [`Mode::flag`].
    pub fn alias(self) -> Option<&'static str> {
        match self {
            Mode::Federated => None,
            Mode::AssumedRole => Some("assumed-role"),
            Mode::SessionToken => Some("session-token"),
        }
    }

    /// The mode a `--mode` value names ([`Mode::flag`] or [`Mode::alias`]).
    pub fn named(name: &str) -> Option<Mode> {
        Mode::ALL
            .into_iter()
            .find(|m| m.flag() == name || m.alias() == Some(name))
    }

    /// The durations STS accepts for this mode, in seconds.
    pub fn duration_range(self) -> (u32, u32) {
        match self {
            Mode::Federated | Mode::SessionToken => (900, 129_600),
            Mode::AssumedRole => (900, 43_200),
        }
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Federated => "federated",
            Mode::AssumedRole => "assumed role",
            Mode::SessionToken => "session token",
        }
    }

    /// The value accepted by `--mode`.
    pub fn flag(self) -> &'static str {
        match self {
            Mode::Federated => "federated",
            Mode::AssumedRole => "role",
            Mode::SessionToken => "session",
        }
    }

    /// The next mode in the cycle federated → role → session → federated.
    pub fn next(self) -> Mode {
        match self {
            Mode::Federated => Mode::AssumedRole,
            Mode::AssumedRole => Mode::SessionToken,
            Mode::SessionToken => Mode::Federated,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An issued session as the app shows it. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub mode: Mode,
    pub principal_arn: String,
    pub access_key_id: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Percentage of the packed policy limit used, when STS reports it.
    pub packed_policy_percent: Option<i32>,
    /// The server's clock when it answered (its `Date` header), to tell a wrong local clock.
    pub server_date: Option<DateTime<Utc>>,
    /// The region STS was called in, as the AWS chain resolved it (a flag or the config may
    /// name none): what the session pane shows as the place.
    pub region: Option<String>,
}

/// What an answer's `Date` says about our clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockReading {
    /// Within the tolerance (or no `Date` to go by).
    Agrees,
    /// Our clock is this far ahead of the server's (negative: behind).
    Offset(TimeDelta),
    /// The `Date` cannot be right (more than a day off, or the expiry it implies is no STS
    /// lifetime): ignored, and said so.
    Implausible(DateTime<Utc>),
}

/// Offsets smaller than this are network latency, not a wrong clock.
pub const CLOCK_TOLERANCE_SECS: i64 = 60;

/// Offsets larger than this are not a wrong clock but a wrong `Date`.
pub const CLOCK_PLAUSIBLE_SECS: i64 = 24 * 3600;

/// The longest lifetime STS gives (36 h), with an hour to spare.
const LONGEST_LIFETIME_SECS: i64 = 129_600 + 3600;

impl SessionInfo {
    /// What the server's `Date` says about our clock, checked for plausibility.
    pub fn clock_reading(&self) -> ClockReading {
        let Some(server) = self.server_date else {
            return ClockReading::Agrees;
        };
        let offset = self.issued_at - server;
        let lifetime_by_server = (self.expires_at - server).num_seconds();
        if offset.num_seconds().abs() > CLOCK_PLAUSIBLE_SECS
            || !(0..=LONGEST_LIFETIME_SECS).contains(&lifetime_by_server)
        {
            ClockReading::Implausible(server)
        } else if offset.num_seconds().abs() < CLOCK_TOLERANCE_SECS {
            ClockReading::Agrees
        } else {
            ClockReading::Offset(offset)
        }
    }

    /// Whether the credentials are already expired, or expire within `secs`, at `now` (on the
    /// server's clock): worth a warning, as they are useless or nearly so.
    pub fn expires_within(&self, now: DateTime<Utc>, secs: i64) -> bool {
        self.expires_at - now < TimeDelta::seconds(secs)
    }

    /// The server's time when the local clock says `local_now`, as far as STS's `Date` can be
    /// trusted (an implausible one is ignored): the clock every expiry is judged on.
    pub fn server_now(&self, local_now: DateTime<Utc>) -> DateTime<Utc> {
        match self.clock_reading() {
            ClockReading::Offset(offset) => local_now - offset,
            ClockReading::Agrees | ClockReading::Implausible(_) => local_now,
        }
    }

    /// Time left, never negative.
    pub fn remaining(&self, now: DateTime<Utc>) -> TimeDelta {
        (self.expires_at - now).max(TimeDelta::zero())
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_at
    }

    /// The whole lifetime, never negative.
    pub fn lifetime(&self) -> TimeDelta {
        (self.expires_at - self.issued_at).max(TimeDelta::zero())
    }

    pub fn masked_access_key(&self) -> String {
        mask_access_key(&self.access_key_id)
    }
}

/// `ASIAXXXXXXXXXXXXWXYZ` → `ASIA…WXYZ`; short ids are masked whole.
pub fn mask_access_key(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "…".to_string();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// Formats a time span as `hh:mm:ss` (hours may exceed 24).
pub fn format_hms(span: TimeDelta) -> String {
    let secs = span.num_seconds().max(0);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn each_mode_is_named_by_its_flag_and_its_alias_and_nothing_else() {
        for mode in Mode::ALL {
            assert_eq!(Mode::named(mode.flag()), Some(mode));
            if let Some(alias) = mode.alias() {
                assert_eq!(Mode::named(alias), Some(mode));
            }
        }
        assert_eq!(Mode::named("session-token"), Some(Mode::SessionToken));
        assert_eq!(Mode::named("assumed-role"), Some(Mode::AssumedRole));
        assert_eq!(Mode::named("Role"), None);
        assert_eq!(Mode::named(""), None);
    }

    fn info(issued: i64, expires: i64) -> SessionInfo {
        SessionInfo {
            mode: Mode::Federated,
            principal_arn: "arn:aws:sts::1:federated-user/a".into(),
            access_key_id: "ASIAABCDEFGHIJKLWXYZ".into(),
            issued_at: Utc.timestamp_opt(issued, 0).unwrap(),
            expires_at: Utc.timestamp_opt(expires, 0).unwrap(),
            packed_policy_percent: None,
            server_date: None,
            region: None,
        }
    }

    #[test]
    fn implausible_server_dates_are_not_believed() {
        let mut i = info(1_000_000_000, 1_000_003_600);
        let at = |secs| Utc.timestamp_opt(secs, 0).unwrap();
        i.server_date = None;
        assert_eq!(i.clock_reading(), ClockReading::Agrees);
        i.server_date = Some(at(1_000_000_030));
        assert_eq!(i.clock_reading(), ClockReading::Agrees, "latency");
        i.server_date = Some(at(1_000_000_000 - 7200));
        assert_eq!(i.clock_reading(), ClockReading::Offset(TimeDelta::hours(2)));
        i.server_date = Some(at(0)); // 1970
        assert_eq!(i.clock_reading(), ClockReading::Implausible(at(0)));
        i.server_date = Some(at(4_102_444_800)); // 2100
        assert!(matches!(i.clock_reading(), ClockReading::Implausible(_)));
        // Within a day, but the expiry it implies is before the Date: not a clock, a lie.
        i.server_date = Some(at(1_000_003_600 + 60));
        assert!(matches!(i.clock_reading(), ClockReading::Implausible(_)));
    }

    #[test]
    fn the_servers_now_is_the_local_now_less_the_clocks_offset() {
        let at = |secs| Utc.timestamp_opt(secs, 0).unwrap();
        let mut i = info(1_000_000_000, 1_000_003_600);
        let local = at(1_000_000_100);
        // The server's clock 5 minutes behind the local one, then 5 minutes ahead.
        i.server_date = Some(at(1_000_000_000 - 300));
        assert_eq!(i.server_now(local), at(1_000_000_100 - 300));
        i.server_date = Some(at(1_000_000_000 + 300));
        assert_eq!(i.server_now(local), at(1_000_000_100 + 300));
        // One that agrees, one not to be trusted, none said: the local clock.
        for server in [Some(at(1_000_000_000 - 30)), Some(at(0)), None] {
            i.server_date = server;
            assert_eq!(i.server_now(local), local, "{server:?}");
        }
    }

    #[test]
    fn clock_reading_boundaries() {
        let at = |secs| Utc.timestamp_opt(secs, 0).unwrap();
        let reading = |offset: i64, lifetime: i64| {
            let mut i = info(1_000_000_000, 1_000_000_000 + lifetime);
            i.server_date = Some(at(1_000_000_000 - offset));
            i.clock_reading()
        };
        assert_eq!(reading(59, 3600), ClockReading::Agrees);
        assert_eq!(
            reading(60, 3600),
            ClockReading::Offset(TimeDelta::seconds(60))
        );
        assert_eq!(
            reading(-60, 3600),
            ClockReading::Offset(TimeDelta::seconds(-60))
        );
        let day = CLOCK_PLAUSIBLE_SECS;
        assert_eq!(
            reading(day, 3600),
            ClockReading::Offset(TimeDelta::seconds(day))
        );
        assert!(matches!(
            reading(day + 1, 3600),
            ClockReading::Implausible(_)
        ));
        // The longest STS lifetime (36 h) and an hour to spare is believable; more is not.
        let longest = 129_600 + 3600;
        assert_eq!(reading(0, longest), ClockReading::Agrees);
        assert!(matches!(
            reading(0, longest + 1),
            ClockReading::Implausible(_)
        ));
        assert_eq!(
            reading(0, 0),
            ClockReading::Agrees,
            "expired on arrival is not a clock"
        );
    }

    #[test]
    fn expiring_within_a_margin() {
        let i = info(0, 100);
        let at = |secs| Utc.timestamp_opt(secs, 0).unwrap();
        assert!(!i.expires_within(at(40), 60), "60 s left is not within 60");
        assert!(i.expires_within(at(41), 60), "59 s left is");
        assert!(i.expires_within(at(200), 60), "already expired");
    }

    #[test]
    fn masks_access_key_keeping_four_each_side() {
        assert_eq!(mask_access_key("ASIAABCDEFGHIJKLWXYZ"), "ASIA…WXYZ");
        assert_eq!(mask_access_key("SHORT"), "…");
    }

    #[test]
    fn remaining_saturates_at_zero() {
        let s = info(0, 100);
        assert_eq!(
            s.remaining(Utc.timestamp_opt(40, 0).unwrap()).num_seconds(),
            60
        );
        assert_eq!(
            s.remaining(Utc.timestamp_opt(400, 0).unwrap())
                .num_seconds(),
            0
        );
        assert!(s.is_expired(Utc.timestamp_opt(100, 0).unwrap()));
        assert!(!s.is_expired(Utc.timestamp_opt(99, 0).unwrap()));
    }

    #[test]
    fn hms_formatting() {
        assert_eq!(format_hms(TimeDelta::seconds(3725)), "01:02:05");
        assert_eq!(format_hms(TimeDelta::seconds(129_600)), "36:00:00");
        assert_eq!(format_hms(TimeDelta::seconds(-5)), "00:00:00");
    }

    #[test]
    fn mode_cycle_visits_all() {
        let mut m = Mode::Federated;
        let mut seen = vec![m];
        for _ in 0..2 {
            m = m.next();
            seen.push(m);
        }
        assert_eq!(seen, Mode::ALL.to_vec());
        assert_eq!(m.next(), Mode::Federated);
    }
}
