//! Risk tools on temporary workbenches, through the library and the CLI: the shipped
//! instruments, publishing new versions (inspectors only, numbered one more than the newest),
//! assessments kept as scored, re-scoring under another version factor by factor, and the audit
//! entry of each.

use crate::common;

use crate::common::{CHEAP, DETECTIVE, DETECTIVE_PASSWORD, INSPECTOR, INSPECTOR_PASSWORD, Sandbox};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{IsoDate, NominalDetails, NominalId, PersonFlags, Role};
use ccu_workbench::io::instrument_file;
use ccu_workbench::risk::{Answers, FactorChange, Instrument, Points};
use ccu_workbench::workbench::WorkbenchError;
use serde_json::Value;

const PURPOSE: &str = "OP-RISK-TOOLS";
const RATIONALE: &str = "Synthetic rationale: corroborated by two look-up audits.";

/// A small instrument whose scores are easy to compute by hand. Highest total: 2×3 + 1.5×2 +
/// 1×4 = 13.
const TOOL_V1: &str = r##"key = "synthetic_tool"
name = "Synthetic tool"
version = 1
description = "Synthetic instrument for tests."
review_days = 90

[[factors]]
key = "alpha"
label = "Alpha"
guidance = "Alpha guidance."
weight = 2
options = [
  { key = "none", label = "None", score = 0 },
  { key = "some", label = "Some", score = 1 },
  { key = "many", label = "Many", score = 3 },
]

[[factors]]
key = "beta"
label = "Beta"
guidance = "Beta guidance."
weight = 1.5
options = [
  { key = "no", label = "No", score = 0 },
  { key = "yes", label = "Yes", score = 2 },
]

[[factors]]
key = "gamma"
label = "Gamma"
guidance = "Gamma guidance."
weight = 1
options = [
  { key = "low", label = "Low", score = 0 },
  { key = "high", label = "High", score = 4 },
]

[[bands]]
label = "Low"
from = 0
to = 5
colour = "#2e7d32"
review_days = 180

[[bands]]
label = "High"
from = 5
to = 13
colour = "#c62828"
review_days = 30
"##;

/// Version 2: alpha weighs 2.5, beta is dropped, gamma is unchanged, delta is new. Highest
/// total: 2.5×3 + 1×4 + 1×2 = 13.5.
const TOOL_V2: &str = r##"key = "synthetic_tool"
name = "Synthetic tool"
version = 2
description = "Synthetic instrument for tests, revised."
review_days = 90

[[factors]]
key = "alpha"
label = "Alpha"
guidance = "Alpha guidance."
weight = 2.5
options = [
  { key = "none", label = "None", score = 0 },
  { key = "some", label = "Some", score = 1 },
  { key = "many", label = "Many", score = 3 },
]

[[factors]]
key = "gamma"
label = "Gamma"
guidance = "Gamma guidance."
weight = 1
options = [
  { key = "low", label = "Low", score = 0 },
  { key = "high", label = "High", score = 4 },
]

[[factors]]
key = "delta"
label = "Delta"
guidance = "Delta guidance."
weight = 1
options = [
  { key = "none", label = "None", score = 0 },
  { key = "some", label = "Some", score = 2 },
]

[[bands]]
label = "Low"
from = 0
to = 5
colour = "#2e7d32"
review_days = 180

[[bands]]
label = "High"
from = 5
to = 13.5
colour = "#c62828"
review_days = 30
"##;

/// The version-1 answers: alpha some (2 × 1 = 2), beta yes (1.5 × 2 = 3), gamma low (0):
/// total 5, band High (from 5 inclusive), review in 30 days.
fn v1_answers() -> Answers {
    [("alpha", "some"), ("beta", "yes"), ("gamma", "low")]
        .into_iter()
        .map(|(f, a)| (f.to_owned(), a.to_owned()))
        .collect()
}

fn tool(text: &str) -> Instrument {
    instrument_file::parse(text, "tool.toml").unwrap()
}

fn date(text: &str) -> IsoDate {
    text.parse().unwrap()
}

fn person(wb: &mut Workbench, surname: &str) -> NominalId {
    wb.create_nominal(
        NominalDetails::Person {
            forenames: "Robin".into(),
            surname: surname.into(),
            aliases: vec![],
            date_of_birth: None,
            flags: PersonFlags::default(),
        },
        false,
    )
    .unwrap()
    .id
}

