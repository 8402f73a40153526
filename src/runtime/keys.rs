//! Terminal events: read on a thread of their own, and turned into model messages.

use crate::app::{MouseInput, Msg};
use crate::keymap::{Key, KeyPress};
use crossterm::event::{
    Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use futures_util::Stream;
use std::io;
use std::sync::{Condvar, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

/// The terminal's events, read by a thread of their own into a channel. (crossterm's own
/// `EventStream` hands the waker of its first pending poll to its reader thread and keeps it:
/// after the loop drained it with a no-op waker, the next keys woke nobody and waited for the
/// countdown's next second. A channel takes the newest waker on every poll.)
///
/// The thread reads only when an event is ready, and looks between polls whether it should
/// stop reading for a while: an editor run from sts3 must get every key ([`pause_reader`]).
pub(crate) fn terminal_events() -> impl Stream<Item = io::Result<TermEvent>> + Unpin {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::Builder::new()
        .name("sts3-terminal-events".into())
        .spawn(move || {
            loop {
                READER.wait_while_paused();
                let event = match crossterm::event::poll(POLL) {
                    Ok(false) => continue,
                    Ok(true) if READER.paused() => continue,
                    Ok(true) => crossterm::event::read(),
                    Err(e) => Err(e),
                };
                let failed = event.is_err();
                if tx.send(event).is_err() || failed {
                    break; // the loop is gone, or the terminal is
                }
            }
        })
        .map_or_else(
            |e| {
                // No thread: a stream that says why, once.
                let (tx, rx) = mpsc::unbounded_channel();
                let _ = tx.send(Err(e));
                channel_stream(rx)
            },
            |_| channel_stream(rx),
        )
}

/// How long the reader waits for an event before it looks whether to pause.
const POLL: Duration = Duration::from_millis(250);

/// Whether the terminal reader should stop reading, and whether it has.
struct ReaderGate {
    state: Mutex<Gate>,
    changed: Condvar,
}

#[derive(Default)]
struct Gate {
    paused: bool,
    /// The reader is waiting, not reading.
    idle: bool,
}

static READER: ReaderGate = ReaderGate {
    state: Mutex::new(Gate {
        paused: false,
        idle: false,
    }),
    changed: Condvar::new(),
};

impl ReaderGate {
    fn lock(&self) -> std::sync::MutexGuard<'_, Gate> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn paused(&self) -> bool {
        self.lock().paused
    }

    /// (The reader thread.) Waits while paused, saying it is idle.
    fn wait_while_paused(&self) {
        let mut gate = self.lock();
        while gate.paused {
            gate.idle = true;
            self.changed.notify_all();
            gate = self
                .changed
                .wait(gate)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        gate.idle = false;
    }
}

impl ReaderGate {
    /// Asks the reader to stop; returns once it waits, or after `limit` (no reader thread).
    fn pause(&self, limit: Duration) {
        let mut gate = self.lock();
        gate.paused = true;
        let (_gate, _timeout) = self
            .changed
            .wait_timeout_while(gate, limit, |g| !g.idle)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
    }

    fn resume(&self) {
        let mut gate = self.lock();
        gate.paused = false;
        gate.idle = false;
        self.changed.notify_all();
    }
}

/// Stops the terminal reader (before another program takes the terminal): returns once it is
/// waiting, or after a second if there is no reader thread.
pub(crate) fn pause_reader() {
    READER.pause(POLL * 4);
}

/// Lets the terminal reader read again.
pub(crate) fn resume_reader() {
    READER.resume();
}

/// A channel as a stream.
pub(crate) fn channel_stream<T: Send + 'static>(
    rx: mpsc::UnboundedReceiver<T>,
) -> impl Stream<Item = T> + Unpin {
    Box::pin(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

/// The message for a terminal event; `None` for events the app does not care about. A resize
/// needs no message: the next frame lays the screen out anew.
pub(crate) fn terminal_msg(event: &TermEvent) -> Option<Msg> {
    match event {
        TermEvent::Resize(..) => Some(Msg::Tick),
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
        TermEvent::Mouse(m) => {
            let (column, row) = (m.column, m.row);
            let input = match m.kind {
                MouseEventKind::ScrollUp => MouseInput::ScrollUp { column, row },
                MouseEventKind::ScrollDown => MouseInput::ScrollDown { column, row },
                MouseEventKind::Down(MouseButton::Left) => MouseInput::Click { column, row },
                _ => return None,
            };
            Some(Msg::Mouse(input))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::{FutureExt as _, StreamExt as _};
    use std::time::Duration;

    /// Once `pause` returns the reader is waiting, and reads nothing until `resume`.
    #[test]
    fn a_paused_reader_reads_nothing_until_resumed() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
        let gate = Arc::new(ReaderGate {
            state: Mutex::new(Gate::default()),
            changed: Condvar::new(),
        });
        let reads = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (gate, reads, stop) = (gate.clone(), reads.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    gate.wait_while_paused();
                    reads.fetch_add(1, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        };
        while reads.load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        gate.pause(Duration::from_secs(30));
        assert!(gate.lock().idle, "pause returned because the reader waits");
        let paused_at = reads.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(
            reads.load(Ordering::SeqCst),
            paused_at,
            "no read while paused"
        );
        gate.resume();
        while reads.load(Ordering::SeqCst) == paused_at {
            std::thread::yield_now();
        }
        stop.store(true, Ordering::SeqCst);
        reader.join().unwrap();
    }

    /// The loop drains what is waiting with a no-op waker, then waits with its own: an event
    /// sent after that must wake it (it did not with crossterm's `EventStream`).
    #[tokio::test]
    async fn an_event_after_a_drain_wakes_the_loop() {
        let (tx, rx) = mpsc::unbounded_channel::<u32>();
        let mut events = channel_stream(rx);
        tx.send(1).unwrap();
        assert_eq!(events.next().now_or_never(), Some(Some(1)));
        assert_eq!(events.next().now_or_never(), None, "drained: pending");
        let sender = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            tx.send(2).unwrap();
        });
        let next = tokio::time::timeout(Duration::from_secs(5), events.next()).await;
        assert_eq!(next, Ok(Some(2)), "woken by the event, not by a timeout");
        sender.join().unwrap();
        assert_eq!(
            events.next().await,
            None,
            "the sender is gone: the stream ends"
        );
    }
}
