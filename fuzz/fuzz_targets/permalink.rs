#![no_main]
//! Fuzz target: see `checks::permalink`.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::permalink(data));
