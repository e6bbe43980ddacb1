//! `sparklyr`: the steps as dplyr verbs on a sparklyr connection (filter, group_by/summarise,
//! select), the ranking window as Spark SQL inside `mutate()`, a step of any other shape as
//! `sdf_sql(...)` with a comment saying so; a testthat suite.

use crate::logic::{window_sql, AggFunc, RankFunc, SortKey};
use crate::recipes::common::{ddl_and_mocks, readme, workflow_files, ReadmeParts};
use crate::recipes::idiom::{agg_name, rank_name, transform_file, Idiom, Literal, Ranked};
use crate::recipes::Context;
use crate::text::{r_str, r_str_line};
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
    let package = super::names::r_package(&ctx.options.short_name);
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
    transform_file(&Sparklyr, ctx, SCRIPT, &[])
}

/// R's words: dplyr verbs piped with `|>` (dbplyr turns them into Spark SQL), bare column names,
/// the ranking window as Spark SQL inside `mutate()`.
struct Sparklyr;

impl Idiom for Sparklyr {
    const WRITTEN_AS: &'static str = "dplyr verbs";
    const COMMENT: &'static str = "#";
    const WRITTEN_LEAD: &'static str = "\n# ";
    const SOURCE: &'static str = "source_table";
    const RETURN: &'static str = "";
    const INDENT: &'static str = "  ";
    const WITH_PARAMS: &'static str = r#"
# A step's SQL with the run's parameters, as the workflow's scheduler substitutes them.
with_params <- function(sql, run_date, target_db) {
  gsub("${TARGET_DB}", target_db, gsub("${date}", run_date, sql, fixed = TRUE), fixed = TRUE)
}
"#;
    const VERB: &'static str = "";
    const GROUP_BY: &'static str = "group_by";
    /// `summarise()` gives the keys first; the select puts the outputs in the step's order.
    const SELECT_AFTER_AGGREGATE: bool = true;
    const WINDOW_NOTE: &'static [&'static str] = &[
        "# The window is Spark SQL inside mutate(): dbplyr's rank() gives NA to NA values, Spark's RANK()",
        "# ranks NULLs (last when descending), as the other recipes do.",
    ];
    const EQ: &'static str = "==";
    const NOT_EQ: &'static str = "!=";
    const AND: &'static str = "&";
    const OR: &'static str = "|";
    const NOT: &'static str = "!";

    fn string(&self, text: &str) -> String {
        r_str_line(text)
    }

    fn column(&self, name: &str) -> String {
        r_name(name)
    }

    fn name(&self, name: &str) -> String {
        r_name(name)
    }

    /// An R value; the run date from `run_date`, unquoted into the query (`!!`).
    fn literal(&self, literal: Literal) -> String {
        match literal {
            Literal::Number(n) => r_number(n),
            Literal::Str(s) => r_str_line(s),
            Literal::Bool(true) => "TRUE".into(),
            Literal::Bool(false) => "FALSE".into(),
            Literal::Null => "NA".into(),
            Literal::Date(d) => format!("to_date({})", r_str_line(d)),
            Literal::RunDate => "to_date(!!run_date)".into(),
            Literal::RunDateText => "!!run_date".into(),
        }
    }

    fn is_null(&self, e: &str) -> String {
        format!("is.na({e})")
    }

    fn is_not_null(&self, e: &str) -> String {
        format!("!is.na({e})")
    }

    /// As dplyr (translated by dbplyr to the same SQL aggregate); `COUNT(column)` has no form here.
    fn agg(&self, func: AggFunc, column: Option<&str>) -> Option<String> {
        Some(match (func, column) {
            (AggFunc::Count, None) => "n()".into(),
            (AggFunc::Avg, Some(c)) => format!("mean({}, na.rm = TRUE)", r_name(c)),
            (AggFunc::Count, Some(_)) | (_, None) => return None,
            (func, Some(c)) => format!("{}({}, na.rm = TRUE)", agg_name(func), r_name(c)),
        })
    }

    fn named(&self, e: &str, alias: &str) -> String {
        format!("{} = {e}", r_name(alias))
    }

    fn summarise(&self, aggs: &str) -> String {
        format!("summarise({aggs}, .groups = \"drop\")")
    }

    /// A `mutate()` of its own, the window as Spark SQL.
    fn rank(&self, func: RankFunc, partition_by: &[String], order_by: &[SortKey], alias: &str, _: &str) -> Ranked {
        let sql = format!("{}() OVER ({})", rank_name(func).to_ascii_uppercase(), window_sql(partition_by, order_by));
        Ranked {
            before: None,
            verb: Some(format!("mutate({} = sql({}))", r_name(alias), r_str_line(&sql))),
            selected: r_name(alias),
        }
    }

    fn assign(&self, var: &str, chain: &[String]) -> String {
        let last = chain.len().saturating_sub(1);
        let lines: Vec<String> = chain
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let pipe = if i < last { " |>" } else { "" };
                if i == 0 {
                    format!("{var} <- {v}{pipe}")
                } else {
                    format!("  {v}{pipe}")
                }
            })
            .collect();
        lines.join("\n")
    }

    fn read_source(&self) -> String {
        "source_table <- tbl(sc, SOURCE_TABLE)".into()
    }

    fn register(&self, var: &str, name: &str) -> String {
        format!("sdf_register({var}, {})", r_str_line(name))
    }

    fn run_sql(&self, var: &str, sql: &str) -> String {
        format!("{var} <- sdf_sql(sc, with_params({}, run_date, target_db))", r_str(sql))
    }

    fn add_partition(&self, column: &str) -> String {
        format!("\n    mutate({} = to_date(!!run_date)) |>", r_name(column))
    }
}

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

/// A number as an R literal: an integer (`100L`) where it fits, else a double.
fn r_number(n: &str) -> String {
    if n.chars().all(|c| c.is_ascii_digit()) && n.parse::<i32>().is_ok() {
        format!("{n}L")
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recipes::idiom::{expr, filters::filters};

    /// The filters as this recipe wrote them with its own walk, before the walk was shared.
    #[test]
    fn filters_in_its_words() {
        let written: Vec<String> = filters().iter().map(|f| expr(&Sparklyr, f)).collect();
        assert_eq!(
            written,
            [
                r#"(((((a == 1L) | (a != 2.5)) | (a < .5)) | (a <= 2147483648)) | (a > 1e3)) | (a >= 99999999999)"#,
                r#"(((5L < a) & ("x" == b)) & (TRUE == c)) & (NA == d)"#,
                r#"((to_date(!!run_date) == d) & (!!run_date == t)) & (to_date("2022-01-02") < d)"#,
                r#"((((d == to_date("2021-12-31")) | (t == !!run_date)) | (s == "it's")) | (c == FALSE)) | (d == NA)"#,
                r#"(is.na(a)) | ((!is.na(b)) & (!(c)))"#,
                r#"TRUE"#,
                r#"!!run_date"#,
                r#"(flag == (view_hours > 1L)) | (!((a == b) == c))"#,
            ]
        );
    }
}
