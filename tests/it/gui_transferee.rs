//! GUI test of the transferee information package in the Reports area with `egui_kittest`:
//! find an employee of the demo by staff number, preview the package and read what will leave
//! (the employee, each section's count and each item's handling code, a code C item with its
//! conditions), as the library gathers it; cancel (nothing written); then export through the
//! preview to the chosen file, recorded in the audit log as a disclosure.

use crate::common::gui;

use crate::common::CHEAP;
use crate::common::gui::{click, main_screen, type_into, wait_until};

use ccu_workbench::Workbench;
use ccu_workbench::demo::DemoScale;
use ccu_workbench::domain::{
    Grading, IntelItemFields, IntelQuery, NominalDetails, NominalId, NominalKind, Subject,
    TransfereePackage,
};
use ccu_workbench::workbench::DemoSpec;
use egui_kittest::kittest::Queryable;

const ADMIN: &str = "DI Transferee";
const PASSWORD: &str = "transferee pass phrase";
const PURPOSE: &str = "OP-GUI-TRANSFEREE";

/// How much of a package there is to check: sections that hold something, then items.
fn richness(package: &TransfereePackage) -> (usize, usize) {
    let sections = [
        package.performance.len(),
        package.sickness.len(),
        package.complaints.len(),
        package.business_interests.len(),
        package.associations.len(),
        package.intelligence.len(),
    ];
    (
        sections.iter().filter(|&&n| n > 0).count(),
        package.intelligence.len(),
    )
}

/// The employee of the demo with the fullest package among those who are the subject of a
/// handling-code C item, found through the library; if the demo has none, one is given such
/// an item.
fn employee_with_a_c_item(wb: &mut Workbench, fallback: NominalId) -> NominalId {
    let query = IntelQuery {
        handling_code: Some("C".into()),
        ..IntelQuery::default()
    };
    let mut best: Option<((usize, usize), NominalId)> = None;
    for row in wb.intel_page(&query, 0, 40).unwrap() {
        let item = wb.view_item(&row.reference).unwrap();
        for subject in &item.fields.subjects {
            let kind = wb
                .view_nominal(subject.nominal_id)
                .unwrap()
                .nominal
                .details
                .kind();
            if kind == NominalKind::Employee {
                let package = wb.transferee_package(subject.nominal_id).unwrap();
                let found = (richness(&package), subject.nominal_id);
                if best.is_none_or(|best| found.0 > best.0) {
                    best = Some(found);
                }
            }
        }
    }
    if let Some((_, employee)) = best {
        return employee;
    }
    wb.create_item(
        &IntelItemFields {
            received_on: "2026-03-14".parse().unwrap(),
            source_type: "confidential_line".into(),
            narrative: "Synthetic conditioned narrative for the transferee test.".into(),
            grading: Grading {
                source_evaluation: "2".into(),
                intelligence_assessment: "B".into(),
                handling_code: "C".into(),
                handling_conditions: Some("Receiving CCU only".into()),
            },
            legacy_grading: None,
            category: "disclosure".into(),
            subcategory: None,
            subjects: vec![Subject {
                nominal_id: fallback,
                role: "subject".into(),
            }],
            next_review_on: None,
        },
        None,
    )
    .unwrap();
    fallback
}

fn staff_number(package: &TransfereePackage) -> String {
    match &package.employee.details {
        NominalDetails::Employee { staff_number, .. } => staff_number.clone(),
        other => panic!("not an employee: {:?}", other.kind()),
    }
}

