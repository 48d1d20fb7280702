//! The strategic threat assessment (issue 8) on the small demo: every figure matches a count
//! made here, in Rust, from the rows themselves (read with plain SQL through the test hook); the
//! control strategy is kept in order and included; the HTML report is an audited disclosure
//! with its charts inline.

use ccu_workbench::demo::DemoScale;
use ccu_workbench::domain::IsoDate;
use ccu_workbench::risk::threat_assessment::{ControlStrategyRow, Edition};
use ccu_workbench::workbench::{DemoSpec, TOP_EXPOSURES, Workbench, WorkbenchError};
use std::collections::BTreeMap;
use std::path::Path;

const CHEAP: ccu_workbench::crypto::KdfParams =
    ccu_workbench::crypto::KdfParams::INSECURE_FAST_FOR_TESTS;

fn small_demo(dir: &Path) -> Workbench {
    let spec = DemoSpec {
        admin_name: "DI Assessment",
        password: "demo pass phrase",
        kdf: CHEAP,
        scale: DemoScale::Small,
        seed: 5,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (wb, _) =
        Workbench::create_demo(&dir.join("ta.ccuwb"), &spec, &mut |_| {}, &cancel).unwrap();
    wb
}

fn date(text: &str) -> IsoDate {
    text.parse().unwrap()
}

/// Every row of a query as strings (NULL as `None`).
fn rows(wb: &Workbench, sql: &str) -> Vec<Vec<Option<String>>> {
    let conn = wb.store_for_tests().raw_connection();
    let mut statement = conn.prepare(sql).unwrap();
    let columns = statement.column_count();
    statement
        .query_map([], |row| {
            Ok((0..columns)
                .map(|i| row.get::<_, Option<String>>(i).unwrap())
                .collect())
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn tally<'a>(values: impl Iterator<Item = String> + 'a) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for value in values {
        *counts.entry(value).or_default() += 1;
    }
    counts
}

/// The period: from 180 days before the demo's last item to today, so that it and the period
/// before it hold items, and it holds the interventions the demo proposed (today, by the clock).
fn period(wb: &Workbench) -> (IsoDate, IsoDate) {
    let last = rows(wb, "SELECT max(received_on) FROM intel_items")[0][0]
        .clone()
        .unwrap();
    let last = date(&last);
    (last.plus_days(-179), IsoDate::today_utc().max(last))
}

#[test]
fn every_figure_matches_a_count_of_the_rows_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    wb.set_purpose("OP-ASSESSMENT").unwrap();
    let (from, to) = period(&wb);
    let assessment = wb.threat_assessment(from, to, Edition::Restricted).unwrap();
    let days = (to.0 - from.0).whole_days() + 1;
    assert_eq!(
        (assessment.previous_from, assessment.previous_to),
        (from.plus_days(-days), from.plus_days(-1))
    );

    let items = rows(
        &wb,
        "SELECT received_on, category, source_type, source_evaluation, intelligence_assessment, status FROM intel_items",
    );
    let within = |(start, end): (IsoDate, IsoDate)| {
        items
            .iter()
            .filter(move |row| {
                let on = date(row[0].as_deref().unwrap());
                start <= on && on <= end
            })
            .collect::<Vec<_>>()
    };
    for (counts, range) in [
        (&assessment.current, (from, to)),
        (
            &assessment.previous,
            (assessment.previous_from, assessment.previous_to),
        ),
    ] {
        let chosen = within(range);
        assert!(!chosen.is_empty(), "the demo has items in {range:?}");
        assert_eq!(counts.total, chosen.len() as u64);
        let column = |i: usize| tally(chosen.iter().map(move |row| row[i].clone().unwrap()));
        assert_eq!(counts.by_category, column(1));
        assert_eq!(counts.by_source_type, column(2));
        assert_eq!(counts.by_status, column(5));
        let grading = tally(chosen.iter().map(|row| {
            format!(
                "{}{}",
                row[3].as_deref().unwrap(),
                row[4].as_deref().unwrap()
            )
        }));
        assert_eq!(counts.by_grading, grading);
    }

    let live = tally(
        rows(&wb, "SELECT category, status FROM notifiable_associations")
            .into_iter()
            .filter(|row| row[1].as_deref() == Some("live"))
            .map(|row| row[0].clone().unwrap()),
    );
    assert!(!live.is_empty(), "the demo has live associations");
    assert_eq!(assessment.live_associations, live);

    let proposed = tally(
        rows(&wb, "SELECT created_at, outcome, state FROM interventions")
            .into_iter()
            .filter(|row| {
                let on = date(&row[0].as_deref().unwrap()[..10]);
                from <= on && on <= to
            })
            .map(|row| {
                // Seed 003's lifecycle: a declined or withdrawn intervention never has an
                // outcome, so it is not "pending" one.
                let state = row[2].clone().unwrap();
                row[1].clone().unwrap_or_else(|| {
                    if state == "declined" || state == "withdrawn" {
                        state
                    } else {
                        "pending".into()
                    }
                })
            }),
    );
    assert!(
        !proposed.is_empty(),
        "the demo proposes interventions in the period"
    );
    assert_eq!(assessment.interventions_by_outcome, proposed);

    let cohort = wb.beacon_cohort(to).unwrap();
    assert!(!cohort.is_empty(), "the demo assesses people under Beacon");
    assert_eq!(assessment.beacon_cohort, cohort.len() as u64);
    let bands = tally(cohort.iter().map(|entry| entry.band.clone()));
    let reported: BTreeMap<String, u64> = assessment.beacon_bands.iter().cloned().collect();
    assert_eq!(reported, bands);

    assert!(
        !assessment.top_exposures.is_empty(),
        "the demo plants exposures"
    );
    assert!(assessment.top_exposures.len() <= TOP_EXPOSURES);
    assert!(
        assessment
            .top_exposures
            .windows(2)
            .all(|pair| pair[0].score >= pair[1].score),
        "most pressing first"
    );

    let viewed = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .rfind(|e| e.action == "report.threat_assessment.view")
        .unwrap();
    assert_eq!(viewed.justification, "OP-ASSESSMENT");
    assert!(viewed.detail.contains(&from.to_string()));
}

#[test]
fn the_control_strategy_is_kept_in_order_checked_and_included_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    wb.set_purpose("OP-ASSESSMENT").unwrap();
    assert!(
        !wb.control_strategy().unwrap().is_empty(),
        "the demo ships an example"
    );
    let strategy = vec![
        ControlStrategyRow {
            priority: "Sexual predatory behaviour".into(),
            intervention: "Robust enforcement of identified breaches".into(),
            protection: "Monitoring of force systems <intelligence & telephony>".into(),
            prevention: "Publication of lessons learned".into(),
        },
        ControlStrategyRow {
            priority: "Unmanageable debt".into(),
            intervention: String::new(),
            protection: "Closer engagement with HR".into(),
            prevention: "Early intervention".into(),
        },
    ];
    wb.set_control_strategy(&strategy).unwrap();
    assert_eq!(wb.control_strategy().unwrap(), strategy);

    let refused = wb.set_control_strategy(&[ControlStrategyRow::default()]);
    assert!(
        matches!(refused, Err(WorkbenchError::Invalid(_))),
        "{refused:?}"
    );
    assert_eq!(
        wb.control_strategy().unwrap(),
        strategy,
        "a refused edit changes nothing"
    );

    let (from, to) = period(&wb);
    let out = dir.path().join("assessment.html");
    let assessment = wb
        .export_threat_assessment(from, to, Edition::Restricted, &out)
        .unwrap();
    assert_eq!(assessment.control_strategy, strategy);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Monitoring of force systems &lt;intelligence &amp; telephony&gt;"));
    let charted = assessment
        .figure_tables()
        .iter()
        .filter(|table| !table.rows.is_empty())
        .count();
    assert!(charted >= 7, "{charted}");
    assert_eq!(
        html.matches("<svg ").count(),
        charted,
        "one chart per breakdown with anything in it"
    );
    assert!(html.contains(&format!(
        "Intelligence received in the period: <strong>{}</strong>",
        assessment.current.total
    )));
    assert!(!html.contains("<script"), "self-contained and inert");
    // Codes read as the reference data's labels, in the tables and the charts.
    let reference = wb.reference_data();
    for row in assessment.category_trends() {
        let label = reference.label("corruption_category", &row.code);
        assert_eq!(row.label, label);
        assert!(
            html.contains(&format!("<td>{}</td>", label.replace('\'', "&apos;"))),
            "{label}"
        );
    }
    for code in assessment.live_associations.keys() {
        let label = reference.label("na_category", code);
        assert!(html.contains(&format!("<td>{}</td>", label.replace('\'', "&apos;"))));
    }
    assert!(
        assessment
            .category_trends()
            .iter()
            .any(|row| row.label != row.code.replace('_', " ")),
        "the demo has a category whose label is not its code"
    );
    for lead in &assessment.top_exposures {
        assert!(html.contains(&lead.employee.replace('\'', "&apos;")));
    }

    let exported = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .rfind(|e| e.action == "report.export")
        .unwrap();
    assert_eq!(exported.justification, "OP-ASSESSMENT");
    assert!(exported.detail.contains("sha256"));
    assert!(
        wb.export_threat_assessment(from, to, Edition::Restricted, &out)
            .is_err(),
        "never overwritten"
    );
    let edits = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "report.control_strategy.edit")
        .count();
    assert_eq!(
        edits, 2,
        "the demo's and this one; the refused edit is not recorded as one"
    );
}

