//! The workbench folder: where each file lives, and how files are written so a crash never leaves
//! half a file.
//!
//! ```text
//! Operation-Example.ccuwb/        the workbench: copy, move and back up the folder as one thing
//!   workbench.json                manifest: format version and the audit inbox public key, no names
//!   store.db                      SQLCipher database (everything readable lives here, encrypted)
//!   store.db-wal, store.db-shm    SQLite's write-ahead log (encrypted pages) and its index, while open
//!   slots/<32 hex>.slot           one anonymous key slot per user
//!   failed-logins/<32 hex>.rec    failed unlock attempts, sealed until the next successful unlock
//! ```

use super::StoreError;
use crate::crypto::{KeySlot, SlotId};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The extension of a workbench folder.
pub const WORKBENCH_EXTENSION: &str = "ccuwb";

/// Key slot and record files are small; anything larger is not ours and is not read whole.
const MAX_SMALL_FILE_BYTES: u64 = 64 * 1024;

/// Paths inside one workbench folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbenchLayout {
    root: PathBuf,
}

impl WorkbenchLayout {
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    #[must_use]
    pub fn manifest_path(&self) -> PathBuf {
        self.root.join("workbench.json")
    }

    #[must_use]
    pub fn store_path(&self) -> PathBuf {
        self.root.join("store.db")
    }

    /// SQLite's write-ahead log beside the store: pages committed but not yet checkpointed
    /// into `store.db` (encrypted, like the store). A copy of the store needs it.
    #[must_use]
    pub fn store_wal_path(&self) -> PathBuf {
        self.root.join("store.db-wal")
    }

    /// The write-ahead log's shared-memory index, rebuilt by SQLite when missing.
    #[must_use]
    pub fn store_shm_path(&self) -> PathBuf {
        self.root.join("store.db-shm")
    }

    /// Every file SQLite keeps beside the store while it is open.
    #[must_use]
    pub fn store_side_files(&self) -> [PathBuf; 2] {
        [self.store_wal_path(), self.store_shm_path()]
    }

    #[must_use]
    pub fn slots_dir(&self) -> PathBuf {
        self.root.join("slots")
    }

    #[must_use]
    pub fn slot_path(&self, id: SlotId) -> PathBuf {
        self.slots_dir().join(format!("{}.slot", id.to_hex()))
    }

    #[must_use]
    pub fn failed_logins_dir(&self) -> PathBuf {
        self.root.join("failed-logins")
    }

    /// Creates the empty folder structure. The root must not exist yet, or be an empty folder.
    ///
    /// # Errors
    /// [`StoreError::AlreadyExists`] if the root has anything in it; I/O errors.
    pub fn create_folders(&self) -> Result<(), StoreError> {
        if self.root.exists() {
            let mut entries =
                fs::read_dir(&self.root).map_err(|e| StoreError::io("read", "the folder", e))?;
            if entries.next().is_some() {
                return Err(StoreError::AlreadyExists);
            }
        }
        for dir in [
            self.root.clone(),
            self.slots_dir(),
            self.failed_logins_dir(),
        ] {
            create_private_dir(&dir)?;
        }
        Ok(())
    }

    /// Removes what a creation or copy that failed half-way wrote: the whole folder if the
    /// failed call made it (`root_existed` false), otherwise only the workbench's own files and
    /// folders inside it (the manifest, the store and its side files, slots, failed logins).
    /// Best effort: this runs on the way out of an error, which is the error reported.
    pub fn remove_half_built(&self, root_existed: bool) {
        if root_existed {
            let [wal, shm] = self.store_side_files();
            for path in [self.manifest_path(), self.store_path(), wal, shm] {
                let _ = fs::remove_file(path);
            }
            let _ = fs::remove_dir_all(self.slots_dir());
            let _ = fs::remove_dir_all(self.failed_logins_dir());
        } else {
            let _ = fs::remove_dir_all(&self.root);
        }
    }

