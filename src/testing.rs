//! Hooks for the benchmarks and the memory test: a model loaded with synthetic keys, a key
//! press, a frame. Not part of sts3's interface.

use crate::app::{App, Effect, Layout, Msg};
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
        };
        let mut fx = app.update(Msg::CredentialsIssued { generation, info }, now);
        let mut loaded = 0;
        while let Some(request) = fx.iter().find_map(|e| match e {
            Effect::ListPage { request, .. } => Some(*request),
            _ => None,
        }) {
            let end = (loaded + 1000).min(n);
            let page = ListPage {
                prefixes: Vec::new(),
                objects: (loaded..end).map(synthetic_object).collect(),
                next_token: (end < n).then(|| synthetic_key(end - 1)),
            };
            loaded = end;
            fx = app.update(Msg::PageLoaded { request, page }, now);
            if loaded >= n {
                break;
            }
            // Walk to the end so the next page is asked for, as a user paging down would.
            fx.extend(app.update(Msg::KeyPressed(KeyPress::plain(Key::End)), now));
        }
        app.update(Msg::KeyPressed(KeyPress::plain(Key::Home)), now);
        let terminal =
            Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| match e {});
        let mut model = Model { app, terminal, now };
        model.draw();
        model
    }

    /// Objects loaded.
    pub fn keys(&self) -> usize {
        self.app.objects.rows().key_count()
    }

    /// One key press, as the loop handles it: the update, then one frame.
    pub fn press(&mut self, c: char) {
        self.app
            .update(Msg::KeyPressed(KeyPress::plain(Key::Char(c))), self.now);
        self.draw();
    }

    /// One frame: the layout told to the model, then the screen drawn.
    pub fn draw(&mut self) {
        let area = self.terminal.get_frame().area();
        let layout: Layout = ui::layout_of(area, &self.app);
        if self.app.layout() != Some(layout) {
            self.app.update(Msg::LaidOut(layout), self.now);
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
