//! `sts3 policy check -b BUCKET [--prefix P] [KEY]`: asks S3 what the session may do to a key
//! or folder and prints it beside what the session policy predicts. Exits 0 when every answer
//! is the predicted one, 1 otherwise, so CI can check that a policy grants exactly what it
//! should.

use super::session::{CommandError, Session};
use crate::access_check::{Answer, Check, Target};
use crate::cli::CheckArgs;
use crate::escape::printable;
use crate::settings::Settings;
use std::io::Write;

pub async fn run(
    settings: &Settings,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    if let Some(key) = &args.key {
        super::get::check_key(key)?;
    }
    let target = match &args.key {
        Some(key) => Target::Object(key.clone()),
        None => Target::Prefix(settings.target.prefix.clone()),
    };
    let mut session = Session::open(settings).await?;
    let mut check = Check::new(&settings.target.bucket, target, session.session_policy());
    for i in 0..check.rows.len() {
        let probe = check.rows[i].probe.clone();
        let signed_with = session.signed_with();
        let mut result = session
            .clients
            .s3
            .probe(&settings.target.bucket, &probe)
            .await;
        if let Err(failure) = &result
            && session.recover(failure.clone(), signed_with).await.is_ok()
        {
            result = session
                .clients
                .s3
                .probe(&settings.target.bucket, &probe)
                .await;
        }
        check.rows[i].answer = Some(Answer::of(result));
    }
    let summary = check.summary();
    if args.json {
        writeln!(out, "{}", check.to_json())?;
    } else {
        let what = match &check.target {
            Target::Object(key) => format!("s3://{}/{}", settings.target.bucket, printable(key)),
            Target::Prefix(p) => format!("s3://{}/{}", settings.target.bucket, printable(p)),
        };
        writeln!(
            out,
            "{what} as {} ({} mode)",
            printable(&session.info.principal_arn),
            settings.target.mode
        )?;
        for line in check.table() {
            writeln!(out, "{line}")?;
        }
        writeln!(out, "{summary}")?;
    }
    match (check.all_agree(), args.json) {
        (true, _) => Ok(()),
        (false, true) => Err(CommandError::Mismatch(summary)),
        // The table above says which and why.
        (false, false) => Err(CommandError::Mismatch(
            "not every answer is the predicted one (exit 1)".to_string(),
        )),
    }
}
