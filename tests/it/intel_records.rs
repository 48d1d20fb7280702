//! The intelligence log through the library: items, nominals, links, attachments, search,
//! reference data versions, history, duplicates, merges, and the audit entry of each.

use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{
    Grading, IntelItemFields, IntelQuery, LinkFields, NominalDetails, NominalId, NominalKind,
    PersonFlags, Provenance, SearchQuery, SearchTarget, Subject,
};
use ccu_workbench::workbench::WorkbenchError;

fn person(fore: &str, sur: &str, dob: &str) -> NominalDetails {
    NominalDetails::Person {
        forenames: fore.into(),
        surname: sur.into(),
        aliases: vec![],
        date_of_birth: Some(dob.parse().unwrap()),
        flags: PersonFlags::default(),
    }
}

fn employee(staff_number: &str, fore: &str, sur: &str) -> NominalDetails {
    NominalDetails::Employee {
        staff_number: staff_number.into(),
        forenames: fore.into(),
        surname: sur.into(),
        rank_grade: "PC".into(),
        role: "Response officer".into(),
        department: "Response".into(),
        employee_type: "officer".into(),
        vetting_level: Some("RV".into()),
        vetting_expiry: None,
        status: "serving".into(),
        date_of_birth: None,
    }
}

fn item(subject: NominalId, narrative: &str) -> IntelItemFields {
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
        subcategory: Some("disclosure.criminals".into()),
        subjects: vec![Subject {
            nominal_id: subject,
            role: "subject".into(),
        }],
        next_review_on: Some("2026-12-14".parse().unwrap()),
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    wb: Workbench,
    officer: NominalId,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbench::create(
        &dir.path().join("log.ccuwb"),
        INSPECTOR,
        INSPECTOR_PASSWORD,
        CHEAP,
    )
    .unwrap();
    wb.set_purpose("OP-LOG-TEST").unwrap();
    let officer = wb
        .create_nominal(employee("S100200", "Robin", "Fieldhouse"), false)
        .unwrap()
        .id;
    Setup {
        _dir: dir,
        wb,
        officer,
    }
}

fn audit_actions(wb: &mut Workbench) -> Vec<(String, String, String)> {
    wb.audit_entries(1, 100_000)
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.object, e.justification))
        .collect()
}

#[test]
fn items_are_created_viewed_edited_and_keep_their_history() {
    let Setup {
        mut wb, officer, ..
    } = setup();
    let created = wb
        .create_item(&item(officer, "Original synthetic account."), None)
        .unwrap();
    assert!(created.reference.starts_with("CCU/2026/"));
    assert_eq!(created.status, "received");
    assert_eq!(created.version, 1);
    assert_eq!(created.reference_version, 2);
    assert_eq!(created.owner_id, wb.user().id);

    let viewed = wb.view_item(&created.reference).unwrap();
    assert_eq!(viewed.fields, created.fields);

    let mut edited_fields = created.fields.clone();
    edited_fields.narrative = "Amended synthetic account.".into();
    edited_fields.grading.handling_code = "C".into();
    edited_fields.grading.handling_conditions = Some("CCU only".into());
    let edited = wb.update_item(&created.reference, &edited_fields).unwrap();
    assert_eq!(edited.version, 2);
    assert_eq!(edited.fields.narrative, "Amended synthetic account.");

    let history = wb.item_history(&created.reference).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].version, 1);
    assert_eq!(
        history[0].item.fields.narrative,
        "Original synthetic account."
    );
    assert_eq!(history[0].replaced_by, wb.user().id);
    assert_eq!(history[0].change, "edited: narrative, grading");

    let actions = audit_actions(&mut wb);
    let object = format!("item:{}", created.reference);
    for action in ["item.create", "item.view", "item.edit", "item.history"] {
        let entry = actions
            .iter()
            .find(|(a, o, _)| a == action && *o == object)
            .unwrap_or_else(|| panic!("{action} not audited"));
        assert_eq!(entry.2, "OP-LOG-TEST", "{action} carries the purpose");
    }
}

