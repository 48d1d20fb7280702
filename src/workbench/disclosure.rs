//! The one place a file leaves the workbench. Every export (graph, chart, list, report,
//! intervention record, attachment) is a disclosure under the law's logging duty: it is
//! recorded with the session's purpose, the file's place, size and SHA-256 before the file is
//! written, so no file leaves without its record, whatever fails or crashes on the way.
//!
//! The order is: render the content in memory; create the file (an existing one is refused
//! before anything is recorded); record the disclosure (if that fails, the empty file is
//! removed and nothing left); write and sync the content (if that fails, the file is removed;
//! the record of the attempt stays, which errs on the side of the log).

use super::{Workbench, WorkbenchError};
use crate::domain::{AuditAction, NewAuditEntry};
use crate::store::StoreError;
use sha2::Digest;
use std::io::Write;
use std::path::Path;

/// What the audit log says of a disclosure.
#[derive(Debug, Clone, Copy)]
pub(super) struct Disclosure<'a> {
    pub action: AuditAction,
    /// The audit entry's object (`graph`, `chart`, `cohort:beacon`, `attachment:7`, ...).
    pub object: &'a str,
    /// The file format, when the export chooses one (`graphml`, `csv`, `png`, ...).
    pub format: Option<&'a str>,
}

impl Workbench {
    /// Writes the export `render` makes to `out` (which must not exist), recording the
    /// disclosure first. `render` writes into memory; its I/O errors are the writer's.
    pub(super) fn disclose(
        &mut self,
        out: &Path,
        disclosure: Disclosure<'_>,
        render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
    ) -> Result<(), WorkbenchError> {
        let mut content = Vec::new();
        render(&mut content).map_err(|e| StoreError::io("write", "the output file", e))?;
        self.disclose_bytes(out, disclosure, &content)
    }

    /// [`Workbench::disclose`] of an export in `format`, recorded as `action` on `object`.
    pub(super) fn write_export(
        &mut self,
        out: &Path,
        action: AuditAction,
        object: &str,
        format: &str,
        render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
    ) -> Result<(), WorkbenchError> {
        let disclosure = Disclosure {
            action,
            object,
            format: Some(format),
        };
        self.disclose(out, disclosure, render)
    }

    /// Writes `content` to `out` (which must not exist), recording the disclosure first.
    pub(super) fn disclose_bytes(
        &mut self,
        out: &Path,
        disclosure: Disclosure<'_>,
        content: &[u8],
    ) -> Result<(), WorkbenchError> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(out)
            .map_err(|e| StoreError::io("create", "the output file", e))?;
        let mut detail = serde_json::json!({
            "path": out.display().to_string(),
            "bytes": content.len(),
            "sha256": hex::encode(sha2::Sha256::digest(content)),
        });
        if let Some(format) = disclosure.format {
            detail["format"] = serde_json::Value::from(format);
        }
        let recorded = self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(disclosure.action, disclosure.object)
                    .with_detail(detail.to_string()),
            )
        });
        if let Err(err) = recorded {
            drop(file);
            let _ = std::fs::remove_file(out);
            return Err(err.into());
        }
        let written = file.write_all(content).and_then(|()| file.sync_all());
        if let Err(e) = written {
            drop(file);
            let _ = std::fs::remove_file(out);
            return Err(StoreError::io("write", "the output file", e).into());
        }
        Ok(())
    }
}
