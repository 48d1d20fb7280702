//! Issue 24's acceptance, through the library and the command line: a synthetic force in
//! real-extract shapes (`common::beacon_force`), imported with its example specs, screened.
//! Every planted pattern is found at or above the threshold, and nothing innocent is: not
//! the officer in charge looking up their victim during the case, a liaison officer's calls
//! during it, a neighbourhood officer's repeated dispatched attendance, a look-up for a new
//! incident, nor a call winding a case down. Lists name no victim; opening a finding does, and
//! is recorded; the audit entries carry ids. A Beacon assessment keeps the answers screening
//! suggested beside those given, and screening again shows what changed since.
//!
//! Seed 001 §4.8.2: the CCU should "proactively seek to identify those who abuse their
//! position". Seed 003, recommendation 5: forces should look proactively for intelligence about
//! abuse of position for a sexual purpose.

use crate::common::beacon_force::{self, BeaconForce, ForceSize};
use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD, Sandbox};
use ccu_workbench::Workbench;
use ccu_workbench::domain::NominalId;
use ccu_workbench::io::import_spec;
use ccu_workbench::risk::beacon_screen::BEACON_THRESHOLD;
use ccu_workbench::workbench::{BeaconScreening, ImportOptions};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::ops::ControlFlow;
use std::path::Path;

const PURPOSE: &str = "OP BEACON: proactive screening for abuse of position";

fn import_force(wb: &mut Workbench, force: &BeaconForce) {
    for extract in &force.extracts {
        let text = std::fs::read_to_string(&extract.spec).unwrap();
        let spec = import_spec::parse(&text, &extract.spec.display().to_string()).unwrap();
        let report = wb
            .import_bulk_file(&spec, &extract.file, ImportOptions::default(), &mut |_| {
                ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!(report.rows_rejected, 0, "{}", extract.file.display());
    }
}

fn force_workbench(dir: &Path, seed: u64) -> (Workbench, BeaconForce) {
    let exports = dir.join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let force = beacon_force::write_force(&exports, seed, ForceSize::TEST);
    let mut wb = Workbench::create(
        &dir.join("beacon.ccuwb"),
        INSPECTOR,
        INSPECTOR_PASSWORD,
        CHEAP,
    )
    .unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    import_force(&mut wb, &force);
    (wb, force)
}

/// (staff number, indicator) of every finding at or above the threshold.
fn flagged(screening: &BeaconScreening) -> BTreeSet<(String, String)> {
    screening
        .due
        .iter()
        .chain(&screening.assessed_unchanged)
        .flat_map(|entry| {
            entry
                .findings
                .iter()
                .filter(|f| f.score >= screening.threshold)
                .map(|f| {
                    (
                        entry.staff_number.clone().unwrap_or_default(),
                        f.indicator.as_str().to_owned(),
                    )
                })
        })
        .collect()
}

#[test]
fn screening_finds_every_planted_pattern_and_nothing_innocent_reaches_the_threshold() {
    for seed in [1, 2, 3] {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, force) = force_workbench(dir.path(), seed);
        let screening = wb.beacon_screen(BEACON_THRESHOLD).unwrap();
        let flagged = flagged(&screening);
        let planted: BTreeSet<(String, String)> = force
            .planted
            .iter()
            .map(|p| (p.staff_number.clone(), p.indicator.to_owned()))
            .collect();
        let missed: Vec<_> = planted.difference(&flagged).collect();
        assert!(missed.is_empty(), "seed {seed}: missed {missed:?}");
        let extra: Vec<_> = flagged.difference(&planted).collect();
        assert!(
            extra.is_empty(),
            "seed {seed}: flagged, not planted {extra:?}"
        );
        // Each look-alike's member of staff is below the threshold (or not found at all).
        let due_staff: BTreeSet<&str> = flagged.iter().map(|(s, _)| s.as_str()).collect();
        for look_alike in &force.look_alikes {
            assert!(
                !due_staff.contains(look_alike.staff_number.as_str()),
                "seed {seed}: {} ({}) reached the threshold",
                look_alike.reading,
                look_alike.staff_number
            );
        }
        // The look-alikes screening reads (look-ups for a new incident, winding down,
        // occasional self-deployment) are there below it, with the reading in words.
        let below_staff: BTreeSet<&str> = screening
            .below
            .iter()
            .filter_map(|e| e.staff_number.as_deref())
            .collect();
        for look_alike in force
            .look_alikes
            .iter()
            .filter(|l| matches!(l.reading, "lookup_for_new_incident" | "wind_down_contact"))
        {
            assert!(
                below_staff.contains(look_alike.staff_number.as_str()),
                "seed {seed}: {} ({}) not read at all",
                look_alike.reading,
                look_alike.staff_number
            );
        }
        assert!(
            screening
                .below
                .iter()
                .flat_map(|e| &e.findings)
                .any(|f| f.readings.iter().any(|r| r.contains("new incident")))
        );
        assert!(screening.counts.calls_within_case > 0, "liaison calls read");
    }
}

#[test]
fn lists_name_no_victim_opening_a_finding_does_and_is_recorded_by_ids() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, _force) = force_workbench(dir.path(), 4);
    let screening = wb.beacon_screen(BEACON_THRESHOLD).unwrap();
    let finding = screening
        .due
        .iter()
        .flat_map(|e| &e.findings)
        .find(|f| f.score >= BEACON_THRESHOLD && f.case_reference.is_some())
        .unwrap()
        .clone();
    let opened = wb.open_beacon_finding(&finding.fingerprint).unwrap();
    assert_eq!(opened.finding, finding);
    assert!(!opened.person_name.is_empty());
    // The victim is named nowhere in the screening, as JSON or in its audit entry.
    let listed = serde_json::to_string(&screening).unwrap();
    // (The full name: a synthetic surname may also be a member of staff's.)
    let surname = opened.person_name.as_str();
    assert!(!listed.contains(surname), "{surname} is listed");
    assert!(
        listed.contains(&format!(
            "the victim in case {}",
            finding.case_reference.as_deref().unwrap()
        )) || listed.contains("the witness in case")
    );
    assert!(!listed.contains(&format!("\"person\":{}", opened.person.0)));
    // The evidence rows are there in words: each of the finding's, by source and id.
    assert_eq!(opened.evidence.len(), finding.evidence.len());
    let audit = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with("beacon."))
        .collect::<Vec<_>>();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["beacon.screen", "beacon.finding"]);
    assert_eq!(audit[1].object, format!("nominal:{}", opened.person.0));
    assert!(audit[1].detail.contains(&finding.fingerprint));
    for entry in &audit {
        assert!(!entry.detail.contains(surname), "{}", entry.detail);
        assert!(!entry.detail.contains(&opened.employee_name));
        assert_eq!(entry.justification, PURPOSE);
    }
    // The People Intelligence Board pack lists the staff due with their findings, the person
    // by their case.
    let pack = dir.path().join("pib.html");
    wb.export_pib_pack(wb.today().plus_days(-30), &pack)
        .unwrap();
    let html = std::fs::read_to_string(&pack).unwrap();
    assert!(html.contains("Due a Beacon assessment from screening"));
    assert!(
        html.contains(&opened.employee_name),
        "the employee is named"
    );
    assert!(html.contains(" in case "), "the person by their case");
    assert!(!html.contains(surname), "{surname} is in the pack");
    // A reference no finding has is refused, in words.
    let refused = wb
        .open_beacon_finding("lookups_after_closure-1-2-3")
        .unwrap_err();
    assert!(refused.to_string().contains("no such finding"), "{refused}");
}