fn new_workbench(dir: &tempfile::TempDir) -> Workbench {
    let mut wb = Workbench::create(
        &dir.path().join("risk.ccuwb"),
        INSPECTOR,
        INSPECTOR_PASSWORD,
        CHEAP,
    )
    .unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    wb
}

#[test]
fn shipped_defaults_are_present_after_create_and_audited_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let wb = new_workbench(&dir);
    let versions = wb.instruments().unwrap();
    // Every shipped version is stored, oldest first per key; the newest of each is in force.
    let mut latest: Vec<(&str, u32)> = versions
        .iter()
        .filter(|v| v.latest)
        .map(|v| (v.key.as_str(), v.version))
        .collect();
    latest.sort_unstable();
    assert_eq!(
        latest,
        [
            ("beacon", 2),
            ("intelligence_priority", 2),
            ("notifiable_association", 1)
        ]
    );
    for v in &versions {
        assert!(v.shipped_default, "{v:?}");
        assert_eq!(v.published_by, None);
        assert_eq!(v.publisher, "shipped default");
        assert_eq!(wb.instrument(&v.key, None).unwrap().key(), v.key);
    }
    let shipped = instrument_file::shipped().unwrap();
    assert_eq!(versions.len(), shipped.len());
    for instrument in &shipped {
        assert_eq!(
            &wb.instrument(instrument.key(), Some(instrument.version()))
                .unwrap(),
            instrument
        );
    }
    // Unlocking again installs nothing more.
    let root = wb.root().to_path_buf();
    wb.lock().unwrap();
    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    assert_eq!(wb.instruments().unwrap().len(), shipped.len());
    let installed: Vec<_> = wb
        .audit_entries(1, 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "instrument.publish")
        .collect();
    assert_eq!(installed.len(), shipped.len());
    assert!(
        installed
            .iter()
            .all(|e| e.detail.contains("shipped default"))
    );
}

#[test]
fn only_an_inspector_can_publish_and_a_refusal_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = new_workbench(&dir);
    wb.add_user(DETECTIVE, Role::Detective, DETECTIVE_PASSWORD)
        .unwrap();
    let root = wb.root().to_path_buf();
    wb.lock().unwrap();

    let mut detective = Workbench::unlock(&root, DETECTIVE, DETECTIVE_PASSWORD).unwrap();
    let before = detective.instruments().unwrap();
    let refused = detective.publish_instrument(tool(TOOL_V1));
    assert!(
        matches!(refused, Err(WorkbenchError::PermissionDenied { .. })),
        "{refused:?}"
    );
    assert_eq!(detective.instruments().unwrap(), before);
    detective.lock().unwrap();

    let mut inspector = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    assert_eq!(inspector.publish_instrument(tool(TOOL_V1)).unwrap(), 1);
    let published = inspector
        .instruments()
        .unwrap()
        .into_iter()
        .find(|v| v.key == "synthetic_tool")
        .unwrap();
    assert_eq!(published.publisher, INSPECTOR);
    assert!(!published.shipped_default && published.latest);
}

#[test]
fn a_version_that_is_not_the_newest_plus_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = new_workbench(&dir);
    let before = wb.instruments().unwrap();

    // A new key starts at 1.
    let refused = wb.publish_instrument(tool(TOOL_V2)).unwrap_err();
    assert!(
        matches!(
            refused,
            WorkbenchError::InstrumentVersion {
                expected: 1,
                found: 2,
                ..
            }
        ),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("version 1"), "{refused}");

    // Beacon 2 (the shipped correction) exists: 2 again and 4 are both refused, 3 is accepted.
    let mut spec = wb.instrument("beacon", None).unwrap().spec().clone();
    for wrong in [2, 4] {
        spec.version = wrong;
        let refused = wb
            .publish_instrument(Instrument::new(spec.clone()).unwrap())
            .unwrap_err();
        assert!(
            matches!(
                refused,
                WorkbenchError::InstrumentVersion {
                    expected: 3,
                    found,
                    ..
                } if found == wrong
            ),
            "{refused:?}"
        );
    }
    assert_eq!(wb.instruments().unwrap(), before);
    spec.version = 3;
    assert_eq!(
        wb.publish_instrument(Instrument::new(spec).unwrap())
            .unwrap(),
        3
    );
    let beacon: Vec<_> = wb
        .instruments()
        .unwrap()
        .into_iter()
        .filter(|v| v.key == "beacon")
        .map(|v| (v.version, v.latest))
        .collect();
    assert_eq!(beacon, [(1, false), (2, false), (3, true)]);
}

