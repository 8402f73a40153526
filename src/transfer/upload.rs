//! The upload engine `sts3 put` and the TUI use: a file up to one part in one PutObject, a
//! larger one as a multipart upload whose parts go `parallel` at once, each with its CRC32C
//! for S3 to check, and each part's and the whole object's checksum checked against what S3
//! answers.
//! A part that fails does not start the upload over: once new credentials are in place (or the
//! connection is back), `ListParts` says which parts S3 holds and only the others are sent,
//! signed with whatever credentials are in use then. An upload that cannot finish is aborted,
//! so S3 keeps no parts nobody will complete (and when even that fails, the error says how to
//! remove them). A file that changes while it is read is never stored torn.

use super::{MAX_RESUMES, Renewal};
use crate::aws::{Multipart, SentPart, Stored, UploadId};
use crate::failure::AwsFailure;
use crate::object::upload::{
    Mismatch, PartPlan, PartSums, PlanError, Whole, md5_etag, parts_held, same_etag,
};
use bytes::Bytes;
use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use thiserror::Error;
use tokio::sync::Semaphore;

/// What to put, and where.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a Path,
    pub bucket: &'a str,
    pub key: &'a str,
    pub content_type: &'a str,
}

/// How to put it.
#[derive(Debug, Clone)]
pub struct Options {
    /// Bytes a part holds (grown as S3's 10,000-part limit needs); a file no larger goes in
    /// one PutObject.
    pub part_size: u64,
    /// Never over an existing key (`If-None-Match: *` on the PutObject or the completion).
    pub only_new: bool,
    /// Requests in flight at once, shared by every upload holding it: each part holds a permit
    /// while it is read and sent, so memory stays within `permits × part size`.
    pub gate: Arc<Semaphore>,
}

/// How an upload ended, when it did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// The object is stored, in this many parts (1: a single PutObject), with the ETag S3
    /// answered.
    Stored { parts: u32, etag: Option<String> },
    /// The key exists and `only_new` kept it.
    Exists,
}

#[derive(Debug, Error)]
pub enum UploadError {
    /// S3 refused or failed a request.
    #[error("{0}")]
    Object(AwsFailure),
    #[error("cannot read {path}: {why}")]
    Read { path: String, why: String },
    #[error(
        "{path} changed while it was being uploaded ({what}); nothing was stored: upload it again once it is finished"
    )]
    Changed { path: String, what: &'static str },
    #[error("{0}")]
    Plan(#[from] PlanError),
    #[error("{0}; the object may be damaged: upload it again")]
    Mismatch(#[from] Mismatch),
    #[error(
        "the upload broke off {MAX_RESUMES} times ({why}); gave up with {held} of {count} parts sent"
    )]
    Broke { why: String, held: u32, count: u32 },
    /// The upload failed and aborting it failed too: S3 still holds its parts.
    #[error(
        "{error}; and S3 still holds the parts sent (aborting failed: {why}): sts3 uploads --abort s3://{}/{} removes them",
        upload.bucket,
        crate::escape::printable(&upload.key)
    )]
    Unaborted {
        error: Box<UploadError>,
        upload: Box<UploadId>,
        why: Box<AwsFailure>,
    },
}

/// What the caller hears as the upload goes on.
pub trait UploadListener {
    /// A multipart upload began: S3 holds parts under `upload` until it is completed or
    /// aborted (a caller stopped midway aborts it).
    fn started(&mut self, _upload: &UploadId) {}
    /// `bytes` more are stored.
    fn sent(&mut self, bytes: u64);
    /// A round of parts failed for `why`; `held` of `count` parts are stored, the others are
    /// sent again.
    fn resuming(&mut self, _why: &str, _held: u32, _count: u32) {}
    /// The multipart upload `upload` is completed or aborted.
    fn finished(&mut self, _upload: &UploadId) {}
}

/// A file's size and time of change, compared before and after it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Result<Self, UploadError> {
        let meta = std::fs::metadata(path).map_err(|e| read_error(path, &e))?;
        Ok(Self {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }

    /// The file is as it was, or how it changed.
    fn unchanged(&self, path: &Path) -> Result<(), UploadError> {
        let now = Self::of(path)?;
        let what = if now.len != self.len {
            "its size"
        } else if now.modified != self.modified {
            "its time of change"
        } else {
            return Ok(());
        };
        Err(UploadError::Changed {
            path: path.display().to_string(),
            what,
        })
    }
}

