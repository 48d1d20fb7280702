//! The idle lock against a window that is not drawn: a minimised window reaches its lock with no
//! frame (the app's logic pass, which eframe runs while hidden, locks the session), a window
//! restored after the lock time locks before its input counts and draws nothing of the session,
//! the unit's policy shortens everyone's lock time, and locking clears the interface's memory.
//! (That password fields keep no undo history is tested beside the field, in `ui::widgets`.)

use crate::common::gui::{
    ScriptedPicker, app_harness, main_screen, run_settled, unlock, wait_until,
};
use crate::common::{CHEAP, DETECTIVE, DETECTIVE_PASSWORD, INSPECTOR, INSPECTOR_PASSWORD};
use ccu_workbench::Workbench;
use ccu_workbench::domain::Role;
use ccu_workbench::ui::{Screen, WorkbenchApp};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::time::{Duration, Instant};

struct Fixture {
    _dir: tempfile::TempDir,
    harness: Harness<'static, WorkbenchApp>,
}

fn unlocked_as_detective() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("idle.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.add_user(DETECTIVE, Role::Detective, DETECTIVE_PASSWORD)
        .unwrap();
    wb.lock().unwrap();
    let mut harness = app_harness(
        &dir.path().join("settings"),
        Some(root),
        ScriptedPicker::default(),
        (1280.0, 800.0),
    );
    run_settled(&mut harness);
    unlock(&mut harness, DETECTIVE, DETECTIVE_PASSWORD);
    Fixture { _dir: dir, harness }
}

/// Puts the session's last input `minutes` ago.
fn idle_for(harness: &mut Harness<'static, WorkbenchApp>, minutes: u64) {
    let Screen::Main(main) = harness.state_mut().screen_mut() else {
        panic!("not unlocked");
    };
    main.idle.touch(
        Instant::now()
            .checked_sub(Duration::from_mins(minutes))
            .unwrap(),
    );
}

fn locked(harness: &Harness<'_, WorkbenchApp>) -> bool {
    matches!(harness.state().screen(), Screen::Unlock(_))
}

#[test]
fn a_minimised_window_reaches_its_idle_lock_without_a_frame() {
    let mut fx = unlocked_as_detective();
    idle_for(&mut fx.harness, 30);
    // No frame is drawn: only the logic pass eframe runs while the window is hidden.
    let ctx = fx.harness.ctx.clone();
    fx.harness.state_mut().idle_pass(&ctx);
    assert!(
        main_screen(&fx.harness).locking,
        "the lock started with no frame drawn"
    );
    // The session thread closes the store; the next frame shows the unlock screen.
    wait_until(&mut fx.harness, "the session to lock", locked);
    assert!(fx.harness.query_by_label_contains("Locked.").is_some());
}

#[test]
fn a_window_restored_after_the_lock_time_locks_before_its_input_counts() {
    let mut fx = unlocked_as_detective();
    idle_for(&mut fx.harness, 30);
    // The first frame after restoring brings input (a key, a mouse move).
    fx.harness.key_press(egui::Key::A);
    fx.harness.step();
    // That frame drew nothing of the session: no navigation, no areas; it shows the lock under
    // way, or (if the session thread finished within the frame's passes) the unlock screen.
    assert!(fx.harness.query_by_label("Intelligence").is_none());
    assert!(fx.harness.query_by_label("Locking…").is_some() || locked(&fx.harness));
    wait_until(&mut fx.harness, "the session to lock", locked);
}

#[test]
fn the_units_policy_shortens_everyones_lock_time_and_only_an_inspector_sets_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("policy.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.add_user(DETECTIVE, Role::Detective, DETECTIVE_PASSWORD)
        .unwrap();
    wb.set_idle_lock_policy(Some(2)).unwrap();
    wb.lock().unwrap();
    let mut detective = Workbench::unlock(&root, DETECTIVE, DETECTIVE_PASSWORD).unwrap();
    assert!(detective.set_idle_lock_policy(Some(60)).is_err());
    assert_eq!(detective.idle_lock_policy().unwrap(), Some(2));
    drop(detective);

    let mut harness = app_harness(
        &dir.path().join("settings"),
        Some(root.clone()),
        ScriptedPicker::default(),
        (1280.0, 800.0),
    );
    run_settled(&mut harness);
    unlock(&mut harness, DETECTIVE, DETECTIVE_PASSWORD);
    // The user's own setting (5 minutes by default) is longer than the unit's 2.
    let remaining = main_screen(&harness).idle.remaining(Instant::now());
    assert!(remaining <= Duration::from_mins(2), "{remaining:?}");
    harness.get_by_label("My account").click();
    run_settled(&mut harness);
    assert!(
        harness
            .query_by_label_contains("locks every session after at most 2 minutes")
            .is_some()
    );
    assert!(harness.query_by_label("Set for everyone").is_none());

    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose("OP-POLICY").unwrap();
    let entries = wb.audit_entries(1, 1000).unwrap();
    let set = entries
        .iter()
        .find(|e| e.action == "policy.idle_lock")
        .unwrap();
    assert!(set.detail.contains("\"max_minutes\":2"));
    // Clamped: a policy cannot switch the lock off.
    wb.set_idle_lock_policy(Some(0)).unwrap();
    assert_eq!(wb.idle_lock_policy().unwrap(), Some(1));
}

#[test]
fn locking_clears_the_interfaces_memory() {
    let mut fx = unlocked_as_detective();
    sign_in_purpose(&mut fx.harness);
    fx.harness.ctx.memory_mut(|m| {
        m.data
            .insert_temp(egui::Id::unique("planted"), String::from("CANARY-UI"))
    });
    let ctx = fx.harness.ctx.clone();
    let look = (ctx.theme(), ctx.global_style().visuals.clone());
    idle_for(&mut fx.harness, 30);
    fx.harness.state_mut().idle_pass(&ctx);
    wait_until(&mut fx.harness, "the session to lock", locked);
    // The app's look is not part of what is forgotten.
    assert_eq!(
        (
            fx.harness.ctx.theme(),
            fx.harness.ctx.global_style().visuals.clone()
        ),
        look
    );
    let kept: Option<String> = fx
        .harness
        .ctx
        .memory_mut(|m| m.data.get_temp(egui::Id::unique("planted")));
    assert!(kept.is_none());
}

fn sign_in_purpose(harness: &mut Harness<'static, WorkbenchApp>) {
    crate::common::gui::set_purpose(harness, "OP-IDLE");
}
