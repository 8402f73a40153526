//! The object pane: `s3://bucket/prefix/`, folders then objects with size, last modified and
//! ETag, the load state in the footer, and any error inline, in red, with the way out.

use super::{Clock, Screen, is_focused, keep_head, pane_block, spinner, theme};
use crate::app::layers::{Layer, PickerKind};
use crate::app::listing::{Entry, Listing};
use crate::app::{App, Focus, Input};
use crate::bucket::human_size;
use crate::escape::printable;
use crate::keymap::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

/// Show the ETag column from this width on.
const ETAG_FROM: u16 = 100;

pub(crate) fn render(frame: &mut Frame, screen: &Screen, app: &App, clock: Clock) {
    if render_over(frame, screen.objects, app, clock) {
        return;
    }
    let o = &app.listing;
    let mut title = Line::from(vec![
        Span::styled(" Objects ", theme::title()),
        Span::raw(format!("s3://{}/{} ", o.bucket(), printable(o.folder()))),
    ]);
    // A partial name (`:`): S3 matches prefixes only, so this is the search it can do.
    if let Some(start) = o.starting_with() {
        title.push_span(Span::styled(
            format!("· names starting with “{}” ", printable(start)),
            theme::key_hint(),
        ));
    }
    // Whether a delete here keeps what it hides (GetBucketVersioning, when the session may).
    if let Some(label) = app.versioning.of(o.bucket()).label() {
        title.push_span(Span::styled(format!("· {label} "), theme::dim()));
    }
    // A mode with a service of its own (the demo's session-token mode) has its own buckets:
    // the listing says which service its tree comes from.
    if app.target.places_differ() {
        let place = app
            .target
            .place(app.session.mode(), app.shown_region().as_deref());
        title.push_span(Span::styled(format!("at {place} "), theme::warn()));
    }
    let block = pane_block(title, is_focused(app, Focus::Objects)).title_bottom(footer(app, clock));
    frame.render_widget(block, screen.objects);
    let rows = Rows {
        listing: o,
        waiting: session_coming(app),
    };
    render_rows(frame, screen.list, &rows, screen.objects.width, clock);
    if screen.error.height > 0 {
        render_error(frame, screen.error, app, clock);
    }
}

/// A layer over the listing in the object pane (a picker, the lab, an object's view), if one
/// is showing; whether one was drawn.
fn render_over(frame: &mut Frame, area: Rect, app: &App, clock: Clock) -> bool {
    match app.object_pane() {
        Layer::Picker(PickerKind::Region) if let Some(picker) = &app.regions => {
            super::pickers::render_regions(frame, area, app, picker);
        }
        Layer::Picker(PickerKind::Profile) if let Some(picker) = &app.profiles => {
            super::pickers::render_profiles(frame, area, app, picker);
        }
        Layer::Picker(PickerKind::Bucket) if let Some(picker) = &app.buckets => {
            super::pickers::render_buckets(frame, area, app, picker, clock);
        }
        Layer::Lab if let Some(view) = &app.lab.view => {
            super::lab::render(frame, area, app, view, clock);
        }
        Layer::Object if let Some(view) = &app.object.view => {
            super::object::render_view(frame, area, app, view, clock);
        }
        Layer::Versions if let Some(view) = app.versions.shown() => {
            super::versions::render(frame, area, app, view, clock);
        }
        _ => return false,
    }
    true
}

/// The listing to draw, and whether credentials are on their way (for what stands where no
/// row is).
struct Rows<'a> {
    listing: &'a Listing,
    waiting: bool,
}

fn render_rows(frame: &mut Frame, area: Rect, r: &Rows<'_>, full_width: u16, clock: Clock) {
    let o = r.listing;
    if area.height < 2 {
        return;
    }
    let rows = o.rows();
    if rows.visible_len() == 0 {
        frame.render_widget(Paragraph::new(no_rows(o, r.waiting, clock)), area);
        return;
    }
    let height = usize::from(area.height - 1); // minus the header row
    // The model keeps the window on the cursor; clamp in case this frame is smaller.
    let offset = rows
        .offset()
        .min(rows.visible_len().saturating_sub(height))
        .max((rows.cursor() + 1).saturating_sub(height));
    let show_etag = full_width >= ETAG_FROM;
    let table_rows: Vec<Row> = (offset..(offset + height).min(rows.visible_len()))
        .filter_map(|i| rows.visible_entry(i).map(|e| (i, e)))
        .map(|(i, entry)| {
            let row = entry_row(o, entry, show_etag, clock);
            if i == rows.cursor() {
                row.style(theme::cursor())
            } else {
                row
            }
        })
        .collect();
    frame.render_widget(table(table_rows, show_etag), area);
}

