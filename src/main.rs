//! Command line → settings → run (the TUI, or `sts3 list`, `get`, `presign`).

use clap::Parser;
use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use sts3::cli::{Cli, Command, CopyArgs, ListArgs, PolicyCommand};
use sts3::headless::{CommandError, reader_gone, stderr_line};
use sts3::settings::{Settings, load_keymap};
use tokio::runtime::Runtime;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    if let Some(code) = generated(cli.command.as_ref()) {
        return code;
    }
    if let Err(e) = cli.resolve_uris() {
        return fail(&e, 2);
    }
    let settings = match Settings::resolve(&cli.opts) {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string(), 2),
    };
    if let Err(e) = sts3::logging::init(settings.config.debug) {
        return fail(&e, 2);
    }
    let runtime = match async_runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}"), 1),
    };
    if let Some(command) = &cli.command
        && let Err(e) = bucket_if_needed(command, &settings)
    {
        return fail(&e, 2);
    }
    match cli.command {
        Some(command) => headless(&runtime, &settings, command),
        None => tui(&runtime, settings),
    }
}

/// The bucket, when `command` needs one.
fn bucket_if_needed(command: &Command, settings: &Settings) -> Result<(), String> {
    if needs_bucket(command, settings) {
        settings.require_bucket().map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn async_runtime() -> std::io::Result<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// Runs a headless command.
fn headless(runtime: &Runtime, settings: &Settings, command: Command) -> ExitCode {
    match command {
        Command::List(args) => list(runtime, settings, &args),
        Command::Get(args) if args.recursive => {
            let mut out = std::io::stdout().lock();
            let result =
                runtime.block_on(sts3::headless::get::folder::run(settings, &args, &mut out));
            finish_writes(result.map(|t| t.failed))
        }
        Command::Get(args) => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
            let result = runtime
                .block_on(sts3::headless::get::run(settings, &args, &mut out))
                .and_then(|n| out.flush().map(|()| n).map_err(CommandError::Output));
            finish(result.map(|_| ()))
        }
        Command::Presign(args) => {
            let mut out = std::io::stdout().lock();
            finish(runtime.block_on(sts3::headless::presign::run(settings, &args, &mut out)))
        }
        Command::Restore(args) => {
            let mut out = std::io::stdout().lock();
            finish(runtime.block_on(sts3::headless::restore::run(settings, &args, &mut out)))
        }
        Command::Exec(args) => match runtime.block_on(sts3::headless::exec::run(settings, &args)) {
            Ok(code) => ExitCode::from(code),
            Err(e) => {
                stderr_line(&e.to_string());
                ExitCode::from(e.exit_code())
            }
        },
        Command::Credentials(args) => {
            let on_terminal = std::io::stdout().is_terminal();
            let mut out = std::io::stdout().lock();
            finish(runtime.block_on(sts3::headless::exec::credentials(
                settings,
                &args,
                &mut out,
                on_terminal,
            )))
        }
        Command::Policy(args) => {
            let mut out = std::io::stdout().lock();
            let PolicyCommand::Check(check) = &args.command;
            finish(runtime.block_on(sts3::headless::policy::run(settings, check, &mut out)))
        }
        Command::Put(args) => {
            let mut out = std::io::stdout().lock();
            let result = runtime.block_on(sts3::headless::put::run(settings, &args, &mut out));
            finish_writes(result.map(|t| t.failed))
        }
        Command::Uploads(args) => {
            let mut out = std::io::stdout().lock();
            let result = runtime.block_on(sts3::headless::uploads::run(settings, &args, &mut out));
            finish_writes(result.map(|t| t.failed))
        }
        Command::Cp(args) => copy(runtime, settings, &args, false),
        Command::Mv(args) => copy(runtime, settings, &args, true),
        Command::Rm(args) => {
            let mut out = std::io::stdout().lock();
            let result = runtime.block_on(sts3::headless::rm::run(settings, &args, &mut out));
            finish_writes(result.map(|t| t.failed))
        }
        // Printed before the settings are read (see `generated`).
        Command::Completions { .. } | Command::Man => ExitCode::SUCCESS,
    }
}

/// `sts3 cp` and `sts3 mv`.
fn copy(runtime: &Runtime, settings: &Settings, args: &CopyArgs, moving: bool) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let result = runtime.block_on(sts3::headless::cp::run(settings, args, moving, &mut out));
    finish_writes(result.map(|t| t.failed))
}

