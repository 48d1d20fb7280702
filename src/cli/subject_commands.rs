//! `subject show ID [--json]`: the subject profile on the terminal, section by section, each
//! saying when it is empty, codes shown by their labels.

use super::args::SubjectCommand;
use super::commands::escape_for_terminal;
use crate::domain::{NominalId, list};
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

/// A section's heading, and its lines or why it has none.
fn section(title: &str, lines: &[String], empty: &str) {
    println!();
    println!("{title} ({})", lines.len());
    if lines.is_empty() {
        println!("  {empty}");
    }
    for line in lines {
        println!("  {}", escape_for_terminal(line));
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one section after another, as the profile reads"
)]
fn print_profile(workbench: &Workbench, profile: &SubjectProfile) {
    let nominal = &profile.nominal;
    println!(
        "{} {}  {}",
        nominal.details.kind().label(),
        nominal.id,
        escape_for_terminal(&nominal.details.display_name())
    );
    for external in &profile.external_ids {
        println!("  id in {}: {}", external.system, external.id);
    }
    if let Some(vetting) = &profile.vetting {
        let current = &vetting.current;
        println!(
            "  vetting: {} ({}), expires {}, post requires {}",
            current.level,
            workbench.label(list::VETTING_LEVEL, &current.level),
            current
                .expires_on
                .map_or_else(|| "(not given)".to_owned(), |d| d.to_string()),
            current.post_requires.as_deref().unwrap_or("(not given)")
        );
        for warning in &vetting.warnings {
            println!("  vetting warning: {warning}");
        }
    }
    let associations: Vec<String> = profile
        .associations
        .iter()
        .map(|a| {
            format!(
                "association:{}  {} with {}, {} on {} ({}, {} review(s))",
                a.entry.id,
                workbench.label(list::NA_CATEGORY, &a.entry.category),
                a.other_name,
                a.entry.origin.label().to_lowercase(),
                a.entry.declared_on,
                a.entry.status.label().to_lowercase(),
                a.reviews.len()
            )
        })
        .collect();
    section("Notifiable associations", &associations, "None registered.");
    let items: Vec<String> = profile
        .intelligence
        .iter()
        .map(|s| {
            format!(
                "{}  {} as {}  {}  {}  {}{}",
                s.item.reference,
                s.item.received_on,
                s.role,
                s.item.grading,
                workbench.label(list::INTEL_STATUS, &s.item.status),
                workbench.label(list::CORRUPTION_CATEGORY, &s.item.category),
                s.item
                    .priority
                    .as_deref()
                    .map(|p| format!("  priority {p}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    section("Intelligence", &items, "No item you may see names them.");
    let assessments: Vec<String> = profile
        .assessments
        .iter()
        .map(|a| {
            format!(
                "assessment:{}  {} v{} on {}: {}, band {}",
                a.id, a.instrument, a.version, a.assessed_on, a.total, a.band
            )
        })
        .collect();
    section("Risk assessments", &assessments, "None made.");
    let interventions: Vec<String> = profile
        .interventions
        .iter()
        .map(|i| {
            format!(
                "intervention:{}  {} ({}), proposed {}",
                i.id,
                i.state.label(),
                workbench.label(list::CORRUPTION_CATEGORY, &i.category),
                i.proposed_on
            )
        })
        .collect();
    section("Management interventions", &interventions, "None proposed.");
    let outcomes: Vec<String> = profile
        .conduct_outcomes
        .iter()
        .map(|o| {
            format!(
                "{}  {} ({}){}",
                o.decided_on,
                o.outcome.title(),
                workbench.label(list::CORRUPTION_CATEGORY, &o.category),
                if o.referred_to_iopc {
                    ", referred to the IOPC"
                } else {
                    ""
                }
            )
        })
        .collect();
    section("Conduct outcomes", &outcomes, "None recorded or imported.");
    let interests: Vec<String> = profile
        .business_interests
        .iter()
        .map(|b| {
            format!(
                "{}  {}{}",
                b.declared_on
                    .map_or_else(|| "(undated)".to_owned(), |d| d.to_string()),
                b.organisation,
                if b.approved { ", approved" } else { "" }
            )
        })
        .collect();
    section("Business interests", &interests, "None imported.");
    let hospitality: Vec<String> = profile
        .hospitality
        .iter()
        .map(|h| {
            format!(
                "{}  {} ({}){}",
                h.offered_on,
                h.provider,
                if h.accepted { "accepted" } else { "declined" },
                h.value_pence
                    .map(|p| format!(", {}", crate::domain::bulk_record::format_pence(p)))
                    .unwrap_or_default()
            )
        })
        .collect();
    section("Gifts and hospitality", &hospitality, "None imported.");
    let leads: Vec<String> = profile
        .leads
        .iter()
        .map(|l| {
            format!(
                "lead:{}  score {}  {}",
                l.id,
                l.score,
                l.explanation.first().cloned().unwrap_or_default()
            )
        })
        .collect();
    section(
        "Cross-reference leads",
        &leads,
        "None kept (run crossref after importing).",
    );
    let mut activity: Vec<String> = profile
        .lookups
        .iter()
        .map(|l| format!("{}  {}: {} look-up(s)", l.month, l.system, l.count))
        .collect();
    activity.push(format!(
        "calls with phones used by OCG members or criminals: {}",
        profile.calls_with_watched
    ));
    section("Imported activity", &activity, "");
    let timeline: Vec<String> = profile
        .timeline
        .iter()
        .map(|e| format!("{}  {:<18} {}", e.on, e.kind, e.summary))
        .collect();
    section("Timeline", &timeline, "Nothing dated.");
}
