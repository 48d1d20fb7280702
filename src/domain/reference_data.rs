//! Code lists as versioned data: categories, gradings, statuses and their transitions, link
//! types, NA categories, vetting levels. A force aligns them with the national lists by
//! publishing a new version; every record keeps the version it was graded under.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One code in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub code: String,
    pub label: String,
    /// For a sub-category: the category it refines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// For a handling code: whether conditions must be recorded with it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub requires_conditions: bool,
    /// For a link type: whether the link has a direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directed: Option<bool>,
    /// For a legacy 5x5x5 code: the 3x5x2 code it maps to, where a mapping is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maps_to: Option<String>,
    /// A code kept for old records but not offered for new ones.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

/// The names of the lists every version must have.
pub mod list {
    pub const CORRUPTION_CATEGORY: &str = "corruption_category";
    pub const CORRUPTION_SUBCATEGORY: &str = "corruption_subcategory";
    pub const SOURCE_EVALUATION: &str = "source_evaluation";
    pub const INTELLIGENCE_ASSESSMENT: &str = "intelligence_assessment";
    pub const HANDLING_CODE: &str = "handling_code";
    pub const LEGACY_SOURCE_EVALUATION: &str = "legacy_source_evaluation";
    pub const LEGACY_INTELLIGENCE_EVALUATION: &str = "legacy_intelligence_evaluation";
    pub const LEGACY_HANDLING_CODE: &str = "legacy_handling_code";
    pub const SOURCE_TYPE: &str = "source_type";
    pub const INTEL_STATUS: &str = "intel_status";
    pub const INTEL_STATUS_TRANSITION: &str = "intel_status_transition";
    pub const SUBJECT_ROLE: &str = "subject_role";
    pub const LINK_TYPE: &str = "link_type";
    pub const LINK_CONFIDENCE: &str = "link_confidence";
    pub const NA_CATEGORY: &str = "na_category";
    pub const VETTING_LEVEL: &str = "vetting_level";
    pub const EMPLOYEE_TYPE: &str = "employee_type";
    pub const EMPLOYEE_STATUS: &str = "employee_status";

    pub const REQUIRED: [&str; 18] = [
        CORRUPTION_CATEGORY,
        CORRUPTION_SUBCATEGORY,
        SOURCE_EVALUATION,
        INTELLIGENCE_ASSESSMENT,
        HANDLING_CODE,
        LEGACY_SOURCE_EVALUATION,
        LEGACY_INTELLIGENCE_EVALUATION,
        LEGACY_HANDLING_CODE,
        SOURCE_TYPE,
        INTEL_STATUS,
        INTEL_STATUS_TRANSITION,
        SUBJECT_ROLE,
        LINK_TYPE,
        LINK_CONFIDENCE,
        NA_CATEGORY,
        VETTING_LEVEL,
        EMPLOYEE_TYPE,
        EMPLOYEE_STATUS,
    ];
}

/// The status every new intelligence item starts in.
pub const INITIAL_STATUS: &str = "received";

/// A version of the code lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceData {
    /// Always `ccu-workbench-reference`.
    pub format: String,
    /// Increases by one with each published version.
    pub version: u32,
    pub title: String,
    #[serde(default)]
    pub note: String,
    pub lists: BTreeMap<String, Vec<Code>>,
}

/// Why a reference data document cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("reference data is not valid: {}", .0.join("; "))]
pub struct ReferenceDataError(pub Vec<String>);

impl ReferenceData {
    pub const FORMAT: &'static str = "ccu-workbench-reference";

