//! Operation Beacon screening benchmarks (issue 24).
//!
//! First, how well screening finds what was planted: a synthetic force in the shapes real
//! extracts take (HR list, records system persons and crimes, audit trail, call data, command
//! and control log) with planted abuse patterns and innocent look-alikes, imported through the
//! specs, screened, for ten seeds: precision and recall at the threshold.
//!
//! Then how fast and how lean: 2,000 members of staff screened against ten million audit rows,
//! a million calls and a million deployments (target ≤ 10 s on the reference machine), with
//! the peak memory while screening a quarter of the rows and all of them (target: flat in the
//! row counts). The rows go straight into the encrypted store by SQL, shaped as imports leave
//! them: ordinary work (officers looking up the people on their own open cases, dispatched
//! attendances, calls with unknown numbers), and a few planted patterns.
//!
//! `cargo bench --bench beacon` prints each figure next to its target. `CCU_BENCH_QUICK=1`
//! runs a hundredth of the sizes and two seeds (for CI smoke runs; the figures then mean
//! little).

#![expect(
    clippy::expect_used,
    reason = "a benchmark that cannot set up its data stops with the reason"
)]

#[path = "../tests/it/common/beacon_force.rs"]
mod beacon_force;

use ccu_workbench::Workbench;
use ccu_workbench::crypto::KdfParams;
use ccu_workbench::risk::beacon_screen::BEACON_THRESHOLD;
use std::collections::BTreeSet;
use std::time::Instant;

const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;
const USER: &str = "DI Bench";
const PASSWORD: &str = "bench pass phrase";

fn report(name: &str, measured: &str, target: &str) {
    println!("{name:<72} {measured:>22}   target {target}");
}

/// A line of `/proc/self/status`, in MiB (Linux; `None` elsewhere).
fn status_mib(field: &str) -> Option<f64> {
    #[cfg(target_os = "linux")]
    {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = field;
        None
    }
}

