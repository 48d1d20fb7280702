//! GUI tests of the risk tools with `egui_kittest`: fill a Beacon assessment, watch the live
//! score and band, save it and find it in the subject's history; an inspector publishes a new
//! version from the editor and re-scores the old assessment under it.

use crate::common;
use crate::common::gui;

use crate::common::CHEAP;
use crate::common::gui::{click, main_screen, type_into, wait_until};

use ccu_workbench::Workbench;
use ccu_workbench::domain::{NominalId, Role};
use ccu_workbench::risk::{Answers, Instrument};
use ccu_workbench::ui::WorkbenchApp;
use egui::accesskit;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};

const INSPECTOR: &str = "DI Testcase";
const PASSWORD: &str = "inspector password one";
const DETECTIVE: &str = "DC Riskform";
const DETECTIVE_PASSWORD: &str = "detective password one";

fn beacon() -> Instrument {
    ccu_workbench::io::instrument_file::shipped()
        .unwrap()
        .into_iter()
        .filter(|i| i.key() == "beacon")
        .max_by_key(Instrument::version)
        .unwrap()
}

/// A workbench with one employee and a detective; returns the employee's id.
fn workbench_with_subject(root: &Path) -> NominalId {
    let mut wb = Workbench::create(root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.add_user(DETECTIVE, Role::Detective, DETECTIVE_PASSWORD)
        .unwrap();
    let nominal = wb
        .create_nominal(common::employee("S300400", "Morgan", "Ashcombe"), false)
        .unwrap();
    wb.lock().unwrap();
    nominal.id
}

/// Unlocks as `user` with a purpose set and opens the Risk tools area. Exports go to
/// `dir/export.csv`; an instrument file chosen is `dir/instrument.toml`.
fn open_risk_tools(
    dir: &Path,
    root: PathBuf,
    user: &str,
    password: &str,
) -> Harness<'static, WorkbenchApp> {
    let picker = gui::ScriptedPicker {
        export_destination: Some(dir.join("export.csv")),
        instrument_file: Some(dir.join("instrument.toml")),
        ..gui::ScriptedPicker::default()
    };
    let mut harness = gui::app_harness(&dir.join("settings"), Some(root), picker, (1400.0, 1400.0));
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, user, password, "OP-GUI-RISK");
    click(&mut harness, "Risk tools");
    wait_until(&mut harness, "the Beacon instrument to open", |h| {
        main_screen(h).risk.form.instrument.is_some() && main_screen(h).risk.instruments.is_some()
    });
    harness
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

fn choose_subject(harness: &mut Harness<'_, WorkbenchApp>) {
    type_into(harness, "Find the subject", "Ashcombe");
    wait_until(harness, "the subject to be found", |h| {
        h.query_by_label_contains("Assess PC Morgan").is_some()
            || h.query_by_label_contains("Assess Morgan").is_some()
    });
    let button = if harness
        .query_by_label_contains("Assess PC Morgan")
        .is_some()
    {
        "Assess PC Morgan"
    } else {
        "Assess Morgan"
    };
    harness.get_by_label_contains(button).click();
    gui::run_settled(harness);
}

