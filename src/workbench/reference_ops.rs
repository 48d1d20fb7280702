//! Reference data in the session: loading the newest version and publishing a new one.

use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AuditAction, NewAuditEntry, ReferenceData};

impl Workbench {
    /// Loads the newest reference data. A workbench with none yet (made before reference data
    /// existed) gets every shipped version; one whose newest version is an unchanged shipped
    /// default gets the shipped versions after it (a correction we ship reaches it), each
    /// audited. A version the force published itself is never replaced: records keep the
    /// version they were graded under either way.
    pub(super) fn load_reference_data(&mut self) -> Result<(), WorkbenchError> {
        let shipped = crate::io::reference_file::shipped_versions()?;
        let latest = self.store.reader().latest_reference()?;
        let to_adopt: Vec<ReferenceData> = match &latest {
            None => shipped,
            Some(newest) => match shipped.iter().position(|s| s == newest) {
                Some(index) => shipped.into_iter().skip(index + 1).collect(),
                None => Vec::new(),
            },
        };
        if to_adopt.is_empty() {
            if let Some(newest) = latest {
                self.reference = newest;
            }
            return Ok(());
        }
        self.store
            .write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
                for version in &to_adopt {
                    tx.insert_reference_version(version)?;
                    tx.audit(
                        NewAuditEntry::new(
                            AuditAction::ReferencePublished,
                            format!("reference:{}", version.version),
                        )
                        .with_detail(
                            serde_json::json!({ "source": "shipped defaults" }).to_string(),
                        ),
                    )?;
                }
                Ok(())
            })?;
        if let Some(newest) = to_adopt.into_iter().last() {
            self.reference = newest;
        }
        Ok(())
    }

    /// The reference data new records are checked against.
    #[must_use]
    pub fn reference_data(&self) -> &ReferenceData {
        &self.reference
    }

    /// A published version, for showing old records with the labels they were graded under.
    ///
    /// # Errors
    /// Store errors.
    pub fn reference_version(&self, version: u32) -> Result<Option<ReferenceData>, WorkbenchError> {
        if version == self.reference.version {
            return Ok(Some(self.reference.clone()));
        }
        Ok(self.store.reader().reference(version)?)
    }

    /// Every published version: number, when, by whom.
    ///
    /// # Errors
    /// Store errors.
    pub fn reference_versions(
        &self,
    ) -> Result<Vec<(u32, String, Option<crate::domain::UserId>)>, WorkbenchError> {
        Ok(self.store.reader().reference_versions()?)
    }

    /// Publishes a new version of the code lists (inspectors). It must be complete and
    /// consistent and numbered one more than the newest; records keep the version they were
    /// graded under.
    ///
    /// # Errors
    /// Permission errors; [`WorkbenchError::ReferenceData`] listing every problem; a wrong
    /// version number.
    pub fn publish_reference_data(&mut self, data: ReferenceData) -> Result<u32, WorkbenchError> {
        self.require(Action::PublishReferenceData)?;
        data.check()?;
        let version = data.version;
        self.store
            .write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
                tx.insert_reference_version(&data)?;
                tx.audit(
                    NewAuditEntry::new(
                        AuditAction::ReferencePublished,
                        format!("reference:{version}"),
                    )
                    .with_detail(serde_json::json!({ "title": data.title }).to_string()),
                )?;
                Ok(())
            })?;
        self.reference = data;
        Ok(version)
    }
}
