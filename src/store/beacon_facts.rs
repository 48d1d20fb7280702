//! SQL for Beacon screening: the cases and who is on them, then the rows that matter streamed
//! into [`BeaconScreener`] through the indexes on matched nominals (look-ups of case parties,
//! calls on staff phones, self-deployments), so ten million audit rows are never all read or
//! held. And the words of each evidence row, for a finding that is opened.

use super::StoreError;
use crate::domain::{CaseParty, ItemId, NominalId, UserId};
use crate::risk::beacon_screen::{
    BeaconFinding, BeaconScreener, CallRow, CaseFact, EvidenceRow, EvidenceSource, LookupRow,
    OfficerRole, ScreeningContext, SelfDeploymentRow,
};
use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::FxHashMap;

/// What a screening read, for the record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScreeningCounts {
    /// Case parties (victims and witnesses) screened.
    pub case_parties: usize,
    pub lookups_read: u64,
    pub calls_read: u64,
    pub self_deployments_read: u64,
    /// Calls by an officer on the case while it was open: their work, not counted.
    pub calls_within_case: u64,
}

fn unix_of(rfc3339: &str) -> Option<i64> {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(time::OffsetDateTime::unix_timestamp)
}

/// The cases, parties, vulnerable people, staff and phones. Closed intelligence items naming
/// a victim count as cases (closed when the item was), except items restricted from `viewer`.
fn context(conn: &Connection, viewer: UserId) -> Result<ScreeningContext, StoreError> {
    let mut context = ScreeningContext::default();
    {
        let mut statement = conn.prepare(
            "SELECT id, kind, flags FROM nominals WHERE merged_into IS NULL
               AND (kind = 'employee' OR (kind = 'person' AND (flags & 4) <> 0))",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id = NominalId(row.get(0)?);
            let kind: String = row.get(1)?;
            if kind == "employee" {
                context.staff.insert(id);
            } else {
                context.vulnerable.insert(id);
            }
        }
    }
    {
        let mut statement = conn.prepare(
            "SELECT id, reference, victim_nominal, officer_nominal, officer_role, party_role,
                    opened_on, closed_on
             FROM cases WHERE victim_nominal IS NOT NULL ORDER BY reference, victim_nominal, id",
        )?;
        let mut rows = statement.query([])?;
        let mut by_key: FxHashMap<(String, i64), usize> = FxHashMap::default();
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let reference: String = row.get(1)?;
            let party: i64 = row.get(2)?;
            let officer: Option<i64> = row.get(3)?;
            let officer_role: Option<String> = row.get(4)?;
            let role: String = row.get(5)?;
            let opened_on: String = row.get(6)?;
            let closed_on: Option<String> = row.get(7)?;
            let opened_on: crate::domain::IsoDate = opened_on
                .parse()
                .map_err(|_| StoreError::Damaged("a case's opening date is malformed".into()))?;
            let closed_on: Option<crate::domain::IsoDate> = closed_on.and_then(|d| d.parse().ok());
            let index = *by_key.entry((reference.clone(), party)).or_insert_with(|| {
                context.cases.push(CaseFact {
                    reference,
                    party: NominalId(party),
                    role: if role == "witness" {
                        CaseParty::Witness
                    } else {
                        CaseParty::Victim
                    },
                    opened: opened_on.unix_midnight_utc(),
                    closed: closed_on.map(|d| d.plus_days(1).unix_midnight_utc()),
                    officers: Vec::new(),
                    rows: Vec::new(),
                });
                context.cases.len() - 1
            });
            let case = &mut context.cases[index];
            case.rows.push(id);
            if let Some(officer) = officer {
                let officer = NominalId(officer);
                let role = OfficerRole::read(officer_role.as_deref());
                if !case.officers.iter().any(|(o, _)| *o == officer) {
                    case.officers.push((officer, role));
                }
            }
        }
    }
    {
        let hidden = super::item_restrictions::hidden_items(conn, viewer)?;
        let mut statement = conn.prepare(
            "SELECT i.id, i.reference, i.received_on, i.updated_at, s.nominal_id
             FROM intel_subjects s JOIN intel_items i ON i.id = s.item_id
             WHERE s.role = 'victim' AND i.status = 'closed' ORDER BY i.id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            if hidden.contains(&ItemId(row.get(0)?)) {
                continue;
            }
            let received_on: String = row.get(2)?;
            let updated_at: String = row.get(3)?;
            let (Ok(received_on), Some(closed)) = (
                received_on.parse::<crate::domain::IsoDate>(),
                unix_of(&updated_at),
            ) else {
                continue;
            };
            context.cases.push(CaseFact {
                reference: row.get(1)?,
                party: NominalId(row.get(4)?),
                role: CaseParty::Victim,
                opened: received_on.unix_midnight_utc(),
                closed: Some(closed),
                officers: Vec::new(),
                rows: Vec::new(),
            });
        }
    }
    context.index();
    context.phone_owners = super::crossref_facts::phone_owners(conn)?;
    Ok(context)
}