    /// Checks the document is complete and consistent: every required list present and
    /// non-empty, codes unique within a list, transitions between known statuses, sub-categories
    /// under known categories, legacy mappings to known codes, a link type's direction given.
    ///
    /// # Errors
    /// Every problem found, each naming its list and code.
    pub fn check(&self) -> Result<(), ReferenceDataError> {
        let mut problems = Vec::new();
        if self.format != Self::FORMAT {
            problems.push(format!("format must be \"{}\"", Self::FORMAT));
        }
        if self.version == 0 {
            problems.push("version must be 1 or more".into());
        }
        for name in list::REQUIRED {
            match self.lists.get(name) {
                None => problems.push(format!("list {name} is missing")),
                Some(codes) if codes.is_empty() => problems.push(format!("list {name} is empty")),
                Some(codes) => {
                    let mut seen = BTreeSet::new();
                    for code in codes {
                        if code.code.trim().is_empty() || code.code != code.code.trim() {
                            problems.push(format!("list {name} has an empty or padded code"));
                        }
                        if !seen.insert(code.code.as_str()) {
                            problems.push(format!("list {name} repeats code {}", code.code));
                        }
                        if code.label.trim().is_empty() {
                            problems.push(format!("code {} in {name} has no label", code.code));
                        }
                    }
                }
            }
        }
        for transition in self.codes(list::INTEL_STATUS_TRANSITION) {
            match transition.code.split_once('>') {
                Some((from, to))
                    if self.has(list::INTEL_STATUS, from) && self.has(list::INTEL_STATUS, to) => {}
                _ => problems.push(format!(
                    "transition {} must be FROM>TO between known statuses",
                    transition.code
                )),
            }
        }
        if !self.has(list::INTEL_STATUS, INITIAL_STATUS) {
            problems.push(format!(
                "status {INITIAL_STATUS} must exist: new items start there"
            ));
        }
        for sub in self.codes(list::CORRUPTION_SUBCATEGORY) {
            match &sub.parent {
                Some(parent) if self.has(list::CORRUPTION_CATEGORY, parent) => {}
                _ => problems.push(format!(
                    "sub-category {} needs a known parent category",
                    sub.code
                )),
            }
        }
        for (legacy, target) in [
            (list::LEGACY_SOURCE_EVALUATION, list::SOURCE_EVALUATION),
            (
                list::LEGACY_INTELLIGENCE_EVALUATION,
                list::INTELLIGENCE_ASSESSMENT,
            ),
            (list::LEGACY_HANDLING_CODE, list::HANDLING_CODE),
        ] {
            for code in self.codes(legacy) {
                if let Some(maps_to) = &code.maps_to
                    && !self.has(target, maps_to)
                {
                    problems.push(format!(
                        "{legacy} {} maps to {maps_to}, which is not in {target}",
                        code.code
                    ));
                }
            }
        }
        for link_type in self.codes(list::LINK_TYPE) {
            if link_type.directed.is_none() {
                problems.push(format!(
                    "link type {} must say whether it is directed",
                    link_type.code
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ReferenceDataError(problems))
        }
    }

    /// The codes of a list (empty for an unknown list).
    #[must_use]
    pub fn codes(&self, list: &str) -> &[Code] {
        self.lists.get(list).map_or(&[], Vec::as_slice)
    }

    /// The codes of a list that may be used for new records.
    pub fn current_codes<'a>(&'a self, list: &str) -> impl Iterator<Item = &'a Code> + 'a {
        self.codes(list).iter().filter(|c| !c.retired)
    }

    /// One code of a list.
    #[must_use]
    pub fn code(&self, list: &str, code: &str) -> Option<&Code> {
        self.codes(list).iter().find(|c| c.code == code)
    }

    /// Whether `code` is in `list` (retired codes included: old records keep them).
    #[must_use]
    pub fn has(&self, list: &str, code: &str) -> bool {
        self.code(list, code).is_some()
    }

    /// Whether `code` is in `list` and may be used for a new record.
    #[must_use]
    pub fn is_current(&self, list: &str, code: &str) -> bool {
        self.code(list, code).is_some_and(|c| !c.retired)
    }

    /// The label of a code, or the code itself if unknown.
    #[must_use]
    pub fn label<'a>(&'a self, list: &str, code: &'a str) -> &'a str {
        self.code(list, code).map_or(code, |c| c.label.as_str())
    }

    /// Whether an item may move from status `from` to status `to`.
    #[must_use]
    pub fn transition_allowed(&self, from: &str, to: &str) -> bool {
        let wanted = format!("{from}>{to}");
        self.codes(list::INTEL_STATUS_TRANSITION)
            .iter()
            .any(|t| t.code == wanted && !t.retired)
    }

    /// The statuses an item in `from` may move to.
    #[must_use]
    pub fn next_statuses(&self, from: &str) -> Vec<&str> {
        self.codes(list::INTEL_STATUS_TRANSITION)
            .iter()
            .filter(|t| !t.retired)
            .filter_map(|t| t.code.split_once('>'))
            .filter(|(f, _)| *f == from)
            .map(|(_, to)| to)
            .collect()
    }

    /// Whether a handling code requires its conditions to be recorded.
    #[must_use]
    pub fn handling_requires_conditions(&self, handling_code: &str) -> bool {
        self.code(list::HANDLING_CODE, handling_code)
            .is_some_and(|c| c.requires_conditions)
    }

    /// Whether a link type is directed (unknown types are treated as undirected).
    #[must_use]
    pub fn link_is_directed(&self, link_type: &str) -> bool {
        self.code(list::LINK_TYPE, link_type)
            .and_then(|c| c.directed)
            .unwrap_or(false)
    }

    /// The 3x5x2 code a legacy code maps to, if the list gives one.
    #[must_use]
    pub fn legacy_mapping(&self, legacy_list: &str, code: &str) -> Option<&str> {
        self.code(legacy_list, code)
            .and_then(|c| c.maps_to.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_defaults_are_valid_and_complete() {
        let data = crate::io::reference_file::shipped_default().unwrap();
        assert_eq!(data.version, 2);
        assert_eq!(data.codes(list::CORRUPTION_CATEGORY).len(), 12);
        assert_eq!(data.codes(list::SOURCE_EVALUATION).len(), 3);
        assert_eq!(data.codes(list::INTELLIGENCE_ASSESSMENT).len(), 5);
        assert!(data.handling_requires_conditions("C"));
        assert!(!data.handling_requires_conditions("P"));
        assert!(data.transition_allowed("received", "assessed"));
        assert!(!data.transition_allowed("received", "closed"));
        assert!(data.transition_allowed("no_further_action", "closed"));
        let mut next = data.next_statuses("assessed");
        next.sort_unstable();
        assert_eq!(
            next,
            vec![
                "development",
                "investigation",
                "management_intervention",
                "no_further_action"
            ]
        );
        assert!(data.link_is_directed("ocg_member"));
        assert!(!data.link_is_directed("friend"));
        assert_eq!(
            data.legacy_mapping(list::LEGACY_SOURCE_EVALUATION, "A"),
            Some("1")
        );
    }

    /// Seed 001 s4.9.2: interventions are for intelligence that "cannot be corroborated or
    /// developed by further inquiries", so an item in development or under investigation can
    /// lead to one; an item closed with no further action can be assessed again. Version 1
    /// stays as it was for the records graded under it.
    #[test]
    fn item_lifecycle_version_2_lets_development_and_investigation_lead_to_an_intervention() {
        let versions = crate::io::reference_file::shipped_versions().unwrap();
        assert_eq!(
            versions.iter().map(|v| v.version).collect::<Vec<_>>(),
            [1, 2]
        );
        let (v1, v2) = (&versions[0], &versions[1]);
        let next = |data: &ReferenceData, from: &str| {
            let mut next = data.next_statuses(from);
            next.sort_unstable();
            next.join(" ")
        };
        assert_eq!(next(v2, "received"), "assessed");
        assert_eq!(
            next(v2, "assessed"),
            "development investigation management_intervention no_further_action"
        );
        assert_eq!(
            next(v2, "development"),
            "closed investigation management_intervention no_further_action"
        );
        assert_eq!(
            next(v2, "investigation"),
            "closed management_intervention no_further_action"
        );
        assert_eq!(next(v2, "management_intervention"), "closed");
        assert_eq!(next(v2, "no_further_action"), "assessed closed");
        assert_eq!(next(v2, "closed"), "");
        assert_eq!(next(v1, "development"), "closed");
        assert_eq!(next(v1, "investigation"), "closed");
    }

    #[test]
    fn inconsistent_documents_are_refused_with_every_problem_named() {
        let mut data = crate::io::reference_file::shipped_default().unwrap();
        data.lists.remove(list::VETTING_LEVEL);
        data.lists
            .get_mut(list::INTEL_STATUS_TRANSITION)
            .unwrap()
            .push(Code {
                code: "received>nowhere".into(),
                label: "Bad".into(),
                parent: None,
                requires_conditions: false,
                directed: None,
                maps_to: None,
                retired: false,
            });
        let cats = data.lists.get_mut(list::CORRUPTION_CATEGORY).unwrap();
        let first = cats[0].clone();
        cats.push(first);
        let err = data.check().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("vetting_level is missing"), "{text}");
        assert!(text.contains("received>nowhere"), "{text}");
        assert!(text.contains("repeats code infiltration"), "{text}");
    }
}
