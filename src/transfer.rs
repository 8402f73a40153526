//! The download engine both `sts3 get` and the TUI use: streams an object into a writer, and
//! when the connection breaks or the credentials run out mid-body, resumes where it stopped
//! (`Range: bytes=N-`) on the same version of the object (`If-Match: ETAG`): never from 0,
//! never splicing two versions. What to do about credentials is the caller's: the command
//! issues new ones itself, the TUI asks its model and waits for them.

mod crcs;
#[cfg(test)]
pub(crate) mod fake;
pub mod plan;
mod ranged;
pub mod tree;
pub mod upload;

pub use crate::aws::Source;
use crate::aws::{ObjectBody, ObjectStore};
use crate::failure::{AwsFailure, ErrorKind};
use crate::object::detail::thousands;
use crate::object::download::{
    CheckError, PartsDone, Piece, Split, Transfer, part_path, resume_path,
};
use std::fs::File;
use std::future::Future;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Bytes written to the file at a time.
const WRITE_BUFFER: usize = 256 * 1024;

/// A download's file, as both `sts3 get` and the TUI write it: the bytes go to `NAME.part`,
/// which becomes `NAME` only once every byte is in, checked and on disk. The `.part` is a new
/// file sts3 created itself (never a link followed, never another file truncated), or one an
/// earlier download in parts left with what it holds written beside it (`NAME.part.sts3`):
/// that one is resumed.
pub struct PartFile {
    path: PathBuf,
    part: PathBuf,
    writer: BufWriter<File>,
    /// A `.part` an earlier download left behind was replaced.
    replaced_leftover: bool,
    /// What the `.part` an earlier download left holds, to resume from (until taken).
    resume: Option<PartsDone>,
}

impl PartFile {
    /// Creates `path`'s `.part` as a new file (`O_EXCL`: a symlink planted there is not
    /// followed). One left behind by an earlier download (a regular file of the user's, with no
    /// other link) is kept to resume when what it holds is written beside it, else replaced;
    /// anything else there is refused, with the reason in the error.
    pub fn create(path: &Path) -> std::io::Result<Self> {
        Self::create_for(path, None)
    }

    /// [`PartFile::create`] for an object of `size` bytes, if known: its write buffer is no
    /// larger than the object. (A folder's small objects then take their buffers from memory
    /// freed by the ones before, where a fresh buffer of [`WRITE_BUFFER`] each came from new
    /// pages, faulted in one by one.)
    pub fn create_for(path: &Path, size: Option<u64>) -> std::io::Result<Self> {
        let part = part_path(path);
        let (file, replaced_leftover, resume) = match create_new(&part) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                check_leftover(&part)?;
                let kept =
                    read_parts_done(&part).and_then(|done| Some((open_leftover(&part)?, done)));
                if let Some((file, done)) = kept {
                    (file, false, Some(done))
                } else {
                    std::fs::remove_file(&part)?;
                    let _ = std::fs::remove_file(resume_path(&part));
                    (create_new(&part)?, true, None)
                }
            }
            other => (other?, false, None),
        };
        Ok(Self {
            path: path.to_path_buf(),
            part,
            writer: BufWriter::with_capacity(buffer_for(size), file),
            replaced_leftover,
            resume,
        })
    }

    /// Whether a `.part` an earlier download left behind was replaced.
    pub fn replaced_leftover(&self) -> bool {
        self.replaced_leftover
    }

    /// The `.part` starts empty after all (the object comes as one stream).
    fn start_over(&mut self) -> std::io::Result<()> {
        if self.resume.take().is_some() {
            use std::io::Seek as _;
            let _ = std::fs::remove_file(resume_path(&self.part));
            self.writer.get_ref().set_len(0)?;
            self.writer.seek(std::io::SeekFrom::Start(0))?;
        }
        Ok(())
    }

    pub fn part(&self) -> &Path {
        &self.part
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        &mut self.writer
    }

    /// The file itself, for writes at an offset (nothing is buffered until the writer is
    /// used).
    fn file(&self) -> &File {
        self.writer.get_ref()
    }

    /// Flushes and syncs the `.part`, then renames it to the target, which must be a regular
    /// file if it exists: a link, a device or a FIFO is never replaced.
    pub fn finish(self) -> Result<(), String> {
        let written = self.written()?;
        written.file.sync_all().map_err(|e| written.cannot(&e))?;
        written.rename()
    }

    /// Flushes what is buffered into the `.part`: all its bytes are written, not yet synced.
    pub fn written(self) -> Result<Written, String> {
        let Self {
            path, part, writer, ..
        } = self;
        match writer.into_inner() {
            Ok(file) => Ok(Written { path, part, file }),
            Err(e) => Err(format!("cannot write {}: {}", part.display(), e.error())),
        }
    }
}

