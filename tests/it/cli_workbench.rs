//! The command line on temporary workbenches: init, unlock, wrong passwords, damaged files, users,
//! passwords, roles, backup and restore, key rotation, exit codes and one-line errors.

use crate::common::{
    DETECTIVE, DETECTIVE_PASSWORD, INSPECTOR, INSPECTOR_PASSWORD, Sandbox, audit_json, snapshot,
};
use std::path::Path;

/// The single stderr line of a failed command, checked to be one clean line.
fn error_line(output: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one stderr line, got: {stderr:?}");
    assert!(lines[0].starts_with("error: "), "{stderr:?}");
    for forbidden in [
        "panicked",
        "backtrace",
        "RUST_BACKTRACE",
        "hmac check failed",
        "ERROR CORE",
    ] {
        assert!(!stderr.contains(forbidden), "{stderr:?}");
    }
    lines[0].to_owned()
}

fn code(output: &std::process::Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn init(sandbox: &Sandbox) {
    sandbox
        .cli()
        .args(["init", "--admin", INSPECTOR])
        .env("CCU_NEW_PASSWORD", INSPECTOR_PASSWORD)
        .assert()
        .success();
}

fn user_names(sandbox: &Sandbox) -> Vec<String> {
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["user", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let users: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    users
        .iter()
        .filter(|u| u["removed_at_utc"].is_null())
        .map(|u| u["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn init_creates_a_workbench_that_unlocks_with_the_admin_credentials() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    let root = sandbox.workbench();
    assert!(root.join("workbench.json").is_file());
    assert!(root.join("store.db").is_file());
    assert_eq!(std::fs::read_dir(root.join("slots")).unwrap().count(), 1);
    assert_eq!(user_names(&sandbox), vec![INSPECTOR.to_owned()]);
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["audit", "verify"])
        .assert()
        .success()
        .stdout(predicates::str::contains("audit log intact"));
}

#[test]
fn init_refuses_an_existing_workbench_and_a_short_password() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    let before = snapshot(&sandbox.workbench());
    let out = sandbox
        .cli()
        .args(["init", "--admin", INSPECTOR])
        .env("CCU_NEW_PASSWORD", INSPECTOR_PASSWORD)
        .output()
        .unwrap();
    assert_ne!(code(&out), 0);
    assert!(error_line(&out).contains("already exists"));
    assert_eq!(snapshot(&sandbox.workbench()), before);

    let other = sandbox.path("short.ccuwb");
    let out = sandbox
        .cli()
        .env("CCU_WORKBENCH", &other)
        .args(["init", "--admin", INSPECTOR])
        .env("CCU_NEW_PASSWORD", "short")
        .output()
        .unwrap();
    assert_ne!(code(&out), 0);
    assert!(error_line(&out).contains("shorter than 12"));
    assert!(!other.exists(), "a refused init leaves nothing behind");
}

#[test]
fn a_wrong_password_changes_no_file_and_is_logged_at_the_next_unlock() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let root = sandbox.workbench();
    let before = snapshot(&root);

    let out = sandbox
        .cli_as(DETECTIVE, "a wrong pass phrase")
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
    assert_eq!(
        error_line(&out),
        "error: user name or password is incorrect"
    );

    let after = snapshot(&root);
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{} changed", path.display());
    }
    let added: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert_eq!(
        added.len(),
        1,
        "only the sealed failed-login record is new: {added:?}"
    );
    assert!(added[0].starts_with(root.join("failed-logins")));
    let record = &after[added[0]];
    assert!(
        !record
            .windows(DETECTIVE.len())
            .any(|w| w == DETECTIVE.as_bytes())
    );

    let entries = audit_json(&sandbox);
    let failed: Vec<_> = entries
        .iter()
        .filter(|e| e["action"] == "login.failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["user_name"], DETECTIVE);
    assert!(failed[0]["user_id"].is_null());
    assert_eq!(
        std::fs::read_dir(root.join("failed-logins"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn an_unknown_user_gets_the_same_message_as_a_wrong_password() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let out = sandbox
        .cli_as("Nobody Synthetic", DETECTIVE_PASSWORD)
        .args(["user", "list"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
    assert_eq!(
        error_line(&out),
        "error: user name or password is incorrect"
    );
}

fn expect_damaged(sandbox: &Sandbox) {
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 6, "{}", String::from_utf8_lossy(&out.stderr));
    let line = error_line(&out);
    assert!(
        line.contains("damaged") || line.contains("missing"),
        "{line}"
    );
}

#[test]
fn a_truncated_or_corrupt_store_is_reported_clearly() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let store = sandbox.workbench().join("store.db");
    let original = std::fs::read(&store).unwrap();
    assert!(original.len() > 8192);

    std::fs::write(&store, &original[..original.len() / 2]).unwrap();
    expect_damaged(&sandbox);

    std::fs::write(&store, b"").unwrap();
    expect_damaged(&sandbox);
    assert_eq!(
        std::fs::metadata(&store).unwrap().len(),
        0,
        "no schema was written into it"
    );

    let mut flipped = original.clone();
    for byte in &mut flipped[100..200] {
        *byte ^= 0x5a;
    }
    std::fs::write(&store, &flipped).unwrap();
    expect_damaged(&sandbox);

    std::fs::remove_file(&store).unwrap();
    expect_damaged(&sandbox);

    std::fs::write(&store, &original).unwrap();
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn a_damaged_key_slot_is_named_without_locking_out_other_users() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let slots = sandbox.workbench().join("slots");
    let mut files: Vec<_> = std::fs::read_dir(&slots)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // Damage every slot but one; whoever owns the good one still gets in, the other gets a hint.
    std::fs::write(&files[0], b"{ not json").unwrap();
    let inspector = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    let detective = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    let (ok, locked_out) = if inspector.status.success() {
        (inspector, detective)
    } else {
        (detective, inspector)
    };
    assert!(ok.status.success());
    assert_eq!(code(&locked_out), 3);
    assert!(error_line(&locked_out).contains("1 key slot file(s) are damaged"));
}

#[test]
fn a_folder_that_is_not_a_workbench_is_refused() {
    let sandbox = Sandbox::new();
    let plain = sandbox.path("plain");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::write(plain.join("notes.txt"), b"x").unwrap();
    for target in [plain.clone(), sandbox.path("missing.ccuwb")] {
        let out = sandbox
            .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
            .env("CCU_WORKBENCH", &target)
            .args(["user", "list"])
            .output()
            .unwrap();
        assert_eq!(code(&out), 6);
        assert!(error_line(&out).contains("not a CCU workbench"));
    }
    assert_eq!(
        snapshot(&plain).len(),
        1,
        "nothing was written into the folder"
    );
}

#[test]
fn users_are_added_listed_and_removed_by_an_inspector() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["user", "add", DETECTIVE, "--role", "detective"])
        .env("CCU_NEW_PASSWORD", DETECTIVE_PASSWORD)
        .assert()
        .success();
    assert_eq!(
        user_names(&sandbox),
        vec![INSPECTOR.to_owned(), DETECTIVE.to_owned()]
    );
    sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["audit", "verify"])
        .assert()
        .success();

    // A name already in use (in any case) is refused.
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args([
            "user",
            "add",
            &DETECTIVE.to_uppercase(),
            "--role",
            "analyst",
        ])
        .env("CCU_NEW_PASSWORD", DETECTIVE_PASSWORD)
        .output()
        .unwrap();
    assert_ne!(code(&out), 0);
    assert!(error_line(&out).contains("already has that name"));

    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["user", "remove", DETECTIVE])
        .assert()
        .success()
        .stdout(predicates::str::contains("rekey"));
    assert_eq!(user_names(&sandbox), vec![INSPECTOR.to_owned()]);
    assert_eq!(
        std::fs::read_dir(sandbox.workbench().join("slots"))
            .unwrap()
            .count(),
        1
    );
    let out = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);

    // The last inspector cannot remove themselves.
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["user", "remove", INSPECTOR])
        .output()
        .unwrap();
    assert_ne!(code(&out), 0);
    assert!(error_line(&out).contains("cannot remove yourself"));
}