#[test]
fn an_assessment_keeps_the_suggestions_beside_the_answers_and_screening_again_shows_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, _force) = force_workbench(dir.path(), 5);
    let screening = wb.beacon_screen(BEACON_THRESHOLD).unwrap();
    let entry = screening
        .due
        .iter()
        .find(|e| {
            e.findings
                .iter()
                .any(|f| f.indicator.as_str() == "lookups_after_closure")
        })
        .unwrap()
        .clone();
    let suggestions = wb.beacon_suggestions(entry.employee).unwrap();
    let lookups = suggestions
        .suggestions
        .iter()
        .find(|s| s.factor == "lookups_after_closure")
        .unwrap();
    assert_ne!(lookups.option, "none_found");
    assert!(!lookups.evidence.is_empty());
    // The detective accepts every suggestion but one, and answers the rest.
    let instrument = wb.instrument("beacon", None).unwrap();
    let mut answers = ccu_workbench::risk::Answers::new();
    for factor in instrument.factors() {
        answers.insert(factor.key.clone(), factor.options[0].key.clone());
    }
    for suggestion in &suggestions.suggestions {
        answers.insert(suggestion.factor.clone(), suggestion.option.clone());
    }
    answers.insert("lookups_after_closure".into(), "single".into());
    let record = wb
        .assess(
            "beacon",
            entry.employee,
            &answers,
            "Synthetic rationale: one look-up had a purpose the audit trail does not record.",
            wb.today(),
        )
        .unwrap();
    let changed = record.data_answer("lookups_after_closure").unwrap();
    assert!(changed.changed());
    assert_eq!(changed.suggested, lookups.option);
    assert_eq!(changed.given, "single");
    assert!(!changed.evidence.is_empty());
    assert!(
        record
            .data_answers
            .iter()
            .filter(|d| d.factor != "lookups_after_closure")
            .all(|d| !d.changed())
    );
    assert_eq!(record.data_answers.len(), suggestions.suggestions.len());
    // Read back as saved.
    let saved = wb.assessment(record.id).unwrap();
    assert_eq!(saved.data_answers, record.data_answers);
    let audit = wb.audit_entries(1, 1_000_000).unwrap();
    let recorded = audit
        .iter()
        .rfind(|e| e.action == "assessment.create")
        .unwrap();
    assert!(
        recorded
            .detail
            .contains("\"changed_from_data\":[\"lookups_after_closure\"]")
    );
    // Screening again: assessed, nothing new.
    let again = wb.beacon_screen(BEACON_THRESHOLD).unwrap();
    assert!(!again.due.iter().any(|e| e.employee == entry.employee));
    let unchanged = again
        .assessed_unchanged
        .iter()
        .find(|e| e.employee == entry.employee)
        .unwrap();
    assert!(unchanged.changes.as_ref().unwrap().is_empty());
    assert_eq!(unchanged.last_assessed_on, Some(wb.today()));
    // New rows after the assessment: one more look-up of the same person by the same member of
    // staff. Back on the due list, with what changed in words.
    add_lookup_after(&mut wb, &entry.findings, entry.employee);
    let third = wb.beacon_screen(BEACON_THRESHOLD).unwrap();
    let back = third
        .due
        .iter()
        .find(|e| e.employee == entry.employee)
        .unwrap_or_else(|| {
            panic!(
                "not due again: {:?}",
                third
                    .assessed_unchanged
                    .iter()
                    .find(|e| e.employee == entry.employee)
            )
        });
    let since = back.changes.as_ref().unwrap();
    assert!(since.new_evidence_rows >= 1, "{since:?}");
    assert!(since.words.iter().any(|w| w.contains("evidence row")));
}