/// A writing command's end: 1 when any object failed (each said already), else 0.
fn finish_writes(result: Result<u64, CommandError>) -> ExitCode {
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => finish(Err(e)),
    }
}

/// `sts3 completions SHELL` and `sts3 man`: printed from the command line's definition alone,
/// before any config is read (a broken config file does not stop them).
fn generated(command: Option<&Command>) -> Option<ExitCode> {
    use clap::CommandFactory;
    // Made whole first: clap_complete panics when a write fails (`| head`).
    let mut text = Vec::new();
    match command? {
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "sts3", &mut text);
        }
        Command::Man => {
            if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut text) {
                return Some(fail(&format!("cannot make the manual page: {e}"), 1));
            }
        }
        _ => return None,
    }
    let mut out = std::io::stdout().lock();
    Some(match out.write_all(&text).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if reader_gone(&e) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write: {e}"), 1),
    })
}

/// Whether `command` needs a bucket: every one that reads S3; exec and credentials only when
/// the session policy is the bucket's (federated mode without a policy file).
fn needs_bucket(command: &Command, settings: &Settings) -> bool {
    match command {
        Command::Exec(_) | Command::Credentials(_) => {
            settings.target.mode == sts3::credentials::Mode::Federated
                && !settings.target.policy_from_file
        }
        Command::List(_)
        | Command::Get(_)
        | Command::Presign(_)
        | Command::Restore(_)
        | Command::Policy(_)
        | Command::Put(_)
        | Command::Uploads(_)
        | Command::Cp(_)
        | Command::Mv(_)
        | Command::Rm(_) => true,
        Command::Completions { .. } | Command::Man => false,
    }
}

/// `sts3 list`.
fn list(runtime: &Runtime, settings: &Settings, args: &ListArgs) -> ExitCode {
    // Line by line on a terminal; in large blocks into a pipe or a file (one write a
    // line would be the slowest part of listing a big bucket).
    let stdout = std::io::stdout();
    let mut out: Box<dyn Write> = if stdout.is_terminal() {
        Box::new(stdout.lock())
    } else {
        Box::new(BufWriter::with_capacity(1 << 16, stdout.lock()))
    };
    let result = runtime
        .block_on(sts3::headless::run(settings, args, &mut out))
        .and_then(|n| out.flush().map(|()| n).map_err(CommandError::Output));
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(CommandError::Output(e)) if reader_gone(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = out.flush(); // what was listed, before the reason it stopped
            stderr_line(&e.to_string());
            ExitCode::from(e.exit_code())
        }
    }
}

/// The TUI, on a terminal.
fn tui(runtime: &Runtime, settings: Settings) -> ExitCode {
    let keymap = match load_keymap() {
        Ok(k) => k,
        Err(e) => return fail(&e.to_string(), 2),
    };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return fail(
            "the TUI needs a terminal; use `sts3 list` for scripts (see sts3 list --help)",
            2,
        );
    }
    match runtime.block_on(sts3::runtime::run(settings, keymap)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("terminal error: {e}"), 1),
    }
}

/// The exit of a command that prints nothing more at the end.
fn finish(result: Result<(), CommandError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CommandError::Output(e)) if reader_gone(&e) => ExitCode::SUCCESS,
        Err(e) => {
            stderr_line(&e.to_string());
            ExitCode::from(e.exit_code())
        }
    }
}

fn fail(message: &str, code: u8) -> ExitCode {
    stderr_line(&format!("sts3: {message}"));
    ExitCode::from(code)
}
