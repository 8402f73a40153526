//! The object pane: the current prefix, what is loaded of it (folders first, then objects), the
//! cursor, the filter, the page in flight and the inline error. Pages load on demand.

mod paging;

use super::{Generation, RequestId};
use crate::failure::AwsFailure;
use crate::bucket::{ListPage, ObjectEntry, PageRequest};

/// Rows from the end of what is loaded at which the next page is requested.
pub const LOOKAHEAD: usize = 100;

/// After a reload, pages are loaded until the previously selected key is back on screen, but
/// no more than this many.
pub const RESELECT_MAX_PAGES: usize = 20;

/// One row: a folder (common prefix) or an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Folder(String),
    Object(ObjectEntry),
}

impl Entry {
    /// The full key or prefix.
    pub fn key(&self) -> &str {
        match self {
            Entry::Folder(p) => p,
            Entry::Object(o) => &o.key,
        }
    }
}

/// A page request on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlight {
    pub id: RequestId,
    pub generation: Generation,
    pub token: Option<String>,
}

/// A failed page, shown in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineError {
    pub failure: AwsFailure,
    /// The continuation token to resume from.
    pub token: Option<String>,
    /// New credentials are on their way; the page is retried when they arrive.
    pub awaiting_credentials: bool,
    /// The page is retried by itself at this time (network trouble, throttling, 5xx).
    pub retry_at: Option<chrono::DateTime<chrono::Utc>>,
}

// Independent facts about the listing (complete, started, replacing, refresh used), not one
// state in disguise.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectsState {
    pub bucket: String,
    pub prefix: String,
    pub page_size: i32,
    entries: Vec<Entry>,
    folder_count: usize,
    /// Indices into `entries` that pass the filter.
    visible: Vec<usize>,
    pub filter: String,
    /// Index into the visible rows.
    pub cursor: usize,
    pub next_token: Option<String>,
    /// Every page of this prefix has been loaded.
    pub complete: bool,
    /// At least one page of this prefix has arrived.
    pub started: bool,
    pub in_flight: Option<InFlight>,
    pub error: Option<InlineError>,
    /// The one automatic credential refresh for this listing has been used.
    pub auto_refresh_used: bool,
    /// Passing failures in a row (network, throttling, 5xx), for the retry backoff.
    pub transient_failures: u32,
    /// Select this key once it is loaded (after going up a level or reloading).
    pub select_after_load: Option<String>,
    pub pages_loaded: usize,
    /// A reload of this prefix is under way: the rows on screen stay until its first page
    /// replaces them, so a failed reload loses nothing.
    pub replacing: bool,
    /// The first visible row, kept by the view so scrolling is smooth.
    pub view_offset: std::cell::Cell<usize>,
}

impl ObjectsState {
    pub fn new(bucket: &str, prefix: &str, page_size: i32) -> Self {
        Self {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
            page_size,
            ..Self::default()
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Rows that pass the filter, in display order.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    pub fn visible_entry(&self, row: usize) -> Option<&Entry> {
        self.visible.get(row).and_then(|&i| self.entries.get(i))
    }

    pub fn selected(&self) -> Option<&Entry> {
        self.visible_entry(self.cursor)
    }

    pub fn key_count(&self) -> usize {
        self.entries.len() - self.folder_count
    }

    pub fn folder_count(&self) -> usize {
        self.folder_count
    }

    /// Forgets what is loaded and starts over in `prefix`.
    pub fn reset(&mut self, prefix: &str) {
        *self = Self {
            bucket: std::mem::take(&mut self.bucket),
            prefix: prefix.to_string(),
            page_size: self.page_size,
            filter: std::mem::take(&mut self.filter),
            select_after_load: self.select_after_load.take(),
            ..Self::default()
        };
    }

    /// Starts this prefix over while keeping the rows on screen until the first new page.
    pub fn begin_reload(&mut self) {
        self.replacing = true;
        self.next_token = None;
        self.complete = false;
        self.in_flight = None;
        self.error = None;
        self.auto_refresh_used = false;
        self.pages_loaded = 0;
    }

    /// The request for the next page, if one is due: nothing in flight, no error, more to load.
    pub fn next_request(&self) -> Option<PageRequest> {
        if self.in_flight.is_some()
            || self.error.is_some()
            || (self.started && self.complete && !self.replacing)
        {
            return None;
        }
        Some(self.request_from(self.next_token.clone()))
    }

    pub fn request_from(&self, token: Option<String>) -> PageRequest {
        PageRequest {
            bucket: self.bucket.clone(),
            prefix: self.prefix.clone(),
            continuation_token: token,
            max_keys: self.page_size,
            folders: true,
        }
    }

    /// Whether the cursor is close enough to the end of what is loaded to fetch more.
    pub fn wants_more(&self) -> bool {
        !self.replacing && !self.complete && self.cursor + LOOKAHEAD >= self.visible.len()
    }

    /// Takes a page in. Returns false (and changes nothing) for a stale answer.
    pub fn page_loaded(&mut self, id: RequestId, page: ListPage) -> bool {
        if self.in_flight.as_ref().map(|f| f.id) != Some(id) {
            return false;
        }
        let selected_key = self.selected().map(|e| e.key().to_string());
        self.in_flight = None;
        self.error = None;
        self.auto_refresh_used = false;
        self.transient_failures = 0;
        self.started = true;
        self.pages_loaded += 1;
        if std::mem::take(&mut self.replacing) {
            self.entries.clear();
            self.folder_count = 0;
        }
        let new_folders = page.prefixes.len();
        let at = self.folder_count;
        self.entries
            .splice(at..at, page.prefixes.into_iter().map(Entry::Folder));
        self.folder_count += new_folders;
        self.entries
            .extend(page.objects.into_iter().map(Entry::Object));
        self.complete = page.next_token.is_none();
        self.next_token = page.next_token;
        self.rebuild_visible();
        if let Some(key) = self.select_after_load.clone() {
            if let Some(row) = self.row_of(&key) {
                self.cursor = row;
                self.select_after_load = None;
            }
        } else if new_folders > 0 {
            // Folders were inserted above: keep the same entry under the cursor.
            if let Some(row) = selected_key.and_then(|k| self.row_of(&k)) {
                self.cursor = row;
            }
        }
        if self.complete {
            self.select_after_load = None;
        }
        true
    }

    fn row_of(&self, key: &str) -> Option<usize> {
        self.visible
            .iter()
            .position(|&i| self.entries[i].key() == key)
    }

    pub fn set_filter(&mut self, filter: &str) {
        let selected_key = self.selected().map(|e| e.key().to_string());
        self.filter = filter.to_string();
        self.rebuild_visible();
        self.cursor = selected_key.and_then(|k| self.row_of(&k)).unwrap_or(0);
    }

    fn rebuild_visible(&mut self) {
        let needle = self.filter.to_lowercase();
        let prefix_len = self.prefix.len();
        self.visible = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                needle.is_empty()
                    || e.key()
                        .get(prefix_len..)
                        .unwrap_or_default()
                        .to_lowercase()
                        .contains(&needle)
            })
            .map(|(i, _)| i)
            .collect();
        self.clamp_cursor();
    }

