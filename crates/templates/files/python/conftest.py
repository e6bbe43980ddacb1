"""pytest fixtures for {{workflow_id}}: one local Spark session for the whole run (fast and quiet),
the input mock as the table the transform reads, and the target table made by the DDL."""

import datetime
import os

import pytest
from pyspark.sql import SparkSession

import dataflow_mocks

HERE = os.path.dirname(os.path.abspath(__file__))
INPUT_MOCK = os.path.join(HERE, "mocks", "{{input_mock_file}}")
EXPECTED_MOCK = os.path.join(HERE, "mocks", "{{expected_mock_file}}")
DDL = os.path.join(HERE, "..", "ddl", "{{ddl_file}}")

# The run's parameters, as the workflow passes them, for the mocks' day.
PARAMS = {"date": "{{run_date}}", "TARGET_DB": "{{target_db}}"}
TARGET_TABLE = "{{target_db}}.{{target_table}}"
# The run date's rows of the target table, and the columns the write adds to the transform's.
WRITTEN = "{{written_query}}"
WRITE_COLUMNS = [{{write_columns}}]
PARTITIONED = bool(WRITE_COLUMNS)


def the_day_before(date):
    """`YYYY-MM-DD` one day earlier."""
    return (datetime.date.fromisoformat(date) - datetime.timedelta(days=1)).isoformat()


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """Spark in local mode: one core, no UI, one shuffle partition, a throw-away warehouse."""
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = (
        SparkSession.builder.master("local[1]")
        .appName("{{short_name}}-unit-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def expected():
    """The rows the transform must give: src/mocks/{{expected_mock_file}}."""
    return dataflow_mocks.read_mock(EXPECTED_MOCK)


@pytest.fixture()
def tables(spark):
    """The input mock as {{source_table}}, and an empty target table made by ddl/{{ddl_file}}.

    Production's table format (the DDL's `STORED AS ...`) is not on a laptop: that clause is
    dropped, and Spark's default format (Parquet) stands in for it. The rest of the DDL runs as it is.
    """
    dataflow_mocks.create_table(spark, dataflow_mocks.read_mock(INPUT_MOCK))
    with open(DDL, encoding="utf-8") as f:
        ddl = dataflow_mocks.substitute(f.read(), PARAMS)
    spark.sql(f"CREATE DATABASE IF NOT EXISTS `{PARAMS['TARGET_DB']}`")
    spark.sql(f"DROP TABLE IF EXISTS {TARGET_TABLE}")
    spark.sql(dataflow_mocks.without_table_format(ddl))
    yield
    spark.sql(f"DROP TABLE IF EXISTS {TARGET_TABLE}")


def written(spark, date):
    """The rows the write put in the run date's partition, without the columns the write adds."""
    rows = spark.sql(dataflow_mocks.substitute(WRITTEN, dict(PARAMS, date=date)))
    return rows.drop(*WRITE_COLUMNS)