#[test]
fn status_moves_only_along_allowed_transitions() {
    let Setup {
        mut wb, officer, ..
    } = setup();
    let item = wb.create_item(&item(officer, "Synthetic."), None).unwrap();
    let err = wb
        .change_item_status(&item.reference, "closed", "done")
        .unwrap_err();
    match &err {
        WorkbenchError::IllegalTransition { from, to, allowed } => {
            assert_eq!(
                (from.as_str(), to.as_str(), allowed.as_str()),
                ("received", "closed", "assessed")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        wb.view_item(&item.reference).unwrap().version,
        1,
        "nothing written"
    );
    assert!(wb.item_history(&item.reference).unwrap().is_empty());
    assert!(matches!(
        wb.change_item_status(&item.reference, "assessed", "   "),
        Err(WorkbenchError::Invalid(_))
    ));

    for status in ["assessed", "development", "closed"] {
        wb.change_item_status(&item.reference, status, "synthetic reason")
            .unwrap();
    }
    let closed = wb.view_item(&item.reference).unwrap();
    assert_eq!((closed.status.as_str(), closed.version), ("closed", 4));
    assert!(matches!(
        wb.change_item_status(&item.reference, "received", "reopen"),
        Err(WorkbenchError::IllegalTransition { .. })
    ));
    let history = wb.item_history(&item.reference).unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(
        history[2].change,
        "status development -> closed: synthetic reason"
    );
}

#[test]
fn invalid_items_are_refused_with_every_field_named_and_nothing_written() {
    let Setup {
        mut wb, officer, ..
    } = setup();
    let before = wb.intel_count(&IntelQuery::default()).unwrap();
    let mut bad = item(officer, "Synthetic.");
    bad.grading.handling_code = "C".into();
    bad.grading.source_evaluation = "9".into();
    bad.category = "parking".into();
    bad.subcategory = None;
    bad.received_on = "2099-01-01".parse().unwrap();
    bad.next_review_on = None;
    let err = wb.create_item(&bad, None).unwrap_err();
    let WorkbenchError::Invalid(invalid) = &err else {
        panic!("{err:?}");
    };
    assert!(
        invalid
            .message_for("grading.handling_conditions")
            .unwrap()
            .contains("requires its conditions")
    );
    assert_eq!(
        invalid.message_for("grading.source_evaluation"),
        Some("unknown code: expected one of 1, 2, 3")
    );
    assert!(
        invalid
            .message_for("category")
            .unwrap()
            .starts_with("unknown code")
    );
    assert_eq!(invalid.message_for("received_on"), Some("is in the future"));
    assert!(
        err.to_string()
            .starts_with("the intelligence item is not valid: ")
    );

    let mut ghost = item(officer, "Synthetic.");
    ghost.subjects[0].nominal_id = NominalId(999_999);
    assert!(
        wb.create_item(&ghost, None)
            .unwrap_err()
            .to_string()
            .contains("does not exist")
    );
    assert_eq!(wb.intel_count(&IntelQuery::default()).unwrap(), before);
}

#[test]
fn links_need_provenance_and_existing_nominals() {
    let Setup {
        mut wb, officer, ..
    } = setup();
    let associate = wb
        .create_nominal(person("Casey", "Holloway", "1985-05-05"), false)
        .unwrap()
        .id;
    let intel = wb
        .create_item(&item(officer, "Synthetic association."), None)
        .unwrap();
    let mut fields = LinkFields {
        link_type: "friend".into(),
        from: officer,
        to: associate,
        valid_from: Some("2025-01-01".parse().unwrap()),
        valid_to: None,
        confidence: "probable".into(),
        provenance: vec![],
    };
    let err = wb.create_link(&fields).unwrap_err();
    assert!(
        err.to_string()
            .contains("provenance: a link needs provenance"),
        "{err}"
    );

    fields.provenance = vec![Provenance::IntelItem {
        reference: "CCU/2026/999999".into(),
    }];
    assert!(
        wb.create_link(&fields)
            .unwrap_err()
            .to_string()
            .contains("does not exist")
    );
    assert!(
        wb.view_nominal(officer).unwrap().links.is_empty(),
        "nothing written"
    );

    fields.provenance = vec![Provenance::IntelItem {
        reference: intel.reference.clone(),
    }];
    let link = wb.create_link(&fields).unwrap();
    assert!(!link.directed);
    let profile = wb.view_nominal(associate).unwrap();
    assert_eq!(profile.links.len(), 1);
    assert_eq!(profile.links[0].fields.provenance, fields.provenance);
    assert_eq!(profile.linked_names[0].0, officer);
}

#[test]
fn phone_numbers_written_differently_are_one_nominal() {
    let Setup { mut wb, .. } = setup();
    let phone = wb
        .create_nominal(
            NominalDetails::Phone {
                number: "07700 900456".into(),
            },
            false,
        )
        .unwrap();
    assert_eq!(
        phone.details.identity_key().as_deref(),
        Some("+447700900456")
    );
    let err = wb
        .create_nominal(
            NominalDetails::Phone {
                number: "+44 7700 900456".into(),
            },
            false,
        )
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert!(matches!(
        wb.create_nominal(
            NominalDetails::Phone {
                number: "123".into()
            },
            false
        ),
        Err(WorkbenchError::Invalid(_))
    ));
}

#[test]
fn likely_duplicates_are_shown_with_reasons_before_anything_is_written() {
    let Setup { mut wb, .. } = setup();
    let first = wb
        .create_nominal(person("John", "Smith", "1980-04-02"), false)
        .unwrap();
    let err = wb
        .create_nominal(person("Jon", "Smyth", "1980-04-02"), false)
        .unwrap_err();
    let WorkbenchError::PossibleDuplicates(matches) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(matches[0].nominal_id, first.id);
    assert!(
        matches[0]
            .reasons
            .contains(&"same date of birth".to_owned())
    );
    assert!(
        !err.to_string().contains("Smith"),
        "error messages carry no names: {err}"
    );
    let checked = wb
        .check_duplicates(person("Jon", "Smyth", "1980-04-02"))
        .unwrap();
    assert_eq!(checked[0].nominal_id, first.id);

    // Confirmed by the detective, it is recorded; an unrelated person raises nothing.
    let second = wb
        .create_nominal(person("Jon", "Smyth", "1980-04-02"), true)
        .unwrap();
    assert_ne!(second.id, first.id);
    wb.create_nominal(person("Aaliyah", "Brennan-Okoro", "1999-12-30"), false)
        .unwrap();
    let actions = audit_actions(&mut wb);
    assert!(
        actions
            .iter()
            .filter(|(a, _, _)| a == "nominal.duplicates")
            .count()
            >= 2
    );
}

#[test]
fn merging_needs_an_inspector_and_keeps_both_histories() {
    let Setup {
        mut wb, officer, ..
    } = setup();
    let a = wb
        .create_nominal(person("Dana", "Whitlock", "1970-01-01"), false)
        .unwrap()
        .id;
    let b = wb
        .create_nominal(person("Dana", "Whitlocke", "1970-01-01"), true)
        .unwrap()
        .id;
    let mut fields = item(officer, "Synthetic.");
    fields.subjects.push(Subject {
        nominal_id: b,
        role: "associate".into(),
    });
    let intel = wb.create_item(&fields, None).unwrap();

    wb.merge_nominals(a, b).unwrap();
    let kept = wb.view_nominal(a).unwrap();
    assert_eq!(
        kept.items.len(),
        1,
        "the item now concerns the kept nominal"
    );
    assert_eq!(kept.items[0].0.reference, intel.reference);
    let gone = wb.view_nominal(b).unwrap();
    assert_eq!(gone.nominal.merged_into, Some(a));
    assert!(gone.items.is_empty());
    assert_eq!(wb.nominal_history(a).unwrap().len(), 1);
    assert_eq!(wb.nominal_history(b).unwrap().len(), 1);
    assert!(matches!(
        wb.merge_nominals(a, b),
        Err(WorkbenchError::Refused(_))
    ));
}

#[test]
fn attachments_stay_inside_and_saving_one_is_a_recorded_disclosure() {
    let Setup {
        mut wb,
        officer,
        _dir: dir,
    } = setup();
    let intel = wb.create_item(&item(officer, "Synthetic."), None).unwrap();
    let info = wb
        .attach_file(
            &intel.reference,
            "/tmp/statement.txt",
            b"synthetic statement text",
        )
        .unwrap();
    assert_eq!(info.file_name, "statement.txt");
    assert_eq!(info.media_type, "text/plain");
    let (_, content) = wb.view_attachment(info.id).unwrap();
    assert_eq!(content, b"synthetic statement text");
    let out = dir.path().join("saved.txt");
    wb.export_attachment(info.id, &out).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), b"synthetic statement text");
    assert!(
        wb.export_attachment(info.id, &out).is_err(),
        "never overwrites"
    );
    let too_big =
        vec![0u8; usize::try_from(ccu_workbench::workbench::MAX_ATTACHMENT_BYTES).unwrap() + 1];
    assert!(matches!(
        wb.attach_file(&intel.reference, "big.bin", &too_big),
        Err(WorkbenchError::AttachmentTooLarge { .. })
    ));
    let actions = audit_actions(&mut wb);
    let export = actions
        .iter()
        .find(|(a, _, _)| a == "attachment.export")
        .unwrap();
    assert_eq!(export.2, "OP-LOG-TEST");
    assert!(actions.iter().any(|(a, _, _)| a == "attachment.view"));
}

