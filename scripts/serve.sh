#!/usr/bin/env bash
# Installs whatever is missing, then serves the app with trunk on http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec trunk serve "$@"
