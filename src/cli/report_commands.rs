//! `report`: the strategic threat assessment (printed, as JSON, or written as HTML, PDF or
//! CSV), the PIB pack, the transferee package, the subject profile, the analyst's text of the
//! assessment, and the control strategy.
//! A report written to a file is reported in one line (what, where, that the disclosure is
//! recorded), never printed whole unless asked (`--print`), and the sanitised edition printed
//! names nobody.

use super::args::ReportCommand;
use super::commands::escape_for_terminal;
use crate::domain::{IsoDate, NominalId};
use crate::io::record_json;
use crate::risk::threat_assessment::{
    AssessmentText, AssessmentTextVersion, ControlStrategyRow, Edition, NOT_WRITTEN,
    ThreatAssessment, Trend, paragraphs,
};
use crate::workbench::Workbench;
use anyhow::{Context, Result, anyhow};
use std::path::Path;

fn date(flag: &str, text: &str) -> Result<IsoDate> {
    text.parse::<IsoDate>()
        .map_err(|e| anyhow!("--{flag}: {e}"))
}

fn print_trends(a: &ThreatAssessment, heading: &str, rows: &[Trend]) {
    println!("\n{heading}");
    for row in rows {
        println!(
            "  {:<40} {:>12} {:>12}  {}",
            escape_for_terminal(&row.label),
            a.count_text(row.current),
            a.count_text(row.previous),
            a.change_text(row)
        );
    }
}

/// A numbered list under its heading, or "not yet written".
fn print_numbered(heading: &str, entries: &[String]) {
    println!("\n{heading}");
    if entries.is_empty() {
        println!("  {NOT_WRITTEN}");
    }
    for (index, entry) in entries.iter().enumerate() {
        println!(
            "  {}. {}",
            index + 1,
            escape_for_terminal(&paragraphs(entry).join(" "))
        );
    }
}

/// A version of the analyst's text, section by section.
fn print_text(version: &AssessmentTextVersion) {
    let by = if version.written_by.is_empty() {
        String::new()
    } else {
        format!(" by {}", escape_for_terminal(&version.written_by))
    };
    println!(
        "Analyst's text, version {}{by}, saved {}",
        version.version, version.written_at
    );
    let text = &version.text;
    println!("\nExecutive summary");
    for paragraph in paragraphs(&text.summary) {
        println!("  {}", escape_for_terminal(&paragraph));
    }
    print_numbered("Key judgements", &text.key_judgements);
    println!("\nThreats in priority order");
    for (index, threat) in text.threats.iter().enumerate() {
        println!(
            "  {}. {}: {}",
            index + 1,
            threat.category,
            escape_for_terminal(&paragraphs(&threat.assessment).join(" "))
        );
    }
    print_numbered("Intelligence requirements", &text.intelligence_requirements);
    print_numbered("Recommendations", &text.recommendations);
}

fn print_assessment(a: &ThreatAssessment) {
    println!("{}", a.edition.statement());
    println!(
        "Threat assessment {} to {} (previous period {} to {}): {} item(s) received, {} before",
        a.from,
        a.to,
        a.previous_from,
        a.previous_to,
        a.count_text(a.current.total),
        a.count_text(a.previous.total)
    );
    match &a.text {
        Some(version) => {
            println!();
            print_text(version);
        }
        None => println!("\nThe analyst has not yet written the assessment for this period."),
    }
    let threats = a.priority_threats();
    if !threats.is_empty() {
        println!("\nThe ranked threats' figures (this period, previous, change)");
    }
    for threat in &threats {
        println!(
            "  {}. {:<37} {:>12} {:>12}  {}",
            threat.priority,
            threat.trend.code,
            a.count_text(threat.trend.current),
            a.count_text(threat.trend.previous),
            a.change_text(&threat.trend)
        );
    }
    for table in a.figure_tables() {
        print_trends(
            a,
            &format!("{} (this period, previous, change)", table.title),
            &table.rows,
        );
    }
    println!("\nLive notifiable associations on {}", a.to);
    for (category, count) in &a.live_associations {
        println!("  {category:<40} {:>12}", a.count_text(*count));
    }
    println!(
        "\nBeacon cohort: {} on {}",
        a.count_text(a.beacon_cohort),
        a.to
    );
    for (band, count) in &a.beacon_bands {
        println!("  {band:<40} {:>12}", a.count_text(*count));
    }
    println!("\nInterventions proposed in the period, by outcome");
    for (outcome, count) in &a.interventions_by_outcome {
        println!("  {outcome:<40} {:>12}", a.count_text(*count));
    }
    println!("\nMost pressing exposure leads");
    for lead in &a.top_exposures {
        // The sanitised edition names nobody, whatever the leads hold.
        let (employee, target) = match a.edition {
            Edition::Sanitised => (
                String::from("A member of staff"),
                String::from("a nominal of concern"),
            ),
            Edition::Restricted => (
                escape_for_terminal(&lead.employee),
                escape_for_terminal(&lead.target),
            ),
        };
        println!(
            "  {employee} -> {target} ({} link(s), score {:.2})",
            lead.hops, lead.score
        );
    }
    println!("\nControl strategy: {} row(s)", a.control_strategy.len());
}

