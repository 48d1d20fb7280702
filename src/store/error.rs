//! Errors from the store. Messages name files by their place in the workbench and never carry
//! record content, user names or key material.

use std::io;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("this folder is not a CCU workbench ({0})")]
    NotAWorkbench(&'static str),
    #[error("a workbench already exists at that location")]
    AlreadyExists,
    /// An export's file is never written over another.
    #[error("the output file already exists; nothing was written over it")]
    OutputExists,
    #[error(
        "this workbench was written by a newer version of CCU Workbench ({what} {found}; this version reads up to {supported}); open it with a newer version"
    )]
    NewerVersion {
        what: &'static str,
        found: u32,
        supported: u32,
    },
    #[error("the workbench store is damaged or truncated ({0}); restore it from a backup")]
    Damaged(String),
    #[error("key slot file {file} is damaged ({reason})")]
    SlotFile { file: String, reason: String },
    #[error("could not {action} {file}: {source}")]
    Io {
        action: &'static str,
        file: String,
        #[source]
        source: io::Error,
    },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the audit log is append-only")]
    AuditAppendOnly,
    #[error("{0}")]
    Conflict(&'static str),
    #[error("{0}")]
    Missing(&'static str),
}

impl StoreError {
    pub fn io(action: &'static str, file: impl Into<String>, source: io::Error) -> Self {
        StoreError::Io {
            action,
            file: file.into(),
            source,
        }
    }

    /// Maps `SQLite`'s "file is not a database" / "malformed" errors, which with a key that opened
    /// a key slot can only mean damage, to [`StoreError::Damaged`].
    pub(crate) fn from_sql_on_open(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                StoreError::Damaged(err.to_string())
            }
            _ => StoreError::Sql(err),
        }
    }
}