/// Screens the workforce (or, with `scope`, one member of staff) as `viewer` sees the data.
/// Every finding, best first, and what was read.
///
/// # Errors
/// SQL errors.
pub(crate) fn screen(
    conn: &Connection,
    viewer: UserId,
    scope: Option<NominalId>,
) -> Result<(Vec<BeaconFinding>, ScreeningCounts), StoreError> {
    let context = context(conn, viewer)?;
    let mut screener = BeaconScreener::new(&context);
    let mut counts = ScreeningCounts::default();
    let parties = context.parties();
    counts.case_parties = parties.len();
    // Look-ups of each party after their earliest closure, with whether the incident each
    // names involves them (a deployment to it with them, or another case naming them).
    {
        let mut statement = conn.prepare(
            "SELECT e.id, e.staff_nominal, e.occurred_at, e.system,
               CASE WHEN e.incident_reference IS NOT NULL AND (
                   EXISTS (SELECT 1 FROM deployments d WHERE d.incident_reference = e.incident_reference
                           AND d.person_nominal = e.subject_nominal)
                   OR EXISTS (SELECT 1 FROM cases c WHERE c.reference = e.incident_reference
                           AND c.victim_nominal = e.subject_nominal))
               THEN e.incident_reference END
             FROM system_audit_events e
             WHERE e.subject_nominal = ?1 AND e.staff_nominal IS NOT NULL AND e.occurred_at >= ?2
               AND (?3 IS NULL OR e.staff_nominal = ?3)",
        )?;
        for &party in &parties {
            let Some(closed) = context.earliest_closure(party) else {
                continue;
            };
            let mut rows = statement.query(params![party.0, closed, scope.map(|s| s.0)])?;
            while let Some(row) = rows.next()? {
                let staff = NominalId(row.get(1)?);
                if !context.staff.contains(&staff) {
                    continue;
                }
                counts.lookups_read += 1;
                screener.add_lookup(&LookupRow {
                    id: row.get(0)?,
                    staff,
                    subject: party,
                    at: row.get(2)?,
                    system: row.get(3)?,
                    tied_incident: row.get(4)?,
                });
            }
        }
    }
    // Calls on staff phones (each call once), read only where the other end is a party's.
    {
        let party_phones: rustc_hash::FxHashSet<NominalId> = context
            .phone_owners
            .iter()
            .filter(|(_, owners)| {
                owners
                    .iter()
                    .any(|o| context.is_vulnerable(*o) && !context.staff.contains(o))
            })
            .map(|(&phone, _)| phone)
            .collect();
        let mut staff_phones: Vec<NominalId> = context
            .phone_owners
            .iter()
            .filter(|(_, owners)| {
                owners
                    .iter()
                    .any(|o| context.staff.contains(o) && scope.is_none_or(|scope| scope == *o))
            })
            .map(|(&phone, _)| phone)
            .collect();
        staff_phones.sort_unstable();
        let mut seen = rustc_hash::FxHashSet::default();
        for sql in [
            "SELECT id, caller_nominal, callee_nominal, started_at, duration_secs
             FROM call_records WHERE caller_nominal = ?1 AND callee_nominal IS NOT NULL",
            "SELECT id, caller_nominal, callee_nominal, started_at, duration_secs
             FROM call_records WHERE callee_nominal = ?1 AND caller_nominal IS NOT NULL",
        ] {
            let mut statement = conn.prepare(sql)?;
            for phone in &staff_phones {
                let mut rows = statement.query(params![phone.0])?;
                while let Some(row) = rows.next()? {
                    let from = NominalId(row.get(1)?);
                    let to = NominalId(row.get(2)?);
                    let other = if from == *phone { to } else { from };
                    if !party_phones.contains(&other) {
                        continue;
                    }
                    let id: i64 = row.get(0)?;
                    if !seen.insert(id) {
                        continue;
                    }
                    counts.calls_read += 1;
                    screener.add_call(&CallRow {
                        id,
                        caller: Some(from),
                        callee: Some(to),
                        at: row.get(3)?,
                        duration_secs: row.get(4)?,
                    });
                }
            }
        }
    }
    // Self-deployments to people screening counts vulnerable.
    {
        let mut statement = conn.prepare(
            "SELECT id, officer_nominal, person_nominal, incident_reference, deployed_at
             FROM deployments
             WHERE self_deployed = 1 AND officer_nominal IS NOT NULL
               AND person_nominal IS NOT NULL AND (?1 IS NULL OR officer_nominal = ?1)",
        )?;
        let mut rows = statement.query(params![scope.map(|s| s.0)])?;
        while let Some(row) = rows.next()? {
            let person = NominalId(row.get(2)?);
            if !context.is_vulnerable(person) {
                continue;
            }
            counts.self_deployments_read += 1;
            screener.add_self_deployment(&SelfDeploymentRow {
                id: row.get(0)?,
                officer: NominalId(row.get(1)?),
                person,
                incident: row.get(3)?,
                at: row.get(4)?,
            });
        }
    }
    counts.calls_within_case = screener.calls_within_case;
    Ok((screener.finish(), counts))
}

