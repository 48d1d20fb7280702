//! Adding and removing users and changing passwords: an inspector needs nobody else's password,
//! except that adding an inspector or giving one a new password needs a second inspector's
//! (four eyes). Every change to an account's standing is a role grant the inspector signs.

use crate::crypto::{Identity, KdfSpec, KeySlot, SigningKey};
use crate::domain::{
    Action, AuditAction, GrantKind, NewAuditEntry, Role, RoleGrant, User, UserId, user_name_key,
    validate_password, validate_user_name,
};
use crate::store::{StoreTx, now_utc_rfc3339};
use crate::workbench::{Workbench, WorkbenchError};

/// A second inspector's credentials, typed at the same keyboard, for the steps that need four
/// eyes. The password is used once to open their key slot and is not kept.
#[derive(Clone, Copy)]
pub struct SecondInspector<'a> {
    pub name: &'a str,
    pub password: &'a str,
}

impl std::fmt::Debug for SecondInspector<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecondInspector").finish_non_exhaustive()
    }
}

/// The second inspector, once their credentials opened their slot.
struct Cosigner {
    user_id: UserId,
    key: SigningKey,
}

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
        self.add_user_with(name, role, password, None)
    }

    /// [`Workbench::add_user`] with a second inspector's signature: needed to add an inspector
    /// when the workbench already has more than one.
    ///
    /// # Errors
    /// As [`Workbench::add_user`]; [`WorkbenchError::SecondInspectorRefused`] when the second
    /// inspector's credentials do not open, or are not another active inspector's.
    pub fn add_user_cosigned(
        &mut self,
        name: &str,
        role: Role,
        password: &str,
        second: SecondInspector<'_>,
    ) -> Result<User, WorkbenchError> {
        self.add_user_with(name, role, password, Some(second))
    }

    fn add_user_with(
        &mut self,
        name: &str,
        role: Role,
        password: &str,
        second: Option<SecondInspector<'_>>,
    ) -> Result<User, WorkbenchError> {
        self.require(Action::ManageUsers)?;
        let name = validate_user_name(name)?;
        validate_password(password)?;
        let cosigner = self.open_second_inspector(second, None)?;
        if role == Role::Inspector && cosigner.is_none() && self.other_inspectors()? > 0 {
            return Err(WorkbenchError::SecondInspectorNeeded);
        }
        let (slot, public_key) = self.new_slot(&name, password)?;
        let layout = self.keys.layout.clone();
        let workbench_id = self.store.workbench_id().to_owned();
        let signer = (self.user.id, &self.keys.signing_key);
        let result = self
            .store
            .write(&self.actor(), |tx| -> Result<User, WorkbenchError> {
                let id = tx.insert_user(&name, role, slot.slot_id, &public_key)?;
                let grant = grant_for(
                    tx,
                    (id, &name, role, public_key),
                    GrantKind::Created,
                    signer.0,
                    cosigner.as_ref(),
                )?;
                let grant_id =
                    insert_signed(tx, grant, &workbench_id, signer.1, cosigner.as_ref())?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::UserAdded, format!("user:{}", id.0))
                        .with_detail(
                            serde_json::json!({
                                "role": role.as_str(),
                                "grant": grant_id,
                                "second_inspector": cosigner.as_ref().map(|c| c.user_id.0),
                            })
                            .to_string(),
                        ),
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
        let workbench_id = self.store.workbench_id().to_owned();
        let signing_key = &self.keys.signing_key;
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
                let grant = grant_for(
                    tx,
                    (
                        target.user.id,
                        &target.user.name,
                        target.user.role,
                        target.public_key,
                    ),
                    GrantKind::Removed,
                    me,
                    None,
                )?;
                let grant_id = insert_signed(tx, grant, &workbench_id, signing_key, None)?;
                tx.audit(
                    NewAuditEntry::new(
                        AuditAction::UserRemoved,
                        format!("user:{}", target.user.id.0),
                    )
                    .with_detail(serde_json::json!({ "grant": grant_id }).to_string()),
                )?;
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
        self.reset_password_with(name, new_password, None)
    }

    /// [`Workbench::reset_password`] with a second inspector's signature: needed when the user
    /// whose password is reset is an inspector.
    ///
    /// # Errors
    /// As [`Workbench::reset_password`]; [`WorkbenchError::SecondInspectorRefused`].
    pub fn reset_password_cosigned(
        &mut self,
        name: &str,
        new_password: &str,
        second: SecondInspector<'_>,
    ) -> Result<(), WorkbenchError> {
        self.reset_password_with(name, new_password, Some(second))
    }

    fn reset_password_with(
        &mut self,
        name: &str,
        new_password: &str,
        second: Option<SecondInspector<'_>>,
    ) -> Result<(), WorkbenchError> {
        self.require(Action::ManageUsers)?;
        validate_password(new_password)?;
        let target_name = validate_user_name(name)?;
        let target_key = user_name_key(&target_name);
        let target_before = self
            .store
            .all_users()?
            .into_iter()
            .find(|u| u.user.is_active() && user_name_key(&u.user.name) == target_key)
            .ok_or(WorkbenchError::UnknownUser)?;
        let target_role = self
            .store
            .grant_check()?
            .active_role(target_before.user.id)
            .unwrap_or(target_before.user.role);
        let cosigner = self.open_second_inspector(second, Some(target_before.user.id))?;
        if target_role == Role::Inspector && cosigner.is_none() {
            return Err(WorkbenchError::SecondInspectorNeeded);
        }
        let (slot, public_key) = self.new_slot(&target_name, new_password)?;
        let layout = self.keys.layout.clone();
        let workbench_id = self.store.workbench_id().to_owned();
        let signer = (self.user.id, &self.keys.signing_key);
        let result = self
            .store
            .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                let target = tx
                    .active_user_by_name(&target_name)?
                    .ok_or(WorkbenchError::UnknownUser)?;
                tx.replace_user_slot(target.user.id, slot.slot_id, &public_key)?;
                let grant = grant_for(
                    tx,
                    (target.user.id, &target.user.name, target_role, public_key),
                    GrantKind::Reset,
                    signer.0,
                    cosigner.as_ref(),
                )?;
                let grant_id =
                    insert_signed(tx, grant, &workbench_id, signer.1, cosigner.as_ref())?;
                tx.audit(
                    NewAuditEntry::new(
                        AuditAction::PasswordReset,
                        format!("user:{}", target.user.id.0),
                    )
                    .with_detail(
                        serde_json::json!({
                            "grant": grant_id,
                            "second_inspector": cosigner.as_ref().map(|c| c.user_id.0),
                        })
                        .to_string(),
                    ),
                )?;
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

    /// Active inspectors other than the signed-in user, as the signed grants have them.
    fn other_inspectors(&self) -> Result<usize, WorkbenchError> {
        let grants = self.store.grant_check()?;
        Ok(grants
            .current
            .keys()
            .filter(|id| **id != self.user.id && grants.active_role(**id) == Some(Role::Inspector))
            .count())
    }

    /// Opens the second inspector's slot with their credentials; they must be another active
    /// inspector under a valid grant (not the signed-in user, not `target`). A wrong name or
    /// password is recorded like a failed unlock.
    fn open_second_inspector(
        &self,
        second: Option<SecondInspector<'_>>,
        target: Option<UserId>,
    ) -> Result<Option<Cosigner>, WorkbenchError> {
        let Some(second) = second else {
            return Ok(None);
        };
        let (slots, _) = self.keys.layout.read_slots_lenient()?;
        let Some((slot, identity)) = super::unlock::find_slot(&slots, second.name, second.password)
        else {
            let recorded = self.keys.layout.record_failed_login(
                &crate::store::Manifest::read(&self.keys.layout)?.audit_inbox_public_key,
                second.name.trim(),
                now_utc_rfc3339(),
                Some("a second inspector's name or password was wrong"),
            );
            if let Err(err) = recorded {
                tracing::warn!("could not record a failed second-inspector sign-in: {err}");
            }
            return Err(WorkbenchError::SecondInspectorRefused);
        };
        let stored = self
            .store
            .active_user_by_slot(slot.slot_id)?
            .ok_or(WorkbenchError::SecondInspectorRefused)?;
        let grants = self.store.grant_check()?;
        let standing = grants.current.get(&stored.user.id);
        let is_other_inspector = stored.user.id != self.user.id
            && Some(stored.user.id) != target
            && grants.active_role(stored.user.id) == Some(Role::Inspector)
            && standing.is_some_and(|g| g.identity_key == identity.public_key())
            && user_name_key(&stored.user.name) == user_name_key(second.name);
        if !is_other_inspector {
            return Err(WorkbenchError::SecondInspectorRefused);
        }
        Ok(Some(Cosigner {
            user_id: stored.user.id,
            key: SigningKey::of_identity(&identity),
        }))
    }
}

/// Signs `grant` as `signer` (and the second inspector, if any) and stores it; returns its id.
fn insert_signed(
    tx: &mut StoreTx<'_>,
    grant: RoleGrant,
    workbench_id: &str,
    signer: &SigningKey,
    cosigner: Option<&Cosigner>,
) -> Result<i64, WorkbenchError> {
    let id = grant.id;
    tx.insert_grant(&grant.sign(workbench_id, signer, cosigner.map(|c| &c.key)))?;
    Ok(id)
}

/// A grant for `(user, name, role, identity key)`, numbered next, made now by `signer`.
fn grant_for(
    tx: &StoreTx<'_>,
    (user_id, name, role, identity_key): (UserId, &str, Role, [u8; 32]),
    kind: GrantKind,
    signer: UserId,
    cosigner: Option<&Cosigner>,
) -> Result<RoleGrant, WorkbenchError> {
    Ok(RoleGrant {
        id: tx.next_grant_id()?,
        user_id,
        kind,
        role,
        name_key: user_name_key(name),
        identity_key,
        granted_at_utc: now_utc_rfc3339(),
        granted_by: signer,
        cosigned_by: cosigner.map(|c| c.user_id),
    })
}
