//! Operation Beacon (seed 001 s4.8) beyond scoring: taking a subject out of the cohort with an
//! inspector's rationale (a new assessment brings them back), recording the IOPC referral
//! decision for a subject, and the "Beacon assessment due" list of staff named as the subject
//! of sexual misconduct intelligence and not yet assessed since.

use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AuditAction, NewAuditEntry, NominalId};
use crate::risk::{BeaconDue, IopcDecision};

/// The longest rationale or reason kept, in characters.
const MAX_TEXT_CHARS: usize = 4_000;

fn text_checked(text: &str, what: &'static str) -> Result<String, WorkbenchError> {
    let text = text.trim();
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(WorkbenchError::Refused(what));
    }
    Ok(text.to_owned())
}

impl Workbench {
    /// Takes `subject` out of the Beacon cohort from today, with the inspector's rationale
    /// (recorded; never in the audit log's detail). They come back with their next assessment.
    ///
    /// # Errors
    /// Permission errors (inspectors); a blank rationale; a subject not in the cohort today;
    /// store errors.
    pub fn remove_from_beacon_cohort(
        &mut self,
        subject: NominalId,
        rationale: &str,
    ) -> Result<(), WorkbenchError> {
        self.require(Action::RemoveFromBeaconCohort)?;
        let rationale = text_checked(
            rationale,
            "the rationale is too long (at most 4,000 characters)",
        )?;
        if rationale.is_empty() {
            return Err(WorkbenchError::Refused(
                "say why the subject leaves the cohort: the rationale is recorded",
            ));
        }
        let today = self.today();
        let latest = self
            .cohort_unaudited(today)?
            .into_iter()
            .find(|entry| entry.subject == subject)
            .map(|entry| entry.assessment)
            .ok_or(WorkbenchError::Refused(
                "that nominal is not in the Beacon cohort",
            ))?;
        self.store.write(&self.actor(), |tx| {
            tx.insert_beacon_removal(subject, latest, today, &rationale)?;
            tx.audit(
                NewAuditEntry::new(AuditAction::CohortRemoval, format!("nominal:{}", subject.0))
                    .with_detail(serde_json::json!({ "cohort": "beacon" }).to_string()),
            )?;
            Ok(())
        })
    }

    /// Records whether `subject` (in the Beacon cohort) was referred to the IOPC: referred on
    /// `decided_on`, or not referred, with the reason. The PIB pack and the cohort show the
    /// latest.
    ///
    /// # Errors
    /// Permission errors (inspectors); not referred without a reason; a date in the future;
    /// a subject never assessed under Beacon; store errors.
    pub fn record_iopc_decision(
        &mut self,
        subject: NominalId,
        decision: &IopcDecision,
    ) -> Result<(), WorkbenchError> {
        self.require(Action::RecordIopcDecision)?;
        let reason = text_checked(
            &decision.reason,
            "the reason is too long (at most 4,000 characters)",
        )?;
        if !decision.referred && reason.is_empty() {
            return Err(WorkbenchError::Refused(
                "a decision not to refer to the IOPC needs its reason",
            ));
        }
        if decision.decided_on > self.today() {
            return Err(WorkbenchError::Refused(
                "the decision cannot be dated in the future",
            ));
        }
        if self
            .store
            .reader()
            .assessments_of(subject)?
            .iter()
            .all(|a| a.instrument != super::risk_ops::BEACON_INSTRUMENT)
        {
            return Err(WorkbenchError::Refused(
                "an IOPC decision is recorded for someone assessed under Beacon",
            ));
        }
        let decision = IopcDecision {
            reason,
            ..decision.clone()
        };
        self.store.write(&self.actor(), |tx| {
            tx.insert_iopc_decision(subject, &decision)?;
            tx.audit(
                NewAuditEntry::new(
                    AuditAction::IopcDecisionRecorded,
                    format!("nominal:{}", subject.0),
                )
                .with_detail(serde_json::json!({ "referred": decision.referred }).to_string()),
            )?;
            Ok(())
        })
    }

    /// Staff due a Beacon assessment: each the subject of an item in category sexual
    /// misconduct or sub-category abuse of authority for a sexual purpose received after their
    /// latest Beacon assessment (or never assessed), earliest such item first. A consultation,
    /// recorded.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn beacon_due(&mut self) -> Result<Vec<BeaconDue>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        self.store.write(&self.actor(), |tx| {
            let reader = tx.reader();
            let mut due = Vec::new();
            for (subject, item, received_on, last_assessed_on) in
                reader.beacon_due(super::risk_ops::BEACON_INSTRUMENT)?
            {
                let subject_name = reader.nominal(subject)?.map_or_else(
                    || format!("nominal {subject}"),
                    |n| n.details.display_name(),
                );
                due.push(BeaconDue {
                    subject,
                    subject_name,
                    item,
                    received_on,
                    last_assessed_on,
                });
            }
            tx.audit(
                NewAuditEntry::new(AuditAction::BeaconDueViewed, "cohort:beacon")
                    .with_detail(serde_json::json!({ "due": due.len() }).to_string()),
            )?;
            Ok(due)
        })
    }
}
