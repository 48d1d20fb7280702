//! Each request answered by the workbench, in one place: a handler per request returning
//! `Result<Response, WorkbenchError>` (as rust-analyzer's `handlers/dispatch.rs`); the error is
//! mapped to the [`Failure`](super::protocol::Failure) the origin shows once, by the caller.
//! The handlers only call the library: every use case the CLI shares lives in `Workbench`.

use super::protocol::{Request, Response};
use crate::graph::{
    ExposureOptions, GraphAnswer, GraphFilter, GraphQuestion, SavedChart, Subgraph,
};
use crate::risk::Instrument;
use crate::workbench::{ImportProgress, Workbench, WorkbenchError};
use std::ops::ControlFlow;

/// Answers one request. `progress` hears how far an import has got and may stop it.
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
        } => Response::UserAdded(workbench.add_user(&name, role, &password)?),
        Request::RemoveUser(name) => {
            workbench.remove_user(&name)?;
            Response::UserRemoved
        }
        Request::ResetPassword { name, password } => {
            workbench.reset_password(&name, &password)?;
            Response::PasswordReset
        }
        Request::ChangeOwnPassword { current, new } => {
            workbench.change_own_password(&current, &new)?;
            Response::PasswordChanged
        }
        Request::Rekey => Response::Rekeyed(workbench.rekey()?),
        Request::Backup(path) => Response::BackupWritten(workbench.backup(&path)?),
        Request::VerifyAudit => Response::Verified(workbench.verify_audit_log()?),
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
        Request::ViewItem(reference) => view_item(workbench, &reference)?,
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
        Request::ViewNominal(id) => Response::Nominal(Box::new(workbench.view_nominal(id)?)),
        Request::CreateNominal {
            details,
            allow_duplicates,
        } => Response::NominalSaved(Box::new(
            workbench.create_nominal(*details, allow_duplicates)?,
        )),
        Request::AttachFile { reference, path } => {
            attach(workbench, &reference, &path)?;
            view_item(workbench, &reference)?
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
        Request::Exposures { max_hops } => exposures(workbench, max_hops)?,
        Request::ShowLead(lead) => Response::LeadShown {
            network: among(workbench, &GraphFilter::default(), lead.path.nodes.clone())?,
            path: lead.path,
        },
        Request::RecordExposure(lead) => {
            Response::ItemSaved(Box::new(workbench.record_exposure(&lead)?))
        }
        Request::SaveChart(chart) => {
            workbench.save_chart(&chart)?;
            Response::ChartSaved(chart.name)
        }
        Request::ListCharts => Response::Charts(workbench.chart_names()?),
        Request::OpenChart(name) => {
            let chart = workbench.open_chart(&name)?;
            let nominals = chart.placements.iter().map(|p| p.id).collect();
            let network = among(workbench, &chart.filter, nominals)?;
            Response::ChartOpened {
                chart: Box::new(chart),
                network,
            }
        }
        Request::ExportGraphml { path, filter } => {
            workbench.export_graphml(&filter, &path)?;
            Response::Exported(path)
        }
        Request::ExportChartPng { path, chart } => {
            export_png(workbench, &path, &chart)?;
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
        Request::PublishInstrument(instrument) => publish(workbench, *instrument)?,
        Request::PublishInstrumentFile(path) => publish_file(workbench, &path)?,
        Request::BeaconCohort { as_of } => Response::BeaconCohort(workbench.beacon_cohort(as_of)?),
        Request::ExportPibPack { path, since } => {
            workbench.export_pib_pack(since, &path)?;
            Response::Exported(path)
        }
        Request::ControlStrategy => Response::ControlStrategy(workbench.control_strategy()?),
        Request::SetControlStrategy(rows) => {
            workbench.set_control_strategy(&rows)?;
            Response::ControlStrategy(workbench.control_strategy()?)
        }
        Request::ThreatAssessment { from, to } => {
            Response::ThreatAssessment(Box::new(workbench.threat_assessment(from, to)?))
        }
        Request::ExportThreatAssessment { path, from, to } => {
            workbench.export_threat_assessment(from, to, &path)?;
            Response::Exported(path)
        }
        Request::TransfereePackage(employee) => {
            Response::TransfereePackage(Box::new(workbench.transferee_package(employee)?))
        }
        Request::ExportTransfereePackage { previewed, path } => {
            workbench.export_previewed_transferee_package(&previewed, &path)?;
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
            preview: preview_import(&path, delimiter)?,
            path,
        },
        Request::ImportFile {
            spec,
            path,
            options,
            cancel,
        } => Response::Imported(Box::new(with_file(
            &path,
            &cancel,
            progress,
            |name, reader, total, progress| {
                workbench.import_bulk(&spec, name, reader, total, options, progress)
            },
        )?)),
        Request::ImportFtmFile {
            path,
            options,
            cancel,
        } => Response::FtmImported(Box::new(with_file(
            &path,
            &cancel,
            progress,
            |name, reader, total, progress| {
                workbench.import_ftm(name, reader, total, options, progress)
            },
        )?)),
        Request::CrossReference { window_days } => Response::CrossrefRun(Box::new(
            workbench.cross_reference(&crate::risk::crossref::CrossrefOptions {
                hospitality_window_days: window_days,
            })?,
        )),
        Request::Leads => Response::Leads(workbench.leads()?),
        Request::PromoteLead(lead) => Response::LeadPromoted {
            lead,
            reference: workbench.promote_lead(lead)?.reference,
        },
    })
}

