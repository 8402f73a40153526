//! What a bucket listing is made of, as plain data the app and the headless commands share: page
//! requests, pages, object entries, sizes for people, and the bucket-name rules.

mod entry;
pub mod split;

pub use entry::{Etag, ObjectEntry, StorageClass};

/// Where a listing goes on from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// S3's continuation token from the page before.
    Token(String),
    /// The first entry after this key or folder (ListObjectsV2's StartAfter).
    After(String),
}

/// One page request: a bucket, a prefix, where to continue, and how many keys at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub bucket: String,
    pub prefix: String,
    pub continuation_token: Option<String>,
    /// Only keys after this one (ignored by S3 when a continuation token is given).
    pub start_after: Option<String>,
    pub max_keys: i32,
    /// Group keys under `/` into common prefixes (folders).
    pub folders: bool,
}

impl PageRequest {
    /// The same listing, from `cursor` (`None`: from the start).
    #[must_use]
    pub fn from_cursor(&self, cursor: Option<Cursor>) -> Self {
        let (continuation_token, start_after) = match cursor {
            None => (None, None),
            Some(Cursor::Token(token)) => (Some(token), None),
            Some(Cursor::After(key)) => (None, Some(key)),
        };
        Self {
            continuation_token,
            start_after,
            ..self.clone()
        }
    }

    /// Where this request lists from.
    #[must_use]
    pub fn cursor(&self) -> Option<Cursor> {
        match (&self.continuation_token, &self.start_after) {
            (Some(token), _) => Some(Cursor::Token(token.clone())),
            (None, Some(key)) => Some(Cursor::After(key.clone())),
            (None, None) => None,
        }
    }
}

/// One page of results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPage {
    pub prefixes: Vec<String>,
    pub objects: Vec<ObjectEntry>,
    /// Present when S3 has more keys after this page.
    pub next_token: Option<String>,
}

impl ListPage {
    /// Its smallest entry (objects and folders come apart, each in key order).
    #[must_use]
    pub fn first_entry(&self) -> Option<&str> {
        let object = self.objects.first().map(|o| &*o.key);
        let folder = self.prefixes.first().map(String::as_str);
        match (object, folder) {
            (Some(o), Some(f)) => Some(o.min(f)),
            (o, f) => o.or(f),
        }
    }

    /// Its largest entry.
    #[must_use]
    pub fn last_entry(&self) -> Option<&str> {
        let object = self.objects.last().map(|o| &*o.key);
        let folder = self.prefixes.last().map(String::as_str);
        object.max(folder)
    }
}

/// Sizes in binary units, as people read them: `512 B`, `1.5 KiB`, `3.2 GiB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    #[allow(clippy::cast_precision_loss)] // display only
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Decodes a key from a listing made with `encoding-type=url`: `%XX` escapes, and `+` for a
/// space (S3 encodes spaces either way; a literal `+` comes as `%2B`). Malformed escapes are
/// kept as they are; bytes that are not UTF-8 become U+FFFD.
pub fn url_decode(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['%', '+']) {
        return std::borrow::Cow::Borrowed(text); // nothing to decode: no copy
    }
    let spaced = text.replace('+', " ");
    std::borrow::Cow::Owned(
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// Whether a bucket name follows the S3 naming rules (3-63 chars, lowercase, digits, `.` `-`,
/// starts and ends with a letter or digit, not an IP address).
pub fn valid_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let len_ok = (3..=63).contains(&bytes.len());
    let chars_ok = bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-');
    let ends_ok = bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric);
    let not_ip = name.parse::<std::net::Ipv4Addr>().is_err();
    len_ok && chars_ok && ends_ok && not_ip && !name.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pages_first_and_last_entries_come_from_objects_and_folders_alike() {
        let entry = |k: &str| ObjectEntry::new(k, 0, None, Etag::parse(""), StorageClass::Unknown);
        let page = ListPage {
            prefixes: vec!["b/".into(), "d/".into()],
            objects: vec![entry("a"), entry("c")],
            next_token: None,
        };
        assert_eq!(
            (page.first_entry(), page.last_entry()),
            (Some("a"), Some("d/"))
        );
        let folders = ListPage {
            objects: vec![],
            ..page.clone()
        };
        assert_eq!(
            (folders.first_entry(), folders.last_entry()),
            (Some("b/"), Some("d/"))
        );
        assert_eq!(ListPage::default().first_entry(), None);
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(1024 * 1024 - 1), "1024.0 KiB");
        assert_eq!(human_size(1024 * 1024), "1.0 MiB");
        assert_eq!(
            human_size(u64::MAX),
            "16.0 EiB",
            "the largest unit is the last"
        );
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(5 * 1024 * 1024 * 1024), "5.0 GiB");
    }

    #[test]
    fn url_decoding_of_listed_keys() {
        assert_eq!(url_decode("docs/with%20space/"), "docs/with space/");
        assert_eq!(
            url_decode("esc%1B%5B31mred+%2B.txt"),
            "esc\u{1b}[31mred +.txt"
        );
        assert_eq!(url_decode("na%C3%AFve%20caf%C3%A9"), "naïve café");
        assert_eq!(url_decode("100%"), "100%");
        assert_eq!(url_decode("bad%zzescape%4"), "bad%zzescape%4");
        assert_eq!(url_decode("plain"), "plain");
    }

    #[test]
    fn bucket_names() {
        for good in ["sts3-demo", "abc", "a.b-c1", &"a".repeat(63)] {
            assert!(valid_bucket_name(good), "{good}");
        }
        for bad in [
            "ab",
            "Upper",
            "under_score",
            "-start",
            "end-",
            "a..b",
            "192.168.1.1",
            &"a".repeat(64),
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }
}
