//! What key presses do: the layer on top ([`App::top`]) takes them (a line being typed, a
//! picker, an overlay, the lab, an object's view), else the keymap's actions for the focused
//! pane.

use super::ctx::with;
use super::layers::{Layer, PickerKind};
use super::listing::{Entry, Which};
use super::object::{ObjectActions, ViewKind};
use super::picker::{Picked, Picker};
use super::share::Share;
use super::{App, Effect, Focus, Input, Level};
use crate::credentials::Mode;
use crate::keymap::{Action, Key, KeyPress};
use chrono::{DateTime, Utc};

impl App {
    pub(super) fn on_key(&mut self, press: KeyPress, now: DateTime<Utc>) -> Vec<Effect> {
        if press == KeyPress::ctrl('c') {
            return vec![Effect::Quit];
        }
        let top = self.top();
        let action = self.keymap.action(press);
        if top.is_input() {
            return self.on_input_key(press, now);
        }
        match top {
            Layer::Shared => {
                return with!(self.share, now, |s, c| s.on_popup_key(press, action, c));
            }
            Layer::Picker(picker) => return self.on_picker_key(picker, press, now),
            Layer::Unfinished => {
                return with!(self.leftovers, now, |l, c| l.on_key(press, action, c));
            }
            Layer::History => {
                self.history.visible =
                    !scroll_overlay(press, action, 'L', &mut self.history.scroll);
                return Vec::new();
            }
            Layer::Help => {
                self.help_visible = !scroll_overlay(press, action, '?', &mut self.help_scroll);
                return Vec::new();
            }
            // The lab, the URL popup, an object's view and the listing: below.
            _ => {}
        }
        // The policy diff shows until the next key.
        self.policy.diff = None;
        let taken = match top {
            Layer::Lab => self.on_lab_key(press, action, now),
            Layer::Presigned | Layer::Object => {
                let ctx = super::ctx::ctx!(self, now);
                let step = self.object.on_key(press, action, &ctx);
                step.map(|step| self.apply(step, now))
            }
            Layer::Versions => self.on_versions_key(press, action, now),
            _ => None,
        };
        if let Some(effects) = taken {
            return effects;
        }
        let (mut stopped, used_up) = self.stop_walk_for(press, action, now);
        if used_up {
            return stopped;
        }
        if press == KeyPress::plain(Key::Esc) && self.object.forget_failed_save() {
            return Vec::new();
        }
        if press == KeyPress::plain(Key::Esc) && !self.listing.marks.is_empty() {
            self.listing.marks.clear();
            return Vec::new();
        }
        if press == KeyPress::plain(Key::Esc) && !self.listing.rows().filter().is_empty() {
            self.listing.set_filter("");
            return Vec::new();
        }
        if press == KeyPress::plain(Key::Esc) && self.object.download.is_some() {
            return with!(self.object, now, |o, _| o.cancel_download());
        }
        if let Some(action) = action {
            stopped.extend(self.on_action(action, now));
        }
        stopped
    }

    /// A key in the versions view: its own (movement, folders, `z`), the object keys on the
    /// version selected, else the session's (`None`: on to the global keys).
    fn on_versions_key(
        &mut self,
        press: KeyPress,
        action: Option<Action>,
        now: DateTime<Utc>,
    ) -> Option<Vec<Effect>> {
        let ctx = super::ctx::ctx!(self, now, without_versions);
        if let Some(step) = self.versions.on_key(press, action, &ctx) {
            return Some(self.apply(step, now));
        }
        let ctx = super::ctx::ctx!(self, now);
        let step = match action? {
            Action::Open => self.object.open_selected(ViewKind::Detail, &ctx).into(),
            Action::Preview => self.object.open_selected(ViewKind::Preview, &ctx).into(),
            Action::Download => self.object.start_download(&ctx),
            Action::Presign => self.object.presign(&ctx),
            _ => return None,
        };
        Some(self.apply(step, now))
    }

