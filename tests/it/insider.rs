//! The workbench against one of the unit's own members: someone with their own password, the
//! master key it unseals, and the workbench folder, who edits the store directly. Each test is
//! written as the attack: change a role or an audit row with the master key, then unlock or
//! verify (reported, naming the user or the entry); replace `store.db` with an older copy (warned
//! and recorded); and every sequence of account operations by which one inspector might come to
//! authorise their own proposal (refused).

use crate::common::{self, CHEAP, INSPECTOR, INSPECTOR_PASSWORD};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{
    AuditHash, AuditRecordBytes, InterventionProposal, InterventionStep, NominalId, Preconditions,
    Role, StepRefused,
};
use ccu_workbench::store::AuditBreakReason;
use ccu_workbench::workbench::{SecondInspector, UnlockWarning, WorkbenchError, restore_backup};
use std::path::PathBuf;

const PASSWORD: &str = "colleague pass phrase";
const DEPUTY: &str = "DI Deputy Synthetic";
const THIRD: &str = "DCI Third Synthetic";
const DETECTIVE: &str = "DC Insider Synthetic";
const PURPOSE: &str = "OP-INSIDER";

struct Bench {
    dir: tempfile::TempDir,
    root: PathBuf,
    /// This machine's settings folder (the record of the last head seen).
    machine: PathBuf,
}

impl Bench {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("insider.ccuwb");
        let machine = dir.path().join("machine");
        let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
        wb.add_user(DETECTIVE, Role::Detective, PASSWORD).unwrap();
        wb.lock().unwrap();
        Self { dir, root, machine }
    }

    fn unlock(&self, name: &str) -> Result<Workbench, WorkbenchError> {
        let password = if name == INSPECTOR {
            INSPECTOR_PASSWORD
        } else {
            PASSWORD
        };
        Workbench::unlock_on_machine(&self.root, name, password, Some(&self.machine))
    }

    fn inspector(&self) -> Workbench {
        let mut wb = self.unlock(INSPECTOR).unwrap();
        wb.set_purpose(PURPOSE).unwrap();
        wb
    }

    /// Runs `sql` on the store with the master key, as an insider with a sqlcipher shell would
    /// (the append-only triggers dropped first).
    fn edit_store(&self, sql: &str) {
        let wb = self.unlock(DETECTIVE).unwrap();
        let conn = wb.store_for_tests().raw_connection();
        conn.execute_batch(
            "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;
             DROP TRIGGER IF EXISTS role_grants_no_update; DROP TRIGGER IF EXISTS role_grants_no_delete;",
        )
        .unwrap();
        conn.execute_batch(sql).unwrap();
        drop(wb);
    }

    fn actions(&self) -> Vec<String> {
        let mut wb = self.inspector();
        wb.audit_entries(1, 100_000)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }
}

#[test]
fn a_detective_who_makes_themself_inspector_in_the_store_stays_a_detective_and_is_named() {
    let bench = Bench::new();
    bench.edit_store(&format!(
        "UPDATE users SET role = 'inspector' WHERE name = '{DETECTIVE}'"
    ));
    let wb = bench.unlock(DETECTIVE).unwrap();
    assert_eq!(
        wb.role(),
        Role::Detective,
        "the role comes from the signed grant"
    );
    drop(wb);

    let mut wb = bench.inspector();
    assert!(wb.unlock_warnings().iter().any(|w| matches!(
        w,
        UnlockWarning::GrantInvalid { user_name, .. } if user_name == DETECTIVE
    )));
    let verification = wb.verify_audit_log().unwrap();
    assert!(!verification.is_intact());
    assert_eq!(verification.grant_problems.len(), 1);
    assert_eq!(verification.grant_problems[0].user_name, DETECTIVE);
    drop(wb);
    assert!(
        bench
            .actions()
            .iter()
            .any(|a| a == "security.grant_invalid")
    );
}

#[test]
fn a_grant_row_changed_to_inspector_breaks_its_signature_and_the_account_loses_its_standing() {
    let bench = Bench::new();
    bench.edit_store(&format!(
        "UPDATE users SET role = 'inspector' WHERE name = '{DETECTIVE}';
         UPDATE role_grants SET role = 'inspector'
           WHERE user_id = (SELECT id FROM users WHERE name = '{DETECTIVE}');"
    ));
    let err = bench.unlock(DETECTIVE).unwrap_err();
    assert!(matches!(err, WorkbenchError::StandingNotSigned), "{err}");
    let mut wb = bench.inspector();
    let verification = wb.verify_audit_log().unwrap();
    let problem = &verification.grant_problems[0];
    assert_eq!(problem.user_name, DETECTIVE);
    assert!(
        problem.reason.contains("does not verify"),
        "{}",
        problem.reason
    );
}