#[test]
fn a_new_reference_data_version_applies_to_new_records_only() {
    let Setup {
        mut wb, officer, ..
    } = setup();
    let old = wb
        .create_item(&item(officer, "Graded under version 2."), None)
        .unwrap();
    let mut next = ccu_workbench::io::reference_file::shipped_default().unwrap();
    next.version = 3;
    next.title = "Force code lists 2027".into();
    for code in next.lists.get_mut("corruption_category").unwrap() {
        if code.code == "disclosure" {
            code.retired = true;
        }
    }
    let mut wrong_number = next.clone();
    wrong_number.version = 5;
    assert!(wb.publish_reference_data(wrong_number).is_err());
    assert_eq!(wb.publish_reference_data(next).unwrap(), 3);

    let err = wb.create_item(&item(officer, "New."), None).unwrap_err();
    assert!(err.to_string().contains("category"), "{err}");
    let mut current = item(officer, "New.");
    current.category = "misuse_of_systems".into();
    current.subcategory = None;
    assert_eq!(wb.create_item(&current, None).unwrap().reference_version, 3);
    assert_eq!(
        wb.view_item(&old.reference).unwrap().reference_version,
        2,
        "old records keep theirs"
    );
    assert_eq!(wb.reference_version(1).unwrap().unwrap().version, 1);
}

