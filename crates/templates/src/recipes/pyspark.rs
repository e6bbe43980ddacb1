//! `pyspark`: the steps as PySpark DataFrame code (filter/groupBy/agg, Window rank, filter and
//! select), a step of any other shape as `spark.sql(...)` with a comment saying so.

use crate::logic::{AggFunc, AggOutput, CompareOp, Expr, Input, RankFunc, Shape, SortKey, StepPlan, WindowOutput};
use crate::recipes::common::{ddl_and_mocks, readme, workflow_files, ReadmeParts};
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
    let mut body = vec!["source_table = spark.table(SOURCE_TABLE)".to_string()];
    for (i, step) in ctx.steps.iter().enumerate() {
        body.push(String::new());
        body.push(step_code(ctx, i, step));
    }
    body.push(format!("return {}", ctx.last().map(|s| s.var.as_str()).unwrap_or("source_table")));
    let parts = ctx.transform_parts("\n", py_str, |column| {
        format!("\n        .withColumn({}, F.to_date(F.lit(date)))", py_str(column))
    });
    let helper = if parts.sql_steps { WITH_PARAMS } else { "" };
    let (written, columns, with_partition) = (parts.written, parts.columns, parts.with_partition);
    ctx.fill(
        MODULE,
        &[
            ("written", &written),
            ("body", &indent(&body.join("\n"), "    ")),
            ("with_params", helper),
            ("target_columns", &columns.join(", ")),
            ("with_partition", &with_partition),
        ],
    )
}

const WITH_PARAMS: &str = r#"

def _with_params(sql: str, date: str, target_db: str) -> str:
    """A step's SQL with the run's parameters, as the workflow's scheduler substitutes them."""
    return sql.replace("${date}", date).replace("${TARGET_DB}", target_db)
"#;

fn input_var(ctx: &Context, input: Input) -> String {
    match input {
        Input::Source => "source_table".into(),
        Input::Step(i) => ctx.steps.get(i).map(|s| s.var.clone()).unwrap_or_default(),
    }
}

fn step_code(ctx: &Context, index: usize, step: &StepPlan) -> String {
    let Some(shape) = &step.shape else { return sql_step(ctx, index, step) };
    let mut chain = vec![input_var(ctx, shape.input())];
    let mut pre = Vec::new();
    let filter = match shape {
        Shape::Aggregate { filter, .. } | Shape::Window { filter, .. } | Shape::Select { filter, .. } => filter,
    };
    if let Some(f) = filter {
        chain.push(format!(".filter({})", expr(f)));
    }
    match shape {
        Shape::Aggregate { group_by, outputs, .. } => {
            let keys: Vec<String> = group_by.iter().map(|c| py_str(c)).collect();
            chain.push(format!(".groupBy({})", keys.join(", ")));
            let aggs: Vec<String> = outputs
                .iter()
                .filter_map(|o| match o {
                    AggOutput::Agg { func, column, alias, .. } => {
                        Some(format!("{}.alias({})", agg(*func, column.as_deref()), py_str(alias)))
                    }
                    AggOutput::Column(_) => None,
                })
                .collect();
            chain.push(format!(".agg({})", aggs.join(", ")));
            let natural: Vec<&str> = group_by
                .iter()
                .map(String::as_str)
                .chain(outputs.iter().filter_map(|o| match o {
                    AggOutput::Agg { alias, .. } => Some(alias.as_str()),
                    AggOutput::Column(_) => None,
                }))
                .collect();
            let wanted: Vec<&str> = outputs
                .iter()
                .map(|o| match o {
                    AggOutput::Column(c) => c.as_str(),
                    AggOutput::Agg { alias, .. } => alias.as_str(),
                })
                .collect();
            if natural != wanted {
                chain.push(format!(".select({})", wanted.iter().map(|c| py_str(c)).collect::<Vec<_>>().join(", ")));
            }
        }
        Shape::Window { outputs, .. } => {
            let ranks = outputs.iter().filter(|o| matches!(o, WindowOutput::Rank { .. })).count();
            let mut k = 0;
            let columns: Vec<String> = outputs
                .iter()
                .map(|o| match o {
                    WindowOutput::Column(c) => py_str(c),
                    WindowOutput::Rank { func, partition_by, order_by, alias, .. } => {
                        k += 1;
                        let base = step.name.to_ascii_lowercase();
                        let name = if ranks == 1 { format!("{base}_window") } else { format!("{base}_window_{k}") };
                        pre.push(format!("{name} = {}", window(partition_by, order_by)));
                        format!("{}.over({name}).alias({})", rank(*func), py_str(alias))
                    }
                })
                .collect();
            chain.push(format!(".select({})", columns.join(", ")));
        }
        Shape::Select { columns: Some(columns), .. } => {
            chain.push(format!(".select({})", columns.iter().map(|c| py_str(c)).collect::<Vec<_>>().join(", ")));
        }
        Shape::Select { columns: None, .. } => {}
    }
    let code = if chain.len() == 1 {
        format!("{} = {}", step.var, chain.join(""))
    } else {
        format!("{} = (\n{}\n)", step.var, indent(&chain.join("\n"), "    "))
    };
    let mut lines = vec![format!("# {}: as DataFrame code.", step.name)];
    lines.extend(pre);
    lines.push(code);
    lines.join("\n")
}

