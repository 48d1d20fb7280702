//! Reference data documents (JSON): the shipped defaults and versions an inspector publishes.

use crate::domain::{ReferenceData, ReferenceDataError};

/// The defaults shipped in `assets/reference/reference-v1.json`, compiled into the binary.
///
/// # Errors
/// Only if the shipped file is broken, which a unit test rules out.
pub fn shipped_default() -> Result<ReferenceData, ReferenceDataError> {
    parse(include_bytes!("../../assets/reference/reference-v1.json"))
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
