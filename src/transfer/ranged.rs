//! A large object in parts: ranged GETs `parallel` at once, each with `If-Match` on the ETag the
//! first answer gave (a replaced object stops the whole download, never splices two versions),
//! each part's bytes written at their offset in the `.part`. A part that breaks off is asked
//! again from where it stopped; a refused request waits for the caller's renewal, once for
//! every part in flight: the parts already streaming go on, no new one starts until then.
//! Each time the file is synced, and when the download stops short with something to resume,
//! the parts on disk are written beside the `.part` ([`PartsDone`]): the next download of
//! the same object (same ETag, size and part size) asks only for the others.

use super::crcs::{self, Crcs};
use super::{
    Listener, MAX_RESUMES, Renewal, TransferError, WRITE_BUFFER, changed_error, precondition_failed,
};
use crate::aws::{ObjectBody, ObjectStore};
use crate::failure::AwsFailure;
use crate::object::checksum::PieceCrc;
use crate::object::download::{PartsDone, Piece, Split, Transfer};
use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use std::fs::File;
use std::sync::Mutex;

/// One object's download in parts into `file`.
pub(super) struct Parts<'a> {
    pub(super) s3: &'a dyn ObjectStore,
    pub(super) src: super::Source<'a>,
    pub(super) file: &'a File,
    /// Its path, beside which what it holds is written.
    pub(super) part: &'a std::path::Path,
    pub(super) split: Split,
}

/// Why a part stopped before its end, when asking again may mend it.
enum Again {
    /// The connection broke or the answer ended early: ask again from where it stopped.
    Broke(String),
    /// S3 refused the request: new credentials (or a wait) first.
    Refused(AwsFailure),
}

/// Why a part stopped before its end.
enum Stop {
    Again(Again),
    /// Nothing can mend it (the object changed, the server misbehaved, the disk failed).
    Fatal(TransferError),
}

/// How one part went: its index, the bytes it wrote, why it stopped short.
type PartOutcome = (usize, u64, Option<Stop>);

/// The count of bytes in, and who hears of it: shared by the parts in flight.
struct Shared<'l, L> {
    transfer: Transfer,
    listener: &'l mut L,
    syncer: Syncer,
    /// The parts whose bytes are all written (on disk once the file is synced).
    done: PartsDone,
    crcs: Crcs,
}

impl<L: Listener> Shared<'_, L> {
    fn wrote(&mut self, n: u64) {
        self.transfer.received += n;
        self.listener.progressed(&self.transfer);
        self.syncer.wrote(n, &self.done);
    }
}

/// Reserves the file's `size` bytes on disk before the parts come (Linux): a part then writes
/// into blocks the file already has, where ext4's delayed allocation reserved each block as it
/// was written (for 1 GiB, 12% of `sts3 get`'s CPU). Best effort: where the file system cannot
/// reserve, or has not the room, the writes make the blocks (and say so) as before.
#[cfg(target_os = "linux")]
fn reserve(file: &File, size: u64) {
    let _ = rustix::fs::fallocate(file, rustix::fs::FallocateFlags::empty(), 0, size);
}

#[cfg(not(target_os = "linux"))]
fn reserve(_: &File, _: u64) {}

/// Bytes written between two syncs of the file while the download goes on.
const SYNC_EVERY: u64 = 64 * 1024 * 1024;

/// Syncs the file to disk while the download goes on (every [`SYNC_EVERY`] bytes, one sync at
/// a time, in a blocking thread), so that the sync before the rename has little left to write:
/// the disk works while the network does, instead of after it.
struct Syncer {
    file: File,
    /// The `.part`'s path, beside which what is on disk is written after each sync.
    part: std::path::PathBuf,
    dirty: u64,
    running: Option<tokio::task::JoinHandle<()>>,
}

impl Syncer {
    fn new(file: &File, part: &std::path::Path) -> std::io::Result<Self> {
        Ok(Self {
            file: file.try_clone()?,
            part: part.to_path_buf(),
            dirty: 0,
            running: None,
        })
    }

    /// `n` more bytes written; `done`: the parts all written so far (on disk once synced).
    fn wrote(&mut self, n: u64, done: &PartsDone) {
        self.dirty += n;
        if self.dirty < SYNC_EVERY || self.running.as_ref().is_some_and(|h| !h.is_finished()) {
            return;
        }
        self.dirty = 0;
        if let Ok(file) = self.file.try_clone() {
            let (part, done) = (self.part.clone(), done.clone());
            // An error here is the final sync's to report.
            self.running = Some(tokio::task::spawn_blocking(move || {
                let _ = checkpoint(&file, &part, &done);
            }));
        }
    }

    /// Waits for the sync under way, if any.
    async fn finished(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = running.await;
        }
    }
}

