//! `report`: the strategic threat assessment (printed, as JSON, or written as HTML) and the
//! control strategy it ends with.

use super::args::ReportCommand;
use crate::domain::{IsoDate, NominalId};
use crate::io::record_json;
use crate::risk::threat_assessment::{ControlStrategyRow, ThreatAssessment, Trend};
use crate::workbench::Workbench;
use anyhow::{Context, Result, anyhow};

fn date(flag: &str, text: &str) -> Result<IsoDate> {
    text.parse::<IsoDate>()
        .map_err(|e| anyhow!("--{flag}: {e}"))
}

fn print_trends(heading: &str, rows: &[Trend]) {
    println!("\n{heading}");
    for row in rows {
        let change = row
            .change_percent()
            .map_or_else(|| "new".to_owned(), |p| format!("{p:+.0}%"));
        println!(
            "  {:<40} {:>6} {:>6}  {change}",
            row.code, row.current, row.previous
        );
    }
}

fn print_assessment(a: &ThreatAssessment) {
    println!(
        "Threat assessment {} to {} (previous period {} to {}): {} item(s) received, {} before",
        a.from, a.to, a.previous_from, a.previous_to, a.current.total, a.previous.total
    );
    print_trends(
        "By national category (this period, previous, change)",
        &a.category_trends(),
    );
    print_trends("By source type", &a.source_type_trends());
    print_trends("By grading", &a.grading_trends());
    print_trends("By status", &a.status_trends());
    println!("\nLive notifiable associations");
    for (category, count) in &a.live_associations {
        println!("  {category:<40} {count:>6}");
    }
    println!("\nBeacon cohort: {} on {}", a.beacon_cohort, a.to);
    for (band, count) in &a.beacon_bands {
        println!("  {band:<40} {count:>6}");
    }
    println!("\nInterventions proposed in the period, by outcome");
    for (outcome, count) in &a.interventions_by_outcome {
        println!("  {outcome:<40} {count:>6}");
    }
    println!("\nMost pressing exposure leads");
    for lead in &a.top_exposures {
        println!(
            "  {} -> {} ({} link(s), score {:.2})",
            lead.employee, lead.target, lead.hops, lead.score
        );
    }
    println!("\nControl strategy: {} row(s)", a.control_strategy.len());
}

pub fn run_report(workbench: &mut Workbench, command: ReportCommand) -> Result<()> {
    match command {
        ReportCommand::ThreatAssessment {
            from,
            to,
            out,
            json,
        } => {
            let (from, to) = (date("from", &from)?, date("to", &to)?);
            let assessment = match &out {
                Some(path) => workbench.export_threat_assessment(from, to, path)?,
                None => workbench.threat_assessment(from, to)?,
            };
            if json {
                println!("{}", record_json::render(&assessment)?);
            } else {
                print_assessment(&assessment);
            }
            if let Some(path) = out {
                eprintln!(
                    "wrote {}; the export is recorded in the audit log",
                    path.display()
                );
            }
        }
        ReportCommand::Pib { since, out } => {
            let since = match since {
                Some(text) => date("since", &text)?,
                None => workbench.today().plus_days(-28),
            };
            let (cohort, changes) = workbench.export_pib_pack(since, &out)?;
            println!(
                "wrote {}: {} in the cohort; since {since}, {} joined, {} raised, {} lowered; \
                 the export is recorded in the audit log",
                out.display(),
                cohort.len(),
                changes.joined.len(),
                changes.raised.len(),
                changes.lowered.len()
            );
        }
        ReportCommand::Transferee {
            id,
            out,
            recipient,
            confirm_c_items,
            include_left_out,
        } => {
            let package = workbench.export_transferee_package(
                NominalId(id),
                &out,
                crate::workbench::Release {
                    recipient: &recipient,
                    confirm_c_items,
                    include_left_out,
                },
            )?;
            println!(
                "wrote {}: {} intelligence item(s) ({} with handling conditions), {} notifiable \
                 association(s), {} business interest(s); the export is recorded in the audit log",
                out.display(),
                package.intelligence.len(),
                package
                    .intelligence
                    .iter()
                    .filter(|item| item.fields.grading.handling_conditions.is_some())
                    .count(),
                package.associations.len(),
                package.business_interests.len()
            );
            println!("{}", package.left_out.describe());
        }
        ReportCommand::ControlStrategy { set, json } => {
            if let Some(path) = set {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("could not read {}", path.display()))?;
                let rows: Vec<ControlStrategyRow> = serde_json::from_str(&text).map_err(|e| {
                    anyhow!(
                        "{}: not a control strategy (line {}, column {})",
                        path.display(),
                        e.line(),
                        e.column()
                    )
                })?;
                workbench.set_control_strategy(&rows)?;
                println!("control strategy set: {} row(s)", rows.len());
                return Ok(());
            }
            let rows = workbench.control_strategy()?;
            if json {
                println!("{}", record_json::render(&rows)?);
            } else {
                for row in &rows {
                    println!("{}", row.priority);
                    for (name, text) in [
                        ("intervention", &row.intervention),
                        ("protection", &row.protection),
                        ("prevention", &row.prevention),
                    ] {
                        println!("  {name}: {text}");
                    }
                }
                println!("{} row(s)", rows.len());
            }
        }
    }
    Ok(())
}
