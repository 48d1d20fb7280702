//! SQL for bulk imports: the specs they were read with, the records of each kind with the
//! nominals they were matched to, and the look-up of an earlier import of the same file.

use super::{StoreError, now_utc_rfc3339};
use crate::domain::{
    BulkRecord, ConductOutcome, ConductOutcomeKind, ImportId, ImportKind, NominalDetails,
    NominalId, NominalMatcher, UserId, bulk_record::organisation_key,
};
use rusqlite::{Connection, OptionalExtension, params};

/// The nominals a row was matched to at import (which apply depends on the kind), and the
/// subject's key as stored (worked out once, where the row is read).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordMatch {
    /// An audit event's `SubjectIdentity::key`; empty for other kinds.
    pub subject_key: String,
    /// The member of staff (audit events, hospitality, business interests, vetting), a
    /// register entry's employee, a case's or a deployment's officer.
    pub staff: Option<NominalId>,
    /// The subject looked up (audit events), an item's subject, a register entry's associate,
    /// a case's victim, a deployment's person involved.
    pub subject: Option<NominalId>,
    pub caller: Option<NominalId>,
    pub callee: Option<NominalId>,
    /// The provider, organisation or supplier.
    pub organisation: Option<NominalId>,
    /// A link's two ends.
    pub link_from: Option<NominalId>,
    pub link_to: Option<NominalId>,
    /// The system whose id names a deployment's person (the spec's `id_system`), kept with
    /// the id; `None` for other kinds.
    pub id_system: Option<String>,
}

/// A spec saved in the workbench.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SavedSpec {
    pub name: String,
    pub version: u32,
    pub kind: String,
    pub saved_at_utc: String,
    pub document: String,
}

/// An earlier import of the same file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierImport {
    pub id: ImportId,
    pub at_utc: String,
}

/// The document saved for a spec name and version, if any.
pub(crate) fn spec_document(
    conn: &Connection,
    name: &str,
    version: u32,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT document FROM import_specs WHERE name = ?1 AND version = ?2",
            params![name, version],
            |row| row.get(0),
        )
        .optional()?)
}

pub(crate) fn insert_spec(
    conn: &Connection,
    name: &str,
    version: u32,
    kind: ImportKind,
    document: &str,
    by: UserId,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO import_specs (name, version, kind, document, saved_at, saved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            name,
            version,
            kind.as_str(),
            document,
            now_utc_rfc3339(),
            by.0
        ],
    )?;
    Ok(())
}

/// Every saved spec, by name then version.
pub(crate) fn specs(conn: &Connection) -> Result<Vec<SavedSpec>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT name, version, kind, saved_at, document FROM import_specs ORDER BY name, version",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(SavedSpec {
            name: row.get(0)?,
            version: row.get(1)?,
            kind: row.get(2)?,
            saved_at_utc: row.get(3)?,
            document: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The first import of a file with this SHA-256 as this kind under this spec version (the
/// same file may be imported under another kind or spec). An import made before imports
/// recorded their spec counts as made under every spec of its kind.
pub(crate) fn import_by_sha256(
    conn: &Connection,
    sha256: &str,
    kind: &str,
    spec: Option<(&str, u32)>,
) -> Result<Option<EarlierImport>, StoreError> {
    let (spec_name, spec_version) = spec.unzip();
    Ok(conn
        .query_row(
            "SELECT id, created_at FROM imports WHERE sha256 = ?1 AND kind = ?2
               AND (spec_name IS NULL OR ?3 IS NULL OR (spec_name = ?3 AND spec_version = ?4))
             ORDER BY id LIMIT 1",
            params![sha256, kind, spec_name, spec_version],
            |row| {
                Ok(EarlierImport {
                    id: ImportId(row.get(0)?),
                    at_utc: row.get(1)?,
                })
            },
        )
        .optional()?)
}

/// Loads what identifies the live nominals a bulk row can speak of.
pub(crate) fn load_matcher(conn: &Connection) -> Result<NominalMatcher, StoreError> {
    let mut matcher = NominalMatcher::default();
    let mut statement = conn.prepare(
        "SELECT id, details FROM nominals
         WHERE merged_into IS NULL
           AND kind IN ('employee', 'person', 'phone', 'organisation', 'ocg')",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let id = NominalId(row.get(0)?);
        let details: String = row.get(1)?;
        let details: NominalDetails = serde_json::from_str(&details)
            .map_err(|_| StoreError::Damaged(format!("nominal {id} does not parse")))?;
        matcher.add(id, &details);
    }
    for (system, external, nominal) in super::external_records::all_external_ids(conn)? {
        matcher.add_external(&system, external, nominal);
    }
    Ok(matcher)
}

fn opt_id(id: Option<NominalId>) -> Option<i64> {
    id.map(|id| id.0)
}

/// The subject's key as stored: worked out where the row was read, or here.
fn subject_key<'r>(
    event: &crate::domain::SystemAuditEvent,
    matched: &'r RecordMatch,
) -> std::borrow::Cow<'r, str> {
    if matched.subject_key.is_empty() {
        std::borrow::Cow::Owned(event.subject.key())
    } else {
        std::borrow::Cow::Borrowed(matched.subject_key.as_str())
    }
}

