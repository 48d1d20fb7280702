//! Fuzz target: CSV files read through each shipped import spec, through `fuzz_inputs::bulk_csv_file`.
#![no_main]

#[path = "../../fuzz_inputs/mod.rs"]
mod fuzz_inputs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_inputs::bulk_csv_file(data));
