//! The register and cohort commands: `na list|add|counts` and `beacon cohort`.

use super::args::{BeaconCommand, NaCommand};
use super::record_commands::read_input;
use crate::domain::{
    IsoDate, NaChange, NaFilter, NaReviewFilter, NaReviewOutcome, NaRow, NaStatus,
    NotifiableAssociationId,
};
use crate::io::record_json;
use crate::workbench::Workbench;
use anyhow::{Result, anyhow};

/// `--on DATE`, or the workbench's today.
fn on_date(workbench: &Workbench, text: Option<&str>) -> Result<IsoDate> {
    match text {
        Some(text) => text.parse::<IsoDate>().map_err(|e| anyhow!("--on: {e}")),
        None => Ok(workbench.today()),
    }
}

fn print_rows(rows: &[NaRow]) {
    println!(
        "{:>5} {:<28} {:<28} {:<20} {:<10} {:<10} {:<11} STATUS",
        "ID", "EMPLOYEE", "ASSOCIATE", "CATEGORY", "ORIGIN", "DECLARED", "REVIEW DUE"
    );
    for row in rows {
        let entry = &row.record;
        let review = if row.overdue {
            format!("{} overdue", entry.review_due_on)
        } else if row.due {
            format!("{} due", entry.review_due_on)
        } else {
            entry.review_due_on.to_string()
        };
        println!(
            "{:>5} {:<28} {:<28} {:<20} {:<10} {:<10} {:<11} {}",
            entry.id,
            row.employee_name,
            row.associate_name,
            entry.category,
            entry.origin.as_str(),
            entry.declared_on,
            review,
            entry.status.as_str()
        );
    }
    println!(
        "{} entr{}",
        rows.len(),
        if rows.len() == 1 { "y" } else { "ies" }
    );
}

pub fn run_na(workbench: &mut Workbench, command: NaCommand) -> Result<()> {
    match command {
        NaCommand::List {
            due,
            overdue,
            status,
            category,
            on,
            json,
        } => {
            let status = status
                .as_deref()
                .map(|s| NaStatus::parse(s).ok_or_else(|| anyhow!("--status: live or closed")))
                .transpose()?;
            let filter = NaFilter {
                status,
                review: if due {
                    NaReviewFilter::Due
                } else if overdue {
                    NaReviewFilter::Overdue
                } else {
                    NaReviewFilter::All
                },
                category,
                employee: None,
            };
            let rows =
                workbench.notifiable_associations(&filter, on_date(workbench, on.as_deref())?)?;
            if json {
                println!("{}", record_json::render(&rows)?);
            } else {
                print_rows(&rows);
            }
        }
        NaCommand::Add { input } => {
            let (name, bytes) = read_input(&input)?;
            let draft = record_json::parse_na_draft(&name, &bytes)?;
            let entry = workbench.register_notifiable_association(&draft)?;
            println!(
                "registered NA {} ({}, {}), first review {}",
                entry.id,
                entry.category,
                entry.origin.as_str(),
                entry.review_due_on
            );
        }
        NaCommand::Counts { json } => {
            let by_category = workbench.association_counts()?;
            let by_relationship = workbench.association_counts_by_relationship()?;
            if json {
                let map =
                    |counts: &[(String, usize)]| -> serde_json::Map<String, serde_json::Value> {
                        counts
                            .iter()
                            .map(|(code, n)| (code.clone(), serde_json::json!(n)))
                            .collect()
                    };
                let document = serde_json::json!({
                    "by_category": map(&by_category),
                    "by_relationship": map(&by_relationship),
                });
                println!("{}", record_json::render(&document)?);
            } else {
                let total: usize = by_category.iter().map(|(_, n)| n).sum();
                println!("by category");
                for (code, n) in &by_category {
                    println!("  {code:<24} {n:>5}");
                }
                println!("by relationship");
                for (code, n) in &by_relationship {
                    println!("  {code:<24} {n:>5}");
                }
                println!("{:<26} {total:>5}", "live");
            }
        }
        NaCommand::Review {
            id,
            outcome,
            rationale,
            conditions,
            on,
            next_due,
        } => {
            let outcome = NaReviewOutcome::parse(outcome.trim()).ok_or_else(|| {
                anyhow!("--outcome: continue_unchanged, conditions_changed, closed or escalated")
            })?;
            let reviewed_on = on_date(workbench, on.as_deref())?;
            let next_due_on = match next_due {
                Some(text) => text
                    .parse::<IsoDate>()
                    .map_err(|e| anyhow!("--next-due: {e}"))?,
                None => reviewed_on.plus_days(crate::domain::NA_REVIEW_INTERVAL_DAYS),
            };
            let entry = workbench.change_notifiable_association(
                NotifiableAssociationId(id),
                None,
                &NaChange::Reviewed {
                    reviewed_on,
                    next_due_on,
                    outcome,
                    rationale,
                    conditions,
                },
            )?;
            println!(
                "reviewed NA {}: {} ({})",
                entry.id,
                outcome.label(),
                if entry.status == NaStatus::Live {
                    format!("next review {}", entry.review_due_on)
                } else {
                    String::from("closed")
                }
            );
        }
        NaCommand::Reviews { id, json } => {
            let reviews = workbench.association_reviews(NotifiableAssociationId(id))?;
            if json {
                println!("{}", record_json::render(&reviews)?);
            } else {
                for review in &reviews {
                    println!(
                        "{}  {}  by {}: {}",
                        review.reviewed_on,
                        review.outcome.label(),
                        review.reviewer_name,
                        review.rationale
                    );
                }
                println!("{} review(s)", reviews.len());
            }
        }
    }
    Ok(())
}

