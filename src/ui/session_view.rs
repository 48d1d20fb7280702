//! What the UI knows about the unlocked session: a read-only copy, updated from responses.

use crate::domain::{ReferenceData, User};
use crate::store::AuditHead;
use std::sync::Arc;

/// The session as panels see it during a frame.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub user: User,
    pub purpose: Option<String>,
    pub head: AuditHead,
    /// A long operation under way on the session thread, if any.
    pub busy: Option<&'static str>,
    /// The code lists forms and tables show.
    pub reference: Arc<ReferenceData>,
}
