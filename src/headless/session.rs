//! What every headless command shares: issuing the first credentials, a refresh when the one
//! failure policy says it may help, and the errors they stop with.

use crate::aws::{Clients, Issued, load_base_config};
use crate::bucket::{ListPage, PageRequest};
use crate::clock;
use crate::credentials::{
    ClockReading, CredentialRequest, Mode, SecretCredentials, SessionInfo, SpecError,
};
use crate::escape::printable;
use crate::failure::{Attempt, AwsFailure, Recovery, recovery};
use crate::settings::Settings;
use crate::transfer::Source;
use chrono::{DateTime, Utc};
use std::io::{self, Write};
use thiserror::Error;

/// Why a headless command stopped early.
#[derive(Debug, Error)]
pub enum CommandError {
    #[error("Caught exception issuing {mode} credentials: {failure}")]
    Issue { mode: Mode, failure: AwsFailure },
    #[error("{0}")]
    Bucket(Box<BucketFailure>),
    #[error("sts3: {0}")]
    Spec(#[from] SpecError),
    #[error("sts3: --limit 0 lists nothing; pass --limit 1 or more, or leave it out")]
    ZeroLimit,
    #[error("sts3: --parallel {0} is out of range; pass --parallel between 1 and 64")]
    Parallel(usize),
    #[error("sts3: cannot read the MFA code from the terminal: {0}")]
    MfaPrompt(io::Error),
    #[error("sts3: no MFA code was entered; nothing was asked of AWS")]
    MfaCancelled,
    #[error("sts3: cannot write output: {0}")]
    Output(#[from] io::Error),
    #[error("{0}")]
    Object(Box<ObjectFailure>),
    /// Stopped by the signal with this number (2: Ctrl-C).
    #[error("sts3: {}; the partial file was removed", cancelled_by(*.0))]
    Cancelled(i32),
    #[error("sts3: {0}")]
    Usage(String),
    #[error("sts3: {0}")]
    Download(String),
    /// `sts3 policy check`: S3's answers are not all the predicted ones.
    #[error("sts3: {0}")]
    Mismatch(String),
    /// `sts3 exec`'s command could not be started (127: not found, 126: not runnable).
    #[error("sts3: {why}")]
    NotStarted { code: u8, why: String },
}

/// A request on the bucket (a listing) that failed.
#[derive(Debug)]
pub struct BucketFailure {
    pub bucket: String,
    pub failure: AwsFailure,
    /// The way on, when there is one to say.
    pub hint: Option<String>,
}

impl std::fmt::Display for BucketFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let said = format!(
            "Caught exception accessing bucket {}: {}",
            self.bucket, self.failure
        );
        match &self.hint {
            Some(hint) => f.write_str(&crate::failure::and_then(&said, hint)),
            None => f.write_str(&said),
        }
    }
}

/// A request on one object that failed.
#[derive(Debug)]
pub struct ObjectFailure {
    pub bucket: String,
    pub key: String,
    pub failure: AwsFailure,
    /// Why, when the session policy is the reason.
    pub hint: Option<String>,
}

impl std::fmt::Display for ObjectFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let said = format!(
            "Caught exception accessing s3://{}/{}: {}",
            self.bucket,
            printable(&self.key),
            self.failure
        );
        match &self.hint {
            Some(hint) => f.write_str(&crate::failure::and_then(&said, hint)),
            None => f.write_str(&said),
        }
    }
}

impl CommandError {
    /// The exit code: 2 for bad input found before any network call, 1 otherwise. (A reader
    /// that went away is handled before this.)
    pub fn exit_code(&self) -> u8 {
        match self {
            CommandError::Spec(_)
            | CommandError::ZeroLimit
            | CommandError::Parallel(_)
            | CommandError::MfaPrompt(_)
            | CommandError::Usage(_) => 2,
            CommandError::Issue { .. }
            | CommandError::Bucket(_)
            | CommandError::Object(_)
            | CommandError::Output(_)
            | CommandError::Download(_)
            | CommandError::Mismatch(_) => 1,
            // As a shell reports a process a signal ended: 128 + its number.
            CommandError::Cancelled(signal) => u8::try_from(128 + signal).unwrap_or(130),
            // Esc or Ctrl-C at the prompt: cancelled, as a shell reports Ctrl-C.
            CommandError::MfaCancelled => 130,
            CommandError::NotStarted { code, .. } => *code,
        }
    }
}

