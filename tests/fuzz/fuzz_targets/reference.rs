//! Fuzz target: Reference data documents (JSON), through `fuzz_inputs::reference_document`.
#![no_main]

#[path = "../../fuzz_inputs/mod.rs"]
mod fuzz_inputs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_inputs::reference_document(data));
