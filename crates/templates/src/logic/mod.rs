//! The business logic, read from the user's steps: each step's SQL is recognised as one of the
//! shapes the DataFrame recipes write in their own idiom (a filtered aggregate, a ranking window,
//! a filter/projection), or kept as SQL that the recipe runs with `spark.sql(...)`.
//!
//! No silent loss: a shape is accepted only when writing it back as SQL parses to exactly the
//! statement the user wrote (every clause, operator and literal accounted for). Anything else —
//! joins, expressions in the projection, `HAVING`, `ORDER BY`, `DISTINCT`, backslashes in strings —
//! stays SQL.

use std::collections::BTreeMap;

use dataflow_engine::guard;
use dataflow_engine::params::substitute;
use dataflow_engine::spark::spark_strings;
use dataflow_engine::spec::is_identifier;
use dataflow_engine::{PipelineSpec, SOURCE_TABLE};
use sqlparser::ast::{self, ObjectNamePart, Statement};
use sqlparser::dialect::GenericDialect;

mod shape;
mod sql;

use shape::shape_of;
use sql::shape_sql;
pub(crate) use sql::window_sql;

use crate::TemplateError;

/// The parameters a generated project takes at run time, from the workflow: every other
/// `${NAME}` is written into the code with the value the options give.
pub(crate) const RUN_TIME_PARAMS: [&str; 2] = ["date", "TARGET_DB"];

/// One step of the transform, ready for the recipes.
#[derive(Debug, Clone)]
pub(crate) struct StepPlan {
    /// The step's name, as later steps read it (`STEP_1`).
    pub name: String,
    /// The name of the variable that holds its result (`step_1_df`).
    pub var: String,
    /// The step's SQL with `${top_n}` and user parameters written in; `${date}` and
    /// `${TARGET_DB}` stay for run time.
    pub sql: String,
    /// The shape the DataFrame recipes write in their idiom; `None`: the SQL runs as it is.
    pub shape: Option<Shape>,
    /// The earlier steps the SQL reads (indices), for a recipe that runs it as SQL.
    pub reads: Vec<usize>,
}

/// Where a step reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    /// `some_db.source_table`.
    Source,
    /// An earlier step, by index.
    Step(usize),
}

/// The shapes the DataFrame recipes write in their own idiom.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// `SELECT keys…, AGG(col) AS name… FROM input [WHERE …] GROUP BY keys…`.
    Aggregate { input: Input, filter: Option<Expr>, group_by: Vec<String>, outputs: Vec<AggOutput> },
    /// `SELECT cols…, RANK() OVER (PARTITION BY … ORDER BY …) AS name FROM input [WHERE …]`.
    Window { input: Input, filter: Option<Expr>, outputs: Vec<WindowOutput> },
    /// `SELECT cols… | * FROM input [WHERE …]`.
    Select { input: Input, filter: Option<Expr>, columns: Option<Vec<String>> },
}

impl Shape {
    /// The step's input.
    pub fn input(&self) -> Input {
        match self {
            Shape::Aggregate { input, .. } | Shape::Window { input, .. } | Shape::Select { input, .. } => *input,
        }
    }
}

/// One output of an aggregate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AggOutput {
    /// A grouping column.
    Column(String),
    /// `FUNC(column)` or `COUNT(*)` (`column: None`), named `alias`.
    Agg { func: AggFunc, written: String, column: Option<String>, alias: String },
}

/// The aggregate functions recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AggFunc {
    Sum,
    Count,
    Min,
    Max,
    Avg,
}

/// One output of a window step.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WindowOutput {
    /// A column of the input.
    Column(String),
    /// A ranking function over a window, named `alias`.
    Rank { func: RankFunc, written: String, partition_by: Vec<String>, order_by: Vec<SortKey>, alias: String },
}

/// The ranking functions recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RankFunc {
    Rank,
    DenseRank,
    RowNumber,
}

/// One `ORDER BY` key of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SortKey {
    pub column: String,
    /// `Some(false)`: `DESC`; `Some(true)`: `ASC`; `None`: not written (ascending).
    pub asc: Option<bool>,
    /// `NULLS FIRST`/`NULLS LAST` as written; `None`: Spark's default (first ascending, last descending).
    pub nulls_first: Option<bool>,
}

impl SortKey {
    /// Whether the key sorts descending.
    pub fn desc(&self) -> bool {
        self.asc == Some(false)
    }

    /// Where NULLs go, explicit or Spark's default: first when ascending, last when descending.
    pub fn nulls_first(&self) -> bool {
        self.nulls_first.unwrap_or(!self.desc())
    }
}

