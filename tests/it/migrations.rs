//! The schema: every migration applies, every table is STRICT, shipped migrations never change,
//! and a workbench from a newer build is refused without being touched.

use crate::common;

use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD};
use ccu_workbench::Workbench;
use ccu_workbench::store::{MIGRATIONS, Manifest, SCHEMA_VERSION, StoreError, WorkbenchLayout};
use ccu_workbench::workbench::WorkbenchError;
use sha2::{Digest, Sha256};

/// SHA-256 of each shipped migration. Migrations are append-only: to change the schema, add a new
/// entry to `MIGRATIONS` and its hash here; never edit an existing one (workbenches in use have
/// already applied it, and would not apply it again).
const SHIPPED: &[&str] = &[
    "d15d31f00915e930c2c7da2edb9f51a2c0956523ffaf5f2ea4bdede8cd0f6b9a",
    "f2c33c613f1dc4a5c3a2ba73b93187a9e671f8c82f31b2caede749bb3a1ae245",
    "86bacb519608ff47a7961ca4d5366036845e3a5722e264e54d3b486bd2174800",
    "763133e1da73e00851db7ef1ddf5bf378b458f94df65f2982eb3961040725a24",
    "e15a4dc277cec3dc340b621399d18fd74e4ca9bd4d64eea50bd5554a62da4461",
    "66fa65d379b3bcf01ffbba581bb51271261a2a8fb62c7c0419c088199f4cee15",
    "baa7c8825317356e809bb8cf495fbb66b6e87e9415a68d1d49792187602f2d68",
    "f09d298576c380e32608095a6b9b1ccdc82d64b5621e564c6a78dd75a876d409",
    "39513baf048f61ae123ce812f67efd294751211528545261ff82fef30eaf8ddb",
    "9a3a03e568cd40dc5b74bf0537e2af397d5d7087612cf6169aef5dd6f531c42c",
    "1ccec4fa5171ec9aace040534bd419efd1024fd05d319b3edce38c8dde19f5bd",
    "5a4d019ed3389425fc866382ce629153543e00b7a790ec337ad51eda221b97a4",
    "fccb951bcb40828d1cd5c25d7a1938770fca3635f4a52e35250868b63fe3c991",
    "64173326f2df75925075a3cad08131526d0088bc4dd7d95eb0bf81329bac7154",
    "115ec77fd16a1fc3a79110dc6881c8a067a0c9f7d3fa19b2cd5fb7ee90e0da01",
    "ec613ace61e958c8a5059a66fe0b4b81015b8b536f99bf7bab91cb2261f566bb",
    "7ccfef2470de324bceb1ad139560523e2e2c0dd7a487c354f668f65e12846b08",
    "8155f3e04698578321e815b46beb5721f5f41caa605281d1b9b3d4e5c21fde2b",
    "7a8140daf1e028b475b9f2cf684e6c02b7e40284fbaafd30ed859e529f84b7b8",
    "b7ba03501f2ef7772261de014f6cf7add22a9993ee26c2ce901b76bd9d593902",
];

/// Drops what migrations 8 (bulk imports), 9 (the control strategy) and 10 (workforce
/// records) added, for the tests that put a store back as an earlier migration left it.
const MIGRATION_8_OBJECTS: &str = "DROP TABLE workforce_records;
     DROP TABLE control_strategy;
     DROP TABLE leads;
     DROP TABLE procurement_contracts;
     DROP TABLE business_interests;
     DROP TABLE hospitality_entries;
     DROP TABLE call_records;
     DROP TABLE system_audit_events;
     DROP INDEX imports_sha256;
     DROP TABLE import_specs;";

