#![no_main]
//! Fuzz target: see `checks::ddl`.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::ddl(data));
