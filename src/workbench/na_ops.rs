//! The notifiable association register in the session: registering an association (declared
//! by the employee, or discovered by the CCU, in one step), changing it, recording its annual
//! review or closing it, lists with due and overdue reviews, and live counts by category.
//!
//! Registering also records the association in the link graph as a `declared_association`
//! link (when there is none yet), so the exposure finder treats it as known from then on.

use super::{Workbench, WorkbenchError};
use crate::domain::{
    Action, AuditAction, FieldError, InvalidRecord, IsoDate, LinkFields, NaChange, NaDraft,
    NaFilter, NaReview, NaRow, NaStatus, NaVersion, NewAuditEntry, NominalId, NominalKind,
    NotifiableAssociation, NotifiableAssociationId, Provenance, list,
};
use crate::store::StoreReader;
use std::collections::HashMap;

/// The link type that records a declared association in the graph (what the exposure finder
/// treats as explained).
pub const DECLARED_LINK_TYPE: &str = "declared_association";

/// The instrument an entry's linked assessment must come from.
const NA_INSTRUMENT: &str = "notifiable_association";

fn association_object(id: NotifiableAssociationId) -> String {
    format!("association:{id}")
}

fn invalid(field: &str, message: &str) -> WorkbenchError {
    InvalidRecord {
        what: "the notifiable association",
        errors: vec![FieldError::new(field, message)],
    }
    .into()
}

/// Checks that an assessment may be linked to an entry about `employee` and `associate`.
fn check_assessment(
    reader: StoreReader<'_>,
    assessment: crate::domain::AssessmentId,
    employee: NominalId,
    associate: NominalId,
) -> Result<(), WorkbenchError> {
    let record = reader
        .assessment(assessment)?
        .ok_or(WorkbenchError::NoSuchAssessment)?;
    if record.instrument != NA_INSTRUMENT {
        return Err(invalid(
            "assessment",
            "the assessment linked must be a notifiable association assessment",
        ));
    }
    if record.subject != employee && record.subject != associate {
        return Err(invalid(
            "assessment",
            "the assessment linked must be of the employee or the associate",
        ));
    }
    Ok(())
}

/// Display names of the entries' employees and associates, each read once.
fn names_of(
    reader: StoreReader<'_>,
    entries: &[NotifiableAssociation],
) -> Result<HashMap<NominalId, String>, WorkbenchError> {
    super::display_names(
        reader,
        entries.iter().flat_map(|e| [e.employee, e.associate]),
    )
}

fn row(entry: NotifiableAssociation, names: &HashMap<NominalId, String>, as_of: IsoDate) -> NaRow {
    let name = |id: NominalId| names.get(&id).cloned().unwrap_or_default();
    NaRow {
        employee_name: name(entry.employee),
        associate_name: name(entry.associate),
        due: entry.is_due(as_of),
        overdue: entry.is_overdue(as_of),
        record: entry,
    }
}

/// Registers `draft` in the open transaction, as [`Workbench::register_notifiable_association`]
/// and a register import both do (the caller has checked the draft, its category and its
/// date): the entry, its `declared_association` link when the graph has none (its source the
/// register file's import, or a register entry of its own when typed in), and the audit entry.
/// `None` when the pair has a live entry already (an import matches it; typed entry refuses).
pub(super) fn register_in(
    tx: &mut crate::store::StoreTx<'_>,
    draft: &NaDraft,
    (reference_version, directed): (u32, bool),
    register_file: Option<crate::domain::ImportId>,
) -> Result<Option<NotifiableAssociationId>, WorkbenchError> {
    let needs_link = {
        let reader = tx.reader();
        let employee = reader
            .nominal(draft.employee)?
            .ok_or(WorkbenchError::NoSuchNominal)?;
        let associate = reader
            .nominal(draft.associate)?
            .ok_or(WorkbenchError::NoSuchNominal)?;
        if employee.details.kind() != NominalKind::Employee {
            return Err(invalid("employee", "must be an employee nominal"));
        }
        if employee.merged_into.is_some() || associate.merged_into.is_some() {
            return Err(WorkbenchError::Refused(
                "a merged nominal cannot be registered; use the one it was merged into",
            ));
        }
        if reader
            .live_association(draft.employee, draft.associate)?
            .is_some()
        {
            return Ok(None);
        }
        if let Some(assessment) = draft.assessment {
            check_assessment(reader, assessment, draft.employee, draft.associate)?;
        }
        !reader
            .links_for_nominal(draft.employee)?
            .iter()
            .any(|link| {
                link.fields.link_type == DECLARED_LINK_TYPE
                    && (link.fields.from == draft.associate || link.fields.to == draft.associate)
            })
    };
    let link = if needs_link {
        let source = match register_file {
            Some(import) => import,
            None => tx.insert_import(
                "na_register",
                "notifiable association register",
                None,
                &serde_json::json!({ "origin": draft.origin.as_str() }).to_string(),
            )?,
        };
        let fields = LinkFields {
            link_type: DECLARED_LINK_TYPE.to_owned(),
            from: draft.employee,
            to: draft.associate,
            valid_from: Some(draft.declared_on),
            valid_to: None,
            confidence: String::from("confirmed"),
            provenance: vec![Provenance::Import { import_id: source }],
        };
        let link = tx.insert_link(&fields, directed, reference_version)?;
        if register_file.is_none() {
            tx.set_import_rows(source, 1)?;
        }
        Some(link)
    } else {
        None
    };
    let id = tx.insert_notifiable_association(draft, link)?;
    tx.audit(
        NewAuditEntry::new(AuditAction::AssociationRegistered, association_object(id)).with_detail(
            serde_json::json!({
                "employee": draft.employee.0,
                "associate": draft.associate.0,
                "category": draft.category,
                "origin": draft.origin.as_str(),
                "link": link.map(|l| l.0),
            })
            .to_string(),
        ),
    )?;
    Ok(Some(id))
}

