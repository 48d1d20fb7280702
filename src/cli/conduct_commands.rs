//! `conduct add|list`: conduct outcomes typed in and read back.

use super::args::ConductCommand;
use crate::domain::{ConductOutcome, ConductOutcomeKind, IsoDate};
use crate::workbench::Workbench;
use anyhow::{Result, anyhow};

pub fn run_conduct(workbench: &mut Workbench, command: ConductCommand) -> Result<()> {
    match command {
        ConductCommand::Add {
            staff,
            decided,
            category,
            outcome,
            iopc,
        } => {
            let decided_on = decided
                .parse::<IsoDate>()
                .map_err(|e| anyhow!("--decided: {e}"))?;
            let outcome = ConductOutcomeKind::parse(outcome.trim()).ok_or_else(|| {
                anyhow!(
                    "--outcome: expected one of {}",
                    ConductOutcomeKind::CODES.join(", ")
                )
            })?;
            let recorded = workbench.record_conduct_outcome(&ConductOutcome {
                staff_number: staff,
                decided_on,
                category: category.trim().to_owned(),
                outcome,
                referred_to_iopc: iopc,
            })?;
            println!(
                "recorded {} for {} on {}",
                recorded.outcome.as_str(),
                recorded.staff_number,
                recorded.decided_on
            );
        }
        ConductCommand::List { staff, json } => {
            let outcomes = workbench.conduct_outcomes(staff.as_deref())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&outcomes)?);
                return Ok(());
            }
            println!(
                "{:<12} {:<10} {:<28} {:<22} IOPC",
                "STAFF", "DECIDED", "CATEGORY", "OUTCOME"
            );
            for outcome in &outcomes {
                println!(
                    "{:<12} {:<10} {:<28} {:<22} {}",
                    outcome.staff_number,
                    outcome.decided_on,
                    workbench.label(crate::domain::list::CORRUPTION_CATEGORY, &outcome.category),
                    outcome.outcome.as_str(),
                    if outcome.referred_to_iopc {
                        "yes"
                    } else {
                        "no"
                    }
                );
            }
            println!("{} outcome(s)", outcomes.len());
        }
    }
    Ok(())
}
