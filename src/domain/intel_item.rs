//! Intelligence items: the log entries of the CCU, each graded, categorised and linked to the
//! nominals it concerns.

use super::grading::unknown_code_message;
use super::reference_data::{ReferenceData, list};
use super::{FieldError, Grading, IsoDate, ItemId, LegacyGrading, NominalId, UserId};
use serde::{Deserialize, Serialize};

/// Longest narrative accepted (about 30 pages of text); longer material is an attachment.
pub const MAX_NARRATIVE_CHARS: usize = 100_000;

/// A nominal an item concerns, and in what role (subject, associate, victim...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub nominal_id: NominalId,
    pub role: String,
}

/// The fields a detective enters and edits. Status, reference and ownership history are not
/// here: they change only through their own operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntelItemFields {
    pub received_on: IsoDate,
    pub source_type: String,
    /// The sanitised account: no source identity, no tradecraft.
    pub narrative: String,
    pub grading: Grading,
    /// The original 5x5x5 grading of historic material, kept as it was graded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_grading: Option<LegacyGrading>,
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subcategory: Option<String>,
    #[serde(default)]
    pub subjects: Vec<Subject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_review_on: Option<IsoDate>,
}

impl IntelItemFields {
    /// Every problem with the fields under `reference`, as of `today`. Whether subject nominals
    /// exist is the store's check.
    #[must_use]
    pub fn validate(&self, reference: &ReferenceData, today: IsoDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.received_on > today {
            errors.push(FieldError::new("received_on", "is in the future"));
        }
        if self.received_on.year() < 1950 {
            errors.push(FieldError::new("received_on", "is before 1950"));
        }
        if !reference.is_current(list::SOURCE_TYPE, &self.source_type) {
            errors.push(FieldError::new(
                "source_type",
                unknown_code_message(reference, list::SOURCE_TYPE),
            ));
        }
        let narrative_chars = self.narrative.trim().chars().count();
        if narrative_chars == 0 {
            errors.push(FieldError::new("narrative", "is empty"));
        } else if narrative_chars > MAX_NARRATIVE_CHARS {
            errors.push(FieldError::new(
                "narrative",
                format!("is longer than {MAX_NARRATIVE_CHARS} characters; attach long material as a file"),
            ));
        }
        errors.extend(self.grading.validate(reference));
        if let Some(legacy) = &self.legacy_grading {
            errors.extend(legacy.validate(reference));
        }
        if !reference.is_current(list::CORRUPTION_CATEGORY, &self.category) {
            errors.push(FieldError::new(
                "category",
                unknown_code_message(reference, list::CORRUPTION_CATEGORY),
            ));
        }
        if let Some(sub) = &self.subcategory {
            match reference.code(list::CORRUPTION_SUBCATEGORY, sub) {
                None => errors.push(FieldError::new("subcategory", "unknown sub-category")),
                Some(code) if code.parent.as_deref() != Some(self.category.as_str()) => {
                    errors.push(FieldError::new(
                        "subcategory",
                        "belongs to a different category",
                    ));
                }
                Some(_) => {}
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for (index, subject) in self.subjects.iter().enumerate() {
            if !reference.is_current(list::SUBJECT_ROLE, &subject.role) {
                errors.push(FieldError::new(
                    format!("subjects[{index}].role"),
                    unknown_code_message(reference, list::SUBJECT_ROLE),
                ));
            }
            if !seen.insert(subject.nominal_id) {
                errors.push(FieldError::new(
                    format!("subjects[{index}].nominal_id"),
                    "the same nominal is listed twice",
                ));
            }
        }
        if let Some(review) = self.next_review_on
            && review < self.received_on
        {
            errors.push(FieldError::new(
                "next_review_on",
                "is before the received date",
            ));
        }
        errors
    }
}

/// An intelligence item as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntelItem {
    pub id: ItemId,
    /// `CCU/<year>/<6 digits>`, numbered in order of recording within the year.
    pub reference: String,
    /// The reference data version the item was graded under.
    pub reference_version: u32,
    pub status: String,
    #[serde(flatten)]
    pub fields: IntelItemFields,
    pub owner_id: UserId,
    /// 1 when created; each edit or status change adds one.
    pub version: u32,
    pub created_at_utc: String,
    pub created_by: UserId,
    pub updated_at_utc: String,
    pub updated_by: UserId,
}

/// A previous version of an item, kept when it was changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntelItemVersion {
    pub version: u32,
    /// The item as it was in this version.
    pub item: IntelItem,
    /// Who replaced it with the next version, when, and what they changed.
    pub replaced_at_utc: String,
    pub replaced_by: UserId,
    pub change: String,
}