/// A filter expression the recipes write in their idiom.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Column(String),
    /// A number as written (`100`, `0.5`, `1e-3`).
    Number(String),
    Str(String),
    Bool(bool),
    Null,
    /// `DATE 'YYYY-MM-DD'`.
    Date(String),
    /// `DATE '${date}'`: the run date, as a date.
    RunDate,
    /// `'${date}'`: the run date, as text (`YYYY-MM-DD`).
    RunDateText,
    Compare(Box<Expr>, CompareOp, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Nested(Box<Expr>),
    IsNull(Box<Expr>),
    IsNotNull(Box<Expr>),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
}

impl CompareOp {
    /// The SQL operator.
    pub fn sql(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::NotEq => "<>",
            CompareOp::Lt => "<",
            CompareOp::LtEq => "<=",
            CompareOp::Gt => ">",
            CompareOp::GtEq => ">=",
        }
    }
}

/// Reads the spec's steps: names checked, render-time parameters written in, shapes recognised.
pub(crate) fn plan_steps(
    spec: &PipelineSpec,
    values: &BTreeMap<String, String>,
) -> Result<Vec<StepPlan>, TemplateError> {
    spec.check_step_names().map_err(TemplateError::Spec)?;
    let mut plans: Vec<StepPlan> = Vec::new();
    for step in &spec.steps {
        let name = step.name.as_str();
        let sql = substitute(name, step.sql.trim(), values)?;
        let names: Vec<&str> = plans.iter().map(|p| p.name.as_str()).collect();
        let (shape, reads) = match parse_one(&sql) {
            Some(statement) => (recognise(&statement, &names), reads_of(&statement, &names)),
            None => (None, mentioned_steps(&sql, &names)),
        };
        plans.push(StepPlan { name: name.into(), var: format!("{}_df", name.to_ascii_lowercase()), sql, shape, reads });
    }
    Ok(plans)
}

fn parse_one(sql: &str) -> Option<Statement> {
    // Through the engine's guard: text the parser would take exponentially long on stays plain SQL.
    let sql = spark_strings(sql);
    let limit = guard::DEFAULT_RECURSION_LIMIT;
    let mut statements = guard::parse(&GenericDialect {}, &sql, guard::QUERY_START, limit).ok()?;
    (statements.len() == 1).then(|| statements.pop()).flatten()
}

