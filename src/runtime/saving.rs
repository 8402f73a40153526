//! A download's task: the object streamed into its `.part` by the transfer engine, renewed by
//! asking the model (which decides about a failure and says when to resume), its progress
//! told to the model as it goes.

use super::event::Event;
use crate::app::{Msg, RequestId};
use crate::aws::ObjectStore;
use crate::failure::AwsFailure;
use crate::object::download::{Split, Transfer};
use crate::transfer::{self, Listener, PartFile, Renewal, Source};
use std::path::Path;
use tokio::sync::mpsc;

/// Downloads the object into `part` (in parts when it is larger than one), renames it to
/// `path` when every byte is in and checked.
pub(super) async fn save(
    s3: &dyn ObjectStore,
    src: Source<'_>,
    (path, part): (&Path, &Path),
    split: Split,
    (request, tx): (RequestId, &mpsc::UnboundedSender<Event>),
    resumed: mpsc::UnboundedReceiver<()>,
) -> Result<u64, String> {
    let mut file = PartFile::create(path).map_err(|e| match part.parent() {
        Some(dir) if e.kind() == std::io::ErrorKind::NotFound && !dir.is_dir() => format!(
            "the download folder {} does not exist; create it, or set download_dir in the config file",
            dir.display()
        ),
        _ => format!("cannot write {}: {e}", part.display()),
    })?;
    let mut renewal = AskTheModel {
        request,
        tx: tx.clone(),
        resumed,
    };
    let mut progress = Progress {
        request,
        tx: tx.clone(),
        last: None,
    };
    let n = transfer::save(
        s3,
        (src, None),
        &mut file,
        split,
        &mut renewal,
        &mut progress,
    )
    .await
    .map_err(|e| transfer::kept_note(e.to_string(), part))?;
    file.finish()?;
    Ok(n)
}

/// A download's credentials are the model's business: it hears of the failure, decides (new
/// credentials, a wait, or giving up), and says when to resume.
struct AskTheModel {
    request: RequestId,
    tx: mpsc::UnboundedSender<Event>,
    resumed: mpsc::UnboundedReceiver<()>,
}

impl Renewal for AskTheModel {
    async fn renewed(&mut self, failure: AwsFailure) -> Result<(), AwsFailure> {
        let _ = self.tx.send(Event::app(Msg::DownloadStalled {
            request: self.request,
            failure: failure.clone(),
        }));
        match self.resumed.recv().await {
            Some(()) => Ok(()),
            None => Err(failure),
        }
    }
}

/// Progress for the model, at most ten times a second.
struct Progress {
    request: RequestId,
    tx: mpsc::UnboundedSender<Event>,
    last: Option<std::time::Instant>,
}

impl Listener for Progress {
    fn progressed(&mut self, transfer: &Transfer) {
        let now = crate::clock::instant();
        if self
            .last
            .is_some_and(|t| now - t < std::time::Duration::from_millis(100))
            && !transfer.is_complete()
        {
            return;
        }
        self.last = Some(now);
        let _ = self.tx.send(Event::app(Msg::DownloadProgressed {
            request: self.request,
            received: transfer.received,
            size: transfer.size,
        }));
    }

    fn resuming(&mut self, received: u64, why: &str) {
        tracing::debug!(received, why, "download resuming");
    }
}
