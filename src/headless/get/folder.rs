//! `sts3 get --recursive s3://B/PREFIX/ [-o DIR]`: every object under the prefix, each at its
//! path below it inside DIR, `parallel` at once, the listing going on while the objects come
//! (a page of keys at a time in memory, however many there are). Each object goes through the
//! download engine into its own `.part` (so each survives a cut or an expiry on its own, a
//! large one in ranged parts); new credentials are shared by all. A re-run keeps the files
//! already there with the object's size and fetches the rest. One progress line on a terminal,
//! a `download:` line per object on stdout, failures on stderr and counted in the summary.

use super::super::output::StatusLine;
use super::super::session::{CommandError, Session, SharedRenew, SharedSession};
use super::interrupted;
use crate::aws::{ObjectStore, S3Browser};
use crate::bucket::{Cursor, ObjectEntry, PageRequest};
use crate::cli::GetArgs;
use crate::escape::printable;
use crate::object::download::{Split, Transfer};
use crate::object::tree::{Filter, Place, Tally, place};
use crate::settings::Settings;
use crate::transfer::tree::{self, Ready};
use crate::transfer::{self, Listener};
use futures_util::StreamExt as _;
use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Keys a listing page asks for.
const PAGE: i32 = 1000;

/// Objects a folder download fetches at once for each request `parallel` allows: most folders
/// are many small objects, each a round trip or two, so one at a time per request slot leaves
/// the link idle. Measured on the local service with 30 ms added to each request, 1,000
/// objects of 4-64 KiB, interleaved with s5cmd (256 workers): 8 at once took 3.2 times
/// s5cmd's time, 64 1.23 times, 128 1.07, 256 1.05. The client lets no more GetObjects than
/// this be in flight, so a folder of large objects, each in `parallel` parts, never has more.
const OBJECTS_PER_SLOT: usize = 16;

/// The most objects (and GetObjects) in flight at once, whatever `parallel` says: s5cmd's
/// default workers.
const OBJECTS_MAX: usize = 256;

/// Objects a folder download fetches at once, and GetObjects in flight at most.
fn objects_at_once(split: Split) -> usize {
    (split.parallel * OBJECTS_PER_SLOT).min(OBJECTS_MAX)
}

/// Runs the command; the tally of what was saved, kept and failed.
pub async fn run(
    settings: &Settings,
    args: &GetArgs,
    out: &mut dyn Write,
) -> Result<Tally, CommandError> {
    let prefix = folder_prefix(&args.key);
    let filter = Filter::new(&args.include, &args.exclude).map_err(CommandError::Usage)?;
    let split = super::super::split(settings, args.parallel, args.part_size)?;
    let root = root_of(args)?;
    let customer_key = args
        .sse_c_key_file
        .as_deref()
        .map(super::read_customer_key)
        .transpose()?;
    let session = Session::open(settings).await?;
    let mut s3 = session.clients.s3.gated(objects_at_once(split));
    if let Some(key) = customer_key {
        // Every object's reads carry it, as the AWS CLI's --sse-c-key does.
        s3 = s3.with_customer_key(key);
    }
    let bucket = settings.target.bucket.clone();
    let shared = Shared {
        session: SharedSession::new(session),
        tally: RefCell::new(Tally::default()),
        line: RefCell::new(StatusLine::new()),
        started: crate::clock::instant(),
    };
    let job = Job {
        s3: &s3,
        bucket: &bucket,
        prefix: &prefix,
        root: &root,
        filter: &filter,
        split,
        force: args.force,
        shared: &shared,
    };
    let interrupted = interrupted()?;
    let result = tokio::select! {
        r = job.all(out) => r,
        signal = interrupted => Err(CommandError::Cancelled(signal)),
    };
    shared.line.borrow().clear();
    result?;
    let tally = *shared.tally.borrow();
    super::super::stderr_line(&format!(
        "sts3: {}",
        tally.summary(&printable(&root.display().to_string()))
    ));
    Ok(tally)
}

/// The prefix listed: a folder's, with its `/` (`docs` is `docs/`); empty for a whole bucket.
fn folder_prefix(key: &str) -> String {
    if key.is_empty() || key.ends_with('/') {
        key.to_string()
    } else {
        format!("{key}/")
    }
}

