//! What the TUI and the download engine ask of S3 besides listing: one object's detail, first
//! bytes, bytes from an offset and a presigned URL, the access check's probes, and the bucket
//! list. [`S3Browser`] is the real one; the runtime's tests put a scripted one in its place, so
//! previews, downloads, presigning, the access check and ListBuckets run on paused time too.

use super::{ObjectBody, S3Browser};
use crate::access_check::Probe;
use crate::failure::AwsFailure;
use crate::object::upload::{Landed, Unfinished};
use crate::object::{Copied, Deleted, ObjectDetail};
use futures_util::future::BoxFuture;

/// S3 for objects and buckets, with the credentials in use.
pub trait ObjectStore: Send + Sync {
    /// HeadObject (of `version`, when given: else the latest).
    fn head<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        version: Option<&'a str>,
    ) -> BoxFuture<'a, Result<ObjectDetail, AwsFailure>>;
    /// The first `max_bytes` of the object, and its size.
    fn first_bytes<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        version: Option<&'a str>,
        max_bytes: u64,
    ) -> BoxFuture<'a, Result<(Vec<u8>, u64), AwsFailure>>;
    /// The object's bytes from `from` (to `to`, inclusive), only while its ETag is `if_match`.
    fn open<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        version: Option<&'a str>,
        from: u64,
        to: Option<u64>,
        if_match: Option<&'a str>,
    ) -> BoxFuture<'a, Result<ObjectBody, AwsFailure>>;
    /// What S3 keeps of the object's checksum while its ETag is `etag` (see
    /// [`S3Browser::stored_checksum`]).
    fn stored_checksum<'a>(
        &'a self,
        src: super::Source<'a>,
        etag: &'a str,
    ) -> BoxFuture<'a, Result<crate::object::checksum::Answer, AwsFailure>>;
    /// A GET URL valid for `secs`.
    fn presign<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        version: Option<&'a str>,
        secs: u64,
    ) -> BoxFuture<'a, Result<String, AwsFailure>>;
    /// One question of the access check.
    fn probe<'a>(
        &'a self,
        bucket: &'a str,
        probe: &'a Probe,
    ) -> BoxFuture<'a, Result<(), AwsFailure>>;
    /// ListBuckets.
    fn list_buckets(&self) -> BoxFuture<'_, Result<Vec<String>, AwsFailure>>;
    /// GetBucketVersioning.
    fn versioning<'a>(
        &'a self,
        bucket: &'a str,
    ) -> BoxFuture<'a, Result<crate::bucket::Versioning, AwsFailure>>;
    /// RestoreObject: a readable copy of an archived object for `days`, at `tier`.
    fn restore_object<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        days: u32,
        tier: crate::object::archive::Tier,
    ) -> BoxFuture<'a, Result<super::RestoreAsked, AwsFailure>>;
    /// One page of ListObjectVersions.
    fn list_versions<'a>(
        &'a self,
        page: &'a crate::bucket::VersionRequest,
    ) -> BoxFuture<'a, Result<crate::bucket::VersionPage, AwsFailure>>;
    /// Makes a version of a key current again (`key_version`: the key and the version id):
    /// `undelete`, its delete marker removed; else a copy of the version over the key (in
    /// parts of `part_size` above 5 GiB).
    fn restore_version<'a>(
        &'a self,
        bucket: &'a str,
        key_version: (&'a str, &'a str),
        undelete: bool,
        part_size: u64,
    ) -> BoxFuture<'a, Result<(), AwsFailure>>;
    /// Puts the local file at `path` as `key` (`only_new`: never over an existing key), in
    /// parts of `part_size` when it is larger, asking `renewing` when a request is refused;
    /// its size and ETag.
    fn put<'a>(
        &'a self,
        bucket: &'a str,
        key_path: (&'a str, &'a std::path::Path),
        only_new: bool,
        part_size: u64,
        renewing: Renewing,
    ) -> BoxFuture<'a, Result<Landed, AwsFailure>>;
    /// Puts each (key, local path), never over an existing key, a few at once, asking
    /// `renewing` when a request is refused, starting none once `stop` is set; `sent` hears
    /// of the bytes as they go and of each file done (`None`). Each file's outcome (an
    /// existing key: `PreconditionFailed`).
    fn put_files<'a>(
        &'a self,
        bucket: &'a str,
        files: Vec<(String, std::path::PathBuf)>,
        part_size: u64,
        renewing: Renewing,
        sent: std::sync::Arc<dyn Fn(Option<u64>) + Send + Sync>,
        stop: Stop,
    ) -> BoxFuture<'a, Vec<(String, Result<Landed, AwsFailure>)>>;
    /// Creates the folder `key` (ending in `/`): a zero-byte object, never over one there.
    fn create_folder<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, Result<(), AwsFailure>>;
    /// ListMultipartUploads, every page: the uploads under `prefix` never completed.
    fn unfinished<'a>(
        &'a self,
        bucket: &'a str,
        prefix: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Unfinished>, AwsFailure>>;
    /// AbortMultipartUpload of each (key, upload id): those S3 refused, each with why.
    fn abort_all<'a>(
        &'a self,
        bucket: &'a str,
        uploads: &'a [(String, String)],
    ) -> BoxFuture<'a, Vec<(String, AwsFailure)>>;
    /// Copies `from` to `to` in `bucket` (`only_new`: never over an existing key, which
    /// answers `PreconditionFailed`), in parts of `part_size` above one CopyObject's 5 GiB;
    /// for a move (`moving`) then deletes `from`. A refused request asks `renewing`, then
    /// that step is tried again (a passing fault is waited out).
    fn copy_within<'a>(
        &'a self,
        bucket: &'a str,
        from_to: (&'a str, &'a str),
        only_new_moving: (bool, bool),
        part_size: u64,
        renewing: Renewing,
    ) -> BoxFuture<'a, Result<Copied, AwsFailure>>;
    /// Deletes `keys` (DeleteObjects, a batch of up to 1,000 at a time; a key that is not
    /// there counts as deleted): the keys S3 refused, each with why, and the delete markers
    /// made.
    fn delete<'a>(
        &'a self,
        bucket: &'a str,
        keys: &'a [String],
    ) -> BoxFuture<'a, Result<Deleted, AwsFailure>>;
}

