//! Running each command against the library.

use super::args::{AuditCommand, Cli, Command, PolicyCommand, UserCommand};
use super::credentials;
use crate::crypto::KdfParams;
use crate::risk::crossref::CrossrefOptions;
use crate::workbench::{SecondInspector, Workbench, WorkbenchError, restore_backup};
use anyhow::{Context, Result, anyhow};
use std::path::Path;

/// `audit verify` found a break: exit code 5, with the entry number in the message.
#[derive(Debug, thiserror::Error)]
#[error("audit log broken at entry {seq}: {reason}")]
pub struct AuditChainBroken {
    pub seq: i64,
    pub reason: String,
}

/// Opens the GUI, on this workbench if one is given.
#[cfg(feature = "gui")]
fn open_gui(workbench: Option<std::path::PathBuf>) -> Result<()> {
    crate::ui::run(workbench)
}

/// This build has no GUI: says so, and how to get one.
#[cfg(not(feature = "gui"))]
fn open_gui(_workbench: Option<std::path::PathBuf>) -> Result<()> {
    Err(anyhow!(
        "this build of ccu-workbench has no GUI (it was built without the `gui` feature); use the commands listed by --help, or build with the default features"
    ))
}

/// Runs the parsed command.
///
/// # Errors
/// Whatever failed, with context; the caller prints it on one line.
pub fn run(cli: Cli) -> Result<()> {
    let Some(command) = cli.command else {
        return open_gui(cli.workbench);
    };
    if let Command::Gui = command {
        return open_gui(cli.workbench);
    }
    let path = cli
        .workbench
        .clone()
        .ok_or_else(|| anyhow!("no workbench given: use --workbench PATH or set CCU_WORKBENCH"))?;
    match command {
        Command::Init { admin } => init(&path, &admin),
        Command::Restore { from } => {
            let user = credentials::user_name()?;
            let password = credentials::password()?;
            restore_backup(
                &from,
                &path,
                &user,
                &password,
                crate::platform::data_dir().as_deref(),
            )
            .context("could not restore the backup")?;
            println!("restored to {}", path.display());
            Ok(())
        }
        Command::Gui => open_gui(Some(path)),
        Command::Demo(args) => super::record_commands::run_demo(&path, &args),
        mut other => {
            if let Command::Import(args) = &mut other
                && args.rejects.is_none()
            {
                args.rejects = Some(super::import_commands::default_rejects_path(
                    &path, &args.file,
                ));
            }
            let mut workbench = unlock(&path)?;
            if let Some(purpose) = cli.purpose.as_deref().filter(|p| !p.trim().is_empty()) {
                workbench.set_purpose(purpose)?;
            }
            let result = run_unlocked(&mut workbench, other);
            let locked = workbench.lock();
            result?;
            locked?;
            Ok(())
        }
    }
}

fn init(path: &Path, admin: &str) -> Result<()> {
    let password = match credentials::env_password_or("CCU_NEW_PASSWORD", "CCU_PASSWORD") {
        Some(password) => password,
        None => credentials::new_password("Password for the first inspector")?,
    };
    let workbench = Workbench::create(path, admin, &password, KdfParams::INTERACTIVE)
        .context("could not create the workbench")?;
    workbench.lock()?;
    println!("created workbench {}", path.display());
    Ok(())
}

/// Unlocks with the credentials from the environment or a prompt; after a wrong password, waits
/// the growing delay before exiting so scripted guessing is slow too.
fn unlock(path: &Path) -> Result<Workbench> {
    let user = credentials::user_name()?;
    let password = credentials::password()?;
    match Workbench::unlock(path, &user, &password) {
        Ok(workbench) => {
            for warning in workbench.unlock_warnings() {
                eprintln!("warning: {}", escape_for_terminal(&warning.to_string()));
            }
            Ok(workbench)
        }
        Err(err) => {
            if let WorkbenchError::WrongCredentials {
                retry_after_secs, ..
            } = &err
            {
                std::thread::sleep(std::time::Duration::from_secs(*retry_after_secs));
            }
            Err(err.into())
        }
    }
}

