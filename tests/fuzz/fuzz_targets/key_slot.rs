//! Fuzz target: Key slot files, through `fuzz_inputs::key_slot_file`.
#![no_main]

#[path = "../../fuzz_inputs/mod.rs"]
mod fuzz_inputs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_inputs::key_slot_file(data));
