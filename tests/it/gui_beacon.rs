//! GUI tests of Beacon screening (issue 24) with `egui_kittest`, by label and role only: a
//! small planted pattern (a member of staff looking up a victim three times after her case
//! closed, and the officer in charge once, which is their work) imported through the library
//! as a force's extracts would be; the screening lists the first as due and the second below
//! the threshold without naming the victim; opening the finding names her; assessing under
//! Beacon shows the answers suggested from the data, which must each be accepted or changed
//! before saving, and the saved assessment keeps which were changed. Snapshot images of the
//! screening list, the opened finding and the form with its suggestions are compared with
//! `tests/snapshots/beacon_screening.png`, `beacon_finding_opened.png` and
//! `beacon_assessment_suggestions.png`
//! (`UPDATE_SNAPSHOTS=1` writes them again). All names, numbers and ids are synthetic.

use crate::common;
use crate::common::CHEAP;
use crate::common::gui::{self, click, main_screen, type_into, wait_until};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{ImportKind, IsoDate, NominalId, Role};
use ccu_workbench::io::import_spec::{self, ImportSpec, shipped_spec};
use ccu_workbench::risk::Instrument;
use ccu_workbench::ui::{RiskView, Screen, WorkbenchApp};
use ccu_workbench::workbench::ImportOptions;
use egui::accesskit;
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::{Harness, SnapshotOptions};
use std::ops::ControlFlow;
use std::path::Path;

const INSPECTOR: &str = "DI Beaconview";
const PASSWORD: &str = "inspector password one";
const DETECTIVE: &str = "DC Screener";
const DETECTIVE_PASSWORD: &str = "detective password one";
const PURPOSE: &str = "OP BEACON: proactive screening";
/// The victim: never shown in the lists, only in an opened finding.
const VICTIM_SURNAME: &str = "Marsh";

/// The records system's person list, keeping its person ids.
const RMS_PERSONS_SPEC: &str = r#"
name = "rms-persons"
version = 1
kind = "nominals"
header = true
id_system = "rms"

[[columns]]
value = "person"
field = "nominal_kind"

[[columns]]
column = "Person ID"
field = "external_id"
transforms = ["trim", "upper"]

[[columns]]
column = "Surname"
field = "surname"

[[columns]]
column = "Forename"
field = "forenames"

[[columns]]
column = "DOB"
field = "date_of_birth"
format = "[day]/[month]/[year]"

[[columns]]
column = "Mobile"
field = "phone"
"#;

fn import(wb: &mut Workbench, spec: &ImportSpec, name: &str, text: &str) {
    wb.import_bulk(
        spec,
        name,
        text.as_bytes(),
        Some(text.len() as u64),
        ImportOptions::default(),
        &mut |_| ControlFlow::Continue(()),
    )
    .unwrap();
}

