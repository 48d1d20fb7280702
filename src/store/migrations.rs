//! The schema, as an append-only list of migrations.
//!
//! `PRAGMA user_version` counts the migrations applied. Never edit or reorder an entry once it has
//! shipped: add a new one. `tests/migrations.rs` pins each entry's hash to enforce that, and checks
//! every table is STRICT. Pragmas (the key first) are set on the connection, never in here.

use super::StoreError;
use rusqlite::Connection;

/// Each entry moves the schema from version `index` to `index + 1`, inside one transaction.
pub const MIGRATIONS: &[&str] = &[
    // 1: the foundation: workbench metadata, users, the hash-chained audit log.
    r"
CREATE TABLE workbench_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('detective', 'analyst', 'inspector')),
    slot_id     TEXT NOT NULL UNIQUE,
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    created_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    removed_at  TEXT,
    removed_by  INTEGER REFERENCES users(id)
) STRICT;

CREATE UNIQUE INDEX users_active_name ON users (name COLLATE NOCASE) WHERE removed_at IS NULL;

CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at_utc        TEXT NOT NULL,
    user_id       INTEGER,
    user_name     TEXT NOT NULL,
    action        TEXT NOT NULL,
    object        TEXT NOT NULL,
    justification TEXT NOT NULL,
    detail        TEXT NOT NULL,
    prev_hash     BLOB NOT NULL,
    hash          BLOB NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

CREATE TABLE ingested_failed_logins (
    record_id TEXT PRIMARY KEY
) STRICT;
",
];

/// The schema version this build writes and reads.
#[allow(clippy::cast_possible_truncation)] // a handful of migrations, never 2^32
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema version recorded in the store.
///
/// # Errors
/// SQL errors (a wrong key or damage shows up here first).
pub fn schema_version(conn: &Connection) -> Result<u32, StoreError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    u32::try_from(version).map_err(|_| StoreError::Damaged("schema version out of range".into()))
}

/// Refuses a store written by a newer build, before anything is written to it.
///
/// # Errors
/// [`StoreError::NewerVersion`].
pub fn refuse_newer(found: u32) -> Result<(), StoreError> {
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerVersion {
            what: "schema",
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Applies every pending migration, each in its own transaction together with its version bump.
///
/// # Errors
/// [`StoreError::NewerVersion`] if the store is newer than this build; SQL errors.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    let current = schema_version(conn)?;
    refuse_newer(current)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(index + 1).unwrap_or(i64::MAX),
        )?;
        tx.commit()?;
    }
    Ok(SCHEMA_VERSION)
}
