//! GUI tests of the intelligence log with `egui_kittest`: record an item through the form, see it
//! in the log, find it with global search; field messages; keyboard navigation; the demo builder.

use crate::common::gui::{
    ScriptedPicker, app_harness, click_and_settle, is_main, run_settled, set_purpose, type_into,
    unlock, wait_until,
};
use ccu_workbench::Workbench;
use ccu_workbench::crypto::KdfParams;
use ccu_workbench::domain::NominalDetails;
use ccu_workbench::ui::WorkbenchApp;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::path::{Path, PathBuf};

const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;
const INSPECTOR: &str = "DI Testcase";
const PASSWORD: &str = "inspector password one";

/// The app at this file's window size.
fn harness(settings: &Path, initial: Option<PathBuf>) -> Harness<'static, WorkbenchApp> {
    app_harness(
        settings,
        initial,
        ScriptedPicker::default(),
        (1400.0, 1000.0),
    )
}

/// A workbench with one employee, unlocked in the GUI with a purpose set.
fn unlocked_with_purpose(dir: &Path) -> Harness<'static, WorkbenchApp> {
    let root = dir.join("gui-intel.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.create_nominal(
        NominalDetails::Employee {
            staff_number: "S100200".into(),
            forenames: "Robin".into(),
            surname: "Fieldhouse".into(),
            rank_grade: "PC".into(),
            role: String::new(),
            department: "Response".into(),
            employee_type: "officer".into(),
            vetting_level: None,
            vetting_expiry: None,
            status: "serving".into(),
            date_of_birth: None,
        },
        false,
    )
    .unwrap();
    wb.lock().unwrap();
    let mut harness = harness(&dir.join("settings"), Some(root));
    run_settled(&mut harness);
    unlock(&mut harness, INSPECTOR, PASSWORD);
    set_purpose(&mut harness, "OP-GUI-INTEL");
    wait_until(&mut harness, "the log to be counted", |h| {
        h.query_by_label("0 items").is_some()
    });
    harness
}

#[test]
fn an_item_recorded_through_the_form_appears_in_the_log_and_in_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = unlocked_with_purpose(dir.path());

    click_and_settle(&mut harness, "New item");
    type_into(
        &mut harness,
        "Narrative",
        "A synthetic zephyrine sighting near the custody suite.",
    );
    type_into(&mut harness, "Find a nominal", "Fieldhouse");
    wait_until(&mut harness, "a subject suggestion", |h| {
        h.query_by_label_contains("Add PC Robin FIELDHOUSE")
            .is_some()
    });
    harness
        .get_by_label_contains("Add PC Robin FIELDHOUSE")
        .click();
    run_settled(&mut harness);
    assert!(
        harness
            .query_by_label_contains("Remove PC Robin FIELDHOUSE")
            .is_some()
    );
    click_and_settle(&mut harness, "Record item");
    wait_until(&mut harness, "the item view", |h| {
        h.query_by_label("CCU/2026/000001").is_some()
    });
    assert!(
        harness
            .query_by_label("A synthetic zephyrine sighting near the custody suite.")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("PC Robin FIELDHOUSE (S100200)")
            .is_some(),
        "the subject, by name"
    );

    click_and_settle(&mut harness, "Back to the log");
    wait_until(&mut harness, "the new row", |h| {
        h.query_by_label("1 items").is_some() && h.query_by_label("CCU/2026/000001").is_some()
    });

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    run_settled(&mut harness);
    type_into(&mut harness, "Search items and nominals", "zephyr");
    wait_until(&mut harness, "a search result", |h| {
        h.query_by_label_contains("Item · CCU/2026/000001")
            .is_some()
    });
    // Issue 22: the matched word is highlighted, not wrapped in the snippet's marks.
    let result = harness
        .get_by_label_contains("Item · CCU/2026/000001")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    assert!(
        result.to_lowercase().contains("zephyr") && !result.contains('«') && !result.contains('»'),
        "{result}"
    );
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    wait_until(&mut harness, "the item from search", |h| {
        h.query_by_label("Move to Assessed").is_some()
    });

    // The status moves with a reason, and the history shows the earlier version.
    type_into(&mut harness, "Reason for the change", "graded and assessed");
    click_and_settle(&mut harness, "Move to Assessed");
    wait_until(&mut harness, "the new status", |h| {
        h.query_by_label("Move to In development").is_some()
    });
    click_and_settle(&mut harness, "History");
    wait_until(&mut harness, "the history", |h| {
        h.query_by_label_contains("Version 1 · replaced").is_some()
    });
}

