//! Every version of the keys under a prefix (`ListObjectVersions`), as plain data: a version or
//! a delete marker, its id, whether it is the latest; pages that go on from a key marker and a
//! version-id marker. S3 sends versions and delete markers as two lists; [`merge`] puts them
//! back in S3's order (by key, newest first within a key).

use super::{Etag, ObjectEntry, StorageClass};
use crate::escape::printable;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// One version of a key, or a delete marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionEntry {
    /// The key, size, time, ETag and storage class (a delete marker has no size nor ETag).
    pub object: ObjectEntry,
    /// S3's version id; `null` for what was written before versioning was turned on.
    pub version_id: Box<str>,
    /// The current version of its key (for a delete marker: the key is deleted).
    pub latest: bool,
    pub delete_marker: bool,
}

impl VersionEntry {
    /// A version of an object.
    pub fn version(object: ObjectEntry, version_id: &str, latest: bool) -> Self {
        Self {
            object,
            version_id: version_id.into(),
            latest,
            delete_marker: false,
        }
    }

    /// A delete marker of `key`, made at `when`.
    pub fn marker(key: &str, when: Option<DateTime<Utc>>, version_id: &str, latest: bool) -> Self {
        Self {
            object: ObjectEntry::new(key, 0, when, Etag::parse(""), StorageClass::Unknown),
            version_id: version_id.into(),
            latest,
            delete_marker: true,
        }
    }

    pub fn key(&self) -> &str {
        &self.object.key
    }

    /// What the entry is, in a word: `latest`, `delete marker`, `latest delete marker`, or
    /// nothing for an older version.
    pub fn label(&self) -> &'static str {
        match (self.delete_marker, self.latest) {
            (true, true) => "latest delete marker",
            (true, false) => "delete marker",
            (false, true) => "latest",
            (false, false) => "",
        }
    }

    /// The entry as one JSON line's value (`type` `version` or `delete_marker`).
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::to_value(&self.object).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            let kind = if self.delete_marker {
                "delete_marker"
            } else {
                "version"
            };
            map.insert("type".into(), json!(kind));
            map.insert("version_id".into(), json!(&*self.version_id));
            map.insert("latest".into(), json!(self.latest));
            if self.delete_marker {
                map.remove("size");
                map.remove("etag");
                map.remove("storage_class");
            }
        }
        value
    }

    /// The version id as a terminal may show it.
    pub fn shown_id(&self) -> std::borrow::Cow<'_, str> {
        printable(&self.version_id)
    }
}

/// Where a versions listing goes on from: the last key and version id of the page before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionCursor {
    pub key_marker: String,
    pub version_id_marker: String,
}

/// One page request of a versions listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRequest {
    pub bucket: String,
    pub prefix: String,
    pub max_keys: i32,
    /// Group keys under `/` into common prefixes (folders).
    pub folders: bool,
    /// `None`: from the start.
    pub from: Option<VersionCursor>,
}

impl VersionRequest {
    /// The same listing, from `cursor`.
    #[must_use]
    pub fn from_cursor(&self, from: Option<VersionCursor>) -> Self {
        Self {
            from,
            ..self.clone()
        }
    }
}

/// One page of versions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionPage {
    pub prefixes: Vec<String>,
    /// In S3's order: by key, newest first within a key.
    pub versions: Vec<VersionEntry>,
    /// Present when S3 has more after this page.
    pub next: Option<VersionCursor>,
}

impl VersionPage {
    /// The first entry that goes back in key order, with the one before it (`after`: the
    /// key the page was asked to start after). A server whose markers cycle is caught here
    /// instead of listing forever.
    #[must_use]
    pub fn out_of_order<'a>(&'a self, after: Option<&'a str>) -> Option<(&'a str, &'a str)> {
        let mut before = after;
        for key in self.versions.iter().map(VersionEntry::key) {
            if let Some(b) = before
                && key < b
            {
                return Some((key, b));
            }
            before = Some(key);
        }
        None
    }
}

/// S3's two lists (versions and delete markers) as one, in S3's order: by key, the latest
/// first, then newest first. The latest goes first even when another version has a later
/// time: a service that stored two writes of one key at once may mark the older one latest,
/// and what S3 serves for the key is the one marked, so that is the one shown first.
pub fn merge(versions: Vec<VersionEntry>, markers: Vec<VersionEntry>) -> Vec<VersionEntry> {
    let mut all = versions;
    all.extend(markers);
    all.sort_by(|a, b| {
        a.key()
            .cmp(b.key())
            .then_with(|| b.latest.cmp(&a.latest))
            .then_with(|| b.object.modified_ms().cmp(&a.object.modified_ms()))
    });
    all
}

/// What a page of versions adds up to: versions, delete markers, the versions' bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VersionTally {
    pub versions: u64,
    pub markers: u64,
    pub bytes: u64,
}

