//! The loop: wait for a terminal event, a background result, the model's next deadline or a
//! signal; feed the model everything that is ready; run its effects; draw once. Generic over
//! the terminal backend, the event and signal streams and the clock, so tests can drive it on
//! paused time with a test backend.

use super::event::Event;
use super::executor::Executor;
use super::keys::terminal_msg;
use crate::app::{App, Effect, Msg};
use crate::clock::WallClock;
use crate::keymap::Keymap;
use crate::settings::Settings;
use crate::ui::{self, Clock};
use crossterm::event::Event as TermEvent;
use futures_util::{FutureExt, Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Never sleep longer than this, so a wall-clock jump (suspend, resume) is noticed quickly.
const MAX_SLEEP: Duration = Duration::from_secs(1);

/// The shortest time between two frames (about 60 a second): a burst of keys or of pages is
/// drawn once it is taken in, not once for each.
const FRAME: Duration = Duration::from_millis(16);

/// A wall clock that falls behind monotonic time by more than this was set back.
const STEP_TOLERANCE_MILLIS: i64 = 2000;

/// Notices the wall clock being set back, against monotonic time (a forward jump may be a
/// suspend, when monotonic time stands still, so only backward steps are news).
struct StepWatch {
    wall: chrono::DateTime<chrono::Utc>,
    mono: tokio::time::Instant,
}

impl StepWatch {
    fn new(wall: chrono::DateTime<chrono::Utc>) -> Self {
        Self {
            wall,
            mono: tokio::time::Instant::now(),
        }
    }

    /// How far the wall clock went back since the last look, if it did.
    fn stepped_back(&mut self, wall: chrono::DateTime<chrono::Utc>) -> Option<chrono::TimeDelta> {
        let mono = tokio::time::Instant::now();
        let mono_delta = chrono::TimeDelta::from_std(mono - self.mono).unwrap_or_default();
        let wall_delta = wall - self.wall;
        self.wall = wall;
        self.mono = mono;
        let behind = wall_delta - mono_delta;
        (behind < chrono::TimeDelta::milliseconds(-STEP_TOLERANCE_MILLIS)).then_some(behind)
    }
}

/// A signal the loop acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// Restore the terminal and exit.
    Terminate,
    /// Ctrl-C or Ctrl-\ typed on a terminal in cooked mode: exit, unless a shell has the
    /// terminal (then it was typed there, for the shell).
    Interrupt,
    /// Give the terminal back and stop until continued.
    Suspend,
}

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    Quit,
    Signal(Signal),
    /// The terminal's event stream ended.
    EventsClosed,
}

/// Runs the user's editor on a text: the text saved, or why there is none.
pub(crate) type Editor = dyn FnMut(&str) -> Result<String, String> + Send;

