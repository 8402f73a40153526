//! `sts3 list --parallel N`: ListObjectsV2 returns at most 1,000 keys a round trip, so a bucket
//! far away is bound by latency, not bandwidth. The folders under the prefix are found first
//! (one level, with the delimiter), then listed N at a time, and printed in S3's key order as
//! if listed serially: each folder's pages go through a small channel, read in order, so
//! memory stays bounded (N folders ahead, a few pages each).

use super::list::write_object;
use super::session::{CommandError, Session};
use crate::aws::S3Browser;
use crate::bucket::{ListPage, ObjectEntry, PageRequest};
use crate::cli::ListArgs;
use crate::failure::AwsFailure;
use std::collections::VecDeque;
use std::io::Write;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Pages a folder's worker may list ahead of the printing.
const PAGES_AHEAD: usize = 4;

/// What a worker reports: a page, or the failure and the token it failed at.
type Report = Result<ListPage, (AwsFailure, Option<String>)>;

/// One level under the prefix, in key order.
enum Item {
    Object(ObjectEntry),
    Folder(String),
}

/// A folder being listed in the background.
struct Worker {
    rx: mpsc::Receiver<Report>,
    task: JoinHandle<()>,
    /// The refresh count when it started signing.
    signed_with: u64,
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(super) async fn list(
    lister: &mut Session<'_>,
    args: &ListArgs,
    n: usize,
    out: &mut dyn Write,
) -> Result<u64, CommandError> {
    let limit = args.limit.map_or(u64::MAX, |l| l as u64);
    let items = level(lister).await?;
    let folders: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Item::Folder(f) => Some(f.clone()),
            Item::Object(_) => None,
        })
        .collect();
    let mut ahead: VecDeque<Worker> = VecDeque::new();
    let mut next_to_start = 0;
    let mut count = 0u64;
    for item in items {
        // Keep N folders listing ahead of the one being printed.
        while next_to_start < folders.len() && ahead.len() < n {
            ahead.push_back(start(lister, &folders[next_to_start]));
            next_to_start += 1;
        }
        match item {
            Item::Object(object) => {
                if count >= limit {
                    return Ok(count);
                }
                write_object(out, args.json, &object)?;
                count += 1;
            }
            Item::Folder(folder) => {
                let Some(worker) = ahead.pop_front() else {
                    continue;
                };
                count = print_folder(lister, args, &folder, worker, limit, count, out).await?;
                if count >= limit {
                    return Ok(count);
                }
            }
        }
    }
    Ok(count)
}

/// The objects and folders directly under the prefix, in key order (S3 sends each page's
/// objects and folders apart, each in order).
async fn level(lister: &mut Session<'_>) -> Result<Vec<Item>, CommandError> {
    let mut request = PageRequest {
        bucket: lister.settings.bucket.clone(),
        prefix: lister.settings.prefix.clone(),
        continuation_token: None,
        start_after: None,
        max_keys: lister.settings.page_size,
        folders: true,
    };
    let mut items = Vec::new();
    loop {
        let page = lister.page(&request).await?;
        let mut objects = page.objects.into_iter().peekable();
        let mut folders = page.prefixes.into_iter().peekable();
        loop {
            let take_object = match (objects.peek(), folders.peek()) {
                (Some(o), Some(f)) => o.key.as_bytes() < f.as_bytes(),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_object {
                items.extend(objects.next().map(Item::Object));
            } else {
                items.extend(folders.next().map(Item::Folder));
            }
        }
        match page.next_token {
            Some(token) => request.continuation_token = Some(token),
            None => return Ok(items),
        }
    }
}

/// Starts listing every key under `folder` in the background.
fn start(lister: &Session<'_>, folder: &str) -> Worker {
    let (tx, rx) = mpsc::channel(PAGES_AHEAD);
    let s3 = lister.clients.s3.clone();
    let request = PageRequest {
        bucket: lister.settings.bucket.clone(),
        prefix: folder.to_string(),
        continuation_token: None,
        start_after: None,
        max_keys: lister.settings.page_size,
        folders: false,
    };
    let task = tokio::spawn(walk(s3, request, tx));
    Worker {
        rx,
        task,
        signed_with: lister.refreshes,
    }
}

async fn walk(s3: S3Browser, mut request: PageRequest, tx: mpsc::Sender<Report>) {
    loop {
        let report = s3
            .list_page(&request)
            .await
            .map_err(|f| (f, request.continuation_token.clone()));
        let next = report.as_ref().ok().and_then(|p| p.next_token.clone());
        let failed = report.is_err();
        if tx.send(report).await.is_err() || failed {
            return;
        }
        match next {
            Some(token) => request.continuation_token = Some(token),
            None => return,
        }
    }
}

/// Prints a folder's keys as its worker lists them; a failure goes through the one failure
/// policy and the rest of the folder is listed here, in order.
async fn print_folder(
    lister: &mut Session<'_>,
    args: &ListArgs,
    folder: &str,
    mut worker: Worker,
    limit: u64,
    mut count: u64,
    out: &mut dyn Write,
) -> Result<u64, CommandError> {
    let mut resume_at = None;
    while let Some(report) = worker.rx.recv().await {
        match report {
            Ok(page) => {
                for object in &page.objects {
                    if count >= limit {
                        return Ok(count);
                    }
                    write_object(out, args.json, object)?;
                    count += 1;
                }
            }
            Err((failure, token)) => {
                lister.recover(failure, worker.signed_with).await?;
                resume_at = Some(token);
                break;
            }
        }
    }
    let Some(token) = resume_at else {
        return Ok(count);
    };
    let mut request = PageRequest {
        bucket: lister.settings.bucket.clone(),
        prefix: folder.to_string(),
        continuation_token: token,
        start_after: None,
        max_keys: lister.settings.page_size,
        folders: false,
    };
    loop {
        let page = lister.page(&request).await?;
        for object in &page.objects {
            if count >= limit {
                return Ok(count);
            }
            write_object(out, args.json, object)?;
            count += 1;
        }
        match page.next_token {
            Some(t) => request.continuation_token = Some(t),
            None => return Ok(count),
        }
    }
}
