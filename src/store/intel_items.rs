//! SQL for intelligence items, their subjects and their history.

use super::record_history::{self, HistoryTable};
use super::search_index;
use super::{StoreError, now_utc_rfc3339};
use crate::domain::{
    Grading, IntelItem, IntelItemFields, IntelItemVersion, IntelQuery, IntelRow, IntelSort,
    IsoDate, ItemId, LegacyGrading, NominalId, SUMMARY_CHARS, Subject, UserId, format_reference,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "id, reference, reference_version, received_on, source_type, category, \
    subcategory, source_evaluation, intelligence_assessment, handling_code, handling_conditions, \
    legacy_grading, status, narrative, owner_id, next_review_on, version, created_at, created_by, \
    updated_at, updated_by";

fn conversion_error(what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("malformed {what} in intel_items").into(),
    )
}

fn date(text: &str) -> rusqlite::Result<IsoDate> {
    text.parse().map_err(|_| conversion_error("date"))
}

fn optional_date(text: Option<&str>) -> rusqlite::Result<Option<IsoDate>> {
    text.map(date).transpose()
}

fn item_from_row(row: &Row<'_>) -> rusqlite::Result<IntelItem> {
    let legacy: Option<String> = row.get(11)?;
    let legacy_grading: Option<LegacyGrading> = legacy
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|_| conversion_error("legacy grading"))?;
    let received: String = row.get(3)?;
    Ok(IntelItem {
        id: ItemId(row.get(0)?),
        reference: row.get(1)?,
        reference_version: row.get(2)?,
        status: row.get(12)?,
        fields: IntelItemFields {
            received_on: date(&received)?,
            source_type: row.get(4)?,
            narrative: row.get(13)?,
            grading: Grading {
                source_evaluation: row.get(7)?,
                intelligence_assessment: row.get(8)?,
                handling_code: row.get(9)?,
                handling_conditions: row.get(10)?,
            },
            legacy_grading,
            category: row.get(5)?,
            subcategory: row.get(6)?,
            subjects: Vec::new(),
            next_review_on: optional_date(row.get::<_, Option<String>>(15)?.as_deref())?,
        },
        owner_id: UserId(row.get(14)?),
        version: row.get(16)?,
        created_at_utc: row.get(17)?,
        created_by: UserId(row.get(18)?),
        updated_at_utc: row.get(19)?,
        updated_by: UserId(row.get(20)?),
    })
}

fn subjects(conn: &Connection, item: ItemId) -> Result<Vec<Subject>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT nominal_id, role FROM intel_subjects WHERE item_id = ?1 ORDER BY nominal_id",
    )?;
    let rows = stmt.query_map([item.0], |row| {
        Ok(Subject {
            nominal_id: NominalId(row.get(0)?),
            role: row.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn with_subjects(
    conn: &Connection,
    item: Option<IntelItem>,
) -> Result<Option<IntelItem>, StoreError> {
    let Some(mut item) = item else {
        return Ok(None);
    };
    item.fields.subjects = subjects(conn, item.id)?;
    Ok(Some(item))
}

pub(crate) fn by_reference(
    conn: &Connection,
    reference: &str,
) -> Result<Option<IntelItem>, StoreError> {
    let item = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM intel_items WHERE reference = ?1"
        ))?
        .query_row([reference.trim().to_uppercase()], item_from_row)
        .optional()?;
    with_subjects(conn, item)
}

pub(crate) fn by_id(conn: &Connection, id: ItemId) -> Result<Option<IntelItem>, StoreError> {
    let item = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM intel_items WHERE id = ?1"))?
        .query_row([id.0], item_from_row)
        .optional()?;
    with_subjects(conn, item)
}

/// Reserves the next reference number for `year`.
pub(crate) fn next_reference(conn: &Connection, year: i32) -> Result<String, StoreError> {
    let number: i64 = conn
        .prepare_cached(
            "INSERT INTO reference_counters (year, last) VALUES (?1, 1)
             ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
        )?
        .query_row([year], |row| row.get(0))?;
    let number =
        u32::try_from(number).map_err(|_| StoreError::Conflict("reference numbers exhausted"))?;
    Ok(format_reference(year, number))
}

fn legacy_json(fields: &IntelItemFields) -> Result<Option<String>, StoreError> {
    fields
        .legacy_grading
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|_| StoreError::Conflict("legacy grading could not be encoded"))
}

fn check_subjects_exist(conn: &Connection, fields: &IntelItemFields) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached("SELECT merged_into FROM nominals WHERE id = ?1")?;
    for subject in &fields.subjects {
        let found: Option<Option<i64>> = stmt
            .query_row([subject.nominal_id.0], |row| row.get(0))
            .optional()?;
        match found {
            None => return Err(StoreError::Missing("a subject nominal does not exist")),
            Some(Some(_)) => {
                return Err(StoreError::Missing(
                    "a subject nominal was merged into another; use the one it was merged into",
                ));
            }
            Some(None) => {}
        }
    }
    Ok(())
}

