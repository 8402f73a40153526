//! The thin async shell around the model: the terminal, signals, the real AWS behind the
//! [`cloud::Cloud`] seam, and the event loop that ties them to `App::update`.

mod cloud;
mod event;
mod event_loop;
mod executor;
mod keys;
mod paths;
mod saves;
mod saving;
mod sharing;
mod signals;
mod terminal;
#[cfg(test)]
mod tests;

use crate::app::Msg;
use crate::aws::OnRetryable;
use crate::clock::{self, SystemClock, WallClock};
use crate::keymap::Keymap;
use crate::settings::Settings;
use cloud::AwsCloud;
use event::Event;
use executor::Executor;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Runs the TUI until the user quits. The terminal is restored on every path.
pub async fn run(settings: Settings, keymap: Keymap) -> std::io::Result<()> {
    crate::ui::theme::set_color(!crate::ui::theme::no_color_requested());
    let mut term = terminal::Terminal::enter(settings.config.mouse)?;
    let clock: Arc<dyn WallClock> = Arc::new(SystemClock);
    let (tx, results) = mpsc::unbounded_channel();
    let notices = tx.clone();
    let on_retryable: OnRetryable = Arc::new(move |status| {
        let _ = notices.send(Event::app(Msg::RequestRetrying { status }));
    });
    let cloud = Arc::new(AwsCloud::new(&settings, on_retryable, clock.clone()));
    let parts = event_loop::Parts {
        events: keys::terminal_events(),
        signals: signals::listen()?,
        results,
        executor: Executor::new(cloud, tx).with_clipboard(Box::new(terminal::copy_to_clipboard)),
        clock,
        tz: clock::local_offset(),
        suspend: Box::new(terminal::suspend),
        edit: Box::new(terminal::edit_in_editor),
        shell: Box::new(terminal::TerminalShell),
    };
    let result = event_loop::run(&mut term, settings, keymap, parts).await;
    term.leave()?;
    let (exit, _) = result?;
    tracing::debug!(?exit, "the terminal UI ended");
    Ok(())
}