/// Writes a batch of records. Audit events, the bulk of any import, go through one
/// statement looked up once for the batch and bound value by value (no parameter list built
/// per row); the other kinds through the connection's statement cache, row by row. (One
/// statement per row: a multi-row `VALUES` list makes SQLite keep a statement journal,
/// copying every page it touches, and measured no faster.)
pub(crate) fn insert_records(
    conn: &Connection,
    import: ImportId,
    rows: &[(&BulkRecord, &RecordMatch)],
) -> Result<(), StoreError> {
    let mut audit_insert = None;
    for &(record, matched) in rows {
        let BulkRecord::AuditEvent(event) = record else {
            insert_record(conn, import, record, matched)?;
            continue;
        };
        let statement = match &mut audit_insert {
            Some(statement) => statement,
            None => audit_insert.insert(conn.prepare_cached(AUDIT_EVENT_INSERT)?),
        };
        bind_audit_event(statement, import, event, matched)?;
        statement.raw_execute()?;
    }
    Ok(())
}

const AUDIT_EVENT_INSERT: &str = "INSERT INTO system_audit_events (import_id, occurred_at, \
    staff_number, staff_nominal, system, subject_key, subject_nominal, reason_code, incident_reference) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

fn bind_audit_event(
    statement: &mut rusqlite::CachedStatement<'_>,
    import: ImportId,
    event: &crate::domain::SystemAuditEvent,
    matched: &RecordMatch,
) -> Result<(), StoreError> {
    statement.raw_bind_parameter(1, import.0)?;
    statement.raw_bind_parameter(2, event.occurred_at)?;
    statement.raw_bind_parameter(3, event.staff_number.as_str())?;
    statement.raw_bind_parameter(4, opt_id(matched.staff))?;
    statement.raw_bind_parameter(5, event.system.as_str())?;
    statement.raw_bind_parameter(6, subject_key(event, matched).as_ref())?;
    statement.raw_bind_parameter(7, opt_id(matched.subject))?;
    statement.raw_bind_parameter(8, event.reason_code.as_deref())?;
    statement.raw_bind_parameter(9, event.incident_reference.as_deref())?;
    Ok(())
}

