//! Bulk imports through import specs, in the library and the CLI: each kind imports and is
//! matched to existing nominals; malformed files are refused naming the file, line and column
//! and change nothing; skipping bad rows imports the rest with a rejects report; a dry run and
//! a cancelled import leave the workbench exactly as it was; the same file is not imported
//! twice; every import is audited with its SHA-256, rows and spec version.

use crate::common;

use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD, Sandbox};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{ImportKind, NominalDetails, PersonFlags};
use ccu_workbench::io::import_spec::{self, ImportSpec, shipped_spec};
use ccu_workbench::store::AuditHead;
use ccu_workbench::workbench::{ImportOptions, ImportReport, WorkbenchError};
use std::fmt::Write as _;
use std::ops::ControlFlow;

const PURPOSE: &str = "OP-BULK-IMPORT";

const AUDIT_HEADER: &str =
    "Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n";
const CALLS_HEADER: &str = "Caller,Callee,Start,Duration (s),Direction\n";

fn workbench(dir: &std::path::Path) -> Workbench {
    let mut wb = Workbench::create(
        &dir.join("bulk.ccuwb"),
        INSPECTOR,
        INSPECTOR_PASSWORD,
        CHEAP,
    )
    .unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    wb.create_nominal(common::employee("AB123", "Sam", "Quill"), false)
        .unwrap();
    let ocg_member = PersonFlags {
        ocg_member: true,
        ..PersonFlags::default()
    };
    wb.create_nominal(
        common::person_born("Lee", "Marsh", "1985-02-03", ocg_member),
        false,
    )
    .unwrap();
    wb.create_nominal(
        NominalDetails::Phone {
            number: "+447700900111".into(),
        },
        false,
    )
    .unwrap();
    wb.create_nominal(
        NominalDetails::Organisation {
            name: "Acme Security Ltd".into(),
            sector: "security".into(),
        },
        false,
    )
    .unwrap();
    wb
}

fn import(
    wb: &mut Workbench,
    kind: ImportKind,
    name: &str,
    text: &[u8],
    options: ImportOptions,
) -> Result<ImportReport, WorkbenchError> {
    let spec = shipped_spec(kind).unwrap();
    import_with(wb, &spec, name, text, options)
}

fn import_with(
    wb: &mut Workbench,
    spec: &ImportSpec,
    name: &str,
    text: &[u8],
    options: ImportOptions,
) -> Result<ImportReport, WorkbenchError> {
    wb.import_bulk(
        spec,
        name,
        text,
        Some(text.len() as u64),
        options,
        &mut |_| ControlFlow::Continue(()),
    )
}

/// What "unchanged" means for these tests: the audit chain's head (every committed import
/// audits), every kind's row count and the saved specs.
fn state(wb: &mut Workbench) -> (AuditHead, Vec<u64>, usize) {
    let counts = ImportKind::ALL
        .into_iter()
        .map(|kind| wb.bulk_record_count(kind).unwrap())
        .collect();
    (
        wb.audit_head().unwrap(),
        counts,
        wb.import_specs().unwrap().len(),
    )
}

fn good_audit_events() -> String {
    format!(
        "{AUDIT_HEADER}\
         01/03/2026 09:15:00,ab123,RMS,Marsh,Lee,03/02/1985,,\n\
         01/03/2026 09:16:00,AB123,RMS,Unknown,Person,01/01/1990,,INV\n\
         02/03/2026 22:01:00,CD999,PNC,,,,07700 900111,INT\n"
    )
}

