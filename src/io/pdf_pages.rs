//! A4 pages of text for the workbench's PDF reports: the standard Helvetica fonts (nothing
//! embedded, nothing fetched), text laid out top to bottom with new pages as needed, and the
//! protective marking at the top and foot of every page. Every drawing in a colour of its own
//! (a bar) saves and restores the graphics state around it, so text after it is always drawn
//! in the text colour.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;
pub const MARGIN: f32 = 50.0;
pub const TEXT_SIZE: f32 = 9.0;
pub const LINE_HEIGHT: f32 = 13.0;
/// Characters per line of wrapped text at the body size (Helvetica averages about half an em).
pub const WRAP_CHARS: usize = 105;

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

/// Lines of at most `width` characters, broken at spaces.
#[must_use]
pub fn wrapped(text: &str, width: usize) -> Vec<String> {
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
        if self.y - height < MARGIN {
            self.new_page();
        }
    }

    pub fn text_at(&mut self, x: f32, y: f32, text: &str, bold: bool, size: f32) {
        let bytes = encoded(text);
        let page = self.page();
        page.begin_text();
        page.set_font(if bold { BOLD } else { REGULAR }, size);
        page.next_line(x, y);
        page.show(Str(&bytes));
        page.end_text();
    }

    pub fn line(&mut self, text: &str, bold: bool, size: f32) {
        self.need(LINE_HEIGHT.max(size + 4.0));
        self.y -= LINE_HEIGHT.max(size + 4.0);
        self.text_at(MARGIN, self.y, text, bold, size);
    }

    pub fn paragraph(&mut self, text: &str) {
        for line in wrapped(text, WRAP_CHARS) {
            self.line(&line, false, TEXT_SIZE);
        }
    }

    /// Wrapped text indented under a heading, continuing lines indented further.
    pub fn item(&mut self, text: &str) {
        for (index, line) in wrapped(text, WRAP_CHARS - 6).into_iter().enumerate() {
            self.need(LINE_HEIGHT);
            self.y -= LINE_HEIGHT;
            let indent = if index == 0 { 10.0 } else { 20.0 };
            self.text_at(MARGIN + indent, self.y, &line, false, TEXT_SIZE);
        }
    }

    pub fn heading(&mut self, text: &str) {
        self.need(LINE_HEIGHT * 4.0);
        self.y -= 8.0;
        self.line(text, true, 12.0);
    }

    /// A filled bar in its own colour; the text colour is restored after it.
    pub fn bar(&mut self, x: f32, y: f32, length: f32, height: f32, shade: f32) {
        let page = self.page();
        page.save_state();
        page.set_fill_rgb(shade * 0.2, shade * 0.4, shade * 0.7 + 0.1);
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
    fn long_text_wraps_at_spaces() {
        let lines = wrapped("aaa bbb ccc ddd", 7);
        assert_eq!(lines, ["aaa bbb", "ccc ddd"]);
        assert_eq!(wrapped("", 7), [""]);
    }
}
