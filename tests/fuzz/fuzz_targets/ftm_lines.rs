//! Fuzz target: FollowTheMoney JSON lines, through `fuzz_inputs::ftm_lines`.
#![no_main]

#[path = "../../fuzz_inputs/mod.rs"]
mod fuzz_inputs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_inputs::ftm_lines(data));
