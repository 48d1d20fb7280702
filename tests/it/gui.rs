//! GUI tests with `egui_kittest`: unlock, wrong password, lock, navigation, the Users area.

use crate::common::gui::{
    ScriptedPicker, app_harness, click_and_settle, is_main, is_unlock, run_settled, settle,
    submit_password, try_unlock, type_into,
};
use ccu_workbench::Workbench;
use ccu_workbench::crypto::KdfParams;
use ccu_workbench::domain::Role;
use ccu_workbench::ui::WorkbenchApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::time::Duration;

const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;
const INSPECTOR: &str = "DI Testcase";
const INSPECTOR_PASSWORD: &str = "inspector password one";
const DETECTIVE: &str = "DC Testcase";
const DETECTIVE_PASSWORD: &str = "detective password one";

struct Fixture {
    _dir: tempfile::TempDir,
    workbench: PathBuf,
    settings: PathBuf,
}

fn fixture_with_detective() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let workbench = dir.path().join("gui.ccuwb");
    let mut wb = Workbench::create(&workbench, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.add_user(DETECTIVE, Role::Detective, DETECTIVE_PASSWORD)
        .unwrap();
    wb.lock().unwrap();
    let settings = dir.path().join("settings");
    Fixture {
        _dir: dir,
        workbench,
        settings,
    }
}

/// The app at this file's window size.
fn harness(
    settings: &Path,
    initial: Option<PathBuf>,
    picker: ScriptedPicker,
) -> Harness<'static, WorkbenchApp> {
    app_harness(settings, initial, picker, (1280.0, 900.0))
}

/// A fixture and a harness already unlocked as `user`.
fn unlocked(user: &str, password: &str) -> (Fixture, Harness<'static, WorkbenchApp>) {
    let fx = fixture_with_detective();
    let mut harness = harness(
        &fx.settings,
        Some(fx.workbench.clone()),
        ScriptedPicker::default(),
    );
    run_settled(&mut harness);
    try_unlock(&mut harness, user, password);
    (fx, harness)
}

#[test]
fn unlocking_with_the_right_password_opens_the_main_window() {
    let (fx, harness) = unlocked(INSPECTOR, INSPECTOR_PASSWORD);
    assert!(is_main(&harness));
    harness.get_by_label(&format!("User: {INSPECTOR}"));
    harness.get_by_label("Role: Inspector");
    assert!(harness.query_by_label_contains("Audit head: #").is_some());
    // Unlocking remembered the workbench for the start screen.
    assert_eq!(
        harness.state().settings().recent_workbenches,
        vec![fx.workbench.clone()]
    );
}

#[test]
fn a_wrong_password_is_refused_with_a_message_and_a_delay() {
    let fx = fixture_with_detective();
    let mut harness = harness(
        &fx.settings,
        Some(fx.workbench.clone()),
        ScriptedPicker::default(),
    );
    run_settled(&mut harness);
    try_unlock(&mut harness, INSPECTOR, "not the password at all");
    assert!(is_unlock(&harness));
    harness.get_by_label("user name or password is incorrect");
    assert!(
        harness.query_by_label_contains("Wait").is_some(),
        "the unlock button should count down before another attempt"
    );
    assert!(harness.query_by_label("Unlock").is_none());

    // The user name stays and the password field was cleared; once the delay has passed, the
    // right password works.
    assert_eq!(
        harness.get_by_label("User name").value().as_deref(),
        Some(INSPECTOR)
    );
    assert_eq!(
        harness.get_by_label("Password").value().as_deref(),
        Some("")
    );
    std::thread::sleep(Duration::from_millis(1100));
    run_settled(&mut harness);
    submit_password(&mut harness, INSPECTOR_PASSWORD);
    assert!(is_main(&harness));
}

#[test]
fn the_lock_button_and_ctrl_l_lock_the_workbench() {
    let (fx, mut harness) = unlocked(INSPECTOR, INSPECTOR_PASSWORD);
    assert!(is_main(&harness));

    click_and_settle(&mut harness, "Lock");
    assert!(is_unlock(&harness));
    assert!(harness.query_by_label_contains("Locked.").is_some());

    try_unlock(&mut harness, INSPECTOR, INSPECTOR_PASSWORD);
    assert!(is_main(&harness));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    harness.run_steps(2);
    settle(&mut harness);
    assert!(is_unlock(&harness));

    // The store was closed: the write-ahead log is checkpointed away when the last connection goes.
    assert!(!fx.workbench.join("store.db-wal").exists());
}

#[test]
fn navigation_shows_each_area_and_verifies_the_chain() {
    let (_fx, mut harness) = unlocked(DETECTIVE, DETECTIVE_PASSWORD);

    // The Graph area asks for a purpose before it analyses anything.
    harness.get_by_label("Graph").click();
    run_settled(&mut harness);
    assert!(
        harness
            .query_by_label_contains("to analyse the graph")
            .is_some()
    );

    // The Risk tools area opens on the assessment form.
    harness.get_by_label("Risk tools").click();
    run_settled(&mut harness);
    assert!(harness.query_by_label("Find the subject").is_some());
    assert!(
        harness
            .query_by_label("Not available in this version of CCU Workbench.")
            .is_none()
    );

    // The Imports and Reports areas ask for a purpose first.
    harness.get_by_label("Imports").click();
    run_settled(&mut harness);
    assert!(
        harness
            .query_by_label("Set a purpose (top bar) to import data or read leads.")
            .is_some()
    );
    harness.get_by_label("Reports").click();
    run_settled(&mut harness);
    assert!(
        harness
            .query_by_label("Set a purpose (top bar) to read or export reports.")
            .is_some()
    );

    harness.get_by_label("Audit").click();
    run_settled(&mut harness);
    click_and_settle(&mut harness, "Verify chain");
    assert!(harness.query_by_label_contains("Intact:").is_some());
    // A detective verifies the chain but does not read its entries.
    assert!(
        harness
            .query_by_label("Reading the log's entries is for inspectors.")
            .is_some()
    );
}

