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

/// The order objects are shown in. Folders always come first, by name (reversed for
/// `NameDesc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Sort {
    /// S3's own order (by key bytes).
    #[default]
    NameAsc,
    NameDesc,
    SizeAsc,
    SizeDesc,
    ModifiedAsc,
    ModifiedDesc,
}

impl Sort {
    /// The next order `o` goes to.
    pub(crate) fn next(self) -> Self {
        match self {
            Sort::NameAsc => Sort::NameDesc,
            Sort::NameDesc => Sort::SizeAsc,
            Sort::SizeAsc => Sort::SizeDesc,
            Sort::SizeDesc => Sort::ModifiedAsc,
            Sort::ModifiedAsc => Sort::ModifiedDesc,
            Sort::ModifiedDesc => Sort::NameAsc,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Sort::NameAsc => "name ↑",
            Sort::NameDesc => "name ↓",
            Sort::SizeAsc => "size ↑",
            Sort::SizeDesc => "size ↓",
            Sort::ModifiedAsc => "last modified ↑",
            Sort::ModifiedDesc => "last modified ↓",
        }
    }

    /// Whether `a` (at S3 position `ia`) goes before `b` (at `ib`); ties keep S3's order.
    fn cmp(self, (ia, a): (u32, &ObjectEntry), (ib, b): (u32, &ObjectEntry)) -> std::cmp::Ordering {
        let by = match self {
            Sort::NameAsc => std::cmp::Ordering::Equal,
            Sort::NameDesc => return ib.cmp(&ia),
            Sort::SizeAsc => a.size.cmp(&b.size),
            Sort::SizeDesc => b.size.cmp(&a.size),
            Sort::ModifiedAsc => a.modified_ms().cmp(&b.modified_ms()),
            Sort::ModifiedDesc => b.modified_ms().cmp(&a.modified_ms()),
        };
        by.then(ia.cmp(&ib))
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
    sort: Sort,
    /// The visible objects in display order, when the order is not S3's.
    sorted: Option<Vec<u32>>,
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

    /// The keys and prefixes shown (through the filter), in display order.
    #[cfg(test)]
    pub(crate) fn visible_keys(&self) -> Vec<&str> {
        (0..self.visible_len())
            .filter_map(|row| self.visible_entry(row).map(Entry::key))
            .collect()
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
    /// The last folder listed.
    pub(crate) fn last_folder(&self) -> Option<&str> {
        self.folders.last().map(AsRef::as_ref)
    }

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
            let row = if self.sort == Sort::NameDesc {
                folders - 1 - row
            } else {
                row
            };
            let i = match &self.filter {
                None => row,
                Some(f) => f.folders[row] as usize,
            };
            self.folders.get(i).map(|f| Entry::Folder(f))
        } else {
            let row = row - folders;
            let i = match (&self.sorted, &self.filter) {
                (Some(sorted), _) => sorted.get(row).map(|&i| i as usize),
                (None, None) => Some(row),
                (None, Some(f)) => f.objects.get(row).map(|&i| i as usize),
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
        if let Some(sorted) = &mut self.sorted {
            sorted.clear();
        }
    }

    pub(crate) fn sort(&self) -> Sort {
        self.sort
    }

    /// Shows the objects in `sort` order; the selected entry stays selected.
    pub(crate) fn set_sort(&mut self, sort: Sort) {
        let selected_key = self.selected().map(|e| e.key().to_string());
        self.sort = sort;
        self.resort();
        self.cursor = selected_key.and_then(|k| self.row_of(&k)).unwrap_or(0);
        self.clamp();
    }

    /// The visible objects' indices in S3's order.
    fn visible_objects(&self) -> Vec<u32> {
        match &self.filter {
            Some(f) => f.objects.clone(),
            None => (0..self.objects.len()).map(index).collect(),
        }
    }

    /// Sorts the visible objects anew (after the order or the filter changed).
    fn resort(&mut self) {
        if self.sort == Sort::NameAsc {
            self.sorted = None;
            return;
        }
        let mut order = self.visible_objects();
        let (sort, objects) = (self.sort, &self.objects);
        order.sort_by(|&a, &b| sort.cmp((a, &objects[a as usize]), (b, &objects[b as usize])));
        self.sorted = Some(order);
    }

    /// Merges newly visible objects (in S3 order) into the sorted order: linear in what is
    /// loaded, not a sort of everything.
    fn merge_sorted(&mut self, mut new: Vec<u32>) {
        let Some(sorted) = self.sorted.take() else {
            return;
        };
        let (sort, objects) = (self.sort, &self.objects);
        let key = |i: u32| (i, &objects[i as usize]);
        new.sort_by(|&a, &b| sort.cmp(key(a), key(b)));
        let mut merged = Vec::with_capacity(sorted.len() + new.len());
        let (mut a, mut b) = (sorted.into_iter().peekable(), new.into_iter().peekable());
        loop {
            let take_a = match (a.peek(), b.peek()) {
                (Some(&x), Some(&y)) => sort.cmp(key(x), key(y)).is_le(),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            merged.extend(if take_a { a.next() } else { b.next() });
        }
        self.sorted = Some(merged);
    }

    /// Takes in a page: its folders after the folders loaded so far, its objects after the
    /// objects. The entry under the cursor stays under it.
    pub(crate) fn insert_page(&mut self, prefixes: Vec<String>, objects: Vec<ObjectEntry>) {
        if self.sort != Sort::NameAsc {
            return self.insert_page_sorted(prefixes, objects);
        }
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

    /// A page under a sort: new entries may land anywhere, so the selected one is found again.
    fn insert_page_sorted(&mut self, prefixes: Vec<String>, objects: Vec<ObjectEntry>) {
        let selected_key = self.selected().map(|e| e.key().to_string());
        let first_object = self.objects.len();
        let sort = std::mem::take(&mut self.sort);
        let sorted = self.sorted.take();
        self.insert_page(prefixes, objects);
        self.sort = sort;
        self.sorted = sorted;
        let new: Vec<u32> = match &self.filter {
            Some(f) => f
                .objects
                .iter()
                .copied()
                .filter(|&i| i as usize >= first_object)
                .collect(),
            None => (first_object..self.objects.len()).map(index).collect(),
        };
        self.merge_sorted(new);
        if let Some(row) = selected_key.and_then(|k| self.row_of(&k)) {
            self.cursor = row;
        }
        self.clamp();
    }

    /// Rows gone (`gone`: keys and folder prefixes) and rows come (`folders`, `objects`) after a
    /// write, taken in where they belong without a reload: folders and objects stay in S3's
    /// order, an object written over is replaced, and the filter and the sort apply to them.
    /// The selected entry stays selected; when it went, the cursor stays on its row.
    pub(crate) fn rewrite(
        &mut self,
        gone: &[String],
        folders: Vec<String>,
        objects: Vec<ObjectEntry>,
    ) {
        let selected_key = self.selected().map(|e| e.key().to_string());
        let row = self.cursor;
        if !gone.is_empty() {
            let gone: std::collections::HashSet<&str> = gone.iter().map(String::as_str).collect();
            self.folders.retain(|f| !gone.contains(&**f));
            self.objects.retain(|o| !gone.contains(&*o.key));
        }
        for folder in folders {
            if let Err(at) = self
                .folders
                .binary_search_by(|f| (**f).cmp(folder.as_str()))
            {
                self.folders.insert(at, folder.into_boxed_str());
            }
        }
        for object in objects {
            match self.objects.binary_search_by(|o| o.key.cmp(&object.key)) {
                Ok(at) => self.objects[at] = object,
                Err(at) => self.objects.insert(at, object),
            }
        }
        let filter = self.filter().to_string();
        self.set_filter(&filter);
        self.cursor = selected_key.and_then(|k| self.row_of(&k)).unwrap_or(row);
        self.clamp();
    }

    /// The last key or folder loaded, in S3's order: what a page not yet loaded lists after.
    pub(crate) fn last_listed(&self) -> Option<&str> {
        let folder = self.folders.last().map(|f| &**f);
        let object = self.objects.last().map(|o| &*o.key);
        folder.max(object)
    }

    /// The visible row of `key`, if it is loaded and passes the filter.
    /// Whether `prefix` is among the folders loaded (whatever the filter shows).
    pub(crate) fn has_folder(&self, prefix: &str) -> bool {
        self.folders.binary_search_by(|f| (**f).cmp(prefix)).is_ok()
    }

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
        self.resort();
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