/// One evidence row in words, for an opened finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceDetail {
    pub row: EvidenceRow,
    /// When: `YYYY-MM-DD HH:MM UTC` (a date for a case row).
    pub when: String,
    pub words: String,
}

fn time_words(unix_secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix_secs)
        .map(|t| format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute()))
        .unwrap_or_default()
}

/// The rows of `evidence` in words (a row no longer there is left out).
///
/// # Errors
/// SQL errors.
pub(crate) fn evidence_details(
    conn: &Connection,
    evidence: &[EvidenceRow],
) -> Result<Vec<EvidenceDetail>, StoreError> {
    let mut details = Vec::with_capacity(evidence.len());
    for &row in evidence {
        let detail = match row.source {
            EvidenceSource::AuditEvent => conn
                .query_row(
                    "SELECT occurred_at, staff_number, system, reason_code, incident_reference
                     FROM system_audit_events WHERE id = ?1",
                    [row.id],
                    |r| {
                        let at: i64 = r.get(0)?;
                        let staff: String = r.get(1)?;
                        let system: String = r.get(2)?;
                        let reason: Option<String> = r.get(3)?;
                        let incident: Option<String> = r.get(4)?;
                        Ok(EvidenceDetail {
                            row,
                            when: time_words(at),
                            words: format!(
                                "Look-up on {system} by staff number {staff}; reason code {}; incident {}",
                                reason.as_deref().unwrap_or("none"),
                                incident.as_deref().unwrap_or("none")
                            ),
                        })
                    },
                )
                .optional()?,
            EvidenceSource::Call => conn
                .query_row(
                    "SELECT started_at, caller, callee, duration_secs, direction
                     FROM call_records WHERE id = ?1",
                    [row.id],
                    |r| {
                        let at: i64 = r.get(0)?;
                        let from: String = r.get(1)?;
                        let to: String = r.get(2)?;
                        let secs: i64 = r.get(3)?;
                        Ok(EvidenceDetail {
                            row,
                            when: time_words(at),
                            words: format!(
                                "Call from {from} to {to}, {} min {} s",
                                secs / 60,
                                secs % 60
                            ),
                        })
                    },
                )
                .optional()?,
            EvidenceSource::Deployment => conn
                .query_row(
                    "SELECT deployed_at, incident_reference, officer_number, self_deployed
                     FROM deployments WHERE id = ?1",
                    [row.id],
                    |r| {
                        let at: i64 = r.get(0)?;
                        let incident: String = r.get(1)?;
                        let officer: String = r.get(2)?;
                        let self_deployed: bool = r.get(3)?;
                        Ok(EvidenceDetail {
                            row,
                            when: time_words(at),
                            words: format!(
                                "Staff number {officer} {} incident {incident}",
                                if self_deployed {
                                    "self-deployed to"
                                } else {
                                    "was dispatched to"
                                }
                            ),
                        })
                    },
                )
                .optional()?,
            EvidenceSource::Case => conn
                .query_row(
                    "SELECT reference, opened_on, closed_on, officer_number, officer_role, party_role
                     FROM cases WHERE id = ?1",
                    [row.id],
                    |r| {
                        let reference: String = r.get(0)?;
                        let opened: String = r.get(1)?;
                        let closed: Option<String> = r.get(2)?;
                        let officer: Option<String> = r.get(3)?;
                        let role: Option<String> = r.get(4)?;
                        let party: String = r.get(5)?;
                        Ok(EvidenceDetail {
                            row,
                            when: opened.clone(),
                            words: format!(
                                "Case {reference} ({party}) opened {opened}, {}; officer {} ({})",
                                closed.map_or_else(|| String::from("open"), |c| format!("closed {c}")),
                                officer.as_deref().unwrap_or("none recorded"),
                                role.as_deref().unwrap_or("in charge")
                            ),
                        })
                    },
                )
                .optional()?,
        };
        if let Some(detail) = detail {
            details.push(detail);
        }
    }
    Ok(details)
}
