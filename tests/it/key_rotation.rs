//! Master key rotation through the library, including a rotation interrupted at each step.

use crate::common;

use crate::common::{CHEAP, DETECTIVE, DETECTIVE_PASSWORD, INSPECTOR, INSPECTOR_PASSWORD};
use ccu_workbench::Workbench;
use ccu_workbench::crypto::{KeyEpoch, MasterKey};
use ccu_workbench::domain::Role;
use ccu_workbench::store::{Manifest, WorkbenchLayout};
use ccu_workbench::workbench::WorkbenchError;

const ANALYST: &str = "Analyst Synthetic";
const ANALYST_PASSWORD: &str = "analyst pass phrase";

fn workbench_with_three_users(root: &std::path::Path) -> Workbench {
    let mut wb = Workbench::create(root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.add_user(DETECTIVE, Role::Detective, DETECTIVE_PASSWORD)
        .unwrap();
    wb.add_user(ANALYST, Role::Analyst, ANALYST_PASSWORD)
        .unwrap();
    wb
}

fn epochs_in_slots(layout: &WorkbenchLayout) -> Vec<Vec<u32>> {
    layout
        .read_slots_lenient()
        .unwrap()
        .0
        .iter()
        .map(|slot| slot.sealed_master_keys.iter().map(|s| s.epoch.0).collect())
        .collect()
}

#[test]
fn every_remaining_user_unlocks_after_rekey_and_the_store_key_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("rotate.ccuwb");
    let mut wb = workbench_with_three_users(&root);
    let old_key = wb.master_key_for_tests().clone();
    wb.remove_user(ANALYST).unwrap();
    let report = wb.rekey().unwrap();
    assert_eq!(report.new_epoch, 2);
    assert_eq!(report.slots_resealed, 2);
    wb.lock().unwrap();

    let layout = WorkbenchLayout::new(&root);
    assert_eq!(epochs_in_slots(&layout), vec![vec![2], vec![2]]);
    assert_eq!(Manifest::read(&layout).unwrap().key_epoch, 2);
    // The old master key no longer opens the store.
    assert!(ccu_workbench::store::Store::open(&layout.store_path(), &old_key).is_err());

    for (user, password) in [
        (INSPECTOR, INSPECTOR_PASSWORD),
        (DETECTIVE, DETECTIVE_PASSWORD),
    ] {
        let mut wb = Workbench::unlock(&root, user, password).unwrap();
        assert!(wb.verify_audit_log().unwrap().is_intact());
        wb.lock().unwrap();
    }
    assert!(matches!(
        Workbench::unlock(&root, ANALYST, ANALYST_PASSWORD),
        Err(WorkbenchError::WrongCredentials { .. })
    ));
}

#[test]
fn a_rotation_interrupted_after_sealing_the_new_key_still_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("interrupted.ccuwb");
    let wb = workbench_with_three_users(&root);
    wb.lock().unwrap();

    // Step 1 happened (a new key sealed beside the old in every slot), step 2 never did.
    let layout = WorkbenchLayout::new(&root);
    let never_used = MasterKey::generate(KeyEpoch(2)).unwrap();
    for mut slot in layout.read_slots_lenient().unwrap().0 {
        let public_key = slot.public_key;
        slot.seal_master_key(&never_used, &public_key).unwrap();
        layout.write_slot(&slot).unwrap();
    }
    assert_eq!(epochs_in_slots(&layout), vec![vec![1, 2]; 3]);

    let wb = Workbench::unlock(&root, DETECTIVE, DETECTIVE_PASSWORD).unwrap();
    wb.lock().unwrap();
    // The unlocking user's slot was tidied back to the key that opens the store.
    let epochs = epochs_in_slots(&layout);
    assert_eq!(epochs.iter().filter(|e| **e == vec![1]).count(), 1);
    assert_eq!(epochs.iter().filter(|e| **e == vec![1, 2]).count(), 2);
    Workbench::unlock(&root, ANALYST, ANALYST_PASSWORD)
        .unwrap()
        .lock()
        .unwrap();
}

#[test]
fn a_rotation_interrupted_after_rekeying_the_store_still_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("interrupted-late.ccuwb");
    let mut wb = workbench_with_three_users(&root);

    // Steps 1 and 2 of a rotation, done by hand; step 3 (dropping the old key) never happens.
    let layout = WorkbenchLayout::new(&root);
    let new_key = MasterKey::generate(KeyEpoch(2)).unwrap();
    for mut slot in layout.read_slots_lenient().unwrap().0 {
        let public_key = slot.public_key;
        slot.seal_master_key(&new_key, &public_key).unwrap();
        layout.write_slot(&slot).unwrap();
    }
    wb.store_for_tests_mut().rekey(&new_key).unwrap();
    drop(wb);

    for (user, password) in [
        (INSPECTOR, INSPECTOR_PASSWORD),
        (DETECTIVE, DETECTIVE_PASSWORD),
        (ANALYST, ANALYST_PASSWORD),
    ] {
        let mut wb = Workbench::unlock(&root, user, password).unwrap();
        assert!(wb.verify_audit_log().unwrap().is_intact());
        wb.lock().unwrap();
    }
    assert_eq!(epochs_in_slots(&layout), vec![vec![2]; 3]);
    assert_eq!(Manifest::read(&layout).unwrap().key_epoch, 2);
}

#[test]
fn only_an_inspector_rotates_and_a_refusal_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("refused.ccuwb");
    workbench_with_three_users(&root).lock().unwrap();
    let before = common::snapshot(&root.join("slots"));
    let mut detective = Workbench::unlock(&root, DETECTIVE, DETECTIVE_PASSWORD).unwrap();
    assert!(matches!(
        detective.rekey(),
        Err(WorkbenchError::PermissionDenied { .. })
    ));
    detective.lock().unwrap();
    assert_eq!(common::snapshot(&root.join("slots")), before);
}