fn read_error(path: &Path, e: &std::io::Error) -> UploadError {
    UploadError::Read {
        path: path.display().to_string(),
        why: e.to_string(),
    }
}

/// `len` bytes of the file from `from`; fewer means it shrank.
///
/// The bytes live in an anonymous mapping of their own, given back to the system as soon as
/// the part is sent. In the allocator's heap, glibc would keep each freed multi-MiB buffer
/// for reuse (its mmap threshold rises with the first one freed), and a 1 GiB upload peaked
/// at about twice `parallel × part size`.
async fn read_part(path: &Path, from: u64, len: u64) -> Result<Bytes, UploadError> {
    if len == 0 {
        return Ok(Bytes::new());
    }
    let owned = path.to_path_buf();
    let size = usize::try_from(len).map_err(|e| read_error(path, &std::io::Error::other(e)))?;
    let (buf, filled) = tokio::task::spawn_blocking(move || {
        use std::io::{Read as _, Seek as _};
        let mut file = std::fs::File::open(&owned)?;
        file.seek(std::io::SeekFrom::Start(from))?;
        let mut buf = memmap2::MmapMut::map_anon(size)?;
        let mut filled = 0;
        while filled < size {
            match file.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok::<_, std::io::Error>((buf, filled))
    })
    .await
    .map_err(|e| read_error(path, &std::io::Error::other(e)))?
    .map_err(|e| read_error(path, &e))?;
    if filled < size {
        return Err(UploadError::Changed {
            path: path.display().to_string(),
            what: "it is shorter",
        });
    }
    Ok(Bytes::from_owner(buf))
}

/// The `Content-Type` of a file, guessed from its name (`application/octet-stream` when the
/// name says nothing).
pub fn content_type(path: &Path) -> String {
    mime_guess::from_path(path)
        .first_or_octet_stream()
        .to_string()
}

/// Puts the file at `source.path` as `source.key`.
pub async fn upload(
    s3: &dyn Multipart,
    source: Source<'_>,
    options: &Options,
    renewal: &mut impl Renewal,
    listener: &mut impl UploadListener,
) -> Result<Sent, UploadError> {
    let stamp = Stamp::of(source.path)?;
    let plan = PartPlan::new(stamp.len, options.part_size)?;
    if plan.is_single() {
        return single(s3, source, &stamp, options, renewal, listener).await;
    }
    let id = retried(renewal, || {
        s3.create_upload(source.bucket, source.key, source.content_type)
    })
    .await
    .map_err(UploadError::Object)?;
    let upload = UploadId {
        bucket: source.bucket.to_string(),
        key: source.key.to_string(),
        id,
    };
    listener.started(&upload);
    let parts = Parts {
        s3,
        upload: &upload,
        path: source.path,
        plan,
        gate: &options.gate,
    };
    let result = parts
        .send_and_complete(&stamp, options.only_new, renewal, listener)
        .await;
    if matches!(result, Ok(Sent::Stored { .. })) {
        listener.finished(&upload);
        return result;
    }
    match retried(renewal, || s3.abort_upload(&upload)).await {
        Ok(()) => {
            listener.finished(&upload);
            result
        }
        Err(why) => Err(UploadError::Unaborted {
            error: Box::new(result.err().unwrap_or(UploadError::Object(why.clone()))),
            upload: Box::new(upload),
            why: Box::new(why),
        }),
    }
}

/// One PutObject of the whole file, read at once.
async fn single(
    s3: &dyn Multipart,
    source: Source<'_>,
    stamp: &Stamp,
    options: &Options,
    renewal: &mut impl Renewal,
    listener: &mut impl UploadListener,
) -> Result<Sent, UploadError> {
    // Held while the body is in memory, read and sent, as a part's is.
    let _permit = options.gate.acquire().await;
    let body = read_part(source.path, 0, stamp.len).await?;
    stamp.unchanged(source.path)?;
    let sums = PartSums::of(&body);
    let checksum = sums.checksum();
    let put = retried(renewal, || {
        s3.put_bytes(
            source.bucket,
            source.key,
            source.content_type,
            body.clone(),
            &checksum,
            options.only_new,
        )
    })
    .await;
    match put {
        Ok(stored) => {
            sums.check(stored.checksum.as_deref())?;
            listener.sent(sums.len);
            Ok(Sent::Stored {
                parts: 1,
                etag: stored.etag,
            })
        }
        Err(f) if f.is_precondition_failed() => Ok(Sent::Exists),
        Err(f) => Err(UploadError::Object(f)),
    }
}

/// Calls `call` until it answers, with new credentials in between when the renewal finds
/// some; a precondition that failed is the answer (no credentials change it). At most
/// [`MAX_RESUMES`] tries.
pub(crate) async fn retried<T, F, Fut>(
    renewal: &mut impl Renewal,
    mut call: F,
) -> Result<T, AwsFailure>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, AwsFailure>>,
{
    let mut tries = 0;
    loop {
        tries += 1;
        match call().await {
            Ok(v) => return Ok(v),
            Err(f) if f.is_precondition_failed() || tries > MAX_RESUMES => return Err(f),
            Err(f) if f.is_transient() => pause(tries).await,
            Err(f) => renewal.renewed(f).await?,
        }
    }
}

/// A moment before trying again after passing trouble (the SDK has already retried).
async fn pause(tries: u32) {
    tokio::time::sleep(Duration::from_millis(500) * tries.min(8)).await;
}

/// The parts of one multipart upload.
struct Parts<'a> {
    s3: &'a dyn Multipart,
    upload: &'a UploadId,
    path: &'a Path,
    plan: PartPlan,
    gate: &'a Semaphore,
}