fn digest(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

#[test]
fn shipped_migrations_are_unchanged() {
    assert!(
        MIGRATIONS.len() >= SHIPPED.len(),
        "a shipped migration was removed"
    );
    for (index, expected) in SHIPPED.iter().enumerate() {
        assert_eq!(
            &digest(MIGRATIONS[index]),
            expected,
            "migration {} was edited after it shipped; add a new migration instead",
            index + 1
        );
    }
    assert_eq!(
        MIGRATIONS.len(),
        SHIPPED.len(),
        "pin the hash of each new migration in SHIPPED"
    );
}

#[test]
fn every_migration_applies_and_every_table_is_strict() {
    let dir = tempfile::tempdir().unwrap();
    let wb = Workbench::create(
        &dir.path().join("m.ccuwb"),
        INSPECTOR,
        INSPECTOR_PASSWORD,
        CHEAP,
    )
    .unwrap();
    let conn = wb.store_for_tests().raw_connection();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, i64::from(SCHEMA_VERSION));
    let mut stmt = conn
        .prepare(
            // Virtual tables (full-text search) and their shadow tables are SQLite's own.
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
               AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
               AND name NOT IN (SELECT v.name || s.suffix FROM sqlite_master v,
                   (SELECT '_data' AS suffix UNION SELECT '_idx' UNION SELECT '_content'
                    UNION SELECT '_docsize' UNION SELECT '_config') s
                   WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%')",
        )
        .unwrap();
    let tables: Vec<(String, String)> = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.len() >= 14, "{tables:?}");
    for (name, sql) in tables {
        // Table options follow the closing parenthesis: `STRICT` or `STRICT, WITHOUT ROWID`.
        let upper = sql.to_uppercase();
        let options = upper.rsplit_once(')').map_or("", |(_, tail)| tail);
        let strict = options
            .split(',')
            .any(|option| option.trim().trim_end_matches(';').trim() == "STRICT");
        assert!(strict, "table {name} is not STRICT");
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn a_store_from_a_newer_build_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("newer.ccuwb");
    let wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.store_for_tests()
        .raw_connection()
        .pragma_update(None, "user_version", i64::from(SCHEMA_VERSION) + 1)
        .unwrap();
    wb.lock().unwrap();
    let store = WorkbenchLayout::new(&root).store_path();
    let before = std::fs::read(&store).unwrap();

    let err = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap_err();
    match err {
        WorkbenchError::Store(StoreError::NewerVersion {
            what,
            found,
            supported,
        }) => {
            assert_eq!(what, "schema");
            assert_eq!(found, SCHEMA_VERSION + 1);
            assert_eq!(supported, SCHEMA_VERSION);
        }
        other => panic!("expected a newer-version refusal, got {other:?}"),
    }
    assert!(err_message_names_newer(&root));
    assert_eq!(
        std::fs::read(&store).unwrap(),
        before,
        "the refused store was written to"
    );
}

fn err_message_names_newer(root: &std::path::Path) -> bool {
    Workbench::unlock(root, INSPECTOR, INSPECTOR_PASSWORD)
        .unwrap_err()
        .to_string()
        .contains("newer version of CCU Workbench")
}

#[test]
fn a_folder_format_from_a_newer_build_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("newer-format.ccuwb");
    Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP)
        .unwrap()
        .lock()
        .unwrap();
    let layout = WorkbenchLayout::new(&root);
    let manifest_path = layout.manifest_path();
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    manifest["format_version"] = serde_json::json!(99);
    std::fs::write(&manifest_path, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let before = common::snapshot(&root);

    assert!(matches!(
        Manifest::read(&layout),
        Err(StoreError::NewerVersion { found: 99, .. })
    ));
    assert!(matches!(
        Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD),
        Err(WorkbenchError::Store(StoreError::NewerVersion {
            found: 99,
            ..
        }))
    ));
    assert_eq!(common::snapshot(&root), before);
}

