//! The unit's session policy, kept in the store: the longest a session may stay open without
//! input. An inspector sets it for everyone; each user's own setting can only be shorter, and a
//! settings file edited on one laptop cannot lengthen it.

use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AuditAction, NewAuditEntry};

/// The `workbench_meta` key the policy is kept under.
const IDLE_LOCK_KEY: &str = "idle_lock_max_minutes";

impl Workbench {
    /// The longest idle time (minutes) the unit allows before a session locks, if an inspector
    /// set one. Read by every session at unlock.
    ///
    /// # Errors
    /// Store errors.
    pub fn idle_lock_policy(&self) -> Result<Option<u32>, WorkbenchError> {
        Ok(self
            .store
            .meta(IDLE_LOCK_KEY)?
            .and_then(|text| text.parse::<u32>().ok())
            .map(crate::platform::clamp_idle_lock_minutes))
    }

    /// Sets (or, with `None`, removes) the unit's longest idle time, within
    /// `1..=MAX_IDLE_LOCK_MINUTES`. Inspectors only; recorded.
    ///
    /// # Errors
    /// Permission or store errors.
    pub fn set_idle_lock_policy(&mut self, max_minutes: Option<u32>) -> Result<(), WorkbenchError> {
        self.require(Action::ManageUsers)?;
        let minutes = max_minutes.map(crate::platform::clamp_idle_lock_minutes);
        self.store.write(&self.actor(), |tx| {
            tx.set_meta(IDLE_LOCK_KEY, minutes.map(|m| m.to_string()).as_deref())?;
            tx.audit(
                NewAuditEntry::new(AuditAction::SessionPolicyChanged, "policy:idle_lock")
                    .with_detail(serde_json::json!({ "max_minutes": minutes }).to_string()),
            )
        })?;
        Ok(())
    }
}