/// What kind of file `path` is, as the one line after writing it says it.
fn file_kind(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("pdf") => "PDF",
        Some("csv") => "CSV",
        _ => "HTML",
    }
}

/// The one line a report written to a file is reported in.
fn wrote(what: &str, edition: Option<Edition>, path: &Path, details: &str) -> String {
    let edition = edition.map_or_else(String::new, |e| format!("{} edition, ", e.as_str()));
    format!(
        "Wrote {what} ({edition}{}) to {}{details}; the disclosure is recorded",
        file_kind(path),
        escape_for_terminal(&path.display().to_string())
    )
}

/// `report assessment-text`: the newest version (or all), or a new version saved from a file.
fn assessment_text(
    workbench: &mut Workbench,
    from: &str,
    to: &str,
    set: Option<&Path>,
    all: bool,
    json: bool,
) -> Result<()> {
    let (from, to) = (date("from", from)?, date("to", to)?);
    if let Some(path) = set {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read {}", path.display()))?;
        let text: AssessmentText = serde_json::from_str(&text).map_err(|e| {
            anyhow!(
                "{}: not an assessment text (line {}, column {})",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        let based_on = workbench
            .assessment_text_versions(from, to)?
            .first()
            .map(|v| v.version);
        let saved = workbench.save_assessment_text(from, to, &text, based_on)?;
        println!(
            "assessment text for {from} to {to} saved as version {}",
            saved.version
        );
        return Ok(());
    }
    let mut versions = workbench.assessment_text_versions(from, to)?;
    if !all {
        versions.truncate(1);
    }
    if json {
        println!("{}", record_json::render(&versions)?);
    } else if versions.is_empty() {
        println!("No text has been written for {from} to {to}.");
    } else {
        for version in &versions {
            print_text(version);
            println!();
        }
    }
    Ok(())
}

pub fn run_report(workbench: &mut Workbench, command: ReportCommand) -> Result<()> {
    match command {
        ReportCommand::ThreatAssessment {
            from,
            to,
            out,
            edition,
            json,
            print,
        } => {
            let (from, to) = (date("from", &from)?, date("to", &to)?);
            let edition = Edition::parse(edition.trim())
                .ok_or_else(|| anyhow!("--edition: expected sanitised or restricted"))?;
            let assessment = match &out {
                Some(path) => workbench.export_threat_assessment(from, to, edition, path)?,
                None => workbench.threat_assessment(from, to, edition)?,
            };
            // Written to a file, the report is printed only when asked for.
            let shown = out.is_none() || print;
            if shown {
                if json {
                    println!(
                        "{}",
                        crate::io::threat_assessment_json::render(&assessment)?
                    );
                } else {
                    print_assessment(&assessment);
                }
            }
            if let Some(path) = out {
                let line = wrote("the threat assessment", Some(assessment.edition), &path, "");
                // Printed JSON stays one document on stdout.
                if shown && json {
                    eprintln!("{line}");
                } else {
                    println!("{line}");
                }
            }
        }
        ReportCommand::Pib { since, out } => {
            let since = match since {
                Some(text) => date("since", &text)?,
                None => workbench.today().plus_days(-28),
            };
            let (cohort, changes) = workbench.export_pib_pack(since, &out)?;
            let details = format!(
                ": {} in the cohort; since {since}, {} joined, {} raised, {} lowered",
                cohort.len(),
                changes.joined.len(),
                changes.raised.len(),
                changes.lowered.len()
            );
            println!(
                "{}",
                wrote("the People Intelligence Board pack", None, &out, &details)
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
            let details = format!(
                ": {} intelligence item(s) ({} with handling conditions), {} notifiable \
                 association(s), {} business interest(s). {}",
                package.intelligence.len(),
                package
                    .intelligence
                    .iter()
                    .filter(|item| item.fields.grading.handling_conditions.is_some())
                    .count(),
                package.associations.len(),
                package.business_interests.len(),
                package.left_out.describe().trim_end_matches('.')
            );
            println!(
                "{}",
                wrote("the transferee information package", None, &out, &details)
            );
        }
        ReportCommand::Subject { id, out } => {
            let profile = workbench.export_subject_report(NominalId(id), &out)?;
            let details = format!(
                ": {} item(s), {} timeline event(s)",
                profile.intelligence.len(),
                profile.timeline.len()
            );
            println!("{}", wrote("the subject profile", None, &out, &details));
        }
        ReportCommand::AssessmentText {
            from,
            to,
            set,
            all,
            json,
        } => assessment_text(workbench, &from, &to, set.as_deref(), all, json)?,
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
