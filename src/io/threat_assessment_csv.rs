//! The strategic threat assessment's tables as one CSV file, for a spreadsheet: each row names
//! its table, then the code or name, then the figures; the analyst's text follows as rows of
//! its own (`summary`, `key_judgement`, `priority_threat`, `intelligence_requirement`,
//! `recommendation`), the words in the detail column. Cells a spreadsheet would run as a
//! formula are made inert, as in the PIB list.

use super::pib_csv::inert;
use crate::risk::threat_assessment::{ThreatAssessment, paragraphs};
use std::io::Write;

/// The header row, in column order.
pub const COLUMNS: [&str; 5] = ["table", "row", "this_period", "previous_period", "detail"];

/// Writes `assessment`'s tables as CSV with a header row.
///
/// # Errors
/// I/O errors from `out`.
pub fn write_threat_assessment_csv(
    assessment: &ThreatAssessment,
    out: impl Write,
) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    let a = assessment;
    writer.write_record(["edition", a.edition.as_str(), "", "", a.edition.statement()])?;
    if let Some(version) = &a.text {
        let text = &version.text;
        if !text.summary.trim().is_empty() {
            writer.write_record([
                "summary",
                &format!("version {}", version.version),
                "",
                "",
                &inert(&paragraphs(&text.summary).join("\n\n")),
            ])?;
        }
        for (table, entries) in [
            ("key_judgement", &text.key_judgements),
            ("intelligence_requirement", &text.intelligence_requirements),
            ("recommendation", &text.recommendations),
        ] {
            for (index, entry) in entries.iter().enumerate() {
                writer.write_record([table, &(index + 1).to_string(), "", "", &inert(entry)])?;
            }
        }
    }
    for threat in a.priority_threats() {
        writer.write_record([
            "priority_threat",
            &format!("{}. {}", threat.priority, inert(&threat.trend.code)),
            &a.count_text(threat.trend.current),
            &a.count_text(threat.trend.previous),
            &inert(&paragraphs(&threat.assessment).join("\n\n")),
        ])?;
    }
    for figures in a.figure_tables() {
        let table = figures.key;
        for row in figures.rows {
            // A sub-category's key joins its category and code; the label says both.
            let name = if table == "subcategory" {
                row.label.clone()
            } else {
                row.code.clone()
            };
            writer.write_record([
                table,
                &inert(&name),
                &a.count_text(row.current),
                &a.count_text(row.previous),
                "",
            ])?;
        }
    }
    for (table, rows) in [
        ("live_associations", &a.live_associations),
        ("interventions_by_outcome", &a.interventions_by_outcome),
    ] {
        for (code, count) in rows {
            writer.write_record([table, &inert(code), &a.count_text(*count), "", ""])?;
        }
    }
    for (band, count) in &a.beacon_bands {
        writer.write_record(["beacon_bands", &inert(band), &a.count_text(*count), "", ""])?;
    }
    for lead in &a.top_exposures {
        writer.write_record([
            "exposure_leads",
            &inert(&lead.employee),
            "",
            "",
            &inert(&format!(
                "{} ({} links, score {:.2})",
                lead.target, lead.hops, lead.score
            )),
        ])?;
    }
    for row in &a.control_strategy {
        writer.write_record([
            "control_strategy",
            &inert(&row.priority),
            "",
            "",
            &inert(&format!(
                "intervention: {}; protection: {}; prevention: {}",
                row.intervention, row.protection, row.prevention
            )),
        ])?;
    }
    writer.flush()
}
