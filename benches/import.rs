//! Bulk import and cross-reference benchmarks: a million system audit rows imported into the
//! encrypted store and, in the same run, through the identical code into an unencrypted
//! SQLite file (the ratio is what SQLCipher costs), six rounds of a new file each, so the
//! figures show the first import and the median as the stores grow; peak memory for a small and a large file
//! (flat in file size); the same audit trail naming its subjects by a records system's person
//! id instead of name and date of birth, imported side by side (issue 21: no slower than 90% of
//! the name and date of birth rate); and the cross-reference of ten million audit events
//! against a hundred thousand watch-listed nominals.
//!
//! `cargo bench --bench import` prints each figure next to its target. `CCU_BENCH_QUICK=1`
//! runs a tenth of the sizes (for CI smoke runs; the figures then mean little). The rows are
//! generated as they are read (a `Read` that writes CSV on demand), so no file is needed and
//! the generator holds no more than one row. `CCU_BENCH_ONLY=import` stops after the timed
//! pair (for profiling the import alone).

#![expect(
    clippy::expect_used,
    reason = "a benchmark that cannot set up its data stops with the reason"
)]

use ccu_workbench::Workbench;
use ccu_workbench::crypto::KdfParams;
use ccu_workbench::domain::{ImportKind, UserId};
use ccu_workbench::io::import_spec::shipped_spec;
use ccu_workbench::risk::crossref::CrossrefOptions;
use ccu_workbench::store::{Actor, Store};
use ccu_workbench::workbench::import_into_store_for_benchmarks;
use std::io::Read;
use std::ops::ControlFlow;
use std::time::Instant;

const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;

/// Members of staff in the audit trail, and how many of them the workbench knows.
const STAFF: u64 = 5_000;
const KNOWN_STAFF: u64 = 500;

/// Timed import rounds into each store.
const TIMED_ROUNDS: u64 = 6;

/// The middle value (the list is sorted in place).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn report(name: &str, measured: &str, target: &str) {
    println!("{name:<60} {measured:>22}   target: {target}");
}

fn next_random(state: &mut u64) -> u64 {
    // splitmix64: fast, reproducible, good enough to spread synthetic rows.
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A synthetic person's name and date of birth, from their number.
fn person(n: u64) -> (String, String, String) {
    (
        format!("Fore{n}"),
        format!("Sur{}", n / 7),
        format!(
            "{:02}/{:02}/{}",
            1 + n % 28,
            1 + (n / 28) % 12,
            1950 + n % 50
        ),
    )
}

/// An audit trail export written as it is read.
struct SyntheticAuditLog {
    rows_left: u64,
    people: u64,
    random: u64,
    /// One row in every `unexplained_one_in` has no reason code.
    unexplained_one_in: u64,
    line: Vec<u8>,
    at: usize,
    header_done: bool,
    /// Name the subject by a records system's person id (`P0000187`) instead of name and
    /// date of birth.
    by_external_id: bool,
}

impl SyntheticAuditLog {
    fn new(rows: u64, people: u64, seed: u64) -> Self {
        Self {
            rows_left: rows,
            people,
            random: seed,
            unexplained_one_in: 1000,
            line: Vec::with_capacity(256),
            at: 0,
            header_done: false,
            by_external_id: false,
        }
    }

    /// The same trail, each subject named by person id.
    fn by_person_id(mut self) -> Self {
        self.by_external_id = true;
        self
    }

    fn refill(&mut self) {
        use std::io::Write as _;
        self.line.clear();
        self.at = 0;
        if !self.header_done {
            self.header_done = true;
            self.line.extend_from_slice(if self.by_external_id {
                b"Timestamp,User ID,System,Person ID,Reason\n".as_slice()
            } else {
                b"Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n".as_slice()
            });
            return;
        }
        if self.rows_left == 0 {
            return;
        }
        self.rows_left -= 1;
        let r = next_random(&mut self.random);
        let staff = r % STAFF;
        let subject = (r >> 16) % self.people;
        let (forenames, surname, dob) = person(subject);
        let seconds = (r >> 40) % (86_400 * 28);
        let reason = if (r >> 8).is_multiple_of(self.unexplained_one_in) {
            ""
        } else {
            ["INV", "INT", "CUS", "WAR"][usize::try_from((r >> 4) % 4).unwrap_or(0)]
        };
        if self.by_external_id {
            let _ = writeln!(
                self.line,
                "{:02}/02/2026 {:02}:{:02}:{:02},PC{staff:05},{},P{subject:07},{reason}",
                1 + seconds / 86_400,
                (seconds / 3600) % 24,
                (seconds / 60) % 60,
                seconds % 60,
                if r & 1 == 0 { "RMS" } else { "PNC" },
            );
            return;
        }
        let _ = writeln!(
            self.line,
            "{:02}/02/2026 {:02}:{:02}:{:02},PC{staff:05},{},{surname},{forenames},{dob},,{reason}",
            1 + seconds / 86_400,
            (seconds / 3600) % 24,
            (seconds / 60) % 60,
            seconds % 60,
            if r & 1 == 0 { "RMS" } else { "PNC" },
        );
    }
}

impl Read for SyntheticAuditLog {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut written = 0;
        while written < buf.len() {
            if self.at == self.line.len() {
                self.refill();
                if self.line.is_empty() {
                    break;
                }
            }
            let n = (self.line.len() - self.at).min(buf.len() - written);
            buf[written..written + n].copy_from_slice(&self.line[self.at..self.at + n]);
            self.at += n;
            written += n;
        }
        Ok(written)
    }
}

