#!/usr/bin/env bash
# The Scala recipe on real Spark: compiles each generated project's sources (main object,
# DataflowMocks and its ScalaTest suite) with the Scala compiler inside the pyspark wheel, and runs
# the suite on Spark in local mode, with the JVM flags the project's build.gradle gives its tests.
# ScalaTest is not reachable here (Maven Central), so the suite runs on the stand-in in
# tests/spark/scalatest (AnyFunSuite, BeforeAndAfterAll, assert, assume; see its header for what
# it leaves out). Fails on a compiler warning, a failed test, or a suite that runs no test.
#   scripts/spark_scala.sh PROJECT_DIR...    (after `source scripts/spark_venv.sh; spark_venv PIN`)
set -euo pipefail
[ -n "${PYSPARK_PYTHON:-}" ] || { echo "scala: run spark_venv first (scripts/spark_venv.sh)" >&2; exit 1; }
JARS=$("$PYSPARK_PYTHON" -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))')
STANDIN=$(dirname "$0")/../tests/spark/scalatest
scalac() { java -cp "$JARS/*" scala.tools.nsc.Main -usejavacp -deprecation -feature -Werror "$@"; }

STANDIN_CLASSES=$(mktemp -d)
trap 'rm -rf "$STANDIN_CLASSES"' EXIT
scalac -d "$STANDIN_CLASSES" "$STANDIN"/*.scala

for project in "$@"; do
  out="$project/build/classes"
  rm -rf "$project/build" && mkdir -p "$out"
  mapfile -t sources < <(find "$project/src" -name '*.scala' | sort)
  scalac -classpath "$STANDIN_CLASSES" -d "$out" "${sources[@]}"
  # The suites: every class that extends AnyFunSuite, by its package and name.
  mapfile -t suites < <(for f in $(grep -l 'extends AnyFunSuite' "${sources[@]}"); do
    pkg=$(sed -n 's/^package \([A-Za-z0-9_.]*\).*/\1/p' "$f" | head -1)
    sed -n 's/^class \([A-Za-z0-9_]*\) extends AnyFunSuite.*/\1/p' "$f" | sed "s/^/${pkg:+$pkg.}/"
  done)
  [ ${#suites[@]} -gt 0 ] || { echo "scala: no ScalaTest suite in $project" >&2; exit 1; }
  # The JVM flags of the project's `test { jvmArgs = [...] }` (Spark on Java 17 needs them).
  mapfile -t jvm_args < <(sed -n "s/^ *'\(-[^']*\)',\$/\1/p" "$project/build.gradle")
  (cd "$project" && java "${jvm_args[@]}" -cp "$PWD/build/classes:$STANDIN_CLASSES:$JARS/*" \
    org.scalatest.StandInRunner "${suites[@]}" 2>build/spark.log) || { tail -40 "$project/build/spark.log" >&2; exit 1; }
done
