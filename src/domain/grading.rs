//! Grading of intelligence: 3x5x2 (College of Policing APP), and legacy 5x5x5 kept as graded.

use super::FieldError;
use super::reference_data::{ReferenceData, list};
use serde::{Deserialize, Serialize};

/// Upper bound on handling conditions text.
pub const MAX_CONDITIONS_CHARS: usize = 2_000;

/// A 3x5x2 grading: source evaluation (1-3), intelligence assessment (A-E), handling code (P/C).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grading {
    pub source_evaluation: String,
    pub intelligence_assessment: String,
    pub handling_code: String,
    /// Required with handling code C: the conditions travel with every export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling_conditions: Option<String>,
}

impl Grading {
    /// The short form people say: `1A P`, `2B C`.
    #[must_use]
    pub fn short(&self) -> String {
        format!(
            "{}{} {}",
            self.source_evaluation, self.intelligence_assessment, self.handling_code
        )
    }

    /// Problems with the grading under `reference`, with fields prefixed `grading.`.
    #[must_use]
    pub fn validate(&self, reference: &ReferenceData) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (field, list_name, value) in [
            (
                "grading.source_evaluation",
                list::SOURCE_EVALUATION,
                &self.source_evaluation,
            ),
            (
                "grading.intelligence_assessment",
                list::INTELLIGENCE_ASSESSMENT,
                &self.intelligence_assessment,
            ),
            (
                "grading.handling_code",
                list::HANDLING_CODE,
                &self.handling_code,
            ),
        ] {
            if !reference.is_current(list_name, value) {
                errors.push(FieldError::new(
                    field,
                    unknown_code_message(reference, list_name),
                ));
            }
        }
        let conditions = self
            .handling_conditions
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if reference.handling_requires_conditions(&self.handling_code) {
            match conditions {
                None => errors.push(FieldError::new(
                    "grading.handling_conditions",
                    format!(
                        "handling code {} requires its conditions to be recorded",
                        self.handling_code
                    ),
                )),
                Some(text) if text.chars().count() > MAX_CONDITIONS_CHARS => {
                    errors.push(FieldError::new(
                        "grading.handling_conditions",
                        format!("longer than {MAX_CONDITIONS_CHARS} characters"),
                    ));
                }
                Some(_) => {}
            }
        } else if conditions.is_some() {
            errors.push(FieldError::new(
                "grading.handling_conditions",
                format!("handling code {} takes no conditions", self.handling_code),
            ));
        }
        errors
    }
}

/// A grading under the older 5x5x5 system, stored exactly as graded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegacyGrading {
    pub source_evaluation: String,
    pub intelligence_evaluation: String,
    pub handling_code: String,
}

impl LegacyGrading {
    /// Problems with the legacy codes, with fields prefixed `legacy_grading.`.
    #[must_use]
    pub fn validate(&self, reference: &ReferenceData) -> Vec<FieldError> {
        [
            (
                "legacy_grading.source_evaluation",
                list::LEGACY_SOURCE_EVALUATION,
                &self.source_evaluation,
            ),
            (
                "legacy_grading.intelligence_evaluation",
                list::LEGACY_INTELLIGENCE_EVALUATION,
                &self.intelligence_evaluation,
            ),
            (
                "legacy_grading.handling_code",
                list::LEGACY_HANDLING_CODE,
                &self.handling_code,
            ),
        ]
        .into_iter()
        .filter(|(_, list_name, value)| !reference.has(list_name, value))
        .map(|(field, list_name, _)| {
            FieldError::new(field, unknown_code_message(reference, list_name))
        })
        .collect()
    }

    /// The 3x5x2 grading the reference data maps this to, where every part has a mapping.
    #[must_use]
    pub fn mapped(&self, reference: &ReferenceData) -> Option<Grading> {
        Some(Grading {
            source_evaluation: reference
                .legacy_mapping(list::LEGACY_SOURCE_EVALUATION, &self.source_evaluation)?
                .to_owned(),
            intelligence_assessment: reference
                .legacy_mapping(
                    list::LEGACY_INTELLIGENCE_EVALUATION,
                    &self.intelligence_evaluation,
                )?
                .to_owned(),
            handling_code: reference
                .legacy_mapping(list::LEGACY_HANDLING_CODE, &self.handling_code)?
                .to_owned(),
            handling_conditions: None,
        })
    }
}

/// "unknown code: expected one of 1, 2, 3" (codes only; never the value typed).
#[must_use]
pub fn unknown_code_message(reference: &ReferenceData, list_name: &str) -> String {
    let codes: Vec<&str> = reference
        .current_codes(list_name)
        .map(|c| c.code.as_str())
        .collect();
    if codes.len() <= 20 {
        format!("unknown code: expected one of {}", codes.join(", "))
    } else {
        format!("unknown code: not in the {list_name} list")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> ReferenceData {
        crate::io::reference_file::shipped_default().unwrap()
    }

    fn grading(handling: &str, conditions: Option<&str>) -> Grading {
        Grading {
            source_evaluation: "1".into(),
            intelligence_assessment: "A".into(),
            handling_code: handling.into(),
            handling_conditions: conditions.map(Into::into),
        }
    }

    #[test]
    fn handling_code_c_requires_conditions_and_p_takes_none() {
        let reference = reference();
        assert!(grading("P", None).validate(&reference).is_empty());
        assert!(
            grading("C", Some("not to be shared outside CCU"))
                .validate(&reference)
                .is_empty()
        );
        let errors = grading("C", Some("  ")).validate(&reference);
        assert_eq!(errors[0].field, "grading.handling_conditions");
        assert!(errors[0].message.contains("requires its conditions"));
        assert_eq!(grading("P", Some("x")).validate(&reference).len(), 1);
    }

    #[test]
    fn unknown_codes_are_named_with_the_expected_ones() {
        let reference = reference();
        let mut bad = grading("P", None);
        bad.source_evaluation = "4".into();
        bad.intelligence_assessment = "F".into();
        let errors = bad.validate(&reference);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].message, "unknown code: expected one of 1, 2, 3");
    }

    /// 5x5x5 intelligence evaluation 2 is "known personally to the source but not to the
    /// officer": known directly to the source, which 3x5x2 grades A ("Known directly to the
    /// source"), not B. Version 1 of the shipped lists said B; records graded under it keep it.
    #[test]
    fn legacy_gradings_map_where_the_reference_data_says() {
        let reference = reference();
        let legacy = LegacyGrading {
            source_evaluation: "B".into(),
            intelligence_evaluation: "2".into(),
            handling_code: "1".into(),
        };
        assert!(legacy.validate(&reference).is_empty());
        assert_eq!(legacy.mapped(&reference).unwrap().short(), "1A P");
        let version_1 = &crate::io::reference_file::shipped_versions().unwrap()[0];
        assert_eq!(legacy.mapped(version_1).unwrap().short(), "1B P");
        let three = LegacyGrading {
            intelligence_evaluation: "3".into(),
            ..legacy
        };
        assert_eq!(three.mapped(&reference).unwrap().short(), "1B P");
    }
}