#[test]
fn a_period_that_ends_before_it_starts_or_a_report_without_purpose_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    let out = dir.path().join("assessment.html");
    let no_purpose = wb.export_threat_assessment(
        date("2026-01-01"),
        date("2026-03-31"),
        Edition::Restricted,
        &out,
    );
    assert!(
        matches!(no_purpose, Err(WorkbenchError::PurposeRequired { .. })),
        "{no_purpose:?}"
    );
    assert!(!out.exists());
    wb.set_purpose("OP-ASSESSMENT").unwrap();
    let backwards =
        wb.threat_assessment(date("2026-03-31"), date("2026-01-01"), Edition::Restricted);
    assert!(
        matches!(backwards, Err(WorkbenchError::Refused(_))),
        "{backwards:?}"
    );
}

#[test]
fn the_pib_pack_lists_who_joined_and_whose_band_moved_since_the_last_board() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    wb.set_purpose("OP-PIB").unwrap();
    // Every Beacon assessment, counted here from the rows.
    let assessments: Vec<(String, String, IsoDate, i64)> = rows(
        &wb,
        "SELECT CAST(a.subject_id AS TEXT), a.band, a.assessed_on, CAST(a.id AS TEXT) FROM assessments a
         JOIN instrument_versions v ON v.id = a.instrument_version_id
         WHERE v.instrument_key = 'beacon'",
    )
    .into_iter()
    .map(|row| {
        (
            row[0].clone().unwrap(),
            row[1].clone().unwrap(),
            date(row[2].as_deref().unwrap()),
            row[3].as_deref().unwrap().parse().unwrap(),
        )
    })
    .collect();
    let mut days: Vec<IsoDate> = assessments.iter().map(|a| a.2).collect();
    days.sort();
    let since = days[days.len() / 2];
    let latest_band = |subject: &str, by: Option<IsoDate>| {
        assessments
            .iter()
            .filter(|a| a.0 == subject && by.is_none_or(|day| a.2 <= day))
            .max_by_key(|a| (a.2, a.3))
            .map(|a| a.1.clone())
    };
    let subjects: std::collections::BTreeSet<&str> =
        assessments.iter().map(|a| a.0.as_str()).collect();
    let joined: std::collections::BTreeSet<String> = subjects
        .iter()
        .filter(|s| latest_band(s, Some(since)).is_none())
        .map(|s| (*s).to_owned())
        .collect();
    let moved: std::collections::BTreeSet<String> = subjects
        .iter()
        .filter(|s| {
            latest_band(s, Some(since)).is_some_and(|before| Some(before) != latest_band(s, None))
        })
        .map(|s| (*s).to_owned())
        .collect();
    assert!(!joined.is_empty(), "the demo assesses people after {since}");

    let out = dir.path().join("pib.html");
    let (cohort, changes) = wb.export_pib_pack(since, &out).unwrap();
    assert_eq!(cohort.len(), subjects.len());
    let ids = |entries: Vec<&ccu_workbench::risk::BeaconCohortEntry>| {
        entries
            .iter()
            .map(|e| e.subject.0.to_string())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(ids(changes.joined.iter().collect()), joined);
    assert_eq!(
        ids(changes
            .raised
            .iter()
            .chain(&changes.lowered)
            .map(|(e, _)| e)
            .collect()),
        moved
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains(&format!("<strong>{}</strong> people", cohort.len())));
    for entry in &changes.joined {
        assert!(html.contains(&entry.subject_name.replace('\'', "&apos;")));
    }
    let recorded = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .rfind(|e| e.action == "report.export")
        .unwrap();
    assert_eq!(recorded.object, "cohort:beacon");
    assert_eq!(recorded.justification, "OP-PIB");
    let future = wb.export_pib_pack(
        IsoDate::today_utc().plus_days(1),
        &dir.path().join("f.html"),
    );
    assert!(
        matches!(future, Err(WorkbenchError::Refused(_))),
        "{future:?}"
    );
}

