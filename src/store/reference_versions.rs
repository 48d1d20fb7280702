//! SQL for reference data versions.

use super::{StoreError, now_utc_rfc3339};
use crate::domain::{ReferenceData, UserId};
use rusqlite::{Connection, OptionalExtension, params};

fn decode(text: &str) -> Result<ReferenceData, StoreError> {
    serde_json::from_str(text)
        .map_err(|_| StoreError::Damaged("a stored reference data version is malformed".into()))
}

/// The newest version, if any has been stored.
pub(crate) fn latest(conn: &Connection) -> Result<Option<ReferenceData>, StoreError> {
    conn.prepare_cached("SELECT document FROM reference_versions ORDER BY version DESC LIMIT 1")?
        .query_row([], |row| row.get::<_, String>(0))
        .optional()?
        .as_deref()
        .map(decode)
        .transpose()
}

/// A given version.
pub(crate) fn get(conn: &Connection, version: u32) -> Result<Option<ReferenceData>, StoreError> {
    conn.prepare_cached("SELECT document FROM reference_versions WHERE version = ?1")?
        .query_row([version], |row| row.get::<_, String>(0))
        .optional()?
        .as_deref()
        .map(decode)
        .transpose()
}

/// Every version number with when and by whom it was published.
pub(crate) fn list(conn: &Connection) -> Result<Vec<(u32, String, Option<UserId>)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, published_at, published_by FROM reference_versions ORDER BY version",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get(0)?,
            row.get(1)?,
            row.get::<_, Option<i64>>(2)?.map(UserId),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Stores a new version; it must be exactly one more than the newest.
pub(crate) fn insert(
    conn: &Connection,
    data: &ReferenceData,
    by: Option<UserId>,
) -> Result<(), StoreError> {
    let newest: Option<u32> =
        conn.query_row("SELECT max(version) FROM reference_versions", [], |row| {
            row.get(0)
        })?;
    let expected = newest.map_or(1, |v| v + 1);
    if data.version != expected {
        return Err(StoreError::Conflict(
            "a new reference data version must be numbered one more than the newest",
        ));
    }
    let document = serde_json::to_string(data)
        .map_err(|_| StoreError::Conflict("reference data could not be encoded"))?;
    conn.execute(
        "INSERT INTO reference_versions (version, document, published_at, published_by) VALUES (?1, ?2, ?3, ?4)",
        params![data.version, document, now_utc_rfc3339(), by.map(|u| u.0)],
    )?;
    Ok(())
}
