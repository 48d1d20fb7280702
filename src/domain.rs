//! Pure domain types: roles, permissions, users and audit entries. No I/O, no SQL, no GUI.

mod audit_entry;
mod permission;
mod role;
mod user;
mod validation;

pub use audit_entry::{
    AuditAction, AuditEntry, AuditHash, AuditRecordBytes, NewAuditEntry, genesis_hash,
};
pub use permission::{Action, ActionKind};
pub use role::Role;
pub use user::{User, UserId};
pub use validation::{
    MAX_PURPOSE_CHARS, MIN_PASSWORD_CHARS, ValidationError, validate_password, validate_purpose,
    validate_user_name,
};
