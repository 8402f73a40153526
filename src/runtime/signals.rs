//! Signals the TUI acts on, as a stream for the loop.

use super::event_loop::Signal;
use futures_util::Stream;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::signal::unix::{SignalKind, signal};

/// The signals sts3 acts on.
pub(crate) struct Signals {
    watched: Vec<(tokio::signal::unix::Signal, Signal)>,
}

/// Starts listening: SIGTERM, SIGHUP, SIGINT and SIGQUIT end sts3 (the terminal restored, as
/// on `q`; SIGINT and SIGQUIT not while a shell has the terminal: they were typed there); SIGTSTP suspends it (the terminal restored first, taken again on SIGCONT).
pub(crate) fn listen() -> std::io::Result<Signals> {
    Ok(Signals {
        watched: vec![
            (signal(SignalKind::terminate())?, Signal::Terminate),
            (signal(SignalKind::hangup())?, Signal::Terminate),
            (signal(SignalKind::interrupt())?, Signal::Interrupt),
            (signal(SignalKind::quit())?, Signal::Interrupt),
            (
                signal(SignalKind::from_raw(signal_hook::consts::SIGTSTP))?,
                Signal::Suspend,
            ),
        ],
    })
}

impl Stream for Signals {
    type Item = Signal;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Signal>> {
        for (watched, meaning) in &mut self.watched {
            if let Poll::Ready(Some(())) = watched.poll_recv(cx) {
                return Poll::Ready(Some(*meaning));
            }
        }
        Poll::Pending
    }
}
