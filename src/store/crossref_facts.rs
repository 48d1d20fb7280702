//! SQL for the cross-reference engine: gathering the facts it decides on (through the partial
//! indexes on matched nominals, so ten million audit events are not scanned), and keeping
//! the leads it finds.

use super::{StoreError, now_utc_rfc3339};
use crate::domain::{IsoDate, ItemId, LeadId, NominalId};
use crate::risk::crossref::{
    ContractFact, CrossrefFacts, FoundLead, HospitalityFact, KnownCall, LaterQuery, Lookup,
    Sanction, VettingFact, VictimCase, WatchReason,
};
use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::FxHashSet;
use std::str::FromStr;

fn unix_of(rfc3339: &str) -> Option<i64> {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(time::OffsetDateTime::unix_timestamp)
}

fn watch_reason(flags: i64) -> Option<WatchReason> {
    if flags & 1 != 0 {
        Some(WatchReason::OcgMember)
    } else if flags & 2 != 0 {
        Some(WatchReason::Criminal)
    } else if flags & 4 != 0 {
        Some(WatchReason::Vulnerable)
    } else if flags & 32 != 0 {
        Some(WatchReason::Victim)
    } else {
        None
    }
}

/// Who uses each phone, from the `uses_phone` links (either way round): cross-referencing and
/// Beacon screening both read calls through it.
pub(crate) fn phone_owners(
    conn: &Connection,
) -> Result<rustc_hash::FxHashMap<NominalId, Vec<NominalId>>, StoreError> {
    let mut owners: rustc_hash::FxHashMap<NominalId, Vec<NominalId>> =
        rustc_hash::FxHashMap::default();
    let mut statement = conn.prepare(
        "SELECT l.from_id, a.kind, l.to_id, b.kind FROM links l
         JOIN nominals a ON a.id = l.from_id JOIN nominals b ON b.id = l.to_id
         WHERE l.link_type = 'uses_phone'",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (from, from_kind, to, to_kind): (i64, String, i64, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        let (phone, owner) = match (from_kind.as_str(), to_kind.as_str()) {
            (_, "phone") => (to, from),
            ("phone", _) => (from, to),
            _ => continue,
        };
        owners
            .entry(NominalId(phone))
            .or_default()
            .push(NominalId(owner));
    }
    Ok(owners)
}

