//! Backups: a consistent, encrypted copy of the whole workbench folder that opens with the same
//! credentials, and restoring one.

use crate::crypto::random_bytes;
use crate::domain::{Action, AuditAction, NewAuditEntry};
use crate::store::{Manifest, StoreError, WorkbenchLayout};
use crate::workbench::{Workbench, WorkbenchError};
use std::fs;
use std::path::{Path, PathBuf};

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub store_bytes: u64,
    pub slots: usize,
}

impl Workbench {
    /// Writes a backup folder at `out` (which must not exist): the store exported through
    /// `SQLCipher` under the same master key, the manifest and every active user's slot. The copy
    /// is built beside `out` and renamed into place, so `out` is either complete or absent.
    ///
    /// # Errors
    /// Permission (inspectors, with a purpose: a backup is a disclosure) or I/O errors.
    pub fn backup(&mut self, out: &Path) -> Result<BackupReport, WorkbenchError> {
        self.require(Action::Backup)?;
        if out.exists() {
            return Err(StoreError::AlreadyExists.into());
        }
        let partial = partial_path(out)?;
        let result = self.write_backup_folder(&partial);
        let report = match result.and_then(|report| {
            fs::rename(&partial, out).map_err(|e| StoreError::io("rename", "the backup", e))?;
            Ok(report)
        }) {
            Ok(report) => report,
            Err(err) => {
                WorkbenchLayout::new(&partial).remove_half_built(false);
                return Err(err.into());
            }
        };
        let report = BackupReport {
            path: out.to_path_buf(),
            ..report
        };
        let detail = serde_json::json!({
            "path": out.display().to_string(),
            "store_bytes": report.store_bytes,
            "slots": report.slots,
        });
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::BackupWritten, "workbench")
                    .with_detail(detail.to_string()),
            )
        })?;
        Ok(report)
    }

    fn write_backup_folder(&self, dir: &Path) -> Result<BackupReport, StoreError> {
        let target = WorkbenchLayout::new(dir);
        target.create_folders()?;
        self.store
            .export_copy(&target.store_path(), &self.keys.master_key)?;
        let store_bytes = fs::metadata(target.store_path())
            .map_err(|e| StoreError::io("read", "the backup store", e))?
            .len();
        let manifest = Manifest::read(&self.keys.layout)?;
        manifest.write(&target)?;
        let mut slots = 0;
        for stored in self.store.all_users()? {
            if stored.user.is_active() {
                let slot = self.keys.layout.read_slot_file(stored.slot_id)?;
                target.write_slot(&slot)?;
                slots += 1;
            }
        }
        crate::store::sync_dir(dir)?;
        Ok(BackupReport {
            path: dir.to_path_buf(),
            store_bytes,
            slots,
        })
    }
}

fn partial_path(out: &Path) -> Result<PathBuf, StoreError> {
    let name = out
        .file_name()
        .ok_or(StoreError::Conflict("the backup path has no folder name"))?
        .to_string_lossy()
        .into_owned();
    let suffix = hex::encode(
        random_bytes::<6>()
            .map_err(|_| StoreError::Conflict("the random number generator failed"))?,
    );
    Ok(out.with_file_name(format!(".{name}.partial-{suffix}")))
}

/// Restores a backup folder to `to` (which must not exist) by copying it; the restored workbench
/// opens with the same user names and passwords as when the backup was made. Nothing is
/// decrypted: this needs no credentials, and the restored copy is checked at its first unlock.
///
/// # Errors
/// [`StoreError::NotAWorkbench`] if `from` is not a workbench; [`StoreError::AlreadyExists`];
/// I/O errors (a partial copy is removed).
pub fn restore_backup(from: &Path, to: &Path) -> Result<(), WorkbenchError> {
    let source = WorkbenchLayout::new(from);
    Manifest::read(&source)?;
    if !source.store_path().is_file() {
        return Err(StoreError::NotAWorkbench("the backup has no store.db").into());
    }
    if to.exists() {
        return Err(StoreError::AlreadyExists.into());
    }
    let partial = partial_path(to)?;
    let copied = (|| -> Result<(), StoreError> {
        let target = WorkbenchLayout::new(&partial);
        target.create_folders()?;
        copy_file(&source.manifest_path(), &target.manifest_path())?;
        copy_file(&source.store_path(), &target.store_path())?;
        // Committed pages not yet checkpointed travel with the store; the shared-memory
        // index is rebuilt when the copy opens.
        let wal = source.store_wal_path();
        if wal.is_file() {
            copy_file(&wal, &target.store_wal_path())?;
        }
        for id in source.slot_ids()? {
            copy_file(&source.slot_path(id), &target.slot_path(id))?;
        }
        crate::store::sync_dir(&partial)?;
        fs::rename(&partial, to).map_err(|e| StoreError::io("rename", "the restored workbench", e))
    })();
    if let Err(err) = copied {
        WorkbenchLayout::new(&partial).remove_half_built(false);
        return Err(err.into());
    }
    Ok(())
}

fn copy_file(from: &Path, to: &Path) -> Result<(), StoreError> {
    fs::copy(from, to).map_err(|e| StoreError::io("copy", "a workbench file", e))?;
    fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::io("sync", "a workbench file", e))
}
