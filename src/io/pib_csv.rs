//! The People Intelligence Board list as CSV: one row per member of the Beacon cohort, most
//! serious first, for the board's papers (seed 001 §4.8.3).

use crate::risk::BeaconCohortEntry;
use std::io::Write;

/// The header row, in column order.
pub const PIB_COLUMNS: [&str; 10] = [
    "subject_id",
    "name",
    "band",
    "total",
    "previous_total",
    "trend",
    "assessed_on",
    "next_review_on",
    "overdue",
    "assessment_id",
];

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return) is
/// written with a leading apostrophe, so opening the list cannot execute anything.
pub(crate) fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// Writes `entries` as CSV with a header row.
///
/// # Errors
/// I/O errors from `out`.
pub fn write_pib_list(entries: &[BeaconCohortEntry], out: impl Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(PIB_COLUMNS)?;
    for entry in entries {
        writer.write_record([
            entry.subject.to_string(),
            inert(&entry.subject_name),
            inert(&entry.band),
            entry.total.to_string(),
            entry
                .previous_total
                .map(|t| t.to_string())
                .unwrap_or_default(),
            entry.trend.as_str().to_owned(),
            entry.assessed_on.to_string(),
            entry.next_review_on.to_string(),
            if entry.overdue { "yes" } else { "no" }.to_owned(),
            entry.assessment.to_string(),
        ])?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AssessmentId, IsoDate, NominalId};
    use crate::risk::{Points, Trend};

    #[test]
    fn a_name_that_looks_like_a_formula_is_written_inert() {
        let entry = BeaconCohortEntry {
            subject: NominalId(7),
            subject_name: "=HYPERLINK(\"x\")".into(),
            assessment: AssessmentId(3),
            band: "High".into(),
            band_colour: "#ff0000".into(),
            band_rank: 2,
            total: Points::whole(12),
            previous_total: None,
            trend: Trend::New,
            assessed_on: IsoDate::from_ymd(2026, 3, 2).unwrap(),
            next_review_on: IsoDate::from_ymd(2026, 9, 2).unwrap(),
            overdue: false,
            iopc: None,
        };
        let mut bytes = Vec::new();
        write_pib_list(std::slice::from_ref(&entry), &mut bytes).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[1], "'=HYPERLINK(\"x\")");
        assert_eq!(&row[3], "12");
        assert_eq!(&row[5], "new");
    }
}
