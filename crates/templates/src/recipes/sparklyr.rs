//! `sparklyr`: the steps as dplyr verbs on a sparklyr connection (filter, group_by/summarise,
//! select), the ranking window as Spark SQL inside `mutate()`, a step of any other shape as
//! `sdf_sql(...)` with a comment saying so; a testthat suite.

use crate::logic::{window_sql, AggFunc, AggOutput, CompareOp, Expr, Input, RankFunc, Shape, StepPlan, WindowOutput};
use crate::recipes::common::{ddl_and_mocks, readme, workflow_files, ReadmeParts};
use crate::recipes::Context;
use crate::text::{indent, r_str, r_str_line};
use crate::ProjectFile;

const SCRIPT: &str = include_str!("../../files/r/sparklyr_write.R");
const TEST: &str = include_str!("../../files/r/test_sparklyr_write.R");
const HELPER: &str = include_str!("../../files/r/helper_mocks.R");
const RUNNER: &str = include_str!("../../files/r/testthat.R");
const DESCRIPTION: &str = include_str!("../../files/r/DESCRIPTION");

/// The project's files.
pub(crate) fn files(ctx: &Context) -> Vec<ProjectFile> {
    let (written_query, write_columns) = match &ctx.target.partition {
        Some(column) => (
            format!("SELECT * FROM ${{TARGET_DB}}.{} WHERE `{column}` = DATE '${{date}}'", ctx.target.table),
            r_str_line(column),
        ),
        None => (format!("SELECT * FROM ${{TARGET_DB}}.{}", ctx.target.table), String::new()),
    };
    let mut files = ddl_and_mocks(ctx);
    files.extend(workflow_files(ctx, "src/sparklyr_write.R"));
    files.push(ProjectFile::new("src/sparklyr_write.R", script(ctx)));
    files.push(ProjectFile::new(
        "tests/testthat/test_sparklyr_write.R",
        ctx.fill(TEST, &[("written_query", &written_query), ("write_columns", &write_columns)]),
    ));
    files.push(ProjectFile::new("tests/testthat/helper_mocks.R", HELPER.to_string()));
    files.push(ProjectFile::new("tests/testthat.R", RUNNER.to_string()));
    let package = ctx.options.short_name.replace('_', ".");
    files.push(ProjectFile::new(
        "DESCRIPTION",
        ctx.fill(DESCRIPTION, &[]).replacen(&ctx.options.short_name, &package, 1),
    ));
    files.push(readme(
        ctx,
        &ReadmeParts {
            files: &[
                ("src/sparklyr_write.R", "the write job: `transform()` (the steps as dplyr verbs), `write_output()`, `main()`"),
                ("tests/testthat/test_sparklyr_write.R", "its unit test (testthat)"),
                ("tests/testthat/helper_mocks.R", "reads mocks and compares a result with the expected mock"),
                ("tests/testthat.R", "the test runner"),
                ("DESCRIPTION", "the R packages it needs"),
            ],
            idiom: "dplyr verbs (sparklyr)",
            test: &ctx.fill(
                "R 4.1+, Java 17 (or 21) and the packages in `DESCRIPTION`:

```sh
Rscript -e 'install.packages(c(\"sparklyr\", \"dplyr\", \"dbplyr\", \"yaml\", \"tibble\", \"testthat\", \"withr\")); sparklyr::spark_install(\"{{spark_version}}\")'
Rscript tests/testthat.R
```",
                &[],
            ),
            run: &ctx.fill(
                "```sh\nSPARK_MASTER=yarn Rscript src/sparklyr_write.R --date {{run_date}} --target-db {{target_db}}\n```",
                &[],
            ),
        },
    ));
    files
}

