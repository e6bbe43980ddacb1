"""{{workflow_id}}: the write job of {{short_name}} in PySpark (Dataflow sample workflow).

`transform()` is the pipeline's steps as DataFrame code; `write()` puts its rows into the run
date's partition of the target table. The workflow runs it with the run date:
`spark-submit src/pyspark_write.py --date YYYY-MM-DD [--target-db DB]`.{{written}}
"""

import argparse

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

SOURCE_TABLE = "{{source_table}}"
TARGET_DB = "{{target_db}}"
TARGET_TABLE = "{{target_table}}"
# The target table's columns in its order (the DDL's), the partition last.
TARGET_COLUMNS = [{{target_columns}}]


def transform(spark: SparkSession, date: str, target_db: str = TARGET_DB) -> DataFrame:
    """The pipeline's steps for the run date `date` (YYYY-MM-DD): the target table's rows."""
{{body}}


def write(spark: SparkSession, output: DataFrame, target_table: str, date: str) -> None:
    """Replaces the run date's rows of `target_table` (`db.table`) by `output`, and only those."""
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    (
        output{{with_partition}}
        .select(*TARGET_COLUMNS)
        .repartition(1)
        .write.insertInto(target_table, overwrite=True)
    )
{{with_params}}

def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="{{workflow_id}}: the write job of {{short_name}}")
    parser.add_argument("--date", required=True, help="the run date, YYYY-MM-DD")
    parser.add_argument("--target-db", default=TARGET_DB, help=f"the target database (default {TARGET_DB})")
    args = parser.parse_args(argv)
    spark = SparkSession.builder.appName("{{short_name}}").getOrCreate()
    write(spark, transform(spark, args.date, args.target_db), f"{args.target_db}.{TARGET_TABLE}", args.date)


if __name__ == "__main__":
    main()