fn reset_peak_memory() {
    #[cfg(target_os = "linux")]
    {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Imports one extract through its spec, as an analyst would.
fn import_extract(wb: &mut Workbench, extract: &beacon_force::Extract) {
    let spec = ccu_workbench::io::import_spec::read_file(&extract.spec).expect("spec");
    let report = wb
        .import_bulk_file(
            &spec,
            &extract.file,
            ccu_workbench::workbench::ImportOptions::default(),
            &mut |_| std::ops::ControlFlow::Continue(()),
        )
        .expect("import");
    drop(report);
}

/// Precision and recall over seeds: every planted pattern's member of staff must be due with
/// a finding of its indicator; nobody else (the look-alikes among them) may be.
fn precision_and_recall(seeds: u64) {
    let mut found = 0_usize;
    let mut planted_total = 0_usize;
    let mut flagged_total = 0_usize;
    let mut flagged_right = 0_usize;
    let mut look_alikes_flagged = 0_usize;
    let mut look_alikes_total = 0_usize;
    let started = Instant::now();
    for seed in 1..=seeds {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("extracts")).expect("extracts folder");
        let force = beacon_force::write_force(
            &dir.path().join("extracts"),
            seed,
            beacon_force::ForceSize::BENCH,
        );
        let mut wb =
            Workbench::create(&dir.path().join("b.ccuwb"), USER, PASSWORD, CHEAP).expect("create");
        wb.set_purpose("OP BEACON BENCH: proactive screening")
            .expect("purpose");
        for extract in &force.extracts {
            import_extract(&mut wb, extract);
        }
        let screening = wb.beacon_screen(BEACON_THRESHOLD).expect("screen");
        // (staff number, indicator) pairs flagged at or above the threshold.
        let mut flagged: BTreeSet<(String, String)> = BTreeSet::new();
        for entry in screening.due.iter().chain(&screening.assessed_unchanged) {
            for finding in entry
                .findings
                .iter()
                .filter(|f| f.score >= BEACON_THRESHOLD)
            {
                flagged.insert((
                    entry.staff_number.clone().unwrap_or_default(),
                    finding.indicator.as_str().to_owned(),
                ));
            }
        }
        let planted: BTreeSet<(String, String)> = force
            .planted
            .iter()
            .map(|p| (p.staff_number.clone(), p.indicator.to_owned()))
            .collect();
        planted_total += planted.len();
        found += planted.intersection(&flagged).count();
        flagged_total += flagged.len();
        flagged_right += flagged.intersection(&planted).count();
        let flagged_staff: BTreeSet<&str> = flagged.iter().map(|(s, _)| s.as_str()).collect();
        let planted_staff: BTreeSet<&str> = planted.iter().map(|(s, _)| s.as_str()).collect();
        for look_alike in &force.look_alikes {
            look_alikes_total += 1;
            if flagged_staff.contains(look_alike.staff_number.as_str())
                && !planted_staff.contains(look_alike.staff_number.as_str())
            {
                look_alikes_flagged += 1;
            }
        }
    }
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    report(
        &format!("Recall over {seeds} synthetic forces (planted patterns found)"),
        &format!(
            "{:.3} ({found}/{planted_total})",
            ratio(found, planted_total)
        ),
        "1.000",
    );
    report(
        &format!("Precision over {seeds} synthetic forces (flagged that were planted)"),
        &format!(
            "{:.3} ({flagged_right}/{flagged_total})",
            ratio(flagged_right, flagged_total)
        ),
        "1.000",
    );
    report(
        "Innocent look-alikes at or above the threshold",
        &format!("{look_alikes_flagged} of {look_alikes_total}"),
        "0",
    );
    println!(
        "({seeds} forces written, imported and screened in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
}

/// The shape of the large force.
struct Large {
    staff: u64,
    people: u64,
    cases: u64,
}

const DAY: i64 = 86_400;

/// Loads nominals, phones and cases; returns (first employee id, first person id, the
/// import id rows hang on).
fn load_people(conn: &rusqlite::Connection, large: &Large, now: i64) -> (i64, i64, i64) {
    let stamp = "2026-12-01T00:00:00Z";
    conn.execute_batch("BEGIN").expect("begin");
    conn.execute(
        "INSERT INTO imports (kind, source_name, row_count, detail, created_at, created_by)
         VALUES ('audit_events', 'benchmark.csv', 0, '{}', ?1, 1)",
        [stamp],
    )
    .expect("import row");
    let import = conn.last_insert_rowid();
    let reference: i64 = conn
        .query_row("SELECT MAX(version) FROM reference_versions", [], |r| {
            r.get(0)
        })
        .expect("reference version");
    let mut nominal = conn
        .prepare(
            "INSERT INTO nominals (kind, display_name, identity_key, date_of_birth, flags,
                details, version, created_at, created_by, updated_at, updated_by)
             VALUES (?1, ?2, ?3, NULL, ?4, ?5, 1, ?6, 1, ?6, 1)",
        )
        .expect("prepare");
    let mut link = conn
        .prepare(
            "INSERT INTO links (link_type, from_id, to_id, directed, confidence,
                reference_version, created_at, created_by)
             VALUES ('uses_phone', ?1, ?2, 1, 'confirmed', ?3, ?4, 1)",
        )
        .expect("prepare");
    let mut add_phone = |owner: i64, n: u64, nominal: &mut rusqlite::Statement<'_>| {
        let number = format!("+447700{n:06}");
        nominal
            .execute(rusqlite::params![
                "phone",
                number,
                number,
                0,
                serde_json::json!({"kind": "phone", "number": number}).to_string(),
                stamp
            ])
            .expect("phone");
        let phone = conn.last_insert_rowid();
        link.execute(rusqlite::params![owner, phone, reference, stamp])
            .expect("link");
    };
    let mut first_staff = 0;
    for s in 0..large.staff {
        let number = format!("E{s:05}");
        nominal
            .execute(rusqlite::params![
                "employee",
                format!("Staff Member{s}"),
                number,
                0,
                serde_json::json!({"kind": "employee", "staff_number": number,
                    "forenames": "Staff", "surname": format!("Member{s}"),
                    "employee_type": "officer", "status": "serving"})
                .to_string(),
                stamp
            ])
            .expect("employee");
        let id = conn.last_insert_rowid();
        if s == 0 {
            first_staff = id;
        }
        add_phone(id, s, &mut nominal);
    }
    let mut first_person = 0;
    for p in 0..large.people {
        let vulnerable = p % 20 == 0;
        nominal
            .execute(rusqlite::params![
                "person",
                format!("Person {p}"),
                Option::<String>::None,
                if vulnerable { 4 } else { 0 },
                serde_json::json!({"kind": "person", "forenames": "Person",
                    "surname": format!("Number{p}"),
                    "flags": {"vulnerable": vulnerable}})
                .to_string(),
                stamp
            ])
            .expect("person");
        let id = conn.last_insert_rowid();
        if p == 0 {
            first_person = id;
        }
        // The case parties (the first `cases` people) have phones.
        if p < large.cases {
            add_phone(id, 100_000 + p, &mut nominal);
        }
    }
    let mut case = conn
        .prepare(
            "INSERT INTO cases (import_id, reference, victim_nominal, officer_number,
               officer_nominal, opened_on, closed_on, officer_role, party_role)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'victim')",
        )
        .expect("prepare");
    for c in 0..large.cases {
        let (opened, closed) = case_dates(c, now);
        let officer = c % large.staff;
        let date = |t: i64| {
            time::OffsetDateTime::from_unix_timestamp(t)
                .expect("time")
                .date()
                .to_string()
        };
        case.execute(rusqlite::params![
            import,
            format!("CR/{c:06}"),
            first_person + i64::try_from(c).expect("id") * 2,
            format!("E{officer:05}"),
            first_staff + i64::try_from(officer).expect("id") * 2,
            date(opened),
            closed.map(date),
            "OIC"
        ])
        .expect("case");
    }
    drop(case);
    drop(nominal);
    drop(link);
    conn.execute_batch("COMMIT").expect("commit");
    (first_staff, first_person, import)
}