fn write_subjects(
    conn: &Connection,
    item: ItemId,
    fields: &IntelItemFields,
) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM intel_subjects WHERE item_id = ?1")?
        .execute([item.0])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO intel_subjects (item_id, nominal_id, role) VALUES (?1, ?2, ?3)",
    )?;
    for subject in &fields.subjects {
        insert.execute(params![item.0, subject.nominal_id.0, subject.role])?;
    }
    Ok(())
}

/// Inserts a new item in `status` and indexes it. Returns its id and reference.
pub(crate) fn insert(
    conn: &Connection,
    fields: &IntelItemFields,
    reference_version: u32,
    status: &str,
    owner: UserId,
    by: UserId,
    recorded_year: i32,
) -> Result<(ItemId, String), StoreError> {
    check_subjects_exist(conn, fields)?;
    let reference = next_reference(conn, recorded_year)?;
    let now = now_utc_rfc3339();
    conn.prepare_cached(
        "INSERT INTO intel_items (reference, reference_version, received_on, source_type, category,
            subcategory, source_evaluation, intelligence_assessment, handling_code,
            handling_conditions, legacy_grading, status, narrative, owner_id, next_review_on,
            version, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?17, ?16, ?17)",
    )?
    .execute(params![
        reference,
        reference_version,
        fields.received_on.to_string(),
        fields.source_type,
        fields.category,
        fields.subcategory,
        fields.grading.source_evaluation,
        fields.grading.intelligence_assessment,
        fields.grading.handling_code,
        fields.grading.handling_conditions,
        legacy_json(fields)?,
        status,
        fields.narrative,
        owner.0,
        fields.next_review_on.map(|d| d.to_string()),
        now,
        by.0,
    ])?;
    let id = ItemId(conn.last_insert_rowid());
    write_subjects(conn, id, fields)?;
    search_index::index_item(conn, id, &reference, fields, status)?;
    Ok((id, reference))
}

/// Replaces the editable fields, keeping the previous version in the history.
pub(crate) fn update_fields(
    conn: &Connection,
    previous: &IntelItem,
    fields: &IntelItemFields,
    reference_version: u32,
    by: UserId,
    change: &str,
) -> Result<(), StoreError> {
    check_subjects_exist(conn, fields)?;
    archive(conn, previous, by, change)?;
    let changed = conn
        .prepare_cached(
            "UPDATE intel_items SET reference_version = ?2, received_on = ?3, source_type = ?4,
                category = ?5, subcategory = ?6, source_evaluation = ?7,
                intelligence_assessment = ?8, handling_code = ?9, handling_conditions = ?10,
                legacy_grading = ?11, narrative = ?12, next_review_on = ?13,
                version = version + 1, updated_at = ?14, updated_by = ?15
             WHERE id = ?1 AND version = ?16",
        )?
        .execute(params![
            previous.id.0,
            reference_version,
            fields.received_on.to_string(),
            fields.source_type,
            fields.category,
            fields.subcategory,
            fields.grading.source_evaluation,
            fields.grading.intelligence_assessment,
            fields.grading.handling_code,
            fields.grading.handling_conditions,
            legacy_json(fields)?,
            fields.narrative,
            fields.next_review_on.map(|d| d.to_string()),
            now_utc_rfc3339(),
            by.0,
            previous.version,
        ])?;
    if changed == 0 {
        return Err(StoreError::Conflict(
            "the item was changed by someone else since it was read; reload it and edit again",
        ));
    }
    write_subjects(conn, previous.id, fields)?;
    search_index::index_item(
        conn,
        previous.id,
        &previous.reference,
        fields,
        &previous.status,
    )?;
    Ok(())
}

