//! Management interventions in the session: proposing one on assessed intelligence, each step
//! of its lifecycle (checked by `domain::check_step`: four eyes, written rationale,
//! preconditions), the lists inspectors and proposers work from, counts for reports, and the
//! printable authorisation record, an audited disclosure.

use super::{Workbench, WorkbenchError};
use crate::domain::{
    Action, AuditAction, FieldError, INITIAL_STATUS, InterventionId, InterventionOutcome,
    InterventionProposal, InterventionState, InterventionStep, InterventionView, InvalidRecord,
    ItemId, ManagementIntervention, NewAuditEntry, NominalKind, apply_step,
    check_decider_independent, check_step, list,
};
use crate::store::now_utc_rfc3339;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

fn intervention_object(id: InterventionId) -> String {
    format!("intervention:{id}")
}

fn invalid(field: String, message: &str) -> WorkbenchError {
    InvalidRecord {
        what: "the intervention",
        errors: vec![FieldError::new(field, message)],
    }
    .into()
}

/// An employee's type code (`officer`, `staff`, ...); empty for any other nominal.
fn employee_type_of(details: &crate::domain::NominalDetails) -> String {
    match details {
        crate::domain::NominalDetails::Employee { employee_type, .. } => employee_type.clone(),
        _ => String::new(),
    }
}

/// Interventions counted for reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InterventionCounts {
    pub by_state: BTreeMap<String, usize>,
    pub by_outcome: BTreeMap<String, usize>,
    pub by_category: BTreeMap<String, usize>,
}