#[test]
fn an_old_assessment_keeps_its_score_and_rescoring_shows_each_factor() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = new_workbench(&dir);
    let subject = person(&mut wb, "Assessed-Synthetic");
    wb.publish_instrument(tool(TOOL_V1)).unwrap();

    let first = wb
        .assess(
            "synthetic_tool",
            subject,
            &v1_answers(),
            RATIONALE,
            date("2026-03-01"),
        )
        .unwrap();
    assert_eq!(first.version, 1);
    assert_eq!(first.score.total, Points(500));
    assert_eq!(first.score.band, "High");
    assert_eq!(first.next_review_on, date("2026-03-31"));
    let contributions: Vec<(&str, Points)> = first
        .score
        .factors
        .iter()
        .map(|f| (f.factor.as_str(), f.contribution))
        .collect();
    assert_eq!(
        contributions,
        [
            ("alpha", Points(200)),
            ("beta", Points(300)),
            ("gamma", Points(0))
        ]
    );

    wb.publish_instrument(tool(TOOL_V2)).unwrap();

    // The saved assessment is unchanged by the new version.
    let reread = wb.assessment(first.id).unwrap();
    assert_eq!(reread, first);

    // A new assessment is scored under version 2: alpha many (2.5 × 3 = 7.5), gamma high
    // (4), delta none (0): 11.5, High.
    let answers: Answers = [("alpha", "many"), ("gamma", "high"), ("delta", "none")]
        .into_iter()
        .map(|(f, a)| (f.to_owned(), a.to_owned()))
        .collect();
    let second = wb
        .assess(
            "synthetic_tool",
            subject,
            &answers,
            RATIONALE,
            date("2026-04-01"),
        )
        .unwrap();
    assert_eq!((second.version, second.score.total), (2, Points(1150)));

    let history = wb.assessments_of(subject).unwrap();
    let summary: Vec<_> = history
        .iter()
        .map(|a| (a.id, a.version, a.score.total))
        .collect();
    assert_eq!(
        summary,
        [(first.id, 1, Points(500)), (second.id, 2, Points(1150))]
    );

    // Re-scoring the first under version 2: alpha 2 → 2.5 (weight 2.5 × 1), beta 3 → dropped,
    // gamma unchanged (not listed), delta new at its lowest answer (0). Total 2.5: Low.
    let rescore = wb.rescore_assessment(first.id, 2).unwrap();
    assert_eq!(rescore.before, first.score);
    assert_eq!(rescore.after.version, 2);
    assert_eq!(rescore.after.total, Points(250));
    assert_eq!(rescore.after.band, "Low");
    assert_eq!(
        rescore.changes,
        [
            FactorChange {
                factor: "alpha".into(),
                before: Some(Points(200)),
                after: Some(Points(250)),
                assumed_lowest: false,
            },
            FactorChange {
                factor: "beta".into(),
                before: Some(Points(300)),
                after: None,
                assumed_lowest: false,
            },
            FactorChange {
                factor: "delta".into(),
                before: None,
                after: Some(Points(0)),
                assumed_lowest: true,
            },
        ]
    );
    // Nothing stored changed.
    assert_eq!(wb.assessment(first.id).unwrap(), first);
    assert_eq!(wb.assessments_of(subject).unwrap(), history);
}

