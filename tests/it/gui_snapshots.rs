//! Snapshot images of the screens a reviewer should see change (issue 22): the start screen,
//! the subject profile, its timeline, and the threat assessment's category chart. Each is drawn
//! by `egui_kittest` on the software renderer and compared with the image committed under
//! `tests/snapshots/`; `UPDATE_SNAPSHOTS=1 cargo test gui_snapshots` writes them again after a
//! deliberate change, and the new images go into review beside the code.
//!
//! The records have fixed dates, and the one value a store writes from the wall clock that the
//! profile shows (the day the record was made) is set to a fixed day before the picture is
//! taken, so the images do not change with the day the tests run. Item references carry the
//! year they were recorded in: a small allowance of differing pixels covers that digit at a
//! new year without hiding a change of layout.

use crate::common;
use crate::common::CHEAP;
use crate::common::gui::{self, click, main_screen, type_into, wait_until};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{
    ConductOutcome, ConductOutcomeKind, IsoDate, NaDraft, NaOrigin, NominalDetails, NominalId,
    PersonFlags, Subject,
};
use ccu_workbench::risk::{Answers, Instrument};
use ccu_workbench::ui::{Screen, WorkbenchApp};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use std::path::Path;

const INSPECTOR: &str = "DI Snapshot";
const PASSWORD: &str = "snapshot password one";
const PURPOSE: &str = "OP-SNAPSHOT";

/// Pixels allowed to differ: a year's digits in a few item references, nothing more.
fn options() -> SnapshotOptions {
    SnapshotOptions::new().max_failed_pixels(400)
}

fn date(text: &str) -> IsoDate {
    text.parse().unwrap()
}

fn beacon() -> Instrument {
    ccu_workbench::io::instrument_file::shipped()
        .unwrap()
        .into_iter()
        .filter(|i| i.key() == "beacon")
        .max_by_key(Instrument::version)
        .unwrap()
}

/// An officer with a declared association, items in three roles and categories over a year,
/// a conduct outcome and two Beacon assessments; returns the officer.
fn workbench(root: &Path) -> NominalId {
    let mut wb = Workbench::create(root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let officer = wb
        .create_nominal(common::employee("AB77", "Robin", "Quarry"), false)
        .unwrap()
        .id;
    let brother = wb
        .create_nominal(
            NominalDetails::Person {
                forenames: "Dale".into(),
                surname: "Quarry".into(),
                aliases: vec![],
                date_of_birth: Some(date("1979-04-01")),
                flags: PersonFlags {
                    criminal: true,
                    ..PersonFlags::default()
                },
            },
            true,
        )
        .unwrap()
        .id;
    wb.register_notifiable_association(&NaDraft {
        employee: officer,
        associate: brother,
        category: "criminal".into(),
        origin: NaOrigin::Declared,
        declared_on: date("2024-03-01"),
        conditions: String::new(),
        assessment: None,
        review_due_on: None,
        relationship: None,
    })
    .unwrap();
    for (on, category, role, narrative) in [
        (
            "2025-01-20",
            "inappropriate_association",
            "subject",
            "Seen with his brother at a synthetic wedding.",
        ),
        (
            "2025-04-02",
            "disclosure",
            "subject",
            "Said to have told his brother of a planned synthetic search.",
        ),
        (
            "2025-08-15",
            "abuse_of_authority",
            "associate",
            "Named by a synthetic colleague as present at a late-night call.",
        ),
        (
            "2025-10-30",
            "drugs",
            "mentioned",
            "Mentioned in a synthetic report about a licensed premises.",
        ),
    ] {
        let mut fields = common::item_fields(officer, narrative);
        fields.received_on = date(on);
        fields.category = category.into();
        fields.subjects = vec![Subject {
            nominal_id: officer,
            role: role.into(),
        }];
        wb.create_item(&fields, None).unwrap();
    }
    wb.record_conduct_outcome(&ConductOutcome {
        staff_number: "AB77".into(),
        decided_on: date("2025-06-10"),
        category: "disclosure".into(),
        outcome: ConductOutcomeKind::WrittenWarning,
        referred_to_iopc: false,
    })
    .unwrap();
    let instrument = beacon();
    for (on, pick_last) in [("2025-02-01", false), ("2025-09-01", true)] {
        let answers: Answers = instrument
            .factors()
            .iter()
            .map(|f| {
                let option = if pick_last {
                    f.options.last()
                } else {
                    f.options.first()
                };
                (f.key.clone(), option.unwrap().key.clone())
            })
            .collect();
        wb.assess("beacon", officer, &answers, "synthetic", date(on))
            .unwrap();
    }
    wb.lock().unwrap();
    officer
}

fn signed_in(dir: &Path, root: &Path, size: (f32, f32)) -> Harness<'static, WorkbenchApp> {
    let mut harness = gui::app_harness(
        &dir.join("settings"),
        Some(root.to_path_buf()),
        gui::ScriptedPicker::default(),
        size,
    );
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, INSPECTOR, PASSWORD, PURPOSE);
    harness
}

