//! Crash consistency (issue 9): a child process imports bulk files and creates and edits
//! intelligence items in a loop; the harness kills it (SIGKILL on Unix, `TerminateProcess` on
//! Windows) at random moments, reopens the workbench and checks that SQLite finds no damage, the
//! audit chain verifies, and every transaction is all or nothing: each import wholly present
//! with the audit entry that records it, or wholly absent; each item with exactly the versions
//! and audit entries its edits made.
//!
//! The child is this test binary itself (the one integration binary, `tests/it/main.rs`), re-run
//! on exactly the ignored test `crash_consistency::crash_child_workload` (its full path, with
//! `--exact`, so no other test of the binary runs in the child) with the workbench named in
//! `CCU_CRASH_CHILD`. `CCU_CRASH_KILLS` sets the number of kills (20 by default, as CI runs it;
//! the release suite runs 200 or more:
//! `CCU_CRASH_KILLS=200 cargo test --release --test it crash_consistency -- --nocapture`), and
//! `CCU_CRASH_SEED` the kill times.

use crate::common;
use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{Grading, ImportKind, IntelItemFields, NominalId, Subject};
use ccu_workbench::io::import_spec::shipped_spec;
use ccu_workbench::workbench::ImportOptions;
use std::fmt::Write as _;
use std::ops::ControlFlow;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_ENV: &str = "CCU_CRASH_CHILD";
const OFFICER_STAFF_NUMBER: &str = "S900100";
const AUDIT_HEADER: &str =
    "Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n";
/// Rows per imported file: enough that a kill often lands inside an import.
const ROWS_PER_FILE: usize = 4_000;

fn item_fields(subject: NominalId, narrative: &str) -> IntelItemFields {
    IntelItemFields {
        received_on: "2026-09-14".parse().unwrap(),
        source_type: "confidential_line".into(),
        narrative: narrative.into(),
        grading: Grading {
            source_evaluation: "2".into(),
            intelligence_assessment: "B".into(),
            handling_code: "P".into(),
            handling_conditions: None,
        },
        legacy_grading: None,
        category: "disclosure".into(),
        subcategory: None,
        subjects: vec![Subject {
            nominal_id: subject,
            role: "subject".into(),
        }],
        next_review_on: None,
    }
}

/// A system audit file no earlier run wrote (its first row carries `nonce`), so each import is
/// new to the workbench.
fn audit_file(nonce: &str) -> Vec<u8> {
    let mut text = String::with_capacity(ROWS_PER_FILE * 64);
    text.push_str(AUDIT_HEADER);
    for row in 0..ROWS_PER_FILE {
        let system = if row == 0 { nonce } else { "RMS" };
        writeln!(
            text,
            "01/03/2026 09:{:02}:{:02},{OFFICER_STAFF_NUMBER},{system},Synthetic{},Lee,03/02/1985,,",
            (row / 60) % 60,
            row % 60,
            row % 97
        )
        .unwrap();
    }
    text.into_bytes()
}

