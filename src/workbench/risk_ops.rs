//! Risk tools in the session: instrument versions (the shipped defaults, and the versions an
//! inspector publishes), assessments scored under the newest version and saved as given, their
//! history per subject, and re-scoring under another version without changing what was saved.

use super::{Workbench, WorkbenchError, user_file};
use crate::domain::{Action, AssessmentId, AuditAction, IsoDate, NewAuditEntry, NominalId};
use crate::risk::{
    Answers, AssessmentRecord, BeaconCohortEntry, Instrument, InstrumentVersionInfo, Rescore,
    ScoringError,
};
use crate::store::NewAssessment;
use std::collections::HashMap;
use std::path::Path;

/// The longest rationale kept, in characters: room for a full explanation, not for a document.
pub const MAX_RATIONALE_CHARS: usize = 20_000;

/// The Operation Beacon instrument's key: its assessments make the Beacon cohort.
pub const BEACON_INSTRUMENT: &str = "beacon";

fn instrument_object(key: &str) -> String {
    format!("instrument:{key}")
}

fn assessment_object(id: AssessmentId) -> String {
    format!("assessment:{id}")
}

/// A factor key as typed in an answers file, fit to repeat in a message: short and made of the
/// characters keys are made of; anything else is not echoed.
fn safe_key(key: &str) -> String {
    let plain = !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        key.to_owned()
    } else {
        String::from("(a key that is not a plain identifier)")
    }
}

/// Words a scoring failure by factor only: an answer is never repeated.
/// A scoring's rationale, trimmed: required, and at most [`MAX_RATIONALE_CHARS`] (assessments
/// and item priorities alike).
pub(super) fn checked_rationale(rationale: &str) -> Result<&str, WorkbenchError> {
    let rationale = rationale.trim();
    if rationale.is_empty() {
        return Err(WorkbenchError::Refused(
            "a score needs a rationale: say why the answers were given",
        ));
    }
    if rationale.chars().count() > MAX_RATIONALE_CHARS {
        return Err(WorkbenchError::Refused(
            "the rationale is too long (at most 20,000 characters)",
        ));
    }
    Ok(rationale)
}

pub(super) fn answers_error(err: &ScoringError) -> WorkbenchError {
    WorkbenchError::Answers(match err {
        ScoringError::Unanswered(factor) => format!("factor {} is not answered", safe_key(factor)),
        ScoringError::UnknownAnswer { factor, .. } => format!(
            "the answer given for factor {} is not one of its answers",
            safe_key(factor)
        ),
        ScoringError::UnknownFactor(factor) => {
            format!("{} is not a factor of this instrument", safe_key(factor))
        }
    })
}