impl Workbench {
    /// Proposes an intervention: the subject must be an employee, every item must exist and be
    /// past `received` (assessed), the category a current corruption category, every
    /// precondition answered, and the proposed date not before today. Audited by ids only.
    ///
    /// # Errors
    /// [`WorkbenchError::Invalid`] naming the field; permission errors; store errors.
    pub fn propose_intervention(
        &mut self,
        proposal: &InterventionProposal,
    ) -> Result<ManagementIntervention, WorkbenchError> {
        self.require(Action::RecordIntervention)?;
        let mut errors = proposal.validate();
        errors.extend(proposal.check_proposed_date(self.today()));
        InvalidRecord::check("the intervention", errors)?;
        if !self
            .reference
            .is_current(list::CORRUPTION_CATEGORY, &proposal.category)
        {
            return Err(invalid(
                String::from("category"),
                "not a current corruption category",
            ));
        }
        self.store.write(
            &self.actor(),
            |tx| -> Result<ManagementIntervention, WorkbenchError> {
                let items = {
                    let reader = tx.reader();
                    let subject = reader
                        .nominal(proposal.subject)?
                        .ok_or(WorkbenchError::NoSuchNominal)?;
                    if subject.details.kind() != NominalKind::Employee
                        || subject.merged_into.is_some()
                    {
                        return Err(invalid(
                            String::from("subject"),
                            "must be an employee nominal (not merged)",
                        ));
                    }
                    let mut items: Vec<ItemId> = Vec::new();
                    for (index, reference) in proposal.items.iter().enumerate() {
                        let field = format!("items[{index}]");
                        let item = reader
                            .item_by_reference(reference.trim())?
                            .ok_or_else(|| invalid(field.clone(), "no item has that reference"))?;
                        super::intel_ops::check_visible(reader, &item, tx.actor_user())?;
                        if item.status == INITIAL_STATUS {
                            return Err(invalid(
                                field,
                                "the item has not been assessed yet (it is still received)",
                            ));
                        }
                        // An intervention answers intelligence about the employee: an item in
                        // which they are a witness, a victim or merely mentioned cannot ground it.
                        if !item
                            .fields
                            .subjects
                            .iter()
                            .any(|s| s.nominal_id == proposal.subject && s.role == "subject")
                        {
                            return Err(invalid(
                                field,
                                "the employee is not a subject of this item",
                            ));
                        }
                        items.push(item.id);
                    }
                    // "No criminal or misconduct proceedings" cannot be answered yes while an
                    // item concerning the employee is under investigation, unless the
                    // intervention rests on that item: then it is how the investigation ends
                    // (reference data v2 lets an item move from investigation to management
                    // intervention).
                    let preconditions = &proposal.preconditions;
                    let claims_no_proceedings = preconditions.no_criminal_proceedings == Some(true)
                        || preconditions.no_misconduct_proceedings == Some(true);
                    if claims_no_proceedings {
                        let viewer = tx.actor_user().unwrap_or(crate::domain::UserId(0));
                        if let Some((row, _)) = reader
                            .items_for_nominal(proposal.subject, 10_000, viewer)?
                            .into_iter()
                            .find(|(row, _)| {
                                row.status == "investigation"
                                    && !proposal.items.iter().any(|r| r.trim() == row.reference)
                            })
                        {
                            let field = if preconditions.no_criminal_proceedings == Some(true) {
                                "preconditions.no_criminal_proceedings"
                            } else {
                                "preconditions.no_misconduct_proceedings"
                            };
                            return Err(invalid(
                                String::from(field),
                                &format!(
                                    "item {} concerning the employee is under investigation",
                                    row.reference
                                ),
                            ));
                        }
                    }
                    items
                };
                let id = tx.insert_intervention(proposal, &items)?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::InterventionProposed, intervention_object(id))
                        .with_detail(
                            serde_json::json!({
                                "subject": proposal.subject.0,
                                "items": items.iter().map(|i| i.0).collect::<Vec<_>>(),
                                "category": proposal.category,
                            })
                            .to_string(),
                        ),
                )?;
                tx.reader()
                    .intervention(id)?
                    .ok_or(WorkbenchError::NoSuchIntervention)
            },
        )
    }

    /// Takes one step of an intervention's lifecycle. Deciding needs
    /// [`Action::DecideIntervention`] (inspectors), never by the proposer, always with a
    /// rationale; authorising needs every precondition met. `expected_version`, when given,
    /// must be the version the step was chosen on. The audit entry names the step and the
    /// states, never the text.
    ///
    /// # Errors
    /// [`WorkbenchError::Step`] with the reason; permission errors; store errors.
    pub fn take_intervention_step(
        &mut self,
        id: InterventionId,
        expected_version: Option<u32>,
        step: &InterventionStep,
    ) -> Result<ManagementIntervention, WorkbenchError> {
        match step {
            InterventionStep::Authorise { .. } | InterventionStep::Decline { .. } => {
                self.require(Action::DecideIntervention)?;
            }
            _ => self.require(Action::RecordIntervention)?,
        }
        let (actor, role) = (self.user.id, self.user.role);
        let credentials_set_by = self.store.grant_check()?.credentials_set_by(actor);
        let rules = self.reference.clone();
        self.store.write(
            &self.actor(),
            |tx| -> Result<ManagementIntervention, WorkbenchError> {
                let previous = tx
                    .reader()
                    .intervention(id)?
                    .ok_or(WorkbenchError::NoSuchIntervention)?;
                if expected_version.is_some_and(|v| v != previous.version) {
                    return Err(WorkbenchError::Refused(
                        "the intervention was changed by someone else since it was opened; open it again",
                    ));
                }
                let to = check_step(&previous, actor, role, step)?;
                if let InterventionStep::RecordOutcome { outcome } = step {
                    let employee_type = tx
                        .reader()
                        .nominal(previous.proposal.subject)?
                        .map(|n| employee_type_of(&n.details))
                        .unwrap_or_default();
                    if !outcome.outcome.applies_to(&employee_type) {
                        return Err(invalid(
                            String::from("outcome"),
                            "reflective practice applies to police officers and special constables only",
                        ));
                    }
                }
                check_decider_independent(&previous, step, &credentials_set_by)?;
                let next = apply_step(&previous, actor, step, to, &now_utc_rfc3339());
                tx.update_intervention(&previous, &next)?;
                if to == InterventionState::Authorised {
                    move_items_to_intervention(tx, &rules, &previous)?;
                }
                tx.audit(
                    NewAuditEntry::new(AuditAction::InterventionStepTaken, intervention_object(id))
                        .with_detail(
                            serde_json::json!({
                                "step": step.kind(),
                                "from": previous.state.as_str(),
                                "to": to.as_str(),
                                "version": next.version,
                            })
                            .to_string(),
                        ),
                )?;
                Ok(next)
            },
        )
    }

    fn view_of(
        &self,
        intervention: ManagementIntervention,
    ) -> Result<InterventionView, WorkbenchError> {
        let reader = self.store.reader();
        let subject = reader.nominal(intervention.proposal.subject)?;
        let subject_name = subject.as_ref().map_or_else(
            || String::from("an employee no longer on record"),
            |n| n.details.display_name(),
        );
        let subject_employee_type = subject
            .map(|n| employee_type_of(&n.details))
            .unwrap_or_default();
        let names = reader.user_names()?;
        let user_names = intervention
            .history
            .iter()
            .map(|h| h.by)
            .chain(std::iter::once(intervention.proposed_by))
            .filter_map(|u| names.get(&u).map(|n| (u.0, n.clone())))
            .collect();
        Ok(InterventionView {
            intervention,
            subject_name,
            subject_employee_type,
            user_names,
        })
    }

    /// Interventions (in `state`, if given), newest first. Recorded as a consultation.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn interventions(
        &mut self,
        state: Option<InterventionState>,
    ) -> Result<Vec<InterventionView>, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        let list = self.store.reader().interventions(state)?;
        let views = list
            .into_iter()
            .map(|i| self.view_of(i))
            .collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<i64> = views.iter().map(|v| v.intervention.id.0).collect();
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::InterventionViewed, "interventions").with_detail(
                    serde_json::json!({ "state": state.map(InterventionState::as_str), "interventions": ids })
                        .to_string(),
                ),
            )
        })?;
        Ok(views)
    }

    /// One intervention with its history. Recorded as a consultation.
    ///
    /// # Errors
    /// No such intervention; permission errors; store errors.
    pub fn intervention(&mut self, id: InterventionId) -> Result<InterventionView, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        let intervention = self
            .store
            .reader()
            .intervention(id)?
            .ok_or(WorkbenchError::NoSuchIntervention)?;
        let view = self.view_of(intervention)?;
        self.store.write(&self.actor(), |tx| {
            tx.audit(NewAuditEntry::new(
                AuditAction::InterventionViewed,
                intervention_object(id),
            ))
        })?;
        Ok(view)
    }

    /// How many proposals wait for this user's decision: for an inspector, those proposed by
    /// someone else; for anyone else, none. Reads ids and states only (shown at login, before a
    /// purpose is set), so it is not a consultation.
    ///
    /// # Errors
    /// Store errors.
    pub fn interventions_awaiting_my_decision(&self) -> Result<usize, WorkbenchError> {
        if !Action::DecideIntervention.is_permitted_for(self.user.role) {
            return Ok(0);
        }
        Ok(self
            .store
            .reader()
            .interventions(Some(InterventionState::Proposed))?
            .iter()
            .filter(|i| i.proposed_by != self.user.id)
            .count())
    }

    /// Interventions counted by state, outcome and category (codes only).
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn intervention_counts(&mut self) -> Result<InterventionCounts, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        let mut counts = InterventionCounts::default();
        for intervention in self.store.reader().interventions(None)? {
            *counts
                .by_state
                .entry(intervention.state.as_str().to_owned())
                .or_default() += 1;
            if let Some(outcome) = &intervention.outcome {
                *counts
                    .by_outcome
                    .entry(outcome.outcome.as_str().to_owned())
                    .or_default() += 1;
            }
            *counts
                .by_category
                .entry(intervention.proposal.category.clone())
                .or_default() += 1;
        }
        Ok(counts)
    }

    /// Writes an intervention's authorisation record as a self-contained HTML page to `out`
    /// (which must not exist): references, preconditions, decision and rationale, meeting,
    /// outcome and every step. A disclosure, recorded with the purpose, size and SHA-256.
    ///
    /// # Errors
    /// No such intervention; permission errors (a purpose is required); `out` exists; I/O and
    /// store errors.
    pub fn export_intervention(
        &mut self,
        id: InterventionId,
        out: &Path,
    ) -> Result<(), WorkbenchError> {
        self.require(Action::ExportList)?;
        let intervention = self
            .store
            .reader()
            .intervention(id)?
            .ok_or(WorkbenchError::NoSuchIntervention)?;
        let view = self.view_of(intervention)?;
        let category = self
            .reference
            .label(
                list::CORRUPTION_CATEGORY,
                &view.intervention.proposal.category,
            )
            .to_owned();
        let mut handling = Vec::new();
        for reference in &view.intervention.proposal.items {
            let reader = self.store.reader();
            if let Some(item) = reader.item_by_reference(reference)?
                && super::intel_ops::check_visible(reader, &item, Some(self.user.id)).is_ok()
            {
                handling.push(crate::io::intervention_html::ItemHandling {
                    reference: item.reference,
                    handling_code: item.fields.grading.handling_code,
                    conditions: item.fields.grading.handling_conditions,
                });
            }
        }
        // The record names the items it rests on: the disclosure records which.
        let extra = serde_json::json!({
            "items": view.intervention.proposal.items,
        });
        let mut content = Vec::new();
        crate::io::intervention_html::write_record(&view, &category, &handling, &mut content)
            .map_err(|e| crate::store::StoreError::io("write", "the output file", e))?;
        let object = intervention_object(id);
        self.disclose_bytes(
            out,
            super::disclosure::Disclosure {
                action: AuditAction::InterventionExported,
                object: &object,
                format: Some("html"),
                extra: Some(&extra),
            },
            &content,
        )
    }
}

