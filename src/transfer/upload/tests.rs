//! The engine against a scripted store on paused time: what is sent again after a failure,
//! when new credentials are asked for, what is aborted, and what is checked.

use super::*;
use crate::failure::ErrorKind;
use crate::object::upload::{ListedPart, MIB};
use futures_util::future::BoxFuture;
use std::sync::Mutex;

/// S3 as a script: parts kept in memory, a failure handed to the first call named in `fail`.
#[derive(Default)]
struct Store {
    parts: Mutex<BTreeMap<u32, (String, u64)>>,
    fail: Mutex<Vec<(String, AwsFailure)>>,
    calls: Mutex<Vec<String>>,
    /// Part N is stored but its answer is a failure (a cut connection).
    lose_answer_of: Mutex<Option<u32>>,
    /// Appends to this file when part 2 is sent (a file changing under the upload).
    grow_on_part_2: Mutex<Option<std::path::PathBuf>>,
    /// What CompleteMultipartUpload answers as the object's checksum.
    checksum: Mutex<Option<String>>,
    /// Part N is answered with another checksum than the one it was sent with.
    garble_checksum_of: Option<u32>,
    /// Part N, the first time, is stored as other bytes (and its answer lost).
    other_bytes_of: Mutex<Option<u32>>,
    /// A PutObject takes a while (its end is a call of its own).
    slow_puts: bool,
}

impl Store {
    fn call(&self, what: String) -> Result<(), AwsFailure> {
        let mut fail = self.fail.lock().unwrap();
        let failed = fail.iter().position(|(w, _)| *w == what);
        self.calls.lock().unwrap().push(what);
        match failed {
            Some(i) => Err(fail.remove(i).1),
            None => Ok(()),
        }
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }

    fn failing(self, what: &str, failure: AwsFailure) -> Self {
        self.fail.lock().unwrap().push((what.to_string(), failure));
        self
    }
}

fn expired() -> AwsFailure {
    AwsFailure::from_service(Some("ExpiredToken"), Some("expired"), Some(400))
}

fn cut() -> AwsFailure {
    AwsFailure::new(ErrorKind::Network, None, "connection reset")
}

fn denied() -> AwsFailure {
    AwsFailure::from_service(Some("AccessDenied"), Some("Access Denied"), Some(403))
}

fn exists() -> AwsFailure {
    AwsFailure::from_service(Some("PreconditionFailed"), None, Some(412))
}

