//! GUI tests of the Imports area with `egui_kittest`: the wizard previews a chosen file,
//! refuses a mapping that leaves a required field out, dry runs (nothing changes), imports
//! with the shipped spec; then the cross-reference finds the planted look-up, shows its
//! explanation, and promotes it to an intelligence item.

use crate::common;
use crate::common::gui;

use crate::common::CHEAP;
use crate::common::gui::{click, main_screen, type_into, wait_until};

use ccu_workbench::Workbench;
use ccu_workbench::domain::{ImportKind, PersonFlags};
use ccu_workbench::ui::{SpecSource, WorkbenchApp};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

const INSPECTOR: &str = "DI Imports";
const PASSWORD: &str = "inspector password one";

/// Two officers, an OCG member, and an audit export in which one officer looks the member up
/// without a reason code, the other with one (and someone unknown looks up someone unknown).
fn fixture(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("gui-imports.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.create_nominal(common::employee("AB1", "Sam", "Quill"), false)
        .unwrap();
    wb.create_nominal(common::employee("AB2", "Jo", "Reed"), false)
        .unwrap();
    let ocg_member = PersonFlags {
        ocg_member: true,
        ..PersonFlags::default()
    };
    wb.create_nominal(
        common::person_born("Lee", "Marsh", "1985-02-03", ocg_member),
        false,
    )
    .unwrap();
    wb.lock().unwrap();
    std::fs::write(
        dir.join("audit.csv"),
        "Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n\
         01/03/2026 09:15:00,AB1,RMS,Marsh,Lee,03/02/1985,,\n\
         01/03/2026 09:20:00,ZZ9,PNC,Nobody,Known,01/01/1970,,INV\n\
         01/03/2026 09:25:00,AB2,RMS,Marsh,Lee,03/02/1985,,INV\n",
    )
    .unwrap();
    root
}

fn open_imports(dir: &Path) -> Harness<'static, WorkbenchApp> {
    let root = fixture(dir);
    let picker = gui::ScriptedPicker {
        import_file: Some(dir.join("audit.csv")),
        ..gui::ScriptedPicker::default()
    };
    let mut harness = gui::app_harness(&dir.join("settings"), Some(root), picker, (1500.0, 1300.0));
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-IMPORTS");
    click(&mut harness, "Imports");
    harness
}

#[test]
fn a_file_is_previewed_dry_run_imported_and_its_lead_promoted() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_imports(dir.path());
    assert_eq!(
        main_screen(&harness).imports.wizard.kind,
        ImportKind::AuditEvents
    );
    click(&mut harness, "Choose file…");
    wait_until(&mut harness, "the preview", |h| {
        main_screen(h).imports.wizard.preview.is_some()
    });
    assert!(harness.query_by_label("First 3 row(s)").is_some());
    assert!(harness.query_by_label("Subject Forenames").is_some());

    // Mapped here, the columns are filled from the header; one required field taken out is
    // refused before anything runs.
    click(&mut harness, "Map columns here");
    assert_eq!(
        main_screen(&harness).imports.wizard.source,
        SpecSource::Mapped
    );
    let mapped = &main_screen(&harness).imports.wizard.mapping;
    assert_eq!(mapped[1].column, "User ID", "{mapped:?}");
    click(&mut harness, "Column for staff_number");
    click(&mut harness, "(not mapped)");
    assert!(
        main_screen(&harness).imports.wizard.mapping[1]
            .column
            .is_empty()
    );
    click(&mut harness, "Check the spec");
    assert!(
        harness
            .query_by_label_contains("needs field staff_number")
            .is_some()
    );

    // The shipped spec: a dry run changes nothing, then the import.
    click(&mut harness, "Shipped spec");
    click(&mut harness, "Dry run");
    wait_until(&mut harness, "the dry run", |h| {
        main_screen(h).imports.wizard.report.is_some()
    });
    assert!(
        harness
            .query_by_label_contains("Dry run: 3 of 3 row(s) would be imported")
            .is_some()
    );
    click(&mut harness, "Import");
    wait_until(&mut harness, "the import", |h| {
        main_screen(h)
            .imports
            .wizard
            .report
            .as_ref()
            .is_some_and(|r| !r.dry_run)
    });
    assert!(
        harness
            .query_by_label_contains("Imported 3 of 3 row(s) as import")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("2 staff, 2 subjects")
            .is_some()
    );
    // Importing the same file again is refused, and says why.
    click(&mut harness, "Import");
    wait_until(&mut harness, "the refusal", |h| {
        main_screen(h).imports.wizard.error.is_some()
    });
    assert!(
        harness
            .query_by_label_contains("already imported")
            .is_some()
    );

    // Leads: run, read the explanation, promote.
    click(&mut harness, "Cross-reference leads");
    click(&mut harness, "Run cross-reference");
    wait_until(&mut harness, "the leads", |h| {
        main_screen(h)
            .imports
            .leads
            .rows
            .as_ref()
            .is_some_and(|rows| rows.len() == 1)
    });
    // Issue 21: what fell below the threshold is listed, greyed, under the leads.
    assert!(
        harness
            .query_by_label_contains("(below the threshold, not kept)")
            .is_some()
    );
    assert_eq!(main_screen(&harness).imports.leads.below.len(), 1);
    // A lower threshold keeps it too.
    click(&mut harness, "Threshold (score)");
    harness.key_press(egui::Key::End);
    harness.key_press(egui::Key::Backspace);
    harness.key_press(egui::Key::Backspace);
    type_into(&mut harness, "Threshold (score)", "20");
    assert_eq!(main_screen(&harness).imports.leads.threshold, "20");
    click(&mut harness, "Run cross-reference");
    wait_until(&mut harness, "the leads at 20", |h| {
        main_screen(h)
            .imports
            .leads
            .rows
            .as_ref()
            .is_some_and(|rows| rows.len() == 2)
    });
    assert!(main_screen(&harness).imports.leads.below.is_empty());
    // The first row is the lead found before (the other, now kept, scored lower).
    harness
        .get_all_by_label_contains("looked up")
        .next()
        .unwrap()
        .click();
    gui::run_settled(&mut harness);
    assert!(
        harness
            .query_by_label("1 look-up(s) gave no reason code.")
            .is_some()
    );
    // Issue 20, correction 6: promoting asks for the grading, the suggestion prefilled.
    click(&mut harness, "Promote to intelligence");
    assert!(
        harness
            .query_by_label(
                "Suggested for this kind of lead: 1B P. Change it as you judge the intelligence."
            )
            .is_some()
    );
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Handling code")
        .click();
    gui::run_settled(&mut harness);
    harness
        .get_by_label("Lawful sharing permitted subject to conditions")
        .click();
    gui::run_settled(&mut harness);
    type_into(&mut harness, "Handling conditions", "Not to leave the CCU");
    click(&mut harness, "Record as intelligence");
    wait_until(&mut harness, "the promotion", |h| {
        main_screen(h)
            .imports
            .leads
            .notice
            .as_ref()
            .is_some_and(|n| n.contains("recorded as CCU/"))
    });
    wait_until(&mut harness, "the leads again", |h| {
        main_screen(h)
            .imports
            .leads
            .rows
            .as_ref()
            .is_some_and(|rows| rows[0].promoted_item.is_some())
    });
    assert!(
        harness
            .query_by_label("Already recorded as an intelligence item.")
            .is_some()
    );
}

