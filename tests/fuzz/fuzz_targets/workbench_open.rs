//! Fuzz target: unlocking a workbench folder with one of its files (store, manifest, key slot,
//! failed-login record) replaced by arbitrary bytes, through `fuzz_inputs::WorkbenchTemplate`.
#![no_main]

#[path = "../../fuzz_inputs/mod.rs"]
mod fuzz_inputs;

use std::sync::OnceLock;

static TEMPLATE: OnceLock<fuzz_inputs::WorkbenchTemplate> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    TEMPLATE
        .get_or_init(fuzz_inputs::WorkbenchTemplate::new)
        .open_with(data);
});
