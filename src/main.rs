//! Command line → settings → run (the TUI, or `sts3 list`).

use clap::Parser;
use std::process::ExitCode;
use sts3::keymap::Keymap;
use sts3::cli::{Cli, Command};
use sts3::settings::{Settings, project_dirs};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::resolve(&cli.opts) {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string(), 2),
    };
    if let Err(e) = sts3::logging::init(settings.debug) {
        return fail(&e, 2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}"), 1),
    };
    match cli.command {
        Some(Command::List(args)) => {
            let mut stdout = std::io::stdout().lock();
            match runtime.block_on(sts3::headless::run(&settings, &args, &mut stdout)) {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(1)
                }
            }
        }
        None => {
            let keymap = match load_keymap() {
                Ok(k) => k,
                Err(e) => return fail(&e, 2),
            };
            match runtime.block_on(sts3::runtime::run(settings, keymap)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&format!("terminal error: {e}"), 1),
            }
        }
    }
}

fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("sts3: {message}");
    ExitCode::from(code)
}

/// The built-in keymap with the user's `keymap.toml` (next to `config.toml`) merged over it.
fn load_keymap() -> Result<Keymap, String> {
    let path = std::env::var_os("STS3_KEYMAP")
        .map(std::path::PathBuf::from)
        .or_else(|| project_dirs().map(|d| d.config_dir().join("keymap.toml")));
    let Some(path) = path else {
        return Ok(Keymap::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            Keymap::load(Some((&path.display().to_string(), &text))).map_err(|e| e.to_string())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Keymap::default()),
        Err(e) => Err(format!("cannot read keymap {}: {e}", path.display())),
    }
}
