"""The Spark side of the CI stand-in for sparklyr (tests/spark/sparklyr/R/standin.R).

Listens on 127.0.0.1 (the port is written to the file given as the first argument), accepts one
connection, and answers one JSON line per request until `disconnect`. Every request that names a
query carries the Spark SQL that dbplyr rendered; it runs as sparklyr would have it run: `sql` at
once, registered as a temporary view; `insert` with DataFrameWriter.insertInto. Errors go back as
`{"error": ...}` so that R stops with Spark's message.
"""

import datetime
import decimal
import json
import math
import socket
import sys
import uuid

from pyspark.sql import SparkSession
from pyspark.sql import types as T

SPARK = None
TYPES = {"string": T.StringType(), "int": T.IntegerType(), "double": T.DoubleType(),
         "boolean": T.BooleanType(), "date": T.DateType()}


def view(df, name=None):
    """Registers df as a temporary view (a fresh name unless given): its name and columns."""
    name = name or "sparklyr_tmp_" + uuid.uuid4().hex
    df.createOrReplaceTempView(name)
    return {"name": name, "columns": df.columns}


def from_text(text, spark_type):
    if text is None:
        return None
    if spark_type == "int":
        return int(text)
    if spark_type == "double":
        return float(text)
    if spark_type == "boolean":
        return text == "TRUE"
    if spark_type == "date":
        return datetime.date.fromisoformat(text)
    return text


def to_json(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def connect(request):
    global SPARK
    builder = SparkSession.builder.master(request["master"]).appName(request["app_name"])
    for key, value in (request.get("config") or {}).items():
        builder = builder.config(key, value)
    SPARK = builder.getOrCreate()
    SPARK.sparkContext.setLogLevel("ERROR")
    return {"version": SPARK.version}


def answer(request):
    op = request["op"]
    if op == "connect":
        return connect(request)
    if op == "table":
        return {"columns": SPARK.table(request["name"]).columns}
    if op == "sql":
        return view(SPARK.sql(request["sql"]))
    if op == "register":
        return view(SPARK.sql(request["sql"]), request.get("name"))
    if op == "repartition":
        return view(SPARK.sql(request["sql"]).repartition(int(request["partitions"])))
    if op == "count":
        return {"n": SPARK.sql(request["sql"]).count()}
    if op == "collect":
        df = SPARK.sql(request["sql"])
        rows = [[to_json(v) for v in row] for row in df.collect()]
        return {"columns": df.columns, "types": [f.dataType.simpleString() for f in df.schema.fields], "rows": rows}
    if op == "copy":
        columns = request["columns"]
        schema = T.StructType([T.StructField(c["name"], TYPES[c["type"]]) for c in columns])
        cells = request["cells"]
        rows = [[from_text(cells[i][r], c["type"]) for i, c in enumerate(columns)]
                for r in range(len(cells[0]) if cells else 0)]
        return view(SPARK.createDataFrame(rows, schema), request["name"])
    if op == "insert":
        SPARK.sql(request["sql"]).write.mode(request["mode"]).insertInto(request["table"])
        return {}
    if op == "disconnect":
        SPARK.stop()
        return {}
    raise ValueError(f"unknown request {op!r}")


def main():
    server = socket.create_server(("127.0.0.1", 0))
    with open(sys.argv[1], "w") as port_file:
        port_file.write(str(server.getsockname()[1]))
    conn, _ = server.accept()
    stream = conn.makefile("rw", encoding="utf-8", newline="\n")
    for line in stream:
        request = json.loads(line)
        print(request["op"], request.get("sql") or request.get("name") or "", file=sys.stderr, flush=True)
        try:
            reply = answer(request)
        except Exception as error:  # Spark's own message goes back to R
            reply = {"error": f"{type(error).__name__}: {error}"}
        stream.write(json.dumps(reply, allow_nan=False) + "\n")
        stream.flush()
        if request["op"] == "disconnect":
            break


if __name__ == "__main__":
    main()
