//! Issue 24: command and control deployments, imported through the shipped spec from a log in
//! the control room system's export shape (padded cells, lower-case references, a blank
//! optional column, Y/N and yes/no flags, UK times), are stored row by row with the officer and
//! the person involved matched where the workbench knows them (the person by the system's id or
//! by name and date of birth). A row naming no person, a person without a date of birth, a bad
//! time or a flag that is not yes or no refuses the whole file, naming file, line and column,
//! and stores nothing. All names, numbers and ids are synthetic.

use crate::common;

use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{ImportKind, IsoDate, NominalId, PersonFlags};
use ccu_workbench::io::import_spec::{self, ImportSpec, shipped_spec};
use ccu_workbench::workbench::{ImportOptions, ImportReport, WorkbenchError};
use std::ops::ControlFlow;

const PURPOSE: &str = "OP BEACON: proactive screening of deployments";

const HEADER: &str = "Incident No,Date/Time Assigned,Resource Staff No,Self Deployed,\
    Involved Person ID,Involved Surname,Involved Forename,Involved DOB\r\n";

/// The control room system's person ids, as a nominals file with `id_system = "cad"`.
const CAD_PERSONS_SPEC: &str = r#"
name = "cad-persons"
version = 1
kind = "nominals"
header = true
id_system = "cad"

[[columns]]
value = "person"
field = "nominal_kind"

[[columns]]
column = "Person ID"
field = "external_id"
transforms = ["trim", "upper"]

[[columns]]
column = "Surname"
field = "surname"

[[columns]]
column = "Forename"
field = "forenames"

[[columns]]
column = "DOB"
field = "date_of_birth"
format = "[day]/[month]/[year]"
"#;

fn import_with(
    wb: &mut Workbench,
    spec: &ImportSpec,
    name: &str,
    text: &[u8],
) -> Result<ImportReport, WorkbenchError> {
    wb.import_bulk(
        spec,
        name,
        text,
        Some(text.len() as u64),
        ImportOptions::default(),
        &mut |_| ControlFlow::Continue(()),
    )
}

/// A workbench with two officers, a person known by name and date of birth, and a person known
/// by the control room system's id; returns the two people's ids.
fn workbench(dir: &std::path::Path) -> (Workbench, NominalId, NominalId) {
    let mut wb = Workbench::create(
        &dir.join("beacon.ccuwb"),
        INSPECTOR,
        INSPECTOR_PASSWORD,
        CHEAP,
    )
    .unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    wb.create_nominal(common::employee("AB123", "Sam", "Quill"), false)
        .unwrap();
    wb.create_nominal(common::employee("CD456", "Jo", "Brook"), false)
        .unwrap();
    let marsh = wb
        .create_nominal(
            common::person_born("Lee", "Marsh", "1985-02-03", PersonFlags::default()),
            false,
        )
        .unwrap()
        .id;
    let vance = wb
        .create_nominal(
            common::person_born("Ada", "Vance", "1992-07-14", PersonFlags::default()),
            false,
        )
        .unwrap()
        .id;
    // The control room system's list gives her its id: matched by name, the id recorded.
    let spec = import_spec::parse(CAD_PERSONS_SPEC, "cad-persons.toml").unwrap();
    let report = import_with(
        &mut wb,
        &spec,
        "cad_persons.csv",
        b"Person ID,Surname,Forename,DOB\nCAD-P-0001,Vance,Ada,14/07/1992\n",
    )
    .unwrap();
    assert_eq!(report.nominals_created, 0);
    (wb, marsh, vance)
}