impl VersionTally {
    pub fn add(&mut self, entry: &VersionEntry) {
        if entry.delete_marker {
            self.markers += 1;
        } else {
            self.versions += 1;
            self.bytes = self.bytes.saturating_add(entry.object.size);
        }
    }

    /// Every entry counted.
    pub fn entries(self) -> u64 {
        self.versions + self.markers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0)
    }

    fn version(key: &str, secs: i64, id: &str, latest: bool) -> VersionEntry {
        VersionEntry::version(
            ObjectEntry::new(
                key,
                3,
                at(secs),
                Etag::parse("\"9a0364b9e99bb480dd25e1f0284c8555\""),
                StorageClass::Standard,
            ),
            id,
            latest,
        )
    }

    #[test]
    fn versions_and_markers_merge_by_key_then_newest_first() {
        let merged = merge(
            vec![
                version("a", 1, "a1", false),
                version("a", 3, "a3", false),
                version("b", 1, "b1", true),
            ],
            vec![VersionEntry::marker("a", at(5), "m", true)],
        );
        let ids: Vec<&str> = merged.iter().map(|v| &*v.version_id).collect();
        assert_eq!(ids, ["m", "a3", "a1", "b1"]);
        // The same time: the latest first.
        let merged = merge(
            vec![version("a", 1, "old", false), version("a", 1, "new", true)],
            Vec::new(),
        );
        assert_eq!(&*merged[0].version_id, "new");
        // Marked latest with an earlier time than another version (two writes at once): the
        // marked one first, the others newest first.
        let merged = merge(
            vec![
                version("a", 1, "a1", false),
                version("a", 2, "marked", true),
                version("a", 3, "a3", false),
            ],
            Vec::new(),
        );
        let ids: Vec<&str> = merged.iter().map(|v| &*v.version_id).collect();
        assert_eq!(ids, ["marked", "a3", "a1"]);
    }

    #[test]
    fn each_entry_says_what_it_is() {
        assert_eq!(version("a", 1, "x", true).label(), "latest");
        assert_eq!(version("a", 1, "x", false).label(), "");
        assert_eq!(
            VersionEntry::marker("a", None, "m", true).label(),
            "latest delete marker"
        );
        assert_eq!(
            VersionEntry::marker("a", None, "m", false).label(),
            "delete marker"
        );
        assert_eq!(
            VersionEntry::marker("a", None, "m\u{1b}", false).shown_id(),
            "m\\u{1b}"
        );
    }

    #[test]
    fn json_names_the_version_and_a_marker_has_no_size() {
        let v = version("a", 0, "v1", true).to_json();
        assert_eq!(v["type"], "version");
        assert_eq!(v["version_id"], "v1");
        assert_eq!(v["latest"], true);
        assert_eq!(v["size"], 3);
        assert_eq!(v["storage_class"], "STANDARD");
        let m = VersionEntry::marker("a", at(0), "m1", false).to_json();
        assert_eq!(m["type"], "delete_marker");
        assert_eq!(m["latest"], false);
        assert_eq!(m["key"], "a");
        assert!(m.get("size").is_none() && m.get("etag").is_none(), "{m}");
        assert_eq!(m["last_modified"], "2027-01-15T08:00:00Z");
    }

    #[test]
    fn a_page_that_goes_back_is_caught() {
        let page = VersionPage {
            prefixes: Vec::new(),
            versions: vec![version("b", 1, "1", true), version("b", 0, "0", false)],
            next: None,
        };
        assert_eq!(page.out_of_order(None), None);
        assert_eq!(page.out_of_order(Some("b")), None, "the same key goes on");
        assert_eq!(page.out_of_order(Some("c")), Some(("b", "c")));
        let back = VersionPage {
            versions: vec![version("b", 1, "1", true), version("a", 0, "0", false)],
            ..VersionPage::default()
        };
        assert_eq!(back.out_of_order(None), Some(("a", "b")));
    }

    #[test]
    fn a_tally_counts_markers_apart_and_only_versions_bytes() {
        let mut tally = VersionTally::default();
        tally.add(&version("a", 0, "1", true));
        tally.add(&version("a", 0, "2", false));
        tally.add(&VersionEntry::marker("b", None, "m", true));
        assert_eq!(
            tally,
            VersionTally {
                versions: 2,
                markers: 1,
                bytes: 6
            }
        );
        assert_eq!(tally.entries(), 3);
    }

    #[test]
    fn a_request_goes_on_from_a_cursor() {
        let first = VersionRequest {
            bucket: "b".into(),
            prefix: "p/".into(),
            max_keys: 10,
            folders: true,
            from: None,
        };
        let cursor = VersionCursor {
            key_marker: "p/a".into(),
            version_id_marker: "v".into(),
        };
        let next = first.from_cursor(Some(cursor.clone()));
        assert_eq!(next.from, Some(cursor));
        assert_eq!(next.prefix, "p/");
        assert_eq!(next.max_keys, 10);
    }
}
