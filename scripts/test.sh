#!/usr/bin/env bash
# Every test: format, native tests (clippy lints every crate as it compiles), the template
# projects on real Spark (pyspark in local mode), the engine's tests in headless Chromium
# (wasm-bindgen-test, linted for wasm32 as they compile), the app's wasm build (trunk, dev
# profile) and the browser end-to-end tests, on it and on a split copy of it (as the hosted site
# ships). Installs whatever is missing first (scripts/setup.sh).
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

# Clippy lints every workspace crate while it is compiled for the tests, not in a `cargo clippy`
# pass of its own: `cargo clippy` is `cargo check` with clippy-driver as the workspace's rustc
# wrapper, and its check of DataFusion cannot be reused by a build, so a separate pass checked
# DataFusion twice more (native and wasm32, about 10 minutes of a fresh run). The same wrapper
# on the builds below lints the same crates, and `-D warnings` fails the build on a warning
# (rustc's or clippy's). Every cargo command in this script runs with it, so none rebuilds
# another's workspace crates.
export RUSTC_WORKSPACE_WRAPPER="${RUSTC_WORKSPACE_WRAPPER:-$(rustup which clippy-driver)}"
export CLIPPY_ARGS="-Dwarnings"

stage "native: build with clippy (every crate, every target), then the tests"
cargo test --locked --workspace --all-targets --no-run
cargo test --locked --workspace

stage "template projects on real Spark (scripts/spark_test.sh)"
# Uses target/debug/dataflow from the native tests; pyspark is cached in target/spark-venv.
scripts/spark_test.sh

stage "engine tests in headless Chromium (wasm-bindgen-test), linted for wasm32"
# Built as a test of the app (crates/app/tests/pipeline.rs includes the engine's), so it and the
# trunk build below share one wasm32 build of DataFusion. With clippy as the wrapper this lints
# the engine, the templates and the app as compiled for wasm32 (the engine and the templates
# have no wasm32-only code outside their tests; the app's wasm32-only code is in its library).
cargo test --locked --target $WASM -p dataflow-app --test pipeline

stage "trunk build (dev profile, with the test hooks)"
trunk build --locked --features hooks

stage "browser end-to-end tests"
# They compare the page with target/debug/dataflow, which `cargo test` built for the CLI's own
# tests (a separate `cargo build -p dataflow-cli` would rebuild DataFusion with other features).
test -x target/debug/dataflow || cargo test --locked -p dataflow-cli --no-run
(cd web && npm test)

stage "browser end-to-end tests on a split site (as the hosted page ships)"
# The hosted site's engine is split in two (scripts/build_site.sh, web/tools/split.mjs) and the
# dev build above is not: the same tests run again on a split copy of it, which profiles a first
# visit, splits, and so exercises the placeholders and the rest that loads after the first result.
# Brotli quality 1: the sizes are not what is tested here.
split_site="$PWD/target/split-site"
rm -rf "$split_site" && cp -r dist "$split_site"
SPLIT_QUALITY=1 node web/tools/split.mjs "$split_site"
(cd web && DIST_DIR="$split_site" npm test)

stage "all tests passed in $((SECONDS - t0))s"