/// Adds the known staff and `watched` flagged people straight into a store, as a bulk load
/// would (the benchmark measures the import and the cross-reference, not record entry).
fn seed_nominals(conn: &rusqlite::Connection, watched: u64) {
    let now = "2026-11-22T00:00:00Z";
    conn.execute_batch("BEGIN").expect("begin");
    {
        let mut insert = conn
            .prepare(
                "INSERT INTO nominals (kind, display_name, identity_key, date_of_birth, flags,
                    details, version, created_at, created_by, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, 1, ?7, 1)",
            )
            .expect("prepare");
        for staff in 0..KNOWN_STAFF {
            let number = format!("PC{staff:05}");
            let details = serde_json::json!({
                "kind": "employee", "staff_number": number, "forenames": "Staff",
                "surname": format!("Member{staff}"), "employee_type": "officer",
                "status": "serving",
            });
            insert
                .execute(rusqlite::params![
                    "employee",
                    format!("Staff Member{staff}"),
                    number,
                    Option::<String>::None,
                    0,
                    details.to_string(),
                    now
                ])
                .expect("employee");
        }
        for n in 0..watched {
            let (forenames, surname, dob) = person(n);
            let iso = format!("{}-{}-{}", &dob[6..], &dob[3..5], &dob[..2]);
            let flags = if n % 3 == 0 { 1 } else { 2 };
            let details = serde_json::json!({
                "kind": "person", "forenames": forenames, "surname": surname,
                "date_of_birth": iso,
                "flags": { "ocg_member": flags == 1, "criminal": flags == 2 },
            });
            insert
                .execute(rusqlite::params![
                    "person",
                    format!("{forenames} {surname}"),
                    Option::<String>::None,
                    iso,
                    flags,
                    details.to_string(),
                    now
                ])
                .expect("person");
            // The records system's id for the same person.
            conn.execute(
                "INSERT INTO external_ids (system, external_id, nominal_id, created_at)
                 VALUES ('rms', ?1, last_insert_rowid(), ?2)",
                rusqlite::params![format!("P{n:07}"), now],
            )
            .expect("external id");
        }
    }
    conn.execute_batch("COMMIT").expect("commit");
}