    /// `$`: S3 reads agree to pay for themselves (a requester-pays bucket refuses the
    /// others), or no longer; the listing is asked again so.
    fn toggle_charged(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.payer = match self.payer {
            super::Payer::Owner => super::Payer::Requester,
            super::Payer::Requester => super::Payer::Owner,
        };
        let charged = self.payer == super::Payer::Requester;
        let said = if charged {
            "reads now agree to pay for themselves (requester pays): charges go to your account"
        } else {
            "reads no longer agree to pay for themselves"
        };
        self.notify(said, Level::Warn, now);
        self.history.record(now, Level::Warn, said);
        let mut effects = vec![Effect::ChargeRequester { on: charged }];
        effects.extend(self.reload(now));
        effects
    }

    /// Esc, or any other movement, stops a walk to the end; what is loaded stays. The effects
    /// that stop it, and whether the key did nothing else (Esc).
    fn stop_walk_for(
        &mut self,
        press: KeyPress,
        action: Option<Action>,
        now: DateTime<Utc>,
    ) -> (Vec<Effect>, bool) {
        let moves = matches!(
            action,
            Some(Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top)
        );
        if !(press == KeyPress::plain(Key::Esc) || moves) {
            return (Vec::new(), false);
        }
        let Some(requests) = self.listing.stop_walk() else {
            return (Vec::new(), false);
        };
        self.notify(
            "stopped loading every page; what is loaded stays",
            Level::Info,
            now,
        );
        let stopped = if requests {
            vec![Effect::StopListing]
        } else {
            Vec::new()
        };
        (stopped, !moves)
    }

    /// `s` saves many objects: some are marked, or the cursor is on a folder.
    fn saves_take(&self) -> bool {
        !self.listing.marks.is_empty() || matches!(self.listing.selected(), Some(Entry::Folder(_)))
    }

    /// The cursor is on a folder (and no object's view is open).
    fn on_a_folder(&self) -> bool {
        self.object.view.is_none() && matches!(self.listing.selected(), Some(Entry::Folder(_)))
    }

    /// `p` or `u` on a folder: what it works on, instead of nothing at all.
    fn say_what_a_folder_needs(&mut self, action: Action, now: DateTime<Utc>) {
        let what = match action {
            Action::Preview => "preview",
            _ => "a presigned URL",
        };
        let open = self
            .keymap
            .first_key(Action::Open)
            .map_or_else(|| "open".to_string(), |k| k.to_string());
        self.notify(
            format!("{what} works on one object; {open} opens the folder"),
            Level::Info,
            now,
        );
    }

    /// Keys while a picker is open: the picker says what the key asks, done here for all three.
    fn on_picker_key(
        &mut self,
        kind: PickerKind,
        press: KeyPress,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let recent = &self.recent_buckets;
        let picked = match kind {
            PickerKind::Region => self.regions.as_mut().map(|p| p.on_key(press, recent)),
            PickerKind::Profile => self.profiles.as_mut().map(|p| p.on_key(press, recent)),
            PickerKind::Bucket => self.buckets.as_mut().map(|p| p.on_key(press, recent)),
        };
        match picked.unwrap_or(Picked::Stay) {
            Picked::Stay => Vec::new(),
            Picked::NotAName(why) => {
                self.notify(why, Level::Warn, now);
                Vec::new()
            }
            Picked::Close => {
                self.close_picker(kind, now);
                Vec::new()
            }
            Picked::Chose(name) => match kind {
                PickerKind::Region => self.use_region(&name, now),
                PickerKind::Profile => self.use_profile(&name, now),
                PickerKind::Bucket => self.open_bucket(&name, now),
            },
        }
    }

    fn close_picker(&mut self, kind: PickerKind, now: DateTime<Utc>) {
        match kind {
            PickerKind::Region => self.regions = None,
            PickerKind::Profile => self.profiles = None,
            PickerKind::Bucket => {
                self.buckets = None;
                if self.listing.bucket().is_empty() {
                    self.notify("no bucket open: b picks one", Level::Info, now);
                }
            }
        }
    }