    fn clamp_cursor(&mut self) {
        self.cursor = self.cursor.min(self.visible.len().saturating_sub(1));
    }

    /// Moves the cursor by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    pub fn move_to(&mut self, row: usize) {
        self.cursor = row;
        self.clamp_cursor();
    }

    /// The parent of the current prefix (`a/b/` → `a/`, `a/` → ``), if not at the root.
    pub fn parent_prefix(&self) -> Option<String> {
        if self.prefix.is_empty() {
            return None;
        }
        let trimmed = self.prefix.trim_end_matches('/');
        Some(match trimmed.rfind('/') {
            Some(i) => trimmed[..=i].to_string(),
            None => String::new(),
        })
    }

    /// The display name of an entry relative to the current prefix.
    pub fn relative<'a>(&self, entry: &'a Entry) -> &'a str {
        entry.key().get(self.prefix.len()..).unwrap_or(entry.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(key: &str) -> ObjectEntry {
        ObjectEntry {
            key: key.into(),
            size: 1,
            last_modified: None,
            etag: "\"e\"".into(),
            storage_class: None,
        }
    }

    fn in_flight(state: &mut ObjectsState, id: u64) {
        state.in_flight = Some(InFlight {
            id: RequestId(id),
            generation: Generation(1),
            token: None,
        });
    }

    #[test]
    fn folders_stay_first_across_pages() {
        let mut s = ObjectsState::new("b", "", 2);
        in_flight(&mut s, 1);
        assert!(s.page_loaded(
            RequestId(1),
            ListPage {
                prefixes: vec!["a/".into()],
                objects: vec![obj("b.txt")],
                next_token: Some("b.txt".into()),
            }
        ));
        s.move_to(1);
        in_flight(&mut s, 2);
        assert!(s.page_loaded(
            RequestId(2),
            ListPage {
                prefixes: vec!["c/".into()],
                objects: vec![obj("d.txt")],
                next_token: None,
            }
        ));
        let keys: Vec<&str> = s.entries().iter().map(Entry::key).collect();
        assert_eq!(keys, ["a/", "c/", "b.txt", "d.txt"]);
        assert_eq!(
            s.selected().unwrap().key(),
            "b.txt",
            "cursor follows its entry"
        );
        assert!(s.complete);
        assert_eq!(s.key_count(), 2);
        assert_eq!(s.folder_count(), 2);
    }

    #[test]
    fn stale_page_changes_nothing() {
        let mut s = ObjectsState::new("b", "", 2);
        in_flight(&mut s, 2);
        assert!(!s.page_loaded(RequestId(1), ListPage::default()));
        assert!(s.entries().is_empty());
        assert!(s.in_flight.is_some());
    }

    #[test]
    fn filter_is_case_insensitive_on_the_relative_name() {
        let mut s = ObjectsState::new("b", "photos/", 10);
        in_flight(&mut s, 1);
        s.page_loaded(
            RequestId(1),
            ListPage {
                prefixes: vec!["photos/2024/".into()],
                objects: vec![obj("photos/Cat.JPG"), obj("photos/dog.png")],
                next_token: None,
            },
        );
        s.set_filter("cat");
        assert_eq!(s.visible_len(), 1);
        assert_eq!(s.selected().unwrap().key(), "photos/Cat.JPG");
        s.set_filter("photos");
        assert_eq!(s.visible_len(), 0, "the prefix itself does not match");
        s.set_filter("");
        assert_eq!(s.visible_len(), 3);
    }

    #[test]
    fn parent_prefixes() {
        let mut s = ObjectsState::new("b", "a/b/c/", 10);
        assert_eq!(s.parent_prefix().as_deref(), Some("a/b/"));
        s.prefix = "a/".into();
        assert_eq!(s.parent_prefix().as_deref(), Some(""));
        s.prefix = String::new();
        assert_eq!(s.parent_prefix(), None);
    }
}