/// Copies the reference data (code lists) the workbench was created with into the plain file,
/// so both stores check rows against the same lists.
fn copy_reference_data(from: &rusqlite::Connection, to: &rusqlite::Connection) {
    let mut select = from
        .prepare("SELECT version, document, published_at FROM reference_versions")
        .expect("reference data");
    let rows = select
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })
        .expect("reference data");
    for row in rows {
        let (version, document, published_at) = row.expect("reference row");
        to.execute(
            "INSERT INTO reference_versions (version, document, published_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![version, document, published_at],
        )
        .expect("copy reference data");
    }
}

/// Resets the peak resident set size, so the next reading is this step's peak (Linux).
fn reset_peak_memory() {
    #[cfg(target_os = "linux")]
    {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }
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

/// The peak resident set size since the last reset, in MiB.
fn peak_memory_mib() -> Option<f64> {
    status_mib("VmHWM:")
}

/// The resident set before `work` and its peak while `work` runs, in MiB. The peak is the
/// figure to compare across file sizes: the rise above "before" also depends on how much
/// freed memory the allocator happened to keep from the last import.
fn memory_while(work: impl FnOnce()) -> Option<(f64, f64)> {
    let before = status_mib("VmRSS:");
    reset_peak_memory();
    work();
    Some((before?, peak_memory_mib()?))
}

/// Imports `rows` generated rows (generated as they are read); returns the seconds taken.
fn import_rows(store: &mut Store, actor: &Actor, rows: u64, people: u64, seed: u64) -> f64 {
    import_from(
        store,
        actor,
        rows,
        std::io::BufReader::with_capacity(1 << 20, SyntheticAuditLog::new(rows, people, seed)),
    )
}

fn import_from(store: &mut Store, actor: &Actor, rows: u64, reader: impl Read + Send) -> f64 {
    let spec = shipped_spec(ImportKind::AuditEvents).expect("spec");
    import_with(store, actor, &spec, rows, reader).0
}

/// The audit trail naming subjects by the records system's person id.
const PERSON_ID_SPEC: &str = r#"
name = "bench-person-ids"
version = 1
kind = "audit_events"
id_system = "rms"

[[columns]]
column = "Timestamp"
field = "occurred_at"
format = "[day]/[month]/[year] [hour]:[minute]:[second]"

[[columns]]
column = "User ID"
field = "staff_number"

[[columns]]
column = "System"
field = "system"

[[columns]]
column = "Person ID"
field = "subject_external_id"

[[columns]]
column = "Reason"
field = "reason_code"
"#;

/// Imports through `spec`; the seconds taken and how many subjects matched.
fn import_with(
    store: &mut Store,
    actor: &Actor,
    spec: &ccu_workbench::io::import_spec::ImportSpec,
    rows: u64,
    reader: impl Read + Send,
) -> (f64, u64) {
    let started = Instant::now();
    let mut last_batch_secs = 0.0;
    let report = import_into_store_for_benchmarks(store, actor, spec, reader, None, &mut |_| {
        last_batch_secs = started.elapsed().as_secs_f64();
        ControlFlow::Continue(())
    })
    .expect("import");
    assert_eq!(report.rows_imported, rows);
    let secs = started.elapsed().as_secs_f64();
    if std::env::var_os("CCU_BENCH_COMMIT_TIMES").is_some() {
        println!(
            "  rows written in {last_batch_secs:.2} s, committed in {:.2} s",
            secs - last_batch_secs
        );
    }
    (secs, report.matched.subjects)
}

/// Writes the export to a file first, so the timed import reads a file as a user's would
/// (the generator's formatting is not counted). Synthetic rows only.
fn export_file(path: &std::path::Path, rows: u64, people: u64, seed: u64) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("export file"));
    std::io::copy(&mut SyntheticAuditLog::new(rows, people, seed), &mut out).expect("write");
}

fn open_export(path: &std::path::Path) -> impl Read + Send {
    std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path).expect("export file"))
}

#[expect(clippy::cast_precision_loss, reason = "row counts far below 2^52")]
fn rate(rows: u64, secs: f64) -> String {
    format!("{:.0} rows/s", rows as f64 / secs)
}

