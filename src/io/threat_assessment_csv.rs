//! The strategic threat assessment's tables as one CSV file, for a spreadsheet: each row names
//! its table, then the code or name, then the figures. Cells a spreadsheet would run as a
//! formula are made inert, as in the PIB list.

use super::pib_csv::inert;
use crate::risk::threat_assessment::ThreatAssessment;
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
    for (table, rows) in [
        ("category", a.category_trends()),
        ("source_type", a.source_type_trends()),
        ("grading", a.grading_trends()),
        ("status", a.status_trends()),
    ] {
        for row in rows {
            writer.write_record([
                table,
                &inert(&row.code),
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
