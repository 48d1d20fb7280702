//! The frame every HTML report shares, so each reads and prints the same way: one style sheet
//! (the red marking banner, tables, muted notes), A4 pages when printed, headings kept with what
//! follows them, table rows never split and table headers repeated on each printed page. The
//! protective marking is the header and footer of a table that holds the whole page, which
//! browsers repeat at the top and foot of every printed page (a paragraph at the start and end
//! would mark only the first and last).

use super::xml_escape as escape;
use std::io::{self, Write};

/// The style every report shares; a report adds its own rules after it.
const SHARED_CSS: &str = "\
body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#111}\
.marking{background:#8e2424;color:#fff;padding:.3em;text-align:center;font-weight:bold;\
-webkit-print-color-adjust:exact;print-color-adjust:exact}\
table{border-collapse:collapse;margin:.5em 0 1.5em}\
th{text-align:left;padding-right:1em;vertical-align:top}\
td,th{border-bottom:1px solid #ddd;padding:.2em .6em .2em 0;vertical-align:top}\
table.page{width:100%;margin:0;border:0}\
table.page>thead>tr>td,table.page>tfoot>tr>td,table.page>tbody>tr>td{border:0;padding:0}\
table.page>thead .marking{margin:0 0 1em}table.page>tfoot .marking{margin:1em 0 0}\
.empty{color:#555;font-style:italic}\
.nowrap,.date{white-space:nowrap}\
@page{size:A4;margin:12mm 12mm}\
@media print{body{max-width:none;margin:0;font-size:10pt}\
h1,h2,h3{break-after:avoid-page}tr,li,svg,.keep{break-inside:avoid-page}\
thead{display:table-header-group}tfoot{display:table-footer-group}}";

/// Writes the start of a report: the document head with `title` and the shared style (then
/// `extra_css`), and the marking that heads every printed page. The body follows.
///
/// # Errors
/// I/O errors from `out`.
pub fn open(out: &mut impl Write, title: &str, marking: &str, extra_css: &str) -> io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{title}</title>\n<style>{SHARED_CSS}{extra_css}</style></head><body>\n\
         <table class=\"page\"><thead><tr><td><p class=\"marking\">{marking}</p></td></tr></thead>\n\
         <tfoot><tr><td><p class=\"marking\">{marking}</p></td></tr></tfoot>\n<tbody><tr><td>",
        title = escape(title),
        marking = escape(marking),
    )
}

/// Writes the end of a report begun with [`open`].
///
/// # Errors
/// I/O errors from `out`.
pub fn close(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "</td></tr></tbody></table>\n</body></html>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marking_heads_and_foots_every_printed_page_and_titles_are_escaped() {
        let mut page = Vec::new();
        open(&mut page, "A <b> report", "OFFICIAL", "h1{color:red}").unwrap();
        write!(page, "<h1>Body</h1>").unwrap();
        close(&mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("<title>A &lt;b&gt; report</title>"));
        assert!(page.contains("h1{color:red}</style>"));
        let head = page
            .find("<thead><tr><td><p class=\"marking\">OFFICIAL")
            .unwrap();
        let foot = page
            .find("<tfoot><tr><td><p class=\"marking\">OFFICIAL")
            .unwrap();
        let body = page.find("<h1>Body</h1>").unwrap();
        assert!(
            head < foot && foot < body,
            "header and footer groups precede the body"
        );
        assert!(page.contains("@page{size:A4"));
        assert!(page.ends_with("</tbody></table>\n</body></html>\n"));
    }
}
