//! Issue 24: the synthetic force Beacon screening is judged on (`common::beacon_force`) imports
//! with its example specs and nothing else: every row of every extract is stored, none
//! rejected, every officer, person and party matched, and every member of staff and person a
//! planted pattern or look-alike names is known to the workbench by the id its system gave
//! them. The generator is deterministic, and each seed plants each pattern and look-alike at
//! least three times, each by its own member of staff.

use crate::common::beacon_force::{self, ForceSize, INDICATORS, READINGS};
use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD};
use ccu_workbench::Workbench;
use ccu_workbench::domain::ImportKind;
use ccu_workbench::io::import_spec;
use ccu_workbench::workbench::ImportOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use std::path::Path;

const PURPOSE: &str = "OP BEACON: proactive screening for abuse of position";

/// Every file of the set, by name, with its bytes.
fn files(force: &beacon_force::BeaconForce) -> BTreeMap<String, Vec<u8>> {
    force
        .extracts
        .iter()
        .map(|e| {
            (
                e.file.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&e.file).unwrap(),
            )
        })
        .collect()
}

fn written(dir: &Path, seed: u64) -> beacon_force::BeaconForce {
    std::fs::create_dir_all(dir).unwrap();
    beacon_force::write_force(dir, seed, ForceSize::TEST)
}

