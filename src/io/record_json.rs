//! The JSON documents the command line reads for items, nominals and links (documented in
//! docs/json-formats.md), and JSON merge patches for edits.

use crate::domain::{IntelItemFields, LinkFields, NominalDetails};
use serde::de::DeserializeOwned;

/// Why a JSON document could not be read, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: line {line} column {column}: {message}")]
pub struct JsonDocumentError {
    pub source_name: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

fn parse<T: DeserializeOwned>(source_name: &str, bytes: &[u8]) -> Result<T, JsonDocumentError> {
    serde_json::from_slice(bytes).map_err(|e| JsonDocumentError {
        source_name: source_name.to_owned(),
        line: e.line(),
        column: e.column(),
        message: super::reference_file::strip_position(&e.to_string()).to_owned(),
    })
}

/// An intelligence item document.
///
/// # Errors
/// Syntax errors, unknown fields and bad dates, with line and column.
pub fn parse_item(source_name: &str, bytes: &[u8]) -> Result<IntelItemFields, JsonDocumentError> {
    parse(source_name, bytes)
}

/// A nominal document (tagged by `kind`).
///
/// # Errors
/// As [`parse_item`].
pub fn parse_nominal(source_name: &str, bytes: &[u8]) -> Result<NominalDetails, JsonDocumentError> {
    parse(source_name, bytes)
}

/// A link document.
///
/// # Errors
/// As [`parse_item`].
pub fn parse_link(source_name: &str, bytes: &[u8]) -> Result<LinkFields, JsonDocumentError> {
    parse(source_name, bytes)
}

/// The answers to a risk instrument: an object mapping each factor's key to the key of the
/// answer chosen (`{"unexpected_visits": "repeated", ...}`).
///
/// # Errors
/// As [`parse_item`]; anything but an object of strings.
pub fn parse_answers(
    source_name: &str,
    bytes: &[u8],
) -> Result<crate::risk::Answers, JsonDocumentError> {
    parse(source_name, bytes)
}

/// A notifiable association document (`na add`).
///
/// # Errors
/// As [`parse_item`]: the file, line and column of a syntax error, a missing or unknown field.
pub fn parse_na_draft(
    source_name: &str,
    bytes: &[u8],
) -> Result<crate::domain::NaDraft, JsonDocumentError> {
    parse(source_name, bytes)
}

/// An intervention proposal document (`intervention propose`).
///
/// # Errors
/// As [`parse_item`].
pub fn parse_intervention_proposal(
    source_name: &str,
    bytes: &[u8],
) -> Result<crate::domain::InterventionProposal, JsonDocumentError> {
    parse(source_name, bytes)
}

/// A meeting document (`intervention record-meeting`): the meeting's fields, and optionally an
/// `outcome` object.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingDocument {
    pub held_on: crate::domain::IsoDate,
    pub attendees: Vec<String>,
    pub summary: String,
    #[serde(default)]
    pub officer_response: String,
    #[serde(default)]
    pub outcome: Option<crate::domain::OutcomeRecord>,
}

impl MeetingDocument {
    /// The meeting part of the document.
    #[must_use]
    pub fn meeting(&self) -> crate::domain::MeetingRecord {
        crate::domain::MeetingRecord {
            held_on: self.held_on,
            attendees: self.attendees.clone(),
            summary: self.summary.clone(),
            officer_response: self.officer_response.clone(),
        }
    }
}

/// Reads a meeting document.
///
/// # Errors
/// As [`parse_item`].
pub fn parse_meeting(
    source_name: &str,
    bytes: &[u8],
) -> Result<MeetingDocument, JsonDocumentError> {
    parse(source_name, bytes)
}

/// Applies a JSON merge patch (RFC 7396) to an item's fields: keys in the patch replace those in
/// the item, `null` removes an optional field.
///
/// # Errors
/// If the patch is not a JSON object, or the result is not a valid item document.
pub fn patch_item(
    source_name: &str,
    current: &IntelItemFields,
    patch_bytes: &[u8],
) -> Result<IntelItemFields, JsonDocumentError> {
    let patch: serde_json::Value = parse(source_name, patch_bytes)?;
    if !patch.is_object() {
        return Err(JsonDocumentError {
            source_name: source_name.to_owned(),
            line: 1,
            column: 1,
            message: "a patch must be a JSON object".into(),
        });
    }
    let mut document = serde_json::to_value(current).map_err(|e| JsonDocumentError {
        source_name: source_name.to_owned(),
        line: 1,
        column: 1,
        message: e.to_string(),
    })?;
    merge(&mut document, &patch);
    serde_json::from_value(document).map_err(|e| JsonDocumentError {
        source_name: source_name.to_owned(),
        line: 1,
        column: 1,
        message: format!("after applying the patch: {e}"),
    })
}

fn merge(target: &mut serde_json::Value, patch: &serde_json::Value) {
    match (target, patch) {
        (serde_json::Value::Object(target), serde_json::Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else {
                    merge(
                        target.entry(key.clone()).or_insert(serde_json::Value::Null),
                        value,
                    );
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// Pretty JSON for `--json` output.
///
/// # Errors
/// A value serde cannot write as JSON (a map with non-string keys, say): reported, never
/// printed as an empty document.
pub fn render<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEM: &str = r#"{
        "received_on": "2026-03-01",
        "source_type": "confidential_line",
        "narrative": "Synthetic narrative.",
        "grading": {"source_evaluation": "2", "intelligence_assessment": "B", "handling_code": "P"},
        "category": "disclosure",
        "subjects": [{"nominal_id": 4, "role": "subject"}]
    }"#;

    #[test]
    fn item_documents_parse_and_errors_say_where() {
        let item = parse_item("item.json", ITEM.as_bytes()).unwrap();
        assert_eq!(item.category, "disclosure");
        let bad = ITEM.replace("2026-03-01", "01/03/2026");
        let err = parse_item("item.json", bad.as_bytes()).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().starts_with("item.json: line 2"), "{err}");
        assert!(err.message.contains("YYYY-MM-DD"), "{err}");
        let unknown = ITEM.replace("\"category\"", "\"catgory\"");
        assert!(
            parse_item("x", unknown.as_bytes())
                .unwrap_err()
                .message
                .contains("unknown field")
        );
    }

    #[test]
    fn answers_are_an_object_of_keys_and_errors_name_the_line() {
        let answers = parse_answers("a.json", br#"{"threat": "high", "harm": "low"}"#).unwrap();
        assert_eq!(answers.get("threat").map(String::as_str), Some("high"));
        let err = parse_answers("a.json", b"{\n  \"threat\": 3\n}").unwrap_err();
        assert_eq!((err.source_name.as_str(), err.line), ("a.json", 2));
    }

    #[test]
    fn patches_replace_and_remove_fields() {
        let item = parse_item("item.json", ITEM.as_bytes()).unwrap();
        let patched = patch_item(
            "patch.json",
            &item,
            br#"{"grading": {"handling_code": "C", "handling_conditions": "CCU only"}, "subjects": null}"#,
        )
        .unwrap();
        assert_eq!(patched.grading.handling_code, "C");
        assert_eq!(patched.grading.source_evaluation, "2");
        assert!(patched.subjects.is_empty());
        assert!(patch_item("p", &item, b"[1]").is_err());
    }
}
