//! `scala`: the steps on Spark's DataFrame API in a Scala `object`, a step of any other shape as
//! `spark.sql(...)` with a comment saying so; a ScalaTest suite and a Gradle build.

use crate::logic::{AggFunc, AggOutput, CompareOp, Expr, Input, RankFunc, Shape, SortKey, StepPlan, WindowOutput};
use crate::recipes::common::{ddl_and_mocks, readme, workflow_files, ReadmeParts};
use crate::recipes::idiom::sort;
use crate::recipes::Context;
use crate::text::{indent, scala_block, scala_str, upper_camel};
use crate::ProjectFile;

const BUILD: &str = include_str!("../../files/scala/build.gradle");
const SETTINGS: &str = include_str!("../../files/scala/settings.gradle");
const MAIN: &str = include_str!("../../files/scala/Main.scala");
const TEST: &str = include_str!("../../files/scala/Test.scala");
const MOCKS: &str = include_str!("../../files/scala/DataflowMocks.scala");

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
    let mut body = vec!["val sourceTable = spark.table(SourceTable)".to_string()];
    for step in &ctx.steps {
        body.push(String::new());
        body.push(step_code(ctx, step));
    }
    body.push(ctx.last().map(|s| s.var.clone()).unwrap_or_else(|| "sourceTable".into()));
    let parts = ctx.transform_parts("\n  * ", scala_str, |column| {
        format!("\n      .withColumn({}, to_date(lit(runDate)))", scala_str(column))
    });
    let helper = if parts.sql_steps { WITH_PARAMS } else { "" };
    let (written, columns, with_partition) = (parts.written, parts.columns, parts.with_partition);
    ctx.fill(
        MAIN,
        &[
            ("object", object),
            ("written", &written),
            ("body", &indent(&body.join("\n"), "    ")),
            ("with_params", helper),
            ("target_columns", &columns.join(", ")),
            ("with_partition", &with_partition),
        ],
    )
}

const WITH_PARAMS: &str = r#"
  /** A step's SQL with the run's parameters, as the workflow's scheduler substitutes them. */
  private def withParams(sql: String, runDate: String, targetDb: String): String =
    sql.replace("${date}", runDate).replace("${TARGET_DB}", targetDb)
"#;

fn input_var(ctx: &Context, input: Input) -> String {
    match input {
        Input::Source => "sourceTable".into(),
        Input::Step(i) => ctx.steps.get(i).map(|s| s.var.clone()).unwrap_or_default(),
    }
}

fn cols(names: &[String]) -> String {
    names.iter().map(|c| format!("col({})", scala_str(c))).collect::<Vec<_>>().join(", ")
}

fn step_code(ctx: &Context, step: &StepPlan) -> String {
    let Some(shape) = &step.shape else { return sql_step(ctx, step) };
    let mut chain = vec![input_var(ctx, shape.input())];
    let filter = match shape {
        Shape::Aggregate { filter, .. } | Shape::Window { filter, .. } | Shape::Select { filter, .. } => filter,
    };
    if let Some(f) = filter {
        chain.push(format!(".filter({})", expr(f)));
    }
    match shape {
        Shape::Aggregate { group_by, outputs, .. } => {
            chain.push(format!(".groupBy({})", cols(group_by)));
            let aggs: Vec<String> = outputs
                .iter()
                .filter_map(|o| match o {
                    AggOutput::Agg { func, column, alias, .. } => {
                        Some(format!("{}.as({})", agg(*func, column.as_deref()), scala_str(alias)))
                    }
                    AggOutput::Column(_) => None,
                })
                .collect();
            chain.push(format!(".agg({})", aggs.join(", ")));
            let wanted: Vec<String> = outputs
                .iter()
                .map(|o| match o {
                    AggOutput::Column(c) => c.clone(),
                    AggOutput::Agg { alias, .. } => alias.clone(),
                })
                .collect();
            let natural: Vec<String> = group_by
                .iter()
                .cloned()
                .chain(outputs.iter().filter_map(|o| match o {
                    AggOutput::Agg { alias, .. } => Some(alias.clone()),
                    AggOutput::Column(_) => None,
                }))
                .collect();
            if natural != wanted {
                chain.push(format!(".select({})", cols(&wanted)));
            }
        }
        Shape::Window { outputs, .. } => {
            let columns: Vec<String> = outputs
                .iter()
                .map(|o| match o {
                    WindowOutput::Column(c) => format!("col({})", scala_str(c)),
                    WindowOutput::Rank { func, partition_by, order_by, alias, .. } => {
                        format!("{}.over({}).as({})", rank(*func), window(partition_by, order_by), scala_str(alias))
                    }
                })
                .collect();
            chain.push(format!(".select({})", columns.join(", ")));
        }
        Shape::Select { columns: Some(columns), .. } => chain.push(format!(".select({})", cols(columns))),
        Shape::Select { columns: None, .. } => {}
    }
    let first = chain.first().cloned().unwrap_or_default();
    let rest: Vec<String> = chain.iter().skip(1).map(|c| format!("  {c}")).collect();
    let mut code = format!("// {}: as DataFrame code.\nval {} = {first}", step.name, step.var);
    for line in rest {
        code.push('\n');
        code.push_str(&line);
    }
    code
}

