//! Signed standing at unlock: the user's role comes from their signed grant, every grant that
//! does not verify is reported, the chain must still hold the head this machine last saw, and a
//! workbench made before signatures is adopted by the first inspector to unlock it.

use crate::crypto::{Identity, SigningKey, SigningPublicKey};
use crate::domain::{
    AuditAction, GrantCheck, GrantKind, NewAuditEntry, Role, RoleGrant, User, UserId, user_name_key,
};
use crate::store::{
    KnownHead, Store, StoreError, StoreTx, StoredUser, now_utc_rfc3339, write_known_head,
};
use crate::workbench::{Workbench, WorkbenchError};
use std::fmt;

/// Something the unlock found that the user must be told. Each is also an audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnlockWarning {
    /// The chain no longer holds the head this machine saw last: the store was replaced by an
    /// older copy, or entries were cut from its end.
    RollbackSuspected { known_seq: i64, found_seq: i64 },
    /// The workbench's root signing key is not the one this machine saw last: its grants and
    /// signatures were rebuilt from scratch.
    RootKeyChanged,
    /// A role grant does not verify.
    GrantInvalid { user_name: String, reason: String },
    /// The workbench was made before signatures and no inspector has unlocked it since: roles
    /// and entries are not yet signed.
    SigningNotEnabled,
    /// Signing was switched on at this unlock, with this user as its root.
    SigningEnabled,
}

impl fmt::Display for UnlockWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnlockWarning::RollbackSuspected {
                known_seq,
                found_seq,
            } => write!(
                f,
                "The audit log is not the one this computer saw last: this computer last saw entry {known_seq}, and \
                 the log now ends at entry {found_seq} without it. The store may have been replaced by an older copy \
                 or cut short. This has been recorded; tell the head of the unit."
            ),
            UnlockWarning::RootKeyChanged => f.write_str(
                "The workbench's signing root is not the one this computer saw last: its roles and audit signatures \
                 were rebuilt. This has been recorded; tell the head of the unit.",
            ),
            UnlockWarning::GrantInvalid { user_name, reason } => write!(
                f,
                "The role of user {user_name} is not backed by a valid signed grant: {reason}. Until an inspector \
                 looks into it, that account holds no role."
            ),
            UnlockWarning::SigningNotEnabled => f.write_str(
                "This workbench was made by an earlier version: roles and audit entries are not signed until an \
                 inspector unlocks it.",
            ),
            UnlockWarning::SigningEnabled => f.write_str(
                "Roles and audit entries are now signed, with your account as the root of the signatures: \
                 entries before this point are protected by the hash chain alone.",
            ),
        }
    }
}

/// The user's role as their standing grant gives it, or why they may not unlock.
pub(super) fn standing_role(
    store: &Store,
    grants: &GrantCheck,
    stored: &StoredUser,
    identity: &Identity,
) -> Result<Role, WorkbenchError> {
    if store.root_signing_key()?.is_none() {
        // Made before signatures and not yet adopted: the table is all there is.
        return Ok(stored.user.role);
    }
    if grants.is_removed(stored.user.id) {
        return Err(WorkbenchError::UserRemoved);
    }
    let grant = grants
        .current
        .get(&stored.user.id)
        .ok_or(WorkbenchError::StandingNotSigned)?;
    if grant.identity_key != identity.public_key() {
        return Err(WorkbenchError::StandingNotSigned);
    }
    Ok(grant.role)
}

/// What the login transaction needs to check standing, read before it begins.
pub(super) struct LoginContext<'a> {
    pub workbench_id: &'a str,
    pub root: Option<SigningPublicKey>,
    /// The head this machine last saw of this workbench, if any.
    pub known: Option<KnownHead>,
    pub user: &'a User,
    pub signing_key: &'a SigningKey,
}

