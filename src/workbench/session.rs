//! An unlocked workbench: the user, their purpose, the open store and the master key.

use super::WorkbenchError;
use super::keyring::Keyring;
use crate::domain::{
    Action, ActionKind, AuditAction, AuditEntry, Clock, IntelQuery, IsoDate, NewAuditEntry,
    ReferenceData, Role, User, validate_purpose,
};
use crate::store::{Actor, AuditHead, AuditVerification, Store};
use std::path::Path;

/// An unlocked workbench. Dropping it (or [`Workbench::lock`]) closes the store and zeroizes the
/// master key.
pub struct Workbench {
    /// The master key and the key files: reachable only from `keyring` and its submodules.
    pub(super) keys: Keyring,
    pub(super) store: Store,
    pub(super) user: User,
    pub(super) purpose: Option<String>,
    /// Whether this session has recorded its consultation of the audit log under the current
    /// purpose (paging through the log is one consultation, not one per page).
    pub(super) audit_view_recorded: bool,
    /// The newest reference data version: what new records are validated against.
    pub(super) reference: ReferenceData,
    /// The last intelligence log query recorded as a consultation (paging is not re-recorded).
    pub(super) last_listed: Option<IntelQuery>,
    /// The last link graph loaded, kept until nominals or links change or another filter is
    /// asked for: a chart expands and finds paths on it without reloading a million links.
    pub(super) graph_cache: Option<super::graph_ops::GraphCache>,
    /// Where "today" comes from: the system clock, or a fixed day in tests.
    pub(super) clock: Clock,
    /// This machine's settings folder, where the last audit head seen of each workbench is kept
    /// (`None`: not recorded, as when the platform has no such folder).
    pub(super) machine_dir: Option<std::path::PathBuf>,
    /// What the unlock found and the user must be told (each is also in the audit log).
    pub(super) unlock_warnings: Vec<super::UnlockWarning>,
}

impl std::fmt::Debug for Workbench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbench")
            .field("user_id", &self.user.id)
            .field("role", &self.user.role)
            .finish_non_exhaustive()
    }
}

impl Workbench {
    /// A session on an open store, as the user `keys` unlocked: no purpose yet, today from the
    /// system clock.
    pub(super) fn new_session(
        keys: Keyring,
        store: Store,
        user: User,
        reference: ReferenceData,
    ) -> Self {
        Workbench {
            keys,
            store,
            user,
            purpose: None,
            audit_view_recorded: false,
            reference,
            last_listed: None,
            graph_cache: None,
            clock: Clock::system(),
            machine_dir: None,
            unlock_warnings: Vec::new(),
        }
    }

    /// What the unlock found that the user must be told: a store older than this machine last
    /// saw, role grants that do not verify, signing not yet switched on. Empty when all is well.
    #[must_use]
    pub fn unlock_warnings(&self) -> &[super::UnlockWarning] {
        &self.unlock_warnings
    }

    /// The folder this workbench lives in.
    #[must_use]
    pub fn root(&self) -> &Path {
        self.keys.root()
    }

    /// The signed-in user.
    #[must_use]
    pub fn user(&self) -> &User {
        &self.user
    }

    #[must_use]
    pub fn role(&self) -> Role {
        self.user.role
    }

    /// Today, as the session's clock has it: the date every operation that depends on the day
    /// uses (validation of dates in the future, links valid today, reviews due), and the
    /// default a command line gives a date it is not told.
    #[must_use]
    pub fn today(&self) -> IsoDate {
        self.clock.today()
    }

    /// Fixes the session's "today" (or gives it back to the system clock), so tests can check
    /// the rules that depend on the day. Test builds only: a user must not be able to backdate
    /// the records or the audit log.
    #[cfg(feature = "test-hooks")]
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The session's purpose, if set.
    #[must_use]
    pub fn purpose(&self) -> Option<&str> {
        self.purpose.as_deref()
    }