#[test]
fn a_detective_cannot_manage_users_or_read_the_audit_log() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let before = snapshot(&sandbox.workbench().join("slots"));
    let out = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["user", "add", "Extra Synthetic", "--role", "analyst"])
        .env("CCU_NEW_PASSWORD", "another pass phrase")
        .output()
        .unwrap();
    assert_eq!(code(&out), 4);
    assert_eq!(error_line(&out), "error: a detective may not manage users");
    assert_eq!(snapshot(&sandbox.workbench().join("slots")), before);

    for args in [
        vec!["--purpose", "OP-1", "audit", "show"],
        vec!["rekey"],
        vec!["--purpose", "OP-1", "backup", "--out"],
    ] {
        let mut cmd = sandbox.cli_as(DETECTIVE, DETECTIVE_PASSWORD);
        cmd.args(&args);
        if args.last() == Some(&"--out") {
            cmd.arg(sandbox.path("detective-backup.ccuwb"));
        }
        let out = cmd.output().unwrap();
        assert_eq!(code(&out), 4, "{args:?}");
    }
    assert!(!sandbox.path("detective-backup.ccuwb").exists());
}

#[test]
fn reading_the_audit_log_needs_a_purpose_which_is_recorded() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["audit", "show"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 4);
    assert!(error_line(&out).contains("set the purpose"));

    let entries = audit_json(&sandbox);
    let viewed = entries
        .iter()
        .find(|e| e["action"] == "audit.view")
        .unwrap();
    assert_eq!(viewed["justification"], "TEST-AUDIT-READ");
    assert_eq!(viewed["user_name"], INSPECTOR);
    // The chain in the output links up.
    for pair in entries.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
        assert_eq!(
            pair[1]["seq"].as_i64().unwrap(),
            pair[0]["seq"].as_i64().unwrap() + 1
        );
    }
}