#[test]
fn the_form_shows_each_problem_beside_its_field_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = unlocked_with_purpose(dir.path());
    click_and_settle(&mut harness, "New item");
    let handling_c = harness.query_all_by_label("C").last().unwrap();
    handling_c.click();
    run_settled(&mut harness);
    harness.get_by_label("Received on").click();
    harness.get_by_label("Received on").type_text("x");
    run_settled(&mut harness);
    click_and_settle(&mut harness, "Record item");
    assert!(
        harness
            .query_by_label("expected a date written YYYY-MM-DD")
            .is_some()
    );

    // Fix the date; the workbench itself then names the empty narrative and missing conditions.
    harness.get_by_label("Received on").click();
    harness.key_press(egui::Key::Backspace);
    run_settled(&mut harness);
    click_and_settle(&mut harness, "Record item");
    wait_until(&mut harness, "the field messages", |h| {
        h.query_by_label("handling code C requires its conditions to be recorded")
            .is_some()
    });
    assert!(harness.query_by_label("is empty").is_some());
    assert!(
        harness
            .query_by_label("The item was not saved: see the messages beside the fields.")
            .is_some()
    );
    click_and_settle(&mut harness, "Cancel");
    wait_until(&mut harness, "the log", |h| {
        h.query_by_label("0 items").is_some()
    });
}

#[test]
fn the_demo_builder_opens_a_log_navigable_by_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&dir.path().join("settings"), None);
    run_settled(&mut harness);
    click_and_settle(&mut harness, "Create demo workbench…");
    harness.get_by_label("Folder").click();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Folder")
        .type_text(&dir.path().join("Demo Test").display().to_string());
    run_settled(&mut harness);
    type_into(&mut harness, "Password", "demo pass phrase");
    type_into(&mut harness, "Repeat password", "demo pass phrase");
    click_and_settle(&mut harness, "Build demo");
    wait_until(&mut harness, "the demo to open", is_main);
    assert!(
        dir.path()
            .join("Demo Test.ccuwb")
            .join("store.db")
            .is_file()
    );

    set_purpose(&mut harness, "OP-DEMO-GUI");
    wait_until(&mut harness, "the demo log", |h| {
        h.query_by_label("600 items").is_some()
    });
    // Newest first: the first row is the last item recorded; Down then Enter opens it.
    harness.key_press(egui::Key::ArrowDown);
    run_settled(&mut harness);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    wait_until(&mut harness, "the item opened from the keyboard", |h| {
        h.query_by_label("Back to the log").is_some()
            && h.query_by_label_contains("CCU/2026/").is_some()
    });
}

