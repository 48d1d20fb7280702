//! Recording, reading and merging nominals, with duplicate suggestions.

use super::{Workbench, WorkbenchError};
use crate::domain::duplicates;
use crate::domain::{
    Action, AuditAction, DuplicateMatch, IntelRow, InvalidRecord, Link, NewAuditEntry, Nominal,
    NominalDetails, NominalId,
};
use serde::Serialize;

/// Region used to read national phone numbers.
pub const DEFAULT_PHONE_REGION: &str = "GB";

/// How many candidates a duplicate check compares at most.
const DUPLICATE_CANDIDATES: usize = 2_000;

/// A nominal with what the profile shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NominalProfile {
    pub nominal: Nominal,
    pub links: Vec<Link>,
    /// Items that concern the nominal, newest first, with its role in each.
    pub items: Vec<(IntelRow, String)>,
    /// Names of the nominals at the other end of each link.
    pub linked_names: Vec<(NominalId, String)>,
    /// The ids force systems give it (`rms` `P187`), from the extracts it came in.
    pub external_ids: Vec<crate::store::ExternalId>,
}

fn nominal_object(id: NominalId) -> String {
    format!("nominal:{id}")
}

impl Workbench {
    fn checked_details(
        &self,
        mut details: NominalDetails,
    ) -> Result<NominalDetails, WorkbenchError> {
        if let Err(error) = details.normalise(DEFAULT_PHONE_REGION) {
            return Err(InvalidRecord {
                what: "the nominal",
                errors: vec![error],
            }
            .into());
        }
        InvalidRecord::check(
            "the nominal",
            details.validate(&self.reference, self.today()),
        )?;
        Ok(details)
    }

    fn find_duplicates(
        &self,
        details: &NominalDetails,
        except: Option<NominalId>,
    ) -> Result<Vec<DuplicateMatch>, WorkbenchError> {
        if details.person_name().is_none() {
            return Ok(Vec::new());
        }
        let candidates = self
            .store
            .reader()
            .duplicate_candidates(details, DUPLICATE_CANDIDATES)?;
        let mut matches: Vec<DuplicateMatch> = candidates
            .iter()
            .filter(|c| Some(c.id) != except)
            .filter_map(|c| duplicates::compare(details, c.id, &c.details))
            .collect();
        matches.sort_by(|a, b| b.score.total_cmp(&a.score));
        matches.truncate(10);
        Ok(matches)
    }