#[test]
fn the_assessment_tables_export_as_csv_and_other_formats_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    wb.set_purpose("OP-ASSESSMENT").unwrap();
    wb.set_control_strategy(&[ControlStrategyRow {
        priority: "=HYPERLINK(\"x\")".into(),
        ..ControlStrategyRow::default()
    }])
    .unwrap();
    let (from, to) = period(&wb);
    let out = dir.path().join("tables.csv");
    let assessment = wb
        .export_threat_assessment(from, to, Edition::Restricted, &out)
        .unwrap();
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for trend in assessment.category_trends() {
        let row = records
            .iter()
            .find(|r| &r[0] == "category" && r[1] == trend.code)
            .unwrap();
        assert_eq!(row[2].parse::<u64>().unwrap(), trend.current);
        assert_eq!(row[3].parse::<u64>().unwrap(), trend.previous);
    }
    let strategy = records
        .iter()
        .find(|r| &r[0] == "control_strategy")
        .unwrap();
    assert_eq!(
        &strategy[1], "'=HYPERLINK(\"x\")",
        "a formula is made inert"
    );
    let recorded = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .rfind(|e| e.action == "report.export")
        .unwrap();
    assert!(recorded.detail.contains("\"format\":\"csv\""));

    let docx = wb.export_threat_assessment(
        from,
        to,
        Edition::Restricted,
        &dir.path().join("report.docx"),
    );
    assert!(matches!(docx, Err(WorkbenchError::Refused(_))), "{docx:?}");
    assert!(!dir.path().join("report.docx").exists());

    // PDF: A4 pages with the standard fonts, the figures and the strategy as text.
    let pdf_path = dir.path().join("report.pdf");
    wb.export_threat_assessment(from, to, Edition::Restricted, &pdf_path)
        .unwrap();
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/BaseFont /Helvetica"));
    assert!(text.contains(&format!(
        "Intelligence received in the period: {}",
        assessment.current.total
    )));
    assert!(text.contains("=HYPERLINK"), "the strategy is in the report");
    assert!(text.contains("OFFICIAL-SENSITIVE: COUNTER CORRUPTION UNIT"));
}