/// A case's opening and (for four in five) closing time: opened in the last two years, open
/// for up to ninety days.
fn case_dates(c: u64, now: i64) -> (i64, Option<i64>) {
    let opened = now - 730 * DAY + i64::try_from(c * 7_919 % 600).expect("days") * DAY;
    let closed =
        (!c.is_multiple_of(5)).then(|| opened + i64::try_from(10 + c % 80).expect("days") * DAY);
    (opened, closed)
}

/// Nominal ids are interleaved with phones for staff and case parties: staff n is
/// `first + 2n`; person p is `first + 2p` for a case party, and after the parties one each.
fn person_id(first_person: i64, p: u64, cases: u64) -> i64 {
    let p = i64::try_from(p).expect("id");
    let cases = i64::try_from(cases).expect("id");
    if p < cases {
        first_person + p * 2
    } else {
        first_person + cases * 2 + (p - cases)
    }
}

/// Loads `audit`, `calls` and `deployments` rows of ordinary work (and, in the first batch,
/// the planted patterns).
#[expect(
    clippy::too_many_arguments,
    reason = "one batch of the large force's rows"
)]
fn load_rows(
    conn: &rusqlite::Connection,
    large: &Large,
    ids: (i64, i64, i64),
    now: i64,
    audit: u64,
    calls: u64,
    deployments: u64,
    rng: &mut Rng,
) {
    let (first_staff, first_person, import) = ids;
    let staff_id = |s: u64| first_staff + i64::try_from(s).expect("id") * 2;
    conn.execute_batch("BEGIN").expect("begin");
    {
        let mut insert = conn
            .prepare(
                "INSERT INTO system_audit_events (import_id, occurred_at, staff_number,
                   staff_nominal, system, subject_key, subject_nominal, reason_code)
                 VALUES (?1, ?2, ?3, ?4, 'PNC', ?5, ?6, 'INVESTIGATION')",
            )
            .expect("prepare");
        for _ in 0..audit {
            // One look-up in ten is of a case party, by their officer while the case is open.
            let (staff, subject, at) = if rng.below(10) == 0 {
                let c = rng.below(large.cases);
                let (opened, closed) = case_dates(c, now);
                let span = closed.unwrap_or(now) - opened;
                (
                    c % large.staff,
                    person_id(first_person, c, large.cases),
                    opened
                        + i64::try_from(rng.below(u64::try_from(span).expect("span"))).expect("at"),
                )
            } else {
                let p = large.cases + rng.below(large.people - large.cases);
                (
                    rng.below(large.staff),
                    person_id(first_person, p, large.cases),
                    now - i64::try_from(rng.below(730 * 86_400)).expect("at"),
                )
            };
            insert
                .execute(rusqlite::params![
                    import,
                    at,
                    format!("E{staff:05}"),
                    staff_id(staff),
                    format!("PERSON {subject}"),
                    subject,
                ])
                .expect("audit row");
        }
        let mut call = conn
            .prepare(
                "INSERT INTO call_records (import_id, caller, caller_nominal, callee,
                   callee_nominal, started_at, duration_secs, direction)
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, 'outgoing')",
            )
            .expect("prepare");
        for _ in 0..calls {
            // Staff phones calling numbers the workbench does not know.
            let s = rng.below(large.staff);
            call.execute(rusqlite::params![
                import,
                format!("+447700{s:06}"),
                staff_id(s) + 1,
                format!("+447911{:06}", rng.below(1_000_000)),
                now - i64::try_from(rng.below(730 * 86_400)).expect("at"),
                i64::try_from(rng.below(900)).expect("secs"),
            ])
            .expect("call");
        }
        let mut deployment = conn
            .prepare(
                "INSERT INTO deployments (import_id, incident_reference, deployed_at,
                   officer_number, officer_nominal, self_deployed, person_external_id,
                   person_id_system, person_nominal)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'cad', ?8)",
            )
            .expect("prepare");
        for n in 0..deployments {
            let s = rng.below(large.staff);
            let p = rng.below(large.people);
            // One in fifty is a self-deployment, spread over everyone.
            let self_deployed = rng.below(50) == 0;
            deployment
                .execute(rusqlite::params![
                    import,
                    format!("INC/{n:08}/{}", rng.below(1_000)),
                    now - i64::try_from(rng.below(730 * 86_400)).expect("at"),
                    format!("E{s:05}"),
                    staff_id(s),
                    self_deployed,
                    format!("C{p:07}"),
                    person_id(first_person, p, large.cases),
                ])
                .expect("deployment");
        }
    }
    conn.execute_batch("COMMIT").expect("commit");
}