#[test]
fn a_forged_grant_signed_with_the_detectives_own_key_is_not_an_inspectors_grant() {
    let bench = Bench::new();
    // The detective copies the inspector's grant for themself, keeping the inspector's
    // signature (they cannot make an inspector's): the signature no longer fits.
    bench.edit_store(&format!(
        "INSERT INTO role_grants (id, user_id, kind, role, name_key, identity_key, granted_at,
                                  granted_by, signer_key, signature)
         SELECT (SELECT max(id) + 1 FROM role_grants), u.id, 'reset', 'inspector', u.name_key,
                u.public_key, g.granted_at, g.granted_by, g.signer_key, g.signature
         FROM users u, role_grants g WHERE u.name = '{DETECTIVE}' AND g.id = 1;"
    ));
    let wb = bench.unlock(DETECTIVE).unwrap();
    assert_eq!(wb.role(), Role::Detective);
    drop(wb);
    let mut wb = bench.inspector();
    let verification = wb.verify_audit_log().unwrap();
    assert_eq!(verification.grant_problems[0].user_name, DETECTIVE);
}

#[test]
fn a_removed_user_put_back_in_the_table_with_an_old_slot_copy_cannot_unlock() {
    let bench = Bench::new();
    let slots = bench.root.join("slots");
    let before: Vec<_> = std::fs::read_dir(&slots)
        .unwrap()
        .map(|e| {
            (
                e.as_ref().unwrap().path(),
                std::fs::read(e.unwrap().path()).unwrap(),
            )
        })
        .collect();
    let mut wb = bench.inspector();
    wb.remove_user(DETECTIVE).unwrap();
    wb.lock().unwrap();
    // Put every slot back and mark the user active again.
    for (path, bytes) in &before {
        std::fs::write(path, bytes).unwrap();
    }
    let wb = bench.unlock(INSPECTOR).unwrap();
    wb.store_for_tests()
        .raw_connection()
        .execute(
            &format!(
                "UPDATE users SET removed_at = NULL, removed_by = NULL WHERE name = '{DETECTIVE}'"
            ),
            [],
        )
        .unwrap();
    drop(wb);
    let err = bench.unlock(DETECTIVE).unwrap_err();
    assert!(matches!(err, WorkbenchError::UserRemoved), "{err}");
}

#[test]
fn an_audit_row_changed_and_the_chain_rehashed_is_caught_by_the_signatures_naming_the_entry() {
    let bench = Bench::new();
    // Some history by the inspector after the detective's last entry.
    let mut wb = bench.inspector();
    let nominal = wb
        .create_nominal(common::employee("S700001", "Ari", "Tamper"), false)
        .unwrap();
    wb.lock().unwrap();
    let mut wb = bench.inspector();
    let entries = wb.audit_entries(1, 10_000).unwrap();
    drop(wb);
    let target = entries
        .iter()
        .find(|e| e.action == "nominal.create" && e.object == format!("nominal:{}", nominal.id))
        .unwrap()
        .seq;
    let wb = bench.unlock(DETECTIVE).unwrap();
    let conn = wb.store_for_tests().raw_connection();
    conn.execute_batch("DROP TRIGGER audit_log_no_update;")
        .unwrap();
    conn.execute(
        "UPDATE audit_log SET justification = 'routine' WHERE seq = ?1",
        [target],
    )
    .unwrap();
    let before: Vec<u8> = conn
        .query_row(
            "SELECT hash FROM audit_log WHERE seq = ?1",
            [target - 1],
            |r| r.get(0),
        )
        .unwrap();
    common::rehash_audit_chain(conn, target, AuditHash::from_slice(&before).unwrap());
    drop(wb);

    let mut wb = bench.inspector();
    let verification = wb.verify_audit_log().unwrap();
    let bad = verification.first_break.unwrap();
    assert!(bad.seq >= target, "{bad:?}");
    assert!(
        matches!(bad.reason, AuditBreakReason::BadSignature { signer } if signer == 1),
        "{bad:?}"
    );
}

#[test]
fn entries_appended_outside_the_workbench_are_unsigned_and_reported() {
    let bench = Bench::new();
    let wb = bench.unlock(DETECTIVE).unwrap();
    let conn = wb.store_for_tests().raw_connection();
    let (seq, hash): (i64, Vec<u8>) = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let prev = AuditHash::from_slice(&hash).unwrap();
    let record = AuditRecordBytes {
        seq: seq + 1,
        at_utc: b"2026-12-03T10:00:00.000Z",
        user_id: Some(1),
        user_name: INSPECTOR.as_bytes(),
        action: b"item.view",
        object: b"item:1",
        justification: b"OP-COVER",
        detail: b"",
    };
    let new_hash = record.chain_hash(&prev);
    conn.execute(
        "INSERT INTO audit_log (seq, at_utc, user_id, user_name, action, object, justification,
                                detail, prev_hash, hash)
         VALUES (?1, '2026-12-03T10:00:00.000Z', 1, ?2, 'item.view', 'item:1', 'OP-COVER', '', ?3, ?4)",
        (seq + 1, INSPECTOR, prev.0.as_slice(), new_hash.0.as_slice()),
    )
    .unwrap();
    drop(wb);
    // Verified through a copy of the store opened read-only by a fresh session would append
    // entries after the planted one and sign them; the planted entry is then covered by the
    // detective's signature but written as the inspector.
    let mut wb = bench.inspector();
    let bad = wb.verify_audit_log().unwrap().first_break.unwrap();
    assert_eq!(bad.seq, seq + 1, "{bad:?}");
    assert!(
        matches!(
            bad.reason,
            AuditBreakReason::SignerNotAuthor { author: 1, .. } | AuditBreakReason::Unsigned
        ),
        "{bad:?}"
    );
}