/// Lends the terminal to a shell that uses the shared session, and takes it back. The loop
/// goes on meanwhile (refreshes, the endpoint), without drawing.
pub(crate) trait Shell: Send {
    /// Gives the terminal to a shell with `vars` set (and the variables that would win over
    /// them unset); its end is sent on `done` as `Msg::ShellEnded`.
    fn start(
        &mut self,
        vars: &[(&'static str, String)],
        done: mpsc::UnboundedSender<Event>,
    ) -> Result<(), String>;

    /// Takes the terminal back after the shell ended.
    fn take_back(&mut self) -> io::Result<()>;
}

/// What the loop needs besides the terminal.
pub(crate) struct Parts<E, S> {
    pub(crate) events: E,
    pub(crate) signals: S,
    pub(crate) results: mpsc::UnboundedReceiver<Event>,
    pub(crate) executor: Executor,
    pub(crate) clock: Arc<dyn WallClock>,
    pub(crate) tz: chrono::FixedOffset,
    /// Gives the terminal back, stops, and takes it again when continued.
    pub(crate) suspend: Box<dyn FnMut() -> io::Result<()> + Send>,
    /// Gives the terminal to the user's editor with this text, takes it back after; the text
    /// saved, or why there is none.
    pub(crate) edit: Box<Editor>,
    pub(crate) shell: Box<dyn Shell>,
}

/// Runs the TUI until it quits, a signal arrives or the terminal goes away; returns why, and
/// the model as it was then.
pub(crate) async fn run<B, E, S>(
    term: &mut Terminal<B>,
    settings: Settings,
    keymap: Keymap,
    mut parts: Parts<E, S>,
) -> io::Result<(Exit, App)>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    E: Stream<Item = io::Result<TermEvent>> + Unpin,
    S: Stream<Item = Signal> + Unpin,
{
    let (mut app, effects) = App::new(settings, keymap, parts.clock.now());
    let mut changed = true;
    let mut steps = StepWatch::new(parts.clock.now());
    let mut exit = first_effects(term, &mut parts, effects)?;
    let mut last_frame: Option<tokio::time::Instant> = None;
    let mut lent = false;
    while exit.is_none() {
        // At most one frame per display frame: a change within it waits for the next.
        let since_frame = last_frame.map_or(FRAME, |t| t.elapsed());
        if changed && since_frame >= FRAME && !lent {
            draw(term, &mut app, &parts)?;
            last_frame = Some(tokio::time::Instant::now());
            changed = false;
        }
        let now = parts.clock.now();
        let frame_due = (changed && !lent).then(|| FRAME.saturating_sub(since_frame));
        let wait = wait_until(&app, now, frame_due);
        let first = tokio::select! {
            event = parts.events.next() => match event {
                Some(Ok(event)) => terminal_msg(&event),
                Some(Err(e)) => return Err(e),
                None => { exit = Some(Exit::EventsClosed); None }
            },
            Some(event) = parts.results.recv() => Some(parts.executor.accept(event)),
            () = tokio::time::sleep(wait) => Some(Msg::Tick),
            Some(signal) = parts.signals.next() => match signal {
                Signal::Interrupt | Signal::Suspend if lent => continue,
                Signal::Suspend => { suspend(term, &mut parts)?; changed = true; continue; }
                Signal::Terminate | Signal::Interrupt => { exit = Some(Exit::Signal(signal)); None }
            },
        };
        let mut batch: VecDeque<Msg> = steps
            .stepped_back(parts.clock.now())
            .map(|by| Msg::ClockSteppedBack { by })
            .into_iter()
            .chain(first)
            .collect();
        if exit.is_none() {
            batch.extend(drain(&mut parts)?);
        }
        changed |= !batch.is_empty();
        if update(term, &mut app, &mut parts, batch, &mut lent)? {
            exit = Some(Exit::Quit);
        }
    }
    Ok((exit.unwrap_or(Exit::Quit), app))
}

/// Runs the effects the model starts with; whether they quit.
fn first_effects<B, E, S>(
    term: &mut Terminal<B>,
    parts: &mut Parts<E, S>,
    effects: Vec<Effect>,
) -> io::Result<Option<Exit>>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    match run_effects(&mut parts.executor, effects) {
        Next::Quit => return Ok(Some(Exit::Quit)),
        Next::Suspend => suspend(term, parts)?,
        Next::Go | Next::Edit(_) | Next::Shell => {} // nothing asked before the first key
    }
    Ok(None)
}

/// How long the loop may sleep: until the model's next deadline (never more than
/// [`MAX_SLEEP`]), or the next frame when a change waits to be drawn.
fn wait_until(
    app: &App,
    now: chrono::DateTime<chrono::Utc>,
    frame_due: Option<std::time::Duration>,
) -> std::time::Duration {
    let wait = (app.next_deadline(now) - now)
        .to_std()
        .unwrap_or_default()
        .min(MAX_SLEEP);
    frame_due.map_or(wait, |frame| wait.min(frame))
}

/// Updates the model with each message of `batch` in turn and runs the effects; an edit's
/// result joins the batch. `lent`: the terminal is a shell's (taken back when it ends).
/// Returns whether the app quit.
fn update<B, E, S>(
    term: &mut Terminal<B>,
    app: &mut App,
    parts: &mut Parts<E, S>,
    mut batch: VecDeque<Msg>,
    lent: &mut bool,
) -> io::Result<bool>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    while let Some(msg) = batch.pop_front() {
        #[cfg(debug_assertions)]
        debug_panic(&msg);
        if matches!(msg, Msg::ShellEnded { .. }) && std::mem::take(lent) {
            parts.shell.take_back()?;
            redraw_all(term)?;
        }
        let effects = app.update(msg, parts.clock.now());
        match run_effects(&mut parts.executor, effects) {
            Next::Quit => return Ok(true),
            Next::Suspend => suspend(term, parts)?,
            Next::Edit(text) => {
                let result = (parts.edit)(&text);
                redraw_all(term)?;
                batch.push_back(Msg::PolicyEdited { result });
            }
            Next::Shell if !*lent => match lend_to_shell(parts) {
                Ok(()) => *lent = true,
                Err(why) => batch.push_back(Msg::ShellEnded { result: Err(why) }),
            },
            Next::Shell | Next::Go => {}
        }
    }
    Ok(false)
}

