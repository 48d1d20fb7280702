//! The intervention commands: `intervention propose|decide|record-meeting|withdraw|review|close|
//! list|show|export`.

use super::args::InterventionCommand;
use super::record_commands::read_input;
use crate::domain::{InterventionId, InterventionState, InterventionStep, InterventionView};
use crate::io::record_json;
use crate::workbench::Workbench;
use anyhow::{Result, anyhow};

fn print_view(view: &InterventionView) {
    let i = &view.intervention;
    println!("intervention {}: {}", i.id, i.state.label());
    println!("subject     {}", view.subject_name);
    println!("proposed    for {}", i.proposal.proposed_date);
    if let Some(meeting) = &i.meeting {
        println!("meeting     held on {}", meeting.held_on);
    }
    if let Some(outcome) = &i.outcome {
        println!(
            "outcome     {}; follow-up review on {}",
            outcome.outcome.label(),
            outcome.follow_up_on
        );
    }
    println!("items       {}", i.proposal.items.join(", "));
    println!("category    {}", i.proposal.category);
    if let Some(rationale) = &i.decision_rationale {
        println!("decision    {rationale}");
    }
    for step in &i.history {
        let by = view
            .user_names
            .get(&step.by.0)
            .cloned()
            .unwrap_or_else(|| String::from("a former user"));
        println!(
            "  {}  {:<15} {:<17} {}",
            step.at_utc,
            step.step,
            step.to.as_str(),
            by
        );
    }
}

fn stepped(workbench: &mut Workbench, id: i64, step: &InterventionStep) -> Result<()> {
    let next = workbench.take_intervention_step(InterventionId(id), None, step)?;
    println!("intervention {}: {}", next.id, next.state.label());
    Ok(())
}

pub fn run_intervention(workbench: &mut Workbench, command: InterventionCommand) -> Result<()> {
    match command {
        InterventionCommand::Propose { input } => {
            let (name, bytes) = read_input(&input)?;
            let proposal = record_json::parse_intervention_proposal(&name, &bytes)?;
            let intervention = workbench.propose_intervention(&proposal)?;
            println!("proposed intervention {}", intervention.id);
        }
        InterventionCommand::Decide {
            id,
            authorise,
            decline: _,
            rationale,
        } => {
            let step = if authorise {
                InterventionStep::Authorise { rationale }
            } else {
                InterventionStep::Decline { rationale }
            };
            stepped(workbench, id, &step)?;
        }
        InterventionCommand::RecordMeeting { id, input } => {
            let (name, bytes) = read_input(&input)?;
            let document = record_json::parse_meeting(&name, &bytes)?;
            stepped(
                workbench,
                id,
                &InterventionStep::RecordMeeting {
                    meeting: document.meeting(),
                },
            )?;
            if let Some(outcome) = document.outcome {
                stepped(workbench, id, &InterventionStep::RecordOutcome { outcome })?;
            }
        }
        InterventionCommand::Withdraw { id, reason } => {
            stepped(workbench, id, &InterventionStep::Withdraw { reason })?;
        }
        InterventionCommand::Review { id, note } => {
            stepped(workbench, id, &InterventionStep::StartReview { note })?;
        }
        InterventionCommand::Close { id, note } => {
            stepped(workbench, id, &InterventionStep::Close { note })?;
        }
        InterventionCommand::List { state, json } => {
            let state = state
                .as_deref()
                .map(|s| {
                    InterventionState::parse(s).ok_or_else(|| {
                        anyhow!(
                            "--state: one of {}",
                            InterventionState::ALL
                                .map(InterventionState::as_str)
                                .join(", ")
                        )
                    })
                })
                .transpose()?;
            let views = workbench.interventions(state)?;
            if json {
                println!("{}", record_json::render(&views)?);
            } else {
                println!("{:>5} {:<17} {:<32} PROPOSED", "ID", "STATE", "SUBJECT");
                for view in &views {
                    let i = &view.intervention;
                    println!(
                        "{:>5} {:<17} {:<32} {}",
                        i.id,
                        i.state.as_str(),
                        view.subject_name,
                        i.proposal.proposed_date
                    );
                }
            }
        }
        InterventionCommand::Counts { json } => {
            let counts = workbench.intervention_counts()?;
            if json {
                println!("{}", record_json::render(&counts)?);
            } else {
                for (title, map) in [
                    ("state", &counts.by_state),
                    ("outcome", &counts.by_outcome),
                    ("category", &counts.by_category),
                ] {
                    for (code, n) in map {
                        println!("{title:<9} {code:<28} {n:>5}");
                    }
                }
            }
        }
        InterventionCommand::Show { id, json } => {
            let view = workbench.intervention(InterventionId(id))?;
            if json {
                println!("{}", record_json::render(&view)?);
            } else {
                print_view(&view);
            }
        }
        InterventionCommand::Export { id, out } => {
            workbench.export_intervention(InterventionId(id), &out)?;
            println!(
                "Wrote the intervention's authorisation record (HTML) to {}; the disclosure is recorded",
                out.display()
            );
        }
    }
    Ok(())
}