/// The planted pattern; returns the member of staff who looked the victim up, and the victim's
/// display name.
fn workbench(root: &Path) -> (NominalId, String) {
    let mut wb = Workbench::create(root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.add_user(DETECTIVE, Role::Detective, DETECTIVE_PASSWORD)
        .unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let looker = wb
        .create_nominal(common::employee("AB123", "Sam", "Quill"), false)
        .unwrap()
        .id;
    wb.create_nominal(common::employee("CD456", "Jo", "Brook"), false)
        .unwrap();
    let spec = import_spec::parse(RMS_PERSONS_SPEC, "rms-persons.toml").unwrap();
    import(
        &mut wb,
        &spec,
        "rms_persons.csv",
        "Person ID,Surname,Forename,DOB,Mobile\nRMS-P-0001,Marsh,Lee,03/02/1985,+447700900123\n",
    );
    let victim = wb
        .search(&ccu_workbench::domain::SearchQuery {
            text: VICTIM_SURNAME.into(),
            nominals_only: true,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .find_map(|hit| match hit.target {
            ccu_workbench::domain::SearchTarget::Nominal { .. } => Some(hit.title),
            ccu_workbench::domain::SearchTarget::Item { .. } => None,
        })
        .unwrap();
    // Her case, with Jo Brook in charge, closed on 1 June 2026.
    import(
        &mut wb,
        &shipped_spec(ImportKind::Cases).unwrap(),
        "rms_crimes.csv",
        "Crime Ref,Victim Person ID,OIC Staff No,Date Recorded,Date Closed\n\
         CR/2026/0042,RMS-P-0001,CD456,10/03/2026,01/06/2026\n",
    );
    // Sam Quill, not on the case, looks her up three times after it closed; the officer in
    // charge once (follow-up work may explain it: below the threshold).
    import(
        &mut wb,
        &shipped_spec(ImportKind::AuditEvents).unwrap(),
        "rms_audit.csv",
        "Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n\
         10/07/2026 22:14:00,AB123,RMS,Marsh,Lee,03/02/1985,,\n\
         12/08/2026 23:02:00,AB123,RMS,Marsh,Lee,03/02/1985,,\n\
         20/09/2026 21:40:00,AB123,RMS,Marsh,Lee,03/02/1985,,\n\
         15/06/2026 10:00:00,CD456,RMS,Marsh,Lee,03/02/1985,,\n",
    );
    wb.lock().unwrap();
    (looker, victim)
}

/// Whether the victim is named anywhere on screen (her surname in any case).
fn names_victim(harness: &Harness<'_, WorkbenchApp>) -> bool {
    [VICTIM_SURNAME, &VICTIM_SURNAME.to_uppercase()]
        .iter()
        .any(|name| shows(harness, name))
}

fn beacon() -> Instrument {
    ccu_workbench::io::instrument_file::shipped()
        .unwrap()
        .into_iter()
        .filter(|i| i.key() == "beacon")
        .max_by_key(Instrument::version)
        .unwrap()
}

/// Whether any widget's label contains `text`.
fn shows(harness: &Harness<'_, WorkbenchApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// What the pictures must not depend on: the temporary path, the audit head's hash and
/// today's date.
fn fix_wall_clock_values(harness: &mut Harness<'_, WorkbenchApp>) {
    if let Screen::Main(main) = harness.state_mut().screen_mut() {
        main.path = "/srv/ccu/Operation Lantern.ccuwb".into();
        main.session.head.hash = ccu_workbench::domain::AuditHash([0xab; 32]);
        if let Some(screening) = &mut main.risk.screening.screening {
            screening.as_of = IsoDate::from_ymd(2026, 12, 4).unwrap();
        }
    }
    gui::run_settled(harness);
}

/// Opens a factor's answers and picks one.
fn answer(harness: &mut Harness<'_, WorkbenchApp>, factor: &str, option: &str) {
    harness
        .get_by_role_and_label(accesskit::Role::ComboBox, factor)
        .scroll_to_me();
    gui::run_settled(harness);
    harness
        .get_by_role_and_label(accesskit::Role::ComboBox, factor)
        .click();
    gui::run_settled(harness);
    harness.get_by_label(option).click();
    gui::run_settled(harness);
}

#[test]
fn screening_lists_the_due_officer_without_the_victim_s_name_and_assessing_keeps_the_data_answers()
{
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("gui-beacon.ccuwb");
    let (looker, victim) = workbench(&root);
    let mut harness = gui::app_harness(
        &dir.path().join("settings"),
        Some(root.clone()),
        gui::ScriptedPicker::default(),
        (1280.0, 1000.0),
    );
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, DETECTIVE, DETECTIVE_PASSWORD, PURPOSE);
    gui::navigate(&mut harness, "Risk tools");
    wait_until(&mut harness, "the Beacon instrument to open", |h| {
        main_screen(h).risk.form.instrument.is_some()
    });
    click(&mut harness, "Beacon screening");
    assert!(
        shows(
            &harness,
            "Not screened yet: screening reads the imported audit trails"
        ),
        "the empty state says why it is empty"
    );

    click(&mut harness, "Screen the workforce");
    wait_until(&mut harness, "the screening", |h| {
        main_screen(h).risk.screening.screening.is_some()
    });
    assert!(shows(&harness, "Beacon assessment due: 1"));
    let due_name = main_screen(&harness)
        .risk
        .screening
        .screening
        .as_ref()
        .unwrap()
        .due[0]
        .employee_name
        .clone();
    assert!(
        shows(&harness, &due_name),
        "the due officer is listed: {due_name}"
    );
    assert!(shows(&harness, "staff number AB123"));
    assert!(shows(&harness, "top score 70"));
    assert!(shows(&harness, "last assessed never"));
    assert!(shows(&harness, "Look-ups after the case closed"));
    assert!(
        shows(&harness, "about the victim in case CR/2026/0042"),
        "the finding names the person by the case"
    );
    assert!(shows(&harness, "Assessed since, nothing new: 0"));
    assert!(shows(&harness, "Below the threshold: 1"));
    assert!(!names_victim(&harness), "the lists never name the victim");
    // The officer in charge is below the threshold, with the innocent reading, once opened.
    click(&mut harness, "Below the threshold: 1");
    assert!(
        shows(&harness, "Innocent reading: As the officer in charge"),
        "{:#?}",
        main_screen(&harness)
            .risk
            .screening
            .screening
            .as_ref()
            .unwrap()
            .below
    );
    assert!(!names_victim(&harness));
    fix_wall_clock_values(&mut harness);
    harness.snapshot_options(
        "beacon_screening",
        &SnapshotOptions::new().max_failed_pixels(400),
    );
    click(&mut harness, "Below the threshold: 1");

    // Opening the finding names her, with the evidence rows, and says it was recorded.
    harness
        .get_by_label_contains("Open finding: Look-ups after the case closed")
        .click();
    gui::settle(&mut harness);
    wait_until(&mut harness, "the finding to open", |h| {
        main_screen(h).risk.screening.opened.is_some()
    });
    assert!(
        shows(&harness, &victim),
        "the opened finding names the victim: {victim}"
    );
    assert!(shows(
        &harness,
        "Opening this finding was recorded with your purpose"
    ));
    assert!(shows(&harness, "audit trail #"), "the evidence rows show");
    fix_wall_clock_values(&mut harness);
    harness.snapshot_options(
        "beacon_finding_opened",
        &SnapshotOptions::new().max_failed_pixels(400),
    );

    // Assess under Beacon: the form opens on him with the suggestions.
    harness
        .get_by_label_contains("Assess under Beacon:")
        .click();
    gui::run_settled(&mut harness);
    wait_until(&mut harness, "the suggestions", |h| {
        main_screen(h).risk.form.suggestions.is_some()
            && main_screen(h).risk.form.instrument.is_some()
    });
    assert_eq!(main_screen(&harness).risk.view, RiskView::Assess);
    assert_eq!(
        main_screen(&harness)
            .risk
            .form
            .subject
            .as_ref()
            .map(|(id, _)| *id),
        Some(looker)
    );
    let instrument = beacon();
    assert!(shows(
        &harness,
        "Suggested from data: Repeated look-ups without a purpose"
    ));
    let save = harness.get_by_label("Save assessment");
    assert!(
        save.accesskit_node().is_disabled(),
        "save waits for every suggestion"
    );
    assert!(shows(
        &harness,
        "To save: accept or change every answer suggested from data."
    ));
    assert!(shows(
        &harness,
        "Answers suggested from data for 4 factors (from 1 finding): 0 accepted, 0 changed, 4 to decide."
    ));
    let lookups_label = beacon()
        .factor("lookups_after_closure")
        .unwrap()
        .label
        .clone();
    harness
        .get_by_role_and_label(accesskit::Role::ComboBox, &lookups_label)
        .scroll_to_me();
    gui::run_settled(&mut harness);
    click(&mut harness, "Evidence: 4 rows");
    assert!(shows(
        &harness,
        "audit trail #1, audit trail #2, audit trail #3"
    ));
    fix_wall_clock_values(&mut harness);
    harness.snapshot_options(
        "beacon_assessment_suggestions",
        &SnapshotOptions::new().max_failed_pixels(400),
    );

    // Change the look-ups answer; accept the other suggestions; answer the rest.
    let suggested: Vec<String> = main_screen(&harness)
        .risk
        .form
        .suggestions
        .as_ref()
        .unwrap()
        .suggestions
        .iter()
        .map(|s| s.factor.clone())
        .collect();
    assert!(suggested.contains(&"lookups_after_closure".to_owned()));
    let lookups = instrument.factor("lookups_after_closure").unwrap();
    answer(
        &mut harness,
        &lookups.label,
        "A single look-up without a purpose",
    );
    assert!(shows(
        &harness,
        "Changed from Repeated look-ups without a purpose"
    ));
    for factor in instrument.factors() {
        if factor.key == "lookups_after_closure" {
            continue;
        }
        if suggested.contains(&factor.key) {
            click(
                &mut harness,
                &format!("Accept the suggestion for {}", factor.label),
            );
        } else {
            answer(&mut harness, &factor.label, &factor.options[0].label);
        }
    }
    type_into(
        &mut harness,
        "Rationale",
        "Repeated look-ups after closure; one had a purpose by the intelligence.",
    );
    let save = harness.get_by_label("Save assessment");
    assert!(
        !save.accesskit_node().is_disabled(),
        "every suggestion accepted or changed"
    );
    click(&mut harness, "Save assessment");
    wait_until(&mut harness, "the assessment to be saved", |h| {
        main_screen(h).risk.view == RiskView::History
            && main_screen(h).risk.history.records.is_some()
    });
    assert!(shows(&harness, "From data"));
    assert!(shows(
        &harness,
        "Changed from Repeated look-ups without a purpose (suggested from data)"
    ));

    // Screened again, he is assessed with nothing new since.
    click(&mut harness, "Beacon screening");
    assert!(shows(
        &harness,
        "An assessment was saved since the last screening"
    ));
    click(&mut harness, "Screen the workforce");
    wait_until(&mut harness, "the second screening", |h| {
        main_screen(h).risk.screening.screening.is_some()
    });
    assert!(shows(&harness, "Beacon assessment due: 0"));
    assert!(shows(&harness, "Assessed since, nothing new: 1"));
    drop(harness);

    // The library kept what was suggested beside what was given.
    let mut wb = Workbench::unlock(&root, INSPECTOR, PASSWORD).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let records = wb.assessments_of(looker).unwrap();
    let record = records.last().unwrap();
    let lookups = record.data_answer("lookups_after_closure").unwrap();
    assert!(lookups.changed());
    assert_eq!(lookups.suggested, "repeated");
    assert_eq!(lookups.given, "single");
    let calls = record.data_answer("call_records").unwrap();
    assert!(!calls.changed());
}
