//! `pyspark`: the steps as PySpark DataFrame code (filter/groupBy/agg, Window rank, filter and
//! select), a step of any other shape as `spark.sql(...)` with a comment saying so.

use crate::logic::{AggFunc, RankFunc, SortKey};
use crate::recipes::common::{ddl_and_mocks, readme, workflow_files, ReadmeParts};
use crate::recipes::idiom::{agg_name, rank_name, sort, transform_file, Idiom, Literal, Ranked};
use crate::recipes::python::{harness, TEST_README};
use crate::recipes::Context;
use crate::text::{indent, py_block, py_str};
use crate::ProjectFile;

const TEST: &str = include_str!("../../files/python/test_pyspark_write.py");
const MODULE: &str = include_str!("../../files/python/pyspark_write.py");

/// The project's files.
pub(crate) fn files(ctx: &Context) -> Vec<ProjectFile> {
    let mut files = ddl_and_mocks(ctx);
    files.extend(workflow_files(ctx, "src/pyspark_write.py"));
    files.push(ProjectFile::new("src/pyspark_write.py", module(ctx)));
    files.push(ProjectFile::new("src/test_pyspark_write.py", ctx.fill(TEST, &[])));
    files.extend(harness(ctx));
    files.push(readme(
        ctx,
        &ReadmeParts {
            files: &[
                (
                    "src/pyspark_write.py",
                    "the write job: `transform()` (the steps as DataFrame code), `write()`, `main()`",
                ),
                ("src/test_pyspark_write.py", "its unit test (pytest)"),
                ("src/conftest.py", "the test's Spark session and tables"),
                ("src/dataflow_mocks.py", "reads mocks and compares a result with the expected mock"),
                ("pyproject.toml, tox.ini", "the test harness"),
            ],
            idiom: "PySpark DataFrame code",
            test: &ctx.fill(TEST_README, &[]),
            run: &ctx.fill(
                "```sh\nspark-submit src/pyspark_write.py --date {{run_date}} --target-db {{target_db}}\n```",
                &[],
            ),
        },
    ));
    files
}

fn module(ctx: &Context) -> String {
    transform_file(&PySpark, ctx, MODULE, &[])
}

/// PySpark's words: Column expressions on `F`, methods chained in parentheses, windows named.
struct PySpark;

impl Idiom for PySpark {
    const WRITTEN_AS: &'static str = "DataFrame code";
    const COMMENT: &'static str = "#";
    const WRITTEN_LEAD: &'static str = "\n";
    const SOURCE: &'static str = "source_table";
    const RETURN: &'static str = "return ";
    const INDENT: &'static str = "    ";
    const WITH_PARAMS: &'static str = r#"

def _with_params(sql: str, date: str, target_db: str) -> str:
    """A step's SQL with the run's parameters, as the workflow's scheduler substitutes them."""
    return sql.replace("${date}", date).replace("${TARGET_DB}", target_db)
"#;
    const VERB: &'static str = ".";
    const GROUP_BY: &'static str = "groupBy";
    const EQ: &'static str = "==";
    const NOT_EQ: &'static str = "!=";
    const AND: &'static str = "&";
    const OR: &'static str = "|";
    const NOT: &'static str = "~";

    fn string(&self, text: &str) -> String {
        py_str(text)
    }

    fn column(&self, name: &str) -> String {
        format!("F.col({})", py_str(name))
    }

    fn name(&self, name: &str) -> String {
        py_str(name)
    }

    /// A Python value: Column operators take them as they are.
    fn literal(&self, literal: Literal) -> String {
        match literal {
            Literal::Number(n) => n.to_string(),
            Literal::Str(s) => py_str(s),
            Literal::Bool(true) => "True".into(),
            Literal::Bool(false) => "False".into(),
            Literal::Null => "None".into(),
            Literal::RunDateText => "date".into(),
            Literal::RunDate => "F.to_date(F.lit(date))".into(),
            Literal::Date(d) => format!("F.to_date(F.lit({}))", py_str(d)),
        }
    }

    /// A Column: a Python value in `F.lit`, a date as it is (already a Column).
    fn literal_alone(&self, literal: Literal) -> String {
        match literal {
            Literal::Date(_) | Literal::RunDate => self.literal(literal),
            other => format!("F.lit({})", self.literal(other)),
        }
    }

