//! Snapshots of the versions view (a delete marker over older versions, a folder, the latest
//! of another key) and of the restore prompt, at 80x24 and 120x40, reached by driving
//! `update` the way the runtime does.
// These tests drop the effects of the updates whose state is all they look at.
#![allow(unused_must_use)]

use super::{at, draw, t0, versioned};
use crate::app::{App, Effect, Msg};
use crate::bucket::{Etag, ObjectEntry, StorageClass, VersionEntry, VersionPage, Versioning};
use crate::keymap::{Key, KeyPress};
use chrono::TimeDelta;

fn press(app: &mut App, c: char) -> Vec<Effect> {
    app.update(Msg::KeyPressed(KeyPress::plain(Key::Char(c))), at(1))
}

fn version(key: &str, id: &str, size: u64, days_ago: i64, latest: bool) -> VersionEntry {
    VersionEntry::version(
        ObjectEntry::new(
            key,
            size,
            Some(t0() - TimeDelta::days(days_ago)),
            Etag::parse("\"7bf84bcea775a67fd1c6b482521b0af2\""),
            StorageClass::Standard,
        ),
        id,
        latest,
    )
}

/// The versioned demo bucket with its versions view open and one page in.
fn shown() -> App {
    let mut app = versioned(Versioning::Enabled);
    let fx = press(&mut app, 'v');
    let Some(Effect::ListVersions { request, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    let page = VersionPage {
        prefixes: vec!["docs/".into()],
        versions: vec![
            VersionEntry::marker(
                "README.md",
                Some(t0() - TimeDelta::hours(2)),
                "m.3HL4kqtJlcpXroDTDmJ",
                true,
            ),
            version("README.md", "Xp.2vT8pqRzOZ0bEV3B3Uq5.8lYd", 5_423, 3, false),
            version("README.md", "null", 4_900, 40, false),
            version("index.html", "b.9Q3kJ2mN", 17_820, 1, true),
        ],
        next: None,
    };
    app.update(
        Msg::VersionsListed {
            request: *request,
            result: Ok(page),
        },
        at(1),
    );
    app
}

#[test]
fn the_versions_view_shows_markers_versions_and_folders() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = shown();
        let t = draw(&mut app, at(1), w, h);
        insta::assert_snapshot!(format!("versions_{w}x{h}"), t.backend());
    }
}

#[test]
fn the_restore_prompt_names_the_version_and_the_key() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = shown();
        press(&mut app, 'j');
        press(&mut app, 'z');
        let t = draw(&mut app, at(1), w, h);
        insta::assert_snapshot!(format!("versions_restore_{w}x{h}"), t.backend());
    }
    // Narrow, the question shrinks and its keys still show.
    let mut app = shown();
    press(&mut app, 'j');
    press(&mut app, 'z');
    let text = format!("{}", draw(&mut app, at(1), 40, 12).backend());
    let last = text.lines().last().unwrap();
    assert!(
        last.contains("restore Xp.2vT8… of …mo/README.md? [y/N]"),
        "{text}"
    );
}

/// The demo bucket's root with an archived object first, as a session that may restore it.
fn archived() -> App {
    let mut page = super::root_page();
    page.objects.insert(
        0,
        ObjectEntry::new(
            "2019-archive.tar",
            734_003_200,
            Some(t0() - TimeDelta::days(2000)),
            Etag::parse("\"7bf84bcea775a67fd1c6b482521b0af2\""),
            StorageClass::Glacier,
        ),
    );
    let (mut app, _) = super::app_with(crate::credentials::Mode::Federated, 3600, Some(page));
    app.target.policy =
        crate::policy::templates::by_name("read-write", app.listing.bucket(), "").unwrap();
    app
}

#[test]
fn an_archived_object_is_marked_and_z_asks_the_tier_with_its_wait() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = archived();
        for _ in 0..4 {
            press(&mut app, 'j'); // past the four folders
        }
        press(&mut app, 'z');
        let t = draw(&mut app, at(1), w, h);
        insta::assert_snapshot!(format!("unarchive_prompt_{w}x{h}"), t.backend());
    }
    let mut app = archived();
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(text.contains("2019-archive.tar GLACIER"), "{text}");
    for _ in 0..4 {
        press(&mut app, 'j');
    }
    press(&mut app, 'z');
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    let last = text.lines().last().unwrap();
    assert!(
        last.contains(
            "e expedited 1-5 minutes · s standard 3-5 hours · b bulk 5-12 hours · else no"
        ),
        "{text}"
    );
    // At 40 columns the keys still show.
    let text = format!("{}", draw(&mut app, at(1), 40, 12).backend());
    let last = text.lines().last().unwrap();
    assert!(
        last.contains("restore GLACIER? e exp · s std · b bulk"),
        "{text}"
    );
}

