"""Dataflow mocks for the unit tests: read a mock YAML file, turn it into a Spark DataFrame, and
compare a DataFrame with an expected mock.

The mock format (one table per file) and the comparison are those of the Dataflow Playground
(docs/mocks.md there):

- cells are read by their column's type, as YAML 1.2 does: `NO`, `yes` are text, `null` (plain)
  is NULL, `"null"` (quoted) is the text;
- rows match in any order unless the expected mock says `ordered: true`;
- doubles are equal when |expected - actual| <= tolerance * max(1, |expected|, |actual|), with
  the mock's `tolerance:` or 1e-9; NaN equals NaN;
- columns compare by name (case-insensitive) and values by value: an INT column may hold a
  BIGINT result.
"""

import datetime
import decimal
import math
import re

import yaml

DEFAULT_TOLERANCE = 1e-9

_INTEGER_TYPES = {"TINYINT", "BYTE", "SMALLINT", "SHORT", "INT", "INTEGER", "BIGINT", "LONG"}
_FLOAT_TYPES = {"FLOAT", "REAL", "DOUBLE"}
_STRING_TYPES = {"STRING", "VARCHAR", "CHAR", "TEXT"}
_BOOLEAN_TYPES = {"BOOLEAN", "BOOL"}
_SPARK_TYPES = {
    "TINYINT": "TINYINT", "BYTE": "TINYINT", "SMALLINT": "SMALLINT", "SHORT": "SMALLINT",
    "INT": "INT", "INTEGER": "INT", "BIGINT": "BIGINT", "LONG": "BIGINT", "FLOAT": "FLOAT",
    "REAL": "FLOAT", "DOUBLE": "DOUBLE", "STRING": "STRING", "VARCHAR": "STRING", "CHAR": "STRING",
    "TEXT": "STRING", "BOOLEAN": "BOOLEAN", "BOOL": "BOOLEAN", "DATE": "DATE",
}
_NULLS = {"null", "Null", "NULL", "~", ""}
_PARAMETER = re.compile(r"\$\{([^}]*)\}")


class Mock:
    """A mock table: its name, its columns [(name, type)], its rows and the comparison options."""

    def __init__(self, table, columns, rows, primary_key=(), ordered=False, tolerance=None):
        self.table = table
        self.columns = columns
        self.rows = rows
        self.primary_key = list(primary_key)
        self.ordered = ordered
        self.tolerance = DEFAULT_TOLERANCE if tolerance is None else tolerance

    def spark_schema(self):
        """The columns as a Spark DDL schema string (`title_id INT, country_code STRING`)."""
        return ", ".join(f"`{name}` {_spark_type(sql_type)}" for name, sql_type in self.columns)

    def to_dataframe(self, spark):
        """The rows as a Spark DataFrame of the mock's column types."""
        return spark.createDataFrame(self.rows, self.spark_schema())


def substitute(text, params):
    """Replaces every `${NAME}` by its value, as the workflow's scheduler does; an unknown name is an error."""

    def value(match):
        name = match.group(1).strip()
        if name not in params:
            raise KeyError(f"unknown parameter ${{{name}}}")
        return str(params[name])

    if "${" in _PARAMETER.sub("", text):
        raise ValueError("unclosed parameter reference `${`")
    return _PARAMETER.sub(value, text)


