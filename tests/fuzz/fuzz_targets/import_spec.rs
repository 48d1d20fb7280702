//! Fuzz target: Import specifications (TOML), through `fuzz_inputs::import_spec_text`.
#![no_main]

#[path = "../../fuzz_inputs/mod.rs"]
mod fuzz_inputs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_inputs::import_spec_text(data));
