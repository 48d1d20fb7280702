//! Conduct outcomes: how a misconduct or gross-misconduct allegation against a member of the
//! force ended, under the Police (Conduct) Regulations 2020 for officers and the force's
//! disciplinary procedure for staff. They are the only sanctions the workbench knows: an
//! ethical meeting or a management intervention is not one, and the "sanctioned staff still
//! querying" pattern (seed 001) and the transferee package (seed 003 asks for "misconduct")
//! read them.

use super::{FieldError, IsoDate, ReferenceData, list};
use serde::{Deserialize, Serialize};

/// How an allegation ended, least to most serious. Officers' outcomes under the Police
/// (Conduct) Regulations 2020; staff are recorded with the equivalent step of their procedure
/// (a staff written warning is a written warning, and so on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConductOutcomeKind {
    NoCaseToAnswer,
    ManagementAdvice,
    ReflectivePractice,
    WrittenWarning,
    FinalWrittenWarning,
    ReductionInRank,
    Dismissal,
}

impl ConductOutcomeKind {
    pub const ALL: [ConductOutcomeKind; 7] = [
        ConductOutcomeKind::NoCaseToAnswer,
        ConductOutcomeKind::ManagementAdvice,
        ConductOutcomeKind::ReflectivePractice,
        ConductOutcomeKind::WrittenWarning,
        ConductOutcomeKind::FinalWrittenWarning,
        ConductOutcomeKind::ReductionInRank,
        ConductOutcomeKind::Dismissal,
    ];

    /// The codes as stored, in files and on the command line.
    pub const CODES: &'static [&'static str] = &[
        "no_case_to_answer",
        "management_advice",
        "reflective_practice",
        "written_warning",
        "final_written_warning",
        "reduction_in_rank",
        "dismissal",
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ConductOutcomeKind::NoCaseToAnswer => "no_case_to_answer",
            ConductOutcomeKind::ManagementAdvice => "management_advice",
            ConductOutcomeKind::ReflectivePractice => "reflective_practice",
            ConductOutcomeKind::WrittenWarning => "written_warning",
            ConductOutcomeKind::FinalWrittenWarning => "final_written_warning",
            ConductOutcomeKind::ReductionInRank => "reduction_in_rank",
            ConductOutcomeKind::Dismissal => "dismissal",
        }
    }

    /// The outcome as a list or heading shows it ("Written warning").
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            ConductOutcomeKind::NoCaseToAnswer => "No case to answer",
            ConductOutcomeKind::ManagementAdvice => "Management advice",
            ConductOutcomeKind::ReflectivePractice => "Reflective practice",
            ConductOutcomeKind::WrittenWarning => "Written warning",
            ConductOutcomeKind::FinalWrittenWarning => "Final written warning",
            ConductOutcomeKind::ReductionInRank => "Reduction in rank",
            ConductOutcomeKind::Dismissal => "Dismissal",
        }
    }

    /// Words for a person, used mid-sentence ("received a written warning").
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            ConductOutcomeKind::NoCaseToAnswer => "no case to answer",
            ConductOutcomeKind::ManagementAdvice => "management advice",
            ConductOutcomeKind::ReflectivePractice => "reflective practice",
            ConductOutcomeKind::WrittenWarning => "a written warning",
            ConductOutcomeKind::FinalWrittenWarning => "a final written warning",
            ConductOutcomeKind::ReductionInRank => "reduction in rank",
            ConductOutcomeKind::Dismissal => "dismissal",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// A disciplinary sanction: a written warning or anything more serious. No case to answer,
    /// management advice and reflective practice are not sanctions (the Police (Conduct)
    /// Regulations 2020 make management advice and reflective practice non-disciplinary).
    #[must_use]
    pub fn is_sanction(self) -> bool {
        self >= ConductOutcomeKind::WrittenWarning
    }
}

/// One conduct outcome for a member of the force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConductOutcome {
    pub staff_number: String,
    /// The day the outcome was decided (the hearing or meeting's finding).
    pub decided_on: IsoDate,
    /// The national corruption category of the allegation (reference data).
    pub category: String,
    pub outcome: ConductOutcomeKind,
    /// Whether the matter was referred to the Independent Office for Police Conduct.
    pub referred_to_iopc: bool,
}

/// The categories whose sanctions the "sanctioned staff still querying" pattern looks at: seed
/// 001's "Disclosure of Information / Misuse of Force Systems".
pub const QUERYING_SANCTION_CATEGORIES: [&str; 2] = ["disclosure", "misuse_of_systems"];

impl ConductOutcome {
    /// Problems with the record under `reference`, each naming its field.
    #[must_use]
    pub fn validate(&self, reference: &ReferenceData, today: IsoDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let staff = self.staff_number.trim();
        if staff.is_empty() || staff.chars().count() > 32 {
            errors.push(FieldError::new(
                "staff_number",
                "must be a staff number of 1 to 32 characters",
            ));
        }
        if self.decided_on > today {
            errors.push(FieldError::new("decided_on", "is in the future"));
        }
        if !reference.is_current(list::CORRUPTION_CATEGORY, &self.category) {
            errors.push(FieldError::new(
                "category",
                super::grading::unknown_code_message(reference, list::CORRUPTION_CATEGORY),
            ));
        }
        errors
    }

    /// Whether the "sanctioned staff still querying" pattern counts it.
    #[must_use]
    pub fn is_querying_sanction(&self) -> bool {
        self.outcome.is_sanction() && QUERYING_SANCTION_CATEGORIES.contains(&self.category.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_warnings_and_above_are_sanctions_and_advice_is_not() {
        let sanctions: Vec<&str> = ConductOutcomeKind::ALL
            .into_iter()
            .filter(|k| k.is_sanction())
            .map(ConductOutcomeKind::as_str)
            .collect();
        assert_eq!(
            sanctions,
            [
                "written_warning",
                "final_written_warning",
                "reduction_in_rank",
                "dismissal"
            ]
        );
        for (kind, code) in ConductOutcomeKind::ALL
            .into_iter()
            .zip(ConductOutcomeKind::CODES)
        {
            assert_eq!(kind.as_str(), *code);
            assert_eq!(ConductOutcomeKind::parse(code), Some(kind));
        }
    }
}
