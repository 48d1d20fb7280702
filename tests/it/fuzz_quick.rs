//! The quick pass of the fuzz targets (issue 9), run by every `cargo test`: each parser of
//! outside input gets arbitrary bytes and real files with random edits, and must return
//! without panicking. The long runs are cargo-fuzz's, on the same functions (`tests/fuzz/`,
//! see docs/fuzzing.md).

use crate::fuzz_inputs;

use proptest::prelude::*;

/// Real inputs the edits start from, so runs reach past the first check of each parser.
const SEEDS: &[&str] = &[
    include_str!("../../assets/import_specs/audit_events.toml"),
    include_str!("../../assets/import_specs/nominals.toml"),
    include_str!("../../assets/import_specs/workforce_records.toml"),
    include_str!("../../assets/instruments/beacon-v1.toml"),
    include_str!("../../assets/instruments/notifiable-association-v1.toml"),
    include_str!("../../assets/reference/reference-v1.json"),
    "\u{5}Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n\
     01/03/2026 09:15:00,ab123,RMS,Marsh,Lee,03/02/1985,,\n",
    "\u{8}Staff No,Record Type,Recorded,Ended,Summary,Outcome,Reference\n\
     S1,sickness,02/02/2026,09/02/2026,Absence,,A-1\n",
    r#"{"id":"ccu-nominal-1","schema":"Person","properties":{"name":["Lee Marsh"],"birthDate":["1985-02-03"]}}
{"id":"ccu-link-2","schema":"Associate","properties":{"person":["ccu-nominal-1"],"associate":["ccu-nominal-3"]}}"#,
    r#"{"received_on":"2026-09-14","source_type":"confidential_line","narrative":"x","grading":{"source_evaluation":"2","intelligence_assessment":"B","handling_code":"P"},"category":"disclosure","subjects":[]}"#,
];

/// Bytes: arbitrary, or a seed with a few random edits (overwrite, insert, delete, cut).
fn input() -> impl Strategy<Value = Vec<u8>> {
    let edited = (
        0..SEEDS.len(),
        prop::collection::vec((any::<u16>(), any::<u8>(), 0_u8..4), 0..8),
    )
        .prop_map(|(seed, edits)| {
            let mut bytes = SEEDS[seed].as_bytes().to_vec();
            for (at, byte, how) in edits {
                let at = usize::from(at) % (bytes.len() + 1);
                match how {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 => bytes.insert(at, byte),
                    2 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => bytes.truncate(at),
                }
            }
            bytes
        });
    prop_oneof![prop::collection::vec(any::<u8>(), 0..1024), edited]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn csv_files_through_every_shipped_spec_never_panic(data in input()) {
        fuzz_inputs::bulk_csv_file(&data);
    }

    #[test]
    fn import_specs_never_panic(data in input()) {
        fuzz_inputs::import_spec_text(&data);
    }

    #[test]
    fn instrument_files_never_panic(data in input()) {
        fuzz_inputs::instrument_text(&data);
    }

    #[test]
    fn reference_documents_never_panic(data in input()) {
        fuzz_inputs::reference_document(&data);
    }

    #[test]
    fn record_json_documents_never_panic(data in input()) {
        fuzz_inputs::record_documents(&data);
    }

    #[test]
    fn ftm_lines_never_panic(data in input()) {
        fuzz_inputs::ftm_lines(&data);
    }

    #[test]
    fn key_slot_files_never_panic(data in input()) {
        fuzz_inputs::key_slot_file(&data);
    }
}

#[test]
fn a_workbench_with_any_file_replaced_opens_or_is_refused_without_panicking() {
    let template = fuzz_inputs::WorkbenchTemplate::new();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 48,
        ..ProptestConfig::default()
    });
    runner
        .run(&input(), |data| {
            template.open_with(&data);
            Ok(())
        })
        .unwrap();
}
