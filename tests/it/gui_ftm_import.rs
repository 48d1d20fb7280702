//! GUI test of the FollowTheMoney import in the Imports area with `egui_kittest`: a file with a
//! bad line is refused (line and property named, never the value) and changes nothing; a dry
//! run that skips the bad line reports what it would do and changes nothing; the import then
//! records exactly what it reports, matching the OCG the workbench already had.

use crate::common::gui;

use crate::common::CHEAP;
use crate::common::gui::{click, main_screen, wait_until};

use ccu_workbench::Workbench;
use ccu_workbench::domain::NominalDetails;
use ccu_workbench::graph::GraphFilter;
use ccu_workbench::ui::{ImportFormat, WorkbenchApp};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};

const INSPECTOR: &str = "DI Receiver";
const PASSWORD: &str = "receiver pass phrase";

/// A value that must never be shown: the name on the bad line.
const SECRET: &str = "SECRETNAME";

/// A workbench that already knows the OCG, and a unit's FtM file: two persons, the OCG, a
/// membership, an association, and a person whose date of birth is not a date (line 6).
fn fixture(dir: &Path) -> (PathBuf, PathBuf) {
    let root = dir.join("receiver.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.set_purpose("OP-GUI-FTM fixture").unwrap();
    wb.create_nominal(
        NominalDetails::Ocg {
            name: "Synthetic Crew".into(),
            description: String::new(),
        },
        false,
    )
    .unwrap();
    wb.lock().unwrap();
    let file = dir.join("unit-a.ftm.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id":"a1","schema":"Person","properties":{"name":["Synthetic Alpha One"],"birthDate":["1980-05-17"],"topics":["crime"]}}"#, "\n",
            r#"{"id":"a2","schema":"Organization","properties":{"name":["Synthetic Crew"],"topics":["crime"]}}"#, "\n",
            r#"{"id":"a3","schema":"Membership","properties":{"member":["a1"],"organization":["a2"]}}"#, "\n",
            r#"{"id":"a4","schema":"Person","properties":{"name":["Synthetic Beta Two"],"birthDate":["1982-03-04"]}}"#, "\n",
            r#"{"id":"a5","schema":"Associate","properties":{"person":["a1"],"associate":["a4"]}}"#, "\n",
            r#"{"id":"a6","schema":"Person","properties":{"name":["Synthetic SECRETNAME"],"birthDate":["1990"]}}"#, "\n",
        ),
    )
    .unwrap();
    (root, file)
}

/// The app unlocked on the Imports area, with the FtM file as what the picker answers.
fn open_imports(dir: &Path, root: &Path, file: &Path) -> Harness<'static, WorkbenchApp> {
    let picker = gui::ScriptedPicker {
        import_file: Some(file.to_path_buf()),
        ..gui::ScriptedPicker::default()
    };
    let mut harness = gui::app_harness(
        &dir.join("settings"),
        Some(root.to_path_buf()),
        picker,
        (1500.0, 1300.0),
    );
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-FTM");
    gui::navigate(&mut harness, "Imports");
    click(&mut harness, "FollowTheMoney JSON lines");
    assert_eq!(
        main_screen(&harness).imports.wizard.format,
        ImportFormat::Ftm
    );
    click(&mut harness, "Choose FtM file…");
    assert_eq!(
        main_screen(&harness).imports.wizard.ftm_file.as_deref(),
        Some(file)
    );
    harness
}

/// Nominals and links in the workbench, read through the library.
fn counts(root: &Path) -> (usize, usize) {
    let mut wb = Workbench::unlock(root, INSPECTOR, PASSWORD).unwrap();
    wb.set_purpose("OP-GUI-FTM check").unwrap();
    let graph = wb.link_graph(&GraphFilter::default()).unwrap();
    let counted = (graph.node_count(), graph.edge_count());
    wb.lock().unwrap();
    counted
}

/// Whether some widget's label contains `text`.
fn shown(harness: &Harness<'_, WorkbenchApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn an_ftm_file_is_refused_dry_run_then_imported_as_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (root, file) = fixture(dir.path());
    assert_eq!(counts(&root), (1, 0));

    let mut harness = open_imports(dir.path(), &root, &file);
    // Not skipping bad lines: the file is refused, naming the line and the property only.
    click(&mut harness, "Import the FtM file");
    wait_until(&mut harness, "the refusal", |h| {
        main_screen(h).imports.wizard.error.is_some()
    });
    let error = main_screen(&harness).imports.wizard.error.clone().unwrap();
    assert!(error.contains("line 6"), "{error}");
    assert!(error.contains("birthDate"), "{error}");
    assert!(!error.contains(SECRET), "{error}");
    assert!(shown(&harness, "line 6"));
    assert!(!shown(&harness, SECRET));

    // A dry run that skips the bad line says what the import would do.
    click(
        &mut harness,
        "Skip bad lines (import the rest and list the rejected lines)",
    );
    click(
        &mut harness,
        "Dry run (read and match everything, then change nothing)",
    );
    click(&mut harness, "Dry run the FtM file");
    wait_until(&mut harness, "the dry run", |h| {
        main_screen(h).imports.wizard.ftm_report.is_some()
    });
    let dry = main_screen(&harness)
        .imports
        .wizard
        .ftm_report
        .clone()
        .unwrap();
    assert!(dry.dry_run);
    assert_eq!((dry.entities_read, dry.entities_rejected), (6, 1));
    assert_eq!((dry.nominals_created, dry.nominals_matched), (2, 1));
    assert_eq!((dry.links_created, dry.links_corroborated), (2, 0));
    assert!(shown(
        &harness,
        "Dry run: 5 of 6 entities would be imported; nothing was changed."
    ));
    assert!(shown(&harness, "Nominals: 2 created, 1 matched"));
    assert!(shown(&harness, "Links: 2 created"));
    assert!(shown(&harness, "1 line(s) rejected:"));
    assert!(shown(&harness, "Line 6, property birthDate:"));
    assert!(!shown(&harness, SECRET));
    drop(harness);
    assert_eq!(
        counts(&root),
        (1, 0),
        "neither the refusal nor the dry run changed anything"
    );

    // The import itself, skipping the bad line: the workbench gains what the report says.
    let mut harness = open_imports(dir.path(), &root, &file);
    click(
        &mut harness,
        "Skip bad lines (import the rest and list the rejected lines)",
    );
    click(&mut harness, "Import the FtM file");
    wait_until(&mut harness, "the import", |h| {
        main_screen(h)
            .imports
            .wizard
            .ftm_report
            .as_ref()
            .is_some_and(|r| !r.dry_run)
    });
    let report = main_screen(&harness)
        .imports
        .wizard
        .ftm_report
        .clone()
        .unwrap();
    assert!(report.import_id.is_some());
    assert_eq!(
        (
            report.nominals_created,
            report.nominals_matched,
            report.links_created
        ),
        (
            dry.nominals_created,
            dry.nominals_matched,
            dry.links_created
        ),
        "the import does what the dry run said"
    );
    assert!(shown(&harness, "Imported 5 of 6 entities as import"));
    assert!(shown(&harness, "Line 6, property birthDate:"));
    drop(harness);
    let nominals_created = usize::try_from(report.nominals_created).unwrap();
    let links_created = usize::try_from(report.links_created).unwrap();
    assert_eq!(counts(&root), (1 + nominals_created, links_created));
}