/// Inside the login transaction: the rollback check against this machine's record, a report of
/// every grant that does not verify, and adoption of a workbench made before signatures.
pub(super) fn check_standing_at_login(
    tx: &mut StoreTx<'_>,
    context: &LoginContext<'_>,
    grants: &GrantCheck,
) -> Result<Vec<UnlockWarning>, WorkbenchError> {
    let mut warnings = Vec::new();
    if let Some(known) = &context.known {
        let head = tx.next_audit_seq()? - 1;
        if !tx.audit_contains(known.seq, &known.hash)? {
            warnings.push(UnlockWarning::RollbackSuspected {
                known_seq: known.seq,
                found_seq: head,
            });
            tx.audit(
                NewAuditEntry::new(AuditAction::RollbackSuspected, "audit_log").with_detail(
                    serde_json::json!({
                        "known_seq": known.seq,
                        "known_hash": known.hash.to_hex(),
                        "found_seq": head,
                    })
                    .to_string(),
                ),
            )?;
        }
        let root_hex = context.root.map(|key| key.to_hex());
        if known.root_signing_key.is_some() && known.root_signing_key != root_hex {
            warnings.push(UnlockWarning::RootKeyChanged);
            tx.audit(
                NewAuditEntry::new(AuditAction::RollbackSuspected, "audit_log").with_detail(
                    serde_json::json!({
                        "root_key_seen": known.root_signing_key,
                        "root_key_found": root_hex,
                    })
                    .to_string(),
                ),
            )?;
        }
    }
    let users = tx.all_users()?;
    let name_of = |id: UserId| {
        users
            .iter()
            .find(|u| u.user.id == id)
            .map_or_else(|| format!("number {}", id.0), |u| u.user.name.clone())
    };
    for problem in &grants.problems {
        warnings.push(UnlockWarning::GrantInvalid {
            user_name: name_of(problem.user_id),
            reason: problem.reason.to_string(),
        });
        tx.audit(
            NewAuditEntry::new(
                AuditAction::GrantInvalid,
                format!("user:{}", problem.user_id.0),
            )
            .with_detail(
                serde_json::json!({
                    "grant": problem.grant_id,
                    "reason": problem.reason.to_string(),
                })
                .to_string(),
            ),
        )?;
    }
    if context.root.is_none() {
        if context.user.role == Role::Inspector {
            adopt(tx, context, &users)?;
            warnings.push(UnlockWarning::SigningEnabled);
        } else {
            warnings.push(UnlockWarning::SigningNotEnabled);
        }
    }
    Ok(warnings)
}

/// Switches signing on for a workbench made before it: this inspector becomes the root, and
/// signs a grant for every active user as the users table has them now (trust on first use: a
/// role changed in the store before this point is adopted as it stands).
fn adopt(
    tx: &mut StoreTx<'_>,
    context: &LoginContext<'_>,
    users: &[StoredUser],
) -> Result<(), WorkbenchError> {
    let signer = context.signing_key;
    let root = signer.public_key();
    let first_seq = tx.next_audit_seq()?;
    tx.enable_signing(&root, first_seq)?;
    let now = now_utc_rfc3339();
    let me = context.user.id;
    let mut ordered: Vec<&StoredUser> = users.iter().filter(|u| u.user.is_active()).collect();
    ordered.sort_by_key(|u| (u.user.id != me, u.user.id));
    for stored in ordered {
        let grant = RoleGrant {
            id: tx.next_grant_id()?,
            user_id: stored.user.id,
            kind: GrantKind::Adopted,
            role: stored.user.role,
            name_key: user_name_key(&stored.user.name),
            identity_key: stored.public_key,
            granted_at_utc: now.clone(),
            granted_by: me,
            cosigned_by: None,
        };
        tx.insert_grant(&grant.sign(context.workbench_id, signer, None))?;
    }
    tx.audit(
        NewAuditEntry::new(AuditAction::SigningEnabled, "workbench").with_detail(
            serde_json::json!({ "root_signing_key": root.to_hex(), "signed_from_seq": first_seq })
                .to_string(),
        ),
    )?;
    Ok(())
}

impl Workbench {
    /// Records on this machine the head the session leaves, for the next unlock's check.
    pub(crate) fn note_head_on_this_machine(&self) {
        let Some(dir) = self.machine_dir.as_deref() else {
            return;
        };
        let noted = (|| -> Result<(), StoreError> {
            let head = self.store.audit_head()?;
            let known = KnownHead {
                seq: head.seq,
                hash: head.hash,
                root_signing_key: self.store.root_signing_key()?.map(|key| key.to_hex()),
            };
            write_known_head(dir, self.store.workbench_id(), &known)
        })();
        if let Err(err) = noted {
            tracing::warn!("could not note the audit head on this machine: {err}");
        }
    }
}