impl Workbench {
    /// Registers an association as a live entry, first review a year on unless given. If the
    /// graph has no `declared_association` link between the two yet, one is added in the same
    /// transaction (provenance: the register), so the exposure finder stops reporting routes
    /// through that associate: this is how a discovered association becomes a register entry in
    /// one step. Audited by ids and codes only.
    ///
    /// # Errors
    /// [`WorkbenchError::Invalid`] naming the field (the employee is not an employee, an
    /// unknown category, a date in the future, an assessment that does not fit); the pair
    /// already has a live entry; permission errors; store errors.
    pub fn register_notifiable_association(
        &mut self,
        draft: &NaDraft,
    ) -> Result<NotifiableAssociation, WorkbenchError> {
        self.require(Action::RecordAssociations)?;
        InvalidRecord::check("the notifiable association", draft.validate())?;
        if !self
            .reference
            .is_current(list::NA_CATEGORY, &draft.category)
        {
            return Err(invalid(
                "category",
                "not a category of the current notifiable association list",
            ));
        }
        if draft.declared_on > self.today() {
            return Err(invalid("declared_on", "the date cannot be in the future"));
        }
        let reference_version = self.reference.version;
        let directed = self.reference.link_is_directed(DECLARED_LINK_TYPE);
        self.store.write(
            &self.actor(),
            |tx| -> Result<NotifiableAssociation, WorkbenchError> {
                let id = register_in(tx, draft, (reference_version, directed), None)?.ok_or(
                    WorkbenchError::Refused(
                        "this association already has a live entry in the register",
                    ),
                )?;
                tx.reader()
                    .notifiable_association(id)?
                    .ok_or(WorkbenchError::Refused("the new entry was not stored"))
            },
        )
    }

    /// Changes a live entry (conditions, category, linked assessment, the annual review, or
    /// closing it), keeping the previous version in its history. `expected_version`, when
    /// given, must be the version the change was made on (someone else's change in between is
    /// refused rather than overwritten). The audit entry names the kind of change, never text.
    ///
    /// # Errors
    /// No such entry; a stale version; [`WorkbenchError::Invalid`] naming the field; a closed
    /// entry; permission errors; store errors.
    pub fn change_notifiable_association(
        &mut self,
        id: NotifiableAssociationId,
        expected_version: Option<u32>,
        change: &NaChange,
    ) -> Result<NotifiableAssociation, WorkbenchError> {
        self.require(Action::RecordAssociations)?;
        if let NaChange::Category { category } = change
            && !self.reference.is_current(list::NA_CATEGORY, category)
        {
            return Err(invalid(
                "category",
                "not a category of the current notifiable association list",
            ));
        }
        self.store.write(
            &self.actor(),
            |tx| -> Result<NotifiableAssociation, WorkbenchError> {
                let previous = {
                    let reader = tx.reader();
                    let previous = reader
                        .notifiable_association(id)?
                        .ok_or(WorkbenchError::NoSuchAssociation)?;
                    if let NaChange::Assessment { assessment } = change {
                        check_assessment(
                            reader,
                            *assessment,
                            previous.employee,
                            previous.associate,
                        )?;
                    }
                    previous
                };
                if expected_version.is_some_and(|v| v != previous.version) {
                    return Err(WorkbenchError::Refused(
                        "the entry was changed by someone else since it was opened; open it again",
                    ));
                }
                let next = change.apply(&previous).map_err(|error| {
                    WorkbenchError::from(InvalidRecord {
                        what: "the notifiable association",
                        errors: vec![error],
                    })
                })?;
                tx.update_notifiable_association(&previous, &next, change.kind())?;
                if let NaChange::Reviewed {
                    reviewed_on,
                    next_due_on,
                    outcome,
                    rationale,
                    ..
                } = change
                {
                    tx.insert_na_review(
                        id,
                        *reviewed_on,
                        *outcome,
                        rationale,
                        (next.status == NaStatus::Live).then_some(*next_due_on),
                    )?;
                }
                tx.audit(
                    NewAuditEntry::new(AuditAction::AssociationChanged, association_object(id))
                        .with_detail(
                            serde_json::json!({
                                "change": change.kind(),
                                "version": previous.version + 1,
                                "outcome": match change {
                                    NaChange::Reviewed { outcome, .. } => Some(outcome.as_str()),
                                    _ => None,
                                },
                            })
                            .to_string(),
                        ),
                )?;
                tx.reader()
                    .notifiable_association(id)?
                    .ok_or(WorkbenchError::NoSuchAssociation)
            },
        )
    }