    pub(super) fn on_action(&mut self, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
        if let Some(effects) = self.on_listing_action(action, now) {
            return effects;
        }
        match action {
            Action::Quit if self.share.is_on() => {
                self.input = Some(Input::ConfirmQuit);
                Vec::new()
            }
            Action::Quit => vec![Effect::Quit],
            Action::Share => with!(self.share, now, Share::share),
            Action::Shell => with!(self.share, now, Share::shell),
            Action::Delete => with!(self.deletes, now, super::delete::Deletes::ask),
            Action::Upload => self.open_upload_prompt(now),
            Action::NewFolder => self.open_folder_prompt(now),
            Action::UnfinishedUploads => with!(
                self.leftovers,
                now,
                super::unfinished::UnfinishedUploads::list
            ),
            Action::Versions => with!(self.versions, now, super::versions::Versions::open),
            Action::Restore => with!(self.unarchive, now, super::unarchive::Unarchive::ask),
            Action::RequesterPays => self.toggle_charged(now),
            Action::CustomerKey => self.open_key_prompt(now),
            Action::CopyObject => self.open_copy_prompt(false, now),
            Action::MoveObject => self.open_copy_prompt(true, now),
            Action::Mark => {
                if self.listing.toggle_mark().is_none() {
                    self.notify(
                        "marks are for objects (a folder goes with sts3 rm --recursive)",
                        Level::Info,
                        now,
                    );
                }
                self.load_more_if_near_end(now)
            }
            Action::MarkAll => {
                self.listing.toggle_mark_all();
                Vec::new()
            }
            Action::GoTo => {
                self.input = Some(Input::GoTo {
                    text: String::new(),
                });
                Vec::new()
            }
            Action::Suspend => vec![Effect::Suspend],
            Action::Help => {
                self.help_visible = true;
                Vec::new()
            }
            Action::FocusNext | Action::FocusPrev => {
                self.focus = cycle_focus(self.focus, action == Action::FocusNext);
                Vec::new()
            }
            // Marked objects, or a folder: saved together.
            Action::Download if self.object.view.is_none() && self.saves_take() => {
                with!(self.saves, now, super::saves::Saves::start)
            }
            Action::Preview | Action::Presign if self.on_a_folder() => {
                self.say_what_a_folder_needs(action, now);
                Vec::new()
            }
            Action::Preview => with!(self.object, now, |o, c| o
                .open_selected(ViewKind::Preview, c)),
            Action::Download => with!(self.object, now, ObjectActions::start_download),
            Action::Presign => with!(self.object, now, ObjectActions::presign),
            Action::Cancel if self.saves.is_busy() => {
                let step = self.saves.cancel().unwrap_or_default();
                self.apply(step, now)
            }
            Action::Cancel if self.object.download.is_none() => {
                // A batch of writes under way stops starting new ones.
                let step = self
                    .copies
                    .stop_batch()
                    .or_else(|| self.uploads.stop_folder());
                self.apply(step.unwrap_or_default(), now)
            }
            Action::Cancel => with!(self.object, now, |o, _| o.cancel_download()),
            Action::EditPolicy => self.edit_policy(now),
            Action::Templates => self.open_templates(now),
            Action::AccessCheck => with!(self.lab, now, super::lab::Lab::check_access),
            Action::Buckets => self.open_bucket_picker(),
            Action::Profiles => self.open_profile_picker(now),
            Action::Region => self.open_region_picker(),
            Action::CopyUri | Action::CopyArn => self.copy_address(action, now),
            Action::History => {
                self.history.visible = true;
                Vec::new()
            }
            Action::RefreshCredentials => self.refresh_now(now),
            Action::ModeFederated => self.switch_mode(Mode::Federated, now),
            Action::ModeRole => self.switch_mode(Mode::AssumedRole, now),
            Action::ModeSession => self.switch_mode(Mode::SessionToken, now),
            Action::ModeCycle => self.cycle_mode(now),
            // `w` is an object view's; the listing's own are above.
            _ => Vec::new(),
        }
    }

