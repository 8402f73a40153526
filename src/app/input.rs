//! What key presses do: text input first (filter, MFA code), then the help overlay, then the
//! keymap's actions for the focused pane.

use super::objects::Entry;
use super::{App, Effect, Focus, Input, Level};
use crate::credentials::Mode;
use crate::keymap::{Action, Key, KeyPress};
use chrono::{DateTime, Utc};

impl App {
    pub(super) fn on_key(&mut self, press: KeyPress, now: DateTime<Utc>) -> Vec<Effect> {
        if press == KeyPress::ctrl('c') {
            return vec![Effect::Quit];
        }
        if self.input.is_some() {
            return self.on_input_key(press, now);
        }
        if self.help_visible {
            if matches!(press.key, Key::Esc | Key::Char('q' | '?')) {
                self.help_visible = false;
            }
            return Vec::new();
        }
        let action = self.keymap.action(press);
        // Esc, or any other movement, stops a walk to the end; what is loaded stays.
        let moves = matches!(
            action,
            Some(Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top)
        );
        if (press == KeyPress::plain(Key::Esc) || moves) && self.objects.stop_walk() {
            self.notify(
                "stopped loading every page; what is loaded stays",
                Level::Info,
                now,
            );
            if !moves {
                return Vec::new();
            }
        }
        if press == KeyPress::plain(Key::Esc) && !self.objects.rows().filter().is_empty() {
            self.objects.set_filter("");
            return Vec::new();
        }
        match action {
            Some(action) => self.on_action(action, now),
            None => Vec::new(),
        }
    }

    fn on_action(&mut self, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
        match action {
            Action::Quit => vec![Effect::Quit],
            Action::Suspend => vec![Effect::Suspend],
            Action::Help => {
                self.help_visible = true;
                Vec::new()
            }
            Action::FocusNext | Action::FocusPrev => {
                self.focus = cycle_focus(self.focus, action == Action::FocusNext);
                Vec::new()
            }
            Action::Up => self.scroll(-1),
            Action::Down => self.scroll(1),
            Action::PageUp => self.scroll(-self.page_rows()),
            Action::PageDown => self.scroll(self.page_rows()),
            Action::Top => self.scroll(isize::MIN / 2),
            Action::Bottom if self.focus == Focus::Objects => self.walk_to_end(now),
            Action::Bottom => self.scroll(isize::MAX / 2),
            Action::Open => self.open_selected(),
            Action::Parent => self.go_up(),
            Action::Filter => {
                self.focus = Focus::Objects;
                self.input = Some(Input::Filter {
                    text: self.objects.rows().filter().to_string(),
                });
                Vec::new()
            }
            Action::Reload => {
                if self.objects.error().is_some() {
                    self.retry_failed_page()
                } else {
                    self.reload()
                }
            }
            Action::RefreshCredentials => {
                if self.session.is_issuing() {
                    return Vec::new();
                }
                self.session.forget_failures();
                let may_help = self
                    .objects
                    .error()
                    .is_some_and(|e| self.credentials_may_help(&e.failure, now));
                self.objects.set_awaiting_credentials(may_help);
                self.issue(self.session.mode(), now)
            }
            Action::ModeFederated => self.switch_mode(Mode::Federated, now),
            Action::ModeRole => self.switch_mode(Mode::AssumedRole, now),
            Action::ModeSession => self.switch_mode(Mode::SessionToken, now),
            Action::ModeCycle => self.cycle_mode(now),
        }
    }

    /// Switches to the next mode whose settings are complete, saying which were skipped.
    fn cycle_mode(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let from = self.session.target_mode();
        let mut skipped = Vec::new();
        let mut mode = from.next();
        while mode != from {
            match self.settings.request_for(mode, None) {
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
            self.notify(format!("skipped {}", skipped.join("; ")), Level::Info, now);
        }
        effects
    }

    fn switch_mode(&mut self, mode: Mode, now: DateTime<Utc>) -> Vec<Effect> {
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
        isize::try_from(self.objects.rows().height().max(1)).unwrap_or(1)
    }

    fn scroll(&mut self, delta: isize) -> Vec<Effect> {
        match self.focus {
            Focus::Objects => {
                self.objects.move_by(delta);
                self.load_more_if_near_end()
            }
            Focus::Policy => {
                let d = i32::try_from(delta.clamp(-10_000, 10_000)).unwrap_or(0);
                self.policy.scroll_by(d);
                Vec::new()
            }
            Focus::Session => Vec::new(),
        }
    }

    fn open_selected(&mut self) -> Vec<Effect> {
        let Some(Entry::Folder(prefix)) = self.objects.selected() else {
            return Vec::new();
        };
        let prefix = prefix.to_string();
        self.objects.open(&prefix, None);
        self.request_page()
    }

    fn go_up(&mut self) -> Vec<Effect> {
        let Some(parent) = self.objects.parent_prefix() else {
            return Vec::new();
        };
        let left = self.objects.prefix().to_string();
        self.objects.open(&parent, Some(left));
        self.request_page()
    }

    fn on_input_key(&mut self, press: KeyPress, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(input) = self.input.take() else {
            return Vec::new();
        };
        match input {
            Input::Filter { mut text } => {
                match press.key {
                    Key::Esc => {
                        self.objects.set_filter("");
                        return Vec::new();
                    }
                    Key::Enter => return Vec::new(),
                    Key::Backspace => {
                        text.pop();
                    }
                    Key::Char(c) if !press.ctrl && !press.alt => text.push(c),
                    _ => {}
                }
                self.objects.set_filter(&text);
                self.input = Some(Input::Filter { text });
                Vec::new()
            }
            Input::Mfa {
                mode,
                mut code,
                error,
            } => match press.key {
                Key::Esc => {
                    self.notify("MFA prompt cancelled; r retries", Level::Warn, now);
                    Vec::new()
                }
                Key::Enter => match self.settings.request_for(mode, Some(&code)) {
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
            },
        }
    }
}

fn cycle_focus(focus: Focus, forward: bool) -> Focus {
    match (focus, forward) {
        (Focus::Objects, true) | (Focus::Policy, false) => Focus::Session,
        (Focus::Session, true) | (Focus::Objects, false) => Focus::Policy,
        (Focus::Policy, true) | (Focus::Session, false) => Focus::Objects,
    }
}