/// The text of every PDF page's content stream is uncompressed: the sanitised edition is
/// checked in it as in the HTML and CSV.
fn text_of(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()
}

/// Issue 20, correction 7. Seed 000: the strategic assessment goes to NPCCAG and the NCA, with
/// "a sanitised version" for publication. The sanitised edition (the default) has no names,
/// staff numbers or nominal ids in any format, shows counts below 5 as "fewer than 5", and says
/// so on every page; the restricted edition names people and is an inspector's; live
/// notifiable associations are counted as at the period's last day.
#[test]
fn threat_assessment_editions() {
    use ccu_workbench::domain::{NaChange, NaDraft, NaFilter, NaOrigin, NaStatus, Role};
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    wb.add_user("Analyst Editions", Role::Analyst, "analyst pass phrase")
        .unwrap();
    wb.set_purpose("OP-EDITIONS").unwrap();
    let today = wb.today();
    let (from, to) = (today.plus_days(-400), today.plus_days(-30));

    // Every name and staff number the workbench holds: none may reach the sanitised edition.
    let planted: Vec<String> = rows(
        &wb,
        "SELECT display_name FROM nominals WHERE kind IN ('employee', 'person')
         UNION SELECT identity_key FROM nominals WHERE kind = 'employee'",
    )
    .into_iter()
    .filter_map(|row| row[0].clone())
    .filter(|text| text.len() >= 5)
    .collect();
    assert!(planted.len() > 100);

    let restricted = wb.threat_assessment(from, to, Edition::Restricted).unwrap();
    assert!(
        !restricted.top_exposures.is_empty(),
        "the demo has exposure leads"
    );
    let sanitised = wb.threat_assessment(from, to, Edition::Sanitised).unwrap();
    assert_eq!(sanitised.edition, Edition::Sanitised);

    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut outputs = BTreeMap::new();
    for (edition, extension) in [
        (Edition::Sanitised, "html"),
        (Edition::Sanitised, "pdf"),
        (Edition::Sanitised, "csv"),
        (Edition::Restricted, "html"),
    ] {
        let path = out.join(format!("ta-{}.{extension}", edition.as_str()));
        wb.export_threat_assessment(from, to, edition, &path)
            .unwrap();
        outputs.insert((edition, extension), text_of(&path));
    }
    // The restricted edition names the exposure leads' people; the sanitised one nobody.
    let restricted_html = &outputs[&(Edition::Restricted, "html")];
    for lead in &restricted.top_exposures {
        assert!(restricted_html.contains(&lead.employee.replace('&', "&amp;")));
    }
    for ((edition, extension), text) in &outputs {
        if *edition != Edition::Sanitised {
            continue;
        }
        for name in &planted {
            assert!(
                !text.contains(name.as_str()),
                "{extension}: a name or staff number in the sanitised edition"
            );
        }
        assert!(!text.contains("nominal:"), "{extension}");
    }

    // Small counts are "fewer than 5"; larger ones are shown.
    let html = &outputs[&(Edition::Sanitised, "html")];
    let small = sanitised
        .grading_trends()
        .into_iter()
        .find(|t| t.current > 0 && t.current < 5)
        .expect("the demo has a grading seen fewer than 5 times");
    assert!(
        html.contains(&format!(
            "<tr><td>{}</td><td class=\"nowrap\">fewer than 5</td>",
            small.label
        )),
        "{}",
        small.label
    );
    let large = sanitised
        .category_trends()
        .into_iter()
        .find(|t| t.current >= 5)
        .unwrap();
    assert!(html.contains(&format!(
        "<tr><td>{}</td><td class=\"nowrap\">{}</td>",
        large.label.replace('&', "&amp;"),
        large.current
    )));
    let csv = &outputs[&(Edition::Sanitised, "csv")];
    assert!(csv.contains(&format!("grading,{},fewer than 5", small.code)));
    assert!(!restricted_html.contains("fewer than 5"));

    // Every page states its edition and handling.
    assert_eq!(html.matches("SANITISED EDITION for publication").count(), 2);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains(">OFFICIAL</p>"));
    let pdf = &outputs[&(Edition::Sanitised, "pdf")];
    let pages = pdf.matches("/Type /Page").count() - pdf.matches("/Type /Pages").count();
    assert!(pages >= 2, "{pages} pages");
    assert_eq!(pdf.matches("OFFICIAL | SANITISED EDITION").count(), pages);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("edition,sanitised,")
    );
    assert!(restricted_html.contains("RESTRICTED EDITION for NPCCAG and the NCA"));

    // The restricted edition is an inspector's: an analyst is refused, and the refusal kept.
    drop(wb);
    let mut analyst = Workbench::unlock(
        &dir.path().join("ta.ccuwb"),
        "Analyst Editions",
        "analyst pass phrase",
    )
    .unwrap();
    analyst.set_purpose("OP-EDITIONS").unwrap();
    assert!(matches!(
        analyst.threat_assessment(from, to, Edition::Restricted),
        Err(WorkbenchError::PermissionDenied { .. })
    ));
    assert!(matches!(
        analyst.export_threat_assessment(from, to, Edition::Restricted, &out.join("no.html")),
        Err(WorkbenchError::PermissionDenied { .. })
    ));
    assert!(!out.join("no.html").exists());
    analyst
        .threat_assessment(from, to, Edition::Sanitised)
        .unwrap();
    drop(analyst);

    // Live notifiable associations as at the period's last day, not today.
    let mut wb = Workbench::unlock(
        &dir.path().join("ta.ccuwb"),
        "DI Assessment",
        "demo pass phrase",
    )
    .unwrap();
    wb.set_purpose("OP-EDITIONS").unwrap();
    let live_on_to = |wb: &mut Workbench| -> u64 {
        wb.threat_assessment(from, to, Edition::Restricted)
            .unwrap()
            .live_associations
            .values()
            .sum()
    };
    let before = live_on_to(&mut wb);
    let live_today = |wb: &mut Workbench| -> usize {
        wb.association_counts()
            .unwrap()
            .iter()
            .map(|(_, n)| n)
            .sum()
    };
    let today_before = live_today(&mut wb);
    let entries = wb
        .notifiable_associations(
            &NaFilter {
                status: Some(NaStatus::Live),
                ..NaFilter::default()
            },
            today,
        )
        .unwrap();
    let older: Vec<_> = entries
        .iter()
        .filter(|row| row.record.declared_on < to.plus_days(-1))
        .map(|row| (row.record.id, row.record.employee, row.record.associate))
        .collect();
    assert!(older.len() >= 2);
    // Closed the day before the period ends: not live on its last day.
    wb.change_notifiable_association(
        older[0].0,
        None,
        &NaChange::Closed {
            closed_on: to.plus_days(-1),
            reason: "Association ended (synthetic).".into(),
        },
    )
    .unwrap();
    // Closed after the period: still live on its last day.
    wb.change_notifiable_association(
        older[1].0,
        None,
        &NaChange::Closed {
            closed_on: today,
            reason: "Association ended (synthetic).".into(),
        },
    )
    .unwrap();
    assert_eq!(live_on_to(&mut wb), before - 1);
    // Registered after the period: not counted in it, though live today.
    let (employee, associate) = (older[0].1, older[0].2);
    wb.register_notifiable_association(&NaDraft {
        employee,
        associate,
        category: "family".into(),
        origin: NaOrigin::Declared,
        declared_on: today,
        conditions: String::new(),
        assessment: None,
        review_due_on: None,
        relationship: None,
    })
    .unwrap();
    assert_eq!(live_on_to(&mut wb), before - 1);
    assert_eq!(live_today(&mut wb), today_before - 1);
}