/// The write buffer for an object of `size` bytes, if known.
fn buffer_for(size: Option<u64>) -> usize {
    size.and_then(|size| usize::try_from(size).ok())
        .map_or(WRITE_BUFFER, |size| size.min(WRITE_BUFFER))
}

/// A `.part` whose bytes are all written, to be synced to disk and then renamed.
pub struct Written {
    path: PathBuf,
    part: PathBuf,
    file: File,
}

impl Written {
    /// `e`, which befell the `.part`, as said.
    fn cannot(&self, e: &std::io::Error) -> String {
        format!("cannot write {}: {e}", self.part.display())
    }

    /// Renames the `.part`, on disk now, to the target, which must be a regular file if it
    /// exists: a link, a device or a FIFO is never replaced.
    pub fn rename(self) -> Result<(), String> {
        let Self { path, part, .. } = self;
        if let Some(found) = found_at(&path).filter(|f| *f != Found::File) {
            return Err(format!(
                "{} is {} now, not a file; sts3 never replaces one (the download was not kept)",
                path.display(),
                found.name()
            ));
        }
        std::fs::rename(&part, &path).map_err(|e| {
            format!(
                "cannot rename {} to {}: {e}",
                part.display(),
                path.display()
            )
        })?;
        let _ = std::fs::remove_file(resume_path(&part));
        Ok(())
    }
}

/// The SSE-C key in the file at `path` (`sts3 get --sse-c-key-file`, the TUI's `K @FILE`),
/// or why not, naming the file (the key itself is never said). Only its first KiB is read:
/// a key is 32 bytes, or 44 in base64, and a path to an endless file still ends.
pub fn read_key_file(path: &Path) -> Result<crate::object::sse_c::CustomerKey, String> {
    /// More than any key file holds.
    const KEY_FILE_MAX: u64 = 1024;
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(KEY_FILE_MAX + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read the SSE-C key file {}: {e}", path.display()))?;
    if bytes.len() as u64 > KEY_FILE_MAX {
        return Err(format!(
            "{}: the key file holds more than {KEY_FILE_MAX} bytes; an SSE-C key is 32 bytes (AES-256), raw or base64 on one line",
            path.display()
        ));
    }
    crate::object::sse_c::CustomerKey::from_file(&bytes)
        .map_err(|why| format!("{}: {why}", path.display()))
}

/// Removes a download's `.part` and what was written of it beside it (a cancel, a failure
/// nothing resumes).
pub fn discard(part: &Path) {
    let _ = std::fs::remove_file(part);
    let _ = std::fs::remove_file(resume_path(part));
}

/// Whether the `.part` a failed download left can be resumed by the next one (what it holds
/// is written beside it).
pub fn resumable(part: &Path) -> bool {
    part.is_file() && resume_path(part).is_file()
}

/// A failed download's `why`, and what became of its `.part`: kept when the next download of
/// the object resumes it (said so), else removed.
pub fn kept_note(why: String, part: &Path) -> String {
    if resumable(part) {
        format!(
            "{why}; {} is kept: the next download of the object resumes it",
            crate::escape::printable(&part.display().to_string())
        )
    } else {
        discard(part);
        why
    }
}

/// What the `.part` holds, as written beside it; `None` when nothing is (or it is no regular
/// file, or not what sts3 writes there).
fn read_parts_done(part: &Path) -> Option<PartsDone> {
    /// More than any such file holds (10,000 parts, each a number of a few digits).
    const MAX: u64 = 1024 * 1024;
    let beside = resume_path(part);
    let meta = std::fs::symlink_metadata(&beside).ok()?;
    if !meta.is_file() || meta.len() > MAX {
        return None;
    }
    PartsDone::parse(&std::fs::read_to_string(beside).ok()?)
}

/// Writes what the `.part` holds beside it, whole or not at all (a new file renamed over the
/// old one).
fn write_parts_done(part: &Path, done: &PartsDone) -> std::io::Result<()> {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let fresh = part.with_file_name(format!(".sts3-{}-{n}.tmp", std::process::id()));
    let written = create_new(&fresh)
        .and_then(|mut f| f.write_all(done.to_text().as_bytes()))
        .and_then(|()| std::fs::rename(&fresh, resume_path(part)));
    if written.is_err() {
        let _ = std::fs::remove_file(&fresh);
    }
    written
}

/// Opens the `.part` an earlier download left, as it is: the file opened must be the regular
/// file [`check_leftover`] looked at (not a link planted since), with no other link.
fn open_leftover(part: &Path) -> Option<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(part)
        .ok()?;
    let opened = file.metadata().ok()?;
    let there = std::fs::symlink_metadata(part).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (opened.dev(), opened.ino()) != (there.dev(), there.ino()) || opened.nlink() > 1 {
            return None;
        }
    }
    (opened.is_file() && there.is_file()).then_some(file)
}