#[test]
fn the_log_pages_filters_and_records_each_query_once() {
    let Setup {
        mut wb, officer, ..
    } = setup();
    for n in 0..12 {
        let mut fields = item(officer, &format!("Synthetic item {n}."));
        fields.received_on = format!("2026-0{}-1{}", 1 + n % 9, n % 10).parse().unwrap();
        if n % 3 == 0 {
            fields.category = "vulnerability".into();
            fields.subcategory = None;
        }
        wb.create_item(&fields, None).unwrap();
    }
    let query = IntelQuery {
        category: Some("vulnerability".into()),
        descending: true,
        ..IntelQuery::default()
    };
    assert_eq!(wb.intel_count(&query).unwrap(), 4);
    let first = wb.intel_page(&query, 0, 2).unwrap();
    let second = wb.intel_page(&query, 2, 2).unwrap();
    assert_eq!(first.len() + second.len(), 4);
    assert!(
        first
            .iter()
            .chain(&second)
            .all(|row| row.category == "vulnerability")
    );
    assert!(first[0].received_on >= first[1].received_on);
    assert!(first[1].received_on >= second[0].received_on);
    let listed = audit_actions(&mut wb)
        .into_iter()
        .filter(|(a, _, _)| a == "item.list")
        .count();
    assert_eq!(listed, 1, "two pages of one query are one consultation");
}