#[test]
fn each_kind_imports_and_is_matched_to_existing_nominals() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let cases: [(ImportKind, String, u64); 7] = [
        (ImportKind::AuditEvents, good_audit_events(), 3),
        (
            ImportKind::Calls,
            format!(
                "{CALLS_HEADER}07700 900111,07700 900222,2026-03-01T10:00:00Z,65,O\n\
                 07700 900333,07700 900444,2026-03-01T11:00:00Z,5,I\n"
            ),
            2,
        ),
        (
            ImportKind::Hospitality,
            "Staff No,Date,Provider,Description,Value,Accepted\n\
             ab123,04/01/2026,ACME SECURITY LIMITED,Dinner,£85.00,yes\n"
                .to_owned(),
            1,
        ),
        (
            ImportKind::BusinessInterests,
            "Staff No,Organisation,Description,Declared,Approved\n\
             AB123,Quill Lettings,Letting agent,01/06/2025,y\n"
                .to_owned(),
            1,
        ),
        (
            ImportKind::Contracts,
            "Contract Ref,Supplier,Award Date,Value,Awarded By\n\
             PRC-1,Acme Security Ltd.,01/02/2026,\"120,000\",ab123\n"
                .to_owned(),
            1,
        ),
        (
            ImportKind::WorkforceRecords,
            "Staff No,Record Type,Recorded,Ended,Summary,Outcome,Reference\n\
             ab123,Sickness,04/01/2026,11/01/2026,Sickness absence,,ABS-1\n\
             ZZ999,complaint,04/01/2026,,Synthetic complaint,,CO-1\n"
                .to_owned(),
            2,
        ),
        (
            ImportKind::ConductOutcomes,
            "Officer/Staff No,Date Finalised,Allegation Category,Outcome,IOPC Referral\n\
             ab123,04/01/2026,Disclosure,Written warning,no\n\
             ZZ999,05/01/2026,misuse_of_systems,NCTA,\n"
                .to_owned(),
            2,
        ),
    ];
    for (kind, text, rows) in &cases {
        let report = import(
            &mut wb,
            *kind,
            &format!("/exports/{}.csv", kind.as_str()),
            text.as_bytes(),
            ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(report.rows_imported, *rows, "{kind:?}");
        assert_eq!(report.rows_rejected, 0);
        assert!(report.import_id.is_some());
        assert_eq!(wb.bulk_record_count(*kind).unwrap(), *rows);
        assert_eq!(report.source_name, format!("{}.csv", kind.as_str()));
        match kind {
            // The person by name and DOB, the phone by E.164; the staff member on both
            // rows that name AB123 (written in either case).
            ImportKind::AuditEvents => {
                assert_eq!((report.matched.staff, report.matched.subjects), (2, 2));
            }
            ImportKind::Calls => assert_eq!(report.matched.phones, 1),
            ImportKind::Hospitality | ImportKind::Contracts => {
                assert_eq!((report.matched.staff, report.matched.organisations), (1, 1));
            }
            // Only AB123 is on the staff list; no organisation is named in a workforce record.
            ImportKind::BusinessInterests
            | ImportKind::WorkforceRecords
            | ImportKind::ConductOutcomes => {
                assert_eq!((report.matched.staff, report.matched.organisations), (1, 0));
            }
            ImportKind::Nominals
            | ImportKind::Links
            | ImportKind::IntelItems
            | ImportKind::NotifiableAssociations
            | ImportKind::Cases
            | ImportKind::Vetting
            | ImportKind::Deployments => {
                unreachable!("these kinds have their own tests")
            }
        }
    }
    // Each import is audited with the file's SHA-256, its rows and the spec's version, and
    // each spec is saved once.
    let entries = wb.audit_entries(1, 500).unwrap();
    let imports: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "import.bulk")
        .collect();
    assert_eq!(imports.len(), 7);
    let detail: serde_json::Value = serde_json::from_str(&imports[0].detail).unwrap();
    assert_eq!(detail["spec_version"], 1);
    assert_eq!(detail["sha256"].as_str().unwrap().len(), 64);
    assert!(detail["rows_imported"].as_u64().unwrap() >= 1);
    assert_eq!(wb.import_specs().unwrap().len(), 7);
    assert!(wb.verify_audit_log().unwrap().is_intact());
}

/// A malformed file: what it is, its kind, its bytes, the line and column its error must name,
/// and words of the reason.
type Malformed = (
    &'static str,
    ImportKind,
    Vec<u8>,
    u64,
    Option<&'static str>,
    &'static str,
);

