//! Every role against every library operation: allowed exactly when the permission table says so,
//! and a refused call changes nothing.

// Helpers fail the test on error, as the tests themselves do.
#![allow(clippy::unwrap_used)]

mod common;

use ccu_workbench::Workbench;
use ccu_workbench::domain::{Action, Role, User};
use ccu_workbench::workbench::WorkbenchError;
use common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD, snapshot};
use std::path::Path;

const TARGET: &str = "Target Synthetic";
const PASSWORD: &str = "shared test pass phrase";

fn name_for(role: Role) -> &'static str {
    match role {
        Role::Detective => "Detective Synthetic",
        Role::Analyst => "Analyst Synthetic",
        Role::Inspector => "Second Inspector Synthetic",
    }
}

type Operation = fn(&mut Workbench, &Path) -> Result<(), WorkbenchError>;

/// Each operation with the permission it needs.
fn operations() -> Vec<(&'static str, Action, Operation)> {
    vec![
        ("add_user", Action::ManageUsers, |wb, _| {
            wb.add_user("Extra Synthetic", Role::Analyst, PASSWORD)
                .map(drop)
        }),
        ("remove_user", Action::ManageUsers, |wb, _| {
            wb.remove_user(TARGET)
        }),
        ("reset_password", Action::ManageUsers, |wb, _| {
            wb.reset_password(TARGET, "another pass phrase")
        }),
        ("users", Action::ListUsers, |wb, _| wb.users().map(drop)),
        ("change_own_password", Action::ChangeOwnPassword, |wb, _| {
            wb.change_own_password(PASSWORD, "a changed pass phrase")
        }),
        ("rekey", Action::RotateMasterKey, |wb, _| {
            wb.rekey().map(drop)
        }),
        ("backup", Action::Backup, |wb, dir| {
            wb.backup(&dir.join("backup.ccuwb")).map(drop)
        }),
        ("audit_entries", Action::ViewAuditLog, |wb, _| {
            wb.audit_entries(1, 10).map(drop)
        }),
        ("verify_audit_log", Action::VerifyAuditLog, |wb, _| {
            wb.verify_audit_log().map(drop)
        }),
    ]
}

/// A workbench with one user of each role (all with `PASSWORD`) and a target user.
fn setup(root: &Path) {
    let mut wb = Workbench::create(root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    for role in Role::ALL {
        wb.add_user(name_for(role), role, PASSWORD).unwrap();
    }
    wb.add_user(TARGET, Role::Detective, PASSWORD).unwrap();
    wb.lock().unwrap();
}

fn users_seen_by_inspector(root: &Path) -> Vec<User> {
    let mut wb = Workbench::unlock(root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    let users = wb.users().unwrap();
    wb.lock().unwrap();
    users
}

#[test]
fn every_role_is_allowed_exactly_what_the_table_says() {
    // Every action in the table is exercised by at least one operation.
    for action in Action::ALL {
        assert!(
            operations().iter().any(|(_, needed, _)| *needed == action),
            "{action:?} has no operation in this test"
        );
    }
    for role in Role::ALL {
        for (name, action, operation) in operations() {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("matrix.ccuwb");
            setup(&root);
            let users_before = users_seen_by_inspector(&root);
            let slots_before = snapshot(&root.join("slots"));

            let mut wb = Workbench::unlock(&root, name_for(role), PASSWORD).unwrap();
            wb.set_purpose("OP-ACCESS-MATRIX").unwrap();
            let result = operation(&mut wb, dir.path());
            wb.lock().unwrap();

            if action.is_permitted_for(role) {
                assert!(result.is_ok(), "{role:?} {name}: {result:?}");
            } else {
                assert!(
                    matches!(result, Err(WorkbenchError::PermissionDenied { .. })),
                    "{role:?} {name}: {result:?}"
                );
                assert_eq!(
                    users_seen_by_inspector(&root),
                    users_before,
                    "{role:?} {name}"
                );
                assert_eq!(
                    snapshot(&root.join("slots")),
                    slots_before,
                    "{role:?} {name}"
                );
                assert!(!dir.path().join("backup.ccuwb").exists(), "{role:?} {name}");
            }
        }
    }
}

#[test]
fn consultation_and_disclosure_need_a_purpose_even_for_an_inspector() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("purpose.ccuwb");
    setup(&root);
    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    assert!(matches!(
        wb.audit_entries(1, 10),
        Err(WorkbenchError::PurposeRequired { .. })
    ));
    assert!(matches!(
        wb.backup(&dir.path().join("b.ccuwb")),
        Err(WorkbenchError::PurposeRequired { .. })
    ));
    assert!(!dir.path().join("b.ccuwb").exists());
    assert!(wb.set_purpose("  ").is_err());
    wb.set_purpose("OP-PURPOSE").unwrap();
    let entries = wb.audit_entries(1, 1000).unwrap();
    let viewed = entries
        .iter()
        .rev()
        .find(|e| e.action == "audit.view")
        .unwrap();
    assert_eq!(viewed.justification, "OP-PURPOSE");
    wb.lock().unwrap();
}