#[test]
fn an_older_store_put_back_is_warned_about_and_recorded_and_the_signed_head_shows_the_cut() {
    let bench = Bench::new();
    bench.inspector().lock().unwrap();
    let old_copy = bench.dir.path().join("store.db.old");
    std::fs::copy(bench.root.join("store.db"), &old_copy).unwrap();

    let mut wb = bench.inspector();
    wb.create_nominal(common::employee("S700002", "Bo", "Later"), false)
        .unwrap();
    let head_file = bench.dir.path().join("head.json");
    let signed = wb.export_audit_head(&head_file).unwrap();
    assert!(wb.check_audit_head(&head_file).unwrap().holds());
    wb.lock().unwrap();

    // The insider puts the older store back.
    std::fs::copy(&old_copy, bench.root.join("store.db")).unwrap();
    let mut wb = bench.inspector();
    let warned = wb.unlock_warnings().iter().find_map(|w| match w {
        UnlockWarning::RollbackSuspected { known_seq, .. } => Some(*known_seq),
        _ => None,
    });
    assert!(
        warned.is_some_and(|seq| seq > signed.seq),
        "{:?}",
        wb.unlock_warnings()
    );
    assert!(
        wb.unlock_warnings()[0].to_string().contains("older copy"),
        "the warning is in words"
    );
    let check = wb.check_audit_head(&head_file).unwrap();
    assert!(!check.chain_holds_head);
    assert!(!check.holds());
    drop(wb);
    assert!(
        bench
            .actions()
            .iter()
            .any(|a| a == "audit.rollback_suspected")
    );

    // The warning is given once; the next unlock follows the chain as it now is.
    let wb = bench.inspector();
    assert!(
        wb.unlock_warnings().is_empty(),
        "{:?}",
        wb.unlock_warnings()
    );
}

#[test]
fn a_signed_head_with_a_bent_signature_or_from_another_workbench_does_not_hold() {
    let bench = Bench::new();
    let mut wb = bench.inspector();
    let head_file = bench.dir.path().join("head.json");
    wb.export_audit_head(&head_file).unwrap();
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&head_file).unwrap()).unwrap();
    let mut signature = hex::decode(value["signature"].as_str().unwrap()).unwrap();
    signature[5] ^= 1;
    value["signature"] = hex::encode(signature).into();
    let bent = bench.dir.path().join("bent.json");
    std::fs::write(&bent, serde_json::to_vec(&value).unwrap()).unwrap();
    let check = wb.check_audit_head(&bent).unwrap();
    assert!(check.chain_holds_head && !check.signature_valid);

    value["workbench_id"] = "another".into();
    let other = bench.dir.path().join("other.json");
    std::fs::write(&other, serde_json::to_vec(&value).unwrap()).unwrap();
    assert!(matches!(
        wb.check_audit_head(&other),
        Err(WorkbenchError::HeadFile { .. })
    ));
    // Anyone in the unit may check a head (as anyone may verify the log), and the check is
    // recorded.
    drop(wb);
    let mut wb = bench.unlock(DETECTIVE).unwrap();
    assert!(wb.check_audit_head(&head_file).unwrap().holds());
    drop(wb);
    assert!(bench.actions().iter().any(|a| a == "audit.head_check"));
}

#[test]
fn a_restore_needs_an_inspector_and_is_recorded_and_not_taken_for_a_rollback() {
    let bench = Bench::new();
    let backup = bench.dir.path().join("backup.ccuwb");
    let mut wb = bench.inspector();
    wb.backup(&backup).unwrap();
    wb.create_nominal(common::employee("S700003", "Cy", "After"), false)
        .unwrap();
    wb.lock().unwrap();
    std::fs::rename(&bench.root, bench.dir.path().join("moved.ccuwb")).unwrap();

    let err = restore_backup(
        &backup,
        &bench.root,
        DETECTIVE,
        PASSWORD,
        Some(&bench.machine),
    )
    .unwrap_err();
    assert!(
        matches!(err, WorkbenchError::PermissionDenied { .. }),
        "{err}"
    );
    assert!(!bench.root.exists(), "a refused restore leaves nothing");
    let err = restore_backup(
        &backup,
        &bench.root,
        INSPECTOR,
        "wrong pass phrase",
        Some(&bench.machine),
    )
    .unwrap_err();
    assert!(
        matches!(err, WorkbenchError::WrongCredentials { .. }),
        "{err}"
    );
    assert!(!bench.root.exists());

    restore_backup(
        &backup,
        &bench.root,
        INSPECTOR,
        INSPECTOR_PASSWORD,
        Some(&bench.machine),
    )
    .unwrap();
    let mut wb = bench.inspector();
    assert!(
        wb.unlock_warnings().is_empty(),
        "{:?}",
        wb.unlock_warnings()
    );
    let entries = wb.audit_entries(1, 10_000).unwrap();
    let restore = entries
        .iter()
        .find(|e| e.action == "backup.restore")
        .unwrap();
    assert_eq!(restore.user_name, INSPECTOR);
    assert!(restore.detail.contains("head_seen_on_this_machine"));
    assert!(wb.verify_audit_log().unwrap().is_intact());
}

