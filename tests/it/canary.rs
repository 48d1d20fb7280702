//! Leak test: names and purposes carrying a canary go through the CLI and the library; no file
//! the workbench or the process wrote (store, write-ahead log, slots, records, backups, settings,
//! temporary files) contains it in any common encoding, and no file is a plaintext SQLite database.

use crate::common;

use crate::common::{Sandbox, leaks};
use ccu_workbench::Workbench;
use ccu_workbench::domain::Role;

const CANARY: &str = "CANARYx9Q7";

#[test]
fn no_file_written_contains_the_canary_or_a_plaintext_database() {
    let sandbox = Sandbox::new();
    let admin = format!("DI {CANARY} Admin");
    let admin_password = format!("{CANARY} admin pass phrase");
    let detective = format!("DC {CANARY} Detective");
    let detective_password = format!("{CANARY} detective pass phrase");
    let purpose = format!("OP-{CANARY}-purpose");
    let roots = [sandbox.dir.path().to_path_buf()];
    let check = |step: &str| {
        let found = leaks(&roots, CANARY);
        assert!(found.is_empty(), "after {step}: {found:#?}");
    };

    sandbox
        .cli()
        .args(["init", "--admin", &admin])
        .env("CCU_NEW_PASSWORD", &admin_password)
        .assert()
        .success();
    check("init");

    sandbox
        .cli_as(&admin, &admin_password)
        .args([
            "--purpose",
            &purpose,
            "user",
            "add",
            &detective,
            "--role",
            "detective",
        ])
        .env("CCU_NEW_PASSWORD", &detective_password)
        .assert()
        .success();
    check("user add");

    // A failed attempt naming the canary user is sealed, not written in the clear.
    sandbox
        .cli_as(&detective, "wrong pass phrase entirely")
        .args(["audit", "verify"])
        .assert()
        .failure();
    check("failed login");

    sandbox
        .cli_as(&admin, &admin_password)
        .args(["--purpose", &purpose, "audit", "show", "--json"])
        .assert()
        .success()
        .stdout(predicates::str::contains(CANARY));
    check("audit show");

    sandbox
        .cli_as(&detective, &detective_password)
        .args(["user", "passwd"])
        .env("CCU_NEW_PASSWORD", format!("{CANARY} new detective phrase"))
        .assert()
        .success();
    sandbox
        .cli_as(&admin, &admin_password)
        .args(["--purpose", &purpose, "backup", "--out"])
        .arg(sandbox.path("backup.ccuwb"))
        .assert()
        .success();
    sandbox
        .cli_as(&admin, &admin_password)
        .arg("rekey")
        .assert()
        .success();
    check("password change, backup, rekey");

    // While a session is open the write-ahead log exists and holds recent pages: encrypted too.
    let mut open = Workbench::unlock(&sandbox.workbench(), &admin, &admin_password).unwrap();
    open.set_purpose(&purpose).unwrap();
    open.add_user(&format!("Analyst {CANARY}"), Role::Analyst, &admin_password)
        .unwrap();
    open.audit_entries(1, 100).unwrap();
    let wal = sandbox.workbench().join("store.db-wal");
    assert!(
        std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0),
        "the write-ahead log should hold the uncheckpointed pages"
    );
    check("an open session with a write-ahead log");
    open.lock().unwrap();
    check("lock");
}

#[test]
fn the_scan_finds_planted_plaintext() {
    let sandbox = Sandbox::new();
    let roots = [sandbox.dir.path().to_path_buf()];
    assert!(leaks(&roots, CANARY).is_empty());
    let utf16: Vec<u8> = format!("x{}y", CANARY.to_lowercase())
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(sandbox.tmp_dir().join("planted.bin"), utf16).unwrap();
    std::fs::write(sandbox.data_dir().join("copy.db"), b"SQLite format 3\0rest").unwrap();
    let found = leaks(&roots, CANARY);
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn narratives_names_and_attachments_never_reach_the_disk_in_the_clear() {
    use ccu_workbench::domain::{Grading, IntelItemFields, NominalDetails, PersonFlags, Subject};
    let sandbox = Sandbox::new();
    let roots = [sandbox.dir.path().to_path_buf()];
    let mut wb = Workbench::create(
        &sandbox.workbench(),
        common::INSPECTOR,
        common::INSPECTOR_PASSWORD,
        common::CHEAP,
    )
    .unwrap();
    wb.set_purpose("OP-CANARY-RECORDS").unwrap();
    let person = wb
        .create_nominal(
            NominalDetails::Person {
                forenames: format!("Alex{CANARY}"),
                surname: format!("{CANARY}son"),
                aliases: vec![format!("The {CANARY}")],
                date_of_birth: None,
                flags: PersonFlags::default(),
            },
            false,
        )
        .unwrap();
    let fields = IntelItemFields {
        received_on: "2026-05-05".parse().unwrap(),
        source_type: "covert_source".into(),
        narrative: format!("The narrative mentions {CANARY} twice: {CANARY}."),
        grading: Grading {
            source_evaluation: "1".into(),
            intelligence_assessment: "A".into(),
            handling_code: "C".into(),
            handling_conditions: Some(format!("Conditions {CANARY}")),
        },
        legacy_grading: None,
        category: "infiltration".into(),
        subcategory: None,
        subjects: vec![Subject {
            nominal_id: person.id,
            role: "subject".into(),
        }],
        next_review_on: None,
    };
    let item = wb.create_item(&fields, None).unwrap();
    wb.attach_file(
        &item.reference,
        &format!("{CANARY}.txt"),
        format!("attachment body {CANARY}").as_bytes(),
    )
    .unwrap();
    let mut edited = fields.clone();
    edited.narrative = format!("Edited: {CANARY} again.");
    wb.update_item(&item.reference, &edited).unwrap();
    wb.search(&ccu_workbench::domain::SearchQuery {
        text: CANARY.into(),
        ..Default::default()
    })
    .unwrap();
    let found = leaks(&roots, CANARY);
    assert!(found.is_empty(), "while open: {found:#?}");
    wb.lock().unwrap();
    let found = leaks(&roots, CANARY);
    assert!(found.is_empty(), "after lock: {found:#?}");
}