/// Opens the file at `path` and runs `import` on it, streamed, with the cancel flag read
/// between rows (a cancelled import changes nothing).
fn with_file<T>(
    path: &std::path::Path,
    cancel: &std::sync::atomic::AtomicBool,
    progress: &mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
    import: impl FnOnce(
        &str,
        std::io::BufReader<std::fs::File>,
        Option<u64>,
        &mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
    ) -> Result<T, WorkbenchError>,
) -> Result<T, WorkbenchError> {
    let file = std::fs::File::open(path)
        .map_err(|_| WorkbenchError::Refused("could not open the file to import"))?;
    let total_bytes = file.metadata().ok().map(|m| m.len());
    import(
        &path.display().to_string(),
        std::io::BufReader::with_capacity(1 << 20, file),
        total_bytes,
        &mut |p| {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                ControlFlow::Break(())
            } else {
                progress(p)
            }
        },
    )
}

fn preview_import(
    path: &std::path::Path,
    delimiter: u8,
) -> Result<crate::io::bulk_csv::CsvPreview, WorkbenchError> {
    let file = std::fs::File::open(path)
        .map_err(|_| WorkbenchError::Refused("could not open the file to import"))?;
    crate::io::bulk_csv::preview(std::io::BufReader::new(file), delimiter, 8).map_err(|error| {
        WorkbenchError::ImportRow {
            source_name: path.display().to_string(),
            error,
        }
    })
}

fn publish(workbench: &mut Workbench, instrument: Instrument) -> Result<Response, WorkbenchError> {
    let key = instrument.key().to_owned();
    let version = workbench.publish_instrument(instrument)?;
    Ok(Response::InstrumentPublished { key, version })
}

fn publish_file(
    workbench: &mut Workbench,
    path: &std::path::Path,
) -> Result<Response, WorkbenchError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = std::fs::read_to_string(path)
        .map_err(|_| WorkbenchError::Refused("could not read the instrument file"))?;
    let instrument = crate::io::instrument_file::parse(&text, &name)
        .map_err(|err| WorkbenchError::GraphQuery(err.to_string()))?;
    publish(workbench, instrument)
}

fn exposures(workbench: &mut Workbench, max_hops: usize) -> Result<Response, WorkbenchError> {
    let options = ExposureOptions {
        max_hops,
        ..ExposureOptions::default()
    };
    let leads = workbench.find_exposures(&options)?;
    let mut ids: Vec<_> = leads
        .iter()
        .flat_map(|l| {
            [
                l.employee,
                l.target,
                l.path.nodes.get(1).copied().unwrap_or(l.target),
            ]
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names = workbench.nominal_names(&ids)?;
    Ok(Response::Exposures { leads, names })
}

/// These nominals and the links among them, as the session's graph has them (an audited
/// question like any other).
fn among(
    workbench: &mut Workbench,
    filter: &GraphFilter,
    nominals: Vec<crate::domain::NominalId>,
) -> Result<Subgraph, WorkbenchError> {
    match workbench.graph_query(filter, &GraphQuestion::Among { nominals })? {
        GraphAnswer::Among { network } => Ok(network),
        _ => Err(WorkbenchError::Refused(
            "the graph gave an unexpected answer",
        )),
    }
}

/// The size of an exported chart picture.
const PNG_SIZE_PX: (u32, u32) = (1600, 1200);

fn export_png(
    workbench: &mut Workbench,
    path: &std::path::Path,
    chart: &SavedChart,
) -> Result<(), WorkbenchError> {
    let nominals = chart.placements.iter().map(|p| p.id).collect();
    let network = among(workbench, &chart.filter, nominals)?;
    let positions: std::collections::HashMap<_, [f32; 2]> = chart
        .placements
        .iter()
        .map(|p| (p.id, [p.x, p.y]))
        .collect();
    let graph =
        crate::graph::LinkGraph::build(network.nodes, network.edges, &GraphFilter::default());
    let png = super::super::chart_png::render_png(
        &graph,
        &positions,
        chart.highlighted.as_ref(),
        PNG_SIZE_PX,
    )
    .map_err(|_| WorkbenchError::Refused("the chart could not be drawn"))?;
    workbench.export_chart_png(path, &png)
}

fn view_item(workbench: &mut Workbench, reference: &str) -> Result<Response, WorkbenchError> {
    let item = workbench.view_item(reference)?;
    let attachments = workbench.attachments(reference)?;
    let user_names = workbench.user_names()?;
    let ids: Vec<_> = item.fields.subjects.iter().map(|s| s.nominal_id).collect();
    let subject_names = workbench.nominal_names(&ids)?;
    Ok(Response::Item {
        item: Box::new(item),
        attachments,
        user_names,
        subject_names,
    })
}

fn attach(
    workbench: &mut Workbench,
    reference: &str,
    path: &std::path::Path,
) -> Result<(), WorkbenchError> {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if size > crate::workbench::MAX_ATTACHMENT_BYTES {
        return Err(WorkbenchError::AttachmentTooLarge {
            size,
            limit: crate::workbench::MAX_ATTACHMENT_BYTES,
        });
    }
    let content =
        std::fs::read(path).map_err(|_| WorkbenchError::Refused("could not read the file"))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    workbench.attach_file(reference, &name, &content)?;
    Ok(())
}