    /// A Column, so that the comparison is a Column's operator.
    fn lift(&self, operand: String) -> String {
        format!("F.lit({operand})")
    }

    fn is_null(&self, e: &str) -> String {
        format!("({e}).isNull()")
    }

    fn is_not_null(&self, e: &str) -> String {
        format!("({e}).isNotNull()")
    }

    fn agg(&self, func: AggFunc, column: Option<&str>) -> Option<String> {
        let arg = column.map(py_str).unwrap_or_else(|| "F.lit(1)".into());
        Some(format!("F.{}({arg})", agg_name(func)))
    }

    fn named(&self, e: &str, alias: &str) -> String {
        format!("{e}.alias({})", py_str(alias))
    }

    fn summarise(&self, aggs: &str) -> String {
        format!(".agg({aggs})")
    }

    /// The window named on a line of its own before the step.
    fn rank(&self, func: RankFunc, partition_by: &[String], order_by: &[SortKey], alias: &str, window: &str) -> Ranked {
        let mut w = "Window".to_string();
        if !partition_by.is_empty() {
            let names: Vec<String> = partition_by.iter().map(|c| py_str(c)).collect();
            w.push_str(&format!(".partitionBy({})", names.join(", ")));
        }
        let keys: Vec<String> = order_by.iter().map(|k| format!("{}.{}()", self.column(&k.column), sort(k))).collect();
        w.push_str(&format!(".orderBy({})", keys.join(", ")));
        Ranked {
            before: Some(format!("{window} = {w}")),
            verb: None,
            selected: format!("F.{}().over({window}).alias({})", rank_name(func), py_str(alias)),
        }
    }

    fn assign(&self, var: &str, chain: &[String]) -> String {
        if chain.len() == 1 {
            format!("{var} = {}", chain.join(""))
        } else {
            format!("{var} = (\n{}\n)", indent(&chain.join("\n"), "    "))
        }
    }

    fn read_source(&self) -> String {
        "source_table = spark.table(SOURCE_TABLE)".into()
    }

    fn register(&self, var: &str, name: &str) -> String {
        format!("{var}.createOrReplaceTempView({})", py_str(name))
    }

    fn run_sql(&self, var: &str, sql: &str) -> String {
        format!("{var} = spark.sql(_with_params({}, date, target_db))", py_block(sql))
    }

    fn add_partition(&self, column: &str) -> String {
        format!("\n        .withColumn({}, F.to_date(F.lit(date)))", py_str(column))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recipes::idiom::{expr, filters::filters};

    /// The filters as this recipe wrote them with its own walk, before the walk was shared.
    #[test]
    fn filters_in_its_words() {
        let written: Vec<String> = filters().iter().map(|f| expr(&PySpark, f)).collect();
        assert_eq!(
            written,
            [
                r#"(((((F.col("a") == 1) | (F.col("a") != 2.5)) | (F.col("a") < .5)) | (F.col("a") <= 2147483648)) | (F.col("a") > 1e3)) | (F.col("a") >= 99999999999)"#,
                r#"(((F.lit(5) < F.col("a")) & (F.lit("x") == F.col("b"))) & (F.lit(True) == F.col("c"))) & (F.lit(None) == F.col("d"))"#,
                r#"((F.lit(F.to_date(F.lit(date))) == F.col("d")) & (F.lit(date) == F.col("t"))) & (F.lit(F.to_date(F.lit("2022-01-02"))) < F.col("d"))"#,
                r#"((((F.col("d") == F.to_date(F.lit("2021-12-31"))) | (F.col("t") == date)) | (F.col("s") == "it's")) | (F.col("c") == False)) | (F.col("d") == None)"#,
                r#"((F.col("a")).isNull()) | (((F.col("b")).isNotNull()) & (~(F.col("c"))))"#,
                r#"F.lit(True)"#,
                r#"F.lit(date)"#,
                r#"(F.col("flag") == (F.col("view_hours") > 1)) | (~(F.lit((F.col("a") == F.col("b"))) == F.col("c")))"#,
            ]
        );
    }
}
