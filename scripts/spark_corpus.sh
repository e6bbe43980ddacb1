#!/usr/bin/env bash
# Regenerates tests/spark/corpus/expected.json (and the engine's lists of Spark's functions and
# keywords, crates/engine/src/spark/*.txt): Apache Spark's answers (local mode, ANSI, UTC) to
# the Spark SQL compatibility corpus's queries on its tables (scripts/spark_corpus.py). For
# developers, not CI: needs Java 17+ and PyPI the first time (the virtualenv of spark_test.sh,
# target/spark-venv, pyspark at the version the generated projects pin).
set -euo pipefail
cd "$(dirname "$0")/.."

java -version 2>&1 | head -1
source scripts/spark_venv.sh
spark_venv "$(spark_pin)"
export TZ=UTC
exec "$PYSPARK_PYTHON" scripts/spark_corpus.py
