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
pub mod restore;
pub mod rm;
mod session;
pub mod uploads;
mod write;

pub use list::run;
pub use session::CommandError;

use crate::object::download::Split;
use crate::object::upload::{MIB, PART_SIZE_MIB};
use crate::settings::{PARALLEL, Settings};
use std::io::Write;

/// Requests at once and the part size of a transfer, from its flags (`--parallel`,
/// `--part-size` in MiB) over the config.
fn split(
    settings: &Settings,
    parallel: Option<usize>,
    part_size: Option<u64>,
) -> Result<Split, CommandError> {
    let parallel = parallel.or(settings.config.list.parallel).unwrap_or(8);
    if !PARALLEL.contains(&parallel) {
        return Err(CommandError::Parallel(parallel));
    }
    let part_size = match part_size {
        Some(mib) if !PART_SIZE_MIB.contains(&mib) => {
            return Err(CommandError::Usage(format!(
                "--part-size {mib} is out of range; pass 5 to 5120 (MiB)"
            )));
        }
        Some(mib) => mib * MIB,
        None => settings.config.objects.part_size,
    };
    Ok(Split {
        part_size,
        parallel,
    })
}

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
