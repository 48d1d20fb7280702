//! The transferee information package as one self-contained HTML page (no scripts, no external
//! resources) for the receiving force's counter corruption unit. Every intelligence item shows
//! its grading and handling code; an item with handling code C carries its conditions beside
//! it, where they cannot be separated from the item.

use super::xml_escape as escape;
use crate::domain::{NominalDetails, TransfereePackage, WorkforceRecord, list};
use std::io::{self, Write};

/// The intelligence section's heading and what it holds: items of which the officer is a
/// subject, what was left out and why.
fn intelligence_intro(out: &mut impl Write, package: &TransfereePackage) -> io::Result<()> {
    writeln!(out, "<h2>Corruption intelligence</h2>")?;
    writeln!(
        out,
        "<p>Intelligence of which the officer is a subject. {}</p>",
        escape(&package.left_out.describe())
    )?;
    if package.intelligence.is_empty() {
        writeln!(out, "<p>None held.</p>")?;
    }
    Ok(())
}

/// Writes `package` as HTML, prepared for `recipient` (the post or person the disclosure
/// names).
///
/// # Errors
/// I/O errors from `out`.
pub fn write_transferee_package(
    package: &TransfereePackage,
    recipient: &str,
    mut out: impl Write,
) -> io::Result<()> {
    let name = package.employee.details.display_name();
    super::html_page::open(
        &mut out,
        "Transferee information package",
        "OFFICIAL-SENSITIVE: COUNTER CORRUPTION UNIT",
        ".conditions{border:2px solid #8e2424;padding:.3em;margin:.3em 0}",
    )?;
    writeln!(
        out,
        "<h1>Transferee information package</h1>\n<p>Prepared on {} for {}, of the receiving \
         force's counter corruption unit.</p>",
        package.prepared_on,
        escape(recipient)
    )?;
    employee_table(&mut out, package, &name)?;
    for (heading, records, none) in [
        (
            "Performance",
            &package.performance,
            "No performance record imported",
        ),
        (
            "Sickness absence",
            &package.sickness,
            "No sickness absence imported",
        ),
        ("Complaints", &package.complaints, "No complaint imported"),
    ] {
        workforce_records_html(&mut out, heading, records, none)?;
    }
    conduct_outcomes_html(&mut out, package)?;
    writeln!(
        out,
        "<h2>Business interests and second jobs</h2>\n<table><tr><th>Organisation</th>\
         <th>Description</th><th>Declared</th><th>Approved</th></tr>"
    )?;
    for interest in &package.business_interests {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&interest.organisation),
            escape(&interest.description),
            interest
                .declared_on
                .map_or_else(|| "not given".to_owned(), |d| d.to_string()),
            if interest.approved { "yes" } else { "no" }
        )?;
    }
    if package.business_interests.is_empty() {
        writeln!(out, "<tr><td colspan=\"4\">None registered</td></tr>")?;
    }
    writeln!(out, "</table>")?;
    writeln!(
        out,
        "<h2>Notifiable associations</h2>\n<table><tr><th>Associate</th><th>Category</th>\
         <th>Status</th><th>Declared</th><th>Conditions</th></tr>"
    )?;
    for (association, associate) in &package.associations {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(associate),
            escape(
                &package
                    .labels
                    .label(list::NA_CATEGORY, &association.category)
            ),
            association.status.as_str(),
            association.declared_on,
            escape(&association.conditions)
        )?;
    }
    if package.associations.is_empty() {
        writeln!(out, "<tr><td colspan=\"5\">None registered</td></tr>")?;
    }
    writeln!(out, "</table>")?;
    intelligence_intro(&mut out, package)?;
    for item in &package.intelligence {
        let grading = &item.fields.grading;
        writeln!(
            out,
            "<section class=\"item\"><h3>{}</h3>\n<p>Received {}; category {}; status {}; \
             graded {} / {} / handling code <strong>{}</strong>.</p>",
            escape(&item.reference),
            item.fields.received_on,
            escape(
                &package
                    .labels
                    .label(list::CORRUPTION_CATEGORY, &item.fields.category)
            ),
            escape(&package.labels.label(list::INTEL_STATUS, &item.status)),
            escape(&grading.source_evaluation),
            escape(&grading.intelligence_assessment),
            escape(&grading.handling_code)
        )?;
        if let Some(conditions) = &grading.handling_conditions {
            writeln!(
                out,
                "<p class=\"conditions\">Handling conditions ({}): {}</p>",
                escape(&grading.handling_code),
                escape(conditions)
            )?;
        }
        writeln!(out, "<p>{}</p></section>", escape(&item.fields.narrative))?;
    }
    super::html_page::close(&mut out)?;
    out.flush()
}