#[test]
fn assessments_are_refused_without_a_rationale_a_live_subject_or_fitting_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = new_workbench(&dir);
    let subject = person(&mut wb, "Refused-Synthetic");
    let kept = person(&mut wb, "Kept-Synthetic");
    wb.publish_instrument(tool(TOOL_V1)).unwrap();
    let on = date("2026-03-01");

    let blank = wb.assess("synthetic_tool", subject, &v1_answers(), "  \n", on);
    assert!(
        matches!(blank, Err(WorkbenchError::Refused(_))),
        "{blank:?}"
    );
    let missing = wb.assess(
        "synthetic_tool",
        NominalId(9999),
        &v1_answers(),
        RATIONALE,
        on,
    );
    assert!(
        matches!(missing, Err(WorkbenchError::NoSuchNominal)),
        "{missing:?}"
    );
    let unknown = wb.assess("no_such_tool", subject, &v1_answers(), RATIONALE, on);
    assert!(
        matches!(unknown, Err(WorkbenchError::NoSuchInstrument)),
        "{unknown:?}"
    );
    let mut odd = v1_answers();
    odd.insert("beta".into(), "Secret-Answer-Text".into());
    let err = wb
        .assess("synthetic_tool", subject, &odd, RATIONALE, on)
        .unwrap_err();
    assert!(matches!(err, WorkbenchError::Answers(_)), "{err:?}");
    assert!(err.to_string().contains("beta"), "{err}");
    assert!(!err.to_string().contains("Secret-Answer-Text"), "{err}");

    wb.merge_nominals(kept, subject).unwrap();
    let merged = wb.assess("synthetic_tool", subject, &v1_answers(), RATIONALE, on);
    assert!(
        matches!(merged, Err(WorkbenchError::Refused(_))),
        "{merged:?}"
    );
    assert!(wb.assessments_of(subject).unwrap().is_empty());
    assert!(wb.assessments_of(kept).unwrap().is_empty());
}

#[test]
fn every_assessment_is_audited_by_id_and_the_chain_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = new_workbench(&dir);
    let subject = person(&mut wb, "Audited-Synthetic");
    wb.publish_instrument(tool(TOOL_V1)).unwrap();
    let mut ids = Vec::new();
    for day in ["2026-01-10", "2026-02-10", "2026-03-10"] {
        ids.push(
            wb.assess(
                "synthetic_tool",
                subject,
                &v1_answers(),
                RATIONALE,
                date(day),
            )
            .unwrap()
            .id,
        );
    }
    let beacon = wb.instrument("beacon", None).unwrap();
    let answers: Answers = beacon
        .factors()
        .iter()
        .map(|f| (f.key.clone(), f.options[0].key.clone()))
        .collect();
    // Beacon assesses members of the force (issue 20, correction 8): an employee.
    let officer = wb
        .create_nominal(common::employee("AU123", "Audit", "Synthetic"), false)
        .unwrap()
        .id;
    let low = wb
        .assess("beacon", officer, &answers, RATIONALE, date("2026-03-11"))
        .unwrap();
    assert_eq!(
        (low.score.total, low.score.band.as_str()),
        (Points(0), "Low")
    );
    ids.push(low.id);

    let entries = wb.audit_entries(1, 10_000).unwrap();
    let recorded: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "assessment.create")
        .collect();
    assert_eq!(recorded.len(), ids.len());
    for (entry, id) in recorded.iter().zip(&ids) {
        assert_eq!(entry.object, format!("assessment:{id}"));
        assert_eq!(entry.justification, PURPOSE);
        let detail: Value = serde_json::from_str(&entry.detail).unwrap();
        let expected = if detail["instrument"] == "beacon" {
            officer
        } else {
            subject
        };
        assert_eq!(detail["subject"], expected.0);
        assert!(detail["instrument"].is_string());
        for forbidden in [RATIONALE, "Audited-Synthetic", "some", "yes"] {
            assert!(!entry.detail.contains(forbidden), "{}", entry.detail);
        }
    }
    let verification = wb.verify_audit_log().unwrap();
    assert!(verification.is_intact(), "{verification:?}");

    // Reading is a consultation: it needs a purpose and is recorded.
    let root = wb.root().to_path_buf();
    wb.lock().unwrap();
    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    assert!(matches!(
        wb.assessments_of(subject),
        Err(WorkbenchError::PurposeRequired { .. })
    ));
    assert!(matches!(
        wb.rescore_assessment(ids[0], 1),
        Err(WorkbenchError::PurposeRequired { .. })
    ));
    wb.set_purpose(PURPOSE).unwrap();
    assert_eq!(wb.assessments_of(subject).unwrap().len(), 3);
    assert_eq!(wb.assessments_of(officer).unwrap().len(), 1);
    let viewed = wb
        .audit_entries(1, 10_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "assessment.view" && e.object == format!("nominal:{subject}"))
        .count();
    assert_eq!(viewed, 1);
}

