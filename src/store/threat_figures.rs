//! SQL for the strategic threat assessment: intelligence received in a period counted by
//! category, source type, grading and status; interventions proposed in a period by outcome;
//! the control strategy table; and the analyst's text, one row per version.

use super::StoreError;
use crate::domain::IsoDate;
use crate::risk::threat_assessment::{
    AssessmentText, AssessmentTextVersion, ControlStrategyRow, PeriodCounts,
};
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

/// Runs `statement` (a value and a count per row) for the period `from`–`to` (its `?1` and
/// `?2`), as value to count.
fn counts_in_period(
    statement: &mut rusqlite::Statement<'_>,
    from: IsoDate,
    to: IsoDate,
) -> Result<BTreeMap<String, u64>, StoreError> {
    let rows = statement.query_map(params![from.to_string(), to.to_string()], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
    })?;
    let mut counts = BTreeMap::new();
    for row in rows {
        let (value, count) = row?;
        counts.insert(value, u64::try_from(count).unwrap_or(0));
    }
    Ok(counts)
}

/// Counts of `column` (an expression over `intel_items`) among items received in the period.
fn grouped(
    conn: &Connection,
    column: &str,
    from: IsoDate,
    to: IsoDate,
) -> Result<BTreeMap<String, u64>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "SELECT {column}, count(*) FROM intel_items
         WHERE received_on BETWEEN ?1 AND ?2 GROUP BY 1"
    ))?;
    counts_in_period(&mut statement, from, to)
}

/// Items received in the period that name a member of staff as their subject, counted by
/// `field` of that member's record (an item about two people counts once under each value).
fn staff_grouped(
    conn: &Connection,
    field: &str,
    from: IsoDate,
    to: IsoDate,
) -> Result<BTreeMap<String, u64>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "SELECT trim(coalesce(json_extract(n.details, '$.{field}'), '')), count(DISTINCT i.id)
         FROM intel_items i
         JOIN intel_subjects s ON s.item_id = i.id AND s.role = 'subject'
         JOIN nominals n ON n.id = s.nominal_id AND n.kind = 'employee'
         WHERE i.received_on BETWEEN ?1 AND ?2 GROUP BY 1"
    ))?;
    counts_in_period(&mut statement, from, to)
}

/// Intelligence received between `from` and `to` (both included), counted by category,
/// sub-category, source type, grading and status, and by the staff it concerns.
pub(crate) fn intel_period_counts(
    conn: &Connection,
    from: IsoDate,
    to: IsoDate,
) -> Result<PeriodCounts, StoreError> {
    let by_category = grouped(conn, "category", from, to)?;
    let mut by_subcategory: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (key, count) in grouped(
        conn,
        "category || char(31) || coalesce(subcategory, '')",
        from,
        to,
    )? {
        if let Some((category, sub)) = key.split_once('\u{1f}') {
            by_subcategory
                .entry(category.to_owned())
                .or_default()
                .insert(sub.to_owned(), count);
        }
    }
    Ok(PeriodCounts {
        by_subcategory,
        by_employee_type: staff_grouped(conn, "employee_type", from, to)?,
        by_rank: staff_grouped(conn, "rank_grade", from, to)?,
        by_department: staff_grouped(conn, "department", from, to)?,
        total: by_category.values().sum(),
        by_category,
        by_source_type: grouped(conn, "source_type", from, to)?,
        by_grading: grouped(
            conn,
            "source_evaluation || intelligence_assessment",
            from,
            to,
        )?,
        by_status: grouped(conn, "status", from, to)?,
    })
}

