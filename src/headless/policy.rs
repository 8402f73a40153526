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
        super::get::check_key(key, super::get::ONE_OBJECT)?;
    }
    let target = match &args.key {
        Some(key) => Target::Object(key.clone()),
        None => Target::Prefix(settings.target.prefix.clone()),
    };
    let mut session = Session::open(settings).await?;
    let mut check = Check::new(&settings.target.bucket, target, session.session_policy());
    ask(&mut session, &settings.target.bucket, &mut check).await;
    let summary = check.summary();
    print(out, settings, &session, &check, args.json)?;
    match (check.all_agree(), args.json) {
        (true, _) => Ok(()),
        (false, true) => Err(CommandError::Mismatch(summary)),
        // The table above says which and why.
        (false, false) => Err(CommandError::Mismatch(
            "not every answer is the predicted one (exit 1)".to_string(),
        )),
    }
}

/// Asks S3 each of the check's questions (once more with new credentials when they may help).
async fn ask(session: &mut Session<'_>, bucket: &str, check: &mut Check) {
    for i in 0..check.rows.len() {
        let probe = check.rows[i].probe.clone();
        if !probe.sent() {
            continue;
        }
        let signed_with = session.signed_with();
        let mut result = session.clients.s3.probe(bucket, &probe).await;
        if let Err(failure) = &result
            && session.recover(failure.clone(), signed_with).await.is_ok()
        {
            result = session.clients.s3.probe(bucket, &probe).await;
        }
        check.rows[i].answer = Some(Answer::of(result));
    }
}

/// The check as a table (or JSON): as whom, what S3 answered, what the policy predicts.
fn print(
    out: &mut dyn Write,
    settings: &Settings,
    session: &Session<'_>,
    check: &Check,
    json: bool,
) -> Result<(), CommandError> {
    if json {
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
        writeln!(out, "{}", check.summary())?;
    }
    Ok(())
}
