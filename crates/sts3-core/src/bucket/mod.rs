//! What a bucket listing is made of, as plain data the app and the headless commands share: page
//! requests, pages, object entries, sizes for people, and the bucket-name rules.

mod entry;
pub mod split;
mod uri;
mod versioning;
pub mod versions;

pub use entry::{Etag, ObjectEntry, StorageClass};
pub use uri::{S3Uri, UriError};
pub use versioning::Versioning;
pub use versions::{VersionCursor, VersionEntry, VersionPage, VersionRequest, VersionTally};

/// The orders a listing's entries may still be in. S3 lists in byte order; SeaweedFS lists
/// folder by folder (`a/x` before `a b`, the space being below `/`). A listing must keep to at
/// least one of them from its first page to its last: then no entry can come twice, and a
/// server whose tokens cycle is caught.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Orders {
    pub bytes: bool,
    pub segments: bool,
}

impl Default for Orders {
    fn default() -> Self {
        Self {
            bytes: true,
            segments: true,
        }
    }
}

impl Orders {
    fn any(self) -> bool {
        self.bytes || self.segments
    }

    /// Those of these orders in which `entry` comes strictly after `before`.
    fn kept(self, before: &str, entry: &str) -> Self {
        Self {
            bytes: self.bytes && entry > before,
            segments: self.segments && entry.split('/').gt(before.split('/')),
        }
    }
}

/// What the entries of a page after a continuation token must come after: the last entry
/// listed before it, and the orders the listing kept so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub key: String,
    pub orders: Orders,
}

impl From<&str> for Bound {
    fn from(key: &str) -> Self {
        Self {
            key: key.to_string(),
            orders: Orders::default(),
        }
    }
}

impl From<String> for Bound {
    fn from(key: String) -> Self {
        Self {
            key,
            orders: Orders::default(),
        }
    }
}

/// Where a listing goes on from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// S3's continuation token from the page before, and the last entry listed before it (the
    /// next page's entries must all sort after it).
    Token { token: String, after: Option<Bound> },
    /// The first entry after this key or folder (ListObjectsV2's StartAfter).
    After(String),
}

impl Cursor {
    /// Where the listing goes on after `page`, the answer to a request from `current`: its
    /// token, with its last entry (or, for an empty page, the bound `current` had).
    pub fn after_page(current: Option<&Cursor>, page: &ListPage) -> Option<Cursor> {
        let token = page.next_token.clone()?;
        let before = match current {
            Some(Cursor::Token { after, .. }) => after.clone(),
            Some(Cursor::After(key)) => Some(Bound::from(key.as_str())),
            None => None,
        };
        let orders = page.orders_kept(before.as_ref()).unwrap_or_default();
        let after = match page.last_entry() {
            Some(last) => Some(Bound {
                key: last.to_string(),
                orders,
            }),
            None => before,
        };
        Some(Cursor::Token { token, after })
    }

    /// What every entry listed from here must sort after.
    pub fn lower_bound(&self) -> Option<&str> {
        match self {
            Cursor::Token { after, .. } => after.as_ref().map(|b| b.key.as_str()),
            Cursor::After(key) => Some(key),
        }
    }
}

/// One page request: a bucket, a prefix, where to continue, and how many keys at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub bucket: String,
    pub prefix: String,
    pub continuation_token: Option<String>,
    /// With a continuation token: the last entry listed before it (the answer must list after
    /// it, in an order the listing kept). Not sent; checked.
    pub token_after: Option<Bound>,
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
        let (continuation_token, token_after, start_after) = match cursor {
            None => (None, None, None),
            Some(Cursor::Token { token, after }) => (Some(token), after, None),
            Some(Cursor::After(key)) => (None, None, Some(key)),
        };
        Self {
            continuation_token,
            token_after,
            start_after,
            ..self.clone()
        }
    }

    /// Where this request lists from.
    #[must_use]
    pub fn cursor(&self) -> Option<Cursor> {
        match (&self.continuation_token, &self.start_after) {
            (Some(token), _) => Some(Cursor::Token {
                token: token.clone(),
                after: self.token_after.clone(),
            }),
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

    /// The first entry that breaks the order S3 lists in, and the one it should have come
    /// after: keys and folders each strictly ascending and all after `after`, the last entry
    /// listed before this page's continuation token (only the folder holding it may come
    /// again). A server whose tokens cycle, or whose pages repeat or go back, is caught here
    /// instead of listing forever. An answer to a StartAfter has no `after` and is checked
    /// within itself only: servers read StartAfter differently (SeaweedFS lists `a/b.json`
    /// after `a/b/`), and the split listing trims what it does not need.
    #[must_use]
    pub fn out_of_order<'a>(&'a self, after: Option<&'a Bound>) -> Option<(&'a str, &'a str)> {
        self.orders_kept(after).err()
    }

    /// The orders (see [`Orders`]) this page keeps after `after`, or the first entry that
    /// breaks every order still open, with the one before it.
    pub fn orders_kept<'a>(
        &'a self,
        after: Option<&'a Bound>,
    ) -> Result<Orders, (&'a str, &'a str)> {
        let orders = after.map_or_else(Orders::default, |b| b.orders);
        let before = after.map(|b| b.key.as_str());
        let keys = self.objects.iter().map(|o| &*o.key);
        let folders = self.prefixes.iter().map(String::as_str);
        let orders = kept_after(keys, before, orders, false)?;
        kept_after(folders, before, orders, true)
    }
}

