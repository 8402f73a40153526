//! The loop itself, on tokio's paused time: a scripted cloud instead of AWS, a test backend
//! instead of the terminal, and a clock that moves with tokio's (and can jump). Hours of session
//! life take no wall time.

use super::cloud::Cloud;
use super::event_loop::{self, Exit, Parts, Signal};
use super::executor::Executor;
use crate::app::Generation;
use crate::aws::{Issued, ObjectStore};
use crate::bucket::{Etag, ListPage, ObjectEntry, PageRequest, StorageClass};
use crate::cli::Options;
use crate::clock::WallClock;
use crate::credentials::{CredentialRequest, Mode, Secret, SecretCredentials, SessionInfo};
use crate::failure::{AwsFailure, ErrorKind};
use crate::keymap::Keymap;
use crate::settings::Settings;
use crate::transfer::fake::{FakeStore, OpenStep};
use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Utc};
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use futures_util::Stream;
use futures_util::future::BoxFuture;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Wall-clock time that moves with tokio's (paused) clock, plus a jump the test can make.
struct TestClock {
    start_wall: DateTime<Utc>,
    start: tokio::time::Instant,
    jump_secs: AtomicI64,
}

impl TestClock {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            start_wall: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            start: tokio::time::Instant::now(),
            jump_secs: AtomicI64::new(0),
        })
    }

    /// The server's clock: it never jumps.
    fn server_now(&self) -> DateTime<Utc> {
        self.start_wall + TimeDelta::from_std(self.start.elapsed()).unwrap()
    }
}

impl WallClock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        self.server_now() + TimeDelta::seconds(self.jump_secs.load(Ordering::SeqCst))
    }
}

/// What the scripted cloud does with one ListObjectsV2 call.
#[derive(Clone)]
enum ListStep {
    Answer(ListPage),
    Fail(AwsFailure),
    /// Never answer (until aborted).
    Hang,
}

/// Counts futures dropped before they finished (an aborted listing).
struct DropGuard(Arc<AtomicU64>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

struct FakeCloud {
    clock: Arc<TestClock>,
    lifetime: TimeDelta,
    /// (mode, local time) of every STS call.
    issues: Mutex<Vec<(Mode, DateTime<Utc>)>>,
    lists: Mutex<VecDeque<ListStep>>,
    /// What a call gets once the script is used up.
    list_default: Mutex<ListStep>,
    list_calls: AtomicU64,
    aborted: Arc<AtomicU64>,
    /// A `Date` header to answer with instead of the server's clock.
    date: Mutex<Option<DateTime<Utc>>>,
    /// S3 for objects, when a test gives one.
    store: Mutex<Option<Arc<FakeStore>>>,
    /// The customer keys given (`K`).
    keys: crate::object::sse_c::Keyring,
}

impl FakeCloud {
    fn new(clock: Arc<TestClock>, lifetime_secs: i64) -> Arc<Self> {
        Arc::new(Self {
            clock,
            lifetime: TimeDelta::seconds(lifetime_secs),
            issues: Mutex::new(Vec::new()),
            lists: Mutex::new(VecDeque::new()),
            list_default: Mutex::new(ListStep::Answer(three_keys())),
            list_calls: AtomicU64::new(0),
            aborted: Arc::new(AtomicU64::new(0)),
            date: Mutex::new(None),
            store: Mutex::new(None),
            keys: crate::object::sse_c::Keyring::default(),
        })
    }

    fn script(&self, step: ListStep) {
        self.lists.lock().unwrap().push_back(step);
    }

    fn issue_times(&self) -> Vec<DateTime<Utc>> {
        self.issues
            .lock()
            .unwrap()
            .iter()
            .map(|(_, t)| *t)
            .collect()
    }
}

fn three_keys() -> ListPage {
    ListPage {
        prefixes: vec!["docs/".into()],
        objects: ["a.txt", "b.txt", "c.txt"]
            .map(|k| ObjectEntry::new(k, 1, None, Etag::parse("\"e\""), StorageClass::Unknown))
            .to_vec(),
        next_token: None,
    }
}

impl Cloud for FakeCloud {
    fn set_bases(&self, _bases: Vec<(Mode, crate::settings::BaseOptions)>) {}
    fn set_s3_region(&self, _region: Option<String>) {}

    // The scripted S3 has no requester-pays bucket: nothing to agree to.
    fn charge_requester(&self, _on: bool) {}

    fn give_customer_key(
        &self,
        bucket: &str,
        key: &str,
        secret: crate::object::sse_c::CustomerKey,
    ) {
        self.keys.give(bucket, key, secret);
    }

    fn issue(&self, request: CredentialRequest) -> BoxFuture<'static, Result<Issued, AwsFailure>> {
        let mode = request.mode();
        let local = self.clock.now();
        self.issues.lock().unwrap().push((mode, local));
        let server = self.clock.server_now();
        let info = SessionInfo {
            mode,
            principal_arn: format!("arn:aws:sts::000000000000:{}/alice", mode.flag()),
            access_key_id: "ASIAFAKEFAKEFAKE1234".into(),
            issued_at: local,
            expires_at: server + self.lifetime,
            packed_policy_percent: None,
            server_date: Some(self.date.lock().unwrap().unwrap_or(server)),
            region: None,
        };
        let secret = SecretCredentials {
            access_key_id: info.access_key_id.clone(),
            secret_access_key: Secret::new("fake-secret"),
            // Each set its own token, so what is served tells which set it is.
            session_token: Secret::new(format!("fake-token-{}", self.issues.lock().unwrap().len())),
            expires_at: info.expires_at,
        };
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok(Issued { info, secret })
        })
    }

    fn use_credentials(&self, _mode: Mode, _generation: Generation, _secret: &SecretCredentials) {}

    fn list_page(&self, _page: PageRequest) -> BoxFuture<'static, Result<ListPage, AwsFailure>> {
        self.list_calls.fetch_add(1, Ordering::SeqCst);
        let step = self
            .lists
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| self.list_default.lock().unwrap().clone());
        let guard = DropGuard(self.aborted.clone());
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            match step {
                ListStep::Answer(page) => {
                    std::mem::forget(guard); // finished, not aborted
                    Ok(page)
                }
                ListStep::Fail(failure) => {
                    std::mem::forget(guard);
                    Err(failure)
                }
                ListStep::Hang => {
                    let _guard = guard;
                    std::future::pending().await
                }
            }
        })
    }

    /// The scripted store, once a test gave one (else object requests fail as they would
    /// before any credentials).
    fn s3(&self) -> Option<Arc<dyn ObjectStore>> {
        self.store
            .lock()
            .unwrap()
            .clone()
            .map(|s| s as Arc<dyn ObjectStore>)
    }
}

