//! Test support: changing stored audit entries byte by byte, as an attacker with the key would.
//! Compiled only with the `test-hooks` feature; the tamper tests and the benchmark share it.

use super::StoreError;
use rusqlite::Connection;
use rusqlite::types::Value;

/// Columns of `audit_log` that tampering can target.
pub const AUDIT_COLUMNS: [&str; 10] = [
    "seq",
    "at_utc",
    "user_id",
    "user_name",
    "action",
    "object",
    "justification",
    "detail",
    "prev_hash",
    "hash",
];

/// A change made, with what to put back.
#[derive(Debug, Clone)]
pub struct AuditTamper {
    /// The entry's position before the change.
    pub seq: i64,
    pub column: &'static str,
    original: Value,
    changed_seq: Option<i64>,
}

/// Drops the append-only triggers, as someone editing the file directly would not be stopped by them.
///
/// # Errors
/// SQL errors.
pub fn drop_audit_triggers(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;",
    )?;
    Ok(())
}

/// XORs one byte of entry `seq`'s `column` with `mask` (non-zero). `pick` chooses the byte.
/// Returns `None` when the column has no byte to change (an empty text) or the change would
/// collide with another entry's number.
///
/// # Errors
/// SQL errors.
pub fn flip_audit_byte(
    conn: &Connection,
    seq: i64,
    column: &'static str,
    pick: u64,
    mask: u8,
) -> Result<Option<AuditTamper>, StoreError> {
    let mask = mask.max(1);
    let original: Value = conn.query_row(
        &format!("SELECT {column} FROM audit_log WHERE seq = ?1"),
        [seq],
        |row| row.get(0),
    )?;
    let pick = usize::try_from(pick).unwrap_or(usize::MAX);
    let (changed, changed_seq) = match &original {
        Value::Integer(n) => {
            // For `seq`, change a byte above the second (so the new number collides with no other
            // entry) and below the eighth (a negative number sorts first, so the break shows at
            // entry 1, still detected but not at this entry's number).
            let byte = if column == "seq" {
                2 + pick % 5
            } else {
                pick % 8
            };
            let flipped = n ^ (i64::from(mask) << (8 * byte));
            (
                Value::Integer(flipped),
                (column == "seq").then_some(flipped),
            )
        }
        Value::Text(text) if !text.is_empty() => {
            let mut bytes = text.as_bytes().to_vec();
            let at = pick % bytes.len();
            bytes[at] ^= mask;
            (Value::Blob(bytes), None)
        }
        Value::Blob(blob) if !blob.is_empty() => {
            let mut bytes = blob.clone();
            let at = pick % bytes.len();
            bytes[at] ^= mask;
            (Value::Blob(bytes), None)
        }
        _ => return Ok(None),
    };
    let cast = if matches!(original, Value::Text(_)) {
        "CAST(?1 AS TEXT)"
    } else {
        "?1"
    };
    let updated = conn.execute(
        &format!("UPDATE OR IGNORE audit_log SET {column} = {cast} WHERE seq = ?2"),
        (changed, seq),
    )?;
    if updated == 0 {
        return Ok(None);
    }
    Ok(Some(AuditTamper {
        seq,
        column,
        original,
        changed_seq,
    }))
}

/// Puts back what [`flip_audit_byte`] changed.
///
/// # Errors
/// SQL errors.
pub fn undo_audit_tamper(conn: &Connection, tamper: &AuditTamper) -> Result<(), StoreError> {
    let now_at = tamper.changed_seq.unwrap_or(tamper.seq);
    conn.execute(
        &format!("UPDATE audit_log SET {} = ?1 WHERE seq = ?2", tamper.column),
        (&tamper.original, now_at),
    )?;
    Ok(())
}
