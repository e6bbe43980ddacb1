//! `scala`: the steps on Spark's DataFrame API in a Scala `object`, a step of any other shape as
//! `spark.sql(...)` with a comment saying so; a ScalaTest suite and a Gradle build.

use crate::logic::{AggFunc, RankFunc, SortKey};
use crate::recipes::common::{ddl_and_mocks, readme, workflow_files, ReadmeParts};
use crate::recipes::idiom::{agg_name, rank_name, sort, transform_file, Idiom, Literal, Ranked};
use crate::recipes::Context;
use crate::text::{scala_block, scala_str, upper_camel};
use crate::ProjectFile;

const BUILD: &str = include_str!("../../files/scala/build.gradle");
const SETTINGS: &str = include_str!("../../files/scala/settings.gradle");
const MAIN: &str = include_str!("../../files/scala/Main.scala");
const TEST: &str = include_str!("../../files/scala/Test.scala");
const MOCKS: &str = include_str!("../../files/scala/DataflowMocks.scala");
/// The project's Scala sources, for the names they use ([`super::names`]).
pub(crate) const SOURCES: [&str; 3] = [MAIN, TEST, MOCKS];

/// The project's files.
pub(crate) fn files(ctx: &Context) -> Vec<ProjectFile> {
    let object = upper_camel(&ctx.options.short_name);
    let main_path = format!("src/main/scala/dataflow/{object}.scala");
    let test_path = format!("src/test/scala/dataflow/{object}Test.scala");
    let (written_query, write_columns) = match &ctx.target.partition {
        Some(column) => (
            format!("SELECT * FROM ${{TARGET_DB}}.{} WHERE `{column}` = DATE '${{date}}'", ctx.target.table),
            scala_str(column),
        ),
        None => (format!("SELECT * FROM ${{TARGET_DB}}.{}", ctx.target.table), String::new()),
    };
    let mut files = ddl_and_mocks(ctx);
    files.extend(workflow_files(ctx, &format!("build/libs/{}-0.1.0.jar", ctx.options.short_name)));
    files.push(ProjectFile::new("build.gradle", ctx.fill(BUILD, &[])));
    files.push(ProjectFile::new("settings.gradle", ctx.fill(SETTINGS, &[])));
    files.push(ProjectFile::new(main_path.clone(), main(ctx, &object)));
    files.push(ProjectFile::new(
        test_path.clone(),
        ctx.fill(TEST, &[("object", &object), ("written_query", &written_query), ("write_columns", &write_columns)]),
    ));
    files.push(ProjectFile::new("src/test/scala/dataflow/DataflowMocks.scala", MOCKS.to_string()));
    let run = ctx.fill(
        "```sh\ngradle jar\nspark-submit --class dataflow.{{object}} build/libs/{{short_name}}-0.1.0.jar --date {{run_date}} --target-db {{target_db}}\n```",
        &[("object", &object)],
    );
    files.push(readme(
        ctx,
        &ReadmeParts {
            files: &[
                (&main_path, "the write job: `transform` (the steps on the DataFrame API), `write`, `main`"),
                (&test_path, "its unit test (ScalaTest)"),
                (
                    "src/test/scala/dataflow/DataflowMocks.scala",
                    "reads mocks and compares a result with the expected mock",
                ),
                ("build.gradle, settings.gradle", "the build and test harness (Gradle)"),
            ],
            idiom: "Scala DataFrame code",
            test: "Java 17 (or 21) and Gradle 8:\n\n```sh\ngradle test\n```",
            run: &run,
        },
    ));
    files
}

fn main(ctx: &Context, object: &str) -> String {
    transform_file(&Scala, ctx, MAIN, &[("object", object)])
}

/// Scala's words: Spark's `functions` (`col`, `lit`), `===` and `&&`, windows written in place.
struct Scala;

impl Idiom for Scala {
    const WRITTEN_AS: &'static str = "DataFrame code";
    const COMMENT: &'static str = "//";
    const WRITTEN_LEAD: &'static str = "\n  * ";
    const SOURCE: &'static str = "sourceTable";
    const RETURN: &'static str = "";
    const INDENT: &'static str = "    ";
    const WITH_PARAMS: &'static str = r#"
  /** A step's SQL with the run's parameters, as the workflow's scheduler substitutes them. */
  private def withParams(sql: String, runDate: String, targetDb: String): String =
    sql.replace("${date}", runDate).replace("${TARGET_DB}", targetDb)
"#;
    const VERB: &'static str = ".";
    const GROUP_BY: &'static str = "groupBy";
    const EQ: &'static str = "===";
    const NOT_EQ: &'static str = "=!=";
    const AND: &'static str = "&&";
    const OR: &'static str = "||";
    const NOT: &'static str = "!";

    fn string(&self, text: &str) -> String {
        scala_str(text)
    }

    fn column(&self, name: &str) -> String {
        format!("col({})", scala_str(name))
    }

    fn name(&self, name: &str) -> String {
        self.column(name)
    }

