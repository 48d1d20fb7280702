//! SQL for the notifiable association register: entries, their earlier versions (kept as
//! snapshots, as items and nominals keep theirs), and counts of live entries by category.

use super::record_history::{self, HistoryTable};
use super::{StoreError, now_utc_rfc3339};
use crate::domain::{
    AssessmentId, IsoDate, LinkId, NaDraft, NaOrigin, NaRelationship, NaReview, NaReviewOutcome,
    NaStatus, NaVersion, NominalId, NotifiableAssociation, NotifiableAssociationId, UserId,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "id, employee_id, associate_id, category, origin, declared_on, conditions,
    assessment_id, status, review_due_on, last_reviewed_on, closed_on, closed_reason, version,
    created_at, created_by, relationship FROM notifiable_associations";

fn damaged() -> StoreError {
    StoreError::Damaged("a stored notifiable association is malformed".into())
}

/// The raw columns of one row, decoded outside rusqlite's row closure.
type RawRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    u32,
    String,
    i64,
    Option<String>,
);

fn read_row(row: &Row<'_>) -> rusqlite::Result<RawRow> {
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
        row.get(9)?,
        row.get(10)?,
        row.get(11)?,
        row.get(12)?,
        row.get(13)?,
        row.get(14)?,
        row.get(15)?,
        row.get(16)?,
    ))
}

fn decode(row: RawRow) -> Result<NotifiableAssociation, StoreError> {
    let (
        id,
        employee,
        associate,
        category,
        origin,
        declared_on,
        conditions,
        assessment,
        status,
        review_due_on,
        last_reviewed_on,
        closed_on,
        closed_reason,
        version,
        created_at,
        created_by,
        relationship,
    ) = row;
    let date = |text: &str| text.parse::<IsoDate>().map_err(|_| damaged());
    let optional_date = |text: Option<String>| text.as_deref().map(date).transpose();
    Ok(NotifiableAssociation {
        id: NotifiableAssociationId(id),
        employee: NominalId(employee),
        associate: NominalId(associate),
        category,
        origin: NaOrigin::parse(&origin).ok_or_else(damaged)?,
        declared_on: date(&declared_on)?,
        conditions,
        assessment: assessment.map(AssessmentId),
        status: NaStatus::parse(&status).ok_or_else(damaged)?,
        review_due_on: date(&review_due_on)?,
        last_reviewed_on: optional_date(last_reviewed_on)?,
        closed_on: optional_date(closed_on)?,
        closed_reason,
        relationship: relationship
            .as_deref()
            .map(|text| NaRelationship::parse(text).ok_or_else(damaged))
            .transpose()?,
        version,
        created_at_utc: created_at,
        created_by: UserId(created_by),
    })
}

/// Stores a new live entry (the draft checked by the caller); returns its id.
pub(crate) fn insert(
    conn: &Connection,
    draft: &NaDraft,
    link: Option<LinkId>,
    by: UserId,
) -> Result<NotifiableAssociationId, StoreError> {
    let now = now_utc_rfc3339();
    conn.prepare_cached(
        "INSERT INTO notifiable_associations
             (employee_id, associate_id, category, origin, declared_on, conditions, assessment_id,
              status, review_due_on, link_id, version, created_at, created_by, updated_at,
              updated_by, relationship)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'live', ?8, ?9, 1, ?10, ?11, ?10, ?11, ?12)",
    )?
    .execute(params![
        draft.employee.0,
        draft.associate.0,
        draft.category,
        draft.origin.as_str(),
        draft.declared_on.to_string(),
        draft.conditions.trim(),
        draft.assessment.map(|a| a.0),
        draft.first_review().to_string(),
        link.map(|l| l.0),
        now,
        by.0,
        draft.relationship.map(NaRelationship::as_str),
    ])?;
    Ok(NotifiableAssociationId(conn.last_insert_rowid()))
}

/// One entry.
pub(crate) fn get(
    conn: &Connection,
    id: NotifiableAssociationId,
) -> Result<Option<NotifiableAssociation>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} WHERE id = ?1"))?
        .query_row([id.0], read_row)
        .optional()?
        .map(decode)
        .transpose()
}

/// Every entry, oldest first (the register holds hundreds, not millions).
pub(crate) fn all(conn: &Connection) -> Result<Vec<NotifiableAssociation>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} ORDER BY id"))?;
    let rows = stmt.query_map([], read_row)?;
    rows.map(|row| decode(row?)).collect()
}

/// The live entry for this employee and associate, if any.
pub(crate) fn live_for_pair(
    conn: &Connection,
    employee: NominalId,
    associate: NominalId,
) -> Result<Option<NotifiableAssociationId>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM notifiable_associations
             WHERE employee_id = ?1 AND associate_id = ?2 AND status = 'live'",
        )?
        .query_row([employee.0, associate.0], |row| row.get(0))
        .optional()?
        .map(NotifiableAssociationId))
}

/// Rows of `(code, count)` from a counting query, as the register's counts give them.
fn code_counts(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<(String, usize)>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |row| Ok((row.get(0)?, row.get::<_, i64>(1)?)))?;
    rows.map(|row| {
        let (code, count) = row?;
        Ok((code, usize::try_from(count).unwrap_or(0)))
    })
    .collect()
}