    /// Moving in the focused pane and the listing's own actions; `None` for the others.
    fn on_listing_action(&mut self, action: Action, now: DateTime<Utc>) -> Option<Vec<Effect>> {
        Some(match action {
            Action::Up => self.scroll(-1, now),
            Action::Down => self.scroll(1, now),
            Action::PageUp => self.scroll(-self.page_rows(), now),
            Action::PageDown => self.scroll(self.page_rows(), now),
            Action::Top => self.scroll(isize::MIN / 2, now),
            Action::Bottom if self.focus == Focus::Objects => self.walk_to_end(now),
            Action::Bottom => self.scroll(isize::MAX / 2, now),
            Action::Open => self.open_selected(now),
            Action::Sort => self.cycle_sort(now),
            Action::Parent => self.go_up(now),
            Action::Filter => {
                self.focus = Focus::Objects;
                self.input = Some(Input::Filter {
                    text: self.listing.rows().filter().to_string(),
                });
                Vec::new()
            }
            Action::Reload => {
                // What failed to save concerns the rows being replaced.
                self.object.forget_failed_save();
                if self.listing.error().is_some() {
                    self.ask_page(Which::FailedAgain, now)
                } else {
                    self.reload(now)
                }
            }
            _ => return None,
        })
    }

    /// `y` / `Y`: the `s3://` URI or the ARN of the object open or selected (a folder's when
    /// the cursor is on one; the folder shown when nothing is), to the clipboard.
    fn copy_address(&mut self, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
        let bucket = self.listing.bucket();
        if bucket.is_empty() {
            self.notify("no bucket open yet: b picks one", Level::Warn, now);
            return Vec::new();
        }
        let key = match (&self.object.view, self.listing.selected()) {
            (Some(view), _) => view.key.clone(),
            (None, Some(Entry::Object(o))) => o.key.to_string(),
            (None, Some(Entry::Folder(p))) => p.to_string(),
            (None, None) => self.listing.folder().to_string(),
        };
        let text = if action == Action::CopyArn {
            format!("arn:aws:s3:::{bucket}/{key}")
        } else {
            format!("s3://{bucket}/{key}")
        };
        self.notify(
            format!("copied {} (OSC 52)", crate::escape::printable(&text)),
            Level::Info,
            now,
        );
        vec![Effect::CopyToClipboard { text }]
    }

    /// `r`: new credentials now; what failed because of the old ones waits for them.
    fn refresh_now(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if self.session.is_issuing() {
            return Vec::new();
        }
        self.session.forget_failures();
        let expired = self.session.is_expired(now);
        self.listing.on_refresh_asked(expired);
        self.object.on_refresh_asked(expired);
        self.versions.on_refresh_asked(expired);
        self.issue(self.session.mode(), now)
    }

    /// Switches to the next mode whose settings are complete, saying which were skipped.
    fn cycle_mode(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let from = self.session.target_mode();
        let mut skipped = Vec::new();
        let mut mode = from.next();
        while mode != from {
            match self.target.request_for(mode, None) {
                Ok(_) => break,
                Err(e) => skipped.push(format!("{mode} mode: {}", e.in_app())),
            }
            mode = mode.next();
        }
        if mode == from {
            self.notify(
                format!("no other mode is set up: {}", skipped.join("; ")),
                Level::Warn,
                now,
            );
            return Vec::new();
        }
        let effects = self.switch_mode(mode, now);
        if !skipped.is_empty() && self.notice.as_ref().is_none_or(|n| n.level != Level::Error) {
            let text = format!("skipped {}", skipped.join("; "));
            self.notify(text.clone(), Level::Info, now);
            self.skipped = Some(text);
        }
        effects
    }

    fn switch_mode(&mut self, mode: Mode, now: DateTime<Utc>) -> Vec<Effect> {
        self.skipped = None;
        if self.session.issuing().is_some_and(|(m, _)| m == mode) {
            return Vec::new();
        }
        if mode == self.session.mode()
            && !self.session.is_issuing()
            && self.session.active_generation().is_some()
        {
            self.notify(
                format!("already in {mode} mode (r refreshes)"),
                Level::Info,
                now,
            );
            return Vec::new();
        }
        self.issue(mode, now)
    }

    /// Rows in a page of the object list: what the list shows.
    fn page_rows(&self) -> isize {
        isize::try_from(self.listing.rows().height().max(1)).unwrap_or(1)
    }

    pub(super) fn scroll(&mut self, delta: isize, now: DateTime<Utc>) -> Vec<Effect> {
        match self.focus {
            Focus::Objects => {
                self.listing.move_by(delta);
                self.load_more_if_near_end(now)
            }
            Focus::Policy => {
                let d = i32::try_from(delta.clamp(-10_000, 10_000)).unwrap_or(0);
                self.policy.scroll_by(d);
                Vec::new()
            }
            Focus::Session => Vec::new(),
        }
    }

