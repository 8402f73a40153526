//! An object's detail, as HeadObject tells it, and the labelled lines the detail view shows.

use crate::bucket::human_size;
use crate::escape::printable;
use chrono::{DateTime, FixedOffset, Utc};

/// What HeadObject says of an object. Every text field is the server's, unescaped: escape
/// before showing (the lines below do).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectDetail {
    pub key: String,
    pub size: u64,
    pub last_modified: Option<DateTime<Utc>>,
    /// As sent, quotes and all.
    pub etag: Option<String>,
    pub content_type: Option<String>,
    pub content_encoding: Option<String>,
    pub cache_control: Option<String>,
    pub storage_class: Option<String>,
    pub server_side_encryption: Option<String>,
    pub kms_key_id: Option<String>,
    pub version_id: Option<String>,
    /// `(algorithm, value)`, e.g. `("CRC32", "...")`, for each checksum the server sent.
    pub checksums: Vec<(String, String)>,
    /// `x-amz-meta-*` entries, by name, without the prefix.
    pub metadata: Vec<(String, String)>,
    /// `x-amz-restore`: a restore of an archived object under way, or until when it lasts.
    pub restore: Option<String>,
    /// `x-amz-archive-status`: an Intelligent-Tiering object in an archive tier.
    pub archive_status: Option<String>,
    /// Object Lock: the retention mode (GOVERNANCE, COMPLIANCE) and until when.
    pub lock: Option<(String, Option<DateTime<Utc>>)>,
    /// Object Lock's legal hold (ON, OFF).
    pub legal_hold: Option<String>,
}

impl ObjectDetail {
    /// The labelled lines of the detail view, escaped: key, sizes, times (in `tz`, the
    /// viewer's zone, and UTC), and each field the server sent. Absent fields are left out.
    pub fn lines(&self, tz: FixedOffset) -> Vec<(String, String)> {
        let mut lines = vec![
            ("Key".to_string(), printable(&self.key).into_owned()),
            (
                "Size".to_string(),
                format!("{} bytes ({})", thousands(self.size), human_size(self.size)),
            ),
        ];
        if let Some(t) = self.last_modified {
            lines.push((
                "Last modified".to_string(),
                format!("{} ({})", in_zone(t, tz), t.format("%Y-%m-%d %H:%M:%S UTC")),
            ));
        }
        let fields = [
            ("ETag", &self.etag),
            ("Content type", &self.content_type),
            ("Content encoding", &self.content_encoding),
            ("Cache control", &self.cache_control),
            ("Storage class", &self.storage_class),
            ("Encryption", &self.server_side_encryption),
            ("KMS key", &self.kms_key_id),
            ("Version", &self.version_id),
        ];
        for (label, value) in fields {
            if let Some(v) = value {
                lines.push((label.to_string(), printable(v).into_owned()));
            }
        }
        if let Some(line) = self.archive_line(tz) {
            lines.push(("Archive".to_string(), line));
        }
        // Why a delete or an overwrite may be refused: said before one is tried.
        if let Some((mode, until)) = &self.lock {
            let until = until.map_or_else(String::new, |t| format!(" until {}", in_zone(t, tz)));
            lines.push((
                "Object lock".to_string(),
                format!("{}{until}: no version deleted before then", printable(mode)),
            ));
        }
        if let Some(hold) = &self.legal_hold {
            let note = if hold.eq_ignore_ascii_case("ON") {
                ": no version deleted while it holds"
            } else {
                ""
            };
            lines.push((
                "Legal hold".to_string(),
                format!("{}{note}", printable(hold)),
            ));
        }
        for (algorithm, value) in &self.checksums {
            lines.push((
                format!("Checksum {}", printable(algorithm)),
                printable(value).into_owned(),
            ));
        }
        for (name, value) in &self.metadata {
            lines.push((
                format!("x-amz-meta-{}", printable(name)),
                printable(value).into_owned(),
            ));
        }
        lines
    }
}

impl ObjectDetail {
    /// Whether its bytes wait for a restore: an archived class (or archive tier) and no
    /// restored copy.
    pub fn needs_restore(&self) -> bool {
        let class = self
            .storage_class
            .as_deref()
            .map(crate::bucket::StorageClass::parse)
            .unwrap_or_default();
        let archived = super::archive::is_archived(&class) || self.archive_status.is_some();
        let restored = matches!(
            self.restore
                .as_deref()
                .and_then(super::archive::Restore::parse),
            Some(super::archive::Restore::Until(_))
        );
        archived && !restored
    }

    /// What the detail says of an archived object: its restore, or that it needs one.
    fn archive_line(&self, tz: FixedOffset) -> Option<String> {
        let restore = self
            .restore
            .as_deref()
            .and_then(super::archive::Restore::parse);
        if let Some(r) = restore {
            return Some(r.describe(|t| in_zone(t, tz)));
        }
        let tier = self.archive_status.as_deref().map(printable);
        self.needs_restore().then(|| match tier {
            Some(tier) => format!("in {tier}: not readable until restored"),
            None => "not readable until restored".to_string(),
        })
    }
}

