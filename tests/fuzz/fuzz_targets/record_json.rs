//! Fuzz target: The JSON documents the CLI reads, through `fuzz_inputs::record_documents`.
#![no_main]

#[path = "../../fuzz_inputs/mod.rs"]
mod fuzz_inputs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_inputs::record_documents(data));