fn sql_step(ctx: &Context, step: &StepPlan) -> String {
    let mut lines = vec![
        format!("// {}: not one of the shapes written here as DataFrame code (a filtered aggregate, a", step.name),
        "// ranking window, a filter): it runs as Spark SQL, unchanged, reading earlier steps by name.".to_string(),
    ];
    for &i in &step.reads {
        if let Some(read) = ctx.steps.get(i) {
            lines.push(format!("{}.createOrReplaceTempView({})", read.var, scala_str(&read.name)));
        }
    }
    lines.push(format!("val {} = spark.sql(withParams({}, runDate, targetDb))", step.var, scala_block(&step.sql)));
    lines.join("\n")
}

fn agg(func: AggFunc, column: Option<&str>) -> String {
    let arg = column.map(|c| format!("col({})", scala_str(c))).unwrap_or_else(|| "lit(1)".into());
    let name = match func {
        AggFunc::Sum => "sum",
        AggFunc::Count => "count",
        AggFunc::Min => "min",
        AggFunc::Max => "max",
        AggFunc::Avg => "avg",
    };
    format!("{name}({arg})")
}

fn rank(func: RankFunc) -> &'static str {
    match func {
        RankFunc::Rank => "rank()",
        RankFunc::DenseRank => "dense_rank()",
        RankFunc::RowNumber => "row_number()",
    }
}

fn window(partition_by: &[String], order_by: &[SortKey]) -> String {
    let mut w = "Window".to_string();
    if !partition_by.is_empty() {
        w.push_str(&format!(".partitionBy({})", cols(partition_by)));
    }
    let keys: Vec<String> = order_by.iter().map(|k| format!("col({}).{}", scala_str(&k.column), sort(k))).collect();
    w.push_str(&format!(".orderBy({})", keys.join(", ")));
    w
}

fn expr(e: &Expr) -> String {
    match e {
        Expr::Compare(l, op, r) => {
            let op = match op {
                CompareOp::Eq => "===",
                CompareOp::NotEq => "=!=",
                CompareOp::Lt => "<",
                CompareOp::LtEq => "<=",
                CompareOp::Gt => ">",
                CompareOp::GtEq => ">=",
            };
            format!("{} {op} {}", expr(l), expr(r))
        }
        Expr::And(l, r) => format!("({}) && ({})", expr(l), expr(r)),
        Expr::Or(l, r) => format!("({}) || ({})", expr(l), expr(r)),
        Expr::Not(e) => format!("!({})", expr(e)),
        Expr::Nested(e) => expr(e),
        Expr::IsNull(e) => format!("({}).isNull", expr(e)),
        Expr::IsNotNull(e) => format!("({}).isNotNull", expr(e)),
        Expr::Column(c) => format!("col({})", scala_str(c)),
        Expr::Number(n) => format!("lit({})", scala_number(n)),
        Expr::Str(s) => format!("lit({})", scala_str(s)),
        Expr::Bool(b) => format!("lit({b})"),
        Expr::Null => "lit(null)".into(),
        Expr::Date(d) => format!("to_date(lit({}))", scala_str(d)),
        Expr::RunDate => "to_date(lit(runDate))".into(),
        Expr::RunDateText => "lit(runDate)".into(),
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
