//! `sts3 list`: issue credentials, then print the session and the listing, page by page, for
//! scripts. Output is streamed, so memory stays flat however large the bucket.

use crate::aws::{Clients, Issued, load_base_config};
use crate::bucket::{ListPage, ObjectEntry, PageRequest};
use crate::cli::ListArgs;
use crate::clock;
use crate::credentials::{
    ClockReading, CredentialRequest, Mode, SessionInfo, SpecError, format_hms,
};
use crate::escape::{json_line, printable};
use crate::failure::{Attempt, AwsFailure, Recovery, recovery};
use crate::settings::Settings;
use chrono::{DateTime, Local, Utc};
use serde_json::json;
use std::io::{self, BufRead, Write};
use thiserror::Error;

/// Why `sts3 list` stopped early.
#[derive(Debug, Error)]
pub enum ListError {
    #[error("Caught exception issuing {mode} credentials: {failure}")]
    Issue { mode: Mode, failure: AwsFailure },
    #[error("Caught exception accessing bucket {bucket}: {failure}")]
    Bucket { bucket: String, failure: AwsFailure },
    #[error("sts3: {0}")]
    Spec(#[from] SpecError),
    #[error("sts3: --limit 0 lists nothing; pass --limit 1 or more, or leave it out")]
    ZeroLimit,
    #[error("sts3: --parallel {0} is out of range; pass --parallel between 1 and 64")]
    Parallel(usize),
    #[error("sts3: cannot read the MFA code from standard input: {0}")]
    MfaPrompt(io::Error),
    #[error("sts3: cannot write output: {0}")]
    Output(#[from] io::Error),
}

impl ListError {
    /// The exit code: 2 for bad input found before any network call, 1 otherwise. (A reader
    /// that went away is handled before this.)
    pub fn exit_code(&self) -> u8 {
        match self {
            ListError::Spec(_)
            | ListError::ZeroLimit
            | ListError::Parallel(_)
            | ListError::MfaPrompt(_) => 2,
            ListError::Issue { .. } | ListError::Bucket { .. } | ListError::Output(_) => 1,
        }
    }
}

/// Runs the command, writing the listing to `out`. Returns the number of objects printed.
pub async fn run(
    settings: &Settings,
    args: &ListArgs,
    out: &mut dyn Write,
) -> Result<u64, ListError> {
    // The config file's output options, under the flags.
    let args = &ListArgs {
        limit: args.limit.or(settings.list.limit),
        json: args.json || settings.list.json,
        folders: args.folders || settings.list.folders,
        parallel: args.parallel.or(settings.list.parallel),
    };
    if args.limit == Some(0) {
        return Err(ListError::ZeroLimit);
    }
    if let Some(n) = args.parallel
        && !(1..=64).contains(&n)
    {
        return Err(ListError::Parallel(n));
    }
    let base = settings.base_for(settings.mode);
    let config = load_base_config(&base).await;
    let clients = Clients::build(
        &config,
        settings.path_style(),
        base.profile.as_deref(),
        None,
    );
    let code = mfa_code(settings)?;
    let request = settings.request_for(settings.mode, code.as_deref())?;
    tracing::debug!(mode = %settings.mode, "issuing credentials");
    let issued: Issued = clients
        .sts
        .issue(&request, clock::now())
        .await
        .map_err(|failure| ListError::Issue {
            mode: settings.mode,
            failure,
        })?;
    tracing::debug!(principal = %issued.info.principal_arn, expires = %issued.info.expires_at, "credentials issued");
    warn_of_unlikely_answers(&issued.info);
    clients.slot.install(1, &issued.secret);
    write_header(
        out,
        args.json,
        request.policy().map(crate::policy::SessionPolicy::compact),
        &issued.info,
    )?;
    let mut lister = Lister {
        settings,
        clients: &clients,
        credentials: &request,
        refreshes: 0,
        expires_at: issued.info.expires_at,
    };
    let count = match args.parallel {
        Some(n) if n > 1 && !args.folders => {
            super::parallel::list(&mut lister, args, n, out).await?
        }
        _ => list_all(&mut lister, args, out).await?,
    };
    if args.json {
        writeln!(
            out,
            "{}",
            json_line(&json!({"type": "summary", "objects": count}))
        )?;
    } else {
        writeln!(out, "No. of Objects = {count}")?;
    }
    Ok(count)
}

fn mfa_code(settings: &Settings) -> Result<Option<String>, ListError> {
    if settings.mfa_code.is_some() || !settings.needs_mfa(settings.mode) {
        return Ok(settings.mfa_code.clone());
    }
    let _ = write!(
        io::stderr().lock(),
        "MFA code for {}: ",
        settings.mfa_serial.as_deref().unwrap_or_default()
    );
    let mut line = String::new();
    io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(ListError::MfaPrompt)?;
    Ok(Some(line.trim().to_string()))
}

/// Lists pages with the session's credentials, issuing new ones once when the one failure
/// policy says they may help (the SDK has already retried passing trouble, and a script wants
/// an answer, so nothing else is retried).
pub(super) struct Lister<'a> {
    pub(super) settings: &'a Settings,
    pub(super) clients: &'a Clients,
    credentials: &'a CredentialRequest,
    /// Credential sets issued since the first (at most one by itself).
    pub(super) refreshes: u64,
    expires_at: DateTime<Utc>,
}

impl Lister<'_> {
    /// One page, refreshing the credentials once if that may help. `signed_with` is the
    /// refresh count when the failed request was signed (a parallel worker's may be older).
    pub(super) async fn page(&mut self, request: &PageRequest) -> Result<ListPage, ListError> {
        let signed_with = self.refreshes;
        match self.clients.s3.list_page(request).await {
            Ok(page) => Ok(page),
            Err(failure) => {
                self.recover(failure, signed_with).await?;
                self.clients
                    .s3
                    .list_page(request)
                    .await
                    .map_err(|failure| self.bucket_error(failure))
            }
        }
    }

