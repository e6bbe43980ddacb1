//! `spark-sql`: the steps as one Spark SQL write, each step a CTE, as the user wrote them; a
//! pytest unit test runs the file on a local Spark.

use crate::recipes::common::{ddl_and_mocks, readme, workflow_files, ReadmeParts};
use crate::recipes::python::{harness, TEST_README};
use crate::recipes::Context;
use crate::text::indent;
use crate::ProjectFile;

const TEST: &str = include_str!("../../files/python/test_sparksql_write.py");

/// The project's files.
pub(crate) fn files(ctx: &Context) -> Vec<ProjectFile> {
    let mut files = ddl_and_mocks(ctx);
    files.extend(workflow_files(ctx, "src/sparksql_write.sql"));
    files.push(ProjectFile::new("src/sparksql_write.sql", write_sql(ctx)));
    files.push(ProjectFile::new("src/test_sparksql_write.py", ctx.fill(TEST, &[])));
    files.extend(harness(ctx));
    let run = ctx.fill(
        "The workflow's write job runs `src/sparksql_write.sql` with `TARGET_DB` and `date` set
(`${TARGET_DB}` and `${date}` in the file). By hand, substitute them and give the query to
`spark-sql` or `spark.sql(...)`; the unit test shows how (`dataflow_mocks.substitute`).",
        &[],
    );
    files.push(readme(
        ctx,
        &ReadmeParts {
            files: &[
                ("src/sparksql_write.sql", "the write job: the steps as one query, each step a CTE"),
                ("src/test_sparksql_write.py", "its unit test (pytest)"),
                ("src/conftest.py", "the test's Spark session and tables"),
                ("src/dataflow_mocks.py", "reads mocks and compares a result with the expected mock"),
                ("pyproject.toml, tox.ini", "the test harness"),
            ],
            idiom: "",
            test: &ctx.fill(TEST_README, &[]),
            run: &run,
        },
    ));
    files
}

/// `src/sparksql_write.sql`: `INSERT OVERWRITE` of the last step, every step a CTE.
fn write_sql(ctx: &Context) -> String {
    let ctes: Vec<String> =
        ctx.steps.iter().map(|s| format!("{} AS (\n{}\n)", s.name, indent(&s.sql, "    "))).collect();
    let last = ctx.last().map(|s| s.name.as_str()).unwrap_or_default();
    let partition = match &ctx.target.partition {
        Some(column) => format!("\nPARTITION ({column} = DATE '${{date}}')"),
        None => String::new(),
    };
    let written = if ctx.written_params.is_empty() {
        String::new()
    } else {
        format!("\n-- Written in: {}.", ctx.written_params_text())
    };
    format!(
        "-- {workflow}: the write job of {short} (Dataflow sample workflow, spark-sql recipe).
-- The transform is the pipeline's steps as written, each step a CTE; the last one fills {what}.
-- The workflow sets ${{TARGET_DB}} and ${{date}} (YYYY-MM-DD).{written}
INSERT OVERWRITE TABLE ${{TARGET_DB}}.{table}{partition} BY NAME
WITH
{ctes}
SELECT {columns}
FROM {last}
",
        workflow = ctx.options.workflow_id,
        short = ctx.options.short_name,
        what = match &ctx.target.partition {
            Some(_) => "the run date's partition",
            None => "the table",
        },
        table = ctx.target.table,
        ctes = ctes.join(",\n"),
        columns = ctx.target.columns.join(", "),
    )
}
