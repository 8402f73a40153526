//! `sts3 list`: issue credentials, then print the session and the listing, page by page, for
//! scripts. Output is streamed, so memory stays flat however large the bucket.

use super::output::{
    Style, Tally, first_page, write_header, write_object, write_prefix, write_summary,
    write_version, write_version_summary,
};
use super::session::{CommandError, Session};
use crate::bucket::{Cursor, VersionRequest, VersionTally};
use crate::cli::ListArgs;
use crate::settings::Settings;
use std::io::Write;

/// Runs the command, writing the listing to `out`. Returns the number of objects printed.
pub async fn run(
    settings: &Settings,
    args: &ListArgs,
    out: &mut dyn Write,
) -> Result<u64, CommandError> {
    let args = &with_config(args, &settings.config.list);
    if args.limit == Some(0) {
        return Err(CommandError::ZeroLimit);
    }
    if let Some(n) = args.parallel
        && !crate::settings::PARALLEL.contains(&n)
    {
        return Err(CommandError::Parallel(n));
    }
    let mut lister = Session::open(settings).await?;
    write_header(out, args.json, lister.policy(), &lister.info)?;
    if args.versions {
        return versions(&mut lister, args, out).await;
    }
    let tally = match args.parallel {
        Some(n) if n > 1 && !args.folders => {
            super::parallel::list(&mut lister, args, n, out).await?
        }
        _ => list_all(&mut lister, args, out).await?,
    };
    write_summary(out, Style::of(args), tally, args.summarize)?;
    Ok(tally.objects)
}

/// The config file's output options, under the flags.
fn with_config(args: &ListArgs, config: &crate::settings::ListDefaults) -> ListArgs {
    ListArgs {
        limit: args.limit.or(config.limit),
        json: args.json || config.json,
        folders: args.folders || config.folders,
        // Versions are listed one page at a time.
        parallel: args.parallel.or(config.parallel).filter(|_| !args.versions),
        uri: None,
        long: args.long || config.long,
        summarize: args.summarize || config.summarize,
        versions: args.versions,
    }
}

async fn list_all(
    lister: &mut Session<'_>,
    args: &ListArgs,
    out: &mut dyn Write,
) -> Result<Tally, CommandError> {
    let limit = args.limit.map_or(u64::MAX, |l| l as u64);
    let mut request = first_page(lister.settings, args.folders);
    let style = Style::of(args);
    let mut tally = Tally::default();
    let mut page = lister.page(&request).await?;
    loop {
        tracing::debug!(
            objects = page.objects.len(),
            prefixes = page.prefixes.len(),
            "page loaded"
        );
        // The next page is asked for before this one is written, so its round trip overlaps
        // the output (not when this page reaches the limit: no request beyond it).
        let next_cursor = Cursor::after_page(request.cursor().as_ref(), &page);
        let ahead = match next_cursor {
            Some(cursor) if tally.objects.saturating_add(page.objects.len() as u64) < limit => {
                let next = request.from_cursor(Some(cursor));
                let (s3, sent) = (lister.clients.s3.clone(), next.clone());
                let signed_with = lister.signed_with();
                let answer = tokio::spawn(async move { s3.list_page(&sent).await });
                Some((next, answer, signed_with))
            }
            _ => None,
        };
        for prefix in &page.prefixes {
            write_prefix(out, style, prefix)?;
        }
        for object in &page.objects {
            if tally.objects >= limit {
                return Ok(tally);
            }
            write_object(out, style, object)?;
            tally.add(object);
        }
        let Some((next, answer, signed_with)) = ahead else {
            return Ok(tally);
        };
        request = next;
        page = match answer.await {
            Ok(answer) => lister.settle_page(&request, answer, signed_with).await?,
            // The task itself failed (it cannot, short of a panic): ask again here.
            Err(_) => lister.page(&request).await?,
        };
    }
}

/// `--versions`: every version and delete marker, page by page (predicted first: a session
/// policy that refuses `s3:ListBucketVersions` costs no request). Returns the entries printed.
async fn versions(
    lister: &mut Session<'_>,
    args: &ListArgs,
    out: &mut dyn Write,
) -> Result<u64, CommandError> {
    let bucket = lister.settings.target.bucket.clone();
    if let Some(policy) = lister.session_policy() {
        super::write::predicted_on_bucket(policy, "s3:ListBucketVersions", &bucket)?;
    }
    let limit = args.limit.map_or(u64::MAX, |l| l as u64);
    let style = Style::of(args);
    let mut request = VersionRequest {
        bucket,
        prefix: lister.settings.target.prefix.clone(),
        max_keys: lister.settings.config.page_size,
        folders: args.folders,
        from: None,
    };
    let mut tally = VersionTally::default();
    loop {
        let sent = &request;
        let page = lister
            .with_renewal(|s3| async move { s3.list_versions_page(sent).await })
            .await
            .map_err(|failure| lister.bucket_error(failure))?;
        for prefix in &page.prefixes {
            write_prefix(out, style, prefix)?;
        }
        for entry in &page.versions {
            if tally.entries() >= limit {
                return finish_versions(out, style, tally, args.summarize);
            }
            write_version(out, style, entry)?;
            tally.add(entry);
        }
        match page.next {
            Some(next) if tally.entries() < limit => request = request.from_cursor(Some(next)),
            _ => return finish_versions(out, style, tally, args.summarize),
        }
    }
}

fn finish_versions(
    out: &mut dyn Write,
    style: Style,
    tally: VersionTally,
    summarize: bool,
) -> Result<u64, CommandError> {
    write_version_summary(out, style, tally, summarize)?;
    Ok(tally.entries())
}
