//! SQL for risk instruments (every published version, as the JSON of its definition) and saved
//! assessments. Both tables are append-only (triggers refuse UPDATE and DELETE).

use super::{StoreError, now_utc_rfc3339};
use crate::domain::{AssessmentId, IsoDate, NominalId, UserId};
use crate::risk::{Answers, AssessmentRecord, Instrument, InstrumentVersionInfo, Score};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// What the caller scored, to be saved as one assessment.
#[derive(Debug, Clone, Copy)]
pub struct NewAssessment<'a> {
    pub instrument_version_id: i64,
    pub subject: NominalId,
    pub answers: &'a Answers,
    pub score: &'a Score,
    pub rationale: &'a str,
    pub assessed_on: IsoDate,
    pub next_review_on: IsoDate,
}

fn damaged(what: &str) -> StoreError {
    StoreError::Damaged(format!("a stored {what} is malformed"))
}

fn decode_instrument(text: &str) -> Result<Instrument, StoreError> {
    serde_json::from_str(text).map_err(|_| damaged("instrument version"))
}

/// The newest version number stored for `key`.
pub(crate) fn latest_version(conn: &Connection, key: &str) -> Result<Option<u32>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT max(version) FROM instrument_versions WHERE instrument_key = ?1")?
        .query_row([key], |row| row.get::<_, Option<u32>>(0))?)
}

/// A version of an instrument (the newest when `version` is `None`) with its row id.
pub(crate) fn instrument(
    conn: &Connection,
    key: &str,
    version: Option<u32>,
) -> Result<Option<(i64, Instrument)>, StoreError> {
    let row = match version {
        Some(version) => conn
            .prepare_cached(
                "SELECT id, definition FROM instrument_versions
                 WHERE instrument_key = ?1 AND version = ?2",
            )?
            .query_row(params![key, version], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .optional()?,
        None => conn
            .prepare_cached(
                "SELECT id, definition FROM instrument_versions
                 WHERE instrument_key = ?1 ORDER BY version DESC LIMIT 1",
            )?
            .query_row([key], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .optional()?,
    };
    row.map(|(id, text)| Ok((id, decode_instrument(&text)?)))
        .transpose()
}

/// Every stored version, by key then version, with its publisher's name.
pub(crate) fn versions(conn: &Connection) -> Result<Vec<InstrumentVersionInfo>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.instrument_key, v.version, v.definition, v.published_at, v.published_by,
                u.name, v.shipped_default,
                v.version = (SELECT max(w.version) FROM instrument_versions w
                             WHERE w.instrument_key = v.instrument_key)
         FROM instrument_versions v LEFT JOIN users u ON u.id = v.published_by
         ORDER BY v.instrument_key, v.version",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, u32>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, Option<i64>>(4)?,
            row.get::<_, Option<String>>(5)?,
            row.get::<_, bool>(6)?,
            row.get::<_, bool>(7)?,
        ))
    })?;
    let mut list = Vec::new();
    for row in rows {
        let (key, version, definition, published_at, by, by_name, shipped, latest) = row?;
        let instrument = decode_instrument(&definition)?;
        list.push(InstrumentVersionInfo {
            key,
            version,
            name: instrument.spec().name.clone(),
            published_at_utc: published_at,
            published_by: by.map(UserId),
            publisher: by_name.unwrap_or_else(|| String::from("shipped default")),
            shipped_default: shipped,
            latest,
        });
    }
    Ok(list)
}

