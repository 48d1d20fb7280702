//! The notifiable association register and the Beacon cohort through the library and the CLI:
//! the demo register against its plan, due and overdue reviews, registering a discovered
//! association in one step (the exposure finder stops reporting it), changes kept as history,
//! the cohort's trends and order, and the PIB list as an audited disclosure.

use crate::common;

use crate::common::{CHEAP, DETECTIVE, DETECTIVE_PASSWORD, INSPECTOR, INSPECTOR_PASSWORD, Sandbox};
use ccu_workbench::Workbench;
use ccu_workbench::demo::{DemoAnswers, DemoScale};
use ccu_workbench::domain::{
    Clock, IsoDate, NaChange, NaDraft, NaFilter, NaOrigin, NaReviewFilter, NaStatus,
    NominalDetails, NominalId, PersonFlags,
};
use ccu_workbench::graph::ExposureOptions;
use ccu_workbench::risk::{Answers, Trend};
use ccu_workbench::workbench::{DemoSpec, WorkbenchError};
use serde_json::Value;

const PURPOSE: &str = "OP-NA-REGISTER";

fn small_demo(dir: &std::path::Path) -> (Workbench, DemoAnswers) {
    let spec = DemoSpec {
        admin_name: "DI Register",
        password: "demo pass phrase",
        kdf: CHEAP,
        scale: DemoScale::Small,
        seed: 11,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (mut wb, answers) =
        Workbench::create_demo(&dir.join("na.ccuwb"), &spec, &mut |_| {}, &cancel).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    (wb, answers)
}

fn employee(wb: &mut Workbench, staff_number: &str, surname: &str) -> NominalId {
    wb.create_nominal(common::employee(staff_number, "Sam", surname), false)
        .unwrap()
        .id
}

fn person(wb: &mut Workbench, surname: &str) -> NominalId {
    wb.create_nominal(
        NominalDetails::Person {
            forenames: "Alex".into(),
            surname: surname.into(),
            aliases: vec![],
            date_of_birth: None,
            flags: PersonFlags::default(),
        },
        true,
    )
    .unwrap()
    .id
}

fn date(text: &str) -> IsoDate {
    text.parse().unwrap()
}

fn draft(employee: NominalId, associate: NominalId) -> NaDraft {
    NaDraft {
        employee,
        associate,
        category: "family".into(),
        origin: NaOrigin::Declared,
        declared_on: date("2025-04-01"),
        conditions: String::new(),
        assessment: None,
        review_due_on: None,
        relationship: None,
    }
}

fn audit_actions(wb: &mut Workbench) -> Vec<String> {
    wb.audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[test]
fn the_demo_register_has_an_entry_per_declared_pair_counted_by_category() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, answers) = small_demo(dir.path());
    // Seeds 000/001 report 151 and 154 live NAs; the demo is of that order.
    assert!(
        (120..=170).contains(&answers.live_associations),
        "{} live",
        answers.live_associations
    );
    assert!(answers.closed_associations > 0);

    let mut counts = wb.association_counts().unwrap();
    counts.sort();
    let mut planned = answers.associations_by_category.clone();
    planned.sort();
    assert_eq!(counts, planned);
    assert_eq!(
        counts.iter().map(|(_, n)| n).sum::<usize>(),
        answers.live_associations
    );
    let family = counts.iter().find(|(c, _)| c == "family").unwrap().1;
    assert!(counts.iter().all(|(_, n)| *n <= family), "most are family");

    let today = IsoDate::today_utc();
    let all = wb
        .notifiable_associations(&NaFilter::default(), today)
        .unwrap();
    assert_eq!(
        all.len(),
        answers.live_associations + answers.closed_associations
    );
    let live = wb
        .notifiable_associations(
            &NaFilter {
                status: Some(NaStatus::Live),
                ..NaFilter::default()
            },
            today,
        )
        .unwrap();
    assert_eq!(live.len(), answers.live_associations);

    // Due and overdue lists hold exactly the live entries the dates put there.
    for (review, expect) in [
        (
            NaReviewFilter::Overdue,
            Box::new(|due: IsoDate| due < today) as Box<dyn Fn(IsoDate) -> bool>,
        ),
        (
            NaReviewFilter::Due,
            Box::new(|due: IsoDate| due >= today && due <= today.plus_days(30)),
        ),
    ] {
        let listed = wb
            .notifiable_associations(
                &NaFilter {
                    review,
                    ..NaFilter::default()
                },
                today,
            )
            .unwrap();
        let expected: Vec<_> = all
            .iter()
            .filter(|r| r.record.status == NaStatus::Live && expect(r.record.review_due_on))
            .map(|r| r.record.id)
            .collect();
        let mut got: Vec<_> = listed.iter().map(|r| r.record.id).collect();
        got.sort();
        let mut expected_sorted = expected.clone();
        expected_sorted.sort();
        assert_eq!(got, expected_sorted, "{review:?}");
        assert!(!got.is_empty(), "the demo has {review:?} reviews");
    }
    // Every row names both parties.
    assert!(
        all.iter()
            .all(|r| !r.employee_name.is_empty() && !r.associate_name.is_empty())
    );
}