#[test]
fn saved_assessments_cannot_be_changed_or_deleted_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = new_workbench(&dir);
    let subject = person(&mut wb, "Stored-Synthetic");
    wb.publish_instrument(tool(TOOL_V1)).unwrap();
    let saved = wb
        .assess(
            "synthetic_tool",
            subject,
            &v1_answers(),
            RATIONALE,
            date("2026-03-01"),
        )
        .unwrap();
    let conn = wb.store_for_tests().raw_connection();
    for sql in [
        "UPDATE assessments SET band = 'Low'",
        "UPDATE assessments SET total_hundredths = 0",
        "DELETE FROM assessments",
    ] {
        let err = conn.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(wb.assessment(saved.id).unwrap(), saved);
}

// ---- The command line ----

/// A workbench with an inspector, a detective and one nominal; returns the nominal's id.
fn cli_workbench(sandbox: &Sandbox) -> NominalId {
    sandbox.create_with_detective();
    let mut wb = Workbench::unlock(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    let id = person(&mut wb, "Cli-Synthetic");
    wb.lock().unwrap();
    id
}

fn instrument_list(sandbox: &Sandbox) -> Vec<Value> {
    let output = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["instrument", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice::<Value>(&output.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn cli_lists_publishes_and_refuses_an_invalid_file_naming_its_line() {
    let sandbox = Sandbox::new();
    cli_workbench(&sandbox);
    let listed = instrument_list(&sandbox);
    let shipped = instrument_file::shipped().unwrap();
    assert_eq!(listed.len(), shipped.len());
    assert_eq!(listed.iter().filter(|v| v["latest"] == true).count(), 3);
    for v in &listed {
        assert_eq!(v["shipped_default"], true);
        assert_eq!(v["publisher"], "shipped default");
        assert!(v["name"].is_string() && v["published_at_utc"].is_string());
    }

    // Overlapping bands: the second band starts below where the first ends.
    let broken = TOOL_V1.replace("from = 5\nto = 13", "from = 4\nto = 13");
    let line = broken.lines().position(|l| l == "from = 4").unwrap();
    let file = sandbox.path("broken.toml");
    std::fs::write(&file, &broken).unwrap();
    let output = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .arg("instrument")
        .arg("publish")
        .arg(&file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.toml line "), "{stderr}");
    // The error names the band's table, which starts a line or two above its `from`.
    let named: usize = stderr
        .split("broken.toml line ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .unwrap()
        .parse()
        .unwrap();
    let from_line = line + 1;
    assert!((from_line - 3..=from_line).contains(&named), "{stderr}");
    assert_eq!(instrument_list(&sandbox), listed, "nothing may change");

    // A detective may not publish (exit 4); an inspector may.
    let good = sandbox.path("tool.toml");
    std::fs::write(&good, TOOL_V1).unwrap();
    let refused = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .arg("instrument")
        .arg("publish")
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(4));
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .arg("instrument")
        .arg("publish")
        .arg(&good)
        .assert()
        .success()
        .stdout(predicates::str::contains("synthetic_tool version 1"));
    let listed = instrument_list(&sandbox);
    assert_eq!(listed.len(), shipped.len() + 1);
    let published = listed
        .iter()
        .find(|v| v["key"] == "synthetic_tool")
        .unwrap();
    assert_eq!(published["publisher"], INSPECTOR);

    // Publishing version 1 again is refused as invalid input (exit 7).
    let again = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .arg("instrument")
        .arg("publish")
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&again.stderr).contains("version 2"));
}

#[test]
fn cli_assess_prints_total_band_and_each_contribution() {
    let sandbox = Sandbox::new();
    let subject = cli_workbench(&sandbox);
    let tool_file = sandbox.path("tool.toml");
    std::fs::write(&tool_file, TOOL_V1).unwrap();
    sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .arg("instrument")
        .arg("publish")
        .arg(&tool_file)
        .assert()
        .success();
    let answers = sandbox.path("answers.json");
    std::fs::write(
        &answers,
        r#"{"alpha": "some", "beta": "yes", "gamma": "low"}"#,
    )
    .unwrap();

    let output = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args([
            "--purpose",
            PURPOSE,
            "assess",
            "synthetic_tool",
            "--subject",
        ])
        .arg(subject.0.to_string())
        .arg("--answers")
        .arg(&answers)
        .args(["--rationale", RATIONALE, "--on", "2026-03-01", "--json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["instrument"], "synthetic_tool");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["subject"], subject.0);
    assert_eq!(doc["total"], 5.0);
    assert_eq!(doc["band"], "High");
    assert_eq!(doc["next_review_on"], "2026-03-31");
    let factors: Vec<(String, f64)> = doc["factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["factor"].as_str().unwrap().to_owned(),
                f["contribution"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        factors,
        [
            ("alpha".to_owned(), 2.0),
            ("beta".to_owned(), 3.0),
            ("gamma".to_owned(), 0.0)
        ]
    );
    let audit = common::audit_json(&sandbox);
    let entry = audit
        .iter()
        .find(|e| e["action"] == "assessment.create")
        .unwrap();
    assert_eq!(entry["object"], format!("assessment:{}", doc["id"]));
    assert_eq!(entry["justification"], PURPOSE);
    assert_eq!(entry["user_name"], DETECTIVE);

    // Bad JSON names the file and the line; nothing is saved.
    std::fs::write(&answers, "{\n  \"alpha\": \"some\",\n  oops\n}").unwrap();
    let bad = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["assess", "synthetic_tool", "--subject"])
        .arg(subject.0.to_string())
        .arg("--answers")
        .arg(&answers)
        .args(["--rationale", RATIONALE])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(7));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("answers.json: line 3"), "{stderr}");

    // No rationale (standard input is empty): refused.
    std::fs::write(
        &answers,
        r#"{"alpha": "some", "beta": "yes", "gamma": "low"}"#,
    )
    .unwrap();
    let blank = sandbox
        .cli_as(DETECTIVE, DETECTIVE_PASSWORD)
        .args(["assess", "synthetic_tool", "--subject"])
        .arg(subject.0.to_string())
        .arg("--answers")
        .arg(&answers)
        .output()
        .unwrap();
    assert!(!blank.status.success());
    assert!(String::from_utf8_lossy(&blank.stderr).contains("rationale"));
    let audit = common::audit_json(&sandbox);
    assert_eq!(
        audit
            .iter()
            .filter(|e| e["action"] == "assessment.create")
            .count(),
        1
    );
}

#[test]
fn an_instrument_file_is_published_whole_or_refused_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = new_workbench(&dir);
    let before = wb.instruments().unwrap();

    // Overlapping bands: refused naming the file (not its folder) and a line; nothing stored.
    let broken = dir.path().join("broken.toml");
    std::fs::write(
        &broken,
        TOOL_V1.replace("from = 5\nto = 13", "from = 4\nto = 13"),
    )
    .unwrap();
    let err = wb.publish_instrument_file(&broken).unwrap_err();
    let WorkbenchError::InstrumentFile(file_error) = &err else {
        panic!("expected the file refused, got {err:?}");
    };
    assert_eq!(file_error.source_name, "broken.toml");
    assert!(file_error.line > 0);
    assert!(!err.to_string().contains(&*dir.path().to_string_lossy()));
    assert_eq!(wb.instruments().unwrap(), before);

    let good = dir.path().join("tool.toml");
    std::fs::write(&good, TOOL_V1).unwrap();
    let expected = tool(TOOL_V1);
    let (key, version) = wb.publish_instrument_file(&good).unwrap();
    assert_eq!(
        (key.as_str(), version),
        (expected.key(), expected.version())
    );
    assert_eq!(wb.instrument(&key, Some(version)).unwrap(), expected);
    // The same file again is not the next version.
    assert!(matches!(
        wb.publish_instrument_file(&good),
        Err(WorkbenchError::InstrumentVersion { .. })
    ));
    assert!(matches!(
        wb.publish_instrument_file(&dir.path().join("absent.toml")),
        Err(WorkbenchError::FileRead { .. })
    ));
}

/// Issue 20, correction 10. Seed 001 s4.6.4 and seed 003 ("to prioritise actions"): the
/// intelligence priority instrument scores an item, not a nominal, with its source evaluation
/// and intelligence assessment taken from the item's own grading; it has all six THRIVE
/// elements; the log sorts and filters by the item's priority; version 1 assessments stay.
#[test]
fn intelligence_is_prioritised_item_by_item() {
    use ccu_workbench::domain::{IntelQuery, IntelSort, NOT_SCORED};
    let dir = tempfile::tempdir().unwrap();
    let mut wb = new_workbench(&dir);
    let instrument = wb.instrument("intelligence_priority", None).unwrap();
    assert_eq!(instrument.version(), 2);
    let factors: Vec<&str> = instrument
        .factors()
        .iter()
        .map(|f| f.key.as_str())
        .collect();
    for element in [
        "threat",
        "harm",
        "risk_likelihood",
        "investigation",
        "vulnerability",
        "engagement",
    ] {
        assert!(factors.contains(&element), "THRIVE's {element}");
    }
    let subject = person(&mut wb, "Prioritised");
    // A nominal is not what it scores.
    assert!(matches!(
        wb.assess(
            "intelligence_priority",
            subject,
            &Answers::new(),
            "Scored.",
            date("2026-06-01")
        ),
        Err(WorkbenchError::Refused(_))
    ));
    let mut graded = |source: &str, assessment: &str| {
        let mut fields = common::item_fields(subject, "Synthetic intelligence to prioritise.");
        fields.grading.source_evaluation = source.into();
        fields.grading.intelligence_assessment = assessment.into();
        wb.create_item(&fields, None).unwrap().reference
    };
    let strong = graded("1", "A");
    let weak = graded("3", "D");
    let unscored = graded("2", "C");
    let thrive = |level: &str| -> Answers {
        let pick = |factor: &str| {
            let options = &instrument
                .factors()
                .iter()
                .find(|f| f.key == factor)
                .unwrap()
                .options;
            if level == "high" {
                options.last().unwrap().key.clone()
            } else {
                options[0].key.clone()
            }
        };
        [
            "threat",
            "harm",
            "risk_likelihood",
            "investigation",
            "vulnerability",
            "engagement",
        ]
        .into_iter()
        .map(|f| (f.to_owned(), pick(f)))
        .collect()
    };
    let urgent = wb
        .prioritise_item(
            &strong,
            &thrive("high"),
            "Imminent risk to a witness.",
            date("2026-06-01"),
        )
        .unwrap();
    assert_eq!(urgent.score.band, "Urgent");
    // The grading answers are the item's own.
    assert_eq!(urgent.answers["source_evaluation"], "1_reliable");
    assert_eq!(
        urgent.answers["intelligence_assessment"],
        "a_known_directly"
    );
    let routine = wb
        .prioritise_item(
            &weak,
            &thrive("low"),
            "Nothing to act on yet.",
            date("2026-06-01"),
        )
        .unwrap();
    assert_eq!(routine.score.band, "Routine");
    assert_eq!(routine.answers["source_evaluation"], "3_not_reliable");
    // An answer to the grading factors that contradicts the grading is refused.
    let mut contradicting = thrive("low");
    contradicting.insert("source_evaluation".into(), "1_reliable".into());
    assert!(matches!(
        wb.prioritise_item(&weak, &contradicting, "Regraded here.", date("2026-06-02")),
        Err(WorkbenchError::Refused(_))
    ));
    assert_eq!(wb.item_priorities(&weak).unwrap().len(), 1);

    // The log sorts by priority (unscored last) and filters by band or "not scored".
    let page = |wb: &mut Workbench, query: &IntelQuery| -> Vec<(String, Option<String>)> {
        wb.intel_page(query, 0, 50)
            .unwrap()
            .into_iter()
            .map(|r| (r.reference, r.priority))
            .collect()
    };
    let by_priority = IntelQuery {
        sort: IntelSort::Priority,
        descending: true,
        ..IntelQuery::default()
    };
    assert_eq!(
        page(&mut wb, &by_priority),
        [
            (strong.clone(), Some("Urgent".to_owned())),
            (weak.clone(), Some("Routine".to_owned())),
            (unscored.clone(), None)
        ]
    );
    let only_urgent = IntelQuery {
        priority: Some("Urgent".into()),
        ..IntelQuery::default()
    };
    assert_eq!(page(&mut wb, &only_urgent).len(), 1);
    let not_scored = IntelQuery {
        priority: Some(NOT_SCORED.into()),
        ..IntelQuery::default()
    };
    assert_eq!(page(&mut wb, &not_scored), [(unscored.clone(), None)]);
    let actions: Vec<String> = wb
        .audit_entries(1, 10_000)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions.iter().filter(|a| *a == "item.priority").count(), 2);
}
