//! Fuzz target: Risk instrument files (TOML), through `fuzz_inputs::instrument_text`.
#![no_main]

#[path = "../../fuzz_inputs/mod.rs"]
mod fuzz_inputs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_inputs::instrument_text(data));