#[test]
fn the_log_table_draws_a_screenful_at_a_million_rows() {
    use ccu_workbench::domain::{IntelRow, ItemId, Role, User, UserId};
    use ccu_workbench::ui::{
        AppCommand, CommandQueue, IntelLogPanel, MainCommand, Request, SessionView,
    };
    let session = SessionView {
        user: User {
            id: UserId(1),
            name: INSPECTOR.into(),
            role: Role::Inspector,
            created_at_utc: String::new(),
            removed_at_utc: None,
        },
        purpose: Some("OP-TABLE".into()),
        head: ccu_workbench::store::AuditHead {
            seq: 0,
            hash: ccu_workbench::domain::genesis_hash("table"),
        },
        busy: None,
        reference: std::sync::Arc::new(
            ccu_workbench::io::reference_file::shipped_default().unwrap(),
        ),
        today: "2026-06-01".parse().unwrap(),
    };
    let mut panel = IntelLogPanel::default();
    let query = panel.query.clone();
    panel.apply_count(&query, 1_000_000);
    let rows = (0..200_u64)
        .map(|n| IntelRow {
            id: ItemId(i64::try_from(n).unwrap()),
            reference: format!("CCU/2026/{n:06}"),
            received_on: "2026-01-01".parse().unwrap(),
            category: "disclosure".into(),
            grading: "2B P".into(),
            status: "assessed".into(),
            owner_id: UserId(1),
            next_review_on: None,
            summary: "Synthetic".into(),
            priority: None,
            restricted: false,
        })
        .collect();
    panel.apply_page(&query, 0, rows);
    let commands = std::rc::Rc::new(CommandQueue::default());
    let sent = std::rc::Rc::clone(&commands);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            move |ui, panel: &mut IntelLogPanel| panel.ui(ui, &session, &commands),
            panel,
        );
    harness.run_steps(3);
    assert!(harness.query_by_label("CCU/2026/000000").is_some());
    let drawn = harness.state().rows_drawn_last_frame;
    assert!((10..100).contains(&drawn), "drew {drawn} rows of a million");
    // Jumping to the middle asks for just the pages it shows, not the rows before them.
    harness.state_mut().selected = Some(500_000);
    harness.run_steps(3);
    assert!(harness.state().rows_drawn_last_frame < 100);
    let pages: Vec<u64> = sent
        .take()
        .into_iter()
        .filter_map(|c| match c {
            AppCommand::Main(MainCommand::Send(_, Request::IntelPage { offset, .. })) => {
                Some(offset)
            }
            _ => None,
        })
        .collect();
    assert!(!pages.is_empty() && pages.len() <= 3, "{pages:?}");
    assert!(
        pages.iter().all(|o| (499_000..=501_000).contains(o)),
        "{pages:?}"
    );
}

#[test]
fn a_text_attachment_is_read_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("attach.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    let subject = wb
        .create_nominal(
            NominalDetails::Organisation {
                name: "Attachment Org".into(),
                sector: String::new(),
            },
            false,
        )
        .unwrap()
        .id;
    let fields = ccu_workbench::domain::IntelItemFields {
        received_on: "2026-02-02".parse().unwrap(),
        source_type: "complaint".into(),
        narrative: "Synthetic item with a statement attached.".into(),
        grading: ccu_workbench::domain::Grading {
            source_evaluation: "2".into(),
            intelligence_assessment: "B".into(),
            handling_code: "P".into(),
            handling_conditions: None,
        },
        legacy_grading: None,
        category: "other".into(),
        subcategory: None,
        subjects: vec![ccu_workbench::domain::Subject {
            nominal_id: subject,
            role: "mentioned".into(),
        }],
        next_review_on: None,
    };
    let item = wb.create_item(&fields, None).unwrap();
    wb.attach_file(
        &item.reference,
        "statement.txt",
        b"Synthetic statement: the meeting was at noon.",
    )
    .unwrap();
    wb.lock().unwrap();

    let mut harness = harness(&dir.path().join("settings"), Some(root));
    run_settled(&mut harness);
    unlock(&mut harness, INSPECTOR, PASSWORD);
    set_purpose(&mut harness, "OP-ATTACH");
    wait_until(&mut harness, "the log", |h| {
        h.query_by_label("1 items").is_some()
    });
    wait_until(&mut harness, "the row", |h| {
        h.query_by_label(&item.reference).is_some()
    });
    harness.get_by_label(&item.reference).click();
    harness.run_steps(2);
    wait_until(&mut harness, "the item", |h| {
        h.query_by_label("View statement.txt").is_some()
    });
    click_and_settle(&mut harness, "View statement.txt");
    wait_until(&mut harness, "the attachment text", |h| {
        h.query_by_label("Synthetic statement: the meeting was at noon.")
            .is_some()
    });
}

