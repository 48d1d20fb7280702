//! What this machine last saw of each workbench's audit chain, kept in the app's settings
//! folder (outside the workbench), so replacing `store.db` with an older copy, or cutting the
//! chain's tail, is noticed at the next unlock on this machine.
//!
//! One small file per workbench, named by a hash of the workbench's random id: it holds the
//! chain head (number and hash) and the root signing key, none of which names anyone or says
//! anything about the content. It is not secret and not signed: someone who can write to this
//! user's settings folder on this machine can also rewrite it. The signed head exported to
//! write-once storage (`audit head --export`) is the protection against that person.

use super::{StoreError, write_atomically};
use crate::domain::AuditHash;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The head this machine last saw of one workbench.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownHead {
    pub seq: i64,
    pub hash: AuditHash,
    /// The root signing key (hex) the workbench had then, if it had one.
    #[serde(default)]
    pub root_signing_key: Option<String>,
}

fn path_for(machine_dir: &Path, workbench_id: &str) -> PathBuf {
    let mut hasher = Sha256::new();
    hasher.update(b"CCU-KNOWN-HEAD-1\0");
    hasher.update(workbench_id.as_bytes());
    let name = hex::encode(&hasher.finalize()[..16]);
    machine_dir.join("known-heads").join(format!("{name}.json"))
}

/// The head last recorded for the workbench, if this machine has seen it (an unreadable file
/// counts as not seen: it can only have been damaged or planted, and the chain check that
/// follows does not depend on it).
#[must_use]
pub fn read_known_head(machine_dir: &Path, workbench_id: &str) -> Option<KnownHead> {
    let bytes = std::fs::read(path_for(machine_dir, workbench_id)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Records the head now seen.
///
/// # Errors
/// I/O errors.
pub fn write_known_head(
    machine_dir: &Path,
    workbench_id: &str,
    head: &KnownHead,
) -> Result<(), StoreError> {
    let path = path_for(machine_dir, workbench_id);
    if let Some(dir) = path.parent() {
        super::layout::create_private_dir(dir)?;
    }
    let bytes = serde_json::to_vec(head)
        .map_err(|e| StoreError::io("write", "the known head", std::io::Error::other(e)))?;
    write_atomically(&path, &bytes)
}
