//! `sts3 restore KEY [--days N] [--tier T] [--version-id ID]`: asks S3 to restore an archived
//! object (RestoreObject), predicted by the session policy first (`s3:RestoreObject`: a
//! refusal sends nothing, not even to STS), then says where the restore stands (HeadObject's
//! `x-amz-restore`) and how long the tier usually takes.

use super::session::{CommandError, Session};
use crate::aws::RestoreAsked;
use crate::cli::RestoreArgs;
use crate::escape::printable;
use crate::object::archive::{self, Restore};
use crate::settings::Settings;
use std::io::Write;

pub async fn run(
    settings: &Settings,
    args: &RestoreArgs,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    super::get::check_key(&args.key, super::get::ONE_OBJECT)?;
    let days = args.days.unwrap_or(settings.config.objects.restore_days);
    let days = archive::check_days(days).map_err(CommandError::Usage)?;
    let bucket = settings.target.bucket.as_str();
    let (key, version) = (args.key.as_str(), args.version_id.as_deref());
    if let Some(policy) = settings.target.session_policy(settings.target.mode) {
        super::write::predicted(policy, "s3:RestoreObject", bucket, std::iter::once(key))?;
    }
    let mut session = Session::open(settings).await?;
    let tier = args.tier;
    let asked = session
        .with_renewal(
            |s3| async move { s3.restore_object(bucket, (key, version), days, tier).await },
        )
        .await
        .map_err(|failure| refused(&session, key, failure))?;
    let uri = format!("s3://{bucket}/{}", printable(key));
    // Where it stands now, and the class it is restored from (for the wait to say).
    let detail = session
        .with_renewal(|s3| async move { s3.head(bucket, key, version).await })
        .await
        .ok();
    let class = detail
        .as_ref()
        .and_then(|d| d.storage_class.as_deref())
        .map(crate::bucket::StorageClass::parse)
        .unwrap_or_default();
    let state = detail
        .as_ref()
        .and_then(|d| d.restore.as_deref())
        .and_then(Restore::parse);
    let said = match (asked, state) {
        (_, Some(Restore::Until(until))) => {
            let until = until.map_or_else(String::new, |t| {
                format!(" until {}", super::output::local_time(t))
            });
            format!("restored: {uri} can be read{until}")
        }
        (RestoreAsked::InProgress, _) => {
            format!("in progress: a restore of {uri} was asked for already")
        }
        (RestoreAsked::Started, _) => {
            let wait = tier
                .typical_wait(&class)
                .map(|w| format!(" (usually {w})"))
                .unwrap_or_default();
            format!(
                "restore asked: {uri}, {} tier{wait}, for {days} days",
                tier.name()
            )
        }
    };
    writeln!(out, "{said}")?;
    Ok(())
}

/// A refused restore, with why when the session policy says (a class that needs none is
/// S3's `InvalidObjectState`).
fn refused(session: &Session<'_>, key: &str, failure: crate::failure::AwsFailure) -> CommandError {
    let hint = match failure.code.as_deref() {
        Some("InvalidObjectState") => Some(
            "the object is not archived (only GLACIER, DEEP_ARCHIVE and Intelligent-Tiering's archive tiers need a restore)"
                .to_string(),
        ),
        _ => session.session_policy().and_then(|p| {
            p.why_refused(
                &failure,
                "s3:RestoreObject",
                &session.settings.target.bucket,
                key,
            )
        }),
    };
    CommandError::Object(Box::new(super::session::ObjectFailure {
        bucket: session.settings.target.bucket.clone(),
        key: key.to_string(),
        failure,
        hint,
    }))
}
