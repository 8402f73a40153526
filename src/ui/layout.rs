//! The one screen geometry: where each pane goes for a terminal size and what the model shows.
//! The view draws with it, and the runtime tells the model the object list's height from it,
//! so paging moves by exactly the rows on screen.

use crate::app::App;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders};

/// The smallest usable terminal.
pub(crate) const MIN_WIDTH: u16 = 40;
pub(crate) const MIN_HEIGHT: u16 = 12;

/// Below this width the panes stack vertically.
pub(crate) const STACK_BELOW: u16 = 70;

/// Lines the inline error of the object pane takes.
const ERROR_LINES: u16 = 3;

/// Where everything goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Screen {
    pub(crate) session: Rect,
    pub(crate) policy: Rect,
    /// The object pane with its border.
    pub(crate) objects: Rect,
    /// Inside the object pane: the table (header row included) and the inline error below it.
    pub(crate) list: Rect,
    pub(crate) error: Rect,
    pub(crate) status: Rect,
}

impl Screen {
    /// Lines the policy pane shows inside its border.
    pub(crate) fn policy_rows(&self) -> u16 {
        self.policy.height.saturating_sub(2)
    }

    /// Rows of entries the list shows (the table without its header).
    pub(crate) fn list_rows(&self) -> u16 {
        if self.list.height < 2 {
            0
        } else {
            self.list.height - 1
        }
    }
}

/// The layout of `area` for `app`; `None` when the terminal is too small.
pub(crate) fn screen(area: Rect, app: &App) -> Option<Screen> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    // A notice longer than the bar takes a line or two more (`status::height`).
    let status_height = super::status::height(app, area.width, area.height);
    let [main, status] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(status_height)]).areas(area);
    let (session, policy, objects) = panes(main, app);
    let inner = Block::new().borders(Borders::ALL).inner(objects);
    let download_failed = matches!(
        app.object.outcome,
        Some(crate::app::object::Outcome::Failed { .. })
    );
    // A short pane keeps a row to see beside the error, which then takes one line.
    let error_height = match (
        app.listing.error().is_some() || download_failed,
        inner.height,
    ) {
        (false, _) => 0,
        (true, h) if h < ERROR_LINES + 3 => 1.min(h),
        (true, h) => ERROR_LINES.min(h),
    };
    // The error goes where the rows would be when there are none, else under them.
    let (list, error) = if app.listing.rows().visible_len() == 0 {
        let [error, list] =
            Layout::vertical([Constraint::Length(error_height), Constraint::Min(0)]).areas(inner);
        (list, error)
    } else {
        let [list, error] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(error_height)]).areas(inner);
        (list, error)
    };
    Some(Screen {
        session,
        policy,
        objects,
        list,
        error,
        status,
    })
}

/// What the model needs to know of the layout of `area`: rows of the object list and lines
/// of the policy pane (0 when the terminal is too small).
pub(crate) fn layout_of(area: Rect, app: &App) -> crate::app::Layout {
    let to_area = |r: Rect| crate::app::Area {
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
    };
    screen(area, app).map_or_else(Default::default, |s| crate::app::Layout {
        list_rows: s.list_rows(),
        policy_rows: s.policy_rows(),
        session: to_area(s.session),
        policy: to_area(s.policy),
        objects: to_area(s.objects),
        first_row: s.list.y + 1,
    })
}

/// Session and policy side by side above the objects; stacked when narrow. The session pane
/// grows (up to three fifths of the screen) when it has more to say, such as a long error.
fn panes(main: Rect, app: &App) -> (Rect, Rect, Rect) {
    let grow_to = |usual: u16, width: u16| {
        let wanted = super::session::wanted_lines(app, width.saturating_sub(2)) + 2;
        usual.max(wanted.min(main.height * 3 / 5))
    };
    if main.width < STACK_BELOW {
        let policy_height = if main.height >= 30 { 8 } else { 4 };
        // The listing keeps three rows (border, header, three keys): the session pane grows
        // into what is left, and drops its least useful rows when that is not enough.
        let room = main.height.saturating_sub(policy_height + 6);
        let [s, p, o] = Layout::vertical([
            Constraint::Length(grow_to(9, main.width).min(room.max(9))),
            Constraint::Length(policy_height),
            Constraint::Min(5),
        ])
        .areas(main);
        return (s, p, o);
    }
    let usual = if main.height >= 36 { 12 } else { 10 };
    let top_height = grow_to(usual, main.width / 2);
    let [top, objects] =
        Layout::vertical([Constraint::Length(top_height), Constraint::Min(5)]).areas(main);
    let [s, p] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    (s, p, objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_two_lines_shows_one_row_under_its_header() {
        let mut screen = Screen {
            session: Rect::default(),
            policy: Rect::default(),
            objects: Rect::default(),
            list: Rect::new(0, 0, 10, 2),
            error: Rect::default(),
            status: Rect::default(),
        };
        assert_eq!(screen.list_rows(), 1);
        screen.list.height = 1;
        assert_eq!(screen.list_rows(), 0);
        screen.list.height = 0;
        assert_eq!(screen.list_rows(), 0);
    }

    #[test]
    fn panes_stack_below_seventy_columns() {
        let side = panes_of(Rect::new(0, 0, 70, 30));
        assert_eq!(side.0.y, side.1.y, "side by side at 70");
        let stacked = panes_of(Rect::new(0, 0, 69, 30));
        assert!(stacked.1.y > stacked.0.y, "stacked at 69");
    }

    #[test]
    fn stacked_the_session_pane_grows_for_a_long_error_and_leaves_the_listing_three_rows() {
        use chrono::TimeZone;
        let now = chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut app = app_of();
        let long = "a long failure that goes on and on ".repeat(8);
        app.session
            .record_error(crate::credentials::Mode::Federated, long, now);
        // 60x34: room for it (the usual 9 rows, a 8-row policy pane, the listing's 6).
        let (session, policy, objects) = panes(Rect::new(0, 0, 60, 33), &app);
        assert!(session.height > 9, "{session:?}");
        assert_eq!(session.height + policy.height + objects.height, 33);
        assert!(objects.height >= 6, "{objects:?}");
        // 60x20: no room, the usual 9 rows and the listing keeps its three.
        let (session, _, objects) = panes(Rect::new(0, 0, 60, 19), &app);
        assert_eq!((session.height, objects.height), (9, 6));
    }

    fn app_of() -> App {
        use crate::cli::Options;
        use crate::keymap::Keymap;
        use chrono::TimeZone;
        let opts = Options {
            bucket: Some("b-1".into()),
            user: Some("alice".into()),
            ..Options::default()
        };
        let settings = crate::settings::Settings::resolve_text(&opts, "", "t.toml").unwrap();
        let now = chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        App::new(settings, Keymap::default(), now).0
    }

    fn panes_of(area: Rect) -> (Rect, Rect, Rect) {
        panes(area, &app_of())
    }
}
