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
        rows(&wb, "SELECT created_at, outcome FROM interventions")
            .into_iter()
            .filter(|row| {
                let on = date(&row[0].as_deref().unwrap()[..10]);
                from <= on && on <= to
            })
            .map(|row| row[1].clone().unwrap_or_else(|| "pending".into())),
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
    assert!(wb.control_strategy().unwrap().is_empty());
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
    assert_eq!(html.matches("<svg ").count(), 4, "one chart per breakdown");
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
    assert_eq!(edits, 1, "the refused edit is not recorded as one");
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
            "<tr><td>{}</td><td>fewer than 5</td>",
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
        "<tr><td>{}</td><td>{}</td>",
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
