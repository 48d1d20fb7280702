//! The strategic threat assessment as PDF, for boards that file reports as PDF: the same
//! sections as the HTML page (the analyst's argument, then the figures and the control
//! strategy), laid out on A4 pages with the standard Helvetica fonts (nothing
//! embedded, nothing fetched), and the protective marking at the top and foot of every page.
//! Each comparison is a table measured with the fonts' glyph widths: labels wrap in their
//! column (never cut), the counts are right-aligned, the bars scale to the room left between
//! the last column and the right margin, and a table that runs past a page continues on the
//! next with its header row repeated.

use super::pdf_pages::{
    BODY_WIDTH, CURRENT_BAR_RGB, LINE_HEIGHT, MARGIN, Marking, PAGE_WIDTH, PREVIOUS_BAR_RGB,
    PdfPages, TEXT_SIZE, text_width, wrapped_to,
};
use crate::risk::threat_assessment::{
    NO_TEXT, NOT_RANKED, NOT_WRITTEN, ThreatAssessment, Trend, paragraphs,
};

/// The size of a table's header row.
const HEADER_SIZE: f32 = 7.0;
/// The space between a table's columns.
const GAP: f32 = 10.0;
/// The least room a table leaves its bars; a long label wraps rather than take it.
const MIN_BAR_SPACE: f32 = 100.0;

/// Where a comparison's columns go, measured from its rows.
struct Columns {
    label_width: f32,
    /// The left edge and width of each count column (this period, previous, change).
    counts: [(f32, f32); 3],
    bar_x: f32,
    bar_space: f32,
}

const COUNT_TITLES: [&str; 3] = ["this period", "previous", "change"];

impl Columns {
    fn measure(a: &ThreatAssessment, heading: &str, rows: &[Trend]) -> Self {
        let widest = |title: &str, values: &mut dyn Iterator<Item = String>| {
            values
                .map(|v| text_width(&v, TEXT_SIZE, false))
                .fold(text_width(title, HEADER_SIZE, true), f32::max)
        };
        let widths = [
            widest(
                COUNT_TITLES[0],
                &mut rows.iter().map(|r| a.count_text(r.current)),
            ),
            widest(
                COUNT_TITLES[1],
                &mut rows.iter().map(|r| a.count_text(r.previous)),
            ),
            widest(COUNT_TITLES[2], &mut rows.iter().map(|r| a.change_text(r))),
        ];
        let counts_width: f32 = widths.iter().map(|w| w + GAP).sum();
        let longest_label = rows
            .iter()
            .map(|r| text_width(&r.label, TEXT_SIZE, false))
            .fold(text_width(heading, HEADER_SIZE, true), f32::max);
        let label_width = longest_label.min(BODY_WIDTH - counts_width - GAP - MIN_BAR_SPACE);
        let mut x = MARGIN + label_width;
        let counts = widths.map(|width| {
            x += GAP;
            let column = (x, width);
            x += width;
            column
        });
        let bar_x = x + GAP;
        Self {
            label_width,
            counts,
            bar_x,
            bar_space: PAGE_WIDTH - MARGIN - bar_x,
        }
    }

    /// Draws `text` right-aligned in count column `index`.
    fn count(&self, layout: &mut PdfPages, index: usize, y: f32, text: &str, bold: bool) {
        let (x, width) = self.counts[index];
        let size = if bold { HEADER_SIZE } else { TEXT_SIZE };
        let drawn = text_width(text, size, bold);
        layout.text_at(x + width - drawn, y, text, bold, size);
    }

    /// The header row: the label column's title (marked continued on a later page) and the
    /// count columns' titles.
    fn header(&self, layout: &mut PdfPages, heading: &str, continued: bool) {
        let title = if continued {
            format!("{heading} (continued)")
        } else {
            heading.to_owned()
        };
        let lines = wrapped_to(&title, self.label_width, HEADER_SIZE, true);
        #[expect(clippy::cast_precision_loss, reason = "a few lines")]
        let height = LINE_HEIGHT * lines.len() as f32;
        layout.need(height + LINE_HEIGHT);
        for (index, line) in lines.iter().enumerate() {
            layout.y -= LINE_HEIGHT;
            layout.text_at(MARGIN, layout.y, line, true, HEADER_SIZE);
            if index == 0 {
                for (column, title) in COUNT_TITLES.iter().enumerate() {
                    self.count(layout, column, layout.y, title, true);
                }
            }
        }
    }
}

