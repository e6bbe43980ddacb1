package dataflow

import java.nio.file.{Files, Paths}
import java.time.LocalDate

import org.apache.spark.sql.SparkSession
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite

/** Unit test of {{object}} ({{workflow_id}}): the transform and the write on the mocks, on a
  * local Spark, compared with src/mocks/{{expected_mock_file}}.
  */
class {{object}}Test extends AnyFunSuite with BeforeAndAfterAll {
  val RunDate = "{{run_date}}"
  val TargetDb = "{{target_db}}"
  val Target = s"$TargetDb.{{target_table}}"
  val Written = "{{written_query}}"
  val WriteColumns: Seq[String] = Seq({{write_columns}})

  lazy val spark: SparkSession = SparkSession
    .builder()
    .master("local[1]")
    .appName("{{short_name}}-unit-test")
    .config("spark.ui.enabled", "false")
    .config("spark.sql.shuffle.partitions", "1")
    .config("spark.default.parallelism", "1")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.sql.warehouse.dir", Files.createTempDirectory("spark-warehouse").toString)
    .getOrCreate()

  override def afterAll(): Unit = spark.stop()

  def params(date: String): Map[String, String] = Map("date" -> date, "TARGET_DB" -> TargetDb)

  /** The input mock as {{source_table}}, and an empty target table made by ddl/{{ddl_file}}
    * (its `STORED AS` clause dropped: Spark's default format stands in for production's).
    */
  def tables(): Unit = {
    DataflowMocks.createTable(spark, DataflowMocks.read("src/mocks/{{input_mock_file}}"))
    val ddl = new String(Files.readAllBytes(Paths.get("ddl/{{ddl_file}}")), "UTF-8")
    spark.sql(s"CREATE DATABASE IF NOT EXISTS `$TargetDb`")
    spark.sql(s"DROP TABLE IF EXISTS $Target")
    spark.sql(DataflowMocks.withoutTableFormat(DataflowMocks.substitute(ddl, params(RunDate))))
  }

  def runWrite(date: String): Unit =
    {{object}}.write(spark, {{object}}.transform(spark, date, TargetDb), Target, date)

  def written(date: String) = spark.sql(DataflowMocks.substitute(Written, params(date))).drop(WriteColumns: _*)

  lazy val expected = DataflowMocks.read("src/mocks/{{expected_mock_file}}")

  test("the transform gives the expected rows") {
    tables()
    DataflowMocks.assertEqualsMock({{object}}.transform(spark, RunDate, TargetDb), expected)
  }

  test("the write gives the expected rows") {
    tables()
    runWrite(RunDate)
    DataflowMocks.assertEqualsMock(written(RunDate), expected)
  }

  test("a rerun replaces the run date's rows and keeps other days") {
    assume(WriteColumns.nonEmpty, "the target table has no partition: a write replaces all of it")
    tables()
    val dayBefore = LocalDate.parse(RunDate).minusDays(1).toString
    runWrite(dayBefore)
    val rowsOfTheDayBefore = written(dayBefore).count()
    runWrite(RunDate)
    runWrite(RunDate)
    DataflowMocks.assertEqualsMock(written(RunDate), expected)
    assert(written(dayBefore).count() == rowsOfTheDayBefore)
  }
}
