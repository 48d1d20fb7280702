//! Conduct outcomes in the session: typed in one at a time (the same checks an import makes)
//! and read back, each a recorded act. Imported ones come through the bulk import.

use super::{Workbench, WorkbenchError};
use crate::domain::{
    Action, AuditAction, ConductOutcome, InvalidRecord, IsoDate, NewAuditEntry, NominalKind,
};

impl Workbench {
    /// Records a conduct outcome typed in: the staff number (matched to the employee's nominal
    /// where the workbench has one), the date, the allegation's corruption category, the
    /// outcome and whether it went to the IOPC. Audited with the nominal's id, never the number.
    ///
    /// # Errors
    /// [`WorkbenchError::Invalid`] naming the field; permission errors; store errors.
    pub fn record_conduct_outcome(
        &mut self,
        outcome: &ConductOutcome,
    ) -> Result<ConductOutcome, WorkbenchError> {
        self.require(Action::RecordConductOutcome)?;
        let outcome = ConductOutcome {
            staff_number: outcome.staff_number.trim().to_uppercase(),
            ..outcome.clone()
        };
        InvalidRecord::check(
            "the conduct outcome",
            outcome.validate(&self.reference, IsoDate::today_utc()),
        )?;
        self.store
            .write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
                let staff = tx
                    .reader()
                    .nominal_by_identity(NominalKind::Employee, &outcome.staff_number)?
                    .map(|n| n.id);
                tx.insert_conduct_outcome(&outcome, staff)?;
                tx.audit(
                    NewAuditEntry::new(
                        AuditAction::ConductOutcomeRecorded,
                        staff.map_or_else(
                            || String::from("conduct:unmatched"),
                            |id| format!("nominal:{}", id.0),
                        ),
                    )
                    .with_detail(
                        serde_json::json!({
                            "outcome": outcome.outcome.as_str(),
                            "category": outcome.category,
                            "referred_to_iopc": outcome.referred_to_iopc,
                        })
                        .to_string(),
                    ),
                )?;
                Ok(())
            })?;
        Ok(outcome)
    }

    /// Conduct outcomes, oldest first: one member of staff's (by staff number), or everyone's.
    /// A consultation: recorded with the purpose.
    ///
    /// # Errors
    /// Permission errors (and a missing purpose); store errors.
    pub fn conduct_outcomes(
        &mut self,
        staff_number: Option<&str>,
    ) -> Result<Vec<ConductOutcome>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        let staff_number = staff_number.map(|s| s.trim().to_uppercase());
        self.store
            .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                let filter = match &staff_number {
                    Some(number) => {
                        let nominal = tx
                            .reader()
                            .nominal_by_identity(NominalKind::Employee, number)?
                            .map(|n| n.id);
                        Some((nominal, number.as_str()))
                    }
                    None => None,
                };
                let found = tx.reader().conduct_outcomes(filter)?;
                let object = match filter {
                    Some((Some(id), _)) => format!("nominal:{}", id.0),
                    Some((None, _)) => String::from("conduct:unmatched"),
                    None => String::from("conduct:all"),
                };
                tx.audit(
                    NewAuditEntry::new(AuditAction::ConductOutcomesViewed, object)
                        .with_detail(serde_json::json!({ "count": found.len() }).to_string()),
                )?;
                Ok(found)
            })
    }
}