/// A comparison: each code with both counts and the change, and its two bars. Labels wrap in
/// their column; the bars share what is left of the line; a table that runs past the page
/// continues on the next with its header row repeated.
fn trends(layout: &mut PdfPages, a: &ThreatAssessment, heading: &str, rows: &[Trend]) {
    let columns = Columns::measure(a, heading, rows);
    columns.header(layout, heading, false);
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^24")]
    let most = rows
        .iter()
        .map(|r| a.count_drawn(r.current).max(a.count_drawn(r.previous)))
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    for row in rows {
        let lines = wrapped_to(&row.label, columns.label_width, TEXT_SIZE, false);
        #[expect(clippy::cast_precision_loss, reason = "a few lines")]
        let height = LINE_HEIGHT * lines.len() as f32;
        // Two points more than the lines: the lower bar reaches below the first baseline.
        if layout.need_page(height + 2.0) {
            columns.header(layout, heading, true);
        }
        let y = layout.y - LINE_HEIGHT;
        for (index, line) in lines.iter().enumerate() {
            layout.y -= LINE_HEIGHT;
            layout.text_at(MARGIN, layout.y, line, false, TEXT_SIZE);
            if index == 0 {
                columns.count(layout, 0, y, &a.count_text(row.current), false);
                columns.count(layout, 1, y, &a.count_text(row.previous), false);
                columns.count(layout, 2, y, &a.change_text(row), false);
            }
        }
        #[expect(clippy::cast_precision_loss, reason = "counts far below 2^24")]
        let (current, previous) = (
            a.count_drawn(row.current) as f32,
            a.count_drawn(row.previous) as f32,
        );
        let length = |count: f32| count / most * columns.bar_space;
        // Nothing drawn for nothing (or a hidden small count): no stray tick.
        if current > 0.0 {
            layout.bar(
                columns.bar_x,
                y + 3.5,
                length(current),
                4.5,
                CURRENT_BAR_RGB,
            );
        }
        if previous > 0.0 {
            layout.bar(
                columns.bar_x,
                y - 1.5,
                length(previous),
                4.0,
                PREVIOUS_BAR_RGB,
            );
        }
    }
}

/// "1 link" or "3 links".
fn links_words(hops: usize) -> String {
    if hops == 1 {
        String::from("1 link")
    } else {
        format!("{hops} links")
    }
}

/// A table's or a figure's title within a section.
fn subheading(layout: &mut PdfPages, title: &str) {
    layout.need(LINE_HEIGHT * 4.0);
    layout.y -= 4.0;
    layout.line(title, true, 10.0);
}

/// Each paragraph of `text`, with a little space after it.
fn text_paragraphs(layout: &mut PdfPages, text: &str) {
    for paragraph in paragraphs(text) {
        layout.paragraph(&paragraph);
        layout.y -= 4.0;
    }
}

/// A numbered list, or `empty` in its place.
fn numbered(layout: &mut PdfPages, entries: &[String], empty: &str) {
    if entries.is_empty() {
        layout.paragraph(empty);
    }
    for (index, entry) in entries.iter().enumerate() {
        layout.item(&format!("{}. {}", index + 1, paragraphs(entry).join(" ")));
        layout.y -= 3.0;
    }
}

