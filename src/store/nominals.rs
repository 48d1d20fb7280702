//! SQL for nominals, their history, duplicate candidates and merges.

use super::record_history::{self, HistoryTable};
use super::search_index;
use super::{StoreError, now_utc_rfc3339};
use crate::domain::duplicates::soundex;
use crate::domain::{Nominal, NominalDetails, NominalId, NominalKind, PersonFlags, UserId};
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str =
    "id, details, version, created_at, created_by, updated_at, updated_by, merged_into";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Nominal> {
    let details: String = row.get(1)?;
    let details: NominalDetails = serde_json::from_str(&details).map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            "malformed nominal details".into(),
        )
    })?;
    Ok(Nominal {
        id: NominalId(row.get(0)?),
        details,
        version: row.get(2)?,
        created_at_utc: row.get(3)?,
        created_by: UserId(row.get(4)?),
        updated_at_utc: row.get(5)?,
        updated_by: UserId(row.get(6)?),
        merged_into: row.get::<_, Option<i64>>(7)?.map(NominalId),
    })
}

/// Person flags as the stored bitmask (for the graph: who is an OCG member, a criminal...).
#[must_use]
pub fn flags_bits(flags: PersonFlags) -> i64 {
    i64::from(flags.ocg_member)
        | i64::from(flags.criminal) << 1
        | i64::from(flags.vulnerable) << 2
        | i64::from(flags.journalist) << 3
        | i64::from(flags.private_investigator) << 4
        | i64::from(flags.victim) << 5
}

pub(crate) fn by_id(conn: &Connection, id: NominalId) -> Result<Option<Nominal>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM nominals WHERE id = ?1"))?
        .query_row([id.0], from_row)
        .optional()?)
}

/// The live (not merged) nominal of `kind` with this identity key (staff number, E.164...).
/// Every live (unmerged) nominal, by id.
pub(crate) fn all_live(conn: &Connection) -> Result<Vec<Nominal>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM nominals WHERE merged_into IS NULL ORDER BY id"
    ))?;
    let rows = statement.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn by_identity(
    conn: &Connection,
    kind: NominalKind,
    key: &str,
) -> Result<Option<Nominal>, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM nominals
             WHERE kind = ?1 AND identity_key = ?2 AND merged_into IS NULL"
        ))?
        .query_row(params![kind.as_str(), key], from_row)
        .optional()?)
}

fn details_json(details: &NominalDetails) -> Result<String, StoreError> {
    serde_json::to_string(details)
        .map_err(|_| StoreError::Conflict("the nominal could not be encoded"))
}

fn surname_key(details: &NominalDetails) -> Option<String> {
    details
        .person_name()
        .map(|(_, surname)| soundex(surname))
        .filter(|key| !key.is_empty())
}

/// Inserts a nominal and indexes it. The identity key must be free.
pub(crate) fn insert(
    conn: &Connection,
    details: &NominalDetails,
    by: UserId,
) -> Result<NominalId, StoreError> {
    if let Some(key) = details.identity_key()
        && by_identity(conn, details.kind(), &key)?.is_some()
    {
        return Err(StoreError::Conflict(
            "a nominal with that identifier (staff number, phone, account or registration) already exists",
        ));
    }
    let now = now_utc_rfc3339();
    conn.prepare_cached(
        "INSERT INTO nominals (kind, display_name, identity_key, surname_key, date_of_birth, flags,
            details, version, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?8, ?9)",
    )?
    .execute(params![
        details.kind().as_str(),
        details.display_name(),
        details.identity_key(),
        surname_key(details),
        details.date_of_birth().map(|d| d.to_string()),
        flags_bits(details.person_flags()),
        details_json(details)?,
        now,
        by.0,
    ])?;
    let id = NominalId(conn.last_insert_rowid());
    search_index::index_nominal(conn, id, details)?;
    Ok(id)
}

/// Replaces a nominal's details, keeping the previous version.
pub(crate) fn update(
    conn: &Connection,
    previous: &Nominal,
    details: &NominalDetails,
    by: UserId,
) -> Result<(), StoreError> {
    if let Some(key) = details.identity_key()
        && by_identity(conn, details.kind(), &key)?.is_some_and(|other| other.id != previous.id)
    {
        return Err(StoreError::Conflict(
            "another nominal already has that identifier",
        ));
    }
    record_history::archive(
        conn,
        HistoryTable::Nominals,
        previous.id.0,
        previous.version,
        previous,
        by,
        "details edited",
    )?;
    let changed = conn
        .prepare_cached(
            "UPDATE nominals SET kind = ?2, display_name = ?3, identity_key = ?4, surname_key = ?5,
                date_of_birth = ?6, flags = ?7, details = ?8, version = version + 1,
                updated_at = ?9, updated_by = ?10
             WHERE id = ?1 AND version = ?11",
        )?
        .execute(params![
            previous.id.0,
            details.kind().as_str(),
            details.display_name(),
            details.identity_key(),
            surname_key(details),
            details.date_of_birth().map(|d| d.to_string()),
            flags_bits(details.person_flags()),
            details_json(details)?,
            now_utc_rfc3339(),
            by.0,
            previous.version,
        ])?;
    if changed == 0 {
        return Err(StoreError::Conflict(
            "the nominal was changed by someone else since it was read",
        ));
    }
    search_index::index_nominal(conn, previous.id, details)?;
    Ok(())
}

