//! The transferee information package (issue 8): one employee's record, business interests,
//! notifiable associations and intelligence, written as an audited disclosure in which every
//! item shows its handling code and every handling-code C item carries its conditions.

use crate::common;

use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{
    Grading, IntelItemFields, NaDraft, NaOrigin, NominalDetails, NominalId, PersonFlags, Subject,
};
use ccu_workbench::workbench::{ImportOptions, WorkbenchError};

const CONDITIONS: &str =
    "Receiving CCU only; no further dissemination without the originator's consent";

fn item(subject: NominalId, handling_code: &str, narrative: &str) -> IntelItemFields {
    IntelItemFields {
        received_on: "2026-09-14".parse().unwrap(),
        source_type: "confidential_line".into(),
        narrative: narrative.into(),
        grading: Grading {
            source_evaluation: "2".into(),
            intelligence_assessment: "B".into(),
            handling_code: handling_code.into(),
            handling_conditions: (handling_code == "C").then(|| CONDITIONS.into()),
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

/// A new workbench (purpose set) with one officer, S300400.
fn workbench_with_officer(dir: &std::path::Path) -> (Workbench, NominalId) {
    let mut wb =
        Workbench::create(&dir.join("t.ccuwb"), INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.set_purpose("OP-TRANSFER-CHECK").unwrap();
    let officer = wb
        .create_nominal(common::employee("S300400", "Morgan", "Ashcombe"), false)
        .unwrap()
        .id;
    (wb, officer)
}

#[test]
fn the_package_holds_the_employees_records_and_every_c_item_carries_its_conditions() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, officer) = workbench_with_officer(dir.path());
    let other = wb
        .create_nominal(common::employee("S300999", "Riley", "Other"), false)
        .unwrap()
        .id;
    let associate = wb
        .create_nominal(
            NominalDetails::Person {
                forenames: "Casey".into(),
                surname: "Synthetic-Associate".into(),
                aliases: Vec::new(),
                date_of_birth: "1979-02-03".parse().ok(),
                flags: PersonFlags {
                    criminal: true,
                    ..PersonFlags::default()
                },
            },
            false,
        )
        .unwrap()
        .id;
    let open = wb
        .create_item(&item(officer, "P", "Synthetic open narrative."), None)
        .unwrap();
    let conditioned = wb
        .create_item(
            &item(officer, "C", "Synthetic conditioned narrative."),
            None,
        )
        .unwrap();
    let unrelated = wb
        .create_item(&item(other, "P", "Synthetic unrelated."), None)
        .unwrap();
    wb.register_notifiable_association(&NaDraft {
        employee: officer,
        associate,
        category: "family".into(),
        origin: NaOrigin::Declared,
        declared_on: "2025-04-01".parse().unwrap(),
        conditions: "No contact on duty".into(),
        assessment: None,
        review_due_on: None,
        relationship: None,
    })
    .unwrap();
    let spec = ccu_workbench::io::import_spec::shipped_spec(
        ccu_workbench::domain::ImportKind::BusinessInterests,
    )
    .unwrap();
    let register: &[u8] = b"Staff No,Organisation,Description,Declared,Approved\n\
        S300400,Synthetic Door Security Ltd,Door supervisor at weekends,01/02/2025,yes\n\
        S300999,Synthetic Other Ltd,Unrelated,01/02/2025,no\n";
    wb.import_bulk(
        &spec,
        "interests.csv",
        register,
        None,
        ImportOptions::default(),
        &mut |_| std::ops::ControlFlow::Continue(()),
    )
    .unwrap();

    let extract_spec = ccu_workbench::io::import_spec::shipped_spec(
        ccu_workbench::domain::ImportKind::WorkforceRecords,
    )
    .unwrap();
    let extract: &[u8] = b"Staff No,Record Type,Recorded,Ended,Summary,Outcome,Reference\n\
        s300400,Performance,31/03/2026,,Annual review,Development plan,PDR-1\n\
        S300400,sickness,02/02/2026,09/02/2026,Sickness absence,,ABS-7\n\
        S300400,complaint,10/01/2026,12/03/2026,Synthetic incivility complaint,Local resolution,CO-3\n\
        S300400,complaint,01/06/2025,,Synthetic earlier complaint,No case to answer,CO-1\n\
        S300999,complaint,10/01/2026,,Unrelated complaint,,CO-9\n";
    wb.import_bulk(
        &extract_spec,
        "workforce.csv",
        extract,
        None,
        ImportOptions::default(),
        &mut |_| std::ops::ControlFlow::Continue(()),
    )
    .unwrap();

    let previewed = wb.transferee_package(officer).unwrap();
    let out = dir.path().join("package.html");
    assert!(!out.exists(), "a preview writes nothing");
    let package = wb
        .export_transferee_package(
            officer,
            &out,
            ccu_workbench::workbench::Release {
                recipient: "DCI Receiving Unit",
                confirm_c_items: true,
                include_left_out: false,
            },
        )
        .unwrap();
    assert_eq!(previewed.intelligence, package.intelligence);
    assert_eq!(previewed.complaints, package.complaints);
    assert_eq!(package.performance.len(), 1);
    assert_eq!(package.sickness.len(), 1);
    let complaints: Vec<&str> = package
        .complaints
        .iter()
        .map(|c| c.reference.as_deref().unwrap())
        .collect();
    assert_eq!(complaints, ["CO-1", "CO-3"], "the officer's, oldest first");
    assert_eq!(
        package.sickness[0].ended_on,
        "2026-02-09".parse().ok(),
        "the absence's last day"
    );
    assert_eq!(package.intelligence.len(), 2);
    assert_eq!(package.associations.len(), 1);
    assert_eq!(package.business_interests.len(), 1);

    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("PC Morgan ASHCOMBE (S300400)"));
    // Codes in words, as the subject profile shows them (issue 25, part 5).
    assert!(
        html.contains("<th>Employee type</th><td>Police officer</td>"),
        "{html}"
    );
    assert!(!html.contains("<td>officer</td>"));
    assert!(html.contains("Synthetic Door Security Ltd"));
    assert!(!html.contains("Synthetic Other Ltd"));
    assert!(html.contains("Synthetic incivility complaint"));
    assert!(html.contains("Development plan"));
    assert!(html.contains("ABS-7"));
    assert!(!html.contains("Unrelated complaint"));
    assert!(html.contains("Casey SYNTHETIC-ASSOCIATE"));
    assert!(html.contains("No contact on duty"));
    // Codes read as the reference data's labels.
    assert!(html.contains("<td>Family member</td>"));
    assert!(html.contains("category Disclosure of information;"));
    assert!(!html.contains(&unrelated.reference));
    // Each item's section shows its handling code; the C item's holds its conditions.
    let section = |reference: &str| {
        html.split("<section class=\"item\">")
            .find(|part| part.contains(reference))
            .unwrap()
            .split("</section>")
            .next()
            .unwrap()
            .to_owned()
    };
    let c_section = section(&conditioned.reference);
    assert!(c_section.contains("handling code <strong>C</strong>"));
    assert!(c_section.contains(&format!(
        "Handling conditions (C): {}",
        CONDITIONS.replace('\'', "&apos;")
    )));
    let p_section = section(&open.reference);
    assert!(p_section.contains("handling code <strong>P</strong>"));
    assert!(!p_section.contains("Handling conditions"));

    let recorded = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .rfind(|e| e.action == "report.export")
        .unwrap();
    assert_eq!(recorded.object, format!("nominal:{officer}"));
    assert_eq!(recorded.justification, "OP-TRANSFER-CHECK");
    let preview = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .rfind(|e| e.action == "report.preview")
        .unwrap();
    assert_eq!(preview.object, format!("nominal:{officer}"));
    assert!(
        wb.export_transferee_package(
            officer,
            &out,
            ccu_workbench::workbench::Release {
                recipient: "DCI Receiving Unit",
                confirm_c_items: true,
                include_left_out: false
            }
        )
        .is_err(),
        "never overwritten"
    );

    let not_employee = wb.export_transferee_package(
        associate,
        &dir.path().join("x.html"),
        ccu_workbench::workbench::Release {
            recipient: "DCI Receiving Unit",
            confirm_c_items: true,
            include_left_out: false,
        },
    );
    assert!(
        matches!(not_employee, Err(WorkbenchError::Refused(_))),
        "{not_employee:?}"
    );
    assert!(!dir.path().join("x.html").exists());
}

/// What leaves is what the preview showed: a package that changed after its preview is not
/// written until it is previewed again.
#[test]
fn a_package_that_changed_since_its_preview_is_refused_until_previewed_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, officer) = workbench_with_officer(dir.path());
    let first = wb
        .create_item(&item(officer, "C", "Synthetic first narrative."), None)
        .unwrap();
    let previewed = wb.transferee_package(officer).unwrap();
    wb.update_item(
        &first.reference,
        &item(
            officer,
            "P",
            "Synthetic narrative, downgraded after the preview.",
        ),
    )
    .unwrap();
    let out = dir.path().join("package.html");
    let refused = wb.export_previewed_transferee_package(
        &previewed,
        &out,
        ccu_workbench::workbench::Release {
            recipient: "DCI Receiving Unit",
            confirm_c_items: true,
            include_left_out: false,
        },
    );
    assert!(
        matches!(refused, Err(WorkbenchError::Refused(_))),
        "{refused:?}"
    );
    assert!(!out.exists(), "nothing written");

    let again = wb.transferee_package(officer).unwrap();
    wb.export_previewed_transferee_package(
        &again,
        &out,
        ccu_workbench::workbench::Release {
            recipient: "DCI Receiving Unit",
            confirm_c_items: true,
            include_left_out: false,
        },
    )
    .unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("handling code <strong>P</strong>"));
    assert!(
        !html.contains("Handling conditions"),
        "as the second preview showed"
    );
}

