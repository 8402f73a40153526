//! `sts3 exec -- CMD`: runs a command with the session. The command's AWS SDK finds it on a
//! loopback endpoint (`AWS_CONTAINER_CREDENTIALS_FULL_URI`, with this run's token in a 0600
//! file), refreshed before it expires; anything that would win over it in the SDKs' chain
//! (keys in the environment, a profile, the user's `~/.aws` files) is kept from the command.
//! `--env` hands static variables instead. The command's exit status is sts3's; SIGINT,
//! SIGTERM and SIGHUP are passed on to it. `sts3 credentials` prints the session for
//! `credential_process`.

use super::session::{CommandError, Session};
use crate::cli::{CredentialsArgs, ExecArgs};
use crate::credentials::export::process_json;
use crate::credentials::schedule::{served_refresh_at, too_short_to_serve};
use crate::failure::backoff;
use crate::serve::env::{self, Private};
use crate::serve::{self, Served};
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use tokio::process::Command;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

/// `sts3 credentials`: the session as `credential_process` output.
pub async fn credentials(
    settings: &Settings,
    args: &CredentialsArgs,
    out: &mut dyn Write,
    on_terminal: bool,
) -> Result<(), CommandError> {
    if on_terminal && !args.force {
        return Err(CommandError::Usage(
            "refusing to print secret keys on a terminal; use sts3 credentials as credential_process in ~/.aws/config, or pipe it (--force prints them anyway)".into(),
        ));
    }
    if let Some(json) = from_a_running_share(settings) {
        writeln!(out, "{json}")?;
        return Ok(());
    }
    let session = Session::open(settings).await?;
    writeln!(out, "{}", process_json(&session.secret))?;
    Ok(())
}

/// The session a running sts3 shares for this very target (its TUI's `S`), as
/// `credential_process` output: one session, one MFA prompt, one countdown.
fn from_a_running_share(settings: &Settings) -> Option<String> {
    let key = settings
        .target
        .share_key(settings.target.mode, &settings.target.bucket);
    crate::serve::registry::sharing(&key)
        .iter()
        .find_map(|env_file| crate::serve::registry::fetch(env_file).ok())
        .map(|served| {
            serde_json::json!({
                "Version": 1,
                "AccessKeyId": served["AccessKeyId"],
                "SecretAccessKey": served["SecretAccessKey"],
                "SessionToken": served["Token"],
                "Expiration": served["Expiration"],
            })
            .to_string()
        })
}

/// `sts3 exec`: the command's exit status (128 + N when a signal ended it).
pub async fn run(settings: &Settings, args: &ExecArgs) -> Result<u8, CommandError> {
    let Some((program, rest)) = args.command.split_first() else {
        return Err(CommandError::Usage(
            "sts3 exec needs a command after --, e.g. sts3 exec -- aws s3 ls".into(),
        ));
    };
    let mut session = Session::open(settings).await?;
    let private = Private::create("sts3-exec").map_err(|e| {
        CommandError::Usage(format!("cannot make a private folder for the token: {e}"))
    })?;
    let (tx, rx) = watch::channel(Served {
        credentials: Some(Arc::new(session.secret.clone())),
        refreshing: false,
    });
    let mut command = Command::new(program);
    command.args(rest);
    let endpoint = prepared(&mut command, args.env, settings, &session, &private, rx).await?;
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => return Err(not_started(program, &e)),
    };
    let mut signals = Signals::new()?;
    let mut refresher = Refresher::new(endpoint.is_some(), settings, &session);
    let mut failures = 0;
    let status = loop {
        let at = served_refresh_at(&session.info, settings.config.refresh.margin_secs);
        tokio::select! {
            status = child.wait() => break status?,
            () = tokio::time::sleep(wait_until(at, &session)), if refresher.waits() => {
                if refresher.needs_code() {
                    refresher.ask(&session, program);
                } else {
                    failures = refresh(&mut session, &tx, failures, None).await;
                }
            }
            code = refresher.code(), if refresher.asking() => match code {
                Some(code) => failures = refresh(&mut session, &tx, failures, Some(&code)).await,
                None => refresher.give_up(&session),
            },
            Some(number) = signals.next() => pass_on(&child, number),
        }
    };
    refresher.stop_asking();
    say_refused(endpoint.as_ref());
    drop(endpoint);
    drop(private);
    Ok(exit_code(status))
}

