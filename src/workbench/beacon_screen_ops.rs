//! Operation Beacon screening in the session (issue 24): run the data-testable indicators
//! across the workforce, list the staff at or above the threshold as due a Beacon assessment
//! with their findings attached, open a finding (the only place the person it concerns is
//! named, an audited consultation), and suggest the data-testable answers for an assessment
//! with their evidence. Nothing is assessed automatically: a detective answers every factor,
//! and [`Workbench::assess`] keeps what was suggested beside what was given.

use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AssessmentId, AuditAction, IsoDate, NewAuditEntry, NominalId};
use crate::risk::beacon_screen::{
    BeaconFinding, SuggestedAnswer, fingerprint_employee, suggest_answers,
};
use crate::risk::{AssessmentRecord, DataAnswer, Instrument};
use crate::store::{EvidenceDetail, ScreeningCounts, StoreReader};
use serde::Serialize;
use std::collections::BTreeMap;

/// What changed in a member of staff's findings since their last Beacon assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreeningChanges {
    pub assessment: AssessmentId,
    pub assessed_on: IsoDate,
    /// Findings that were not behind any answer then (fingerprints).
    pub new_findings: Vec<String>,
    /// Evidence rows found since (not among the evidence then).
    pub new_evidence_rows: usize,
    /// Factors whose suggested answer is now another: (factor, then, now).
    pub changed_suggestions: Vec<(String, String, String)>,
    /// The changes in words.
    pub words: Vec<String>,
}

impl ScreeningChanges {
    /// Nothing changed since the assessment.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.new_findings.is_empty()
            && self.new_evidence_rows == 0
            && self.changed_suggestions.is_empty()
    }
}

/// A member of staff in a screening, with their findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreenedEmployee {
    pub employee: NominalId,
    pub employee_name: String,
    pub staff_number: Option<String>,
    /// Their highest finding's score.
    pub top_score: u32,
    /// Best first.
    pub findings: Vec<BeaconFinding>,
    /// Their latest Beacon assessment's date.
    pub last_assessed_on: Option<IsoDate>,
    /// What changed since it.
    pub changes: Option<ScreeningChanges>,
}

/// A screening of the workforce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BeaconScreening {
    pub as_of: IsoDate,
    pub threshold: u32,
    /// At or above the threshold, never assessed under Beacon or with something new since:
    /// the "Beacon assessment due" list.
    pub due: Vec<ScreenedEmployee>,
    /// At or above the threshold, assessed since with nothing new.
    pub assessed_unchanged: Vec<ScreenedEmployee>,
    /// Below the threshold: the innocent readings, for a person to check if they wish.
    pub below: Vec<ScreenedEmployee>,
    pub counts: ScreeningCounts,
}

/// A finding opened: the person named, and its evidence rows in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenedFinding {
    pub finding: BeaconFinding,
    pub employee_name: String,
    pub person: NominalId,
    pub person_name: String,
    pub evidence: Vec<EvidenceDetail>,
}

/// The answers screening suggests for one member of staff's Beacon assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BeaconSuggestions {
    pub employee: NominalId,
    /// The Beacon instrument version the suggestions fit.
    pub instrument_version: u32,
    pub suggestions: Vec<SuggestedAnswer>,
    pub findings: Vec<BeaconFinding>,
    pub changes: Option<ScreeningChanges>,
}

/// Compares what screening finds now with what was behind the last assessment's answers.
fn changes_since(
    last: &AssessmentRecord,
    findings: &[&BeaconFinding],
    suggestions: &[SuggestedAnswer],
) -> ScreeningChanges {
    let then_findings: std::collections::HashSet<&str> = last
        .data_answers
        .iter()
        .flat_map(|d| d.findings.iter().map(String::as_str))
        .collect();
    let then_rows: std::collections::HashSet<_> = last
        .data_answers
        .iter()
        .flat_map(|d| d.evidence.iter().copied())
        .collect();
    let new_findings: Vec<String> = findings
        .iter()
        .filter(|f| !then_findings.contains(f.fingerprint.as_str()))
        .map(|f| f.fingerprint.clone())
        .collect();
    let mut now_rows: Vec<_> = findings
        .iter()
        .flat_map(|f| f.evidence.iter().copied())
        .collect();
    now_rows.sort_unstable();
    now_rows.dedup();
    let new_evidence_rows = now_rows.iter().filter(|r| !then_rows.contains(r)).count();
    let mut changed_suggestions = Vec::new();
    for suggestion in suggestions {
        let then = last
            .data_answer(&suggestion.factor)
            .map_or("none recorded", |d| d.suggested.as_str());
        if then != suggestion.option {
            changed_suggestions.push((
                suggestion.factor.clone(),
                then.to_owned(),
                suggestion.option.clone(),
            ));
        }
    }
    let mut words = Vec::new();
    if !new_findings.is_empty() {
        words.push(format!(
            "{} new finding(s) since the assessment of {}.",
            new_findings.len(),
            last.assessed_on
        ));
    }
    if new_evidence_rows > 0 {
        words.push(format!(
            "{new_evidence_rows} evidence row(s) not before the assessment of {}.",
            last.assessed_on
        ));
    }
    for (factor, then, now) in &changed_suggestions {
        words.push(format!(
            "Factor {factor}: screening now suggests {now} (then {then})."
        ));
    }
    ScreeningChanges {
        assessment: last.id,
        assessed_on: last.assessed_on,
        new_findings,
        new_evidence_rows,
        changed_suggestions,
        words,
    }
}