/// Migration 3 moves nominals out of the shared full-text index into their own, keeping them
/// searchable: a workbench written before it (nominals at odd rowids of `search_index`) still
/// finds its nominals and items after the upgrade.
#[test]
fn migration_3_moves_nominals_into_their_own_index() {
    use ccu_workbench::domain::{NominalDetails, PersonFlags, SearchQuery, SearchTarget};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("upgrade.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    let person = wb
        .create_nominal(
            NominalDetails::Person {
                forenames: "Quentin".into(),
                surname: "Marlowe-Vance".into(),
                aliases: vec![],
                date_of_birth: None,
                flags: PersonFlags::default(),
            },
            false,
        )
        .unwrap();
    // Put the store back as migration 2 left it.
    let conn = wb.store_for_tests().raw_connection();
    crate::common::undo_signing(conn);
    conn.execute_batch(MIGRATION_8_OBJECTS).unwrap();
    conn.execute_batch(
        "INSERT INTO search_index (rowid, title, body, facets)
             SELECT rowid * 2 + 1, title, body, facets FROM nominal_search_index;
         DROP TABLE nominal_search_index;
         DROP TABLE item_graph_paths;
         DROP TABLE charts;
         DROP TABLE intervention_steps;
         DROP TABLE intervention_items;
         DROP TABLE interventions;
         DROP TABLE notifiable_association_versions;
         DROP TABLE notifiable_associations;
         DROP TABLE assessments;
         DROP TABLE instrument_versions;
         PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(wb);

    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    let version: i64 = wb
        .store_for_tests()
        .raw_connection()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, i64::from(SCHEMA_VERSION));
    let odd_rows: i64 = wb
        .store_for_tests()
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM search_index WHERE rowid % 2 = 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(odd_rows, 0, "nominal rows left in the items' index");
    wb.set_purpose("OP-MIGRATION").unwrap();
    let hits = wb
        .search(&SearchQuery {
            text: "marlowe".into(),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].target, SearchTarget::Nominal { id: person.id });
}

/// Migration 5 adds the risk tools: a workbench written before it (schema 4) upgrades at unlock
/// and gets the shipped instruments, each installation audited, with the chain intact.
#[test]
fn migration_5_adds_the_risk_tools_and_installs_the_shipped_instruments_at_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("upgrade5.ccuwb");
    let wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    // Put the store back as migration 4 left it.
    wb.store_for_tests()
        .raw_connection()
        .execute_batch(
            "DROP TABLE intervention_steps;
             DROP TABLE intervention_items;
             DROP TABLE interventions;
             DROP TABLE notifiable_association_versions;
             DROP TABLE notifiable_associations;
             DROP TABLE assessments;
             DROP TABLE instrument_versions;
             PRAGMA user_version = 4;",
        )
        .unwrap();
    wb.store_for_tests()
        .raw_connection()
        .execute_batch("SELECT 1")
        .unwrap();
    crate::common::undo_signing(wb.store_for_tests().raw_connection());
    wb.store_for_tests()
        .raw_connection()
        .execute_batch(MIGRATION_8_OBJECTS)
        .unwrap();
    drop(wb);

    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    let version: i64 = wb
        .store_for_tests()
        .raw_connection()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, i64::from(SCHEMA_VERSION));
    let mut keys: Vec<String> = wb
        .instruments()
        .unwrap()
        .into_iter()
        .filter(|v| v.latest)
        .map(|v| {
            assert!(v.shipped_default, "{v:?}");
            v.key
        })
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["beacon", "intelligence_priority", "notifiable_association"]
    );
    wb.set_purpose("OP-MIGRATION").unwrap();
    let entries = wb.audit_entries(1, 1000).unwrap();
    let installed = entries
        .iter()
        .filter(|e| e.action == "instrument.publish")
        .count();
    // Every shipped version at creation, and again after the tables were dropped.
    let shipped = ccu_workbench::io::instrument_file::shipped().unwrap().len();
    assert_eq!(installed, 2 * shipped);
    assert!(wb.verify_audit_log().unwrap().is_intact());
}

/// Instrument versions are append-only in the schema itself (assessments too: tested in
/// `tests/it/risk_tools.rs`, where there is one to change).
#[test]
fn instrument_versions_refuse_update_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let wb = Workbench::create(
        &dir.path().join("append.ccuwb"),
        INSPECTOR,
        INSPECTOR_PASSWORD,
        CHEAP,
    )
    .unwrap();
    let conn = wb.store_for_tests().raw_connection();
    for sql in [
        "UPDATE instrument_versions SET definition = '{}'",
        "DELETE FROM instrument_versions",
    ] {
        let err = conn.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    let versions: i64 = conn
        .query_row("SELECT count(*) FROM instrument_versions", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(
        versions,
        i64::try_from(ccu_workbench::io::instrument_file::shipped().unwrap().len()).unwrap()
    );
}

/// Migration 6 adds the notifiable association register: a workbench written before it
/// (schema 5) upgrades at unlock, and the register works, with the chain intact.
#[test]
fn migration_6_adds_the_notifiable_association_register() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("upgrade6.ccuwb");
    let wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.store_for_tests()
        .raw_connection()
        .execute_batch(
            "DROP TABLE intervention_steps;
             DROP TABLE intervention_items;
             DROP TABLE interventions;
             DROP TABLE notifiable_association_versions;
             DROP TABLE notifiable_associations;
             PRAGMA user_version = 5;",
        )
        .unwrap();
    wb.store_for_tests()
        .raw_connection()
        .execute_batch("SELECT 1")
        .unwrap();
    crate::common::undo_signing(wb.store_for_tests().raw_connection());
    wb.store_for_tests()
        .raw_connection()
        .execute_batch(MIGRATION_8_OBJECTS)
        .unwrap();
    drop(wb);

    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    let version: i64 = wb
        .store_for_tests()
        .raw_connection()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, i64::from(SCHEMA_VERSION));
    wb.set_purpose("OP-MIGRATION-6").unwrap();
    assert!(
        wb.notifiable_associations(
            &ccu_workbench::domain::NaFilter::default(),
            ccu_workbench::domain::IsoDate::today_utc()
        )
        .unwrap()
        .is_empty()
    );
    assert!(wb.verify_audit_log().unwrap().is_intact());
}