    fn open_selected(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let prefix = match self.listing.selected() {
            Some(Entry::Folder(prefix)) => prefix,
            Some(Entry::Object(_)) => {
                return with!(self.object, now, |o, c| o
                    .open_selected(ViewKind::Detail, c));
            }
            None => return Vec::new(),
        };
        let prefix = prefix.to_string();
        self.object.forget_failed_save();
        self.listing.open(&prefix, None);
        self.ask_page(Which::Next, now)
    }

    fn go_up(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(parent) = self.listing.parent_prefix() else {
            return Vec::new();
        };
        let left = self.listing.prefix().to_string();
        self.object.forget_failed_save();
        self.listing.open(&parent, Some(left));
        self.ask_page(Which::Next, now)
    }

    fn on_input_key(&mut self, press: KeyPress, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(input) = self.input.take() else {
            return Vec::new();
        };
        match input {
            Input::Filter { mut text } => {
                match press.key {
                    Key::Esc => {
                        self.listing.set_filter("");
                        return Vec::new();
                    }
                    Key::Enter => return Vec::new(),
                    _ => edit_line(&mut text, press),
                }
                self.listing.set_filter(&text);
                self.input = Some(Input::Filter { text });
                Vec::new()
            }
            Input::Overwrite => with!(self.object, now, |o, c| o.on_overwrite_key(press, c)),
            Input::ConfirmQuit => self.on_confirm_quit_key(press, now),
            Input::ConfirmDelete => with!(self.deletes, now, |d, c| d.on_confirm_key(press, c)),
            Input::ConfirmPut => with!(self.uploads, now, |u, c| u.on_exists_key(press, c)),
            Input::Upload { text } => self.on_upload_path_key(press, text, now),
            Input::GoTo { text } => self.on_goto_key(press, text, now),
            Input::NewFolder { text } => self.on_folder_name_key(press, text, now),
            Input::CopyTo { from, text, moving } => {
                self.on_copy_to_key(press, (from, text, moving), now)
            }
            Input::ConfirmCopy => with!(self.copies, now, |k, c| k.on_exists_key(press, c)),
            Input::ConfirmAbort => with!(self.leftovers, now, |l, c| l.on_confirm_key(press, c)),
            Input::CopyManyTo { text, moving } => self.on_copy_many_key(press, (text, moving), now),
            Input::ConfirmCopyMany => with!(self.copies, now, |k, c| k.on_batch_key(press, c)),
            Input::ConfirmSaveMany => with!(self.saves, now, |s, c| s.on_confirm_key(press, c)),
            Input::ConfirmRestore => with!(self.versions, now, |v, c| v.on_confirm_key(press, c)),
            Input::ConfirmUnarchive => with!(self.unarchive, now, |u, c| u.on_tier_key(press, c)),
            Input::ConfirmFolderPut => {
                with!(self.uploads, now, |u, c| u.on_folder_key(press, c))
            }
            Input::TypeToDelete { mut text } => match press.key {
                Key::Enter => with!(self.deletes, now, |d, c| d.on_name_typed(&text, c)),
                Key::Esc => with!(self.deletes, now, |d, c| d.on_name_typed("", c)),
                _ => {
                    edit_line(&mut text, press);
                    self.input = Some(Input::TypeToDelete { text });
                    Vec::new()
                }
            },
            Input::Mfa { mode, code, error } => self.on_mfa_key(press, mode, code, error, now),
            Input::CustomerKey { key, text } => self.on_customer_key_key(press, (key, text), now),
        }
    }

    /// A key at "quit while sharing?": `q` or `y` quits, anything else stays.
    fn on_confirm_quit_key(&mut self, press: KeyPress, now: DateTime<Utc>) -> Vec<Effect> {
        if matches!(press.key, Key::Char('q' | 'y')) && !press.ctrl && !press.alt {
            return vec![Effect::Quit];
        }
        self.notify("still sharing the session", Level::Info, now);
        Vec::new()
    }