/// Gives `command` the session: served on an endpoint (returned, serving `served`), or with
/// `--env` as static variables; with its own AWS files either way.
async fn prepared(
    command: &mut Command,
    static_vars: bool,
    settings: &Settings,
    session: &Session<'_>,
    private: &Private,
    served: watch::Receiver<Served>,
) -> Result<Option<serve::Endpoint>, CommandError> {
    for name in env::REMOVED {
        command.env_remove(name);
    }
    let base = settings.target.base_for(settings.target.mode);
    let (region, endpoint_url) = (base.region.as_deref(), base.endpoint_url.as_deref());
    if static_vars {
        command.envs(env::own_files(private, region)?);
        if let Some(url) = endpoint_url {
            command.env("AWS_ENDPOINT_URL", url);
        }
        static_env(command, session);
        return Ok(None);
    }
    let token = serve::new_token()?;
    let token_file = private.write("token", &token)?;
    let endpoint = serve::start(token, served, None).await?;
    let url = endpoint.url();
    command.envs(env::client_vars(
        private,
        &url,
        &token_file,
        region,
        endpoint_url,
    )?);
    say_served(session, &url, command.as_std().get_program());
    Ok(Some(endpoint))
}

/// Says how many requests were refused for want of the token, if any were.
fn say_refused(endpoint: Option<&serve::Endpoint>) {
    if let Some(refused) = endpoint
        .map(|e| e.counts.refused.load(std::sync::atomic::Ordering::Relaxed))
        .filter(|n| *n > 0)
    {
        super::stderr_line(&format!(
            "sts3: refused {refused} request(s) for credentials without this run's token"
        ));
    }
}

/// `--env`: the set in use as variables, said not to refresh.
fn static_env(command: &mut Command, session: &Session<'_>) {
    let c = &session.secret;
    command
        .env("AWS_ACCESS_KEY_ID", &c.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", c.secret_access_key.expose())
        .env("AWS_SESSION_TOKEN", c.session_token.expose())
        .env(
            "AWS_CREDENTIAL_EXPIRATION",
            c.expires_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
    super::stderr_line(&format!(
        "sts3: the command gets static credentials (--env); they expire at {} and do not refresh",
        super::output::local_time(c.expires_at)
    ));
}

/// One line on stderr: what is served, where, until when.
fn say_served(session: &Session<'_>, url: &str, program: &std::ffi::OsStr) {
    let info = &session.info;
    super::stderr_line(&format!(
        "sts3: serving the {} session to {} on {url}; refreshed before it expires",
        info.mode,
        Path::new(program).display()
    ));
    if too_short_to_serve(info.lifetime()) {
        super::stderr_line(&format!(
            "sts3: warning: a {}-minute session is handed out with less than the 16 minutes some SDKs want left (botocore refreshes 15 minutes before expiry); pass --duration 3600 or more",
            info.lifetime().num_minutes()
        ));
    }
}

/// When and how the served session is refreshed: by itself, or with a new MFA code asked on
/// the controlling terminal (`/dev/tty`, never the command's stdin or stdout), or not at all
/// (nothing served, or a code is needed and there is no terminal to ask on: said once, and the
/// session is served until it expires).
struct Refresher {
    refreshes: bool,
    needs_code: bool,
    /// The code being asked for, when the prompt is up.
    asked: Option<tokio::sync::oneshot::Receiver<Option<String>>>,
}

impl Refresher {
    fn new(serving: bool, settings: &Settings, session: &Session<'_>) -> Self {
        let needs_code = settings.target.needs_mfa(settings.target.mode);
        let refreshes = serving && (!needs_code || terminal_to_ask_on(session));
        Self {
            refreshes,
            needs_code,
            asked: None,
        }
    }

    /// Waits for the refresh time (not while a code is being asked for).
    fn waits(&self) -> bool {
        self.refreshes && self.asked.is_none()
    }

    fn needs_code(&self) -> bool {
        self.needs_code
    }

    fn asking(&self) -> bool {
        self.asked.is_some()
    }

    /// Puts up the prompt on the terminal, on a thread of its own (the command and signals
    /// are seen to meanwhile).
    fn ask(&mut self, session: &Session<'_>, program: &OsString) {
        let prompt = format!(
            "sts3: MFA code to refresh the {} session served to {} (it expires at {}): ",
            session.info.mode,
            Path::new(program).display(),
            super::output::local_time(session.info.expires_at)
        );
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let _ = tx.send(ask_on_terminal(&prompt));
        });
        self.asked = Some(rx);
    }

    /// The code typed, once it is (`None`: none was).
    async fn code(&mut self) -> Option<String> {
        let asked = self.asked.as_mut()?;
        let code = asked.await.ok().flatten();
        self.asked = None;
        code
    }

    /// No code was typed: the session is served until it expires.
    fn give_up(&mut self, session: &Session<'_>) {
        self.refreshes = false;
        super::stderr_line(&format!(
            "sts3: no MFA code was entered; the session is served until it expires at {}",
            super::output::local_time(session.info.expires_at)
        ));
    }

    /// The command ended with the prompt up: the terminal is given back as it was.
    fn stop_asking(&mut self) {
        if self.asked.take().is_some() {
            let _ = crossterm::terminal::disable_raw_mode();
            eprintln!();
        }
    }
}

