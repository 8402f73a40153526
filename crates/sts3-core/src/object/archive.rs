//! Archived objects (S3 Glacier Flexible Retrieval, Deep Archive, and Intelligent-Tiering's
//! archive tiers): their bytes cannot be read until a restore (`RestoreObject`) makes a
//! temporary copy; `x-amz-restore` says whether one is under way or until when it lasts. Plain
//! data and words here; the request is in `aws::s3`.

use crate::bucket::StorageClass;
use chrono::{DateTime, Utc};

/// The most days S3 keeps a restored copy.
pub const MAX_DAYS: u32 = 30_000;

/// How fast a restore is done (and how much it costs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Expedited,
    Standard,
    Bulk,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Expedited, Tier::Standard, Tier::Bulk];

    /// The name S3 takes (`GlacierJobParameters.Tier`).
    pub fn name(self) -> &'static str {
        match self {
            Tier::Expedited => "Expedited",
            Tier::Standard => "Standard",
            Tier::Bulk => "Bulk",
        }
    }

    /// From a name, in any case (`--tier bulk`).
    pub fn parse(text: &str) -> Option<Tier> {
        Tier::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(text))
    }

    /// How long it usually takes for an object of `class`, as AWS documents it; `None` when
    /// the tier is not offered for the class (no Expedited from Deep Archive).
    pub fn typical_wait(self, class: &StorageClass) -> Option<&'static str> {
        let deep = matches!(class, StorageClass::DeepArchive);
        match (self, deep) {
            (Tier::Expedited, false) => Some("1-5 minutes"),
            (Tier::Standard, false) => Some("3-5 hours"),
            (Tier::Bulk, false) => Some("5-12 hours"),
            (Tier::Expedited, true) => None,
            (Tier::Standard, true) => Some("within 12 hours"),
            (Tier::Bulk, true) => Some("within 48 hours"),
        }
    }
}

/// Whether objects of this class must be restored before they are read (Glacier Instant
/// Retrieval and the others are read at once; Intelligent-Tiering's archive tiers are told by
/// HeadObject's `x-amz-archive-status`, not the class).
pub fn is_archived(class: &StorageClass) -> bool {
    matches!(class, StorageClass::Glacier | StorageClass::DeepArchive)
}

/// Where a restore stands, from `x-amz-restore`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restore {
    /// Asked for, not done yet.
    InProgress,
    /// Done: the copy can be read until then (`None` when the header did not say).
    Until(Option<DateTime<Utc>>),
}

impl Restore {
    /// `ongoing-request="true"`, or `ongoing-request="false", expiry-date="Fri, 21 Dec 2012
    /// 00:00:00 GMT"`; `None` for anything else.
    pub fn parse(header: &str) -> Option<Restore> {
        let value = |name: &str| {
            let start = header.find(&format!("{name}=\""))? + name.len() + 2;
            let end = header[start..].find('"')? + start;
            Some(&header[start..end])
        };
        match value("ongoing-request")? {
            "true" => Some(Restore::InProgress),
            "false" => Some(Restore::Until(
                value("expiry-date")
                    .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
                    .map(|d| d.with_timezone(&Utc)),
            )),
            _ => None,
        }
    }

    /// What the detail says: `in progress (asked; S3 has not finished)`, `restored until …`.
    pub fn describe(self, when: impl Fn(DateTime<Utc>) -> String) -> String {
        match self {
            Restore::InProgress => "in progress: S3 is making a readable copy".to_string(),
            Restore::Until(Some(t)) => format!("restored: readable until {}", when(t)),
            Restore::Until(None) => "restored: readable".to_string(),
        }
    }
}

/// Why a read of an archived object failed, said plainly with the way on (`how`: the key or
/// command that asks for a restore).
pub fn archived_note(class: Option<&str>, how: &str) -> String {
    let place = class
        .filter(|c| !c.is_empty())
        .map(|c| format!(" in {}", crate::escape::printable(c)))
        .unwrap_or_default();
    format!("the object is archived{place}: it cannot be read until it is restored; {how}")
}

