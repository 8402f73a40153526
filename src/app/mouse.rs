//! What the mouse does: the wheel scrolls the pane under the pointer (or an object's view),
//! a click focuses a pane or selects a row of the listing, a double click opens it. Only the
//! listing and an object's view hear the mouse: a modal layer on top turns it off.

use super::layers::Layer;
use super::{App, Effect, Focus, Layout, MouseInput};
use crate::keymap::Action;
use chrono::{DateTime, Utc};

/// Rows the mouse wheel scrolls by.
const WHEEL_ROWS: isize = 3;

/// Two clicks on one cell within this are a double click.
const DOUBLE_CLICK_MILLIS: i64 = 400;

impl App {
    /// The wheel scrolls the pane under the pointer; a click focuses a pane or selects a row;
    /// a double click opens it.
    pub(crate) fn on_mouse(&mut self, input: MouseInput, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(layout) = self.layout() else {
            return Vec::new();
        };
        let top = self.top();
        if top.is_modal() {
            return Vec::new();
        }
        let (column, row) = match input {
            MouseInput::ScrollUp { column, row }
            | MouseInput::ScrollDown { column, row }
            | MouseInput::Click { column, row } => (column, row),
        };
        let pane = if layout.objects.contains(column, row) {
            Focus::Objects
        } else if layout.policy.contains(column, row) {
            Focus::Policy
        } else if layout.session.contains(column, row) {
            Focus::Session
        } else {
            return Vec::new();
        };
        match input {
            MouseInput::ScrollUp { .. } => self.on_wheel(pane, -WHEEL_ROWS, layout, now),
            MouseInput::ScrollDown { .. } => self.on_wheel(pane, WHEEL_ROWS, layout, now),
            MouseInput::Click { .. } => self.on_click(pane, column, row, layout, now),
        }
    }

    /// The wheel over `pane`: an object's view scrolls, else the pane's rows (without taking
    /// the focus).
    fn on_wheel(
        &mut self,
        pane: Focus,
        delta: isize,
        layout: Layout,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if pane == Focus::Objects
            && let Some(view) = self.object.view.as_mut()
        {
            let last = view
                .line_count()
                .saturating_sub(usize::from(layout.list_rows));
            view.scroll = view.scroll.saturating_add_signed(delta).min(last);
            return Vec::new();
        }
        let focus = self.focus;
        self.focus = pane;
        let effects = self.scroll(delta, now);
        self.focus = focus;
        effects
    }

    /// A click focuses `pane`; on a row of the listing it selects it, twice opens it.
    fn on_click(
        &mut self,
        pane: Focus,
        column: u16,
        row: u16,
        layout: Layout,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let double = self.last_click.is_some_and(|(c, r, at)| {
            (c, r) == (column, row)
                && now - at <= chrono::TimeDelta::milliseconds(DOUBLE_CLICK_MILLIS)
        });
        self.last_click = (!double).then_some((column, row, now));
        self.focus = pane;
        if pane != Focus::Objects || self.top() != Layer::Listing || row < layout.first_row {
            return Vec::new();
        }
        let index = self.listing.rows().offset() + usize::from(row - layout.first_row);
        if usize::from(row - layout.first_row) >= usize::from(layout.list_rows)
            || index >= self.listing.rows().visible_len()
        {
            return Vec::new();
        }
        self.listing.move_to(index);
        let mut effects = self.load_more_if_near_end(now);
        if double {
            effects.extend(self.on_action(Action::Open, now));
        }
        effects
    }
}
