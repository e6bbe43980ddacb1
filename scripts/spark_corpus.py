#!/usr/bin/env python3
"""Records Apache Spark's answers to the Spark SQL compatibility corpus (tests/spark/corpus).

Reads the tables (tables/*.yaml, the mock format of docs/mocks.md) and the queries (*.sql, one file
per category, each query introduced by `-- query: NAME` and its `-- covers:` line), runs every query
on a local Spark in ANSI mode with the UTC time zone, and writes tests/spark/corpus/expected.json:
each query's column names and Spark types and its rows, or the error Spark raised.

A query in a .sql file:
    -- query: NAME            lowercase [a-z0-9_], unique in the file; its id is <file stem>/NAME
    -- covers: a, b, c        required: the functions and clauses it exercises
    -- ordered                optional: the row order is part of the answer (ends with ORDER BY)
    SELECT ...                up to the next `-- query:` line, no trailing `;`

A record in expected.json: {"columns": [{"name", "type" (Spark's simpleString)}], "rows": [[cell]]}
with rows in Spark's order, or {"error": condition, "message": first line}. Cells: null, booleans,
integers, doubles (or "NaN", "Infinity", "-Infinity"), decimals as str(Decimal), strings, dates
"YYYY-MM-DD", timestamps "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC), binary "0x<hex>", arrays, maps as
[[key, value]], structs as objects.

Run it with scripts/spark_corpus.sh, which brings the virtualenv (pyspark at the pinned version).
"""

import datetime
import decimal
import json
import logging
import math
import os
import re
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "spark" / "corpus"
EXPECTED = CORPUS / "expected.json"

QUERY_LINE = re.compile(r"^-- query:(.*)$")
NAME = re.compile(r"^[a-z0-9_]+$")
COVERS_LINE = re.compile(r"^-- covers:(.*)$")


class CorpusError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Queries


def parse_sql_file(path):
    """The queries of one file: [(name, covers, ordered, sql)], in file order."""
    stem = path.stem
    queries = []
    current = None  # [name, covers, ordered, sql_lines, in_directives, line_no]
    lines = path.read_text(encoding="utf-8").split("\n")

    def finish():
        if current is None:
            return
        name, covers, ordered, sql_lines, _, line_no = current
        where = f"{path.name}:{line_no}: query {name}"
        if covers is None:
            raise CorpusError(f"{where} has no `-- covers:` line")
        sql = "\n".join(sql_lines).strip()
        if not sql:
            raise CorpusError(f"{where} has no SQL")
        if sql.endswith(";"):
            raise CorpusError(f"{where} ends with `;`")
        if ordered and not re.search(r"\border\s+by\b", sql, re.IGNORECASE):
            raise CorpusError(f"{where} is `-- ordered` but has no ORDER BY")
        queries.append((name, covers, ordered, sql))

    for no, line in enumerate(lines, 1):
        m = QUERY_LINE.match(line)
        if m:
            finish()
            name = m.group(1).strip()
            if not NAME.match(name):
                raise CorpusError(f"{path.name}:{no}: bad query name {name!r} (lowercase [a-z0-9_])")
            if any(q[0] == name for q in queries):
                raise CorpusError(f"{path.name}:{no}: duplicate query id {stem}/{name}")
            current = [name, None, False, [], True, no]
            continue
        if current is None:
            if line.strip():
                raise CorpusError(f"{path.name}:{no}: text before the first `-- query:` line")
            continue
        if current[4]:
            c = COVERS_LINE.match(line)
            if c:
                if current[1] is not None:
                    raise CorpusError(f"{path.name}:{no}: a second `-- covers:` line")
                covers = [x.strip() for x in c.group(1).split(",")]
                if not all(covers) or any(x != x.lower() for x in covers):
                    raise CorpusError(f"{path.name}:{no}: `-- covers:` wants lowercase, comma-separated names")
                current[1] = covers
                continue
            if line.rstrip() == "-- ordered":
                current[2] = True
                continue
            current[4] = False
        current[3].append(line)
    finish()
    return [(f"{stem}/{name}", covers, ordered, sql) for name, covers, ordered, sql in queries]


def load_queries():
    files = sorted(CORPUS.glob("*.sql"))
    if not files:
        raise CorpusError(f"no *.sql in {CORPUS}")
    out = {}
    for path in files:
        for qid, covers, ordered, sql in parse_sql_file(path):
            if qid in out:
                raise CorpusError(f"duplicate query id {qid}")
            out[qid] = (covers, ordered, sql)
    return out


# ---------------------------------------------------------------------------------------------
# Tables (the mock format: YAML 1.2 scalars, so `NO` is text and `1e-7` a double)


class MockLoader(yaml.SafeLoader):
    pass


MockLoader.yaml_implicit_resolvers = {}
for _first, _resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
    kept = [(tag, rx) for tag, rx in _resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:float",
                           "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp")]
    if kept:
        MockLoader.yaml_implicit_resolvers[_first] = kept
MockLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
MockLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
MockLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)

INTEGRAL = {"TINYINT": (-(2 ** 7), 2 ** 7 - 1), "SMALLINT": (-(2 ** 15), 2 ** 15 - 1),
            "INT": (-(2 ** 31), 2 ** 31 - 1), "INTEGER": (-(2 ** 31), 2 ** 31 - 1),
            "BIGINT": (-(2 ** 63), 2 ** 63 - 1), "LONG": (-(2 ** 63), 2 ** 63 - 1)}
ALIASES = {"INTEGER": "INT", "LONG": "BIGINT", "VARCHAR": "STRING", "BYTE": "TINYINT",
           "SHORT": "SMALLINT", "REAL": "FLOAT", "BOOL": "BOOLEAN"}


def spark_type(name):
    from pyspark.sql import types as T
    return {"TINYINT": T.ByteType(), "SMALLINT": T.ShortType(), "INT": T.IntegerType(),
            "BIGINT": T.LongType(), "FLOAT": T.FloatType(), "DOUBLE": T.DoubleType(),
            "STRING": T.StringType(), "BOOLEAN": T.BooleanType(), "DATE": T.DateType()}[name]


def mock_cell(value, typ, where):
    if value is None:
        return None
    if typ in INTEGRAL:
        lo, hi = INTEGRAL[typ]
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise CorpusError(f"{where}: {value!r} is not a {typ}")
        return value
    if typ in ("FLOAT", "DOUBLE"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CorpusError(f"{where}: {value!r} is not a {typ}")
        return float(value)
    if typ == "STRING":
        if not isinstance(value, str):
            raise CorpusError(f"{where}: {value!r} is not text (quote it)")
        return value
    if typ == "BOOLEAN":
        if not isinstance(value, bool):
            raise CorpusError(f"{where}: {value!r} is not true or false")
        return value
    if typ == "DATE":
        if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            raise CorpusError(f"{where}: {value!r} is not a date YYYY-MM-DD")
        return datetime.date.fromisoformat(value)
    raise CorpusError(f"{where}: type {typ} is not held by mocks")


def load_tables(spark):
    from pyspark.sql import types as T
    names = []
    for path in sorted((CORPUS / "tables").glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=MockLoader)
        table = doc["table"]
        cols = [(c["name"], ALIASES.get(c["type"].upper(), c["type"].upper())) for c in doc["columns"]]
        schema = T.StructType([T.StructField(n, spark_type(t), True) for n, t in cols])
        rows = []
        for i, row in enumerate(doc.get("rows") or [], 1):
            if len(row) != len(cols):
                raise CorpusError(f"{path.name}: row {i} has {len(row)} cells, not {len(cols)}")
            rows.append(tuple(mock_cell(v, t, f"{path.name}: row {i}, column {n}")
                              for v, (n, t) in zip(row, cols)))
        spark.createDataFrame(rows, schema).createOrReplaceTempView(table)
        names.append(f"{table} ({len(rows)} rows)")
    return names


# ---------------------------------------------------------------------------------------------
# Results


def encode(value, dt):
    from pyspark.sql import types as T
    if value is None:
        return None
    if isinstance(dt, T.BooleanType):
        return bool(value)
    if isinstance(dt, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
        return int(value)
    if isinstance(dt, (T.FloatType, T.DoubleType)):
        v = float(value)
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    if isinstance(dt, T.DecimalType):
        return str(decimal.Decimal(value))
    if isinstance(dt, (T.StringType, T.CharType, T.VarcharType)):
        return str(value)
    if isinstance(dt, T.DateType):
        return value.isoformat()
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        return text + (f".{value.microsecond:06d}" if value.microsecond else "")
    if isinstance(dt, T.BinaryType):
        return "0x" + bytes(value).hex()
    if isinstance(dt, T.ArrayType):
        return [encode(v, dt.elementType) for v in value]
    if isinstance(dt, T.MapType):
        return [[encode(k, dt.keyType), encode(v, dt.valueType)] for k, v in value.items()]
    if isinstance(dt, T.StructType):
        return {f.name: encode(value[i], f.dataType) for i, f in enumerate(dt.fields)}
    raise CorpusError(f"no encoding for Spark type {dt.simpleString()} ({value!r})")


def error_record(exc):
    """The error class (condition) and the first line of the message of a query's exception."""
    cond, text = None, str(exc)
    getter = getattr(exc, "getCondition", None) or getattr(exc, "getErrorClass", None)
    if getter is not None:
        cond = getter()
    name = type(exc).__name__
    java = getattr(exc, "java_exception", None)
    if java is not None and not cond:
        # A Py4JJavaError that pyspark did not convert: the Java exception or its first cause
        # that names an error condition.
        name = java.getClass().getSimpleName()
        text = str(java.getMessage() or "")
        cause = java
        while cause is not None:
            for method in ("getCondition", "getErrorClass"):
                try:
                    cond = getattr(cause, method)()
                except Exception:  # noqa: BLE001 - not a SparkThrowable
                    cond = None
                if cond:
                    break
            if cond:
                text = str(cause.getMessage() or "")
                break
            cause = cause.getCause()
    first = text.strip().split("\n", 1)[0].strip() if text.strip() else ""
    return {"error": cond or name, "message": first[:300]}


def run_query(spark, sql):
    from pyspark.errors import PySparkException
    from py4j.protocol import Py4JJavaError
    try:
        df = spark.sql(sql)
        schema = df.schema
        rows = df.collect()
    except (PySparkException, Py4JJavaError) as exc:
        return error_record(exc)
    return {
        "columns": [{"name": f.name, "type": f.dataType.simpleString()} for f in schema.fields],
        "rows": [[encode(row[i], f.dataType) for i, f in enumerate(schema.fields)] for row in rows],
    }


def dump(spark_version, records):
    """indent 1, a column or a row per line, query ids sorted."""
    def j(v):
        return json.dumps(v, ensure_ascii=False, allow_nan=False)

    out = ["{", f' "spark": {j(spark_version)},', ' "queries": {']
    ids = sorted(records)
    for n, qid in enumerate(ids):
        rec = records[qid]
        comma = "," if n + 1 < len(ids) else ""
        if "error" in rec:
            out.append(f'  {j(qid)}: {{"error": {j(rec["error"])}, "message": {j(rec["message"])}}}{comma}')
            continue
        out.append(f"  {j(qid)}: {{")
        out.append('   "columns": [')
        out.extend(f"    {j(c)}{',' if i + 1 < len(rec['columns']) else ''}" for i, c in enumerate(rec["columns"]))
        out.append("   ],")
        if rec["rows"]:
            out.append('   "rows": [')
            out.extend(f"    {j(r)}{',' if i + 1 < len(rec['rows']) else ''}" for i, r in enumerate(rec["rows"]))
            out.append("   ]")
        else:
            out.append('   "rows": []')
        out.append(f"  }}{comma}")
    out.append(" }")
    out.append("}")
    return "\n".join(out) + "\n"


SPARK_DIR = ROOT / "crates" / "engine" / "src" / "spark"


def write_vocabulary(spark, version):
    """Spark's function names and SQL keywords, which the engine checks steps against and the
    editors highlight (crates/engine/src/spark/functions.txt and keywords.txt)."""
    names = sorted({r[0] for r in spark.sql("SHOW FUNCTIONS").collect() if r[0].replace("_", "").isalnum()})
    (SPARK_DIR / "functions.txt").write_text(
        f"# Apache Spark's built-in functions (pyspark {version}, SHOW FUNCTIONS; operators left out), one a line.\n"
        + "\n".join(names) + "\n", encoding="utf-8")
    keywords = sorted({r[0] for r in spark.sql("SELECT keyword FROM sql_keywords()").collect()})
    (SPARK_DIR / "keywords.txt").write_text(
        f"# Apache Spark's SQL keywords (pyspark {version}, SELECT keyword FROM sql_keywords()), one a line.\n"
        + "\n".join(keywords) + "\n", encoding="utf-8")
    print(f"spark-corpus: {len(names)} function names, {len(keywords)} keywords -> {SPARK_DIR.relative_to(ROOT)}")


def main():
    os.environ["TZ"] = "UTC"
    time.tzset()
    queries = load_queries()

    from pyspark.sql import SparkSession
    t0 = time.time()
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("spark-corpus")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "true")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        # No adaptive re-planning: a join side picked at run time changes the row order between runs.
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("OFF")
    # pyspark logs every failed query's context (with the Java stack) as JSON on stderr.
    logging.getLogger("SQLQueryContextLogger").disabled = True
    print(f"spark-corpus: Spark {spark.version}, tables: {', '.join(load_tables(spark))}", flush=True)

    records = {}
    per_category = {}
    for qid, (_covers, _ordered, sql) in queries.items():
        records[qid] = rec = run_query(spark, sql)
        cat = qid.split("/", 1)[0]
        counts = per_category.setdefault(cat, [0, 0])
        counts[1 if "error" in rec else 0] += 1
        if "error" in rec and cat not in ("ansi", "refused"):
            print(f"spark-corpus: note: {qid} refused: {rec['error']}: {rec['message']}", flush=True)
    version = spark.version
    write_vocabulary(spark, version)
    spark.stop()

    EXPECTED.write_text(dump(version, records), encoding="utf-8")
    for cat, (ok, bad) in sorted(per_category.items()):
        print(f"spark-corpus:   {cat:<12} {ok:>3} answered, {bad:>3} refused")
    answered = sum(ok for ok, _ in per_category.values())
    refused = sum(bad for _, bad in per_category.values())
    print(f"spark-corpus: {len(records)} queries, {answered} answered, {refused} refused "
          f"-> {EXPECTED.relative_to(ROOT)} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    try:
        main()
    except CorpusError as e:
        print(f"spark-corpus: error: {e}", file=sys.stderr)
        sys.exit(1)