/// Writes one record. Statements are cached on the connection, so a file of a million rows
/// prepares each once.
pub(crate) fn insert_record(
    conn: &Connection,
    import: ImportId,
    record: &BulkRecord,
    matched: &RecordMatch,
) -> Result<(), StoreError> {
    match record {
        BulkRecord::AuditEvent(event) => {
            let mut statement = conn.prepare_cached(AUDIT_EVENT_INSERT)?;
            bind_audit_event(&mut statement, import, event, matched)?;
            statement.raw_execute()?;
        }
        BulkRecord::Call(call) => {
            conn.prepare_cached(
                "INSERT INTO call_records (import_id, caller, caller_nominal, callee,
                 callee_nominal, started_at, duration_secs, direction)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                import.0,
                call.caller,
                opt_id(matched.caller),
                call.callee,
                opt_id(matched.callee),
                call.started_at,
                call.duration_secs,
                call.direction,
            ])?;
        }
        BulkRecord::Hospitality(entry) => {
            conn.prepare_cached(
                "INSERT INTO hospitality_entries (import_id, staff_number, staff_nominal,
                 offered_on, provider, provider_key, provider_nominal, description, value_pence,
                 accepted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                import.0,
                entry.staff_number,
                opt_id(matched.staff),
                entry.offered_on.to_string(),
                entry.provider,
                organisation_key(&entry.provider),
                opt_id(matched.organisation),
                entry.description,
                entry.value_pence,
                entry.accepted,
            ])?;
        }
        BulkRecord::BusinessInterest(interest) => {
            conn.prepare_cached(
                "INSERT INTO business_interests (import_id, staff_number, staff_nominal,
                 organisation, organisation_key, organisation_nominal, description, declared_on,
                 approved) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                import.0,
                interest.staff_number,
                opt_id(matched.staff),
                interest.organisation,
                organisation_key(&interest.organisation),
                opt_id(matched.organisation),
                interest.description,
                interest.declared_on.map(|d| d.to_string()),
                interest.approved,
            ])?;
        }
        BulkRecord::WorkforceRecord(record) => {
            conn.prepare_cached(
                "INSERT INTO workforce_records (import_id, staff_number, staff_nominal,
                 record_type, recorded_on, ended_on, summary, outcome, reference)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                import.0,
                record.staff_number,
                opt_id(matched.staff),
                record.record_type,
                record.recorded_on.to_string(),
                record.ended_on.map(|d| d.to_string()),
                record.summary,
                record.outcome,
                record.reference,
            ])?;
        }
        BulkRecord::ConductOutcome(outcome) => {
            insert_conduct_outcome(conn, Some(import), outcome, matched.staff, None)?;
        }
        BulkRecord::Case(case) => {
            super::external_records::insert_case(
                conn,
                import,
                case,
                matched.subject,
                matched.staff,
            )?;
        }
        BulkRecord::Vetting(record) => {
            super::external_records::insert_vetting(conn, import, record, matched.staff)?;
        }
        BulkRecord::Deployment(deployment) => {
            super::deployments::insert_deployment(conn, import, deployment, matched)?;
        }
        BulkRecord::Nominal(_)
        | BulkRecord::Link(_)
        | BulkRecord::IntelItem(_)
        | BulkRecord::NotifiableAssociation(_) => {
            // Recorded as themselves (`insert_nominal`, `record_imported_link`, `insert_item`,
            // the register).
            return Err(StoreError::Conflict(
                "a nominal, link, item or register row reached the bulk tables; they are recorded as themselves",
            ));
        }
        BulkRecord::Contract(contract) => {
            conn.prepare_cached(
                "INSERT INTO procurement_contracts (import_id, reference, supplier, supplier_key,
                 supplier_nominal, awarded_on, value_pence, awarded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                import.0,
                contract.reference,
                contract.supplier,
                organisation_key(&contract.supplier),
                opt_id(matched.organisation),
                contract.awarded_on.to_string(),
                contract.value_pence,
                contract.awarded_by,
            ])?;
        }
    }
    Ok(())
}