/// Live entries by category code, largest first.
pub(crate) fn live_counts(conn: &Connection) -> Result<Vec<(String, usize)>, StoreError> {
    code_counts(
        conn,
        "SELECT category, count(*) FROM notifiable_associations WHERE status = 'live'
         GROUP BY category ORDER BY count(*) DESC, category",
        [],
    )
}

/// Entries live on `date`, by category: declared on or before it and not closed by then (an
/// entry closed on `date` was live that day). The category is the entry's current one.
pub(crate) fn live_counts_on(
    conn: &Connection,
    date: IsoDate,
) -> Result<Vec<(String, usize)>, StoreError> {
    code_counts(
        conn,
        "SELECT category, count(*) FROM notifiable_associations
         WHERE declared_on <= ?1 AND (closed_on IS NULL OR closed_on >= ?1)
         GROUP BY category ORDER BY count(*) DESC, category",
        [date.to_string()],
    )
}

/// Live entries by relationship code (`not_recorded` for entries made without one), largest
/// first.
pub(crate) fn live_counts_by_relationship(
    conn: &Connection,
) -> Result<Vec<(String, usize)>, StoreError> {
    code_counts(
        conn,
        "SELECT COALESCE(relationship, 'not_recorded'), count(*) FROM notifiable_associations
         WHERE status = 'live' GROUP BY 1 ORDER BY count(*) DESC, 1",
        [],
    )
}

/// Records a review (the entry's own change is written by [`update`]).
pub(crate) fn insert_review(conn: &Connection, review: &NaReview) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO na_reviews (association_id, reviewed_on, reviewer, outcome, rationale,
         next_due_on, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        review.association.0,
        review.reviewed_on.to_string(),
        review.reviewer.0,
        review.outcome.as_str(),
        review.rationale,
        review.next_due_on.map(|d| d.to_string()),
        now_utc_rfc3339(),
    ])?;
    Ok(())
}

/// An entry's reviews, oldest first, with each reviewer's name.
pub(crate) fn reviews(
    conn: &Connection,
    association: NotifiableAssociationId,
) -> Result<Vec<NaReview>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.reviewed_on, r.reviewer, u.name, r.outcome, r.rationale, r.next_due_on
         FROM na_reviews r LEFT JOIN users u ON u.id = r.reviewer
         WHERE r.association_id = ?1 ORDER BY r.reviewed_on, r.id",
    )?;
    let rows = stmt.query_map([association.0], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, Option<String>>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (reviewed_on, reviewer, name, outcome, rationale, next_due_on) = row?;
        Ok(NaReview {
            association,
            reviewed_on: reviewed_on.parse().map_err(|_| damaged())?,
            reviewer: UserId(reviewer),
            reviewer_name: name.unwrap_or_default(),
            outcome: NaReviewOutcome::parse(&outcome).ok_or_else(damaged)?,
            rationale,
            next_due_on: next_due_on
                .as_deref()
                .map(|d| d.parse().map_err(|_| damaged()))
                .transpose()?,
        })
    })
    .collect()
}

/// Replaces `previous` by `next` (same id), keeping `previous` in the history with `change`.
///
/// # Errors
/// [`StoreError::Conflict`] if the entry changed since `previous` was read; SQL errors.
pub(crate) fn update(
    conn: &Connection,
    previous: &NotifiableAssociation,
    next: &NotifiableAssociation,
    change: &str,
    by: UserId,
) -> Result<(), StoreError> {
    record_history::archive(
        conn,
        HistoryTable::NotifiableAssociations,
        previous.id.0,
        previous.version,
        previous,
        by,
        change,
    )?;
    let changed = conn
        .prepare_cached(
            "UPDATE notifiable_associations SET category = ?1, conditions = ?2,
                 assessment_id = ?3, status = ?4, review_due_on = ?5, last_reviewed_on = ?6,
                 closed_on = ?7, closed_reason = ?8, version = version + 1, updated_at = ?9,
                 updated_by = ?10
             WHERE id = ?11 AND version = ?12",
        )?
        .execute(params![
            next.category,
            next.conditions,
            next.assessment.map(|a| a.0),
            next.status.as_str(),
            next.review_due_on.to_string(),
            next.last_reviewed_on.map(|d| d.to_string()),
            next.closed_on.map(|d| d.to_string()),
            next.closed_reason,
            now_utc_rfc3339(),
            by.0,
            previous.id.0,
            previous.version,
        ])?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "the entry was changed by someone else; open it again",
        ))
    }
}

/// Every earlier version of an entry, oldest first.
pub(crate) fn history(
    conn: &Connection,
    id: NotifiableAssociationId,
) -> Result<Vec<NaVersion>, StoreError> {
    let versions: Vec<record_history::StoredVersion<NotifiableAssociation>> =
        record_history::read(conn, HistoryTable::NotifiableAssociations, id.0)?;
    Ok(versions
        .into_iter()
        .map(
            |(version, record, replaced_at_utc, replaced_by, change)| NaVersion {
                version,
                record,
                replaced_at_utc,
                replaced_by,
                change,
            },
        )
        .collect())
}
