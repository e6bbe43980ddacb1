#!/usr/bin/env bash
# The template gallery on real Apache Spark: generates every recipe's project with the CLI, for
# the sample pipeline and for a changed one (top N 10, steps kept as SQL, a user parameter, a
# short name of its own), and runs each project's own unit test on Spark in local mode:
#  - spark-sql and pyspark: pytest, on pyspark;
#  - scala: its sources compiled with the Scala compiler in the pyspark wheel, its ScalaTest suite
#    run on the stand-in in tests/spark/scalatest (scripts/spark_scala.sh);
#  - sparklyr: its testthat suite on Debian's R, with the stand-in for sparklyr in
#    tests/spark/sparklyr (dbplyr renders the dplyr verbs, pyspark runs the SQL;
#    scripts/spark_sparklyr.sh).
#  - Sample pipeline: Spark's output must equal the project's expected mock, and `dataflow test`
#    checks that our engine's output on the same mocks equals it too.
#  - Changed pipeline: the expected mock is replaced by our engine's output on the input mock
#    (`dataflow test --update`), so Spark's output must equal the engine's.
# pyspark (the version the projects pin), pytest and pyyaml come from PyPI into a virtualenv
# under target/ that later runs reuse. Needs Java 17+, R with the packages scripts/setup.sh
# installs, and target/debug/dataflow (`cargo test` builds it).
set -euo pipefail
cd "$(dirname "$0")/.."

t0=$SECONDS
DATAFLOW=${DATAFLOW:-target/debug/dataflow}
WORK=target/spark-test
source scripts/spark_venv.sh
log() { echo "spark: [$((SECONDS - t0))s] $*"; }

test -x "$DATAFLOW" || cargo test --locked -p dataflow-cli --no-run
java -version 2>&1 | head -1
rm -rf "$WORK"
mkdir -p "$WORK"

RECIPES=(spark-sql pyspark scala sparklyr)
CHANGED=(--top-n 10 --steps tests/spark/changed_steps.sql --param min_hours=0.5)
for recipe in "${RECIPES[@]}"; do
  "$DATAFLOW" sample workflow "$recipe" "$WORK/$recipe-sample" >/dev/null
  "$DATAFLOW" sample workflow "$recipe" "$WORK/$recipe-changed" "${CHANGED[@]}" --short-name daily_top_titles >/dev/null 2>&1
  # The expected rows of the changed pipeline: our engine's output on the input mock.
  "$DATAFLOW" test "$WORK/$recipe-changed" --update "${CHANGED[@]}" >/dev/null
done

PIN=$(sed -n 's/.*"\(pyspark==[0-9.]*\)".*/\1/p' "$WORK/pyspark-sample/pyproject.toml")
[ -n "$PIN" ] || { echo "spark: no pyspark pin in the generated pyproject.toml" >&2; exit 1; }
spark_venv "$PIN"

for recipe in "${RECIPES[@]}"; do
  # Our engine on the sample project's mocks (its output must equal the expected mock).
  "$DATAFLOW" test "$WORK/$recipe-sample"
done
for recipe in spark-sql pyspark; do
  for variant in sample changed; do
    log "$recipe-$variant: the project's own unit test on Spark"
    (cd "$WORK/$recipe-$variant" && "$PYSPARK_PYTHON" -m pytest -p no:cacheprovider)
  done
done
log "scala: the projects compiled by the wheel's Scala compiler, their suites on Spark"
scripts/spark_scala.sh "$WORK/scala-sample" "$WORK/scala-changed"
log "sparklyr: the projects' testthat suites on Spark (dbplyr's SQL run by pyspark)"
scripts/spark_sparklyr.sh "$WORK/sparklyr-sample" "$WORK/sparklyr-changed"
log "the generated projects pass on Spark $PIN, and Spark's output equals the engine's"
