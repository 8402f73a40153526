//! `sts3 list --parallel N`: ListObjectsV2 returns at most 1,000 keys a round trip, so a bucket
//! far away is bound by latency, not bandwidth. The key space under the prefix is cut into
//! ranges listed N at a time ([`crate::bucket::split`]): first at the folders one level down
//! (the first page of a `/` listing shows them; when it holds the whole level, each folder is
//! listed on its own), then wherever keys turn out dense, flat prefixes included. Keys are printed in S3's key order as a serial listing would, and memory
//! stays bounded (a few pages a range ahead of the printing).

use super::output::{Style, Tally, first_page, write_object};
use super::session::{CommandError, Session};
use crate::aws::walk_listing;
use crate::bucket::split::Plan;
use crate::bucket::{Cursor, ListPage, PageRequest};
use crate::cli::ListArgs;
use std::io::Write;

/// Ranges cut at folders up front, per request at once: more folders are grouped.
const RANGES_A_CHAIN: usize = 4;

pub(super) async fn list(
    lister: &mut Session<'_>,
    args: &ListArgs,
    n: usize,
    out: &mut dyn Write,
) -> Result<Tally, CommandError> {
    let limit = args.limit.map_or(u64::MAX, |l| l as u64);
    let mut request = first_page(lister.settings, false);
    let level = lister
        .page(&PageRequest {
            folders: true,
            ..request.clone()
        })
        .await?;
    let cuts = folder_cuts(&level.prefixes, n);
    let mut level = Some(level);
    let mut printer = Printer {
        limit,
        tally: Tally::default(),
        last: None,
        written: Ok(()),
        style: super::output::Style::of(args),
    };
    loop {
        let signed_with = lister.signed_with();
        let s3 = lister.clients.s3.clone();
        // From the start, the level's folders are listed each on its own; resumed after a
        // failure, the listing is cut at them.
        let plan = match level.take() {
            Some(level) => Plan::new(&request, n).with_level(level),
            None => Plan::new(&request, n).with_cuts(cuts.iter().cloned()),
        };
        let walked = walk_listing(
            plan,
            |page| {
                let s3 = s3.clone();
                async move { s3.list_page(&page).await }
            },
            |page| printer.print(out, &page),
        )
        .await;
        std::mem::replace(&mut printer.written, Ok(()))?;
        match walked {
            Ok(_) => return Ok(printer.tally),
            Err(failure) => {
                // The one failure policy; then on after the last key printed.
                lister.recover(failure, signed_with).await?;
                if let Some(last) = printer.last.take() {
                    request = request.from_cursor(Some(Cursor::After(last)));
                }
            }
        }
    }
}

/// Prints the pages a walk hands on, up to the limit, keeping the last key printed (for a
/// resume) and the first write that failed.
struct Printer {
    limit: u64,
    tally: Tally,
    last: Option<String>,
    written: std::io::Result<()>,
    style: Style,
}

impl Printer {
    /// Prints `page`'s objects; whether the walk goes on.
    fn print(&mut self, out: &mut dyn Write, page: &ListPage) -> bool {
        // Only the page's last key printed is kept, not every key.
        let mut printed = None;
        let mut go_on = true;
        for object in &page.objects {
            if self.tally.objects >= self.limit {
                go_on = false;
                break;
            }
            self.written = write_object(out, self.style, object);
            if self.written.is_err() {
                go_on = false;
                break;
            }
            self.tally.add(object);
            printed = Some(&object.key);
        }
        if let Some(key) = printed {
            self.last = Some(key.to_string());
        }
        go_on
    }
}

/// The folders one level down as cuts, grouped so there are about [`RANGES_A_CHAIN`] ranges a
/// chain: the range before folder `a/` ends at `a/`, the next one lists after it. The first
/// range, from the start, takes the first folder (and any key before it).
fn folder_cuts(folders: &[String], chains: usize) -> Vec<String> {
    let every = folders.len().div_ceil(chains * RANGES_A_CHAIN).max(1);
    folders.iter().skip(every).step_by(every).cloned().collect()
}
