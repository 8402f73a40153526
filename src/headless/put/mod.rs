//! `sts3 put LOCAL… DEST`: local files (a folder: every file under it, under the folder's
//! name) as objects, with a type guessed from the name: what to send is `plan.rs`'s, sending
//! it (one PutObject, or parts through the upload engine) `send.rs`'s. Predicted by the
//! session policy before anything is asked of AWS; an existing key is kept unless `--force`
//! (S3 is asked with `If-None-Match: *`, so a key written meanwhile is kept too).

use super::session::{CommandError, Session};
use crate::cli::PutArgs;
use crate::object::detail::thousands;
use crate::settings::Settings;
use std::io::Write;

mod send;

/// One file to put, and where.
use crate::transfer::plan::Planned as Upload;

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub put: u64,
    pub bytes: u64,
    /// Kept because the key exists (no `--force`).
    pub kept: u64,
    pub failed: u64,
    /// Symbolic links passed over.
    pub skipped_links: u64,
}

/// Runs the command: each upload's line on `out`, as `aws s3 cp` prints them.
pub async fn run(
    settings: &Settings,
    args: &PutArgs,
    out: &mut dyn Write,
) -> Result<Tally, CommandError> {
    let (sources, dest) = args.paths.split_at(args.paths.len().saturating_sub(1));
    let dest = dest
        .first()
        .map(|d| d.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bucket = &settings.target.bucket;
    let mut tally = Tally::default();
    let uploads = crate::transfer::plan::plan(
        sources,
        &dest,
        args.follow_symlinks,
        &mut tally.skipped_links,
    )
    .map_err(CommandError::Usage)?;
    let how = send::How::of(settings, args)?;
    if let Some(policy) = settings.target.session_policy(settings.target.mode) {
        super::write::predicted(
            policy,
            "s3:PutObject",
            bucket,
            uploads.iter().map(|u| &*u.key),
        )?;
    }
    if args.dry_run {
        for u in &uploads {
            say_upload(out, "(dry run) ", u, bucket)?;
        }
        return Ok(tally);
    }
    let session = Session::open(settings).await?;
    let started = crate::clock::instant();
    send::put_all(session, &uploads, &how, &mut tally, out).await?;
    say_summary(&tally, started.elapsed());
    Ok(tally)
}

/// `upload: LOCAL to s3://B/KEY`, as `aws s3 cp` says it.
fn say_upload(out: &mut dyn Write, how: &str, u: &Upload, bucket: &str) -> std::io::Result<()> {
    writeln!(
        out,
        "{how}upload: {} to s3://{bucket}/{}",
        u.path.display(),
        crate::escape::printable(&u.key)
    )
}

fn say_summary(tally: &Tally, took: std::time::Duration) {
    let mut parts = vec![format!(
        "put {} file{} ({} bytes) in {:.1} s",
        thousands(tally.put),
        if tally.put == 1 { "" } else { "s" },
        thousands(tally.bytes),
        took.as_secs_f64()
    )];
    if tally.kept > 0 {
        parts.push(format!("{} kept (they exist)", thousands(tally.kept)));
    }
    if tally.skipped_links > 0 {
        parts.push(format!(
            "{} symbolic link(s) passed over (--follow-symlinks follows them)",
            thousands(tally.skipped_links)
        ));
    }
    if tally.failed > 0 {
        parts.push(format!("{} failed", thousands(tally.failed)));
    }
    super::stderr_line(&format!("sts3: {}", parts.join("; ")));
}
