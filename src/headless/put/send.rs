//! Sending what `sts3 put` planned: `parallel` requests at once over all the files (a small
//! file is one of them, a large one's parts are several), one progress line for the whole run
//! on a terminal, each file's line in the planned order (as `sts3 list --parallel` keeps key
//! order). New credentials when S3 refuses the ones in use, shared by every file (the first to
//! meet the failure issues them, the others sign with them). Ctrl-C aborts the multipart
//! uploads under way, so S3 keeps no parts.

use super::{Tally, Upload};
use crate::aws::{Multipart, S3Browser, UploadId};
use crate::cli::PutArgs;
use crate::headless::output::StatusLine;
use crate::headless::session::{CommandError, Session, SharedRenew, SharedSession};
use crate::object::detail::thousands;
use crate::object::download::progress_text;
use crate::settings::Settings;
use crate::transfer::upload::{self, Options, Sent, Source, UploadListener};
use futures_util::StreamExt as _;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;

/// How the files are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct How {
    pub(super) parallel: usize,
    pub(super) part_size: u64,
    pub(super) only_new: bool,
}

impl How {
    /// From the flags over the config.
    pub(super) fn of(settings: &Settings, args: &PutArgs) -> Result<Self, CommandError> {
        let split = super::super::split(settings, args.parallel, args.part_size)?;
        Ok(Self {
            parallel: split.parallel,
            part_size: split.part_size,
            only_new: !args.force,
        })
    }
}

/// Puts every upload, saying each on `out` as it is stored and failures on stderr.
pub(super) async fn put_all(
    session: Session<'_>,
    uploads: &[Upload],
    how: &How,
    tally: &mut Tally,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let interrupted = crate::headless::get::interrupted()?;
    let s3 = session.clients.s3.clone();
    let bucket = session.settings.target.bucket.clone();
    let shared = Shared {
        session: SharedSession::new(session),
        meter: RefCell::new(Meter::new(uploads)),
        open: RefCell::new(BTreeMap::new()),
    };
    let options = Options {
        part_size: how.part_size,
        only_new: how.only_new,
        gate: Arc::new(Semaphore::new(how.parallel)),
    };
    let work = async {
        let mut done = futures_util::stream::iter(uploads)
            .map(|u| put_one(&s3, &shared, &bucket, u, &options))
            .buffered(how.parallel);
        while let Some((u, result)) = done.next().await {
            shared.meter.borrow_mut().file_done();
            say(&shared, &bucket, u, result?, tally, out)?;
        }
        Ok(())
    };
    let result = tokio::select! {
        r = work => r,
        signal = interrupted => Err(CommandError::Cancelled(signal)),
    };
    shared.meter.borrow().clear();
    if result.is_err() {
        abort_open(&s3, &shared.open.into_inner()).await;
    }
    result
}

/// What the files being sent share.
struct Shared<'a> {
    session: SharedSession<'a>,
    meter: RefCell<Meter>,
    /// The multipart uploads begun and not yet completed or aborted, by upload id.
    open: RefCell<BTreeMap<String, UploadId>>,
}

/// How one file went: stored or kept, or why not; `Err` when the run must stop (new
/// credentials could not be issued: no other file can do better).
type Outcome = Result<Result<Sent, String>, CommandError>;

/// One file through the upload engine.
async fn put_one<'u>(
    s3: &S3Browser,
    shared: &Shared<'_>,
    bucket: &str,
    u: &'u Upload,
    options: &Options,
) -> (&'u Upload, Outcome) {
    let content_type = upload::content_type(&u.path);
    let source = Source {
        path: &u.path,
        bucket,
        key: &u.key,
        content_type: &content_type,
    };
    let clear = || shared.meter.borrow().clear();
    let mut renew = SharedRenew::new(&shared.session, &clear);
    let mut listener = Listener { shared };
    let result = upload::upload(
        s3 as &dyn Multipart,
        source,
        options,
        &mut renew,
        &mut listener,
    )
    .await;
    let outcome = match (result, renew.stopped.take()) {
        (Err(_), Some(stopped)) => Err(stopped),
        (result, _) => Ok(result.map_err(|e| format!("{} not put: {e}", u.path.display()))),
    };
    (u, outcome)
}

