//! GUI tests of the NA register with `egui_kittest`: the table with its due and overdue
//! filters and live counts, registering an association through the form, and recording a review.

use crate::common;
use crate::common::gui;

use crate::common::CHEAP;
use crate::common::gui::{click, main_screen, type_into, wait_until};
use egui_kittest::kittest::NodeT;

use ccu_workbench::Workbench;
use ccu_workbench::domain::{
    IsoDate, NaDraft, NaOrigin, NaStatus, NominalDetails, NominalId, PersonFlags,
};
use ccu_workbench::ui::WorkbenchApp;
use egui::accesskit;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

const INSPECTOR: &str = "DI Register";
const PASSWORD: &str = "inspector password one";

fn employee(wb: &mut Workbench, staff_number: &str, surname: &str) -> NominalId {
    wb.create_nominal(common::employee(staff_number, "Sam", surname), false)
        .unwrap()
        .id
}

fn person(wb: &mut Workbench, forenames: &str, surname: &str) -> NominalId {
    wb.create_nominal(
        NominalDetails::Person {
            forenames: forenames.into(),
            surname: surname.into(),
            aliases: vec![],
            date_of_birth: None,
            flags: PersonFlags::default(),
        },
        true,
    )
    .unwrap()
    .id
}

/// Two live entries, one overdue and one reviewed next year; and a third pair not registered.
fn register_fixture(root: &Path) {
    let mut wb = Workbench::create(root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    let today = IsoDate::today_utc();
    let first = employee(&mut wb, "S200300", "Kenward");
    let second = employee(&mut wb, "S200400", "Lockhart");
    employee(&mut wb, "S200500", "Merriman");
    let cousin = person(&mut wb, "Noel", "Kenward");
    let reporter = person(&mut wb, "Olive", "Pennant");
    person(&mut wb, "Quinn", "Rowntree");
    for (staff, associate, category, due) in [
        (first, cousin, "family", today.plus_days(-10)),
        (second, reporter, "journalist", today.plus_days(200)),
    ] {
        wb.register_notifiable_association(&NaDraft {
            employee: staff,
            associate,
            category: category.into(),
            origin: NaOrigin::Declared,
            declared_on: today.plus_days(-400),
            conditions: String::new(),
            assessment: None,
            review_due_on: Some(due),
            relationship: None,
        })
        .unwrap();
    }
    // An NA assessment of the first member of staff, to link to their entry.
    wb.set_purpose("OP-GUI-NA setup").unwrap();
    let na = ccu_workbench::io::instrument_file::shipped()
        .unwrap()
        .into_iter()
        .filter(|i| i.key() == "notifiable_association")
        .max_by_key(ccu_workbench::risk::Instrument::version)
        .unwrap();
    let answers: ccu_workbench::risk::Answers = na
        .factors()
        .iter()
        .map(|f| (f.key.clone(), f.options[0].key.clone()))
        .collect();
    wb.assess(
        "notifiable_association",
        first,
        &answers,
        "synthetic",
        today.plus_days(-30),
    )
    .unwrap();
    wb.lock().unwrap();
}

fn open_register(dir: &Path) -> Harness<'static, WorkbenchApp> {
    let root = dir.join("gui-na.ccuwb");
    register_fixture(&root);
    let mut harness = gui::app_harness(
        &dir.join("settings"),
        Some(root),
        gui::ScriptedPicker::default(),
        (1500.0, 1200.0),
    );
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-NA");
    click(&mut harness, "NA register");
    wait_until(&mut harness, "the register to load", |h| {
        main_screen(h).na_register.rows.is_some() && main_screen(h).na_register.counts.is_some()
    });
    harness
}