/// The reference for the `number`-th item recorded in `year`.
#[must_use]
pub fn format_reference(year: i32, number: u32) -> String {
    format!("CCU/{year}/{number:06}")
}

/// Whether `text` is shaped like a reference (`CCU/2026/000123`).
#[must_use]
pub fn looks_like_reference(text: &str) -> bool {
    let parts: Vec<&str> = text.trim().split('/').collect();
    parts.len() == 3
        && parts[0].eq_ignore_ascii_case("CCU")
        && parts[1].len() == 4
        && parts[1].chars().all(|c| c.is_ascii_digit())
        && !parts[2].is_empty()
        && parts[2].chars().all(|c| c.is_ascii_digit())
}

/// Names the fields that differ between two versions, for the history ("what changed").
#[must_use]
pub fn changed_fields(before: &IntelItemFields, after: &IntelItemFields) -> Vec<&'static str> {
    [
        ("received_on", before.received_on != after.received_on),
        ("source_type", before.source_type != after.source_type),
        ("narrative", before.narrative != after.narrative),
        ("grading", before.grading != after.grading),
        (
            "legacy_grading",
            before.legacy_grading != after.legacy_grading,
        ),
        ("category", before.category != after.category),
        ("subcategory", before.subcategory != after.subcategory),
        ("subjects", before.subjects != after.subjects),
        (
            "next_review_on",
            before.next_review_on != after.next_review_on,
        ),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> IntelItemFields {
        IntelItemFields {
            received_on: "2026-03-01".parse().unwrap(),
            source_type: "confidential_line".into(),
            narrative: "An officer is reported to have checked a record for a friend.".into(),
            grading: Grading {
                source_evaluation: "2".into(),
                intelligence_assessment: "B".into(),
                handling_code: "P".into(),
                handling_conditions: None,
            },
            legacy_grading: None,
            category: "disclosure".into(),
            subcategory: Some("disclosure.family_friends".into()),
            subjects: vec![Subject {
                nominal_id: NominalId(1),
                role: "subject".into(),
            }],
            next_review_on: Some("2026-06-01".parse().unwrap()),
        }
    }

    fn reference() -> ReferenceData {
        crate::io::reference_file::shipped_default().unwrap()
    }

    fn today() -> IsoDate {
        "2026-11-22".parse().unwrap()
    }

    #[test]
    fn a_complete_item_is_valid() {
        assert_eq!(sample().validate(&reference(), today()), vec![]);
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut item = sample();
        item.received_on = "2027-01-01".parse().unwrap();
        item.source_type = "pigeon".into();
        item.narrative = "   ".into();
        item.category = "sexual_misconduct".into();
        item.subjects.push(item.subjects[0].clone());
        item.next_review_on = Some("2026-01-01".parse().unwrap());
        let fields: Vec<String> = item
            .validate(&reference(), today())
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "received_on",
                "source_type",
                "narrative",
                "subcategory",
                "subjects[1].nominal_id",
                "next_review_on"
            ]
        );
    }

    #[test]
    fn references_are_numbered_within_the_year() {
        assert_eq!(format_reference(2026, 123), "CCU/2026/000123");
        assert!(looks_like_reference("CCU/2026/000123"));
        assert!(!looks_like_reference("CCU-2026-000123"));
    }

    #[test]
    fn changed_fields_are_named() {
        let before = sample();
        let mut after = sample();
        after.narrative.push_str(" More.");
        after.grading.handling_code = "C".into();
        assert_eq!(
            changed_fields(&before, &after),
            vec!["narrative", "grading"]
        );
    }
}
