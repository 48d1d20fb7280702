//! Each request answered by the workbench, in one place: a handler per request returning
//! `Result<Response, WorkbenchError>` (as rust-analyzer's `handlers/dispatch.rs`); the error is
//! mapped to the [`Failure`](super::protocol::Failure) the origin shows once, by the caller.
//! The handlers only call the library: every use case the CLI shares lives in `Workbench`.

use super::protocol::{Request, Response};
use crate::graph::{ExposureOptions, GraphFilter};
use crate::workbench::{ImportProgress, Workbench, WorkbenchError};
use std::ops::ControlFlow;

/// Answers one request. `progress` hears how far an import has got and may stop it.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per request, each a library call"
)]
pub(super) fn handle(
    workbench: &mut Workbench,
    request: Request,
    progress: &mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
) -> Result<Response, WorkbenchError> {
    Ok(match request {
        Request::SetPurpose(purpose) => {
            workbench.set_purpose(&purpose)?;
            Response::PurposeSet(workbench.purpose().unwrap_or_default().to_owned())
        }
        Request::ListUsers => Response::Users(workbench.users()?),
        Request::AddUser {
            name,
            role,
            password,
            second,
        } => Response::UserAdded(match &second {
            Some((second_name, second_password)) => workbench.add_user_cosigned(
                &name,
                role,
                &password,
                crate::workbench::SecondInspector {
                    name: second_name,
                    password: second_password,
                },
            )?,
            None => workbench.add_user(&name, role, &password)?,
        }),
        Request::RemoveUser(name) => {
            workbench.remove_user(&name)?;
            Response::UserRemoved
        }
        Request::ResetPassword {
            name,
            password,
            second,
        } => {
            match &second {
                Some((second_name, second_password)) => workbench.reset_password_cosigned(
                    &name,
                    &password,
                    crate::workbench::SecondInspector {
                        name: second_name,
                        password: second_password,
                    },
                )?,
                None => workbench.reset_password(&name, &password)?,
            }
            Response::PasswordReset
        }
        Request::ChangeOwnPassword { current, new } => {
            workbench.change_own_password(&current, &new)?;
            Response::PasswordChanged
        }
        Request::Rekey => Response::Rekeyed(workbench.rekey()?),
        Request::Backup(path) => Response::BackupWritten(workbench.backup(&path)?),
        Request::VerifyAudit => Response::Verified(workbench.verify_audit_log()?),
        Request::ExportAuditHead(path) => Response::AuditHeadExported {
            seq: workbench.export_audit_head(&path)?.seq,
            path,
        },
        Request::SetIdleLockPolicy(minutes) => {
            workbench.set_idle_lock_policy(minutes)?;
            Response::IdleLockPolicySet(workbench.idle_lock_policy()?)
        }
        Request::CheckAuditHead(path) => {
            Response::AuditHeadChecked(workbench.check_audit_head(&path)?)
        }
        Request::AuditPage { first_seq, count } => Response::AuditPage {
            first_seq,
            entries: workbench.audit_entries(first_seq, count)?,
        },
        Request::IntelCount(query) => {
            let count = workbench.intel_count(&query)?;
            Response::IntelCount { query, count }
        }
        Request::IntelPage {
            query,
            offset,
            limit,
        } => {
            let rows = workbench.intel_page(&query, offset, limit)?;
            Response::IntelPage {
                query,
                offset,
                rows,
            }
        }
        Request::ViewItem(reference) => item_viewed(workbench.view_item_with_context(&reference)?),
        Request::ItemHistory(reference) => {
            let versions = workbench.item_history(&reference)?;
            Response::ItemHistory {
                reference,
                versions,
            }
        }
        Request::CreateItem(fields) => {
            Response::ItemSaved(Box::new(workbench.create_item(&fields, None)?))
        }
        Request::UpdateItem { reference, fields } => {
            Response::ItemSaved(Box::new(workbench.update_item(&reference, &fields)?))
        }
        Request::ChangeStatus {
            reference,
            to,
            reason,
        } => Response::ItemSaved(Box::new(
            workbench.change_item_status(&reference, &to, &reason)?,
        )),
        Request::Search { number, query } => Response::SearchResults {
            number,
            hits: workbench.search(&query)?,
        },
        Request::ViewNominal(id) => Response::Nominal(Box::new(workbench.subject_profile(id)?)),
        Request::CreateNominal {
            details,
            allow_duplicates,
        } => Response::NominalSaved(Box::new(
            workbench.create_nominal(*details, allow_duplicates)?,
        )),
        Request::AttachFile { reference, path } => {
            workbench.attach_file_from_path(&reference, &path)?;
            item_viewed(workbench.view_item_with_context(&reference)?)
        }
        Request::ViewAttachment(id) => {
            let (info, content) = workbench.view_attachment(id)?;
            Response::Attachment { info, content }
        }
        Request::ExportAttachment { id, path } => {
            workbench.export_attachment(id, &path)?;
            Response::Exported(path)
        }
        Request::GraphQuery {
            intent,
            filter,
            question,
        } => Response::GraphAnswer {
            intent,
            answer: Box::new(workbench.graph_query(&filter, &question)?),
        },
        Request::Exposures { max_hops } => {
            let findings = workbench.find_exposures_named(&ExposureOptions {
                max_hops,
                ..ExposureOptions::default()
            })?;
            Response::Exposures {
                leads: findings.leads,
                names: findings.names,
            }
        }
        Request::ShowLead(lead) => Response::LeadShown {
            network: workbench.network_among(&GraphFilter::default(), lead.path.nodes.clone())?,
            path: lead.path,
        },
        Request::RecordExposure { lead, grading } => {
            Response::ItemSaved(Box::new(workbench.record_exposure(&lead, &grading)?))
        }
        Request::SaveChart(chart) => {
            workbench.save_chart(&chart)?;
            Response::ChartSaved(chart.name)
        }
        Request::ListCharts => Response::Charts(workbench.chart_names()?),
        Request::ChartContext => {
            let today = workbench.today();
            Response::ChartContext(Box::new(workbench.chart_context(today)?))
        }
        Request::OpenChart(name) => {
            let chart = workbench.open_chart(&name)?;
            let nominals = chart.placements.iter().map(|p| p.id).collect();
            let network = workbench.network_among(&chart.filter, nominals)?;
            Response::ChartOpened {
                chart: Box::new(chart),
                network,
            }
        }
        Request::ExportGraphml { path, filter } => {
            workbench.export_graphml(&filter, &path)?;
            Response::Exported(path)
        }
        Request::ExportChart {
            path,
            chart,
            format,
        } => {
            workbench.export_drawn_chart(&chart, format, &path)?;
            Response::Exported(path)
        }
        Request::ListInstruments => Response::Instruments(workbench.instruments()?),
        Request::LoadInstrument {
            key,
            version,
            for_form,
        } => Response::Instrument {
            instrument: Box::new(workbench.instrument(&key, version)?),
            for_form,
        },
        Request::Assess {
            key,
            subject,
            answers,
            rationale,
            assessed_on,
        } => Response::Assessed(Box::new(workbench.assess(
            &key,
            subject,
            &answers,
            &rationale,
            assessed_on,
        )?)),
        Request::AssessmentsOf(subject) => Response::Assessments {
            subject,
            records: workbench.assessments_of(subject)?,
        },
        Request::Rescore { id, version } => Response::Rescored {
            id,
            rescore: Box::new(workbench.rescore_assessment(id, version)?),
        },
        Request::PublishInstrument(instrument) => {
            let key = instrument.key().to_owned();
            let version = workbench.publish_instrument(*instrument)?;
            Response::InstrumentPublished { key, version }
        }
        Request::PublishInstrumentFile(path) => {
            let (key, version) = workbench.publish_instrument_file(&path)?;
            Response::InstrumentPublished { key, version }
        }
        Request::BeaconCohort { as_of } => Response::BeaconCohort(workbench.beacon_cohort(as_of)?),
        Request::BeaconDue => Response::BeaconDue(workbench.beacon_due()?),
        Request::BeaconScreen { threshold } => {
            Response::BeaconScreening(Box::new(workbench.beacon_screen(threshold)?))
        }
        Request::OpenBeaconFinding(fingerprint) => {
            Response::BeaconFindingOpened(Box::new(workbench.open_beacon_finding(&fingerprint)?))
        }
        Request::BeaconSuggestions(employee) => {
            Response::BeaconSuggestions(Box::new(workbench.beacon_suggestions(employee)?))
        }
        Request::ItemPriorityForm(reference) => Response::ItemPriority {
            instrument: Box::new(
                workbench.instrument(crate::risk::ITEM_PRIORITY_INSTRUMENT, None)?,
            ),
            history: workbench.item_priorities(&reference)?,
            reference,
        },
        Request::PrioritiseItem {
            reference,
            answers,
            rationale,
        } => {
            let today = workbench.today();
            Response::ItemPrioritised(Box::new(
                workbench.prioritise_item(&reference, &answers, &rationale, today)?,
            ))
        }
        Request::RemoveFromCohort { subject, rationale } => {
            workbench.remove_from_beacon_cohort(subject, &rationale)?;
            Response::CohortChanged(String::from(
                "Removed from the Beacon cohort; the removal and its rationale are recorded.",
            ))
        }
        Request::RecordIopcDecision { subject, decision } => {
            workbench.record_iopc_decision(subject, &decision)?;
            Response::CohortChanged(format!("{}: recorded.", decision.describe()))
        }
        Request::ExportSubjectReport { path, id } => {
            workbench.export_subject_report(id, &path)?;
            Response::Exported(path)
        }
        Request::ExportPibPack { path, since } => {
            workbench.export_pib_pack(since, &path)?;
            Response::Exported(path)
        }
        Request::ControlStrategy => Response::ControlStrategy(workbench.control_strategy()?),
        Request::SetControlStrategy(rows) => {
            workbench.set_control_strategy(&rows)?;
            Response::ControlStrategy(workbench.control_strategy()?)
        }
        Request::AssessmentTextVersions { from, to } => {
            Response::AssessmentTextVersions(workbench.assessment_text_versions(from, to)?)
        }
        Request::SaveAssessmentText {
            from,
            to,
            text,
            based_on,
            edition,
        } => {
            let saved = workbench.save_assessment_text(from, to, &text, based_on)?;
            Response::AssessmentTextSaved {
                version: saved.version,
                assessment: Box::new(workbench.threat_assessment(from, to, edition)?),
            }
        }
        Request::ThreatAssessment { from, to, edition } => {
            Response::ThreatAssessment(Box::new(workbench.threat_assessment(from, to, edition)?))
        }
        Request::ExportThreatAssessment {
            path,
            from,
            to,
            edition,
        } => {
            workbench.export_threat_assessment(from, to, edition, &path)?;
            Response::Exported(path)
        }
        Request::TransfereePackage(employee) => {
            Response::TransfereePackage(Box::new(workbench.transferee_package(employee)?))
        }
        Request::TransfereePackageWithLeftOut(employee) => Response::TransfereePackage(Box::new(
            workbench.transferee_package_with_left_out(employee)?,
        )),
        Request::ExportTransfereePackage {
            previewed,
            path,
            recipient,
            confirm_c_items,
        } => {
            workbench.export_previewed_transferee_package(
                &previewed,
                &path,
                crate::workbench::Release {
                    recipient: &recipient,
                    confirm_c_items,
                    include_left_out: previewed.left_out.included,
                },
            )?;
            Response::Exported(path)
        }
        Request::ExportPibList { path, as_of } => {
            workbench.export_pib_list(&path, as_of)?;
            Response::Exported(path)
        }
        Request::NaList { filter, as_of } => Response::NaList {
            rows: workbench.notifiable_associations(&filter, as_of)?,
            filter,
        },
        Request::NaCounts => Response::NaCounts(workbench.association_counts()?),
        Request::RegisterNa(draft) => {
            Response::NaSaved(Box::new(workbench.register_notifiable_association(&draft)?))
        }
        Request::ChangeNa {
            id,
            version,
            change,
        } => Response::NaSaved(Box::new(workbench.change_notifiable_association(
            id,
            Some(version),
            &change,
        )?)),
        Request::Interventions { state } => {
            Response::Interventions(workbench.interventions(state)?)
        }
        Request::ViewIntervention(id) => {
            Response::Intervention(Box::new(workbench.intervention(id)?))
        }
        Request::ProposeIntervention(proposal) => {
            Response::InterventionSaved(workbench.propose_intervention(&proposal)?.id)
        }
        Request::InterventionStep { id, version, step } => Response::InterventionSaved(
            workbench
                .take_intervention_step(id, Some(version), &step)?
                .id,
        ),
        Request::ExportIntervention { id, path } => {
            workbench.export_intervention(id, &path)?;
            Response::Exported(path)
        }
        Request::AwaitingDecision => {
            Response::AwaitingDecision(workbench.interventions_awaiting_my_decision()?)
        }
        Request::PreviewImport { path, delimiter } => Response::ImportPreview {
            preview: workbench.preview_import(&path, delimiter)?,
            path,
        },
        Request::ImportFile {
            spec,
            path,
            options,
            cancel,
        } => Response::Imported(Box::new(workbench.import_bulk_file(
            &spec,
            &path,
            options,
            &mut cancellable(&cancel, progress),
        )?)),
        Request::ImportFtmFile {
            path,
            options,
            cancel,
        } => Response::FtmImported(Box::new(workbench.import_ftm_file(
            &path,
            options,
            &mut cancellable(&cancel, progress),
        )?)),
        Request::CrossReference {
            window_days,
            threshold,
        } => Response::CrossrefRun(Box::new(workbench.cross_reference(
            &crate::risk::crossref::CrossrefOptions {
                hospitality_window_days: window_days,
                threshold,
            },
        )?)),
        Request::Leads => Response::Leads(workbench.leads()?),
        Request::PromoteLead { lead, grading } => Response::LeadPromoted {
            lead,
            reference: workbench.promote_lead(lead, &grading)?.reference,
        },
    })
}

/// `progress`, stopped when the UI sets `cancel` (read between rows; a cancelled import
/// changes nothing).
fn cancellable<'a>(
    cancel: &'a std::sync::atomic::AtomicBool,
    progress: &'a mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
) -> impl FnMut(&ImportProgress) -> ControlFlow<()> + 'a {
    move |p| {
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            ControlFlow::Break(())
        } else {
            progress(p)
        }
    }
}

/// An item as the item view shows it.
fn item_viewed(view: crate::workbench::ItemView) -> Response {
    Response::Item {
        item: Box::new(view.item),
        attachments: view.attachments,
        user_names: view.user_names,
        subject_names: view.subject_names,
    }
}
