#!/usr/bin/env bash
# Fuzzing (issue #9): cargo fuzz (libFuzzer) on the nightly toolchain, targets in fuzz/fuzz_targets,
# checks in fuzz/checks.rs. Not part of scripts/test.sh: tests/fuzz_regressions.rs replays what the
# fuzzers kept on every test run instead.
#   scripts/fuzz.sh [TARGETS] [RUNS] [SECONDS]
# (default: all five targets, each for 10,000,000 inputs or an hour, whichever comes first)
# Each target runs on a working copy of its corpus (fuzz/target/live/TARGET), which is then
# minimised back into fuzz/corpus/TARGET. A crash stops the run and is left in
# fuzz/artifacts/TARGET: fix it, then copy the input to fuzz/regressions/TARGET.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
targets=${1:-"permalink mock_yaml ddl workflow_yaml step_sql"}
runs=${2:-10000000}
seconds=${3:-3600}
# -s none: the engine forbids unsafe code, and without ASan a run is several times faster;
# -a: debug assertions (overflow checks) on.
flags=(-s none -a)
cargo +nightly fuzz build "${flags[@]}"
for target in $targets; do
  live=target/live/$target
  mkdir -p "$live" "corpus/$target"
  cp -n "corpus/$target"/* "$live"/ 2>/dev/null || true
  echo "== $target: $runs inputs or $seconds s"
  cargo +nightly fuzz run "${flags[@]}" "$target" "$live" -- \
    -runs="$runs" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 2>&1 | tee "target/$target.log" |
    grep -E '^(#[0-9]+ +DONE|stat::|Done|==|SUMMARY)' || true
  cargo +nightly fuzz cmin "${flags[@]}" "$target" "$live" >/dev/null 2>&1
  rm -f "corpus/$target"/*
  cp "$live"/* "corpus/$target"/
  echo "   kept $(ls "corpus/$target" | wc -l) inputs in fuzz/corpus/$target"
done
