//! The parsers of outside input, each driven by arbitrary bytes: one function per fuzz target,
//! shared by the cargo-fuzz targets in `tests/fuzz/` (long runs on nightly) and by the proptest
//! run in `tests/it/fuzz_quick.rs` (a quick pass in every `cargo test`). Each must return (an error
//! is fine) and never panic, hang or allocate without bound.

#![allow(dead_code)] // each user calls some of them
#![allow(clippy::unwrap_used)] // set-up failures are test failures

use ccu_workbench::Workbench;
use ccu_workbench::crypto::{KdfParams, KdfSpec, KeySlot};
use ccu_workbench::domain::ImportKind;
use ccu_workbench::io::{bulk_csv, import_spec, instrument_file, record_json, reference_file};
use std::path::{Path, PathBuf};

/// Rows read from one fuzzed CSV at most (the reader streams; this only bounds a run).
const MAX_ROWS: usize = 10_000;

/// A CSV file read through a shipped spec: the first byte picks the kind, the rest is the file.
pub fn bulk_csv_file(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let kind = ImportKind::ALL[usize::from(pick) % ImportKind::ALL.len()];
    let spec = import_spec::shipped_spec(kind).unwrap();
    let Ok(mut reader) = bulk_csv::BulkCsvReader::new(&spec, body) else {
        return;
    };
    for _ in 0..MAX_ROWS {
        if reader.next_row().is_none() {
            break;
        }
    }
    let _ = bulk_csv::preview(body, b',', 20);
}

/// An import specification (TOML).
pub fn import_spec_text(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = import_spec::parse(text, "fuzz.toml");
    }
}

/// A risk instrument file (TOML).
pub fn instrument_text(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = instrument_file::parse(text, "fuzz.toml");
    }
}

/// A reference data document (JSON).
pub fn reference_document(data: &[u8]) {
    let _ = reference_file::parse(data);
}

/// The JSON documents the CLI reads: items, nominals, links, answers, NA drafts, proposals,
/// meetings.
pub fn record_documents(data: &[u8]) {
    let _ = record_json::parse_item("fuzz.json", data);
    let _ = record_json::parse_nominal("fuzz.json", data);
    let _ = record_json::parse_link("fuzz.json", data);
    let _ = record_json::parse_na_draft("fuzz.json", data);
    let _ = record_json::parse_intervention_proposal("fuzz.json", data);
    let _ = record_json::parse_meeting("fuzz.json", data);
}

/// FollowTheMoney JSON lines, each line read as the import reads it.
pub fn ftm_lines(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for (index, line) in text.lines().enumerate().take(MAX_ROWS) {
        let _ = ccu_workbench::io::ftm::read_ftm_line(index as u64 + 1, line);
    }
}

/// A key slot file: parsed as the unlock parses it, then opened with a password key.
pub fn key_slot_file(data: &[u8]) {
    let Ok(slot) = serde_json::from_slice::<KeySlot>(data) else {
        return;
    };
    if !slot.is_supported() {
        return;
    }
    let spec = KdfSpec {
        algorithm: "argon2id".into(),
        version: 19,
        params: KdfParams::INSECURE_FAST_FOR_TESTS,
        salt: slot.kdf.salt,
    };
    let Ok(key) = spec.derive("fuzz user", "fuzz password") else {
        return;
    };
    if let Ok(identity) = slot.open_identity(&key) {
        let _ = slot.open_master_keys(&identity);
    }
}

/// Which file of a workbench folder an `open_workbench_with` run replaces.
const REPLACED: [&str; 4] = ["store.db", "workbench.json", "slot", "failed-logins"];

/// A real workbench folder (one user, cheap key derivation) copied for each run, with one of
/// its files replaced by arbitrary bytes before it is unlocked.
pub struct WorkbenchTemplate {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    scratch: tempfile::TempDir,
}

pub const USER: &str = "DI Fuzz";
pub const PASSWORD: &str = "fuzz pass phrase";

impl WorkbenchTemplate {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("template.ccuwb");
        let wb =
            Workbench::create(&root, USER, PASSWORD, KdfParams::INSECURE_FAST_FOR_TESTS).unwrap();
        wb.lock().unwrap();
        Self {
            _dir: dir,
            root,
            scratch: tempfile::tempdir().unwrap(),
        }
    }

    /// The first byte picks the file replaced (store, manifest, key slot, a failed-login
    /// record); the rest is its new content. Unlocking must fail cleanly or succeed.
    pub fn open_with(&self, data: &[u8]) {
        let Some((&pick, body)) = data.split_first() else {
            return;
        };
        let run = self.scratch.path().join("run.ccuwb");
        let _ = std::fs::remove_dir_all(&run);
        copy_dir(&self.root, &run);
        let target = match REPLACED[usize::from(pick) % REPLACED.len()] {
            "slot" => std::fs::read_dir(run.join("slots"))
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path(),
            "failed-logins" => {
                std::fs::create_dir_all(run.join("failed-logins")).unwrap();
                run.join("failed-logins")
                    .join("00112233445566778899aabbccddeeff.rec")
            }
            name => run.join(name),
        };
        std::fs::write(&target, body).unwrap();
        if let Ok(wb) = Workbench::unlock(&run, USER, PASSWORD) {
            let _ = wb.lock();
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}