    /// A Column: `lit(…)`, a date `to_date(lit(…))`.
    fn literal(&self, literal: Literal) -> String {
        match literal {
            Literal::Number(n) => format!("lit({})", scala_number(n)),
            Literal::Str(s) => format!("lit({})", scala_str(s)),
            Literal::Bool(b) => format!("lit({b})"),
            Literal::Null => "lit(null)".into(),
            Literal::Date(d) => format!("to_date(lit({}))", scala_str(d)),
            Literal::RunDate => "to_date(lit(runDate))".into(),
            Literal::RunDateText => "lit(runDate)".into(),
        }
    }

    fn is_null(&self, e: &str) -> String {
        format!("({e}).isNull")
    }

    fn is_not_null(&self, e: &str) -> String {
        format!("({e}).isNotNull")
    }

    fn agg(&self, func: AggFunc, column: Option<&str>) -> Option<String> {
        let arg = column.map(|c| self.column(c)).unwrap_or_else(|| "lit(1)".into());
        Some(format!("{}({arg})", agg_name(func)))
    }

    fn named(&self, e: &str, alias: &str) -> String {
        format!("{e}.as({})", scala_str(alias))
    }

    fn summarise(&self, aggs: &str) -> String {
        format!(".agg({aggs})")
    }

    /// The window in place, in the select.
    fn rank(&self, func: RankFunc, partition_by: &[String], order_by: &[SortKey], alias: &str, _: &str) -> Ranked {
        let mut w = "Window".to_string();
        if !partition_by.is_empty() {
            let names: Vec<String> = partition_by.iter().map(|c| self.column(c)).collect();
            w.push_str(&format!(".partitionBy({})", names.join(", ")));
        }
        let keys: Vec<String> = order_by.iter().map(|k| format!("{}.{}", self.column(&k.column), sort(k))).collect();
        w.push_str(&format!(".orderBy({})", keys.join(", ")));
        Ranked {
            before: None,
            verb: None,
            selected: format!("{}().over({w}).as({})", rank_name(func), scala_str(alias)),
        }
    }

    fn assign(&self, var: &str, chain: &[String]) -> String {
        let mut code = format!("val {var} = {}", chain.first().cloned().unwrap_or_default());
        for verb in chain.iter().skip(1) {
            code.push_str(&format!("\n  {verb}"));
        }
        code
    }

    fn read_source(&self) -> String {
        "val sourceTable = spark.table(SourceTable)".into()
    }

    fn register(&self, var: &str, name: &str) -> String {
        format!("{var}.createOrReplaceTempView({})", scala_str(name))
    }

    fn run_sql(&self, var: &str, sql: &str) -> String {
        format!("val {var} = spark.sql(withParams({}, runDate, targetDb))", scala_block(sql))
    }

    fn add_partition(&self, column: &str) -> String {
        format!("\n      .withColumn({}, to_date(lit(runDate)))", scala_str(column))
    }
}

/// A number as a Scala literal: an `Int`, a `Long` (`L`) beyond it, or a `Double`.
fn scala_number(n: &str) -> String {
    if n.chars().all(|c| c.is_ascii_digit()) {
        match n.parse::<i32>() {
            Ok(_) => n.to_string(),
            Err(_) if n.parse::<i64>().is_ok() => format!("{n}L"),
            Err(_) => format!("BigDecimal({})", scala_str(n)),
        }
    } else {
        let n = if n.starts_with('.') { format!("0{n}") } else { n.to_string() };
        let n = n.replace(".e", ".0e").replace(".E", ".0E");
        if n.ends_with('.') {
            format!("{n}0")
        } else {
            n
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recipes::idiom::{expr, filters::filters};

    /// The filters as this recipe wrote them with its own walk, before the walk was shared.
    #[test]
    fn filters_in_its_words() {
        let written: Vec<String> = filters().iter().map(|f| expr(&Scala, f)).collect();
        assert_eq!(
            written,
            [
                r#"(((((col("a") === lit(1)) || (col("a") =!= lit(2.5))) || (col("a") < lit(0.5))) || (col("a") <= lit(2147483648L))) || (col("a") > lit(1e3))) || (col("a") >= lit(99999999999L))"#,
                r#"(((lit(5) < col("a")) && (lit("x") === col("b"))) && (lit(true) === col("c"))) && (lit(null) === col("d"))"#,
                r#"((to_date(lit(runDate)) === col("d")) && (lit(runDate) === col("t"))) && (to_date(lit("2022-01-02")) < col("d"))"#,
                r#"((((col("d") === to_date(lit("2021-12-31"))) || (col("t") === lit(runDate))) || (col("s") === lit("it's"))) || (col("c") === lit(false))) || (col("d") === lit(null))"#,
                r#"((col("a")).isNull) || (((col("b")).isNotNull) && (!(col("c"))))"#,
                r#"lit(true)"#,
                r#"lit(runDate)"#,
                r#"(col("flag") === (col("view_hours") > lit(1))) || (!((col("a") === col("b")) === col("c")))"#,
            ]
        );
    }
}
