#!/usr/bin/env bash
# The hosted site, as GitHub Pages publishes it (.github/workflows/pages.yml) and the browser
# benchmark measures it: `scripts/build_site.sh [DIST] [trunk build flags…]` (DIST: dist).
# 1. a release build that keeps the engine's function names (web/tools/post-build.mjs,
#    DATAFLOW_KEEP_NAMES), which the split needs to keep what no profile can see;
# 2. web/tools/split.mjs: the engine in two modules, the first holding what a newcomer's first
#    run calls (profiled in headless Chromium: CHROMIUM names the browser, /usr/bin/chromium by
#    default), the rest loaded after the first result; it drops the names again.
# Why split (issue #17): a newcomer's first result then waits for 3.0 MB (brotli) instead of 6.4.
# Needs binaryen 120 (scripts/binaryen.sh fetches it) and web/node_modules (npm ci --prefix web).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
shift || true
DATAFLOW_KEEP_NAMES=1 trunk build --release --locked --dist "$dist" "$@"
node web/tools/split.mjs "$dist"
