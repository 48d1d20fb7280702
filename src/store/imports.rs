//! SQL for the imports table: each bulk load (or demo generation) is recorded once, and what it
//! created points back at it as provenance.

use super::{StoreError, now_utc_rfc3339};
use crate::domain::{ImportId, UserId};
use rusqlite::{Connection, params};

/// Records an import and returns its id.
pub(crate) fn insert(
    conn: &Connection,
    kind: &str,
    source_name: &str,
    sha256: Option<&str>,
    row_count: u64,
    detail: &str,
    by: UserId,
) -> Result<ImportId, StoreError> {
    conn.execute(
        "INSERT INTO imports (kind, source_name, sha256, row_count, detail, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            kind,
            source_name,
            sha256,
            i64::try_from(row_count).unwrap_or(i64::MAX),
            detail,
            now_utc_rfc3339(),
            by.0
        ],
    )?;
    Ok(ImportId(conn.last_insert_rowid()))
}

/// Sets the row count once an import has finished.
pub(crate) fn set_row_count(
    conn: &Connection,
    id: ImportId,
    row_count: u64,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE imports SET row_count = ?2 WHERE id = ?1",
        params![id.0, i64::try_from(row_count).unwrap_or(i64::MAX)],
    )?;
    Ok(())
}

/// Records what a finished bulk import read: its file's SHA-256, the rows and the detail.
pub(crate) fn finish(
    conn: &Connection,
    id: ImportId,
    sha256: &str,
    row_count: u64,
    detail: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE imports SET sha256 = ?2, row_count = ?3, detail = ?4 WHERE id = ?1",
        params![
            id.0,
            sha256,
            i64::try_from(row_count).unwrap_or(i64::MAX),
            detail
        ],
    )?;
    Ok(())
}
