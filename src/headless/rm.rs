//! `sts3 rm KEY…` (`--recursive PREFIX…`): objects deleted in batches of up to 1,000
//! (DeleteObjects), each key said as `aws s3 rm` says it. Predicted by the session policy before
//! anything is asked of AWS; a prefix is listed first (every key under it, at any depth); a
//! folder's key without --recursive is refused when the folder holds objects; a token that
//! expires on the way is renewed and the batch sent again.

use super::session::{CommandError, Session};
use crate::bucket::{Cursor, PageRequest};
use crate::cli::RmArgs;
use crate::object::Deleted;
use crate::settings::Settings;
use std::io::Write;

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub deleted: u64,
    pub failed: u64,
    /// Delete markers S3 made (a versioned bucket).
    pub markers: u64,
}

/// Runs the command: each deleted key's line on `out`.
pub async fn run(
    settings: &Settings,
    args: &RmArgs,
    out: &mut dyn Write,
) -> Result<Tally, CommandError> {
    let bucket = settings.target.bucket.clone();
    let predict = |keys: &[String]| match settings.target.session_policy(settings.target.mode) {
        Some(policy) => super::write::predicted(
            policy,
            "s3:DeleteObject",
            &bucket,
            keys.iter().map(String::as_str),
        ),
        None => Ok(()),
    };
    if !args.recursive {
        predict(&args.keys)?;
    }
    let mut session = Session::open(settings).await?;
    let keys = if args.recursive {
        let keys = keys_under(&mut session, &bucket, &args.keys).await?;
        predict(&keys)?;
        keys
    } else {
        refuse_folders_with_objects(&mut session, &bucket, &args.keys, ("delete", "deleted"))
            .await?;
        args.keys.clone()
    };
    let mut tally = Tally::default();
    if args.dry_run {
        for key in &keys {
            writeln!(
                out,
                "(dry run) delete: s3://{bucket}/{}",
                crate::escape::printable(key)
            )?;
        }
        return Ok(tally);
    }
    delete_all(&mut session, &bucket, &keys, &mut tally, out).await?;
    if let Some(note) = crate::object::markers_note(tally.markers) {
        super::stderr_line(&format!("sts3: {note}"));
    }
    Ok(tally)
}

/// A key ending in `/` is the folder's own (empty) object, as the AWS CLI takes it, and deleting,
/// copying or moving it leaves what is in the folder: when the folder holds other objects, the
/// user meant those, and is told how. (A session that may not list is not asked.)
/// `(verb, done)`: what the command does to a key, and that it was done (`delete`, `deleted`).
pub(super) async fn refuse_folders_with_objects(
    session: &mut Session<'_>,
    bucket: &str,
    keys: &[String],
    (verb, done): (&str, &str),
) -> Result<(), CommandError> {
    for key in keys.iter().filter(|k| k.ends_with('/')) {
        // One key after the folder's own.
        let request = every_key_under(bucket, key, 1).from_cursor(Some(Cursor::After(key.clone())));
        if session
            .page(&request)
            .await
            .is_ok_and(|p| !p.objects.is_empty())
        {
            return Err(CommandError::Usage(format!(
                "s3://{bucket}/{} is a folder with objects in it; nothing was {done}. Pass \
                 --recursive to {verb} every object under it",
                crate::escape::printable(key)
            )));
        }
    }
    Ok(())
}

/// Deletes `keys` in batches, saying how each went.
async fn delete_all(
    session: &mut Session<'_>,
    bucket: &str,
    keys: &[String],
    tally: &mut Tally,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    for batch in keys.chunks(crate::aws::DELETE_BATCH) {
        let Deleted { refused, markers } = delete_batch(session, bucket, batch).await?;
        tally.markers += markers;
        for key in batch {
            if let Some((_, failure)) = refused.iter().find(|(k, _)| k == key) {
                tally.failed += 1;
                super::stderr_line(&format!(
                    "sts3: s3://{bucket}/{} not deleted: {failure}",
                    crate::escape::printable(key)
                ));
            } else {
                tally.deleted += 1;
                writeln!(
                    out,
                    "delete: s3://{bucket}/{}",
                    crate::escape::printable(key)
                )?;
            }
        }
    }
    Ok(())
}

/// One DeleteObjects; after a failure new credentials may help with, once more.
async fn delete_batch(
    session: &mut Session<'_>,
    bucket: &str,
    keys: &[String],
) -> Result<Deleted, CommandError> {
    let signed_with = session.signed_with();
    match session.clients.s3.delete_keys(bucket, keys).await {
        Ok(refused) => Ok(refused),
        Err(failure) => {
            session.recover(failure, signed_with).await?;
            session
                .clients
                .s3
                .delete_keys(bucket, keys)
                .await
                .map_err(|failure| session.bucket_error(failure))
        }
    }
}

/// Every key under each of `prefixes` in `bucket`, at any depth, in order.
pub(super) async fn keys_under(
    session: &mut Session<'_>,
    bucket: &str,
    prefixes: &[String],
) -> Result<Vec<String>, CommandError> {
    let mut keys = Vec::new();
    for prefix in prefixes {
        let mut request = every_key_under(bucket, prefix, 1000);
        loop {
            let page = session.page(&request).await?;
            keys.extend(page.objects.iter().map(|o| o.key.to_string()));
            let Some(next) = Cursor::after_page(request.cursor().as_ref(), &page) else {
                break;
            };
            request = request.from_cursor(Some(next));
        }
    }
    Ok(keys)
}

/// The first page of every key under `prefix` (at any depth), `max_keys` at most.
fn every_key_under(bucket: &str, prefix: &str, max_keys: i32) -> PageRequest {
    PageRequest {
        bucket: bucket.to_string(),
        prefix: prefix.to_string(),
        continuation_token: None,
        token_after: None,
        start_after: None,
        max_keys,
        folders: false,
    }
}
