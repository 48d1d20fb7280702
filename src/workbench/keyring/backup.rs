//! Backups: a consistent, encrypted copy of the whole workbench folder that opens with the same
//! credentials, and restoring one.

use crate::crypto::random_bytes;
use crate::domain::{Action, AuditAction, NewAuditEntry, Role};
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
        // Recorded before anything is written: a backup is a disclosure of the whole store.
        let started = self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::BackupWritten, "workbench").with_detail(
                    serde_json::json!({
                        "path": out.display().to_string(),
                        "phase": "started",
                    })
                    .to_string(),
                ),
            )
        })?;
        let partial = partial_path(out)?;
        let built = self.write_backup_folder(&partial).and_then(|report| {
            let sha256 = file_sha256(&WorkbenchLayout::new(&partial).store_path())?;
            Ok((report, sha256))
        });
        let (report, sha256) = match built {
            Ok(built) => built,
            Err(err) => {
                WorkbenchLayout::new(&partial).remove_half_built(false);
                return Err(err.into());
            }
        };
        let detail = serde_json::json!({
            "started": started,
            "path": out.display().to_string(),
            "store_bytes": report.store_bytes,
            "store_sha256": sha256,
            "slots": report.slots,
        });
        let recorded = self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::ExportCompleted, "workbench")
                    .with_detail(detail.to_string()),
            )
        });
        let moved = recorded.map_err(WorkbenchError::from).and_then(|_| {
            if out.exists() {
                return Err(StoreError::AlreadyExists.into());
            }
            fs::rename(&partial, out).map_err(|e| StoreError::io("rename", "the backup", e).into())
        });
        if let Err(err) = moved {
            WorkbenchLayout::new(&partial).remove_half_built(false);
            return Err(err);
        }
        Ok(BackupReport {
            path: out.to_path_buf(),
            ..report
        })
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

/// Restores a backup folder to `to` (which must not exist). An inspector's name and password
/// must open the copy: the restore is then recorded inside it (with the head this machine last
/// saw of the workbench, so the entries the restore took back are named), and this machine's
/// record of the last head moves to the restored chain, so the next unlock does not take the
/// restore for a rollback. The copy is built beside `to` and renamed into place.
///
/// # Errors
/// [`StoreError::NotAWorkbench`] if `from` is not a workbench; [`StoreError::AlreadyExists`];
/// the unlock's errors; [`WorkbenchError::PermissionDenied`] for someone who is not an
/// inspector; I/O errors (a partial copy is removed).
pub fn restore_backup(
    from: &Path,
    to: &Path,
    inspector_name: &str,
    password: &str,
    machine_dir: Option<&Path>,
) -> Result<(), WorkbenchError> {
    let source = WorkbenchLayout::new(from);
    Manifest::read(&source)?;
    if !source.store_path().is_file() {
        return Err(StoreError::NotAWorkbench("the backup has no store.db").into());
    }
    if to.exists() {
        return Err(StoreError::AlreadyExists.into());
    }
    let partial = partial_path(to)?;
    let restored = copy_backup(&source, &partial)
        .map_err(WorkbenchError::from)
        .and_then(|()| record_restore(&partial, inspector_name, password, machine_dir))
        .and_then(|()| {
            fs::rename(&partial, to)
                .map_err(|e| StoreError::io("rename", "the restored workbench", e).into())
        });
    if let Err(err) = restored {
        WorkbenchLayout::new(&partial).remove_half_built(false);
        return Err(err);
    }
    Ok(())
}

fn copy_backup(source: &WorkbenchLayout, partial: &Path) -> Result<(), StoreError> {
    let target = WorkbenchLayout::new(partial);
    target.create_folders()?;
    copy_file(&source.manifest_path(), &target.manifest_path())?;
    copy_file(&source.store_path(), &target.store_path())?;
    // Committed pages not yet checkpointed travel with the store; the shared-memory index is
    // rebuilt when the copy opens.
    let wal = source.store_wal_path();
    if wal.is_file() {
        copy_file(&wal, &target.store_wal_path())?;
    }
    for id in source.slot_ids()? {
        copy_file(&source.slot_path(id), &target.slot_path(id))?;
    }
    crate::store::sync_dir(partial)
}

/// Opens the copy as the inspector and records the restore in it.
fn record_restore(
    partial: &Path,
    inspector_name: &str,
    password: &str,
    machine_dir: Option<&Path>,
) -> Result<(), WorkbenchError> {
    let mut workbench = Workbench::unlock_on_machine(partial, inspector_name, password, None)?;
    if workbench.user.role != Role::Inspector {
        return Err(WorkbenchError::PermissionDenied {
            action: "restore a backup",
            role: workbench.user.role,
        });
    }
    let known = machine_dir
        .and_then(|dir| crate::store::read_known_head(dir, workbench.store.workbench_id()));
    let head = workbench.store.audit_head()?;
    let detail = serde_json::json!({
        "backup_head_seq": head.seq,
        "backup_head_hash": head.hash.to_hex(),
        "head_seen_on_this_machine": known.as_ref().map(|k| k.seq),
    });
    workbench.store.write(&workbench.actor(), |tx| {
        tx.audit(
            NewAuditEntry::new(AuditAction::BackupRestored, "workbench")
                .with_detail(detail.to_string()),
        )
    })?;
    workbench.machine_dir = machine_dir.map(Path::to_path_buf);
    workbench.lock()
}

/// SHA-256 of a file, read in blocks (a store can be gigabytes).
fn file_sha256(path: &Path) -> Result<String, StoreError> {
    use sha2::Digest;
    use std::io::Read;
    let mut file =
        fs::File::open(path).map_err(|e| StoreError::io("read", "the backup store", e))?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(|e| StoreError::io("read", "the backup store", e))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn copy_file(from: &Path, to: &Path) -> Result<(), StoreError> {
    fs::copy(from, to).map_err(|e| StoreError::io("copy", "a workbench file", e))?;
    fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::io("sync", "a workbench file", e))
}
