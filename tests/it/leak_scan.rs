//! Leak scan (issue 9): one scripted workflow carries planted canary strings through every
//! kind of work (create, import CSV and FtM, record and edit intelligence, search, assess,
//! register an association, propose an intervention, the threat assessment and a transferee
//! package preview), half through the CLI (with the sandbox's temp and data folders) and half
//! through the library. Then every file under the workbench, the temp folder and the data
//! folder is scanned: no canary in any encoding, no plaintext SQLite header. The explicit
//! exports, written outside those folders, must hold the canary: proof it travelled.
//! `tests/it/canary.rs` shows the scan finds planted plaintext.

use crate::common::{INSPECTOR, INSPECTOR_PASSWORD, Sandbox, leaks};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{
    Grading, IntelItemFields, NaDraft, NaOrigin, NominalDetails, PersonFlags, SearchQuery, Subject,
};

const CANARY: &str = "LEAKCANARYq3Z8";

#[test]
fn a_whole_workflow_with_planted_canaries_leaves_none_on_disk() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    // Inputs and explicit exports live outside the scanned folders: they are the user's files.
    let outside = tempfile::tempdir().unwrap();
    let roots = [sandbox.workbench(), sandbox.tmp_dir(), sandbox.data_dir()];
    let purpose = format!("OP-{CANARY}");
    let check = |step: &str| {
        let found = leaks(&roots, CANARY);
        assert!(found.is_empty(), "after {step}: {found:#?}");
    };

    // Imports through the CLI: nominals from a register, a workforce extract, FtM lines.
    let nominals = outside.path().join("nominals.csv");
    std::fs::write(
        &nominals,
        format!(
            "Kind,Staff No,Forenames,Surname,DOB,Employee Type,Name,Phone,OCG Member,Criminal\n\
             employee,S777001,Robin,{CANARY}staff,01/02/1980,officer,,,,\n\
             person,,Jo,{CANARY}associate,03/04/1985,,,,yes,yes\n"
        ),
    )
    .unwrap();
    let workforce = outside.path().join("workforce.csv");
    std::fs::write(
        &workforce,
        format!(
            "Staff No,Record Type,Recorded,Ended,Summary,Outcome,Reference\n\
             S777001,complaint,10/01/2026,,Complaint about {CANARY},Local resolution,CO-1\n"
        ),
    )
    .unwrap();
    let ftm = outside.path().join("shared.ftm.jsonl");
    std::fs::write(
        &ftm,
        format!(
            "{{\"id\":\"rocu-1\",\"schema\":\"Organization\",\"properties\":{{\"name\":[\"{CANARY} Crew\"]}}}}\n"
        ),
    )
    .unwrap();
    for args in [
        vec![
            "import".into(),
            "nominals".into(),
            nominals.display().to_string(),
            "--spec".into(),
            "assets/import_specs/nominals.toml".into(),
        ],
        vec![
            "import".into(),
            "workforce_records".into(),
            workforce.display().to_string(),
            "--spec".into(),
            "assets/import_specs/workforce_records.toml".into(),
        ],
        vec!["import".into(), "ftm".into(), ftm.display().to_string()],
    ] {
        let output = sandbox
            .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["--purpose", &purpose])
            .args(&args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        check(&args[1]);
    }

    // Records, search, assessment, register, intervention through the library.
    let mut wb = Workbench::unlock(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose(&purpose).unwrap();
    let officer = wb
        .search(&SearchQuery {
            text: format!("{CANARY}staff"),
            ..SearchQuery::default()
        })
        .unwrap()
        .iter()
        .find_map(|hit| match hit.target {
            ccu_workbench::domain::SearchTarget::Nominal { id } => Some(id),
            ccu_workbench::domain::SearchTarget::Item { .. } => None,
        })
        .unwrap();
    let associate = wb
        .create_nominal(
            NominalDetails::Person {
                forenames: format!("Sam{CANARY}"),
                surname: "Synthetic".into(),
                aliases: vec![],
                date_of_birth: "1990-01-01".parse().ok(),
                flags: PersonFlags::default(),
            },
            false,
        )
        .unwrap()
        .id;
    let fields = IntelItemFields {
        received_on: "2026-05-05".parse().unwrap(),
        source_type: "covert_source".into(),
        narrative: format!("Narrative naming {CANARY}."),
        grading: Grading {
            source_evaluation: "1".into(),
            intelligence_assessment: "A".into(),
            handling_code: "C".into(),
            handling_conditions: Some(format!("Conditions {CANARY}")),
        },
        legacy_grading: None,
        category: "disclosure".into(),
        subcategory: None,
        subjects: vec![Subject {
            nominal_id: officer,
            role: "subject".into(),
        }],
        next_review_on: None,
    };
    let item = wb.create_item(&fields, None).unwrap();
    let mut edited = fields.clone();
    edited.narrative = format!("Edited narrative naming {CANARY} again.");
    wb.update_item(&item.reference, &edited).unwrap();
    wb.change_item_status(&item.reference, "assessed", &format!("Assessed {CANARY}."))
        .unwrap();
    let instrument = wb.instrument("beacon", None).unwrap();
    let answers = instrument
        .factors()
        .iter()
        .map(|f| (f.key.clone(), f.options[0].key.clone()))
        .collect();
    wb.assess(
        "beacon",
        officer,
        &answers,
        &format!("Rationale {CANARY}."),
        "2026-05-06".parse().unwrap(),
    )
    .unwrap();
    wb.register_notifiable_association(&NaDraft {
        employee: officer,
        associate,
        category: "family".into(),
        origin: NaOrigin::Declared,
        declared_on: "2026-04-01".parse().unwrap(),
        conditions: format!("No contact {CANARY}"),
        assessment: None,
        review_due_on: None,
        relationship: None,
    })
    .unwrap();
    wb.propose_intervention(&ccu_workbench::domain::InterventionProposal {
        subject: officer,
        items: vec![item.reference.clone()],
        category: "other".into(),
        rationale: format!("Intervention rationale {CANARY}."),
        proposed_attendees: vec![format!("DS {CANARY}")],
        proposed_date: ccu_workbench::domain::IsoDate::today_utc().plus_days(14),
        preconditions: ccu_workbench::domain::Preconditions {
            fully_assessed: Some(true),
            cannot_develop_further: Some(true),
            no_criminal_proceedings: Some(true),
            no_misconduct_proceedings: Some(true),
            no_service_confidence: Some(true),
        },
    })
    .unwrap();
    let preview = wb.transferee_package(officer).unwrap();
    assert!(
        preview.complaints[0].summary.contains(CANARY),
        "the preview holds the imported complaint"
    );
    check("records, assessment, register, intervention and preview (session open)");
    wb.lock().unwrap();
    check("lock");

    // Reports through the CLI: the assessment shown, then the package written outside.
    let shown = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["--purpose", &purpose])
        .args([
            "report",
            "threat-assessment",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(shown.status.success());
    check("threat assessment");
    let package = outside.path().join("package.html");
    let written = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["--purpose", &purpose, "report", "transferee"])
        .arg(officer.0.to_string())
        .arg("--out")
        .arg(&package)
        .args(["--recipient", "DCI Receiving Unit", "--confirm-c-items"])
        .output()
        .unwrap();
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    check("transferee package export");
    let disclosed = std::fs::read_to_string(&package).unwrap();
    assert!(disclosed.contains(&format!("Conditions {CANARY}")));
    assert!(disclosed.contains(&format!("Complaint about {CANARY}")));
}