#[test]
fn a_discovered_association_registered_in_one_step_is_no_longer_an_exposure_lead() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, answers) = small_demo(dir.path());
    let planted = answers.exposures.iter().find(|e| !e.declared).unwrap();
    let lead = wb
        .find_exposures(&ExposureOptions::default())
        .unwrap()
        .into_iter()
        .find(|l| l.employee == planted.employee && l.target == planted.associate)
        .unwrap();
    let associate = lead.path.nodes[1];
    let live_before = wb.association_counts().unwrap();

    let entry = wb
        .register_notifiable_association(&NaDraft {
            category: "criminal".into(),
            origin: NaOrigin::Discovered,
            declared_on: IsoDate::today_utc(),
            ..draft(planted.employee, associate)
        })
        .unwrap();
    assert_eq!(entry.origin, NaOrigin::Discovered);
    assert_eq!(entry.status, NaStatus::Live);
    assert_eq!(entry.review_due_on, IsoDate::today_utc().plus_days(365));

    let leads = wb.find_exposures(&ExposureOptions::default()).unwrap();
    assert!(
        !leads
            .iter()
            .any(|l| l.employee == planted.employee && l.path.nodes.get(1) == Some(&associate)),
        "the registered association still yields a lead"
    );
    // The other planted undeclared exposures are still found.
    for other in answers
        .exposures
        .iter()
        .filter(|e| !e.declared && e.employee != planted.employee)
    {
        assert!(
            leads
                .iter()
                .any(|l| l.employee == other.employee && l.target == other.associate)
        );
    }
    let criminal_before = live_before
        .iter()
        .find(|(c, _)| c == "criminal")
        .map_or(0, |(_, n)| *n);
    let criminal_after = wb
        .association_counts()
        .unwrap()
        .into_iter()
        .find(|(c, _)| c == "criminal")
        .map_or(0, |(_, n)| n);
    assert_eq!(criminal_after, criminal_before + 1);

    // The same pair cannot have two live entries.
    assert!(matches!(
        wb.register_notifiable_association(&NaDraft {
            origin: NaOrigin::Discovered,
            declared_on: IsoDate::today_utc(),
            ..draft(planted.employee, associate)
        }),
        Err(WorkbenchError::Refused(_))
    ));
    assert!(
        audit_actions(&mut wb)
            .iter()
            .any(|a| a == "association.create")
    );
    assert!(wb.verify_audit_log().unwrap().is_intact());
}

