//! A scripted object store for the tests of downloads: one object, and what each of its
//! GetObjects does in turn (answer, answer and break off, fail).

use crate::aws::{ObjectBody, ObjectStore};
use crate::failure::{AwsFailure, ErrorKind};
use futures_util::future::BoxFuture;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the scripted store does with one GetObject.
pub(crate) enum OpenStep {
    /// Answers with the object's bytes from where it was asked, cut after `cut_after` of them
    /// (the connection breaks off), or whole.
    Body {
        cut_after: Option<usize>,
    },
    Fail(AwsFailure),
    /// Answers as a proxy that ignores `If-Match` would after the object was replaced: its
    /// bytes under another ETag.
    Replaced,
}

/// One object, and what its GetObjects do in turn.
pub(crate) struct FakeStore {
    data: Vec<u8>,
    etag: String,
    opens: Mutex<VecDeque<OpenStep>>,
    /// (from, to, if_match) of every GetObject.
    pub(crate) asked: Mutex<Vec<Asked>>,
    /// Answers every GetObject whole, from byte 0, as a server that ignores `Range` does.
    ignores_ranges: bool,
    /// Its answers say it is encrypted (SSE-KMS or SSE-C).
    encrypted: bool,
    /// GetObjects waiting for their answer now, and the most there were at once.
    open_now: std::sync::atomic::AtomicUsize,
    pub(crate) most_at_once: std::sync::atomic::AtomicUsize,
    /// The checksums its HeadObject with `ChecksumMode` answers (none unless given), and the
    /// ETags it was asked under.
    checksums: Vec<(String, String)>,
    first_part: Option<u64>,
    /// How its HeadObject with `ChecksumMode` fails, if it does.
    checksum_fails: Option<AwsFailure>,
    pub(crate) checksum_asked: Mutex<Vec<String>>,
    /// How long its HeadObject with `ChecksumMode` takes to answer.
    checksum_after: Duration,
    /// When each GetObject was asked (from where), in the order they were.
    pub(crate) asked_at: Mutex<Vec<(u64, tokio::time::Instant)>>,
    /// The checksum its whole answers carry for the client to check the bytes against, and
    /// whether they match it (else the body ends with the client's failure).
    whole_checksum: Option<(&'static str, bool)>,
    /// The sizes its answers' chunks come in, in turn (4 bytes each unless given).
    chunks: Vec<usize>,
    /// The chunks of bytes its answers held, all told.
    pub(crate) chunks_sent: std::sync::atomic::AtomicUsize,
}

/// Where a GetObject started, where it was to end (inclusive), and its `If-Match`.
pub(crate) type Asked = (u64, Option<u64>, Option<String>);

impl FakeStore {
    /// `data` under `etag`, its GetObjects doing `steps` in turn (then answering whole).
    pub(crate) fn new(
        data: Vec<u8>,
        etag: &str,
        steps: impl IntoIterator<Item = OpenStep>,
    ) -> Self {
        Self {
            data,
            etag: etag.to_string(),
            opens: Mutex::new(steps.into_iter().collect()),
            asked: Mutex::new(Vec::new()),
            ignores_ranges: false,
            encrypted: false,
            open_now: std::sync::atomic::AtomicUsize::new(0),
            most_at_once: std::sync::atomic::AtomicUsize::new(0),
            checksums: Vec::new(),
            first_part: None,
            checksum_fails: None,
            checksum_asked: Mutex::new(Vec::new()),
            checksum_after: Duration::ZERO,
            asked_at: Mutex::new(Vec::new()),
            whole_checksum: None,
            chunks: vec![4],
            chunks_sent: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The same store, whose answers come in chunks of these sizes in turn.
    pub(crate) fn in_chunks(self, sizes: &[usize]) -> Self {
        Self {
            chunks: sizes.to_vec(),
            ..self
        }
    }

    /// The same store, whose whole answers carry its `checksum` for the client to check the
    /// bytes against as they come: they match it, or (`matches` false) the body ends with the
    /// client's failure, as when a bit flipped on the way.
    pub(crate) fn checked_whole_by(self, checksum: &'static str, matches: bool) -> Self {
        Self {
            whole_checksum: Some((checksum, matches)),
            ..self
        }
    }

    /// The same store, whose HeadObject with `ChecksumMode` takes `after` to answer.
    pub(crate) fn answering_checksum_after(self, after: Duration) -> Self {
        Self {
            checksum_after: after,
            ..self
        }
    }

    /// The same store, whose HeadObject with `ChecksumMode` fails with `failure`.
    pub(crate) fn failing_checksum(self, failure: AwsFailure) -> Self {
        Self {
            checksum_fails: Some(failure),
            ..self
        }
    }

    /// The same store, keeping `checksum` (`(algorithm, value)`) of its object, put in parts
    /// of `part_size` bytes when the value ends in `-N`.
    pub(crate) fn with_checksum(self, checksum: (&str, &str), part_size: u64) -> Self {
        Self {
            checksums: vec![(checksum.0.to_string(), checksum.1.to_string())],
            first_part: Some(part_size),
            ..self
        }
    }

    /// The same store, answering as a server that ignores `Range`.
    /// Its answers say it is encrypted with SSE-KMS or SSE-C (its ETag is no MD5).
    pub(crate) fn encrypted(self) -> Self {
        Self {
            encrypted: true,
            ..self
        }
    }

    pub(crate) fn ignoring_ranges(self) -> Self {
        Self {
            ignores_ranges: true,
            ..self
        }
    }

    /// Every GetObject so far.
    pub(crate) fn asked(&self) -> Vec<Asked> {
        self.asked.lock().unwrap().clone()
    }
}

impl ObjectStore for FakeStore {
    fn put<'a>(
        &'a self,
        _bucket: &'a str,
        _key_path: (&'a str, &'a std::path::Path),
        _only_new: bool,
        _part_size: u64,
        _renewing: crate::aws::Renewing,
    ) -> BoxFuture<'a, Result<crate::object::upload::Landed, AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn create_folder<'a>(
        &'a self,
        _bucket: &'a str,
        _key: &'a str,
    ) -> BoxFuture<'a, Result<(), AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn unfinished<'a>(
        &'a self,
        _bucket: &'a str,
        _prefix: &'a str,
    ) -> BoxFuture<'a, Result<Vec<crate::object::upload::Unfinished>, AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn abort_all<'a>(
        &'a self,
        _bucket: &'a str,
        _uploads: &'a [(String, String)],
    ) -> BoxFuture<'a, Vec<(String, AwsFailure)>> {
        Box::pin(async { Vec::new() })
    }