    /// A key at the MFA prompt: digits (six at most), Backspace, Enter issues, Esc cancels.
    fn on_mfa_key(
        &mut self,
        press: KeyPress,
        mode: Mode,
        mut code: String,
        error: Option<String>,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        match press.key {
            Key::Esc => {
                self.notify("MFA prompt cancelled; r retries", Level::Warn, now);
                Vec::new()
            }
            Key::Enter => match self.target.request_for(mode, Some(&code)) {
                Ok(_) => self.issue_with(mode, Some(&code), now),
                Err(e) => {
                    self.input = Some(Input::Mfa {
                        mode,
                        code: String::new(),
                        error: Some(e.in_app()),
                    });
                    Vec::new()
                }
            },
            Key::Backspace => {
                code.pop();
                self.input = Some(Input::Mfa { mode, code, error });
                Vec::new()
            }
            Key::Char(c) if c.is_ascii_digit() && code.len() < 6 => {
                code.push(c);
                self.input = Some(Input::Mfa {
                    mode,
                    code,
                    error: None,
                });
                Vec::new()
            }
            _ => {
                self.input = Some(Input::Mfa { mode, code, error });
                Vec::new()
            }
        }
    }
}

/// A key for an overlay that only scrolls (help, history): `Esc`, `q` or its own `key` close
/// it (and it opens at the top next time), the movement keys scroll it. Whether it closed.
fn scroll_overlay(press: KeyPress, action: Option<Action>, key: char, scroll: &mut usize) -> bool {
    if matches!(press.key, Key::Esc | Key::Char('q')) || press.key == Key::Char(key) {
        *scroll = 0;
        return true;
    }
    match action {
        Some(Action::Down) => *scroll += 1,
        Some(Action::Up) => *scroll = scroll.saturating_sub(1),
        Some(Action::PageDown) => *scroll += 10,
        Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
        _ => {}
    }
    false
}

impl App {
    /// A key at a line being typed (a path, a name): Enter does `enter` with the text, Esc
    /// drops it, any other key edits it and the prompt (`again`) stays.
    pub(crate) fn on_line_key(
        &mut self,
        press: KeyPress,
        mut text: String,
        again: fn(String) -> Input,
        enter: impl FnOnce(&mut App, &str) -> Vec<Effect>,
    ) -> Vec<Effect> {
        match press.key {
            Key::Esc => Vec::new(),
            Key::Enter => enter(self, &text),
            _ => {
                edit_line(&mut text, press);
                self.input = Some(again(text));
                Vec::new()
            }
        }
    }

    /// Opens `prompt` in the status bar, when a bucket is open to act in.
    pub(crate) fn ask_in_a_bucket(&mut self, prompt: Input, now: DateTime<Utc>) -> Vec<Effect> {
        if self.listing.bucket().is_empty() {
            self.notify("no bucket open yet: b picks one", Level::Warn, now);
        } else {
            self.input = Some(prompt);
        }
        Vec::new()
    }
}

/// A key typed into a line of text (a filter, a path): Backspace takes the last character, a
/// plain character is added, anything else leaves it.
pub(crate) fn edit_line(text: &mut String, press: KeyPress) {
    match press.key {
        Key::Backspace => {
            text.pop();
        }
        Key::Char(c) if !press.ctrl && !press.alt => text.push(c),
        _ => {}
    }
}

fn cycle_focus(focus: Focus, forward: bool) -> Focus {
    match (focus, forward) {
        (Focus::Objects, true) | (Focus::Policy, false) => Focus::Session,
        (Focus::Session, true) | (Focus::Objects, false) => Focus::Policy,
        (Focus::Policy, true) | (Focus::Session, false) => Focus::Objects,
    }
}

impl App {
    /// `o`: the next order; said with how much of the listing it covers.
    pub(crate) fn cycle_sort(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let sort = self.listing.rows().sort().next();
        self.listing.set_sort(sort);
        let text = if self.listing.complete() {
            format!("sorted by {}", sort.label())
        } else {
            format!(
                "sorted by {}: the {} loaded keys only; more available",
                sort.label(),
                crate::object::detail::thousands(self.listing.rows().key_count() as u64)
            )
        };
        self.notify(text, Level::Info, now);
        Vec::new()
    }
}