#[test]
fn the_users_area_is_only_for_inspectors() {
    let (fx, mut harness) = unlocked(DETECTIVE, DETECTIVE_PASSWORD);
    assert!(harness.query_by_label("Users").is_none());
    click_and_settle(&mut harness, "Lock");

    try_unlock(&mut harness, INSPECTOR, INSPECTOR_PASSWORD);
    click_and_settle(&mut harness, "Users");
    assert!(
        harness.query_by_label(DETECTIVE).is_some(),
        "the user list shows the detective"
    );

    harness.get_by_label("New user's name").click();
    harness
        .get_by_label("New user's name")
        .type_text("Analyst Testcase");
    harness.get_by_label("Analyst").click();
    harness.get_by_label("Initial password").click();
    harness
        .get_by_label("Initial password")
        .type_text("analyst password one");
    harness.get_by_label("Repeat initial password").click();
    harness
        .get_by_label("Repeat initial password")
        .type_text("analyst password one");
    run_settled(&mut harness);
    click_and_settle(&mut harness, "Add user");
    assert!(
        harness
            .query_by_label("Added user #3 as Analyst.")
            .is_some()
    );
    assert!(harness.query_by_label("Analyst Testcase").is_some());

    click_and_settle(&mut harness, "Lock");
    let analyst =
        Workbench::unlock(&fx.workbench, "Analyst Testcase", "analyst password one").unwrap();
    assert_eq!(analyst.role(), Role::Analyst);
}

#[test]
fn an_inspector_with_a_purpose_reads_the_audit_log_in_the_table() {
    let (_fx, mut harness) = unlocked(INSPECTOR, INSPECTOR_PASSWORD);
    harness.get_by_label("Audit").click();
    run_settled(&mut harness);
    assert!(
        harness
            .query_by_label_contains("Set a purpose in the top bar")
            .is_some()
    );

    type_into(&mut harness, "Purpose", "OP-GUI-TEST");
    click_and_settle(&mut harness, "Set purpose");
    harness.get_by_label("Purpose: OP-GUI-TEST");
    harness.run_steps(2);
    settle(&mut harness);
    assert!(
        !harness
            .query_all_by_label("workbench.create")
            .collect::<Vec<_>>()
            .is_empty()
    );
    assert!(
        !harness
            .query_all_by_label("purpose.set")
            .collect::<Vec<_>>()
            .is_empty()
    );
}

#[test]
fn a_workbench_can_be_created_from_the_start_screen() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("Created in GUI.ccuwb");
    let picker = ScriptedPicker {
        new_workbench: Some(target.clone()),
        ..ScriptedPicker::default()
    };
    let mut harness = harness(&dir.path().join("settings"), None, picker);
    run_settled(&mut harness);
    harness.get_by_label("New workbench…").click();
    run_settled(&mut harness);
    harness.get_by_label("Browse…").click();
    run_settled(&mut harness);
    type_into(&mut harness, "Your name", INSPECTOR);
    harness.get_by_label("Password").click();
    harness
        .get_by_label("Password")
        .type_text(INSPECTOR_PASSWORD);
    harness.get_by_label("Repeat password").click();
    harness
        .get_by_label("Repeat password")
        .type_text(INSPECTOR_PASSWORD);
    run_settled(&mut harness);
    click_and_settle(&mut harness, "Create");
    assert!(is_main(&harness));
    assert!(target.join("workbench.json").is_file());
    harness.get_by_label("Role: Inspector");
}

/// Issue 22: the main window opens as it was left (the area, the graph's side panel width),
/// kept in the app's settings with nothing about the workbench's content; an area the next
/// user's role does not see is not opened for them.
#[test]
fn the_layout_is_kept_between_runs_in_the_settings() {
    let (fx, mut first) = unlocked(INSPECTOR, INSPECTOR_PASSWORD);
    click_and_settle(&mut first, "Users");
    let saved = std::fs::read_to_string(fx.settings.join("settings.json")).unwrap();
    let settings: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(settings["layout"]["area"], "Users");
    assert!(
        !saved.contains(INSPECTOR),
        "no user or content in the settings"
    );
    // A new run opens on the same area.
    click_and_settle(&mut first, "Lock");
    drop(first);
    let mut harness = harness(
        &fx.settings,
        Some(fx.workbench.clone()),
        ScriptedPicker::default(),
    );
    run_settled(&mut harness);
    try_unlock(&mut harness, INSPECTOR, INSPECTOR_PASSWORD);
    assert_eq!(
        crate::common::gui::main_screen(&harness).area,
        ccu_workbench::ui::Area::Users
    );
    // A detective does not see Users: they start where anyone does.
    click_and_settle(&mut harness, "Lock");
    try_unlock(&mut harness, DETECTIVE, DETECTIVE_PASSWORD);
    assert_eq!(
        crate::common::gui::main_screen(&harness).area,
        ccu_workbench::ui::Area::Intelligence
    );
}