fn item_fields(subject: NominalId) -> ccu_workbench::domain::IntelItemFields {
    common::item_fields(subject, "Synthetic report for the four-eyes tests.")
}

/// Proposes an intervention as `wb`'s user about a new employee `staff_number`; returns its id.
fn propose(wb: &mut Workbench, staff_number: &str) -> ccu_workbench::domain::InterventionId {
    let subject = wb
        .create_nominal(common::employee(staff_number, "Dee", "Subject"), true)
        .unwrap()
        .id;
    let item = wb.create_item(&item_fields(subject), None).unwrap();
    wb.change_item_status(&item.reference, "assessed", "Assessed.")
        .unwrap();
    wb.propose_intervention(&InterventionProposal {
        subject,
        items: vec![item.reference],
        category: "inappropriate_association".into(),
        rationale: "Consistent, uncorroborated reports.".into(),
        proposed_attendees: vec!["DS Synthetic".into()],
        proposed_date: ccu_workbench::domain::IsoDate::today_utc().plus_days(14),
        preconditions: Preconditions {
            fully_assessed: Some(true),
            cannot_develop_further: Some(true),
            no_criminal_proceedings: Some(true),
            no_misconduct_proceedings: Some(true),
            no_service_confidence: Some(true),
        },
    })
    .unwrap()
    .id
}

fn authorise(
    wb: &mut Workbench,
    id: ccu_workbench::domain::InterventionId,
) -> Result<(), WorkbenchError> {
    wb.take_intervention_step(
        id,
        None,
        &InterventionStep::Authorise {
            rationale: "Proportionate early advice.".into(),
        },
    )
    .map(drop)
}

fn second<'a>(name: &'a str, password: &'a str) -> SecondInspector<'a> {
    SecondInspector { name, password }
}

#[test]
fn one_inspector_alone_cannot_come_to_authorise_their_own_proposal() {
    let bench = Bench::new();
    let mut a = bench.inspector();
    // The only inspector may add the second alone...
    a.add_user(DEPUTY, Role::Inspector, PASSWORD).unwrap();
    // ...but not a third: four eyes, and not with themself or the new account as the second.
    assert!(matches!(
        a.add_user(THIRD, Role::Inspector, PASSWORD),
        Err(WorkbenchError::SecondInspectorNeeded)
    ));
    assert!(matches!(
        a.add_user_cosigned(
            THIRD,
            Role::Inspector,
            PASSWORD,
            second(INSPECTOR, INSPECTOR_PASSWORD)
        ),
        Err(WorkbenchError::SecondInspectorRefused)
    ));
    // Resetting the deputy's password alone, or with the deputy as the "second".
    assert!(matches!(
        a.reset_password(DEPUTY, "a brand new pass phrase"),
        Err(WorkbenchError::SecondInspectorNeeded)
    ));
    assert!(matches!(
        a.reset_password_cosigned(DEPUTY, "a brand new pass phrase", second(DEPUTY, PASSWORD)),
        Err(WorkbenchError::SecondInspectorRefused)
    ));
    // A proposal of the first inspector's own.
    let id = propose(&mut a, "S700100");
    assert!(matches!(
        authorise(&mut a, id),
        Err(WorkbenchError::Step(StepRefused::OwnProposal))
    ));
    a.lock().unwrap();

    // The deputy the first inspector set up may not decide the first inspector's proposal.
    let mut b = bench.unlock(DEPUTY).unwrap();
    b.set_purpose(PURPOSE).unwrap();
    assert!(matches!(
        authorise(&mut b, id),
        Err(WorkbenchError::Step(StepRefused::DeciderSetUpByProposer))
    ));
    // With the deputy's signature, a third inspector: set up by both, deciding for neither.
    b.add_user_cosigned(
        THIRD,
        Role::Inspector,
        PASSWORD,
        second(INSPECTOR, INSPECTOR_PASSWORD),
    )
    .unwrap();
    b.lock().unwrap();
    let mut c = bench.unlock(THIRD).unwrap();
    c.set_purpose(PURPOSE).unwrap();
    assert!(matches!(
        authorise(&mut c, id),
        Err(WorkbenchError::Step(StepRefused::DeciderSetUpByProposer))
    ));
    c.lock().unwrap();

    // The first inspector resets the third's password with the deputy's signature: still set
    // up by the proposer.
    let mut a = bench.inspector();
    a.reset_password_cosigned(THIRD, "third new pass phrase", second(DEPUTY, PASSWORD))
        .unwrap();
    a.lock().unwrap();
    let mut c = Workbench::unlock_on_machine(
        &bench.root,
        THIRD,
        "third new pass phrase",
        Some(&bench.machine),
    )
    .unwrap();
    c.set_purpose(PURPOSE).unwrap();
    assert!(matches!(
        authorise(&mut c, id),
        Err(WorkbenchError::Step(StepRefused::DeciderSetUpByProposer))
    ));
    c.lock().unwrap();

    // A proposal by the deputy, decided by the first inspector (who was not set up by the
    // deputy), goes through: the rules stop only the proposer's own reach.
    let mut b = bench.unlock(DEPUTY).unwrap();
    b.set_purpose(PURPOSE).unwrap();
    let deputys = propose(&mut b, "S700200");
    b.lock().unwrap();
    let mut a = bench.inspector();
    authorise(&mut a, deputys).unwrap();
    assert!(a.verify_audit_log().unwrap().is_intact());
}

