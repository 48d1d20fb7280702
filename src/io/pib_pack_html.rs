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
/// A member of staff Beacon screening puts at or above its threshold, for the board: the
/// findings refer to each person by their case ("the victim in case CR/…"), never by name.
#[derive(Debug, Clone, Copy)]
pub struct ScreenedForBoard<'a> {
    pub name: &'a str,
    pub staff_number: Option<&'a str>,
    pub top_score: u32,
    pub last_assessed_on: Option<IsoDate>,
    pub findings: &'a [crate::risk::beacon_screen::BeaconFinding],
}

/// What the pack says of screening: not run (the user's role does not screen), or the staff
/// due with the threshold.
#[derive(Debug, Clone, Copy)]
pub enum BoardScreening<'a> {
    NotRun,
    Due {
        threshold: u32,
        staff: &'a [ScreenedForBoard<'a>],
    },
}

pub fn write_pib_pack(
    cohort: &[BeaconCohortEntry],
    changes: &CohortChanges,
    screening: BoardScreening<'_>,
    since: IsoDate,
    as_of: IsoDate,
    mut out: impl Write,
) -> io::Result<()> {
    super::html_page::open(
        &mut out,
        &format!("People Intelligence Board pack {as_of}"),
        "OFFICIAL-SENSITIVE: COUNTER CORRUPTION UNIT",
        ".overdue{color:#c0392b;font-weight:bold}table{width:100%}",
    )?;
    writeln!(
        out,
        "<h1>People Intelligence Board pack</h1>\n<p>Operation Beacon cohort on {as_of}: \
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
        "<h2>The cohort</h2>\n<table><thead><tr><th>Subject</th><th>Band</th><th>Total</th>\
         <th>Previous total</th><th>Last assessed</th><th>Next review</th>\
         <th>IOPC referral</th></tr></thead>"
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
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"nowrap\">{}</td>\
             <td class=\"nowrap\">{review}</td><td>{}</td></tr>",
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
    writeln!(out, "</table>")?;
    screening_ui(&mut out, screening)?;
    super::html_page::close(&mut out)?;
    out.flush()
}

/// The staff Beacon screening found due an assessment, with their findings in words.
fn screening_ui(out: &mut impl Write, screening: BoardScreening<'_>) -> io::Result<()> {
    writeln!(out, "<h2>Due a Beacon assessment from screening</h2>")?;
    let BoardScreening::Due { threshold, staff } = screening else {
        writeln!(
            out,
            "<p>Screening was not run for this pack: the user who wrote it does not screen.</p>"
        )?;
        return Ok(());
    };
    writeln!(
        out,
        "<p>Staff whose force data shows a Beacon warning sign scoring {threshold} or more \
         (look-ups after a case closed, calls with a victim or witness outside their case, \
         repeated self-deployment, contact after closure), never assessed or with something \
         new since. Nobody is assessed by screening: each needs a detective's assessment.</p>\n\
         <table><tr><th>Member of staff</th><th>Score</th><th>Last assessed</th>\
         <th>Findings</th></tr>"
    )?;
    for entry in staff {
        let findings: Vec<String> = entry
            .findings
            .iter()
            .filter(|f| f.score >= threshold)
            .map(|f| {
                format!(
                    "<strong>{}</strong> ({}): {}",
                    escape(f.indicator.label()),
                    f.score,
                    escape(&f.facts.join(" "))
                )
            })
            .collect();
        writeln!(
            out,
            "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(entry.name),
            entry
                .staff_number
                .map_or_else(String::new, |n| format!(" ({})", escape(n))),
            entry.top_score,
            entry
                .last_assessed_on
                .map_or_else(|| String::from("never"), |d| d.to_string()),
            findings.join("<br>")
        )?;
    }
    if staff.is_empty() {
        writeln!(out, "<tr><td colspan=\"4\">None</td></tr>")?;
    }
    writeln!(out, "</table>")
}