/// Moves the item to `status`, keeping the previous version in the history.
pub(crate) fn set_status(
    conn: &Connection,
    previous: &IntelItem,
    status: &str,
    by: UserId,
    change: &str,
) -> Result<(), StoreError> {
    archive(conn, previous, by, change)?;
    let changed = conn
        .prepare_cached(
            "UPDATE intel_items SET status = ?2, version = version + 1, updated_at = ?3, updated_by = ?4
             WHERE id = ?1 AND version = ?5",
        )?
        .execute(params![previous.id.0, status, now_utc_rfc3339(), by.0, previous.version])?;
    if changed == 0 {
        return Err(StoreError::Conflict(
            "the item was changed by someone else since it was read; reload it and try again",
        ));
    }
    search_index::index_item(
        conn,
        previous.id,
        &previous.reference,
        &previous.fields,
        status,
    )?;
    Ok(())
}

/// Earlier versions of an item, oldest first.
pub(crate) fn history(
    conn: &Connection,
    item: ItemId,
) -> Result<Vec<IntelItemVersion>, StoreError> {
    let versions = record_history::read::<IntelItem>(conn, HistoryTable::IntelItems, item.0)?;
    Ok(versions
        .into_iter()
        .map(
            |(version, item, replaced_at_utc, replaced_by, change)| IntelItemVersion {
                version,
                item,
                replaced_at_utc,
                replaced_by,
                change,
            },
        )
        .collect())
}

/// Keeps `previous` in the item's history.
fn archive(
    conn: &Connection,
    previous: &IntelItem,
    by: UserId,
    change: &str,
) -> Result<(), StoreError> {
    record_history::archive(
        conn,
        HistoryTable::IntelItems,
        previous.id.0,
        previous.version,
        previous,
        by,
        change,
    )
}

/// WHERE clause and parameters for a log query.
fn filter(query: &IntelQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    let mut push = |clause: &str, value: Value| {
        values.push(value);
        clauses.push(clause.replace('?', &format!("?{}", values.len())));
    };
    if let Some(status) = &query.status {
        push("status = ?", Value::Text(status.clone()));
    }
    if let Some(category) = &query.category {
        push("category = ?", Value::Text(category.clone()));
    }
    if let Some(code) = &query.source_evaluation {
        push("source_evaluation = ?", Value::Text(code.clone()));
    }
    if let Some(code) = &query.intelligence_assessment {
        push("intelligence_assessment = ?", Value::Text(code.clone()));
    }
    if let Some(code) = &query.handling_code {
        push("handling_code = ?", Value::Text(code.clone()));
    }
    if let Some(from) = query.received_from {
        push("received_on >= ?", Value::Text(from.to_string()));
    }
    if let Some(to) = query.received_to {
        push("received_on <= ?", Value::Text(to.to_string()));
    }
    if let Some(owner) = query.owner_id {
        push("owner_id = ?", Value::Integer(owner.0));
    }
    match query.priority.as_deref() {
        Some(crate::domain::NOT_SCORED) => clauses.push("priority_band IS NULL".to_owned()),
        Some(band) => push("priority_band = ?", Value::Text(band.to_owned())),
        None => {}
    }
    let clause = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (clause, values)
}

/// The query's filters for `viewer`: items they may not see are left out, except from the
/// whole log in reference order, where they show as their reference alone.
fn filter_for(query: &IntelQuery, viewer: UserId) -> (String, Vec<rusqlite::types::Value>) {
    let (clause, mut values) = filter(query);
    if query.shows_restricted_references() {
        return (clause, values);
    }
    values.push(rusqlite::types::Value::Integer(viewer.0));
    let hidden = super::item_restrictions::hidden_clause("intel_items", values.len());
    let clause = if clause.is_empty() {
        format!("WHERE NOT {hidden}")
    } else {
        format!("{clause} AND NOT {hidden}")
    };
    (clause, values)
}