/// A test backend the test can read while the loop draws on it, counting frames.
#[derive(Clone)]
struct SharedBackend {
    inner: Arc<Mutex<TestBackend>>,
    frames: Arc<AtomicU64>,
    clock: Arc<TestClock>,
    /// Seconds the wall clock moves on while the next frame asks for the terminal's size (a
    /// slow terminal, or a loaded machine, between the last update and the frame).
    size_lag_secs: Arc<AtomicI64>,
}

impl SharedBackend {
    fn screen(&self) -> String {
        let backend = self.inner.lock().unwrap();
        let buffer = backend.buffer();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn frames(&self) -> u64 {
        self.frames.load(Ordering::SeqCst)
    }
}

impl Backend for SharedBackend {
    type Error = std::convert::Infallible;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.lock().unwrap().draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.lock().unwrap().get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.lock().unwrap().clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        let lag = self.size_lag_secs.swap(0, Ordering::SeqCst);
        self.clock.jump_secs.fetch_add(lag, Ordering::SeqCst);
        self.inner.lock().unwrap().size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.lock().unwrap().window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.frames.fetch_add(1, Ordering::SeqCst);
        self.inner.lock().unwrap().flush()
    }
}

type Events = Pin<Box<dyn Stream<Item = io::Result<TermEvent>> + Send>>;

/// A TUI running on paused time.
/// A shell that only records what it was given; the test ends it.
#[derive(Clone, Default)]
struct FakeShell {
    started: Arc<Mutex<Vec<crate::serve::env::Vars>>>,
    done: Arc<Mutex<Option<mpsc::UnboundedSender<super::event::Event>>>>,
    taken_back: Arc<AtomicU64>,
}