/// Candidates for a duplicate check: live persons and employees sharing the date of birth, the
/// surname's sound, or the identity key. Bounded, so a common surname does not return thousands.
pub(crate) fn duplicate_candidates(
    conn: &Connection,
    details: &NominalDetails,
    limit: usize,
) -> Result<Vec<Nominal>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM nominals
         WHERE merged_into IS NULL AND kind IN ('person', 'employee') AND id IN (
            SELECT id FROM nominals WHERE date_of_birth = ?1
            UNION SELECT id FROM nominals WHERE surname_key = ?2
            UNION SELECT id FROM nominals WHERE identity_key = ?3)
         LIMIT ?4"
    ))?;
    let rows = stmt.query_map(
        params![
            details.date_of_birth().map(|d| d.to_string()),
            surname_key(details),
            details.identity_key(),
            i64::try_from(limit).unwrap_or(i64::MAX)
        ],
        from_row,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Folds `merged` into `kept`: subjects, links and provenance move to `kept`; `merged` stays with
/// its history and points at `kept`. Both get a history entry.
pub(crate) fn merge(
    conn: &Connection,
    kept: &Nominal,
    merged: &Nominal,
    by: UserId,
) -> Result<(), StoreError> {
    let absorbed = format!("absorbed nominal {} in a merge", merged.id);
    record_history::archive(
        conn,
        HistoryTable::Nominals,
        kept.id.0,
        kept.version,
        kept,
        by,
        &absorbed,
    )?;
    let folded = format!("merged into nominal {}", kept.id);
    record_history::archive(
        conn,
        HistoryTable::Nominals,
        merged.id.0,
        merged.version,
        merged,
        by,
        &folded,
    )?;
    // Subjects: an item that lists both keeps the kept nominal's role.
    conn.execute(
        "INSERT OR IGNORE INTO intel_subjects (item_id, nominal_id, role)
         SELECT item_id, ?1, role FROM intel_subjects WHERE nominal_id = ?2",
        params![kept.id.0, merged.id.0],
    )?;
    conn.execute(
        "DELETE FROM intel_subjects WHERE nominal_id = ?1",
        [merged.id.0],
    )?;
    conn.execute(
        "UPDATE links SET from_id = ?1 WHERE from_id = ?2 AND to_id <> ?1",
        params![kept.id.0, merged.id.0],
    )?;
    conn.execute(
        "UPDATE links SET to_id = ?1 WHERE to_id = ?2 AND from_id <> ?1",
        params![kept.id.0, merged.id.0],
    )?;
    let now = now_utc_rfc3339();
    conn.execute(
        "UPDATE nominals SET merged_into = ?1, version = version + 1, updated_at = ?3, updated_by = ?4
         WHERE id = ?2",
        params![kept.id.0, merged.id.0, now, by.0],
    )?;
    conn.execute(
        "UPDATE nominals SET version = version + 1, updated_at = ?2, updated_by = ?3 WHERE id = ?1",
        params![kept.id.0, now, by.0],
    )?;
    // The ids force systems gave the merged nominal name the one kept from now on.
    conn.execute(
        "UPDATE external_ids SET nominal_id = ?1 WHERE nominal_id = ?2",
        params![kept.id.0, merged.id.0],
    )?;
    search_index::remove_nominal(conn, merged.id)?;
    let kept_details = &kept.details;
    search_index::index_nominal(conn, kept.id, kept_details)?;
    Ok(())
}

/// A nominal's earlier version: (version, the nominal then, replaced at, replaced by, change).
pub type NominalVersion = record_history::StoredVersion<Nominal>;

/// Earlier versions of a nominal, oldest first.
pub(crate) fn history(conn: &Connection, id: NominalId) -> Result<Vec<NominalVersion>, StoreError> {
    record_history::read(conn, HistoryTable::Nominals, id.0)
}

/// How many live nominals of each kind exist.
pub(crate) fn counts(conn: &Connection) -> Result<Vec<(NominalKind, u64)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, count(*) FROM nominals WHERE merged_into IS NULL GROUP BY kind ORDER BY kind",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
    })?;
    let mut counts = Vec::new();
    for row in rows {
        let (kind, n) = row?;
        if let Some(kind) = NominalKind::parse(&kind) {
            counts.push((kind, u64::try_from(n).unwrap_or(0)));
        }
    }
    Ok(counts)
}