fn script(ctx: &Context) -> String {
    let mut body = vec!["source_table <- tbl(sc, SOURCE_TABLE)".to_string()];
    for step in &ctx.steps {
        body.push(String::new());
        body.push(step_code(ctx, step));
    }
    body.push(ctx.last().map(|s| s.var.clone()).unwrap_or_else(|| "source_table".into()));
    let parts = ctx.transform_parts("\n# ", r_str_line, |column| {
        format!("\n    mutate({} = to_date(!!run_date)) |>", r_name(column))
    });
    let helper = if parts.sql_steps { WITH_PARAMS } else { "" };
    let (written, columns, with_partition) = (parts.written, parts.columns, parts.with_partition);
    ctx.fill(
        SCRIPT,
        &[
            ("written", &written),
            ("body", &indent(&body.join("\n"), "  ")),
            ("with_params", helper),
            ("target_columns", &columns.join(", ")),
            ("with_partition", &with_partition),
        ],
    )
}

const WITH_PARAMS: &str = r#"
# A step's SQL with the run's parameters, as the workflow's scheduler substitutes them.
with_params <- function(sql, run_date, target_db) {
  gsub("${TARGET_DB}", target_db, gsub("${date}", run_date, sql, fixed = TRUE), fixed = TRUE)
}
"#;

/// A column name as R code: bare when it is a syntactic name, else in backquotes.
fn r_name(name: &str) -> String {
    const RESERVED: [&str; 20] = [
        "if",
        "else",
        "repeat",
        "while",
        "function",
        "for",
        "next",
        "break",
        "TRUE",
        "FALSE",
        "NULL",
        "Inf",
        "NaN",
        "NA",
        "NA_integer_",
        "NA_real_",
        "NA_character_",
        "NA_complex_",
        "in",
        "T",
    ];
    let syntactic = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && !RESERVED.contains(&name)
        && name != "F";
    if syntactic {
        name.to_string()
    } else {
        format!("`{name}`")
    }
}

fn names(columns: &[String]) -> String {
    columns.iter().map(|c| r_name(c)).collect::<Vec<_>>().join(", ")
}

fn input_var(ctx: &Context, input: Input) -> String {
    match input {
        Input::Source => "source_table".into(),
        Input::Step(i) => ctx.steps.get(i).map(|s| s.var.clone()).unwrap_or_default(),
    }
}

fn step_code(ctx: &Context, step: &StepPlan) -> String {
    let Some(shape) = &step.shape else { return sql_step(ctx, step) };
    let Some(verbs) = verbs(shape) else { return sql_step(ctx, step) };
    let mut lines = vec![format!("# {}: as dplyr verbs.", step.name)];
    if matches!(shape, Shape::Window { .. }) {
        lines.push(
            "# The window is Spark SQL inside mutate(): dbplyr's rank() gives NA to NA values, Spark's RANK()"
                .to_string(),
        );
        lines.push("# ranks NULLs (last when descending), as the other recipes do.".to_string());
    }
    let mut chain = vec![input_var(ctx, shape.input())];
    chain.extend(verbs);
    let last = chain.len() - 1;
    let text: Vec<String> = chain
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let pipe = if i < last { " |>" } else { "" };
            if i == 0 {
                format!("{} <- {v}{pipe}", step.var)
            } else {
                format!("  {v}{pipe}")
            }
        })
        .collect();
    lines.extend(text);
    lines.join("\n")
}

/// The dplyr verbs of a shape; `None` where a part has no faithful dplyr form here.
fn verbs(shape: &Shape) -> Option<Vec<String>> {
    let mut verbs = Vec::new();
    let filter = match shape {
        Shape::Aggregate { filter, .. } | Shape::Window { filter, .. } | Shape::Select { filter, .. } => filter,
    };
    if let Some(f) = filter {
        verbs.push(format!("filter({})", expr(f)));
    }
    match shape {
        Shape::Aggregate { group_by, outputs, .. } => {
            verbs.push(format!("group_by({})", names(group_by)));
            let aggs = outputs
                .iter()
                .filter_map(|o| match o {
                    AggOutput::Agg { func, column, alias, .. } => {
                        Some(agg(*func, column.as_deref()).map(|a| format!("{} = {a}", r_name(alias))))
                    }
                    AggOutput::Column(_) => None,
                })
                .collect::<Option<Vec<_>>>()?;
            verbs.push(format!("summarise({}, .groups = \"drop\")", aggs.join(", ")));
            let wanted: Vec<String> = outputs
                .iter()
                .map(|o| match o {
                    AggOutput::Column(c) => c.clone(),
                    AggOutput::Agg { alias, .. } => alias.clone(),
                })
                .collect();
            verbs.push(format!("select({})", names(&wanted)));
        }
        Shape::Window { outputs, .. } => {
            let mut wanted = Vec::new();
            for o in outputs {
                match o {
                    WindowOutput::Column(c) => wanted.push(c.clone()),
                    WindowOutput::Rank { func, partition_by, order_by, alias, .. } => {
                        let function = match func {
                            RankFunc::Rank => "RANK()",
                            RankFunc::DenseRank => "DENSE_RANK()",
                            RankFunc::RowNumber => "ROW_NUMBER()",
                        };
                        let sql = format!("{function} OVER ({})", window_sql(partition_by, order_by));
                        verbs.push(format!("mutate({} = sql({}))", r_name(alias), r_str_line(&sql)));
                        wanted.push(alias.clone());
                    }
                }
            }
            verbs.push(format!("select({})", names(&wanted)));
        }
        Shape::Select { columns: Some(columns), .. } => verbs.push(format!("select({})", names(columns))),
        Shape::Select { columns: None, .. } => {}
    }
    Some(verbs)
}

