//! The versions view (`v`): every version of the keys in the folder shown, and the delete
//! markers, newest first within a key, in the object pane in place of the listing. Pages load
//! on demand as the listing's do (ListObjectVersions from a key marker and a version-id
//! marker), so a folder of millions of versions opens at once. On a version the object keys
//! act on it (detail, preview, save, presigned URL: [`Versions::selected`]); `z` makes it the
//! current version again (a copy of it over the key) or, on a delete marker, undeletes the key
//! (the marker removed), each after a `y`, and each predicted by the session policy first.

use super::ctx::{Ctx, Prompt, Step, Written, uri};
use super::fetch::Fetch;
use super::listing::LOOKAHEAD;
use super::{Effect, Level, RequestId};
use crate::bucket::{ObjectEntry, VersionCursor, VersionEntry, VersionPage, VersionRequest};
use crate::failure::AwsFailure;
use crate::keymap::{Action, Key, KeyPress};

/// One row of the view: a folder, or a version (or delete marker) of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Row {
    Folder(String),
    Version(VersionEntry),
}

impl Row {
    fn key(&self) -> &str {
        match self {
            Row::Folder(prefix) => prefix,
            Row::Version(v) => v.key(),
        }
    }
}

/// What `z` is about to do, or is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Restore {
    pub(crate) key: String,
    pub(crate) version: String,
    /// The key is deleted: its delete marker goes (else the version is copied over the key).
    pub(crate) undelete: bool,
    /// What the key becomes, for the listing (the version made current).
    entry: Option<ObjectEntry>,
    /// The request on its way, once confirmed.
    pub(crate) sending: Option<RequestId>,
    /// Which credentials it was sent with, for the history.
    signed_with: String,
}

impl Restore {
    /// `restore s3://b/k to version 3HL4…` or `undelete s3://b/k`.
    pub(crate) fn what(&self, bucket: &str) -> String {
        if self.undelete {
            format!(
                "undelete {} (its delete marker goes)",
                uri(bucket, &self.key)
            )
        } else {
            format!(
                "make version {} of {} current (a copy of it)",
                crate::escape::printable(&self.version),
                uri(bucket, &self.key)
            )
        }
    }
}

/// The versions of one folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VersionsView {
    pub(crate) bucket: String,
    pub(crate) folder: String,
    pub(crate) rows: Vec<Row>,
    pub(crate) cursor: usize,
    /// Where the next page starts (`None`: the first, or none once `complete`).
    next: Option<VersionCursor>,
    pub(crate) complete: bool,
    /// The next page's request: `Waiting` while none is needed or credentials are awaited.
    pub(crate) page: Fetch<()>,
    pub(crate) pages: usize,
    /// Lines the list shows at once (for paging and the lookahead).
    pub(crate) height: usize,
    pub(crate) restore: Option<Restore>,
}

impl VersionsView {
    fn new(bucket: &str, folder: &str) -> Self {
        Self {
            bucket: bucket.to_string(),
            folder: folder.to_string(),
            rows: Vec::new(),
            cursor: 0,
            next: None,
            complete: false,
            page: Fetch::Waiting,
            pages: 0,
            height: 1,
            restore: None,
        }
    }

    pub(crate) fn selected(&self) -> Option<&Row> {
        self.rows.get(self.cursor)
    }

    /// Versions and delete markers loaded (folders aside).
    pub(crate) fn counts(&self) -> (usize, usize) {
        let versions = self.rows.iter().filter_map(|r| match r {
            Row::Version(v) => Some(v.delete_marker),
            Row::Folder(_) => None,
        });
        versions.fold(
            (0, 0),
            |(v, m), marker| {
                if marker { (v, m + 1) } else { (v + 1, m) }
            },
        )
    }

