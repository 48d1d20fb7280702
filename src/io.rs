//! File formats people import and export: reference data documents, the JSON documents the
//! command line reads, bulk CSV exports through import specs, GraphML and the rest. **Only this module knows them.**

pub mod anx;
pub mod audit_head_file;
pub mod bulk_csv;
#[cfg(feature = "chart-picture")]
pub mod chart_png;
pub mod chart_scene;
pub mod chart_svg;
pub mod ftm;
pub mod graphml;
pub mod html_page;
pub mod import_spec;
pub mod instrument_file;
pub mod intervention_html;
pub mod numeric_date_format;
pub mod pdf_pages;
pub mod pib_csv;
pub mod pib_pack_html;
pub mod record_json;
pub mod reference_file;
pub mod subject_report;
pub mod threat_assessment_csv;
pub mod threat_assessment_html;
pub mod threat_assessment_json;
pub mod threat_assessment_pdf;
pub mod transferee_html;

/// The handling marking an exported document or picture carries at its top and foot.
pub const HANDLING_MARKING: &str = "OFFICIAL-SENSITIVE: COUNTER CORRUPTION UNIT";

/// The line (from 1) of a byte offset in a text, for errors in TOML files (spans are offsets).
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset.min(text.len()))
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Text with its first letter in capitals, as a sentence or a table cell starts: `record
/// meeting` is `Record meeting`.
fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// XML escaping for text and attribute values (GraphML, the i2 exchange format): the five
/// markup characters as entities, tab and newline as character references (so an attribute
/// keeps them), other control characters dropped (XML 1.0 cannot hold them).
fn xml_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' => escaped.push_str("&#9;"),
            '\n' => escaped.push_str("&#10;"),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}
