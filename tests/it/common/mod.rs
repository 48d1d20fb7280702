//! Helpers shared by the integration tests: temporary workbenches, the CLI with a clean
//! environment, and file snapshots and scans. The GUI tests' helpers are in [`gui`].

pub mod beacon_force;
#[cfg(feature = "gui")]
pub mod gui;

use assert_cmd::Command;
use ccu_workbench::Workbench;
use ccu_workbench::crypto::KdfParams;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;
pub const INSPECTOR: &str = "DI Synthetic";
pub const INSPECTOR_PASSWORD: &str = "inspector pass phrase";
pub const DETECTIVE: &str = "DC Synthetic";
pub const DETECTIVE_PASSWORD: &str = "detective pass phrase";

/// A temporary folder holding a workbench path, a settings folder and a temp folder for the
/// process under test.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::create_dir_all(dir.path().join("tmp")).unwrap();
        Self { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn workbench(&self) -> PathBuf {
        self.path("test.ccuwb")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path("data")
    }

    pub fn tmp_dir(&self) -> PathBuf {
        self.path("tmp")
    }

    /// The CLI with a clean environment: no inherited credentials, settings and temporary files
    /// inside the sandbox; stdin is an empty pipe, so a missing user name fails instead of waiting.
    pub fn cli(&self) -> Command {
        let mut cmd = Command::cargo_bin("ccu-workbench").unwrap();
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("CCU_DATA_DIR", self.data_dir())
            .env("TMPDIR", self.tmp_dir())
            .env("CCU_WORKBENCH", self.workbench())
            // A guard against a hang (a prompt waiting for a terminal), not a timed assertion.
            .timeout(std::time::Duration::from_mins(5));
        cmd
    }

    /// The CLI signed in as `user`.
    pub fn cli_as(&self, user: &str, password: &str) -> Command {
        let mut cmd = self.cli();
        cmd.env("CCU_USER", user).env("CCU_PASSWORD", password);
        cmd
    }

    /// Creates the workbench through the library (cheap key derivation) with an inspector and a
    /// detective.
    pub fn create_with_detective(&self) {
        let mut wb =
            Workbench::create(&self.workbench(), INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
        wb.add_user(
            DETECTIVE,
            ccu_workbench::domain::Role::Detective,
            DETECTIVE_PASSWORD,
        )
        .unwrap();
        wb.lock().unwrap();
    }
}

/// Every regular file under `root`, with its bytes.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                files.insert(path, bytes);
            }
        }
    }
    files
}

/// The forms a leaked string could take in a file: as typed, lower case and upper case, each in
/// UTF-8 and UTF-16LE (Windows' native encoding).
pub fn encodings(needle: &str) -> Vec<Vec<u8>> {
    let cases = [
        needle.to_owned(),
        needle.to_lowercase(),
        needle.to_uppercase(),
    ];
    cases
        .iter()
        .flat_map(|text| {
            let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            [text.as_bytes().to_vec(), utf16]
        })
        .collect()
}

/// Files under `roots` that contain any encoding of `needle`, or start with the plaintext `SQLite`
/// header: each is a leak.
pub fn leaks(roots: &[PathBuf], needle: &str) -> Vec<String> {
    let forms = encodings(needle);
    let mut found = Vec::new();
    for root in roots {
        for (path, bytes) in snapshot(root) {
            if bytes.starts_with(b"SQLite format 3\0") {
                found.push(format!("{}: plaintext SQLite header", path.display()));
            }
            if forms
                .iter()
                .any(|form| bytes.windows(form.len()).any(|w| w == form.as_slice()))
            {
                found.push(format!("{}: contains the canary", path.display()));
            }
        }
    }
    found
}

/// The audit log as JSON, read through the CLI as the inspector.
pub fn audit_json(sandbox: &Sandbox) -> Vec<serde_json::Value> {
    audit_json_as(sandbox, INSPECTOR, INSPECTOR_PASSWORD)
}