#[test]
fn look_alike_user_names_are_refused() {
    let bench = Bench::new();
    let mut wb = bench.inspector();
    wb.add_user("DS Jane Smith", Role::Detective, PASSWORD)
        .unwrap();
    for look_alike in [
        "ds jane smith",
        "DS  Jane   Smith",
        "ＤＳ Ｊａｎｅ Ｓｍｉｔｈ",
        "DS J\u{430}ne Smith",
    ] {
        assert!(
            wb.add_user(look_alike, Role::Detective, PASSWORD).is_err(),
            "{look_alike} was accepted"
        );
    }
    wb.add_user("DS Jane Smyth", Role::Detective, PASSWORD)
        .unwrap();
}

#[test]
fn rekey_reseals_to_the_identity_the_grant_names_not_a_replaced_public_key() {
    let bench = Bench::new();
    // The detective swaps the inspector's public key in the table for their own, hoping the
    // next rotation seals the new master key to them twice over.
    bench.edit_store(&format!(
        "UPDATE users SET public_key = (SELECT public_key FROM users WHERE name = '{DETECTIVE}')
         WHERE name = '{INSPECTOR}'"
    ));
    let mut wb = bench.inspector();
    wb.rekey().unwrap();
    wb.lock().unwrap();
    // Everyone still unlocks with their own slot.
    bench.inspector().lock().unwrap();
    bench.unlock(DETECTIVE).unwrap().lock().unwrap();
}

#[test]
fn a_workbench_from_before_signatures_is_adopted_by_the_first_inspector_to_unlock_it() {
    let bench = Bench::new();
    let wb = bench.unlock(INSPECTOR).unwrap();
    common::undo_signing(wb.store_for_tests().raw_connection());
    wb.store_for_tests()
        .raw_connection()
        .execute_batch("PRAGMA user_version = 10;")
        .unwrap();
    drop(wb);
    // (An older build kept no record of the head on this machine.)
    std::fs::remove_dir_all(&bench.machine).unwrap();

    // A detective first: nothing is signed yet, and they are told so.
    let wb = bench.unlock(DETECTIVE).unwrap();
    assert_eq!(wb.unlock_warnings(), [UnlockWarning::SigningNotEnabled]);
    wb.lock().unwrap();
    // The first inspector switches signing on.
    let mut wb = bench.inspector();
    assert_eq!(wb.unlock_warnings(), [UnlockWarning::SigningEnabled]);
    let verification = wb.verify_audit_log().unwrap();
    assert!(verification.is_intact(), "{verification:?}");
    assert!(verification.signed_from > 1);
    wb.lock().unwrap();
    let wb = bench.unlock(DETECTIVE).unwrap();
    assert!(wb.unlock_warnings().is_empty());
    assert_eq!(wb.role(), Role::Detective);
    drop(wb);
    // From then on a role changed in the table is caught as in a new workbench.
    bench.edit_store(&format!(
        "UPDATE users SET role = 'inspector' WHERE name = '{DETECTIVE}'"
    ));
    assert_eq!(bench.unlock(DETECTIVE).unwrap().role(), Role::Detective);
    let mut wb = bench.inspector();
    assert_eq!(wb.verify_audit_log().unwrap().grant_problems.len(), 1);
}

fn exit_code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