impl Multipart for Store {
    fn put_bytes<'a>(
        &'a self,
        _bucket: &'a str,
        key: &'a str,
        _content_type: &'a str,
        body: Bytes,
        _crc32c: &'a str,
        only_new: bool,
    ) -> BoxFuture<'a, Result<Stored, AwsFailure>> {
        Box::pin(async move {
            self.call(format!("put {key} {} only_new={only_new}", body.len()))?;
            if self.slow_puts {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                self.call(format!("put {key} stored"))?;
            }
            Ok(Stored {
                etag: Some(md5_etag(&body)),
                checksum: self.checksum.lock().unwrap().clone(),
            })
        })
    }

    fn create_upload<'a>(
        &'a self,
        _bucket: &'a str,
        key: &'a str,
        _content_type: &'a str,
    ) -> BoxFuture<'a, Result<String, AwsFailure>> {
        Box::pin(async move {
            self.call(format!("create {key}"))?;
            Ok("id-1".into())
        })
    }

    fn upload_part<'a>(
        &'a self,
        _upload: &'a UploadId,
        n: u32,
        body: Bytes,
        crc32c: &'a str,
    ) -> BoxFuture<'a, Result<Stored, AwsFailure>> {
        Box::pin(async move {
            self.call(format!("part {n}"))?;
            if n == 2
                && let Some(path) = self.grow_on_part_2.lock().unwrap().take()
            {
                use std::io::Write as _;
                let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
                f.write_all(b"more").unwrap();
            }
            let mut etag = md5_etag(&body);
            if self
                .other_bytes_of
                .lock()
                .unwrap()
                .take_if(|l| *l == n)
                .is_some()
            {
                etag = md5_etag(b"other bytes");
                *self.lose_answer_of.lock().unwrap() = Some(n);
            }
            self.parts
                .lock()
                .unwrap()
                .insert(n, (etag.clone(), body.len() as u64));
            if self
                .lose_answer_of
                .lock()
                .unwrap()
                .take_if(|l| *l == n)
                .is_some()
            {
                return Err(cut());
            }
            // S3 answers the checksum it checked the bytes with.
            let checksum = if self.garble_checksum_of == Some(n) {
                PartSums::of(b"other bytes").checksum()
            } else {
                crc32c.to_string()
            };
            Ok(Stored {
                etag: Some(etag),
                checksum: Some(checksum),
            })
        })
    }

    fn list_parts<'a>(
        &'a self,
        _upload: &'a UploadId,
    ) -> BoxFuture<'a, Result<Vec<ListedPart>, AwsFailure>> {
        Box::pin(async move {
            self.call("list".into())?;
            Ok(self
                .parts
                .lock()
                .unwrap()
                .iter()
                .map(|(n, (etag, size))| ListedPart {
                    number: *n,
                    etag: etag.clone(),
                    size: *size,
                    // As SeaweedFS: no checksum listed, the ETag tells.
                    checksum: None,
                })
                .collect())
        })
    }

    fn complete_upload<'a>(
        &'a self,
        _upload: &'a UploadId,
        parts: &'a [SentPart],
        only_new: bool,
    ) -> BoxFuture<'a, Result<Stored, AwsFailure>> {
        Box::pin(async move {
            let numbers: Vec<u32> = parts.iter().map(|p| p.number).collect();
            self.call(format!("complete {numbers:?} only_new={only_new}"))?;
            Ok(Stored {
                etag: None,
                checksum: self.checksum.lock().unwrap().clone(),
            })
        })
    }

    fn abort_upload<'a>(&'a self, _upload: &'a UploadId) -> BoxFuture<'a, Result<(), AwsFailure>> {
        Box::pin(async move { self.call("abort".into()) })
    }
}

/// New credentials every time (unless `refuse`), each ask and each `progressed` counted.
#[derive(Default)]
struct Renewals {
    asked: Vec<String>,
    progressed: u32,
    refuse: bool,
}

impl Renewal for Renewals {
    async fn renewed(&mut self, failure: AwsFailure) -> Result<(), AwsFailure> {
        self.asked.push(failure.code_or_kind());
        if self.refuse { Err(failure) } else { Ok(()) }
    }

    fn progressed(&mut self) {
        self.progressed += 1;
    }
}

#[derive(Default)]
struct Heard {
    sent: u64,
    started: u32,
    finished: u32,
    resumed: Vec<(u32, u32)>,
}

impl UploadListener for Heard {
    fn started(&mut self, _upload: &UploadId) {
        self.started += 1;
    }
    fn sent(&mut self, bytes: u64) {
        self.sent += bytes;
    }
    fn resuming(&mut self, _why: &str, held: u32, count: u32) {
        self.resumed.push((held, count));
    }
    fn finished(&mut self, _upload: &UploadId) {
        self.finished += 1;
    }
}