#[test]
fn the_transferee_package_is_previewed_as_the_library_gathers_it_and_exported_through_the_preview()
{
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("transferee.ccuwb");
    let spec = DemoSpec {
        admin_name: ADMIN,
        password: PASSWORD,
        kdf: CHEAP,
        scale: DemoScale::Small,
        seed: 3,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (mut wb, answers) = Workbench::create_demo(&root, &spec, &mut |_| {}, &cancel).unwrap();
    // What the package holds, gathered by the library before the GUI starts.
    wb.set_purpose("OP-GUI-TRANSFEREE fixture").unwrap();
    let employee = employee_with_a_c_item(&mut wb, answers.beacon_subjects[0]);
    let expected = wb.transferee_package(employee).unwrap();
    wb.lock().unwrap();
    let name = expected.employee.details.display_name();
    let staff = staff_number(&expected);
    let c_item = expected
        .intelligence
        .iter()
        .find(|item| item.fields.grading.handling_code == "C")
        .unwrap();
    let conditions = c_item.fields.grading.handling_conditions.clone().unwrap();

    let out = dir.path().join("package.html");
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
    gui::sign_in(&mut harness, ADMIN, PASSWORD, PURPOSE);

    // Find the employee by staff number; only employees are offered.
    click(&mut harness, "Reports");
    click(&mut harness, "Transferee package");
    type_into(&mut harness, "Find the transferring employee", &staff);
    wait_until(&mut harness, "the employee to be found", |h| {
        !main_screen(h).reports.transferee.hits.is_empty()
    });
    click(&mut harness, &format!("Transferee: {name}"));
    assert_eq!(
        main_screen(&harness)
            .reports
            .transferee
            .employee
            .as_ref()
            .map(|(id, _)| *id),
        Some(employee)
    );

    // The preview shows what will leave: the employee, each section's count, each item's
    // handling code, and the C item's conditions.
    click(&mut harness, "Preview transferee package");
    wait_until(&mut harness, "the preview", |h| {
        main_screen(h).reports.transferee.preview.is_some()
    });
    assert!(
        harness
            .query_by_label("What the transferee package will disclose")
            .is_some()
    );
    assert!(
        harness
            .query_by_label(&format!("Employee: {name}"))
            .is_some()
    );
    for (section, count) in [
        ("Performance reviews", expected.performance.len()),
        ("Sickness absences", expected.sickness.len()),
        ("Complaints", expected.complaints.len()),
        (
            "Business interests and second jobs",
            expected.business_interests.len(),
        ),
        ("Notifiable associations", expected.associations.len()),
    ] {
        assert!(
            harness
                .query_by_label(&format!("{section}: {count}"))
                .is_some(),
            "{section}: {count}"
        );
    }
    assert!(
        harness
            .query_by_label(&format!(
                "Intelligence items (as a subject): {}. {}",
                expected.intelligence.len(),
                expected.left_out.describe()
            ))
            .is_some()
    );
    for item in &expected.intelligence {
        let code = &item.fields.grading.handling_code;
        assert!(
            harness
                .query_by_label(&format!("{}: handling code {code}", item.reference))
                .is_some(),
            "{} {code}",
            item.reference
        );
    }
    // Several C items may share their conditions: any label that says them will do.
    assert!(
        harness
            .query_all_by_label(&format!("Conditions (C): {conditions}"))
            .next()
            .is_some()
    );

    // Cancel writes nothing and closes the preview.
    click(&mut harness, "Cancel");
    assert!(main_screen(&harness).reports.transferee.preview.is_none());
    assert!(
        harness
            .query_by_label("What the transferee package will disclose")
            .is_none()
    );
    assert!(!out.exists());

    // Through the preview to the chosen file.
    click(&mut harness, "Preview transferee package");
    wait_until(&mut harness, "the preview again", |h| {
        main_screen(h).reports.transferee.preview.is_some()
    });
    // The export waits for the recipient (and the C items' confirmation, when there are any).
    {
        use egui_kittest::kittest::NodeT;
        assert!(
            harness
                .get_by_label("Export transferee package…")
                .accesskit_node()
                .is_disabled()
        );
    }
    type_into(&mut harness, "Recipient", "DCI Receiving Unit");
    if let Some(confirm) = harness.query_by_label_contains("have handling code C") {
        confirm.click();
        crate::common::gui::run_settled(&mut harness);
    }
    click(&mut harness, "Export transferee package…");
    wait_until(&mut harness, "the package to be written", |_| out.exists());
    wait_until(&mut harness, "the export to be confirmed", |h| {
        main_screen(h)
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("recorded as a disclosure"))
    });
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains(&staff));
    assert!(html.contains(&c_item.reference));
    drop(harness);

    // The audit log: two previews and one export of this employee, with the GUI's purpose.
    let mut wb = Workbench::unlock(&root, ADMIN, PASSWORD).unwrap();
    wb.set_purpose("OP-GUI-TRANSFEREE check").unwrap();
    let object = format!("nominal:{employee}");
    let entries: Vec<_> = wb
        .audit_entries(1, 10_000_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.justification == PURPOSE && e.object == object)
        .collect();
    let count = |action: &str| entries.iter().filter(|e| e.action == action).count();
    assert_eq!(count("report.preview"), 2);
    assert_eq!(count("report.export"), 1);
}

/// Issue 20, correction 4, in the GUI: an inspector may include the items a package leaves out by
/// default, and the preview says so; a detective is not offered the switch.
#[test]
fn an_inspector_may_include_the_items_left_out_and_the_preview_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("left-out.ccuwb");
    let mut wb = Workbench::create(&root, ADMIN, PASSWORD, CHEAP).unwrap();
    wb.set_purpose("OP-LEFT-OUT fixture").unwrap();
    let officer = wb
        .create_nominal(crate::common::employee("S480001", "Lee", "Leftout"), false)
        .unwrap()
        .id;
    let mut false_report = crate::common::item_fields(officer, "Suspected false report.");
    false_report.grading.intelligence_assessment = "E".into();
    wb.create_item(&false_report, None).unwrap();
    wb.add_user(
        "DC Leftout Synthetic",
        ccu_workbench::domain::Role::Detective,
        PASSWORD,
    )
    .unwrap();
    wb.lock().unwrap();

    let open_section = |user: &str| {
        let mut harness = gui::app_harness(
            &dir.path().join("settings"),
            Some(root.clone()),
            gui::ScriptedPicker::default(),
            (1400.0, 1200.0),
        );
        gui::run_settled(&mut harness);
        gui::sign_in(&mut harness, user, PASSWORD, PURPOSE);
        gui::navigate(&mut harness, "Reports");
        click(&mut harness, "Transferee package");
        harness
    };
    let include =
        "Include the items left out by default (assessed E, or closed with no further action)";
    let harness = open_section("DC Leftout Synthetic");
    assert!(harness.query_by_label(include).is_none());
    drop(harness);

    let mut harness = open_section(ADMIN);
    type_into(&mut harness, "Find the transferring employee", "S480001");
    wait_until(&mut harness, "the employee to be found", |h| {
        !main_screen(h).reports.transferee.hits.is_empty()
    });
    click(&mut harness, "Transferee: PC Lee LEFTOUT (S480001)");
    click(&mut harness, include);
    click(&mut harness, "Preview transferee package");
    wait_until(&mut harness, "the preview", |h| {
        main_screen(h).reports.transferee.preview.is_some()
    });
    assert!(
        harness
            .query_by_label_contains("Included at an inspector's request: 1 item(s) assessed E")
            .is_some()
    );
}
