//! The object pane's state: the current prefix, its rows ([`rows`]) and where its listing is
//! ([`load`]). Pages load on demand; the transitions are the methods below and the app's
//! paging in [`paging`].

mod load;
pub(crate) mod marks;
mod paging;
mod rows;
#[cfg(test)]
mod tests;

pub(crate) use crate::app::fetch::{Failed, Retry, Streak};
#[cfg(test)]
pub(crate) use load::NextPage;
pub(crate) use load::{Load, PageFailure, PageFetch};
#[cfg(test)]
use paging::Paging;
pub(crate) use paging::Which;
pub(crate) use rows::{Entry, Rows, Sort};

use super::{Generation, RequestId};
use crate::bucket::{Cursor, ListPage, ObjectEntry, PageRequest, folder_of};

/// Rows from the end of what is loaded at which the next page is requested.
pub(crate) const LOOKAHEAD: usize = 100;

/// After a reload, pages are loaded until the previously selected key is back on screen, but
/// no more than this many.
pub(crate) const RESELECT_MAX_PAGES: usize = 20;

/// Whose rows are on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Shown {
    /// The rows of the listing under way.
    #[default]
    ThisListing,
    /// A reload is under way: the rows on screen are the previous listing's, kept until the
    /// first new page replaces them, so a failed reload loses nothing.
    PreviousListing,
}

/// `G` walks to the real end of the listing: pages are asked for back to back, and the cursor
/// follows the end, until the last page (or a failure, or the user stops it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Walk {
    pub(crate) since: chrono::DateTime<chrono::Utc>,
    /// Objects loaded when it started, for the rate.
    pub(crate) keys_at_start: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listing {
    bucket: String,
    prefix: String,
    page_size: i32,
    rows: Rows,
    load: Load,
    shown: Shown,
    pages_loaded: usize,
    /// Select this key once it is loaded (after going up a level or reloading).
    select_after_load: Option<String>,
    walk: Option<Walk>,
    /// Objects marked for an action (`space`, `V`).
    pub(crate) marks: marks::Marks,
}

impl Listing {
    pub(crate) fn new(bucket: &str, prefix: &str, page_size: i32) -> Self {
        Self {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
            page_size,
            rows: Rows::new(prefix.len()),
            load: Load::Unstarted,
            shown: Shown::ThisListing,
            pages_loaded: 0,
            select_after_load: None,
            walk: None,
            marks: marks::Marks::default(),
        }
    }

    /// The walk to the end under way, if any.
    pub(crate) fn walk(&self) -> Option<Walk> {
        self.walk
    }

    /// Starts walking to the end (nothing to walk when every page is loaded).
    pub(crate) fn start_walk(&mut self, now: chrono::DateTime<chrono::Utc>) {
        self.rows.move_by(isize::MAX / 2);
        if !self.complete() {
            self.walk = Some(Walk {
                since: now,
                keys_at_start: self.rows.key_count(),
            });
        }
    }

    /// Stops walking; what is loaded stays, and the listing goes on from after it. Returns
    /// whether a walk was under way, and whether its requests are to be stopped.
    pub(crate) fn stop_walk(&mut self) -> Option<bool> {
        self.walk.take()?;
        if let Load::Fetching { fetch, .. } = &self.load
            && fetch.walk
        {
            self.load = match fetch.token.clone() {
                Some(from) => Load::More { from },
                None => Load::Unstarted,
            };
            return Some(true);
        }
        Some(false)
    }

