//! Adding and removing users and changing passwords: an inspector needs nobody else's password.

use crate::crypto::{Identity, KdfSpec, KeySlot};
use crate::domain::{
    Action, AuditAction, NewAuditEntry, Role, User, validate_password, validate_user_name,
};
use crate::workbench::{Workbench, WorkbenchError};

impl Workbench {
    /// A new identity and its slot for `name` with `password`, under the workbench's shared KDF
    /// salt and costs (see `kdf_spec`), with the current master key sealed to it. Returns the
    /// slot and the identity's public key (what the store records).
    fn new_slot(&self, name: &str, password: &str) -> Result<(KeySlot, [u8; 32]), WorkbenchError> {
        let identity = Identity::generate()?;
        let spec: KdfSpec = self.keys.kdf_spec.clone();
        let password_key = spec.derive(name, password)?;
        let slot = KeySlot::create(&identity, spec, &password_key, &self.keys.master_key)?;
        Ok((slot, identity.public_key()))
    }

    /// Adds a user with `role` and an initial password, which the inspector hands over and the
    /// user should change at first use.
    ///
    /// # Errors
    /// Permission, validation (name, password) or store errors; a name clash with an active user.
    pub fn add_user(
        &mut self,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<User, WorkbenchError> {
        self.require(Action::ManageUsers)?;
        let name = validate_user_name(name)?;
        validate_password(password)?;
        let (slot, public_key) = self.new_slot(&name, password)?;
        let layout = self.keys.layout.clone();
        let result = self
            .store
            .write(&self.actor(), |tx| -> Result<User, WorkbenchError> {
                let id = tx.insert_user(&name, role, slot.slot_id, &public_key)?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::UserAdded, format!("user:{}", id.0))
                        .with_detail(serde_json::json!({ "role": role.as_str() }).to_string()),
                )?;
                // The slot file is written inside the transaction: if it cannot be written, the
                // user is not added.
                layout.write_slot(&slot)?;
                tx.all_users()?
                    .into_iter()
                    .find(|stored| stored.user.id == id)
                    .map(|stored| stored.user)
                    .ok_or(WorkbenchError::Refused("the new user was not stored"))
            });
        if result.is_err() {
            let _ = self.keys.layout.delete_slot(slot.slot_id);
        }
        result
    }

    /// Removes a user: marks them removed (kept for the audit trail) and deletes their key slot.
    /// A copy of the slot kept elsewhere still holds the current master key until `rekey`.
    ///
    /// # Errors
    /// Permission or store errors; removing oneself or the last inspector is refused.
    pub fn remove_user(&mut self, name: &str) -> Result<(), WorkbenchError> {
        self.require(Action::ManageUsers)?;
        let me = self.user.id;
        let removed_slot = self
            .store
            .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                let target = tx
                    .active_user_by_name(name.trim())?
                    .ok_or(WorkbenchError::UnknownUser)?;
                if target.user.id == me {
                    return Err(WorkbenchError::CannotRemoveSelf);
                }
                if target.user.role == Role::Inspector {
                    let inspectors = tx
                        .all_users()?
                        .iter()
                        .filter(|u| u.user.is_active() && u.user.role == Role::Inspector)
                        .count();
                    if inspectors <= 1 {
                        return Err(WorkbenchError::LastInspector);
                    }
                }
                tx.remove_user(target.user.id)?;
                tx.audit(NewAuditEntry::new(
                    AuditAction::UserRemoved,
                    format!("user:{}", target.user.id.0),
                ))?;
                Ok(target.slot_id)
            })?;
        self.keys.layout.delete_slot(removed_slot)?;
        Ok(())
    }

    /// Changes the signed-in user's password: re-wraps their identity in their own slot. No
    /// other slot and nothing in the store changes but the audit entry.
    ///
    /// # Errors
    /// [`WorkbenchError::CurrentPasswordWrong`]; validation or store errors.
    pub fn change_own_password(
        &mut self,
        current_password: &str,
        new_password: &str,
    ) -> Result<(), WorkbenchError> {
        self.require(Action::ChangeOwnPassword)?;
        validate_password(new_password)?;
        let mut slot = self.keys.layout.read_slot_file(self.keys.slot_id)?;
        let current_key = slot.kdf.derive(&self.user.name, current_password)?;
        let identity = slot
            .open_identity(&current_key)
            .map_err(|_| WorkbenchError::CurrentPasswordWrong)?;
        drop(current_key);
        let original = slot.clone();
        let spec = slot.kdf.clone();
        let new_key = spec.derive(&self.user.name, new_password)?;
        slot.rewrap_identity(&identity, spec, &new_key)?;
        drop((identity, new_key));
        let layout = self.keys.layout.clone();
        let user_id = self.user.id;
        let result = self
            .store
            .write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
                tx.audit(NewAuditEntry::new(
                    AuditAction::PasswordChanged,
                    format!("user:{}", user_id.0),
                ))?;
                layout.write_slot(&slot)?;
                Ok(())
            });
        if result.is_err() {
            // The commit failed after the slot was rewritten: put the old slot back, so the
            // password that the audit log says is current still is.
            let _ = self.keys.layout.write_slot(&original);
        }
        result
    }

    /// Gives another user a new password (they forgot theirs). Their old slot cannot be
    /// re-wrapped without their password, so they get a new identity and a new slot, and the
    /// old slot is deleted.
    ///
    /// # Errors
    /// Permission, validation or store errors.
    pub fn reset_password(&mut self, name: &str, new_password: &str) -> Result<(), WorkbenchError> {
        self.require(Action::ManageUsers)?;
        validate_password(new_password)?;
        let target_name = validate_user_name(name)?;
        let (slot, public_key) = self.new_slot(&target_name, new_password)?;
        let layout = self.keys.layout.clone();
        let result = self
            .store
            .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                let target = tx
                    .active_user_by_name(&target_name)?
                    .ok_or(WorkbenchError::UnknownUser)?;
                tx.replace_user_slot(target.user.id, slot.slot_id, &public_key)?;
                tx.audit(NewAuditEntry::new(
                    AuditAction::PasswordReset,
                    format!("user:{}", target.user.id.0),
                ))?;
                layout.write_slot(&slot)?;
                Ok(target.slot_id)
            });
        match result {
            Ok(old_slot) => {
                self.keys.layout.delete_slot(old_slot)?;
                if old_slot == self.keys.slot_id {
                    self.keys.slot_id = slot.slot_id;
                }
                Ok(())
            }
            Err(err) => {
                let _ = self.keys.layout.delete_slot(slot.slot_id);
                Err(err)
            }
        }
    }
}