/// The audit log as JSON, read through the CLI as the inspector `user`.
pub fn audit_json_as(sandbox: &Sandbox, user: &str, password: &str) -> Vec<serde_json::Value> {
    let out = sandbox
        .cli_as(user, password)
        .args(["--purpose", "TEST-AUDIT-READ", "audit", "show", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A serving PC in Response: the employee most tests need.
pub fn employee(
    staff_number: &str,
    forenames: &str,
    surname: &str,
) -> ccu_workbench::domain::NominalDetails {
    ccu_workbench::domain::NominalDetails::Employee {
        staff_number: staff_number.into(),
        forenames: forenames.into(),
        surname: surname.into(),
        rank_grade: "PC".into(),
        role: String::new(),
        department: "Response".into(),
        employee_type: "officer".into(),
        vetting_level: None,
        vetting_expiry: None,
        status: "serving".into(),
        date_of_birth: None,
    }
}

/// A person with a date of birth (`YYYY-MM-DD`) and flags: what bulk rows are matched on.
pub fn person_born(
    forenames: &str,
    surname: &str,
    date_of_birth: &str,
    flags: ccu_workbench::domain::PersonFlags,
) -> ccu_workbench::domain::NominalDetails {
    ccu_workbench::domain::NominalDetails::Person {
        forenames: forenames.into(),
        surname: surname.into(),
        aliases: vec![],
        date_of_birth: date_of_birth.parse().ok(),
        flags,
    }
}

/// Puts a store back as the workbench was before signatures (schema 10): no role grants, no
/// transaction signatures, no name keys, no item restrictions, no conduct outcomes, no review records or relationships, no external ids, cases, vetting, deployments, data answers or assessment texts, and the chain hashed from the genesis of that time.
/// For the tests that open an older workbench with this build; the caller sets `user_version`
/// and drops the session without locking (a lock would sign its entry into the dropped table).
pub fn undo_signing(conn: &rusqlite::Connection) {
    let has_register: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'notifiable_associations'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    if has_register {
        conn.execute_batch("ALTER TABLE notifiable_associations DROP COLUMN relationship;")
            .unwrap();
    }
    conn.execute_batch(
        "DROP TABLE assessment_texts;
         DROP TABLE assessment_data_answers;
         ALTER TABLE system_audit_events DROP COLUMN incident_reference;
         DROP TABLE deployments;
         DROP TABLE vetting_records;
         DROP TABLE cases;
         DROP TABLE external_ids;
         ALTER TABLE imports DROP COLUMN spec_name;
         ALTER TABLE imports DROP COLUMN spec_version;
         DROP TABLE beacon_iopc_decisions;
         DROP TABLE beacon_removals;
         DROP TABLE item_priorities;
         DROP INDEX intel_items_by_priority;
         ALTER TABLE intel_items DROP COLUMN priority_band;
         ALTER TABLE intel_items DROP COLUMN priority_rank;
         DROP TABLE IF EXISTS na_reviews;
         DROP TABLE conduct_outcomes;
         DROP TABLE item_restriction_users;
         DROP TABLE item_restrictions;
         DROP TABLE role_grants;
         DROP TABLE audit_signatures;
         DROP INDEX users_active_name_key;
         ALTER TABLE users DROP COLUMN name_key;
         DELETE FROM workbench_meta WHERE key IN ('root_signing_key', 'signed_from_seq', 'genesis');",
    )
    .unwrap();
    let workbench_id: String = conn
        .query_row(
            "SELECT value FROM workbench_meta WHERE key = 'workbench_id'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    rehash_audit_chain(conn, 1, ccu_workbench::domain::genesis_hash(&workbench_id));
}

/// Re-hashes the audit chain from entry `from_seq` on, starting from `prev` (the hash before
/// it), as someone who changed an entry with the key would so that the hash chain alone checks
/// out again. The append-only trigger is dropped for it and put back after.
pub fn rehash_audit_chain(
    conn: &rusqlite::Connection,
    from_seq: i64,
    mut prev: ccu_workbench::domain::AuditHash,
) {
    use ccu_workbench::domain::AuditRecordBytes;
    conn.execute_batch("DROP TRIGGER IF EXISTS audit_log_no_update;")
        .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT seq, CAST(at_utc AS BLOB), user_id, CAST(user_name AS BLOB), CAST(action AS BLOB),
                    CAST(object AS BLOB), CAST(justification AS BLOB), CAST(detail AS BLOB)
             FROM audit_log WHERE seq >= ?1 ORDER BY seq",
        )
        .unwrap();
    let mut rows = stmt.query([from_seq]).unwrap();
    let mut updates = Vec::new();
    while let Some(r) = rows.next().unwrap() {
        let field = |i: usize| r.get::<_, Vec<u8>>(i).unwrap();
        let seq: i64 = r.get(0).unwrap();
        let (at, name, action, object, justification, detail) =
            (field(1), field(3), field(4), field(5), field(6), field(7));
        let hash = AuditRecordBytes {
            seq,
            at_utc: &at,
            user_id: r.get(2).unwrap(),
            user_name: &name,
            action: &action,
            object: &object,
            justification: &justification,
            detail: &detail,
        }
        .chain_hash(&prev);
        updates.push((seq, prev, hash));
        prev = hash;
    }
    drop(rows);
    drop(stmt);
    for (seq, prev, hash) in updates {
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            (prev.0.as_slice(), hash.0.as_slice(), seq),
        )
        .unwrap();
    }
    conn.execute_batch(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
    )
    .unwrap();
}

/// An item's fields: received 2026-05-05 from a supervisor, graded 2C P, an inappropriate
/// association, with `subject` as its subject.
pub fn item_fields(
    subject: ccu_workbench::domain::NominalId,
    narrative: &str,
) -> ccu_workbench::domain::IntelItemFields {
    use ccu_workbench::domain::{Grading, IntelItemFields, Subject};
    IntelItemFields {
        received_on: "2026-05-05".parse().unwrap(),
        source_type: "supervisor".into(),
        narrative: narrative.into(),
        grading: Grading {
            source_evaluation: "2".into(),
            intelligence_assessment: "C".into(),
            handling_code: "P".into(),
            handling_conditions: None,
        },
        legacy_grading: None,
        category: "inappropriate_association".into(),
        subcategory: None,
        subjects: vec![Subject {
            nominal_id: subject,
            role: "subject".into(),
        }],
        next_review_on: None,
    }
}

/// Fails the test, showing the command's standard error, unless it succeeded; returns its
/// standard output.
pub fn succeeded(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