fn run_unlocked(workbench: &mut Workbench, command: Command) -> Result<()> {
    match command {
        Command::User(user) => run_user(workbench, user),
        Command::Rekey => {
            let report = workbench.rekey()?;
            println!(
                "master key rotated to epoch {}; {} key slot(s) re-sealed, {} stale slot(s) deleted",
                report.new_epoch, report.slots_resealed, report.stale_slots_deleted
            );
            Ok(())
        }
        Command::Backup { out } => {
            let report = workbench.backup(&out)?;
            println!(
                "backup written to {} ({} bytes of store, {} key slot(s))",
                report.path.display(),
                report.store_bytes,
                report.slots
            );
            Ok(())
        }
        Command::Audit(audit) => run_audit(workbench, &audit),
        Command::Policy(PolicyCommand::IdleLock { minutes, clear }) => {
            if minutes.is_some() || clear {
                workbench.set_idle_lock_policy(minutes)?;
            }
            match workbench.idle_lock_policy()? {
                Some(max) => {
                    println!("every session locks after at most {max} minutes without input");
                }
                None => println!("no idle lock policy: each user's own setting applies"),
            }
            Ok(())
        }
        Command::Intel(intel) => super::record_commands::run_intel(workbench, intel),
        Command::Attachment(attachment) => {
            super::record_commands::run_attachment(workbench, attachment)
        }
        Command::Nominal(nominal) => super::record_commands::run_nominal(workbench, nominal),
        Command::Subject(subject) => super::subject_commands::run_subject(workbench, &subject),
        Command::Link(link) => super::record_commands::run_link(workbench, link),
        Command::Search(args) => super::record_commands::run_search(workbench, &args),
        Command::Reference(reference) => {
            super::record_commands::run_reference(workbench, reference)
        }
        Command::Graph(graph) => super::graph_commands::run_graph(workbench, graph),
        Command::Export(export) => super::graph_commands::run_export(workbench, export),
        Command::Instrument(instrument) => {
            super::risk_commands::run_instrument(workbench, instrument)
        }
        Command::Assess(args) => super::risk_commands::run_assess(workbench, &args),
        Command::Na(na) => super::na_commands::run_na(workbench, na),
        Command::Beacon(beacon) => super::na_commands::run_beacon(workbench, beacon),
        Command::Intervention(command) => {
            super::intervention_commands::run_intervention(workbench, command)
        }
        Command::Conduct(command) => super::conduct_commands::run_conduct(workbench, command),
        Command::Import(args) => super::import_commands::run_import(workbench, &args),
        Command::Spec(command) => super::import_commands::run_spec(workbench, &command),
        Command::Crossref {
            hospitality_window_days,
            threshold,
            json,
        } => super::import_commands::run_crossref(
            workbench,
            &CrossrefOptions {
                hospitality_window_days,
                threshold,
            },
            json,
        ),
        Command::Lead(command) => super::import_commands::run_lead(workbench, &command),
        Command::Report(command) => super::report_commands::run_report(workbench, command),
        Command::Init { .. } | Command::Restore { .. } | Command::Gui | Command::Demo(_) => Err(
            anyhow!("this command does not run on an unlocked workbench"),
        ),
    }
}

fn run_user(workbench: &mut Workbench, command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Add {
            name,
            role,
            second_inspector,
        } => {
            let password = credentials::new_password("Initial password for the new user")?;
            let user = match second_inspector {
                Some(second) => {
                    let second_password = credentials::second_inspector_password()?;
                    workbench.add_user_cosigned(
                        &name,
                        role,
                        &password,
                        SecondInspector {
                            name: &second,
                            password: &second_password,
                        },
                    )?
                }
                None => workbench.add_user(&name, role, &password)?,
            };
            println!("added user #{} as {}", user.id.0, user.role);
        }
        UserCommand::List { json } => {
            let users = workbench.users()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&users)?);
            } else {
                println!("{:<5} {:<32} {:<10} {:<8}", "ID", "NAME", "ROLE", "STATUS");
                for user in users {
                    let status = if user.is_active() {
                        "active"
                    } else {
                        "removed"
                    };
                    println!(
                        "{:<5} {:<32} {:<10} {:<8}",
                        user.id.0, user.name, user.role, status
                    );
                }
            }
        }
        UserCommand::Passwd {
            name,
            second_inspector,
        } => {
            let own = name
                .as_deref()
                .is_none_or(|n| n.trim().eq_ignore_ascii_case(workbench.user().name.trim()));
            if own {
                let current = credentials::password()?;
                let new = credentials::new_password("New password")?;
                workbench.change_own_password(&current, &new)?;
                println!("password changed");
            } else {
                let new = credentials::new_password("New password for the user")?;
                let target = name.as_deref().unwrap_or_default();
                match second_inspector {
                    Some(second) => {
                        let second_password = credentials::second_inspector_password()?;
                        workbench.reset_password_cosigned(
                            target,
                            &new,
                            SecondInspector {
                                name: &second,
                                password: &second_password,
                            },
                        )?;
                    }
                    None => workbench.reset_password(target, &new)?,
                }
                println!("password reset; the user has a new key slot");
            }
        }
        UserCommand::Remove { name } => {
            workbench.remove_user(&name)?;
            println!(
                "user removed and their key slot deleted; run `rekey` so that any copy of their slot opens nothing"
            );
        }
    }
    Ok(())
}

