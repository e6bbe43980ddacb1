#!/usr/bin/env bash
# Every test: format, lints (native and wasm32), native tests, the template projects on real
# Spark (pyspark in local mode), the engine's tests in headless
# Chromium (wasm-bindgen-test), the app's wasm build (trunk, dev profile) and the browser
# end-to-end tests. Installs whatever is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
WASM=wasm32-unknown-unknown
t0=$SECONDS
stage() { echo; echo "== [$((SECONDS - t0))s] $*"; }

stage "cargo fmt --check, leptosfmt --check (the app's view! blocks)"
cargo fmt --all --check
leptosfmt --check --quiet crates/app/src

stage "clippy (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings

stage "clippy (wasm32: engine, templates, app)"
cargo clippy --target $WASM --locked -p dataflow-engine -p dataflow-templates -p dataflow-app --all-targets -- -D warnings

stage "native tests"
cargo test --locked

stage "template projects on real Spark (scripts/spark_test.sh)"
# Uses target/debug/dataflow from the native tests; pyspark is cached in target/spark-venv.
scripts/spark_test.sh

stage "engine tests in headless Chromium (wasm-bindgen-test)"
# Built as a test of the app (crates/app/tests/pipeline.rs includes the engine's), so it and the
# trunk build below share one wasm32 build of DataFusion.
cargo test --locked --target $WASM -p dataflow-app --test pipeline

stage "trunk build (dev profile, with the test hooks)"
trunk build --locked --features hooks

stage "browser end-to-end tests"
# They compare the page with target/debug/dataflow, which `cargo test` built for the CLI's own
# tests (a separate `cargo build -p dataflow-cli` would rebuild DataFusion with other features).
test -x target/debug/dataflow || cargo test --locked -p dataflow-cli --no-run
(cd web && npm test)

stage "all tests passed in $((SECONDS - t0))s"