/// The analyst's argument, as the HTML page has it.
fn argument(layout: &mut PdfPages, a: &ThreatAssessment) {
    let text = a.text.as_ref().map(|v| &v.text);
    layout.heading("Executive summary");
    match &a.text {
        Some(version) => {
            if version.text.summary.trim().is_empty() {
                layout.paragraph(NOT_WRITTEN);
            }
            text_paragraphs(layout, &version.text.summary);
            layout.paragraph(&format!(
                "Analyst's text, version {}{}.",
                version.version,
                version.saved_words()
            ));
        }
        None => layout.paragraph(NO_TEXT),
    }
    layout.heading("Key judgements");
    numbered(
        layout,
        text.map_or(&[][..], |t| &t.key_judgements),
        NOT_WRITTEN,
    );
    layout.heading("Threats in priority order");
    let threats = a.priority_threats();
    if threats.is_empty() {
        layout.paragraph(NOT_RANKED);
    }
    for threat in &threats {
        subheading(
            layout,
            &format!("{}. {}", threat.priority, threat.trend.label),
        );
        layout.paragraph(&a.received_words(&threat.trend));
        if !threat.subcategories.is_empty() {
            trends(layout, a, "Sub-category", &threat.subcategories);
            layout.y -= 4.0;
        }
        text_paragraphs(layout, &threat.assessment);
    }
    layout.heading("Intelligence requirements");
    numbered(
        layout,
        text.map_or(&[][..], |t| &t.intelligence_requirements),
        NOT_WRITTEN,
    );
    layout.heading("Recommendations");
    numbered(
        layout,
        text.map_or(&[][..], |t| &t.recommendations),
        NOT_WRITTEN,
    );
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
    argument(&mut layout, a);
    layout.heading("The figures");
    for table in a.figure_tables() {
        subheading(&mut layout, table.title);
        if table.rows.is_empty() {
            layout.paragraph("None in either period.");
            continue;
        }
        trends(&mut layout, a, table.heading, &table.rows);
    }
    subheading(&mut layout, "Live notifiable associations");
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
    subheading(&mut layout, "Operation Beacon cohort");
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
    subheading(
        &mut layout,
        "Management interventions proposed in the period",
    );
    for (outcome, count) in &a.intervention_rows() {
        layout.line(
            &format!("{outcome}: {}", a.count_text(*count)),
            false,
            TEXT_SIZE,
        );
    }
    subheading(&mut layout, "Most pressing exposure leads");
    for lead in &a.top_exposures {
        layout.paragraph(&format!(
            "{}: {} from {} (score {:.2})",
            lead.employee,
            links_words(lead.hops),
            lead.target,
            lead.score
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::{CodeLabels, IsoDate};
    use crate::io::pdf_pages::{PAGE_HEIGHT, TEXT_RGB};
    use crate::risk::threat_assessment::{
        AssessmentText, AssessmentTextVersion, ControlStrategyRow, Edition, ExposureSummary,
        PeriodCounts, ThreatJudgement,
    };
    use std::collections::BTreeMap;

    /// The longest category the tests draw: the national category's own words.
    pub(crate) const LONGEST: &str = "commit_incite_aid_and_abet_assist_an_offender_in_the_\
                                      commission_of_a_crime_or_pervert_the_course_of_justice";

    /// An assessment whose category table runs over more than a page, with categories as
    /// long as the national list's longest (no reference data: each label is its code in
    /// words), counts from a handful to six figures, and a long control strategy.
    pub(crate) fn long_assessment(edition: Edition) -> ThreatAssessment {
        let date = |text: &str| text.parse::<IsoDate>().unwrap();
        let mut current = PeriodCounts::default();
        let mut previous = PeriodCounts::default();
        for index in 0..70_u64 {
            let code = match index {
                0 => LONGEST.to_owned(),
                1 => "Abuse_of_position_for_a_sexual_purpose_or_an_improper_emotional_\
                      relationship_with_a_vulnerable_person"
                    .to_owned(),
                _ => format!("category_{index:02}_misuse_of_force_systems_and_data"),
            };
            current
                .by_category
                .insert(code.clone(), 250_000 / (index + 1));
            previous.by_category.insert(code, 3 + index * 7);
        }
        for (code, count) in [("2B", 140_u64), ("3C", 12), ("1A", 3)] {
            current.by_grading.insert(code.to_owned(), count);
            previous.by_grading.insert(code.to_owned(), count * 2);
        }
        current
            .by_source_type
            .insert("confidential_reporting_line".into(), 88);
        previous
            .by_source_type
            .insert("audit_trail_monitoring".into(), 41);
        current.by_status.insert("under_assessment".into(), 17);
        current.by_subcategory.insert(
            LONGEST.to_owned(),
            BTreeMap::from([
                (String::new(), 7),
                (
                    format!("{LONGEST}.perverting_the_course_of_justice_by_warning_suspects"),
                    40,
                ),
            ]),
        );
        current.by_employee_type.insert("officer".into(), 160);
        previous.by_employee_type.insert("staff".into(), 2);
        current
            .by_rank
            .insert("Detective Chief Superintendent (temporary)".into(), 3);
        current.by_rank.insert(String::new(), 12);
        current.by_department.insert(
            "Economic Crime, Asset Recovery and Financial Investigation Unit".into(),
            44,
        );
        current.total = current.by_category.values().sum();
        previous.total = previous.by_category.values().sum();
        ThreatAssessment {
            from: date("2025-04-01"),
            to: date("2026-03-31"),
            previous_from: date("2024-04-01"),
            previous_to: date("2025-03-31"),
            current,
            previous,
            live_associations: BTreeMap::from([
                (LONGEST.to_owned(), 9),
                ("family_member_with_criminal_associations".to_owned(), 2),
            ]),
            beacon_cohort: 12,
            beacon_bands: vec![("critical".into(), 2), ("high".into(), 10)],
            interventions_by_outcome: BTreeMap::from([("pending".to_owned(), 4)]),
            top_exposures: vec![ExposureSummary {
                employee: "Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh, \
                           Alexandra Maximiliana"
                    .into(),
                target: "Organised crime group operating across the northern county lines".into(),
                hops: 2,
                score: 0.87,
            }],
            control_strategy: vec![ControlStrategyRow {
                priority: "Abuse of position for a sexual purpose".into(),
                intervention: "Every referral assessed within one working day; ".repeat(8),
                protection: "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW \
                             wide capitals and one word wider than the page"
                    .into(),
                prevention: "Vetting renewals and briefings.".into(),
            }],
            text: Some(AssessmentTextVersion {
                version: 3,
                written_by: "Analyst Example".into(),
                written_at: "2026-04-02T09:00:00Z".into(),
                text: AssessmentText {
                    summary: "The threat is rising. ".repeat(60) + "\n\nSecond paragraph.",
                    key_judgements: vec![
                        "It is highly likely that disclosure to criminals continues. ".repeat(9),
                        "Short judgement.".into(),
                    ],
                    threats: vec![
                        ThreatJudgement {
                            category: LONGEST.into(),
                            assessment: "Assessment of the longest category. ".repeat(30),
                        },
                        ThreatJudgement {
                            category: "category_02_misuse_of_force_systems_and_data".into(),
                            assessment: String::new(),
                        },
                    ],
                    intelligence_requirements: vec![
                        "Which staff hold second jobs with vehicle recovery firms?".into(),
                    ],
                    recommendations: vec!["Audit the force network monthly. ".repeat(12)],
                },
            }),
            edition,
            labels: CodeLabels::default(),
        }
    }

    /// One operand of a content stream operator.
    #[derive(Debug, Clone)]
    enum Operand {
        Number(f32),
        Name(String),
        Text(Vec<u8>),
    }

    /// A run of text as the reader draws it.
    #[derive(Debug, Clone)]
    struct TextRun {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
        fill: [f32; 3],
    }

    impl TextRun {
        fn right(&self) -> f32 {
            self.x + text_width(&self.text, self.size, self.bold)
        }
    }

    /// A filled rectangle.
    #[derive(Debug, Clone, Copy)]
    struct Filled {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    }

    #[derive(Debug, Default)]
    struct Page {
        texts: Vec<TextRun>,
        fills: Vec<Filled>,
    }

    /// The content streams of `pdf`, in page order (`pdf_writer` writes each page's content
    /// right after its page object, uncompressed).
    fn content_streams(pdf: &[u8]) -> Vec<&[u8]> {
        let mut streams = Vec::new();
        let mut rest = pdf;
        while let Some(start) = find(rest, b"stream\n") {
            let body = &rest[start + b"stream\n".len()..];
            let end = find(body, b"\nendstream").expect("a stream ends");
            streams.push(&body[..end]);
            rest = &body[end + b"\nendstream".len()..];
        }
        streams
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    /// A literal string's bytes from after its `(` to its `)`, escapes resolved; returns the
    /// bytes and the index after the `)`.
    fn literal(stream: &[u8], mut at: usize) -> (Vec<u8>, usize) {
        let mut bytes = Vec::new();
        let mut depth = 0;
        loop {
            let byte = stream[at];
            at += 1;
            match byte {
                b'\\' => {
                    let escaped = stream[at];
                    at += 1;
                    match escaped {
                        b'n' => bytes.push(b'\n'),
                        b'r' => bytes.push(b'\r'),
                        b't' => bytes.push(b'\t'),
                        b'0'..=b'7' => {
                            let mut value = u32::from(escaped - b'0');
                            for _ in 0..2 {
                                if matches!(stream[at], b'0'..=b'7') {
                                    value = value * 8 + u32::from(stream[at] - b'0');
                                    at += 1;
                                }
                            }
                            bytes.push(u8::try_from(value & 0xff).unwrap());
                        }
                        other => bytes.push(other),
                    }
                }
                b'(' => {
                    depth += 1;
                    bytes.push(byte);
                }
                b')' if depth == 0 => return (bytes, at),
                b')' => {
                    depth -= 1;
                    bytes.push(byte);
                }
                _ => bytes.push(byte),
            }
        }
    }

    /// Runs the operators the PDF writer uses (`q Q rg RG BT ET Tf Td Tj re f`) and refuses
    /// any other, so a new kind of drawing cannot slip past the checks.
    fn interpret(stream: &[u8]) -> Page {
        let mut page = Page::default();
        let mut operands: Vec<Operand> = Vec::new();
        let mut fill = [0.0_f32; 3];
        let mut saved: Vec<[f32; 3]> = Vec::new();
        let (mut font, mut size) = (String::new(), 0.0_f32);
        let (mut x, mut y) = (0.0_f32, 0.0_f32);
        let mut in_text = false;
        let mut path: Vec<Filled> = Vec::new();
        let number = |operand: &Operand| match operand {
            Operand::Number(n) => *n,
            other => panic!("expected a number, found {other:?}"),
        };
        let mut at = 0;
        while at < stream.len() {
            let byte = stream[at];
            if byte.is_ascii_whitespace() {
                at += 1;
            } else if byte == b'(' {
                let (bytes, next) = literal(stream, at + 1);
                operands.push(Operand::Text(bytes));
                at = next;
            } else if byte == b'/' {
                let end = stream[at + 1..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || b"/()[]<>".contains(b))
                    .map_or(stream.len(), |p| at + 1 + p);
                operands.push(Operand::Name(
                    String::from_utf8(stream[at + 1..end].to_vec()).unwrap(),
                ));
                at = end;
            } else {
                let end = stream[at..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || b"/()[]<>".contains(b))
                    .map_or(stream.len(), |p| at + p);
                let word = std::str::from_utf8(&stream[at..end]).unwrap();
                at = end;
                if let Ok(n) = word.parse::<f32>() {
                    operands.push(Operand::Number(n));
                    continue;
                }
                let args = std::mem::take(&mut operands);
                match word {
                    "q" => saved.push(fill),
                    "Q" => fill = saved.pop().expect("Q without q"),
                    "rg" => fill = [number(&args[0]), number(&args[1]), number(&args[2])],
                    "RG" => {}
                    "BT" => {
                        assert!(!in_text, "BT inside BT");
                        in_text = true;
                        (x, y) = (0.0, 0.0);
                    }
                    "ET" => in_text = false,
                    "Tf" => {
                        let Operand::Name(name) = &args[0] else {
                            panic!("Tf without a font name");
                        };
                        font.clone_from(name);
                        size = number(&args[1]);
                    }
                    "Td" => {
                        x += number(&args[0]);
                        y += number(&args[1]);
                    }
                    "Tj" => {
                        assert!(in_text, "Tj outside BT/ET");
                        let Operand::Text(bytes) = &args[0] else {
                            panic!("Tj without a string");
                        };
                        page.texts.push(TextRun {
                            x,
                            y,
                            size,
                            bold: font == "F2",
                            text: bytes.iter().map(|&b| char::from(b)).collect(),
                            fill,
                        });
                    }
                    "re" => path.push(Filled {
                        x: number(&args[0]),
                        y: number(&args[1]),
                        width: number(&args[2]),
                        height: number(&args[3]),
                    }),
                    "f" => page.fills.append(&mut path),
                    other => panic!("an operator the checks do not know: {other}"),
                }
            }
        }
        assert!(saved.is_empty(), "q without Q");
        page
    }

    fn pages(pdf: &[u8]) -> Vec<Page> {
        content_streams(pdf).into_iter().map(interpret).collect()
    }

    const SLACK: f32 = 0.01;

    /// What is wrong with the drawing of `pages`: text not in the text colour, text or bars
    /// outside the margins (the marking may sit in the top and foot bands), text over text,
    /// a page without its marking.
    fn problems(pages: &[Page], marking: &[&str]) -> Vec<String> {
        let mut problems = Vec::new();
        let (left, right) = (MARGIN - SLACK, PAGE_WIDTH - MARGIN + SLACK);
        for (number, page) in pages.iter().enumerate() {
            let number = number + 1;
            for run in &page.texts {
                if run.fill != TEXT_RGB {
                    problems.push(format!(
                        "page {number}: {:?} in colour {:?}",
                        run.text, run.fill
                    ));
                }
                if run.x < left || run.right() > right {
                    problems.push(format!(
                        "page {number}: {:?} runs from x {} to {}",
                        run.text,
                        run.x,
                        run.right()
                    ));
                }
                let is_marking = marking.contains(&run.text.as_str());
                let (bottom, top) = if is_marking {
                    (0.0, PAGE_HEIGHT)
                } else {
                    (MARGIN, PAGE_HEIGHT - MARGIN)
                };
                // Descenders reach a fifth of the size below the baseline, capitals less than
                // the size above it.
                if run.y - run.size * 0.2 < bottom - SLACK && !is_marking
                    || run.y < bottom - SLACK
                    || run.y + run.size > top + SLACK
                {
                    problems.push(format!("page {number}: {:?} at y {}", run.text, run.y));
                }
            }
            for (index, a) in page.texts.iter().enumerate() {
                for b in &page.texts[index + 1..] {
                    // Helvetica's capitals rise 0.718 em, its descenders fall 0.207 em.
                    let same_line = a.y - a.size * 0.207 < b.y + b.size * 0.718 - SLACK
                        && b.y - b.size * 0.207 < a.y + a.size * 0.718 - SLACK;
                    if same_line && a.x < b.right() - SLACK && b.x < a.right() - SLACK {
                        problems.push(format!(
                            "page {number}: {:?} and {:?} overlap",
                            a.text, b.text
                        ));
                    }
                }
            }
            for bar in &page.fills {
                if bar.x < left
                    || bar.x + bar.width > right
                    || bar.y < MARGIN - SLACK
                    || bar.y + bar.height > PAGE_HEIGHT - MARGIN + SLACK
                {
                    problems.push(format!("page {number}: bar out of the margins: {bar:?}"));
                }
            }
            for line in marking {
                if !page.texts.iter().any(|run| run.text == *line) {
                    problems.push(format!("page {number}: no {line:?}"));
                }
            }
        }
        problems
    }

    fn marking(a: &ThreatAssessment) -> [String; 3] {
        [
            format!(
                "{} | {} EDITION",
                a.edition.handling(),
                a.edition.as_str().to_uppercase()
            ),
            a.edition.handling().to_owned(),
            a.edition.statement().to_owned(),
        ]
    }

    /// The label column's text, line after line, as one string.
    fn label_column(pages: &[Page]) -> String {
        pages
            .iter()
            .flat_map(|p| &p.texts)
            .filter(|run| (run.x - MARGIN).abs() < SLACK)
            .map(|run| run.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn text_is_drawn_in_the_text_colour_inside_the_margins_and_nothing_is_cut() {
        for edition in Edition::ALL {
            let assessment = long_assessment(edition);
            let pdf = threat_assessment_pdf(&assessment);
            let pages = pages(&pdf);
            assert!(pages.len() >= 2, "{} pages", pages.len());
            assert!(pages.iter().map(|p| p.fills.len()).sum::<usize>() > 140);
            let marking = marking(&assessment);
            let marking: Vec<&str> = marking.iter().map(String::as_str).collect();
            let problems = problems(&pages, &marking);
            assert!(problems.is_empty(), "{edition:?}:\n{}", problems.join("\n"));
            let labels = label_column(&pages);
            for row in assessment.category_trends() {
                assert!(labels.contains(&row.label), "{:?} is cut", row.label);
            }
            // The longest bar fills the space it has and stops at the right margin.
            let longest = pages
                .iter()
                .flat_map(|p| &p.fills)
                .map(|bar| bar.x + bar.width)
                .fold(0.0, f32::max);
            assert!((longest - (PAGE_WIDTH - MARGIN)).abs() < 0.5, "{longest}");
        }
    }

    #[test]
    fn the_checks_see_a_colour_leak_and_a_run_past_the_margin() {
        let page = |text: &str, x: f32, fill: [f32; 3]| Page {
            texts: vec![TextRun {
                x,
                y: 400.0,
                size: TEXT_SIZE,
                bold: false,
                text: text.to_owned(),
                fill,
            }],
            fills: Vec::new(),
        };
        assert!(problems(&[page("fine", MARGIN, TEXT_RGB)], &[]).is_empty());
        assert_eq!(
            problems(&[page("pale", MARGIN, [0.5, 1.0, 1.0])], &[]).len(),
            1
        );
        assert_eq!(problems(&[page("too far", 540.0, TEXT_RGB)], &[]).len(), 1);
        let drawn = interpret(b"q 0.5 1 1 rg 400 100 200 5 re f Q BT /F1 9 Tf 50 60 Td (x) Tj ET");
        assert!(
            drawn.texts[0].fill == TEXT_RGB,
            "the bar's colour was restored"
        );
        assert!((drawn.texts[0].y - 60.0).abs() < SLACK);
        assert_eq!(problems(&[drawn], &[]).len(), 1, "the bar runs off");
    }

    #[test]
    fn a_table_longer_than_a_page_repeats_its_header_row_on_the_next() {
        let assessment = long_assessment(Edition::Restricted);
        let pages = pages(&threat_assessment_pdf(&assessment));
        let labels: Vec<String> = assessment
            .category_trends()
            .into_iter()
            .map(|r| r.label)
            .collect();
        let with_rows: Vec<&Page> = pages
            .iter()
            .filter(|p| p.texts.iter().any(|t| labels.contains(&t.text)))
            .collect();
        assert!(with_rows.len() >= 2, "the table fits on one page");
        for (index, page) in with_rows.iter().enumerate() {
            let title = if index == 0 {
                "Category"
            } else {
                "Category (continued)"
            };
            let header = page
                .texts
                .iter()
                .find(|t| t.text == title)
                .unwrap_or_else(|| panic!("no {title:?} on the table's page {}", index + 1));
            for column in COUNT_TITLES {
                assert!(
                    page.texts
                        .iter()
                        .any(|t| t.text == column && (t.y - header.y).abs() < SLACK),
                    "no {column:?} beside {title:?}"
                );
            }
            let first_row = page
                .texts
                .iter()
                .filter(|t| labels.contains(&t.text))
                .map(|t| t.y)
                .fold(0.0, f32::max);
            assert!(header.y > first_row, "the header is above the rows");
        }
    }
}