/// The employee's record, its codes in the reference data's words.
fn employee_table(out: &mut impl Write, package: &TransfereePackage, name: &str) -> io::Result<()> {
    writeln!(out, "<h2>Employee</h2>\n<table>")?;
    let row = |out: &mut dyn Write, label: &str, value: &str| -> io::Result<()> {
        writeln!(out, "<tr><th>{label}</th><td>{}</td></tr>", escape(value))
    };
    row(out, "Name", name)?;
    if let NominalDetails::Employee {
        staff_number,
        rank_grade,
        role,
        department,
        employee_type,
        vetting_level,
        vetting_expiry,
        status,
        ..
    } = &package.employee.details
    {
        row(out, "Staff number", staff_number)?;
        row(out, "Rank or grade", rank_grade)?;
        row(out, "Role", role)?;
        row(out, "Department", department)?;
        // Codes in the reference data's words, as the subject profile shows them.
        let labels = &package.labels;
        row(
            out,
            "Employee type",
            &labels.label(list::EMPLOYEE_TYPE, employee_type),
        )?;
        row(out, "Status", &labels.label(list::EMPLOYEE_STATUS, status))?;
        row(
            out,
            "Vetting",
            &match (vetting_level, vetting_expiry) {
                (Some(level), Some(expiry)) => format!(
                    "{}, expires {expiry}",
                    labels.label(list::VETTING_LEVEL, level)
                ),
                (Some(level), None) => labels.label(list::VETTING_LEVEL, level),
                _ => "None recorded".into(),
            },
        )?;
    }
    writeln!(out, "</table>")
}

/// Misconduct: each conduct outcome with its date, the allegation's category and whether the
/// IOPC had it.
fn conduct_outcomes_html(out: &mut impl Write, package: &TransfereePackage) -> io::Result<()> {
    writeln!(
        out,
        "<h2>Conduct outcomes (misconduct)</h2>\n<table><tr><th>Decided</th><th>Allegation</th>\
         <th>Outcome</th><th>Referred to the IOPC</th></tr>"
    )?;
    for outcome in &package.conduct_outcomes {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            outcome.decided_on,
            escape(
                &package
                    .labels
                    .label(list::CORRUPTION_CATEGORY, &outcome.category)
            ),
            escape(&cell_case(outcome.outcome.label())),
            if outcome.referred_to_iopc {
                "Yes"
            } else {
                "No"
            }
        )?;
    }
    if package.conduct_outcomes.is_empty() {
        writeln!(
            out,
            "<tr><td colspan=\"4\">No conduct outcome recorded</td></tr>"
        )?;
    }
    writeln!(out, "</table>")
}

/// "a written warning" as a table cell: "Written warning".
fn cell_case(label: &str) -> String {
    super::sentence_case(label.strip_prefix("a ").unwrap_or(label))
}

/// One table of performance reviews, sickness absences or complaints, as the HR or
/// Professional Standards extract gave them.
fn workforce_records_html(
    out: &mut impl Write,
    heading: &str,
    records: &[WorkforceRecord],
    none: &str,
) -> io::Result<()> {
    writeln!(
        out,
        "<h2>{heading}</h2>\n<table><tr><th>Recorded</th><th>Ended</th><th>Summary</th>\
         <th>Outcome</th><th>Reference</th></tr>"
    )?;
    for record in records {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            record.recorded_on,
            record.ended_on.map(|d| d.to_string()).unwrap_or_default(),
            escape(&record.summary),
            escape(record.outcome.as_deref().unwrap_or("")),
            escape(record.reference.as_deref().unwrap_or(""))
        )?;
    }
    if records.is_empty() {
        writeln!(out, "<tr><td colspan=\"5\">{none}</td></tr>")?;
    }
    writeln!(out, "</table>")
}