#[test]
fn the_cli_exports_and_checks_a_signed_head_and_warns_of_a_put_back_store() {
    let sandbox = common::Sandbox::new();
    sandbox.create_with_detective();
    // The insider keeps a copy of the store as it is now...
    let old = sandbox.path("store.db.old");
    std::fs::copy(sandbox.workbench().join("store.db"), &old).unwrap();
    // ...the inspector later exports a signed head to write-once storage...
    let head = sandbox.path("head.json");
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["audit", "head", "--export"])
        .arg(&head)
        .output()
        .unwrap();
    assert!(common::succeeded(&out).contains("write-once"));
    let out = sandbox
        .cli_as(common::DETECTIVE, common::DETECTIVE_PASSWORD)
        .args(["audit", "verify", "--head"])
        .arg(&head)
        .output()
        .unwrap();
    assert!(common::succeeded(&out).contains("still holds the signed head"));

    // ...and the insider puts the old store back.
    std::fs::copy(&old, sandbox.workbench().join("store.db")).unwrap();
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["audit", "verify", "--head"])
        .arg(&head)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: The audit log is not the one this computer saw last"),
        "{stderr}"
    );
    assert_eq!(exit_code(&out), 5, "{stderr}");
    assert!(
        stderr.contains("no longer holds the signed head"),
        "{stderr}"
    );
}

