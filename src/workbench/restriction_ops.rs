//! Need-to-know: an inspector restricts an intelligence item (and its attachments) to named
//! users, for when the subject is close to a member of the unit or a source must be protected.
//!
//! Everyone else sees "restricted item CCU/…" in the unfiltered log and nothing else: the
//! store leaves the item out of every other listing, search, profile and report for them, and
//! links known only from it out of their graph. Setting and lifting a restriction are recorded.

use super::intel_ops::existing_item;
use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AuditAction, NewAuditEntry, UserId, user_name_key};

impl Workbench {
    /// Restricts the item `reference` to the users named (the inspector is always on the list).
    /// Returns the names on the list. Inspectors only, and only one already on the item's list
    /// if it was restricted before.
    ///
    /// # Errors
    /// [`WorkbenchError::UnknownUser`] for a name no active user has; no such item; permission
    /// errors; store errors.
    pub fn restrict_item(
        &mut self,
        reference: &str,
        user_names: &[&str],
    ) -> Result<Vec<String>, WorkbenchError> {
        self.require(Action::RestrictItems)?;
        let me = self.user.id;
        let users = self.store.all_users()?;
        let mut ids: Vec<UserId> = vec![me];
        for name in user_names {
            let key = user_name_key(name);
            let user = users
                .iter()
                .find(|u| u.user.is_active() && user_name_key(&u.user.name) == key)
                .ok_or(WorkbenchError::UnknownUser)?;
            if !ids.contains(&user.user.id) {
                ids.push(user.user.id);
            }
        }
        let names: Vec<String> = ids
            .iter()
            .filter_map(|id| users.iter().find(|u| u.user.id == *id))
            .map(|u| u.user.name.clone())
            .collect();
        let result = self.store.write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
            let item = existing_item(tx.reader(), reference, Some(me))?;
            tx.restrict_item(item.id, &ids)?;
            tx.audit(
                NewAuditEntry::new(AuditAction::ItemRestricted, format!("item:{}", item.reference))
                    .with_detail(
                        serde_json::json!({ "users": ids.iter().map(|id| id.0).collect::<Vec<_>>() })
                            .to_string(),
                    ),
            )?;
            Ok(())
        });
        self.noting_refusal(result)?;
        Ok(names)
    }

    /// Lifts the item's restriction: everyone who may read intelligence sees it again.
    /// Inspectors on the item's list only.
    ///
    /// # Errors
    /// No such item; [`WorkbenchError::Refused`] if it was not restricted; permission errors.
    pub fn unrestrict_item(&mut self, reference: &str) -> Result<(), WorkbenchError> {
        self.require(Action::RestrictItems)?;
        let me = self.user.id;
        let result = self
            .store
            .write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
                let item = existing_item(tx.reader(), reference, Some(me))?;
                if !tx.unrestrict_item(item.id)? {
                    return Err(WorkbenchError::Refused("the item is not restricted"));
                }
                tx.audit(NewAuditEntry::new(
                    AuditAction::ItemUnrestricted,
                    format!("item:{}", item.reference),
                ))?;
                Ok(())
            });
        self.noting_refusal(result)
    }

    /// The names on an item's list, if it is restricted (for those on the list).
    ///
    /// # Errors
    /// No such item, or restricted to others; permission errors.
    pub fn item_restriction(
        &mut self,
        reference: &str,
    ) -> Result<Option<Vec<String>>, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        let reader = self.store.reader();
        let item = existing_item(reader, reference, Some(self.user.id))?;
        let Some(ids) = reader.item_restriction(item.id)? else {
            return Ok(None);
        };
        let users = self.store.all_users()?;
        Ok(Some(
            ids.iter()
                .filter_map(|id| users.iter().find(|u| u.user.id == *id))
                .map(|u| u.user.name.clone())
                .collect(),
        ))
    }
}