fn latest_beacon(
    reader: StoreReader<'_>,
    employee: NominalId,
) -> Result<Option<AssessmentRecord>, WorkbenchError> {
    Ok(reader
        .assessments_of(employee)?
        .into_iter()
        .rfind(|a| a.instrument == super::risk_ops::BEACON_INSTRUMENT))
}

fn beacon_instrument(reader: StoreReader<'_>) -> Result<Instrument, WorkbenchError> {
    Ok(reader
        .instrument(super::risk_ops::BEACON_INSTRUMENT, None)?
        .ok_or(WorkbenchError::NoSuchInstrument)?
        .1)
}

impl Workbench {
    /// Screens the workforce for the data-testable Beacon indicators, as of today, and sorts
    /// the staff with findings into due (at or above `threshold`, never assessed or with
    /// something new since), assessed with nothing new, and below. Nobody is assessed. The
    /// audit entry carries counts, staff ids and finding fingerprints (ids), never names.
    ///
    /// # Errors
    /// Permission errors (a purpose is required; analysts, detectives, inspectors); store
    /// errors.
    pub fn beacon_screen(&mut self, threshold: u32) -> Result<BeaconScreening, WorkbenchError> {
        self.require(Action::CrossReference)?;
        let viewer = self.user.id;
        let as_of = self.today();
        self.store.write(&self.actor(), |tx| {
            let reader = tx.reader();
            let (findings, counts) = reader.beacon_screen(viewer, None)?;
            let instrument = beacon_instrument(reader)?;
            let mut by_employee: BTreeMap<NominalId, Vec<BeaconFinding>> = BTreeMap::new();
            for finding in findings {
                by_employee
                    .entry(finding.employee)
                    .or_default()
                    .push(finding);
            }
            let names = super::display_names(reader, by_employee.keys().copied())?;
            let mut screening = BeaconScreening {
                as_of,
                threshold,
                due: Vec::new(),
                assessed_unchanged: Vec::new(),
                below: Vec::new(),
                counts,
            };
            for (employee, findings) in by_employee {
                let top_score = findings.iter().map(|f| f.score).max().unwrap_or(0);
                let staff_number = reader.nominal(employee)?.and_then(|n| match n.details {
                    crate::domain::NominalDetails::Employee { staff_number, .. } => {
                        Some(staff_number)
                    }
                    _ => None,
                });
                let mut entry = ScreenedEmployee {
                    employee,
                    employee_name: names
                        .get(&employee)
                        .cloned()
                        .unwrap_or_else(|| format!("nominal {employee}")),
                    staff_number,
                    top_score,
                    findings,
                    last_assessed_on: None,
                    changes: None,
                };
                if top_score < threshold {
                    screening.below.push(entry);
                    continue;
                }
                if let Some(last) = latest_beacon(reader, employee)? {
                    let refs: Vec<&BeaconFinding> = entry.findings.iter().collect();
                    let suggestions = suggest_answers(&instrument, &refs);
                    let changes = changes_since(&last, &refs, &suggestions);
                    entry.last_assessed_on = Some(last.assessed_on);
                    let unchanged = changes.is_empty();
                    entry.changes = Some(changes);
                    if unchanged {
                        screening.assessed_unchanged.push(entry);
                        continue;
                    }
                }
                screening.due.push(entry);
            }
            for list in [
                &mut screening.due,
                &mut screening.assessed_unchanged,
                &mut screening.below,
            ] {
                list.sort_by(|a, b| {
                    b.top_score
                        .cmp(&a.top_score)
                        .then(a.employee.cmp(&b.employee))
                });
            }
            let due_ids: Vec<i64> = screening.due.iter().map(|e| e.employee.0).collect();
            let due_findings: Vec<&str> = screening
                .due
                .iter()
                .flat_map(|e| e.findings.iter())
                .filter(|f| f.score >= threshold)
                .map(|f| f.fingerprint.as_str())
                .collect();
            tx.audit(
                NewAuditEntry::new(AuditAction::BeaconScreened, "beacon:screen").with_detail(
                    serde_json::json!({
                        "threshold": threshold,
                        "due": due_ids,
                        "findings": due_findings,
                        "assessed_unchanged": screening.assessed_unchanged.len(),
                        "below": screening.below.len(),
                        "lookups_read": counts.lookups_read,
                        "calls_read": counts.calls_read,
                        "self_deployments_read": counts.self_deployments_read,
                    })
                    .to_string(),
                ),
            )?;
            Ok(screening)
        })
    }