/// Issue 25, part 4. Seed 000 is an argument: "The main current and foreseeable threats are
/// seen to be: Vulnerability, Inappropriate association, Misuse of Police Systems / Disclosure
/// of police held information", each assessed in turn, and it "concludes with a local Control
/// Strategy". The analyst's text for a period is kept in versions, checked, never overwritten
/// by a stale editor, and audited without its words.
#[test]
fn the_analysts_text_is_kept_in_versions_checked_and_never_lost() {
    use ccu_workbench::risk::threat_assessment::{AssessmentText, ThreatJudgement};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ta.ccuwb");
    drop(small_demo(dir.path()));
    let mut analyst = Workbench::unlock(&root, "Analyst Demo", "demo pass phrase").unwrap();
    analyst.set_purpose("OP-WRITING").unwrap();
    let (from, to) = (date("2026-01-01"), date("2026-03-31"));
    assert!(
        analyst
            .assessment_text_versions(from, to)
            .unwrap()
            .is_empty()
    );
    let first = AssessmentText {
        summary: "Synthetic summary: the threat is rising.\n\nSecond paragraph.".into(),
        key_judgements: vec!["Synthetic judgement one.".into()],
        threats: vec![
            ThreatJudgement {
                category: "disclosure".into(),
                assessment: "Synthetic: ranked first.".into(),
            },
            ThreatJudgement {
                category: "misuse_of_systems".into(),
                assessment: String::new(),
            },
        ],
        intelligence_requirements: vec!["Synthetic requirement.".into()],
        recommendations: vec!["Synthetic recommendation.".into()],
    };
    let saved = analyst
        .save_assessment_text(from, to, &first, None)
        .unwrap();
    assert_eq!(saved.version, 1);
    assert_eq!(saved.written_by, "Analyst Demo");
    assert_eq!(saved.text, first);

    // An editor opened before that save would overwrite it: refused, nothing saved.
    let stale = analyst.save_assessment_text(from, to, &AssessmentText::default(), None);
    assert!(
        matches!(&stale, Err(WorkbenchError::Refused(m)) if m.contains("newer version")),
        "{stale:?}"
    );
    let mut second = first.clone();
    second.threats.reverse();
    second.summary = "Synthetic summary, revised.".into();
    assert_eq!(
        analyst
            .save_assessment_text(from, to, &second, Some(1))
            .unwrap()
            .version,
        2
    );
    let versions = analyst.assessment_text_versions(from, to).unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1],
        "newest first, the first kept"
    );
    assert_eq!(versions[1].text, first);
    // Another period has its own text.
    assert!(
        analyst
            .assessment_text_versions(from, date("2026-03-30"))
            .unwrap()
            .is_empty()
    );

    // Each problem is named by its field; a refused text changes nothing.
    let bad = AssessmentText {
        key_judgements: vec!["   ".into()],
        threats: vec![
            ThreatJudgement {
                category: "made_up".into(),
                assessment: String::new(),
            },
            ThreatJudgement {
                category: "disclosure".into(),
                assessment: String::new(),
            },
            ThreatJudgement {
                category: "disclosure".into(),
                assessment: String::new(),
            },
        ],
        summary: "x".repeat(10_001),
        ..AssessmentText::default()
    };
    let Err(WorkbenchError::Invalid(invalid)) =
        analyst.save_assessment_text(from, to, &bad, Some(2))
    else {
        panic!("an invalid text is refused");
    };
    let fields: Vec<&str> = invalid.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "summary",
            "key_judgements[0]",
            "threats[0].category",
            "threats[2].category"
        ]
    );
    assert_eq!(analyst.assessment_text_versions(from, to).unwrap().len(), 2);
    let backwards = analyst.save_assessment_text(to, from, &first, Some(2));
    assert!(matches!(backwards, Err(WorkbenchError::Refused(_))));

    // The report carries the newest version, its threats in the analyst's order.
    let assessment = analyst
        .threat_assessment(from, to, Edition::Sanitised)
        .unwrap();
    let text = assessment.text.as_ref().unwrap();
    assert_eq!(text.version, 2);
    assert_eq!(text.written_by, "", "the sanitised edition names no one");
    let ranked: Vec<String> = assessment
        .priority_threats()
        .iter()
        .map(|t| t.trend.code.clone())
        .collect();
    assert_eq!(ranked, ["misuse_of_systems", "disclosure"]);

    // Saved versions cannot be changed, even with the key.
    let conn = analyst.store_for_tests().raw_connection();
    assert!(
        conn.execute("UPDATE assessment_texts SET body = '{}'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM assessment_texts", []).is_err());

    // A detective reads the text but may not write it; the audit keeps no words.
    drop(analyst);
    let mut detective = Workbench::unlock(&root, "DC Demo", "demo pass phrase").unwrap();
    detective.set_purpose("OP-WRITING").unwrap();
    assert_eq!(
        detective.assessment_text_versions(from, to).unwrap().len(),
        2
    );
    assert!(matches!(
        detective.save_assessment_text(from, to, &first, Some(2)),
        Err(WorkbenchError::PermissionDenied { .. })
    ));
    drop(detective);
    let mut inspector = Workbench::unlock(&root, "DI Assessment", "demo pass phrase").unwrap();
    inspector.set_purpose("OP-WRITING").unwrap();
    let save_entries: Vec<_> = inspector
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "report.assessment_text.save")
        .collect();
    assert_eq!(
        save_entries.len(),
        3,
        "the demo's text and the two saved here; refusals save nothing"
    );
    for entry in &save_entries {
        assert!(!entry.detail.contains("Synthetic"), "{}", entry.detail);
        assert!(entry.detail.contains("\"version\""));
    }
    assert!(save_entries[2].detail.contains("\"version\":2"));
    assert!(save_entries[2].detail.contains("2026-01-01"));
    // The entry keeps the hash of the words as stored: an edit in a shell would not match.
    let body = rows(
        &inspector,
        "SELECT body FROM assessment_texts WHERE period_from = '2026-01-01' AND version = 2",
    )[0][0]
        .clone()
        .unwrap();
    assert!(
        save_entries[2]
            .detail
            .contains(&hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
                body.as_bytes()
            )))
    );
}

