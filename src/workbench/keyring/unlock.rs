//! Unlocking: from a user name and password to an open store, without any file naming the user.

use super::Keyring;
use super::standing::{LoginContext, check_standing_at_login, standing_role};
use crate::crypto::{Identity, KdfSpec, KeySlot, MasterKey, SigningKey};
use crate::domain::{AuditAction, GrantCheck, NewAuditEntry};
use crate::store::{
    Actor, Manifest, Store, StoreError, WorkbenchLayout, now_utc_rfc3339, read_known_head,
};
use crate::workbench::{Workbench, WorkbenchError, failed_login_delay_secs};
use std::collections::HashMap;
use std::path::Path;

impl Workbench {
    /// Unlocks the workbench at `root` as `user_name`.
    ///
    /// One Argon2id derivation per distinct KDF spec (normally one for the whole workbench)
    /// yields a key that opens the user's slot and no other. A failure writes a sealed
    /// failed-login record (the only file an attempt creates; no existing file changes) and says
    /// how long to wait before the next attempt.
    ///
    /// # Errors
    /// [`WorkbenchError::WrongCredentials`], [`WorkbenchError::UserRemoved`],
    /// [`WorkbenchError::StaleSlot`], store errors for a damaged or newer workbench.
    pub fn unlock(
        root: &Path,
        user_name: &str,
        password: &str,
    ) -> Result<Workbench, WorkbenchError> {
        Self::unlock_on_machine(
            root,
            user_name,
            password,
            crate::platform::data_dir().as_deref(),
        )
    }

    /// [`Workbench::unlock`], keeping the record of the last audit head seen in `machine_dir`
    /// (this machine's settings folder; `None` keeps no record and checks none).
    ///
    /// # Errors
    /// As [`Workbench::unlock`]; [`WorkbenchError::StandingNotSigned`] when the user's role is
    /// not backed by a valid signed grant.
    pub fn unlock_on_machine(
        root: &Path,
        user_name: &str,
        password: &str,
        machine_dir: Option<&Path>,
    ) -> Result<Workbench, WorkbenchError> {
        let layout = WorkbenchLayout::new(root);
        let manifest = Manifest::read(&layout)?;
        let (slots, damaged_slots) = layout.read_slots_lenient()?;
        if !layout.store_path().is_file() {
            return Err(StoreError::Damaged("store.db is missing".into()).into());
        }
        let Some((slot, identity)) = find_slot(&slots, user_name, password) else {
            let recorded = layout.record_failed_login(
                &manifest.audit_inbox_public_key,
                user_name.trim(),
                now_utc_rfc3339(),
                None,
            );
            if let Err(err) = recorded {
                tracing::warn!("could not record a failed unlock: {err}");
            }
            return Err(WorkbenchError::WrongCredentials {
                damaged_slots,
                retry_after_secs: failed_login_delay_secs(layout.pending_failed_login_count()),
            });
        };
        let keys = slot.open_master_keys(&identity);
        let newest_sealed = keys.first().map_or(0, |key| key.epoch().0);
        let (mut store, master_key) = open_with_any(&layout, keys).map_err(|err| {
            // The manifest records the store's key generation: a slot that only holds older
            // ones was copied before a rotation. Otherwise a key that should work does not:
            // the store is damaged.
            match err {
                WorkbenchError::StaleSlot if newest_sealed >= manifest.key_epoch => {
                    StoreError::Damaged("the store does not open with the current key".into())
                        .into()
                }
                other => other,
            }
        })?;
        let refused = |reason: &str| {
            let recorded = layout.record_failed_login(
                &manifest.audit_inbox_public_key,
                user_name.trim(),
                now_utc_rfc3339(),
                Some(reason),
            );
            if let Err(err) = recorded {
                tracing::warn!("could not record a refused unlock: {err}");
            }
        };
        let Some(stored) = store.active_user_by_slot(slot.slot_id)? else {
            refused("the slot belongs to a removed user");
            return Err(WorkbenchError::UserRemoved);
        };
        if stored.user.name.trim().to_lowercase() != user_name.trim().to_lowercase() {
            return Err(WorkbenchError::WrongCredentials {
                damaged_slots,
                retry_after_secs: 0,
            });
        }
        // The role comes from the user's signed grant, not from the row anyone holding the
        // master key could edit.
        let grants = store.grant_check()?;
        let mut user = stored.user.clone();
        user.role = match standing_role(&store, &grants, &stored, &identity) {
            Ok(role) => role,
            Err(err) => {
                refused(match err {
                    WorkbenchError::UserRemoved => "the signed grants say the user was removed",
                    _ => "the user's role is not backed by a signed grant",
                });
                return Err(err);
            }
        };
        store.set_signer(user.id, SigningKey::of_identity(&identity));
        let keys = Keyring {
            layout,
            master_key,
            slot_id: slot.slot_id,
            kdf_spec: slot.kdf.clone(),
            signing_key: SigningKey::of_identity(&identity),
        };
        drop(identity);
        let mut workbench = Workbench::new_session(
            keys,
            store,
            user,
            crate::io::reference_file::shipped_default()?,
        );
        workbench.machine_dir = machine_dir.map(Path::to_path_buf);
        workbench.finish_login(&manifest, slot, &grants)?;
        workbench.note_head_on_this_machine();
        workbench.load_reference_data()?;
        workbench.install_shipped_instruments()?;
        Ok(workbench)
    }

