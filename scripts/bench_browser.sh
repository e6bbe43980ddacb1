#!/usr/bin/env bash
# The browser benchmark (issue #8): the hosted site's build of the app (scripts/build_site.sh,
# about 22 minutes from cold on 2 cores), DuckDB-wasm from npm (web/bench, served locally), and
# headless Chromium. Prints a table and writes target/bench/browser.json. Run the native
# benchmark first for the wasm/native ratio: cargo run --release --manifest-path bench/native/Cargo.toml
# Env: BENCH_ROWS (default 1000000,10000000), BENCH_RUNS (5), BENCH_LEVER_ROWS (1000000),
# BENCH_DIST (target/bench-dist; build there with other flags to compare builds).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd web/bench && npm ci --no-audit --no-fund)
dist=${BENCH_DIST:-target/bench-dist}
# The hosted site's build (a release build, its engine split in two: about 4 more minutes).
scripts/build_site.sh "$dist" --features hooks
node web/bench/run.mjs "$dist"
# The first visit through a modelled 25 Mbps / 40 ms and 10 Mbps / 80 ms link, gzip-only and
# brotli hosts, and the repeat visit (issue #17). Env: BENCH_VISITS (3), BENCH_LOG=1 lists the
# requests made before the first result.
node web/bench/first_visit.mjs "$dist"
