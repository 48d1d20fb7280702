//! The record commands of the CLI: intel, nominal, link, search, reference and demo, with their
//! JSON documents, errors (file, line, field) and exit codes, and the audit entry of each.

use crate::common;

use crate::common::{INSPECTOR, INSPECTOR_PASSWORD, Sandbox, audit_json};
use serde_json::{Value, json};

const PURPOSE: &str = "OP-CLI-RECORDS";

fn run(sandbox: &Sandbox, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut cmd = sandbox.cli_as(INSPECTOR, INSPECTOR_PASSWORD);
    cmd.arg("--purpose").arg(PURPOSE).args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    cmd.output().unwrap()
}

fn ok(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn failure(output: &std::process::Output, code: i32) -> String {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

fn write(sandbox: &Sandbox, name: &str, value: &Value) -> String {
    let path = sandbox.path(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    path.display().to_string()
}

fn item_json(subject: i64) -> Value {
    json!({
        "received_on": "2026-08-01",
        "source_type": "anonymous_email",
        "narrative": "Synthetic report of a vehicle check run for a friend.",
        "grading": {"source_evaluation": "2", "intelligence_assessment": "C", "handling_code": "P"},
        "category": "misuse_of_systems",
        "subjects": [{"nominal_id": subject, "role": "subject"}]
    })
}

fn new_officer(sandbox: &Sandbox) -> i64 {
    let file = write(
        sandbox,
        "officer.json",
        &json!({"kind": "employee", "staff_number": "S900001", "forenames": "Morgan", "surname": "Ashdown",
                "employee_type": "officer", "status": "serving", "rank_grade": "PC"}),
    );
    ok(&run(sandbox, &["nominal", "add", "--json", &file], None))
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn items_are_recorded_shown_patched_and_moved_through_statuses() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let officer = new_officer(&sandbox);

    // From a file, and from standard input.
    let file = write(&sandbox, "item.json", &item_json(officer));
    let reference = ok(&run(&sandbox, &["intel", "add", "--json", &file], None))
        .trim()
        .to_owned();
    assert!(reference.starts_with("CCU/2026/"), "{reference}");
    let second = ok(&run(
        &sandbox,
        &["intel", "add"],
        Some(&item_json(officer).to_string()),
    ));
    assert_ne!(second.trim(), reference);

    let shown: Value = serde_json::from_str(&ok(&run(
        &sandbox,
        &["intel", "show", &reference, "--json"],
        None,
    )))
    .unwrap();
    assert_eq!(shown["status"], "received");
    assert_eq!(shown["category"], "misuse_of_systems");
    assert_eq!(shown["grading"]["source_evaluation"], "2");
    let text = ok(&run(&sandbox, &["intel", "show", &reference], None));
    assert!(text.contains("Misusing force systems"), "{text}");

    let patch = write(
        &sandbox,
        "patch.json",
        &json!({"narrative": "Synthetic report, amended."}),
    );
    ok(&run(
        &sandbox,
        &["intel", "update", &reference, "--json", &patch],
        None,
    ));
    let history = ok(&run(&sandbox, &["intel", "history", &reference], None));
    assert!(history.contains("version 1 replaced"), "{history}");
    assert!(history.contains("edited: narrative"), "{history}");

    let refused = failure(
        &run(
            &sandbox,
            &["intel", "status", &reference, "closed", "--reason", "x"],
            None,
        ),
        7,
    );
    assert!(
        refused.contains("cannot move to closed; allowed next: assessed"),
        "{refused}"
    );
    ok(&run(
        &sandbox,
        &[
            "intel", "status", &reference, "assessed", "--reason", "graded",
        ],
        None,
    ));

    let listed: Vec<Value> = serde_json::from_str(&ok(&run(
        &sandbox,
        &["intel", "list", "--json", "--status", "assessed"],
        None,
    )))
    .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["reference"], reference.as_str());

    let entries = audit_json(&sandbox);
    let object = format!("item:{reference}");
    for action in [
        "item.create",
        "item.view",
        "item.edit",
        "item.status",
        "item.history",
        "item.list",
    ] {
        let found = entries.iter().find(|e| {
            e["action"] == action && (e["object"] == object.as_str() || action == "item.list")
        });
        let entry = found.unwrap_or_else(|| panic!("{action} not in the audit log"));
        assert_eq!(entry["justification"], PURPOSE, "{action}");
    }
}

#[test]
fn bad_documents_name_the_file_line_and_field_and_write_nothing() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let officer = new_officer(&sandbox);

    let mut bad_date = item_json(officer);
    bad_date["received_on"] = json!("2026-02-30");
    let file = write(&sandbox, "bad-date.json", &bad_date);
    let err = failure(&run(&sandbox, &["intel", "add", "--json", &file], None), 7);
    let line = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .position(|l| l.contains("2026-02-30"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("bad-date.json: line {line} column")),
        "{err}"
    );
    assert!(err.contains("YYYY-MM-DD"), "{err}");

    let mut unknown = item_json(officer);
    unknown["grading"]["handling_code"] = json!("C");
    unknown["category"] = json!("jaywalking");
    let file = write(&sandbox, "unknown.json", &unknown);
    let err = failure(&run(&sandbox, &["intel", "add", "--json", &file], None), 7);
    assert!(
        err.contains("grading.handling_conditions: handling code C requires its conditions"),
        "{err}"
    );
    assert!(err.contains("category: unknown code"), "{err}");

    let file = write(
        &sandbox,
        "extra.json",
        &json!({"received_on": "2026-01-01", "colour": "blue"}),
    );
    let err = failure(&run(&sandbox, &["intel", "add", "--json", &file], None), 7);
    assert!(err.contains("unknown field `colour`"), "{err}");

    let listed: Vec<Value> =
        serde_json::from_str(&ok(&run(&sandbox, &["intel", "list", "--json"], None))).unwrap();
    assert!(listed.is_empty(), "nothing was written");
}

#[test]
fn nominals_links_and_duplicates_through_the_cli() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let officer = new_officer(&sandbox);
    let person = json!({"kind": "person", "forenames": "Kathryn", "surname": "Thomson", "date_of_birth": "1984-03-09"});
    let first: i64 = ok(&run(
        &sandbox,
        &[
            "nominal",
            "add",
            "--json",
            &write(&sandbox, "p1.json", &person),
        ],
        None,
    ))
    .trim()
    .parse()
    .unwrap();
    let near = json!({"kind": "person", "forenames": "Katherine", "surname": "Thompson", "date_of_birth": "1984-03-09"});
    let near_file = write(&sandbox, "p2.json", &near);
    let err = failure(
        &run(&sandbox, &["nominal", "add", "--json", &near_file], None),
        7,
    );
    assert!(err.contains(&format!("nominal {first} (")), "{err}");
    assert!(err.contains("same date of birth"), "{err}");
    assert!(!err.contains("Thomson"), "no names in errors: {err}");
    let listed: Vec<Value> = serde_json::from_str(&ok(&run(
        &sandbox,
        &["nominal", "duplicates", "--json", &near_file],
        None,
    )))
    .unwrap();
    assert_eq!(listed[0]["nominal_id"], first);
    assert!(
        listed[0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "same date of birth")
    );
    let second: i64 = ok(&run(
        &sandbox,
        &["nominal", "add", "--json", &near_file, "--allow-duplicates"],
        None,
    ))
    .trim()
    .parse()
    .unwrap();

    let reference = ok(&run(
        &sandbox,
        &["intel", "add"],
        Some(&item_json(officer).to_string()),
    ))
    .trim()
    .to_owned();
    let mut link = json!({"link_type": "friend", "from": officer, "to": second, "confidence": "possible", "provenance": []});
    let err = failure(
        &run(
            &sandbox,
            &["link", "add", "--json", &write(&sandbox, "l1.json", &link)],
            None,
        ),
        7,
    );
    assert!(err.contains("provenance: a link needs provenance"), "{err}");
    link["provenance"] = json!([{"kind": "intel_item", "reference": reference}]);
    ok(&run(
        &sandbox,
        &["link", "add", "--json", &write(&sandbox, "l2.json", &link)],
        None,
    ));

    let profile: Value = serde_json::from_str(&ok(&run(
        &sandbox,
        &["nominal", "show", &second.to_string(), "--json"],
        None,
    )))
    .unwrap();
    assert_eq!(profile["links"].as_array().unwrap().len(), 1);
    assert_eq!(
        profile["links"][0]["provenance"][0]["reference"],
        reference.as_str()
    );
    assert_eq!(profile["nominal"]["surname"], "Thompson");

    let entries = audit_json(&sandbox);
    for action in [
        "nominal.create",
        "nominal.duplicates",
        "link.create",
        "nominal.view",
    ] {
        assert!(
            entries
                .iter()
                .any(|e| e["action"] == action && e["justification"] == PURPOSE),
            "{action}"
        );
    }
}

