//! The one place a file leaves the workbench. Every export (graph, chart, list, report,
//! intervention record, attachment, signed head) is a disclosure under the law's logging duty:
//! it is recorded with the session's purpose, the file's place, size and SHA-256 before the
//! file exists under its name, so no file leaves without its record, whatever fails or crashes
//! on the way.
//!
//! The order is: render the content in memory; refuse a target that exists; commit the
//! disclosure's entry (the export *started*, with the hash of what will be written); write the
//! content to a temporary file beside the target (created new, readable by the owner only,
//! named `.<name>.<random>.partial`), sync it; commit `export.complete` with the hash and size;
//! move the file into place without overwriting anything. A crash or failure before the move
//! leaves the started entry and no file under the target's name (a failure removes the
//! temporary file; a crash can leave it, marked `.partial`); the log errs on the side of having
//! recorded an attempt.

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
    /// What else the record says of the disclosure: the items it discloses, its recipient.
    pub extra: Option<&'a serde_json::Value>,
}

/// Who a disclosure that quotes intelligence is for, and the discloser's confirmation that
/// items with handling code C (conditions on their use) may go to them.
#[derive(Debug, Clone, Copy)]
pub struct Release<'a> {
    /// The stated recipient (a post or a person), recorded with the disclosure.
    pub recipient: &'a str,
    /// The discloser has checked the C items' conditions allow this release.
    pub confirm_c_items: bool,
    /// Include what the disclosure leaves out by default (a transferee package's items assessed
    /// E or closed with no further action). Inspectors only; recorded.
    pub include_left_out: bool,
}

impl Release<'_> {
    /// Checks the recipient and, when `c_items` is not zero, the confirmation.
    pub(super) fn check(&self, c_items: usize) -> Result<String, WorkbenchError> {
        let recipient = self.recipient.trim();
        if recipient.is_empty() {
            return Err(WorkbenchError::Refused(
                "name the recipient of the disclosure (a post or a person)",
            ));
        }
        if recipient.chars().count() > 200 || recipient.chars().any(char::is_control) {
            return Err(WorkbenchError::Refused(
                "the recipient must be one line of at most 200 characters",
            ));
        }
        if c_items > 0 && !self.confirm_c_items {
            return Err(WorkbenchError::CItemsNeedConfirmation { count: c_items });
        }
        Ok(recipient.to_owned())
    }
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
            extra: None,
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
        if out.exists() {
            return Err(StoreError::OutputExists.into());
        }
        let sha256 = hex::encode(sha2::Sha256::digest(content));
        let mut detail = serde_json::json!({
            "path": out.display().to_string(),
            "bytes": content.len(),
            "sha256": sha256,
            "phase": "started",
        });
        if let Some(format) = disclosure.format {
            detail["format"] = serde_json::Value::from(format);
        }
        if let Some(serde_json::Value::Object(extra)) = disclosure.extra {
            for (key, value) in extra {
                detail[key] = value.clone();
            }
        }
        let started = self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(disclosure.action, disclosure.object)
                    .with_detail(detail.to_string()),
            )
        })?;
        crash_point_for_tests("export-started");
        let partial = partial_path(out)?;
        let written = write_private(&partial, content);
        if let Err(err) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(err.into());
        }
        crash_point_for_tests("export-written");
        let completed = serde_json::json!({
            "started": started,
            "bytes": content.len(),
            "sha256": sha256,
        });
        let recorded = self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::ExportCompleted, disclosure.object)
                    .with_detail(completed.to_string()),
            )
        });
        if let Err(err) = recorded {
            let _ = std::fs::remove_file(&partial);
            return Err(err.into());
        }
        if let Err(err) = move_into_place(&partial, out) {
            let _ = std::fs::remove_file(&partial);
            return Err(err.into());
        }
        Ok(())
    }
}

/// A temporary name beside `out`, marked as incomplete.
fn partial_path(out: &Path) -> Result<std::path::PathBuf, StoreError> {
    let name = out
        .file_name()
        .ok_or(StoreError::Conflict("the output path has no file name"))?
        .to_string_lossy()
        .into_owned();
    let suffix = hex::encode(
        crate::crypto::random_bytes::<6>()
            .map_err(|_| StoreError::Conflict("the random number generator failed"))?,
    );
    Ok(out.with_file_name(format!(".{name}.{suffix}.partial")))
}

/// Creates `path` (it must not exist), readable and writable by the owner only where the
/// platform has modes, writes `content` and syncs it.
fn write_private(path: &Path, content: &[u8]) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| StoreError::io("create", "the output file", e))?;
    file.write_all(content)
        .and_then(|()| file.sync_all())
        .map_err(|e| StoreError::io("write", "the output file", e))
}

/// Moves the finished file to its name without overwriting a file that appeared meanwhile: a
/// hard link fails if the target exists; where links are not supported (FAT on a USB stick), the
/// target is checked and the file renamed, which leaves a moment in which a file created by
/// someone else could be replaced.
fn move_into_place(partial: &Path, out: &Path) -> Result<(), StoreError> {
    match std::fs::hard_link(partial, out) {
        Ok(()) => {
            std::fs::remove_file(partial).map_err(|e| StoreError::io("move", "the output file", e))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(StoreError::OutputExists),
        Err(_) => {
            if out.exists() {
                return Err(StoreError::OutputExists);
            }
            std::fs::rename(partial, out).map_err(|e| StoreError::io("move", "the output file", e))
        }
    }
}

/// In test builds, a named point where `CCU_TEST_CRASH_AT` makes the process abort, so a test
/// can show what a crash there leaves. Does nothing in other builds.
fn crash_point_for_tests(point: &str) {
    #[cfg(feature = "test-hooks")]
    if std::env::var("CCU_TEST_CRASH_AT").is_ok_and(|at| at == point) {
        std::process::abort();
    }
    #[cfg(not(feature = "test-hooks"))]
    let _ = point;
}