/// Plants, for ten members of staff, look-ups of a case party after the case closed.
fn plant(conn: &rusqlite::Connection, large: &Large, ids: (i64, i64, i64), now: i64) {
    let (first_staff, first_person, import) = ids;
    for k in 0..10_u64 {
        // A closed case (c % 5 != 0) and a member of staff not on it.
        let c = k * 5 + 1;
        let (_, closed) = case_dates(c, now);
        let closed = closed.expect("closed");
        let staff = (c + 7) % large.staff;
        for n in 0..3 {
            conn.execute(
                "INSERT INTO system_audit_events (import_id, occurred_at, staff_number,
                   staff_nominal, system, subject_key, subject_nominal, reason_code)
                 VALUES (?1, ?2, ?3, ?4, 'PNC', 'PLANTED', ?5, 'INVESTIGATION')",
                rusqlite::params![
                    import,
                    closed + (5 + n) * DAY,
                    format!("E{staff:05}"),
                    first_staff + i64::try_from(staff).expect("id") * 2,
                    person_id(first_person, c, large.cases),
                ],
            )
            .expect("planted");
        }
    }
}

/// Screens once; returns the seconds, how many are due, and the resident memory before and at
/// its peak while screening (MiB).
fn screen_timed(wb: &mut Workbench) -> (f64, usize, Option<(f64, f64)>) {
    let before = status_mib("VmRSS:");
    reset_peak_memory();
    let started = Instant::now();
    let screening = wb.beacon_screen(BEACON_THRESHOLD).expect("screen");
    let secs = started.elapsed().as_secs_f64();
    (secs, screening.due.len(), before.zip(status_mib("VmHWM:")))
}