impl Parts<'_> {
    /// Downloads every part (`first` is the answer for the first one; `resume`: what an
    /// earlier download left in the file) and checks the whole.
    pub(super) async fn download<L: Listener>(
        &self,
        first: ObjectBody,
        resume: Option<PartsDone>,
        renewal: &mut impl Renewal,
        listener: &mut L,
    ) -> Result<u64, TransferError> {
        let size = first.size;
        let etag = first.etag.clone().unwrap_or_default();
        let kept = resume
            .as_ref()
            .map_or(&[][..], |r| r.usable_for(&etag, size, self.split));
        // What an earlier download left goes on in the cut it was written in.
        let cut = match &resume {
            Some(r) if !kept.is_empty() => r.cut,
            _ => self.split.cut(size),
        };
        let mut pieces = cut.pieces(size);
        if kept.is_empty() {
            // Nothing of what an earlier download left is of this object as it is now: its
            // record goes too, so a failure now keeps nothing it does not hold.
            if resume.is_some() {
                let _ = std::fs::remove_file(crate::object::download::resume_path(self.part));
            }
            self.file.set_len(0)?;
        }
        // The file's length first: every part writes into its own place in it.
        self.file.set_len(size)?;
        reserve(self.file, size);
        let mut transfer = Transfer::in_parts(size, first.etag.clone());
        if first.encrypted {
            transfer = transfer.encrypted();
        }
        for &i in kept {
            pieces[i].got = pieces[i].end - pieces[i].from;
            transfer.received += pieces[i].got;
        }
        if !kept.is_empty() {
            let why = format!(
                "{}: an earlier download left {} of {} parts",
                self.part.display(),
                kept.len(),
                pieces.len()
            );
            listener.resuming(transfer.received, &why);
        }
        let done = PartsDone {
            etag: etag.clone(),
            size,
            cut,
            done: kept.to_vec(),
        };
        // No MD5 to check it by: the checksum S3 keeps, asked while the parts come.
        let by_md5 = transfer.md5_after().is_some();
        let shared = Mutex::new(Shared {
            transfer,
            listener,
            syncer: Syncer::new(self.file, self.part)?,
            done,
            crcs: Crcs::new(pieces.len()),
        });
        let mut first = Some(first).filter(|_| !pieces[0].is_complete());
        let ask = async {
            if by_md5 {
                return Ok::<_, TransferError>(None);
            }
            let stored = crcs::ask(self.s3, self.src, &etag).await?;
            if let Some(stored) = &stored {
                lock(&shared).crcs.known(stored);
            }
            Ok(stored)
        };
        let rounds = self.rounds(&mut pieces, &mut first, &etag, &shared, renewal);
        let (outcome, stored) = futures_util::future::join(rounds, ask).await;
        let Shared {
            transfer,
            mut syncer,
            done,
            crcs,
            ..
        } = shared
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        syncer.finished().await;
        if let Err(e) = outcome {
            if matches!(e, TransferError::Broke { .. } | TransferError::Object(_))
                && !done.done.is_empty()
            {
                // What is on disk is kept for the next download of the object to resume.
                let (file, part) = (self.file.try_clone()?, self.part.to_path_buf());
                let _ = tokio::task::spawn_blocking(move || checkpoint(&file, &part, &done)).await;
            }
            return Err(e);
        }
        transfer.clone().check()?;
        if by_md5 {
            transfer.check_digest(super::md5_read_back(self.file).await?)?;
        } else if let Some(stored) = stored? {
            crcs::check(stored, crcs, &pieces, self.file, &etag).await?;
        }
        Ok(size)
    }

    /// Rounds of the missing parts until none is, resuming after what can be mended.
    async fn rounds<L: Listener>(
        &self,
        pieces: &mut [Piece],
        first: &mut Option<ObjectBody>,
        etag: &str,
        shared: &Mutex<Shared<'_, L>>,
        renewal: &mut impl Renewal,
    ) -> Result<(), TransferError> {
        let size = lock(shared).transfer.size;
        let mut resumes = 0;
        loop {
            let missing: Vec<usize> = (0..pieces.len())
                .filter(|i| !pieces[*i].is_complete())
                .collect();
            if missing.is_empty() {
                break;
            }
            let before = lock(shared).transfer.received;
            let stop = self.round(&missing, pieces, first, etag, shared).await?;
            if lock(shared).transfer.received > before {
                // Requests went through: a later refusal may call for another renewal.
                renewal.progressed();
            }
            let Some(stop) = stop else { continue };
            resumes += 1;
            let received = lock(shared).transfer.received;
            let why = match &stop {
                Again::Broke(why) => why.clone(),
                Again::Refused(f) => f.to_string(),
            };
            if resumes > MAX_RESUMES {
                return Err(TransferError::Broke {
                    why,
                    received,
                    size,
                });
            }
            lock(shared).listener.resuming(received, &why);
            if let Again::Refused(failure) = stop {
                renewal
                    .renewed(failure)
                    .await
                    .map_err(TransferError::Object)?;
            }
        }
        Ok(())
    }

    /// Downloads the `missing` parts, `parallel` at once; starts no new one after the first
    /// stop (the ones in flight go on to their end). That stop, if any.
    async fn round<L: Listener>(
        &self,
        missing: &[usize],
        pieces: &mut [Piece],
        first: &mut Option<ObjectBody>,
        etag: &str,
        shared: &Mutex<Shared<'_, L>>,
    ) -> Result<Option<Again>, TransferError> {
        let mut queue = missing.iter().copied();
        let mut running = FuturesUnordered::new();
        let mut stop = None;
        loop {
            while stop.is_none() && running.len() < self.split.parallel {
                let Some(i) = queue.next() else { break };
                let body = if i == 0 { first.take() } else { None };
                running.push(self.part(i, pieces[i], body, etag, shared));
            }
            let Some((i, wrote, stopped)) = running.next().await else {
                return Ok(stop);
            };
            pieces[i].got += wrote;
            if pieces[i].is_complete() {
                lock(shared).done.mark(i);
            }
            match stopped {
                Some(Stop::Fatal(e)) => return Err(e),
                // A refusal calls for new credentials: it outweighs a broken connection.
                Some(Stop::Again(again)) => match (&stop, &again) {
                    (None, _) | (Some(Again::Broke(_)), Again::Refused(_)) => stop = Some(again),
                    _ => {}
                },
                None => {}
            }
        }
    }

    /// Streams the rest of one part (from `body` when given, else a new ranged GetObject) to
    /// its place in the file.
    async fn part<L: Listener>(
        &self,
        i: usize,
        piece: Piece,
        body: Option<ObjectBody>,
        etag: &str,
        shared: &Mutex<Shared<'_, L>>,
    ) -> PartOutcome {
        let mut wrote = 0;
        let mut crc = lock(shared).crcs.take(i, piece);
        let stopped = self
            .stream_part(piece, body, etag, (shared, &mut crc), &mut wrote)
            .await
            .err();
        lock(shared).crcs.put(i, crc);
        (i, wrote, stopped)
    }

    async fn stream_part<L: Listener>(
        &self,
        piece: Piece,
        body: Option<ObjectBody>,
        etag: &str,
        (shared, crc): (&Mutex<Shared<'_, L>>, &mut Option<PieceCrc>),
        wrote: &mut u64,
    ) -> Result<(), Stop> {
        let size = lock(shared).transfer.size;
        let mut body = match body {
            Some(body) => body,
            None => self
                .s3
                .open(
                    self.src.bucket,
                    self.src.key,
                    self.src.version,
                    piece.next(),
                    Some(piece.last()),
                    Some(etag),
                )
                .await
                .map_err(|f| {
                    if precondition_failed(&f) {
                        Stop::Fatal(changed_error(etag))
                    } else {
                        Stop::Again(Again::Refused(f))
                    }
                })?,
        };
        // A server or proxy that ignores If-Match or Range: never spliced, never misplaced.
        if body.etag.as_deref() != Some(etag) || body.size != size {
            return Err(Stop::Fatal(changed_error(etag)));
        }
        if body.from != piece.next() {
            return Err(Stop::Fatal(TransferError::RangeIgnored));
        }
        // Small chunks are gathered before they are written; a large one is written as it is.
        let mut buf = Vec::with_capacity(WRITE_BUFFER);
        let mut at = piece.next();
        let mut write_out = |buf: &[u8], at: &mut u64, wrote: &mut u64| -> Result<(), Stop> {
            if buf.is_empty() {
                return Ok(());
            }
            write_at(self.file, buf, *at).map_err(|e| Stop::Fatal(e.into()))?;
            let n = buf.len() as u64;
            {
                let mut shared = lock(shared);
                if crc.is_none() {
                    // The checksum's answer came while the part was under way: its CRCs
                    // start here, and only the bytes before are read back at the end.
                    *crc = shared.crcs.start_at(*at);
                }
                shared.wrote(n);
            }
            if let Some(crc) = crc.as_mut() {
                crc.update(buf);
            }
            *at += n;
            *wrote += n;
            Ok(())
        };
        loop {
            match body.next().await {
                Some(Ok(bytes)) => {
                    // Never past the part's end: the next part's bytes are its own.
                    if at + (buf.len() + bytes.len()) as u64 > piece.end {
                        return Err(Stop::Fatal(TransferError::TooLong(size)));
                    }
                    if buf.is_empty() && bytes.len() >= WRITE_BUFFER {
                        write_out(&bytes, &mut at, wrote)?;
                    } else {
                        buf.extend_from_slice(&bytes);
                        if buf.len() >= WRITE_BUFFER {
                            write_out(&buf, &mut at, wrote)?;
                            buf.clear();
                        }
                    }
                    // Ctrl-C, a cancel and the other parts are heard mid-body.
                    tokio::task::yield_now().await;
                }
                None => {
                    write_out(&buf, &mut at, wrote)?;
                    return if at == piece.end {
                        Ok(())
                    } else {
                        Err(Stop::Again(Again::Broke("the answer ended early".into())))
                    };
                }
                Some(Err(failure)) => {
                    write_out(&buf, &mut at, wrote)?;
                    return Err(Stop::Again(Again::Broke(failure.message)));
                }
            }
        }
    }
}

