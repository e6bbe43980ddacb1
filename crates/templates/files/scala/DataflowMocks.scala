package dataflow

import java.io.StringReader
import java.nio.file.{Files, Paths}
import java.time.LocalDate

import scala.jdk.CollectionConverters._

import org.apache.spark.sql.{DataFrame, Row, SparkSession}
import org.apache.spark.sql.types.StructType
import org.yaml.snakeyaml.{LoaderOptions, Yaml}
import org.yaml.snakeyaml.DumperOptions.ScalarStyle
import org.yaml.snakeyaml.nodes.{MappingNode, Node, ScalarNode, SequenceNode}

/** Dataflow mocks for the unit test: read a mock YAML file, make it a DataFrame, and compare a
  * DataFrame with an expected mock, as Dataflow Playground does: cells read by their column's
  * type (YAML 1.2: `NO` is text, plain `null` is NULL), rows in any order unless `ordered: true`,
  * doubles equal within `tolerance` (default 1e-9) × max(1, |expected|, |actual|), NaN equals NaN.
  */
object DataflowMocks {
  val DefaultTolerance = 1e-9

  case class Mock(table: String, columns: Seq[(String, String)], rows: Seq[Seq[Any]], ordered: Boolean, tolerance: Double) {
    def schema: StructType = StructType.fromDDL(columns.map { case (n, t) => s"`$n` ${sparkType(t)}" }.mkString(", "))
    def toDataFrame(spark: SparkSession): DataFrame =
      spark.createDataFrame(rows.map(r => Row.fromSeq(r)).asJava, schema)
  }

  private val Parameter = """\$\{([^}]*)\}""".r

  /** Replaces every `${NAME}` by its value, as the workflow's scheduler does; unknown names fail. */
  def substitute(text: String, params: Map[String, String]): String =
    Parameter.replaceAllIn(text, m => {
      val name = m.group(1).trim
      java.util.regex.Matcher.quoteReplacement(params.getOrElse(name, sys.error(s"unknown parameter $${$name}")))
    })

  /** A DDL without its `STORED AS <format>` clause and final `;`. */
  def withoutTableFormat(ddl: String): String =
    """(?i)\bSTORED\s+AS\s+\w+""".r.replaceAllIn(ddl, "").trim.stripSuffix(";")

  def read(path: String): Mock = {
    val text = new String(Files.readAllBytes(Paths.get(path)), "UTF-8")
    val root = new Yaml(new LoaderOptions()).compose(new StringReader(text)).asInstanceOf[MappingNode]
    val fields = root.getValue.asScala.map(t => t.getKeyNode.asInstanceOf[ScalarNode].getValue -> t.getValueNode).toMap
    def items(key: String): Seq[Node] = fields.get(key).map(_.asInstanceOf[SequenceNode].getValue.asScala.toSeq).getOrElse(Nil)
    def scalar(node: Node): String = node.asInstanceOf[ScalarNode].getValue
    val columns = items("columns").map { c =>
      val m = c.asInstanceOf[MappingNode].getValue.asScala.map(t => scalar(t.getKeyNode) -> scalar(t.getValueNode)).toMap
      m("name") -> m("type").trim.toUpperCase
    }
    val rows = items("rows").zipWithIndex.map { case (row, i) =>
      val cells = row.asInstanceOf[SequenceNode].getValue.asScala.toSeq
      require(cells.size == columns.size, s"$path: row ${i + 1} has ${cells.size} cells for ${columns.size} columns")
      cells.zip(columns).map { case (cell, (_, t)) => this.cell(cell.asInstanceOf[ScalarNode], t) }
    }
    Mock(
      scalar(fields("table")),
      columns,
      rows,
      fields.get("ordered").exists(n => scalar(n).equalsIgnoreCase("true")),
      fields.get("tolerance").map(n => scalar(n).toDouble).getOrElse(DefaultTolerance)
    )
  }

  /** Writes a mock as the catalog table it names (`some_db.source_table`). */
  def createTable(spark: SparkSession, mock: Mock): Unit = {
    if (mock.table.contains(".")) spark.sql(s"CREATE DATABASE IF NOT EXISTS `${mock.table.split('.').head}`")
    mock.toDataFrame(spark).write.mode("overwrite").saveAsTable(mock.table)
  }