fn print_screened(entry: &crate::workbench::ScreenedEmployee, threshold: u32) {
    println!(
        "{} ({}) top score {}; last assessed {}",
        entry.employee_name,
        entry.staff_number.as_deref().unwrap_or("no staff number"),
        entry.top_score,
        entry
            .last_assessed_on
            .map_or_else(|| String::from("never"), |d| d.to_string())
    );
    if let Some(changes) = &entry.changes {
        for line in &changes.words {
            println!("  changed: {line}");
        }
    }
    for finding in &entry.findings {
        let mark = if finding.score >= threshold { "*" } else { " " };
        println!(
            "  {mark} {:>3}  {}  [{}]",
            finding.score,
            finding.indicator.label(),
            finding.fingerprint
        );
        for fact in finding.facts.iter().chain(&finding.readings) {
            println!("         {fact}");
        }
    }
}

fn print_screening(screening: &crate::workbench::BeaconScreening, all: bool) {
    println!(
        "Beacon screening as of {} (threshold {}): {} case parties; {} look-ups, {} calls, {} self-deployments read",
        screening.as_of,
        screening.threshold,
        screening.counts.case_parties,
        screening.counts.lookups_read,
        screening.counts.calls_read,
        screening.counts.self_deployments_read
    );
    println!("Beacon assessment due: {}", screening.due.len());
    for entry in &screening.due {
        print_screened(entry, screening.threshold);
    }
    println!(
        "Assessed since, nothing new: {}",
        screening.assessed_unchanged.len()
    );
    for entry in &screening.assessed_unchanged {
        print_screened(entry, screening.threshold);
    }
    println!("Below the threshold: {}", screening.below.len());
    if all {
        for entry in &screening.below {
            print_screened(entry, screening.threshold);
        }
    }
}

