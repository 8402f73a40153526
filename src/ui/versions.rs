//! The versions view in the object pane: folders, then each key's versions newest first, with
//! size, time, version id and what each is (latest, a delete marker); the page on its way or
//! its failure inline, with the way out.

use super::{
    AskAgain, Clock, failed_lines, is_focused, keep_head, key_name, pane_block, render_failure,
    spinner, theme,
};
use crate::app::versions::{Row, VersionsView};
use crate::app::{App, Focus};
use crate::bucket::human_size;
use crate::escape::printable;
use crate::keymap::Action;
use crate::object::detail::counted;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row as TableRow, Table};

/// Show the version id's column from this width on.
const ID_FROM: u16 = 72;

/// Characters of a version id shown (ids run to 32 and more).
const ID_CHARS: usize = 14;

/// Show the ETag's column from this width on.
const ETAG_FROM: u16 = 110;

pub(crate) fn render(frame: &mut Frame, area: Rect, app: &App, view: &VersionsView, clock: Clock) {
    let mut title = Line::from(vec![
        Span::styled(" Versions ", theme::title()),
        Span::raw(format!("s3://{}/{} ", view.bucket, printable(&view.folder))),
    ]);
    // Here the state is always said: "unknown" when the session may not ask, or S3 did not say.
    let versioning = app.versioning.of(&view.bucket);
    title.push_span(Span::styled(
        format!("· {} ", versioning.state_word()),
        theme::dim(),
    ));
    let block =
        pane_block(title, is_focused(app, Focus::Objects)).title_bottom(footer(app, view, clock));
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(failed) = view.page.failed() {
        // Up to five lines for the failure, the header and a row kept for the versions; in
        // a pane too short for both, the failure alone: it says the way out.
        let height = if inner.height >= 5 {
            (inner.height - 2).min(5)
        } else {
            inner.height
        };
        let [body, failure] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(height)]).areas(inner);
        let ask = AskAgain {
            action: Action::Reload,
            word: "retry",
            then: "retrying this page",
        };
        render_failure(frame, failure, failed_lines(app, failed, &ask, clock));
        inner = body;
    }
    render_rows(frame, inner, (app, view), area.width, clock);
}

pub(super) fn render_rows(
    frame: &mut Frame,
    area: Rect,
    (app, view): (&App, &VersionsView),
    full_width: u16,
    clock: Clock,
) {
    if area.height < 2 {
        return;
    }
    if view.rows.is_empty() {
        let text = if view.page.asking().is_some() {
            Span::styled(format!("{} loading…", spinner(clock.now)), theme::dim())
        } else if view.page.failed().is_some() {
            Span::raw("")
        } else if view.complete {
            Span::styled("(empty) no versions under this prefix", theme::dim())
        } else {
            Span::styled("waiting for credentials…", theme::dim())
        };
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    let height = usize::from(area.height - 1); // minus the header row
    let offset = (view.cursor + 1).saturating_sub(height);
    let show_id = full_width >= ID_FROM;
    let show_etag = full_width >= ETAG_FROM;
    let rows: Vec<TableRow> = view
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| {
            let row_cells = cells(app, view, row, (show_id, show_etag), clock);
            if i == view.cursor {
                TableRow::new(row_cells).style(theme::cursor())
            } else {
                TableRow::new(row_cells)
            }
        })
        .collect();
    let mut widths = vec![
        Constraint::Min(8),
        Constraint::Length(9),
        Constraint::Length(16),
        Constraint::Length(7),
    ];
    let mut header = vec!["Name", "Size", "Last modified", ""];
    if show_id {
        widths.push(Constraint::Length(u16::try_from(ID_CHARS).unwrap_or(14)));
        header.push("Version");
    }
    if show_etag {
        widths.push(Constraint::Length(34));
        header.push("ETag");
    }
    let table = Table::new(rows, widths)
        .header(TableRow::new(header).style(theme::label()))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn cells<'a>(
    app: &App,
    view: &VersionsView,
    row: &'a Row,
    (show_id, show_etag): (bool, bool),
    clock: Clock,
) -> Vec<Cell<'a>> {
    let name = printable(view.relative(row)).into_owned();
    let Row::Version(v) = row else {
        // A folder whose keys are all deleted (the listing has it no more) says so.
        let deleted =
            matches!(row, Row::Folder(p) if view.only_deleted(p, &app.listing) == Some(true));
        let mut cells = vec![
            Cell::from(Span::styled(name, theme::folder())),
            Cell::from(Span::styled("folder", theme::dim())),
        ];
        if deleted {
            cells.push(Cell::from(""));
            cells.push(Cell::from(Span::styled("deleted", theme::warn())));
        }
        return cells;
    };
    let time = v
        .object
        .last_modified()
        .map(|t| clock.local_short(t))
        .unwrap_or_default();
    let (size, what) = if v.delete_marker {
        let style = if v.latest {
            theme::warn()
        } else {
            theme::dim()
        };
        (
            Cell::from(Span::styled("—", theme::dim())),
            Cell::from(Span::styled(
                if v.latest { "deleted" } else { "marker" },
                style,
            )),
        )
    } else {
        (
            Cell::from(Line::from(human_size(v.object.size)).right_aligned()),
            Cell::from(Span::styled(
                if v.latest { "latest" } else { "" },
                theme::key_hint(),
            )),
        )
    };
    // An older version's name is dim: the latest stands out. An archived one says its class.
    let style = if v.latest && !v.delete_marker {
        ratatui::style::Style::default()
    } else {
        theme::dim()
    };
    let name = super::name_cell(Span::styled(name, style), &v.object.storage_class);
    let mut cells = vec![name, size, Cell::from(time), what];
    if show_id {
        cells.push(Cell::from(Span::styled(
            keep_head(&v.shown_id(), ID_CHARS),
            theme::dim(),
        )));
    }
    if show_etag && !v.delete_marker {
        cells.push(Cell::from(Span::styled(
            keep_head(v.object.etag.to_string().trim_matches('"'), 34),
            theme::dim(),
        )));
    }
    cells
}

/// What is loaded and what the keys do here.
fn footer(app: &App, view: &VersionsView, clock: Clock) -> Line<'static> {
    let mut spans = Vec::new();
    if view.page.asking().is_some() {
        spans.push(Span::styled(
            format!(" {} loading page {}… ", spinner(clock.now), view.pages + 1),
            theme::warn(),
        ));
    }
    let (versions, markers) = view.counts();
    let more = if view.complete {
        ""
    } else {
        " · more available"
    };
    spans.push(Span::styled(
        format!(
            " {} · {}{more} ",
            counted(versions, "version"),
            counted(markers, "delete marker")
        ),
        theme::dim(),
    ));
    spans.push(Span::styled(
        format!(
            " {} restore · {} back ",
            key_name(app, Action::Restore),
            key_name(app, Action::Versions)
        ),
        theme::key_hint(),
    ));
    Line::from(spans)
}
