//! The strategic threat assessment as PDF, for boards that file reports as PDF: the same
//! sections as the HTML page, laid out on A4 pages with the standard Helvetica fonts (nothing
//! embedded, nothing fetched), each comparison with its bars, and the protective marking at
//! the top and foot of every page.

use crate::risk::threat_assessment::{Edition, ThreatAssessment, Trend};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const TEXT_SIZE: f32 = 9.0;
const LINE_HEIGHT: f32 = 13.0;
/// Where the bars of a comparison start, and their longest length.
const BAR_X: f32 = 400.0;
const BAR_SPACE: f32 = 145.0;
/// Characters per line of wrapped text at the body size (Helvetica averages about half an em).
const WRAP_CHARS: usize = 105;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Text as the bytes of the fonts' `WinAnsiEncoding`: Latin-1 letters as they are, anything
/// else (which these fonts cannot draw) as `?`.
fn encoded(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match u8::try_from(u32::from(c)) {
            Ok(byte) if byte >= 0x20 && byte != 0x7f && !(0x80..0xa0).contains(&byte) => byte,
            _ => b'?',
        })
        .collect()
}

/// Lines of at most `width` characters, broken at spaces.
fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Pages being laid out, top to bottom.
struct Layout {
    pages: Vec<Content>,
    y: f32,
    /// Stated at the top and foot of every page, with its handling.
    edition: Edition,
}

impl Layout {
    fn new(edition: Edition) -> Self {
        let mut layout = Self {
            pages: Vec::new(),
            y: 0.0,
            edition,
        };
        layout.new_page();
        layout
    }

    fn page(&mut self) -> &mut Content {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = PAGE_HEIGHT - MARGIN;
        let edition = self.edition;
        let header = format!(
            "{} | {} EDITION",
            edition.handling(),
            edition.as_str().to_uppercase()
        );
        self.text_at(MARGIN, PAGE_HEIGHT - 30.0, &header, true, 8.0);
        self.text_at(MARGIN, 32.0, edition.handling(), true, 8.0);
        self.text_at(MARGIN, 22.0, edition.statement(), false, 6.0);
    }

    /// Room for `height` more points on this page, or a new page.
    fn need(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.new_page();
        }
    }

    fn text_at(&mut self, x: f32, y: f32, text: &str, bold: bool, size: f32) {
        let bytes = encoded(text);
        let page = self.page();
        page.begin_text();
        page.set_font(if bold { BOLD } else { REGULAR }, size);
        page.next_line(x, y);
        page.show(Str(&bytes));
        page.end_text();
    }

    fn line(&mut self, text: &str, bold: bool, size: f32) {
        self.need(LINE_HEIGHT.max(size + 4.0));
        self.y -= LINE_HEIGHT.max(size + 4.0);
        self.text_at(MARGIN, self.y, text, bold, size);
    }

    fn paragraph(&mut self, text: &str) {
        for line in wrapped(text, WRAP_CHARS) {
            self.line(&line, false, TEXT_SIZE);
        }
    }

    fn heading(&mut self, text: &str) {
        self.need(LINE_HEIGHT * 4.0);
        self.y -= 8.0;
        self.line(text, true, 12.0);
    }

    fn bar(&mut self, y: f32, length: f32, height: f32, shade: f32) {
        let page = self.page();
        page.set_fill_rgb(shade * 0.2, shade * 0.4, shade * 0.7 + 0.1);
        page.rect(BAR_X, y, length.max(0.5), height);
        page.fill_nonzero();
    }

    /// A comparison: each code with both counts and the change, and its two bars.
    fn trends(&mut self, a: &ThreatAssessment, rows: &[Trend]) {
        self.need(LINE_HEIGHT);
        self.y -= LINE_HEIGHT;
        let y = self.y;
        for (x, title) in [
            (215.0, "this period"),
            (265.0, "previous"),
            (315.0, "change"),
        ] {
            self.text_at(MARGIN + x - 10.0, y, title, true, 7.0);
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
            self.need(LINE_HEIGHT);
            self.y -= LINE_HEIGHT;
            let y = self.y;
            let code: String = row.label.chars().take(44).collect();
            self.text_at(MARGIN, y, &code, false, TEXT_SIZE);
            self.text_at(
                MARGIN + 205.0,
                y,
                &a.count_text(row.current),
                false,
                TEXT_SIZE,
            );
            self.text_at(
                MARGIN + 255.0,
                y,
                &a.count_text(row.previous),
                false,
                TEXT_SIZE,
            );
            self.text_at(MARGIN + 305.0, y, &change, false, TEXT_SIZE);
            #[expect(clippy::cast_precision_loss, reason = "counts far below 2^24")]
            let (current, previous) = (
                a.count_drawn(row.current) as f32,
                a.count_drawn(row.previous) as f32,
            );
            self.bar(y + 4.0, current / most * BAR_SPACE, 5.0, 1.0);
            self.bar(y - 1.0, previous / most * BAR_SPACE, 4.0, 2.5);
        }
    }
}

/// The assessment as the bytes of a PDF file.
#[must_use]
pub fn threat_assessment_pdf(assessment: &ThreatAssessment) -> Vec<u8> {
    let a = assessment;
    let mut layout = Layout::new(a.edition);
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
        layout.trends(a, &rows);
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
    write_pages(layout.pages)
}

/// The document around the laid-out pages.
fn write_pages(pages: Vec<Content>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let first = 5;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|index| Ref::new(first + 2 * i32::try_from(index).unwrap_or(0)))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for (content, page_id) in pages.into_iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_outside_the_fonts_becomes_a_question_mark() {
        assert_eq!(encoded("Café £5 – ok"), b"Caf\xe9 \xa35 ? ok");
    }

    #[test]
    fn long_text_wraps_at_spaces() {
        let lines = wrapped("aaa bbb ccc ddd", 7);
        assert_eq!(lines, ["aaa bbb", "ccc ddd"]);
        assert_eq!(wrapped("", 7), [""]);
    }
}