pub fn run_beacon(workbench: &mut Workbench, command: BeaconCommand) -> Result<()> {
    match command {
        BeaconCommand::Due { json } => {
            let due = workbench.beacon_due()?;
            if json {
                println!("{}", record_json::render(&due)?);
            } else {
                for entry in &due {
                    println!(
                        "{:<36} {} received {}; last assessed {}",
                        entry.subject_name,
                        entry.item,
                        entry.received_on,
                        entry
                            .last_assessed_on
                            .map_or_else(|| String::from("never"), |d| d.to_string())
                    );
                }
                println!("{} due a Beacon assessment", due.len());
            }
        }
        BeaconCommand::Screen {
            threshold,
            all,
            json,
        } => {
            let screening = workbench.beacon_screen(threshold)?;
            if json {
                println!("{}", record_json::render(&screening)?);
            } else {
                print_screening(&screening, all);
            }
        }
        BeaconCommand::Finding { reference, json } => {
            let opened = workbench.open_beacon_finding(&reference)?;
            if json {
                println!("{}", record_json::render(&opened)?);
            } else {
                let finding = &opened.finding;
                println!(
                    "{} ({}): {}, score {}",
                    opened.employee_name,
                    finding.indicator.label(),
                    opened.person_name,
                    finding.score
                );
                println!("  {} is {}", opened.person_name, finding.person_phrase);
                for fact in finding.facts.iter().chain(&finding.readings) {
                    println!("  {fact}");
                }
                for row in &opened.evidence {
                    println!(
                        "  [{} {}] {}  {}",
                        row.row.source.label(),
                        row.row.id,
                        row.when,
                        row.words
                    );
                }
                println!("the opening is recorded");
            }
        }
        BeaconCommand::Suggest { id, json } => {
            let suggestions = workbench.beacon_suggestions(crate::domain::NominalId(id))?;
            if json {
                println!("{}", record_json::render(&suggestions)?);
            } else {
                for suggestion in &suggestions.suggestions {
                    println!("{}: {}", suggestion.factor, suggestion.option);
                    for fact in &suggestion.facts {
                        println!("  {fact}");
                    }
                    println!("  {} evidence row(s)", suggestion.evidence.len());
                }
                if let Some(changes) = &suggestions.changes {
                    println!("since the assessment of {}:", changes.assessed_on);
                    if changes.is_empty() {
                        println!("  nothing new");
                    }
                    for line in &changes.words {
                        println!("  {line}");
                    }
                }
            }
        }
        BeaconCommand::Remove { id, rationale } => {
            workbench.remove_from_beacon_cohort(crate::domain::NominalId(id), &rationale)?;
            println!("removed nominal {id} from the Beacon cohort; the removal is recorded");
        }
        BeaconCommand::Iopc {
            id,
            referred,
            not_referred,
            reason,
            on,
        } => {
            if referred == not_referred {
                return Err(anyhow!("say --referred or --not-referred"));
            }
            let decided_on = on_date(workbench, on.as_deref())?;
            let decision = crate::risk::IopcDecision {
                referred,
                decided_on,
                reason,
            };
            workbench.record_iopc_decision(crate::domain::NominalId(id), &decision)?;
            println!("{}", decision.describe());
        }
        BeaconCommand::Cohort { on, pib_out, json } => {
            let as_of = on_date(workbench, on.as_deref())?;
            let cohort = workbench.beacon_cohort(as_of)?;
            if json {
                println!("{}", record_json::render(&cohort)?);
            } else {
                println!(
                    "{:>7} {:<32} {:<12} {:>7} {:<12} {:<9} NEXT REVIEW",
                    "SUBJECT", "NAME", "BAND", "TOTAL", "ASSESSED", "TREND"
                );
                for entry in &cohort {
                    println!(
                        "{:>7} {:<32} {:<12} {:>7} {:<12} {:<9} {}{}",
                        entry.subject,
                        entry.subject_name,
                        entry.band,
                        entry.total.to_string(),
                        entry.assessed_on.to_string(),
                        entry.trend.as_str(),
                        entry.next_review_on,
                        if entry.overdue { " overdue" } else { "" }
                    );
                }
            }
            if let Some(out) = pib_out {
                let listed = workbench.export_pib_list(&out, as_of)?;
                eprintln!(
                    "PIB list of {listed} written to {} (recorded as a disclosure)",
                    out.display()
                );
            }
        }
    }
    Ok(())
}
