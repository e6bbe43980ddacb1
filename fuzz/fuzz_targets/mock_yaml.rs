#![no_main]
//! Fuzz target: see `checks::mock_yaml`.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::mock_yaml(data));
