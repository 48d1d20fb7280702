//! Every role against every library operation: allowed exactly when the permission table says so,
//! and a refused call changes nothing (no audit entry, no changed state, no file written).
//!
//! To add an operation, add a row to `operations()`: its name, the `Action` it needs, and a
//! closure calling it on the records `setup` made. `tests/it/tidy.rs` fails while a public
//! `Workbench` method is neither called in a row nor listed there as needing no check.

use crate::common;

use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD, snapshot};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{
    Action, AssessmentId, AttachmentId, Grading, ImportKind, IntelItemFields, IntelQuery, LeadId,
    LinkFields, NaChange, NaFilter, NominalDetails, NominalId, NotifiableAssociationId,
    PersonFlags, Provenance, Role, SearchQuery, Subject, TransfereePackage, User,
};
use ccu_workbench::graph::{ExposureLead, GraphFilter, GraphPath, GraphQuestion};
use ccu_workbench::risk::threat_assessment::Edition;
use ccu_workbench::workbench::{SecondInspector, WorkbenchError};
use std::path::Path;

const TARGET: &str = "Target Synthetic";
const PASSWORD: &str = "shared test pass phrase";

fn name_for(role: Role) -> &'static str {
    match role {
        Role::Detective => "Detective Synthetic",
        Role::Analyst => "Analyst Synthetic",
        Role::Inspector => "Second Inspector Synthetic",
    }
}

/// What the operations act on, created by `setup`.
#[derive(Clone)]
struct Records {
    dir: std::path::PathBuf,
    reference: String,
    nominal: NominalId,
    employee: NominalId,
    assessed: String,
    proposal: ccu_workbench::domain::InterventionId,
    kept: NominalId,
    merged: NominalId,
    attachment: AttachmentId,
    /// The employee's registered association (with a person of its own).
    association: NotifiableAssociationId,
    /// A Beacon assessment of `employee`.
    assessment: AssessmentId,
    /// A cross-reference lead: the employee looked up an OCG member.
    lead: LeadId,
    /// A route from the employee to `nominal`, as the exposure finder reports one.
    exposure: ExposureLead,
    /// The employee's transferee package as previewed.
    preview: TransfereePackage,
}

type Operation = fn(&mut Workbench, &Records) -> Result<(), WorkbenchError>;

fn item_fields(nominal: NominalId) -> IntelItemFields {
    IntelItemFields {
        received_on: "2026-01-05".parse().unwrap(),
        source_type: "supervisor".into(),
        narrative: "Synthetic narrative for the access matrix.".into(),
        grading: Grading {
            source_evaluation: "2".into(),
            intelligence_assessment: "C".into(),
            handling_code: "P".into(),
            handling_conditions: None,
        },
        legacy_grading: None,
        category: "other".into(),
        subcategory: None,
        subjects: vec![Subject {
            nominal_id: nominal,
            role: "subject".into(),
        }],
        next_review_on: None,
    }
}

fn organisation(name: &str) -> NominalDetails {
    NominalDetails::Organisation {
        name: name.into(),
        sector: String::new(),
    }
}

fn intervention_proposal(
    subject: NominalId,
    item: &str,
) -> ccu_workbench::domain::InterventionProposal {
    ccu_workbench::domain::InterventionProposal {
        subject,
        items: vec![item.to_owned()],
        category: "other".into(),
        rationale: "Synthetic rationale for the access matrix.".into(),
        proposed_attendees: vec!["DS Synthetic".into()],
        proposed_date: ccu_workbench::domain::IsoDate::today_utc().plus_days(14),
        preconditions: ccu_workbench::domain::Preconditions {
            fully_assessed: Some(true),
            cannot_develop_further: Some(true),
            no_criminal_proceedings: Some(true),
            no_misconduct_proceedings: Some(true),
            no_service_confidence: Some(true),
        },
    }
}