#[test]
fn changes_to_an_entry_are_kept_as_history_and_a_closed_entry_stays_closed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("changes.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let staff = employee(&mut wb, "S500600", "Entwistle");
    let brother = person(&mut wb, "Entwistle");
    let entry = wb
        .register_notifiable_association(&draft(staff, brother))
        .unwrap();
    assert_eq!(entry.version, 1);
    assert_eq!(entry.review_due_on, date("2026-04-01"));

    let changed = wb
        .change_notifiable_association(
            entry.id,
            Some(1),
            &NaChange::Conditions {
                conditions: "No discussion of police business.".into(),
            },
        )
        .unwrap();
    assert_eq!(changed.version, 2);
    // A change made on version 1 after version 2 exists is refused, and changes nothing.
    assert!(matches!(
        wb.change_notifiable_association(
            entry.id,
            Some(1),
            &NaChange::Category {
                category: "criminal".into()
            }
        ),
        Err(WorkbenchError::Refused(_))
    ));
    let reviewed = wb
        .change_notifiable_association(
            entry.id,
            Some(2),
            &NaChange::Reviewed {
                reviewed_on: date("2026-03-20"),
                next_due_on: date("2027-03-20"),
                outcome: ccu_workbench::domain::NaReviewOutcome::ContinueUnchanged,
                rationale: "Contact is family only; continuing is proportionate.".into(),
                conditions: None,
            },
        )
        .unwrap();
    assert_eq!(reviewed.review_due_on, date("2027-03-20"));
    assert_eq!(reviewed.last_reviewed_on, Some(date("2026-03-20")));
    let closed = wb
        .change_notifiable_association(
            entry.id,
            None,
            &NaChange::Closed {
                closed_on: date("2026-05-01"),
                reason: "The brother emigrated.".into(),
            },
        )
        .unwrap();
    assert_eq!(closed.status, NaStatus::Closed);
    assert!(matches!(
        wb.change_notifiable_association(
            entry.id,
            None,
            &NaChange::Conditions {
                conditions: String::new()
            }
        ),
        Err(WorkbenchError::Invalid(_))
    ));

    let (row, history) = wb
        .notifiable_association(entry.id, IsoDate::today_utc())
        .unwrap();
    assert_eq!(row.record, closed);
    assert!(!row.overdue && !row.due, "a closed entry is never due");
    let kept: Vec<(u32, &str)> = history
        .iter()
        .map(|v| (v.version, v.change.as_str()))
        .collect();
    assert_eq!(kept, vec![(1, "conditions"), (2, "review"), (3, "closed")]);
    assert_eq!(history[0].record, entry);
    assert_eq!(
        history[1].record.conditions,
        "No discussion of police business."
    );

    // Registered again after closing: a new live entry for the same pair is allowed.
    let again = wb
        .register_notifiable_association(&draft(staff, brother))
        .unwrap();
    assert_ne!(again.id, entry.id);

    let actions = audit_actions(&mut wb);
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "association.update")
            .count(),
        3
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "association.create")
            .count(),
        2
    );
    // No audit detail repeats the conditions or the reason.
    let details: Vec<String> = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .map(|e| e.detail)
        .collect();
    assert!(
        details
            .iter()
            .all(|d| !d.contains("police business") && !d.contains("emigrated"))
    );
    assert!(wb.verify_audit_log().unwrap().is_intact());
}

#[test]
fn a_registration_that_does_not_fit_is_refused_naming_the_field_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("refused.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let staff = employee(&mut wb, "S700800", "Fairweather");
    let friend = person(&mut wb, "Goodall");
    let other = person(&mut wb, "Hollins");

    let field_of = |result: Result<_, WorkbenchError>| match result {
        Err(WorkbenchError::Invalid(invalid)) => invalid.errors[0].field.clone(),
        other => panic!("expected a field error, got {other:?}"),
    };
    assert_eq!(
        field_of(wb.register_notifiable_association(&draft(friend, staff))),
        "employee"
    );
    assert_eq!(
        field_of(wb.register_notifiable_association(&NaDraft {
            category: "astrologer".into(),
            ..draft(staff, friend)
        })),
        "category"
    );
    assert_eq!(
        field_of(wb.register_notifiable_association(&NaDraft {
            declared_on: IsoDate::today_utc().plus_days(3),
            ..draft(staff, friend)
        })),
        "declared_on"
    );
    // An assessment linked must be an NA assessment of one of the two.
    let beacon = wb.instrument("beacon", None).unwrap();
    let lowest = |instrument: &ccu_workbench::risk::Instrument| -> Answers {
        instrument
            .factors()
            .iter()
            .map(|f| (f.key.clone(), f.options[0].key.clone()))
            .collect()
    };
    let beacon_assessment = wb
        .assess(
            "beacon",
            staff,
            &lowest(&beacon),
            "synthetic",
            date("2026-01-02"),
        )
        .unwrap();
    assert_eq!(
        field_of(wb.register_notifiable_association(&NaDraft {
            assessment: Some(beacon_assessment.id),
            ..draft(staff, friend)
        })),
        "assessment"
    );
    let na = wb.instrument("notifiable_association", None).unwrap();
    let of_other = wb
        .assess(
            "notifiable_association",
            other,
            &lowest(&na),
            "synthetic",
            date("2026-01-02"),
        )
        .unwrap();
    assert_eq!(
        field_of(wb.register_notifiable_association(&NaDraft {
            assessment: Some(of_other.id),
            ..draft(staff, friend)
        })),
        "assessment"
    );
    assert!(
        wb.notifiable_associations(&NaFilter::default(), IsoDate::today_utc())
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        wb.link_graph(&ccu_workbench::graph::GraphFilter::default())
            .unwrap()
            .edge_count(),
        0
    );

    // With an NA assessment of the employee, it is registered and linked.
    let of_staff = wb
        .assess(
            "notifiable_association",
            staff,
            &lowest(&na),
            "synthetic",
            date("2026-01-02"),
        )
        .unwrap();
    let entry = wb
        .register_notifiable_association(&NaDraft {
            assessment: Some(of_staff.id),
            ..draft(staff, friend)
        })
        .unwrap();
    assert_eq!(entry.assessment, Some(of_staff.id));
    let graph = wb
        .link_graph(&ccu_workbench::graph::GraphFilter::default())
        .unwrap();
    assert_eq!(graph.edge_count(), 1);
    assert!(
        graph
            .edges()
            .all(|e| &*e.link_type == "declared_association")
    );
}