impl event_loop::Shell for FakeShell {
    fn start(
        &mut self,
        vars: &[(&'static str, String)],
        done: mpsc::UnboundedSender<super::event::Event>,
    ) -> Result<(), String> {
        self.started.lock().unwrap().push(vars.to_vec());
        *self.done.lock().unwrap() = Some(done);
        Ok(())
    }

    fn take_back(&mut self) -> io::Result<()> {
        self.taken_back.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl FakeShell {
    /// The shell exits.
    fn exit(&self) {
        let done = self.done.lock().unwrap().take().expect("a shell runs");
        let msg = crate::app::Msg::ShellEnded {
            result: Ok("exit status: 0".into()),
        };
        done.send(super::event::Event::app(msg)).unwrap();
    }
}

struct Harness {
    keys: mpsc::UnboundedSender<TermEvent>,
    signals: mpsc::UnboundedSender<Signal>,
    backend: SharedBackend,
    cloud: Arc<FakeCloud>,
    clock: Arc<TestClock>,
    suspended: Arc<AtomicU64>,
    shell: FakeShell,
    task: JoinHandle<io::Result<(Exit, crate::app::App)>>,
}

fn settings(duration: u32) -> Settings {
    let opts = Options {
        bucket: Some("sts3-demo".into()),
        user: Some("alice".into()),
        duration: Some(duration),
        ..Options::default()
    };
    Settings::resolve_text(&opts, "", "test.toml").unwrap()
}

fn start(lifetime_secs: u32, script: Vec<ListStep>) -> Harness {
    start_with(lifetime_secs, i64::from(lifetime_secs), None, script)
}

/// A TUI asking for `asked_secs` sessions from a cloud that issues `lifetime_secs` ones and
/// answers with `date` as its `Date` header.
fn start_with(
    asked_secs: u32,
    lifetime_secs: i64,
    date: Option<DateTime<Utc>>,
    script: Vec<ListStep>,
) -> Harness {
    start_settings(settings(asked_secs), lifetime_secs, date, script)
}

/// A TUI with these settings from a cloud that issues `lifetime_secs` sessions.
fn start_settings(
    settings: Settings,
    lifetime_secs: i64,
    date: Option<DateTime<Utc>>,
    script: Vec<ListStep>,
) -> Harness {
    let clock = TestClock::new();
    let cloud = FakeCloud::new(clock.clone(), lifetime_secs);
    *cloud.date.lock().unwrap() = date;
    for step in script {
        cloud.script(step);
    }
    let (keys, key_rx) = mpsc::unbounded_channel::<TermEvent>();
    let (signals, signal_rx) = mpsc::unbounded_channel::<Signal>();
    let events: Events = Box::pin(futures_util::stream::unfold(key_rx, |mut rx| async move {
        rx.recv().await.map(|e| (Ok(e), rx))
    }));
    let signal_stream = Box::pin(futures_util::stream::unfold(
        signal_rx,
        |mut rx| async move { rx.recv().await.map(|s| (s, rx)) },
    ));
    let backend = SharedBackend {
        inner: Arc::new(Mutex::new(TestBackend::new(100, 24))),
        frames: Arc::new(AtomicU64::new(0)),
        clock: clock.clone(),
        size_lag_secs: Arc::new(AtomicI64::new(0)),
    };
    let (tx, results) = mpsc::unbounded_channel();
    let suspended = Arc::new(AtomicU64::new(0));
    let shell = FakeShell::default();
    let dyn_cloud: Arc<dyn Cloud> = cloud.clone();
    let parts = Parts {
        events,
        signals: signal_stream,
        results,
        executor: Executor::new(dyn_cloud, tx),
        clock: clock.clone(),
        tz: FixedOffset::east_opt(0).unwrap(),
        suspend: {
            let suspended = suspended.clone();
            Box::new(move || {
                suspended.fetch_add(1, Ordering::SeqCst);
                Ok(())
            })
        },
        edit: Box::new(|text: &str| Ok(text.replace("s3:GetObject", "s3:GetObjectTagging"))),
        shell: Box::new(shell.clone()),
    };
    let mut term = Terminal::new(backend.clone()).unwrap();
    let task = tokio::spawn(async move {
        event_loop::run(&mut term, settings, Keymap::default(), parts).await
    });
    Harness {
        keys,
        signals,
        backend,
        cloud,
        clock,
        suspended,
        shell,
        task,
    }
}

impl Harness {
    fn key(&self, code: KeyCode, modifiers: KeyModifiers) {
        self.keys
            .send(TermEvent::Key(KeyEvent::new(code, modifiers)))
            .unwrap();
    }

    fn char(&self, c: char) {
        self.key(KeyCode::Char(c), KeyModifiers::NONE);
    }

    async fn quit(self) -> (Exit, crate::app::App) {
        self.char('q');
        self.task.await.unwrap().unwrap()
    }
}

async fn advance(secs: f64) {
    tokio::time::sleep(Duration::from_secs_f64(secs)).await;
}

#[tokio::test(start_paused = true)]
async fn refresh_fires_at_expiry_minus_margin_on_advanced_time() {
    // 15 minutes: a third of the lifetime (5 min) before expiry, i.e. at 600 s.
    let h = start(900, vec![]);
    advance(1.0).await;
    assert!(
        h.backend.screen().contains("all 3 keys loaded"),
        "{}",
        h.backend.screen()
    );
    advance(598.0).await;
    assert_eq!(h.cloud.issue_times().len(), 1, "not yet");
    advance(2.0).await;
    let times = h.cloud.issue_times();
    assert_eq!(times.len(), 2, "refreshed");
    let after_start = (times[1] - times[0]).num_milliseconds();
    assert!(
        (599_900..=600_200).contains(&after_start),
        "at 600 s, not {after_start} ms"
    );
    assert!(
        h.backend.screen().contains("1 done"),
        "{}",
        h.backend.screen()
    );
    let (exit, _) = h.quit().await;
    assert_eq!(exit, Exit::Quit);
}

#[tokio::test(start_paused = true)]
async fn a_refresh_that_comes_due_as_the_screen_is_laid_out_anew_is_sent() {
    // 15 minutes: the refresh is due at 600 s.
    let h = start(900, vec![]);
    advance(599.5).await;
    assert_eq!(h.cloud.issue_times().len(), 1, "not yet");
    // The terminal grows, and the frame that lays it out anew comes a second after the last
    // update: the refresh is due by the time the new layout reaches the model.
    h.backend.inner.lock().unwrap().resize(120, 30);
    h.backend.size_lag_secs.store(1, Ordering::SeqCst);
    h.keys.send(TermEvent::Resize(120, 30)).unwrap();
    advance(0.5).await;
    assert_eq!(
        h.cloud.issue_times().len(),
        2,
        "the refresh was sent: {}",
        h.backend.screen()
    );
    advance(1.0).await;
    let screen = h.backend.screen();
    assert!(screen.contains("1 done"), "and it arrived: {screen}");
    assert!(!screen.contains("issuing"), "{screen}");
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn a_hung_request_does_not_block_keys_or_the_countdown() {
    let h = start(3600, vec![ListStep::Hang]);
    advance(2.0).await;
    let before = h.backend.screen();
    assert!(before.contains("loading page 1"), "{before}");
    h.char('?');
    advance(0.2).await;
    assert!(h.backend.screen().contains(" Keys "), "the help opens");
    h.char('?');
    advance(3.0).await;
    let after = h.backend.screen();
    assert!(!after.contains(" Keys "), "and closes");
    assert!(after.contains("00:59:5"), "the countdown goes on: {after}");
    assert!(after.contains("loading page 1"), "still waiting: {after}");
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn an_idle_screen_is_drawn_once_a_second() {
    let h = start(3600, vec![]);
    advance(1.5).await;
    let before = h.backend.frames();
    advance(10.0).await;
    let drawn = h.backend.frames() - before;
    assert!(
        (10..=11).contains(&drawn),
        "{drawn} frames in 10 idle seconds"
    );
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_keys_costs_one_frame() {
    let h = start(3600, vec![]);
    advance(1.5).await;
    let before = h.backend.frames();
    for _ in 0..50 {
        h.char('j');
    }
    advance(0.01).await;
    assert_eq!(h.backend.frames() - before, 1, "50 keys, one frame");
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn a_new_listing_aborts_the_one_in_flight() {
    let h = start(3600, vec![ListStep::Hang]);
    advance(1.0).await;
    assert_eq!(h.cloud.list_calls.load(Ordering::SeqCst), 1);
    assert_eq!(h.cloud.aborted.load(Ordering::SeqCst), 0);
    h.key(KeyCode::Char('r'), KeyModifiers::CONTROL); // reload
    advance(1.0).await;
    assert_eq!(h.cloud.list_calls.load(Ordering::SeqCst), 2);
    assert_eq!(
        h.cloud.aborted.load(Ordering::SeqCst),
        1,
        "the hung request was dropped"
    );
    assert!(h.backend.screen().contains("all 3 keys loaded"));
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn a_wall_clock_jump_is_noticed_at_once_and_the_servers_clock_is_followed() {
    let h = start(900, vec![]);
    advance(1.0).await;
    assert_eq!(h.cloud.issue_times().len(), 1);
    // The machine "slept" two hours: to the local clock the session is long expired.
    h.clock.jump_secs.store(7200, Ordering::SeqCst);
    advance(1.1).await;
    assert_eq!(
        h.cloud.issue_times().len(),
        2,
        "one refresh, within a second"
    );
    let screen = h.backend.screen();
    assert!(
        screen.contains("local clock 2h00m00s ahead of STS"),
        "{screen}"
    );
    assert!(
        screen.contains("00:14:5"),
        "a fresh 15-minute session: {screen}"
    );
    assert!(!screen.contains("EXPIRED"), "{screen}");
    advance(30.0).await;
    assert_eq!(
        h.cloud.issue_times().len(),
        2,
        "no refresh loop although the local clock is far off"
    );
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn a_terminating_signal_ends_the_loop() {
    let h = start(3600, vec![]);
    advance(1.0).await;
    h.signals.send(Signal::Terminate).unwrap();
    let (exit, app) = h.task.await.unwrap().unwrap();
    assert_eq!(exit, Exit::Signal(Signal::Terminate));
    assert!(app.session.info().is_some());
}

#[tokio::test(start_paused = true)]
async fn ctrl_z_and_sigtstp_suspend_and_everything_is_drawn_again_after() {
    let h = start(3600, vec![]);
    advance(1.0).await;
    let before = h.backend.frames();
    h.key(KeyCode::Char('z'), KeyModifiers::CONTROL);
    advance(0.1).await;
    assert_eq!(h.suspended.load(Ordering::SeqCst), 1, "ctrl-z suspends");
    h.signals.send(Signal::Suspend).unwrap();
    advance(0.1).await;
    assert_eq!(h.suspended.load(Ordering::SeqCst), 2, "so does SIGTSTP");
    assert!(h.backend.frames() > before, "redrawn after each");
    assert!(h.backend.screen().contains("all 3 keys loaded"));
    let (exit, _) = h.quit().await;
    assert_eq!(exit, Exit::Quit, "and it goes on");
}

#[tokio::test(start_paused = true)]
async fn an_edit_gives_the_terminal_to_the_editor_then_re_issues_and_relists() {
    let h = start(3600, vec![]);
    advance(1.0).await;
    assert_eq!(h.cloud.issue_times().len(), 1);
    let lists = h.cloud.list_calls.load(Ordering::SeqCst);
    let before = h.backend.frames();
    h.char('e');
    advance(0.5).await;
    // The harness's editor turns GetObject into GetObjectTagging: a new policy, re-issued.
    assert_eq!(
        h.cloud.issue_times().len(),
        2,
        "re-issued with the edited policy"
    );
    assert!(
        h.cloud.list_calls.load(Ordering::SeqCst) > lists,
        "the listing is asked for again under the new session"
    );
    assert!(h.backend.frames() > before, "drawn again after the editor");
    let screen = h.backend.screen();
    assert!(screen.contains("· changed"), "{screen}");
    assert!(screen.contains("s3:GetObjectTagging"), "{screen}");
    let (_, app) = h.quit().await;
    assert!(app.target.policy.compact().contains("s3:GetObjectTagging"));
}

#[tokio::test(start_paused = true)]
async fn a_clock_set_back_keeps_the_countdown_and_the_refresh_on_real_time() {
    let h = start(900, vec![]);
    advance(100.0).await;
    // Someone sets the clock back 16 minutes (as sts3 itself may suggest doing).
    h.clock.jump_secs.store(-960, Ordering::SeqCst);
    advance(1.0).await;
    let screen = h.backend.screen();
    assert!(
        screen.contains("Left      00:13:"),
        "the countdown goes on: {screen}"
    );
    assert!(
        screen.contains("local clock 0h16m00s behind STS"),
        "the step is measured: {screen}"
    );
    advance(480.0).await; // t = 581 s
    assert_eq!(h.cloud.issue_times().len(), 1, "not yet");
    advance(20.0).await; // t = 601 s: the planned moment, in real time
    assert_eq!(
        h.cloud.issue_times().len(),
        2,
        "refreshed at 600 s of real time, before the server-side expiry"
    );
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn an_implausible_sts_date_is_ignored_and_said_so() {
    let h = start_with(
        900,
        900,
        Some(Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap()),
        vec![],
    );
    advance(1.0).await;
    let screen = h.backend.screen();
    assert!(
        screen.contains("STS's clock said") && screen.contains("1970-01-01"),
        "{screen}"
    );
    assert!(screen.contains("00:14:5"), "a sane countdown: {screen}");
    assert!(
        !screen.contains("local clock"),
        "no offset applied: {screen}"
    );
    advance(600.0).await;
    assert_eq!(
        h.cloud.issue_times().len(),
        2,
        "the refresh at expiry - margin"
    );
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn credentials_expired_on_arrival_are_said_to_be() {
    let h = start_with(900, 0, None, vec![]);
    advance(1.0).await;
    let screen = h.backend.screen();
    assert!(
        screen.contains("the credentials STS issued") && screen.contains("already expired"),
        "{screen}"
    );
    h.quit().await;
}

impl Harness {
    fn list_calls(&self) -> u64 {
        self.cloud.list_calls.load(Ordering::SeqCst)
    }

    fn fail_lists_forever(&self, failure: AwsFailure) {
        *self.cloud.list_default.lock().unwrap() = ListStep::Fail(failure);
    }
}

/// Ten minutes of paused time: longer than any backoff (60 s for pages, 5 min for refreshes
/// is not reached by a 1 h session's plan at 55 min).
const WINDOW_SECS: f64 = 600.0;

#[tokio::test(start_paused = true)]
async fn an_expired_token_forever_refreshes_once_and_retries_once_never_a_loop() {
    let h = start(3600, vec![]);
    h.fail_lists_forever(AwsFailure::from_service(
        Some("ExpiredToken"),
        Some("The provided token has expired."),
        Some(400),
    ));
    advance(WINDOW_SECS).await;
    assert_eq!(
        h.cloud.issue_times().len(),
        2,
        "the first issue and one refresh"
    );
    assert_eq!(h.list_calls(), 2, "the first try and one retry");
    assert!(h.backend.screen().contains("r: refresh credentials"));
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn access_denied_is_not_retried_and_refreshes_nothing() {
    let h = start(3600, vec![]);
    h.fail_lists_forever(AwsFailure::from_service(
        Some("AccessDenied"),
        Some("Access Denied"),
        Some(403),
    ));
    advance(WINDOW_SECS).await;
    assert_eq!(h.cloud.issue_times().len(), 1);
    assert_eq!(h.list_calls(), 1);
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn an_outage_is_retried_with_backoff_never_faster_than_once_a_minute_in_the_end() {
    let h = start(3600, vec![]);
    h.fail_lists_forever(AwsFailure::new(
        crate::failure::ErrorKind::Network,
        None,
        "refused",
    ));
    advance(WINDOW_SECS).await;
    // 5 + 10 + 20 + 40, then every 60 s: 4 + 8 retries after the first try in 600 s.
    let calls = h.list_calls();
    assert!((12..=14).contains(&calls), "{calls} calls in ten minutes");
    // The service is back.
    *h.cloud.list_default.lock().unwrap() = ListStep::Answer(three_keys());
    advance(61.0).await;
    assert!(
        h.backend.screen().contains("all 3 keys loaded"),
        "it recovers by itself"
    );
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn keys_arriving_one_by_one_are_drawn_at_most_sixty_times_a_second() {
    let h = start(3600, vec![]);
    advance(1.5).await;
    let before = h.backend.frames();
    // A key every 2 ms for 200 ms: 100 keys, each a change.
    for _ in 0..100 {
        h.char('j');
        advance(0.002).await;
    }
    advance(0.05).await;
    let drawn = h.backend.frames() - before;
    assert!(
        (10..=15).contains(&drawn),
        "{drawn} frames for 100 keys over 200 ms"
    );
    assert!(
        h.backend.screen().contains(" 4/4 "),
        "the last key was drawn"
    );
    h.quit().await;
}

#[tokio::test(start_paused = true)]
async fn a_download_cut_mid_body_resumes_after_a_refresh_from_where_it_broke_off() {
    use md5::{Digest, Md5};
    let dir = tempfile::tempdir().unwrap();
    let data: Vec<u8> = (0..100u8).collect();
    let etag = format!("\"{:x}\"", Md5::digest(&data));
    let expired = AwsFailure::new(
        ErrorKind::ExpiredToken,
        Some("ExpiredToken"),
        "The provided token has expired.",
    );
    let store = Arc::new(FakeStore::new(
        data.clone(),
        &etag,
        [
            OpenStep::Body {
                cut_after: Some(40),
            },
            OpenStep::Fail(expired),
            OpenStep::Body { cut_after: None },
        ],
    ));
    let h = on_a_txt(&store, dir.path()).await;
    h.char('s');
    advance(5.0).await;
    assert_eq!(
        h.cloud.issue_times().len(),
        2,
        "the refused resume asked for new credentials once"
    );
    let part = 8 * 1024 * 1024;
    assert_eq!(
        store.asked(),
        [
            (0, Some(part - 1), None),
            (40, None, Some(etag.clone())),
            (40, None, Some(etag.clone()))
        ],
        "the first part's range holds it all; resumed from byte 40, the same version, before and after the refresh"
    );
    assert_eq!(std::fs::read(dir.path().join("a.txt")).unwrap(), data);
    assert!(!dir.path().join("a.txt.part").exists());
    let (_, app) = h.quit().await;
    assert!(
        matches!(
            app.object.outcome,
            Some(crate::app::object::Outcome::Saved { bytes: 100, .. })
        ),
        "{:?}",
        app.object.outcome
    );
}

/// The shared session's endpoint, as a client finds it: the script a shell sources (its path
/// read off the popup), and from it the URL and the token.
fn shared_endpoint(screen: &str) -> (String, String, std::path::PathBuf) {
    let line = screen
        .lines()
        .find_map(|l| l.split(". ").nth(1).filter(|p| p.contains("sts3-share-")))
        .unwrap_or_else(|| panic!("the line to paste: {screen}"));
    let env_file = std::path::PathBuf::from(line.split_whitespace().next().unwrap());
    let (url, token) = crate::serve::registry::endpoint(&env_file).unwrap();
    (url, token, env_file)
}

/// What the endpoint at `url` answers a GET with `token`.
async fn fetch_served(url: &str, token: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://").split('/').next().unwrap();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /credentials HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(start_paused = true)]
async fn the_shared_session_is_served_counted_refreshed_early_and_kept_while_a_shell_runs() {
    // 15 minutes: alone, the refresh is at 600 s; shared, half way (450 s), the most a short
    // session can give the SDKs' wish for 16 minutes left.
    let h = start(900, vec![]);
    advance(1.0).await;
    h.char('S');
    advance(0.5).await;
    let screen = h.backend.screen();
    assert!(screen.contains("Sharing the session"), "{screen}");
    let (url, token, env_file) = shared_endpoint(&screen);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let answer = fetch_served(&url, &token).await;
    assert!(answer.contains("\"Token\":\"fake-token-1\""), "{answer}");
    let refused = fetch_served(&url, "not-the-token").await;
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    h.key(KeyCode::Esc, KeyModifiers::NONE);
    advance(0.5).await;
    let screen = h.backend.screen();
    assert!(
        screen.contains("Shared    served 1 · refused 1 · last 09:00:01"),
        "the session pane counts: {screen}"
    );

    // A shell has the terminal: nothing is drawn, but the session is refreshed and served.
    h.char('!');
    advance(0.5).await;
    let vars = h.shell.started.lock().unwrap()[0].clone();
    assert!(vars.contains(&("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.clone())));
    let frames = h.backend.frames();
    advance(450.0).await;
    assert_eq!(h.cloud.issue_times().len(), 2, "refreshed at 450 s");
    assert_eq!(h.backend.frames(), frames, "nothing drawn over the shell");
    let answer = fetch_served(&url, &token).await;
    assert!(
        answer.contains("\"Token\":\"fake-token-2\""),
        "the new set: {answer}"
    );
    h.shell.exit();
    advance(0.5).await;
    assert_eq!(h.shell.taken_back.load(Ordering::SeqCst), 1);
    assert!(h.backend.frames() > frames, "drawn again");

    // Quitting asks first, and the endpoint's files go with sts3.
    h.char('q');
    advance(0.5).await;
    assert!(
        h.backend.screen().contains("quit and stop sharing?"),
        "{}",
        h.backend.screen()
    );
    assert!(env_file.exists());
    let (exit, _) = h.quit().await;
    assert_eq!(exit, Exit::Quit);
    assert!(!env_file.exists(), "the token and the script are gone");
}

#[tokio::test(start_paused = true)]
async fn cancelled_saves_leave_no_part_file_and_nothing_comes_after() {
    use md5::{Digest, Md5};
    let dir = tempfile::tempdir().unwrap();
    let data: Vec<u8> = (0..100u8).collect();
    let etag = format!("\"{:x}\"", Md5::digest(&data));
    let expired = AwsFailure::new(
        ErrorKind::ExpiredToken,
        Some("ExpiredToken"),
        "The provided token has expired.",
    );
    // The first GetObject is refused: the save waits for new credentials, its .part made.
    let store = Arc::new(FakeStore::new(data, &etag, [OpenStep::Fail(expired)]));
    let h = on_a_txt(&store, dir.path()).await;
    h.char(' '); // marked
    h.char('s');
    advance(0.01).await;
    h.char('y');
    advance(0.03).await; // the GetObject refused at 20 ms; new credentials come at 70 ms
    assert_eq!(
        files_in(dir.path()),
        ["a.txt.part"],
        "the save waits, its .part made"
    );
    h.char('x');
    advance(0.01).await;
    assert!(files_in(dir.path()).is_empty(), "the .part is gone");
    advance(2.0).await;
    assert!(
        files_in(dir.path()).is_empty(),
        "nothing saved after the cancel, though credentials came"
    );
    assert_eq!(store.asked().len(), 1, "no request after the cancel");
    let (_, app) = h.quit().await;
    assert!(!app.saves.is_busy());
    assert!(
        app.history.newest_first().any(|e| e
            .text
            .starts_with("cancelled, 1 not saved: saved 0 objects (0 B) to ")),
        "the cancel is in the history"
    );
}

/// A TUI saving into `dir`, objects read from `store`, its first page listed and the cursor
/// on `a.txt`.
async fn on_a_txt(store: &Arc<FakeStore>, dir: &std::path::Path) -> Harness {
    let opts = Options {
        bucket: Some("sts3-demo".into()),
        user: Some("alice".into()),
        ..Options::default()
    };
    let config = format!("download_dir = {:?}\n", dir.display().to_string());
    let settings = Settings::resolve_text(&opts, &config, "test.toml").unwrap();
    let h = start_settings(settings, 3600, None, vec![]);
    *h.cloud.store.lock().unwrap() = Some(store.clone());
    advance(1.0).await; // credentials, then the first page
    h.char('j'); // from docs/ to a.txt
    h
}

/// The names in `dir`, sorted.
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(start_paused = true)]
async fn k_reads_the_key_file_hands_the_key_to_s3_and_never_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let secret = [0x42u8; 32];
    let file = dir.path().join("key.bin");
    std::fs::write(&file, secret).unwrap();
    let short = dir.path().join("short.bin");
    std::fs::write(&short, b"0123").unwrap();
    let store = Arc::new(FakeStore::new(b"hello".to_vec(), "\"e\"", []));
    let h = on_a_txt(&store, dir.path()).await;
    let give = |path: &std::path::Path| {
        h.char('K');
        for c in format!("@{}", path.display()).chars() {
            h.char(c);
        }
        h.key(KeyCode::Enter, KeyModifiers::NONE);
    };
    // A file that holds no key: said, nothing given.
    give(&short);
    let mut screen = String::new();
    for _ in 0..100 {
        advance(0.01).await;
        screen = h.backend.screen();
        if screen.contains("no key given") {
            break;
        }
    }
    assert!(
        screen.contains("no key given for s3://sts3-demo/a.txt: "),
        "{screen}"
    );
    assert_eq!(h.cloud.keys.of("sts3-demo", "a.txt"), None);
    give(&file);
    for _ in 0..100 {
        advance(0.01).await;
        if h.cloud.keys.of("sts3-demo", "a.txt").is_some() {
            break;
        }
    }
    let expected = crate::object::sse_c::CustomerKey::from_file(&secret).unwrap();
    assert_eq!(
        h.cloud.keys.of("sts3-demo", "a.txt"),
        Some(expected.clone())
    );
    assert_eq!(
        h.cloud.keys.of("sts3-demo", "b.txt"),
        None,
        "that object's only"
    );
    advance(0.05).await;
    let screen = h.backend.screen();
    assert!(
        screen.contains("SSE-C key given for s3://sts3-demo/a.txt"),
        "{screen}"
    );
    assert!(!screen.contains(expected.base64()));
    let (_, app) = h.quit().await;
    assert!(
        app.keys_given
            .contains(&("sts3-demo".to_string(), "a.txt".to_string()))
    );
    assert!(!format!("{:?}", app.history).contains(expected.base64()));
}