/// Each operation with the permission it needs.
fn operations() -> Vec<(&'static str, Action, Operation)> {
    vec![
        ("create_item", Action::RecordIntelligence, |wb, r| {
            wb.create_item(&item_fields(r.nominal), None).map(drop)
        }),
        ("view_item", Action::ViewIntelligence, |wb, r| {
            wb.view_item(&r.reference).map(drop)
        }),
        (
            "view_item_with_context",
            Action::ViewIntelligence,
            |wb, r| wb.view_item_with_context(&r.reference).map(drop),
        ),
        ("create_nominal", Action::RecordNominals, |wb, _| {
            wb.create_nominal(organisation("Extra Org Synthetic"), false)
                .map(drop)
        }),
        ("view_nominal", Action::ViewNominals, |wb, r| {
            wb.view_nominal(r.nominal).map(drop)
        }),
        // Also needs ViewIntelligence, which every role with ViewNominals holds.
        ("subject_profile", Action::ViewNominals, |wb, r| {
            wb.subject_profile(r.nominal).map(drop)
        }),
        ("search", Action::Search, |wb, _| {
            wb.search(&SearchQuery {
                text: "synthetic".into(),
                ..SearchQuery::default()
            })
            .map(drop)
        }),
        ("merge_nominals", Action::MergeNominals, |wb, r| {
            wb.merge_nominals(r.kept, r.merged).map(drop)
        }),
        (
            "publish_reference_data",
            Action::PublishReferenceData,
            |wb, _| {
                let mut data = ccu_workbench::io::reference_file::shipped_default().unwrap();
                data.version = 3;
                wb.publish_reference_data(data).map(drop)
            },
        ),
        (
            "publish_instrument_file",
            Action::PublishInstrument,
            |wb, r| {
                let shipped = std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/instruments/beacon-v2.toml"),
                )
                .unwrap();
                let path = r.dir.join("beacon-v3.toml");
                std::fs::write(&path, shipped.replacen("version = 2", "version = 3", 1)).unwrap();
                wb.publish_instrument_file(&path).map(drop)
            },
        ),
        ("publish_instrument", Action::PublishInstrument, |wb, _| {
            let mut spec = wb.instrument("beacon", None).unwrap().spec().clone();
            spec.version = 3;
            let instrument = ccu_workbench::risk::Instrument::new(spec).unwrap();
            wb.publish_instrument(instrument).map(drop)
        }),
        ("assess", Action::Assess, |wb, r| {
            let answers = first_answers(wb);
            wb.assess(
                "beacon",
                r.employee,
                &answers,
                "Synthetic rationale for the access matrix.",
                "2026-02-01".parse().unwrap(),
            )
            .map(drop)
        }),
        (
            "register_notifiable_association",
            Action::RecordAssociations,
            |wb, r| {
                wb.register_notifiable_association(&ccu_workbench::domain::NaDraft {
                    employee: r.employee,
                    associate: r.nominal,
                    category: "family".into(),
                    origin: ccu_workbench::domain::NaOrigin::Declared,
                    declared_on: "2026-01-05".parse().unwrap(),
                    conditions: String::new(),
                    assessment: None,
                    review_due_on: None,
                    relationship: None,
                })
                .map(drop)
            },
        ),
        (
            "propose_intervention",
            Action::RecordIntervention,
            |wb, r| {
                wb.propose_intervention(&intervention_proposal(r.employee, &r.assessed))
                    .map(drop)
            },
        ),
        (
            "decide_intervention",
            Action::DecideIntervention,
            |wb, r| {
                wb.take_intervention_step(
                    r.proposal,
                    None,
                    &ccu_workbench::domain::InterventionStep::Decline {
                        rationale: "Synthetic rationale for the access matrix.".into(),
                    },
                )
                .map(drop)
            },
        ),
        ("import_bulk", Action::ImportData, |wb, _| {
            let spec = ccu_workbench::io::import_spec::shipped_spec(
                ccu_workbench::domain::ImportKind::Calls,
            )
            .unwrap();
            let text: &[u8] = b"Caller,Callee,Start,Duration (s),Direction\n07700 900111,07700 900222,2026-03-01T10:00:00Z,65,O\n";
            wb.import_bulk(
                &spec,
                "calls.csv",
                text,
                None,
                ccu_workbench::workbench::ImportOptions::default(),
                &mut |_| std::ops::ControlFlow::Continue(()),
            )
            .map(drop)
        }),
        ("preview_import", Action::ImportData, |wb, r| {
            let path = r.dir.join("preview.csv");
            std::fs::write(&path, b"Caller,Callee\n07700 900111,07700 900222\n").unwrap();
            wb.preview_import(&path, b',').map(drop)
        }),
        ("import_bulk", Action::RehearseImport, |wb, _| {
            let spec = ccu_workbench::io::import_spec::shipped_spec(
                ccu_workbench::domain::ImportKind::Calls,
            )
            .unwrap();
            let text: &[u8] = b"Caller,Callee,Start,Duration (s),Direction\n07700 900111,07700 900222,2026-03-01T10:00:00Z,65,O\n";
            wb.import_bulk(
                &spec,
                "calls.csv",
                text,
                None,
                ccu_workbench::workbench::ImportOptions {
                    dry_run: true,
                    ..ccu_workbench::workbench::ImportOptions::default()
                },
                &mut |_| std::ops::ControlFlow::Continue(()),
            )
            .map(drop)
        }),
        ("import_bulk_file", Action::ImportData, |wb, r| {
            let spec = ccu_workbench::io::import_spec::shipped_spec(
                ccu_workbench::domain::ImportKind::Calls,
            )
            .unwrap();
            let path = r.dir.join("calls.csv");
            std::fs::write(&path, b"Caller,Callee,Start,Duration (s),Direction\n07700 900111,07700 900222,2026-03-01T10:00:00Z,65,O\n").unwrap();
            wb.import_bulk_file(
                &spec,
                &path,
                ccu_workbench::workbench::ImportOptions::default(),
                &mut |_| std::ops::ControlFlow::Continue(()),
            )
            .map(drop)
        }),
        ("import_ftm_file", Action::ImportData, |wb, r| {
            let path = r.dir.join("shared.ftm.jsonl");
            std::fs::write(&path, br#"{"id":"x1","schema":"Person","properties":{"name":["Synthetic Shared Person"],"birthDate":["1980-01-02"]}}
"#).unwrap();
            wb.import_ftm_file(
                &path,
                ccu_workbench::workbench::ImportOptions::default(),
                &mut |_| std::ops::ControlFlow::Continue(()),
            )
            .map(drop)
        }),
        ("import_ftm", Action::ImportData, |wb, _| {
            let text: &[u8] = br#"{"id":"x1","schema":"Person","properties":{"name":["Synthetic Shared Person"],"birthDate":["1980-01-02"]}}
"#;
            wb.import_ftm(
                "shared.ftm.jsonl",
                text,
                None,
                ccu_workbench::workbench::ImportOptions::default(),
                &mut |_| std::ops::ControlFlow::Continue(()),
            )
            .map(drop)
        }),
        ("export_ftm", Action::ExportGraph, |wb, r| {
            wb.export_ftm(&r.dir.join("exported.txt")).map(drop)
        }),
        ("export_chart_anx", Action::ExportGraph, |wb, r| {
            wb.export_chart_anx(MATRIX_CHART, &r.dir.join("exported.txt"))
                .map(drop)
        }),
        ("export_chart", Action::ExportGraph, |wb, r| {
            wb.export_chart(
                MATRIX_CHART,
                ccu_workbench::workbench::ChartFormat::Svg,
                &r.dir.join("exported.txt"),
            )
            .map(drop)
        }),
        ("transferee_package", Action::ExportReport, |wb, r| {
            wb.transferee_package(r.employee).map(drop)
        }),
        (
            "record_conduct_outcome",
            Action::RecordConductOutcome,
            |wb, _| {
                wb.record_conduct_outcome(&ccu_workbench::domain::ConductOutcome {
                    staff_number: "AM0001".into(),
                    decided_on: "2025-01-01".parse().unwrap(),
                    category: "disclosure".into(),
                    outcome: ccu_workbench::domain::ConductOutcomeKind::WrittenWarning,
                    referred_to_iopc: false,
                })
                .map(drop)
            },
        ),
        ("conduct_outcomes", Action::ViewNominals, |wb, _| {
            wb.conduct_outcomes(None).map(drop)
        }),
        (
            "transferee_package_with_left_out",
            Action::IncludeWithheldIntelligence,
            |wb, r| wb.transferee_package_with_left_out(r.employee).map(drop),
        ),
        ("export_anx", Action::ExportGraph, |wb, r| {
            wb.export_anx(
                &ccu_workbench::graph::GraphFilter::default(),
                &r.dir.join("exported.txt"),
            )
            .map(drop)
        }),
        (
            "threat_assessment",
            Action::ViewThreatAssessment,
            |wb, _| {
                wb.threat_assessment(
                    "2026-01-01".parse().unwrap(),
                    "2026-03-31".parse().unwrap(),
                    Edition::Sanitised,
                )
                .map(drop)
            },
        ),
        (
            "threat_assessment (restricted edition)",
            Action::ViewRestrictedThreatAssessment,
            |wb, _| {
                wb.threat_assessment(
                    "2026-01-01".parse().unwrap(),
                    "2026-03-31".parse().unwrap(),
                    Edition::Restricted,
                )
                .map(drop)
            },
        ),
        ("control_strategy", Action::ViewThreatAssessment, |wb, _| {
            wb.control_strategy().map(drop)
        }),
        (
            "set_control_strategy",
            Action::WriteThreatAssessment,
            |wb, _| {
                wb.set_control_strategy(&[
                    ccu_workbench::risk::threat_assessment::ControlStrategyRow {
                        priority: "Synthetic priority".into(),
                        ..Default::default()
                    },
                ])
            },
        ),
        (
            "assessment_text_versions",
            Action::ViewThreatAssessment,
            |wb, _| {
                wb.assessment_text_versions(
                    "2026-01-01".parse().unwrap(),
                    "2026-03-31".parse().unwrap(),
                )
                .map(drop)
            },
        ),
        (
            "save_assessment_text",
            Action::WriteThreatAssessment,
            |wb, _| {
                wb.save_assessment_text(
                    "2026-01-01".parse().unwrap(),
                    "2026-03-31".parse().unwrap(),
                    &ccu_workbench::risk::threat_assessment::AssessmentText {
                        summary: "Synthetic summary.".into(),
                        ..Default::default()
                    },
                    None,
                )
                .map(drop)
            },
        ),
        ("export_threat_assessment", Action::ExportReport, |wb, r| {
            wb.export_threat_assessment(
                "2026-01-01".parse().unwrap(),
                "2026-03-31".parse().unwrap(),
                Edition::Sanitised,
                &r.dir.join("exported.html"),
            )
            .map(drop)
        }),
        ("export_subject_report", Action::ExportReport, |wb, r| {
            wb.export_subject_report(r.employee, &r.dir.join("exported.pdf"))
                .map(drop)
        }),
        ("export_pib_pack", Action::ExportReport, |wb, r| {
            wb.export_pib_pack("2026-01-01".parse().unwrap(), &r.dir.join("exported.txt"))
                .map(drop)
        }),
        (
            "export_transferee_package",
            Action::ExportReport,
            |wb, r| {
                wb.export_transferee_package(
                    r.employee,
                    &r.dir.join("exported.txt"),
                    ccu_workbench::workbench::Release {
                        recipient: "DCI Receiving Unit",
                        confirm_c_items: true,
                        include_left_out: false,
                    },
                )
                .map(drop)
            },
        ),
        ("cross_reference", Action::CrossReference, |wb, _| {
            wb.cross_reference(&ccu_workbench::risk::crossref::CrossrefOptions::default())
                .map(drop)
        }),
        ("export_pib_list", Action::ExportList, |wb, r| {
            wb.export_pib_list(&r.dir.join("exported.txt"), "2026-03-01".parse().unwrap())
                .map(drop)
        }),
        ("export_attachment", Action::ExportAttachment, |wb, r| {
            wb.export_attachment(r.attachment, &r.dir.join("exported.txt"))
                .map(drop)
        }),
        ("add_user", Action::ManageUsers, |wb, _| {
            wb.add_user("Extra Synthetic", Role::Analyst, PASSWORD)
                .map(drop)
        }),
        ("remove_user", Action::ManageUsers, |wb, _| {
            wb.remove_user(TARGET)
        }),
        ("reset_password", Action::ManageUsers, |wb, _| {
            wb.reset_password(TARGET, "another pass phrase")
        }),
        ("add_user_cosigned", Action::ManageUsers, |wb, _| {
            wb.add_user_cosigned(
                "Extra Cosigned Synthetic",
                Role::Analyst,
                PASSWORD,
                SecondInspector {
                    name: INSPECTOR,
                    password: INSPECTOR_PASSWORD,
                },
            )
            .map(drop)
        }),
        ("reset_password_cosigned", Action::ManageUsers, |wb, _| {
            wb.reset_password_cosigned(
                TARGET,
                "another pass phrase",
                SecondInspector {
                    name: INSPECTOR,
                    password: INSPECTOR_PASSWORD,
                },
            )
        }),
        ("export_audit_head", Action::VerifyAuditLog, |wb, r| {
            wb.export_audit_head(&r.dir.join("head.json")).map(drop)
        }),
        ("check_audit_head", Action::VerifyAuditLog, |wb, r| {
            let file = r.dir.join("checked-head.json");
            if !file.exists() {
                wb.export_audit_head(&file)?;
            }
            wb.check_audit_head(&file).map(drop)
        }),
        ("set_idle_lock_policy", Action::ManageUsers, |wb, _| {
            wb.set_idle_lock_policy(Some(10))
        }),
        ("restrict_item", Action::RestrictItems, |wb, r| {
            wb.restrict_item(&r.reference, &[]).map(drop)
        }),
        ("unrestrict_item", Action::RestrictItems, |wb, r| {
            wb.restrict_item(&r.reference, &[])?;
            wb.unrestrict_item(&r.reference)
        }),
        ("item_restriction", Action::ViewIntelligence, |wb, r| {
            wb.item_restriction(&r.reference).map(drop)
        }),
        ("users", Action::ListUsers, |wb, _| wb.users().map(drop)),
        ("change_own_password", Action::ChangeOwnPassword, |wb, _| {
            wb.change_own_password(PASSWORD, "a changed pass phrase")
        }),
        ("rekey", Action::RotateMasterKey, |wb, _| {
            wb.rekey().map(drop)
        }),
        ("backup", Action::Backup, |wb, r| {
            wb.backup(&r.dir.join("backup.ccuwb")).map(drop)
        }),
        ("audit_entries", Action::ViewAuditLog, |wb, _| {
            wb.audit_entries(1, 10).map(drop)
        }),
        ("verify_audit_log", Action::VerifyAuditLog, |wb, _| {
            wb.verify_audit_log().map(drop)
        }),
        ("link_graph", Action::AnalyseGraph, |wb, _| {
            wb.link_graph(&ccu_workbench::graph::GraphFilter::default())
                .map(drop)
        }),
        ("find_exposures", Action::AnalyseGraph, |wb, _| {
            wb.find_exposures(&ccu_workbench::graph::ExposureOptions::default())
                .map(drop)
        }),
        ("find_exposures_named", Action::AnalyseGraph, |wb, _| {
            wb.find_exposures_named(&ccu_workbench::graph::ExposureOptions::default())
                .map(drop)
        }),
        ("save_chart", Action::SaveChart, |wb, r| {
            wb.save_chart(&ccu_workbench::graph::SavedChart {
                name: "Synthetic chart".into(),
                placements: vec![ccu_workbench::graph::ChartPlacement {
                    id: r.nominal,
                    x: 1.0,
                    y: 2.0,
                    pinned: true,
                }],
                ..ccu_workbench::graph::SavedChart::default()
            })
        }),
        ("export_graphml", Action::ExportGraph, |wb, r| {
            wb.export_graphml(
                &ccu_workbench::graph::GraphFilter::default(),
                &r.dir.join("graph.graphml"),
            )
            .map(drop)
        }),
        // Intelligence items and their attachments.
        ("update_item", Action::RecordIntelligence, |wb, r| {
            let mut fields = item_fields(r.nominal);
            fields.narrative = "Edited synthetic narrative for the access matrix.".into();
            wb.update_item(&r.reference, &fields).map(drop)
        }),
        ("change_item_status", Action::RecordIntelligence, |wb, r| {
            wb.change_item_status(&r.reference, "assessed", "Synthetic assessment.")
                .map(drop)
        }),
        ("item_history", Action::ViewIntelligence, |wb, r| {
            wb.item_history(&r.reference).map(drop)
        }),
        ("intel_count", Action::ViewIntelligence, |wb, _| {
            wb.intel_count(&IntelQuery::default()).map(drop)
        }),
        ("intel_page", Action::ViewIntelligence, |wb, _| {
            wb.intel_page(&IntelQuery::default(), 0, 10).map(drop)
        }),
        ("nominal_names", Action::ViewNominals, |wb, r| {
            wb.nominal_names(&[r.nominal, r.employee]).map(drop)
        }),
        ("attach_file", Action::RecordIntelligence, |wb, r| {
            wb.attach_file(&r.reference, "extra.txt", b"synthetic extra note")
                .map(drop)
        }),
        (
            "attach_file_from_path",
            Action::RecordIntelligence,
            |wb, r| {
                // The user's own file, outside the workbench.
                let path = r.dir.join("note.txt");
                std::fs::write(&path, b"synthetic note from a file").unwrap();
                wb.attach_file_from_path(&r.reference, &path).map(drop)
            },
        ),
        ("attachments", Action::ViewIntelligence, |wb, r| {
            wb.attachments(&r.reference).map(drop)
        }),
        ("view_attachment", Action::ViewIntelligence, |wb, r| {
            wb.view_attachment(r.attachment).map(drop)
        }),
        // Nominals and links.
        ("update_nominal", Action::RecordNominals, |wb, r| {
            wb.update_nominal(r.kept, organisation("Kept Org Renamed Synthetic"))
                .map(drop)
        }),
        ("check_duplicates", Action::ViewNominals, |wb, _| {
            wb.check_duplicates(organisation("Kept Org Synthetic"))
                .map(drop)
        }),
        ("nominal_history", Action::ViewNominals, |wb, r| {
            wb.nominal_history(r.nominal).map(drop)
        }),
        ("create_link", Action::RecordNominals, |wb, r| {
            wb.create_link(&LinkFields {
                link_type: "associate".into(),
                from: r.kept,
                to: r.nominal,
                valid_from: None,
                valid_to: None,
                confidence: "possible".into(),
                provenance: vec![Provenance::IntelItem {
                    reference: r.reference.clone(),
                }],
            })
            .map(drop)
        }),
        // The NA register.
        (
            "change_notifiable_association",
            Action::RecordAssociations,
            |wb, r| {
                wb.change_notifiable_association(
                    r.association,
                    None,
                    &NaChange::Conditions {
                        conditions: "Synthetic new conditions.".into(),
                    },
                )
                .map(drop)
            },
        ),
        ("notifiable_associations", Action::ViewNominals, |wb, _| {
            wb.notifiable_associations(&NaFilter::default(), "2026-03-01".parse().unwrap())
                .map(drop)
        }),
        ("notifiable_association", Action::ViewNominals, |wb, r| {
            wb.notifiable_association(r.association, "2026-03-01".parse().unwrap())
                .map(drop)
        }),
        ("association_counts", Action::ViewNominals, |wb, _| {
            wb.association_counts().map(drop)
        }),
        (
            "association_counts_by_relationship",
            Action::ViewNominals,
            |wb, _| wb.association_counts_by_relationship().map(drop),
        ),
        (
            "remove_from_beacon_cohort",
            Action::RemoveFromBeaconCohort,
            |wb, r| wb.remove_from_beacon_cohort(r.employee, "Synthetic rationale."),
        ),
        (
            "record_iopc_decision",
            Action::RecordIopcDecision,
            |wb, r| {
                wb.record_iopc_decision(
                    r.employee,
                    &ccu_workbench::risk::IopcDecision {
                        referred: false,
                        decided_on: "2026-02-01".parse().unwrap(),
                        reason: "Synthetic reason.".into(),
                    },
                )
            },
        ),
        ("beacon_due", Action::ViewNominals, |wb, _| {
            wb.beacon_due().map(drop)
        }),
        ("beacon_screen", Action::CrossReference, |wb, _| {
            wb.beacon_screen(50).map(drop)
        }),
        ("open_beacon_finding", Action::CrossReference, |wb, r| {
            // The fixtures plant no finding: past the permission check, "no such finding".
            match wb.open_beacon_finding(&format!("lookups_after_closure-{}-1-0", r.employee.0)) {
                Err(WorkbenchError::Refused(_)) => Ok(()),
                other => other.map(drop),
            }
        }),
        ("beacon_suggestions", Action::Assess, |wb, r| {
            wb.beacon_suggestions(r.employee).map(drop)
        }),
        ("prioritise_item", Action::Assess, |wb, r| {
            let instrument = wb.instrument("intelligence_priority", None).unwrap();
            let answers: ccu_workbench::risk::Answers = instrument
                .factors()
                .iter()
                .filter(|f| !ccu_workbench::risk::GRADING_FACTORS.contains(&f.key.as_str()))
                .map(|f| (f.key.clone(), f.options[0].key.clone()))
                .collect();
            wb.prioritise_item(&r.reference, &answers, "Synthetic priority.", wb.today())
                .map(drop)
        }),
        ("item_priorities", Action::ViewIntelligence, |wb, r| {
            wb.item_priorities(&r.reference).map(drop)
        }),
        ("association_reviews", Action::ViewNominals, |wb, r| {
            wb.association_reviews(r.association).map(drop)
        }),
        // Risk assessments.
        ("assessments_of", Action::ViewNominals, |wb, r| {
            wb.assessments_of(r.nominal).map(drop)
        }),
        ("assessment", Action::ViewNominals, |wb, r| {
            wb.assessment(r.assessment).map(drop)
        }),
        ("rescore_assessment", Action::ViewNominals, |wb, r| {
            wb.rescore_assessment(r.assessment, 1).map(drop)
        }),
        ("beacon_cohort", Action::ViewNominals, |wb, _| {
            wb.beacon_cohort("2026-03-01".parse().unwrap()).map(drop)
        }),
        // Link analysis and charts.
        ("graph_query", Action::AnalyseGraph, |wb, r| {
            wb.graph_query(
                &GraphFilter::default(),
                &GraphQuestion::Path {
                    from: r.employee,
                    to: r.nominal,
                    follow_direction: false,
                },
            )
            .map(drop)
        }),
        ("record_exposure", Action::RecordIntelligence, |wb, r| {
            wb.record_exposure(
                &r.exposure,
                &ccu_workbench::graph::suggested_exposure_grading(),
            )
            .map(drop)
        }),
        ("item_graph_path", Action::ViewIntelligence, |wb, r| {
            wb.item_graph_path(&r.reference).map(drop)
        }),
        ("network_among", Action::AnalyseGraph, |wb, r| {
            wb.network_among(
                &ccu_workbench::graph::GraphFilter::default(),
                vec![r.employee, r.nominal],
            )
            .map(drop)
        }),
        ("open_chart", Action::AnalyseGraph, |wb, _| {
            wb.open_chart(MATRIX_CHART).map(drop)
        }),
        ("chart_names", Action::AnalyseGraph, |wb, _| {
            wb.chart_names().map(drop)
        }),
        ("delete_chart", Action::SaveChart, |wb, _| {
            wb.delete_chart(MATRIX_CHART)
        }),
        ("save_chart_around", Action::SaveChart, |wb, r| {
            wb.save_chart_around(
                "Matrix neighbourhood",
                r.employee,
                1,
                &ccu_workbench::graph::GraphFilter::default(),
            )
            .map(drop)
        }),
        ("chart_context", Action::AnalyseGraph, |wb, _| {
            wb.chart_context(ccu_workbench::domain::IsoDate::today_utc())
                .map(drop)
        }),
        ("export_drawn_chart", Action::ExportGraph, |wb, r| {
            let chart = ccu_workbench::graph::SavedChart {
                name: "picture".into(),
                placements: vec![
                    ccu_workbench::graph::ChartPlacement {
                        id: r.employee,
                        x: 0.0,
                        y: 0.0,
                        pinned: false,
                    },
                    ccu_workbench::graph::ChartPlacement {
                        id: r.nominal,
                        x: 10.0,
                        y: 5.0,
                        pinned: false,
                    },
                ],
                hidden: Vec::new(),
                filter: ccu_workbench::graph::GraphFilter::default(),
                highlighted: None,
                groups: vec![],
            };
            wb.export_drawn_chart(
                &chart,
                ccu_workbench::workbench::ChartFormat::Png { scale: 1 },
                &r.dir.join("exported.txt"),
            )
            .map(drop)
        }),
        // Imports and the cross-reference.
        ("import_specs", Action::ImportData, |wb, _| {
            wb.import_specs().map(drop)
        }),
        ("bulk_record_count", Action::ImportData, |wb, _| {
            wb.bulk_record_count(ImportKind::AuditEvents).map(drop)
        }),
        ("leads", Action::CrossReference, |wb, _| {
            wb.leads().map(drop)
        }),
        ("promote_lead", Action::RecordIntelligence, |wb, r| {
            wb.promote_lead(r.lead, &ccu_workbench::graph::suggested_exposure_grading())
                .map(drop)
        }),
        // Management interventions.
        ("interventions", Action::ViewIntelligence, |wb, _| {
            wb.interventions(None).map(drop)
        }),
        ("intervention", Action::ViewIntelligence, |wb, r| {
            wb.intervention(r.proposal).map(drop)
        }),
        ("intervention_counts", Action::ViewIntelligence, |wb, _| {
            wb.intervention_counts().map(drop)
        }),
        ("export_intervention", Action::ExportList, |wb, r| {
            wb.export_intervention(r.proposal, &r.dir.join("exported.txt"))
        }),
        // Reports.
        (
            "export_previewed_transferee_package",
            Action::ExportReport,
            |wb, r| {
                wb.export_previewed_transferee_package(
                    &r.preview,
                    &r.dir.join("exported.txt"),
                    ccu_workbench::workbench::Release {
                        recipient: "DCI Receiving Unit",
                        confirm_c_items: true,
                        include_left_out: false,
                    },
                )
            },
        ),
    ]
}

