package dataflow

import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.expressions.Window
import org.apache.spark.sql.functions._

/** {{workflow_id}}: the write job of {{short_name}} in Scala (Dataflow sample workflow).
  *
  * `transform` is the pipeline's steps on Spark's DataFrame API; `write` puts its rows into the
  * run date's partition of the target table. The workflow runs it with the run date:
  * `spark-submit --class dataflow.{{object}} {{short_name}}.jar --date YYYY-MM-DD [--target-db DB]`.{{written}}
  */
object {{object}} {
  val SourceTable = "{{source_table}}"
  val TargetDb = "{{target_db}}"
  val TargetTable = "{{target_table}}"
  /** The target table's columns in its order (the DDL's), the partition last. */
  val TargetColumns: Seq[String] = Seq({{target_columns}})

  /** The pipeline's steps for the run date `runDate` (YYYY-MM-DD): the target table's rows. */
  def transform(spark: SparkSession, runDate: String, targetDb: String = TargetDb): DataFrame = {
{{body}}
  }

  /** Replaces the run date's rows of `targetTable` (`db.table`) by `output`, and only those. */
  def write(spark: SparkSession, output: DataFrame, targetTable: String, runDate: String): Unit = {
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    output{{with_partition}}
      .select(TargetColumns.map(col): _*)
      .repartition(1)
      .write
      .mode("overwrite")
      .insertInto(targetTable)
  }
{{with_params}}
  def main(args: Array[String]): Unit = {
    val options = args.sliding(2, 2).collect { case Array(name, value) => name -> value }.toMap
    val runDate = options.getOrElse("--date", sys.error("usage: --date YYYY-MM-DD [--target-db DB]"))
    val targetDb = options.getOrElse("--target-db", TargetDb)
    val spark = SparkSession.builder().appName("{{short_name}}").getOrCreate()
    try write(spark, transform(spark, runDate, targetDb), s"$targetDb.$TargetTable", runDate)
    finally spark.stop()
  }
}