    fn copy_within<'a>(
        &'a self,
        _bucket: &'a str,
        _keys: (&'a str, &'a str),
        _only_new_moving: (bool, bool),
        _part_size: u64,
        _renewing: crate::aws::Renewing,
    ) -> BoxFuture<'a, Result<crate::object::Copied, AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn delete<'a>(
        &'a self,
        _bucket: &'a str,
        _keys: &'a [String],
    ) -> BoxFuture<'a, Result<crate::object::Deleted, AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn stored_checksum<'a>(
        &'a self,
        _src: crate::aws::Source<'a>,
        etag: &'a str,
    ) -> BoxFuture<'a, Result<crate::object::checksum::Answer, AwsFailure>> {
        self.checksum_asked.lock().unwrap().push(etag.to_string());
        // As S3 does: the type of a `-N` checksum is COMPOSITE, and part 1 is asked only then.
        let composite = self.checksums.iter().any(|(_, v)| v.contains('-'));
        let mut answer = crate::object::checksum::Answer {
            checksums: self.checksums.clone(),
            kind: Some(
                if composite {
                    "COMPOSITE"
                } else {
                    "FULL_OBJECT"
                }
                .to_string(),
            ),
            size: self.data.len() as u64,
            first_part: None,
        };
        if answer.of_parts() {
            answer.first_part = self.first_part;
        }
        let failure = self.checksum_fails.clone();
        let after = self.checksum_after;
        Box::pin(async move {
            tokio::time::sleep(after).await;
            failure.map_or(Ok(answer), Err)
        })
    }

    fn head<'a>(
        &'a self,
        _bucket: &'a str,
        _key: &'a str,
        _version: Option<&'a str>,
    ) -> BoxFuture<'a, Result<crate::object::ObjectDetail, AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn first_bytes<'a>(
        &'a self,
        _bucket: &'a str,
        _key: &'a str,
        _version: Option<&'a str>,
        _max_bytes: u64,
    ) -> BoxFuture<'a, Result<(Vec<u8>, u64), AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn open<'a>(
        &'a self,
        _bucket: &'a str,
        _key: &'a str,
        _version: Option<&'a str>,
        from: u64,
        to: Option<u64>,
        if_match: Option<&'a str>,
    ) -> BoxFuture<'a, Result<ObjectBody, AwsFailure>> {
        self.asked
            .lock()
            .unwrap()
            .push((from, to, if_match.map(str::to_string)));
        self.asked_at
            .lock()
            .unwrap()
            .push((from, tokio::time::Instant::now()));
        let step = self.opens.lock().unwrap().pop_front();
        Box::pin(async move {
            use std::sync::atomic::Ordering::SeqCst;
            let now = self.open_now.fetch_add(1, SeqCst) + 1;
            self.most_at_once.fetch_max(now, SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            self.open_now.fetch_sub(1, SeqCst);
            let mut etag = self.etag.clone();
            let cut_after = match step {
                Some(OpenStep::Fail(failure)) => return Err(failure),
                Some(OpenStep::Body { cut_after }) => cut_after,
                Some(OpenStep::Replaced) => {
                    etag = "\"replaced\"".into();
                    None
                }
                None => None,
            };
            let size = self.data.len() as u64;
            if to.is_some() && from >= size {
                // As S3 answers a range with no byte in it (an empty object's, say).
                return Err(AwsFailure::from_service(
                    Some("InvalidRange"),
                    Some("The requested range is not satisfiable"),
                    Some(416),
                ));
            }
            // Only an answer to a GetObject of all of it carries a checksum.
            let checked = self.whole_checksum.filter(|_| (from, to) == (0, None));
            // A server that ignores Range sends all of it from the start.
            let (from, to) = if self.ignores_ranges {
                (0, None)
            } else {
                (from, to)
            };
            let end = to.map_or(size, |to| (to + 1).min(size));
            let rest = &self.data[usize::try_from(from).unwrap()..usize::try_from(end).unwrap()];
            let mut left = &rest[..cut_after.unwrap_or(rest.len()).min(rest.len())];
            let mut chunks: Vec<Result<bytes::Bytes, AwsFailure>> = Vec::new();
            for size in self.chunks.iter().cycle() {
                if left.is_empty() {
                    break;
                }
                let (chunk, after) = left.split_at((*size).min(left.len()));
                chunks.push(Ok(bytes::Bytes::copy_from_slice(chunk)));
                left = after;
            }
            self.chunks_sent.fetch_add(chunks.len(), SeqCst);
            if cut_after.is_some() {
                chunks.push(Err(AwsFailure::new(
                    ErrorKind::Network,
                    None,
                    "connection reset",
                )));
            } else if let Some((_, false)) = checked {
                chunks.push(Err(AwsFailure::new(
                    ErrorKind::BadAnswer,
                    None,
                    "the bytes do not match the object's checksum",
                )));
            }
            let mut body = ObjectBody::of_chunks(size, Some(etag), from, chunks).ending_at(end);
            if let Some((checksum, _)) = checked {
                body = body.checked_by(checksum);
            }
            Ok(if self.encrypted {
                body.encrypted()
            } else {
                body
            })
        })
    }

    fn presign<'a>(
        &'a self,
        _bucket: &'a str,
        _key: &'a str,
        _version: Option<&'a str>,
        _secs: u64,
    ) -> BoxFuture<'a, Result<String, AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn probe<'a>(
        &'a self,
        _bucket: &'a str,
        _probe: &'a crate::access_check::Probe,
    ) -> BoxFuture<'a, Result<(), AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn list_buckets(&self) -> BoxFuture<'_, Result<Vec<String>, AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn restore_object<'a>(
        &'a self,
        _bucket: &'a str,
        _key: &'a str,
        _days: u32,
        _tier: crate::object::archive::Tier,
    ) -> BoxFuture<'a, Result<crate::aws::RestoreAsked, AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn list_versions<'a>(
        &'a self,
        _page: &'a crate::bucket::VersionRequest,
    ) -> BoxFuture<'a, Result<crate::bucket::VersionPage, AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn restore_version<'a>(
        &'a self,
        _bucket: &'a str,
        _key_version: (&'a str, &'a str),
        _undelete: bool,
        _part_size: u64,
    ) -> BoxFuture<'a, Result<(), AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }

    fn put_files<'a>(
        &'a self,
        _bucket: &'a str,
        files: Vec<(String, std::path::PathBuf)>,
        _part_size: u64,
        _renewing: crate::aws::Renewing,
        _sent: Arc<dyn Fn(Option<u64>) + Send + Sync>,
        _stop: crate::aws::Stop,
    ) -> BoxFuture<'a, Vec<(String, Result<crate::object::upload::Landed, AwsFailure>)>> {
        Box::pin(async move {
            files
                .into_iter()
                .map(|(key, _)| {
                    (
                        key,
                        Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")),
                    )
                })
                .collect()
        })
    }

    fn versioning<'a>(
        &'a self,
        _bucket: &'a str,
    ) -> BoxFuture<'a, Result<crate::bucket::Versioning, AwsFailure>> {
        Box::pin(async { Err(AwsFailure::new(ErrorKind::Other, None, "not scripted")) })
    }
}
