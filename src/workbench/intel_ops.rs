//! Recording, editing, reading and listing intelligence items.

use super::{Workbench, WorkbenchError};
use crate::domain::{
    Action, AuditAction, INITIAL_STATUS, IntelItem, IntelItemFields, IntelItemVersion, IntelQuery,
    IntelRow, InvalidRecord, NewAuditEntry, NominalId, UserId, changed_fields, list,
};
use crate::store::AttachmentInfo;

/// An item as its reader sees it: the item, its attachments (names and sizes, no content),
/// and the names to show beside the ids it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemView {
    pub item: IntelItem,
    pub attachments: Vec<AttachmentInfo>,
    /// Every user's id and name, sorted (owners and authors are colleagues in the unit).
    pub user_names: Vec<(UserId, String)>,
    /// The display names of the item's subjects; a nominal no longer stored is left out.
    pub subject_names: Vec<(NominalId, String)>,
}

/// Most rows one page request may return.
pub const MAX_PAGE_ROWS: usize = 5_000;

/// The item with `reference`, or [`WorkbenchError::NoSuchItem`]; for a `viewer` not on a
/// restricted item's list, [`WorkbenchError::RestrictedItem`] (its reference and nothing else).
pub(super) fn existing_item(
    reader: crate::store::StoreReader<'_>,
    reference: &str,
    viewer: Option<crate::domain::UserId>,
) -> Result<IntelItem, WorkbenchError> {
    let item = reader
        .item_by_reference(reference)?
        .ok_or(WorkbenchError::NoSuchItem)?;
    check_visible(reader, &item, viewer)?;
    Ok(item)
}

/// Refuses an item restricted to a list `viewer` is not on.
pub(super) fn check_visible(
    reader: crate::store::StoreReader<'_>,
    item: &IntelItem,
    viewer: Option<crate::domain::UserId>,
) -> Result<(), WorkbenchError> {
    if let Some(users) = reader.item_restriction(item.id)?
        && !viewer.is_some_and(|viewer| users.contains(&viewer))
    {
        return Err(WorkbenchError::RestrictedItem {
            reference: item.reference.clone(),
        });
    }
    Ok(())
}

fn item_object(reference: &str) -> String {
    format!("item:{reference}")
}