/// Days for a restore, or why not (`--days 0`).
pub fn check_days(days: u32) -> Result<u32, String> {
    if (1..=MAX_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(format!(
            "--days {days} is out of range; pass --days between 1 and {MAX_DAYS} (how long the restored copy lasts)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_restore_header_says_whether_it_is_done_and_until_when() {
        assert_eq!(
            Restore::parse("ongoing-request=\"true\""),
            Some(Restore::InProgress)
        );
        assert_eq!(
            Restore::parse(
                "ongoing-request=\"false\", expiry-date=\"Mon, 07 Dec 2026 22:29:25 GMT\""
            ),
            Some(Restore::Until(Some(
                Utc.with_ymd_and_hms(2026, 12, 7, 22, 29, 25).unwrap()
            )))
        );
        assert_eq!(
            Restore::parse("ongoing-request=\"false\""),
            Some(Restore::Until(None))
        );
        assert_eq!(Restore::parse("ongoing-request=\"maybe\""), None);
        assert_eq!(Restore::parse(""), None);
        assert_eq!(Restore::parse("ongoing-request=\"true"), None);
    }

    #[test]
    fn each_state_is_said_in_words() {
        let t = Utc.with_ymd_and_hms(2026, 12, 7, 22, 29, 25).unwrap();
        let when = |t: DateTime<Utc>| t.format("%Y-%m-%d").to_string();
        assert_eq!(
            Restore::InProgress.describe(when),
            "in progress: S3 is making a readable copy"
        );
        assert_eq!(
            Restore::Until(Some(t)).describe(when),
            "restored: readable until 2026-12-07"
        );
        assert_eq!(Restore::Until(None).describe(when), "restored: readable");
    }

    #[test]
    fn tiers_by_name_and_their_waits() {
        assert_eq!(Tier::parse("bulk"), Some(Tier::Bulk));
        assert_eq!(Tier::parse("EXPEDITED"), Some(Tier::Expedited));
        assert_eq!(Tier::parse("Standard"), Some(Tier::Standard));
        assert_eq!(Tier::parse("fast"), None);
        assert_eq!(
            Tier::Expedited.typical_wait(&StorageClass::Glacier),
            Some("1-5 minutes")
        );
        assert_eq!(
            Tier::Bulk.typical_wait(&StorageClass::Glacier),
            Some("5-12 hours")
        );
        assert_eq!(
            Tier::Standard.typical_wait(&StorageClass::Glacier),
            Some("3-5 hours")
        );
        assert_eq!(
            Tier::Expedited.typical_wait(&StorageClass::DeepArchive),
            None
        );
        assert_eq!(
            Tier::Standard.typical_wait(&StorageClass::DeepArchive),
            Some("within 12 hours")
        );
        assert_eq!(
            Tier::Bulk.typical_wait(&StorageClass::DeepArchive),
            Some("within 48 hours")
        );
    }

    #[test]
    fn only_glacier_and_deep_archive_need_a_restore() {
        assert!(is_archived(&StorageClass::Glacier));
        assert!(is_archived(&StorageClass::DeepArchive));
        assert!(!is_archived(&StorageClass::GlacierIr));
        assert!(!is_archived(&StorageClass::Standard));
        assert!(!is_archived(&StorageClass::IntelligentTiering));
    }

    #[test]
    fn days_are_checked_and_the_note_names_the_class() {
        assert_eq!(check_days(1), Ok(1));
        assert_eq!(check_days(MAX_DAYS), Ok(MAX_DAYS));
        assert!(
            check_days(0)
                .unwrap_err()
                .contains("--days 0 is out of range")
        );
        assert!(check_days(MAX_DAYS + 1).is_err());
        assert_eq!(
            archived_note(Some("GLACIER"), "z restores it"),
            "the object is archived in GLACIER: it cannot be read until it is restored; z restores it"
        );
        assert_eq!(
            archived_note(None, "x"),
            "the object is archived: it cannot be read until it is restored; x"
        );
    }
}