/// Stores a version of an instrument; `by` is `None` only for a shipped default. The caller
/// checks the numbering; the unique key refuses a version stored twice.
pub(crate) fn insert_instrument(
    conn: &Connection,
    instrument: &Instrument,
    by: Option<UserId>,
) -> Result<i64, StoreError> {
    let definition = serde_json::to_string(instrument)
        .map_err(|_| StoreError::Conflict("an instrument could not be encoded"))?;
    conn.prepare_cached(
        "INSERT INTO instrument_versions
             (instrument_key, version, definition, published_at, published_by, shipped_default)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        instrument.key(),
        instrument.version(),
        definition,
        now_utc_rfc3339(),
        by.map(|u| u.0),
        by.is_none(),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Saves an assessment; returns its id.
pub(crate) fn insert_assessment(
    conn: &Connection,
    new: &NewAssessment<'_>,
    by: UserId,
) -> Result<AssessmentId, StoreError> {
    let answers = serde_json::to_string(new.answers)
        .map_err(|_| StoreError::Conflict("answers could not be encoded"))?;
    let score = serde_json::to_string(new.score)
        .map_err(|_| StoreError::Conflict("a score could not be encoded"))?;
    conn.prepare_cached(
        "INSERT INTO assessments
             (instrument_version_id, subject_id, answers, score, total_hundredths, band,
              rationale, assessed_on, next_review_on, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        new.instrument_version_id,
        new.subject.0,
        answers,
        score,
        new.score.total.0,
        new.score.band,
        new.rationale,
        new.assessed_on.to_string(),
        new.next_review_on.to_string(),
        now_utc_rfc3339(),
        by.0,
    ])?;
    Ok(AssessmentId(conn.last_insert_rowid()))
}

const ASSESSMENT_COLUMNS: &str = "a.id, v.instrument_key, v.version, a.subject_id, a.answers,
    a.score, a.rationale, a.assessed_on, a.next_review_on, a.created_at, a.created_by
    FROM assessments a JOIN instrument_versions v ON v.id = a.instrument_version_id";

/// The raw columns of one assessment row, decoded outside rusqlite's row closure.
type AssessmentRow = (
    i64,
    String,
    u32,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);

fn read_row(row: &Row<'_>) -> rusqlite::Result<AssessmentRow> {
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
    ))
}

fn decode_assessment(row: AssessmentRow) -> Result<AssessmentRecord, StoreError> {
    let (id, key, version, subject, answers, score, rationale, on, next, at, by) = row;
    let date = |text: &str| text.parse::<IsoDate>().map_err(|_| damaged("assessment"));
    Ok(AssessmentRecord {
        id: AssessmentId(id),
        instrument: key,
        version,
        subject: NominalId(subject),
        answers: serde_json::from_str(&answers).map_err(|_| damaged("assessment"))?,
        score: serde_json::from_str(&score).map_err(|_| damaged("assessment"))?,
        rationale,
        assessed_on: date(&on)?,
        next_review_on: date(&next)?,
        created_at_utc: at,
        created_by: UserId(by),
        data_answers: Vec::new(),
    })
}

/// The evidence column of a data answer: what is not a plain column.
#[derive(serde::Serialize, serde::Deserialize)]
struct DataAnswerEvidence {
    facts: Vec<String>,
    findings: Vec<String>,
    evidence: Vec<crate::risk::beacon_screen::EvidenceRow>,
}

/// Reads the data answers kept with an assessment into it.
fn with_data_answers(
    conn: &Connection,
    mut record: AssessmentRecord,
) -> Result<AssessmentRecord, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT factor_key, suggested_option, given_option, evidence
         FROM assessment_data_answers WHERE assessment_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([record.id.0])?;
    while let Some(row) = rows.next()? {
        let evidence: String = row.get(3)?;
        let evidence: DataAnswerEvidence =
            serde_json::from_str(&evidence).map_err(|_| damaged("assessment"))?;
        record.data_answers.push(crate::risk::DataAnswer {
            factor: row.get(0)?,
            suggested: row.get(1)?,
            given: row.get(2)?,
            facts: evidence.facts,
            findings: evidence.findings,
            evidence: evidence.evidence,
        });
    }
    Ok(record)
}

/// Keeps the data answers of a new assessment.
pub(crate) fn insert_data_answers(
    conn: &Connection,
    assessment: AssessmentId,
    answers: &[crate::risk::DataAnswer],
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO assessment_data_answers (assessment_id, factor_key, suggested_option,
         given_option, evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for answer in answers {
        let evidence = serde_json::to_string(&DataAnswerEvidence {
            facts: answer.facts.clone(),
            findings: answer.findings.clone(),
            evidence: answer.evidence.clone(),
        })
        .map_err(|_| damaged("assessment"))?;
        stmt.execute(rusqlite::params![
            assessment.0,
            answer.factor,
            answer.suggested,
            answer.given,
            evidence
        ])?;
    }
    Ok(())
}

/// One assessment.
pub(crate) fn assessment(
    conn: &Connection,
    id: AssessmentId,
) -> Result<Option<AssessmentRecord>, StoreError> {
    conn.prepare_cached(&format!("SELECT {ASSESSMENT_COLUMNS} WHERE a.id = ?1"))?
        .query_row([id.0], read_row)
        .optional()?
        .map(|row| with_data_answers(conn, decode_assessment(row)?))
        .transpose()
}

/// A subject's assessments, oldest first.
pub(crate) fn assessments_of(
    conn: &Connection,
    subject: NominalId,
) -> Result<Vec<AssessmentRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ASSESSMENT_COLUMNS} WHERE a.subject_id = ?1 ORDER BY a.assessed_on, a.id"
    ))?;
    let rows = stmt.query_map([subject.0], read_row)?;
    let records: Vec<AssessmentRecord> = rows
        .map(|row| decode_assessment(row?))
        .collect::<Result<_, StoreError>>()?;
    records
        .into_iter()
        .map(|record| with_data_answers(conn, record))
        .collect()
}

