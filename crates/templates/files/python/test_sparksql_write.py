"""Unit test of src/sparksql_write.sql ({{workflow_id}}): the write job on the mocks, on a local Spark.

The file runs as the workflow runs it, its parameters substituted; then the run date's rows of
the target table are compared with src/mocks/{{expected_mock_file}}.
"""

import os

import pytest
from conftest import PARTITIONED, HERE, PARAMS, the_day_before, written

import dataflow_mocks


def run_write(spark, date):
    with open(os.path.join(HERE, "sparksql_write.sql"), encoding="utf-8") as f:
        spark.sql(dataflow_mocks.substitute(f.read(), dict(PARAMS, date=date)))


def test_the_write_gives_the_expected_rows(spark, tables, expected):
    run_write(spark, PARAMS["date"])
    dataflow_mocks.assert_equals_mock(written(spark, PARAMS["date"]), expected)


@pytest.mark.skipif(not PARTITIONED, reason="the target table has no partition: a write replaces all of it")
def test_a_rerun_replaces_the_run_dates_rows_and_keeps_other_days(spark, tables, expected):
    day_before = the_day_before(PARAMS["date"])
    run_write(spark, day_before)
    rows_of_the_day_before = written(spark, day_before).count()
    run_write(spark, PARAMS["date"])
    run_write(spark, PARAMS["date"])
    dataflow_mocks.assert_equals_mock(written(spark, PARAMS["date"]), expected)
    assert written(spark, day_before).count() == rows_of_the_day_before