#[test]
fn the_demo_command_builds_a_searchable_workbench_and_its_answers_in_test_mode() {
    let sandbox = Sandbox::new();
    let answers_path = sandbox.path("answers.json");
    sandbox
        .cli()
        .env("CCU_NEW_PASSWORD", "demo pass phrase")
        .args(["demo", "--scale", "small", "--seed", "3", "--answers"])
        .arg(&answers_path)
        .assert()
        .success()
        .stdout(predicates::str::contains("600 items"));
    let answers: Value = serde_json::from_slice(&std::fs::read(&answers_path).unwrap()).unwrap();
    let term = answers["planted_terms"][0]["term"].as_str().unwrap();
    let reference = answers["planted_terms"][0]["reference"].as_str().unwrap();
    let out = sandbox
        .cli_as("DC Demo", "demo pass phrase")
        .args(["--purpose", "OP-DEMO", "search", term, "--json"])
        .output()
        .unwrap();
    let hits: Vec<Value> = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["title"], reference);
    assert_eq!(hits[0]["target"]["kind"], "item");

    // Searching needs a purpose.
    let out = sandbox
        .cli_as("DC Demo", "demo pass phrase")
        .args(["search", term])
        .output()
        .unwrap();
    failure(&out, 4);

    // Without --answers nothing is written beside the workbench.
    let other = sandbox.path("plain-demo.ccuwb");
    sandbox
        .cli()
        .env("CCU_WORKBENCH", &other)
        .env("CCU_NEW_PASSWORD", "demo pass phrase")
        .args(["demo", "--scale", "small"])
        .assert()
        .success();
    let beside: Vec<_> = std::fs::read_dir(sandbox.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        beside
            .iter()
            .filter(|n| n.to_string_lossy().ends_with(".json"))
            .count(),
        1,
        "{beside:?}"
    );
}

