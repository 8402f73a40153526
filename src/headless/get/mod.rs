//! `sts3 get -b BUCKET KEY [-o FILE|-] [--force]`: one object, streamed with constant memory
//! into `NAME.part` and renamed when every byte is in and checked. It survives the session:
//! when the credentials expire or the connection breaks mid-body, it issues new credentials
//! (once, as listings do) or simply asks again, and resumes with `Range: bytes=N-` and
//! `If-Match: ETAG`, so it never starts over and never splices two versions of an object.

pub mod folder;

use super::session::{CommandError, Session};
use crate::cli::GetArgs;
use crate::escape::printable;
use crate::failure::AwsFailure;
use crate::object::detail::thousands;
use crate::object::download::{Split, Transfer, file_name, part_path, progress_text};
use crate::settings::Settings;
use crate::transfer::{self, Found, Listener, PartFile, Renewal, Source, TransferError};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to pass instead of a folder's key, for the commands that take one object.
pub(super) const ONE_OBJECT: &str = "the key of an object in it";

/// A key that names an object, or the error to stop with; `instead`: what to pass instead of a
/// folder's key ([`ONE_OBJECT`], or get's `--recursive` too).
pub(super) fn check_key(key: &str, instead: &str) -> Result<(), CommandError> {
    if key.is_empty() {
        return Err(CommandError::Usage(
            "the key is empty; pass the key of an object, e.g. reports/q1/summary.csv".into(),
        ));
    }
    if key.ends_with('/') {
        return Err(CommandError::Usage(format!(
            "{} is a folder; pass {instead} (sts3 list --prefix {} shows them)",
            printable(key),
            printable(key)
        )));
    }
    Ok(())
}

/// Where the bytes go.
enum Target {
    Stdout,
    File(PathBuf),
    /// An existing FIFO or device (`-o /dev/null --force`): written into, never replaced.
    Stream(PathBuf),
}

fn target_of(args: &GetArgs) -> Result<Target, CommandError> {
    let name = || {
        file_name(&args.key).ok_or_else(|| {
            CommandError::Usage(format!(
                "{} has no file name to save it under; pass -o FILE",
                printable(&args.key)
            ))
        })
    };
    let path = match &args.output {
        Some(p) if p.as_os_str() == "-" => return Ok(Target::Stdout),
        Some(p) if p.is_dir() => p.join(name()?),
        Some(p) => p.clone(),
        None => PathBuf::from(name()?),
    };
    replacing(path, args.force)
}

/// What to do with `path` when something is there already: replace it with `--force` (a
/// regular file) or write into it (a FIFO or a device), never anything else.
fn replacing(path: PathBuf, force: bool) -> Result<Target, CommandError> {
    let Some(found) = transfer::found_at(&path) else {
        return Ok(Target::File(path));
    };
    if !force {
        return Err(CommandError::Usage(format!(
            "{} exists; pass --force to overwrite it, or -o another file",
            path.display()
        )));
    }
    match found {
        Found::File => Ok(Target::File(path)),
        Found::Stream(_) => Ok(Target::Stream(path)),
        Found::Other(what) => Err(CommandError::Usage(format!(
            "{} is {what}; sts3 get replaces only regular files: pass -o another path, or -o - \
             to write to standard output",
            path.display()
        ))),
    }
}

/// Runs the command; returns the bytes written.
pub async fn run(
    settings: &Settings,
    args: &GetArgs,
    stdout: &mut dyn Write,
) -> Result<u64, CommandError> {
    // Of the commands that take a key, only get takes a folder too.
    check_key(
        &args.key,
        "--recursive to download every object under it, or the key of one",
    )?;
    let target = target_of(args)?;
    let split = super::split(settings, args.parallel, args.part_size)?;
    let customer_key = args
        .sse_c_key_file
        .as_deref()
        .map(read_customer_key)
        .transpose()?;
    let mut session = Session::open(settings).await?;
    if let Some(key) = customer_key {
        session.clients.s3 = session.clients.s3.with_customer_key(key);
    }
    let src = Source {
        bucket: &settings.target.bucket,
        key: &args.key,
        version: args.version_id.as_deref(),
    };
    match target {
        Target::Stdout => download(&mut session, src, stdout).await,
        Target::File(path) => to_file(&mut session, src, &path, split).await,
        Target::Stream(path) => to_stream(&mut session, src, &path).await,
    }
}

/// The SSE-C key in `path`, or why not (the key itself is never said).
pub(super) fn read_customer_key(
    path: &Path,
) -> Result<crate::object::sse_c::CustomerKey, CommandError> {
    transfer::read_key_file(path).map_err(CommandError::Usage)
}

/// Into a FIFO or a device, as it is: nothing to rename, nothing to remove.
async fn to_stream(
    session: &mut Session<'_>,
    src: Source<'_>,
    path: &Path,
) -> Result<u64, CommandError> {
    let mut out = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| CommandError::Download(format!("cannot write {}: {e}", path.display())))?;
    let n = download(session, src, &mut out).await?;
    say_saved(src, path, "wrote", "into", n);
    Ok(n)
}

/// `sts3: saved s3://B/KEY to PATH (N bytes)` on standard error (`s3://B/KEY (version ID)`
/// for a given version).
fn say_saved(src: Source<'_>, path: &Path, verb: &str, to: &str, n: u64) {
    let version = src
        .version
        .map(|v| format!(" (version {})", printable(v)))
        .unwrap_or_default();
    super::stderr_line(&format!(
        "sts3: {verb} s3://{}/{}{version} {to} {} ({} bytes)",
        src.bucket,
        printable(src.key),
        printable(&path.display().to_string()),
        thousands(n)
    ));
}