#[test]
fn a_user_changes_their_own_password() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let slots_before = snapshot(&sandbox.workbench().join("slots"));
    sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["user", "passwd"])
        .env("CCU_NEW_PASSWORD", "a brand new pass phrase")
        .assert()
        .success();
    let slots_after = snapshot(&sandbox.workbench().join("slots"));
    let changed = slots_before
        .iter()
        .filter(|(path, bytes)| slots_after.get(*path) != Some(bytes))
        .count();
    assert_eq!(changed, 1, "only the user's own slot changes");
    assert_eq!(slots_before.len(), slots_after.len());

    let out = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
    sandbox
        .cli_as(DETECTIVE, "a brand new pass phrase")
        .args(["audit", "verify"])
        .assert()
        .success();
    // Others are unaffected.
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn an_inspector_resets_a_forgotten_password_without_knowing_it() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["user", "passwd", DETECTIVE])
        .env("CCU_NEW_PASSWORD", "a reset pass phrase")
        .assert()
        .success();
    sandbox
        .cli_as(DETECTIVE, "a reset pass phrase")
        .args(["audit", "verify"])
        .assert()
        .success();
    let out = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
}

#[test]
fn a_backup_restores_to_a_workbench_that_opens_with_the_same_credentials() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let backup = sandbox.path("backup.ccuwb");
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["--purpose", "OP-BACKUP", "backup", "--out"])
        .arg(&backup)
        .assert()
        .success();
    assert!(
        !std::fs::read(backup.join("store.db"))
            .unwrap()
            .starts_with(b"SQLite format 3")
    );

    // A second backup to the same place is refused and leaves the first intact.
    let first = snapshot(&backup);
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["--purpose", "OP-BACKUP", "backup", "--out"])
        .arg(&backup)
        .output()
        .unwrap();
    assert_ne!(code(&out), 0);
    assert!(error_line(&out).contains("already exists"));
    assert_eq!(snapshot(&backup), first);

    // Changes after the backup are not in it.
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["user", "remove", DETECTIVE])
        .assert()
        .success();

    let restored = sandbox.path("restored.ccuwb");
    // Restoring needs an inspector's credentials: none, or a detective's, are refused and
    // leave nothing behind.
    let out = sandbox
        .cli()
        .env("CCU_WORKBENCH", &restored)
        .args(["restore", "--from"])
        .arg(&backup)
        .output()
        .unwrap();
    assert_ne!(code(&out), 0);
    let out = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .env("CCU_WORKBENCH", &restored)
        .args(["restore", "--from"])
        .arg(&backup)
        .output()
        .unwrap();
    assert_eq!(code(&out), 4, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!restored.exists());
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .env("CCU_WORKBENCH", &restored)
        .args(["restore", "--from"])
        .arg(&backup)
        .assert()
        .success();
    for (user, password) in [
        (INSPECTOR, INSPECTOR_PASSWORD),
        (DETECTIVE, DETECTIVE_PASSWORD),
    ] {
        sandbox
            .cli_as(user, password)
            .env("CCU_WORKBENCH", &restored)
            .args(["audit", "verify"])
            .assert()
            .success();
    }
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .env("CCU_WORKBENCH", &restored)
        .args(["--purpose", "CHECK", "audit", "show", "--json"])
        .output()
        .unwrap();
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(entries.iter().all(|e| e["action"] != "user.remove"));
    // The restore is in the restored log, by the inspector who restored it.
    let restore = entries
        .iter()
        .find(|e| e["action"] == "backup.restore")
        .unwrap();
    assert_eq!(restore["user_name"], INSPECTOR);

    // Restoring over an existing folder is refused.
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .env("CCU_WORKBENCH", &restored)
        .args(["restore", "--from"])
        .arg(&backup)
        .output()
        .unwrap();
    assert_ne!(code(&out), 0);
    // The backup is recorded, with its purpose, in the original.
    let entries = audit_json(&sandbox);
    let written = entries.iter().find(|e| e["action"] == "backup").unwrap();
    assert_eq!(written["justification"], "OP-BACKUP");
}