#[test]
fn the_beacon_cohort_shows_each_subject_s_latest_band_trend_and_overdue_review() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("cohort.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let beacon = wb.instrument("beacon", None).unwrap();
    let at_level = |level: usize| -> Answers {
        beacon
            .factors()
            .iter()
            .map(|f| {
                (
                    f.key.clone(),
                    f.options[level.min(f.options.len() - 1)].key.clone(),
                )
            })
            .collect()
    };
    let rising = employee(&mut wb, "S100001", "Rising");
    let falling = employee(&mut wb, "S100002", "Falling");
    let once = employee(&mut wb, "S100003", "Once");
    let assess = |wb: &mut Workbench, who, level, on: &str| {
        wb.assess("beacon", who, &at_level(level), "synthetic", date(on))
            .unwrap()
    };
    assess(&mut wb, rising, 0, "2026-01-05");
    let rising_last = assess(&mut wb, rising, 2, "2026-06-05");
    assess(&mut wb, falling, 2, "2026-01-05");
    let falling_last = assess(&mut wb, falling, 1, "2026-06-05");
    let once_only = assess(&mut wb, once, 0, "2020-01-05");

    let as_of = date("2026-07-01");
    let cohort = wb.beacon_cohort(as_of).unwrap();
    assert_eq!(cohort.len(), 3);
    let entry = |id| cohort.iter().find(|e| e.subject == id).unwrap();
    assert_eq!(entry(rising).trend, Trend::Rising);
    assert_eq!(entry(rising).assessment, rising_last.id);
    assert_eq!(entry(rising).total, rising_last.score.total);
    assert_eq!(entry(falling).trend, Trend::Falling);
    assert_eq!(entry(falling).band, falling_last.score.band);
    assert_eq!(entry(once).trend, Trend::New);
    assert_eq!(entry(once).overdue, once_only.next_review_on < as_of);
    assert!(entry(once).overdue, "assessed in 2020");
    assert!(entry(rising).subject_name.contains("RISING"));
    // Most serious band first, then the highest total.
    let band_rank = |label: &str| beacon.band_index(label).unwrap();
    assert!(cohort.windows(2).all(|w| {
        let (a, b) = (band_rank(&w[0].band), band_rank(&w[1].band));
        a > b || (a == b && w[0].total >= w[1].total)
    }));
    assert!(audit_actions(&mut wb).iter().any(|a| a == "cohort.view"));

    // The PIB list: a disclosure written as CSV, read back equal to the cohort.
    let out = dir.path().join("pib.csv");
    let listed = wb.export_pib_list(&out, as_of).unwrap();
    assert_eq!(listed, 3);
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), cohort.len());
    for (row, entry) in rows.iter().zip(&cohort) {
        assert_eq!(&row[0], entry.subject.to_string());
        assert_eq!(&row[1], entry.subject_name);
        assert_eq!(&row[2], entry.band);
        assert_eq!(&row[3], entry.total.to_string());
        assert_eq!(&row[5], entry.trend.as_str());
        assert_eq!(&row[8], if entry.overdue { "yes" } else { "no" });
    }
    assert!(audit_actions(&mut wb).iter().any(|a| a == "list.export"));
    // An existing file is never overwritten.
    assert!(wb.export_pib_list(&out, as_of).is_err());
    wb.lock().unwrap();

    // Without a purpose the export is refused and nothing is written.
    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    let refused = dir.path().join("refused.csv");
    assert!(matches!(
        wb.export_pib_list(&refused, as_of),
        Err(WorkbenchError::PurposeRequired { .. })
    ));
    assert!(!refused.exists());
}

