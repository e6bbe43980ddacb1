#!/usr/bin/env bash
# The sparklyr recipe on real Spark: runs each generated project's own testthat suite
# (`Rscript tests/testthat.R`) with Debian's R packages, on Spark in local mode. sparklyr is not in
# Debian and CRAN is not reachable, so the suite loads the stand-in in tests/spark/sparklyr (a
# package named sparklyr): dbplyr renders the project's dplyr verbs to Spark SQL with sparklyr's
# translation rules, and a pyspark session (tests/spark/sparklyr/server.py) runs that SQL. What
# the stand-in mirrors and what it refuses is in its R/standin.R.
#   scripts/spark_sparklyr.sh PROJECT_DIR...    (after `source scripts/spark_venv.sh; spark_venv PIN`)
set -euo pipefail
[ -n "${PYSPARK_PYTHON:-}" ] || { echo "sparklyr: run spark_venv first (scripts/spark_venv.sh)" >&2; exit 1; }
STANDIN=$(cd "$(dirname "$0")/../tests/spark/sparklyr" && pwd)
R_LIB=$(mktemp -d)
server=
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$R_LIB"; }
trap cleanup EXIT
R CMD INSTALL --no-docs --library="$R_LIB" "$STANDIN" >"$R_LIB/install.log" 2>&1 || { cat "$R_LIB/install.log" >&2; exit 1; }

for project in "$@"; do
  port_file="$project/spark-server.port"
  rm -f "$port_file"
  "$PYSPARK_PYTHON" "$STANDIN/server.py" "$port_file" >"$project/spark.log" 2>&1 &
  server=$!
  while [ ! -s "$port_file" ]; do
    kill -0 "$server" 2>/dev/null || { cat "$project/spark.log" >&2; exit 1; }
    sleep 0.2
  done
  (cd "$project" && SPARKLYR_STANDIN="127.0.0.1:$(cat spark-server.port)" R_LIBS="$R_LIB" Rscript tests/testthat.R) \
    || { tail -40 "$project/spark.log" >&2; exit 1; }
  # The suite's spark_disconnect() ends the server; one that stays (no disconnect) is stopped.
  for _ in $(seq 150); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
  kill "$server" 2>/dev/null || true
  server=
done