/// Read as well as written: a download in parts reads the file back for its MD5.
fn create_new(path: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(path)
}

/// What stands at a path, as far as a download is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// A regular file: replaced by the finished download (with `--force`).
    File,
    /// A FIFO or a device ("a FIFO", "a device"): a stream to write into, never replaced.
    Stream(&'static str),
    /// Anything else ("a symbolic link", "a folder", …): never written through or replaced.
    Other(&'static str),
}

impl Found {
    fn of(kind: std::fs::FileType) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() {
                return Found::Stream("a FIFO");
            }
            if kind.is_char_device() || kind.is_block_device() {
                return Found::Stream("a device");
            }
            if kind.is_socket() {
                return Found::Other("a socket");
            }
        }
        if kind.is_file() {
            Found::File
        } else if kind.is_symlink() {
            Found::Other("a symbolic link")
        } else if kind.is_dir() {
            Found::Other("a folder")
        } else {
            Found::Other("not a regular file")
        }
    }

    /// What it is, for a message ("a FIFO", "a symbolic link", …).
    pub fn name(self) -> &'static str {
        match self {
            Found::File => "a file",
            Found::Stream(what) | Found::Other(what) => what,
        }
    }
}

/// What stands at `path`, if anything, without following a link.
pub fn found_at(path: &Path) -> Option<Found> {
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| Found::of(m.file_type()))
}

/// Whether a `.part` an earlier download left behind is one sts3 may replace or resume: a
/// regular file of this user's with no other link. Anything else is refused and left alone.
fn check_leftover(part: &Path) -> std::io::Result<()> {
    let refuse = |why: String| {
        std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!(
                "it exists and {why}; sts3 writes only a .part it creates: remove it, or save elsewhere"
            ),
        )
    };
    let meta = std::fs::symlink_metadata(part)?;
    let found = Found::of(meta.file_type());
    if found != Found::File {
        return Err(refuse(format!("is {}", found.name())));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(refuse("has other hard links".into()));
        }
        let mine = std::fs::metadata("/proc/self").map(|m| m.uid()).ok();
        if mine != Some(meta.uid()) {
            return Err(refuse("belongs to another user".into()));
        }
    }
    Ok(())
}

/// Resumes after a broken connection before giving up (credential renewals are the caller's
/// to bound).
pub const MAX_RESUMES: u32 = 5;

/// How a download failed.
#[derive(Debug, Error)]
pub enum TransferError {
    /// S3 refused or failed a request (the first, or a resumed one).
    #[error("{0}")]
    Object(AwsFailure),
    #[error("{0}")]
    Check(#[from] CheckError),
    #[error("the download broke off {MAX_RESUMES} times ({why}); giving up at {} of {} bytes", thousands(*.received), thousands(*.size))]
    Broke {
        why: String,
        received: u64,
        size: u64,
    },
    #[error("the server ignored the range; cannot resume")]
    RangeIgnored,
    #[error("the server sent more than the {} bytes the object has; stopped, nothing was kept", thousands(*.0))]
    TooLong(u64),
    #[error(
        "the download broke off and the server gave the object no ETag, so a resumed download could join two versions of it; nothing was kept: try again"
    )]
    NoEtag,
    #[error("cannot write the file: {0}")]
    Io(#[from] std::io::Error),
}

