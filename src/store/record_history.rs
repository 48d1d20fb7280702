//! Keeping a record's previous version when it changes: items and nominals share the pattern
//! (a JSON snapshot of the whole record, who replaced it, when, and what changed).

use super::{StoreError, now_utc_rfc3339};
use crate::domain::UserId;
use rusqlite::{Connection, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Which history table a record's versions go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HistoryTable {
    IntelItems,
    Nominals,
    NotifiableAssociations,
}

/// One earlier version as stored: version, the record then, replaced at, replaced by, change.
pub(crate) type StoredVersion<T> = (u32, T, String, UserId, String);

impl HistoryTable {
    fn select_sql(self) -> &'static str {
        match self {
            HistoryTable::IntelItems => {
                "SELECT version, snapshot, replaced_at, replaced_by, change FROM intel_item_versions
                 WHERE item_id = ?1 ORDER BY version"
            }
            HistoryTable::Nominals => {
                "SELECT version, snapshot, replaced_at, replaced_by, change FROM nominal_versions
                 WHERE nominal_id = ?1 ORDER BY version"
            }
            HistoryTable::NotifiableAssociations => {
                "SELECT version, snapshot, replaced_at, replaced_by, change
                 FROM notifiable_association_versions
                 WHERE association_id = ?1 ORDER BY version"
            }
        }
    }

    fn insert_sql(self) -> &'static str {
        match self {
            HistoryTable::IntelItems => {
                "INSERT INTO intel_item_versions (item_id, version, snapshot, replaced_at, replaced_by, change)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
            }
            HistoryTable::Nominals => {
                "INSERT INTO nominal_versions (nominal_id, version, snapshot, replaced_at, replaced_by, change)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
            }
            HistoryTable::NotifiableAssociations => {
                "INSERT INTO notifiable_association_versions
                 (association_id, version, snapshot, replaced_at, replaced_by, change)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
            }
        }
    }
}

/// Stores `previous` (record `id` at `version`) as replaced by `by` now, because of `change`.
pub(crate) fn archive<T: Serialize>(
    conn: &Connection,
    table: HistoryTable,
    id: i64,
    version: u32,
    previous: &T,
    by: UserId,
    change: &str,
) -> Result<(), StoreError> {
    let snapshot = serde_json::to_string(previous)
        .map_err(|_| StoreError::Conflict("the record could not be encoded for its history"))?;
    conn.prepare_cached(table.insert_sql())?.execute(params![
        id,
        version,
        snapshot,
        now_utc_rfc3339(),
        by.0,
        change
    ])?;
    Ok(())
}

/// Every earlier version of record `id`, oldest first.
pub(crate) fn read<T: DeserializeOwned>(
    conn: &Connection,
    table: HistoryTable,
    id: i64,
) -> Result<Vec<StoredVersion<T>>, StoreError> {
    let mut stmt = conn.prepare_cached(table.select_sql())?;
    let rows = stmt.query_map([id], |row| {
        let snapshot: String = row.get(1)?;
        let record: T = serde_json::from_str(&snapshot).map_err(|_| {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Text,
                "malformed history snapshot".into(),
            )
        })?;
        Ok((
            row.get(0)?,
            record,
            row.get(2)?,
            UserId(row.get(3)?),
            row.get(4)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