fn run_audit(workbench: &mut Workbench, command: &AuditCommand) -> Result<()> {
    match command {
        AuditCommand::Verify { json, head } => {
            let verification = workbench.verify_audit_log()?;
            let head_check = head
                .as_deref()
                .map(|file| workbench.check_audit_head(file))
                .transpose()?;
            if *json {
                let mut value = serde_json::to_value(&verification)?;
                value["head_check"] = serde_json::to_value(&head_check)?;
                println!("{}", serde_json::to_string_pretty(&value)?);
            }
            for problem in &verification.grant_problems {
                eprintln!(
                    "role grant {} of user {} does not verify: {}",
                    problem.grant_id,
                    escape_for_terminal(&problem.user_name),
                    problem.reason
                );
            }
            if let Some(bad) = verification.first_break {
                return Err(AuditChainBroken {
                    seq: bad.seq,
                    reason: bad.reason.to_string(),
                }
                .into());
            }
            if let Some(problem) = verification.grant_problems.first() {
                return Err(AuditChainBroken {
                    seq: verification.head.seq,
                    reason: format!(
                        "the role grant of user {} does not verify: {}",
                        escape_for_terminal(&problem.user_name),
                        problem.reason
                    ),
                }
                .into());
            }
            if let Some(check) = &head_check
                && !check.holds()
            {
                let reason = if check.chain_holds_head {
                    "the signed head's signature does not verify under its signer's key"
                } else {
                    "the chain no longer holds the signed head: it was cut or replaced"
                };
                return Err(AuditChainBroken {
                    seq: check.seq,
                    reason: reason.to_owned(),
                }
                .into());
            }
            if !json {
                println!(
                    "audit log intact: {} entries, {} transaction signatures, every role grant verified; head {} (entry {})",
                    verification.entries_checked,
                    verification.signatures_checked,
                    verification.head.hash,
                    verification.head.seq
                );
                if verification.signed_from > 1 {
                    println!(
                        "entries before {} were written before signatures and are protected by the hash chain alone",
                        verification.signed_from
                    );
                }
                if let Some(check) = &head_check {
                    println!(
                        "the chain still holds the signed head at entry {} (signed by {})",
                        check.seq,
                        check
                            .signed_by
                            .as_deref()
                            .map_or_else(|| String::from("an unknown user"), escape_for_terminal)
                    );
                }
            }
            Ok(())
        }
        AuditCommand::Head { export } => {
            let head = workbench.export_audit_head(export)?;
            println!(
                "signed head of entry {} written to {} (recorded in the audit log); keep it on write-once storage",
                head.seq,
                export.display()
            );
            Ok(())
        }
        AuditCommand::Show { json, from, limit } => {
            let (json, from, limit) = (*json, *from, *limit);
            let mut next = from.max(1);
            let mut remaining = limit;
            let page = 10_000;
            let mut first = true;
            if json {
                print!("[");
            }
            while remaining > 0 {
                let entries = workbench.audit_entries(next, remaining.min(page))?;
                if entries.is_empty() {
                    break;
                }
                for entry in &entries {
                    if json {
                        if !first {
                            print!(",");
                        }
                        print!("\n{}", serde_json::to_string(entry)?);
                    } else {
                        // Text from the store is shown, never obeyed: an escape sequence planted
                        // in a field would otherwise rewrite the terminal.
                        println!(
                            "{:>7} {} {:<24} {:<22} {:<14} {}",
                            entry.seq,
                            escape_for_terminal(&entry.at_utc),
                            escape_for_terminal(&entry.user_name),
                            escape_for_terminal(&entry.action),
                            escape_for_terminal(&entry.object),
                            escape_for_terminal(&entry.justification)
                        );
                    }
                    first = false;
                }
                remaining = remaining.saturating_sub(entries.len());
                next = entries.last().map_or(next, |e| e.seq + 1);
            }
            if json {
                println!("\n]");
            }
            Ok(())
        }
    }
}

/// Text from the store shown on a terminal: control characters (an escape sequence planted in a
/// name could rewrite the screen) are shown as `\u{..}` instead of being sent.
pub(super) fn escape_for_terminal(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}