/// Parts the TUI's upload sends at once.
const TUI_PARTS_AT_ONCE: usize = 4;

/// How the TUI's upload goes on after a refused request: the model hears of it (`stalled`)
/// and says when to go on (`resumed` counts its words; closed: give up, and the upload is
/// aborted). Cloned, one for each file of a folder: a word wakes every file waiting.
#[derive(Clone)]
pub struct Renewing {
    pub stalled: std::sync::Arc<dyn Fn(AwsFailure) + Send + Sync>,
    pub resumed: tokio::sync::watch::Receiver<u64>,
}

impl Renewing {
    /// A renewing that tells `stalled`, and the sender whose words resume it (dropped: give up).
    pub fn new(
        stalled: impl Fn(AwsFailure) + Send + Sync + 'static,
    ) -> (Self, tokio::sync::watch::Sender<u64>) {
        let (resume, resumed) = tokio::sync::watch::channel(0);
        let renewing = Self {
            stalled: std::sync::Arc::new(stalled),
            resumed,
        };
        (renewing, resume)
    }
}

impl crate::transfer::Renewal for Renewing {
    async fn renewed(&mut self, failure: AwsFailure) -> Result<(), AwsFailure> {
        // Words said before this failure do not count.
        self.resumed.borrow_and_update();
        (self.stalled)(failure.clone());
        match self.resumed.changed().await {
            Ok(()) => Ok(()),
            Err(_) => Err(failure),
        }
    }
}

/// Set to stop a batch: the transfers under way finish, no new one starts.
pub type Stop = std::sync::Arc<std::sync::atomic::AtomicBool>;

/// `items` one by one until `stop` is set.
pub fn until_stopped<T>(
    items: impl IntoIterator<Item = T>,
    stop: Stop,
) -> impl futures_util::Stream<Item = T> {
    use futures_util::StreamExt as _;
    futures_util::stream::iter(items)
        .take_while(move |_| std::future::ready(!stop.load(std::sync::atomic::Ordering::SeqCst)))
}

/// Files the TUI puts at once (a folder's), each a request or a part at a time under one gate:
/// at most this many parts are in memory.
const TUI_FILES_AT_ONCE: usize = TUI_PARTS_AT_ONCE;

/// Puts each (key, path) through the engine, [`TUI_FILES_AT_ONCE`] at once and every part
/// under one gate, until `stop` is set; `sent` hears of the bytes as they go and of each file
/// done (`None`). Each file's outcome, in the order they finished (those never started are
/// not among them).
async fn put_all(
    s3: &S3Browser,
    bucket: &str,
    files: Vec<(String, std::path::PathBuf)>,
    part_size: u64,
    renewing: Renewing,
    sent: std::sync::Arc<dyn Fn(Option<u64>) + Send + Sync>,
    stop: Stop,
) -> Vec<(String, Result<Landed, AwsFailure>)> {
    use futures_util::StreamExt as _;
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(TUI_PARTS_AT_ONCE));
    until_stopped(files, stop)
        .map(|(key, path)| {
            let (renewing, gate, sent) = (renewing.clone(), gate.clone(), sent.clone());
            async move {
                let result = put_one(
                    s3,
                    bucket,
                    (&key, &path),
                    true,
                    part_size,
                    renewing,
                    gate,
                    &*sent,
                )
                .await;
                sent(None);
                (key, result)
            }
        })
        .buffer_unordered(TUI_FILES_AT_ONCE)
        .collect()
        .await
}

