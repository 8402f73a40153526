//! The event loop: `select!` over terminal events, background results, the next deadline and
//! termination signals; update the model; run its effects; redraw.

mod executor;
mod terminal;

use crate::keymap::{Key, KeyPress, Keymap};
use crate::app::{App, Msg};
use crate::clock;
use crate::settings::Settings;
use crate::ui::{self, Clock};
use crossterm::event::{Event as TermEvent, EventStream, KeyCode, KeyEventKind, KeyModifiers};
use executor::{Event, Executor};
use futures_util::StreamExt;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

/// Never sleep longer than this, so a wall-clock jump (suspend, resume) is noticed quickly.
const MAX_SLEEP: Duration = Duration::from_secs(1);

/// Runs the TUI until the user quits. The terminal is restored on every path.
pub async fn run(settings: Settings, keymap: Keymap) -> std::io::Result<()> {
    let mut term = terminal::Terminal::enter()?;
    let result = event_loop(&mut term, settings, keymap).await;
    term.leave()?;
    result
}

async fn event_loop(
    term: &mut terminal::Terminal,
    settings: Settings,
    keymap: Keymap,
) -> std::io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut executor = Executor::new(&settings, tx);
    let mut events = EventStream::new();
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let (mut app, effects) = App::new(settings, keymap, clock::now());
    let size = term.size()?;
    app.update(
        Msg::Resized {
            width: size.width,
            height: size.height,
        },
        clock::now(),
    );
    for effect in effects {
        executor.run(effect);
    }
    loop {
        let now = clock::now();
        let clock = Clock {
            now,
            tz: clock::local_offset(),
        };
        term.draw(|frame| ui::render(frame, &app, clock))?;
        let wait = (app.next_deadline(now) - now)
            .to_std()
            .unwrap_or_default()
            .min(MAX_SLEEP);
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match terminal_msg(&event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            Some(event) = rx.recv() => match event {
                Event::App(msg) => msg,
                Event::Issued { generation, mode, issued } => {
                    executor.hold(generation, mode, issued.secret);
                    Msg::CredentialsIssued { generation, info: issued.info }
                }
            },
            () = tokio::time::sleep(wait) => Msg::Tick,
            _ = sigterm.recv() => return Ok(()),
            _ = sighup.recv() => return Ok(()),
        };
        #[cfg(debug_assertions)]
        debug_panic(&msg);
        for effect in app.update(msg, clock::now()) {
            if !executor.run(effect) {
                return Ok(());
            }
        }
    }
}

/// Terminal events as model messages; `None` for events the app does not care about.
fn terminal_msg(event: &TermEvent) -> Option<Msg> {
    match event {
        TermEvent::Resize(width, height) => Some(Msg::Resized {
            width: *width,
            height: *height,
        }),
        TermEvent::Key(k) if k.kind != KeyEventKind::Release => {
            let key = match k.code {
                KeyCode::Char(c) => Key::Char(c),
                KeyCode::Enter => Key::Enter,
                KeyCode::Esc => Key::Esc,
                KeyCode::Tab => Key::Tab,
                KeyCode::BackTab => Key::BackTab,
                KeyCode::Backspace => Key::Backspace,
                KeyCode::Delete => Key::Delete,
                KeyCode::Up => Key::Up,
                KeyCode::Down => Key::Down,
                KeyCode::Left => Key::Left,
                KeyCode::Right => Key::Right,
                KeyCode::Home => Key::Home,
                KeyCode::End => Key::End,
                KeyCode::PageUp => Key::PageUp,
                KeyCode::PageDown => Key::PageDown,
                KeyCode::F(n) => Key::F(n),
                _ => return None,
            };
            Some(Msg::KeyPressed(KeyPress {
                key,
                ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
                alt: k.modifiers.contains(KeyModifiers::ALT),
            }))
        }
        _ => None,
    }
}

/// Debug builds only: with `STS3_DEBUG_PANIC_KEY` set, F12 panics, so the tests can prove the
/// terminal is restored and nothing secret is printed when sts3 crashes.
#[cfg(debug_assertions)]
fn debug_panic(msg: &Msg) {
    if std::env::var_os("STS3_DEBUG_PANIC_KEY").is_some()
        && *msg == Msg::KeyPressed(KeyPress::plain(Key::F(12)))
    {
        panic!("forced panic (debug build, STS3_DEBUG_PANIC_KEY)");
    }
}
