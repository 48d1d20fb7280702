//! SQL for the hash-chained audit log.

use super::StoreError;
use super::store_tx::Actor;
use crate::domain::{AuditEntry, AuditHash, AuditRecordBytes, NewAuditEntry};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

/// The newest entry: the value to note outside the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AuditHead {
    /// Number of entries (the newest entry's `seq`); 0 for an empty log.
    pub seq: i64,
    /// The newest entry's hash (the genesis hash for an empty log).
    pub hash: AuditHash,
}

impl AuditHead {
    pub(crate) fn as_pair(self) -> (i64, AuditHash) {
        (self.seq, self.hash)
    }
}

/// What is wrong with the first bad entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AuditBreakReason {
    /// Entries are missing or out of order: this position holds a different number.
    Sequence { found: i64 },
    /// The entry's stored link to its predecessor is not the predecessor's hash.
    PreviousHash,
    /// The entry's content does not hash to its stored hash: it was changed.
    Content,
    /// A field has the wrong type or size.
    Malformed(&'static str),
}

impl std::fmt::Display for AuditBreakReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditBreakReason::Sequence { found } => {
                write!(
                    f,
                    "sequence broken (found entry number {found} in its place)"
                )
            }
            AuditBreakReason::PreviousHash => {
                f.write_str("its link to the previous entry does not match")
            }
            AuditBreakReason::Content => f.write_str("its content does not match its hash"),
            AuditBreakReason::Malformed(field) => write!(f, "field {field} is malformed"),
        }
    }
}

/// The first entry that fails verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditBreak {
    /// The entry number (1-based position in the chain).
    pub seq: i64,
    pub reason: AuditBreakReason,
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerification {
    pub entries_checked: i64,
    pub head: AuditHead,
    /// `None` when every entry checks out.
    pub first_break: Option<AuditBreak>,
}

impl AuditVerification {
    #[must_use]
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none()
    }
}

pub(crate) fn head(conn: &Connection, genesis: &AuditHash) -> Result<AuditHead, StoreError> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    match row {
        None => Ok(AuditHead {
            seq: 0,
            hash: *genesis,
        }),
        Some((seq, bytes)) => Ok(AuditHead {
            seq,
            hash: AuditHash::from_slice(&bytes)
                .ok_or_else(|| StoreError::Damaged("audit chain head malformed".into()))?,
        }),
    }
}