/// The TUI's upload of one file through the engine (multipart above a part's size), its
/// parts through `gate`: a refused request waits for the model's word, then the parts S3
/// lacks are sent; one it gives up is aborted. `sent` hears of the bytes as they go.
#[allow(clippy::too_many_arguments)]
async fn put_one(
    s3: &S3Browser,
    bucket: &str,
    (key, path): (&str, &std::path::Path),
    only_new: bool,
    part_size: u64,
    mut renewing: Renewing,
    gate: std::sync::Arc<tokio::sync::Semaphore>,
    sent: &(dyn Fn(Option<u64>) + Send + Sync),
) -> Result<Landed, AwsFailure> {
    use crate::transfer::upload::{self, Options, Sent, Source, UploadError};
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let content_type = upload::content_type(path);
    let source = Source {
        path,
        bucket,
        key,
        content_type: &content_type,
    };
    let options = Options {
        part_size,
        only_new,
        gate,
    };
    match upload::upload(s3, source, &options, &mut renewing, &mut Heard(sent)).await {
        Ok(Sent::Stored { etag, .. }) => Ok(Landed { size, etag }),
        Ok(Sent::Exists) => Err(AwsFailure::from_service(
            Some("PreconditionFailed"),
            Some("the key exists"),
            Some(412),
        )),
        Err(UploadError::Object(f)) => Err(f),
        Err(e) => Err(AwsFailure::new(
            crate::failure::ErrorKind::Other,
            None,
            e.to_string(),
        )),
    }
}

/// The bytes of the TUI's upload as they go.
struct Heard<'a>(&'a (dyn Fn(Option<u64>) + Send + Sync));

impl crate::transfer::upload::UploadListener for Heard<'_> {
    fn sent(&mut self, bytes: u64) {
        (self.0)(Some(bytes));
    }
}