/// What stopping by this signal is called.
fn cancelled_by(signal: i32) -> &'static str {
    match signal {
        15 => "terminated (SIGTERM)",
        1 => "hung up (SIGHUP)",
        _ => "cancelled",
    }
}

fn mfa_code(settings: &Settings) -> Result<Option<String>, CommandError> {
    use std::io::IsTerminal as _;
    if settings.config.mfa_code.is_some() || !settings.target.needs_mfa(settings.target.mode) {
        return Ok(settings.config.mfa_code.clone());
    }
    if !io::stdin().is_terminal() {
        return Err(CommandError::Usage(
            "no terminal to ask for an MFA code; pass --mfa-code or STS3_MFA_CODE".into(),
        ));
    }
    let _ = write!(
        io::stderr().lock(),
        "MFA code for {}: ",
        printable(settings.target.mfa_serial.as_deref().unwrap_or_default())
    );
    let code = read_unechoed().map_err(CommandError::MfaPrompt)?;
    let _ = writeln!(io::stderr().lock());
    code.map(Some).ok_or(CommandError::MfaCancelled)
}

/// A line typed on the terminal without showing it (as the TUI masks the code); `None` when
/// Esc or Ctrl-C cancels it.
pub(super) fn read_unechoed() -> io::Result<Option<String>> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    /// Raw mode (no echo) for as long as it lives, whatever happens.
    struct Raw;
    impl Drop for Raw {
        fn drop(&mut self) {
            let _ = crossterm::terminal::disable_raw_mode();
        }
    }
    crossterm::terminal::enable_raw_mode()?;
    let _raw = Raw;
    let mut line = String::new();
    loop {
        let Event::Key(key) = read()? else {
            continue;
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        match key.code {
            KeyCode::Enter => return Ok(Some(line.trim().to_string())),
            KeyCode::Esc => return Ok(None),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return Ok(None);
            }
            KeyCode::Backspace => {
                line.pop();
            }
            KeyCode::Char(c) if line.len() < 64 => line.push(c),
            _ => {}
        }
    }
}

/// A headless command's session: the clients, signed with temporary credentials issued at the
/// A wait this long for STS is said on standard error.
const WAIT_SAID_AFTER_SECS: u64 = 3;

/// `call`, saying on standard error while STS takes long to answer (an endpoint that never
/// answers takes three attempts' time): on a terminal a line kept up to date in place and
/// removed when done, else one line after 10 s.
async fn said_while_waiting<T>(place: &str, call: impl std::future::Future<Output = T>) -> T {
    use std::io::IsTerminal;
    let tty = std::io::stderr().is_terminal();
    let mut call = std::pin::pin!(call);
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(1));
    ticks.tick().await; // the first tick is at once
    let (mut secs, mut said) = (0_u64, false);
    loop {
        tokio::select! {
            out = &mut call => {
                if said && tty {
                    eprint!("\r\x1b[K");
                }
                return out;
            }
            _ = ticks.tick() => {
                secs += 1;
                if tty && secs >= WAIT_SAID_AFTER_SECS {
                    eprint!("\r\x1b[Ksts3: waiting for STS at {place} · {secs} s");
                    said = true;
                } else if !tty && !said && secs >= 10 {
                    eprintln!("sts3: still waiting for STS at {place} after {secs} s");
                    said = true;
                }
            }
        }
    }
}

/// start, and new ones issued once when the one failure policy says they may help (the SDK
/// has already retried passing trouble, and a script wants an answer, so nothing else is
/// retried).
pub(super) struct Session<'a> {
    pub(super) settings: &'a Settings,
    pub(super) clients: Clients,
    credentials: CredentialRequest,
    /// Credential sets issued since the first (at most one by itself).
    pub(super) refreshes: u64,
    pub(super) info: SessionInfo,
    /// The set in use (for the commands that hand it to other tools).
    pub(super) secret: SecretCredentials,
}

