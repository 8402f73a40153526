//! `sts3 uploads [s3://B/PREFIX] [--abort]`: the multipart uploads begun under a prefix and
//! never completed nor aborted. S3 keeps (and bills) their parts, and no listing shows them;
//! `--abort` removes them, predicted by the session policy first (`s3:AbortMultipartUpload`).

use super::session::{CommandError, Session};
use crate::aws::{Multipart, Unfinished, UploadId};
use crate::cli::UploadsArgs;
use crate::settings::Settings;
use std::io::Write;

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub listed: u64,
    pub aborted: u64,
    pub failed: u64,
}

/// Runs the command: one line an upload on `out` (when it began, its key, its id), then with
/// `--abort` one line an upload aborted.
pub async fn run(
    settings: &Settings,
    args: &UploadsArgs,
    out: &mut dyn Write,
) -> Result<Tally, CommandError> {
    let bucket = settings.target.bucket.clone();
    let prefix = settings.target.prefix.clone();
    if let Some(policy) = settings.target.session_policy(settings.target.mode) {
        super::write::predicted_on_bucket(policy, "s3:ListBucketMultipartUploads", &bucket)?;
    }
    let mut session = Session::open(settings).await?;
    let uploads = listed(&mut session, &bucket, &prefix).await?;
    let mut tally = Tally {
        listed: uploads.len() as u64,
        ..Tally::default()
    };
    for u in &uploads {
        writeln!(out, "{}", line(&bucket, u))?;
    }
    if uploads.is_empty() {
        super::stderr_line(&format!(
            "sts3: no unfinished multipart uploads under s3://{bucket}/{}",
            crate::escape::printable(&prefix)
        ));
    }
    if !args.abort {
        return Ok(tally);
    }
    if let Some(policy) = session.session_policy() {
        super::write::predicted(
            policy,
            "s3:AbortMultipartUpload",
            &bucket,
            uploads.iter().map(|u| u.key.as_str()),
        )?;
    }
    for u in &uploads {
        let name = format!("s3://{bucket}/{}", crate::escape::printable(&u.key));
        if args.dry_run {
            writeln!(out, "(dry run) abort: {name} {}", u.upload_id)?;
            continue;
        }
        match abort(&mut session, &bucket, u).await {
            Ok(()) => {
                tally.aborted += 1;
                writeln!(out, "abort: {name} {}", u.upload_id)?;
            }
            Err(e) => {
                tally.failed += 1;
                super::stderr_line(&format!("sts3: {name} not aborted: {e}"));
            }
        }
    }
    Ok(tally)
}

/// `2026-12-05 09:30:12  s3://B/KEY  UPLOAD-ID`, the time in UTC.
fn line(bucket: &str, u: &Unfinished) -> String {
    u.line(&format!("s3://{bucket}/{}", u.key))
}

/// ListMultipartUploads, with new credentials once if they may help.
async fn listed(
    session: &mut Session<'_>,
    bucket: &str,
    prefix: &str,
) -> Result<Vec<Unfinished>, CommandError> {
    session
        .with_renewal(|s3| async move { s3.unfinished_uploads(bucket, prefix).await })
        .await
        .map_err(|f| session.bucket_error(f))
}

/// AbortMultipartUpload, with new credentials once if they may help.
async fn abort(
    session: &mut Session<'_>,
    bucket: &str,
    u: &Unfinished,
) -> Result<(), crate::failure::AwsFailure> {
    let upload = UploadId {
        bucket: bucket.to_string(),
        key: u.key.clone(),
        id: u.upload_id.clone(),
    };
    let upload = &upload;
    session
        .with_renewal(|s3| async move { Multipart::abort_upload(&s3, upload).await })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_says_when_where_and_which() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-05T09:30:12Z")
            .unwrap()
            .to_utc();
        let u = Unfinished {
            key: "a b/\u{1b}x.bin".into(),
            upload_id: "id-1".into(),
            initiated: Some(at),
        };
        assert_eq!(
            line("b", &u),
            "2026-12-05 09:30:12  s3://b/a b/\\u{1b}x.bin  id-1"
        );
        let undated = Unfinished {
            initiated: None,
            ..u
        };
        assert!(line("b", &undated).starts_with("                     s3://b/"));
    }
}