impl ObjectStore for S3Browser {
    fn put<'a>(
        &'a self,
        bucket: &'a str,
        key_path: (&'a str, &'a std::path::Path),
        only_new: bool,
        part_size: u64,
        renewing: Renewing,
    ) -> BoxFuture<'a, Result<Landed, AwsFailure>> {
        let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(TUI_PARTS_AT_ONCE));
        Box::pin(async move {
            put_one(
                self,
                bucket,
                key_path,
                only_new,
                part_size,
                renewing,
                gate,
                &|_| {},
            )
            .await
        })
    }

    fn put_files<'a>(
        &'a self,
        bucket: &'a str,
        files: Vec<(String, std::path::PathBuf)>,
        part_size: u64,
        renewing: Renewing,
        sent: std::sync::Arc<dyn Fn(Option<u64>) + Send + Sync>,
        stop: Stop,
    ) -> BoxFuture<'a, Vec<(String, Result<Landed, AwsFailure>)>> {
        Box::pin(put_all(
            self, bucket, files, part_size, renewing, sent, stop,
        ))
    }

    fn create_folder<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, Result<(), AwsFailure>> {
        Box::pin(self.put_folder(bucket, key))
    }

    fn unfinished<'a>(
        &'a self,
        bucket: &'a str,
        prefix: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Unfinished>, AwsFailure>> {
        Box::pin(self.unfinished_uploads(bucket, prefix))
    }

    fn abort_all<'a>(
        &'a self,
        bucket: &'a str,
        uploads: &'a [(String, String)],
    ) -> BoxFuture<'a, Vec<(String, AwsFailure)>> {
        Box::pin(async move {
            let mut refused = Vec::new();
            for (key, id) in uploads {
                if let Err(failure) = self.abort_upload(bucket, key, id).await {
                    refused.push((key.clone(), failure));
                }
            }
            refused
        })
    }

    fn copy_within<'a>(
        &'a self,
        bucket: &'a str,
        (from, to): (&'a str, &'a str),
        (only_new, moving): (bool, bool),
        part_size: u64,
        mut renewing: Renewing,
    ) -> BoxFuture<'a, Result<Copied, AwsFailure>> {
        use super::Source;
        use crate::transfer::upload::retried;
        Box::pin(async move {
            let renewing = &mut renewing;
            let source = retried(renewing, || S3Browser::head(self, bucket, from, None)).await?;
            if only_new && retried(renewing, || self.exists(bucket, to)).await? {
                return Err(AwsFailure::from_service(
                    Some("PreconditionFailed"),
                    Some("the key exists"),
                    Some(412),
                ));
            }
            let etag = retried(renewing, || {
                self.copy(
                    Source::latest(bucket, from),
                    Source::latest(bucket, to),
                    &source,
                    super::single_copy_max(),
                    part_size,
                )
            })
            .await?;
            let source_kept = if moving {
                let gone = [from.to_string()];
                match retried(renewing, || self.delete_keys(bucket, &gone)).await {
                    Ok(deleted) => deleted.refused.into_iter().next().map(|(_, f)| f),
                    Err(failure) => Some(failure),
                }
            } else {
                None
            };
            Ok(Copied {
                landed: Landed {
                    size: source.size,
                    etag,
                },
                source_kept,
            })
        })
    }

    fn delete<'a>(
        &'a self,
        bucket: &'a str,
        keys: &'a [String],
    ) -> BoxFuture<'a, Result<Deleted, AwsFailure>> {
        Box::pin(async move {
            let mut deleted = Deleted::default();
            for batch in keys.chunks(super::DELETE_BATCH) {
                deleted.add(self.delete_keys(bucket, batch).await?);
            }
            Ok(deleted)
        })
    }

    fn head<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        version: Option<&'a str>,
    ) -> BoxFuture<'a, Result<ObjectDetail, AwsFailure>> {
        Box::pin(S3Browser::head(self, bucket, key, version))
    }

    fn first_bytes<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        version: Option<&'a str>,
        max_bytes: u64,
    ) -> BoxFuture<'a, Result<(Vec<u8>, u64), AwsFailure>> {
        Box::pin(S3Browser::first_bytes(
            self, bucket, key, version, max_bytes,
        ))
    }

    fn open<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        version: Option<&'a str>,
        from: u64,
        to: Option<u64>,
        if_match: Option<&'a str>,
    ) -> BoxFuture<'a, Result<ObjectBody, AwsFailure>> {
        Box::pin(S3Browser::open(
            self, bucket, key, version, from, to, if_match,
        ))
    }

    fn stored_checksum<'a>(
        &'a self,
        src: super::Source<'a>,
        etag: &'a str,
    ) -> BoxFuture<'a, Result<crate::object::checksum::Answer, AwsFailure>> {
        Box::pin(S3Browser::stored_checksum(self, src, etag))
    }

    fn presign<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        version: Option<&'a str>,
        secs: u64,
    ) -> BoxFuture<'a, Result<String, AwsFailure>> {
        Box::pin(S3Browser::presign(self, bucket, key, version, secs))
    }

    fn probe<'a>(
        &'a self,
        bucket: &'a str,
        probe: &'a Probe,
    ) -> BoxFuture<'a, Result<(), AwsFailure>> {
        Box::pin(S3Browser::probe(self, bucket, probe))
    }

    fn list_buckets(&self) -> BoxFuture<'_, Result<Vec<String>, AwsFailure>> {
        Box::pin(S3Browser::list_buckets(self))
    }

    fn versioning<'a>(
        &'a self,
        bucket: &'a str,
    ) -> BoxFuture<'a, Result<crate::bucket::Versioning, AwsFailure>> {
        Box::pin(S3Browser::versioning(self, bucket))
    }

    fn list_versions<'a>(
        &'a self,
        page: &'a crate::bucket::VersionRequest,
    ) -> BoxFuture<'a, Result<crate::bucket::VersionPage, AwsFailure>> {
        Box::pin(S3Browser::list_versions_page(self, page))
    }

    fn restore_object<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        days: u32,
        tier: crate::object::archive::Tier,
    ) -> BoxFuture<'a, Result<super::RestoreAsked, AwsFailure>> {
        Box::pin(S3Browser::restore_object(
            self,
            bucket,
            (key, None),
            days,
            tier,
        ))
    }

    fn restore_version<'a>(
        &'a self,
        bucket: &'a str,
        (key, version): (&'a str, &'a str),
        undelete: bool,
        part_size: u64,
    ) -> BoxFuture<'a, Result<(), AwsFailure>> {
        Box::pin(async move {
            if undelete {
                self.remove_version(bucket, key, version).await
            } else {
                self.restore_version(bucket, key, version, part_size).await
            }
        })
    }
}

#[cfg(test)]
mod stop_tests {
    use futures_util::StreamExt as _;

    #[tokio::test]
    async fn a_stopped_batch_starts_nothing_more() {
        let stop = super::Stop::default();
        let mut items = std::pin::pin!(super::until_stopped(1..=10, stop.clone()));
        assert_eq!(items.next().await, Some(1));
        assert_eq!(items.next().await, Some(2));
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(items.next().await, None, "nothing after the stop");
        let all: Vec<u32> = super::until_stopped(1..=3, super::Stop::default())
            .collect()
            .await;
        assert_eq!(all, [1, 2, 3], "unstopped: every one");
    }
}