#[test]
fn the_versions_title_says_the_state_even_when_it_is_unknown() {
    // The bucket's versioning was never answered here.
    let mut app = archived();
    press(&mut app, 'v');
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(
        text.contains("Versions s3://sts3-demo/ · versioning unknown "),
        "{text}"
    );
    let mut app = shown();
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(
        text.contains("Versions s3://sts3-demo/ · versioned "),
        "{text}"
    );
}

#[test]
fn the_session_pane_says_when_reads_are_charged_to_the_requester() {
    let mut app = shown();
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(!text.contains("Charged"), "{text}");
    let _ = app.update(Msg::KeyPressed(KeyPress::plain(Key::Esc)), at(1));
    press(&mut app, '$');
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(
        text.contains("Charged   reads charged to you (requester pays)"),
        "{text}"
    );
}

#[test]
fn a_folder_whose_keys_are_all_deleted_says_so_once_the_listing_knows() {
    let page = crate::bucket::ListPage {
        prefixes: vec!["docs/".into()],
        objects: Vec::new(),
        next_token: None,
    };
    let (mut app, _) = super::app_with(crate::credentials::Mode::Federated, 3600, Some(page));
    app.target.policy =
        crate::policy::templates::by_name("read-write", app.listing.bucket(), "").unwrap();
    let fx = press(&mut app, 'v');
    let Some(Effect::ListVersions { request, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    app.update(
        Msg::VersionsListed {
            request: *request,
            result: Ok(VersionPage {
                prefixes: vec!["docs/".into(), "gone/".into()],
                versions: Vec::new(),
                next: None,
            }),
        },
        at(1),
    );
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    let line = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("gone/").contains("deleted"), "{text}");
    assert!(!line("docs/").contains("deleted"), "{text}");
}

#[test]
fn a_failed_page_is_said_under_the_versions_loaded_with_its_way_out() {
    let mut app = versioned(Versioning::Enabled);
    let fx = press(&mut app, 'v');
    let Some(Effect::ListVersions { request, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    let page = VersionPage {
        prefixes: Vec::new(),
        versions: vec![version("README.md", "v1", 5_423, 3, true)],
        next: Some(crate::bucket::VersionCursor {
            key_marker: "README.md".into(),
            version_id_marker: "v1".into(),
        }),
    };
    let fx = app.update(
        Msg::VersionsListed {
            request: *request,
            result: Ok(page),
        },
        at(1),
    );
    let Some(Effect::ListVersions { request, .. }) = fx.first() else {
        panic!("the next page at once: {fx:?}");
    };
    app.update(
        Msg::VersionsListed {
            request: *request,
            result: Err(crate::failure::AwsFailure::from_service(
                Some("InternalError"),
                Some("We encountered an internal error"),
                Some(500),
            )),
        },
        at(1),
    );
    // Whatever the height, a pane of five lines or more keeps the header and the row.
    for h in 12..=30 {
        let text = format!("{}", draw(&mut app, at(1), 80, h).backend());
        let lines: Vec<&str> = text.lines().collect();
        let top = lines.iter().position(|l| l.contains("┏ Versions"));
        let bottom = lines.iter().position(|l| l.contains("┗"));
        if let (Some(top), Some(bottom)) = (top, bottom)
            && bottom - top > 5
        {
            assert!(text.contains("README.md"), "80x{h}: the row stays\n{text}");
        }
    }
    for (w, h) in [(120, 40), (80, 24), (40, 12)] {
        let text = format!("{}", draw(&mut app, at(1), w, h).backend());
        assert!(text.contains("✗ InternalError"), "{w}x{h}\n{text}");
        if h > 12 {
            assert!(text.contains("README.md"), "{w}x{h}: the row stays\n{text}");
            assert!(text.contains("C-r: retry"), "{w}x{h}\n{text}");
        }
    }
}

#[test]
fn the_restore_prompts_pick_their_form_by_the_width() {
    // 60 columns and more: the whole question.
    let mut app = shown();
    press(&mut app, 'j');
    press(&mut app, 'z');
    let text = format!("{}", draw(&mut app, at(1), 60, 24).backend());
    assert!(
        text.lines().last().unwrap().starts_with("\"make version"),
        "{text}"
    );
    let text = format!("{}", draw(&mut app, at(1), 59, 24).backend());
    assert!(
        text.lines().last().unwrap().starts_with("\"restore "),
        "{text}"
    );
    // The archive's: the waits only from about 120 columns; a name only with 8 columns for it.
    let mut app = archived();
    for _ in 0..4 {
        press(&mut app, 'j');
    }
    press(&mut app, 'z');
    let last = |app: &mut App, w: u16| {
        let text = format!("{}", draw(app, at(1), w, 24).backend());
        text.lines().last().unwrap().to_string()
    };
    let hundred = last(&mut app, 100);
    assert!(
        hundred.contains("e expedited · s standard · b bulk") && !hundred.contains("minutes"),
        "{hundred}"
    );
    let seventy = last(&mut app, 70);
    assert!(
        seventy.contains("restore GLACIER? e exp · s std · b bulk"),
        "no room for a name: {seventy}"
    );
    let seventy_two = last(&mut app, 72);
    assert!(seventy_two.contains("…"), "a name, cut: {seventy_two}");
}

/// The versioned demo bucket's versions view holding `n` versions, one a key, the cursor on
/// the last.
fn many(n: usize) -> App {
    let mut app = versioned(Versioning::Enabled);
    let fx = press(&mut app, 'v');
    let Some(Effect::ListVersions { request, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    let versions = (0..n)
        .map(|i| version(&format!("key-{i:02}"), "v", 1, 1, true))
        .collect();
    app.update(
        Msg::VersionsListed {
            request: *request,
            result: Ok(VersionPage {
                prefixes: Vec::new(),
                versions,
                next: None,
            }),
        },
        at(1),
    );
    app.update(Msg::KeyPressed(KeyPress::plain(Key::End)), at(1));
    app
}

#[test]
fn the_rows_follow_the_cursor_and_it_is_drawn_reversed() {
    let mut app = many(30);
    let t = draw(&mut app, at(1), 80, 24);
    let text = format!("{}", t.backend());
    assert!(text.contains("key-29"), "the cursor's row shows: {text}");
    assert!(!text.contains("key-00"), "{text}");
    let buffer = t.backend().buffer();
    let (x, y) = super::find(buffer, "key-29");
    assert!(
        buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED),
        "the cursor's row"
    );
    let (x, y) = super::find(buffer, "key-28");
    assert!(
        !buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED),
        "another row"
    );
}

#[test]
fn two_lines_hold_the_header_and_the_cursor_s_row_and_one_holds_nothing() {
    let app = many(3);
    let view = app.versions.shown().unwrap();
    let clock = crate::ui::Clock {
        now: at(1),
        tz: chrono::FixedOffset::east_opt(0).unwrap(),
    };
    let drawn = |height: u16| {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 4)).unwrap();
        terminal
            .draw(|f| {
                crate::ui::versions::render_rows(
                    f,
                    ratatui::layout::Rect::new(0, 0, 80, height),
                    (&app, view),
                    80,
                    clock,
                );
            })
            .unwrap();
        format!("{}", terminal.backend())
    };
    let two = drawn(2);
    assert!(two.contains("Name") && two.contains("key-02"), "{two}");
    assert!(!two.contains("key-01"), "{two}");
    let one = drawn(1);
    assert!(!one.contains("Name") && !one.contains("key-"), "{one}");
    let none = drawn(0);
    assert!(!none.contains("key-"), "{none}");
}

#[test]
fn the_latest_version_stands_out_and_an_archived_one_says_its_class() {
    let mut app = shown();
    let t = draw(&mut app, at(1), 120, 40);
    let buffer = t.backend().buffer();
    // README.md's first row is its delete marker: dim, as its older versions; index.html's
    // latest version is not.
    assert_ne!(
        super::fg_at(buffer, "README.md"),
        super::fg_at(buffer, "index.html")
    );
    assert_eq!(
        super::fg_at(buffer, "index.html"),
        ratatui::style::Color::Reset
    );
    // An archived version says its class after its name.
    let mut app = versioned(Versioning::Enabled);
    let fx = press(&mut app, 'v');
    let Some(Effect::ListVersions { request, .. }) = fx.first() else {
        panic!("{fx:?}");
    };
    let mut cold = version("cold.bin", "c1", 9, 400, true);
    cold.object.storage_class = StorageClass::DeepArchive;
    app.update(
        Msg::VersionsListed {
            request: *request,
            result: Ok(VersionPage {
                prefixes: Vec::new(),
                versions: vec![cold, version("warm.bin", "w1", 9, 1, true)],
                next: None,
            }),
        },
        at(1),
    );
    let text = format!("{}", draw(&mut app, at(1), 120, 40).backend());
    assert!(text.contains("cold.bin DEEP_ARCHIVE"), "{text}");
    assert!(!text.contains("warm.bin STANDARD"), "{text}");
}