/// The rows under their header, in columns (the ETag's only when `show_etag`).
fn table(rows: Vec<Row<'_>>, show_etag: bool) -> Table<'_> {
    let mut widths = vec![
        Constraint::Min(10),
        Constraint::Length(10),
        Constraint::Length(16),
    ];
    let mut header = vec!["Name", "Size", "Last modified"];
    if show_etag {
        widths.push(Constraint::Length(34));
        header.push("ETag");
    }
    Table::new(rows, widths)
        .header(Row::new(header).style(theme::label()))
        .column_spacing(1)
}

/// Credentials are on their way: being issued, asked for (the MFA prompt), or planned.
fn session_coming(app: &App) -> bool {
    let s = &app.session;
    s.is_issuing()
        || s.active_generation().is_some()
        || matches!(app.input, Some(Input::Mfa { .. }))
        || s.shown_plan() != crate::app::session::Plan::Nothing
}

/// What stands where no row is: a spinner only while a page is on its way (a failure is
/// drawn in this place instead), else why there is nothing.
fn no_rows(o: &Listing, waiting: bool, clock: Clock) -> Span<'static> {
    let rows = o.rows();
    if o.in_flight().is_some() {
        Span::styled(format!("{} loading…", spinner(clock.now)), theme::dim())
    } else if o.error().is_some() {
        Span::raw("")
    } else if !o.started() {
        if waiting {
            Span::styled("waiting for credentials…", theme::dim())
        } else {
            // Nothing is on its way (an MFA prompt was cancelled, say): the way on.
            Span::styled("no credentials: r asks for them", theme::warn())
        }
    } else if !rows.filter().is_empty() {
        Span::styled(
            format!("no loaded key matches {:?}", rows.filter()),
            theme::dim(),
        )
    } else {
        Span::styled("(empty) no keys under this prefix", theme::dim())
    }
}

fn entry_row<'a>(o: &Listing, entry: Entry<'a>, show_etag: bool, clock: Clock) -> Row<'a> {
    let name = printable(o.relative(entry)).into_owned();
    let mut cells = match entry {
        Entry::Folder(_) => vec![
            Cell::from(Span::styled(name, theme::folder())),
            Cell::from(Span::styled("folder", theme::dim())),
            Cell::from(""),
        ],
        Entry::Object(obj) => vec![
            {
                // A mark: the name in its colour, after a sign that shows without colour too.
                let name = if o.marks.contains(&obj.key) {
                    Span::styled(format!("▪ {name}"), theme::marked())
                } else {
                    Span::raw(name)
                };
                // An archived object is read only after a restore (`z`): its class says so.
                super::name_cell(name, &obj.storage_class)
            },
            Cell::from(Line::from(human_size(obj.size)).right_aligned()),
            Cell::from(
                obj.last_modified()
                    .map(|t| clock.local_short(t))
                    .unwrap_or_default(),
            ),
        ],
    };
    if show_etag {
        cells.push(match entry {
            Entry::Folder(_) => Cell::from(""),
            Entry::Object(obj) => Cell::from(Span::styled(
                keep_head(obj.etag.to_string().trim_matches('"'), 34),
                theme::dim(),
            )),
        });
    }
    Row::new(cells)
}

fn footer(app: &App, clock: Clock) -> Line<'static> {
    let o = &app.listing;
    let mut spans: Vec<Span<'static>> = loading(o, clock).into_iter().collect();
    // What D would delete comes first: it must not be cut off.
    if !o.marks.is_empty() {
        spans.push(Span::styled(
            format!(
                " {} marked · {} ",
                thousands(o.marks.len()),
                human_size(o.marks.bytes())
            ),
            theme::marked(),
        ));
    }
    // Then the filter, what the rows shown are: before the counts, which a narrow screen cuts.
    let rows = o.rows();
    if !rows.filter().is_empty() || matches!(app.input, Some(Input::Filter { .. })) {
        spans.push(Span::styled(
            format!(
                " filter {:?}: {} of {} ",
                rows.filter(),
                rows.visible_len(),
                rows.len()
            ),
            theme::key_hint(),
        ));
    }
    spans.push(Span::styled(loaded(o), theme::dim()));
    spans.extend(sort_hint(o));
    if rows.visible_len() > 0 {
        // Where the cursor is: row of rows shown.
        spans.push(Span::styled(
            format!(" {}/{} ", rows.cursor() + 1, rows.visible_len()),
            theme::dim(),
        ));
    }
    Line::from(spans)
}