/// What is known of the parts so far.
struct Progress {
    /// Each part's sums, once it was read (index: number - 1).
    sums: Vec<Option<PartSums>>,
    /// The parts S3 holds, by number.
    sent: BTreeMap<u32, SentPart>,
}

/// How one part went: its number, its sums, S3's answer.
type PartOutcome = (u32, PartSums, Result<Stored, AwsFailure>);

fn no_etag(n: u32) -> AwsFailure {
    AwsFailure::new(
        crate::failure::ErrorKind::BadAnswer,
        None,
        format!("S3 answered part {n} with no ETag"),
    )
}

impl Parts<'_> {
    async fn send_and_complete(
        &self,
        stamp: &Stamp,
        only_new: bool,
        renewal: &mut impl Renewal,
        listener: &mut impl UploadListener,
    ) -> Result<Sent, UploadError> {
        let count = self.plan.count();
        let mut progress = Progress {
            sums: vec![None; count as usize],
            sent: BTreeMap::new(),
        };
        let mut resumes = 0;
        loop {
            let missing: Vec<u32> = (1..=count)
                .filter(|n| !progress.sent.contains_key(n))
                .collect();
            if missing.is_empty() {
                break;
            }
            let before = progress.sent.len();
            let failure = self.round(&missing, &mut progress, listener).await?;
            if progress.sent.len() > before {
                renewal.progressed();
            }
            let Some(failure) = failure else {
                continue;
            };
            resumes += 1;
            if resumes > MAX_RESUMES {
                return Err(UploadError::Broke {
                    why: failure.to_string(),
                    held: held(&progress),
                    count,
                });
            }
            let why = failure.to_string();
            if failure.is_transient() {
                pause(resumes).await;
            } else {
                renewal
                    .renewed(failure)
                    .await
                    .map_err(UploadError::Object)?;
            }
            self.reconcile(&mut progress, renewal).await?;
            listener.resuming(&why, held(&progress), count);
        }
        stamp.unchanged(self.path)?;
        self.complete(&progress, only_new, renewal).await
    }

    /// Sends `missing`, as many at once as the gate lets through; starts no new one after the
    /// first failure S3 answers (the ones in flight finish). That failure, if any.
    async fn round(
        &self,
        missing: &[u32],
        progress: &mut Progress,
        listener: &mut impl UploadListener,
    ) -> Result<Option<AwsFailure>, UploadError> {
        let mut queue = missing.iter().copied();
        let mut running = FuturesUnordered::new();
        let mut failure = None;
        loop {
            // Never more started than could run: a part's bytes are read once its turn comes.
            while failure.is_none() && running.len() < self.gate.available_permits().max(1) {
                let Some(n) = queue.next() else { break };
                running.push(self.part(n));
            }
            let Some(outcome) = running.next().await else {
                return Ok(failure);
            };
            let (n, sums, answer) = outcome?;
            if let Ok(stored) = &answer {
                sums.check(stored.checksum.as_deref())?;
            }
            let stored = answer.and_then(|s| match s.etag {
                Some(etag) => Ok(etag),
                None => Err(no_etag(n)),
            });
            match stored {
                Ok(etag) => {
                    listener.sent(sums.len);
                    progress.sent.insert(
                        n,
                        SentPart {
                            number: n,
                            etag,
                            checksum: sums.checksum(),
                        },
                    );
                }
                Err(f) => {
                    failure.get_or_insert(f);
                }
            }
            progress.sums[n as usize - 1] = Some(sums);
        }
    }

    /// Reads part `n` and sends it, holding a permit of the gate throughout.
    async fn part(&self, n: u32) -> Result<PartOutcome, UploadError> {
        let _permit = self.gate.acquire().await;
        let (from, len) = self.plan.range(n);
        let body = read_part(self.path, from, len).await?;
        let sums = PartSums::of(&body);
        let answer = self
            .s3
            .upload_part(self.upload, n, body, &sums.checksum())
            .await;
        Ok((n, sums, answer))
    }

    /// After a failure: the parts S3 holds that are the bytes sent count as sent (one whose
    /// answer was lost too: its bytes are read again and their MD5 compared with the ETag
    /// listed); every other part is sent again. A session that may not list the parts
    /// (`s3:ListMultipartUploadParts`) goes by the answers it had.
    async fn reconcile(
        &self,
        progress: &mut Progress,
        renewal: &mut impl Renewal,
    ) -> Result<(), UploadError> {
        let listed = match retried(renewal, || self.s3.list_parts(self.upload)).await {
            Ok(listed) => listed,
            Err(f) if f.kind == crate::failure::ErrorKind::AccessDenied => return Ok(()),
            Err(f) => return Err(UploadError::Object(f)),
        };
        let answered = progress
            .sent
            .iter()
            .map(|(n, p)| (*n, p.etag.clone()))
            .collect();
        let (mut held, to_hash) = parts_held(&listed, &progress.sums, &answered);
        for part in listed.iter().filter(|p| to_hash.contains(&p.number)) {
            let (from, len) = self.plan.range(part.number);
            if same_etag(
                &md5_etag(&read_part(self.path, from, len).await?),
                &part.etag,
            ) {
                held.push(part.number);
            }
        }
        progress.sent.retain(|n, _| held.contains(n));
        for part in listed.into_iter().filter(|p| held.contains(&p.number)) {
            let Some(sums) = &progress.sums[part.number as usize - 1] else {
                continue;
            };
            progress
                .sent
                .entry(part.number)
                .or_insert_with(|| SentPart {
                    number: part.number,
                    etag: part.etag,
                    checksum: sums.checksum(),
                });
        }
        Ok(())
    }

    /// CompleteMultipartUpload, and its answer checked against the parts' sums.
    async fn complete(
        &self,
        progress: &Progress,
        only_new: bool,
        renewal: &mut impl Renewal,
    ) -> Result<Sent, UploadError> {
        let parts: Vec<SentPart> = progress.sent.values().cloned().collect();
        let answer = retried(renewal, || {
            self.s3.complete_upload(self.upload, &parts, only_new)
        })
        .await;
        let stored = match answer {
            Ok(stored) => stored,
            Err(f) if f.is_precondition_failed() => return Ok(Sent::Exists),
            Err(f) => return Err(UploadError::Object(f)),
        };
        let sums: Vec<PartSums> = progress.sums.iter().flatten().copied().collect();
        Whole::of(&sums).check(stored.checksum.as_deref())?;
        Ok(Sent::Stored {
            parts: self.plan.count(),
            etag: stored.etag,
        })
    }
}

fn held(progress: &Progress) -> u32 {
    u32::try_from(progress.sent.len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