/// How many items match the query's filters, as `viewer` may see them.
pub(crate) fn count(
    conn: &Connection,
    query: &IntelQuery,
    viewer: UserId,
) -> Result<u64, StoreError> {
    let (clause, values) = filter_for(query, viewer);
    let n: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM intel_items {clause}"))?
        .query_row(rusqlite::params_from_iter(values), |row| row.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// A page of the log. Every order ends with the id, so pages never overlap or skip.
pub(crate) fn page(
    conn: &Connection,
    query: &IntelQuery,
    offset: u64,
    limit: usize,
    viewer: UserId,
) -> Result<Vec<IntelRow>, StoreError> {
    let hidden = super::item_restrictions::hidden_items(conn, viewer)?;
    let (clause, mut values) = filter_for(query, viewer);
    let direction = if query.descending { "DESC" } else { "ASC" };
    // In the unfiltered log, items hidden from the viewer come after all others (their real
    // date, status or category would otherwise show in where they fall).
    let hidden_last = if query.shows_restricted_references() {
        values.push(rusqlite::types::Value::Integer(viewer.0));
        format!(
            "{} ASC, ",
            super::item_restrictions::hidden_clause("intel_items", values.len())
        )
    } else {
        String::new()
    };
    let order = match query.sort {
        IntelSort::Reference => format!("id {direction}"),
        IntelSort::ReceivedOn => format!("received_on {direction}, id {direction}"),
        IntelSort::Status => format!("status {direction}, received_on {direction}, id {direction}"),
        IntelSort::Category => {
            format!("category {direction}, received_on {direction}, id {direction}")
        }
        // Unscored items last either way.
        IntelSort::Priority => format!(
            "priority_rank IS NULL ASC, priority_rank {direction}, received_on {direction}, \
             id {direction}"
        ),
    };
    values.push(rusqlite::types::Value::Integer(
        i64::try_from(limit).unwrap_or(i64::MAX),
    ));
    let limit_index = values.len();
    values.push(rusqlite::types::Value::Integer(
        i64::try_from(offset).unwrap_or(i64::MAX),
    ));
    let offset_index = values.len();
    let sql = format!(
        "SELECT id, reference, received_on, category,
                source_evaluation || intelligence_assessment || ' ' || handling_code,
                status, owner_id, next_review_on, substr(narrative, 1, {SUMMARY_CHARS}),
                priority_band
         FROM intel_items {clause} ORDER BY {hidden_last}{order} LIMIT ?{limit_index} OFFSET ?{offset_index}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |row| {
        let received: String = row.get(2)?;
        Ok(IntelRow {
            id: ItemId(row.get(0)?),
            reference: row.get(1)?,
            received_on: date(&received)?,
            category: row.get(3)?,
            grading: row.get(4)?,
            status: row.get(5)?,
            owner_id: UserId(row.get(6)?),
            next_review_on: optional_date(row.get::<_, Option<String>>(7)?.as_deref())?,
            summary: row.get::<_, String>(8)?.replace(['\n', '\r'], " "),
            priority: row.get(9)?,
            restricted: false,
        })
    })?;
    let rows: Vec<IntelRow> = rows.collect::<Result<_, _>>()?;
    Ok(rows
        .into_iter()
        .map(|row| {
            if hidden.contains(&row.id) {
                IntelRow::restricted(row.id, row.reference)
            } else {
                row
            }
        })
        .collect())
}

/// Items that concern a nominal, newest first (for its profile).
pub(crate) fn for_nominal(
    conn: &Connection,
    nominal: NominalId,
    limit: usize,
    viewer: UserId,
) -> Result<Vec<(IntelRow, String)>, StoreError> {
    let hidden = super::item_restrictions::hidden_clause("i", 3);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT i.id, i.reference, i.received_on, i.category,
                i.source_evaluation || i.intelligence_assessment || ' ' || i.handling_code,
                i.status, i.owner_id, i.next_review_on, substr(i.narrative, 1, {SUMMARY_CHARS}), s.role,
                i.priority_band
         FROM intel_subjects s JOIN intel_items i ON i.id = s.item_id
         WHERE s.nominal_id = ?1 AND NOT {hidden} ORDER BY i.received_on DESC, i.id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(
        params![
            nominal.0,
            i64::try_from(limit).unwrap_or(i64::MAX),
            viewer.0
        ],
        |row| {
            let received: String = row.get(2)?;
            Ok((
                IntelRow {
                    id: ItemId(row.get(0)?),
                    reference: row.get(1)?,
                    received_on: date(&received)?,
                    category: row.get(3)?,
                    grading: row.get(4)?,
                    status: row.get(5)?,
                    owner_id: UserId(row.get(6)?),
                    next_review_on: optional_date(row.get::<_, Option<String>>(7)?.as_deref())?,
                    summary: row.get::<_, String>(8)?.replace(['\n', '\r'], " "),
                    priority: row.get(10)?,
                    restricted: false,
                },
                row.get(9)?,
            ))
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}
