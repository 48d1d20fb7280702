//! Files attached to items: kept inside the encrypted store; reading one is a consultation and
//! saving one to disk a recorded disclosure.

use super::disclosure::Disclosure;
use super::intel_ops::existing_item;
use super::user_file;
use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AttachmentId, AuditAction, NewAuditEntry};
use crate::store::AttachmentInfo;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Largest attachment accepted: 25 MiB. Larger evidence belongs in the force's evidence store;
/// the workbench keeps what analysts read (statements, screenshots, extracts).
pub const MAX_ATTACHMENT_BYTES: u64 = 25 * 1024 * 1024;

/// The media type, from the content's first bytes (never trusting the file name).
#[must_use]
pub fn sniff_media_type(content: &[u8]) -> &'static str {
    if content.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if content.starts_with(b"%PDF-") {
        "application/pdf"
    } else if std::str::from_utf8(content).is_ok() {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

impl Workbench {
    /// Attaches a file's bytes to an item.
    ///
    /// # Errors
    /// [`WorkbenchError::AttachmentTooLarge`]; no such item; permission errors.
    pub fn attach_file(
        &mut self,
        reference: &str,
        file_name: &str,
        content: &[u8],
    ) -> Result<AttachmentInfo, WorkbenchError> {
        self.require(Action::RecordIntelligence)?;
        let size = u64::try_from(content.len()).unwrap_or(u64::MAX);
        if size > MAX_ATTACHMENT_BYTES {
            return Err(WorkbenchError::AttachmentTooLarge {
                size,
                limit: MAX_ATTACHMENT_BYTES,
            });
        }
        let file_name: String = Path::new(file_name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| String::from("attachment"));
        let media_type = sniff_media_type(content);
        let sha256 = hex::encode(Sha256::digest(content));
        self.store.write(
            &self.actor(),
            |tx| -> Result<AttachmentInfo, WorkbenchError> {
                let item = existing_item(tx.reader(), reference, tx.actor_user())?;
                let id = tx.insert_attachment(item.id, &file_name, media_type, content, &sha256)?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::AttachmentAdded, format!("attachment:{id}"))
                        .with_detail(
                            serde_json::json!({
                                "item": item.reference,
                                "bytes": size,
                                "sha256": sha256,
                                "media_type": media_type,
                            })
                            .to_string(),
                        ),
                )?;
                tx.reader()
                    .attachments(item.id)?
                    .into_iter()
                    .find(|a| a.id == id)
                    .ok_or(WorkbenchError::NoSuchAttachment)
            },
        )
    }

    /// Attaches the file at `path` to an item, under its file name. The size limit
    /// ([`MAX_ATTACHMENT_BYTES`]) is checked from the file's metadata before it is read, and
    /// again on the bytes read; then as [`Workbench::attach_file`] (one `attachment.add`
    /// entry).
    ///
    /// # Errors
    /// Permission errors (`RecordIntelligence`); [`WorkbenchError::NoSuchItem`];
    /// [`WorkbenchError::AttachmentTooLarge`]; [`WorkbenchError::FileRead`] naming the file by
    /// its file name only.
    pub fn attach_file_from_path(
        &mut self,
        reference: &str,
        path: &Path,
    ) -> Result<AttachmentInfo, WorkbenchError> {
        self.require(Action::RecordIntelligence)?;
        // An item that does not exist is refused before a large file is read.
        existing_item(self.store.reader(), reference, Some(self.user.id))?;
        let content = user_file::read_limited(path, MAX_ATTACHMENT_BYTES)?;
        self.attach_file(reference, &user_file::file_name(path), &content)
    }

    /// The attachments of an item (names and sizes, no content).
    ///
    /// # Errors
    /// No such item; permission errors.
    pub fn attachments(&mut self, reference: &str) -> Result<Vec<AttachmentInfo>, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        let reader = self.store.reader();
        let item = existing_item(reader, reference, Some(self.user.id))?;
        Ok(reader.attachments(item.id)?)
    }

    /// An attachment's content, to view in the app. Recorded as a consultation.
    ///
    /// # Errors
    /// No such attachment; permission errors (a purpose is required).
    pub fn view_attachment(
        &mut self,
        id: AttachmentId,
    ) -> Result<(AttachmentInfo, Vec<u8>), WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        self.store
            .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                let found = tx
                    .reader()
                    .attachment(id)?
                    .ok_or(WorkbenchError::NoSuchAttachment)?;
                attachment_visible(tx.reader(), found.0.item_id, tx.actor_user())?;
                tx.audit(NewAuditEntry::new(
                    AuditAction::AttachmentViewed,
                    format!("attachment:{id}"),
                ))?;
                Ok(found)
            })
    }

    /// Saves an attachment to `out` (which must not exist): a disclosure, recorded with the
    /// purpose. The file leaves the workbench's protection, so the GUI asks first.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); no such attachment; `out` exists; I/O errors.
    pub fn export_attachment(
        &mut self,
        id: AttachmentId,
        out: &Path,
    ) -> Result<AttachmentInfo, WorkbenchError> {
        self.require(Action::ExportAttachment)?;
        let (info, content) = self
            .store
            .reader()
            .attachment(id)?
            .ok_or(WorkbenchError::NoSuchAttachment)?;
        attachment_visible(self.store.reader(), info.item_id, Some(self.user.id))?;
        let object = format!("attachment:{id}");
        let disclosure = Disclosure {
            action: AuditAction::AttachmentExported,
            object: &object,
            format: None,
            extra: None,
        };
        self.disclose_bytes(out, disclosure, &content)?;
        Ok(info)
    }
}

/// An attachment is restricted with its item.
fn attachment_visible(
    reader: crate::store::StoreReader<'_>,
    item: crate::domain::ItemId,
    viewer: Option<crate::domain::UserId>,
) -> Result<(), WorkbenchError> {
    if let Some(item) = reader.item(item)? {
        super::intel_ops::check_visible(reader, &item, viewer)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_come_from_content() {
        assert_eq!(sniff_media_type(b"\x89PNG\r\n\x1a\nrest"), "image/png");
        assert_eq!(sniff_media_type(&[0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg");
        assert_eq!(sniff_media_type(b"plain words"), "text/plain");
        assert_eq!(
            sniff_media_type(&[0, 159, 146, 150]),
            "application/octet-stream"
        );
    }
}