async fn to_file(
    session: &mut Session<'_>,
    src: Source<'_>,
    path: &Path,
    split: Split,
) -> Result<u64, CommandError> {
    // Listening for Ctrl-C before the .part exists, so it is never left behind.
    let interrupted = interrupted()?;
    let mut file = PartFile::create(path).map_err(|e| {
        CommandError::Download(format!("cannot write {}: {e}", part_path(path).display()))
    })?;
    let part = file.part().to_path_buf();
    if file.replaced_leftover() {
        super::stderr_line(&format!(
            "sts3: replacing {}, left by an earlier download",
            part.display()
        ));
    }
    let result = tokio::select! {
        r = save(session, src, &mut file, split) => r,
        signal = interrupted => Err(CommandError::Cancelled(signal)),
    };
    match result.and_then(|n| file.finish().map(|()| n).map_err(CommandError::Download)) {
        Ok(n) => {
            say_saved(src, path, "saved", "to", n);
            Ok(n)
        }
        // Ctrl-C leaves nothing; what a failure left that a re-run resumes is kept, said so.
        Err(e) if !matches!(e, CommandError::Cancelled(_)) && transfer::resumable(&part) => {
            super::stderr_line(&format!(
                "sts3: {} is kept: the same command again resumes it",
                printable(&part.display().to_string())
            ));
            Err(e)
        }
        Err(e) => {
            transfer::discard(&part);
            Err(e)
        }
    }
}

/// Resolves with the signal's number on Ctrl-C (SIGINT), SIGTERM or SIGHUP; the handlers are in
/// place when this returns.
pub(super) fn interrupted() -> Result<impl std::future::Future<Output = i32>, CommandError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind: SignalKind| {
            signal(kind).map_err(|e| {
                CommandError::Download(format!("cannot listen for Ctrl-C and SIGTERM: {e}"))
            })
        };
        let (mut int, mut term, mut hup) = (
            listen(SignalKind::interrupt())?,
            listen(SignalKind::terminate())?,
            listen(SignalKind::hangup())?,
        );
        Ok(async move {
            tokio::select! {
                _ = int.recv() => 2,
                _ = term.recv() => 15,
                _ = hup.recv() => 1,
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            2
        })
    }
}

/// Streams the object into `out` with the download engine, issuing new credentials once when
/// S3 refuses the ones in use.
async fn download(
    session: &mut Session<'_>,
    src: Source<'_>,
    out: &mut dyn Write,
) -> Result<u64, CommandError> {
    engine(session, src, async |s3, renewal, progress| {
        transfer::download(s3, src, out, renewal, progress).await
    })
    .await
}

/// Downloads the object into `file` with the download engine: in parts when it is larger than
/// one.
async fn save(
    session: &mut Session<'_>,
    src: Source<'_>,
    file: &mut PartFile,
    split: Split,
) -> Result<u64, CommandError> {
    engine(session, src, async |s3, renewal, progress| {
        transfer::save(s3, (src, None), file, split, renewal, progress).await
    })
    .await
}

/// Runs `go` with the session's renewal and a progress line; its failure said for `key`.
async fn engine(
    session: &mut Session<'_>,
    src: Source<'_>,
    go: impl AsyncFnOnce(
        &dyn crate::aws::ObjectStore,
        &mut Renew<'_, '_>,
        &mut Progress,
    ) -> Result<u64, TransferError>,
) -> Result<u64, CommandError> {
    let s3 = session.clients.s3.clone();
    let mut renewal = Renew {
        session,
        stopped: None,
    };
    let mut progress = Progress::new();
    let result = go(&s3, &mut renewal, &mut progress).await;
    progress.done();
    match result {
        Ok(n) => Ok(n),
        Err(TransferError::Object(failure)) => Err(renewal
            .stopped
            .take()
            .unwrap_or_else(|| renewal.session.object_error(src, failure))),
        Err(TransferError::Io(e)) => Err(CommandError::Output(e)),
        Err(e) => Err(CommandError::Download(e.to_string())),
    }
}

/// New credentials for the download, through the one failure policy (once).
struct Renew<'s, 'a> {
    session: &'s mut Session<'a>,
    /// Why issuing failed, when it did: said instead of the S3 failure that led to it.
    stopped: Option<CommandError>,
}

impl Renewal for Renew<'_, '_> {
    async fn renewed(&mut self, failure: AwsFailure) -> Result<(), AwsFailure> {
        let signed_with = self.session.refreshes;
        match self.session.recover(failure.clone(), signed_with).await {
            Ok(()) => Ok(()),
            Err(CommandError::Bucket(_)) => Err(failure),
            Err(other) => {
                self.stopped = Some(other);
                Err(failure)
            }
        }
    }
}

/// Progress on stderr, a few times a second, when stderr is a terminal.
struct Progress {
    started: Instant,
    line: super::output::StatusLine,
}

impl Progress {
    fn new() -> Self {
        Self {
            started: crate::clock::instant(),
            line: super::output::StatusLine::new(),
        }
    }

    fn show(&mut self, transfer: &Transfer) {
        let started = self.started;
        self.line
            .show(|| progress_text(transfer.received, transfer.size, started.elapsed()));
    }

    fn done(&self) {
        self.line.clear();
    }
}

impl Listener for Progress {
    fn progressed(&mut self, transfer: &Transfer) {
        self.show(transfer);
    }

    fn resuming(&mut self, received: u64, why: &str) {
        self.done();
        super::stderr_line(&format!(
            "sts3: {why}; resuming with {} bytes in",
            thousands(received)
        ));
    }
}