fn sql_step(ctx: &Context, step: &StepPlan) -> String {
    let mut lines = vec![
        format!("# {}: not one of the shapes written here as dplyr verbs (a filtered aggregate, a", step.name),
        "# ranking window, a filter): it runs as Spark SQL, unchanged, reading earlier steps by name.".to_string(),
    ];
    for &i in &step.reads {
        if let Some(read) = ctx.steps.get(i) {
            lines.push(format!("sdf_register({}, {})", read.var, r_str_line(&read.name)));
        }
    }
    lines.push(format!("{} <- sdf_sql(sc, with_params({}, run_date, target_db))", step.var, r_str(&step.sql)));
    lines.join("\n")
}

/// An aggregate as dplyr (translated by dbplyr to the same SQL aggregate).
fn agg(func: AggFunc, column: Option<&str>) -> Option<String> {
    Some(match (func, column) {
        (AggFunc::Count, None) => "n()".into(),
        (AggFunc::Count, Some(_)) => return None,
        (func, Some(c)) => {
            let name = match func {
                AggFunc::Sum => "sum",
                AggFunc::Min => "min",
                AggFunc::Max => "max",
                AggFunc::Avg => "mean",
                AggFunc::Count => "count",
            };
            format!("{name}({}, na.rm = TRUE)", r_name(c))
        }
        (_, None) => return None,
    })
}

fn expr(e: &Expr) -> String {
    match e {
        Expr::Compare(l, op, r) => {
            let op = match op {
                CompareOp::Eq => "==",
                CompareOp::NotEq => "!=",
                CompareOp::Lt => "<",
                CompareOp::LtEq => "<=",
                CompareOp::Gt => ">",
                CompareOp::GtEq => ">=",
            };
            format!("{} {op} {}", expr(l), expr(r))
        }
        Expr::And(l, r) => format!("({}) & ({})", expr(l), expr(r)),
        Expr::Or(l, r) => format!("({}) | ({})", expr(l), expr(r)),
        Expr::Not(e) => format!("!({})", expr(e)),
        Expr::Nested(e) => expr(e),
        Expr::IsNull(e) => format!("is.na({})", expr(e)),
        Expr::IsNotNull(e) => format!("!is.na({})", expr(e)),
        Expr::Column(c) => r_name(c),
        Expr::Number(n) => r_number(n),
        Expr::Str(s) => r_str_line(s),
        Expr::Bool(true) => "TRUE".into(),
        Expr::Bool(false) => "FALSE".into(),
        Expr::Null => "NA".into(),
        Expr::Date(d) => format!("to_date({})", r_str_line(d)),
        Expr::RunDate => "to_date(!!run_date)".into(),
        Expr::RunDateText => "!!run_date".into(),
    }
}

/// A number as an R literal: an integer (`100L`) where it fits, else a double.
fn r_number(n: &str) -> String {
    if n.chars().all(|c| c.is_ascii_digit()) && n.parse::<i32>().is_ok() {
        format!("{n}L")
    } else {
        n.to_string()
    }
}