    /// After the store opens: record waiting failed attempts and the login in one transaction,
    /// repair a tampered manifest, and finish a key rotation that was interrupted.
    fn finish_login(
        &mut self,
        manifest: &Manifest,
        mut slot: KeySlot,
        grants: &GrantCheck,
    ) -> Result<(), WorkbenchError> {
        let inbox = Identity::from_secret_bytes(*self.store.audit_inbox_secret()?);
        let pending = self.keys.layout.pending_failed_logins();
        let manifest_ok = manifest.audit_inbox_public_key == inbox.public_key();
        let actor = self.actor();
        let workbench_id = self.store.workbench_id().to_owned();
        let context = LoginContext {
            workbench_id: &workbench_id,
            root: self.store.root_signing_key()?,
            known: self
                .machine_dir
                .as_deref()
                .and_then(|dir| read_known_head(dir, &workbench_id)),
            user: &self.user,
            signing_key: &self.keys.signing_key,
        };
        let warnings = self
            .store
            .write(&Actor::system(), |tx| -> Result<_, WorkbenchError> {
                // Each record becomes an entry dated when it is ingested (the time it claims is
                // in the detail: anyone can write a record, so nothing in it is vouched for),
                // marked unauthenticated, and at most MAX_FAILED_LOGIN_ENTRIES of them per
                // unlock: a flood of planted records becomes one summary entry, not a million.
                let mut written = 0usize;
                let mut beyond = 0u64;
                for record in &pending {
                    if !tx.mark_failed_login_ingested(&record.record_id)? {
                        continue;
                    }
                    if written >= MAX_FAILED_LOGIN_ENTRIES {
                        beyond += 1;
                        continue;
                    }
                    written += 1;
                    let entry = NewAuditEntry::new(AuditAction::LoginFailed, "session");
                    if let Some(opened) = record.open(&inbox) {
                        let attempted = Actor {
                            user_id: None,
                            user_name: opened.user_name,
                            justification: String::new(),
                        };
                        let detail = serde_json::json!({
                            "claimed_at": opened.at_utc,
                            "authenticated": false,
                            "reason": opened.reason.as_deref().unwrap_or("wrong user name or password"),
                        });
                        tx.audit_as(
                            &attempted,
                            &now_utc_rfc3339(),
                            entry.with_detail(detail.to_string()),
                        )?;
                    } else {
                        let unknown = Actor {
                            user_id: None,
                            user_name: String::from("(unreadable record)"),
                            justification: String::new(),
                        };
                        let detail = serde_json::json!({
                            "record": record.record_id,
                            "authenticated": false,
                            "note": "not sealed to this workbench: forged or damaged",
                        });
                        tx.audit_as(
                            &unknown,
                            &now_utc_rfc3339(),
                            entry.with_detail(detail.to_string()),
                        )?;
                    }
                }
                if beyond > 0 {
                    let detail = serde_json::json!({
                        "more_records": beyond,
                        "authenticated": false,
                        "note": "more failed-unlock records than are recorded one by one at an unlock",
                    });
                    tx.audit_as(
                        &Actor::system(),
                        &now_utc_rfc3339(),
                        NewAuditEntry::new(AuditAction::LoginFailed, "session")
                            .with_detail(detail.to_string()),
                    )?;
                }
                if !manifest_ok {
                    tx.audit_as(
                        &actor,
                        &now_utc_rfc3339(),
                        NewAuditEntry::new(AuditAction::ManifestRepaired, "workbench.json"),
                    )?;
                }
                tx.audit_as(
                    &actor,
                    &now_utc_rfc3339(),
                    NewAuditEntry::new(AuditAction::Login, "session"),
                )?;
                check_standing_at_login(tx, &context, grants)
            })?;
        self.unlock_warnings = warnings;
        self.keys.layout.remove_failed_logins(&pending)?;
        let epoch = self.keys.master_key.epoch().0;
        if !manifest_ok || manifest.key_epoch != epoch {
            Manifest::new(inbox.public_key(), epoch).write(&self.keys.layout)?;
        }
        let current = self.keys.master_key.epoch();
        if slot.sealed_master_keys.iter().any(|s| s.epoch != current) {
            slot.retain_only_epoch(current);
            self.keys.layout.write_slot(&slot)?;
        }
        Ok(())
    }
}

