//! GUI test of management interventions with `egui_kittest`: a detective proposes one and has
//! no way to authorise it; an inspector logs in, is told it awaits a decision, authorises it
//! with a rationale and records the meeting.

use crate::common;
use crate::common::gui;

use crate::common::CHEAP;
use crate::common::gui::{click, main_screen, type_into, wait_until};

use ccu_workbench::Workbench;
use ccu_workbench::domain::{Grading, IntelItemFields, InterventionState, Role, Subject};
use ccu_workbench::ui::WorkbenchApp;
use egui::accesskit;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};

const INSPECTOR: &str = "DI Decider";
const DETECTIVE: &str = "DC Proposer";
const PASSWORD: &str = "shared password one";

/// A workbench with an inspector, a detective, an employee and an assessed item; returns the
/// item's reference.
fn fixture(root: &Path) -> String {
    let mut wb = Workbench::create(root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.add_user(DETECTIVE, Role::Detective, PASSWORD).unwrap();
    let subject = wb
        .create_nominal(common::employee("S880990", "Jo", "Quarrie"), false)
        .unwrap()
        .id;
    let item = wb
        .create_item(
            &IntelItemFields {
                received_on: "2026-05-05".parse().unwrap(),
                source_type: "supervisor".into(),
                narrative: "Synthetic report of an unsuitable association.".into(),
                grading: Grading {
                    source_evaluation: "2".into(),
                    intelligence_assessment: "C".into(),
                    handling_code: "P".into(),
                    handling_conditions: None,
                },
                legacy_grading: None,
                category: "inappropriate_association".into(),
                subcategory: None,
                subjects: vec![Subject {
                    nominal_id: subject,
                    role: "subject".into(),
                }],
                next_review_on: None,
            },
            None,
        )
        .unwrap();
    wb.change_item_status(&item.reference, "assessed", "Assessed.")
        .unwrap();
    wb.lock().unwrap();
    item.reference
}

fn signed_in(dir: &Path, root: PathBuf, user: &str) -> Harness<'static, WorkbenchApp> {
    let mut harness = gui::app_harness(
        &dir.join(format!("settings-{}", user.replace(' ', "-"))),
        Some(root),
        gui::ScriptedPicker::default(),
        (1400.0, 1600.0),
    );
    gui::run_settled(&mut harness);
    gui::unlock(&mut harness, user, PASSWORD);
    harness
}

fn set_purpose(harness: &mut Harness<'static, WorkbenchApp>) {
    gui::set_purpose(harness, "OP-GUI-INTERVENTION");
}

fn open_state(harness: &Harness<'_, WorkbenchApp>) -> Option<InterventionState> {
    main_screen(harness)
        .interventions
        .open
        .as_ref()
        .map(|v| v.intervention.state)
}