/// The folder the objects go into (`-o`, else the current one), created when missing; never
/// standard output.
fn root_of(args: &GetArgs) -> Result<PathBuf, CommandError> {
    let root = args.output.clone().unwrap_or_else(|| PathBuf::from("."));
    if root.as_os_str() == "-" {
        return Err(CommandError::Usage(
            "--recursive saves files; pass -o DIR (or leave -o out for the current folder)".into(),
        ));
    }
    match transfer::found_at(&root) {
        None => std::fs::create_dir_all(&root)
            .map_err(|e| CommandError::Usage(format!("cannot create {}: {e}", root.display())))?,
        Some(_) if root.is_dir() => {}
        Some(found) => {
            return Err(CommandError::Usage(format!(
                "{} is {}; --recursive saves into a folder: pass -o DIR",
                root.display(),
                found.name()
            )));
        }
    }
    Ok(root)
}

/// What the objects being fetched share.
struct Shared<'a> {
    session: SharedSession<'a>,
    tally: RefCell<Tally>,
    line: RefCell<StatusLine>,
    started: Instant,
}

impl Shared<'_> {
    fn show(&self) {
        let tally = *self.tally.borrow();
        let elapsed = self.started.elapsed();
        self.line.borrow_mut().show(|| tally.progress(elapsed));
    }

    fn clear(&self) {
        self.line.borrow().clear();
    }
}

/// One folder download.
struct Job<'j, 'a> {
    s3: &'j S3Browser,
    bucket: &'j str,
    prefix: &'j str,
    root: &'j Path,
    filter: &'j Filter,
    split: Split,
    force: bool,
    shared: &'j Shared<'a>,
}

/// How one object went.
enum Got {
    Saved,
    /// A file of its size is there: taken as complete.
    Present,
    Failed(String),
}

impl Job<'_, '_> {
    /// Lists the prefix page by page and fetches what the filter keeps, [`objects_at_once`]
    /// at once.
    async fn all(&self, out: &mut dyn Write) -> Result<(), CommandError> {
        let pages = futures_util::stream::try_unfold(Some(self.first_request()), |request| async {
            let Some(request) = request else {
                self.shared.tally.borrow_mut().all_listed = true;
                return Ok(None);
            };
            let page = self.shared.session.page(&request).await?;
            let next = Cursor::after_page(request.cursor().as_ref(), &page)
                .map(|c| request.from_cursor(Some(c)));
            Ok::<_, CommandError>(Some((page.objects, next)))
        });
        let entries = pages
            .map(|page| match page {
                Ok(objects) => {
                    futures_util::stream::iter(objects.into_iter().map(Ok)).left_stream()
                }
                Err(e) => futures_util::stream::once(async { Err(e) }).right_stream(),
            })
            .flatten()
            .filter_map(|entry| async { self.wanted(entry) });
        let done = entries
            .map(|entry| async move {
                let entry = entry?;
                let got = self.one(&entry).await?;
                Ok::<_, CommandError>((entry, got))
            })
            .buffer_unordered(objects_at_once(self.split));
        let mut done = std::pin::pin!(done);
        while let Some(result) = done.next().await {
            let (entry, got) = result?;
            self.said(&entry, got, out)?;
        }
        Ok(())
    }

    fn first_request(&self) -> PageRequest {
        PageRequest {
            bucket: self.bucket.to_string(),
            prefix: self.prefix.to_string(),
            continuation_token: None,
            token_after: None,
            start_after: None,
            max_keys: PAGE,
            folders: false,
        }
    }

