//! `subject show ID [--json]`: the subject profile on the terminal, section by section, each
//! saying when it is empty, codes shown by their labels.

use super::args::SubjectCommand;
use super::commands::escape_for_terminal;
use crate::domain::NominalId;
use crate::io::record_json;
use crate::workbench::{SubjectProfile, Workbench};
use anyhow::Result;

pub fn run_subject(workbench: &mut Workbench, command: &SubjectCommand) -> Result<()> {
    match command {
        SubjectCommand::Show { id, json } => {
            let profile = workbench.subject_profile(NominalId(*id))?;
            if *json {
                println!("{}", record_json::render(&profile)?);
            } else {
                print_profile(workbench, &profile);
            }
        }
    }
    Ok(())
}

/// The profile section by section: each heading with its count, then its lines (each line
/// that opens a record of the workbench's own led by it, `association:12`, so it can be named in
/// another command), or why it has none.
fn print_profile(workbench: &Workbench, profile: &SubjectProfile) {
    let nominal = &profile.nominal;
    println!(
        "{} {}  {}",
        nominal.details.kind().label(),
        nominal.id,
        escape_for_terminal(&nominal.details.display_name())
    );
    for section in profile.sections(workbench.reference_data()) {
        println!();
        println!("{} ({})", section.title, section.lines.len());
        if section.lines.is_empty() {
            println!("  {}", section.empty);
        }
        for line in &section.lines {
            if line.opens.contains(':') {
                println!("  {}  {}", line.opens, escape_for_terminal(&line.text));
            } else {
                println!("  {}", escape_for_terminal(&line.text));
            }
        }
        if let Some(note) = &section.note {
            println!("  ({note})");
        }
    }
}