impl<'a> Session<'a> {
    /// Issues the first credentials (asking for an MFA code on the terminal if one is needed
    /// and was not given) and signs S3 requests with them.
    pub(super) async fn open(settings: &'a Settings) -> Result<Session<'a>, CommandError> {
        let base = settings.target.base_for(settings.target.mode);
        let config = load_base_config(&base).await;
        let mut clients = Clients::build(
            &config,
            settings.target.path_style(),
            base.profile.as_deref(),
            None,
        );
        if settings.config.requester_pays == crate::settings::RequesterPays::Always {
            clients.s3 = clients.s3.charged_to_requester(true);
        }
        let code = mfa_code(settings)?;
        let credentials = settings
            .target
            .request_for(settings.target.mode, code.as_deref())?;
        tracing::debug!(mode = %settings.target.mode, "issuing credentials");
        let place = settings.target.sts_place(settings.target.mode);
        let issued: Issued =
            said_while_waiting(&place, clients.sts.issue(&credentials, clock::now()))
                .await
                .map_err(|failure| CommandError::Issue {
                    mode: settings.target.mode,
                    failure,
                })?;
        tracing::debug!(principal = %issued.info.principal_arn, expires = %issued.info.expires_at, "credentials issued");
        warn_of_unlikely_answers(&issued.info);
        clients.slot.install(1, &issued.secret);
        Ok(Session {
            settings,
            clients,
            credentials,
            refreshes: 0,
            info: issued.info,
            secret: issued.secret,
        })
    }

    /// The session policy attached, compact, if any.
    pub(super) fn policy(&self) -> Option<&str> {
        self.credentials
            .policy()
            .map(crate::policy::SessionPolicy::compact)
    }

    /// The session policy attached, if any.
    pub(super) fn session_policy(&self) -> Option<&crate::policy::SessionPolicy> {
        self.credentials.policy()
    }

    /// Now on the server's clock (as far as STS's `Date` told it).
    pub(super) fn server_now(&self) -> DateTime<Utc> {
        self.info.server_now(clock::now())
    }

    /// One page, refreshing the credentials once if that may help. `signed_with` is the
    /// refresh count when the failed request was signed (a parallel worker's may be older).
    pub(super) async fn page(&mut self, request: &PageRequest) -> Result<ListPage, CommandError> {
        let signed_with = self.refreshes;
        let answer = self.clients.s3.list_page(request).await;
        self.settle_page(request, answer, signed_with).await
    }

    /// The credential refreshes so far: what a request records when it is sent, for
    /// [`Session::settle_page`].
    pub(super) fn signed_with(&self) -> u64 {
        self.refreshes
    }

    /// A page's answer, or its failure through the one failure policy (new credentials when
    /// they may help, then the request once more). `signed_with` is [`Session::signed_with`]
    /// when the request was sent.
    pub(super) async fn settle_page(
        &mut self,
        request: &PageRequest,
        answer: Result<ListPage, AwsFailure>,
        signed_with: u64,
    ) -> Result<ListPage, CommandError> {
        match answer {
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
    ) -> Result<(), CommandError> {
        let refresh_used = self.refreshes > 0;
        self.recover_with(failure, signed_with, refresh_used).await
    }

    /// [`Session::recover`] for a long command, which may need new credentials more than
    /// once: `refresh_used` says whether this failure's request already had its refresh.
    pub(super) async fn recover_with(
        &mut self,
        failure: AwsFailure,
        signed_with: u64,
        refresh_used: bool,
    ) -> Result<(), CommandError> {
        let attempt = Attempt {
            session_expired: self.info.is_expired(self.server_now()),
            signed_with_replaced: signed_with < self.refreshes,
            refresh_used,
            ..Attempt::default()
        };
        match recovery(&failure, attempt) {
            Recovery::RetryNow => Ok(()),
            Recovery::RefreshThenRetry => {
                super::stderr_line(&crate::failure::and_then(
                    &format!("sts3: {failure}"),
                    "issuing new credentials and retrying",
                ));
                self.refresh().await
            }
            Recovery::RetryAfter(_) | Recovery::WaitForUser => Err(self.bucket_error(failure)),
        }
    }

    /// One S3 call, and once more after new credentials when the one failure policy says
    /// they may help.
    pub(super) async fn with_renewal<T, F, Fut>(&mut self, call: F) -> Result<T, AwsFailure>
    where
        F: Fn(crate::aws::S3Browser) -> Fut,
        Fut: std::future::Future<Output = Result<T, AwsFailure>>,
    {
        let signed_with = self.signed_with();
        match call(self.clients.s3.clone()).await {
            Err(failure) if self.recover(failure.clone(), signed_with).await.is_ok() => {
                call(self.clients.s3.clone()).await
            }
            other => other,
        }
    }

    /// New credentials from STS with a new MFA code, used from now on.
    pub(super) async fn refresh_with_code(&mut self, code: &str) -> Result<(), CommandError> {
        let mode = self.settings.target.mode;
        self.credentials = self.settings.target.request_for(mode, Some(code))?;
        self.refresh().await
    }

    /// New credentials from STS, used from now on.
    pub(super) async fn refresh(&mut self) -> Result<(), CommandError> {
        let issued = self
            .clients
            .sts
            .issue(&self.credentials, clock::now())
            .await
            .map_err(|failure| CommandError::Issue {
                mode: self.settings.target.mode,
                failure,
            })?;
        self.refreshes += 1;
        self.clients
            .slot
            .install(self.refreshes + 1, &issued.secret);
        self.info = issued.info;
        self.secret = issued.secret;
        Ok(())
    }

    /// A GET of `src` failed: the failure, and why when the session policy is the reason.
    pub(super) fn object_error(&self, src: Source<'_>, failure: AwsFailure) -> CommandError {
        tracing::debug!(%failure, "object request failed");
        let keyed = self.clients.s3.has_customer_key();
        let hint = if let Some(note) = sse_c_note(&failure, keyed) {
            Some(note)
        } else if failure.code.as_deref() == Some("InvalidObjectState") {
            let version = src
                .version
                .map(|v| format!(" --version-id {}", printable(v)))
                .unwrap_or_default();
            Some(crate::object::archive::archived_note(
                None,
                &format!(
                    "sts3 restore s3://{}/{}{version} asks S3 for a readable copy",
                    src.bucket,
                    printable(src.key)
                ),
            ))
        } else if failure.code.as_deref() == Some("NoSuchKey") {
            // S3 says so only to a session that may list the bucket: where to look.
            let folder = crate::bucket::folder_of(src.key);
            Some(format!(
                "sts3 list s3://{}/{} shows the keys there",
                src.bucket,
                printable(folder)
            ))
        } else {
            self.credentials
                .policy()
                .and_then(|p| p.why_refused(&failure, get_action(src), src.bucket, src.key))
                .or_else(|| self.payer_hint(&failure, Some((get_action(src), src.key))))
        };
        CommandError::Object(Box::new(ObjectFailure {
            bucket: src.bucket.to_string(),
            key: src.key.to_string(),
            failure,
            hint,
        }))
    }

    /// Why the session policy refuses reading `src`, if it does.
    pub(super) fn get_object_refusal(&self, src: Source<'_>) -> Option<String> {
        self.credentials
            .policy()?
            .refusal_hint(get_action(src), src.bucket, src.key)
    }

    pub(super) fn bucket_error(&self, failure: AwsFailure) -> CommandError {
        tracing::debug!(%failure, "page failed");
        let hint = self.payer_hint(&failure, None);
        CommandError::Bucket(Box::new(BucketFailure {
            bucket: self.settings.target.bucket.clone(),
            failure,
            hint,
        }))
    }

    /// A refusal the session policy does not explain (`action` on `key`, or the listing), on
    /// a bucket that may be requester pays, when the requests did not agree to pay: how to.
    fn payer_hint(&self, failure: &AwsFailure, on: Option<(&str, &str)>) -> Option<String> {
        let bucket = &self.settings.target.bucket;
        let explained = self.credentials.policy().is_some_and(|p| match on {
            Some((action, key)) => p.why_refused(failure, action, bucket, key).is_some(),
            None => p.bucket_refusal_hint("s3:ListBucket", bucket).is_some(),
        });
        let ask = self.settings.config.requester_pays == crate::settings::RequesterPays::Ask;
        (ask && !explained && failure.kind == crate::failure::ErrorKind::AccessDenied).then(|| {
            "if the bucket is requester pays, --requester-pays (or requester_pays = \"always\") agrees to pay for the requests".to_string()
        })
    }
}

/// The action a GET of `src` needs: `s3:GetObjectVersion` for a given version.
pub(super) fn get_action(src: Source<'_>) -> &'static str {
    if src.version.is_some() {
        "s3:GetObjectVersion"
    } else {
        "s3:GetObject"
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
    let server_now = info.server_now(clock::now());
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

/// A session many transfers share: the lock for whichever needs it (a listing, a renewal),
/// and its refresh count, read without waiting for the lock.
pub(super) struct SharedSession<'a> {
    session: tokio::sync::Mutex<Session<'a>>,
    refreshes: std::sync::atomic::AtomicU64,
}

impl<'a> SharedSession<'a> {
    pub(super) fn new(session: Session<'a>) -> Self {
        let refreshes = std::sync::atomic::AtomicU64::new(session.refreshes);
        Self {
            session: tokio::sync::Mutex::new(session),
            refreshes,
        }
    }

    /// Credential refreshes so far.
    fn refreshes(&self) -> u64 {
        self.refreshes.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Notes the refreshes `session` made while it was held.
    fn noted(&self, session: &Session<'_>) {
        self.refreshes
            .store(session.refreshes, std::sync::atomic::Ordering::SeqCst);
    }

    /// One page of a listing, through [`Session::page`].
    pub(super) async fn page(&self, request: &PageRequest) -> Result<ListPage, CommandError> {
        let mut session = self.session.lock().await;
        let page = session.page(request).await;
        self.noted(&session);
        page
    }
}

/// The way on when S3 refused reading an object for its customer key (SSE-C): none was given,
/// or the one given (`keyed`) may not be its.
pub(super) fn sse_c_note(failure: &AwsFailure, keyed: bool) -> Option<String> {
    use crate::object::sse_c;
    if sse_c::key_missing(failure) {
        Some(sse_c::missing_note(
            "pass --sse-c-key-file FILE, the 32-byte key it was stored with",
        ))
    } else if sse_c::maybe_wrong_key(failure, keyed) {
        Some(sse_c::wrong_key_note("--sse-c-key-file names another"))
    } else {
        None
    }
}

/// New credentials through the one failure policy for a command of many transfers at once,
/// shared by all of them: one refresh for a failure (the first to meet it issues, the others
/// sign with the new set), and another only once requests went through again (a transfer of
/// hours may outlive several sets).
pub(super) struct SharedRenew<'s, 'a> {
    shared: &'s SharedSession<'a>,
    /// Clears the command's progress line before the session says something.
    clear: &'s dyn Fn(),
    /// The session's refresh count when this transfer last saw it (read when it starts,
    /// without waiting: a transfer starting while new credentials are issued signs with the
    /// old ones, and its refusal is then retried with the new).
    seen: u64,
    refreshed_since_progress: bool,
    /// Why issuing failed, when it did: said instead of the S3 failure that led to it.
    pub(super) stopped: Option<CommandError>,
    /// The last refusal no new credentials change, for the way on it calls for.
    pub(super) refused: Option<AwsFailure>,
}

impl<'s, 'a> SharedRenew<'s, 'a> {
    pub(super) fn new(shared: &'s SharedSession<'a>, clear: &'s dyn Fn()) -> Self {
        Self {
            shared,
            clear,
            seen: shared.refreshes(),
            refreshed_since_progress: false,
            stopped: None,
            refused: None,
        }
    }
}

impl crate::transfer::Renewal for SharedRenew<'_, '_> {
    async fn renewed(&mut self, failure: AwsFailure) -> Result<(), AwsFailure> {
        let mut session = self.shared.session.lock().await;
        (self.clear)();
        let answer = session
            .recover_with(failure.clone(), self.seen, self.refreshed_since_progress)
            .await;
        self.shared.noted(&session);
        if session.refreshes > self.seen {
            self.refreshed_since_progress = true;
        }
        self.seen = session.refreshes;
        match answer {
            Ok(()) => Ok(()),
            Err(CommandError::Bucket(_)) => {
                self.refused = Some(failure.clone());
                Err(failure)
            }
            Err(other) => {
                self.stopped = Some(other);
                Err(failure)
            }
        }
    }

    fn progressed(&mut self) {
        self.refreshed_since_progress = false;
    }
}