def read_mock(path):
    """Reads one mock file."""
    with open(path, encoding="utf-8") as f:
        root = yaml.compose(f, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError(f"{path}: a mock is a mapping (table, columns, rows)")
    fields = {key.value: node for key, node in root.value}
    table = _plain(fields.get("table"), f"{path}: table")
    columns = []
    for node in _items(fields.get("columns")):
        column = {key.value: _plain(value, f"{path}: column") for key, value in node.value}
        columns.append((column["name"], column["type"].strip().upper()))
    rows = []
    for number, node in enumerate(_items(fields.get("rows")), start=1):
        cells = _items(node)
        if len(cells) != len(columns):
            raise ValueError(f"{path}: row {number} has {len(cells)} cells for {len(columns)} columns")
        rows.append(tuple(_cell(cell, sql_type, f"{path}: row {number}") for cell, (_, sql_type) in zip(cells, columns)))
    primary_key = [_plain(node, "primary_key") for node in _items(fields.get("primary_key"))]
    ordered = _plain(fields.get("ordered"), "ordered") in ("true", "True", "TRUE")
    tolerance = fields.get("tolerance")
    tolerance = None if tolerance is None else float(_plain(tolerance, "tolerance"))
    return Mock(table, columns, rows, primary_key, ordered, tolerance)


def create_table(spark, mock):
    """Writes a mock as the catalog table it names (`some_db.source_table`), as production reads it."""
    if "." in mock.table:
        database = mock.table.split(".")[0]
        spark.sql(f"CREATE DATABASE IF NOT EXISTS `{database}`")
    mock.to_dataframe(spark).write.mode("overwrite").saveAsTable(mock.table)


def assert_equals_mock(actual_df, expected):
    """Asserts that a DataFrame holds the expected mock's rows (see the module's doc)."""
    actual_columns = {name.lower(): name for name in actual_df.columns}
    expected_names = [name.lower() for name, _ in expected.columns]
    missing = [name for name in expected_names if name not in actual_columns]
    unexpected = [name for name in actual_columns if name not in expected_names]
    assert not missing and not unexpected, (
        f"columns differ: missing {missing}, unexpected {unexpected} (output has {actual_df.columns})"
    )
    rows = actual_df.select(*[actual_columns[name] for name in expected_names]).collect()
    actual = [tuple(row) for row in rows]
    if expected.ordered:
        problems = [
            f"row {i + 1}: expected {e}, actual {a}"
            for i, (e, a) in enumerate(zip(expected.rows, actual))
            if not _rows_equal(e, a, expected.tolerance)
        ]
        if len(actual) != len(expected.rows):
            problems.append(f"{len(expected.rows)} row(s) expected, {len(actual)} found")
    else:
        unmatched = list(actual)
        missing_rows = []
        for row in sorted(expected.rows, key=_sort_key):
            found = next((i for i, a in enumerate(unmatched) if _rows_equal(row, a, expected.tolerance)), None)
            if found is None:
                missing_rows.append(row)
            else:
                unmatched.pop(found)
        problems = [f"missing: {row}" for row in missing_rows] + [f"unexpected: {row}" for row in unmatched]
    order = "in order" if expected.ordered else "in any order"
    assert not problems, (
        f"{len(problems)} difference(s) with {expected.table} ({order}, doubles within {expected.tolerance}); "
        f"columns {[name for name, _ in expected.columns]}\n" + "\n".join(problems)
    )


def _spark_type(sql_type):
    base = sql_type.split("(")[0].strip()
    if base not in _SPARK_TYPES:
        raise ValueError(f"type {sql_type} is not held by mocks")
    return _SPARK_TYPES[base]


def _items(node):
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise ValueError(f"line {node.start_mark.line + 1}: expected a list")
    return node.value


def _plain(node, what):
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        raise ValueError(f"{what}, line {node.start_mark.line + 1}: expected a value")
    return node.value


def _cell(node, sql_type, where):
    if not isinstance(node, yaml.ScalarNode):
        raise ValueError(f"{where}, line {node.start_mark.line + 1}: a cell is a single value")
    text, quoted = node.value, node.style in ("'", '"')
    if not quoted and text in _NULLS:
        return None
    base = sql_type.split("(")[0].strip()
    try:
        if base in _STRING_TYPES:
            return text
        if base in _INTEGER_TYPES:
            return int(text)
        if base in _FLOAT_TYPES:
            special = {".nan": math.nan, ".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf}
            return special[text.lower()] if text.lower() in special else float(text)
        if base in _BOOLEAN_TYPES:
            return {"true": True, "false": False}[text.lower()]
        if base == "DATE":
            return datetime.date.fromisoformat(text)
    except (ValueError, KeyError) as error:
        raise ValueError(f"{where}: {text!r} is not a {sql_type}") from error
    raise ValueError(f"{where}: type {sql_type} is not held by mocks")


def _values_equal(expected, actual, tolerance):
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(actual, decimal.Decimal):
        actual = float(actual)
    if isinstance(expected, float) or isinstance(actual, float):
        if isinstance(expected, bool) or isinstance(actual, bool):
            return False
        e, a = float(expected), float(actual)
        if math.isnan(e) or math.isnan(a):
            return math.isnan(e) and math.isnan(a)
        if math.isinf(e) or math.isinf(a):
            return e == a
        return abs(e - a) <= tolerance * max(1.0, abs(e), abs(a))
    return expected == actual


def _rows_equal(expected, actual, tolerance):
    return len(expected) == len(actual) and all(_values_equal(e, a, tolerance) for e, a in zip(expected, actual))


def _sort_key(row):
    return tuple((value is None, str(value)) for value in row)


def without_table_format(ddl):
    """A DDL without its `STORED AS <format>` clause and final `;`, to run on a local Spark whose
    default table format (Parquet) stands in for production's (Iceberg in the sample)."""
    return re.sub(r"\bSTORED\s+AS\s+\w+", "", ddl, flags=re.IGNORECASE).strip().rstrip(";")
