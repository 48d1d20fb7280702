//! Foundation benchmarks: unlock cost, store open, audit append and verify, tamper detection.
//!
//! `cargo bench --bench foundation` prints each figure next to its target. Figures are printed,
//! never asserted. `CCU_BENCH_QUICK=1` runs smaller sizes (for CI smoke runs).

#![expect(
    clippy::expect_used,
    reason = "a benchmark that cannot set up its data stops with the reason"
)]

use ccu_workbench::Workbench;
use ccu_workbench::crypto::{KdfParams, KdfSpec};
use ccu_workbench::domain::{AuditAction, NewAuditEntry};
use ccu_workbench::store::Store;
use ccu_workbench::store::tamper::{
    AUDIT_COLUMNS, drop_audit_triggers, flip_audit_byte, undo_audit_tamper,
};
use std::time::{Duration, Instant};

const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;
const ADMIN: &str = "DI Benchmark";
const PASSWORD: &str = "benchmark password";

/// A small, reproducible generator (xorshift64*): the benchmark must not depend on a crate.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn report(name: &str, measured: &str, target: &str) {
    println!("{name:<52} {measured:>22}   target: {target}");
}

fn main() {
    let quick = std::env::var_os("CCU_BENCH_QUICK").is_some();
    let dir = tempfile::tempdir().expect("temporary folder");
    println!(
        "CCU Workbench foundation benchmarks ({} mode, {} CPUs)",
        if quick { "quick" } else { "full" },
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );

    kdf_figures(quick);
    let path = dir.path().join("bench.ccuwb");
    let workbench = Workbench::create(&path, ADMIN, PASSWORD, KdfParams::INTERACTIVE)
        .expect("create workbench");
    unlock_figures(&path, workbench, quick);

    let path = dir.path().join("audit.ccuwb");
    let mut workbench = Workbench::create(&path, ADMIN, PASSWORD, CHEAP).expect("create workbench");
    workbench.set_purpose("OP-BENCHMARK").expect("purpose");
    append_figures(&mut workbench, quick);
    verify_figures(&mut workbench, quick);
    workbench.lock().expect("lock");
    signature_figures(dir.path(), quick);

    let path = dir.path().join("tamper.ccuwb");
    let mut workbench = Workbench::create(&path, ADMIN, PASSWORD, CHEAP).expect("create workbench");
    workbench.set_purpose("OP-TAMPER").expect("purpose");
    tamper_figures(&mut workbench, quick);
}

fn kdf_figures(quick: bool) {
    let spec = KdfSpec::generate(KdfParams::INTERACTIVE).expect("spec");
    let rounds = if quick { 2 } else { 7 };
    let samples = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            let key = spec.derive(ADMIN, PASSWORD).expect("derive");
            let elapsed = start.elapsed();
            drop(key);
            elapsed
        })
        .collect();
    let p = KdfParams::INTERACTIVE;
    report(
        &format!(
            "Argon2id derive (m={} MiB, t={}, p={})",
            p.m_cost_kib / 1024,
            p.t_cost,
            p.p_cost
        ),
        &format!("{:.0} ms", median(samples).as_secs_f64() * 1e3),
        "0.3-1 s (KeePassXC range)",
    );
}

fn unlock_figures(path: &std::path::Path, workbench: Workbench, quick: bool) {
    let key = workbench.master_key_for_tests().clone();
    workbench.lock().expect("lock");
    let rounds = if quick { 3 } else { 20 };
    let opens = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            let store = Store::open(&path.join("store.db"), &key).expect("open");
            let elapsed = start.elapsed();
            store.close().expect("close");
            elapsed
        })
        .collect();
    report(
        "open workbench store (raw key, no Argon2id)",
        &format!("{:.2} ms", median(opens).as_secs_f64() * 1e3),
        "(no target; SQLCipher raw key ~1 ms)",
    );
    let rounds = if quick { 2 } else { 5 };
    let unlocks = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            let workbench = Workbench::unlock(path, ADMIN, PASSWORD).expect("unlock");
            let elapsed = start.elapsed();
            workbench.lock().expect("lock");
            elapsed
        })
        .collect();
    report(
        "full unlock (Argon2id + slot + open + login entry)",
        &format!("{:.0} ms", median(unlocks).as_secs_f64() * 1e3),
        "0.3-1 s",
    );
}

fn append_figures(workbench: &mut Workbench, quick: bool) {
    let actor = workbench.actor_for_tests();
    let single = if quick { 200 } else { 2_000 };
    let store = workbench.store_for_tests_mut();
    let start = Instant::now();
    for i in 0..single {
        store
            .write(&actor, |tx| {
                tx.audit(
                    NewAuditEntry::new(AuditAction::AuditViewed, format!("bench:{i}"))
                        .with_detail("{\"bench\":true}"),
                )
            })
            .expect("append");
    }
    let per_tx = f64::from(single) / start.elapsed().as_secs_f64();
    report(
        "audit append, one signed transaction each (fsync FULL)",
        &format!("{per_tx:.0} entries/s"),
        ">= 1,000 entries/s",
    );
    let batched = if quick { 20_000 } else { 200_000 };
    let start = Instant::now();
    for batch in 0..batched / 10_000 {
        store
            .write(&actor, |tx| {
                for i in 0..10_000 {
                    tx.audit(
                        NewAuditEntry::new(AuditAction::AuditViewed, format!("bench:{batch}:{i}"))
                            .with_detail("{\"bench\":true}"),
                    )?;
                }
                Ok::<_, ccu_workbench::store::StoreError>(())
            })
            .expect("append batch");
    }
    let per_batch = f64::from(batched) / start.elapsed().as_secs_f64();
    report(
        "audit append, 10k entries per signed transaction",
        &format!("{per_batch:.0} entries/s"),
        ">= 10k entries/s",
    );
}