    /// The register entries `filter` selects on `as_of`, reviews soonest first, with both
    /// parties' names. Recorded as a consultation (how many entries, not who).
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn notifiable_associations(
        &mut self,
        filter: &NaFilter,
        as_of: IsoDate,
    ) -> Result<Vec<NaRow>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        self.store
            .write(&self.actor(), |tx| -> Result<Vec<NaRow>, WorkbenchError> {
                let reader = tx.reader();
                let mut entries: Vec<NotifiableAssociation> = reader
                    .notifiable_associations()?
                    .into_iter()
                    .filter(|entry| filter.matches(entry, as_of))
                    .collect();
                entries.sort_by_key(|e| (e.status, e.review_due_on, e.id));
                let names = names_of(reader, &entries)?;
                let rows: Vec<NaRow> = entries
                    .into_iter()
                    .map(|entry| row(entry, &names, as_of))
                    .collect();
                tx.audit(
                    NewAuditEntry::new(AuditAction::AssociationViewed, "register").with_detail(
                        serde_json::json!({
                            "entries": rows.len(),
                            "review": filter.review,
                            "status": filter.status,
                            "category": filter.category,
                            "employee": filter.employee.map(|e| e.0),
                        })
                        .to_string(),
                    ),
                )?;
                Ok(rows)
            })
    }

    /// One entry with its earlier versions, oldest first. Recorded as a consultation.
    ///
    /// # Errors
    /// No such entry; permission errors; store errors.
    pub fn notifiable_association(
        &mut self,
        id: NotifiableAssociationId,
        as_of: IsoDate,
    ) -> Result<(NaRow, Vec<NaVersion>), WorkbenchError> {
        self.require(Action::ViewNominals)?;
        self.store
            .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                let reader = tx.reader();
                let entry = reader
                    .notifiable_association(id)?
                    .ok_or(WorkbenchError::NoSuchAssociation)?;
                let history = reader.notifiable_association_history(id)?;
                let names = names_of(reader, std::slice::from_ref(&entry))?;
                tx.audit(NewAuditEntry::new(
                    AuditAction::AssociationViewed,
                    association_object(id),
                ))?;
                Ok((row(entry, &names, as_of), history))
            })
    }

    /// An entry's annual reviews, oldest first: when, by whom, the outcome and the rationale.
    /// A consultation, recorded.
    ///
    /// # Errors
    /// No such entry; permission errors (a purpose is required); store errors.
    pub fn association_reviews(
        &mut self,
        id: NotifiableAssociationId,
    ) -> Result<Vec<NaReview>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        self.store.write(&self.actor(), |tx| {
            if tx.reader().notifiable_association(id)?.is_none() {
                return Err(WorkbenchError::NoSuchAssociation);
            }
            let reviews = tx.reader().na_reviews(id)?;
            tx.audit(
                NewAuditEntry::new(AuditAction::AssociationViewed, association_object(id))
                    .with_detail(serde_json::json!({ "reviews": reviews.len() }).to_string()),
            )?;
            Ok(reviews)
        })
    }

    /// Live entries by relationship code, largest first (`not_recorded` for entries made
    /// without one; codes only: no one is named).
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn association_counts_by_relationship(
        &mut self,
    ) -> Result<Vec<(String, usize)>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        Ok(self
            .store
            .reader()
            .live_association_counts_by_relationship()?)
    }

    /// Live entries by `na_category` code, largest first (codes only: no one is named).
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn association_counts(&mut self) -> Result<Vec<(String, usize)>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        Ok(self.store.reader().live_association_counts()?)
    }
}