/// Issue 25, part 4: the figures also by sub-category, and by the employee type, rank and
/// department of the staff the intelligence names as its subject, each matching a count made
/// here from the rows themselves.
#[test]
fn the_figures_by_subcategory_and_by_staff_match_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    wb.set_purpose("OP-ASSESSMENT").unwrap();
    let (from, to) = period(&wb);
    let assessment = wb.threat_assessment(from, to, Edition::Restricted).unwrap();
    let items = rows(
        &wb,
        "SELECT CAST(id AS TEXT), received_on, category, coalesce(subcategory, '') FROM intel_items",
    );
    let in_period: std::collections::BTreeSet<String> = items
        .iter()
        .filter(|row| {
            let on = date(row[1].as_deref().unwrap());
            from <= on && on <= to
        })
        .map(|row| row[0].clone().unwrap())
        .collect();
    let mut by_subcategory: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for row in &items {
        if in_period.contains(row[0].as_deref().unwrap()) {
            *by_subcategory
                .entry(row[2].clone().unwrap())
                .or_default()
                .entry(row[3].clone().unwrap())
                .or_default() += 1;
        }
    }
    assert_eq!(assessment.current.by_subcategory, by_subcategory);
    assert!(
        by_subcategory
            .values()
            .any(|subs| subs.keys().any(|k| !k.is_empty())),
        "the demo has items with a sub-category"
    );

    // Each item counted once per value among its staff subjects.
    let subjects = rows(
        &wb,
        "SELECT CAST(s.item_id AS TEXT), n.details FROM intel_subjects s JOIN nominals n ON n.id = s.nominal_id
         WHERE s.role = 'subject' AND n.kind = 'employee'",
    );
    let mut seen: std::collections::BTreeSet<(String, String, String)> =
        std::collections::BTreeSet::new();
    let mut expected: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    for row in &subjects {
        let item = row[0].clone().unwrap();
        if !in_period.contains(&item) {
            continue;
        }
        let details: serde_json::Value = serde_json::from_str(row[1].as_deref().unwrap()).unwrap();
        for field in ["employee_type", "rank_grade", "department"] {
            let value = details[field].as_str().unwrap_or("").trim().to_owned();
            if seen.insert((item.clone(), field.to_owned(), value.clone())) {
                *expected.entry(field).or_default().entry(value).or_default() += 1;
            }
        }
    }
    assert!(!expected.is_empty(), "the demo's items name staff");
    assert_eq!(
        assessment.current.by_employee_type,
        expected["employee_type"]
    );
    assert_eq!(assessment.current.by_rank, expected["rank_grade"]);
    assert_eq!(assessment.current.by_department, expected["department"]);
    // Labels are words: employee types from the reference data, sub-categories likewise.
    let reference = wb.reference_data();
    for row in assessment.employee_type_trends() {
        assert_eq!(row.label, reference.label("employee_type", &row.code));
    }
    for row in assessment.subcategory_trends() {
        assert!(
            !row.label.contains('\u{1f}') && !row.label.contains('.'),
            "{}",
            row.label
        );
    }
}