impl Workbench {
    /// Records a new item in status `received`, owned by `owner` (default: the recorder).
    /// Validated against the current reference data; nothing is written if any field is wrong.
    ///
    /// # Errors
    /// [`WorkbenchError::Invalid`] with every field problem; a subject that does not exist;
    /// permission errors.
    pub fn create_item(
        &mut self,
        fields: &IntelItemFields,
        owner: Option<UserId>,
    ) -> Result<IntelItem, WorkbenchError> {
        self.require(Action::RecordIntelligence)?;
        let today = self.today();
        InvalidRecord::check(
            "the intelligence item",
            fields.validate(&self.reference, today),
        )?;
        let owner = owner.unwrap_or(self.user.id);
        let version = self.reference.version;
        let item = self
            .store
            .write(&self.actor(), |tx| -> Result<IntelItem, WorkbenchError> {
                let (id, reference) =
                    tx.insert_item(fields, version, INITIAL_STATUS, owner, today.year())?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::ItemCreated, item_object(&reference))
                        .with_detail(
                            serde_json::json!({ "id": id.0, "reference_version": version })
                                .to_string(),
                        ),
                )?;
                tx.reader().item(id)?.ok_or(WorkbenchError::NoSuchItem)
            })?;
        Ok(item)
    }

    /// Reads an item, recording the consultation with the session's purpose.
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchItem`]; permission errors (a purpose is required).
    pub fn view_item(&mut self, reference: &str) -> Result<IntelItem, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        let result = self
            .store
            .write(&self.actor(), |tx| -> Result<IntelItem, WorkbenchError> {
                let item = existing_item(tx.reader(), reference, tx.actor_user())?;
                tx.audit(NewAuditEntry::new(
                    AuditAction::ItemViewed,
                    item_object(&item.reference),
                ))?;
                Ok(item)
            });
        self.noting_refusal(result)
    }

    /// Reads an item with what is shown beside it: its attachments, the users' names and its
    /// subjects' names, all read in one transaction with the consultation's record (one
    /// `item.view` entry, as [`Workbench::view_item`]).
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchItem`]; permission errors (`ViewIntelligence`, a purpose is
    /// required); store errors (none is swallowed).
    pub fn view_item_with_context(&mut self, reference: &str) -> Result<ItemView, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        let result = self
            .store
            .write(&self.actor(), |tx| -> Result<ItemView, WorkbenchError> {
                let item = existing_item(tx.reader(), reference, tx.actor_user())?;
                tx.audit(NewAuditEntry::new(
                    AuditAction::ItemViewed,
                    item_object(&item.reference),
                ))?;
                let reader = tx.reader();
                let attachments = reader.attachments(item.id)?;
                let mut user_names: Vec<_> = reader.user_names()?.into_iter().collect();
                user_names.sort();
                let mut subject_names = Vec::with_capacity(item.fields.subjects.len());
                for subject in &item.fields.subjects {
                    if let Some(nominal) = reader.nominal(subject.nominal_id)? {
                        subject_names.push((subject.nominal_id, nominal.details.display_name()));
                    }
                }
                Ok(ItemView {
                    item,
                    attachments,
                    user_names,
                    subject_names,
                })
            });
        self.noting_refusal(result)
    }

    /// Replaces an item's fields. The previous version stays readable in the history; the
    /// item is re-graded under the current reference data.
    ///
    /// # Errors
    /// [`WorkbenchError::Invalid`]; [`WorkbenchError::NoSuchItem`]; a concurrent edit.
    pub fn update_item(
        &mut self,
        reference: &str,
        fields: &IntelItemFields,
    ) -> Result<IntelItem, WorkbenchError> {
        self.require(Action::RecordIntelligence)?;
        InvalidRecord::check(
            "the intelligence item",
            fields.validate(&self.reference, self.today()),
        )?;
        let version = self.reference.version;
        self.store
            .write(&self.actor(), |tx| -> Result<IntelItem, WorkbenchError> {
                let previous = existing_item(tx.reader(), reference, tx.actor_user())?;
                let changed = changed_fields(&previous.fields, fields);
                if changed.is_empty() {
                    return Ok(previous);
                }
                let change = format!("edited: {}", changed.join(", "));
                tx.update_item(&previous, fields, version, &change)?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::ItemEdited, item_object(&previous.reference))
                        .with_detail(
                        serde_json::json!({ "version": previous.version + 1, "changed": changed })
                            .to_string(),
                    ),
                )?;
                tx.reader()
                    .item(previous.id)?
                    .ok_or(WorkbenchError::NoSuchItem)
            })
    }

    /// Moves an item to a new status, if the reference data allows that transition, with the
    /// reason recorded in its history and the audit log.
    ///
    /// # Errors
    /// [`WorkbenchError::IllegalTransition`] naming the allowed next statuses; an empty reason.
    pub fn change_item_status(
        &mut self,
        reference: &str,
        to: &str,
        reason: &str,
    ) -> Result<IntelItem, WorkbenchError> {
        self.require(Action::RecordIntelligence)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(InvalidRecord {
                what: "the status change",
                errors: vec![crate::domain::FieldError::new(
                    "reason",
                    "is empty: say why the status changes",
                )],
            }
            .into());
        }
        let rules = self.reference.clone();
        self.store
            .write(&self.actor(), |tx| -> Result<IntelItem, WorkbenchError> {
                let previous = existing_item(tx.reader(), reference, tx.actor_user())?;
                if !rules.transition_allowed(&previous.status, to) {
                    let allowed = rules.next_statuses(&previous.status);
                    return Err(WorkbenchError::IllegalTransition {
                        from: previous.status.clone(),
                        to: to.to_owned(),
                        allowed: if allowed.is_empty() {
                            String::from("none (final status)")
                        } else {
                            allowed.join(", ")
                        },
                    });
                }
                let change = format!("status {} -> {to}: {reason}", previous.status);
                tx.set_item_status(&previous, to, &change)?;
                tx.audit(
                    NewAuditEntry::new(
                        AuditAction::ItemStatusChanged,
                        item_object(&previous.reference),
                    )
                    .with_detail(
                        serde_json::json!({ "from": previous.status, "to": to, "reason": reason })
                            .to_string(),
                    ),
                )?;
                tx.reader()
                    .item(previous.id)?
                    .ok_or(WorkbenchError::NoSuchItem)
            })
    }

    /// Every earlier version of an item, oldest first (who changed what, and when).
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchItem`]; permission errors.
    pub fn item_history(
        &mut self,
        reference: &str,
    ) -> Result<Vec<IntelItemVersion>, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        self.store.write(
            &self.actor(),
            |tx| -> Result<Vec<IntelItemVersion>, WorkbenchError> {
                let item = existing_item(tx.reader(), reference, tx.actor_user())?;
                tx.audit(NewAuditEntry::new(
                    AuditAction::ItemHistoryViewed,
                    item_object(&item.reference),
                ))?;
                Ok(tx.reader().item_history(item.id)?)
            },
        )
    }

    /// How many items match a query's filters (no content read, not audited).
    ///
    /// # Errors
    /// Permission or store errors.
    pub fn intel_count(&mut self, query: &IntelQuery) -> Result<u64, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        Ok(self.store.reader().intel_count(query, self.user.id)?)
    }

    /// A page of the log. A new query (filters or order) is recorded as one consultation;
    /// further pages of the same query are not recorded again.
    ///
    /// # Errors
    /// Permission (a purpose is required) or store errors.
    pub fn intel_page(
        &mut self,
        query: &IntelQuery,
        offset: u64,
        limit: usize,
    ) -> Result<Vec<IntelRow>, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        let limit = limit.clamp(1, MAX_PAGE_ROWS);
        if self.last_listed.as_ref() != Some(query) {
            // The consultation is recorded with the query it asked; never with an empty one.
            let detail = serde_json::to_string(query)
                .map_err(|_| WorkbenchError::Refused("the query could not be recorded"))?;
            self.store.write(&self.actor(), |tx| {
                tx.audit(
                    NewAuditEntry::new(AuditAction::IntelListed, "intel_log").with_detail(detail),
                )
            })?;
            self.last_listed = Some(query.clone());
        }
        Ok(self
            .store
            .reader()
            .intel_page(query, offset, limit, self.user.id)?)
    }

    /// Display names of nominals. Names are personal data, so reading them is a consultation of
    /// its own: recorded with the purpose and the ids read.
    ///
    /// # Errors
    /// Permission (a purpose is required) or store errors.
    pub fn nominal_names(
        &mut self,
        ids: &[crate::domain::NominalId],
    ) -> Result<Vec<(crate::domain::NominalId, String)>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        let mut names = Vec::with_capacity(ids.len());
        {
            let reader = self.store.reader();
            for id in ids {
                if let Some(nominal) = reader.nominal(*id)? {
                    names.push((*id, nominal.details.display_name()));
                }
            }
        }
        let detail = serde_json::json!({
            "names_of": ids.iter().map(|id| id.0).collect::<Vec<_>>(),
        });
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::NominalViewed, "nominals")
                    .with_detail(detail.to_string()),
            )
        })?;
        Ok(names)
    }

    /// The label of a code in the current reference data (for display).
    #[must_use]
    pub fn label<'a>(&'a self, list_name: &str, code: &'a str) -> &'a str {
        self.reference.label(list_name, code)
    }

    /// The statuses an item in `status` may move to.
    #[must_use]
    pub fn next_statuses(&self, status: &str) -> Vec<String> {
        self.reference
            .next_statuses(status)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// The category list, for forms.
    #[must_use]
    pub fn category_codes(&self) -> Vec<(String, String)> {
        self.reference
            .current_codes(list::CORRUPTION_CATEGORY)
            .map(|c| (c.code.clone(), c.label.clone()))
            .collect()
    }
}
