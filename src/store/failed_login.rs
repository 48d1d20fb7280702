//! Failed unlock attempts, recorded before anyone holds the master key.
//!
//! The audit log lives inside the encrypted store, which a failed unlock cannot open. So a failed
//! attempt is sealed to the workbench's audit inbox public key and written as a small file; the
//! next successful unlock opens every such file, appends a `login.failed` entry for each to the
//! hash chain, and deletes the files. Outside the store the files show only that attempts happened
//! (and when), not who was named.

use super::StoreError;
use super::layout::{WorkbenchLayout, read_small_file, sync_dir, write_atomically};
use crate::crypto::{CryptoError, Identity, SealedBox, random_bytes};
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::PathBuf;

const PURPOSE: &[u8] = b"CCU-FAILED-LOGIN-1";

/// What a failed attempt records once opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedLoginRecord {
    /// Random id, the file name; makes ingestion idempotent.
    pub record_id: String,
    pub at_utc: String,
    /// What was typed as the user name (truncated), so an inspector can see who was tried.
    pub user_name: String,
    /// Why the attempt failed, when it was not simply a wrong name or password (a removed
    /// user's slot, a role not backed by a signed grant, a second inspector's credentials).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A sealed record found on disk.
#[derive(Debug)]
pub struct PendingFailedLogin {
    pub record_id: String,
    pub path: PathBuf,
    pub sealed: Option<SealedBox>,
}

impl WorkbenchLayout {
    /// Seals and writes a failed-login record. Creates no other file and changes none.
    ///
    /// # Errors
    /// Crypto or I/O errors.
    pub fn record_failed_login(
        &self,
        inbox_public_key: &[u8; 32],
        user_name: &str,
        at_utc: String,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        let record_id = hex::encode(random_bytes::<16>().map_err(|e| crypto_io(&e))?);
        let record = FailedLoginRecord {
            record_id: record_id.clone(),
            at_utc,
            user_name: user_name.chars().take(64).collect(),
            reason: reason.map(str::to_owned),
        };
        let plain = zeroize::Zeroizing::new(
            serde_json::to_vec(&record).map_err(|e| crypto_io_msg(&e.to_string()))?,
        );
        let sealed =
            crate::crypto::seal_box(inbox_public_key, PURPOSE, record_id.as_bytes(), &plain)
                .map_err(|e| crypto_io(&e))?;
        let json = serde_json::to_vec(&sealed).map_err(|e| crypto_io_msg(&e.to_string()))?;
        let dir = self.failed_logins_dir();
        fs::create_dir_all(&dir).map_err(|e| StoreError::io("create", "failed-logins/", e))?;
        write_atomically(&dir.join(format!("{record_id}.rec")), &json)
    }

    /// How many failed attempts are waiting: the count since the last successful unlock, which
    /// sets the delay before the next attempt.
    #[must_use]
    pub fn pending_failed_login_count(&self) -> usize {
        fs::read_dir(self.failed_logins_dir()).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".rec"))
                .count()
        })
    }

    /// Every pending record file; unreadable ones have `sealed: None`.
    #[must_use]
    pub fn pending_failed_logins(&self) -> Vec<PendingFailedLogin> {
        let Ok(entries) = fs::read_dir(self.failed_logins_dir()) else {
            return Vec::new();
        };
        let mut pending: Vec<PendingFailedLogin> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                let record_id = name.strip_suffix(".rec")?.to_owned();
                let sealed = read_small_file(&entry.path())
                    .ok()
                    .and_then(|bytes| serde_json::from_slice(&bytes).ok());
                Some(PendingFailedLogin {
                    record_id,
                    path: entry.path(),
                    sealed,
                })
            })
            .collect();
        pending.sort_by(|a, b| a.record_id.cmp(&b.record_id));
        pending
    }

    /// Deletes ingested record files.
    ///
    /// # Errors
    /// I/O errors.
    pub fn remove_failed_logins(&self, pending: &[PendingFailedLogin]) -> Result<(), StoreError> {
        for record in pending {
            match fs::remove_file(&record.path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::io("delete", "a failed-login record", e)),
            }
        }
        sync_dir(&self.failed_logins_dir())
    }
}

impl PendingFailedLogin {
    /// Opens the record with the audit inbox identity; `None` if it was not sealed to it (forged
    /// or damaged: the caller records that fact instead).
    #[must_use]
    pub fn open(&self, inbox: &Identity) -> Option<FailedLoginRecord> {
        let sealed = self.sealed.as_ref()?;
        let plain = crate::crypto::open_box(inbox, PURPOSE, self.record_id.as_bytes(), sealed)?;
        let record: FailedLoginRecord = serde_json::from_slice(&plain).ok()?;
        (record.record_id == self.record_id).then_some(record)
    }
}

fn crypto_io(err: &CryptoError) -> StoreError {
    crypto_io_msg(&err.to_string())
}

fn crypto_io_msg(msg: &str) -> StoreError {
    StoreError::io(
        "write",
        "a failed-login record",
        std::io::Error::other(msg.to_owned()),
    )
}
