//! The transferee information package (HMICFRS recommendation 2, seed 003): what the CCU holds
//! on one member of staff moving to another force, gathered for its counter corruption unit.

use super::{
    BusinessInterest, CodeLabels, ConductOutcome, IntelItem, IsoDate, Nominal,
    NotifiableAssociation, WorkforceRecord,
};
use serde::Serialize;

/// Everything the package discloses about one employee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransfereePackage {
    pub employee: Nominal,
    pub prepared_on: IsoDate,
    /// Performance reviews, sickness absences and complaints from the imported HR and
    /// Professional Standards extracts, oldest first.
    pub performance: Vec<WorkforceRecord>,
    pub sickness: Vec<WorkforceRecord>,
    pub complaints: Vec<WorkforceRecord>,
    /// Conduct outcomes (seed 003 asks for "misconduct"), oldest first: imported from
    /// Professional Standards or typed in.
    pub conduct_outcomes: Vec<ConductOutcome>,
    /// Business interests and second jobs from the imported registers.
    pub business_interests: Vec<BusinessInterest>,
    /// Notifiable associations (live and closed), each with the associate's name.
    pub associations: Vec<(NotifiableAssociation, String)>,
    /// Corruption intelligence of which the employee is a subject (never a witness, victim or
    /// someone merely mentioned), newest first, each with its grading and handling code (and,
    /// for code C, the conditions that travel with it).
    pub intelligence: Vec<IntelItem>,
    /// What was left out of `intelligence`, and whether an inspector had it included.
    pub left_out: LeftOut,
    /// Labels for the categories and statuses shown.
    pub labels: CodeLabels,
}

/// Items concerning the employee as a subject that a package leaves out by default: intelligence
/// assessed E (suspected to be false) and items closed with no further action say nothing a
/// receiving force should act on, and could harm the officer unfairly. An inspector may have
/// them included (the disclosure records it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// Items assessed E.
    pub assessed_e: usize,
    /// Items whose status is no further action.
    pub no_further_action: usize,
    /// An inspector had them included: the counts say how many of `intelligence` they are.
    pub included: bool,
}

impl LeftOut {
    /// Whether an item is one a package leaves out by default.
    #[must_use]
    pub fn withholds(item: &IntelItem) -> bool {
        item.fields.grading.intelligence_assessment == "E" || item.status == "no_further_action"
    }

    /// How many items the rule concerns.
    #[must_use]
    pub fn total(&self) -> usize {
        self.assessed_e + self.no_further_action
    }

    /// The counts in words, for the preview and the package.
    #[must_use]
    pub fn describe(&self) -> String {
        if self.total() == 0 {
            return String::from("No item was left out.");
        }
        let what = format!(
            "{} item(s) assessed E (suspected false) and {} closed with no further action",
            self.assessed_e, self.no_further_action
        );
        if self.included {
            format!("Included at an inspector's request: {what}.")
        } else {
            format!("Left out: {what}. An inspector may include them.")
        }
    }
}
