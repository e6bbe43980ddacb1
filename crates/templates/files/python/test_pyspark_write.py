"""Unit test of src/pyspark_write.py ({{workflow_id}}): the transform and the write on the mocks,
on a local Spark, compared with src/mocks/{{expected_mock_file}}."""

import pytest
from conftest import PARTITIONED, PARAMS, TARGET_TABLE, the_day_before, written

import dataflow_mocks
import pyspark_write


def run_write(spark, date):
    output = pyspark_write.transform(spark, date, PARAMS["TARGET_DB"])
    pyspark_write.write(spark, output, TARGET_TABLE, date)


def test_the_transform_gives_the_expected_rows(spark, tables, expected):
    output = pyspark_write.transform(spark, PARAMS["date"], PARAMS["TARGET_DB"])
    dataflow_mocks.assert_equals_mock(output, expected)


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
