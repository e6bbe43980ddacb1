#![no_main]
//! Fuzz target: see `checks::step_sql`.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::step_sql(data));