#[test]
fn the_cli_asks_for_a_second_inspector_to_add_a_third() {
    let sandbox = common::Sandbox::new();
    sandbox.create_with_detective();
    let add = |name: &str, second: Option<(&str, &str)>| {
        let mut cmd = sandbox.cli_as(INSPECTOR, INSPECTOR_PASSWORD);
        cmd.env("CCU_NEW_PASSWORD", PASSWORD)
            .args(["user", "add", name, "--role", "inspector"]);
        if let Some((second, password)) = second {
            cmd.args(["--second-inspector", second])
                .env("CCU_SECOND_PASSWORD", password);
        }
        cmd.output().unwrap()
    };
    assert_eq!(exit_code(&add(DEPUTY, None)), 0);
    let out = add(THIRD, None);
    assert_eq!(exit_code(&out), 4);
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a second inspector"));
    let out = add(THIRD, Some((DEPUTY, "not the deputy's password")));
    assert_eq!(exit_code(&out), 4);
    let out = add(THIRD, Some((DEPUTY, PASSWORD)));
    assert_eq!(
        exit_code(&out),
        0,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_crash_between_recording_and_writing_leaves_the_started_entry_and_no_file() {
    let sandbox = common::Sandbox::new();
    sandbox.create_with_detective();
    for (point, leaves_partial) in [("export-started", false), ("export-written", true)] {
        let out = sandbox.path(&format!("head-{point}.json"));
        let run = sandbox
            .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
            .env("CCU_TEST_CRASH_AT", point)
            .args(["audit", "head", "--export"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(!run.status.success(), "the export was to crash at {point}");
        assert!(
            !out.exists(),
            "no file under the target's name after a crash at {point}"
        );
        let partials: Vec<_> = std::fs::read_dir(sandbox.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| {
                name.starts_with(&format!(".head-{point}.json.")) && name.ends_with(".partial")
            })
            .collect();
        assert_eq!(partials.len(), usize::from(leaves_partial), "{partials:?}");
    }
    let entries = common::audit_json(&sandbox);
    let started: Vec<_> = entries
        .iter()
        .filter(|e| e["action"] == "audit.head_export")
        .collect();
    assert_eq!(
        started.len(),
        2,
        "each crashed export left its started entry"
    );
    assert!(started.iter().all(|e| {
        e["detail"]
            .as_str()
            .unwrap()
            .contains("\"phase\":\"started\"")
    }));
    assert!(entries.iter().all(|e| e["action"] != "export.complete"));

    // Without a crash: started, completed with the same hash, and the file in place.
    let out = sandbox.path("head.json");
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["audit", "head", "--export"])
        .arg(&out)
        .assert()
        .success();
    let entries = common::audit_json(&sandbox);
    let completed = entries
        .iter()
        .rfind(|e| e["action"] == "export.complete")
        .unwrap();
    let detail: serde_json::Value =
        serde_json::from_str(completed["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        detail["sha256"],
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
            std::fs::read(&out).unwrap()
        ))
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn a_removed_users_attempt_with_an_old_slot_copy_is_recorded_at_the_next_unlock() {
    let bench = Bench::new();
    let slots = bench.root.join("slots");
    let before: Vec<_> = std::fs::read_dir(&slots)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    let mut wb = bench.inspector();
    wb.remove_user(DETECTIVE).unwrap();
    wb.lock().unwrap();
    for (path, bytes) in &before {
        if !path.exists() {
            std::fs::write(path, bytes).unwrap();
        }
    }
    assert!(matches!(
        bench.unlock(DETECTIVE),
        Err(WorkbenchError::UserRemoved)
    ));
    let mut wb = bench.inspector();
    let entries = wb.audit_entries(1, 10_000).unwrap();
    let failed = entries
        .iter()
        .rfind(|e| e.action == "login.failed")
        .unwrap();
    assert_eq!(failed.user_name, DETECTIVE);
    assert!(failed.detail.contains("removed user"), "{}", failed.detail);
    assert!(failed.detail.contains("\"authenticated\":false"));
}

#[test]
fn failed_unlocks_are_dated_when_ingested_marked_unauthenticated_and_capped() {
    let bench = Bench::new();
    for _ in 0..130 {
        assert!(
            Workbench::unlock_on_machine(
                &bench.root,
                "DC Guesser",
                "not the password at all",
                None
            )
            .is_err()
        );
    }
    let mut wb = bench.inspector();
    let entries = wb.audit_entries(1, 10_000).unwrap();
    let login = entries.iter().rfind(|e| e.action == "login").unwrap();
    let failed: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "login.failed")
        .collect();
    assert_eq!(failed.len(), 101, "100 one by one and one summary");
    for entry in &failed[..100] {
        assert_eq!(entry.user_name, "DC Guesser");
        assert!(entry.detail.contains("\"authenticated\":false"));
        assert!(entry.detail.contains("claimed_at"));
        // Dated when ingested, in the unlock that recorded them, not when they claim.
        assert!(entry.at_utc.as_str() <= login.at_utc.as_str());
        assert!(entry.seq < login.seq);
    }
    assert!(
        failed[100].detail.contains("\"more_records\":30"),
        "{}",
        failed[100].detail
    );
    assert!(
        std::fs::read_dir(bench.root.join("failed-logins"))
            .unwrap()
            .next()
            .is_none()
    );
}

#[test]
fn a_dry_run_import_needs_a_purpose_and_is_recorded_with_the_files_hash() {
    let bench = Bench::new();
    let spec =
        ccu_workbench::io::import_spec::shipped_spec(ccu_workbench::domain::ImportKind::Calls)
            .unwrap();
    let text: &[u8] = b"Caller,Callee,Start,Duration (s),Direction\n07700 900111,07700 900222,2026-03-01T10:00:00Z,65,O\n";
    let options = ccu_workbench::workbench::ImportOptions {
        dry_run: true,
        ..ccu_workbench::workbench::ImportOptions::default()
    };
    let mut wb = bench.unlock(DETECTIVE).unwrap();
    let refused = wb.import_bulk(&spec, "calls.csv", text, None, options, &mut |_| {
        std::ops::ControlFlow::Continue(())
    });
    assert!(matches!(
        refused,
        Err(WorkbenchError::PurposeRequired { .. })
    ));
    wb.set_purpose("OP-DRY-RUN").unwrap();
    let report = wb
        .import_bulk(&spec, "calls.csv", text, None, options, &mut |_| {
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    wb.lock().unwrap();
    let mut wb = bench.inspector();
    let entries = wb.audit_entries(1, 10_000).unwrap();
    let refusal = entries
        .iter()
        .find(|e| e.action == "permission.refused")
        .unwrap();
    assert!(refusal.detail.contains("no purpose set"));
    let dry_run = entries
        .iter()
        .find(|e| e.action == "import.dry_run")
        .unwrap();
    assert_eq!(dry_run.user_name, DETECTIVE);
    assert_eq!(dry_run.justification, "OP-DRY-RUN");
    assert!(dry_run.detail.contains(&report.sha256));
    assert!(entries.iter().all(|e| e.action != "import.bulk"));
}

#[test]
fn the_cli_sets_the_units_idle_lock_policy_for_inspectors_only() {
    let sandbox = common::Sandbox::new();
    sandbox.create_with_detective();
    let out = sandbox
        .cli_as(common::DETECTIVE, common::DETECTIVE_PASSWORD)
        .args(["policy", "idle-lock", "--minutes", "10"])
        .output()
        .unwrap();
    assert_eq!(exit_code(&out), 4);
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["policy", "idle-lock", "--minutes", "10"])
        .output()
        .unwrap();
    assert!(common::succeeded(&out).contains("at most 10 minutes"));
    let out = sandbox
        .cli_as(common::DETECTIVE, common::DETECTIVE_PASSWORD)
        .args(["policy", "idle-lock"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("at most 10 minutes"));
    // Zero (never lock) is not a policy.
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["policy", "idle-lock", "--minutes", "0"])
        .output()
        .unwrap();
    assert_ne!(exit_code(&out), 0);
}

#[test]
fn control_characters_are_refused_in_purposes_and_shown_escaped_by_audit_show() {
    let bench = Bench::new();
    let mut wb = bench.inspector();
    assert!(wb.set_purpose("OP-\u{1b}[2JCLEAN").is_err());
    drop(wb);
    // One planted in the store (as an insider with the key would) is shown, not obeyed.
    let wb = bench.unlock(INSPECTOR).unwrap();
    let conn = wb.store_for_tests().raw_connection();
    conn.execute_batch("DROP TRIGGER audit_log_no_update;")
        .unwrap();
    conn.execute(
        "UPDATE audit_log SET justification = 'OP-' || char(27) || '[2J' WHERE seq = 2",
        [],
    )
    .unwrap();
    drop(wb);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("ccu-workbench"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("CCU_DATA_DIR", bench.dir.path().join("data"))
        .env("CCU_WORKBENCH", &bench.root)
        .env("CCU_USER", INSPECTOR)
        .env("CCU_PASSWORD", INSPECTOR_PASSWORD)
        .args(["--purpose", "OP-SHOW", "audit", "show"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}'),
        "a raw escape reached the terminal"
    );
    assert!(stdout.contains("\\u{1b}[2J"), "{stdout}");
}

#[test]
fn a_planted_slot_with_crippling_key_derivation_costs_is_skipped() {
    let bench = Bench::new();
    let slots = bench.root.join("slots");
    let real = std::fs::read_dir(&slots)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut slot: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&real).unwrap()).unwrap();
    slot["kdf"]["m_cost_kib"] = (4u64 * 1024 * 1024).into();
    slot["kdf"]["t_cost"] = 1000.into();
    slot["kdf"]["salt"] = "00112233445566778899aabbccddeeff".into();
    slot["slot_id"] = "ffffffffffffffffffffffffffffffff".into();
    std::fs::write(
        slots.join("ffffffffffffffffffffffffffffffff.slot"),
        serde_json::to_vec(&slot).unwrap(),
    )
    .unwrap();
    // The planted spec is not derived (it would allocate 4 GiB); everyone still unlocks.
    bench.inspector().lock().unwrap();
    bench.unlock(DETECTIVE).unwrap().lock().unwrap();
    // A wrong password tries every spec there is, the planted one too: it is refused unread.
    assert!(matches!(
        Workbench::unlock_on_machine(&bench.root, DETECTIVE, "not the right pass phrase", None),
        Err(WorkbenchError::WrongCredentials { .. })
    ));
    let spec: ccu_workbench::crypto::KdfSpec = serde_json::from_value(slot["kdf"].clone()).unwrap();
    assert!(matches!(
        spec.derive(INSPECTOR, INSPECTOR_PASSWORD),
        Err(ccu_workbench::crypto::CryptoError::KdfParams(_))
    ));
}

#[cfg(unix)]
#[test]
fn workbench_files_and_folders_are_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let bench = Bench::new();
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&bench.root), 0o700);
    assert_eq!(mode(&bench.root.join("slots")), 0o700);
    assert_eq!(mode(&bench.root.join("store.db")), 0o600);
    for slot in std::fs::read_dir(bench.root.join("slots")).unwrap() {
        assert_eq!(mode(&slot.unwrap().path()), 0o600);
    }
    assert_eq!(mode(&bench.root.join("workbench.json")), 0o600);
    let backup = bench.dir.path().join("backup.ccuwb");
    bench.inspector().backup(&backup).unwrap();
    assert_eq!(mode(&backup), 0o700);
    assert_eq!(mode(&backup.join("store.db")), 0o600);
}