/// Gathers every fact but the undeclared routes (the graph's, added by the caller).
#[expect(
    clippy::too_many_lines,
    reason = "one query per cross-reference pattern, gathered in one read transaction"
)]
pub(crate) fn gather(conn: &Connection) -> Result<CrossrefFacts, StoreError> {
    let mut facts = CrossrefFacts::default();
    {
        let mut statement = conn.prepare(
            "SELECT id, kind, flags FROM nominals
             WHERE merged_into IS NULL AND (kind = 'employee' OR (kind = 'person' AND flags <> 0))",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id = NominalId(row.get(0)?);
            let kind: String = row.get(1)?;
            if kind == "employee" {
                facts.employees.insert(id);
            } else if let Some(reason) = watch_reason(row.get(2)?) {
                facts.watched.insert(id, reason);
            }
        }
    }
    {
        let mut statement = conn.prepare(
            "SELECT s.nominal_id, MAX(i.updated_at) FROM intel_subjects s
             JOIN intel_items i ON i.id = s.item_id
             WHERE s.role = 'victim' AND i.status = 'closed' GROUP BY s.nominal_id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let at: String = row.get(1)?;
            if let Some(at) = unix_of(&at) {
                facts
                    .victim_cases
                    .entry(NominalId(row.get(0)?))
                    .or_default()
                    .push(VictimCase {
                        opened: i64::MIN,
                        closed: Some(at),
                        officers: Vec::new(),
                    });
            }
        }
    }
    // Crime and incident records: each case's rows give its victim and its officers.
    {
        let cases = super::external_records::cases_with_victims(conn)?;
        let mut officers: rustc_hash::FxHashMap<&str, Vec<NominalId>> =
            rustc_hash::FxHashMap::default();
        for case in &cases {
            if let Some(officer) = case.officer {
                officers
                    .entry(case.reference.as_str())
                    .or_default()
                    .push(officer);
            }
        }
        for case in &cases {
            let Some(victim) = case.victim else { continue };
            let entry = facts.victim_cases.entry(victim).or_default();
            let opened = case.opened_on.unix_midnight_utc();
            let closed = case.closed_on.map(|d| d.plus_days(1).unix_midnight_utc());
            let on_case = officers
                .get(case.reference.as_str())
                .cloned()
                .unwrap_or_default();
            // One case per reference and victim (its rows differ only in the officer).
            if !entry
                .iter()
                .any(|c| c.opened == opened && c.closed == closed && c.officers == on_case)
            {
                entry.push(VictimCase {
                    opened,
                    closed,
                    officers: on_case,
                });
            }
        }
    }
    // Serving staff's current vetting.
    {
        let mut left: FxHashSet<NominalId> = FxHashSet::default();
        let mut statement = conn.prepare(
            "SELECT id FROM nominals WHERE kind = 'employee' AND merged_into IS NULL
               AND json_extract(details, '$.status') = 'left'",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            left.insert(NominalId(row.get(0)?));
        }
        for (employee, record) in super::external_records::current_vetting(conn)? {
            if left.contains(&employee) {
                continue;
            }
            facts.vetting.push(VettingFact {
                employee,
                level: record.level,
                expires_on: record.expires_on,
                post_requires: record.post_requires,
            });
        }
    }
    {
        let mut statement = conn.prepare(
            "SELECT from_id, to_id FROM links WHERE link_type = 'declared_association'
             UNION SELECT employee_id, associate_id FROM notifiable_associations
             WHERE status = 'live'",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (a, b) = (NominalId(row.get(0)?), NominalId(row.get(1)?));
            facts.declared.insert((a, b));
            facts.declared.insert((b, a));
        }
    }
    // Look-ups of the watched, and of anyone declared as an associate.
    {
        let mut subjects: FxHashSet<NominalId> = facts.watched.keys().copied().collect();
        subjects.extend(facts.declared.iter().map(|&(_, b)| b));
        subjects.extend(facts.victim_cases.keys().copied());
        let mut subjects: Vec<NominalId> = subjects.into_iter().collect();
        subjects.sort_unstable();
        let mut statement = conn.prepare(
            "SELECT staff_nominal, occurred_at, system, reason_code FROM system_audit_events
             WHERE subject_nominal = ?1 AND staff_nominal IS NOT NULL",
        )?;
        for subject in subjects {
            let mut rows = statement.query(params![subject.0])?;
            while let Some(row) = rows.next()? {
                facts.lookups.push(Lookup {
                    staff: NominalId(row.get(0)?),
                    subject,
                    at: row.get(1)?,
                    system: row.get(2)?,
                    reason_code: row.get(3)?,
                });
            }
        }
    }
    facts.phone_owners = phone_owners(conn)?;
    // Calls on staff phones only, each once.
    {
        let mut staff_phones: Vec<NominalId> = facts
            .phone_owners
            .iter()
            .filter(|(_, owners)| owners.iter().any(|o| facts.employees.contains(o)))
            .map(|(&phone, _)| phone)
            .collect();
        staff_phones.sort_unstable();
        let mut seen: FxHashSet<i64> = FxHashSet::default();
        for sql in [
            "SELECT id, caller_nominal, callee_nominal, started_at, duration_secs
             FROM call_records WHERE caller_nominal = ?1",
            "SELECT id, caller_nominal, callee_nominal, started_at, duration_secs
             FROM call_records WHERE callee_nominal = ?1",
        ] {
            let mut statement = conn.prepare(sql)?;
            for phone in &staff_phones {
                let mut rows = statement.query(params![phone.0])?;
                while let Some(row) = rows.next()? {
                    if seen.insert(row.get(0)?) {
                        facts.calls.push(KnownCall {
                            caller: row.get::<_, Option<i64>>(1)?.map(NominalId),
                            callee: row.get::<_, Option<i64>>(2)?.map(NominalId),
                            at: row.get(3)?,
                            duration_secs: row.get(4)?,
                        });
                    }
                }
            }
        }
    }
    {
        let mut statement = conn.prepare(
            "SELECT staff_nominal, staff_number, provider, provider_key, offered_on, value_pence,
                    accepted
             FROM hospitality_entries WHERE staff_nominal IS NOT NULL",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let offered_on: String = row.get(4)?;
            let Ok(offered_on) = IsoDate::from_str(&offered_on) else {
                continue;
            };
            facts.hospitality.push(HospitalityFact {
                staff: NominalId(row.get(0)?),
                staff_number: row.get(1)?,
                provider: row.get(2)?,
                provider_key: row.get(3)?,
                offered_on,
                value_pence: row.get(5)?,
                accepted: row.get(6)?,
            });
        }
    }
    {
        let mut statement = conn.prepare(
            "SELECT reference, supplier_key, awarded_on, value_pence, awarded_by
             FROM procurement_contracts",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let awarded_on: String = row.get(2)?;
            let Ok(awarded_on) = IsoDate::from_str(&awarded_on) else {
                continue;
            };
            facts.contracts.push(ContractFact {
                reference: row.get(0)?,
                supplier_key: row.get(1)?,
                awarded_on,
                value_pence: row.get(3)?,
                awarded_by: row.get(4)?,
            });
        }
    }
    {
        // Seed 001: staff who "previously breached and received sanctions for Disclosure of
        // Information / Misuse of Force Systems": a conduct outcome of a written warning or more
        // in those categories, the earliest per member of staff.
        let sanction_outcomes = crate::domain::ConductOutcomeKind::ALL
            .into_iter()
            .filter(|k| k.is_sanction())
            .map(|k| format!("'{}'", k.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let categories = crate::domain::QUERYING_SANCTION_CATEGORIES
            .iter()
            .map(|c| format!("'{c}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut statement = conn.prepare(&format!(
            "SELECT staff_nominal, decided_on, outcome, category FROM conduct_outcomes
             WHERE staff_nominal IS NOT NULL AND outcome IN ({sanction_outcomes})
               AND category IN ({categories})
             ORDER BY staff_nominal, decided_on, id"
        ))?;
        let mut rows = statement.query([])?;
        let mut seen = FxHashSet::default();
        while let Some(row) = rows.next()? {
            let employee = NominalId(row.get(0)?);
            let decided_on: String = row.get(1)?;
            let outcome: String = row.get(2)?;
            let (Ok(decided_on), Some(outcome)) = (
                IsoDate::from_str(&decided_on),
                crate::domain::ConductOutcomeKind::parse(&outcome),
            ) else {
                continue;
            };
            if seen.insert(employee) {
                facts.sanctions.push(Sanction {
                    employee,
                    since: decided_on.unix_midnight_utc(),
                    outcome,
                    category: row.get(3)?,
                });
            }
        }
    }
    {
        let mut statement = conn.prepare(
            "SELECT occurred_at, reason_code FROM system_audit_events
             WHERE staff_nominal = ?1 AND occurred_at > ?2",
        )?;
        for sanction in &facts.sanctions {
            let mut rows = statement.query(params![sanction.employee.0, sanction.since])?;
            while let Some(row) = rows.next()? {
                facts.later_queries.push(LaterQuery {
                    staff: sanction.employee,
                    at: row.get(0)?,
                    reason_code: row.get(1)?,
                });
            }
        }
    }
    Ok(facts)
}

/// A lead as kept in the workbench.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredLead {
    pub id: LeadId,
    pub kind: String,
    pub employee: NominalId,
    pub others: Vec<NominalId>,
    pub score: u32,
    /// The facts in words, names filled in.
    pub explanation: Vec<String>,
    pub first_found_at_utc: String,
    pub last_found_at_utc: String,
    pub promoted_item: Option<ItemId>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct LeadDetail {
    others: Vec<NominalId>,
    explanation: Vec<String>,
}

/// Keeps a lead (the same fingerprint updates the one kept); returns its id.
pub(crate) fn upsert_lead(
    conn: &Connection,
    lead: &FoundLead,
    explanation: &[String],
) -> Result<LeadId, StoreError> {
    let now = now_utc_rfc3339();
    let detail = serde_json::to_string(&LeadDetail {
        others: lead.others.clone(),
        explanation: explanation.to_vec(),
    })
    .map_err(|e| StoreError::Damaged(format!("lead detail: {e}")))?;
    let id: i64 = conn.query_row(
        "INSERT INTO leads (fingerprint, kind, employee_id, score, summary, detail,
                            first_found_at, last_found_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT (fingerprint) DO UPDATE SET score = excluded.score,
             summary = excluded.summary, detail = excluded.detail,
             last_found_at = excluded.last_found_at
         RETURNING id",
        params![
            lead.fingerprint,
            lead.kind.as_str(),
            lead.employee.0,
            lead.score,
            explanation.first().cloned().unwrap_or_default(),
            detail,
            now,
        ],
        |row| row.get(0),
    )?;
    Ok(LeadId(id))
}

const LEAD_COLUMNS: &str = "id, kind, employee_id, score, detail, first_found_at, last_found_at,
                            promoted_item";

fn lead_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(StoredLead, String)> {
    Ok((
        StoredLead {
            id: LeadId(row.get(0)?),
            kind: row.get(1)?,
            employee: NominalId(row.get(2)?),
            others: Vec::new(),
            score: row.get(3)?,
            explanation: Vec::new(),
            first_found_at_utc: row.get(5)?,
            last_found_at_utc: row.get(6)?,
            promoted_item: row.get::<_, Option<i64>>(7)?.map(ItemId),
        },
        row.get(4)?,
    ))
}

fn with_detail((mut lead, detail): (StoredLead, String)) -> Result<StoredLead, StoreError> {
    let detail: LeadDetail = serde_json::from_str(&detail)
        .map_err(|_| StoreError::Damaged(format!("lead {} does not parse", lead.id)))?;
    lead.others = detail.others;
    lead.explanation = detail.explanation;
    Ok(lead)
}

/// Every lead kept, best first.
pub(crate) fn leads(conn: &Connection) -> Result<Vec<StoredLead>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "SELECT {LEAD_COLUMNS} FROM leads ORDER BY score DESC, id"
    ))?;
    let rows = statement.query_map([], lead_from_row)?;
    rows.map(|row| with_detail(row?)).collect()
}

pub(crate) fn lead(conn: &Connection, id: LeadId) -> Result<Option<StoredLead>, StoreError> {
    conn.query_row(
        &format!("SELECT {LEAD_COLUMNS} FROM leads WHERE id = ?1"),
        params![id.0],
        lead_from_row,
    )
    .optional()?
    .map(with_detail)
    .transpose()
}

pub(crate) fn set_promoted(conn: &Connection, id: LeadId, item: ItemId) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE leads SET promoted_item = ?2 WHERE id = ?1 AND promoted_item IS NULL",
        params![id.0, item.0],
    )?;
    Ok(())
}