    pub(super) fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user.id),
            user_name: self.user.name.clone(),
            justification: self.purpose.clone().unwrap_or_default(),
        }
    }

    /// Checks the role may do `action`, and that a consultation or disclosure has a purpose.
    ///
    /// # Errors
    /// [`WorkbenchError::PermissionDenied`] or [`WorkbenchError::PurposeRequired`].
    pub fn require(&mut self, action: Action) -> Result<(), WorkbenchError> {
        let refusal = if !action.is_permitted_for(self.user.role) {
            WorkbenchError::PermissionDenied {
                action: action.describe(),
                role: self.user.role,
            }
        } else if matches!(
            action.kind(),
            ActionKind::Consultation | ActionKind::Disclosure
        ) && self.purpose.is_none()
        {
            WorkbenchError::PurposeRequired {
                action: action.describe(),
            }
        } else {
            return Ok(());
        };
        // Every refusal is recorded: someone trying what their role does not allow is what an
        // inspector reviewing the log needs to see. A failure to record does not hide the refusal.
        let detail = serde_json::json!({
            "action": action.describe(),
            "role": self.user.role.as_str(),
            "reason": if matches!(refusal, WorkbenchError::PurposeRequired { .. }) {
                "no purpose set"
            } else {
                "not permitted for the role"
            },
        });
        let recorded = self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::PermissionRefused, "session")
                    .with_detail(detail.to_string()),
            )
        });
        if let Err(err) = recorded {
            tracing::warn!("could not record a refusal: {err}");
        }
        Err(refusal)
    }

    /// Records a refusal to show an item restricted to others (it is a permission refusal like
    /// any other), and passes the result on.
    pub(super) fn noting_refusal<T>(
        &mut self,
        result: Result<T, WorkbenchError>,
    ) -> Result<T, WorkbenchError> {
        if let Err(WorkbenchError::RestrictedItem { reference }) = &result {
            let detail = serde_json::json!({
                "action": "read a restricted item",
                "reason": "not on the item's list",
            });
            let recorded = self.store.write(&self.actor(), |tx| {
                tx.audit(
                    NewAuditEntry::new(AuditAction::PermissionRefused, format!("item:{reference}"))
                        .with_detail(detail.to_string()),
                )
            });
            if let Err(err) = recorded {
                tracing::warn!("could not record a refusal: {err}");
            }
        }
        result
    }

    /// Sets the purpose (operation reference or reason) recorded against every consultation and
    /// disclosure from now on, and records the change.
    ///
    /// # Errors
    /// Validation errors for an empty or over-long purpose; store errors.
    pub fn set_purpose(&mut self, purpose: &str) -> Result<(), WorkbenchError> {
        let purpose = validate_purpose(purpose)?;
        let mut actor = self.actor();
        actor.justification.clone_from(&purpose);
        self.store.write(&actor, |tx| {
            tx.audit(NewAuditEntry::new(AuditAction::PurposeSet, "session"))
        })?;
        self.purpose = Some(purpose);
        self.audit_view_recorded = false;
        self.last_listed = None;
        Ok(())
    }

    /// Every user, active and removed.
    ///
    /// # Errors
    /// Permission or store errors.
    pub fn users(&mut self) -> Result<Vec<User>, WorkbenchError> {
        self.require(Action::ListUsers)?;
        let users = self.store.write(&self.actor(), |tx| {
            tx.audit(NewAuditEntry::new(AuditAction::UsersListed, "users"))?;
            tx.all_users()
        })?;
        Ok(users.into_iter().map(|stored| stored.user).collect())
    }

    /// Every user's id and name, to show owners and authors (names of colleagues in the
    /// unit, not personal data from the records).
    ///
    /// # Errors
    /// Store errors.
    pub fn user_names(&self) -> Result<Vec<(crate::domain::UserId, String)>, WorkbenchError> {
        let mut names: Vec<_> = self.store.reader().user_names()?.into_iter().collect();
        names.sort();
        Ok(names)
    }

    /// The audit chain head, for the status bar (reads no personal data, so is not audited).
    ///
    /// # Errors
    /// Store errors.
    pub fn audit_head(&self) -> Result<AuditHead, WorkbenchError> {
        Ok(self.store.audit_head()?)
    }

    /// Checks the whole audit chain, and records that it was checked and with what result.
    ///
    /// # Errors
    /// Permission or store errors. A broken chain is an `Ok` result with `first_break` set.
    pub fn verify_audit_log(&mut self) -> Result<AuditVerification, WorkbenchError> {
        self.require(Action::VerifyAuditLog)?;
        let verification = self.store.verify_audit_log()?;
        let detail = serde_json::json!({
            "entries_checked": verification.entries_checked,
            "intact": verification.is_intact(),
            "first_bad_entry": verification.first_break.as_ref().map(|b| b.seq),
        });
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::AuditVerified, "audit_log")
                    .with_detail(detail.to_string()),
            )
        })?;
        Ok(verification)
    }

    /// Audit entries from `first_seq` (1-based), at most `count`. The first call under a purpose
    /// records the consultation.
    ///
    /// # Errors
    /// Permission (inspectors only, with a purpose) or store errors.
    pub fn audit_entries(
        &mut self,
        first_seq: i64,
        count: usize,
    ) -> Result<Vec<AuditEntry>, WorkbenchError> {
        self.require(Action::ViewAuditLog)?;
        if !self.audit_view_recorded {
            self.store.write(&self.actor(), |tx| {
                tx.audit(NewAuditEntry::new(AuditAction::AuditViewed, "audit_log"))
            })?;
            self.audit_view_recorded = true;
        }
        Ok(self.store.audit_entries(first_seq, count)?)
    }

    /// Locks the workbench: records the logout, closes the store (dropping `SQLCipher`'s key and
    /// page cache) and zeroizes the master key.
    ///
    /// # Errors
    /// Store errors while recording or closing; the keys are dropped regardless.
    pub fn lock(mut self) -> Result<(), WorkbenchError> {
        let recorded = self.store.write(&self.actor(), |tx| {
            tx.audit(NewAuditEntry::new(AuditAction::Logout, "session"))
        });
        if recorded.is_ok() {
            self.note_head_on_this_machine();
        }
        let Workbench { store, keys, .. } = self;
        drop(keys);
        let closed = store.close();
        recorded?;
        closed?;
        Ok(())
    }

    /// The store, for the tests that tamper with it as an attacker would.
    #[cfg(feature = "test-hooks")]
    #[must_use]
    pub fn store_for_tests(&self) -> &Store {
        &self.store
    }

    /// The store, writable, for benchmarks that append in bulk.
    #[cfg(feature = "test-hooks")]
    pub fn store_for_tests_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The master key, for benchmarks that time opening the store without Argon2id.
    #[cfg(feature = "test-hooks")]
    #[must_use]
    pub fn master_key_for_tests(&self) -> &crate::crypto::MasterKey {
        self.keys.master_key_for_tests()
    }

    /// The signed-in user as the audit log's actor.
    #[cfg(feature = "test-hooks")]
    #[must_use]
    pub fn actor_for_tests(&self) -> Actor {
        self.actor()
    }
}