fn large_screening(scale: u64) {
    let large = Large {
        staff: 2_000,
        people: 200_000 / scale,
        cases: 20_000 / scale,
    };
    let (audit, calls, deployments) = (10_000_000 / scale, 1_000_000 / scale, 1_000_000 / scale);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut wb =
        Workbench::create(&dir.path().join("large.ccuwb"), USER, PASSWORD, CHEAP).expect("create");
    wb.set_purpose("OP BEACON BENCH: proactive screening")
        .expect("purpose");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let started = Instant::now();
    let conn = wb.store_for_tests().raw_connection();
    // Room for the indexes the random rows land in, so loading is not the long part of the
    // run (the screening itself runs with the store's own settings: see below).
    let cache_before: i64 = conn
        .query_row("PRAGMA cache_size", [], |r| r.get(0))
        .expect("cache size");
    conn.execute_batch("PRAGMA cache_size = -4000000")
        .expect("cache size");
    let ids = load_people(conn, &large, now);
    plant(conn, &large, ids, now);
    let mut rng = Rng(24);
    load_rows(
        conn,
        &large,
        ids,
        now,
        audit / 4,
        calls / 4,
        deployments / 4,
        &mut rng,
    );
    println!(
        "(loaded a quarter: {} audit rows, {} calls, {} deployments in {:.1} s)",
        audit / 4,
        calls / 4,
        deployments / 4,
        started.elapsed().as_secs_f64()
    );
    conn.execute_batch(&format!(
        "PRAGMA cache_size = {cache_before}; PRAGMA shrink_memory"
    ))
    .expect("cache size");
    let (quarter_secs, quarter_due, quarter_peak) = screen_timed(&mut wb);
    let conn = wb.store_for_tests().raw_connection();
    conn.execute_batch("PRAGMA cache_size = -4000000")
        .expect("cache size");
    let started = Instant::now();
    load_rows(
        conn,
        &large,
        ids,
        now,
        audit - audit / 4,
        calls - calls / 4,
        deployments - deployments / 4,
        &mut rng,
    );
    println!(
        "(loaded the rest in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    conn.execute_batch(&format!(
        "PRAGMA cache_size = {cache_before}; PRAGMA shrink_memory"
    ))
    .expect("cache size");
    let (secs, due, peak) = screen_timed(&mut wb);
    report(
        &format!(
            "Screen {} staff: {audit} audit rows, {calls} calls, {deployments} deployments",
            large.staff
        ),
        &format!("{secs:.2} s"),
        "<= 10 s",
    );
    report(
        "Screen a quarter of those rows",
        &format!("{quarter_secs:.2} s"),
        "(for the trend)",
    );
    if let (Some((quarter_before, quarter_peak)), Some((before, peak))) = (quarter_peak, peak) {
        report(
            "Memory screening a quarter / all of the rows: rise above the resident set",
            &format!(
                "+{:.0} / +{:.0} MiB",
                quarter_peak - quarter_before,
                peak - before
            ),
            "flat in the row counts",
        );
        println!(
            "(resident {quarter_before:.0} MiB then {before:.0} MiB before screening; the peaks \
             {quarter_peak:.0} and {peak:.0} MiB)"
        );
    }
    println!("({quarter_due} then {due} due; 10 planted)");
}

fn main() {
    let quick = std::env::var_os("CCU_BENCH_QUICK").is_some();
    println!(
        "Beacon screening benchmarks ({} run)",
        if quick { "quick" } else { "full" }
    );
    if std::env::var_os("CCU_BENCH_SKIP_RECALL").is_none() {
        precision_and_recall(if quick { 2 } else { 10 });
    }
    large_screening(if quick { 100 } else { 1 });
}
