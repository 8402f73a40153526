//! The object pane's state on its own: pages in, stale answers out, the filter, the window.

use super::*;
use crate::app::Effect;
use crate::bucket::{Etag, ObjectEntry, StorageClass};

fn obj(key: &str) -> ObjectEntry {
    ObjectEntry::new(key, 1, None, Etag::parse("\"e\""), StorageClass::Unknown)
}

fn fetch(state: &mut Listing, id: u64) -> PageRequest {
    state
        .begin_next(RequestId(id), Generation(1))
        .expect("a page is due")
}

fn page(prefixes: &[&str], keys: &[&str], next: Option<&str>) -> ListPage {
    ListPage {
        prefixes: prefixes.iter().map(|p| (*p).to_string()).collect(),
        objects: keys.iter().map(|k| obj(k)).collect(),
        next_token: next.map(str::to_string),
    }
}

#[test]
fn folders_stay_first_across_pages() {
    let mut s = Listing::new("b", "", 2);
    fetch(&mut s, 1);
    assert!(s.page_loaded(RequestId(1), page(&["a/"], &["b.txt"], Some("b.txt"))));
    s.rows.move_to(1);
    let next = fetch(&mut s, 2);
    assert_eq!(next.continuation_token.as_deref(), Some("b.txt"));
    assert!(s.page_loaded(RequestId(2), page(&["c/"], &["d.txt"], None)));
    let keys: Vec<&str> = s.rows().keys();
    assert_eq!(keys, ["a/", "c/", "b.txt", "d.txt"]);
    assert_eq!(
        s.selected().unwrap().key(),
        "b.txt",
        "cursor follows its entry"
    );
    assert!(s.complete());
    assert_eq!(s.rows().key_count(), 2);
    assert_eq!(s.rows().folder_count(), 2);
    assert!(
        s.begin_next(RequestId(3), Generation(1)).is_none(),
        "nothing more"
    );
}

#[test]
fn stale_page_changes_nothing() {
    let mut s = Listing::new("b", "", 2);
    fetch(&mut s, 2);
    assert!(!s.page_loaded(RequestId(1), ListPage::default()));
    assert!(s.rows().len() == 0);
    assert_eq!(s.in_flight().map(|f| f.id), Some(RequestId(2)));
    assert!(s.take_failed(RequestId(1)).is_none(), "a stale failure too");
    assert_eq!(s.in_flight().map(|f| f.id), Some(RequestId(2)));
}

#[test]
fn filter_is_case_insensitive_on_the_relative_name() {
    let mut s = Listing::new("b", "photos/", 10);
    fetch(&mut s, 1);
    s.page_loaded(
        RequestId(1),
        page(
            &["photos/2024/"],
            &["photos/Cat.JPG", "photos/dog.png"],
            None,
        ),
    );
    s.set_filter("cat");
    assert_eq!(s.rows().visible_len(), 1);
    assert_eq!(s.selected().unwrap().key(), "photos/Cat.JPG");
    s.set_filter("photos");
    assert_eq!(
        s.rows().visible_len(),
        0,
        "the prefix itself does not match"
    );
    s.set_filter("");
    assert_eq!(s.rows().visible_len(), 3);
}

#[test]
fn parent_prefixes() {
    let s = Listing::new("b", "a/b/c/", 10);
    assert_eq!(s.parent_prefix().as_deref(), Some("a/b/"));
    let s = Listing::new("b", "a/", 10);
    assert_eq!(s.parent_prefix().as_deref(), Some(""));
    let s = Listing::new("b", "", 10);
    assert_eq!(s.parent_prefix(), None);
}