/// Gives the terminal to a shell with the shared session's variables.
fn lend_to_shell<E, S>(parts: &mut Parts<E, S>) -> Result<(), String> {
    let vars = parts
        .executor
        .shared_vars()
        .ok_or_else(|| "the session is not shared (S shares it)".to_string())?;
    parts.shell.start(&vars, parts.executor.sender())
}

/// Everything else already waiting, so a burst of keys or results costs one frame.
fn drain<E, S>(parts: &mut Parts<E, S>) -> io::Result<Vec<Msg>>
where
    E: Stream<Item = io::Result<TermEvent>> + Unpin,
{
    let mut batch = Vec::new();
    while let Some(Some(event)) = parts.events.next().now_or_never() {
        batch.extend(terminal_msg(&event?));
    }
    while let Ok(event) = parts.results.try_recv() {
        batch.push(parts.executor.accept(event));
    }
    Ok(batch)
}

/// What the loop does after a batch of effects.
enum Next {
    Go,
    Quit,
    Suspend,
    /// Open the editor on this text.
    Edit(String),
    /// Lend the terminal to a shell with the shared session.
    Shell,
}

fn run_effects(executor: &mut Executor, effects: Vec<Effect>) -> Next {
    let mut next = Next::Go;
    for effect in effects {
        match effect {
            Effect::Quit => return Next::Quit,
            Effect::Suspend => next = Next::Suspend,
            Effect::EditPolicy { text } => next = Next::Edit(text),
            Effect::RunShell => next = Next::Shell,
            other => executor.run(other),
        }
    }
    next
}

/// Suspends (the terminal given back, the process stopped) and, once continued, redraws all.
fn suspend<B, E, S>(term: &mut Terminal<B>, parts: &mut Parts<E, S>) -> io::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    (parts.suspend)()?;
    redraw_all(term)
}

/// After the terminal was given away: everything is drawn anew, the screen cleared and both
/// buffers blank, so the next frame differs in every cell. (Not `Terminal::clear`: it asks the
/// terminal for the cursor position, whose answer the event reader may take.)
fn redraw_all<B>(term: &mut Terminal<B>) -> io::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    term.backend_mut()
        .clear_region(ratatui::backend::ClearType::All)
        .map_err(io::Error::other)?;
    term.current_buffer_mut().reset();
    term.swap_buffers();
    Ok(())
}

/// Tells the model the list's height (from the same layout the view draws with), then draws.
fn draw<B, E, S>(term: &mut Terminal<B>, app: &mut App, parts: &Parts<E, S>) -> io::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    let size = term.size().map_err(io::Error::other)?;
    let now = parts.clock.now();
    let layout = ui::layout_of(size.into(), app);
    if app.layout() != Some(layout) {
        app.lay_out(layout);
    }
    let clock = Clock { now, tz: parts.tz };
    term.draw(|frame| ui::render(frame, app, clock))
        .map_err(io::Error::other)?;
    Ok(())
}

/// Debug builds only: with `STS3_DEBUG_PANIC_KEY` set, F12 panics in the loop and F11 in a
/// background task, so the tests can prove the terminal is restored, the process ends, and
/// nothing secret is printed when sts3 crashes.
#[cfg(debug_assertions)]
fn debug_panic(msg: &Msg) {
    use crate::keymap::{Key, KeyPress};
    if std::env::var_os("STS3_DEBUG_PANIC_KEY").is_none() {
        return;
    }
    assert!(
        *msg != Msg::KeyPressed(KeyPress::plain(Key::F(12))),
        "forced panic (debug build, STS3_DEBUG_PANIC_KEY)"
    );
    if *msg == Msg::KeyPressed(KeyPress::plain(Key::F(11))) {
        tokio::spawn(async {
            panic!("forced panic in a background task (debug build, STS3_DEBUG_PANIC_KEY)");
        });
    }
}