#[test]
fn the_demo_has_a_beacon_cohort_with_every_trend() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, answers) = small_demo(dir.path());
    let cohort = wb.beacon_cohort(IsoDate::today_utc()).unwrap();
    let mut subjects: Vec<NominalId> = cohort.iter().map(|e| e.subject).collect();
    subjects.sort();
    let mut planned = answers.beacon_subjects.clone();
    planned.sort();
    assert_eq!(subjects, planned);
    for trend in [Trend::New, Trend::Rising, Trend::Falling, Trend::Steady] {
        assert!(cohort.iter().any(|e| e.trend == trend), "{trend:?}");
    }
    assert!(cohort.iter().any(|e| e.overdue));
}

#[test]
fn the_cli_registers_lists_counts_and_exports() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let (staff, associate) = {
        let mut wb =
            Workbench::unlock(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD).unwrap();
        let staff = employee(&mut wb, "S900100", "Ingram");
        let associate = person(&mut wb, "Jarvis");
        wb.lock().unwrap();
        (staff, associate)
    };
    let document = sandbox.path("na.json");
    std::fs::write(
        &document,
        serde_json::json!({
            "employee": staff.0,
            "associate": associate.0,
            "category": "journalist",
            "origin": "declared",
            "declared_on": "2025-01-10",
            "conditions": "Declared friendship; no work topics.",
        })
        .to_string(),
    )
    .unwrap();
    let output = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["--purpose", PURPOSE, "na", "add", "--json"])
        .arg(&document)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("(journalist, declared), first review 2026-01-10"),
        "{said}"
    );

    let list = |args: &[&str]| -> Vec<Value> {
        let output = sandbox
            .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
            .args(["--purpose", PURPOSE, "na", "list", "--json"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice(&output.stdout).unwrap()
    };
    assert_eq!(list(&[]).len(), 1);
    assert_eq!(list(&[])[0]["record"]["category"], "journalist");
    assert_eq!(list(&["--overdue", "--on", "2026-02-01"]).len(), 1);
    assert_eq!(list(&["--overdue", "--on", "2026-01-10"]).len(), 0);
    assert_eq!(list(&["--due", "--on", "2025-12-20"]).len(), 1);
    assert_eq!(list(&["--status", "closed"]).len(), 0);
    assert_eq!(list(&[])[0]["associate_name"], "Alex JARVIS");

    let output = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["--purpose", PURPOSE, "na", "counts", "--json"])
        .output()
        .unwrap();
    let counts: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(counts["by_category"]["journalist"], 1);

    // A document with a missing field names the file and the line.
    let bad = sandbox.path("bad.json");
    std::fs::write(&bad, "{\n  \"employee\": 1\n}\n").unwrap();
    let output = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["--purpose", PURPOSE, "na", "add", "--json"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("bad.json"), "{message}");
    assert!(message.contains("line"), "{message}");

    // The cohort and the PIB list.
    {
        let mut wb =
            Workbench::unlock(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD).unwrap();
        wb.set_purpose(PURPOSE).unwrap();
        let beacon = wb.instrument("beacon", None).unwrap();
        let answers: Answers = beacon
            .factors()
            .iter()
            .map(|f| (f.key.clone(), f.options.last().unwrap().key.clone()))
            .collect();
        wb.assess("beacon", staff, &answers, "synthetic", date("2026-02-01"))
            .unwrap();
        wb.lock().unwrap();
    }
    let pib = sandbox.path("pib.csv");
    let output = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args([
            "--purpose",
            PURPOSE,
            "beacon",
            "cohort",
            "--json",
            "--pib-out",
        ])
        .arg(&pib)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let cohort: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(cohort.len(), 1);
    assert_eq!(cohort[0]["subject"], staff.0);
    assert_eq!(cohort[0]["trend"], "new");
    let text = std::fs::read_to_string(&pib).unwrap();
    assert!(text.starts_with("subject_id,name,band,total"));
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn the_session_clock_decides_what_is_in_the_future_and_which_reviews_are_overdue() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("clock.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let staff = employee(&mut wb, "S700900", "Ashdown");
    let friend = person(&mut wb, "Brightwell");

    // A day long before the system's today: every date below is in the past by the wall clock.
    let fixed = IsoDate::today_utc().plus_days(-1_000);
    wb.set_clock(Clock::fixed(fixed));
    assert_eq!(wb.today(), fixed);

    // The day after the session's today is in the future for this session.
    match wb.register_notifiable_association(&NaDraft {
        declared_on: fixed.plus_days(1),
        ..draft(staff, friend)
    }) {
        Err(WorkbenchError::Invalid(invalid)) => assert_eq!(invalid.errors[0].field, "declared_on"),
        other => panic!("expected the declaration date refused, got {other:?}"),
    }
    let entry = wb
        .register_notifiable_association(&NaDraft {
            declared_on: fixed,
            ..draft(staff, friend)
        })
        .unwrap();
    assert!(entry.review_due_on > fixed);

    let overdue = NaFilter {
        review: NaReviewFilter::Overdue,
        ..NaFilter::default()
    };
    let listed = |wb: &mut Workbench| -> Vec<_> {
        let today = wb.today();
        wb.notifiable_associations(&overdue, today)
            .unwrap()
            .into_iter()
            .map(|row| row.record.id)
            .collect()
    };
    assert!(
        !listed(&mut wb).contains(&entry.id),
        "not overdue on its day"
    );

    // The day after the review was due, the same entry is overdue.
    wb.set_clock(Clock::fixed(entry.review_due_on.plus_days(1)));
    assert!(
        listed(&mut wb).contains(&entry.id),
        "overdue after its review date"
    );
    assert!(wb.verify_audit_log().unwrap().is_intact());
}

/// Issue 20, correction 9. Seed 000 s4.12: each association is reviewed annually "with
/// consideration given to risk, necessity and proportionality". A review records the reviewer,
/// the rationale and an outcome (continue unchanged, conditions changed, closed, escalated);
/// the relationship is a field of its own beside the associate's category, and `na counts`
/// gives both.
#[test]
fn notifiable_association_reviews_have_substance() {
    use ccu_workbench::domain::{NaRelationship, NaReviewOutcome};
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let mut wb = Workbench::unlock(&sandbox.workbench(), DETECTIVE, DETECTIVE_PASSWORD).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let officer = employee(&mut wb, "NA901", "Reviewed");
    let brother = person(&mut wb, "Brother");
    let reporter = person(&mut wb, "Reporter");
    let partner = person(&mut wb, "Partner");
    let mut family = draft(officer, brother);
    family.category = "criminal".into();
    family.relationship = Some(NaRelationship::CloseFamily);
    let family = wb.register_notifiable_association(&family).unwrap();
    assert_eq!(family.relationship, Some(NaRelationship::CloseFamily));
    let mut press = draft(officer, reporter);
    press.category = "journalist".into();
    press.relationship = Some(NaRelationship::Friend);
    let press = wb.register_notifiable_association(&press).unwrap();
    let unrecorded = wb
        .register_notifiable_association(&draft(officer, partner))
        .unwrap();

    let review = |outcome, rationale: &str, conditions: Option<&str>| NaChange::Reviewed {
        reviewed_on: date("2026-04-01"),
        next_due_on: date("2027-04-01"),
        outcome,
        rationale: rationale.into(),
        conditions: conditions.map(str::to_owned),
    };
    // A review without a rationale, or "conditions changed" without the conditions, is refused.
    for (bad, field) in [
        (
            review(NaReviewOutcome::ContinueUnchanged, "  ", None),
            "rationale",
        ),
        (
            review(NaReviewOutcome::ConditionsChanged, "Risk grew.", None),
            "conditions",
        ),
        (
            review(NaReviewOutcome::Escalated, "Risk grew.", Some("New rule")),
            "conditions",
        ),
    ] {
        match wb.change_notifiable_association(family.id, None, &bad) {
            Err(WorkbenchError::Invalid(invalid)) => assert_eq!(invalid.errors[0].field, field),
            other => panic!("{other:?}"),
        }
    }
    let changed = wb
        .change_notifiable_association(
            family.id,
            None,
            &review(
                NaReviewOutcome::ConditionsChanged,
                "The brother was charged this year: necessary to restrict contact about work.",
                Some("No discussion of police work; report any contact to the CCU."),
            ),
        )
        .unwrap();
    assert_eq!(
        changed.conditions,
        "No discussion of police work; report any contact to the CCU."
    );
    assert_eq!(changed.review_due_on, date("2027-04-01"));
    let escalated = wb
        .change_notifiable_association(
            press.id,
            None,
            &review(
                NaReviewOutcome::Escalated,
                "Stories matching restricted briefings: referred for assessment.",
                None,
            ),
        )
        .unwrap();
    assert_eq!(escalated.status, NaStatus::Live);
    let closed = wb
        .change_notifiable_association(
            unrecorded.id,
            None,
            &review(
                NaReviewOutcome::Closed,
                "The relationship ended in January; no longer needs managing.",
                None,
            ),
        )
        .unwrap();
    assert_eq!(closed.status, NaStatus::Closed);
    assert_eq!(closed.closed_on, Some(date("2026-04-01")));

    let reviews = wb.association_reviews(family.id).unwrap();
    assert_eq!(reviews.len(), 1, "refused reviews are not recorded");
    assert_eq!(reviews[0].outcome, NaReviewOutcome::ConditionsChanged);
    assert_eq!(reviews[0].reviewer_name, DETECTIVE);
    assert!(reviews[0].rationale.starts_with("The brother was charged"));
    assert_eq!(
        wb.association_reviews(unrecorded.id).unwrap()[0].next_due_on,
        None
    );
    drop(wb);

    // The CLI records a review, lists them, and counts by category and by relationship.
    let cli = |args: &[&str]| {
        sandbox
            .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
            .args(["--purpose", PURPOSE])
            .args(args)
            .output()
            .unwrap()
    };
    let out = cli(&[
        "na",
        "review",
        &press.id.0.to_string(),
        "--outcome",
        "continue_unchanged",
        "--rationale",
        "Reviewed after the referral: contact is social only.",
        "--on",
        "2026-05-01",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = cli(&[
        "na",
        "review",
        &press.id.0.to_string(),
        "--outcome",
        "maybe",
        "--rationale",
        "x",
    ]);
    assert!(!out.status.success());
    let out = cli(&["na", "reviews", &press.id.0.to_string(), "--json"]);
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let outcomes: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["escalated", "continue_unchanged"]);
    let out = cli(&["na", "counts", "--json"]);
    let counts: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(counts["by_category"]["criminal"], 1);
    assert_eq!(counts["by_category"]["journalist"], 1);
    assert_eq!(counts["by_relationship"]["close_family"], 1);
    assert_eq!(counts["by_relationship"]["friend"], 1);
    assert!(
        counts["by_relationship"].get("not_recorded").is_none(),
        "the closed one is not live"
    );
}

/// Answers for every Beacon factor at its lowest, with the given ones raised.
fn beacon_answers(wb: &Workbench, raised: &[(&str, &str)]) -> ccu_workbench::risk::Answers {
    let instrument = wb.instrument("beacon", None).unwrap();
    instrument
        .factors()
        .iter()
        .map(|f| {
            let answer = raised
                .iter()
                .find(|(factor, _)| *factor == f.key)
                .map_or_else(|| f.options[0].key.clone(), |(_, a)| (*a).to_owned());
            (f.key.clone(), answer)
        })
        .collect()
}

/// Issue 20, correction 8 (seed 001 s4.8, Operation Beacon): the subject is an employee; an
/// inspector can remove a subject from the cohort with a rationale (a new assessment brings
/// them back); an item in sexual misconduct or abuse of authority for a sexual purpose puts
/// its subject on the "Beacon assessment due" list until they are assessed; instrument v2
/// raises any confirmed sexualised communication or physical contact to at least High; the
/// IOPC referral decision is recorded and the PIB pack shows it.
#[test]
fn operation_beacon() {
    use ccu_workbench::risk::IopcDecision;
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let mut wb = Workbench::unlock(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let officer = employee(&mut wb, "BC101", "Beaconed");
    let other = employee(&mut wb, "BC102", "Lookalike");
    let member_of_public = person(&mut wb, "Public");

    // Instrument v2: one confirmed instance of physical contact, or sexualised messages, is
    // at least High whatever the low total.
    let instrument = wb.instrument("beacon", None).unwrap();
    assert_eq!(instrument.version(), 2);
    for raised in [
        [("physical_contact_flirtation", "confirmed")],
        [("unnecessary_communication", "sexualised")],
    ] {
        let score = ccu_workbench::risk::score(&instrument, &beacon_answers(&wb, &raised)).unwrap();
        assert_eq!(score.band, "High", "{raised:?}");
        assert!(score.raised_by.is_some());
    }
    let suspected = ccu_workbench::risk::score(
        &instrument,
        &beacon_answers(&wb, &[("physical_contact_flirtation", "suspected")]),
    )
    .unwrap();
    assert_eq!(suspected.band, "Low");
    // Version 1 did not: it stays as it was for the assessments it scored.
    let v1 = wb.instrument("beacon", Some(1)).unwrap();
    let mut v1_answers = beacon_answers(&wb, &[]);
    v1_answers.insert("unnecessary_communication".into(), "sexualised".into());
    v1_answers.insert("physical_contact_flirtation".into(), "none_known".into());
    assert_eq!(
        ccu_workbench::risk::score(&v1, &v1_answers).unwrap().band,
        "Medium",
        "version 1 did not raise it to High"
    );

    // The subject must be an employee.
    assert!(matches!(
        wb.assess(
            "beacon",
            member_of_public,
            &beacon_answers(&wb, &[]),
            "Scored.",
            date("2026-03-01")
        ),
        Err(WorkbenchError::Refused(_))
    ));

    // An item about sexual misconduct puts its subject (not a witness) on the due list.
    let mut item = common::item_fields(officer, "Synthetic report of messages to a witness.");
    item.category = "sexual_misconduct".into();
    item.subcategory = None;
    item.received_on = date("2026-04-01");
    item.subjects.push(ccu_workbench::domain::Subject {
        nominal_id: other,
        role: "witness".into(),
    });
    let reported = wb.create_item(&item, None).unwrap();
    let mut authority = common::item_fields(other, "Synthetic: an unrelated abuse of authority.");
    authority.category = "abuse_of_authority".into();
    authority.subcategory = Some("abuse_of_authority.gain_or_loss".into());
    wb.create_item(&authority, None).unwrap();
    let due = wb.beacon_due().unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].subject, officer);
    assert_eq!(due[0].item, reported.reference);
    assert_eq!(due[0].last_assessed_on, None);
    // Assessed since the item was received: no longer due.
    wb.assess(
        "beacon",
        officer,
        &beacon_answers(&wb, &[("unnecessary_communication", "sexualised")]),
        "Messages found on the force phone.",
        date("2026-04-10"),
    )
    .unwrap();
    assert!(wb.beacon_due().unwrap().is_empty());
    let cohort = wb.beacon_cohort(date("2026-04-10")).unwrap();
    assert_eq!(cohort[0].band, "High");

    // The IOPC decision: not referred needs a reason; the PIB pack shows the latest.
    let not_referred = IopcDecision {
        referred: false,
        decided_on: date("2026-04-11"),
        reason: String::new(),
    };
    assert!(wb.record_iopc_decision(officer, &not_referred).is_err());
    wb.record_iopc_decision(
        officer,
        &IopcDecision {
            reason: "Below the mandatory referral criteria; managed locally.".into(),
            ..not_referred.clone()
        },
    )
    .unwrap();
    wb.record_iopc_decision(
        officer,
        &IopcDecision {
            referred: true,
            decided_on: date("2026-04-20"),
            reason: String::new(),
        },
    )
    .unwrap();
    let today = wb.today();
    let cohort = wb.beacon_cohort(today).unwrap();
    assert_eq!(
        cohort[0].iopc.as_ref().unwrap().describe(),
        "Referred to the IOPC on 2026-04-20"
    );
    let pack = sandbox.path("pib.html");
    wb.export_pib_pack(today.plus_days(-30), &pack).unwrap();
    let html = std::fs::read_to_string(&pack).unwrap();
    assert!(html.contains("IOPC referral") && html.contains("Referred to the IOPC on 2026-04-20"));

    // Removal: an inspector with a rationale; a detective is refused; a new assessment brings
    // the subject back.
    drop(wb);
    let mut detective =
        Workbench::unlock(&sandbox.workbench(), DETECTIVE, DETECTIVE_PASSWORD).unwrap();
    detective.set_purpose(PURPOSE).unwrap();
    assert!(matches!(
        detective.remove_from_beacon_cohort(officer, "No longer a concern."),
        Err(WorkbenchError::PermissionDenied { .. })
    ));
    drop(detective);
    let mut wb = Workbench::unlock(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    assert!(wb.remove_from_beacon_cohort(officer, "  ").is_err());
    wb.remove_from_beacon_cohort(
        officer,
        "Investigation found the messages were sent by another person.",
    )
    .unwrap();
    assert!(wb.beacon_cohort(today).unwrap().is_empty());
    assert!(
        wb.remove_from_beacon_cohort(officer, "Again.").is_err(),
        "not in the cohort"
    );
    wb.assess(
        "beacon",
        officer,
        &beacon_answers(&wb, &[]),
        "New intelligence: reassessed.",
        today,
    )
    .unwrap();
    assert_eq!(wb.beacon_cohort(today).unwrap()[0].subject, officer);
    let actions: Vec<String> = wb
        .audit_entries(1, 10_000)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.iter().any(|a| a == "cohort.remove"));
    assert_eq!(actions.iter().filter(|a| *a == "cohort.iopc").count(), 2);
}