pub(crate) fn append(
    conn: &Connection,
    (prev_seq, prev_hash): (i64, AuditHash),
    actor: &Actor,
    at_utc: &str,
    entry: NewAuditEntry,
) -> Result<(i64, AuditHash), StoreError> {
    let NewAuditEntry {
        action,
        object,
        detail,
    } = entry;
    let seq = prev_seq + 1;
    let action = action.as_str();
    let record = AuditRecordBytes {
        seq,
        at_utc: at_utc.as_bytes(),
        user_id: actor.user_id.map(|id| id.0),
        user_name: actor.user_name.as_bytes(),
        action: action.as_bytes(),
        object: object.as_bytes(),
        justification: actor.justification.as_bytes(),
        detail: detail.as_bytes(),
    };
    let hash = record.chain_hash(&prev_hash);
    let mut stmt = conn.prepare_cached(
        "INSERT INTO audit_log
           (seq, at_utc, user_id, user_name, action, object, justification, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    stmt.execute((
        seq,
        at_utc,
        record.user_id,
        &actor.user_name,
        action,
        &object,
        &actor.justification,
        &detail,
        prev_hash.0.as_slice(),
        hash.0.as_slice(),
    ))?;
    Ok((seq, hash))
}

const SELECT_ENTRY: &str = "SELECT seq, at_utc, user_id, user_name, action, object, justification, \
                            detail, prev_hash, hash FROM audit_log";

/// Reads raw column bytes so a tampered, no-longer-UTF-8 field is still hashed as stored.
fn bytes_of<'a>(value: ValueRef<'a>, field: &'static str) -> Result<&'a [u8], AuditBreakReason> {
    match value {
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => Ok(bytes),
        _ => Err(AuditBreakReason::Malformed(field)),
    }
}

pub(crate) fn verify(
    conn: &Connection,
    genesis: &AuditHash,
) -> Result<AuditVerification, StoreError> {
    let mut stmt = conn.prepare(&format!("{SELECT_ENTRY} ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = *genesis;
    let mut expected_seq: i64 = 1;
    let mut first_break = None;
    while let Some(row) = rows.next()? {
        let check = (|| -> Result<AuditHash, AuditBreakReason> {
            let Ok(ValueRef::Integer(seq)) = row.get_ref(0) else {
                return Err(AuditBreakReason::Malformed("seq"));
            };
            if seq != expected_seq {
                return Err(AuditBreakReason::Sequence { found: seq });
            }
            let field = |index: usize, name: &'static str| {
                row.get_ref(index)
                    .map_err(|_| AuditBreakReason::Malformed(name))
                    .and_then(|value| bytes_of(value, name))
            };
            let user_id = match row.get_ref(2) {
                Ok(ValueRef::Null) => None,
                Ok(ValueRef::Integer(id)) => Some(id),
                _ => return Err(AuditBreakReason::Malformed("user_id")),
            };
            let record = AuditRecordBytes {
                seq,
                at_utc: field(1, "at_utc")?,
                user_id,
                user_name: field(3, "user_name")?,
                action: field(4, "action")?,
                object: field(5, "object")?,
                justification: field(6, "justification")?,
                detail: field(7, "detail")?,
            };
            let prev = AuditHash::from_slice(field(8, "prev_hash")?)
                .ok_or(AuditBreakReason::Malformed("prev_hash"))?;
            let stored = AuditHash::from_slice(field(9, "hash")?)
                .ok_or(AuditBreakReason::Malformed("hash"))?;
            if prev != expected_prev {
                return Err(AuditBreakReason::PreviousHash);
            }
            if record.chain_hash(&prev) != stored {
                return Err(AuditBreakReason::Content);
            }
            Ok(stored)
        })();
        match check {
            Ok(hash) => {
                expected_prev = hash;
                expected_seq += 1;
            }
            Err(reason) => {
                first_break = Some(AuditBreak {
                    seq: expected_seq,
                    reason,
                });
                break;
            }
        }
    }
    drop(rows);
    drop(stmt);
    Ok(AuditVerification {
        entries_checked: expected_seq - 1,
        head: head(conn, genesis)?,
        first_break,
    })
}

pub(crate) fn entries(
    conn: &Connection,
    first_seq: i64,
    count: usize,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_ENTRY} WHERE seq >= ?1 ORDER BY seq LIMIT ?2"
    ))?;
    let limit = i64::try_from(count).unwrap_or(i64::MAX);
    let rows = stmt.query_map((first_seq, limit), |row| {
        let prev: Vec<u8> = row.get(8)?;
        let hash: Vec<u8> = row.get(9)?;
        Ok(AuditEntry {
            seq: row.get(0)?,
            at_utc: text_lossy(row.get_ref(1)?),
            user_id: row.get(2)?,
            user_name: text_lossy(row.get_ref(3)?),
            action: text_lossy(row.get_ref(4)?),
            object: text_lossy(row.get_ref(5)?),
            justification: text_lossy(row.get_ref(6)?),
            detail: text_lossy(row.get_ref(7)?),
            prev_hash: AuditHash::from_slice(&prev).unwrap_or(AuditHash([0; 32])),
            hash: AuditHash::from_slice(&hash).unwrap_or(AuditHash([0; 32])),
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Shows a damaged field as best it can rather than refusing to show the log at all; verification
/// is what reports the damage.
fn text_lossy(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
            String::from_utf8_lossy(bytes).into_owned()
        }
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Null => String::new(),
    }
}
