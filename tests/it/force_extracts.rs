//! Issue 21's acceptance: a synthetic force extract set in the shapes real systems export (an
//! HR staff list, a records system's person list with its own person ids, the notifiable
//! association register naming associates by person id, intelligence links, an audit trail
//! naming people by person id, crime records with closure dates, call data, the hospitality
//! register and procurement awards without references), with planted leads and innocent
//! look-alikes beside each, imported through the command line with the example specs in
//! `assets/import_specs/examples/` and nothing else, then cross-referenced. Every planted lead
//! must be in `lead list`, and nothing innocent at or above the threshold.
//!
//! The files are written as exporters write them: a byte order mark, CRLF line ends, UK dates,
//! names as "SURNAME, Forenames", markers as Y/N, phones in national format, mixed case and
//! stray spaces. All names, numbers and ids are synthetic.

use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD, Sandbox};
use ccu_workbench::Workbench;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Each extract with its kind and example spec, in the order an analyst imports them (people
/// before what names them).
const EXTRACT_SET: [(&str, &str, &str); 10] = [
    ("nominals", "hr_staff.csv", "hr-staff-nominals.toml"),
    // The same file again, as another kind under another spec.
    ("vetting", "hr_staff.csv", "hr-staff-vetting.toml"),
    ("nominals", "rms_persons.csv", "rms-persons.toml"),
    (
        "notifiable_associations",
        "na_register.csv",
        "na-register.toml",
    ),
    ("links", "intel_links.csv", "intel-links.toml"),
    ("cases", "rms_crimes.csv", "rms-crimes.toml"),
    ("audit_events", "rms_audit.csv", "rms-audit.toml"),
    ("calls", "call_data.csv", "call-data.toml"),
    (
        "hospitality",
        "gifts_hospitality.csv",
        "gifts-hospitality.toml",
    ),
    (
        "contracts",
        "procurement_awards.csv",
        "procurement-awards.toml",
    ),
];

const PURPOSE: &str = "OP LANTERN: proactive cross-reference of force extracts";

/// A day `days_ago` before today, as the force's systems write it.
fn uk_date(days_ago: i64) -> String {
    let day = time::OffsetDateTime::now_utc().date() - time::Duration::days(days_ago);
    format!(
        "{:02}/{:02}/{}",
        day.day(),
        u8::from(day.month()),
        day.year()
    )
}

fn uk_time(days_ago: i64, hour: u32, minute: u32) -> String {
    format!("{} {hour:02}:{minute:02}:00", uk_date(days_ago))
}

/// As call data writes a start: to the minute.
fn uk_minute(days_ago: i64, hour: u32, minute: u32) -> String {
    format!("{} {hour:02}:{minute:02}", uk_date(days_ago))
}

/// The planted staff and people, by the ids the systems give them.
struct Plan {
    /// (kind, staff number, the other's RMS id or "") for every planted lead.
    planted: BTreeSet<(&'static str, String, String)>,
}

/// A CSV file as Excel saves it: BOM, CRLF.
fn write_csv(dir: &Path, name: &str, header: &str, rows: &[String]) -> PathBuf {
    let mut text = String::from("\u{feff}");
    text.push_str(header);
    text.push_str("\r\n");
    for row in rows {
        text.push_str(row);
        text.push_str("\r\n");
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn staff(n: usize) -> String {
    format!("E{:05}", 10_000 + n)
}

fn person(n: usize) -> String {
    format!("P{n:06}")
}

fn mobile(n: usize) -> String {
    // Ofcom's drama range: 07700 900000 to 900999.
    format!("07700 900{n:03}")
}

/// Writes the extract set into `dir` and returns what was planted.
#[expect(
    clippy::too_many_lines,
    reason = "one force's extracts, file by file, each lead beside its look-alike"
)]
fn write_extracts(dir: &Path) -> Plan {
    let mut planted = BTreeSet::new();
    // People Services: 60 members of staff. 1..=20 carry the planted leads and their
    // look-alikes; the rest are the ordinary workforce.
    let mut hr = Vec::new();
    for n in 1..=60 {
        let officer = n % 3 != 0;
        let (level, post, expiry_days) = match n {
            13 => ("MV", "MV", 40),      // expired 40 days ago: a lead
            14 => ("MV", "MV", -200),    // expires in 200 days: not yet
            15 => ("RV", "MV", -900),    // below the post: a lead
            16 => ("NPPV3", "MV", -900), // NPPV3 meets MV: not a lead
            _ => ("MV", if officer { "RV" } else { "NPPV2" }, -1_000),
        };
        hr.push(format!(
            "{},{} ,Staffname{n},{},{},{},{},{},{},{},{},{},{},{}",
            if n % 7 == 0 {
                staff(n).to_lowercase()
            } else {
                staff(n)
            },
            ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin"][n % 6],
            uk_date(9_000 + i64::try_from(n).unwrap() * 50),
            if officer { "PC" } else { "Grade 4" },
            if officer {
                "Response Officer"
            } else {
                "Analyst"
            },
            ["Response", "CID", "Custody", "Contact Centre"][n % 4],
            if officer {
                "Police Officer"
            } else {
                "Police Staff"
            },
            if n == 60 { "Leaver" } else { "Active" },
            mobile(n),
            level,
            uk_date(1_500),
            uk_date(expiry_days),
            post,
        ));
    }
    write_csv(
        dir,
        "hr_staff.csv",
        "Employee Number,Forename,Surname,Date of Birth,Rank/Grade,Job Title,Department,\
         Employment Type,Status,Work Mobile,Vetting Level,Vetting Granted,Vetting Expiry,\
         Post Vetting Level",
        &hr,
    );
    planted.insert(("vetting_expiry", staff(13), String::new()));
    planted.insert(("vetting_below_post", staff(15), String::new()));

    // The records system's person list: 1..=30 are planted people, the rest ordinary.
    let mut persons = Vec::new();
    for n in 1..=180 {
        let (ocg, criminal, vulnerable) = match n {
            2 | 6 | 12 => ("Blackwater Crew", "Y", "N"),
            7 | 9 | 10 => ("", "Y", "N"),
            // Vulnerable people no one in the audit trail looks up.
            17 | 34 => ("", "N", "Y"),
            _ => ("", "N", "N"),
        };
        persons.push(format!(
            "{},\"PERSONNAME{n}, {}\",{},{},{},{},{}",
            person(n),
            ["Lee", "Kim", "Dana", "Ash"][n % 4],
            uk_date(8_000 + i64::try_from(n).unwrap() * 37),
            // Half the people have a mobile on record.
            if n % 2 == 0 || n <= 30 {
                mobile(200 + n)
            } else {
                String::new()
            },
            ocg,
            criminal,
            vulnerable,
        ));
    }
    write_csv(
        dir,
        "rms_persons.csv",
        "Person ID,Name,DOB,Mobile No,OCG,Criminal Marker,Vulnerable Marker",
        &persons,
    );

    // The register: E7's criminal brother P7 and E10's criminal friend P10 are declared.
    write_csv(
        dir,
        "na_register.csv",
        "Staff Number,Associate RMS ID,Category,Relationship,Declared,Conditions",
        &[
            format!(
                "{},{},Criminal,Brother,{},No discussion of work",
                staff(7),
                person(7),
                uk_date(800)
            ),
            format!(
                "{},{},criminal,Friend,{},",
                staff(10),
                person(10),
                uk_date(600)
            ),
        ],
    );

    // Intelligence links.
    let link = |from_staff: &str, from_person: &str, to: &str, kind: &str, grade: &str| {
        format!(
            "{from_staff},{from_person},{to},{kind},{grade},{}",
            uk_date(400)
        )
    };
    let mut links = vec![
        // E9 is directly linked to criminal P9 and never declared it: a lead.
        link(&staff(9), "", &person(9), "Associate", "Confirmed"),
        // E10 is linked to P10, declared: nothing.
        link(&staff(10), "", &person(10), "Friend", "Confirmed"),
        // E11 -> P11 -> P12 (OCG): a two-link route on strong links: a lead.
        link(&staff(11), "", &person(11), "Friend", "Confirmed"),
        link("", &person(11), &person(12), "Associate", "Probable"),
        // E12 -> P13 -> P12 on a possible link: a weak reading, below the threshold.
        link(&staff(12), "", &person(13), "Friend", "Possible"),
        link("", &person(13), &person(12), "Associate", "Confirmed"),
    ];
    // Ordinary people know each other.
    for n in 40..120 {
        links.push(link(
            "",
            &person(n),
            &person(n + 7),
            "Friend",
            ["Confirmed", "Probable"][n % 2],
        ));
    }
    write_csv(
        dir,
        "intel_links.csv",
        "Entity 1 Staff No,Entity 1 RMS ID,Entity 2 RMS ID,Relationship,Grade,Recorded",
        &links,
    );
    planted.insert(("undeclared_association", staff(9), person(9)));
    planted.insert(("undeclared_route", staff(11), person(11)));

    // Crimes: P5 was the victim of a crime E4 investigated (closed 100 days ago).
    write_csv(
        dir,
        "rms_crimes.csv",
        "Crime Number,Victim ID,Officer,Reported,Finalised",
        &[
            format!(
                "CR/1001/25,{},{},{},{}",
                person(5),
                staff(4),
                uk_date(300),
                uk_date(100)
            ),
            // Still open: look-ups of P20 are the case's work.
            format!("CR/1002/25,{},{},{},", person(20), staff(18), uk_date(60)),
        ],
    );

    // The audit trail: ordinary look-ups first, then the planted ones and their look-alikes.
    let mut audit = Vec::new();
    for k in 0..3_000usize {
        let (user, subject) = (staff(21 + k % 39), person(40 + (k * 7) % 140));
        let reason = if k % 3 == 0 { "" } else { "INC" };
        audit.push(format!(
            "{},{user},{subject},{reason}",
            uk_time(
                1 + i64::try_from(k % 200).unwrap(),
                9 + u32::try_from(k % 8).unwrap(),
                5
            )
        ));
    }
    let mut look_up = |days_ago: i64, user: &str, subject: &str, reason: &str| {
        audit.push(format!(
            "{},{user},{subject},{reason}",
            uk_time(days_ago, 22, 10)
        ));
    };
    // E1 looks up OCG member P2 three times with no reason: a lead.
    for days in [30, 20, 10] {
        look_up(days, &staff(1), &person(2), "");
    }
    // E2 looks up P2 for a crime, reason code given each time: below the threshold.
    look_up(15, &staff(2), &person(2), "CRIME");
    // E3 looks up victim P5 after the crime closed: a lead.
    look_up(50, &staff(3), &person(5), "");
    look_up(40, &staff(3), &person(5), "");
    // E4, the officer on the crime, looks P5 up after it closed: the work of the case.
    look_up(45, &staff(4), &person(5), "");
    // E5 looks P5 up while the crime was open: never counts.
    look_up(200, &staff(5), &person(5), "");
    // E18 looks up P20, whose crime is open: never counts.
    look_up(5, &staff(18), &person(20), "");
    write_csv(
        dir,
        "rms_audit.csv",
        "Event Time,User,Person ID,Reason Code",
        &audit,
    );
    planted.insert(("watched_lookup", staff(1), person(2)));
    planted.insert(("watched_lookup", staff(3), person(5)));

    // Call data: E6's work mobile and OCG member P6's mobile; E7 and his declared brother.
    let mut calls = Vec::new();
    for k in 0..400usize {
        calls.push(format!(
            "{},{},{},{}",
            mobile(21 + k % 39),
            mobile(200 + 40 + 2 * (k % 60)),
            uk_minute(1 + i64::try_from(k % 90).unwrap(), 12, 0),
            30 + k % 300
        ));
    }
    for days in [12, 9, 3] {
        calls.push(format!(
            "{},{},{},420",
            mobile(6),
            mobile(206),
            uk_minute(days, 23, 30)
        ));
        calls.push(format!(
            "{},{},{},600",
            mobile(7),
            mobile(207),
            uk_minute(days, 19, 0)
        ));
    }
    write_csv(
        dir,
        "call_data.csv",
        "A Number,B Number,Call Start,Duration",
        &calls,
    );
    planted.insert(("calls_with_criminals", staff(6), person(6)));

    // Hospitality and contracts: E8 accepts hospitality from Apex, then awards it a contract;
    // E17 declined Brightwater's, whose contract came 500 days later.
    write_csv(
        dir,
        "gifts_hospitality.csv",
        "Staff No,Date Offered,Offered By,Details,Estimated Value,Accepted/Declined",
        &[
            format!(
                "{},{},Apex  Facilities Ltd,Box at the races,\"£1,250.00\",Accepted",
                staff(8),
                uk_date(200)
            ),
            format!(
                "{},{},Brightwater Catering,Lunch,£40,Declined",
                staff(17),
                uk_date(700)
            ),
            format!(
                "{},{},Northgate Books,Diary,£5,Accepted",
                staff(30),
                uk_date(90)
            ),
        ],
    );
    write_csv(
        dir,
        "procurement_awards.csv",
        "Supplier,Award Date,Contract Value,Authorised By",
        &[
            format!(
                "APEX FACILITIES LIMITED,{},\"£250,000\",{}",
                uk_date(120),
                staff(8).to_lowercase()
            ),
            format!(
                "Brightwater Catering Ltd,{},£80000,{}",
                uk_date(200),
                staff(33)
            ),
            format!("Greyfield Fleet Ltd,{},£120000,{}", uk_date(150), staff(34)),
        ],
    );
    planted.insert(("hospitality_before_contract", staff(8), String::new()));
    Plan { planted }
}

fn cli(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    let mut cmd = sandbox.cli_as(INSPECTOR, INSPECTOR_PASSWORD);
    cmd.env("CCU_PURPOSE", PURPOSE).args(args);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/import_specs/examples")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn a_force_extract_set_goes_from_export_to_leads_with_specs_alone() {
    let sandbox = Sandbox::new();
    Workbench::create(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD, CHEAP)
        .unwrap()
        .lock()
        .unwrap();
    let exports = sandbox.path("exports");
    std::fs::create_dir(&exports).unwrap();
    let plan = write_extracts(&exports);
    let file = |name: &str| exports.join(name).display().to_string();
    let imports = EXTRACT_SET;
    let mut reports = Vec::new();
    for (kind, name, spec) in imports {
        // A dry run first says what would be recorded, and changes nothing.
        let out = cli(
            &sandbox,
            &[
                "import",
                kind,
                &file(name),
                "--spec",
                &example(spec),
                "--dry-run",
            ],
        );
        let dry = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(dry.contains("would"), "{kind}: {dry}");
        let out = cli(
            &sandbox,
            &[
                "import",
                kind,
                &file(name),
                "--spec",
                &example(spec),
                "--json",
            ],
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["rows_rejected"], 0, "{kind} {name}: {report}");
        reports.push((kind, report));
    }
    let report = |kind: &str| &reports.iter().find(|(k, _)| *k == kind).unwrap().1;
    // The person list gave people, their phones and their OCG in one import: 180 people, 105
    // phones, one OCG; each person keeps its RMS id.
    let people = &reports[2].1;
    assert_eq!(people["nominals_created"], 180 + 105 + 1, "{people}");
    assert_eq!(people["links_created"], 105 + 3, "{people}");
    // The staff list gave 60 employees and their 60 phones; read again as vetting, 60 records.
    assert_eq!(reports[0].1["nominals_created"], 120);
    assert_eq!(report("vetting")["rows_imported"], 60);
    // The register: two entries, both associates found by RMS id.
    let register = report("notifiable_associations");
    assert_eq!(register["associations_registered"], 2);
    assert_eq!(register["matched"]["subjects"], 2);
    // Every row of the audit trail named its subject by RMS id, and every one matched.
    let audit = report("audit_events");
    assert_eq!(audit["matched"]["subjects"], audit["rows_imported"]);
    // Link ends are counted as matched.
    let links = report("links");
    assert_eq!(
        links["matched"]["link_ends"].as_u64().unwrap(),
        2 * links["rows_imported"].as_u64().unwrap()
    );
    // Importing a file again under the same kind and spec version is refused.
    let mut cmd = sandbox.cli_as(INSPECTOR, INSPECTOR_PASSWORD);
    let again = cmd
        .env("CCU_PURPOSE", PURPOSE)
        .args([
            "import",
            "calls",
            &file("call_data.csv"),
            "--spec",
            &example("call-data.toml"),
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already imported"));
    // A person is found by the id the records system gave them.
    let out = cli(&sandbox, &["search", "P000012", "--json"]);
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(hits.to_string().contains("PERSONNAME12"), "{hits}");

    cli(&sandbox, &["crossref"]);
    let out = cli(&sandbox, &["lead", "list", "--json"]);
    let leads: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    // Names back to the systems' ids: staff numbers from the HR list, RMS ids from the person
    // list (the profile shows both).
    let mut wb = Workbench::unlock(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let mut found = BTreeSet::new();
    for lead in &leads {
        assert!(lead["score"].as_u64().unwrap() >= 50, "{lead}");
        let mut id_of = |id: i64| {
            let profile = wb
                .view_nominal(ccu_workbench::domain::NominalId(id))
                .unwrap();
            if let ccu_workbench::domain::NominalDetails::Employee { staff_number, .. } =
                &profile.nominal.details
            {
                return staff_number.clone();
            }
            profile
                .external_ids
                .iter()
                .find(|e| e.system == "rms")
                .map(|e| e.id.clone())
                .unwrap_or_default()
        };
        let employee = id_of(lead["employee"].as_i64().unwrap());
        let other = lead["others"]
            .as_array()
            .unwrap()
            .first()
            .map(|o| id_of(o.as_i64().unwrap()))
            .unwrap_or_default();
        let kind = lead["kind"].as_str().unwrap();
        let kind: &'static str = [
            "watched_lookup",
            "calls_with_criminals",
            "hospitality_before_contract",
            "sanctioned_still_querying",
            "undeclared_association",
            "undeclared_route",
            "vetting_expiry",
            "vetting_below_post",
        ]
        .into_iter()
        .find(|k| *k == kind)
        .unwrap_or("unknown");
        found.insert((kind, employee, other));
    }
    let missing: Vec<_> = plan.planted.difference(&found).collect();
    let innocent: Vec<_> = found.difference(&plan.planted).collect();
    assert!(
        missing.is_empty() && innocent.is_empty(),
        "planted but not found: {missing:?}\nfound but not planted: {innocent:?}\n{leads:#?}"
    );
    // The two-link route is among them, through the person between.
    let route = leads
        .iter()
        .find(|l| l["kind"] == "undeclared_route")
        .unwrap();
    let explanation = route["explanation"][0].as_str().unwrap();
    assert!(
        explanation.contains("2 link(s)") && explanation.contains("PERSONNAME11"),
        "{explanation}"
    );
    // The look-alikes were seen and listed below the threshold, in full.
    let out = cli(&sandbox, &["crossref", "--json"]);
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let below = run["below_threshold"].as_array().unwrap();
    let below_kinds: BTreeSet<&str> = below.iter().map(|b| b["kind"].as_str().unwrap()).collect();
    for kind in ["watched_lookup", "calls_with_criminals", "undeclared_route"] {
        assert!(below_kinds.contains(kind), "{kind}: {below:#?}");
    }
    assert!(
        below.iter().all(|b| b["score"].as_u64().unwrap() < 50
            && !b["explanation"].as_array().unwrap().is_empty())
    );
    // A lower threshold brings the weak route up; the default is 50.
    let out = cli(&sandbox, &["crossref", "--threshold", "40", "--json"]);
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["threshold"], 40);
    assert!(
        run["leads"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["kind"] == "undeclared_route")
            .count()
            >= 2
    );
    wb.lock().unwrap();
}

/// Issue 21: "a row dated after the day of the import is refused as a bad row with that
/// reason"; with `--skip-bad-rows` the rest goes in and the report says why the row did not.
#[test]
fn a_row_dated_after_the_import_is_refused_and_named() {
    let sandbox = Sandbox::new();
    Workbench::create(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD, CHEAP)
        .unwrap()
        .lock()
        .unwrap();
    let exports = sandbox.path("exports");
    std::fs::create_dir(&exports).unwrap();
    let mut rows = vec![format!("{},{},{},", uk_time(3, 10, 0), staff(1), person(1))];
    rows.push(format!(
        "{},{},{},",
        uk_time(-2, 10, 0),
        staff(1),
        person(1)
    ));
    let path = write_csv(
        &exports,
        "audit.csv",
        "Event Time,User,Person ID,Reason Code",
        &rows,
    );
    let mut cmd = sandbox.cli_as(INSPECTOR, INSPECTOR_PASSWORD);
    let refused = cmd
        .env("CCU_PURPOSE", PURPOSE)
        .args([
            "import",
            "audit_events",
            &path.display().to_string(),
            "--spec",
            &example("rms-audit.toml"),
        ])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("audit.csv")
            && stderr.contains("line 3")
            && stderr.contains("dated after the day of the import"),
        "{stderr}"
    );
    let mut text = String::new();
    let out = cli(
        &sandbox,
        &[
            "import",
            "audit_events",
            &path.display().to_string(),
            "--spec",
            &example("rms-audit.toml"),
            "--skip-bad-rows",
            "--rejects",
            &sandbox.path("rejects.csv").display().to_string(),
        ],
    );
    let _ = write!(text, "{}", String::from_utf8_lossy(&out.stdout));
    assert!(text.contains("rejected 1 row(s)"), "{text}");
    let rejects = std::fs::read_to_string(sandbox.path("rejects.csv")).unwrap();
    assert!(
        rejects.contains("occurred_at: dated after the day of the import"),
        "{rejects}"
    );
}

/// The extract set imported with the example specs (no dry runs), then cross-referenced.
fn imported_force(sandbox: &Sandbox) {
    Workbench::create(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD, CHEAP)
        .unwrap()
        .lock()
        .unwrap();
    let exports = sandbox.path("exports");
    std::fs::create_dir(&exports).unwrap();
    write_extracts(&exports);
    for (kind, name, spec) in EXTRACT_SET {
        let file = exports.join(name).display().to_string();
        cli(sandbox, &["import", kind, &file, "--spec", &example(spec)]);
    }
    cli(sandbox, &["crossref"]);
}

/// Issue 22: the subject profile gathers what the extracts and the records say about one
/// member of staff, each section checked against what the test put there, and one audited
/// consultation.
#[test]
fn the_subject_profile_gathers_what_the_records_say() {
    use ccu_workbench::domain::{ConductOutcome, ConductOutcomeKind, NominalDetails, NominalId};
    let sandbox = Sandbox::new();
    imported_force(&sandbox);
    let mut wb = Workbench::unlock(&sandbox.workbench(), INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    // Without a purpose, nothing is shown.
    assert!(wb.subject_profile(NominalId(1)).is_err());
    wb.set_purpose(PURPOSE).unwrap();
    let find = |wb: &mut Workbench, words: &str| {
        let query = ccu_workbench::domain::SearchQuery {
            text: words.to_owned(),
            nominals_only: true,
            ..ccu_workbench::domain::SearchQuery::default()
        };
        wb.search(&query)
            .unwrap()
            .into_iter()
            .find_map(|hit| match hit.target {
                ccu_workbench::domain::SearchTarget::Nominal { id } => Some(id),
                ccu_workbench::domain::SearchTarget::Item { .. } => None,
            })
            .unwrap()
    };
    // E10007: declared criminal brother, calls with him, a lead none (declared), vetting fine.
    let brother_officer = find(&mut wb, &staff(7));
    let item = wb
        .create_item(
            &crate::common::item_fields(brother_officer, "Seen with his brother at a wedding."),
            None,
        )
        .unwrap();
    wb.record_conduct_outcome(&ConductOutcome {
        staff_number: staff(7),
        decided_on: uk_iso(30).parse().unwrap(),
        category: "disclosure".into(),
        outcome: ConductOutcomeKind::ManagementAdvice,
        referred_to_iopc: false,
    })
    .unwrap();
    let before = wb.audit_entries(1, 100_000).unwrap().len();
    let profile = wb.subject_profile(brother_officer).unwrap();
    let NominalDetails::Employee { staff_number, .. } = &profile.nominal.details else {
        panic!("{:?}", profile.nominal)
    };
    assert_eq!(staff_number, &staff(7));
    let vetting = profile.vetting.as_ref().unwrap();
    assert_eq!(vetting.current.level, "MV");
    assert!(vetting.warnings.is_empty(), "{:?}", vetting.warnings);
    assert_eq!(profile.associations.len(), 1);
    assert!(profile.associations[0].other_name.contains("PERSONNAME7"));
    assert_eq!(profile.intelligence.len(), 1);
    assert_eq!(profile.intelligence[0].item.reference, item.reference);
    assert_eq!(profile.intelligence[0].role, "subject");
    assert_eq!(profile.conduct_outcomes.len(), 1);
    assert_eq!(profile.calls_with_watched, 3);
    assert!(profile.assessments.is_empty() && profile.interventions.is_empty());
    assert!(profile.hospitality.is_empty() && profile.business_interests.is_empty());
    // The timeline holds every dated record, oldest first.
    let kinds: BTreeSet<&str> = profile.timeline.iter().map(|e| e.kind.as_str()).collect();
    for kind in [
        "vetting_granted",
        "vetting_expires",
        "association",
        "intelligence",
        "conduct_outcome",
    ] {
        assert!(kinds.contains(kind), "{kind}: {:#?}", profile.timeline);
    }
    assert!(profile.timeline.windows(2).all(|w| w[0].on <= w[1].on));
    assert!(
        profile
            .timeline
            .iter()
            .any(|e| e.kind == "intelligence" && e.reference == item.reference)
    );
    // One consultation, recorded with the purpose.
    let entries = wb.audit_entries(1, 100_000).unwrap();
    let viewed: Vec<_> = entries[before..]
        .iter()
        .filter(|e| e.action == "subject.view")
        .collect();
    assert_eq!(viewed.len(), 1);
    assert_eq!(viewed[0].justification, PURPOSE);

    // E10001: the watched look-up lead and the look-ups by month.
    let looker = find(&mut wb, &staff(1));
    let profile = wb.subject_profile(looker).unwrap();
    assert_eq!(
        profile
            .leads
            .iter()
            .map(|l| l.kind.as_str())
            .collect::<Vec<_>>(),
        ["watched_lookup"]
    );
    assert_eq!(profile.lookups.iter().map(|l| l.count).sum::<u64>(), 3);
    assert!(profile.lookups.iter().all(|l| l.system == "RMS"));
    // E10008: hospitality and its lead; E10013: expired vetting, said in words.
    let host = find(&mut wb, &staff(8));
    let profile = wb.subject_profile(host).unwrap();
    assert_eq!(profile.hospitality.len(), 1);
    assert!(profile.hospitality[0].accepted);
    assert_eq!(profile.leads[0].kind, "hospitality_before_contract");
    let expired = find(&mut wb, &staff(13));
    let profile = wb.subject_profile(expired).unwrap();
    assert!(
        profile.vetting.as_ref().unwrap().warnings[0].starts_with("Expired on"),
        "{:?}",
        profile.vetting
    );
    // A person: their system id, and the lead that names them among the others.
    let ocg_member = find(&mut wb, &person(2));
    let profile = wb.subject_profile(ocg_member).unwrap();
    assert_eq!(profile.external_ids[0].id, person(2));
    assert!(profile.vetting.is_none());
    assert_eq!(profile.leads.len(), 1);

    // A person's profile: the staff linked to them and by which route, declared or not. P10
    // is E10's declared friend; P11 is E11's undeclared friend.
    let declared_friend = find(&mut wb, &person(10));
    let profile = wb.subject_profile(declared_friend).unwrap();
    let e10 = &profile.staff_routes[0];
    assert!(e10.name.contains(&staff(10)), "{e10:?}");
    assert_eq!(e10.hops, 1);
    assert!(e10.declared);
    let undeclared_friend = find(&mut wb, &person(11));
    let profile = wb.subject_profile(undeclared_friend).unwrap();
    let e11 = &profile.staff_routes[0];
    assert!(e11.name.contains(&staff(11)), "{e11:?}");
    assert!(!e11.declared);
    assert!(e11.route.contains("Friend"), "{}", e11.route);
    // An OCG's: its members, and the staff within three links (E11 and E12 through P12).
    let ocg = find(&mut wb, "Blackwater");
    let profile = wb.subject_profile(ocg).unwrap();
    let mut members: Vec<&str> = profile.members.iter().map(|(_, n)| n.as_str()).collect();
    members.sort_unstable();
    assert_eq!(members.len(), 3, "{members:?}");
    for n in [2, 6, 12] {
        let name = format!("PERSONNAME{n}");
        assert!(
            members.iter().any(|m| m.ends_with(&name)),
            "{name} in {members:?}"
        );
    }
    assert!(
        profile
            .staff_routes
            .iter()
            .all(|r| r.hops <= 3 && !r.declared)
    );
    for n in [11, 12] {
        let route = profile
            .staff_routes
            .iter()
            .find(|r| r.name.contains(&staff(n)))
            .unwrap_or_else(|| panic!("E{n} in {:?}", profile.staff_routes));
        assert_eq!(route.hops, 3, "{route:?}");
    }
    let sections = profile.sections(wb.reference_data());
    let titles: Vec<&str> = sections.iter().map(|s| s.title).collect();
    assert!(titles.contains(&"Members") && titles.contains(&"Staff within three links"));
    assert!(!titles.contains(&"Vetting"));

    // The report: the same sections as a document (a disclosure), in HTML and in PDF.
    let out = sandbox.dir.path().join("subject.html");
    let before = wb.audit_entries(1, 100_000).unwrap().len();
    wb.export_subject_report(brother_officer, &out).unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    for words in [
        "OFFICIAL-SENSITIVE: COUNTER CORRUPTION UNIT",
        "Notifiable associations (1)",
        "Conduct outcomes (1)",
        "Management advice",
        item.reference.as_str(),
        "PERSONNAME7",
        "Risk assessments (0)",
        "None made.",
        PURPOSE,
    ] {
        assert!(html.contains(words), "{words} in the report");
    }
    assert!(!html.contains("association:"), "no database ids in print");
    let entries = wb.audit_entries(1, 100_000).unwrap();
    let export = entries[before..]
        .iter()
        .find(|e| e.action == "report.export")
        .unwrap();
    assert_eq!(export.object, format!("nominal:{brother_officer}"));
    assert!(export.detail.contains(&item.reference));
    // It never overwrites, and writes only what it knows how to.
    assert!(wb.export_subject_report(brother_officer, &out).is_err());
    let text = sandbox.dir.path().join("subject.txt");
    assert!(wb.export_subject_report(brother_officer, &text).is_err());
    assert!(!text.exists());
    wb.lock().unwrap();
    let pdf = sandbox.dir.path().join("subject.pdf");
    let printed = cli(
        &sandbox,
        &[
            "report",
            "subject",
            &brother_officer.0.to_string(),
            "--out",
            &pdf.display().to_string(),
        ],
    );
    let printed = String::from_utf8_lossy(&printed.stdout);
    assert_eq!(printed.lines().count(), 1, "{printed}");
    assert!(printed.contains("the disclosure is recorded"), "{printed}");
    assert!(
        !printed.contains("PERSONNAME7"),
        "the report stays in the file"
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
}

/// A day `days_ago` before today, ISO.
fn uk_iso(days_ago: i64) -> String {
    (time::OffsetDateTime::now_utc().date() - time::Duration::days(days_ago)).to_string()
}