/// Every assessment under any version of instrument `key`, by subject, oldest first.
pub(crate) fn assessments_under(
    conn: &Connection,
    key: &str,
) -> Result<Vec<AssessmentRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ASSESSMENT_COLUMNS} WHERE v.instrument_key = ?1
         ORDER BY a.subject_id, a.assessed_on, a.id"
    ))?;
    let rows = stmt.query_map([key], read_row)?;
    rows.map(|row| decode_assessment(row?)).collect()
}

/// Saves an item's priority score and puts its band beside the item for the log; returns
/// nothing (the history is read back by item).
pub(crate) fn insert_item_priority(
    conn: &Connection,
    item: crate::domain::ItemId,
    instrument_version_id: i64,
    priority: &crate::risk::ItemPriority,
    band_rank: usize,
    by: UserId,
) -> Result<(), StoreError> {
    let answers = serde_json::to_string(&priority.answers)
        .map_err(|_| StoreError::Conflict("answers could not be encoded"))?;
    let score = serde_json::to_string(&priority.score)
        .map_err(|_| StoreError::Conflict("a score could not be encoded"))?;
    let rank = i64::try_from(band_rank).unwrap_or(i64::MAX);
    conn.prepare_cached(
        "INSERT INTO item_priorities
             (item_id, instrument_version_id, answers, score, total_hundredths, band, band_rank,
              rationale, assessed_on, next_review_on, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        item.0,
        instrument_version_id,
        answers,
        score,
        priority.score.total.0,
        priority.score.band,
        rank,
        priority.rationale,
        priority.assessed_on.to_string(),
        priority.next_review_on.to_string(),
        now_utc_rfc3339(),
        by.0,
    ])?;
    conn.prepare_cached(
        "UPDATE intel_items SET priority_band = ?2, priority_rank = ?3 WHERE id = ?1",
    )?
    .execute(params![item.0, priority.score.band, rank])?;
    Ok(())
}

/// An item's priority scores, oldest first.
pub(crate) fn item_priorities(
    conn: &Connection,
    item: crate::domain::ItemId,
    reference: &str,
) -> Result<Vec<crate::risk::ItemPriority>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.version, p.answers, p.score, p.rationale, p.assessed_on, p.next_review_on,
                p.created_at, p.created_by
         FROM item_priorities p JOIN instrument_versions v ON v.id = p.instrument_version_id
         WHERE p.item_id = ?1 ORDER BY p.id",
    )?;
    let rows = stmt.query_map([item.0], |row| {
        Ok((
            row.get::<_, u32>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, String>(5)?,
            row.get::<_, String>(6)?,
            row.get::<_, i64>(7)?,
        ))
    })?;
    rows.map(|row| {
        let (version, answers, score, rationale, assessed_on, next_review_on, created_at, by) =
            row?;
        Ok(crate::risk::ItemPriority {
            item: reference.to_owned(),
            version,
            answers: serde_json::from_str(&answers).map_err(|_| damaged("priority"))?,
            score: serde_json::from_str(&score).map_err(|_| damaged("priority"))?,
            rationale,
            assessed_on: assessed_on.parse().map_err(|_| damaged("priority"))?,
            next_review_on: next_review_on.parse().map_err(|_| damaged("priority"))?,
            created_at_utc: created_at,
            created_by: UserId(by),
        })
    })
    .collect()
}

