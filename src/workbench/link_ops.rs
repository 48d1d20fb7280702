//! Recording links between nominals.

use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AuditAction, InvalidRecord, Link, LinkFields, NewAuditEntry};

impl Workbench {
    /// Records a link. Its type decides whether it is directed; it must cite at least one
    /// intelligence item or import that supports it, and both must exist.
    ///
    /// # Errors
    /// [`WorkbenchError::Invalid`] (no provenance, unknown type, reversed dates...); a nominal
    /// or source that does not exist; permission errors.
    pub fn create_link(&mut self, fields: &LinkFields) -> Result<Link, WorkbenchError> {
        self.require(Action::RecordNominals)?;
        InvalidRecord::check("the link", fields.validate(&self.reference))?;
        let directed = self.reference.link_is_directed(&fields.link_type);
        let version = self.reference.version;
        self.store
            .write(&self.actor(), |tx| -> Result<Link, WorkbenchError> {
                let id = tx.insert_link(fields, directed, version)?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::LinkCreated, format!("link:{id}")).with_detail(
                        serde_json::json!({
                            "type": fields.link_type,
                            "from": fields.from.0,
                            "to": fields.to.0,
                            "sources": fields.provenance.len(),
                        })
                        .to_string(),
                    ),
                )?;
                tx.reader()
                    .links_for_nominal(fields.from)?
                    .into_iter()
                    .find(|link| link.id == id)
                    .ok_or(WorkbenchError::Refused("the new link was not stored"))
            })
    }
}
