//! Hooks for the benchmarks and the memory test: a model loaded with synthetic keys, a key
//! press, a frame. Not part of sts3's interface.

use crate::app::{App, Effect, Layout, Msg, RequestId};
use crate::bucket::{Etag, ListPage, ObjectEntry, StorageClass};
use crate::cli::Options;
use crate::credentials::{Mode, SessionInfo};
use crate::keymap::{Key, KeyPress, Keymap};
use crate::settings::Settings;
use crate::ui;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The TUI's model with a session and `n` objects loaded, and a screen to draw it on.
pub struct Model {
    app: App,
    terminal: Terminal<TestBackend>,
    now: DateTime<Utc>,
    /// Objects sent so far.
    loaded: usize,
    /// The page the model asked for and has not been sent.
    pending: Option<(RequestId, bool)>,
}

/// The page (`false`) or the walk to the end (`true`) the model asked for.
fn page_asked_for(fx: &[Effect]) -> Option<(RequestId, bool)> {
    fx.iter().find_map(|e| match e {
        Effect::ListPage { request, .. } => Some((*request, false)),
        Effect::WalkListing { request, .. } => Some((*request, true)),
        _ => None,
    })
}

/// The key of synthetic object `i`: like `logs/2026/11/23/app-0000123.json.gz` (37 bytes).
pub fn synthetic_key(i: usize) -> String {
    format!("logs/2026/11/23/app-{i:07}.json.gz")
}

fn synthetic_object(i: usize) -> ObjectEntry {
    let mut md5 = [0u8; 16];
    md5[..8].copy_from_slice(&(i as u64).to_le_bytes());
    ObjectEntry::new(
        synthetic_key(i),
        1_000 + i as u64,
        DateTime::from_timestamp(1_763_629_200 + i64::try_from(i).unwrap_or(0), 0),
        Etag::Md5(md5),
        StorageClass::Standard,
    )
}

impl Model {
    /// A federated session and `n` objects in pages of 1,000, as S3 would send them, on a
    /// `width`x`height` screen.
    pub fn with_keys(n: usize, width: u16, height: u16) -> Model {
        Self::loaded(n, None, false, width, height)
    }

    /// As [`Model::with_keys`], with `filter` typed (`/`, the text, enter) before the first
    /// page arrives, so every page goes through the filter as it lands; the listing is not
    /// finished, so [`Model::land_page`] can send more.
    pub fn with_keys_filtered(n: usize, filter: &str, width: u16, height: u16) -> Model {
        Self::loaded(n, Some(filter), true, width, height)
    }

    fn loaded(n: usize, filter: Option<&str>, open_ended: bool, width: u16, height: u16) -> Model {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let opts = Options {
            bucket: Some("bench-bucket".into()),
            user: Some("alice".into()),
            ..Options::default()
        };
        let settings = Settings::resolve_text(&opts, "", "bench.toml")
            .unwrap_or_else(|e| panic!("bench settings: {e}"));
        let (mut app, fx) = App::new(settings, Keymap::default(), now);
        let generation = fx
            .iter()
            .find_map(|e| match e {
                Effect::IssueCredentials { generation, .. } => Some(*generation),
                _ => None,
            })
            .unwrap_or_else(|| panic!("the model issues credentials first"));
        let info = SessionInfo {
            mode: Mode::Federated,
            principal_arn: "arn:aws:sts::123456789012:federated-user/alice".into(),
            access_key_id: "ASIABENCHBENCHBENCH1".into(),
            issued_at: now,
            expires_at: now + TimeDelta::hours(12),
            packed_policy_percent: None,
            server_date: None,
            region: None,
        };
        let mut fx = app.update(Msg::CredentialsIssued { generation, info }, now);
        if let Some(filter) = filter {
            let keys = std::iter::once(Key::Char('/'))
                .chain(filter.chars().map(Key::Char))
                .chain(std::iter::once(Key::Enter));
            for key in keys {
                fx.extend(app.update(Msg::KeyPressed(KeyPress::plain(key)), now));
            }
        }
        let terminal =
            Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| match e {});
        let mut model = Model {
            app,
            terminal,
            now,
            loaded: 0,
            pending: page_asked_for(&fx),
        };
        let last = if open_ended { usize::MAX } else { n };
        while model.loaded < n {
            model.land(last);
        }
        // The model is driven alone here: what a key starts is not run.
        let _ = model
            .app
            .update(Msg::KeyPressed(KeyPress::plain(Key::Home)), now);
        model.draw();
        model
    }

    /// The next 1,000 objects arrive, as the page the model asked for; the listing goes on.
    pub fn land_page(&mut self) {
        self.land(usize::MAX);
    }

    /// Sends the page asked for: the next 1,000 objects, up to `last`. After the first page it
    /// walks to the end (`End`, as a user would), and the rest comes as the walk's pages.
    fn land(&mut self, last: usize) {
        let (request, walk) = self
            .pending
            .take()
            .unwrap_or_else(|| panic!("the model asked for no page"));
        let end = (self.loaded + 1000).min(last);
        let mut page = ListPage {
            prefixes: Vec::new(),
            objects: (self.loaded..end).map(synthetic_object).collect(),
            next_token: (end < last).then(|| synthetic_key(end - 1)),
        };
        self.loaded = end;
        if walk {
            page.next_token = None;
            let done = end >= last;
            let _ = self.app.update(
                Msg::WalkPage {
                    request,
                    page,
                    done,
                },
                self.now,
            );
            self.pending = (!done).then_some((request, true));
            return;
        }
        let mut fx = self.app.update(Msg::PageLoaded { request, page }, self.now);
        if end < last {
            fx.extend(
                self.app
                    .update(Msg::KeyPressed(KeyPress::plain(Key::End)), self.now),
            );
        }
        self.pending = page_asked_for(&fx);
    }

    /// Objects loaded.
    pub fn keys(&self) -> usize {
        self.app.listing.rows().key_count()
    }

    /// Entries shown (all of them, or those the filter lets through).
    pub fn shown(&self) -> usize {
        self.app.listing.rows().visible_len()
    }

    /// One key press, as the loop handles it: the update, then one frame.
    pub fn press(&mut self, c: char) {
        let _ = self
            .app
            .update(Msg::KeyPressed(KeyPress::plain(Key::Char(c))), self.now);
        self.draw();
    }

    /// One frame: the layout told to the model, then the screen drawn.
    pub fn draw(&mut self) {
        let area = self.terminal.get_frame().area();
        let layout: Layout = ui::layout_of(area, &self.app);
        if self.app.layout() != Some(layout) {
            self.app.lay_out(layout);
        }
        let clock = ui::Clock {
            now: self.now,
            tz: Utc.fix(),
        };
        let app = &self.app;
        let _ = self.terminal.draw(|frame| ui::render(frame, app, clock));
    }
}

use chrono::Offset as _;