/// A time as the detail shows it: in the viewer's zone `tz`, with its offset.
fn in_zone(t: DateTime<Utc>, tz: FixedOffset) -> String {
    t.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

/// `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 object`, `1,000 objects`: `n` of `noun`, its plural an `s` more.
pub fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{} {noun}s", thousands(n as u64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn object_lock_and_a_legal_hold_say_what_they_keep() {
        let locked = ObjectDetail {
            lock: Some((
                "COMPLIANCE".into(),
                Some(Utc.with_ymd_and_hms(2027, 1, 2, 3, 4, 5).unwrap()),
            )),
            legal_hold: Some("ON".into()),
            ..ObjectDetail::default()
        };
        let lines = locked.lines(FixedOffset::east_opt(0).unwrap());
        let get = |label: &str| {
            lines
                .iter()
                .find(|(l, _)| l == label)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(
            get("Object lock"),
            Some("COMPLIANCE until 2027-01-02 03:04:05 +00:00: no version deleted before then")
        );
        assert_eq!(
            get("Legal hold"),
            Some("ON: no version deleted while it holds")
        );
        let off = ObjectDetail {
            legal_hold: Some("OFF".into()),
            ..ObjectDetail::default()
        };
        let lines = off.lines(FixedOffset::east_opt(0).unwrap());
        assert!(lines.iter().any(|(l, v)| l == "Legal hold" && v == "OFF"));
        assert!(!lines.iter().any(|(l, _)| l == "Object lock"));
    }

    #[test]
    fn an_archived_object_says_whether_it_is_restored() {
        let archive = |d: &ObjectDetail| {
            d.lines(FixedOffset::east_opt(0).unwrap())
                .into_iter()
                .find(|(l, _)| l == "Archive")
                .map(|(_, v)| v)
        };
        let mut cold = ObjectDetail {
            storage_class: Some("GLACIER".into()),
            ..ObjectDetail::default()
        };
        assert!(cold.needs_restore());
        assert_eq!(
            archive(&cold).as_deref(),
            Some("not readable until restored")
        );
        cold.restore = Some("ongoing-request=\"true\"".into());
        assert!(cold.needs_restore(), "not yet");
        assert_eq!(
            archive(&cold).as_deref(),
            Some("in progress: S3 is making a readable copy")
        );
        cold.restore =
            Some("ongoing-request=\"false\", expiry-date=\"Mon, 07 Dec 2026 22:29:25 GMT\"".into());
        assert!(!cold.needs_restore());
        assert_eq!(
            archive(&cold).as_deref(),
            Some("restored: readable until 2026-12-07 22:29:25 +00:00")
        );
        let tiered = ObjectDetail {
            storage_class: Some("INTELLIGENT_TIERING".into()),
            archive_status: Some("DEEP_ARCHIVE_ACCESS".into()),
            ..ObjectDetail::default()
        };
        assert!(tiered.needs_restore());
        assert_eq!(
            archive(&tiered).as_deref(),
            Some("in DEEP_ARCHIVE_ACCESS: not readable until restored")
        );
        let warm = ObjectDetail {
            storage_class: Some("GLACIER_IR".into()),
            ..ObjectDetail::default()
        };
        assert!(!warm.needs_restore());
        assert_eq!(archive(&warm), None);
    }

    #[test]
    fn lines_hold_every_field_sent_and_nothing_absent() {
        let detail = ObjectDetail {
            key: "docs/report\u{1b}[31m.pdf".into(),
            size: 3_221_225_472,
            last_modified: Some(Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap()),
            etag: Some("\"abc\"".into()),
            content_type: Some("application/pdf".into()),
            storage_class: Some("STANDARD".into()),
            checksums: vec![("CRC32".into(), "AAAAAA==".into())],
            metadata: vec![
                ("owner".into(), "alice".into()),
                ("team".into(), "x\u{7}".into()),
            ],
            ..ObjectDetail::default()
        };
        let lines = detail.lines(FixedOffset::east_opt(3600).unwrap());
        let get = |label: &str| {
            lines
                .iter()
                .find(|(l, _)| l == label)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("Key"), Some("docs/report\\u{1b}[31m.pdf"), "escaped");
        assert_eq!(get("Size"), Some("3,221,225,472 bytes (3.0 GiB)"));
        assert_eq!(
            get("Last modified"),
            Some("2026-11-26 15:00:00 +01:00 (2026-11-26 14:00:00 UTC)"),
            "the viewer's zone, then UTC"
        );
        assert_eq!(get("ETag"), Some("\"abc\""));
        assert_eq!(get("Content type"), Some("application/pdf"));
        assert_eq!(get("Storage class"), Some("STANDARD"));
        assert_eq!(get("Checksum CRC32"), Some("AAAAAA=="));
        assert_eq!(get("x-amz-meta-owner"), Some("alice"));
        assert_eq!(get("x-amz-meta-team"), Some("x\\u{7}"));
        assert_eq!(get("Content encoding"), None);
        assert_eq!(get("KMS key"), None);
        assert_eq!(lines.len(), 9);
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn a_count_says_its_noun_once_or_plural_and_grouped() {
        assert_eq!(counted(1, "object"), "1 object");
        assert_eq!(counted(0, "file"), "0 files");
        assert_eq!(counted(2, "marked object"), "2 marked objects");
        assert_eq!(
            counted(2500, "unfinished upload"),
            "2,500 unfinished uploads"
        );
    }
}