/// A file of `len` bytes in a fresh folder.
fn file(len: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.bin");
    let bytes: Vec<u8> = (0..len).map(|i| (i % 251).to_le_bytes()[0]).collect();
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

async fn put(
    store: &Store,
    path: &Path,
    parallel: usize,
    renewals: &mut Renewals,
    heard: &mut Heard,
) -> Result<Sent, UploadError> {
    let source = Source {
        path,
        bucket: "b",
        key: "k",
        content_type: "application/octet-stream",
    };
    let options = Options {
        part_size: 5 * MIB,
        only_new: true,
        gate: Arc::new(Semaphore::new(parallel)),
    };
    upload(store, source, &options, renewals, heard).await
}

/// 12.5 MiB and a byte: three parts of 5 MiB.
const SIZE: usize = 25 * 1024 * 1024 / 2 + 1;

#[tokio::test(start_paused = true)]
async fn a_file_no_larger_than_a_part_is_one_put_never_over_an_existing_key() {
    let (_d, path) = file(1000);
    let store = Store::default();
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    let sent = put(&store, &path, 4, &mut r, &mut h).await.unwrap();
    assert!(
        matches!(
            sent,
            Sent::Stored {
                parts: 1,
                etag: Some(_)
            }
        ),
        "{sent:?}"
    );
    assert_eq!(store.calls(), ["put k 1000 only_new=true"]);
    assert_eq!((h.sent, h.started), (1000, 0));

    let store = Store::default().failing("put k 1000 only_new=true", exists());
    let sent = put(&store, &path, 4, &mut r, &mut h).await.unwrap();
    assert_eq!(sent, Sent::Exists);
    assert!(r.asked.is_empty(), "no credentials change a precondition");

    let store = Store::default();
    *store.checksum.lock().unwrap() = Some("AAAA".into());
    let e = put(&store, &path, 4, &mut r, &mut h).await.unwrap_err();
    assert!(
        matches!(e, UploadError::Mismatch(Mismatch::Checksum { .. })),
        "{e:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_single_put_holds_its_permit_until_it_is_sent() {
    let (_d, path) = file(1000);
    let store = Store {
        slow_puts: true,
        ..Store::default()
    };
    let gate = Arc::new(Semaphore::new(1));
    let one = |key| {
        let (store, gate, path) = (&store, gate.clone(), path.clone());
        async move {
            let source = Source {
                path: &path,
                bucket: "b",
                key,
                content_type: "text/plain",
            };
            let options = Options {
                part_size: 5 * MIB,
                only_new: false,
                gate,
            };
            let (mut r, mut h) = (Renewals::default(), Heard::default());
            upload(store, source, &options, &mut r, &mut h).await
        }
    };
    let (a, b) = tokio::join!(one("a"), one("b"));
    assert!(a.is_ok() && b.is_ok());
    assert_eq!(
        store.calls(),
        [
            "put a 1000 only_new=false",
            "put a stored",
            "put b 1000 only_new=false",
            "put b stored"
        ],
        "one request at a time through a gate of one"
    );
}

#[tokio::test(start_paused = true)]
async fn a_larger_file_goes_in_parts_and_is_completed_in_order() {
    let (_d, path) = file(SIZE);
    let store = Store::default();
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    let sent = put(&store, &path, 1, &mut r, &mut h).await.unwrap();
    assert_eq!(
        sent,
        Sent::Stored {
            parts: 3,
            etag: None
        }
    );
    assert_eq!(
        store.calls(),
        [
            "create k",
            "part 1",
            "part 2",
            "part 3",
            "complete [1, 2, 3] only_new=true"
        ]
    );
    assert_eq!((h.sent, h.started, h.finished), (SIZE as u64, 1, 1));
    let stored = store.parts.lock().unwrap();
    assert_eq!(stored[&3].1, (SIZE - 10 * 1024 * 1024) as u64);
}

#[tokio::test(start_paused = true)]
async fn an_expired_token_halfway_renews_then_sends_only_the_parts_s3_lacks() {
    let (_d, path) = file(SIZE);
    let store = Store::default().failing("part 2", expired());
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    let sent = put(&store, &path, 1, &mut r, &mut h).await.unwrap();
    assert_eq!(
        sent,
        Sent::Stored {
            parts: 3,
            etag: None
        }
    );
    assert_eq!(r.asked, ["ExpiredToken"]);
    assert_eq!(store.calls(), PART_2_SENT_AGAIN);
    assert_eq!(h.resumed, [(1, 3)]);
    assert_eq!(
        r.progressed, 2,
        "after the first round and after the second"
    );
}

#[tokio::test(start_paused = true)]
async fn a_part_stored_whose_answer_was_lost_is_not_sent_again() {
    let (_d, path) = file(SIZE);
    let store = Store::default();
    *store.lose_answer_of.lock().unwrap() = Some(2);
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    put(&store, &path, 1, &mut r, &mut h).await.unwrap();
    assert!(
        r.asked.is_empty(),
        "a cut connection needs no new credentials"
    );
    assert_eq!(
        store.calls(),
        [
            "create k",
            "part 1",
            "part 2",
            "list",
            "part 3",
            "complete [1, 2, 3] only_new=true"
        ]
    );
    assert_eq!(h.resumed, [(2, 3)]);
}

#[tokio::test(start_paused = true)]
async fn parts_go_as_many_at_once_as_the_gate_allows_and_stop_starting_after_a_failure() {
    let (_d, path) = file(SIZE);
    let store = Store::default().failing("part 1", expired());
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    put(&store, &path, 2, &mut r, &mut h).await.unwrap();
    let calls = store.calls();
    // Parts 1 and 2 at once (either first: their reads race); 1 fails, so 3 waits.
    let mut first_round = calls[1..3].to_vec();
    first_round.sort();
    assert_eq!(first_round, ["part 1", "part 2"], "{calls:?}");
    assert_eq!(calls[3], "list", "{calls:?}");
    assert_eq!(h.resumed, [(1, 3)]);
}

#[tokio::test(start_paused = true)]
async fn a_connection_that_keeps_failing_gives_up_and_aborts() {
    let (_d, path) = file(SIZE);
    let mut store = Store::default();
    for _ in 0..=MAX_RESUMES {
        store = store.failing("part 2", cut());
    }
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    let e = put(&store, &path, 1, &mut r, &mut h).await.unwrap_err();
    assert!(
        matches!(
            e,
            UploadError::Broke {
                held: 1,
                count: 3,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        format!(
            "the upload broke off {MAX_RESUMES} times (Network: connection reset); gave up with 1 of 3 parts sent"
        )
    );
    assert_eq!(store.calls().last().unwrap(), "abort");
    assert_eq!((h.started, h.finished), (1, 1));
}

#[tokio::test(start_paused = true)]
async fn a_refusal_no_credentials_help_aborts_the_upload_and_says_it() {
    let (_d, path) = file(SIZE);
    let store = Store::default().failing("part 3", denied());
    let mut r = Renewals {
        refuse: true,
        ..Renewals::default()
    };
    let mut h = Heard::default();
    let e = put(&store, &path, 1, &mut r, &mut h).await.unwrap_err();
    assert!(
        matches!(&e, UploadError::Object(f) if f.kind == ErrorKind::AccessDenied),
        "{e:?}"
    );
    assert_eq!(store.calls().last().unwrap(), "abort");
    assert_eq!(h.finished, 1);

    let store = Store::default()
        .failing("part 3", denied())
        .failing("abort", denied());
    let mut h = Heard::default();
    let e = put(&store, &path, 1, &mut r, &mut h).await.unwrap_err();
    let UploadError::Unaborted { error, upload, .. } = &e else {
        panic!("{e:?}");
    };
    assert!(matches!(**error, UploadError::Object(_)));
    assert_eq!(upload.id, "id-1");
    assert!(
        e.to_string()
            .ends_with("sts3 uploads --abort s3://b/k removes them"),
        "{e}"
    );
    assert_eq!(h.finished, 0, "the upload is still open");
}

#[tokio::test(start_paused = true)]
async fn a_file_that_changes_while_it_is_sent_is_never_completed() {
    let (_d, path) = file(SIZE);
    let store = Store::default();
    *store.grow_on_part_2.lock().unwrap() = Some(path.clone());
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    let e = put(&store, &path, 1, &mut r, &mut h).await.unwrap_err();
    assert!(
        matches!(
            e,
            UploadError::Changed {
                what: "its size",
                ..
            }
        ),
        "{e:?}"
    );
    let calls = store.calls();
    assert!(
        !calls.iter().any(|c| c.starts_with("complete")),
        "{calls:?}"
    );
    assert_eq!(calls.last().unwrap(), "abort");
}

#[tokio::test(start_paused = true)]
async fn an_existing_key_at_completion_is_kept_and_the_parts_dropped() {
    let (_d, path) = file(SIZE);
    let store = Store::default().failing("complete [1, 2, 3] only_new=true", exists());
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    let sent = put(&store, &path, 2, &mut r, &mut h).await.unwrap();
    assert_eq!(sent, Sent::Exists);
    assert_eq!(store.calls().last().unwrap(), "abort");
}

#[tokio::test(start_paused = true)]
async fn a_checksum_s3_answers_that_is_not_the_parts_is_an_error() {
    let (_d, path) = file(SIZE);
    let store = Store::default();
    *store.checksum.lock().unwrap() = Some("AAAA-3".into());
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    let e = put(&store, &path, 3, &mut r, &mut h).await.unwrap_err();
    assert!(
        matches!(e, UploadError::Mismatch(Mismatch::Checksum { .. })),
        "{e:?}"
    );
    assert_eq!(store.calls().last().unwrap(), "abort");
}

#[tokio::test(start_paused = true)]
async fn a_part_s3_answers_with_another_checksum_is_an_error_and_nothing_is_completed() {
    let (_d, path) = file(SIZE);
    let store = Store {
        garble_checksum_of: Some(2),
        ..Store::default()
    };
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    let e = put(&store, &path, 1, &mut r, &mut h).await.unwrap_err();
    assert!(
        matches!(e, UploadError::Mismatch(Mismatch::Checksum { .. })),
        "{e:?}"
    );
    assert_eq!(store.calls(), ["create k", "part 1", "part 2", "abort"]);
}

/// Three parts, part 2 sent again after a look at the parts S3 holds.
const PART_2_SENT_AGAIN: [&str; 7] = [
    "create k",
    "part 1",
    "part 2",
    "list",
    "part 2",
    "part 3",
    "complete [1, 2, 3] only_new=true",
];

#[tokio::test(start_paused = true)]
async fn a_part_listed_whose_answer_was_lost_is_sent_again_when_its_etag_is_not_its_bytes_md5() {
    let (_d, path) = file(SIZE);
    let store = Store::default();
    *store.other_bytes_of.lock().unwrap() = Some(2);
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    put(&store, &path, 1, &mut r, &mut h).await.unwrap();
    assert_eq!(store.calls(), PART_2_SENT_AGAIN);
    assert_eq!(h.resumed, [(1, 3)], "only part 1 counted as held");
}

#[tokio::test(start_paused = true)]
async fn a_file_that_cannot_be_read_is_said_before_anything_is_sent() {
    let store = Store::default();
    let (mut r, mut h) = (Renewals::default(), Heard::default());
    let e = put(&store, Path::new("/no/such/file"), 1, &mut r, &mut h)
        .await
        .unwrap_err();
    assert!(
        e.to_string().starts_with("cannot read /no/such/file: "),
        "{e}"
    );
    assert!(store.calls().is_empty());
}

#[tokio::test]
async fn a_part_is_read_whole_from_its_offset_and_a_short_file_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    let data: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    std::fs::write(&path, &data).unwrap();
    let part = read_part(&path, 1000, 200_000).await.unwrap();
    assert_eq!(&part[..], &data[1000..201_000]);
    assert!(read_part(&path, 0, 0).await.unwrap().is_empty());
    // The file ends before the part does: it changed since it was planned.
    let short = read_part(&path, 200_000, 100_001).await.unwrap_err();
    assert!(
        matches!(
            short,
            UploadError::Changed {
                what: "it is shorter",
                ..
            }
        ),
        "{short:?}"
    );
    assert_eq!(
        read_part(&path, 200_000, 100_000).await.unwrap().len(),
        100_000
    );
}

#[tokio::test(start_paused = true)]
async fn a_session_that_may_not_list_the_parts_goes_by_the_answers_it_had() {
    let (_d, path) = file(SIZE);
    let store = Store::default().failing("list", denied());
    *store.lose_answer_of.lock().unwrap() = Some(2);
    // New credentials would not change the refusal.
    let mut r = Renewals {
        refuse: true,
        ..Renewals::default()
    };
    let mut h = Heard::default();
    put(&store, &path, 1, &mut r, &mut h).await.unwrap();
    assert_eq!(
        store.calls(),
        PART_2_SENT_AGAIN,
        "part 2's answer was lost and the parts could not be listed: it is sent again"
    );
}
