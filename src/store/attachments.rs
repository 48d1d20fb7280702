//! SQL for attachments: files kept inside the encrypted store, never on disk in the clear.

use super::{StoreError, now_utc_rfc3339};
use crate::domain::{AttachmentId, ItemId, UserId};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// An attachment without its content (for lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    pub id: AttachmentId,
    pub item_id: ItemId,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    pub added_at_utc: String,
    pub added_by: UserId,
}

const INFO_COLUMNS: &str =
    "id, item_id, file_name, media_type, size_bytes, sha256, added_at, added_by";

fn info_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AttachmentInfo> {
    Ok(AttachmentInfo {
        id: AttachmentId(row.get(0)?),
        item_id: ItemId(row.get(1)?),
        file_name: row.get(2)?,
        media_type: row.get(3)?,
        size_bytes: u64::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
        sha256: row.get(5)?,
        added_at_utc: row.get(6)?,
        added_by: UserId(row.get(7)?),
    })
}

pub(crate) fn insert(
    conn: &Connection,
    item: ItemId,
    file_name: &str,
    media_type: &str,
    content: &[u8],
    sha256: &str,
    by: UserId,
) -> Result<AttachmentId, StoreError> {
    conn.prepare_cached(
        "INSERT INTO attachments (item_id, file_name, media_type, size_bytes, sha256, content, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        item.0,
        file_name,
        media_type,
        i64::try_from(content.len()).unwrap_or(i64::MAX),
        sha256,
        content,
        now_utc_rfc3339(),
        by.0
    ])?;
    Ok(AttachmentId(conn.last_insert_rowid()))
}

pub(crate) fn for_item(conn: &Connection, item: ItemId) -> Result<Vec<AttachmentInfo>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {INFO_COLUMNS} FROM attachments WHERE item_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([item.0], info_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn content(
    conn: &Connection,
    id: AttachmentId,
) -> Result<Option<(AttachmentInfo, Vec<u8>)>, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {INFO_COLUMNS}, content FROM attachments WHERE id = ?1"
        ))?
        .query_row([id.0], |row| Ok((info_from_row(row)?, row.get(8)?)))
        .optional()?)
}
