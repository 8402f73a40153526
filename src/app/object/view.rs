//! The object's detail or a preview over the listing: opened by a key, asked of S3 in the
//! background (stale answers dropped), scrolled, and its failure decided as every request's is
//! ([`crate::app::fetch::decide`]).

use super::{Content, ObjectActions, ObjectView, Target, ViewKind};
use crate::app::ctx::{Ctx, Step};
use crate::app::fetch::{Failed, Fetch};
use crate::app::{Effect, ObjectFetch, RequestId};
use crate::failure::AwsFailure;
use crate::keymap::{Action, Key, KeyPress};
use crate::object::ObjectDetail;
use crate::object::preview::Preview;

/// Columns `<` and `>` move a preview sideways.
const SIDEWAYS: usize = 8;

impl ObjectActions {
    /// The object the keys act on: the open view's, else the selected row's (objects only;
    /// in the versions view, the version selected).
    pub(crate) fn target(&self, ctx: &Ctx<'_>) -> Option<Target> {
        match &self.view {
            Some(view) => Some((view.key.clone(), view.version.clone())),
            None => ctx
                .selected_object
                .map(|k| (k.to_string(), ctx.selected_version.map(str::to_string))),
        }
    }

    /// Keys while the presigned-URL popup or an object view is open; `None` lets the key
    /// through to the global keys (quit, help, modes, refresh, cancel...).
    pub(crate) fn on_key(
        &mut self,
        press: KeyPress,
        action: Option<Action>,
        ctx: &Ctx<'_>,
    ) -> Option<Step> {
        if let Some(popup) = &mut self.presigned {
            if matches!(press.key, Key::Esc | Key::Enter | Key::Char('q')) {
                self.presigned = None;
            } else if let Some(step) = action.and_then(|a| scroll_step(a, ctx.page)) {
                popup.scroll = popup.scroll.saturating_add_signed(step);
            }
            return Some(Step::default());
        }
        let view = self.view.as_mut()?;
        if press.key == Key::Esc || action == Some(Action::Parent) {
            self.view = None;
            return Some(Step::default());
        }
        if let Some(step) = action.and_then(|a| scroll_step(a, ctx.page)) {
            // Wrapped, the last line may take more rows than it has: it may come to the top.
            let last = if view.wrap {
                view.line_count().saturating_sub(1)
            } else {
                view.line_count().saturating_sub(ctx.page)
            };
            view.scroll = view.scroll.saturating_add_signed(step).min(last);
            return Some(Step::default());
        }
        match action {
            Some(Action::Wrap) => {
                view.wrap = !view.wrap;
                view.hscroll = 0;
                Some(Step::default())
            }
            Some(Action::ScrollRight) if !view.wrap => {
                let widest = view.widest();
                view.hscroll = (view.hscroll + SIDEWAYS).min(widest.saturating_sub(SIDEWAYS));
                Some(Step::default())
            }
            Some(Action::ScrollLeft) => {
                view.hscroll = view.hscroll.saturating_sub(SIDEWAYS);
                Some(Step::default())
            }
            Some(Action::Preview) if view.kind == ViewKind::Detail => {
                let target = (view.key.clone(), view.version.clone());
                Some(self.open_view(target, ViewKind::Preview, ctx).into())
            }
            Some(Action::Reload) => Some(self.fetch_view(ctx).into()),
            Some(Action::Download) => Some(self.start_download(ctx)),
            Some(Action::Presign) => Some(self.presign(ctx)),
            Some(
                Action::Quit
                | Action::Help
                | Action::RefreshCredentials
                | Action::ModeFederated
                | Action::ModeRole
                | Action::ModeSession
                | Action::ModeCycle
                | Action::Cancel
                | Action::Suspend
                | Action::CopyUri
                | Action::CopyArn
                | Action::Restore
                | Action::CustomerKey,
            ) => None,
            _ => Some(Step::default()),
        }
    }

