//! The strategic threat assessment as one self-contained HTML page (no scripts, no external
//! resources): the period against the one before, as tables and as bar charts drawn in inline
//! SVG, then the notifiable associations, the Beacon cohort, interventions, the most pressing
//! exposure leads, and the control strategy.

use super::xml_escape as escape;
use crate::risk::threat_assessment::{ThreatAssessment, Trend};
use std::io::{self, Write};

/// Chart geometry, in SVG user units.
const BAR_HEIGHT: usize = 14;
const ROW_HEIGHT: usize = 36;
const LABEL_WIDTH: usize = 230;
const CHART_WIDTH: usize = 640;

/// A horizontal bar chart of `rows`: for each code, this period's bar over the last one's.
fn trend_chart(
    out: &mut impl Write,
    a: &ThreatAssessment,
    title: &str,
    rows: &[Trend],
) -> io::Result<()> {
    let most = rows
        .iter()
        .map(|r| a.count_drawn(r.current).max(a.count_drawn(r.previous)))
        .max()
        .unwrap_or(0)
        .max(1);
    let bar_space = CHART_WIDTH - LABEL_WIDTH - 60;
    let height = rows.len() * ROW_HEIGHT + 30;
    writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{height}" role="img" aria-label="{}">"#,
        escape(title)
    )?;
    writeln!(
        out,
        r##"<rect x="{LABEL_WIDTH}" y="4" width="10" height="10" fill="#2a5d9f"/><text x="{}" y="13" font-size="11">this period</text><rect x="{}" y="4" width="10" height="10" fill="#b8c4d6"/><text x="{}" y="13" font-size="11">previous period</text>"##,
        LABEL_WIDTH + 14,
        LABEL_WIDTH + 100,
        LABEL_WIDTH + 114
    )?;
    for (index, row) in rows.iter().enumerate() {
        let y = 24 + index * ROW_HEIGHT;
        let width = |count: u64| {
            usize::try_from(a.count_drawn(count))
                .unwrap_or(usize::MAX)
                .saturating_mul(bar_space)
                / usize::try_from(most).unwrap_or(1)
        };
        writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>"#,
            LABEL_WIDTH - 6,
            y + BAR_HEIGHT,
            escape(&row.label)
        )?;
        writeln!(
            out,
            r##"<rect x="{LABEL_WIDTH}" y="{y}" width="{}" height="{BAR_HEIGHT}" fill="#2a5d9f"/><text x="{}" y="{}" font-size="11">{}</text>"##,
            width(row.current),
            LABEL_WIDTH + width(row.current) + 4,
            y + 11,
            a.count_text(row.current)
        )?;
        writeln!(
            out,
            r##"<rect x="{LABEL_WIDTH}" y="{}" width="{}" height="{}" fill="#b8c4d6"/><text x="{}" y="{}" font-size="11">{}</text>"##,
            y + BAR_HEIGHT + 2,
            width(row.previous),
            BAR_HEIGHT - 4,
            LABEL_WIDTH + width(row.previous) + 4,
            y + BAR_HEIGHT + 11,
            a.count_text(row.previous)
        )?;
    }
    writeln!(out, "</svg>")
}

/// A table of `rows` with this period, the last, and the change.
fn trend_table(
    out: &mut impl Write,
    a: &ThreatAssessment,
    heading: &str,
    rows: &[Trend],
) -> io::Result<()> {
    writeln!(
        out,
        "<table><tr><th>{}</th><th>This period</th><th>Previous period</th><th>Change</th></tr>",
        escape(heading)
    )?;
    for row in rows {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.label),
            a.count_text(row.current),
            a.count_text(row.previous),
            a.change_text(row)
        )?;
    }
    writeln!(out, "</table>")
}

fn counts_table(
    out: &mut impl Write,
    a: &ThreatAssessment,
    heading: &str,
    rows: &[(String, u64)],
) -> io::Result<()> {
    writeln!(
        out,
        "<table><tr><th>{}</th><th>Count</th></tr>",
        escape(heading)
    )?;
    let mut any = false;
    for (label, count) in rows {
        any = true;
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(label),
            a.count_text(*count)
        )?;
    }
    if !any {
        writeln!(out, "<tr><td colspan=\"2\">None</td></tr>")?;
    }
    writeln!(out, "</table>")
}

