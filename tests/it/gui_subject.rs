//! GUI tests of the subject profile (issue 22) with `egui_kittest`: opened from the nominal
//! search, every section checked against the records the test made, the timeline filtered by
//! kind, and an item opened from the profile.

use crate::common;
use crate::common::gui;

use crate::common::CHEAP;
use crate::common::gui::{click, main_screen, type_into, wait_until};

use ccu_workbench::Workbench;
use ccu_workbench::domain::{
    ConductOutcome, ConductOutcomeKind, IsoDate, NaDraft, NaOrigin, NominalDetails, PersonFlags,
};
use egui_kittest::kittest::Queryable;

const INSPECTOR: &str = "DI Subject";

fn role_and_label_contains(
    node: &egui_kittest::kittest::AccessKitNode<'_>,
    role: egui::accesskit::Role,
    words: &str,
) -> bool {
    node.role() == role && node.label().is_some_and(|l| l.contains(words))
}
const PASSWORD: &str = "inspector password one";

#[test]
fn the_subject_profile_shows_every_section_and_its_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("subject.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.set_purpose("OP-GUI-SUBJECT").unwrap();
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
                date_of_birth: "1979-04-01".parse().ok(),
                flags: PersonFlags {
                    criminal: true,
                    ..PersonFlags::default()
                },
            },
            true,
        )
        .unwrap()
        .id;
    let today = IsoDate::today_utc();
    wb.register_notifiable_association(&NaDraft {
        employee: officer,
        associate: brother,
        category: "criminal".into(),
        origin: NaOrigin::Declared,
        declared_on: today.plus_days(-300),
        conditions: String::new(),
        assessment: None,
        review_due_on: None,
        relationship: None,
    })
    .unwrap();
    let item = wb
        .create_item(
            &common::item_fields(officer, "Seen with his brother at a synthetic wedding."),
            None,
        )
        .unwrap();
    wb.record_conduct_outcome(&ConductOutcome {
        staff_number: "AB77".into(),
        decided_on: today.plus_days(-20),
        category: "disclosure".into(),
        outcome: ConductOutcomeKind::WrittenWarning,
        referred_to_iopc: false,
    })
    .unwrap();
    wb.lock().unwrap();

    let report = dir.path().join("profile.pdf");
    let mut harness = gui::app_harness(
        &dir.path().join("settings"),
        Some(root),
        gui::ScriptedPicker {
            export_destination: Some(report.clone()),
            ..gui::ScriptedPicker::default()
        },
        (1400.0, 1600.0),
    );
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-SUBJECT");
    click(&mut harness, "Nominals");
    type_into(&mut harness, "Find nominals", "AB77");
    wait_until(&mut harness, "the officer in the results", |h| {
        h.query_by_label_contains("QUARRY (AB77)").is_some()
    });
    harness.get_by_label_contains("QUARRY (AB77)").click();
    wait_until(&mut harness, "the profile", |h| {
        main_screen(h).nominals.profile.is_some() && h.query_by_label("Timeline (3)").is_some()
    });
    // The record in words, name first; every section with its count, or why it is empty.
    assert!(harness.query_by_label("Staff number").is_some());
    for label in [
        "Notifiable associations (1)",
        "Intelligence (1)",
        "Conduct outcomes (1)",
        "Risk assessments (0)",
        "None made.",
        "Management interventions (0)",
        "None proposed.",
        "No look-ups on force systems imported.",
    ] {
        assert!(harness.query_by_label(label).is_some(), "{label}");
    }
    assert!(
        harness
            .query_by_label_contains("Criminal · Declared on")
            .is_some()
    );
    // Saved as a report (a disclosure), where the picker says.
    click(&mut harness, "Save as report…");
    wait_until(&mut harness, "the report written", |h| {
        gui::idle(h) && report.exists()
    });
    assert!(std::fs::read(&report).unwrap().starts_with(b"%PDF"));
    assert!(
        harness
            .query_by_label_contains("recorded as a disclosure")
            .is_some()
    );
    // In its section, and on the timeline's chart (a button) and in its list.
    assert_eq!(
        harness
            .query_all_by_label_contains("Written warning")
            .count(),
        3
    );
    // The timeline: association, item, conduct outcome... filtered to one kind.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Timeline kind")
        .click();
    gui::run_settled(&mut harness);
    // The list's option (the timeline's own rows say "Conduct outcome" too).
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Conduct outcome")
        .click();
    gui::run_settled(&mut harness);
    assert_eq!(
        main_screen(&harness).nominals.timeline.kind.as_deref(),
        Some("conduct_outcome")
    );
    // On the chart and in the list.
    assert_eq!(
        harness
            .query_all_by_label_contains("Written warning (Disclosure")
            .count(),
        2
    );
    assert!(
        harness
            .query_by_label_contains("Notifiable association (")
            .is_none()
    );
    // Zoomed in and fitted again; then every kind, and the item's event on the chart opens it.
    click(&mut harness, "Zoom in");
    assert!(main_screen(&harness).nominals.timeline.span_days.is_some());
    click(&mut harness, "Fit");
    assert!(main_screen(&harness).nominals.timeline.span_days.is_none());
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Timeline kind")
        .click();
    gui::run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Every kind")
        .click();
    gui::run_settled(&mut harness);
    let event = format!("Intelligence: {} (subject)", item.reference);
    harness
        .get_by(|n| role_and_label_contains(n, egui::accesskit::Role::Button, &event))
        .scroll_to_me();
    gui::run_settled(&mut harness);
    harness
        .get_by(|n| role_and_label_contains(n, egui::accesskit::Role::Button, &event))
        .click();
    wait_until(&mut harness, "the item", |h| {
        main_screen(h).area == ccu_workbench::ui::Area::Intelligence
            && main_screen(h).item.item.is_some()
    });
    // ...and from the item, the subject's name opens the profile again (the log's way in).
    harness
        .get_by(|n| role_and_label_contains(n, egui::accesskit::Role::Link, "QUARRY (AB77)"))
        .click();
    wait_until(&mut harness, "the profile from the item", |h| {
        main_screen(h).area == ccu_workbench::ui::Area::Nominals
            && h.query_by_label("Timeline (3)").is_some()
    });
    // The person's profile: the member of staff linked to them, by a declared route.
    harness
        .get_by_label_contains("Dale QUARRY · Criminal")
        .scroll_to_me();
    gui::run_settled(&mut harness);
    harness
        .get_by_label_contains("Dale QUARRY · Criminal")
        .click();
    wait_until(&mut harness, "the register on the entry", |h| {
        main_screen(h).area == ccu_workbench::ui::Area::NaRegister
    });
    // Ctrl+K, the brother's name, Enter: his profile, with the member of staff who can reach
    // him and how.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    gui::run_settled(&mut harness);
    type_into(&mut harness, "Search items and nominals", "Dale");
    wait_until(&mut harness, "the brother in the results", |h| {
        !main_screen(h).search.hits.is_empty()
    });
    harness.key_press(egui::Key::Enter);
    wait_until(&mut harness, "the brother's profile", |h| {
        main_screen(h)
            .nominals
            .profile
            .as_ref()
            .is_some_and(|p| p.nominal.id == brother)
            && h.query_by_label("Staff within three links (1)").is_some()
    });
    assert!(
        harness
            .query_by_label_contains("QUARRY (AB77) · 1 link(s) · declared")
            .is_some()
    );
    // The profile opens from the register too, from the name.
    click(&mut harness, "NA register");
    wait_until(&mut harness, "the register's row", |h| {
        h.query_all_by_label_contains("QUARRY (AB77)")
            .next()
            .is_some()
    });
    harness
        .get_all_by_label_contains("QUARRY (AB77)")
        .next()
        .unwrap()
        .click();
    wait_until(&mut harness, "the profile again", |h| {
        main_screen(h).area == ccu_workbench::ui::Area::Nominals
            && h.query_by_label("Timeline (3)").is_some()
    });
    // A chart opens on a nominal found by staff number, not by a database id.
    click(&mut harness, "Graph");
    type_into(&mut harness, "Open a chart on", "AB77");
    wait_until(&mut harness, "the officer to chart", |h| {
        !main_screen(h).graph.nominal_hits.is_empty()
    });
    let title = main_screen(&harness).graph.nominal_hits[0].title.clone();
    assert!(title.contains("QUARRY (AB77)"), "{title}");
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, &format!("Chart {title}"))
        .click();
    wait_until(&mut harness, "the chart on the officer", |h| {
        main_screen(h).graph.graph.node_count() >= 2 && h.query_by_label("Dale QUARRY").is_some()
    });
    // From the chart, a node's menu opens its profile.
    harness.get_by_label("Dale QUARRY").click_secondary();
    gui::run_settled(&mut harness);
    harness.get_by_label("Show profile").click();
    wait_until(&mut harness, "the brother's profile from the chart", |h| {
        main_screen(h).area == ccu_workbench::ui::Area::Nominals
            && main_screen(h)
                .nominals
                .profile
                .as_ref()
                .is_some_and(|p| p.nominal.id == brother)
    });
}

/// A search for a nominal that matches nothing says so, and what to try; fewer than two
/// letters says what is needed.
#[test]
fn finding_nominals_says_when_nothing_matches() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("find.ccuwb");
    let wb = Workbench::create(&root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.lock().unwrap();
    let mut harness = gui::app_harness(
        &dir.path().join("settings"),
        Some(root),
        gui::ScriptedPicker::default(),
        (1200.0, 800.0),
    );
    gui::run_settled(&mut harness);
    gui::sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-FIND");
    click(&mut harness, "Nominals");
    assert!(
        harness
            .query_by_label_contains("Type at least two letters")
            .is_some()
    );
    type_into(&mut harness, "Find nominals", "Zzqx");
    wait_until(&mut harness, "the empty answer", |h| {
        h.query_by_label_contains("No nominal matches \"Zzqx\"")
            .is_some()
    });
}