/// Issue 20: "Where the rule is data (reference data, instruments), ship it as a new version:
/// existing records keep the version they were made under, and a migration test shows an old
/// workbench opening unchanged." A workbench whose newest code lists are the shipped version 1
/// gets the shipped version 2 at unlock (audited); its items keep version 1 and read as before,
/// new items are graded under version 2, and a force's own published version is never replaced.
#[test]
fn an_old_workbench_on_reference_data_v1_opens_unchanged_and_adopts_v2() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("reference1.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    assert_eq!(wb.reference_data().version, 2);
    let person = wb
        .create_nominal(common::employee("S100001", "Ash", "Oldgrade"), false)
        .unwrap()
        .id;
    let old = wb
        .create_item(
            &common::item_fields(person, "Synthetic report graded under version 1."),
            None,
        )
        .unwrap();
    // Put the workbench back as a build shipping only version 1 left it.
    let conn = wb.store_for_tests().raw_connection();
    conn.execute_batch(
        "UPDATE intel_items SET reference_version = 1;
         UPDATE links SET reference_version = 1;
         DELETE FROM reference_versions WHERE version = 2;",
    )
    .unwrap();
    drop(wb);

    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose("OP-MIGRATION").unwrap();
    assert_eq!(wb.reference_data().version, 2);
    let versions: Vec<u32> = wb
        .reference_versions()
        .unwrap()
        .into_iter()
        .map(|(v, _, _)| v)
        .collect();
    assert_eq!(versions, [1, 2]);
    let unchanged = wb.view_item(&old.reference).unwrap();
    assert_eq!(unchanged.reference_version, 1);
    assert_eq!(unchanged.version, old.version);
    assert_eq!(unchanged.fields, old.fields);
    let v1 = wb.reference_version(1).unwrap().unwrap();
    assert!(!v1.transition_allowed("development", "management_intervention"));
    let new = wb
        .create_item(
            &common::item_fields(person, "Synthetic report graded under version 1."),
            None,
        )
        .unwrap();
    assert_eq!(new.reference_version, 2);
    let published = wb
        .audit_entries(1, 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "reference.publish" && e.object == "reference:2")
        .count();
    assert_eq!(published, 2, "once at creation, once again at unlock");
    assert!(wb.verify_audit_log().unwrap().is_intact());
    drop(wb);

    // A force that published its own version keeps it: nothing shipped replaces it.
    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    let mut own = wb.reference_data().clone();
    own.version = 3;
    own.title = "Force lists".into();
    wb.publish_reference_data(own).unwrap();
    drop(wb);
    let wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    assert_eq!(wb.reference_data().version, 3);
    assert_eq!(wb.reference_data().title, "Force lists");
}

/// Issue 20: instruments are data too. A workbench whose newest Beacon and intelligence
/// priority instruments are the shipped version 1 gets the shipped version 2 at unlock
/// (audited); an assessment made under version 1 keeps its version and its score.
#[test]
fn an_old_workbench_on_instrument_v1_opens_unchanged_and_adopts_v2() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("instrument1.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.set_purpose("OP-MIGRATION").unwrap();
    let officer = wb
        .create_nominal(common::employee("IV1001", "Vera", "Oldscore"), false)
        .unwrap()
        .id;
    // Put the instruments back as a build shipping only version 1 left them.
    wb.store_for_tests()
        .raw_connection()
        .execute_batch(
            "DROP TRIGGER instrument_versions_no_delete;
             DELETE FROM instrument_versions WHERE version = 2;
             CREATE TRIGGER instrument_versions_no_delete BEFORE DELETE ON instrument_versions
             BEGIN SELECT RAISE(ABORT, 'instrument versions are append-only'); END;",
        )
        .unwrap();
    assert_eq!(wb.instrument("beacon", None).unwrap().version(), 1);
    let v1 = wb.instrument("beacon", None).unwrap();
    let answers: ccu_workbench::risk::Answers = v1
        .factors()
        .iter()
        .map(|f| (f.key.clone(), f.options.last().unwrap().key.clone()))
        .collect();
    let old = wb
        .assess("beacon", officer, &answers, "Scored under v1.", wb.today())
        .unwrap();
    assert_eq!(old.version, 1);
    drop(wb);

    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose("OP-MIGRATION").unwrap();
    assert_eq!(wb.instrument("beacon", None).unwrap().version(), 2);
    assert_eq!(
        wb.instrument("intelligence_priority", None)
            .unwrap()
            .version(),
        2
    );
    let kept = wb.assessment(old.id).unwrap();
    assert_eq!(kept.version, 1);
    assert_eq!(kept.score, old.score);
    assert!(wb.verify_audit_log().unwrap().is_intact());
}