    /// The ids of every slot file in `slots/`, sorted.
    ///
    /// # Errors
    /// I/O errors reading the folder.
    pub fn slot_ids(&self) -> Result<Vec<SlotId>, StoreError> {
        let entries =
            fs::read_dir(self.slots_dir()).map_err(|e| StoreError::io("read", "slots/", e))?;
        let mut ids = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| StoreError::io("read", "slots/", e))?;
            let file_name = entry.file_name();
            // Skips temporary files of an interrupted atomic write, and files that are not ours.
            if let Some(id) = file_name
                .to_str()
                .and_then(|name| name.strip_suffix(".slot"))
                .and_then(SlotId::from_hex)
            {
                ids.push(id);
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Every readable slot, and how many slot files are damaged. Unlocking uses this: one damaged
    /// file must not lock every other user out, but the count is reported if the unlock fails.
    ///
    /// # Errors
    /// I/O errors reading the folder.
    pub fn read_slots_lenient(&self) -> Result<(Vec<KeySlot>, usize), StoreError> {
        let mut slots = Vec::new();
        let mut damaged = 0;
        for id in self.slot_ids()? {
            match self.read_slot_file(id) {
                Ok(slot) => slots.push(slot),
                Err(_) => damaged += 1,
            }
        }
        Ok((slots, damaged))
    }

    /// Reads one slot by id.
    ///
    /// # Errors
    /// [`StoreError::SlotFile`] if it is missing or damaged.
    pub fn read_slot_file(&self, id: SlotId) -> Result<KeySlot, StoreError> {
        let display = format!("slots/{}.slot", id.to_hex());
        let bytes =
            read_small_file(&self.slot_path(id)).map_err(|reason| StoreError::SlotFile {
                file: display.clone(),
                reason,
            })?;
        let slot: KeySlot = serde_json::from_slice(&bytes).map_err(|e| StoreError::SlotFile {
            file: display.clone(),
            reason: format!(
                "not a valid key slot: line {} column {}",
                e.line(),
                e.column()
            ),
        })?;
        if !slot.is_supported() {
            return Err(StoreError::SlotFile {
                file: display,
                reason: "unknown slot format or version".into(),
            });
        }
        if slot.slot_id != id {
            return Err(StoreError::SlotFile {
                file: display,
                reason: "the id inside does not match the file name".into(),
            });
        }
        Ok(slot)
    }

    /// Writes a slot file atomically.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_slot(&self, slot: &KeySlot) -> Result<(), StoreError> {
        let json = serde_json::to_vec_pretty(slot)
            .map_err(|e| StoreError::io("encode", "a key slot", std::io::Error::other(e)))?;
        write_atomically(&self.slot_path(slot.slot_id), &json)
    }

    /// Deletes a slot file and makes the deletion durable.
    ///
    /// # Errors
    /// I/O errors other than the file already being gone.
    pub fn delete_slot(&self, id: SlotId) -> Result<(), StoreError> {
        match fs::remove_file(self.slot_path(id)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io("delete", "a key slot", e)),
        }
        sync_dir(&self.slots_dir())
    }
}

/// Reads a file that is expected to be small; the error is a short reason.
pub(crate) fn read_small_file(path: &Path) -> Result<Vec<u8>, String> {
    let metadata = fs::metadata(path).map_err(|e| e.to_string())?;
    if metadata.len() > MAX_SMALL_FILE_BYTES {
        return Err(format!("larger than {MAX_SMALL_FILE_BYTES} bytes"));
    }
    fs::read(path).map_err(|e| e.to_string())
}

/// Creates `dir` (and missing parents) readable by the owner only where the platform has
/// modes (0700): nobody else on the machine lists a workbench's files.
///
/// # Errors
/// I/O errors.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| StoreError::io("create", "the folder", e))
}

/// Makes an existing file readable by its owner only where the platform has modes (0600).
///
/// # Errors
/// I/O errors.
pub(crate) fn make_private(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|e| StoreError::io("protect", "a workbench file", e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes `bytes` to `path` so that readers see the old file or the new one, never a mix:
/// write a temporary file beside it, fsync it, rename it over, fsync the folder.
///
/// # Errors
/// I/O errors; the temporary file is removed on failure.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = path.parent().ok_or_else(|| {
        StoreError::io("write", "a file", std::io::Error::other("no parent folder"))
    })?;
    let suffix =
        hex::encode(crate::crypto::random_bytes::<8>().map_err(|_| {
            StoreError::io("write", "a file", std::io::Error::other("no randomness"))
        })?);
    let file_label = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_label}.{suffix}.tmp"));
    let result = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(StoreError::io("write", file_label, e));
    }
    sync_dir(dir)
}

/// Makes a rename or delete in `dir` durable. Windows has no directory fsync; NTFS journals
/// metadata, so there is nothing to do there.
pub fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| StoreError::io("sync", "a folder", e))?;
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.slot");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn creating_over_a_non_empty_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("x"), b"x").unwrap();
        assert!(matches!(
            WorkbenchLayout::new(dir.path()).create_folders(),
            Err(StoreError::AlreadyExists)
        ));
    }

    #[test]
    fn a_half_built_workbench_is_removed_with_its_side_files_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let fill = |layout: &WorkbenchLayout| {
            layout.create_folders().unwrap();
            let [wal, shm] = layout.store_side_files();
            for path in [layout.manifest_path(), layout.store_path(), wal, shm] {
                fs::write(path, b"x").unwrap();
            }
            fs::write(layout.slots_dir().join("a.slot"), b"x").unwrap();
        };

        // Made by the failed call: the whole folder goes.
        let made = WorkbenchLayout::new(dir.path().join("made.ccuwb"));
        fill(&made);
        made.remove_half_built(false);
        assert!(!made.root().exists());

        // A folder that was there before stays, emptied of the workbench's files only.
        let given = WorkbenchLayout::new(dir.path().join("given.ccuwb"));
        fill(&given);
        let other = given.root().join("not-ours.txt");
        fs::write(&other, b"x").unwrap();
        given.remove_half_built(true);
        let left: Vec<_> = fs::read_dir(given.root())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(left, vec![other]);
    }
}