#[test]
fn the_register_filters_overdue_reviews_and_records_a_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_register(dir.path());
    assert_eq!(
        main_screen(&harness)
            .na_register
            .rows
            .as_ref()
            .unwrap()
            .len(),
        2
    );
    assert!(harness.query_by_label_contains("2 live:").is_some());
    assert!(harness.query_by_label("2 entries").is_some());

    click(&mut harness, "Overdue");
    wait_until(&mut harness, "the overdue list", |h| {
        main_screen(h)
            .na_register
            .rows
            .as_ref()
            .is_some_and(|rows| rows.len() == 1)
    });
    let rows = main_screen(&harness).na_register.rows.clone().unwrap();
    assert!(rows[0].overdue);
    assert_eq!(rows[0].record.category, "family");
    assert!(harness.query_by_label_contains("overdue").is_some());

    // Record the annual review: the entry leaves the overdue list.
    let id = rows[0].record.id;
    click(&mut harness, &format!("Open NA {id}"));
    // The employee's NA assessment is chosen from theirs, never typed as a number.
    wait_until(&mut harness, "the employee's assessments", |h| {
        main_screen(h)
            .na_register
            .employee_assessments
            .as_ref()
            .is_some_and(|(_, records)| records.is_some())
    });
    harness
        .get_by_role_and_label(accesskit::Role::ComboBox, "NA assessment")
        .click();
    gui::run_settled(&mut harness);
    harness
        .get_by_label_contains(&format!(
            "{} · version",
            IsoDate::today_utc().plus_days(-30)
        ))
        .click();
    gui::run_settled(&mut harness);
    click(&mut harness, "Link the assessment");
    wait_until(&mut harness, "the assessment linked", |h| {
        main_screen(h)
            .na_register
            .rows
            .as_ref()
            .is_some_and(|rows| {
                rows.iter()
                    .any(|r| r.record.id == id && r.record.assessment.is_some())
            })
    });
    assert!(harness.query_by_label_contains("NA assessment: ").is_some());
    // Issue 20, correction 9: a review has an outcome and a rationale; without the rationale
    // it cannot be recorded.
    assert!(
        harness
            .get_by_label("Record the annual review")
            .accesskit_node()
            .is_disabled()
    );
    harness
        .get_by_role_and_label(accesskit::Role::ComboBox, "Review outcome")
        .click();
    gui::run_settled(&mut harness);
    click(&mut harness, "Continue on changed conditions");
    type_into(
        &mut harness,
        "Rationale: risk, necessity and proportionality",
        "Contact continues weekly; a reporting condition is proportionate.",
    );
    assert!(
        harness
            .get_by_label("Record the annual review")
            .accesskit_node()
            .is_disabled()
    );
    type_into(
        &mut harness,
        "Changed conditions",
        "Report any contact about police work to the CCU.",
    );
    click(&mut harness, "Record the annual review");
    wait_until(&mut harness, "the overdue list to empty", |h| {
        main_screen(h)
            .na_register
            .rows
            .as_ref()
            .is_some_and(Vec::is_empty)
    });
    click(&mut harness, "All reviews");
    wait_until(&mut harness, "the whole register", |h| {
        main_screen(h)
            .na_register
            .rows
            .as_ref()
            .is_some_and(|rows| rows.len() == 2)
    });
    let reviewed = main_screen(&harness)
        .na_register
        .rows
        .as_ref()
        .unwrap()
        .iter()
        .find(|r| r.record.id == id)
        .cloned()
        .unwrap();
    assert_eq!(reviewed.record.last_reviewed_on, Some(IsoDate::today_utc()));
    assert_eq!(
        reviewed.record.conditions,
        "Report any contact about police work to the CCU."
    );
    assert_eq!(
        reviewed.record.review_due_on,
        IsoDate::today_utc().plus_days(365)
    );
    assert!(!reviewed.overdue);
}

#[test]
fn an_association_registered_through_the_form_joins_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_register(dir.path());
    click(&mut harness, "Register an association");
    assert!(
        harness
            .query_by_label_contains("To register: choose the employee")
            .is_some()
    );

    type_into(&mut harness, "Find the employee", "Merriman");
    wait_until(&mut harness, "the employee to be found", |h| {
        h.query_by_label_contains("Employee: PC Sam MERRIMAN")
            .is_some()
    });
    harness
        .get_by_label_contains("Employee: PC Sam MERRIMAN")
        .click();
    gui::run_settled(&mut harness);
    type_into(&mut harness, "Find the associate", "Rowntree");
    wait_until(&mut harness, "the associate to be found", |h| {
        h.query_by_label_contains("Associate: Quinn ROWNTREE")
            .is_some()
    });
    harness
        .get_by_label_contains("Associate: Quinn ROWNTREE")
        .click();
    gui::run_settled(&mut harness);
    harness
        .get_by_role_and_label(accesskit::Role::ComboBox, "Category")
        .click();
    gui::run_settled(&mut harness);
    click(&mut harness, "Private investigator");
    assert!(
        harness
            .query_by_label_contains("To register: choose the relationship")
            .is_some()
    );
    harness
        .get_by_role_and_label(accesskit::Role::ComboBox, "Relationship")
        .click();
    gui::run_settled(&mut harness);
    click(&mut harness, "Friend");
    type_into(&mut harness, "Conditions placed", "No contact about cases.");
    click(&mut harness, "Register");
    wait_until(&mut harness, "the register to show three entries", |h| {
        main_screen(h)
            .na_register
            .rows
            .as_ref()
            .is_some_and(|rows| rows.len() == 3)
    });
    let rows = main_screen(&harness).na_register.rows.clone().unwrap();
    let added = rows
        .iter()
        .find(|r| r.record.category == "private_investigator")
        .unwrap();
    assert_eq!(added.record.status, NaStatus::Live);
    assert_eq!(added.record.origin, NaOrigin::Declared);
    assert_eq!(added.record.conditions, "No contact about cases.");
    assert_eq!(
        added.record.relationship,
        Some(ccu_workbench::domain::NaRelationship::Friend)
    );
    assert!(added.employee_name.contains("MERRIMAN"));
    assert!(added.associate_name.contains("ROWNTREE"));
    assert!(harness.query_by_label_contains("3 live:").is_some());
}