/// Syncs the file, then writes beside it the parts it holds.
fn checkpoint(file: &File, part: &std::path::Path, done: &PartsDone) -> std::io::Result<()> {
    file.sync_data()?;
    super::write_parts_done(part, done)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Writes all of `buf` at `offset` in `file`.
#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

/// Writes all of `buf` at `offset` in `file`.
#[cfg(windows)]
fn write_at(file: &File, mut buf: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, buf, offset)?;
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        buf = &buf[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fake::{FakeStore, OpenStep};
    use super::super::{Listener, PartFile, Renewal, TransferError, save};
    use crate::failure::{AwsFailure, ErrorKind};
    use crate::object::download::{CheckError, PartsDone, Split, Transfer};
    use md5::{Digest as _, Md5};

    /// Counts renewals (each one succeeds) and the word that requests went through, in order.
    #[derive(Default)]
    struct Renewals(Vec<String>);

    impl Renewal for Renewals {
        async fn renewed(&mut self, failure: AwsFailure) -> Result<(), AwsFailure> {
            self.0.push(failure.code.unwrap_or_default());
            Ok(())
        }

        fn progressed(&mut self) {
            self.0.push("progressed".into());
        }
    }

    impl Renewals {
        /// The renewals alone.
        fn renewed(&self) -> Vec<&str> {
            self.0
                .iter()
                .map(String::as_str)
                .filter(|s| *s != "progressed")
                .collect()
        }
    }

    /// What the download told its listener.
    #[derive(Default)]
    struct Heard {
        resumes: Vec<(u64, String)>,
        last: u64,
        /// Progress told: once for each write to the file.
        told: usize,
    }

    impl Listener for Heard {
        fn progressed(&mut self, transfer: &Transfer) {
            assert!(transfer.received >= self.last, "progress only grows");
            self.last = transfer.received;
            self.told += 1;
        }

        fn resuming(&mut self, received: u64, why: &str) {
            self.resumes.push((received, why.to_string()));
        }
    }

    const SPLIT: Split = Split {
        part_size: 10,
        parallel: 3,
    };

    fn data() -> Vec<u8> {
        (0..95u8).collect()
    }

    fn md5_etag(bytes: &[u8]) -> String {
        format!("\"{:x}\"", Md5::digest(bytes))
    }

    /// Downloads the fake store's object with `split` into a new file; the outcome, the bytes
    /// written, the renewals and what was heard.
    async fn run(
        store: &FakeStore,
        split: Split,
    ) -> (Result<u64, TransferError>, Vec<u8>, Renewals, Heard) {
        run_listed(store, split, None).await
    }

    /// [`run`], of an object a listing said is `listed` bytes.
    async fn run_listed(
        store: &FakeStore,
        split: Split,
        listed: Option<u64>,
    ) -> (Result<u64, TransferError>, Vec<u8>, Renewals, Heard) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.bin");
        let mut file = PartFile::create(&path).unwrap();
        let (mut renewals, mut heard) = (Renewals::default(), Heard::default());
        let result = save(
            store,
            (super::super::Source::latest("b", "o.bin"), listed),
            &mut file,
            split,
            &mut renewals,
            &mut heard,
        )
        .await;
        std::io::Write::flush(file.writer()).unwrap();
        let written = std::fs::read(file.part()).unwrap();
        (result, written, renewals, heard)
    }

    fn expired() -> OpenStep {
        OpenStep::Fail(AwsFailure::new(
            ErrorKind::ExpiredToken,
            Some("ExpiredToken"),
            "The provided token has expired.",
        ))
    }

    #[tokio::test(start_paused = true)]
    async fn every_part_is_asked_once_with_its_range_and_the_first_etag_and_written_in_place() {
        let data = data();
        let etag = md5_etag(&data);
        let store = FakeStore::new(data.clone(), &etag, []);
        let (result, written, renewals, heard) = run(&store, SPLIT).await;
        assert_eq!(result.unwrap(), 95);
        assert_eq!(written, data, "each part at its offset");
        assert_eq!(heard.last, 95);
        assert!(renewals.renewed().is_empty() && heard.resumes.is_empty());
        assert_eq!(
            store.most_at_once.load(std::sync::atomic::Ordering::SeqCst),
            3,
            "parallel at once, no more"
        );
        let mut asked = store.asked();
        assert_eq!(
            asked[0],
            (0, Some(9), None),
            "the first part tells the size and ETag"
        );
        asked.sort();
        let expected: Vec<_> = std::iter::once((0, Some(9), None))
            .chain((1..10).map(|i| (i * 10, Some((i * 10 + 9).min(94)), Some(etag.clone()))))
            .collect();
        assert_eq!(asked, expected);
        // Two at once: after the first part, pieces of two parts (two or more a stream).
        let store = FakeStore::new(data.clone(), &etag, []);
        let two = Split {
            parallel: 2,
            ..SPLIT
        };
        let (result, written, ..) = run(&store, two).await;
        assert_eq!((result.unwrap(), written), (95, data));
        let mut asked: Vec<_> = store
            .asked()
            .into_iter()
            .map(|(from, last, _)| (from, last))
            .collect();
        asked.sort_unstable();
        let ends = [9, 29, 49, 69, 89, 94];
        let expected: Vec<_> = [0, 10, 30, 50, 70, 90]
            .into_iter()
            .zip(ends.map(Some))
            .collect();
        assert_eq!(asked, expected);
    }

    #[tokio::test(start_paused = true)]
    async fn an_object_no_larger_than_a_part_or_one_at_a_time_is_one_stream() {
        let data = data();
        let store = FakeStore::new(data.clone(), &md5_etag(&data), []);
        let split = Split {
            part_size: 95,
            ..SPLIT
        };
        let (result, written, ..) = run(&store, split).await;
        assert_eq!((result.unwrap(), written), (95, data.clone()));
        assert_eq!(store.asked(), [(0, Some(94), None)]);
        let store = FakeStore::new(data.clone(), &md5_etag(&data), []);
        let one = Split {
            parallel: 1,
            ..SPLIT
        };
        let (result, written, ..) = run(&store, one).await;
        assert_eq!((result.unwrap(), written), (95, data));
        assert_eq!(store.asked(), [(0, None, None)], "no range: all of it");
    }

    /// A store of [`data`] under the ETag of other bytes (an MD5 they fail), whose whole
    /// answers carry a CRC32C the bytes match or not.
    fn checked_store(matches: bool, steps: Vec<OpenStep>) -> FakeStore {
        FakeStore::new(data(), &md5_etag(b"other"), steps).checked_whole_by("CRC32C", matches)
    }

    fn is_md5_error(result: &Result<u64, TransferError>) -> bool {
        matches!(result, Err(TransferError::Check(CheckError::Md5 { .. })))
    }

    #[tokio::test(start_paused = true)]
    async fn a_listed_small_object_is_asked_whole_and_checked_by_its_checksum_not_hashed_again() {
        let small = Split {
            part_size: 95,
            ..SPLIT
        };
        // Listed at no more than a part: asked whole, the client's check is the check (the
        // ETag's MD5, which these bytes fail, is not computed), and no HeadObject is needed.
        let store = checked_store(true, vec![]);
        let (result, written, ..) = run_listed(&store, small, Some(95)).await;
        assert_eq!((result.unwrap(), written), (95, data()));
        assert_eq!(store.asked(), [(0, None, None)]);
        assert!(store.checksum_asked.lock().unwrap().is_empty());
        // Bytes that do not match it: corrupt, named by the checksum.
        let store = checked_store(false, vec![]);
        let (result, ..) = run_listed(&store, small, Some(95)).await;
        let Err(TransferError::Check(e @ CheckError::Checksum { .. })) = result else {
            panic!("{result:?}");
        };
        assert_eq!(
            e.to_string(),
            format!(
                "the bytes do not match the object's CRC32C checksum S3 keeps (its ETag {}); the download is corrupt",
                md5_etag(b"other")
            )
        );
        // Not listed: the first part's range, which carries no checksum, so the MD5 is the
        // check (and fails); listed larger than a part: in parts, as before.
        let store = checked_store(true, vec![]);
        let (result, ..) = run_listed(&store, small, None).await;
        assert!(is_md5_error(&result), "{result:?}");
        assert_eq!(store.asked(), [(0, Some(94), None)]);
        let store = checked_store(true, vec![]);
        let (result, ..) = run_listed(&store, small, Some(96)).await;
        assert!(is_md5_error(&result), "{result:?}");
        assert_eq!(store.asked(), [(0, Some(94), None)]);
        // Listed small, answered whole without a checksum: hashed as it comes.
        let store = FakeStore::new(data(), &md5_etag(b"other"), []);
        let (result, ..) = run_listed(&store, small, Some(95)).await;
        assert!(is_md5_error(&result), "{result:?}");
        assert_eq!(store.asked(), [(0, None, None)]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_checked_stream_that_breaks_off_is_read_back_for_its_md5() {
        let small = Split {
            part_size: 95,
            ..SPLIT
        };
        let cut = || {
            vec![OpenStep::Body {
                cut_after: Some(40),
            }]
        };
        // The resumed range carries no checksum: the whole file's MD5 is read back, and
        // these bytes fail it.
        let store = checked_store(true, cut());
        let (result, ..) = run_listed(&store, small, Some(95)).await;
        assert!(is_md5_error(&result), "{result:?}");
        let etag = md5_etag(b"other");
        assert_eq!(
            store.asked(),
            [(0, None, None), (40, None, Some(etag))],
            "resumed where it broke off"
        );
        // Under its own MD5: read back, and saved.
        let data = data();
        let store =
            FakeStore::new(data.clone(), &md5_etag(&data), cut()).checked_whole_by("CRC32C", true);
        let (result, written, ..) = run_listed(&store, small, Some(95)).await;
        assert_eq!((result.unwrap(), written), (95, data));
    }

    #[tokio::test(start_paused = true)]
    async fn a_stream_that_cannot_be_read_back_is_hashed_even_when_checked() {
        for (matches, what) in [(true, "the MD5"), (false, "the checksum")] {
            let store = checked_store(matches, vec![]);
            let mut out = Vec::new();
            let result = super::super::download(
                &store,
                super::super::Source::latest("b", "o.bin"),
                &mut out,
                &mut Renewals::default(),
                &mut Heard::default(),
            )
            .await;
            let caught = match result {
                Err(TransferError::Check(CheckError::Md5 { .. })) => "the MD5",
                Err(TransferError::Check(CheckError::Checksum { .. })) => "the checksum",
                _ => "nothing",
            };
            assert_eq!(caught, what);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn chunks_large_and_small_are_each_written_in_their_place() {
        // Parts of 1 MiB, in chunks of 100 KiB and 300 KiB in turn: a large chunk comes both
        // with bytes gathered before it and without.
        let data: Vec<u8> = (0..3_500_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let store = FakeStore::new(data.clone(), &md5_etag(&data), []).in_chunks(&[
            100 * 1024,
            300 * 1024,
            300 * 1024,
        ]);
        let split = Split {
            part_size: 1024 * 1024,
            parallel: 3,
        };
        let (result, written, _, heard) = run(&store, split).await;
        assert_eq!(result.unwrap(), data.len() as u64);
        assert!(written == data, "byte-identical");
        // Fewer writes than chunks: a small chunk waits for the next one, and the two go out
        // in one write.
        let chunks = store.chunks_sent.load(std::sync::atomic::Ordering::SeqCst);
        assert!(
            heard.told < chunks,
            "{} writes of {chunks} chunks",
            heard.told
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_empty_object_or_a_server_that_ignores_ranges_is_one_stream() {
        // S3 answers a range on an empty object with InvalidRange: it is asked again whole.
        let store = FakeStore::new(Vec::new(), &md5_etag(b""), []);
        let (result, written, ..) = run(&store, SPLIT).await;
        assert_eq!((result.unwrap(), written), (0, Vec::new()));
        assert_eq!(store.asked(), [(0, Some(9), None), (0, None, None)]);
        // All of it in the first answer: streamed as it is, not cut into parts.
        let data = data();
        let store = FakeStore::new(data.clone(), &md5_etag(&data), []).ignoring_ranges();
        let (result, written, ..) = run(&store, SPLIT).await;
        assert_eq!((result.unwrap(), written), (95, data));
        assert_eq!(store.asked().len(), 1, "one request");
    }

    #[tokio::test(start_paused = true)]
    async fn a_cut_part_resumes_where_it_broke_and_a_refusal_renews_once_for_the_round() {
        let data = data();
        let etag = md5_etag(&data);
        // The first part breaks off after 4 bytes (at once); the next GetObject is refused a
        // moment later: the refusal, not the break, decides what the round calls for.
        let store = FakeStore::new(
            data.clone(),
            &etag,
            [OpenStep::Body { cut_after: Some(4) }, expired()],
        );
        let (result, written, renewals, heard) = run(&store, SPLIT).await;
        assert_eq!(result.unwrap(), 95);
        assert_eq!(written, data);
        assert_eq!(renewals.renewed(), ["ExpiredToken"], "one renewal");
        assert_eq!(heard.resumes.len(), 1, "{:?}", heard.resumes);
        let asked = store.asked();
        assert!(
            asked.contains(&(4, Some(9), Some(etag.clone()))),
            "the cut part from byte 4, the same version: {asked:?}"
        );
        assert_eq!(
            asked.len(),
            10 + 2,
            "every part once, the cut and the refused again"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_replaced_object_stops_the_whole_download() {
        let data = data();
        let precondition = AwsFailure {
            status: Some(412),
            ..AwsFailure::new(
                ErrorKind::Other,
                Some("PreconditionFailed"),
                "At least one of the pre-conditions you specified did not hold",
            )
        };
        let etag = md5_etag(&data);
        let store = FakeStore::new(
            data,
            &etag,
            [
                OpenStep::Body { cut_after: None },
                OpenStep::Fail(precondition),
            ],
        );
        let (result, _, renewals, _) = run(&store, SPLIT).await;
        assert!(
            matches!(result, Err(TransferError::Check(CheckError::Changed { etag: ref was })) if *was == etag),
            "{result:?}"
        );
        assert!(
            renewals.0.is_empty(),
            "no credentials mend a replaced object"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_part_answered_under_another_etag_stops_the_download() {
        let data = data();
        let etag = md5_etag(&data);
        // A proxy that ignores If-Match: the second part comes from a replaced object.
        let store = FakeStore::new(
            data,
            &etag,
            [OpenStep::Body { cut_after: None }, OpenStep::Replaced],
        );
        let (result, ..) = run(&store, SPLIT).await;
        assert!(
            matches!(result, Err(TransferError::Check(CheckError::Changed { etag: ref was })) if *was == etag),
            "{result:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn requests_that_went_through_are_told_after_the_round_that_had_bytes_only() {
        let data: Vec<u8> = (0..25).collect();
        // No byte in the first round: the first part breaks at once, the others are refused.
        let store = FakeStore::new(
            data.clone(),
            &md5_etag(&data),
            [OpenStep::Body { cut_after: Some(0) }, expired(), expired()],
        );
        let (result, written, renewals, _) = run(&store, SPLIT).await;
        assert_eq!((result.unwrap(), written), (25, data));
        assert_eq!(renewals.0, ["ExpiredToken", "progressed"]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_single_part_objects_md5_is_checked_once_every_part_is_in() {
        let data = data();
        let wrong = md5_etag(b"something else");
        let store = FakeStore::new(data.clone(), &wrong, []);
        let (result, ..) = run(&store, SPLIT).await;
        assert!(
            matches!(result, Err(TransferError::Check(CheckError::Md5 { ref etag })) if *etag == wrong),
            "{result:?}"
        );
        // A multipart object's ETag is no MD5: size and ETag only.
        let store = FakeStore::new(data.clone(), "\"0123456789abcdef0123456789abcdef-2\"", []);
        assert_eq!(run(&store, SPLIT).await.0.unwrap(), 95);
        // Nor is an encrypted one's (SSE-KMS, SSE-C), though it looks like one: in parts and
        // in one stream alike.
        let store = FakeStore::new(data.clone(), &wrong, []).encrypted();
        assert_eq!(run(&store, SPLIT).await.0.unwrap(), 95);
        let one = Split {
            parallel: 1,
            ..SPLIT
        };
        let store = FakeStore::new(data, &wrong, []).encrypted();
        assert_eq!(run(&store, one).await.0.unwrap(), 95);
    }

    #[tokio::test(start_paused = true)]
    async fn an_object_without_an_md5_is_checked_against_the_checksum_s3_keeps() {
        use crate::object::upload::PartSums;
        let data = data();
        let etag = "\"0123456789abcdef0123456789abcdef-4\"";
        // Put in 4 parts of 30 bytes (the last of 5): a composite CRC32C.
        let crcs: Vec<u8> = data
            .chunks(30)
            .flat_map(|c| PartSums::of(c).crc32c.to_be_bytes())
            .collect();
        let composite = format!("{}-4", PartSums::of(&crcs).checksum());
        let store =
            FakeStore::new(data.clone(), etag, []).with_checksum(("CRC32C", &composite), 30);
        let (result, written, ..) = run(&store, SPLIT).await;
        assert_eq!(result.unwrap(), 95);
        assert_eq!(written, data);
        assert_eq!(*store.checksum_asked.lock().unwrap(), [etag]);
        // The same checksum, other bytes under the same ETag: corrupt, and said so.
        let mut other = data.clone();
        other[50] ^= 1;
        let store =
            FakeStore::new(other.clone(), etag, []).with_checksum(("CRC32C", &composite), 30);
        let (result, ..) = run(&store, SPLIT).await;
        assert!(
            matches!(result, Err(TransferError::Check(CheckError::Checksum { ref checksum, etag: ref was }))
                if checksum == "CRC32C of 4 parts" && was == etag),
            "{result:?}"
        );
        // Put in parts of the download's own (10 bytes): the parts that start once the
        // checksum is known take their CRCs as their bytes come, the first round's are read
        // back; a part cut and resumed goes on with its CRC.
        let crcs: Vec<u8> = data
            .chunks(10)
            .flat_map(|c| PartSums::of(c).crc32c.to_be_bytes())
            .collect();
        let aligned = format!("{}-10", PartSums::of(&crcs).checksum());
        let cut = (0..6).map(|i| OpenStep::Body {
            cut_after: (i == 4).then_some(3),
        });
        let store = FakeStore::new(data.clone(), etag, cut).with_checksum(("CRC32C", &aligned), 10);
        let (result, written, _, heard) = run(&store, SPLIT).await;
        assert_eq!(result.unwrap(), 95);
        assert_eq!(written, data);
        assert_eq!(heard.resumes.len(), 1, "{:?}", heard.resumes);
        let mut last = data.clone();
        last[94] ^= 1;
        let store = FakeStore::new(last.clone(), etag, []).with_checksum(("CRC32C", &aligned), 10);
        assert!(matches!(
            run(&store, SPLIT).await.0,
            Err(TransferError::Check(CheckError::Checksum { ref checksum, .. })) if checksum == "CRC32C of 10 parts"
        ));
        // An encrypted object's checksum of every byte.
        let whole = PartSums::of(&data).checksum();
        let wrong = md5_etag(b"not its MD5");
        let store = FakeStore::new(data.clone(), &wrong, [])
            .encrypted()
            .with_checksum(("CRC32C", &whole), 30);
        assert_eq!(run(&store, SPLIT).await.0.unwrap(), 95);
        let store = FakeStore::new(other, &wrong, [])
            .encrypted()
            .with_checksum(("CRC32C", &whole), 30);
        assert!(matches!(
            run(&store, SPLIT).await.0,
            Err(TransferError::Check(CheckError::Checksum { .. }))
        ));
        // One stream (parallel 1, or an object no larger than a part) is read back once it
        // is in, against the same checksum.
        let one = Split {
            parallel: 1,
            ..SPLIT
        };
        let whole_part = Split {
            part_size: 100,
            ..SPLIT
        };
        for split in [one, whole_part] {
            let store =
                FakeStore::new(data.clone(), etag, []).with_checksum(("CRC32C", &composite), 30);
            assert_eq!(run(&store, split).await.0.unwrap(), 95, "{split:?}");
            assert_eq!(*store.checksum_asked.lock().unwrap(), [etag]);
            let store =
                FakeStore::new(last.clone(), etag, []).with_checksum(("CRC32C", &composite), 30);
            assert!(
                matches!(
                    run(&store, split).await.0,
                    Err(TransferError::Check(CheckError::Checksum { .. }))
                ),
                "{split:?}"
            );
        }
        // The checksum's HeadObject refused: the download stands, checked by size and ETag;
        // answered 412, the object was replaced meanwhile.
        let denied =
            AwsFailure::from_service(Some("AccessDenied"), Some("Access Denied"), Some(403));
        let store = FakeStore::new(last.clone(), etag, [])
            .with_checksum(("CRC32C", &composite), 30)
            .failing_checksum(denied);
        assert_eq!(run(&store, SPLIT).await.0.unwrap(), 95);
        let replaced = AwsFailure::from_service(Some("PreconditionFailed"), None, Some(412));
        let store = FakeStore::new(data.clone(), etag, [])
            .with_checksum(("CRC32C", &composite), 30)
            .failing_checksum(replaced);
        assert!(matches!(
            run(&store, SPLIT).await.0,
            Err(TransferError::Check(CheckError::Changed { .. }))
        ));
        // An object checked by its MD5 needs no checksum: none is asked.
        for split in [SPLIT, one, whole_part] {
            let store = FakeStore::new(data.clone(), &md5_etag(&data), []);
            assert_eq!(run(&store, split).await.0.unwrap(), 95);
            assert!(store.checksum_asked.lock().unwrap().is_empty());
        }
    }

    /// The composite CRC32C of `data` put in parts of `part` bytes, as S3 answers it.
    fn composite_of(data: &[u8], part: usize) -> String {
        use crate::object::upload::PartSums;
        let crcs: Vec<u8> = data
            .chunks(part)
            .flat_map(|c| PartSums::of(c).crc32c.to_be_bytes())
            .collect();
        format!(
            "{}-{}",
            PartSums::of(&crcs).checksum(),
            data.chunks(part).count()
        )
    }

    #[tokio::test(start_paused = true)]
    async fn pieces_of_several_parts_are_checked_against_any_parts_composite() {
        let data = data();
        let etag = "\"0123456789abcdef0123456789abcdef-4\"";
        let mut last = data.clone();
        last[94] ^= 1;
        // Two at once: pieces of 20 bytes after the first 10, over parts of 30, 10 and 7.
        let two = Split {
            parallel: 2,
            ..SPLIT
        };
        for part in [30, 10, 7] {
            let value = composite_of(&data, part);
            let size = part as u64;
            let store =
                FakeStore::new(data.clone(), etag, []).with_checksum(("CRC32C", &value), size);
            assert_eq!(run(&store, two).await.0.unwrap(), 95, "{part}");
            let store =
                FakeStore::new(last.clone(), etag, []).with_checksum(("CRC32C", &value), size);
            assert!(
                matches!(
                    run(&store, two).await.0,
                    Err(TransferError::Check(CheckError::Checksum { .. }))
                ),
                "{part}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn no_part_waits_for_the_checksums_answer_and_what_came_before_it_is_read_back() {
        use std::time::Duration;
        let data = data();
        let etag = "\"0123456789abcdef0123456789abcdef-4\"";
        let value = composite_of(&data, 30);
        // A byte changed early and one late: the answer comes after the first, or after all.
        for at in [3, 94] {
            let mut bad = data.clone();
            bad[at] ^= 1;
            for after in [30, 10_000] {
                for (bytes, ok) in [(&data, true), (&bad, false)] {
                    let store = FakeStore::new(bytes.clone(), etag, [])
                        .with_checksum(("CRC32C", &value), 30)
                        .answering_checksum_after(Duration::from_millis(after));
                    let began = tokio::time::Instant::now();
                    let result = run(&store, SPLIT).await.0;
                    assert_eq!(result.is_ok(), ok, "byte {at}, {after} ms: {result:?}");
                    let at = store.asked_at.lock().unwrap().clone();
                    let last = at.iter().map(|(_, when)| *when - began).max().unwrap();
                    assert!(last < Duration::from_millis(200), "{after} ms: {at:?}");
                }
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn parts_that_keep_breaking_give_up_after_the_most_resumes() {
        let data = data();
        let cuts = (0..40).map(|_| OpenStep::Body { cut_after: Some(2) });
        let store = FakeStore::new(data.clone(), &md5_etag(&data), cuts);
        let (result, _, _, heard) = run(&store, SPLIT).await;
        assert!(
            matches!(result, Err(TransferError::Broke { size: 95, .. })),
            "{result:?}"
        );
        assert_eq!(heard.resumes.len(), super::MAX_RESUMES as usize);
    }

    /// A renewal that gives up: the download stops with the refusal.
    struct GivesUp;

    impl Renewal for GivesUp {
        async fn renewed(&mut self, failure: AwsFailure) -> Result<(), AwsFailure> {
            Err(failure)
        }
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_download_in_parts_reserves_the_whole_file_on_disk_first() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..256 * 1024u32).map(|i| (i % 251) as u8).collect();
        let etag = md5_etag(&data);
        // The first part comes, the next is refused and the renewal gives up: the parts after
        // it are never written, and the .part is kept.
        let store = FakeStore::new(
            data.clone(),
            &etag,
            [OpenStep::Body { cut_after: None }, expired()],
        );
        let split = Split {
            part_size: 64 * 1024,
            parallel: 2,
        };
        let (result, ..) = into_with(dir.path(), &store, &mut GivesUp, split).await;
        assert!(result.is_err(), "{result:?}");
        let meta = std::fs::metadata(dir.path().join("o.bin.part")).unwrap();
        assert_eq!(meta.len(), 256 * 1024);
        assert!(
            meta.blocks() * 512 >= 256 * 1024,
            "every byte's block reserved, the parts not written too: {} bytes",
            meta.blocks() * 512
        );
    }

    /// Downloads the store's object into `dir/o.bin` with `renewal`; the outcome, what was
    /// heard, and whether the earlier `.part` was replaced. A download that went through is
    /// renamed, one that failed leaves what [`super::super::kept_note`] keeps.
    async fn into(
        dir: &std::path::Path,
        store: &FakeStore,
        renewal: &mut impl Renewal,
    ) -> (Result<u64, TransferError>, Heard, bool) {
        into_with(dir, store, renewal, SPLIT).await
    }

    async fn into_with(
        dir: &std::path::Path,
        store: &FakeStore,
        renewal: &mut impl Renewal,
        split: Split,
    ) -> (Result<u64, TransferError>, Heard, bool) {
        let path = dir.join("o.bin");
        let mut file = PartFile::create(&path).unwrap();
        let replaced = file.replaced_leftover();
        let mut heard = Heard::default();
        let result = save(
            store,
            (super::super::Source::latest("b", "o.bin"), None),
            &mut file,
            split,
            renewal,
            &mut heard,
        )
        .await;
        let part = file.part().to_path_buf();
        match &result {
            Ok(_) => file.finish().unwrap(),
            Err(e) => drop(super::super::kept_note(e.to_string(), &part)),
        }
        (result, heard, replaced)
    }

    #[tokio::test(start_paused = true)]
    async fn a_download_that_stops_short_keeps_its_parts_and_the_next_one_asks_only_for_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let data = data();
        let etag = md5_etag(&data);
        let part = dir.path().join("o.bin.part");
        let beside = dir.path().join("o.bin.part.sts3");
        // Parts 0 and 1 come whole; part 2 is refused and the renewal gives up.
        let body = || OpenStep::Body { cut_after: None };
        let store = FakeStore::new(data.clone(), &etag, [body(), body(), expired()]);
        let (result, ..) = into(dir.path(), &store, &mut GivesUp).await;
        assert!(
            matches!(result, Err(TransferError::Object(_))),
            "{result:?}"
        );
        assert!(part.is_file(), "the .part is kept");
        let kept = PartsDone::parse(&std::fs::read_to_string(&beside).unwrap()).unwrap();
        assert_eq!(
            (kept.etag.as_str(), kept.size, kept.cut.first, kept.cut.step),
            (etag.as_str(), 95, 10, 10)
        );
        // The parts that came whole before the refusal was heard: 0 and 1 at least, never 2.
        assert!(
            kept.done.starts_with(&[0, 1]) && !kept.done.contains(&2),
            "{kept:?}"
        );
        // The next download of the object: only the other parts are asked for (after the
        // first, which tells the size and ETag), and the file is whole. It has fewer streams,
        // which alone would cut the object in pieces of 20 bytes: the record's cut goes on.
        let store = FakeStore::new(data.clone(), &etag, []);
        let two = Split {
            parallel: 2,
            ..SPLIT
        };
        assert_eq!(two.cut(95).step, 20);
        let (result, heard, replaced) =
            into_with(dir.path(), &store, &mut Renewals::default(), two).await;
        assert_eq!(result.unwrap(), 95);
        assert!(!replaced, "resumed, not replaced");
        assert_eq!(std::fs::read(dir.path().join("o.bin")).unwrap(), data);
        let mut asked: Vec<u64> = store.asked().iter().map(|(from, ..)| *from).collect();
        asked.sort_unstable();
        let others = (1..10usize).filter(|i| !kept.done.contains(i));
        let expected: Vec<u64> = std::iter::once(0)
            .chain(others.map(|i| 10 * i as u64))
            .collect();
        assert_eq!(asked, expected);
        assert_eq!(
            heard.resumes,
            [(
                10 * kept.done.len() as u64,
                format!(
                    "{}: an earlier download left {} of 10 parts",
                    part.display(),
                    kept.done.len()
                )
            )]
        );
        assert_eq!(heard.last, 95);
        assert!(
            !part.exists() && !beside.exists(),
            "nothing left beside the file"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn what_was_kept_of_another_version_is_not_used_and_a_torn_record_starts_over() {
        let dir = tempfile::tempdir().unwrap();
        let old = data();
        let body = || OpenStep::Body { cut_after: None };
        let store = FakeStore::new(old.clone(), &md5_etag(&old), [body(), body(), expired()]);
        let _ = into(dir.path(), &store, &mut GivesUp).await;
        // The object was replaced since: every part is asked for, none of the old bytes stay.
        // Its record says another cut than this download's (pieces of 30): not that one
        // either.
        let beside = dir.path().join("o.bin.part.sts3");
        let record = std::fs::read_to_string(&beside).unwrap();
        std::fs::write(&beside, record.replace("step 10", "step 30")).unwrap();
        let new: Vec<u8> = (100..195u8).collect();
        let store = FakeStore::new(new.clone(), &md5_etag(&new), []);
        let (result, heard, _) = into(dir.path(), &store, &mut Renewals::default()).await;
        assert_eq!(result.unwrap(), 95);
        assert_eq!(std::fs::read(dir.path().join("o.bin")).unwrap(), new);
        let mut asked: Vec<u64> = store.asked().iter().map(|(from, ..)| *from).collect();
        asked.sort_unstable();
        assert_eq!(asked, (0..10).map(|i| i * 10).collect::<Vec<_>>());
        assert!(heard.resumes.is_empty());
        // A .part whose record is torn is replaced, as any leftover.
        std::fs::write(dir.path().join("o.bin.part"), b"junk").unwrap();
        std::fs::write(
            dir.path().join("o.bin.part.sts3"),
            b"sts3 download in parts 2\netag",
        )
        .unwrap();
        let store = FakeStore::new(new.clone(), &md5_etag(&new), []);
        let (result, _, replaced) = into(dir.path(), &store, &mut Renewals::default()).await;
        assert_eq!(result.unwrap(), 95);
        assert!(replaced);
        assert_eq!(std::fs::read(dir.path().join("o.bin")).unwrap(), new);
        assert!(!dir.path().join("o.bin.part.sts3").exists());
    }

    #[tokio::test(start_paused = true)]
    async fn what_was_kept_of_another_version_is_not_kept_again_by_a_download_that_fails() {
        let dir = tempfile::tempdir().unwrap();
        let old = data();
        let body = || OpenStep::Body { cut_after: None };
        let store = FakeStore::new(old.clone(), &md5_etag(&old), [body(), body(), expired()]);
        let _ = into(dir.path(), &store, &mut GivesUp).await;
        assert!(dir.path().join("o.bin.part.sts3").exists());
        // The object was replaced, and this download fails before a part of it is whole: the
        // old record is no reason to keep the file.
        let new: Vec<u8> = (100..195u8).collect();
        let cut = OpenStep::Body { cut_after: Some(5) };
        let store = FakeStore::new(new.clone(), &md5_etag(&new), [cut, expired(), expired()]);
        let (result, ..) = into(dir.path(), &store, &mut GivesUp).await;
        assert!(
            matches!(result, Err(TransferError::Object(_))),
            "{result:?}"
        );
        assert!(!dir.path().join("o.bin.part").exists());
        assert!(!dir.path().join("o.bin.part.sts3").exists());
    }

    #[tokio::test(start_paused = true)]
    async fn a_download_that_has_nothing_whole_or_changed_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let data = data();
        // The first part breaks off and the renewal gives up before any part is whole.
        let store = FakeStore::new(data.clone(), &md5_etag(&data), [expired()]);
        let (result, ..) = into(dir.path(), &store, &mut GivesUp).await;
        assert!(result.is_err());
        assert!(!dir.path().join("o.bin.part").exists());
        // The object changed mid-way: nothing is kept for a next time either.
        let body = || OpenStep::Body { cut_after: None };
        let store = FakeStore::new(
            data.clone(),
            &md5_etag(&data),
            [body(), body(), OpenStep::Replaced],
        );
        let (result, ..) = into(dir.path(), &store, &mut Renewals::default()).await;
        assert!(matches!(result, Err(TransferError::Check(_))), "{result:?}");
        assert!(!dir.path().join("o.bin.part").exists());
        assert!(!dir.path().join("o.bin.part.sts3").exists());
    }
}
