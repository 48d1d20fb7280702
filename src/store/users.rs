//! SQL for the `users` table.

use super::{StoreError, now_utc_rfc3339};
use crate::crypto::SlotId;
use crate::domain::{Role, User, UserId, user_name_key};
use rusqlite::{Connection, OptionalExtension, Row};

/// A user with the key material the store keeps for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUser {
    pub user: User,
    pub slot_id: SlotId,
    /// The public key the master key is sealed to on rotation: trusted because it is inside the
    /// encrypted store, unlike the copy in the slot file.
    pub public_key: [u8; 32],
}

const COLUMNS: &str = "id, name, role, slot_id, public_key, created_at, removed_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<StoredUser> {
    let role_text: String = row.get(2)?;
    let slot_text: String = row.get(3)?;
    let public_key: Vec<u8> = row.get(4)?;
    let bad = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("malformed {what} in users table").into(),
        )
    };
    Ok(StoredUser {
        user: User {
            id: UserId(row.get(0)?),
            name: row.get(1)?,
            role: role_text.parse::<Role>().map_err(|_| bad("role"))?,
            created_at_utc: row.get(5)?,
            removed_at_utc: row.get(6)?,
        },
        slot_id: SlotId::from_hex(&slot_text).ok_or_else(|| bad("slot id"))?,
        public_key: public_key
            .as_slice()
            .try_into()
            .map_err(|_| bad("public key"))?,
    })
}

pub(crate) fn insert(
    conn: &Connection,
    name: &str,
    role: Role,
    slot_id: SlotId,
    public_key: &[u8; 32],
    created_by: Option<UserId>,
) -> Result<UserId, StoreError> {
    if active_by_name(conn, name)?.is_some() {
        return Err(StoreError::Conflict(
            "an active user already has that name, or one that looks the same",
        ));
    }
    conn.execute(
        "INSERT INTO users (name, role, slot_id, public_key, created_at, created_by, name_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (
            name,
            role.as_str(),
            slot_id.to_hex(),
            public_key.as_slice(),
            now_utc_rfc3339(),
            created_by.map(|id| id.0),
            user_name_key(name),
        ),
    )?;
    Ok(UserId(conn.last_insert_rowid()))
}

pub(crate) fn active_by_name(
    conn: &Connection,
    name: &str,
) -> Result<Option<StoredUser>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE name_key = ?1 AND removed_at IS NULL"),
            [user_name_key(name)],
            from_row,
        )
        .optional()?)
}

pub(crate) fn active_by_slot(
    conn: &Connection,
    slot_id: SlotId,
) -> Result<Option<StoredUser>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE slot_id = ?1 AND removed_at IS NULL"),
            [slot_id.to_hex()],
            from_row,
        )
        .optional()?)
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<StoredUser>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM users ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn mark_removed(
    conn: &Connection,
    id: UserId,
    by: Option<UserId>,
) -> Result<(), StoreError> {
    let changed = conn.execute(
        "UPDATE users SET removed_at = ?1, removed_by = ?2 WHERE id = ?3 AND removed_at IS NULL",
        (now_utc_rfc3339(), by.map(|u| u.0), id.0),
    )?;
    if changed == 0 {
        return Err(StoreError::Conflict("that user is not active"));
    }
    Ok(())
}

pub(crate) fn replace_slot(
    conn: &Connection,
    id: UserId,
    slot_id: SlotId,
    public_key: &[u8; 32],
) -> Result<(), StoreError> {
    let changed = conn.execute(
        "UPDATE users SET slot_id = ?1, public_key = ?2 WHERE id = ?3 AND removed_at IS NULL",
        (slot_id.to_hex(), public_key.as_slice(), id.0),
    )?;
    if changed == 0 {
        return Err(StoreError::Conflict("that user is not active"));
    }
    Ok(())
}