/// Whether there is a terminal to ask for a code on; said once when there is none.
fn terminal_to_ask_on(session: &Session<'_>) -> bool {
    let there = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .is_ok();
    if !there {
        super::stderr_line(&format!(
            "sts3: warning: a refresh of this session needs a new MFA code and there is no terminal to ask for one on; it is served until it expires at {}",
            super::output::local_time(session.info.expires_at)
        ));
    }
    there
}

/// Asks on the controlling terminal for a code, typed without echo; `None` when cancelled
/// (Esc, Ctrl-C) or when the terminal cannot be used.
fn ask_on_terminal(prompt: &str) -> Option<String> {
    let mut tty = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/tty")
        .ok()?;
    let _ = write!(tty, "\r\n{prompt}");
    let _ = tty.flush();
    let code = super::session::read_unechoed().ok().flatten();
    let _ = write!(tty, "\r\n");
    code.filter(|c| !c.is_empty())
}

/// How long until `at` on the server's clock.
fn wait_until(at: DateTime<Utc>, session: &Session<'_>) -> std::time::Duration {
    (at - session.server_now()).to_std().unwrap_or_default()
}

/// Refreshes the served session: clients asking meanwhile wait for the new set. Returns the
/// failures in a row (0 after a success); after a failure the next try waits its backoff.
async fn refresh(
    session: &mut Session<'_>,
    tx: &watch::Sender<Served>,
    failures: u32,
    code: Option<&str>,
) -> u32 {
    tx.send_modify(|s| s.refreshing = true);
    let started = crate::clock::instant();
    let result = match code {
        Some(code) => session.refresh_with_code(code).await,
        None => session.refresh().await,
    };
    // What a client asking meanwhile waits for, at most (scripts/bench --serve reads it).
    tracing::debug!(
        sts_ms = started.elapsed().as_secs_f64() * 1000.0,
        "served session refreshed"
    );
    match result {
        Ok(()) => {
            let fresh = Arc::new(session.secret.clone());
            tx.send_modify(|s| {
                s.credentials = Some(fresh);
                s.refreshing = false;
            });
            0
        }
        Err(e) => {
            tx.send_modify(|s| s.refreshing = false);
            wait_after_failure(&e, failures + 1).await;
            failures + 1
        }
    }
}