fn malformed_files() -> Vec<Malformed> {
    let good = "07700 900111,07700 900222,2026-03-01T10:00:00Z,65,O\n";
    let mut bad_utf8 = format!("{CALLS_HEADER}{good}").into_bytes();
    bad_utf8.extend_from_slice(b"07700 900111,07700 9\xC3\x28222,2026-03-01T10:00:00Z,65,O\n");
    let mut long_line = format!("{CALLS_HEADER}{good}{good}").into_bytes();
    long_line.extend(std::iter::repeat_n(b'7', 10 * 1024 * 1024));
    long_line.extend_from_slice(b",07700 900222,2026-03-01T10:00:00Z,65,O\n");
    vec![
        (
            "wrong column count",
            ImportKind::Calls,
            format!("{CALLS_HEADER}{good}07700 900111,07700 900222,65\n").into_bytes(),
            3,
            None,
            "expected 5 columns, found 3",
        ),
        (
            "bad UTF-8",
            ImportKind::Calls,
            bad_utf8,
            3,
            Some("\"Callee\""),
            "UTF-8",
        ),
        (
            "bad date",
            ImportKind::AuditEvents,
            format!("{AUDIT_HEADER}31/02/2026 09:15:00,AB123,RMS,Marsh,Lee,03/02/1985,,\n")
                .into_bytes(),
            2,
            Some("\"Timestamp\""),
            "declared format",
        ),
        (
            "unknown code",
            ImportKind::AuditEvents,
            format!("{AUDIT_HEADER}01/03/2026 09:15:00,AB123,RMS,Marsh,Lee,03/02/1985,,ZZZ\n")
                .into_bytes(),
            2,
            Some("\"Reason\""),
            "unknown code",
        ),
        (
            "empty file",
            ImportKind::Calls,
            Vec::new(),
            1,
            None,
            "empty",
        ),
        (
            "header only",
            ImportKind::Calls,
            CALLS_HEADER.as_bytes().to_vec(),
            2,
            None,
            "no rows",
        ),
        (
            "10 MB line",
            ImportKind::Calls,
            long_line,
            4,
            None,
            "the limit is",
        ),
    ]
}

#[test]
fn malformed_files_are_refused_naming_file_line_and_column_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let before = state(&mut wb);
    for (what, kind, bytes, line, column, reason) in malformed_files() {
        let error = import(
            &mut wb,
            kind,
            "export.csv",
            &bytes,
            ImportOptions::default(),
        )
        .unwrap_err();
        let WorkbenchError::ImportRow {
            source_name,
            error: row,
        } = &error
        else {
            panic!("{what}: {error}")
        };
        assert_eq!(source_name, "export.csv", "{what}");
        assert_eq!(row.line, line, "{what}: {error}");
        assert_eq!(row.column.as_deref(), column, "{what}: {error}");
        assert!(row.reason.contains(reason), "{what}: {error}");
        assert!(error.to_string().starts_with("export.csv line "), "{error}");
        assert_eq!(state(&mut wb), before, "{what} changed the workbench");
    }
}

#[test]
fn skipping_bad_rows_imports_the_rest_and_lists_each_rejected_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let text = format!(
        "{AUDIT_HEADER}\
         01/03/2026 09:15:00,AB123,RMS,Marsh,Lee,03/02/1985,,\n\
         not a time,AB123,RMS,Marsh,Lee,03/02/1985,,\n\
         01/03/2026 09:17:00,AB123,RMS,,,,,\n\
         01/03/2026 09:18:00,AB123,RMS,Marsh,Lee,03/02/1985,,CUS\n"
    );
    let options = ImportOptions {
        skip_bad_rows: true,
        ..ImportOptions::default()
    };
    let report = import(
        &mut wb,
        ImportKind::AuditEvents,
        "a.csv",
        text.as_bytes(),
        options,
    )
    .unwrap();
    assert_eq!(
        (report.rows_read, report.rows_imported, report.rows_rejected),
        (4, 2, 2)
    );
    let lines: Vec<u64> = report.rejects.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4]);
    assert!(
        report.rejects[1].reason.contains("subject"),
        "{:?}",
        report.rejects
    );
    assert_eq!(wb.bulk_record_count(ImportKind::AuditEvents).unwrap(), 2);
    let mut out = Vec::new();
    ccu_workbench::io::bulk_csv::write_rejects(&mut out, &report.rejects).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.starts_with("line,column,reason\n3,\"\"\"Timestamp\"\"\","),
        "{out}"
    );
    assert!(
        !out.contains("Marsh"),
        "a rejects report must not repeat the file's values"
    );
}

#[test]
fn a_dry_run_reports_what_would_happen_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let before = state(&mut wb);
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let text = good_audit_events();
    let report = import(
        &mut wb,
        ImportKind::AuditEvents,
        "a.csv",
        text.as_bytes(),
        dry,
    )
    .unwrap();
    assert!(report.dry_run);
    assert_eq!(report.import_id, None);
    assert_eq!((report.rows_imported, report.matched.subjects), (3, 2));
    // Nothing imported, no spec saved; the log holds one entry more: the dry run itself, with
    // the file's hash (its match counts show what the unit holds).
    let after = state(&mut wb);
    assert_eq!((&after.1, after.2), (&before.1, before.2));
    assert_eq!(after.0.seq, before.0.seq + 1);
    let entry = wb
        .store_for_tests()
        .audit_entries(after.0.seq, 1)
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(entry.action, "import.dry_run");
    assert!(entry.detail.contains(&report.sha256));
}