/// Interventions proposed between `from` and `to` (both included), by outcome; `declined` or
/// `withdrawn` for those that ended without one, `pending` for those still waiting for one.
pub(crate) fn interventions_by_outcome(
    conn: &Connection,
    from: IsoDate,
    to: IsoDate,
) -> Result<BTreeMap<String, u64>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT CASE WHEN outcome IS NOT NULL THEN outcome
                     WHEN state IN ('declined', 'withdrawn') THEN state
                     ELSE 'pending' END,
                count(*) FROM interventions
         WHERE substr(created_at, 1, 10) BETWEEN ?1 AND ?2 GROUP BY 1",
    )?;
    counts_in_period(&mut statement, from, to)
}

/// The control strategy, in order.
pub(crate) fn control_strategy(conn: &Connection) -> Result<Vec<ControlStrategyRow>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT priority, intervention, protection, prevention FROM control_strategy
         ORDER BY position",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(ControlStrategyRow {
            priority: row.get(0)?,
            intervention: row.get(1)?,
            protection: row.get(2)?,
            prevention: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replaces the control strategy with `rows`, in their order.
pub(crate) fn replace_control_strategy(
    conn: &Connection,
    rows: &[ControlStrategyRow],
) -> Result<(), StoreError> {
    conn.execute("DELETE FROM control_strategy", [])?;
    let mut statement = conn.prepare(
        "INSERT INTO control_strategy (position, priority, intervention, protection, prevention)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (position, row) in rows.iter().enumerate() {
        statement.execute(params![
            i64::try_from(position).unwrap_or(i64::MAX),
            row.priority,
            row.intervention,
            row.protection,
            row.prevention
        ])?;
    }
    Ok(())
}

/// Every version of the analyst's text for exactly the period `from`–`to`, newest first, each
/// with its writer's name.
pub(crate) fn assessment_text_versions(
    conn: &Connection,
    from: IsoDate,
    to: IsoDate,
) -> Result<Vec<AssessmentTextVersion>, StoreError> {
    text_versions(conn, from, to, -1)
}

/// The newest version of the analyst's text for exactly the period `from`–`to`, if any.
pub(crate) fn newest_assessment_text(
    conn: &Connection,
    from: IsoDate,
    to: IsoDate,
) -> Result<Option<AssessmentTextVersion>, StoreError> {
    Ok(text_versions(conn, from, to, 1)?.into_iter().next())
}

/// At most `limit` versions of the period's text, newest first (`-1`: every one).
fn text_versions(
    conn: &Connection,
    from: IsoDate,
    to: IsoDate,
    limit: i64,
) -> Result<Vec<AssessmentTextVersion>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT t.version, t.body, t.written_at, coalesce(u.name, '')
         FROM assessment_texts t LEFT JOIN users u ON u.id = t.written_by
         WHERE t.period_from = ?1 AND t.period_to = ?2 ORDER BY t.version DESC LIMIT ?3",
    )?;
    let rows = statement.query_map(params![from.to_string(), to.to_string(), limit], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    let mut versions = Vec::new();
    for row in rows {
        let (version, body, written_at, written_by) = row?;
        let text: AssessmentText = serde_json::from_str(&body)
            .map_err(|_| StoreError::Damaged("an assessment text is not readable".into()))?;
        versions.push(AssessmentTextVersion {
            version: u32::try_from(version).map_err(|_| {
                StoreError::Damaged("an assessment text version is out of range".into())
            })?,
            written_by,
            written_at,
            text,
        });
    }
    Ok(versions)
}

/// Adds version `version` of the analyst's text for the period.
pub(crate) fn insert_assessment_text(
    conn: &Connection,
    from: IsoDate,
    to: IsoDate,
    version: u32,
    text: &AssessmentText,
    written_by: crate::domain::UserId,
    written_at: &str,
) -> Result<(), StoreError> {
    let body = serde_json::to_string(text)
        .map_err(|_| StoreError::Damaged("an assessment text could not be written".into()))?;
    conn.execute(
        "INSERT INTO assessment_texts (period_from, period_to, version, body, written_at, written_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            from.to_string(),
            to.to_string(),
            i64::from(version),
            body,
            written_at,
            written_by.0
        ],
    )?;
    Ok(())
}
