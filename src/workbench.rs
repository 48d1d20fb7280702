//! The workbench a user has unlocked: every operation checks the role, records the audit entry in
//! the same transaction as the change, and keeps key material only as long as the session.

mod backup;
mod create;
mod error;
mod failed_login_delay;
mod rekey;
mod session;
mod unlock;
mod user_admin;

pub use backup::{BackupReport, restore_backup};
pub use error::WorkbenchError;
pub use failed_login_delay::failed_login_delay_secs;
pub use rekey::RekeyReport;
pub use session::Workbench;
