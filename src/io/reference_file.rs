//! Reference data documents (JSON): the shipped defaults and versions an inspector publishes.

use crate::domain::{ReferenceData, ReferenceDataError};

/// Every version of the defaults shipped in `assets/reference/`, oldest first, compiled into the
/// binary. A workbench holds each of them in turn: an old one that still has an earlier shipped
/// version as its newest gets the later ones at unlock, and its records keep the version they
/// were graded under.
const SHIPPED: [&[u8]; 2] = [
    include_bytes!("../../assets/reference/reference-v1.json"),
    include_bytes!("../../assets/reference/reference-v2.json"),
];

/// The newest shipped defaults: what a new workbench grades under.
///
/// # Errors
/// Only if the shipped file is broken, which a unit test rules out.
pub fn shipped_default() -> Result<ReferenceData, ReferenceDataError> {
    parse(SHIPPED[SHIPPED.len() - 1])
}

/// Every shipped version, oldest first (version 1, 2, ...).
///
/// # Errors
/// Only if a shipped file is broken, which a unit test rules out.
pub fn shipped_versions() -> Result<Vec<ReferenceData>, ReferenceDataError> {
    SHIPPED.iter().map(|bytes| parse(bytes)).collect()
}

/// Parses and checks a reference data document.
///
/// # Errors
/// A JSON error (with line and column) or every consistency problem found.
pub fn parse(bytes: &[u8]) -> Result<ReferenceData, ReferenceDataError> {
    let data: ReferenceData = serde_json::from_slice(bytes).map_err(|e| {
        ReferenceDataError(vec![format!(
            "line {} column {}: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        )])
    })?;
    data.check()?;
    Ok(data)
}

/// The document as pretty JSON (for `reference show --json` and as the stored copy).
///
/// # Errors
/// A document serde cannot write as JSON: reported, never an empty document.
pub fn render(data: &ReferenceData) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(data)
}

/// `serde_json` appends " at line X column Y"; the caller says it once.
pub(crate) fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}