#[test]
fn the_window_follows_the_cursor_by_the_rows_on_screen() {
    let mut s = Listing::new("b", "", 1000);
    fetch(&mut s, 1);
    let keys: Vec<String> = (0..50).map(|i| format!("k{i:02}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    s.page_loaded(RequestId(1), page(&[], &keys, None));
    s.set_height(10);
    s.move_by(9);
    assert_eq!(
        (s.rows().cursor(), s.rows().offset()),
        (9, 0),
        "still on screen"
    );
    s.move_by(1);
    assert_eq!(
        (s.rows().cursor(), s.rows().offset()),
        (10, 1),
        "scrolls by one"
    );
    s.move_by(100);
    assert_eq!(
        (s.rows().cursor(), s.rows().offset()),
        (49, 40),
        "never past the end"
    );
    s.move_by(-45);
    assert_eq!((s.rows().cursor(), s.rows().offset()), (4, 4));
    s.set_height(20);
    assert_eq!(
        s.rows().offset(),
        4,
        "a taller list keeps the window where it was"
    );
    s.set_height(3);
    assert_eq!(s.rows().offset(), 4, "the cursor stays on screen");
}

#[test]
fn a_reload_keeps_the_rows_until_its_first_page() {
    let mut s = Listing::new("b", "", 10);
    fetch(&mut s, 1);
    s.page_loaded(RequestId(1), page(&[], &["a", "b"], None));
    s.rows.move_to(1);
    s.begin_reload();
    assert!(s.started() && !s.complete());
    assert_eq!(s.rows().visible_len(), 2, "old rows stay");
    let first = fetch(&mut s, 2);
    assert_eq!(first.continuation_token, None, "from the start");
    s.page_loaded(RequestId(2), page(&[], &["b", "c"], None));
    let keys: Vec<&str> = s.rows().keys();
    assert_eq!(keys, ["b", "c"], "replaced, not appended");
    assert_eq!(s.selected().unwrap().key(), "b", "selection found again");
}

#[test]
fn folders_arriving_above_keep_the_cursor_entry_on_screen() {
    let mut s = Listing::new("b", "", 1000);
    fetch(&mut s, 1);
    let keys: Vec<String> = (0..30).map(|i| format!("k{i:02}")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    s.page_loaded(RequestId(1), page(&[], &keys, Some("k29")));
    s.set_height(10);
    s.move_by(9); // the last row on screen
    assert_eq!((s.rows().cursor(), s.rows().offset()), (9, 0));
    fetch(&mut s, 2);
    s.page_loaded(
        RequestId(2),
        page(&["a/", "b/", "c/", "d/", "e/"], &["z"], None),
    );
    assert_eq!(s.selected().unwrap().key(), "k09", "the same entry");
    assert_eq!(s.rows().cursor(), 14);
    assert!(
        s.rows().offset() + 10 > 14,
        "and still on screen: offset {}",
        s.rows().offset()
    );
}

#[test]
fn the_first_page_puts_the_cursor_on_its_first_row_even_a_folder() {
    let mut s = Listing::new("b", "", 1000);
    fetch(&mut s, 1);
    s.page_loaded(RequestId(1), page(&["a/", "b/"], &["c.txt"], None));
    assert_eq!(s.rows().cursor(), 0);
    assert_eq!(s.selected().unwrap().key(), "a/");
}

fn paging_ctx(ids: &crate::app::ctx::RequestIds) -> Paging<'_> {
    use chrono::TimeZone;
    Paging {
        now: chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        generation: Some(Generation(1)),
        session: crate::app::fetch::SessionNow {
            active: Some(Generation(1)),
            expired: false,
            issuing: false,
        },
        s3_region: Some("us-east-1".to_string()),
        chains: 4,
        ids,
        policy: None,
    }
}

#[test]
fn a_failed_page_asks_the_model_to_follow_the_region_once_then_for_credentials() {
    use crate::failure::{AwsFailure, ErrorKind};
    let ids = crate::app::ctx::RequestIds::default();
    let ctx = paging_ctx(&ids);
    let mut s = Listing::new("b", "", 2);
    let first = s.ask(Which::Next, &ctx);
    assert!(matches!(
        first[..],
        [Effect::ListPage {
            request: RequestId(1),
            ..
        }]
    ));
    let mut moved = AwsFailure::from_service(Some("PermanentRedirect"), None, Some(301));
    moved.region = Some("eu-west-1".to_string());
    let step = s.on_page_failed(RequestId(1), moved.clone(), &ctx);
    assert_eq!(step.follow_region.as_deref(), Some("eu-west-1"));
    assert!(
        matches!(
            step.effects[..],
            [Effect::ListPage {
                request: RequestId(2),
                ..
            }]
        ),
        "the page again, from there: {:?}",
        step.effects
    );
    let step = s.on_page_failed(RequestId(2), moved, &ctx);
    assert_eq!(
        step.follow_region, None,
        "a second hint is shown, not followed"
    );
    assert!(step.effects.is_empty() && s.error().is_some());

    let mut s = Listing::new("b", "", 2);
    s.ask(Which::Next, &ctx);
    let expired = AwsFailure::new(ErrorKind::ExpiredToken, Some("ExpiredToken"), "expired");
    let step = s.on_page_failed(RequestId(2), expired.clone(), &ctx);
    assert!(!step.issue, "a stale answer asks nothing");
    let step = s.on_page_failed(RequestId(3), expired, &ctx);
    assert!(step.issue && step.effects.is_empty());
    assert_eq!(step.recovering.as_deref(), Some("ExpiredToken"));
    assert!(s.awaits_credentials());
}

#[test]
fn a_walk_asks_with_the_models_chains_and_nothing_without_credentials() {
    let ids = crate::app::ctx::RequestIds::default();
    let mut ctx = paging_ctx(&ids);
    let mut s = Listing::new("b", "", 2);
    s.start_walk(ctx.now);
    assert!(matches!(
        s.ask(Which::Walk, &ctx)[..],
        [Effect::WalkListing { chains: 4, .. }]
    ));
    let mut s = Listing::new("b", "", 2);
    ctx.generation = None;
    assert!(s.ask(Which::Next, &ctx).is_empty());
    ctx.generation = Some(Generation(1));
    let mut s = Listing::new("", "", 2);
    assert!(
        s.ask(Which::Next, &ctx).is_empty(),
        "no bucket: nothing to list"
    );
}

fn sized(key: &str, size: u64) -> ObjectEntry {
    ObjectEntry::new(key, size, None, Etag::parse("\"e\""), StorageClass::Unknown)
}

/// `docs/` listed as far as `docs/m.txt` (more to come), with a folder and two objects.
fn partly_listed() -> Listing {
    let mut s = Listing::new("b", "docs/", 3);
    fetch(&mut s, 1);
    assert!(s.page_loaded(
        RequestId(1),
        page(&["docs/c/"], &["docs/a.txt", "docs/m.txt"], Some("t"))
    ));
    s
}

#[test]
fn a_write_s_rows_come_in_their_place_only_within_what_is_listed() {
    let mut s = partly_listed();
    s.rows.move_to(1); // docs/a.txt
    s.take_written(
        "b",
        &[],
        vec![
            // Within what is listed: an object, and a key in a new folder (its row).
            ("docs/b.txt".into(), Some(sized("docs/b.txt", 7))),
            ("docs/d/deep/x".into(), Some(sized("docs/d/deep/x", 1))),
            // Past the last entry listed: the next page brings it.
            ("docs/z.txt".into(), Some(sized("docs/z.txt", 1))),
            ("docs/zz/".into(), None),
            // Not in this folder, or another bucket's.
            ("other/b.txt".into(), Some(sized("other/b.txt", 1))),
        ],
    );
    assert_eq!(
        s.rows().keys(),
        [
            "docs/c/",
            "docs/d/",
            "docs/a.txt",
            "docs/b.txt",
            "docs/m.txt"
        ]
    );
    assert_eq!(
        s.selected().unwrap().key(),
        "docs/a.txt",
        "the cursor kept its entry"
    );
    s.take_written("other", &["docs/a.txt".into()], Vec::new());
    assert_eq!(
        s.rows().keys().len(),
        5,
        "another bucket's write changes nothing"
    );
    // The last entry listed is written over: its row takes the new size.
    s.take_written(
        "b",
        &[],
        vec![("docs/m.txt".into(), Some(sized("docs/m.txt", 99)))],
    );
    let Some(Entry::Object(m)) = s.rows().visible_entry(4) else {
        panic!()
    };
    assert_eq!((&*m.key, m.size), ("docs/m.txt", 99));
    assert_eq!(s.rows().keys().len(), 5);
}

#[test]
fn rows_gone_leave_and_the_cursor_stays_where_it_was() {
    let mut s = partly_listed();
    s.rows.move_to(1); // docs/a.txt
    s.take_written("b", &["docs/a.txt".into(), "docs/c/".into()], Vec::new());
    assert_eq!(s.rows().keys(), ["docs/m.txt"]);
    assert_eq!(s.selected().unwrap().key(), "docs/m.txt");
    // Everything gone: no row, no cursor past the end.
    s.take_written("b", &["docs/m.txt".into()], Vec::new());
    assert!(s.rows().keys().is_empty());
    assert_eq!(s.selected(), None);
}

#[test]
fn a_listing_complete_takes_any_key_and_the_filter_and_sort_apply() {
    let mut s = Listing::new("b", "", 10);
    fetch(&mut s, 1);
    assert!(s.page_loaded(RequestId(1), page(&[], &["a.txt", "b.log"], None)));
    s.set_filter("txt");
    s.take_written(
        "b",
        &[],
        vec![
            ("z.txt".into(), Some(sized("z.txt", 1))),
            ("y.log".into(), Some(sized("y.log", 1))),
        ],
    );
    assert_eq!(
        s.rows().keys(),
        ["a.txt", "b.log", "y.log", "z.txt"],
        "past the last key: the listing is complete"
    );
    assert_eq!(
        s.rows().visible_keys(),
        ["a.txt", "z.txt"],
        "the filter applies to the new rows"
    );
    s.set_filter("");
    s.set_sort(Sort::SizeDesc);
    s.take_written("b", &[], vec![("big".into(), Some(sized("big", 1000)))]);
    assert_eq!(
        s.rows().visible_entry(0).unwrap().key(),
        "big",
        "and the sort"
    );
}

#[test]
fn a_partial_name_listed_takes_only_keys_that_start_with_it() {
    let mut s = Listing::new("b", "photos/IMG", 10);
    fetch(&mut s, 1);
    assert!(s.page_loaded(RequestId(1), page(&[], &["photos/IMG_1"], None)));
    s.take_written(
        "b",
        &[],
        vec![
            ("photos/IMG_2".into(), Some(sized("photos/IMG_2", 1))),
            ("photos/other".into(), Some(sized("photos/other", 1))),
        ],
    );
    assert_eq!(s.rows().keys(), ["photos/IMG_1", "photos/IMG_2"]);
}
