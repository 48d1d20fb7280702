//! GUI test of the Reports area with `egui_kittest` (issue 8): assess a period of the demo,
//! see its figures and charts, open the export preview, read what will leave, cancel (nothing
//! written), then export through the preview to the chosen file, recorded as a disclosure.

use crate::common::gui;

use crate::common::CHEAP;
use crate::common::gui::{click, main_screen, type_into, wait_until};

use ccu_workbench::Workbench;
use ccu_workbench::demo::DemoScale;
use ccu_workbench::workbench::DemoSpec;
use egui_kittest::kittest::Queryable;

const ADMIN: &str = "DI Reports";
const PASSWORD: &str = "reports pass phrase";

#[test]
fn the_threat_assessment_shows_its_figures_and_exports_through_a_preview() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("reports.ccuwb");
    let spec = DemoSpec {
        admin_name: ADMIN,
        password: PASSWORD,
        kdf: CHEAP,
        scale: DemoScale::Small,
        seed: 3,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (wb, _) = Workbench::create_demo(&root, &spec, &mut |_| {}, &cancel).unwrap();
    wb.lock().unwrap();

    let out = dir.path().join("report.html");
    let picker = gui::ScriptedPicker {
        export_destination: Some(out.clone()),
        ..gui::ScriptedPicker::default()
    };
    let mut harness = gui::app_harness(
        &dir.path().join("settings"),
        Some(root.clone()),
        picker,
        (1400.0, 1600.0),
    );
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, ADMIN, PASSWORD, "OP-GUI-REPORTS");

    click(&mut harness, "Reports");
    // The period defaults to the last year, which holds the demo's latest intelligence.
    click(&mut harness, "Assess");
    wait_until(&mut harness, "the assessment", |h| {
        main_screen(h).reports.assessment.is_some()
    });
    let total = main_screen(&harness)
        .reports
        .assessment
        .as_ref()
        .unwrap()
        .current
        .total;
    assert!(total > 0);
    assert!(
        harness
            .query_by_label_contains(&format!("{total} item(s) received"))
            .is_some()
    );
    assert!(
        harness
            .query_by_label("Intelligence by national category")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("Most pressing exposure leads")
            .is_some()
    );

    // The preview says what will leave; cancelling writes nothing.
    click(&mut harness, "Export the report…");
    assert!(
        harness
            .query_by_label("What will leave the workbench")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains(&format!("Counts of {total} item(s) in the period"))
            .is_some()
    );
    // Issue 20, correction 7: the sanitised edition by default, which names nobody.
    assert!(harness.query_by_label_contains("No names: ").is_some());
    assert_eq!(
        harness
            .query_all_by_label_contains("SANITISED EDITION for publication")
            .count(),
        2,
        "the assessment and its export preview each say which edition"
    );
    click(&mut harness, "Cancel");
    assert!(
        harness
            .query_by_label("What will leave the workbench")
            .is_none()
    );
    assert!(!out.exists());

    // An inspector may choose the restricted edition, which names people.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Edition")
        .click();
    gui::run_settled(&mut harness);
    harness.get_by_label("Restricted (names people)").click();
    gui::run_settled(&mut harness);
    click(&mut harness, "Assess");
    wait_until(&mut harness, "the restricted assessment", |h| {
        main_screen(h).reports.assessment.as_ref().is_some_and(|a| {
            a.edition == ccu_workbench::risk::threat_assessment::Edition::Restricted
        })
    });
    click(&mut harness, "Export the report…");
    assert!(
        harness
            .query_by_label_contains("exposure lead(s), each naming")
            .is_some()
    );

    // Through the preview to the chosen file.
    click(&mut harness, "Choose where to save…");
    wait_until(&mut harness, "the report to be written", |_| out.exists());
    wait_until(&mut harness, "the export to be confirmed", |h| {
        main_screen(h)
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("recorded as a disclosure"))
    });
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains(&format!("<strong>{total}</strong>")));
    assert!(html.contains("<svg "));

    // The PIB pack goes to the same chosen file once the report has been moved away.
    std::fs::remove_file(&out).unwrap();
    click(&mut harness, "Export the PIB pack…");
    wait_until(&mut harness, "the PIB pack to be written", |_| out.exists());
    let pack = std::fs::read_to_string(&out).unwrap();
    assert!(pack.contains("People Intelligence Board pack"));
    assert!(pack.contains("Changes since the last board"));

    // The control strategy, edited row by row and saved through the session thread: what
    // comes back is read again from the store.
    click(&mut harness, "The control strategy table");
    wait_until(&mut harness, "the control strategy to be read", |h| {
        main_screen(h).reports.strategy.stored.is_some()
    });
    click(&mut harness, "Edit the control strategy");
    // The demo ships three rows; a fourth is added after them.
    let shipped = main_screen(&harness)
        .reports
        .strategy
        .stored
        .as_ref()
        .unwrap()
        .len();
    assert_eq!(shipped, 3);
    click(&mut harness, "Add a row");
    type_into(&mut harness, "Priority 4", "Sexual predatory behaviour");
    type_into(
        &mut harness,
        "Prevention 4",
        "Publication of lessons learned",
    );
    click(&mut harness, "Save the control strategy");
    wait_until(&mut harness, "the control strategy to be saved", |h| {
        main_screen(h).reports.strategy.editing.is_none()
    });
    let stored = main_screen(&harness)
        .reports
        .strategy
        .stored
        .clone()
        .unwrap();
    assert_eq!(stored.len(), 4);
    assert_eq!(stored[3].priority, "Sexual predatory behaviour");
    assert_eq!(stored[3].prevention, "Publication of lessons learned");
    assert!(
        harness
            .query_by_label("Publication of lessons learned")
            .is_some()
    );
}
