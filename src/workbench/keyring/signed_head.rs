//! The signed chain head, out and back: written for write-once storage, and checked against
//! the chain later. A head kept outside the workbench is what catches a store rewritten by
//! someone who also controls this machine's record of the last head seen.

use crate::crypto::SigningPublicKey;
use crate::domain::{Action, AuditAction, NewAuditEntry, UserId, audit_head_statement};
use crate::io::audit_head_file::{FORMAT, HeadFileError, SignedHead};
use crate::store::now_utc_rfc3339;
use crate::workbench::{Workbench, WorkbenchError, user_file};
use serde::Serialize;
use std::path::Path;

/// Largest signed head file read (a real one is under 1 KiB).
const MAX_HEAD_FILE_BYTES: u64 = 64 * 1024;

/// What checking the chain against a signed head found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadCheck {
    pub seq: i64,
    /// The head's hash (hex).
    pub hash: String,
    /// Whether the chain still holds that entry with that hash.
    pub chain_holds_head: bool,
    /// Whether the signature verifies under the key of the user it names, as their grant fixes it.
    pub signature_valid: bool,
    /// The signer's name as the store has it now.
    pub signed_by: Option<String>,
}

impl HeadCheck {
    /// Whether the chain holds the head and the head is validly signed.
    #[must_use]
    pub fn holds(&self) -> bool {
        self.chain_holds_head && self.signature_valid
    }
}

impl Workbench {
    /// Writes the current chain head, signed by the signed-in user, to `out` (which must not
    /// exist): to be kept on write-once storage and checked later with
    /// [`Workbench::check_audit_head`]. The export is recorded before the file is written. Anyone
    /// who may verify the log may export its head: the file holds no content.
    ///
    /// # Errors
    /// Permission, store or I/O errors.
    pub fn export_audit_head(&mut self, out: &Path) -> Result<SignedHead, WorkbenchError> {
        self.require(Action::VerifyAuditLog)?;
        let head = self.store.audit_head()?;
        let workbench_id = self.store.workbench_id().to_owned();
        let key = &self.keys.signing_key;
        let signed = SignedHead {
            format: FORMAT.to_owned(),
            version: 1,
            seq: head.seq,
            hash: head.hash,
            root_signing_key: self.store.root_signing_key()?.map(|k| k.to_hex()),
            signed_by_user: self.user.id.0,
            signer_key: key.public_key().to_hex(),
            signature: hex::encode(key.sign(&audit_head_statement(
                &workbench_id,
                head.seq,
                &head.hash,
            ))),
            exported_at_utc: now_utc_rfc3339(),
            workbench_id,
        };
        let bytes = signed
            .render()
            .map_err(|_| WorkbenchError::Refused("the signed head could not be written"))?;
        self.write_export(
            out,
            AuditAction::AuditHeadExported,
            "audit_log",
            "json",
            |buf| {
                buf.extend_from_slice(&bytes);
                Ok(())
            },
        )?;
        Ok(signed)
    }

    /// Checks the chain against a signed head read from `file`: the chain must still hold that
    /// entry with that hash, and the signature must be the named user's. Recorded with the result.
    ///
    /// # Errors
    /// [`WorkbenchError::HeadFile`] for a file that is not a signed head of this workbench;
    /// permission, store or I/O errors. A head the chain no longer holds is an `Ok` result.
    pub fn check_audit_head(&mut self, file: &Path) -> Result<HeadCheck, WorkbenchError> {
        self.require(Action::VerifyAuditLog)?;
        let file_name = user_file::file_name(file);
        let bytes = user_file::read_limited(file, MAX_HEAD_FILE_BYTES)?;
        let head = SignedHead::parse(&bytes).map_err(|err| WorkbenchError::HeadFile {
            file_name: file_name.clone(),
            reason: match err {
                HeadFileError::NotAHeadFile => "is not a signed audit head file",
                HeadFileError::NewerVersion => "is from a newer version of the workbench",
            },
        })?;
        if head.workbench_id != self.store.workbench_id() {
            return Err(WorkbenchError::HeadFile {
                file_name,
                reason: "belongs to another workbench",
            });
        }
        let chain_holds_head = self.store.audit_contains(head.seq, &head.hash)?;
        let grants = self.store.grant_check()?;
        let signer = UserId(head.signed_by_user);
        let key = hex::decode(&head.signer_key)
            .ok()
            .and_then(|bytes| SigningPublicKey::from_slice(&bytes));
        let signature = hex::decode(&head.signature).unwrap_or_default();
        let statement = audit_head_statement(&head.workbench_id, head.seq, &head.hash);
        let signature_valid = key.is_some_and(|key| {
            grants.key_is_users(signer, &key) && key.verifies(&statement, &signature)
        });
        let signed_by = self
            .store
            .all_users()?
            .into_iter()
            .find(|u| u.user.id == signer)
            .map(|u| u.user.name);
        let check = HeadCheck {
            seq: head.seq,
            hash: head.hash.to_hex(),
            chain_holds_head,
            signature_valid,
            signed_by,
        };
        let detail = serde_json::json!({
            "seq": check.seq,
            "chain_holds_head": check.chain_holds_head,
            "signature_valid": check.signature_valid,
        });
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::AuditHeadChecked, "audit_log")
                    .with_detail(detail.to_string()),
            )
        })?;
        Ok(check)
    }
}
