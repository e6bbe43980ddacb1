//! Replays what the fuzzers kept (issue #9), on stable and in CI: every file of
//! `fuzz/corpus/TARGET/` (the minimised corpus) and `fuzz/regressions/TARGET/` (inputs that once
//! crashed, and the fix) goes through the same check as the fuzz target `TARGET`
//! (`fuzz/checks.rs`), which panics on a crash or a broken round trip.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut count = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target}: {} fails its check", path.display());
            count += 1;
        }
    }
    assert!(count > 0, "{target}: nothing to replay");
}

#[test]
fn permalink_inputs_kept_by_the_fuzzer() {
    replay("permalink", checks::permalink);
}

#[test]
fn mock_yaml_inputs_kept_by_the_fuzzer() {
    replay("mock_yaml", checks::mock_yaml);
}

#[test]
fn ddl_inputs_kept_by_the_fuzzer() {
    replay("ddl", checks::ddl);
}

#[test]
fn workflow_yaml_inputs_kept_by_the_fuzzer() {
    replay("workflow_yaml", checks::workflow_yaml);
}

#[test]
fn step_sql_inputs_kept_by_the_fuzzer() {
    replay("step_sql", checks::step_sql);
}