#[test]
fn a_package_without_a_purpose_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbench::create(
        &dir.path().join("t.ccuwb"),
        INSPECTOR,
        INSPECTOR_PASSWORD,
        CHEAP,
    )
    .unwrap();
    let officer = wb
        .create_nominal(common::employee("S300400", "Morgan", "Ashcombe"), false)
        .unwrap()
        .id;
    let out = dir.path().join("package.html");
    let refused = wb.export_transferee_package(
        officer,
        &out,
        ccu_workbench::workbench::Release {
            recipient: "DCI Receiving Unit",
            confirm_c_items: true,
            include_left_out: false,
        },
    );
    assert!(
        matches!(refused, Err(WorkbenchError::PurposeRequired { .. })),
        "{refused:?}"
    );
    assert!(!out.exists());
    assert!(matches!(
        wb.transferee_package(officer),
        Err(WorkbenchError::PurposeRequired { .. })
    ));
}

#[test]
fn a_workforce_record_that_ends_before_it_began_is_refused_naming_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, _officer) = workbench_with_officer(dir.path());
    let spec = ccu_workbench::io::import_spec::shipped_spec(
        ccu_workbench::domain::ImportKind::WorkforceRecords,
    )
    .unwrap();
    let extract: &[u8] = b"Staff No,Record Type,Recorded,Ended,Summary,Outcome,Reference\n\
        S300400,sickness,02/02/2026,09/02/2026,Sickness absence,,ABS-7\n\
        S300400,sickness,09/02/2026,02/02/2026,Sickness absence,,ABS-8\n\
        S300400,holiday,09/02/2026,,Leave,,H-1\n";
    let refused = wb
        .import_bulk(
            &spec,
            "workforce.csv",
            extract,
            None,
            ImportOptions::default(),
            &mut |_| std::ops::ControlFlow::Continue(()),
        )
        .unwrap_err()
        .to_string();
    assert!(refused.contains("workforce.csv"), "{refused}");
    assert!(refused.contains("line 3"), "{refused}");
    assert!(refused.contains("ended_on"), "{refused}");
    assert_eq!(
        wb.bulk_record_count(ccu_workbench::domain::ImportKind::WorkforceRecords)
            .unwrap(),
        0,
        "all or nothing"
    );
}