/// Issue 20, correction 5: "A legacy grading can be entered in the item form ...; the 3x5x2
/// equivalent is shown beside the original, which is kept."
#[test]
fn the_item_form_takes_a_legacy_grading_and_shows_its_3x5x2_equivalent() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = unlocked_with_purpose(dir.path());
    click_and_settle(&mut harness, "New item");
    harness.get_by_label("Graded under 5x5x5").click();
    run_settled(&mut harness);
    // The default legacy grading B2 1: evaluation 2 is known directly to the source, so A.
    assert!(
        harness
            .query_by_label(
                "1A P: Reliable, known directly to the source, lawful sharing permitted"
            )
            .is_some()
    );
    harness
        .get_by_role_and_label(
            egui::accesskit::Role::ComboBox,
            "5x5x5 intelligence evaluation",
        )
        .click();
    run_settled(&mut harness);
    harness
        .get_by_label("Not personally known to the source but corroborated")
        .click();
    run_settled(&mut harness);
    assert!(
        harness
            .query_by_label_contains(
                "1B P: Reliable, known indirectly to the source but corroborated"
            )
            .is_some()
    );
    type_into(
        &mut harness,
        "Narrative",
        "A synthetic report from the old log, graded B31 in 2019.",
    );
    click_and_settle(&mut harness, "Record item");
    wait_until(&mut harness, "the item view", |h| {
        h.query_by_label("CCU/2026/000001").is_some()
    });
    assert!(
        harness.query_by_label("1B P").is_some(),
        "the 3x5x2 grading"
    );
    assert!(
        harness
            .query_by_label_contains("B31 (3x5x2 equivalent 1B P")
            .is_some(),
        "the 5x5x5 grading kept beside its equivalent"
    );
}

/// Issue 20, correction 10: the log has a Priority column that sorts and filters.
#[test]
fn the_log_sorts_and_filters_by_priority() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("gui-priority.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.set_purpose("OP-GUI-PRIORITY").unwrap();
    let subject = wb
        .create_nominal(
            NominalDetails::Person {
                forenames: "Sol".into(),
                surname: "Priority".into(),
                aliases: vec![],
                date_of_birth: None,
                flags: ccu_workbench::domain::PersonFlags::default(),
            },
            false,
        )
        .unwrap()
        .id;
    let instrument = wb.instrument("intelligence_priority", None).unwrap();
    let answers = |highest: bool| -> ccu_workbench::risk::Answers {
        instrument
            .factors()
            .iter()
            .filter(|f| !ccu_workbench::risk::GRADING_FACTORS.contains(&f.key.as_str()))
            .map(|f| {
                let option = if highest {
                    f.options.last().unwrap()
                } else {
                    &f.options[0]
                };
                (f.key.clone(), option.key.clone())
            })
            .collect()
    };
    let mut references = Vec::new();
    for (n, level) in [Some(false), Some(true), None].into_iter().enumerate() {
        let mut fields = crate::common::item_fields(subject, &format!("Synthetic item {n}."));
        fields.received_on = format!("2026-0{}-01", n + 1).parse().unwrap();
        let reference = wb.create_item(&fields, None).unwrap().reference;
        if let Some(highest) = level {
            wb.prioritise_item(
                &reference,
                &answers(highest),
                "Scored for the test.",
                wb.today(),
            )
            .unwrap();
        }
        references.push(reference);
    }
    wb.lock().unwrap();
    let mut harness = harness(&dir.path().join("settings"), Some(root));
    run_settled(&mut harness);
    unlock(&mut harness, INSPECTOR, PASSWORD);
    set_purpose(&mut harness, "OP-GUI-PRIORITY");
    wait_until(&mut harness, "the log", |h| {
        h.query_by_label("3 items").is_some()
    });
    assert!(harness.query_by_label("Not scored").is_some());

    // Sorted by priority: the urgent item first, the unscored one last.
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Priority")
        .click();
    wait_until(&mut harness, "the log sorted by priority", |h| {
        let log = &crate::common::gui::main_screen(h).intel_log;
        log.query.sort == ccu_workbench::domain::IntelSort::Priority
            && log.row_reference(0) == Some(references[1].as_str())
    });
    let log = &crate::common::gui::main_screen(&harness).intel_log;
    assert_eq!(log.row_reference(2), Some(references[2].as_str()));

    // Filtered to the items not yet scored.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Priority filter")
        .click();
    run_settled(&mut harness);
    {
        use egui_kittest::kittest::NodeT;
        harness
            .get_all_by_label("Not scored")
            .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
            .unwrap()
            .click();
    }
    run_settled(&mut harness);
    assert_eq!(
        crate::common::gui::main_screen(&harness)
            .intel_log
            .query
            .priority
            .as_deref(),
        Some(ccu_workbench::domain::NOT_SCORED)
    );
    wait_until(&mut harness, "the unscored item alone", |h| {
        h.query_by_label("1 items").is_some()
    });
}