    /// Opens a finding by its fingerprint: the person it concerns named, and its evidence rows
    /// in words. A consultation, recorded (with the session's purpose) by ids before anything
    /// is shown.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] for a fingerprint no current finding has; permission
    /// errors; store errors.
    pub fn open_beacon_finding(
        &mut self,
        fingerprint: &str,
    ) -> Result<OpenedFinding, WorkbenchError> {
        self.require(Action::CrossReference)?;
        let employee = fingerprint_employee(fingerprint).ok_or(WorkbenchError::Refused(
            "that is not a Beacon finding's reference",
        ))?;
        let viewer = self.user.id;
        self.store.write(&self.actor(), |tx| {
            let reader = tx.reader();
            let (findings, _) = reader.beacon_screen(viewer, Some(employee))?;
            let finding = findings
                .into_iter()
                .find(|f| f.fingerprint == fingerprint)
                .ok_or(WorkbenchError::Refused(
                    "no such finding today: screen again (the data may have changed)",
                ))?;
            tx.audit(
                NewAuditEntry::new(
                    AuditAction::BeaconFindingOpened,
                    format!("nominal:{}", finding.person.0),
                )
                .with_detail(
                    serde_json::json!({
                        "finding": finding.fingerprint,
                        "employee": finding.employee.0,
                        "evidence_rows": finding.evidence.len(),
                    })
                    .to_string(),
                ),
            )?;
            let reader = tx.reader();
            let names = super::display_names(reader, [finding.employee, finding.person])?;
            let name = |id: NominalId| {
                names
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| format!("nominal {id}"))
            };
            Ok(OpenedFinding {
                employee_name: name(finding.employee),
                person: finding.person,
                person_name: name(finding.person),
                evidence: reader.beacon_evidence(&finding.evidence)?,
                finding,
            })
        })
    }

    /// The answers screening suggests for `employee`'s Beacon assessment under the newest
    /// Beacon instrument, each with its facts and evidence, and what changed since their last
    /// Beacon assessment. A consultation, recorded by ids.
    ///
    /// # Errors
    /// Permission errors (assessors); no Beacon instrument; store errors.
    pub fn beacon_suggestions(
        &mut self,
        employee: NominalId,
    ) -> Result<BeaconSuggestions, WorkbenchError> {
        self.require(Action::Assess)?;
        let viewer = self.user.id;
        self.store.write(&self.actor(), |tx| {
            let reader = tx.reader();
            let instrument = beacon_instrument(reader)?;
            let (findings, _) = reader.beacon_screen(viewer, Some(employee))?;
            let refs: Vec<&BeaconFinding> = findings.iter().collect();
            let suggestions = suggest_answers(&instrument, &refs);
            let changes = latest_beacon(reader, employee)?
                .map(|last| changes_since(&last, &refs, &suggestions));
            tx.audit(
                NewAuditEntry::new(AuditAction::BeaconSuggested, format!("nominal:{employee}"))
                    .with_detail(
                        serde_json::json!({
                            "version": instrument.version(),
                            "findings": findings.iter().map(|f| &f.fingerprint).collect::<Vec<_>>(),
                        })
                        .to_string(),
                    ),
            )?;
            Ok(BeaconSuggestions {
                employee,
                instrument_version: instrument.version(),
                suggestions,
                findings,
                changes,
            })
        })
    }
}

/// The data answers to keep with a Beacon assessment of `subject`: screening run again for
/// them as the assessor sees the data, each suggestion beside the answer given.
pub(super) fn data_answers(
    reader: StoreReader<'_>,
    viewer: crate::domain::UserId,
    instrument: &Instrument,
    subject: NominalId,
    answers: &crate::risk::Answers,
) -> Result<Vec<DataAnswer>, WorkbenchError> {
    let (findings, _) = reader.beacon_screen(viewer, Some(subject))?;
    let refs: Vec<&BeaconFinding> = findings.iter().collect();
    Ok(suggest_answers(instrument, &refs)
        .into_iter()
        .filter_map(|suggestion| {
            let given = answers.get(&suggestion.factor)?.clone();
            Some(DataAnswer {
                factor: suggestion.factor,
                suggested: suggestion.option,
                given,
                facts: suggestion.facts,
                findings: suggestion.findings,
                evidence: suggestion.evidence,
            })
        })
        .collect())
}
