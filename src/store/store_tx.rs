//! One write transaction, with the audit entries that record it.

use super::StoreError;
use super::audit_log;
use super::now_utc_rfc3339;
use super::users::{self, StoredUser};
use crate::crypto::SlotId;
use crate::domain::{AuditHash, NewAuditEntry, Role, UserId};
use rusqlite::Transaction;

/// Who is acting, and why: stamped on every audit entry of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub user_name: String,
    /// The session's current purpose: the justification for consultation and disclosure.
    pub justification: String,
}

impl Actor {
    /// Used when no user is identified (ingesting failed-login records before the login entry).
    #[must_use]
    pub fn system() -> Self {
        Self {
            user_id: None,
            user_name: String::from("(system)"),
            justification: String::new(),
        }
    }
}

/// A write transaction in progress. Dropped without `commit`, it rolls back.
pub struct StoreTx<'a> {
    tx: Transaction<'a>,
    actor: Actor,
    genesis: AuditHash,
    head: Option<(i64, AuditHash)>,
}

impl std::fmt::Debug for StoreTx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreTx").finish_non_exhaustive()
    }
}

impl<'a> StoreTx<'a> {
    pub(crate) fn new(tx: Transaction<'a>, actor: &Actor, genesis: AuditHash) -> Self {
        Self {
            tx,
            actor: actor.clone(),
            genesis,
            head: None,
        }
    }

    pub(crate) fn commit(self) -> Result<(), StoreError> {
        self.tx.commit()?;
        Ok(())
    }

    /// Appends an entry to the audit chain, as the transaction's actor.
    ///
    /// # Errors
    /// SQL errors.
    pub fn audit(&mut self, entry: NewAuditEntry) -> Result<i64, StoreError> {
        let actor = self.actor.clone();
        self.audit_as(&actor, &now_utc_rfc3339(), entry)
    }

    /// Appends an entry with an explicit actor and time (a failed login recorded later keeps the
    /// time of the attempt and what was typed as the name).
    ///
    /// # Errors
    /// SQL errors.
    pub fn audit_as(
        &mut self,
        actor: &Actor,
        at_utc: &str,
        entry: NewAuditEntry,
    ) -> Result<i64, StoreError> {
        let head = match self.head {
            Some(head) => head,
            None => audit_log::head(&self.tx, &self.genesis)?.as_pair(),
        };
        let (seq, hash) = audit_log::append(&self.tx, head, actor, at_utc, entry)?;
        self.head = Some((seq, hash));
        Ok(seq)
    }

    /// Adds a user; returns their id.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] if an active user already has that name; SQL errors.
    pub fn insert_user(
        &mut self,
        name: &str,
        role: Role,
        slot_id: SlotId,
        public_key: &[u8; 32],
    ) -> Result<UserId, StoreError> {
        users::insert(
            &self.tx,
            name,
            role,
            slot_id,
            public_key,
            self.actor.user_id,
        )
    }

    /// The active user with this name (case-insensitive).
    ///
    /// # Errors
    /// SQL errors.
    pub fn active_user_by_name(&self, name: &str) -> Result<Option<StoredUser>, StoreError> {
        users::active_by_name(&self.tx, name)
    }

    /// Every user, active and removed.
    ///
    /// # Errors
    /// SQL errors.
    pub fn all_users(&self) -> Result<Vec<StoredUser>, StoreError> {
        users::all(&self.tx)
    }

    /// Marks a user removed (they stay in the table for the audit trail).
    ///
    /// # Errors
    /// SQL errors.
    pub fn remove_user(&mut self, id: UserId) -> Result<(), StoreError> {
        users::mark_removed(&self.tx, id, self.actor.user_id)
    }

    /// Points a user at a new key slot (after an inspector's password reset).
    ///
    /// # Errors
    /// SQL errors.
    pub fn replace_user_slot(
        &mut self,
        id: UserId,
        slot_id: SlotId,
        public_key: &[u8; 32],
    ) -> Result<(), StoreError> {
        users::replace_slot(&self.tx, id, slot_id, public_key)
    }

    /// Records that a failed-login record was ingested; false if it already was.
    ///
    /// # Errors
    /// SQL errors.
    pub fn mark_failed_login_ingested(&mut self, record_id: &str) -> Result<bool, StoreError> {
        let inserted = self.tx.execute(
            "INSERT OR IGNORE INTO ingested_failed_logins (record_id) VALUES (?1)",
            [record_id],
        )?;
        Ok(inserted == 1)
    }
}
