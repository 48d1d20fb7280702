//! SQL for management interventions: the record (its proposal, meeting and outcome as JSON, the
//! state and who decided in columns), the items it rests on, and its steps, which are
//! append-only. The table refuses a decision by the proposer even if the library were bypassed.

use super::{StoreError, now_utc_rfc3339};
use crate::domain::{
    InterventionHistoryEntry, InterventionId, InterventionProposal, InterventionState, ItemId,
    ManagementIntervention, UserId,
};
use rusqlite::{Connection, OptionalExtension, params};

fn damaged() -> StoreError {
    StoreError::Damaged("a stored intervention is malformed".into())
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|_| StoreError::Conflict("an intervention could not be encoded"))
}

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|_| damaged())
}

/// Stores a proposal resting on `items`, with its first step; returns its id.
pub(crate) fn insert(
    conn: &Connection,
    proposal: &InterventionProposal,
    items: &[ItemId],
    by: UserId,
    at_utc: Option<&str>,
) -> Result<InterventionId, StoreError> {
    let now = at_utc.map_or_else(now_utc_rfc3339, str::to_owned);
    conn.prepare_cached(
        "INSERT INTO interventions (subject_id, category, state, proposal, proposed_by, version,
                                    created_at, updated_at)
         VALUES (?1, ?2, 'proposed', ?3, ?4, 1, ?5, ?5)",
    )?
    .execute(params![
        proposal.subject.0,
        proposal.category,
        encode(proposal)?,
        by.0,
        now
    ])?;
    let id = InterventionId(conn.last_insert_rowid());
    for item in items {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO intervention_items (intervention_id, item_id) VALUES (?1, ?2)",
        )?
        .execute([id.0, item.0])?;
    }
    insert_step(
        conn,
        id,
        1,
        &InterventionHistoryEntry {
            step: String::from("propose"),
            from: None,
            to: InterventionState::Proposed,
            by,
            at_utc: now,
            note: String::new(),
        },
    )?;
    Ok(id)
}

fn insert_step(
    conn: &Connection,
    id: InterventionId,
    seq: usize,
    entry: &InterventionHistoryEntry,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO intervention_steps
             (intervention_id, seq, step, from_state, to_state, by_user, at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id.0,
        i64::try_from(seq).unwrap_or(i64::MAX),
        entry.step,
        entry.from.map(InterventionState::as_str),
        entry.to.as_str(),
        entry.by.0,
        entry.at_utc,
        entry.note,
    ])?;
    Ok(())
}

fn steps(
    conn: &Connection,
    id: InterventionId,
) -> Result<Vec<InterventionHistoryEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT step, from_state, to_state, by_user, at, note FROM intervention_steps
         WHERE intervention_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([id.0], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Option<String>>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, i64>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, String>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (step, from, to, by, at_utc, note) = row?;
        Ok(InterventionHistoryEntry {
            step,
            from: from
                .map(|f| InterventionState::parse(&f).ok_or_else(damaged))
                .transpose()?,
            to: InterventionState::parse(&to).ok_or_else(damaged)?,
            by: UserId(by),
            at_utc,
            note,
        })
    })
    .collect()
}

/// The raw columns of one intervention row.
type RawRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
    Option<String>,
    u32,
);

const COLUMNS: &str = "id, state, proposal, meeting, outcome_record, proposed_by, decided_by,
    decision_rationale, version FROM interventions";

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
    ))
}

fn assemble(conn: &Connection, row: RawRow) -> Result<ManagementIntervention, StoreError> {
    let (id, state, proposal, meeting, outcome, proposed_by, decided_by, rationale, version) = row;
    let id = InterventionId(id);
    Ok(ManagementIntervention {
        id,
        proposal: decode(&proposal)?,
        state: InterventionState::parse(&state).ok_or_else(damaged)?,
        proposed_by: UserId(proposed_by),
        decided_by: decided_by.map(UserId),
        decision_rationale: rationale,
        meeting: meeting.as_deref().map(decode).transpose()?,
        outcome: outcome.as_deref().map(decode).transpose()?,
        history: steps(conn, id)?,
        version,
    })
}

/// One intervention with its steps.
pub(crate) fn get(
    conn: &Connection,
    id: InterventionId,
) -> Result<Option<ManagementIntervention>, StoreError> {
    let row = conn
        .prepare_cached(&format!("SELECT {COLUMNS} WHERE id = ?1"))?
        .query_row([id.0], read_row)
        .optional()?;
    row.map(|row| assemble(conn, row)).transpose()
}

/// Every intervention (in `state`, if given), newest first.
pub(crate) fn list(
    conn: &Connection,
    state: Option<InterventionState>,
) -> Result<Vec<ManagementIntervention>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC"
    ))?;
    let rows: Vec<RawRow> = stmt
        .query_map([state.map(InterventionState::as_str)], read_row)?
        .collect::<Result<_, _>>()?;
    rows.into_iter().map(|row| assemble(conn, row)).collect()
}

/// Replaces `previous` by `next` (one step later): the record, and the step appended.
///
/// # Errors
/// [`StoreError::Conflict`] if it changed since `previous` was read; SQL errors (a decision
/// by the proposer is refused by the table).
pub(crate) fn update(
    conn: &Connection,
    previous: &ManagementIntervention,
    next: &ManagementIntervention,
) -> Result<(), StoreError> {
    let changed = conn
        .prepare_cached(
            "UPDATE interventions SET state = ?1, outcome = ?2, meeting = ?3, outcome_record = ?4,
                 decided_by = ?5, decision_rationale = ?6, version = ?7, updated_at = ?8
             WHERE id = ?9 AND version = ?10",
        )?
        .execute(params![
            next.state.as_str(),
            next.outcome.as_ref().map(|o| o.outcome.as_str()),
            next.meeting.as_ref().map(encode).transpose()?,
            next.outcome.as_ref().map(encode).transpose()?,
            next.decided_by.map(|u| u.0),
            next.decision_rationale,
            next.version,
            now_utc_rfc3339(),
            previous.id.0,
            previous.version,
        ])?;
    if changed != 1 {
        return Err(StoreError::Conflict(
            "the intervention was changed by someone else; open it again",
        ));
    }
    if let Some(step) = next.history.last() {
        insert_step(conn, next.id, next.history.len(), step)?;
    }
    Ok(())
}