#[test]
fn a_beacon_assessment_filled_in_the_form_scores_live_saves_and_shows_in_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("gui-risk.ccuwb");
    let subject = workbench_with_subject(&root);
    let mut harness = open_risk_tools(dir.path(), root.clone(), DETECTIVE, DETECTIVE_PASSWORD);
    choose_subject(&mut harness);
    assert_eq!(
        main_screen(&harness)
            .risk
            .form
            .subject
            .as_ref()
            .map(|(id, _)| *id),
        Some(subject)
    );

    // Riskiest answer to the first factor, lowest to the rest; the scorer says what to expect.
    let instrument = beacon();
    let mut answers = Answers::new();
    let first = &instrument.factors()[0];
    let riskiest = first.options.last().unwrap();
    answer(&mut harness, &first.label, &riskiest.label);
    answers.insert(first.key.clone(), riskiest.key.clone());
    let so_far = first.weight.times(riskiest.score);
    assert!(
        harness
            .query_by_label(&format!("Score so far {so_far}"))
            .is_some(),
        "the running total shows after one answer"
    );
    assert!(
        harness
            .query_by_label(&format!("{}: {so_far}", first.label))
            .is_some(),
        "the first factor's bar is labelled with its contribution"
    );
    assert!(
        harness.query_by_label("Save assessment").is_some(),
        "the save button is there"
    );
    for factor in &instrument.factors()[1..] {
        let lowest = &factor.options[0];
        answer(&mut harness, &factor.label, &lowest.label);
        answers.insert(factor.key.clone(), lowest.key.clone());
    }
    let expected = ccu_workbench::risk::score(&instrument, &answers).unwrap();
    assert!(
        harness
            .query_by_label(&format!("Total {}", expected.total))
            .is_some(),
        "the total shows once every factor is answered"
    );
    assert!(
        harness
            .query_by_label(&format!("Band: {}", expected.band))
            .is_some(),
        "the band shows with the total"
    );

    type_into(
        &mut harness,
        "Rationale",
        "Two corroborated reports of the officer offering help beyond the role.",
    );
    click(&mut harness, "Save assessment");
    wait_until(&mut harness, "the assessment to show in the history", |h| {
        main_screen(h)
            .risk
            .history
            .records
            .as_ref()
            .is_some_and(|r| r.len() == 1)
    });
    let records = main_screen(&harness).risk.history.records.clone().unwrap();
    assert_eq!(records[0].subject, subject);
    assert_eq!(records[0].score.total, expected.total);
    assert_eq!(records[0].score.band, expected.band);
    assert_eq!(records[0].answers, answers);
    let chart = format!(
        "Assessment history chart: {} {} {}",
        records[0].assessed_on, expected.total, expected.band
    );
    assert!(
        harness.query_by_label(&chart).is_some(),
        "the history chart describes the saved assessment"
    );
    assert!(
        harness
            .query_by_label(&format!("Open #{}", records[0].id))
            .is_some()
    );

    // The saved assessment is in the store too, read back by the library.
    drop(harness);
    let mut wb = Workbench::unlock(&root, INSPECTOR, PASSWORD).unwrap();
    wb.set_purpose("OP-GUI-RISK check").unwrap();
    let stored = wb.assessments_of(subject).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].score, records[0].score);
}

#[test]
fn a_detective_sees_the_instruments_but_no_editor() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("gui-risk-view.ccuwb");
    workbench_with_subject(&root);
    let mut harness = open_risk_tools(dir.path(), root, DETECTIVE, DETECTIVE_PASSWORD);
    click(&mut harness, "Instrument versions");
    click(&mut harness, "View beacon v1");
    wait_until(&mut harness, "the instrument to open", |h| {
        main_screen(h).risk.editor.viewing.is_some()
    });
    assert!(harness.query_by_label_contains("Edit as version").is_none());
    assert!(
        harness
            .query_by_label("Publish an instrument file…")
            .is_none()
    );
    assert!(
        harness
            .query_by_label_contains("Officer cast as a")
            .is_some(),
        "the viewer shows the factors"
    );
}

#[test]
fn an_inspector_publishes_an_edited_version_and_an_old_assessment_is_rescored_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("gui-risk-edit.ccuwb");
    let subject = workbench_with_subject(&root);
    // An assessment under version 2 (the shipped correction), made through the library.
    let instrument = beacon();
    let answers: Answers = instrument
        .factors()
        .iter()
        .map(|f| (f.key.clone(), f.options.last().unwrap().key.clone()))
        .collect();
    {
        let mut wb = Workbench::unlock(&root, INSPECTOR, PASSWORD).unwrap();
        wb.set_purpose("OP-GUI-RISK setup").unwrap();
        wb.assess(
            "beacon",
            subject,
            &answers,
            "setup",
            ccu_workbench::domain::IsoDate::from_ymd(2026, 1, 5).unwrap(),
        )
        .unwrap();
        wb.lock().unwrap();
    }
    let mut harness = open_risk_tools(dir.path(), root.clone(), INSPECTOR, PASSWORD);
    click(&mut harness, "Instrument versions");

    // A file with a weight that does not parse is refused, naming the file and the line; nothing
    // is published.
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/instruments/beacon-v2.toml"),
    )
    .unwrap();
    let bad = shipped.replacen("version = 2", "version = 3", 1).replacen(
        "weight = 1.5",
        "weight = \"heavy\"",
        1,
    );
    std::fs::write(dir.path().join("instrument.toml"), bad).unwrap();
    click(&mut harness, "Publish an instrument file…");
    wait_until(&mut harness, "the refusal", |h| {
        main_screen(h)
            .notice
            .as_ref()
            .is_some_and(|n| n.is_error && n.text.contains("instrument.toml line"))
    });
    assert!(
        main_screen(&harness)
            .risk
            .instruments
            .as_ref()
            .unwrap()
            .iter()
            .all(|v| v.version <= 2)
    );

    click(&mut harness, "View beacon v2");
    wait_until(&mut harness, "the instrument to open", |h| {
        main_screen(h).risk.editor.viewing.is_some()
    });
    click(&mut harness, "Edit as version 3");

    // A weight that does not parse blocks publishing, naming the factor.
    let weight = harness.get_by_label("Factor 1 weight");
    weight.click();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Factor 1 weight").type_text("heavy");
    gui::run_settled(&mut harness);
    assert!(
        harness
            .query_by_label("Cannot publish: factor 1: the weight is not a number")
            .is_some()
    );
    let weight = harness.get_by_label("Factor 1 weight");
    weight.click();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Factor 1 weight").type_text("0.5");
    gui::run_settled(&mut harness);
    assert!(
        harness
            .query_by_label("Checked: ready to publish.")
            .is_some()
    );
    click(&mut harness, "Publish version 3");
    wait_until(&mut harness, "version 3 to be listed", |h| {
        main_screen(h).risk.instruments.as_ref().is_some_and(|v| {
            v.iter()
                .any(|i| i.key == "beacon" && i.version == 3 && i.latest)
        })
    });

    // The old assessment keeps its score; re-scored under version 3, factor 1 changes.
    click(&mut harness, "Assess");
    choose_subject(&mut harness);
    click(&mut harness, "Assessment history");
    wait_until(&mut harness, "the history to load", |h| {
        main_screen(h).risk.history.records.is_some()
    });
    let record = main_screen(&harness).risk.history.records.clone().unwrap()[0].clone();
    assert_eq!(record.version, 2);
    click(&mut harness, "Re-score");
    wait_until(&mut harness, "the re-score", |h| {
        main_screen(h).risk.history.rescore.is_some()
    });
    let (_, rescore) = main_screen(&harness).risk.history.rescore.clone().unwrap();
    let first = &instrument.factors()[0];
    let before = first.weight.times(first.options.last().unwrap().score);
    let after = ccu_workbench::risk::Points::from_decimal(0.5)
        .unwrap()
        .times(first.options.last().unwrap().score);
    assert_eq!(rescore.changes.len(), 1);
    assert_eq!(rescore.changes[0].factor, first.key);
    assert_eq!(rescore.changes[0].before, Some(before));
    assert_eq!(rescore.changes[0].after, Some(after));
    assert_eq!(rescore.before.total, record.score.total);
    assert_eq!(rescore.after.total, record.score.total - before + after);
}