#[test]
fn a_detective_proposes_and_an_inspector_authorises_then_records_the_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("gui-interventions.ccuwb");
    let item = fixture(&root);

    // The detective proposes.
    let mut harness = signed_in(dir.path(), root.clone(), DETECTIVE);
    set_purpose(&mut harness);
    click(&mut harness, "Interventions");
    wait_until(&mut harness, "the list", |h| {
        main_screen(h).interventions.rows.is_some()
    });
    click(&mut harness, "Propose an intervention");
    type_into(&mut harness, "Find the employee", "Quarrie");
    wait_until(&mut harness, "the employee to be found", |h| {
        h.query_by_label_contains("Subject: PC Jo QUARRIE")
            .is_some()
    });
    harness
        .get_by_label_contains("Subject: PC Jo QUARRIE")
        .click();
    gui::run_settled(&mut harness);
    type_into(&mut harness, "Intelligence items", &item);
    harness
        .get_by_role_and_label(accesskit::Role::ComboBox, "Category")
        .click();
    gui::run_settled(&mut harness);
    click(&mut harness, "Inappropriate association");
    type_into(
        &mut harness,
        "Rationale",
        "Consistent but uncorroborated reports; early advice is proportionate.",
    );
    type_into(
        &mut harness,
        "Proposed attendees",
        "DS Synthetic, Insp Synthetic",
    );
    for wording in [
        "The intelligence has been fully assessed",
        "It cannot be corroborated or developed further",
        "Not subject to criminal proceedings",
        "Not subject to misconduct proceedings",
        "Not subject to the Service Confidence procedure",
    ] {
        click(&mut harness, &format!("Yes: {wording}"));
    }
    click(&mut harness, "Propose");
    wait_until(&mut harness, "the proposal to open", |h| {
        open_state(h) == Some(InterventionState::Proposed)
    });
    // The proposer has no authorise button at all, only the wait.
    assert!(harness.query_by_label("Authorise").is_none());
    assert!(harness.query_by_label("Decline").is_none());
    assert!(
        harness
            .query_by_label("Awaiting the decision of an inspector who did not propose it.")
            .is_some()
    );
    drop(harness);

    // A second proposal, made through the library, answers one precondition "no".
    {
        let mut wb = Workbench::unlock(&root, DETECTIVE, PASSWORD).unwrap();
        wb.set_purpose("OP-GUI-INTERVENTION").unwrap();
        let mut proposal = wb
            .intervention(ccu_workbench::domain::InterventionId(1))
            .unwrap()
            .intervention
            .proposal;
        proposal.preconditions.no_misconduct_proceedings = Some(false);
        wb.propose_intervention(&proposal).unwrap();
        wb.lock().unwrap();
    }

    // The inspector is told at login what awaits a decision.
    let mut harness = signed_in(dir.path(), root.clone(), INSPECTOR);
    wait_until(&mut harness, "the awaiting notice", |h| {
        main_screen(h).interventions.awaiting == Some(2)
    });
    assert!(
        harness
            .query_by_label_contains("2 management intervention(s) await your decision")
            .is_some()
    );
    set_purpose(&mut harness);
    click(&mut harness, "Interventions");
    wait_until(&mut harness, "the list", |h| {
        main_screen(h).interventions.rows.is_some()
    });
    assert!(harness.query_by_label("2 awaiting your decision").is_some());

    // The one with an unmet precondition cannot be authorised, and says why.
    click(&mut harness, "Open intervention 2");
    wait_until(&mut harness, "intervention 2 to open", |h| {
        open_state(h).is_some()
    });
    type_into(&mut harness, "Decision rationale", "Trying to authorise.");
    assert!(
        harness
            .query_by_label("Cannot be authorised: a precondition is not met.")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("the person is not subject to misconduct proceedings: NOT met")
            .is_some()
    );
    click(&mut harness, "Authorise");
    assert_eq!(open_state(&harness), Some(InterventionState::Proposed));
    click(&mut harness, "Back to the interventions");
    wait_until(&mut harness, "the list again", |h| {
        main_screen(h).interventions.rows.is_some()
    });

    // The first is authorised with a rationale.
    click(&mut harness, "Open intervention 1");
    wait_until(&mut harness, "the intervention to open", |h| {
        open_state(h).is_some()
    });
    // Without a rationale the decision cannot be sent.
    click(&mut harness, "Authorise");
    assert_eq!(open_state(&harness), Some(InterventionState::Proposed));
    type_into(
        &mut harness,
        "Decision rationale",
        "All preconditions met; proportionate and timely.",
    );
    click(&mut harness, "Authorise");
    wait_until(&mut harness, "the authorisation", |h| {
        open_state(h) == Some(InterventionState::Authorised)
    });

    type_into(&mut harness, "Attendees", "DS Synthetic");
    type_into(
        &mut harness,
        "What was said (sanitised)",
        "Reminded of the duty to declare associations.",
    );
    type_into(
        &mut harness,
        "The officer's response",
        "Accepted the advice.",
    );
    click(&mut harness, "Record the meeting");
    wait_until(&mut harness, "the meeting to be recorded", |h| {
        open_state(h) == Some(InterventionState::MeetingHeld)
    });
    drop(harness);

    // The library agrees: decided by the inspector, meeting recorded, each step audited.
    let mut wb = Workbench::unlock(&root, INSPECTOR, PASSWORD).unwrap();
    wb.set_purpose("OP-GUI-INTERVENTION check").unwrap();
    let views = wb.interventions(None).unwrap();
    assert_eq!(views.len(), 2);
    let i = &wb
        .intervention(ccu_workbench::domain::InterventionId(1))
        .unwrap()
        .intervention;
    assert_eq!(i.state, InterventionState::MeetingHeld);
    assert_eq!(
        i.decision_rationale.as_deref(),
        Some("All preconditions met; proportionate and timely.")
    );
    assert_ne!(i.decided_by, Some(i.proposed_by));
    assert_eq!(
        i.meeting.as_ref().map(|m| m.summary.as_str()),
        Some("Reminded of the duty to declare associations.")
    );
    let steps = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "intervention.step")
        .count();
    assert_eq!(steps, 2);
    assert!(wb.verify_audit_log().unwrap().is_intact());
}