/// A refresh failed (the `failures`th in a row): said, and the backoff waited out.
async fn wait_after_failure(e: &CommandError, failures: u32) {
    let wait = backoff(failures);
    super::stderr_line(&crate::failure::and_then(
        &e.to_string(),
        &format!(
            "the session in use is served until it expires; trying again in {}s",
            wait.num_seconds()
        ),
    ));
    tokio::time::sleep(wait.to_std().unwrap_or_default()).await;
}

/// The command could not be started: 127 when it is not found (as a shell says), 126 when
/// it cannot be run.
fn not_started(program: &OsString, e: &std::io::Error) -> CommandError {
    let name = crate::escape::printable(&program.to_string_lossy()).into_owned();
    match e.kind() {
        std::io::ErrorKind::NotFound => CommandError::NotStarted {
            code: 127,
            why: format!("{name}: command not found"),
        },
        _ => CommandError::NotStarted {
            code: 126,
            why: format!("{name}: cannot run it: {e}"),
        },
    }
}

/// The command's exit status as sts3's: its code, or 128 + the signal that ended it.
fn exit_code(status: std::process::ExitStatus) -> u8 {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => u8::try_from(code & 0xff).unwrap_or(1),
        (None, Some(signal)) => u8::try_from(128 + signal).unwrap_or(1),
        (None, None) => 1,
    }
}

/// SIGINT, SIGTERM and SIGHUP, to pass on to the command.
struct Signals(Vec<(tokio::signal::unix::Signal, i32)>);

impl Signals {
    fn new() -> std::io::Result<Self> {
        Ok(Self(vec![
            (signal(SignalKind::interrupt())?, 2),
            (signal(SignalKind::terminate())?, 15),
            (signal(SignalKind::hangup())?, 1),
        ]))
    }

    /// The next of them to arrive.
    async fn next(&mut self) -> Option<i32> {
        let waits = self.0.iter_mut().map(|(s, n)| {
            let n = *n;
            Box::pin(async move { s.recv().await.map(|()| n) })
        });
        futures_util::future::select_all(waits).await.0
    }
}

/// Passes signal `number` on to the command.
fn pass_on(child: &tokio::process::Child, number: i32) {
    use rustix::process::{Pid, Signal, kill_process};
    let signal = match number {
        2 => Signal::INT,
        1 => Signal::HUP,
        _ => Signal::TERM,
    };
    if let Some(pid) = child
        .id()
        .and_then(|id| i32::try_from(id).ok())
        .and_then(Pid::from_raw)
    {
        let _ = kill_process(pid, signal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn the_exit_status_is_the_commands_or_128_and_its_signal() {
        assert_eq!(exit_code(std::process::ExitStatus::from_raw(3 << 8)), 3);
        assert_eq!(exit_code(std::process::ExitStatus::from_raw(0)), 0);
        assert_eq!(exit_code(std::process::ExitStatus::from_raw(15)), 143);
        assert_eq!(exit_code(std::process::ExitStatus::from_raw(2)), 130);
    }

    #[test]
    fn a_command_not_found_is_127_and_one_that_cannot_run_126() {
        let name = OsString::from("no-such-tool");
        let missing = not_started(&name, &std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(missing.exit_code(), 127);
        assert_eq!(missing.to_string(), "sts3: no-such-tool: command not found");
        let denied = not_started(
            &name,
            &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert_eq!(denied.exit_code(), 126);
    }

    #[tokio::test]
    async fn credentials_refuse_a_terminal_before_asking_anything() {
        let opts = crate::cli::Options {
            bucket: Some("b-1".into()),
            ..crate::cli::Options::default()
        };
        let settings = Settings::resolve_text(&opts, "", "test.toml").unwrap();
        let mut out = Vec::new();
        let e = credentials(&settings, &CredentialsArgs { force: false }, &mut out, true)
            .await
            .unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            e.to_string(),
            "sts3: refusing to print secret keys on a terminal; use sts3 credentials as credential_process in ~/.aws/config, or pipe it (--force prints them anyway)"
        );
        assert!(out.is_empty(), "no secret printed");
    }
}
