//! The GUI against an insider: a store put back from an older copy is announced in words when
//! the main window opens (and stays until dismissed), the Audit area reports a role grant that
//! does not verify by the user's name, and the signed head is exported and checked from it.

use crate::common::gui::{
    ScriptedPicker, app_harness, click, click_and_settle, main_screen, run_settled, sign_in,
};
use crate::common::{CHEAP, DETECTIVE, DETECTIVE_PASSWORD, INSPECTOR, INSPECTOR_PASSWORD};
use ccu_workbench::Workbench;
use ccu_workbench::domain::Role;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;

struct Fixture {
    dir: tempfile::TempDir,
    workbench: PathBuf,
    /// The app's settings folder: also where this machine notes the last audit head.
    settings: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let workbench = dir.path().join("insider.ccuwb");
    let settings = dir.path().join("settings");
    let mut wb = Workbench::create(&workbench, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.add_user(DETECTIVE, Role::Detective, DETECTIVE_PASSWORD)
        .unwrap();
    wb.lock().unwrap();
    Fixture {
        dir,
        workbench,
        settings,
    }
}

#[test]
fn a_store_put_back_from_an_older_copy_is_announced_until_dismissed() {
    let fx = fixture();
    let old = fx.dir.path().join("store.db.old");
    std::fs::copy(fx.workbench.join("store.db"), &old).unwrap();
    // A session on this machine moves the log on (and notes its head in the settings folder).
    let mut wb = Workbench::unlock_on_machine(
        &fx.workbench,
        INSPECTOR,
        INSPECTOR_PASSWORD,
        Some(&fx.settings),
    )
    .unwrap();
    wb.set_purpose("OP-INSIDER").unwrap();
    wb.users().unwrap();
    wb.lock().unwrap();
    // The insider puts the older store back.
    std::fs::copy(&old, fx.workbench.join("store.db")).unwrap();

    let mut harness = app_harness(
        &fx.settings,
        Some(fx.workbench.clone()),
        ScriptedPicker::default(),
        (1280.0, 800.0),
    );
    run_settled(&mut harness);
    sign_in(&mut harness, INSPECTOR, INSPECTOR_PASSWORD, "OP-INSIDER");
    assert!(harness.query_by_label("Security warning").is_some());
    assert!(
        harness
            .query_by_label_contains("may have been replaced by an older copy")
            .is_some()
    );
    // It stays while the user moves between areas, until dismissed.
    click(&mut harness, "Audit");
    assert!(harness.query_by_label("Security warning").is_some());
    click(&mut harness, "Dismiss");
    assert!(harness.query_by_label("Security warning").is_none());
    assert!(main_screen(&harness).security_warnings.is_empty());
}

#[test]
fn the_audit_area_names_a_forged_role_and_exports_and_checks_a_signed_head() {
    let fx = fixture();
    // The detective makes themself inspector in the store.
    let wb = Workbench::unlock(&fx.workbench, DETECTIVE, DETECTIVE_PASSWORD).unwrap();
    wb.store_for_tests()
        .raw_connection()
        .execute(
            &format!("UPDATE users SET role = 'inspector' WHERE name = '{DETECTIVE}'"),
            [],
        )
        .unwrap();
    drop(wb);
    let head = fx.dir.path().join("audit-head.json");
    let mut harness = app_harness(
        &fx.settings,
        Some(fx.workbench.clone()),
        ScriptedPicker {
            export_destination: Some(head.clone()),
            signed_head: Some(head.clone()),
            ..ScriptedPicker::default()
        },
        (1280.0, 800.0),
    );
    run_settled(&mut harness);
    sign_in(&mut harness, INSPECTOR, INSPECTOR_PASSWORD, "OP-INSIDER");
    // The unlock already said so...
    assert!(
        harness
            .query_by_label_contains(&format!("The role of user {DETECTIVE} is not backed"))
            .is_some()
    );
    click(&mut harness, "Dismiss");
    // ...and so does verification, by name.
    click(&mut harness, "Audit");
    click_and_settle(&mut harness, "Verify chain");
    assert!(
        harness
            .query_by_label_contains(&format!(
                "The role of {DETECTIVE} is not backed by a valid grant"
            ))
            .is_some()
    );
    click_and_settle(&mut harness, "Export signed head…");
    assert!(head.is_file());
    assert!(
        harness
            .query_by_label_contains("Keep it on write-once storage")
            .is_some()
    );
    click_and_settle(&mut harness, "Check against a signed head…");
    assert!(
        harness
            .query_by_label_contains("The log still holds the signed head of entry")
            .is_some()
    );
}

#[test]
fn adding_a_third_inspector_in_the_users_area_asks_for_a_second_inspector() {
    let fx = fixture();
    let mut wb = Workbench::unlock(&fx.workbench, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.add_user("DI Deputy Synthetic", Role::Inspector, "deputy pass phrase")
        .unwrap();
    wb.lock().unwrap();
    let mut harness = app_harness(
        &fx.settings,
        Some(fx.workbench.clone()),
        ScriptedPicker::default(),
        (1280.0, 900.0),
    );
    run_settled(&mut harness);
    sign_in(&mut harness, INSPECTOR, INSPECTOR_PASSWORD, "OP-INSIDER");
    click_and_settle(&mut harness, "Users");
    crate::common::gui::type_into(&mut harness, "New user's name", "DCI Third Synthetic");
    harness
        .get_by_role_and_label(egui::accesskit::Role::RadioButton, "Inspector")
        .click();
    run_settled(&mut harness);
    crate::common::gui::type_into(&mut harness, "Initial password", "third pass phrase");
    crate::common::gui::type_into(&mut harness, "Repeat initial password", "third pass phrase");
    click_and_settle(&mut harness, "Add user");
    assert!(
        harness
            .query_by_label_contains("needs a second inspector")
            .is_some()
    );
    crate::common::gui::type_into(&mut harness, "Second inspector", "DI Deputy Synthetic");
    crate::common::gui::type_into(
        &mut harness,
        "Second inspector's password",
        "deputy pass phrase",
    );
    crate::common::gui::type_into(&mut harness, "Initial password", "third pass phrase");
    crate::common::gui::type_into(&mut harness, "Repeat initial password", "third pass phrase");
    click_and_settle(&mut harness, "Add user");
    assert!(harness.query_by_label_contains("as Inspector").is_some());
    let third =
        Workbench::unlock(&fx.workbench, "DCI Third Synthetic", "third pass phrase").unwrap();
    assert_eq!(third.role(), Role::Inspector);
}