/// Getting new credentials when S3 refuses the ones in use.
pub trait Renewal {
    /// Called with a failure a request met; resolves once new credentials are in place and the
    /// request is worth trying again, or with the failure to stop with.
    fn renewed(&mut self, failure: AwsFailure) -> impl Future<Output = Result<(), AwsFailure>>;
    /// Requests went through since the last renewal (a long upload may need several).
    fn progressed(&mut self) {}
}

/// What the caller hears as the download goes on.
pub trait Listener {
    /// More bytes are in.
    fn progressed(&mut self, transfer: &Transfer);
    /// It broke off because of `why` and is resuming, with `received` bytes in.
    fn resuming(&mut self, received: u64, why: &str);
}

/// Downloads `key` into `file`: an object larger than a part in ranged GETs `split.parallel`
/// at once, each written at its offset; a smaller one (or `parallel` 1) as one stream. `listed`:
/// its size as a listing said it, if one did (a small object is then asked whole). Returns the
/// bytes written once they are all in and checked (the caller syncs and renames).
pub async fn save<L: Listener>(
    s3: &dyn ObjectStore,
    (src, listed): (Source<'_>, Option<u64>),
    file: &mut PartFile,
    split: Split,
    renewal: &mut impl Renewal,
    listener: &mut L,
) -> Result<u64, TransferError> {
    // One stream when asked, or when the listing says it is no larger than a part: a whole
    // answer carries the object's checksum, which the client checks as the bytes come.
    if split.parallel <= 1 || listed.is_some_and(|size| !split.in_parts(size)) {
        file.start_over()?;
        let body = open(s3, src, (0, None), None, renewal).await?;
        return stream_into(s3, src, body, file, renewal, listener).await;
    }
    // The first part's range: its answer says the object's size and ETag.
    let first = open_first(s3, src, split.part_size, renewal).await?;
    if first.end >= first.size || !split.in_parts(first.size) {
        // All of it is in this answer (or the server sent all of it anyway).
        file.start_over()?;
        return stream_into(s3, src, first, file, renewal, listener).await;
    }
    if first.etag.is_none() {
        // Parts of an object without an ETag could come from two versions: one stream.
        file.start_over()?;
        return download(s3, src, file.writer(), renewal, listener).await;
    }
    let resume = file.resume.take();
    let parts = ranged::Parts {
        s3,
        src,
        file: file.file(),
        part: &file.part,
        split,
    };
    parts.download(first, resume, renewal, listener).await
}

/// Streams `body` and the rest of the object into `file`. Bytes the client checked against
/// the object's checksum as they came are not hashed as well (and read back for their MD5 only
/// if that check broke off with the stream); one with no MD5 to check it by (put in parts, or
/// encrypted) is read back against the checksum S3 keeps, if it keeps one.
async fn stream_into<L: Listener>(
    s3: &dyn ObjectStore,
    src: Source<'_>,
    body: ObjectBody,
    file: &mut PartFile,
    renewal: &mut impl Renewal,
    listener: &mut L,
) -> Result<u64, TransferError> {
    let etag = body.etag.clone();
    let by_md5 = transfer_of(&body).checks_md5();
    let streamed = stream(s3, src, body, file.writer(), renewal, listener, true).await?;
    let n = streamed.n;
    if streamed.checked {
        return Ok(n);
    }
    if streamed.transfer.md5_after().is_some() {
        // Checked as it came until it broke off: the MD5 of all of it, read back.
        file.writer().flush()?;
        streamed
            .transfer
            .check_digest(md5_read_back(file.file()).await?)?;
        return Ok(n);
    }
    let Some(etag) = etag.filter(|_| !by_md5) else {
        return Ok(n);
    };
    if let Some(stored) = crcs::ask(s3, src, &etag).await? {
        file.writer().flush()?;
        let whole = Piece {
            from: 0,
            end: n,
            got: n,
        };
        let crcs = crcs::Crcs::new(1);
        crcs::check(stored, crcs, &[whole], file.file(), &etag).await?;
    }
    Ok(n)
}

/// The first part's GetObject; an empty object (no byte 0 to start a range at) whole.
async fn open_first(
    s3: &dyn ObjectStore,
    src: Source<'_>,
    part_size: u64,
    renewal: &mut impl Renewal,
) -> Result<ObjectBody, TransferError> {
    let last = Some(part_size.saturating_sub(1));
    match open(s3, src, (0, last), None, renewal).await {
        Err(TransferError::Object(f)) if no_such_range(&f) => {
            open(s3, src, (0, None), None, renewal).await
        }
        other => other,
    }
}

/// Streams `key` into `out`; returns the bytes written once they are all in and checked.
pub async fn download<W: Write + ?Sized>(
    s3: &dyn ObjectStore,
    src: Source<'_>,
    out: &mut W,
    renewal: &mut impl Renewal,
    listener: &mut impl Listener,
) -> Result<u64, TransferError> {
    let body = open(s3, src, (0, None), None, renewal).await?;
    let streamed = stream(s3, src, body, out, renewal, listener, false).await?;
    Ok(streamed.n)
}

/// How a stream of the object went.
struct Streamed {
    /// The bytes written.
    n: u64,
    /// The client checked all of them against the object's checksum as they came (the answer
    /// carried one, and the stream never broke off).
    checked: bool,
    /// Its count and check, done (its [`Transfer::md5_after`]: what a read-back must find, if
    /// the bytes were not hashed as they came).
    transfer: Transfer,
}

/// Streams `body` (from the object's start) and the rest of the object after it into `out`,
/// resuming where it broke off. `read_back`: `out` can be read back, so bytes the client checks
/// as they come are not hashed as well.
async fn stream<W: Write + ?Sized>(
    s3: &dyn ObjectStore,
    src: Source<'_>,
    mut body: ObjectBody,
    out: &mut W,
    renewal: &mut impl Renewal,
    listener: &mut impl Listener,
    read_back: bool,
) -> Result<Streamed, TransferError> {
    let mut transfer = transfer_of(&body);
    if read_back && body.checked_by.is_some() {
        transfer = transfer.unhashed();
    }
    let mut resumes = 0;
    loop {
        let why = match body.next().await {
            Some(Ok(bytes)) => {
                // Never more than the answer said: a body without end would fill the disk.
                if transfer.received + bytes.len() as u64 > transfer.size {
                    return Err(TransferError::TooLong(transfer.size));
                }
                out.write_all(&bytes)?;
                transfer.received(&bytes);
                listener.progressed(&transfer);
                // A body that is always ready (a fast link) would otherwise keep this future
                // busy to the end: Ctrl-C, a cancel, other tasks must be heard mid-body. (Not
                // `consume_budget`: the command runs in `block_on`, where nothing is budgeted.)
                tokio::task::yield_now().await;
                continue;
            }
            None if transfer.is_complete() => break,
            // The answer ended early (a server or proxy that closed cleanly).
            None => "the answer ended early".to_string(),
            Some(Err(failure)) if failure.kind == ErrorKind::BadAnswer => {
                let etag = crate::escape::printable(transfer.etag.as_deref().unwrap_or_default());
                return Err(match body.checked_by {
                    Some(checksum) => CheckError::Checksum {
                        checksum: checksum.to_string(),
                        etag: etag.into_owned(),
                    }
                    .into(),
                    None => TransferError::Object(failure),
                });
            }
            Some(Err(failure)) => failure.message,
        };
        resumes += 1;
        if resumes > MAX_RESUMES {
            return Err(TransferError::Broke {
                why,
                received: transfer.received,
                size: transfer.size,
            });
        }
        let from = transfer.received;
        if transfer.etag.is_none() {
            return Err(TransferError::NoEtag);
        }
        listener.resuming(from, &why);
        body = open(s3, src, (from, None), transfer.etag.as_deref(), renewal)
            .await
            .map_err(|e| changed(e, &transfer))?;
        // Requests went through: a later refusal may call for another renewal.
        renewal.progressed();
        // A server or proxy that ignores If-Match: the resumed answer must be the same version.
        if body.etag != transfer.etag || body.size != transfer.size {
            return Err(changed_error(transfer.etag.as_deref().unwrap_or_default()));
        }
        if body.from != from {
            skip(&mut body, from).await?;
        }
    }
    transfer.clone().check()?;
    Ok(Streamed {
        n: transfer.received,
        checked: resumes == 0 && body.checked_by.is_some(),
        transfer,
    })
}

/// The MD5 of all `file` holds, read back in a blocking thread.
async fn md5_read_back(file: &File) -> std::io::Result<[u8; 16]> {
    use std::io::Seek as _;
    let mut file = file.try_clone()?;
    tokio::task::spawn_blocking(move || {
        file.seek(std::io::SeekFrom::Start(0))?;
        crate::object::download::md5_of(&file)
    })
    .await
    .map_err(std::io::Error::other)?
}

/// The count and check of one stream of the object `body` begins.
fn transfer_of(body: &ObjectBody) -> Transfer {
    let transfer = Transfer::new(body.size, body.etag.clone());
    if body.encrypted {
        transfer.encrypted()
    } else {
        transfer
    }
}

/// One GetObject of the bytes `from` (to `last`, inclusive, when given), with new credentials
/// first if S3 refused the ones in use and the caller finds some.
async fn open(
    s3: &dyn ObjectStore,
    src: Source<'_>,
    (from, last): (u64, Option<u64>),
    if_match: Option<&str>,
    renewal: &mut impl Renewal,
) -> Result<ObjectBody, TransferError> {
    loop {
        match s3
            .open(src.bucket, src.key, src.version, from, last, if_match)
            .await
        {
            Ok(body) => return Ok(body),
            // The object changed, or the range has no byte (an empty object's): no
            // credentials can help.
            Err(failure) if precondition_failed(&failure) || no_such_range(&failure) => {
                return Err(TransferError::Object(failure));
            }
            Err(failure) => renewal
                .renewed(failure)
                .await
                .map_err(TransferError::Object)?,
        }
    }
}

/// S3's answer to a range with no byte of the object in it.
fn no_such_range(f: &AwsFailure) -> bool {
    f.code.as_deref() == Some("InvalidRange")
}

/// S3's answer to an `If-Match` the object no longer matches.
fn precondition_failed(f: &AwsFailure) -> bool {
    f.code.as_deref() == Some("PreconditionFailed")
        || (f.status == Some(412) && f.kind != ErrorKind::Network)
}

/// A 412 to `If-Match` means the object was replaced.
fn changed(error: TransferError, transfer: &Transfer) -> TransferError {
    match error {
        TransferError::Object(f) if precondition_failed(&f) => {
            changed_error(transfer.etag.as_deref().unwrap_or_default())
        }
        other => other,
    }
}

/// "The object changed", naming the ETag the download began with (escaped: it is the server's).
fn changed_error(etag: &str) -> TransferError {
    TransferError::Check(CheckError::Changed {
        etag: crate::escape::printable(etag).into_owned(),
    })
}

/// Reads and drops the first `n` bytes of a body the server sent whole.
async fn skip(body: &mut ObjectBody, mut n: u64) -> Result<(), TransferError> {
    while n > 0 {
        let chunk = match body.next().await {
            Some(Ok(chunk)) => chunk,
            Some(Err(f)) => return Err(TransferError::Object(f)),
            None => return Err(TransferError::RangeIgnored),
        };
        let len = chunk.len() as u64;
        if len > n {
            return Err(TransferError::RangeIgnored);
        }
        n -= len;
    }
    Ok(())
}

#[cfg(test)]
mod key_file_tests {
    use super::read_key_file;

    #[test]
    fn a_key_file_is_read_whole_up_to_a_kib_and_said_by_its_path_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("key.bin");
        std::fs::write(&key, [9u8; 32]).unwrap();
        assert_eq!(
            read_key_file(&key).unwrap(),
            crate::object::sse_c::CustomerKey::from_file(&[9u8; 32]).unwrap()
        );
        let big = dir.path().join("big.bin");
        std::fs::write(&big, vec![b'k'; 1025]).unwrap();
        assert_eq!(
            read_key_file(&big).unwrap_err(),
            format!(
                "{}: the key file holds more than 1024 bytes; an SSE-C key is 32 bytes (AES-256), raw or base64 on one line",
                big.display()
            )
        );
        // A KiB exactly is read, and refused for what it holds.
        std::fs::write(&big, vec![b'k'; 1024]).unwrap();
        assert!(
            read_key_file(&big)
                .unwrap_err()
                .ends_with(": the key file holds 1024 bytes; an SSE-C key is 32 bytes (AES-256), raw or base64 on one line")
        );
        let none = dir.path().join("none.bin");
        assert!(read_key_file(&none).unwrap_err().starts_with(&format!(
            "cannot read the SSE-C key file {}: ",
            none.display()
        )));
    }
}