    /// Whether to try the failed request again (after new credentials if they may help), or
    /// the error to stop with.
    pub(super) async fn recover(
        &mut self,
        failure: AwsFailure,
        signed_with: u64,
    ) -> Result<(), ListError> {
        let attempt = Attempt {
            session_expired: clock::now() >= self.expires_at,
            signed_with_replaced: signed_with < self.refreshes,
            refresh_used: self.refreshes > 0,
            ..Attempt::default()
        };
        match recovery(&failure, attempt) {
            Recovery::RetryNow => Ok(()),
            Recovery::RefreshThenRetry => {
                super::stderr_line(&format!(
                    "sts3: {failure}; issuing new credentials and retrying"
                ));
                let issued = self
                    .clients
                    .sts
                    .issue(self.credentials, clock::now())
                    .await
                    .map_err(|failure| ListError::Issue {
                        mode: self.settings.mode,
                        failure,
                    })?;
                self.refreshes += 1;
                self.clients
                    .slot
                    .install(self.refreshes + 1, &issued.secret);
                self.expires_at = issued.info.expires_at;
                Ok(())
            }
            Recovery::RetryAfter(_) | Recovery::WaitForUser => Err(self.bucket_error(failure)),
        }
    }

    pub(super) fn bucket_error(&self, failure: AwsFailure) -> ListError {
        tracing::debug!(%failure, "page failed");
        ListError::Bucket {
            bucket: self.settings.bucket.clone(),
            failure,
        }
    }
}

async fn list_all(
    lister: &mut Lister<'_>,
    args: &ListArgs,
    out: &mut dyn Write,
) -> Result<u64, ListError> {
    let limit = args.limit.map_or(u64::MAX, |l| l as u64);
    let mut request = PageRequest {
        bucket: lister.settings.bucket.clone(),
        prefix: lister.settings.prefix.clone(),
        continuation_token: None,
        max_keys: lister.settings.page_size,
        folders: args.folders,
    };
    let mut count = 0u64;
    loop {
        let page = lister.page(&request).await?;
        tracing::debug!(
            objects = page.objects.len(),
            prefixes = page.prefixes.len(),
            "page loaded"
        );
        for prefix in &page.prefixes {
            write_prefix(out, args.json, prefix)?;
        }
        for object in &page.objects {
            if count >= limit {
                return Ok(count);
            }
            write_object(out, args.json, object)?;
            count += 1;
        }
        match page.next_token {
            Some(token) if count < limit => request.continuation_token = Some(token),
            _ => return Ok(count),
        }
    }
}

/// Says so on stderr when STS's answer cannot be right: a `Date` far off, or credentials that
/// are expired (or nearly) on arrival.
fn warn_of_unlikely_answers(info: &SessionInfo) {
    if let ClockReading::Implausible(date) = info.clock_reading() {
        super::stderr_line(&format!(
            "sts3: warning: STS's clock said {} (its Date header); that cannot be right",
            date.format("%Y-%m-%d %H:%M:%S UTC")
        ));
    }
    let server_now = match info.clock_reading() {
        ClockReading::Offset(offset) => clock::now() - offset,
        _ => clock::now(),
    };
    if info.expires_within(server_now, 60) {
        super::stderr_line(&format!(
            "sts3: warning: the credentials STS issued expire at {}, {}; check the endpoint and this computer's clock",
            info.expires_at.format("%Y-%m-%d %H:%M:%S UTC"),
            if info.expires_at <= server_now {
                "already past"
            } else {
                "within a minute"
            }
        ));
    }
}

/// Local time as shown everywhere in sts3.
pub fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

fn write_header(
    out: &mut dyn Write,
    as_json: bool,
    policy: Option<&str>,
    info: &SessionInfo,
) -> io::Result<()> {
    if as_json {
        let line = json!({
            "type": "session",
            "mode": info.mode.flag(),
            "principal": info.principal_arn,
            "access_key": info.masked_access_key(),
            "issued_at": info.issued_at.to_rfc3339(),
            "expires_at": info.expires_at.to_rfc3339(),
            "policy": policy.and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok()),
        });
        return writeln!(out, "{}", json_line(&line));
    }
    if let Some(policy) = policy {
        writeln!(out, "Policy: {policy}")?;
    }
    writeln!(out, "Mode: {}", info.mode)?;
    writeln!(out, "Principal: {}", info.principal_arn)?;
    writeln!(out, "Access key: {}", info.masked_access_key())?;
    writeln!(
        out,
        "Expires: {} (in {})",
        local_time(info.expires_at),
        format_hms(info.lifetime())
    )
}

pub(super) fn write_prefix(out: &mut dyn Write, as_json: bool, prefix: &str) -> io::Result<()> {
    if as_json {
        writeln!(
            out,
            "{}",
            json_line(&json!({"type": "prefix", "prefix": prefix}))
        )
    } else {
        writeln!(out, "PRE {}", printable(prefix))
    }
}

pub(super) fn write_object(
    out: &mut dyn Write,
    as_json: bool,
    object: &ObjectEntry,
) -> io::Result<()> {
    if as_json {
        let mut value = serde_json::to_value(object).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.insert("type".into(), json!("object"));
        }
        writeln!(out, "{}", json_line(&value))
    } else {
        writeln!(out, "{} => {}", printable(&object.key), object.etag)
    }
}
