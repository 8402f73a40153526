//! The headless commands, one file each: `sts3 list`, `get`, `presign`, `policy check`. What they print to a terminal that is
//! not theirs goes through here: a closed stderr or stdout (`sts3 list | head -1`) ends them
//! quietly, never with a panic.

pub mod cp;
pub mod exec;
pub mod get;
pub mod list;
mod output;
mod parallel;
pub mod policy;
pub mod presign;
pub mod put;
pub mod rm;
mod session;
pub mod uploads;
mod write;

pub use list::run;
pub use session::CommandError;

use std::io::Write;

/// Writes one line to stderr; a closed stderr is not an error worth dying for.
pub fn stderr_line(text: &str) {
    // Messages quote what files and servers said (profile names, paths, a process's
    // stderr): control and bidi characters are escaped here, whoever wrote the message.
    let text = crate::escape::controls_escaped(text);
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Whether an output error means the reader went away (a closed pipe): then sts3 stops
/// quietly, as other command-line tools do.
pub fn reader_gone(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::BrokenPipe
}
