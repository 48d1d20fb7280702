//! The signed chain head as a file: what an inspector writes to write-once storage (a
//! numbered printout, a WORM disc, the force's evidence store) so that a later check can show
//! the log still holds every entry up to it, whoever has since had the workbench folder.
//!
//! The file names no one and holds no content: the workbench's random id, the entry number and
//! hash, the root signing key, and the exporting user's number, key and signature.

use crate::domain::AuditHash;
use serde::{Deserialize, Serialize};

/// The `format` field of every signed head file.
pub const FORMAT: &str = "ccu-audit-head";

/// A signed chain head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedHead {
    pub format: String,
    pub version: u32,
    pub workbench_id: String,
    pub seq: i64,
    pub hash: AuditHash,
    /// The workbench's root signing key (hex), if it has one.
    pub root_signing_key: Option<String>,
    /// The user who signed, by number (names stay inside the store).
    pub signed_by_user: i64,
    /// Their signing key (hex).
    pub signer_key: String,
    /// Their signature on the head (hex), over the same statement a transaction's signature covers.
    pub signature: String,
    pub exported_at_utc: String,
}

/// Why a signed head file could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HeadFileError {
    #[error("is not a signed audit head file")]
    NotAHeadFile,
    #[error("is from a newer version of the workbench")]
    NewerVersion,
}

impl SignedHead {
    /// The file's bytes: pretty JSON, so it can also be printed and read.
    ///
    /// # Errors
    /// Serialisation errors (none in practice: every field is plain data).
    pub fn render(&self) -> serde_json::Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// Reads a file's bytes.
    ///
    /// # Errors
    /// [`HeadFileError`] when the bytes are not a signed head this build reads.
    pub fn parse(bytes: &[u8]) -> Result<Self, HeadFileError> {
        let head: SignedHead =
            serde_json::from_slice(bytes).map_err(|_| HeadFileError::NotAHeadFile)?;
        if head.format != FORMAT {
            return Err(HeadFileError::NotAHeadFile);
        }
        if head.version > 1 {
            return Err(HeadFileError::NewerVersion);
        }
        Ok(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_reads_back_and_other_files_are_refused() {
        let head = SignedHead {
            format: FORMAT.into(),
            version: 1,
            workbench_id: "wb".into(),
            seq: 7,
            hash: AuditHash([3; 32]),
            root_signing_key: None,
            signed_by_user: 1,
            signer_key: "00".into(),
            signature: "00".into(),
            exported_at_utc: "2026-12-03T10:00:00.000Z".into(),
        };
        let bytes = head.render().unwrap();
        assert_eq!(SignedHead::parse(&bytes).unwrap(), head);
        assert_eq!(
            SignedHead::parse(b"{\"format\":\"x\"}"),
            Err(HeadFileError::NotAHeadFile)
        );
        let mut newer = head;
        newer.version = 2;
        assert_eq!(
            SignedHead::parse(&newer.render().unwrap()),
            Err(HeadFileError::NewerVersion)
        );
    }
}
