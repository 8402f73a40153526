//! The object's detail or a preview over the listing: opened by a key, asked of S3 in the
//! background (stale answers dropped), scrolled, and its failure decided as every request's is
//! ([`crate::app::fetch::decide`]).

use super::{Content, ObjectView, ViewKind};
use crate::app::fetch::{Failed, Fetch, Retry, decide};
use crate::app::listing::Entry;
use crate::app::{App, Effect, ObjectFetch, RequestId};
use crate::failure::AwsFailure;
use crate::keymap::{Action, Key, KeyPress};
use crate::object::ObjectDetail;
use crate::object::preview::Preview;
use chrono::{DateTime, Utc};

impl App {
    /// The object the keys act on: the open view's, else the selected row's (objects only).
    pub(super) fn target_key(&self) -> Option<String> {
        if let Some(view) = &self.object.view {
            return Some(view.key.clone());
        }
        match self.listing.selected() {
            Some(Entry::Object(o)) => Some(o.key.to_string()),
            _ => None,
        }
    }

    /// Why the session policy of the credentials in use refuses reading `key`, if it does.
    pub(super) fn refusal(&self, key: &str) -> Option<String> {
        self.target
            .session_policy(self.session.mode())?
            .refusal_hint("s3:GetObject", self.listing.bucket(), key)
    }

    /// Why S3 refused reading `key` with `failure`, when the session policy explains it.
    pub(super) fn why_refused(&self, failure: &AwsFailure, key: &str) -> Option<String> {
        self.target
            .session_policy(self.session.mode())?
            .why_refused(failure, "s3:GetObject", self.listing.bucket(), key)
    }

    /// Keys while the presigned-URL popup or an object view is open; `None` lets the key
    /// through to the global keys (quit, help, modes, refresh, cancel...).
    pub(crate) fn on_object_key(
        &mut self,
        press: KeyPress,
        action: Option<Action>,
        now: DateTime<Utc>,
    ) -> Option<Vec<Effect>> {
        if self.object.presigned.is_some() {
            if matches!(press.key, Key::Esc | Key::Enter | Key::Char('q')) {
                self.object.presigned = None;
            }
            return Some(Vec::new());
        }
        let view = self.object.view.as_mut()?;
        if press.key == Key::Esc || action == Some(Action::Parent) {
            self.object.view = None;
            return Some(Vec::new());
        }
        let page = self.listing.rows().height().max(1);
        if let Some(step) = action.and_then(|a| scroll_step(a, page)) {
            let last = view.line_count().saturating_sub(page);
            view.scroll = view.scroll.saturating_add_signed(step).min(last);
            return Some(Vec::new());
        }
        match action {
            Some(Action::Wrap) => {
                view.wrap = !view.wrap;
                Some(Vec::new())
            }
            Some(Action::Preview) if view.kind == ViewKind::Detail => {
                let key = view.key.clone();
                Some(self.open_view(&key, ViewKind::Preview))
            }
            Some(Action::Reload) => Some(self.fetch_view()),
            Some(Action::Download) => Some(self.start_download(now)),
            Some(Action::Presign) => Some(self.presign(now)),
            Some(
                Action::Quit
                | Action::Help
                | Action::RefreshCredentials
                | Action::ModeFederated
                | Action::ModeRole
                | Action::ModeSession
                | Action::ModeCycle
                | Action::Cancel
                | Action::Suspend,
            ) => None,
            _ => Some(Vec::new()),
        }
    }

    /// `Enter` on an object, `p` on an object.
    pub(crate) fn open_selected_object(&mut self, kind: ViewKind) -> Vec<Effect> {
        match self.listing.selected() {
            Some(Entry::Object(o)) => {
                let key = o.key.to_string();
                self.open_view(&key, kind)
            }
            _ => Vec::new(),
        }
    }

    fn open_view(&mut self, key: &str, kind: ViewKind) -> Vec<Effect> {
        self.object.view = Some(ObjectView::new(key, kind));
        self.fetch_view()
    }

