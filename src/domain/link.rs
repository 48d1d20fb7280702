//! Links between nominals: typed, possibly directed, valid over a period, graded by confidence,
//! and always supported by provenance.

use super::grading::unknown_code_message;
use super::reference_data::{ReferenceData, list};
use super::{FieldError, ImportId, IsoDate, LinkId, NominalId, UserId};
use serde::{Deserialize, Serialize};

/// What supports a link: an intelligence item (by reference) or an import.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Provenance {
    IntelItem { reference: String },
    Import { import_id: ImportId },
}

/// The fields entered for a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkFields {
    pub link_type: String,
    pub from: NominalId,
    pub to: NominalId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<IsoDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<IsoDate>,
    pub confidence: String,
    pub provenance: Vec<Provenance>,
}

impl LinkFields {
    /// Every problem with the link (whether the nominals and sources exist is the store's check).
    #[must_use]
    pub fn validate(&self, reference: &ReferenceData) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !reference.is_current(list::LINK_TYPE, &self.link_type) {
            errors.push(FieldError::new(
                "link_type",
                unknown_code_message(reference, list::LINK_TYPE),
            ));
        }
        if !reference.is_current(list::LINK_CONFIDENCE, &self.confidence) {
            errors.push(FieldError::new(
                "confidence",
                unknown_code_message(reference, list::LINK_CONFIDENCE),
            ));
        }
        if self.from == self.to {
            errors.push(FieldError::new(
                "to",
                "a nominal cannot be linked to itself",
            ));
        }
        if let (Some(from), Some(to)) = (self.valid_from, self.valid_to)
            && to < from
        {
            errors.push(FieldError::new("valid_to", "is before valid_from"));
        }
        if self.provenance.is_empty() {
            errors.push(FieldError::new(
                "provenance",
                "a link needs provenance: the intelligence items or imports that support it",
            ));
        }
        errors
    }

    /// Whether the link held on `date` (open ends hold forever).
    #[must_use]
    pub fn valid_on(&self, date: IsoDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date) && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// A link as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub id: LinkId,
    #[serde(flatten)]
    pub fields: LinkFields,
    /// From the link type when it was recorded.
    pub directed: bool,
    pub created_at_utc: String,
    pub created_by: UserId,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> LinkFields {
        LinkFields {
            link_type: "friend".into(),
            from: NominalId(1),
            to: NominalId(2),
            valid_from: Some("2024-01-01".parse().unwrap()),
            valid_to: None,
            confidence: "probable".into(),
            provenance: vec![Provenance::IntelItem {
                reference: "CCU/2026/000001".into(),
            }],
        }
    }

    #[test]
    fn a_link_without_provenance_is_refused() {
        let reference = crate::io::reference_file::shipped_default().unwrap();
        assert!(fields().validate(&reference).is_empty());
        let mut bare = fields();
        bare.provenance.clear();
        let errors = bare.validate(&reference);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "provenance");
    }

    #[test]
    fn validity_periods_are_checked() {
        let link = fields();
        assert!(link.valid_on("2025-06-01".parse().unwrap()));
        assert!(!link.valid_on("2023-06-01".parse().unwrap()));
        let mut reversed = fields();
        reversed.valid_to = Some("2023-01-01".parse().unwrap());
        let reference = crate::io::reference_file::shipped_default().unwrap();
        assert_eq!(reversed.validate(&reference)[0].field, "valid_to");
    }
}