/// A workbench with one user of each role (all with `PASSWORD`), a target user, and records.
/// The chart `setup` saves, for the chart exports.
const MATRIX_CHART: &str = "Matrix chart";

fn setup(root: &Path) -> Records {
    let mut wb = Workbench::create(root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    for role in Role::ALL {
        wb.add_user(name_for(role), role, PASSWORD).unwrap();
    }
    wb.add_user(TARGET, Role::Detective, PASSWORD).unwrap();
    let nominal = wb
        .create_nominal(
            NominalDetails::Person {
                forenames: "Pat".into(),
                surname: "Synthetic".into(),
                aliases: vec![],
                date_of_birth: None,
                flags: PersonFlags::default(),
            },
            false,
        )
        .unwrap()
        .id;
    let employee = wb
        .create_nominal(common::employee("S000999", "Kim", "Matrix"), false)
        .unwrap()
        .id;
    let kept = wb
        .create_nominal(organisation("Kept Org Synthetic"), false)
        .unwrap()
        .id;
    let merged = wb
        .create_nominal(organisation("Merged Org Synthetic"), false)
        .unwrap()
        .id;
    let item = wb.create_item(&item_fields(nominal), None).unwrap();
    let attachment = wb
        .attach_file(&item.reference, "note.txt", b"synthetic note")
        .unwrap()
        .id;
    let assessed = wb.create_item(&item_fields(employee), None).unwrap();
    wb.change_item_status(&assessed.reference, "assessed", "Synthetic assessment.")
        .unwrap();
    wb.save_chart(&ccu_workbench::graph::SavedChart {
        name: MATRIX_CHART.into(),
        placements: [nominal, employee]
            .into_iter()
            .map(|id| ccu_workbench::graph::ChartPlacement {
                id,
                x: 10.0,
                y: 20.0,
                pinned: false,
            })
            .collect(),
        ..ccu_workbench::graph::SavedChart::default()
    })
    .unwrap();
    // What the consultations below need a purpose for.
    wb.set_purpose("OP-ACCESS-MATRIX-SETUP").unwrap();
    let associate = wb
        .create_nominal(
            common::person_born("Ash", "Associate", "1990-04-04", PersonFlags::default()),
            false,
        )
        .unwrap()
        .id;
    let association = wb
        .register_notifiable_association(&ccu_workbench::domain::NaDraft {
            employee,
            associate,
            category: "family".into(),
            origin: ccu_workbench::domain::NaOrigin::Declared,
            declared_on: "2026-01-05".parse().unwrap(),
            conditions: String::new(),
            assessment: None,
            review_due_on: None,
            relationship: None,
        })
        .unwrap()
        .id;
    let answers = first_answers(&mut wb);
    let assessment = wb
        .assess(
            "beacon",
            employee,
            &answers,
            "Synthetic rationale for the access matrix.",
            "2026-01-20".parse().unwrap(),
        )
        .unwrap()
        .id;
    let link = wb
        .create_link(&LinkFields {
            link_type: "associate".into(),
            from: employee,
            to: nominal,
            valid_from: None,
            valid_to: None,
            confidence: "possible".into(),
            provenance: vec![Provenance::IntelItem {
                reference: item.reference.clone(),
            }],
        })
        .unwrap()
        .id;
    let exposure = ExposureLead {
        employee,
        target: nominal,
        path: GraphPath {
            nodes: vec![employee, nominal],
            links: vec![link],
        },
        score: 1.0,
        reasons: vec!["Synthetic route for the access matrix.".into()],
        target_ocgs: vec![],
        target_kind: "criminal".into(),
    };
    let lead = planted_lead(&mut wb);
    // Last, so the preview holds everything the employee's package will.
    let preview = wb.transferee_package(employee).unwrap();
    wb.lock().unwrap();
    // Proposed by the target detective, whose account no inspector's was set up by, so every
    // inspector may be asked to decide it.
    let mut target = Workbench::unlock(root, TARGET, PASSWORD).unwrap();
    let proposal = target
        .propose_intervention(&intervention_proposal(employee, &assessed.reference))
        .unwrap()
        .id;
    target.lock().unwrap();
    Records {
        dir: root.parent().unwrap().to_path_buf(),
        reference: item.reference,
        nominal,
        employee,
        assessed: assessed.reference,
        proposal,
        kept,
        merged,
        attachment,
        association,
        assessment,
        lead,
        exposure,
        preview,
    }
}

/// The first option of every factor of the Beacon instrument.
fn first_answers(wb: &mut Workbench) -> ccu_workbench::risk::Answers {
    let instrument = wb.instrument("beacon", None).unwrap();
    instrument
        .factors()
        .iter()
        .map(|f| (f.key.clone(), f.options[0].key.clone()))
        .collect()
}

/// A cross-reference lead: the employee (`S000999`) looked up an OCG member in the force's
/// systems with no reason given.
fn planted_lead(wb: &mut Workbench) -> LeadId {
    wb.create_nominal(
        common::person_born(
            "Lee",
            "Marshfield",
            "1985-02-03",
            PersonFlags {
                ocg_member: true,
                ..PersonFlags::default()
            },
        ),
        false,
    )
    .unwrap();
    let spec = ccu_workbench::io::import_spec::shipped_spec(ImportKind::AuditEvents).unwrap();
    let text: &[u8] = b"Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n\
        01/03/2026 09:15:00,S000999,RMS,Marshfield,Lee,03/02/1985,,\n";
    wb.import_bulk(
        &spec,
        "audit.csv",
        text,
        None,
        ccu_workbench::workbench::ImportOptions::default(),
        &mut |_| std::ops::ControlFlow::Continue(()),
    )
    .unwrap();
    wb.cross_reference(&ccu_workbench::risk::crossref::CrossrefOptions::default())
        .unwrap();
    let leads = wb.leads().unwrap();
    assert!(!leads.is_empty(), "the planted look-up should be a lead");
    leads[0].id
}

/// A copy of the workbench folder `from` at `to` (the workbench is locked: its files are whole).
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// What a refused operation must not have changed: users, reference data versions, merges,
/// instrument versions, assessments.
fn state_seen_by_inspector(
    root: &Path,
    records: &Records,
) -> (Vec<User>, usize, bool, usize, usize) {
    let mut wb = Workbench::unlock(root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose("OP-ACCESS-MATRIX-CHECK").unwrap();
    let users = wb.users().unwrap();
    let versions = wb.reference_versions().unwrap().len();
    let merged = wb
        .view_nominal(records.merged)
        .unwrap()
        .nominal
        .merged_into
        .is_some();
    let instruments = wb.instruments().unwrap().len();
    let assessments = wb.assessments_of(records.nominal).unwrap().len();
    wb.lock().unwrap();
    (users, versions, merged, instruments, assessments)
}

#[test]
fn every_role_is_allowed_exactly_what_the_table_says() {
    // Every action in the table is exercised by at least one operation.
    for action in Action::ALL {
        assert!(
            operations().iter().any(|(_, needed, _)| *needed == action),
            "{action:?} has no operation in this test"
        );
    }
    // One set-up, copied afresh for every call: each operation acts on the same records.
    let template = tempfile::tempdir().unwrap();
    let template_root = template.path().join("matrix.ccuwb");
    let template_records = setup(&template_root);
    for role in Role::ALL {
        for (name, action, operation) in operations() {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("matrix.ccuwb");
            copy_folder(&template_root, &root);
            let records = Records {
                dir: dir.path().to_path_buf(),
                ..template_records.clone()
            };
            let state_before = state_seen_by_inspector(&root, &records);
            let slots_before = snapshot(&root.join("slots"));

            let mut wb = Workbench::unlock(&root, name_for(role), PASSWORD).unwrap();
            wb.set_purpose("OP-ACCESS-MATRIX").unwrap();
            let audit_before = wb.audit_head().unwrap();
            let result = operation(&mut wb, &records);
            let audit_after = wb.audit_head().unwrap();
            let last_entry = wb
                .store_for_tests()
                .audit_entries(audit_after.seq, 1)
                .unwrap()
                .pop()
                .unwrap();
            wb.lock().unwrap();

            if action.is_permitted_for(role) {
                assert!(result.is_ok(), "{role:?} {name}: {result:?}");
            } else {
                assert!(
                    matches!(result, Err(WorkbenchError::PermissionDenied { .. })),
                    "{role:?} {name}: {result:?}"
                );
                // A refusal writes one entry, the refusal itself, and changes nothing else.
                assert_eq!(audit_after.seq, audit_before.seq + 1, "{role:?} {name}");
                assert_eq!(last_entry.action, "permission.refused", "{role:?} {name}");
                assert!(
                    last_entry.detail.contains(action.describe()),
                    "{role:?} {name}: {}",
                    last_entry.detail
                );
                assert_eq!(
                    state_seen_by_inspector(&root, &records),
                    state_before,
                    "{role:?} {name}"
                );
                assert_eq!(
                    snapshot(&root.join("slots")),
                    slots_before,
                    "{role:?} {name}"
                );
                assert!(!dir.path().join("backup.ccuwb").exists(), "{role:?} {name}");
                assert!(!dir.path().join("exported.txt").exists(), "{role:?} {name}");
                assert!(
                    !dir.path().join("exported.html").exists(),
                    "{role:?} {name}"
                );
            }
        }
    }
}

#[test]
fn consultation_and_disclosure_need_a_purpose_even_for_an_inspector() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("purpose.ccuwb");
    let records = setup(&root);
    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    assert!(matches!(
        wb.audit_entries(1, 10),
        Err(WorkbenchError::PurposeRequired { .. })
    ));
    assert!(matches!(
        wb.backup(&dir.path().join("b.ccuwb")),
        Err(WorkbenchError::PurposeRequired { .. })
    ));
    assert!(!dir.path().join("b.ccuwb").exists());
    for refused in [
        wb.view_item(&records.reference).map(drop),
        wb.view_nominal(records.nominal).map(drop),
        wb.search(&SearchQuery {
            text: "synthetic".into(),
            ..SearchQuery::default()
        })
        .map(drop),
        wb.export_attachment(records.attachment, &dir.path().join("x.txt"))
            .map(drop),
    ] {
        assert!(matches!(
            refused,
            Err(WorkbenchError::PurposeRequired { .. })
        ));
    }
    assert!(!dir.path().join("x.txt").exists());
    assert!(wb.set_purpose("  ").is_err());
    wb.set_purpose("OP-PURPOSE").unwrap();
    let entries = wb.audit_entries(1, 1000).unwrap();
    let viewed = entries
        .iter()
        .rev()
        .find(|e| e.action == "audit.view")
        .unwrap();
    assert_eq!(viewed.justification, "OP-PURPOSE");
    wb.lock().unwrap();
}
