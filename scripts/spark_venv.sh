# Sourced by scripts/spark_test.sh and scripts/spark_corpus.sh (from the repo's root): the
# virtualenv under target/ with pyspark (the version the generated projects pin), pytest and pyyaml,
# made once from PyPI and reused while its versions stay right.
#   spark_venv PIN    PIN is "pyspark==X.Y.Z"; sets VENV and exports PYSPARK_PYTHON
#   spark_pin         prints "pyspark==X.Y.Z", read from the templates' source (no build needed)
VENV=${SPARK_VENV:-target/spark-venv}
PYTEST_VERSION=8.4.2
PYYAML_VERSION=6.0.3

spark_pin() {
  local v
  v=$(sed -n 's/.*const SPARK_VERSION: &str = "\([0-9.]*\)".*/\1/p' crates/templates/src/recipes/mod.rs)
  [ -n "$v" ] || { echo "spark: no SPARK_VERSION in crates/templates/src/recipes/mod.rs" >&2; return 1; }
  echo "pyspark==$v"
}

spark_venv() {
  local pin=$1
  if ! "$VENV/bin/python" - "$pin" "$PYTEST_VERSION" "$PYYAML_VERSION" 2>/dev/null <<'PY'
import sys, importlib.metadata as m
pin, pytest_v, yaml_v = sys.argv[1:]
assert "pyspark==" + m.version("pyspark") == pin
assert m.version("pytest") == pytest_v and m.version("pyyaml") == yaml_v
PY
  then
    local msg="pip install $pin pytest==$PYTEST_VERSION pyyaml==$PYYAML_VERSION into $VENV"
    if declare -F log >/dev/null; then log "$msg"; else echo "spark: $msg"; fi
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "$pin" "pytest==$PYTEST_VERSION" "pyyaml==$PYYAML_VERSION"
  fi
  export PYSPARK_PYTHON="$PWD/$VENV/bin/python"
}
