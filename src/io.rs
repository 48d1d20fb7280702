//! File formats people import and export: reference data documents, the JSON documents the
//! command line reads, bulk CSV exports through import specs, GraphML and the rest. **Only this module knows them.**

pub mod bulk_csv;
pub mod ftm;
pub mod graphml;
pub mod import_spec;
pub mod instrument_file;
pub mod intervention_html;
pub mod numeric_date_format;
pub mod pib_csv;
pub mod record_json;
pub mod reference_file;

/// The line (from 1) of a byte offset in a text, for errors in TOML files (spans are offsets).
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset.min(text.len()))
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
