//! Command line → settings → run.

use clap::Parser;
use std::process::ExitCode;
use sts3::cli::{Cli, Command};
use sts3::config::Settings;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::resolve(&cli.opts) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sts3: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = sts3::logging::init(settings.debug) {
        eprintln!("sts3: {e}");
        return ExitCode::from(2);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("sts3: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
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
            eprintln!("sts3: the interactive UI is not built yet; use `sts3 list`");
            ExitCode::from(2)
        }
    }
}