    /// The entry, with where it goes, when the filter keeps it (a listing error passes on).
    fn wanted(
        &self,
        entry: Result<ObjectEntry, CommandError>,
    ) -> Option<Result<(ObjectEntry, Place), CommandError>> {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => return Some(Err(e)),
        };
        let relative = entry.key.strip_prefix(self.prefix).unwrap_or(&entry.key);
        if !self.filter.keeps(relative) {
            return None;
        }
        let place = place(self.prefix, &entry.key);
        if place == Place::Folder {
            return None;
        }
        self.shared.tally.borrow_mut().listed += 1;
        self.shared.show();
        Some(Ok((entry, place)))
    }

    /// Fetches one object to its place, unless a file of its size is there.
    async fn one(&self, (entry, place): &(ObjectEntry, Place)) -> Result<Got, CommandError> {
        let relative = match place {
            Place::File(relative) => relative,
            Place::Refused(why) => return Ok(Got::Failed(format!("{why}: not saved"))),
            Place::Folder => return Ok(Got::Present),
        };
        let path = match tree::ready(self.root, relative, entry.size, self.force) {
            Ready::Fetch(path) => path,
            Ready::Present => return Ok(Got::Present),
            Ready::Differs(path) => {
                return Ok(Got::Failed(format!(
                    "{} exists with another size; --force replaces it",
                    path.display()
                )));
            }
            Ready::Refused(why) => return Ok(Got::Failed(why)),
        };
        let file = match tree::create_part(&path, entry.size) {
            Ok(file) => file,
            Err(why) => return Ok(Got::Failed(why)),
        };
        let clear = || self.shared.clear();
        let mut renew = SharedRenew::new(&self.shared.session, &clear);
        let mut heard = Heard {
            shared: self.shared,
            counted: 0,
        };
        let result = tree::fetch_into(
            self.s3 as &dyn ObjectStore,
            (
                transfer::Source::latest(self.bucket, &entry.key),
                entry.size,
            ),
            file,
            self.split,
            &mut renew,
            &mut heard,
        )
        .await;
        match result {
            Ok(_) => Ok(Got::Saved),
            Err(why) => {
                // New credentials could not be had: no other object can do better.
                if let Some(stopped) = renew.stopped.take() {
                    return Err(stopped);
                }
                // Its bytes are not saved after all.
                self.shared.tally.borrow_mut().bytes -= heard.counted;
                let keyed = self.s3.has_customer_key();
                let note = (renew.refused.as_ref())
                    .and_then(|f| super::super::session::sse_c_note(f, keyed));
                Ok(Got::Failed(match note {
                    Some(note) => format!("{why}; {note}"),
                    None => why,
                }))
            }
        }
    }

    /// Counts the object and says it: `download: s3://B/KEY to PATH` on stdout, or its
    /// failure on stderr.
    fn said(
        &self,
        (entry, place): &(ObjectEntry, Place),
        got: Got,
        out: &mut dyn Write,
    ) -> Result<(), CommandError> {
        self.shared.clear();
        let uri = format!("s3://{}/{}", self.bucket, printable(&entry.key));
        {
            let mut tally = self.shared.tally.borrow_mut();
            match &got {
                Got::Saved => tally.saved += 1,
                Got::Present => tally.present += 1,
                Got::Failed(_) => tally.failed += 1,
            }
        }
        match got {
            Got::Saved => {
                let to = match place {
                    Place::File(relative) => self.root.join(relative),
                    _ => self.root.to_path_buf(),
                };
                writeln!(
                    out,
                    "download: {uri} to {}",
                    printable(&to.display().to_string())
                )?;
            }
            Got::Present => {}
            Got::Failed(why) => super::super::stderr_line(&format!("sts3: {uri}: {why}")),
        }
        self.shared.show();
        Ok(())
    }
}

/// One object's bytes, counted into the run's tally as they come.
struct Heard<'s, 'a> {
    shared: &'s Shared<'a>,
    /// Bytes of this object counted so far.
    counted: u64,
}

impl Listener for Heard<'_, '_> {
    fn progressed(&mut self, transfer: &Transfer) {
        let more = transfer.received.saturating_sub(self.counted);
        self.counted = transfer.received;
        self.shared.tally.borrow_mut().bytes += more;
        self.shared.show();
    }

    fn resuming(&mut self, received: u64, why: &str) {
        self.shared.clear();
        super::super::stderr_line(&format!(
            "sts3: {why}; resuming with {} bytes in",
            crate::object::detail::thousands(received)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::{Split, objects_at_once};

    #[test]
    fn a_folder_fetches_sixteen_objects_for_each_request_parallel_allows_up_to_256() {
        let at = |parallel| {
            objects_at_once(Split {
                part_size: 8 << 20,
                parallel,
            })
        };
        assert_eq!(
            (at(1), at(8), at(16), at(17), at(64)),
            (16, 128, 256, 256, 256)
        );
    }
}
