//! Keeping a record's previous version when it changes: items and nominals share the pattern
//! (a JSON snapshot of the whole record, who replaced it, when, and what changed).

use super::{StoreError, now_utc_rfc3339};
use crate::domain::UserId;
use rusqlite::{Connection, params};
use serde::Serialize;

/// Which history table a record's versions go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HistoryTable {
    IntelItems,
    Nominals,
}

impl HistoryTable {
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
