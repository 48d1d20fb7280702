//! The analyst's text of the threat assessment in the Reports area (issue 25, part 4), driven
//! by label with `egui_kittest`: the demo's period opens with its text; the analyst edits it
//! (a new key judgement, the threats re-ranked), saves it as version 2, and sees it in the
//! report with the earlier version still readable; the library holds what was typed. A detective
//! reads the text but is offered no editor. A snapshot of the editor is committed.

use crate::common::CHEAP;
use crate::common::gui::{self, click, main_screen, type_into, wait_until};
use ccu_workbench::Workbench;
use ccu_workbench::demo::DemoScale;
use ccu_workbench::ui::Screen;
use ccu_workbench::workbench::DemoSpec;
use egui_kittest::SnapshotOptions;
use egui_kittest::kittest::Queryable;

const ADMIN: &str = "DI Writing";
const PASSWORD: &str = "writing pass phrase";

fn demo(root: &std::path::Path) {
    let spec = DemoSpec {
        admin_name: ADMIN,
        password: PASSWORD,
        kdf: CHEAP,
        scale: DemoScale::Small,
        seed: 4,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (wb, _) = Workbench::create_demo(root, &spec, &mut |_| {}, &cancel).unwrap();
    wb.lock().unwrap();
}

#[test]
fn an_analyst_edits_the_text_saves_a_version_and_reads_it_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("writing.ccuwb");
    demo(&root);
    let mut harness = gui::app_harness(
        &dir.path().join("settings"),
        Some(root.clone()),
        gui::ScriptedPicker::default(),
        (1280.0, 1000.0),
    );
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, "Analyst Demo", PASSWORD, "OP-GUI-WRITING");
    click(&mut harness, "Reports");
    // The period defaults to the year to today: the one the demo wrote its text for.
    click(&mut harness, "Assess");
    wait_until(&mut harness, "the assessment", |h| {
        main_screen(h).reports.assessment.is_some()
    });
    assert!(harness.query_by_label("Executive summary").is_some());
    assert!(
        harness
            .query_by_label_contains("The main threat to the force from corruption")
            .is_some()
    );
    // The sanitised edition (the default) names no one, its writer included.
    assert!(
        harness
            .query_by_label_contains("Version 1, saved")
            .is_some()
    );
    assert!(harness.query_by_label("1. Abuse of authority").is_some());

    click(&mut harness, "Edit the analyst's text (version 1)");
    assert!(
        harness.query_by_label_contains("write no names").is_some(),
        "the editor warns that the text is published"
    );
    click(&mut harness, "Add a key judgement");
    type_into(
        &mut harness,
        "Key judgement 5",
        "Synthetic judgement typed in the editor.",
    );
    // Disclosure moves up from fourth to third.
    click(&mut harness, "Remove key judgement 1");
    click(&mut harness, "Move priority 4 up");
    if let Screen::Main(main) = harness.state_mut().screen_mut() {
        let draft = main.reports.text_editor.editing.as_mut().unwrap();
        // The picture's period is fixed, whatever day the test runs.
        draft.from = "2025-12-04".parse().unwrap();
        draft.to = "2026-12-03".parse().unwrap();
        // The audit head's hash covers the entries' times.
        main.session.head.hash = ccu_workbench::domain::AuditHash([0xab; 32]);
    }
    gui::run_settled(&mut harness);
    harness.snapshot_options(
        "assessment_text_editor",
        &SnapshotOptions::new().max_failed_pixels(400),
    );
    if let Screen::Main(main) = harness.state_mut().screen_mut() {
        let assessment = main.reports.assessment.as_ref().unwrap();
        let draft = main.reports.text_editor.editing.as_mut().unwrap();
        draft.from = assessment.from;
        draft.to = assessment.to;
    }
    click(&mut harness, "Save the analyst's text");
    wait_until(&mut harness, "the save", |h| {
        main_screen(h)
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("Version 2 of the analyst's text"))
    });
    assert!(main_screen(&harness).reports.text_editor.editing.is_none());
    assert!(
        harness
            .query_by_label_contains("Version 2, saved")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("Synthetic judgement typed in the editor.")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("3. Disclosure of information")
            .is_some()
    );
    click(&mut harness, "Earlier versions of the text");
    wait_until(&mut harness, "the versions", |h| {
        main_screen(h).reports.text_editor.history.is_some()
    });
    assert!(
        harness
            .query_by_label_contains("Version 1 by DI Writing, saved")
            .is_some()
    );

    // The library holds what was typed, in the new order.
    let (from, to) = {
        let a = main_screen(&harness).reports.assessment.as_ref().unwrap();
        (a.from, a.to)
    };
    drop(harness);
    let mut wb = Workbench::unlock(&root, ADMIN, PASSWORD).unwrap();
    wb.set_purpose("OP-GUI-WRITING").unwrap();
    let versions = wb.assessment_text_versions(from, to).unwrap();
    assert_eq!(versions[0].version, 2);
    let text = &versions[0].text;
    assert_eq!(
        text.key_judgements.last().unwrap(),
        "Synthetic judgement typed in the editor."
    );
    assert_eq!(text.key_judgements.len(), 4);
    let ranked: Vec<&str> = text.threats.iter().map(|t| t.category.as_str()).collect();
    assert_eq!(
        ranked,
        [
            "abuse_of_authority",
            "inappropriate_association",
            "disclosure",
            "misuse_of_systems"
        ]
    );
}

#[test]
fn a_detective_reads_the_text_but_is_offered_no_editor() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("reading.ccuwb");
    demo(&root);
    let mut harness = gui::app_harness(
        &dir.path().join("settings"),
        Some(root),
        gui::ScriptedPicker::default(),
        (1280.0, 1000.0),
    );
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, "DC Demo", PASSWORD, "OP-GUI-READING");
    click(&mut harness, "Reports");
    click(&mut harness, "Assess");
    wait_until(&mut harness, "the assessment", |h| {
        main_screen(h).reports.assessment.is_some()
    });
    assert!(harness.query_by_label("Key judgements").is_some());
    assert!(
        harness
            .query_by_label_contains("Edit the analyst's text")
            .is_none()
    );
}