/// Issue 25, part 4: the report reads as the seed's does, in every format: the analyst's
/// summary, key judgements, the threats in priority order with their figures and assessment,
/// the requirements and recommendations, then the figures and the control strategy. The demo
/// ships a text and a control strategy, so a new user's report is complete.
#[test]
fn the_report_is_an_argument_in_every_format_and_the_demo_ships_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = small_demo(dir.path());
    wb.set_purpose("OP-ASSESSMENT").unwrap();
    let today = wb.today();
    let (from, to) = (today.plus_days(-364), today);
    assert_eq!(
        wb.control_strategy().unwrap(),
        ccu_workbench::demo::demo_control_strategy()
    );
    let versions = wb.assessment_text_versions(from, to).unwrap();
    assert_eq!(versions.len(), 1, "the demo writes the year's text");
    assert_eq!(versions[0].written_by, "DI Assessment");
    let restricted = wb.threat_assessment(from, to, Edition::Restricted).unwrap();
    let threats = restricted.priority_threats();
    assert!(threats.len() >= 3);
    assert_eq!(threats[0].trend.code, "abuse_of_authority");
    assert_eq!(
        threats[0].trend.current, restricted.current.by_category["abuse_of_authority"],
        "each ranked threat carries its own figures"
    );

    let sections = [
        "Executive summary",
        "Key judgements",
        "Threats in priority order",
        "Intelligence requirements",
        "Recommendations",
        "The figures",
        "Intelligence by sub-category",
        "Intelligence naming staff as its subject, by employee type",
        "Intelligence naming staff as its subject, by rank or grade",
        "Intelligence naming staff as its subject, by department",
        "Control strategy",
    ];
    let text = &versions[0].text;
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for (edition, extension) in [
        (Edition::Sanitised, "html"),
        (Edition::Sanitised, "pdf"),
        (Edition::Restricted, "html"),
        (Edition::Restricted, "pdf"),
    ] {
        let path = out.join(format!("ta-{}.{extension}", edition.as_str()));
        wb.export_threat_assessment(from, to, edition, &path)
            .unwrap();
        let page = text_of(&path);
        let mut at = 0;
        for section in sections {
            let found = page[at..]
                .find(section)
                .unwrap_or_else(|| panic!("{extension}: {section} missing or out of order"));
            at += found + section.len();
        }
        assert!(!page.contains("Not yet written"), "{extension}: complete");
        assert!(!page.contains("Not yet set"), "{extension}: complete");
        // The first words of the summary, each judgement and the ranked threats' labels.
        assert!(page.contains("The main threat to the force"), "{extension}");
        let mut at = 0;
        for threat in &threats {
            let heading = format!("{}. {}", threat.priority, threat.trend.label);
            at += page[at..]
                .find(&heading)
                .unwrap_or_else(|| panic!("{extension}: {heading} out of order"));
        }
        let by_analyst = page.contains("by DI Assessment");
        assert_eq!(
            by_analyst,
            edition == Edition::Restricted,
            "{extension}: only the restricted edition names the writer"
        );
        assert!(!text.recommendations.is_empty());
    }

    // The JSON has the text and the ranked threats with their figures.
    let json: serde_json::Value = serde_json::from_str(
        &ccu_workbench::io::threat_assessment_json::render(&restricted).unwrap(),
    )
    .unwrap();
    assert_eq!(json["text"]["version"], 1);
    assert_eq!(json["text"]["text"]["summary"], text.summary.as_str());
    assert_eq!(
        json["priority_threats"][0]["trend"]["code"],
        "abuse_of_authority"
    );
    assert_eq!(
        json["priority_threats"][0]["assessment"],
        text.threats[0].assessment.as_str()
    );
    for key in [
        "by_subcategory",
        "by_employee_type",
        "by_rank",
        "by_department",
    ] {
        assert!(json["current"][key].is_object(), "{key}");
    }

    // A period without a text says so, and still has its figures.
    let other = wb
        .threat_assessment(from.plus_days(1), to, Edition::Sanitised)
        .unwrap();
    assert!(other.text.is_none() && other.priority_threats().is_empty());
    let path = out.join("untitled.html");
    wb.export_threat_assessment(from.plus_days(1), to, Edition::Sanitised, &path)
        .unwrap();
    assert!(text_of(&path).contains("The analyst has not yet written the assessment"));
}