#[test]
fn after_a_rotation_the_old_key_opens_nothing_and_the_wal_holds_no_old_page() {
    let bench = Bench::new();
    let mut wb = bench.inspector();
    let old_key = wb.master_key_for_tests().clone();
    wb.rekey().unwrap();
    let wal = bench.root.join("store.db-wal");
    let wal_bytes = std::fs::metadata(&wal).map_or(0, |m| m.len());
    wb.lock().unwrap();
    assert!(ccu_workbench::store::Store::open(&bench.root.join("store.db"), &old_key).is_err());
    // Only the rotation's own audit entry can have been written to the WAL after the checkpoint.
    assert!(wal_bytes < 64 * 1024, "{wal_bytes}");
    bench.inspector().lock().unwrap();
}

#[test]
fn a_transferee_package_records_its_recipient_and_items_and_needs_c_items_confirmed() {
    let bench = Bench::new();
    let mut wb = bench.inspector();
    let officer = wb
        .create_nominal(common::employee("S730001", "Cal", "Moving"), false)
        .unwrap()
        .id;
    let mut fields = item_fields(officer);
    fields.grading.handling_code = "C".into();
    fields.grading.handling_conditions = Some("Not to be shared outside the CCU.".into());
    let item = wb.create_item(&fields, None).unwrap();
    let out = bench.dir.path().join("package.html");
    let release = |recipient, confirm_c_items| ccu_workbench::workbench::Release {
        recipient,
        confirm_c_items,
        include_left_out: false,
    };
    assert!(matches!(
        wb.export_transferee_package(officer, &out, release("DCI Receiving", false)),
        Err(WorkbenchError::CItemsNeedConfirmation { count: 1 })
    ));
    assert!(matches!(
        wb.export_transferee_package(officer, &out, release("  ", true)),
        Err(WorkbenchError::Refused(_))
    ));
    assert!(!out.exists());
    wb.export_transferee_package(officer, &out, release("DCI Receiving", true))
        .unwrap();
    let entries = wb.audit_entries(1, 10_000).unwrap();
    let started = entries
        .iter()
        .rfind(|e| e.action == "report.export")
        .unwrap();
    assert!(
        started.detail.contains("\"recipient\":\"DCI Receiving\""),
        "{}",
        started.detail
    );
    assert!(started.detail.contains(&item.reference));
}
