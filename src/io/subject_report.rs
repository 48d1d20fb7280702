//! The subject profile as a document to file or print, in HTML (one self-contained page: no
//! scripts, no external resources) or PDF (A4, the standard fonts): the same sections in the
//! same words as the terminal and the GUI show them, under the unit's marking. A printed record
//! never shows the workbench's database ids: people by name and staff number, items by
//! reference.

use super::pdf_pages::{Marking, PdfPages};
use crate::workbench::ProfileSection;
use std::io::Write;

// The marking the report carries at its top and foot.
use super::HANDLING_MARKING as SUBJECT_REPORT_MARKING;

/// What the report says about itself, then its sections.
#[derive(Debug, Clone)]
pub struct SubjectReport<'a> {
    /// "Employee: Robin QUARRY (AB77)".
    pub title: String,
    /// Who prepared it, when, and for which purpose.
    pub prepared: String,
    pub sections: &'a [ProfileSection],
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Writes the report as one HTML page.
///
/// # Errors
/// I/O errors from `out`.
pub fn write_html(report: &SubjectReport<'_>, mut out: impl Write) -> std::io::Result<()> {
    super::html_page::open(
        &mut out,
        "Subject profile",
        SUBJECT_REPORT_MARKING,
        "h2{border-bottom:1px solid #999;margin-top:1.5em}li{margin:.2em 0}",
    )?;
    writeln!(out, "<h1>Subject profile: {}</h1>", escape(&report.title))?;
    writeln!(out, "<p>{}</p>", escape(&report.prepared))?;
    for section in report.sections {
        writeln!(
            out,
            "<h2>{} ({})</h2>",
            escape(section.title),
            section.lines.len()
        )?;
        if section.lines.is_empty() {
            writeln!(out, "<p class=\"empty\">{}</p>", escape(section.empty))?;
            continue;
        }
        writeln!(out, "<ul>")?;
        for line in &section.lines {
            writeln!(out, "<li>{}</li>", escape(&line.text))?;
        }
        writeln!(out, "</ul>")?;
        if let Some(note) = &section.note {
            writeln!(out, "<p class=\"empty\">{}</p>", escape(note))?;
        }
    }
    super::html_page::close(&mut out)
}

/// The report as the bytes of a PDF file.
#[must_use]
pub fn pdf(report: &SubjectReport<'_>) -> Vec<u8> {
    let mut layout = PdfPages::new(Marking {
        header: SUBJECT_REPORT_MARKING.to_owned(),
        foot: SUBJECT_REPORT_MARKING.to_owned(),
        statement: "Subject profile for the Counter Corruption Unit: no onward disclosure \
                    without the unit's authority."
            .to_owned(),
    });
    layout.line(&format!("Subject profile: {}", report.title), true, 14.0);
    layout.paragraph(&report.prepared);
    for section in report.sections {
        layout.heading(&format!("{} ({})", section.title, section.lines.len()));
        if section.lines.is_empty() {
            layout.item(section.empty);
        }
        for line in &section.lines {
            layout.item(&line.text);
        }
        if let Some(note) = &section.note {
            layout.item(note);
        }
    }
    layout.finish()
}
