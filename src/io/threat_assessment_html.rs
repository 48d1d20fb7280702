//! The strategic threat assessment as one self-contained HTML page (no scripts, no external
//! resources), in seed 000's order: the analyst's executive summary and key judgements, the
//! threats in priority order each with its figures and assessment, the intelligence
//! requirements and recommendations; then the figures (the period against the one before, as
//! tables and as bar charts drawn in inline SVG; the notifiable associations, the Beacon
//! cohort, interventions, the most pressing exposure leads) and the control strategy. A chart's
//! label column is as wide as its longest label needs (measured with Helvetica's glyph widths,
//! with room for a wider sans-serif), up to a limit past which labels wrap onto further lines:
//! never clipped, never cut.

use super::pdf_pages::{text_width, wrapped_to};
use super::xml_escape as escape;
use crate::risk::threat_assessment::{
    NO_TEXT, NOT_RANKED, NOT_WRITTEN, ThreatAssessment, Trend, paragraphs,
};
use std::io::{self, Write};

/// Chart geometry, in SVG user units.
const BAR_HEIGHT: usize = 14;
const ROW_HEIGHT: usize = 36;
/// The label column's least and greatest width; a label wider than the greatest wraps.
const MIN_LABEL_WIDTH: usize = 120;
const MAX_LABEL_WIDTH: usize = 360;
/// The room for the bars, and for the count written after the longest.
const BAR_SPACE: usize = 350;
const COUNT_SPACE: usize = 80;
/// The labels' size, the height of each of their lines, and the gap before the bars.
const LABEL_SIZE: f32 = 12.0;
const LABEL_LINE: usize = 15;
const LABEL_GAP: usize = 6;
/// How much wider than Helvetica a reader's sans-serif may draw (`DejaVu Sans` is about a tenth
/// wider): labels are measured with Helvetica's widths times this.
const FONT_ALLOWANCE: f32 = 1.2;
/// The fonts the charts ask for: Helvetica's metrics or near them.
const CHART_FONTS: &str = "Helvetica, Arial, 'Liberation Sans', sans-serif";

/// The width a chart label needs, in SVG user units.
#[must_use]
pub fn label_width_needed(label: &str) -> f32 {
    text_width(label, LABEL_SIZE, false) * FONT_ALLOWANCE
}

