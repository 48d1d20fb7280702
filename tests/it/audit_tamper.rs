//! Tampering with stored audit entries, as someone holding the key and editing the file would:
//! every single-byte change, every deletion, every reordering is reported with the entry number.

use crate::common::{CHEAP, DETECTIVE, DETECTIVE_PASSWORD, INSPECTOR, INSPECTOR_PASSWORD, Sandbox};
use ccu_workbench::Workbench;
use ccu_workbench::domain::Role;
use ccu_workbench::store::AuditBreakReason;
use ccu_workbench::store::tamper::{
    AUDIT_COLUMNS, drop_audit_triggers, flip_audit_byte, undo_audit_tamper,
};

/// A reproducible generator, so a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A workbench with about fifty varied entries: every column holds something in some entry.
fn busy_workbench(root: &std::path::Path) -> Workbench {
    let mut wb = Workbench::create(root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.add_user(DETECTIVE, Role::Detective, DETECTIVE_PASSWORD)
        .unwrap();
    for round in 0..15 {
        wb.set_purpose(&format!("OP-{round:03} synthetic enquiry"))
            .unwrap();
        wb.users().unwrap();
        wb.audit_entries(1, 5).unwrap();
    }
    assert!(wb.audit_head().unwrap().seq >= 45);
    wb
}

#[test]
fn an_untouched_log_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = busy_workbench(&dir.path().join("clean.ccuwb"));
    let verification = wb.verify_audit_log().unwrap();
    assert!(verification.is_intact());
    assert_eq!(verification.entries_checked, verification.head.seq);
}

#[test]
fn every_random_single_byte_change_is_reported_at_its_entry() {
    let dir = tempfile::tempdir().unwrap();
    let wb = busy_workbench(&dir.path().join("tamper.ccuwb"));
    let store = wb.store_for_tests();
    let conn = store.raw_connection();
    drop_audit_triggers(conn).unwrap();
    let total = u64::try_from(wb.audit_head().unwrap().seq).unwrap();
    let mut rng = XorShift(0x5eed_1234_abcd_0001);
    let mut per_column = [0u32; AUDIT_COLUMNS.len()];
    let mut made = 0;
    while made < 400 {
        let seq = i64::try_from(1 + rng.below(total)).unwrap();
        let column_index = usize::try_from(rng.below(AUDIT_COLUMNS.len() as u64)).unwrap();
        let column = AUDIT_COLUMNS[column_index];
        let mask = u8::try_from(1 + rng.below(255)).unwrap();
        let Some(tamper) = flip_audit_byte(conn, seq, column, rng.next(), mask).unwrap() else {
            continue; // an empty field or a NULL user id has no byte to change
        };
        made += 1;
        per_column[column_index] += 1;
        let verification = store.verify_audit_log().unwrap();
        let bad = verification
            .first_break
            .unwrap_or_else(|| panic!("change to {column} of entry {seq} was not detected"));
        assert_eq!(
            bad.seq, seq,
            "change to {column} of entry {seq}: {:?}",
            bad.reason
        );
        undo_audit_tamper(conn, &tamper).unwrap();
        assert!(
            store.verify_audit_log().unwrap().is_intact(),
            "undo restores the chain"
        );
    }
    for (column, count) in AUDIT_COLUMNS.iter().zip(per_column) {
        assert!(count > 0, "no change hit column {column}");
    }
}

#[test]
fn deleting_or_reordering_entries_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let wb = busy_workbench(&dir.path().join("delete.ccuwb"));
    let store = wb.store_for_tests();
    let conn = store.raw_connection();
    drop_audit_triggers(conn).unwrap();

    conn.execute("DELETE FROM audit_log WHERE seq = 20", [])
        .unwrap();
    let bad = store.verify_audit_log().unwrap().first_break.unwrap();
    assert_eq!(bad.seq, 20);
    assert_eq!(bad.reason, AuditBreakReason::Sequence { found: 21 });

    // Renumbering the rest to close the gap breaks the links instead.
    conn.execute("UPDATE audit_log SET seq = seq - 1 WHERE seq > 20", [])
        .unwrap();
    let bad = store.verify_audit_log().unwrap().first_break.unwrap();
    assert_eq!(bad.seq, 20);
    assert_eq!(bad.reason, AuditBreakReason::PreviousHash);
}

#[test]
fn the_append_only_triggers_refuse_edits_through_sql() {
    let dir = tempfile::tempdir().unwrap();
    let wb = busy_workbench(&dir.path().join("triggers.ccuwb"));
    let conn = wb.store_for_tests().raw_connection();
    assert!(
        conn.execute("UPDATE audit_log SET action = 'x' WHERE seq = 3", [])
            .is_err()
    );
    assert!(
        conn.execute("DELETE FROM audit_log WHERE seq = 3", [])
            .is_err()
    );
}

#[test]
fn the_cli_names_the_tampered_entry_and_exits_5() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let wb = Workbench::unlock(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    let conn = wb.store_for_tests().raw_connection();
    drop_audit_triggers(conn).unwrap();
    flip_audit_byte(conn, 3, "action", 0, 0x20)
        .unwrap()
        .unwrap();
    wb.lock().unwrap();

    let out = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "error: audit log broken at entry 3: its content does not match its hash"
    );
}
