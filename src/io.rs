//! File formats people import and export: reference data documents, the JSON documents the
//! command line reads, bulk CSV exports through import specs, GraphML and the rest. **Only this module knows them.**

pub mod bulk_csv;
pub mod graphml;
pub mod import_spec;
pub mod instrument_file;
pub mod intervention_html;
pub mod pib_csv;
pub mod record_json;
pub mod reference_file;
