//! What the UI knows about the unlocked session: a read-only copy, updated from responses.

use crate::domain::{Action, IsoDate, ReferenceData, User};
use crate::store::AuditHead;
use std::sync::Arc;

impl SessionView {
    /// Whether the signed-in user's role may do `action`, by the library's permission table
    /// (the GUI hides what a role cannot do; the library refuses it either way).
    #[must_use]
    pub fn may(&self, action: Action) -> bool {
        action.is_permitted_for(self.user.role)
    }
}

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
    /// Today's date by the session's clock: what date fields start from.
    pub today: IsoDate,
}