    /// Asks for the open view's content (again).
    fn fetch_view(&mut self) -> Vec<Effect> {
        let Some(generation) = self.session.active_generation() else {
            return Vec::new(); // the view asks once credentials are in use
        };
        let id = self.next_id();
        let max_bytes = self.config.objects.preview_bytes;
        let bucket = self.listing.bucket().to_string();
        let Some(view) = self.object.view.as_mut() else {
            return Vec::new();
        };
        view.content.ask(id, generation);
        let what = match view.kind {
            ViewKind::Detail => ObjectFetch::Detail,
            ViewKind::Preview => ObjectFetch::Preview { max_bytes },
        };
        vec![Effect::FetchObject {
            request: id,
            generation,
            bucket,
            key: view.key.clone(),
            what,
        }]
    }

    pub(crate) fn on_detail(
        &mut self,
        request: RequestId,
        detail: Box<ObjectDetail>,
    ) -> Vec<Effect> {
        if let Some(view) = self.object.view.as_mut() {
            view.content.answer(request, Content::Detail(detail));
        }
        Vec::new()
    }

    pub(crate) fn on_preview(
        &mut self,
        request: RequestId,
        bytes: &[u8],
        size: u64,
    ) -> Vec<Effect> {
        if let Some(view) = self.object.view.as_mut()
            && view.content.is_asking(request)
        {
            let preview = Preview::of(&view.key, size, bytes);
            view.content.answer(request, Content::Preview(preview));
        }
        Vec::new()
    }

    pub(crate) fn on_object_failed(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if let Some(p) = self
            .object
            .presigned
            .as_mut()
            .filter(|p| p.url.is_asking(request))
        {
            // Signing is local: its failure is shown as it is, never retried by itself.
            let failed = Failed::shown(failure);
            p.url = Fetch::Failed(failed);
            return Vec::new();
        }
        let session = self.session_now(now);
        let hint = self
            .target_key()
            .and_then(|k| self.why_refused(&failure, &k));
        let Some(view) = self.object.view.as_mut() else {
            return Vec::new();
        };
        let Some((_, signed_with)) = view.content.asking().filter(|(id, _)| *id == request) else {
            return Vec::new();
        };
        // A view is not asked again by itself after passing trouble: the user sees it and
        // presses the retry key.
        let (mut failed, next) =
            decide(failure, view.content.streak(), signed_with, session, 1, now);
        failed.hint = hint;
        if failed.failure.is_transient() {
            failed.retry = Retry::ByUser;
        }
        view.content = Fetch::Failed(failed);
        self.after_failure(next, Self::fetch_view, now)
    }

    /// New credentials are in use: a view that waited for them asks again.
    pub(crate) fn view_after_credentials(&mut self) -> Vec<Effect> {
        if self
            .object
            .view
            .as_ref()
            .is_some_and(|v| v.content.awaits_credentials())
        {
            return self.fetch_view();
        }
        Vec::new()
    }

    /// `r` with an object view's failure on screen: whether new credentials should ask again.
    pub(crate) fn view_awaits_credentials(&mut self, now: DateTime<Utc>) {
        let expired = self.session.is_expired(now);
        if let Some(view) = self.object.view.as_mut()
            && let Some(failed) = view.content.failed_mut()
        {
            failed.on_refresh_asked(expired);
        }
    }
}

/// How far a movement key scrolls a view `page` lines high (`None`: not a movement).
fn scroll_step(action: Action, page: usize) -> Option<isize> {
    let page = isize::try_from(page).unwrap_or(1);
    match action {
        Action::Up => Some(-1),
        Action::Down => Some(1),
        Action::PageUp => Some(-page),
        Action::PageDown => Some(page),
        Action::Top => Some(isize::MIN / 2),
        Action::Bottom => Some(isize::MAX / 2),
        _ => None,
    }
}
