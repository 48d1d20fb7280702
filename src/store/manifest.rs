//! `workbench.json`: the only plaintext description of a workbench. It says what the folder is and
//! which format it uses, and holds the public key failed-login records are sealed to. No names.

use super::StoreError;
use super::layout::{WorkbenchLayout, read_small_file, write_atomically};
use serde::{Deserialize, Serialize};

/// The manifest's contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`Manifest::FORMAT`].
    pub format: String,
    /// Version of the folder layout; newer versions are refused, never modified.
    pub format_version: u32,
    /// Public key of the workbench's audit inbox (its secret half is inside the store), so a
    /// failed unlock can be recorded without the master key and read only after a good one.
    #[serde(with = "hex::serde")]
    pub audit_inbox_public_key: [u8; 32],
    /// The generation of the master key the store was last encrypted with. Only used to word
    /// an error: a slot holding only older generations is stale, not a sign of damage.
    #[serde(default = "first_epoch")]
    pub key_epoch: u32,
}

fn first_epoch() -> u32 {
    1
}

impl Manifest {
    pub const FORMAT: &'static str = "ccu-workbench";
    pub const FORMAT_VERSION: u32 = 1;

    #[must_use]
    pub fn new(audit_inbox_public_key: [u8; 32], key_epoch: u32) -> Self {
        Self {
            format: Self::FORMAT.to_owned(),
            format_version: Self::FORMAT_VERSION,
            audit_inbox_public_key,
            key_epoch,
        }
    }

    /// Reads and checks the manifest of the workbench at `layout`.
    ///
    /// # Errors
    /// [`StoreError::NotAWorkbench`] if missing or not ours, [`StoreError::NewerVersion`] if the
    /// layout is newer than this build reads.
    pub fn read(layout: &WorkbenchLayout) -> Result<Self, StoreError> {
        let path = layout.manifest_path();
        if !layout.root().is_dir() {
            return Err(StoreError::NotAWorkbench("the folder does not exist"));
        }
        if !path.is_file() {
            return Err(StoreError::NotAWorkbench("no workbench.json in the folder"));
        }
        let bytes = read_small_file(&path)
            .map_err(|_| StoreError::NotAWorkbench("workbench.json cannot be read"))?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|_| StoreError::NotAWorkbench("workbench.json is not valid JSON"))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(Self::FORMAT) {
            return Err(StoreError::NotAWorkbench(
                "workbench.json is not a CCU workbench manifest",
            ));
        }
        let version = value
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or(StoreError::NotAWorkbench(
                "workbench.json has no format version",
            ))?;
        if version > Self::FORMAT_VERSION {
            return Err(StoreError::NewerVersion {
                what: "folder format",
                found: version,
                supported: Self::FORMAT_VERSION,
            });
        }
        serde_json::from_value(value)
            .map_err(|_| StoreError::NotAWorkbench("workbench.json is damaged"))
    }

    /// Writes the manifest atomically.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write(&self, layout: &WorkbenchLayout) -> Result<(), StoreError> {
        let json = serde_json::to_vec_pretty(self)
            .map_err(|e| StoreError::io("encode", "workbench.json", std::io::Error::other(e)))?;
        write_atomically(&layout.manifest_path(), &json)
    }
}
