//! The command-line grammar.

use crate::domain::Role;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// CCU Workbench: an offline, encrypted intelligence workbench for a Counter Corruption Unit.
///
/// With no command, opens the GUI. Credentials come from `CCU_USER` and `CCU_PASSWORD` when set,
/// else a prompt; a new password from `CCU_NEW_PASSWORD`, else a prompt.
#[derive(Debug, Parser)]
#[command(name = "ccu-workbench", version, about, long_about = None)]
pub struct Cli {
    /// The workbench folder (a `.ccuwb` folder).
    #[arg(long, env = "CCU_WORKBENCH", global = true, value_name = "PATH")]
    pub workbench: Option<PathBuf>,

    /// The purpose of this session (operation reference or reason), recorded against every
    /// consultation and disclosure.
    #[arg(long, env = "CCU_PURPOSE", global = true, value_name = "TEXT")]
    pub purpose: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new workbench whose first user is an inspector.
    Init {
        /// The first user's name.
        #[arg(long, value_name = "NAME")]
        admin: String,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Rotate the master key (after removing a user, so old copies of their slot open nothing).
    Rekey,
    /// Write an encrypted backup folder that opens with the same credentials.
    Backup {
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
    },
    /// Restore a backup folder to the path given by --workbench (which must not exist).
    Restore {
        #[arg(long, value_name = "PATH")]
        from: PathBuf,
    },
    /// Check or read the hash-chained audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Open the GUI (the default with no command).
    Gui,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user (inspectors only).
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// List users and roles.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change your own password, or (inspectors) give NAME a new one.
    Passwd { name: Option<String> },
    /// Remove a user (inspectors only). Run `rekey` afterwards.
    Remove { name: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the whole hash chain; names the first bad entry.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Print audit entries (inspectors only, with a purpose).
    Show {
        #[arg(long)]
        json: bool,
        /// First entry number to show.
        #[arg(long, default_value_t = 1)]
        from: i64,
        /// How many entries to show at most.
        #[arg(long, default_value_t = 1_000_000)]
        limit: usize,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse::<Role>().map_err(|e| e.to_string())
}