  def assertEqualsMock(actualDf: DataFrame, expected: Mock): Unit = {
    val names = expected.columns.map(_._1.toLowerCase)
    val actualNames = actualDf.columns.map(_.toLowerCase).toSeq
    val (missing, unexpected) = (names.diff(actualNames), actualNames.diff(names))
    assert(missing.isEmpty && unexpected.isEmpty, s"columns differ: missing $missing, unexpected $unexpected")
    val actual = actualDf.select(names.map(actualDf.col): _*).collect().toSeq.map(_.toSeq)
    val problems =
      if (expected.ordered) {
        expected.rows.zipAll(actual, null, null).zipWithIndex.collect {
          case ((e, a), i) if e == null || a == null || !rowsEqual(e, a, expected.tolerance) => s"row ${i + 1}: expected $e, actual $a"
        }
      } else {
        val unmatched = scala.collection.mutable.ArrayBuffer(actual: _*)
        val missingRows = expected.rows.filter { e =>
          val i = unmatched.indexWhere(a => rowsEqual(e, a, expected.tolerance))
          if (i >= 0) { unmatched.remove(i); false } else true
        }
        missingRows.map(r => s"missing: $r") ++ unmatched.map(r => s"unexpected: $r")
      }
    assert(problems.isEmpty, s"${problems.size} difference(s) with ${expected.table} (doubles within ${expected.tolerance}):\n" + problems.mkString("\n"))
  }

  private def sparkType(t: String): String = t.takeWhile(_ != '(').trim match {
    case "BYTE" => "TINYINT"
    case "SHORT" => "SMALLINT"
    case "INTEGER" => "INT"
    case "LONG" => "BIGINT"
    case "REAL" => "FLOAT"
    case "VARCHAR" | "CHAR" | "TEXT" => "STRING"
    case "BOOL" => "BOOLEAN"
    case other => other
  }

  private def cell(node: ScalarNode, t: String): Any = {
    val text = node.getValue
    val plain = node.getScalarStyle == ScalarStyle.PLAIN
    if (plain && Set("null", "Null", "NULL", "~", "").contains(text)) return null
    sparkType(t) match {
      case "STRING" => text
      case "TINYINT" => text.toByte
      case "SMALLINT" => text.toShort
      case "INT" => text.toInt
      case "BIGINT" => text.toLong
      case "FLOAT" | "DOUBLE" =>
        val d = text.toLowerCase match {
          case ".nan" => Double.NaN
          case ".inf" | "+.inf" => Double.PositiveInfinity
          case "-.inf" => Double.NegativeInfinity
          case _ => text.toDouble
        }
        if (sparkType(t) == "FLOAT") d.toFloat else d
      case "BOOLEAN" => text.toLowerCase.toBoolean
      case "DATE" => java.sql.Date.valueOf(LocalDate.parse(text))
      case other => sys.error(s"type $other is not held by mocks")
    }
  }

  private def valuesEqual(e: Any, a: Any, tolerance: Double): Boolean = (e, a) match {
    case (null, null) => true
    case (null, _) | (_, null) => false
    case (x: Number, y: Number) if isFloating(x) || isFloating(y) =>
      val (d1, d2) = (x.doubleValue, y.doubleValue)
      if (d1.isNaN || d2.isNaN) d1.isNaN && d2.isNaN
      else if (d1.isInfinite || d2.isInfinite) d1 == d2
      else math.abs(d1 - d2) <= tolerance * math.max(1.0, math.max(math.abs(d1), math.abs(d2)))
    case (x: Number, y: Number) => BigDecimal(x.toString) == BigDecimal(y.toString)
    case (x, y) => x == y
  }

  private def isFloating(n: Number): Boolean =
    n.isInstanceOf[java.lang.Double] || n.isInstanceOf[java.lang.Float] || n.isInstanceOf[java.math.BigDecimal]

  private def rowsEqual(e: Seq[Any], a: Seq[Any], tolerance: Double): Boolean =
    e.size == a.size && e.zip(a).forall { case (x, y) => valuesEqual(x, y, tolerance) }
}
