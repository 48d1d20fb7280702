//! The transferee information package (HMICFRS recommendation 2, seed 003): what the CCU holds
//! on one member of staff moving to another force, gathered for its counter corruption unit.

use super::{
    BusinessInterest, CodeLabels, IntelItem, IsoDate, Nominal, NotifiableAssociation,
    WorkforceRecord,
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
    /// Business interests and second jobs from the imported registers.
    pub business_interests: Vec<BusinessInterest>,
    /// Notifiable associations (live and closed), each with the associate's name.
    pub associations: Vec<(NotifiableAssociation, String)>,
    /// Corruption intelligence of which the employee is a subject, newest first, each with its
    /// grading and handling code (and, for code C, the conditions that travel with it).
    pub intelligence: Vec<IntelItem>,
    /// Labels for the categories and statuses shown.
    pub labels: CodeLabels,
}
