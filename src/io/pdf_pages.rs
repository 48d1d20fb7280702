//! A4 pages of text for the workbench's PDF reports: the standard Helvetica fonts (nothing
//! embedded, nothing fetched), text laid out top to bottom with new pages as needed, and the
//! protective marking at the top and foot of every page. Text is measured with the fonts' own
//! glyph widths (Adobe's metrics for Helvetica and Helvetica-Bold, [`text_width`]) and wrapped
//! to the width it has ([`wrapped_to`]), so nothing runs past the margins and nothing is cut.
//! Every drawing saves and restores the graphics state around it, and every piece of text sets
//! its own colour ([`TEXT_RGB`]), so no drawing can lend its colour to the text after it.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;
pub const MARGIN: f32 = 50.0;
pub const TEXT_SIZE: f32 = 9.0;
pub const LINE_HEIGHT: f32 = 13.0;
/// The width between the margins, where the body is laid out.
pub const BODY_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The colour every piece of text is drawn in (black), as red, green and blue.
pub const TEXT_RGB: [f32; 3] = [0.0, 0.0, 0.0];
/// The bars of this period and of the one before, as the HTML charts draw them (#2a5d9f,
/// #b8c4d6).
pub const CURRENT_BAR_RGB: [f32; 3] = [0.165, 0.365, 0.624];
pub const PREVIOUS_BAR_RGB: [f32; 3] = [0.722, 0.769, 0.839];

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Text as the bytes of the fonts' `WinAnsiEncoding`: Latin-1 letters as they are, anything
/// else (which these fonts cannot draw) as `?`.
fn encoded(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{2014}' | '\u{2013}' => b'-',
            '\u{00b7}' => 0xb7,
            _ => match u8::try_from(u32::from(c)) {
                Ok(byte) if byte >= 0x20 && byte != 0x7f && !(0x80..0xa0).contains(&byte) => byte,
                _ => b'?',
            },
        })
        .collect()
}

/// Helvetica's glyph widths in thousandths of an em (Adobe's AFM metrics for the standard 14
/// fonts) for the `WinAnsiEncoding` bytes 0x20..=0x7e, then 0xa0..=0xff.
const HELVETICA_WIDTHS: [u16; 191] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 333, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 333,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333,
    333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667,
    1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778,
    722, 722, 722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556,
    278, 278, 278, 278, 556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556,
    500,
];
/// Helvetica-Bold's glyph widths, as [`HELVETICA_WIDTHS`].
const HELVETICA_BOLD_WIDTHS: [u16; 191] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 333, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 333,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333,
    333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722,
    1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778,
    722, 722, 722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556,
    278, 278, 278, 278, 611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611,
    556,
];

/// The width of one byte of `WinAnsiEncoding` text, in thousandths of an em.
fn glyph_width(byte: u8, bold: bool) -> u16 {
    let table = if bold {
        &HELVETICA_BOLD_WIDTHS
    } else {
        &HELVETICA_WIDTHS
    };
    let index = match byte {
        0x20..=0x7e => usize::from(byte - 0x20),
        0xa0..=0xff => usize::from(byte - 0xa0) + 95,
        // `encoded` writes nothing else; a question mark if it ever did.
        _ => usize::from(b'?' - 0x20),
    };
    table[index]
}

/// The width in points of `text` drawn in Helvetica (or Helvetica-Bold) at `size` points, as
/// the reader will draw it (the text as [`encoded`] writes it, with the fonts' glyph widths).
#[must_use]
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let thousandths: u32 = encoded(text)
        .into_iter()
        .map(|byte| u32::from(glyph_width(byte, bold)))
        .sum();
    #[expect(clippy::cast_precision_loss, reason = "widths far below 2^24")]
    let em = thousandths as f32 / 1000.0;
    em * size
}

/// Lines of `text` no wider than `width` points in the given font and size, broken at spaces;
/// a word wider than the line on its own is broken between its letters. Nothing is dropped.
#[must_use]
pub fn wrapped_to(text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
    let fits = |line: &str| text_width(line, size, bold) <= width;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word starts a line; break it between letters if it is wider than a line.
        for c in word.chars() {
            line.push(c);
            if !fits(&line) && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// What every page states: the marking at the top, and the marking and a statement of handling
/// at the foot.
#[derive(Debug, Clone)]
pub struct Marking {
    pub header: String,
    pub foot: String,
    pub statement: String,
}

/// Pages being laid out, top to bottom.
#[expect(
    missing_debug_implementations,
    reason = "pdf_writer's content streams do not implement Debug"
)]
pub struct PdfPages {
    pages: Vec<Content>,
    /// The baseline of the last line written, from the bottom of the page.
    pub y: f32,
    marking: Marking,
}