impl Workbench {
    /// Stores, with no publisher, every shipped instrument version a workbench lacks: all of a
    /// key's shipped versions when it has none (at creation, and at unlock for a workbench made
    /// before the risk tools or a default existed), and the later shipped versions when its
    /// newest is itself an unchanged shipped default (a correction we ship reaches it). A
    /// version the force published itself is never replaced; saved assessments keep the
    /// version that scored them. Each one stored is audited; when nothing is missing nothing
    /// is written.
    pub(super) fn install_shipped_instruments(&mut self) -> Result<(), WorkbenchError> {
        let shipped = crate::io::instrument_file::shipped().map_err(|_| {
            WorkbenchError::Refused("a risk instrument shipped with the product is damaged")
        })?;
        let reader = self.store.reader();
        let stored = reader.instrument_versions()?;
        let mut missing = Vec::new();
        for instrument in shipped {
            let newest = stored
                .iter()
                .filter(|v| v.key == instrument.key())
                .max_by_key(|v| v.version);
            let wanted = match newest {
                None => true,
                Some(newest) => newest.shipped_default && newest.version < instrument.version(),
            };
            if wanted {
                missing.push(instrument);
            }
        }
        missing.sort_by(|a, b| a.key().cmp(b.key()).then(a.version().cmp(&b.version())));
        if missing.is_empty() {
            return Ok(());
        }
        self.store
            .write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
                for instrument in &missing {
                    tx.insert_shipped_instrument(instrument)?;
                    tx.audit(
                        NewAuditEntry::new(
                            AuditAction::InstrumentPublished,
                            instrument_object(instrument.key()),
                        )
                        .with_detail(
                            serde_json::json!({
                                "version": instrument.version(),
                                "source": "shipped default",
                            })
                            .to_string(),
                        ),
                    )?;
                }
                Ok(())
            })?;
        Ok(())
    }

    /// Reads an instrument file (TOML, as `io::instrument_file` reads it) and publishes it as
    /// [`Workbench::publish_instrument`] does. A file that does not check is refused naming
    /// its file name and line, and nothing is stored. Returns the instrument's key and version.
    ///
    /// # Errors
    /// Permission errors (`PublishInstrument`, inspectors); [`WorkbenchError::FileRead`];
    /// [`WorkbenchError::InstrumentFile`] with the line; [`WorkbenchError::InstrumentVersion`];
    /// store errors.
    pub fn publish_instrument_file(
        &mut self,
        path: &Path,
    ) -> Result<(String, u32), WorkbenchError> {
        self.require(Action::PublishInstrument)?;
        let text = user_file::read_to_string(path)?;
        let instrument = crate::io::instrument_file::parse(&text, &user_file::file_name(path))?;
        let key = instrument.key().to_owned();
        let version = self.publish_instrument(instrument)?;
        Ok((key, version))
    }

    /// Publishes a new version of an instrument (inspectors): it must be numbered exactly one
    /// more than the newest version of its key (1 for a new key), so versions are never
    /// replaced and an old assessment always finds the version that scored it.
    ///
    /// # Errors
    /// Permission errors; [`WorkbenchError::InstrumentVersion`] for a wrong number; store errors.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "a published version is handed over whole, as reference data is; callers do not keep it"
    )]
    pub fn publish_instrument(&mut self, instrument: Instrument) -> Result<u32, WorkbenchError> {
        self.require(Action::PublishInstrument)?;
        let version = instrument.version();
        self.store
            .write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
                let expected = tx
                    .reader()
                    .latest_instrument_version(instrument.key())?
                    .map_or(1, |newest| newest + 1);
                if version != expected {
                    return Err(WorkbenchError::InstrumentVersion {
                        key: instrument.key().to_owned(),
                        expected,
                        found: version,
                    });
                }
                tx.insert_instrument_version(&instrument)?;
                tx.audit(
                    NewAuditEntry::new(
                        AuditAction::InstrumentPublished,
                        instrument_object(instrument.key()),
                    )
                    .with_detail(serde_json::json!({ "version": version }).to_string()),
                )?;
                Ok(())
            })?;
        Ok(version)
    }

    /// Every stored version of every instrument, by key then version (instruments hold no
    /// personal data, so reading them is not a consultation).
    ///
    /// # Errors
    /// Store errors.
    pub fn instruments(&self) -> Result<Vec<InstrumentVersionInfo>, WorkbenchError> {
        Ok(self.store.reader().instrument_versions()?)
    }

    /// A version of an instrument; the newest when `version` is `None`.
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchInstrument`]; store errors.
    pub fn instrument(
        &self,
        key: &str,
        version: Option<u32>,
    ) -> Result<Instrument, WorkbenchError> {
        self.store
            .reader()
            .instrument(key, version)?
            .map(|(_, instrument)| instrument)
            .ok_or(WorkbenchError::NoSuchInstrument)
    }

    /// Scores `answers` about `subject` under the newest version of instrument `key` and saves
    /// the assessment with its rationale; the next review falls the band's review interval
    /// after `assessed_on`. The audit entry names the assessment, instrument, version and
    /// subject by id and key only.
    ///
    /// # Errors
    /// Permission errors; no such instrument; a subject that does not exist or was merged; a
    /// blank or over-long rationale; answers that do not fit the instrument; store errors.
    pub fn assess(
        &mut self,
        key: &str,
        subject: NominalId,
        answers: &Answers,
        rationale: &str,
        assessed_on: IsoDate,
    ) -> Result<AssessmentRecord, WorkbenchError> {
        self.require(Action::Assess)?;
        if key == crate::risk::ITEM_PRIORITY_INSTRUMENT {
            return Err(WorkbenchError::Refused(
                "the intelligence priority instrument scores an intelligence item, not a \
                 person: prioritise the item (intel prioritise)",
            ));
        }
        let rationale = checked_rationale(rationale)?;
        let viewer = self.user.id;
        self.store.write(
            &self.actor(),
            |tx| -> Result<AssessmentRecord, WorkbenchError> {
                let reader = tx.reader();
                let (version_id, instrument) = reader
                    .instrument(key, None)?
                    .ok_or(WorkbenchError::NoSuchInstrument)?;
                let nominal = reader
                    .nominal(subject)?
                    .ok_or(WorkbenchError::NoSuchNominal)?;
                if nominal.merged_into.is_some() {
                    return Err(WorkbenchError::Refused(
                        "that nominal was merged into another; assess the one it was merged into",
                    ));
                }
                // Seed 001 s4.8: Beacon assesses officers and staff who abuse their position.
                if key == BEACON_INSTRUMENT
                    && nominal.details.kind() != crate::domain::NominalKind::Employee
                {
                    return Err(WorkbenchError::Refused(
                        "Operation Beacon assesses members of the force: the subject must be an \
                         employee",
                    ));
                }
                let score =
                    crate::risk::score(&instrument, answers).map_err(|err| answers_error(&err))?;
                let next_review_on = assessed_on.plus_days(i64::from(score.review_days));
                // Beacon: what screening suggests from the force's data, kept beside the
                // answers given (a hearing sees which came from data and what was changed).
                let data_answers = if key == BEACON_INSTRUMENT {
                    super::beacon_screen_ops::data_answers(
                        reader,
                        viewer,
                        &instrument,
                        subject,
                        answers,
                    )?
                } else {
                    Vec::new()
                };
                let id = tx.insert_assessment(&NewAssessment {
                    instrument_version_id: version_id,
                    subject,
                    answers,
                    score: &score,
                    rationale,
                    assessed_on,
                    next_review_on,
                })?;
                tx.insert_data_answers(id, &data_answers)?;
                let changed: Vec<&str> = data_answers
                    .iter()
                    .filter(|d| d.changed())
                    .map(|d| d.factor.as_str())
                    .collect();
                tx.audit(
                    NewAuditEntry::new(AuditAction::AssessmentRecorded, assessment_object(id))
                        .with_detail(
                            serde_json::json!({
                                "instrument": instrument.key(),
                                "version": instrument.version(),
                                "subject": subject.0,
                                "data_answers": data_answers.len(),
                                "changed_from_data": changed,
                            })
                            .to_string(),
                        ),
                )?;
                tx.reader()
                    .assessment(id)?
                    .ok_or(WorkbenchError::NoSuchAssessment)
            },
        )
    }

    /// A subject's assessments, oldest first. Recorded as a consultation.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn assessments_of(
        &mut self,
        subject: NominalId,
    ) -> Result<Vec<AssessmentRecord>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        self.store
            .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                let history = tx.reader().assessments_of(subject)?;
                let ids: Vec<i64> = history.iter().map(|a| a.id.0).collect();
                tx.audit(
                    NewAuditEntry::new(AuditAction::AssessmentViewed, format!("nominal:{subject}"))
                        .with_detail(serde_json::json!({ "assessments": ids }).to_string()),
                )?;
                Ok(history)
            })
    }

    /// One saved assessment. Recorded as a consultation.
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchAssessment`]; permission errors; store errors.
    pub fn assessment(&mut self, id: AssessmentId) -> Result<AssessmentRecord, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        self.store
            .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                let record = tx
                    .reader()
                    .assessment(id)?
                    .ok_or(WorkbenchError::NoSuchAssessment)?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::AssessmentViewed, assessment_object(id))
                        .with_detail(
                            serde_json::json!({ "subject": record.subject.0 }).to_string(),
                        ),
                )?;
                Ok(record)
            })
    }

    /// The saved answers of an assessment scored again under `version` of the same instrument,
    /// with the difference factor by factor. Nothing stored changes; the consultation is
    /// recorded.
    ///
    /// # Errors
    /// No such assessment or version; answers that no longer fit (an answer the other version
    /// dropped); permission errors; store errors.
    pub fn rescore_assessment(
        &mut self,
        id: AssessmentId,
        version: u32,
    ) -> Result<Rescore, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        self.store
            .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                let reader = tx.reader();
                let record = reader
                    .assessment(id)?
                    .ok_or(WorkbenchError::NoSuchAssessment)?;
                let (_, original) = reader
                    .instrument(&record.instrument, Some(record.version))?
                    .ok_or(WorkbenchError::NoSuchInstrument)?;
                let (_, other) = reader
                    .instrument(&record.instrument, Some(version))?
                    .ok_or(WorkbenchError::NoSuchInstrument)?;
                let rescore = crate::risk::rescore(&original, &other, &record.answers)
                    .map_err(|err| answers_error(&err))?;
                tx.audit(
                    NewAuditEntry::new(AuditAction::AssessmentRescored, assessment_object(id))
                        .with_detail(
                            serde_json::json!({
                                "subject": record.subject.0,
                                "instrument": record.instrument,
                                "from_version": record.version,
                                "to_version": version,
                            })
                            .to_string(),
                        ),
                )?;
                Ok(rescore)
            })
    }

    /// The Beacon cohort on `as_of` (everyone with a Beacon assessment made by then: latest
    /// band, trend, next review), most serious first, without recording the reading.
    pub(super) fn cohort_unaudited(
        &self,
        as_of: IsoDate,
    ) -> Result<Vec<BeaconCohortEntry>, WorkbenchError> {
        let reader = self.store.reader();
        // The cohort as it stood that day: a later assessment is not yet known.
        let assessments: Vec<_> = reader
            .assessments_under(BEACON_INSTRUMENT)?
            .into_iter()
            .filter(|record| record.assessed_on <= as_of)
            .collect();
        let mut band_orders: HashMap<u32, Vec<String>> = HashMap::new();
        for record in &assessments {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                band_orders.entry(record.version)
            {
                let (_, instrument) = reader
                    .instrument(BEACON_INSTRUMENT, Some(record.version))?
                    .ok_or(WorkbenchError::NoSuchInstrument)?;
                slot.insert(instrument.bands().iter().map(|b| b.label.clone()).collect());
            }
        }
        let mut cohort = crate::risk::beacon_cohort(
            &assessments,
            |record| {
                band_orders
                    .get(&record.version)
                    .and_then(|bands| bands.iter().position(|b| *b == record.score.band))
                    .unwrap_or(0)
            },
            as_of,
        );
        // A subject an inspector removed after their latest assessment is out until the next.
        let removals = reader.beacon_removals(as_of)?;
        cohort.retain(|entry| {
            removals
                .get(&entry.subject)
                .is_none_or(|after| entry.assessment.0 > after.0)
        });
        let mut decisions = reader.iopc_decisions()?;
        for entry in &mut cohort {
            entry.iopc = decisions.remove(&entry.subject);
            entry.subject_name = reader.nominal(entry.subject)?.map_or_else(
                || format!("nominal {}", entry.subject),
                |n| n.details.display_name(),
            );
        }
        Ok(cohort)
    }

    /// The Beacon cohort on `as_of`: everyone assessed under Operation Beacon with their latest
    /// band, total, trend and next review, most serious band first. Recorded as a consultation.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn beacon_cohort(
        &mut self,
        as_of: IsoDate,
    ) -> Result<Vec<BeaconCohortEntry>, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        let cohort = self.cohort_unaudited(as_of)?;
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::CohortViewed, "cohort:beacon").with_detail(
                    serde_json::json!({
                        "subjects": cohort.len(),
                        "overdue": cohort.iter().filter(|e| e.overdue).count(),
                    })
                    .to_string(),
                ),
            )
        })?;
        Ok(cohort)
    }

    /// Writes the People Intelligence Board list (the Beacon cohort on `as_of`) as CSV to `out`,
    /// which must not exist: a disclosure, recorded with the purpose, size and SHA-256 before
    /// the file is written; if it cannot be recorded, nothing is written. Returns how many
    /// people it lists.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); `out` exists; I/O and store errors.
    pub fn export_pib_list(&mut self, out: &Path, as_of: IsoDate) -> Result<usize, WorkbenchError> {
        self.require(Action::ExportList)?;
        let cohort = self.cohort_unaudited(as_of)?;
        self.write_export(
            out,
            AuditAction::ListExported,
            "cohort:beacon",
            "csv",
            |file| crate::io::pib_csv::write_pib_list(&cohort, file),
        )?;
        Ok(cohort.len())
    }
}