/// Imports one more look-up, made today, by `employee` of the person in their look-up finding.
fn add_lookup_after(
    wb: &mut Workbench,
    findings: &[ccu_workbench::risk::beacon_screen::BeaconFinding],
    employee: NominalId,
) {
    let finding = findings
        .iter()
        .find(|f| f.indicator.as_str() == "lookups_after_closure")
        .unwrap();
    let opened = wb.open_beacon_finding(&finding.fingerprint).unwrap();
    let reader = wb.store_for_tests().reader();
    let person = reader.nominal(opened.person).unwrap().unwrap();
    let staff = reader.nominal(employee).unwrap().unwrap();
    let ccu_workbench::domain::NominalDetails::Employee { staff_number, .. } = staff.details else {
        panic!("not an employee")
    };
    let ccu_workbench::domain::NominalDetails::Person {
        surname,
        forenames,
        date_of_birth,
        ..
    } = person.details
    else {
        panic!("not a person")
    };
    let uk = |date: ccu_workbench::domain::IsoDate| {
        format!(
            "{:02}/{:02}/{}",
            date.0.day(),
            u8::from(date.0.month()),
            date.0.year()
        )
    };
    let csv = format!(
        "Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n\
         {} 10:00:00,{staff_number},PNC,{surname},{forenames},{},,INV\n",
        uk(wb.today().plus_days(-1)),
        uk(date_of_birth.unwrap())
    );
    let spec = ccu_workbench::io::import_spec::shipped_spec(
        ccu_workbench::domain::ImportKind::AuditEvents,
    )
    .unwrap();
    wb.import_bulk(
        &spec,
        "late.csv",
        csv.as_bytes(),
        None,
        ImportOptions::default(),
        &mut |_| ControlFlow::Continue(()),
    )
    .unwrap();
}