/// Subjects by person id against subjects by name and date of birth: the same trail (same
/// seed, same subjects) written both ways, into the encrypted store, alternating which goes
/// first; medians of three each.
fn person_id_against_name_and_dob(
    wb: &mut Workbench,
    actor: &Actor,
    dir: &std::path::Path,
    rows: u64,
    people: u64,
) {
    // Subjects by person id against subjects by name and date of birth: the same trail (same
    // seed, same subjects) written both ways, into the encrypted store, alternating which goes
    // first; medians of three each.
    let by_id_spec =
        ccu_workbench::io::import_spec::parse(PERSON_ID_SPEC, "bench-person-ids").expect("spec");
    let by_name_spec = shipped_spec(ImportKind::AuditEvents).expect("spec");
    let (by_id_export, by_name_export) =
        (dir.join("audit-by-id.csv"), dir.join("audit-by-name.csv"));
    let (mut id_times, mut name_times) = (Vec::new(), Vec::new());
    let (mut id_matched, mut name_matched) = (0, 0);
    for round in 0..3 {
        let seed = 500 + round;
        {
            let mut out =
                std::io::BufWriter::new(std::fs::File::create(&by_id_export).expect("export file"));
            std::io::copy(
                &mut SyntheticAuditLog::new(rows, people, seed).by_person_id(),
                &mut out,
            )
            .expect("write");
        }
        export_file(&by_name_export, rows, people, seed);
        let order = if round % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for by_id in order {
            let (spec, export) = if by_id {
                (&by_id_spec, &by_id_export)
            } else {
                (&by_name_spec, &by_name_export)
            };
            let (secs, matched) = import_with(
                wb.store_for_tests_mut(),
                actor,
                spec,
                rows,
                open_export(export),
            );
            if by_id {
                id_times.push(secs);
                id_matched = matched;
            } else {
                name_times.push(secs);
                name_matched = matched;
            }
        }
    }
    let _ = (
        std::fs::remove_file(&by_id_export),
        std::fs::remove_file(&by_name_export),
    );
    assert_eq!(
        id_matched, name_matched,
        "both ways match the same subjects"
    );
    let (id_secs, name_secs) = (median(&mut id_times), median(&mut name_times));
    report(
        &format!("Import {rows} audit rows, subjects by name and date of birth (median of 3)"),
        &rate(rows, name_secs),
        "",
    );
    report(
        &format!("Import {rows} audit rows, subjects by person id (median of 3)"),
        &rate(rows, id_secs),
        ">= 90% of the name and date of birth rate",
    );
    report(
        "Person id rate / name and date of birth rate",
        &format!("{:.0}%", 100.0 * name_secs / id_secs),
        ">= 90%",
    );
    println!("({id_matched} of {rows} subjects matched each way)");
}

