//! `sts3 presign -b BUCKET KEY [--expires SECONDS]`: a GET URL signed with the session's
//! temporary credentials. Such a URL stops working when the session expires, whatever
//! `X-Amz-Expires` says, so it is signed for no longer than the session has left, and stderr
//! says until when it works and why. The URL alone goes to stdout.

use super::output::local_time;
use super::session::{CommandError, Session};
use crate::cli::PresignArgs;
use crate::credentials::format_hms;
use crate::object::presign::{MAX_SECS, PresignError, validity};
use crate::settings::Settings;
use crate::transfer::Source;
use chrono::TimeDelta;
use std::io::Write;

pub async fn run(
    settings: &Settings,
    args: &PresignArgs,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    super::get::check_key(&args.key, super::get::ONE_OBJECT)?;
    let requested = args.expires.unwrap_or(settings.config.objects.presign_secs);
    if requested == 0 || requested > MAX_SECS {
        return Err(CommandError::Usage(
            PresignError::OutOfRange(requested).to_string(),
        ));
    }
    let session = Session::open(settings).await?;
    let now = session.server_now();
    let v = validity(requested, now, session.info.expires_at)
        .map_err(|e| CommandError::Download(e.to_string()))?;
    let src = Source {
        bucket: &settings.target.bucket,
        key: &args.key,
        version: args.version_id.as_deref(),
    };
    let url = session
        .clients
        .s3
        .presign(src.bucket, src.key, src.version, v.secs)
        .await
        .map_err(|failure| session.object_error(src, failure))?;
    writeln!(out, "{url}")?;
    if let Some(why) = session.get_object_refusal(src) {
        super::stderr_line(&format!("sts3: warning: {why}; the URL will be refused"));
    }
    let left = format_hms(TimeDelta::seconds(i64::try_from(v.secs).unwrap_or(0)));
    if v.capped_by_session && args.expires.is_some() {
        super::stderr_line(&format!(
            "sts3: warning: asked for {requested} s, but the session ends sooner; the URL is valid until {} (the session's expiry, in {left})",
            local_time(v.until)
        ));
    } else if v.capped_by_session {
        // The default asked for more than the session has: no warning, the bound is named.
        super::stderr_line(&format!(
            "sts3: valid until {} (the session's expiry, in {left})",
            local_time(v.until)
        ));
    } else {
        super::stderr_line(&format!(
            "sts3: valid until {} (in {left})",
            local_time(v.until)
        ));
    }
    Ok(())
}