fn slot_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root.join("slots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn after_rekey_a_removed_users_old_slot_copy_opens_nothing() {
    let sandbox = Sandbox::new();
    init(&sandbox);
    let root = sandbox.workbench();
    let before: Vec<_> = slot_files(&root);
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["user", "add", DETECTIVE, "--role", "detective"])
        .env("CCU_NEW_PASSWORD", DETECTIVE_PASSWORD)
        .assert()
        .success();
    let detective_slot = slot_files(&root)
        .into_iter()
        .find(|p| !before.contains(p))
        .unwrap();
    let kept_copy = std::fs::read(&detective_slot).unwrap();

    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["user", "remove", DETECTIVE])
        .assert()
        .success();
    assert!(!detective_slot.exists());

    // Before rotation the copy still holds the master key, but the store refuses a removed user.
    std::fs::write(&detective_slot, &kept_copy).unwrap();
    let out = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
    assert!(error_line(&out).contains("removed"));

    // The rotation deletes the stale slot; put the copy back again: it now opens nothing.
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .arg("rekey")
        .assert()
        .success()
        .stdout(predicates::str::contains("1 stale slot(s) deleted"));
    assert!(!detective_slot.exists());
    std::fs::write(&detective_slot, &kept_copy).unwrap();
    let out = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 3);
    assert!(error_line(&out).contains("rotated"));

    // The inspector still opens it, and the chain is intact across the rotation.
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn help_and_usage_errors() {
    let sandbox = Sandbox::new();
    sandbox
        .cli()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicates::str::contains("audit"));
    let out = sandbox.cli().args(["user", "frobnicate"]).output().unwrap();
    assert_eq!(code(&out), 2);
    let out = sandbox
        .cli()
        .env_remove("CCU_WORKBENCH")
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
    assert!(error_line(&out).contains("no workbench given"));
    // Without credentials and with no terminal, the command fails cleanly instead of hanging.
    sandbox.create_with_detective();
    let out = sandbox.cli().args(["audit", "verify"]).output().unwrap();
    assert_ne!(code(&out), 0);
    error_line(&out);
}
