//! Creating a new workbench with its first user, an inspector.

use super::Keyring;
use crate::crypto::{
    Identity, KdfParams, KdfSpec, KeyEpoch, KeySlot, MasterKey, SigningKey, random_bytes,
};
use crate::domain::{
    AuditAction, GrantKind, NewAuditEntry, Role, RoleGrant, UserId, user_name_key,
    validate_password, validate_user_name,
};
use crate::store::{Actor, Manifest, Store, WorkbenchLayout};
use crate::workbench::{Workbench, WorkbenchError};
use std::path::Path;

impl Workbench {
    /// Creates a workbench folder at `root` (which must not exist, or be empty) whose first user,
    /// `admin_name`, is an inspector, and returns it unlocked as that user.
    ///
    /// Nothing is left behind on failure: a half-created folder is removed.
    ///
    /// # Errors
    /// Validation errors; [`crate::store::StoreError::AlreadyExists`]; crypto or I/O errors.
    pub fn create(
        root: &Path,
        admin_name: &str,
        admin_password: &str,
        kdf_params: KdfParams,
    ) -> Result<Workbench, WorkbenchError> {
        let admin_name = validate_user_name(admin_name)?;
        validate_password(admin_password)?;
        let layout = WorkbenchLayout::new(root);
        let existed = root.exists();
        layout.create_folders()?;
        let result = build(&layout, &admin_name, admin_password, kdf_params);
        if result.is_err() {
            layout.remove_half_built(existed);
        }
        result
    }
}

fn build(
    layout: &WorkbenchLayout,
    admin_name: &str,
    admin_password: &str,
    kdf_params: KdfParams,
) -> Result<Workbench, WorkbenchError> {
    let master_key = MasterKey::generate(KeyEpoch(1))?;
    let inbox = Identity::generate()?;
    let workbench_id = hex::encode(random_bytes::<16>()?);
    // The first inspector's identity comes first: its signing key is bound into the genesis.
    let identity = Identity::generate()?;
    let signing_key = SigningKey::of_identity(&identity);
    Manifest::new(inbox.public_key(), master_key.epoch().0).write(layout)?;
    let mut store = Store::create(
        &layout.store_path(),
        &master_key,
        &workbench_id,
        inbox_secret(&inbox),
        &signing_key.public_key(),
    )?;
    drop(inbox);
    // The users table is empty, so the first inspector will be user 1 (checked below).
    store.set_signer(UserId(1), SigningKey::of_identity(&identity));

    let kdf_spec = KdfSpec::generate(kdf_params)?;
    let password_key = kdf_spec.derive(admin_name, admin_password)?;
    let slot = KeySlot::create(&identity, kdf_spec.clone(), &password_key, &master_key)?;
    drop(password_key);
    layout.write_slot(&slot)?;

    let public_key = identity.public_key();
    drop(identity);
    let reference = crate::io::reference_file::shipped_versions()?;
    let root_key = &signing_key;
    let user = store.write(&Actor::system(), |tx| -> Result<_, WorkbenchError> {
        let id = tx.insert_user(admin_name, Role::Inspector, slot.slot_id, &public_key)?;
        if id != UserId(1) {
            return Err(WorkbenchError::Refused(
                "a new workbench's store already had users",
            ));
        }
        let now = crate::store::now_utc_rfc3339();
        let root_grant = RoleGrant {
            id: tx.next_grant_id()?,
            user_id: id,
            kind: GrantKind::Created,
            role: Role::Inspector,
            name_key: user_name_key(admin_name),
            identity_key: public_key,
            granted_at_utc: now,
            granted_by: id,
            cosigned_by: None,
        };
        tx.insert_grant(&root_grant.sign(&workbench_id, root_key, None))?;
        let admin = Actor {
            user_id: Some(id),
            user_name: admin_name.to_owned(),
            justification: String::new(),
        };
        let now = crate::store::now_utc_rfc3339();
        tx.audit_as(
            &admin,
            &now,
            NewAuditEntry::new(AuditAction::WorkbenchCreated, "workbench").with_detail(
                serde_json::json!({ "version": env!("CARGO_PKG_VERSION") }).to_string(),
            ),
        )?;
        tx.audit_as(
            &admin,
            &now,
            NewAuditEntry::new(AuditAction::UserAdded, format!("user:{}", id.0))
                .with_detail(serde_json::json!({ "role": Role::Inspector.as_str() }).to_string()),
        )?;
        tx.audit_as(
            &admin,
            &now,
            NewAuditEntry::new(AuditAction::Login, "session"),
        )?;
        for version in &reference {
            tx.insert_reference_version(version)?;
            tx.audit_as(
                &admin,
                &now,
                NewAuditEntry::new(
                    AuditAction::ReferencePublished,
                    format!("reference:{}", version.version),
                )
                .with_detail(serde_json::json!({ "source": "shipped defaults" }).to_string()),
            )?;
        }
        let users = tx.all_users()?;
        users
            .into_iter()
            .find(|stored| stored.user.id == id)
            .map(|stored| stored.user)
            .ok_or(WorkbenchError::Refused("the new user was not stored"))
    })?;
    let keys = Keyring {
        layout: layout.clone(),
        master_key,
        slot_id: slot.slot_id,
        kdf_spec,
        signing_key,
    };
    let newest = reference
        .into_iter()
        .last()
        .ok_or(WorkbenchError::Refused("no reference data is shipped"))?;
    let mut workbench = Workbench::new_session(keys, store, user, newest);
    workbench.install_shipped_instruments()?;
    Ok(workbench)
}

fn inbox_secret(inbox: &Identity) -> &[u8; 32] {
    inbox.secret_bytes()
}