/// Records a subject's removal from the Beacon cohort.
pub(crate) fn insert_beacon_removal(
    conn: &Connection,
    subject: NominalId,
    after_assessment: AssessmentId,
    removed_on: IsoDate,
    rationale: &str,
    by: UserId,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO beacon_removals (subject_id, after_assessment, removed_on, rationale,
         created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        subject.0,
        after_assessment.0,
        removed_on.to_string(),
        rationale,
        now_utc_rfc3339(),
        by.0
    ])?;
    Ok(())
}

/// For each subject removed from the Beacon cohort on or before `as_of`, the latest assessment
/// the removal came after (a later assessment brings them back).
pub(crate) fn beacon_removals(
    conn: &Connection,
    as_of: IsoDate,
) -> Result<std::collections::HashMap<NominalId, AssessmentId>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT subject_id, max(after_assessment) FROM beacon_removals WHERE removed_on <= ?1
         GROUP BY subject_id",
    )?;
    let rows = stmt.query_map([as_of.to_string()], |row| {
        Ok((
            NominalId(row.get::<_, i64>(0)?),
            AssessmentId(row.get::<_, i64>(1)?),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Records an IOPC referral decision for a Beacon subject.
pub(crate) fn insert_iopc_decision(
    conn: &Connection,
    subject: NominalId,
    decision: &crate::risk::IopcDecision,
    by: UserId,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO beacon_iopc_decisions (subject_id, referred, decided_on, reason, created_at,
         created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        subject.0,
        decision.referred,
        decision.decided_on.to_string(),
        decision.reason,
        now_utc_rfc3339(),
        by.0
    ])?;
    Ok(())
}

/// Each Beacon subject's latest IOPC referral decision.
pub(crate) fn iopc_decisions(
    conn: &Connection,
) -> Result<std::collections::HashMap<NominalId, crate::risk::IopcDecision>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT subject_id, referred, decided_on, reason FROM beacon_iopc_decisions ORDER BY id",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, bool>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    let mut latest = std::collections::HashMap::new();
    for row in rows {
        let (subject, referred, decided_on, reason) = row?;
        latest.insert(
            NominalId(subject),
            crate::risk::IopcDecision {
                referred,
                decided_on: decided_on.parse().map_err(|_| damaged("IOPC decision"))?,
                reason,
            },
        );
    }
    Ok(latest)
}

/// One employee due a Beacon assessment: the subject, the item, its date, their last assessment.
pub type BeaconDueRow = (NominalId, String, IsoDate, Option<IsoDate>);

/// Employees who are the subject of a sexual misconduct or sexual-purpose item received after
/// their latest Beacon assessment (or with none): (subject, item reference, received on, latest
/// assessment), the earliest such item each.
pub(crate) fn beacon_due(
    conn: &Connection,
    beacon_key: &str,
) -> Result<Vec<BeaconDueRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "WITH last AS (
             SELECT a.subject_id, max(a.assessed_on) AS on_day FROM assessments a
             JOIN instrument_versions v ON v.id = a.instrument_version_id
             WHERE v.instrument_key = ?1 GROUP BY a.subject_id)
         SELECT s.nominal_id, i.reference, i.received_on, last.on_day
         FROM intel_subjects s
         JOIN intel_items i ON i.id = s.item_id
         JOIN nominals n ON n.id = s.nominal_id AND n.kind = 'employee' AND n.merged_into IS NULL
         LEFT JOIN last ON last.subject_id = s.nominal_id
         WHERE s.role = 'subject'
           AND (i.category = ?2 OR i.subcategory = ?3)
           AND (last.on_day IS NULL OR last.on_day < i.received_on)
         ORDER BY s.nominal_id, i.received_on, i.id",
    )?;
    let rows = stmt.query_map(
        params![
            beacon_key,
            crate::risk::BEACON_CATEGORY,
            crate::risk::BEACON_SUBCATEGORY
        ],
        |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        },
    )?;
    let mut due: Vec<BeaconDueRow> = Vec::new();
    for row in rows {
        let (subject, reference, received_on, last) = row?;
        let subject = NominalId(subject);
        if due.last().is_some_and(|(s, ..)| *s == subject) {
            continue;
        }
        due.push((
            subject,
            reference,
            received_on.parse().map_err(|_| damaged("item"))?,
            last.map(|d| d.parse().map_err(|_| damaged("assessment")))
                .transpose()?,
        ));
    }
    Ok(due)
}