    pub(crate) fn bucket(&self) -> &str {
        &self.bucket
    }

    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }

    pub(crate) fn rows(&self) -> &Rows {
        &self.rows
    }

    pub(crate) fn load(&self) -> &Load {
        &self.load
    }

    pub(crate) fn pages_loaded(&self) -> usize {
        self.pages_loaded
    }

    pub(crate) fn selected(&self) -> Option<Entry<'_>> {
        self.rows.selected()
    }

    /// Something is on screen or has been: a page arrived, or a reload keeps the old rows.
    pub(crate) fn started(&self) -> bool {
        self.pages_loaded > 0 || self.shown == Shown::PreviousListing
    }

    /// The rows on screen are the previous listing's (a reload is under way, or failed).
    pub(crate) fn showing_previous(&self) -> bool {
        self.shown == Shown::PreviousListing
    }

    /// Every page is loaded and on screen.
    pub(crate) fn complete(&self) -> bool {
        self.load.is_complete() && self.shown == Shown::ThisListing
    }

    pub(crate) fn in_flight(&self) -> Option<&PageFetch> {
        self.load.fetching()
    }

    pub(crate) fn error(&self) -> Option<&PageFailure> {
        self.load.failure()
    }

    /// A failed page waits for new credentials.
    pub(crate) fn awaits_credentials(&self) -> bool {
        self.error()
            .is_some_and(|e| e.failed.retry == Retry::AfterCredentials)
    }

    /// Moves the cursor by `delta` rows, clamped.
    pub(crate) fn move_by(&mut self, delta: isize) {
        self.rows.move_by(delta);
    }

    /// Puts the cursor on visible row `row` (clamped).
    pub(crate) fn move_to(&mut self, row: usize) {
        self.rows.move_to(row);
    }

    pub(crate) fn set_filter(&mut self, filter: &str) {
        self.rows.set_filter(filter);
    }

    pub(crate) fn set_sort(&mut self, sort: Sort) {
        self.rows.set_sort(sort);
    }

    /// The list now shows `height` rows.
    pub(crate) fn set_height(&mut self, height: usize) {
        self.rows.set_height(height);
    }

    /// Forgets what is loaded and starts over in `prefix` of `bucket`.
    pub(crate) fn open_bucket(&mut self, bucket: &str, prefix: &str) {
        self.bucket = bucket.to_string();
        self.open(prefix, None);
    }

    /// Forgets what is loaded and starts over in `prefix`, selecting `select` once it loads.
    pub(crate) fn open(&mut self, prefix: &str, select: Option<String>) {
        self.walk = None;
        self.prefix = prefix.to_string();
        self.rows.set_filter("");
        self.rows.restart(folder_of(prefix).len());
        self.load = Load::Unstarted;
        self.shown = Shown::ThisListing;
        self.pages_loaded = 0;
        self.select_after_load = select;
        self.marks.clear();
    }

    /// Starts this prefix over while keeping the rows on screen until the first new page, then
    /// selecting the key selected now.
    pub(crate) fn begin_reload(&mut self) {
        self.walk = None;
        self.select_after_load = self.selected().map(|e| e.key().to_string());
        if self.started() {
            self.shown = Shown::PreviousListing;
        }
        self.load = Load::Unstarted;
        self.pages_loaded = 0;
    }

    /// Whether the cursor is close enough to the end of what is loaded to fetch more.
    pub(crate) fn wants_more(&self) -> bool {
        self.started()
            && self.shown == Shown::ThisListing
            && matches!(self.load, Load::More { .. })
            && self.rows.cursor() + LOOKAHEAD >= self.rows.visible_len()
    }

    /// The next page, if one is due, recorded as in flight under `id`.
    pub(crate) fn begin_next(
        &mut self,
        id: RequestId,
        generation: Generation,
    ) -> Option<PageRequest> {
        let token = self.load.next_page()?.token();
        Some(self.begin_fetch(id, generation, token, Streak::default()))
    }

    /// Every page from the next one to the end, recorded as in flight under `id`.
    pub(crate) fn begin_walk(
        &mut self,
        id: RequestId,
        generation: Generation,
    ) -> Option<PageRequest> {
        let page = self.begin_next(id, generation)?;
        if let Load::Fetching { fetch, .. } = &mut self.load {
            fetch.walk = true;
        }
        Some(page)
    }

    /// The failed page again, recorded as in flight under `id`.
    pub(crate) fn begin_retry(
        &mut self,
        id: RequestId,
        generation: Generation,
    ) -> Option<PageRequest> {
        let Load::Failed(failed) = std::mem::take(&mut self.load) else {
            return None;
        };
        Some(self.begin_fetch(id, generation, failed.token, failed.failed.streak))
    }

    fn begin_fetch(
        &mut self,
        id: RequestId,
        generation: Generation,
        token: Option<Cursor>,
        streak: Streak,
    ) -> PageRequest {
        let request = PageRequest {
            bucket: self.bucket.clone(),
            prefix: self.prefix.clone(),
            continuation_token: None,
            token_after: None,
            start_after: None,
            max_keys: self.page_size,
            folders: true,
        }
        .from_cursor(token.clone());
        self.load = Load::Fetching {
            fetch: PageFetch {
                id,
                generation,
                token,
                walk: false,
            },
            streak,
        };
        request
    }

    /// Takes a page in. Returns false (and changes nothing) for a stale answer.
    pub(crate) fn page_loaded(&mut self, id: RequestId, page: ListPage) -> bool {
        if self.in_flight().map(|f| f.id) != Some(id) {
            return false;
        }
        let current = self.in_flight().and_then(|f| f.token.clone());
        self.load = match Cursor::after_page(current.as_ref(), &page) {
            Some(from) => Load::More { from },
            None => Load::Complete,
        };
        self.take_page(page.prefixes, page.objects);
        true
    }

    /// Takes in a page of a walk to the end (`done`: the walk listed everything). Returns
    /// false (and changes nothing) for a stale answer.
    pub(crate) fn walk_page_loaded(&mut self, id: RequestId, page: ListPage, done: bool) -> bool {
        let Load::Fetching { fetch, .. } = &mut self.load else {
            return false;
        };
        if fetch.id != id || !fetch.walk {
            return false;
        }
        // The walk goes on after the last entry it handed on, should it fail or stop.
        if let Some(last) = page.last_entry() {
            fetch.token = Some(Cursor::After(last.to_string()));
        }
        if done {
            self.load = Load::Complete;
        }
        self.take_page(page.prefixes, page.objects);
        true
    }

    /// Puts a page's entries on screen (the listing under way replaces a previous one's rows).
    fn take_page(&mut self, prefixes: Vec<String>, objects: Vec<crate::bucket::ObjectEntry>) {
        self.pages_loaded += 1;
        if self.shown == Shown::PreviousListing {
            self.shown = Shown::ThisListing;
            self.rows.clear();
        }
        let mut prefixes = prefixes;
        // A listing that goes on after a folder lists that folder again.
        if prefixes
            .first()
            .is_some_and(|p| Some(p.as_str()) == self.rows.last_folder())
        {
            prefixes.remove(0);
        }
        self.rows.insert_page(prefixes, objects);
        if let Some(key) = &self.select_after_load
            && let Some(row) = self.rows.row_of(key)
        {
            self.rows.move_to(row);
            self.select_after_load = None;
        }
        if self.walk.is_some() {
            self.rows.move_by(isize::MAX / 2); // the cursor follows the end
        }
        if self.load.is_complete() {
            self.select_after_load = None;
            self.walk = None;
        }
    }

    /// Whether pages are still being walked through to find the key to select again.
    pub(crate) fn reselecting(&self) -> bool {
        self.select_after_load.is_some()
    }

    /// Gives up looking for the key to select again once enough pages were loaded; returns
    /// whether to keep looking.
    pub(crate) fn keep_reselecting(&mut self) -> bool {
        if self.pages_loaded < RESELECT_MAX_PAGES {
            return self.reselecting();
        }
        self.select_after_load = None;
        false
    }

    /// Takes the request `id` off the wire when it failed; `None` for a stale answer.
    pub(crate) fn take_failed(&mut self, id: RequestId) -> Option<(PageFetch, Streak)> {
        if self.in_flight().map(|f| f.id) != Some(id) {
            return None;
        }
        match std::mem::take(&mut self.load) {
            Load::Fetching { fetch, streak } => Some((fetch, streak)),
            other => {
                self.load = other;
                None
            }
        }
    }

    /// Shows a failed page in place, to be retried as it says. A walk to the end stops.
    pub(crate) fn fail(&mut self, failed: Failed, token: Option<Cursor>) {
        self.walk = None;
        self.load = Load::Failed(PageFailure { failed, token });
    }

    /// `r` was pressed: the failed page waits for the new credentials if they may let it
    /// through.
    pub(crate) fn on_refresh_asked(&mut self, session_expired: bool) {
        if let Load::Failed(page) = &mut self.load {
            page.failed.on_refresh_asked(session_expired);
        }
    }

    /// The parent of the current prefix (`a/b/` → `a/`, `a/` → ``), if not at the root.
    pub(crate) fn parent_prefix(&self) -> Option<String> {
        if self.prefix.is_empty() {
            return None;
        }
        let trimmed = self.prefix.trim_end_matches('/');
        Some(match trimmed.rfind('/') {
            Some(i) => trimmed[..=i].to_string(),
            None => String::new(),
        })
    }

    /// A write's rows taken in without a reload, when it wrote in the bucket and folder shown:
    /// `gone` keys (and a folder deleted whole: its prefix) leave; each of `added` (a key, with
    /// its entry when it is an object) comes as its row at this level (an object, or the
    /// folder it is under) when it is in the part listed so far; past that, the pages still
    /// to load bring it.
    pub(crate) fn take_written(
        &mut self,
        bucket: &str,
        gone: &[String],
        added: Vec<(String, Option<ObjectEntry>)>,
    ) {
        if bucket != self.bucket {
            return;
        }
        let folder = self.folder().to_string();
        let complete = self.complete();
        let bound = self.rows.last_listed().map(str::to_string);
        let listed = |row: &str| complete || bound.as_deref().is_some_and(|b| row <= b);
        let (mut folders, mut objects) = (Vec::new(), Vec::new());
        for (key, entry) in added {
            if !key.starts_with(&self.prefix) {
                continue;
            }
            let rest = &key[folder.len()..];
            match (rest.find('/'), entry) {
                (Some(slash), _) => {
                    let row = key[..=(folder.len() + slash)].to_string();
                    if listed(&row) {
                        folders.push(row);
                    }
                }
                (None, Some(entry)) if listed(&key) => objects.push(entry),
                (None, _) => {}
            }
        }
        self.rows.rewrite(gone, folders, objects);
    }

    /// `space`: marks or unmarks the object under the cursor, and moves on to the next row;
    /// `None` on a folder or no row (folders are not marked).
    pub(crate) fn toggle_mark(&mut self) -> Option<bool> {
        let Some(Entry::Object(o)) = self.selected() else {
            return None;
        };
        let (key, size) = (o.key.to_string(), o.size);
        let marked = self.marks.toggle(&key, size);
        self.move_by(1);
        Some(marked)
    }

    /// `V`: marks every object in view (the filter's, when one is typed), or none when each
    /// is marked already.
    pub(crate) fn toggle_mark_all(&mut self) {
        let rows = &self.rows;
        let objects = (0..rows.visible_len()).filter_map(|i| match rows.visible_entry(i) {
            Some(Entry::Object(o)) => Some((&*o.key, o.size)),
            _ => None,
        });
        self.marks.toggle_all(objects);
    }

    /// The display name of an entry relative to the folder shown.
    pub(crate) fn relative<'a>(&self, entry: Entry<'a>) -> &'a str {
        entry
            .key()
            .get(self.folder().len()..)
            .unwrap_or(entry.key())
    }

    /// The folder shown: the prefix listed, or, when that is a partial name (`:` with
    /// `photos/IMG_2024`), the folder it is in.
    pub(crate) fn folder(&self) -> &str {
        folder_of(&self.prefix)
    }

    /// What the prefix listed adds to its folder when it is a partial name (`IMG_2024`).
    pub(crate) fn starting_with(&self) -> Option<&str> {
        Some(&self.prefix[self.folder().len()..]).filter(|rest| !rest.is_empty())
    }
}