/// The label column of a chart of `rows` (the labels and the gap before the bars), and each
/// label in lines that fit it.
fn label_column(rows: &[Trend]) -> (usize, Vec<Vec<String>>) {
    let longest = rows
        .iter()
        .map(|r| label_width_needed(&r.label))
        .fold(0.0, f32::max)
        .ceil();
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a width of a few hundred units, not negative"
    )]
    let text = (longest as usize).clamp(MIN_LABEL_WIDTH, MAX_LABEL_WIDTH);
    #[expect(clippy::cast_precision_loss, reason = "a few hundred")]
    let fits = text as f32 / FONT_ALLOWANCE;
    let lines = rows
        .iter()
        .map(|r| wrapped_to(&r.label, fits, LABEL_SIZE, false))
        .collect();
    (text + LABEL_GAP, lines)
}

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
    let (label_width, labels) = label_column(rows);
    let chart_width = label_width + BAR_SPACE + COUNT_SPACE;
    let row_heights: Vec<usize> = labels
        .iter()
        .map(|lines| ROW_HEIGHT.max(lines.len() * LABEL_LINE + 8))
        .collect();
    let height = row_heights.iter().sum::<usize>() + 30;
    writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{chart_width}" height="{height}" font-family="{CHART_FONTS}" role="img" aria-label="{}">"#,
        escape(title)
    )?;
    writeln!(
        out,
        r##"<rect x="{label_width}" y="4" width="10" height="10" fill="#2a5d9f"/><text x="{}" y="13" font-size="11">this period</text><rect x="{}" y="4" width="10" height="10" fill="#b8c4d6"/><text x="{}" y="13" font-size="11">previous period</text>"##,
        label_width + 14,
        label_width + 100,
        label_width + 114
    )?;
    let mut y = 24;
    for ((row, lines), row_height) in rows.iter().zip(&labels).zip(&row_heights) {
        let width = |count: u64| {
            usize::try_from(a.count_drawn(count))
                .unwrap_or(usize::MAX)
                .saturating_mul(BAR_SPACE)
                / usize::try_from(most).unwrap_or(1)
        };
        write!(
            out,
            r#"<text class="label" x="{}" y="{}" font-size="{LABEL_SIZE}" text-anchor="end">"#,
            label_width - LABEL_GAP,
            y + BAR_HEIGHT,
        )?;
        for (index, line) in lines.iter().enumerate() {
            let dy = if index == 0 { 0 } else { LABEL_LINE };
            write!(
                out,
                r#"<tspan x="{}" dy="{dy}">{}</tspan>"#,
                label_width - LABEL_GAP,
                escape(line)
            )?;
        }
        writeln!(out, "</text>")?;
        writeln!(
            out,
            r##"<rect x="{label_width}" y="{y}" width="{}" height="{BAR_HEIGHT}" fill="#2a5d9f"/><text x="{}" y="{}" font-size="11">{}</text>"##,
            width(row.current),
            label_width + width(row.current) + 4,
            y + 11,
            a.count_text(row.current)
        )?;
        writeln!(
            out,
            r##"<rect x="{label_width}" y="{}" width="{}" height="{}" fill="#b8c4d6"/><text x="{}" y="{}" font-size="11">{}</text>"##,
            y + BAR_HEIGHT + 2,
            width(row.previous),
            BAR_HEIGHT - 4,
            label_width + width(row.previous) + 4,
            y + BAR_HEIGHT + 11,
            a.count_text(row.previous)
        )?;
        y += row_height;
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
        "<table><thead><tr><th>{}</th><th class=\"nowrap\">This period</th>\
         <th class=\"nowrap\">Previous period</th><th>Change</th></tr></thead>",
        escape(heading)
    )?;
    for row in rows {
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td>\
             <td class=\"nowrap\">{}</td></tr>",
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
        "<table><thead><tr><th>{}</th><th>Count</th></tr></thead>",
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

/// Each paragraph of `text` as a `<p>`.
fn html_paragraphs(out: &mut impl Write, text: &str) -> io::Result<()> {
    for paragraph in paragraphs(text) {
        writeln!(out, "<p>{}</p>", escape(&paragraph))?;
    }
    Ok(())
}

/// A numbered list, or `empty` in its place when there is nothing in it.
fn numbered(out: &mut impl Write, entries: &[String], empty: &str) -> io::Result<()> {
    if entries.is_empty() {
        return writeln!(out, "<p class=\"empty\">{}</p>", escape(empty));
    }
    writeln!(out, "<ol>")?;
    for entry in entries {
        writeln!(out, "<li>{}</li>", escape(entry))?;
    }
    writeln!(out, "</ol>")
}

/// The analyst's argument: summary, key judgements, ranked threats with their figures,
/// requirements and recommendations. Each section says so when nothing has been written.
fn argument(out: &mut impl Write, a: &ThreatAssessment) -> io::Result<()> {
    let text = a.text.as_ref().map(|v| &v.text);
    writeln!(out, "<h2>Executive summary</h2>")?;
    match &a.text {
        Some(version) => {
            html_paragraphs(out, &version.text.summary)?;
            if version.text.summary.trim().is_empty() {
                writeln!(out, "<p class=\"empty\">{NOT_WRITTEN}</p>")?;
            }
            writeln!(
                out,
                "<p class=\"version\">Analyst's text, version {}{}.</p>",
                version.version,
                escape(&version.saved_words())
            )?;
        }
        None => writeln!(out, "<p class=\"empty\">{NO_TEXT}</p>")?,
    }
    writeln!(out, "<h2>Key judgements</h2>")?;
    numbered(
        out,
        text.map_or(&[][..], |t| &t.key_judgements),
        NOT_WRITTEN,
    )?;
    writeln!(out, "<h2>Threats in priority order</h2>")?;
    let threats = a.priority_threats();
    if threats.is_empty() {
        writeln!(out, "<p class=\"empty\">{NOT_RANKED}</p>")?;
    }
    for threat in &threats {
        writeln!(
            out,
            "<h3>{}. {}</h3>\n<p class=\"figures\">{}</p>",
            threat.priority,
            escape(&threat.trend.label),
            escape(&a.received_words(&threat.trend))
        )?;
        if !threat.subcategories.is_empty() {
            trend_table(out, a, "Sub-category", &threat.subcategories)?;
        }
        html_paragraphs(out, &threat.assessment)?;
    }
    writeln!(out, "<h2>Intelligence requirements</h2>")?;
    numbered(
        out,
        text.map_or(&[][..], |t| &t.intelligence_requirements),
        NOT_WRITTEN,
    )?;
    writeln!(out, "<h2>Recommendations</h2>")?;
    numbered(
        out,
        text.map_or(&[][..], |t| &t.recommendations),
        NOT_WRITTEN,
    )
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
    super::html_page::open(
        &mut out,
        &format!(
            "Counter corruption strategic threat assessment {} to {}",
            a.from, a.to
        ),
        a.edition.handling(),
        ".version{color:#555;font-style:italic}li{margin-bottom:.4em}table{width:100%}",
    )?;
    writeln!(
        out,
        "<p class=\"edition\">{statement}</p>\n\
         <h1>Counter corruption strategic threat assessment</h1>\n\
         <p>Period: {from} to {to}, compared with {pfrom} to {pto}. Intelligence received in the \
         period: <strong>{total}</strong> (previous period: {ptotal}).</p>",
        statement = escape(a.edition.statement()),
        from = a.from,
        to = a.to,
        pfrom = a.previous_from,
        pto = a.previous_to,
        total = a.count_text(a.current.total),
        ptotal = a.count_text(a.previous.total),
    )?;
    argument(&mut out, a)?;
    writeln!(
        out,
        "<h2>The figures</h2>\n<p>Intelligence received in the period, compared with the \
         period before; live associations, the Beacon cohort and interventions.</p>"
    )?;
    for table in a.figure_tables() {
        writeln!(out, "<h3>{}</h3>", escape(table.title))?;
        if table.rows.is_empty() {
            writeln!(out, "<p class=\"empty\">None in either period.</p>")?;
            continue;
        }
        trend_chart(&mut out, a, table.title, &table.rows)?;
        trend_table(&mut out, a, table.heading, &table.rows)?;
    }
    writeln!(out, "<h3>Live notifiable associations</h3>")?;
    writeln!(out, "<p>Live on {}, the period's last day.</p>", a.to)?;
    counts_table(&mut out, a, "Category", &a.live_association_rows())?;
    writeln!(
        out,
        "<h3>Operation Beacon cohort</h3>\n<p>{} people assessed under Beacon on {}.</p>",
        a.count_text(a.beacon_cohort),
        a.to
    )?;
    counts_table(&mut out, a, "Band (most serious first)", &a.beacon_bands)?;
    writeln!(
        out,
        "<h3>Management interventions proposed in the period</h3>"
    )?;
    counts_table(&mut out, a, "Outcome", &a.intervention_rows())?;
    writeln!(out, "<h3>Most pressing exposure leads</h3>")?;
    writeln!(
        out,
        "<table><thead><tr><th>Employee</th><th>Nominal of concern</th><th>Links away</th>\
         <th>Score</th></tr></thead>"
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
        "<h2>Control strategy</h2>\n<table><thead><tr><th>Priority</th><th>Intervention</th>\
         <th>Protection</th><th>Prevention</th></tr></thead>"
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
        "</table>\n<p class=\"edition\">{}</p>",
        escape(a.edition.statement())
    )?;
    super::html_page::close(&mut out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::threat_assessment_pdf::tests::{LONGEST, long_assessment};
    use crate::risk::threat_assessment::Edition;

    /// Each chart label: the x its text ends at (it is drawn right-aligned) and its lines.
    fn chart_labels(html: &str) -> Vec<(f32, Vec<String>)> {
        html.split(r#"<text class="label" x=""#)
            .skip(1)
            .map(|rest| {
                let x: f32 = rest[..rest.find('"').unwrap()].parse().unwrap();
                let body = &rest[..rest.find("</text>").unwrap()];
                let lines = body
                    .split("<tspan")
                    .skip(1)
                    .map(|span| {
                        let start = span.find('>').unwrap() + 1;
                        span[start..span.find("</tspan>").unwrap()].to_owned()
                    })
                    .collect();
                (x, lines)
            })
            .collect()
    }

    #[test]
    fn chart_labels_have_the_room_they_need_and_are_never_cut() {
        let assessment = long_assessment(Edition::Restricted);
        let mut html = Vec::new();
        write_threat_assessment(&assessment, &mut html).unwrap();
        let html = String::from_utf8(html).unwrap();
        for clipping in ["overflow", "ellipsis", "clip", "textLength"] {
            assert!(!html.contains(clipping), "the page uses {clipping}");
        }
        let labels = chart_labels(&html);
        let trends: Vec<Trend> = assessment
            .figure_tables()
            .into_iter()
            .flat_map(|table| table.rows)
            .collect();
        assert_eq!(labels.len(), trends.len());
        for ((x, lines), row) in labels.iter().zip(&trends) {
            assert_eq!(lines.join(" "), row.label, "the whole label is drawn");
            for line in lines {
                assert!(
                    label_width_needed(line) <= *x,
                    "{line:?} needs {} but has {x}",
                    label_width_needed(line)
                );
            }
        }
        let longest = LONGEST.replace('_', " ");
        let (x, lines) = labels
            .iter()
            .find(|(_, lines)| lines.join(" ") == longest)
            .unwrap();
        assert!(lines.len() > 1, "the longest label wraps");
        assert!(*x > 300.0, "the column widened to {x} before wrapping");
    }
}
