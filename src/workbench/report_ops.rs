//! Reports in the session: the strategic threat assessment for a period (read, and written as
//! a self-contained HTML page), the analyst's text for the period (kept in versions), and the
//! control strategy table it ends with. Reading is a
//! consultation and writing a disclosure, both audited with the session's purpose.

use super::disclosure::Release;
use super::{Workbench, WorkbenchError};
use crate::domain::{
    Action, AuditAction, CodeLabels, IsoDate, LeftOut, NewAuditEntry, NominalId, NominalKind,
    TransfereePackage, list,
};
use crate::graph::{ExposureOptions, GraphFilter, find_exposures};
use crate::risk::threat_assessment::{
    AssessmentText, AssessmentTextVersion, ControlStrategyRow, Edition, ExposureSummary,
    ThreatAssessment, assessment_text_problems, control_strategy_problems, previous_period,
};
use crate::risk::{BeaconCohortEntry, CohortChanges, cohort_changes};
use std::path::Path;

/// How many exposure leads the assessment names.
pub const TOP_EXPOSURES: usize = 10;

/// The most intelligence items a transferee package holds (far beyond any one person's).
const MAX_PACKAGE_ITEMS: usize = 100_000;

/// The longest period an assessment covers, in days (ten years).
const MAX_PERIOD_DAYS: i64 = 3660;