/// Writes `assessment` as HTML.
///
/// # Errors
/// I/O errors from `out`.
pub fn write_threat_assessment(
    assessment: &ThreatAssessment,
    mut out: impl Write,
) -> io::Result<()> {
    let a = assessment;
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Counter corruption strategic threat assessment {from} to {to}</title>\
         <style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}\
         .marking{{background:#8e2424;color:#fff;padding:.3em;text-align:center}}\
         table{{border-collapse:collapse;margin:.5em 0 1.5em}}\
         th{{text-align:left;padding-right:1em;vertical-align:top}}\
         td,th{{border-bottom:1px solid #ddd;padding:.2em .6em .2em 0;vertical-align:top}}</style>\
         </head><body>\n<p class=\"marking\">{marking}</p>\n<p class=\"edition\">{statement}</p>\n\
         <h1>Counter corruption strategic threat assessment</h1>\n\
         <p>Period: {from} to {to}, compared with {pfrom} to {pto}. Intelligence received in the \
         period: <strong>{total}</strong> (previous period: {ptotal}).</p>",
        marking = a.edition.handling(),
        statement = escape(a.edition.statement()),
        from = a.from,
        to = a.to,
        pfrom = a.previous_from,
        pto = a.previous_to,
        total = a.count_text(a.current.total),
        ptotal = a.count_text(a.previous.total),
    )?;
    let sections = [
        (
            "Intelligence by national category",
            "Category",
            a.category_trends(),
        ),
        (
            "Intelligence by source type",
            "Source type",
            a.source_type_trends(),
        ),
        (
            "Intelligence by grading (source evaluation and intelligence assessment)",
            "Grading",
            a.grading_trends(),
        ),
        ("Intelligence by status", "Status", a.status_trends()),
    ];
    for (title, heading, rows) in &sections {
        writeln!(out, "<h2>{}</h2>", escape(title))?;
        trend_chart(&mut out, a, title, rows)?;
        trend_table(&mut out, a, heading, rows)?;
    }
    writeln!(out, "<h2>Live notifiable associations</h2>")?;
    writeln!(out, "<p>Live on {}, the period's last day.</p>", a.to)?;
    counts_table(&mut out, a, "Category", &a.live_association_rows())?;
    writeln!(
        out,
        "<h2>Operation Beacon cohort</h2>\n<p>{} people assessed under Beacon on {}.</p>",
        a.count_text(a.beacon_cohort),
        a.to
    )?;
    counts_table(&mut out, a, "Band (most serious first)", &a.beacon_bands)?;
    writeln!(
        out,
        "<h2>Management interventions proposed in the period</h2>"
    )?;
    counts_table(&mut out, a, "Outcome", &a.intervention_rows())?;
    writeln!(out, "<h2>Most pressing exposure leads</h2>")?;
    writeln!(
        out,
        "<table><tr><th>Employee</th><th>Nominal of concern</th><th>Links away</th><th>Score</th></tr>"
    )?;
    for lead in &a.top_exposures {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td></tr>",
            escape(&lead.employee),
            escape(&lead.target),
            lead.hops,
            lead.score
        )?;
    }
    if a.top_exposures.is_empty() {
        writeln!(out, "<tr><td colspan=\"4\">None</td></tr>")?;
    }
    writeln!(out, "</table>")?;
    writeln!(
        out,
        "<h2>Control strategy</h2>\n<table><tr><th>Priority</th><th>Intervention</th>\
         <th>Protection</th><th>Prevention</th></tr>"
    )?;
    for row in &a.control_strategy {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.priority),
            escape(&row.intervention),
            escape(&row.protection),
            escape(&row.prevention)
        )?;
    }
    if a.control_strategy.is_empty() {
        writeln!(out, "<tr><td colspan=\"4\">Not yet set</td></tr>")?;
    }
    writeln!(
        out,
        "</table>\n<p class=\"edition\">{}</p>\n<p class=\"marking\">{}</p>\n</body></html>",
        escape(a.edition.statement()),
        a.edition.handling()
    )?;
    out.flush()
}