    /// `Enter` on an object, `p` on an object.
    pub(crate) fn open_selected(&mut self, kind: ViewKind, ctx: &Ctx<'_>) -> Vec<Effect> {
        match self.target(ctx) {
            Some(target) => self.open_view(target, kind, ctx),
            None => Vec::new(),
        }
    }

    fn open_view(&mut self, target: Target, kind: ViewKind, ctx: &Ctx<'_>) -> Vec<Effect> {
        self.view = Some(ObjectView::new(target, kind));
        self.fetch_view(ctx)
    }

    /// Asks for the open view's content (again).
    fn fetch_view(&mut self, ctx: &Ctx<'_>) -> Vec<Effect> {
        let Some(generation) = ctx.session.active else {
            return Vec::new(); // the view asks once credentials are in use
        };
        let Some(view) = self.view.as_mut() else {
            return Vec::new();
        };
        let id = ctx.ids.next();
        view.content.ask(id, generation);
        let what = match view.kind {
            ViewKind::Detail => ObjectFetch::Detail,
            ViewKind::Preview => ObjectFetch::Preview {
                max_bytes: ctx.config.objects.preview_bytes,
            },
        };
        vec![Effect::FetchObject {
            request: id,
            generation,
            bucket: ctx.bucket.to_string(),
            key: view.key.clone(),
            version: view.version.clone(),
            what,
        }]
    }

    /// A customer key was given for `key`: its open view asks again, with it.
    pub(crate) fn ask_again_for(&mut self, key: &str, ctx: &Ctx<'_>) -> Vec<Effect> {
        if self.view.as_ref().is_some_and(|v| v.key == key) {
            self.fetch_view(ctx)
        } else {
            Vec::new()
        }
    }

    pub(crate) fn on_detail(&mut self, request: RequestId, detail: Box<ObjectDetail>) {
        if let Some(view) = self.view.as_mut() {
            view.content.answer(request, Content::Detail(detail));
        }
    }

    pub(crate) fn on_preview(&mut self, request: RequestId, bytes: &[u8], size: u64) {
        if let Some(view) = self.view.as_mut()
            && view.content.is_asking(request)
        {
            let preview = Preview::of(&view.key, size, bytes);
            view.content.answer(request, Content::Preview(preview));
        }
    }

    pub(crate) fn on_failed(
        &mut self,
        request: RequestId,
        failure: AwsFailure,
        ctx: &Ctx<'_>,
    ) -> Step {
        if let Some(p) = self.presigned.as_mut().filter(|p| p.url.is_asking(request)) {
            // Signing is local: its failure is shown as it is, never retried by itself.
            p.url = Fetch::Failed(Failed::shown(failure));
            return Step::default();
        }
        let hint = self
            .target(ctx)
            .and_then(|(k, v)| ctx.why_refused(&failure, &k, v.is_some()));
        let Some(view) = self.view.as_mut() else {
            return Step::default();
        };
        let Some(next) = view
            .content
            .fail_in_place(request, failure, hint, (ctx.session, ctx.now))
        else {
            return Step::default();
        };
        Step::after_failure(next, || self.fetch_view(ctx))
    }

    /// New credentials are in use: a view that waited for them asks again, a download that
    /// stalled for them resumes.
    pub(crate) fn after_credentials(&mut self, ctx: &Ctx<'_>) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self
            .view
            .as_ref()
            .is_some_and(|v| v.content.awaits_credentials())
        {
            effects.extend(self.fetch_view(ctx));
        }
        effects.extend(self.resume_after_credentials(ctx));
        effects
    }

    /// `r` with an object view's failure on screen: whether new credentials should ask again.
    pub(crate) fn on_refresh_asked(&mut self, session_expired: bool) {
        if let Some(view) = self.view.as_mut()
            && let Some(failed) = view.content.failed_mut()
        {
            failed.on_refresh_asked(session_expired);
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