/// A step that stays SQL: the earlier steps it reads registered under their names, then `spark.sql`.
fn sql_step(ctx: &Context, _index: usize, step: &StepPlan) -> String {
    let mut lines = vec![
        format!("# {}: not one of the shapes written here as DataFrame code (a filtered aggregate, a", step.name),
        "# ranking window, a filter): it runs as Spark SQL, unchanged, reading earlier steps by name.".to_string(),
    ];
    for &i in &step.reads {
        if let Some(read) = ctx.steps.get(i) {
            lines.push(format!("{}.createOrReplaceTempView({})", read.var, py_str(&read.name)));
        }
    }
    let sql = py_block(&step.sql);
    lines.push(format!("{} = spark.sql(_with_params({sql}, date, target_db))", step.var));
    lines.join("\n")
}

fn agg(func: AggFunc, column: Option<&str>) -> String {
    let arg = column.map(py_str).unwrap_or_else(|| "F.lit(1)".into());
    let name = match func {
        AggFunc::Sum => "sum",
        AggFunc::Count => "count",
        AggFunc::Min => "min",
        AggFunc::Max => "max",
        AggFunc::Avg => "avg",
    };
    format!("F.{name}({arg})")
}

fn rank(func: RankFunc) -> &'static str {
    match func {
        RankFunc::Rank => "F.rank()",
        RankFunc::DenseRank => "F.dense_rank()",
        RankFunc::RowNumber => "F.row_number()",
    }
}

fn window(partition_by: &[String], order_by: &[SortKey]) -> String {
    let mut w = "Window".to_string();
    if !partition_by.is_empty() {
        w.push_str(&format!(".partitionBy({})", partition_by.iter().map(|c| py_str(c)).collect::<Vec<_>>().join(", ")));
    }
    let keys: Vec<String> = order_by.iter().map(|k| format!("F.col({}).{}()", py_str(&k.column), sort(k))).collect();
    w.push_str(&format!(".orderBy({})", keys.join(", ")));
    w
}

/// `asc`, `desc`, or with an explicit NULL placement (`desc_nulls_first`).
pub(crate) fn sort(key: &SortKey) -> &'static str {
    match (key.desc(), key.nulls_first, key.nulls_first()) {
        (false, None, _) => "asc",
        (true, None, _) => "desc",
        (false, Some(_), true) => "asc_nulls_first",
        (false, Some(_), false) => "asc_nulls_last",
        (true, Some(_), true) => "desc_nulls_first",
        (true, Some(_), false) => "desc_nulls_last",
    }
}

/// A filter as a PySpark Column expression.
fn expr(e: &Expr) -> String {
    match e {
        Expr::Compare(l, op, r) => {
            let left = match l.as_ref() {
                Expr::Column(_) => expr(l),
                other => format!("F.lit({})", value(other).unwrap_or_else(|| expr(other))),
            };
            let right = value(r).unwrap_or_else(|| expr(r));
            let op = match op {
                CompareOp::Eq => "==",
                CompareOp::NotEq => "!=",
                CompareOp::Lt => "<",
                CompareOp::LtEq => "<=",
                CompareOp::Gt => ">",
                CompareOp::GtEq => ">=",
            };
            format!("{left} {op} {right}")
        }
        Expr::And(l, r) => format!("({}) & ({})", expr(l), expr(r)),
        Expr::Or(l, r) => format!("({}) | ({})", expr(l), expr(r)),
        Expr::Not(e) => format!("~({})", expr(e)),
        Expr::Nested(e) => expr(e),
        Expr::IsNull(e) => format!("({}).isNull()", expr(e)),
        Expr::IsNotNull(e) => format!("({}).isNotNull()", expr(e)),
        Expr::Column(c) => format!("F.col({})", py_str(c)),
        Expr::RunDate => "F.to_date(F.lit(date))".into(),
        Expr::Date(d) => format!("F.to_date(F.lit({}))", py_str(d)),
        other => format!("F.lit({})", value(other).unwrap_or_default()),
    }
}

/// A literal as a Python value, where one is.
fn value(e: &Expr) -> Option<String> {
    Some(match e {
        Expr::Number(n) => n.clone(),
        Expr::Str(s) => py_str(s),
        Expr::Bool(true) => "True".into(),
        Expr::Bool(false) => "False".into(),
        Expr::Null => "None".into(),
        Expr::RunDateText => "date".into(),
        Expr::RunDate => "F.to_date(F.lit(date))".into(),
        Expr::Date(d) => format!("F.to_date(F.lit({}))", py_str(d)),
        _ => return None,
    })
}