/// The orders `entries` keep, each strictly after the one before it (`after` for the first),
/// or the first that breaks them all, with that one; `folders`: the first may be the folder
/// that holds `after` (not `after` itself).
fn kept_after<'a>(
    entries: impl Iterator<Item = &'a str>,
    after: Option<&'a str>,
    mut orders: Orders,
    folders: bool,
) -> Result<Orders, (&'a str, &'a str)> {
    let mut before = after;
    for (i, entry) in entries.enumerate() {
        if let Some(b) = before {
            let holds_after = folders && i == 0 && entry != b && b.starts_with(entry);
            if !holds_after {
                orders = orders.kept(b, entry);
                if !orders.any() {
                    return Err((entry, b));
                }
            }
        }
        before = Some(entry);
    }
    Ok(orders)
}

/// The folder `key` is in: `a/b/` of `a/b/c` and of `a/b/`; the root (`""`) of `c`.
pub fn folder_of(key: &str) -> &str {
    key.rfind('/').map_or("", |i| &key[..=i])
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

/// [`url_decode`] of a key the caller owns: moved back as it is when nothing needs decoding
/// (no copy).
pub fn url_decoded(text: String) -> String {
    match url_decode(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(decoded) => decoded,
    }
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
    fn the_folder_a_key_is_in() {
        assert_eq!(folder_of("a/b/c"), "a/b/");
        assert_eq!(folder_of("a/b/"), "a/b/");
        assert_eq!(folder_of("c"), "");
        assert_eq!(folder_of(""), "");
    }

    fn page_of(keys: &[&str], folders: &[&str], token: Option<&str>) -> ListPage {
        ListPage {
            prefixes: folders.iter().map(|f| (*f).to_string()).collect(),
            objects: keys
                .iter()
                .map(|k| ObjectEntry::new(*k, 0, None, Etag::parse(""), StorageClass::Unknown))
                .collect(),
            next_token: token.map(str::to_string),
        }
    }

    /// What a request from `cursor` checks its answer against.
    fn bound_of(cursor: Cursor) -> Option<Bound> {
        let request = PageRequest {
            bucket: "b".into(),
            prefix: String::new(),
            continuation_token: None,
            token_after: None,
            start_after: None,
            max_keys: 10,
            folders: true,
        };
        request.from_cursor(Some(cursor)).token_after
    }

    #[test]
    fn a_page_in_order_after_what_was_listed_passes() {
        let page = page_of(&["b", "c"], &["b/", "d/"], None);
        assert_eq!(page.out_of_order(None), None);
        assert_eq!(page.out_of_order(Some(&"a".into())), None);
        // After a/x, S3 lists folder a/ again: the keys after it are in it.
        let again = page_of(&[], &["a/", "b/"], None);
        assert_eq!(again.out_of_order(Some(&"a/x".into())), None);
        // An answer to a StartAfter is checked within itself only (SeaweedFS lists a/b.json
        // after a/b/): its request carries no bound.
        let after_folder = bound_of(Cursor::After("a/b/".into()));
        assert_eq!(after_folder, None);
        let seaweed = page_of(&["a/b.json", "a/c"], &[], None);
        assert_eq!(seaweed.out_of_order(after_folder.as_ref()), None);
        assert_eq!(
            page_of(&[], &[], None).out_of_order(Some(&"z".into())),
            None
        );
        // A token carries its bound.
        let token = Cursor::Token {
            token: "t".into(),
            after: Some("c".into()),
        };
        assert_eq!(bound_of(token).map(|b| b.key).as_deref(), Some("c"));
    }

    #[test]
    fn seaweedfs_s_order_by_folder_is_kept_and_a_cycle_between_the_two_orders_is_caught() {
        // SeaweedFS lists folder a/ (in path order) before `a b`; S3 the other way round.
        let seaweed = page_of(&["a/x", "a b"], &[], Some("t1"));
        assert_eq!(
            seaweed.orders_kept(None),
            Ok(Orders {
                bytes: false,
                segments: true
            })
        );
        let s3 = page_of(&["a b", "a/x"], &[], Some("t1"));
        assert_eq!(
            s3.orders_kept(None),
            Ok(Orders {
                bytes: true,
                segments: false
            })
        );
        // Pages of one key each, `a b` then `a/x` then `a b` again: the first step keeps only
        // byte order, the second breaks it.
        let first = Cursor::after_page(None, &page_of(&["a b"], &[], Some("t1"))).unwrap();
        let second_page = page_of(&["a/x"], &[], Some("t2"));
        let Cursor::Token { after, .. } = &first else {
            panic!()
        };
        assert_eq!(second_page.out_of_order(after.as_ref()), None);
        let second = Cursor::after_page(Some(&first), &second_page).unwrap();
        let Cursor::Token { after, .. } = &second else {
            panic!()
        };
        assert_eq!(
            after.as_ref().unwrap().orders,
            Orders {
                bytes: true,
                segments: false
            }
        );
        let again = page_of(&["a b"], &[], Some("t1"));
        assert_eq!(
            again.out_of_order(after.as_ref()),
            Some(("a b", "a/x")),
            "after a/x in byte order, a b comes before it"
        );
        // The same pages without what came before: a b after a/x is fine in SeaweedFS's order.
        assert_eq!(again.out_of_order(Some(&"a/x".into())), None);
    }

    #[test]
    fn keys_or_folders_not_after_what_came_before_are_named() {
        let page = page_of(&["b", "c"], &[], None);
        assert_eq!(
            page.out_of_order(Some(&"b".into())),
            Some(("b", "b")),
            "again"
        );
        assert_eq!(
            page.out_of_order(Some(&"c".into())),
            Some(("b", "c")),
            "back"
        );
        let unsorted = page_of(&["a", "c", "b"], &[], None);
        assert_eq!(unsorted.out_of_order(None), Some(("b", "c")));
        let twice = page_of(&["a", "a"], &[], None);
        assert_eq!(twice.out_of_order(None), Some(("a", "a")));
        let folders = page_of(&[], &["b/", "a/"], None);
        assert_eq!(folders.out_of_order(None), Some(("a/", "b/")));
        // After a token, the folder listed last does not come again.
        let folder = page_of(&[], &["a/"], None);
        assert_eq!(folder.out_of_order(Some(&"a/".into())), Some(("a/", "a/")));
        assert_eq!(folder.out_of_order(Some(&"b".into())), Some(("a/", "b")));
        // Only the first folder may hold `after`.
        let second = page_of(&[], &["a/x/", "a/"], None);
        assert_eq!(
            second.out_of_order(Some(&"a/x/y".into())),
            Some(("a/", "a/x/"))
        );
        // Keys get no such leave.
        let key = page_of(&["a/"], &[], None);
        assert_eq!(key.out_of_order(Some(&"a/x".into())), Some(("a/", "a/x")));
    }

    #[test]
    fn the_cursor_after_a_page_carries_its_last_entry_or_the_bound_before() {
        let page = page_of(&["a", "c"], &["b/"], Some("t"));
        let next = Cursor::after_page(None, &page).unwrap();
        assert_eq!(
            next,
            Cursor::Token {
                token: "t".into(),
                after: Some("c".into())
            }
        );
        assert_eq!(next.lower_bound(), Some("c"));
        let empty = page_of(&[], &[], Some("u"));
        let from = Cursor::After("k".into());
        assert_eq!(
            Cursor::after_page(Some(&from), &empty)
                .unwrap()
                .lower_bound(),
            Some("k")
        );
        assert_eq!(
            Cursor::after_page(Some(&from), &page_of(&["x"], &[], None)),
            None
        );
        let request = PageRequest {
            bucket: "b".into(),
            prefix: String::new(),
            continuation_token: None,
            token_after: None,
            start_after: None,
            max_keys: 10,
            folders: true,
        };
        assert_eq!(request.from_cursor(Some(next.clone())).cursor(), Some(next));
        let after = request.from_cursor(Some(from.clone()));
        assert_eq!(after.token_after, None);
        assert_eq!(after.cursor(), Some(from));
    }

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
        assert_eq!(url_decoded("a%20b+c".to_string()), "a b c");
        assert_eq!(url_decoded("plain".to_string()), "plain");
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