/// The status an item moves to when an intervention resting on it is authorised.
const INTERVENTION_STATUS: &str = "management_intervention";

/// Authorising an intervention moves each item it rests on to `management_intervention` (seed
/// 001 s4.9.2: the intervention is how the unit acts on intelligence it cannot develop further),
/// recorded in the item's history and the audit log with the intervention's id. An item already
/// there stays; one whose status the reference data does not let move there refuses the
/// authorisation, naming the item, and nothing changes.
fn move_items_to_intervention(
    tx: &mut crate::store::StoreTx<'_>,
    rules: &crate::domain::ReferenceData,
    intervention: &ManagementIntervention,
) -> Result<(), WorkbenchError> {
    for (index, reference) in intervention.proposal.items.iter().enumerate() {
        let item = tx
            .reader()
            .item_by_reference(reference.trim())?
            .ok_or(WorkbenchError::NoSuchItem)?;
        if item.status == INTERVENTION_STATUS {
            continue;
        }
        if !rules.transition_allowed(&item.status, INTERVENTION_STATUS) {
            return Err(crate::domain::StepRefused::Invalid(FieldError::new(
                format!("items[{index}]"),
                format!(
                    "item {} is now {}: it cannot move to management intervention, so the \
                     intervention cannot be authorised on it",
                    item.reference,
                    rules.label(list::INTEL_STATUS, &item.status).to_lowercase()
                ),
            ))
            .into());
        }
        let change = format!(
            "status {} -> {INTERVENTION_STATUS}: management intervention {} authorised",
            item.status, intervention.id.0
        );
        tx.set_item_status(&item, INTERVENTION_STATUS, &change)?;
        tx.audit(
            NewAuditEntry::new(
                AuditAction::ItemStatusChanged,
                format!("item:{}", item.reference),
            )
            .with_detail(
                serde_json::json!({
                    "from": item.status,
                    "to": INTERVENTION_STATUS,
                    "intervention": intervention.id.0,
                })
                .to_string(),
            ),
        )?;
    }
    Ok(())
}

/// The outcome codes, for forms and command lines.
#[must_use]
pub fn outcome_from_code(code: &str) -> Option<InterventionOutcome> {
    InterventionOutcome::ALL
        .into_iter()
        .find(|o| o.as_str() == code)
}
