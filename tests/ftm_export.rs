//! FollowTheMoney export (issue 8): every live nominal and link of the small demo leaves as an
//! FtM entity, the export is an audited disclosure that needs a purpose, and the file parses
//! with the `followthemoney` Python library (`tests/ftm_validate.py`) with no problem.
//!
//! Without `followthemoney` the library check says it was skipped, unless `CCU_REQUIRE_FTM=1`
//! (CI with it installed), when a missing library fails it.

// A failing unwrap is a failing test with a clear location.
#![allow(clippy::unwrap_used)]

use ccu_workbench::crypto::KdfParams;
use ccu_workbench::demo::DemoScale;
use ccu_workbench::domain::NominalKind;
use ccu_workbench::workbench::{DemoSpec, Workbench};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;

fn small_demo(dir: &Path) -> Workbench {
    let spec = DemoSpec {
        admin_name: "DI Export",
        password: "demo pass phrase",
        kdf: CHEAP,
        scale: DemoScale::Small,
        seed: 11,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (wb, _) =
        Workbench::create_demo(&dir.join("ftm.ccuwb"), &spec, &mut |_| {}, &cancel).unwrap();
    wb
}

fn entities(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn every_live_nominal_and_link_is_exported_once_with_references_that_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    wb.set_purpose("OP-FTM-TEST").unwrap();
    let out = dir.path().join("share.ftm.jsonl");
    let (nominals, links) = wb.export_ftm(&out).unwrap();

    // The graph holds every live nominal and every link between them.
    let graph = wb
        .link_graph(&ccu_workbench::graph::GraphFilter::default())
        .unwrap();
    assert_eq!(nominals, graph.node_count(), "every live nominal");
    assert_eq!(
        links,
        graph.edge_count(),
        "every link between live nominals"
    );

    let exported = entities(&out);
    assert_eq!(exported.len(), nominals + links);
    let ids: BTreeSet<&str> = exported.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), exported.len(), "ids are unique");
    let mut by_schema: BTreeMap<&str, usize> = BTreeMap::new();
    for entity in &exported {
        *by_schema
            .entry(entity["schema"].as_str().unwrap())
            .or_default() += 1;
    }
    let people = graph
        .nodes()
        .filter(|node| matches!(node.kind, NominalKind::Employee | NominalKind::Person))
        .count();
    assert_eq!(by_schema.get("Person").copied().unwrap_or(0), people);
    for schema in ["Organization", "UserAccount", "Membership", "Associate"] {
        assert!(by_schema.contains_key(schema), "{schema} in {by_schema:?}");
    }
    // Every reference a link makes names a nominal in the file.
    for entity in exported
        .iter()
        .filter(|e| e["id"].as_str().unwrap().starts_with("ccu-link-"))
    {
        let properties = entity["properties"].as_object().unwrap();
        let ends: Vec<&str> = [
            "person",
            "relative",
            "associate",
            "member",
            "organization",
            "employee",
            "employer",
            "subject",
            "object",
        ]
        .iter()
        .filter_map(|p| properties.get(*p))
        .flat_map(|values| values.as_array().unwrap())
        .map(|value| value.as_str().unwrap())
        .collect();
        assert_eq!(ends.len(), 2, "{entity}");
        assert!(ends.iter().all(|end| ids.contains(end)), "{entity}");
    }

    let recorded = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .find(|e| e.action == "graph.export")
        .unwrap();
    assert_eq!(recorded.justification, "OP-FTM-TEST");
    assert!(
        recorded.detail.contains("\"format\":\"ftm\""),
        "{}",
        recorded.detail
    );
    assert!(recorded.detail.contains("sha256"));

    // The file is never overwritten.
    let before = std::fs::read(&out).unwrap();
    assert!(wb.export_ftm(&out).is_err());
    assert_eq!(std::fs::read(&out).unwrap(), before);
}

#[test]
fn an_export_without_a_purpose_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    let out = dir.path().join("share.ftm.jsonl");
    assert!(wb.export_ftm(&out).is_err());
    assert!(!out.exists());
}

#[test]
fn the_export_parses_with_the_followthemoney_library_without_a_problem() {
    let python = std::env::var("CCU_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_ftm = std::process::Command::new(&python)
        .args(["-c", "import followthemoney"])
        .status()
        .is_ok_and(|status| status.success());
    if !has_ftm {
        assert!(
            std::env::var_os("CCU_REQUIRE_FTM").is_none(),
            "CCU_REQUIRE_FTM is set but {python} cannot import followthemoney"
        );
        eprintln!("skipped: {python} cannot import followthemoney (pip install followthemoney)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    wb.set_purpose("OP-FTM-TEST").unwrap();
    let out = dir.path().join("share.ftm.jsonl");
    let (nominals, links) = wb.export_ftm(&out).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ftm_validate.py");
    let output = std::process::Command::new(&python)
        .arg(&script)
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["problems"], serde_json::json!([]), "{report}");
    let parsed: u64 = report["schemas"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(parsed, (nominals + links) as u64, "{report}");
}