    /// Likely duplicates of a person or employee about to be recorded, each with its reasons.
    /// Recorded as a consultation (it shows who is already known).
    ///
    /// # Errors
    /// Validation, permission (a purpose is required) or store errors.
    pub fn check_duplicates(
        &mut self,
        details: NominalDetails,
    ) -> Result<Vec<DuplicateMatch>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        let details = self.checked_details(details)?;
        let matches = self.find_duplicates(&details, None)?;
        let detail =
            serde_json::json!({ "kind": details.kind().as_str(), "matches": matches.len() });
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::DuplicatesChecked, "nominals")
                    .with_detail(detail.to_string()),
            )
        })?;
        Ok(matches)
    }

    /// Records a nominal. For a person or employee with likely duplicates, nothing is written
    /// unless `allow_duplicates` is set: the matches come back in
    /// [`WorkbenchError::PossibleDuplicates`] for the detective to check (the check itself is
    /// recorded).
    ///
    /// # Errors
    /// Validation errors; a taken identifier; possible duplicates; permission errors.
    pub fn create_nominal(
        &mut self,
        details: NominalDetails,
        allow_duplicates: bool,
    ) -> Result<Nominal, WorkbenchError> {
        self.require(Action::RecordNominals)?;
        let details = self.checked_details(details)?;
        if !allow_duplicates {
            let matches = self.find_duplicates(&details, None)?;
            if !matches.is_empty() {
                let detail = serde_json::json!({ "kind": details.kind().as_str(), "matches": matches.len() });
                self.store.write(&self.actor(), |tx| {
                    tx.audit(
                        NewAuditEntry::new(AuditAction::DuplicatesChecked, "nominals")
                            .with_detail(detail.to_string()),
                    )
                })?;
                return Err(WorkbenchError::PossibleDuplicates(matches));
            }
        }
        self.store.write(&self.actor(), |tx| -> Result<Nominal, WorkbenchError> {
            let id = tx.insert_nominal(&details)?;
            tx.audit(
                NewAuditEntry::new(AuditAction::NominalCreated, nominal_object(id)).with_detail(
                    serde_json::json!({ "kind": details.kind().as_str(), "duplicates_confirmed": allow_duplicates })
                        .to_string(),
                ),
            )?;
            tx.reader().nominal(id)?.ok_or(WorkbenchError::NoSuchNominal)
        })
    }

    /// Replaces a nominal's details; the previous version stays in its history.
    ///
    /// # Errors
    /// Validation, identifier clash, permission or store errors.
    pub fn update_nominal(
        &mut self,
        id: NominalId,
        details: NominalDetails,
    ) -> Result<Nominal, WorkbenchError> {
        self.require(Action::RecordNominals)?;
        let details = self.checked_details(details)?;
        self.store
            .write(&self.actor(), |tx| -> Result<Nominal, WorkbenchError> {
                let previous = tx
                    .reader()
                    .nominal(id)?
                    .ok_or(WorkbenchError::NoSuchNominal)?;
                if previous.merged_into.is_some() {
                    return Err(WorkbenchError::Refused(
                        "a merged nominal cannot be edited; edit the one it was merged into",
                    ));
                }
                if previous.details.kind() != details.kind() {
                    return Err(WorkbenchError::Refused("a nominal cannot change kind"));
                }
                tx.update_nominal(&previous, &details)?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::NominalEdited, nominal_object(id)).with_detail(
                        serde_json::json!({ "version": previous.version + 1 }).to_string(),
                    ),
                )?;
                tx.reader()
                    .nominal(id)?
                    .ok_or(WorkbenchError::NoSuchNominal)
            })
    }

    /// A nominal's profile: details, links and the items that concern it. Recorded as a
    /// consultation.
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchNominal`]; permission errors (a purpose is required).
    pub fn view_nominal(&mut self, id: NominalId) -> Result<NominalProfile, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        let viewer = self.user.id;
        let hidden = self.store.reader().hidden_items(viewer)?;
        let hidden_links = self.store.reader().links_only_from(&hidden)?;
        self.store.write(
            &self.actor(),
            |tx| -> Result<NominalProfile, WorkbenchError> {
                let reader = tx.reader();
                let nominal = reader.nominal(id)?.ok_or(WorkbenchError::NoSuchNominal)?;
                let links: Vec<_> = reader
                    .links_for_nominal(id)?
                    .into_iter()
                    .filter(|link| !hidden_links.contains(&link.id))
                    .collect();
                let items = reader.items_for_nominal(id, 500, viewer)?;
                let mut linked_names = Vec::new();
                for link in &links {
                    let other = if link.fields.from == id {
                        link.fields.to
                    } else {
                        link.fields.from
                    };
                    if let Some(other_nominal) = reader.nominal(other)? {
                        linked_names.push((other, other_nominal.details.display_name()));
                    }
                }
                let external_ids = reader.external_ids_of(id)?;
                tx.audit(NewAuditEntry::new(
                    AuditAction::NominalViewed,
                    nominal_object(id),
                ))?;
                Ok(NominalProfile {
                    nominal,
                    links,
                    items,
                    linked_names,
                    external_ids,
                })
            },
        )
    }

    /// Earlier versions of a nominal (a merge adds one to each side).
    ///
    /// # Errors
    /// Permission or store errors.
    pub fn nominal_history(
        &mut self,
        id: NominalId,
    ) -> Result<Vec<crate::store::NominalVersion>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        self.store
            .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                tx.audit(
                    NewAuditEntry::new(AuditAction::NominalViewed, nominal_object(id))
                        .with_detail(r#"{"history":true}"#),
                )?;
                Ok(tx.reader().nominal_history(id)?)
            })
    }

    /// Merges `merged` into `kept` (inspectors): items, links and provenance move to `kept`;
    /// `merged` keeps its history and points at `kept`.
    ///
    /// # Errors
    /// Permission errors; either nominal missing or already merged; different kinds.
    pub fn merge_nominals(
        &mut self,
        kept: NominalId,
        merged: NominalId,
    ) -> Result<Nominal, WorkbenchError> {
        self.require(Action::MergeNominals)?;
        if kept == merged {
            return Err(WorkbenchError::Refused(
                "a nominal cannot be merged into itself",
            ));
        }
        self.store
            .write(&self.actor(), |tx| -> Result<Nominal, WorkbenchError> {
                let reader = tx.reader();
                let keep = reader.nominal(kept)?.ok_or(WorkbenchError::NoSuchNominal)?;
                let gone = reader
                    .nominal(merged)?
                    .ok_or(WorkbenchError::NoSuchNominal)?;
                if keep.merged_into.is_some() || gone.merged_into.is_some() {
                    return Err(WorkbenchError::Refused(
                        "one of the nominals has already been merged",
                    ));
                }
                if keep.details.kind() != gone.details.kind() {
                    return Err(WorkbenchError::Refused(
                        "only nominals of the same kind can be merged",
                    ));
                }
                tx.merge_nominals(&keep, &gone)?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::NominalsMerged, nominal_object(kept))
                        .with_detail(serde_json::json!({ "merged": merged.0 }).to_string()),
                )?;
                tx.reader()
                    .nominal(kept)?
                    .ok_or(WorkbenchError::NoSuchNominal)
            })
    }
}