/// The business interests and second jobs registered against a member of staff (matched to
/// their nominal at import), oldest declaration first.
pub(crate) fn business_interests_of(
    conn: &Connection,
    staff: NominalId,
) -> Result<Vec<crate::domain::BusinessInterest>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT staff_number, organisation, description, declared_on, approved
         FROM business_interests WHERE staff_nominal = ?1 ORDER BY declared_on, id",
    )?;
    let rows = statement.query_map(params![staff.0], |row| {
        let declared_on: Option<String> = row.get(3)?;
        Ok(crate::domain::BusinessInterest {
            staff_number: row.get(0)?,
            organisation: row.get(1)?,
            description: row.get(2)?,
            declared_on: declared_on.and_then(|text| text.parse().ok()),
            approved: row.get::<_, i64>(4)? == 1,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The performance reviews, sickness absences and complaints imported against a member of
/// staff (matched to their nominal at import), oldest first.
pub(crate) fn workforce_records_of(
    conn: &Connection,
    staff: NominalId,
) -> Result<Vec<crate::domain::WorkforceRecord>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT staff_number, record_type, recorded_on, ended_on, summary, outcome, reference
         FROM workforce_records WHERE staff_nominal = ?1 ORDER BY recorded_on, id",
    )?;
    let rows = statement.query_map(params![staff.0], |row| {
        let recorded_on: String = row.get(2)?;
        let ended_on: Option<String> = row.get(3)?;
        Ok(crate::domain::WorkforceRecord {
            staff_number: row.get(0)?,
            record_type: row.get(1)?,
            recorded_on: recorded_on.parse().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    2,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?,
            ended_on: ended_on.and_then(|text| text.parse().ok()),
            summary: row.get(4)?,
            outcome: row.get(5)?,
            reference: row.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Stores one conduct outcome, from an import (`import`) or typed in (`None`).
pub(crate) fn insert_conduct_outcome(
    conn: &Connection,
    import: Option<ImportId>,
    outcome: &ConductOutcome,
    staff: Option<NominalId>,
    by: Option<UserId>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO conduct_outcomes (import_id, staff_number, staff_nominal, decided_on,
         category, outcome, referred_to_iopc, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        import.map(|i| i.0),
        outcome.staff_number,
        opt_id(staff),
        outcome.decided_on.to_string(),
        outcome.category,
        outcome.outcome.as_str(),
        outcome.referred_to_iopc,
        now_utc_rfc3339(),
        by.map(|u| u.0),
    ])?;
    Ok(())
}

/// Conduct outcomes, oldest first: one member of staff's (matched to their nominal, or by staff
/// number when they have none), or everyone's.
pub(crate) fn conduct_outcomes(
    conn: &Connection,
    staff: Option<(Option<NominalId>, &str)>,
) -> Result<Vec<ConductOutcome>, StoreError> {
    const COLUMNS: &str = "SELECT staff_number, decided_on, category, outcome, referred_to_iopc FROM conduct_outcomes";
    let decode = |row: &rusqlite::Row<'_>| -> rusqlite::Result<ConductOutcome> {
        let decided_on: String = row.get(1)?;
        let outcome: String = row.get(3)?;
        let bad = |index: usize, what: &'static str| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                Box::new(StoreError::Damaged(what.into())),
            )
        };
        Ok(ConductOutcome {
            staff_number: row.get(0)?,
            decided_on: decided_on
                .parse()
                .map_err(|_| bad(1, "a conduct outcome's date is malformed"))?,
            category: row.get(2)?,
            outcome: ConductOutcomeKind::parse(&outcome)
                .ok_or_else(|| bad(3, "a conduct outcome is not one the workbench knows"))?,
            referred_to_iopc: row.get(4)?,
        })
    };
    let rows = if let Some((nominal, number)) = staff {
        let mut statement = conn.prepare(&format!(
            "{COLUMNS} WHERE staff_nominal = ?1 OR (staff_nominal IS NULL AND staff_number = ?2)
             ORDER BY decided_on, id"
        ))?;
        let rows = statement.query_map(params![opt_id(nominal), number], decode)?;
        rows.collect::<Result<Vec<_>, _>>()?
    } else {
        let mut statement = conn.prepare(&format!("{COLUMNS} ORDER BY decided_on, id"))?;
        let rows = statement.query_map([], decode)?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    Ok(rows)
}

/// How many records of a kind the workbench holds.
pub(crate) fn count(conn: &Connection, kind: ImportKind) -> Result<u64, StoreError> {
    let table = match kind {
        ImportKind::AuditEvents => "system_audit_events",
        ImportKind::Calls => "call_records",
        ImportKind::Hospitality => "hospitality_entries",
        ImportKind::BusinessInterests => "business_interests",
        ImportKind::Contracts => "procurement_contracts",
        ImportKind::WorkforceRecords => "workforce_records",
        ImportKind::ConductOutcomes => "conduct_outcomes",
        ImportKind::Nominals => "nominals",
        ImportKind::Links => "links",
        ImportKind::IntelItems => "intel_items",
        ImportKind::NotifiableAssociations => "notifiable_associations",
        ImportKind::Cases => "cases",
        ImportKind::Vetting => "vetting_records",
        ImportKind::Deployments => "deployments",
    };
    let n: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
        row.get(0)
    })?;
    Ok(u64::try_from(n).unwrap_or(0))
}