/// What the pictures must not depend on: where the temporary workbench is, and the day its
/// records were made.
fn fix_wall_clock_values(harness: &mut Harness<'_, WorkbenchApp>) {
    if let Screen::Main(main) = harness.state_mut().screen_mut() {
        main.path = "/srv/ccu/Operation Lantern.ccuwb".into();
        // The audit head's hash covers the entries' times.
        main.session.head.hash = ccu_workbench::domain::AuditHash([0xab; 32]);
        // "Last board" starts four weeks before today.
        main.reports.last_board = "2026-11-06".into();
        if let Some(profile) = &mut main.nominals.profile {
            profile.nominal.created_at_utc = "2025-01-10T09:00:00Z".into();
        }
    }
    gui::run_settled(harness);
}

#[test]
fn the_start_screen() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings");
    std::fs::create_dir_all(&settings).unwrap();
    std::fs::write(
        settings.join("settings.json"),
        serde_json::json!({
            "recent_workbenches": [
                "/srv/ccu/Operation Lantern.ccuwb",
                "/srv/ccu/Operation Harrier.ccuwb",
                "/home/analyst/training.ccuwb",
            ],
            "last_opened": {
                "/srv/ccu/Operation Lantern.ccuwb": "2026-11-30",
                "/srv/ccu/Operation Harrier.ccuwb": "2026-10-14",
            },
        })
        .to_string(),
    )
    .unwrap();
    let mut harness = gui::app_harness(
        &settings,
        None,
        gui::ScriptedPicker::default(),
        (1280.0, 800.0),
    );
    gui::run_settled(&mut harness);
    assert!(
        harness
            .query_all_by_label_contains("Operation Lantern")
            .next()
            .is_some()
    );
    harness.snapshot_options("start_screen", &options());
}

#[test]
fn the_subject_profile_and_its_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("snapshot.ccuwb");
    let officer = workbench(&root);
    let mut harness = signed_in(dir.path(), &root, (1280.0, 1000.0));
    click(&mut harness, "Nominals");
    type_into(&mut harness, "Find nominals", "AB77");
    wait_until(&mut harness, "the officer in the results", |h| {
        h.query_by_label_contains("QUARRY (AB77)").is_some()
    });
    harness.get_by_label_contains("QUARRY (AB77)").click();
    wait_until(&mut harness, "the profile", |h| {
        main_screen(h)
            .nominals
            .profile
            .as_ref()
            .is_some_and(|p| p.nominal.id == officer)
            && h.query_by_label("Timeline (8)").is_some()
    });
    fix_wall_clock_values(&mut harness);
    harness.snapshot_options("subject_profile", &options());

    harness.get_by_label("Timeline (8)").scroll_to_me();
    gui::run_settled(&mut harness);
    harness.snapshot_options("subject_timeline", &options());
}

#[test]
fn the_threat_assessment_category_chart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("snapshot.ccuwb");
    workbench(&root);
    let mut harness = signed_in(dir.path(), &root, (1280.0, 1000.0));
    click(&mut harness, "Reports");
    for (label, value) in [("From", "2025-01-01"), ("To", "2025-12-31")] {
        let field = harness.get_by_label(label);
        field.click();
        gui::run_settled(&mut harness);
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.get_by_label(label).type_text(value);
        gui::run_settled(&mut harness);
    }
    // The restricted edition draws every count (the sanitised one hides those below 5).
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Edition")
        .click();
    gui::run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Restricted (names people)")
        .click();
    gui::run_settled(&mut harness);
    click(&mut harness, "Assess");
    wait_until(&mut harness, "the assessment", |h| {
        main_screen(h).reports.assessment.as_ref().is_some()
    });
    assert_eq!(
        main_screen(&harness)
            .reports
            .assessment
            .as_ref()
            .unwrap()
            .current
            .total,
        4
    );
    fix_wall_clock_values(&mut harness);
    harness
        .get_by_label("Intelligence by national category")
        .scroll_to_me();
    gui::run_settled(&mut harness);
    harness.snapshot_options("threat_assessment_chart", &options());
}
