//! Validation problems tied to the field that has them, so a form can show each beside its field.

use serde::Serialize;
use std::fmt;

/// One problem with one field of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as in the JSON documents (`grading.handling_conditions`).
    pub field: String,
    /// What is wrong, worded for the person typing; never repeats the value.
    pub message: String,
}

impl FieldError {
    #[must_use]
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A record that failed validation, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} is not valid: {}", join(.errors))]
pub struct InvalidRecord {
    pub what: &'static str,
    pub errors: Vec<FieldError>,
}

fn join(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl InvalidRecord {
    /// `Ok` when there are no errors.
    ///
    /// # Errors
    /// The collected errors, if any.
    pub fn check(what: &'static str, errors: Vec<FieldError>) -> Result<(), InvalidRecord> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InvalidRecord { what, errors })
        }
    }

    /// The message for one field, if it has a problem (for forms).
    #[must_use]
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}