impl Workbench {
    /// The strategic threat assessment for `from` to `to` (both included), against the period
    /// of the same length before it. Recorded as a consultation.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] for a period that ends before it starts or is longer than
    /// ten years; permission errors (a purpose is required); store errors.
    pub fn threat_assessment(
        &mut self,
        from: IsoDate,
        to: IsoDate,
        edition: Edition,
    ) -> Result<ThreatAssessment, WorkbenchError> {
        self.require_edition(edition)?;
        let assessment = self.assemble_threat_assessment(from, to, edition)?;
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(
                    AuditAction::ThreatAssessmentViewed,
                    "report:threat_assessment",
                )
                .with_detail(period_detail(&assessment).to_string()),
            )
        })?;
        Ok(assessment)
    }

    /// Writes the threat assessment for the period to `out` (which must not exist): as one
    /// self-contained HTML page with its charts as inline SVG for `.html`, the same on A4 pages
    /// for `.pdf`, or its tables as CSV for `.csv`. A disclosure, recorded with the purpose,
    /// format, size and SHA-256 before the file is written; if it cannot be recorded, nothing
    /// is written.
    ///
    /// # Errors
    /// As [`Workbench::threat_assessment`]; [`WorkbenchError::Refused`] for another
    /// extension; `out` exists; I/O errors.
    pub fn export_threat_assessment(
        &mut self,
        from: IsoDate,
        to: IsoDate,
        edition: Edition,
        out: &Path,
    ) -> Result<ThreatAssessment, WorkbenchError> {
        self.require(Action::ExportReport)?;
        self.require_edition(edition)?;
        let extension = out
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let format = match extension.as_deref() {
            Some("html" | "htm") => "html",
            Some("pdf") => "pdf",
            Some("csv") => "csv",
            _ => {
                return Err(WorkbenchError::Refused(
                    "the threat assessment is written as .html or .pdf (the report) or .csv \
                     (its tables)",
                ));
            }
        };
        let assessment = self.assemble_threat_assessment(from, to, edition)?;
        self.write_export(
            out,
            AuditAction::ReportExported,
            "report:threat_assessment",
            format,
            |file| match format {
                "csv" => {
                    crate::io::threat_assessment_csv::write_threat_assessment_csv(&assessment, file)
                }
                "pdf" => std::io::Write::write_all(
                    file,
                    &crate::io::threat_assessment_pdf::threat_assessment_pdf(&assessment),
                ),
                _ => crate::io::threat_assessment_html::write_threat_assessment(&assessment, file),
            },
        )?;
        Ok(assessment)
    }

    /// [`Workbench::transferee_package`] with the items it leaves out by default (assessed E,
    /// or closed with no further action) included: an inspector's decision, recorded.
    ///
    /// # Errors
    /// As [`Workbench::transferee_package`]; permission errors for anyone but an inspector.
    pub fn transferee_package_with_left_out(
        &mut self,
        employee: NominalId,
    ) -> Result<TransfereePackage, WorkbenchError> {
        self.require(Action::IncludeWithheldIntelligence)?;
        let package = self.assemble_transferee_package(employee, true)?;
        let detail = serde_json::json!({
            "report": "transferee_package",
            "items": package.intelligence.len(),
            "left_out_included": package.left_out,
        });
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::ReportPreviewed, format!("nominal:{employee}"))
                    .with_detail(detail.to_string()),
            )
        })?;
        Ok(package)
    }

    /// The transferee information package for one employee, for a preview of what an export
    /// would disclose: their record, performance, sickness and complaints, business interests,
    /// notifiable associations and the corruption intelligence of which they are a subject.
    /// Recorded as a consultation of the employee.
    ///
    /// # Errors
    /// As [`Workbench::export_transferee_package`], without the file's.
    pub fn transferee_package(
        &mut self,
        employee: NominalId,
    ) -> Result<TransfereePackage, WorkbenchError> {
        self.require(Action::ExportReport)?;
        let package = self.assemble_transferee_package(employee, false)?;
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::ReportPreviewed, format!("nominal:{employee}"))
                    .with_detail(
                        serde_json::json!({
                            "report": "transferee_package",
                            "items": package.intelligence.len(),
                        })
                        .to_string(),
                    ),
            )
        })?;
        Ok(package)
    }

    /// Writes the transferee information package for one employee to `out` (which must not
    /// exist) as one HTML page: their record, performance, sickness and complaints, business
    /// interests, notifiable associations and the corruption intelligence of which they are a
    /// subject, each item with its handling code and, for code C, its conditions. A
    /// disclosure, recorded with the purpose, size and SHA-256. Returns what was written.
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchNominal`]; [`WorkbenchError::Refused`] for a nominal that is not
    /// an employee; permission errors (a purpose is required); `out` exists; I/O and store
    /// errors.
    pub fn export_transferee_package(
        &mut self,
        employee: NominalId,
        out: &Path,
        release: Release<'_>,
    ) -> Result<TransfereePackage, WorkbenchError> {
        self.require(Action::ExportReport)?;
        if release.include_left_out {
            self.require(Action::IncludeWithheldIntelligence)?;
        }
        let package = self.assemble_transferee_package(employee, release.include_left_out)?;
        self.write_transferee_package(&package, out, release)?;
        Ok(package)
    }

    /// Writes the transferee package exactly as `previewed` showed it (from
    /// [`Workbench::transferee_package`]): it is gathered again, and if anything in it changed
    /// since the preview (an item edited, a record imported) nothing is written and the export
    /// is refused, so what leaves is what the user saw.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] if the package changed since the preview; as
    /// [`Workbench::export_transferee_package`].
    pub fn export_previewed_transferee_package(
        &mut self,
        previewed: &TransfereePackage,
        out: &Path,
        release: Release<'_>,
    ) -> Result<(), WorkbenchError> {
        self.require(Action::ExportReport)?;
        let include = previewed.left_out.included;
        if include {
            self.require(Action::IncludeWithheldIntelligence)?;
        }
        let mut package = self.assemble_transferee_package(previewed.employee.id, include)?;
        // The day it is prepared on may have turned since the preview; the content may not.
        package.prepared_on = previewed.prepared_on;
        if package != *previewed {
            return Err(WorkbenchError::Refused(
                "the employee's records changed since the preview: preview the package again",
            ));
        }
        self.write_transferee_package(&package, out, release)
    }

    /// Writes the package, recording the items it discloses and its recipient; items with
    /// handling code C need the discloser's confirmation.
    fn write_transferee_package(
        &mut self,
        package: &TransfereePackage,
        out: &Path,
        release: Release<'_>,
    ) -> Result<(), WorkbenchError> {
        let c_items = package
            .intelligence
            .iter()
            .filter(|item| item.fields.grading.handling_code == "C")
            .count();
        let recipient = release.check(c_items)?;
        let extra = serde_json::json!({
            "recipient": recipient,
            "items": package.intelligence.iter().map(|item| item.reference.clone()).collect::<Vec<_>>(),
            "c_items_confirmed": c_items > 0,
            "left_out": package.left_out,
        });
        let object = format!("nominal:{}", package.employee.id);
        let mut content = Vec::new();
        crate::io::transferee_html::write_transferee_package(package, &recipient, &mut content)
            .map_err(|e| crate::store::StoreError::io("write", "the output file", e))?;
        self.disclose_bytes(
            out,
            super::disclosure::Disclosure {
                action: AuditAction::ReportExported,
                object: &object,
                format: Some("html"),
                extra: Some(&extra),
            },
            &content,
        )
    }

    fn assemble_transferee_package(
        &self,
        employee: NominalId,
        include_left_out: bool,
    ) -> Result<TransfereePackage, WorkbenchError> {
        let reader = self.store.reader();
        let nominal = reader
            .nominal(employee)?
            .ok_or(WorkbenchError::NoSuchNominal)?;
        if nominal.details.kind() != NominalKind::Employee {
            return Err(WorkbenchError::Refused(
                "a transferee package is for a member of staff (an employee nominal)",
            ));
        }
        let associations: Vec<_> = reader
            .notifiable_associations()?
            .into_iter()
            .filter(|association| association.employee == employee)
            .collect();
        let names = super::display_names(reader, associations.iter().map(|a| a.associate))?;
        // Items where the employee is a subject only; items assessed E or closed with no
        // further action only when an inspector asks for them.
        let mut intelligence = Vec::new();
        let mut left_out = LeftOut {
            included: include_left_out,
            ..LeftOut::default()
        };
        for (row, role) in reader.items_for_nominal(employee, MAX_PACKAGE_ITEMS, self.user.id)? {
            if role != "subject" {
                continue;
            }
            let Some(item) = reader.item(row.id)? else {
                continue;
            };
            if LeftOut::withholds(&item) {
                if item.fields.grading.intelligence_assessment == "E" {
                    left_out.assessed_e += 1;
                } else {
                    left_out.no_further_action += 1;
                }
                if !include_left_out {
                    continue;
                }
            }
            intelligence.push(item);
        }
        let (mut performance, mut sickness, mut complaints) = (Vec::new(), Vec::new(), Vec::new());
        for record in reader.workforce_records_of(employee)? {
            match record.record_type.as_str() {
                "performance" => performance.push(record),
                "sickness" => sickness.push(record),
                _ => complaints.push(record),
            }
        }
        Ok(TransfereePackage {
            labels: CodeLabels::from_reference(
                self.reference_data(),
                &[
                    list::CORRUPTION_CATEGORY,
                    list::NA_CATEGORY,
                    list::INTEL_STATUS,
                    list::EMPLOYEE_TYPE,
                    list::EMPLOYEE_STATUS,
                    list::VETTING_LEVEL,
                ],
            ),
            performance,
            sickness,
            complaints,
            conduct_outcomes: reader.conduct_outcomes(Some((
                Some(employee),
                nominal
                    .details
                    .identity_key()
                    .as_deref()
                    .unwrap_or_default(),
            )))?,
            left_out,
            business_interests: reader.business_interests_of(employee)?,
            associations: associations
                .into_iter()
                .map(|association| {
                    let name = names
                        .get(&association.associate)
                        .cloned()
                        .unwrap_or_default();
                    (association, name)
                })
                .collect(),
            intelligence,
            prepared_on: self.today(),
            employee: nominal,
        })
    }

    /// Writes the People Intelligence Board pack to `out` (which must not exist) as one HTML
    /// page: the Beacon cohort today, most serious first, and the changes since the last board
    /// on `since` (who joined, whose band rose or fell). A disclosure, recorded with the
    /// purpose, size and SHA-256. Returns the cohort and the changes.
    ///
    /// # Errors
    /// [`WorkbenchError::Refused`] for a last board after today; permission errors (a purpose
    /// is required); `out` exists; I/O and store errors.
    pub fn export_pib_pack(
        &mut self,
        since: IsoDate,
        out: &Path,
    ) -> Result<(Vec<BeaconCohortEntry>, CohortChanges), WorkbenchError> {
        self.require(Action::ExportReport)?;
        let today = self.today();
        if since > today {
            return Err(WorkbenchError::Refused(
                "the last board cannot be after today",
            ));
        }
        let before = self.cohort_unaudited(since)?;
        let cohort = self.cohort_unaudited(today)?;
        let changes = cohort_changes(&before, &cohort);
        // Screening's due list, for those who may screen (itself recorded as a screening).
        let screening = if Action::CrossReference.is_permitted_for(self.user.role) {
            Some(self.beacon_screen(crate::risk::beacon_screen::BEACON_THRESHOLD)?)
        } else {
            None
        };
        let board: Vec<crate::io::pib_pack_html::ScreenedForBoard<'_>> = screening
            .iter()
            .flat_map(|s| &s.due)
            .map(|entry| crate::io::pib_pack_html::ScreenedForBoard {
                name: &entry.employee_name,
                staff_number: entry.staff_number.as_deref(),
                top_score: entry.top_score,
                last_assessed_on: entry.last_assessed_on,
                findings: &entry.findings,
            })
            .collect();
        let board_screening = match &screening {
            Some(s) => crate::io::pib_pack_html::BoardScreening::Due {
                threshold: s.threshold,
                staff: &board,
            },
            None => crate::io::pib_pack_html::BoardScreening::NotRun,
        };
        self.write_export(
            out,
            AuditAction::ReportExported,
            "cohort:beacon",
            "html",
            |file| {
                crate::io::pib_pack_html::write_pib_pack(
                    &cohort,
                    &changes,
                    board_screening,
                    since,
                    today,
                    file,
                )
            },
        )?;
        Ok((cohort, changes))
    }

    /// The control strategy, in order.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn control_strategy(&mut self) -> Result<Vec<ControlStrategyRow>, WorkbenchError> {
        self.require(Action::ViewThreatAssessment)?;
        Ok(self.store.reader().control_strategy()?)
    }

    /// Replaces the control strategy with `rows`, in their order; audited.
    ///
    /// # Errors
    /// [`WorkbenchError::Invalid`] naming each empty priority, cell over 2,000 characters, or
    /// more than 50 rows; permission errors; store errors.
    pub fn set_control_strategy(
        &mut self,
        rows: &[ControlStrategyRow],
    ) -> Result<(), WorkbenchError> {
        self.require(Action::WriteThreatAssessment)?;
        let errors = control_strategy_problems(rows);
        if !errors.is_empty() {
            return Err(crate::domain::InvalidRecord {
                what: "the control strategy",
                errors,
            }
            .into());
        }
        self.store.write(&self.actor(), |tx| {
            tx.replace_control_strategy(rows)?;
            tx.audit(
                NewAuditEntry::new(
                    AuditAction::ControlStrategyEdited,
                    "report:control_strategy",
                )
                .with_detail(serde_json::json!({ "rows": rows.len() }).to_string()),
            )?;
            Ok(())
        })
    }

    /// Every saved version of the analyst's text for exactly the period `from`–`to`, newest
    /// first (empty if none was written). Recorded as a consultation of the assessment.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn assessment_text_versions(
        &mut self,
        from: IsoDate,
        to: IsoDate,
    ) -> Result<Vec<AssessmentTextVersion>, WorkbenchError> {
        self.require(Action::ViewThreatAssessment)?;
        let versions = self.store.reader().assessment_text_versions(from, to)?;
        let detail = serde_json::json!({
            "from": from.to_string(),
            "to": to.to_string(),
            "versions": versions.len(),
        })
        .to_string();
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(
                    AuditAction::ThreatAssessmentViewed,
                    "report:assessment_text",
                )
                .with_detail(detail),
            )
        })?;
        Ok(versions)
    }

    /// Saves `text` as the next version of the analyst's text for the period `from`–`to`.
    /// `based_on` is the version the writer started from (`None` for a first text): if someone
    /// saved another since, nothing is saved and the writer is told to reopen it, so no one's
    /// words are lost. Audited with the period and the new version, never the text.
    ///
    /// # Errors
    /// [`WorkbenchError::Invalid`] naming each field too long or empty, a threat whose category
    /// is unknown or ranked twice; [`WorkbenchError::Refused`] for a period that ends before it
    /// starts, or when a newer version was saved meanwhile; permission errors; store errors.
    pub fn save_assessment_text(
        &mut self,
        from: IsoDate,
        to: IsoDate,
        text: &AssessmentText,
        based_on: Option<u32>,
    ) -> Result<AssessmentTextVersion, WorkbenchError> {
        self.require(Action::WriteThreatAssessment)?;
        if to < from {
            return Err(WorkbenchError::Refused("the period ends before it starts"));
        }
        let reference = self.reference_data();
        let errors =
            assessment_text_problems(text, |code| reference.has(list::CORRUPTION_CATEGORY, code));
        if !errors.is_empty() {
            return Err(crate::domain::InvalidRecord {
                what: "the assessment text",
                errors,
            }
            .into());
        }
        self.store.write(&self.actor(), |tx| {
            let newest = tx
                .reader()
                .newest_assessment_text(from, to)?
                .map(|v| v.version);
            if newest != based_on {
                return Err(WorkbenchError::Refused(
                    "someone saved a newer version of this text since you opened it; open it again",
                ));
            }
            let version = newest.unwrap_or(0) + 1;
            tx.insert_assessment_text(from, to, version, text)?;
            tx.audit(text_saved_entry(from, to, version, text))?;
            Ok(())
        })?;
        self.store
            .reader()
            .newest_assessment_text(from, to)?
            .ok_or(WorkbenchError::Refused("the text was not saved"))
    }

    /// The sanitised edition needs what reading the assessment needs; the restricted one,
    /// which names people, is an inspector's.
    fn require_edition(&mut self, edition: Edition) -> Result<(), WorkbenchError> {
        match edition {
            Edition::Sanitised => self.require(Action::ViewThreatAssessment),
            Edition::Restricted => self.require(Action::ViewRestrictedThreatAssessment),
        }
    }

    /// The assessment's figures, unaudited (the callers record what they did with it).
    fn assemble_threat_assessment(
        &mut self,
        from: IsoDate,
        to: IsoDate,
        edition: Edition,
    ) -> Result<ThreatAssessment, WorkbenchError> {
        let days = (to.0 - from.0).whole_days();
        if days < 0 {
            return Err(WorkbenchError::Refused("the period ends before it starts"));
        }
        if days > MAX_PERIOD_DAYS {
            return Err(WorkbenchError::Refused(
                "a threat assessment covers at most ten years",
            ));
        }
        let (previous_from, previous_to) = previous_period(from, to);
        let reader = self.store.reader();
        let current = reader.intel_period_counts(from, to)?;
        let previous = reader.intel_period_counts(previous_from, previous_to)?;
        let live_associations = reader
            .live_association_counts_on(to)?
            .into_iter()
            .map(|(category, count)| (category, count as u64))
            .collect();
        let interventions_by_outcome = reader.interventions_by_outcome(from, to)?;
        let control_strategy = reader.control_strategy()?;
        let text = reader.newest_assessment_text(from, to)?;
        let cohort = self.cohort_unaudited(to)?;
        // Bands, most serious first (the cohort is sorted that way).
        let mut beacon_bands: Vec<(String, u64)> = Vec::new();
        for entry in &cohort {
            if let Some(band) = beacon_bands
                .iter_mut()
                .find(|(band, _)| *band == entry.band)
            {
                band.1 += 1;
            } else {
                beacon_bands.push((entry.band.clone(), 1));
            }
        }
        let graph = self.cached_graph(&GraphFilter {
            valid_on: Some(to),
            ..GraphFilter::default()
        })?;
        let mut leads =
            find_exposures(&graph, &self.exposure_options(&ExposureOptions::default())?);
        leads.sort_by(|a, b| b.score.total_cmp(&a.score));
        leads.truncate(TOP_EXPOSURES);
        let names = super::display_names(
            self.store.reader(),
            leads.iter().flat_map(|lead| [lead.employee, lead.target]),
        )?;
        let name = |id| names.get(&id).cloned().unwrap_or_default();
        let top_exposures = leads
            .iter()
            .map(|lead| ExposureSummary {
                employee: name(lead.employee),
                target: name(lead.target),
                hops: lead.path.hops(),
                score: lead.score,
            })
            .collect();
        let assessment = ThreatAssessment {
            from,
            to,
            previous_from,
            previous_to,
            current,
            previous,
            live_associations,
            beacon_cohort: cohort.len() as u64,
            beacon_bands,
            interventions_by_outcome,
            top_exposures,
            control_strategy,
            text,
            edition: Edition::Restricted,
            labels: CodeLabels::from_reference(
                self.reference_data(),
                &[
                    list::CORRUPTION_CATEGORY,
                    list::CORRUPTION_SUBCATEGORY,
                    list::EMPLOYEE_TYPE,
                    list::SOURCE_TYPE,
                    list::INTEL_STATUS,
                    list::NA_CATEGORY,
                ],
            ),
        };
        Ok(match edition {
            Edition::Sanitised => assessment.sanitised(),
            Edition::Restricted => assessment,
        })
    }
}

/// The audit entry of a saved version of the analyst's text: the period, the version, how many
/// threats it ranks and the SHA-256 of its words as stored (so a version later edited in a
/// SQLCipher shell can be shown not to be what was saved), never the words.
fn text_saved_entry(
    from: IsoDate,
    to: IsoDate,
    version: u32,
    text: &AssessmentText,
) -> NewAuditEntry {
    use sha2::Digest;
    let words = serde_json::to_string(text).unwrap_or_default();
    NewAuditEntry::new(AuditAction::AssessmentTextSaved, "report:assessment_text").with_detail(
        serde_json::json!({
            "from": from.to_string(),
            "to": to.to_string(),
            "version": version,
            "threats": text.threats.len(),
            "sha256": hex::encode(sha2::Sha256::digest(words.as_bytes())),
        })
        .to_string(),
    )
}

/// What the audit log keeps of an assessment: the period and its size, never a name.
fn period_detail(assessment: &ThreatAssessment) -> serde_json::Value {
    serde_json::json!({
        "from": assessment.from.to_string(),
        "to": assessment.to.to_string(),
        "items": assessment.current.total,
        "exposure_leads": assessment.top_exposures.len(),
        "edition": assessment.edition.as_str(),
    })
}