/// A file's line (stored, or kept) on `out`, or why it failed on stderr; counted.
fn say(
    shared: &Shared<'_>,
    bucket: &str,
    u: &Upload,
    result: Result<Sent, String>,
    tally: &mut Tally,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    shared.meter.borrow().clear();
    match result {
        Ok(Sent::Stored { .. }) => {
            tally.put += 1;
            tally.bytes += u.size;
            super::say_upload(out, "", u, bucket)?;
        }
        Ok(Sent::Exists) => {
            tally.kept += 1;
            crate::headless::stderr_line(&format!(
                "sts3: kept s3://{bucket}/{}: it exists (--force overwrites it)",
                crate::escape::printable(&u.key)
            ));
        }
        Err(why) => {
            tally.failed += 1;
            crate::headless::stderr_line(&format!("sts3: {why}"));
        }
    }
    Ok(())
}

/// Aborts the multipart uploads a cancel left, so S3 keeps none of their parts.
async fn abort_open(s3: &S3Browser, open: &BTreeMap<String, UploadId>) {
    for upload in open.values() {
        let name = format!(
            "s3://{}/{}",
            upload.bucket,
            crate::escape::printable(&upload.key)
        );
        let line = match Multipart::abort_upload(s3, upload).await {
            Ok(()) => format!("sts3: aborted the unfinished upload of {name}"),
            Err(e) => format!(
                "sts3: the unfinished upload of {name} could not be aborted ({e}): sts3 uploads --abort {name} removes it"
            ),
        };
        crate::headless::stderr_line(&line);
    }
}

/// One file's engine events, for the meter and the open uploads.
struct Listener<'s, 'a> {
    shared: &'s Shared<'a>,
}

impl UploadListener for Listener<'_, '_> {
    fn started(&mut self, upload: &UploadId) {
        self.shared
            .open
            .borrow_mut()
            .insert(upload.id.clone(), upload.clone());
    }

    fn sent(&mut self, bytes: u64) {
        self.shared.meter.borrow_mut().sent(bytes);
    }

    fn resuming(&mut self, why: &str, held: u32, count: u32) {
        self.shared.meter.borrow().clear();
        crate::headless::stderr_line(&format!(
            "sts3: {why}; {} of {} parts are stored, sending the others",
            thousands(u64::from(held)),
            thousands(u64::from(count))
        ));
    }

    fn finished(&mut self, upload: &UploadId) {
        self.shared.open.borrow_mut().remove(&upload.id);
    }
}

/// The run's progress line on a terminal's stderr: files, bytes, bytes/s, time left.
struct Meter {
    counts: Counts,
    line: StatusLine,
}

/// What the meter says.
struct Counts {
    files: usize,
    total_files: usize,
    bytes: u64,
    total_bytes: u64,
    started: Instant,
}

impl Counts {
    fn text(&self) -> String {
        format!(
            "{} of {} files · {}",
            thousands(self.files as u64),
            thousands(self.total_files as u64),
            progress_text(self.bytes, self.total_bytes, self.started.elapsed())
        )
    }
}

impl Meter {
    fn new(uploads: &[Upload]) -> Self {
        Self {
            counts: Counts {
                files: 0,
                total_files: uploads.len(),
                bytes: 0,
                total_bytes: uploads.iter().map(|u| u.size).sum(),
                started: crate::clock::instant(),
            },
            line: StatusLine::new(),
        }
    }

    fn sent(&mut self, bytes: u64) {
        self.counts.bytes += bytes;
        self.show();
    }

    fn file_done(&mut self) {
        self.counts.files += 1;
        self.show();
    }

    /// The line, made only when it is drawn.
    fn show(&mut self) {
        let counts = &self.counts;
        self.line.show(|| counts.text());
    }

    /// Takes the line away (before another line is printed, and at the end).
    fn clear(&self) {
        self.line.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meter_counts_files_and_bytes_of_the_whole_run() {
        let upload = |size| Upload {
            path: "f".into(),
            key: "k".into(),
            size,
        };
        let mut meter = Meter::new(&[upload(1000), upload(3000)]);
        meter.sent(1000);
        meter.file_done();
        assert!(
            meter
                .counts
                .text()
                .starts_with("1 of 2 files · 1000 B of 3.9 KiB (25%)"),
            "{}",
            meter.counts.text()
        );
    }
}