#[test]
fn cancelling_leaves_the_workbench_exactly_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let before = state(&mut wb);
    let mut text = CALLS_HEADER.to_owned();
    for i in 0..20_000 {
        writeln!(
            text,
            "07700 900111,07700 9{:05},2026-03-01T10:00:00Z,{},O",
            i % 1000,
            i % 600
        )
        .unwrap();
    }
    let spec = shipped_spec(ImportKind::Calls).unwrap();
    let mut reports = 0;
    let error = wb
        .import_bulk(
            &spec,
            "calls.csv",
            text.as_bytes(),
            Some(text.len() as u64),
            ImportOptions::default(),
            &mut |progress| {
                reports += 1;
                assert!(progress.rows > 0 && progress.fraction().unwrap() > 0.0);
                ControlFlow::Break(())
            },
        )
        .unwrap_err();
    assert!(matches!(error, WorkbenchError::Cancelled), "{error}");
    assert_eq!(reports, 1, "the first progress report cancels");
    assert_eq!(state(&mut wb), before);
    // The same file imports afterwards: nothing of the cancelled run was left behind.
    let report = import(
        &mut wb,
        ImportKind::Calls,
        "calls.csv",
        text.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(report.rows_imported, 20_000);
}

#[test]
fn the_same_file_imported_again_is_refused_and_a_dry_run_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let text = good_audit_events();
    let first = import(
        &mut wb,
        ImportKind::AuditEvents,
        "a.csv",
        text.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    let before = state(&mut wb);
    // Renamed, the same bytes are still the same file.
    let error = import(
        &mut wb,
        ImportKind::AuditEvents,
        "copy of a.csv",
        text.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap_err();
    let WorkbenchError::AlreadyImported { earlier, .. } = error else {
        panic!("{error}")
    };
    assert_eq!(Some(earlier), first.import_id);
    assert_eq!(state(&mut wb), before);
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let report = import(
        &mut wb,
        ImportKind::AuditEvents,
        "a.csv",
        text.as_bytes(),
        dry,
    )
    .unwrap();
    assert_eq!(report.already_imported, first.import_id);
}

#[test]
fn a_spec_changed_without_a_new_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let text = good_audit_events();
    import(
        &mut wb,
        ImportKind::AuditEvents,
        "a.csv",
        text.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    let shipped = import_spec::SHIPPED_SPECS[0].1;
    let changed = import_spec::parse(
        &shipped.replace(
            "Records management system audit trail",
            "Changed description",
        ),
        "changed.toml",
    )
    .unwrap();
    let other = format!("{text}03/03/2026 10:00:00,AB123,RMS,Marsh,Lee,03/02/1985,,\n");
    let error = import_with(
        &mut wb,
        &changed,
        "b.csv",
        other.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(error, WorkbenchError::ImportSpecConflict { version: 1, .. }),
        "{error}"
    );
    let bumped = import_spec::parse(
        &shipped
            .replace(
                "Records management system audit trail",
                "Changed description",
            )
            .replace("version = 1", "version = 2"),
        "changed.toml",
    )
    .unwrap();
    import_with(
        &mut wb,
        &bumped,
        "b.csv",
        other.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    let versions: Vec<u32> = wb
        .import_specs()
        .unwrap()
        .iter()
        .map(|s| s.version)
        .collect();
    assert_eq!(versions, [1, 2]);
}

#[test]
fn the_cli_imports_dry_runs_skips_bad_rows_and_lists_specs() {
    let sandbox = Sandbox::new();
    {
        let wb = workbench(sandbox.dir.path());
        drop(wb);
        std::fs::rename(sandbox.path("bulk.ccuwb"), sandbox.workbench()).unwrap();
    }
    let spec =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/import_specs/calls.toml");
    // The export sits in a folder of its own (a share, removable media): nothing is written
    // beside it.
    std::fs::create_dir(sandbox.path("exports")).unwrap();
    let csv = sandbox.path("exports/calls.csv");
    std::fs::write(
        &csv,
        format!(
            "{CALLS_HEADER}07700 900111,07700 900222,2026-03-01T10:00:00Z,65,O\n\
             07700 900111,07700 900222,2026-03-01T10:00:00Z,-4,O\n"
        ),
    )
    .unwrap();
    let cli = |args: &[&str]| {
        let mut cmd = sandbox.cli_as(INSPECTOR, INSPECTOR_PASSWORD);
        cmd.env("CCU_PURPOSE", PURPOSE).args(args);
        cmd
    };
    let csv_arg = csv.to_str().unwrap();
    let spec_arg = spec.to_str().unwrap();
    // All or nothing by default: refused naming the file, line and column; exit 7.
    let out = cli(&["import", "calls", csv_arg, "--spec", spec_arg])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("calls.csv line 3, column \"Duration (s)\""),
        "{stderr}"
    );
    // A dry run with skipping reports one row and changes nothing.
    let out = cli(&[
        "import",
        "calls",
        csv_arg,
        "--spec",
        spec_arg,
        "--dry-run",
        "--skip-bad-rows",
        "--json",
    ])
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["rows_imported"], 1);
    assert_eq!(report["import_id"], serde_json::Value::Null);
    // The real run writes the rejects report next to the workbench's own data, never beside
    // the source file (issue 21).
    let out = cli(&[
        "import",
        "calls",
        csv_arg,
        "--spec",
        spec_arg,
        "--skip-bad-rows",
    ])
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let beside_source: Vec<_> = std::fs::read_dir(sandbox.path("exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside_source, ["calls.csv"]);
    // One from the dry run, one from the real run: each named after the file and the time.
    let mut reports: Vec<_> = std::fs::read_dir(sandbox.path("test-rejects"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    reports.sort();
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert!(reports.iter().all(|r| {
        r.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("calls.csv.")
    }));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("rejects report:"), "{stdout}");
    let rejects = std::fs::read_to_string(&reports[0]).unwrap();
    assert!(
        rejects.contains(
            "3,\"\"\"Duration (s)\"\"\",duration_secs: a call cannot last a negative time"
        ),
        "{rejects}"
    );
    // Again, through the spec saved by name: the same file is refused.
    let out = cli(&[
        "import",
        "calls",
        csv_arg,
        "--spec",
        "call-data",
        "--skip-bad-rows",
    ])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already imported"));
    // The spec was saved, and a spec for another kind is refused.
    let out = cli(&["spec", "list", "--json"]).output().unwrap();
    let specs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(specs[0]["name"], "call-data");
    let out = cli(&["import", "contracts", csv_arg, "--spec", spec_arg])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is for calls, not contracts"));
}

const NOMINALS_HEADER: &str =
    "Kind,Staff No,Forenames,Surname,DOB,Employee Type,Name,Phone,OCG Member,Criminal\n";

#[test]
fn a_nominals_file_records_the_new_and_matches_the_known_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let before = wb.bulk_record_count(ImportKind::Nominals).unwrap();
    let text = format!(
        "{NOMINALS_HEADER}\
         employee,ab123,Sam,Quill,,officer,,,,\n\
         employee,CD456,Alex,Rowe,,staff,,,,\n\
         person,,Kim,Vance,04/05/1990,,,,no,yes\n\
         person,,Kim,Vance,04/05/1990,,,,no,yes\n\
         person,,Lee,Marsh,03/02/1985,,,,yes,\n\
         person,,Jo,Nash,,,,,,\n\
         person,,Jo,Nash,,,,,,\n\
         phone,,,,,,,07700 900111,,\n\
         phone,,,,,,,07700 900999,,\n\
         Organisation,,,,,,ACME SECURITY LIMITED,,,\n\
         organisation,,,,,,Orchard Lettings,,,\n"
    );
    let report = import(
        &mut wb,
        ImportKind::Nominals,
        "register.csv",
        text.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(report.rows_imported, 11);
    // Known: AB123, Lee Marsh, the phone, Acme. New: CD456, Kim Vance (once), Jo Nash twice
    // (no date of birth: never taken for the same person), the other phone, Orchard Lettings.
    assert_eq!(
        (
            report.matched.staff,
            report.matched.subjects,
            report.matched.phones,
            report.matched.organisations
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(report.nominals_created, 6);
    assert_eq!(
        wb.bulk_record_count(ImportKind::Nominals).unwrap(),
        before + 6
    );
    let hits = wb
        .search(&ccu_workbench::domain::SearchQuery {
            text: "Vance".into(),
            ..ccu_workbench::domain::SearchQuery::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");

    // A code the reference data lacks is refused naming the line and column; nothing changes.
    assert_rows_refused(
        &mut wb,
        ImportKind::Nominals,
        NOMINALS_HEADER,
        &[(
            "employee,EF789,Pat,Lowe,,astronaut,,,,\n",
            "\"Employee Type\"",
            "employee_type:",
        )],
    );
}

const LINKS_HEADER: &str = "Link Type,Confidence,From,From Staff No,From Phone,From Surname,From Forenames,From DOB,To Staff No,To Phone,To Surname,To Forenames,To DOB,To Organisation\n";

/// The profile (with its links) of the officer AB123 the test workbench knows.
fn officer_profile(wb: &mut Workbench) -> ccu_workbench::workbench::NominalProfile {
    let officer = wb
        .search(&ccu_workbench::domain::SearchQuery {
            text: "AB123".into(),
            ..ccu_workbench::domain::SearchQuery::default()
        })
        .unwrap();
    let ccu_workbench::domain::SearchTarget::Nominal { id } = officer[0].target else {
        panic!("the officer is a nominal: {officer:?}");
    };
    wb.view_nominal(id).unwrap()
}

#[test]
fn a_links_file_joins_known_nominals_with_the_import_as_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let text = format!(
        "{LINKS_HEADER}\
         friend,probable,01/01/2025,ab123,,,,,,,Marsh,Lee,03/02/1985,\n\
         uses_phone,confirmed,,,,Marsh,Lee,03/02/1985,,07700 900111,,,,\n\
         employed_by,,,AB123,,,,,,,,,,Acme Security Limited\n"
    );
    let report = import(
        &mut wb,
        ImportKind::Links,
        "links.csv",
        text.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(report.links_created, 3);
    let import_id = report.import_id.unwrap();
    let profile = officer_profile(&mut wb);
    let mut types: Vec<&str> = profile
        .links
        .iter()
        .map(|l| l.fields.link_type.as_str())
        .collect();
    types.sort_unstable();
    assert_eq!(types, ["employed_by", "friend"]);
    assert!(
        profile
            .links
            .iter()
            .all(|l| l.fields.provenance
                == [ccu_workbench::domain::Provenance::Import { import_id }])
    );

    // An end that names nobody, and a link type the reference data lacks, are refused naming
    // the line and column; nothing changes.
    assert_rows_refused(
        &mut wb,
        ImportKind::Links,
        LINKS_HEADER,
        &[
            (
                "friend,,,ZZ999,,,,,,07700 900111,,,,\n",
                "\"From Staff No\"",
                "no nominal in the workbench matches",
            ),
            (
                "cousin_of,,,AB123,,,,,,07700 900111,,,,\n",
                "\"Link Type\"",
                "link_type:",
            ),
        ],
    );
}

#[test]
fn a_links_file_naming_links_already_recorded_corroborates_them_instead_of_duplicating() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let first = format!(
        "{LINKS_HEADER}\
         friend,probable,01/01/2025,AB123,,,,,,,Marsh,Lee,03/02/1985,\n\
         employed_by,,,AB123,,,,,,,,,,Acme Security Limited\n"
    );
    let first = import(
        &mut wb,
        ImportKind::Links,
        "links-1.csv",
        first.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!((first.links_created, first.links_corroborated), (2, 0));
    let links_before = wb.bulk_record_count(ImportKind::Links).unwrap();

    // The same friendship named from the other end (the type is undirected), the same
    // employment twice, and one new link: only the new one is recorded.
    let second = format!(
        "{LINKS_HEADER}\
         friend,probable,01/01/2025,,,Marsh,Lee,03/02/1985,AB123,,,,,\n\
         employed_by,,,AB123,,,,,,,,,,Acme Security Limited\n\
         employed_by,,,AB123,,,,,,,,,,ACME SECURITY LTD\n\
         friend,probable,02/01/2025,AB123,,,,,,,Marsh,Lee,03/02/1985,\n"
    );
    let second = import(
        &mut wb,
        ImportKind::Links,
        "links-2.csv",
        second.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!((second.links_created, second.links_corroborated), (1, 3));
    assert_eq!(
        wb.bulk_record_count(ImportKind::Links).unwrap(),
        links_before + 1
    );

    // The corroborated links name both imports as their sources, each once.
    let profile = officer_profile(&mut wb);
    let both = vec![
        ccu_workbench::domain::Provenance::Import {
            import_id: first.import_id.unwrap(),
        },
        ccu_workbench::domain::Provenance::Import {
            import_id: second.import_id.unwrap(),
        },
    ];
    let employment = profile
        .links
        .iter()
        .find(|l| l.fields.link_type == "employed_by")
        .unwrap();
    assert_eq!(employment.fields.provenance, both);
    let friendships: Vec<_> = profile
        .links
        .iter()
        .filter(|l| l.fields.link_type == "friend")
        .collect();
    assert_eq!(friendships.len(), 2, "the one from 2 January is a new link");
    assert!(friendships.iter().any(|l| l.fields.provenance == both));
}

/// Imports each one-row file after `header` and checks it is refused at line 2 in `column`
/// with `reason` among its words, and that nothing changed.
fn assert_rows_refused(
    wb: &mut Workbench,
    kind: ImportKind,
    header: &str,
    rows: &[(&str, &str, &str)],
) {
    let before = state(wb);
    for &(row, column, reason) in rows {
        let bad = format!("{header}{row}");
        let error = import(
            wb,
            kind,
            "refused.csv",
            bad.as_bytes(),
            ImportOptions::default(),
        )
        .unwrap_err();
        let WorkbenchError::ImportRow { error: found, .. } = &error else {
            panic!("{error}")
        };
        assert_eq!(found.line, 2, "{error}");
        assert_eq!(found.column.as_deref(), Some(column), "{error}");
        assert!(found.reason.contains(reason), "{error}");
        assert_eq!(state(wb), before);
    }
}

const ITEMS_HEADER: &str = "Received,Source Type,Narrative,Source Evaluation,Intelligence Assessment,Handling Code,Handling Conditions,Category,Subject Staff No\n";

#[test]
fn an_intelligence_file_records_graded_items_with_their_subjects() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let text = format!(
        "{ITEMS_HEADER}\
         03/01/2026,confidential_line,\"A caller reports that an officer discloses custody records to a friend, SYNTHETIC.\",2,b,p,,disclosure,ab123\n\
         04/01/2026,audit_check,Repeated look-ups of a closed case with no reason code.,1,A,P,,misuse_of_systems,\n"
    );
    let report = import(
        &mut wb,
        ImportKind::IntelItems,
        "legacy-log.csv",
        text.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(report.items_created, 2);
    assert_eq!(report.matched.subjects, 1);
    let first = report.first_item.clone().unwrap();
    let item = wb.view_item(&first).unwrap();
    assert_eq!(item.status, "received");
    assert_eq!(item.fields.category, "disclosure");
    assert_eq!(item.fields.grading.intelligence_assessment, "B");
    assert_eq!(item.fields.subjects.len(), 1);
    assert_ne!(report.last_item, report.first_item);

    // A category the reference data lacks, and a subject naming nobody, are refused naming
    // the line and column; nothing changes.
    assert_rows_refused(
        &mut wb,
        ImportKind::IntelItems,
        ITEMS_HEADER,
        &[
            (
                "03/01/2026,audit_check,Some account.,2,B,P,,bribery_plus,\n",
                "\"Category\"",
                "category:",
            ),
            (
                "03/01/2026,audit_check,Some account.,2,B,P,,disclosure,ZZ999\n",
                "\"Subject Staff No\"",
                "no nominal in the workbench matches",
            ),
        ],
    );
}

#[test]
fn a_preview_shows_the_first_rows_changes_nothing_and_its_errors_name_only_the_file() {
    use ccu_workbench::workbench::PREVIEW_ROWS;
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let before = state(&mut wb);

    let mut text = String::from(AUDIT_HEADER);
    for n in 0..PREVIEW_ROWS + 5 {
        writeln!(
            text,
            "01/03/2026 09:{n:02}:00,AB123,RMS,Marsh,Lee,03/02/1985,,"
        )
        .unwrap();
    }
    let file = dir.path().join("audit.csv");
    std::fs::write(&file, &text).unwrap();
    let preview = wb.preview_import(&file, b',').unwrap();
    let header: Vec<&str> = AUDIT_HEADER.trim_end().split(',').collect();
    assert_eq!(preview.header, header);
    assert_eq!(preview.rows.len(), PREVIEW_ROWS);
    let first: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(preview.rows[0], first);
    assert_eq!(state(&mut wb), before, "a preview changes nothing");

    // An empty file: refused by file name and line. A missing one: by file name only.
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let refused = wb.preview_import(&empty, b',').unwrap_err();
    assert!(
        matches!(&refused, WorkbenchError::ImportRow { source_name, .. } if source_name == "empty.csv"),
        "{refused:?}"
    );
    let missing = wb
        .preview_import(&dir.path().join("absent.csv"), b',')
        .unwrap_err();
    assert!(
        matches!(missing, WorkbenchError::FileRead { .. }),
        "{missing:?}"
    );
    assert!(missing.to_string().contains("absent.csv"));
    assert!(!missing.to_string().contains(&*dir.path().to_string_lossy()));
}

/// A legacy intelligence log as a force's old system exports it: graded 5x5x5, its own column
/// names, codes in lower case and padded.
const LEGACY_SPEC: &str = r#"
name = "legacy-5x5x5-log"
version = 1
kind = "intel_items"
description = "Pre-2021 intelligence log, graded 5x5x5"
header = true

[[columns]]
column = "DATE_RECD"
field = "received_on"
format = "[day]/[month]/[year]"

[[columns]]
column = "SRC_TYPE"
field = "source_type"
transforms = ["trim", "lower"]

[[columns]]
column = "TEXT"
field = "narrative"
transforms = ["trim"]

[[columns]]
column = "SRC_EVAL"
field = "legacy_source_evaluation"
transforms = ["trim"]

[[columns]]
column = "INT_EVAL"
field = "legacy_intelligence_evaluation"
transforms = ["trim"]

[[columns]]
column = "HCODE"
field = "legacy_handling_code"
transforms = ["trim"]

[[columns]]
column = "HCODE_NOTES"
field = "handling_conditions"
transforms = ["trim"]

[[columns]]
column = "CAT"
field = "category"
transforms = ["trim", "lower"]
"#;

const LEGACY_HEADER: &str = "DATE_RECD,SRC_TYPE,TEXT,SRC_EVAL,INT_EVAL,HCODE,HCODE_NOTES,CAT\n";

/// Issue 20, correction 5: "5x5x5 intelligence evaluation 2 ("known personally to the source")
/// maps to A, not B ... A legacy grading can be entered in the item form and in the
/// `intel_items` import (legacy columns); the 3x5x2 equivalent is shown beside the original,
/// which is kept."
#[test]
fn legacy_grading() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = workbench(dir.path());
    let spec = import_spec::parse(LEGACY_SPEC, "legacy.toml").unwrap();
    let text = format!(
        "{LEGACY_HEADER}\
         12/11/2019,confidential_line,Caller says the officer told a friend about a raid (SYNTHETIC).,b,2,1,,disclosure\n\
         14/11/2019,covert_source, Source overheard a staff member selling PNC checks (SYNTHETIC). , C ,3,4,Originating agency only,misuse_of_systems\n"
    );
    let report = import_with(
        &mut wb,
        &spec,
        "legacy-log-2019.csv",
        text.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(report.items_created, 2);
    let first = wb.view_item(&report.first_item.unwrap()).unwrap();
    // "Known personally to the source" is known directly: A.
    assert_eq!(first.fields.grading.short(), "1A P");
    let legacy = first.fields.legacy_grading.clone().unwrap();
    assert_eq!(
        (
            legacy.source_evaluation.as_str(),
            legacy.intelligence_evaluation.as_str(),
            legacy.handling_code.as_str()
        ),
        ("B", "2", "1")
    );
    let second = wb.view_item(&report.last_item.unwrap()).unwrap();
    assert_eq!(second.fields.grading.short(), "2B C");
    assert_eq!(
        second.fields.grading.handling_conditions.as_deref(),
        Some("Originating agency only")
    );
    assert_eq!(second.fields.legacy_grading.unwrap().source_evaluation, "C");

    // A legacy grading missing a part, an unknown legacy code, and a code that maps to C
    // without its conditions are refused naming the line and column; nothing changes.
    let before = state(&mut wb);
    for (row, column, reason) in [
        (
            "12/11/2019,supervisor,Account.,B,,1,,disclosure\n",
            "\"INT_EVAL\"",
            "needs all three of its parts",
        ),
        (
            "12/11/2019,supervisor,Account.,B,7,1,,disclosure\n",
            "\"INT_EVAL\"",
            "legacy_grading.intelligence_evaluation: unknown code",
        ),
        (
            "12/11/2019,supervisor,Account.,B,2,3,,disclosure\n",
            "\"HCODE_NOTES\"",
            "requires its conditions",
        ),
    ] {
        let bad = format!("{LEGACY_HEADER}{row}");
        let error = import_with(
            &mut wb,
            &spec,
            "bad-legacy.csv",
            bad.as_bytes(),
            ImportOptions::default(),
        )
        .unwrap_err();
        let WorkbenchError::ImportRow { error: found, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(found.line, 2, "{error}");
        assert_eq!(found.column.as_deref(), Some(column), "{error}");
        assert!(found.reason.contains(reason), "{error}");
    }
    assert_eq!(state(&mut wb), before);

    // A spec that fills neither grading is refused before any file is read.
    let neither = LEGACY_SPEC.replace("legacy_intelligence_evaluation", "subcategory");
    let error = import_spec::parse(&neither, "neither.toml").unwrap_err();
    assert!(
        error.to_string().contains("needs field source_evaluation"),
        "{error}"
    );
}