    /// The name of a row below the folder shown.
    pub(crate) fn relative<'a>(&self, row: &'a Row) -> &'a str {
        row.key().get(self.folder.len()..).unwrap_or(row.key())
    }

    /// Whether every key under the folder `prefix` (a row here) is deleted: the listing of the
    /// same folder, every page of it loaded, does not have it. `None` when that is not known
    /// (the listing shows another folder, or has more to load).
    pub(crate) fn only_deleted(
        &self,
        prefix: &str,
        listing: &super::listing::Listing,
    ) -> Option<bool> {
        let same = listing.bucket() == self.bucket && listing.folder() == self.folder;
        (same && listing.complete()).then(|| !listing.rows().has_folder(prefix))
    }

    /// The cursor is near the end of what is loaded and more is to come.
    fn wants_more(&self) -> bool {
        !self.complete && self.cursor + LOOKAHEAD >= self.rows.len()
    }

    fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    /// Takes a page in: its folders and versions in key order after the rows before.
    fn take(&mut self, page: VersionPage) {
        let mut rows: Vec<Row> = page
            .prefixes
            .into_iter()
            // A folder the page before ended in is listed again.
            .filter(|p| !matches!(self.rows.last(), Some(Row::Folder(last)) if last == p))
            .map(Row::Folder)
            .chain(page.versions.into_iter().map(Row::Version))
            .collect();
        // Stable: a key's versions keep S3's order, newest first.
        rows.sort_by(|a, b| a.key().cmp(b.key()));
        self.rows.extend(rows);
        self.complete = page.next.is_none();
        self.next = page.next;
        self.pages += 1;
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Versions {
    pub(crate) view: Option<VersionsView>,
}

/// No versions view: what the versions' own transitions see of themselves in their context
/// (they are borrowed apart from it).
pub(crate) static NONE: Versions = Versions { view: None };

impl Versions {
    /// `v`: the versions of the folder shown (predicted first: `s3:ListBucketVersions`).
    pub(crate) fn open(&mut self, ctx: &Ctx<'_>) -> Step {
        if let Some(why) = ctx
            .policy
            .and_then(|p| p.bucket_refusal_hint("s3:ListBucketVersions", ctx.bucket))
        {
            return Step::say(
                format!("{why}; nothing was sent (T offers read-write templates)"),
                Level::Warn,
            );
        }
        self.open_folder(ctx.bucket, ctx.prefix, ctx)
    }

    fn open_folder(&mut self, bucket: &str, folder: &str, ctx: &Ctx<'_>) -> Step {
        let mut view = VersionsView::new(bucket, folder);
        view.height = ctx.page;
        self.view = Some(view);
        Step::effects(self.ask_page(ctx))
    }

    /// The shown rows, while the view is open.
    pub(crate) fn shown(&self) -> Option<&VersionsView> {
        self.view.as_ref()
    }

    /// The version the cursor is on (the object keys act on it), if it is one with content:
    /// its key and version id (a delete marker has none).
    pub(crate) fn selected(&self) -> Option<(&str, &str)> {
        match self.view.as_ref()?.selected()? {
            Row::Version(v) if !v.delete_marker => Some((v.key(), &v.version_id)),
            _ => None,
        }
    }

    /// Asks for the next page, unless one is on its way, all are loaded, or there are no
    /// credentials yet (it asks when they come).
    fn ask_page(&mut self, ctx: &Ctx<'_>) -> Vec<Effect> {
        let Some(view) = self.view.as_mut() else {
            return Vec::new();
        };
        let Some(generation) = ctx.session.active else {
            return Vec::new();
        };
        if view.complete || view.page.asking().is_some() {
            return Vec::new();
        }
        let request = ctx.ids.next();
        view.page.ask(request, generation);
        vec![Effect::ListVersions {
            request,
            generation,
            page: VersionRequest {
                bucket: view.bucket.clone(),
                prefix: view.folder.clone(),
                max_keys: ctx.config.page_size,
                folders: true,
                from: view.next.clone(),
            },
        }]
    }

    /// More rows when the cursor nears the end of those loaded.
    fn more_if_near_end(&mut self, ctx: &Ctx<'_>) -> Vec<Effect> {
        let idle = self
            .view
            .as_ref()
            .is_some_and(|v| v.wants_more() && v.page == Fetch::Waiting);
        if idle { self.ask_page(ctx) } else { Vec::new() }
    }

    /// A page came, or failed (decided as every request's failure is).
    pub(crate) fn on_listed(
        &mut self,
        request: RequestId,
        result: Result<VersionPage, AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(view) = self.view.as_mut().filter(|v| v.page.is_asking(request)) else {
            return Step::default();
        };
        let failure = match result {
            Ok(page) => {
                view.take(page);
                view.page = Fetch::Waiting;
                return Step::effects(self.more_if_near_end(ctx));
            }
            Err(failure) => failure,
        };
        let hint = ctx
            .policy
            .and_then(|p| p.why_refused(&failure, "s3:ListBucketVersions", &view.bucket, ""));
        let Some(next) = view
            .page
            .fail_in_place(request, failure, hint, (ctx.session, ctx.now))
        else {
            return Step::default();
        };
        Step::after_failure(next, || self.ask_page(ctx))
    }

    /// New credentials are in use: the page that waited for them asks.
    pub(crate) fn after_credentials(&mut self, ctx: &Ctx<'_>) -> Vec<Effect> {
        let waits = self.view.as_ref().is_some_and(|v| {
            v.page.awaits_credentials() && (v.page != Fetch::Waiting || v.wants_more())
        });
        if waits {
            self.ask_page(ctx)
        } else {
            Vec::new()
        }
    }

    /// `r` with the view's failure on screen: whether the new credentials should ask again.
    pub(crate) fn on_refresh_asked(&mut self, session_expired: bool) {
        if let Some(failed) = self.view.as_mut().and_then(|v| v.page.failed_mut()) {
            failed.on_refresh_asked(session_expired);
        }
    }

    /// A key while the view shows. `None` lets it through: the object keys (they act on the
    /// version selected) and the session's own.
    pub(crate) fn on_key(
        &mut self,
        press: KeyPress,
        action: Option<Action>,
        ctx: &Ctx<'_>,
    ) -> Option<Step> {
        let on_content = self.selected().is_some();
        let view = self.view.as_mut()?;
        view.height = ctx.page;
        let page = isize::try_from(ctx.page).unwrap_or(1);
        let moved = match action {
            _ if press.key == Key::Esc => {
                self.view = None;
                return Some(Step::default());
            }
            Some(Action::Versions) => {
                self.view = None;
                return Some(Step::default());
            }
            Some(Action::Up) => -1,
            Some(Action::Down) => 1,
            Some(Action::PageUp) => -page,
            Some(Action::PageDown) => page,
            Some(Action::Top) => isize::MIN / 2,
            Some(Action::Bottom) => isize::MAX / 2,
            Some(Action::Open) => return self.open_row(ctx),
            Some(Action::Parent) => return Some(self.parent(ctx)),
            Some(Action::Reload) => return Some(self.reload(ctx)),
            Some(Action::Restore) => return Some(self.ask_restore(ctx)),
            Some(Action::Preview | Action::Download | Action::Presign) if !on_content => {
                return Some(Step::say(
                    "a delete marker has no content; z undeletes the key",
                    Level::Info,
                ));
            }
            Some(
                Action::Delete
                | Action::Upload
                | Action::CopyObject
                | Action::MoveObject
                | Action::NewFolder
                | Action::Mark
                | Action::MarkAll
                | Action::Filter
                | Action::Sort
                | Action::GoTo
                | Action::UnfinishedUploads
                | Action::CopyUri
                | Action::CopyArn,
            ) => {
                return Some(Step::say(
                    "that works in the listing; v goes back to it",
                    Level::Info,
                ));
            }
            _ => return None,
        };
        let view = self.view.as_mut()?;
        view.move_by(moved);
        Some(Step::effects(self.more_if_near_end(ctx)))
    }

    /// `Enter`: into a folder; on a version, its detail (the object keys' own).
    fn open_row(&mut self, ctx: &Ctx<'_>) -> Option<Step> {
        let view = self.view.as_ref()?;
        match view.selected()? {
            Row::Folder(prefix) => {
                let (bucket, prefix) = (view.bucket.clone(), prefix.clone());
                Some(self.open_folder(&bucket, &prefix, ctx))
            }
            Row::Version(v) if v.delete_marker => Some(Step::say(
                "a delete marker has no content; z undeletes the key",
                Level::Info,
            )),
            Row::Version(_) => None,
        }
    }

    /// The folder above, in the versions view too.
    fn parent(&mut self, ctx: &Ctx<'_>) -> Step {
        let Some(view) = self.view.as_ref() else {
            return Step::default();
        };
        if view.folder.is_empty() {
            return Step::default();
        }
        let trimmed = view.folder.trim_end_matches('/');
        let parent = trimmed
            .rfind('/')
            .map_or("", |i| &trimmed[..=i])
            .to_string();
        let bucket = view.bucket.clone();
        self.open_folder(&bucket, &parent, ctx)
    }

    /// `ctrl-r`: a failed page asks again; else the folder's versions from the start.
    fn reload(&mut self, ctx: &Ctx<'_>) -> Step {
        let Some(view) = self.view.as_mut() else {
            return Step::default();
        };
        if view.page.failed().is_some() {
            view.page = Fetch::Waiting;
            return Step::effects(self.ask_page(ctx));
        }
        let (bucket, folder) = (view.bucket.clone(), view.folder.clone());
        self.open_folder(&bucket, &folder, ctx)
    }

    /// `z`: asks to make the version selected current again, or to undelete the key of the
    /// delete marker selected (predicted by the session policy first).
    fn ask_restore(&mut self, ctx: &Ctx<'_>) -> Step {
        let Some(view) = self.view.as_mut() else {
            return Step::default();
        };
        if view.restore.is_some() {
            return Step::say("a restore is on its way", Level::Info);
        }
        let Some(Row::Version(v)) = view.selected() else {
            return Step::say("z works on a version or a delete marker", Level::Info);
        };
        let (key, version) = (v.key().to_string(), v.version_id.to_string());
        let restore = if v.delete_marker {
            if !v.latest {
                return Step::say(
                    "an older delete marker hides nothing; z on the latest undeletes the key",
                    Level::Info,
                );
            }
            // The key comes back as the version under the marker.
            let under = view.rows[view.cursor..]
                .iter()
                .take_while(|r| r.key() == key)
                .find_map(|r| match r {
                    Row::Version(v) if !v.delete_marker => Some(v.object.clone()),
                    _ => None,
                });
            Restore {
                key,
                version,
                undelete: true,
                entry: under,
                sending: None,
                signed_with: String::new(),
            }
        } else {
            if v.latest {
                return Step::say("this is the current version already", Level::Info);
            }
            Restore {
                key,
                version,
                undelete: false,
                entry: Some(v.object.clone()),
                sending: None,
                signed_with: String::new(),
            }
        };
        let needed: &[&str] = if restore.undelete {
            &["s3:DeleteObjectVersion"]
        } else {
            &["s3:GetObjectVersion", "s3:PutObject"]
        };
        if let Some(why) = ctx.policy.and_then(|p| {
            needed
                .iter()
                .find_map(|action| p.refusal_hint(action, &view.bucket, &restore.key))
        }) {
            let other = if restore.undelete {
                " (z on the version under it copies that one back instead)"
            } else {
                ""
            };
            return Step::say(
                format!("{why}; nothing was sent{other} (T offers read-write templates)"),
                Level::Warn,
            );
        }
        view.restore = Some(restore);
        Step {
            prompt: Some(Prompt::ConfirmRestore),
            ..Step::default()
        }
    }

    /// The restore asked about, while the prompt asks.
    pub(crate) fn asking(&self) -> Option<(&str, &Restore)> {
        let view = self.view.as_ref()?;
        let restore = view.restore.as_ref().filter(|r| r.sending.is_none())?;
        Some((&view.bucket, restore))
    }

    /// The key typed at "restore?": `y` sends it, any other keeps things as they are.
    pub(crate) fn on_confirm_key(&mut self, press: KeyPress, ctx: &Ctx<'_>) -> Step {
        let Some(view) = self.view.as_mut() else {
            return Step::default();
        };
        let yes = press.key == Key::Char('y') && !press.ctrl && !press.alt;
        let generation = ctx.session.active.filter(|_| yes);
        let (Some(generation), Some(restore)) = (generation, view.restore.as_mut()) else {
            view.restore = None;
            return Step::say("nothing was changed", Level::Info);
        };
        let request = ctx.ids.next();
        restore.sending = Some(request);
        restore.signed_with = ctx.signed_with();
        Step {
            effects: vec![Effect::RestoreVersion {
                request,
                generation,
                bucket: view.bucket.clone(),
                key: restore.key.clone(),
                version: restore.version.clone(),
                undelete: restore.undelete,
                part_size: ctx.config.objects.part_size,
            }],
            notice: Some((
                format!("{}…", restore.what(&view.bucket)),
                Level::Info,
                None,
            )),
            ..Step::default()
        }
    }

    /// S3 answered the restore: said (and in the history); on success the listing takes the
    /// key in and the versions are listed again, the new one on top.
    pub(crate) fn on_restored(
        &mut self,
        request: RequestId,
        result: Result<(), AwsFailure>,
        ctx: &Ctx<'_>,
    ) -> Step {
        let Some(view) = self.view.as_mut() else {
            return Step::default();
        };
        let Some(restore) = view.restore.take_if(|r| r.sending == Some(request)) else {
            return Step::default();
        };
        let bucket = view.bucket.clone();
        let what = restore.what(&bucket);
        if let Err(failure) = result {
            let action = if restore.undelete {
                "s3:DeleteObjectVersion"
            } else {
                "s3:PutObject"
            };
            let why = ctx
                .policy
                .and_then(|p| p.why_refused(&failure, action, &bucket, &restore.key))
                .map(|w| format!(" ({w})"))
                .unwrap_or_default();
            let text = format!("could not {what}: {failure}{why}");
            return Step {
                history: Some((format!("{text}{}", restore.signed_with), Level::Error)),
                notice: Some((text, Level::Error, None)),
                ..Step::default()
            };
        }
        let done = if restore.undelete {
            format!("undeleted {}", uri(&bucket, &restore.key))
        } else {
            format!(
                "made version {} of {} current",
                crate::escape::printable(&restore.version),
                uri(&bucket, &restore.key)
            )
        };
        let folder = view.folder.clone();
        let key = restore.key.clone();
        let mut step = self.open_folder(&bucket, &folder, ctx);
        step.history = Some((format!("{done}{}", restore.signed_with), Level::Info));
        step.notice = Some((done, Level::Info, None));
        // The key as it is now: the version made current, written now.
        let entry = restore.entry.map(|e| {
            ObjectEntry::new(
                e.key.clone(),
                e.size,
                Some(ctx.server_now),
                e.etag.clone(),
                e.storage_class.clone(),
            )
        });
        step.written = Some(Written {
            bucket,
            gone: Vec::new(),
            added: vec![(key, entry)],
        });
        step
    }
}

#[cfg(test)]
mod tests;
