#!/usr/bin/env bash
# Idempotent set-up: installs only what is missing. Every download comes from a
# package registry (Debian, crates.io, npm); nothing else is fetched.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Must equal the `wasm-bindgen` crate pinned in Cargo.toml ([workspace.dependencies]).
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "setup: cannot read the wasm-bindgen pin from Cargo.toml" >&2; exit 1; }

log() { echo "setup: $*"; }

# Debian packages: clang (zstd-sys for wasm32), chromium + driver (browser tests), unzip (the
# template zips are checked with it), Java 17 and Python's venv (the Spark stage; pyspark itself
# is installed by scripts/spark_test.sh into its own virtualenv under target/), and R with the
# packages the sparklyr recipe's test runs on (sparklyr itself is not in Debian: CI uses the
# stand-in in tests/spark/sparklyr).
need_apt=()
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need_apt+=(python3-venv)
command -v Rscript >/dev/null 2>&1 || need_apt+=(r-base-core)
for pkg in dplyr dbplyr testthat yaml tibble withr jsonlite; do
  [ -d "/usr/lib/R/site-library/$pkg" ] || need_apt+=("r-cran-$pkg")
done
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Rust: wasm target and the lint/format components.
rustup target list --installed | grep -qx wasm32-unknown-unknown || { log "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }
for comp in clippy rustfmt; do
  rustup component list --installed | grep -q "^$comp" || rustup component add "$comp"
done

# wasm-bindgen-cli (gives wasm-bindgen and wasm-bindgen-test-runner). --locked fails for it here.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install --force wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# trunk 0.21.14: 0.22 needs a newer rustc; without --locked it does not compile.
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  log "cargo install trunk $TRUNK_VERSION"
  cargo install --locked --force "trunk@$TRUNK_VERSION"
fi

# leptosfmt 0.1.33: the formatter of the app's `view!` blocks (scripts/test.sh checks them).
LEPTOSFMT_VERSION=0.1.33
if [ "$(leptosfmt --version 2>/dev/null | awk '{print $2}')" != "$LEPTOSFMT_VERSION" ]; then
  log "cargo install leptosfmt $LEPTOSFMT_VERSION"
  cargo install --locked --force "leptosfmt@$LEPTOSFMT_VERSION"
fi

# npm packages for the browser tests, from the lock file. Never downloads a browser.
# The lock file's copy in node_modules marks what was installed from it.
if ! cmp -s web/package-lock.json web/node_modules/.installed-package-lock.json 2>/dev/null; then
  log "npm ci (web/)"
  (cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent \
    && cp package-lock.json node_modules/.installed-package-lock.json)
fi
log "ready"
