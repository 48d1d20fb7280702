//! SQL for the strategic threat assessment: intelligence received in a period counted by
//! category, source type, grading and status; interventions proposed in a period by outcome;
//! and the control strategy table.

use super::StoreError;
use crate::domain::IsoDate;
use crate::risk::threat_assessment::{ControlStrategyRow, PeriodCounts};
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

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
    let rows = statement.query_map(params![from.to_string(), to.to_string()], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
    })?;
    let mut counts = BTreeMap::new();
    for row in rows {
        let (code, count) = row?;
        counts.insert(code, u64::try_from(count).unwrap_or(0));
    }
    Ok(counts)
}

/// Intelligence received between `from` and `to` (both included), counted four ways.
pub(crate) fn intel_period_counts(
    conn: &Connection,
    from: IsoDate,
    to: IsoDate,
) -> Result<PeriodCounts, StoreError> {
    let by_category = grouped(conn, "category", from, to)?;
    Ok(PeriodCounts {
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

/// Interventions proposed between `from` and `to` (both included), by outcome; `pending` for
/// those without one yet.
pub(crate) fn interventions_by_outcome(
    conn: &Connection,
    from: IsoDate,
    to: IsoDate,
) -> Result<BTreeMap<String, u64>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT coalesce(outcome, 'pending'), count(*) FROM interventions
         WHERE substr(created_at, 1, 10) BETWEEN ?1 AND ?2 GROUP BY 1",
    )?;
    let rows = statement.query_map(params![from.to_string(), to.to_string()], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
    })?;
    let mut counts = BTreeMap::new();
    for row in rows {
        let (outcome, count) = row?;
        counts.insert(outcome, u64::try_from(count).unwrap_or(0));
    }
    Ok(counts)
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