/// Issue 20, correction 4: "Intelligence where the employee is a subject only; items assessed E
/// or closed as no further action are left out by default; the package and its preview say how
/// many items were left out and why, and an inspector may include them explicitly (recorded)."
#[test]
fn the_transferee_package_discloses_only_what_it_should() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, officer) = workbench_with_officer(dir.path());
    let suspect = wb
        .create_nominal(common::employee("S300777", "Jordan", "Suspect"), false)
        .unwrap()
        .id;
    // The officer is only a witness on an item about a colleague.
    let mut witnessed = item(suspect, "P", "WITNESS-ONLY narrative about a colleague.");
    witnessed.subjects.push(Subject {
        nominal_id: officer,
        role: "witness".into(),
    });
    let witnessed = wb.create_item(&witnessed, None).unwrap();
    let kept = wb
        .create_item(&item(officer, "P", "KEPT narrative."), None)
        .unwrap();
    let mut false_report = item(officer, "P", "ASSESSED-E narrative.");
    false_report.grading.intelligence_assessment = "E".into();
    let false_report = wb.create_item(&false_report, None).unwrap();
    let closed = wb
        .create_item(&item(officer, "P", "NO-FURTHER-ACTION narrative."), None)
        .unwrap();
    wb.change_item_status(&closed.reference, "assessed", "Assessed.")
        .unwrap();
    wb.change_item_status(&closed.reference, "no_further_action", "Nothing in it.")
        .unwrap();

    let package = wb.transferee_package(officer).unwrap();
    let references: Vec<_> = package
        .intelligence
        .iter()
        .map(|i| i.reference.clone())
        .collect();
    assert_eq!(references, std::slice::from_ref(&kept.reference));
    assert!(!references.contains(&witnessed.reference));
    assert_eq!(
        (
            package.left_out.assessed_e,
            package.left_out.no_further_action
        ),
        (1, 1)
    );
    assert!(
        package
            .left_out
            .describe()
            .starts_with("Left out: 1 item(s) assessed E")
    );
    let out = dir.path().join("package.html");
    let release = ccu_workbench::workbench::Release {
        recipient: "DCI Receiving Unit",
        confirm_c_items: false,
        include_left_out: false,
    };
    wb.export_transferee_package(officer, &out, release)
        .unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("KEPT") && !html.contains("WITNESS-ONLY"));
    assert!(!html.contains("ASSESSED-E") && !html.contains("NO-FURTHER-ACTION"));
    assert!(html.contains("Left out: 1 item(s) assessed E"));

    // An inspector includes them explicitly; it is recorded; a detective may not.
    let included = wb.transferee_package_with_left_out(officer).unwrap();
    assert_eq!(included.intelligence.len(), 3);
    assert!(included.left_out.included);
    let entries = wb.audit_entries(1, 10_000).unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.action == "report.preview" && e.detail.contains("left_out_included"))
    );
    wb.add_user(
        "DC Transfer Synthetic",
        ccu_workbench::domain::Role::Detective,
        "detective pass phrase",
    )
    .unwrap();
    wb.lock().unwrap();
    let mut detective = Workbench::unlock(
        &dir.path().join("t.ccuwb"),
        "DC Transfer Synthetic",
        "detective pass phrase",
    )
    .unwrap();
    detective.set_purpose("OP-TRANSFER-CHECK").unwrap();
    assert!(matches!(
        detective.transferee_package_with_left_out(officer),
        Err(WorkbenchError::PermissionDenied { .. })
    ));
    let _ = false_report;
}
