//! A person who can unlock the workbench.

use super::Role;
use serde::{Deserialize, Serialize};

/// The workbench's stable id for a user; never reused, kept after removal for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(pub i64);

/// A user as the workbench records them. Removed users stay, so audit entries keep a referent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    /// UTC time the user was added, RFC 3339.
    pub created_at_utc: String,
    /// UTC time the user was removed, if they were.
    pub removed_at_utc: Option<String>,
}

impl User {
    /// Whether the user can still unlock the workbench.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.removed_at_utc.is_none()
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
