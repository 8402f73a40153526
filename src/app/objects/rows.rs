//! The rows of the object pane: what is loaded of the current prefix (folders first, then
//! objects, each in S3's order), the filter over them, the cursor, and the scroll window.
//! A page is taken in at the cost of its own size: folders and objects are kept apart (a new
//! page's folders go after the folders, its objects after the objects, nothing moves), and the
//! filter tests only the new names.

use crate::bucket::ObjectEntry;

/// One row: a folder (common prefix) or an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry<'a> {
    Folder(&'a str),
    Object(&'a ObjectEntry),
}

impl<'a> Entry<'a> {
    /// The full key or prefix.
    pub(crate) fn key(self) -> &'a str {
        match self {
            Entry::Folder(p) => p,
            Entry::Object(o) => &o.key,
        }
    }
}

/// The filter and what passes it, as indices into the folders and the objects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Filter {
    /// As typed.
    text: String,
    /// Lower case, for matching.
    needle: String,
    folders: Vec<u32>,
    objects: Vec<u32>,
}

impl Filter {
    /// Whether `name` contains the needle, ignoring case; no allocation when the needle is
    /// ASCII (the usual case).
    fn matches(&self, name: &str) -> bool {
        let needle = self.needle.as_bytes();
        if needle.is_empty() {
            return true;
        }
        if self.needle.is_ascii() {
            return name
                .as_bytes()
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle));
        }
        name.to_lowercase().contains(&self.needle)
    }
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rows {
    folders: Vec<Box<str>>,
    objects: Vec<ObjectEntry>,
    /// `None` when no filter is set: every row shows, and no index is kept.
    filter: Option<Filter>,
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

    pub(crate) fn filter(&self) -> &str {
        self.filter.as_ref().map_or("", |f| &f.text)
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

    /// Every loaded key or prefix in display order, filter or not.
    #[cfg(test)]
    pub(crate) fn keys(&self) -> Vec<&str> {
        self.folders
            .iter()
            .map(AsRef::as_ref)
            .chain(self.objects.iter().map(|o| &*o.key))
            .collect()
    }

    /// Every loaded row, filter or not.
    pub(crate) fn len(&self) -> usize {
        self.folders.len() + self.objects.len()
    }

    fn visible_folders(&self) -> usize {
        self.filter
            .as_ref()
            .map_or(self.folders.len(), |f| f.folders.len())
    }

    pub(crate) fn visible_len(&self) -> usize {
        match &self.filter {
            None => self.len(),
            Some(f) => f.folders.len() + f.objects.len(),
        }
    }

    pub(crate) fn visible_entry(&self, row: usize) -> Option<Entry<'_>> {
        let folders = self.visible_folders();
        if row < folders {
            let i = match &self.filter {
                None => row,
                Some(f) => f.folders[row] as usize,
            };
            self.folders.get(i).map(|f| Entry::Folder(f))
        } else {
            let row = row - folders;
            let i = match &self.filter {
                None => Some(row),
                Some(f) => f.objects.get(row).map(|&i| i as usize),
            };
            i.and_then(|i| self.objects.get(i)).map(Entry::Object)
        }
    }

    pub(crate) fn selected(&self) -> Option<Entry<'_>> {
        self.visible_entry(self.cursor)
    }

    pub(crate) fn key_count(&self) -> usize {
        self.objects.len()
    }

    pub(crate) fn folder_count(&self) -> usize {
        self.folders.len()
    }

    /// Forgets every row (the filter stays).
    pub(crate) fn clear(&mut self) {
        self.folders.clear();
        self.objects.clear();
        self.cursor = 0;
        self.offset = 0;
        if let Some(f) = &mut self.filter {
            f.folders.clear();
            f.objects.clear();
        }
    }

    /// Takes in a page: its folders after the folders loaded so far, its objects after the
    /// objects. The entry under the cursor stays under it.
    pub(crate) fn insert_page(&mut self, prefixes: Vec<String>, objects: Vec<ObjectEntry>) {
        let on_object = self.cursor >= self.visible_folders() && self.visible_len() > 0;
        let folders_before = self.visible_folders();
        let (first_folder, first_object) = (self.folders.len(), self.objects.len());
        self.folders
            .extend(prefixes.into_iter().map(String::into_boxed_str));
        self.objects.extend(objects);
        if let Some(filter) = &mut self.filter {
            let name_from = self.name_from;
            for (i, f) in self.folders.iter().enumerate().skip(first_folder) {
                if filter.matches(key_name(f, name_from)) {
                    filter.folders.push(index(i));
                }
            }
            for (i, o) in self.objects.iter().enumerate().skip(first_object) {
                if filter.matches(key_name(&o.key, name_from)) {
                    filter.objects.push(index(i));
                }
            }
        }
        if on_object {
            // Folders were added above: keep the same entry under the cursor.
            self.cursor += self.visible_folders() - folders_before;
        }
        self.clamp();
    }

    /// The visible row of `key`, if it is loaded and passes the filter.
    pub(crate) fn row_of(&self, key: &str) -> Option<usize> {
        (0..self.visible_len()).find(|&row| self.visible_entry(row).is_some_and(|e| e.key() == key))
    }

    /// Shows only names containing `filter`, case-insensitively; the selected entry stays
    /// selected when it still shows, else the first row is.
    pub(crate) fn set_filter(&mut self, filter: &str) {
        let selected_key = self.selected().map(|e| e.key().to_string());
        self.filter = (!filter.is_empty()).then(|| {
            let mut f = Filter {
                text: filter.to_string(),
                needle: filter.to_lowercase(),
                ..Filter::default()
            };
            for (i, folder) in self.folders.iter().enumerate() {
                if f.matches(key_name(folder, self.name_from)) {
                    f.folders.push(index(i));
                }
            }
            for (i, object) in self.objects.iter().enumerate() {
                if f.matches(key_name(&object.key, self.name_from)) {
                    f.objects.push(index(i));
                }
            }
            f
        });
        self.cursor = selected_key.and_then(|k| self.row_of(&k)).unwrap_or(0);
        self.clamp();
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

/// The name of `key` under a prefix `name_from` bytes long.
fn key_name(key: &str, name_from: usize) -> &str {
    key.get(name_from..).unwrap_or_default()
}