fn new_workbench(root: &Path) -> NominalId {
    let mut wb = Workbench::create(root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    let officer = wb
        .create_nominal(
            common::employee(OFFICER_STAFF_NUMBER, "Synthetic", "Crashworthy"),
            false,
        )
        .unwrap()
        .id;
    wb.lock().unwrap();
    officer
}

/// The child test's name as the test harness knows it: its module path inside the binary (the
/// crate's name left out), so `--exact` selects it and nothing else.
fn child_test_name() -> String {
    let module = module_path!()
        .split_once("::")
        .map_or("", |(_crate, module)| module);
    if module.is_empty() {
        "crash_child_workload".to_owned()
    } else {
        format!("{module}::crash_child_workload")
    }
}

/// The child's work: imports, item creations and edits, one transaction each, until killed.
/// Run only by the harness (it is ignored, and does nothing without `CCU_CRASH_CHILD`).
#[test]
#[ignore = "the crash harness runs it in a child process"]
fn crash_child_workload() {
    let Some(root) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let root = Path::new(&root);
    let mut wb = Workbench::unlock(root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose("OP-CRASH-HARNESS").unwrap();
    let officer: NominalId =
        NominalId(std::env::var("CCU_CRASH_OFFICER").unwrap().parse().unwrap());
    let spec = shipped_spec(ImportKind::AuditEvents).unwrap();
    let run = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    for n in 0_u64.. {
        let file = audit_file(&format!("RUN{run}N{n}"));
        wb.import_bulk(
            &spec,
            &format!("audit-{run}-{n}.csv"),
            file.as_slice(),
            Some(file.len() as u64),
            ImportOptions::default(),
            &mut |_| ControlFlow::Continue(()),
        )
        .unwrap();
        let item = wb
            .create_item(&item_fields(officer, "Synthetic crash narrative."), None)
            .unwrap();
        wb.update_item(
            &item.reference,
            &item_fields(officer, "Synthetic crash narrative, edited."),
        )
        .unwrap();
    }
}

/// What a crash left wrong in the workbench at `root`: empty when it is consistent.
/// Also returns how many imports and items it holds.
fn consistency_problems(root: &Path) -> (Vec<String>, i64, i64) {
    let mut problems = Vec::new();
    let mut wb = match Workbench::unlock(root, INSPECTOR, INSPECTOR_PASSWORD) {
        Ok(wb) => wb,
        Err(err) => return (vec![format!("the workbench does not open: {err}")], 0, 0),
    };
    let conn = wb.store_for_tests().raw_connection();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    if integrity != "ok" {
        problems.push(format!("integrity_check: {integrity}"));
    }
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    let imports = count("SELECT COUNT(*) FROM imports");
    // One pass over the imported rows (a correlated count per import would be quadratic).
    let torn_imports = count(
        "SELECT COUNT(*) FROM imports i
         LEFT JOIN (SELECT import_id, COUNT(*) AS n FROM system_audit_events GROUP BY import_id) e
           ON e.import_id = i.id
         WHERE i.row_count <> COALESCE(e.n, 0)",
    );
    if torn_imports > 0 {
        problems.push(format!(
            "{torn_imports} imports do not hold the rows they record"
        ));
    }
    let orphan_rows = count(
        "SELECT COUNT(*) FROM (SELECT DISTINCT import_id FROM system_audit_events)
         WHERE import_id NOT IN (SELECT id FROM imports)",
    );
    if orphan_rows > 0 {
        problems.push(format!("rows of {orphan_rows} imports belong to no import"));
    }
    let import_audits = count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.bulk'");
    if import_audits != imports {
        problems.push(format!(
            "{imports} imports but {import_audits} import.bulk audit entries"
        ));
    }
    let items = count("SELECT COUNT(*) FROM intel_items");
    let item_audits = count("SELECT COUNT(*) FROM audit_log WHERE action = 'item.create'");
    if item_audits != items {
        problems.push(format!(
            "{items} items but {item_audits} item.create audit entries"
        ));
    }
    let versions = count("SELECT COUNT(*) FROM intel_item_versions");
    let edit_audits = count("SELECT COUNT(*) FROM audit_log WHERE action = 'item.edit'");
    if versions != edit_audits {
        problems.push(format!(
            "{versions} earlier item versions but {edit_audits} item.edit audit entries"
        ));
    }
    let torn_items = count(
        "SELECT COUNT(*) FROM intel_items i WHERE i.version - 1 <>
           (SELECT COUNT(*) FROM intel_item_versions v WHERE v.item_id = i.id)",
    );
    if torn_items > 0 {
        problems.push(format!(
            "{torn_items} items' versions disagree with their history"
        ));
    }
    match wb.verify_audit_log() {
        Ok(verification) if verification.is_intact() => {}
        Ok(verification) => problems.push(format!("audit chain broken: {verification:?}")),
        Err(err) => problems.push(format!("audit verification failed: {err}")),
    }
    wb.lock().unwrap();
    (problems, imports, items)
}

/// A small deterministic generator for kill times (`SplitMix64`).
struct KillClock(u64);

impl KillClock {
    fn next_ms(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % below
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

#[test]
fn killed_at_random_points_the_workbench_reopens_whole_and_every_transaction_is_all_or_nothing() {
    let kills = env_number("CCU_CRASH_KILLS", 20);
    let seed = env_number("CCU_CRASH_SEED", 9);
    let mut clock = KillClock(seed);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("crash.ccuwb");
    let officer = new_workbench(&root);
    let me = std::env::current_exe().unwrap();
    let (mut last_imports, mut last_items) = (0, 0);
    let mut grew = 0;
    for kill in 0..kills {
        let mut child = Command::new(&me)
            .args([
                child_test_name().as_str(),
                "--exact",
                "--ignored",
                "--nocapture",
            ])
            .env(CHILD_ENV, &root)
            .env("CCU_CRASH_OFFICER", officer.0.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // From before the unlock finishes to several imports in.
        std::thread::sleep(Duration::from_millis(20 + clock.next_ms(1_500)));
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap_or(());
        child.wait().unwrap();
        assert!(
            still_running,
            "kill {kill}: the child ended by itself (it should run until killed)"
        );
        let (problems, imports, items) = consistency_problems(&root);
        assert!(
            problems.is_empty(),
            "kill {kill} (seed {seed}): {problems:#?}"
        );
        assert!(imports >= last_imports && items >= last_items);
        if imports > last_imports || items > last_items {
            grew += 1;
        }
        (last_imports, last_items) = (imports, items);
    }
    println!(
        "{kills} kills (seed {seed}): {last_imports} imports of {ROWS_PER_FILE} rows and \
         {last_items} items committed, {grew} runs committed something, no inconsistency"
    );
    assert!(
        kills == 0 || grew > 0,
        "no run committed anything: the kills all came too early to test anything"
    );
}

/// The checker is not blind: an import with a row missing, and an item edit without its
/// history, are each reported (a changed audit entry is `tests/it/audit_tamper.rs`'s).
/// The name the child is run by is a test of this binary, and the only one it selects.
#[test]
fn the_child_is_run_by_its_full_test_name() {
    let me = std::env::current_exe().unwrap();
    let listed = Command::new(&me)
        .args([child_test_name().as_str(), "--exact", "--ignored", "--list"])
        .output()
        .unwrap();
    assert!(listed.status.success());
    let listed = String::from_utf8(listed.stdout).unwrap();
    let tests: Vec<&str> = listed
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .collect();
    assert_eq!(tests, [child_test_name().as_str()], "{listed}");
    assert!(child_test_name().ends_with("::crash_child_workload"));
}

#[test]
fn the_checker_catches_a_torn_import_and_a_torn_edit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("broken.ccuwb");
    let officer = new_workbench(&root);
    {
        let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
        wb.set_purpose("OP-CRASH-HARNESS").unwrap();
        let file = audit_file("PLANTED");
        wb.import_bulk(
            &shipped_spec(ImportKind::AuditEvents).unwrap(),
            "planted.csv",
            file.as_slice(),
            None,
            ImportOptions::default(),
            &mut |_| ControlFlow::Continue(()),
        )
        .unwrap();
        let item = wb
            .create_item(&item_fields(officer, "Synthetic narrative."), None)
            .unwrap();
        wb.update_item(&item.reference, &item_fields(officer, "Edited."))
            .unwrap();
        wb.lock().unwrap();
    }
    assert_eq!(consistency_problems(&root).0, Vec::<String>::new());

    let break_with = |sql: &str| {
        let wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
        wb.store_for_tests()
            .raw_connection()
            .execute_batch(sql)
            .unwrap();
        wb.lock().unwrap();
    };
    // A transaction that committed the import record but not all its rows.
    break_with(
        "DELETE FROM system_audit_events WHERE id = (SELECT MAX(id) FROM system_audit_events)",
    );
    let (problems, _, _) = consistency_problems(&root);
    assert!(
        problems.iter().any(|p| p.contains("do not hold the rows")),
        "{problems:?}"
    );
    // An edit that bumped the version but lost the earlier one.
    break_with("DELETE FROM intel_item_versions");
    let (problems, _, _) = consistency_problems(&root);
    assert!(
        problems.iter().any(|p| p.contains("item.edit")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("disagree with their history")),
        "{problems:?}"
    );
}
