//! The People Intelligence Board pack as one self-contained HTML page (no scripts, no external
//! resources): the Beacon cohort on the board's date, most serious first, and what changed
//! since the last board (who joined, whose band rose or fell).

use super::xml_escape as escape;
use crate::domain::IsoDate;
use crate::risk::{BeaconCohortEntry, CohortChanges};
use std::io::{self, Write};

fn moved_ui(
    out: &mut impl Write,
    heading: &str,
    rows: &[(BeaconCohortEntry, String)],
) -> io::Result<()> {
    writeln!(
        out,
        "<h3>{heading}</h3>\n<table><tr><th>Subject</th><th>Band before</th><th>Band now</th>\
         <th>Assessed</th></tr>"
    )?;
    for (entry, before) in rows {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&entry.subject_name),
            escape(before),
            escape(&entry.band),
            entry.assessed_on
        )?;
    }
    if rows.is_empty() {
        writeln!(out, "<tr><td colspan=\"4\">None</td></tr>")?;
    }
    writeln!(out, "</table>")
}

/// Writes the pack for the board on `as_of`, with the changes since the board on `since`.
///
/// # Errors
/// I/O errors from `out`.
pub fn write_pib_pack(
    cohort: &[BeaconCohortEntry],
    changes: &CohortChanges,
    since: IsoDate,
    as_of: IsoDate,
    mut out: impl Write,
) -> io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>People Intelligence Board pack {as_of}</title>\
         <style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}\
         .marking{{background:#8e2424;color:#fff;padding:.3em;text-align:center}}\
         .overdue{{color:#c0392b;font-weight:bold}}\
         table{{border-collapse:collapse;margin:.5em 0 1.5em}}\
         th{{text-align:left;padding-right:1em;vertical-align:top}}\
         td,th{{border-bottom:1px solid #ddd;padding:.2em .6em .2em 0;vertical-align:top}}</style>\
         </head><body>\n<p class=\"marking\">OFFICIAL-SENSITIVE: COUNTER CORRUPTION UNIT</p>\n\
         <h1>People Intelligence Board pack</h1>\n<p>Operation Beacon cohort on {as_of}: \
         <strong>{}</strong> people, {} overdue for review. Changes since the last board on \
         {since}.</p>",
        cohort.len(),
        cohort.iter().filter(|e| e.overdue).count()
    )?;
    writeln!(out, "<h2>Changes since the last board</h2>")?;
    writeln!(
        out,
        "<h3>Joined the cohort</h3>\n<table><tr><th>Subject</th><th>Band</th><th>Assessed</th></tr>"
    )?;
    for entry in &changes.joined {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&entry.subject_name),
            escape(&entry.band),
            entry.assessed_on
        )?;
    }
    if changes.joined.is_empty() {
        writeln!(out, "<tr><td colspan=\"3\">None</td></tr>")?;
    }
    writeln!(out, "</table>")?;
    moved_ui(&mut out, "Band raised", &changes.raised)?;
    moved_ui(&mut out, "Band lowered", &changes.lowered)?;
    writeln!(
        out,
        "<h2>The cohort</h2>\n<table><tr><th>Subject</th><th>Band</th><th>Total</th>\
         <th>Previous total</th><th>Last assessed</th><th>Next review</th>\
         <th>IOPC referral</th></tr>"
    )?;
    for entry in cohort {
        let review = if entry.overdue {
            format!(
                "<span class=\"overdue\">{} overdue</span>",
                entry.next_review_on
            )
        } else {
            entry.next_review_on.to_string()
        };
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{review}</td>\
             <td>{}</td></tr>",
            escape(&entry.subject_name),
            escape(&entry.band),
            entry.total,
            entry
                .previous_total
                .map_or_else(|| "first assessment".to_owned(), |t| t.to_string()),
            entry.assessed_on,
            escape(&entry.iopc.as_ref().map_or_else(
                || String::from("No decision recorded"),
                crate::risk::IopcDecision::describe,
            ))
        )?;
    }
    writeln!(
        out,
        "</table>\n<p class=\"marking\">OFFICIAL-SENSITIVE: COUNTER CORRUPTION UNIT</p>\n</body></html>"
    )?;
    out.flush()
}
