//! Rotating the master key, so a removed user's old copy of a slot opens nothing.
//!
//! The order makes every crash point safe: (1) seal the new key into every active user's slot
//! beside the old one; (2) `PRAGMA rekey` the store (one `SQLCipher` transaction); (3) drop the old
//! key from every slot. Before (2) the old key opens the store, after it the new one does, and a
//! slot holds both until (3), so no one is locked out whatever happens. Unlock finishes (3) for
//! a slot that still holds two.

use crate::crypto::{KeyEpoch, MasterKey};
use crate::domain::{Action, AuditAction, NewAuditEntry};
use crate::store::{Manifest, Store, StoreError};
use crate::workbench::{Workbench, WorkbenchError};
use std::collections::HashSet;

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RekeyReport {
    pub new_epoch: u32,
    /// Slots re-sealed (one per active user).
    pub slots_resealed: usize,
    /// Slot files that belonged to no active user and were deleted.
    pub stale_slots_deleted: usize,
}

impl Workbench {
    /// Generates a new master key, re-encrypts the store with it and re-seals it to every active
    /// user's public key (as recorded in the store, not in the slot files). Needs no passwords.
    ///
    /// # Errors
    /// Permission or store errors. Refused before any change if an active user's slot file is
    /// unreadable (they would be locked out): reset their password first.
    pub fn rekey(&mut self) -> Result<RekeyReport, WorkbenchError> {
        self.require(Action::RotateMasterKey)?;
        let users = self.store.all_users()?;
        // The new key is sealed to the identity each user's signed grant names, not to the
        // public key in the users table (which anyone holding the old key could replace), and
        // only to users whose grant stands.
        let grants = self.store.grant_check()?;
        let signed = self.store.root_signing_key()?.is_some();
        let active: Vec<_> = users
            .into_iter()
            .filter(|u| u.user.is_active())
            .filter_map(|mut u| {
                if signed {
                    let grant = grants.current.get(&u.user.id)?;
                    grants.active_role(u.user.id)?;
                    u.public_key = grant.identity_key;
                }
                Some(u)
            })
            .collect();
        let mut slots = Vec::with_capacity(active.len());
        for stored in &active {
            slots.push((
                self.keys.layout.read_slot_file(stored.slot_id)?,
                stored.public_key,
            ));
        }
        let new_epoch = KeyEpoch(self.keys.master_key.epoch().0 + 1);
        let new_key = MasterKey::generate(new_epoch)?;

        for (slot, public_key) in &mut slots {
            slot.seal_master_key(&new_key, public_key)?;
            self.keys.layout.write_slot(slot)?;
        }
        self.store.rekey(&new_key)?;
        // Before any slot loses the old key: the WAL is folded into the main file and emptied
        // (so no page under the old key is left beside it), the store opens with the new key,
        // and the old key no longer opens it. If any of that fails, every slot still holds both
        // keys and unlock finishes the rotation later.
        self.store.checkpoint_truncate()?;
        let path = self.keys.layout.store_path();
        Store::open(&path, &new_key)?.close()?;
        if Store::open(&path, &self.keys.master_key).is_ok() {
            return Err(StoreError::Damaged(
                "after the rotation the old key still opens the store".into(),
            )
            .into());
        }
        self.keys.master_key = new_key;
        let mut manifest = Manifest::read(&self.keys.layout)?;
        manifest.key_epoch = new_epoch.0;
        manifest.write(&self.keys.layout)?;
        for (slot, _) in &mut slots {
            slot.retain_only_epoch(new_epoch);
            self.keys.layout.write_slot(slot)?;
        }

        let active_slots: HashSet<_> = active.iter().map(|u| u.slot_id).collect();
        let mut stale_slots_deleted = 0;
        for id in self.keys.layout.slot_ids()? {
            if !active_slots.contains(&id) {
                self.keys.layout.delete_slot(id)?;
                stale_slots_deleted += 1;
            }
        }
        let report = RekeyReport {
            new_epoch: new_epoch.0,
            slots_resealed: slots.len(),
            stale_slots_deleted,
        };
        let detail = serde_json::json!({
            "epoch": report.new_epoch,
            "slots_resealed": report.slots_resealed,
            "stale_slots_deleted": report.stale_slots_deleted,
        });
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::MasterKeyRotated, "workbench")
                    .with_detail(detail.to_string()),
            )
        })?;
        Ok(report)
    }
}
