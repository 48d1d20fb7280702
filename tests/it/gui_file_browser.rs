//! GUI tests of the in-app file browser (issue 26) with `egui_kittest`: on a desktop whose
//! system file dialog cannot be shown, the app says so and opens its own browser, and an
//! import, an attachment and an export each finish through it exactly as through the native
//! dialog; an export to a file that exists is refused there and nothing is overwritten;
//! "Always use the in-app file browser" (My account) opens it without trying the native
//! dialog. Also the browser's snapshot image, `tests/snapshots/file_browser.png`.

use crate::common;
use crate::common::CHEAP;
use crate::common::gui::{self, click, main_screen, run_settled, wait_until};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{Grading, IntelItemFields, Subject};
use ccu_workbench::ui::{
    DIALOG_UNAVAILABLE, Deferred, FileBrowser, FilePurpose, FileRequest, WorkbenchApp,
};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const INSPECTOR: &str = "DI Browser";
const PASSWORD: &str = "browser password one";

/// A workbench with one employee and one item about them; returns the item's reference.
fn workbench(root: &Path) -> String {
    let mut wb = Workbench::create(root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    let subject = wb
        .create_nominal(common::employee("AB1", "Sam", "Quill"), false)
        .unwrap()
        .id;
    let fields = IntelItemFields {
        received_on: "2026-02-02".parse().unwrap(),
        source_type: "complaint".into(),
        narrative: "Synthetic item for the file browser.".into(),
        grading: Grading {
            source_evaluation: "2".into(),
            intelligence_assessment: "B".into(),
            handling_code: "P".into(),
            handling_conditions: None,
        },
        legacy_grading: None,
        category: "other".into(),
        subcategory: None,
        subjects: vec![Subject {
            nominal_id: subject,
            role: "mentioned".into(),
        }],
        next_review_on: None,
    };
    let item = wb.create_item(&fields, None).unwrap();
    wb.lock().unwrap();
    item.reference
}

/// The app signed in on a fresh workbench whose picker is `picker`; the item's reference.
fn signed_in(dir: &Path, picker: gui::ScriptedPicker) -> (Harness<'static, WorkbenchApp>, String) {
    let root = dir.join("browser.ccuwb");
    let reference = workbench(&root);
    let mut harness = gui::app_harness(&dir.join("settings"), Some(root), picker, (1400.0, 1100.0));
    run_settled(&mut harness);
    gui::sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-BROWSER");
    (harness, reference)
}

/// A picker whose native dialog cannot be shown.
fn failing_picker() -> gui::ScriptedPicker {
    gui::ScriptedPicker {
        native_fails: true,
        ..gui::ScriptedPicker::default()
    }
}

fn browser_open(harness: &Harness<'_, WorkbenchApp>) -> bool {
    harness.state().file_browser().is_some()
}

/// Waits for the in-app browser, replaces its typed path with `path`, and presses "Use this
/// path".
fn use_path(harness: &mut Harness<'static, WorkbenchApp>, path: &Path) {
    wait_until(harness, "the in-app browser", browser_open);
    harness.get_by_label("Path of the file").click();
    run_settled(harness);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Path of the file")
        .type_text(&path.display().to_string());
    run_settled(harness);
    click(harness, "Use this path");
}

#[test]
fn an_import_file_is_chosen_in_the_app_when_the_system_dialog_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = signed_in(dir.path(), failing_picker());
    let csv = dir.path().join("audit.csv");
    std::fs::write(
        &csv,
        "Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n\
         01/03/2026 09:15:00,AB1,RMS,Marsh,Lee,03/02/1985,,\n",
    )
    .unwrap();
    click(&mut harness, "Imports");
    click(&mut harness, "Choose file…");
    wait_until(&mut harness, "the in-app browser", browser_open);
    assert!(harness.query_by_label(DIALOG_UNAVAILABLE).is_some());
    assert!(
        harness
            .query_by_label("Showing folders and CSV files (.csv, .txt, .tsv).")
            .is_some()
    );
    // The folder's matching file is listed; a name that is not there is refused.
    use_path(&mut harness, &dir.path().join("missing.csv"));
    assert!(browser_open(&harness));
    assert!(
        harness
            .query_by_label_contains("There is no file at")
            .is_some()
    );
    use_path(&mut harness, &csv);
    assert!(!browser_open(&harness));
    wait_until(&mut harness, "the preview", |h| {
        main_screen(h).imports.wizard.preview.is_some()
    });
    click(&mut harness, "Shipped spec");
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
            .query_by_label_contains("Imported 1 of 1 row(s) as import")
            .is_some()
    );
}

#[test]
fn an_attachment_is_chosen_in_the_app_when_the_system_dialog_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, reference) = signed_in(dir.path(), failing_picker());
    let evidence = dir.path().join("evidence.txt");
    std::fs::write(
        &evidence,
        "Synthetic evidence, attached through the browser.",
    )
    .unwrap();
    wait_until(&mut harness, "the row", |h| {
        h.query_by_label(&reference).is_some()
    });
    harness.get_by_label(&reference).click();
    harness.run_steps(2);
    wait_until(&mut harness, "the item", |h| {
        h.query_by_label("Attach file…").is_some()
    });
    click(&mut harness, "Attach file…");
    wait_until(&mut harness, "the in-app browser", browser_open);
    assert!(harness.query_by_label(DIALOG_UNAVAILABLE).is_some());
    use_path(&mut harness, &evidence);
    wait_until(&mut harness, "the attachment", |h| {
        h.query_by_label("View evidence.txt").is_some()
    });
    assert!(!browser_open(&harness));
}