/// How the rows are sorted, when not by name (and that only the loaded keys are, until
/// every page is).
fn sort_hint(o: &Listing) -> Option<Span<'static>> {
    let rows = o.rows();
    if rows.sort() == crate::app::listing::Sort::NameAsc {
        return None;
    }
    let what = if o.complete() {
        format!(" sorted by {} ", rows.sort().label())
    } else {
        format!(
            " sorted by {}: the {} loaded keys only ",
            rows.sort().label(),
            thousands(rows.key_count())
        )
    };
    Some(Span::styled(what, theme::key_hint()))
}

/// The page on its way, if one is; for a walk to the end, how far and how fast.
fn loading(o: &Listing, clock: Clock) -> Option<Span<'static>> {
    let text = if let Some(walk) = o.walk() {
        let keys = o.rows().key_count();
        let millis =
            usize::try_from((clock.now - walk.since).num_milliseconds().max(1)).unwrap_or(1);
        let rate = keys.saturating_sub(walk.keys_at_start).saturating_mul(1000) / millis;
        format!(
            " {} loading page {} · {} keys · {} keys/s · esc stops ",
            spinner(clock.now),
            o.pages_loaded() + 1,
            thousands(keys),
            thousands(rate)
        )
    } else if o.in_flight().is_some() {
        format!(
            " {} loading page {}… ",
            spinner(clock.now),
            o.pages_loaded() + 1
        )
    } else {
        return None;
    };
    Some(Span::styled(text, theme::warn()))
}

/// What is loaded: keys and folders, and whether there is more (or a page failed).
fn loaded(o: &Listing) -> String {
    let keys = o.rows().key_count();
    let key_count = count(keys, "key");
    let folders = match o.rows().folder_count() {
        0 => String::new(),
        n => format!(", {}", count(n, "folder")),
    };
    if !o.started() {
        String::new()
    } else if o.error().is_some() && o.showing_previous() {
        format!(" {key_count}{folders} from before · the reload failed ")
    } else if o.error().is_some() {
        format!(
            " {key_count} loaded{folders} · page {} failed ",
            o.pages_loaded() + 1
        )
    } else if o.complete() && keys + o.rows().folder_count() == 0 {
        " nothing here ".to_string()
    } else if o.complete() {
        format!(" all {key_count} loaded{folders} ")
    } else {
        format!(" {key_count} loaded{folders} · more available ")
    }
}

/// `57,000`.
fn thousands(n: usize) -> String {
    crate::object::detail::thousands(u64::try_from(n).unwrap_or(u64::MAX))
}

/// `1 key`, `2 keys`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", thousands(n))
    }
}

fn render_error(frame: &mut Frame, area: Rect, app: &App, clock: Clock) {
    let Some(err) = app.listing.error() else {
        return super::object::render_save_failed(frame, area, app);
    };
    let ask = super::AskAgain {
        action: Action::Reload,
        word: "retry",
        then: "retrying this page",
    };
    let lines = super::failed_lines(app, &err.failed, &ask, clock);
    super::render_failure(frame, area, lines);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bucket::{Etag, ListPage, ObjectEntry, StorageClass};
    use chrono::TimeZone;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    /// The object rows drawn into a list area `height` lines high.
    fn rows_in(height: u16) -> String {
        let now = chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let mut objects = Listing::new("b-1", "", 1000);
        objects.begin_next(crate::app::RequestId(1), crate::app::Generation(1));
        let keys = ["one", "two", "three"];
        objects.page_loaded(
            crate::app::RequestId(1),
            ListPage {
                prefixes: vec![],
                objects: keys
                    .iter()
                    .map(|k| {
                        ObjectEntry::new(*k, 1, None, Etag::parse("\"e\""), StorageClass::Unknown)
                    })
                    .collect(),
                next_token: None,
            },
        );
        let clock = Clock {
            now,
            tz: chrono::FixedOffset::east_opt(0).unwrap(),
        };
        let mut terminal = Terminal::new(TestBackend::new(60, 5)).unwrap();
        terminal
            .draw(|f| {
                let rows = Rows {
                    listing: &objects,
                    waiting: true,
                };
                render_rows(f, Rect::new(0, 0, 60, height), &rows, 60, clock);
            })
            .unwrap();
        format!("{}", terminal.backend())
    }

    #[test]
    fn a_list_two_lines_high_shows_its_header_and_one_row() {
        let two = rows_in(2);
        assert!(two.contains("Name") && two.contains("one"), "{two}");
        assert!(!two.contains("two"), "{two}");
        let one = rows_in(1);
        assert!(
            !one.contains("Name") && !one.contains("one"),
            "too small: nothing\n{one}"
        );
        let three = rows_in(3);
        assert!(three.contains("two") && !three.contains("three"), "{three}");
    }
}
