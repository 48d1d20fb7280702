//! The command line: the contract that tests and scripts use. A thin shell over [`crate::workbench`].

mod args;
mod commands;
mod conduct_commands;
mod credentials;
mod exit_code;
mod graph_commands;
mod import_commands;
mod intervention_commands;
mod na_commands;
mod record_commands;
mod report_commands;
mod risk_commands;
mod subject_commands;

pub use args::{AuditCommand, Cli, Command, UserCommand};
pub use exit_code::exit_code_for;

use clap::Parser;
use std::process::ExitCode;

/// Parses the arguments and runs the command; with no command, opens the GUI.
#[must_use]
pub fn main_entry() -> ExitCode {
    // First, while the process has one thread.
    credentials::take_passwords_from_environment();
    install_quiet_panic_hook();
    init_logging();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", one_line(&err));
            ExitCode::from(exit_code_for(&err))
        }
    }
}

/// The error and its causes on one line, without repeating a cause that an outer message
/// already quotes.
fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// A panic must not print its payload (which could hold record content) or a backtrace: it
/// prints where it happened and that no partial transaction was committed.
fn install_quiet_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error at {location}; the operation was abandoned and no partial change was saved"
        );
    }));
}

/// Logs go to stderr only, at `warn` unless `CCU_LOG` says otherwise. Nothing written to the log
/// carries names, purposes or record content: messages name operations and counts.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CCU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
