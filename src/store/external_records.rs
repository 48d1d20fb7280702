//! SQL for what real extracts bring beside the bulk records: the ids force systems give
//! nominals (unique per system, re-indexed for search when one is added), crime and incident
//! records with their victims and officers, and vetting records.

use super::{StoreError, now_utc_rfc3339, search_index};
use crate::domain::{ImportId, IsoDate, NominalDetails, NominalId, VettingRecord};
use rusqlite::{Connection, OptionalExtension, params};

/// One id a force system gives a nominal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExternalId {
    /// The system, lower case (`rms`).
    pub system: String,
    pub id: String,
}

/// Records `id` in `system` as `nominal`'s, unless the system's id is taken already (then it
/// stays with the nominal that has it; ids are unique per system). Re-indexes the nominal for
/// search when the id is new. Returns whether it was added.
pub(crate) fn add_external_id(
    conn: &Connection,
    nominal: NominalId,
    system: &str,
    id: &str,
    import: Option<ImportId>,
) -> Result<bool, StoreError> {
    let added =
        conn.prepare_cached(
            "INSERT INTO external_ids (system, external_id, nominal_id, import_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (system, external_id) DO NOTHING",
        )?
        .execute(params![
            system,
            id,
            nominal.0,
            import.map(|i| i.0),
            now_utc_rfc3339()
        ])? > 0;
    if added {
        let details: Option<String> = conn
            .prepare_cached("SELECT details FROM nominals WHERE id = ?1")?
            .query_row([nominal.0], |row| row.get(0))
            .optional()?;
        if let Some(details) = details {
            let details: NominalDetails = serde_json::from_str(&details)
                .map_err(|_| StoreError::Damaged(format!("nominal {nominal} does not parse")))?;
            search_index::index_nominal(conn, nominal, &details)?;
        }
    }
    Ok(added)
}

/// The ids force systems give a nominal, by system then id.
pub(crate) fn external_ids_of(
    conn: &Connection,
    nominal: NominalId,
) -> Result<Vec<ExternalId>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT system, external_id FROM external_ids WHERE nominal_id = ?1
         ORDER BY system, external_id",
    )?;
    let rows = statement.query_map([nominal.0], |row| {
        Ok(ExternalId {
            system: row.get(0)?,
            id: row.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every external id, for the matcher: (system, id, nominal), live nominals only.
pub(crate) fn all_external_ids(
    conn: &Connection,
) -> Result<Vec<(String, String, NominalId)>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT e.system, e.external_id, COALESCE(n.merged_into, n.id) FROM external_ids e
         JOIN nominals n ON n.id = e.nominal_id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((row.get(0)?, row.get(1)?, NominalId(row.get(2)?)))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One crime or incident record's row (a case with several officers has a row for each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCase {
    pub reference: String,
    pub victim: Option<NominalId>,
    pub officer: Option<NominalId>,
    pub opened_on: IsoDate,
    pub closed_on: Option<IsoDate>,
}

pub(crate) fn insert_case(
    conn: &Connection,
    import: ImportId,
    case: &crate::domain::CaseRow,
    victim: Option<NominalId>,
    officer: Option<NominalId>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO cases (import_id, reference, victim_nominal, officer_number,
         officer_nominal, opened_on, closed_on, officer_role, party_role)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        import.0,
        case.reference,
        victim.map(|v| v.0),
        case.officer_staff_number,
        officer.map(|o| o.0),
        case.opened_on.to_string(),
        case.closed_on.map(|d| d.to_string()),
        case.officer_role,
        case.party_role.as_str(),
    ])?;
    Ok(())
}

/// Every case row with a matched victim.
pub(crate) fn cases_with_victims(conn: &Connection) -> Result<Vec<StoredCase>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT reference, victim_nominal, officer_nominal, opened_on, closed_on FROM cases
         WHERE victim_nominal IS NOT NULL AND party_role = 'victim' ORDER BY reference, id",
    )?;
    let mut rows = statement.query([])?;
    let mut cases = Vec::new();
    while let Some(row) = rows.next()? {
        let opened_on: String = row.get(3)?;
        let closed_on: Option<String> = row.get(4)?;
        let Ok(opened_on) = opened_on.parse() else {
            return Err(StoreError::Damaged(
                "a case's opening date is malformed".into(),
            ));
        };
        cases.push(StoredCase {
            reference: row.get(0)?,
            victim: row.get::<_, Option<i64>>(1)?.map(NominalId),
            officer: row.get::<_, Option<i64>>(2)?.map(NominalId),
            opened_on,
            closed_on: closed_on.and_then(|d| d.parse().ok()),
        });
    }
    Ok(cases)
}

pub(crate) fn insert_vetting(
    conn: &Connection,
    import: ImportId,
    record: &VettingRecord,
    staff: Option<NominalId>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO vetting_records (import_id, staff_number, staff_nominal, level, granted_on,
         expires_on, post_requires) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        import.0,
        record.staff_number,
        staff.map(|s| s.0),
        record.level,
        record.granted_on.map(|d| d.to_string()),
        record.expires_on.map(|d| d.to_string()),
        record.post_requires,
    ])?;
    Ok(())
}

