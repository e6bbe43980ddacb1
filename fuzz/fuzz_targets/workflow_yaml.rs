#![no_main]
//! Fuzz target: see `checks::workflow_yaml`.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::workflow_yaml(data));