/// Issue 20, correction 8: the Beacon cohort view lists who is due an assessment, and an
/// inspector removes a subject from the cohort with a rationale.
#[test]
fn an_inspector_removes_a_subject_from_the_beacon_cohort_with_a_rationale() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cohort.ccuwb");
    let subject = workbench_with_subject(&root);
    let mut wb = Workbench::unlock(&root, INSPECTOR, PASSWORD).unwrap();
    wb.set_purpose("OP-GUI-COHORT").unwrap();
    let answers: Answers = beacon()
        .factors()
        .iter()
        .map(|f| (f.key.clone(), f.options[0].key.clone()))
        .collect();
    wb.assess(
        "beacon",
        subject,
        &answers,
        "Synthetic assessment.",
        wb.today(),
    )
    .unwrap();
    let reported = wb
        .create_nominal(common::employee("S300401", "Robin", "Duecroft"), false)
        .unwrap()
        .id;
    let mut item = common::item_fields(reported, "Synthetic report of sexualised messages.");
    item.category = "sexual_misconduct".into();
    let item = wb.create_item(&item, None).unwrap();
    wb.lock().unwrap();

    let mut harness = open_risk_tools(dir.path(), root, INSPECTOR, PASSWORD);
    click(&mut harness, "Beacon cohort");
    wait_until(&mut harness, "the cohort and the due list", |h| {
        h.query_by_label("1 in the cohort, 0 overdue for review")
            .is_some()
            && h.query_by_label(&item.reference).is_some()
    });
    assert!(harness.query_by_label("Beacon assessment due: 1").is_some());
    assert!(harness.query_by_label("never").is_some());

    click(&mut harness, "PC Morgan ASHCOMBE (S300400)");
    click(
        &mut harness,
        "Remove from the cohort: PC Morgan ASHCOMBE (S300400)",
    );
    {
        use egui_kittest::kittest::NodeT;
        assert!(
            harness
                .get_by_role_and_label(accesskit::Role::Button, "Remove from the cohort")
                .accesskit_node()
                .is_disabled(),
            "a removal needs its rationale"
        );
    }
    type_into(
        &mut harness,
        "Rationale for removal",
        "The messages were found to come from another person.",
    );
    harness
        .get_by_role_and_label(accesskit::Role::Button, "Remove from the cohort")
        .click();
    wait_until(&mut harness, "the cohort without them", |h| {
        h.query_by_label("0 in the cohort, 0 overdue for review")
            .is_some()
            || h.query_by_label("Nobody has been assessed under Beacon yet.")
                .is_some()
    });
}