#[test]
fn the_cli_screens_as_json_and_opens_a_finding() {
    let sandbox = Sandbox::new();
    Workbench::create(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD, CHEAP)
        .unwrap()
        .lock()
        .unwrap();
    let run = |args: &[&str]| {
        let mut cmd = sandbox.cli_as(INSPECTOR, INSPECTOR_PASSWORD);
        cmd.env("CCU_PURPOSE", PURPOSE).args(args);
        cmd.output().unwrap()
    };
    let exports = sandbox.dir.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let force = beacon_force::write_force(&exports, 6, ForceSize::TEST);
    for extract in &force.extracts {
        let out = run(&[
            "import",
            extract.kind,
            extract.file.to_str().unwrap(),
            "--spec",
            extract.spec.to_str().unwrap(),
        ]);
        crate::common::succeeded(&out);
    }
    let out = run(&["beacon", "screen", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&crate::common::succeeded(&out)).unwrap();
    assert_eq!(json["threshold"], 50);
    let due = json["due"].as_array().unwrap();
    let planted_staff: BTreeSet<&str> = force
        .planted
        .iter()
        .map(|p| p.staff_number.as_str())
        .collect();
    let due_staff: BTreeSet<&str> = due
        .iter()
        .map(|e| e["staff_number"].as_str().unwrap())
        .collect();
    assert_eq!(due_staff, planted_staff);
    let fingerprint = due[0]["findings"][0]["fingerprint"].as_str().unwrap();
    assert!(due[0]["findings"][0].get("person").is_none());
    let out = run(&["beacon", "finding", fingerprint]);
    let text = crate::common::succeeded(&out);
    assert!(text.contains("the opening is recorded"), "{text}");
    let out = run(&["beacon", "screen"]);
    let text = crate::common::succeeded(&out);
    assert!(text.contains("Beacon assessment due:"), "{text}");
}

/// Need-to-know holds in screening too: a closed item naming a victim counts as their case only
/// for the users on its list, so a finding resting on a restricted item is invisible to anyone
/// else.
#[test]
fn a_finding_resting_on_a_restricted_item_exists_only_for_those_on_its_list() {
    use crate::common::{DETECTIVE, DETECTIVE_PASSWORD};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("restricted.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.add_user(
        DETECTIVE,
        ccu_workbench::domain::Role::Detective,
        DETECTIVE_PASSWORD,
    )
    .unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let employee = wb
        .create_nominal(crate::common::employee("AB77", "Kit", "Prowler"), false)
        .unwrap()
        .id;
    let victim = wb
        .create_nominal(
            crate::common::person_born(
                "Vera",
                "Hiddenvale",
                "1990-04-05",
                ccu_workbench::domain::PersonFlags::default(),
            ),
            false,
        )
        .unwrap()
        .id;
    let mut fields = crate::common::item_fields(victim, "Synthetic report naming a victim.");
    fields.subjects[0].role = "victim".into();
    let item = wb.create_item(&fields, None).unwrap();
    let mut status = item.status.clone();
    while status != "closed" {
        let next = wb.next_statuses(&status);
        let to = if next.iter().any(|s| s == "closed") {
            String::from("closed")
        } else {
            next[0].clone()
        };
        status = wb
            .change_item_status(&item.reference, &to, "Synthetic step.")
            .unwrap()
            .status;
    }
    // Closed a month ago; looked up three times since by a member of staff not on it.
    let month_ago = wb.today().plus_days(-30);
    wb.store_for_tests()
        .raw_connection()
        .execute(
            "UPDATE intel_items SET updated_at = ?1 WHERE reference = ?2",
            rusqlite::params![format!("{month_ago}T00:00:00.000Z"), item.reference],
        )
        .unwrap();
    let uk = |date: ccu_workbench::domain::IsoDate| {
        format!(
            "{:02}/{:02}/{}",
            date.0.day(),
            u8::from(date.0.month()),
            date.0.year()
        )
    };
    let mut csv = String::from(
        "Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n",
    );
    for days in [10, 9, 8] {
        writeln!(
            csv,
            "{} 11:00:00,AB77,PNC,Hiddenvale,Vera,05/04/1990,,INV",
            uk(wb.today().plus_days(-days))
        )
        .unwrap();
    }
    let spec = ccu_workbench::io::import_spec::shipped_spec(
        ccu_workbench::domain::ImportKind::AuditEvents,
    )
    .unwrap();
    wb.import_bulk(
        &spec,
        "audit.csv",
        csv.as_bytes(),
        None,
        ImportOptions::default(),
        &mut |_| ControlFlow::Continue(()),
    )
    .unwrap();
    let due = |wb: &mut Workbench| -> Vec<String> {
        wb.beacon_screen(BEACON_THRESHOLD)
            .unwrap()
            .due
            .iter()
            .filter(|e| e.employee == employee)
            .flat_map(|e| e.findings.iter().map(|f| f.person_phrase.clone()))
            .collect()
    };
    // Unrestricted, the detective sees it.
    wb.lock().unwrap();
    let mut detective = Workbench::unlock(&root, DETECTIVE, DETECTIVE_PASSWORD).unwrap();
    detective.set_purpose(PURPOSE).unwrap();
    assert_eq!(
        due(&mut detective),
        [format!("the victim in case {}", item.reference)]
    );
    detective.lock().unwrap();
    // Restricted to the inspector: only the inspector does.
    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    wb.restrict_item(&item.reference, &[]).unwrap();
    assert_eq!(due(&mut wb).len(), 1);
    wb.lock().unwrap();
    let mut detective = Workbench::unlock(&root, DETECTIVE, DETECTIVE_PASSWORD).unwrap();
    detective.set_purpose(PURPOSE).unwrap();
    assert!(due(&mut detective).is_empty());
}