impl PdfPages {
    #[must_use]
    pub fn new(marking: Marking) -> Self {
        let mut layout = Self {
            pages: Vec::new(),
            y: 0.0,
            marking,
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
        let marking = self.marking.clone();
        self.text_at(MARGIN, PAGE_HEIGHT - 30.0, &marking.header, true, 8.0);
        self.text_at(MARGIN, 32.0, &marking.foot, true, 8.0);
        self.text_at(MARGIN, 22.0, &marking.statement, false, 6.0);
    }

    /// Room for `height` more points on this page, or a new page.
    pub fn need(&mut self, height: f32) {
        self.need_page(height);
    }

    /// Room for `height` more points on this page, or a new page: true if a new page was
    /// started (a table then repeats its header row).
    pub fn need_page(&mut self, height: f32) -> bool {
        let new = self.y - height < MARGIN;
        if new {
            self.new_page();
        }
        new
    }

    /// One run of text with its baseline starting at (`x`, `y`), in the text colour whatever
    /// was drawn before it. The caller keeps it inside the margins ([`text_width`]).
    pub fn text_at(&mut self, x: f32, y: f32, text: &str, bold: bool, size: f32) {
        let bytes = encoded(text);
        let [red, green, blue] = TEXT_RGB;
        let page = self.page();
        page.save_state();
        page.set_fill_rgb(red, green, blue);
        page.begin_text();
        page.set_font(if bold { BOLD } else { REGULAR }, size);
        page.next_line(x, y);
        page.show(Str(&bytes));
        page.end_text();
        page.restore_state();
    }

    /// Text from the left margin, wrapped to the width of the body.
    pub fn line(&mut self, text: &str, bold: bool, size: f32) {
        let height = LINE_HEIGHT.max(size + 4.0);
        for line in wrapped_to(text, BODY_WIDTH, size, bold) {
            self.need(height);
            self.y -= height;
            self.text_at(MARGIN, self.y, &line, bold, size);
        }
    }

    pub fn paragraph(&mut self, text: &str) {
        self.line(text, false, TEXT_SIZE);
    }

    /// Wrapped text indented under a heading, continuing lines indented further.
    pub fn item(&mut self, text: &str) {
        let (first, rest) = (10.0, 20.0);
        for (index, line) in wrapped_to(text, BODY_WIDTH - rest, TEXT_SIZE, false)
            .into_iter()
            .enumerate()
        {
            self.need(LINE_HEIGHT);
            self.y -= LINE_HEIGHT;
            let indent = if index == 0 { first } else { rest };
            self.text_at(MARGIN + indent, self.y, &line, false, TEXT_SIZE);
        }
    }

    pub fn heading(&mut self, text: &str) {
        self.need(LINE_HEIGHT * 4.0);
        self.y -= 8.0;
        self.line(text, true, 12.0);
    }

    /// A filled bar in `rgb` (each 0 to 1); the text colour is restored after it.
    pub fn bar(&mut self, x: f32, y: f32, length: f32, height: f32, rgb: [f32; 3]) {
        let page = self.page();
        page.save_state();
        page.set_fill_rgb(rgb[0], rgb[1], rgb[2]);
        page.rect(x, y, length.max(0.5), height);
        page.fill_nonzero();
        page.restore_state();
    }

    /// The document around the laid-out pages.
    #[must_use]
    pub fn finish(self) -> Vec<u8> {
        write_pages(self.pages)
    }
}

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
        assert_eq!(encoded("Café £5 – ok ✓"), b"Caf\xe9 \xa35 - ok ?");
    }

    #[test]
    fn widths_are_helvetica_s_own() {
        // Adobe's metrics: "A" 667, "i" 222, "W" 944, space 278; bold "A" 722, "i" 278.
        assert!((text_width("AiW ", 1000.0, false) - 2111.0).abs() < 0.01);
        assert!((text_width("Ai", 1000.0, true) - 1000.0).abs() < 0.01);
        assert!((text_width("\u{e9}", 10.0, false) - 5.56).abs() < 0.001);
        assert!(text_width("", 9.0, false).abs() < f32::EPSILON);
    }

    #[test]
    fn long_text_wraps_at_spaces_to_the_width_it_has() {
        let size = 10.0;
        let width = text_width("aaa bbb", size, false);
        assert_eq!(
            wrapped_to("aaa bbb ccc ddd", width, size, false),
            ["aaa bbb", "ccc ddd"]
        );
        assert_eq!(wrapped_to("", width, size, false), [""]);
        // Capitals are wider than small letters: fewer of them fit.
        assert_eq!(wrapped_to("AAA BBB", width, size, false), ["AAA", "BBB"]);
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken_never_cut() {
        let word = "Counter-corruption".repeat(6);
        let lines = wrapped_to(&word, 100.0, 9.0, true);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), word);
        assert!(lines.iter().all(|l| text_width(l, 9.0, true) <= 100.0));
    }
}