#[test]
fn beacon_force_imports_with_its_specs_and_every_planted_name_is_matched() {
    let dir = tempfile::tempdir().unwrap();
    let force = written(&dir.path().join("exports"), 1);
    assert_eq!(force.today, time::OffsetDateTime::now_utc().date());
    let kinds: Vec<&str> = force.extracts.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            "nominals",
            "nominals",
            "nominals",
            "cases",
            "audit_events",
            "calls",
            "deployments"
        ]
    );
    let size = ForceSize::TEST;
    let rows: BTreeMap<&str, usize> = force
        .extracts
        .iter()
        .map(|e| (e.kind, e.rows))
        .filter(|(kind, _)| *kind != "nominals")
        .collect();
    assert_eq!(rows["audit_events"], size.audit_rows);
    assert_eq!(rows["calls"], size.calls);
    assert_eq!(rows["deployments"], size.deployments);
    assert!(rows["cases"] > size.cases);
    // Written as exporters write them.
    for (name, bytes) in files(&force) {
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{name}: BOM");
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'));
    }

    let mut wb = Workbench::create(
        &dir.path().join("beacon.ccuwb"),
        INSPECTOR,
        INSPECTOR_PASSWORD,
        CHEAP,
    )
    .unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let started = std::time::Instant::now();
    for (n, extract) in force.extracts.iter().enumerate() {
        let text = std::fs::read_to_string(&extract.spec).unwrap();
        let spec = import_spec::parse(&text, &extract.spec.display().to_string()).unwrap();
        assert_eq!(
            spec.kind.as_str(),
            extract.kind,
            "{}",
            extract.spec.display()
        );
        let report = wb
            .import_bulk_file(&spec, &extract.file, ImportOptions::default(), &mut |_| {
                ControlFlow::Continue(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", extract.file.display()));
        let name = extract.file.display().to_string();
        let written = extract.rows as u64;
        assert_eq!(report.rows_rejected, 0, "{name}: {:?}", report.rejects);
        assert_eq!(report.rows_read, written, "{name}");
        assert_eq!(report.rows_imported, written, "{name}");
        let m = &report.matched;
        match n {
            // The staff list: an employee and a work mobile each, linked.
            0 => {
                assert_eq!(written, size.staff as u64);
                assert_eq!(report.nominals_created, 2 * written, "{name}");
                assert_eq!(report.links_created, written, "{name}");
            }
            // The person list: the people, and the phones of those who have one, linked.
            1 => {
                assert_eq!(written, size.people as u64);
                let phones = report.nominals_created - written;
                assert!(phones > written / 2, "{name}: {phones}");
                assert_eq!(report.links_created, phones, "{name}");
            }
            // The control room's person index: everyone already known, given the CAD id.
            2 => assert_eq!(report.nominals_created, 0, "{name}"),
            _ => {
                let kind = ImportKind::parse(extract.kind).unwrap();
                assert_eq!(wb.bulk_record_count(kind).unwrap(), written, "{name}");
                if kind != ImportKind::Calls {
                    assert_eq!((m.staff, m.subjects), (written, written), "{name}: {m:?}");
                }
            }
        }
    }
    eprintln!(
        "beacon force (TEST) imported in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Every member of staff and person a pattern or look-alike names is known by its id.
    let reader = wb.store_for_tests().reader();
    let matcher = reader.nominal_matcher().unwrap();
    let names = force
        .planted
        .iter()
        .map(|p| (p.staff_number.as_str(), p.person_id.as_str()))
        .chain(
            force
                .look_alikes
                .iter()
                .map(|l| (l.staff_number.as_str(), l.person_id.as_str())),
        );
    for (staff, person) in names {
        assert!(matcher.staff(staff).is_some(), "{staff}");
        assert!(matcher.external("rms", person).is_some(), "{person}");
    }
    // A case-based pattern's person is a party to its case.
    let cases = reader.cases_with_victims().unwrap();
    for planted in &force.planted {
        let Some(reference) = &planted.case_reference else {
            assert_eq!(planted.indicator, "self_deployment");
            continue;
        };
        let person = matcher.external("rms", &planted.person_id);
        assert!(
            cases
                .iter()
                .any(|c| &c.reference == reference && c.victim == person),
            "{planted:?}"
        );
    }
    // Every deployment has its officer and person matched.
    let deployments = reader.deployments().unwrap();
    assert_eq!(deployments.len(), size.deployments);
    assert!(
        deployments
            .iter()
            .all(|d| d.officer.is_some() && d.person.is_some())
    );
    assert!(deployments.iter().any(|d| d.person_id_system.is_some()));
    assert!(deployments.iter().any(|d| d.person_surname.is_some()));
}

#[test]
fn beacon_force_is_deterministic_and_seeds_differ() {
    let dir = tempfile::tempdir().unwrap();
    let first = written(&dir.path().join("a"), 1);
    let again = written(&dir.path().join("b"), 1);
    let other = written(&dir.path().join("c"), 2);
    assert_eq!(files(&first), files(&again));
    assert_eq!(first.planted, again.planted);
    assert_eq!(first.look_alikes, again.look_alikes);
    assert_ne!(files(&first), files(&other));
    assert_ne!(first.planted, other.planted);
    assert_ne!(first.look_alikes, other.look_alikes);
}

#[test]
fn beacon_force_plants_each_pattern_and_look_alike_three_times_per_seed() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 0..10 {
        let force = written(&dir.path().join(seed.to_string()), seed);
        for indicator in INDICATORS {
            let n = force
                .planted
                .iter()
                .filter(|p| p.indicator == indicator)
                .count();
            assert!(n >= 3, "seed {seed}: {indicator} {n}");
        }
        for reading in READINGS {
            let n = force
                .look_alikes
                .iter()
                .filter(|l| l.reading == reading)
                .count();
            assert!(n >= 3, "seed {seed}: {reading} {n}");
        }
        assert!(
            force
                .planted
                .iter()
                .all(|p| INDICATORS.contains(&p.indicator)
                    && (p.case_reference.is_none() == (p.indicator == "self_deployment")))
        );
        // Each pattern and look-alike by its own member of staff, about its own person.
        let staff: BTreeSet<&str> = force
            .planted
            .iter()
            .map(|p| p.staff_number.as_str())
            .chain(force.look_alikes.iter().map(|l| l.staff_number.as_str()))
            .collect();
        let people: BTreeSet<&str> = force
            .planted
            .iter()
            .map(|p| p.person_id.as_str())
            .chain(force.look_alikes.iter().map(|l| l.person_id.as_str()))
            .collect();
        let total = force.planted.len() + force.look_alikes.len();
        assert_eq!((staff.len(), people.len()), (total, total), "seed {seed}");
    }
}