#[test]
fn an_export_is_saved_in_the_app_and_an_existing_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, _) = signed_in(dir.path(), failing_picker());
    let out = dir.path().join("pib-pack.html");
    click(&mut harness, "Reports");
    click(&mut harness, "Export the PIB pack…");
    wait_until(&mut harness, "the in-app browser", browser_open);
    assert!(harness.query_by_label(DIALOG_UNAVAILABLE).is_some());
    use_path(&mut harness, &out);
    wait_until(&mut harness, "the PIB pack to be written", |_| out.exists());
    let written = std::fs::read(&out).unwrap();
    assert!(
        String::from_utf8_lossy(&written).contains("People Intelligence Board pack"),
        "the pack was written"
    );

    // The same path again: refused in the browser, which stays open; the file is untouched.
    click(&mut harness, "Export the PIB pack…");
    use_path(&mut harness, &out);
    assert!(browser_open(&harness));
    let message = harness.state().file_browser().unwrap().message().unwrap();
    assert!(message.contains("nothing is ever overwritten"), "{message}");
    assert!(
        harness
            .query_by_label_contains("nothing is ever overwritten")
            .is_some()
    );
    // Cancelling does nothing.
    click(&mut harness, "Cancel");
    assert!(!browser_open(&harness));
    run_settled(&mut harness);
    assert_eq!(std::fs::read(&out).unwrap(), written);
}

#[test]
fn always_using_the_in_app_browser_never_tries_the_system_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let asked = Arc::new(AtomicUsize::new(0));
    let out = dir.path().join("native.html");
    let picker = gui::ScriptedPicker {
        export_destination: Some(out.clone()),
        asked: Arc::clone(&asked),
        ..gui::ScriptedPicker::default()
    };
    let (mut harness, _) = signed_in(dir.path(), picker);
    click(&mut harness, "My account");
    click(&mut harness, "Always use the in-app file browser");
    assert!(harness.state().settings().in_app_file_browser);
    // Kept in the app's settings, as the other settings are.
    let saved = std::fs::read_to_string(dir.path().join("settings/settings.json")).unwrap();
    assert!(saved.contains("\"in_app_file_browser\": true"), "{saved}");

    click(&mut harness, "Reports");
    click(&mut harness, "Export the PIB pack…");
    wait_until(&mut harness, "the in-app browser", browser_open);
    assert_eq!(
        asked.load(Ordering::SeqCst),
        0,
        "the native dialog was tried"
    );
    assert!(harness.query_by_label(DIALOG_UNAVAILABLE).is_none());
    let chosen = dir.path().join("in-app.html");
    use_path(&mut harness, &chosen);
    wait_until(&mut harness, "the PIB pack to be written", |_| {
        chosen.exists()
    });
    assert!(!out.exists());
    assert_eq!(asked.load(Ordering::SeqCst), 0);
}

/// The browser as a user sees it after the system dialog failed: an export refused because
/// the file exists. The folder has a fixed name and fixed contents, so the picture is the
/// same on every run.
#[test]
fn the_in_app_browser_snapshot() {
    let folder = std::env::temp_dir().join("ccu-file-browser-snapshot");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(folder.join("Board 2026-01")).unwrap();
    std::fs::create_dir_all(folder.join("Board 2026-02")).unwrap();
    for name in ["pib-pack.html", "cohort.csv", "notes.txt"] {
        std::fs::write(folder.join(name), "synthetic").unwrap();
    }
    std::fs::write(folder.join(".hidden"), "not listed").unwrap();
    let deferred = Deferred {
        request: FileRequest::export("pib-pack.html").starting_in(Some(&folder)),
        native_failed: true,
    };
    let recent = vec![
        folder.clone(),
        std::path::PathBuf::from("/srv/ccu/Workbenches"),
    ];
    let browser = FileBrowser::new(deferred, recent);
    assert_eq!(browser.request().purpose, FilePurpose::ExportDestination);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(820.0, 640.0))
        .build_ui_state(
            |ui, browser: &mut FileBrowser| {
                ccu_workbench::ui::theme::apply(ui.ctx());
                let _ = browser.ui(ui.ctx());
            },
            browser,
        );
    harness.run();
    // The offered name exists: "Use this path" refuses it.
    harness.get_by_label("Use this path").click();
    harness.run();
    assert!(
        harness
            .state()
            .message()
            .is_some_and(|m| m.contains("nothing is ever overwritten"))
    );
    // The pointer off the window, so it is not drawn over a button.
    harness.event(egui::Event::PointerGone);
    harness.run();
    harness.snapshot_options(
        "file_browser",
        &SnapshotOptions::new().max_failed_pixels(100),
    );
    std::fs::remove_dir_all(&folder).unwrap();
}