/// Issue 21: a person list whose people carry the records system's ids, mapped in the wizard.
/// The external id column needs the system it comes from; with it the spec checks, the import
/// records the ids, and the person's profile shows them.
#[test]
fn a_person_list_mapped_in_the_wizard_keeps_its_system_ids_on_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("gui-ids.ccuwb");
    Workbench::create(&root, INSPECTOR, PASSWORD, CHEAP)
        .unwrap()
        .lock()
        .unwrap();
    std::fs::write(
        dir.path().join("persons.csv"),
        "nominal_kind,external_id,forenames,surname,date_of_birth\r\n\
         person,P000187,Lee,Marsh,1985-02-03\r\n\
         person,P000188,Kim,Vale,1990-07-21\r\n",
    )
    .unwrap();
    let picker = gui::ScriptedPicker {
        import_file: Some(dir.path().join("persons.csv")),
        ..gui::ScriptedPicker::default()
    };
    let mut harness = gui::app_harness(
        &dir.path().join("settings"),
        Some(root),
        picker,
        (1500.0, 1300.0),
    );
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-IDS");
    click(&mut harness, "Imports");
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Record kind")
        .click();
    gui::run_settled(&mut harness);
    click(
        &mut harness,
        "Nominals: staff, people, OCGs, organisations, phones",
    );
    assert_eq!(
        main_screen(&harness).imports.wizard.kind,
        ImportKind::Nominals
    );
    click(&mut harness, "Choose file…");
    wait_until(&mut harness, "the preview", |h| {
        main_screen(h).imports.wizard.preview.is_some()
    });
    click(&mut harness, "Map columns here");
    assert_eq!(
        main_screen(&harness)
            .imports
            .wizard
            .mapping
            .iter()
            .find(|m| m.field == "external_id")
            .map(|m| m.column.as_str()),
        Some("external_id")
    );
    click(&mut harness, "Check the spec");
    assert!(
        harness
            .query_by_label_contains("needs the spec to name its system")
            .is_some()
    );
    type_into(&mut harness, "Ids from system", "rms");
    click(&mut harness, "Check the spec");
    assert!(
        harness
            .query_by_label_contains("needs the spec to name its system")
            .is_none()
    );
    click(&mut harness, "Import");
    wait_until(&mut harness, "the import", |h| {
        main_screen(h)
            .imports
            .wizard
            .report
            .as_ref()
            .is_some_and(|r| !r.dry_run)
    });
    assert!(
        harness
            .query_by_label_contains("This import recorded 2 nominal(s)")
            .is_some()
    );
    // The person is found by the system's id, and the profile shows it.
    click(&mut harness, "Nominals");
    type_into(&mut harness, "Find nominals", "P000187");
    wait_until(&mut harness, "the person in the results", |h| {
        h.query_by_label_contains("MARSH").is_some()
    });
    harness.get_by_label_contains("MARSH").click();
    wait_until(&mut harness, "the profile", |h| {
        h.query_by_label("Ids in force systems").is_some()
    });
    assert!(harness.query_by_label("RMS P000187").is_some());
}