fn at(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> i64 {
    IsoDate::from_ymd(year, month, day)
        .unwrap()
        .0
        .with_hms(hour, minute, 0)
        .unwrap()
        .assume_utc()
        .unix_timestamp()
}

#[test]
fn a_command_and_control_log_is_stored_row_by_row_with_officers_and_people_matched() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, marsh, vance) = workbench(dir.path());
    // Two officers on one incident with a person known by id (written in either case); a
    // self-deployment to a person known by name; an incident with a person the workbench does
    // not know, the second officer's flag left blank. No row gives a forename but one.
    let log = format!(
        "{HEADER} inc-2026-0001 ,01/03/2026 09:15,ab123,Y,CAD-P-0001,,,\r\n\
         INC-2026-0001,01/03/2026 09:20, cd456 ,N, cad-p-0001 ,,,\r\n\
         inc-2026-0002,  02/03/2026 22:01,AB123,yes,,  Marsh ,Lee,03/02/1985\r\n\
         INC-2026-0003,03/03/2026 07:45,CD456,no,,Okafor,,11/11/1979\r\n\
         INC-2026-0003,03/03/2026 07:46,AB123,,,Okafor,, 11/11/1979 \r\n"
    );
    let spec = shipped_spec(ImportKind::Deployments).unwrap();
    assert_eq!(spec.kind, ImportKind::Deployments);
    let report = import_with(&mut wb, &spec, "/exports/cad_log.csv", log.as_bytes()).unwrap();
    assert_eq!((report.rows_imported, report.rows_rejected), (5, 0));
    assert_eq!((report.matched.staff, report.matched.subjects), (5, 3));
    assert!(
        report
            .outcome_lines()
            .iter()
            .any(|line| line.contains("5 command and control deployments record(s)")),
        "{:?}",
        report.outcome_lines()
    );
    assert_eq!(wb.bulk_record_count(ImportKind::Deployments).unwrap(), 5);

    let rows = wb.store_for_tests().reader().deployments().unwrap();
    assert_eq!(rows.len(), 5);
    let import = report.import_id.unwrap();
    assert!(rows.iter().all(|row| row.import == import));
    let references: Vec<&str> = rows.iter().map(|r| r.incident_reference.as_str()).collect();
    assert_eq!(
        references,
        [
            "INC-2026-0001",
            "INC-2026-0001",
            "INC-2026-0002",
            "INC-2026-0003",
            "INC-2026-0003"
        ]
    );
    let officers: Vec<&str> = rows
        .iter()
        .map(|r| r.officer_staff_number.as_str())
        .collect();
    assert_eq!(officers, ["AB123", "CD456", "AB123", "CD456", "AB123"]);
    assert!(rows.iter().all(|r| r.officer.is_some()));
    let flags: Vec<bool> = rows.iter().map(|r| r.self_deployed).collect();
    assert_eq!(flags, [true, false, true, false, false]);
    assert_eq!(rows[0].deployed_at, at(2026, 3, 1, 9, 15));
    assert_eq!(rows[2].deployed_at, at(2026, 3, 2, 22, 1));

    // By the system's id, kept with its system.
    for row in &rows[..2] {
        assert_eq!(row.person, Some(vance));
        assert_eq!(row.person_id_system.as_deref(), Some("cad"));
        assert_eq!(row.person_external_id.as_deref(), Some("CAD-P-0001"));
        assert_eq!(row.person_surname, None);
    }
    // By name and date of birth, as compared.
    assert_eq!(rows[2].person, Some(marsh));
    assert_eq!(rows[2].person_surname.as_deref(), Some("MARSH"));
    assert_eq!(rows[2].person_forenames.as_deref(), Some("LEE"));
    assert_eq!(rows[2].person_date_of_birth, IsoDate::from_ymd(1985, 2, 3));
    assert_eq!(
        (
            rows[2].person_id_system.as_deref(),
            rows[2].person_external_id.as_deref()
        ),
        (None, None)
    );
    // Someone the workbench does not know: stored for the screening, matched to nobody.
    for row in &rows[3..] {
        assert_eq!(row.person, None);
        assert_eq!(row.person_surname.as_deref(), Some("OKAFOR"));
        assert_eq!(row.person_forenames, None);
        assert_eq!(row.person_date_of_birth, IsoDate::from_ymd(1979, 11, 11));
    }

    // The import is audited like any other, and the same file is not imported twice.
    assert!(
        wb.audit_entries(1, 500)
            .unwrap()
            .iter()
            .any(|e| e.action == "import.bulk" && e.detail.contains("\"deployments\""))
    );
    assert!(import_with(&mut wb, &spec, "cad_log.csv", log.as_bytes()).is_err());
    assert_eq!(wb.bulk_record_count(ImportKind::Deployments).unwrap(), 5);
    assert!(wb.verify_audit_log().unwrap().is_intact());
}

#[test]
fn a_bad_row_refuses_the_whole_log_naming_file_line_and_column_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, _, _) = workbench(dir.path());
    let spec = shipped_spec(ImportKind::Deployments).unwrap();
    let good = "INC-1,01/03/2026 09:15,AB123,Y,CAD-P-0001,,,\r\n\
                INC-1,01/03/2026 09:16,CD456,N,,Marsh,Lee,03/02/1985\r\n";
    // The bad row, the line it is on, the column and words of the reason.
    let bad: [(&str, &str, u64, &str, &str); 5] = [
        (
            "no person named",
            "INC-2,02/03/2026 10:00,AB123,N,,,,\r\n",
            4,
            "\"Involved Person ID\"",
            "person_external_id: the person involved must be named",
        ),
        (
            "a surname without a date of birth",
            "INC-2,02/03/2026 10:00,AB123,N,,Okafor,Tayo,\r\n",
            4,
            "\"Involved DOB\"",
            "person_date_of_birth",
        ),
        (
            "a time that is no time",
            "INC-2,31/02/2026 10:00,AB123,N,CAD-P-0002,,,\r\n",
            4,
            "\"Date/Time Assigned\"",
            "declared format",
        ),
        (
            "a flag that is not yes or no",
            "INC-2,02/03/2026 10:00,AB123,maybe,CAD-P-0002,,,\r\n",
            4,
            "\"Self Deployed\"",
            "not yes or no",
        ),
        (
            "no officer",
            "INC-2,02/03/2026 10:00,  ,N,CAD-P-0002,,,\r\n",
            4,
            "\"Resource Staff No\"",
            "officer_staff_number: is required",
        ),
    ];
    let head_before = wb.audit_head().unwrap();
    for (what, row, line, column, reason) in bad {
        // The good rows come first: none of them may be stored.
        let log = format!("{HEADER}{good}{row}");
        let error =
            import_with(&mut wb, &spec, "/exports/cad_log.csv", log.as_bytes()).unwrap_err();
        let WorkbenchError::ImportRow {
            source_name,
            error: row_error,
        } = &error
        else {
            panic!("{what}: {error}")
        };
        assert_eq!(source_name, "cad_log.csv", "{what}");
        assert_eq!(row_error.line, line, "{what}: {error}");
        assert_eq!(row_error.column.as_deref(), Some(column), "{what}: {error}");
        assert!(row_error.reason.contains(reason), "{what}: {error}");
        assert!(
            error.to_string().starts_with("cad_log.csv line 4"),
            "{what}: {error}"
        );
        // Never a value from the file.
        for value in ["Okafor", "Tayo", "CAD-P-0002", "maybe", "INC-2"] {
            assert!(!error.to_string().contains(value), "{what}: {error}");
        }
        assert_eq!(wb.bulk_record_count(ImportKind::Deployments).unwrap(), 0);
        assert!(
            wb.store_for_tests()
                .reader()
                .deployments()
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            wb.audit_head().unwrap(),
            head_before,
            "{what} changed the log"
        );
    }
}