#[test]
fn reference_data_is_shown_and_published_by_inspectors_only() {
    let sandbox = Sandbox::new();
    sandbox.create_with_detective();
    let shown: Value =
        serde_json::from_str(&ok(&run(&sandbox, &["reference", "show", "--json"], None))).unwrap();
    assert_eq!(shown["version"], 2);
    let mut next = shown.clone();
    next["version"] = json!(3);
    next["title"] = json!("Force lists 2027");
    let file = write(&sandbox, "ref3.json", &next);
    let out = sandbox
        .cli_as(common::DETECTIVE, common::DETECTIVE_PASSWORD)
        .args(["reference", "publish", &file])
        .output()
        .unwrap();
    failure(&out, 4);
    let mut broken = next.clone();
    broken["lists"]
        .as_object_mut()
        .unwrap()
        .remove("vetting_level");
    let err = failure(
        &run(
            &sandbox,
            &[
                "reference",
                "publish",
                &write(&sandbox, "bad.json", &broken),
            ],
            None,
        ),
        7,
    );
    assert!(err.contains("vetting_level is missing"), "{err}");
    assert!(ok(&run(&sandbox, &["reference", "publish", &file], None)).contains("version 3"));
    let shown: Value =
        serde_json::from_str(&ok(&run(&sandbox, &["reference", "show", "--json"], None))).unwrap();
    assert_eq!(shown["title"], "Force lists 2027");
}