/// Distinct key derivation specs tried per unlock attempt (normally one: every slot of a
/// workbench shares the creator's).
const MAX_KDF_SPECS_TRIED: usize = 3;

/// Failed-unlock records recorded one by one at an unlock; more become one summary entry.
const MAX_FAILED_LOGIN_ENTRIES: usize = 100;

/// Tries every slot against one derivation per distinct KDF spec.
pub(super) fn find_slot(
    slots: &[KeySlot],
    user_name: &str,
    password: &str,
) -> Option<(KeySlot, Identity)> {
    let mut by_spec: HashMap<&KdfSpec, Vec<&KeySlot>> = HashMap::new();
    for slot in slots {
        by_spec.entry(&slot.kdf).or_default().push(slot);
    }
    // The workbench's own spec (shared by most slots) first, and only a few others: each
    // distinct spec costs a derivation, and a slot planted with its own salt must not make
    // every unlock pay for many.
    let mut groups: Vec<_> = by_spec.into_iter().collect();
    groups.sort_by_key(|(_, group)| std::cmp::Reverse(group.len()));
    for (spec, group) in groups.into_iter().take(MAX_KDF_SPECS_TRIED) {
        let Ok(key) = spec.derive(user_name, password) else {
            continue;
        };
        for slot in group {
            if let Ok(identity) = slot.open_identity(&key) {
                return Some((slot.clone(), identity));
            }
        }
    }
    None
}

/// Opens the store with the newest sealed key that works (two exist mid-rotation).
fn open_with_any(
    layout: &WorkbenchLayout,
    keys: Vec<MasterKey>,
) -> Result<(Store, MasterKey), WorkbenchError> {
    let mut last_damage = None;
    for key in keys {
        match Store::open(&layout.store_path(), &key) {
            Ok(mut store) => {
                store.record_key_epoch(key.epoch())?;
                return Ok((store, key));
            }
            Err(StoreError::Damaged(reason)) => last_damage = Some(reason),
            Err(other) => return Err(other.into()),
        }
    }
    match last_damage {
        Some(reason) if !reason.contains("not a database") => {
            Err(StoreError::Damaged(reason).into())
        }
        _ => Err(WorkbenchError::StaleSlot),
    }
}
