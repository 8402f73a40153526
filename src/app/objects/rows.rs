//! The rows of the object pane: what is loaded of the current prefix (folders first, then
//! objects, in S3's order), the filter over them, the cursor, and the scroll window.

use crate::bucket::ObjectEntry;

/// One row: a folder (common prefix) or an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entry {
    Folder(String),
    Object(ObjectEntry),
}

impl Entry {
    /// The full key or prefix.
    pub(crate) fn key(&self) -> &str {
        match self {
            Entry::Folder(p) => p,
            Entry::Object(o) => &o.key,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rows {
    entries: Vec<Entry>,
    folder_count: usize,
    /// Indices into `entries` that pass the filter; `None` when no filter is set (every entry
    /// is visible, and no copy of the index is kept).
    visible: Option<Vec<usize>>,
    filter: String,
    /// Index into the visible rows.
    cursor: usize,
    /// The first visible row on screen.
    offset: usize,
    /// How many rows the list shows (from the layout; 0 until known).
    height: usize,
    /// Where names start in keys (the prefix's length): the filter matches names only.
    name_from: usize,
}

impl Rows {
    /// No rows yet, for keys under a prefix `name_from` bytes long.
    pub(crate) fn new(name_from: usize) -> Self {
        Self {
            name_from,
            ..Self::default()
        }
    }

    /// Empties the rows for another prefix, keeping the filter and the height.
    pub(crate) fn restart(&mut self, name_from: usize) {
        self.name_from = name_from;
        self.clear();
    }

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub(crate) fn filter(&self) -> &str {
        &self.filter
    }

    pub(crate) fn cursor(&self) -> usize {
        self.cursor
    }

    pub(crate) fn offset(&self) -> usize {
        self.offset
    }

    pub(crate) fn height(&self) -> usize {
        self.height
    }

    pub(crate) fn visible_len(&self) -> usize {
        self.visible.as_ref().map_or(self.entries.len(), Vec::len)
    }

    pub(crate) fn visible_entry(&self, row: usize) -> Option<&Entry> {
        match &self.visible {
            None => self.entries.get(row),
            Some(index) => index.get(row).and_then(|&i| self.entries.get(i)),
        }
    }

    pub(crate) fn selected(&self) -> Option<&Entry> {
        self.visible_entry(self.cursor)
    }

    pub(crate) fn key_count(&self) -> usize {
        self.entries.len() - self.folder_count
    }

    pub(crate) fn folder_count(&self) -> usize {
        self.folder_count
    }

    /// Forgets every row (the filter stays).
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.folder_count = 0;
        self.cursor = 0;
        self.offset = 0;
        self.refilter();
    }

    /// Takes in a page: its folders after the folders loaded so far, its objects at the end.
    /// The entry under the cursor stays under it.
    pub(crate) fn insert_page(&mut self, prefixes: Vec<String>, objects: Vec<ObjectEntry>) {
        let selected_key = self.selected().map(|e| e.key().to_string());
        let new_folders = prefixes.len();
        let at = self.folder_count;
        self.entries
            .splice(at..at, prefixes.into_iter().map(Entry::Folder));
        self.folder_count += new_folders;
        self.entries.extend(objects.into_iter().map(Entry::Object));
        self.refilter();
        if new_folders > 0 {
            // Folders were inserted above: keep the same entry under the cursor.
            if let Some(row) = selected_key.and_then(|k| self.row_of(&k)) {
                self.cursor = row;
            }
        }
        self.clamp();
    }

    pub(crate) fn row_of(&self, key: &str) -> Option<usize> {
        (0..self.visible_len()).find(|&row| self.visible_entry(row).is_some_and(|e| e.key() == key))
    }

    /// Shows only names containing `filter`, case-insensitively; the selected entry stays
    /// selected when it still shows, else the first row is.
    pub(crate) fn set_filter(&mut self, filter: &str) {
        let selected_key = self.selected().map(|e| e.key().to_string());
        self.filter = filter.to_string();
        self.refilter();
        self.cursor = selected_key.and_then(|k| self.row_of(&k)).unwrap_or(0);
        self.clamp();
    }

    fn refilter(&mut self) {
        if self.filter.is_empty() {
            self.visible = None;
            return;
        }
        let needle = self.filter.to_lowercase();
        self.visible = Some(
            self.entries
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.key()
                        .get(self.name_from..)
                        .unwrap_or_default()
                        .to_lowercase()
                        .contains(&needle)
                })
                .map(|(i, _)| i)
                .collect(),
        );
    }

    /// Moves the cursor by `delta` rows, clamped.
    pub(crate) fn move_by(&mut self, delta: isize) {
        let last = self.visible_len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.follow_cursor();
    }

    pub(crate) fn move_to(&mut self, row: usize) {
        self.cursor = row;
        self.clamp();
    }

    /// The list now shows `height` rows.
    pub(crate) fn set_height(&mut self, height: usize) {
        self.height = height;
        self.follow_cursor();
    }

    fn clamp(&mut self) {
        self.cursor = self.cursor.min(self.visible_len().saturating_sub(1));
        self.follow_cursor();
    }

    /// Keeps the cursor on screen, moving the window as little as possible, and never past the
    /// end.
    fn follow_cursor(&mut self) {
        if self.height == 0 {
            return; // not laid out yet
        }
        let height = self.height;
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + height {
            self.offset = self.cursor + 1 - height;
        }
        self.offset = self.offset.min(self.visible_len().saturating_sub(height));
    }
}
