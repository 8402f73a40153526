//! The TUI's saves of many objects: each into its place below the download folder through the
//! folder download's steps (`transfer::tree`) and the download engine, a few at once, in one
//! task. A refused request is the model's to decide (`SavesStalled`); one word from it wakes
//! every object waiting. Cancelled, the task stops and the `.part`s of the objects under way
//! are removed: what is saved stays.

use super::event::Event;
use crate::app::saves::SaveOutcome;
use crate::app::{Msg, RequestId};
use crate::aws::{ObjectStore, Renewing};
use crate::object::download::{Split, Transfer};
use crate::transfer::Listener;
use crate::transfer::tree::{self, Ready};
use futures_util::StreamExt as _;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Objects saved at once (each large one in `parallel` ranged parts).
const SAVES_AT_ONCE: usize = 4;

/// How often the model hears of the bytes at most.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The saves under way.
pub(super) struct SavesTask {
    pub(super) request: RequestId,
    task: JoinHandle<()>,
    /// The word to go on after a refused request (dropped: give up).
    pub(super) resume: Option<tokio::sync::watch::Sender<u64>>,
    /// The `.part`s of the objects under way.
    parts: Arc<Mutex<BTreeSet<PathBuf>>>,
}

impl SavesTask {
    /// Stops the saves and removes the `.part`s of those under way.
    pub(super) fn cancel(self) {
        self.task.abort();
        for part in lock(&self.parts).iter() {
            crate::transfer::discard(part);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What the saves share.
struct Shared {
    request: RequestId,
    tx: mpsc::UnboundedSender<Event>,
    parts: Arc<Mutex<BTreeSet<PathBuf>>>,
    /// Bytes not yet told, and when they were last told.
    pending: Mutex<(u64, Option<Instant>)>,
}

impl Shared {
    fn send(&self, msg: Msg) {
        let _ = self.tx.send(Event::app(msg));
    }

    /// `n` more bytes: told at most every [`PROGRESS_EVERY`], or now when `flush`.
    fn bytes(&self, n: u64, flush: bool) {
        let mut pending = lock(&self.pending);
        pending.0 += n;
        let now = crate::clock::instant();
        let due = pending.1.is_none_or(|t| now - t >= PROGRESS_EVERY);
        if pending.0 > 0 && (flush || due) {
            self.send(Msg::SaveProgressed {
                request: self.request,
                bytes: pending.0,
            });
            *pending = (0, Some(now));
        }
    }
}

/// Starts saving `items` (key, path below `dir`, size) of `bucket` into `dir`.
pub(super) fn start(
    s3: Arc<dyn ObjectStore>,
    request: RequestId,
    (bucket, items): (String, Vec<(String, PathBuf, u64)>),
    (dir, split): (PathBuf, Split),
    tx: mpsc::UnboundedSender<Event>,
) -> SavesTask {
    let stall_tx = tx.clone();
    let (renewing, resume) = Renewing::new(move |failure| {
        let _ = stall_tx.send(Event::app(Msg::SavesStalled { request, failure }));
    });
    let parts = Arc::new(Mutex::new(BTreeSet::new()));
    let shared = Arc::new(Shared {
        request,
        tx,
        parts: parts.clone(),
        pending: Mutex::new((0, None)),
    });
    let task = tokio::spawn(async move {
        let (s3, bucket, dir) = (&*s3, &bucket, &dir);
        futures_util::stream::iter(items)
            .for_each_concurrent(SAVES_AT_ONCE, |(key, relative, size)| {
                let (shared, renewing) = (shared.clone(), renewing.clone());
                async move {
                    let outcome = save_one(
                        s3,
                        (bucket, &key),
                        (dir, &relative, size),
                        split,
                        renewing,
                        &shared,
                    )
                    .await;
                    shared.bytes(0, true);
                    shared.send(Msg::ObjectSaved {
                        request,
                        key,
                        outcome,
                    });
                }
            })
            .await;
        shared.send(Msg::SavesFinished { request });
    });
    SavesTask {
        request,
        task,
        resume: Some(resume),
        parts,
    }
}

/// One object into `dir/relative`, unless a file of its size (or of another size) is there.
async fn save_one(
    s3: &dyn ObjectStore,
    (bucket, key): (&str, &str),
    (dir, relative, size): (&Path, &Path, u64),
    split: Split,
    mut renewing: Renewing,
    shared: &Shared,
) -> SaveOutcome {
    let path = match tree::ready(dir, relative, size, false) {
        Ready::Fetch(path) => path,
        Ready::Present => return SaveOutcome::Present,
        Ready::Differs(_) => return SaveOutcome::Differs,
        Ready::Refused(why) => return SaveOutcome::Failed(why),
    };
    let file = match tree::create_part(&path, size) {
        Ok(file) => file,
        Err(why) => return SaveOutcome::Failed(why),
    };
    let part = file.part().to_path_buf();
    lock(&shared.parts).insert(part.clone());
    let mut heard = Heard { shared, told: 0 };
    let result = tree::fetch_into(
        s3,
        (crate::transfer::Source::latest(bucket, key), size),
        file,
        split,
        &mut renewing,
        &mut heard,
    )
    .await;
    lock(&shared.parts).remove(&part);
    match result {
        Ok(n) => SaveOutcome::Saved(n),
        Err(why) => SaveOutcome::Failed(why),
    }
}

/// One object's bytes, told to the model with the others'.
struct Heard<'s> {
    shared: &'s Shared,
    told: u64,
}

impl Listener for Heard<'_> {
    fn progressed(&mut self, transfer: &Transfer) {
        let more = transfer.received.saturating_sub(self.told);
        self.told = transfer.received;
        self.shared.bytes(more, false);
    }

    fn resuming(&mut self, received: u64, why: &str) {
        tracing::debug!(received, why, "a save resuming");
    }
}