/// The earlier steps a statement reads, by its table references.
fn reads_of(statement: &Statement, names: &[&str]) -> Vec<usize> {
    let mut reads = Vec::new();
    let _ = ast::visit_relations(statement, |relation| {
        if let [ObjectNamePart::Identifier(ident)] = relation.0.as_slice() {
            if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(&ident.value)) {
                if !reads.contains(&i) {
                    reads.push(i);
                }
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    reads.sort_unstable();
    reads
}

/// The earlier steps whose names appear as words in SQL that does not parse here (Spark may read it).
fn mentioned_steps(sql: &str, names: &[&str]) -> Vec<usize> {
    let words: Vec<String> =
        sql.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map(|w| w.to_ascii_lowercase()).collect();
    (0..names.len()).filter(|&i| names.get(i).is_some_and(|n| words.contains(&n.to_ascii_lowercase()))).collect()
}

/// The shape of a statement, if it has one and says nothing more than the shape does.
fn recognise(statement: &Statement, names: &[&str]) -> Option<Shape> {
    let shape = shape_of(statement, names)?;
    let written = parse_one(&shape_sql(&shape, statement)?)?;
    (written.to_string() == statement.to_string()).then_some(shape)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> BTreeMap<String, String> {
        let mut values = PipelineSpec::sample().params.values();
        for p in RUN_TIME_PARAMS {
            values.insert(p.into(), format!("${{{p}}}"));
        }
        values
    }

    fn plan(sqls: &[&str]) -> Vec<StepPlan> {
        let mut spec = PipelineSpec::sample();
        spec.steps = sqls
            .iter()
            .enumerate()
            .map(|(i, sql)| dataflow_engine::Step { name: format!("STEP_{}", i + 1), sql: (*sql).into() })
            .collect();
        plan_steps(&spec, &values()).unwrap()
    }

    #[test]
    fn the_sample_steps_have_the_three_shapes() {
        let plans = plan_steps(&PipelineSpec::sample(), &values()).unwrap();
        let Some(Shape::Aggregate { input: Input::Source, filter: Some(filter), group_by, outputs }) = &plans[0].shape
        else {
            panic!("{:?}", plans[0].shape)
        };
        assert_eq!(
            filter,
            &Expr::Compare(Box::new(Expr::Column("playback_date".into())), CompareOp::Eq, Box::new(Expr::RunDate))
        );
        assert_eq!(group_by, &["title_id", "country_code"]);
        assert_eq!(outputs.len(), 3);
        let Some(Shape::Window { input: Input::Step(0), filter: None, outputs }) = &plans[1].shape else {
            panic!("{:?}", plans[1].shape)
        };
        assert!(matches!(&outputs[3], WindowOutput::Rank { func: RankFunc::Rank, partition_by, order_by, alias, .. }
            if partition_by == &["country_code"] && order_by[0].desc() && !order_by[0].nulls_first() && alias == "title_rank"));
        let Some(Shape::Select { input: Input::Step(1), filter: Some(f), columns: Some(c) }) = &plans[2].shape else {
            panic!("{:?}", plans[2].shape)
        };
        assert_eq!(sql::expr_sql(f), "title_rank <= 100", "top_n is written in");
        assert_eq!(c.len(), 4);
        assert_eq!((plans[2].reads.as_slice(), plans[2].var.as_str()), (&[1][..], "step_3_df"));
    }

    #[test]
    fn anything_more_than_a_shape_stays_sql() {
        let kept = [
            "SELECT title_id, UPPER(country_code) AS country_code FROM some_db.source_table",
            "SELECT DISTINCT title_id FROM some_db.source_table",
            "SELECT title_id FROM some_db.source_table ORDER BY title_id",
            "SELECT title_id FROM some_db.source_table LIMIT 3",
            "SELECT title_id, SUM(view_hours) AS h FROM some_db.source_table GROUP BY title_id HAVING SUM(view_hours) > 1",
            "SELECT title_id, SUM(DISTINCT view_hours) AS h FROM some_db.source_table GROUP BY title_id",
            "SELECT title_id, SUM(view_hours) FROM some_db.source_table GROUP BY title_id",
            "SELECT a.title_id FROM some_db.source_table a",
            "SELECT title_id FROM some_db.source_table JOIN other ON true",
            "SELECT title_id FROM other_db.t",
            "SELECT title_id FROM some_db.source_table WHERE country_code = 'a\\'b'",
            "SELECT title_id FROM some_db.source_table WHERE view_hours > 1 + 1",
            "SELECT title_id FROM some_db.source_table WHERE view_hours > 100L",
            "SELECT title_id FROM ${TARGET_DB}.t",
            "SELECT title_id, RANK() OVER (ORDER BY view_hours ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS r FROM some_db.source_table",
            "SELECT title_id FROM some_db.source_table UNION ALL SELECT title_id FROM some_db.source_table",
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "SELECT title_id FROM STEP_9",
        ];
        for sql in kept {
            assert_eq!(plan(&[sql])[0].shape, None, "{sql}");
        }
    }

    #[test]
    fn filters_with_every_recognised_form_are_kept_whole() {
        let sql = "SELECT * FROM some_db.source_table WHERE NOT (country_code <> \"US\" OR view_hours IS NULL) \
                   AND playback_date >= DATE '2021-12-31' AND title_id IS NOT NULL AND country_code = '${date}' AND TRUE";
        let plans = plan(&[sql]);
        let Some(Shape::Select { filter: Some(f), columns: None, .. }) = &plans[0].shape else { panic!() };
        assert_eq!(
            sql::expr_sql(f),
            "NOT (country_code <> 'US' OR view_hours IS NULL) AND playback_date >= DATE '2021-12-31' \
             AND title_id IS NOT NULL AND country_code = '${date}' AND TRUE"
        );
    }

    #[test]
    fn reads_and_names() {
        let plans =
            plan(&["SELECT * FROM some_db.source_table", "SELECT * FROM step_1 UNION ALL SELECT * FROM STEP_1"]);
        assert_eq!(plans[1].reads, [0]);
        let mut spec = PipelineSpec::sample();
        spec.steps[1].name = "step 2".into();
        assert!(plan_steps(&spec, &values()).unwrap_err().to_string().contains("\"step 2\" is not an identifier"));
        spec.steps[1].name = "step_1".into();
        assert_eq!(plan_steps(&spec, &values()).unwrap_err().to_string(), "pipeline: two steps are named step_1");
        spec.steps[1].name = "STEP_2".into();
        spec.steps[2].sql = "SELECT ${nope}".into();
        assert_eq!(
            plan_steps(&spec, &values()).unwrap_err().to_string(),
            "pipeline: step STEP_3: unknown parameter ${nope}"
        );
    }
}
