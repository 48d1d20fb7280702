//! The strategic threat assessment as PDF, for boards that file reports as PDF: the same
//! sections as the HTML page, laid out on A4 pages with the standard Helvetica fonts (nothing
//! embedded, nothing fetched), each comparison with its bars, and the protective marking at
//! the top and foot of every page.

use super::pdf_pages::{LINE_HEIGHT, MARGIN, Marking, PdfPages, TEXT_SIZE};
use crate::risk::threat_assessment::{ThreatAssessment, Trend};

/// Where the bars of a comparison start, and their longest length.
const BAR_X: f32 = 400.0;
const BAR_SPACE: f32 = 145.0;

/// A comparison: each code with both counts and the change, and its two bars.
fn trends(layout: &mut PdfPages, a: &ThreatAssessment, rows: &[Trend]) {
    layout.need(LINE_HEIGHT);
    layout.y -= LINE_HEIGHT;
    let y = layout.y;
    for (x, title) in [
        (215.0, "this period"),
        (265.0, "previous"),
        (315.0, "change"),
    ] {
        layout.text_at(MARGIN + x - 10.0, y, title, true, 7.0);
    }
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^24")]
    let most = rows
        .iter()
        .map(|r| a.count_drawn(r.current).max(a.count_drawn(r.previous)))
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    for row in rows {
        let change = a.change_text(row);
        layout.need(LINE_HEIGHT);
        layout.y -= LINE_HEIGHT;
        let y = layout.y;
        let code: String = row.label.chars().take(44).collect();
        layout.text_at(MARGIN, y, &code, false, TEXT_SIZE);
        layout.text_at(
            MARGIN + 205.0,
            y,
            &a.count_text(row.current),
            false,
            TEXT_SIZE,
        );
        layout.text_at(
            MARGIN + 255.0,
            y,
            &a.count_text(row.previous),
            false,
            TEXT_SIZE,
        );
        layout.text_at(MARGIN + 305.0, y, &change, false, TEXT_SIZE);
        #[expect(clippy::cast_precision_loss, reason = "counts far below 2^24")]
        let (current, previous) = (
            a.count_drawn(row.current) as f32,
            a.count_drawn(row.previous) as f32,
        );
        layout.bar(BAR_X, y + 4.0, current / most * BAR_SPACE, 5.0, 1.0);
        layout.bar(BAR_X, y - 1.0, previous / most * BAR_SPACE, 4.0, 2.5);
    }
}

/// The assessment as the bytes of a PDF file.
#[must_use]
pub fn threat_assessment_pdf(assessment: &ThreatAssessment) -> Vec<u8> {
    let a = assessment;
    let mut layout = PdfPages::new(Marking {
        header: format!(
            "{} | {} EDITION",
            a.edition.handling(),
            a.edition.as_str().to_uppercase()
        ),
        foot: a.edition.handling().to_owned(),
        statement: a.edition.statement().to_owned(),
    });
    layout.line("Counter corruption strategic threat assessment", true, 16.0);
    layout.paragraph(&format!(
        "Period: {} to {}, compared with {} to {}.",
        a.from, a.to, a.previous_from, a.previous_to
    ));
    layout.paragraph(&format!(
        "Intelligence received in the period: {} (previous period: {}).",
        a.count_text(a.current.total),
        a.count_text(a.previous.total)
    ));
    for (title, rows) in [
        ("Intelligence by national category", a.category_trends()),
        ("Intelligence by source type", a.source_type_trends()),
        ("Intelligence by grading", a.grading_trends()),
        ("Intelligence by status", a.status_trends()),
    ] {
        layout.heading(title);
        trends(&mut layout, a, &rows);
    }
    layout.heading("Live notifiable associations");
    layout.line(
        &format!("Live on {}, the period's last day.", a.to),
        false,
        TEXT_SIZE,
    );
    for (category, count) in &a.live_association_rows() {
        layout.line(
            &format!("{category}: {}", a.count_text(*count)),
            false,
            TEXT_SIZE,
        );
    }
    layout.heading("Operation Beacon cohort");
    layout.line(
        &format!(
            "{} people assessed under Beacon on {}.",
            a.count_text(a.beacon_cohort),
            a.to
        ),
        false,
        TEXT_SIZE,
    );
    for (band, count) in &a.beacon_bands {
        layout.line(
            &format!("{band}: {}", a.count_text(*count)),
            false,
            TEXT_SIZE,
        );
    }
    layout.heading("Management interventions proposed in the period");
    for (outcome, count) in &a.intervention_rows() {
        layout.line(
            &format!("{outcome}: {}", a.count_text(*count)),
            false,
            TEXT_SIZE,
        );
    }
    layout.heading("Most pressing exposure leads");
    for lead in &a.top_exposures {
        layout.paragraph(&format!(
            "{} -> {} ({} link(s), score {:.2})",
            lead.employee, lead.target, lead.hops, lead.score
        ));
    }
    layout.heading("Control strategy");
    if a.control_strategy.is_empty() {
        layout.line("Not yet set.", false, TEXT_SIZE);
    }
    for row in &a.control_strategy {
        layout.line(&row.priority, true, TEXT_SIZE);
        for (name, text) in [
            ("Intervention", &row.intervention),
            ("Protection", &row.protection),
            ("Prevention", &row.prevention),
        ] {
            layout.paragraph(&format!("{name}: {text}"));
        }
    }
    layout.finish()
}