#[test]
fn the_demo_plants_what_search_and_duplicate_checks_find() {
    let dir = tempfile::tempdir().unwrap();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let mut stages = Vec::new();
    let spec = ccu_workbench::workbench::DemoSpec {
        admin_name: "DI Demo",
        password: "demo pass phrase",
        kdf: CHEAP,
        scale: ccu_workbench::demo::DemoScale::Small,
        seed: 11,
    };
    let (mut wb, answers) = Workbench::create_demo(
        &dir.path().join("demo.ccuwb"),
        &spec,
        &mut |p| stages.push(p.stage),
        &cancel,
    )
    .unwrap();
    assert!(stages.contains(&"items"));
    assert_eq!(answers.employees, 2_120);
    assert!((150..=160).contains(&answers.declared_associations));
    wb.set_purpose("OP-DEMO-CHECK").unwrap();
    assert_eq!(wb.intel_count(&IntelQuery::default()).unwrap(), 600);

    for planted in &answers.planted_terms {
        let hits = wb
            .search(&SearchQuery {
                text: planted.term.clone(),
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(hits.len(), 1, "{}", planted.term);
        let SearchTarget::Item { id } = hits[0].target else {
            panic!("a planted term is in an item");
        };
        assert_eq!(hits[0].title, planted.reference);
        assert!(hits[0].snippet.contains(&format!("«{}»", planted.term)));
        assert!(id.0 > 0);
    }
    // Filters narrow item hits.
    let all = wb
        .search(&SearchQuery {
            text: "information".into(),
            limit: Some(1000),
            ..SearchQuery::default()
        })
        .unwrap();
    let filtered = wb
        .search(&SearchQuery {
            text: "information".into(),
            category: Some("vulnerability".into()),
            limit: Some(1000),
            ..SearchQuery::default()
        })
        .unwrap();
    assert!(!filtered.is_empty() && filtered.len() < all.len());
    for hit in &filtered {
        let SearchTarget::Item { .. } = hit.target else {
            panic!("filters keep items only")
        };
        assert_eq!(
            wb.view_item(&hit.title).unwrap().fields.category,
            "vulnerability"
        );
    }
    // Nominals are found by name, as you type.
    let prefix = wb
        .search(&SearchQuery {
            text: "Smy".into(),
            nominals_only: true,
            ..SearchQuery::default()
        })
        .unwrap();
    assert!(prefix.iter().any(|h| h.title.contains("SMYTH")));
    // A kind keeps the nominals of that kind, and no item: of everything an employee's surname
    // finds (the employee, namesakes, items about them), the employees.
    let NominalDetails::Employee { surname, .. } = wb
        .view_nominal(answers.beacon_subjects[0])
        .unwrap()
        .nominal
        .details
    else {
        panic!("a Beacon subject is an employee")
    };
    let everything = wb
        .search(&SearchQuery {
            text: surname.clone(),
            limit: Some(1000),
            ..SearchQuery::default()
        })
        .unwrap();
    let mut employees_among_everything = Vec::new();
    for hit in &everything {
        if let SearchTarget::Nominal { id } = hit.target
            && wb.view_nominal(id).unwrap().nominal.details.kind() == NominalKind::Employee
        {
            employees_among_everything.push(id);
        }
    }
    let employees = wb
        .search(&SearchQuery {
            text: surname,
            nominal_kind: Some(NominalKind::Employee),
            limit: Some(1000),
            ..SearchQuery::default()
        })
        .unwrap();
    let mut found: Vec<NominalId> = employees
        .iter()
        .map(|hit| match hit.target {
            SearchTarget::Nominal { id } => id,
            SearchTarget::Item { .. } => panic!("a kind keeps nominals only"),
        })
        .collect();
    assert!(found.contains(&answers.beacon_subjects[0]));
    assert!(found.len() < everything.len(), "others were left out");
    found.sort_unstable();
    employees_among_everything.sort_unstable();
    assert_eq!(found, employees_among_everything);

    for (a, b) in &answers.near_duplicates {
        let copy = wb.view_nominal(*b).unwrap().nominal.details;
        let found = wb.check_duplicates(copy).unwrap();
        assert!(
            found.iter().any(|m| m.nominal_id == *a),
            "{a} should be suggested"
        );
    }
    let exposure = &answers.exposures[0];
    let profile = wb.view_nominal(exposure.employee).unwrap();
    assert!(
        profile
            .links
            .iter()
            .any(|l| l.fields.to == exposure.associate && l.fields.link_type == "friend")
    );

    let searches = audit_actions(&mut wb)
        .into_iter()
        .filter(|(a, _, j)| a == "search" && j == "OP-DEMO-CHECK")
        .count();
    assert!(searches >= answers.planted_terms.len() + 3);
}

#[test]
fn common_words_are_ranked_among_the_newest_matches() {
    let Setup { mut wb, .. } = setup();
    let cap = ccu_workbench::store::SEARCH_ITEM_CANDIDATES;
    {
        let conn = wb.store_for_tests().raw_connection();
        let mut insert = conn
            .prepare("INSERT INTO search_index (rowid, title, body) VALUES (?1, ?2, ?3)")
            .unwrap();
        for n in 1..=(cap + 100) {
            let rowid = i64::try_from(n * 2).unwrap();
            let body = if n == 1 {
                "commonword rareword"
            } else {
                "commonword"
            };
            insert
                .execute(rusqlite::params![rowid, format!("T{n}"), body])
                .unwrap();
        }
    }
    let hits = wb
        .search(&SearchQuery {
            text: "commonword".into(),
            limit: Some(1000),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(
        hits.len(),
        cap,
        "the newest {cap} matching items are ranked"
    );
    for hit in &hits {
        let SearchTarget::Item { id } = hit.target else {
            panic!("items only here")
        };
        assert!(id.0 > 100, "{id:?} is older than the newest {cap} matches");
    }
    // With few matches, everything is ranked: the oldest row is found by a word only it has.
    let rare = wb
        .search(&SearchQuery {
            text: "rareword".into(),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(rare.len(), 1);
    assert_eq!(rare[0].title, "T1");
}

/// Regression (issue 3, search speed): ranking only the newest matches must not hide a
/// nominal named by the query beneath many newer items that mention the name.
#[test]
fn a_named_nominal_is_found_beneath_many_newer_items_that_mention_it() {
    let Setup { mut wb, .. } = setup();
    let cap = ccu_workbench::store::SEARCH_ITEM_CANDIDATES;
    {
        let conn = wb.store_for_tests().raw_connection();
        conn.execute(
            "INSERT INTO nominal_search_index (rowid, title, body, facets)
             VALUES (500, 'Quillon TESTPERSON', 'person', '_kind_nominal _k_person')",
            [],
        )
        .unwrap();
        let mut insert = conn
            .prepare("INSERT INTO search_index (rowid, title, body, facets) VALUES (?1, ?2, ?3, '_kind_item')")
            .unwrap();
        for n in 1..=(cap * 3) {
            let rowid = i64::try_from(n * 2).unwrap();
            insert
                .execute(rusqlite::params![
                    rowid,
                    format!("T{n}"),
                    "Seen talking with Quillon at the gate, a long narrative about the meeting."
                ])
                .unwrap();
        }
    }
    let hits = wb
        .search(&SearchQuery {
            text: "quillon".into(),
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(
        hits[0].target,
        SearchTarget::Nominal {
            id: ccu_workbench::domain::NominalId(500)
        },
        "the nominal whose name is the query ranks first: {:?}",
        &hits[..3]
    );
    assert_eq!(hits[0].snippet, "Quillon TESTPERSON");
    assert!(hits[1].snippet.contains("«Quillon»"), "{}", hits[1].snippet);
}

#[test]
fn filters_match_status_and_grading_and_never_the_words_typed() {
    let Setup {
        mut wb, officer, ..
    } = setup();
    let first = wb
        .create_item(&item(officer, "Synthetic gravel report."), None)
        .unwrap();
    let mut other = item(officer, "Synthetic gravel account.");
    other.grading.source_evaluation = "1".into();
    wb.create_item(&other, None).unwrap();
    wb.change_item_status(&first.reference, "assessed", "graded")
        .unwrap();
    let search = |wb: &mut Workbench, text: &str, status: Option<&str>, se: Option<&str>| {
        wb.search(&SearchQuery {
            text: text.into(),
            status: status.map(Into::into),
            source_evaluation: se.map(Into::into),
            ..SearchQuery::default()
        })
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect::<Vec<_>>()
    };
    assert_eq!(search(&mut wb, "gravel", None, None).len(), 2);
    assert_eq!(
        search(&mut wb, "gravel", Some("assessed"), None),
        vec![first.reference.clone()]
    );
    assert_eq!(
        search(&mut wb, "gravel", Some("received"), Some("1")).len(),
        1
    );
    assert!(search(&mut wb, "gravel", Some("closed"), None).is_empty());
    // Filter tokens are not words: "st" as typed matches no status token.
    assert!(search(&mut wb, "st", None, None).is_empty());
    assert!(search(&mut wb, "kind_item", None, None).is_empty());
    assert!(search(&mut wb, "_cat", None, None).is_empty());
    assert!(search(&mut wb, "gravel cat", None, None).is_empty());
    assert!(search(&mut wb, "gravel qx", None, None).is_empty());
    assert!(search(&mut wb, "gravel _st", None, None).is_empty());
}

#[test]
fn an_item_is_viewed_with_its_attachments_and_names_in_one_recorded_consultation() {
    let Setup {
        mut wb,
        officer,
        _dir: dir,
    } = setup();
    let intel = wb.create_item(&item(officer, "Synthetic."), None).unwrap();
    let file = dir.path().join("note.txt");
    let note = b"synthetic note";
    std::fs::write(&file, note).unwrap();
    let attached = wb.attach_file_from_path(&intel.reference, &file).unwrap();
    assert_eq!(attached.file_name, "note.txt");
    assert_eq!(attached.size_bytes, u64::try_from(note.len()).unwrap());

    let views_before = audit_actions(&mut wb)
        .iter()
        .filter(|(a, _, _)| a == "item.view")
        .count();
    let view = wb.view_item_with_context(&intel.reference).unwrap();
    assert_eq!(view.item, wb.view_item(&intel.reference).unwrap());
    assert_eq!(view.attachments, wb.attachments(&intel.reference).unwrap());
    assert_eq!(view.user_names, wb.user_names().unwrap());
    assert!(view.user_names.iter().any(|(id, _)| *id == intel.owner_id));
    let officer_name = wb
        .view_nominal(officer)
        .unwrap()
        .nominal
        .details
        .display_name();
    assert_eq!(view.subject_names, vec![(officer, officer_name)]);
    let views_after = audit_actions(&mut wb)
        .iter()
        .filter(|(a, _, _)| a == "item.view")
        .count();
    // This view and the plain `view_item` above: one entry each.
    assert_eq!(views_after, views_before + 2);
    assert!(matches!(
        wb.view_item_with_context("CCU/2026/999999"),
        Err(WorkbenchError::NoSuchItem)
    ));
}

#[test]
fn a_file_is_attached_from_its_path_within_the_size_limit_and_errors_name_only_the_file() {
    let Setup {
        mut wb,
        officer,
        _dir: dir,
    } = setup();
    let intel = wb.create_item(&item(officer, "Synthetic."), None).unwrap();
    let limit = ccu_workbench::workbench::MAX_ATTACHMENT_BYTES;

    // Over the limit by its size on disk: refused before it is read (a sparse file).
    let big = dir.path().join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(limit + 1)
        .unwrap();
    assert!(matches!(
        wb.attach_file_from_path(&intel.reference, &big),
        Err(WorkbenchError::AttachmentTooLarge { size, .. }) if size == limit + 1
    ));

    // A file that cannot be read: the error names the file, not its folder.
    let missing = dir.path().join("missing-statement.txt");
    let err = wb
        .attach_file_from_path(&intel.reference, &missing)
        .unwrap_err();
    assert!(matches!(err, WorkbenchError::FileRead { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("missing-statement.txt"), "{message}");
    assert!(
        !message.contains(&*dir.path().to_string_lossy()),
        "{message}"
    );

    // An item that does not exist is refused; nothing was attached by any of the above.
    let small = dir.path().join("small.txt");
    std::fs::write(&small, b"synthetic").unwrap();
    assert!(matches!(
        wb.attach_file_from_path("CCU/2026/999999", &small),
        Err(WorkbenchError::NoSuchItem)
    ));
    assert!(wb.attachments(&intel.reference).unwrap().is_empty());

    let info = wb.attach_file_from_path(&intel.reference, &small).unwrap();
    let (_, content) = wb.view_attachment(info.id).unwrap();
    assert_eq!(content, b"synthetic");
    assert_eq!(
        audit_actions(&mut wb)
            .iter()
            .filter(|(a, _, _)| a == "attachment.add")
            .count(),
        1
    );
}

/// Issue 22: a profile lists the newest 500 items a subject appears in, and says that the log
/// holds the rest rather than letting 500 pass for all of them.
#[test]
fn a_subject_profile_lists_the_newest_items_and_says_the_log_has_the_rest() {
    use ccu_workbench::workbench::SUBJECT_ITEMS_SHOWN;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("many.ccuwb");
    let mut wb = ccu_workbench::Workbench::create(
        &root,
        crate::common::INSPECTOR,
        crate::common::INSPECTOR_PASSWORD,
        crate::common::CHEAP,
    )
    .unwrap();
    wb.set_purpose("OP-MANY").unwrap();
    let officer = wb
        .create_nominal(crate::common::employee("AB12", "Robin", "Many"), false)
        .unwrap()
        .id;
    for n in 0..=SUBJECT_ITEMS_SHOWN {
        wb.create_item(
            &crate::common::item_fields(officer, &format!("Synthetic report {n}.")),
            None,
        )
        .unwrap();
    }
    let profile = wb.subject_profile(officer).unwrap();
    assert_eq!(profile.intelligence.len(), SUBJECT_ITEMS_SHOWN);
    let sections = profile.sections(wb.reference_data());
    let intelligence = sections.iter().find(|s| s.key == "intelligence").unwrap();
    assert_eq!(intelligence.lines.len(), SUBJECT_ITEMS_SHOWN);
    assert!(
        intelligence
            .note
            .as_deref()
            .is_some_and(|n| n.contains("the intelligence log has every item")),
        "{:?}",
        intelligence.note
    );
    wb.lock().unwrap();
}