fn verify_figures(workbench: &mut Workbench, quick: bool) {
    let target_entries: i64 = if quick { 100_000 } else { 1_000_000 };
    let actor = workbench.actor_for_tests();
    let current = workbench.audit_head().expect("head").seq;
    let missing = target_entries - current;
    let store = workbench.store_for_tests_mut();
    let mut added = 0;
    while added < missing {
        let batch = (missing - added).min(50_000);
        store
            .write(&actor, |tx| {
                for i in 0..batch {
                    tx.audit(
                        NewAuditEntry::new(AuditAction::AuditViewed, format!("fill:{}", added + i))
                            .with_detail("{\"bench\":true}"),
                    )?;
                }
                Ok::<_, ccu_workbench::store::StoreError>(())
            })
            .expect("fill");
        added += batch;
    }
    let start = Instant::now();
    let verification = workbench.verify_audit_log().expect("verify");
    let elapsed = start.elapsed();
    assert!(verification.is_intact());
    #[expect(
        clippy::cast_precision_loss,
        reason = "a count of at most a few million entries"
    )]
    let scaled = elapsed.as_secs_f64() * 1_000_000.0 / verification.entries_checked as f64;
    report(
        &format!(
            "audit verify, {} entries, {} signatures, grants",
            verification.entries_checked, verification.signatures_checked
        ),
        &format!("{:.2} s ({scaled:.2} s per 1M)", elapsed.as_secs_f64()),
        "<= 5 s for 1M entries",
    );
}

/// The worst case for signatures: every entry its own transaction, so one signature per entry.
fn signature_figures(dir: &std::path::Path, quick: bool) {
    let path = dir.join("signatures.ccuwb");
    let mut workbench = Workbench::create(&path, ADMIN, PASSWORD, CHEAP).expect("create workbench");
    let actor = workbench.actor_for_tests();
    let commits = if quick { 2_000 } else { 20_000 };
    let store = workbench.store_for_tests_mut();
    for i in 0..commits {
        store
            .write(&actor, |tx| {
                tx.audit(NewAuditEntry::new(
                    AuditAction::AuditViewed,
                    format!("one:{i}"),
                ))
            })
            .expect("append");
    }
    workbench.set_purpose("OP-BENCHMARK").expect("purpose");
    let start = Instant::now();
    let verification = workbench.verify_audit_log().expect("verify");
    let elapsed = start.elapsed();
    assert!(verification.is_intact());
    #[expect(
        clippy::cast_precision_loss,
        reason = "a count of at most a few million signatures"
    )]
    let per_million = elapsed.as_secs_f64() * 1_000_000.0 / verification.signatures_checked as f64;
    report(
        &format!(
            "audit verify, {} one-entry transactions (worst case)",
            verification.signatures_checked
        ),
        &format!("{:.2} s ({per_million:.1} s per 1M)", elapsed.as_secs_f64()),
        "(no target: one signature per entry is the worst case)",
    );
    workbench.lock().expect("lock");
}

fn tamper_figures(workbench: &mut Workbench, quick: bool) {
    let actor = workbench.actor_for_tests();
    let entries: i64 = 2_000;
    workbench
        .store_for_tests_mut()
        .write(&actor, |tx| {
            for i in 0..entries - 3 {
                tx.audit(
                    NewAuditEntry::new(AuditAction::AuditViewed, format!("entry:{i}"))
                        .with_detail(format!("{{\"n\":{i}}}")),
                )?;
            }
            Ok::<_, ccu_workbench::store::StoreError>(())
        })
        .expect("fill");
    let total = workbench.audit_head().expect("head").seq;
    let conn = workbench.store_for_tests().raw_connection();
    drop_audit_triggers(conn).expect("drop triggers");
    let changes = if quick { 500 } else { 10_000 };
    let mut rng = XorShift(0x00C0_FFEE_D15E_A5E5);
    let (mut made, mut detected, mut at_right_entry) = (0u32, 0u32, 0u32);
    let start = Instant::now();
    while made < changes {
        let seq = 1 + i64::try_from(rng.next() % u64::try_from(total).unwrap_or(1)).unwrap_or(0);
        let column = AUDIT_COLUMNS[usize::try_from(rng.next() % 10).unwrap_or(0)];
        let mask = u8::try_from(rng.next() % 255 + 1).unwrap_or(1);
        let Some(tamper) = flip_audit_byte(conn, seq, column, rng.next(), mask).expect("tamper")
        else {
            continue;
        };
        made += 1;
        let verification = workbench
            .store_for_tests()
            .verify_audit_log()
            .expect("verify");
        if let Some(bad) = verification.first_break {
            detected += 1;
            if bad.seq == seq {
                at_right_entry += 1;
            }
        }
        undo_audit_tamper(conn, &tamper).expect("undo");
    }
    let elapsed = start.elapsed();
    assert!(
        workbench
            .store_for_tests()
            .verify_audit_log()
            .expect("verify")
            .is_intact()
    );
    report(
        &format!("random single-byte changes to a {total}-entry log"),
        &format!("{detected}/{made} detected"),
        "all detected",
    );
    report(
        "  ...reported at the changed entry's number",
        &format!("{at_right_entry}/{made}"),
        "all",
    );
    report(
        "  ...time for all changes and verifications",
        &format!("{:.1} s", elapsed.as_secs_f64()),
        "(no target)",
    );
}