fn main() {
    let quick = std::env::var_os("CCU_BENCH_QUICK").is_some();
    let scale = if quick { 10 } else { 1 };
    println!(
        "CCU Workbench import and cross-reference benchmarks ({} mode, {} CPUs)",
        if quick { "quick" } else { "full" },
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    let dir = tempfile::tempdir().expect("temporary directory");
    let rows = 1_000_000 / scale;
    let watched = 100_000 / scale;
    let people = 1_000_000 / scale;

    // The encrypted workbench and the plain file, the same nominals in each.
    let mut wb = Workbench::create(
        &dir.path().join("enc.ccuwb"),
        "DI Benchmark",
        "benchmark password",
        CHEAP,
    )
    .expect("workbench");
    wb.set_purpose("BENCHMARK").expect("purpose");
    seed_nominals(wb.store_for_tests().raw_connection(), watched);
    let actor = wb.actor_for_tests();
    let mut plain =
        Store::create_unencrypted_for_benchmarks(&dir.path().join("plain.db")).expect("plain");
    seed_nominals(plain.raw_connection(), watched);
    copy_reference_data(
        wb.store_for_tests().raw_connection(),
        plain.raw_connection(),
    );
    let plain_actor = Actor {
        user_id: Some(UserId(1)),
        user_name: "Benchmark".into(),
        justification: "BENCHMARK".into(),
    };

    // The timed pairs: the same file into each store, three rounds of a new file each, the
    // store that goes first alternating (the first import in a process pays for warming the
    // allocator and the page cache). The median of each is reported.
    let export = dir.path().join("audit-export.csv");
    let mut encrypted_times = Vec::new();
    let mut plain_times = Vec::new();
    for round in 0..TIMED_ROUNDS {
        export_file(&export, rows, people, 100 + round);
        let mut encrypted = || {
            encrypted_times.push(import_from(
                wb.store_for_tests_mut(),
                &actor,
                rows,
                open_export(&export),
            ));
        };
        let mut plain = || {
            plain_times.push(import_from(
                &mut plain,
                &plain_actor,
                rows,
                open_export(&export),
            ));
        };
        if round % 2 == 0 {
            encrypted();
            plain();
        } else {
            plain();
            encrypted();
        }
    }
    println!(
        "(rounds, encrypted / plain: {})",
        encrypted_times
            .iter()
            .zip(&plain_times)
            .map(|(e, p)| format!("{} / {}", rate(rows, *e), rate(rows, *p)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (first_encrypted, first_plain) = (encrypted_times[0], plain_times[0]);
    let encrypted_secs = median(&mut encrypted_times);
    let plain_secs = median(&mut plain_times);
    report(
        &format!("Import {rows} audit rows, encrypted store (first import)"),
        &rate(rows, first_encrypted),
        ">= 500000 rows/s",
    );
    report(
        &format!("Import {rows} audit rows, plain SQLite, same code (first)"),
        &rate(rows, first_plain),
        "",
    );
    report(
        &format!(
            "Import {rows} audit rows, encrypted, median of {TIMED_ROUNDS} as the store grows"
        ),
        &rate(rows, encrypted_secs),
        ">= 500000 rows/s",
    );
    report(
        &format!("Import {rows} audit rows, plain, median of {TIMED_ROUNDS}"),
        &rate(rows, plain_secs),
        "",
    );
    report(
        "Encrypted / plain time (medians)",
        &format!("{:.2}x", encrypted_secs / plain_secs),
        "<= 1.25x",
    );
    if std::env::var("CCU_BENCH_ONLY").is_ok_and(|only| only == "import") {
        return;
    }
    person_id_against_name_and_dob(&mut wb, &actor, dir.path(), rows, people);
    // Memory: with both stores' page caches (`cache_size`, 128 MiB each, kept for the session)
    // full after the timed rounds, the process's peak while importing a quarter, one and four
    // times the file (flat in file size: the large ones peak no higher than the small one).
    let mut loaded = rows * TIMED_ROUNDS;
    let mut seed = 10;
    for size in [rows / 4, rows, rows * 4] {
        let memory = memory_while(|| {
            import_rows(wb.store_for_tests_mut(), &actor, size, people, seed);
        });
        loaded += size;
        seed += 1;
        if let Some((before, peak)) = memory {
            report(
                &format!("Peak memory during an import, {size} rows"),
                &format!("{peak:.0} MiB (+{:.0})", peak - before),
                "flat in file size",
            );
        }
    }
    let _ = std::fs::remove_file(&export);

    // Ten million events in all for the cross-reference.
    let total_events = 10_000_000 / scale;
    let started = Instant::now();
    while loaded < total_events {
        let batch = (total_events - loaded).min(rows * 2);
        import_rows(wb.store_for_tests_mut(), &actor, batch, people, seed);
        loaded += batch;
        seed += 1;
    }
    println!(
        "(loaded {loaded} audit events in all for the cross-reference; the last {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let run = wb
        .cross_reference(&CrossrefOptions::default())
        .expect("cross-reference");
    let secs = started.elapsed().as_secs_f64();
    report(
        &format!("Cross-reference {loaded} events against {watched} watched"),
        &format!("{secs:.2} s"),
        "<= 5 s",
    );
    println!(
        "({} look-ups of watched people read, {} leads kept, {} below the threshold)",
        run.lookups,
        run.leads.len(),
        run.below_threshold.len()
    );
}