/// Each matched member of staff's current vetting: the record granted last (the one imported
/// last when dates tie or are missing).
pub(crate) fn current_vetting(
    conn: &Connection,
) -> Result<Vec<(NominalId, VettingRecord)>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT staff_nominal, staff_number, level, granted_on, expires_on, post_requires
         FROM vetting_records WHERE staff_nominal IS NOT NULL
         ORDER BY staff_nominal, COALESCE(granted_on, ''), id",
    )?;
    let mut rows = statement.query([])?;
    let mut current: Vec<(NominalId, VettingRecord)> = Vec::new();
    while let Some(row) = rows.next()? {
        let staff = NominalId(row.get(0)?);
        let date = |text: Option<String>| text.and_then(|t| t.parse().ok());
        let record = VettingRecord {
            staff_number: row.get(1)?,
            level: row.get(2)?,
            granted_on: date(row.get(3)?),
            expires_on: date(row.get(4)?),
            post_requires: row.get(5)?,
        };
        match current.last_mut() {
            Some((last, kept)) if *last == staff => *kept = record,
            _ => current.push((staff, record)),
        }
    }
    Ok(current)
}

/// A member of staff's vetting records, oldest grant first.
pub(crate) fn vetting_of(
    conn: &Connection,
    staff: NominalId,
) -> Result<Vec<VettingRecord>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT staff_number, level, granted_on, expires_on, post_requires
         FROM vetting_records WHERE staff_nominal = ?1 ORDER BY COALESCE(granted_on, ''), id",
    )?;
    let rows = statement.query_map([staff.0], |row| {
        let date = |text: Option<String>| text.and_then(|t| t.parse().ok());
        Ok(VettingRecord {
            staff_number: row.get(0)?,
            level: row.get(1)?,
            granted_on: date(row.get(2)?),
            expires_on: date(row.get(3)?),
            post_requires: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The gifts and hospitality register's entries for a member of staff (matched at import),
/// oldest first.
pub(crate) fn hospitality_of(
    conn: &Connection,
    staff: NominalId,
) -> Result<Vec<crate::domain::GiftHospitality>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT staff_number, offered_on, provider, description, value_pence, accepted
         FROM hospitality_entries WHERE staff_nominal = ?1 ORDER BY offered_on, id",
    )?;
    let mut rows = statement.query([staff.0])?;
    let mut entries = Vec::new();
    while let Some(row) = rows.next()? {
        let offered_on: String = row.get(1)?;
        let Ok(offered_on) = offered_on.parse() else {
            return Err(StoreError::Damaged(
                "a hospitality entry's date is malformed".into(),
            ));
        };
        entries.push(crate::domain::GiftHospitality {
            staff_number: row.get(0)?,
            offered_on,
            provider: row.get(2)?,
            description: row.get(3)?,
            value_pence: row.get(4)?,
            accepted: row.get(5)?,
        });
    }
    Ok(entries)
}

/// A member of staff's look-ups on force systems, counted by system and month (`YYYY-MM`),
/// oldest month first.
pub(crate) fn lookups_by_month(
    conn: &Connection,
    staff: NominalId,
) -> Result<Vec<(String, String, u64)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT system, strftime('%Y-%m', occurred_at, 'unixepoch') AS month, COUNT(*)
         FROM system_audit_events WHERE staff_nominal = ?1
         GROUP BY system, month ORDER BY month, system",
    )?;
    let rows = statement.query_map([staff.0], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            u64::try_from(row.get::<_, i64>(2)?).unwrap_or(0),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many calls a nominal's phones (its `uses_phone` links) had with phones used by OCG
/// members or criminals.
pub(crate) fn calls_with_watched(conn: &Connection, nominal: NominalId) -> Result<u64, StoreError> {
    let count: i64 = conn
        .prepare_cached(
            "WITH mine AS (
                 SELECT to_id AS phone FROM links WHERE from_id = ?1 AND link_type = 'uses_phone'
                 UNION SELECT from_id FROM links WHERE to_id = ?1 AND link_type = 'uses_phone'),
             other AS (
                 SELECT callee_nominal AS phone FROM call_records
                 WHERE caller_nominal IN (SELECT phone FROM mine) AND callee_nominal IS NOT NULL
                 UNION ALL
                 SELECT caller_nominal FROM call_records
                 WHERE callee_nominal IN (SELECT phone FROM mine) AND caller_nominal IS NOT NULL)
             SELECT COUNT(*) FROM other o WHERE EXISTS (
                 SELECT 1 FROM links l JOIN nominals n
                   ON n.id = CASE WHEN l.from_id = o.phone THEN l.to_id ELSE l.from_id END
                 WHERE l.link_type = 'uses_phone' AND (l.from_id = o.phone OR l.to_id = o.phone)
                   AND n.kind = 'person' AND (n.flags & 3) <> 0)",
        )?
        .query_row([nominal.0], |row| row.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}
